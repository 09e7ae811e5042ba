"""LibreOffice Calc as an independent check of the workbook's native formulas.

LibreOffice recalculates every formula of the committed model.xlsm; each cell that does
not depend on an AIM_ function (which LibreOffice cannot run) must equal the `formulas`
engine's value. LibreOffice writes 15 significant digits, hence the 1e-9 tolerance."""

from __future__ import annotations

import math

import pytest
from openpyxl import load_workbook

from sheets.evaluate.libreoffice import convert
from sheets.model.formula_refs import formula_cells, reverse_closure

from .conftest import MODEL
from .oracle import require_soffice

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def libreoffice_values(tmp_path_factory):
    require_soffice()
    out = convert(MODEL, "xlsx", tmp_path_factory.mktemp("lo"))
    return load_workbook(out, data_only=True)


def test_native_formulas_agree_with_libreoffice(libreoffice_values, model_values):
    wb = load_workbook(MODEL, keep_vba=True)
    cells = formula_cells(wb)
    aim = {c for c, text in cells.items() if "AIM_" in text}
    downstream = reverse_closure(wb, aim)
    native = [c for c in cells if c not in downstream]
    assert len(native) > 1500
    engine = model_values
    compared = 0
    for sheet, coord in native:
        ours = engine[(sheet.upper(), coord)]
        theirs = libreoffice_values[sheet][coord].value
        if ours == "" and theirs is None:
            pass  # a formula's "" result: LibreOffice saves it as an empty cell
        elif isinstance(ours, bool) or isinstance(theirs, bool):
            assert bool(ours) == bool(theirs), (sheet, coord, ours, theirs)
        elif isinstance(ours, (int, float)):
            assert isinstance(theirs, (int, float)), (sheet, coord, ours, theirs)
            assert math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-12), (
                sheet,
                coord,
                ours,
                theirs,
            )
        else:
            assert ours == theirs, (sheet, coord, ours, theirs)
        compared += 1
    assert compared == len(native)


def test_libreoffice_cannot_run_aim_cells(libreoffice_values):
    """The sanity check behind the split: AIM_ cells are errors in LibreOffice."""
    wb = load_workbook(MODEL, keep_vba=True)
    aim = [c for c, text in formula_cells(wb).items() if "AIM_" in text]
    values = [libreoffice_values[s][c].value for s, c in aim[:50]]
    assert all(isinstance(v, str) and v.startswith("#") for v in values), values[:5]
