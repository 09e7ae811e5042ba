"""The filings in the workbook: the quarterly timeline and three generated data sheets.

- ``companies``: data/companies.csv as a table (ticker, CIK, fiscal year end);
- ``sec_filings``: data/sec_filings.csv as a table, one value per row with its tag,
  accession number, form and filing date (the provenance of every filed number);
- ``sec_quarterly``: the same values laid out for the model, one row per quarter of the
  model's timeline and one column per company and metric. The model's formulas read
  this sheet by position; its layout (the quarters down column A, the companies and
  metrics across rows 4-5) is fixed when the workbook is built, so a refresh only
  rewrites values: a new quarter fills its row, a restated value changes in place.

The timeline runs from :data:`HISTORY_START` (depreciation needs vintages back to 2015)
to the fourth quarter :data:`FORECAST_YEARS` years after the latest filed quarter; the
quarters after the latest filed one are forecast rows. Quarters are calendar quarters
(data/README.md: fiscal quarters are stored at the calendar quarter holding their
midpoint).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from sheets.loader import COMPANIES_STEM, FILINGS_STEM, DataSet
from sheets.sec.concepts import CONCEPTS, METRICS
from sheets.sec.schema import COMPANIES_COLUMNS, FILINGS_COLUMNS
from sheets.styles import style_header, style_title, write_text
from sheets.units import UNITS

__all__ = [
    "FORECAST_YEARS",
    "HISTORY_START",
    "PIVOT_STEM",
    "PivotLayout",
    "Timeline",
    "parse_layout",
    "pivot_layout",
    "pivot_values",
    "quarter_label",
    "quarter_number",
    "write_companies_sheet",
    "write_filings_sheet",
    "write_pivot_sheet",
]

HISTORY_START = "2015Q1"
"""First quarter of the timeline: vintages from 2015 on are what 4-6-year server lives
still depreciate in the years the model looks at."""
FORECAST_YEARS = 2
"""Forecast years after the latest filed quarter's year (2026Q2 filed: to 2028Q4)."""
PIVOT_STEM = "sec_quarterly"
UNIT_OF = {c.metric: c.unit for c in CONCEPTS}
"""The unit (sheets/units.py) of every filings metric."""
TITLE_PREFIX = "Data: "
TABLE_HEADER_ROW = 4
PIVOT_ENTITY_ROW = 4
PIVOT_METRIC_ROW = 5
PIVOT_UNIT_ROW = 6
PIVOT_FIRST_ROW = 7
PIVOT_FIRST_COL = 3  # C; A holds the quarter, B its number on the timeline


def quarter_number(label: str) -> int:
    """Quarters since year 0: ``"2015Q1"`` -> 8060 (consecutive quarters differ by 1)."""
    return int(label[:4]) * 4 + int(label[5]) - 1


def quarter_label(number: int) -> str:
    """The inverse of :func:`quarter_number`: 8060 -> ``"2015Q1"``."""
    return f"{number // 4}Q{number % 4 + 1}"


@dataclass(frozen=True)
class Timeline:
    """The model's quarters, oldest first, and the latest one filed."""

    quarters: tuple[str, ...]
    latest_filed: str

    @classmethod
    def from_data(cls, data: DataSet) -> Timeline:
        """From :data:`HISTORY_START` to Q4 of the latest filed year + FORECAST_YEARS."""
        if data.filings is None or data.companies is None:
            raise ValueError("the timeline needs data/sec_filings.csv and data/companies.csv")
        quarterly = set(data.companies.loc[data.companies["filer"] == "quarterly", "entity"])
        periods = data.filings.loc[data.filings["entity"].isin(quarterly), "period"]
        latest = max(periods)
        first = quarter_number(HISTORY_START)
        last = quarter_number(f"{int(latest[:4]) + FORECAST_YEARS}Q4")
        return cls(tuple(quarter_label(n) for n in range(first, last + 1)), latest)

    def __len__(self) -> int:
        return len(self.quarters)

    def index(self, label: str) -> int:
        return self.quarters.index(label)


@dataclass(frozen=True)
class PivotLayout:
    """Where each (entity, metric) series sits on the ``sec_quarterly`` sheet."""

    quarters: tuple[str, ...]
    series: tuple[tuple[str, str], ...]

    def column(self, entity: str, metric: str) -> int:
        return PIVOT_FIRST_COL + self.series.index((entity, metric))

    @property
    def last_row(self) -> int:
        return PIVOT_FIRST_ROW + len(self.quarters) - 1

    def cell(self, entity: str, metric: str, i: int) -> str:
        """Absolute reference, with the sheet, to the ``i``-th quarter (0-based) of a series."""
        letter = get_column_letter(self.column(entity, metric))
        return f"{quote_sheetname(PIVOT_STEM)}!${letter}${PIVOT_FIRST_ROW + i}"

    def range(self, entity: str, metric: str) -> str:
        letter = get_column_letter(self.column(entity, metric))
        return (
            f"{quote_sheetname(PIVOT_STEM)}!${letter}${PIVOT_FIRST_ROW}:${letter}${self.last_row}"
        )

    def numbers_range(self) -> str:
        """The timeline numbers (1 = first quarter) of every quarter."""
        return f"{quote_sheetname(PIVOT_STEM)}!$B${PIVOT_FIRST_ROW}:$B${self.last_row}"


def parse_layout(
    quarters: Sequence[object], entities: Sequence[object], metrics: Sequence[object]
) -> PivotLayout:
    """A pivot's layout from its cells as read back: column A from the first quarter down,
    the entity and metric header rows from the first series column on (each up to the
    first empty cell)."""

    def upto_blank(values: Sequence[object]) -> list[str]:
        out = []
        for v in values:
            if v is None or v == "":
                break
            out.append(str(v))
        return out

    names = upto_blank(entities)
    return PivotLayout(
        tuple(upto_blank(quarters)),
        tuple(zip(names, upto_blank(metrics)[: len(names)], strict=True)),
    )


def quarterly_entities(data: DataSet) -> list[str]:
    """The quarterly filers of data/companies.csv, in its order."""
    assert data.companies is not None
    frame = data.companies
    return list(frame.loc[frame["filer"] == "quarterly", "entity"])


def pivot_layout(data: DataSet, timeline: Timeline) -> PivotLayout:
    """Every quarterly filer x every metric, whether or not data/ holds values for it yet
    (a company's first fetch then fills its columns without a rebuild)."""
    series = tuple((e, m) for e in quarterly_entities(data) for m in METRICS)
    return PivotLayout(timeline.quarters, series)


def pivot_values(filings: pd.DataFrame, layout: PivotLayout) -> list[list[float | None]]:
    """The ``sec_quarterly`` values, rows = quarters, columns = series; None where none."""
    at = {q: i for i, q in enumerate(layout.quarters)}
    col = {s: j for j, s in enumerate(layout.series)}
    out: list[list[float | None]] = [[None] * len(layout.series) for _ in layout.quarters]
    columns = filings[["entity", "metric", "period", "value"]]
    for entity, metric, period, value in columns.itertuples(index=False, name=None):
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
    for j, (entity, metric) in enumerate(layout.series):
        c = PIVOT_FIRST_COL + j
        ws.cell(row=PIVOT_ENTITY_ROW, column=c, value=entity)
        ws.cell(row=PIVOT_METRIC_ROW, column=c, value=metric)
        ws.cell(row=PIVOT_UNIT_ROW, column=c, value=UNIT_OF[metric])
        ws.column_dimensions[get_column_letter(c)].width = 13
    for r in (PIVOT_ENTITY_ROW, PIVOT_METRIC_ROW, PIVOT_UNIT_ROW):
        style_header(ws[r][: PIVOT_FIRST_COL - 1 + len(layout.series)])
    for i, q in enumerate(layout.quarters):
        ws.cell(row=PIVOT_FIRST_ROW + i, column=1, value=q)
        ws.cell(row=PIVOT_FIRST_ROW + i, column=2, value=i + 1)
    fill_pivot(ws, data, layout)
    ws.freeze_panes = ws.cell(row=PIVOT_FIRST_ROW, column=PIVOT_FIRST_COL)
    ws.sheet_properties.tabColor = "A6A6A6"
    return ws


def fill_pivot(ws: Worksheet, data: DataSet, layout: PivotLayout) -> None:
    """Write the values (and clear cells no longer filed) of the pivot's body."""
    assert data.filings is not None
    formats = [UNITS[UNIT_OF[m]][1] for _, m in layout.series]
    for i, row in enumerate(pivot_values(data.filings, layout)):
        for j, value in enumerate(row):
            cell = ws.cell(row=PIVOT_FIRST_ROW + i, column=PIVOT_FIRST_COL + j)
            cell.value = value
            cell.number_format = formats[j]
