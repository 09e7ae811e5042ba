"""The model's own sheets, in workbook order (the data sheets follow them).

A module of its own so that the assembly (which writes them) and the Checks sheet
(which scans them for error values) both read one list without importing each other.
"""

from __future__ import annotations

__all__ = ["MODEL_SHEETS"]

MODEL_SHEETS = (
    "Inputs",
    "Capex",
    "Depreciation",
    "RPO",
    "Neocloud",
    "Financing",
    "OpenAI",
    "Unit economics",
    "Dashboard",
    "Checks",
    "Outputs",
)
