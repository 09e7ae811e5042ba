"""Headless recalculation: the fast load equals the engine's own; scenarios equal a full
recalculation with the inputs typed in; bad names and values get one line and exit 2.

Expected values come from the ``formulas`` engine itself, run its own way (every cell
loaded, every formula compiled on its own: ``headless.load(fast=False)``) on the same
workbook, or on a copy with the values typed into the analyst cells (column E of Inputs)
as an analyst would.
"""

from __future__ import annotations

import math

import pytest
from openpyxl import load_workbook

from sheets.cli import main
from sheets.evaluate import headless
from sheets.evaluate.outputs import read_outputs
from sheets.evaluate.scenarios import ScenarioError, Scenarios, format_scenarios, read_scenarios

from .conftest import MODEL


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b)) or abs(a - b) <= 1e-9 * max(1, abs(a))
    return a == b


@pytest.mark.slow
def test_fast_load_equals_the_engines_own_on_every_cell(model_values):
    """Every cell of model.xlsm: shared compiled shapes and unread constants left out of
    the graph change no value (to 1e-9) and drop no cell."""
    own = headless.recalculate(MODEL, fast=False)
    assert set(own) == set(model_values)
    differ = [k for k, v in own.items() if not _same(v, model_values[k])]
    assert not differ, differ[:10]


# GPU_life: 表7's 4-year server life (data/t07_token_factory.csv) set to 6 (what Amazon,
# Alphabet and Microsoft use, 表4); the three tiers' costs of debt (表10, data/
# t10_cloud_tco.csv: 4.5%, 11%, 15%) moved. Each scenario moves some headline output (the
# Financing sheet's runways follow the costs of debt), so a stale answer would show.
SCENARIOS = {
    "life6": {"GPU_life": "6", "Kd_EN": "0.18"},
    "debt_up": {"Kd_HS": "0.06", "Kd_NG": "0.13", "Kd_EN": "0.18"},
}
NAMES = ["GPU_life", "Kd_HS", "Kd_NG", "Kd_EN"]


@pytest.fixture(scope="module")
def compiled():
    return Scenarios(MODEL, NAMES)


@pytest.mark.slow
@pytest.mark.timing
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_a_scenario_after_the_first_takes_under_half_a_second(compiled, name):
    # issue 20's target, in CPU seconds; the best of five evaluations (as timeit takes the
    # best), so that a burst of another process on the two shared cores does not decide it
    compiled.evaluate({})  # the first call records the compiled function's order
    times = []
    for _ in range(5):
        compiled.evaluate(SCENARIOS[name])
        times.append(compiled.loaded.seconds["scenario"])
    assert min(times) < 0.5, times


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_a_scenario_equals_a_full_recalculation_with_the_inputs_typed_in(compiled, tmp_path, name):
    settings = SCENARIOS[name]
    rows = compiled.evaluate(settings)
    typed = tmp_path / "typed.xlsm"
    wb = load_workbook(MODEL, keep_vba=True)
    for input_name, text in settings.items():
        wb["Inputs"][compiled.inputs[input_name].cell] = float(text)
    wb.save(typed)
    full = read_outputs(typed)
    assert len(rows) == len(full)
    for got, want in zip(rows, full, strict=True):
        key = (got.sheet, got.entity, got.metric, got.period, got.unit)
        assert key == (want.sheet, want.entity, want.metric, want.period, want.unit)
        assert _same(got.value, want.value), (got, want)
    base = compiled.evaluate({})
    assert any(not _same(a.value, b.value) for a, b in zip(rows, base, strict=True)), name


@pytest.mark.slow
def test_unchanged_inputs_give_the_workbooks_outputs(compiled, model_values):
    rows = compiled.evaluate({})
    want = read_outputs_from(model_values, compiled.index)
    assert rows == want


def read_outputs_from(values, index):
    from sheets.evaluate.outputs import rows_from_values
    from sheets.model.outputs_sheet import split_ref

    def value_at(ref):
        sheet, cell = split_ref(ref)
        return values.get((sheet.upper(), cell))

    return rows_from_values(index, value_at)


@pytest.mark.slow
def test_bad_names_and_values_are_refused(compiled):
    with pytest.raises(ScenarioError, match=r"^Kd_XX: no such input"):
        compiled.coerce({"Kd_XX": "0.1"})
    # Kd_NG's cell accepts a fraction between 0 and 1 (sheets/model/validation.py, share)
    with pytest.raises(ScenarioError, match=r"^Kd_NG=11: Kd_NG must be a fraction"):
        compiled.coerce({"Kd_NG": "11"})
    # GPU_life: a whole number of years, 1 to 100
    with pytest.raises(ScenarioError, match=r"^GPU_life=4.5: GPU_life must be a whole"):
        compiled.coerce({"GPU_life": "4.5"})
    with pytest.raises(ScenarioError, match=r"^GPU_life=abc"):
        compiled.coerce({"GPU_life": "abc"})
    assert compiled.coerce({"GPU_life": "", "Kd_NG": "0.2"}) == {"GPU_life": None, "Kd_NG": 0.2}


@pytest.mark.slow
def test_cli_scenarios_table_and_errors(tmp_path, capsys):
    table = tmp_path / "s.csv"
    table.write_text("scenario,Kd_NG,GPU_life\nbase,,\nlong,0.13,6\n", encoding="utf-8")
    assert main(["scenarios", str(MODEL), str(table)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "scenario,sheet,entity,metric,period,value,unit"
    assert {line.split(",")[0] for line in lines[1:]} == {"base", "long"}
    assert main(["outputs", str(MODEL), "--set", "Kd_NG=1.5"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("aimodel: Kd_NG=1.5: Kd_NG must be")


def test_scenario_file_errors(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,Kd_NG\nx,0.1\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"bad.csv:1: the header must start"):
        read_scenarios(bad)
    bad.write_text("scenario,Kd_NG\nx,0.1,3\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"bad.csv:2: 3 fields, the header has 2"):
        read_scenarios(bad)
    bad.write_text("scenario,Kd_NG\nx,0.1\nx,0.2\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"bad.csv:3: scenario name 'x'"):
        read_scenarios(bad)
    assert main(["scenarios", str(MODEL), str(tmp_path / "none.csv")]) == 2


def test_format_scenarios_has_one_row_per_scenario_and_output():
    from sheets.evaluate.outputs import OutputRow

    row = OutputRow("Capex", "Microsoft", "capex", "2025Q3", 19394.0, "USD_m")
    text = format_scenarios([("a", [row]), ("b", [row, row])])
    assert text.splitlines()[1:] == [
        "a,Capex,Microsoft,capex,2025Q3,19394.0,USD_m",
        "b,Capex,Microsoft,capex,2025Q3,19394.0,USD_m",
        "b,Capex,Microsoft,capex,2025Q3,19394.0,USD_m",
    ]
