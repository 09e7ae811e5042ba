"""The Outputs sheet: the index of every headline figure the model sheets declare.

Every figure a note would quote is declared by the sheet that computes it
(:meth:`sheets.model.base.Model.output`). The build writes the declarations here as
plain text — entity, metric, period, unit and the cell that holds the value — so that
anyone can see where a quoted number comes from, and so that ``aimodel outputs``
(:mod:`sheets.evaluate.outputs`) can recalculate the workbook and read each one back.
The index adds no formulas.
"""

from __future__ import annotations

from sheets.model.base import Model
from sheets.model.styles import style_header, style_title, write_text
from sheets.model.timeline import quarter_label, quarter_number

__all__ = ["HEADER", "HEADER_ROW", "OUTPUTS_SHEET", "split_ref", "write_outputs_sheet"]

OUTPUTS_SHEET = "Outputs"
HEADER = ("entity", "metric", "period", "unit", "cell", "sheet")
HEADER_ROW = 4


def split_ref(ref: str) -> tuple[str, str]:
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
        sheet, _ = split_ref(out.ref)
        period = periods_text(out.periods) if out.periods else out.period
        for c, text in enumerate(
            (out.entity, out.metric, period, out.unit, out.ref.lstrip("="), sheet), start=1
        ):
            write_text(ws, r, c, text)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)


def periods_text(periods: tuple[str, ...]) -> str:
    """``2015Q1..2028Q4`` for consecutive quarters, else the periods joined by ``;``."""
    if all("Q" in p for p in periods):
        first = quarter_number(periods[0])
        if list(periods) == [quarter_label(first + i) for i in range(len(periods))]:
            return f"{periods[0]}..{periods[-1]}"
    return ";".join(periods)
