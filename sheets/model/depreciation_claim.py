"""The Depreciation sheet's claim: is 2026-2028 depreciation understated by US$176bn?

- the servers-and-network depreciation at an economic life minus the reported lives,
  quarter by quarter: at the life in use, the base scenario's life, the claim's life and
  each of the grid's lives;
- the gap per grid life and year, its 2026-2028 sum per company, the life at which the
  four companies' gap equals the claim (solved between the grid's whole years), and the
  sensitivity grid (life x multiple of the calibrated shares) as a heat map;
- the claim's table: the claim, the model at the claim's life, their ratio, the multiple
  of the shares that would give the claim, the gap at the base life and the solved life.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.formatting.rule import ColorScaleRule

from sheets.model.base import Block, Writer, col, fmt_of
from sheets.model.depreciation_frame import GRID_LIVES, Frame, sum4
from sheets.model.depreciation_inputs import COMPANIES
from sheets.model.depreciation_installed import InstalledBase, qblock

__all__ = ["Gaps", "Grid", "fill_claim", "reserve_claim", "write_gap_blocks", "write_grid"]

GRID_SHARES = 7


@dataclass(frozen=True)
class Gaps:
    """Quarterly US$m blocks: depreciation at an economic life minus reported lives.

    ``alt_gap`` at the life in use (DD_use_life), ``base_gap`` at the base scenario's,
    ``claim_gap`` at the claim's; ``grid_blocks[k]`` at grid life ``k`` whose cell is
    ``grid_life[k]``.
    """

    alt_gap: Block
    base_gap: Block
    claim_gap: Block
    grid_life: list[str]
    grid_blocks: list[Block]


@dataclass(frozen=True)
class Grid:
    """The gap grid: ``gap_cell[(company, life k, headline year j)]`` (US$bn), the
    first rows of the cumulative table and the sensitivity grid, and the solved-life
    range."""

    gap_cell: dict[tuple[str, int, int], str]
    cum_first: int
    solve_rng: str
    grid_first: int
    share_row: int


def reserve_claim(w: Writer) -> int:
    """Header and labels of the claim's table; returns its first row."""
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
    return claim_first


def write_gap_blocks(w: Writer, f: Frame, base: InstalledBase) -> Gaps:
    """The quarterly gaps at the life in use, the base and claim lives and the grid lives."""
    sn, srv_dep, periods = base.sn, base.srv_dep, base.periods

    def life_block(title: str, life: str) -> Block:
        return qblock(
            w,
            f,
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
    return Gaps(alt_gap, base_gap, claim_gap, grid_life, grid_blocks)


def write_grid(w: Writer, f: Frame, gaps: Gaps) -> Grid:
    """The gap per grid life and headline year, its sum and solved life, and the heat map."""
    model, ws, yk = w.model, w.ws, f.yk
    gap_years, grid_life = f.head_years, gaps.grid_life
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
                fm = f"=SUM({sum4(gaps.grid_blocks[k], c, yk[y])})/USDm_per_USDbn"
                w.put(r, Writer.FIRST + ci, fm, fmt_of("USD_bn"))
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
    return Grid(gap_cell, cum_first, solve_rng, grid_first, share_row)


def fill_claim(
    w: Writer, f: Frame, claim_first: int, base: InstalledBase, gaps: Gaps, grid: Grid
) -> None:
    """The claim's table: claim, model at its life, ratios, gap at the base life, solved
    life (outputs depr_gap_2026_2028 and claim_life_solved)."""
    model, ws, sheet = w.model, w.ws, f.sheet
    gap_years, fc_year, years_rng = f.head_years, base.fc_year, base.years_rng
    y0 = f"$A${fc_year.first + f.forecast_years.index(gap_years[0])}"
    y1 = f"$A${fc_year.first + f.forecast_years.index(gap_years[-1])}"

    def window(blk: Block, c: str) -> str:
        return f"SUMPRODUCT(({years_rng}>={y0})*({years_rng}<={y1})*{blk.range(c)})"

    cv = Writer.FIRST
    w.put(claim_first, cv, "=DD_claim_gap", fmt_of("USD_bn"))
    w.put(
        claim_first + 1,
        cv,
        "=(" + "+".join(window(gaps.claim_gap, c) for c in COMPANIES) + ")/USDm_per_USDbn",
        fmt_of("USD_bn"),
    )
    w.put(claim_first + 2, cv, f"={col(cv)}{claim_first + 1}/{col(cv)}{claim_first}", fmt_of("pct"))
    w.put(claim_first + 3, cv, f"={col(cv)}{claim_first}/{col(cv)}{claim_first + 1}", fmt_of("pct"))
    ws.cell(row=claim_first + 4, column=cv + 1, value="per company:")
    for ci, c in enumerate(COMPANIES):
        ws.cell(row=claim_first + 3, column=cv + 2 + ci, value=c)
        w.put(
            claim_first + 4,
            cv + 2 + ci,
            f"={window(gaps.base_gap, c)}/USDm_per_USDbn",
            fmt_of("USD_bn"),
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
    solve_rng = grid.solve_rng
    w.put(
        claim_first + 5,
        cv,
        f'=IF(COUNT({solve_rng})=1,SUM({solve_rng}),"outside the grid\'s lives")',
        fmt_of("years"),
    )
    model.output("Total", "claim_life_solved", "", "years", f"{sheet}!${col(cv)}${claim_first + 5}")
