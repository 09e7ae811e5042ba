"""Shared fixtures: the repository's paths, a built workbook, small valid data files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
MODEL = ROOT / "model.xlsm"
SEED = ROOT.parent / "shared" / "seeds" / "000_c4b25e50ec2df58c.txt"


@pytest.fixture(scope="session")
def built_model(tmp_path_factory) -> Path:
    """model.xlsm built afresh from data/ into a temporary folder (once per session)."""
    from sheets.workbook.build import build

    out = tmp_path_factory.mktemp("build") / "model.xlsm"
    build(DATA, out)
    return out


@pytest.fixture(scope="session")
def built_book(built_model):
    """``built_model`` opened once with openpyxl (macros kept), for tests that only read
    it: loading the workbook takes about two seconds."""
    from openpyxl import load_workbook

    return load_workbook(built_model, keep_vba=True)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture(scope="session")
def built_values(built_model) -> dict:
    """``built_model`` with every formula computed headlessly (once per session: the
    recalculation of the whole model takes tens of seconds)."""
    from sheets.evaluate.headless import recalculate

    return recalculate(built_model)


@pytest.fixture(scope="session")
def model_values() -> dict:
    """The committed model.xlsm with every formula computed headlessly (once per session)."""
    from sheets.evaluate.headless import recalculate

    return recalculate(MODEL)


# Hypothesis: one fixed sequence of examples everywhere (a failure reproduces; no run
# depends on luck or on what an earlier run stored in .hypothesis/).
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("aim", derandomize=True)
_hypothesis_settings.load_profile("aim")
