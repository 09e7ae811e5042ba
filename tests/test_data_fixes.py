"""Two data fixes of issue 13.

1. 表8 prints TPU v7 memory as 16 GB (internal) and 32 GB (external), a typo: line 717
   says TPU v7 matches Blackwell's memory capacity (8-Hi HBM3E) and the table's own TCO
   per TB divides by 192 GB. The model uses 192 GB (``memory_capacity_corrected``),
   Checks lists the printed figures as known discrepancies with that reason, and the TCO
   per TB checks hold without one.
2. Meta's 2026 capex (text line 322, "may exceed 1000亿美元") is a number, US$100bn,
   with its "floor" note, not text."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from sheets.sources.loader import load_data
from sheets.workbook.build import build_workbook

from .conftest import DATA

T08 = "t08_accelerator_tco"
TPUS = ("TPU v7 Internal", "TPU v7 External")


@pytest.fixture(scope="module")
def model():
    return build_workbook(load_data(DATA)).model


@pytest.fixture(scope="module")
def checks(built_model, built_values):
    """{label: (model, reported, holds, known, status)} of the built workbook's Checks."""
    values = built_values
    ws = load_workbook(built_model)["Checks"]
    out = {}
    for r in range(7, ws.max_row + 1):
        label = ws[f"B{r}"].value
        if isinstance(label, str) and label.startswith("表8"):
            m, reported, holds = (values.get(("CHECKS", f"{c}{r}")) for c in "DEI")
            out[label] = (m, reported, holds, ws[f"J{r}"].value, values.get(("CHECKS", f"K{r}")))
    out["master"] = values[("CHECKS", "D4")]
    return out


def test_tpu_memory_used_is_192_gb(model):
    for chip in TPUS:
        assert model.value(T08, chip, "memory_capacity") in (16, 32)  # as printed
        assert model.value(T08, chip, "memory_capacity_corrected") == 192
    ws = model.wb["Unit economics"]
    row = next(r for r in range(1, ws.max_row + 1) if ws[f"A{r}"].value == "Memory capacity")
    links = [ws.cell(row=row, column=c).value for c in range(3, 7)]
    assert links[0] == f"={model.ref(T08, 'GB200 NVL72', 'memory_capacity')}"
    assert links[2:] == [f"={model.ref(T08, c, 'memory_capacity_corrected')}" for c in TPUS]


def test_printed_tpu_memory_is_a_known_typo_and_tco_per_tb_holds(checks):
    for chip in TPUS:
        m, reported, holds, known, status = checks[f"表8 {chip} memory capacity"]
        assert m == 192 and reported in (16, 32) and holds in (False, 0)
        assert known and "typo" in known and "717" in known and status in (True, 1)
        m, reported, holds, known, status = checks[f"表8 {chip} TCO per TB of memory"]
        assert holds in (True, 1) and not known and status in (True, 1), (chip, m, reported)
    assert checks["master"] in (True, 1)


def test_meta_2026_capex_is_a_number_with_its_floor_note(built_model):
    frame = load_data(DATA).frame("t00_text_figures")
    row = frame[(frame.entity == "Meta") & (frame.metric == "capex") & (frame.period == "2026")]
    assert len(row) == 1
    r = row.iloc[0]
    assert float(r["value"]) == 100.0 and r["unit"] == "USD_bn" and r["basis"] == "guidance"
    assert "floor" in r["note"] and int(r["seed_line"]) == 322
    ws = load_workbook(built_model)["t00_text_figures"]
    header = [c.value for c in ws[4]]
    e, m, p, v = (header.index(k) for k in ("entity", "metric", "period", "value"))
    cells = [
        row[v].value
        for row in ws.iter_rows(min_row=5)
        if (row[e].value, row[m].value, str(row[p].value)) == ("Meta", "capex", "2026")
    ]
    assert cells == [100] and isinstance(cells[0], (int, float))
