"""Print-ready sheets (issue 18, part 1): every model sheet's print setup, checks shown as
TRUE/FALSE, and the values snapshot printed by LibreOffice in a readable number of pages
with its booleans as TRUE/FALSE."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries

from sheets.evaluate.libreoffice import convert
from sheets.model.assemble import MODEL_SHEETS, README_SHEET
from sheets.model.printing import BOOLEAN_FORMAT, MIN_TEXT_WIDTH, PAGE_WIDTH, _chart_extent

from .oracle import require_soffice

PRINTED = (README_SHEET, *MODEL_SHEETS)
SNAPSHOT_PAGES = 180
"""Bound on the snapshot's PDF pages, every sheet printed: 754 before any print setup,
159 with it (LibreOffice 7.4, data of 2026-12: 101 for the model sheets, 58 for the data
sheets, 29 of them sec_filings and 8 dd_fit)."""
MODEL_PAGES = 110
"""Bound on the pages of the model sheets (README to Outputs) within it: 101 measured."""


@pytest.fixture(scope="module")
def book(built_model):
    return load_workbook(built_model, keep_vba=True)


def _areas(ws) -> list[tuple[int, int, int, int]]:
    return [
        range_boundaries(ref.split("!")[-1].replace("$", ""))
        for ref in str(ws.print_area).split(",")
    ]


def _area(ws) -> tuple[int, int, int, int]:
    return _areas(ws)[0]


def _text_column(ws, column: int) -> bool:
    """Mostly text below the title rows (two text cells or more for each other cell)."""
    cells = [c.value for c in ws[get_column_letter(column)][3:] if c.value is not None]
    text = sum(isinstance(v, str) and not v.startswith("=") for v in cells)
    return text >= 2 * (len(cells) - text) and text > 0


def _width(ws, column: int) -> float:
    dim = ws.column_dimensions.get(get_column_letter(column))
    return dim.width if dim is not None and dim.width else 8.43


@pytest.mark.parametrize("name", PRINTED)
def test_every_model_sheet_prints_landscape_one_page_wide(book, name):
    ws = book[name]
    setup = ws.page_setup
    assert setup.orientation == "landscape"
    assert int(setup.fitToWidth) == 1
    # one page tall only for a sheet that fits one page: the Dashboard
    assert int(setup.fitToHeight) == (1 if name == "Dashboard" else 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_area, f"{name} has no print area"
    assert "&A" in ws.oddFooter.center.text and "&P" in ws.oddFooter.center.text


@pytest.mark.parametrize("name", PRINTED)
def test_print_titles_are_the_frozen_rows_and_columns(book, name):
    ws = book[name]
    if not ws.freeze_panes:
        assert ws.print_title_rows is None and ws.print_title_cols is None
        return
    col, row = range_boundaries(ws.freeze_panes + ":" + ws.freeze_panes)[:2]
    assert ws.print_title_rows == (f"$1:${row - 1}" if row > 1 else None)
    if col > 1 and "," not in str(ws.print_area):
        assert ws.print_title_cols == f"$A:${get_column_letter(col - 1)}"
    else:
        assert ws.print_title_cols is None


@pytest.mark.parametrize("name", PRINTED)
def test_the_print_area_holds_the_sheets_content(book, name):
    """Every filled cell is in the first print range and every chart in a range (a chart
    beside a table that is already a page wide is a range, and pages, of its own);
    Financing stops above its grid workings (48 columns of intermediate sums), the
    Dashboard at its last chart (the charts' data below stay on screen)."""
    ws = book[name]
    areas = _areas(ws)
    min_col, min_row, max_col, max_row = areas[0]
    assert (min_col, min_row) == (1, 1)
    cells = [(c.column, c.row) for row in ws.iter_rows() for c in row if c.value is not None]
    if name == "Financing":
        workings = next(
            c.row
            for c in ws["A"]
            if isinstance(c.value, str) and c.value.startswith("Grid workings")
        )
        assert max_row == workings - 2
        cells = [(c, r) for c, r in cells if r < workings]
    if name == "Dashboard":
        bottom = max(_chart_extent(ws, chart)[3] for chart in ws._charts)
        assert max_row == bottom
        cells = [(c, r) for c, r in cells if r <= bottom]
    if ws._charts:  # the first range may widen and lengthen for charts among the cells
        assert max(c for c, _ in cells) <= max_col and max(r for _, r in cells) <= max_row
    else:
        assert (max(c for c, _ in cells), max(r for _, r in cells)) == (max_col, max_row)
    for chart in ws._charts:
        anchor = chart.anchor._from
        top_left = (anchor.col + 1, anchor.row + 1)
        assert any(a[0] <= top_left[0] <= a[2] and a[1] <= top_left[1] <= a[3] for a in areas)


@pytest.mark.parametrize("name", PRINTED)
def test_text_columns_are_bounded_and_long_notes_wrap(book, name):
    """No text column is wider than the page allows, and no text runs past the print
    area's right edge: a note longer than its cell wraps (merged to the edge or not)."""
    ws = book[name]
    min_col, _, max_col, max_row = _area(ws)
    widths = {c: _width(ws, c) for c in range(min_col, max_col + 1)}
    for row in ws.iter_rows(min_row=1, max_row=max_row, max_col=max_col):
        for cell in row:
            if (
                not isinstance(cell.value, str)
                or cell.value.startswith("=")
                or cell.alignment.wrap_text
            ):
                continue
            size = sum(2 if ord(ch) > 0x2E80 else 1 for ch in cell.value)
            room = sum(widths[c] for c in range(cell.column, max_col + 1))
            assert size <= room, (name, cell.coordinate, size, room)
    if sum(widths.values()) > PAGE_WIDTH:  # too wide: no text column is left wider than
        texts = [  # the minimum, so only columns of numbers make the page wide
            c for c in range(3, max_col + 1) if widths[c] > MIN_TEXT_WIDTH and _text_column(ws, c)
        ]
        assert texts == [], (name, texts)


def test_checks_are_formatted_to_read_true_false(book):
    ws = book["Checks"]
    statuses = [c for c in ws["K"][6:] if isinstance(c.value, str) and c.value.startswith("=")]
    assert statuses and all(c.number_format == BOOLEAN_FORMAT for c in statuses)
    assert ws["D4"].number_format == BOOLEAN_FORMAT  # the master check
    readme = book[README_SHEET]
    masters = [
        c for row in readme.iter_rows() for c in row if str(c.value).startswith("=Master_check")
    ]
    assert masters and all(c.number_format == BOOLEAN_FORMAT for c in masters)


@pytest.fixture(scope="module")
def snapshot_pdf(built_model, tmp_path_factory):
    require_soffice()
    from sheets.cli import main

    folder = tmp_path_factory.mktemp("print")
    snap = folder / "aim-values.xlsx"
    assert main(["snapshot", str(built_model), "--out", str(snap)]) == 0
    return snap, convert(snap, "pdf", folder)


def _pages_per_sheet(pdf) -> dict[str, int]:
    """Pages per sheet, from the footer each page prints (``Capex, page 3 of 152``)."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    out: dict[str, int] = {}
    for page in text.split("\f"):
        found = re.findall(r"(\S[^\n]*?), page \d+ of \d+", page)
        if found:
            name = found[-1].strip()
            out[name] = out.get(name, 0) + 1
    return out


def _pages(pdf) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)[1])


@pytest.mark.libreoffice
def test_the_snapshot_prints_in_a_readable_number_of_pages(snapshot_pdf):
    if not shutil.which("pdfinfo"):
        pytest.skip("poppler-utils (pdfinfo) is not installed")
    _, pdf = snapshot_pdf
    pages = _pages(pdf)
    per_sheet = _pages_per_sheet(pdf)
    model = sum(per_sheet.get(name, 0) for name in PRINTED)
    print(f"snapshot PDF: {pages} pages, {model} of them the model sheets: {per_sheet}")
    assert pages <= SNAPSHOT_PAGES
    assert model <= MODEL_PAGES
    assert sum(per_sheet.values()) == pages  # every page carries its sheet's footer
    assert per_sheet["Dashboard"] == 1  # eight charts and the masters, whole on one page


@pytest.mark.libreoffice
def test_libreoffice_prints_checks_as_true_false(snapshot_pdf):
    """On paper the masters read TRUE. Without the boolean format LibreOffice prints the
    Dashboard's masters as 1 (measured: the snapshot before this setup printed
    "Master check 1 TRUE when the three below are"); the README's and the Checks' as well
    must read TRUE."""
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) is not installed")
    _, pdf = snapshot_pdf
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")

    def master_lines(sheet: str) -> list[list[str]]:
        mine = [p for p in pages if re.search(rf"{sheet}, page \d+ of \d+", p)]
        assert mine, sheet
        return [
            line.split()
            for p in mine
            for line in p.splitlines()
            if line.strip().startswith("Master check")
        ]

    (dashboard,) = master_lines("Dashboard")
    assert dashboard[2] == "TRUE" and dashboard[3:5] == ["TRUE", "when"], dashboard
    readme = master_lines("README")
    assert readme and readme[0][2] == "TRUE", readme
    checks = master_lines("Checks")
    assert checks and all(words[2] == "TRUE" for words in checks), checks
    for p in pages:  # the holds and status columns: no check shows 1 or 0
        if re.search(r"Checks, page \d+ of \d+", p):
            for line in p.splitlines():
                if re.match(r"^\s*\d+\s*No error value on", line):
                    assert line.split()[-1] == "TRUE", line
