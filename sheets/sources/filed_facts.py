"""The 10-K facts the company-facts feed does not hold: data/life_changes.csv and
data/pp_e_facts.csv (copied from ../shared/filings with their provenance).

``life_changes.csv``: one row per useful-life change of a class of assets::

    company,cik,effective,fiscal_label,assets,asset_class,life_from_years,life_to_years,
    effect_usd_m,effect_measure,effect_period,accession,form,status,note

``asset_class`` is ``servers``, ``network``, ``subset`` (a share of both moving together,
Amazon 2025) or ``other``; lives in years (blank where the filing gives none); the
effect in US$ millions, positive = lower depreciation.

``pp_e_facts.csv``: one figure per row::

    company,cik,period,period_basis,metric,value_usd_m,accession,form,note

``period``: ``2024`` (calendar year), ``FY2024`` (fiscal year), ``2022H1`` (first half of
a calendar year) or ``2024-12-31`` (a balance).

Every row names the filing it was read from: a SEC accession number
``##########-##-######`` and the form. Problems raise
:class:`sheets.sources.csvio.DataError` naming file, line and column.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from sheets.sources.csvio import DataError
from sheets.sources.csvio import show as _show
from sheets.sources.sec.schema import _iso, _match, _rows

__all__ = [
    "ASSET_CLASSES",
    "FILED_LOADERS",
    "LIFE_CHANGES_COLUMNS",
    "LIFE_CHANGES_STEM",
    "PPE_FACTS_COLUMNS",
    "PPE_FACTS_STEM",
    "load_life_changes",
    "load_ppe_facts",
]

LIFE_CHANGES_STEM = "life_changes"
PPE_FACTS_STEM = "pp_e_facts"
LIFE_CHANGES_COLUMNS = (
    "company",
    "cik",
    "effective",
    "fiscal_label",
    "assets",
    "asset_class",
    "life_from_years",
    "life_to_years",
    "effect_usd_m",
    "effect_measure",
    "effect_period",
    "accession",
    "form",
    "status",
    "note",
)
PPE_FACTS_COLUMNS = (
    "company",
    "cik",
    "period",
    "period_basis",
    "metric",
    "value_usd_m",
    "accession",
    "form",
    "note",
)
ASSET_CLASSES = ("servers", "network", "subset", "other")
_CIK = re.compile(r"^\d{10}$")
_ACCN = re.compile(r"^\d{10}-\d{2}-\d{6}$")
_METRIC = re.compile(r"^[a-z][a-z0-9_]*$")
_PERIOD = re.compile(r"^((19|20)\d\d(H1)?|FY(19|20)\d\d|(19|20)\d\d-\d\d-\d\d)$")


def _number(path: Path, line: int, row: dict[str, str], col: str, required: bool) -> float:
    text = row[col]
    if not text:
        if required:
            raise DataError(path, "is empty; a number is required", line, col)
        return float("nan")
    try:
        value = float(text)
    except ValueError:
        raise DataError(path, f"must be a number (got {_show(text)})", line, col) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise DataError(path, f"must be finite (got {_show(text)})", line, col)
    return value


def _common(path: Path, line: int, row: dict[str, str]) -> None:
    if not row["company"]:
        raise DataError(path, "is empty; a value is required", line, "company")
    _match(path, line, row, "cik", _CIK, "a 10-digit CIK with leading zeros")
    _match(path, line, row, "accession", _ACCN, "an accession number ##########-##-######")
    if not row["form"]:
        raise DataError(path, "is empty; the form (10-K FY2024) is required", line, "form")


def load_life_changes(path: Path | str) -> pd.DataFrame:
    """Read and validate ``data/life_changes.csv``; lives and effects as floats (NaN blank)."""
    path = Path(path)
    records = []
    for line, row in _rows(path, LIFE_CHANGES_COLUMNS):
        _common(path, line, row)
        _iso(path, line, row, "effective")
        if row["asset_class"] not in ASSET_CLASSES:
            raise DataError(
                path,
                f"must be one of {', '.join(ASSET_CLASSES)} (got {_show(row['asset_class'])})",
                line,
                "asset_class",
            )
        rec: dict[str, object] = dict(row)
        for col in ("life_from_years", "life_to_years", "effect_usd_m"):
            rec[col] = _number(path, line, row, col, required=False)
        for col in ("life_from_years", "life_to_years"):
            v = rec[col]
            if v == v and not 0 < float(v) <= 50:  # type: ignore[arg-type]
                raise DataError(path, f"must be a life in years, 0-50 (got {v})", line, col)
        rec["csv_line"] = line
        records.append(rec)
    if not records:
        raise DataError(path, "has a header but no data rows")
    return pd.DataFrame.from_records(records)


def load_ppe_facts(path: Path | str) -> pd.DataFrame:
    """Read and validate ``data/pp_e_facts.csv``; ``value_usd_m`` as float."""
    path = Path(path)
    records = []
    seen: dict[tuple[str, str, str], int] = {}
    for line, row in _rows(path, PPE_FACTS_COLUMNS):
        _common(path, line, row)
        _match(path, line, row, "period", _PERIOD, "2024, FY2024, 2022H1 or 2024-12-31")
        _match(path, line, row, "metric", _METRIC, "a snake_case metric name")
        key = (row["company"], row["metric"], row["period"])
        if key in seen:
            raise DataError(
                path, f"repeats {'/'.join(key)} (first on line {seen[key]})", line, "period"
            )
        seen[key] = line
        rec: dict[str, object] = dict(row)
        rec["value_usd_m"] = _number(path, line, row, "value_usd_m", required=True)
        rec["csv_line"] = line
        records.append(rec)
    if not records:
        raise DataError(path, "has a header but no data rows")
    return pd.DataFrame.from_records(records)


FILED_LOADERS = {LIFE_CHANGES_STEM: load_life_changes, PPE_FACTS_STEM: load_ppe_facts}
"""The loader of each 10-K facts file, by stem (the data loader dispatches on it)."""
