"""AIM_CASH_BURN, AIM_RUNWAY and their core.

Seed figures from /work/shared/seeds/000_c4b25e50ec2df58c.txt, 图23 CoreWeave (line
897). The report prints no free cash flow or runway, so the expected values are the
hand calculations written out beside each assertion.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import cash_amounts, fcf_series
from udfs import AIM_CASH_BURN, AIM_RUNWAY
from udfs.core import neocloud
from udfs.errors import AimInputError
from udfs.excel._worksheet import summary

PROPERTY = settings(max_examples=80, deadline=None)

# 图23 (line 897), US$m, 24Q1..25Q3 (25Q4E prints no D&A or interest).
ADJ_OPERATING_INCOME = [25, 85, 125, 121, 163, 200, 217]  # line 910, 经调整经营利润
D_AND_A = [80, 164, 243, 365, 443, 559, 630]  # line 906, 折旧和摊销
INTEREST = [41, 67, 104, 149, 264, 267, 311]  # line 908, 利息费用
ADJ_CAPEX = [1188, 2574, 2237, 2411, 1858, 2937, 1850]  # line 903, 经调整Capex


def _column(result: list[list]) -> list:
    assert all(len(row) == 1 for row in result), result
    return [row[0] for row in result]


def simulate_runway(cash: float, flows: list[float]) -> float:
    """Walk the cash balance period by period; linear inside the period it crosses zero."""
    if cash <= 0:
        return 0.0
    balance = cash
    for t, flow in enumerate(flows):
        after = balance + flow
        if after <= 0:
            return t + balance / -flow
        balance = after
    return math.inf


# ---------------------------------------------------------------------------------------
# Seed
# ---------------------------------------------------------------------------------------


def test_coreweave_cash_burn_seed_fig23():
    # FCF = adjusted operating income + D&A - interest - capex, per quarter:
    # 24Q1 25 + 80 - 41 - 1188 = -1124;  24Q2 85 + 164 - 67 - 2574 = -2392;
    # 24Q3 125 + 243 - 104 - 2237 = -1973; 24Q4 121 + 365 - 149 - 2411 = -2074;
    # 25Q1 163 + 443 - 264 - 1858 = -1516; 25Q2 200 + 559 - 267 - 2937 = -2445;
    # 25Q3 217 + 630 - 311 - 1850 = -1314.
    want = [-1124, -2392, -1973, -2074, -1516, -2445, -1314]
    got = _column(AIM_CASH_BURN(ADJ_OPERATING_INCOME, D_AND_A, INTEREST, ADJ_CAPEX))
    assert got == want
    # Cash-flow statements print capex and interest paid as negative outflows: same answer.
    outflows = AIM_CASH_BURN(
        [ADJ_OPERATING_INCOME], [D_AND_A], [[-x for x in INTEREST]], [[-x for x in ADJ_CAPEX]]
    )
    assert _column(outflows) == want


def test_coreweave_runway_hand_worked():
    # A hypothetical US$3,000m of cash against the 25Q1-25Q3 burn above:
    # after 25Q1 3000 - 1516 = 1484 left; 25Q2 burns 2445 > 1484, so the cash lasts
    # 1 + 1484 / 2445 = 1.607 quarters.
    flows = [-1516, -2445, -1314]
    assert _column(AIM_RUNWAY(3000, flows))[0] == pytest.approx(1 + 1484 / 2445)
    # At the 25Q3 burn rate held constant: 3000 / 1314 = 2.283 quarters.
    assert AIM_RUNWAY(3000, -1314) == [[pytest.approx(3000 / 1314)]]


# ---------------------------------------------------------------------------------------
# Conventions
# ---------------------------------------------------------------------------------------


def test_runway_conventions():
    assert AIM_RUNWAY(0, -100) == [[0.0]]  # no cash at the start: 0
    assert AIM_RUNWAY(-50, [100, 100]) == [[0.0]]
    assert AIM_RUNWAY(1000, 0) == [["not exhausted"]]  # constant fcf >= 0: never
    assert AIM_RUNWAY(1000, 5) == [["not exhausted"]]
    assert AIM_RUNWAY(1000, [-100, -100]) == [["not exhausted"]]  # lasts the projection
    assert AIM_RUNWAY(1000, [-500, -500]) == [[2.0]]  # exactly zero at the end of period 2
    assert AIM_RUNWAY(1000, [-500, -500, 900]) == [[2.0]]  # zero counts as run out
    assert AIM_RUNWAY(1000, [-1200]) == [[pytest.approx(1000 / 1200)]]  # one cell: constant
    assert AIM_RUNWAY(1000, [[-1200]]) == AIM_RUNWAY(1000, -1200)


def test_taxes_scalar_or_series():
    # 10 + 5 - 2 - 3 - taxes: taxes 1 each period -> 9; a refund of 4 -> 14.
    assert AIM_CASH_BURN([10, 10], [5, 5], [2, 2], [3, 3], 1) == [[9.0], [9.0]]
    assert AIM_CASH_BURN([10, 10], [5, 5], [2, 2], [3, 3], [1, -4]) == [[9.0], [14.0]]
    assert AIM_CASH_BURN([10, 10], [5, 5], [2, 2], [3, 3], None) == [[10.0], [10.0]]


# ---------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------


@PROPERTY
@given(cash_amounts(-1e3, 1e5), fcf_series(min_size=2))
def test_runway_agrees_with_running_balance(cash, flows):
    got = AIM_RUNWAY(cash, flows)[0][0]
    want = simulate_runway(cash, flows)
    if math.isinf(want):
        assert got == "not exhausted"
        assert (cash + np.cumsum(flows) > 0).all()
        return
    assert got == pytest.approx(want, rel=1e-9, abs=1e-12)
    if cash > 0:
        # the balance, linear inside the period, is zero at the runway and positive before
        t = math.ceil(got) - 1  # the period in which the balance reaches zero: got in (t, t+1]
        before = cash + sum(flows[:t])
        assert before > 0
        assert before + flows[t] * (got - t) == pytest.approx(0.0, abs=1e-6 * (cash + 1))


@PROPERTY
@given(cash_amounts(0.01, 1e4), cash_amounts(-1e4, -1.0))  # at most 10,000 periods
def test_constant_burn_runway_brackets_the_simulation(cash, burn):
    got = neocloud.runway(cash, burn)
    assert got == pytest.approx(cash / -burn)
    n = math.ceil(got)
    walked = simulate_runway(cash, [burn] * (n + 1))
    assert walked == pytest.approx(got, rel=1e-9)


@PROPERTY
@given(
    st.integers(1, 12).flatmap(
        lambda n: st.tuples(
            *(st.lists(cash_amounts(-1e5, 1e5), min_size=n, max_size=n) for _ in range(4))
        )
    ),
    cash_amounts(-1e3, 1e3),
)
def test_cash_burn_identity_and_signs(series, tax):
    income, da, interest, capex = (np.asarray(s) for s in series)
    da = np.abs(da)
    got = neocloud.cash_burn(income, da, interest, capex, tax)
    want = income + da - np.abs(interest) - np.abs(capex) - tax
    assert np.allclose(got, want, rtol=0, atol=1e-6)
    flipped = neocloud.cash_burn(income, da, -interest, -capex, [tax] * income.size)
    assert np.array_equal(got, flipped)


# ---------------------------------------------------------------------------------------
# Excel shapes and cell texts
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape",
    [
        lambda xs: xs,
        lambda xs: [xs],
        lambda xs: [[x] for x in xs],
        lambda xs: np.array(xs, dtype=float),
        lambda xs: np.array([[x] for x in xs], dtype=object),
    ],
)
def test_cash_burn_shapes(shape):
    got = AIM_CASH_BURN(
        shape([25.0, 85.0]), shape([80.0, 164.0]), shape([41.0, 67.0]), shape([1188.0, 2574.0])
    )
    assert got == [[-1124.0], [-2392.0]]


def test_scalars():
    assert AIM_CASH_BURN(25, 80, 41, 1188) == [[-1124.0]]
    assert AIM_RUNWAY([[1000.0]], np.array([-400.0, -400.0, -400.0])) == [[2.5]]


@pytest.mark.parametrize(
    "call, text",
    [
        (
            lambda: AIM_CASH_BURN([1, 2, 3], [1, 2], [1, 2, 3], [1, 2, 3]),
            "#AIM! AIM_CASH_BURN: d_and_a must have as many cells as operating_income (3) "
            "(got 2-cell range)",
        ),
        (
            lambda: AIM_CASH_BURN([1, 2], [1, -2], [1, 2], [1, 2]),
            "#AIM! AIM_CASH_BURN: d_and_a must not be negative (position 2) (got -2)",
        ),
        (
            lambda: AIM_CASH_BURN([1, 2], [1, 2], [1, 2], [1, 2], [1, 2, 3]),
            "#AIM! AIM_CASH_BURN: taxes must be one value or one per period of "
            "operating_income (2) (got 3-cell range)",
        ),
        (
            lambda: AIM_CASH_BURN([1, None], [1, 2], [1, 2], [1, 2]),
            "#AIM! AIM_CASH_BURN: operating_income has an empty cell at position 2 "
            "(got empty cell)",
        ),
        (
            lambda: AIM_CASH_BURN([1, 2], [1, 2], ["x", 2], [1, 2]),
            "#AIM! AIM_CASH_BURN: interest must be a number at position 1 (got 'x')",
        ),
        (
            lambda: AIM_RUNWAY(False, -100),
            "#AIM! AIM_RUNWAY: cash must be a number, not TRUE/FALSE (got FALSE)",
        ),
        (
            lambda: AIM_RUNWAY([100, 200], -100),
            "#AIM! AIM_RUNWAY: cash must be a single cell (got 2-cell range)",
        ),
        (lambda: AIM_RUNWAY(100), "#AIM! AIM_RUNWAY: fcf is required (got nothing)"),
    ],
)
def test_error_texts(call, text):
    assert call() == text


def test_core_refuses_non_finite():
    with pytest.raises(AimInputError, match="cash must be a finite number"):
        neocloud.runway(math.inf, -1.0)
    with pytest.raises(AimInputError, match="fcf must hold finite numbers"):
        neocloud.runway(1.0, [-1.0, math.nan])
    with pytest.raises(AimInputError, match="capex must have as many periods"):
        neocloud.cash_burn([1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0])


@pytest.mark.parametrize("fn", [AIM_CASH_BURN, AIM_RUNWAY])
def test_function_wizard_texts_fit_excel(fn):
    assert 20 < len(summary(fn)) <= 255
    assert all(10 < len(doc) <= 255 for doc in fn.__aim_args__.values())
