"""Pictures of the model's sheets, for people: ``make render`` (python -m sheets.publish.render).

LibreOffice cannot run the AIM_ functions, so the workbook is first recalculated
headless with the ``formulas`` engine into a values-only copy (:mod:`sheets.publish.snapshot`);
LibreOffice then prints each sheet to PDF (every other sheet hidden) and pdftoppm turns
every page into a PNG named ``<Sheet>-<n>.png`` (spaces in the sheet name become ``_``).
CJK text (表, 亿美元) needs a CJK font: .ci/run installs fonts-noto-cjk with LibreOffice.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import load_workbook

from sheets.evaluate.libreoffice import convert_many
from sheets.model.printing import print_setup
from sheets.publish.snapshot import DROPPED_SHEETS, fit_wrapped_rows, values_workbook

__all__ = ["DPI", "page_name", "render", "sheets_of"]

DPI = 110  # an A4 landscape page is 1286 x 909 pixels: 11-point text at 0.7 scale reads at 100%


def sheets_of(workbook: Path) -> tuple[str, ...]:
    """Every sheet of ``workbook`` a person reads (all but xlwings.conf), in order."""
    wb = load_workbook(workbook, read_only=True, keep_vba=False)
    try:
        return tuple(n for n in wb.sheetnames if n not in DROPPED_SHEETS)
    finally:
        wb.close()


def page_name(sheet: str, n: int) -> str:
    """``Unit economics``, page 2 -> ``Unit_economics-2.png``."""
    return f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', sheet)}-{n}.png"


def _static_conditional_fills(ws) -> None:
    """Apply TRUE/FALSE conditional fills as plain fills (LibreOffice 7.4's PDF export
    crashes on the conditional formats of a values-only copy)."""
    from openpyxl.formatting.formatting import ConditionalFormattingList
    from openpyxl.utils.cell import range_boundaries

    for rng in ws.conditional_formatting:
        for rule in rng.rules:
            wanted = {"TRUE": True, "FALSE": False}.get((rule.formula or [""])[0])
            if wanted is None or rule.dxf is None or rule.dxf.fill is None:
                continue
            for ref in str(rng.sqref).split():
                min_col, min_row, max_col, max_row = range_boundaries(ref)
                for row in ws.iter_rows(
                    min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col
                ):
                    for cell in row:
                        if cell.value is wanted:
                            cell.fill = rule.dxf.fill
    ws.conditional_formatting = ConditionalFormattingList()


def render(workbook: Path, outdir: Path, sheets: tuple[str, ...] | None = None) -> list[Path]:
    """Every page of every sheet (or of ``sheets``) as PNGs in ``outdir``."""
    if not shutil.which("pdftoppm"):
        raise RuntimeError("pdftoppm is not on PATH: apt-get install poppler-utils")
    outdir.mkdir(parents=True, exist_ok=True)
    sheets = sheets or sheets_of(workbook)
    pictures = []
    with tempfile.TemporaryDirectory(prefix="aim-render-") as tmp:
        wb = values_workbook(workbook)
        for ws in wb.worksheets:
            _static_conditional_fills(ws)
            fit_wrapped_rows(ws)
        flat = Path(tmp) / "values.xlsx"
        wb.save(flat)
        books = []
        for k, name in enumerate(sheets):
            wb = load_workbook(flat)
            for ws in wb.worksheets:
                ws.sheet_state = "visible" if ws.title == name else "hidden"
                if ws.title != name:
                    ws.print_area = None  # LibreOffice prints a hidden sheet's print area
            target = wb[name]
            wb.active = wb.worksheets.index(target)
            if not target.print_area:  # a data sheet: landscape, one page wide
                print_setup(target, fit_text=False)
            one = Path(tmp) / f"sheet{k}.xlsx"
            wb.save(one)
            books.append(one)
        pdfs = convert_many(books, "pdf", Path(tmp) / "pdf")
        for k, (name, pdf) in enumerate(zip(sheets, pdfs, strict=True)):
            pages = Path(tmp) / f"sheet{k}-pages"
            pages.mkdir()
            subprocess.run(
                ["pdftoppm", "-png", "-r", str(DPI), str(pdf), str(pages / "p")], check=True
            )
            stem = page_name(name, 1).rsplit("-", 1)[0]
            for old in outdir.glob(f"{stem}-*.png"):
                old.unlink()
            numbered = sorted(pages.glob("p-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
            for n, png in enumerate(numbered, start=1):
                target_png = outdir / page_name(name, n)
                shutil.move(png, target_png)
                pictures.append(target_png)
    return pictures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sheets.publish.render", description=__doc__)
    parser.add_argument("workbook", type=Path)
    parser.add_argument("--out", type=Path, default=Path("render"))
    parser.add_argument("--sheet", action="append", help="a sheet to draw (default: all)")
    args = parser.parse_args(argv)
    for path in render(args.workbook, args.out, tuple(args.sheet or ()) or None):
        print(f"render: wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
