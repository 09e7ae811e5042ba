"""Item 4: building, refreshing and recalculating the workbook.

``aimodel build`` and ``aimodel refresh`` are timed as a user runs them: the ``aimodel``
command next to the running Python when it is installed (``make`` installs it), else
``python -m sheets.cli``, in a fresh process each time, on a temporary folder (never on
the repository's model.xlsm). The same work is also timed in-process through the Python
functions (``sheets.workbook.build.build``, ``sheets.workbook.refresh.refresh``), which leaves out
interpreter start-up and imports. The refresh rewrites a copy of a freshly built
workbook; a missing ``sheets.workbook.refresh`` or ``aimodel refresh`` is reported, not fatal.

The headless recalculation of a copy of model.xlsm (``sheets.evaluate.headless.recalculate``)
runs in a child process, with every AIM_ function wrapped to add up the calls and the
time spent inside them.
"""

from __future__ import annotations

import functools
import importlib
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.formula import ArrayFormula

from bench import child
from bench.report import Check, Section, Table
from bench.timing import fmt_ns
from sheets.workbook.build import build

__all__ = ["count_formulas", "recalc_profile", "run"]

TARGET_S = 3.0
DATA = child.ROOT / "data"
MODEL = child.ROOT / "model.xlsm"


def _aimodel() -> list[str]:
    script = Path(sys.executable).with_name("aimodel")
    return [str(script)] if script.exists() else [sys.executable, "-m", "sheets.cli"]


def _wall(command: list[str], repeat: int) -> tuple[list[float], str]:
    """Wall times (s) of ``command`` in a fresh process; ``""`` or the error's last line."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(command, cwd=child.ROOT, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            lines = (proc.stderr or proc.stdout).strip().splitlines() or ["no output"]
            return times, f"exit {proc.returncode}: {lines[-1]}"
    return times, ""


def _in_process(fn: Callable[[], Any], repeat: int) -> list[float]:
    fn()  # warm: imports, template and data files in the page cache
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def count_formulas(path: Path) -> dict[str, int]:
    """Formula cells of a workbook: single formulas, array formulas and their cells."""
    wb = load_workbook(path)
    single = arrays = array_cells = aim = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, ArrayFormula):
                    arrays += 1
                    min_col, min_row, max_col, max_row = range_boundaries(value.ref)
                    array_cells += (max_col - min_col + 1) * (max_row - min_row + 1)
                    aim += "AIM_" in (value.text or "")
                elif isinstance(value, str) and value.startswith("="):
                    single += 1
                    aim += "AIM_" in value
    return {
        "single": single,
        "arrays": arrays,
        "array_cells": array_cells,
        "cells": single + array_cells,
        "aim_formulas": aim,
    }


def recalc_profile(path: str) -> dict[str, float]:
    """Recalculate ``path`` headlessly; time it and the AIM_ calls inside it.

    Meant for a child process: it wraps the registered AIM_ functions in place.
    """
    import udfs  # noqa: F401  (registers every AIM_ function)
    from sheets.evaluate import headless
    from udfs.excel._worksheet import REGISTRY

    spent = {"calls": 0, "ns": 0}

    def timed(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def call(*args: Any) -> Any:
            start = time.perf_counter_ns()
            try:
                return fn(*args)
            finally:
                spent["calls"] += 1
                spent["ns"] += time.perf_counter_ns() - start

        return call

    for name, fn in list(REGISTRY.items()):
        REGISTRY[name] = timed(fn)
    start = time.perf_counter_ns()
    values = headless.recalculate(path)
    return {
        "seconds": (time.perf_counter_ns() - start) / 1e9,
        "cells": len(values),
        "udf_calls": spent["calls"],
        "udf_seconds": spent["ns"] / 1e9,
    }


def _timing_rows(tmp: Path, repeat: int) -> tuple[list[list[str]], list[Check]]:
    built = tmp / "built.xlsm"
    copy = tmp / "refreshed.xlsm"
    cli = _aimodel()
    how = "aimodel" if len(cli) == 1 else "python -m sheets.cli"
    rows, checks = [], []
    build_wall, error = _wall([*cli, "build", "--data", str(DATA), "--out", str(built)], repeat)
    if error:
        raise RuntimeError(f"aimodel build failed: {error}")
    build_call = _in_process(lambda: build(DATA, built), repeat)
    rows.append(_row("build", f"{how} build", build_wall, build_call))
    checks.append(_wall_check("aimodel build", build_wall))
    shutil.copyfile(built, copy)
    try:
        refresh = importlib.import_module("sheets.workbook.refresh").refresh
    except ImportError:
        rows.append(["refresh", "not available yet (no sheets.workbook.refresh)", "-", "-", "-"])
        checks.append(Check("aimodel refresh", "not available yet", f"< {TARGET_S:.0f} s"))
        return rows, checks
    refresh_wall, error = _wall([*cli, "refresh", str(copy), "--data", str(DATA)], repeat)
    if error:
        rows.append(["refresh", f"{how} refresh: {error}", "-", "-", "-"])
        checks.append(Check("aimodel refresh", "not available yet", f"< {TARGET_S:.0f} s"))
        return rows, checks
    refresh_call = _in_process(lambda: refresh(copy, DATA), repeat)
    rows.append(_row("refresh", f"{how} refresh", refresh_wall, refresh_call))
    checks.append(_wall_check("aimodel refresh", refresh_wall))
    return rows, checks


def _row(what: str, how: str, wall: list[float], call: list[float]) -> list[str]:
    runs = ", ".join(f"{t:.2f}" for t in wall)
    return [what, how, f"{_median(wall):.2f} s ({runs})", f"{_median(call):.2f} s", "-"]


def _wall_check(what: str, wall: list[float]) -> Check:
    t = _median(wall)
    met = t < TARGET_S
    why = "" if met else "Profile the in-process call: start-up and imports are the difference."
    return Check(f"{what}, wall time", f"{t:.2f} s", f"< {TARGET_S:.0f} s", met, why)


def run(quick: bool) -> Section:
    """Time build, refresh and the headless recalculation; count formula cells."""
    repeat = 1 if quick else 3
    with tempfile.TemporaryDirectory(prefix="aim-bench-") as name:
        tmp = Path(name)
        model = tmp / "model.xlsm"
        shutil.copyfile(MODEL, model)
        counts = count_formulas(model)
        if quick:  # the smoke test: nothing timed (the tests build and refresh elsewhere)
            rows = [
                [step, "not run (--quick)", "-", "-", "-"]
                for step in ("build", "refresh", "headless recalculation")
            ]
            checks = [Check(f"aimodel {s}", "not run (--quick)") for s in ("build", "refresh")]
            checks.append(Check("headless recalculation of model.xlsm", "not run (--quick)"))
            return Section(
                4,
                "The workbook: build, refresh and headless recalculation",
                [Table(["step", "how", "wall time", "in-process call", "AIM_"], rows)],
                checks,
            )
        rows, checks = _timing_rows(tmp, repeat)
        recalc = [child.call("bench.workbook", "recalc_profile", str(model)) for _ in range(repeat)]
    seconds = [r["seconds"] for r in recalc]
    profile = recalc[0]
    share = profile["udf_seconds"] / profile["seconds"]
    rows.append(
        [
            "headless recalculation",
            "sheets.evaluate.headless.recalculate(model.xlsm) in a child process, "
            "after its imports",
            f"{_median(seconds):.2f} s ({', '.join(f'{t:.2f}' for t in seconds)})",
            "-",
            f"{profile['udf_calls']} calls, {fmt_ns(profile['udf_seconds'] * 1e9)} "
            f"({share:.2%} of it)",
        ]
    )
    checks.append(
        Check(
            "headless recalculation of model.xlsm",
            f"{_median(seconds):.2f} s for {counts['cells']:,} formula cells",
        )
    )
    checks.append(Check("time inside AIM_ functions during it", f"{share:.2%}"))
    return Section(
        4,
        "The workbook: build, refresh and headless recalculation",
        [
            Table(
                ["step", "how", "wall time", "in-process call", "time inside AIM_ functions"],
                rows,
                "Wall time: median of the runs in brackets; for build and refresh a fresh "
                "process each, as a user runs the command. In-process: the Python function "
                "called again in the bench's process (no start-up or imports).",
            ),
            Table(
                [
                    "formula cells",
                    "single formulas",
                    "array formulas",
                    "cells they cover",
                    "formulas calling AIM_",
                    "cells in the engine's solution",
                ],
                [
                    [
                        f"{counts['cells']:,}",
                        f"{counts['single']:,}",
                        f"{counts['arrays']:,}",
                        f"{counts['array_cells']:,}",
                        f"{counts['aim_formulas']:,}",
                        f"{profile['cells']:,}",
                    ]
                ],
                "model.xlsm as committed, counted with openpyxl (an array formula counts "
                "every cell of its range).",
            ),
        ],
        checks,
    )
