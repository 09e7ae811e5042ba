"""Single-asset depreciation (udfs.core.depreciation) and the AIM_DEPRECIATION adapter.

Expected numbers cite their source: Microsoft's documented example for the Excel
function, a LibreOffice Calc 7.4 evaluation, or a hand calculation written out.
LibreOffice parity over generated cases lives in test_excel_parity.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from udfs.core.depreciation import METHODS, db, ddb, depreciation_schedule, sln, syd, vdb
from udfs.errors import AimInputError
from udfs.excel.depreciation import AIM_DEPRECIATION

from .strategies import DEPRECIATION_SETTINGS, assets, factors, methods, months

# --------------------------------------------------------------------------------------
# Microsoft's documented examples
# --------------------------------------------------------------------------------------


def test_sln_documented_example():
    # Excel SLN help: SLN(30000, 7500, 10) = 2,250
    assert sln(30000, 7500, 10) == 2250.0


def test_syd_documented_example():
    # Excel SYD help: SYD(30000, 7500, 10, 1) = 4,090.91 and SYD(30000, 7500, 10, 10) = 409.09
    assert round(syd(30000, 7500, 10, 1), 2) == 4090.91
    assert round(syd(30000, 7500, 10, 10), 2) == 409.09


@pytest.mark.parametrize(
    ("life", "period", "factor", "expected"),
    [
        (10 * 365, 1, 2, 1.32),  # Excel DDB help: first day, DDB(2400,300,3650,1)
        (10 * 12, 1, 2, 40.00),  # first month, DDB(2400,300,120,1,2)
        (10, 1, 2, 480.00),  # first year, DDB(2400,300,10,1,2)
        (10, 2, 1.5, 306.00),  # second year at factor 1.5, DDB(2400,300,10,2,1.5)
        (10, 10, 2, 22.12),  # tenth year, DDB(2400,300,10,10)
        # not in Microsoft's table; hand: 2400 * 1.5/10 = 360; LibreOffice gives 360
        (10, 1, 1.5, 360.00),
    ],
)
def test_ddb_documented_example(life, period, factor, expected):
    assert round(ddb(2400, 300, life, period, factor), 2) == expected


def test_db_documented_example():
    # Excel DB help: cost 1,000,000, salvage 100,000, life 6, month 7 -> years 1..7
    expected = [186083.33, 259639.42, 176814.44, 120410.64, 81999.64, 55841.76, 15845.10]
    got = [round(db(1_000_000, 100_000, 6, p, 7), 2) for p in range(1, 8)]
    assert got == expected
    schedule = depreciation_schedule(1_000_000, 100_000, 6, "DB", month=7)
    assert schedule.round(2).tolist() == expected


@pytest.mark.parametrize(
    ("life", "start", "end", "factor", "expected"),
    [
        (10 * 365, 0, 1, 2, 1.32),  # Excel VDB help: first day, VDB(2400,300,3650,0,1)
        (10 * 12, 0, 1, 2, 40.00),  # first month, VDB(2400,300,120,0,1)
        (10, 0, 1, 2, 480.00),  # first year, VDB(2400,300,10,0,1)
        (10 * 12, 6, 18, 2, 396.31),  # 6th to 18th month, VDB(2400,300,120,6,18)
        (10 * 12, 6, 18, 1.5, 311.81),  # same at factor 1.5, VDB(2400,300,120,6,18,1.5)
        (10, 0, 0.875, 1.5, 315.00),  # first fiscal year, VDB(2400,300,10,0,0.875,1.5)
    ],
)
def test_vdb_documented_example(life, start, end, factor, expected):
    assert round(vdb(2400, 300, life, start, end, factor), 2) == expected


# The same examples through the worksheet function (a row per period), as a user types
# them: each expected value is the one printed on the Microsoft Support page named.

_MICROSOFT = [
    # SLN function - Microsoft Support: SLN(30000, 7500, 10) = 2,250.00 a year
    ("SLN function", (30000, 7500, 10, "SL"), {1: 2250.00, 10: 2250.00}),
    # SYD function - Microsoft Support: years 1 and 10 of SYD(30000, 7500, 10, ...)
    ("SYD function", (30000, 7500, 10, "SYD"), {1: 4090.91, 10: 409.09}),
    # DDB function - Microsoft Support: first day (life 3,650 days), first month (120),
    # first year, tenth year (factor 2); second year at factor 1.5
    ("DDB function", (2400, 300, 3650, "DDB"), {1: 1.32}),
    ("DDB function", (2400, 300, 120, "DDB", 2), {1: 40.00}),
    ("DDB function", (2400, 300, 10, "DDB", 2), {1: 480.00, 10: 22.12}),
    ("DDB function", (2400, 300, 10, "DDB", 1.5), {2: 306.00}),
    # DB function - Microsoft Support: DB(1000000, 100000, 6, 1..7, 7)
    (
        "DB function",
        (1_000_000, 100_000, 6, "DB", None, 7),
        {
            1: 186083.33,
            2: 259639.42,
            3: 176814.44,
            4: 120410.64,
            5: 81999.64,
            6: 55841.76,
            7: 15845.10,
        },
    ),
    # VDB function - Microsoft Support: first day VDB(2400,300,3650,0,1), first month
    # VDB(2400,300,120,0,1), first year VDB(2400,300,10,0,1)
    ("VDB function", (2400, 300, 3650, "VDB"), {1: 1.32}),
    ("VDB function", (2400, 300, 120, "VDB"), {1: 40.00}),
    ("VDB function", (2400, 300, 10, "VDB"), {1: 480.00}),
]


@pytest.mark.parametrize(("page", "args", "expected"), _MICROSOFT, ids=[m[0] for m in _MICROSOFT])
def test_worksheet_function_gives_microsofts_examples(page, args, expected):
    out = AIM_DEPRECIATION(*args)
    assert isinstance(out, list), out
    assert len(out) == args[2] + (1 if args[3] == "DB" and args[-1] != 12 else 0)
    for period, value in expected.items():
        assert round(out[period - 1][0], 2) == value, (page, period)


@pytest.mark.parametrize(
    ("start", "end", "factor", "expected"),
    [
        (6, 18, None, 396.31),  # VDB(2400,300,120,6,18): 6th to 18th month
        (6, 18, 1.5, 311.81),  # VDB(2400,300,120,6,18,1.5)
    ],
)
def test_worksheet_vdb_rows_add_up_to_microsofts_intervals(start, end, factor, expected):
    # VDB function - Microsoft Support: months 7 to 18 of a 10-year (120-month) life
    out = AIM_DEPRECIATION(2400, 300, 120, "VDB", factor)
    assert round(sum(row[0] for row in out[start:end]), 2) == expected


def test_daily_lives_up_to_an_excel_column():
    # DDB function - Microsoft Support uses life = 10 years x 365 days; a day schedule of
    # a 30-year asset (10,950 days) and the longest life, a whole Excel column
    assert len(AIM_DEPRECIATION(2400, 300, 30 * 365, "DDB")) == 10_950
    assert len(AIM_DEPRECIATION(2400, 300, 1_048_576)) == 1_048_576
    assert AIM_DEPRECIATION(2400, 300, 1_048_577) == (
        "#AIM! AIM_DEPRECIATION: life must be a whole number of periods <= 1048576 (got 1048577)"
    )


# --------------------------------------------------------------------------------------
# Hand calculations
# --------------------------------------------------------------------------------------


def test_vdb_switches_to_straight_line():
    # Hand: cost 2400, salvage 0, life 5, rate 0.4. Declining 960, 576, 345.6 leaves 518.4;
    # period 4 declining would be 207.36 < straight line 518.4 / 2 = 259.2, so 259.2 twice.
    # LibreOffice: VDB(2400,0,5,3,4) = 259.2.
    assert depreciation_schedule(2400, 0, 5, "VDB").round(10).tolist() == [
        960.0,
        576.0,
        345.6,
        259.2,
        259.2,
    ]
    # no_switch keeps declining balance: 2400 * 0.6^3 * 0.4 = 207.36
    assert vdb(2400, 0, 5, 3, 4, no_switch=True) == pytest.approx(207.36, rel=1e-12)


def test_ddb_does_not_force_the_remainder():
    # Hand: DDB(1000, 0, 4, p, 1): 250, 187.5, 140.625, 105.46875, total 683.59 < 1000
    schedule = depreciation_schedule(1000, 0, 4, "DDB", factor=1)
    assert schedule.tolist() == [250.0, 187.5, 140.625, 105.46875]


def test_db_rate_rounding_can_take_book_value_below_salvage():
    # Hand: DB(1000, 100, 6): rate = 1 - 0.1^(1/6) = 0.31871 -> rounded 0.319 (up), so the
    # book value after 6 years is 1000 * 0.681^6 = 99.74 < salvage 100.
    schedule = depreciation_schedule(1000, 100, 6, "DB")
    assert 1000 - schedule.sum() == pytest.approx(1000 * 0.681**6, rel=1e-12)
    assert 1000 - schedule.sum() < 100


def test_life_one_and_salvage_edges():
    # Hand: life 1 charges the whole base in period 1 by every method (DB: rate rounds
    # 1 - 100/1000 = 0.9, so 900).
    for method in METHODS:
        assert depreciation_schedule(1000, 100, 1, method).tolist() == [900.0], method
    # salvage = cost: nothing to depreciate
    for method in METHODS:
        assert not depreciation_schedule(500, 500, 4, method).any(), method
    # salvage 0 with DB: rate 1, the whole cost in period 1 (LibreOffice: DB(1000,0,5,1)=1000)
    assert depreciation_schedule(1000, 0, 5, "DB").tolist() == [1000.0, 0, 0, 0, 0]
    # ... and month 6 splits it: 500 then 500 (LibreOffice: DB(1000,0,5,1,6) = 500, p2 = 500)
    assert depreciation_schedule(1000, 0, 5, "DB", month=6).tolist() == [500.0, 500.0, 0, 0, 0, 0]


def test_db_schedule_has_life_plus_one_rows_when_month_below_12():
    assert depreciation_schedule(1000, 100, 5, "DB", month=1).shape == (6,)
    assert depreciation_schedule(1000, 100, 5, "DB", month=12).shape == (5,)
    assert depreciation_schedule(1000, 100, 5, "SL", month=1).shape == (5,)


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------


def _close(a: float, b: float, scale: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12 * max(scale, 1.0))


@DEPRECIATION_SETTINGS
@given(asset=assets(positive=True), method=methods, factor=factors, month=months)
def test_schedule_rows_equal_the_single_period_functions(asset, method, factor, month):
    cost, salvage, life = asset
    schedule = depreciation_schedule(cost, salvage, life, method, factor, month)
    for p, value in enumerate(schedule, start=1):
        expected = {
            "SL": lambda p: sln(cost, salvage, life),
            "SYD": lambda p: syd(cost, salvage, life, p),
            "DDB": lambda p: ddb(cost, salvage, life, p, factor),
            "DB": lambda p: db(cost, salvage, life, p, month),
            "VDB": lambda p: vdb(cost, salvage, life, p - 1, p, factor),
        }[method](p)
        assert _close(value, expected, cost), (p, value, expected)


@DEPRECIATION_SETTINGS
@given(asset=assets(), method=st.sampled_from(["SL", "SYD", "VDB"]), factor=factors)
def test_sl_syd_vdb_add_up_to_the_depreciable_base(asset, method, factor):
    cost, salvage, life = asset
    schedule = depreciation_schedule(cost, salvage, life, method, factor)
    assert (schedule >= 0).all()
    assert _close(schedule.sum(), cost - salvage, cost)
    book = cost - np.cumsum(schedule)
    assert (book >= salvage - 1e-9 * max(cost, 1.0)).all()


@DEPRECIATION_SETTINGS
@given(asset=assets(), factor=factors)
def test_ddb_stays_above_salvage_and_within_the_base(asset, factor):
    # Excel's DDB never forces the remainder: the total is at most cost - salvage, and the
    # book value never goes below salvage.
    cost, salvage, life = asset
    schedule = depreciation_schedule(cost, salvage, life, "DDB", factor)
    tol = 1e-9 * max(cost, 1.0)
    assert (schedule >= 0).all()
    assert schedule.sum() <= cost - salvage + tol
    assert (cost - np.cumsum(schedule) >= salvage - tol).all()


@DEPRECIATION_SETTINGS
@given(asset=assets(positive=True), month=months)
def test_db_total_is_the_rounded_rate_closed_form(asset, month):
    # DB charges rate * book each period (a fraction month/12 of it in the first period and
    # (12 - month)/12 in period life + 1), so the book value left is
    # cost * (1 - r m/12) * (1 - r)^(life-1) * (1 - r (12-m)/12), with r the rate rounded
    # to 3 decimals. Rounding moves the end value off salvage by at most
    # cost * life * 0.0005 (mean value theorem on (1 - r)^life).
    cost, salvage, life = asset
    schedule = depreciation_schedule(cost, salvage, life, "DB", month=month)
    r = math.floor((1 - (salvage / cost) ** (1 / life)) * 1000 + 0.5) / 1000
    left = cost * (1 - r * month / 12) * (1 - r) ** (life - 1) * (1 - r * (12 - month) / 12)
    assert _close(cost - schedule.sum(), left, cost)
    assert (schedule >= 0).all()
    if month == 12:
        assert abs(left - salvage) <= cost * life * 0.0005 + 1e-9 * cost


@DEPRECIATION_SETTINGS
@given(
    asset=assets(),
    factor=factors,
    cuts=st.lists(st.floats(0, 1, allow_nan=False), min_size=3, max_size=3),
    no_switch=st.booleans(),
)
def test_vdb_is_additive_over_fractional_intervals(asset, factor, cuts, no_switch):
    # VDB(a, b) + VDB(b, c) = VDB(a, c): part periods count pro rata of the period's charge.
    cost, salvage, life = asset
    a, b, c = sorted(x * life for x in cuts)
    whole = vdb(cost, salvage, life, a, c, factor, no_switch)
    parts = vdb(cost, salvage, life, a, b, factor, no_switch)
    parts += vdb(cost, salvage, life, b, c, factor, no_switch)
    assert math.isclose(whole, parts, rel_tol=1e-9, abs_tol=1e-9 * max(cost, 1.0))


@DEPRECIATION_SETTINGS
@given(asset=assets(), factor=factors, data=st.data())
def test_vdb_no_switch_equals_ddb_over_whole_periods(asset, factor, data):
    cost, salvage, life = asset
    start = data.draw(st.integers(0, life - 1))
    end = data.draw(st.integers(start, life))
    expected = sum(ddb(cost, salvage, life, p, factor) for p in range(start + 1, end + 1))
    got = vdb(cost, salvage, life, start, end, factor, no_switch=True)
    assert math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-12 * max(cost, 1.0))


# --------------------------------------------------------------------------------------
# Domain errors (Excel answers #NUM! or #VALUE!; aim names the argument)
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: sln(100, 200, 5), "salvage"),
        (lambda: sln(-1, 0, 5), "cost"),
        (lambda: sln(100, -1, 5), "salvage"),
        (lambda: sln(100, 10, 0.5), "life"),
        (lambda: syd(100, 10, 5, 6), "period"),
        (lambda: syd(100, 10, 5, 0), "period"),
        (lambda: ddb(100, 10, 5, 0), "period"),
        (lambda: ddb(100, 10, 5, 6), "period"),
        (lambda: ddb(100, 10, 5, 1, 0), "factor"),
        (lambda: ddb(100, 10, 5, 1, float("nan")), "factor"),
        (lambda: db(100, 10, 5, 1, 0), "month"),
        (lambda: db(100, 10, 5, 1, 13), "month"),
        (lambda: db(100, 10, 5, 6, 12), "period"),
        (lambda: db(0, 0, 5, 1), "cost"),
        (lambda: db(100, 10, 5.5, 1), "life"),
        (lambda: vdb(100, 10, 5, 3, 2), "start_period"),
        (lambda: vdb(100, 10, 5, -1, 2), "start_period"),
        (lambda: vdb(100, 10, 5, 0, 6), "end_period"),
        (lambda: vdb(100, 10, 5, 0, 1, -2), "factor"),
        (lambda: depreciation_schedule(100, 10, 2.5), "life"),
        (lambda: depreciation_schedule(100, 10, 1_048_577), "life"),
        (lambda: depreciation_schedule(100, 10, 5, "MACRS"), "method"),
        (lambda: depreciation_schedule(0, 0, 5, "DB"), "cost"),
    ],
)
def test_domain_errors_name_the_argument(call, argument):
    with pytest.raises(AimInputError) as err:
        call()
    assert err.value.argument == argument


# --------------------------------------------------------------------------------------
# The worksheet adapter
# --------------------------------------------------------------------------------------


def test_adapter_returns_one_column_of_numbers():
    # Hand: SYD(1000, 100, 3, p) = 900 * (3 - p + 1) / 6 = 450, 300, 150
    assert AIM_DEPRECIATION(1000.0, 100.0, 3.0, "syd") == [[450.0], [300.0], [150.0]]
    # optional arguments omitted or None take their defaults (SL, 2, 12)
    assert AIM_DEPRECIATION(1000, 100, 3) == [[300.0], [300.0], [300.0]]
    assert AIM_DEPRECIATION(1000, 100, 3, None, None, None) == [[300.0]] * 3
    # Excel hands single cells as 1x1 ranges sometimes, and numpy scalars from Python
    assert AIM_DEPRECIATION([[1000.0]], [100.0], np.float64(3), [["DDB"]], [[1.5]]) == [
        [ddb(1000, 100, 3, p, 1.5)] for p in (1, 2, 3)
    ]
    # DB with month 7: life + 1 rows (Excel DB help example)
    out = AIM_DEPRECIATION(1_000_000, 100_000, 6, "DB", None, 7)
    assert len(out) == 7 and round(out[-1][0], 2) == 15845.10


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (
            (100.0, 200.0, 5.0),
            "#AIM! AIM_DEPRECIATION: salvage must not exceed cost of 100 (got 200.0)",
        ),
        (
            (1000.0, 100.0, 2.5),
            "#AIM! AIM_DEPRECIATION: life must be a whole number of periods (got 2.5)",
        ),
        (
            (1000.0, 100.0, 5.0, "DB", None, 13.0),
            "#AIM! AIM_DEPRECIATION: month must be a whole number of months <= 12 (got 13.0)",
        ),
        (
            (1000.0, 100.0, 5.0, "MACRS"),
            "#AIM! AIM_DEPRECIATION: method must be one of SL, SYD, DDB, DB, VDB (got 'MACRS')",
        ),
        (
            (1000.0, 100.0, 5.0, "DDB", 0.0),
            "#AIM! AIM_DEPRECIATION: factor must be > 0 (got 0.0)",
        ),
        (
            (0.0, 0.0, 5.0, "DB"),
            "#AIM! AIM_DEPRECIATION: cost must be > 0 for DB (got 0.0)",
        ),
        (
            (None, 0.0, 5.0),
            "#AIM! AIM_DEPRECIATION: cost is required (got empty cell)",
        ),
        (
            (1000.0, 100.0),
            "#AIM! AIM_DEPRECIATION: life is required (got nothing)",
        ),
        (
            ("abc", 100.0, 5.0),
            "#AIM! AIM_DEPRECIATION: cost must be a number (got 'abc')",
        ),
    ],
)
def test_adapter_error_texts(args, text):
    assert AIM_DEPRECIATION(*args) == text


def test_functions_are_registered_and_documented():
    import inspect

    import udfs
    from udfs.excel._worksheet import REGISTRY, summary

    for name in ("AIM_DEPRECIATION", "AIM_DEPR_WATERFALL", "AIM_LIFE_CHANGE"):
        fn = REGISTRY[name]
        assert getattr(udfs, name) is fn
        assert name.lower() not in dir(udfs)  # one name per function: xlwings walks dir()
        params = list(inspect.signature(fn.__aim_impl__).parameters)
        assert list(fn.__aim_args__) == params
        assert all(doc.strip() for doc in fn.__aim_args__.values())
        assert summary(fn)
