"""The RPO sheet: how fast do the backlogs (表9) become revenue?

Each balance is spread with AIM_RPO_SCHEDULE using the share recognized within twelve
months and the conversion horizon on Inputs; Microsoft's balance is also run forward
with the new OpenAI order (AIM_RPO_CONVERSION); and where the seed gives a quarter's
growth and revenue, the quarter's bookings are implied (AIM_IMPLIED_BOOKINGS).
"""

from __future__ import annotations

from sheets.model.base import Block, Model, Writer, col, fmt_of, rng
from sheets.model.inputs import RPO_COMPANIES, inputs_table
from sheets.model.latest import latest_filed

QUARTERS_SHOWN = 20
"""Quarters of Microsoft's RPO run forward shown: five years, the length of the array
range (fixed when the workbook is built, so a layout constant, not an input)."""

__all__ = ["RPO_SHEET", "write_rpo"]

RPO_SHEET = "RPO"
T09 = "t09_rpo"
T00 = "t00_text_figures"
F19 = "f19_cloud_growth"


def _default(name: str) -> float:
    return next(i.default for i in inputs_table() if i.name == name)


def write_rpo(model: Model) -> None:
    w = Writer(
        model,
        RPO_SHEET,
        "How fast does a backlog become revenue? 表9's RPO balances converted into "
        "revenue by quarter, Microsoft's run forward, and implied bookings.",
    )
    q = int(_default("Q_per_year"))
    horizons = {short: int(_default(f"RPO_years_{short}")) * q for _, short, _ in RPO_COMPANIES}
    longest = max(horizons.values())
    w.section(
        "Revenue recognized from today's RPO, US$bn: AIM_RPO_SCHEDULE(RPO, share in 12 "
        "months, years, Q_per_year)",
        "Quarters after each balance date (Oracle 2025-11-30, the others 2025-09-30).",
    )
    names = [c for c, _, _ in RPO_COMPANIES]
    w.header("Quarter after the balance", "USD_bn", [*names, "Quarter", "Year", "Mid-point, yrs"])
    first, last = w.labels([f"+{i + 1}" for i in range(longest)])
    columns = {}
    for j, (company, short, _) in enumerate(RPO_COMPANIES):
        c = Writer.FIRST + j
        columns[company] = c
        w.array(
            first,
            c,
            horizons[short],
            1,
            f"=AIM_RPO_SCHEDULE(RPO_{short},RPO_pct12_{short},RPO_years_{short},Q_per_year)",
            fmt_of("USD_bn"),
        )
    qc = Writer.FIRST + len(names)
    for i in range(longest):
        r = first + i
        w.ws.cell(row=r, column=qc, value=i + 1)
        w.put(r, qc + 1, f"=ROUNDUP({col(qc)}{r}/Q_per_year,0)", "0")
        w.put(r, qc + 2, f"=({col(qc)}{r}-Mid_period)/Q_per_year", "0.00")
    columns.update({"Quarter": qc, "Year": qc + 1, "Mid": qc + 2})
    sched = Block(w.title, first, last, columns)
    model.blocks["rpo_schedule"] = sched

    years = list(range(1, longest // q + 1))
    w.section("Revenue recognized by year after the balance date, US$bn")
    w.header("Year", "USD_bn", names)
    yfirst, ylast = w.labels([str(y) for y in years])
    for i, y in enumerate(years):
        r = yfirst + i
        w.ws.cell(row=r, column=1, value=y)
        for j, company in enumerate(names):
            w.put(
                r,
                Writer.FIRST + j,
                f"=SUMIF({sched.range('Year')},$A{r},{sched.range(company)})",
                fmt_of("USD_bn"),
            )
    model.blocks["rpo_by_year"] = Block(
        w.title, yfirst, ylast, {c: Writer.FIRST + j for j, c in enumerate(names)}
    )

    w.section("Weighted average time to revenue, years (revenue-weighted mid-points)")
    w.header("Measure", "years", names)
    r = w.row
    w.labels(["Weighted average duration"], "years")
    for j, company in enumerate(names):
        w.put(
            r,
            Writer.FIRST + j,
            f"=SUMPRODUCT({sched.range(company)},{sched.range('Mid')})/SUM({sched.range(company)})",
            "0.00",
        )
    duration_ms = f"'{w.title}'!{col(Writer.FIRST + names.index('Microsoft'))}{r}"
    model.check(
        (T09, "Microsoft", "rpo_weighted_average_duration", "2025-09"),
        "Microsoft RPO weighted average duration, about 2 years (Inputs' share and "
        "horizon reproduce it)",
        duration_ms,
    )

    # Microsoft run forward: the balance and later bookings at Microsoft's blended profile,
    # the OpenAI order over its own 5-7-year term (seed line 863), not the blend.
    n = QUARTERS_SHOWN
    w.section(
        "Microsoft RPO run forward, US$bn: the 2025-09 balance (AIM_RPO_CONVERSION) plus the "
        "OpenAI order over its own term (AIM_CONTRACT_SCHEDULE)",
        "The US$250bn order (2025-10) is not in the 2025-09 balance: it converts level over "
        "the mid-point of its 5-7 years, not at the blended 40%-in-12-months profile.",
    )
    w.header("Measure", "Unit", ["Value"])
    tr, _ = w.labels(
        [
            "OpenAI order: quarters it converts over (mid-point of 5-7 years x Q_per_year)",
            "OpenAI order: revenue in its first four quarters (US$bn)",
            "RPO at 2025-09 plus the OpenAI order (US$bn)",
            "OpenAI order: shape of the schedule",
        ]
    )
    term_q = f"${col(Writer.FIRST)}${tr}"
    w.ws.cell(row=tr + 3, column=Writer.FIRST, value="level")
    w.put(tr, Writer.FIRST, "=AVERAGE(OAI_term_MSFT_low,OAI_term_MSFT_high)*Q_per_year", "0")
    w.header(
        "Quarter after 2025-09-30",
        "USD_bn",
        [
            "Other bookings",
            "Revenue: balance and other bookings",
            "RPO excl. the order",
            "Revenue: OpenAI order",
            "OpenAI order remaining",
            "Revenue recognized",
            "Ending RPO",
            "Quarters shown",
        ],
    )
    cfirst, clast = w.labels([f"+{i + 1}" for i in range(n)])
    bc = Writer.FIRST
    names = [
        "Other bookings",
        "Revenue: balance",
        "RPO excl. order",
        "Revenue: OpenAI order",
        "Order remaining",
        "Revenue recognized",
        "Ending RPO",
        "Quarters shown",
    ]
    conv = Block(w.title, cfirst, clast, {k: bc + j for j, k in enumerate(names)})
    shown = f"${col(conv.columns['Quarters shown'])}${cfirst}"
    w.put(cfirst, conv.columns["Quarters shown"], f"=ROWS({conv.range('Other bookings')})", "0")
    for i in range(n):
        w.put(
            cfirst + i,
            bc,
            "=0" if i == 0 else "=Bookings_MSFT_later",
            fmt_of("USD_bn"),
        )
    w.array(
        cfirst,
        conv.columns["Revenue: balance"],
        n,
        2,
        f"=AIM_RPO_CONVERSION(RPO_MSFT,{conv.range('Other bookings')},RPO_pct12_MSFT,"
        "RPO_years_MSFT,Q_per_year)",
        fmt_of("USD_bn"),
    )
    w.array(
        cfirst,
        conv.columns["Revenue: OpenAI order"],
        n,
        1,
        f"=AIM_CONTRACT_SCHEDULE(Bookings_MSFT_next,OAI_MSFT_start_q,{term_q},"
        f"${col(Writer.FIRST)}${tr + 3},{shown})",
        fmt_of("USD_bn"),
    )
    order = conv.columns["Revenue: OpenAI order"]
    for i in range(n):
        r = cfirst + i
        w.put(
            r,
            conv.columns["Order remaining"],
            f"=Bookings_MSFT_next-SUM(${col(order)}${cfirst}:{col(order)}{r})",
            fmt_of("USD_bn"),
        )
        w.put(
            r,
            conv.columns["Revenue recognized"],
            f"={conv.cell('Revenue: balance', i)}+{conv.cell('Revenue: OpenAI order', i)}",
            fmt_of("USD_bn"),
        )
        w.put(
            r,
            conv.columns["Ending RPO"],
            f"={conv.cell('RPO excl. order', i)}+{conv.cell('Order remaining', i)}",
            fmt_of("USD_bn"),
        )
    w.put(
        tr + 1,
        Writer.FIRST,
        f"=SUM({conv.cell('Revenue: OpenAI order', 0)}:{conv.cell('Revenue: OpenAI order', 3)})",
        fmt_of("USD_bn"),
    )
    w.put(tr + 2, Writer.FIRST, "=RPO_MSFT+Bookings_MSFT_next", fmt_of("USD_bn"))
    model.blocks["rpo_conversion"] = conv
    model.blocks["rpo_msft_order"] = Block(w.title, tr, tr + 3, {"Value": Writer.FIRST})

    # Implied bookings where the seed gives the quarter's growth and revenue.
    w.section(
        "Implied bookings in 2025Q3, US$bn: AIM_IMPLIED_BOOKINGS(RPO, revenue)",
        "Previous balance = RPO ÷ (1 + reported q/q growth). Revenue 2025Q3: AWS US$33.0bn (line "
        "855); Google Cloud 11.5 x (1 + 34%) = 15.4 (line 833 prints the 2024Q3 base).",
    )
    heads = []
    for company in ("Google Cloud", "AWS"):
        heads += [f"{company} RPO", f"{company} revenue", f"{company} bookings"]
    w.header("Quarter", "USD_bn", heads)
    bfirst, blast = w.labels(["2025Q2 (implied)", "2025Q3"])
    for j, company in enumerate(("Google Cloud", "AWS")):
        c = Writer.FIRST + 3 * j
        qoq = model.ref(T09, company, "rpo_qoq", "2025-09")
        bal = model.ref(T09, company, "rpo", "2025-09")
        w.put(bfirst, c, f"={col(c)}{blast}/(1+{qoq})", fmt_of("USD_bn"))
        w.put(blast, c, f"={bal}", fmt_of("USD_bn"), link=True)
        if company == "Google Cloud":
            # seed line 833's US$11.5bn is the 2024Q3 base of its +34%: 2025Q3 = 11.5 x 1.34
            revenue = (
                f"={model.ref(T00, company, 'revenue', '2025Q3')}"
                f"*(1+{model.ref(F19, company, 'revenue_yoy', '2025Q3')})"
            )
        else:  # AWS 2025Q3: US$33.0bn (line 855) = line 833's 27.5 x 1.20
            revenue = f"={model.ref(T00, company, 'revenue', '2025Q3')}"
        w.put(blast, c + 1, revenue, fmt_of("USD_bn"), link=True)
        w.array(
            bfirst,
            c + 2,
            2,
            1,
            f"=AIM_IMPLIED_BOOKINGS({rng(None, c, bfirst, blast)},"
            f"{rng(None, c + 1, bfirst, blast)})",
            fmt_of("USD_bn"),
        )
        model.not_checked(
            (T09, company, "rpo_qoq", "2025-09"),
            "used to imply the previous quarter's balance for implied bookings",
        )
    w.note("Book-to-bill above 1 (bookings > revenue) means the backlog is still growing.")
    for company, metric in (
        ("Oracle", "rpo_yoy"),
        ("Oracle", "rpo_qoq"),
        ("Microsoft", "rpo_yoy"),
        ("Google Cloud", "rpo_yoy"),
    ):
        period = "2025-11" if company == "Oracle" else "2025-09"
        model.not_checked(
            (T09, company, metric, period),
            "the seed prints no earlier balance to recompute the growth from",
        )
    _openai(model, w)
    _filed_rpo(model, w)


def _filed_rpo(model: Model, w: Writer) -> None:
    """The latest RPO each company files quarterly (RevenueRemainingPerformanceObligation,
    sec_quarterly by position) beside the report's 2025-09 balance (表9)."""
    if model.pivot is None:
        return
    filers = [
        e
        for e in ("Microsoft", "Alphabet")
        if model.data.filings is not None
        and ((model.data.filings.entity == e) & (model.data.filings.metric == "rpo")).any()
    ]
    if not filers:
        return
    w.section(
        "RPO as filed: the latest quarter's balance (SEC, RevenueRemainingPerformanceObligation), "
        "US$m, beside 表9's",
        "Filed RPO is the company's total (Microsoft's includes the OpenAI order booked after "
        "表9's 2025-09 date; Alphabet's is company-wide, 表9's Google Cloud only). Shown, not "
        "yet the conversion's start: the schedules above convert 表9's balances.",
    )
    w.header("Company", "", ["Position", "Latest filed quarter", "RPO filed (US$m)"])
    first, _ = w.labels(filers)
    filed = {}
    for i, entity in enumerate(filers):
        cells = latest_filed(model, w, first + i, Writer.FIRST, entity, "rpo", fmt_of("USD_m"))
        model.output(entity, "rpo_filed_latest", f"={cells.quarter}", "USD_m", cells.value)
        filed[entity] = cells
    _filed_conversion(model, w, filed)


FILED_PROFILE = {"Microsoft": "MSFT", "Alphabet": "GOOG"}
"""Whose recognition profile (Inputs: RPO_pct12_*, RPO_years_*) converts each filed RPO:
Alphabet's filed RPO is mostly Google Cloud's (表9 line 824, US$155.7bn: "revenue backlog,
mainly Google Cloud", data/t09_rpo.csv), so Google Cloud's profile."""


def _filed_conversion(model: Model, w: Writer, filed: dict) -> None:
    """The conversion started from the latest filed balance (Microsoft, Alphabet): the same
    AIM_RPO_SCHEDULE as above, on the filed RPO in US$bn, by year after the filed quarter.
    Oracle's and Amazon's year-end balances (10-K) are not in data/ on this branch."""
    q = int(_default("Q_per_year"))
    entities = [e for e in filed if e in FILED_PROFILE]
    if not entities:
        return
    horizons = {e: int(_default(f"RPO_years_{FILED_PROFILE[e]}")) * q for e in entities}
    longest = max(horizons.values())
    w.section(
        "Revenue recognized from the latest filed RPO, US$bn: AIM_RPO_SCHEDULE(filed RPO, "
        "share in 12 months, years, Q_per_year), quarters after each filed quarter (shown "
        "above)",
        "The conversion's start moves with each 10-Q. Oracle's and Amazon's year-end "
        "balances (10-K) are not in data/ yet: their conversion stays on 表9's balances.",
    )
    w.header("Quarter after the filed balance", "USD_bn", entities)
    first, last = w.labels([f"+{i + 1}" for i in range(longest)])
    cols = {}
    for j, e in enumerate(entities):
        c = Writer.FIRST + j
        cols[e] = c
        short = FILED_PROFILE[e]
        w.array(
            first,
            c,
            horizons[e],
            1,
            f"=AIM_RPO_SCHEDULE({filed[e].value}/USDm_per_USDbn,RPO_pct12_{short},"
            f"RPO_years_{short},Q_per_year)",
            fmt_of("USD_bn"),
        )
    sched = Block(w.title, first, last, cols)
    model.blocks["rpo_filed_schedule"] = sched
    w.section("Revenue recognized from the latest filed RPO by year after its quarter, US$bn")
    w.header("Year", "USD_bn", entities)
    n_years = longest // q
    yfirst, ylast = w.labels([str(y + 1) for y in range(n_years)])
    for y in range(n_years):
        r = yfirst + y
        w.ws.cell(row=r, column=1, value=y + 1)
        for c in cols.values():
            quarters = f"{col(c)}{first + y * q}:{col(c)}{first + (y + 1) * q - 1}"
            w.put(r, c, f"=SUM({quarters})", fmt_of("USD_bn"))
    block = Block(w.title, yfirst, ylast, dict(cols))
    model.blocks["rpo_filed_by_year"] = block
    for e in entities:
        model.output(e, "rpo_filed_revenue_year1", "", "USD_bn", block.ref(e, 0))


def _openai(model: Model, w: Writer) -> None:
    """OpenAI's compute commitments by supplier (表5) against its ARR (表13)."""
    t05 = "t05_openai_commitments"
    t13 = "t13_ai_arr"
    suppliers = ["Broadcom", "Oracle", "Microsoft", "Nvidia", "AMD", "AWS", "CoreWeave"]
    w.section(
        "OpenAI compute commitments 2025-2035 by supplier (seed line 539, 表5)",
        "Counterparty concentration: the order over the supplier's RPO, adding the order where "
        "it was signed after the balance date (Microsoft's 2025-10 and AWS' 2025-11 orders are "
        "not in their 2025-09 balances).",
    )
    heads = [
        "Commitment",
        "Share of total",
        "Signed",
        "RPO balance date",
        "Supplier RPO",
        "Signed after the balance date",
        "RPO incl. the order",
        "OpenAI share of RPO",
    ]
    w.header("Supplier", "USD_bn", heads)
    first, last = w.labels(suppliers)
    rpo = {company: (short, period) for company, short, period in RPO_COMPANIES}
    signed = {s: _signed(model, s) for s in suppliers}
    c = Writer.FIRST
    cols = {h: c + j for j, h in enumerate(heads)}
    total_row = last + 1
    for i, s in enumerate(suppliers):
        r = first + i
        w.put(
            r,
            c,
            f"={model.ref(t05, s, 'compute_commitment', '2025-2035')}",
            fmt_of("USD_bn"),
            link=True,
        )
        w.put(r, c + 1, f"={col(c)}{r}/{col(c)}${total_row}", fmt_of("pct"))
        w.ws.cell(row=r, column=cols["Signed"], value=signed[s])
        if s not in rpo:
            continue
        short, period = rpo[s]
        w.ws.cell(row=r, column=cols["RPO balance date"], value=period)
        sg, bd = col(cols["Signed"]), col(cols["RPO balance date"])
        after = col(cols["Signed after the balance date"])
        w.put(r, cols["Supplier RPO"], f"=RPO_{short}", fmt_of("USD_bn"))
        w.put(r, cols["Signed after the balance date"], f"={sg}{r}>{bd}{r}")
        w.put(
            r,
            cols["RPO incl. the order"],
            f"={col(cols['Supplier RPO'])}{r}+IF({after}{r},{col(c)}{r},0)",
            fmt_of("USD_bn"),
        )
        w.put(
            r,
            cols["OpenAI share of RPO"],
            f"={col(c)}{r}/{col(cols['RPO incl. the order'])}{r}",
            fmt_of("pct"),
        )
        model.output(
            s,
            "openai_share_of_rpo",
            period,
            "pct",
            f"'{w.title}'!{col(cols['OpenAI share of RPO'])}{r}",
        )
    model.blocks["openai_rpo_table"] = Block(w.title, first, last, cols)
    w.ws.cell(row=total_row, column=1, value="Total")
    w.put(total_row, c, f"=SUM({col(c)}{first}:{col(c)}{last})", fmt_of("USD_bn"))
    w.row = total_row + 1
    keys = [(t05, s, "compute_commitment", "2025-2035") for s in suppliers]
    model.check(
        (t05, "Total", "compute_commitment", "2025-2035"),
        "OpenAI commitments total US$1.15tn = sum of the seven suppliers",
        f"'{w.title}'!{col(c)}{total_row}",
        compute=lambda *xs: sum(xs),
        inputs=keys,
    )
    r = w.row
    w.labels(
        [
            "Oracle contract per year (US$300bn over 5 years)",
            "OpenAI ARR, US$bn (表13, 2025-10)",
            "OpenAI + Anthropic ARR, US$100m",
            "Commitments as a multiple of OpenAI's ARR",
        ]
    )
    value = model.ref(t05, "Oracle", "contract_value", "2025-09")
    term = model.ref(t05, "Oracle", "contract_term", "2025-09")
    w.put(r, c, f"={value}/{term}", fmt_of("USD_bn"))
    arr_o = model.ref(t13, "OpenAI", "arr", "2025-10")
    arr_a = model.ref(t13, "Anthropic", "arr", "2025-10")
    w.put(r + 1, c, f"={arr_o}*USDm_per_USD100m/USDm_per_USDbn", fmt_of("USD_bn"))
    w.put(r + 2, c, f"={arr_o}+{arr_a}", fmt_of("USD_100m"))
    w.put(r + 3, c, f"={col(c)}{total_row}/{col(c)}{r + 1}", fmt_of("multiple"))
    model.check(
        (t05, "Oracle", "contract_value_per_year", "2025-09"),
        "Oracle: US$300bn over five years, about US$60bn a year",
        f"'{w.title}'!{col(c)}{r}",
        compute=lambda v, t: v / t,
        inputs=[
            (t05, "Oracle", "contract_value", "2025-09"),
            (t05, "Oracle", "contract_term", "2025-09"),
        ],
    )
    model.check(
        (t13, "OpenAI + Anthropic", "arr", "2025-10"),
        "OpenAI + Anthropic ARR, about US$20bn",
        f"'{w.title}'!{col(c)}{r + 2}",
        compute=lambda a, b: a + b,
        inputs=[(t13, "OpenAI", "arr", "2025-10"), (t13, "Anthropic", "arr", "2025-10")],
    )


def _signed(model: Model, supplier: str) -> str:
    """The month an OpenAI order was signed: 表5's deal month (Microsoft: seed line 815)."""
    if supplier == "Microsoft":
        return str(model.row(T09, "Microsoft", "new_contract_value", "2025-10")["period"])
    frame = model.data.frame("t05_openai_commitments")
    months = frame.loc[
        (frame["entity"] == supplier) & frame["period"].str.fullmatch(r"\d{4}-\d{2}"), "period"
    ]
    return str(min(months))
