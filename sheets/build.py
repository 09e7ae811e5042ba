"""Build model.xlsm from data/ with openpyxl, starting from xlwings' macro template."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from sheets.atomic import save_atomic
from sheets.datasheets import DataIndex, write_data_sheet
from sheets.loader import DataSet, load_data
from sheets.model.assemble import MODEL_SHEETS, write_model
from sheets.model.base import Model
from sheets.template import TEMPLATE

__all__ = [
    "CONF_SHEET",
    "README_SHEET",
    "BuildResult",
    "build",
    "build_workbook",
    "configure_xlwings",
]

README_SHEET = "README"
CONF_SHEET = "xlwings.conf"
UDF_MODULES = "udfs"


@dataclass
class BuildResult:
    workbook: Workbook
    index: DataIndex
    model: Model


def configure_xlwings(wb: Workbook) -> None:
    """Activate the template's config sheet and point ``UDF Modules`` at :mod:`udfs`.

    xlwings reads the sheet named ``xlwings.conf`` from A1 down to the first blank key.
    """
    ws = wb["_xlwings.conf"] if "_xlwings.conf" in wb.sheetnames else wb[CONF_SHEET]
    ws.title = CONF_SHEET
    for row in ws.iter_rows(min_col=1, max_col=2):
        key, value = row
        if key.value == "UDF Modules":
            value.value = UDF_MODULES
            break
    else:
        raise RuntimeError("the xlwings template has no 'UDF Modules' setting")
    ws.sheet_properties.tabColor = "7F7F7F"


def write_data_sheets(wb: Workbook, data: DataSet, index: DataIndex) -> list[str]:
    """Append one data sheet per data file; return their names in order."""
    names = []
    for stem, frame in data:
        write_data_sheet(wb, stem, frame, index)
        names.append(stem)
    return names


def build_workbook(data: DataSet, template: Path = TEMPLATE) -> BuildResult:
    """The whole model as an in-memory workbook (nothing is written to disk)."""
    wb = load_workbook(template, keep_vba=True)
    readme = wb["Sheet1"]  # keeps the template's code name (Sheet1) and its VBA module
    readme.title = README_SHEET
    configure_xlwings(wb)
    index = DataIndex()
    data_sheets = write_data_sheets(wb, data, index)
    model = Model(wb, data, index)
    write_model(model, data_sheets)
    _order(wb, data_sheets)
    wb.active = 0
    return BuildResult(wb, index, model)


def _order(wb: Workbook, data_sheets: list[str]) -> None:
    """README, Inputs, the data sheets, the model sheets, xlwings.conf."""
    order = [README_SHEET, MODEL_SHEETS[0], *data_sheets, *MODEL_SHEETS[1:], CONF_SHEET]
    wb._sheets = [wb[name] for name in order]


def build(data_dir: Path | str, out: Path | str) -> Path:
    """Validate ``data_dir``, build the model and write it atomically to ``out``."""
    data = load_data(data_dir)
    result = build_workbook(data)
    return save_atomic(result.workbook, out)
