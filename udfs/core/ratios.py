"""Period ratios and series transforms: capex to OCF, capex intensity, growth, trailing sums.

Every function takes series of reported figures, one element per period, oldest first,
in any one currency unit (US$m in the seed's tables). Results are fractions
(0.45 means 45%) or sums in the input's unit.

Two kinds of NaN appear, and neither stands for a caller's mistake:

* NaN in an input marks a gap (an empty cell); every result that needs it is NaN.
* A result that is not meaningful ("n.m." in an analyst's table) is NaN too: a ratio
  over a zero or negative denominator, growth from a zero or negative base, and a ratio
  or growth too large for a float (a denominator of almost zero, such as 1e-310).

The worksheet adapters tell the two apart from the inputs and show them as ``""`` and
``"n.m."``. Infinite inputs and series of different lengths raise
:class:`udfs.errors.AimInputError`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from udfs.errors import AimInputError

__all__ = ["capex_intensity", "capex_to_ocf", "growth", "ttm"]


def _series(values: ArrayLike, name: str) -> np.ndarray:
    """One series as a 1-D float array (a scalar is a one-period series)."""
    out = np.asarray(values, dtype=float)
    if out.ndim == 0:
        out = out.reshape(1)
    if out.ndim != 1:
        raise AimInputError(name, "must be one series (a 1-D array)", values)
    if np.isinf(out).any():
        raise AimInputError(name, "must hold finite numbers (NaN marks a gap)", values)
    return out


def _periods(value: int, name: str) -> int:
    """A whole number of periods >= 1."""
    if isinstance(value, bool) or int(value) != value or value < 1:
        raise AimInputError(name, "must be a whole number of periods >= 1", value)
    return int(value)


def _capex_ratio(capex: ArrayLike, denominator: ArrayLike, name: str) -> np.ndarray:
    spend = np.abs(_series(capex, "capex"))
    base = _series(denominator, name)
    if base.shape != spend.shape:
        raise AimInputError(name, f"must have as many periods as capex ({spend.size})", denominator)
    out = np.full(spend.shape, np.nan)
    ok = base > 0  # False for NaN gaps as well as for zero or negative bases
    with np.errstate(over="ignore"):
        np.divide(spend, base, out=out, where=ok)
    out[np.isinf(out)] = np.nan  # beyond a float: over a denominator of almost zero
    return out


def capex_to_ocf(capex: ArrayLike, ocf: ArrayLike) -> np.ndarray:
    """Capital expenditure as a multiple of operating cash flow, period by period.

    Parameters
    ----------
    capex : array_like
        Capital expenditure per period, any currency unit. Either sign: a positive spend
        or a negative cash outflow as a cash-flow statement prints it; its size is used.
    ocf : array_like
        Operating cash flow per period, same unit and length; positive is an inflow.

    Returns
    -------
    numpy.ndarray
        ``|capex| / ocf`` as a fraction (0.79 = 79% of OCF reinvested). NaN where
        ``ocf <= 0`` or the ratio overflows (not meaningful) or where either input is
        NaN (a gap).

    Raises
    ------
    AimInputError
        If the series differ in length or hold an infinite value.

    Examples
    --------
    >>> capex_to_ocf([-30.0, 50.0, 10.0, 10.0], [60.0, 40.0, 0.0, -5.0]).tolist()
    [0.5, 1.25, nan, nan]
    """
    return _capex_ratio(capex, ocf, "ocf")


def capex_intensity(capex: ArrayLike, revenue: ArrayLike) -> np.ndarray:
    """Capital expenditure as a share of revenue, period by period.

    Parameters
    ----------
    capex : array_like
        Capital expenditure per period, any currency unit; either sign, its size is used.
    revenue : array_like
        Revenue per period, same unit and length.

    Returns
    -------
    numpy.ndarray
        ``|capex| / revenue`` as a fraction (6.29 = 629% of revenue). NaN where
        ``revenue <= 0`` or the ratio overflows (not meaningful) or where either input
        is NaN (a gap).

    Raises
    ------
    AimInputError
        If the series differ in length or hold an infinite value.

    Examples
    --------
    CoreWeave 24Q1 (seed 图23): adjusted capex 1188 on revenue 189, US$m.

    >>> capex_intensity([1188.0], [189.0]).round(4).tolist()
    [6.2857]
    """
    return _capex_ratio(capex, revenue, "revenue")


def growth(series: ArrayLike, lag: int = 1) -> np.ndarray:
    """Growth over ``lag`` periods: ``x[t] / x[t - lag] - 1``.

    Parameters
    ----------
    series : array_like
        A level per period (revenue, capex, ...), oldest first.
    lag : int, default 1
        Periods back to the base: 1 for quarter on quarter in a quarterly series, 4 for
        year on year.

    Returns
    -------
    numpy.ndarray
        Growth as a fraction (1.09 = +109%), same length as ``series``. NaN in the first
        ``lag`` periods (no base), where the base is zero or negative or the growth
        overflows (not meaningful), and where either level is NaN (a gap). A negative
        level over a positive base gives a number (below -100%).

    Raises
    ------
    AimInputError
        If ``lag`` is not a whole number >= 1 or the series holds an infinite value.

    Examples
    --------
    >>> growth([100.0, 110.0, 0.0, 50.0]).round(4).tolist()
    [nan, 0.1, -1.0, nan]
    >>> growth([189.0, 395.0, 584.0, 747.0, 982.0], lag=4).round(4).tolist()
    [nan, nan, nan, nan, 4.1958]
    """
    x = _series(series, "series")
    k = _periods(lag, "lag")
    out = np.full(x.shape, np.nan)
    if k < x.size:
        base = x[:-k]
        with np.errstate(over="ignore"):
            np.divide(x[k:], base, out=out[k:], where=base > 0)
        out[k:] -= 1.0
        out[np.isinf(out)] = np.nan  # beyond a float: from a base of almost zero
    return out


def ttm(series: ArrayLike, window: int = 4) -> np.ndarray:
    """Trailing sums over ``window`` periods (trailing twelve months for window 4 quarters).

    Linear time: one cumulative sum, then differences ``c[t] - c[t - window]``.

    Parameters
    ----------
    series : array_like
        A flow per period (revenue, capex, cash flow), oldest first, any unit.
    window : int, default 4
        Periods in each sum.

    Returns
    -------
    numpy.ndarray
        ``x[t - window + 1] + ... + x[t]``, same unit and length as ``series``. NaN in the
        first ``window - 1`` periods and for every window that holds a NaN gap.

    Raises
    ------
    AimInputError
        If ``window`` is not a whole number >= 1 or the series holds an infinite value.

    Examples
    --------
    Amazon capex 24Q1-24Q4 (seed 表2, US$m) sums to 82,999, printed as 830 (US$100m)
    for 2024A in 表1.

    >>> ttm([14925.0, 17620.0, 22620.0, 27834.0]).tolist()
    [nan, nan, nan, 82999.0]
    """
    x = _series(series, "series")
    k = _periods(window, "window")
    gap = np.isnan(x)
    sums = np.concatenate(([0.0], np.cumsum(np.where(gap, 0.0, x))))
    gaps = np.concatenate(([0], np.cumsum(gap)))
    out = np.full(x.shape, np.nan)
    if k <= x.size:
        window_sum = sums[k:] - sums[:-k]
        window_gaps = gaps[k:] - gaps[:-k]
        out[k - 1 :] = np.where(window_gaps > 0, np.nan, window_sum)
    return out
