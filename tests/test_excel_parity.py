"""Parity with LibreOffice Calc, an independent implementation of Excel's functions.

Every formula below goes into ONE workbook that LibreOffice recalculates once (about two
seconds); each test then compares its slice of the results with aim. Calc writes 15
significant digits, so agreement is to 1e-9 relative (with an absolute floor of 1e-12 x
cost for results that are zero up to rounding).

Calc answers an invalid argument with an error value (Err:502, written to .xlsx as
#VALUE!; Excel shows #NUM!). Where Calc errs, aim raises AimInputError naming the
argument. aim is stricter than Calc in one place: Calc's SLN and SYD accept salvage above
cost (returning negative depreciation) and SYD periods outside the life; aim refuses them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

from udfs.core.depreciation import db, ddb, sln, syd, vdb
from udfs.core.waterfall import depr_waterfall
from udfs.errors import AimInputError
from udfs.excel.depreciation import AIM_DEPRECIATION

from . import oracle

pytestmark = pytest.mark.libreoffice


@dataclass(frozen=True)
class Case:
    group: str
    formula: str
    ours: Callable[[], float]
    scale: float = 1.0  # size of the amounts, for the absolute floor of the tolerance
    documented: float | None = None  # Microsoft's published value, 2 decimals


CASES: list[Case] = []


def _num(x: float) -> str:
    text = repr(float(x))
    return text[:-2] if text.endswith(".0") else text


def _add(group: str, name: str, args: tuple, fn: Callable, scale: float, **kw) -> None:
    formula = (
        f"={name}("
        + ",".join(_num(a) if not isinstance(a, bool) else ("TRUE" if a else "FALSE") for a in args)
        + ")"
    )
    CASES.append(Case(group, formula, lambda: fn(*args), scale, **kw))


# --- Microsoft's documented examples --------------------------------------------------
# (Excel help pages for SLN, SYD, DDB, DB and VDB; values as printed there)
_DOCUMENTED = [
    ("SLN", (30000, 7500, 10), sln, 2250.00),
    ("SYD", (30000, 7500, 10, 1), syd, 4090.91),
    ("SYD", (30000, 7500, 10, 10), syd, 409.09),
    ("DDB", (2400, 300, 3650, 1), ddb, 1.32),
    ("DDB", (2400, 300, 120, 1, 2), ddb, 40.00),
    ("DDB", (2400, 300, 10, 1, 2), ddb, 480.00),
    ("DDB", (2400, 300, 10, 2, 1.5), ddb, 306.00),
    ("DDB", (2400, 300, 10, 10), ddb, 22.12),
    ("DB", (1000000, 100000, 6, 1, 7), db, 186083.33),
    ("DB", (1000000, 100000, 6, 2, 7), db, 259639.42),
    ("DB", (1000000, 100000, 6, 3, 7), db, 176814.44),
    ("DB", (1000000, 100000, 6, 4, 7), db, 120410.64),
    ("DB", (1000000, 100000, 6, 5, 7), db, 81999.64),
    ("DB", (1000000, 100000, 6, 6, 7), db, 55841.76),
    ("DB", (1000000, 100000, 6, 7, 7), db, 15845.10),
    ("VDB", (2400, 300, 3650, 0, 1), vdb, 1.32),
    ("VDB", (2400, 300, 120, 0, 1), vdb, 40.00),
    ("VDB", (2400, 300, 10, 0, 1), vdb, 480.00),
    ("VDB", (2400, 300, 120, 6, 18), vdb, 396.31),
    ("VDB", (2400, 300, 120, 6, 18, 1.5), vdb, 311.81),
    ("VDB", (2400, 300, 10, 0, 0.875, 1.5), vdb, 315.00),
]
for _name, _args, _fn, _value in _DOCUMENTED:
    _add("documented", _name, _args, _fn, _args[0], documented=_value)


# --- Generated single-period cases (seeded, so the workbook is the same every run) ------
_rng = np.random.default_rng(20260121)


def _asset() -> tuple[float, float, int]:
    cost = round(float(10 ** _rng.uniform(0, 8)), 2)
    share = _rng.choice(
        [0.0, 1.0, _rng.uniform(0, 0.2), _rng.uniform(0, 1)], p=[0.1, 0.05, 0.45, 0.4]
    )
    salvage = min(cost, round(cost * float(share), 2))
    life = int(_rng.choice([1, 2, 3, 4, 5, 6, 7, 10, 12, 20, 40, 60, 120]))
    return cost, salvage, life


for _ in range(70):
    c, s, life = _asset()
    p = int(_rng.integers(1, life + 1))
    _add("generated", "SLN", (c, s, life), sln, c)
    _add("generated", "SYD", (c, s, life, p), syd, c)
    f = float(_rng.choice([1.0, 1.5, 2.0, 3.0, round(_rng.uniform(0.2, 5), 2)]))
    _add("generated", "DDB", (c, s, life, p, f), ddb, c)
    if c > 0:
        m = int(_rng.integers(1, 13))
        _add("generated", "DB", (c, s, life, int(_rng.integers(1, life + (m < 12) + 1)), m), db, c)
    a, b = sorted(round(float(x), 3) for x in _rng.uniform(0, life, 2))
    if _rng.random() < 0.4:  # whole periods, to exercise the switch to straight line
        a, b = float(math.floor(a)), float(math.ceil(b))
    _add("generated", "VDB", (c, s, life, a, b, f, bool(_rng.random() < 0.3)), vdb, c)


# --- Edge cases ------------------------------------------------------------------------
for c, s, life in [(1000, 0, 5), (1000, 1000, 5), (1000, 100, 1), (5e6, 2.5e5, 120)]:
    for p in sorted({1, max(1, life // 2), life}):
        _add("edge", "SYD", (c, s, life, p), syd, c)
        for f in (1.5, 2, 3):
            _add("edge", "DDB", (c, s, life, p, f), ddb, c)
            _add("edge", "VDB", (c, s, life, p - 1, p, f), vdb, c)
        for m in (1, 12):
            _add("edge", "DB", (c, s, life, p, m), db, c)
    _add("edge", "DB", (c, s, life, life + 1, 1), db, c)
    _add("edge", "VDB", (c, s, life, 0, life), vdb, c)
    _add("edge", "VDB", (c, s, life, 0, life, 2, True), vdb, c)
# VDB switching to straight line: cost 2400, salvage 0, life 5 switches in period 4
for p in range(1, 6):
    _add("edge", "VDB", (2400, 0, 5, p - 1, p), vdb, 2400)
# DB with a rate rounded up (1000, 100, 6: 0.31871 -> 0.319): book ends below salvage
for p in range(1, 7):
    _add("edge", "DB", (1000, 100, 6, p), db, 1000)


# --- Whole schedules through the worksheet function ------------------------------------
SCHEDULES: list[tuple[tuple, int]] = []  # (AIM_DEPRECIATION arguments, first case index)
_schedule_args = [
    (30000.0, 7500.0, 10, "SYD", 2.0, 12),
    (2400.0, 300.0, 10, "DDB", 1.5, 12),
    (2400.0, 0.0, 5, "VDB", 2.0, 12),
    (2400.0, 300.0, 12, "VDB", 3.0, 12),
    (1e6, 1e5, 6, "DB", 2.0, 7),
    (1e6, 0.0, 4, "DB", 2.0, 1),
    (777.77, 77.0, 1, "DB", 2.0, 6),
    (5e6, 2.5e5, 120, "VDB", 1.5, 12),
]
for _args in _schedule_args:
    cost, salvage, life, method, factor, month = _args
    SCHEDULES.append((_args, len(CASES)))
    rows = life + (1 if method == "DB" and month < 12 else 0)
    for p in range(1, rows + 1):
        excel = {
            "SYD": f"=SYD({cost},{salvage},{life},{p})",
            "DDB": f"=DDB({cost},{salvage},{life},{p},{factor})",
            "DB": f"=DB({cost},{salvage},{life},{p},{month})",
            "VDB": f"=VDB({cost},{salvage},{life},{p - 1},{p},{factor})",
        }[method]
        CASES.append(Case("schedule", excel, lambda: math.nan, cost))


# --- Capex waterfalls as SUMPRODUCT over array constants -------------------------------
WATERFALLS: list[tuple[tuple, int]] = []
for capex, life, convention, pct in [
    ([100, 0, 250, 40, 0, 0, 75, 310], 3, "full", 0.0),
    ([100, 0, 250, 40, 0, 0, 75, 310], 4, "half", 0.1),
    ([100, 0, 250, 40, 0, 0, 75, 310], 2, "next", 0.0),
    ([5e3, 1e-2, 7.5e3, 0, 12], 1, "half", 0.0),
]:
    WATERFALLS.append(((capex, life, convention, pct), len(CASES)))
    vals = "{" + ",".join(_num(x) for x in capex) + "}"
    idx = "{" + ",".join(str(i) for i in range(1, len(capex) + 1)) + "}"
    for t in range(1, len(capex) + life + 1):
        full = f"SUMPRODUCT({vals},({idx}<={t})*({idx}>{t - life}))"
        nxt = f"SUMPRODUCT({vals},({idx}<={t - 1})*({idx}>={t - life}))"
        body = {"full": full, "next": nxt, "half": f"0.5*({full}+{nxt})"}[convention]
        CASES.append(Case("waterfall", f"=({body})*(1-{pct})/{life}", lambda: math.nan))


# --- Invalid arguments: Calc returns an error, aim raises naming the argument ---------
ERRORS = [
    ("=DDB(100,200,5,1)", lambda: ddb(100, 200, 5, 1), "salvage"),
    ("=DDB(100,10,5,6)", lambda: ddb(100, 10, 5, 6), "period"),
    ("=DDB(100,10,5,0)", lambda: ddb(100, 10, 5, 0), "period"),
    ("=DDB(100,10,5,1,0)", lambda: ddb(100, 10, 5, 1, 0), "factor"),
    ("=DDB(-100,0,5,1)", lambda: ddb(-100, 0, 5, 1), "cost"),
    ("=DB(100,200,5,1)", lambda: db(100, 200, 5, 1), "salvage"),
    ("=DB(0,0,5,1)", lambda: db(0, 0, 5, 1), "cost"),
    ("=DB(100,10,5,1,13)", lambda: db(100, 10, 5, 1, 13), "month"),
    ("=DB(100,10,5,1,0)", lambda: db(100, 10, 5, 1, 0), "month"),
    ("=DB(100,10,5,7,6)", lambda: db(100, 10, 5, 7, 6), "period"),
    ("=DB(100,10,5,0)", lambda: db(100, 10, 5, 0), "period"),
    ("=VDB(100,200,5,0,1)", lambda: vdb(100, 200, 5, 0, 1), "salvage"),
    ("=VDB(100,10,5,3,2)", lambda: vdb(100, 10, 5, 3, 2), "start_period"),
    ("=VDB(100,10,5,-1,2)", lambda: vdb(100, 10, 5, -1, 2), "start_period"),
    ("=VDB(100,10,5,0,6)", lambda: vdb(100, 10, 5, 0, 6), "end_period"),
    ("=VDB(100,10,5,0,1,0)", lambda: vdb(100, 10, 5, 0, 1, 0), "factor"),
]
_ERRORS_AT = len(CASES)
FORMULAS = [case.formula for case in CASES] + [e[0] for e in ERRORS]


@pytest.fixture(scope="module")
def calc() -> list:
    values = oracle.evaluate(FORMULAS)
    assert len(values) == len(FORMULAS)
    return values


def _agree(ours: float, theirs: float, scale: float) -> bool:
    return math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-12 * max(scale, 1.0))


def _check(calc, group: str) -> int:
    bad = []
    count = 0
    for i, case in enumerate(CASES):
        if case.group != group:
            continue
        count += 1
        theirs = calc[i]
        ours = case.ours()
        if not isinstance(theirs, (int, float)) or not _agree(ours, theirs, case.scale):
            bad.append(f"{case.formula}: Calc {theirs!r}, aim {ours!r}")
    assert not bad, f"{len(bad)} of {count} differ:\n" + "\n".join(bad[:20])
    return count


def test_documented_examples(calc):
    _check(calc, "documented")
    for i, case in enumerate(CASES):
        if case.group == "documented":
            assert round(calc[i], 2) == case.documented, case.formula


def test_generated_single_periods(calc):
    assert _check(calc, "generated") >= 300


def test_edge_cases(calc):
    _check(calc, "edge")


def test_schedules_through_the_worksheet_function(calc):
    for args, first in SCHEDULES:
        got = [row[0] for row in AIM_DEPRECIATION(*args)]
        theirs = calc[first : first + len(got)]
        assert all(_agree(a, b, args[0]) for a, b in zip(got, theirs, strict=True)), (
            args,
            got,
            theirs,
        )


def test_waterfalls(calc):
    for (capex, life, convention, pct), first in WATERFALLS:
        got = depr_waterfall(capex, life, convention, pct)
        theirs = calc[first : first + len(got)]
        scale = float(np.sum(capex))
        assert all(_agree(a, b, scale) for a, b in zip(got, theirs, strict=True)), (
            capex,
            life,
            convention,
            got.tolist(),
            theirs,
        )


@pytest.mark.parametrize(("k", "error"), list(enumerate(ERRORS)))
def test_errors_where_calc_errs(calc, k, error):
    formula, call, argument = error
    assert isinstance(calc[_ERRORS_AT + k], str) and calc[_ERRORS_AT + k].startswith("#"), (
        formula,
        calc[_ERRORS_AT + k],
    )
    with pytest.raises(AimInputError) as err:
        call()
    assert err.value.argument == argument
