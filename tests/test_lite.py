"""`aimodel lite`: the AIM functions in xlwings Lite, checked through xlwings' own code.

The generated main.py is imported as xlwings Lite imports it, in a subprocess with
``XLWINGS_ON_SERVER=true`` (tests/lite_harness.py): xlwings' Office.js registration
(``custom_functions_meta``) must list all 19 functions with the Function Wizard texts of
the Windows registration (xlwings' own ``import_udfs``, through sheets.publish.vba), and every
case below, called through ``custom_functions_call`` with the arguments Office.js sends
(2-D lists, None for an empty cell, numbers as floats), must give what the Windows path
gives: ``udfs.AIM_*`` called with the arguments xlwings' ``call_udf`` hands it (a single
cell as a scalar, a row or column as a list, a block as a list of rows, an empty cell as
None; TECH-NOTES "Verified in turn 2").

xlwings' server/Office.js code is PolyForm Noncommercial / commercial-licensed: the
tests use it because it is exactly the code xlwings Lite runs (TECH-NOTES "Verified in
turn 3"); nothing aim ships imports it.
"""

from __future__ import annotations

import ast
import inspect
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

import udfs
from sheets.cli import main as cli_main
from sheets.publish import lite
from tests.conftest import ROOT
from udfs.excel._worksheet import summary

E = None  # an empty cell


def col(*values):
    """A column of cells as Office.js sends it (one row per cell)."""
    return [[v] for v in values]


def row(*values):
    return [list(values)]


def one(value):
    return [[value]]


# Each case: the function and one 2-D range per argument, omitted optionals as empty.
CASES = [
    ("AIM_DEPRECIATION", [one(2400.0), one(300.0), one(10.0), one("DDB"), one(E), one(E)]),
    ("AIM_DEPRECIATION", [one(1000.0), one(100.0), one(5.0), one("DB"), one(E), one(7.0)]),
    ("AIM_DEPRECIATION", [one(1000.0), one(100.0), one(2.5), one(E), one(E), one(E)]),
    ("AIM_DEPRECIATION", [one(1000.0), one(100.0), one(5.0), one("XYZ"), one(E), one(E)]),
    (
        "AIM_DEPR_WATERFALL",
        [col(100.0, E, 50.0, -30.0), one(4.0), one("half"), one(0.05), one(10.0)],
    ),
    ("AIM_DEPR_WATERFALL", [row(100.0, 80.0, 60.0), one(2.0), one(E), one(E), one(E)]),
    (
        "AIM_DEPR_WATERFALL",
        [[[1.0, 2.0], [3.0, 4.0]], one(2.0), one(E), one(E), one(E)],
    ),
    (
        "AIM_LIFE_CHANGE",
        [col(100.0, 100.0, 100.0, 100.0), one(3.0), one(5.0), one(3.0), one("full")],
    ),
    ("AIM_LIFE_CHANGE", [col(100.0, 100.0), one(3.0), one(5.0), one(0.0), one(E)]),
    ("AIM_DEPR_POLICY", [col(100.0, 100.0, 100.0), col(3.0, 3.0, 5.0), one("next"), one(E)]),
    ("AIM_DEPR_POLICY", [col(100.0, 100.0, 100.0), col(3.0, 5.0), one(E), one(E)]),
    (
        "AIM_CASH_BURN",
        [col(10.0, -5.0), col(3.0, 3.0), col(1.0, 1.0), col(-20.0, -25.0), one(1.0)],
    ),
    ("AIM_CASH_BURN", [col(10.0, -5.0), col(3.0), col(1.0, 1.0), col(-20.0, -25.0), one(E)]),
    ("AIM_RUNWAY", [one(100.0), one(-30.0)]),
    ("AIM_RUNWAY", [one(100.0), col(-30.0, -40.0, -50.0, -60.0)]),
    ("AIM_RUNWAY", [one(100.0), one(10.0)]),
    (
        "AIM_DEBT_SCHEDULE",
        [
            one(1000.0),
            col(100.0, 0.0, E, 0.0),
            col(0.0, 50.0, 50.0, 50.0),
            one(0.11),
            one(4.0),
            one("average"),
        ],
    ),
    (
        "AIM_DEBT_SCHEDULE",
        [one(100.0), col(0.0, 0.0), col(60.0, 60.0), one(0.08), one(E), one(E)],
    ),
    (
        "AIM_FUNDED_RUNWAY",
        [
            one(500.0),
            row(50.0, 50.0, 50.0),
            row(-200.0, -200.0, -200.0),
            row(20.0, 20.0, 20.0),
            row(0.0, 100.0, 0.0),
        ],
    ),
    ("AIM_CONTRACT_SCHEDULE", [one(1200.0), one(2.0), one(4.0), one("ramp"), one(8.0)]),
    ("AIM_CONTRACT_SCHEDULE", [one(1200.0), one(2.0), one(4.0), one("x"), one(E)]),
    ("AIM_CAPEX_TO_OCF", [col(10.0, 20.0, 30.0), col(20.0, -5.0, 60.0)]),
    ("AIM_CAPEX_INTENSITY", [row(10.0, 20.0), row(100.0, 0.0)]),
    ("AIM_GROWTH", [col(100.0, 110.0, 121.0, E, 150.0), one(E)]),
    ("AIM_GROWTH", [col(100.0, 110.0, 121.0, 133.1), one(2.0)]),
    ("AIM_TTM", [row(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0), one(4.0)]),
    ("AIM_RPO_SCHEDULE", [one(392000.0), one(0.4), one(5.0), one(4.0)]),
    ("AIM_RPO_SCHEDULE", [one(392000.0), one(40.0), one(5.0), one(E)]),
    ("AIM_RPO_CONVERSION", [one(1000.0), col(100.0, 200.0, 300.0), one(0.4), one(3.0), one(4.0)]),
    ("AIM_IMPLIED_BOOKINGS", [col(100.0, 120.0, 150.0), col(10.0, 12.0, 15.0)]),
    ("AIM_WACC", [one(0.11), one(0.045), one(0.75), one(E)]),
    ("AIM_WACC", [one(0.11), one(0.045), one(0.75), one(0.21)]),
    ("AIM_WACC", [one("x"), one(0.045), one(0.75), one(E)]),
    ("AIM_WACC", [one("#N/A"), one(0.045), one(0.75), one(E)]),
    ("AIM_WACC", [one(E), one(0.045), one(0.75), one(E)]),
    ("AIM_GPU_HOUR_COST", [one(246391.0), one(8.0), one(4.0), one(E), one(E)]),
    ("AIM_GPU_HOUR_COST", [one(246391.0), one(8.0), one(4.0), one(0.094), one(7884.0)]),
    ("AIM_GPU_HOUR_COST", [one(246391.0), one(0.0), one(4.0), one(E), one(E)]),
    ("AIM_TOKEN_COST", [one(2.5), one(1000.0), one(0.7)]),
]


def windows_arg(grid):
    """What xlwings' call_udf hands the function for a range (default options)."""
    if len(grid) == 1 and len(grid[0]) == 1:
        return grid[0][0]
    if len(grid) == 1:
        return list(grid[0])
    if all(len(r) == 1 for r in grid):
        return [r[0] for r in grid]
    return [list(r) for r in grid]


def as_cells(result):
    """A function's return value as the 2-D block of cells Excel shows."""
    if isinstance(result, list) and result and isinstance(result[0], list):
        return result
    return [[result]]


def same_cells(a, b) -> bool:
    if len(a) != len(b) or any(len(x) != len(y) for x, y in zip(a, b, strict=True)):
        return False
    for x, y in zip((v for r in a for v in r), (v for r in b for v in r), strict=True):
        if isinstance(x, float) and isinstance(y, float):
            if not (x == y or (math.isnan(x) and math.isnan(y))):
                return False
        elif x != y:
            return False
    return True


@pytest.fixture(scope="module")
def lite_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("lite")
    assert cli_main(["lite", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def lite_run(lite_dir) -> dict:
    """The harness's JSON: registration and results through xlwings' Office.js code."""
    env = dict(os.environ, XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial")
    cases = [{"func": f, "args": a} for f, a in CASES]
    proc = subprocess.run(
        [sys.executable, "-m", "tests.lite_harness", str(lite_dir / "main.py")],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def test_registration_lists_every_function_with_the_wizard_texts(lite_run):
    from sheets.publish.vba import module_text

    meta = {f["name"]: f for f in lite_run["meta"]["functions"]}
    assert sorted(meta) == sorted(udfs.REGISTRY)
    assert len(meta) == 19
    # The Windows registration: what xlwings' own import_udfs hands Excel's MacroOptions.
    windows = {o.macro.rpartition("!")[2]: o for o in module_text().uncut}
    for name, fn in udfs.REGISTRY.items():
        lite_fn, win = meta[name], windows[name]
        assert lite_fn["id"] == name
        assert lite_fn["description"] == win.description == summary(fn)
        assert [p["name"] for p in lite_fn["parameters"]] == list(fn.__aim_args__)
        assert tuple(p["description"] for p in lite_fn["parameters"]) == (win.argument_descriptions)
        defaults = [
            p.name
            for p in inspect.signature(fn.__aim_impl__).parameters.values()
            if p.default is not p.empty
        ]
        assert [p["name"] for p in lite_fn["parameters"] if p.get("optional")] == defaults


def test_main_py_runs_the_carried_code_not_the_installed_package(lite_run):
    assert lite_run["installed_udfs_imported"] is False
    assert "aim_udfs.core.depreciation" in lite_run["carried_modules"]


@pytest.mark.parametrize("key", ["officejs", "officejs_int"])
def test_every_case_gives_the_windows_result(lite_run, key):
    assert {f for f, _ in CASES} == set(udfs.REGISTRY), "a case for every function"
    errors = 0
    for (name, grids), got in zip(CASES, lite_run[key], strict=True):
        want = as_cells(getattr(udfs, name)(*[windows_arg(g) for g in grids]))
        assert same_cells(got, want), f"{name}{grids}: Lite {got} != Windows {want}"
        errors += str(want[0][0]).startswith("#AIM!")
    assert errors >= 8, "the cases include bad inputs, whose #AIM! texts must match too"


def test_wacc_through_lite_is_the_hand_calculation(lite_run):
    # 0.75 x 0.11 + 0.25 x 0.045 = 0.0825 + 0.01125 = 0.09375 (no tax)
    i = CASES.index(("AIM_WACC", [one(0.11), one(0.045), one(0.75), one(E)]))
    assert lite_run["officejs"][i] == [[0.09375]]


def _imports(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
        ):
            names.add(ast.literal_eval(node.args[0]).split(".")[0])
    return names


def test_main_py_imports_only_the_standard_library_numpy_and_xlwings(lite_dir):
    allowed = set(sys.stdlib_module_names) | {"numpy", "numpy_financial", "xlwings"}
    tree = ast.parse((lite_dir / "main.py").read_text(encoding="utf-8"))
    assert _imports(tree) <= allowed | {lite.BUNDLE_PACKAGE}
    # the carried modules are code too: their imports count
    sources = next(
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "_SOURCES"
    )
    carried = ast.literal_eval(sources)
    assert set(carried) == set(lite.bundled_sources())
    found = set()
    for lines in carried.values():
        found |= _imports(ast.parse("".join(lines)))
    assert found <= allowed | {lite.BUNDLE_PACKAGE}
    assert {"numpy", "numpy_financial", "xlwings"} <= found | _imports(tree)
    assert "udfs" not in found, "every `from udfs` is renamed to the carried package"


def test_carried_sources_are_udfs_own_files_renamed(lite_dir):
    root = Path(udfs.__file__).parent
    carried = lite.bundled_sources()
    text = (root / "excel" / "_shapes.py").read_text(encoding="utf-8")
    renamed = carried["aim_udfs.excel._shapes"]
    assert renamed.replace("from aim_udfs", "from udfs") == text
    assert len(carried) == len([p for p in root.rglob("*.py")])


def test_requirements_pin_nothing_pyodide_builds(lite_dir):
    lines = [
        ln
        for ln in (lite_dir / "requirements.txt").read_text().splitlines()
        if ln and not ln.startswith("#")
    ]
    assert lines == ["xlwings>=0.37.8,<1", "numpy", "numpy-financial>=1.0,<2"]


def test_lite_refuses_a_missing_folder(tmp_path, capsys):
    assert cli_main(["lite", "--out", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"aimodel: --out {tmp_path / 'nope'} is not an existing folder"]
