"""The Checks sheet's three groups (issue 13): integrity holds whatever the inputs and
turns FALSE on any error value; seed reproductions say "n/a" once an input they depend
on is changed; a changed estimate in data/ fails seed rows, never integrity.

Three headless recalculations of a built workbook: analyst inputs changed, error values
planted, one data value changed.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from formulas.tokens.operand import XlError
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries

from sheets.evaluate.headless import recalculate
from sheets.model.checks import GROUP_MASTERS, GROUP_TITLES, MASTER_CHECK, NOT_APPLICABLE
from sheets.model.inputs import CHANGED_COLUMN, INPUTS_SHEET
from sheets.workbook.build import build

TRUE, FALSE = (True, 1), (False, 0)


def _cell(names: dict[str, str], name: str) -> tuple[str, str]:
    """(SHEET, coordinate) of a defined name, as the headless results key it."""
    sheet, ref = names[name].rsplit("!", 1)
    return sheet.strip("'").upper(), ref.replace("$", "")


def _set_inputs(src: Path, out: Path, edits: dict[str, float]) -> Path:
    """Type ``edits`` into the analyst cells (column E) of the named inputs, as an analyst."""
    wb = load_workbook(src, keep_vba=True)
    names = {n: d.attr_text for n, d in wb.defined_names.items()}
    for name, value in edits.items():
        row = int(names[name].rsplit("$", 1)[1])
        wb[INPUTS_SHEET][f"E{row}"] = value
    wb.save(out)
    return out


class Result:
    """A recalculated workbook: masters, and each Checks row by label with its group."""

    def __init__(self, path: Path):
        self.values = recalculate(path)
        wb = load_workbook(path)
        self.names = {n: d.attr_text for n, d in wb.defined_names.items()}
        ws = wb["Checks"]
        groups = {title: group for group, title in GROUP_TITLES.items()}
        self.rows: dict[str, tuple[str, int]] = {}
        self.depends: dict[str, str] = {}
        group = None
        for r in range(7, ws.max_row + 1):
            label = ws[f"B{r}"].value
            if label in groups:
                group = groups[label]
            elif isinstance(ws[f"A{r}"].value, int) and group and ws[f"D{r}"].value:
                self.rows[label] = (group, r)
                self.depends[label] = ws[f"L{r}"].value or ""
            elif label is None and group:
                break  # the end of the checks; the unchecked figures follow
        inputs = wb[INPUTS_SHEET]
        self.flags = {  # input name: its "changed" flag
            inputs[f"A{r}"].value: self.values.get((INPUTS_SHEET.upper(), f"{CHANGED_COLUMN}{r}"))
            for r in range(1, inputs.max_row + 1)
            if str(inputs[f"{CHANGED_COLUMN}{r}"].value).startswith("=")
        }

    def name(self, name: str):
        return self.values[_cell(self.names, name)]

    def col(self, label: str, column: str):
        return self.values.get(("CHECKS", f"{column}{self.rows[label][1]}"))

    def status(self, label: str):
        return self.col(label, "K")

    def group(self, group: str) -> list[str]:
        return [label for label, (g, _) in self.rows.items() if g == group]


@pytest.fixture(scope="module")
def changed_inputs(built_model, tmp_path_factory):
    # GPU_life: 表7 prints a 4-year server life (data/t07_token_factory.csv line 4); 6 is
    # what Amazon, Alphabet and Microsoft use (表4). Kd_NG: 表10's 11% cost of debt of the
    # H100 neocloud giants (data/t10_cloud_tco.csv line 6), raised to 13%.
    # DD_capex_growth_base and DD_network_fraction: the Depreciation sheet's assumptions
    # (defaults 10% and 20% on Inputs), changed to 20% and 30%. OAI_renewal: OpenAI's
    # renewed share of lapsed commitments (default 0%, an assumption), set to 100%.
    edits = {
        "GPU_life": 6,
        "Kd_NG": 0.13,
        "DD_capex_growth_base": 0.2,
        "DD_network_fraction": 0.3,
        "OAI_renewal": 1.0,
    }
    out = _set_inputs(built_model, tmp_path_factory.mktemp("inputs") / "model.xlsm", edits)
    return edits, Result(out)


def test_changed_inputs_keep_integrity_and_mark_dependent_seed_rows_na(changed_inputs):
    edits, res = changed_inputs
    # Each edited input, and only those, is flagged changed on Inputs.
    assert {n for n, v in res.flags.items() if v in TRUE} == set(edits)
    assert res.name(GROUP_MASTERS["integrity"]) in TRUE
    # The printed figures computed from the 4-year life (表7: depreciation per GPU-hour =
    # server cost / GPUs / (life x 8,760 h), the variable cost adds opex, the neocloud
    # margin is 1 - cost / rent) and 表10's giants WACC (75% x Ke + 25% x Kd) no longer
    # apply; nothing the seed prints depends on the Depreciation sheet's assumptions.
    expected_na = {
        "表7 depreciation per gpu hour": "GPU_life",
        "表7 total variable cost per gpu hour": "GPU_life",
        "表7 neocloud gross margin": "GPU_life",
        "表10 H100 Neocloud Giants WACC": "Kd_NG",
    }
    na = {label for label in res.group("seed") if res.status(label) == NOT_APPLICABLE}
    assert na == set(expected_na)
    for label, name in expected_na.items():
        assert name in res.depends[label].split(", "), (label, res.depends[label])
    # Without "n/a" they would fail: the model's figure moved beyond the tolerance.
    assert res.col("表7 depreciation per gpu hour", "I") in FALSE
    assert res.col("表10 H100 Neocloud Giants WACC", "I") in FALSE
    # Every other seed row still holds, and the seed master says so.
    for label in res.group("seed"):
        if label not in na:
            assert res.status(label) in TRUE, (label, res.status(label))
    assert res.name(GROUP_MASTERS["seed"]) in TRUE
    # A reconciliation row is "n/a" exactly when it lists an edited input.
    for label in res.group("reconciliation"):
        uses = set(res.depends[label].split(", ")) & set(edits)
        assert (res.status(label) == NOT_APPLICABLE) == bool(uses), label
    sheet, master = _cell(res.names, GROUP_MASTERS["seed"])  # D<row>; the n/a count in I
    assert res.values[(sheet, master.replace("D", "I"))] == len(expected_na)


def _errors_on(values, sheet: str) -> int:
    """Error values and "#AIM!" messages on ``sheet``, counted in Python."""
    return sum(
        1
        for (s, _), v in values.items()
        if s == sheet.upper()
        and (isinstance(v, XlError) or (isinstance(v, str) and v.startswith("#AIM!")))
    )


def _blank_cell_scanned(wb, sheet: str) -> str:
    """A blank cell inside the block the integrity row of ``sheet`` scans."""
    ws = wb["Checks"]
    label = f"No error value on {sheet}"
    row = next(r for r in range(7, ws.max_row + 1) if ws[f"B{r}"].value == label)
    box = re.search(r"!(\$[A-Z]+\$\d+:\$[A-Z]+\$\d+)", ws[f"D{row}"].value).group(1)
    c0, r0, c1, r1 = range_boundaries(box.replace("$", ""))
    target = wb[sheet]
    return next(
        target.cell(row=r, column=c).coordinate
        for r in range(r0, r1 + 1)
        for c in range(c0, c1 + 1)
        if target.cell(row=r, column=c).value is None
    )


def test_an_error_value_turns_integrity_false(built_model, tmp_path):
    # GPU_life 0 (an analyst's input): AIM_GPU_HOUR_COST refuses it with "#AIM! ..." text
    # on Unit economics, and the native formulas reading that text give #VALUE!.
    out = _set_inputs(built_model, tmp_path / "model.xlsm", {"GPU_life": 0})
    # And a formula giving #DIV/0! planted in a blank cell of the RPO sheet.
    wb = load_workbook(out, keep_vba=True)
    planted = _blank_cell_scanned(wb, "RPO")
    wb["RPO"][planted] = "=1/0"
    wb.save(out)
    res = Result(out)
    assert isinstance(res.values[("RPO", planted)], XlError)
    unit = [v for (s, _), v in res.values.items() if s == "UNIT ECONOMICS" and isinstance(v, str)]
    assert any(v.startswith("#AIM! AIM_GPU_HOUR_COST") for v in unit)
    broken = {"RPO", "Unit economics"}
    scans = [label for label in res.group("integrity") if label.startswith("No error value on ")]
    assert {f"No error value on {sheet}" for sheet in (*broken, "Inputs", "Capex")} <= set(scans)
    for label in scans:
        sheet = label.removeprefix("No error value on ")
        count = res.col(label, "D")
        assert count == _errors_on(res.values, sheet), (label, count)
        assert (count > 0) == (sheet in broken), (label, count)
        assert res.status(label) in (FALSE if sheet in broken else TRUE), label
    assert res.col("No error value on RPO", "D") == 1  # the planted cell alone
    assert res.name(GROUP_MASTERS["integrity"]) in FALSE
    assert res.name(MASTER_CHECK) in FALSE
    # The seed rows that read GPU_life are "n/a", so the seed master still holds: the
    # breakage shows in integrity, where it belongs.
    assert res.status("表7 depreciation per gpu hour") == NOT_APPLICABLE
    assert res.name(GROUP_MASTERS["seed"]) in TRUE


def _set_data(data_dir: Path, stem: str, key: tuple[str, str, str], value: str) -> None:
    path = data_dir / f"{stem}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    hits = [row for row in rows[1:] if tuple(row[:3]) == key]
    assert len(hits) == 1, key
    hits[0][3] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def test_a_changed_estimate_fails_seed_rows_not_integrity(data_copy, tmp_path):
    # 表1 Amazon 25Q4E capex 327 (US$100m; data/t01_hyperscaler_capex.csv line 30) -> 360.
    _set_data(data_copy, "t01_hyperscaler_capex", ("Amazon", "capex", "2025Q4"), "360")
    res = Result(build(data_copy, tmp_path / "model.xlsm"))
    assert res.name(GROUP_MASTERS["integrity"]) in TRUE
    assert all(res.status(label) in TRUE for label in res.group("integrity"))
    # The report's figures built on 327 no longer reproduce: the 25Q4 total (sum of the
    # four), Amazon's and the total's 25Q4 y/y, the 2025 sums of quarters and their y/y.
    expected = {
        "表1 total capex 2025Q4 = sum of the four",
        "表1 Amazon capex y/y 2025Q4",
        "表1 Total capex y/y 2025Q4",
        "表1 Amazon 2025 capex = sum of its quarters",
        "表1 Total 2025 capex = sum of its quarters",
        "表1 Amazon 2025 capex y/y (sums of quarters)",
        "表1 Total 2025 capex y/y (sums of quarters)",
    }
    assert {label for label in res.group("seed") if res.status(label) in FALSE} == expected
    assert not [label for label in res.rows if res.status(label) == NOT_APPLICABLE]
    assert res.name(GROUP_MASTERS["seed"]) in FALSE
    assert res.name(MASTER_CHECK) in FALSE


def test_full_renewal_holds_openai_commitments_at_their_last_contracted_year(
    changed_inputs, built_model
):
    """OAI_renewal 100%: every year after OAI_renew_after (2031) renews what lapsed, so
    the year's net commitments = its printed commitments - chips counted twice + (the 2031
    commitments - the year's), i.e. 2031's level when no chip is due (the chip vendors'
    schedules end by 2030: NVIDIA and AMD 2026-2030, Broadcom 2026-2029, Inputs)."""
    _, res = changed_inputs
    ws = load_workbook(built_model)["OpenAI"]
    head = next(
        r
        for r in range(1, ws.max_row + 1)
        if ws.cell(row=r, column=1).value == "Funding and the gap net of it, US$bn"
    )
    head = next(r for r in range(head, head + 5) if ws.cell(row=r, column=1).value == "Year")
    heads = {ws.cell(row=head, column=c).value: c for c in range(3, 16)}
    rows = {ws.cell(row=r, column=1).value: r for r in range(head + 1, head + 12)}

    def at(year: int, name: str) -> float:
        return res.values[("OPENAI", f"{get_column_letter(heads[name])}{rows[year]}")]

    for y in range(2032, 2036):
        assert at(y, "Renewed") == pytest.approx(at(2031, "Commitments") - at(y, "Commitments"))
        assert at(y, "Commitments, net") == pytest.approx(at(2031, "Commitments, net"))
    assert at(2031, "Renewed") == 0
