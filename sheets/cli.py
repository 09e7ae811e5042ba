"""The ``aimodel`` command: build and refresh model.xlsm, check data/.

Exit status 0 on success, 2 when the data or the workbook is unusable (one line on
standard error names the file, line and column), 1 for anything unexpected.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from importlib.util import find_spec
from pathlib import Path

from udfs.errors import AimError

__all__ = ["MODEL_EXTRA", "entry", "main"]

MODEL_EXTRA = ("openpyxl", "pandas", "formulas")
"""What `pip install aim-model[model]` adds (pyproject's [model] extra), as module names.
`pip install .` alone gives the AIM functions and the commands `vba` and `lite`."""

NEEDS_MODEL_EXTRA = ("build", "refresh", "snapshot", "check-data", "fetch", "outputs", "scenarios")


def _missing_extra(command: str) -> str | None:
    """One line naming the [model] extra when ``command`` needs it and it is absent."""
    if command not in NEEDS_MODEL_EXTRA:
        return None
    missing = [m for m in MODEL_EXTRA if find_spec(m) is None]
    if not missing:
        return None
    return (
        f"aimodel {command} needs the [model] extra (missing {', '.join(missing)}): "
        "pip install aim-model[model]"
    )


def _parser() -> argparse.ArgumentParser:
    from sheets import __version__

    parser = argparse.ArgumentParser(prog="aimodel", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"aimodel {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build model.xlsm from data/")
    b.add_argument("--data", type=Path, default=Path("data"), help="data folder (data/)")
    b.add_argument("--out", type=Path, default=Path("model.xlsm"), help="workbook to write")
    b.add_argument(
        "--force", action="store_true", help="replace a workbook that holds analyst work"
    )
    r = sub.add_parser("refresh", help="rewrite a workbook's data sheets from data/")
    r.add_argument("workbook", type=Path, help="the workbook to refresh (model.xlsm)")
    r.add_argument("--data", type=Path, default=Path("data"), help="data folder (data/)")
    s = sub.add_parser(
        "snapshot", help="write a values-only .xlsx of a workbook (no macros, no formulas)"
    )
    s.add_argument("workbook", type=Path, help="the workbook to copy (model.xlsm)")
    s.add_argument("--out", type=Path, required=True, help="the .xlsx file to write")
    c = sub.add_parser("check-data", help="validate data/ and report")
    c.add_argument("--data", type=Path, default=Path("data"))
    v = sub.add_parser(
        "vba", help="write the VBA module Import Functions writes (for File > Import File)"
    )
    v.add_argument(
        "--out", type=Path, default=None, help="the .bas file to write (default: standard output)"
    )
    f = sub.add_parser(
        "fetch", help="read SEC company facts into data/companies.csv and data/sec_filings.csv"
    )
    f.add_argument(
        "--tickers",
        default=None,
        help="comma-separated (default: MSFT,AMZN,GOOGL,META,ORCL,NVDA,CRWV,NBIS)",
    )
    f.add_argument(
        "--from",
        dest="source",
        type=Path,
        default=None,
        help="read saved CIK##########.json files from this folder instead of calling SEC",
    )
    f.add_argument("--data", type=Path, default=Path("data"), help="data folder (data/)")
    f.add_argument(
        "--user-agent", default=None, help="'Name email' for SEC (default: $AIM_SEC_USER_AGENT)"
    )
    f.add_argument(
        "--base-url", default=None, help="company-facts URL (default: $AIM_SEC_BASE_URL or SEC)"
    )
    f.add_argument("--cache", type=Path, default=None, help="keep responses in this folder")
    f.add_argument("--timeout", type=float, default=30.0, help="seconds per request (30)")
    f.add_argument("--retries", type=int, default=3, help="retries after 429/5xx/timeout (3)")
    o = sub.add_parser(
        "outputs", help="recalculate a workbook headlessly and print its headline outputs"
    )
    o.add_argument("workbook", type=Path, help="the workbook (model.xlsm)")
    o.add_argument("--json", action="store_true", help="print JSON instead of a table")
    o.add_argument("--metric", action="append", default=None, help="only this metric (repeatable)")
    o.add_argument("--entity", action="append", default=None, help="only this entity (repeatable)")
    o.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="type VALUE into input NAME's analyst cell first (repeatable; empty: blank)",
    )
    sc = sub.add_parser(
        "scenarios",
        help="the headline outputs for each row of a scenario file (one load of the workbook)",
    )
    sc.add_argument("workbook", type=Path, help="the workbook (model.xlsm)")
    sc.add_argument(
        "scenarios", type=Path, help="CSV: scenario,<input name>,... then one row per scenario"
    )
    sc.add_argument("--json", action="store_true", help="print JSON instead of CSV")
    lt = sub.add_parser(
        "lite", help="write main.py and requirements.txt for xlwings Lite (Mac and the web)"
    )
    lt.add_argument("--out", type=Path, required=True, help="an existing folder to write into")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    missing = _missing_extra(args.command)
    if missing:
        print(missing, file=sys.stderr)
        return 2
    try:
        if args.command == "build":
            from sheets.workbook.build import build

            out = build(args.data, args.out, force=args.force)
            print(f"aimodel: wrote {out}")
        elif args.command == "refresh":
            from sheets.workbook.refresh import refresh

            out = refresh(args.workbook, args.data)
            print(f"aimodel: refreshed {out}")
        elif args.command == "snapshot":
            from sheets.publish.snapshot import snapshot

            out, stamp = snapshot(args.workbook, args.out)
            print(f"aimodel: wrote {out} ({stamp})")
        elif args.command == "check-data":
            from sheets.sources.loader import load_data

            data = load_data(args.data)
            rows = sum(len(f) for _, f in data)
            print(f"aimodel: {len(data.frames)} data files, {rows} values, all valid")
        elif args.command == "vba":
            from sheets.publish.vba import write_bas

            text = write_bas(args.out)
            if args.out is None:
                sys.stdout.write(text)
            else:
                print(f"aimodel: wrote {args.out}")
        elif args.command == "fetch":
            from sheets.sources.sec.fetch import run_fetch

            for line in run_fetch(args):
                print(f"aimodel: {line}")
        elif args.command == "outputs":
            from sheets.evaluate.outputs import filter_rows, format_rows, read_outputs

            if args.settings:
                from sheets.evaluate.scenarios import Scenarios, parse_setting

                settings = dict(parse_setting(s) for s in args.settings)
                rows = Scenarios(args.workbook, settings, [settings]).evaluate(settings)
            else:
                rows = read_outputs(args.workbook)
            rows = filter_rows(rows, args.metric, args.entity)
            print(format_rows(rows, as_json=args.json))
        elif args.command == "scenarios":
            from sheets.evaluate.scenarios import Scenarios, format_scenarios, read_scenarios

            table = read_scenarios(args.scenarios)
            run = Scenarios(args.workbook, table[0][1], [values for _, values in table])
            results = [(name, run.evaluate(values)) for name, values in table]
            sys.stdout.write(format_scenarios(results, as_json=args.json))
        elif args.command == "lite":
            from sheets.publish.lite import write_lite

            for path in write_lite(args.out):
                print(f"aimodel: wrote {path}")
    except AimError as err:
        print(f"aimodel: {err}", file=sys.stderr)
        return 2
    return 0


def entry() -> None:
    """The ``aimodel`` command: :func:`main`, then exit without freeing the heap.

    A recalculation leaves the engine's graph (about 780,000 objects in reference
    cycles) for the interpreter to take apart at exit, about 0.9 s of CPU that a process
    about to end does not need; its output is flushed first.
    """
    code = main()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # a closed pipe or stream: nothing to flush to
            pass
    os._exit(code)


if __name__ == "__main__":
    entry()
