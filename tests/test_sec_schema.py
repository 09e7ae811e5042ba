"""The loaders of data/companies.csv and data/sec_filings.csv: the real files load with
types, and each kind of broken file gets one message naming file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from sheets.sources.loader import DataError
from sheets.sources.sec.schema import (
    COMPANIES_COLUMNS,
    FILINGS_COLUMNS,
    load_companies,
    load_filings,
)

from .conftest import DATA

C_HEADER = ",".join(COMPANIES_COLUMNS)
C_ROWS = [
    "MSFT,0000789019,Microsoft,06-30,quarterly,fiscal year ends 30 June",
    "NBIS,0001513845,Nebius,12-31,annual,",
]
F_HEADER = ",".join(FILINGS_COLUMNS)
F_ROWS = [
    "Microsoft,capex,2025Q3,19394,USD_m,filed,FY26Q1,2025-07-01,2025-09-30,"
    "PaymentsToAcquirePropertyPlantAndEquipment,0001193125-25-256321,10-Q,2025-10-29,",
    "Microsoft,cash,2025Q3,28849,USD_m,instant,FY26Q1,,2025-09-30,"
    "CashAndCashEquivalentsAtCarryingValue,0001193125-25-256321,10-Q,2025-10-29,",
    "Nebius,revenue,2024,91.5,USD_m,filed,FY2024,2024-01-01,2024-12-31,Revenues,"
    "0001104659-26-052948,20-F,2026-04-30,0001558370-25-005991:117.5",
]


def write(tmp_path: Path, header: str, rows: list[str], name: str) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_real_files_load_with_types():
    companies = load_companies(DATA / "companies.csv")
    filings = load_filings(DATA / "sec_filings.csv", companies)
    assert len(companies) == 8
    assert filings["value"].dtype == "float64"
    assert set(filings.unit) <= {"USD_m", "USD", "shares_m"}
    assert not filings.duplicated(["entity", "metric", "period"]).any()
    assert set(filings.derivation) == {"filed", "ytd_difference", "fy_less_9m", "instant"}


def test_good_small_files_load(tmp_path):
    companies = load_companies(write(tmp_path, C_HEADER, C_ROWS, "companies.csv"))
    frame = load_filings(write(tmp_path, F_HEADER, F_ROWS, "f.csv"), companies)
    assert frame["value"].tolist() == [19394.0, 28849.0, 91.5]
    assert frame["csv_line"].tolist() == [2, 3, 4]
    assert frame.loc[1, "start"] == ""


def _swap(row: int, col: str, value: str) -> list[str]:
    rows = list(F_ROWS)
    import csv
    import io

    cells = next(csv.reader(io.StringIO(rows[row])))
    cells[FILINGS_COLUMNS.index(col)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    rows[row] = out.getvalue()
    return rows


@pytest.mark.parametrize(
    ("rows", "header", "expected"),
    [
        (F_ROWS, F_HEADER.replace(",unit", ""), "line 1, column unit: missing column unit"),
        (F_ROWS, F_HEADER.replace("value,unit", "unit,value"), "line 1: columns out of order"),
        (_swap(0, "metric", "capex_usd"), F_HEADER, "line 2, column metric: must be one of"),
        (_swap(0, "value", "1,000"), F_HEADER, "line 2, column value: must be a plain number"),
        (_swap(0, "value", "nan"), F_HEADER, "line 2, column value: must be a plain number"),
        (_swap(0, "unit", "USD_bn"), F_HEADER, "line 2, column unit: must be USD_m for capex"),
        (
            _swap(0, "period", "2025Q4"),
            F_HEADER,
            "line 2, column period: 2025Q4 does not match the dates 2025-07-01..2025-09-30",
        ),
        (_swap(0, "period", "FY26Q1"), F_HEADER, "line 2, column period: must be YYYYQn or YYYY"),
        (_swap(0, "fiscal_label", "FY2026"), F_HEADER, "line 2, column fiscal_label"),
        (_swap(0, "derivation", "guess"), F_HEADER, "line 2, column derivation: must be one of"),
        (
            _swap(1, "derivation", "filed"),
            F_HEADER,
            "line 3, column derivation: cash can only be instant",
        ),
        (
            _swap(1, "start", "2025-07-01"),
            F_HEADER,
            "line 3, column start: must be empty for a balance",
        ),
        (_swap(0, "end", "2025-09-31"), F_HEADER, "line 2, column end: must be a date"),
        (_swap(0, "accn", "12345"), F_HEADER, "line 2, column accn: must be an accession"),
        (_swap(0, "tag", "us-gaap:Revenues"), F_HEADER, "line 2, column tag"),
        (
            _swap(0, "filed", "2025-09-01"),
            F_HEADER,
            "line 2, column filed: filing date 2025-09-01 is before the period end",
        ),
        (_swap(2, "restated", "117.5"), F_HEADER, "line 4, column restated: must be accn:value"),
        (_swap(0, "entity", "Tesla"), F_HEADER, "line 2, column entity: unknown entity"),
        (
            _swap(2, "entity", "Microsoft"),
            F_HEADER,
            "line 4, column period: Microsoft files quarterly",
        ),
        ([*F_ROWS, F_ROWS[0]], F_HEADER, "line 5, column entity,metric,period: duplicate"),
        ([F_ROWS[0] + ",extra"], F_HEADER, "line 2: has 15 fields, expected 14"),
        ([], F_HEADER, "has a header but no data rows"),
    ],
)
def test_broken_filings_file_gives_one_line(tmp_path, rows, header, expected):
    companies = load_companies(write(tmp_path, C_HEADER, C_ROWS, "companies.csv"))
    path = write(tmp_path, header, rows, "sec_filings.csv")
    with pytest.raises(DataError) as err:
        load_filings(path, companies)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    assert expected in message


def test_eps_cannot_be_derived(tmp_path):
    row = (
        "Microsoft,eps_diluted,2025Q2,3.65,USD,fy_less_9m,FY25Q4,2025-04-01,2025-06-30,"
        "EarningsPerShareDiluted,0000950170-25-100235,10-K,2025-07-30,"
    )
    with pytest.raises(DataError, match="column derivation: eps_diluted can only be filed"):
        load_filings(write(tmp_path, F_HEADER, [row], "f.csv"))


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([C_ROWS[0].replace("0000789019", "789019")], "line 2, column cik: must be a 10-digit"),
        ([C_ROWS[0].replace("06-30", "06-31")], "line 2, column fiscal_year_end: is not a day"),
        ([C_ROWS[0].replace("06-30", "June")], "line 2, column fiscal_year_end: must be MM-DD"),
        ([C_ROWS[0].replace("quarterly", "monthly")], "line 2, column filer: must be one of"),
        ([C_ROWS[0].replace("MSFT", "msft")], "line 2, column ticker"),
        ([C_ROWS[0], C_ROWS[0]], "line 3, column ticker: duplicate MSFT (first on line 2)"),
        ([C_ROWS[0].replace("Microsoft", "")], "line 2, column entity: is empty"),
    ],
)
def test_broken_companies_file_gives_one_line(tmp_path, rows, expected):
    path = write(tmp_path, C_HEADER, rows, "companies.csv")
    with pytest.raises(DataError) as err:
        load_companies(path)
    assert expected in str(err.value) and "\n" not in str(err.value)


def test_not_utf8(tmp_path):
    path = tmp_path / "companies.csv"
    path.write_bytes(
        (C_HEADER + "\nMSFT,0000789019,Micro\xe9soft,06-30,quarterly,\n").encode("latin-1")
    )
    with pytest.raises(DataError, match=r"line 2: is not UTF-8 text"):
        load_companies(path)
