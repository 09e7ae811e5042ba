"""Debt: a drawn and repaid balance with its interest, and cash runway net of debt flows.

Signs and units
---------------
Balances, draws, repayments, interest and cash share one currency unit (US$m, say).
A debt balance is >= 0. Draws are >= 0 (new borrowing). Repayments are principal
repaid, counted by size whatever sign a data source prints them with (cash-flow
statements show them as negative outflows), as capex and interest are in
:mod:`udfs.core.neocloud`. Rates are yearly fractions (0.08 for 8%), 0 <= rate < 1.

Timing convention
-----------------
Within a period the draws come before the repayment: period ``t``'s repayment may use
that period's draws (a refinancing in one period), but may not exceed
``opening[t] + draws[t]``. Interest is paid in cash, not capitalised: it never enters
the balance. It is charged on the balance at the start of the period (``"opening"``) or
on the mean of the balances at its start and end (``"average"``), at
``rate / periods_per_year`` a period.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from udfs.core.neocloud import runway
from udfs.errors import AimInputError

__all__ = [
    "INTEREST_ON",
    "annual_rates",
    "closing_balances",
    "debt_schedule",
    "funded_net_flow",
    "funded_runway",
]

INTEREST_ON = ("opening", "average")
"""The balances interest can be charged on."""

_ROUNDING = 1e-9
"""Repayments that overshoot the balance by less than this share of the amounts that
built it are rounding (summing a million periods), not an over-repayment."""


def _series(values: ArrayLike, name: str) -> np.ndarray:
    out = np.asarray(values, dtype=float).reshape(-1)
    if not np.isfinite(out).all():
        raise AimInputError(name, "must hold finite numbers", values)
    return out


def _finite(value: float, name: str) -> float:
    out = float(value)
    if not math.isfinite(out):
        raise AimInputError(name, "must be a finite number", value)
    return out


def annual_rates(rate: float | ArrayLike, periods: int) -> np.ndarray:
    """Yearly rates, one per period: one value for every period, or one per period.

    Parameters
    ----------
    rate : float or array_like
        Yearly interest rate(s) as fractions, 0 <= rate < 1 (0.08 for 8%; 8 is refused).
    periods : int
        Number of periods of the schedule.

    Returns
    -------
    numpy.ndarray
        ``periods`` yearly rates.

    Raises
    ------
    AimInputError
        If a rate is outside [0, 1) or not finite, or ``rate`` holds neither one value
        nor one per period.

    Examples
    --------
    >>> annual_rates(0.08, 3).tolist()
    [0.08, 0.08, 0.08]
    >>> annual_rates([0.08, 8.0], 2)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    udfs.errors.AimInputError: rate must be a yearly rate >= 0 and < 1, ... (position 2) (got 8.0)
    """
    rates = _series(rate, "rate")
    if rates.size not in (1, periods):
        raise AimInputError(
            "rate", f"must be one value or one per period of draws ({periods})", rate
        )
    bad = np.flatnonzero(~((rates >= 0.0) & (rates < 1.0)))
    if bad.size:
        i = int(bad[0])
        raise AimInputError(
            "rate",
            f"must be a yearly rate >= 0 and < 1, e.g. 0.08 for 8% (position {i + 1})",
            float(rates[i]),
        )
    return np.broadcast_to(rates, (periods,)) if rates.size == 1 else rates


def closing_balances(opening: float, draws: ArrayLike, repayments: ArrayLike) -> np.ndarray:
    """Debt outstanding at the end of each period: opening + cumulative draws - repayments.

    Parameters
    ----------
    opening : float
        Debt outstanding at the start of period 1, >= 0.
    draws : array_like
        New borrowing per period, >= 0.
    repayments : array_like
        Principal repaid per period, as many as ``draws``; either sign, its size is
        repaid.

    Returns
    -------
    numpy.ndarray
        Closing balance per period, >= 0 (a balance within rounding of zero is 0).

    Raises
    ------
    AimInputError
        If ``opening`` or a draw is negative, the series differ in length, a value is
        not finite, or a repayment exceeds the balance owed in its period
        (``opening[t] + draws[t]``); the error names ``repayments`` and the position.

    Examples
    --------
    >>> closing_balances(1000.0, [0.0, 500.0, 0.0], [100.0, -100.0, 0.0]).tolist()
    [900.0, 1300.0, 1300.0]
    >>> closing_balances(100.0, [0.0, 0.0], [60.0, 60.0])
    Traceback (most recent call last):
    ...
    udfs.errors.AimInputError: repayments must not exceed the 40 owed at position 2 (got 60.0)
    """
    start = _finite(opening, "opening")
    if start < 0:
        raise AimInputError("opening", "must not be negative (a debt balance)", opening)
    drawn = _series(draws, "draws")
    signed = _series(repayments, "repayments")
    paid = np.abs(signed)
    if paid.size != drawn.size:
        raise AimInputError(
            "repayments", f"must have as many periods as draws ({drawn.size})", repayments
        )
    if (drawn < 0).any():
        i = int(np.flatnonzero(drawn < 0)[0])
        raise AimInputError("draws", f"must not be negative (position {i + 1})", float(drawn[i]))
    closing = start + np.cumsum(drawn - paid)
    negative = closing < 0
    if negative.any():
        built = start + np.cumsum(drawn + paid)  # the size of the sums behind each balance
        over = np.flatnonzero(closing < -_ROUNDING * built)
        if over.size:
            i = int(over[0])
            owed = (start if i == 0 else max(float(closing[i - 1]), 0.0)) + float(drawn[i])
            raise AimInputError(
                "repayments",
                f"must not exceed the {owed:.10g} owed at position {i + 1}",
                float(signed[i]),
            )
        closing[negative] = 0.0
    return closing


def debt_schedule(
    opening: float,
    draws: ArrayLike,
    repayments: ArrayLike,
    rate: float | ArrayLike,
    periods_per_year: int = 4,
    interest_on: str = "opening",
) -> tuple[np.ndarray, np.ndarray]:
    """Interest and closing balance per period of a debt facility.

    ``closing[t] = opening[t] + draws[t] - |repayments[t]|`` with
    ``opening[t] = closing[t - 1]``; ``interest[t] = rate[t] / periods_per_year x``
    ``opening[t]`` (or ``(opening[t] + closing[t]) / 2``). Interest is paid in cash, not
    capitalised. Linear time in the number of periods.

    Parameters
    ----------
    opening : float
        Debt outstanding at the start of period 1, >= 0.
    draws : array_like
        New borrowing per period, >= 0.
    repayments : array_like
        Principal repaid per period, as many as ``draws``; either sign, its size is
        repaid. A period's draws come first; a repayment above ``opening[t] + draws[t]``
        is refused.
    rate : float or array_like
        Yearly interest rate, 0 <= rate < 1: one for every period or one per period.
    periods_per_year : int, default 4
        Periods in a year (4 for quarters, 12 for months), >= 1.
    interest_on : {"opening", "average"}, default "opening"
        The balance interest is charged on.

    Returns
    -------
    interest : numpy.ndarray
        Interest per period, same unit, >= 0.
    closing : numpy.ndarray
        Debt outstanding at the end of each period, >= 0.

    Raises
    ------
    AimInputError
        As :func:`closing_balances` and :func:`annual_rates`, and for
        ``periods_per_year`` below 1 or not whole, or an unknown ``interest_on``.

    Examples
    --------
    1,000 outstanding at 8% a year, in quarters: 1000 x 0.08 / 4 = 20 of interest.

    >>> interest, closing = debt_schedule(1000.0, [0.0, 0.0], [0.0, 500.0], 0.08)
    >>> interest.tolist(), closing.tolist()
    ([20.0, 20.0], [1000.0, 500.0])
    >>> debt_schedule(1000.0, [0.0, 0.0], [0.0, 500.0], 0.08, 4, "average")[0].tolist()
    [20.0, 15.0]
    """
    closing = closing_balances(opening, draws, repayments)
    rates = annual_rates(rate, closing.size)
    ppy = _finite(periods_per_year, "periods_per_year")
    if ppy < 1 or not ppy.is_integer():
        raise AimInputError("periods_per_year", "must be a whole number >= 1", periods_per_year)
    if interest_on not in INTEREST_ON:
        raise AimInputError("interest_on", "must be one of " + ", ".join(INTEREST_ON), interest_on)
    start = np.empty_like(closing)
    if closing.size:
        start[0] = float(opening)
        start[1:] = closing[:-1]
    balance = start if interest_on == "opening" else (start + closing) / 2.0
    return rates / ppy * balance, closing


def funded_net_flow(
    ocf: ArrayLike, capex: ArrayLike, debt_service: ArrayLike, borrowing: ArrayLike
) -> np.ndarray:
    """Net cash flow per period: ocf - |capex| - |debt_service| + borrowing.

    Parameters
    ----------
    ocf : array_like
        Operating cash flow per period, signed (negative is cash used).
    capex : array_like
        Capital expenditure per period, same length; either sign, its size is deducted.
    debt_service : array_like
        Interest plus scheduled principal repayments per period, same length; either
        sign, its size is deducted.
    borrowing : array_like
        New borrowing per period, same length, >= 0, added.

    Returns
    -------
    numpy.ndarray
        Change in cash per period, same unit.

    Raises
    ------
    AimInputError
        If the series differ in length, a value is not finite, or a borrowing is
        negative.

    Examples
    --------
    >>> funded_net_flow([100.0], [-300.0], [-50.0], [500.0]).tolist()
    [250.0]
    """
    flow = _series(ocf, "ocf")
    n = flow.size
    parts = {"capex": capex, "debt_service": debt_service, "borrowing": borrowing}
    arrays = {}
    for name, values in parts.items():
        arrays[name] = _series(values, name)
        if arrays[name].size != n:
            raise AimInputError(name, f"must have as many periods as ocf ({n})", values)
    raised = arrays["borrowing"]
    if (raised < 0).any():
        i = int(np.flatnonzero(raised < 0)[0])
        raise AimInputError(
            "borrowing",
            f"must not be negative (position {i + 1}); repayments belong in debt_service",
            float(raised[i]),
        )
    return flow - np.abs(arrays["capex"]) - np.abs(arrays["debt_service"]) + raised


def funded_runway(
    cash: float,
    ocf: ArrayLike,
    capex: ArrayLike,
    debt_service: ArrayLike,
    borrowing: ArrayLike,
) -> tuple[float, float]:
    """Periods until cash runs out, and the lowest cash, net of capex and debt flows.

    The net flow of :func:`funded_net_flow` is run through
    :func:`udfs.core.neocloud.runway`: cash moves linearly within a period, and the
    projection is not extended past its last period.

    Parameters
    ----------
    cash : float
        Cash at the start of period 1. Zero or negative: the runway is 0.
    ocf, capex, debt_service, borrowing : array_like
        As :func:`funded_net_flow`, one value per period of the projection.

    Returns
    -------
    periods : float
        Periods of cash (fractional); ``math.inf`` if cash stays above zero through the
        projection.
    minimum : float
        The lowest cash balance: the start cash or a period-end balance, whichever is
        lower (negative once cash has run out).

    Raises
    ------
    AimInputError
        As :func:`funded_net_flow`, and for a ``cash`` that is not finite.

    Examples
    --------
    1,000 of cash; per quarter OCF -100, capex 300, debt service 50, borrowing 500 in
    the second quarter: cash 550, then 550 - 450 + 500 = 600, then 150.

    >>> funded_runway(1000.0, [-100.0] * 3, [300.0] * 3, [50.0] * 3, [0.0, 500.0, 0.0])
    (inf, 150.0)
    >>> funded_runway(1000.0, [-100.0] * 3, [300.0] * 3, [50.0] * 3, [0.0, 0.0, 0.0])
    (2.2222222222222223, -350.0)
    """
    start = _finite(cash, "cash")
    flows = funded_net_flow(ocf, capex, debt_service, borrowing)
    periods = runway(start, flows)
    lowest = float(np.min(start + np.cumsum(flows))) if flows.size else start
    return periods, min(start, lowest)
