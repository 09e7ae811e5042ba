"""The Depreciation sheet: do 5-6-year server lives flatter EPS and margins? (issue 11)

The seed's second "anxiety" (lines 497-525) and the bear case that the hyperscalers
understate 2026-2028 depreciation by about US$176bn. For Amazon, Microsoft, Alphabet and
Meta the sheet:

- builds the installed base from the filed capex (``sec_quarterly``, 2015Q1 on) and the
  forecast quarters (2026 guidance, then a scenario's growth), split into servers and
  network equipment (a share of capex per company, an input with its source) and
  buildings, land and other (a blended long life);
- depreciates the server class under each company's life policy (表3/表4 levels, the
  change dates the companies disclosed; AIM_DEPR_POLICY applies every change
  prospectively) and the rest straight-line (AIM_DEPR_WATERFALL);
- calibrates: modelled D&A beside reported D&A per company and year, and each disclosed
  life-change effect recomputed (the policy with and without the change);
- bridges 2023-2028 earnings (revenue, D&A, operating income, margin, EPS) under the
  reported lives and under an alternative economic life, and answers, at the top, how
  much the reported lives raise 2026-2028 operating income and EPS against a 3-, 4- and
  5-year economic life, with a sensitivity grid (life x server share) beside the claim.

Every schedule runs down the model's timeline and reads the filings by position; a blank
filing stays blank in the reported series and counts as no spend in the installed base.
"""

from __future__ import annotations

from openpyxl.chart import LineChart, Reference
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.drawing.line import LineProperties
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import quote_sheetname

from sheets.model.base import Block, Check, Model, Writer, array_block, col, fmt_of, formula_block
from sheets.model.depreciation_inputs import COMPANIES, SCENARIOS, TICKERS
from sheets.model.styles import style_link, write_text

__all__ = ["DEPRECIATION_SHEET", "write_depreciation"]

DEPRECIATION_SHEET = "Depreciation"
T03, T04 = "t03_server_lives_history", "t04_server_lives_2025"
BRIDGE_FIRST_YEAR = 2023
ANNUAL_FIRST_YEAR = 2019
HEADLINE_LIVES = 3  # grid rows 2-4 (3, 4 and 5 years with the default first life of 2)
GRID_LIVES = 5
GRID_SHARES = 7
CAL_TOLERANCE = 0.25  # modelled D&A within 25% of reported D&A
EFFECT_TOLERANCE = 0.5  # modelled life-change effect within 50% of the disclosed one

COVERS = {
    "Amazon": "Reported D&A (DepreciationDepletionAndAmortization) adds capitalized video "
    "and music content, operating-lease assets and property under finance leases, none of "
    "it in cash capex: the model holds property bought for cash only",
    "Microsoft": "Reported series is the tag Depreciation (property and equipment, incl. "
    "finance-lease assets; no intangibles amortization), filed from FY25 only; finance-"
    "leased data centres are not in cash capex",
    "Alphabet": "Reported series is the tag Depreciation (property and equipment), filed "
    "from 2023; close to what the model holds",
    "Meta": "Reported D&A adds finance-lease and intangible amortization (small)",
}

# (company, level key in 表3 or an input, input naming the first quarter or None = start)
POLICY = (
    ("Amazon", (T03, "2017"), None),
    ("Amazon", (T03, "2020"), "DD_chg_AMZN_1"),
    ("Amazon", (T03, "2022"), "DD_chg_AMZN_2"),
    ("Amazon", (T03, "2024"), "DD_chg_AMZN_3"),
    ("Microsoft", (T03, "2017"), None),
    ("Microsoft", (T03, "2023"), "DD_chg_MSFT_1"),
    ("Alphabet", (T03, "2017"), None),
    ("Alphabet", (T03, "2023"), "DD_chg_GOOGL_1"),
    ("Meta", "DD_life_q_META_0", None),
    ("Meta", "DD_life_q_META_1", "DD_chg_META_1"),
    ("Meta", "DD_life_q_META_2", "DD_chg_META_2"),
)


def _sum4(block: Block, name: str, k: int) -> str:
    """The four quarters of the ``k``-th year of a quarterly block (relative range)."""
    c = col(block.columns[name])
    r = block.first + 4 * k
    return f"{c}{r}:{c}{r + 3}"


def write_depreciation(model: Model) -> None:
    pivot, timeline = model.pivot, model.timeline
    assert pivot is not None and timeline is not None
    quarters = list(pivot.quarters)
    n = len(quarters)
    first_year = int(quarters[0][:4])
    last_year = int(quarters[-1][:4])
    latest_year = int(timeline.latest_filed[:4])
    last_full = latest_year if timeline.latest_filed.endswith("Q4") else latest_year - 1
    forecast_years = list(range(last_full + 1, last_year + 1))
    yk = {y: y - first_year for y in range(first_year, last_year + 1)}  # year -> index
    share = {c: f"DD_use_share_{TICKERS[c]}" for c in COMPANIES}

    w = Writer(
        model,
        DEPRECIATION_SHEET,
        "Do 5-6-year server lives flatter EPS and margins? The installed base from the "
        "filed capex, each company's life policy, D&A against reported, earnings under "
        "an economic life, and the US$176bn bear case.",
    )
    ws = w.ws

    # ---- the answers (filled in once the workings below exist) -----------------------
    w.section(
        "The answer: how much the reported lives raise operating income and EPS, against "
        "an economic life of servers and network equipment",
        "US$bn of operating income (positive = reported lives give lower depreciation); EPS "
        "in US$ per diluted share after tax at the input rate. Server share and capex: the "
        "scenario in use (DD_scenario).",
    )
    head = [
        "Economic life, years",
        "2026",
        "2027",
        "2028",
        "2026-2028",
        "2028, % of operating income",
        "EPS 2026",
        "EPS 2027",
        "EPS 2028",
    ]
    head_years = forecast_years[-3:] if len(forecast_years) >= 3 else forecast_years
    head[1:4] = [str(y) for y in head_years]
    w.header("Company", "USD_bn", head)
    ans_first = w.row
    ans_rows = [(c, j) for c in (*COMPANIES, "Total") for j in range(HEADLINE_LIVES)]
    w.labels([c for c, _ in ans_rows])
    w.note(
        "Reading: the reported lives raise operating income by this much against the life shown."
    )

    w.section("How well the model matches: D&A and the disclosed life-change effects")
    cal_head = [
        "Years compared",
        "Modelled D&A, US$bn",
        "Reported D&A, US$bn",
        "Error",
        "Worst year error",
        "Share that fits reported",
        "What reported D&A covers",
    ]
    w.header("Company", "", cal_head)
    cal_first = w.row
    w.labels(list(COMPANIES))
    eff_head = [
        "Change",
        "First quarter",
        "Disclosed, US$bn",
        "Modelled, US$bn",
        "Modelled - disclosed",
        "Modelled / disclosed",
        "Share the disclosure implies",
    ]
    w.row += 1
    w.header("Company", "USD_bn", eff_head)
    eff_first = w.row
    w.labels(list(COMPANIES))
    w.row += 1
    w.header("The US$176bn claim", "USD_bn", ["Value"])
    claim_first = w.row
    w.labels(
        [
            "Claim: depreciation understated 2026-2028",
            "Model: four companies, the claim's life, server shares in use",
            "Model / claim",
            "Server share (all four) at which the model gives the claim",
            "Model: 2026-2028 gap at the base scenario's life (depr_gap output)",
        ]
    )
    w.note(
        "The claim covers Oracle too and its method is not published; the model covers "
        "Amazon, Microsoft, Alphabet and Meta. The grid below shows the gap for other lives "
        "and shares."
    )

    # ---- scenarios ------------------------------------------------------------------
    w.section(
        "Scenarios: values side by side; 'In use' follows DD_scenario on Inputs",
        "bull (for earnings): flat capex, fewer servers, longer life; bear (the short-life "
        "critique): capex +25% a year, more servers, 3-year life.",
    )
    w.header("Parameter", "", [*SCENARIOS, "In use"])
    params = [("Capex growth 2027-2028", "pct", "DD_capex_growth_{}", "DD_use_growth")]
    params.append(("Economic life, years", "years", "DD_life_{}", "DD_use_life"))
    for c in COMPANIES:
        t = TICKERS[c]
        params.append((f"{c}: server share of capex", "pct", f"DD_share_{t}_{{}}", share[c]))
    sc_first = w.row
    w.labels([p[0] for p in params])
    for i, (_, unit, pattern, use) in enumerate(params):
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
        model.define(use, ws, f"{col(c_use)}{r}")

    # ---- life policy -------------------------------------------------------------------
    w.section(
        "Server life policy: levels from 表3/表4 (Meta: inputs), change dates as the "
        "companies disclosed them",
        "Each life holds from its first quarter to the next change; AIM_DEPR_POLICY applies "
        "a change prospectively to the assets in service (ASC 250).",
    )
    w.header(
        "Company",
        "",
        [
            "First quarter",
            "Timeline number",
            "Life, quarters",
            "Life, years",
            "Life from",
            "Date from",
        ],
    )
    pol_first = w.row
    w.labels([c for c, _, _ in POLICY])
    # the quarterly timeline labels are written further down; the policy looks them up
    policy_rows: dict[str, list[int]] = {c: [] for c in COMPANIES}
    pending_quarter_refs: list[tuple[int, str | None]] = []
    for i, (company, level, change) in enumerate(POLICY):
        r = pol_first + i
        policy_rows[company].append(r)
        pending_quarter_refs.append((r, change))
        if isinstance(level, tuple):
            stem, year = level
            ref = model.ref(stem, company, "useful_life", year)
            w.put(r, Writer.FIRST + 2, f"={ref}*Q_per_year", fmt_of("count"), link=True)
            src = model.source(stem, company, "useful_life", year)
            if change is None:
                src += f"; 表3 starts in 2017: assumed in force from {quarters[0]}"
        else:
            w.put(r, Writer.FIRST + 2, f"={level}", fmt_of("count"))
            src = f"Input {level}"
        w.put(r, Writer.FIRST + 3, f"={col(Writer.FIRST + 2)}{r}/Q_per_year", fmt_of("years"))
        write_text(ws, r, Writer.FIRST + 4, src)
        write_text(
            ws,
            r,
            Writer.FIRST + 5,
            f"Input {change} (see its source on Inputs)" if change else "Start of the timeline",
        )
    w.note(
        "Amazon also cut a subset of servers and network equipment from 6 to 5 years from "
        "2025-01-01 (Q4 2024 results); 表4 keeps 6 years for 2025, and so does the policy here."
    )

    # ---- capex forecast --------------------------------------------------------------------
    w.section(
        "Capex per forecast year, US$bn: 2026 from guidance (inputs), then the scenario's "
        "growth; forecast quarters share what the filed quarters leave",
    )
    fy_labels = [str(y) for y in forecast_years]
    fc_year = formula_block(
        w,
        "Capex per year, US$bn",
        "USD_bn",
        fy_labels,
        list(COMPANIES),
        lambda s, i, r: (
            f"=DD_capex_{forecast_years[0]}_{TICKERS[s]}"
            if i == 0
            else f"={col(Writer.FIRST + COMPANIES.index(s))}{r - 1}*(1+DD_use_growth)"
        ),
    )
    for i, y in enumerate(forecast_years):
        ws.cell(row=fc_year.first + i, column=1, value=y)

    # the quarterly timeline (written before the blocks that read it)
    numbers_col = Writer.FIRST
    w.section(
        "Quarterly timeline",
        f"{quarters[0]} to {quarters[-1]}; forecast quarters are those with no filed capex "
        f"(latest filed: {timeline.latest_filed}).",
    )
    w.header("Quarter", "", ["Timeline number", "Year"])
    tl_first, tl_last = w.labels(quarters)
    for i, q in enumerate(quarters):
        ws.cell(row=tl_first + i, column=numbers_col, value=i + 1)
        ws.cell(row=tl_first + i, column=numbers_col + 1, value=int(q[:4]))
    numbers = f"${col(numbers_col)}${tl_first}:${col(numbers_col)}${tl_last}"
    years_rng = f"${col(numbers_col + 1)}${tl_first}:${col(numbers_col + 1)}${tl_last}"
    labels_rng = f"$A${tl_first}:$A${tl_last}"
    for r, change in pending_quarter_refs:
        quarter = f"={change}" if change else f"=$A${tl_first}"
        w.put(r, Writer.FIRST, quarter)
        w.put(
            r, Writer.FIRST + 1, f"=MATCH({col(Writer.FIRST)}{r},{labels_rng},0)", fmt_of("count")
        )

    def qblock(title: str, call, unit: str = "USD_m", note: str = "") -> Block:
        return array_block(
            w, title, unit, quarters, list(COMPANIES), lambda s: (call(s), n), note=note
        )

    filed = qblock(
        "Capex filed, US$m (sec_quarterly)",
        lambda s: f'=IF(ISNUMBER({pivot.range(s, "capex")}),{pivot.range(s, "capex")},"")',
        note="Blank: not filed (Amazon before 2017Q3 is not in data/: no spend in the base).",
    )
    for c in filed.columns.values():
        for r in range(filed.first, filed.last + 1):
            style_link(ws.cell(row=r, column=c))
    filed_count = formula_block(
        w,
        "Filed quarters in each forecast year",
        "count",
        fy_labels,
        list(COMPANIES),
        lambda s, i, r: f"=COUNT({_sum4(filed, s, yk[forecast_years[i]])})",
    )
    per_q = formula_block(
        w,
        "Capex per forecast quarter, US$m: (year - filed quarters) / quarters not filed",
        "USD_m",
        fy_labels,
        list(COMPANIES),
        lambda s, i, r: (
            f"=IF({filed_count.cell(s, i)}<Q_per_year,MAX(0,({fc_year.cell(s, i)}"
            f"*USDm_per_USDbn-SUM({_sum4(filed, s, yk[forecast_years[i]])}))"
            f"/(Q_per_year-{filed_count.cell(s, i)})),0)"
        ),
    )
    for blk in (filed_count, per_q):
        for i, y in enumerate(forecast_years):
            ws.cell(row=blk.first + i, column=1, value=y)
    fy_rng = f"$A${per_q.first}:$A${per_q.last}"
    capex = qblock(
        "Installed base: capex in use, US$m (filed, else the forecast quarter's share)",
        lambda s: (
            f"=IF(ISNUMBER({filed.range(s)}),{filed.range(s)},"
            f"IFERROR(LOOKUP({years_rng},{fy_rng},{per_q.range(s)}),0))"
        ),
    )
    server = qblock(
        "Servers and network equipment, US$m: capex x server share in use",
        lambda s: f"={capex.range(s)}*{share[s]}",
    )
    other = qblock(
        "Buildings, land and other, US$m: capex - servers and network",
        lambda s: f"={capex.range(s)}-{server.range(s)}",
    )

    def pol(s: str) -> tuple[str, str]:
        rows = policy_rows[s]
        nums = f"${col(Writer.FIRST + 1)}${rows[0]}:${col(Writer.FIRST + 1)}${rows[-1]}"
        lives = f"${col(Writer.FIRST + 2)}${rows[0]}:${col(Writer.FIRST + 2)}${rows[-1]}"
        return nums, lives

    lives = qblock(
        "Server life in force, quarters (reported policy)",
        lambda s: f"=LOOKUP({numbers},{pol(s)[0]},{pol(s)[1]})",
        unit="count",
    )

    def before_last(s: str) -> str:
        rows = policy_rows[s]
        last, prev = rows[-1], rows[-2]
        return (
            f"=IF({numbers}>=${col(Writer.FIRST + 1)}${last},"
            f"${col(Writer.FIRST + 2)}${prev},{lives.range(s)})"
        )

    lives_wo = qblock(
        "Server life without the latest change, quarters (the disclosure's counterfactual)",
        before_last,
        unit="count",
    )
    periods = f"ROWS({capex.range(COMPANIES[0])})"
    rep_unit = qblock(
        "Depreciation per US$ of capex under the reported policy, US$m: "
        "AIM_DEPR_POLICY(capex, lives, Depr_convention, rows)",
        lambda s: f"=AIM_DEPR_POLICY({capex.range(s)},{lives.range(s)},Depr_convention,{periods})",
        note="On all capex; x server share = the server class (depreciation is linear in capex).",
    )
    wo_unit = qblock(
        "Depreciation of all capex, policy without the latest change, US$m",
        lambda s: (
            f"=AIM_DEPR_POLICY({capex.range(s)},{lives_wo.range(s)},Depr_convention,{periods})"
        ),
    )
    srv_dep = qblock(
        "Depreciation of servers and network equipment, reported lives, US$m",
        lambda s: f"={rep_unit.range(s)}*{share[s]}",
    )
    oth_dep = qblock(
        "Depreciation of buildings, land and other, US$m: AIM_DEPR_WATERFALL(other, "
        "DD_life_other x Q_per_year, Depr_convention)",
        lambda s: (
            f"=AIM_DEPR_WATERFALL({other.range(s)},DD_life_other*Q_per_year,"
            f"Depr_convention,0,{periods})"
        ),
    )
    mod = qblock(
        "D&A modelled, US$m: servers + other",
        lambda s: f"={srv_dep.range(s)}+{oth_dep.range(s)}",
    )
    rep = qblock(
        "D&A reported, US$m (sec_quarterly metric da; blank where not filed)",
        lambda s: f'=IF(ISNUMBER({pivot.range(s, "da")}),{pivot.range(s, "da")},"")',
    )
    revenue = qblock(
        "Revenue filed, US$m",
        lambda s: f'=IF(ISNUMBER({pivot.range(s, "revenue")}),{pivot.range(s, "revenue")},"")',
    )
    op_inc = qblock(
        "Operating income filed, US$m",
        lambda s: (
            f"=IF(ISNUMBER({pivot.range(s, 'operating_income')}),"
            f'{pivot.range(s, "operating_income")},"")'
        ),
    )
    for blk in (rep, revenue, op_inc):
        for c in blk.columns.values():
            for r in range(blk.first, blk.last + 1):
                style_link(ws.cell(row=r, column=c))

    def life_block(title: str, life: str) -> Block:
        return qblock(
            title,
            lambda s: (
                f"=AIM_DEPR_WATERFALL({capex.range(s)},{life}*Q_per_year,"
                f"Depr_convention,0,{periods})"
            ),
        )

    alt_unit = life_block(
        "Depreciation per US$ of capex at the economic life in use (DD_use_life), US$m",
        "DD_use_life",
    )
    base_unit = life_block(
        "Depreciation per US$ of capex at the base scenario's life (DD_life_base), US$m",
        "DD_life_base",
    )
    claim_unit = life_block(
        "Depreciation per US$ of capex at the claim's life (DD_claim_life), US$m",
        "DD_claim_life",
    )
    alt_gap = qblock(
        "Servers: depreciation at the economic life in use minus reported lives, US$m",
        lambda s: f"=({alt_unit.range(s)}-{rep_unit.range(s)})*{share[s]}",
    )

    # grid lives: header cells first, then one block per life
    w.section("Sensitivity grid lives, years (rows of the grid)")
    w.header("Row", "years", ["Economic life"])
    gl_first = w.row
    w.labels([f"Life {k + 1}" for k in range(GRID_LIVES)])
    for k in range(GRID_LIVES):
        r = gl_first + k
        w.put(
            r,
            Writer.FIRST,
            "=DD_grid_life_first" if k == 0 else f"={col(Writer.FIRST)}{r - 1}+1",
            "0",
        )
    grid_life = [f"${col(Writer.FIRST)}${gl_first + k}" for k in range(GRID_LIVES)]
    grid_blocks = [
        life_block(f"Depreciation per US$ of capex at grid life {k + 1}, US$m", grid_life[k])
        for k in range(GRID_LIVES)
    ]

    # ---- annual: calibration, chart -----------------------------------------------------
    ann_years = list(range(ANNUAL_FIRST_YEAR, last_year + 1))
    ann_labels = [f"{y}E" if y > last_full else str(y) for y in ann_years]

    def annual(title: str, fn, unit: str = "USD_bn", series=COMPANIES) -> Block:
        blk = formula_block(
            w, title, unit, ann_labels, list(series), lambda s, i, r: fn(s, yk[ann_years[i]], r)
        )
        return blk

    a_mod = annual(
        "D&A modelled by year, US$bn",
        lambda s, k, r: f"=SUM({_sum4(mod, s, k)})/USDm_per_USDbn",
    )
    a_rep = annual(
        "D&A reported by year, US$bn (blank unless four quarters are filed)",
        lambda s, k, r: (
            f'=IF(COUNT({_sum4(rep, s, k)})=Q_per_year,SUM({_sum4(rep, s, k)})/USDm_per_USDbn,"")'
        ),
    )
    annual(
        "D&A modelled - reported, US$bn",
        lambda s, k, r: (
            f"=IF(ISNUMBER({a_rep.cell(s, k - yk[ANNUAL_FIRST_YEAR])}),"
            f"{a_mod.cell(s, k - yk[ANNUAL_FIRST_YEAR])}-"
            f'{a_rep.cell(s, k - yk[ANNUAL_FIRST_YEAR])},"")'
        ),
    )
    a_pct = annual(
        "D&A modelled / reported - 1",
        lambda s, k, r: (
            f"=IF(ISNUMBER({a_rep.cell(s, k - yk[ANNUAL_FIRST_YEAR])}),"
            f"{a_mod.cell(s, k - yk[ANNUAL_FIRST_YEAR])}/"
            f'{a_rep.cell(s, k - yk[ANNUAL_FIRST_YEAR])}-1,"")'
        ),
        unit="pct",
    )
    a_srv = annual(
        "Depreciation per US$ of capex, reported policy, by year, US$bn",
        lambda s, k, r: f"=SUM({_sum4(rep_unit, s, k)})/USDm_per_USDbn",
    )
    a_oth = annual(
        "Depreciation of buildings, land and other by year, US$bn",
        lambda s, k, r: f"=SUM({_sum4(oth_dep, s, k)})/USDm_per_USDbn",
    )
    chart_series = [
        f"{c} {kind}" for c in COMPANIES for kind in ("reported lives", "economic life")
    ]

    def chart_cell(s: str, k: int, r: int) -> str:
        company, _, kind = s.partition(" ")
        i = k - yk[ANNUAL_FIRST_YEAR]
        if kind == "reported lives":
            return f"={a_mod.cell(company, i)}"
        return f"={a_mod.cell(company, i)}+SUM({_sum4(alt_gap, company, k)})/USDm_per_USDbn"

    a_chart = annual(
        "D&A by year under the reported lives and under the economic life in use, US$bn "
        "(chart; E = forecast)",
        chart_cell,
        series=chart_series,
    )
    a_tot = annual(
        "Four companies: D&A by year, reported lives vs economic life in use, US$bn",
        lambda s, k, r: (
            "=" + "+".join(a_chart.cell(f"{c} {s}", k - yk[ANNUAL_FIRST_YEAR]) for c in COMPANIES)
        ),
        series=["reported lives", "economic life"],
    )

    # ---- 2026-2028 gaps per life (per US$ of capex), grid ---------------------------------
    gap_years = head_years
    w.section(
        "Depreciation at each grid life minus reported lives, per US$ of capex (x server "
        "share = the servers' gap), US$bn",
    )
    gap_labels = [f"Life {k + 1}, {y}" for k in range(GRID_LIVES) for y in gap_years]
    w.header("Life, year", "USD_bn", list(COMPANIES))
    gy_first = w.row
    w.labels(gap_labels)
    gap_cell: dict[tuple[str, int, int], str] = {}
    for k in range(GRID_LIVES):
        for j, y in enumerate(gap_years):
            r = gy_first + k * len(gap_years) + j
            for ci, c in enumerate(COMPANIES):
                f = (
                    f"=(SUM({_sum4(grid_blocks[k], c, yk[y])})-SUM({_sum4(rep_unit, c, yk[y])}))"
                    "/USDm_per_USDbn"
                )
                w.put(r, Writer.FIRST + ci, f, fmt_of("USD_bn"))
                gap_cell[(c, k, j)] = f"{col(Writer.FIRST + ci)}{r}"

    w.section(
        f"{gap_years[0]}-{gap_years[-1]} depreciation gap per life, US$bn (per US$ of capex; "
        "'Servers, shares in use' = what the reported lives save)",
    )
    cum_series = [*COMPANIES, "Four, per US$", "Servers, shares in use"]
    w.header("Economic life", "USD_bn", ["Years", *cum_series])
    cum_first = w.row
    w.labels([f"Life {k + 1}" for k in range(GRID_LIVES)])
    for k in range(GRID_LIVES):
        r = cum_first + k
        w.put(r, Writer.FIRST, f"={grid_life[k]}", "0")
        for ci, c in enumerate(COMPANIES):
            cells = "+".join(gap_cell[(c, k, j)] for j in range(len(gap_years)))
            w.put(r, Writer.FIRST + 1 + ci, f"={cells}", fmt_of("USD_bn"))
        comp = [f"{col(Writer.FIRST + 1 + ci)}{r}" for ci in range(len(COMPANIES))]
        w.put(r, Writer.FIRST + 5, "=" + "+".join(comp), fmt_of("USD_bn"))
        weighted = "+".join(f"{comp[ci]}*{share[c]}" for ci, c in enumerate(COMPANIES))
        w.put(r, Writer.FIRST + 6, f"={weighted}", fmt_of("USD_bn"))
    cum_per_usd = col(Writer.FIRST + 5)

    w.section(
        f"Sensitivity: {gap_years[0]}-{gap_years[-1]} depreciation understated by the reported "
        "lives, four companies, US$bn (rows: economic life; columns: server share, all four)",
        "Heat map: red = large gap. Capex: the scenario in use.",
    )
    w.header("Economic life", "USD_bn", ["Years"] + [f"Share {j + 1}" for j in range(GRID_SHARES)])
    share_row = w.row
    ws.cell(row=share_row, column=1, value="Server share")
    for j in range(GRID_SHARES):
        c = Writer.FIRST + 1 + j
        text = "=DD_grid_share_first" if j == 0 else f"={col(c - 1)}{share_row}+DD_grid_share_step"
        w.put(share_row, c, text, fmt_of("pct"))
    w.row += 1
    grid_first = w.row
    w.labels([f"Life {k + 1}" for k in range(GRID_LIVES)])
    for k in range(GRID_LIVES):
        r = grid_first + k
        w.put(r, Writer.FIRST, f"={grid_life[k]}", "0")
        for j in range(GRID_SHARES):
            c = Writer.FIRST + 1 + j
            w.put(r, c, f"={col(c)}${share_row}*${cum_per_usd}{cum_first + k}", fmt_of("USD_bn"))
    grid_ref = (
        f"{col(Writer.FIRST + 1)}{grid_first}:{col(Writer.FIRST + GRID_SHARES)}"
        f"{grid_first + GRID_LIVES - 1}"
    )
    ws.conditional_formatting.add(
        grid_ref,
        ColorScaleRule(
            start_type="min",
            start_color="63BE7B",
            mid_type="percentile",
            mid_value=50,
            mid_color="FFEB84",
            end_type="max",
            end_color="F8696B",
        ),
    )
    model.blocks["dd_grid"] = Block(w.title, grid_first, grid_first + GRID_LIVES - 1, {})

    # ---- earnings bridge ------------------------------------------------------------------
    bridge_years = list(range(BRIDGE_FIRST_YEAR, last_year + 1))
    w.section(
        f"Earnings bridge {bridge_years[0]}-{bridge_years[-1]}: reported lives vs the economic "
        "life in use (DD_use_life)",
        f"Filed years (to {last_full}): revenue, operating income and D&A as filed. Forecast: "
        "revenue grows at the input rate; D&A = modelled + the part the model does not hold "
        f"(reported - modelled in {last_full}, held flat); operating income = revenue x the "
        f"{last_full} margin before D&A - D&A. EPS: operating income after tax / diluted "
        "shares (before non-operating items).",
    )
    bridge_rows = (
        ("Revenue", "USD_bn"),
        ("D&A, reported lives", "USD_bn"),
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
    bridge: dict[str, dict[str, int]] = {}
    by = {y: Writer.FIRST + j for j, y in enumerate(bridge_years)}
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
            lc = col(c)
            pc = col(c - 1)
            k = yk[y]
            ia = ann_years.index(y)
            rr = {lab: f"{lc}{r}" for lab, r in rows.items()}
            prev = {lab: f"{pc}{r}" for lab, r in rows.items()}
            last_c = col(by[last_full])
            filed_year = y <= last_full
            if filed_year:
                rev_f = (
                    f"=IF(COUNT({_sum4(revenue, company, k)})=Q_per_year,"
                    f'SUM({_sum4(revenue, company, k)})/USDm_per_USDbn,"")'
                )
                da_f = f"={a_rep.cell(company, ia)}"
                oi_f = (
                    f"=IF(COUNT({_sum4(op_inc, company, k)})=Q_per_year,"
                    f'SUM({_sum4(op_inc, company, k)})/USDm_per_USDbn,"")'
                )
            else:
                rev_f = f"={prev['Revenue']}*(1+DD_rev_growth_{t})"
                da_f = (
                    f"={a_mod.cell(company, ia)}+{last_c}{rows['D&A, reported lives']}"
                    f"-{a_mod.cell(company, ann_years.index(last_full))}"
                )
                m = (
                    f"({last_c}{rows['Operating income, reported lives']}+{last_c}"
                    f"{rows['D&A, reported lives']})/{last_c}{rows['Revenue']}"
                )
                oi_f = f"={rr['Revenue']}*{m}-{rr['D&A, reported lives']}"
            usd = fmt_of("USD_bn")
            pct = fmt_of("pct")
            w.put(rows["Revenue"], c, rev_f, usd)
            w.put(rows["D&A, reported lives"], c, da_f, usd)
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
                f"=SUM({_sum4(alt_gap, company, k)})/USDm_per_USDbn",
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
            del prev

    # uplift by forecast year for the Dashboard
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

    # ---- integrity: the schedules depreciate the whole base ----------------------------------
    w.section(
        "Integrity: the full schedules (every row, whatever the life) sum to the depreciable base",
        "Single-cell sums over AIM_DEPR_POLICY / AIM_DEPR_WATERFALL without a row limit: no "
        "vintage is cut short at any life the inputs allow; the blocks above show the timeline.",
    )
    w.header(
        "Company",
        "USD_m",
        ["Servers: capex", "Servers: depreciation", "Other: capex", "Other: depreciation"],
    )
    int_first = w.row
    w.labels(list(COMPANIES))
    for i, c in enumerate(COMPANIES):
        r = int_first + i
        w.put(r, Writer.FIRST, f"=SUM({server.range(c)})", fmt_of("USD_m"))
        w.array(
            r,
            Writer.FIRST + 1,
            1,
            1,
            f"=SUM(AIM_DEPR_POLICY({server.range(c)},{lives.range(c)},Depr_convention))",
            fmt_of("USD_m"),
        )
        w.put(r, Writer.FIRST + 2, f"=SUM({other.range(c)})", fmt_of("USD_m"))
        w.array(
            r,
            Writer.FIRST + 3,
            1,
            1,
            f"=SUM(AIM_DEPR_WATERFALL({other.range(c)},DD_life_other*Q_per_year,Depr_convention))",
            fmt_of("USD_m"),
        )
        for a, b, what in ((0, 1, "servers"), (2, 3, "other")):
            model.checks.append(
                Check(
                    label=f"Depreciation: {c} {what}, full schedule = depreciable base",
                    model=f"{quote_sheetname(w.title)}!{col(Writer.FIRST + b)}{r}",
                    reported=f"{quote_sheetname(w.title)}!{col(Writer.FIRST + a)}{r}",
                    tolerance=0.01,
                    tolerance_note="US$0.01m: floating-point sums",
                    source="AIM_DEPR_POLICY / AIM_DEPR_WATERFALL depreciate each vintage in full",
                    number_format=fmt_of("USD_m"),
                    group="integrity",
                )
            )

    # ---- the answers, now that the workings exist ----------------------------------------------
    sheet = quote_sheetname(w.title)
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
                text = f"={gap_cell[(company, k, yi)]}*{share[company]}"
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
                c = cs + 2 + yi
                w.put(
                    r,
                    c,
                    f"={col(Writer.FIRST + 1 + yi)}{r}*USDm_per_USDbn*(1-DD_tax_{t})/DD_shares_{t}",
                    fmt_of("USD"),
                )
    model.blocks["dd_answer"] = Block(w.title, ans_first, ans_first + len(ans_rows) - 1, {})

    # calibration summary
    cal_years = [y for y in range(ANNUAL_FIRST_YEAR, last_full + 1) if y >= BRIDGE_FIRST_YEAR]
    i0, i1 = ann_years.index(cal_years[0]), ann_years.index(cal_years[-1])
    for ci, c in enumerate(COMPANIES):
        r = cal_first + ci
        rr = lambda b, c=c: f"{col(b.columns[c])}{b.first + i0}:{col(b.columns[c])}{b.first + i1}"  # noqa: E731
        have = [y for y in cal_years if _filed_year(model, c, "da", y)]
        write_text(ws, r, Writer.FIRST, ", ".join(str(y) for y in have) or "none filed")
        w.put(
            r, Writer.FIRST + 1, f"=SUMPRODUCT(ISNUMBER({rr(a_rep)})*{rr(a_mod)})", fmt_of("USD_bn")
        )
        w.put(r, Writer.FIRST + 2, f"=SUM({rr(a_rep)})", fmt_of("USD_bn"))
        mc, rc = f"{col(Writer.FIRST + 1)}{r}", f"{col(Writer.FIRST + 2)}{r}"
        w.put(r, Writer.FIRST + 3, f'=IF({rc}>0,{mc}/{rc}-1,"")', fmt_of("pct"))
        w.put(
            r,
            Writer.FIRST + 4,
            f'=IF({rc}>0,MAX(MAX({rr(a_pct)}),-MIN({rr(a_pct)})),"")',
            fmt_of("pct"),
        )
        s_unit = f"SUMPRODUCT(ISNUMBER({rr(a_rep)})*{rr(a_srv)})"
        o_unit = f"SUMPRODUCT(ISNUMBER({rr(a_rep)})*{rr(a_oth)})/(1-{share[c]})"
        w.put(
            r,
            Writer.FIRST + 5,
            f'=IF({rc}>0,({rc}-{o_unit})/({s_unit}-{o_unit}),"")',
            fmt_of("pct"),
        )
        write_text(ws, r, Writer.FIRST + 6, COVERS[c])

    # disclosed effects
    eff_cells: dict[str, tuple[str, str]] = {}
    for ci, c in enumerate(COMPANIES):
        r = eff_first + ci
        last_row = policy_rows[c][-1]
        num = f"${col(Writer.FIRST + 1)}${last_row}"
        write_text(ws, r, Writer.FIRST, _CHANGE_TEXT[c])
        w.put(r, Writer.FIRST + 1, f"={col(Writer.FIRST)}{last_row}")
        w.put(r, Writer.FIRST + 2, f"=DD_effect_{TICKERS[c]}", fmt_of("USD_bn"))
        unit = (
            f"SUMPRODUCT(({numbers}>={num})*({numbers}<{num}+Q_per_year)*"
            f"({wo_unit.range(c)}-{rep_unit.range(c)}))/USDm_per_USDbn"
        )
        w.put(r, Writer.FIRST + 3, f"={unit}*{share[c]}", fmt_of("USD_bn"))
        d, m_ = f"{col(Writer.FIRST + 2)}{r}", f"{col(Writer.FIRST + 3)}{r}"
        w.put(r, Writer.FIRST + 4, f"={m_}-{d}", fmt_of("USD_bn"))
        w.put(r, Writer.FIRST + 5, f"={m_}/{d}", fmt_of("pct"))
        w.put(r, Writer.FIRST + 6, f"={d}/({unit})", fmt_of("pct"))
        eff_cells[c] = (f"{sheet}!{m_}", f"{sheet}!{d}")

    # the claim
    y0 = f"$A${fc_year.first + forecast_years.index(gap_years[0])}"
    y1 = f"$A${fc_year.first + forecast_years.index(gap_years[-1])}"
    weighted_col = col(Writer.FIRST + 6)
    claim_model = (
        "("
        + "+".join(
            f"SUMPRODUCT(({years_rng}>={y0})*({years_rng}<={y1})*"
            f"({claim_unit.range(c)}-{rep_unit.range(c)}))*{share[c]}"
            for c in COMPANIES
        )
        + ")/USDm_per_USDbn"
    )
    del weighted_col
    claim_per_usd = (
        "("
        + "+".join(
            f"SUMPRODUCT(({years_rng}>={y0})*({years_rng}<={y1})*"
            f"({claim_unit.range(c)}-{rep_unit.range(c)}))"
            for c in COMPANIES
        )
        + ")/USDm_per_USDbn"
    )
    base_gap: dict[str, str] = {}
    for c in COMPANIES:
        base_gap[c] = (
            f"SUMPRODUCT(({years_rng}>={y0})*({years_rng}<={y1})*"
            f"({base_unit.range(c)}-{rep_unit.range(c)}))*{share[c]}/USDm_per_USDbn"
        )
    cv = Writer.FIRST
    w.put(claim_first, cv, "=DD_claim_gap", fmt_of("USD_bn"))
    w.put(claim_first + 1, cv, f"={claim_model}", fmt_of("USD_bn"))
    w.put(claim_first + 2, cv, f"={col(cv)}{claim_first + 1}/{col(cv)}{claim_first}", fmt_of("pct"))
    w.put(claim_first + 3, cv, f"={col(cv)}{claim_first}/({claim_per_usd})", fmt_of("pct"))
    # per-company base gaps beside the total
    ws.cell(row=claim_first + 4, column=cv + 1, value="per company:")
    for ci, c in enumerate(COMPANIES):
        ws.cell(row=claim_first + 3, column=cv + 2 + ci, value=c)
        w.put(claim_first + 4, cv + 2 + ci, f"={base_gap[c]}", fmt_of("USD_bn"))
        model.output(
            c, "depr_gap_2026_2028", "", "USD_bn", f"{sheet}!${col(cv + 2 + ci)}${claim_first + 4}"
        )
    w.put(
        claim_first + 4,
        cv,
        f"=SUM({col(cv + 2)}{claim_first + 4}:{col(cv + 1 + len(COMPANIES))}{claim_first + 4})",
        fmt_of("USD_bn"),
    )
    model.output(
        "Total", "depr_gap_2026_2028", "", "USD_bn", f"{sheet}!${col(cv)}${claim_first + 4}"
    )

    # ---- checks and outputs ----------------------------------------------------------------
    for c in COMPANIES:
        ia = ann_years.index(last_full)
        if _filed_year(model, c, "da", last_full):
            reported_value = _year_sum(model, c, "da", last_full) / 1000
            tol = CAL_TOLERANCE * reported_value
            known = ""
            if c == "Amazon":
                known = COVERS[c]
            model.reconcile(
                f"Depreciation: {c} D&A {last_full}, modelled vs reported",
                f"{sheet}!{a_mod.cell(c, ia)}",
                f"{sheet}!{a_rep.cell(c, ia)}",
                tol,
                f"{CAL_TOLERANCE:.0%} of reported (US${reported_value:.1f}bn): the model holds "
                "cash capex only, two asset classes, one server share per company",
                f"sec_filings da {last_full}; model: Depreciation sheet",
                fmt_of("USD_bn"),
                known=known,
            )
    for c in COMPANIES:
        m_ref, d_ref = eff_cells[c]
        model.reconcile(
            f"Depreciation: {c} disclosed life-change effect, modelled vs disclosed",
            m_ref,
            d_ref,
            EFFECT_TOLERANCE * _EFFECT_DEFAULT[c],
            f"{EFFECT_TOLERANCE:.0%} of the disclosed effect: the model's server class is "
            "one share of capex placed in service when spent; the disclosure covers only "
            "the assets re-lived",
            f"Input DD_effect_{TICKERS[c]}; model: policy with vs without the change, first "
            "four quarters",
            fmt_of("USD_bn"),
            known=_EFFECT_KNOWN.get(c, ""),
        )
    t4_q = len(quarters) - 1 - quarters[::-1].index(f"{last_full}Q4")
    for c in ("Amazon", "Alphabet", "Microsoft"):
        if model.has(T04, c, "useful_life", "2025"):
            i25 = quarters.index("2025Q4")
            model.reconcile(
                f"Depreciation: {c} server life in 2025Q4 (policy) vs 表4",
                f"{sheet}!{lives.cell(c, i25)}/Q_per_year",
                model.ref(T04, c, "useful_life", "2025"),
                0,
                "exact",
                model.source(T04, c, "useful_life", "2025"),
                fmt_of("years"),
            )
    del t4_q
    for c in COMPANIES:
        for i, y in enumerate(ann_years):
            model.output(
                c,
                "da_modelled",
                str(y),
                "USD_bn",
                f"{sheet}!${col(a_mod.columns[c])}${a_mod.first + i}",
            )
            if y <= last_full and _filed_year(model, c, "da", y):
                model.output(
                    c,
                    "da_reported",
                    str(y),
                    "USD_bn",
                    f"{sheet}!${col(a_rep.columns[c])}${a_rep.first + i}",
                )
        last_row = policy_rows[c][-1]
        year = _EFFECT_YEAR[c]
        model.output(c, "life_change_effect_modelled", year, "USD_bn", eff_cells[c][0])
        model.output(c, "life_change_effect_disclosed", year, "USD_bn", eff_cells[c][1])
        del last_row

    model.blocks.update(
        {
            "dd_capex": capex,
            "dd_lives": lives,
            "dd_da_modelled": mod,
            "dd_da_reported": rep,
            "dd_annual_modelled": a_mod,
            "dd_annual_reported": a_rep,
            "dd_annual_chart": a_chart,
            "dd_annual_total": a_tot,
        }
    )
    model.dd = {  # type: ignore[attr-defined]
        "answer_first": ans_first,
        "cal_first": cal_first,
        "eff_first": eff_first,
        "claim_first": claim_first,
        "grid_first": grid_first,
        "share_row": share_row,
        "bridge": bridge,
        "bridge_cols": by,
        "gap_years": gap_years,
    }
    _charts(model, w, a_chart, a_tot, ann_years, last_full)
    ws.column_dimensions["A"].width = 52
    for letter in "CDEFGHIJK":
        ws.column_dimensions[letter].width = 16
    ws.freeze_panes = "C4"


_CHANGE_TEXT = {
    "Amazon": "servers 5 to 6 years",
    "Microsoft": "servers, network 4 to 6 years (FY2023)",
    "Alphabet": "servers 4 to 6 years",
    "Meta": "servers, network to 5.5 years",
}
_EFFECT_YEAR = {"Amazon": "2024", "Microsoft": "2023", "Alphabet": "2023", "Meta": "2025"}
_EFFECT_DEFAULT = {"Amazon": 3.2, "Microsoft": 3.7, "Alphabet": 3.9, "Meta": 2.92}
_IMPLIED = (
    "the model re-lives its whole server class (share x capex, in service when spent); "
    "the disclosed effect implies about {}% of capex was re-lived (the effects table: "
    "servers in construction in progress, gear on other lives, a subset changed)"
)
_EFFECT_KNOWN: dict[str, str] = {
    "Amazon": "Model about twice the disclosure: " + _IMPLIED.format(25),
    "Alphabet": "Model about 1.8x the disclosure: " + _IMPLIED.format(33),
    "Meta": "Model about 1.7x the disclosure (the change covered certain servers and "
    "network assets only): " + _IMPLIED.format(35),
}


def _year_sum(model: Model, entity: str, metric: str, year: int) -> float:
    f = model.data.filings
    assert f is not None
    hit = f[(f["entity"] == entity) & (f["metric"] == metric) & (f["period"].str[:4] == str(year))]
    return float(hit["value"].sum())


def _filed_year(model: Model, entity: str, metric: str, year: int) -> bool:
    f = model.data.filings
    assert f is not None
    periods = set(f.loc[(f["entity"] == entity) & (f["metric"] == metric), "period"])
    return all(f"{year}Q{q}" in periods for q in range(1, 5))


def _charts(model: Model, w: Writer, a_chart: Block, a_tot: Block, years, last_full) -> None:
    ws = w.ws
    chart = LineChart()
    chart.title = (
        "D&A by company: reported lives (solid) vs economic life in use (dashed), US$bn; "
        "E = forecast"
    )
    for name, c in a_chart.columns.items():
        ref = Reference(ws, min_col=c, max_col=c, min_row=a_chart.first - 1, max_row=a_chart.last)
        chart.add_data(ref, titles_from_data=True)
        if name.endswith("economic life"):
            s = chart.series[-1]
            s.graphicalProperties = GraphicalProperties(ln=LineProperties(prstDash="dash"))
    chart.set_categories(
        Reference(ws, min_col=1, max_col=1, min_row=a_chart.first, max_row=a_chart.last)
    )
    chart.y_axis.numFmt = "#,##0"
    chart.y_axis.majorGridlines = None
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.width, chart.height = 22, 10
    chart.legend.position = "b"
    ws.add_chart(chart, "M5")
    del a_tot, years, last_full, model
