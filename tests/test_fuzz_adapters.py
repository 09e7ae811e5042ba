"""Hypothesis fuzzes every worksheet function with arbitrary Excel-like values.

Each argument is drawn from three pools: its baseline value in a valid call (so that the
other arguments usually pass and the fuzzed one reaches deep code), plausible values of
its role (amounts, whole periods, shares, choices, rows or columns), and anything an
Excel cell, a range or a Python caller might hand over (None, booleans, ints including
huge ones, floats including NaN, infinities, huge, tiny and subnormal values, numeric
and arbitrary unicode text, lists, lists of lists, ragged lists, numpy arrays). Some
calls also leave arguments off the end.

The contract is the table-driven suite's (:func:`tests.test_bad_inputs.check_contract`):
never an exception, never ``internal error`` or a traceback, never NaN, infinity or
None inside a result, never an empty result; an error is one line naming an argument
of that function. Numpy warnings are errors here, so a silent overflow shows up too.

The seed is fixed (``derandomize=True``) and the budget bounded (``max_examples``).
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from udfs.core import contracts, debt, waterfall
from udfs.core.depreciation import METHODS
from udfs.excel._worksheet import REGISTRY

from .test_bad_inputs import AMOUNT, CHOICE, RATE, SHARE, SPEC, VECTOR, WHOLE, check_contract

FUZZ = settings(
    max_examples=200,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
"""Fixed seed, bounded budget: 200 calls per function and test, about 15 s in all."""

# --------------------------------------------------------------------------------------
# Anything Excel (or a Python caller) might hand over
# --------------------------------------------------------------------------------------

_SPECIAL_FLOATS = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    2.5,
    12.0,
    1e6,
    1e100,
    -1e100,
    1.000001e100,
    1e-100,
    1e-300,
    5e-324,
    -5e-324,
    1.7976931348623157e308,
    -1.7976931348623157e308,
    math.nan,
    math.inf,
    -math.inf,
]

_SPECIAL_TEXT = [
    "",
    " ",
    "abc",
    "12",
    " 12 ",
    "1,000",
    "-3.5",
    "40%",
    "%",
    "1e400",
    "-1e400",
    "1e-400",
    "nan",
    "NaN",
    "inf",
    "-Infinity",
    "TRUE",
    "FALSE",
    "#N/A",
    "#DIV/0!",
    "=1+1",
    "0x10",
    "1_000",
    "١٢",  # Arabic-Indic digits
    "１２",  # full-width digits
    "\n",
    "\t12\n",
    "SL",
    "ddb",
    " full ",
    "HALF",
    "next",
]

numbers = st.one_of(
    st.sampled_from(_SPECIAL_FLOATS),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-1e4, 1e4),
    st.integers(-20, 20),
    st.integers(),
    st.integers(10**300, 10**400),
    st.integers(-20, 20).map(np.int64),
    st.floats(-1e4, 1e4).map(np.float64),
)

texts = st.one_of(
    st.sampled_from(_SPECIAL_TEXT),
    st.text(max_size=8),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(-1e3, 1e3).map(lambda x: f"{x * 100:g}%"),
    st.integers(-(10**30), 10**30).map(str),
)

cells = st.one_of(st.none(), st.booleans(), st.just(np.bool_(True)), numbers, texts)
"""One cell's value (or one scalar argument)."""


@st.composite
def blocks(draw: st.DrawFn, elements: st.SearchStrategy[Any]) -> Any:
    """A range: a list, a list of lists (rectangular or ragged), or a numpy array."""
    shape = draw(st.sampled_from(["list", "rows", "ragged", "nested", "array", "float array"]))
    if shape == "list":
        return draw(st.lists(elements, max_size=6))
    if shape == "rows":
        rows, cols = draw(st.integers(0, 4)), draw(st.integers(0, 4))
        return [[draw(elements) for _ in range(cols)] for _ in range(rows)]
    if shape == "ragged":
        return draw(st.lists(st.lists(elements, max_size=4), min_size=1, max_size=4))
    if shape == "nested":
        return draw(st.lists(st.lists(st.lists(elements, max_size=2), max_size=2), max_size=3))
    if shape == "array":
        values = draw(st.lists(elements, min_size=0, max_size=6))
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out.reshape(draw(st.sampled_from([(-1,), (-1, 1), (1, -1)])))
    values = draw(st.lists(st.floats(allow_nan=True), min_size=1, max_size=6))
    return np.array(values).reshape(draw(st.sampled_from([(-1,), (-1, 1), (1, -1), (1, 1, -1)])))


anything = st.one_of(cells, blocks(cells))
"""Any Excel-like value, scalar or range."""

# --------------------------------------------------------------------------------------
# Plausible values by role, so that a call often gets past the first argument
# --------------------------------------------------------------------------------------

_amounts = st.one_of(st.floats(-1e4, 1e4), st.sampled_from([0.0, 1.0, 100.0, 1e6]))
_FINANCING = (*debt.INTEREST_ON, *contracts.SHAPES, "Ramp")
_ROLE: dict[str, st.SearchStrategy[Any]] = {
    AMOUNT: _amounts,
    WHOLE: st.one_of(st.integers(-2, 40).map(float), st.sampled_from([366.0, 1200.0, 1201.0])),
    SHARE: st.one_of(st.floats(-0.5, 1.5), st.sampled_from([0.0, 1.0, 40.0])),
    RATE: st.one_of(st.floats(-0.5, 1.5), st.sampled_from([0.0, 11.0])),
    CHOICE: st.sampled_from([*METHODS, *waterfall.CONVENTIONS, *_FINANCING, "sl", "Half", "x", ""]),
}


def _vectors(base: list[float], limit: float | None = None) -> st.SearchStrategy[Any]:
    """Rows or columns, often as long as the baseline (lengths must often match).

    With a ``limit`` (a whole number per cell, as lives per period) most cells are whole
    numbers up to it, so that a call often gets past the argument.
    """
    plausible = _amounts if limit is None else _whole_cells(limit)
    cell = st.one_of(plausible, plausible, plausible, st.none(), cells)
    same_length = st.lists(cell, min_size=len(base), max_size=len(base))
    any_length = st.lists(cell, max_size=7)
    flat = st.one_of(same_length, same_length, any_length)
    return st.one_of(flat, flat.map(lambda xs: [[x] for x in xs]), flat.map(lambda xs: [xs]))


def _whole_cells(limit: float) -> st.SearchStrategy[float]:
    return st.one_of(st.integers(1, 12).map(float), st.sampled_from([0.0, 2.5, 120.0, limit + 1]))


def argument(spec: Any) -> st.SearchStrategy[Any]:
    """One argument: its baseline, a plausible value of its role, or anything."""
    role = _vectors(spec.base, spec.limit) if spec.role == VECTOR else _ROLE[spec.role]
    return st.one_of(st.just(spec.base), st.just(spec.base), role, anything)


@st.composite
def calls(draw: st.DrawFn, name: str) -> list[Any]:
    """Positional arguments for ``name``; now and then the last few are left off."""
    values = [draw(argument(spec)) for spec in SPEC[name].values()]
    if draw(st.integers(0, 9)) == 0:
        values = values[: draw(st.integers(0, len(values)))]
    return values


# --------------------------------------------------------------------------------------
# The tests
# --------------------------------------------------------------------------------------


def call_strictly(name: str, values: list[Any]) -> Any:
    """Call ``name``; a numpy overflow, division by zero or NaN is an internal error."""
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error", RuntimeWarning)
        return REGISTRY[name](*values)


@pytest.mark.parametrize("name", list(REGISTRY))
def test_fuzz_keeps_the_output_contract(name):
    @FUZZ
    @given(calls(name))
    def run(values: list[Any]) -> None:
        check_contract(name, call_strictly(name, values))

    run()


@pytest.mark.parametrize("name", list(REGISTRY))
def test_fuzz_anything_everywhere(name):
    """Every argument arbitrary at once: the first bad one is named, nothing escapes."""
    n = len(SPEC[name])

    @FUZZ
    @given(st.lists(anything, min_size=0, max_size=n))
    def run(values: list[Any]) -> None:
        check_contract(name, call_strictly(name, values))

    run()


# --------------------------------------------------------------------------------------
# Extreme numbers inside the accepted ranges: no overflow, underflow trouble or NaN
# --------------------------------------------------------------------------------------

_EXTREME = [0.0, 5e-324, 2.2e-308, 1e-300, 1e-100, 1e-10, 0.5, 1.0, 3.0, 1e10, 1e50, 1e100]
_extreme = st.sampled_from(_EXTREME)
_signed = st.one_of(_extreme, _extreme.map(lambda x: -x))
_EXTREME_ROLE: dict[str, st.SearchStrategy[Any]] = {
    AMOUNT: _extreme,
    WHOLE: st.sampled_from([1.0, 2.0, 3.0, 7.0, 12.0, 100.0, 366.0, 1200.0]),
    SHARE: st.one_of(st.sampled_from([0.0, 5e-324, 1e-300, 0.5, 1 - 1e-16, 1.0]), st.floats(0, 1)),
    RATE: st.sampled_from([0.0, 5e-324, 1e-300, 1e-17, 0.5, 1 - 1e-16]),
    CHOICE: st.sampled_from([*METHODS, *waterfall.CONVENTIONS, *_FINANCING]),
}


def _extreme_argument(spec: Any) -> st.SearchStrategy[Any]:
    if spec.role == VECTOR and spec.limit is not None:  # whole numbers per cell (lives)
        n = len(spec.base)
        return st.lists(_EXTREME_ROLE[WHOLE], min_size=n, max_size=n)
    if spec.role == VECTOR:  # same sign throughout half of the time (capex must be)
        n = len(spec.base)
        return st.one_of(
            st.lists(_signed, min_size=n, max_size=n),
            st.lists(_extreme, min_size=n, max_size=n),
        )
    return _EXTREME_ROLE[spec.role]


@pytest.mark.parametrize("name", list(REGISTRY))
def test_fuzz_extreme_accepted_numbers(name):
    """Tiny, subnormal and 1e100-sized numbers where they are accepted: finite results."""

    @FUZZ
    @given(st.tuples(*(_extreme_argument(spec) for spec in SPEC[name].values())))
    def run(values: tuple[Any, ...]) -> None:
        check_contract(name, call_strictly(name, list(values)))

    run()
