"""The Neocloud sheet: how long can a neocloud burn cash at 11-15% debt?

CoreWeave (图23, line 897) and Nebius (图24, line 921): free cash flow and burn, capex
intensity, the D&A and interest burden, margins and growth, each checked against the
seed's printed ratios, and the runway from the cash filed (10-Q; Nebius' 20-F).
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
    rng,
)
from sheets.model.capex import Q7, Q8
from sheets.model.latest import latest_filed
from sheets.model.timeline import quarterly_entities

__all__ = ["NEOCLOUD_SHEET", "write_neocloud"]

NEOCLOUD_SHEET = "Neocloud"
F23 = "f23_coreweave"
F24 = "f24_nebius"


def _sub(block: Block, name: str, n: int) -> str:
    """The first ``n`` periods of a series as an absolute range."""
    return rng(None, block.columns[name], block.first, block.first + n - 1)


def _ratio_checks(
    model: Model,
    stem: str,
    entity: str,
    block: Block,
    name: str,
    periods: list[str],
    metric: str,
    label: str,
    num: str,
    den: str,
) -> None:
    for i, p in enumerate(periods):
        key = (stem, entity, metric, p)
        if model.has(*key):
            model.check(
                key,
                f"{entity} {label} {p}",
                block.ref(name, i),
                compute=lambda a, b: a / b,
                inputs=[(stem, entity, num, p), (stem, entity, den, p)],
            )


def _growth_checks(
    model: Model,
    stem: str,
    entity: str,
    block: Block,
    name: str,
    periods: list[str],
    metric: str,
    lag: int,
    base_metric: str,
    label: str,
) -> None:
    for i, p in enumerate(periods):
        key = (stem, entity, metric, p)
        if model.has(*key) and i >= lag:
            model.check(
                key,
                f"{entity} {label} {p}",
                block.ref(name, i),
                compute=lambda a, b: a / b - 1,
                inputs=[
                    (stem, entity, base_metric, p),
                    (stem, entity, base_metric, periods[i - lag]),
                ],
            )


def write_neocloud(model: Model) -> None:
    w = Writer(
        model,
        NEOCLOUD_SHEET,
        "How long can a neocloud burn cash? CoreWeave and Nebius cash flow, capex "
        "intensity, D&A and interest burden, and runway from the filed cash (the Financing "
        "sheet adds debt, interest and committed capex).",
    )
    _coreweave(model, w)
    _nebius(model, w)
    _funding(model, w)
    _latest_runway(model, w)


def _latest_runway(model: Model, w: Writer) -> None:
    """CoreWeave's runway on the filings: the latest filed cash over the average free cash
    flow of the four quarters to the latest filed quarter (the Capex sheet's TTM / 4)."""
    answers = model.blocks.get("filings_answers")
    entities = quarterly_entities(model.data) if model.pivot is not None else []
    if answers is None or "CoreWeave" not in entities:
        return
    k = entities.index("CoreWeave")
    w.section(
        "CoreWeave runway at the latest filed quarter (10-Qs), quarters: "
        "AIM_RUNWAY(latest filed cash, average free cash flow of the last four filed quarters)",
        "Assumes: no new borrowing and no capex beyond the filed run-rate; the quarters read "
        "are shown. The report's arithmetic (its last quarter, 图23) is above; the "
        "Financing sheet's answer adds committed capex, borrowing and interest.",
    )
    w.header("Measure", "", ["Position", "Quarter", "Value"])
    r, _ = w.labels(
        [
            "Cash, latest filed (sec_quarterly), US$m",
            "Free cash flow, TTM to the latest filed quarter (Capex sheet), US$m",
            "Average free cash flow a quarter, US$m",
            "Runway at that rate (quarters)",
        ]
    )
    cash = latest_filed(model, w, r, Writer.FIRST, "CoreWeave", "cash", fmt_of("USD_m"))
    c = Writer.FIRST
    w.put(r + 1, c, f"={answers.ref('Timeline number', k)}", fmt_of("count"), link=True)
    w.put(r + 1, c + 1, f"={answers.ref('Latest filed quarter', k)}", link=True)
    w.put(r + 1, c + 2, f"={answers.ref('Free cash flow, TTM', k)}", fmt_of("USD_m"), link=True)
    w.put(r + 2, c + 2, f"={col(c + 2)}{r + 1}/Q_per_year", fmt_of("USD_m"))
    w.array(r + 3, c + 2, 1, 1, f"=AIM_RUNWAY({cash.value},{col(c + 2)}{r + 2})", "0.0")
    block = Block(w.title, r, r + 3, {"Position": c, "Quarter": c + 1, "Value": c + 2})
    model.blocks["neocloud_coreweave_latest_runway"] = block
    model.output(
        "CoreWeave", "runway_quarters_latest_filed_fcf", "", "quarters", block.ref("Value", 3)
    )


def _funding(model: Model, w: Writer) -> None:
    """What AI borrowers pay and raise (表6 and the text around it)."""
    t06 = "t06_ai_debt"
    w.section("Cost of debt: neoclouds against hyperscalers (表6, seed lines 572-579, 679)")
    w.header("Borrower", "pct", ["Low", "High"])
    rows = [
        (
            "CoreWeave financing rate",
            ("CoreWeave", "cost_of_debt_low", ""),
            ("CoreWeave", "cost_of_debt_high", ""),
        ),
        ("xAI bond yield (2025-07)", ("xAI", "bond_yield", "2025-07"), None),
        ("Alphabet", ("Alphabet", "cost_of_debt_low", ""), ("Alphabet", "cost_of_debt_high", "")),
    ]
    r = w.row
    w.labels([label for label, _, _ in rows])
    for i, (_, low, high) in enumerate(rows):
        w.put(r + i, Writer.FIRST, f"={model.ref(t06, *low)}", fmt_of("pct"), link=True)
        if high:
            w.put(r + i, Writer.FIRST + 1, f"={model.ref(t06, *high)}", fmt_of("pct"), link=True)
    w.section("Financing rounds (表6)")
    w.header("Round", "USD_bn", ["Debt", "Equity", "Total"])
    r = w.row
    w.labels(["xAI, 2025-07", "xAI, 2026-01 (SPV debt)"])
    parts = [
        (("xAI", "debt_financing", "2025-07"), ("xAI", "equity_investment", "2025-07")),
        (("xAI", "spv_debt", "2026-01"), ("xAI", "equity_investment", "2026-01")),
    ]
    for i, (debt, equity) in enumerate(parts):
        row = r + i
        w.put(row, Writer.FIRST, f"={model.ref(t06, *debt)}", fmt_of("USD_bn"), link=True)
        w.put(row, Writer.FIRST + 1, f"={model.ref(t06, *equity)}", fmt_of("USD_bn"), link=True)
        w.put(row, Writer.FIRST + 2, f"=C{row}+D{row}", fmt_of("USD_bn"))
        period = debt[2]
        model.check(
            (t06, "xAI", "total_financing", period),
            f"xAI {period} financing total",
            f"'{w.title}'!E{row}",
            compute=lambda a, b: a + b,
            inputs=[(t06, *debt), (t06, *equity)],
        )
    model.not_checked(
        (t06, "Meta", "jv_external_funding_share", ""),
        "the complement of the 20% Meta funds itself; the seed prints no amounts",
    )


def _coreweave(model: Model, w: Writer) -> None:
    names = [
        "Revenue",
        "Adjusted capex",
        "D&A",
        "Interest",
        "Adj. operating income",
        "Adj. net income",
    ]
    metrics = dict(
        zip(
            names,
            [
                "revenue",
                "adjusted_capex",
                "d_and_a",
                "interest_expense",
                "adjusted_operating_income",
                "adjusted_net_income",
            ],
            strict=True,
        )
    )
    cw = link_block(
        w,
        "CoreWeave, US$m (图23, line 897)",
        "USD_m",
        Q8,
        names,
        lambda s, p: (F23, "CoreWeave", metrics[s], p),
        note="2025Q4E = full-year guidance mid-point minus 2025Q1-Q3; the seed "
        "prints no D&A, interest or net income for it.",
    )
    n7, n8 = len(Q7), len(Q8)
    fcf = array_block(
        w,
        "CoreWeave free cash flow, US$m: AIM_CASH_BURN(adj. operating income, D&A, "
        "interest, capex)",
        "USD_m",
        Q7,
        ["Free cash flow"],
        lambda s: (
            "=AIM_CASH_BURN("
            + ",".join(
                _sub(cw, name, n7)
                for name in ("Adj. operating income", "D&A", "Interest", "Adjusted capex")
            )
            + ")",
            n7,
        ),
        note="Operating income + D&A - interest - capex (taxes nil); negative = cash burned.",
    )
    fcf_col = col(fcf.columns["Free cash flow"])
    cum = formula_block(
        w,
        "CoreWeave cumulative cash burned since 2024Q1, US$m",
        "USD_m",
        Q7,
        ["Cumulative"],
        lambda s, i, r: f"=-SUM(${fcf_col}${fcf.first}:{fcf_col}{fcf.first + i})",
    )
    ratios = array_block(
        w,
        "CoreWeave capex/revenue: AIM_CAPEX_INTENSITY(capex, revenue)",
        "pct",
        Q8,
        ["Capex/revenue"],
        lambda s: (f"=AIM_CAPEX_INTENSITY({cw.range('Adjusted capex')},{cw.range('Revenue')})", n8),
    )
    _ratio_checks(
        model,
        F23,
        "CoreWeave",
        ratios,
        "Capex/revenue",
        Q8,
        "capex_to_revenue",
        "capex/revenue",
        "adjusted_capex",
        "revenue",
    )
    numerator = {
        "D&A": "D&A",
        "Interest": "Interest",
        "Adj. operating margin": "Adj. operating income",
        "Adj. net margin": "Adj. net income",
    }
    burden = formula_block(
        w,
        "CoreWeave burden and margins (share of revenue)",
        "pct",
        Q8,
        list(numerator),
        lambda s, i, r: (
            None
            if (s in ("D&A", "Interest", "Adj. net margin") and i >= n7)
            else f"={cw.cell(numerator[s], i)}/{cw.cell('Revenue', i)}"
        ),
    )
    for name, metric, num in (
        ("D&A", "d_and_a_to_revenue", "d_and_a"),
        ("Interest", "interest_to_revenue", "interest_expense"),
        ("Adj. operating margin", "adjusted_operating_margin", "adjusted_operating_income"),
        ("Adj. net margin", "adjusted_net_margin", "adjusted_net_income"),
    ):
        _ratio_checks(
            model, F23, "CoreWeave", burden, name, Q8, metric, name.lower(), num, "revenue"
        )
    growth = array_block(
        w,
        "CoreWeave growth: AIM_GROWTH(series, lag)",
        "pct",
        Q8,
        ["Revenue q/q", "Revenue y/y", "Capex q/q"],
        lambda s: (
            {
                "Revenue q/q": f"=AIM_GROWTH({cw.range('Revenue')},Lag_qoq)",
                "Revenue y/y": f"=AIM_GROWTH({cw.range('Revenue')},Lag_yoy)",
                "Capex q/q": f"=AIM_GROWTH({cw.range('Adjusted capex')},Lag_qoq)",
            }[s],
            n8,
        ),
    )
    _growth_checks(
        model,
        F23,
        "CoreWeave",
        growth,
        "Revenue q/q",
        Q8,
        "revenue_qoq",
        1,
        "revenue",
        "revenue q/q",
    )
    _growth_checks(
        model,
        F23,
        "CoreWeave",
        growth,
        "Revenue y/y",
        Q8,
        "revenue_yoy",
        4,
        "revenue",
        "revenue y/y",
    )
    _growth_checks(
        model,
        F23,
        "CoreWeave",
        growth,
        "Capex q/q",
        Q8,
        "capex_qoq",
        1,
        "adjusted_capex",
        "capex q/q",
    )

    w.section(
        f"CoreWeave runway as of the report's last quarter ({Q7[-1]}), quarters: "
        "AIM_RUNWAY(cash filed that quarter, 图23 free cash flow)",
        "Assumes: cash and free cash flow of the same quarter (the report's, 图23), no new "
        "borrowing, no committed capex beyond 图23's run-rate; 'not exhausted' when cash "
        "flow is not negative. The Financing sheet starts from the latest filed cash and "
        "adds committed capex, 75% debt funding and interest = rate x balance: its runway "
        "is the model's answer; this one is the report's arithmetic (compared there).",
    )
    w.header("Measure", "", ["Quarters"])
    r = w.row
    w.labels(
        [
            f"Cash at {Q7[-1]}, US$m (10-Q, sec_quarterly)",
            "Average free cash flow, last four quarters (US$m)",
            "Runway at that rate (quarters)",
            "Runway at the last quarter's free cash flow (quarters)",
        ]
    )
    cash = f"$C${r}"
    if model.pivot is not None and model.timeline is not None:
        at = model.pivot.cell("CoreWeave", "cash", model.timeline.index(Q7[-1]))
        w.put(r, Writer.FIRST, f"={at}", fmt_of("USD_m"), link=True)
    last4 = f"{fcf.cell('Free cash flow', n7 - 4)}:{fcf.cell('Free cash flow', n7 - 1)}"
    w.put(r + 1, Writer.FIRST, f"=AVERAGE({last4})", fmt_of("USD_m"))
    w.array(r + 2, Writer.FIRST, 1, 1, f"=AIM_RUNWAY({cash},C{r + 1})", "0.0")
    w.array(
        r + 3,
        Writer.FIRST,
        1,
        1,
        f"=AIM_RUNWAY({cash},{fcf.cell('Free cash flow', n7 - 1)})",
        "0.0",
    )
    model.blocks["neocloud_coreweave_runway"] = Block(w.title, r, r + 3, {"Quarters": Writer.FIRST})
    b = model.blocks["neocloud_coreweave_runway"]
    model.output(
        "CoreWeave", "report_runway_quarters_avg_fcf", Q7[-1], "quarters", b.ref("Quarters", 2)
    )
    model.output(
        "CoreWeave", "report_runway_quarters_last_fcf", Q7[-1], "quarters", b.ref("Quarters", 3)
    )
    model.blocks.update({"coreweave": cw, "coreweave_fcf": fcf, "coreweave_cum": cum})


def _nebius(model: Model, w: Writer) -> None:
    names = ["Revenue", "Gross profit", "D&A", "Operating income", "Adj. net income"]
    metrics = dict(
        zip(
            names,
            ["revenue", "gross_profit", "d_and_a", "operating_income", "adjusted_net_income"],
            strict=True,
        )
    )
    nb = link_block(
        w,
        "Nebius, US$m (图24, line 921)",
        "USD_m",
        Q7,
        names,
        lambda s, p: (F24, "Nebius", metrics[s], p),
        note="The seed prints no capex or interest for Nebius: its burn below is "
        "operating (operating income + D&A), before investment.",
    )
    n7 = len(Q7)
    numerator = {
        "Gross margin": "Gross profit",
        "D&A": "D&A",
        "Operating margin": "Operating income",
        "Adj. net margin": "Adj. net income",
    }
    margins = formula_block(
        w,
        "Nebius margins and D&A burden (share of revenue)",
        "pct",
        Q7,
        list(numerator),
        lambda s, i, r: f"={nb.cell(numerator[s], i)}/{nb.cell('Revenue', i)}",
    )
    for name, metric, num in (
        ("Gross margin", "gross_margin", "gross_profit"),
        ("D&A", "d_and_a_to_revenue", "d_and_a"),
        ("Operating margin", "operating_margin", "operating_income"),
        ("Adj. net margin", "adjusted_net_margin", "adjusted_net_income"),
    ):
        _ratio_checks(model, F24, "Nebius", margins, name, Q7, metric, name.lower(), num, "revenue")
    growth = array_block(
        w,
        "Nebius revenue growth: AIM_GROWTH(revenue, lag)",
        "pct",
        Q7,
        ["q/q", "y/y"],
        lambda s: (
            f"=AIM_GROWTH({nb.range('Revenue')},{'Lag_qoq' if s == 'q/q' else 'Lag_yoy'})",
            n7,
        ),
    )
    _growth_checks(
        model, F24, "Nebius", growth, "q/q", Q7, "revenue_qoq", 1, "revenue", "revenue q/q"
    )
    _growth_checks(
        model, F24, "Nebius", growth, "y/y", Q7, "revenue_yoy", 4, "revenue", "revenue y/y"
    )
    ops = formula_block(
        w,
        "Nebius operating cash flow before investment, US$m (operating income + D&A)",
        "USD_m",
        Q7,
        ["Operating burn"],
        lambda s, i, r: f"={nb.cell('Operating income', i)}+{nb.cell('D&A', i)}",
    )
    w.section(
        "Nebius runway on operating burn, quarters: AIM_RUNWAY(latest 20-F cash, burn)",
        "Assumes: the latest 20-F year-end cash (its quarter beside it) and 图24's operating "
        "burn before capex, which the seed does not print: an upper bound. The Financing "
        "sheet adds committed capex, debt and interest.",
    )
    w.header("Measure", "", ["Quarters", "", "Position", "Quarter", "Value"])
    r = w.row
    w.labels(
        [
            "Cash at the latest 20-F year end, US$m (its quarter in F)",
            "Average operating burn, last four quarters (US$m)",
            "Runway at that rate",
        ]
    )
    if model.pivot is not None:
        latest = latest_filed(model, w, r, Writer.FIRST + 2, "Nebius", "cash", fmt_of("USD_m"))
        w.put(r, Writer.FIRST, f"={latest.value.split('!', 1)[1]}", "#,##0")
    last4 = f"{ops.cell('Operating burn', n7 - 4)}:{ops.cell('Operating burn', n7 - 1)}"
    w.put(r + 1, Writer.FIRST, f"=AVERAGE({last4})", fmt_of("USD_m"))
    w.array(r + 2, Writer.FIRST, 1, 1, f"=AIM_RUNWAY($C${r},C{r + 1})", "0.0")
    model.blocks["neocloud_nebius_runway"] = Block(w.title, r, r + 2, {"Quarters": Writer.FIRST})
    nb_runway = model.blocks["neocloud_nebius_runway"]
    model.output(
        "Nebius", "runway_quarters_before_capex", "", "quarters", nb_runway.ref("Quarters", 2)
    )
    model.blocks.update({"nebius": nb, "nebius_burn": ops})
