"""The filings in the workbook: the quarterly timeline and three generated data sheets.

- ``companies``: data/companies.csv as a table (ticker, CIK, fiscal year end);
- ``sec_filings``: data/sec_filings.csv as a table, one value per row with its tag,
  accession number, form and filing date (the provenance of every filed number);
- ``sec_quarterly``: the same values laid out for the model, one row per quarter of the
  model's timeline and one column per company and metric (an annual filer's year-end
  balances at the quarter of their date). The model's formulas read this sheet by
  position, never a fixed range of ``sec_filings``; its layout (the quarters down column
  A, the companies and metrics across rows 4-5) is fixed when the workbook is built, so
  a refresh only rewrites values: a new quarter fills its row, a restated value changes
  in place, and a company added to data/companies.csv gets new columns at the right.

The timeline and the pivot's layout (which row is which quarter, which column which
series) are declared in :mod:`sheets.model.timeline`; this module writes the sheets to
that layout. Quarters are calendar quarters (data/README.md: fiscal quarters are stored
at the calendar quarter holding their midpoint).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from sheets.model.styles import style_header, style_title, write_text
from sheets.model.timeline import (
    PIVOT_ENTITY_ROW,
    PIVOT_FIRST_COL,
    PIVOT_FIRST_ROW,
    PIVOT_METRIC_ROW,
    PIVOT_STEM,
    PIVOT_UNIT_ROW,
    UNIT_OF,
    PivotLayout,
    instant_quarter,
)
from sheets.sources.loader import COMPANIES_STEM, FILINGS_STEM, DataSet
from sheets.sources.sec.schema import COMPANIES_COLUMNS, FILINGS_COLUMNS
from sheets.sources.units import UNITS

__all__ = [
    "beyond_timeline",
    "fill_pivot",
    "pivot_heads",
    "pivot_values",
    "write_companies_sheet",
    "write_filings_sheet",
    "write_pivot_heads",
    "write_pivot_sheet",
]

TITLE_PREFIX = "Data: "
TABLE_HEADER_ROW = 4


def pivot_values(filings: pd.DataFrame, layout: PivotLayout) -> list[list[float | None]]:
    """The ``sec_quarterly`` values, rows = quarters, columns = series; None where none.

    A quarterly value sits at its period; a yearly balance (an annual filer's instant,
    period ``2025``) at the quarter of its balance-sheet date. Yearly flows are left out.
    """
    at = {q: i for i, q in enumerate(layout.quarters)}
    col = {s: j for j, s in enumerate(layout.series)}
    out: list[list[float | None]] = [[None] * len(layout.series) for _ in layout.quarters]
    columns = filings[["entity", "metric", "period", "value", "derivation", "end"]]
    for entity, metric, period, value, derivation, end in columns.itertuples(
        index=False, name=None
    ):
        if "Q" not in period:
            if derivation != "instant" or not end:
                continue
            period = instant_quarter(end)
        i, j = at.get(period), col.get((entity, metric))
        if i is not None and j is not None:
            out[i][j] = float(value)
    return out


def beyond_timeline(filings: pd.DataFrame, layout: PivotLayout, entities: Sequence[str]) -> str:
    """The first quarterly period in ``filings`` later than the layout's last quarter, or ""."""
    quarterly = filings[filings["entity"].isin(list(entities))]
    late = sorted(p for p in set(quarterly["period"]) if p > layout.quarters[-1])
    return late[0] if late else ""


# --- writing ------------------------------------------------------------------------------


def _table_sheet(
    wb: Workbook,
    stem: str,
    subtitle: str,
    columns: Sequence[str],
    frame: pd.DataFrame,
    number_formats: dict[str, str],
    position: int | None,
) -> Worksheet:
    ws = wb.create_sheet(stem, position)
    style_title(ws, TITLE_PREFIX + stem, subtitle)
    for c, name in enumerate(columns, start=1):
        ws.cell(row=TABLE_HEADER_ROW, column=c, value=name)
        ws.column_dimensions[get_column_letter(c)].width = max(10, min(len(name) + 4, 24))
    style_header(ws[TABLE_HEADER_ROW])
    for r, record in enumerate(
        frame[list(columns)].itertuples(index=False, name=None), start=TABLE_HEADER_ROW + 1
    ):
        for c, (name, item) in enumerate(zip(columns, record, strict=True), start=1):
            if name in number_formats:
                cell = ws.cell(row=r, column=c, value=float(item))
                cell.number_format = number_formats[name]
            elif item:
                write_text(ws, r, c, str(item))
    last = TABLE_HEADER_ROW + max(len(frame), 1)
    table = Table(
        displayName=f"tbl_{stem}",
        ref=f"A{TABLE_HEADER_ROW}:{get_column_letter(len(columns))}{last}",
    )
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(table)
    ws.freeze_panes = ws.cell(row=TABLE_HEADER_ROW + 1, column=1)
    ws.sheet_properties.tabColor = "A6A6A6"
    return ws


def write_companies_sheet(wb: Workbook, frame: pd.DataFrame, position: int | None = None):
    """data/companies.csv as a table."""
    return _table_sheet(
        wb,
        COMPANIES_STEM,
        "Generated from data/companies.csv: the companies aimodel fetch reads (SEC CIK, "
        "fiscal year end). A refresh rewrites this sheet; change data/ instead.",
        COMPANIES_COLUMNS,
        frame,
        {},
        position,
    )


def write_filings_sheet(wb: Workbook, frame: pd.DataFrame, position: int | None = None):
    """data/sec_filings.csv as a table: every filed value with its tag and filing."""
    ws = _table_sheet(
        wb,
        FILINGS_STEM,
        "Generated from data/sec_filings.csv (SEC XBRL company facts, `aimodel fetch`): each "
        "value with its us-gaap tag, accession number, form and filing date. A refresh "
        "rewrites this sheet; change data/ instead.",
        FILINGS_COLUMNS,
        frame,
        {"value": "#,##0.00"},
        position,
    )
    ws.column_dimensions["J"].width = 44
    ws.column_dimensions["N"].width = 40
    return ws


def write_pivot_sheet(
    wb: Workbook, data: DataSet, layout: PivotLayout, position: int | None = None
) -> Worksheet:
    """``sec_quarterly``: the filings by quarter (rows) and company x metric (columns)."""
    ws = wb.create_sheet(PIVOT_STEM, position)
    style_title(
        ws,
        TITLE_PREFIX + PIVOT_STEM,
        "The values of data/sec_filings.csv by calendar quarter, one column per company and "
        "metric; each traces to its row on sec_filings. Blank: not filed (or a forecast "
        "quarter). A refresh rewrites the values; the layout is fixed at build.",
    )
    ws.cell(row=PIVOT_ENTITY_ROW, column=1, value="Company")
    ws.cell(row=PIVOT_METRIC_ROW, column=1, value="Metric")
    ws.cell(row=PIVOT_UNIT_ROW, column=1, value="Quarter")
    ws.cell(row=PIVOT_UNIT_ROW, column=2, value="Number")
    write_pivot_heads(ws, layout)
    for i, q in enumerate(layout.quarters):
        ws.cell(row=PIVOT_FIRST_ROW + i, column=1, value=q)
        ws.cell(row=PIVOT_FIRST_ROW + i, column=2, value=i + 1)
    fill_pivot(ws, data, layout)
    ws.freeze_panes = ws.cell(row=PIVOT_FIRST_ROW, column=PIVOT_FIRST_COL)
    ws.sheet_properties.tabColor = "A6A6A6"
    return ws


def pivot_heads(layout: PivotLayout) -> list[list[str]]:
    """The company, metric and unit header rows of the pivot's series columns."""
    return [
        [e for e, _ in layout.series],
        [m for _, m in layout.series],
        [UNIT_OF[m] for _, m in layout.series],
    ]


def write_pivot_heads(ws: Worksheet, layout: PivotLayout) -> None:
    """The header rows of every series column (a refresh adds a new company's columns)."""
    for k, row in enumerate(pivot_heads(layout)):
        for j, text in enumerate(row):
            ws.cell(row=PIVOT_ENTITY_ROW + k, column=PIVOT_FIRST_COL + j, value=text)
    for j in range(len(layout.series)):
        ws.column_dimensions[get_column_letter(PIVOT_FIRST_COL + j)].width = 13
    for r in (PIVOT_ENTITY_ROW, PIVOT_METRIC_ROW, PIVOT_UNIT_ROW):
        style_header(ws[r][: PIVOT_FIRST_COL - 1 + len(layout.series)])


def fill_pivot(ws: Worksheet, data: DataSet, layout: PivotLayout) -> None:
    """Write the values (and clear cells no longer filed) of the pivot's body."""
    assert data.filings is not None
    formats = [UNITS[UNIT_OF[m]][1] for _, m in layout.series]
    for i, row in enumerate(pivot_values(data.filings, layout)):
        for j, value in enumerate(row):
            cell = ws.cell(row=PIVOT_FIRST_ROW + i, column=PIVOT_FIRST_COL + j)
            cell.value = value
            cell.number_format = formats[j]
