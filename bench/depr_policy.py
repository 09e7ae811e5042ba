"""Item 6: AIM_DEPR_POLICY beside AIM_DEPR_WATERFALL on long capex series.

10,000 quarters of capex (2,000 with ``--quick``) depreciated under a life policy with
no change (life 72 throughout: the call is handed to the waterfall), one change (48 ->
72 quarters, the model's 4 -> 6 years, at the middle vintage) and ten changes (eleven
equal stretches of lives between 48 and 96 quarters), each against the waterfall on
life 72 and against a plain per-vintage loop that applies the ASC 250 prospective rule
at every change one vintage at a time. Every fast result is checked against that loop
before it is timed; the ``full`` convention throughout.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import udfs
from bench.compare import check_same
from bench.report import Check, Section, Table
from bench.timing import Timing, fmt_ns, fmt_ratio, measure
from udfs.core import depr_policy, waterfall

__all__ = ["policy_loop", "run"]

LIFE = 72
STEPS = (48, 72, 60, 96, 72, 48, 84, 72, 96, 60, 72)  # 11 stretches: 10 changes
SAME_TARGET = 1.5  # no change: as fast as the waterfall, validation of lives aside


def policy_loop(capex: np.ndarray, lives: np.ndarray) -> np.ndarray:
    """The prospective rule, one vintage at a time over its own span (``full``).

    A vintage spent in period s charges capex / lives[s] from s; at each later change c
    within its span its book value left is spread over lives[c] - (c - s) periods, or
    charged whole in c if that is <= 0.
    """
    capex = np.abs(capex)
    life = lives.astype(int)
    n, longest = capex.size, int(life.max())
    out = np.zeros(n + longest)
    changes = (np.flatnonzero(life[1:] != life[:-1]) + 1).tolist()
    for s, amount in enumerate(capex.tolist()):
        span = np.zeros(longest + 1)  # periods s .. s + longest
        span[: life[s]] = amount / life[s]
        for c in changes:
            age = c - s
            if age <= 0:
                continue
            if age > longest:  # changes are sorted; later ones are past the span
                break
            left = amount - span[:age].sum()
            remaining = life[c] - age
            span[age:] = 0.0
            if remaining <= 0:
                span[age] = left
            else:
                span[age : age + remaining] = left / remaining
        stop = min(s + longest + 1, out.size)
        out[s:stop] += span[: stop - s]
    return out


def policies(n: int) -> dict[str, np.ndarray]:
    """Lives per period for 0, 1 and 10 changes."""
    one = np.where(np.arange(n) < n // 2, 48.0, 72.0)
    ten = np.repeat(np.array(STEPS, dtype=float), -(-n // len(STEPS)))[:n]
    return {"no change": np.full(n, float(LIFE)), "1 change": one, "10 changes": ten}


def _best(fn: Callable[[], Any], budget: float) -> Timing:
    return measure(fn, budget_s=budget)


def run(quick: bool) -> Section:
    """Time the policy against the waterfall and the per-vintage loop; the ratios."""
    n = 2_000 if quick else 10_000
    budget = 0.005 if quick else 0.2
    capex = np.random.default_rng(n).uniform(50.0, 500.0, n)
    lst = capex.tolist()
    wf_core = _best(lambda: waterfall.depr_waterfall(capex, LIFE), budget)
    wf_adapter = _best(lambda: udfs.AIM_DEPR_WATERFALL(lst, float(LIFE)), budget)
    table = Table(
        [
            "lives",
            "arrays",
            "adapter",
            "loop",
            "arrays / waterfall arrays",
            "adapter / waterfall adapter",
            "loop / arrays",
        ],
        [["waterfall, life 72", fmt_ns(wf_core.best), fmt_ns(wf_adapter.best), "", "", "", ""]],
        f"{n:,} vintages, fastest call of each. *arrays* = udfs.core.depr_policy on numpy "
        "arrays; *adapter* = AIM_DEPR_POLICY with Excel's shapes (lists in, rows out); "
        "*loop* = the per-vintage loop (bench/depr_policy.py) on arrays; the waterfall is "
        f"AIM_DEPR_WATERFALL on life {LIFE}.",
    )
    section = Section(6, "AIM_DEPR_POLICY beside AIM_DEPR_WATERFALL", [table])
    for label, lives in policies(n).items():
        check_same(
            "AIM_DEPR_POLICY", depr_policy.depr_policy(capex, lives), policy_loop(capex, lives)
        )
        lives_lst = lives.tolist()
        core = _best(lambda lives=lives: depr_policy.depr_policy(capex, lives), budget)
        adapter = _best(lambda ll=lives_lst: udfs.AIM_DEPR_POLICY(lst, ll), budget)
        loop = _best(lambda lives=lives: policy_loop(capex, lives), budget)
        core_ratio = core.best / wf_core.best
        table.rows.append(
            [
                label,
                fmt_ns(core.best),
                fmt_ns(adapter.best),
                fmt_ns(loop.best),
                fmt_ratio(core_ratio),
                fmt_ratio(adapter.best / wf_adapter.best),
                fmt_ratio(loop.best / core.best),
            ]
        )
        if label == "no change":
            met = core_ratio <= SAME_TARGET
            why = "" if met else "depr_policy should hand a constant life to depr_waterfall."
            section.checks.append(
                Check(
                    f"AIM_DEPR_POLICY {n:,}, no change: arrays / waterfall arrays",
                    fmt_ratio(core_ratio),
                    f"<= {SAME_TARGET}x",
                    met,
                    why,
                )
            )
        else:
            section.checks.append(
                Check(
                    f"AIM_DEPR_POLICY {n:,}, {label}: arrays / waterfall arrays",
                    fmt_ratio(core_ratio),
                )
            )
            section.checks.append(
                Check(
                    f"AIM_DEPR_POLICY {n:,}, {label}: loop / arrays",
                    fmt_ratio(loop.best / core.best),
                )
            )
    section.notes.append(
        "Each change costs one running sum over its stretch of capex and one vectorised "
        "pass over the vintages still carrying book value (at most the life before the "
        "change + 1), so ten changes cost about ten waterfalls of a tenth of the series "
        "plus ten passes of about 100 vintages. Garbage collection is off while timing."
    )
    return section
