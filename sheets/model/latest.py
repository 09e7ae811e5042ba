"""The latest filed value of a series, found by position on ``sec_quarterly``.

An answer that starts from "the latest filed" balance reads it through three cells: the
timeline position of the latest quarter that holds a number (an array formula over the
series' whole column of the pivot), that quarter's label and the value. A refresh that
brings a quarter moves all three on; a company added to data/companies.csv adds columns
to the pivot and moves nothing, so no answer ever reads a fixed range of ``sec_filings``.

The Financing sheet's "Data presence" table uses the same three cells for every company
and metric an answer reads, and turns a missing, zero or stale value into an integrity
failure (:func:`write_presence`).
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import quote_sheetname

from sheets.model.base import Block, Check, Model, Writer, col, fmt_of
from sheets.model.timeline import PIVOT_FIRST_ROW, PIVOT_STEM, PivotLayout, quarterly_entities

__all__ = ["PRESENCE", "LatestCells", "latest_filed", "quarter_column", "write_presence"]


def quarter_column(pivot: PivotLayout) -> str:
    """The pivot's quarter labels (column A), one per timeline position."""
    return f"{quote_sheetname(PIVOT_STEM)}!$A${PIVOT_FIRST_ROW}:$A${pivot.last_row}"


@dataclass(frozen=True)
class LatestCells:
    """Absolute references (with the sheet) to the three cells of one latest value."""

    position: str
    quarter: str
    value: str


def latest_filed(
    model: Model, w: Writer, row: int, column: int, entity: str, metric: str, fmt: str
) -> LatestCells:
    """Write position, quarter and value of ``entity``'s latest filed ``metric`` in three
    cells of ``row`` from ``column`` on; empty text where nothing is filed."""
    pivot = model.pivot
    assert pivot is not None
    series = pivot.range(entity, metric)
    pos = f"${col(column)}${row}"
    w.array(
        row,
        column,
        1,
        1,
        f"=MAX(IF(ISNUMBER({series}),{pivot.numbers_range()},0))",
        fmt_of("count"),
    )
    w.put(row, column + 1, f'=IF({pos}>0,INDEX({quarter_column(pivot)},{pos}),"")')
    w.put(row, column + 2, f'=IF({pos}>0,INDEX({series},{pos}),"")', fmt, link=True)
    sheet = quote_sheetname(w.title)
    return LatestCells(
        f"{sheet}!{pos}",
        f"{sheet}!${col(column + 1)}${row}",
        f"{sheet}!${col(column + 2)}${row}",
    )


PRESENCE: dict[str, tuple[bool, int, str]] = {
    "capex": (False, 0, "every 10-Q/10-K files it"),
    "revenue": (False, 0, "every 10-Q/10-K files it"),
    "ocf": (False, 0, "every 10-Q/10-K files it"),
    "cash": (False, 0, "every balance sheet files it"),
    "long_term_debt": (
        False,
        1,
        "a 10-Q may not tag long-term debt (CoreWeave's 2026Q2 10-Q does not): the answer "
        "then starts from the quarter before, shown beside it",
    ),
    "interest_expense": (True, 0, "zero is plausible (Nebius 2023-24)"),
}
"""Per metric: (zero allowed, quarters it may lag the company's latest filed input, why)."""

ANSWER_INPUTS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("", ("capex", "revenue", "ocf"), "Capex answers"),
    ("CoreWeave", ("cash", "long_term_debt", "interest_expense"), "Financing and Neocloud"),
    ("Nebius", ("cash", "long_term_debt"), "Financing and Neocloud"),
)
"""(company, or "" for every quarterly filer; metrics; answers that read them)."""


def _presence_rows(model: Model) -> list[tuple[str, str, str]]:
    """(company, metric, answers) for every series an answer reads and data/ holds at build
    (a company not fetched yet has no expected values; it appears once fetched and rebuilt)."""
    frame = model.data.filings
    assert frame is not None
    filed = set(zip(frame["entity"], frame["metric"], strict=True))
    rows: list[tuple[str, str, str]] = []
    for entity in quarterly_entities(model.data):
        for metric in ANSWER_INPUTS[0][1]:
            if (entity, metric) in filed:
                rows.append((entity, metric, ANSWER_INPUTS[0][2]))
    for entity, metrics, answers in ANSWER_INPUTS[1:]:
        for metric in metrics:
            if (entity, metric) in filed and (entity, metric) not in {r[:2] for r in rows}:
                rows.append((entity, metric, answers))
    order = {e: i for i, e in enumerate(dict.fromkeys(e for e, _, _ in rows))}
    rows.sort(key=lambda r: order[r[0]])  # stable: each company's rows together
    return rows


def write_presence(model: Model, w: Writer) -> None:
    """The Data presence table and one integrity check per row (see the module doc)."""
    if model.pivot is None:
        return
    rows = _presence_rows(model)
    w.section(
        "Data presence: the latest filed quarter of every series an answer reads",
        "A missing value, a zero where zero is implausible, or a quarter older than the "
        "company's latest filed input (beyond the lag allowed) turns Check_Integrity FALSE "
        "with the row's company, metric and quarter.",
    )
    names = [
        "Position",
        "Latest filed quarter",
        "Value",
        "Company's latest input (position)",
        "Lag (quarters)",
        "Lag allowed",
        "Zero allowed",
        "Holds",
        "Read by",
    ]
    w.header("Company: metric", "", names)
    first, last = w.labels([f"{e}: {m}" for e, m, _ in rows])
    c = {name: Writer.FIRST + j for j, name in enumerate(names)}
    spans: dict[str, tuple[int, int]] = {}
    for i, (entity, _, _) in enumerate(rows):
        lo, hi = spans.get(entity, (first + i, first + i))
        spans[entity] = (min(lo, first + i), max(hi, first + i))
    for i, (entity, metric, answers) in enumerate(rows):
        r = first + i
        zero_ok, lag_ok, why = PRESENCE[metric]
        latest_filed(model, w, r, c["Position"], entity, metric, fmt_of("USD_m"))
        lo, hi = spans[entity]
        pos = f"{col(c['Position'])}{r}"
        w.put(
            r,
            c["Company's latest input (position)"],
            f"=MAX(${col(c['Position'])}${lo}:${col(c['Position'])}${hi})",
            "0",
        )
        w.put(r, c["Lag (quarters)"], f"={col(c[names[3]])}{r}-{pos}", "0")
        w.ws.cell(row=r, column=c["Lag allowed"], value=lag_ok)
        w.ws.cell(row=r, column=c["Zero allowed"], value=zero_ok)
        value = f"{col(c['Value'])}{r}"
        w.put(
            r,
            c["Holds"],
            f"=AND({pos}>0,ISNUMBER({value}),OR({col(c['Zero allowed'])}{r},{value}<>0),"
            f"{col(c['Lag (quarters)'])}{r}<={col(c['Lag allowed'])}{r})",
        )
        w.ws.cell(row=r, column=c["Read by"], value=f"{answers}; {why}")
        sheet = quote_sheetname(w.title)
        at = {k: f"{sheet}!${col(c[k])}${r}" for k in ("Latest filed quarter", "Value")}
        lag = f"{sheet}!${col(c['Lag (quarters)'])}${r}"
        model.checks.append(
            Check(
                label=f"Data present: {entity} {metric} at its latest filed quarter",
                model=f"IF({sheet}!${col(c['Holds'])}${r},0,1)",
                reported="",
                tolerance=0.0,
                tolerance_note="",
                source=f"{w.title} row {r}: sec_quarterly",
                number_format="0",
                group="integrity",
                detail=(
                    f'"{entity} {metric}, latest filed "&{at["Latest filed quarter"]}'
                    f'&", value "&{at["Value"]}&", lag "&{lag}&" quarter(s)"'
                ),
            )
        )
    model.blocks["presence"] = Block(w.title, first, last, c)
