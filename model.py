"""The workbook's refresh macro: model.xlsm's ``SampleCall`` runs ``model.main()``.

The VBA that xlwings' template ships (Module1.SampleCall) runs
``RunPython "import <workbook name>; <workbook name>.main()"``; for model.xlsm that is
this module, found next to the workbook. It rewrites the workbook's data sheets from the
data/ folder beside it, with the same function as the headless ``aimodel refresh``.
When the Inputs cell ``Fetch_on_refresh`` says "yes", it first fetches the latest SEC
filings into that data/ folder (as ``aimodel fetch`` does: every company of
data/companies.csv, User-Agent from the environment variable ``AIM_SEC_USER_AGENT``), so
one click brings a new quarter into every sheet. A failed fetch leaves data/ and the
workbook as they were.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from udfs.errors import AimError

FETCH_SWITCH = "Fetch_on_refresh"


class OutsideExcelError(AimError):
    """model.py was run without the workbook that calls it (not from Excel)."""


def wants_fetch(book: Any) -> bool:
    """The workbook's ``Fetch_on_refresh`` input is "yes" (a missing name is "no")."""
    try:
        value = book.names[FETCH_SWITCH].refers_to_range.value
    except (KeyError, AttributeError):
        return False
    return str(value or "").strip().lower() == "yes"


def main() -> None:
    """Refresh the calling workbook's data sheets from the data/ folder next to it."""
    import xlwings as xw

    from sheets.sources.loader import load_data
    from sheets.workbook.excel_target import XlwingsTarget
    from sheets.workbook.refresh import refresh_target

    try:
        book = xw.Book.caller()
    except Exception:  # xlwings raises what its platform layer does; none means "in Excel"
        raise OutsideExcelError(
            "not run from Excel: it is model.xlsm's refresh macro (Developer > Macros > "
            "Macros > SampleCall); outside Excel run `aimodel refresh model.xlsm`"
        ) from None
    folder = Path(book.fullname).parent / "data"
    if wants_fetch(book):
        from sheets.sources.sec.fetch import fetch

        fetch(None, folder)
    refresh_target(XlwingsTarget(book), load_data(folder))


if __name__ == "__main__":
    try:
        main()
    except AimError as err:
        print(f"model.py: {err}", file=sys.stderr)
        sys.exit(2)
