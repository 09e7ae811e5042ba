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


_REF = re.compile(
    r"(?:(?:'((?:[^']|'')+)'|([A-Za-z0-9_.]+))!)?"
    r"\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?"
)


def _formula_text(cell: Any) -> str | None:
    from openpyxl.worksheet.formula import ArrayFormula

    v = cell.value
    if isinstance(v, ArrayFormula):
        return v.text or ""
    return v if cell.data_type == "f" else None


def _prune(book: Any) -> list[Any]:
    """Keep what a formula can read; return the worksheets to load, in book order.

    The engine compiles every cell it is given, and most cells of the workbook are text
    that no formula reads: labels, notes, the filings table, the Outputs index. Only
    formula cells and the cells formulas (or defined names) point at can change a result,
    so the others are dropped from the in-memory copy the engine loads (the file is not
    touched), and sheets left with nothing are skipped. This halves the load time; the
    values returned are those of the cells kept.
    """
    from openpyxl.utils.cell import column_index_from_string

    titles = {ws.title.upper(): ws.title for ws in book.worksheets}
    wanted: dict[str, set[tuple[int, int]]] = {ws.title: set() for ws in book.worksheets}
    spans: dict[str, list[tuple[int, int, int, int]]] = {ws.title: [] for ws in book.worksheets}

    def refer(text: str, here: str | None) -> None:
        for m in _REF.finditer(text):
            sheet = (m.group(1) or "").replace("''", "'") or m.group(2)
            title = titles.get(sheet.upper()) if sheet else here
            if title is None:
                continue
            c1, r1 = column_index_from_string(m.group(3)), int(m.group(4))
            c2 = column_index_from_string(m.group(5)) if m.group(5) else c1
            r2 = int(m.group(6)) if m.group(6) else r1
            spans[title].append((min(r1, r2), max(r1, r2), min(c1, c2), max(c1, c2)))

    for defined in book.defined_names.values():
        refer(defined.attr_text or "", None)
    for ws in book.worksheets:
        for (r, c), cell in ws._cells.items():
            text = _formula_text(cell)
            if text is not None:
                wanted[ws.title].add((r, c))
                refer(text, ws.title)
    keep = []
    for ws in book.worksheets:
        boxes = spans[ws.title]
        mine = wanted[ws.title]
        for key in list(ws._cells):
            if key in mine:
                continue
            r, c = key
            if not any(r1 <= r <= r2 and c1 <= c <= c2 for r1, r2, c1, c2 in boxes):
                del ws._cells[key]
        if ws._cells:
            keep.append(ws)
    return keep


def recalculate(path: Path | str, only: set[str] | None = None) -> dict[tuple[str, str], Any]:
    """Compute every formula of a workbook; return ``{(SHEET, CELL): value}``.

    Only the cells a formula can read are loaded (see :func:`_prune`), unless ``only``
    names the sheets to load whole (every cell, formulas or not), and nothing else.

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
    if only is None:
        sheets = _prune(book)
    else:
        sheets = [ws for ws in book.worksheets if ws.title in only]
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
