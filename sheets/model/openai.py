"""The OpenAI sheet: US$1.15tn of commitments against revenue; the funding gap by year.

Each supplier's commitment (seed line 541) is spread over its term with
AIM_CONTRACT_SCHEDULE (terms from 表5 and the text where the seed gives them, Inputs with
the stated assumption where it does not). Revenue runs from the 2025 ARR (表13) through
OpenAI's guidance (US$100bn in 2028, US$200bn in 2030; seed line 598) at the implied
growth, then at an input growth. The share of revenue that pays for compute (表7) is what
revenue covers; the rest of each year's commitments is the funding gap.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference

from sheets.model.base import Block, Model, Writer, col, fmt_of
from sheets.model.financing_inputs import CHIP_SUPPLIERS, OPENAI_TERMS
from sheets.model.timeline import quarterly_entities

__all__ = ["OPENAI_SHEET", "YEARS", "write_openai"]

OPENAI_SHEET = "OpenAI"
T00 = "t00_text_figures"
T05 = "t05_openai_commitments"
T13 = "t13_ai_arr"
YEARS = tuple(range(2025, 2036))
SCENARIOS = (-2, -1, 0, 1, 2)  # steps of OAI_growth_step around the revenue path
FILED_NAME = {"Microsoft": "Microsoft", "Oracle": "Oracle", "Nvidia": "NVIDIA"}
FILED_NAME["CoreWeave"] = "CoreWeave"
REVENUE_AT = "2025Q3"


def write_openai(model: Model) -> None:
    w = Writer(
        model,
        OPENAI_SHEET,
        "Can OpenAI pay for US$1.15tn of compute? Commitments by supplier and year against "
        "a revenue path through its guidance; the funding gap per year and in total; each "
        "supplier's exposure.",
    )
    w.ws.column_dimensions["A"].width = 50
    suppliers = [s for s, _, _ in OPENAI_TERMS]
    m = fmt_of("USD_bn")

    w.section(
        "The answer: OpenAI's funding gap, US$bn (base assumptions on Inputs)",
        "Gap = commitments due in the year - the share of revenue that pays for compute "
        "(OAI_compute_share). Positive: to be financed by equity, debt or the suppliers.",
    )
    w.header("Measure", "USD_bn", ["Value"])
    answer, _ = w.labels(
        [
            f"Commitments {YEARS[0]}-{YEARS[-1]}, seven suppliers",
            f"Revenue {YEARS[0]}-{YEARS[-1]} (path through the guidance)",
            "Compute paid from revenue",
            f"Funding gap, cumulative {YEARS[0]}-{YEARS[-1]}",
            "Funding gap, cumulative, at its peak",
            "Largest funding gap in one year",
            "Commitments counted twice (chips inside cloud contracts)",
            "Renewed after the contracts end",
            "Funding: NVIDIA, other vendors, equity, debt",
            f"Gap net of funding, cumulative {YEARS[0]}-{YEARS[-1]}",
            "Gap net of funding, cumulative, at its peak",
        ],
        "USD_bn",
    )
    w.note(
        "Rows 1-6: the report's arithmetic (commitments as printed - compute paid from "
        "revenue). Rows 7-11: commitments de-duplicated and renewed, less the funding "
        "sources (block 'Funding and the gap net of it' below)."
    )
    w.section(
        "Each supplier's exposure to OpenAI",
        "Share of RPO: the commitment over the supplier's RPO, adding the order where it was "
        "signed after the balance date (RPO sheet). Revenue: trailing twelve months to "
        "each supplier's latest filed quarter (Capex sheet's answers, shown beside it); AWS "
        f"files no segment revenue in data/: the report's {REVENUE_AT} segment revenue x 4.",
    )
    ex_head = [
        "Commitment",
        "Peak yearly commitment",
        "OpenAI share of RPO",
        "Supplier revenue, 12 months",
        "Peak year ÷ revenue",
        "Revenue: quarter",
    ]
    w.header("Supplier", "USD_bn", ex_head)
    ex_first, _ = w.labels(suppliers)

    # terms
    w.section(
        "Terms: total (seed line 541), first year and years of payments (表5, text, Inputs)",
        "Level: equal amounts a year; ramp: rising 1, 2, 3, 4 parts (Broadcom's 10 GW "
        "deployment from 2026H2 to 2029).",
    )
    w.header("Supplier", "", ["Total (US$bn)", "First year", "Years", "Start period", "Shape"])
    t_first, _ = w.labels(suppliers)
    year0 = f"$A${w.row + 4}"  # the first year label of the schedule below (set after)
    terms: dict[str, dict[str, str]] = {}
    for i, (supplier, short, shape) in enumerate(OPENAI_TERMS):
        r = t_first + i
        ref = model.ref(T05, supplier, "compute_commitment", "2025-2035")
        w.put(r, Writer.FIRST, f"={ref}", m, link=True)
        w.put(r, Writer.FIRST + 1, f"=OAI_start_{short}", "0")
        term = (
            "=AVERAGE(OAI_term_MSFT_low,OAI_term_MSFT_high)"
            if short == "MSFT"
            else f"=OAI_term_{short}"
        )
        w.put(r, Writer.FIRST + 2, term, "0")
        w.put(r, Writer.FIRST + 3, f"={col(Writer.FIRST + 1)}{r}-{year0}+1", "0")
        w.ws.cell(row=r, column=Writer.FIRST + 4, value=shape)
        terms[supplier] = {
            c: f"${col(Writer.FIRST + k)}${r}"
            for k, c in enumerate(("total", "first", "years", "start", "shape"))
        }
    w.row += 1
    # the schedule: years down, suppliers across
    w.section(
        "Commitments by year, US$bn: AIM_CONTRACT_SCHEDULE(total, start period, years, "
        "shape, years shown)"
    )
    w.header("Year", "USD_bn", [*suppliers, "Total", "Years shown"])
    first, last = w.labels([str(y) for y in YEARS])
    assert f"$A${first}" == year0, (year0, first)
    n = len(YEARS)
    cols = {s: Writer.FIRST + j for j, s in enumerate(suppliers)}
    cols["Total"] = Writer.FIRST + len(suppliers)
    cols["Years shown"] = cols["Total"] + 1
    sched = Block(w.title, first, last, cols)
    shown = f"${col(cols['Years shown'])}${first}"
    for i, y in enumerate(YEARS):
        w.ws.cell(row=first + i, column=1, value=y)
    w.put(first, cols["Years shown"], f"=COUNT($A${first}:$A${last})", "0")
    for s in suppliers:
        t = terms[s]
        w.array(
            first,
            cols[s],
            n,
            1,
            f"=AIM_CONTRACT_SCHEDULE({t['total']},{t['start']},{t['years']},{t['shape']},{shown})",
            m,
        )
        for i, y in enumerate(YEARS):
            model.output(s, "openai_commitment", str(y), "USD_bn", sched.ref(s, i))
    a, z = col(cols[suppliers[0]]), col(cols[suppliers[-1]])
    for i in range(n):
        r = first + i
        w.put(r, cols["Total"], f"=SUM({a}{r}:{z}{r})", m)
    total_row = last + 1
    w.ws.cell(row=total_row, column=1, value="Total")
    for s in [*suppliers, "Total"]:
        c = col(cols[s])
        w.put(total_row, cols[s], f"=SUM({c}{first}:{c}{last})", m)
    w.row = total_row + 1
    model.blocks["openai_schedule"] = sched

    # the revenue path
    w.section(
        "Revenue path through the guidance points, US$bn",
        "2025: ARR at 2025-10 (表13 line 1626); 2028 and 2030: OpenAI's guidance (seed line "
        "598). Growth between points: the constant yearly rate that joins them.",
    )
    w.header("Point", "USD_bn", ["Year", "Revenue", "Growth a year to here"])
    g_first, _ = w.labels(["2025 ARR (表13)", "2028 guidance", "2030 guidance"])
    c = Writer.FIRST
    arr = model.ref(T13, "OpenAI", "arr", "2025-10")
    w.ws.cell(row=g_first, column=c, value=YEARS[0])
    w.put(g_first, c + 1, f"={arr}*USDm_per_USD100m/USDm_per_USDbn", m, link=True)
    for k, year in enumerate(("2028", "2030"), start=1):
        r = g_first + k
        w.ws.cell(row=r, column=c, value=int(year))
        w.put(r, c + 1, f"={model.ref(T00, 'OpenAI', 'revenue', year)}", m, link=True)
        w.put(
            r,
            c + 2,
            f"=({col(c + 1)}{r}/{col(c + 1)}{r - 1})^(1/({col(c)}{r}-{col(c)}{r - 1}))-1",
            fmt_of("pct"),
        )
    y1, y2 = f"${col(c)}${g_first + 1}", f"${col(c)}${g_first + 2}"
    g1, g2 = f"${col(c + 2)}${g_first + 1}", f"${col(c + 2)}${g_first + 2}"
    base = f"${col(c + 1)}${g_first}"

    w.section(
        "Revenue, compute paid from it, commitments and the funding gap, US$bn",
        "Growth: to 2028 and to 2030 the rates above, after 2030 OAI_growth_after.",
    )
    names = ["Growth", "Revenue", "Compute paid from revenue", "Commitments", "Funding gap"]
    names += ["Cumulative gap"]
    w.header("Year", "USD_bn", names)
    pf, pl = w.labels([str(y) for y in YEARS])
    pc = {name: Writer.FIRST + j for j, name in enumerate(names)}
    path = Block(w.title, pf, pl, pc)
    for i, y in enumerate(YEARS):
        r = pf + i
        w.ws.cell(row=r, column=1, value=y)
        if i:
            w.put(
                r,
                pc["Growth"],
                f"=IF($A{r}<={y1},{g1},IF($A{r}<={y2},{g2},OAI_growth_after))",
                "0.0%",
            )
            w.put(
                r, pc["Revenue"], f"={path.cell('Revenue', i - 1)}*(1+{path.cell('Growth', i)})", m
            )
        else:
            w.put(r, pc["Revenue"], f"={base}", m)
        w.put(
            r, pc["Compute paid from revenue"], f"={path.cell('Revenue', i)}*OAI_compute_share", m
        )
        w.put(r, pc["Commitments"], f"={sched.cell('Total', i)}", m)
        w.put(
            r,
            pc["Funding gap"],
            f"={path.cell('Commitments', i)}-{path.cell('Compute paid from revenue', i)}",
            m,
        )
        prev = f"{path.cell('Cumulative gap', i - 1)}+" if i else ""
        w.put(r, pc["Cumulative gap"], f"={prev}{path.cell('Funding gap', i)}", m)
        model.output("OpenAI", "openai_funding_gap", str(y), "USD_bn", path.ref("Funding gap", i))
    model.output(
        "OpenAI",
        "openai_funding_gap_cumulative",
        str(YEARS[-1]),
        "USD_bn",
        path.ref("Cumulative gap", n - 1),
    )
    model.blocks["openai_path"] = path
    # the answer
    ac = Writer.FIRST
    w.put(answer, ac, f"={col(cols['Total'])}{total_row}", m)
    w.put(answer + 1, ac, f"=SUM({path.range('Revenue')})", m)
    w.put(answer + 2, ac, f"=SUM({path.range('Compute paid from revenue')})", m)
    w.put(answer + 3, ac, f"={path.cell('Cumulative gap', n - 1)}", m)
    w.put(answer + 4, ac, f"=MAX({path.range('Cumulative gap')})", m)
    w.put(answer + 5, ac, f"=MAX({path.range('Funding gap')})", m)
    _sensitivity(model, w, path, sched, g1, g2, y1, y2, base)
    _exposure(model, w, ex_first, suppliers, sched, ex_head)
    _chart(model, w, sched, path, suppliers)
    net = _funding(model, w, sched, path, total_row)
    for k, (formula) in enumerate(
        (
            f"=SUM({net.range('Counted twice')})",
            f"=SUM({net.range('Renewed')})",
            f"=SUM({net.range('Funding')})",
            f"={net.cell('Cumulative', n - 1)}",
            f"=MAX({net.range('Cumulative')})",
        ),
        start=6,
    ):
        w.put(answer + k, ac, formula, m)
    model.blocks["openai_answer"] = Block(w.title, answer, answer + 10, {"Value": ac})


FUNDING_RULE = (
    "De-duplication: a chip bought from NVIDIA, AMD or Broadcom that runs in capacity a "
    "cloud contract (Oracle, Microsoft, AWS, CoreWeave) already pays for is counted once, "
    "in the cloud contract: counted twice = OAI_chips_in_cloud x the chip vendors' "
    "commitments of the year. Renewal: after OAI_renew_after, OAI_renewal of what lapses "
    "(the OAI_renew_after year's commitments less the year's) is renewed; 0% reproduces "
    "the printed schedule. Funding: NVIDIA's US$100bn (表5 line 553) in step with its "
    "schedule, plus other vendors, equity rounds and debt a year (Inputs). Gap = "
    "commitments - counted twice + renewed - compute paid from revenue - funding."
)


def _funding(model: Model, w: Writer, sched: Block, path: Block, total_row: int) -> Block:
    """Commitments de-duplicated and renewed, the funding sources, and the gap net of
    them, per year and cumulative (US$bn; positive gap: still to be financed)."""
    m = fmt_of("USD_bn")
    w.row += 1
    w.section("Funding and the gap net of it, US$bn", FUNDING_RULE)
    names = [
        "Commitments",
        "Counted twice",
        "Renewed",
        "Commitments, net",
        "Compute paid from revenue",
        "NVIDIA",
        "Other vendors",
        "Equity rounds",
        "Debt",
        "Funding",
        "Gap net of funding",
        "Cumulative",
    ]
    w.header("Year", "USD_bn", names)
    first, last = w.labels([str(y) for y in YEARS])
    c = {name: Writer.FIRST + j for j, name in enumerate(names)}
    net = Block(w.title, first, last, c)
    short = {short: s for s, short, _ in OPENAI_TERMS}
    years = f"$A${first}:$A${last}"
    nvda = col(sched.columns[short["NVDA"]])
    for i, y in enumerate(YEARS):
        r = first + i
        w.ws.cell(row=r, column=1, value=y)
        chips = "+".join(f"{col(sched.columns[short[k]])}{sched.first + i}" for k in CHIP_SUPPLIERS)
        w.put(r, c["Commitments"], f"={path.cell('Commitments', i)}", m)
        w.put(r, c["Counted twice"], f"=OAI_chips_in_cloud*({chips})", m)
        at_end = f"INDEX({sched.range('Total')},MATCH(OAI_renew_after,{years},0))"
        w.put(
            r,
            c["Renewed"],
            f"=IF($A{r}>OAI_renew_after,OAI_renewal"
            f"*MAX(0,{at_end}-{net.cell('Commitments', i)}),0)",
            m,
        )
        w.put(
            r,
            c["Commitments, net"],
            f"={net.cell('Commitments', i)}-{net.cell('Counted twice', i)}"
            f"+{net.cell('Renewed', i)}",
            m,
        )
        w.put(
            r,
            c["Compute paid from revenue"],
            f"={path.cell('Compute paid from revenue', i)}",
            m,
        )
        w.put(
            r,
            c["NVIDIA"],
            f"=IF(${nvda}${total_row}>0,OAI_fund_NVDA*{nvda}{sched.first + i}"
            f"/${nvda}${total_row},0)",
            m,
        )
        w.put(r, c["Other vendors"], "=OAI_fund_vendor_other", m)
        w.put(r, c["Equity rounds"], "=OAI_fund_equity", m)
        w.put(r, c["Debt"], "=OAI_fund_debt", m)
        w.put(
            r,
            c["Funding"],
            f"=SUM({net.cell('NVIDIA', i)}:{net.cell('Debt', i)})",
            m,
        )
        w.put(
            r,
            c["Gap net of funding"],
            f"={net.cell('Commitments, net', i)}-{net.cell('Compute paid from revenue', i)}"
            f"-{net.cell('Funding', i)}",
            m,
        )
        prev = f"{net.cell('Cumulative', i - 1)}+" if i else ""
        w.put(r, c["Cumulative"], f"={prev}{net.cell('Gap net of funding', i)}", m)
        model.output(
            "OpenAI", "openai_funding_gap_net", str(y), "USD_bn", net.ref("Gap net of funding", i)
        )
    model.output(
        "OpenAI",
        "openai_funding_gap_net_cumulative",
        str(YEARS[-1]),
        "USD_bn",
        net.ref("Cumulative", len(YEARS) - 1),
    )
    model.blocks["openai_net"] = net
    return net


def _sensitivity(model, w, path, sched, g1, g2, y1, y2, base) -> None:
    w.section(
        "Sensitivity: cumulative funding gap against revenue growth, US$bn",
        "Each scenario shifts every year's growth after 2025 by steps of OAI_growth_step.",
    )
    head = ["Growth shift a year", f"Revenue {YEARS[-1]}", "Cumulative gap"]
    w.header("Step", "USD_bn", head)
    s_first, _ = w.labels([str(k) for k in SCENARIOS])
    w.section("Sensitivity workings: revenue per scenario, US$bn")
    names = [f"Revenue s{k}" for k in range(len(SCENARIOS))]
    w.header("Year", "USD_bn", names)
    first, last = w.labels([str(y) for y in YEARS])
    cols = {name: Writer.FIRST + j for j, name in enumerate(names)}
    b = Block(w.title, first, last, cols)
    m = fmt_of("USD_bn")
    commitments = f"{path.range('Commitments')}"
    for k, step in enumerate(SCENARIOS):
        r = s_first + k
        w.ws.cell(row=r, column=1, value=step)
        shift = f"${col(Writer.FIRST)}${r}"
        w.put(r, Writer.FIRST, f"=$A{r}*OAI_growth_step", "0.0%")
        name = f"Revenue s{k}"
        for i in range(len(YEARS)):
            row = first + i
            if i == 0:
                w.ws.cell(row=row, column=1, value=YEARS[0])
                w.put(row, cols[name], f"={base}", m)
                continue
            w.ws.cell(row=row, column=1, value=YEARS[i])
            w.put(
                row, cols[name], f"={b.cell(name, i - 1)}*(1+{path.cell('Growth', i)}+{shift})", m
            )
        w.put(r, Writer.FIRST + 1, f"={b.cell(name, len(YEARS) - 1)}", m)
        w.put(
            r,
            Writer.FIRST + 2,
            f"=SUM({commitments})-OAI_compute_share*SUM({b.range(name)})",
            m,
        )
    model.blocks["openai_sensitivity"] = Block(
        w.title,
        s_first,
        s_first + len(SCENARIOS) - 1,
        {h: Writer.FIRST + j for j, h in enumerate(head)},
    )


def _exposure(model, w, ex_first, suppliers, sched, head) -> None:
    table = model.blocks.get("openai_rpo_table")
    answers = model.blocks.get("filings_answers")
    entities = quarterly_entities(model.data) if answers is not None else []
    m = fmt_of("USD_bn")
    c = Writer.FIRST
    for i, s in enumerate(suppliers):
        r = ex_first + i
        w.put(r, c, f"={col(sched.columns[s])}{sched.last + 1}", m)
        w.put(r, c + 1, f"=MAX({sched.range(s)})", m)
        if table is not None:
            at = table.first + suppliers.index(s)
            column = table.columns["OpenAI share of RPO"]
            if model.wb[table.sheet].cell(row=at, column=column).value is not None:
                w.put(
                    r,
                    c + 2,
                    f"={table.ref('OpenAI share of RPO', at - table.first)}",
                    fmt_of("pct"),
                )
        if s == "AWS":
            w.put(
                r,
                c + 3,
                f"={model.ref(T00, 'AWS', 'revenue', REVENUE_AT)}*Q_per_year",
                m,
                link=True,
            )
            w.ws.cell(row=r, column=c + 5, value=f"{REVENUE_AT} (the report's)")
        elif answers is not None and FILED_NAME.get(s) in entities:
            k = entities.index(FILED_NAME[s])
            filed = answers.ref("Revenue, TTM", k)
            w.put(r, c + 3, f'=IF(ISNUMBER({filed}),{filed}/USDm_per_USDbn,"")', m, link=True)
            w.put(r, c + 5, f"={answers.ref('Latest filed quarter', k)}", link=True)
        else:
            continue
        rev = f"{col(c + 3)}{r}"
        w.put(r, c + 4, f'=IF(ISNUMBER({rev}),{col(c + 1)}{r}/{rev},"")', fmt_of("pct"))
    w.row = max(w.row, ex_first + len(suppliers))
    model.blocks["openai_exposure"] = Block(
        w.title, ex_first, ex_first + len(suppliers) - 1, {h: c + j for j, h in enumerate(head)}
    )


def _chart(model, w, sched, path, suppliers) -> None:
    bar = BarChart()
    bar.grouping = "stacked"
    bar.overlap = 100
    for s in suppliers:
        c = sched.columns[s]
        bar.add_data(
            Reference(w.ws, min_col=c, max_col=c, min_row=sched.first - 1, max_row=sched.last),
            titles_from_data=True,
        )
    bar.set_categories(
        Reference(w.ws, min_col=1, max_col=1, min_row=sched.first, max_row=sched.last)
    )
    line = LineChart()
    c = path.columns["Revenue"]
    line.add_data(
        Reference(w.ws, min_col=c, max_col=c, min_row=path.first - 1, max_row=path.last),
        titles_from_data=True,
    )
    bar.title = "OpenAI commitments by supplier against revenue, US$bn a year"
    bar.y_axis.title = "US$bn"
    bar.y_axis.numFmt = "#,##0"
    bar.x_axis.delete = False
    bar.y_axis.delete = False
    bar.legend.position = "b"
    bar += line
    bar.width, bar.height = 18.0, 9.0
    w.ws.add_chart(bar, "M4")
