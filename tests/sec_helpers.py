"""Shared helpers of the tests/test_sec_*.py files: fixture paths and synthetic
company-facts documents built in the test (for companies with no saved file)."""

from __future__ import annotations

import json
from pathlib import Path

from sheets.sources.sec.companies import Company, company_for
from sheets.sources.sec.companyfacts import CompanyFacts, parse_companyfacts

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sec"
COMPANYFACTS = FIXTURES / "companyfacts"
ASSERVED = FIXTURES / "asserved" / "CIK0001652044.json"
SIX = "MSFT,AMZN,GOOGL,META,CRWV,NBIS"


def fact(start, end, val, accn, filed, form="10-Q") -> dict:
    """One fact as SEC serves it (start None for an instant)."""
    row = {"end": end, "val": val, "accn": accn, "fy": 2099, "fp": "Q9", "form": form}
    row["filed"] = filed
    if start is not None:
        row["start"] = start
    return row


def document(company: Company, tags: dict[str, list[dict]], unit: str = "USD") -> dict:
    """A minimal company-facts document holding ``tags`` (us-gaap) in ``unit``."""
    return {
        "cik": int(company.cik),
        "entityName": company.entity.upper(),
        "facts": {
            "us-gaap": {
                tag: {"label": None, "description": None, "units": {unit: rows}}
                for tag, rows in tags.items()
            }
        },
    }


def parsed(ticker: str, tags: dict[str, list[dict]], unit: str = "USD") -> CompanyFacts:
    company = company_for(ticker)
    raw = json.dumps(document(company, tags, unit)).encode()
    return parse_companyfacts(raw, company, f"synthetic/{company.filename}")


def load_fixture(ticker: str) -> CompanyFacts:
    company = company_for(ticker)
    path = COMPANYFACTS / company.filename
    return parse_companyfacts(path.read_bytes(), company, str(path))
