"""Coercion of Excel-shaped arguments into numbers and arrays, with one-line errors.

Excel (through xlwings) hands a worksheet function a scalar for one cell, a list for a
single row or column, a list of lists for a block, ``None`` for an empty cell, and
``float`` for every number. Tests and Python callers may also pass numpy arrays.

Every helper raises :class:`udfs.errors.AimInputError` naming the argument, what was
expected and what arrived. Booleans are refused where a number is meant (Excel itself
ignores TRUE/FALSE in ranges); numeric text such as ``"12"`` is accepted, as Excel
accepts it in arithmetic.

Limits, the same for every argument: a number must be between -1e100 and 1e100
(``MAX_MAGNITUDE``, far beyond any economic quantity), so that no sum or product of
inputs overflows to infinity or NaN; a row or column holds at most 1,048,576 cells
(``MAX_CELLS``, the rows of an Excel column).
"""

from __future__ import annotations

import decimal
import math
import struct
from collections.abc import Sequence
from typing import Any

import numpy as np

from udfs.errors import AimInputError

__all__ = [
    "MAX_CELLS",
    "MAX_MAGNITUDE",
    "MISSING",
    "choice",
    "flag",
    "number",
    "optional_whole",
    "same_length",
    "share",
    "to_column",
    "to_rows",
    "vector",
    "whole",
]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
"""Default marker for a required argument."""

# decimal.Decimal: Excel's COM hands a Currency-formatted cell (Range.Value) as one
_NUMERIC_TYPES = (int, float, np.integer, np.floating, decimal.Decimal)

MAX_MAGNITUDE = 1e100
"""Largest absolute value a number may have (far above any economic quantity)."""
MAX_CELLS = 1_048_576
"""Most cells a row or column argument may hold: the rows of an Excel worksheet."""

_MAGNITUDE = "must be between -1e100 and 1e100"


def _unwrap_single(value: Any) -> Any:
    """A 1x1 range (``[[x]]`` or ``[x]`` or a one-element array) is its only value."""
    while isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(-1)[0]
    return value


def _to_float(value: Any, name: str) -> float:
    """One cell's value as a finite float, or an error naming ``name``."""
    if isinstance(value, (bool, np.bool_)):
        raise AimInputError(name, "must be a number, not TRUE/FALSE", value)
    if isinstance(value, _NUMERIC_TYPES):
        try:
            out = float(value)
        except OverflowError:  # an int beyond float's range
            raise AimInputError(name, _MAGNITUDE, value) from None
    elif isinstance(value, str):
        text = value.strip().replace(",", "")
        is_pct = text.endswith("%")
        try:
            out = float(text[:-1] if is_pct else text)
        except ValueError:
            raise AimInputError(name, "must be a number", value) from None
        if is_pct:
            out /= 100.0
    elif value is None:
        raise AimInputError(name, "is required", value)
    elif isinstance(value, (list, tuple, np.ndarray)):
        raise AimInputError(name, "must be a single cell", value)
    else:
        raise AimInputError(name, "must be a number", value)
    if not math.isfinite(out):
        raise AimInputError(name, "must be a finite number", value)
    return out


def _in_range(out: float, name: str, value: Any) -> float:
    """``out`` if it is within the magnitude every argument must respect."""
    if abs(out) > MAX_MAGNITUDE:
        raise AimInputError(name, _MAGNITUDE, value)
    return out


def number(
    value: Any,
    name: str,
    *,
    default: Any = MISSING,
    minimum: float | None = None,
    maximum: float | None = None,
    above: float | None = None,
    below: float | None = None,
) -> float:
    """A finite number, optionally bounded.

    ``minimum``/``maximum`` are inclusive bounds, ``above``/``below`` exclusive ones.
    ``None`` (an empty cell or an omitted argument) takes ``default`` when one is given.

    >>> number("12", "cost")
    12.0
    >>> number(None, "salvage", default=0.0)
    0.0
    >>> number(-1, "cost", minimum=0)
    Traceback (most recent call last):
    ...
    udfs.errors.AimInputError: cost must be >= 0 (got -1)
    """
    value = _unwrap_single(value)
    if value is None and default is not MISSING:
        return default
    out = _to_float(value, name)
    if minimum is not None and out < minimum:
        raise AimInputError(name, f"must be >= {minimum:g}", value)
    if maximum is not None and out > maximum:
        raise AimInputError(name, f"must be <= {maximum:g}", value)
    if above is not None and out <= above:
        raise AimInputError(name, f"must be > {above:g}", value)
    if below is not None and out >= below:
        raise AimInputError(name, f"must be < {below:g}", value)
    return _in_range(out, name, value)


def whole(
    value: Any,
    name: str,
    *,
    default: Any = MISSING,
    minimum: int = 1,
    maximum: int | None = None,
    what: str = "periods",
) -> int:
    """A whole number (of periods, by default) within ``[minimum, maximum]``.

    >>> whole(4.0, "life")
    4
    >>> whole(2.5, "life")
    Traceback (most recent call last):
    ...
    udfs.errors.AimInputError: life must be a whole number of periods (got 2.5)
    """
    value = _unwrap_single(value)
    if value is None and default is not MISSING:
        return default
    out = _to_float(value, name)
    if not out.is_integer():
        raise AimInputError(name, f"must be a whole number of {what}", value)
    if out < minimum:
        raise AimInputError(name, f"must be a whole number of {what} >= {minimum}", value)
    limit, text = (MAX_MAGNITUDE, "1e100") if maximum is None else (maximum, str(maximum))
    if out > limit:
        raise AimInputError(name, f"must be a whole number of {what} <= {text}", value)
    return int(out)


def optional_whole(
    value: Any, name: str, *, minimum: int = 1, maximum: int | None = None, what: str = "periods"
) -> int | None:
    """Like :func:`whole`, but an empty or omitted argument gives ``None``."""
    return whole(value, name, default=None, minimum=minimum, maximum=maximum, what=what)


def share(
    value: Any,
    name: str,
    *,
    default: Any = MISSING,
    allow_one: bool = True,
    allow_zero: bool = True,
) -> float:
    """A share between 0 and 1 (a percent-formatted cell arrives as a fraction).

    >>> share(0.4, "pct_next_12m")
    0.4
    >>> share(40, "pct_next_12m")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    udfs.errors.AimInputError: pct_next_12m must be a share between 0 and 1, e.g. 0.4 ... (got 40)
    """
    value = _unwrap_single(value)
    if value is None and default is not MISSING:
        return default
    out = _to_float(value, name)
    low_ok = out > 0 or (allow_zero and out == 0)
    high_ok = out < 1 or (allow_one and out == 1)
    if not (low_ok and high_ok):
        lo = "0" if allow_zero else "above 0"
        hi = "1" if allow_one else "below 1"
        raise AimInputError(name, f"must be a share between {lo} and {hi}, e.g. 0.4 for 40%", value)
    return _in_range(out, name, value)


def choice(value: Any, name: str, options: Sequence[str], *, default: Any = MISSING) -> str:
    """One of ``options`` (case-insensitive); returns the canonical spelling.

    >>> choice("ddb", "method", ["SL", "SYD", "DDB"])
    'DDB'
    """
    value = _unwrap_single(value)
    if value is None and default is not MISSING:
        return default
    if isinstance(value, str):
        key = value.strip().upper()
        for option in options:
            if option.upper() == key:
                return option
    raise AimInputError(name, "must be one of " + ", ".join(options), value)


def flag(value: Any, name: str, *, default: bool = False) -> bool:
    """TRUE/FALSE (or 1/0); an empty cell gives ``default``."""
    value = _unwrap_single(value)
    if value is None:
        return default
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, _NUMERIC_TYPES) and float(value) in (0.0, 1.0):
        return bool(value)
    if isinstance(value, str) and value.strip().upper() in ("TRUE", "FALSE"):
        return value.strip().upper() == "TRUE"
    raise AimInputError(name, "must be TRUE or FALSE", value)


def _flatten(value: Any, name: str) -> Sequence[Any]:
    """A row, a column, or a scalar as one flat sequence; a 2-D block is refused.

    A flat list or tuple (or a block's only row) is returned as it is, not copied: the
    caller only reads it.
    """
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return [value.item()]
        if value.ndim == 1:
            return value.tolist()
        if value.ndim == 2 and 1 in value.shape:
            return value.reshape(-1).tolist()
        raise AimInputError(name, "must be a single row or column", value)
    if isinstance(value, (list, tuple)):
        if not value:
            return []
        if isinstance(value[0], (list, tuple)):
            rows = len(value)
            cols = len(value[0])
            if any(not isinstance(r, (list, tuple)) or len(r) != cols for r in value):
                raise AimInputError(name, "must be a rectangular range", value)
            if rows == 1:
                return value[0]
            if cols == 1:
                return [r[0] for r in value]
            raise AimInputError(name, "must be a single row or column", value)
        return value
    return [value]


_PLAIN = frozenset((float, int))
_SCAN_BELOW = 160  # below, checking every cell's type first is the cheaper fast path
_BLOCK = 4096  # cells packed per struct call: a 32 KiB argument tuple


def _plain_numbers(flat: Sequence[Any]) -> np.ndarray | None:
    """``flat`` as floats if every cell is a plain number in range, else ``None``.

    ``None`` means the cell-by-cell rules of :func:`vector` apply (and name the cell).
    Below ``_SCAN_BELOW`` cells every cell's type is checked first (``float`` or
    ``int``). Longer ranges skip that check, which costs as much as ``np.asarray``:
    ``struct`` packs the cells straight into the array as C doubles, about 2.5 times
    faster than ``np.asarray``, in blocks of ``_BLOCK`` cells so that no temporary is
    as long as the range (``*flat`` would copy it into a tuple). It refuses text, empty
    cells and ranges as cells; TRUE/FALSE pack as 1 and 0, so the cells equal to 0 or 1
    have their type checked. A long range's cell of another Python type that converts
    to a float (a Fraction, a 0-d array, a numpy complex) is therefore taken as that
    float, where the rules refuse it; Excel never sends one. A Decimal (what COM hands
    for a Currency-formatted cell) is a number under the rules too.

    Either way ``None`` for NaN, infinity or a number out of range.
    """
    n = len(flat)
    if not n:
        return None
    if n < _SCAN_BELOW:
        if not set(map(type, flat)) <= _PLAIN:
            return None
        try:
            out = np.array(flat, dtype=float)
        except OverflowError:  # an int beyond float's range
            return None
        return out if (np.abs(out) <= MAX_MAGNITUDE).all() else None
    out = np.empty(n)
    try:
        for start in range(0, n, _BLOCK):
            cells = flat[start : start + _BLOCK]
            struct.pack_into(f"{len(cells)}d", out, 8 * start, *cells)
    except Exception:  # whatever a cell raises, the rules name it
        return None
    if not (-MAX_MAGNITUDE <= out.min() and out.max() <= MAX_MAGNITUDE):  # NaN fails too
        return None
    suspect = np.flatnonzero((out == 0.0) | (out == 1.0))
    if suspect.size and not set(map(type, map(flat.__getitem__, suspect.tolist()))) <= _PLAIN:
        return None
    return out


def vector(
    value: Any,
    name: str,
    *,
    empty: str = "error",
    min_length: int = 1,
    max_length: int = MAX_CELLS,
    nonnegative: bool = False,
) -> np.ndarray:
    """A single row or column of numbers as a 1-D float array.

    Parameters
    ----------
    value : scalar, list, list of lists or ndarray
        What Excel handed over.
    name : str
        The argument's name, for error text.
    empty : {"error", "zero", "nan"}
        What an empty cell (``None``) means: an error, zero (for example no spend in
        that period), or a gap (NaN, for functions that leave that row's result empty).
    min_length, max_length : int
        Bounds on the number of cells (at most ``MAX_CELLS`` by default).
    nonnegative : bool
        Refuse negative numbers.

    >>> vector([[1.0], [None], [3.0]], "capex", empty="zero").tolist()
    [1.0, 0.0, 3.0]
    >>> vector([[1, 2], [3, 4]], "capex")
    Traceback (most recent call last):
    ...
    udfs.errors.AimInputError: capex must be a single row or column (got 2x2 range)
    """
    if value is None:  # an empty cell (or None) where a row or column is required
        raise AimInputError(name, "is required", value)
    flat = _flatten(value, name)
    if len(flat) < min_length:
        raise AimInputError(name, f"must hold at least {min_length} cell(s)", value)
    if len(flat) > max_length:
        raise AimInputError(name, f"must hold at most {max_length:,} cells", value)
    out = _plain_numbers(flat)  # the fast path; otherwise cell by cell, naming the cell
    if out is None:
        out = np.empty(len(flat), dtype=float)
        for i, cell in enumerate(flat):
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                if empty == "zero":
                    out[i] = 0.0
                    continue
                if empty == "nan":
                    out[i] = np.nan
                    continue
                raise AimInputError(name, f"has an empty cell at position {i + 1}", cell)
            try:
                out[i] = _in_range(_to_float(cell, name), name, cell)
            except AimInputError as err:
                raise AimInputError(name, f"{err.problem} at position {i + 1}", cell) from None
    if nonnegative and (out < 0).any():
        i = int(np.flatnonzero(out < 0)[0])
        raise AimInputError(name, f"must not be negative (position {i + 1})", flat[i])
    return out


def same_length(**named: np.ndarray) -> int:
    """Check that every named vector has one length; return it."""
    items = list(named.items())
    first_name, first = items[0]
    for other_name, other in items[1:]:
        if other.shape[0] != first.shape[0]:
            raise AimInputError(
                other_name,
                f"must have as many cells as {first_name} ({first.shape[0]})",
                other,
            )
    return first.shape[0]


def _cell(v: float, nan_text: str) -> float | str:
    return nan_text if v != v else v


def to_column(values: np.ndarray, nan_text: str = "") -> list[list[float | str]]:
    """A 1-D result as one column (rows of one cell); NaN cells become ``nan_text``.

    NaN here only ever marks a cell the function documents as empty or "n.m.";
    it never stands for a caller's mistake.
    """
    values = np.asarray(values, dtype=float)
    if not np.isnan(values).any():
        return values.reshape(-1, 1).tolist()
    return [[_cell(v, nan_text)] for v in values.tolist()]


def to_rows(values: np.ndarray, nan_text: str = "") -> list[list[float | str]]:
    """A 2-D result (rows x columns) as a list of rows; NaN cells become ``nan_text``."""
    values = np.asarray(values, dtype=float)
    if values.ndim == 1:
        values = values.reshape(1, -1)
    if not np.isnan(values).any():
        return values.tolist()
    return [[_cell(v, nan_text) for v in row] for row in values.tolist()]
