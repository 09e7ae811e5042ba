"""The Dashboard sheet: the Checks masters, then the model's story in charts (presentation
only, no numbers typed)."""

from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from sheets.model.base import Block, Model, Writer
from sheets.model.capex import CAPEX_EQUALS_OCF
from sheets.model.inputs import RPO_COMPANIES
from sheets.model.printing import column_width, width_pt

__all__ = ["DASHBOARD_SHEET", "write_dashboard"]

DASHBOARD_SHEET = "Dashboard"
WIDTH, HEIGHT = 16.0, 7.5  # cm
CHECK_LINES = (  # the Checks sheet's masters (defined names), shown above the charts
    ("Master check", "Master_check", "TRUE when the three below are"),
    ("Integrity", "Check_Integrity", "sums and no error value: must hold whatever the inputs"),
    ("Seed reproduction", "Check_Seed", "the report's figures; n/a where an input is changed"),
    ("Reconciliation", "Check_Reconciliation", "filings against the report"),
)
FIRST_CHART_ROW = 4 + len(CHECK_LINES) + 1
GAP = 0.5  # cm between the two columns of charts
CHART_ROWS = 15  # rows from one chart's top to the next one's (7.5 cm is 14.2 rows of 15 pt)


def _column_after(ws, cm: float) -> str:
    """The first column whose left edge is at least ``cm`` from the sheet's left edge: the
    second column of charts starts just after the first, so the pair prints on one page."""
    column, left = 1, 0.0
    while left < cm * 72 / 2.54:
        left += width_pt(column_width(ws, column))
        column += 1
    return get_column_letter(column)


def _series(chart, model: Model, block: Block, names: list[str]) -> None:
    ws = model.wb[block.sheet]
    for name in names:
        c = block.columns[name]
        data = Reference(ws, min_col=c, max_col=c, min_row=block.first - 1, max_row=block.last)
        chart.add_data(data, titles_from_data=True)
    cats = Reference(ws, min_col=1, max_col=1, min_row=block.first, max_row=block.last)
    chart.set_categories(cats)


def _span(model: Model, block: Block) -> str:
    """The block's first and last period labels (column A), e.g. ``2024Q1-2025Q3``."""
    ws = model.wb[block.sheet]
    first, last = ws.cell(block.first, 1).value, ws.cell(block.last, 1).value
    return f"{first}-{last}"


def _balance_dates() -> str:
    """The RPO balance dates, e.g. ``Oracle 2025-11, the others 2025-09``."""
    dates: dict[str, list[str]] = {}
    for company, _, period in RPO_COMPANIES:
        dates.setdefault(period, []).append(company)
    if len(dates) == 1:
        return f"all at {next(iter(dates))}"
    common = max(dates, key=lambda d: len(dates[d]))
    odd = ", ".join(f"{' and '.join(c)} {d}" for d, c in dates.items() if d != common)
    return f"{odd}, the others {common}"


def _style(chart, title: str, y_title: str, fmt: str) -> None:
    chart.title = title
    if y_title:
        chart.y_axis.title = y_title
    chart.y_axis.numFmt = fmt
    chart.y_axis.majorGridlines = None
    chart.width, chart.height = WIDTH, HEIGHT
    chart.legend.position = "b"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.tickLblPos = "low"
    for series in chart.series:
        series.smooth = False


def write_dashboard(model: Model) -> None:
    w = Writer(
        model,
        DASHBOARD_SHEET,
        "Capex against cash flow, what longer lives do to earnings, how fast backlog "
        "turns into revenue, and how fast a neocloud burns cash.",
        tab="70AD47",
    )
    b = model.blocks
    for k, (label, name, note) in enumerate(CHECK_LINES):
        r = 4 + k
        w.ws.cell(row=r, column=1, value=label).font = Font(name="Calibri", bold=k == 0)
        w.ws.cell(row=r, column=5, value=f"={name}").font = Font(name="Calibri", bold=True)
        w.ws.cell(row=r, column=6, value=note)
    charts = []

    c1 = LineChart()
    _series(c1, model, b["capex"], ["Amazon", "Microsoft", "Alphabet", "Meta", "Oracle"])
    _style(
        c1, f"Capex by company, US$m per quarter, {_span(model, b['capex'])} (表2)", "US$m", "#,##0"
    )
    charts.append(c1)

    c2 = BarChart()
    _series(
        c2, model, b["capex_reported_to_ocf"], ["Amazon", "Microsoft", "Alphabet", "Meta", "Oracle"]
    )
    _style(
        c2,
        f"Capex / operating cash flow, {_span(model, b['capex_reported_to_ocf'])} (表2): "
        "above the 100% line, capex exceeds OCF",
        "",
        "0%",
    )
    hundred = LineChart()  # the 100% reference on the bars' axes
    _series(hundred, model, b["capex_equals_ocf"], [CAPEX_EQUALS_OCF])
    hundred.series[0].smooth = False
    hundred.series[0].marker.symbol = "none"
    hundred.series[0].graphicalProperties.line.dashStyle = "dash"
    hundred.series[0].graphicalProperties.line.solidFill = "C00000"
    c2 += hundred
    charts.append(c2)

    c3 = LineChart()
    _series(c3, model, b["dd_annual_total"], ["reported lives", "economic life"])
    _style(
        c3,
        f"D&A of the four hyperscalers, {_span(model, b['dd_annual_total'])}: reported lives "
        "vs economic life, US$bn",
        "US$bn",
        "#,##0",
    )
    charts.append(c3)

    c4 = BarChart()
    _series(c4, model, b["dd_uplift"], ["Amazon", "Microsoft", "Alphabet", "Meta"])
    c4.grouping = "stacked"
    c4.overlap = 100
    _style(
        c4,
        f"Operating income uplift, {_span(model, b['dd_uplift'])}: reported lives vs economic "
        "life, US$bn",
        "US$bn",
        "#,##0",
    )
    charts.append(c4)

    c5 = BarChart()
    _series(c5, model, b["rpo_by_year"], ["Oracle", "Microsoft", "Google Cloud", "AWS"])
    _style(
        c5,
        f"RPO converted into revenue, by year after the balance date ({_balance_dates()}), US$bn",
        "US$bn",
        "#,##0",
    )
    charts.append(c5)

    c6 = BarChart()
    _series(c6, model, b["coreweave_fcf"], ["Free cash flow"])
    _style(
        c6,
        f"CoreWeave free cash flow per quarter, {_span(model, b['coreweave_fcf'])}, US$m "
        "(negative = burn)",
        "US$m",
        "#,##0",
    )
    line = LineChart()
    _series(line, model, b["coreweave_cum"], ["Cumulative"])
    line.y_axis.axId = 200
    line.y_axis.title = "Cumulative burn, US$m"
    line.y_axis.crosses = "max"
    c6 += line
    charts.append(c6)

    w.ws.column_dimensions["A"].width = 10
    right = _column_after(w.ws, WIDTH + GAP)
    for k, chart in enumerate(charts):
        row = FIRST_CHART_ROW + (k // 2) * CHART_ROWS
        column = "A" if k % 2 == 0 else right
        w.ws.add_chart(chart, f"{column}{row}")
    w.ws.freeze_panes = "A4"  # title and links stay; no frozen columns across the charts
