"""Write every model sheet in order; the one entry point the build calls."""

from __future__ import annotations

from sheets.model.base import Model
from sheets.model.capex import write_capex
from sheets.model.checks import GROUP_MASTERS, MASTER_CHECK, write_checks
from sheets.model.dashboard import write_dashboard
from sheets.model.depreciation import write_depreciation
from sheets.model.financing import write_financing
from sheets.model.inputs import write_inputs
from sheets.model.neocloud import write_neocloud
from sheets.model.openai import write_openai
from sheets.model.outputs_sheet import write_outputs_sheet
from sheets.model.printing import boolean_format, check_cells, print_setup
from sheets.model.readme import write_readme
from sheets.model.reconcile import reconcile_capex
from sheets.model.rpo import write_rpo
from sheets.model.sheet_list import MODEL_SHEETS
from sheets.model.styles import fit_header_rows, nav_links
from sheets.model.unit_economics import write_unit_economics

__all__ = ["CHECKS_SHEET", "MODEL_SHEETS", "README_SHEET", "navigation", "write_model"]

README_SHEET = "README"
CHECKS_SHEET = "Checks"
FREEZE = "C4"  # Writer's layout: labels in A, units in B, title, purpose and links in rows 1-3


def write_model(model: Model, data_sheets: list[str]) -> None:
    """Inputs first (its names are used everywhere), then the workings, charts, checks."""
    write_inputs(model)
    write_capex(model)
    reconcile_capex(model)
    write_depreciation(model)
    write_rpo(model)
    write_neocloud(model)
    write_financing(model)
    write_openai(model)
    write_unit_economics(model)
    write_dashboard(model)
    write_checks(model)
    write_outputs_sheet(model)
    write_readme(model, data_sheets)
    for name in MODEL_SHEETS:
        ws = model.wb[name]
        nav_links(ws, navigation(name))
        if ws.freeze_panes is None:  # Inputs, Depreciation, Dashboard, Checks set their own
            ws.freeze_panes = FREEZE
    for name in (README_SHEET, *MODEL_SHEETS):
        ws = model.wb[name]
        boolean_format(ws, check_cells(ws, CHECK_NAMES))
        print_setup(ws)
        fit_header_rows(ws)


CHECK_NAMES = {MASTER_CHECK, *GROUP_MASTERS.values()}


def navigation(sheet: str) -> list[tuple[str, str]]:
    """The links in row 3 of a model sheet: (text, target sheet)."""
    onward = ("Dashboard →", "Dashboard") if sheet == CHECKS_SHEET else ("Checks →", CHECKS_SHEET)
    return [("← README", README_SHEET), onward]
