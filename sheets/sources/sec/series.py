"""From a company's facts to one value per (metric, period): filed, derived from
year-to-date values, or a balance; with the filing that supplied it and the earlier
values it replaced.

Quarterly filers, for each fiscal quarter:

* ``filed``: a fact covering exactly that quarter (three months). Preferred whenever one
  exists (Microsoft's 10-Qs file three-month cash flows; most income statements do).
* ``ytd_difference``: Q2 = six-month YTD minus three-month YTD, Q3 = nine-month minus
  six-month (Alphabet's and Meta's 10-Q cash flows are year-to-date only).
* ``fy_less_9m``: Q4 = the fiscal year (10-K) minus the nine-month YTD.
* ``instant``: a balance at the quarter-end date.

EPS and diluted shares are not additive: only ``filed`` three-month facts are used, so a
Q4 without a three-month fact has no EPS row. Annual-only filers (20-F) get one row per
fiscal year: the filed fiscal-year fact, or the balance at the year end.

Restatements: several filings carry the same period (every 10-Q repeats last year's
quarter). The latest filing wins. For a derived value, the value "as known" after each
filing date is recomputed from the latest inputs filed by then; every earlier value that
differs from today's is kept in ``restated`` as ``(accession, value)``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sheets.sources.sec.companies import Company
from sheets.sources.sec.companyfacts import CompanyFacts, Fact
from sheets.sources.sec.concepts import CONCEPTS, Concept
from sheets.sources.sec.periods import (
    FiscalCalendar,
    annual_period,
    duration_period,
    fiscal_label,
    instant_period,
)

__all__ = ["DERIVATIONS", "Row", "company_rows", "metric_rows", "plain_number"]

DERIVATIONS = ("filed", "ytd_difference", "fy_less_9m", "instant")


def plain_number(value: Decimal) -> str:
    """A decimal written without exponent or trailing zeros.

    >>> plain_number(Decimal("2452.99200")), plain_number(Decimal("1.4923E+4"))
    ('2452.992', '14923')
    """
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


@dataclass(frozen=True)
class Row:
    """One row of ``data/sec_filings.csv`` (columns: :data:`.schema.FILINGS_COLUMNS`).

    ``value`` is in ``unit`` (USD_m: millions of US dollars; USD: per share; shares_m:
    millions of shares), signs as filed (see :mod:`sheets.sources.sec.concepts`).
    """

    entity: str
    metric: str
    period: str
    value: Decimal
    unit: str
    derivation: str
    fiscal_label: str
    start: date | None
    end: date
    tag: str
    accn: str
    form: str
    filed: date
    restated: tuple[tuple[str, Decimal], ...] = ()

    def fields(self) -> list[str]:
        """The row as CSV cells."""
        return [
            self.entity,
            self.metric,
            self.period,
            plain_number(self.value),
            self.unit,
            self.derivation,
            self.fiscal_label,
            self.start.isoformat() if self.start else "",
            self.end.isoformat(),
            self.tag,
            self.accn,
            self.form,
            self.filed.isoformat(),
            ";".join(f"{a}:{plain_number(v)}" for a, v in self.restated),
        ]


def _order(fact: Fact) -> tuple[date, str]:
    return fact.order


def _rank(concept: Concept, facts_by_tag: dict[str, list[Fact]]) -> list[str]:
    """Candidate tags with facts, the one covering the latest period first (ties: list
    order)."""
    instant = concept.kind == "instant"
    latest: dict[str, date] = {}
    for tag in concept.tags:
        ends = [f.end for f in facts_by_tag.get(tag, ()) if (f.start is None) == instant]
        if ends:
            latest[tag] = max(ends)
    order = {tag: i for i, tag in enumerate(concept.tags)}
    return sorted(latest, key=lambda t: (-latest[t].toordinal(), order[t]))


def _slots(
    concept: Concept, facts_by_tag: dict[str, list[Fact]], cal: FiscalCalendar
) -> dict[tuple[str, int, int], list[Fact]]:
    """Facts by slot: ``("q"|"ytd"|"i", fiscal_year, quarter)`` -> facts of the
    highest-ranked tag that has the slot, oldest filing first."""
    slots: dict[tuple[str, int, int], list[Fact]] = {}
    for tag in _rank(concept, facts_by_tag):
        grouped: dict[tuple[str, int, int], list[Fact]] = defaultdict(list)
        for fact in facts_by_tag[tag]:
            if concept.kind == "instant":
                where = cal.quarter_of(fact.end) if fact.start is None else None
                if where:
                    grouped[("i", *where)].append(fact)
            elif fact.start is not None:
                slot = cal.classify(fact.start, fact.end)
                if slot is None:
                    continue
                if slot.months3:
                    grouped[("q", slot.fiscal_year, slot.quarter)].append(fact)
                if slot.ytd:
                    grouped[("ytd", slot.fiscal_year, slot.quarter)].append(fact)
        for key, facts in grouped.items():
            slots.setdefault(key, sorted(facts, key=_order))
    return slots


def _resolve(
    inputs: Sequence[list[Fact]], combine: Callable[[list[Decimal]], Decimal]
) -> tuple[Decimal, list[Fact], tuple[tuple[str, Decimal], ...]]:
    """Today's value from the latest fact of each input, the facts used, and the earlier
    different values (each as of a filing date, named by the latest input's accession)."""
    history: list[tuple[Decimal, list[Fact]]] = []
    for day in sorted({f.filed for facts in inputs for f in facts}):
        current = []
        for facts in inputs:
            known = [f for f in facts if f.filed <= day]
            if not known:
                break
            current.append(known[-1])
        else:
            history.append((combine([f.value for f in current]), current))
    value, final = history[-1]
    restated: list[tuple[str, Decimal]] = []
    previous: Decimal | None = None
    for old, used in history[:-1]:
        if old != value and old != previous:
            restated.append((max(used, key=_order).accn, old))
        previous = old
    return value, final, tuple(restated)


def _first(values: list[Decimal]) -> Decimal:
    return values[0]


def _difference(values: list[Decimal]) -> Decimal:
    return values[0] - values[1]


def metric_rows(
    company: Company, concept: Concept, facts_by_tag: dict[str, list[Fact]]
) -> list[Row]:
    """Every period's row of one metric for one company (sorted by period).

    Parameters
    ----------
    company : Company
        Gives the entity name, fiscal year end and filer type.
    concept : Concept
        The metric, its kind, unit and scale.
    facts_by_tag : dict
        Facts of the concept's candidate tags in its XBRL unit (missing tags may be absent).
    """
    cal = FiscalCalendar.from_mmdd(company.fiscal_year_end)
    slots = _slots(concept, facts_by_tag, cal)
    annual = company.filer == "annual"
    plans: list[tuple[str, list[list[Fact]], Callable[[list[Decimal]], Decimal], int, int]] = []
    for kind, year, quarter in sorted(slots, key=lambda k: (k[1], k[2], k[0])):
        key = (kind, year, quarter)
        if kind == "i":
            if not annual or quarter == 4:
                plans.append(("instant", [slots[key]], _first, year, quarter))
            continue
        if annual:
            if kind == "ytd" and quarter == 4:
                plans.append(("filed", [slots[key]], _first, year, quarter))
            continue
        if kind == "q":
            plans.append(("filed", [slots[key]], _first, year, quarter))
        elif concept.kind == "flow" and ("q", year, quarter) not in slots:
            before = slots.get(("ytd", year, quarter - 1))
            if before is not None and quarter in (2, 3):
                plans.append(("ytd_difference", [slots[key], before], _difference, year, quarter))
            elif before is not None and quarter == 4:
                plans.append(("fy_less_9m", [slots[key], before], _difference, year, quarter))
    rows: dict[str, Row] = {}
    for derivation, inputs, combine, year, quarter in plans:
        value, used, restated = _resolve(inputs, combine)
        start: date | None
        if derivation in ("filed", "instant"):
            start, end = used[0].start, used[0].end
        else:
            start, end = used[1].end + timedelta(days=1), used[0].end
        if annual:
            period, label = annual_period(start, end), fiscal_label(year)
        else:
            period = instant_period(end) if start is None else duration_period(start, end)
            label = fiscal_label(year, quarter)
        source = max(used, key=_order)
        scale = Decimal(concept.scale)
        row = Row(
            entity=company.entity,
            metric=concept.metric,
            period=period,
            value=value / scale,
            unit=concept.unit,
            derivation=derivation,
            fiscal_label=label,
            start=start,
            end=end,
            tag="|".join(dict.fromkeys(f.tag for f in used)),
            accn=source.accn,
            form=source.form,
            filed=source.filed,
            restated=tuple((a, v / scale) for a, v in restated),
        )
        if period not in rows or rows[period].end < end:
            rows[period] = row
    return [rows[p] for p in sorted(rows)]


def company_rows(facts: CompanyFacts) -> list[Row]:
    """Every metric's rows for one company, metrics in alphabetical order.

    Raises
    ------
    SecError
        A needed metric (capex, ocf, revenue) has no usable fact under any candidate tag.
    """
    out: list[Row] = []
    for concept in sorted(CONCEPTS, key=lambda c: c.metric):
        by_tag = {tag: facts.facts(tag, concept.xbrl_unit) for tag in concept.tags}
        rows = metric_rows(facts.company, concept, by_tag)
        if concept.needed and not rows:
            what = "fiscal-year" if facts.company.filer == "annual" else "quarterly"
            raise facts.error(
                f"no {what} {concept.metric} fact under any of {', '.join(concept.tags)}"
            )
        out.extend(rows)
    return out
