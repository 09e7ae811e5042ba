"""Inputs are validated at entry: every blue cell on the Inputs sheet carries an Excel
data-validation rule (by the input's kind) with a prompt and a stop alert; the rule
refuses out-of-range values and accepts the seed value.

The rules are read back from a built workbook and evaluated here by a small evaluator of
the rule types the build writes (whole, decimal, list; between and >=), as Excel would."""

from __future__ import annotations

import math

import pytest
from openpyxl import load_workbook

from sheets.model.inputs import INPUTS_SHEET, inputs_table
from sheets.model.styles import INPUT_FILL
from sheets.model.validation import KINDS, kind_of
from sheets.sources.loader import load_data

from .conftest import DATA

OPERATORS = {
    "between": lambda x, a, b: a <= x <= b,
    "notBetween": lambda x, a, b: not a <= x <= b,
    "equal": lambda x, a, b: x == a,
    "notEqual": lambda x, a, b: x != a,
    "greaterThan": lambda x, a, b: x > a,
    "lessThan": lambda x, a, b: x < a,
    "greaterThanOrEqual": lambda x, a, b: x >= a,
    "lessThanOrEqual": lambda x, a, b: x <= a,
}


def accepts(dv, value) -> bool:
    """Whether Excel lets ``value`` into a cell under the rule ``dv``."""
    if value is None or value == "":
        return bool(dv.allow_blank)
    if dv.type == "list":
        choices = dv.formula1.strip('"').split(",")
        return str(value) in choices
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if dv.type == "whole" and value != math.floor(value):
        return False
    if dv.type not in ("whole", "decimal"):
        raise AssertionError(f"rule type {dv.type} not evaluated here")
    a = float(dv.formula1)
    b = float(dv.formula2) if dv.formula2 is not None else None
    return OPERATORS[dv.operator or "between"](value, a, b)


@pytest.fixture(scope="module")
def rules(built_model):
    """{input name: (cell, its DataValidation)} read back from the saved workbook."""
    ws = load_workbook(built_model)[INPUTS_SHEET]
    by_cell = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            for row in rng.cells:
                by_cell[(row[0], row[1])] = dv
    out = {}
    for r in range(1, ws.max_row + 1):
        name = ws.cell(row=r, column=1).value
        cell = ws.cell(row=r, column=5)
        if cell.fill.fgColor.rgb == INPUT_FILL.fgColor.rgb:
            out[name] = (cell, by_cell.get((r, 5)))
    return out


def seed_values() -> dict[str, float | str]:
    data = load_data(DATA)
    out = {}
    for item in inputs_table():
        if item.data is not None:
            stem, entity, metric, period = item.data
            f = data.frame(stem)
            hit = f[(f.entity == entity) & (f.metric == metric) & (f.period == period)]
            out[item.name] = float(hit["value"].iloc[0])
        else:
            out[item.name] = item.default
    return out


def test_every_blue_input_cell_has_validation(rules):
    assert len(rules) == len(inputs_table())
    missing = [name for name, (_, dv) in rules.items() if dv is None]
    assert not missing
    for name, (_, dv) in rules.items():
        assert dv.showErrorMessage and dv.errorStyle in (None, "stop"), name
        assert dv.showInputMessage and dv.prompt and "Unit:" in dv.prompt, name
        assert "Source:" in dv.prompt and dv.error and dv.errorTitle, name
        assert len(dv.prompt) <= 255 and len(dv.error) <= 255 and len(dv.promptTitle) <= 32


def test_seed_and_default_values_are_accepted(rules):
    seeds = seed_values()
    refused = {n: seeds[n] for n, (_, dv) in rules.items() if not accepts(dv, seeds[n])}
    assert not refused
    # a blank analyst value means "use the seed": always allowed
    assert all(accepts(dv, None) for _, dv in rules.values())


# For each kind: values the rule must refuse.
REFUSED = {
    "share": [-0.01, 1.01, 40, "40%"],
    "life": [0, 2.5, 101, -4],
    "life_q": [0, 0.1, 101, -4.5],
    "periods": [0, 1.5, 1201, -1],
    "count": [0, 8.5, -8],
    "constant": [0, 0.5, -1000],
    "amount": [-1, True],
    "choice": ["quarterly", "Half ", 1],
}


def test_out_of_range_values_are_refused(rules):
    kinds = {item.name: kind_of(item.unit, item.kind) for item in inputs_table()}
    assert set(kinds.values()) <= set(KINDS)
    seen = set()
    for name, (_, dv) in rules.items():
        kind = kinds[name]
        seen.add(kind)
        for bad in REFUSED[kind]:
            assert not accepts(dv, bad), (name, kind, bad)
    assert seen >= {"share", "life", "life_q", "periods", "constant", "amount", "choice"}


def test_amounts_have_unit_bounds(rules):
    # a monthly cost typed as a share (0.11 for 11%) or in the wrong scale is refused
    for name in ("Capital_month_HS", "Opex_month_NG"):
        dv = rules[name][1]
        assert not accepts(dv, 0.11) and not accepts(dv, 99) and accepts(dv, 6742)
        assert not accepts(dv, 1e8)
    assert not accepts(rules["Server_cost"][1], 246.391)  # thousands, not dollars
    assert not accepts(rules["Rent_per_GPU_hour"][1], 1900)  # cents, not dollars
    assert not accepts(rules["RPO_MSFT"][1], 392_000)  # US$m typed where US$bn is asked
    assert accepts(rules["Depr_convention"][1], "full")
