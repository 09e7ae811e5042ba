"""Parsing company facts: the full as-served Alphabet file, and documents that are not
company facts (one-line errors naming company and file)."""

from __future__ import annotations

import json
import time

import pytest

from sheets.sources.sec.companies import company_for
from sheets.sources.sec.companyfacts import parse_companyfacts
from sheets.sources.sec.errors import SecError
from sheets.sources.sec.series import company_rows

from .sec_helpers import ASSERVED, COMPANYFACTS


def test_full_as_served_alphabet_file_parses_in_under_a_second():
    raw = ASSERVED.read_bytes()
    assert len(raw) > 3_000_000  # the full 3.4 MB response, 523 us-gaap tags
    t0 = time.process_time()
    facts = parse_companyfacts(raw, company_for("GOOGL"), str(ASSERVED))
    rows = company_rows(facts)
    elapsed = time.process_time() - t0
    print(f"\nas-served Alphabet: parse + all metrics in {elapsed:.3f} s, {len(rows)} rows")
    assert elapsed < 1.0
    assert len(facts.document["facts"]["us-gaap"]) == 523
    got = {(r.metric, r.period): r for r in rows}
    # 10-Q 0001652044-25-000043 (filed 2025-04-25): capex three months to 2025-03-31
    # PaymentsToAcquirePropertyPlantAndEquipment 17,197 US$m.
    assert got[("capex", "2025Q1")].value == 17197
    # The full file has EPS and diluted shares, which the trimmed fixture lacks; EPS has
    # three-month facts (filed), never a derived Q4.
    assert got[("eps_diluted", "2025Q1")].derivation == "filed"
    assert all(r.derivation == "filed" for r in rows if r.metric == "eps_diluted")
    assert got[("rpo", "2025Q4")].derivation == "instant"
    # Revenue: Revenues covers to 2026-03-31, RevenueFromContract... only to 2025-03-31,
    # so Revenues is ranked first; RevenueFromContract... fills the quarters for which
    # Revenues has no fact (10-Q 0001652044-25-000043: three months to 2024-03-31,
    # 80,539 US$m), and the tag column says which.
    assert got[("revenue", "2025Q3")].tag == "Revenues"
    q1 = got[("revenue", "2024Q1")]
    assert (q1.tag, q1.value, q1.accn) == (
        "RevenueFromContractWithCustomerExcludingAssessedTax",
        80539,
        "0001652044-25-000043",
    )


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (
            b'{"cik": 1652044, "entityName": "ALPHABET INC.", "facts": {"us-gaap": {"Rev',
            "truncated",
        ),
        (b"", "not valid JSON"),
        (b"<html><body>Request Rate Threshold Exceeded</body></html>", "not valid JSON"),
        (b'{"filings": {"recent": {}}, "cik": "0001652044"}', "is not SEC company facts"),
        (b"[1, 2, 3]", "is not SEC company facts"),
        (b'{"cik": "x", "facts": {}}', "'cik' is 'x'"),
        (b'{"cik": 789019, "entityName": "MICROSOFT", "facts": {}}', "not CIK 0001652044"),
        (b"\xff\xfe{}", "not UTF-8"),
    ],
)
def test_not_company_facts_is_one_line_naming_company_and_file(raw, problem):
    with pytest.raises(SecError) as err:
        parse_companyfacts(raw, company_for("GOOGL"), "some/dir/CIK0001652044.json")
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith("Alphabet (GOOGL), some/dir/CIK0001652044.json: ")
    assert problem in message


def test_truncated_real_file_names_company_and_file():
    path = COMPANYFACTS / "CIK0000789019.json"
    raw = path.read_bytes()[:100_000]
    with pytest.raises(
        SecError,
        match=r"^Microsoft \(MSFT\), .*CIK0000789019\.json: is not "
        r"valid JSON, truncated or damaged",
    ):
        parse_companyfacts(raw, company_for("MSFT"), str(path))


def test_a_bad_fact_inside_a_used_tag_is_named():
    doc = json.loads((COMPANYFACTS / "CIK0001769628.json").read_bytes())
    rows = doc["facts"]["us-gaap"]["PaymentsToAcquirePropertyPlantAndEquipment"]["units"]["USD"]
    rows[2]["end"] = "2025-13-45"
    facts = parse_companyfacts(json.dumps(doc).encode(), company_for("CRWV"), "x.json")
    with pytest.raises(SecError, match=r"PaymentsToAcquirePropertyPlantAndEquipment USD fact 3"):
        company_rows(facts)


def test_company_without_a_needed_tag_is_an_error():
    doc = json.loads((COMPANYFACTS / "CIK0001769628.json").read_bytes())
    del doc["facts"]["us-gaap"]["NetCashProvidedByUsedInOperatingActivities"]
    facts = parse_companyfacts(json.dumps(doc).encode(), company_for("CRWV"), "x.json")
    with pytest.raises(SecError, match=r"^CoreWeave \(CRWV\), x.json: no quarterly ocf fact"):
        company_rows(facts)
