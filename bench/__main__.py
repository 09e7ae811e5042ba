"""``python -m bench [--quick] [--out PATH]``: run every benchmark, print one table, write
the results.

``--quick`` runs tiny sizes once, to check that the bench itself works (seconds, not
minutes); it writes no results file unless ``--out`` is given, so a smoke test never
overwrites bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench import depr_policy, filings, memory, per_call, recalc, rpo, waterfall, workbook
from bench.machine import describe
from bench.report import CHECK_HEADER, check_rows, markdown, text_table

RESULTS = Path(__file__).with_name("RESULTS.md")
ITEMS = (per_call, waterfall, rpo, workbook, memory, depr_policy, filings, recalc)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke test")
    parser.add_argument("--out", type=Path, help=f"results file (default {RESULTS})")
    args = parser.parse_args(argv)
    out = args.out or (None if args.quick else RESULTS)

    start = time.perf_counter()
    machine = describe()
    sections = []
    for module in ITEMS:
        print(f"bench: {module.__name__} ...", file=sys.stderr, flush=True)
        sections.append(module.run(args.quick))
    wall = time.perf_counter() - start

    print(f"Machine: {machine}")
    print(text_table(CHECK_HEADER, check_rows(sections)))
    print(f"Wall time: {wall:.0f} s" + (" (--quick)" if args.quick else ""))
    if out is not None:
        command = "python -m bench" + (" --quick" if args.quick else "")
        out.write_text(markdown(sections, machine, command, wall), encoding="utf-8")
        print(f"Wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
