"""The Depreciation sheet's calibration: how well does the engine match the filings?

- like for like: depreciation of property and equipment, modelled vs filed
  (data/pp_e_facts.csv; Microsoft on its fiscal years), held within a tolerance for
  2022-2025 and information before;
- every life change's effect in its fiscal year, modelled (policy with vs without the
  change) beside the disclosed effect;
- the least-squares fit table (fitted value, override, value in use) and the profile of
  the from-2023 share (how well the filings pin it down).

The calibration and effect rows are reserved near the top of the sheet
(:func:`reserve_calibration`) and filled once the engine below exists
(:func:`fill_calibration`, :func:`fill_effects`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sheets.model.base import Block, Model, Writer, col, fmt_of
from sheets.model.depreciation_base import PRIOR_METRIC, PRIOR_STEM
from sheets.model.depreciation_frame import CLASSES, Frame, fitref
from sheets.model.depreciation_inputs import COMPANIES, FIT_PARAMS, TICKERS
from sheets.model.depreciation_installed import InstalledBase
from sheets.model.styles import write_text

__all__ = [
    "Calibration",
    "Fitted",
    "fill_calibration",
    "fill_effects",
    "reserve_calibration",
    "write_fit",
]

CHECK_YEARS = (2022, 2025)  # company-years held to the tolerance (Microsoft: FY2022-FY2026)
TOLERANCE = {"Amazon": 0.15}  # modelled within 15% of filed (Amazon), else DEFAULT_TOL
DEFAULT_TOL = 0.10
EFFECT_TOLERANCE = 0.25  # each company's latest disclosed effect, modelled within 25%
PARAM_FMT = {"pct": "pct", "years": "years", "count": "count"}


@dataclass(frozen=True)
class Calibration:
    """The reserved rows: calibration targets and life changes, one row each."""

    cal_first: int
    cal_rows: list[tuple[str, object]]
    eff_first: int
    eff_rows: list[tuple[str, object]]


@dataclass(frozen=True)
class Fitted:
    """The fit table: (company, parameter) -> name of the value in use (``DD_use_*``)."""

    use: dict[tuple[str, str], str]
    fit_first: int
    fit_rows: list[tuple[str, str, str, str]]


def reserve_calibration(w: Writer, f: Frame) -> Calibration:
    """Headers and labels of the like-for-like and the life-change sections."""
    fits = f.fits
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
    return Calibration(cal_first, cal_rows, eff_first, eff_rows)


def write_fit(w: Writer, f: Frame) -> Fitted:
    """The fit table (fitted, override, in use; names ``DD_use_*``) and the share profile."""
    model, ws, sheet, fits = w.model, w.ws, f.sheet, f.fits
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
        fm = fmt_of(PARAM_FMT[unit])
        w.put(r, Writer.FIRST, f"={fitref(model, c, f'fit_{key}')}", fm, link=True)
        analyst = model.names[f"DD_fit_{key}_{t}"].replace("$F$", "$E$")  # the typed cell
        # the typed cell decides whether there is an override (a blank input's value in
        # use reads as 0); the value comes through the input's name
        w.put(r, Writer.FIRST + 1, f'=IF(ISNUMBER({analyst}),DD_fit_{key}_{t},"")', fm)
        fc, oc = f"{col(Writer.FIRST)}{r}", f"{col(Writer.FIRST + 1)}{r}"
        w.put(r, Writer.FIRST + 2, f"=IF(ISNUMBER({oc}),{oc},{fc})", fm)
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
            w.put(r, Writer.FIRST + j, f"={fitref(model, c, 'profile_rms', sh)}", pct_f)
        k = Writer.FIRST + len(shares)
        w.put(r, k, f"={fitref(model, c, 'near_low')}", pct_f)
        w.put(r, k + 1, f"={fitref(model, c, 'near_high')}", pct_f)
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
        w.put(r, k + 3, f"={fitref(model, c, 'fit_rms')}", pct_f)
        w.put(r, k + 4, f"={fitref(model, c, 'fit_cost')}", "0.0000")
    return Fitted(use, fit_first, fit_rows)


def fill_calibration(
    w: Writer, f: Frame, cal: Calibration, base: InstalledBase, a_mod: Block, ann_years: list[int]
) -> None:
    """The like-for-like rows (modelled vs filed, reconciled) and the modelled D&A outputs."""
    model, ws, sheet, quarters = w.model, w.ws, f.sheet, f.quarters
    numbers, labels_rng, mod = base.numbers, base.labels_rng, base.mod
    for i, (c, tgt) in enumerate(cal.cal_rows):
        r = cal.cal_first + i
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
        w.put(r, Writer.FIRST + 6, f"={fitref(model, c, 'residual', tgt.period)}", fmt_of("pct"))
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
    declared = {(c, t.period) for c, t in cal.cal_rows}
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


def fill_effects(w: Writer, f: Frame, cal: Calibration, base: InstalledBase) -> None:
    """Every life change's effect: the policy with the change minus without it, in its
    fiscal year; each company's latest disclosed effect reconciled."""
    model, ws, sheet, quarters = w.model, w.ws, f.sheet, f.quarters
    numbers, labels_rng, periods = base.numbers, base.labels_rng, base.periods
    latest: dict[str, int] = {}
    for i, (c, ch) in enumerate(cal.eff_rows):
        r = cal.eff_first + i
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
            rows = base.pol_index[(c, cls)]
            hit = [
                k for k, rr_ in enumerate(rows) if _pol_quarter(base.pending, rr_) == q and k > 0
            ]
            lv = base.lives[cls].range(c)
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
            calls.append(
                f"AIM_DEPR_POLICY({base.amounts[cls].range(c)},{lv},Depr_convention,{periods})"
            )
        w.array(
            r,
            Writer.FIRST + 4,
            1,
            1,
            f"=SUMPRODUCT(({numbers}>={fq})*({numbers}<={lq})*({'+'.join(calls)}"
            f"-{base.srv_dep.range(c)}))/USDm_per_USDbn",
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
    ws.cell(row=cal.eff_first - 1, column=Writer.FIRST + 7, value="Last quarter")
    for c, r in latest.items():
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


def _pol_quarter(pending: list[tuple[int, str]], row: int) -> str:
    return dict(pending).get(row, "")
