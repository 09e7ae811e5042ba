"""The loader: every real data file validates, and each kind of broken file gets one clear
message naming file, line and column (and ``aimodel`` exits with status 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sheets.cli import main
from sheets.sources.loader import COLUMNS, DataError, load_data, load_file
from sheets.sources.units import UNITS

from .conftest import DATA

HEADER = ",".join(COLUMNS)
GOOD_ROWS = [
    "Amazon,capex,2024Q1,14925,USD_m,input,actual,calendar,,表2,336,",
    "Amazon,capex_to_revenue,2024Q1,0.10,pct,reported,actual,calendar,,表2,341,",
    'Microsoft,capex,2024Q1,14000,USD_m,input,actual,fiscal,FY24Q3,表2,337,"note, with comma"',
]


def write(
    tmp_path: Path,
    rows: list[str],
    header: str = HEADER,
    name: str = "t99_x.csv",
    encoding: str = "utf-8",
) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding=encoding)
    return path


def test_every_real_file_loads_with_types():
    data = load_data(DATA)
    assert len(data.frames) >= 14  # one per table in SEED-GUIDE.md (14 tables) + prose figures
    for stem, frame in data:
        assert list(frame.columns[: len(COLUMNS)]) == list(COLUMNS), stem
        assert frame["value"].dtype == "float64", stem
        assert frame["seed_line"].dtype == "int64", stem
        assert set(frame["unit"]) <= set(UNITS), stem
        assert not frame.duplicated(["entity", "metric", "period"]).any(), stem


def test_a_good_file_loads(tmp_path):
    frame = load_file(write(tmp_path, GOOD_ROWS))
    assert frame["value"].tolist() == [14925.0, 0.10, 14000.0]
    assert frame["csv_line"].tolist() == [2, 3, 4]
    assert frame.loc[2, "note"] == "note, with comma"
    assert frame.loc[0, "note"] == ""


@pytest.mark.parametrize(
    ("rows", "header", "expected"),
    [
        # missing column: header without "unit"
        (
            GOOD_ROWS,
            HEADER.replace(",unit", ""),
            "t99_x.csv, line 1, column unit: missing column unit",
        ),
        # extra column
        (GOOD_ROWS, HEADER + ",extra", "line 1, column extra: unexpected column 'extra'"),
        # unknown unit
        (
            [GOOD_ROWS[0].replace("USD_m", "USD_k")],
            HEADER,
            "line 2, column unit: unknown unit 'USD_k'",
        ),
        # duplicate key (entity, metric, period)
        (
            [GOOD_ROWS[0], GOOD_ROWS[0].replace("14925", "1")],
            HEADER,
            "line 3, column entity,metric,period: duplicate key Amazon/capex/2024Q1 "
            "(first on line 2)",
        ),
        # text in a number column
        (
            [GOOD_ROWS[0].replace("14925", "n/a")],
            HEADER,
            "line 2, column value: must be a number (got 'n/a')",
        ),
        (
            [GOOD_ROWS[0].replace("14925", "inf")],
            HEADER,
            "line 2, column value: must be a finite number (got 'inf')",
        ),
        (
            [GOOD_ROWS[0].replace(",336,", ",3x6,")],
            HEADER,
            "line 2, column seed_line: must be a line number >= 1 (got '3x6')",
        ),
        # unparseable period
        (
            [GOOD_ROWS[0].replace("2024Q1", "24Q1")],
            HEADER,
            "line 2, column period: must be YYYY, YYYYQn, YYYY-MM or YYYY-YYYY (got '24Q1')",
        ),
        ([GOOD_ROWS[0].replace("2024Q1", "2030-2025")], HEADER, "column period"),
        # bad enumerations and required fields
        (
            [GOOD_ROWS[0].replace(",input,", ",derived,")],
            HEADER,
            "line 2, column kind: must be one of input, reported (got 'derived')",
        ),
        ([GOOD_ROWS[0].replace("Amazon", "")], HEADER, "line 2, column entity: is empty"),
        (
            [GOOD_ROWS[0].replace(",capex,", ",Capex Total,")],
            HEADER,
            "line 2, column metric: must be snake_case",
        ),
        (
            [GOOD_ROWS[0].replace(",calendar,", ",none,")],
            HEADER,
            "line 2, column period_basis: must be 'none' exactly when period is empty",
        ),
        # wrong field count on a row
        ([GOOD_ROWS[0] + ",surplus"], HEADER, "line 2: has 13 fields, expected 12"),
        # wrong delimiter
        (
            [r.replace(",", ";") for r in GOOD_ROWS],
            HEADER.replace(",", ";"),
            "line 1: is not comma-delimited",
        ),
        # header only
        ([], HEADER, "has a header but no data rows"),
    ],
)
def test_broken_files_name_file_line_and_column(tmp_path, rows, header, expected):
    path = write(tmp_path, rows, header)
    with pytest.raises(DataError) as info:
        load_file(path)
    message = str(info.value)
    assert expected in message
    assert "\n" not in message


def test_wrong_encoding_names_the_line(tmp_path):
    path = write(tmp_path, GOOD_ROWS, encoding="gbk")  # 表 is not UTF-8 in GBK
    with pytest.raises(DataError, match=r"line 2: is not UTF-8 text"):
        load_file(path)


def test_empty_file(tmp_path):
    path = tmp_path / "t99_x.csv"
    path.write_bytes(b"")
    with pytest.raises(DataError, match="is empty"):
        load_file(path)


def test_cli_exits_2_with_one_line_and_no_traceback(tmp_path, capsys):
    folder = tmp_path / "data"
    folder.mkdir()
    write(folder, [GOOD_ROWS[0].replace("USD_m", "USD_k")])
    out = tmp_path / "model.xlsm"
    status = main(["build", "--data", str(folder), "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "t99_x.csv, line 2, column unit: unknown unit 'USD_k'" in err
    assert not out.exists()


def test_check_data_on_real_files(capsys):
    assert main(["check-data", "--data", str(DATA)]) == 0
    assert "all valid" in capsys.readouterr().out
