"""The Depreciation sheet's earnings: how much do the reported lives raise operating
income and EPS against an economic life?

- the answer at the top of the sheet (reserved first, filled once the grid and the
  bridge exist): per company and economic life, the 2026-2028 operating-income uplift,
  its share of operating income and the EPS effect;
- the scenarios (capex growth and economic life, base / bull / bear, and the one in use);
- depreciation by calendar year (modelled, reported, and under the economic life in use);
- the earnings bridge 2023-2028 per company under the reported lives and the economic
  life, and the operating-income uplift table the Dashboard charts.

Units: US$bn; EPS in US$ per diluted share after tax at the input rate.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sheets.model.base import Block, Writer, col, fmt_of, formula_block
from sheets.model.depreciation_claim import Gaps, Grid
from sheets.model.depreciation_frame import ANNUAL_FIRST_YEAR, HEADLINE_LIVES, Frame, sum4
from sheets.model.depreciation_inputs import COMPANIES, GRADES, SCENARIOS, TICKERS
from sheets.model.depreciation_installed import InstalledBase
from sheets.model.styles import write_text

__all__ = [
    "Annual",
    "Answer",
    "Bridge",
    "fill_answer",
    "reserve_answer",
    "write_annual",
    "write_bridge",
    "write_scenarios",
]

BRIDGE_FIRST_YEAR = 2023
BRIDGE_ROWS = (
    ("Revenue", "USD_bn"),
    ("D&A, reported lives", "USD_bn"),
    ("Margin before D&A", "pct"),
    ("Operating income, reported lives", "USD_bn"),
    ("Operating margin, reported lives", "pct"),
    ("D&A / revenue, reported lives", "pct"),
    ("Tax rate", "pct"),
    ("Diluted shares", "shares_m"),
    ("EPS, reported lives (US$)", "USD"),
    ("Servers: depreciation at economic life - reported", "USD_bn"),
    ("D&A, economic life", "USD_bn"),
    ("Operating income, economic life", "USD_bn"),
    ("Operating margin, economic life", "pct"),
    ("D&A / revenue, economic life", "pct"),
    ("EPS, economic life (US$)", "USD"),
    ("Operating income: reported - economic life", "USD_bn"),
    ("EPS: reported - economic life (US$)", "USD"),
)


@dataclass(frozen=True)
class Answer:
    """The answer's reserved rows: (company or "Total", headline life index) each."""

    ans_first: int
    ans_rows: list[tuple[str, int]]


@dataclass(frozen=True)
class Annual:
    """Calendar-year blocks, US$bn: modelled, reported, the chart's and the total."""

    ann_years: list[int]
    a_mod: Block
    a_rep: Block
    a_chart: Block
    a_tot: Block


@dataclass(frozen=True)
class Bridge:
    """The earnings bridge: company -> label -> row, and year -> column."""

    rows: dict[str, dict[str, int]]
    cols: dict[int, int]


def reserve_answer(w: Writer, f: Frame) -> Answer:
    """Header and labels of the answer at the top of the sheet."""
    head_years = f.head_years
    w.section(
        "The answer: how much the reported lives raise operating income and EPS, against "
        "an economic life of servers and network equipment",
        "US$bn of operating income (positive = reported lives give lower depreciation); EPS "
        "in US$ per diluted share after tax at the input rate. Shares, lag and lives: the "
        "calibrated engine (fitted values or overrides); capex: the scenario in use.",
    )
    head = [
        "Economic life, years",
        *[str(y) for y in head_years],
        f"{head_years[0]}-{head_years[-1]}",
        f"{head_years[-1]}, % of operating income",
        *[f"EPS {y}" for y in head_years],
        "Weakest evidence",
    ]
    w.header("Company", "USD_bn", head)
    ans_first = w.row
    ans_rows = [(c, j) for c in (*COMPANIES, "Total") for j in range(HEADLINE_LIVES)]
    w.labels([c for c, _ in ans_rows])
    w.note(
        "Reading: the reported lives raise operating income by this much against the life "
        "shown. Weakest evidence: the lowest grade (filed > seed > derived > fitted > "
        "assumption) of what the row rests on; the economic life is an assumption."
    )
    return Answer(ans_first, ans_rows)


def write_scenarios(w: Writer) -> None:
    """Scenario values side by side and the one in use (names DD_use_growth, DD_use_life)."""
    model, ws = w.model, w.ws
    w.section(
        "Scenarios: values side by side; 'In use' follows DD_scenario on Inputs",
        "bull (for earnings): flat capex, longer life; bear (the short-life critique): "
        "capex +25% a year, 3-year life.",
    )
    w.header("Parameter", "", [*SCENARIOS, "In use"])
    params = [("Capex growth 2027-2028", "pct", "DD_capex_growth_{}", "DD_use_growth")]
    params.append(("Economic life, years", "years", "DD_life_{}", "DD_use_life"))
    sc_first = w.row
    w.labels([p[0] for p in params])
    for i, (_, unit, pattern, name) in enumerate(params):
        r = sc_first + i
        ws.cell(row=r, column=2, value=unit)
        for j, sc in enumerate(SCENARIOS):
            w.put(r, Writer.FIRST + j, f"={pattern.format(sc)}", fmt_of(unit))
        base, bull, bear = (pattern.format(sc) for sc in SCENARIOS)
        c_use = Writer.FIRST + len(SCENARIOS)
        w.put(
            r,
            c_use,
            f'=IF(DD_scenario="bull",{bull},IF(DD_scenario="bear",{bear},{base}))',
            fmt_of(unit),
        )
        model.define(name, ws, f"{col(c_use)}{r}")


def write_annual(w: Writer, f: Frame, base: InstalledBase, gaps: Gaps) -> Annual:
    """Depreciation by calendar year: modelled, reported, and under the life in use."""
    yk, last_full = f.yk, f.last_full
    ann_years = list(range(ANNUAL_FIRST_YEAR, f.last_year + 1))
    ann_labels = [f"{y}E" if y > last_full else str(y) for y in ann_years]

    def annual(
        title: str,
        fn: Callable[[str, int, int], str],
        unit: str = "USD_bn",
        series: Sequence[str] = COMPANIES,
    ) -> Block:
        return formula_block(
            w, title, unit, ann_labels, list(series), lambda s, i, r: fn(s, yk[ann_years[i]], r)
        )

    mod, rep, alt_gap = base.mod, base.rep, gaps.alt_gap
    a_mod = annual(
        "Depreciation of property modelled by calendar year, US$bn",
        lambda s, k, r: f"=SUM({sum4(mod, s, k)})/USDm_per_USDbn",
    )
    a_rep = annual(
        "D&A reported (cash-flow line) by year, US$bn (blank unless four quarters are filed)",
        lambda s, k, r: (
            f'=IF(COUNT({sum4(rep, s, k)})=Q_per_year,SUM({sum4(rep, s, k)})/USDm_per_USDbn,"")'
        ),
    )
    chart_series = [
        f"{c} {kind}" for c in COMPANIES for kind in ("reported lives", "economic life")
    ]

    def chart_cell(s: str, k: int, r: int) -> str:
        company, _, kind = s.partition(" ")
        i = k - yk[ANNUAL_FIRST_YEAR]
        if kind == "reported lives":
            return f"={a_mod.cell(company, i)}"
        return f"={a_mod.cell(company, i)}+SUM({sum4(alt_gap, company, k)})/USDm_per_USDbn"

    a_chart = annual(
        "Depreciation by year under the reported lives and under the economic life in use, "
        "US$bn (chart; E = forecast)",
        chart_cell,
        series=chart_series,
    )
    a_tot = annual(
        "Four companies: depreciation by year, reported lives vs economic life in use, US$bn",
        lambda s, k, r: (
            "=" + "+".join(a_chart.cell(f"{c} {s}", k - yk[ANNUAL_FIRST_YEAR]) for c in COMPANIES)
        ),
        series=["reported lives", "economic life"],
    )
    return Annual(ann_years, a_mod, a_rep, a_chart, a_tot)


def write_bridge(w: Writer, f: Frame, base: InstalledBase, annual: Annual, gaps: Gaps) -> Bridge:
    """The earnings bridge per company and the operating-income uplift table."""
    model, ws, yk, last_full = w.model, w.ws, f.yk, f.last_full
    head_years, ann_years = f.head_years, annual.ann_years
    a_mod, a_rep, alt_gap = annual.a_mod, annual.a_rep, gaps.alt_gap
    revenue, op_inc = base.revenue, base.op_inc
    bridge_years = list(range(BRIDGE_FIRST_YEAR, f.last_year + 1))
    w.section(
        f"Earnings bridge {bridge_years[0]}-{bridge_years[-1]}: reported lives vs the economic "
        "life in use (DD_use_life)",
        f"Filed years (to {last_full}): revenue, operating income and D&A as filed. Forecast: "
        "revenue grows at DD_rev_growth; D&A = modelled property depreciation + the part the "
        f"model does not hold (filed D&A - modelled in {last_full}, held flat); operating "
        "income = revenue x the margin before D&A (the latest filed year's (operating income "
        "+ D&A) / revenue + DD_margin_change) - D&A. EPS: operating income after tax / "
        "diluted shares.",
    )
    bridge_rows = BRIDGE_ROWS
    bridge: dict[str, dict[str, int]] = {}
    by = {y: Writer.FIRST + j for j, y in enumerate(bridge_years)}
    usd, pct = fmt_of("USD_bn"), fmt_of("pct")
    for company in COMPANIES:
        t = TICKERS[company]
        w.row += 1
        w.header(company, "", [f"{y}E" if y > last_full else str(y) for y in bridge_years])
        rows = {label: w.row + i for i, (label, _) in enumerate(bridge_rows)}
        bridge[company] = rows
        for label, unit in bridge_rows:
            ws.cell(row=rows[label], column=1, value=label)
            ws.cell(row=rows[label], column=2, value=unit)
        w.row += len(bridge_rows)
        for y in bridge_years:
            c = by[y]
            lc, pc = col(c), col(c - 1)
            k = yk[y]
            ia = ann_years.index(y)
            rr = {lab: f"{lc}{r}" for lab, r in rows.items()}
            prev = {lab: f"{pc}{r}" for lab, r in rows.items()}
            last_c = col(by[last_full])
            if y <= last_full:
                rev_f = (
                    f"=IF(COUNT({sum4(revenue, company, k)})=Q_per_year,"
                    f'SUM({sum4(revenue, company, k)})/USDm_per_USDbn,"")'
                )
                da_f = f"={a_rep.cell(company, ia)}"
                oi_f = (
                    f"=IF(COUNT({sum4(op_inc, company, k)})=Q_per_year,"
                    f'SUM({sum4(op_inc, company, k)})/USDm_per_USDbn,"")'
                )
                m_f = (
                    f"=IF(AND(ISNUMBER({rr['Operating income, reported lives']}),"
                    f"ISNUMBER({rr['D&A, reported lives']}),ISNUMBER({rr['Revenue']})),"
                    f"({rr['Operating income, reported lives']}+{rr['D&A, reported lives']})"
                    f'/{rr["Revenue"]},"")'
                )
            else:
                rev_f = f"={prev['Revenue']}*(1+DD_rev_growth_{t})"
                da_f = (
                    f"={a_mod.cell(company, ia)}+{last_c}{rows['D&A, reported lives']}"
                    f"-{a_mod.cell(company, ann_years.index(last_full))}"
                )
                m_f = f"={last_c}{rows['Margin before D&A']}+DD_margin_change_{t}"
                oi_f = f"={rr['Revenue']}*{rr['Margin before D&A']}-{rr['D&A, reported lives']}"
            w.put(rows["Revenue"], c, rev_f, usd)
            w.put(rows["D&A, reported lives"], c, da_f, usd)
            w.put(rows["Margin before D&A"], c, m_f, pct)
            w.put(rows["Operating income, reported lives"], c, oi_f, usd)

            def ratio(num: str, den: str) -> str:
                return f'=IF(AND(ISNUMBER({num}),ISNUMBER({den})),{num}/{den},"")'

            def eps(oi: str, rr: dict = rr) -> str:
                return (
                    f"=IF(ISNUMBER({oi}),{oi}*USDm_per_USDbn*(1-{rr['Tax rate']})"
                    f'/{rr["Diluted shares"]},"")'
                )

            w.put(
                rows["Operating margin, reported lives"],
                c,
                ratio(rr["Operating income, reported lives"], rr["Revenue"]),
                pct,
            )
            w.put(
                rows["D&A / revenue, reported lives"],
                c,
                ratio(rr["D&A, reported lives"], rr["Revenue"]),
                pct,
            )
            w.put(rows["Tax rate"], c, f"=DD_tax_{t}", pct)
            w.put(rows["Diluted shares"], c, f"=DD_shares_{t}", fmt_of("shares_m"))
            w.put(
                rows["EPS, reported lives (US$)"],
                c,
                eps(rr["Operating income, reported lives"]),
                fmt_of("USD"),
            )
            gap = rr["Servers: depreciation at economic life - reported"]
            w.put(
                rows["Servers: depreciation at economic life - reported"],
                c,
                f"=SUM({sum4(alt_gap, company, k)})/USDm_per_USDbn",
                usd,
            )
            w.put(
                rows["D&A, economic life"],
                c,
                f'=IF(ISNUMBER({rr["D&A, reported lives"]}),{rr["D&A, reported lives"]}+{gap},"")',
                usd,
            )
            oi = rr["Operating income, reported lives"]
            w.put(
                rows["Operating income, economic life"],
                c,
                f'=IF(ISNUMBER({oi}),{oi}-{gap},"")',
                usd,
            )
            w.put(
                rows["Operating margin, economic life"],
                c,
                ratio(rr["Operating income, economic life"], rr["Revenue"]),
                pct,
            )
            w.put(
                rows["D&A / revenue, economic life"],
                c,
                ratio(rr["D&A, economic life"], rr["Revenue"]),
                pct,
            )
            w.put(
                rows["EPS, economic life (US$)"],
                c,
                eps(rr["Operating income, economic life"]),
                fmt_of("USD"),
            )
            w.put(rows["Operating income: reported - economic life"], c, f"={gap}", usd)
            w.put(
                rows["EPS: reported - economic life (US$)"],
                c,
                f"={gap}*USDm_per_USDbn*(1-{rr['Tax rate']})/{rr['Diluted shares']}",
                fmt_of("USD"),
            )

    w.section("Operating income uplift from the reported lives vs the economic life in use, US$bn")
    w.header("Year", "USD_bn", list(COMPANIES))
    up_first, up_last = w.labels([str(y) for y in head_years])
    for i, y in enumerate(head_years):
        for ci, c in enumerate(COMPANIES):
            w.put(
                up_first + i,
                Writer.FIRST + ci,
                f"={col(by[y])}{bridge[c]['Operating income: reported - economic life']}",
                fmt_of("USD_bn"),
            )
    model.blocks["dd_uplift"] = Block(
        w.title, up_first, up_last, {c: Writer.FIRST + i for i, c in enumerate(COMPANIES)}
    )
    return Bridge(bridge, by)


def fill_answer(w: Writer, f: Frame, answer: Answer, gaps: Gaps, grid: Grid, br: Bridge) -> None:
    """The answer's rows: uplift per headline year, its sum, % of operating income, EPS."""
    model, ws, head_years = w.model, w.ws, f.head_years
    ans_first, ans_rows = answer.ans_first, answer.ans_rows
    grid_life, gap_cell, bridge, by = gaps.grid_life, grid.gap_cell, br.rows, br.cols
    for idx, (company, j) in enumerate(ans_rows):
        r = ans_first + idx
        k = j + 1  # grid rows 2.. = 3, 4, 5 years with the default first life
        w.put(r, Writer.FIRST, f"={grid_life[k]}", "0")
        for yi in range(len(head_years)):
            c = Writer.FIRST + 1 + yi
            if company == "Total":
                cells = [
                    f"{col(c)}{ans_first + COMPANIES.index(x) * HEADLINE_LIVES + j}"
                    for x in COMPANIES
                ]
                text = "=" + "+".join(cells)
            else:
                text = f"={gap_cell[(company, k, yi)]}"
            w.put(r, c, text, fmt_of("USD_bn"))
        cs = Writer.FIRST + 1 + len(head_years)
        w.put(r, cs, f"=SUM({col(Writer.FIRST + 1)}{r}:{col(cs - 1)}{r})", fmt_of("USD_bn"))
        last_y = head_years[-1]
        if company == "Total":
            oi = "+".join(
                f"{col(by[last_y])}{bridge[x]['Operating income, reported lives']}"
                for x in COMPANIES
            )
            w.put(r, cs + 1, f"={col(cs - 1)}{r}/({oi})", fmt_of("pct"))
        else:
            oi = f"{col(by[last_y])}{bridge[company]['Operating income, reported lives']}"
            w.put(r, cs + 1, f"={col(cs - 1)}{r}/{oi}", fmt_of("pct"))
            t = TICKERS[company]
            for yi in range(len(head_years)):
                w.put(
                    r,
                    cs + 2 + yi,
                    f"={col(Writer.FIRST + 1 + yi)}{r}*USDm_per_USDbn*(1-DD_tax_{t})/DD_shares_{t}",
                    fmt_of("USD"),
                )
        write_text(ws, r, cs + 2 + len(head_years), _weakest(("assumption", "fitted", "filed")))
    model.blocks["dd_answer"] = Block(w.title, ans_first, ans_first + len(ans_rows) - 1, {})


def _weakest(grades: Sequence[str]) -> str:
    """The weakest of the grades (GRADES runs strongest first)."""
    return max(grades, key=GRADES.index)
