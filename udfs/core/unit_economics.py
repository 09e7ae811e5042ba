"""Unit economics of AI compute: cost of capital, capital cost per GPU-hour, cost per token.

Rates and shares are fractions (0.11 means 11%). Costs are positive amounts in one
currency (US$ in the seed's tables 表7 and 表10).
"""

from __future__ import annotations

import math

import numpy_financial as npf

from udfs.errors import AimInputError

__all__ = ["MAX_LIFE_YEARS", "gpu_hour_cost", "token_cost", "wacc"]

HOURS_PER_YEAR = 8760.0
"""365 days x 24 hours."""

_MAX_HOURS_PER_YEAR = 8784.0  # a leap year

MAX_LIFE_YEARS = 100.0
"""Longest server life :func:`gpu_hour_cost` accepts, in years (as depreciation's 1,200 months)."""


def _finite(value: float, name: str) -> float:
    out = float(value)
    if not math.isfinite(out):
        raise AimInputError(name, "must be a finite number", value)
    return out


def _rate(value: float, name: str) -> float:
    """A cost of capital: 0 <= rate < 1 (11 for 11% is refused)."""
    rate = _finite(value, name)
    if not 0.0 <= rate < 1.0:
        raise AimInputError(name, "must be a rate >= 0 and < 1, e.g. 0.11 for 11%", value)
    return rate


def _share(value: float, name: str) -> float:
    """A share, 0 to 1 (40 for 40% is refused)."""
    out = _finite(value, name)
    if not 0.0 <= out <= 1.0:
        raise AimInputError(name, "must be a share between 0 and 1, e.g. 0.4 for 40%", value)
    return out


def wacc(
    cost_of_equity: float, cost_of_debt: float, equity_weight: float, tax_rate: float = 0.0
) -> float:
    """Weighted average cost of capital.

    ``equity_weight * ke + (1 - equity_weight) * kd * (1 - tax_rate)``.

    Parameters
    ----------
    cost_of_equity : float
        Required return on equity ``ke``, a yearly rate, 0 <= ke < 1.
    cost_of_debt : float
        Pre-tax cost of debt ``kd``, a yearly rate, 0 <= kd < 1.
    equity_weight : float
        Equity's share of funding, 0 to 1; debt is the rest.
    tax_rate : float, default 0
        Tax rate for the interest shield, 0 to 1. The seed's 表10 uses none.

    Returns
    -------
    float
        WACC, a yearly rate.

    Raises
    ------
    AimInputError
        For a rate outside [0, 1) or a share outside [0, 1].

    Examples
    --------
    Hyperscaler in the seed's 表10: 75% equity at 11.0%, debt at 4.5% (printed 9.4%).

    >>> wacc(0.11, 0.045, 0.75)
    0.09375
    """
    ke = _rate(cost_of_equity, "cost_of_equity")
    kd = _rate(cost_of_debt, "cost_of_debt")
    w = _share(equity_weight, "equity_weight")
    t = _share(tax_rate, "tax_rate")
    return w * ke + (1.0 - w) * kd * (1.0 - t)


_TINY_RATE_PERIODS = 1e-12


def gpu_hour_cost(
    server_cost: float,
    gpus_per_server: int,
    life_years: float,
    wacc: float = 0.0,
    hours_per_year: float = HOURS_PER_YEAR,
) -> float:
    """Capital cost of one GPU for one hour of its life.

    With ``wacc = 0``, straight-line depreciation:
    ``server_cost / (life_years * hours_per_year) / gpus_per_server``. Otherwise a level
    monthly payment that repays the server with interest,
    ``pmt(wacc / 12, life_years * 12, -server_cost)`` (numpy-financial's pmt, Excel's PMT;
    for a rate so small that ``|wacc / 12 * months| < 1e-12`` its limit ``cost / months``),
    spread over the month's GPU-hours:
    ``/ gpus_per_server / (hours_per_year / 12)``.

    Parameters
    ----------
    server_cost : float
        Installed cost of one server, >= 0, US$ (or any currency).
    gpus_per_server : int
        GPUs in the server, a whole number >= 1.
    life_years : float
        Useful life in years, > 0 and <= 100 (need not be a whole number of months).
    wacc : float, default 0
        Yearly cost of capital, -1 < wacc < 1; compounded monthly at ``wacc / 12``.
    hours_per_year : float, default 8760
        Hours each GPU is paid for per year, > 0 and <= 8784 (a leap year); lower it for
        less than full-time use.

    Returns
    -------
    float
        Capital cost per GPU-hour, currency per hour.

    Raises
    ------
    AimInputError
        For a value outside the ranges above.

    Examples
    --------
    H200 server in the seed's 表7: US$246,391 for 8 GPUs over 4 years (printed $0.88).

    >>> round(gpu_hour_cost(246391, 8, 4), 4)
    0.879
    >>> round(gpu_hour_cost(246391, 8, 4, wacc=0.09375), 4)
    1.0574
    """
    cost = _finite(server_cost, "server_cost")
    if cost < 0:
        raise AimInputError("server_cost", "must be >= 0", server_cost)
    if (
        isinstance(gpus_per_server, bool)
        or int(gpus_per_server) != gpus_per_server
        or (gpus_per_server < 1)
    ):
        raise AimInputError(
            "gpus_per_server", "must be a whole number of GPUs >= 1", gpus_per_server
        )
    life = _finite(life_years, "life_years")
    if life <= 0:
        raise AimInputError("life_years", "must be > 0 (years)", life_years)
    if life > MAX_LIFE_YEARS:
        raise AimInputError("life_years", f"must be <= {MAX_LIFE_YEARS:g} (years)", life_years)
    rate = _finite(wacc, "wacc")
    if not -1.0 < rate < 1.0:
        raise AimInputError("wacc", "must be a rate > -1 and < 1, e.g. 0.094 for 9.4%", wacc)
    hours = _finite(hours_per_year, "hours_per_year")
    if not 0.0 < hours <= _MAX_HOURS_PER_YEAR:
        raise AimInputError(
            "hours_per_year", "must be > 0 and <= 8784 (hours in a year)", hours_per_year
        )
    try:
        if rate == 0.0:
            out = cost / (life * hours) / gpus_per_server
        else:
            r, n = rate / 12.0, life * 12.0
            if abs(r * n) < _TINY_RATE_PERIODS:
                # pmt's (1 + r) ** n - 1 cancels to nothing for so small a rate; its limit,
                # cost / n, is then exact to within r * n (below 1e-12 relative).
                monthly = cost / n
            else:
                monthly = float(-npf.pmt(r, n, cost))  # Excel's PMT(r, n, -cost)
            out = monthly / gpus_per_server / (hours / 12.0)
    except ZeroDivisionError:  # life_years * hours_per_year below the smallest float
        out = math.inf
    if not math.isfinite(out):  # only for a life or hours of almost zero, such as 1e-300
        name, value = (
            ("life_years", life_years)
            if life * HOURS_PER_YEAR <= hours
            else ("hours_per_year", hours_per_year)
        )
        raise AimInputError(name, "is too small: the cost per GPU-hour is beyond 1e308", value)
    return out


def token_cost(gpu_hour_cost: float, tokens_per_second: float, utilization: float = 1.0) -> float:
    """Cost per million tokens from the cost of a GPU-hour and its throughput.

    ``gpu_hour_cost / (tokens_per_second * utilization * 3600 / 1e6)``.

    Parameters
    ----------
    gpu_hour_cost : float
        Cost (or rental price) of one GPU for one hour, >= 0, US$ per hour.
    tokens_per_second : float
        Tokens one GPU produces per second while busy, > 0.
    utilization : float, default 1
        Share of the paid hours the GPU is busy, above 0 and up to 1.

    Returns
    -------
    float
        US$ (the currency of ``gpu_hour_cost``) per million tokens.

    Raises
    ------
    AimInputError
        For a value outside the ranges above.

    Examples
    --------
    The seed's 表7 prices DeepSeek R1 on H200 at the US$1.90 rental price and 735
    tokens/s (printed $0.72 per million tokens):

    >>> round(token_cost(1.90, 735), 4)
    0.7181
    """
    cost = _finite(gpu_hour_cost, "gpu_hour_cost")
    if cost < 0:
        raise AimInputError("gpu_hour_cost", "must be >= 0", gpu_hour_cost)
    speed = _finite(tokens_per_second, "tokens_per_second")
    if speed <= 0:
        raise AimInputError("tokens_per_second", "must be > 0", tokens_per_second)
    busy = _share(utilization, "utilization")
    if busy == 0:
        raise AimInputError(
            "utilization", "must be above 0 (an idle GPU makes no tokens)", utilization
        )
    per_hour = speed * busy * 3600.0 / 1e6  # million tokens per paid hour
    out = cost / per_hour if per_hour > 0 else (0.0 if cost == 0 else math.inf)
    if not math.isfinite(out):  # only for a speed or utilization of almost zero
        name, value = (
            ("utilization", utilization)
            if busy < speed
            else ("tokens_per_second", tokens_per_second)
        )
        raise AimInputError(
            name, "is too small: the cost per million tokens is beyond 1e308", value
        )
    return out
