"""What every model-sheet writer shares: the build context, references, checks, layout.

Conventions of the generated sheets (FAST-style):
- periods run down the rows and series across the columns, because every ``AIM_``
  schedule returns one column per series; each column holds one formula all the way down;
- a value from data/ is a green link to its data-sheet cell; an assumption is a blue
  input on the Inputs sheet, used through its defined name; no constant sits inside a
  formula;
- every ``AIM_`` call that returns several cells is an array formula over exactly its
  result range, so it shows whole in every Excel version and in headless engines.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from sheets.model.data_index import DataIndex
from sheets.model.styles import style_header, style_link, style_title
from sheets.model.timeline import PivotLayout, Timeline, pivot_layout
from sheets.sources.loader import DataSet
from sheets.sources.units import UNITS

__all__ = [
    "CHECK_GROUPS",
    "Block",
    "Check",
    "Model",
    "Output",
    "Writer",
    "array_block",
    "col",
    "fmt_of",
    "formula_block",
    "half_unit",
    "link_block",
    "propagate",
    "rng",
]

SECTION_FONT = Font(name="Calibri", size=11, bold=True, color="1F3864")
LABEL_FONT = Font(name="Calibri", color="000000")
UNIT_FONT = Font(name="Calibri", italic=True, color="595959")


def col(n: int) -> str:
    """Column letter of 1-based column ``n``."""
    return get_column_letter(n)


def half_unit(decimals: int) -> float:
    """Half a unit of the last printed digit: the rounding error of a printed figure."""
    return 0.5 * 10.0 ** (-decimals)


def propagate(f: Callable[..., float], values: Sequence[float], halves: Sequence[float]) -> float:
    """First-order bound on how far ``f`` moves when each input moves by its rounding.

    ``sum(|df/dx_i| * h_i)``, with the derivative taken by central differences.
    """
    total = 0.0
    for i, (x, h) in enumerate(zip(values, halves, strict=True)):
        if h == 0:
            continue
        up = list(values)
        down = list(values)
        up[i] = x + h
        down[i] = x - h
        total += abs(f(*up) - f(*down)) / 2.0
    return total


CHECK_GROUPS = ("integrity", "seed", "reconciliation", "information")
"""integrity: must hold whatever the inputs (sums, balances, no error values); seed: the
model reproduces a figure the report prints; reconciliation: filings against the report,
modelled against reported; information: shown, never a failure (the report's estimates
against the actuals filed since)."""


@dataclass
class Check:
    """One row of the Checks sheet: a figure the seed prints, recomputed by the model."""

    label: str
    model: str  # a formula expression giving the model's value (usually a reference)
    reported: str  # a reference to the reported figure (a data cell)
    tolerance: float
    tolerance_note: str
    source: str
    number_format: str
    known: str = ""  # a known discrepancy: why the report's figure cannot be reproduced
    group: str = "seed"  # one of CHECK_GROUPS
    detail: str = ""  # a text formula expression naming what the row read (shown in H)


@dataclass(frozen=True)
class Output:
    """One headline figure for ``aimodel outputs`` (and the Outputs sheet).

    ``entity`` as data/ names it (Amazon, Microsoft, OpenAI, Total ...), ``metric``
    snake_case (``capex_to_ocf_ttm``), ``period`` ``2025Q3``, ``2025`` or "" , ``unit``
    one of sheets/sources/units.py, ``ref`` an absolute reference with its sheet
    (``'Capex'!$D$8``) or a formula expression computing the value.
    """

    entity: str
    metric: str
    period: str
    unit: str
    ref: str
    periods: tuple[str, ...] = ()  # for a series: ``ref`` is a column range, one per period


@dataclass
class Model:
    """The build context shared by the sheet writers."""

    wb: Workbook
    data: DataSet
    index: DataIndex
    names: dict[str, str] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    checked: set[tuple[str, str, str, str]] = field(default_factory=set)
    unchecked: dict[tuple[str, str, str, str], str] = field(default_factory=dict)
    blocks: dict[str, Block] = field(default_factory=dict)
    outputs: list[Output] = field(default_factory=list)
    timeline: Timeline | None = None
    pivot: PivotLayout | None = None

    def __post_init__(self) -> None:
        if self.data.filings is not None and self.timeline is None:
            self.timeline = Timeline.from_data(self.data)
            self.pivot = pivot_layout(self.data, self.timeline)

    # data access -------------------------------------------------------------------
    def row(self, stem: str, entity: str, metric: str, period: str = "") -> pd.Series:
        frame = self.data.frame(stem)
        hit = frame[
            (frame["entity"] == entity) & (frame["metric"] == metric) & (frame["period"] == period)
        ]
        if len(hit) != 1:
            raise KeyError(f"data/{stem}.csv has no row {entity}/{metric}/{period or '-'}")
        return hit.iloc[0]

    def ref(self, stem: str, entity: str, metric: str, period: str = "") -> str:
        return self.index.ref(stem, entity, metric, period)

    def value(self, stem: str, entity: str, metric: str, period: str = "") -> float:
        return float(self.row(stem, entity, metric, period)["value"])

    def half(self, stem: str, entity: str, metric: str, period: str = "") -> float:
        return half_unit(int(self.row(stem, entity, metric, period)["decimals"]))

    def source(self, stem: str, entity: str, metric: str, period: str = "") -> str:
        r = self.row(stem, entity, metric, period)
        return f"{r['seed_table']} line {r['seed_line']} (data/{stem}.csv line {r['csv_line']})"

    def has(self, stem: str, entity: str, metric: str, period: str = "") -> bool:
        return self.index.has(stem, entity, metric, period)

    # names and checks ------------------------------------------------------------------
    def define(self, name: str, ws: Worksheet, cell: str) -> None:
        if name in self.names:
            raise ValueError(f"defined name {name} written twice")
        letters = "".join(ch for ch in cell if ch.isalpha())
        digits = "".join(ch for ch in cell if ch.isdigit())
        ref = f"{quote_sheetname(ws.title)}!${letters}${digits}"
        self.wb.defined_names[name] = DefinedName(name, attr_text=ref)
        self.names[name] = ref

    def check(
        self,
        key: tuple[str, str, str, str],
        label: str,
        model: str,
        compute: Callable[..., float] | None = None,
        inputs: Sequence[tuple[str, str, str, str]] = (),
        known: str = "",
        extra_tolerance: float = 0.0,
        note: str = "",
        group: str = "seed",
    ) -> None:
        """Add a Checks row for the reported figure ``key`` (stem, entity, metric, period).

        The tolerance is the reported figure's own rounding (half a unit of its last
        printed digit) plus, when ``compute`` reproduces the model's arithmetic in Python
        from ``inputs`` (data keys), how far the inputs' own rounding can move the result.
        """
        if "!" not in model:
            raise ValueError(f"check {label!r}: model reference {model!r} needs its sheet")
        reported = self.row(*key)
        tol = half_unit(int(reported["decimals"]))
        parts = [f"printed rounding ±{tol:g}"]
        if compute is not None and inputs:
            values = [self.value(*k) for k in inputs]
            halves = [self.half(*k) for k in inputs]
            spread = propagate(compute, values, halves)
            if spread > 0:
                tol += spread
                parts.append(f"inputs' rounding ±{_sig(spread)}")
        if extra_tolerance:
            tol += extra_tolerance
            parts.append(note or f"±{extra_tolerance:g}")
        self.checks.append(
            Check(
                label=label,
                model=model,
                reported=self.ref(*key),
                tolerance=_round_up(tol),
                tolerance_note="; ".join(parts),
                source=self.source(*key),
                number_format=UNITS[str(reported["unit"])][1],
                known=known,
                group=group,
            )
        )
        self.checked.add(key)

    def reconcile(
        self,
        label: str,
        model: str,
        reported: str,
        tolerance: float,
        tolerance_note: str,
        source: str,
        number_format: str,
        known: str = "",
        group: str = "reconciliation",
    ) -> None:
        """Add a Checks row comparing two model expressions (e.g. a filed figure with the
        report's), in the reconciliation or information group."""
        if group not in ("reconciliation", "information"):
            raise ValueError(f"reconcile: group must be reconciliation or information ({group})")
        for what, ref in (("model", model), ("reported", reported)):
            if "!" not in ref:
                raise ValueError(f"check {label!r}: {what} reference {ref!r} needs its sheet")
        self.checks.append(
            Check(
                label=label,
                model=model,
                reported=reported,
                tolerance=_round_up(tolerance),
                tolerance_note=tolerance_note,
                source=source,
                number_format=number_format,
                known=known,
                group=group,
            )
        )

    def output(self, entity: str, metric: str, period: str, unit: str, ref: str) -> None:
        """Declare a headline figure (see :class:`Output`); each key at most once."""
        if unit not in UNITS:
            raise ValueError(f"output {entity}/{metric}/{period}: unknown unit {unit!r}")
        if "!" not in ref:
            raise ValueError(f"output {entity}/{metric}/{period}: {ref!r} needs its sheet")
        key = (entity, metric, period)
        if any((o.entity, o.metric, o.period) == key for o in self.outputs):
            raise ValueError(f"output {'/'.join(key)} declared twice")
        self.outputs.append(Output(entity, metric, period, unit, ref))

    def output_series(
        self, entity: str, metric: str, unit: str, block: Block, name: str, periods: Sequence[str]
    ) -> None:
        """Declare a whole column of a block as one output per period (``periods`` in the
        block's row order); empty cells (forecast rows, nothing filed) are not listed."""
        if len(periods) != block.last - block.first + 1:
            raise ValueError(f"output {entity}/{metric}: {len(periods)} periods for the block")
        if unit not in UNITS:
            raise ValueError(f"output {entity}/{metric}: unknown unit {unit!r}")
        self.outputs.append(
            Output(entity, metric, "", unit, block.range(name, sheet=True), tuple(periods))
        )

    def not_checked(self, key: tuple[str, str, str, str], reason: str) -> None:
        """Record a reported figure the model cannot recompute, with the reason."""
        self.row(*key)
        self.unchecked[key] = reason


def _sig(x: float) -> str:
    return f"{x:.2g}"


def _round_up(x: float) -> float:
    """Round a tolerance up to 3 significant digits (never tighter than computed)."""
    if x <= 0:
        return 0.0
    scale = 10 ** (math.floor(math.log10(x)) - 2)
    return math.ceil(x / scale - 1e-9) * scale


class Writer:
    """Writes labelled blocks onto one model sheet, top to bottom.

    Column A holds labels (period labels in time blocks), column B units, and the
    series start in column C.
    """

    FIRST = 3  # first series column (C)

    def __init__(self, model: Model, title: str, purpose: str, tab: str = "1F3864"):
        self.model = model
        self.ws = model.wb.create_sheet(title)
        style_title(self.ws, title, purpose)
        self.ws.sheet_properties.tabColor = tab
        self.ws.column_dimensions["A"].width = 44
        self.ws.column_dimensions["B"].width = 14
        self.row = 4

    @property
    def title(self) -> str:
        return self.ws.title

    def section(self, text: str, note: str = "") -> None:
        """A bold section heading (and an optional note under it)."""
        self.row += 1
        self.ws.cell(row=self.row, column=1, value=text).font = SECTION_FONT
        if note:
            self.row += 1
            c = self.ws.cell(row=self.row, column=1, value=note)
            c.font = UNIT_FONT
        self.row += 1

    def header(self, first_label: str, unit: str, names: Sequence[str]) -> int:
        """A header row: a label, the unit, then one heading per series; returns its row."""
        r = self.row
        self.ws.cell(row=r, column=1, value=first_label)
        self.ws.cell(row=r, column=2, value=unit)
        for j, name in enumerate(names):
            self.ws.cell(row=r, column=self.FIRST + j, value=name)
            width = self.ws.column_dimensions[col(self.FIRST + j)].width or 0
            self.ws.column_dimensions[col(self.FIRST + j)].width = max(width, 14)
        style_header(self.ws[r][: self.FIRST - 1 + len(names)])
        self.row += 1
        return r

    def labels(self, labels: Sequence[str], unit: str = "") -> tuple[int, int]:
        """Write row labels down column A from the current row; return (first, last) rows."""
        first = self.row
        for i, label in enumerate(labels):
            self.ws.cell(row=first + i, column=1, value=label).font = LABEL_FONT
            if unit:
                self.ws.cell(row=first + i, column=2, value=unit).font = UNIT_FONT
        self.row = first + len(labels)
        return first, first + len(labels) - 1

    def put(self, row: int, column: int, formula: str, fmt: str | None = None, link: bool = False):
        cell = self.ws.cell(row=row, column=column, value=formula)
        if fmt:
            cell.number_format = fmt
        if link:
            style_link(cell)
        return cell

    def array(
        self, top: int, column: int, rows: int, columns: int, formula: str, fmt: str | None = None
    ) -> str:
        """An array formula over exactly ``rows`` x ``columns`` cells; returns its range."""
        ref = f"{col(column)}{top}:{col(column + columns - 1)}{top + rows - 1}"
        self.ws.cell(row=top, column=column).value = ArrayFormula(ref, formula)
        if fmt:
            for r in range(top, top + rows):
                for c in range(column, column + columns):
                    self.ws.cell(row=r, column=c).number_format = fmt
        return ref

    def note(self, text: str) -> None:
        c = self.ws.cell(row=self.row, column=1, value=text)
        c.font = UNIT_FONT
        c.alignment = Alignment(wrap_text=False)
        self.row += 1


def rng(ws_title: str | None, column: int, first: int, last: int, absolute: bool = True) -> str:
    """A column range such as ``$C$8:$C$15`` (with its sheet when ``ws_title`` is given)."""
    d = "$" if absolute else ""
    ref = f"{d}{col(column)}{d}{first}:{d}{col(column)}{d}{last}"
    return f"{quote_sheetname(ws_title)}!{ref}" if ws_title else ref


def fmt_of(unit: str) -> str:
    return UNITS[unit][1]


@dataclass
class Block:
    """A time block on a model sheet: periods down rows ``first..last``, one column per series."""

    sheet: str
    first: int
    last: int
    columns: dict[str, int]

    def range(self, name: str, absolute: bool = True, sheet: bool = False) -> str:
        return rng(
            self.sheet if sheet else None, self.columns[name], self.first, self.last, absolute
        )

    def cell(self, name: str, i: int) -> str:
        """The cell of series ``name`` in the block's ``i``-th period (0-based)."""
        return f"{col(self.columns[name])}{self.first + i}"

    def ref(self, name: str, i: int) -> str:
        """Like :meth:`cell`, with the sheet name: ``'Capex'!C8``."""
        return f"{quote_sheetname(self.sheet)}!{self.cell(name, i)}"


def _open_block(
    w: Writer, title: str, unit: str, periods: Sequence[str], series: Sequence[str], note: str
) -> tuple[int, int, dict[str, int]]:
    """Section heading, header row and period labels; returns (first, last, columns)."""
    w.section(title, note)
    w.header("Period", unit, series)
    first, last = w.labels(periods)
    return first, last, {name: Writer.FIRST + j for j, name in enumerate(series)}


def link_block(
    w: Writer,
    title: str,
    unit: str,
    periods: Sequence[str],
    series: Sequence[str],
    key: Callable[[str, str], tuple | None],
    note: str = "",
) -> Block:
    """Green links to data cells: ``key(series, period)`` gives the data key or None (blank)."""
    first, last, columns = _open_block(w, title, unit, periods, series, note)
    for name, c in columns.items():
        for i, period in enumerate(periods):
            k = key(name, period)
            if k is not None and w.model.has(*k):
                w.put(first + i, c, f"={w.model.ref(*k)}", fmt_of(unit), link=True)
    return Block(w.title, first, last, columns)


def formula_block(
    w: Writer,
    title: str,
    unit: str,
    periods: Sequence[str],
    series: Sequence[str],
    formula: Callable[[str, int, int], str | None],
    note: str = "",
    fmt: str | None = None,
) -> Block:
    """One native formula per cell: ``formula(series, i, row)`` (None leaves it blank)."""
    first, last, columns = _open_block(w, title, unit, periods, series, note)
    for name, c in columns.items():
        for i in range(len(periods)):
            text = formula(name, i, first + i)
            if text is not None:
                w.put(first + i, c, text, fmt or fmt_of(unit))
    return Block(w.title, first, last, columns)


def array_block(
    w: Writer,
    title: str,
    unit: str,
    periods: Sequence[str],
    series: Sequence[str],
    call: Callable[[str], tuple[str, int] | None],
    note: str = "",
    fmt: str | None = None,
) -> Block:
    """One ``AIM_`` array formula per column: ``call(series)`` gives (formula, rows)."""
    first, last, columns = _open_block(w, title, unit, periods, series, note)
    for name, c in columns.items():
        spec = call(name)
        if spec is not None:
            text, rows = spec
            w.array(first, c, rows, 1, text, fmt or fmt_of(unit))
    return Block(w.title, first, last, columns)
