"""The refresh target for a workbook open in Excel, through xlwings (Windows and macOS).

:func:`sheets.workbook.refresh.refresh_target` does the checking and decides what to write; this
class only reads and writes cells of the live workbook, so the macro path and the
headless ``aimodel refresh`` share one function. xlwings' interactive API does not run on
Linux, so this module is exercised in Excel, not in CI; it is kept deliberately thin.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from sheets.model.styles import FORMULA_LEADS
from sheets.model.timeline import (
    PIVOT_ENTITY_ROW,
    PIVOT_FIRST_COL,
    PIVOT_FIRST_ROW,
    PIVOT_METRIC_ROW,
    PIVOT_STEM,
    PivotLayout,
    parse_layout,
)
from sheets.sources.loader import COLUMNS, COMPANIES_STEM, FILINGS_STEM, DataSet
from sheets.sources.sec.schema import COMPANIES_COLUMNS, FILINGS_COLUMNS
from sheets.workbook.datasheets import HEADER_ROW, VALUE_COLUMN, subtitle, table_name, table_rows
from sheets.workbook.filings_sheets import pivot_heads, pivot_values

__all__ = ["XlwingsTarget"]

GREY = (128, 128, 128)


def _flat(values: Any) -> list[Any]:
    if not isinstance(values, (list, tuple)):
        return [values]
    out: list[Any] = []
    for v in values:
        out.extend(_flat(v))
    return out


def _text_or_number(value: Any) -> Any:
    """A table cell for Excel: a number as is, text never as a formula, "" as empty."""
    if isinstance(value, str):
        if not value:
            return None
        return f"'{value}" if value.startswith(FORMULA_LEADS) else value
    return float(value)


class XlwingsTarget:
    """An open ``xlwings.Book``."""

    def __init__(self, book: Any):
        self.book = book

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def title(self, sheet: str) -> str | None:
        value = self.book.sheets[sheet].range("A1").value
        return value if isinstance(value, str) else None

    def header(self, sheet: str) -> list[str]:
        ws = self.book.sheets[sheet]
        return list(ws.range((HEADER_ROW, 1), (HEADER_ROW, len(COLUMNS))).value)

    def _last_row(self, sheet: str) -> int:
        return self.book.sheets[sheet].used_range.last_cell.row

    def keys(self, sheet: str) -> list[tuple[str, str, str]]:
        ws = self.book.sheets[sheet]
        last = self._last_row(sheet)
        if last <= HEADER_ROW:
            return []
        rows = ws.range((HEADER_ROW + 1, 1), (last, 3)).options(ndim=2).value
        out = []
        for row in rows:
            if all(v is None for v in row):
                break
            out.append(tuple("" if v is None else str(v) for v in row))
        return out

    def formulas(self, sheet: str) -> Iterable[str]:
        for text in _flat(self.book.sheets[sheet].used_range.formula):
            if isinstance(text, str) and text.startswith("="):
                yield text

    def write_data_sheet(self, stem: str, frame: pd.DataFrame) -> None:
        ws = self.book.sheets[stem]
        ws.range("A2").value = subtitle(stem, frame)
        width = len(COLUMNS)
        last = max(self._last_row(stem), HEADER_ROW + 1)
        ws.range((HEADER_ROW + 1, 1), (last, width)).clear()
        rows = table_rows(frame)
        cells = [
            [f"'{v}" if isinstance(v, str) and v.startswith(FORMULA_LEADS) else v for v in cells]
            for cells, _, _ in rows
        ]
        ws.range((HEADER_ROW + 1, 1)).value = cells
        for i, (_, fmt, reported) in enumerate(rows):
            cell = ws.range((HEADER_ROW + 1 + i, VALUE_COLUMN))
            cell.number_format = fmt
            if reported:
                cell.font.italic = True
                cell.font.color = GREY
        table = ws.tables[table_name(stem)]
        table.resize(ws.range((HEADER_ROW, 1), (HEADER_ROW + len(rows), width)))

    def pivot_layout(self) -> PivotLayout | None:
        if PIVOT_STEM not in self.sheet_names():
            return None
        ws = self.book.sheets[PIVOT_STEM]
        last_row = self._last_row(PIVOT_STEM)
        last_col = ws.used_range.last_cell.column
        quarters = ws.range((PIVOT_FIRST_ROW, 1), (last_row, 1)).options(ndim=1).value
        heads = ws.range((PIVOT_ENTITY_ROW, PIVOT_FIRST_COL), (PIVOT_METRIC_ROW, last_col))
        entities, metrics = heads.options(ndim=2).value
        return parse_layout(quarters, entities, metrics)

    def _table(self, stem: str, columns: tuple[str, ...], frame: pd.DataFrame) -> None:
        ws = self.book.sheets[stem]
        last = max(self._last_row(stem), HEADER_ROW + 1)
        ws.range((HEADER_ROW + 1, 1), (last, len(columns))).clear_contents()
        cells = [
            [_text_or_number(v) for v in record]
            for record in frame[list(columns)].itertuples(index=False, name=None)
        ]
        if cells:
            ws.range((HEADER_ROW + 1, 1)).value = cells
        table = ws.tables[f"tbl_{stem}"]
        table.resize(ws.range((HEADER_ROW, 1), (HEADER_ROW + max(len(cells), 1), len(columns))))

    def write_filings(self, data: DataSet, layout: PivotLayout) -> None:
        assert data.companies is not None and data.filings is not None
        self._table(COMPANIES_STEM, COMPANIES_COLUMNS, data.companies)
        self._table(FILINGS_STEM, FILINGS_COLUMNS, data.filings)
        ws = self.book.sheets[PIVOT_STEM]
        ws.range((PIVOT_ENTITY_ROW, PIVOT_FIRST_COL)).value = pivot_heads(layout)
        ws.range((PIVOT_FIRST_ROW, PIVOT_FIRST_COL)).value = pivot_values(data.filings, layout)
