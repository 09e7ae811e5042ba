"""The model on the SEC filings: a new quarter flows through a refresh, with no formula
edited; the answers equal what the filings say; the report reconciles to the filings.

The "before" workbook is built from data/ without its latest filed quarter (as the model
stood a quarter ago); the quarter's rows are then put back and ``aimodel refresh`` runs.
Expected numbers are computed here from data/sec_filings.csv with pandas, independently
of the workbook: a trailing-twelve-month figure is the sum of the four latest quarters'
values in the file; a ratio is one sum over the other.
"""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from sheets.cli import main
from sheets.evaluate.headless import recalculate
from sheets.model.assemble import MODEL_SHEETS
from sheets.model.timeline import PIVOT_STEM, Timeline, pivot_layout, quarter_label, quarter_number
from sheets.sources.loader import load_data
from sheets.workbook.build import build
from sheets.workbook.refresh import RefreshError, refresh

from .conftest import DATA

FILINGS = "sec_filings.csv"


def _latest(frame: pd.DataFrame) -> str:
    return max(p for p in frame["period"] if "Q" in p)


@pytest.fixture(scope="module")
def quarter_on(tmp_path_factory):
    """(before values, after values, workbook path, data folder, dropped quarter)."""
    root = tmp_path_factory.mktemp("quarter")
    data = root / "data"
    shutil.copytree(DATA, data)
    full = pd.read_csv(data / FILINGS, dtype=str, keep_default_na=False)
    latest = _latest(full)
    earlier = full[full["period"] != latest]
    earlier.to_csv(data / FILINGS, index=False)
    book = root / "model.xlsm"
    build(data, book)
    formulas_before = _formulas(book)
    before = recalculate(book)
    # the new quarter's filings arrive: appended at the end of the file
    pd.concat([earlier, full[full["period"] == latest]]).to_csv(data / FILINGS, index=False)
    assert main(["refresh", str(book), "--data", str(data)]) == 0
    after = recalculate(book)
    return before, after, book, data, latest, formulas_before


def _formulas(path) -> dict:
    wb = load_workbook(path, keep_vba=True)
    out = {}
    for name in MODEL_SHEETS:
        for row in wb[name].iter_rows():
            for cell in row:
                v = cell.value
                if isinstance(v, ArrayFormula):
                    out[(name, cell.coordinate)] = (v.ref, v.text)
                elif cell.data_type == "f":
                    out[(name, cell.coordinate)] = v
    return out


def _answers(path, values) -> dict[str, dict[str, object]]:
    """The Capex sheet's answer table: company -> {heading: value}."""
    ws = load_workbook(path)["Capex"]
    head = None
    out: dict[str, dict[str, object]] = {}
    for r in range(1, 60):
        if ws.cell(row=r, column=1).value == "Company":
            head = r
            continue
        if head and ws.cell(row=r, column=1).value:
            name = ws.cell(row=r, column=1).value
            if not isinstance(name, str) or name.startswith("Capex as filed"):
                break
            out[name] = {
                ws.cell(row=head, column=c).value: values.get(("CAPEX", f"{_col(c)}{r}"))
                for c in range(3, 11)
            }
    return out


def _col(c: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(c)


def _ttm(frame: pd.DataFrame, entity: str, metric: str, end: str) -> float:
    """Sum of the four quarters ending at ``end`` in data/sec_filings.csv."""
    n = quarter_number(end)
    quarters = [quarter_label(k) for k in range(n - 3, n + 1)]
    rows = frame[
        (frame["entity"] == entity) & (frame["metric"] == metric) & frame["period"].isin(quarters)
    ]
    assert len(rows) == 4, (entity, metric, quarters)
    return float(rows["value"].astype(float).sum())


def test_a_new_quarter_moves_every_answer_on_with_no_formula_edited(quarter_on):
    before, after, book, data, latest, formulas_before = quarter_on
    assert _formulas(book) == formulas_before  # the refresh wrote data, never a formula
    previous = quarter_label(quarter_number(latest) - 1)
    frame = pd.read_csv(data / FILINGS, dtype=str, keep_default_na=False)
    old, new = _answers(book, before), _answers(book, after)
    moved = 0
    for entity, row in new.items():
        filed = frame[(frame["entity"] == entity) & (frame["metric"] == "capex")]
        if not len(filed) or latest not in set(filed["period"]):
            continue
        moved += 1
        assert old[entity]["Latest filed quarter"] == previous
        assert row["Latest filed quarter"] == latest
        capex = _ttm(frame, entity, "capex", latest)
        ocf = _ttm(frame, entity, "ocf", latest)
        assert row["Capex, TTM"] == pytest.approx(capex, rel=1e-12)
        assert row["Operating cash flow, TTM"] == pytest.approx(ocf, rel=1e-12)
        assert row["Capex / OCF, TTM"] == pytest.approx(capex / ocf, rel=1e-12)
        assert old[entity]["Capex, TTM"] == pytest.approx(
            _ttm(frame, entity, "capex", previous), rel=1e-12
        )
    assert moved >= 4  # Microsoft, Amazon, Alphabet, Meta (and CoreWeave) filed 2026Q2


def test_sec_quarterly_holds_every_filed_quarter_of_the_timeline(quarter_on):
    _, _, book, data, _, _ = quarter_on
    loaded = load_data(data)
    layout = pivot_layout(loaded, Timeline.from_data(loaded))
    ws = load_workbook(book)[PIVOT_STEM]
    at = {q: i for i, q in enumerate(layout.quarters)}
    checked = 0
    for r in loaded.filings.itertuples():
        if r.period not in at or (r.entity, r.metric) not in layout.series:
            continue
        ref = layout.cell(r.entity, r.metric, at[r.period]).split("!")[1].replace("$", "")
        assert ws[ref].value == r.value, (r.entity, r.metric, r.period)
        checked += 1
    assert checked > 1500


def test_free_cash_flow_is_ocf_less_capex(quarter_on):
    _, _, book, data, latest, _ = quarter_on
    rows = json.loads(_outputs_json(book))
    frame = pd.read_csv(data / FILINGS, dtype=str, keep_default_na=False)
    fcf = {(r["entity"], r["period"]): r["value"] for r in rows if r["metric"] == "fcf"}
    for entity in ("Microsoft", "Amazon", "Alphabet", "Meta"):
        ocf = _value(frame, entity, "ocf", latest)
        capex = _value(frame, entity, "capex", latest)
        # FCF = OCF - capex - finance-lease principal where the company files it
        # (FinanceLeasePrincipalPayments in data/sec_filings.csv), else OCF - capex
        lease = frame[
            (frame["entity"] == entity)
            & (frame["metric"] == "finance_lease_principal")
            & (frame["period"] == latest)
        ]
        principal = float(lease["value"].iloc[0]) if len(lease) else 0.0
        assert fcf[(entity, latest)] == pytest.approx(ocf - capex - principal, abs=1e-6)


def _value(frame: pd.DataFrame, entity: str, metric: str, period: str) -> float:
    rows = frame[
        (frame["entity"] == entity) & (frame["metric"] == metric) & (frame["period"] == period)
    ]
    assert len(rows) == 1, (entity, metric, period)
    return float(rows["value"].iloc[0])


_CACHE: dict[str, str] = {}


def _outputs_json(book) -> str:
    if str(book) not in _CACHE:
        import contextlib
        import io

        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            assert main(["outputs", str(book), "--json"]) == 0
        _CACHE[str(book)] = buf.getvalue()
    return _CACHE[str(book)]


def test_outputs_lists_the_answers_with_their_keys(quarter_on):
    _, _, book, data, latest, _ = quarter_on
    rows = json.loads(_outputs_json(book))
    assert {"sheet", "entity", "metric", "period", "value", "unit"} <= set(rows[0])
    frame = pd.read_csv(data / FILINGS, dtype=str, keep_default_na=False)
    got = {(r["entity"], r["metric"], r["period"]): r["value"] for r in rows}
    assert got[("Amazon", "latest_filed_quarter", "")] == latest
    capex = _ttm(frame, "Amazon", "capex", latest)
    ocf = _ttm(frame, "Amazon", "ocf", latest)
    assert got[("Amazon", "capex_to_ocf_ttm", latest)] == pytest.approx(capex / ocf, rel=1e-12)
    # a forecast quarter has no filed value: it is left out, not listed as 0
    forecast = quarter_label(quarter_number(latest) + 1)
    assert ("Amazon", "capex", forecast) not in got
    # 2025Q3 capex of Amazon: data/sec_filings.csv (10-Q for 2025Q3, YTD difference)
    amazon_q3 = frame[
        (frame["entity"] == "Amazon") & (frame["metric"] == "capex") & (frame["period"] == "2025Q3")
    ]
    assert got[("Amazon", "capex", "2025Q3")] == float(amazon_q3["value"].iloc[0])


def test_capex_reconciles_to_table_2(quarter_on):
    """Filed capex equals 表2 for Amazon and Alphabet in all seven quarters (shared/sec's
    README says so too); Meta's equals it once its filed finance-lease principal is added
    (表2 quotes Meta's own capital expenditures, which include it: 6,400 + 315 = 6,715 in
    2024Q1, data/sec_filings.csv and data/t02_capex_ratios.csv); Microsoft's adds
    finance-lease additions no quarterly filing tags, so its rows are information, outside
    every master. No row carries a known-discrepancy label."""
    _, after, book, _, _, _ = quarter_on
    ws = load_workbook(book)["Checks"]
    rows = {}
    for r in range(1, ws.max_row + 1):
        label = ws.cell(row=r, column=2).value
        if isinstance(label, str) and label.startswith("Filed capex"):
            rows[label] = r
    assert len(rows) == 4 * 7
    for label, r in rows.items():
        model, reported = after[("CHECKS", f"D{r}")], after[("CHECKS", f"E{r}")]
        status = after[("CHECKS", f"K{r}")]
        assert not ws.cell(row=r, column=10).value, label
        entity = label.split()[-4]
        if entity in ("Amazon", "Alphabet", "Meta"):
            assert model == reported and status is True, label
        else:
            assert entity == "Microsoft" and model < reported and status == "info", label
    assert any("finance lease principal Meta" in label for label in rows)


def test_refresh_refuses_a_quarter_beyond_the_timeline(tmp_path, built_model, data_copy):
    book = tmp_path / "model.xlsm"
    shutil.copyfile(built_model, book)
    before = book.read_bytes()
    loaded = load_data(DATA)
    last = Timeline.from_data(loaded).quarters[-1]
    beyond = quarter_label(quarter_number(last) + 1)
    with (data_copy / FILINGS).open("a", encoding="utf-8") as fh:
        fh.write(
            f"Amazon,capex,{beyond},1,USD_m,filed,FY{beyond[2:4]}Q1,"
            f"{beyond[:4]}-01-01,{beyond[:4]}-03-31,PaymentsToAcquireProductiveAssets,"
            f"0001018724-{beyond[2:4]}-000001,10-Q,{beyond[:4]}-04-30,\n"
        )
    with pytest.raises(RefreshError, match=f"holds {beyond}, after the workbook's last quarter"):
        refresh(book, data_copy)
    assert book.read_bytes() == before


def test_a_new_quarter_moves_the_runway_start_and_the_presence_rows(quarter_on):
    """Financing's cash quarter and the Data presence rows read the appended quarter."""
    before, after, book, _, latest, _ = quarter_on
    previous = quarter_label(quarter_number(latest) - 1)
    ws = load_workbook(book)["Financing"]
    head = next(r for r in range(1, 40) if ws.cell(row=r, column=1).value == "Company")
    assert ws.cell(row=head, column=3).value == "Cash: quarter"
    cw = head + 1
    assert ws.cell(row=cw, column=1).value == "CoreWeave"
    assert before[("FINANCING", f"C{cw}")] == previous
    assert after[("FINANCING", f"C{cw}")] == latest
    moved = 0
    for r in range(1, ws.max_row + 1):
        label = ws.cell(row=r, column=1).value
        if isinstance(label, str) and label.startswith(("Microsoft: ", "CoreWeave: cash")):
            assert before[("FINANCING", f"D{r}")] == previous, label
            assert after[("FINANCING", f"D{r}")] == latest, label
            assert after[("FINANCING", f"J{r}")] is True, label
            moved += 1
    assert moved == 4  # Microsoft capex, revenue, ocf; CoreWeave cash


def _find(ws, text: str, column: int = 1) -> int:
    """The first row whose cell in ``column`` starts with ``text``."""
    return next(
        r
        for r in range(1, ws.max_row + 1)
        if isinstance(ws.cell(row=r, column=column).value, str)
        and ws.cell(row=r, column=column).value.startswith(text)
    )


def test_a_new_quarter_moves_the_dashboard_its_titles_and_the_answers_reading_filings(quarter_on):
    """The Dashboard's windows, title cells and capex/D&A table, Neocloud's latest-filed
    runway and OpenAI's supplier revenue read the appended quarter after the refresh.
    Expected values from data/sec_filings.csv (10-Qs): CoreWeave's free cash flow =
    OCF - capex - finance-lease principal of the quarter (none filed: 0); Microsoft's D&A
    TTM = the four quarters to the latest, summed, / 1,000 (US$m -> US$bn)."""
    before, after, book, data, latest, _ = quarter_on
    previous = quarter_label(quarter_number(latest) - 1)
    frame = pd.read_csv(data / FILINGS, dtype=str, keep_default_na=False)
    wb = load_workbook(book)
    ws = wb["Dashboard"]
    key = "DASHBOARD"
    # the TTM capex / OCF window ends at the latest quarter, and its title says so
    head = _find(ws, "Capex / operating cash flow, TTM (Capex sheet)") + 1
    last = head + 12
    title = last + 1
    assert before[(key, f"A{last}")] == previous and after[(key, f"A{last}")] == latest
    assert after[(key, f"A{title}")].endswith(
        f"to {latest} (SEC filings): above 100%, capex exceeds OCF"
    )
    assert before[(key, f"A{title}")].endswith(
        f"to {previous} (SEC filings): above 100%, capex exceeds OCF"
    )
    # the title is the chart's: the Capex / OCF chart reads that cell
    refs = [c.title.tx.strRef.f for c in ws._charts if c.title.tx.strRef is not None]
    assert f"'Dashboard'!$A${title}" in refs
    # capex and D&A, TTM
    msft = _find(ws, "Microsoft")
    da = sum(
        _value(frame, "Microsoft", "da", quarter_label(quarter_number(latest) - k))
        for k in range(4)
    )
    assert after[(key, f"C{msft}")] == latest
    assert after[(key, f"E{msft}")] == pytest.approx(da / 1000, rel=1e-12)
    # CoreWeave's free cash flow, latest quarter (column E after Quarters back, Position)
    cw_head = _find(ws, "CoreWeave free cash flow per quarter (Capex sheet)") + 1
    cw_last = cw_head + 12
    lease = frame[
        (frame.entity == "CoreWeave")
        & (frame.metric == "finance_lease_principal")
        & (frame.period == latest)
    ]
    fcf = (
        _value(frame, "CoreWeave", "ocf", latest)
        - _value(frame, "CoreWeave", "capex", latest)
        - (float(lease["value"].iloc[0]) if len(lease) else 0.0)
    )
    assert after[(key, f"A{cw_last}")] == latest
    assert after[(key, f"E{cw_last}")] == pytest.approx(fcf, rel=1e-12)
    assert after[(key, f"F{cw_last}")] - after[(key, f"F{cw_last - 1}")] == pytest.approx(fcf)
    # Neocloud: the runway at the latest filed quarter
    neo = wb["Neocloud"]
    cash = _find(neo, "Cash, latest filed (sec_quarterly)")
    assert before[("NEOCLOUD", f"D{cash}")] == previous
    assert after[("NEOCLOUD", f"D{cash}")] == latest
    assert after[("NEOCLOUD", f"E{cash}")] == _value(frame, "CoreWeave", "cash", latest)
    # OpenAI: Microsoft's revenue, 12 months to its latest filed quarter
    oai = wb["OpenAI"]
    row = _find(oai, "Microsoft")
    assert before[("OPENAI", f"H{row}")] == previous
    assert after[("OPENAI", f"H{row}")] == latest
    assert after[("OPENAI", f"F{row}")] == pytest.approx(
        _ttm(frame, "Microsoft", "revenue", latest) / 1000, rel=1e-12
    )


def test_financing_chart_titles_name_the_quarter_the_cash_starts_from(quarter_on):
    """Each Financing chart's title is a cell naming the company's latest filed cash
    quarter: the previous quarter before the refresh, the appended one after (CoreWeave
    files both; data/sec_filings.csv)."""
    before, after, book, _, latest, _ = quarter_on
    previous = quarter_label(quarter_number(latest) - 1)
    ws = load_workbook(book)["Financing"]
    refs = [c.title.tx.strRef.f for c in ws._charts]
    cells = [ref.split("!")[1].replace("$", "") for ref in refs]
    texts = {ws[c].value.split(":")[0].strip('="'): c for c in cells}
    cw = texts["CoreWeave"]
    assert before[("FINANCING", cw)].startswith(f"CoreWeave: cash from {previous} at debt cost")
    assert after[("FINANCING", cw)].startswith(f"CoreWeave: cash from {latest} at debt cost")
