"""Read and validate every CSV in data/ into typed pandas frames.

Each file holds one number per row in the long layout that ``data/README.md`` documents.
Validation is strict and its message is one line naming the file, line and column::

    data/t02_capex_ratios.csv, line 7, column value: must be a number (got 'n/a')

Nothing from a file reaches the workbook unless every file passes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sheets.sources.csvio import DataError, decode, show
from sheets.sources.filed_facts import FILED_LOADERS
from sheets.sources.sec.schema import load_companies, load_filings
from sheets.sources.units import UNITS

__all__ = [
    "COLUMNS",
    "KEY",
    "DataError",
    "DataSet",
    "data_stamp",
    "load_data",
    "load_file",
]

COLUMNS: tuple[str, ...] = (
    "entity",
    "metric",
    "period",
    "value",
    "unit",
    "kind",
    "basis",
    "period_basis",
    "fiscal_label",
    "seed_table",
    "seed_line",
    "note",
)
KEY: tuple[str, ...] = ("entity", "metric", "period")
KINDS = ("input", "reported")
BASES = ("actual", "estimate", "guidance")
PERIOD_BASES = ("calendar", "fiscal", "none")
REQUIRED_TEXT = ("entity", "metric", "unit", "kind", "basis", "period_basis", "seed_table")

_STEM = re.compile(r"^[a-z0-9_]{1,31}$")
_METRIC = re.compile(r"^[a-z][a-z0-9_]*$")
_PERIODS = (
    re.compile(r"^(19|20)\d\d$"),  # a year
    re.compile(r"^(19|20)\d\dQ[1-4]$"),  # a calendar-aligned quarter
    re.compile(r"^(19|20)\d\d-(0[1-9]|1[0-2])$"),  # a month
    re.compile(r"^(19|20)\d\d-(19|20)\d\d$"),  # a span of years
)


FILINGS_STEM = "sec_filings"
"""The filings file (``aimodel fetch`` writes it), in its own layout (sec/schema.py)."""
COMPANIES_STEM = "companies"
"""The companies file (ticker, CIK, fiscal year end), in its own layout."""


@dataclass(frozen=True)
class DataSet:
    """Every validated data file.

    ``frames`` holds the seed's tables by file stem (``t01_hyperscaler_capex``), in name
    order, all in the long layout of :data:`COLUMNS`; ``companies`` and ``filings`` hold
    ``companies.csv`` and ``sec_filings.csv`` (their layouts are in
    :mod:`sheets.sources.sec.schema`), or None when the folder has no such file; ``filed`` the
    10-K facts present (:mod:`sheets.sources.filed_facts`).
    """

    directory: Path
    frames: dict[str, pd.DataFrame]
    companies: pd.DataFrame | None = None
    filings: pd.DataFrame | None = None
    filed: dict[str, pd.DataFrame] = field(default_factory=dict)
    """10-K facts by stem (``life_changes``, ``pp_e_facts``): sheets/sources/filed_facts.py."""

    def __iter__(self):
        return iter(self.frames.items())

    def frame(self, stem: str) -> pd.DataFrame:
        """One file's frame; KeyError names the missing file."""
        try:
            return self.frames[stem]
        except KeyError:
            raise KeyError(f"no data file {stem}.csv in {self.directory}") from None


def _period_ok(period: str) -> bool:
    if not any(p.match(period) for p in _PERIODS):
        return False
    if len(period) == 9 and period[4] == "-":  # span: start <= end
        return period[:4] <= period[5:]
    return True


def _decimals(text: str) -> int:
    """Decimal places of a number as written: ``"0.61"`` -> 2, ``"14925"`` -> 0."""
    mantissa = text.lower().split("e")[0]
    return len(mantissa.split(".")[1]) if "." in mantissa else 0


def _check_header(path: Path, header: list[str]) -> None:
    header = [h.strip() for h in header]
    if len(header) == 1 and any(sep in header[0] for sep in (";", "\t", "|")):
        raise DataError(path, "is not comma-delimited (header has no commas)", 1)
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise DataError(path, f"missing column {missing[0]}", 1, missing[0])
    extra = [c for c in header if c not in COLUMNS]
    if extra:
        raise DataError(path, f"unexpected column {extra[0]!r}", 1, extra[0] or "(blank)")
    if header != list(COLUMNS):
        raise DataError(path, "columns out of order; expected " + ",".join(COLUMNS), 1)


def _check_row(path: Path, line: int, row: dict[str, str]) -> tuple[float, int]:
    for col in REQUIRED_TEXT:
        if not row[col]:
            raise DataError(path, "is empty; a value is required", line, col)
    if not _METRIC.match(row["metric"]):
        raise DataError(path, f"must be snake_case (got {show(row['metric'])})", line, "metric")
    period = row["period"]
    if period and not _period_ok(period):
        raise DataError(
            path,
            f"must be YYYY, YYYYQn, YYYY-MM or YYYY-YYYY (got {show(period)})",
            line,
            "period",
        )
    try:
        value = float(row["value"])
    except ValueError:
        raise DataError(
            path, f"must be a number (got {show(row['value'])})", line, "value"
        ) from None
    if not math.isfinite(value):
        raise DataError(path, f"must be a finite number (got {show(row['value'])})", line, "value")
    if row["unit"] not in UNITS:
        raise DataError(
            path, f"unknown unit {show(row['unit'])}; see sheets/sources/units.py", line, "unit"
        )
    for col, allowed in (("kind", KINDS), ("basis", BASES), ("period_basis", PERIOD_BASES)):
        if row[col] not in allowed:
            raise DataError(
                path, f"must be one of {', '.join(allowed)} (got {show(row[col])})", line, col
            )
    if (row["period_basis"] == "none") != (not period):
        raise DataError(path, "must be 'none' exactly when period is empty", line, "period_basis")
    text = row["seed_line"]
    if not text.isdigit() or int(text) < 1:
        raise DataError(path, f"must be a line number >= 1 (got {show(text)})", line, "seed_line")
    return value, int(text)


def load_file(path: Path | str) -> pd.DataFrame:
    """Read one data file and validate it; raise :class:`DataError` on the first problem.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`COLUMNS`: ``value`` as float64, ``seed_line`` as int64,
        the rest as text (empty text where the file leaves a cell empty), plus
        ``csv_line``, the line of the file each row came from.
    """
    path = Path(path)
    text = decode(path, path.read_bytes())
    if not text.strip():
        raise DataError(path, "is empty; expected a header row and at least one data row")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
        _check_header(path, header)
        records: list[dict[str, object]] = []
        seen: dict[tuple[str, ...], int] = {}
        for row in reader:
            line = reader.line_num
            if not row or not any(cell.strip() for cell in row):
                continue
            if len(row) != len(COLUMNS):
                raise DataError(path, f"has {len(row)} fields, expected {len(COLUMNS)}", line)
            fields = {c: v.strip() for c, v in zip(COLUMNS, row, strict=True)}
            value, seed_line = _check_row(path, line, fields)
            key = tuple(fields[c] for c in KEY)
            if key in seen:
                raise DataError(
                    path,
                    f"duplicate key {'/'.join(key)} (first on line {seen[key]})",
                    line,
                    "entity,metric,period",
                )
            seen[key] = line
            records.append(
                {
                    **fields,
                    "value": value,
                    "seed_line": seed_line,
                    "csv_line": line,
                    "decimals": _decimals(fields["value"]),
                }
            )
    except csv.Error as err:
        raise DataError(path, f"is not valid CSV ({err})", reader.line_num) from None
    if not records:
        raise DataError(path, "has a header but no data rows")
    frame = pd.DataFrame.from_records(records, columns=[*COLUMNS, "csv_line", "decimals"])
    return frame.astype(
        {"value": "float64", "seed_line": "int64", "csv_line": "int64", "decimals": "int64"}
    )


def load_data(directory: Path | str) -> DataSet:
    """Load every ``*.csv`` in ``directory`` (in name order) and validate each one."""
    directory = Path(directory)
    if not directory.is_dir():
        raise DataError(directory, "is not a folder of data files")
    paths = sorted(directory.glob("*.csv"))
    if not paths:
        raise DataError(directory, "holds no .csv data files")
    for p in paths:
        if not _STEM.match(p.stem):
            raise DataError(
                p,
                "file name must be lower-case letters, digits and _ "
                "(at most 31 characters: it becomes a sheet name)",
            )
    special = {COMPANIES_STEM, FILINGS_STEM, *FILED_LOADERS}
    companies = None
    if (directory / f"{COMPANIES_STEM}.csv").is_file():
        companies = load_companies(directory / f"{COMPANIES_STEM}.csv")
    filings = None
    if (directory / f"{FILINGS_STEM}.csv").is_file():
        if companies is None:
            raise DataError(
                directory / f"{FILINGS_STEM}.csv", f"needs {COMPANIES_STEM}.csv beside it"
            )
        filings = load_filings(directory / f"{FILINGS_STEM}.csv", companies)
    frames = {p.stem: load_file(p) for p in paths if p.stem not in special}
    filed = {p.stem: FILED_LOADERS[p.stem](p) for p in paths if p.stem in FILED_LOADERS}
    return DataSet(directory, frames, companies, filings, filed)


SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"


def data_stamp(data: DataSet) -> dt.datetime:
    """The time written into the workbook (document dates and zip entries), from data/.

    ``SOURCE_DATE_EPOCH`` (seconds since 1970, UTC; the reproducible-builds convention)
    when set; otherwise the latest filing date in data/sec_filings.csv at 00:00 UTC;
    1980-01-01 when data/ has no filings. The same data/ gives the same bytes.
    """
    epoch = os.environ.get(SOURCE_DATE_EPOCH, "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
        except (ValueError, OverflowError, OSError):
            raise DataError(
                SOURCE_DATE_EPOCH,
                f"must be a whole number of seconds since 1970 (got {show(epoch)})",
            ) from None
    if data.filings is not None and len(data.filings):
        return dt.datetime.fromisoformat(str(data.filings["filed"].max()))
    return dt.datetime(1980, 1, 1)
