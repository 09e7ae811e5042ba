"""A values-only copy of the model, for anyone without Python: ``aimodel snapshot``.

model.xlsm needs Python, xlwings and macros to compute. The snapshot is a plain .xlsx
that Excel, LibreOffice, Google Sheets or a phone opens as it is: every formula is
replaced by the value the headless engine (the ``formulas`` package with the AIM_
functions registered) computes for it; number formats, styles, tables, the Inputs
validation and the Dashboard charts are kept; the VBA project and the xlwings.conf sheet
are dropped. It is stamped, on the README sheet and in the document properties, with the
data date (the latest actual period in the workbook's data sheets) and the build date.

openpyxl 3.1.5 reads charts back when it loads a workbook (measured: the Dashboard's six
charts survive a load and save), so the copy is made in one openpyxl pass; each chart
series also gets the cached values of the cells it plots, for viewers that draw a chart
from its cache instead of the cells.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.chart.data_source import NumData, NumRef, NumVal, StrData, StrRef, StrVal
from openpyxl.styles import Alignment, Font
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula

from sheets.evaluate.headless import recalculate
from sheets.model.printing import BOOLEAN_FORMAT, column_width, print_setup
from sheets.sources.atomic import save_atomic
from sheets.sources.paths import require_out_folder, require_workbook
from udfs.errors import AimError

__all__ = [
    "SnapshotError",
    "data_date",
    "fit_wrapped_rows",
    "snapshot",
    "stamp_text",
    "values_workbook",
]

DROPPED_SHEETS = ("xlwings.conf", "_xlwings.conf")
DATA_HEADER = ("entity", "metric", "period", "value")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_SCALAR = (int, float, str, bool)


class SnapshotError(AimError):
    """The snapshot cannot be written (a wrong target name, a formula without a value)."""


def values_workbook(src: Path | str) -> Workbook:
    """``src`` loaded without its VBA, every formula replaced by its value computed headless.

    The cells of an array formula's range other than its first get their values too. A
    formula whose value is an error or missing becomes an empty cell.
    """
    values = recalculate(src)
    wb = load_workbook(src, keep_vba=False)
    for ws in wb.worksheets:
        key = ws.title.upper()
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, ArrayFormula) or cell.data_type == "f":
                    v = values.get((key, cell.coordinate))
                    cell.value = v if isinstance(v, _SCALAR) else None
                    if isinstance(v, bool) and cell.number_format == "General":
                        cell.number_format = BOOLEAN_FORMAT  # LibreOffice: TRUE, not 1
                elif cell.value is None and (key, cell.coordinate) in values:
                    v = values[(key, cell.coordinate)]  # the rest of an array formula's range
                    if isinstance(v, _SCALAR):
                        cell.value = v
                    if isinstance(v, bool) and cell.number_format == "General":
                        cell.number_format = BOOLEAN_FORMAT
    return wb


def _text_width(text: str) -> float:
    """Width of ``text`` in column-width units (a CJK character is two)."""
    return sum(2.0 if ord(ch) > 0x2E80 else 1.0 for ch in text)


def fit_wrapped_rows(ws) -> int:
    """Give each row that holds wrapped text a height for all its lines.

    Neither openpyxl nor LibreOffice's .xlsx import fits row heights, so wrapped text
    otherwise runs over the rows below it. Returns the number of rows set."""
    heights: dict[int, float] = {}
    merged = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
    for row in ws.iter_rows():
        for cell in row:
            if not isinstance(cell.value, str) or not (cell.alignment and cell.alignment.wrap_text):
                continue
            span = merged.get((cell.row, cell.column))
            columns = range(span.min_col, span.max_col + 1) if span else (cell.column,)
            width = sum(column_width(ws, c) for c in columns)
            per_line = max(1.0, width * 1.15)
            lines = sum(
                max(1, math.ceil(_text_width(part) / per_line)) for part in cell.value.split("\n")
            )
            size = (cell.font.sz if cell.font and cell.font.sz else 11) or 11
            heights[cell.row] = max(heights.get(cell.row, 0.0), lines * size * 1.35 + 2)
    for r, h in heights.items():
        current = ws.row_dimensions[r].height
        if current is None or current < h:
            ws.row_dimensions[r].height = round(h, 1)
        for cell in ws[r]:  # a label beside a tall cell reads from the top, as the text
            if cell.value is not None and cell.alignment.vertical is None:
                a = cell.alignment
                cell.alignment = Alignment(
                    horizontal=a.horizontal,
                    vertical="top",
                    wrap_text=a.wrap_text,
                    indent=a.indent,
                    text_rotation=a.text_rotation,
                )
    return len(heights)


def _period_end(label: str) -> tuple[int, int] | None:
    """(year, month) at which a data period ends; None for a span or no period."""
    if m := _QUARTER.match(label):
        return int(m[1]), 3 * int(m[2])
    if m := _MONTH.match(label):
        return int(m[1]), int(m[2])
    if m := _YEAR.match(label):
        return int(m[1]), 12
    return None


def data_date(wb: Workbook) -> str:
    """The latest period of an actual (reported, not estimated or guided) figure in the
    workbook's data sheets, as the data labels it (``2025Q3``, ``2026-01``).

    A data sheet is one whose table header (row 4) starts entity, metric, period, value;
    its ``basis`` column tells actual from estimate and guidance.
    """
    best: tuple[tuple[int, int], str] | None = None
    for ws in wb.worksheets:
        header = [c.value for c in ws[4]] if ws.max_row >= 4 else []
        if tuple(header[: len(DATA_HEADER)]) != DATA_HEADER:
            continue
        at = {name: i for i, name in enumerate(header) if isinstance(name, str)}
        for row in ws.iter_rows(min_row=5, values_only=True):
            period = row[at["period"]]
            if not period or ("basis" in at and row[at["basis"]] != "actual"):
                continue
            end = _period_end(str(period))
            if end is not None and (best is None or end > best[0]):
                best = (end, str(period))
    if best is None:
        raise SnapshotError("the workbook has no data sheet with a dated actual figure")
    return best[1]


def stamp_text(as_of: str, built: dt.date, source: str) -> str:
    return f"Values as of {as_of}; built {built.isoformat()} from {source}; formulas removed"


def _cells(wb: Workbook, ref: str) -> list[Any] | None:
    """The values of a chart reference such as ``'Capex'!$C$8:$C$14``."""
    if "!" not in ref:
        return None
    sheet, rng = ref.rsplit("!", 1)
    sheet = sheet.strip("'").replace("''", "'")
    if sheet not in wb.sheetnames:
        return None
    min_col, min_row, max_col, max_row = range_boundaries(rng.replace("$", ""))
    ws = wb[sheet]
    return [
        ws.cell(row=r, column=c).value
        for r in range(min_row, max_row + 1)
        for c in range(min_col, max_col + 1)
    ]


def _num_cache(values: list[Any], fmt: str = "General") -> NumData:
    pts = [
        NumVal(idx=i, v=float(v))
        for i, v in enumerate(values)
        if isinstance(v, (int, float)) and not isinstance(v, bool)
    ]
    return NumData(formatCode=fmt, ptCount=len(values), pt=pts)


def _str_cache(values: list[Any]) -> StrData:
    pts = [StrVal(idx=i, v=str(v)) for i, v in enumerate(values) if v is not None]
    return StrData(ptCount=len(values), pt=pts)


def cache_charts(wb: Workbook) -> int:
    """Give every chart series the cached values of the cells it plots; returns the count
    of series cached. Categories that are text (period labels) become a string reference."""
    done = 0
    for ws in wb.worksheets:
        for chart in getattr(ws, "_charts", []):
            for ser in chart.series:
                if ser.tx is not None and ser.tx.strRef is not None:
                    vals = _cells(wb, ser.tx.strRef.f)
                    if vals is not None:
                        ser.tx.strRef.strCache = _str_cache(vals)
                for axis in (ser.cat, getattr(ser, "xVal", None)):
                    if axis is None:
                        continue
                    ref = axis.numRef or axis.strRef
                    vals = _cells(wb, ref.f) if ref is not None else None
                    if vals is None:
                        continue
                    if all(isinstance(v, (int, float)) or v is None for v in vals):
                        axis.numRef, axis.strRef = NumRef(f=ref.f, numCache=_num_cache(vals)), None
                    else:
                        axis.strRef, axis.numRef = StrRef(f=ref.f, strCache=_str_cache(vals)), None
                for axis in (ser.val, getattr(ser, "yVal", None)):
                    if axis is None or axis.numRef is None:
                        continue
                    vals = _cells(wb, axis.numRef.f)
                    if vals is not None:
                        axis.numRef.numCache = _num_cache(vals)
                done += 1
    return done


def snapshot(src: Path | str, out: Path | str, *, today: dt.date | None = None) -> tuple[Path, str]:
    """Write the values-only .xlsx of ``src`` to ``out`` atomically; return (out, stamp)."""
    src, out = Path(src), Path(out)
    if out.suffix.lower() != ".xlsx":
        raise SnapshotError(f"{out}: the snapshot is an .xlsx file (no macros); name it *.xlsx")
    if out.resolve() == src.resolve():
        raise SnapshotError(f"{out}: the snapshot would overwrite the workbook it copies")
    require_workbook(src)
    require_out_folder(out)
    wb = values_workbook(src)
    for name in DROPPED_SHEETS:
        if name in wb.sheetnames:
            del wb[name]
    stamp = stamp_text(data_date(wb), today or dt.date.today(), src.name)
    if "README" in wb.sheetnames:
        ws = wb["README"]
        cell = ws["A3"]
        if cell.value not in (None, ""):
            ws.insert_rows(3)  # never expected: the README writer leaves row 3 empty
        cell = ws["A3"]
        cell.value = stamp
        cell.font = Font(name="Calibri", bold=True, color="C00000")
    props = wb.properties
    props.title = "aim: the economics of the AI build-out (values snapshot)"
    props.subject = stamp
    props.description = stamp + ". Open model.xlsm with Python and xlwings to recompute."
    props.keywords = "aim; values snapshot"
    props.creator = props.lastModifiedBy = "aimodel snapshot"
    props.created = props.modified = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for ws in wb.worksheets:
        if not ws.print_area:  # a data sheet: landscape, one page wide, header repeated
            print_setup(ws, fit_text=False)
        fit_wrapped_rows(ws)
    cache_charts(wb)
    wb.calculation.fullCalcOnLoad = False
    wb.active = 0
    save_atomic(wb, out)
    return out, stamp
