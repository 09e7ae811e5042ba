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
