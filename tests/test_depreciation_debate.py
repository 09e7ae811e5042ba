"""The Depreciation sheet (issue 11): installed base, life policy, calibration, answers.

The workbook is built from data/ into a temporary folder and recalculated once by the
`formulas` engine. Every expected number is recomputed here in Python, independently of
the sheet's formulas: capex from data/sec_filings.csv, forecast quarters from the input
defaults (sheets/model/depreciation_inputs.py), lives from data/t03 (and the Meta inputs),
depreciation from udfs.core (depr_policy, depr_waterfall) with the default half-period
convention (sheets/model/inputs.py Depr_convention).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from sheets.model.depreciation_inputs import COMPANIES, INPUTS
from sheets.sources.loader import load_data
from sheets.workbook.build import build_workbook
from udfs.core.depr_policy import depr_policy
from udfs.core.waterfall import depr_waterfall

from .conftest import DATA

SHEET = "DEPRECIATION"
QUARTERS = [f"{y}Q{q}" for y in range(2015, 2029) for q in range(1, 5)]
DEFAULTS = {i.name: i.default for i in INPUTS}
SHARE = {"Amazon": 0.5, "Microsoft": 0.5, "Alphabet": 0.6, "Meta": 0.6}  # base inputs;
# Meta's 0.6 is the seed's value, data/t00_text_figures.csv (line 324)
CAPEX_2026 = {"Amazon": 200.0, "Microsoft": 140.0, "Alphabet": 180.0, "Meta": 100.0}  # inputs;
# Meta's 100 is the seed's floor, data/t00_text_figures.csv (line 322)
GROWTH = 0.10  # DD_capex_growth_base
OTHER_LIFE_Q = 25 * 4  # DD_life_other x Q_per_year
# Policy: (first quarter, life in quarters); levels from data/t03 (表3), dates from inputs
POLICY = {
    "Amazon": [("2015Q1", 12), ("2020Q1", 16), ("2022Q1", 20), ("2024Q1", 24)],
    "Microsoft": [("2015Q1", 16), ("2022Q3", 24)],
    "Alphabet": [("2015Q1", 16), ("2023Q1", 24)],
    "Meta": [("2015Q1", 16), ("2022Q1", 18), ("2025Q1", 22)],
}


def test_defaults_match_this_files_constants():
    """The hand figures above are the inputs' defaults (so a changed default shows here)."""
    for c, t in (("Amazon", "AMZN"), ("Microsoft", "MSFT"), ("Alphabet", "GOOGL")):
        assert DEFAULTS[f"DD_share_{t}_base"] == SHARE[c]
        assert DEFAULTS[f"DD_capex_2026_{t}"] == CAPEX_2026[c]
    assert DEFAULTS["DD_capex_growth_base"] == GROWTH
    assert DEFAULTS["DD_life_other"] * 4 == OTHER_LIFE_Q
    assert DEFAULTS["DD_chg_MSFT_1"] == "2022Q3"
    assert DEFAULTS["DD_life_q_META_2"] == 22
    t03 = pd.read_csv(DATA / "t03_server_lives_history.csv")
    assert t03.query("entity == 'Amazon' and period == 2020")["value"].item() * 4 == 16


def filings() -> pd.DataFrame:
    return pd.read_csv(DATA / "sec_filings.csv")


def series(entity: str, metric: str) -> np.ndarray:
    f = filings()
    s = f[(f.entity == entity) & (f.metric == metric)].set_index("period")["value"]
    return np.array([s.get(q, np.nan) for q in QUARTERS], dtype=float)


def capex_used(entity: str) -> np.ndarray:
    """Filed capex; a forecast year's unfiled quarters share what the filed ones leave."""
    filed = series(entity, "capex")
    out = np.nan_to_num(filed)
    year_total = CAPEX_2026[entity] * 1000
    for year in (2026, 2027, 2028):
        idx = [QUARTERS.index(f"{year}Q{q}") for q in range(1, 5)]
        have = [i for i in idx if not np.isnan(filed[i])]
        rest = [i for i in idx if np.isnan(filed[i])]
        for i in rest:
            out[i] = max(0.0, (year_total - sum(filed[j] for j in have)) / len(rest))
        year_total *= 1 + GROWTH
    return out


def lives(entity: str, drop_last: bool = False) -> np.ndarray:
    events = POLICY[entity][:-1] if drop_last else POLICY[entity]
    out = []
    for q in QUARTERS:
        out.append([life for start, life in events if start <= q][-1])
    return np.array(out)


def year_sum(x: np.ndarray, year: int) -> float:
    return float(sum(x[QUARTERS.index(f"{year}Q{q}")] for q in range(1, 5)))


def policy(entity: str, drop_last: bool = False) -> np.ndarray:
    return depr_policy(capex_used(entity), lives(entity, drop_last), "half", len(QUARTERS))


def at_life(entity: str, years: int) -> np.ndarray:
    return depr_waterfall(capex_used(entity), years * 4, "half", 0.0, len(QUARTERS))


@pytest.fixture(scope="module")
def built(built_model, built_values):
    return built_model, load_workbook(built_model)["Depreciation"], built_values


def rows_labelled(ws, label: str) -> list[int]:
    return [r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == label]


def test_no_error_values_on_the_sheet(built):
    _, _, values = built
    bad = {
        k: v
        for k, v in values.items()
        if k[0] == SHEET and isinstance(v, str) and v.startswith(("#", "#AIM!"))
    }
    assert not bad, list(bad.items())[:5]


def test_headline_operating_income_and_eps(built):
    """Rows 'Amazon' .. 'Meta' at the top: 3, 4, 5-year lives; columns 2026-2028."""
    _, ws, values = built
    for company in COMPANIES:
        first = rows_labelled(ws, company)[0]  # the answer table is the sheet's first table
        rep = policy(company)
        t = {"Amazon": "AMZN", "Microsoft": "MSFT", "Alphabet": "GOOGL", "Meta": "META"}[company]
        for j, life in enumerate((3, 4, 5)):
            r = first + j
            assert values[(SHEET, f"C{r}")] == life
            alt = at_life(company, life)
            for k, year in enumerate((2026, 2027, 2028)):
                expected = SHARE[company] * (year_sum(alt, year) - year_sum(rep, year)) / 1000
                got = values[(SHEET, f"{'DEF'[k]}{r}")]
                assert got == pytest.approx(expected, rel=1e-9, abs=1e-9), (company, life, year)
                eps = expected * 1000 * (1 - DEFAULTS[f"DD_tax_{t}"]) / DEFAULTS[f"DD_shares_{t}"]
                assert values[(SHEET, f"{'IJK'[k]}{r}")] == pytest.approx(eps, rel=1e-9)


def test_calibration_against_reported_da(built):
    _, ws, values = built
    first = rows_labelled(ws, "Amazon")[3]  # after the answers (three rows a company)
    for i, company in enumerate(COMPANIES):
        row = first + i
        server = SHARE[company] * policy(company)
        other = depr_waterfall(
            (1 - SHARE[company]) * capex_used(company), OTHER_LIFE_Q, "half", 0.0, len(QUARTERS)
        )
        da = series(company, "da")
        years = [y for y in (2023, 2024, 2025) if not np.isnan(year_sum(da, y))]
        modelled = sum(year_sum(server + other, y) for y in years) / 1000
        reported = sum(year_sum(da, y) for y in years) / 1000
        assert values[(SHEET, f"D{row}")] == pytest.approx(modelled, rel=1e-9), company
        assert values[(SHEET, f"E{row}")] == pytest.approx(reported, rel=1e-9), company
        assert values[(SHEET, f"F{row}")] == pytest.approx(modelled / reported - 1, rel=1e-9)


def test_disclosed_life_change_effects(built):
    """Policy without the latest change minus with it, first four quarters, x share."""
    out, ws, values = built
    first = rows_labelled(ws, "Amazon")[4]  # the disclosed effects
    for i, company in enumerate(COMPANIES):
        start = QUARTERS.index(POLICY[company][-1][0])
        diff = policy(company, drop_last=True) - policy(company)
        expected = SHARE[company] * diff[start : start + 4].sum() / 1000
        assert values[(SHEET, f"F{first + i}")] == pytest.approx(expected, rel=1e-9), company
    disclosed = [values[(SHEET, f"E{first + i}")] for i in range(4)]
    assert disclosed == [3.2, 3.7, 3.9, 2.92]  # TECH-NOTES, in COMPANIES order
    checks = load_workbook(out)["Checks"]
    labels = {checks[f"B{r}"].value for r in range(1, checks.max_row + 1)}
    for company in COMPANIES:
        assert f"Depreciation: {company} disclosed life-change effect, modelled vs disclosed" in (
            labels
        )
        assert f"Depreciation: {company} servers, full schedule = depreciable base" in labels


def test_integrity_rows_hold(built):
    out, _, values = built
    checks = load_workbook(out)["Checks"]
    for r in range(1, checks.max_row + 1):
        label = checks[f"B{r}"].value or ""
        if label.startswith("Depreciation:") and "full schedule" in label:
            assert values[("CHECKS", f"I{r}")] in (True, 1), label


def test_claim_and_grid(built):
    """The claim's row: the 3-year total of the answer table; the grid: share x per-US$."""
    _, ws, values = built
    claim = rows_labelled(ws, "Claim: depreciation understated 2026-2028")[0]
    assert values[(SHEET, f"C{claim}")] == 176
    total_3y = (
        sum(
            SHARE[c] * sum(year_sum(at_life(c, 3) - policy(c), y) for y in (2026, 2027, 2028))
            for c in COMPANIES
        )
        / 1000
    )
    assert values[(SHEET, f"C{claim + 1}")] == pytest.approx(total_3y, rel=1e-9)
    per_usd_4y = (
        sum(
            sum(year_sum(at_life(c, 4) - policy(c), y) for y in (2026, 2027, 2028))
            for c in COMPANIES
        )
        / 1000
    )
    share_row = rows_labelled(ws, "Server share")[0]
    grid_4y = share_row + 3  # grid rows: 2, 3, 4, 5, 6 years
    assert values[(SHEET, f"C{grid_4y}")] == 4
    for j, col in enumerate("DEFGHIJ"):
        share = 0.4 + 0.1 * j
        assert values[(SHEET, f"{col}{grid_4y}")] == pytest.approx(share * per_usd_4y, rel=1e-9)


def test_outputs_declared():
    model = build_workbook(load_data(DATA)).model
    keys = {(o.entity, o.metric, o.period) for o in model.outputs}
    for c in COMPANIES:
        assert (c, "da_modelled", "2025") in keys
        assert (c, "da_reported", "2025") in keys
        assert (c, "depr_gap_2026_2028", "") in keys
        assert any(k[:2] == (c, "life_change_effect_modelled") for k in keys)
        assert any(k[:2] == (c, "life_change_effect_disclosed") for k in keys)
    assert ("Total", "depr_gap_2026_2028", "") in keys
