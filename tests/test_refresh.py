"""Refresh: data sheets are rewritten from data/; analyst sheets, Inputs edits, cells
outside the generated blocks and the VBA project survive exactly; an unsafe refresh is
refused with one clear message and leaves the workbook byte for byte as it was."""

from __future__ import annotations

import hashlib
import shutil

import pytest
from openpyxl import load_workbook

from sheets.cli import main
from sheets.evaluate.compare import sheet_content, workbook_content
from sheets.model.depreciation_fitted import FIT_STEM
from sheets.sources.filed_facts import FILED_LOADERS
from sheets.sources.loader import load_data
from sheets.sources.template import TEMPLATE, vba_project_bytes
from sheets.workbook.datasheets import HEADER_ROW
from sheets.workbook.refresh import (
    FILINGS_SHEETS,
    OpenpyxlTarget,
    RefreshError,
    refresh,
    refresh_target,
)

from .conftest import DATA


@pytest.fixture
def book(tmp_path, built_model):
    path = tmp_path / "model.xlsm"
    shutil.copyfile(built_model, path)
    return path


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def edit_value(data_dir, stem: str, line: int, value: str) -> None:
    """Set the value field of one line (1-based, header = 1) of a data file."""
    path = data_dir / f"{stem}.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    parts = lines[line - 1].split(",")
    parts[3] = value
    lines[line - 1] = ",".join(parts)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_refresh_keeps_analyst_work_and_updates_data(book, data_copy):
    wb = load_workbook(book, keep_vba=True)
    analyst = wb.create_sheet("My analysis")
    analyst["A1"] = "Amazon capex, my view"
    analyst["B2"] = 123.45
    analyst["B3"] = "='Capex'!C8*2"
    wb["Inputs"]["E40"] = 0.55  # an analyst's own assumption
    wb["Capex"]["Z200"] = "note to self"
    wb.save(book)
    before = workbook_content(book)

    # 表2 Amazon 2024Q1 capex 14925 -> 15000 (line 2 of the file); append a new row.
    edit_value(data_copy, "t02_capex_ratios", 2, "15000")
    with (data_copy / "t02_capex_ratios.csv").open("a", encoding="utf-8") as fh:
        fh.write("Amazon,capex,2025Q4,40000,USD_m,input,estimate,calendar,,text,1,analyst row\n")
    refresh(book, data_copy)
    after = workbook_content(book)

    assert after["sheets"] == before["sheets"]
    for sheet in before["sheets"]:
        if sheet == "t02_capex_ratios":
            continue
        assert after["cells"][sheet] == before["cells"][sheet], sheet
    assert after["defined_names"] == before["defined_names"]
    assert after["vba_sha256"] == before["vba_sha256"]
    ws = load_workbook(book, keep_vba=True)["t02_capex_ratios"]
    assert ws.cell(row=HEADER_ROW + 1, column=4).value == 15000
    last = HEADER_ROW + len(load_data(data_copy).frame("t02_capex_ratios"))
    assert ws.cell(row=last, column=12).value == "analyst row"
    assert ws.tables["tbl_t02_capex_ratios"].ref.endswith(f"L{last}")


def test_refresh_with_unchanged_data_changes_no_content(book):
    before = workbook_content(book)
    assert main(["refresh", str(book), "--data", str(DATA)]) == 0
    assert workbook_content(book) == before
    assert vba_project_bytes(book) == vba_project_bytes(TEMPLATE)


def refused(book, data_dir, match: str) -> str:
    before = digest(book)
    with pytest.raises(RefreshError, match=match) as info:
        refresh(book, data_dir)
    assert digest(book) == before
    assert "\n" not in str(info.value)
    return str(info.value)


def test_renamed_generated_sheet_is_refused(book):
    wb = load_workbook(book, keep_vba=True)
    wb["t04_server_lives_2025"].title = "lives"
    wb.save(book)
    refused(book, DATA, "no sheet 't04_server_lives_2025'.*renamed or deleted")


def test_deleted_generated_sheet_is_refused(book):
    wb = load_workbook(book, keep_vba=True)
    wb.remove(wb["t13_ai_arr"])
    wb.save(book)
    refused(book, DATA, "no sheet 't13_ai_arr'")


def test_analyst_sheet_with_a_generated_name_is_never_overwritten(book):
    wb = load_workbook(book, keep_vba=True)
    wb.remove(wb["t13_ai_arr"])
    mine = wb.create_sheet("t13_ai_arr")
    mine["A1"] = "my own ARR tracker"
    wb.save(book)
    refused(book, DATA, "'t13_ai_arr' is not a data sheet aim generated")
    assert load_workbook(book)["t13_ai_arr"]["A1"].value == "my own ARR tracker"


def test_moving_a_row_the_model_uses_is_refused(book, data_copy):
    path = data_copy / "t10_cloud_tco.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1], lines[2] = lines[2], lines[1]  # swap the first two data rows
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = refused(book, data_copy, r"data/t10_cloud_tco.csv line 2 now holds")
    assert "append new rows at the end" in message


def test_bad_data_is_refused_before_anything_is_written(book, data_copy, capsys):
    edit_value(data_copy, "t04_server_lives_2025", 3, "six")
    before = digest(book)
    assert main(["refresh", str(book), "--data", str(data_copy)]) == 2
    err = capsys.readouterr().err
    assert "t04_server_lives_2025.csv, line 3, column value: must be a number (got 'six')" in err
    assert digest(book) == before


def test_failure_while_saving_leaves_the_workbook_as_it_was(book, data_copy, monkeypatch):
    edit_value(data_copy, "t02_capex_ratios", 2, "15000")
    before = digest(book)

    def broken_save(self, filename):
        with open(filename, "wb") as fh:
            fh.write(b"half")
        raise OSError("disk full")

    monkeypatch.setattr("openpyxl.workbook.workbook.Workbook.save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        refresh(book, data_copy)
    assert digest(book) == before
    assert sorted(p.name for p in book.parent.iterdir()) == ["data", "model.xlsm"]


def test_refresh_target_is_the_shared_function(book):
    """The headless path goes through refresh_target with an OpenpyxlTarget (the Excel
    macro uses the same function with an XlwingsTarget)."""
    wb = load_workbook(book, keep_vba=True)
    before = {s: sheet_content(wb[s]) for s in ("Inputs", "Capex")}
    written = refresh_target(OpenpyxlTarget(wb), load_data(DATA))
    # the seed's tables, the filings' tables and their quarterly view, then the depreciation
    # fit refitted on the new data (dd_fit); the 10-K facts (life_changes, pp_e_facts) have
    # no sheet of their own: the fit reads them, and dd_fit and Depreciation show them
    seed = sorted(
        p.stem
        for p in DATA.glob("*.csv")
        if p.stem not in FILINGS_SHEETS and p.stem not in FILED_LOADERS
    )
    assert written == [*seed, *FILINGS_SHEETS, FIT_STEM]
    assert {s: sheet_content(wb[s]) for s in ("Inputs", "Capex")} == before
