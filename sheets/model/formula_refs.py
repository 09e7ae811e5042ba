"""Which cells a workbook's formulas read: a small dependency graph for tests and tools.

References are found with openpyxl's formula tokenizer: cell and range operands, with or
without a sheet, and defined names (resolved through the workbook's names).
"""

from __future__ import annotations

from collections.abc import Iterator

from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula

__all__ = ["Cell", "Precedents", "formula_cells", "references", "reverse_closure"]

Cell = tuple[str, str]  # (sheet title, coordinate without $)


def _cells(ref: str) -> Iterator[str]:
    min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    for r in range(min_row, max_row + 1):
        for c in range(min_col, max_col + 1):
            yield f"{get_column_letter(c)}{r}"


def formula_cells(wb: Workbook) -> dict[Cell, str]:
    """Every cell computed by a formula, with its formula text (array ranges expanded)."""
    out: dict[Cell, str] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if isinstance(v, ArrayFormula):
                    for coord in _cells(v.ref):
                        out[(ws.title, coord)] = v.text
                elif cell.data_type == "f":
                    out[(ws.title, cell.coordinate)] = v
    return out


def references(wb: Workbook, sheet: str, text: str) -> set[Cell]:
    """The cells formula ``text`` on ``sheet`` reads."""
    return _references({n: d.attr_text for n, d in wb.defined_names.items()}, sheet, text)


def _references(names: dict[str, str], sheet: str, text: str) -> set[Cell]:
    out: set[Cell] = set()
    for token in Tokenizer(text).items:
        if token.type != Token.OPERAND or token.subtype != Token.RANGE:
            continue
        ref = token.value
        if ref in names:
            ref = names[ref]
        if "!" in ref:
            where, ref = ref.rsplit("!", 1)
            where = where.strip("'").replace("''", "'")
        else:
            where = sheet
        out.update((where, c) for c in _cells(ref))
    return out


def reverse_closure(wb: Workbook, seeds: set[Cell]) -> set[Cell]:
    """Every formula cell that depends, directly or not, on one of ``seeds``."""
    formulas = formula_cells(wb)
    readers: dict[Cell, set[Cell]] = {}
    for cell, text in formulas.items():
        for ref in references(wb, cell[0], text):
            readers.setdefault(ref, set()).add(cell)
    out: set[Cell] = set()
    todo = list(seeds)
    while todo:
        cell = todo.pop()
        for reader in readers.get(cell, ()):
            if reader not in out:
                out.add(reader)
                todo.append(reader)
    return out | seeds


class Precedents:
    """The cells a formula reads, directly or through other formulas (a forward closure).

    Built once per workbook; :meth:`closure` follows cell references, ranges (every cell
    of the range), array formulas (each cell of the range reads the whole formula's
    arguments) and defined names, and stops at the cells of ``stop`` sheets.
    """

    def __init__(self, wb: Workbook):
        self.formulas = formula_cells(wb)
        self.names = {n: d.attr_text for n, d in wb.defined_names.items()}
        self._reads: dict[Cell, frozenset[Cell]] = {}

    def reads(self, cell: Cell) -> frozenset[Cell]:
        """The cells ``cell``'s formula reads directly (nothing for a value)."""
        if cell not in self._reads:
            text = self.formulas.get(cell)
            self._reads[cell] = frozenset(_references(self.names, cell[0], text) if text else ())
        return self._reads[cell]

    def closure(self, sheet: str, text: str, stop: tuple[str, ...] = ()) -> set[Cell]:
        """Every cell formula ``text`` on ``sheet`` reads, directly or not; cells on a
        ``stop`` sheet are included but not followed."""
        todo = list(_references(self.names, sheet, text))
        seen: set[Cell] = set(todo)
        while todo:
            cell = todo.pop()
            if cell[0] in stop:
                continue
            for ref in self.reads(cell):
                if ref not in seen:
                    seen.add(ref)
                    todo.append(ref)
        return seen
