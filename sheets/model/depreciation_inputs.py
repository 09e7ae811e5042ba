"""Inputs of the depreciation debate (the Depreciation sheet): every figure not in data/.

The companies' life changes, their disclosed effects and the filed depreciation of
property come from data/life_changes.csv and data/pp_e_facts.csv (accession numbers on
the Depreciation sheet); the server shares, other-assets life and in-service lag are
fitted there by least squares (sheets/model/depreciation_fit.py), and each has an
override here (blank: the fitted value is used). Every input below carries an evidence
grade (:data:`GRADES`): ``filed`` (an accession number), ``seed`` (a line of the seed),
``derived``, ``fitted`` or ``assumption`` (its source says "Assumption:" and why).
"""

from __future__ import annotations

from sheets.model.input_type import Input

__all__ = ["COMPANIES", "FIT_PARAMS", "GRADES", "INPUTS", "SCENARIOS", "TICKERS", "grade_of"]

G = "Depreciation debate: installed base, life policy, earnings (Depreciation sheet)"
T00 = "t00_text_figures"
COMPANIES = ("Amazon", "Microsoft", "Alphabet", "Meta")
TICKERS = {"Amazon": "AMZN", "Microsoft": "MSFT", "Alphabet": "GOOGL", "Meta": "META"}
SCENARIOS = ("base", "bull", "bear")
GRADES = ("filed", "seed", "derived", "fitted", "assumption")
"""Evidence grades, strongest first; a headline shows the weakest it rests on."""
FIT_PARAMS = (  # (key, description, unit) of the fitted parameters, overridable
    ("pre", "servers and network equipment as a share of capex, spend before 2023", "pct"),
    ("post", "servers and network equipment as a share of capex, spend from 2023", "pct"),
    ("life_other", "life of buildings and other assets, years", "years"),
    ("lag", "quarters from spend to service (construction in progress)", "count"),
    ("subset", "share of servers and network moved back to 5 years in 2025", "pct"),
)

_CAPEX_2026 = {
    "Amazon": (
        200,
        "Assumption: the filed 2026H1 capex (sec_filings, 2026Q1-Q2: US$98bn) annualised, "
        "rounded up",
    ),
    "Microsoft": (
        140,
        "Assumption: Microsoft gives no calendar-2026 figure; the filed 2026H1 (cash PP&E, "
        "US$67bn) annualised plus growth",
    ),
    "Alphabet": (
        170,
        "Assumption: the filed 2026H1 capex (US$81bn) annualised, plus a second half "
        "above the first as in 2025",
    ),
    "Meta": (
        None,
        "Seed line 322: 'may exceed US$100bn' (a floor; the filed 2026H1, US$49bn, "
        "annualises to US$98bn)",
    ),
}

_REV_GROWTH = {  # (growth, the filed figure it stands on)
    "Amazon": (0.11, "the filed 2025 growth, 12.4% (sec_filings revenue, 2025 vs 2024 quarters)"),
    "Microsoft": (
        0.15,
        "the filed calendar-2025 growth, 16.7% (sec_filings revenue, 2025 vs 2024 quarters)",
    ),
    "Alphabet": (
        0.14,
        "Alphabet's 2023-2024 revenue quarters are incomplete in data/sec_filings.csv; "
        "the Google Cloud and Search growth the seed prints (line 833: Cloud +34% in 25Q3) "
        "on a mostly slower-growing base",
    ),
    "Meta": (0.18, "the filed 2025 growth, 22.2% (sec_filings revenue, 2025 vs 2024 quarters)"),
}
_TAX = {"Amazon": 0.15, "Microsoft": 0.18, "Alphabet": 0.17, "Meta": 0.15}
_SHARES = {"Amazon": 10_800, "Microsoft": 7_470, "Alphabet": 12_200, "Meta": 2_600}


def _inputs() -> list[Input]:
    out: list[Input] = [
        Input(
            "DD_scenario",
            "Scenario in use (base | bull | bear): capex growth and economic life",
            "text",
            "base",
            group=G,
            choices=SCENARIOS,
            source="Analyst switch; the three scenarios' values are side by side on the "
            "Depreciation sheet",
            grade="assumption",
        )
    ]
    growth = {"base": 0.10, "bull": 0.0, "bear": 0.25}
    life = {"base": 4, "bull": 5, "bear": 3}
    why = {
        "base": "Assumption: capex growth slowing from 2026's pace; GPU economic life "
        "4 years (between the 2-3-year product cycle and 5-6-year accounting lives)",
        "bull": "Assumption (for earnings): flat capex after 2026, 5-year economic life "
        "(表4: Lambda 5 years)",
        "bear": "Assumption (the short-life critique): capex +25% a year, 3-year economic "
        "life (the bear case's 2-3-year product cycle)",
    }
    for sc in SCENARIOS:
        out += [
            Input(
                f"DD_capex_growth_{sc}",
                f"Capex growth per year in 2027 and 2028, {sc} scenario",
                "pct",
                growth[sc],
                group=G,
                source=why[sc],
                grade="assumption",
            ),
            Input(
                f"DD_life_{sc}",
                f"Economic life of servers and network equipment, {sc} scenario",
                "years",
                life[sc],
                group=G,
                source=why[sc],
                grade="assumption",
            ),
        ]
    out += [
        Input(
            "DD_network_fraction",
            "Network equipment as a share of server and network spend",
            "pct",
            0.2,
            group=G,
            source="Assumption: not disclosed by any of the four; switches, routers and "
            "optics are a minority of a data hall's IT spend. It only matters where the "
            "network life differs from the servers' (Alphabet, Amazon, Microsoft before "
            "2023)",
            grade="assumption",
        ),
        Input(
            "DD_META_life_before_2022",
            "Meta: life of servers and network assets before its 2022Q2 extension",
            "years",
            4.0,
            group=G,
            source="Assumption: the filings in data/ do not state it (life_changes.csv, "
            "Meta rows); 4 years is the life the 2022Q2 extension started from if it "
            "moved in the half-year steps of its later changes (to 5.5 in 2025)",
            kind="life_q",
            grade="assumption",
        ),
        Input(
            "DD_META_life_from_2022",
            "Meta: life of servers and network assets from its 2022Q2 extension to 2024",
            "years",
            4.5,
            group=G,
            source="Assumption: 10-Q 2022Q2 (accession 0001326801-22-000082) says the "
            "lives of a majority of servers and network assets were extended in that "
            "quarter without the new life; 4.5 years, one half-year step below the 5.5 "
            "from 2025 (accession 0001326801-25-000017)",
            kind="life_q",
            grade="assumption",
        ),
    ]
    for company in COMPANIES:
        t = TICKERS[company]
        for key, desc, unit in FIT_PARAMS:
            if key == "subset" and company != "Amazon":
                continue
            out.append(
                Input(
                    f"DD_fit_{key}_{t}",
                    f"{company}: override of the fitted {desc} (blank = fitted)",
                    unit,
                    None,
                    group=G,
                    kind="count" if key == "lag" else "",
                    source="Blank: the least-squares fit on the Depreciation sheet is used; "
                    "a value typed here wins and the sheet says 'override'",
                    grade="fitted",
                )
            )
    for company in COMPANIES:
        t = TICKERS[company]
        value, source = _CAPEX_2026[company]
        out.append(
            Input(
                f"DD_capex_2026_{t}",
                f"{company}: capex in calendar 2026 (forecast quarters take the rest)",
                "USD_bn",
                value,
                data=(T00, "Meta", "capex", "2026") if value is None else None,
                group=G,
                source=source,
                grade="seed" if value is None else "assumption",
            )
        )
    for company in COMPANIES:
        t = TICKERS[company]
        out += [
            Input(
                f"DD_rev_growth_{t}",
                f"{company}: revenue growth per year 2026-2028",
                "pct",
                _REV_GROWTH[company][0],
                group=G,
                source="Assumption: growth slowing a little from "
                + _REV_GROWTH[company][1]
                + " as the base grows; the earnings bridge shows the filed years beside it",
                grade="assumption",
            ),
            Input(
                f"DD_margin_change_{t}",
                f"{company}: change in the margin before D&A 2026-2028 from the latest "
                "filed year's, percentage points (0 = held)",
                "pct",
                0.0,
                group=G,
                source="Assumption: held at the latest filed year's (operating income + "
                "D&A) / revenue, which the earnings bridge computes from sec_filings "
                "(operating_income, da, revenue); type a change to move it",
                grade="assumption",
            ),
            Input(
                f"DD_tax_{t}",
                f"{company}: tax rate on operating income",
                "pct",
                _TAX[company],
                group=G,
                source="Assumption near the recent effective tax rate (income_tax is not "
                "in data/sec_filings.csv yet)",
                grade="assumption",
            ),
            Input(
                f"DD_shares_{t}",
                f"{company}: diluted shares",
                "shares_m",
                _SHARES[company],
                group=G,
                kind="count",
                source="Assumption: approximate weighted diluted shares of 2025, held flat "
                "(shares_diluted is not in data/sec_filings.csv for these companies)",
                grade="assumption",
            ),
        ]
    out += [
        Input(
            "DD_claim_gap",
            "The bear case: depreciation understated 2026-2028 by extending lives",
            "USD_bn",
            176,
            group=G,
            source="Assumption (the claim under test): Michael Burry (Scion), X post "
            "2025-11-10; covers Meta, Alphabet, Microsoft, Amazon and Oracle; method not "
            "published",
            grade="assumption",
        ),
        Input(
            "DD_claim_life",
            "The bear case's economic life of compute equipment",
            "years",
            3,
            group=G,
            source="Assumption (the claim's): a 2-3-year product cycle (upper end)",
            grade="assumption",
        ),
        Input(
            "DD_grid_life_first",
            "Sensitivity grid: first economic life (rows rise by 1 year)",
            "years",
            2,
            group=G,
            source="Grid layout: 2 to 6 years",
            grade="assumption",
        ),
        Input(
            "DD_grid_share_first",
            "Sensitivity grid: first multiple of the fitted server shares (columns)",
            "pct",
            0.5,
            group=G,
            source="Grid layout: 50% to 200% of the shares in use",
            grade="assumption",
        ),
        Input(
            "DD_grid_share_step",
            "Sensitivity grid: step between share-multiple columns",
            "pct",
            0.25,
            group=G,
            source="Grid layout",
            grade="assumption",
        ),
    ]
    return out


INPUTS: list[Input] = _inputs()
_GRADE = {i.name: i.grade for i in INPUTS}


def grade_of(name: str) -> str:
    """The evidence grade of a depreciation input (KeyError if unknown)."""
    return _GRADE[name]
