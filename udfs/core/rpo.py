"""Remaining performance obligations (RPO, ASC 606 backlog): recognition, conversion, bookings.

The recognition curve
---------------------
A balance is recognized as revenue over ``horizon_years``, split in periods of
``1 / periods_per_year`` year: the share ``pct_next_12m`` (the "within 12 months" share
filers disclose) evenly over the first year's periods, the rest evenly over the
remaining periods up to the horizon. The curve is piecewise constant with two steps,
which is what lets :func:`rpo_conversion` run in linear time.

* ``horizon_years`` must be >= 1 and span a whole number of periods
  (``horizon_years * periods_per_year`` whole, to 1e-9): 2.5 years is ten quarters,
  2.1 years is refused. At most 100 years.
* With a one-year horizon ``pct_next_12m`` must be 1: the rest has no later period.
* With ``pct_next_12m = 1`` the later periods recognize nothing.

Timing convention
-----------------
An opening balance starts its curve in period 1. Bookings signed in period ``t`` join
the balance in period ``t`` and start their curve in that same period: their first
period's share is recognized in period ``t``. RPO balances are end-of-period.

Signs and units: balances, bookings and revenue share one currency unit; revenue and
balances are positive. Bookings may be negative (net cancellations); a negative
booking reverses recognition along the same curve.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from udfs.errors import AimInputError

__all__ = [
    "MAX_HORIZON_YEARS",
    "Curve",
    "implied_bookings",
    "recognition_curve",
    "rpo_conversion",
    "rpo_schedule",
]

MAX_HORIZON_YEARS = 100
"""Longest recognition horizon, in years (36,600 periods at most, in days)."""


class Curve(NamedTuple):
    """A two-step recognition curve, as shares of one balance per period."""

    first_periods: int
    """Periods in the first year (``periods_per_year``)."""
    total_periods: int
    """Periods up to the horizon (``horizon_years * periods_per_year``)."""
    first_share: float
    """Share of the balance recognized in each first-year period."""
    later_share: float
    """Share recognized in each later period (0 when there is none)."""


def recognition_curve(
    pct_next_12m: float, horizon_years: float, periods_per_year: int = 4
) -> Curve:
    """The two-step recognition curve, validated.

    Parameters
    ----------
    pct_next_12m : float
        Share of a balance recognized within 12 months, 0 to 1.
    horizon_years : float
        Years until the whole balance is recognized, >= 1, a whole number of periods.
    periods_per_year : int, default 4
        Periods per year: 4 for quarters, 12 for months.

    Returns
    -------
    Curve

    Raises
    ------
    AimInputError
        For a share outside 0..1, a horizon below 1 year, above 100 years or not a whole
        number of periods, or a one-year horizon with ``pct_next_12m < 1``.

    Examples
    --------
    >>> recognition_curve(0.4, 3)
    Curve(first_periods=4, total_periods=12, first_share=0.1, later_share=0.075)
    """
    if (
        isinstance(periods_per_year, bool)
        or int(periods_per_year) != periods_per_year
        or (periods_per_year < 1)
    ):
        raise AimInputError(
            "periods_per_year", "must be a whole number of periods >= 1", periods_per_year
        )
    ppy = int(periods_per_year)
    if not 0.0 <= pct_next_12m <= 1.0:
        raise AimInputError(
            "pct_next_12m", "must be a share between 0 and 1, e.g. 0.4 for 40%", pct_next_12m
        )
    if not math.isfinite(horizon_years) or horizon_years < 1:
        raise AimInputError("horizon_years", "must be >= 1 (years)", horizon_years)
    if horizon_years > MAX_HORIZON_YEARS:
        raise AimInputError(
            "horizon_years", f"must be <= {MAX_HORIZON_YEARS} (years)", horizon_years
        )
    exact = horizon_years * ppy
    total = round(exact)
    if abs(exact - total) > 1e-9 * exact:
        raise AimInputError(
            "horizon_years",
            f"must span a whole number of periods (a multiple of 1/{ppy} year)",
            horizon_years,
        )
    later = total - ppy
    if later == 0 and pct_next_12m != 1.0:
        raise AimInputError(
            "pct_next_12m",
            "must be 1 when horizon_years is 1 (the rest has no later period)",
            pct_next_12m,
        )
    later_share = (1.0 - pct_next_12m) / later if later else 0.0
    return Curve(ppy, total, pct_next_12m / ppy, later_share)


def _balance(value: float, name: str) -> float:
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise AimInputError(name, "must be a balance >= 0", value)
    return value


def rpo_schedule(
    rpo: float, pct_next_12m: float, horizon_years: float, periods_per_year: int = 4
) -> np.ndarray:
    """Revenue recognized per period from one RPO balance.

    Parameters
    ----------
    rpo : float
        The balance, >= 0, any currency unit.
    pct_next_12m : float
        Share recognized within 12 months, 0 to 1.
    horizon_years : float
        Years until fully recognized (see the module notes).
    periods_per_year : int, default 4
        Periods per year.

    Returns
    -------
    numpy.ndarray
        Revenue per period, ``horizon_years * periods_per_year`` periods, same unit as
        ``rpo``; sums to ``rpo``.

    Raises
    ------
    AimInputError
        For a negative balance or an invalid curve (:func:`recognition_curve`).

    Examples
    --------
    Microsoft commercial RPO US$392bn, about 40% within 12 months, over 3 years:

    >>> rpo_schedule(392.0, 0.4, 3).round(2).tolist()
    [39.2, 39.2, 39.2, 39.2, 29.4, 29.4, 29.4, 29.4, 29.4, 29.4, 29.4, 29.4]
    """
    balance = _balance(rpo, "rpo")
    curve = recognition_curve(pct_next_12m, horizon_years, periods_per_year)
    shares = np.full(curve.total_periods, curve.later_share)
    shares[: curve.first_periods] = curve.first_share
    return balance * shares


def rpo_conversion(
    opening_rpo: float,
    bookings: ArrayLike,
    pct_next_12m: float,
    horizon_years: float,
    periods_per_year: int = 4,
) -> tuple[np.ndarray, np.ndarray]:
    """Revenue recognized and ending RPO, period by period, from an opening balance and bookings.

    Each period's revenue is the opening balance's curve (from period 1) plus every
    booking's curve from the period it is booked in (see the module notes). Because the
    curve has two flat steps, revenue in period ``t`` is
    ``first_share * (bookings in the last periods_per_year periods up to t)
    + later_share * (bookings in the periods before that, back to the horizon)``,
    read off one cumulative sum: linear time, not a convolution.

    Parameters
    ----------
    opening_rpo : float
        RPO at the start of period 1, >= 0, any currency unit.
    bookings : array_like
        New contract value signed per period, same unit; negative for net cancellations.
    pct_next_12m, horizon_years, periods_per_year
        The recognition curve (:func:`recognition_curve`).

    Returns
    -------
    revenue : numpy.ndarray
        Revenue recognized per period, one per bookings period.
    ending_rpo : numpy.ndarray
        End-of-period RPO: opening + cumulative bookings - cumulative revenue.

    Raises
    ------
    AimInputError
        For a negative opening balance, non-finite bookings or an invalid curve.

    Examples
    --------
    100 opening, then 40 booked in period 2; 60% within a year, 2-year horizon, in
    half-years (curve 0.3, 0.3, 0.2, 0.2). Period 2 recognizes 30 from the opening
    balance and 12 from its own bookings:

    >>> revenue, ending = rpo_conversion(100.0, [0.0, 40.0, 0.0, 0.0], 0.6, 2, 2)
    >>> revenue.round(6).tolist(), ending.round(6).tolist()
    ([30.0, 42.0, 32.0, 28.0], [70.0, 68.0, 36.0, 8.0])
    """
    opening = _balance(opening_rpo, "opening_rpo")
    b = np.asarray(bookings, dtype=float).reshape(-1)
    if not np.isfinite(b).all():
        raise AimInputError("bookings", "must hold finite numbers", bookings)
    curve = recognition_curve(pct_next_12m, horizon_years, periods_per_year)
    first, total = curve.first_periods, curve.total_periods
    n = b.size
    # Bookings from s in (t - first, t] are in their first year; from (t - total, t - first]
    # in their later years. With c[k] = bookings in periods 0..k-1 (zero for k <= 0):
    # revenue[t] = first_share * (c[t+1] - c[t-first+1]) + later_share * (c[t-first+1]
    # - c[t-total+1]). c is one running sum behind ``pad`` zeros, read in shifted slices;
    # ``pad`` stops at n, beyond which every shifted entry is zero anyway.
    pad = min(total - 1, n)
    c = np.empty(pad + 1 + n)
    c[: pad + 1] = 0.0
    now = c[pad + 1 :]  # c[t+1]
    np.add.accumulate(b, out=now)  # np.cumsum, with less overhead per call

    def back(periods: int) -> tuple[int, np.ndarray]:
        """c[t - periods + 1] for t from ``z`` on (zero before ``z``), and ``z``."""
        z = min(max(periods - 1 - pad, 0), n)
        return z, c[pad - periods + 1 + z : pad - periods + 1 + n]

    z_first, year = back(first)  # c[t - first + 1]
    z_later, horizon = back(total)  # c[t - total + 1]
    revenue = np.empty(n)
    revenue[:z_first] = now[:z_first]
    np.subtract(now[z_first:], year, out=revenue[z_first:])
    revenue *= curve.first_share
    ending = np.empty(n)  # scratch until the end
    ending[z_first:z_later] = year[: z_later - z_first]
    np.subtract(year[z_later - z_first :], horizon, out=ending[z_later:])
    ending[:z_first] = 0.0
    ending *= curve.later_share
    revenue += ending
    # the opening balance's curve from period 1: first_share, then later_share, then 0
    f, h = min(first, n), min(total, n)
    revenue[:f] += opening * curve.first_share
    revenue[f:h] += opening * curve.later_share
    revenue[h:] += 0.0  # as adding opening x 0 does (it turns -0.0 into 0.0)
    # ending = opening + cumulative bookings - cumulative revenue
    np.add.accumulate(revenue, out=ending)
    now += opening
    np.subtract(now, ending, out=ending)
    return revenue, ending


def implied_bookings(rpo: ArrayLike, revenue: ArrayLike) -> np.ndarray:
    """Bookings implied by RPO balances and revenue: ``rpo[t] - rpo[t-1] + revenue[t]``.

    Parameters
    ----------
    rpo : array_like
        End-of-period RPO balances, any currency unit, oldest first.
    revenue : array_like
        Revenue recognized per period, same unit and length.

    Returns
    -------
    numpy.ndarray
        Net bookings per period (negative when cancellations exceed new contracts). NaN
        for the first period (no opening balance) and where an input is NaN (a gap).

    Raises
    ------
    AimInputError
        If the series differ in length or hold an infinite value.

    Examples
    --------
    >>> implied_bookings([100.0, 130.0, 120.0], [20.0, 25.0, 30.0]).tolist()
    [nan, 55.0, 20.0]
    """
    balance = np.asarray(rpo, dtype=float).reshape(-1)
    recognized = np.asarray(revenue, dtype=float).reshape(-1)
    if np.isinf(balance).any():
        raise AimInputError("rpo", "must hold finite numbers (NaN marks a gap)", rpo)
    if np.isinf(recognized).any():
        raise AimInputError("revenue", "must hold finite numbers (NaN marks a gap)", revenue)
    if recognized.size != balance.size:
        raise AimInputError(
            "revenue", f"must have as many periods as rpo ({balance.size})", revenue
        )
    out = np.full(balance.shape, np.nan)
    out[1:] = balance[1:] - balance[:-1] + recognized[1:]
    return out
