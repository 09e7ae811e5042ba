"""Pieces of the fast headless load, each against the ``formulas`` engine's own code.

(The whole workbook is compared cell by cell with the engine's own loading in
tests/test_scenarios.py; these are the quick checks of the parts.)
"""

from __future__ import annotations

import numpy as np
import pytest
from formulas.ranges import Ranges

from sheets.evaluate.headless import _RangeParser, _shape

CTX = {"excel": "MODEL.XLSM", "sheet": "CAPEX", "directory": "", "filename": "model.xlsm"}
REFS = [
    "C8",
    "$C$8",
    "AB1048",
    "$A$19:$A$74",
    "C5:AP5",
    "F54:F54",  # a range of one cell: the engine makes it a cell
    "B5:A1",  # reversed: the engine's parser
    "Inputs!E7",
    "'t09_rpo'!$D$5",
    "'Unit economics'!C5:C9",
    "Q_per_year",  # a defined name: the engine's parser
]


@pytest.mark.parametrize("ctx", [CTX, None], ids=["in a sheet", "no context"])
def test_range_parser_equals_the_engines_parser(ctx):
    parser = _RangeParser()
    for text in REFS * 2:  # the second time from the templates
        try:
            expected = Ranges.get_range(text, ctx)
        except Exception as err:  # the engine refuses it: so must the parser
            with pytest.raises(type(err)):
                parser.get(text, ctx)
            continue
        assert parser.get(text, ctx) == expected, text


def test_shapes_differ_only_in_addresses():
    # one shape: every reference replaced by its extent, the rest as written
    assert _shape("=Inputs!$C$5*D7")[0] == _shape("=Inputs!$C$9*E7")[0] == "=<1>*<1>"
    assert _shape("=SUM(C5:F5)")[0] == "=SUM(<0x3>)"
    assert _shape("=C5*1.5")[0] != _shape("=C5*2")[0]
    assert _shape('=IF(C5="A1",1,0)')[0] == '=IF(<1>="A1",1,0)'  # a string is not a reference
    assert _shape("=C5*1.5")[1] == ["C5"]
    # formulas that read addresses are compiled on their own
    assert _shape("=ROW(C5)") is None
    assert _shape("=OFFSET(C5,1,0)") is None
    # a range that grows along the row changes its extent, so its shape
    assert _shape("=SUM($C$5:C5)")[0] == "=SUM(<0x0>)" != _shape("=SUM($C$5:D5)")[0]


# --- SciPy imported when a statistical function first runs -------------------------------

_DEFERRED = r"""
import sys
from sheets.evaluate.headless import register_udfs
import formulas

register_udfs()
print("scipy.stats" in sys.modules)
for text in ("=NORM.S.INV(0.908789)", "=PERCENTILE.INC({1,3,2,4},0.3)",
             "=KURT(3,4,5,2,3,4,5,6,4,7)"):
    print(float(formulas.Parser().ast(text)[1].compile()()))
print(type(sys.modules["scipy.stats"]).__name__, hasattr(sys.modules["scipy.stats"], "norm"))
"""


def test_statistical_functions_import_scipy_when_they_first_run():
    """In a fresh process (this one may hold SciPy already). The expected values are the
    examples in Microsoft's help pages for NORM.S.INV (1.3333), PERCENTILE.INC (1.9) and
    KURT (-0.151799637)."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", _DEFERRED],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = done.stdout.split()
    assert lines[0] == "False"  # loaded the engine's functions without scipy.stats
    assert float(lines[1]) == pytest.approx(1.3333, abs=5e-5)
    assert float(lines[2]) == pytest.approx(1.9, abs=1e-12)
    assert float(lines[3]) == pytest.approx(-0.151799637, abs=5e-10)
    assert lines[4:] == ["module", "True"]  # the real module, once a function needed it


# --- the garbage collector paused while the graph is built --------------------------------


@pytest.mark.parametrize("was_enabled", [True, False])
def test_the_collector_is_paused_and_restored(was_enabled):
    import gc

    from sheets.evaluate.headless import collector_paused

    (gc.enable if was_enabled else gc.disable)()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is was_enabled
        with pytest.raises(KeyError), collector_paused():  # restored on an error too
            raise KeyError("x")
        assert gc.isenabled() is was_enabled
    finally:
        gc.enable()


# --- + - * / on two single numbers, against the engine's own operators -------------------


def _operands():
    import schedula as sh
    from formulas.functions import Array, Error
    from formulas.ranges import Ranges

    def one(v):
        a = np.empty((1, 1), dtype=object)
        a[0, 0] = v
        return a.view(Array)

    cell = {"sheet_id": "S", "r1": 1, "r2": 1, "c1": "A", "c2": "A", "n1": 1, "n2": 1}
    cell.update(ref="A1", name="S!A1")
    return {
        "float": one(2.5),
        "int": one(3),
        "float64": one(np.float64(-1.25)),
        "int64": one(np.int64(7)),
        "zero": one(0.0),
        "minus zero": one(-0.0),
        "huge": one(1e308),
        "text": one("4"),
        "bool": one(True),
        "empty": one(sh.EMPTY),
        "error": one(Error.errors["#N/A"]),
        "literal int": 2,
        "literal float": 0.5,
        "range": Ranges().set_value(cell, one(6.0)),
        "range, no value": Ranges((cell,)),
        "two cells": np.array([[1.0], [2.0]], dtype=object).view(Array),
    }


@pytest.mark.parametrize("op", ["+", "-", "*", "/"])
def test_arithmetic_on_single_numbers_equals_the_engines(op):
    from formulas.errors import RangeValueError
    from formulas.functions.operators import OPERATORS

    from sheets.evaluate.arithmetic import faster

    engine = OPERATORS[op]
    fast = faster(engine)
    assert fast is not engine
    operands = _operands()
    for a_name, a in operands.items():
        for b_name, b in operands.items():
            try:
                expected = engine(a, b)
            except RangeValueError:
                with pytest.raises(RangeValueError):
                    fast(a, b)
                continue
            got = fast(a, b)
            assert type(got) is type(expected), (a_name, b_name)
            assert np.shape(got) == np.shape(expected), (a_name, b_name)
            assert repr(np.asarray(got).tolist()) == repr(np.asarray(expected).tolist()), (
                a_name,
                b_name,
            )


def test_arithmetic_takes_the_direct_path_on_two_numbers():
    """The common case never reaches the engine's vectorize: 2.5 * 2 = 5.0 by hand."""
    import operator

    from formulas.functions import Array

    from sheets.evaluate.arithmetic import _fast

    def engine(*args):
        raise AssertionError("the engine's operator was called")

    operands = _operands()
    got = _fast(engine, operator.mul, Array)(operands["float"], operands["literal int"])
    assert type(got) is Array and got.shape == (1, 1) and got[0, 0] == 5.0
    assert type(got[0, 0]) is float
