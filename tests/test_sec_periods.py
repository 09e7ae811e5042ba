"""Quarters from filed facts: year-to-date differencing, Q4 = FY - 9M, fiscal -> calendar
alignment (Microsoft, Oracle, NVIDIA), tag switches, restatements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sheets.sources.loader import load_file
from sheets.sources.sec.periods import FiscalCalendar, duration_period, instant_period
from sheets.sources.sec.series import company_rows

from .conftest import DATA
from .sec_helpers import fact, load_fixture, parsed

QUARTERS_T02 = ["2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1", "2025Q2", "2025Q3"]


def rows_of(facts, metric=None):
    return {(r.metric, r.period): r for r in company_rows(facts) if metric in (None, r.metric)}


@pytest.fixture(scope="module")
def alphabet():
    return rows_of(load_fixture("GOOGL"))


def test_alphabet_capex_ytd_differencing_on_real_facts(alphabet):
    # 10-Q 0001652044-25-000062: six months to 2025-06-30 39,643; 10-Q
    # 0001652044-25-000043: three months to 2025-03-31 17,197 -> Q2 = 39,643 - 17,197 =
    # 22,446 (US$m). Q3: nine months 63,596 (0001652044-25-000091) - 39,643 = 23,953.
    q2, q3 = alphabet[("capex", "2025Q2")], alphabet[("capex", "2025Q3")]
    assert (q2.value, q2.derivation, q2.fiscal_label) == (22446, "ytd_difference", "FY25Q2")
    assert (q2.start, q2.end) == (date(2025, 4, 1), date(2025, 6, 30))
    assert (q3.value, q3.derivation) == (23953, "ytd_difference")
    # accn/filed: the latest filing among the inputs (both YTDs are repeated in later
    # 10-Qs; the six-month one last in 0001652044-26-000071, filed 2026-07-23).
    assert (q3.accn, q3.filed) == ("0001652044-26-000071", date(2026, 7, 23))


def test_alphabet_q4_is_fiscal_year_less_nine_months(alphabet):
    # 10-K 0001652044-25-000014: FY2024 capex 52,535; 10-Q 0001652044-24-000118: nine
    # months to 2024-09-30 38,259 -> Q4 = 52,535 - 38,259 = 14,276 (US$m).
    q4 = alphabet[("capex", "2024Q4")]
    assert (q4.value, q4.derivation, q4.fiscal_label) == (14276, "fy_less_9m", "FY24Q4")
    assert (q4.start, q4.end) == (date(2024, 10, 1), date(2024, 12, 31))


@pytest.mark.parametrize(("ticker", "entity"), [("GOOGL", "Alphabet"), ("AMZN", "Amazon")])
def test_quarterly_capex_equals_table_2(ticker, entity):
    """/work/shared/sec/README.md: Alphabet's and Amazon's quarterly capex derived from
    these files equal 表2 (data/t02_capex_ratios.csv, seed lines 335 and 337) in all seven
    quarters 24Q1-25Q3."""
    t02 = load_file(DATA / "t02_capex_ratios.csv")
    printed = t02[(t02.entity == entity) & (t02.metric == "capex")].set_index("period")
    got = rows_of(load_fixture(ticker), "capex")
    for period in QUARTERS_T02:
        assert got[("capex", period)].value == Decimal(str(printed.loc[period, "value"]))
    # Amazon's capex tag is PaymentsToAcquireProductiveAssets (purchases of property and
    # equipment net of proceeds and incentives), Alphabet's ...PropertyPlantAndEquipment.
    tags = {got[("capex", p)].tag for p in QUARTERS_T02}
    assert (
        tags
        == {
            "AMZN": {"PaymentsToAcquireProductiveAssets"},
            "GOOGL": {"PaymentsToAcquirePropertyPlantAndEquipment"},
        }[ticker]
    )


def test_microsoft_fiscal_quarters_map_to_calendar_quarters():
    got = rows_of(load_fixture("MSFT"), "capex")
    # 10-Q 0001193125-25-256321: three months to 2025-09-30, 19,394 US$m, is FY26Q1 and
    # calendar 2025Q3 (the table note of 表2: FY26Q1 = 2025Q3).
    q = got[("capex", "2025Q3")]
    assert (q.fiscal_label, q.value, q.derivation) == ("FY26Q1", 19394, "filed")
    assert q.accn == "0001193125-25-256321"
    # Microsoft files three-month cash flows: a filed fact is preferred over a derived
    # one (FY25Q2 = 2024Q4: 15,804 from 10-Q 0001193125-26-027207; 30,727 - 14,923 =
    # 15,804 too). Its FY25Q4 has no three-month fact: 10-K 0000950170-25-100235 FY2025
    # 64,551 - nine months 47,472 (0000950170-25-061046) = 17,079, calendar 2025Q2.
    assert got[("capex", "2024Q4")].derivation == "filed"
    q4 = got[("capex", "2025Q2")]
    assert (q4.fiscal_label, q4.value, q4.derivation) == ("FY25Q4", 17079, "fy_less_9m")
    cal = FiscalCalendar.from_mmdd("06-30")
    assert cal.quarter_of(date(2025, 9, 30)) == (2026, 1)


def test_oracle_may_year_end_synthetic():
    """Oracle has no saved file: a synthetic document with its CIK and May year end."""
    tag = "PaymentsToAcquirePropertyPlantAndEquipment"
    a, b, c = "0001341439-25-000010", "0001341439-25-000020", "0001341439-25-000030"
    facts = parsed(
        "ORCL",
        {
            tag: [
                fact("2024-06-01", "2025-02-28", 9000, a, "2025-03-11"),  # 9M FY2025
                fact("2024-06-01", "2025-05-31", 21000, b, "2025-06-20", "10-K"),  # FY2025
                fact("2025-06-01", "2025-08-31", 8500, c, "2025-09-10"),  # FY2026 Q1
                fact("2025-06-01", "2025-11-30", 20500, "0001341439-25-000040", "2025-12-12"),
            ],
            "RevenueFromContractWithCustomerExcludingAssessedTax": [
                fact("2025-06-01", "2025-08-31", 14926, c, "2025-09-10"),
            ],
            "NetCashProvidedByUsedInOperatingActivities": [
                fact("2025-06-01", "2025-08-31", 8140, c, "2025-09-10"),
            ],
            "CashAndCashEquivalentsAtCarryingValue": [
                fact(None, "2025-05-31", 10786, b, "2025-06-20", "10-K"),
            ],
        },
    )
    got = rows_of(facts)
    # FY2025 Q4 = Mar-May 2025: 21,000 - 9,000 = 12,000 (US$, /1e6 in USD_m); midpoint
    # mid-April -> 2025Q2.
    q4 = got[("capex", "2025Q2")]
    assert (q4.fiscal_label, q4.value, q4.derivation) == ("FY25Q4", Decimal("0.012"), "fy_less_9m")
    # FY2026 Q1 = Jun-Aug 2025 (midpoint mid-July) -> 2025Q3; Q2 = Sep-Nov -> 2025Q4,
    # 20,500 - 8,500 = 12,000.
    assert got[("capex", "2025Q3")].fiscal_label == "FY26Q1"
    q2 = got[("capex", "2025Q4")]
    assert (q2.fiscal_label, q2.value, q2.derivation) == (
        "FY26Q2",
        Decimal("0.012"),
        "ytd_difference",
    )
    # A balance at 2025-05-31: minus 45 days = 2025-04-16 -> 2025Q2, FY25Q4.
    cash = got[("cash", "2025Q2")]
    assert (cash.fiscal_label, cash.derivation, cash.start) == ("FY25Q4", "instant", None)


def test_nvidia_capex_tag_switch_synthetic():
    """NVIDIA has no saved file: a synthetic document (built here) with its CIK, its
    late-January 52/53-week year and the capex tag switch after fiscal 2020 (TECH-NOTES:
    PaymentsToAcquirePropertyPlantAndEquipment -> PaymentsToAcquireProductiveAssets; the
    retired tag stays in the feed)."""
    old, new = "PaymentsToAcquirePropertyPlantAndEquipment", "PaymentsToAcquireProductiveAssets"
    k20, k21 = "0001045810-20-000010", "0001045810-21-000010"
    facts = parsed(
        "NVDA",
        {
            old: [
                fact("2018-01-29", "2018-10-28", 450, "0001045810-18-000001", "2018-11-20"),
                fact("2018-01-29", "2019-01-27", 600, "0001045810-19-000001", "2019-02-21", "10-K"),
                fact("2019-01-28", "2019-10-27", 350, "0001045810-19-000002", "2019-11-21"),
                fact("2019-01-28", "2020-01-26", 489, k20, "2020-02-20", "10-K"),
            ],
            new: [
                fact("2019-01-28", "2020-01-26", 489, k21, "2021-02-26", "10-K"),  # comparative
                fact("2020-01-27", "2020-10-25", 788, "0001045810-20-000020", "2020-11-18"),
                fact("2020-01-27", "2021-01-31", 1128, k21, "2021-02-26", "10-K"),
                fact("2025-01-27", "2025-04-27", 1227, "0001045810-25-000116", "2025-05-28"),
            ],
            "Revenues": [
                fact("2025-01-27", "2025-04-27", 44062, "0001045810-25-000116", "2025-05-28")
            ],
            "NetCashProvidedByUsedInOperatingActivities": [
                fact("2025-01-27", "2025-04-27", 27414, "0001045810-25-000116", "2025-05-28"),
            ],
            "CashAndCashEquivalentsAtCarryingValue": [
                fact(None, "2026-01-25", 100, "0001045810-26-000010", "2026-02-25", "10-K"),
            ],
        },
    )
    got = rows_of(facts)
    # FY2019 Q4 (Oct 2018 - Jan 2019, midpoint December) -> 2018Q4: old tag only,
    # 600 - 450 = 150.
    fy19 = got[("capex", "2018Q4")]
    assert (fy19.fiscal_label, fy19.tag, fy19.value * 10**6) == ("FY19Q4", old, 150)
    # FY2021 Q4 -> 2020Q4: new tag, 1,128 - 788 = 340.
    fy21 = got[("capex", "2020Q4")]
    assert (fy21.fiscal_label, fy21.tag, fy21.value * 10**6) == ("FY21Q4", new, 340)
    # FY2020 Q4: the fiscal year now comes from the new tag (the 10-K filed 2021 repeats
    # it), the nine months only exist under the old one: both tags named; 489 - 350.
    fy20 = got[("capex", "2019Q4")]
    assert (fy20.tag, fy20.value * 10**6, fy20.accn) == (f"{new}|{old}", 139, k21)
    # FY2026 Q1 = 27 Jan - 27 Apr 2025, midpoint mid-March -> 2025Q1 (calendar).
    q1 = got[("capex", "2025Q1")]
    assert (q1.fiscal_label, q1.tag, q1.derivation) == ("FY26Q1", new, "filed")
    # The balance at the last Sunday of January 2026 -> minus 45 days -> 2025Q4, FY26Q4.
    assert got[("cash", "2025Q4")].fiscal_label == "FY26Q4"


def test_restatement_latest_wins_earlier_traceable():
    # CoreWeave capex three months to 2025-03-31: 10-Q 0001769628-25-000014 filed
    # 1,407,359,000 US$; the 2026 10-Q 0001769628-26-000222 repeats it rounded,
    # 1,407,000,000. Latest wins; the earlier value stays in `restated`.
    got = rows_of(load_fixture("CRWV"), "capex")
    q1 = got[("capex", "2025Q1")]
    assert (q1.value, q1.accn) == (1407, "0001769628-26-000222")
    assert q1.restated == (("0001769628-25-000014", Decimal("1407.359")),)
    # A derived quarter is recomputed as of each filing date: Q2 2025 = six months
    # 3,860,351,000 (0001769628-25-000041) - 1,407,359,000 = 2,452.992 US$m first; then
    # 3,860,351,000 - 1,407,000,000 = 2,453.351 after 0001769628-26-000222; today
    # 3,860,000,000 - 1,407,000,000 = 2,453 (0001769628-26-000366).
    q2 = got[("capex", "2025Q2")]
    assert q2.value == 2453
    assert q2.restated == (
        ("0001769628-25-000041", Decimal("2452.992")),
        ("0001769628-26-000222", Decimal("2453.351")),
    )
    assert q2.fields()[-1] == "0001769628-25-000041:2452.992;0001769628-26-000222:2453.351"


def test_synthetic_restatement_and_eps_is_never_derived():
    tag = "NetCashProvidedByUsedInOperatingActivities"
    eps = "EarningsPerShareDiluted"
    facts = parsed(
        "META",
        {
            tag: [
                fact("2024-01-01", "2024-03-31", 100, "0001326801-24-000001", "2024-04-25"),
                fact("2024-01-01", "2024-03-31", 105, "0001326801-25-000001", "2025-04-30"),
            ],
            "PaymentsToAcquirePropertyPlantAndEquipment": [
                fact("2024-01-01", "2024-03-31", 7, "0001326801-24-000001", "2024-04-25"),
            ],
            "Revenues": [fact("2024-01-01", "2024-03-31", 9, "0001326801-24-000001", "2024-04-25")],
        },
    )
    q1 = rows_of(facts)[("ocf", "2024Q1")]
    assert q1.value * 10**6 == 105 and q1.accn == "0001326801-25-000001"
    assert q1.restated == (("0001326801-24-000001", Decimal("0.0001")),)
    # EPS: a fiscal year and nine months are filed, but EPS is not additive: no Q4 row.
    doc_eps = parsed(
        "META",
        {
            eps: [
                fact("2024-01-01", "2024-09-30", 16.0, "0001326801-24-000002", "2024-10-30"),
                fact("2024-07-01", "2024-09-30", 6.03, "0001326801-24-000002", "2024-10-30"),
                fact(
                    "2024-01-01", "2024-12-31", 23.86, "0001326801-25-000003", "2025-01-30", "10-K"
                ),
            ]
        },
        unit="USD/shares",
    )
    from sheets.sources.sec.concepts import concept_for
    from sheets.sources.sec.series import metric_rows

    c = concept_for("eps_diluted")
    rows = metric_rows(doc_eps.company, c, {t: doc_eps.facts(t, c.xbrl_unit) for t in c.tags})
    assert [(r.period, r.value, r.unit) for r in rows] == [("2024Q3", Decimal("6.03"), "USD")]


def test_calendar_rules():
    # Duration: calendar quarter of the midpoint; instant: of the date minus 45 days.
    assert duration_period(date(2025, 7, 1), date(2025, 9, 30)) == "2025Q3"
    assert duration_period(date(2024, 12, 1), date(2025, 2, 28)) == "2025Q1"  # Oracle Q3
    assert instant_period(date(2025, 3, 31)) == "2025Q1"
    assert instant_period(date(2025, 11, 30)) == "2025Q4"  # Oracle FY26Q2 balance


def test_nebius_annual_usd_only():
    got = rows_of(load_fixture("NBIS"))
    # 20-F 0001104659-26-052948: FY2025 capex 4,066,000,000 US$ (no quarterly XBRL).
    row = got[("capex", "2025")]
    assert (row.value, row.fiscal_label, row.form) == (4066, "FY2025", "20-F")
    assert all(len(r.period) == 4 for r in got.values())
    # FY2024 revenue was 117.5 in 20-F 0001558370-25-005991, restated to 91.5 in
    # 0001104659-26-052948: latest wins, the earlier value traceable.
    rev = got[("revenue", "2024")]
    assert rev.value == Decimal("91.5")
    assert rev.restated == (("0001558370-25-005991", Decimal("117.5")),)


def test_other_currencies_are_ignored():
    # Nebius (20-F) files USD and RUB; only the USD unit is read (synthetic, built here).
    import json

    from sheets.sources.sec.companies import company_for
    from sheets.sources.sec.companyfacts import parse_companyfacts

    from .sec_helpers import document

    company = company_for("NBIS")
    accn = "0001104659-26-052948"
    tags = {
        t: [fact("2025-01-01", "2025-12-31", 4066000000, accn, "2026-04-30", "20-F")]
        for t in (
            "PaymentsToAcquirePropertyPlantAndEquipment",
            "NetCashProvidedByUsedInOperatingActivities",
            "Revenues",
        )
    }
    doc = document(company, tags)
    for entry in doc["facts"]["us-gaap"].values():
        entry["units"]["RUB"] = [fact("2025-01-01", "2025-12-31", 9e11, accn, "2026-04-30")]
    rows = company_rows(parse_companyfacts(json.dumps(doc).encode(), company, "x.json"))
    assert {(r.metric, r.period, r.value, r.unit) for r in rows} == {
        (m, "2025", 4066, "USD_m") for m in ("capex", "ocf", "revenue")
    }
