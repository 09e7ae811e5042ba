"""Capex depreciation waterfalls and changes in useful life (udfs.core.waterfall), and the
AIM_DEPR_WATERFALL / AIM_LIFE_CHANGE adapters.

The fast path is checked against a plain per-vintage loop kept here, not in the package.
Hand calculations are written out next to each expected number.
"""

from __future__ import annotations

import timeit

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from udfs.core.waterfall import depr_waterfall, life_change
from udfs.errors import AimInputError
from udfs.excel.depreciation import AIM_DEPR_WATERFALL, AIM_LIFE_CHANGE

from .strategies import DEPRECIATION_SETTINGS, capex_series, conventions, waterfall_lives

# --------------------------------------------------------------------------------------
# Reference implementations: one vintage at a time, read straight off the definitions
# --------------------------------------------------------------------------------------


def vintage(amount: float, life: int, convention: str, spent: int, rows: int) -> np.ndarray:
    """One vintage's straight-line charges (0-based period ``spent``), ``rows`` long."""
    out = np.zeros(rows + life + 2)
    c = amount / life
    if convention == "full":
        out[spent : spent + life] += c
    elif convention == "next":
        out[spent + 1 : spent + 1 + life] += c
    else:
        out[spent] += c / 2
        out[spent + 1 : spent + life] += c
        out[spent + life] += c / 2
    return out[:rows]


def reference_waterfall(capex, life, convention="full", salvage_pct=0.0, periods=None):
    capex = np.abs(np.asarray(capex, dtype=float))
    rows = len(capex) + life if periods is None else periods
    out = np.zeros(rows)
    for s, amount in enumerate(capex):
        out += vintage(amount * (1 - salvage_pct), life, convention, s, rows)
    return out


def reference_life_change(capex, old_life, new_life, change_period, convention="full"):
    capex = np.abs(np.asarray(capex, dtype=float))
    rows = len(capex) + max(old_life, new_life)
    k = change_period - 1  # 0-based first period on the new life
    before = reference_waterfall(capex, old_life, convention, periods=rows)
    after = np.zeros(rows + k + new_life + 2)
    for s, amount in enumerate(capex):
        if s >= k:  # spent on or after the change: new life from the start
            after[:rows] += vintage(amount, new_life, convention, s, rows)
            continue
        old = vintage(amount, old_life, convention, s, rows + k)
        after[:k] += old[:k]
        nbv = amount - old[:k].sum()  # net book value at the start of period k
        used = {"full": k - s, "next": k - s - 1, "half": k - s - 0.5}[convention]
        remaining = new_life - used  # remaining revised life, periods
        if remaining <= (0.5 if convention == "half" else 0):
            after[k] += nbv  # revised life already over: expense the rest now
        elif convention == "half":  # full charges, then a closing half charge
            rate = nbv / remaining
            whole = int(remaining - 0.5)
            after[k : k + whole] += rate
            after[k + whole] += rate / 2
        else:
            after[k : k + int(remaining)] += nbv / remaining
    after = after[:rows]
    return np.column_stack([before, after, after - before])


def assert_matches(fast, slow, capex):
    # The fast path is exact to rounding of a running total of capex (~1e-16 x total).
    scale = max(float(np.abs(capex).sum()), 1.0)
    np.testing.assert_allclose(fast, slow, rtol=1e-9, atol=1e-12 * scale)


# --------------------------------------------------------------------------------------
# Hand calculations
# --------------------------------------------------------------------------------------


def test_waterfall_hand_examples():
    # capex 100 then 200, life 2: charges 50 a period (vintage 1), 100 a period (vintage 2)
    # full: p1 50; p2 50 + 100 = 150; p3 100; p4 0 (periods default 2 + 2 = 4)
    assert depr_waterfall([100.0, 200.0], 2).tolist() == [50.0, 150.0, 100.0, 0.0]
    # next: p1 0; p2 50; p3 50 + 100 = 150; p4 100
    assert depr_waterfall([100.0, 200.0], 2, "next").tolist() == [0.0, 50.0, 150.0, 100.0]
    # half: v1 charges 25 in p1, 50 in p2, 25 in p3; v2 charges 50 in p2, 100 in p3, 50 in
    # p4. Totals: 25, 100, 125, 50.
    assert depr_waterfall([100.0, 200.0], 2, "half").tolist() == [25.0, 100.0, 125.0, 50.0]
    # salvage 10%: base 90 and 180 -> 45, 135, 90, 0
    assert depr_waterfall([100.0, 200.0], 2, salvage_pct=0.1).tolist() == pytest.approx(
        [45.0, 135.0, 90.0, 0.0], rel=1e-15
    )


def test_waterfall_truncates_and_pads():
    # capex 120 at period 1, life 4, full: 30, 30, 30, 30, 0
    assert depr_waterfall([120.0], 4, periods=2).tolist() == [30.0, 30.0]
    assert depr_waterfall([120.0], 4, periods=7).tolist() == [30.0] * 4 + [0.0] * 3


def test_negative_capex_is_depreciated_by_its_size():
    assert depr_waterfall([-100.0, 0.0, -200.0], 3).tolist() == pytest.approx(
        depr_waterfall([100.0, 0.0, 200.0], 3).tolist(), rel=0
    )
    with pytest.raises(AimInputError) as err:
        depr_waterfall([100.0, -5.0], 3)
    assert err.value.argument == "capex"


def test_life_change_worked_example():
    # capex [120, 0, 0, 0], old_life 4, new_life 6, change_period 3, full convention.
    # Old: 120 / 4 = 30 in periods 1-4.
    # New: 30, 30 in periods 1-2; NBV at the start of period 3 = 120 - 60 = 60; periods
    # already depreciated 2, remaining revised life 6 - 2 = 4, so 60 / 4 = 15 in periods 3-6.
    # Difference: 0, 0, -15, -15, +15, +15, then 0 (rows = 4 + max(4, 6) = 10).
    table = life_change([120.0, 0.0, 0.0, 0.0], 4, 6, 3)
    assert table.shape == (10, 3)
    assert table[:, 0].tolist() == [30.0] * 4 + [0.0] * 6
    assert table[:, 1].tolist() == [30.0, 30.0, 15.0, 15.0, 15.0, 15.0] + [0.0] * 4
    assert table[:, 2].tolist() == [0.0, 0.0, -15.0, -15.0, 15.0, 15.0] + [0.0] * 4


def test_life_change_shortening_and_lump():
    # capex 120 at period 1, old 6 (20 a period), change at period 3.
    # new 4: NBV 80 over 4 - 2 = 2 periods -> 40, 40 in periods 3-4.
    assert life_change([120.0], 6, 4, 3)[:, 1].tolist() == [20.0, 20.0, 40.0, 40.0] + [0.0] * 3
    # new 2: remaining revised life 2 - 2 = 0 -> the whole NBV 80 in period 3.
    assert life_change([120.0], 6, 2, 3)[:, 1].tolist() == [20.0, 20.0, 80.0] + [0.0] * 4


def test_life_change_half_convention():
    # capex 120 at period 1, old 4 (c = 30), half: 15 in p1, 30 in p2 -> NBV 75 at p3.
    # Periods used: 0.5 + 1 = 1.5; remaining revised life 6 - 1.5 = 4.5 -> rate 75 / 4.5
    # = 16.667 in periods 3-6 and half of it, 8.333, in period 7 = 1 + 6 (where a vintage on
    # a 6-period life from the start would end). 4 x 16.667 + 8.333 = 75.
    after = life_change([120.0], 4, 6, 3, "half")[:, 1]
    rate = 75 / 4.5
    assert after.tolist() == pytest.approx([15, 30, rate, rate, rate, rate, rate / 2], rel=1e-14)


def test_life_change_next_convention():
    # capex 120 at period 1, old 4, next: 30 in periods 2-5. Change at period 3: used 1
    # (period 2 only), NBV 90, remaining revised life 6 - 1 = 5 -> 18 in periods 3-7.
    after = life_change([120.0], 4, 6, 3, "next")[:, 1]
    assert after.tolist() == pytest.approx([0, 30, 18, 18, 18, 18, 18], rel=1e-14)


def test_life_change_vintages_from_the_change_use_the_new_life():
    # capex 0, 0, 60: spent in period 3 = change_period, new life 6 from the start.
    table = life_change([0.0, 0.0, 60.0], 4, 6, 3)
    assert table[:, 1].tolist() == [0.0, 0.0] + [10.0] * 6 + [0.0]
    assert table[:, 0].tolist() == [0.0, 0.0] + [15.0] * 4 + [0.0] * 3


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------


@DEPRECIATION_SETTINGS
@given(
    capex=capex_series(),
    life=waterfall_lives,
    convention=conventions,
    salvage_pct=st.sampled_from([0.0, 0.05, 0.5, 1.0]),
    extra=st.integers(-10, 10),
)
def test_fast_waterfall_equals_the_reference_loop(capex, life, convention, salvage_pct, extra):
    periods = max(1, len(capex) + life + extra)
    fast = depr_waterfall(capex, life, convention, salvage_pct, periods)
    slow = reference_waterfall(capex, life, convention, salvage_pct, periods)
    assert fast.shape == (periods,)
    assert_matches(fast, slow, capex)


@DEPRECIATION_SETTINGS
@given(capex=capex_series(), life=waterfall_lives, convention=conventions)
def test_waterfall_adds_up_to_the_depreciable_base(capex, life, convention):
    got = depr_waterfall(capex, life, convention, 0.25)
    assert (got >= 0).all()
    expected = 0.75 * np.abs(capex).sum()
    assert got.sum() == pytest.approx(expected, rel=1e-9, abs=1e-9)


@DEPRECIATION_SETTINGS
@given(
    capex=capex_series(),
    old=waterfall_lives,
    new=waterfall_lives,
    convention=conventions,
    data=st.data(),
)
def test_fast_life_change_equals_the_reference_loop(capex, old, new, convention, data):
    change = data.draw(st.integers(1, len(capex) + max(old, new) + 2))
    fast = life_change(capex, old, new, change, convention)
    slow = reference_life_change(capex, old, new, change, convention)
    assert fast.shape == (len(capex) + max(old, new), 3)
    assert_matches(fast, slow, capex)
    # column 3 is column 2 - column 1
    np.testing.assert_array_equal(fast[:, 2], fast[:, 1] - fast[:, 0])
    # all book value is expensed within the horizon, under either life
    total = np.abs(capex).sum()
    assert fast[:, 1].sum() == pytest.approx(fast[:, 0].sum(), rel=1e-9, abs=1e-9)
    assert fast[:, 0].sum() == pytest.approx(total, rel=1e-9, abs=1e-9)
    assert (fast[:, :2] >= -1e-12 * max(total, 1.0)).all()


@DEPRECIATION_SETTINGS
@given(capex=capex_series(), life=waterfall_lives, convention=conventions, data=st.data())
def test_equal_lives_change_nothing(capex, life, convention, data):
    change = data.draw(st.integers(1, len(capex) + life + 2))
    table = life_change(capex, life, life, change, convention)
    plain = depr_waterfall(capex, life, convention, periods=len(capex) + life)
    assert_matches(table[:, 0], plain, capex)
    assert_matches(table[:, 1], plain, capex)
    assert_matches(table[:, 2], 0 * plain, capex)


@DEPRECIATION_SETTINGS
@given(capex=capex_series(), old=waterfall_lives, new=waterfall_lives, convention=conventions)
def test_change_in_period_one_is_the_new_life_throughout(capex, old, new, convention):
    table = life_change(capex, old, new, 1, convention)
    rows = len(capex) + max(old, new)
    assert_matches(table[:, 1], depr_waterfall(capex, new, convention, periods=rows), capex)


def test_fast_path_is_linear_not_vintages_times_life():
    # The release benchmark asks for >= 100x over this reference loop at 10,000 vintages
    # x 72-period life; here a generous floor guards against an O(vintages x life) rewrite
    # without making the suite timing-sensitive.
    capex = np.random.default_rng(7).uniform(0, 1e4, 10_000)
    slow = min(timeit.repeat(lambda: reference_waterfall(capex, 72), number=1, repeat=3))
    fast = min(timeit.repeat(lambda: depr_waterfall(capex, 72), number=20, repeat=3)) / 20
    assert slow / fast > 20, f"only {slow / fast:.0f}x faster than the per-vintage loop"
    lc = min(timeit.repeat(lambda: life_change(capex, 72, 96, 5000), number=5, repeat=3)) / 5
    assert lc < 20 * fast + 0.01


# --------------------------------------------------------------------------------------
# Domain errors
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: depr_waterfall([], 4), "capex"),
        (lambda: depr_waterfall([[1.0, 2.0]], 4), "capex"),
        (lambda: depr_waterfall([1.0, float("nan")], 4), "capex"),
        (lambda: depr_waterfall([1.0], 0), "life"),
        (lambda: depr_waterfall([1.0], 2.5), "life"),
        (lambda: depr_waterfall([1.0], 4, "mid-quarter"), "convention"),
        (lambda: depr_waterfall([1.0], 4, "full", 1.5), "salvage_pct"),
        (lambda: depr_waterfall([1.0], 4, "full", 0.0, 0), "periods"),
        (lambda: life_change([1.0], 0, 4, 1), "old_life"),
        (lambda: life_change([1.0], 4, 0, 1), "new_life"),
        (lambda: life_change([1.0], 4, 6, 0), "change_period"),
        (lambda: life_change([1.0, -1.0], 4, 6, 1), "capex"),
    ],
)
def test_domain_errors_name_the_argument(call, argument):
    with pytest.raises(AimInputError) as err:
        call()
    assert err.value.argument == argument


# --------------------------------------------------------------------------------------
# The worksheet adapters
# --------------------------------------------------------------------------------------

_EXPECTED = [[50.0], [150.0], [100.0], [0.0]]  # hand: see test_waterfall_hand_examples


@pytest.mark.parametrize(
    "capex",
    [
        [100.0, 200.0],  # a row, as xlwings gives it
        [[100.0, 200.0]],  # a row as a 1 x 2 block
        [[100.0], [200.0]],  # a column
        np.array([100.0, 200.0]),  # numpy, 1-D
        np.array([[100.0], [200.0]]),  # numpy column
        [[-100.0], [-200.0]],  # outflows
        ["100", "200"],  # numbers stored as text
    ],
)
def test_waterfall_adapter_accepts_excel_shapes(capex):
    assert AIM_DEPR_WATERFALL(capex, 2.0) == _EXPECTED


def test_waterfall_adapter_defaults_and_empty_cells():
    # None cells are periods with no spend: [100, -, 200] life 2 -> 50, 50, 100, 100, 0
    out = AIM_DEPR_WATERFALL([[100.0], [None], [200.0]], 2.0, None, None, None)
    assert out == [[50.0], [50.0], [100.0], [100.0], [0.0]]
    assert AIM_DEPR_WATERFALL([100.0, 200.0], 2, "HALF") == [[25.0], [100.0], [125.0], [50.0]]
    assert AIM_DEPR_WATERFALL(120.0, 4, None, 0.5, 2) == [[15.0], [15.0]]


def test_life_change_adapter_returns_three_columns():
    out = AIM_LIFE_CHANGE([[120.0], [None], [None], [None]], 4.0, 6.0, 3.0)
    assert out[:6] == [
        [30.0, 30.0, 0.0],
        [30.0, 30.0, 0.0],
        [30.0, 15.0, -15.0],
        [30.0, 15.0, -15.0],
        [0.0, 15.0, 15.0],
        [0.0, 15.0, 15.0],
    ]
    assert len(out) == 10 and all(len(row) == 3 for row in out)


@pytest.mark.parametrize(
    ("fn", "args", "text"),
    [
        (
            AIM_DEPR_WATERFALL,
            ([100.0, -5.0], 3.0),
            "#AIM! AIM_DEPR_WATERFALL: capex mixes positive and negative amounts (position 2);"
            " enter spending all positive or all negative (got -5.0)",
        ),
        (
            AIM_DEPR_WATERFALL,
            ([[1.0, 2.0], [3.0, 4.0]], 3.0),
            "#AIM! AIM_DEPR_WATERFALL: capex must be a single row or column (got 2x2 range)",
        ),
        (
            AIM_DEPR_WATERFALL,
            ([1.0, 2.0], 0.0),
            "#AIM! AIM_DEPR_WATERFALL: life must be a whole number of periods >= 1 (got 0.0)",
        ),
        (
            AIM_DEPR_WATERFALL,
            ([1.0, 2.0], 4.0, "mid"),
            "#AIM! AIM_DEPR_WATERFALL: convention must be one of full, half, next (got 'mid')",
        ),
        (
            AIM_DEPR_WATERFALL,
            ([1.0, 2.0], 4.0, None, 5.0),
            "#AIM! AIM_DEPR_WATERFALL: salvage_pct must be a share between 0 and 1, "
            "e.g. 0.4 for 40% (got 5.0)",
        ),
        (
            AIM_DEPR_WATERFALL,
            ([1.0],),
            "#AIM! AIM_DEPR_WATERFALL: life is required (got nothing)",
        ),
        (
            AIM_LIFE_CHANGE,
            ([1.0, 2.0], 4.0, 6.0, 0.0),
            "#AIM! AIM_LIFE_CHANGE: change_period must be a whole number of periods >= 1 (got 0.0)",
        ),
        (
            AIM_LIFE_CHANGE,
            ([1.0, "x"], 4.0, 6.0, 1.0),
            "#AIM! AIM_LIFE_CHANGE: capex must be a number at position 2 (got 'x')",
        ),
    ],
)
def test_adapter_error_texts(fn, args, text):
    assert fn(*args) == text
