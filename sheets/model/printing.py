"""Print setup for a sheet, applied the same way to every model sheet.

:func:`print_setup` gives a sheet what it needs to print legibly:

- A4 landscape, fit to one page wide (as many pages down as it takes; one page when the
  whole sheet fits at :data:`ONE_PAGE_SCALE` or more), narrow margins, a footer with the
  sheet name and page number;
- print titles: the rows and columns frozen on screen (title, purpose and links; the label
  and unit columns) repeat on every page (the columns not when a chart prints on pages of
  its own, where they would label nothing);
- a print area around the sheet's content and charts (a print area the sheet set itself,
  to leave wide workings out, is kept);
- a page no wider than :data:`PAGE_WIDTH` column units: the widest text columns are
  narrowed (down to :data:`MIN_TEXT_WIDTH`) and their text wrapped;
- notes that would run past the print area's edge, or under the next filled cell, are
  wrapped: across the empty cells to the area's edge (merged) or in their own column;
  row heights follow the wrapped lines;
- row breaks so that no chart is cut by a page break.

Booleans: :func:`boolean_format` gives check cells the number format
:data:`BOOLEAN_FORMAT`, so that a TRUE/FALSE value reads TRUE/FALSE in LibreOffice and
on paper too (Excel shows booleans as TRUE/FALSE whatever the format; LibreOffice shows a
stored boolean as 1 or 0 unless the format says otherwise).
"""

from __future__ import annotations

import math

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_from_string, range_boundaries
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

from sheets.model.styles import wrapped_line_count

__all__ = [
    "BOOLEAN_FORMAT",
    "PAGE_WIDTH",
    "boolean_format",
    "cell_width",
    "check_cells",
    "column_width",
    "content_area",
    "print_setup",
    "wrapped_lines",
]

BOOLEAN_FORMAT = '"TRUE";"TRUE";"FALSE"'
"""Positive (TRUE stored as 1) and negative show TRUE, zero (FALSE) shows FALSE; text as is."""

PAPER_A4 = 9  # openpyxl/OOXML paperSize code
PAGE_W_PT, PAGE_H_PT = 842.0, 595.0  # A4 landscape, points
MARGIN_LR_IN, MARGIN_TB_IN, MARGIN_HF_IN = 0.4, 0.6, 0.25
PAGE_WIDTH = 190.0
"""Widest print area, in column-width units (about 0.75 scale on A4 landscape)."""
MIN_TEXT_WIDTH = 24.0
"""A text column is never narrowed below this (column-width units)."""
DEFAULT_WIDTH = 8.43
DEFAULT_ROW_PT = 15.0
ONE_PAGE_SCALE = 0.6
"""A sheet that fits one page at this scale or more prints on one page (the Dashboard)."""
PAGE_FILL = 0.85  # share of the printable height a page is filled to before a chart breaks
CM_PT = 72 / 2.54
Area = tuple[int, int, int, int]  # first column, first row, last column, last row (1-based)


def width_pt(width: float) -> float:
    """Points of a column ``width`` units wide (Excel: 7 px per unit plus 5 px, 96 dpi)."""
    return (math.trunc(width * 7 + 5)) * 0.75


def column_width(ws: Worksheet, column: int) -> float:
    """The width of ``column`` (1-based) in column units, without creating a column
    entry (``ws.column_dimensions[letter]`` would add one, written as 13 units wide)."""
    dim = ws.column_dimensions.get(get_column_letter(column))
    if dim is None:
        dim = next(
            (
                d
                for d in ws.column_dimensions.values()
                if d.min and d.max and d.min <= column <= d.max
            ),
            None,
        )
    return dim.width if dim is not None and dim.width else DEFAULT_WIDTH


_width = column_width


def _merged_at(ws: Worksheet) -> dict[tuple[int, int], Area]:
    out = {}
    for rng in ws.merged_cells.ranges:
        out[(rng.min_row, rng.min_col)] = (rng.min_col, rng.min_row, rng.max_col, rng.max_row)
    return out


def cell_width(ws: Worksheet, cell, merged=None) -> float:
    """The width of ``cell`` in column units, across its merged range if it starts one."""
    merged = _merged_at(ws) if merged is None else merged
    span = merged.get((cell.row, cell.column))
    if span is None:
        return _width(ws, cell.column)
    return sum(_width(ws, c) for c in range(span[0], span[2] + 1))


def _text_width(text: str, bold: bool = False) -> float:
    """Width of ``text`` in column units (a CJK character counts two)."""
    unit = 1.1 if bold else 1.0
    return sum(2.0 if ord(ch) > 0x2E80 else unit for ch in text)


def wrapped_lines(text: str, width: float, bold: bool = False) -> int:
    """Lines ``text`` takes when word-wrapped in a cell ``width`` column units wide."""
    per_line = max(1.0, width * 1.1 - 1.0)  # proportional text: ~1.1 characters per unit
    return wrapped_line_count(text, per_line, lambda word: _text_width(word, bold))


def _chart_extent(ws: Worksheet, chart) -> Area:
    """(first column, first row, last column, last row) a chart covers (1-based)."""
    anchor = chart.anchor
    if isinstance(anchor, str):
        letters, row = coordinate_from_string(anchor)
        col = range_boundaries(f"{letters}1")[0]
    else:
        col, row = anchor._from.col + 1, anchor._from.row + 1
    width, height = chart.width * CM_PT, chart.height * CM_PT
    last_col, used = col, 0.0
    while used + width_pt(_width(ws, last_col)) < width:
        used += width_pt(_width(ws, last_col))
        last_col += 1
    last_row, used = row, 0.0
    while used + _row_pt(ws, last_row) < height:
        used += _row_pt(ws, last_row)
        last_row += 1
    return col, row, last_col, last_row


def _row_pt(ws: Worksheet, row: int) -> float:
    return ws.row_dimensions[row].height or DEFAULT_ROW_PT


def content_area(ws: Worksheet) -> list[Area]:
    """The ranges to print: the cells with the charts among or beside them, then each
    chart that would make the page wider than :data:`PAGE_WIDTH` as a range of its own
    (printed on its own page, at the same scale)."""
    last_row = last_col = 1
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                last_row = max(last_row, cell.row)
                last_col = max(last_col, cell.column)
    main = [1, 1, last_col, last_row]
    apart: list[Area] = []
    for chart in getattr(ws, "_charts", []):
        c0, r0, c1, r1 = _chart_extent(ws, chart)
        wide = sum(_width(ws, c) for c in range(1, max(c1, main[2]) + 1))
        if c0 > main[2] and wide > PAGE_WIDTH:
            apart.append((c0, r0, c1, r1))
        else:
            main[2], main[3] = max(main[2], c1), max(main[3], r1)
    return [tuple(main), *apart]  # type: ignore[list-item]


def _areas(ws: Worksheet) -> list[Area]:
    """The sheet's own print area if it set one, else :func:`content_area`."""
    if ws.print_area:
        refs = str(ws.print_area).split(",")
        return [range_boundaries(r.split("!")[-1].replace("$", "")) for r in refs]
    return content_area(ws)


def _frozen(ws: Worksheet) -> tuple[int, int]:
    """(rows, columns) frozen on screen."""
    if not ws.freeze_panes:
        return 0, 0
    letters, row = coordinate_from_string(ws.freeze_panes)
    return row - 1, range_boundaries(f"{letters}1")[0] - 1


def _is_text(cell) -> bool:
    return isinstance(cell.value, str) and not cell.value.startswith("=")


def _narrow_text_columns(ws: Worksheet, first_col: int, last_col: int, keep: int) -> set[int]:
    """Narrow the widest text columns until the area fits :data:`PAGE_WIDTH`; return them.

    A text column holds mostly text (labels, sources, notes); the first ``keep`` columns
    (the frozen label columns) and columns of numbers keep their widths."""
    counts: dict[int, list[int]] = {}
    for row in ws.iter_rows(min_row=4, min_col=first_col, max_col=last_col):
        for cell in row:
            if cell.value is None:
                continue
            n = counts.setdefault(cell.column, [0, 0])
            n[0 if _is_text(cell) else 1] += 1
    text = {
        c: _width(ws, c)
        for c, (t, other) in counts.items()
        if c > keep and t >= 2 * other and _width(ws, c) > MIN_TEXT_WIDTH
    }
    total = sum(_width(ws, c) for c in range(first_col, last_col + 1))
    narrowed: set[int] = set()
    while total > PAGE_WIDTH and text:
        c = max(text, key=lambda k: (text[k], -k))
        step = min(text[c] - MIN_TEXT_WIDTH, total - PAGE_WIDTH, 1.0)
        text[c] -= step
        total -= step
        narrowed.add(c)
        if text[c] <= MIN_TEXT_WIDTH:
            del text[c]
    for c in narrowed:
        ws.column_dimensions[get_column_letter(c)].width = round(text.get(c, MIN_TEXT_WIDTH), 1)
    return narrowed


def _wrap(cell) -> None:
    a = cell.alignment
    cell.alignment = Alignment(
        horizontal=a.horizontal,
        vertical="top",
        wrap_text=True,
        indent=a.indent,
        text_rotation=a.text_rotation,
    )


def _wrap_notes(ws: Worksheet, area: Area) -> int:
    """Wrap text that would run past the area's edge or under a filled cell; merge it
    across the empty cells to the edge when it can. Returns the cells wrapped."""
    _, first_row, last_col, last_row = area
    merged = _merged_at(ws)
    covered = {
        (r, c)
        for (c0, r0, c1, r1) in merged.values()
        for r in range(r0, r1 + 1)
        for c in range(c0, c1 + 1)
    }
    arrays = set()  # the cells of array formulas' ranges: never merged over
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, ArrayFormula):
                c0, r0, c1, r1 = range_boundaries(cell.value.ref)
                arrays.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1))
    done = 0
    for row in ws.iter_rows(min_row=first_row, max_row=last_row, max_col=last_col):
        filled = [c.column for c in row if c.value is not None or (c.row, c.column) in arrays]
        for cell in row:
            if not _is_text(cell) or (cell.alignment and cell.alignment.wrap_text):
                continue
            if (cell.row, cell.column) in covered:
                continue
            bold = bool(cell.font and cell.font.b)
            need = _text_width(cell.value, bold) + 1
            own = _width(ws, cell.column)
            if need <= own:
                continue
            right = [c for c in filled if c > cell.column]
            free_to = (right[0] - 1) if right else last_col
            room = sum(_width(ws, c) for c in range(cell.column, free_to + 1))
            if need <= room and (right or free_to == last_col):
                continue  # it runs over empty cells and stays inside the area
            if free_to > cell.column and not right:
                ws.merge_cells(
                    start_row=cell.row,
                    start_column=cell.column,
                    end_row=cell.row,
                    end_column=free_to,
                )
                merged[(cell.row, cell.column)] = (cell.column, cell.row, free_to, cell.row)
            _wrap(cell)
            done += 1
    return done


def fit_rows(ws: Worksheet, area: Area | None = None) -> int:
    """Raise each row holding wrapped text to the height of its lines (merged cells at
    their merged width); returns the rows raised."""
    merged = _merged_at(ws)
    raised = 0
    rows = ws.iter_rows() if area is None else ws.iter_rows(min_row=area[1], max_row=area[3])
    for row in rows:
        height = 0.0
        for cell in row:
            if not _is_text(cell) or not (cell.alignment and cell.alignment.wrap_text):
                continue
            bold = bool(cell.font and cell.font.b)
            size = (cell.font.sz if cell.font and cell.font.sz else 11) or 11
            lines = wrapped_lines(cell.value, cell_width(ws, cell, merged), bold)
            height = max(height, lines * size * 1.25 + 3)
        if height > DEFAULT_ROW_PT:
            r = row[0].row
            current = ws.row_dimensions[r].height
            if current is None or current < height:
                ws.row_dimensions[r].height = round(height, 1)
                raised += 1
    return raised


def _scale(ws: Worksheet, area: Area) -> float:
    """The scale fit-to-width gives (at most 1)."""
    printable = PAGE_W_PT - 2 * 72 * MARGIN_LR_IN
    wide = sum(width_pt(_width(ws, c)) for c in range(area[0], area[2] + 1))
    return min(1.0, printable / wide) if wide else 1.0


def _one_page(ws: Worksheet, area: Area) -> bool:
    """The area fits one page at a scale of :data:`ONE_PAGE_SCALE` or more."""
    printable = PAGE_H_PT - 2 * 72 * MARGIN_TB_IN
    tall = sum(_row_pt(ws, r) for r in range(area[1], area[3] + 1))
    return min(_scale(ws, area), printable / tall) >= ONE_PAGE_SCALE


def _chart_breaks(ws: Worksheet, area: Area) -> list[int]:
    """Rows after which a page must end so that no chart of ``area`` straddles two pages."""
    charts = [_chart_extent(ws, ch) for ch in getattr(ws, "_charts", [])]
    charts = [ch for ch in charts if area[0] <= ch[0] <= area[2]]
    if not charts:
        return []
    scale = _scale(ws, area)
    titles, _ = _frozen(ws)
    printable = (PAGE_H_PT - 2 * 72 * MARGIN_TB_IN) * PAGE_FILL / scale
    printable -= sum(_row_pt(ws, r) for r in range(1, titles + 1))
    breaks: list[int] = []
    top = area[1]
    used = 0.0
    r = top
    while r <= area[3]:
        h = _row_pt(ws, r)
        if used + h > printable:  # the page ends here, by itself or by a break set here
            cut = min((ch[1] for ch in charts if ch[1] < r <= ch[3]), default=r)
            if top < cut < r:  # a chart would be cut: end the page above it
                breaks.append(cut - 1)
                top, used, r = cut, 0.0, cut
                continue
            top, used = r, 0.0
        used += h
        r += 1
    return breaks


def print_setup(ws: Worksheet, fit_text: bool = True) -> str:
    """Give ``ws`` its print setup (see the module); returns the print area set.

    ``fit_text=False`` leaves column widths and text as they are (a data table, whose
    long tags and notes would otherwise wrap into many more pages)."""
    frozen_rows, frozen_cols = _frozen(ws)
    areas = _areas(ws)
    area = areas[0]
    if fit_text:
        _narrow_text_columns(ws, area[0], area[2], max(frozen_cols, 1))
        _wrap_notes(ws, area)
        fit_rows(ws, area)
    refs = [f"{get_column_letter(a[0])}{a[1]}:{get_column_letter(a[2])}{a[3]}" for a in areas]
    ws.print_area = refs
    if frozen_rows:
        ws.print_title_rows = f"1:{frozen_rows}"
    if frozen_cols and len(areas) == 1:  # not beside a chart printed on a page of its own
        ws.print_title_cols = f"A:{get_column_letter(frozen_cols)}"
    ws.sheet_format.defaultColWidth = DEFAULT_WIDTH  # LibreOffice's own default is wider
    setup = ws.page_setup
    setup.orientation = "landscape"
    setup.paperSize = PAPER_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 1 if len(areas) == 1 and _one_page(ws, area) else 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    m = ws.page_margins
    m.left = m.right = MARGIN_LR_IN
    m.top = m.bottom = MARGIN_TB_IN
    m.header = m.footer = MARGIN_HF_IN
    ws.oddFooter.center.text = "&A, page &P of &N"
    ws.oddFooter.center.size = 8
    ws.print_options.gridLines = False
    ws.row_breaks = RowBreak()
    for r in [] if setup.fitToHeight else _chart_breaks(ws, area):
        ws.row_breaks.append(Break(id=r))
    return ",".join(refs)


def check_cells(ws: Worksheet, names: set[str]) -> list:
    """The cells of ``ws`` that show a check: those under a TRUE/FALSE conditional fill,
    and formulas that are just a check's defined name (``=Master_check``)."""
    out: list = []
    for rng in ws.conditional_formatting:
        if any((rule.formula or [""])[0] in ("TRUE", "FALSE") for rule in rng.rules):
            out.extend(str(rng.sqref).split())
    formulas = {f"={n}".lower() for n in names}
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.lower() in formulas:
                out.append(cell)
    return out


def boolean_format(ws: Worksheet, cells) -> int:
    """Give ``cells`` (cells or ``A1:B2`` ranges of ``ws``) the number format
    :data:`BOOLEAN_FORMAT` where they have none of their own; returns the count."""
    done = 0
    for item in cells:
        if isinstance(item, str):
            min_col, min_row, max_col, max_row = range_boundaries(item)
            targets = [
                c
                for row in ws.iter_rows(
                    min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col
                )
                for c in row
            ]
        else:
            targets = [item]
        for cell in targets:
            if cell.number_format == "General":
                cell.number_format = BOOLEAN_FORMAT
                done += 1
    return done
