"""Timing and fitting helpers shared by every benchmark.

Times are wall-clock nanoseconds from :func:`time.perf_counter_ns`, one sample per call.
Each measurement warms up first, then repeats the call as often as its time budget
allows (within a minimum and a maximum count), so a slow case costs a few calls and a
fast one thousands. Per-call statistics (item 1) are medians and 95th percentiles;
comparisons between implementations (items 2 and 3) use each one's fastest call, as
:mod:`timeit` advises, so that another process's burst on the shared cores does not
land on one side of a ratio only.
"""

from __future__ import annotations

import gc
import resource
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Fit", "Timing", "fmt_ns", "fmt_ratio", "linear_fit", "measure"]


@dataclass(frozen=True)
class Timing:
    """The per-call samples of one measurement, in nanoseconds, and its page faults."""

    samples: np.ndarray
    faults: float
    """Minor page faults per call (memory the allocator had handed back to the OS)."""

    @property
    def best(self) -> float:
        """The fastest call: robust to bursts of other work on a shared machine."""
        return float(self.samples.min())

    @property
    def median(self) -> float:
        return float(np.median(self.samples))

    @property
    def p95(self) -> float:
        return float(np.percentile(self.samples, 95))


def measure(
    fn: Callable[[], Any],
    *,
    budget_s: float,
    min_repeat: int = 5,
    max_repeat: int = 10_000,
    warmup: int = 1,
    collect_garbage: bool = False,
) -> Timing:
    """Time ``fn()`` call by call.

    Parameters
    ----------
    fn : callable
        The call to time, with its arguments already bound.
    budget_s : float
        Time to spend on the timed calls; the repeat count is this over the time of one
        warm-up call, clipped to ``[min_repeat, max_repeat]``.
    warmup : int
        Untimed calls first (imports, caches, first-touch of memory).
    collect_garbage : bool
        Leave Python's cyclic garbage collector on while timing, as in Excel. Off by
        default, as :mod:`timeit` does, so that a collection triggered by one call's
        allocations is not charged to a later call at random.
    """
    start = time.perf_counter_ns()
    for _ in range(max(warmup, 1)):
        fn()
    one = max((time.perf_counter_ns() - start) / max(warmup, 1), 1.0)
    repeat = int(min(max(budget_s * 1e9 / one, min_repeat), max_repeat))
    samples = np.empty(repeat)
    clock = time.perf_counter_ns
    was_enabled = gc.isenabled()
    gc.collect()
    if not collect_garbage:
        gc.disable()
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    try:
        for i in range(repeat):
            t0 = clock()
            fn()
            samples[i] = clock() - t0
    finally:
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
        if was_enabled:
            gc.enable()
    return Timing(samples, faults / repeat)


@dataclass(frozen=True)
class Fit:
    """A least-squares line ``y = intercept + slope * x`` and its coefficient R^2."""

    intercept: float
    slope: float
    r2: float


def linear_fit(x: Sequence[float], y: Sequence[float]) -> Fit:
    """Fit ``y = a + b x`` by least squares.

    >>> f = linear_fit([1, 2, 3], [3, 5, 7])
    >>> round(f.intercept, 9), round(f.slope, 9), round(f.r2, 9)
    (1.0, 2.0, 1.0)
    """
    xs = np.asarray(x, dtype=float)
    ys = np.asarray(y, dtype=float)
    slope, intercept = np.polyfit(xs, ys, 1)
    residual = ys - (intercept + slope * xs)
    total = ((ys - ys.mean()) ** 2).sum()
    r2 = 1.0 - (residual**2).sum() / total if total else 1.0
    return Fit(float(intercept), float(slope), float(r2))


def fmt_ns(ns: float) -> str:
    """A duration with a readable unit.

    >>> fmt_ns(4200), fmt_ns(8_500_000), fmt_ns(2.5e9)
    ('4.2 µs', '8.50 ms', '2.50 s')
    """
    if ns < 1e6:
        return f"{ns / 1e3:.1f} µs"
    if ns < 1e9:
        return f"{ns / 1e6:.2f} ms"
    return f"{ns / 1e9:.2f} s"


def fmt_ratio(ratio: float) -> str:
    """A ratio as ``12x`` or ``1.4x``.

    >>> fmt_ratio(153.2), fmt_ratio(1.42)
    ('153x', '1.4x')
    """
    return f"{ratio:.0f}x" if ratio >= 10 else f"{ratio:.1f}x"
