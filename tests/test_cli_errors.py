"""The CLI's bad paths: each ends in one line on standard error and exit status 2, never a
traceback, and is found before any work is done (issue 18, part 4)."""

from __future__ import annotations

import csv
import io
import socket
import subprocess
import sys

import pytest

from sheets import __version__
from sheets.cli import main

from .conftest import DATA, ROOT
from .sec_helpers import COMPANYFACTS

README = ROOT / "README.md"


def one_line(capsys) -> str:
    """The standard error of the last command: exactly one line, no traceback."""
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert "Traceback" not in err
    return err


def run(*argv: str) -> subprocess.CompletedProcess:
    """``aimodel argv`` (or ``python argv`` when argv[0] ends in .py) in a fresh process."""
    cmd = (
        [sys.executable, *argv]
        if argv[0].endswith(".py")
        else [sys.executable, "-m", "sheets.cli", *argv]
    )
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize(
    "argv",
    [
        ["outputs", "README.md"],
        ["snapshot", "README.md", "--out", "s.xlsx"],
        ["refresh", "README.md"],
    ],
)
def test_a_file_that_is_not_a_workbook_is_one_line(argv, tmp_path, monkeypatch):
    """The issue's own commands, in a separate process as a user types them."""
    monkeypatch.chdir(tmp_path)
    argv = [
        str(README) if a == "README.md" else str(tmp_path / a) if a == "s.xlsx" else a for a in argv
    ]
    done = run(*argv)
    assert done.returncode == 2, done.stderr
    assert (
        done.stderr
        == f"aimodel: workbook {README}: not an Excel workbook (an .xlsx or .xlsm file)\n"
    )
    assert done.stdout == ""
    assert not (tmp_path / "s.xlsx").exists()


def test_missing_workbook_and_a_folder_are_one_line(tmp_path, capsys):
    assert main(["outputs", str(tmp_path / "nothere.xlsm")]) == 2
    assert one_line(capsys) == f"aimodel: workbook {tmp_path / 'nothere.xlsm'}: no such file\n"
    assert main(["outputs", str(tmp_path)]) == 2
    assert one_line(capsys) == f"aimodel: workbook {tmp_path}: is a folder, not a workbook\n"


def test_snapshot_out_folder_is_checked_before_the_recalculation(built_model, capsys, monkeypatch):
    def no_work(*args, **kwargs):
        raise AssertionError("the recalculation ran before the --out folder was checked")

    monkeypatch.setattr("sheets.publish.snapshot.recalculate", no_work)
    assert main(["snapshot", str(built_model), "--out", "/nonexistent/dir/s.xlsx"]) == 2
    assert one_line(capsys) == (
        "aimodel: --out /nonexistent/dir/s.xlsx: the folder /nonexistent/dir does not exist\n"
    )


def test_build_out_folder_is_checked_before_reading_data(capsys, monkeypatch, tmp_path):
    def no_work(*args, **kwargs):
        raise AssertionError("data/ was read before the --out folder was checked")

    monkeypatch.setattr("sheets.workbook.build.load_data", no_work)
    out = tmp_path / "no" / "model.xlsm"
    assert main(["build", "--data", str(DATA), "--out", str(out)]) == 2
    assert one_line(capsys) == f"aimodel: --out {out}: the folder {out.parent} does not exist\n"


def test_vba_out_folder_must_exist(capsys, tmp_path):
    assert main(["vba", "--out", "/nonexistent/x.bas"]) == 2
    assert (
        one_line(capsys)
        == "aimodel: --out /nonexistent/x.bas: the folder /nonexistent does not exist\n"
    )
    assert main(["vba", "--out", str(tmp_path)]) == 2
    assert one_line(capsys) == f"aimodel: --out {tmp_path}: is a folder; give a file name\n"


def test_model_py_outside_excel_is_one_line():
    """``python model.py`` in a shell: xlwings' Book.caller() has no calling workbook."""
    done = run("model.py")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("model.py: not run from Excel: it is model.xlsm's refresh macro")
    assert "aimodel refresh model.xlsm" in done.stderr


def test_version(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == f"aimodel {__version__}\n"


def test_a_name_resolution_failure_is_not_retried(tmp_path, capsys, monkeypatch):
    """urllib wraps the resolver's socket.gaierror in URLError; one lookup, one line."""
    lookups = []

    def no_dns(host, *args, **kwargs):
        lookups.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    monkeypatch.setattr("time.sleep", lambda s: pytest.fail(f"slept {s} s before a retry"))
    data = tmp_path / "data"
    data.mkdir()
    argv = ["fetch", "--tickers", "MSFT", "--data", str(data), "--retries", "3"]
    argv += ["--base-url", "https://sec.example.invalid/", "--user-agent", "Jane jane@example.com"]
    assert main(argv) == 2
    err = one_line(capsys)
    assert lookups == ["sec.example.invalid"]
    assert err.startswith(
        "aimodel: Microsoft (MSFT), https://sec.example.invalid/CIK0000789019.json: "
    )
    assert "cannot resolve the host name sec.example.invalid (Name or service not known)" in err
    assert list(data.iterdir()) == []


def _set_form(data, form: str) -> int:
    """Give the first row of data/sec_filings.csv the form ``form``; return its line."""
    path = data / "sec_filings.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[1][rows[0].index("form")] = form
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return 2


@pytest.mark.parametrize("form", ["10-X", "10-k", "S-1", "10-Q/B", ""])
def test_check_data_rejects_a_form_that_is_not_an_sec_report(form, data_copy, capsys):
    line = _set_form(data_copy, form)
    assert main(["check-data", "--data", str(data_copy)]) == 2
    err = one_line(capsys)
    assert err.startswith(f"aimodel: {data_copy / 'sec_filings.csv'}, line {line}, column form: ")
    assert f"(got {form!r})" in err


@pytest.mark.parametrize("form", ["10-K", "10-Q/A", "20-F/A", "40-F", "6-K", "6-K/A", "8-K"])
def test_check_data_accepts_the_sec_forms(form, data_copy, capsys):
    _set_form(data_copy, form)
    assert main(["check-data", "--data", str(data_copy)]) == 0, capsys.readouterr().err


def test_the_committed_filings_use_only_forms_check_data_accepts():
    """data/sec_filings.csv comes from SEC's files (8-K recasts, DEF 14A pay-versus-
    performance tables included); the loader validates it, so it must load."""
    from sheets.sources.sec.schema import FORMS, load_filings

    assert set(load_filings(DATA / "sec_filings.csv").form) <= FORMS


def test_fetch_from_the_readme_folder_skips_companies_without_a_file(tmp_path, capsys):
    """The README's `aimodel fetch --from tests/fixtures/sec/companyfacts`: Oracle and
    NVIDIA have no saved file there, so they are named as skipped and keep their rows;
    the six others give exactly the committed data/ (which was made from those files)."""
    data = tmp_path / "data"
    data.mkdir()
    for name in ("companies.csv", "sec_filings.csv"):
        (data / name).write_bytes((DATA / name).read_bytes())
    assert main(["fetch", "--from", str(COMPANYFACTS), "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert f"aimodel: fetched MSFT, AMZN, GOOGL, META, CRWV, NBIS from {COMPANYFACTS};" in out
    assert (
        f"aimodel: skipped ORCL, NVDA: no saved file in {COMPANYFACTS} "
        "(CIK0001341439.json, CIK0001045810.json); their rows are kept\n"
    ) in out
    for name in ("companies.csv", "sec_filings.csv"):
        assert (data / name).read_bytes() == (DATA / name).read_bytes(), name


def test_fetch_from_a_missing_folder_is_one_line(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    assert main(["fetch", "--from", str(tmp_path / "none"), "--data", str(data)]) == 2
    assert one_line(capsys) == (
        f"aimodel: {tmp_path / 'none'}: is not a folder (--from names a folder of files)\n"
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["fetch", "--from", str(empty), "--data", str(data)]) == 2
    assert "holds no saved company facts for any company" in one_line(capsys)
    assert list(data.iterdir()) == []


def test_the_command_flushes_a_long_output_before_it_exits():
    """``entry`` ends the process with os._exit after flushing: all of a long listing
    (the .bas module, about 25 kB) reaches a pipe, and the exit status is 0."""
    from sheets.publish.vba import write_bas

    done = run("vba")
    assert done.returncode == 0, done.stderr
    assert done.stdout == write_bas(None)
