"""`aimodel snapshot`: a values-only .xlsx anyone can open.

Every formula cell of the source holds its value (a number, text or TRUE/FALSE) and no
formula is left; the file is a real .xlsx (no vbaProject.bin, the .xlsx content type),
keeps the Dashboard's charts, and is stamped with the data date on the README sheet and
in the document properties. LibreOffice opens it and shows the same numbers."""

from __future__ import annotations

import math
import re
import time
import zipfile

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from sheets.cli import main
from sheets.evaluate.libreoffice import convert
from sheets.model.formula_refs import formula_cells
from sheets.publish.snapshot import data_date

from .conftest import DATA
from .oracle import require_soffice

XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
STAMP = re.compile(
    r"^Values as of (\d{4}(Q[1-4]|-\d{2})?); built \d{4}-\d{2}-\d{2} from model\.xlsm; "
    r"formulas removed$"
)


@pytest.fixture(scope="module")
def snap(built_model, tmp_path_factory):
    out = tmp_path_factory.mktemp("snapshot") / "model-values.xlsx"
    start = time.perf_counter()
    assert main(["snapshot", str(built_model), "--out", str(out)]) == 0
    print(f"snapshot: {out.stat().st_size:,} bytes in {time.perf_counter() - start:.1f} s")
    return out


@pytest.fixture(scope="module")
def source_formulas(built_model):
    return formula_cells(load_workbook(built_model, keep_vba=True))


def test_every_formula_cell_has_its_value_and_no_formula_is_left(
    snap, built_model, built_values, source_formulas
):
    wb = load_workbook(snap)
    engine = built_values
    assert len(source_formulas) > 3000
    empty = []
    for sheet, coord in source_formulas:
        v = wb[sheet][coord].value
        if v is None and engine[(sheet.upper(), coord)] == "":
            continue  # the formula's value is "" (no value yet): an empty cell
        if not isinstance(v, (int, float, str, bool)):
            empty.append((sheet, coord, v, engine[(sheet.upper(), coord)]))
    assert not empty, empty[:5]
    left = [
        (ws.title, c.coordinate)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f" or isinstance(c.value, ArrayFormula)
    ]
    assert not left, left[:5]
    assert "xlwings.conf" not in wb.sheetnames


def test_a_real_xlsx_without_macros_with_its_charts(snap):
    with zipfile.ZipFile(snap) as z:
        names = z.namelist()
        types = z.read("[Content_Types].xml").decode()
    assert not any("vbaProject" in n for n in names)
    assert XLSX_MAIN in types and "macroEnabled" not in types
    assert len([n for n in names if re.match(r"xl/charts/chart\d+\.xml$", n)]) >= 6
    wb = load_workbook(snap)
    assert len(wb["Dashboard"]._charts) >= 6
    # each series carries its values, for viewers that draw charts from the cache
    ser = wb["Dashboard"]._charts[0].series[0]
    assert ser.val.numRef.numCache is not None and ser.val.numRef.numCache.pt


def test_stamped_with_the_data_date(snap, built_model):
    wb = load_workbook(snap)
    stamp = wb["README"]["A3"].value
    m = STAMP.match(stamp)
    assert m, stamp
    assert m.group(1) == data_date(load_workbook(built_model, read_only=True))
    assert wb.properties.subject == stamp
    assert stamp in wb.properties.description


def test_data_date_is_the_latest_actual_period(built_model):
    # the latest filed quarter of data/sec_filings.csv (every filed value is an actual) is
    # later than the seed's latest actual figure (xAI's 2026-01 financing, t06)
    import csv

    with (DATA / "sec_filings.csv").open(encoding="utf-8") as fh:
        latest = max(r["period"] for r in csv.DictReader(fh) if "Q" in r["period"])
    assert latest > "2026-01"
    assert data_date(load_workbook(built_model, read_only=True)) == latest


def test_refuses_a_macro_name_or_its_own_source(built_model, tmp_path, capsys):
    assert main(["snapshot", str(built_model), "--out", str(tmp_path / "x.xlsm")]) == 2
    assert main(["snapshot", str(built_model), "--out", str(built_model)]) == 2
    assert ".xlsx" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsm").exists()


@pytest.mark.libreoffice
def test_libreoffice_opens_it_and_shows_the_same_numbers(snap, source_formulas, tmp_path):
    require_soffice()
    ours = load_workbook(snap)
    theirs = load_workbook(convert(snap, "xlsx", tmp_path), data_only=True)
    compared = 0
    for sheet, coord in source_formulas:
        a, b = ours[sheet][coord].value, theirs[sheet][coord].value
        if isinstance(a, bool) or isinstance(b, bool):
            assert bool(a) == bool(b), (sheet, coord, a, b)
        elif isinstance(a, (int, float)):
            assert isinstance(b, (int, float)), (sheet, coord, a, b)
            assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), (sheet, coord, a, b)
        else:
            assert (a or None) == (b or None), (sheet, coord, a, b)
        compared += 1
    assert compared == len(source_formulas)
