"""Refresh a workbook's data sheets from data/, keeping everything else exactly as it is.

One function, :func:`refresh_target`, does the work for both paths:

- headless, ``aimodel refresh model.xlsm`` (an :class:`OpenpyxlTarget`, saved atomically);
- in Excel, the workbook's macro runs ``model.main()`` through xlwings' RunPython, which
  calls it with an :class:`sheets.workbook.excel_target.XlwingsTarget` on the open workbook.

Only the generated data sheets are rewritten. Sheets an analyst added, Inputs an analyst
edited and every cell outside the data sheets are left alone, and the VBA project is
untouched. Before writing anything the refresh checks that it can do so safely, and
refuses with one clear message otherwise:

- every data file has its generated sheet, and that sheet is one aim generated (an
  analyst sheet that merely has the same name is never overwritten);
- every data-sheet row a formula points at still holds the same (entity, metric, period)
  after the refresh: values may change and rows may be appended, but a row the model uses
  may not move or disappear (rebuild with ``aimodel build`` for that).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

import pandas as pd
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula

from sheets.model.depreciation_fitted import FIT_STEM, calibrate, fit_frame
from sheets.model.timeline import (
    PIVOT_ENTITY_ROW,
    PIVOT_FIRST_COL,
    PIVOT_FIRST_ROW,
    PIVOT_METRIC_ROW,
    PIVOT_STEM,
    PivotLayout,
    Timeline,
    extend_layout,
    parse_layout,
    pivot_layout,
    quarterly_entities,
)
from sheets.sources.atomic import save_atomic
from sheets.sources.filed_facts import LIFE_CHANGES_STEM
from sheets.sources.loader import (
    COLUMNS,
    COMPANIES_STEM,
    FILINGS_STEM,
    KEY,
    DataSet,
    data_stamp,
    load_data,
)
from sheets.sources.paths import require_workbook
from sheets.workbook.datasheets import HEADER_ROW, DataIndex, write_data_sheet
from sheets.workbook.filings_sheets import (
    TITLE_PREFIX,
    beyond_timeline,
    fill_pivot,
    write_companies_sheet,
    write_filings_sheet,
    write_pivot_heads,
)
from udfs.errors import AimError

__all__ = ["OpenpyxlTarget", "RefreshError", "Target", "refresh", "refresh_target"]

_REF = re.compile(
    r"(?:'((?:[^']|'')+)'|([A-Za-z0-9_.]+))!\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?"
)


class RefreshError(AimError):
    """The workbook cannot be refreshed safely; nothing was written."""


class Target(Protocol):
    """What the refresh needs from a workbook, in openpyxl or in a live Excel session."""

    def sheet_names(self) -> list[str]: ...

    def title(self, sheet: str) -> str | None:
        """The text of A1 (a generated data sheet has ``Data: <stem>``)."""

    def header(self, sheet: str) -> list[str]:
        """The table header row of a data sheet."""

    def keys(self, sheet: str) -> list[tuple[str, str, str]]:
        """(entity, metric, period) of every table row, top to bottom."""

    def formulas(self, sheet: str) -> Iterable[str]:
        """Every formula text on a sheet (array formulas included)."""

    def write_data_sheet(self, stem: str, frame: pd.DataFrame) -> None:
        """Rewrite the data sheet ``stem`` in place from ``frame``."""

    def pivot_layout(self) -> PivotLayout | None:
        """The layout of the workbook's ``sec_quarterly`` sheet, or None if it has none."""

    def write_filings(self, data: DataSet, layout: PivotLayout) -> None:
        """Rewrite the companies and sec_filings tables and the sec_quarterly values."""


def referenced_rows(target: Target, data_sheets: set[str]) -> dict[str, set[int]]:
    """Rows of each data sheet that formulas on other sheets point at."""
    out: dict[str, set[int]] = {s: set() for s in data_sheets}
    for sheet in target.sheet_names():
        if sheet in data_sheets:
            continue
        for text in target.formulas(sheet):
            for m in _REF.finditer(text):
                name = (m.group(1) or "").replace("''", "'") or m.group(2)
                if name in out:
                    first = int(m.group(4))
                    last = int(m.group(6) or first)
                    out[name].update(range(first, last + 1))
    return out


def refresh_target(target: Target, data: DataSet) -> list[str]:
    """Check, then rewrite every data sheet of ``target`` from ``data``; return the sheets.

    Raises
    ------
    RefreshError
        When a generated sheet is missing or renamed, a sheet of that name is not one
        aim generated, or a row that formulas use would move; nothing is written then.
    """
    names = target.sheet_names()
    stems = [stem for stem, _ in data]
    layout = _check_filings(target, data, names)
    for stem in stems:
        if stem not in names:
            raise RefreshError(
                f"the workbook has no sheet {stem!r} for data/{stem}.csv: a generated sheet was "
                "renamed or deleted; rename it back, or rebuild with `aimodel build`"
            )
        if target.title(stem) != TITLE_PREFIX + stem or target.header(stem) != list(COLUMNS):
            raise RefreshError(
                f"sheet {stem!r} is not a data sheet aim generated (an analyst sheet with the "
                "same name?); rename that sheet so the refresh can write data/"
                f"{stem}.csv, nothing was changed"
            )
    generated = set(stems) | set(FILINGS_SHEETS) | {FIT_STEM}
    orphans = [n for n in names if target.title(n) == TITLE_PREFIX + n and n not in generated]
    if orphans:
        raise RefreshError(
            f"data sheet {orphans[0]!r} has no file data/{orphans[0]}.csv; restore the file "
            "or rebuild with `aimodel build`"
        )
    frames = list(data)
    if FIT_STEM in names and layout is not None and LIFE_CHANGES_STEM in data.filed:
        # the depreciation fit, rerun on the new data (overrides live on Inputs: untouched)
        frames.append((FIT_STEM, fit_frame(calibrate(data, layout.quarters), layout.quarters)))
    used = referenced_rows(target, {stem for stem, _ in frames})
    for stem, frame in frames:
        old = target.keys(stem)
        new = [tuple(r) for r in frame[list(KEY)].itertuples(index=False, name=None)]
        for row in sorted(used[stem]):
            i = row - HEADER_ROW - 1
            if i < 0 or i >= len(old):
                continue
            before = old[i]
            after = new[i] if i < len(new) else None
            if after != before:
                where = f"data/{stem}.csv line {i + 2}"
                now = "/".join(after) if after else "nothing"
                raise RefreshError(
                    f"{where} now holds {now} where the model's formulas expect "
                    f"{'/'.join(before)}: edit values in place and append new rows at the end, "
                    "or rebuild with `aimodel build`; nothing was changed"
                )
    for stem, frame in frames:
        target.write_data_sheet(stem, frame)
    if layout is not None:
        target.write_filings(data, layout)
        stems = [*stems, *FILINGS_SHEETS]
    return stems + [s for s, _ in frames[len(list(data)) :]]


FILINGS_SHEETS = (COMPANIES_STEM, FILINGS_STEM, PIVOT_STEM)


def _check_filings(target: Target, data: DataSet, names: list[str]) -> PivotLayout | None:
    """The workbook's filings layout, after checking the new filings fit into it."""
    if data.filings is None:
        return None
    for sheet in FILINGS_SHEETS:
        if sheet not in names or target.title(sheet) != TITLE_PREFIX + sheet:
            raise RefreshError(
                f"the workbook has no generated sheet {sheet!r} for the filings in data/: "
                "rebuild it with `aimodel build` once to take filings; nothing was changed"
            )
    layout = target.pivot_layout()
    assert layout is not None
    wanted = pivot_layout(data, Timeline.from_data(data))
    # a company new to data/companies.csv gets columns at the right; none moves
    layout = extend_layout(layout, wanted)
    late = beyond_timeline(data.filings, layout, quarterly_entities(data))
    if late:
        raise RefreshError(
            f"data/sec_filings.csv holds {late}, after the workbook's last quarter "
            f"({layout.quarters[-1]}): rebuild with `aimodel build` to extend the timeline; "
            "nothing was changed"
        )
    return layout


class OpenpyxlTarget:
    """A workbook file loaded with openpyxl (VBA kept)."""

    def __init__(self, wb: Workbook):
        self.wb = wb

    def sheet_names(self) -> list[str]:
        return list(self.wb.sheetnames)

    def title(self, sheet: str) -> str | None:
        value = self.wb[sheet]["A1"].value
        return value if isinstance(value, str) else None

    def header(self, sheet: str) -> list[str]:
        ws = self.wb[sheet]
        return [ws.cell(row=HEADER_ROW, column=c).value for c in range(1, len(COLUMNS) + 1)]

    def keys(self, sheet: str) -> list[tuple[str, str, str]]:
        ws = self.wb[sheet]
        out = []
        for row in ws.iter_rows(min_row=HEADER_ROW + 1, max_col=3, values_only=True):
            if all(v is None for v in row):
                break
            out.append(tuple("" if v is None else str(v) for v in row))
        return out

    def formulas(self, sheet: str) -> Iterable[str]:
        for row in self.wb[sheet].iter_rows():
            for cell in row:
                v = cell.value
                if isinstance(v, ArrayFormula):
                    yield v.text or ""
                elif cell.data_type == "f":
                    yield v

    def write_data_sheet(self, stem: str, frame: pd.DataFrame) -> None:
        position = self.wb.sheetnames.index(stem)
        self.wb.remove(self.wb[stem])
        write_data_sheet(self.wb, stem, frame, DataIndex(), position)

    def pivot_layout(self) -> PivotLayout | None:
        if PIVOT_STEM not in self.wb.sheetnames:
            return None
        ws = self.wb[PIVOT_STEM]

        def row(r: int) -> list:
            return [c.value for c in ws[r]][PIVOT_FIRST_COL - 1 :]

        quarters = [c.value for c in ws["A"]][PIVOT_FIRST_ROW - 1 :]
        return parse_layout(quarters, row(PIVOT_ENTITY_ROW), row(PIVOT_METRIC_ROW))

    def write_filings(self, data: DataSet, layout: PivotLayout) -> None:
        assert data.companies is not None and data.filings is not None
        for stem, writer, frame in (
            (COMPANIES_STEM, write_companies_sheet, data.companies),
            (FILINGS_STEM, write_filings_sheet, data.filings),
        ):
            position = self.wb.sheetnames.index(stem)
            self.wb.remove(self.wb[stem])
            writer(self.wb, frame, position)
        write_pivot_heads(self.wb[PIVOT_STEM], layout)
        fill_pivot(self.wb[PIVOT_STEM], data, layout)


def refresh(workbook: Path | str, data_dir: Path | str) -> Path:
    """Refresh ``workbook``'s data sheets from ``data_dir``, atomically (``aimodel refresh``)."""
    workbook = require_workbook(workbook)
    data = load_data(data_dir)
    try:
        wb = load_workbook(workbook, keep_vba=True)
    except Exception as err:  # openpyxl raises many types for a file it cannot read
        raise RefreshError(f"{workbook}: not a workbook openpyxl can read ({err})") from None
    before = _contents(wb, wb.sheetnames)  # every sheet: whatever the refresh rewrites
    refresh_target(OpenpyxlTarget(wb), data)
    if _same(_contents(wb, wb.sheetnames), before):
        return workbook  # the same data: the file keeps its bytes (and its time)
    return save_atomic(wb, workbook, data_stamp(data))


SAME_REL = 1e-12
"""Two numbers this close (relative) are the same value: the depreciation fit's last digit
differs between the build's and the refresh's run (0.33147207212640634 against
0.3314720721264063 on the same data); no figure in data/ is that precise."""


def _same(a: dict[str, list[tuple]], b: dict[str, list[tuple]]) -> bool:
    """The same sheets, rows and values (numbers to :data:`SAME_REL`)."""
    if a.keys() != b.keys():
        return False
    for name in a:
        if len(a[name]) != len(b[name]):
            return False
        for x, y in zip(a[name], b[name], strict=True):
            if len(x) != len(y):
                return False
            for u, v in zip(x, y, strict=True):
                if u == v:
                    continue
                numbers = all(
                    isinstance(t, (int, float)) and not isinstance(t, bool) for t in (u, v)
                )
                if not (numbers and math.isclose(u, v, rel_tol=SAME_REL, abs_tol=0.0)):
                    return False
    return True


def _contents(wb: Workbook, sheets: list[str]) -> dict[str, list[tuple]]:
    """The cell values of ``sheets``, row by row without trailing empty cells and rows.

    openpyxl does not write a loaded workbook back byte for byte (style ids, empty rows,
    selections move), so a refresh that would change no value does not save at all."""
    out = {}
    for name in sheets:
        rows = []
        for row in wb[name].iter_rows(values_only=True):
            values = list(row)
            while values and values[-1] is None:
                values.pop()
            rows.append(tuple(values))
        while rows and not rows[-1]:
            rows.pop()
        out[name] = rows
    return out
