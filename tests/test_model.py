"""model.xlsm as a working model: the committed workbook recalculates headless with no
error anywhere, every check holds, every AIM_ cell equals a direct call of the Python
function, and the workbook follows the modelling standard (inputs, names, no constants)."""

from __future__ import annotations

import math
import re

import pytest
from formulas.tokens.operand import XlError
from openpyxl import load_workbook
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.worksheet.formula import ArrayFormula

import udfs
from sheets.evaluate.headless import recalculate
from sheets.model.assemble import MODEL_SHEETS
from sheets.model.depreciation_fitted import FIT_STEM
from sheets.model.formula_refs import formula_cells
from sheets.model.inputs import INPUTS_SHEET, inputs_table
from sheets.model.styles import INPUT_FILL
from sheets.sources.filed_facts import FILED_LOADERS
from sheets.sources.loader import load_data
from sheets.workbook.build import build
from sheets.workbook.refresh import FILINGS_SHEETS

from .conftest import DATA, MODEL
from .model_helpers import CALL, Resolver, split_args

ERROR_LITERALS = {"#VALUE!", "#N/A", "#NAME?", "#REF!", "#DIV/0!", "#NUM!", "#NULL!"}


@pytest.fixture(scope="module")
def workbook():
    return load_workbook(MODEL, keep_vba=True)


@pytest.fixture(scope="module")
def values(model_values):
    """The committed model.xlsm, every formula computed by the `formulas` engine."""
    return model_values


def is_error(v) -> bool:
    if isinstance(v, XlError):
        return True
    return isinstance(v, str) and (v.startswith("#AIM!") or v in ERROR_LITERALS)


def test_every_formula_cell_computes_without_error(workbook, values):
    cells = formula_cells(workbook)
    assert len(cells) > 3000  # the model's size: a regression guard, not a tuning knob
    missing = [c for c in cells if (c[0].upper(), c[1]) not in values]
    assert not missing, f"not computed: {missing[:5]}"
    errors = {
        c: values[(c[0].upper(), c[1])] for c in cells if is_error(values[(c[0].upper(), c[1])])
    }
    assert not errors, f"{len(errors)} error cells, e.g. {list(errors.items())[:5]}"


def test_master_check_and_every_status_true(workbook, values):
    ws = workbook["Checks"]
    statuses = [
        (r, values[("CHECKS", f"K{r}")])
        for r in range(7, ws.max_row + 1)
        if isinstance(ws[f"K{r}"].value, str) and ws[f"K{r}"].value.startswith("=IF(")
    ]
    assert len(statuses) > 200
    failing = [(r, ws[f"B{r}"].value) for r, v in statuses if v is not True and v != 1]
    assert not failing
    assert values[("CHECKS", "D4")] in (True, 1)
    assert values[("README", "B4")] in (True, 1)


def test_aim_cells_equal_direct_calls(workbook, values):
    """Each AIM_ array formula's cells equal the Python function called with the same inputs."""
    resolver = Resolver(workbook, values)
    calls = 0
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if not isinstance(cell.value, ArrayFormula):
                    continue
                m = CALL.match(cell.value.text)
                if not m:
                    continue
                fn = getattr(udfs, m.group(1))
                args = [resolver.arg(a, ws.title) for a in split_args(m.group(2))]
                expected = fn(*args)
                assert isinstance(expected, list), (ws.title, cell.coordinate, expected)
                got = resolver.ref(cell.value.ref, ws.title)
                got = got if isinstance(got, list) else [[got]]
                assert len(got) == len(expected), (ws.title, cell.coordinate)
                for g_row, e_row in zip(got, expected, strict=True):
                    for g, e in zip(g_row, e_row, strict=True):
                        if isinstance(e, str):
                            assert g == e, (ws.title, cell.coordinate)
                        else:
                            assert math.isclose(g, e, rel_tol=1e-12, abs_tol=1e-9), (
                                ws.title,
                                cell.coordinate,
                                g,
                                e,
                            )
                calls += 1
    assert calls > 60


def test_sheet_order(workbook):
    names = workbook.sheetnames
    seed = sorted(
        p.stem
        for p in DATA.glob("*.csv")
        if p.stem not in FILINGS_SHEETS and p.stem not in FILED_LOADERS
    )
    # the seed's tables, the filings and their view, then the depreciation fit (dd_fit);
    # the 10-K facts the fit reads (life_changes, pp_e_facts) have no sheet of their own
    data = [*seed, *FILINGS_SHEETS, FIT_STEM]
    assert names == ["README", INPUTS_SHEET, *data, *MODEL_SHEETS[1:], "xlwings.conf"]


def test_inputs_are_styled_named_and_sourced(workbook):
    ws = workbook[INPUTS_SHEET]
    names = {n: d.attr_text for n, d in workbook.defined_names.items()}
    for item in inputs_table():
        ref = names[item.name]
        assert ref.startswith(f"'{INPUTS_SHEET}'!$F$")
        row = int(ref.rsplit("$", 1)[1])
        assert ws[f"A{row}"].value == item.name
        assert ws[f"C{row}"].value, item.name  # a unit
        assert ws[f"G{row}"].value, item.name  # a source
        assert ws[f"E{row}"].fill.fgColor.rgb == INPUT_FILL.fgColor.rgb, item.name
        assert ws[f"F{row}"].value == f'=IF(E{row}="",D{row},E{row})'
        assert (ws[f"D{row}"].value is not None) == (item.data is not None), item.name


NUMBER = re.compile(r"^\d+(\.\d+)?$")


def test_no_constants_inside_model_formulas(workbook):
    """FAST: numbers live in input cells; a formula holds references, names and operators.

    0 and 1 are allowed (ROUNDUP's digits argument, and 1 + growth), as FAST allows them.
    """
    offenders = []
    for (sheet, coord), text in formula_cells(workbook).items():
        if sheet not in MODEL_SHEETS and sheet != "README":
            continue
        for token in Tokenizer(text).items:
            if token.subtype == Token.NUMBER and token.value not in ("0", "1"):
                offenders.append((sheet, coord, text))
    assert not offenders, offenders[:5]


def test_every_reported_figure_is_checked_or_explained():
    from sheets.workbook.build import build_workbook

    model = build_workbook(load_data(DATA)).model
    missing = [
        (stem, r.entity, r.metric, r.period)
        for stem, frame in load_data(DATA)
        for r in frame[frame["kind"] == "reported"].itertuples()
        if (stem, r.entity, r.metric, r.period) not in model.checked
        and (stem, r.entity, r.metric, r.period) not in model.unchecked
    ]
    assert not missing
    assert all(reason for reason in model.unchecked.values())


def _break(data_dir, stem, entity, metric, new_value):
    path = data_dir / f"{stem}.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        parts = line.split(",")
        if parts[:2] == [entity, metric]:
            parts[3] = new_value
            lines[i] = ",".join(parts)
            break
    else:
        raise AssertionError(f"no {entity}/{metric} in {stem}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_checks_can_fail(tmp_path, data_copy):
    """A wrong reported figure turns its row and the master check FALSE; and a corrected
    known discrepancy turns FALSE too, asking for its note to be removed."""
    # 表10 Hyperscaler WACC printed 9.4% (0.75 x 11% + 0.25 x 4.5% = 9.375%); make it 10.4%.
    _break(data_copy, "t10_cloud_tco", "Hyperscaler", "wacc", "0.104")
    # 表10 capital share: print what the costs give, 6742 / 8518 = 0.7915, so the known
    # discrepancy no longer exists.
    _break(data_copy, "t10_cloud_tco", "Hyperscaler", "capital_share_of_tco", "0.7915")
    out = build(data_copy, tmp_path / "model.xlsm")
    values = recalculate(out)
    ws = load_workbook(out)["Checks"]
    rows = {ws[f"B{r}"].value: r for r in range(7, ws.max_row + 1)}
    assert values[("CHECKS", f"K{rows['表10 Hyperscaler WACC']}")] in (False, 0)
    assert values[("CHECKS", f"K{rows['表10 Hyperscaler capital share of TCO']}")] in (False, 0)
    assert values[("CHECKS", f"K{rows['表10 H100 Neocloud Giants WACC']}")] in (True, 1)
    assert values[("CHECKS", "D4")] in (False, 0)
    assert values[("CHECKS", "F4")] == 2
