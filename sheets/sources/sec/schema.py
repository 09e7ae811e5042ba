"""The two files the filings layer writes, their columns, and strict loaders for them.

``data/companies.csv`` (one row per company)::

    ticker,cik,entity,fiscal_year_end,filer,note

``data/sec_filings.csv`` (one row per entity, metric, period; sorted by entity in
companies.csv order, then metric alphabetically, then period)::

    entity,metric,period,value,unit,derivation,fiscal_label,start,end,tag,accn,form,filed,restated

* ``period``: ``2025Q3``, the calendar quarter holding the midpoint of start..end (a
  balance: the quarter holding end - 45 days); ``2024`` for annual-only filers.
* ``value`` in ``unit``: ``USD_m`` (money, millions, unrounded), ``USD`` (EPS, per share),
  ``shares_m`` (diluted weighted shares, millions). Signs as filed (capex positive).
* ``derivation``: ``filed``, ``ytd_difference``, ``fy_less_9m`` or ``instant``.
* ``fiscal_label``: ``FY26Q1`` (quarter) or ``FY2024`` (annual filer).
* ``start`` (empty for a balance) and ``end``: ISO dates of the period covered.
* ``tag``: the us-gaap tag (a derived value whose inputs come from two tags names both,
  ``A|B``); ``accn``, ``form``, ``filed``: the latest filing that supplied the value.
* ``restated``: empty, or earlier different values ``accn:value;accn:value`` (in ``unit``).

Problems raise :class:`sheets.sources.csvio.DataError` with ``file, line N, column C: problem``.
"""

from __future__ import annotations

import csv
import io
import math
import re
from datetime import date
from pathlib import Path

import pandas as pd

from sheets.sources.csvio import DataError, decode, show
from sheets.sources.sec.concepts import CONCEPTS, METRICS
from sheets.sources.sec.periods import annual_period, duration_period, instant_period
from sheets.sources.sec.series import DERIVATIONS
from sheets.sources.units import UNITS

__all__ = [
    "COMPANIES_COLUMNS",
    "FILERS",
    "FILINGS_COLUMNS",
    "FILINGS_KEY",
    "load_companies",
    "load_filings",
]

COMPANIES_COLUMNS: tuple[str, ...] = (
    "ticker",
    "cik",
    "entity",
    "fiscal_year_end",
    "filer",
    "note",
)
FILINGS_COLUMNS: tuple[str, ...] = (
    "entity",
    "metric",
    "period",
    "value",
    "unit",
    "derivation",
    "fiscal_label",
    "start",
    "end",
    "tag",
    "accn",
    "form",
    "filed",
    "restated",
)
FILINGS_KEY: tuple[str, ...] = ("entity", "metric", "period")
FILERS = ("quarterly", "annual")

_TICKER = re.compile(r"^[A-Z][A-Z.]{0,9}$")
_CIK = re.compile(r"^\d{10}$")
_MMDD = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
_QUARTER = re.compile(r"^(19|20)\d\dQ[1-4]$")
_YEAR = re.compile(r"^(19|20)\d\d$")
_FQ = re.compile(r"^FY\d\dQ[1-4]$")
_FY = re.compile(r"^FY(19|20)\d\d$")
_TAG = re.compile(r"^[A-Z][A-Za-z0-9]*(\|[A-Z][A-Za-z0-9]*)?$")
_ACCN = re.compile(r"^\d{10}-\d{2}-\d{6}$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
# The SEC forms a company-facts value can come from: the periodic reports of domestic
# (10-K, 10-Q and their transition versions 10-KT, 10-QT) and foreign filers (20-F, 40-F,
# 6-K), and the two other forms SEC's company facts carry financial statements from for
# these companies: 8-K (Microsoft's and Alphabet's recast statements, e.g. accession
# 0000950170-24-132722) and DEF 14A (the pay-versus-performance table's net income, e.g.
# Amazon's 0001104659-26-041026). Each may be amended (``/A``).
BASE_FORMS = ("10-K", "10-Q", "10-KT", "10-QT", "20-F", "40-F", "6-K", "8-K", "DEF 14A")
FORMS = frozenset(BASE_FORMS + tuple(f"{f}/A" for f in BASE_FORMS))
_UNIT_OF = {c.metric: c.unit for c in CONCEPTS}
_KIND_OF = {c.metric: c.kind for c in CONCEPTS}


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """The file's data rows as (line, cells) after checking encoding, CSV and header."""
    text = decode(path, path.read_bytes())
    if not text.strip():
        raise DataError(path, "is empty; expected a header row and at least one data row")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    out: list[tuple[int, dict[str, str]]] = []
    try:
        header = [h.strip() for h in next(reader)]
        missing = [c for c in columns if c not in header]
        if missing:
            raise DataError(path, f"missing column {missing[0]}", 1, missing[0])
        extra = [c for c in header if c not in columns]
        if extra:
            raise DataError(path, f"unexpected column {extra[0]!r}", 1, extra[0] or "(blank)")
        if header != list(columns):
            raise DataError(path, "columns out of order; expected " + ",".join(columns), 1)
        for row in reader:
            if not row or not any(cell.strip() for cell in row):
                continue
            if len(row) != len(columns):
                raise DataError(
                    path, f"has {len(row)} fields, expected {len(columns)}", reader.line_num
                )
            out.append((reader.line_num, {c: v.strip() for c, v in zip(columns, row, strict=True)}))
    except csv.Error as err:
        raise DataError(path, f"is not valid CSV ({err})", reader.line_num) from None
    if not out:
        raise DataError(path, "has a header but no data rows")
    return out


def _match(path: Path, line: int, row: dict[str, str], col: str, pattern, what: str) -> str:
    value = row[col]
    if not value:
        raise DataError(path, "is empty; a value is required", line, col)
    if not pattern.match(value):
        raise DataError(path, f"must be {what} (got {show(value)})", line, col)
    return value


def _iso(path: Path, line: int, row: dict[str, str], col: str) -> date:
    value = row[col]
    if not value:
        raise DataError(path, "is empty; a date YYYY-MM-DD is required", line, col)
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise DataError(path, f"must be a date YYYY-MM-DD (got {show(value)})", line, col) from None


def _unique(
    path: Path, seen: dict[tuple[str, ...], int], key: tuple[str, ...], line: int, col: str
) -> None:
    if key in seen:
        raise DataError(path, f"duplicate {'/'.join(key)} (first on line {seen[key]})", line, col)
    seen[key] = line


def load_companies(path: Path | str) -> pd.DataFrame:
    """Read and validate ``data/companies.csv``.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`COMPANIES_COLUMNS` as text, plus ``csv_line``.

    Raises
    ------
    DataError
        The first problem, as ``file, line N, column C: problem``.
    """
    path = Path(path)
    records = []
    seen: dict[str, dict[tuple[str, ...], int]] = {"ticker": {}, "cik": {}, "entity": {}}
    for line, row in _rows(path, COMPANIES_COLUMNS):
        _match(path, line, row, "ticker", _TICKER, "an upper-case ticker such as MSFT")
        _match(path, line, row, "cik", _CIK, "a 10-digit CIK with leading zeros")
        if not row["entity"]:
            raise DataError(path, "is empty; a value is required", line, "entity")
        _match(path, line, row, "fiscal_year_end", _MMDD, "MM-DD, e.g. 06-30")
        try:
            date(2024, *(int(p) for p in row["fiscal_year_end"].split("-")))
        except ValueError:
            raise DataError(
                path,
                f"is not a day of the year (got {show(row['fiscal_year_end'])})",
                line,
                "fiscal_year_end",
            ) from None
        if row["filer"] not in FILERS:
            raise DataError(
                path,
                f"must be one of {', '.join(FILERS)} (got {show(row['filer'])})",
                line,
                "filer",
            )
        for col in seen:
            _unique(path, seen[col], (row[col],), line, col)
        records.append({**row, "csv_line": line})
    frame = pd.DataFrame.from_records(records, columns=[*COMPANIES_COLUMNS, "csv_line"])
    return frame.astype({"csv_line": "int64"})


def _check_period(
    path: Path, line: int, row: dict[str, str], start: date | None, end: date
) -> None:
    period = row["period"]
    if _QUARTER.match(period):
        expected = duration_period(start, end) if start else instant_period(end)
        rule = "midpoint of start..end" if start else "end - 45 days"
        if not _FQ.match(row["fiscal_label"]):
            raise DataError(
                path,
                f"must be a fiscal quarter such as FY26Q1 for a quarterly period "
                f"(got {show(row['fiscal_label'])})",
                line,
                "fiscal_label",
            )
    elif _YEAR.match(period):
        expected = annual_period(start, end)
        rule = "year of the midpoint" if start else "year of end - 45 days"
        if not _FY.match(row["fiscal_label"]):
            raise DataError(
                path,
                f"must be a fiscal year such as FY2024 for an annual period "
                f"(got {show(row['fiscal_label'])})",
                line,
                "fiscal_label",
            )
    else:
        raise DataError(path, f"must be YYYYQn or YYYY (got {show(period)})", line, "period")
    if period != expected:
        raise DataError(
            path,
            f"{period} does not match the dates {start or ''}..{end} ({rule} gives {expected})",
            line,
            "period",
        )


def _check_filing_row(path: Path, line: int, row: dict[str, str]) -> tuple[float, dict]:
    for col in ("entity", "metric", "period", "value", "unit", "derivation"):
        if not row[col]:
            raise DataError(path, "is empty; a value is required", line, col)
    metric = row["metric"]
    if metric not in METRICS:
        raise DataError(
            path, f"must be one of {', '.join(METRICS)} (got {show(metric)})", line, "metric"
        )
    text = row["value"]
    if not _NUMBER.match(text) or not math.isfinite(value := float(text)):
        raise DataError(path, f"must be a plain number (got {show(text)})", line, "value")
    if row["unit"] not in UNITS or row["unit"] != _UNIT_OF[metric]:
        raise DataError(
            path,
            f"must be {_UNIT_OF[metric]} for {metric} (got {show(row['unit'])})",
            line,
            "unit",
        )
    derivation = row["derivation"]
    if derivation not in DERIVATIONS:
        raise DataError(
            path,
            f"must be one of {', '.join(DERIVATIONS)} (got {show(derivation)})",
            line,
            "derivation",
        )
    kind = _KIND_OF[metric]
    allowed = {
        "instant": ("instant",),
        "ratio": ("filed",),
        "flow": ("filed", "ytd_difference", "fy_less_9m"),
    }[kind]
    if derivation not in allowed:
        raise DataError(
            path,
            f"{metric} can only be {' or '.join(allowed)} (got {show(derivation)})",
            line,
            "derivation",
        )
    end = _iso(path, line, row, "end")
    start: date | None = None
    if derivation == "instant":
        if row["start"]:
            raise DataError(path, "must be empty for a balance (instant)", line, "start")
    else:
        start = _iso(path, line, row, "start")
        if start > end:
            raise DataError(path, f"start {start} is after end {end}", line, "start")
    _check_period(path, line, row, start, end)
    _match(path, line, row, "tag", _TAG, "a us-gaap tag such as Revenues (or two, A|B)")
    _match(path, line, row, "accn", _ACCN, "an accession number 0000000000-00-000000")
    if row["form"] not in FORMS:
        raise DataError(
            path,
            f"must be an SEC form: {', '.join(BASE_FORMS)}, or one of them amended (/A) "
            f"(got {show(row['form'])})",
            line,
            "form",
        )
    filed = _iso(path, line, row, "filed")
    if filed < end:
        raise DataError(path, f"filing date {filed} is before the period end {end}", line, "filed")
    if row["restated"]:
        for part in row["restated"].split(";"):
            accn, _, number = part.partition(":")
            if not _ACCN.match(accn) or not _NUMBER.match(number):
                raise DataError(
                    path,
                    f"must be accn:value;accn:value (got {show(part)})",
                    line,
                    "restated",
                )
    parsed = {"start": start, "end": end, "filed": filed}
    return value, parsed


def load_filings(path: Path | str, companies: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read and validate ``data/sec_filings.csv``.

    Parameters
    ----------
    path : path
        The file.
    companies : pandas.DataFrame, optional
        :func:`load_companies`' frame; when given, every entity must be one of its
        entities and periods must be quarters for quarterly filers, years for annual.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`FILINGS_COLUMNS`: ``value`` as float64 (in ``unit``), the
        rest as text (dates ISO ``YYYY-MM-DD``, empty text for an empty cell), plus
        ``csv_line``.

    Raises
    ------
    DataError
        The first problem, as ``file, line N, column C: problem``.
    """
    path = Path(path)
    filer_of: dict[str, str] | None = None
    if companies is not None:
        filer_of = dict(zip(companies["entity"], companies["filer"], strict=True))
    records = []
    seen: dict[tuple[str, ...], int] = {}
    for line, row in _rows(path, FILINGS_COLUMNS):
        value, _ = _check_filing_row(path, line, row)
        if filer_of is not None:
            entity = row["entity"]
            if entity not in filer_of:
                raise DataError(
                    path, f"unknown entity {show(entity)}; see companies.csv", line, "entity"
                )
            pattern = _QUARTER if filer_of[entity] == "quarterly" else _YEAR
            if not pattern.match(row["period"]):
                raise DataError(
                    path,
                    f"{entity} files {filer_of[entity]}: period {show(row['period'])} "
                    f"must be {'YYYYQn' if filer_of[entity] == 'quarterly' else 'YYYY'}",
                    line,
                    "period",
                )
        _unique(path, seen, tuple(row[c] for c in FILINGS_KEY), line, "entity,metric,period")
        records.append({**row, "value": value, "csv_line": line})
    frame = pd.DataFrame.from_records(records, columns=[*FILINGS_COLUMNS, "csv_line"])
    return frame.astype({"value": "float64", "csv_line": "int64"})
