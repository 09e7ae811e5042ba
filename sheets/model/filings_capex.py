"""The Capex sheet's filings section: capex against revenue and OCF, quarter by quarter.

Every series runs down the model's whole timeline (2015Q1 to the last forecast quarter)
and reads the ``sec_quarterly`` sheet by position, so a refresh that brings a new quarter
fills the next row and moves every trailing-twelve-month figure and the "latest filed
quarter" answers at the top one quarter on, with no formula edited. Rows with no filing
yet (forecast quarters, a company not fetched) show empty cells, never zeros.
"""

from __future__ import annotations

from openpyxl.chart import LineChart, Reference

from sheets.model.base import Block, Model, Writer, array_block, col, fmt_of
from sheets.model.styles import style_header, style_link
from sheets.model.timeline import PivotLayout, quarterly_entities

__all__ = ["HEADLINE", "write_filings_capex"]

HEADLINE = (
    ("Latest filed quarter", ""),
    ("Capex, TTM", "USD_m"),
    ("Revenue, TTM", "USD_m"),
    ("Operating cash flow, TTM", "USD_m"),
    ("Free cash flow, TTM", "USD_m"),
    ("Capex / revenue, TTM", "pct"),
    ("Capex / OCF, TTM", "pct"),
)
"""The answers at the top of the sheet, per company, at its latest filed quarter."""
HYPERSCALERS = ("Microsoft", "Amazon", "Alphabet", "Meta", "Oracle")
"""The companies the capex/OCF chart shows (a neocloud's several hundred percent would
flatten their lines; its figures are in the tables)."""


def _pivot_block(
    w: Writer, pivot: PivotLayout, entities: list[str], metric: str, title: str, note: str = ""
) -> Block:
    """Links to one metric of every company: the filed value, or empty where none is filed."""

    def link(entity: str) -> tuple[str, int]:
        ref = pivot.range(entity, metric)
        return f'=IF(ISNUMBER({ref}),{ref},"")', len(pivot.quarters)

    block = array_block(w, title, "USD_m", list(pivot.quarters), entities, link, note=note)
    for c in block.columns.values():
        for r in range(block.first, block.last + 1):
            style_link(w.ws.cell(row=r, column=c))
    return block


def write_filings_capex(model: Model, w: Writer) -> None:
    """The headline answers, then the quarterly and trailing series they come from."""
    pivot = model.pivot
    assert pivot is not None and model.timeline is not None
    entities = quarterly_entities(model.data)
    periods = list(pivot.quarters)
    n = len(periods)

    w.section(
        "The answer: at each company's latest filed quarter (SEC filings)",
        "Trailing twelve months (TTM) = the latest four quarters. Capex / OCF above 100%: "
        "capex larger than operating cash flow. Empty: no filings in data/ yet (aimodel fetch).",
    )
    head_row = w.header("Company", "", [label for label, _ in HEADLINE])
    first_answer = w.row
    w.labels(entities)
    w.note(
        "Capex as filed in the cash-flow statement (purchases of property and equipment); "
        "Microsoft's and Meta's own 'capital expenditures' (and 表2) add finance leases."
    )

    capex = _pivot_block(w, pivot, entities, "capex", "Capex, US$m (SEC filings)")
    revenue = _pivot_block(w, pivot, entities, "revenue", "Revenue, US$m (SEC filings)")
    ocf = _pivot_block(w, pivot, entities, "ocf", "Operating cash flow, US$m (SEC filings)")
    lease = _pivot_block(
        w,
        pivot,
        entities,
        "finance_lease_principal",
        "Principal repayments of finance leases, US$m (SEC filings, where filed)",
        note="Empty where the company files none (or the tag is not in data/): FCF is then "
        "before finance leases.",
    )

    def fcf_formula(entity: str) -> tuple[str, int]:
        o, c = ocf.range(entity), capex.range(entity)
        f = lease.range(entity)
        return (
            f'=IF(ISNUMBER({o})*ISNUMBER({c}),{o}-{c}-IF(ISNUMBER({f}),{f},0),"")',
            n,
        )

    fcf = array_block(
        w,
        "Free cash flow, US$m: OCF - capex - finance-lease principal",
        "USD_m",
        periods,
        entities,
        fcf_formula,
        note="Negative: the quarter's capex (and lease repayments) exceeded its operating "
        "cash flow.",
    )
    intensity = array_block(
        w,
        "Capex / revenue per quarter: AIM_CAPEX_INTENSITY(capex, revenue)",
        "pct",
        periods,
        entities,
        lambda s: (f"=AIM_CAPEX_INTENSITY({capex.range(s)},{revenue.range(s)})", n),
    )
    to_ocf = array_block(
        w,
        "Capex / OCF per quarter: AIM_CAPEX_TO_OCF(capex, OCF)",
        "pct",
        periods,
        entities,
        lambda s: (f"=AIM_CAPEX_TO_OCF({capex.range(s)},{ocf.range(s)})", n),
        note="n.m.: OCF zero or negative in the quarter.",
    )

    def ttm(source: Block, title: str) -> Block:
        return array_block(
            w,
            title,
            "USD_m",
            periods,
            entities,
            lambda s: (f"=AIM_TTM({source.range(s)},TTM_window)", n),
        )

    capex_ttm = ttm(capex, "Capex, TTM, US$m: AIM_TTM(capex, TTM_window)")
    revenue_ttm = ttm(revenue, "Revenue, TTM, US$m: AIM_TTM(revenue, TTM_window)")
    ocf_ttm = ttm(ocf, "Operating cash flow, TTM, US$m: AIM_TTM(OCF, TTM_window)")
    fcf_ttm = ttm(fcf, "Free cash flow, TTM, US$m: AIM_TTM(FCF, TTM_window)")
    intensity_ttm = array_block(
        w,
        "Capex / revenue, TTM: AIM_CAPEX_INTENSITY(capex TTM, revenue TTM)",
        "pct",
        periods,
        entities,
        lambda s: (f"=AIM_CAPEX_INTENSITY({capex_ttm.range(s)},{revenue_ttm.range(s)})", n),
    )
    to_ocf_ttm = array_block(
        w,
        "Capex / OCF, TTM: AIM_CAPEX_TO_OCF(capex TTM, OCF TTM)",
        "pct",
        periods,
        entities,
        lambda s: (f"=AIM_CAPEX_TO_OCF({capex_ttm.range(s)},{ocf_ttm.range(s)})", n),
    )
    numbers = pivot.numbers_range()

    # the answers: each company's latest filed quarter and its TTM figures there
    quarter_col = f"$A${capex.first}:$A${capex.last}"
    answer_sources: list[tuple[Block, str]] = [
        (capex_ttm, "USD_m"),
        (revenue_ttm, "USD_m"),
        (ocf_ttm, "USD_m"),
        (fcf_ttm, "USD_m"),
        (intensity_ttm, "pct"),
        (to_ocf_ttm, "pct"),
    ]
    number_col = Writer.FIRST + len(HEADLINE)
    w.ws.cell(row=head_row, column=number_col, value="Timeline number")
    style_header([w.ws.cell(row=head_row, column=number_col)])
    for k, entity in enumerate(entities):
        r = first_answer + k
        num = f"{col(number_col)}{r}"
        w.array(
            r,
            number_col,
            1,
            1,
            f"=MAX(IF(ISNUMBER({capex.range(entity)}),{numbers},0))",
            fmt_of("count"),
        )
        w.put(r, Writer.FIRST, f'=IF({num}>0,INDEX({quarter_col},{num}),"")')
        for j, (block, unit) in enumerate(answer_sources, start=1):
            w.put(
                r,
                Writer.FIRST + j,
                f'=IF({num}>0,INDEX({block.range(entity)},{num}),"")',
                fmt_of(unit),
            )
    answers = Block(w.title, first_answer, first_answer + len(entities) - 1, {})
    for j, (label, _) in enumerate(HEADLINE):
        answers.columns[label] = Writer.FIRST + j
    answers.columns["Timeline number"] = number_col

    model.blocks.update(
        {
            "filings_capex": capex,
            "filings_revenue": revenue,
            "filings_ocf": ocf,
            "filings_fcf": fcf,
            "filings_capex_to_revenue": intensity,
            "filings_capex_to_ocf": to_ocf,
            "filings_capex_ttm": capex_ttm,
            "filings_revenue_ttm": revenue_ttm,
            "filings_ocf_ttm": ocf_ttm,
            "filings_fcf_ttm": fcf_ttm,
            "filings_capex_to_revenue_ttm": intensity_ttm,
            "filings_capex_to_ocf_ttm": to_ocf_ttm,
            "filings_answers": answers,
        }
    )
    _declare_outputs(model, entities, answers)
    charted = [e for e in entities if e in HYPERSCALERS]
    _chart(w, to_ocf_ttm, charted, f"{col(number_col + 2)}{head_row}")


def _chart(w: Writer, ratio: Block, entities: list[str], anchor: str) -> None:
    """TTM capex / OCF per company over the timeline, with the 100% line (capex = OCF)."""
    line_col = max(ratio.columns.values()) + 1
    w.ws.cell(row=ratio.first - 1, column=line_col, value="100%: capex = OCF")
    style_header([w.ws.cell(row=ratio.first - 1, column=line_col)])
    for r in range(ratio.first, ratio.last + 1):
        w.put(r, line_col, "=1", fmt_of("pct"))
    chart = LineChart()
    for c in [*(ratio.columns[e] for e in entities), line_col]:
        data = Reference(w.ws, min_col=c, max_col=c, min_row=ratio.first - 1, max_row=ratio.last)
        chart.add_data(data, titles_from_data=True)
    chart.set_categories(
        Reference(w.ws, min_col=1, max_col=1, min_row=ratio.first, max_row=ratio.last)
    )
    chart.title = (
        f"Capex / operating cash flow, trailing 12 months, {w.model.timeline.quarters[0]} to the "
        "latest filed quarter (SEC filings); above 100%: capex exceeds OCF"
    )
    chart.y_axis.numFmt = "0%"
    chart.y_axis.scaling.max = 2
    chart.y_axis.scaling.min = 0
    chart.y_axis.majorGridlines = None
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.tickLblPos = "low"
    chart.legend.position = "b"
    chart.width, chart.height = 22.0, 9.0
    for series in chart.series:
        series.smooth = False
    chart.series[-1].graphicalProperties.line.dashStyle = "dash"
    chart.series[-1].graphicalProperties.line.solidFill = "C00000"
    w.ws.add_chart(chart, anchor)


_SERIES_OUTPUTS = (
    ("filings_capex", "capex", "USD_m"),
    ("filings_revenue", "revenue", "USD_m"),
    ("filings_ocf", "ocf", "USD_m"),
    ("filings_fcf", "fcf", "USD_m"),
    ("filings_capex_to_revenue", "capex_to_revenue", "pct"),
    ("filings_capex_to_ocf", "capex_to_ocf", "pct"),
    ("filings_capex_ttm", "capex_ttm", "USD_m"),
    ("filings_revenue_ttm", "revenue_ttm", "USD_m"),
    ("filings_ocf_ttm", "ocf_ttm", "USD_m"),
    ("filings_fcf_ttm", "fcf_ttm", "USD_m"),
    ("filings_capex_to_revenue_ttm", "capex_to_revenue_ttm", "pct"),
    ("filings_capex_to_ocf_ttm", "capex_to_ocf_ttm", "pct"),
)
"""(block, output metric, unit): the quarterly series ``aimodel outputs`` lists."""


def _declare_outputs(model: Model, entities: list[str], answers: Block) -> None:
    assert model.pivot is not None
    for entity in entities:
        k = entities.index(entity)
        model.output(
            entity,
            "latest_filed_quarter",
            "",
            "period",
            answers.ref(HEADLINE[0][0], k),
        )
        for block_name, metric, unit in _SERIES_OUTPUTS:
            block = model.blocks[block_name]
            model.output_series(entity, metric, unit, block, entity, model.pivot.quarters)
