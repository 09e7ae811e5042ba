"""Installation as users need it, in clean virtual environments (slow: pip installs).

* ``pip install .`` (the analyst's Excel machine): the AIM functions and ``aimodel vba``
  work; openpyxl, pandas and formulas are not installed, and ``aimodel build`` says in one
  line which extra it needs. This runs on the newest Python this machine has (pyenv's
  3.12/3.13 where present; CI's machine image has them), which also runs the udfs' own
  tests (their doctests and the test files that import nothing but udfs, numpy,
  hypothesis and pytest), so the functions are checked beyond the Python of ``make``.
* ``pip install .[model]``: ``aimodel outputs model.xlsm`` recalculates the committed
  workbook and prints its headline outputs.

pip takes packages from its cache or the registry, as a user's pip would.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from sheets.cli import MODEL_EXTRA
from tests.conftest import MODEL, ROOT

pytestmark = pytest.mark.slow

PYENV = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"

UDFS_TESTS = [
    "udfs",
    "tests/test_bad_inputs.py",
    "tests/test_ratios.py",
    "tests/test_neocloud.py",
    "tests/test_unit_economics.py",
    "tests/test_depreciation.py",
]
"""The udfs' tests run on the newest Python: doctests and test files that import only
udfs, numpy, hypothesis and pytest (checked below), the quick ones (not marked slow)."""


def newest_python() -> tuple[str, tuple[int, int]]:
    """The newest CPython >= 3.11 on this machine: pyenv's versions, else this one."""
    found = []
    for path in PYENV.glob("3.*/bin/python3") if PYENV.is_dir() else []:
        m = re.fullmatch(r"3\.(\d+)\.(\d+)", path.parent.parent.name)
        if m and int(m.group(1)) >= 11:
            found.append(((3, int(m.group(1)), int(m.group(2))), str(path)))
    for name in ("python3.14", "python3.13", "python3.12"):
        exe = shutil.which(name)
        if exe and "shims" not in exe:
            found.append(((3, int(name[-2:]), 99), exe))
    if not found:
        return sys.executable, sys.version_info[:2]
    (major, minor, _), exe = max(found)
    return exe, (major, minor)


def locked(*names: str) -> list[str]:
    """``name==version`` from requirements.lock, the versions ``make`` tests with."""
    pins = dict(
        line.strip().split("==", 1)
        for line in (ROOT / "requirements.lock").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    return [f"{n}=={pins[n]}" for n in names]


def make_venv(where: Path, python: str) -> Path:
    subprocess.run([python, "-m", "venv", str(where)], check=True, timeout=300)
    return where / "bin"


def pip_install(bin_: Path, *targets: str) -> None:
    proc = subprocess.run(
        [
            str(bin_ / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            *list(targets),
        ],
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]


def run(bin_: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(bin_ / args[0]), *args[1:]],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=1200,
        check=False,
    )


def test_the_model_extra_is_what_the_cli_checks_for():
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]["model"]
    names = [re.match(r"[A-Za-z0-9_.-]+", r).group(0).lower() for r in extra]
    assert tuple(names) == MODEL_EXTRA


def test_udfs_tests_on_the_newest_python_import_only_udfs():
    import ast

    allowed = {"udfs", "numpy", "pytest", "hypothesis", "tests"} | set(sys.stdlib_module_names)
    for name in UDFS_TESTS[1:]:
        tree = ast.parse((ROOT / name).read_text())
        mods = {
            a.name.split(".")[0]
            for n in ast.walk(tree)
            if isinstance(n, ast.Import)
            for a in n.names
        }
        mods |= {
            n.module.split(".")[0]
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom) and n.module and not n.level
        }
        assert mods <= allowed, f"{name} imports {mods - allowed}"


def test_pip_install_dot_gives_the_functions_and_vba_on_the_newest_python(tmp_path):
    python, version = newest_python()
    if os.environ.get("CI") == "true":
        assert version >= (3, 12), f"CI's machine has a Python newer than 3.11 ({python})"
    bin_ = make_venv(tmp_path / "venv", python)
    pip_install(bin_, str(ROOT))
    work = tmp_path / "work"
    work.mkdir()  # not the repository: the installed aim must be what runs

    vba = run(bin_, "aimodel", "vba", "--out", "xlwings_udfs.bas", cwd=work)
    assert vba.returncode == 0, vba.stderr
    bas = (work / "xlwings_udfs.bas").read_bytes().decode("ascii")
    assert bas.startswith('Attribute VB_Name = "xlwings_udfs"\r\n')
    assert len(set(re.findall(r"^Function (AIM_\w+)\(", bas, re.MULTILINE))) == 19

    # 0.75 x 0.11 + 0.25 x 0.045 = 0.09375 (hand calculation), on that Python
    probe = run(
        bin_,
        "python",
        "-c",
        "import sys, udfs; print(sys.version_info[:2], udfs.__file__, udfs.AIM_WACC(0.11, 0.045,"
        " 0.75))",
        cwd=work,
    )
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip().endswith("[[0.09375]]")
    assert f"({version[0]}, {version[1]})" in probe.stdout
    assert "site-packages" in probe.stdout

    absent = run(
        bin_,
        "python",
        "-c",
        f"import importlib.util as u; print([m for m in {MODEL_EXTRA!r} if u.find_spec(m)])",
        cwd=work,
    )
    assert absent.stdout.strip() == "[]", "pip install . brings none of the [model] extra"
    build = run(bin_, "aimodel", "build", "--out", "m.xlsm", cwd=work)
    assert build.returncode == 2
    assert build.stderr.splitlines() == [
        "aimodel build needs the [model] extra (missing openpyxl, pandas, formulas): "
        "pip install aim-model[model]"
    ]
    assert not (work / "m.xlsm").exists()

    lite = run(bin_, "aimodel", "lite", "--out", ".", cwd=work)
    assert lite.returncode == 0, lite.stderr
    assert (work / "main.py").stat().st_size > 0

    # the udfs' own tests on that Python (from the repository, against its udfs)
    # the test tools at the lock's pins: another Hypothesis release draws other examples
    pip_install(bin_, *locked("pytest", "hypothesis"))
    tests = run(
        bin_,
        "python",
        "-m",
        "pytest",
        "-m",
        "not slow",
        *UDFS_TESTS,
        cwd=ROOT,
    )
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-2000:]
    assert re.search(r"\d+ passed", tests.stdout)


def test_pip_install_model_extra_gives_outputs(tmp_path):
    bin_ = make_venv(tmp_path / "venv", sys.executable)
    pip_install(bin_, f"{ROOT}[model]")
    out = run(bin_, "aimodel", "outputs", str(MODEL), "--json", cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    import json

    rows = json.loads(out.stdout)
    assert rows, "aimodel outputs printed its headline outputs"
