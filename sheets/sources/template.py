"""The workbook template: xlwings' own standalone macro workbook, from the pinned package.

``quickstart_standalone.xlsm`` carries the VBA project (modules ThisWorkbook, Sheet1,
Sheet2, Module1, xlwings, Dictionary) whose ``xlwings`` module names a DLL stamped with
the package version, so the analyst's Python must run the same xlwings version.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import xlwings

__all__ = ["TEMPLATE", "XLWINGS_VERSION", "vba_project_bytes"]

TEMPLATE = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
XLWINGS_VERSION = xlwings.__version__
VBA_PART = "xl/vbaProject.bin"


def vba_project_bytes(path: Path | str) -> bytes:
    """The raw ``xl/vbaProject.bin`` of a macro workbook."""
    with zipfile.ZipFile(path) as z:
        return z.read(VBA_PART)
