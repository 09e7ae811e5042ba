"""The Capex sheet: hyperscaler capex, implied revenue and OCF, intensity, growth, TTM.

Sources: 表2 (quarterly capex in US$m with capex/revenue and capex/OCF, line 332) and
表1 (capex in US$100m with totals and year-on-year growth, line 298).
"""

from __future__ import annotations

from sheets.model.base import (
    Block,
    Model,
    Writer,
    array_block,
    col,
    fmt_of,
    formula_block,
    link_block,
)
from sheets.model.filings_capex import write_filings_capex
from sheets.model.styles import style_header

__all__ = ["CAPEX_EQUALS_OCF", "CAPEX_SHEET", "Q7", "Q8", "write_capex"]

CAPEX_SHEET = "Capex"
CAPEX_EQUALS_OCF = "100%: capex = OCF"
T01 = "t01_hyperscaler_capex"
T02 = "t02_capex_ratios"
Q7 = ["2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1", "2025Q2", "2025Q3"]
Q8 = [*Q7, "2025Q4"]
T2_COMPANIES = ["Amazon", "Microsoft", "Alphabet", "Meta", "Oracle"]
T1_COMPANIES = ["Amazon", "Microsoft", "Alphabet", "Meta"]


def write_capex(model: Model) -> None:
    w = Writer(
        model,
        CAPEX_SHEET,
        "Is capex outrunning operating cash flow? From the SEC filings: capex against "
        "revenue and OCF per quarter and trailing twelve months, free cash flow; below, the "
        "report's 表2/表1 snapshot, reconciled to the filings on Checks.",
    )
    if model.pivot is not None:
        write_filings_capex(model, w)
        w.section(
            "The report's snapshot (表2, 表1)",
            "As printed in January 2026: revenue and OCF implied from the printed ratios. "
            "Checks reconciles 表2's capex and ratios to the filings above.",
        )
    capex = link_block(
        w,
        "Capex, US$m (表2, line 332)",
        "USD_m",
        Q7,
        T2_COMPANIES,
        lambda s, p: (T02, s, "capex", p),
        note="Microsoft: fiscal FY24Q3-FY26Q1 shown at their calendar quarters.",
    )
    cr = link_block(
        w,
        "Capex/revenue as reported (表2)",
        "pct",
        Q7,
        T2_COMPANIES,
        lambda s, p: (T02, s, "capex_to_revenue", p),
    )
    co = link_block(
        w,
        "Capex/OCF as reported (表2)",
        "pct",
        Q7,
        T2_COMPANIES,
        lambda s, p: (T02, s, "capex_to_ocf", p),
    )
    # the 100% line of the Dashboard's capex/OCF chart (capex = OCF), beside the ratios
    line_col = max(co.columns.values()) + 1
    w.ws.cell(row=co.first - 1, column=line_col, value=CAPEX_EQUALS_OCF)
    style_header([w.ws.cell(row=co.first - 1, column=line_col)])
    w.ws.column_dimensions[col(line_col)].width = max(
        w.ws.column_dimensions[col(line_col)].width or 0, 14
    )
    for r in range(co.first, co.last + 1):
        w.put(r, line_col, "=1", fmt_of("pct"))
    reference = Block(w.title, co.first, co.last, {CAPEX_EQUALS_OCF: line_col})
    rev = formula_block(
        w,
        "Implied revenue, US$m (capex ÷ reported capex/revenue)",
        "USD_m",
        Q7,
        T2_COMPANIES,
        lambda s, i, r: f"={capex.cell(s, i)}/{cr.cell(s, i)}",
        note="The seed prints the ratios, not revenue or OCF; the ratios' rounding (±0.5pp) "
        "carries into these.",
    )
    ocf = formula_block(
        w,
        "Implied operating cash flow, US$m (capex ÷ reported capex/OCF)",
        "USD_m",
        Q7,
        T2_COMPANIES,
        lambda s, i, r: f"={capex.cell(s, i)}/{co.cell(s, i)}",
    )
    n = len(Q7)
    intensity = array_block(
        w,
        "Capex/revenue: AIM_CAPEX_INTENSITY(capex, implied revenue)",
        "pct",
        Q7,
        T2_COMPANIES,
        lambda s: (f"=AIM_CAPEX_INTENSITY({capex.range(s)},{rev.range(s)})", n),
    )
    to_ocf = array_block(
        w,
        "Capex/OCF: AIM_CAPEX_TO_OCF(capex, implied OCF)",
        "pct",
        Q7,
        T2_COMPANIES,
        lambda s: (f"=AIM_CAPEX_TO_OCF({capex.range(s)},{ocf.range(s)})", n),
        note="Above 100%: capex larger than the quarter's operating cash flow.",
    )
    qoq = array_block(
        w,
        "Capex growth, quarter on quarter: AIM_GROWTH(capex, Lag_qoq)",
        "pct",
        Q7,
        T2_COMPANIES,
        lambda s: (f"=AIM_GROWTH({capex.range(s)},Lag_qoq)", n),
    )
    yoy = array_block(
        w,
        "Capex growth, year on year: AIM_GROWTH(capex, Lag_yoy)",
        "pct",
        Q7,
        T2_COMPANIES,
        lambda s: (f"=AIM_GROWTH({capex.range(s)},Lag_yoy)", n),
    )
    ttm = array_block(
        w,
        "Capex, trailing twelve months, US$m: AIM_TTM(capex, TTM_window)",
        "USD_m",
        Q7,
        T2_COMPANIES,
        lambda s: (f"=AIM_TTM({capex.range(s)},TTM_window)", n),
    )
    model.blocks.update(
        {
            "capex": capex,
            "capex_to_ocf": to_ocf,
            "capex_to_revenue": intensity,
            "capex_qoq": qoq,
            "capex_yoy": yoy,
            "capex_ttm": ttm,
            "capex_reported_to_ocf": co,
            "capex_equals_ocf": reference,
        }
    )
    for s in T2_COMPANIES:
        for p in Q7:
            for metric in ("capex_to_revenue", "capex_to_ocf"):
                model.not_checked(
                    (T02, s, metric, p),
                    "the seed prints no revenue or OCF to recompute it from; the model uses "
                    "it to imply revenue and OCF",
                )
    _table1(model, w, capex)
    _segments(model, w)


def _segments(model: Model, w: Writer) -> None:
    """Cloud segments and Amazon's cash cover, dated consistently (issue 12).

    Seed line 833 prints Google Cloud US$11.5bn (+34%) and AWS US$27.5bn (+20%) as 25Q3
    revenue; they are the 2024Q3 bases (27.5 x 1.20 = 33.0, the 2025Q3 figure line 855
    prints). The model uses 2025Q3 figures (AWS 33.0; Google Cloud 11.5 x 1.34) and lists
    the seed's 2.4x as a known discrepancy. Amazon's cash cover compares trailing twelve
    months with trailing twelve months (the filings), not full-year guidance with TTM OCF.
    """
    t00 = "t00_text_figures"
    f19 = "f19_cloud_growth"
    w.section(
        "Cloud segments and cash cover, 2025Q3 (seed text, lines 833-866; SEC filings)",
        "Line 833's US$27.5bn (AWS) and US$11.5bn (Google Cloud) are the 2024Q3 bases of the "
        "+20% and +34% it prints: 2025Q3 = base x (1 + growth).",
    )
    w.header("Measure", "Unit", ["Value"])
    r = w.row
    w.labels(
        [
            "AWS operating margin (operating income ÷ revenue)",
            "AWS 2025Q3 revenue from line 833's base: 27.5 x (1 + 20%)",
            "Google Cloud 2025Q3 revenue: line 833's 11.5 x (1 + 34%)",
            "AWS revenue ÷ Google Cloud revenue, both 2025Q3",
            "Amazon capex, TTM at 2025Q3 (filings, US$bn)",
            "Amazon operating cash flow, TTM at 2025Q3 (filings, US$bn)",
            "Amazon capex ÷ operating cash flow, both TTM at 2025Q3",
        ]
    )
    aws_rev = model.ref(t00, "AWS", "revenue", "2025Q3")
    aws_oi = model.ref(t00, "AWS", "operating_income", "2025Q3")
    w.put(r, Writer.FIRST, f"={aws_oi}/{aws_rev}", "0.0%")
    alt = model.ref(t00, "AWS", "revenue_alt", "2025Q3")
    aws_g = model.ref(f19, "AWS", "revenue_yoy", "2025Q3")
    goog = model.ref(t00, "Google Cloud", "revenue", "2025Q3")
    goog_g = model.ref(f19, "Google Cloud", "revenue_yoy", "2025Q3")
    w.put(r + 1, Writer.FIRST, f"={alt}*(1+{aws_g})", fmt_of("USD_bn"))
    w.put(r + 2, Writer.FIRST, f"={goog}*(1+{goog_g})", fmt_of("USD_bn"))
    w.put(r + 3, Writer.FIRST, f"={aws_rev}/C{r + 2}", '0.00"x"')
    here = f"'{w.title}'!C"
    capex_ttm = model.blocks.get("filings_capex_ttm")
    ocf_ttm = model.blocks.get("filings_ocf_ttm")
    if capex_ttm is not None and ocf_ttm is not None and model.timeline is not None:
        i = model.timeline.index("2025Q3")
        w.put(r + 4, Writer.FIRST, f"={capex_ttm.cell('Amazon', i)}/USDm_per_USDbn", "#,##0.0")
        w.put(r + 5, Writer.FIRST, f"={ocf_ttm.cell('Amazon', i)}/USDm_per_USDbn", "#,##0.0")
        w.put(r + 6, Writer.FIRST, f"=C{r + 4}/C{r + 5}", "0.0%")
        model.blocks["amazon_cash_cover"] = Block(w.title, r + 4, r + 6, {"Value": Writer.FIRST})
        ocf = model.ref(t00, "Amazon", "operating_cash_flow_ttm", "2025Q3")
        model.reconcile(
            "Amazon operating cash flow TTM at 2025Q3: filings against the seed's US$130.7bn",
            f"{here}{r + 5}",
            ocf,
            0.05,
            "the seed's rounding ±0.05",
            "text line 855 (data/t00_text_figures.csv); SEC 10-Q/10-K",
            "#,##0.0",
        )
    oi, rev = (t00, "AWS", "operating_income", "2025Q3"), (t00, "AWS", "revenue", "2025Q3")
    model.check(
        (t00, "AWS", "operating_margin", "2025Q3"),
        "AWS 2025Q3 operating margin",
        f"{here}{r}",
        compute=lambda a, b: a / b,
        inputs=[oi, rev],
        known="The seed prints 33% beside US$11.4bn on US$33bn (34.5%); line 845 "
        "prints 36.4% for the same quarter.",
    )
    model.reconcile(
        "AWS 2025Q3 revenue: line 833's US$27.5bn x (1 + 20%) equals line 855's US$33.0bn "
        "(so 27.5 is the 2024Q3 base)",
        f"{here}{r + 1}",
        aws_rev,
        0.05 + 0.05 * 1.2 + 27.5 * 0.005,
        "printed rounding: 33 ±0.05, 27.5 ±0.05 x 1.2, 20% ±0.5pp x 27.5",
        "text lines 833, 855 (data/t00_text_figures.csv); 图19 line 841",
        "#,##0.0",
    )
    g_inputs = [
        (t00, "AWS", "revenue", "2025Q3"),
        (t00, "Google Cloud", "revenue", "2025Q3"),
        (f19, "Google Cloud", "revenue_yoy", "2025Q3"),
    ]
    model.check(
        (t00, "AWS", "revenue_multiple_vs_google_cloud", "2025Q3"),
        "AWS revenue 2.4x Google Cloud's (model: both 2025Q3)",
        f"{here}{r + 3}",
        compute=lambda a, b, g: a / (b * (1 + g)),
        inputs=g_inputs,
        known="Line 833 divides the 2024Q3 bases it prints as 25Q3 (27.5 / 11.5 = 2.39); at "
        "2025Q3 revenue AWS US$33.0bn (line 855) is 33.0 / (11.5 x 1.34) = 2.14x Google "
        "Cloud's.",
    )


def _table1(model: Model, w: Writer, capex2: Block) -> None:
    t1 = link_block(
        w,
        "Capex, US$100m (表1, line 298)",
        "USD_100m",
        Q8,
        T1_COMPANIES,
        lambda s, p: (T01, s, "capex", p),
        note="2025Q4E = 2025 guidance mid-point minus 2025Q1-Q3 (表1 note 2).",
    )
    total_col = Writer.FIRST + len(T1_COMPANIES)
    w.ws.cell(row=t1.first - 1, column=total_col, value="Total")
    w.ws.cell(row=t1.first - 1, column=total_col + 1, value="Year")
    style_header(
        [
            w.ws.cell(row=t1.first - 1, column=total_col),
            w.ws.cell(row=t1.first - 1, column=total_col + 1),
        ]
    )
    first_col, last_col = t1.columns[T1_COMPANIES[0]], t1.columns[T1_COMPANIES[-1]]
    for i, p in enumerate(Q8):
        r = t1.first + i
        w.put(r, total_col, f"=SUM({col(first_col)}{r}:{col(last_col)}{r})", fmt_of("USD_100m"))
        w.ws.cell(row=r, column=total_col + 1, value=int(p[:4]))
    t1.columns["Total"] = total_col
    t1.columns["Year"] = total_col + 1
    series = [*T1_COMPANIES, "Total"]
    yoy = array_block(
        w,
        "Capex growth, year on year (表1): AIM_GROWTH(capex, Lag_yoy)",
        "pct",
        Q8,
        series,
        lambda s: (f"=AIM_GROWTH({t1.range(s)},Lag_yoy)", len(Q8)),
    )
    years = ["2024", "2025"]
    annual = formula_block(
        w,
        "Capex by year, US$100m (sum of 表1's quarters)",
        "USD_100m",
        years,
        series,
        lambda s, i, r: f"=SUMIF({t1.range('Year')},$A{r},{t1.range(s)})",
    )
    for i, y in enumerate(years):  # the labels must be numbers for SUMIF to match
        w.ws.cell(row=annual.first + i, column=1, value=int(y))
    annual_yoy = formula_block(
        w,
        "Capex growth by year",
        "pct",
        ["2025"],
        series,
        lambda s, i, r: f"={annual.cell(s, 1)}/{annual.cell(s, 0)}-1",
    )
    model.blocks["capex_t1"] = t1
    # Checks: totals, growth, annual sums, 表1 against 表2.
    for i, p in enumerate(Q8):
        model.check(
            (T01, "Total", "capex", p),
            f"表1 total capex {p} = sum of the four",
            t1.ref("Total", i),
            compute=lambda *xs: sum(xs),
            inputs=[(T01, s, "capex", p) for s in T1_COMPANIES],
        )
    for s in series:
        for i, p in enumerate(Q8):
            if not model.has(T01, s, "capex_yoy", p):
                continue
            prev = Q8[i - 4]
            model.check(
                (T01, s, "capex_yoy", p),
                f"表1 {s} capex y/y {p}",
                yoy.ref(s, i),
                compute=(lambda *xs: sum(xs[: len(xs) // 2]) / sum(xs[len(xs) // 2 :]) - 1),
                inputs=_parts(s, p) + _parts(s, prev),
            )
    for j, y in enumerate(years):
        for s in series:
            key = (T01, s, "capex", y)
            if not model.has(*key):
                continue
            model.check(
                key,
                f"表1 {s} {y} capex = sum of its quarters",
                annual.ref(s, j),
                compute=lambda *xs: sum(xs),
                inputs=[k for q in Q8 if q.startswith(y) for k in _parts(s, q)],
            )
    for s in series:
        key = (T01, s, "capex_yoy", "2025")
        if model.has(*key):
            this = [k for q in Q8 if q.startswith("2025") for k in _parts(s, q)]
            last = [k for q in Q8 if q.startswith("2024") for k in _parts(s, q)]
            n = len(this)
            model.check(
                key,
                f"表1 {s} 2025 capex y/y (sums of quarters)",
                annual_yoy.ref(s, 0),
                compute=lambda *xs, n=n: sum(xs[:n]) / sum(xs[n:]) - 1,
                inputs=this + last,
            )
    # 表1 quarters against 表2 (the same capex printed in US$100m and US$m)
    cross = formula_block(
        w,
        "Check: 表2 capex in US$100m (capex ÷ USDm_per_USD100m)",
        "USD_100m",
        Q7,
        T1_COMPANIES,
        lambda s, i, r: f"={capex2.cell(s, i)}/USDm_per_USD100m",
    )
    for s in T1_COMPANIES:
        for i, p in enumerate(Q7):
            model.check(
                (T01, s, "capex", p),
                f"表1 {s} {p} capex equals 表2's (US$100m)",
                cross.ref(s, i),
                compute=lambda x: x / 100,
                inputs=[(T02, s, "capex", p)],
            )


def _parts(series: str, period: str) -> list[tuple[str, str, str, str]]:
    """The data keys whose sum is ``series``' capex in ``period`` (Total: the four)."""
    names = T1_COMPANIES if series == "Total" else [series]
    return [(T01, s, "capex", period) for s in names]
