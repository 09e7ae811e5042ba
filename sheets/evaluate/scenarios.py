"""Scenarios: the headline outputs under other inputs, from one load of the workbook.

``aimodel outputs model.xlsm --set NAME=VALUE ...`` and ``aimodel scenarios model.xlsm
SCENARIOS.csv``. The workbook is loaded into the ``formulas`` engine once and compiled
into one function from the named inputs' analyst cells (column E of the Inputs sheet, the
cells an analyst types in) to the cells the Outputs sheet lists
(``ExcelModel.compile``); each scenario is then one call of that function, which
evaluates only what depends on the inputs it sets.

A value is what an analyst would type in the analyst cell: a number, a text for a choice
input, or an empty field for a blank cell (the input then uses its seed value). The value
must pass the cell's data validation (the rule Excel enforces when a value is typed); a
name that is not an input, or a value the rule refuses, is an :class:`ScenarioError`.

The scenario file is CSV: a header ``scenario,<input name>,<input name>,...``, then one
row per scenario, its name then one value per input.
"""

from __future__ import annotations

import csv
import io
import json
import math
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sheets.evaluate.headless import Loaded, collector_paused, load
from sheets.evaluate.outputs import OutputRow, index_rows, output_cells
from sheets.model.inputs import INPUTS_SHEET
from sheets.sources.paths import require_workbook
from udfs.errors import AimError

__all__ = [
    "InputCell",
    "ScenarioError",
    "Scenarios",
    "format_scenarios",
    "parse_setting",
    "read_scenarios",
]

ANALYST_COLUMN = "E"
IN_USE_COLUMN = "F"


class ScenarioError(AimError):
    """An unknown input name, a value its cell refuses, or an unreadable scenario file."""


@dataclass(frozen=True)
class InputCell:
    """One named input: its analyst cell and the data validation Excel applies to it."""

    name: str
    cell: str  # the analyst cell on the Inputs sheet, e.g. E12
    type: str  # whole | decimal | list | "" (no rule)
    operator: str
    low: float | None
    high: float | None
    choices: tuple[str, ...]
    message: str  # the workbook's own error alert

    def coerce(self, text: str) -> Any:
        """The value typed as ``text``, checked against the cell's rule (blank: ``None``)."""
        text = text.strip()
        if text == "":
            return None
        if self.type == "list":
            if text not in self.choices:
                raise ScenarioError(self._refused(text))
            return text
        try:
            value = float(text)
        except ValueError:
            if self.type in ("whole", "decimal"):
                raise ScenarioError(self._refused(text)) from None
            return text
        if not math.isfinite(value):
            raise ScenarioError(self._refused(text))
        if self.type == "whole" and value != int(value):
            raise ScenarioError(self._refused(text))
        if self.type in ("whole", "decimal") and not self._within(value):
            raise ScenarioError(self._refused(text))
        return value

    def _within(self, x: float) -> bool:
        low, high, op = self.low, self.high, self.operator or "between"
        checks = {
            "between": lambda: low <= x <= high,
            "notBetween": lambda: not low <= x <= high,
            "greaterThanOrEqual": lambda: x >= low,
            "greaterThan": lambda: x > low,
            "lessThanOrEqual": lambda: x <= low,
            "lessThan": lambda: x < low,
            "equal": lambda: x == low,
            "notEqual": lambda: x != low,
        }
        return checks[op]()

    def _refused(self, text: str) -> str:
        why = self.message or f"not allowed by the cell's {self.type} rule"
        return f"{self.name}={text}: {why}"


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None  # a rule bound that is a formula: not checked here


def input_cells(book: Any) -> dict[str, InputCell]:
    """Every named input of the workbook: the defined names that point at the Inputs
    sheet's in-use column, each with the analyst cell of its row and that cell's rule."""
    from openpyxl.utils.cell import range_boundaries

    if INPUTS_SHEET not in book.sheetnames:
        raise ScenarioError(f"the workbook has no {INPUTS_SHEET} sheet")
    ws = book[INPUTS_SHEET]
    rules: dict[str, Any] = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            min_col, min_row, max_col, max_row = range_boundaries(rng.coord)
            for row in range(min_row, max_row + 1):
                rules[f"{ANALYST_COLUMN}{row}"] = dv if min_col <= 5 <= max_col else None
    out = {}
    for name, defined in book.defined_names.items():
        text = str(defined.attr_text or "")
        if "!" not in text:
            continue
        sheet, ref = text.rsplit("!", 1)
        if sheet.strip("'") != INPUTS_SHEET or not ref.startswith(f"${IN_USE_COLUMN}$"):
            continue
        cell = f"{ANALYST_COLUMN}{ref.rsplit('$', 1)[1]}"
        dv = rules.get(cell)
        if dv is None:
            out[name] = InputCell(name, cell, "", "", None, None, (), "")
            continue
        choices = ()
        if dv.type == "list" and dv.formula1:
            choices = tuple(c.strip() for c in dv.formula1.strip('"').split(","))
        out[name] = InputCell(
            name,
            cell,
            dv.type or "",
            dv.operator or "",
            _number(dv.formula1),
            _number(dv.formula2),
            choices,
            dv.error or "",
        )
    return out


def parse_setting(text: str) -> tuple[str, str]:
    """``NAME=VALUE`` -> (name, value text)."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise ScenarioError(f"--set {text}: expected NAME=VALUE")
    return name.strip(), value


def read_scenarios(path: Path | str) -> list[tuple[str, dict[str, str]]]:
    """The scenario file: ``[(scenario, {input name: value text})]`` in file order."""
    path = Path(path)
    if not path.is_file():
        raise ScenarioError(f"{path}: no such scenario file")
    with path.open(newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    if not rows or not rows[0] or rows[0][0].strip() != "scenario":
        raise ScenarioError(f"{path}:1: the header must start with 'scenario'")
    names = [n.strip() for n in rows[0][1:]]
    if len(set(names)) != len(names) or "" in names:
        raise ScenarioError(f"{path}:1: input names must be given once each")
    out = []
    seen = set()
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names) + 1:
            raise ScenarioError(
                f"{path}:{line}: {len(row)} fields, the header has {len(names) + 1}"
            )
        name = row[0].strip()
        if not name or name in seen:
            raise ScenarioError(f"{path}:{line}: scenario name {name!r} empty or repeated")
        seen.add(name)
        out.append((name, dict(zip(names, row[1:], strict=True))))
    if not out:
        raise ScenarioError(f"{path}: no scenarios below the header")
    return out


class Scenarios:
    """A workbook loaded and compiled once, answering the outputs for given inputs.

    ``names`` are the inputs a scenario may set (compiling for fewer inputs makes each
    scenario cheaper); ``check`` settings to validate before compiling. ``seconds``
    records the CPU seconds of loading+compiling, finish,
    compile (which evaluates the workbook once) and the last scenario.
    """

    def __init__(
        self, path: Path | str, names: Iterable[str], check: Iterable[Mapping[str, str]] = ()
    ):
        path = require_workbook(path)
        self.loaded: Loaded = load(path)
        book = self.loaded.book
        self.inputs = input_cells(book)
        self.names = list(dict.fromkeys(names))
        unknown = [n for n in self.names if n not in self.inputs]
        if unknown:
            raise ScenarioError(f"{unknown[0]}: no such input on the {INPUTS_SHEET} sheet")
        for settings in check:  # refuse a bad value before the compile, not after
            self.coerce(settings)
        self.index = index_rows(book)
        self.cells = output_cells(self.index)
        self._at = self._locate(self.cells)
        # a cell outside the graph (a constant no formula reads, or empty) does not move
        self._fixed = {
            ref: self.loaded.unread.get(self._key(ref)) for ref in self.cells if ref not in self._at
        }
        self._input_ids = [self._node(f"{INPUTS_SHEET}!{self.inputs[n].cell}") for n in self.names]
        ws = book[INPUTS_SHEET]
        self.saved = {n: ws[self.inputs[n].cell].value for n in self.names}
        outputs = list(dict.fromkeys(node for node, _, _ in self._at.values()))
        start = time.process_time()
        with collector_paused():
            self._function = _compile(self.loaded.model, self._input_ids, outputs)
        self._outputs = outputs
        self.loaded.seconds["compile"] = time.process_time() - start

    def _locate(self, refs: list[str]) -> dict[str, tuple[str, int, int]]:
        """Where each cell's value is in the graph: (node, row, column in the node's
        value); a cell of an array formula is a position in the formula's range node."""
        model = self.loaded.model
        nodes = model.dsp.nodes
        spans: dict[str, list[tuple[str, dict]]] = {}
        for node, cell in model.cells.items():
            rng = cell.range.ranges[0] if cell.range is not None else None
            if rng and (rng["n1"], rng["r1"]) != (rng["n2"], rng["r2"]):
                spans.setdefault(rng["sheet_id"], []).append((node, rng))
        out = {}
        for ref in refs:
            node = self._node(ref)
            if node in nodes:
                out[ref] = (node, 0, 0)
                continue
            sheet_id, cell = node.rsplit("!", 1)
            from openpyxl.utils.cell import coordinate_to_tuple

            row, col = coordinate_to_tuple(cell)
            for span, rng in spans.get(sheet_id, ()):
                if int(rng["r1"]) <= row <= int(rng["r2"]) and rng["n1"] <= col <= rng["n2"]:
                    out[ref] = (span, row - int(rng["r1"]), col - rng["n1"])
                    break
        return out

    @staticmethod
    def _key(ref: str) -> tuple[str, str]:
        sheet, cell = ref.rsplit("!", 1)
        return sheet.strip("'").replace("''", "'").upper(), cell.replace("$", "")

    def _node(self, ref: str) -> str:
        """The engine's node id of a single cell ``Sheet!A1``."""
        from formulas.ranges import Ranges

        sheet, cell = ref.rsplit("!", 1)
        sheet = sheet.strip("'").replace("''", "'")
        ctx = dict(self.loaded.context, sheet=sheet.upper())
        return Ranges.get_range(cell.replace("$", ""), ctx)["name"]

    def coerce(self, settings: Mapping[str, str]) -> dict[str, Any]:
        """Check every NAME=VALUE against the input's cell rule; blank values stay blank."""
        out = {}
        for name, text in settings.items():
            if name not in self.inputs:
                raise ScenarioError(f"{name}: no such input on the {INPUTS_SHEET} sheet")
            out[name] = self.inputs[name].coerce(text)
        return out

    def evaluate(self, settings: Mapping[str, str]) -> list[OutputRow]:
        """The outputs with ``settings`` (input name -> typed text) in the analyst cells;
        inputs not set keep the workbook's saved values."""
        import numpy as np
        import schedula

        values = self.coerce(settings)
        extra = set(values) - set(self.names)
        if extra:
            raise ScenarioError(f"{sorted(extra)[0]}: not among the inputs this run compiled")
        start = time.process_time()
        args = []
        for name in self.names:
            v = values.get(name, self.saved[name]) if name in values else self.saved[name]
            args.append(np.asarray([[schedula.EMPTY if v is None else v]], dtype=object))
        with collector_paused():  # a collection would re-scan the whole graph (0.7 s)
            results = self._function(*args)
        if len(self._outputs) == 1:
            results = (results,)
        by_id = dict(zip(self._outputs, results, strict=True))
        cells = dict(self._fixed)
        for ref, (node, i, j) in self._at.items():
            cells[ref] = _cell_value(by_id[node], i, j)
        rows = _rows(self.index, cells)
        self.loaded.seconds["scenario"] = time.process_time() - start
        return rows


def _compile(model: Any, inputs: list[str], outputs: list[str]) -> Any:
    """``formulas.ExcelModel.compile(inputs, outputs)``, line for line, except that the
    dispatcher's ``data_nodes`` (a dict the dispatcher rebuilds on every access) is read
    once rather than once per value of the first evaluation: about 10 s on model.xlsm."""
    dsp = model.dsp.shrink_dsp(inputs=inputs, outputs=outputs)
    inp = set(inputs)
    nodes = dsp.nodes
    for i in inputs:
        inp.update(nodes.get(i, {}).get("inv-data", ()))
    dsp.default_values = {k: v for k, v in dsp.default_values.items() if k not in inp}

    res = dsp()

    dsp = dsp.get_sub_dsp_from_workflow(
        outputs, graph=dsp.dmap, reverse=True, blockers=res, wildcard=False
    )
    data_nodes = dsp.data_nodes
    for k, v in res.items():
        if k in data_nodes and k not in dsp.default_values:
            dsp.set_default_value(k, v.value)

    return model.compile_class(dsp=dsp, function_id=model.dsp.name, inputs=inputs, outputs=outputs)


def _cell_value(value: Any, i: int, j: int) -> Any:
    """One cell of an engine value (a Ranges, an array or a scalar), as recalculate gives it."""
    import numpy as np

    value = getattr(value, "value", value)
    array = np.atleast_2d(np.asarray(value, dtype=object))
    v = array[i, j] if i < array.shape[0] and j < array.shape[1] else None
    if isinstance(v, np.generic):
        return v.item()
    if type(v).__name__ == "Token":  # the engine's empty cell
        return None
    return v


def _rows(index: list[tuple[str, ...]], cells: Mapping[str, Any]) -> list[OutputRow]:
    from sheets.evaluate.outputs import rows_from_values

    return rows_from_values(index, lambda ref: cells.get(ref))


def format_scenarios(results: list[tuple[str, list[OutputRow]]], as_json: bool = False) -> str:
    """One table, one row per scenario x output: ``scenario`` then the outputs' columns."""
    records = [{"scenario": name, **asdict(row)} for name, rows in results for row in rows]
    if as_json:
        return json.dumps(records, ensure_ascii=False, indent=1)
    out = io.StringIO()
    fields = ["scenario", *OutputRow.__dataclass_fields__]
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for r in records:
        writer.writerow({k: (repr(v) if isinstance(v, float) else v) for k, v in r.items()})
    return out.getvalue()
