"""AIM_RPO_SCHEDULE, AIM_RPO_CONVERSION, AIM_IMPLIED_BOOKINGS and their core.

The seed (/work/shared/seeds/000_c4b25e50ec2df58c.txt) prints RPO balances and growth
(表9, line 819) but no recognition schedule, so its figures are used for consistency
checks and mechanics, each worked by hand in a comment.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import booking_series, cash_amounts, rpo_curves
from udfs import AIM_IMPLIED_BOOKINGS, AIM_RPO_CONVERSION, AIM_RPO_SCHEDULE
from udfs.core import rpo
from udfs.errors import AimInputError
from udfs.excel._worksheet import summary

PROPERTY = settings(max_examples=60, deadline=None)


def _column(result: list[list]) -> list:
    assert all(len(row) == 1 for row in result), result
    return [row[0] for row in result]


def reference_conversion(opening, bookings, pct, horizon_years, periods_per_year):
    """Plain per-booking loop: every balance walks the curve from its own period."""
    total = round(horizon_years * periods_per_year)
    first = periods_per_year
    later = total - first
    curve = [pct / first] * first + ([(1 - pct) / later] * later if later else [])
    n = len(bookings)
    revenue = [0.0] * n
    for k in range(min(n, total)):
        revenue[k] += opening * curve[k]
    for s, amount in enumerate(bookings):
        for k in range(total):
            if s + k < n:
                revenue[s + k] += amount * curve[k]
    ending, balance = [], opening
    for t in range(n):
        balance += bookings[t] - revenue[t]
        ending.append(balance)
    return revenue, ending


# ---------------------------------------------------------------------------------------
# Seed
# ---------------------------------------------------------------------------------------


def test_microsoft_rpo_schedule_seed_table9():
    # 表9 line 823: Microsoft FY26Q1 commercial RPO 3920 亿美元 = US$392bn; about 40%
    # within 12 months (Microsoft's 10-Q, TECH-NOTES). Quarterly over 3 years:
    # year 1: 392 * 0.4 / 4 = 39.2 a quarter; years 2-3: 392 * 0.6 / 8 = 29.4 a quarter.
    got = _column(AIM_RPO_SCHEDULE(392, 0.4, 3))
    assert got == pytest.approx([39.2] * 4 + [29.4] * 8)
    assert sum(got) == pytest.approx(392)


def test_microsoft_weighted_average_duration_seed_line_815():
    # Line 815: Microsoft's RPO "加权平均期限仅为 2 年" (weighted average duration ~2 years).
    # With 40% in year 1 the two-step curve gives that duration at a 5-year horizon:
    # year-1 quarters average 0.5 years out (mid-period), years 2-5 average 3.0, so
    # 0.4 * 0.5 + 0.6 * 3.0 = 2.0 years. (3 years would give 0.2 + 0.6 * 2.0 = 1.4.)
    schedule = np.array(_column(AIM_RPO_SCHEDULE(392, 0.4, 5)))
    mid_period_years = (np.arange(schedule.size) + 0.5) / 4
    assert float(schedule @ mid_period_years / schedule.sum()) == pytest.approx(2.0)
    three = np.array(_column(AIM_RPO_SCHEDULE(392, 0.4, 3)))
    assert float(three @ ((np.arange(12) + 0.5) / 4) / 392) == pytest.approx(1.4)


def test_google_cloud_implied_bookings_seed_table9():
    # 表9 line 824: Google RPO CY25Q3 1557 亿美元, qoq +46%, so the prior quarter's balance
    # is 1557 / 1.46 = 1066.4; line 833: Google Cloud 25Q3 revenue 115 亿美元.
    # Implied 25Q3 bookings = 1557 - 1066.4 + 115 = 605.6 (US$100m), about US$61bn:
    # consistent with "more US$1bn+ deals in Q3 than in the previous two years" (line 815).
    prior = 1557 / 1.46
    got = _column(AIM_IMPLIED_BOOKINGS([prior, 1557], [None, 115]))
    assert got[0] == ""
    assert got[1] == pytest.approx(1557 - prior + 115)
    assert got[1] == pytest.approx(605.6, abs=0.05)
    # The printed 46% is rounded: 45.5%..46.5% moves the prior balance and the bookings
    # by about ±3.6 (1557/1.455 = 1070.1, 1557/1.465 = 1062.8).
    low = _column(AIM_IMPLIED_BOOKINGS([1557 / 1.455, 1557], [0, 115]))[1]
    high = _column(AIM_IMPLIED_BOOKINGS([1557 / 1.465, 1557], [0, 115]))[1]
    assert low == pytest.approx(601.9, abs=0.05) and high == pytest.approx(609.2, abs=0.05)


# ---------------------------------------------------------------------------------------
# Hand-worked conversion and conventions
# ---------------------------------------------------------------------------------------


def test_conversion_hand_worked():
    # Opening 100, 40 booked in period 2, 60% in year 1, 2-year horizon in half-years:
    # curve 0.3, 0.3, 0.2, 0.2. Revenue: p1 100*0.3 = 30; p2 100*0.3 + 40*0.3 = 42 (the
    # booking starts recognizing in its own period); p3 100*0.2 + 40*0.3 = 32;
    # p4 100*0.2 + 40*0.2 = 28. Ending: 70, 70+40-42 = 68, 36, 8 (40*0.2 still to come).
    got = AIM_RPO_CONVERSION(100, [[0], [40], [0], [0]], 0.6, 2, 2)
    assert np.allclose(got, [[30, 70], [42, 68], [32, 36], [28, 8]])


def test_fractional_horizon_and_full_first_year():
    # 1.5 years in quarters = 6 periods: 80% over 4 quarters (20 each), 20% over 2 (10).
    assert np.allclose(_column(AIM_RPO_SCHEDULE(100, 0.8, 1.5)), [20, 20, 20, 20, 10, 10])
    # A one-year horizon with 100% in the next 12 months, monthly: 12 equal months.
    assert np.allclose(_column(AIM_RPO_SCHEDULE(120, 1, 1, 12)), [10] * 12)
    # 100% in year 1 with a longer horizon: the later periods recognize nothing.
    assert np.allclose(_column(AIM_RPO_SCHEDULE(100, 1, 2, 2)), [50, 50, 0, 0])


def test_conversion_scales_to_10000_periods_linearly():
    # The benchmark case: 10,000 booking periods, a 10-year quarterly curve (40 periods).
    rng = np.random.default_rng(7)
    bookings = rng.uniform(-50, 1000, 10_000)
    start = time.process_time()
    revenue, ending = rpo.rpo_conversion(5_000.0, bookings, 0.35, 10, 4)
    elapsed = time.process_time() - start
    assert elapsed < 0.5  # a Python double loop takes seconds; this is milliseconds
    ref_revenue, ref_ending = reference_conversion(5_000.0, bookings.tolist(), 0.35, 10, 4)
    assert np.allclose(revenue, ref_revenue, rtol=0, atol=1e-6)
    assert np.allclose(ending, ref_ending, rtol=0, atol=1e-6)


# ---------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------


@PROPERTY
@given(cash_amounts(0.0, 1e9), rpo_curves())
def test_schedule_sums_to_the_balance(balance, curve):
    pct, horizon, ppy = curve
    schedule = rpo.rpo_schedule(balance, pct, horizon, ppy)
    assert schedule.size == round(horizon * ppy)
    assert schedule.sum() == pytest.approx(balance, rel=1e-12, abs=1e-9)
    assert schedule[:ppy].sum() == pytest.approx(balance * pct, rel=1e-12, abs=1e-9)
    assert (schedule >= 0).all()


@PROPERTY
@given(cash_amounts(0.0, 1e6), booking_series(), rpo_curves())
def test_conversion_matches_reference_loop_and_rolls_forward(opening, bookings, curve):
    pct, horizon, ppy = curve
    revenue, ending = rpo.rpo_conversion(opening, bookings, pct, horizon, ppy)
    scale = opening + sum(abs(b) for b in bookings) + 1.0
    ref_revenue, ref_ending = reference_conversion(opening, bookings, pct, horizon, ppy)
    assert np.allclose(revenue, ref_revenue, rtol=0, atol=1e-10 * scale)
    assert np.allclose(ending, ref_ending, rtol=0, atol=1e-10 * scale)
    # ending RPO = opening + cumulative bookings - cumulative revenue
    roll = opening + np.cumsum(bookings) - np.cumsum(revenue)
    assert np.allclose(ending, roll, rtol=0, atol=1e-10 * scale)


@PROPERTY
@given(cash_amounts(0.0, 1e6), booking_series(max_size=20), rpo_curves())
def test_everything_is_recognized_by_the_horizon(opening, bookings, curve):
    # Followed by a horizon of periods with no bookings, the backlog runs off to zero.
    pct, horizon, ppy = curve
    padded = [*bookings, *([0.0] * round(horizon * ppy))]
    revenue, ending = rpo.rpo_conversion(opening, padded, pct, horizon, ppy)
    scale = opening + sum(abs(b) for b in bookings) + 1.0
    assert ending[-1] == pytest.approx(0.0, abs=1e-10 * scale)
    assert revenue.sum() == pytest.approx(opening + sum(bookings), abs=1e-10 * scale)


@PROPERTY
@given(cash_amounts(0.0, 1e6), booking_series(max_size=30), rpo_curves())
def test_implied_bookings_invert_conversion(opening, bookings, curve):
    pct, horizon, ppy = curve
    revenue, ending = rpo.rpo_conversion(opening, bookings, pct, horizon, ppy)
    balances = [opening, *ending.tolist()]
    recognized = [0.0, *revenue.tolist()]
    implied = _column(AIM_IMPLIED_BOOKINGS(balances, recognized))
    scale = opening + sum(abs(b) for b in bookings) + 1.0
    assert implied[0] == ""
    assert np.allclose(implied[1:], bookings, rtol=0, atol=1e-10 * scale)


# ---------------------------------------------------------------------------------------
# Excel shapes and cell texts
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bookings",
    [
        [0.0, 40.0, 0.0, 0.0],
        [[0.0, 40.0, 0.0, 0.0]],
        [[0.0], [40.0], [0.0], [0.0]],
        np.array([0.0, 40.0, 0.0, 0.0]),
        np.array([[0.0], [40.0], [0.0], [0.0]], dtype=object),
    ],
)
def test_conversion_shapes(bookings):
    got = AIM_RPO_CONVERSION([[100.0]], bookings, [[0.6]], 2.0, np.array([[2.0]]))
    assert len(got) == 4 and all(len(row) == 2 for row in got)
    assert np.allclose(got, [[30, 70], [42, 68], [32, 36], [28, 8]])


def test_single_booking_and_defaults():
    # One cell of bookings is one period; periods_per_year omitted (None) means 4.
    got = AIM_RPO_CONVERSION(0, 80, 0.5, 2, None)
    assert np.allclose(got, [[10, 70]])  # 80 * 0.5 / 4 = 10 recognized in its own quarter
    assert len(AIM_RPO_SCHEDULE(100, 0.5, 2)) == 8


def test_implied_bookings_empty_cells():
    # rpo[2] empty: rows 2 and 3 need it and are empty; row 4 = 140 - 120 + 35 = 55.
    got = _column(AIM_IMPLIED_BOOKINGS([100, 130, None, 120, 140], [20, 25, 30, 35, 35]))
    assert got == ["", 55.0, "", "", 55.0]


@pytest.mark.parametrize(
    "call, text",
    [
        (
            lambda: AIM_RPO_SCHEDULE(392, 40, 3),
            "#AIM! AIM_RPO_SCHEDULE: pct_next_12m must be a share between 0 and 1, "
            "e.g. 0.4 for 40% (got 40)",
        ),
        (
            lambda: AIM_RPO_SCHEDULE(392, 0.4, 2.1),
            "#AIM! AIM_RPO_SCHEDULE: horizon_years must span a whole number of periods "
            "(a multiple of 1/4 year) (got 2.1)",
        ),
        (
            lambda: AIM_RPO_SCHEDULE(392, 0.4, 1),
            "#AIM! AIM_RPO_SCHEDULE: pct_next_12m must be 1 when horizon_years is 1 "
            "(the rest has no later period) (got 0.4)",
        ),
        (
            lambda: AIM_RPO_SCHEDULE(392, 0.4, 0.5),
            "#AIM! AIM_RPO_SCHEDULE: horizon_years must be >= 1 (got 0.5)",
        ),
        (
            lambda: AIM_RPO_SCHEDULE(392, 0.4, 3, 4.5),
            "#AIM! AIM_RPO_SCHEDULE: periods_per_year must be a whole number of periods (got 4.5)",
        ),
        (
            lambda: AIM_RPO_SCHEDULE(-1, 0.4, 3),
            "#AIM! AIM_RPO_SCHEDULE: rpo must be >= 0 (got -1)",
        ),
        (
            lambda: AIM_RPO_CONVERSION(100, [10, None, 10], 0.4, 3),
            "#AIM! AIM_RPO_CONVERSION: bookings has an empty cell at position 2 (got empty cell)",
        ),
        (
            lambda: AIM_RPO_CONVERSION(100, [10, "n/a"], 0.4, 3),
            "#AIM! AIM_RPO_CONVERSION: bookings must be a number at position 2 (got 'n/a')",
        ),
        (
            lambda: AIM_RPO_CONVERSION(True, [10], 0.4, 3),
            "#AIM! AIM_RPO_CONVERSION: opening_rpo must be a number, not TRUE/FALSE (got TRUE)",
        ),
        (
            lambda: AIM_IMPLIED_BOOKINGS([100, 120, 130], [10, 20]),
            "#AIM! AIM_IMPLIED_BOOKINGS: revenue must have as many cells as rpo (3) "
            "(got 2-cell range)",
        ),
    ],
)
def test_error_texts(call, text):
    assert call() == text


def test_core_refuses_bad_curves():
    with pytest.raises(AimInputError, match="horizon_years must be <= 100"):
        rpo.recognition_curve(0.4, 101)
    with pytest.raises(AimInputError, match="opening_rpo must be a balance >= 0"):
        rpo.rpo_conversion(-1.0, [1.0], 0.4, 3)
    with pytest.raises(AimInputError, match="bookings must hold finite numbers"):
        rpo.rpo_conversion(1.0, [np.nan], 0.4, 3)


@pytest.mark.parametrize("fn", [AIM_RPO_SCHEDULE, AIM_RPO_CONVERSION, AIM_IMPLIED_BOOKINGS])
def test_function_wizard_texts_fit_excel(fn):
    assert 20 < len(summary(fn)) <= 255
    assert all(10 < len(doc) <= 255 for doc in fn.__aim_args__.values())


@given(st.integers(1, 40), st.sampled_from([1, 4, 12]))
@settings(max_examples=30, deadline=None)
def test_whole_period_horizons_in_floating_point_are_accepted(periods, ppy):
    # periods / ppy * ppy can miss the whole number by one ulp (7 / 12 * 12); allowed.
    horizon = (periods + ppy) / ppy
    curve = rpo.recognition_curve(0.5, horizon, ppy)
    assert curve.total_periods == periods + ppy
