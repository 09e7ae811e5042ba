"""Item 3: AIM_RPO_CONVERSION on long bookings series.

Timed at 1,000, 10,000 and 100,000 booking periods with the model's Microsoft curve
(40% within 12 months, a 5-year horizon, quarters: 20 periods) and a long monthly curve
(10% within 12 months, 100 years: 1,200 periods), against the plain per-booking loop
(each booking adds its recognition curve), a direct convolution of bookings with the
curve (``np.convolve``, work bookings x horizon) and the conversion floor (see
:mod:`bench.compare`). The fast path reads revenue off one running sum, so its time
should not depend on the horizon at all. Every result is checked against the loop
before it is timed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import udfs
from bench import references as ref
from bench.compare import CAPTION, Case, breakdown, case_header, check_same, ratio_checks
from bench.report import Check, Section, Table
from bench.timing import fmt_ns, fmt_ratio, linear_fit, measure
from udfs.core import rpo
from udfs.excel._shapes import to_rows, vector

__all__ = ["run"]

OPENING = 392.0  # Microsoft's commercial RPO at 2025-09, US$bn (表9)
HORIZON_TARGET = 1.5


@dataclass(frozen=True)
class Curve:
    label: str
    pct: float
    years: float
    ppy: int

    @property
    def periods(self) -> int:
        return round(self.years * self.ppy)


MSFT = Curve("Microsoft, 20 quarters", 0.4, 5.0, 4)
LONG = Curve("monthly, 1,200 months", 0.1, 100.0, 12)


@dataclass(frozen=True)
class Sizes:
    bookings: tuple[int, ...]
    target: int
    budget_s: float


FULL = Sizes((1_000, 10_000, 100_000), 10_000, 0.15)
QUICK = Sizes((200, 2_000), 2_000, 0.005)


def bookings_series(n: int) -> np.ndarray:
    """``n`` periods of bookings, US$bn, about one in twenty a net cancellation."""
    rng = np.random.default_rng(n)
    return rng.uniform(0.0, 60.0, n) * np.where(rng.random(n) < 0.05, -0.2, 1.0)


def _case(n: int, curve: Curve, budget: float) -> Case:
    arr = bookings_series(n)
    lst = arr.tolist()
    args = (curve.pct, curve.years, curve.ppy)
    out = np.column_stack(rpo.rpo_conversion(OPENING, arr, *args))

    def adapter():
        return udfs.AIM_RPO_CONVERSION(OPENING, lst, curve.pct, curve.years, float(curve.ppy))

    def loop_udf():
        return ref.rpo_conversion_loop_udf(OPENING, lst, *args)

    check_same("AIM_RPO_CONVERSION", adapter(), loop_udf())
    check_same("np.convolve", ref.rpo_conversion_convolve(OPENING, arr, *args), out)
    case = Case(
        f"{n:,} bookings, {curve.label}",
        adapter=measure(adapter, budget_s=budget),
        core=measure(lambda: rpo.rpo_conversion(OPENING, arr, *args), budget_s=budget),
        floor=measure(lambda: ref.floor(lst, out), budget_s=budget),
        loop_udf=measure(loop_udf, budget_s=budget),
        loop=measure(lambda: ref.rpo_conversion_loop(OPENING, arr, *args), budget_s=budget),
    )
    case.extra["convolve"] = measure(
        lambda: ref.rpo_conversion_convolve(OPENING, arr, *args), budget_s=budget
    )
    return case


def _breakdown_note(n: int, budget: float) -> tuple[dict[str, float], str]:
    arr = bookings_series(n)
    lst = arr.tolist()
    args = (MSFT.pct, MSFT.years, MSFT.ppy)
    parts = breakdown(
        lst,
        lambda: vector(lst, "bookings"),
        lambda: rpo.rpo_conversion(OPENING, arr, *args),
        np.column_stack(rpo.rpo_conversion(OPENING, arr, *args)),
        to_rows,
        budget,
    )
    note = (
        f"Adapter breakdown at {n:,} bookings (fastest calls; *argument checks and conversion* is "
        "`vector()` in udfs/excel/_shapes.py): "
        + ", ".join(f"{k} {fmt_ns(v)}" for k, v in parts.items())
    )
    return parts, note


def _horizon_check(cases: dict[tuple[int, str], Case], n: int) -> Check:
    short, long = cases[n, MSFT.label], cases[n, LONG.label]
    ratio = long.core.best / short.core.best
    conv = long.extra["convolve"].best / short.extra["convolve"].best
    met = ratio <= HORIZON_TARGET
    return Check(
        f"AIM_RPO_CONVERSION {n:,} bookings: arrays time, {LONG.periods}- vs "
        f"{MSFT.periods}-period horizon (no convolution)",
        f"{ratio:.2f}x (np.convolve: {conv:.1f}x)",
        f"<= {HORIZON_TARGET}x",
        met,
        "" if met else "The fast path should not depend on the horizon; profile it.",
    )


def _fit_table(cases: dict[tuple[int, str], Case], sizes: Sizes) -> Table:
    rows = []
    for curve in (MSFT, LONG):
        for path in ("adapter", "core"):
            ns = list(sizes.bookings)
            t = [getattr(cases[n, curve.label], path).best for n in ns]
            lin = linear_fit(ns, t)
            big = max(ns)
            growth = (t[-1] / big) / (t[ns.index(sizes.target)] / sizes.target)
            rows.append(
                [
                    curve.label,
                    "arrays" if path == "core" else "adapter",
                    f"{lin.slope:.1f} ns",
                    f"{lin.r2:.4f}",
                    f"{growth:.1f}x",
                    fmt_ratio(cases[big, curve.label].extra["convolve"].best / t[-1])
                    if path == "core"
                    else "-",
                ]
            )
    return Table(
        [
            "curve",
            "path",
            "slope per booking",
            "R^2 (bookings)",
            f"growth per booking, {max(sizes.bookings):,} vs {sizes.target:,}",
            f"np.convolve / arrays at {max(sizes.bookings):,}",
        ],
        rows,
        "Growth: least-squares fit of the fastest time against booking periods; *growth "
        "per booking* = time per booking at the most bookings over that at the target size "
        "(1.0x is linear).",
    )


def run(quick: bool) -> Section:
    """Time AIM_RPO_CONVERSION at every size and curve; ratios and growth."""
    sizes = QUICK if quick else FULL
    cases = {
        (n, curve.label): _case(n, curve, sizes.budget_s)
        for n in sizes.bookings
        for curve in (MSFT, LONG)
    }
    parts, note = _breakdown_note(sizes.target, sizes.budget_s)
    target = cases[sizes.target, MSFT.label]
    section = Section(
        3,
        "AIM_RPO_CONVERSION against a per-booking loop, a convolution and the floor",
        [
            Table(
                case_header("bookings, curve", ["convolve"]),
                [c.row(["convolve"]) for c in cases.values()],
                CAPTION + " *convolve* = `np.convolve(bookings, curve)` on arrays.",
            ),
            _fit_table(cases, sizes),
        ],
    )
    why_arrays = (
        f"The core takes {fmt_ns(target.core.best)} "
        f"({target.core.best / sizes.target:.1f} ns per booking): rpo_conversion in "
        "udfs/core/rpo.py makes two running sums (np.cumsum adds one value at a time) and "
        "about ten vectorized passes over shifted slices of one zero-padded running sum, "
        "with no gathers and no other full-length float array than that sum and its two "
        "results. The ratio then rests on the loop's speed on this machine "
        f"({fmt_ns(target.loop.best)})."
    )
    section.checks = [
        *ratio_checks(target, parts, f"AIM_RPO_CONVERSION {target.label}", why_arrays),
        _horizon_check(cases, sizes.target),
    ]
    section.notes = [
        note,
        "Garbage collection is off while timing (as in timeit). Every fast result was "
        "checked against the loop (and the convolution against the fast path) first.",
    ]
    return section
