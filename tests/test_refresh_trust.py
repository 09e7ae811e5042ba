"""A refresh you can trust: nothing pinned to a fixed range of data, nothing silently zero,
checks that fail honestly, no dead input.

Two recalculating fixtures (module-scoped; a full recalculation costs ~25 s CPU):

- ``seventh``: the model built from data/, then a seventh company fetched (CoreWeave's
  real company-facts file, tests/fixtures/sec/companyfacts/CIK0001769628.json, under
  another name and CIK, listed in companies.csv before Nebius so that every Nebius row of
  sec_filings moves down) and the workbook refreshed: no output of the others changes.
- ``broken``: the same workbook refreshed with CoreWeave's latest cash zeroed and
  Nebius's latest cash deleted: Check_Integrity turns FALSE on rows naming each.

The in-memory build (no recalculation) answers the dead-input and known-label tests.
"""

from __future__ import annotations

import json
import re
import shutil

import pandas as pd
import pytest
from openpyxl import load_workbook

from sheets.cli import main
from sheets.evaluate.headless import recalculate
from sheets.evaluate.outputs import OutputsError, filter_rows, read_outputs
from sheets.model.checks import CHECKS_SHEET
from sheets.model.inputs import INPUTS_SHEET, inputs_table
from sheets.sources.loader import load_data
from sheets.workbook.build import build, build_workbook

from .conftest import DATA, ROOT

FACTS = ROOT / "tests" / "fixtures" / "sec" / "companyfacts"
FILINGS = "sec_filings.csv"
NEW = {
    "ticker": "TSTC",
    "cik": "0001999999",
    "entity": "Testco",
    "fiscal_year_end": "12-31",
    "filer": "quarterly",
    "note": "test only: CoreWeave's company facts under another name and CIK",
}


def _key(row) -> tuple:
    return (row.sheet, row.entity, row.metric, row.period)


@pytest.fixture(scope="module")
def seventh(tmp_path_factory):
    """(outputs before, outputs after, data folder, workbook) around the seventh company."""
    root = tmp_path_factory.mktemp("seventh")
    data = root / "data"
    shutil.copytree(DATA, data)
    book = root / "model.xlsm"
    build(data, book)
    before = read_outputs(book)
    facts = root / "facts"
    facts.mkdir()
    raw = json.loads((FACTS / "CIK0001769628.json").read_text(encoding="utf-8"))
    raw["cik"] = int(NEW["cik"])
    raw["entityName"] = "Testco Cloud, Inc."
    (facts / f"CIK{NEW['cik']}.json").write_text(json.dumps(raw), encoding="utf-8")
    companies = pd.read_csv(data / "companies.csv", dtype=str, keep_default_na=False)
    at = int(companies.index[companies["entity"] == "Nebius"][0])
    companies = pd.concat(
        [companies.iloc[:at], pd.DataFrame([NEW]), companies.iloc[at:]], ignore_index=True
    )
    companies.to_csv(data / "companies.csv", index=False)
    old_rows = pd.read_csv(DATA / FILINGS, dtype=str, keep_default_na=False)
    assert main(["fetch", "--from", str(facts), "--data", str(data), "--tickers", "TSTC"]) == 0
    assert main(["refresh", str(book), "--data", str(data)]) == 0
    after = read_outputs(book)
    return before, after, data, book, old_rows


def test_a_seventh_company_changes_no_output_of_the_others(seventh):
    before, after, data, _, old_rows = seventh
    new_rows = pd.read_csv(data / FILINGS, dtype=str, keep_default_na=False)
    # the fetch put the newcomer's rows before Nebius's: every Nebius row moved down, the
    # latest ones past the end of the old table (where a fixed range would stop reading)
    assert (new_rows["entity"] == "Testco").sum() > 50
    old_nebius = old_rows.index[old_rows["entity"] == "Nebius"]
    new_nebius = new_rows.index[new_rows["entity"] == "Nebius"]
    assert new_nebius.min() > old_nebius.min()
    assert new_nebius.max() > len(old_rows) - 1 >= old_nebius.max()
    was = {_key(r): r.value for r in before}
    now = {_key(r): r.value for r in after}
    assert not any(k[1] == "Testco" for k in now)  # no model column until a rebuild
    assert now == was
    # the runways read Nebius's cash and debt: still there, not zero
    assert now[("Financing", "Nebius", "runway_quarters_at_11pct", "")] == pytest.approx(
        was[("Financing", "Nebius", "runway_quarters_at_11pct", "")], rel=0, abs=0
    )


def test_the_seventh_company_gets_its_own_pivot_columns(seventh):
    _, _, data, book, _ = seventh
    ws = load_workbook(book)["sec_quarterly"]
    heads = [(c.value, ws.cell(row=5, column=c.column).value) for c in ws[4][2:]]
    firsts = [i for i, (e, _) in enumerate(heads) if e == "Testco"]
    assert firsts and firsts[0] > max(i for i, (e, _) in enumerate(heads) if e == "Nebius")
    # Testco's 2025Q3 cash is CoreWeave's, as in the fixture (the same facts)
    frame = pd.read_csv(data / FILINGS, dtype=str, keep_default_na=False)
    cw = frame[
        (frame.entity == "CoreWeave") & (frame.metric == "cash") & (frame.period == "2025Q3")
    ]
    column = firsts[0] + [m for e, m in heads if e == "Testco"].index("cash") + 3
    row = next(c.row for c in ws["A"] if c.value == "2025Q3")
    assert ws.cell(row=row, column=column).value == float(cw["value"].iloc[0])


def test_outputs_list_the_check_masters_and_filter(seventh):
    _, after, _, _, _ = seventh
    model = {r.metric: r.value for r in filter_rows(after, entities=["Model"])}
    assert model["master_check"] is True
    assert model["check_integrity"] is True
    assert model["rows_failing"] == 0
    only = filter_rows(after, metrics=["runway_quarters_at_13pct"], entities=["CoreWeave"])
    assert [(r.entity, r.metric) for r in only] == [("CoreWeave", "runway_quarters_at_13pct")]
    assert {"neocloud_gross_margin", "report_runway_quarters_avg_fcf"} <= {r.metric for r in after}
    with pytest.raises(OutputsError, match="--metric runway: no output has that metric"):
        filter_rows(after, metrics=["runway"])


@pytest.fixture(scope="module")
def broken(seventh, tmp_path_factory):
    """Values after refreshing with CoreWeave's latest cash zeroed, Nebius's deleted."""
    _, _, data0, book0, _ = seventh
    root = tmp_path_factory.mktemp("broken")
    data = root / "data"
    shutil.copytree(data0, data)
    book = root / "model.xlsm"
    shutil.copyfile(book0, book)
    frame = pd.read_csv(data / FILINGS, dtype=str, keep_default_na=False)
    cash = frame["metric"] == "cash"
    cw = frame.index[cash & (frame.entity == "CoreWeave")]
    cw_latest = max(frame.loc[cw, "period"])
    frame.loc[cw[frame.loc[cw, "period"] == cw_latest], "value"] = "0"
    nb = frame.index[cash & (frame.entity == "Nebius")]
    nb_latest = max(frame.loc[nb, "period"])
    frame = frame.drop(nb[frame.loc[nb, "period"] == nb_latest])
    frame.to_csv(data / FILINGS, index=False)
    assert main(["refresh", str(book), "--data", str(data)]) == 0
    return recalculate(book), book, cw_latest, nb_latest


def test_zeroed_or_deleted_latest_cash_turns_integrity_false_naming_it(broken):
    values, book, cw_latest, nb_latest = broken
    ws = load_workbook(book)[CHECKS_SHEET]
    key = CHECKS_SHEET.upper()
    failing = {}
    for r in range(7, ws.max_row + 1):
        if values.get((key, f"K{r}")) is False:
            failing[ws.cell(row=r, column=2).value] = values.get((key, f"H{r}"))
    assert set(failing) == {
        "Data present: CoreWeave cash at its latest filed quarter",
        "Data present: Nebius cash at its latest filed quarter",
    }
    # each row names the quarter it read: CoreWeave's zero at its latest quarter;
    # Nebius's year-end before the deleted one, four quarters behind its debt's
    cw_text = failing["Data present: CoreWeave cash at its latest filed quarter"]
    assert cw_text.startswith(f"CoreWeave cash, latest filed {cw_latest}, value 0,")
    nb_text = failing["Data present: Nebius cash at its latest filed quarter"]
    assert nb_text.startswith(f"Nebius cash, latest filed {int(nb_latest) - 1}Q4, value ")
    assert nb_text.endswith("lag 4 quarter(s)")
    integrity = _row_of(ws, "Integrity")
    assert values[(key, f"D{integrity}")] is False
    assert values[(key, "D4")] is False


def _row_of(ws, prefix: str) -> int:
    return next(
        r
        for r in range(1, ws.max_row + 1)
        if str(ws.cell(row=r, column=2).value or "").startswith(prefix)
    )


# --- without recalculation ---------------------------------------------------------------


@pytest.fixture(scope="module")
def built():
    return build_workbook(load_data(DATA))


DEPRECIATION_INPUTS = {
    "Life_short",
    "Life_mid",
    "Life_long",
    "Salvage_pct",
    "Depr_horizon",
    "Life_old",
    "Life_new",
    "Change_period",
}
"""Inputs of the Depreciation sheet, which issue 16 reworks (wired or removed there)."""
_CODE_DIRS = ("sheets", "udfs", "bench")
_DEFINITIONS = {"inputs.py", "financing_inputs.py", "depreciation_inputs.py"}


def _formula_texts(wb) -> str:
    from openpyxl.worksheet.formula import ArrayFormula

    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if isinstance(v, ArrayFormula):
                    out.append(v.text or "")
                elif cell.data_type == "f" and isinstance(v, str):
                    out.append(v)
    return "\n".join(out)


def _code_texts() -> str:
    parts = []
    for folder in _CODE_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.name not in _DEFINITIONS:
                parts.append(path.read_text(encoding="utf-8"))
    parts.append((ROOT / "model.py").read_text(encoding="utf-8"))
    return "\n".join(parts)


def test_every_input_is_read_by_a_formula_or_by_code(built):
    formulas = _formula_texts(built.workbook)
    code = _code_texts()
    dead = []
    for item in inputs_table():
        word = re.compile(rf"(?<![A-Za-z0-9_.]){re.escape(item.name)}(?![A-Za-z0-9_(])")
        if not word.search(formulas) and f'"{item.name}"' not in code:
            dead.append(item.name)
    assert dead == []


def test_no_row_against_the_filings_is_a_known_discrepancy(built):
    """ "Known discrepancy" is for the report's own printed errors only: a row comparing
    the model or the report with the filings (reconciliation or information) never
    carries one."""
    known = [
        c.label
        for c in built.model.checks
        if c.group in ("reconciliation", "information") and c.known
    ]
    assert known == []


def test_no_formula_reads_the_sec_filings_table(built):
    """Every formula reads data through sec_quarterly by position; sec_filings is the
    provenance table, never read by a fixed range that a fetch could outgrow."""
    assert "sec_filings" not in _formula_texts(built.workbook)


def test_removed_inputs_are_gone(built):
    ws = built.workbook[INPUTS_SHEET]
    names = {ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)}
    assert (
        names & {"RPO_quarters_shown", "Cash_CoreWeave", "Cash_Nebius", "Nebius_20F_year"} == set()
    )


# --- periods from the data -----------------------------------------------------------------


def _meta_filed(period: str) -> float:
    frame = pd.read_csv(DATA / FILINGS, dtype=str, keep_default_na=False)
    row = frame[(frame.entity == "Meta") & (frame.metric == "capex") & (frame.period == period)]
    return float(row["value"].iloc[0])


def test_forecast_quarters_take_guidance_net_of_filed_and_never_collapse():
    """Meta's 2026 guidance US$100bn (seed line 322, data/t00_text_figures.csv); 2026Q1
    and Q2 as filed in data/sec_filings.csv (10-Qs: US$18,997m and US$30,116m)."""
    import formulas

    from sheets.model.forecast import forecast_quarter, forecast_quarter_formula

    q1, q2 = _meta_filed("2026Q1"), _meta_filed("2026Q2")
    assert (q1, q2) == (18997.0, 30116.0)
    guide = 100_000.0
    # by hand: (100,000 - 18,997 - 30,116) / 2 = 25,443.5 is below Q2's 30,116: Q2 holds
    assert forecast_quarter(guide, [q1, q2, None, None]) == 30116.0
    # a 2026Q3 filed at the run-rate (Q2 + 6%: 31,923) would leave (100,000 - 81,036) =
    # 18,964 for Q4 without the floor; with it, Q4 holds Q3's 31,923
    q3 = round(q2 * 1.06)
    assert guide - q1 - q2 - q3 == pytest.approx(18964.0)
    assert forecast_quarter(guide, [q1, q2, q3, None]) == q3
    # below the guided pace the guidance rules: 2026Q1 only, (100,000 - 18,997) / 3
    assert forecast_quarter(guide, [q1, None, None, None]) == pytest.approx(81003 / 3)
    assert forecast_quarter(guide, [q1, q2, q3, q3]) == 0.0
    # the worksheet formula, evaluated by the formulas engine, gives the same
    text = forecast_quarter_formula("A1", "C1:C4", "B1").replace("Q_per_year", "4")
    func = formulas.Parser().ast(text)[1].compile()
    import numpy as np

    for filed in ([q1, q2, "", ""], [q1, q2, q3, ""], [q1, "", "", ""]):
        n = sum(isinstance(v, float | int) for v in filed)
        got = func(guide, n, np.array([[v] for v in filed], dtype=object))
        want = forecast_quarter(guide, [v if v != "" else None for v in filed])
        assert float(got) == pytest.approx(want, rel=1e-12)


def test_the_forecast_window_is_three_years_after_the_latest_full_filed_year():
    """2026Q2 is the latest filed quarter in data/: 2025 is the latest full year, the
    window 2026-2028 and the timeline ends 2028Q4; a 2026Q4 filing moves both a year on;
    the claim's 2026-2028 window stays."""
    from sheets.model.timeline import CLAIM_WINDOW, Timeline

    data = load_data(DATA)
    timeline = Timeline.from_data(data)
    assert timeline.latest_filed == "2026Q2"
    assert timeline.forecast_window == (2026, 2027, 2028)
    assert timeline.quarters[-1] == "2028Q4"
    q4 = Timeline(timeline.quarters, "2026Q4")
    assert (q4.last_full_year, q4.window_label) == (2026, "2027-2029")
    assert CLAIM_WINDOW == (2026, 2027, 2028)


def test_openai_gap_net_of_funding_counts_chips_once_and_adds_nvidia(seventh):
    """OpenAI's gap net of funding, per year, from the other outputs by hand: the report's
    gap (commitments - compute paid from revenue) less the chips counted twice
    (OAI_chips_in_cloud, default 50% on Inputs, x the NVIDIA, AMD and Broadcom
    commitments of the year) less NVIDIA's US$100bn (表5 line 553) paid in step with its
    own schedule (which totals US$100bn, seed line 541, so it equals the year's NVIDIA
    commitment); other vendors, equity and debt default to 0 and renewal to 0%, so the
    printed schedule is reproduced (no year after 2031 adds anything)."""
    _, after, _, _, _ = seventh
    out = {(r.entity, r.metric, r.period): r.value for r in after}
    total = 0.0
    for y in range(2025, 2036):
        chips = sum(out[(s, "openai_commitment", str(y))] for s in ("Nvidia", "AMD", "Broadcom"))
        nvidia = out[("Nvidia", "openai_commitment", str(y))]
        gap = out[("OpenAI", "openai_funding_gap", str(y))]
        net = out[("OpenAI", "openai_funding_gap_net", str(y))]
        assert net == pytest.approx(gap - 0.5 * chips - nvidia, rel=1e-12, abs=1e-9), y
        total += net
    assert out[("OpenAI", "openai_funding_gap_net_cumulative", "2035")] == pytest.approx(total)
    # the report's own figure is still there: US$1,150bn (seed line 541) less compute paid
    assert out[("OpenAI", "openai_funding_gap_cumulative", "2035")] > total


def test_rpo_conversion_starts_from_the_latest_filed_balance(seventh):
    """The first year's revenue from the filed RPO = the latest filed balance (10-Q,
    RevenueRemainingPerformanceObligation in data/sec_filings.csv) / 1,000 (US$m -> US$bn)
    x the share recognized in 12 months (Inputs: Microsoft 40%, TECH-NOTES on its FY26Q1
    filing; Alphabet takes Google Cloud's 30%, an assumption)."""
    _, after, data, _, _ = seventh
    out = {(r.entity, r.metric, r.period): r.value for r in after}
    frame = pd.read_csv(data / FILINGS, dtype=str, keep_default_na=False)
    defaults = {i.name: i.default for i in inputs_table()}
    for entity, short in (("Microsoft", "MSFT"), ("Alphabet", "GOOG")):
        rows = frame[(frame.entity == entity) & (frame.metric == "rpo")]
        latest = max(rows["period"])
        balance = float(rows.loc[rows["period"] == latest, "value"].iloc[0])
        assert out[(entity, "rpo_filed_latest", latest)] == balance
        year1 = out[(entity, "rpo_filed_revenue_year1", "")]
        assert year1 == pytest.approx(balance / 1000 * defaults[f"RPO_pct12_{short}"], rel=1e-9)
    assert defaults["RPO_pct12_MSFT"] == 0.40 and defaults["RPO_pct12_GOOG"] == 0.30
