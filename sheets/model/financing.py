"""The Financing sheet: how many quarters do CoreWeave and Nebius last at 11-15% debt?

Each company starts from its latest filed balance sheet (CoreWeave: the latest 10-Q;
Nebius, an annual 20-F filer: the latest year end; both read from ``sec_quarterly`` by
position, so a refresh moves them on and a company added moves nothing), spends its
committed capex (an input with its source), borrows the debt-funded share of it (表10:
neocloud giants are 75% debt-funded), pays interest = rate x balance
(AIM_DEBT_SCHEDULE) and runs until its cash is gone (AIM_FUNDED_RUNWAY). Three debt
costs: 表10's neocloud-giant 11%, the emerging-neocloud 15% and their mid-point;
CoreWeave's runway is also gridded against capex growth.
"""

from __future__ import annotations

from openpyxl.chart import LineChart, Reference
from openpyxl.utils import get_column_letter, quote_sheetname

from sheets.model.base import Block, Model, Writer, col, fmt_of
from sheets.model.inputs import inputs_table
from sheets.model.latest import latest_filed, write_presence
from sheets.model.styles import cell_title
from sheets.model.timeline import PIVOT_FIRST_ROW, PIVOT_STEM

__all__ = ["FINANCING_SHEET", "RATE_LABELS", "write_financing"]

FINANCING_SHEET = "Financing"
RATE_LABELS = ("11pct", "13pct", "15pct")
"""Output metric suffixes of the three debt costs (their values are on Inputs)."""
ENTITIES = ("CoreWeave", "Nebius")
ACTUAL_FROM = "2024Q1"
GRID_STEPS = (-2, -1, 0, 1, 2)  # multiples of Neo_capex_step around the base growth


def _default(name: str) -> float:
    return float(next(i.default for i in inputs_table() if i.name == name))


def _pivot_slice(model: Model, entity: str, metric: str, i0: int, i1: int) -> str:
    assert model.pivot is not None
    letter = get_column_letter(model.pivot.column(entity, metric))
    return (
        f"{quote_sheetname(PIVOT_STEM)}!${letter}${PIVOT_FIRST_ROW + i0}:"
        f"${letter}${PIVOT_FIRST_ROW + i1}"
    )


def write_financing(model: Model) -> None:
    w = Writer(
        model,
        FINANCING_SHEET,
        "How long do CoreWeave and Nebius last at 11-15% debt? From the latest filed cash "
        "and debt, with committed capex, debt-funded at 表10's share, interest = rate x "
        "balance (AIM_DEBT_SCHEDULE), runway by AIM_FUNDED_RUNWAY.",
    )
    w.ws.column_dimensions["A"].width = 52
    n = int(_default("Fin_quarters"))

    w.section(
        "The answer: quarters until cash runs out, by debt cost (committed capex, no new equity)",
        "'not exhausted': cash lasts the whole projection (Fin_quarters). Debt grows by the "
        "debt-funded share of capex; interest is paid in cash each quarter.",
    )
    head = ["Cash: quarter", "Cash at start", "Debt: quarter", "Debt at start"]
    head += [f"Runway at rate {k + 1}" for k in range(3)] + ["Lowest cash, mid rate"]
    w.header("Company", "quarters", head)
    answer_first, _ = w.labels(list(ENTITIES))
    w.note(
        "Rates 1-3 are the debt costs below: 表10 neocloud giants, the mid-point, 表10 emerging. "
        "Cash and debt are each the latest filed balance, with its quarter: where a filing "
        "omits a balance (CoreWeave's 2026Q2 10-Q tags no long-term debt) the quarter before "
        "is used and shown."
    )

    w.section(
        "Runways compared: this sheet's answer and the Neocloud sheet's, with what each assumes",
        "They differ by design: the Neocloud rows are the report's arithmetic (cash and "
        "free cash flow of the report's last quarter, no new borrowing); the answer above "
        "starts from the latest filed balances and adds committed capex, 75% debt funding "
        "and interest at each rate.",
    )
    w.header("Runway", "quarters", ["Quarters", "Assumes"])
    compare_first, _ = w.labels(
        [
            "CoreWeave, Neocloud sheet (report's last quarter, average FCF)",
            "CoreWeave, this sheet, rate 1 (latest filed, committed capex, borrowing)",
            "Nebius, Neocloud sheet (latest 20-F cash, 图24 burn before capex)",
            "Nebius, this sheet, rate 1 (latest 20-F, committed capex, borrowing)",
        ]
    )
    neo_cw = model.blocks["neocloud_coreweave_runway"]
    neo_nb = model.blocks["neocloud_nebius_runway"]
    rate1 = f"${col(Writer.FIRST + 4)}$"
    for i, (formula, text) in enumerate(
        (
            (f"={neo_cw.ref('Quarters', 2)}", "cash and 图23 FCF of one quarter; no borrowing"),
            (f"={rate1}{answer_first}", "cash and debt quarters shown above; Fin_quarters"),
            (f"={neo_nb.ref('Quarters', 2)}", "upper bound: burn before capex"),
            (f"={rate1}{answer_first + 1}", "cash and debt quarters shown above; Fin_quarters"),
        )
    ):
        w.put(compare_first + i, Writer.FIRST, formula, "0.0")
        w.ws.cell(row=compare_first + i, column=Writer.FIRST + 1, value=text)

    w.section("Debt cost, yearly (表10, seed line 951; text line 571: CoreWeave 11-14%)")
    w.header("Rate", "pct", ["Rate 1 (low)", "Rate 2 (mid)", "Rate 3 (high)"])
    rate_row, _ = w.labels(["Cost of debt"], "pct")
    w.put(rate_row, Writer.FIRST, "=Kd_NG", fmt_of("pct"))
    w.put(rate_row, Writer.FIRST + 1, "=AVERAGE(Kd_NG,Kd_EN)", fmt_of("pct"))
    w.put(rate_row, Writer.FIRST + 2, "=Kd_EN", fmt_of("pct"))
    rates = [f"${col(Writer.FIRST + j)}${rate_row}" for j in range(3)]
    model.blocks["financing_rates"] = Block(
        w.title, rate_row, rate_row, {f"Rate {j + 1}": Writer.FIRST + j for j in range(3)}
    )

    starts = {"CoreWeave": _coreweave_start(model, w), "Nebius": _nebius_start(model, w)}
    projections = {e: _projection(model, w, e, starts[e], rates, n) for e in ENTITIES}

    # the answer rows
    for k, entity in enumerate(ENTITIES):
        r = answer_first + k
        s, p = starts[entity], projections[entity]
        w.put(r, Writer.FIRST, f"={s['label']}")
        w.put(r, Writer.FIRST + 1, f"={s['cash']}", fmt_of("USD_m"))
        w.put(r, Writer.FIRST + 2, f"={s['debt_label']}")
        w.put(r, Writer.FIRST + 3, f"={s['debt']}", fmt_of("USD_m"))
        for j in range(3):
            w.put(r, Writer.FIRST + 4 + j, f"={p['runway'][j]}", "0.0")
            model.output(
                entity,
                f"runway_quarters_at_{RATE_LABELS[j]}",
                "",
                "quarters",
                f"{quote_sheetname(w.title)}!{p['runway'][j].replace('$', '')}",
            )
        w.put(r, Writer.FIRST + 7, f"={p['lowest'][1]}", fmt_of("USD_m"))
    model.blocks["financing_answer"] = Block(
        w.title,
        answer_first,
        answer_first + len(ENTITIES) - 1,
        {h: Writer.FIRST + j for j, h in enumerate(head)},
    )
    _grid(model, w, starts["CoreWeave"], rates, n)
    write_presence(model, w)
    _charts(model, w, projections)


def _coreweave_start(model: Model, w: Writer) -> dict[str, str]:
    """CoreWeave's filed quarters and the latest cash and debt, found by position."""
    assert model.timeline is not None
    quarters = list(model.timeline.quarters)
    i0 = quarters.index(ACTUAL_FROM)
    i1 = len(quarters) - 1
    periods = quarters[i0:]
    metrics = [
        ("Cash", "cash"),
        ("Long-term debt", "long_term_debt"),
        ("Interest expense", "interest_expense"),
        ("Capex", "capex"),
        ("Operating cash flow", "ocf"),
    ]
    w.section(
        "CoreWeave, filed quarters (SEC 10-Q/10-K, sec_quarterly), US$m",
        "Empty: not filed yet. A refresh that brings a quarter fills its row and moves the "
        "start of the projection on.",
    )
    names = [label for label, _ in metrics] + ["Interest, TTM", "OCF, TTM", "Position"]
    w.header("Quarter", "USD_m", names)
    first, last = w.labels(periods)
    columns = {name: Writer.FIRST + j for j, name in enumerate(names)}
    for label, metric in metrics:
        sl = _pivot_slice(model, "CoreWeave", metric, i0, i1)
        w.array(first, columns[label], len(periods), 1, f'=IF(ISNUMBER({sl}),{sl},"")', "#,##0")
    block = Block(w.title, first, last, columns)
    for name, source in (
        ("Interest, TTM", "Interest expense"),
        ("OCF, TTM", "Operating cash flow"),
    ):
        w.array(
            first,
            columns[name],
            len(periods),
            1,
            f"=AIM_TTM({block.range(source)},TTM_window)",
            "#,##0",
        )
    for i in range(len(periods)):
        w.ws.cell(row=first + i, column=columns["Position"], value=i + 1)
    model.blocks["coreweave_filed"] = block

    w.section("CoreWeave: starting point (the latest filed quarter)")
    w.header("Measure", "Unit", ["Value"])
    r, _ = w.labels(
        [
            "Position of the latest quarter with cash filed",
            "Start: quarter of the cash balance",
            "Cash at start (US$m)",
            "Position of the latest quarter with debt filed",
            "Quarter of the debt balance",
            "Long-term debt at start (US$m)",
            "Operating cash flow before interest per quarter: (OCF + interest) TTM / 4",
            "Committed capex per quarter (Capex_commit_CoreWeave / Q_per_year)",
            "Debt-funded share of capex (1 - We_NG, 表10 neocloud giants)",
            "Principal repaid per quarter (Repay_q_CoreWeave)",
        ]
    )
    c = Writer.FIRST
    here = {k: f"${col(c)}${r + k}" for k in range(10)}
    quarter_col = f"$A${first}:$A${last}"
    w.array(r, c, 1, 1, f"=MAX(IF(ISNUMBER({block.range('Cash')}),{block.range('Position')},0))")
    w.put(r + 1, c, f"=INDEX({quarter_col},{here[0]})")
    w.put(r + 2, c, f"=INDEX({block.range('Cash')},{here[0]})", fmt_of("USD_m"))
    w.array(
        r + 3,
        c,
        1,
        1,
        f"=MAX(IF(ISNUMBER({block.range('Long-term debt')}),{block.range('Position')},0))",
    )
    w.put(r + 4, c, f"=INDEX({quarter_col},{here[3]})")
    w.put(r + 5, c, f"=INDEX({block.range('Long-term debt')},{here[3]})", fmt_of("USD_m"))
    w.put(
        r + 6,
        c,
        f"=(INDEX({block.range('OCF, TTM')},{here[0]})"
        f"+INDEX({block.range('Interest, TTM')},{here[0]}))/TTM_window",
        fmt_of("USD_m"),
    )
    w.put(r + 7, c, "=Capex_commit_CoreWeave/Q_per_year", fmt_of("USD_m"))
    w.put(r + 8, c, "=1-We_NG", fmt_of("pct"))
    w.put(r + 9, c, "=Repay_q_CoreWeave", fmt_of("USD_m"))
    return {
        "label": here[1],
        "debt_label": here[4],
        "cash": here[2],
        "debt": here[5],
        "ocf": here[6],
        "capex": here[7],
        "share": here[8],
        "repay": here[9],
    }


def _nebius_start(model: Model, w: Writer) -> dict[str, str]:
    """Nebius files a 20-F a year: its latest year-end cash and debt (sec_quarterly, at the
    quarter of the balance-sheet date, found by position) and 图24's quarterly burn."""
    w.section(
        "Nebius: starting point (latest 20-F year-end balance; quarterly flows from 图24)",
        "Nebius files no quarterly XBRL: cash and long-term debt at the latest 20-F year end "
        "(sec_quarterly holds them at the quarter of the balance-sheet date); operating cash "
        "flow before interest = 图24's operating income + D&A, the average of its last four "
        "quarters (Neocloud sheet).",
    )
    w.header("Measure", "Unit", ["Position", "Quarter", "Value"])
    r, _ = w.labels(
        [
            "Cash at start (US$m, latest 20-F)",
            "Long-term debt at start (US$m, latest 20-F)",
            "Operating cash flow before interest per quarter (图24, last four quarters)",
            "Committed capex per quarter (Capex_commit_Nebius / Q_per_year)",
            "Debt-funded share of capex (1 - We_NG, 表10 neocloud giants)",
            "Principal repaid per quarter (Repay_q_Nebius)",
        ]
    )
    c = Writer.FIRST
    cash = latest_filed(model, w, r, c, "Nebius", "cash", fmt_of("USD_m"))
    debt = latest_filed(model, w, r + 1, c, "Nebius", "long_term_debt", fmt_of("USD_m"))
    v = c + 2
    here = {k: f"${col(v)}${r + k}" for k in range(6)}
    burn = model.blocks["nebius_burn"]
    last = burn.last - burn.first
    span = f"{burn.ref('Operating burn', last - 3)}:{burn.cell('Operating burn', last)}"
    w.put(r + 2, v, f"=AVERAGE({span})", fmt_of("USD_m"))
    w.put(r + 3, v, "=Capex_commit_Nebius/Q_per_year", fmt_of("USD_m"))
    w.put(r + 4, v, "=1-We_NG", fmt_of("pct"))
    w.put(r + 5, v, "=Repay_q_Nebius", fmt_of("USD_m"))
    return {
        "label": _local(cash.quarter),
        "debt_label": _local(debt.quarter),
        "cash": _local(cash.value),
        "debt": _local(debt.value),
        "ocf": here[2],
        "capex": here[3],
        "share": here[4],
        "repay": here[5],
    }


def _local(ref: str) -> str:
    """A same-sheet reference without its sheet name."""
    return ref.split("!", 1)[1]


def _projection(
    model: Model, w: Writer, entity: str, s: dict[str, str], rates: list[str], n: int
) -> dict:
    """Quarter-by-quarter cash and debt at the three debt costs, and the runways."""
    w.section(
        f"{entity}: projection from the start, US$m, at the three debt costs",
        "Interest and debt: AIM_DEBT_SCHEDULE(debt at start, new borrowing, repayments, "
        "rate, Q_per_year); cash = previous + OCF before interest - capex - interest - "
        "repayments + new borrowing.",
    )
    names = ["Quarter", "OCF before interest", "Capex", "New borrowing", "Repayments"]
    for j in range(3):
        names += [f"Interest r{j + 1}", f"Debt r{j + 1}", f"Debt service r{j + 1}"]
        names += [f"Cash r{j + 1}"]
    w.header("Quarter after the start", "USD_m", names)
    first, last = w.labels([f"+{i + 1}" for i in range(n)])
    cols = {name: Writer.FIRST + j for j, name in enumerate(names)}
    b = Block(w.title, first, last, cols)
    m = fmt_of("USD_m")
    for i in range(n):
        r = first + i
        k = f"{col(cols['Quarter'])}{r}"
        w.ws.cell(row=r, column=cols["Quarter"], value=i + 1)
        w.put(r, cols["OCF before interest"], f"={s['ocf']}*(1+Neo_ocf_growth_q)^({k}-1)", m)
        w.put(r, cols["Capex"], f"={s['capex']}*(1+Neo_capex_growth_q)^({k}-1)", m)
        w.put(r, cols["New borrowing"], f"={b.cell('Capex', i)}*{s['share']}", m)
        w.put(r, cols["Repayments"], f"={s['repay']}", m)
    runway, lowest = [], []
    for j in range(3):
        ci = cols[f"Interest r{j + 1}"]
        w.array(
            first,
            ci,
            n,
            2,
            f"=AIM_DEBT_SCHEDULE({s['debt']},{b.range('New borrowing')},"
            f"{b.range('Repayments')},{rates[j]},Q_per_year)",
            m,
        )
        for i in range(n):
            r = first + i
            w.put(
                r,
                cols[f"Debt service r{j + 1}"],
                f"={b.cell(f'Interest r{j + 1}', i)}+{b.cell('Repayments', i)}",
                m,
            )
            prev = s["cash"] if i == 0 else b.cell(f"Cash r{j + 1}", i - 1)
            w.put(
                r,
                cols[f"Cash r{j + 1}"],
                f"={prev}+{b.cell('OCF before interest', i)}-{b.cell('Capex', i)}"
                f"-{b.cell(f'Debt service r{j + 1}', i)}+{b.cell('New borrowing', i)}",
                m,
            )
    w.row = last + 1
    w.section(
        f"{entity}: runway, quarters: AIM_FUNDED_RUNWAY(cash at start, OCF, capex, debt "
        "service, new borrowing)"
    )
    w.header("Debt cost", "", ["Quarters", "Lowest cash (US$m)"])
    rf, _ = w.labels(["Rate 1 (low)", "Rate 2 (mid)", "Rate 3 (high)"])
    for j in range(3):
        r = rf + j
        w.array(
            r,
            Writer.FIRST,
            1,
            2,
            f"=AIM_FUNDED_RUNWAY({s['cash']},{b.range('OCF before interest')},"
            f"{b.range('Capex')},{b.range(f'Debt service r{j + 1}')},"
            f"{b.range('New borrowing')})",
            "0.0",
        )
        w.ws.cell(row=r, column=Writer.FIRST + 1).number_format = m
        runway.append(f"${col(Writer.FIRST)}${r}")
        lowest.append(f"${col(Writer.FIRST + 1)}${r}")
    model.blocks[f"financing_{entity.lower()}"] = b
    return {"block": b, "runway": runway, "lowest": lowest}


def _grid(model: Model, w: Writer, s: dict[str, str], rates: list[str], n: int) -> None:
    """CoreWeave's runway against debt cost (columns) and capex growth (rows)."""
    w.section(
        "CoreWeave runway grid, quarters: debt cost (across) x capex growth per quarter (down)",
        "Each cell: AIM_FUNDED_RUNWAY over its own capex path and AIM_DEBT_SCHEDULE; the "
        "middle row is the base case above. Workings below the grid.",
    )
    head = ["Capex growth / quarter"]
    for j in range(3):
        head += [f"Rate {j + 1}: quarters", f"Rate {j + 1}: lowest cash"]
    w.header("Row (steps of Neo_capex_step)", "", head)
    gfirst, _ = w.labels([str(k) for k in GRID_STEPS])
    for i, k in enumerate(GRID_STEPS):
        r = gfirst + i
        w.ws.cell(row=r, column=1, value=k)
        w.put(r, Writer.FIRST, f"=Neo_capex_growth_q+$A{r}*Neo_capex_step", fmt_of("pct"))
    w.row += 1
    # the grid's workings run 48 columns wide: printed pages stop above them
    w.ws.print_area = f"A1:{col(w.ws.max_column)}{w.row - 1}"
    w.section("Grid workings: capex, borrowing, interest and debt per row and rate, US$m")
    names = ["Quarter"]
    for i in range(len(GRID_STEPS)):
        names += [f"g{i} capex", f"g{i} borrowing"]
        for j in range(3):
            names += [f"g{i} interest r{j + 1}", f"g{i} debt r{j + 1}", f"g{i} service r{j + 1}"]
    w.header("Quarter after the start", "USD_m", names)
    first, last = w.labels([f"+{i + 1}" for i in range(n)])
    cols = {name: Writer.FIRST + j for j, name in enumerate(names)}
    b = Block(w.title, first, last, cols)
    m = fmt_of("USD_m")
    proj = model.blocks["financing_coreweave"]
    repay = proj.range("Repayments")
    for q in range(n):
        w.ws.cell(row=first + q, column=cols["Quarter"], value=q + 1)
    for i in range(len(GRID_STEPS)):
        growth = f"${col(Writer.FIRST)}${gfirst + i}"
        for q in range(n):
            r = first + q
            k = f"$C{r}"
            w.put(r, cols[f"g{i} capex"], f"={s['capex']}*(1+{growth})^({k}-1)", m)
            w.put(r, cols[f"g{i} borrowing"], f"={b.cell(f'g{i} capex', q)}*{s['share']}", m)
        for j in range(3):
            w.array(
                first,
                cols[f"g{i} interest r{j + 1}"],
                n,
                2,
                f"=AIM_DEBT_SCHEDULE({s['debt']},{b.range(f'g{i} borrowing')},{repay},"
                f"{rates[j]},Q_per_year)",
                m,
            )
            for q in range(n):
                w.put(
                    first + q,
                    cols[f"g{i} service r{j + 1}"],
                    f"={b.cell(f'g{i} interest r{j + 1}', q)}+{proj.cell('Repayments', q)}",
                    m,
                )
            ocf = proj.range("OCF before interest")
            w.array(
                gfirst + i,
                Writer.FIRST + 1 + 2 * j,
                1,
                2,
                f"=AIM_FUNDED_RUNWAY({s['cash']},{ocf},{b.range(f'g{i} capex')},"
                f"{b.range(f'g{i} service r{j + 1}')},{b.range(f'g{i} borrowing')})",
                "0.0",
            )
            w.ws.cell(row=gfirst + i, column=Writer.FIRST + 2 + 2 * j).number_format = m
    model.blocks["financing_grid"] = Block(
        w.title,
        gfirst,
        gfirst + len(GRID_STEPS) - 1,
        {h: Writer.FIRST + j for j, h in enumerate(head)},
    )


def _charts(model: Model, w: Writer, projections: dict) -> None:
    """Cash and debt under the three debt costs, one chart per company; each title names
    the quarter its cash starts from (a cell, so a refresh moves it)."""
    answer = model.blocks["financing_answer"]
    w.section("Chart titles (from the starting quarters above)")
    title_row = w.row
    w.row += len(ENTITIES)
    for k, entity in enumerate(ENTITIES):
        b: Block = projections[entity]["block"]
        chart = LineChart()
        for name in ("Cash r1", "Cash r2", "Cash r3", "Debt r2"):
            c = b.columns[name]
            ref = Reference(w.ws, min_col=c, max_col=c, min_row=b.first - 1, max_row=b.last)
            chart.add_data(ref, titles_from_data=True)
        chart.set_categories(Reference(w.ws, min_col=1, max_col=1, min_row=b.first, max_row=b.last))
        quarter = f"${col(answer.columns['Cash: quarter'])}${answer.first + k}"
        w.put(
            title_row + k,
            1,
            f'="{entity}: cash from "&{quarter}&" at debt cost r1/r2/r3, and debt, US$m"',
        )
        cell_title(
            chart,
            f"{quote_sheetname(w.title)}!$A${title_row + k}",
            f"{entity}: cash from the latest filed quarter at debt cost r1/r2/r3, and debt, US$m",
        )
        chart.y_axis.title = "US$m"
        chart.y_axis.numFmt = "#,##0"
        chart.x_axis.title = "Quarters after the start"
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.legend.position = "b"
        chart.width, chart.height = 16.0, 7.5
        w.ws.add_chart(chart, f"M{4 + 16 * k}")
