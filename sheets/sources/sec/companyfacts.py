"""Parse and validate one SEC company-facts JSON document.

Layout (``https://data.sec.gov/api/xbrl/companyfacts/CIK##########.json``)::

    {"cik": 1652044, "entityName": "ALPHABET INC.",
     "facts": {"us-gaap": {"<Tag>": {"label": ..., "description": ...,
                                     "units": {"USD": [{"start": "2025-01-01",
                                                        "end": "2025-03-31",
                                                        "val": 17197000000,
                                                        "accn": "0001652044-25-000043",
                                                        "fy": 2025, "fp": "Q1",
                                                        "form": "10-Q",
                                                        "filed": "2025-04-25",
                                                        "frame": "CY2025Q1"}, ...]}}}}}

``start`` is absent for instants. ``fy``, ``fp`` and ``frame`` are not used (they describe
the filing, see :mod:`sheets.sources.sec.periods`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sheets.sources.sec.companies import Company
from sheets.sources.sec.errors import SecError

__all__ = ["CompanyFacts", "Fact", "parse_companyfacts"]


@dataclass(frozen=True)
class Fact:
    """One filed value of one tag.

    Attributes
    ----------
    tag : str
        The us-gaap tag.
    start : datetime.date or None
        First day of a duration; None for an instant.
    end : datetime.date
        Last day of a duration, or the date of an instant.
    value : decimal.Decimal
        As filed, in the XBRL unit (US dollars, shares, US dollars per share), exact.
    accn, form : str
        Accession number and form (10-Q, 10-K, 20-F, 8-K...) of the filing.
    filed : datetime.date
        Filing date.
    """

    tag: str
    start: date | None
    end: date
    value: Decimal
    accn: str
    form: str
    filed: date

    @property
    def order(self) -> tuple[date, str]:
        """Sort key: filing date, then accession number (later filing last)."""
        return (self.filed, self.accn)


@dataclass(frozen=True)
class CompanyFacts:
    """A validated company-facts document of one company.

    Attributes
    ----------
    company : Company
    source : str
        The file or URL it came from (for error messages).
    document : dict
        The decoded JSON.
    """

    company: Company
    source: str
    document: dict[str, Any]

    def error(self, problem: str) -> SecError:
        """A :class:`SecError` naming this company and source."""
        return SecError(self.company.label, self.source, problem)

    def facts(self, tag: str, unit: str, taxonomy: str = "us-gaap") -> list[Fact]:
        """Every fact of ``taxonomy:tag`` in ``unit`` (empty if not filed), validated."""
        entry = self.document["facts"].get(taxonomy, {}).get(tag)
        if entry is None:
            return []
        if not isinstance(entry, dict) or not isinstance(entry.get("units"), dict):
            raise self.error(f"{taxonomy}:{tag} has no 'units' object")
        rows = entry["units"].get(unit)
        if rows is None:
            return []
        if not isinstance(rows, list):
            raise self.error(f"{taxonomy}:{tag} units {unit} is not a list of facts")
        return [self._fact(tag, unit, i, r) for i, r in enumerate(rows)]

    def _fact(self, tag: str, unit: str, index: int, raw: Any) -> Fact:
        where = f"{tag} {unit} fact {index + 1}"
        if not isinstance(raw, dict):
            raise self.error(f"{where} is not an object")
        try:
            val = raw["val"]
            if isinstance(val, bool) or not isinstance(val, (int, float)):
                raise ValueError(f"val {val!r} is not a number")
            value = Decimal(val) if isinstance(val, int) else Decimal(repr(val))
            if not value.is_finite():
                raise ValueError(f"val {val!r} is not finite")
            start = _date(raw["start"]) if raw.get("start") is not None else None
            end = _date(raw["end"])
            if start is not None and start > end:
                raise ValueError(f"start {raw['start']} is after end {raw['end']}")
            accn, form = raw["accn"], raw.get("form") or ""
            if not isinstance(accn, str) or not accn or not isinstance(form, str):
                raise ValueError("accn/form must be text")
            return Fact(tag, start, end, value, accn, form, _date(raw["filed"]))
        except KeyError as err:
            raise self.error(f"{where} has no {err.args[0]!r}") from None
        except (TypeError, ValueError) as err:
            raise self.error(f"{where}: {err}") from None


def _date(text: Any) -> date:
    if not isinstance(text, str):
        raise ValueError(f"date {text!r} is not text")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO date") from None


def parse_companyfacts(raw: bytes | str, company: Company, source: str) -> CompanyFacts:
    """Decode and check a company-facts document for ``company``.

    Parameters
    ----------
    raw : bytes or str
        The JSON as served (UTF-8).
    company : Company
        Whose facts these should be; the document's ``cik`` must match.
    source : str
        The file or URL, named in error messages.

    Raises
    ------
    SecError
        Not JSON (truncated or damaged), not a company-facts document, or another
        company's facts.
    """

    def fail(problem: str) -> SecError:
        return SecError(company.label, source, problem)

    try:
        document = json.loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
    except UnicodeDecodeError as err:
        raise fail(f"is not UTF-8 text ({err.reason} at byte {err.start})") from None
    except json.JSONDecodeError as err:
        raise fail(
            f"is not valid JSON, truncated or damaged ({err.msg} at line {err.lineno}, "
            f"column {err.colno})"
        ) from None
    if not isinstance(document, dict) or not isinstance(document.get("facts"), dict):
        keys = ", ".join(list(document)[:4]) if isinstance(document, dict) else type(document)
        raise fail(f"is not SEC company facts (no 'facts' object; found {keys})")
    cik = document.get("cik")
    try:
        cik_number = int(cik)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise fail(f"is not SEC company facts ('cik' is {cik!r})") from None
    if cik_number != int(company.cik):
        name = document.get("entityName", "?")
        raise fail(f"holds the facts of CIK {cik_number} ({name}), not CIK {company.cik}")
    for taxonomy, tags in document["facts"].items():
        if not isinstance(tags, dict):
            raise fail(f"is not SEC company facts (facts.{taxonomy} is not an object)")
    return CompanyFacts(company, source, document)
