"""Item 7: the filings layer's speed, and the whole model's on its longer timeline.

Three measurements, each against the issue's target:

1. Parsing Alphabet's full company-facts file as SEC serves it
   (tests/fixtures/sec/asserved/CIK0001652044.json, 3.4 MB):
   ``sheets.sources.sec.companyfacts.parse_companyfacts`` then every metric derived from it
   (``sheets.sources.sec.series.company_rows``), in-process, garbage collector on, best and median
   of the runs; target under 1 s. ``json.loads`` alone is timed too, as the floor.
2. ``aimodel fetch --from tests/fixtures/sec/companyfacts`` for every fixture company
   followed by ``aimodel refresh`` of a freshly built workbook, as a user runs them: the
   ``aimodel`` command next to the running Python (else ``python -m sheets.cli``), a fresh
   process each, on temporary copies of data/ and of the workbook (never the
   repository's); target under 10 s for the two together. The same two calls are also
   timed in-process, which leaves out interpreter start-up and imports.
3. The headless recalculation (``sheets.evaluate.headless.recalculate``) of that freshly built
   workbook, with its filings sheets and the timeline from 2015 to the forecast years, in
   a child process; target under 15 s, and its ratio to the figure recorded before the
   filings layer (:data:`REFERENCE`). The engine's phases (reading the workbook, compiling
   it, calculating) are timed separately. With ``--quick`` it is not run: it takes longer
   than the whole smoke test should.
"""

from __future__ import annotations

import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import child
from bench.report import Check, Section, Table
from bench.timing import Timing, fmt_ns, fmt_ratio, measure
from bench.workbook import _aimodel, _median, _wall, count_formulas
from sheets.sources.sec.companies import company_for
from sheets.sources.sec.companyfacts import parse_companyfacts
from sheets.sources.sec.series import company_rows
from sheets.workbook.build import build

__all__ = ["REFERENCE", "recalc_phases", "run"]

ASSERVED = child.ROOT / "tests" / "fixtures" / "sec" / "asserved" / "CIK0001652044.json"
FIXTURES = child.ROOT / "tests" / "fixtures" / "sec" / "companyfacts"
TICKERS = "MSFT,AMZN,GOOGL,META,CRWV,NBIS"  # the companies with a fixture file
DATA = child.ROOT / "data"

RECALC_REPEAT = 2  # a run takes about as long as the rest of the section
PARSE_TARGET_S = 1.0
UPDATE_TARGET_S = 10.0
RECALC_TARGET_S = 15.0

REFERENCE = {
    "seconds": 4.62,
    "cells": 3379,
    "source": "bench/RESULTS.md as committed in 99dcf57, section 4 (model.xlsm before the "
    "filings layer: 3,379 formula cells)",
}
"""The headless recalculation before the filings sheets and the longer timeline."""


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s"


def _runs(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


# 1. Parsing ----------------------------------------------------------------------------


def _parse_rows(quick: bool) -> tuple[list[list[str]], Check, dict[str, Any]]:
    raw = ASSERVED.read_bytes()
    company = company_for("GOOGL")
    source = str(ASSERVED.relative_to(child.ROOT))
    facts = parse_companyfacts(raw, company, source)
    rows = company_rows(facts)
    budget = {"budget_s": 0.5 if quick else 5.0, "min_repeat": 1 if quick else 5}
    steps = [
        ("json.loads (the floor)", lambda: json.loads(raw.decode("utf-8"))),
        ("parse_companyfacts", lambda: parse_companyfacts(raw, company, source)),
        ("company_rows (every metric derived)", lambda: company_rows(facts)),
        (
            "parse_companyfacts + company_rows",
            lambda: company_rows(parse_companyfacts(raw, company, source)),
        ),
    ]
    out, whole = [], None
    for name, fn in steps:
        timing: Timing = measure(fn, collect_garbage=True, max_repeat=50, **budget)
        whole = timing
        out.append([name, fmt_ns(timing.best), fmt_ns(timing.median), str(timing.samples.size)])
    assert whole is not None
    median = whole.median / 1e9
    met = median < PARSE_TARGET_S
    check = Check(
        "parse the full companyfacts JSON (3.4 MB) and derive every metric, median",
        f"{fmt_ns(whole.median)} (best {fmt_ns(whole.best)})",
        f"< {PARSE_TARGET_S:.0f} s",
        met,
        ""
        if met
        else "See which of the two steps dominates in the table; json.loads is "
        "the floor that no change to aim's code goes under.",
    )
    tags = sum(len(v) for v in facts.document["facts"].values())
    info = {"bytes": len(raw), "tags": tags, "rows": len(rows)}
    return out, check, info


# 2. Fetch and refresh ------------------------------------------------------------------


def _update_rows(
    data: Path, model: Path, repeat: int, quick: bool
) -> tuple[list[list[str]], Check]:
    cli = _aimodel()
    how = "aimodel" if len(cli) == 1 else "python -m sheets.cli"
    fetch_cmd = [*cli, "fetch", "--from", str(FIXTURES), "--tickers", TICKERS]
    fetch_cmd += ["--data", str(data)]
    refresh_cmd = [*cli, "refresh", str(model), "--data", str(data)]
    fetches, refreshes = [], []
    for _ in range(repeat):
        wall, error = _wall(fetch_cmd, 1)
        if error:
            raise RuntimeError(f"aimodel fetch failed: {error}")
        fetches += wall
        wall, error = _wall(refresh_cmd, 1)
        if error:
            raise RuntimeError(f"aimodel refresh failed: {error}")
        refreshes += wall
    totals = [f + r for f, r in zip(fetches, refreshes, strict=True)]
    call_fetch = call_refresh = None
    if not quick:
        from sheets.sources.sec.fetch import fetch
        from sheets.workbook.refresh import refresh

        call_fetch, call_refresh = [], []
        for _ in range(repeat):
            start = time.perf_counter()
            fetch(TICKERS, data, source_dir=FIXTURES)
            call_fetch.append(time.perf_counter() - start)
            start = time.perf_counter()
            refresh(model, data)
            call_refresh.append(time.perf_counter() - start)

    def call(values: list[float] | None) -> str:
        return _s(_median(values)) if values else "-"

    rows = [
        [
            f"{how} fetch --from <fixtures> --tickers {TICKERS}",
            f"{_s(_median(fetches))} ({_runs(fetches)})",
            call(call_fetch),
        ],
        [
            f"{how} refresh <fresh workbook>",
            f"{_s(_median(refreshes))} ({_runs(refreshes)})",
            call(call_refresh),
        ],
        [
            "both, one after the other",
            f"{_s(_median(totals))} ({_runs(totals)})",
            call([a + b for a, b in zip(call_fetch, call_refresh, strict=True)])
            if call_fetch and call_refresh
            else "-",
        ],
    ]
    total = _median(totals)
    met = total < UPDATE_TARGET_S
    why = ""
    if not met:
        share = _median(refreshes) / total
        why = (
            f"The refresh is {share:.0%} of it: it loads and saves the whole workbook with "
            "openpyxl to rewrite its data sheets; the in-process column shows what "
            "start-up and imports add."
        )
    check = Check(
        "aimodel fetch --from (6 fixture companies) + aimodel refresh, wall time",
        _s(total),
        f"< {UPDATE_TARGET_S:.0f} s",
        met,
        why,
    )
    return rows, check


# 3. Headless recalculation -------------------------------------------------------------


def recalc_phases(path: str) -> dict[str, float]:
    """Recalculate ``path`` headlessly; the wall and CPU seconds, and the CPU seconds of
    each phase as sheets.evaluate.headless names them (loading+compiling, finish,
    calculate). Meant for a child process."""
    import udfs  # noqa: F401  (registers every AIM_ function)
    from sheets.evaluate import headless

    headless.register_udfs()  # not timed: imports and registration
    cpu, start = time.process_time(), time.perf_counter()
    loaded = headless.load(path)
    values = headless.calculate(loaded)
    return {
        "seconds": time.perf_counter() - start,
        "cpu_seconds": time.process_time() - cpu,
        "cells": len(values),
        **loaded.seconds,
    }


def _recalc(model: Path, repeat: int) -> tuple[list[list[str]], list[Check], list[str]]:
    counts = count_formulas(model)
    runs = [child.call("bench.filings", "recalc_phases", str(model)) for _ in range(repeat)]
    seconds = [r["seconds"] for r in runs]
    median = statistics.median(seconds)
    fastest = min(runs, key=lambda r: r["seconds"])
    ref_s, ref_cells = REFERENCE["seconds"], REFERENCE["cells"]
    per_cell, ref_per_cell = median / counts["cells"], ref_s / ref_cells
    rows = [
        [
            "before the filings layer",
            f"{ref_cells:,}",
            _s(ref_s),
            "-",
            f"{ref_per_cell * 1e3:.2f} ms",
            "-",
        ],
        [
            "now, freshly built",
            f"{counts['cells']:,} ({counts['single']:,} single, {counts['array_cells']:,} "
            f"in {counts['arrays']:,} arrays)",
            f"{_s(median)} ({_runs(seconds)})",
            _s(statistics.median(r["cpu_seconds"] for r in runs)),
            f"{per_cell * 1e3:.2f} ms",
            f"loading+compiling {_s(fastest['loading+compiling'])}, finish "
            f"{_s(fastest['finish'])}, calculate {_s(fastest['calculate'])} (CPU)",
        ],
    ]
    met = median < RECALC_TARGET_S
    phases = {k: fastest[k] for k in ("loading+compiling", "finish", "calculate")}
    slowest = max(phases, key=phases.__getitem__)
    names = {
        "loading+compiling": "loading and compiling the cells",
        "finish": "finishing the graph",
        "calculate": "calculating",
    }
    why = (
        ""
        if met
        else f"{names[slowest].capitalize()} is the largest phase ({_s(phases[slowest])} of "
        f"{_s(fastest['seconds'])}); the time grows with the formula cells "
        f"({counts['cells'] / ref_cells:.1f}x) and more than them ({per_cell / ref_per_cell:.1f}x "
        "per cell), and the CPU time alone is "
        f"{_s(statistics.median(r['cpu_seconds'] for r in runs))}. Meeting it takes about "
        f"{median / RECALC_TARGET_S:.0f}x less: far fewer formula cells (whole series as one "
        "array formula rather than a formula per quarter) or a faster way to read them in."
    )
    checks = [
        Check(
            "headless recalculation of a freshly built model, longer timeline",
            f"{_s(median)} for {counts['cells']:,} formula cells",
            f"< {RECALC_TARGET_S:.0f} s",
            met,
            why,
        ),
        Check(
            "headless recalculation, now / before the filings layer: time, formula cells, per cell",
            f"{fmt_ratio(median / ref_s)} / {fmt_ratio(counts['cells'] / ref_cells)} / "
            f"{fmt_ratio(per_cell / ref_per_cell)}",
        ),
    ]
    notes = [
        f"*Before the filings layer*: {REFERENCE['source']}, the median of three runs of "
        "the same recalculation (bench/workbook.py) on a machine like this one.",
    ]
    return rows, checks, notes


# The section ---------------------------------------------------------------------------


def run(quick: bool) -> Section:
    """Time the companyfacts parse, fetch + refresh, and the whole-model recalculation."""
    repeat = 1 if quick else 3
    parse_rows, parse_check, info = _parse_rows(quick)
    with tempfile.TemporaryDirectory(prefix="aim-bench-filings-") as name:
        tmp = Path(name)
        data = tmp / "data"
        shutil.copytree(DATA, data)
        from sheets.model.timeline import Timeline
        from sheets.sources.loader import load_data

        timeline = Timeline.from_data(load_data(data))
        if quick:  # the smoke test: no build, fetch or refresh (the tests run those)
            update_rows = [["fetch and refresh", "not run (--quick)", "-"]]
            update_check = Check("aimodel fetch --from + aimodel refresh", "not run (--quick)")
        else:
            model = tmp / "model.xlsm"
            build(data, model)
            recalc_copy = tmp / "recalc.xlsm"
            shutil.copyfile(model, recalc_copy)
            update_rows, update_check = _update_rows(data, model, repeat, quick)
        if quick:
            recalc_rows, recalc_checks = (
                [],
                [Check("headless recalculation of a freshly built model", "not run (--quick)")],
            )
            notes = []
        else:
            recalc_rows, recalc_checks, notes = _recalc(recalc_copy, RECALC_REPEAT)
    quarters = f"{len(timeline)} quarters, {timeline.quarters[0]} to {timeline.quarters[-1]}"
    tables = [
        Table(
            ["step", "best", "median", "runs"],
            parse_rows,
            f"Parsing {ASSERVED.relative_to(child.ROOT)} (Alphabet as SEC serves it: "
            f"{info['bytes'] / 1e6:.1f} MB, {info['tags']:,} tags) into "
            f"{info['rows']:,} rows of sec_filings.csv, in-process with the garbage "
            "collector on; every step timed on the same bytes.",
        ),
        Table(
            ["command", "wall time", "in-process call"],
            update_rows,
            "Wall time: median of the runs in brackets, a fresh process each, on temporary "
            "copies of data/ and of a workbook built from it just before; the fixtures "
            "match data/sec_filings.csv, so the fetch parses, derives and compares every "
            "company and writes nothing, as a quarterly re-run without new filings does. "
            "In-process: the Python functions (sheets.sources.sec.fetch.fetch, "
            "sheets.workbook.refresh.refresh) called in the bench's process.",
        ),
    ]
    if recalc_rows:
        tables.append(
            Table(
                [
                    "workbook",
                    "formula cells",
                    "recalculation (wall)",
                    "CPU time",
                    "per formula cell",
                    "phases (fastest run)",
                ],
                recalc_rows,
                "sheets.evaluate.headless.recalculate in a child process, after its imports; the "
                "median (mean of two) of the runs in brackets. The timeline now runs "
                f"{quarters}. Formula cells counted with openpyxl (an array formula counts "
                "every cell of its range). "
                "*CPU time*: the child's own, which a busy machine does not inflate.",
            )
        )
    return Section(
        7,
        "Filings: parsing company facts, fetch and refresh, the model's recalculation",
        tables,
        [parse_check, update_check, *recalc_checks],
        notes,
    )
