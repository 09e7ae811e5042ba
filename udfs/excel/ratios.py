"""Worksheet functions: capex ratios, growth and trailing sums of reported series.

Cells that carry no number
--------------------------
* ``""`` (shows empty): an empty input cell in that row, or a row that has no base yet
  (the first ``lag`` rows of AIM_GROWTH, the first ``window - 1`` rows of AIM_TTM).
* ``"n.m."`` (not meaningful): a capex ratio over zero or negative OCF/revenue, growth
  from a zero or negative base, or either too large for a number (over almost zero).

Every result is one column, one row per input period, whether the input is a row or a
column.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from udfs.core import ratios as core
from udfs.excel._shapes import MAX_CELLS, same_length, to_column, vector, whole
from udfs.excel._worksheet import worksheet

__all__ = ["AIM_CAPEX_INTENSITY", "AIM_CAPEX_TO_OCF", "AIM_GROWTH", "AIM_TTM"]

NOT_MEANINGFUL = "n.m."
EMPTY = ""


def _cells(values: np.ndarray, empty: np.ndarray) -> list[list[float | str]]:
    """One column: ``""`` where ``empty``, ``"n.m."`` for any other NaN, else the number."""
    return [
        [EMPTY if blank else (NOT_MEANINGFUL if v != v else v)]
        for v, blank in zip(values.tolist(), empty.tolist(), strict=True)
    ]


def _capex_ratio(
    ratio: Callable[[np.ndarray, np.ndarray], np.ndarray], capex: Any, denominator: Any, name: str
) -> list[list[float | str]]:
    spend = vector(capex, "capex", empty="nan")
    base = vector(denominator, name, empty="nan")
    same_length(capex=spend, **{name: base})
    return _cells(ratio(spend, base), np.isnan(spend) | np.isnan(base))


@worksheet(
    capex="Capital expenditure per period (a row or column), e.g. US$m. A negative "
    "outflow is read as spend. Empty cell: that row is empty.",
    ocf="Operating cash flow per period, same unit, as many cells as capex. Zero or "
    "negative OCF gives n.m.",
)
def AIM_CAPEX_TO_OCF(capex, ocf):
    """Capex / operating cash flow per period (one column, fraction: 0.79 = 79%; n.m. if OCF <= 0).

    Capex of either sign counts as spend. An empty cell in either input leaves that
    row empty ("").
    """
    return _capex_ratio(core.capex_to_ocf, capex, ocf, "ocf")


@worksheet(
    capex="Capital expenditure per period (a row or column), e.g. US$m. A negative "
    "outflow is read as spend. Empty cell: that row is empty.",
    revenue="Revenue per period, same unit, as many cells as capex. Zero or negative "
    "revenue gives n.m.",
)
def AIM_CAPEX_INTENSITY(capex, revenue):
    """Capex / revenue per period (one column, fraction: 0.19 = 19%; n.m. if revenue <= 0).

    Capex of either sign counts as spend. An empty cell in either input leaves that
    row empty ("").
    """
    return _capex_ratio(core.capex_intensity, capex, revenue, "revenue")


@worksheet(
    series="Levels per period, oldest first (a row or column), e.g. quarterly revenue. "
    "Empty cells leave the rows that need them empty.",
    lag="Periods back to the base, a whole number 1 to 1,048,576: 1 = period on period "
    "(default), 4 = year on year for quarters, 12 for months.",
)
def AIM_GROWTH(series, lag=None):
    """Growth x[t]/x[t-lag]-1 per period (one column, fraction: 0.31 = +31%; first lag rows empty).

    A zero or negative base gives n.m.; an empty cell in x[t] or x[t-lag] leaves the
    row empty.
    """
    x = vector(series, "series", empty="nan")
    k = whole(lag, "lag", default=1, maximum=MAX_CELLS)
    out = core.growth(x, k)
    gap = np.isnan(x)
    empty = gap.copy()
    empty[k:] |= gap[:-k]  # the base x[t - lag] is a gap
    empty[:k] = True  # no base yet
    return _cells(out, empty)


@worksheet(
    series="Flows per period, oldest first (a row or column), e.g. quarterly revenue or "
    "capex. Empty cells leave the sums that include them empty.",
    window="Periods in each sum, a whole number 1 to 1,048,576: 4 quarters (default) for "
    "trailing twelve months, 12 for months.",
)
def AIM_TTM(series, window=None):
    """Trailing sums over window periods, e.g. TTM (one column, series unit; window-1 rows empty).

    A window that includes an empty cell is empty too.
    """
    x = vector(series, "series", empty="nan")
    k = whole(window, "window", default=4, maximum=MAX_CELLS)
    return to_column(core.ttm(x, k), nan_text=EMPTY)
