"""Pictures of the model's sheets, for people: ``make render`` (python -m sheets.render).

LibreOffice cannot run the AIM_ functions, so the workbook is first recalculated
headless with the ``formulas`` engine and written as a values-only copy; LibreOffice then
prints each chosen sheet to PDF (every other sheet hidden) and pdftoppm turns the first
page into a PNG.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from sheets.headless import recalculate
from sheets.libreoffice import convert
from sheets.model.assemble import MODEL_SHEETS

__all__ = ["SHEETS", "render", "values_copy"]

SHEETS = ("README", *MODEL_SHEETS)


def values_copy(src: Path, out: Path) -> Path:
    """``src`` with every formula replaced by its value computed headless."""
    values = recalculate(src)
    wb = load_workbook(src, keep_vba=False)
    for ws in wb.worksheets:
        key = ws.title.upper()
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, ArrayFormula) or cell.data_type == "f":
                    v = values.get((key, cell.coordinate))
                    cell.value = v if isinstance(v, (int, float, str, bool)) else None
                elif cell.value is None and (key, cell.coordinate) in values:
                    v = values[(key, cell.coordinate)]  # the rest of an array formula's range
                    if isinstance(v, (int, float, str, bool)):
                        cell.value = v
        _static_conditional_fills(ws)
    wb.save(out)
    return out


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


def render(workbook: Path, outdir: Path, sheets: tuple[str, ...] = SHEETS) -> list[Path]:
    """One PNG per sheet (its first page) in ``outdir``."""
    if not shutil.which("pdftoppm"):
        raise RuntimeError("pdftoppm is not on PATH: apt-get install poppler-utils")
    outdir.mkdir(parents=True, exist_ok=True)
    pictures = []
    with tempfile.TemporaryDirectory(prefix="aim-render-") as tmp:
        flat = values_copy(workbook, Path(tmp) / "values.xlsx")
        for name in sheets:
            wb = load_workbook(flat)
            for ws in wb.worksheets:
                ws.sheet_state = "visible" if ws.title == name else "hidden"
            target = wb[name]
            wb.active = wb.worksheets.index(target)
            target.page_setup.orientation = "landscape"
            target.page_setup.fitToWidth = 1
            target.page_setup.fitToHeight = 0
            target.sheet_properties.pageSetUpPr.fitToPage = True
            stem = name.lower().replace(" ", "_")
            one = Path(tmp) / f"{stem}.xlsx"
            wb.save(one)
            pdf = convert(one, "pdf", tmp)
            png = outdir / stem
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "80",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    str(pdf),
                    str(png),
                ],
                check=True,
            )
            pictures.append(png.with_suffix(".png"))
    return pictures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sheets.render", description=__doc__)
    parser.add_argument("workbook", type=Path)
    parser.add_argument("--out", type=Path, default=Path("render"))
    parser.add_argument("--sheet", action="append", help="a sheet to draw (default: all)")
    args = parser.parse_args(argv)
    for path in render(args.workbook, args.out, tuple(args.sheet or SHEETS)):
        print(f"render: wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
