"""AIM_DEBT_SCHEDULE, AIM_FUNDED_RUNWAY, AIM_CONTRACT_SCHEDULE and their core.

Expected values are hand calculations written out beside each assertion, and plain
per-period reference loops (below) that walk a balance one period at a time, the way
a spreadsheet would, with none of the core's vectorised sums.
"""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import (
    cash_amounts,
    contract_terms,
    debt_flows,
    debt_periods_per_year,
    debt_rates,
    fcf_series,
)
from udfs.core import contracts, debt
from udfs.errors import AimInputError
from udfs.excel._worksheet import summary
from udfs.excel.financing import AIM_CONTRACT_SCHEDULE, AIM_DEBT_SCHEDULE, AIM_FUNDED_RUNWAY
from udfs.excel.neocloud import AIM_RUNWAY

PROPERTY = settings(max_examples=100, deadline=None, derandomize=True)


def _column(result: list[list]) -> list:
    assert all(len(row) == 1 for row in result), result
    return [row[0] for row in result]


# ---------------------------------------------------------------------------------------
# Reference loops: one period at a time
# ---------------------------------------------------------------------------------------


def reference_debt(
    opening: float,
    draws: list[float],
    repayments: list[float],
    rate: float | list[float],
    ppy: int = 4,
    interest_on: str = "opening",
) -> list[list[float]]:
    """[interest, closing] per period, walking the balance."""
    rows = []
    balance = opening
    for t, (drawn, repaid) in enumerate(zip(draws, repayments, strict=True)):
        yearly = rate if isinstance(rate, float) else rate[t]
        closing = balance + drawn - abs(repaid)
        charged_on = balance if interest_on == "opening" else (balance + closing) / 2
        rows.append([yearly / ppy * charged_on, closing])
        balance = closing
    return rows


def reference_funded_runway(
    cash: float, ocf: list[float], capex: list[float], service: list[float], raised: list[float]
) -> tuple[float, float]:
    """(periods until cash reaches zero, linear within the period; lowest cash)."""
    periods = 0.0 if cash <= 0 else math.inf
    balance = lowest = cash
    for t in range(len(ocf)):
        flow = ocf[t] - abs(capex[t]) - abs(service[t]) + raised[t]
        after = balance + flow
        if math.isinf(periods) and after <= 0:
            periods = t + balance / -flow
        balance = after
        lowest = min(lowest, balance)
    return periods, lowest


def reference_contract(
    total: float, start: int, term: int, shape: str = "level", periods: int | None = None
) -> list[float]:
    """The amount in each row: k-th period of the term gets total/term or total*k/(1+...+term)."""
    rows = start - 1 + term if periods is None else periods
    parts = sum(range(1, term + 1))
    out = []
    for row in range(1, rows + 1):
        k = row - start + 1  # period of the term, 1-based
        if not 1 <= k <= term:
            out.append(0.0)
        elif shape == "level":
            out.append(total / term)
        else:
            out.append(total * k / parts)
    return out


# ---------------------------------------------------------------------------------------
# AIM_DEBT_SCHEDULE: hand calculations
# ---------------------------------------------------------------------------------------


def test_debt_interest_hand_worked():
    # 1,000 outstanding at 8% a year, in quarters: 1000 x 0.08 / 4 = 20 a quarter.
    assert AIM_DEBT_SCHEDULE(1000, [0, 0], [0, 0], 0.08) == [[20.0, 1000.0], [20.0, 1000.0]]
    # Monthly at 12%: 1% a month, 10 on 1,000; yearly: 80 on 1,000 at 8%.
    assert AIM_DEBT_SCHEDULE(1000, [0], [0], 0.12, 12) == [[pytest.approx(10.0), 1000.0]]
    assert AIM_DEBT_SCHEDULE(1000, [0], [0], 0.08, 1) == [[80.0, 1000.0]]


def test_debt_draws_and_repayments_hand_worked():
    # Opening 1,000 at 10% a year, quarters (2.5% a quarter); 500 drawn in Q2; 250 repaid
    # in Q3 and the remaining 1,250 in Q4.
    #   quarter   opening  draws  repaid  closing   interest on opening   on the average
    #   1          1000      0      0     1000      25                    (1000+1000)/2 -> 25
    #   2          1000    500      0     1500      25                    (1000+1500)/2 -> 31.25
    #   3          1500      0    250     1250      37.5                  (1500+1250)/2 -> 34.375
    #   4          1250      0   1250        0      31.25                 (1250+0)/2    -> 15.625
    args = (1000, [0, 500, 0, 0], [0, 0, 250, 1250], 0.10)
    assert AIM_DEBT_SCHEDULE(*args) == [
        [25.0, 1000.0],
        [25.0, 1500.0],
        [37.5, 1250.0],
        [31.25, 0.0],
    ]
    assert AIM_DEBT_SCHEDULE(*args, 4, "average") == [
        [25.0, 1000.0],
        [31.25, 1500.0],
        [34.375, 1250.0],
        [15.625, 0.0],
    ]
    # Interest is paid in cash, not capitalised: the balance never includes it.
    assert [row[1] for row in AIM_DEBT_SCHEDULE(1000, [0] * 8, [0] * 8, 0.15)] == [1000.0] * 8


def test_debt_rate_per_period_and_conventions():
    # 8% then 12% on 1,000: 20 then 30 a quarter; one cell means every period.
    assert AIM_DEBT_SCHEDULE(1000, [0, 0], [0, 0], [0.08, 0.12]) == [
        [20.0, 1000.0],
        [30.0, 1000.0],
    ]
    assert AIM_DEBT_SCHEDULE(1000, [0, 0], [0, 0], [[0.08]]) == AIM_DEBT_SCHEDULE(
        1000, [0, 0], [0, 0], 0.08
    )
    # Repayments by size: a cash-flow statement's -250 is a repayment of 250.
    assert AIM_DEBT_SCHEDULE(1000, [0, 0], [0, -250], 0.08) == AIM_DEBT_SCHEDULE(
        1000, [0, 0], [0, 250], 0.08
    )
    # Empty cells in draws and repayments are 0; rows, columns and numpy arrays alike.
    want = AIM_DEBT_SCHEDULE(1000, [0, 500, 0], [100, 0, 0], 0.08)
    assert AIM_DEBT_SCHEDULE(1000, [[None], [500], [None]], [[100, None, " "]], 0.08) == want
    assert AIM_DEBT_SCHEDULE(1000, np.array([0.0, 500, 0]), (100, 0, 0), "8%") == want
    # A period's draws come before its repayment: refinancing in one period is fine.
    # 100 owed + 200 drawn - 300 repaid = 0; interest on the opening 100: 2.
    assert AIM_DEBT_SCHEDULE(100, [200], [300], 0.08) == [[2.0, 0.0]]
    # An empty optional argument is its default.
    assert AIM_DEBT_SCHEDULE(1000, [0], [500], 0.08, None, None) == AIM_DEBT_SCHEDULE(
        1000, [0], [500], 0.08, 4, "opening"
    )
    assert AIM_DEBT_SCHEDULE(1000, [0], [500], 0.08, 4, " Average ") == [[15.0, 500.0]]


def test_debt_repayment_beyond_the_balance_is_refused():
    # 100 owed; 60 repaid leaves 40, so a second 60 is 20 too many (position 2).
    assert AIM_DEBT_SCHEDULE(100, [0, 0], [60, 60], 0.08) == (
        "#AIM! AIM_DEBT_SCHEDULE: repayments must not exceed the 40 owed at position 2 (got 60.0)"
    )
    # The position counts the period's draws: 100 + 50 owed in period 1.
    assert AIM_DEBT_SCHEDULE(100, [50], [-151], 0.08) == (
        "#AIM! AIM_DEBT_SCHEDULE: repayments must not exceed the 150 owed at position 1 "
        "(got -151.0)"
    )
    # Repaying exactly what is owed, however it was summed, is not refused: 0.1 + 0.2
    # drawn, 0.3 repaid (0.1 + 0.2 is 0.30000000000000004 in binary).
    assert AIM_DEBT_SCHEDULE(0, [0.1, 0.2, 0], [0, 0, 0.3], 0.08)[-1][1] == pytest.approx(
        0.0, abs=1e-15
    )
    assert AIM_DEBT_SCHEDULE(0.3, [0, 0, 0], [0.1, 0.1, 0.1], 0.08)[-1][1] >= 0.0


# ---------------------------------------------------------------------------------------
# AIM_DEBT_SCHEDULE: properties
# ---------------------------------------------------------------------------------------


def _scale(opening: float, draws: list[float], repayments: list[float]) -> float:
    return opening + sum(draws) + sum(abs(r) for r in repayments) + 1.0


@PROPERTY
@given(debt_flows(), debt_rates, debt_periods_per_year, st.sampled_from(["opening", "average"]))
def test_debt_schedule_agrees_with_the_reference_loop(flows, rate, ppy, basis):
    opening, draws, repayments = flows
    got = AIM_DEBT_SCHEDULE(opening, draws, repayments, rate, ppy, basis)
    want = reference_debt(opening, draws, repayments, rate, ppy, basis)
    tol = 1e-9 * _scale(opening, draws, repayments)
    assert len(got) == len(want) and all(len(row) == 2 for row in got)
    for (interest, closing), (want_interest, want_closing) in zip(got, want, strict=True):
        assert closing >= 0.0
        assert closing == pytest.approx(want_closing, rel=1e-9, abs=tol)
        assert interest >= 0.0
        assert interest == pytest.approx(want_interest, rel=1e-9, abs=tol * rate / ppy)


@PROPERTY
@given(debt_flows(), debt_rates)
def test_closing_balance_is_opening_plus_draws_minus_repayments(flows, rate):
    opening, draws, repayments = flows
    got = AIM_DEBT_SCHEDULE(opening, draws, repayments, rate)
    want = opening + sum(draws) - sum(abs(r) for r in repayments)
    assert got[-1][1] == pytest.approx(want, rel=1e-9, abs=1e-9 * _scale(*flows))
    # each period: closing[t] = closing[t - 1] + draws[t] - |repayments[t]|
    before = [opening] + [row[1] for row in got[:-1]]
    for t, (b, row) in enumerate(zip(before, got, strict=True)):
        step = b + draws[t] - abs(repayments[t])
        assert row[1] == pytest.approx(step, rel=1e-9, abs=1e-9 * _scale(*flows))


@PROPERTY
@given(debt_flows(), st.lists(debt_rates, min_size=40, max_size=40), debt_periods_per_year)
def test_average_interest_lies_between_interest_on_the_two_balances(flows, rates, ppy):
    opening, draws, repayments = flows
    rates = rates[: len(draws)]
    on_opening = debt.debt_schedule(opening, draws, repayments, rates, ppy, "opening")[0]
    on_average, closing = debt.debt_schedule(opening, draws, repayments, rates, ppy, "average")
    on_closing = np.asarray(rates) / ppy * closing  # opening-based interest of the closing
    low = np.minimum(on_opening, on_closing)
    high = np.maximum(on_opening, on_closing)
    assert (low <= on_average).all() and (on_average <= high).all()
    # a per-period rate that is the same every period is the one-cell rate
    flat = debt.debt_schedule(opening, draws, repayments, [rates[0]] * len(draws), ppy)
    one = debt.debt_schedule(opening, draws, repayments, rates[0], ppy)
    assert np.array_equal(flat[0], one[0]) and np.array_equal(flat[1], one[1])


@PROPERTY
@given(debt_flows(), debt_rates, st.sampled_from([0.5, 2.0, 4.0, 1024.0]))
def test_debt_schedule_scales_with_its_amounts(flows, rate, k):
    opening, draws, repayments = flows
    base = debt.debt_schedule(opening, draws, repayments, rate)
    scaled = debt.debt_schedule(
        k * opening, [k * d for d in draws], [k * r for r in repayments], rate
    )
    # exact for a power of two, but for results below the normal range (1e-308)
    np.testing.assert_allclose(scaled[0], k * base[0], rtol=0, atol=1e-300)
    np.testing.assert_allclose(scaled[1], k * base[1], rtol=0, atol=1e-300)


# ---------------------------------------------------------------------------------------
# AIM_FUNDED_RUNWAY
# ---------------------------------------------------------------------------------------


def test_funded_runway_hand_worked():
    # 1,000 of cash; each quarter OCF -100, capex 300, debt service 50: -450 a quarter.
    # Cash 550 after Q1, 100 after Q2; Q3 burns 450 > 100, so it lasts 2 + 100/450.
    # The lowest cash is the end of Q3: 100 - 450 = -350.
    ocf, capex, service = [-100] * 3, [300] * 3, [50] * 3
    assert AIM_FUNDED_RUNWAY(1000, ocf, capex, service, [0, 0, 0]) == [
        [pytest.approx(2 + 100 / 450), -350.0]
    ]
    # Borrowing 500 in Q2: 550, 600, 150; cash lasts the projection, lowest 150.
    assert AIM_FUNDED_RUNWAY(1000, ocf, capex, service, [0, 500, 0]) == [["not exhausted", 150.0]]
    # Capex and debt service printed as outflows (negative): the same answer.
    assert AIM_FUNDED_RUNWAY(1000, ocf, [-300] * 3, [[-50], [-50], [-50]], [[0, 500, 0]]) == [
        ["not exhausted", 150.0]
    ]
    # Empty debt service or borrowing cells are 0.
    assert AIM_FUNDED_RUNWAY(1000, ocf, capex, [50, None, 50], [None] * 3) == [
        [pytest.approx(2 + 150 / 450), -300.0]
    ]


def test_funded_runway_conventions():
    # Cash growing from the start: the lowest cash is the start cash.
    assert AIM_FUNDED_RUNWAY(100, [50, 50], [10, 10], [0, 0], [0, 0]) == [["not exhausted", 100.0]]
    # No cash at the start: a runway of 0, lowest cash the start (or lower).
    assert AIM_FUNDED_RUNWAY(0, [50], [10], [0], [0]) == [[0.0, 0.0]]
    assert AIM_FUNDED_RUNWAY(-20, [-5], [0], [0], [0]) == [[0.0, -25.0]]
    # Reaching exactly zero at a period end counts as running out.
    assert AIM_FUNDED_RUNWAY(100, [0, 0], [50, 50], [0, 0], [0, 0]) == [[2.0, 0.0]]
    # One period is a one-period projection (not a constant flow, as AIM_RUNWAY's one cell).
    assert AIM_FUNDED_RUNWAY(1000, -100, 0, 0, 0) == [["not exhausted", 900.0]]


@PROPERTY
@given(
    cash_amounts(-1e3, 1e5),
    st.integers(1, 30).flatmap(
        lambda n: st.tuples(
            *(st.lists(cash_amounts(-1e4, 1e4), min_size=n, max_size=n) for _ in range(3)),
            st.lists(cash_amounts(0.0, 1e4), min_size=n, max_size=n),
        )
    ),
)
def test_funded_runway_agrees_with_the_reference_loop(cash, series):
    ocf, capex, service, raised = series
    got_periods, got_lowest = AIM_FUNDED_RUNWAY(cash, ocf, capex, service, raised)[0]
    want_periods, want_lowest = reference_funded_runway(cash, ocf, capex, service, raised)
    assert got_lowest == pytest.approx(want_lowest, rel=1e-9, abs=1e-6)
    assert got_lowest <= cash
    if math.isinf(want_periods):
        assert got_periods == "not exhausted"
    else:
        assert got_periods == pytest.approx(want_periods, rel=1e-9, abs=1e-12)


@PROPERTY
@given(cash_amounts(-1e3, 1e5), cash_amounts(0.0, 1e4), fcf_series(min_size=1))
def test_funded_runway_is_monotone_in_cash(cash, more, flows):
    n = len(flows)
    zeros = [0.0] * n

    def run(c: float) -> tuple[float, float]:
        periods, lowest = debt.funded_runway(c, flows, zeros, zeros, zeros)
        return periods, lowest

    low, high = run(cash), run(cash + more)
    assert low[0] <= high[0]  # math.inf (not exhausted) is the longest runway
    assert low[1] <= high[1]


@PROPERTY
@given(cash_amounts(0.01, 1e5), fcf_series(min_size=2), fcf_series(min_size=2))
def test_funded_runway_without_debt_is_aim_runway(cash, ocf, capex):
    n = min(len(ocf), len(capex))
    ocf, capex = ocf[:n], capex[:n]
    zeros = [0.0] * n
    fcf = [o - abs(c) for o, c in zip(ocf, capex, strict=True)]
    assert AIM_FUNDED_RUNWAY(cash, ocf, capex, zeros, zeros)[0][0] == AIM_RUNWAY(cash, fcf)[0][0]


# ---------------------------------------------------------------------------------------
# AIM_CONTRACT_SCHEDULE
# ---------------------------------------------------------------------------------------


def test_contract_hand_worked():
    # 1,200 over 4 quarters from quarter 2: level 300 a quarter.
    assert _column(AIM_CONTRACT_SCHEDULE(1200, 2, 4)) == [0.0, 300.0, 300.0, 300.0, 300.0]
    # Ramp: 1 + 2 + 3 + 4 = 10 parts of 120: 120, 240, 360, 480.
    assert _column(AIM_CONTRACT_SCHEDULE(1200, 2, 4, "ramp")) == [0.0, 120.0, 240.0, 360.0, 480.0]
    # periods shorter than start - 1 + term (5) cuts the schedule; longer pads with zeros.
    assert _column(AIM_CONTRACT_SCHEDULE(1200, 2, 4, "level", 3)) == [0.0, 300.0, 300.0]
    assert _column(AIM_CONTRACT_SCHEDULE(1200, 2, 4, "RAMP", 7)) == [
        0.0,
        120.0,
        240.0,
        360.0,
        480.0,
        0.0,
        0.0,
    ]
    # A contract starting after the rows returned: all zeros.
    assert _column(AIM_CONTRACT_SCHEDULE(1200, 9, 4, None, 3)) == [0.0, 0.0, 0.0]
    # The sign of the total is kept (an outflow entered as negative).
    assert _column(AIM_CONTRACT_SCHEDULE(-90, 1, 3)) == [-30.0, -30.0, -30.0]
    # Empty optional arguments are the defaults.
    assert AIM_CONTRACT_SCHEDULE(1200, 2, 4, None, None) == AIM_CONTRACT_SCHEDULE(1200, 2, 4)


@PROPERTY
@given(contract_terms())
def test_contract_agrees_with_the_reference_loop(terms):
    got = _column(AIM_CONTRACT_SCHEDULE(*terms))
    want = reference_contract(*terms)
    assert len(got) == len(want)
    assert got == pytest.approx(want, rel=1e-12, abs=1e-12 * abs(terms[0]))


@PROPERTY
@given(contract_terms())
def test_contract_sums_to_its_total_and_cuts_or_pads(terms):
    total, start, term, shape, periods = terms
    full = contracts.contract_schedule(total, start, term, shape)
    assert full.size == start - 1 + term
    assert full.sum() == pytest.approx(total, rel=1e-12, abs=1e-300)
    assert (full[: start - 1] == 0).all()
    amounts = full[start - 1 :]
    if shape == "level":
        assert (amounts == amounts[0]).all()
    else:  # proportional to 1, 2, ..., term
        k = np.arange(1, term + 1)
        assert amounts == pytest.approx(k * amounts[0], rel=1e-12, abs=1e-300)
    if periods is not None:
        shown = contracts.contract_schedule(total, start, term, shape, periods)
        assert shown.size == periods
        common = min(periods, full.size)
        assert np.array_equal(shown[:common], full[:common])  # cut: the same first rows
        assert (shown[common:] == 0).all()  # padded with zeros


# ---------------------------------------------------------------------------------------
# Error texts
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, text",
    [
        (
            lambda: AIM_DEBT_SCHEDULE(-1, [0], [0], 0.08),
            "#AIM! AIM_DEBT_SCHEDULE: opening must be >= 0 (got -1)",
        ),
        (
            lambda: AIM_DEBT_SCHEDULE(1000, [0, -5], [0, 0], 0.08),
            "#AIM! AIM_DEBT_SCHEDULE: draws must not be negative (position 2) (got -5)",
        ),
        (
            lambda: AIM_DEBT_SCHEDULE(1000, [0, 0], [0, 0, 0], 0.08),
            "#AIM! AIM_DEBT_SCHEDULE: repayments must have as many cells as draws (2) "
            "(got 3-cell range)",
        ),
        (
            lambda: AIM_DEBT_SCHEDULE(1000, [0, 0], [0, 0], 8),
            "#AIM! AIM_DEBT_SCHEDULE: rate must be a yearly rate >= 0 and < 1, e.g. 0.08 for "
            "8% (position 1) (got 8.0)",
        ),
        (
            lambda: AIM_DEBT_SCHEDULE(1000, [0, 0, 0], [0, 0, 0], [0.08, 0.1]),
            "#AIM! AIM_DEBT_SCHEDULE: rate must be one value or one per period of draws (3) "
            "(got 2-cell range)",
        ),
        (
            lambda: AIM_DEBT_SCHEDULE(1000, [0, 0], [0, 0], [0.08, None]),
            "#AIM! AIM_DEBT_SCHEDULE: rate has an empty cell at position 2 (got empty cell)",
        ),
        (
            lambda: AIM_DEBT_SCHEDULE(1000, [0], [0], 0.08, 4, "closing"),
            "#AIM! AIM_DEBT_SCHEDULE: interest_on must be one of opening, average (got 'closing')",
        ),
        (
            lambda: AIM_DEBT_SCHEDULE(1000, [0], [0]),
            "#AIM! AIM_DEBT_SCHEDULE: rate is required (got nothing)",
        ),
        (
            lambda: AIM_FUNDED_RUNWAY(1000, [1, None], [1, 1], [1, 1], [1, 1]),
            "#AIM! AIM_FUNDED_RUNWAY: ocf has an empty cell at position 2 (got empty cell)",
        ),
        (
            lambda: AIM_FUNDED_RUNWAY(1000, [1, 1], [1, 1], [1, 1], [0, -5]),
            "#AIM! AIM_FUNDED_RUNWAY: borrowing must not be negative (position 2) (got -5)",
        ),
        (
            lambda: AIM_FUNDED_RUNWAY(1000, [1, 1], [1, 1], [1], [0, 0]),
            "#AIM! AIM_FUNDED_RUNWAY: debt_service must have as many cells as ocf (2) "
            "(got 1-cell range)",
        ),
        (
            lambda: AIM_CONTRACT_SCHEDULE(1200, 0, 4),
            "#AIM! AIM_CONTRACT_SCHEDULE: start_period must be a whole number of periods >= 1 "
            "(got 0)",
        ),
        (
            lambda: AIM_CONTRACT_SCHEDULE(1200, 1, 2.5),
            "#AIM! AIM_CONTRACT_SCHEDULE: term_periods must be a whole number of periods (got 2.5)",
        ),
        (
            lambda: AIM_CONTRACT_SCHEDULE(1200, 1, 4, "flat"),
            "#AIM! AIM_CONTRACT_SCHEDULE: shape must be one of level, ramp (got 'flat')",
        ),
        (
            lambda: AIM_CONTRACT_SCHEDULE(1200, 1_000_000, 100_000),
            "#AIM! AIM_CONTRACT_SCHEDULE: term_periods must end by period 1,048,576 "
            "(start_period - 1 + term_periods is 1,099,999); give periods to cut the schedule "
            "(got 100000)",
        ),
        (
            lambda: AIM_CONTRACT_SCHEDULE(1200, 1, 4, "level", 2_000_000),
            "#AIM! AIM_CONTRACT_SCHEDULE: periods must be a whole number of periods "
            "<= 1048576 (got 2000000)",
        ),
    ],
)
def test_error_texts(call, text):
    assert call() == text


def test_core_refuses_what_the_adapter_would():
    with pytest.raises(AimInputError, match="opening must not be negative"):
        debt.debt_schedule(-1.0, [0.0], [0.0], 0.08)
    with pytest.raises(AimInputError, match="periods_per_year must be a whole number"):
        debt.debt_schedule(1.0, [0.0], [0.0], 0.08, 2.5)
    with pytest.raises(AimInputError, match="interest_on must be one of"):
        debt.debt_schedule(1.0, [0.0], [0.0], 0.08, 4, "closing")
    with pytest.raises(AimInputError, match="rate must be a yearly rate"):
        debt.annual_rates(-0.01, 3)
    with pytest.raises(AimInputError, match="cash must be a finite number"):
        debt.funded_runway(math.nan, [0.0], [0.0], [0.0], [0.0])
    with pytest.raises(AimInputError, match="capex must have as many periods as ocf"):
        debt.funded_net_flow([0.0, 1.0], [0.0], [0.0, 1.0], [0.0, 1.0])
    with pytest.raises(AimInputError, match="total must be a finite number"):
        contracts.contract_schedule(math.inf, 1, 4)
    with pytest.raises(AimInputError, match="shape must be one of level, ramp"):
        contracts.contract_schedule(1.0, 1, 4, "flat")
    with pytest.raises(AimInputError, match="periods must be a whole number of periods >= 1"):
        contracts.contract_schedule(1.0, 1, 4, "level", 0)


@pytest.mark.parametrize("fn", [AIM_DEBT_SCHEDULE, AIM_FUNDED_RUNWAY, AIM_CONTRACT_SCHEDULE])
def test_function_wizard_texts_fit_excel(fn):
    first = summary(fn)
    assert 20 < len(first) <= 255 and "`" not in first and "*" not in first
    assert all(10 < len(doc) <= 255 for doc in fn.__aim_args__.values())


# ---------------------------------------------------------------------------------------
# 10^6 periods, in linear time
# ---------------------------------------------------------------------------------------

N = 1_000_000
SECONDS = 5.0


def timed(fn: Callable[..., Any], *args: Any) -> tuple[Any, float]:
    start = time.process_time()
    result = fn(*args)
    elapsed = time.process_time() - start
    assert elapsed < SECONDS, f"{fn.__name__} took {elapsed:.1f} s"
    assert not isinstance(result, str), result
    return result, elapsed


def test_debt_schedule_a_million_periods():
    # 1 drawn and 0.5 repaid every quarter: closing t x 0.5; interest at 8% a year on
    # the opening balance (t - 1) x 0.5 is 0.02 x 0.5 (t - 1).
    out, _ = timed(AIM_DEBT_SCHEDULE, 0.0, [1.0] * N, [0.5] * N, 0.08)
    assert len(out) == N and out[0] == [0.0, 0.5]
    assert out[-1] == [pytest.approx(0.01 * (N - 1)), N * 0.5]
    del out
    # N outstanding repaid at 1 a period: paid off exactly at the last period.
    out, _ = timed(
        AIM_DEBT_SCHEDULE, float(N), [[None]] * N, [[-1.0]] * N, [0.08] * N, 4, "average"
    )
    assert out[0] == [pytest.approx(0.02 * (N - 0.5)), N - 1.0]
    assert out[-1] == [pytest.approx(0.02 * 0.5), 0.0]
    del out


def test_funded_runway_a_million_periods():
    # ocf 2 - capex 2 - debt service 1.5 + borrowing 0.5 = -1 a period: N - 0.5 of cash
    # lasts N - 0.5 periods; the lowest cash, at the end, is -0.5.
    args = ([2.0] * N, [-2.0] * N, [1.5] * N, [0.5] * N)
    out, _ = timed(AIM_FUNDED_RUNWAY, N - 0.5, *args)
    assert out == [[pytest.approx(N - 0.5), -0.5]]
    assert timed(AIM_FUNDED_RUNWAY, N + 1.0, *args)[0] == [["not exhausted", 1.0]]


def test_contract_schedule_a_million_periods():
    out, _ = timed(AIM_CONTRACT_SCHEDULE, float(N), 1, N)
    assert len(out) == N and out[0] == [1.0] and out[-1] == [1.0]
    del out
    # ramp over N: the last period is N x N / (N (N + 1) / 2) = 2N / (N + 1)
    out, _ = timed(AIM_CONTRACT_SCHEDULE, float(N), 1, N, "ramp")
    assert out[-1][0] == pytest.approx(2 * N / (N + 1), rel=1e-12)
    assert sum(row[0] for row in out) == pytest.approx(N, rel=1e-12)
    del out
    # a 10^6-period term cut to 4 rows costs 4 rows, not 10^6
    out, elapsed = timed(AIM_CONTRACT_SCHEDULE, float(N), 1, 1_048_576, "ramp", 4)
    assert len(out) == 4 and elapsed < 0.01


def _best_of(n: int, fn: Callable[[], Any]) -> float:
    """The fastest of ``n`` calls, garbage collector off: its passes over every live
    object are not the function's work, and make the ratio below noisy."""
    best = math.inf
    gc.collect()
    gc.disable()
    try:
        for _ in range(n):
            start = time.process_time()
            fn()
            best = min(best, time.process_time() - start)
    finally:
        gc.enable()
    return best


@pytest.mark.parametrize(
    "fn, make",
    [
        (AIM_DEBT_SCHEDULE, lambda n: (1e6, [1.0] * n, [1.0] * n, [0.08] * n, 4, "average")),
        (AIM_FUNDED_RUNWAY, lambda n: (1e9, [1.0] * n, [2.0] * n, [0.5] * n, [0.1] * n)),
        (AIM_CONTRACT_SCHEDULE, lambda n: (1e6, 10, n, "ramp")),
    ],
)
def test_time_is_linear_in_periods(fn, make):
    # Ten times the periods takes about ten times as long (13-15 times measured, as the
    # larger arrays leave the caches); a quadratic step would take 100 times.
    small_args, large_args = make(N // 10), make(N)
    small = _best_of(3, lambda: fn(*small_args))
    large = _best_of(3, lambda: fn(*large_args))
    assert large / small < 30, f"{fn.__name__}: {small * 1e3:.1f} ms -> {large * 1e3:.1f} ms"
