"""Item 5: peak memory of the largest cases, each in a fresh child process.

The child builds the input and calls the function once untraced: the growth of the
resident set's high-water mark over that call (``VmHWM``, reset first through
``/proc/self/clear_refs``) is the call's. It then calls it again under
:mod:`tracemalloc` (numpy reports its buffers to it), whose peak is the most memory the
call held at once. The result's own size is what is still allocated when the call
returns; the peak over it is what the computation costs on top of its answer.
"""

from __future__ import annotations

import gc
import sys
import tracemalloc
from pathlib import Path

from bench import child
from bench.report import Check, Section, Table

__all__ = ["peak", "run"]

MIB = 2**20


def _status_mib(field: str) -> float:
    """``VmRSS`` or ``VmHWM`` of this process from /proc/self/status."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024 / MIB  # kB
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_high_water() -> None:
    """Lower VmHWM to the current resident set (Linux 4.0 and later)."""
    Path("/proc/self/clear_refs").write_text("5")


def peak(name: str, n: int, life: int, path: str) -> dict[str, float]:
    """Memory of one call of ``name`` (a bench.waterfall subject) on ``path``
    ("adapter": Excel's list in, rows out; "arrays": the core function)."""
    from bench.waterfall import SUBJECTS, capex_series

    s = SUBJECTS[name]
    arr = capex_series(n)
    lst = arr.tolist()
    call = (lambda: s.adapter(lst, life)) if path == "adapter" else (lambda: s.core(arr, life))
    s.adapter(lst[:10], life)  # imports and first-call set-up, off the books
    gc.collect()
    _reset_high_water()
    rss_before = _status_mib("VmRSS")
    result = call()
    rss_growth = _status_mib("VmHWM") - rss_before
    del result
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    result = call()
    held, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    input_mib = (sys.getsizeof(lst) + sum(map(sys.getsizeof, lst))) / MIB
    return {
        "rows": len(result),
        "input": input_mib if path == "adapter" else arr.nbytes / MIB,
        "result": (held - base) / MIB,
        "peak": (top - base) / MIB,
        "rss_growth": rss_growth,
        "rss": _status_mib("VmHWM"),
    }


def run(quick: bool) -> Section:
    """Peak memory of both schedule functions at their largest size."""
    n, life = (2_000, 12) if quick else (100_000, 72)
    table = Table(
        [
            "case",
            "input",
            "result",
            "peak during the call",
            "peak / result",
            "high-water growth",
            "process high-water (VmHWM)",
            "vintages x life matrix",
        ],
        [],
        "MiB. *input*: the Excel list (or the array); *result*: the returned rows (or "
        "array); *peak*: tracemalloc's peak over the call; *high-water growth*: the "
        "call's growth of the resident set's high-water mark (VmHWM) in a fresh process; "
        "*vintages x life matrix*: what a dense float64 matrix of charges would take, "
        "for scale.",
    )
    checks = []
    for name in ("AIM_LIFE_CHANGE", "AIM_DEPR_WATERFALL"):
        for path in ("adapter", "arrays"):
            m = child.call("bench.memory", "peak", name, n, life, path)
            table.rows.append(
                [
                    f"{name} {n:,} x {life}, {path}",
                    f"{m['input']:.1f}",
                    f"{m['result']:.1f}",
                    f"{m['peak']:.1f}",
                    f"{m['peak'] / m['result']:.1f}x",
                    f"{m['rss_growth']:.1f}",
                    f"{m['rss']:.1f}",
                    f"{n * life * 8 / MIB:.1f}",
                ]
            )
            if (name, path) == ("AIM_LIFE_CHANGE", "adapter"):
                checks.append(
                    Check(
                        f"peak memory, {name} {n:,} x {life} through the adapter (largest)",
                        f"{m['peak']:.1f} MiB ({m['peak'] / m['result']:.1f}x its result)",
                    )
                )
    return Section(5, "Peak memory of the largest case", [table], checks)
