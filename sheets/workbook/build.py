"""Build model.xlsm from data/ with openpyxl, starting from xlwings' macro template."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from sheets.model.assemble import MODEL_SHEETS, write_model
from sheets.model.base import Model
from sheets.model.depreciation_fitted import FIT_STEM, calibrate, fit_frame
from sheets.model.inputs import INPUTS_SHEET as INPUTS
from sheets.model.timeline import Timeline, pivot_layout
from sheets.sources.atomic import save_atomic
from sheets.sources.filed_facts import LIFE_CHANGES_STEM
from sheets.sources.loader import DataSet, data_stamp, load_data
from sheets.sources.paths import require_out_folder
from sheets.sources.template import TEMPLATE
from sheets.workbook.datasheets import DataIndex, write_data_sheet
from sheets.workbook.filings_sheets import (
    write_companies_sheet,
    write_filings_sheet,
    write_pivot_sheet,
)
from udfs.errors import AimError

__all__ = [
    "CONF_SHEET",
    "README_SHEET",
    "AnalystWorkError",
    "BuildResult",
    "analyst_work",
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
    """Append one data sheet per data file (and the filings' quarterly view); return their
    names in order."""
    names = []
    for stem, frame in data:
        write_data_sheet(wb, stem, frame, index)
        names.append(stem)
    if data.companies is not None:
        names.append(write_companies_sheet(wb, data.companies).title)
    if data.filings is not None:
        names.append(write_filings_sheet(wb, data.filings).title)
        layout = pivot_layout(data, Timeline.from_data(data))
        names.append(write_pivot_sheet(wb, data, layout).title)
        if LIFE_CHANGES_STEM in data.filed:
            frame = fit_frame(calibrate(data, layout.quarters), layout.quarters)
            names.append(write_data_sheet(wb, FIT_STEM, frame, index).title)
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


class AnalystWorkError(AimError):
    """The workbook to be overwritten holds work the build would not recreate."""


def analyst_work(existing: Workbook, fresh: Workbook) -> list[str]:
    """What a rebuild of ``existing`` would lose: sheets the build does not make, and
    analyst values typed on Inputs (column E) that differ from the build's defaults."""
    lost = [f"sheet {name!r}" for name in existing.sheetnames if name not in fresh.sheetnames]
    if INPUTS in existing.sheetnames:
        mine, theirs = existing[INPUTS], fresh[INPUTS]
        for row in range(1, max(mine.max_row, theirs.max_row) + 1):
            a, b = mine.cell(row=row, column=5).value, theirs.cell(row=row, column=5).value
            if a != b:
                lost.append(f"Inputs!E{row} = {a!r}")
    return lost


def build(data_dir: Path | str, out: Path | str, *, force: bool = False) -> Path:
    """Validate ``data_dir``, build the model and write it atomically to ``out``.

    An existing ``out`` that holds analyst work (sheets the build does not make, or
    Inputs typed over) is not overwritten unless ``force``: :func:`sheets.workbook.refresh.refresh`
    is the way to update such a workbook.
    """
    out = require_out_folder(out)
    data = load_data(data_dir)
    result = build_workbook(data)
    if out.exists() and not force:
        try:
            existing = load_workbook(out, keep_vba=True)
        except Exception:  # not a workbook openpyxl can read: nothing of the model to keep
            existing = None
        lost = analyst_work(existing, result.workbook) if existing is not None else []
        if lost:
            raise AnalystWorkError(
                f"{out} holds work a rebuild would lose ({', '.join(lost[:3])}"
                f"{', ...' if len(lost) > 3 else ''}): use `aimodel refresh {out}` to update "
                "its data, or `aimodel build --force` to replace it"
            )
    return save_atomic(result.workbook, out, data_stamp(data))
