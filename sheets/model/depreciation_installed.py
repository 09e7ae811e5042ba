"""The Depreciation sheet's installed base: what is in service, on which life, and its
depreciation.

- the life policy per asset class from the filings (data/life_changes.csv);
- capex per forecast year and quarter (the inputs, then the scenario's growth), the
  quarterly timeline, capex filed and in use, placed in service after the lag;
- servers and network (four classes: servers, network, and Amazon's 2025 subset of
  each) on AIM_DEPR_POLICY, buildings and other on AIM_DEPR_WATERFALL, the bridging
  item, and the modelled depreciation of property beside the filed D&A, revenue and
  operating income;
- the integrity check (each full schedule sums to its depreciable base) and the server
  life in force against the seed's table 4.

Units: US$ millions per quarter; lives in quarters (policy rows also in years).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sheets.model.base import Block, Check, Writer, array_block, col, fmt_of, formula_block
from sheets.model.depreciation_base import SPLIT_QUARTER, class_steps, quarter_of
from sheets.model.depreciation_frame import CLASS_TEXT, CLASSES, Frame, fitref, sum4
from sheets.model.depreciation_inputs import COMPANIES, TICKERS
from sheets.model.forecast import forecast_quarter_formula
from sheets.model.styles import style_link, write_text
from sheets.sources.filed_facts import LIFE_CHANGES_STEM

__all__ = [
    "InstalledBase",
    "check_server_life",
    "qblock",
    "write_installed_base",
    "write_integrity",
]

T04 = "t04_server_lives_2025"


@dataclass(frozen=True)
class InstalledBase:
    """The blocks and ranges of the installed base that later parts of the sheet read.

    Attributes
    ----------
    numbers, years_rng, labels_rng : str
        Absolute ranges of the timeline's numbers, calendar years and quarter labels.
    periods : str
        ``ROWS(numbers)``: the number of quarters, as a formula.
    fc_year : Block
        Capex per forecast year, US$bn (column A holds the years).
    pol_index : dict
        (company, class) -> the policy rows of that class.
    pending : list
        (policy row, first quarter) of every policy row.
    capex, sn, other, srv_dep, mod, rep, revenue, op_inc : Block
        Quarterly US$m blocks: capex in use, servers and network placed, buildings and
        other placed, servers and network depreciation, property depreciation modelled,
        D&A, revenue and operating income filed.
    amounts, lives : dict
        Class -> placed (US$m) and life in force (quarters) blocks.
    """

    numbers: str
    years_rng: str
    labels_rng: str
    periods: str
    fc_year: Block
    pol_index: dict[tuple[str, str], list[int]]
    pending: list[tuple[int, str]]
    capex: Block
    sn: Block
    amounts: dict[str, Block]
    other: Block
    lives: dict[str, Block]
    srv_dep: Block
    mod: Block
    rep: Block
    revenue: Block
    op_inc: Block


def qblock(
    w: Writer,
    f: Frame,
    title: str,
    call: Callable[[str], str],
    unit: str = "USD_m",
    note: str = "",
    series: Sequence[str] = COMPANIES,
) -> Block:
    """One array formula per company over the timeline's quarters."""
    return array_block(
        w, title, unit, f.quarters, list(series), lambda s: (call(s), f.n), note=note
    )


def write_installed_base(w: Writer, f: Frame, use: dict[tuple[str, str], str]) -> InstalledBase:
    """Life policy, capex forecast, timeline and the quarterly engine, top to bottom."""
    model, ws = w.model, w.ws
    pivot, timeline = model.pivot, model.timeline
    assert pivot is not None and timeline is not None
    quarters, forecast_years, yk = f.quarters, f.forecast_years, f.yk
    changes_df = model.data.filed[LIFE_CHANGES_STEM]

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
        "(the latest filed quarter of each company is on the Capex sheet and moves with a "
        "refresh).",
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

    def qb(title: str, call, unit: str = "USD_m", note: str = "") -> Block:
        return qblock(w, f, title, call, unit, note)

    periods = f"ROWS({numbers})"
    filed = qb(
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
        lambda s, i, r: f"=COUNT({sum4(filed, s, yk[forecast_years[i]])})",
    )
    per_q = formula_block(
        w,
        "Capex per forecast quarter, US$m: what the filed quarters leave of the year, shared "
        "over the quarters not filed, never below the latest filed quarter of the year",
        "USD_m",
        fy_labels,
        list(COMPANIES),
        lambda s, i, r: forecast_quarter_formula(
            f"{fc_year.cell(s, i)}*USDm_per_USDbn",
            sum4(filed, s, yk[forecast_years[i]]),
            filed_count.cell(s, i),
        ),
    )
    for blk in (filed_count, per_q):
        for i, y in enumerate(forecast_years):
            ws.cell(row=blk.first + i, column=1, value=y)
    fy_rng = f"$A${per_q.first}:$A${per_q.last}"
    capex = qb(
        "Capex in use, US$m (filed, else the forecast quarter's share)",
        lambda s: (
            f"=IF(ISNUMBER({filed.range(s)}),{filed.range(s)},"
            f"IFERROR(LOOKUP({years_rng},{fy_rng},{per_q.range(s)}),0))"
        ),
    )
    placed = qb(
        "Placed in service, US$m: capex of the quarter DD_use_lag quarters earlier",
        lambda s: (
            f"=MMULT(((({numbers})-TRANSPOSE({numbers}))={use[(s, 'lag')]})*1,{capex.range(s)})"
        ),
        note="Construction in progress is not depreciated: spend enters the base after the lag.",
    )

    # the fit's split (depreciation_base.SPLIT_QUARTER): a structural constant of the fit,
    # shown in a labelled cell so that no formula holds the year itself
    split_row = w.row
    ws.cell(row=split_row, column=1, value="First year of the from-2023 share (the fit's split)")
    ws.cell(row=split_row, column=2, value="year")
    w.put(split_row, Writer.FIRST, int(SPLIT_QUARTER[:4]), "0")
    w.row += 1
    split_year = f"${col(Writer.FIRST)}${split_row}"

    def share(s: str) -> str:
        return f"IF({years_rng}<{split_year},{use[(s, 'pre')]},{use[(s, 'post')]})"

    sn = qb(
        "Servers and network equipment placed, US$m: placed x share (before 2023 / from 2023)",
        lambda s: f"={placed.range(s)}*{share(s)}",
    )

    def sub(s: str) -> str:
        return use[(s, "subset")] if (s, "subset") in use else "0"

    amounts: dict[str, Block] = {}
    for cls in CLASSES:
        frac = "DD_network_fraction" if "network" in cls else "(1-DD_network_fraction)"
        part = (lambda s: sub(s)) if cls.startswith("subset_") else (lambda s: f"(1-{sub(s)})")
        amounts[cls] = qb(
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
        lambda s, i, r: f"={fitref(model, s, 'leases', quarters[i])}",
        note="Microsoft FY2024-FY2026 (leases note, accessions on the calibration rows' "
        "filings); none filed for the others in data/.",
    )
    other = qb(
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
        lives[cls] = qb(
            f"{CLASS_TEXT[cls]}: life in force, quarters",
            lambda s, cls=cls: f"=LOOKUP({numbers},{pol(s, cls)[0]},{pol(s, cls)[1]})",
            unit="count",
        )
    for cls in CLASSES:
        deps[cls] = qb(
            f"{CLASS_TEXT[cls]}: depreciation, US$m (AIM_DEPR_POLICY)",
            lambda s, cls=cls: (
                f"=AIM_DEPR_POLICY({amounts[cls].range(s)},{lives[cls].range(s)},"
                f"Depr_convention,{periods})"
            ),
        )
    oth_dep = qb(
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
        lambda s, i, r: f"={fitref(model, s, 'bridge', quarters[i])}",
        note="Amazon's leased plant was obtained before the filed additions (2023 on): its "
        "filed amortization (incl. in the property note's depreciation) is added as filed.",
    )
    srv_dep = qb(
        "Servers and network equipment: depreciation, US$m (all four class blocks)",
        lambda s: "=" + "+".join(deps[k].range(s) for k in CLASSES),
    )
    mod = qb(
        "Depreciation of property modelled, US$m: servers and network + other + bridge",
        lambda s: f"={srv_dep.range(s)}+{oth_dep.range(s)}+{bridge_q.range(s)}",
    )
    rep = qb(
        "D&A reported (cash-flow statement, sec_quarterly metric da), US$m: the earnings "
        "bridge's filed years",
        lambda s: f'=IF(ISNUMBER({pivot.range(s, "da")}),{pivot.range(s, "da")},"")',
    )
    revenue = qb(
        "Revenue filed, US$m",
        lambda s: f'=IF(ISNUMBER({pivot.range(s, "revenue")}),{pivot.range(s, "revenue")},"")',
    )
    op_inc = qb(
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
    return InstalledBase(
        numbers=numbers,
        years_rng=years_rng,
        labels_rng=labels_rng,
        periods=periods,
        fc_year=fc_year,
        pol_index=pol_index,
        pending=pending,
        capex=capex,
        sn=sn,
        amounts=amounts,
        other=other,
        lives=lives,
        srv_dep=srv_dep,
        mod=mod,
        rep=rep,
        revenue=revenue,
        op_inc=op_inc,
    )


def write_integrity(
    w: Writer, f: Frame, base: InstalledBase, use: dict[tuple[str, str], str]
) -> None:
    """The full schedules (every row, whatever the life) sum to the depreciable base."""
    model, sheet = w.model, f.sheet
    amounts, lives, other = base.amounts, base.lives, base.other
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


def check_server_life(w: Writer, f: Frame, base: InstalledBase) -> None:
    """The server life in force in 2025Q4 against the seed's table 4 (exact)."""
    model, sheet, quarters = w.model, f.sheet, f.quarters
    if "2025Q4" in quarters:
        i25 = quarters.index("2025Q4")
        for c in ("Amazon", "Alphabet", "Microsoft"):
            if model.has(T04, c, "useful_life", "2025"):
                model.reconcile(
                    f"Depreciation: {c} server life in 2025Q4 (policy) vs 表4",
                    f"{sheet}!{base.lives['servers'].cell(c, i25)}/Q_per_year",
                    model.ref(T04, c, "useful_life", "2025"),
                    0,
                    "exact",
                    model.source(T04, c, "useful_life", "2025"),
                    fmt_of("years"),
                )


def _policy_source(changes, company: str, cls: str, q: str) -> str:
    """The filings (form, accession) behind one policy row."""
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
