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
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from openpyxl.workbook.workbook import Workbook

from sheets.model.outputs_sheet import HEADER, HEADER_ROW, OUTPUTS_SHEET, split_ref
from sheets.model.timeline import quarter_label, quarter_number
from sheets.sources.paths import require_workbook
from udfs.errors import AimError

__all__ = [
    "OUTPUTS_SHEET",
    "OutputRow",
    "OutputsError",
    "filter_rows",
    "format_rows",
    "index_rows",
    "output_cells",
    "read_outputs",
    "rows_from_values",
]


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


def _expand(period: str, ref: str) -> list[tuple[str, str]]:
    """(period, single-cell ref) pairs of an index row (a series gives one per cell)."""
    from openpyxl.utils.cell import range_boundaries

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


def index_rows(wb: Workbook) -> list[tuple[str, ...]]:
    """The Outputs sheet's rows: (entity, metric, period, unit, cells, sheet) as text."""
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


def output_cells(index: list[tuple[str, ...]]) -> list[str]:
    """Every single cell the index reads: each output's cells and each ``=<cell>`` period."""
    cells: dict[str, None] = {}
    for _, _, periods, _, series, _ in index:
        for period, ref in _expand(periods, series):
            cells[ref] = None
            if period.startswith("="):
                cells[period[1:]] = None
    return list(cells)


def rows_from_values(
    index: list[tuple[str, ...]], value_of: Callable[[str], Any]
) -> list[OutputRow]:
    """The declared outputs that have a value, reading each cell with ``value_of(ref)``."""
    out = []
    for entity, metric, periods, unit, series, sheet in index:
        for period, ref in _expand(periods, series):
            value = value_of(ref)
            if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
                continue
            if not isinstance(value, (int, float, str, bool)) or (
                isinstance(value, str) and value.startswith("#")
            ):
                raise OutputsError(f"{ref}: {entity} {metric} {period} shows {value}")
            if period.startswith("="):
                period = str(value_of(period[1:]) or "")
            if isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            out.append(OutputRow(sheet, entity, metric, period, value, unit))
    return out


def read_outputs(path: Path | str) -> list[OutputRow]:
    """Recalculate ``path`` headlessly and return its declared outputs that have a value.

    The Outputs index is read from the workbook the engine loaded (one read of the file).
    """
    from sheets.evaluate.headless import calculate, load

    path = require_workbook(path)
    loaded = load(path)
    index = index_rows(loaded.book)
    values = calculate(loaded)

    def value_at(ref: str) -> Any:
        sheet, cell = split_ref(ref)
        return values.get((sheet.upper(), cell))

    return rows_from_values(index, value_at)


def filter_rows(
    rows: list[OutputRow], metrics: list[str] | None = None, entities: list[str] | None = None
) -> list[OutputRow]:
    """The rows whose metric is one of ``metrics`` and entity one of ``entities`` (None:
    any); a name that matches no row at all is refused, naming it."""
    for what, wanted, have in (
        ("metric", metrics, {r.metric for r in rows}),
        ("entity", entities, {r.entity for r in rows}),
    ):
        for name in wanted or ():
            if name not in have:
                raise OutputsError(f"--{what} {name}: no output has that {what}")
    return [
        r
        for r in rows
        if (not metrics or r.metric in metrics) and (not entities or r.entity in entities)
    ]


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
