"""Cell styles shared by every generated sheet (FAST-style colour conventions).

- inputs: blue text on pale yellow, the only cells an analyst should type into;
- workings and presentation: black text (formulas);
- links to another sheet: green text;
- reported figures (the seed's own derived numbers, kept for checks): grey italic;
- checks: TRUE/FALSE with green/red conditional fills.
"""

from __future__ import annotations

import math

from openpyxl.chart.data_source import StrData, StrRef, StrVal
from openpyxl.chart.text import Text
from openpyxl.chart.title import Title
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "HEADER_FILL",
    "INPUT_FILL",
    "NAV_ROW",
    "cell_title",
    "fit_header_rows",
    "link_to_sheet",
    "nav_links",
    "style_header",
    "style_input",
    "style_link",
    "style_reported",
    "style_title",
    "write_text",
]

TITLE_FONT = Font(name="Calibri", size=14, bold=True, color="1F3864")
SUBTITLE_FONT = Font(name="Calibri", size=10, italic=True, color="595959")
HEADER_FONT = Font(name="Calibri", bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", start_color="1F3864", end_color="1F3864")
INPUT_FONT = Font(name="Calibri", color="0000FF")
INPUT_FILL = PatternFill("solid", start_color="FFF2CC", end_color="FFF2CC")
LINK_FONT = Font(name="Calibri", color="008000")
REPORTED_FONT = Font(name="Calibri", italic=True, color="808080")
NAV_FONT = Font(name="Calibri", size=10, color="0563C1", underline="single")
NAV_ROW = 3  # under the title (A1) and the purpose (A2)
HEADER_LINE_HEIGHT = 15.0  # points per line of an 11-point heading
THIN = Side(style="thin", color="BFBFBF")
INPUT_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def write_text(ws: Worksheet, row: int, column: int, text: str):
    """Write ``text`` as text, never as a formula, whatever it starts with.

    openpyxl stores a string that starts with ``=`` as a formula; a text value from a
    data file must never be evaluated, so such strings are forced to the string type and
    given Excel's quote prefix (so that editing the cell in Excel keeps it text too).
    """
    cell = ws.cell(row=row, column=column)
    cell.value = text
    if isinstance(text, str) and text.startswith(FORMULA_LEADS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def style_title(ws: Worksheet, title: str, subtitle: str = "") -> None:
    """Sheet title in A1 and a one-line description in A2."""
    ws["A1"] = title
    ws["A1"].font = TITLE_FONT
    if subtitle:
        write_text(ws, 2, 1, subtitle).font = SUBTITLE_FONT


def style_header(cells) -> None:
    for cell in cells:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def style_input(cell) -> None:
    cell.font = INPUT_FONT
    cell.fill = INPUT_FILL
    cell.border = INPUT_BORDER


def style_link(cell) -> None:
    cell.font = LINK_FONT


def style_reported(cell) -> None:
    cell.font = REPORTED_FONT


def link_to_sheet(cell, sheet: str, text: str | None = None):
    """Make ``cell`` an internal hyperlink to A1 of ``sheet`` (blue, underlined)."""
    if text is not None:
        cell.value = text
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"{quote_sheetname(sheet)}!A1")
    cell.font = NAV_FONT
    return cell


def nav_links(ws: Worksheet, links: list[tuple[str, str]]) -> None:
    """A line of navigation links in row 3, one per column from A: (text, target sheet)."""
    for c, (text, sheet) in enumerate(links, start=1):
        link_to_sheet(ws.cell(row=NAV_ROW, column=c), sheet, text)


def wrapped_line_count(text: str, per_line: float, size_of) -> int:
    """Lines ``text`` takes when word-wrapped at ``per_line`` units a line, each word
    ``size_of(word)`` units wide (a word longer than a line takes several)."""
    total = 0
    for part in str(text).split("\n"):
        lines, used = 1, 0.0
        for word in part.split():
            size = size_of(word)
            need = size if used == 0 else used + 1.0 + size
            if need <= per_line:
                used = need
            else:
                extra = max(0, math.ceil(size / per_line) - 1)  # a word longer than a line
                lines += 1 + extra if used else extra
                used = size - extra * per_line
        total += lines
    return total


def _lines(text: str, width: float) -> int:
    """Lines ``text`` takes when word-wrapped in a column ``width`` characters wide (a CJK
    character counts two, bold headings a little wider than the column unit)."""
    return wrapped_line_count(
        text,
        max(1.0, width - 1.0),
        lambda word: sum(2.0 if ord(ch) > 0x2E80 else 1.1 for ch in word),
    )


def fit_header_rows(ws: Worksheet) -> int:
    """Raise each header row (styled by :func:`style_header`) to the height its longest
    wrapped heading needs at the column widths; returns the number of rows raised."""
    raised = 0
    for row in ws.iter_rows():
        lines = 0
        for cell in row:
            if (
                cell.value is None
                or cell.fill is None
                or cell.fill.fgColor.rgb != HEADER_FILL.fgColor.rgb
                or not (cell.alignment and cell.alignment.wrap_text)
            ):
                continue
            width = ws.column_dimensions[get_column_letter(cell.column)].width or 8.43
            lines = max(lines, _lines(cell.value, width))
        if lines > 1:
            height = lines * HEADER_LINE_HEIGHT
            current = ws.row_dimensions[row[0].row].height
            if current is None or current < height:
                ws.row_dimensions[row[0].row].height = height
                raised += 1
    return raised


def cell_title(chart, ref: str, text: str) -> None:
    """Set ``chart``'s title to the text of cell ``ref`` (with its sheet), cached as
    ``text``: Excel and LibreOffice show the cell's current value."""
    cache = StrData(ptCount=1, pt=[StrVal(idx=0, v=text)])
    chart.title = Title(tx=Text(strRef=StrRef(f=ref, strCache=cache), rich=None))
