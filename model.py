"""The workbook's refresh macro: model.xlsm's ``SampleCall`` runs ``model.main()``.

The VBA that xlwings' template ships (Module1.SampleCall) runs
``RunPython "import <workbook name>; <workbook name>.main()"``; for model.xlsm that is
this module, found next to the workbook. It rewrites the workbook's data sheets from the
data/ folder beside it, with the same function as the headless ``aimodel refresh``.
"""

from __future__ import annotations

from pathlib import Path


def main() -> None:
    """Refresh the calling workbook's data sheets from the data/ folder next to it."""
    import xlwings as xw

    from sheets.excel_target import XlwingsTarget
    from sheets.loader import load_data
    from sheets.refresh import refresh_target

    book = xw.Book.caller()
    data = load_data(Path(book.fullname).parent / "data")
    refresh_target(XlwingsTarget(book), data)


if __name__ == "__main__":
    main()
