"""The model's headline outputs: the Outputs sheet (an index) and ``aimodel outputs``.

Every figure a note would quote is declared by the sheet that computes it
(:meth:`sheets.model.base.Model.output`). The build writes the declarations on the
Outputs sheet as plain text — entity, metric, period, unit and the cell that holds the
value — so that anyone can see where a quoted number comes from, and so that
``aimodel outputs model.xlsm`` can recalculate the workbook headlessly and read each one
back. The index adds no formulas (nothing for Excel or the headless engine to compute).

A period written as ``=<cell>`` is read from that cell (the latest filed quarter, which
moves when a refresh brings a new quarter). A series is one row: its cells are a column
range and its periods ``2015Q1..2028Q4`` (consecutive quarters) or ``a;b;c``, one per
cell. Outputs whose value is empty (a forecast quarter, a company with no filings yet)
are left out of the listing.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from sheets.model.base import Model
from sheets.styles import style_header, style_title, write_text
from udfs.errors import AimError

__all__ = [
    "OUTPUTS_SHEET",
    "OutputRow",
    "OutputsError",
    "format_rows",
    "read_outputs",
    "write_outputs_sheet",
]

OUTPUTS_SHEET = "Outputs"
HEADER = ("entity", "metric", "period", "unit", "cell", "sheet")
HEADER_ROW = 4


class OutputsError(AimError):
    """The workbook has no Outputs index, or an output's cell does not compute."""


@dataclass(frozen=True)
class OutputRow:
    """One headline output as ``aimodel outputs`` prints it."""

    sheet: str
    entity: str
    metric: str
    period: str
    value: float | str | bool
    unit: str


def _split(ref: str) -> tuple[str, str]:
    """``'Capex'!$D$8`` -> (``Capex``, ``D8``)."""
    sheet, cell = ref.lstrip("=").rsplit("!", 1)
    return sheet.strip("'").replace("''", "'"), cell.replace("$", "")


def write_outputs_sheet(model: Model) -> None:
    """The index of every declared output, one row each, as text."""
    ws = model.wb.create_sheet(OUTPUTS_SHEET)
    style_title(
        ws,
        OUTPUTS_SHEET,
        "Every headline figure and the cell that computes it; `aimodel outputs model.xlsm` "
        "recalculates the workbook and prints them. A period =<cell> is read from that cell.",
    )
    ws.sheet_properties.tabColor = "7F7F7F"
    for c, name in enumerate(HEADER, start=1):
        ws.cell(row=HEADER_ROW, column=c, value=name)
    style_header(ws[HEADER_ROW][: len(HEADER)])
    for width, letter in zip((16, 34, 14, 10, 30, 16), "ABCDEF", strict=True):
        ws.column_dimensions[letter].width = width
    for r, out in enumerate(model.outputs, start=HEADER_ROW + 1):
        sheet, _ = _split(out.ref)
        period = _periods_text(out.periods) if out.periods else out.period
        for c, text in enumerate(
            (out.entity, out.metric, period, out.unit, out.ref.lstrip("="), sheet), start=1
        ):
            write_text(ws, r, c, text)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)


def _periods_text(periods: tuple[str, ...]) -> str:
    """``2015Q1..2028Q4`` for consecutive quarters, else the periods joined by ``;``."""
    from sheets.filings_sheets import quarter_label, quarter_number

    if all("Q" in p for p in periods):
        first = quarter_number(periods[0])
        if list(periods) == [quarter_label(first + i) for i in range(len(periods))]:
            return f"{periods[0]}..{periods[-1]}"
    return ";".join(periods)


def _expand(period: str, ref: str) -> list[tuple[str, str]]:
    """(period, single-cell ref) pairs of an index row (a series gives one per cell)."""
    from openpyxl.utils.cell import range_boundaries

    from sheets.filings_sheets import quarter_label, quarter_number

    if ":" not in ref:
        return [(period, ref)]
    sheet, cells = ref.rsplit("!", 1)
    _, min_row, _, max_row = range_boundaries(cells.replace("$", ""))
    if ".." in period:
        first, last = (quarter_number(p) for p in period.split(".."))
        periods = [quarter_label(n) for n in range(first, last + 1)]
    else:
        periods = period.split(";")
    if len(periods) != max_row - min_row + 1:
        raise OutputsError(f"{ref}: {len(periods)} periods for {max_row - min_row + 1} cells")
    letter = cells.replace("$", "").split(":")[0].rstrip("0123456789")
    return [(p, f"{sheet}!{letter}{min_row + i}") for i, p in enumerate(periods)]


def _index(wb: Workbook) -> list[tuple[str, ...]]:
    if OUTPUTS_SHEET not in wb.sheetnames:
        raise OutputsError(
            f"the workbook has no {OUTPUTS_SHEET} sheet: rebuild it with `aimodel build`"
        )
    rows = []
    for values in wb[OUTPUTS_SHEET].iter_rows(
        min_row=HEADER_ROW + 1, max_col=len(HEADER), values_only=True
    ):
        if values[0] is None:
            break
        rows.append(tuple("" if v is None else str(v) for v in values))
    return rows


def read_outputs(path: Path | str) -> list[OutputRow]:
    """Recalculate ``path`` headlessly and return its declared outputs that have a value."""
    from sheets.headless import recalculate

    path = Path(path)
    if not path.is_file():
        raise OutputsError(f"{path}: no such workbook")
    index = _index(load_workbook(path, read_only=False, keep_vba=False))
    values = recalculate(path)

    def value_at(ref: str) -> Any:
        sheet, cell = _split(ref)
        return values.get((sheet.upper(), cell))

    out = []
    for entity, metric, periods, unit, series, sheet in index:
        for period, ref in _expand(periods, series):
            value = value_at(ref)
            if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
                continue
            if not isinstance(value, (int, float, str, bool)) or (
                isinstance(value, str) and value.startswith("#")
            ):
                raise OutputsError(f"{ref}: {entity} {metric} {period} shows {value}")
            if period.startswith("="):
                period = str(value_at(period) or "")
            if isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            out.append(OutputRow(sheet, entity, metric, period, value, unit))
    return out


def format_rows(rows: list[OutputRow], as_json: bool = False) -> str:
    """The listing: JSON (a list of objects) or aligned text columns."""
    if as_json:
        return json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=1)
    table = [("sheet", "entity", "metric", "period", "value", "unit")]
    for r in rows:
        shown = f"{r.value:.6g}" if isinstance(r.value, float) else str(r.value)
        table.append((r.sheet, r.entity, r.metric, r.period, shown, r.unit))
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in table
    )
