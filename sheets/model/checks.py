"""The Checks sheet: the model's integrity, the seed's figures reproduced, reconciliations.

Rows come in sections, one per group of :data:`sheets.model.base.CHECK_GROUPS`, each
with its master:

- **Integrity** (``Check_Integrity``): must hold whatever the inputs. One row per model
  sheet counts its error values (``#VALUE!``, ``#N/A``, ``#DIV/0!`` ...) and its cells
  whose text starts with ``#AIM!`` (an AIM function refusing an argument) over the
  sheet's used range; the count must be 0.
- **Seed reproduction** (``Check_Seed``): every derived figure the seed prints,
  recomputed. A figure the report gets wrong beyond rounding is a *known discrepancy*:
  its reason is written beside it and its status is TRUE while the discrepancy persists
  (so a correction in data/ turns it FALSE and asks for the note to go). With the seed's
  inputs the model reproduces the printed figures; once an analyst changes an input a
  row depends on (traced through the workbook's formulas when the model is built, listed
  in the last column) the row is "n/a": information, not a failure.
- **Reconciliation** (``Check_Reconciliation``): filings against the seed, modelled
  against reported; "n/a" like the seed rows when an input they depend on is changed.
- **Information**: shown, never a failure and in no master.

``Master_check`` is the AND of the three masters. Each row: the model's value (a formula
into the model sheets), the reported value, the difference, the tolerance (the reported
figure's printed rounding plus how far the rounding of its printed inputs can move the
model's value), whether it holds and its status.

Reported figures the model cannot recompute (the seed prints no inputs for them) are
listed below the checks with the reason.
"""

from __future__ import annotations

from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import column_index_from_string, quote_sheetname

from sheets.model.base import CHECK_GROUPS, Check, Model, Writer, col
from sheets.model.formula_refs import Precedents, formula_cells
from sheets.model.inputs import CHANGED_COLUMN, INPUTS_SHEET, inputs_table
from sheets.model.sheet_list import MODEL_SHEETS
from sheets.model.styles import style_header, write_text
from sheets.sources.units import UNITS

__all__ = [
    "CHECKS_SHEET",
    "GROUP_MASTERS",
    "MASTER_CHECK",
    "NOT_APPLICABLE",
    "integrity_checks",
    "write_checks",
]

CHECKS_SHEET = "Checks"
MASTER_CHECK = "Master_check"
GROUP_MASTERS = {
    "integrity": "Check_Integrity",
    "seed": "Check_Seed",
    "reconciliation": "Check_Reconciliation",
}
NOT_APPLICABLE = "n/a"
INFORMATION = "info"
GROUP_TITLES = {
    "integrity": "Integrity: must hold whatever the inputs (no error value on a model sheet)",
    "seed": "Seed reproduction: with the seed's inputs the model reproduces the printed "
    'figures ("n/a" once an input the row depends on is changed)',
    "reconciliation": "Reconciliation: filings against the seed, modelled against reported",
    "information": "Information: shown, never a failure",
}
NOT_SCANNED = ("Checks", "Dashboard")  # Checks reads every sheet; Dashboard shows Checks
HEAD = (
    "#",
    "Check",
    "Source",
    "Model",
    "Reported",
    "Difference",
    "Tolerance",
    "Tolerance basis",
    "Holds",
    "Known discrepancy",
    "Status",
    "Depends on inputs",
)
GREEN = PatternFill("solid", start_color="C6EFCE", end_color="C6EFCE")
RED = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
GREY = PatternFill("solid", start_color="E7E6E6", end_color="E7E6E6")
ERROR_TEXT = "#AIM!*"  # COUNTIF criterion: text an AIM function returns for a bad argument


def integrity_checks(model: Model) -> list[Check]:
    """One "no error value" row per model sheet with formulas (not Checks, not Dashboard),
    over the block that holds every formula of the sheet.

    ``SUMPRODUCT(ISERROR(r)*1)`` counts error values and ``COUNTIF(r,"#AIM!*")`` the
    AIM functions' refusals; both compute alike in Excel, LibreOffice and the
    ``formulas`` engine (which gets ``--ISERROR(r)`` wrong, hence ``*1``).
    """
    box: dict[str, tuple[int, int, int, int]] = {}  # first row, first column, last row, last
    for sheet, coord in formula_cells(model.wb):
        if sheet not in MODEL_SHEETS or sheet in NOT_SCANNED:
            continue
        letters = "".join(ch for ch in coord if ch.isalpha())
        row, column = int(coord[len(letters) :]), column_index_from_string(letters)
        r0, c0, r1, c1 = box.get(sheet, (row, column, row, column))
        box[sheet] = (min(r0, row), min(c0, column), max(r1, row), max(c1, column))
    out = []
    for sheet in MODEL_SHEETS:
        if sheet not in box:
            continue
        r0, c0, r1, c1 = box[sheet]
        where = f"{col(c0)}{r0}:{col(c1)}{r1}"
        r = f"{quote_sheetname(sheet)}!${col(c0)}${r0}:${col(c1)}${r1}"
        out.append(
            Check(
                label=f"No error value on {sheet}",
                model=f'SUMPRODUCT(ISERROR({r})*1)+COUNTIF({r},"{ERROR_TEXT}")',
                reported="",
                tolerance=0.0,
                tolerance_note=f"error values and #AIM! messages in {where}, every formula "
                "of the sheet",
                source="the model",
                number_format="0",
                group="integrity",
            )
        )
    return out


def input_dependencies(model: Model, checks: list[Check]) -> list[list[str]]:
    """For each check, the Inputs (by name) its model and reported expressions depend on,
    traced through every formula back to the Inputs sheet; [] for integrity rows."""
    rows: dict[int, str] = {}
    for item in inputs_table():
        ref = model.names[item.name]
        rows[int(ref.rsplit("$", 1)[1])] = item.name
    order = {name: i for i, name in enumerate(rows.values())}
    graph = Precedents(model.wb)
    out = []
    for chk in checks:
        if chk.group == "integrity":
            out.append([])
            continue
        found: set[str] = set()
        for text in (chk.model, chk.reported):
            for sheet, coord in graph.closure(CHECKS_SHEET, f"={text}", stop=(INPUTS_SHEET,)):
                if sheet == INPUTS_SHEET:
                    row = int("".join(ch for ch in coord if ch.isdigit()))
                    if row in rows:
                        found.add(rows[row])
        out.append(sorted(found, key=order.__getitem__))
    return out


def write_checks(model: Model) -> None:
    w = Writer(
        model,
        CHECKS_SHEET,
        "Integrity (must hold whatever the inputs), the seed's figures reproduced (n/a once "
        "an input they depend on is changed) and reconciliations, each with its master; "
        "the master check is TRUE when all three are.",
        tab="C00000",
    )
    ws = w.ws
    widths = (5, 58, 40, 12, 12, 12, 12, 44, 8, 60, 8, 40)
    for letter, width in zip("ABCDEFGHIJKL", widths, strict=True):
        ws.column_dimensions[letter].width = width
    checks = integrity_checks(model) + sorted(
        model.checks, key=lambda c: CHECK_GROUPS.index(c.group)
    )
    depends = input_dependencies(model, checks)
    names = {n: model.names[n] for n in (i.name for i in inputs_table())}
    flags = {
        n: f"{quote_sheetname(INPUTS_SHEET)}!${CHANGED_COLUMN}${ref.rsplit('$', 1)[1]}"
        for n, ref in names.items()
    }
    first = 7
    for j, text in enumerate(HEAD, start=1):
        ws.cell(row=first - 1, column=j, value=text)
    style_header(ws[first - 1][: len(HEAD)])
    r = first
    number = 0
    masters: dict[str, str] = {}
    failing: list[str] = []
    status_cells: list[str] = []
    for group in CHECK_GROUPS:
        rows = [(c, d) for c, d in zip(checks, depends, strict=True) if c.group == group]
        if not rows:
            if group in GROUP_MASTERS:  # a master with nothing to check holds
                masters[group] = "TRUE"
            continue
        head = r
        title = ws.cell(row=head, column=2, value=GROUP_TITLES[group])
        title.font = Font(bold=True, size=11, color="1F3864")
        top, bottom = head + 1, head + len(rows)
        span = f"K{top}:K{bottom}"
        if group in GROUP_MASTERS:
            cell = ws.cell(row=head, column=4, value=f"=IFERROR(AND(TRUE,{span}),FALSE)")
            cell.font = Font(bold=True)
            model.define(GROUP_MASTERS[group], ws, f"D{head}")
            masters[group] = GROUP_MASTERS[group]
            ws.cell(row=head, column=5, value="Rows failing")
            ws.cell(row=head, column=6, value=f"=COUNTIF({span},FALSE)")
            failing.append(f"F{head}")
            status_cells.append(f"D{head}")
            if group != "integrity":
                ws.cell(row=head, column=7, value="Not applicable")
                ws.cell(row=head, column=9, value=f'=COUNTIF({span},"{NOT_APPLICABLE}")')
        for i, (chk, inputs) in enumerate(rows):
            _write_row(ws, top + i, number + i + 1, chk, [flags[n] for n in inputs], inputs)
        status_cells.append(span)
        number += len(rows)
        r = bottom + 1
    last = r - 1
    ws["A4"] = "Master check"
    ws["A4"].font = Font(bold=True, size=12)
    ws["D4"] = "=AND({})".format(",".join(masters[g] for g in GROUP_MASTERS))
    ws["D4"].font = Font(bold=True, size=12)
    ws["E4"] = "Rows failing"
    ws["F4"] = "=" + "+".join(failing) if failing else "=0"
    ws["G4"] = "Known discrepancies"
    ws["I4"] = f"=COUNTA(J{first}:J{last})"
    model.define(MASTER_CHECK, ws, "D4")
    sheet = quote_sheetname(CHECKS_SHEET)
    for name in GROUP_MASTERS.values():
        if name in model.names:
            model.output("Model", name.lower(), "", "flag", model.names[name])
    model.output("Model", MASTER_CHECK.lower(), "", "flag", f"{sheet}!$D$4")
    model.output("Model", "rows_failing", "", "count", f"{sheet}!$F$4")
    model.output("Model", "known_discrepancies", "", "count", f"{sheet}!$I$4")
    for rule_range in (*status_cells, "D4"):
        for value, fill in (("TRUE", GREEN), ("FALSE", RED), (f'"{NOT_APPLICABLE}"', GREY)):
            ws.conditional_formatting.add(
                rule_range, CellIsRule(operator="equal", formula=[value], fill=fill)
            )
    ws.freeze_panes = f"C{first}"
    w.row = last + 2
    w.section(
        "Reported figures the model does not recompute",
        "The seed prints no inputs for these; each says how the model uses it.",
    )
    for j, text in enumerate(("#", "Figure", "Source", "Reported", "Why not checked"), start=1):
        ws.cell(row=w.row, column=j if j < 4 else j + 1, value=text)
    style_header([ws.cell(row=w.row, column=c) for c in (1, 2, 3, 5, 6)])
    w.row += 1
    for i, (key, reason) in enumerate(sorted(model.unchecked.items())):
        r = w.row + i
        _, entity, metric, period = key
        ws.cell(row=r, column=1, value=i + 1)
        write_text(ws, r, 2, f"{entity} {metric} {period}".strip())
        write_text(ws, r, 3, model.source(*key))
        cell = ws.cell(row=r, column=5, value=f"={model.ref(*key)}")
        cell.font = Font(color="008000")
        cell.number_format = UNITS[str(model.row(*key)["unit"])][1]
        write_text(ws, r, 6, reason)
    model.blocks["checks"] = {"first": first, "last": last}  # type: ignore[assignment]


def _write_row(ws, r: int, number: int, chk: Check, flags: list[str], inputs: list[str]) -> None:
    """One check: model, reported, difference, tolerance, holds, known, status, inputs."""
    ws.cell(row=r, column=1, value=number)
    write_text(ws, r, 2, chk.label)
    write_text(ws, r, 3, chk.source)
    ws.cell(row=r, column=4, value=f"={chk.model}").number_format = chk.number_format
    if chk.group == "integrity" and not chk.reported:
        e = ws.cell(row=r, column=5, value=0)
    else:
        e = ws.cell(row=r, column=5, value=f"={chk.reported}")
        e.font = Font(color="008000")
    e.number_format = chk.number_format
    ws.cell(row=r, column=6, value=f"=ABS(D{r}-E{r})").number_format = "0.0000"
    ws.cell(row=r, column=7, value=chk.tolerance).number_format = "0.0000"
    if chk.detail:
        ws.cell(row=r, column=8, value=f"={chk.detail}")
    else:
        write_text(ws, r, 8, chk.tolerance_note)
    ws.cell(row=r, column=9, value=f"=F{r}<=G{r}")
    if chk.known:
        write_text(ws, r, 10, chk.known)
    holds = f'IF(J{r}="",I{r},NOT(I{r}))'
    if chk.group == "information":
        ws.cell(row=r, column=11, value=INFORMATION)
    elif flags and chk.group != "integrity":
        ws.cell(row=r, column=11, value=f'=IF(OR({",".join(flags)}),"{NOT_APPLICABLE}",{holds})')
    else:
        ws.cell(row=r, column=11, value=f"={holds}")
    if inputs:
        write_text(ws, r, 12, ", ".join(inputs))
