"""The Excel macro path (model.main -> refresh_target with an XlwingsTarget), run against a
stand-in for xlwings' Book that keeps its cells in an openpyxl workbook. xlwings'
interactive API does not run on Linux; the stand-in implements the few calls the target
makes, with xlwings' shapes (a one-row range reads as a flat list, ``options(ndim=2)``
as rows), so the target's own logic is tested here and the result compared with the
headless path's."""

from __future__ import annotations

import shutil
import sys
import types
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.worksheet.formula import ArrayFormula

from sheets.evaluate.compare import sheet_content
from sheets.sources.loader import load_data
from sheets.workbook.excel_target import XlwingsTarget
from sheets.workbook.refresh import FILINGS_SHEETS, OpenpyxlTarget, RefreshError, refresh_target

from .conftest import DATA
from .test_refresh import edit_value


def _corner(address):
    if isinstance(address, tuple):
        return address
    col, row = coordinate_from_string(address)
    return row, column_index_from_string(col)


class FakeRange:
    def __init__(self, ws, first, last=None, ndim=None):
        self.ws, self.first, self.last = ws, _corner(first), _corner(last or first)
        self.ndim = ndim
        self.font = SimpleNamespace(italic=False, color=None)

    def options(self, ndim=None):
        return FakeRange(self.ws, self.first, self.last, ndim)

    def _cells(self):
        (r1, c1), (r2, c2) = self.first, self.last
        return [
            [self.ws.cell(row=r, column=c) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)
        ]

    @property
    def value(self):
        rows = [[c.value for c in row] for row in self._cells()]
        if self.ndim == 2:
            return rows
        if self.ndim == 1:
            return [v for row in rows for v in row]
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]
        if len(rows) == 1:
            return rows[0]
        return rows

    @value.setter
    def value(self, data):
        if not isinstance(data, list):  # one value into one cell
            data = [[data]]
        r0, c0 = self.first
        for i, row in enumerate(data):
            for j, v in enumerate(row):
                cell = self.ws.cell(row=r0 + i, column=c0 + j)
                if isinstance(v, str) and v.startswith("'"):  # Excel's text prefix
                    cell.value = v[1:]
                    cell.data_type = "s"
                else:
                    cell.value = v

    @property
    def formula(self):
        out = []
        for row in self._cells():
            line = []
            for c in row:
                v = c.value
                line.append(
                    v.text
                    if isinstance(v, ArrayFormula)
                    else v
                    if c.data_type == "f"
                    else ("" if v is None else str(v))
                )
            out.append(tuple(line))
        return tuple(out)

    def clear(self):
        for row in self._cells():
            for c in row:
                c.value = None

    clear_contents = clear

    @property
    def number_format(self):
        return self._cells()[0][0].number_format

    @number_format.setter
    def number_format(self, fmt):
        for row in self._cells():
            for c in row:
                c.number_format = fmt

    @property
    def last_cell(self):
        return SimpleNamespace(row=self.last[0], column=self.last[1])


class FakeTable:
    def __init__(self, table):
        self.table = table

    def resize(self, rng):
        (r1, c1), (r2, c2) = rng.first, rng.last
        from openpyxl.utils import get_column_letter

        self.table.ref = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"


class FakeSheet:
    def __init__(self, ws):
        self.ws = ws
        self.name = ws.title

    def range(self, first, last=None):
        return FakeRange(self.ws, first, last)

    @property
    def used_range(self):
        return FakeRange(self.ws, (1, 1), (self.ws.max_row, self.ws.max_column))

    @property
    def tables(self):
        return {name: FakeTable(self.ws.tables[name]) for name in self.ws.tables}


class FakeSheets:
    def __init__(self, wb):
        self.wb = wb

    def __iter__(self):
        return (FakeSheet(ws) for ws in self.wb.worksheets)

    def __getitem__(self, name):
        return FakeSheet(self.wb[name])


class FakeNames:
    """xlwings' ``book.names[name].refers_to_range``, over openpyxl's defined names."""

    def __init__(self, wb):
        self.wb = wb

    def __getitem__(self, name):
        if name not in self.wb.defined_names:
            raise KeyError(name)
        sheet, coord = next(iter(self.wb.defined_names[name].destinations))
        return SimpleNamespace(refers_to_range=FakeRange(self.wb[sheet], coord.replace("$", "")))


class FakeBook:
    def __init__(self, wb, fullname):
        self.wb, self.fullname = wb, fullname
        self.sheets = FakeSheets(wb)
        self.names = FakeNames(wb)


def test_macro_path_writes_what_the_headless_path_writes(tmp_path, built_model, data_copy):
    edit_value(data_copy, "t02_capex_ratios", 2, "15000")
    with (data_copy / "t02_capex_ratios.csv").open("a", encoding="utf-8") as fh:
        fh.write("Amazon,capex,2025Q4,40000,USD_m,input,estimate,calendar,,text,1,=1+1\n")
    data = load_data(data_copy)
    excel = load_workbook(built_model, keep_vba=True)
    headless = load_workbook(built_model, keep_vba=True)
    refresh_target(XlwingsTarget(FakeBook(excel, str(tmp_path / "model.xlsm"))), data)
    refresh_target(OpenpyxlTarget(headless), data)
    for stem, _ in data:
        ours = {k: v[0] for k, v in sheet_content(excel[stem]).items()}
        theirs = {k: v[0] for k, v in sheet_content(headless[stem]).items()}
        assert ours == theirs, stem
        assert excel[stem].tables[f"tbl_{stem}"].ref == headless[stem].tables[f"tbl_{stem}"].ref
    last = excel["t02_capex_ratios"].max_row
    note = excel["t02_capex_ratios"].cell(row=last, column=12)
    assert note.value == "=1+1" and note.data_type == "s"  # text, never a formula
    for name in ("Inputs", "Capex", "Checks"):
        assert sheet_content(excel[name]) == sheet_content(load_workbook(built_model)[name])


def test_macro_path_writes_the_filings_as_the_headless_path(tmp_path, built_model, data_copy):
    """A restated value and a dropped row in data/sec_filings.csv reach the companies,
    sec_filings and sec_quarterly sheets identically through both targets."""
    path = data_copy / "sec_filings.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if ",2020Q1," in line)
    parts = lines[at].split(",")
    parts[3] = "12345.5"  # a restated value of a quarter on the timeline
    lines[at] = ",".join(parts)
    del lines[at + 1]  # a value no longer filed: its sec_quarterly cell must be emptied
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = load_data(data_copy)
    excel = load_workbook(built_model, keep_vba=True)
    headless = load_workbook(built_model, keep_vba=True)
    refresh_target(XlwingsTarget(FakeBook(excel, str(tmp_path / "model.xlsm"))), data)
    refresh_target(OpenpyxlTarget(headless), data)
    for stem in FILINGS_SHEETS:
        ours = {k: v[0] for k, v in sheet_content(excel[stem]).items()}
        theirs = {k: v[0] for k, v in sheet_content(headless[stem]).items()}
        assert ours == theirs, stem
    assert 12345.5 in [c.value for row in excel["sec_quarterly"].iter_rows() for c in row]


def test_macro_path_refuses_what_the_headless_path_refuses(built_model):
    wb = load_workbook(built_model, keep_vba=True)
    wb["t04_server_lives_2025"].title = "lives"
    with pytest.raises(RefreshError, match="no sheet 't04_server_lives_2025'"):
        refresh_target(XlwingsTarget(FakeBook(wb, "model.xlsm")), load_data(DATA))


def test_model_main_refreshes_the_calling_book(tmp_path, built_model, monkeypatch, data_copy):
    """model.main() is what the workbook's SampleCall macro runs through RunPython."""
    folder = tmp_path / "book"
    folder.mkdir()
    shutil.copytree(data_copy, folder / "data")
    edit_value(folder / "data", "t04_server_lives_2025", 2, "7")
    wb = load_workbook(built_model, keep_vba=True)
    book = FakeBook(wb, str(folder / "model.xlsm"))
    fake_xw = types.ModuleType("xlwings")
    fake_xw.Book = SimpleNamespace(caller=lambda: book)
    monkeypatch.setitem(sys.modules, "xlwings", fake_xw)
    import model

    model.main()
    assert wb["t04_server_lives_2025"]["D5"].value == 7
