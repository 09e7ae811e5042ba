"""Depreciation under a useful-life policy that changes over time (udfs.core.depr_policy)
and the AIM_DEPR_POLICY adapter.

The fast path is checked against a plain per-vintage loop kept here, which applies the
ASC 250 / IAS 8 prospective rule at every change one vintage at a time; hand
calculations are written out next to each expected number; and the two special cases
are checked exactly: one life throughout is AIM_DEPR_WATERFALL, one change is column 2
of AIM_LIFE_CHANGE.
"""

from __future__ import annotations

import time
import timeit

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from udfs.core.depr_policy import depr_policy
from udfs.core.depreciation import MAX_LIFE
from udfs.core.waterfall import depr_waterfall, life_change
from udfs.errors import AimInputError
from udfs.excel.depr_policy import AIM_DEPR_POLICY

from .strategies import (
    DEPRECIATION_SETTINGS,
    capex_series,
    conventions,
    policy_lives,
    waterfall_lives,
)

# --------------------------------------------------------------------------------------
# Reference: one vintage at a time, the prospective rule applied at every change
# --------------------------------------------------------------------------------------


def vintage(amount: float, life: int, convention: str, spent: int, size: int) -> np.ndarray:
    """One vintage's straight-line charges from 0-based period ``spent``, ``size`` long."""
    out = np.zeros(size)
    c = amount / life
    if convention == "full":
        out[spent : spent + life] += c
    elif convention == "next":
        out[spent + 1 : spent + 1 + life] += c
    else:
        out[spent] += c / 2
        out[spent + 1 : spent + life] += c
        out[spent + life] += c / 2
    return out


def reference_policy(capex, lives, convention="full"):
    """ASC 250 / IAS 8, prospectively, one vintage and one change at a time.

    A vintage starts on the life in force when it is spent. At each later change period
    c (the life differs from the period before), its net book value is what it has not
    yet charged; the periods it has used are c - s (full), c - s - 1 (next) or
    c - s - 0.5 (half); its remaining revised life is the new life less those. If none
    is left (<= 0; <= 0.5 for half) the whole NBV is charged in c; otherwise NBV /
    remaining is charged in each whole period from c (and half of it after, for half).
    """
    capex = np.abs(np.asarray(capex, dtype=float))
    lives = [int(x) for x in lives]
    n = len(capex)
    rows = n + max(lives)
    size = rows + 2 * max(lives) + 2  # room to spare: the test checks nothing lands there
    changes = [c for c in range(1, n) if lives[c] != lives[c - 1]]
    total = np.zeros(size)
    for s, amount in enumerate(capex):
        charges = vintage(amount, lives[s], convention, s, size)
        for c in changes:
            if c <= s:
                continue
            nbv = amount - charges[:c].sum()
            used = {"full": c - s, "next": c - s - 1, "half": c - s - 0.5}[convention]
            remaining = lives[c] - used
            revised = np.zeros(size)
            revised[:c] = charges[:c]  # nothing restated
            if remaining <= (0.5 if convention == "half" else 0):
                revised[c] += nbv  # revised life already over: expense the rest now
            elif convention == "half":
                whole = int(remaining - 0.5)
                revised[c : c + whole] += nbv / remaining
                revised[c + whole] += nbv / remaining / 2
            else:
                revised[c : c + int(remaining)] += nbv / remaining
            charges = revised
        total += charges
    assert not total[rows:].any(), "a charge beyond len(capex) + max(lives)"
    return total[:rows]


def assert_matches(fast, slow, capex):
    scale = max(float(np.abs(capex).sum()), 1.0)
    np.testing.assert_allclose(fast, slow, rtol=1e-9, atol=1e-12 * scale)


# --------------------------------------------------------------------------------------
# Hand calculations
# --------------------------------------------------------------------------------------


def test_one_lengthening_by_hand():
    # capex 120 in period 1; life 4 in periods 1-2, 6 from period 3 (full convention).
    # Periods 1-2: 120 / 4 = 30 each. NBV at the start of period 3 = 120 - 60 = 60;
    # periods used 2, remaining revised life 6 - 2 = 4: 60 / 4 = 15 in periods 3-6.
    # Rows: 4 capex periods + the longest life 6 = 10.
    got = depr_policy([120.0, 0.0, 0.0, 0.0], [4, 4, 6, 6])
    assert got.tolist() == [30.0, 30.0, 15.0, 15.0, 15.0, 15.0, 0.0, 0.0, 0.0, 0.0]


def test_two_changes_with_a_lump_and_a_vintage_spent_under_the_second_life():
    # capex 120 in period 1 and 60 in period 3; lives 4, 4, 6, 6, 3 (changes at 3 and 5).
    # Vintage 1: 30, 30, then 60 / (6 - 2) = 15 in periods 3-4; at period 5 its NBV is
    #   60 - 30 = 30, periods used 4, remaining 3 - 4 < 0: all 30 in period 5.
    # Vintage 3: spent under life 6: 10 in periods 3-4; at period 5 its NBV is 40, used 2,
    #   remaining 3 - 2 = 1: 40 / 1 = 40 in period 5.
    # Period 5: 30 + 40 = 70. Rows: 5 + 6 = 11. Total 30+30+25+25+70 = 180 = capex.
    got = depr_policy([120.0, 0.0, 60.0, 0.0, 0.0], [4, 4, 6, 6, 3])
    assert got.tolist() == [30.0, 30.0, 25.0, 25.0, 70.0] + [0.0] * 6


def test_shorten_then_lengthen_half_convention_by_hand():
    # capex 120 in period 1, half convention; lives 4, 2, 2, 6, 6, 6.
    # Period 1: half a charge, 120 / 4 / 2 = 15.
    # Change at 2 (life 2): NBV 105, used 2 - 1 - 0.5 = 0.5, remaining 2 - 0.5 = 1.5:
    #   rate 105 / 1.5 = 70 for 1 whole period (period 2), half of it, 35, in period 3
    #   = 1 + 2, where a 2-period half-convention vintage ends.
    # Change at 4 (life 6): NBV 0, nothing left. Total 15 + 70 + 35 = 120.
    got = depr_policy([120.0, 0, 0, 0, 0, 0], [4, 2, 2, 6, 6, 6], "half")
    assert got.tolist() == pytest.approx([15.0, 70.0, 35.0] + [0.0] * 9, rel=1e-15)
    # With the lengthening at period 3 instead (lives 4, 2, 6, ...): after period 2 the NBV
    # is 35; used 3 - 1 - 0.5 = 1.5, remaining 6 - 1.5 = 4.5: 35 / 4.5 in periods 3-6,
    # half that in period 7 = 1 + 6.
    got = depr_policy([120.0, 0, 0, 0, 0, 0], [4, 2, 6, 6, 6, 6], "half")
    rate = 35 / 4.5
    assert got.tolist() == pytest.approx([15, 70] + [rate] * 4 + [rate / 2] + [0] * 5)


def test_next_convention_by_hand():
    # capex 120 in period 1, next: nothing in period 1, 30 in period 2 (life 4).
    # Change at 3 to 6: used 3 - 1 - 1 = 1, NBV 90, remaining 6 - 1 = 5: 18 in periods 3-7.
    # A vintage spent in period 2 (60, life 4) has used 0 at period 3: 60 / 6 = 10 in
    # periods 3-8, as on a 6-period life from the start.
    got = depr_policy([120.0, 60.0, 0.0], [4, 4, 6], "next")
    assert got.tolist() == pytest.approx([0, 30, 28, 28, 28, 28, 28, 10, 0])


def test_vintages_spent_at_a_change_use_the_new_life():
    # 0, 0, 60 with lives 4, 4, 6: the vintage of period 3 is on 6 from the start.
    assert depr_policy([0.0, 0.0, 60.0], [4, 4, 6]).tolist() == [0.0, 0.0] + [10.0] * 6 + [0.0]


def test_periods_truncate_and_pad():
    # the first hand example: 30, 30, 15, 15, 15, 15, then zero
    assert depr_policy([120.0, 0, 0, 0], [4, 4, 6, 6], periods=3).tolist() == [30, 30, 15]
    padded = depr_policy([120.0, 0, 0, 0], [4, 4, 6, 6], periods=12).tolist()
    assert padded == [30, 30, 15, 15, 15, 15] + [0] * 6


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------


@st.composite
def policies(draw: st.DrawFn, max_changes: int = 6):
    capex = draw(capex_series())
    return capex, draw(policy_lives(len(capex), max_changes=max_changes))


@DEPRECIATION_SETTINGS
@given(policy=policies(), convention=conventions)
def test_fast_path_equals_the_reference_loop(policy, convention):
    capex, lives = policy
    fast = depr_policy(capex, lives, convention)
    slow = reference_policy(capex, lives, convention)
    assert fast.shape == (len(capex) + int(lives.max()),)
    assert_matches(fast, slow, capex)


@DEPRECIATION_SETTINGS
@given(policy=policies(max_changes=40), convention=conventions)
def test_total_depreciation_is_total_capex(policy, convention):
    capex, lives = policy
    got = depr_policy(capex, lives, convention)
    total = float(np.abs(capex).sum())
    assert got.sum() == pytest.approx(total, rel=1e-9, abs=1e-9)
    assert (got >= -1e-12 * max(total, 1.0)).all()


@DEPRECIATION_SETTINGS
@given(
    capex=capex_series(),
    life=waterfall_lives,
    convention=conventions,
    extra=st.one_of(st.none(), st.integers(-10, 10)),
)
def test_one_life_throughout_is_the_waterfall(capex, life, convention, extra):
    periods = None if extra is None else max(1, len(capex) + life + extra)
    got = depr_policy(capex, np.full(len(capex), float(life)), convention, periods)
    np.testing.assert_array_equal(got, depr_waterfall(capex, life, convention, periods=periods))


@DEPRECIATION_SETTINGS
@given(
    capex=capex_series(),
    old=waterfall_lives,
    new=waterfall_lives,
    convention=conventions,
    data=st.data(),
)
def test_one_change_is_life_change(capex, old, new, convention, data):
    n = len(capex)
    change = data.draw(st.integers(1, n))  # change_period, 1-based, within the capex
    lives = np.where(np.arange(n) < change - 1, old, new)
    expected = life_change(capex, old, new, change, convention)[:, 1]
    if change > 1:  # both lives in the series: the same rows
        got = depr_policy(capex, lives, convention)
    else:  # new life throughout: life_change keeps max(old, new) rows, zero at the end
        got = depr_policy(capex, lives, convention, periods=expected.size)
    assert got.shape == expected.shape
    assert_matches(got, expected, capex)


@DEPRECIATION_SETTINGS
@given(policy=policies(), convention=conventions, extra=st.integers(-10, 10))
def test_periods_cut_or_pad_the_default_schedule(policy, convention, extra):
    capex, lives = policy
    full = depr_policy(capex, lives, convention)
    periods = max(1, full.size + extra)
    got = depr_policy(capex, lives, convention, periods)
    assert got.shape == (periods,)
    np.testing.assert_array_equal(got[: full.size], full[:periods])
    assert not got[full.size :].any()


@DEPRECIATION_SETTINGS
@given(policy=policies(), convention=conventions)
def test_outflows_are_depreciated_by_their_size(policy, convention):
    capex, lives = policy
    np.testing.assert_array_equal(
        depr_policy(-capex, lives, convention), depr_policy(capex, lives, convention)
    )


def test_cost_grows_with_changes_not_with_vintages_times_changes():
    rng = np.random.default_rng(11)
    n = 10_000
    capex = rng.uniform(50.0, 500.0, n)
    ten = np.repeat(np.array([48, 72, 60, 96, 72, 48, 84, 72, 96, 60, 72]), -(-n // 11))[:n]
    one = np.where(np.arange(n) < n // 2, 48, 72)

    def best(fn, number=5):
        return min(timeit.repeat(fn, number=number, repeat=3)) / number

    plain = best(lambda: depr_waterfall(capex, 72))
    assert best(lambda: depr_policy(capex, np.full(n, 72))) < 5 * plain + 1e-3  # delegated
    assert best(lambda: depr_policy(capex, one)) < 20 * plain + 5e-3
    assert best(lambda: depr_policy(capex, ten)) < 60 * plain + 1e-2
    # 999 changes over 100,000 vintages: each change works on the vintages still carrying
    # book value (at most the life before it + 1), not on every earlier vintage
    many = np.repeat(np.tile([16.0, 24.0], 500), 100)
    big = rng.uniform(50.0, 500.0, many.size)
    start = time.process_time()
    got = depr_policy(big, many, "half")
    assert time.process_time() - start < 2.0
    assert got.sum() == pytest.approx(big.sum(), rel=1e-12)


def test_a_million_periods():
    # 100 a period for 10^6 periods; life 72 until the middle, then 96. Before the change
    # 72 vintages of 100/72 are running: 100 a period. Rows: 10^6 + 96.
    n = 1_000_000
    lives = np.where(np.arange(n) < n // 2, 72.0, 96.0)
    start = time.process_time()
    out = AIM_DEPR_POLICY([100.0] * n, lives.tolist())
    assert time.process_time() - start < 5.0
    assert len(out) == n + 96 and out[0] == [pytest.approx(100 / 72)]
    assert out[n // 4][0] == pytest.approx(100.0)
    assert out[-1] == [0.0]
    assert sum(row[0] for row in out) == pytest.approx(100.0 * n, rel=1e-9)


# --------------------------------------------------------------------------------------
# Domain errors
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "argument", "text"),
    [
        (lambda: depr_policy([], []), "capex", "non-empty"),
        (lambda: depr_policy([1.0, -1.0], [4, 4]), "capex", "mixes positive and negative"),
        (lambda: depr_policy([1.0, 2.0], [4]), "lives", "of 2 cell(s)"),
        (lambda: depr_policy([1.0, 2.0], [[4, 4]]), "lives", "single row or column"),
        (lambda: depr_policy([1.0, 2.0], [4, 0]), "lives", ">= 1 at position 2"),
        (lambda: depr_policy([1.0, 2.0], [4, 2.5]), "lives", "whole number of periods at"),
        (lambda: depr_policy([1.0, 2.0], [4, MAX_LIFE + 1]), "lives", f"<= {MAX_LIFE} at"),
        (lambda: depr_policy([1.0, 2.0], [float("nan"), 4]), "lives", "position 1"),
        (lambda: depr_policy([1.0, 2.0], [4, -3]), "lives", ">= 1"),
        (lambda: depr_policy([1.0], [4], "mid-quarter"), "convention", "one of"),
        (lambda: depr_policy([1.0], [4], "full", 0), "periods", ">= 1"),
    ],
)
def test_domain_errors_name_the_argument(call, argument, text):
    with pytest.raises(AimInputError) as err:
        call()
    assert err.value.argument == argument
    assert text in str(err.value)


# --------------------------------------------------------------------------------------
# The worksheet adapter
# --------------------------------------------------------------------------------------

_HAND = [[30.0], [30.0], [15.0], [15.0], [15.0], [15.0], [0.0], [0.0], [0.0], [0.0]]


@pytest.mark.parametrize(
    ("capex", "lives"),
    [
        ([120.0, 0.0, 0.0, 0.0], [4.0, 4.0, 6.0, 6.0]),  # rows, as xlwings gives them
        ([[120.0], [None], [None], [None]], [[4.0], [4.0], [6.0], [6.0]]),  # columns
        ([[120.0, 0.0, 0.0, 0.0]], [[4.0], [4.0], [6.0], [6.0]]),  # a row and a column
        (np.array([-120.0, 0, 0, 0]), np.array([4, 4, 6, 6])),  # numpy; outflows
        (["120", "0", "0", "0"], ["4", "4", "6", "6"]),  # numbers stored as text
    ],
)
def test_adapter_accepts_excel_shapes(capex, lives):
    assert AIM_DEPR_POLICY(capex, lives) == _HAND  # hand: see test_one_lengthening_by_hand


def test_adapter_defaults():
    assert AIM_DEPR_POLICY([120.0], [4.0], None, None) == [[30.0]] * 4 + [[0.0]]
    assert AIM_DEPR_POLICY([120.0], [4.0], "HALF", 3) == [[15.0], [30.0], [30.0]]
    # one life throughout: AIM_DEPR_WATERFALL's answer
    assert AIM_DEPR_POLICY([100.0, 200.0], [2.0, 2.0], "half") == [[25.0], [100.0], [125.0], [50.0]]


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (
            ([1.0, 2.0, 3.0], [4.0, 6.0]),
            "#AIM! AIM_DEPR_POLICY: lives must have as many cells as capex (3) (got 2-cell range)",
        ),
        (
            ([1.0, 2.0], [4.0, None]),
            "#AIM! AIM_DEPR_POLICY: lives has an empty cell at position 2 (got empty cell)",
        ),
        (
            ([1.0, 2.0], [4.0, 2.5]),
            "#AIM! AIM_DEPR_POLICY: lives must be a whole number of periods at position 2 "
            "(got 2.5)",
        ),
        (
            ([1.0, 2.0], [4.0, MAX_LIFE + 1.0]),
            f"#AIM! AIM_DEPR_POLICY: lives must be a whole number of periods <= {MAX_LIFE} at "
            f"position 2 (got {MAX_LIFE + 1.0})",
        ),
        (
            ([1.0, 2.0], [0.0, 4.0]),
            "#AIM! AIM_DEPR_POLICY: lives must be a whole number of periods >= 1 at "
            "position 1 (got 0.0)",
        ),
        (([1.0, 2.0],), "#AIM! AIM_DEPR_POLICY: lives is required (got nothing)"),
        (
            ([100.0, -5.0], [4.0, 4.0]),
            "#AIM! AIM_DEPR_POLICY: capex mixes positive and negative amounts (position 2);"
            " enter spending all positive or all negative (got -5.0)",
        ),
    ],
)
def test_adapter_error_texts(args, text):
    assert AIM_DEPR_POLICY(*args) == text
