"""Worksheet functions: RPO (backlog) recognition schedules, conversion and implied bookings.

The recognition curve and its conventions (which period revenue starts in, fractional
horizons, one-year horizons) are documented in :mod:`udfs.core.rpo`.
"""

from __future__ import annotations

import numpy as np

from udfs.core import rpo as core
from udfs.excel._shapes import number, same_length, share, to_column, to_rows, vector, whole
from udfs.excel._worksheet import worksheet

__all__ = ["AIM_IMPLIED_BOOKINGS", "AIM_RPO_CONVERSION", "AIM_RPO_SCHEDULE"]

_PCT_DOC = (
    "Share of the balance recognized within 12 months, 0 to 1 (40% or 0.4), spread "
    "evenly over the first year's periods."
)
_HORIZON_DOC = (
    "Years until the whole balance is recognized, 1 to 100; the rest after year 1 is spread "
    "evenly to here. Must be whole periods (2.5 ok for quarters). Horizon 1 needs 100%."
)
_PPY_DOC = (
    "Periods per year, a whole number 1 to 366: 4 for quarters (default), 12 for months, "
    "1 for years."
)


def _curve_args(pct_next_12m, horizon_years, periods_per_year) -> tuple[float, float, int]:
    pct = share(pct_next_12m, "pct_next_12m")
    horizon = number(horizon_years, "horizon_years", minimum=1, maximum=core.MAX_HORIZON_YEARS)
    ppy = whole(periods_per_year, "periods_per_year", default=4, maximum=366)
    return pct, horizon, ppy


@worksheet(
    rpo="Remaining performance obligations (backlog) balance, >= 0, e.g. US$bn.",
    pct_next_12m=_PCT_DOC,
    horizon_years=_HORIZON_DOC,
    periods_per_year=_PPY_DOC,
)
def AIM_RPO_SCHEDULE(rpo, pct_next_12m, horizon_years, periods_per_year=None):
    """Revenue recognized per period from one RPO balance (one column, rpo's unit; sums to rpo).

    One row per period up to the horizon: pct_next_12m of the balance evenly over the
    first year, the rest evenly over the remaining years.
    """
    balance = number(rpo, "rpo", minimum=0)
    pct, horizon, ppy = _curve_args(pct_next_12m, horizon_years, periods_per_year)
    return to_column(core.rpo_schedule(balance, pct, horizon, ppy))


@worksheet(
    opening_rpo="RPO balance at the start of the first bookings period, >= 0, e.g. US$bn.",
    bookings="New contract value signed per period (a row or column), same unit; negative "
    "for net cancellations. Each follows the curve from its own period.",
    pct_next_12m=_PCT_DOC,
    horizon_years=_HORIZON_DOC,
    periods_per_year=_PPY_DOC,
)
def AIM_RPO_CONVERSION(opening_rpo, bookings, pct_next_12m, horizon_years, periods_per_year=None):
    """Revenue from backlog and ending RPO per bookings period (2 columns: revenue, ending RPO).

    Revenue comes from the opening balance (its curve from period 1) and from each
    period's bookings (recognition starts in the period booked). Ending RPO = opening +
    cumulative bookings - cumulative revenue.
    """
    opening = number(opening_rpo, "opening_rpo", minimum=0)
    signed = vector(bookings, "bookings")
    pct, horizon, ppy = _curve_args(pct_next_12m, horizon_years, periods_per_year)
    revenue, ending = core.rpo_conversion(opening, signed, pct, horizon, ppy)
    return to_rows(np.column_stack((revenue, ending)))


@worksheet(
    rpo="RPO (backlog) balances at the end of each period, oldest first (a row or "
    "column), e.g. US$m.",
    revenue="Revenue recognized in each period, same unit, as many cells as rpo.",
)
def AIM_IMPLIED_BOOKINGS(rpo, revenue):
    """Bookings implied per period: RPO[t] - RPO[t-1] + revenue[t] (one column; first row empty).

    Net of cancellations, so it can be negative. An empty cell leaves the rows that
    need it empty.
    """
    balance = vector(rpo, "rpo", empty="nan")
    recognized = vector(revenue, "revenue", empty="nan")
    same_length(rpo=balance, revenue=recognized)
    return to_column(core.implied_bookings(balance, recognized), nan_text="")
