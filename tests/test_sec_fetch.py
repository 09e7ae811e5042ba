"""``aimodel fetch --from``: the committed data, timing, and the change summary."""

from __future__ import annotations

import json
import shutil
import time

from sheets.cli import main
from sheets.sources.sec.schema import load_companies, load_filings

from .conftest import DATA
from .sec_helpers import COMPANYFACTS, SIX


def test_committed_data_is_what_the_fixtures_give(tmp_path):
    out = tmp_path / "data"
    out.mkdir()
    t0 = time.perf_counter()
    assert main(["fetch", "--from", str(COMPANYFACTS), "--tickers", SIX, "--data", str(out)]) == 0
    print(f"\naimodel fetch --from fixtures ({SIX}): {time.perf_counter() - t0:.2f} s in-process")
    for name in ("companies.csv", "sec_filings.csv"):
        assert (out / name).read_bytes() == (DATA / name).read_bytes(), name
    companies = load_companies(out / "companies.csv")
    filings = load_filings(out / "sec_filings.csv", companies)
    assert list(companies.ticker) == [
        "MSFT",
        "AMZN",
        "GOOGL",
        "META",
        "ORCL",
        "NVDA",
        "CRWV",
        "NBIS",
    ]
    assert set(filings.entity) == {"Microsoft", "Amazon", "Alphabet", "Meta", "CoreWeave", "Nebius"}
    order = {e: i for i, e in enumerate(companies.entity)}
    keys = [
        (order[e], m, p)
        for e, m, p in zip(filings.entity, filings.metric, filings.period, strict=True)
    ]
    assert keys == sorted(keys)


def _without_quarter(src, dst, end):
    """Copy the fixtures, dropping from Alphabet's every fact that ends on ``end``."""
    shutil.copytree(src, dst)
    path = dst / "CIK0001652044.json"
    doc = json.loads(path.read_bytes())
    for tag in doc["facts"]["us-gaap"].values():
        for unit, rows in tag["units"].items():
            tag["units"][unit] = [r for r in rows if r["end"] != end]
    path.write_text(json.dumps(doc))


def test_change_summary_names_the_new_quarter(tmp_path, capsys):
    older = tmp_path / "older"
    _without_quarter(COMPANYFACTS, older, "2026-06-30")
    data = tmp_path / "data"
    data.mkdir()
    assert (
        main(["fetch", "--from", str(older), "--tickers", "GOOGL,CRWV", "--data", str(data)]) == 0
    )
    capsys.readouterr()
    assert (
        main(["fetch", "--from", str(COMPANYFACTS), "--tickers", "GOOGL,CRWV", "--data", str(data)])
        == 0
    )
    out = capsys.readouterr().out
    assert "aimodel: Alphabet: 1 new period(s): 2026Q2\n" in out
    assert "CoreWeave" not in out.split("\n", 1)[1]  # nothing new for CoreWeave
    # A restated value: change Alphabet's FY2025 capex (10-K 0001652044-26-000018,
    # 91,447 US$m) to 91,000: Q4 2025 = FY - 9M moves from 91,447 - 63,596 = 27,851 to
    # 91,000 - 63,596 = 27,404.
    changed = tmp_path / "changed"
    shutil.copytree(COMPANYFACTS, changed)
    path = changed / "CIK0001652044.json"
    doc = json.loads(path.read_bytes())
    for r in doc["facts"]["us-gaap"]["PaymentsToAcquirePropertyPlantAndEquipment"]["units"]["USD"]:
        if r["start"] == "2025-01-01" and r["end"] == "2025-12-31":
            r["val"] = 91_000_000_000
    path.write_text(json.dumps(doc))
    assert main(["fetch", "--from", str(changed), "--tickers", "GOOGL", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "aimodel: Alphabet capex 2025Q4: 27851 -> 27404\n" in out
    # CoreWeave, not fetched this time, keeps its rows.
    assert "CoreWeave" in set(load_filings(data / "sec_filings.csv").entity)


def test_missing_file_or_unknown_ticker_exits_2_and_leaves_data(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    (data / "sec_filings.csv").write_bytes((DATA / "sec_filings.csv").read_bytes())
    before = (data / "sec_filings.csv").read_bytes()
    # Oracle has no saved file: the whole fetch fails, nothing is written.
    assert (
        main(["fetch", "--from", str(COMPANYFACTS), "--tickers", "GOOGL,ORCL", "--data", str(data)])
        == 2
    )
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("aimodel: Oracle (ORCL), ") and "CIK0001341439.json: no such file" in err
    assert (data / "sec_filings.csv").read_bytes() == before
    assert not (data / "companies.csv").exists()
    assert (
        main(["fetch", "--from", str(COMPANYFACTS), "--tickers", "TSLA", "--data", str(data)]) == 2
    )
    assert "unknown ticker 'TSLA'" in capsys.readouterr().err


def test_a_company_added_to_companies_csv_is_fetched(tmp_path, capsys):
    """Adding a company is a data change: a row in data/companies.csv, then aimodel fetch.

    The company and its facts are synthetic, built here: capex 10-Q YTD 100 (Q1), 250 (H1)
    -> Q2 = 250 - 100 = 150 (hand calculation)."""
    from sheets.sources.sec.companies import Company

    from .sec_helpers import document, fact

    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(DATA / "companies.csv", data)
    with (data / "companies.csv").open("a", encoding="utf-8") as fh:
        fh.write("TSTC,0000000042,Testco,12-31,quarterly,synthetic company of this test\n")
    source = tmp_path / "facts"
    source.mkdir()
    company = Company("TSTC", "0000000042", "Testco", "12-31", "quarterly")
    a1, a2 = "0000000042-25-000001", "0000000042-25-000002"
    tags = {
        tag: [
            fact("2025-01-01", "2025-03-31", 100e6, a1, "2025-04-30"),
            fact("2025-01-01", "2025-06-30", 250e6, a2, "2025-07-30"),
        ]
        for tag in (
            "PaymentsToAcquirePropertyPlantAndEquipment",
            "NetCashProvidedByUsedInOperatingActivities",
            "RevenueFromContractWithCustomerExcludingAssessedTax",
        )
    }
    (source / company.filename).write_text(json.dumps(document(company, tags)))
    assert main(["fetch", "--from", str(source), "--tickers", "TSTC", "--data", str(data)]) == 0
    companies = load_companies(data / "companies.csv")
    assert list(companies["ticker"])[-1] == "TSTC"
    rows = load_filings(data / "sec_filings.csv", companies)
    capex = rows[(rows["entity"] == "Testco") & (rows["metric"] == "capex")]
    assert dict(zip(capex["period"], capex["value"], strict=True)) == {
        "2025Q1": 100.0,
        "2025Q2": 150.0,
    }
