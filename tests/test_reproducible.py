"""The same data/ gives the same bytes (issue 18, part 2): the build at two wall-clock
times, a refresh with unchanged data, the document and zip-entry dates from data/."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import time
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from sheets.evaluate.libreoffice import convert, soffice
from sheets.sources.atomic import reproducible_zip, save_atomic
from sheets.sources.loader import data_stamp, load_data
from sheets.sources.template import TEMPLATE, vba_project_bytes
from sheets.workbook.build import build
from sheets.workbook.refresh import refresh

from .conftest import DATA, MODEL


def latest_filing_date() -> dt.datetime:
    """By hand from the file: the largest ``filed`` of data/sec_filings.csv."""
    with (DATA / "sec_filings.csv").open(encoding="utf-8") as fh:
        return dt.datetime.fromisoformat(max(r["filed"] for r in csv.DictReader(fh)))


def test_two_builds_a_second_apart_are_byte_equal(built_model, tmp_path):
    time.sleep(1.1)  # openpyxl and zipfile stamp the wall clock to the second
    again = build(DATA, tmp_path / "model.xlsm")
    assert again.read_bytes() == built_model.read_bytes()


def test_document_and_zip_dates_come_from_the_latest_filing(built_model):
    stamp = latest_filing_date()
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(built_model) as z:
        core = z.read("docProps/core.xml").decode()
        assert f'<dcterms:created xsi:type="dcterms:W3CDTF">{iso}</dcterms:created>' in core
        assert f'<dcterms:modified xsi:type="dcterms:W3CDTF">{iso}</dcterms:modified>' in core
        assert {i.date_time for i in z.infolist()} == {stamp.timetuple()[:6]}
        assert {i.compress_type for i in z.infolist()} == {zipfile.ZIP_DEFLATED}
    wb = load_workbook(built_model, keep_vba=True)
    assert wb.properties.modified == stamp and wb.properties.created == stamp


def test_the_vba_project_is_the_templates_and_the_file_opens(built_model, tmp_path):
    assert vba_project_bytes(built_model) == vba_project_bytes(TEMPLATE)
    assert load_workbook(built_model, keep_vba=True).sheetnames[0] == "README"
    try:
        soffice()
    except RuntimeError:
        if os.environ.get("CI"):
            raise
        pytest.skip("LibreOffice is not installed")
    out = convert(built_model, "xlsx", tmp_path)
    assert "Capex" in load_workbook(out, read_only=True).sheetnames


def test_the_committed_model_is_what_make_model_writes(built_model):
    """A fresh clone's `make model` leaves git clean: the same bytes as the committed file."""
    assert MODEL.read_bytes() == built_model.read_bytes()


def test_a_refresh_with_unchanged_data_leaves_the_file_alone(built_model, tmp_path):
    book = tmp_path / "model.xlsm"
    shutil.copy2(built_model, book)
    before = book.stat().st_mtime_ns
    refresh(book, DATA)
    assert book.read_bytes() == built_model.read_bytes()
    assert book.stat().st_mtime_ns == before


def test_a_refresh_with_changed_data_writes_the_data_date(built_model, tmp_path, data_copy):
    """A changed value is written, and the file's dates still come from data/."""
    path = data_copy / "t04_server_lives_2025.csv"
    rows = path.read_text(encoding="utf-8").splitlines()
    head, first = rows[0].split(","), rows[1].split(",")
    first[head.index("value")] = "7"
    path.write_text("\n".join([rows[0], ",".join(first), *rows[2:]]) + "\n", encoding="utf-8")
    book = tmp_path / "model.xlsm"
    shutil.copy2(built_model, book)
    refresh(book, data_copy)
    assert book.read_bytes() != built_model.read_bytes()
    with zipfile.ZipFile(book) as z:
        assert {i.date_time for i in z.infolist()} == {latest_filing_date().timetuple()[:6]}
    assert vba_project_bytes(book) == vba_project_bytes(TEMPLATE)


def test_source_date_epoch_wins(monkeypatch):
    data = load_data(DATA)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # date -u -d @1767225600
    assert data_stamp(data) == dt.datetime(2026, 1, 1, 0, 0, 0)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(Exception, match="SOURCE_DATE_EPOCH: must be a whole number"):
        data_stamp(data)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert data_stamp(data) == latest_filing_date()


def test_reproducible_zip_changes_only_times(tmp_path):
    wb = Workbook()
    wb.active["A1"] = "aim"
    first = save_atomic(wb, tmp_path / "a.xlsx", dt.datetime(2026, 8, 12)).read_bytes()
    time.sleep(1.1)
    plain = tmp_path / "b.xlsx"
    wb.save(plain)
    again = reproducible_zip(plain.read_bytes(), dt.datetime(2026, 8, 12))
    assert again == first
    with zipfile.ZipFile(plain) as p, zipfile.ZipFile(tmp_path / "a.xlsx") as r:
        assert [i.filename for i in p.infolist()] == [i.filename for i in r.infolist()]
        for name in p.namelist():
            if name != "docProps/core.xml":
                assert p.read(name) == r.read(name), name
    early = reproducible_zip(plain.read_bytes(), dt.datetime(1970, 1, 1))
    with zipfile.ZipFile(io.BytesIO(early)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
