"""Bad input gets a clear answer: every AIM_ function x every argument x every kind of value.

The table is built from :data:`udfs.excel._worksheet.REGISTRY` and :data:`SPEC`, which
describes each argument of each function: its role (an amount, a whole number of
periods, a share, a rate, a choice of text, a row or column of numbers), its baseline
value in a valid call, its documented limit, and where the role's default expectation
does not hold, what that argument does instead. A function or argument added without a
description fails :func:`test_spec_covers_exactly_the_registry`.

Each case substitutes one kind of value for one argument in the baseline call and
checks the output contract (:func:`check_contract`): either a correct result (rows of
finite numbers or the documented cell texts) or exactly one line
``#AIM! AIM_NAME: <argument> <what is wrong> (got <value>)``; never an exception, a
traceback, an ``internal error``, NaN, ``None`` or an empty list. On top of that each
case states what it expects: an error naming that argument (or, for a clash between
two arguments, the one documented to carry the blame), the same result as an
equivalent value (``"12"`` as 12, ``"40%"`` as 0.4, ``[[x]]`` as x, an empty optional
argument as the default), or a valid result.

The last section runs the row-and-column functions on 10^6 periods and checks limits
on lives and horizons.
"""

from __future__ import annotations

import inspect
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest

import udfs
from udfs.excel import neocloud, ratios
from udfs.excel._shapes import MAX_CELLS
from udfs.excel._worksheet import REGISTRY, summary

# ======================================================================================
# The output contract
# ======================================================================================

ERROR_TEXT = re.compile(r"^#AIM! (AIM_[A-Z_]+): ([a-z][a-z0-9_]*) .+ \(got .+\)$")
"""One line: ``#AIM! <FUNCTION>: <argument> <what is wrong> (got <value>)``."""

CELL_TEXTS = {ratios.EMPTY, ratios.NOT_MEANINGFUL, neocloud.NOT_EXHAUSTED}
"""The only texts a result cell may hold ("" empty, "n.m.", "not exhausted")."""


def check_contract(name: str, result: Any) -> str | None:
    """Assert ``result`` of worksheet function ``name`` keeps the output contract.

    Returns the argument an error names, or None for a result.
    """
    if isinstance(result, str):
        assert "internal error" not in result, result
        assert "Traceback" not in result, result
        assert "\n" not in result and "\r" not in result, result
        match = ERROR_TEXT.match(result)
        assert match, f"not an #AIM! error text: {result!r}"
        assert match.group(1) == name, result
        assert match.group(2) in REGISTRY[name].__aim_args__, result
        return match.group(2)
    assert isinstance(result, list) and result, f"{name}: empty or not a list: {result!r}"
    width = None
    for row in result:
        assert isinstance(row, list) and row, f"{name}: a row is empty or not a list: {row!r}"
        width = len(row) if width is None else width
        assert len(row) == width, f"{name}: ragged result"
        for cell in row:
            if isinstance(cell, str):
                assert cell in CELL_TEXTS, f"{name}: unexpected cell text {cell!r}"
            else:
                assert type(cell) is float, f"{name}: cell {cell!r} of type {type(cell)}"
                assert math.isfinite(cell), f"{name}: non-finite cell {cell!r}"
    return None


# ======================================================================================
# Expectations
# ======================================================================================

OMIT = object()
"""Marks an omitted argument (for a Same expectation: the function's default)."""


@dataclass(frozen=True)
class Err:
    """One #AIM! line naming ``blame`` (default: the argument under test) containing ``text``."""

    blame: str | None = None
    text: str = ""


@dataclass(frozen=True)
class Same:
    """The same result as the baseline call with ``value`` (or OMIT) in place."""

    value: Any


@dataclass(frozen=True)
class Ok:
    """A valid result, optionally checked further by ``check(result)``."""

    check: Callable[[list], bool] | None = None


def gap_at(i: int) -> Ok:
    """A valid one-column result whose row ``i`` is the empty text of a gap."""
    return Ok(lambda r: r[i][0] == "")


# ======================================================================================
# The description of every argument of every function
# ======================================================================================

AMOUNT, WHOLE, SHARE, RATE, CHOICE, VECTOR = "amount", "whole", "share", "rate", "choice", "vector"


@dataclass(frozen=True)
class Arg:
    """One argument: its role, its value in the baseline call and its documented limit."""

    role: str
    base: Any
    limit: float | int | None = None
    """Largest accepted value, enforced with an #AIM! error and stated in the arg's doc."""
    expect: dict[str, Any] = field(default_factory=dict)
    """Overrides of the role's default expectation, by kind."""


def _v(*xs: float) -> list[float]:
    return [float(x) for x in xs]


# Length clashes name the later argument ("ocf must have as many cells as capex"), so a
# one-cell or shorter first vector is blamed on its partner.
def _clash(partner: str) -> dict[str, Any]:
    return {"one cell": Err(partner), "shorter": Err(partner)}


_LATER = {"one cell": Err(text="must have as many cells as"), "shorter": Err(text="as many cells")}
"""A later vector of a group that must match in length: the clash names it."""


SPEC: dict[str, dict[str, Arg]] = {
    "AIM_DEPRECIATION": {
        # a cost below salvage is reported as salvage exceeding it
        "cost": Arg(AMOUNT, 1000.0, expect={"zero": Err("salvage"), "tiny": Err("salvage")}),
        "salvage": Arg(AMOUNT, 100.0, expect={"10^6": Err(text="must not exceed cost")}),
        # a life up to the rows of an Excel column: Microsoft's examples use 3,650 days
        "life": Arg(WHOLE, 5.0, limit=1_048_576, expect={"10^6": Ok()}),
        "method": Arg(CHOICE, "DDB"),
        "factor": Arg(AMOUNT, 2.0, expect={"zero": Err(text="must be > 0")}),
        "month": Arg(WHOLE, 12.0, limit=12),
    },
    "AIM_DEPR_WATERFALL": {
        "capex": Arg(
            VECTOR,
            _v(100, 200, 300),
            expect={
                "empty cell in range": Same(_v(100, 0, 300)),  # no spend
                "negatives": Same(_v(100, 200, 300)),  # outflows: their size
                "mixed signs": Err(text="mixes positive and negative"),
            },
        ),
        "life": Arg(WHOLE, 4.0, limit=1_048_576, expect={"10^6": Ok()}),
        "convention": Arg(CHOICE, "half"),
        "salvage_pct": Arg(SHARE, 0.1),
        "periods": Arg(WHOLE, 10.0, limit=1_048_576, expect={"10^6": Ok()}),
    },
    "AIM_LIFE_CHANGE": {
        "capex": Arg(
            VECTOR,
            _v(100, 200, 300),
            expect={
                "empty cell in range": Same(_v(100, 0, 300)),
                "negatives": Same(_v(100, 200, 300)),
                "mixed signs": Err(text="mixes positive and negative"),
            },
        ),
        "old_life": Arg(WHOLE, 4.0, limit=1_048_576, expect={"10^6": Ok()}),
        "new_life": Arg(WHOLE, 6.0, limit=1_048_576, expect={"10^6": Ok()}),
        "change_period": Arg(WHOLE, 3.0, limit=1_048_576, expect={"10^6": Ok()}),
        "convention": Arg(CHOICE, "full"),
    },
    "AIM_DEPR_POLICY": {
        "capex": Arg(
            VECTOR,
            _v(100, 200, 300),
            expect={
                "empty cell in range": Same(_v(100, 0, 300)),
                "negatives": Same(_v(100, 200, 300)),
                "mixed signs": Err(text="mixes positive and negative"),
                **_clash("lives"),
            },
        ),
        # whole lives, one per capex period (a change at period 2); the limit is per cell
        "lives": Arg(
            VECTOR,
            _v(4, 6, 6),
            limit=1_048_576,
            expect={
                "tiny in range": Err(text="whole number of periods at position 2"),
                "zeros": Err(text=">= 1 at position 1"),
                "negatives": Err(text=">= 1 at position 1"),
                "mixed signs": Err(text=">= 1 at position 1"),
                **_LATER,
            },
        ),
        "convention": Arg(CHOICE, "half"),
        "periods": Arg(WHOLE, 10.0, limit=1_048_576, expect={"10^6": Ok()}),
    },
    "AIM_CASH_BURN": {
        "operating_income": Arg(
            VECTOR, _v(10, -20, 30), expect={"negatives": Ok(), **_clash("d_and_a")}
        ),
        "d_and_a": Arg(
            VECTOR,
            _v(5, 5, 6),
            expect={
                "negatives": Err(text="must not be negative"),
                "mixed signs": Err(text="must not be negative"),
                **_LATER,
            },
        ),
        "interest": Arg(VECTOR, _v(1, 1, 2), expect={"negatives": Same(_v(1, 1, 2)), **_LATER}),
        "capex": Arg(VECTOR, _v(50, 60, 70), expect={"negatives": Same(_v(50, 60, 70)), **_LATER}),
        "taxes": Arg(
            VECTOR,
            _v(1, 2, 3),
            expect={
                "negatives": Ok(lambda r: r[0][0] == 10 + 5 - 1 - 50 + 1),  # a refund
                "one cell": Ok(lambda r: r[2][0] == 30 + 6 - 2 - 70 - 1),  # 1 every period
                "shorter": Err(text="one value or one per period"),
            },
        ),
    },
    "AIM_RUNWAY": {
        # cash of zero or less: already out of cash, runway 0
        "cash": Arg(
            AMOUNT,
            1000.0,
            expect={"zero": Ok(lambda r: r == [[0.0]]), "negative": Ok(lambda r: r == [[0.0]])},
        ),
        "fcf": Arg(
            VECTOR,
            _v(-100, -200, -300, -500),
            expect={
                "zeros": Ok(lambda r: r == [["not exhausted"]]),
                "negatives": Ok(lambda r: r == [["not exhausted"]]),
                "one cell": Ok(lambda r: r == [[10.0]]),  # 1000 / 100, the same every period
            },
        ),
    },
    "AIM_DEBT_SCHEDULE": {
        # opening 0: 200 drawn, 100 repaid, 100 drawn and 150 repaid leave 200, 100, 50
        "opening": Arg(AMOUNT, 1000.0),
        "draws": Arg(
            VECTOR,
            _v(200, 0, 100),
            expect={
                "empty cell in range": Same(_v(200, 0, 100)),  # nothing drawn
                "negatives": Err(text="must not be negative"),
                "mixed signs": Err(text="must not be negative"),
                **_clash("repayments"),
            },
        ),
        "repayments": Arg(
            VECTOR,
            _v(0, 100, 150),
            expect={
                "empty cell in range": Same(_v(0, 0, 150)),  # nothing repaid
                "negatives": Same(_v(0, 100, 150)),  # outflows: their size
                **_LATER,
            },
        ),
        "rate": Arg(
            VECTOR,
            _v(0.08, 0.08, 0.1),
            expect={
                "negatives": Err(text="yearly rate >= 0 and < 1"),
                "mixed signs": Err(text="yearly rate >= 0 and < 1"),
                # 8% every period: period 3 on the average of 1100 and 1050, 1075 x 0.02
                "one cell": Ok(lambda r: r[2][0] == 21.5),
                "shorter": Err(text="one value or one per period"),
                "numpy ints": Ok(lambda r: r[0][0] == 0.0),  # 0.08 as an int is 0: no interest
            },
        ),
        "periods_per_year": Arg(WHOLE, 4.0, limit=366),
        "interest_on": Arg(CHOICE, "average"),
    },
    "AIM_FUNDED_RUNWAY": {
        # net flow -450, -50, -310 a period: cash 550, 500, 190 (not exhausted)
        "cash": Arg(
            AMOUNT,
            1000.0,
            expect={
                "zero": Ok(lambda r: r[0][0] == 0.0),
                "negative": Ok(lambda r: r == [[0.0, -1000.0 - 810.0]]),
            },
        ),
        "ocf": Arg(VECTOR, _v(-100, -200, 50), expect={"negatives": Ok(), **_clash("capex")}),
        "capex": Arg(
            VECTOR, _v(300, 300, 300), expect={"negatives": Same(_v(300, 300, 300)), **_LATER}
        ),
        "debt_service": Arg(
            VECTOR,
            _v(50, 50, 60),
            expect={
                "empty cell in range": Same(_v(50, 0, 60)),  # nothing paid
                "negatives": Same(_v(50, 50, 60)),
                **_LATER,
            },
        ),
        "borrowing": Arg(
            VECTOR,
            _v(0, 500, 0),
            expect={
                "empty cell in range": Same(_v(0, 0, 0)),  # nothing borrowed
                "negatives": Err(text="must not be negative"),
                "mixed signs": Err(text="must not be negative"),
                **_LATER,
            },
        ),
    },
    "AIM_CONTRACT_SCHEDULE": {
        "total": Arg(AMOUNT, 1200.0, expect={"negative": Ok()}),  # an outflow: negative amounts
        # the baseline's periods (8) cuts a contract that starts or runs past it
        "start_period": Arg(WHOLE, 2.0, limit=1_048_576, expect={"10^6": Ok()}),
        "term_periods": Arg(WHOLE, 4.0, limit=1_048_576, expect={"10^6": Ok()}),
        "shape": Arg(CHOICE, "ramp"),
        "periods": Arg(WHOLE, 8.0, limit=1_048_576, expect={"10^6": Ok()}),
    },
    "AIM_CAPEX_TO_OCF": {
        "capex": Arg(
            VECTOR,
            _v(10, 20, 30),
            expect={
                "empty cell in range": gap_at(1),
                "negatives": Same(_v(10, 20, 30)),
                **_clash("ocf"),
            },
        ),
        "ocf": Arg(
            VECTOR,
            _v(50, 40, 30),
            expect={
                "empty cell in range": gap_at(1),
                "zeros": Ok(lambda r: r == [["n.m."]] * 3),
                "negatives": Ok(lambda r: r == [["n.m."]] * 3),
                **_LATER,
            },
        ),
    },
    "AIM_CAPEX_INTENSITY": {
        "capex": Arg(
            VECTOR,
            _v(10, 20, 30),
            expect={
                "empty cell in range": gap_at(1),
                "negatives": Same(_v(10, 20, 30)),
                **_clash("revenue"),
            },
        ),
        "revenue": Arg(
            VECTOR,
            _v(50, 40, 30),
            expect={
                "empty cell in range": gap_at(1),
                "zeros": Ok(lambda r: r == [["n.m."]] * 3),
                "negatives": Ok(lambda r: r == [["n.m."]] * 3),
                **_LATER,
            },
        ),
    },
    "AIM_GROWTH": {
        "series": Arg(
            VECTOR,
            _v(100, 110, 120, 130, 140),
            expect={
                "empty cell in range": gap_at(1),
                "zeros": Ok(lambda r: r == [[""]] + [["n.m."]] * 4),
            },
        ),
        "lag": Arg(WHOLE, 1.0, limit=1_048_576, expect={"10^6": Ok(lambda r: r == [[""]] * 5)}),
    },
    "AIM_TTM": {
        "series": Arg(VECTOR, _v(1, 2, 3, 4, 5), expect={"empty cell in range": gap_at(1)}),
        "window": Arg(WHOLE, 2.0, limit=1_048_576, expect={"10^6": Ok(lambda r: r == [[""]] * 5)}),
    },
    "AIM_RPO_SCHEDULE": {
        "rpo": Arg(AMOUNT, 392.0),
        "pct_next_12m": Arg(SHARE, 0.4),
        "horizon_years": Arg(
            AMOUNT,
            3.0,
            limit=100,
            expect={
                "zero": Err(text=">= 1"),
                "tiny": Err(text=">= 1"),
                "fraction": Ok(lambda r: len(r) == 14),  # 3.5 years: 14 quarters
            },
        ),
        "periods_per_year": Arg(WHOLE, 4.0, limit=366),
    },
    "AIM_RPO_CONVERSION": {
        "opening_rpo": Arg(AMOUNT, 100.0),
        "bookings": Arg(VECTOR, _v(0, 40, 0, 0), expect={"negatives": Ok()}),
        "pct_next_12m": Arg(SHARE, 0.6),
        "horizon_years": Arg(
            AMOUNT,
            2.0,
            limit=100,
            expect={"zero": Err(text=">= 1"), "tiny": Err(text=">= 1")},
        ),
        "periods_per_year": Arg(WHOLE, 2.0, limit=366),
    },
    "AIM_IMPLIED_BOOKINGS": {
        "rpo": Arg(
            VECTOR,
            _v(100, 130, 120),
            expect={"empty cell in range": gap_at(1), "negatives": Ok(), **_clash("revenue")},
        ),
        "revenue": Arg(
            VECTOR,
            _v(20, 25, 30),
            expect={"empty cell in range": gap_at(1), "negatives": Ok(), **_LATER},
        ),
    },
    "AIM_WACC": {
        "cost_of_equity": Arg(RATE, 0.11),
        "cost_of_debt": Arg(RATE, 0.045),
        "equity_weight": Arg(SHARE, 0.75),
        "tax_rate": Arg(SHARE, 0.21),
    },
    "AIM_GPU_HOUR_COST": {
        "server_cost": Arg(AMOUNT, 246391.0),
        "gpus_per_server": Arg(WHOLE, 8.0, expect={"10^6": Ok()}),
        "life_years": Arg(AMOUNT, 4.0, limit=100, expect={"zero": Err(text="> 0")}),
        # wacc may be negative (a rate > -1), so it is an amount with its own bounds
        "wacc": Arg(
            AMOUNT,
            0.094,
            expect={"negative": Ok(), "10^6": Err(text="< 1")},
        ),
        "hours_per_year": Arg(AMOUNT, 8760.0, limit=8784, expect={"zero": Err(text="> 0")}),
    },
    "AIM_TOKEN_COST": {
        "gpu_hour_cost": Arg(AMOUNT, 1.9),
        "tokens_per_second": Arg(AMOUNT, 735.0, expect={"zero": Err(text="> 0")}),
        "utilization": Arg(SHARE, 0.6, expect={"zero": Err(text="above 0")}),
    },
}


# ======================================================================================
# Kinds of value, by role: (kind, value or a function of the baseline, default expectation)
# ======================================================================================

_SCALAR_KINDS: list[tuple[str, Any, Any]] = [
    ("text", "abc", Err(text="must be a number")),
    ("unicode text", "七百 ≈ 700", Err(text="must be a number")),
    ("empty text", "", Err(text="must be a number")),
    ("Excel error text", "#N/A", Err(text="must be a number")),
    ("numeric text", lambda b: f" {b:g} ", "same"),
    ("thousands text", lambda b: f"{b:,}", "same"),
    ("TRUE", True, Err(text="TRUE/FALSE")),
    ("FALSE", False, Err(text="TRUE/FALSE")),
    ("NaN", math.nan, Err(text="finite")),
    ("+infinity", math.inf, Err(text="finite")),
    ("-infinity", -math.inf, Err()),
    ("huge", 1e200, Err()),
    ("1x1 range", lambda b: [[b]], "same"),
    ("one-cell list", lambda b: [b], "same"),
    ("numpy scalar", lambda b: np.float64(b), "same"),
    ("numpy 1x1", lambda b: np.array([[b]]), "same"),
    ("2-cell range", lambda b: [b, b], Err(text="single cell")),
    ("2-D block", lambda b: [[b, b], [b, b]], Err(text="single cell")),
    ("empty range", [], Err(text="single cell")),
]

_ROLE_KINDS: dict[str, list[tuple[str, Any, Any]]] = {
    AMOUNT: [
        ("zero", 0.0, Ok()),
        ("negative", lambda b: -b, Err()),
        ("fraction", lambda b: b + 0.5, Ok()),
        ("tiny", 1e-300, Ok()),
        ("10^6", 1e6, Ok()),
    ],
    WHOLE: [
        ("zero", 0.0, Err(text="whole number")),
        ("negative", lambda b: -b, Err(text="whole number")),
        ("fraction", lambda b: b + 0.5, Err(text="whole number")),
        ("tiny", 1e-300, Err(text="whole number")),
        ("10^6", 1e6, Err()),
    ],
    SHARE: [
        ("zero", 0.0, Ok()),
        ("one", 1.0, Ok()),
        ("negative", -0.1, Err(text="share between")),
        ("above one", 1.5, Err(text="share between")),
        ("percent number", lambda b: b * 100, Err(text="share between")),
        ("percent text", lambda b: f"{b * 100:g}%", "same"),
        ("tiny", 1e-300, Ok()),
        ("10^6", 1e6, Err(text="share between")),
    ],
    RATE: [
        ("zero", 0.0, Ok()),
        ("negative", lambda b: -b, Err(text="rate")),
        ("percent number", lambda b: b * 100, Err(text="rate")),
        ("percent text", lambda b: f"{b * 100:g}%", "same"),
        ("tiny", 1e-300, Ok()),
        ("10^6", 1e6, Err(text="rate")),
    ],
}

_CHOICE_KINDS: list[tuple[str, Any, Any]] = [
    ("lower case", lambda b: b.lower(), "same"),
    ("padded", lambda b: f"  {b.upper()} ", "same"),
    ("unknown text", "straight", Err(text="must be one of")),
    ("empty text", "", Err(text="must be one of")),
    ("unicode text", "直线", Err(text="must be one of")),
    ("number", 1.0, Err(text="must be one of")),
    ("TRUE", True, Err(text="must be one of")),
    ("NaN", math.nan, Err(text="must be one of")),
    ("1x1 range", lambda b: [[b]], "same"),
    ("2-cell range", lambda b: [b, b], Err(text="must be one of")),
    ("2-D block", lambda b: [[b, b], [b, b]], Err(text="must be one of")),
    ("empty range", [], Err(text="must be one of")),
]


def _with(base: list[float], i: int, cell: Any) -> list[Any]:
    out = list(base)
    out[i] = cell
    return out


_TOO_LONG: list[float] = []


def _too_long(_: Any) -> list[float]:
    """One cell more than an Excel column holds (built once, shared)."""
    if not _TOO_LONG:
        _TOO_LONG.extend([1.0] * (MAX_CELLS + 1))
    return _TOO_LONG


_VECTOR_KINDS: list[tuple[str, Any, Any]] = [
    ("text", "abc", Err(text="must be a number")),
    ("TRUE", True, Err(text="TRUE/FALSE")),
    ("one cell", lambda b: b[0], Ok()),
    ("empty range", [], Err(text="at least 1 cell")),
    ("empty row", [[]], Err(text="at least 1 cell")),
    ("2-D block", lambda b: [b, b], Err(text="single row or column")),
    ("numpy 2-D block", lambda b: np.array([b, b]), Err(text="single row or column")),
    ("numpy 3-D", lambda b: np.array([[b]]).reshape(1, 1, -1), Err(text="single row or column")),
    ("ragged", lambda b: [b, b[:-1]], Err(text="rectangular")),
    ("range of ranges", lambda b: [[[x]] for x in b], Err(text="single cell")),
    ("text in range", lambda b: _with(b, 1, "abc"), Err(text="must be a number at position 2")),
    ("TRUE in range", lambda b: _with(b, 1, True), Err(text="TRUE/FALSE at position 2")),
    ("Excel error in range", lambda b: _with(b, 1, "#DIV/0!"), Err(text="at position 2")),
    ("NaN in range", lambda b: _with(b, 1, math.nan), Err(text="finite number at position 2")),
    ("inf in range", lambda b: _with(b, 1, math.inf), Err(text="finite number at position 2")),
    ("huge in range", lambda b: _with(b, 1, 1e200), Err(text="at position 2")),
    ("huge int in range", lambda b: _with(b, 1, 10**400), Err(text="at position 2")),
    ("empty cell in range", lambda b: _with(b, 1, None), Err(text="empty cell at position 2")),
    ("empty text in range", lambda b: _with(b, 1, " "), "as empty cell in range"),
    ("numeric text in range", lambda b: _with(b, 1, f"{b[1]:g}"), "same"),
    ("percent text in range", lambda b: _with(b, 1, f"{b[1] * 100:g}%"), "same"),
    ("tiny in range", lambda b: _with(b, 1, 1e-300), Ok()),
    ("zeros", lambda b: [0.0] * len(b), Ok()),
    ("negatives", lambda b: [-x for x in b], Ok()),
    ("mixed signs", lambda b: [abs(x) + 1 if i else -(abs(x) + 1) for i, x in enumerate(b)], Ok()),
    ("shorter", lambda b: b[:-1], Ok()),
    ("row", lambda b: [list(b)], "same"),
    ("column", lambda b: [[x] for x in b], "same"),
    ("tuple", lambda b: tuple(b), "same"),
    ("numpy 1-D", lambda b: np.array(b), "same"),
    ("numpy column", lambda b: np.array(b).reshape(-1, 1), "same"),
    ("numpy ints", lambda b: np.array(b, dtype=np.int64), "same"),
    (
        "object array with numeric text",
        lambda b: np.array([str(x) for x in b], dtype=object),
        "same",
    ),
    ("too long", _too_long, Err(text="at most 1,048,576 cells")),
]


@dataclass(frozen=True)
class Case:
    function: str
    argument: str
    kind: str
    value: Any
    expect: Any

    @property
    def id(self) -> str:
        return f"{self.function}-{self.argument}-{self.kind}"


def _required(name: str) -> list[str]:
    sig = inspect.signature(REGISTRY[name].__aim_impl__)
    return [p.name for p in sig.parameters.values() if p.default is p.empty]


def build_cases() -> list[Case]:
    cases: list[Case] = []
    for name, args in SPEC.items():
        required = _required(name)
        for arg, spec in args.items():
            kinds: list[tuple[str, Any, Any]]
            if spec.role == VECTOR:
                kinds = list(_VECTOR_KINDS)
                if spec.limit is not None:  # a limit on every cell (lives per period)
                    top = spec.limit
                    kinds.append(
                        ("above limit in range", _with(spec.base, 1, top + 1), Err(text=str(top)))
                    )
                    kinds.append(("at limit in range", _with(spec.base, 1, top), Ok()))
            elif spec.role == CHOICE:
                kinds = list(_CHOICE_KINDS)
            else:
                kinds = list(_SCALAR_KINDS) + _ROLE_KINDS[spec.role]
                if spec.limit is not None:
                    above = spec.limit + 1 if spec.role == WHOLE else spec.limit * 1.01
                    kinds.append(("above limit", above, Err(text=str(spec.limit))))
                    kinds.append(("at limit", float(spec.limit), Ok()))
                    if spec.limit < 1e6:  # 10^6 periods or years where that is absurd
                        kinds = [
                            (k, v, Err(text=str(spec.limit)) if k == "10^6" else e)
                            for k, v, e in kinds
                        ]
            if arg in required:
                kinds.append(("empty cell", None, Err(text="is required (got empty cell)")))
                kinds.append(("omitted", OMIT, Err(text="is required (got nothing)")))
            else:
                kinds.append(("empty cell", None, Same(OMIT)))
            defaults = {kind: expect for kind, _, expect in kinds}
            for kind, make, default in kinds:
                value = make(spec.base) if callable(make) else make
                expect = spec.expect.get(kind, default)
                if expect == "same":
                    expect = Same(_canonical(spec, kind, value))
                elif isinstance(expect, str) and expect.startswith("as "):
                    expect = spec.expect.get(expect[3:], defaults[expect[3:]])
                cases.append(Case(name, arg, kind, value, expect))
            unknown = set(spec.expect) - set(defaults)
            assert not unknown, f"{name}.{arg}: overrides for unknown kinds {unknown}"
    return cases


def _canonical(spec: Arg, kind: str, value: Any) -> Any:
    """What an accepted spelling of a value stands for."""
    if kind == "percent text":  # "40%" is 0.4 (a baseline of 0.4 may print as 40.00000000000001)
        return float(value[:-1]) / 100
    return spec.base  # the same value, spelt differently (text, a 1x1 range, numpy, ...)


CASES = build_cases()


def call(name: str, values: dict[str, Any]) -> Any:
    """Call ``name`` as Excel does: positionally, up to the last argument given."""
    fn = REGISTRY[name]
    names = list(fn.__aim_args__)
    if any(values.get(a, OMIT) is OMIT for a in names):  # something omitted: by keyword
        return fn(**{a: v for a, v in values.items() if v is not OMIT})
    return fn(*(values[a] for a in names))


def baseline(name: str) -> dict[str, Any]:
    return {arg: spec.base for arg, spec in SPEC[name].items()}


# ======================================================================================
# The tests
# ======================================================================================


def test_spec_covers_exactly_the_registry():
    assert list(SPEC) == list(REGISTRY), "describe every worksheet function in SPEC"
    for name, fn in REGISTRY.items():
        assert list(SPEC[name]) == list(fn.__aim_args__), f"{name}: describe every argument"


@pytest.mark.parametrize("name", list(SPEC))
def test_baseline_is_a_valid_result(name):
    result = call(name, baseline(name))
    assert check_contract(name, result) is None, result


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case):
    values = baseline(case.function)
    values[case.argument] = case.value
    result = call(case.function, values)
    blamed = check_contract(case.function, result)
    expect = case.expect
    if isinstance(expect, Err):
        assert blamed == (expect.blame or case.argument), result
        assert expect.text in result, result
    elif isinstance(expect, Same):
        assert blamed is None, result
        values[case.argument] = expect.value
        assert result == call(case.function, values)
    else:
        assert blamed is None, result
        assert expect.check is None or expect.check(result), result


@pytest.mark.parametrize("name", list(SPEC))
def test_missing_arguments_name_the_first_missing(name):
    """Excel passes arguments in order; leaving off the tail names the first required one."""
    fn = REGISTRY[name]
    values = list(baseline(name).values())
    required = _required(name)
    for n in range(len(values)):
        result = fn(*values[:n])
        if n < len(required):
            assert result == f"#AIM! {name}: {required[n]} is required (got nothing)"
        else:
            assert check_contract(name, result) is None, result
            # leaving off optional arguments is the same as passing empty cells for them
            assert result == fn(*values[:n], *[None] * (len(values) - n))


def test_case_counts():
    """The table is as large as its description says: every function x argument x kind."""
    args = sum(len(a) for a in SPEC.values())
    assert len(SPEC) == len(REGISTRY) == 19
    assert args == 74
    assert len(CASES) >= 20 * args


# ======================================================================================
# The Function Wizard texts: one line each, with units or the accepted values
# ======================================================================================

_UNITS_OR_VALUES = re.compile(
    r"US\$|currency|unit|period|year|month|hour|GPU|token|share|rate|fraction|"
    r"\d|>=|<=|>|<|\"|TRUE|FALSE|row or column",
    re.IGNORECASE,
)


@pytest.mark.parametrize("name", list(REGISTRY))
def test_function_wizard_docs(name):
    fn = REGISTRY[name]
    first = summary(fn)  # the Function Wizard text: one plain line (test_xlwings_excel.py)
    assert 20 < len(first) <= 255 and first == " ".join(first.split()) and "``" not in first
    for arg, doc in fn.__aim_args__.items():
        assert "\n" not in doc and 10 < len(doc) <= 255, (name, arg)
        assert _UNITS_OR_VALUES.search(doc), f"{name}.{arg}: say the unit or accepted values"
        limit = SPEC[name][arg].limit
        if limit is not None:  # a documented limit is stated where the user reads it
            assert f"{limit:g}" in doc or f"{limit:,}" in doc, (name, arg, doc)


# ======================================================================================
# Very large inputs: 10^6 periods in reasonable time, absurd lives and horizons refused
# ======================================================================================

N = 1_000_000
SECONDS = 5.0  # each call; they take well under a second on a laptop


def timed(fn: Callable[..., Any], *args: Any) -> Any:
    start = time.process_time()
    result = fn(*args)
    elapsed = time.process_time() - start
    assert elapsed < SECONDS, f"{fn.__name__} took {elapsed:.1f} s"
    assert check_contract(fn.__name__, result) is None, result
    return result


def test_depr_waterfall_a_million_periods():
    # capex 1, 2, ..., N (a column), life 72, full periods. Period t <= 72 charges
    # (1 + ... + t) / 72; from 72 to N, (t-71 + ... + t) / 72 = t - 35.5; period N + 1
    # has vintages N-70 .. N: (71 N - 2485) / 72; period N + 72 is zero.
    out = timed(udfs.AIM_DEPR_WATERFALL, [[float(s)] for s in range(1, N + 1)], 72)
    assert len(out) == N + 72 and all(len(row) == 1 for row in out[:: N // 10])
    assert out[0][0] == pytest.approx(1 / 72)
    assert out[71][0] == pytest.approx(36.5)
    assert out[N // 2 - 1][0] == pytest.approx(N // 2 - 35.5, rel=1e-12)
    assert out[N - 1][0] == pytest.approx(N - 35.5, rel=1e-12)
    assert out[N][0] == pytest.approx((71 * N - 2485) / 72, rel=1e-12)
    assert out[-1][0] == 0.0
    del out


def test_life_change_a_million_periods():
    # 100 a period, life 72 changed to 96 from period 1: every vintage on 96 periods.
    # Period 1 charges 100/72 before, 100/96 after; once 96 vintages are running, both
    # charge 100 a period (72 x 100/72 = 96 x 100/96).
    out = timed(udfs.AIM_LIFE_CHANGE, [100.0] * N, 72, 96, 1)
    assert len(out) == N + 96 and len(out[0]) == 3
    assert out[0] == [
        pytest.approx(100 / 72),
        pytest.approx(100 / 96),
        pytest.approx(-(100 / 72 - 100 / 96)),
    ]
    assert out[N // 2] == [pytest.approx(100.0), pytest.approx(100.0), pytest.approx(0.0, abs=1e-6)]
    del out


def test_rpo_conversion_a_million_bookings():
    # 1 booked every quarter, 40% in the first year, 3-year horizon: the curve is 0.1 for
    # 4 quarters, 0.075 for 8. Period 1: 0.1 from its bookings + 10 from the opening 100;
    # from period 13 revenue is 1 a quarter and the backlog holds 0.9+0.8+0.7+0.6 +
    # 0.525+0.45+...+0 = 5.1.
    out = timed(udfs.AIM_RPO_CONVERSION, 100.0, [1.0] * N, 0.4, 3, 4)
    assert len(out) == N and all(len(row) == 2 for row in out[:: N // 10])
    assert out[0] == [pytest.approx(10.1), pytest.approx(90.9)]
    assert out[N // 2] == [pytest.approx(1.0), pytest.approx(5.1, rel=1e-6)]
    assert out[-1] == [pytest.approx(1.0), pytest.approx(5.1, rel=1e-6)]
    del out


def test_growth_and_ttm_a_million_values():
    x = [float(t) for t in range(1, N + 1)]  # x_t = t
    growth = timed(udfs.AIM_GROWTH, x, 4)  # t / (t - 4) - 1 = 4 / (t - 4)
    assert len(growth) == N and growth[:4] == [[""]] * 4
    assert growth[4][0] == pytest.approx(4.0)
    assert growth[-1][0] == pytest.approx(4 / (N - 4))
    del growth
    ttm = timed(udfs.AIM_TTM, x, 4)  # t-3 + t-2 + t-1 + t = 4t - 6
    assert len(ttm) == N and ttm[:3] == [[""]] * 3
    assert ttm[3][0] == 10.0 and ttm[-1][0] == 4 * N - 6
    del ttm
    gappy = timed(udfs.AIM_TTM, [None if t % 10 == 0 else 1.0 for t in range(N)], 4)
    # a gap every 10th period (0, 10, 20, ...) empties the four sums that include it
    assert gappy[3:15] == [[""]] + [[4.0]] * 6 + [[""]] * 4 + [[4.0]]
    del gappy


def test_ratios_and_bookings_a_million_periods():
    capex = [[-3.0]] * N
    revenue = [[12.0]] * N
    out = timed(udfs.AIM_CAPEX_INTENSITY, capex, revenue)
    assert len(out) == N and out[0] == [0.25] and out[-1] == [0.25]
    del out
    out = timed(udfs.AIM_CAPEX_TO_OCF, capex, [6.0] * N)
    assert len(out) == N and out[-1] == [0.5]
    del out
    out = timed(udfs.AIM_IMPLIED_BOOKINGS, [float(t) for t in range(N)], [2.0] * N)
    assert len(out) == N and out[0] == [""] and out[1] == [3.0] and out[-1] == [3.0]
    del out


def test_cash_burn_and_runway_a_million_periods():
    # 10 + 5 - |-1| - |-20| - 0.5 = -6.5 a period
    out = timed(udfs.AIM_CASH_BURN, [10.0] * N, [5.0] * N, [-1.0] * N, [-20.0] * N, 0.5)
    assert len(out) == N and out[0] == [-6.5] and out[-1] == [-6.5]
    del out
    # 999,999.5 of cash at 1 a period lasts 999,999 whole periods and half of the next
    assert timed(udfs.AIM_RUNWAY, N - 0.5, [-1.0] * N) == [[pytest.approx(N - 0.5)]]
    assert timed(udfs.AIM_RUNWAY, N + 1.0, [-1.0] * N) == [["not exhausted"]]


@pytest.mark.parametrize(
    "call_, text",
    [
        (
            lambda: udfs.AIM_DEPRECIATION(1000, 0, 2 * N),
            "life must be a whole number of periods <= 1048576",
        ),
        (
            lambda: udfs.AIM_DEPRECIATION(1000, 0, MAX_CELLS, "DB", None, 6),
            "life must be a whole number of periods <= 1048575 for DB with month below 12",
        ),
        (
            lambda: udfs.AIM_DEPR_WATERFALL([1.0], 2 * N),
            "life must be a whole number of periods <= 1048576",
        ),
        (lambda: udfs.AIM_DEPR_WATERFALL([1.0], 4, None, None, 2 * N), "periods must be"),
        (
            lambda: udfs.AIM_LIFE_CHANGE([1.0], 2 * N, 4, 1),
            "old_life must be a whole number of periods <= 1048576",
        ),
        (
            lambda: udfs.AIM_LIFE_CHANGE([1.0], 4, 2 * N, 1),
            "new_life must be a whole number of periods <= 1048576",
        ),
        (lambda: udfs.AIM_LIFE_CHANGE([1.0], 4, 6, 2 * N), "change_period must be"),
        (lambda: udfs.AIM_RPO_SCHEDULE(100, 0.4, N), "horizon_years must be <= 100 (got 1000000)"),
        (
            lambda: udfs.AIM_RPO_CONVERSION(100, [1.0], 0.4, N),
            "horizon_years must be <= 100 (got 1000000)",
        ),
        (
            lambda: udfs.AIM_RPO_SCHEDULE(100, 0.4, 3, N),
            "periods_per_year must be a whole number of periods <= 366",
        ),
        (lambda: udfs.AIM_GPU_HOUR_COST(1000, 8, N), "life_years must be <= 100 (got 1000000)"),
        (
            lambda: udfs.AIM_GROWTH([1.0, 2.0], 2 * N),
            "lag must be a whole number of periods <= 1048576",
        ),
        (
            lambda: udfs.AIM_TTM([1.0, 2.0], 2 * N),
            "window must be a whole number of periods <= 1048576",
        ),
        (lambda: udfs.AIM_TTM([1.0] * (MAX_CELLS + 1)), "series must hold at most 1,048,576 cells"),
    ],
)
def test_absurd_lives_and_horizons_are_refused(call_, text):
    start = time.process_time()
    result = call_()
    assert time.process_time() - start < 1.0
    assert isinstance(result, str) and text in result, result
    check_contract(result.split(":")[0].removeprefix("#AIM! "), result)


def test_longest_documented_schedules_are_quick():
    # daily lives (Microsoft's DDB and VDB pages use 3,650 days) and 100,000 periods; the
    # longest, a whole Excel column, takes 2-3 s for VDB and DB (a loop per period)
    assert len(timed(udfs.AIM_DEPRECIATION, 2400, 300, 3650, "DDB")) == 3650
    assert len(timed(udfs.AIM_DEPRECIATION, 1e6, 1e3, 100_000, "VDB")) == 100_000
    assert len(timed(udfs.AIM_DEPRECIATION, 1e6, 1e3, 100_000, "DB", None, 3)) == 100_001
    out = udfs.AIM_DEPRECIATION(1e6, 1e3, MAX_CELLS - 1, "DB", None, 3)
    assert len(out) == MAX_CELLS and check_contract("AIM_DEPRECIATION", out) is None
    assert len(timed(udfs.AIM_RPO_SCHEDULE, 100.0, 0.2, 100, 366)) == 36_600
    out = timed(udfs.AIM_RPO_CONVERSION, 100.0, [1.0] * 10_000, 0.2, 100, 366)
    assert len(out) == 10_000
