"""Inputs of the depreciation debate (the Depreciation sheet): every figure not in data/.

Figures the seed prints (Meta's ~60% short-lived share of capex, line 324; its 2026
capex floor, line 322) are seed values linked to data/t00_text_figures.csv. Everything
else (the companies' disclosed change dates and effects, 2026 guidance, tax rates,
share counts, the bear case's US$176bn) is an input with its source; figures quoted from
memory of a filing say "verify".
"""

from __future__ import annotations

from sheets.model.input_type import Input

__all__ = ["CHANGE_QUARTERS", "COMPANIES", "INPUTS", "SCENARIOS", "TICKERS"]

G = "Depreciation debate: installed base, life policy, earnings (Depreciation sheet)"
T00 = "t00_text_figures"
COMPANIES = ("Amazon", "Microsoft", "Alphabet", "Meta")
TICKERS = {"Amazon": "AMZN", "Microsoft": "MSFT", "Alphabet": "GOOGL", "Meta": "META"}
SCENARIOS = ("base", "bull", "bear")
CHANGE_QUARTERS = tuple(f"{y}Q{q}" for y in range(2019, 2027) for q in range(1, 5))
"""The quarters a change date may be set to (a list validation holds at most 255 chars)."""

_SHARE = {  # server and network share of capex: base, bull, bear; source of the base
    "Amazon": (
        0.50,
        0.40,
        0.60,
        "Assumption: Amazon does not split its capex; most is AWS infrastructure, the rest "
        "fulfilment and transport (buildings, equipment)",
    ),
    "Microsoft": (
        0.50,
        0.40,
        0.60,
        "Microsoft FY25 Q2 earnings call (2025-01-29, CFO): roughly half of cloud and AI "
        "spend is for long-lived assets (15 years and beyond); verify",
    ),
    "Alphabet": (
        0.60,
        0.50,
        0.70,
        "Alphabet earnings calls 2025 (CFO): about 60% of technical-infrastructure capex "
        "is servers, 40% data centres and networking equipment; verify",
    ),
    "Meta": (
        None,
        0.50,
        0.70,
        "Seed line 324: about 60% of Meta's 2025 capex to short-lived assets",
    ),
}

_CAPEX_2026 = {
    "Amazon": (
        200,
        "Amazon Q4 2025 results (2026-02): about US$200bn of capex in 2026; verify",
    ),
    "Microsoft": (
        140,
        "Assumption: Microsoft gives no calendar-2026 figure; filed 2026H1 (cash PP&E) x 2 "
        "plus growth",
    ),
    "Alphabet": (
        180,
        "Alphabet Q4 2025 results (2026-02-04): 2026 capex US$175-185bn, mid-point; verify",
    ),
    "Meta": (
        None,
        "Seed line 322: 'may exceed US$100bn' (a floor); Meta's Q4 2025 results (2026-01) "
        "guided US$115-135bn: type 125 to use it; verify",
    ),
}

_REV_GROWTH = {"Amazon": 0.11, "Microsoft": 0.15, "Alphabet": 0.14, "Meta": 0.18}
_TAX = {"Amazon": 0.15, "Microsoft": 0.18, "Alphabet": 0.17, "Meta": 0.15}
_SHARES = {"Amazon": 10_800, "Microsoft": 7_470, "Alphabet": 12_200, "Meta": 2_600}

_EFFECTS = {  # disclosed effect of each company's latest change in server life
    "Amazon": (
        3.2,
        "TECH-NOTES (Amazon 2024 10-K): servers 5 to 6 years from 2024-01-01, 2024 D&A "
        "US$3.2bn lower",
    ),
    "Microsoft": (
        3.7,
        "TECH-NOTES (Microsoft FY2023 10-K): servers and network equipment 4 to 6 years "
        "from 2022-07-01, FY2023 operating income US$3.7bn higher",
    ),
    "Alphabet": (
        3.9,
        "TECH-NOTES (Alphabet 2023 10-K): servers 4 to 6 years (certain network equipment "
        "5 to 6) from 2023-01-01, 2023 depreciation US$3.9bn lower",
    ),
    "Meta": (
        2.92,
        "TECH-NOTES (Meta 2025 10-K): certain servers and network assets to 5.5 years "
        "from 2025-01-01, 2025 depreciation US$2.92bn lower",
    ),
}

_CHANGES = (  # (input name, company, default quarter, source of the date)
    (
        "DD_chg_AMZN_1",
        "Amazon",
        "2020Q1",
        "Amazon Q4 2019 results: servers 3 to 4 years from 2020-01-01; 表3 4 years from 2020",
    ),
    (
        "DD_chg_AMZN_2",
        "Amazon",
        "2022Q1",
        "Amazon Q4 2021 results: servers 4 to 5 years from 2022-01-01; 表3 5 years from 2022",
    ),
    (
        "DD_chg_AMZN_3",
        "Amazon",
        "2024Q1",
        "Amazon Q4 2023 results: servers 5 to 6 years from 2024-01-01; 表3 6 years from 2024",
    ),
    (
        "DD_chg_MSFT_1",
        "Microsoft",
        "2022Q3",
        "Microsoft FY2022 10-K / FY23 Q1 10-Q: 4 to 6 years from the start of FY2023 "
        "(2022-07-01); 表3 says 2023 (calendar)",
    ),
    (
        "DD_chg_GOOGL_1",
        "Alphabet",
        "2023Q1",
        "Alphabet Q4 2022 results: 4 to 6 years from fiscal 2023 (2023-01-01); "
        "表3 6 years from 2023",
    ),
    (
        "DD_chg_META_1",
        "Meta",
        "2022Q1",
        "Meta 2022 10-K: servers and network assets to 4.5 years from 2022; verify",
    ),
    (
        "DD_chg_META_2",
        "Meta",
        "2025Q1",
        "Meta Q4 2024 results / 2025 10-K: 5.5 years from 2025-01-01",
    ),
)


def _inputs() -> list[Input]:
    out: list[Input] = [
        Input(
            "DD_scenario",
            "Scenario in use (base | bull | bear): capex growth, server share, economic life",
            "text",
            "base",
            group=G,
            choices=SCENARIOS,
            source="Analyst switch; the three scenarios' values are side by side on the "
            "Depreciation sheet",
        )
    ]
    growth = {"base": 0.10, "bull": 0.0, "bear": 0.25}
    life = {"base": 4, "bull": 5, "bear": 3}
    why = {
        "base": "Assumption: capex growth slowing from 2026's pace; GPU economic life "
        "4 years (between the 2-3-year product cycle and 5-6-year accounting lives)",
        "bull": "Assumption (for earnings): flat capex after 2026, fewer short-lived "
        "assets, 5-year economic life (表4: Lambda 5 years)",
        "bear": "Assumption (the short-life critique): capex +25% a year, more servers, "
        "3-year economic life (the bear case's 2-3-year product cycle)",
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
            ),
            Input(
                f"DD_life_{sc}",
                f"Economic life of servers and network equipment, {sc} scenario",
                "years",
                life[sc],
                group=G,
                source=why[sc],
            ),
        ]
        for company in COMPANIES:
            t = TICKERS[company]
            base, bull, bear, source = _SHARE[company]
            value = {"base": base, "bull": bull, "bear": bear}[sc]
            data = None
            if value is None:
                data = (T00, "Meta", "short_lived_asset_share_of_capex", "2025")
            out.append(
                Input(
                    f"DD_share_{t}_{sc}",
                    f"{company}: servers and network equipment as a share of capex, {sc}",
                    "pct",
                    value,
                    data=data,
                    group=G,
                    source=source if sc == "base" else "Assumption: base -/+ 10 points",
                )
            )
    out.append(
        Input(
            "DD_life_other",
            "Life of buildings, land and other assets (blended)",
            "years",
            25,
            group=G,
            source="Assumption: buildings 25-40 years, land not depreciated, fit-out and "
            "leasehold improvements shorter; blended",
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
            )
        )
    for company in COMPANIES:
        t = TICKERS[company]
        out += [
            Input(
                f"DD_rev_growth_{t}",
                f"{company}: revenue growth per year 2026-2028",
                "pct",
                _REV_GROWTH[company],
                group=G,
                source="Assumption near the filed 2025 growth (the sheet shows it)",
            ),
            Input(
                f"DD_tax_{t}",
                f"{company}: tax rate on operating income",
                "pct",
                _TAX[company],
                group=G,
                source="Assumption near the recent effective tax rate (not in data/: no "
                "income_tax filed); replace with the latest 10-K",
            ),
            Input(
                f"DD_shares_{t}",
                f"{company}: diluted shares",
                "shares_m",
                _SHARES[company],
                group=G,
                kind="count",
                source="Approximate weighted diluted shares, latest 10-K (2025), held "
                "flat (not in data/: no shares_diluted filed); verify",
            ),
        ]
    for name, company, quarter, source in _CHANGES:
        out.append(
            Input(
                name,
                f"{company}: first quarter of a new server life",
                "text",
                quarter,
                group=G,
                choices=CHANGE_QUARTERS,
                source=source,
            )
        )
    for name, desc, value, source in (
        (
            "DD_life_q_META_0",
            "Meta: server life before 2022, quarters",
            16,
            "Meta 10-K 2021: servers and network assets 4 years (not in 表3/表4); verify",
        ),
        (
            "DD_life_q_META_1",
            "Meta: server life from the first change, quarters",
            18,
            "Meta 2022 10-K: 4.5 years; verify",
        ),
        (
            "DD_life_q_META_2",
            "Meta: server life from the second change, quarters",
            22,
            "Meta 2025 10-K: 5.5 years",
        ),
    ):
        out.append(Input(name, desc, "count", value, group=G, kind="periods", source=source))
    for company in COMPANIES:
        value, source = _EFFECTS[company]
        out.append(
            Input(
                f"DD_effect_{TICKERS[company]}",
                f"{company}: disclosed effect of its latest life change (lower D&A)",
                "USD_bn",
                value,
                group=G,
                source=source,
            )
        )
    out += [
        Input(
            "DD_claim_gap",
            "The bear case: depreciation understated 2026-2028 by extending lives",
            "USD_bn",
            176,
            group=G,
            source="Michael Burry (Scion), X post 2025-11-10; covers Meta, Alphabet, "
            "Microsoft, Amazon and Oracle; method not published",
        ),
        Input(
            "DD_claim_life",
            "The bear case's economic life of compute equipment",
            "years",
            3,
            group=G,
            source="Same post: a 2-3-year product cycle (upper end)",
        ),
        Input(
            "DD_grid_life_first",
            "Sensitivity grid: first economic life (rows rise by 1 year)",
            "years",
            2,
            group=G,
            source="Grid layout: 2 to 6 years",
        ),
        Input(
            "DD_grid_share_first",
            "Sensitivity grid: first server share (columns)",
            "pct",
            0.4,
            group=G,
            source="Grid layout: 40% to 100%",
        ),
        Input(
            "DD_grid_share_step",
            "Sensitivity grid: step between server-share columns",
            "pct",
            0.1,
            group=G,
            source="Grid layout",
        ),
    ]
    return out


INPUTS: list[Input] = _inputs()
