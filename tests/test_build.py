"""The build: a macro-enabled workbook whose VBA project is the template's, whose data
sheets equal the CSVs cell for cell, written atomically; and the committed model.xlsm is
what the build makes from data/."""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
import zipfile

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from sheets.evaluate.compare import workbook_content
from sheets.sources.filed_facts import FILED_LOADERS
from sheets.sources.loader import COLUMNS, DataError
from sheets.sources.sec.schema import COMPANIES_COLUMNS, FILINGS_COLUMNS
from sheets.sources.template import TEMPLATE, vba_project_bytes
from sheets.workbook.build import CONF_SHEET, README_SHEET, build
from sheets.workbook.datasheets import HEADER_ROW

from .conftest import DATA, MODEL, ROOT

MACRO_CONTENT_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def test_workbook_is_macro_enabled_with_the_templates_vba(built_model):
    with zipfile.ZipFile(built_model) as z:
        types = z.read("[Content_Types].xml").decode()
    assert MACRO_CONTENT_TYPE in types
    assert vba_project_bytes(built_model) == vba_project_bytes(TEMPLATE)


def test_sheet_order_and_xlwings_conf(built_model):
    wb = load_workbook(built_model, keep_vba=True)
    assert wb.sheetnames[0] == README_SHEET
    assert wb.sheetnames[-1] == CONF_SHEET
    # every data file has its sheet, but the 10-K facts the depreciation fit reads (their
    # values show on Depreciation beside their accession numbers, the fit on dd_fit)
    for stem in (p.stem for p in DATA.glob("*.csv") if p.stem not in FILED_LOADERS):
        assert stem in wb.sheetnames
    conf = {r[0]: r[1] for r in wb[CONF_SHEET].iter_rows(values_only=True) if r[0]}
    assert conf["UDF Modules"] == "udfs"
    # the template's document modules keep their code names
    assert wb[README_SHEET].sheet_properties.codeName == "Sheet1"
    assert wb[CONF_SHEET].sheet_properties.codeName == "Sheet2"


@pytest.mark.parametrize(
    "path",
    sorted(p for p in DATA.glob("*.csv") if p.stem not in FILED_LOADERS),
    ids=lambda p: p.stem,
)
def test_data_sheet_equals_csv_cell_for_cell(built_book, path):
    ws = built_book[path.stem]
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.reader(fh) if any(c.strip() for c in r)]
    columns = {"companies": COMPANIES_COLUMNS, "sec_filings": FILINGS_COLUMNS}.get(
        path.stem, COLUMNS
    )
    assert rows[0] == list(columns)
    for r, row in enumerate(rows, start=HEADER_ROW):
        for c, text in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c).value
            name = columns[c - 1]
            if r > HEADER_ROW and name in ("value", "seed_line"):
                assert cell == float(text), (path.name, r, name)
            else:
                assert (cell if cell is not None else "") == text.strip(), (path.name, r, name)
    # nothing below the table
    assert ws.max_row == HEADER_ROW + len(rows) - 1
    table = ws.tables[f"tbl_{path.stem}"]
    last = get_column_letter(len(columns))
    assert table.ref == f"A{HEADER_ROW}:{last}{HEADER_ROW + len(rows) - 1}"


def test_committed_model_equals_a_fresh_build(built_model):
    assert MODEL.exists(), "model.xlsm is not committed; run `make model`"
    fresh, committed = workbook_content(built_model), workbook_content(MODEL)
    assert committed["sheets"] == fresh["sheets"], "run `make model` and commit model.xlsm"
    for sheet in fresh["cells"]:
        assert committed["cells"][sheet] == fresh["cells"][sheet], (
            f"sheet {sheet} differs from a fresh build: run `make model` and commit model.xlsm"
        )
    assert committed == fresh


def test_failed_build_leaves_existing_workbook_untouched(tmp_path, data_copy):
    out = tmp_path / "model.xlsm"
    out.write_bytes(b"previous workbook")
    bad = data_copy / "t02_capex_ratios.csv"
    bad.write_text(bad.read_text(encoding="utf-8").replace("USD_m", "USD_q", 1), encoding="utf-8")
    with pytest.raises(DataError):
        build(data_copy, out)
    assert out.read_bytes() == b"previous workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "model.xlsm"]


KILL_DURING_SAVE = """
import os, signal, sys
import openpyxl.workbook.workbook as wbmod
def save(self, filename):
    with open(filename, "wb") as fh:
        fh.write(b"PK\\x03\\x04 half a workbook")
        fh.flush()
    os.kill(os.getpid(), signal.SIGKILL)
wbmod.Workbook.save = save
from sheets.cli import main
main(["build", "--data", sys.argv[1], "--out", sys.argv[2]])
"""


def test_build_killed_mid_write_leaves_old_file_whole(tmp_path, built_model):
    out = tmp_path / "model.xlsm"
    out.write_bytes(built_model.read_bytes())
    before = hashlib.sha256(out.read_bytes()).hexdigest()
    proc = subprocess.run(
        [sys.executable, "-c", KILL_DURING_SAVE, str(DATA), str(out)],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == -9  # killed by SIGKILL inside save
    assert hashlib.sha256(out.read_bytes()).hexdigest() == before
    load_workbook(out, keep_vba=True)  # still a whole, readable workbook


FORMULA_LOOKALIKES = (
    "=1+1",
    '=HYPERLINK("http://example.invalid","x")',
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1)",
    "\tcmd",
)


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path, data_copy):
    """Nothing from a CSV is ever evaluated: a note starting with =, +, -, @ or a tab is
    text in the workbook (with Excel's quote prefix, so editing the cell keeps it text).
    One build carries the six texts, one per row of the server-lives table."""
    from sheets.evaluate.headless import recalculate

    path = data_copy / "t04_server_lives_2025.csv"
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    assert len(rows) - 1 >= len(FORMULA_LOOKALIKES)
    for i, text in enumerate(FORMULA_LOOKALIKES, start=1):
        rows[i][COLUMNS.index("note")] = text
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    out = build(data_copy, tmp_path / "model.xlsm")
    ws = load_workbook(out)["t04_server_lives_2025"]
    # the formulas engine, given the whole sheet and loading every cell its own way
    # (fast=False: no cell left out of its graph), reads each as that text, not a formula
    values = recalculate(out, only={"t04_server_lives_2025"}, fast=False)
    for i, text in enumerate(FORMULA_LOOKALIKES, start=1):
        cell = ws.cell(row=HEADER_ROW + i, column=12)
        expected = text.strip()  # the loader trims surrounding white space (a leading tab)
        assert cell.value == expected, text
        assert cell.data_type == "s"
        assert cell.quotePrefix == expected.startswith(("=", "+", "-", "@"))
        assert values[("T04_SERVER_LIVES_2025", cell.coordinate)] == expected


def test_build_will_not_overwrite_analyst_work(tmp_path, built_model, capsys):
    """`aimodel build` on a workbook an analyst worked in refuses (refresh is the way);
    --force replaces it."""
    from sheets.cli import main

    out = tmp_path / "model.xlsm"
    out.write_bytes(built_model.read_bytes())
    wb = load_workbook(out, keep_vba=True)
    wb.create_sheet("My scenarios")["A1"] = "bear case"
    wb["Inputs"]["E40"] = 0.55
    wb.save(out)
    before = hashlib.sha256(out.read_bytes()).hexdigest()
    assert main(["build", "--data", str(DATA), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "holds work a rebuild would lose (sheet 'My scenarios', Inputs!E40 = 0.55)" in err
    assert "aimodel refresh" in err
    assert hashlib.sha256(out.read_bytes()).hexdigest() == before
    assert main(["build", "--data", str(DATA), "--out", str(out), "--force"]) == 0
    assert "My scenarios" not in load_workbook(out).sheetnames


def test_rebuilding_an_untouched_model_needs_no_force(tmp_path, built_model):
    out = tmp_path / "model.xlsm"
    out.write_bytes(built_model.read_bytes())
    build(DATA, out)
    assert workbook_content(out) == workbook_content(built_model)
