"""Headless recalculation of a workbook with the ``formulas`` engine, AIM_ functions included.

Used by the tests (every formula computes, no error value, Checks all TRUE) and by
``make render`` (a values-only copy that LibreOffice can draw, since LibreOffice cannot
run Python UDFs).

The ``formulas`` engine hands a function 2-D object arrays for ranges (with an ``empty``
token for blank cells) and scalars or 1x1 arrays for single values; the bridge turns
those into the shapes Excel hands xlwings (scalars, lists of lists, ``None`` for blanks)
and the result back into an array.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["recalculate", "register_udfs"]

_REGISTERED = False
_CELL_OR_RANGE = re.compile(r"^\$?[A-Z]{1,3}\$?\d+(:\$?[A-Z]{1,3}\$?\d+)?$")


def _excel_arg(value: Any) -> Any:
    from formulas.tokens.operand import XlError

    def cell(v: Any) -> Any:
        if isinstance(v, XlError):
            raise _PropagateError(v)
        if type(v).__name__ == "Token":  # the engine's empty cell
            return None
        if isinstance(v, np.generic):
            return v.item()
        if isinstance(v, int) and not isinstance(v, bool):
            return float(v)
        return v

    if isinstance(value, np.ndarray):
        if value.size == 1:
            return cell(value.reshape(-1)[0])
        return [[cell(v) for v in row] for row in np.atleast_2d(value).tolist()]
    return cell(value)


class _PropagateError(Exception):
    def __init__(self, error: Any):
        super().__init__(str(error))
        self.error = error


def _bridge(fn):
    def call(*args: Any) -> Any:
        try:
            converted = [_excel_arg(a) for a in args]
        except _PropagateError as err:
            return err.error
        out = fn(*converted)
        if isinstance(out, str):
            return out
        return np.array(out, dtype=object)

    call.__name__ = fn.__name__
    return call


def register_udfs() -> None:
    """Put every AIM_ function into the ``formulas`` engine under its Excel name."""
    global _REGISTERED
    if _REGISTERED:
        return
    import formulas

    import udfs
    from udfs.excel._worksheet import REGISTRY

    del udfs
    functions = formulas.get_functions()
    for name, fn in REGISTRY.items():
        functions[name] = formulas.functions.wrap_func(_bridge(fn))
    _REGISTERED = True


def recalculate(path: Path | str, only: set[str] | None = None) -> dict[tuple[str, str], Any]:
    """Compute every formula of a workbook; return ``{(SHEET, CELL): value}``.

    ``only`` loads just the named sheets (a quick look at one sheet's cells as the
    engine reads them); by default every sheet is loaded.

    Sheet names come back upper-cased, as the engine reports them; ranges are split into
    their cells; an empty cell that a formula reads comes back as ``None``.
    """
    os.environ.setdefault("TQDM_DISABLE", "1")  # the engine's progress bars, on stderr
    import formulas
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.cell import range_boundaries

    register_udfs()
    model = formulas.ExcelModel()
    book, context = model.add_book(str(path))
    sheets = [ws for ws in book.worksheets if only is None or ws.title in only]
    model.pushes(*sheets, context=context)
    model.finish()
    solution = model.calculate()
    out: dict[tuple[str, str], Any] = {}
    for key, value in solution.items():
        if "!" not in key:
            continue
        sheet, ref = key.rsplit("!", 1)
        if not _CELL_OR_RANGE.match(ref):  # a defined name, not a cell or range
            continue
        sheet = sheet.split("]", 1)[1].strip("'") if "]" in sheet else sheet.strip("'")
        values = getattr(value, "value", value)
        values = np.atleast_2d(np.asarray(values, dtype=object))
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        for i in range(max_row - min_row + 1):
            for j in range(max_col - min_col + 1):
                v = values[i, j] if i < values.shape[0] and j < values.shape[1] else None
                if isinstance(v, np.generic):
                    v = v.item()
                elif type(v).__name__ == "Token":  # the engine's empty cell
                    v = None
                out[(sheet, f"{get_column_letter(min_col + j)}{min_row + i}")] = v
    return out
