"""Hypothesis strategies shared by aim's property tests, one headed section per area.

Add a new area as its own section below the last one; keep each section's names
prefixed or obviously scoped so that sections do not collide.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# ======================================================================================
# Depreciation: single assets (SLN/SYD/DDB/DB/VDB) and capex waterfalls / life changes
# Used by tests/test_depreciation.py, tests/test_waterfall.py.
# ======================================================================================

DEPRECIATION_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
"""Modest, deterministic settings for the depreciation properties (fast and repeatable)."""

DEPRECIATION_METHODS = ("SL", "SYD", "DDB", "DB", "VDB")
WATERFALL_CONVENTIONS = ("full", "half", "next")

costs = st.one_of(
    st.sampled_from([0.0, 1.0, 2400.0, 30000.0, 1_000_000.0]),
    st.floats(min_value=0.01, max_value=1e9, allow_nan=False, allow_infinity=False),
)
"""Asset cost in currency units, >= 0 (zero allowed; DB needs > 0, use ``positive_costs``)."""

positive_costs = costs.filter(lambda c: c > 0)

salvage_shares = st.one_of(
    st.sampled_from([0.0, 0.1, 0.5, 1.0]),
    st.floats(min_value=0.0, max_value=1.0, allow_nan=False),
)
"""Salvage as a share of cost, 0..1 (both ends included: salvage 0 and salvage = cost)."""

lives = st.one_of(st.sampled_from([1, 2, 3, 10, 120]), st.integers(min_value=1, max_value=60))
"""Whole useful lives in periods, 1..120, edge values favoured."""

factors = st.one_of(
    st.sampled_from([1.0, 1.5, 2.0, 3.0]),
    st.floats(min_value=0.1, max_value=6.0, allow_nan=False),
)
"""Declining-balance factors, > 0."""

months = st.integers(min_value=1, max_value=12)
"""DB's months in the first year."""

methods = st.sampled_from(DEPRECIATION_METHODS)
conventions = st.sampled_from(WATERFALL_CONVENTIONS)


@st.composite
def assets(draw: st.DrawFn, *, positive: bool = False) -> tuple[float, float, int]:
    """``(cost, salvage, life)`` with 0 <= salvage <= cost."""
    cost = draw(positive_costs if positive else costs)
    salvage = min(cost, cost * draw(salvage_shares))
    return cost, salvage, draw(lives)


_capex_amounts = st.one_of(
    st.just(0.0),
    st.sampled_from([1.0, 100.0, 120.0, 2500.0]),
    st.floats(min_value=0.0, max_value=1e6, allow_nan=False),
)


@st.composite
def capex_series(draw: st.DrawFn, *, max_length: int = 40) -> np.ndarray:
    """Capex per period, oldest first: all >= 0, or all <= 0 (outflows), with zero periods."""
    values = draw(st.lists(_capex_amounts, min_size=1, max_size=max_length))
    sign = draw(st.sampled_from([1.0, 1.0, -1.0]))
    return sign * np.array(values, dtype=float)


waterfall_lives = st.one_of(st.sampled_from([1, 2, 4, 6, 24]), st.integers(1, 30))
"""Whole lives for waterfall properties, 1..30 periods."""


# ======================================================================================
# Ratios, RPO, neocloud cash and unit economics
# Used by tests/test_ratios.py, tests/test_rpo.py, tests/test_neocloud.py,
# tests/test_unit_economics.py.
# ======================================================================================


def cash_amounts(min_value: float = -1e6, max_value: float = 1e6) -> st.SearchStrategy[float]:
    """Finite amounts in a currency unit (US$m), no subnormals."""
    return st.floats(
        min_value, max_value, allow_nan=False, allow_infinity=False, allow_subnormal=False
    )


def level_series(min_size: int = 0, max_size: int = 40) -> st.SearchStrategy[list[float]]:
    """Reported levels per period (revenue, capex): mostly positive, some zero or negative."""
    return st.lists(
        st.one_of(
            cash_amounts(1.0, 1e5), cash_amounts(1.0, 1e5), cash_amounts(-1e3, 1e3), st.just(0.0)
        ),
        min_size=min_size,
        max_size=max_size,
    )


def gappy_series(min_size: int = 0, max_size: int = 40) -> st.SearchStrategy[list[float | None]]:
    """Reported flows per period with empty cells (``None``) here and there."""
    flows = cash_amounts(-1e5, 1e5)
    return st.lists(st.one_of(flows, flows, flows, st.none()), min_size=min_size, max_size=max_size)


@st.composite
def rpo_curves(draw: st.DrawFn) -> tuple[float, float, int]:
    """A valid recognition curve: ``(pct_next_12m, horizon_years, periods_per_year)``.

    The horizon is a whole number of periods (drawn as periods, then divided), and a
    one-year horizon gets ``pct_next_12m = 1``.
    """
    ppy = draw(st.sampled_from([1, 2, 4, 12]))
    total = draw(st.integers(ppy, ppy * 6))
    pct = 1.0 if total == ppy else draw(st.floats(0.0, 1.0))
    return pct, total / ppy, ppy


def booking_series(max_size: int = 60) -> st.SearchStrategy[list[float]]:
    """Bookings per period, mostly positive, some net cancellations."""
    return st.lists(
        st.one_of(cash_amounts(0.0, 1e5), cash_amounts(0.0, 1e5), cash_amounts(-1e4, 0.0)),
        min_size=1,
        max_size=max_size,
    )


def fcf_series(min_size: int = 1, max_size: int = 40) -> st.SearchStrategy[list[float]]:
    """Projected free cash flow per period, burn or generation."""
    return st.lists(cash_amounts(-1e4, 1e4), min_size=min_size, max_size=max_size)


# ======================================================================================
# Financing: debt schedules, funded runway, contract schedules
# Used by tests/test_financing.py.
# ======================================================================================

debt_rates = st.one_of(
    st.sampled_from([0.0, 0.045, 0.08, 0.11, 0.15]),
    st.floats(0.0, 0.99, allow_nan=False, allow_subnormal=False),
)
"""Yearly interest rates, fractions in [0, 1)."""

debt_periods_per_year = st.sampled_from([1, 2, 4, 12, 52, 365])


@st.composite
def debt_flows(draw: st.DrawFn, *, max_size: int = 40) -> tuple[float, list[float], list[float]]:
    """``(opening, draws, repayments)`` that never repay more than is owed.

    Each repayment is a drawn share (0 to 1, both ends favoured) of the balance owed in
    its period (balance brought forward plus that period's draws), so some periods repay
    everything; about one repayment in four is entered as a negative outflow.
    """
    opening = draw(st.one_of(st.just(0.0), cash_amounts(0.0, 1e6)))
    n = draw(st.integers(1, max_size))
    draws = draw(st.lists(st.one_of(st.just(0.0), cash_amounts(0.0, 1e5)), min_size=n, max_size=n))
    shares = draw(
        st.lists(
            st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0.0, 1.0)), min_size=n, max_size=n
        )
    )
    signs = draw(st.lists(st.sampled_from([1.0, 1.0, 1.0, -1.0]), min_size=n, max_size=n))
    balance = opening
    repayments = []
    for d, share, sign in zip(draws, shares, signs, strict=True):
        paid = share * (balance + d)
        repayments.append(sign * paid)
        balance = balance + d - paid
    return opening, draws, repayments


@st.composite
def contract_terms(draw: st.DrawFn) -> tuple[float, int, int, str, int | None]:
    """``(total, start_period, term_periods, shape, periods)``; periods None half the time."""
    total = draw(st.one_of(st.sampled_from([0.0, 1200.0, -300.0]), cash_amounts(-1e9, 1e9)))
    start = draw(st.integers(1, 30))
    term = draw(st.one_of(st.sampled_from([1, 2, 4, 12]), st.integers(1, 200)))
    shape = draw(st.sampled_from(["level", "ramp"]))
    periods = draw(st.one_of(st.none(), st.integers(1, 260)))
    return total, start, term, shape, periods


# ======================================================================================
# Depreciation under a life policy that changes over time
# Used by tests/test_depr_policy.py.
# ======================================================================================


@st.composite
def policy_lives(draw: st.DrawFn, n: int, *, max_changes: int = 6) -> np.ndarray:
    """``n`` whole lives in force per period: a step function with up to ``max_changes``
    steps at random periods (consecutive steps may repeat a life: no change there)."""
    k = draw(st.integers(0, min(n - 1, max_changes)))
    starts = sorted(set(draw(st.lists(st.integers(1, max(n - 1, 1)), min_size=k, max_size=k))))
    out = np.full(n, draw(waterfall_lives), dtype=float)
    for c in starts:
        out[c:] = draw(waterfall_lives)
    return out
