"""Worksheet functions: cost of capital, capital cost per GPU-hour, cost per million tokens.

Each takes single cells and returns one cell. Rates and shares are fractions: a
percent-formatted cell (11%) arrives as 0.11; typing 11 is refused with a message.
"""

from __future__ import annotations

from udfs.core import unit_economics as core
from udfs.excel._shapes import number, share, whole
from udfs.excel._worksheet import worksheet

__all__ = ["AIM_GPU_HOUR_COST", "AIM_TOKEN_COST", "AIM_WACC"]


@worksheet(
    cost_of_equity="Cost of equity, a yearly rate >= 0 and < 1 (11% or 0.11).",
    cost_of_debt="Pre-tax cost of debt, a yearly rate >= 0 and < 1 (4.5% or 0.045).",
    equity_weight="Equity's share of funding, 0 to 1 (75% or 0.75); debt is the rest.",
    tax_rate="Optional tax rate for the interest tax shield, 0 to 1. Default 0 (none, as "
    "in SemiAnalysis' TCO tables).",
)
def AIM_WACC(cost_of_equity, cost_of_debt, equity_weight, tax_rate=None):
    """Weighted average cost of capital, a yearly rate (one cell; 0.094 = 9.4%).

    equity_weight * cost_of_equity + (1 - equity_weight) * cost_of_debt * (1 - tax_rate).
    """
    ke = number(cost_of_equity, "cost_of_equity")
    kd = number(cost_of_debt, "cost_of_debt")
    w = share(equity_weight, "equity_weight")
    t = share(tax_rate, "tax_rate", default=0.0)
    return [[core.wacc(ke, kd, w, t)]]


@worksheet(
    server_cost="Installed cost of one server, US$ (>= 0), e.g. 246391 for an 8x H200 server.",
    gpus_per_server="GPUs in the server, a whole number >= 1, e.g. 8.",
    life_years="Useful life in years, > 0 and <= 100, e.g. 4.",
    wacc="Optional yearly cost of capital, > -1 and < 1 (9.4% or 0.094). Default 0: "
    "straight-line; otherwise a level monthly payment at wacc/12.",
    hours_per_year="Optional hours each GPU is paid for per year, > 0 and <= 8784. "
    "Default 8760 (every hour).",
)
def AIM_GPU_HOUR_COST(server_cost, gpus_per_server, life_years, wacc=None, hours_per_year=None):
    """Capital cost per GPU-hour, US$/hour (one cell): straight-line, or a monthly annuity at wacc.

    With wacc: PMT(wacc/12, life_years*12, -server_cost) / gpus_per_server /
    (hours_per_year/12).
    """
    cost = number(server_cost, "server_cost", minimum=0)
    gpus = whole(gpus_per_server, "gpus_per_server", what="GPUs")
    life = number(life_years, "life_years", above=0, maximum=core.MAX_LIFE_YEARS)
    rate = number(wacc, "wacc", default=0.0)
    hours = number(hours_per_year, "hours_per_year", default=core.HOURS_PER_YEAR)
    return [[core.gpu_hour_cost(cost, gpus, life, rate, hours)]]


@worksheet(
    gpu_hour_cost="Cost or rental price of one GPU for one hour, US$/hour (>= 0), e.g. 1.90.",
    tokens_per_second="Tokens one GPU produces per second while busy, > 0, e.g. 735.",
    utilization="Optional share of paid hours the GPU is busy, above 0 up to 1 (60% or "
    "0.6). Default 1.",
)
def AIM_TOKEN_COST(gpu_hour_cost, tokens_per_second, utilization=None):
    """Cost per million tokens, US$ per 1M tokens (one cell).

    gpu_hour_cost / (tokens_per_second * utilization * 3600 / 1e6).
    """
    cost = number(gpu_hour_cost, "gpu_hour_cost", minimum=0)
    speed = number(tokens_per_second, "tokens_per_second", above=0)
    busy = share(utilization, "utilization", default=1.0)
    return [[core.token_cost(cost, speed, busy)]]  # the core refuses utilization 0
