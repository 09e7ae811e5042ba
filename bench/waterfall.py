"""Item 2: AIM_DEPR_WATERFALL and AIM_LIFE_CHANGE on long capex series.

Each function is timed at 1,000, 10,000 and 100,000 vintages with 24- and 72-period
lives against the plain per-vintage loop (numpy slices; and, up to 10,000 vintages, a
pure-Python double loop) and the conversion floor (see :mod:`bench.compare`). The
waterfall uses the ``full`` convention; the life change moves from two thirds of the
life to the life (16 -> 24 and 48 -> 72 quarters, the model's 4 -> 6 years) at the
middle vintage. Every fast result is checked against its loops before it is timed.

A grid of lives up to 1,200 periods then fits the time against vintages + periods and
against vintages x life, once as the machine runs and once in a child process whose
allocator keeps freed memory (glibc's ``MALLOC_MMAP_THRESHOLD_`` and
``MALLOC_TRIM_THRESHOLD_`` raised), which separates the algorithm's growth from the cost
of page faults on memory handed back to the OS after every call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

import udfs
from bench import child
from bench import references as ref
from bench.compare import CAPTION, Case, breakdown, case_header, check_same, ratio_checks
from bench.report import Check, Section, Table
from bench.timing import Fit, Timing, fmt_ns, linear_fit, measure
from udfs.core import waterfall
from udfs.excel._shapes import to_column, to_rows, vector

__all__ = ["grid_best", "run"]

KEEP_MEMORY = {"MALLOC_MMAP_THRESHOLD_": str(2**30), "MALLOC_TRIM_THRESHOLD_": str(2**31)}
R2_TARGET = 0.97
GROWTH_TARGET = 1.5


@dataclass(frozen=True)
class Subject:
    """One function under test and its references, each called with (capex, life)."""

    name: str
    adapter: Callable[[list[float], int], Any]
    core: Callable[[np.ndarray, int], np.ndarray]
    loop: Callable[[np.ndarray, int], np.ndarray]
    loop_udf: Callable[[list[float], int], list[list[float]]]
    python: Callable[[list[float], int], list[list[float]]] | None
    to_excel: Callable[[np.ndarray], list[list[Any]]]


def _old(life: int) -> int:
    return max(1, 2 * life // 3)


def _change(n: int) -> int:
    return n // 2 + 1


SUBJECTS = {
    "AIM_DEPR_WATERFALL": Subject(
        "AIM_DEPR_WATERFALL",
        adapter=lambda c, life: udfs.AIM_DEPR_WATERFALL(c, float(life)),
        core=lambda a, life: waterfall.depr_waterfall(a, life),
        loop=ref.waterfall_loop,
        loop_udf=lambda c, life: ref.waterfall_loop_udf(c, float(life)),
        python=lambda c, life: ref.waterfall_python(c, float(life)),
        to_excel=to_column,
    ),
    "AIM_LIFE_CHANGE": Subject(
        "AIM_LIFE_CHANGE",
        adapter=lambda c, life: udfs.AIM_LIFE_CHANGE(
            c, float(_old(life)), float(life), float(_change(len(c)))
        ),
        core=lambda a, life: waterfall.life_change(a, _old(life), life, _change(a.size)),
        loop=lambda a, life: ref.life_change_loop(a, _old(life), life, _change(a.size)),
        loop_udf=lambda c, life: ref.life_change_loop_udf(
            c, float(_old(life)), float(life), float(_change(len(c)))
        ),
        python=None,
        to_excel=to_rows,
    ),
}


@dataclass(frozen=True)
class Sizes:
    vintages: tuple[int, ...]
    lives: tuple[int, ...]
    grid_vintages: tuple[int, ...]
    grid_lives: tuple[int, ...]
    target: tuple[int, int]
    python_max: int
    budget_s: float


FULL = Sizes(
    vintages=(1_000, 10_000, 100_000),
    lives=(24, 72),
    grid_vintages=(1_000, 3_000, 10_000, 30_000, 100_000),
    grid_lives=(24, 72, 240, 1_200),
    target=(10_000, 72),
    python_max=10_000,
    budget_s=0.15,
)
QUICK = Sizes((200, 2_000), (6, 12), (200, 600, 2_000), (6, 12, 48), (2_000, 12), 2_000, 0.005)


def capex_series(n: int) -> np.ndarray:
    """``n`` quarters of positive capex, US$m, reproducible."""
    return np.random.default_rng(n).uniform(50.0, 500.0, n)


def _label(name: str, n: int, life: int) -> str:
    return f"{name} {n:,} x {life}"


def _grid(s: Subject, sizes: Sizes) -> dict[tuple[int, int], tuple[Timing, Timing]]:
    """(adapter, arrays) timings at every (vintages, life) of the grid."""
    out = {}
    for n in sizes.grid_vintages:
        arr = capex_series(n)
        lst = arr.tolist()
        for life in sorted({*sizes.grid_lives, *sizes.lives}):
            out[n, life] = (
                measure(lambda lst=lst, life=life: s.adapter(lst, life), budget_s=sizes.budget_s),
                measure(lambda arr=arr, life=life: s.core(arr, life), budget_s=sizes.budget_s),
            )
    return out


def grid_best(name: str, quick: bool) -> dict[str, list[float]]:
    """Fastest adapter and arrays times over the grid, keyed ``"vintages,life"``.

    Run in a child process for the counterfactual with the allocator keeping memory.
    """
    grid = _grid(SUBJECTS[name], QUICK if quick else FULL)
    return {f"{n},{life}": [a.best, c.best] for (n, life), (a, c) in grid.items()}


def _case(s: Subject, sizes: Sizes, n: int, life: int, timed: tuple[Timing, Timing]) -> Case:
    arr = capex_series(n)
    lst = arr.tolist()
    out = s.core(arr, life)
    budget = sizes.budget_s
    check_same(s.name, s.adapter(lst, life), s.loop_udf(lst, life))
    case = Case(
        _label(s.name, n, life),
        adapter=timed[0],
        core=timed[1],
        floor=measure(lambda: ref.floor(lst, out), budget_s=budget),
        loop_udf=measure(lambda: s.loop_udf(lst, life), budget_s=budget),
        loop=measure(lambda: s.loop(arr, life), budget_s=budget),
    )
    if s.python is not None and n <= sizes.python_max:
        check_same(s.name, s.adapter(lst, life), s.python(lst, life))
        case.extra["pure Python"] = measure(lambda: s.python(lst, life), budget_s=budget)
    return case


def _work(n: int, life: int) -> int:
    """Vintages + output periods (one row per capex period and per period of life)."""
    return 2 * n + life


Times = dict[tuple[int, int], float]


@dataclass(frozen=True)
class Growth:
    """How one path's time grows over the grid, as measured and with memory kept."""

    lin: Fit
    prod: Fit
    kept: Fit
    life_ratio: float
    per_unit: float
    kept_per_unit: float


def _growth(sizes: Sizes, times: Times, kept: Times) -> Growth:
    keys = sorted(times)
    work = [_work(*k) for k in keys]
    n_mid = sizes.grid_vintages[len(sizes.grid_vintages) // 2]
    n, life = sizes.target
    big = max(sizes.grid_vintages)

    def per_unit(m: Times) -> float:
        return (m[big, life] / _work(big, life)) / (m[n, life] / _work(n, life))

    return Growth(
        lin=linear_fit(work, [times[k] for k in keys]),
        prod=linear_fit([k[0] * k[1] for k in keys], [times[k] for k in keys]),
        kept=linear_fit(work, [kept[k] for k in keys]),
        life_ratio=times[n_mid, max(sizes.grid_lives)] / times[n_mid, min(sizes.grid_lives)],
        per_unit=per_unit(times),
        kept_per_unit=per_unit(kept),
    )


def _fit_row(name: str, path: str, sizes: Sizes, g: Growth) -> list[str]:
    n_mid = sizes.grid_vintages[len(sizes.grid_vintages) // 2]
    lo, hi = min(sizes.grid_lives), max(sizes.grid_lives)
    return [
        name,
        path,
        f"{g.lin.slope:.1f} ns",
        f"{g.lin.r2:.3f}",
        f"{g.prod.slope:.3f} ns",
        f"{g.prod.r2:.3f}",
        f"{g.life_ratio:.2f}x",
        f"{_work(n_mid, hi) / _work(n_mid, lo):.2f}x",
        f"{hi / lo:.0f}x",
        f"{g.per_unit:.1f}x",
        f"{g.kept.slope:.1f} ns",
        f"{g.kept.r2:.3f}",
        f"{g.kept_per_unit:.1f}x",
    ]


def _linearity(
    s: Subject,
    sizes: Sizes,
    grid: dict[tuple[int, int], tuple[Timing, Timing]],
    kept: dict,
    floor: tuple[float, Timing],
) -> tuple[list[list[str]], list[Check]]:
    """Fit rows for the adapter and the arrays path, and the two checks on growth.

    ``floor`` is the conversion floor's own growth per unit over the same sizes, and its
    timing at the most vintages.
    """
    floor_growth, big_floor = floor
    a, c = (
        _growth(sizes, {k: grid[k][i].best for k in grid}, {k: v[i] for k, v in kept.items()})
        for i in range(2)
    )
    rows = [_fit_row(s.name, "adapter", sizes, a), _fit_row(s.name, "arrays", sizes, c)]
    linear = all(g.lin.r2 >= R2_TARGET and g.lin.r2 > g.prod.r2 for g in (a, c))
    why_linear = (
        f"With the allocator keeping freed memory the same grid fits R^2 {a.kept.r2:.3f} / "
        f"{c.kept.r2:.3f}: the points off the line are the page faults of the next check."
    )
    steady = all(g.per_unit <= GROWTH_TARGET for g in (a, c))
    n, life = sizes.target
    big = max(sizes.grid_vintages)
    many = [grid[big, life][i].faults for i in range(2)]
    few = [grid[n, life][i].faults for i in range(2)]
    why = [
        f"Page faults per call at {big:,} vintages: adapter {many[0]:.0f}, arrays "
        f"{many[1]:.0f}, conversion floor {big_floor.faults:.0f} (adapter / arrays "
        f"{few[0]:.0f} / {few[1]:.0f} at {n:,})."
    ]
    if c.per_unit > GROWTH_TARGET:
        why.append(
            f"The arrays path grows {c.per_unit:.1f}x ({c.kept_per_unit:.1f}x with the "
            "allocator keeping freed memory, child process): arrays above glibc's 128 KiB "
            "mmap threshold (about 16,000 values) are handed back to the OS after every "
            "call and faulted in again on the next. What would meet it: fewer full-length "
            "arrays per call in udfs/core/waterfall.py."
        )
    if a.per_unit > GROWTH_TARGET:
        why.append(
            f"The adapter grows {a.per_unit:.1f}x against {c.per_unit:.1f}x for its core; "
            f"the rest is the crossing. At {big:,} vintages the result is {big + life:,} "
            "Python rows of floats: too many for the caches, and in arenas that CPython's "
            "small-object allocator maps itself and hands back to the OS when the result is "
            "dropped, so that the next call faults them in again (glibc's settings do not "
            f"keep them: {a.kept_per_unit:.1f}x with memory kept); the full-length arrays "
            "the adapter frees (its converted input, the core's result) can be handed back "
            "too. The conversion floor alone (np.asarray + .tolist()) grows "
            f"{floor_growth:.1f}x in this run. The rows are the machine's cost of handing "
            "Excel that many Python objects, which no change to aim's code removes; the "
            "adapter's own arrays could be spared only by converting Excel's list straight "
            "into the core's buffer, coupling the two. Keeping freed memory process-wide "
            "(PYTHONMALLOC=malloc with glibc's thresholds raised) stops the faults but makes "
            "every small object slower."
        )
    why_growth = " ".join(why)
    checks = [
        Check(
            f"{s.name}: time ~ vintages + periods (adapter / arrays)",
            f"R^2 {a.lin.r2:.3f} / {c.lin.r2:.3f} "
            f"(vintages x life {a.prod.r2:.3f} / {c.prod.r2:.3f})",
            f"R^2 >= {R2_TARGET} and above vintages x life",
            linear,
            "" if linear else why_linear,
        ),
        Check(
            f"{s.name}: time per vintage + period, {big:,} vs {n:,} x {life} (adapter / arrays)",
            f"{a.per_unit:.1f}x / {c.per_unit:.1f}x",
            f"<= {GROWTH_TARGET}x",
            steady,
            "" if steady else why_growth,
        ),
    ]
    return rows, checks


def _measure_subject(s: Subject, sizes: Sizes, quick: bool, cases: Table, fits: Table):
    """Every measurement of one function; appends table rows, returns checks and a note."""
    grid = _grid(s, sizes)
    by_size = {
        (n, life): _case(s, sizes, n, life, grid[n, life])
        for n in sizes.vintages
        for life in sizes.lives
    }
    cases.rows.extend(case.row(["pure Python"]) for case in by_size.values())
    target = by_size[sizes.target]
    n, life = sizes.target
    arr = capex_series(n)
    lst = arr.tolist()
    parts = breakdown(
        lst,
        lambda: vector(lst, "capex", empty="zero"),
        lambda: s.core(arr, life),
        s.core(arr, life),
        s.to_excel,
        sizes.budget_s,
    )
    note = f"- {target.label}: " + ", ".join(f"{k} {fmt_ns(v)}" for k, v in parts.items())
    kept_raw = child.call("bench.waterfall", "grid_best", s.name, quick, env=KEEP_MEMORY)
    kept = {tuple(map(int, k.split(","))): v for k, v in kept_raw.items()}
    big = max(sizes.vintages)
    floor_growth = (by_size[big, life].floor.best / _work(big, life)) / (
        target.floor.best / _work(n, life)
    )
    rows, fit_checks = _linearity(s, sizes, grid, kept, (floor_growth, by_size[big, life].floor))
    fits.rows.extend(rows)
    return ratio_checks(target, parts), fit_checks, note


def run(quick: bool) -> Section:
    """Time both functions at every size; ratios, the adapter's breakdown and fits."""
    sizes = QUICK if quick else FULL
    n_mid = sizes.grid_vintages[len(sizes.grid_vintages) // 2]
    big = max(sizes.grid_vintages)
    cases = Table(case_header("function, vintages x life", ["pure Python"]), [], CAPTION)
    fits = Table(
        [
            "function",
            "path",
            "slope per (vintage + period)",
            "R^2 (vintages + periods)",
            "slope per (vintage x life)",
            "R^2 (vintages x life)",
            "L ratio measured",
            "predicted by v + p",
            "predicted by v x L",
            "growth per unit",
            "slope, memory kept",
            "R^2, memory kept",
            "growth, memory kept",
        ],
        [],
        f"Linearity over lives {', '.join(map(str, sizes.grid_lives))} x vintages "
        f"{', '.join(f'{n:,}' for n in sizes.grid_vintages)}: least-squares fits of the "
        "fastest time against vintages + output periods (2 x vintages + life) and against "
        f"vintages x life. *L ratio* = time at life {max(sizes.grid_lives)} / life "
        f"{min(sizes.grid_lives)} at {n_mid:,} vintages, measured and as each model "
        f"predicts. *Growth per unit* = time per vintage + period at {big:,} vintages over "
        f"that at {sizes.target[0]:,} (life {sizes.target[1]}); 1.0x is linear. *Memory "
        "kept*: the same grid in a child process whose allocator keeps freed memory "
        "(glibc's MALLOC_MMAP_THRESHOLD_ and MALLOC_TRIM_THRESHOLD_ raised).",
    )
    section = Section(
        2,
        "AIM_DEPR_WATERFALL and AIM_LIFE_CHANGE against a per-vintage loop and the floor",
        [cases, fits],
    )
    ratio, linear, notes = [], [], []
    for s in SUBJECTS.values():
        r, f, note = _measure_subject(s, sizes, quick, cases, fits)
        ratio += r
        linear += f
        notes.append(note)
    section.checks = ratio + linear
    section.notes += [
        "Adapter breakdown at the target size (fastest calls; *argument checks and conversion* is "
        "`vector()` in udfs/excel/_shapes.py):",
        "\n".join(notes),
        "Garbage collection is off while timing (as in timeit). Every fast result was "
        "checked against its loops before timing.",
    ]
    return section
