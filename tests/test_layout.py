"""The workbook's layout (FAST standard, issue 13 point 6): every model sheet links back to
README and on to Checks, keeps its title and labels in view, shows its headings whole;
README links each model sheet; every Dashboard chart names its period."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

from sheets.model.assemble import MODEL_SHEETS, README_SHEET, navigation
from sheets.model.capex import CAPEX_EQUALS_OCF
from sheets.model.dashboard import DASHBOARD_SHEET
from sheets.model.styles import HEADER_FILL, NAV_ROW, _lines

YEAR = re.compile(r"20\d\d")


@pytest.fixture(scope="module")
def workbook(built_model):
    return load_workbook(built_model, keep_vba=True)


def _target(cell) -> str | None:
    """The sheet an internal hyperlink points at, or None."""
    link = cell.hyperlink
    if link is None or not link.location:
        return None
    sheet = link.location.rsplit("!", 1)[0]
    return sheet.strip("'").replace("''", "'")


def _title(chart) -> str:
    """A chart's title: its text, or for a title read from a cell the cached text."""
    tx = chart.title.tx
    if tx.strRef is not None:
        return "".join(pt.v for pt in tx.strRef.strCache.pt)
    return "".join(run.t for p in tx.rich.p for run in (p.r or []))


@pytest.mark.parametrize("sheet", MODEL_SHEETS)
def test_navigation_links(workbook, sheet):
    ws = workbook[sheet]
    links = [(c.value, _target(c)) for c in ws[NAV_ROW] if c.hyperlink is not None]
    assert links == navigation(sheet)
    assert links[0][1] == README_SHEET
    for _, target in links:
        assert target in workbook.sheetnames
        assert target != sheet


@pytest.mark.parametrize("sheet", MODEL_SHEETS)
def test_freeze_panes_keep_title_and_links(workbook, sheet):
    frozen = workbook[sheet].freeze_panes
    assert frozen is not None
    row = int("".join(ch for ch in frozen if ch.isdigit()))
    assert row > NAV_ROW


def test_readme_links_every_model_sheet(workbook):
    ws = workbook[README_SHEET]
    linked = {_target(c) for row in ws.iter_rows() for c in row if c.hyperlink is not None}
    assert set(MODEL_SHEETS) <= linked
    for row in ws.iter_rows():
        for c in row:
            if c.hyperlink is not None:
                assert c.value == _target(c)


def test_dashboard_chart_titles_name_their_period(workbook):
    charts = workbook[DASHBOARD_SHEET]._charts
    assert len(charts) >= 6
    for chart in charts:
        assert YEAR.search(_title(chart)), _title(chart)


def _column_of(ref: str) -> tuple[str, int, int]:
    first, last = ref.split("!")[1].replace("$", "").split(":")
    column = "".join(ch for ch in first if ch.isalpha())
    top = int("".join(ch for ch in first if ch.isdigit()))
    return column, top, int("".join(ch for ch in last if ch.isdigit()))


def test_the_filed_capex_to_ocf_chart_has_its_100_percent_line(workbook):
    """The Dashboard's TTM chart (filings): its last series is the 100% line."""
    ws = workbook[DASHBOARD_SHEET]
    (chart,) = [c for c in ws._charts if "operating cash flow, TTM" in _title(c)]
    column, top, bottom = _column_of(chart.series[-1].val.numRef.f)
    assert ws[f"{column}{top - 1}"].value == "100%: capex = OCF"
    assert all(ws[f"{column}{r}"].value == "=1" for r in range(top, bottom + 1))


def test_capex_to_ocf_chart_has_its_100_percent_line(workbook):
    """The report's 表2 snapshot chart, now on the Capex sheet beside its table."""
    ws = workbook["Capex"]
    (chart,) = [c for c in ws._charts if "(表2)" in _title(c) and "operating cash" in _title(c)]
    assert not [c for c in workbook[DASHBOARD_SHEET]._charts if "表2" in _title(c)]
    lines = [s for sub in chart._charts[1:] for s in sub.series]
    assert len(lines) == 1
    ref = lines[0].val.numRef.f.split("!")[1].replace("$", "")
    first, last = ref.split(":")
    column = "".join(ch for ch in first if ch.isalpha())
    top = int("".join(ch for ch in first if ch.isdigit()))
    bottom = int("".join(ch for ch in last if ch.isdigit()))
    assert ws[f"{column}{top - 1}"].value == CAPEX_EQUALS_OCF
    assert all(ws[f"{column}{r}"].value == "=1" for r in range(top, bottom + 1))


@pytest.mark.parametrize("sheet", MODEL_SHEETS)
def test_header_rows_are_tall_enough_for_their_headings(workbook, sheet):
    ws = workbook[sheet]
    for row in ws.iter_rows():
        for cell in row:
            if (
                not isinstance(cell.value, str)
                or cell.fill.fgColor.rgb != HEADER_FILL.fgColor.rgb
                or not cell.alignment.wrap_text
            ):
                continue
            width = ws.column_dimensions[cell.column_letter].width or 8.43
            lines = _lines(cell.value, width)
            if lines > 1:
                height = ws.row_dimensions[cell.row].height
                assert height is not None and height >= 15 * lines, (cell.coordinate, cell.value)


def test_named_headings_fit():
    assert _lines("Amazon with change", 14) == 2
    assert _lines("OpenAI share of RPO", 14) == 2
    assert _lines("Period", 14) == 1
