"""Cell styles shared by every generated sheet (FAST-style colour conventions).

- inputs: blue text on pale yellow, the only cells an analyst should type into;
- workings and presentation: black text (formulas);
- links to another sheet: green text;
- reported figures (the seed's own derived numbers, kept for checks): grey italic;
- checks: TRUE/FALSE with green/red conditional fills.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "HEADER_FILL",
    "INPUT_FILL",
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
