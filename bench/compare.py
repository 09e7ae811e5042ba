"""A fast path against its plain loop and the conversion floor: timings, ratios, checks.

Shared by the schedule benchmarks (items 2 and 3). One :class:`Case` holds the timings
of one input size, compared by each one's fastest call:

- *adapter*: the AIM_ function as Excel calls it (lists in, rows out);
- *arrays*: its core function on numpy arrays;
- *floor*: converting Excel's list to an array and the result back to rows;
- *loop UDF*: the plain loop behind the same conversions;
- *loop*: the plain loop on arrays;

plus any further references (a pure-Python loop, a direct convolution).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bench.report import Check
from bench.timing import Timing, fmt_ns, fmt_ratio, measure

__all__ = [
    "ARRAY_TARGET",
    "CAPTION",
    "FLOOR_TARGET",
    "LOOP_TARGET",
    "Case",
    "breakdown",
    "case_header",
    "check_same",
    "ratio_checks",
]

LOOP_TARGET = 15.0
FLOOR_TARGET = 3.0
ARRAY_TARGET = 100.0


@dataclass
class Case:
    """The timings of one input size."""

    label: str
    adapter: Timing
    core: Timing
    floor: Timing
    loop_udf: Timing
    loop: Timing
    extra: dict[str, Timing] = field(default_factory=dict)

    def row(self, extra: list[str]) -> list[str]:
        """One row of :func:`case_header`; ``extra`` names the further references."""
        ext = [self.extra.get(name) for name in extra]
        return [
            self.label,
            fmt_ns(self.adapter.best),
            fmt_ns(self.core.best),
            fmt_ns(self.floor.best),
            fmt_ns(self.loop_udf.best),
            fmt_ns(self.loop.best),
            *(fmt_ns(t.best) if t else "-" for t in ext),
            fmt_ratio(self.loop_udf.best / self.adapter.best),
            fmt_ratio(self.loop_udf.best / self.floor.best),
            fmt_ratio(self.adapter.best / self.floor.best),
            fmt_ratio(self.loop.best / self.core.best),
            *(fmt_ratio(t.best / self.core.best) if t else "-" for t in ext),
            f"{self.adapter.faults:.0f} / {self.core.faults:.0f}",
        ]


def case_header(first: str, extra: list[str]) -> list[str]:
    """Column names for :meth:`Case.row`."""
    return [
        first,
        "adapter",
        "arrays",
        "floor",
        "loop UDF",
        "loop",
        *extra,
        "loop UDF/adapter",
        "ceiling (loop UDF/floor)",
        "adapter/floor",
        "loop/arrays",
        *(f"{name}/arrays" for name in extra),
        "page faults/call (adapter / arrays)",
    ]


CAPTION = (
    "Fastest call of each. *adapter* = the AIM_ function with Excel's shapes; *arrays* = its "
    "core function on numpy arrays; *floor* = `np.asarray(list)` + `result.tolist()`, "
    "the plain conversions in and out (vector() in udfs/excel/_shapes.py packs the list "
    "with struct, faster than np.asarray, so an adapter can come in at or under the floor); "
    "*loop UDF* = the plain loop behind those conversions; *loop* = that loop on arrays; "
    "*ceiling* = loop UDF/floor, the ratio of an adapter that cost only the floor."
)


def check_same(name: str, fast: Any, slow: Any) -> None:
    """Raise AssertionError unless two results agree to rounding."""
    a = np.asarray(fast, dtype=float)
    b = np.asarray(slow, dtype=float)
    scale = float(np.abs(b).sum()) or 1.0
    if a.shape != b.shape or not np.allclose(a, b, rtol=1e-9, atol=1e-12 * scale):
        raise AssertionError(f"{name}: the fast path disagrees with the plain reference")


def breakdown(
    values: list[float],
    convert: Callable[[], Any],
    core: Callable[[], Any],
    out: np.ndarray,
    to_excel: Callable[[np.ndarray], Any],
    budget_s: float,
) -> dict[str, float]:
    """Fastest time of each step of an adapter (``out`` is the core's result as an array,
    as the adapter hands it to ``to_excel``), beside the floor's two steps."""
    return {
        "argument checks and conversion": measure(convert, budget_s=budget_s).best,
        "np.asarray (floor in)": measure(
            lambda: np.asarray(values, dtype=float), budget_s=budget_s
        ).best,
        "core": measure(core, budget_s=budget_s).best,
        "result to rows": measure(lambda: to_excel(out), budget_s=budget_s).best,
        ".tolist() (floor out)": measure(
            lambda: out.reshape(out.shape[0], -1).tolist(), budget_s=budget_s
        ).best,
    }


def _why_loop(c: Case, parts: dict[str, float]) -> str:
    allowed = c.loop_udf.best / LOOP_TARGET
    rows = parts["result to rows"]
    return (
        f"15x needs the adapter under {fmt_ns(allowed)}; it takes {fmt_ns(c.adapter.best)}: "
        f"vector() {fmt_ns(parts['argument checks and conversion'])} (np.asarray alone "
        f"{fmt_ns(parts['np.asarray (floor in)'])}), the core {fmt_ns(parts['core'])}, the "
        f"result to rows {fmt_ns(rows)} ({rows / c.adapter.best:.0%} of the adapter; .tolist() "
        f"alone {fmt_ns(parts['.tolist() (floor out)'])}). The conversion floor alone costs "
        f"{fmt_ns(c.floor.best)} (ceiling {fmt_ratio(c.loop_udf.best / c.floor.best)})."
    )


def ratio_checks(
    c: Case, parts: dict[str, float], label: str | None = None, why_arrays: str = ""
) -> list[Check]:
    """The three targets of a schedule function at its target size.

    ``label`` names the case in the checks (by default its table label); ``why_arrays``
    explains a core that is not 100x faster than its loop.
    """
    label = label or c.label
    loop_ratio = c.loop_udf.best / c.adapter.best
    floor_ratio = c.adapter.best / c.floor.best
    array_ratio = c.loop.best / c.core.best
    ceiling = c.loop_udf.best / c.floor.best
    return [
        Check(
            f"{label}: loop UDF / adapter",
            fmt_ratio(loop_ratio),
            f">= {LOOP_TARGET:.0f}x (ceiling {fmt_ratio(ceiling)})",
            loop_ratio >= LOOP_TARGET,
            "" if loop_ratio >= LOOP_TARGET else _why_loop(c, parts),
        ),
        Check(
            f"{label}: adapter / conversion floor",
            fmt_ratio(floor_ratio),
            f"<= {FLOOR_TARGET:.0f}x",
            floor_ratio <= FLOOR_TARGET,
            "" if floor_ratio <= FLOOR_TARGET else "See the adapter breakdown below.",
        ),
        Check(
            f"{label}: loop / arrays",
            fmt_ratio(array_ratio),
            f">= {ARRAY_TARGET:.0f}x",
            array_ratio >= ARRAY_TARGET,
            "" if array_ratio >= ARRAY_TARGET else why_arrays,
        ),
    ]
