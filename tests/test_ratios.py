"""AIM_CAPEX_TO_OCF, AIM_CAPEX_INTENSITY, AIM_GROWTH, AIM_TTM and their core.

Seed figures come from /work/shared/seeds/000_c4b25e50ec2df58c.txt; each test names the
table and line. A printed percentage rounded to a whole percent is reproduced when
``|model - printed| <= 0.005``. The tables print their inputs rounded too (US$m or
US$100m), so a printed ratio a/b may also come from unrounded inputs anywhere in
``a ± 0.5``, ``b ± 0.5``: :func:`_band` gives the model's range over that box, and cells
that match only inside it are listed by name.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import gappy_series, level_series
from udfs import AIM_CAPEX_INTENSITY, AIM_CAPEX_TO_OCF, AIM_GROWTH, AIM_TTM
from udfs.core import ratios
from udfs.errors import AimInputError
from udfs.excel._worksheet import summary

HALF_PCT = 0.005  # half a unit of a whole printed percent

# ---------------------------------------------------------------------------------------
# Seed: 图23 CoreWeave (line 897), 图24 Nebius (line 921), 表1 (line 298), 表2 (line 332)
# ---------------------------------------------------------------------------------------

# 图23 line 900, 收入 (revenue, US$m), 24Q1..25Q4E
COREWEAVE_REVENUE = [189, 395, 584, 747, 982, 1213, 1365, 1541]
# 图23 line 903, 经调整Capex (adjusted capex, US$m)
COREWEAVE_CAPEX = [1188, 2574, 2237, 2411, 1858, 2937, 1850, 6355]
# 图24 line 925, 收入 (revenue, US$m), 24Q1..25Q3
NEBIUS_REVENUE = [11, 12, 32, 38, 55, 105, 146]


def _column(result: list[list]) -> list:
    assert all(len(row) == 1 for row in result), result
    return [row[0] for row in result]


def _band(numerator: float, denominator: float, half: float = 0.5) -> tuple[float, float]:
    """Range of numerator/denominator when both were rounded to ``± half`` before printing.

    The ratio rises with the numerator and falls with the (positive) denominator, so
    the corners give the range; computed with the model's own ratio function.
    """
    low, high = ratios.capex_intensity(
        [numerator - half, numerator + half], [denominator + half, denominator - half]
    )
    return float(low), float(high)


def _check_printed(model, printed, bases, levels, rounding_only):
    """Every printed cell is the model's value within rounding, or within input rounding
    for exactly the cells named in ``rounding_only`` (index -> label)."""
    loose = {}
    for t, (m, p) in enumerate(zip(model, printed, strict=True)):
        if p is None:
            assert m == ""
            continue
        low, high = _band(levels[t], bases[t])
        assert low - 1 - HALF_PCT <= p <= high - 1 + HALF_PCT, (t, m, p)
        if abs(m - p) > HALF_PCT + 1e-12:
            loose[t] = round(m, 4)
    assert set(loose) == set(rounding_only), loose


def test_coreweave_revenue_growth_qoq_seed_fig23():
    # 图23 line 902, QOQ: 24Q2..25Q4E = 110% 48% 28% 31% 24% 13% 13%.
    # 24Q2: 395/189 - 1 = 1.0899 -> 109%, printed 110%: only with the inputs' rounding
    # (395.5/188.5 - 1 = 1.0981 rounds to 110%). The function returns 1.0899.
    got = _column(AIM_GROWTH([COREWEAVE_REVENUE]))  # one Excel row, 1 x 8
    assert got[1] == pytest.approx(395 / 189 - 1)
    printed = [None, 1.10, 0.48, 0.28, 0.31, 0.24, 0.13, 0.13]
    bases = [None, *COREWEAVE_REVENUE[:-1]]
    _check_printed(got, printed, bases, COREWEAVE_REVENUE, {1: "24Q2 109% vs 110%"})


def test_coreweave_revenue_growth_yoy_seed_fig23():
    # 图23 line 901, YOY 25Q1..25Q4E = 420% 207% 134% 106%; 25Q1: 982/189 - 1 = 4.1958.
    got = _column(AIM_GROWTH(COREWEAVE_REVENUE, 4))
    assert got[:4] == ["", "", "", ""]
    assert got[4] == pytest.approx(982 / 189 - 1)
    printed = [None] * 4 + [4.20, 2.07, 1.34, 1.06]
    bases = [None] * 4 + COREWEAVE_REVENUE[:4]
    _check_printed(got, printed, bases, COREWEAVE_REVENUE, {})


def test_coreweave_capex_growth_qoq_seed_fig23():
    # 图23 line 905, capex QOQ 24Q2..25Q4E = 117% -13% 8% -23% 58% -37% 244%
    # (25Q4E: 6355/1850 - 1 = 2.4351 -> 244%).
    got = _column(AIM_GROWTH(np.array(COREWEAVE_CAPEX, dtype=float)))
    printed = [None, 1.17, -0.13, 0.08, -0.23, 0.58, -0.37, 2.44]
    bases = [None, *COREWEAVE_CAPEX[:-1]]
    _check_printed(got, printed, bases, COREWEAVE_CAPEX, {})


def test_coreweave_capex_intensity_seed_fig23():
    # 图23 line 904, 占比收入 (capex / revenue) = 630% 651% 383% 323% 189% 242% 136% 412%.
    # 24Q1: 1188/189 = 6.2857 -> 629%, printed 630% (1188.5/188.5 = 6.305 with the
    # inputs' rounding); 24Q2: 2574/395 = 6.5165 -> 652%, printed 651%
    # (2573.5/395.5 = 6.507). Both only within input rounding; the rest exactly.
    got = _column(AIM_CAPEX_INTENSITY(COREWEAVE_CAPEX, COREWEAVE_REVENUE))
    assert got[0] == pytest.approx(1188 / 189)
    printed = [6.30, 6.51, 3.83, 3.23, 1.89, 2.42, 1.36, 4.12]
    loose = set()
    for t, (m, p) in enumerate(zip(got, printed, strict=True)):
        low, high = _band(COREWEAVE_CAPEX[t], COREWEAVE_REVENUE[t])
        assert low - HALF_PCT <= p <= high + HALF_PCT
        if abs(m - p) > HALF_PCT:
            loose.add(t)
    assert loose == {0, 1}


def test_nebius_revenue_growth_seed_fig24():
    # 图24 line 926-927, qoq 24Q2..25Q3 = 7% 165% 18% 46% 90% 39%, yoy 25Q1..25Q3 =
    # 389% 769% 355%. Revenue is printed in whole US$m on a base of 11-146, so the
    # inputs' rounding moves growth by up to ±10 points: 24Q2 12/11 - 1 = 9% (printed
    # 7%), 25Q1 yoy 55/11 - 1 = 400% (printed 389%). Every printed cell is consistent
    # with the rounded inputs; only 25Q3 qoq (146/105 - 1 = 39%) matches on the printed
    # inputs (25Q3 yoy: 146/32 - 1 = 356%, printed 355%; 145.5/32.5 - 1 = 348% to
    # 146.5/31.5 - 1 = 365% with the inputs' rounding).
    qoq = _column(AIM_GROWTH([[x] for x in NEBIUS_REVENUE]))  # one Excel column
    printed = [None, 0.07, 1.65, 0.18, 0.46, 0.90, 0.39]
    bases = [None, *NEBIUS_REVENUE[:-1]]
    _check_printed(qoq, printed, bases, NEBIUS_REVENUE, {1, 2, 3, 4, 5})
    yoy = _column(AIM_GROWTH(NEBIUS_REVENUE, 4))
    printed = [None] * 4 + [3.89, 7.69, 3.55]
    bases = [None] * 4 + NEBIUS_REVENUE[:3]
    _check_printed(yoy, printed, bases, NEBIUS_REVENUE, {4, 5, 6})


# 表1 line 302-310: capex (US$100m) 24Q1..25Q4E and yoy 25Q1..25Q4E.
TABLE1 = {
    "合计": ([477, 583, 649, 795, 773, 958, 1133, 1177], [0.62, 0.64, 0.75, 0.48], {}),
    # Amazon 25Q4E: 327/278 - 1 = 17.6% -> 18%, printed 17% (326.5/278.5 - 1 = 17.2%).
    "Amazon": ([149, 176, 226, 278, 250, 322, 351, 327], [0.68, 0.83, 0.55, 0.17], {7}),
    "Microsoft": ([140, 190, 200, 226, 214, 242, 349, 357], [0.53, 0.27, 0.75, 0.58], {}),
    "Alphabet": ([120, 132, 131, 143, 172, 224, 240, 284], [0.43, 0.70, 0.83, 0.99], {}),
    # Meta 25Q2: 170/85 - 1 = 100%, printed 101% (170.5/84.5 - 1 = 101.8%).
    "Meta": ([67, 85, 92, 148, 137, 170, 194, 209], [1.04, 1.01, 1.11, 0.41], {5}),
}


@pytest.mark.parametrize("company", list(TABLE1))
def test_capex_yoy_seed_table1(company):
    levels, printed_yoy, rounding_only = TABLE1[company]
    got = _column(AIM_GROWTH(levels, 4))
    printed = [None] * 4 + printed_yoy
    bases = [None] * 4 + levels[:4]
    _check_printed(got, printed, bases, levels, rounding_only)


# 表2 line 334-339: quarterly capex (US$m) 24Q1..25Q3.
TABLE2_CAPEX = {
    "Amazon": [14925, 17620, 22620, 27834, 25019, 32183, 35095],
    "Microsoft": [14000, 19000, 20000, 22600, 21400, 24200, 34900],
    "Alphabet": [12012, 13186, 13061, 14276, 17197, 22446, 23953],
    "Meta": [6715, 8472, 9202, 14836, 13692, 17012, 19374],
}
# 表1 line 302-310, 2024A capex (US$100m).
TABLE1_2024A = {"Amazon": 830, "Microsoft": 756, "Alphabet": 525, "Meta": 392}


@pytest.mark.parametrize("company", list(TABLE2_CAPEX))
def test_ttm_capex_matches_2024a_seed_tables_1_2(company):
    # The trailing four quarters at 24Q4 of 表2 (US$m) / 100, rounded to US$100m, is 表1's
    # 2024A: Amazon 14925 + 17620 + 22620 + 27834 = 82999 -> 830.
    got = _column(AIM_TTM(TABLE2_CAPEX[company]))
    assert got[:3] == ["", "", ""]
    assert got[3] == sum(TABLE2_CAPEX[company][:4])
    assert abs(got[3] / 100 - TABLE1_2024A[company]) <= 0.5


def test_ttm_coreweave_2025_guidance_seed_fig23():
    # 图23 note (line 913): 25Q4E = full-year guidance mid-point minus 25Q1-25Q3, so the
    # trailing four quarters at 25Q4E give the mid-points back:
    # revenue 982 + 1213 + 1365 + 1541 = 5101, capex 1858 + 2937 + 1850 + 6355 = 13000.
    assert _column(AIM_TTM(COREWEAVE_REVENUE))[-1] == 5101
    assert _column(AIM_TTM(COREWEAVE_CAPEX))[-1] == 13000


def test_capex_ratios_mechanics_seed_table2():
    # 表2 (line 332) prints capex but neither revenue nor OCF, so only the mechanics:
    # Oracle capex (line 339) reported as cash outflows (negative), against an OCF that
    # includes a zero and a negative quarter and an empty cell.
    oracle_capex = [[-1674, -2798, -2303, -3970, -5862, -9080, -8502]]  # a 1 x 7 row
    ocf = [[5400], [6083], [0], [-100], [None], [6177], [8175]]  # a 7 x 1 column
    got = _column(AIM_CAPEX_TO_OCF(oracle_capex, ocf))
    assert got[0] == pytest.approx(1674 / 5400)  # = 0.31, the printed 31%
    assert got[1] == pytest.approx(2798 / 6083)  # = 0.46
    assert got[2:5] == ["n.m.", "n.m.", ""]
    assert got[5] == pytest.approx(9080 / 6177)  # = 1.47
    assert got[6] == pytest.approx(8502 / 8175)  # = 1.04
    # capex/revenue: same mechanics, the sign of capex never matters
    revenue = [12885, 14288, 13307, 14130, 14130, 15903, 14926]
    neg = _column(AIM_CAPEX_INTENSITY(oracle_capex, revenue))
    pos = _column(AIM_CAPEX_INTENSITY([-x for x in oracle_capex[0]], revenue))
    assert neg == pos
    assert neg[0] == pytest.approx(1674 / 12885)


# ---------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------


def _naive_ttm(x: list[float | None], window: int) -> list[float | None]:
    out: list[float | None] = []
    for t in range(len(x)):
        cells = x[t - window + 1 : t + 1] if t >= window - 1 else None
        out.append(None if cells is None or None in cells else sum(cells))
    return out


@settings(max_examples=60, deadline=None)
@given(gappy_series(min_size=1, max_size=40), st.integers(1, 8))
def test_ttm_equals_naive_window_sum(series, window):
    got = _column(AIM_TTM(series, window))
    scale = max([abs(v) for v in series if v is not None], default=1.0) * len(series) + 1.0
    for g, want in zip(got, _naive_ttm(series, window), strict=True):
        if want is None:
            assert g == ""
        else:
            assert g == pytest.approx(want, abs=1e-12 * scale)


@settings(max_examples=60, deadline=None)
@given(level_series(max_size=30), st.integers(1, 6))
def test_growth_round_trips(series, lag):
    """What AIM_GROWTH promises (udfs/core/ratios.py, growth): NaN without a positive base
    and where the ratio overflows a float (a base of almost zero, e.g. a subnormal 2.2e-308
    under 4.0); otherwise base * (1 + growth) gives the level back."""
    g = ratios.growth(series, lag)
    x = np.asarray(series, dtype=float)
    for t in range(x.size):
        if t < lag or x[t - lag] <= 0:
            assert np.isnan(g[t])
            continue
        with np.errstate(over="ignore"):
            ratio = x[t] / x[t - lag]
        if not np.isfinite(ratio):
            assert np.isnan(g[t])
        else:
            assert x[t - lag] * (1 + g[t]) == pytest.approx(x[t], rel=1e-12, abs=1e-9)


def test_growth_overflow_is_nan():
    """The case Hypothesis found (issue 20): 4.0 over the smallest normal float,
    2.2250738585072014e-308, is 1.8e308, beyond the largest float (1.797e308): NaN. Over
    1e-300 it is 4e300, a float: a number that gives the level back."""
    assert np.isnan(ratios.growth([2.2250738585072014e-308, 0.0, 4.0], 2)[2])
    g = ratios.growth([1e-300, 0.0, 4.0], 2)[2]
    assert np.isfinite(g) and 1e-300 * (1 + g) == pytest.approx(4.0, rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(level_series(min_size=1, max_size=20))
def test_capex_sign_never_matters(capex):
    base = [abs(v) + 1.0 for v in capex]
    plus = ratios.capex_to_ocf(np.abs(capex), base)
    minus = ratios.capex_to_ocf(-np.abs(capex), base)
    assert np.array_equal(plus, minus)


# ---------------------------------------------------------------------------------------
# Excel shapes and cell texts
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "capex, revenue",
    [
        (50.0, 200.0),  # single cells
        ([50.0], [200.0]),
        ([[50.0]], [[200.0]]),
        (np.array([50.0]), np.array([[200.0]])),
    ],
)
def test_scalar_shapes(capex, revenue):
    assert AIM_CAPEX_INTENSITY(capex, revenue) == [[0.25]]


@pytest.mark.parametrize(
    "series",
    [
        [100.0, 110.0, 121.0],  # a 1-D list
        [[100.0, 110.0, 121.0]],  # a row
        [[100.0], [110.0], [121.0]],  # a column
        np.array([100.0, 110.0, 121.0]),
        np.array([[100.0], [110.0], [121.0]]),
        np.array([[100.0, 110.0, 121.0]], dtype=object),
    ],
)
def test_series_shapes_give_one_column(series):
    got = AIM_GROWTH(series)
    assert len(got) == 3 and all(len(r) == 1 for r in got)
    assert got[0] == [""]
    assert got[1][0] == pytest.approx(0.1) and got[2][0] == pytest.approx(0.1)


def test_empty_and_not_meaningful_cells():
    # growth: base 0 -> n.m.; base -50 -> n.m.; empty level -> "" for it and for the
    # row that uses it as a base; -20/40 - 1 = -1.5 is a number.
    got = _column(AIM_GROWTH([0, 10, -50, 5, None, 40, -20]))
    assert got[:5] == ["", "n.m.", -6.0, "n.m.", ""]
    assert got[5] == ""
    assert got[6] == pytest.approx(-1.5)
    # ratios: "" for an empty cell in either input, n.m. for a zero or negative base
    got = _column(AIM_CAPEX_TO_OCF([10, None, 10, 10, 10], [20, 20, None, 0, -5]))
    assert got == [0.5, "", "", "n.m.", "n.m."]
    # TTM: every window touching the empty cell is ""
    got = _column(AIM_TTM([1, 2, None, 4, 5, 6], 2))
    assert got == ["", 3.0, "", "", 9.0, 11.0]
    # a lag or window longer than the series: all rows empty
    assert AIM_GROWTH([1, 2], 4) == [[""], [""]]
    assert AIM_TTM([1, 2], 3) == [[""], [""]]


@pytest.mark.parametrize(
    "call, text",
    [
        (
            lambda: AIM_CAPEX_TO_OCF([1, 2, 3], [1, 2]),
            "#AIM! AIM_CAPEX_TO_OCF: ocf must have as many cells as capex (3) (got 2-cell range)",
        ),
        (
            lambda: AIM_CAPEX_INTENSITY([[1, 2], [3, 4]], [1, 2]),
            "#AIM! AIM_CAPEX_INTENSITY: capex must be a single row or column (got 2x2 range)",
        ),
        (
            lambda: AIM_GROWTH([1, 2, 3], 1.5),
            "#AIM! AIM_GROWTH: lag must be a whole number of periods (got 1.5)",
        ),
        (
            lambda: AIM_GROWTH([1, 2, 3], 0),
            "#AIM! AIM_GROWTH: lag must be a whole number of periods >= 1 (got 0)",
        ),
        (
            lambda: AIM_GROWTH([1, "abc", 3]),
            "#AIM! AIM_GROWTH: series must be a number at position 2 (got 'abc')",
        ),
        (
            lambda: AIM_TTM([1, True, 3]),
            "#AIM! AIM_TTM: series must be a number, not TRUE/FALSE at position 2 (got TRUE)",
        ),
        (
            lambda: AIM_TTM([1, 2, 3], "four"),
            "#AIM! AIM_TTM: window must be a number (got 'four')",
        ),
        (lambda: AIM_TTM(), "#AIM! AIM_TTM: series is required (got nothing)"),
    ],
)
def test_error_texts(call, text):
    assert call() == text


def test_core_refuses_mismatched_lengths_and_bad_windows():
    with pytest.raises(AimInputError, match="revenue must have as many periods as capex"):
        ratios.capex_intensity([1.0, 2.0], [1.0])
    with pytest.raises(AimInputError, match="window must be a whole number"):
        ratios.ttm([1.0, 2.0], 0)
    with pytest.raises(AimInputError, match="series must hold finite numbers"):
        ratios.growth([1.0, np.inf])


def test_ttm_is_linear_time():
    # 200,000 periods with a 5,000-period window: a cumulative sum takes milliseconds;
    # an O(n * window) sum would do 1e9 additions.
    x = np.ones(200_000)
    out = ratios.ttm(x, 5_000)
    assert np.isnan(out[:4_999]).all() and (out[4_999:] == 5_000).all()


@pytest.mark.parametrize("fn", [AIM_CAPEX_TO_OCF, AIM_CAPEX_INTENSITY, AIM_GROWTH, AIM_TTM])
def test_function_wizard_texts_fit_excel(fn):
    # Excel's Function Wizard truncates descriptions at 255 characters.
    assert 20 < len(summary(fn)) <= 255
    assert all(10 < len(doc) <= 255 for doc in fn.__aim_args__.values())
