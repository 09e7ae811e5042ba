"""The Dashboard sheet: the Checks masters, then the model's story in charts (presentation
only, no numbers typed).

The charts read the SEC filings: trailing capex / operating cash flow by company to the
latest filed quarter, capex against depreciation, CoreWeave's free cash flow and
cumulative burn from its 10-Qs, the runway at the three debt costs and OpenAI's funding
gap by year, then the depreciation debate and the RPO conversion. The charts that follow
the latest filed quarter read a window of quarters that ends there (workings below the
charts: positions on the timeline, found from the data, so a refresh that brings a
quarter moves the window on), and their titles are cells built from the same data. The
report's 表2 snapshot charts sit on the Capex sheet beside their table.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname

from sheets.model.base import Block, Model, Writer, col, fmt_of
from sheets.model.capex import CAPEX_EQUALS_OCF
from sheets.model.filings_capex import HYPERSCALERS
from sheets.model.inputs import RPO_COMPANIES
from sheets.model.latest import quarter_column
from sheets.model.printing import column_width, width_pt
from sheets.model.styles import cell_title
from sheets.model.timeline import quarterly_entities

__all__ = ["DASHBOARD_SHEET", "write_dashboard"]

DASHBOARD_SHEET = "Dashboard"
WIDTH, HEIGHT = 14.0, 7.5  # cm
CHECK_LINES = (  # the Checks sheet's masters (defined names), shown above the charts
    ("Master check", "Master_check", "TRUE when the three below are"),
    ("Integrity", "Check_Integrity", "sums and no error value: must hold whatever the inputs"),
    ("Seed reproduction", "Check_Seed", "the report's figures; n/a where an input is changed"),
    ("Reconciliation", "Check_Reconciliation", "filings against the report"),
)
FIRST_CHART_ROW = 4 + len(CHECK_LINES) + 1
WINDOW = 12
"""Quarters shown in the charts that end at the latest filed quarter (three years)."""
ROWS_PER_CHART = 16
ACROSS = 3  # charts side by side: eight charts and the masters on one landscape page
CHART_ROWS = 15  # rows from one chart's top to the next one's (7.5 cm is 14.2 rows of 15 pt)
GAP = 0.5  # cm between the two columns of charts


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


def _move_table2_charts(model: Model) -> None:
    """The report's 表2 snapshot (capex, and capex / OCF with the 100% line) on the Capex
    sheet, to the right of the 表2 blocks."""
    b = model.blocks
    ws = model.wb[b["capex"].sheet]
    right = max(max(b["capex"].columns.values()), max(b["capex_reported_to_ocf"].columns.values()))
    c1 = LineChart()
    _series(c1, model, b["capex"], ["Amazon", "Microsoft", "Alphabet", "Meta", "Oracle"])
    _style(
        c1, f"Capex by company, US$m per quarter, {_span(model, b['capex'])} (表2)", "US$m", "#,##0"
    )
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
    anchor = col(right + 12)
    ws.add_chart(c1, f"{anchor}{b['capex'].first - 2}")
    ws.add_chart(c2, f"{anchor}{b['capex'].first + ROWS_PER_CHART - 2}")


class _Workings:
    """The chart data below the charts: windows of quarters found from the data."""

    def __init__(self, model: Model, w: Writer):
        self.model, self.w = model, w
        self.sheet = quote_sheetname(w.title)

    def window(self, title: str, latest: str, series: dict[str, str], fmt: str) -> Block:
        """The :data:`WINDOW` quarters to timeline position ``latest`` (a reference): one
        row a quarter, column A its label (a formula), one column per ``series`` (name ->
        a whole-timeline range), ``""`` before the timeline starts."""
        pivot = self.model.pivot
        assert pivot is not None
        w = self.w
        w.section(title)
        names = ["Quarters back", "Position", *series]
        w.header("Quarter", "", names)
        first = w.row
        last = first + WINDOW - 1
        w.row = last + 1
        back_col, pos_col = Writer.FIRST, Writer.FIRST + 1
        for k in range(WINDOW):
            r = first + k
            pos = f"${col(pos_col)}{r}"
            w.ws.cell(row=r, column=back_col, value=WINDOW - 1 - k)  # a label: the row's offset
            w.put(r, pos_col, f"={latest}-{col(back_col)}{r}", fmt_of("count"))
            w.put(r, 1, f'=IF({pos}>0,INDEX({quarter_column(pivot)},{pos}),"")')
            for j, rng_ in enumerate(series.values(), start=1):
                w.put(r, pos_col + j, f'=IF({pos}>0,INDEX({rng_},{pos}),"")', fmt)
        return Block(w.title, first, last, {n: back_col + j for j, n in enumerate(names)})

    def title(self, formula: str, text: str) -> tuple[str, str]:
        """A chart title cell (column A of the current row); returns (reference, text)."""
        r = self.w.row
        self.w.put(r, 1, formula)
        self.w.row += 1
        return f"{self.sheet}!$A${r}", text


def _filings_charts(model: Model, w: Writer, k: _Workings) -> list:
    """The charts on the filings, with their data and title cells below the charts."""
    b = model.blocks
    pivot, timeline = model.pivot, model.timeline
    assert pivot is not None and timeline is not None
    entities = quarterly_entities(model.data)
    answers = b["filings_answers"]
    numbers = answers.range("Timeline number", sheet=True)
    latest_q = timeline.latest_filed
    charts = []
    w.section("Chart data (workings): positions and windows found from the filings")
    w.header("Measure", "", ["Value"])
    latest_row, _ = w.labels(
        ["Latest filed quarter of any company: position", "CoreWeave's latest filed: position"]
    )
    latest = f"$C${latest_row}"
    w.put(latest_row, Writer.FIRST, f"=MAX({numbers})", fmt_of("count"))
    cw_latest = f"$C${latest_row + 1}"
    w.put(
        latest_row + 1,
        Writer.FIRST,
        f"={answers.ref('Timeline number', entities.index('CoreWeave'))}",
        fmt_of("count"),
    )

    # 1. TTM capex / TTM OCF, the hyperscalers, with the 100% line
    ratio = b["filings_capex_to_ocf_ttm"]
    shown = [e for e in HYPERSCALERS if e in entities]
    series = {e: ratio.range(e, sheet=True) for e in shown}
    win = k.window(
        "Capex / operating cash flow, TTM (Capex sheet), the window to the latest quarter",
        latest,
        series,
        fmt_of("pct"),
    )
    line = max(win.columns.values()) + 1
    w.ws.cell(row=win.first - 1, column=line, value="100%: capex = OCF")
    for r in range(win.first, win.last + 1):
        w.put(r, line, "=1", fmt_of("pct"))
    win.columns["100%: capex = OCF"] = line
    first_q, last_q = f"$A${win.first}", f"$A${win.last}"
    c1 = LineChart()
    _series(c1, model, win, [*shown, "100%: capex = OCF"])
    _style(c1, "", "", "0%")
    text = (
        f"Capex / operating cash flow, TTM, to {latest_q} (SEC filings): above 100%, capex "
        "exceeds OCF"
    )
    cell_title(
        c1,
        *k.title(
            f'="Capex / operating cash flow, TTM, "&{first_q}&" to "&{last_q}&'
            '" (SEC filings): above 100%, capex exceeds OCF"',
            text,
        ),
    )
    c1.y_axis.scaling.min = 0
    c1.y_axis.scaling.max = 2
    c1.series[-1].graphicalProperties.line.dashStyle = "dash"
    c1.series[-1].graphicalProperties.line.solidFill = "C00000"
    charts.append(c1)

    # 2. capex and D&A, TTM at each company's latest filed quarter
    w.section("Capex and D&A, TTM to each company's latest filed quarter, US$bn")
    w.header("Company", "USD_bn", ["Quarter", "Capex, TTM", "D&A, TTM"])
    first, last = w.labels(entities, "USD_bn")
    all_numbers = pivot.numbers_range()
    for i, e in enumerate(entities):
        r = first + i
        pos = answers.ref("Timeline number", i)
        w.put(r, Writer.FIRST, f"={answers.ref('Latest filed quarter', i)}", link=True)
        capex = answers.ref("Capex, TTM", i)
        w.put(
            r,
            Writer.FIRST + 1,
            f'=IF(ISNUMBER({capex}),{capex}/USDm_per_USDbn,"")',
            fmt_of("USD_bn"),
            link=True,
        )
        w.put(
            r,
            Writer.FIRST + 2,
            f"=IF(ISNUMBER({capex}),SUMIFS({pivot.range(e, 'da')},{all_numbers},"
            f'">"&({pos}-TTM_window),{all_numbers},"<="&{pos})/USDm_per_USDbn,"")',
            fmt_of("USD_bn"),
        )
    cd = Block(
        w.title,
        first,
        last,
        {"Quarter": Writer.FIRST, "Capex, TTM": Writer.FIRST + 1, "D&A, TTM": Writer.FIRST + 2},
    )
    b["dashboard_capex_da"] = cd
    c2 = BarChart()
    _series(c2, model, cd, ["Capex, TTM", "D&A, TTM"])
    _style(c2, "", "US$bn", "#,##0")
    cell_title(
        c2,
        *k.title(
            f'="Capex and D&A by company, TTM to the latest filed quarter ("&{latest_q_ref(win)}'
            '&"), US$bn (SEC filings)"',
            f"Capex and D&A by company, TTM to the latest filed quarter ({latest_q}), US$bn "
            "(SEC filings)",
        ),
    )
    charts.append(c2)

    # 3. CoreWeave free cash flow per quarter and cumulative burn (10-Qs)
    fcf = b["filings_fcf"]
    cw = k.window(
        "CoreWeave free cash flow per quarter (Capex sheet) and cumulative over the window, US$m",
        cw_latest,
        {"Free cash flow": fcf.range("CoreWeave", sheet=True)},
        fmt_of("USD_m"),
    )
    cum = max(cw.columns.values()) + 1
    w.ws.cell(row=cw.first - 1, column=cum, value="Cumulative")
    fc = col(cw.columns["Free cash flow"])
    for r in range(cw.first, cw.last + 1):
        prev = f"{col(cum)}{r - 1}+" if r > cw.first else ""
        w.put(r, cum, f"={prev}N({fc}{r})", fmt_of("USD_m"))
    cw.columns["Cumulative"] = cum
    b["dashboard_coreweave_fcf"] = cw
    c3 = BarChart()
    _series(c3, model, cw, ["Free cash flow"])
    _style(c3, "", "US$m", "#,##0")
    cum_line = LineChart()
    _series(cum_line, model, cw, ["Cumulative"])
    cum_line.y_axis.axId = 200
    cum_line.y_axis.title = "Cumulative, US$m"
    cum_line.y_axis.crosses = "max"
    c3 += cum_line
    cell_title(
        c3,
        *k.title(
            f'="CoreWeave free cash flow per quarter and cumulative, "&$A${cw.first}&" to "'
            f'&$A${cw.last}&" (10-Qs), US$m: negative = burn"',
            f"CoreWeave free cash flow per quarter and cumulative, to {latest_q} (10-Qs), "
            "US$m: negative = burn",
        ),
    )
    charts.append(c3)

    # 4. runway at the three debt costs (Financing's answer)
    fin = b["financing_answer"]
    c4 = BarChart()
    _series(c4, model, fin, [f"Runway at rate {j + 1}" for j in range(3)])
    _style(c4, "", "quarters", "0.0")
    fin_sheet = quote_sheetname(fin.sheet)
    cash_q = f"{fin_sheet}!${col(fin.columns['Cash: quarter'])}${fin.first}"
    rate = model.blocks["financing_rates"]
    refs = [rate.ref(name, 0) for name in rate.columns]
    rates = '&"/"&'.join(f'TEXT({r},"0%")' for r in refs)  # 11%/13%/15%
    cell_title(
        c4,
        *k.title(
            f'="Runway in quarters at debt cost "&{rates}&", from cash at "&{cash_q}'
            '&" (Financing; committed capex, no new equity)"',
            f"Runway in quarters at debt cost 11/13/15%, from cash at {latest_q} (Financing; "
            "committed capex, no new equity)",
        ),
    )
    charts.append(c4)

    # 5. OpenAI's funding gap by year
    path = b["openai_net"]
    c5 = BarChart()
    _series(c5, model, path, ["Gap net of funding"])
    _style(c5, "", "US$bn", "#,##0")
    gap_line = LineChart()
    _series(gap_line, model, path, ["Cumulative"])
    gap_line.y_axis.axId = 300
    gap_line.y_axis.title = "Cumulative, US$bn"
    gap_line.y_axis.crosses = "max"
    c5 += gap_line
    c5.title = (
        f"OpenAI funding gap net of funding, by year and cumulative, {_span(model, path)}, "
        "US$bn (OpenAI)"
    )
    charts.append(c5)
    return charts


def latest_q_ref(win: Block) -> str:
    """The window's last quarter label (the latest filed quarter)."""
    return f"$A${win.last}"


def write_dashboard(model: Model) -> None:
    w = Writer(
        model,
        DASHBOARD_SHEET,
        "Capex against cash flow on the filings, what longer lives do to earnings, how fast "
        "backlog turns into revenue, how fast a neocloud burns cash and OpenAI's gap.",
        tab="70AD47",
    )
    b = model.blocks
    for k, (label, name, note) in enumerate(CHECK_LINES):
        r = 4 + k
        w.ws.cell(row=r, column=1, value=label).font = Font(name="Calibri", bold=k == 0)
        w.ws.cell(row=r, column=5, value=f"={name}").font = Font(name="Calibri", bold=True)
        w.ws.cell(row=r, column=6, value=note)
    _move_table2_charts(model)

    charts = []
    if model.pivot is not None and "filings_answers" in b:
        n_charts = 8
        w.row = FIRST_CHART_ROW + -(-n_charts // ACROSS) * CHART_ROWS + 1
        charts += _filings_charts(model, w, _Workings(model, w))

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

    w.ws.column_dimensions["A"].width = 10
    lefts = ["A"] + [_column_after(w.ws, k * (WIDTH + GAP)) for k in range(1, ACROSS)]
    for k, chart in enumerate(charts):
        row = FIRST_CHART_ROW + (k // ACROSS) * CHART_ROWS
        w.ws.add_chart(chart, f"{lefts[k % ACROSS]}{row}")
    # the page: the masters and the charts; the charts' data below them stay on screen
    last = FIRST_CHART_ROW + -(-len(charts) // ACROSS) * CHART_ROWS - 1
    edge = _column_after(w.ws, ACROSS * WIDTH + (ACROSS - 1) * GAP)
    w.ws.print_area = f"A1:{edge}{last}"
    w.ws.freeze_panes = "A4"  # title and links stay; no frozen columns across the charts
