"""The Checks sheet: every derived figure the seed prints, recomputed and compared.

One row per figure: the model's value (a formula into the model sheets), the reported
value (a link to data/), the difference, the tolerance (the reported figure's printed
rounding plus how far the rounding of its printed inputs can move the model's value),
and whether it holds. A figure the report gets wrong beyond rounding is a *known
discrepancy*: its reason is written beside it and its status is TRUE while the
discrepancy persists (so a correction in data/ turns it FALSE and asks for the note to
go). The master check is TRUE only when every status is.

Reported figures the model cannot recompute (the seed prints no inputs for them) are
listed below the checks with the reason.
"""

from __future__ import annotations

from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill

from sheets.model.base import Model, Writer
from sheets.styles import style_header, write_text
from sheets.units import UNITS

__all__ = ["CHECKS_SHEET", "MASTER_CHECK", "write_checks"]

CHECKS_SHEET = "Checks"
MASTER_CHECK = "Master_check"
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
)
GREEN = PatternFill("solid", start_color="C6EFCE", end_color="C6EFCE")
RED = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")


def write_checks(model: Model) -> None:
    w = Writer(
        model,
        CHECKS_SHEET,
        "Every derived figure the seed prints, recomputed by the model. Status is TRUE "
        "when the row holds; the master check is TRUE only when every row does.",
        tab="C00000",
    )
    ws = w.ws
    for letter, width in zip("ABCDEFGHIJK", (5, 58, 40, 12, 12, 12, 12, 44, 8, 60, 8), strict=True):
        ws.column_dimensions[letter].width = width
    n = len(model.checks)
    first = 7
    last = first + n - 1
    ws["A4"] = "Master check"
    ws["A4"].font = Font(bold=True, size=12)
    ws["D4"] = f"=AND(K{first}:K{last})"
    ws["D4"].font = Font(bold=True, size=12)
    ws["E4"] = "Rows failing"
    ws["F4"] = f"=COUNTIF(K{first}:K{last},FALSE)"
    ws["G4"] = "Known discrepancies"
    ws["I4"] = f"=COUNTA(J{first}:J{last})"
    model.define(MASTER_CHECK, ws, "D4")
    for j, text in enumerate(HEAD, start=1):
        ws.cell(row=first - 1, column=j, value=text)
    style_header(ws[first - 1][: len(HEAD)])
    for i, chk in enumerate(model.checks):
        r = first + i
        ws.cell(row=r, column=1, value=i + 1)
        write_text(ws, r, 2, chk.label)
        write_text(ws, r, 3, chk.source)
        ws.cell(row=r, column=4, value=f"={chk.model}").number_format = chk.number_format
        e = ws.cell(row=r, column=5, value=f"={chk.reported}")
        e.number_format = chk.number_format
        e.font = Font(color="008000")
        ws.cell(row=r, column=6, value=f"=ABS(D{r}-E{r})").number_format = "0.0000"
        ws.cell(row=r, column=7, value=chk.tolerance).number_format = "0.0000"
        write_text(ws, r, 8, chk.tolerance_note)
        ws.cell(row=r, column=9, value=f"=F{r}<=G{r}")
        if chk.known:
            write_text(ws, r, 10, chk.known)
        ws.cell(row=r, column=11, value=f'=IF(J{r}="",I{r},NOT(I{r}))')
    for rule_range in (f"K{first}:K{last}", "D4"):
        ws.conditional_formatting.add(
            rule_range, CellIsRule(operator="equal", formula=["TRUE"], fill=GREEN)
        )
        ws.conditional_formatting.add(
            rule_range, CellIsRule(operator="equal", formula=["FALSE"], fill=RED)
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
