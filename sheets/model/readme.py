"""The README sheet: what the model is, how to use and refresh it, the AIM_ functions
(generated from the udfs docstrings), data provenance, the build and the master check."""

from __future__ import annotations

import inspect

from openpyxl.styles import Alignment, Font

from sheets import __version__
from sheets.model.base import Model
from sheets.model.styles import link_to_sheet, style_header, style_title, write_text
from sheets.sources.template import XLWINGS_VERSION

__all__ = ["SHEET_PURPOSES", "write_readme"]

SHEET_PURPOSES = {
    "Inputs": "Every assumption, with units and sources; type in the blue cells only.",
    "Capex": "Capex against revenue and operating cash flow from the SEC filings, per quarter "
    "and TTM, at each company's latest filed quarter; the report's 表2/表1 snapshot below.",
    "Depreciation": "Do reported server lives flatter earnings? Installed base from the filed "
    "capex, life policy history, D&A against reported, the earnings bridge and the "
    "sensitivity to an economic life.",
    "RPO": "Backlog converted into revenue by quarter; Microsoft run forward; implied "
    "bookings; OpenAI's commitments by supplier.",
    "Neocloud": "CoreWeave and Nebius cash flow, burn, capex intensity, D&A and interest "
    "burden, runway.",
    "Financing": "How long CoreWeave and Nebius last at 11%, 13% and 15% debt with their "
    "committed capex: debt schedule, funded runway, runway grid.",
    "OpenAI": "OpenAI's commitments by supplier and year against a revenue path through its "
    "guidance; the funding gap and its sensitivity.",
    "Unit economics": "GPU-hour and per-million-token costs (表7), cost of capital by cloud "
    "tier (表10), accelerator TCO (表8).",
    "Dashboard": "The story in charts.",
    "Checks": "Integrity, the seed's figures recomputed and reconciliations, each with "
    "its master; the master check.",
    "Outputs": "The index of headline figures `aimodel outputs` prints, each with its cell.",
}
H = Font(bold=True, color="1F3864", size=12)


_FILINGS_PROVENANCE = {
    "companies": "data/companies.csv: the companies `aimodel fetch` reads, with SEC CIK and "
    "fiscal year end.",
    "sec_filings": "data/sec_filings.csv: SEC XBRL company facts (`aimodel fetch`), each value "
    "with its us-gaap tag, accession number, form and filing date.",
    "sec_quarterly": "The sec_filings values by calendar quarter (rows) and company x metric "
    "(columns): what the model's formulas read.",
}


def write_readme(model: Model, data_sheets: list[str]) -> None:
    from udfs.excel._worksheet import REGISTRY, summary

    ws = model.wb["README"]
    style_title(
        ws,
        "aim: the economics of the AI build-out",
        "A model built from the tables of Soochow Securities' 'Overseas AI annual "
        "review and earnings summary' (2026-01-21), with AIM_ worksheet functions.",
    )
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 100
    ws.column_dimensions["C"].width = 60
    r = 4
    ws.cell(row=r, column=1, value="Master check").font = Font(bold=True, size=12)
    ws.cell(row=r, column=2, value="=Master_check").font = Font(bold=True, size=12)
    r += 1
    for label, name in (
        ("Integrity", "Check_Integrity"),
        ("Seed reproduction", "Check_Seed"),
        ("Reconciliation", "Check_Reconciliation"),
    ):
        ws.cell(row=r, column=1, value=label)
        ws.cell(row=r, column=2, value=f"={name}")
        r += 1
    ws.cell(row=r, column=1, value="Rows failing")
    ws.cell(row=r, column=2, value="=Checks!F4")
    r += 2

    def heading(text: str) -> None:
        nonlocal r
        ws.cell(row=r, column=1, value=text).font = H
        r += 1

    def line(a: str, b: str = "", c: str = "") -> None:
        nonlocal r
        write_text(ws, r, 1, a)
        if b:
            write_text(ws, r, 2, b).alignment = Alignment(wrap_text=True, vertical="top")
        if c:
            write_text(ws, r, 3, c).alignment = Alignment(wrap_text=True, vertical="top")
        r += 1

    heading("How to use it")
    line(
        "Assumptions",
        "Change the blue cells on Inputs (column E). A blank analyst value "
        "uses the seed's figure; every formula uses the inputs by name.",
    )
    line(
        "Workings",
        "Capex, Depreciation, RPO, Neocloud and Unit economics compute from "
        "Inputs and the data sheets with AIM_ functions and plain formulas.",
    )
    line(
        "Checks",
        "Three masters. Integrity: no error value on any model sheet, whatever the "
        "inputs. Seed reproduction: every derived figure the seed prints, recomputed "
        "(n/a where an input it depends on is changed; known discrepancies in the "
        "report's own arithmetic are listed with their reasons). Reconciliation: filings "
        "against the report.",
    )
    line(
        "Colours",
        "Blue on yellow: input. Green: link to another sheet. Black: formula. "
        "Grey italic: a figure the report derives (checked, never used).",
    )
    r += 1
    heading("Refresh")
    line(
        "In Excel (Windows)",
        "Developer > Macros > SampleCall: runs model.main() through "
        "xlwings (RunPython), which rewrites the data sheets from data/ "
        "next to the workbook. Your sheets, Inputs and edits elsewhere "
        "are kept. Install the aim package and run Import Functions "
        "once first (see the repository README).",
    )
    line("Headless", "aimodel refresh model.xlsm --data data (same function, openpyxl).")
    line(
        "Rows",
        "Edit values in place and append new rows at the end of a data file; the "
        "refresh refuses a change that would move a row a formula points at.",
    )
    r += 1
    heading("Sheets")
    for name in model.wb.sheetnames:
        if name in SHEET_PURPOSES:
            link_to_sheet(ws.cell(row=r, column=1), name)  # the name, a link to its sheet
            line(name, SHEET_PURPOSES[name])
    line(
        "Data sheets",
        ", ".join(data_sheets) + ": one per file in data/, generated; "
        "every number traces to a seed line.",
    )
    line("xlwings.conf", "Tells xlwings to load the AIM_ functions from the Python module udfs.")
    r += 1
    heading("AIM_ functions")
    for j, text in enumerate(("Function", "What it returns", "Arguments"), start=1):
        ws.cell(row=r, column=j, value=text)
    style_header(ws[r][:3])
    r += 1
    for name, fn in REGISTRY.items():
        sig = inspect.signature(fn)
        args = ", ".join(
            p if sig.parameters[p].default is inspect.Parameter.empty else f"[{p}]"
            for p in sig.parameters
        )
        docs = "; ".join(f"{a}: {d}" for a, d in fn.__aim_args__.items())
        line(f"{name}({args})", summary(fn), docs)
    r += 1
    heading("Data provenance")
    for stem in data_sheets:
        if stem not in model.data.frames:
            line(stem, _FILINGS_PROVENANCE.get(stem, ""))
            continue
        frame = model.data.frame(stem)
        tables = ", ".join(sorted(set(frame["seed_table"])))
        line(
            stem,
            f"data/{stem}.csv: {len(frame)} values from {tables} of the seed "
            f"(seed lines {frame['seed_line'].min()}-{frame['seed_line'].max()}).",
        )
    r += 1
    heading("Build")
    line("aim", __version__)
    line(
        "xlwings",
        f"{XLWINGS_VERSION}: the VBA module names a DLL of this version; the "
        "analyst's Python must have xlwings of this exact version.",
    )
    line(
        "Generated by",
        "aimodel build (openpyxl), from data/; do not edit generated sheets "
        "by hand: a refresh rewrites the data sheets.",
    )
