"""The Depreciation sheet: do 5-6-year server lives flatter EPS and margins? (issues 11, 16)

The seed's second "anxiety" (lines 497-525) and the bear case that the hyperscalers
understate 2026-2028 depreciation by about US$176bn. For Amazon, Microsoft, Alphabet and
Meta the sheet:

- builds the installed base from the filed capex (``sec_quarterly``) and the forecast
  quarters, placed in service after a lag, plus finance-lease additions where filed
  (sheets/model/depreciation_base.py);
- splits it into servers, network equipment and buildings and other, each class on its
  own life history from data/life_changes.csv (AIM_DEPR_POLICY applies every change
  prospectively; Amazon's 2025 reversal moves a share of both classes back to 5 years);
  buildings and other go straight-line on one blended life (AIM_DEPR_WATERFALL);
- calibrates by least squares at build time (sheets/model/depreciation_fit.py): the
  server-and-network share before 2023 and from 2023, the other-assets life, the lag and
  Amazon's reversed share, against the filed depreciation of property and equipment
  (data/pp_e_facts.csv) and the latest disclosed life-change effect; the fitted values,
  their residuals and an override per value show on the sheet;
- compares like for like (property depreciation, Microsoft on its fiscal years) and
  recomputes every life change's effect in its fiscal year;
- bridges 2023-2028 earnings under the reported lives and an economic life and answers
  how much the reported lives raise 2026-2028 operating income and EPS against a 3-, 4-
  and 5-year economic life, with the US$176bn claim and the life that would make it true.
"""

from __future__ import annotations

from openpyxl.chart import LineChart, Reference
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.drawing.line import LineProperties
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import quote_sheetname

from sheets.model.base import Block, Check, Model, Writer, array_block, col, fmt_of, formula_block
from sheets.model.depreciation_base import PRIOR_METRIC, PRIOR_STEM, class_steps, quarter_of
from sheets.model.depreciation_fit import Fit
from sheets.model.depreciation_fitted import FIT_PERIOD, FIT_STEM, calibrate
from sheets.model.depreciation_inputs import COMPANIES, FIT_PARAMS, GRADES, SCENARIOS, TICKERS
from sheets.model.styles import style_link, write_text
from sheets.sources.filed_facts import LIFE_CHANGES_STEM

__all__ = ["DEPRECIATION_SHEET", "write_depreciation"]

DEPRECIATION_SHEET = "Depreciation"
T04 = "t04_server_lives_2025"
BRIDGE_FIRST_YEAR = 2023
ANNUAL_FIRST_YEAR = 2019
HEADLINE_LIVES = 3  # grid rows 2-4 (3, 4 and 5 years with the default first life of 2)
GRID_LIVES = 5
GRID_SHARES = 7
CHECK_YEARS = (2022, 2025)  # company-years held to the tolerance (Microsoft: FY2022-FY2026)
TOLERANCE = {"Amazon": 0.15}  # modelled within 15% of filed (Amazon), else DEFAULT_TOL
DEFAULT_TOL = 0.10
EFFECT_TOLERANCE = 0.25  # each company's latest disclosed effect, modelled within 25%
CLASSES = ("servers", "subset_servers", "network", "subset_network")
CLASS_TEXT = {
    "servers": "Servers",
    "subset_servers": "Servers, 2025 subset",
    "network": "Network equipment",
    "subset_network": "Network, 2025 subset",
}
PARAM_FMT = {"pct": "pct", "years": "years", "count": "count"}


def _sum4(block: Block, name: str, k: int) -> str:
    """The four quarters of the ``k``-th year of a quarterly block (relative range)."""
    c = col(block.columns[name])
    r = block.first + 4 * k
    return f"{c}{r}:{c}{r + 3}"


def _fits(model: Model, quarters: list[str]) -> dict[str, tuple[object, Fit]]:
    """The least-squares fit per company at the inputs' defaults, from data/ (the dd_fit
    sheet holds its values; sheets/model/depreciation_fitted.py)."""
    return {c: (cal.basis, cal.fit) for c, cal in calibrate(model.data, quarters).items()}


def _fitref(model: Model, company: str, metric: str, period: str = FIT_PERIOD) -> str:
    """The dd_fit cell of one fitted value (a formula reads it; refresh rewrites it)."""
    return model.index.ref(FIT_STEM, company, metric, period)


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
    fits = _fits(model, quarters)
    changes_df = model.data.filed[LIFE_CHANGES_STEM]

    w = Writer(
        model,
        DEPRECIATION_SHEET,
        "Do 5-6-year server lives flatter EPS and margins? The installed base from the "
        "filed capex, three asset classes on the companies' filed life histories, "
        "calibrated by least squares on the filed depreciation of property, earnings under "
        "an economic life, and the US$176bn bear case.",
    )
    ws = w.ws
    sheet = quote_sheetname(w.title)

    # ---- the answers (filled in once the workings below exist) -----------------------
    w.section(
        "The answer: how much the reported lives raise operating income and EPS, against "
        "an economic life of servers and network equipment",
        "US$bn of operating income (positive = reported lives give lower depreciation); EPS "
        "in US$ per diluted share after tax at the input rate. Shares, lag and lives: the "
        "calibrated engine (fitted values or overrides); capex: the scenario in use.",
    )
    head_years = forecast_years[-3:] if len(forecast_years) >= 3 else forecast_years
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

    # ---- calibration: like for like ---------------------------------------------------
    w.section(
        "How well the model matches: depreciation of property and equipment, modelled vs "
        "filed (data/pp_e_facts.csv), like for like",
        "Filed: the property note (Amazon: incl. finance-lease assets), Alphabet's "
        "'Depreciation of property and equipment', Meta's XBRL Depreciation, Microsoft's "
        "property note on its fiscal years (FY = July-June). Modelled: the same quarters of "
        "the engine below. Held: 2022-2025 (Microsoft FY2022-FY2026) within the tolerance; "
        "earlier periods are information.",
    )
    cal_head = [
        "Period",
        "First quarter",
        "Quarters",
        "Modelled, US$bn",
        "Filed, US$bn",
        "Modelled / filed - 1",
        "Fit residual at build",
        "Tolerance",
        "Filing",
    ]
    w.header("Company", "", cal_head)
    cal_rows: list[tuple[str, object]] = []
    for c in COMPANIES:
        for t in fits[c][0].targets:
            cal_rows.append((c, t))
    cal_first = w.row
    w.labels([c for c, _ in cal_rows])

    # ---- every change's effect ---------------------------------------------------------
    w.section(
        "Every life change: its effect in the fiscal year of the change, modelled (policy "
        "with vs without the change) beside the disclosed effect",
        "Positive = the change lowered depreciation; negative for a shortening (Amazon "
        "2025). The effect runs from the change's first quarter to the end of that fiscal "
        "year, as the companies measure it.",
    )
    eff_head = [
        "Change",
        "First quarter",
        "Fiscal year",
        "Disclosed, US$bn",
        "Modelled, US$bn",
        "Modelled / disclosed - 1",
        "Filing",
    ]
    w.header("Company", "USD_bn", eff_head)
    eff_rows = [(c, ch) for c in COMPANIES for ch in fits[c][0].changes]
    eff_first = w.row
    w.labels([c for c, _ in eff_rows])

    # ---- the fit ----------------------------------------------------------------------
    w.section(
        "Calibration by least squares (run at build and refresh from data/): fitted values, "
        "overrides, values in use",
        "Fitted: the least-squares solution at the inputs' defaults (bounded linear least "
        "squares for the two shares at every lag, other-assets life and Amazon subset on "
        "a grid). Override: the DD_fit_* input; a typed value wins and 'Status' says so.",
    )
    w.header("Company: parameter", "", ["Fitted", "Override", "In use", "Status", "Grade"])
    fit_rows = [
        (c, key, desc, unit)
        for c in COMPANIES
        for key, desc, unit in FIT_PARAMS
        if key != "subset" or fits[c][0].has_subset
    ]
    fit_first = w.row
    w.labels([f"{c}: {desc}" for c, _, desc, _ in fit_rows])
    use: dict[tuple[str, str], str] = {}
    for i, (c, key, _desc, unit) in enumerate(fit_rows):
        r = fit_first + i
        t = TICKERS[c]
        p = fits[c][1].params
        value = {
            "pre": p.share_pre,
            "post": p.share_post,
            "life_other": p.other_life_q / 4,
            "lag": p.lag,
            "subset": p.subset,
        }[key]
        f = fmt_of(PARAM_FMT[unit])
        del value
        w.put(r, Writer.FIRST, f"={_fitref(model, c, f'fit_{key}')}", f, link=True)
        analyst = model.names[f"DD_fit_{key}_{t}"].replace("$F$", "$E$")  # the typed cell
        # the typed cell decides whether there is an override (a blank input's value in
        # use reads as 0); the value comes through the input's name
        w.put(r, Writer.FIRST + 1, f'=IF(ISNUMBER({analyst}),DD_fit_{key}_{t},"")', f)
        fc, oc = f"{col(Writer.FIRST)}{r}", f"{col(Writer.FIRST + 1)}{r}"
        w.put(r, Writer.FIRST + 2, f"=IF(ISNUMBER({oc}),{oc},{fc})", f)
        w.put(r, Writer.FIRST + 3, f'=IF(ISNUMBER({oc}),"override","fitted")')
        write_text(ws, r, Writer.FIRST + 4, "fitted")
        name = f"DD_use_{key}_{t}"
        model.define(name, ws, f"{col(Writer.FIRST + 2)}{r}")
        use[(c, key)] = name
        if key in ("pre", "post"):
            model.output(
                c,
                "server_share_fitted",
                "pre2023" if key == "pre" else "from2023",
                "pct",
                f"{sheet}!${col(Writer.FIRST)}${r}",
            )
    w.note(
        "The fit runs on each company's whole filed capex history (Microsoft from 2008Q3, "
        "Meta from 2011Q3); the depreciation of capex spent before the sheet's first "
        "quarter is the 'opening base' bridging item below, at the fitted values. Where "
        "the seed prints a short-lived share of spend (Meta line 324: ~60%; Microsoft line "
        "326: about half), it holds the from-2023 share as a prior weighted like one filed "
        "year. Network fraction and Meta's lives before 2025: inputs (Assumption)."
    )
    shares = [f"{k / 10:.1f}" for k in range(11)]
    w.section(
        "How well the filings pin down the from-2023 share: the fit without the prior, "
        "refitted with the share held at each value (RMS of the relative residuals)",
        "Near-equal: RMS within 1 percentage point of the best. A wide range means the "
        "filed depreciation cannot tell servers (6 years) from buildings (8-16 years) in "
        "the AI-era spend: the prior (seed) or an override decides, and the headline moves "
        "with it (the grid below shows by how much).",
    )
    w.header(
        "Company",
        "pct",
        [*shares, "Near-equal from", "Near-equal to", "Prior (seed)", "Fit RMS", "Fit cost"],
    )
    prof_first = w.row
    w.labels(list(COMPANIES))
    pct_f = fmt_of("pct")
    for i, c in enumerate(COMPANIES):
        r = prof_first + i
        for j, sh in enumerate(shares):
            w.put(r, Writer.FIRST + j, f"={_fitref(model, c, 'profile_rms', sh)}", pct_f)
        k = Writer.FIRST + len(shares)
        w.put(r, k, f"={_fitref(model, c, 'near_low')}", pct_f)
        w.put(r, k + 1, f"={_fitref(model, c, 'near_high')}", pct_f)
        if model.has(PRIOR_STEM, c, PRIOR_METRIC, _prior_period(model, c)):
            w.put(
                r,
                k + 2,
                "=" + model.ref(PRIOR_STEM, c, PRIOR_METRIC, _prior_period(model, c)),
                pct_f,
                link=True,
            )
        else:
            write_text(ws, r, k + 2, "none")
        w.put(r, k + 3, f"={_fitref(model, c, 'fit_rms')}", pct_f)
        w.put(r, k + 4, f"={_fitref(model, c, 'fit_cost')}", "0.0000")

    # ---- the claim --------------------------------------------------------------------
    w.section("The US$176bn claim", "")
    w.header("The US$176bn claim", "USD_bn", ["Value"])
    claim_first = w.row
    w.labels(
        [
            "Claim: depreciation understated 2026-2028",
            "Model: four companies at the claim's life",
            "Model / claim",
            "Multiple of the fitted server shares at which the model gives the claim",
            "Model: 2026-2028 gap at the base scenario's life (depr_gap output)",
            "Economic life at which the model's 2026-2028 gap equals the claim, years",
        ]
    )
    w.note(
        "The claim covers Oracle too and its method is not published; the model covers "
        "Amazon, Microsoft, Alphabet and Meta. The life is solved between the grid's whole "
        "years (the gap falls monotonically with the life; linear between them)."
    )

    # ---- scenarios ------------------------------------------------------------------
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

    # ---- life policy ---------------------------------------------------------------------
    w.section(
        "Life policy per asset class, from the filings (data/life_changes.csv)",
        "Each life holds from its first quarter to the class's next change; AIM_DEPR_POLICY "
        "applies a change prospectively to the assets in service (ASC 250). The 2025 "
        "subset: Amazon's servers and networking equipment moved back from 6 to 5 years.",
    )
    w.header(
        "Company: class",
        "",
        ["First quarter", "Timeline number", "Life, quarters", "Life, years", "Source"],
    )
    pol_rows: list[tuple[str, str, str, object]] = []  # company, class, quarter, years|name
    for c in COMPANIES:
        meta = {"before_2022": -1.0, "from_2022": -2.0}  # placeholders -> input names
        steps = {k: class_steps(changes_df, c, k, meta) for k in ("servers", "network")}
        if not steps["network"]:
            steps["network"] = steps["servers"]
        subset = class_steps(changes_df, c, "subset", meta)
        for cls in CLASSES:
            base_cls = cls.replace("subset_", "")
            st = steps[base_cls] + (subset[1:] if cls.startswith("subset_") else [])
            for q, years in st:
                pol_rows.append((c, cls, q, years))
    pol_first = w.row
    w.labels([f"{c}: {CLASS_TEXT[k]}" for c, k, _, _ in pol_rows])
    pol_index: dict[tuple[str, str], list[int]] = {}
    pending: list[tuple[int, str]] = []
    for i, (c, cls, q, years) in enumerate(pol_rows):
        r = pol_first + i
        pol_index.setdefault((c, cls), []).append(r)
        pending.append((r, q))
        if years == -1.0:
            w.put(r, Writer.FIRST + 2, "=ROUND(DD_META_life_before_2022*Q_per_year,0)", "0")
            src = "Input DD_META_life_before_2022 (Assumption)"
        elif years == -2.0:
            w.put(r, Writer.FIRST + 2, "=ROUND(DD_META_life_from_2022*Q_per_year,0)", "0")
            src = "Input DD_META_life_from_2022 (Assumption); dated by 10-Q 0001326801-22-000082"
        else:
            w.put(r, Writer.FIRST + 2, round(float(years) * 4), "0")
            src = _policy_source(changes_df, c, cls, q)
        w.put(r, Writer.FIRST + 3, f"={col(Writer.FIRST + 2)}{r}/Q_per_year", fmt_of("years"))
        write_text(ws, r, Writer.FIRST + 4, src)

    # ---- capex forecast --------------------------------------------------------------------
    w.section(
        "Capex per forecast year, US$bn: 2026 from the inputs, then the scenario's growth; "
        "forecast quarters share what the filed quarters leave",
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
    for r, q in pending:
        quarter = q if q and q in quarters else quarters[0]
        write_text(ws, r, Writer.FIRST, quarter)
        w.put(
            r, Writer.FIRST + 1, f"=MATCH({col(Writer.FIRST)}{r},{labels_rng},0)", fmt_of("count")
        )

    def qblock(title: str, call, unit: str = "USD_m", note: str = "", series=COMPANIES) -> Block:
        return array_block(
            w, title, unit, quarters, list(series), lambda s: (call(s), n), note=note
        )

    periods = f"ROWS({numbers})"
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
        "Capex in use, US$m (filed, else the forecast quarter's share)",
        lambda s: (
            f"=IF(ISNUMBER({filed.range(s)}),{filed.range(s)},"
            f"IFERROR(LOOKUP({years_rng},{fy_rng},{per_q.range(s)}),0))"
        ),
    )
    placed = qblock(
        "Placed in service, US$m: capex of the quarter DD_use_lag quarters earlier",
        lambda s: (
            f"=MMULT(((({numbers})-TRANSPOSE({numbers}))={use[(s, 'lag')]})*1,{capex.range(s)})"
        ),
        note="Construction in progress is not depreciated: spend enters the base after the lag.",
    )
    split_year = 2023

    def share(s: str) -> str:
        return f"IF({years_rng}<{split_year},{use[(s, 'pre')]},{use[(s, 'post')]})"

    sn = qblock(
        "Servers and network equipment placed, US$m: placed x share (before 2023 / from 2023)",
        lambda s: f"={placed.range(s)}*{share(s)}",
    )

    def sub(s: str) -> str:
        return use[(s, "subset")] if (s, "subset") in use else "0"

    amounts: dict[str, Block] = {}
    for cls in CLASSES:
        frac = "DD_network_fraction" if "network" in cls else "(1-DD_network_fraction)"
        part = (lambda s: sub(s)) if cls.startswith("subset_") else (lambda s: f"(1-{sub(s)})")
        amounts[cls] = qblock(
            f"{CLASS_TEXT[cls]} placed, US$m",
            lambda s, frac=frac, part=part: f"={sn.range(s)}*{frac}*{part(s)}",
        )
    leases = formula_block(
        w,
        "Finance-lease assets obtained, US$m (data/pp_e_facts.csv; a fiscal year spread over "
        "its quarters; to buildings and other)",
        "USD_m",
        quarters,
        list(COMPANIES),
        lambda s, i, r: f"={_fitref(model, s, 'leases', quarters[i])}",
        note="Microsoft FY2024-FY2026 (leases note, accessions on the calibration rows' "
        "filings); none filed for the others in data/.",
    )
    other = qblock(
        "Buildings and other placed, US$m: placed - servers and network + finance leases",
        lambda s: f"={placed.range(s)}-{sn.range(s)}+{leases.range(s)}",
    )

    def pol(s: str, cls: str) -> tuple[str, str]:
        rows = pol_index[(s, cls)]
        nums = f"${col(Writer.FIRST + 1)}${rows[0]}:${col(Writer.FIRST + 1)}${rows[-1]}"
        lv = f"${col(Writer.FIRST + 2)}${rows[0]}:${col(Writer.FIRST + 2)}${rows[-1]}"
        return nums, lv

    lives: dict[str, Block] = {}
    deps: dict[str, Block] = {}
    for cls in CLASSES:
        lives[cls] = qblock(
            f"{CLASS_TEXT[cls]}: life in force, quarters",
            lambda s, cls=cls: f"=LOOKUP({numbers},{pol(s, cls)[0]},{pol(s, cls)[1]})",
            unit="count",
        )
    for cls in CLASSES:
        deps[cls] = qblock(
            f"{CLASS_TEXT[cls]}: depreciation, US$m (AIM_DEPR_POLICY)",
            lambda s, cls=cls: (
                f"=AIM_DEPR_POLICY({amounts[cls].range(s)},{lives[cls].range(s)},"
                f"Depr_convention,{periods})"
            ),
        )
    oth_dep = qblock(
        "Buildings and other: depreciation, US$m (AIM_DEPR_WATERFALL on the life in use)",
        lambda s: (
            f"=AIM_DEPR_WATERFALL({other.range(s)},ROUND({use[(s, 'life_other')]}*Q_per_year,0),"
            f"Depr_convention,0,{periods})"
        ),
    )
    bridge_q = formula_block(
        w,
        "Bridging item: amortization of finance-lease assets as filed, US$m (Amazon; held at "
        "the last filed year after it)",
        "USD_m",
        quarters,
        list(COMPANIES),
        lambda s, i, r: f"={_fitref(model, s, 'bridge', quarters[i])}",
        note="Amazon's leased plant was obtained before the filed additions (2023 on): its "
        "filed amortization (incl. in the property note's depreciation) is added as filed.",
    )
    srv_dep = qblock(
        "Servers and network equipment: depreciation, US$m (all four class blocks)",
        lambda s: "=" + "+".join(deps[k].range(s) for k in CLASSES),
    )
    mod = qblock(
        "Depreciation of property modelled, US$m: servers and network + other + bridge",
        lambda s: f"={srv_dep.range(s)}+{oth_dep.range(s)}+{bridge_q.range(s)}",
    )
    rep = qblock(
        "D&A reported (cash-flow statement, sec_quarterly metric da), US$m: the earnings "
        "bridge's filed years",
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
                f"=AIM_DEPR_WATERFALL({sn.range(s)},{life}*Q_per_year,"
                f"Depr_convention,0,{periods})-{srv_dep.range(s)}"
            ),
        )

    alt_gap = life_block(
        "Servers and network: depreciation at the economic life in use (DD_use_life) minus "
        "reported lives, US$m",
        "DD_use_life",
    )
    base_gap = life_block(
        "Servers and network: depreciation at the base scenario's life minus reported, US$m",
        "DD_life_base",
    )
    claim_gap = life_block(
        "Servers and network: depreciation at the claim's life minus reported, US$m",
        "DD_claim_life",
    )

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
        life_block(
            f"Servers and network: depreciation at grid life {k + 1} minus reported, US$m",
            grid_life[k],
        )
        for k in range(GRID_LIVES)
    ]

    # ---- annual -----------------------------------------------------------------------
    ann_years = list(range(ANNUAL_FIRST_YEAR, last_year + 1))
    ann_labels = [f"{y}E" if y > last_full else str(y) for y in ann_years]

    def annual(title: str, fn, unit: str = "USD_bn", series=COMPANIES) -> Block:
        return formula_block(
            w, title, unit, ann_labels, list(series), lambda s, i, r: fn(s, yk[ann_years[i]], r)
        )

    a_mod = annual(
        "Depreciation of property modelled by calendar year, US$bn",
        lambda s, k, r: f"=SUM({_sum4(mod, s, k)})/USDm_per_USDbn",
    )
    a_rep = annual(
        "D&A reported (cash-flow line) by year, US$bn (blank unless four quarters are filed)",
        lambda s, k, r: (
            f'=IF(COUNT({_sum4(rep, s, k)})=Q_per_year,SUM({_sum4(rep, s, k)})/USDm_per_USDbn,"")'
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
        return f"={a_mod.cell(company, i)}+SUM({_sum4(alt_gap, company, k)})/USDm_per_USDbn"

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

    # ---- 2026-2028 gaps per life, grid -------------------------------------------------
    gap_years = head_years
    w.section(
        "Depreciation of servers and network at each grid life minus reported lives "
        "(calibrated shares), US$bn"
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
                f = f"=SUM({_sum4(grid_blocks[k], c, yk[y])})/USDm_per_USDbn"
                w.put(r, Writer.FIRST + ci, f, fmt_of("USD_bn"))
                gap_cell[(c, k, j)] = f"{col(Writer.FIRST + ci)}{r}"

    w.section(
        f"{gap_years[0]}-{gap_years[-1]} depreciation gap per life, US$bn, and the life at "
        "which the four companies' gap equals the claim"
    )
    w.header("Economic life", "USD_bn", ["Years", *COMPANIES, "Four companies", "Claim life"])
    cum_first = w.row
    w.labels([f"Life {k + 1}" for k in range(GRID_LIVES)])
    tot_col = col(Writer.FIRST + 1 + len(COMPANIES))
    for k in range(GRID_LIVES):
        r = cum_first + k
        w.put(r, Writer.FIRST, f"={grid_life[k]}", "0")
        for ci, c in enumerate(COMPANIES):
            cells = "+".join(gap_cell[(c, k, j)] for j in range(len(gap_years)))
            w.put(r, Writer.FIRST + 1 + ci, f"={cells}", fmt_of("USD_bn"))
        comp = [f"{col(Writer.FIRST + 1 + ci)}{r}" for ci in range(len(COMPANIES))]
        w.put(r, Writer.FIRST + 5, "=" + "+".join(comp), fmt_of("USD_bn"))
        if k < GRID_LIVES - 1:
            g0, g1 = f"{tot_col}{r}", f"{tot_col}{r + 1}"
            lc = f"{col(Writer.FIRST)}{r}"
            w.put(
                r,
                Writer.FIRST + 6,
                f"=IF(AND({g0}>=DD_claim_gap,{g1}<DD_claim_gap),"
                f'{lc}+({g0}-DD_claim_gap)/({g0}-{g1}),"")',
                fmt_of("years"),
            )
    solve_rng = (
        f"{col(Writer.FIRST + 6)}{cum_first}:{col(Writer.FIRST + 6)}{cum_first + GRID_LIVES - 2}"
    )

    w.section(
        f"Sensitivity: {gap_years[0]}-{gap_years[-1]} depreciation understated by the reported "
        "lives, four companies, US$bn (rows: economic life; columns: multiple of the "
        "calibrated server and network shares)",
        "Heat map: red = large gap. Capex: the scenario in use. The gap is proportional "
        "to the shares.",
    )
    w.header("Economic life", "USD_bn", ["Years"] + [f"Share {j + 1}" for j in range(GRID_SHARES)])
    share_row = w.row
    ws.cell(row=share_row, column=1, value="Multiple of the shares in use")
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
            w.put(r, c, f"={col(c)}${share_row}*${tot_col}{cum_first + k}", fmt_of("USD_bn"))
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
        "revenue grows at DD_rev_growth; D&A = modelled property depreciation + the part the "
        f"model does not hold (filed D&A - modelled in {last_full}, held flat); operating "
        "income = revenue x the margin before D&A (the latest filed year's (operating income "
        "+ D&A) / revenue + DD_margin_change) - D&A. EPS: operating income after tax / "
        "diluted shares.",
    )
    bridge_rows = (
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
                    f"=IF(COUNT({_sum4(revenue, company, k)})=Q_per_year,"
                    f'SUM({_sum4(revenue, company, k)})/USDm_per_USDbn,"")'
                )
                da_f = f"={a_rep.cell(company, ia)}"
                oi_f = (
                    f"=IF(COUNT({_sum4(op_inc, company, k)})=Q_per_year,"
                    f'SUM({_sum4(op_inc, company, k)})/USDm_per_USDbn,"")'
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
        "Single-cell sums over AIM_DEPR_POLICY / AIM_DEPR_WATERFALL without a row limit.",
    )
    w.header(
        "Company",
        "USD_m",
        ["Servers: placed", "Servers: depreciation", "Other: placed", "Other: depreciation"],
    )
    int_first = w.row
    w.labels(list(COMPANIES))
    for i, c in enumerate(COMPANIES):
        r = int_first + i
        w.put(r, Writer.FIRST, f"=SUM({amounts['servers'].range(c)})", fmt_of("USD_m"))
        w.array(
            r,
            Writer.FIRST + 1,
            1,
            1,
            f"=SUM(AIM_DEPR_POLICY({amounts['servers'].range(c)},{lives['servers'].range(c)},"
            "Depr_convention))",
            fmt_of("USD_m"),
        )
        w.put(r, Writer.FIRST + 2, f"=SUM({other.range(c)})", fmt_of("USD_m"))
        w.array(
            r,
            Writer.FIRST + 3,
            1,
            1,
            f"=SUM(AIM_DEPR_WATERFALL({other.range(c)},ROUND({use[(c, 'life_other')]}"
            "*Q_per_year,0),Depr_convention))",
            fmt_of("USD_m"),
        )
        for a, b, what in ((0, 1, "servers"), (2, 3, "other")):
            model.checks.append(
                Check(
                    label=f"Depreciation: {c} {what}, full schedule = depreciable base",
                    model=f"{sheet}!{col(Writer.FIRST + b)}{r}",
                    reported=f"{sheet}!{col(Writer.FIRST + a)}{r}",
                    tolerance=0.01,
                    tolerance_note="US$0.01m: floating-point sums",
                    source="AIM_DEPR_POLICY / AIM_DEPR_WATERFALL depreciate each vintage in full",
                    number_format=fmt_of("USD_m"),
                    group="integrity",
                )
            )

    # ---- the answers, now that the workings exist ----------------------------------------------
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
            w.put(r, cs + 1, f"={col(cs)}{r}/({oi})/{len(head_years)}", fmt_of("pct"))
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

    # ---- calibration rows ---------------------------------------------------------------
    for i, (c, tgt) in enumerate(cal_rows):
        r = cal_first + i
        write_text(ws, r, Writer.FIRST, tgt.period)
        write_text(ws, r, Writer.FIRST + 1, quarters[tgt.first])
        w.put(r, Writer.FIRST + 2, tgt.last - tgt.first, "0")
        fq, nq = f"{col(Writer.FIRST + 1)}{r}", f"{col(Writer.FIRST + 2)}{r}"
        start = f"MATCH({fq},{labels_rng},0)"
        w.put(
            r,
            Writer.FIRST + 3,
            f"=SUMPRODUCT(({numbers}>={start})*({numbers}<{start}+{nq})*{mod.range(c)})"
            "/USDm_per_USDbn",
            fmt_of("USD_bn"),
        )
        w.put(r, Writer.FIRST + 4, tgt.value / 1000, fmt_of("USD_bn"), link=True)
        mc, fc = f"{col(Writer.FIRST + 3)}{r}", f"{col(Writer.FIRST + 4)}{r}"
        w.put(r, Writer.FIRST + 5, f"={mc}/{fc}-1", fmt_of("pct"))
        w.put(r, Writer.FIRST + 6, f"={_fitref(model, c, 'residual', tgt.period)}", fmt_of("pct"))
        held = _held(c, tgt.period)
        tol = TOLERANCE.get(c, DEFAULT_TOL)
        w.put(r, Writer.FIRST + 7, tol if held else "information", fmt_of("pct"))
        write_text(ws, r, Writer.FIRST + 8, tgt.source)
        label = f"Depreciation: {c} property depreciation {tgt.period}, modelled vs filed"
        model.reconcile(
            label,
            f"{sheet}!{mc}",
            f"{sheet}!{fc}",
            tol * tgt.value / 1000,
            f"{tol:.0%} of filed (US${tgt.value / 1000:.2f}bn): one engine, three classes, "
            "fitted shares, lag and other life; no per-year plug",
            f"data/pp_e_facts.csv: {tgt.source}; model: Depreciation sheet",
            fmt_of("USD_bn"),
            group="reconciliation" if held else "information",
        )
        model.output(
            c, "da_modelled", tgt.period, "USD_bn", f"{sheet}!${col(Writer.FIRST + 3)}${r}"
        )
        model.output(
            c, "da_reported", tgt.period, "USD_bn", f"{sheet}!${col(Writer.FIRST + 4)}${r}"
        )
    declared = {(c, t.period) for c, t in cal_rows}
    for c in COMPANIES:
        for i, y in enumerate(ann_years):
            if (c, str(y)) not in declared:
                model.output(
                    c,
                    "da_modelled",
                    str(y),
                    "USD_bn",
                    f"{sheet}!${col(a_mod.columns[c])}${a_mod.first + i}",
                )

    # ---- every change's effect -----------------------------------------------------------
    latest: dict[str, int] = {}
    for i, (c, ch) in enumerate(eff_rows):
        r = eff_first + i
        q = quarters[ch.first]
        write_text(ws, r, Writer.FIRST, ch.label)
        write_text(ws, r, Writer.FIRST + 1, q)
        write_text(ws, r, Writer.FIRST + 2, ch.period)
        write_text(ws, r, Writer.FIRST + 7, quarters[ch.end - 1])
        if ch.disclosed is not None:
            w.put(r, Writer.FIRST + 3, ch.disclosed / 1000, fmt_of("USD_bn"), link=True)
            latest[c] = r
        fq = f"MATCH({col(Writer.FIRST + 1)}{r},{labels_rng},0)"
        lq = f"MATCH({col(Writer.FIRST + 7)}{r},{labels_rng},0)"
        calls = []
        for cls in CLASSES:
            rows = pol_index[(c, cls)]
            hit = [k for k, rr_ in enumerate(rows) if _pol_quarter(pending, rr_) == q and k > 0]
            lv = lives[cls].range(c)
            if hit:
                k = hit[0]
                num = f"${col(Writer.FIRST + 1)}${rows[k]}"
                prev_life = f"${col(Writer.FIRST + 2)}${rows[k - 1]}"
                nxt = (
                    f"${col(Writer.FIRST + 1)}${rows[k + 1]}"
                    if k + 1 < len(rows)
                    else f"({periods}+1)"
                )
                lv = f"IF(({numbers}>={num})*({numbers}<{nxt}),{prev_life},{lv})"
            calls.append(f"AIM_DEPR_POLICY({amounts[cls].range(c)},{lv},Depr_convention,{periods})")
        w.array(
            r,
            Writer.FIRST + 4,
            1,
            1,
            f"=SUMPRODUCT(({numbers}>={fq})*({numbers}<={lq})*({'+'.join(calls)}"
            f"-{srv_dep.range(c)}))/USDm_per_USDbn",
            fmt_of("USD_bn"),
        )
        d, m_ = f"{col(Writer.FIRST + 3)}{r}", f"{col(Writer.FIRST + 4)}{r}"
        w.put(r, Writer.FIRST + 5, f'=IF(ISNUMBER({d}),{m_}/{d}-1,"")', fmt_of("pct"))
        write_text(ws, r, Writer.FIRST + 6, ch.source)
        model.output(
            c,
            "life_change_effect_modelled",
            ch.period,
            "USD_bn",
            f"{sheet}!${col(Writer.FIRST + 4)}${r}",
        )
        if ch.disclosed is not None:
            model.output(
                c,
                "life_change_effect_disclosed",
                ch.period,
                "USD_bn",
                f"{sheet}!${col(Writer.FIRST + 3)}${r}",
            )
    ws.cell(row=eff_first - 1, column=Writer.FIRST + 7, value="Last quarter")
    for c, r in latest.items():
        ch = dict((id(x), x) for _, x in eff_rows)
        del ch
        d, m_ = f"{col(Writer.FIRST + 3)}{r}", f"{col(Writer.FIRST + 4)}{r}"
        disclosed = ws.cell(row=r, column=Writer.FIRST + 3).value
        model.reconcile(
            f"Depreciation: {c} latest disclosed life-change effect, modelled vs disclosed",
            f"{sheet}!{m_}",
            f"{sheet}!{d}",
            EFFECT_TOLERANCE * float(disclosed),
            f"{EFFECT_TOLERANCE:.0%} of the disclosed effect",
            f"data/life_changes.csv: {ws.cell(row=r, column=Writer.FIRST + 6).value}; model: "
            "policy with vs without the change, the change's fiscal year",
            fmt_of("USD_bn"),
        )

    # ---- the claim ------------------------------------------------------------------------
    y0 = f"$A${fc_year.first + forecast_years.index(gap_years[0])}"
    y1 = f"$A${fc_year.first + forecast_years.index(gap_years[-1])}"

    def window(blk: Block, c: str) -> str:
        return f"SUMPRODUCT(({years_rng}>={y0})*({years_rng}<={y1})*{blk.range(c)})"

    cv = Writer.FIRST
    w.put(claim_first, cv, "=DD_claim_gap", fmt_of("USD_bn"))
    w.put(
        claim_first + 1,
        cv,
        "=(" + "+".join(window(claim_gap, c) for c in COMPANIES) + ")/USDm_per_USDbn",
        fmt_of("USD_bn"),
    )
    w.put(claim_first + 2, cv, f"={col(cv)}{claim_first + 1}/{col(cv)}{claim_first}", fmt_of("pct"))
    w.put(claim_first + 3, cv, f"={col(cv)}{claim_first}/{col(cv)}{claim_first + 1}", fmt_of("pct"))
    ws.cell(row=claim_first + 4, column=cv + 1, value="per company:")
    for ci, c in enumerate(COMPANIES):
        ws.cell(row=claim_first + 3, column=cv + 2 + ci, value=c)
        w.put(
            claim_first + 4, cv + 2 + ci, f"={window(base_gap, c)}/USDm_per_USDbn", fmt_of("USD_bn")
        )
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
    w.put(
        claim_first + 5,
        cv,
        f'=IF(COUNT({solve_rng})=1,SUM({solve_rng}),"outside the grid\'s lives")',
        fmt_of("years"),
    )
    model.output("Total", "claim_life_solved", "", "years", f"{sheet}!${col(cv)}${claim_first + 5}")

    # ---- checks and outputs ------------------------------------------------------------------
    if "2025Q4" in quarters:
        i25 = quarters.index("2025Q4")
        for c in ("Amazon", "Alphabet", "Microsoft"):
            if model.has(T04, c, "useful_life", "2025"):
                model.reconcile(
                    f"Depreciation: {c} server life in 2025Q4 (policy) vs 表4",
                    f"{sheet}!{lives['servers'].cell(c, i25)}/Q_per_year",
                    model.ref(T04, c, "useful_life", "2025"),
                    0,
                    "exact",
                    model.source(T04, c, "useful_life", "2025"),
                    fmt_of("years"),
                )
    model.blocks.update(
        {
            "dd_capex": capex,
            "dd_lives": lives["servers"],
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
        "cal_rows": cal_rows,
        "eff_first": eff_first,
        "eff_rows": eff_rows,
        "fit_first": fit_first,
        "fit_rows": fit_rows,
        "claim_first": claim_first,
        "grid_first": grid_first,
        "share_row": share_row,
        "bridge": bridge,
        "bridge_cols": by,
        "gap_years": gap_years,
        "fits": fits,
    }
    _charts(model, w, a_chart, a_tot, ann_years, last_full)
    ws.column_dimensions["A"].width = 52
    for letter in "CDEFGHIJK":
        ws.column_dimensions[letter].width = 16
    ws.freeze_panes = "C4"


def _prior_period(model: Model, company: str) -> str:
    """The period of the company's prior row in the seed's text figures ("" if none)."""
    f = model.data.frames.get(PRIOR_STEM)
    if f is None:
        return ""
    rows = f[(f["entity"] == company) & (f["metric"] == PRIOR_METRIC)]
    return str(rows["period"].iloc[-1]) if len(rows) else ""


def _held(company: str, period: str) -> bool:
    """A filed period held to the tolerance: 2022-2025 (Microsoft FY2022-FY2026)."""
    if period.startswith("FY"):
        return CHECK_YEARS[0] <= int(period[2:]) <= CHECK_YEARS[1] + 1
    return CHECK_YEARS[0] <= int(period[:4]) <= CHECK_YEARS[1]


def _weakest(grades) -> str:
    return max(grades, key=GRADES.index)


def _pol_quarter(pending: list[tuple[int, str]], row: int) -> str:
    return dict(pending).get(row, "")


def _policy_source(changes, company: str, cls: str, q: str) -> str:
    base = cls.replace("subset_", "")
    kinds = (base, "subset") if cls.startswith("subset_") else (base,)
    rows = changes[(changes["company"] == company) & changes["asset_class"].isin(kinds)]
    if not q:
        rows = rows.sort_values("effective").head(1)
        if rows.empty and base == "network":
            return _policy_source(changes, company, "servers", q)
        return "Life before the first change: " + "; ".join(
            f"{r['form']}, accession {r['accession']}" for _, r in rows.iterrows()
        )
    rows = rows[rows["effective"].map(quarter_of) == q]
    if rows.empty and base == "network":  # Meta: network assets change with the servers
        return _policy_source(changes, company, cls.replace("network", "servers"), q)
    return "; ".join(f"{r['form']}, accession {r['accession']}" for _, r in rows.iterrows())


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
