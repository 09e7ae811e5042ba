"""Data sheets: one generated sheet per data file, the file's rows as an Excel table.

The table's cells equal the CSV's cell for cell (text as text, ``value`` and
``seed_line`` as numbers, an empty field as an empty cell), so that any number in the
workbook traces to a line of a data file and from there to a line of the seed.
"""

from __future__ import annotations

import pandas as pd
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from sheets.model.data_index import DataIndex
from sheets.model.styles import style_header, style_reported, style_title, write_text
from sheets.sources.loader import COLUMNS
from sheets.sources.units import UNITS

__all__ = [
    "HEADER_ROW",
    "VALUE_COLUMN",
    "table_name",
    "table_rows",
    "write_data_sheet",
]

HEADER_ROW = 4
"""The table's header row; data rows follow it."""

VALUE_COLUMN = COLUMNS.index("value") + 1
_WIDTHS = {
    "entity": 22,
    "metric": 30,
    "period": 11,
    "value": 14,
    "unit": 18,
    "kind": 10,
    "basis": 10,
    "period_basis": 12,
    "fiscal_label": 12,
    "seed_table": 10,
    "seed_line": 10,
    "note": 60,
}


def table_rows(frame: pd.DataFrame) -> list[tuple[list[str | float | int | None], str, bool]]:
    """The data table's rows as cells: ``(cells, value number format, is reported)``.

    Text stays text (an empty field is an empty cell, ``None``); ``value`` is a float
    and ``seed_line`` an int. Shared by the openpyxl build and the Excel refresh.
    """
    out = []
    unit_at, kind_at = COLUMNS.index("unit"), COLUMNS.index("kind")
    for record in frame[list(COLUMNS)].itertuples(index=False, name=None):
        cells: list[str | float | int | None] = []
        for name, item in zip(COLUMNS, record, strict=True):
            if name == "value":
                cells.append(float(item))
            elif name == "seed_line":
                cells.append(int(item))
            else:
                cells.append(str(item) if item else None)
        out.append((cells, UNITS[record[unit_at]][1], record[kind_at] == "reported"))
    return out


def subtitle(stem: str, frame: pd.DataFrame) -> str:
    """The line under a data sheet's title: where it comes from, and not to type there."""
    tables = ", ".join(sorted(set(frame["seed_table"])))
    return (
        f"Generated from data/{stem}.csv (seed: {tables}). A refresh rewrites this sheet; "
        "change data/ instead of typing here."
    )


def table_name(stem: str) -> str:
    return "tbl_" + stem


def write_data_sheet(
    wb: Workbook, stem: str, frame: pd.DataFrame, index: DataIndex, position: int | None = None
) -> Worksheet:
    """Write one data file as a sheet named ``stem`` and record its cells in ``index``."""
    ws = wb.create_sheet(stem, position)
    style_title(ws, f"Data: {stem}", subtitle(stem, frame))
    for c, name in enumerate(COLUMNS, start=1):
        ws.cell(row=HEADER_ROW, column=c, value=name)
        ws.column_dimensions[get_column_letter(c)].width = _WIDTHS.get(name, 12)
    style_header(ws[HEADER_ROW])
    sheet = quote_sheetname(stem)
    value_letter = get_column_letter(VALUE_COLUMN)
    for r, (record, fmt, reported) in enumerate(table_rows(frame), start=HEADER_ROW + 1):
        for c, item in enumerate(record, start=1):
            if item is None:
                continue
            cell = (
                write_text(ws, r, c, item)
                if isinstance(item, str)
                else ws.cell(row=r, column=c, value=item)
            )
            if c == VALUE_COLUMN:
                cell.number_format = fmt
                if reported:
                    style_reported(cell)
        entity, metric, period = (record[0] or "", record[1] or "", record[2] or "")
        index.cells[(stem, entity, metric, period)] = f"{sheet}!${value_letter}${r}"
    last = HEADER_ROW + len(frame)
    ref = f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{last}"
    table = Table(displayName=table_name(stem), ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(table)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    ws.sheet_properties.tabColor = "A6A6A6"
    return ws
