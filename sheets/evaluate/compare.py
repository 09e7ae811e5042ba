"""Compare workbooks by content, not by bytes (openpyxl stamps save times into the zip).

Content is: sheet names in order, every non-empty cell's value or formula (array
formulas as ``{ref}=text``), number formats, defined names, tables, and the
vbaProject.bin bytes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from sheets.sources.template import vba_project_bytes

__all__ = ["sheet_content", "workbook_content"]


def _cell_value(value: Any) -> Any:
    if isinstance(value, ArrayFormula):
        return f"{{{value.ref}}}{value.text}"
    return value


def sheet_content(ws) -> dict[str, tuple[Any, str]]:
    """Every non-empty cell of a worksheet: coordinate -> (value or formula, number format)."""
    out = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                out[cell.coordinate] = (_cell_value(cell.value), cell.number_format)
    return out


def workbook_content(path: Path | str) -> dict[str, Any]:
    """A comparable summary of a workbook's content."""
    wb = load_workbook(path, keep_vba=True)
    return {
        "sheets": wb.sheetnames,
        "cells": {ws.title: sheet_content(ws) for ws in wb.worksheets},
        "tables": {
            ws.title: sorted((t.displayName, t.ref) for t in ws.tables.values())
            for ws in wb.worksheets
        },
        "defined_names": sorted((n, d.attr_text) for n, d in wb.defined_names.items()),
        "vba_sha256": hashlib.sha256(vba_project_bytes(path)).hexdigest(),
    }
