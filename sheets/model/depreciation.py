"""The Depreciation sheet: do longer server lives flatter earnings?

Each hyperscaler's quarterly capex (表1, 2024Q1-2025Q4E) as a vintage waterfall under
the short, middle and long lives on Inputs, and the effect of moving from the old to
the new life prospectively (ASC 250 / IAS 8, AIM_LIFE_CHANGE), per quarter and per year.
Only the vintages in the seed are depreciated: earlier capex is not in it, so levels are
understated; the differences between lives are what this sheet shows.
"""

from __future__ import annotations

from sheets.model.base import Block, Model, Writer, col, fmt_of, formula_block
from sheets.model.capex import Q8, T1_COMPANIES
from sheets.model.inputs import inputs_table

__all__ = ["DEPRECIATION_SHEET", "write_depreciation"]

DEPRECIATION_SHEET = "Depreciation"
LIVES = (("Life_short", "short"), ("Life_mid", "middle"), ("Life_long", "long"))


def _default(name: str) -> float:
    return next(i.default for i in inputs_table() if i.name == name)


def quarter_labels(start_year: int, n: int) -> list[str]:
    return [f"{start_year + i // 4}Q{i % 4 + 1}" for i in range(n)]


def write_depreciation(model: Model) -> None:
    w = Writer(
        model,
        DEPRECIATION_SHEET,
        "Do longer server lives flatter earnings? Straight-line depreciation of 表1's "
        "capex vintages under three lives, and a prospective change of life.",
    )
    t1 = model.blocks["capex_t1"]
    capex = formula_block(
        w,
        "Capex, US$m (表1 x USDm_per_USD100m)",
        "USD_m",
        Q8,
        T1_COMPANIES,
        lambda s, i, r: f"={t1.ref(s, i)}*USDm_per_USD100m",
    )
    horizon = int(_default("Depr_horizon"))
    labels = quarter_labels(int(Q8[0][:4]), horizon)
    years = sorted({int(p[:4]) for p in labels})
    series = [*T1_COMPANIES, "Total"]
    blocks: dict[str, Block] = {}
    for name, word in LIVES:
        life = int(_default(name))
        w.section(
            f"Depreciation, US$m, {word} life ({name}, {life} years by default): "
            f"AIM_DEPR_WATERFALL(capex, {name}*Q_per_year, Depr_convention, Salvage_pct, "
            "Depr_horizon)"
        )
        w.header("Period", "USD_m", [*series, "Year"])
        first = w.row
        w.labels(labels)
        columns = {}
        for j, s in enumerate(T1_COMPANIES):
            c = Writer.FIRST + j
            columns[s] = c
            w.array(
                first,
                c,
                horizon,
                1,
                f"=AIM_DEPR_WATERFALL({capex.range(s)},{name}*Q_per_year,Depr_convention,"
                f"Salvage_pct,Depr_horizon)",
                fmt_of("USD_m"),
            )
        tc = Writer.FIRST + len(T1_COMPANIES)
        columns["Total"] = tc
        columns["Year"] = tc + 1
        for i, p in enumerate(labels):
            r = first + i
            w.put(r, tc, f"=SUM({col(Writer.FIRST)}{r}:{col(tc - 1)}{r})", fmt_of("USD_m"))
            w.ws.cell(row=r, column=tc + 1, value=int(p[:4]))
        blocks[name] = Block(w.title, first, first + horizon - 1, columns)
    model.blocks.update({f"depr_{k}": v for k, v in blocks.items()})
    year_col = blocks["Life_short"].range("Year")

    # Annual totals under each life, all four companies.
    w.section("Depreciation by year, US$m, all four hyperscalers")
    w.header("Year", "USD_m", [word for _, word in LIVES])
    first, last = w.labels([str(y) for y in years])
    for i, y in enumerate(years):
        w.ws.cell(row=first + i, column=1, value=y)
        for j, (name, _) in enumerate(LIVES):
            w.put(
                first + i,
                Writer.FIRST + j,
                f"=SUMIF({year_col},$A{first + i},{blocks[name].range('Total')})",
                fmt_of("USD_m"),
            )
    model.blocks["depr_annual"] = Block(
        w.title, first, last, {word: Writer.FIRST + j for j, (_, word) in enumerate(LIVES)}
    )

    # The change in estimate, per company: three columns each.
    old, new = int(_default("Life_old")), int(_default("Life_new"))
    rows = len(Q8) + max(old, new) * 4
    w.section(
        "Change in useful life, US$m: AIM_LIFE_CHANGE(capex, Life_old*Q_per_year, "
        "Life_new*Q_per_year, Change_period, Depr_convention)",
        "Per company: depreciation under the old life, with the change from "
        "Change_period, and the difference (negative = higher operating income).",
    )
    heads = []
    for s in T1_COMPANIES:
        heads += [f"{s} old life", f"{s} with change", f"{s} difference"]
    w.header("Period", "USD_m", [*heads, "Total difference", "Year"])
    first = w.row
    w.labels(quarter_labels(int(Q8[0][:4]), rows))
    columns = {}
    for j, s in enumerate(T1_COMPANIES):
        c = Writer.FIRST + 3 * j
        columns[s] = c
        w.array(
            first,
            c,
            rows,
            3,
            f"=AIM_LIFE_CHANGE({capex.range(s)},Life_old*Q_per_year,Life_new*Q_per_year,"
            "Change_period,Depr_convention)",
            fmt_of("USD_m"),
        )
    tc = Writer.FIRST + 3 * len(T1_COMPANIES)
    diffs = [Writer.FIRST + 3 * j + 2 for j in range(len(T1_COMPANIES))]
    for i in range(rows):
        r = first + i
        w.put(r, tc, "=" + "+".join(f"{col(c)}{r}" for c in diffs), fmt_of("USD_m"))
        w.ws.cell(row=r, column=tc + 1, value=int(quarter_labels(int(Q8[0][:4]), rows)[i][:4]))
    lc = Block(
        w.title,
        first,
        first + rows - 1,
        {
            **{f"{s} difference": Writer.FIRST + 3 * j + 2 for j, s in enumerate(T1_COMPANIES)},
            "Total difference": tc,
            "Year": tc + 1,
        },
    )
    model.blocks["life_change"] = lc

    w.section(
        "Operating income uplift from the change in life, by year, US$m",
        "Minus the difference column: positive = depreciation lower, earnings higher.",
    )
    names = [*T1_COMPANIES, "Total"]
    w.header("Year", "USD_m", names)
    yfirst, ylast = w.labels([str(y) for y in years])
    for i, y in enumerate(years):
        r = yfirst + i
        w.ws.cell(row=r, column=1, value=y)
        for j, s in enumerate(names):
            key = "Total difference" if s == "Total" else f"{s} difference"
            w.put(
                r,
                Writer.FIRST + j,
                f"=-SUMIF({lc.range('Year')},$A{r},{lc.range(key)})",
                fmt_of("USD_m"),
            )
    model.blocks["uplift"] = Block(
        w.title, yfirst, ylast, {s: Writer.FIRST + j for j, s in enumerate(names)}
    )
