"""Inputs of the Financing and OpenAI sheets (issue 12): neocloud runway and OpenAI's gap.

Rates of debt and the debt-funded share of capex come from 表10 through the existing
inputs (Kd_NG 11%, Kd_EN 15%, We_NG 25% equity); these are the assumptions the seed
does not print, each with its source.
"""

from __future__ import annotations

from sheets.model.input_type import Input

__all__ = ["CHIP_SUPPLIERS", "INPUTS", "OPENAI_TERMS"]

T05 = "t05_openai_commitments"
T09 = "t09_rpo"

G_NEO = "Neocloud financing and runway"
G_OAI = "OpenAI commitments and funding gap"

OPENAI_TERMS: tuple[tuple[str, str, str], ...] = (
    # (supplier, short name, how the total spreads)
    ("Broadcom", "AVGO", "ramp"),
    ("Oracle", "ORCL", "level"),
    ("Microsoft", "MSFT", "level"),
    ("Nvidia", "NVDA", "level"),
    ("AMD", "AMD", "level"),
    ("AWS", "AWS", "level"),
    ("CoreWeave", "CRWV", "level"),
)
"""The seven suppliers of seed line 541, in its order, with the shape of each schedule."""

_START = {  # first calendar year of payments, and why
    "AVGO": (2026, "表5 line 556: volume production from 2026H2"),
    "ORCL": (2027, "表5 line 554: the contract starts in 2027"),
    "MSFT": (2026, "Assumption: signed 2025-10 (seed line 815); Azure service from the next year"),
    "NVDA": (2026, "Assumption: the seed gives no start (表5 line 553); deployments from 2026"),
    "AMD": (2026, "Assumption: the seed gives no start (表5 line 555); deployments from 2026"),
    "AWS": (2026, "Assumption: signed 2025-11 (表5 line 557); capacity deployed through 2026"),
    "CRWV": (2025, "表5 line 552: signed 2025-03, over the next five years"),
}
_TERM = {  # years of payments where data/ holds none, and why
    "AVGO": (4, "表5 line 556: 2026H2 to large-scale deployment before 2029: 2026-2029"),
    "NVDA": (5, "Assumption: the seed gives no term; 10 GW deployed over five years"),
    "AMD": (5, "Assumption: the seed gives no term; 6 GW deployed over five years"),
}


def _openai_inputs() -> list[Input]:
    out: list[Input] = []
    for supplier, short, _ in OPENAI_TERMS:
        year, why = _START[short]
        out.append(
            Input(
                f"OAI_start_{short}",
                f"OpenAI-{supplier}: first calendar year of payments",
                "count",
                year,
                group=G_OAI,
                kind="count",
                source=why,
            )
        )
        if short in _TERM:
            years, why = _TERM[short]
            out.append(
                Input(
                    f"OAI_term_{short}",
                    f"OpenAI-{supplier}: years of payments",
                    "years",
                    years,
                    group=G_OAI,
                    source=why,
                )
            )
    out += [
        Input(
            "OAI_term_ORCL",
            "OpenAI-Oracle: years of payments",
            "years",
            data=(T05, "Oracle", "contract_term", "2025-09"),
            group=G_OAI,
            source="表5: over five years",
        ),
        Input(
            "OAI_term_AWS",
            "OpenAI-AWS: years of payments",
            "years",
            data=(T05, "AWS", "contract_term", "2025-11"),
            group=G_OAI,
            source="表5: over seven years",
        ),
        Input(
            "OAI_term_CRWV",
            "OpenAI-CoreWeave: years of payments",
            "years",
            data=(T05, "CoreWeave", "contract_term", "2025-03"),
            group=G_OAI,
            source="表5: over five years (the first US$11.9bn; the US$22bn total spread alike)",
        ),
        Input(
            "OAI_term_MSFT_low",
            "OpenAI-Microsoft Azure order: shortest term",
            "years",
            data=(T09, "Microsoft", "contract_term_low", "2025-10"),
            group=G_OAI,
            source="Seed line 863: 5-7 years",
        ),
        Input(
            "OAI_term_MSFT_high",
            "OpenAI-Microsoft Azure order: longest term",
            "years",
            data=(T09, "Microsoft", "contract_term_high", "2025-10"),
            group=G_OAI,
            source="Seed line 863: 5-7 years (the model uses the mid-point)",
        ),
        Input(
            "OAI_MSFT_start_q",
            "Microsoft run-forward: quarter the OpenAI order starts to convert (1 = 2025Q4)",
            "count",
            1,
            group=G_OAI,
            source="Assumption: signed 2025-10, converting from the quarter it was booked",
        ),
        Input(
            "OAI_compute_share",
            "Share of OpenAI's revenue that pays for compute",
            "pct",
            0.41,
            group=G_OAI,
            source="表7 lines 655-659: inference compute US$0.72 of the US$1.75 API price per "
            "million tokens (1 - 59.0% model gross margin); the rest of revenue pays for "
            "people, training and margin",
        ),
        Input(
            "OAI_growth_after",
            "OpenAI revenue growth a year after the last guidance year (2030)",
            "pct",
            0.15,
            group=G_OAI,
            source="Assumption (the seed gives no guidance after 2030); see the sensitivity",
        ),
        Input(
            "OAI_growth_step",
            "Sensitivity: step in OpenAI's yearly revenue growth between scenarios",
            "pct",
            0.10,
            group=G_OAI,
            source="Presentation: scenarios at -20, -10, 0, +10, +20 pp a year around the path",
        ),
        *_openai_funding_inputs(),
    ]
    return out


CHIP_SUPPLIERS = ("NVDA", "AMD", "AVGO")
"""The chip vendors of seed line 541 (OPENAI_TERMS short names): what OpenAI buys from them
is hardware, which runs either in a cloud contract's capacity or in sites of its own."""


def _openai_funding_inputs() -> list[Input]:
    """De-duplication, renewal and the sources of OpenAI's funding (issue 17 point 7)."""
    return [
        Input(
            "OAI_chips_in_cloud",
            "Share of OpenAI's chip purchases installed in capacity a cloud contract already "
            "pays for (counted once: the cloud contract)",
            "pct",
            0.5,
            group=G_OAI,
            source="Assumption: the seed does not say where the chips of lines 553, 555 and "
            "556 run; OpenAI's Stargate sites are built with Oracle (表5 line 554), so half "
            "of the chips is taken to sit in contracted cloud capacity, half in sites "
            "OpenAI leases itself; 0% counts chips and clouds both (the seed's US$1.15tn)",
        ),
        Input(
            "OAI_renewal",
            "Share of lapsed commitments renewed each year after OAI_renew_after",
            "pct",
            0.0,
            group=G_OAI,
            source="Assumption: 0% reproduces the seed's contracts (none after they end); "
            "100% holds compute at the OAI_renew_after level, as a lab that keeps training "
            "and serving would",
        ),
        Input(
            "OAI_renew_after",
            "Last year of the contracted commitments (renewals from the year after)",
            "count",
            2031,
            group=G_OAI,
            kind="count",
            source="Terms above (表5, Inputs): Oracle's 2027-2031 and Microsoft's 2026-2031 "
            "contracts end in 2031 (AWS's runs to 2032); the issue's 'after 2031'",
        ),
        Input(
            "OAI_fund_NVDA",
            "Vendor financing: NVIDIA's investment in OpenAI, paid as its systems deploy",
            "USD_bn",
            data=(T05, "Nvidia", "contract_value", "2025-09"),
            group=G_OAI,
            source="表5 line 553: NVIDIA will provide funds to OpenAI (US$100bn, "
            "participating in its rounds) while OpenAI buys its chips; paid in step with the "
            "NVIDIA schedule",
        ),
        Input(
            "OAI_fund_vendor_other",
            "Vendor financing from other suppliers, US$bn a year",
            "USD_bn",
            0.0,
            group=G_OAI,
            source="Assumption: 表5 line 555 says OpenAI and AMD fund each other but prints "
            "no amount; enter announced vendor financing here",
        ),
        Input(
            "OAI_fund_equity",
            "Equity rounds from other investors, US$bn a year",
            "USD_bn",
            0.0,
            group=G_OAI,
            source="Assumption: the seed prints no OpenAI round size (line 553 says only that "
            "NVIDIA joins its rounds); enter rounds as announced",
        ),
        Input(
            "OAI_fund_debt",
            "Debt raised, US$bn a year",
            "USD_bn",
            0.0,
            group=G_OAI,
            source="Assumption: the seed notes OpenAI's reliance on debt (line 600) but prints "
            "no amount; enter facilities as drawn",
        ),
    ]


def _neocloud_inputs() -> list[Input]:
    return [
        Input(
            "Fin_quarters",
            "Quarters projected for the neocloud runway",
            "count",
            12,
            group=G_NEO,
            source="Three years; the array ranges are this long: rebuild after raising it",
        ),
        Input(
            "Capex_commit_CoreWeave",
            "CoreWeave committed capex, next four quarters",
            "USD_m",
            26000,
            group=G_NEO,
            source="CoreWeave Q3 2025 results (2025-11-10): 2026 capex 'well in excess of "
            "double' 2025's US$12-14bn; 2 x the US$13bn mid-point 图23 implies (25Q4E line 903)",
        ),
        Input(
            "Capex_commit_Nebius",
            "Nebius committed capex, next four quarters",
            "USD_m",
            4066,
            group=G_NEO,
            source="Nebius 20-F FY2025 capex US$4,066m (data/sec_filings.csv) held for 2026; "
            "a floor: replace with Nebius' own 2026 guidance",
        ),
        Input(
            "Neo_capex_growth_q",
            "Neocloud capex growth per quarter after the first (base case)",
            "pct",
            0.0,
            group=G_NEO,
            source="Assumption: committed capex held level; the grid varies it",
        ),
        Input(
            "Neo_capex_step",
            "Grid: step in capex growth per quarter between rows",
            "pct",
            0.05,
            group=G_NEO,
            source="Presentation: rows at -10, -5, 0, +5, +10% a quarter around the base",
        ),
        Input(
            "Neo_ocf_growth_q",
            "Growth per quarter of operating cash flow before interest",
            "pct",
            0.0,
            group=G_NEO,
            source="Assumption: the trailing four quarters held level (conservative: backlog "
            "conversion would raise it)",
        ),
        Input(
            "Repay_q_CoreWeave",
            "CoreWeave principal repaid per quarter (not refinanced)",
            "USD_m",
            0,
            group=G_NEO,
            source="Assumption: maturities refinanced within the horizon at the rate modelled",
        ),
        Input(
            "Repay_q_Nebius",
            "Nebius principal repaid per quarter (not refinanced)",
            "USD_m",
            0,
            group=G_NEO,
            source="Assumption: the convertible notes refinanced within the horizon",
        ),
    ]


INPUTS: list[Input] = [*_neocloud_inputs(), *_openai_inputs()]
