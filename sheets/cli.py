"""The ``aimodel`` command: build and refresh model.xlsm, check data/.

Exit status 0 on success, 2 when the data or the workbook is unusable (one line on
standard error names the file, line and column), 1 for anything unexpected.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from udfs.errors import AimError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aimodel", description=__doc__.splitlines()[0])
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
    c = sub.add_parser("check-data", help="validate data/ and report")
    c.add_argument("--data", type=Path, default=Path("data"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            from sheets.build import build

            out = build(args.data, args.out, force=args.force)
            print(f"aimodel: wrote {out}")
        elif args.command == "refresh":
            from sheets.refresh import refresh

            out = refresh(args.workbook, args.data)
            print(f"aimodel: refreshed {out}")
        elif args.command == "check-data":
            from sheets.loader import load_data

            data = load_data(args.data)
            rows = sum(len(f) for _, f in data)
            print(f"aimodel: {len(data.frames)} data files, {rows} values, all valid")
    except AimError as err:
        print(f"aimodel: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
