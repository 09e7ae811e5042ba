"""The Depreciation sheet: do 5-6-year server lives flatter EPS and margins? (issues 11, 16)

The seed's second "anxiety" (lines 497-525) and the bear case that the hyperscalers
understate 2026-2028 depreciation by about US$176bn. For Amazon, Microsoft, Alphabet and
Meta the sheet:

- builds the installed base from the filed capex (``sec_quarterly``) and the forecast
  quarters, placed in service after a lag, plus finance-lease additions where filed
  (sheets/model/depreciation_base.py);
- splits it into servers, network equipment and buildings and other, each class on its
  own life history from data/life_changes.csv (AIM_DEPR_POLICY applies every change
  prospectively; Amazon's 2025 reversal moves a share of both classes back to 5 years);
  buildings and other go straight-line on one blended life (AIM_DEPR_WATERFALL);
- calibrates by least squares at build time (sheets/model/depreciation_fit.py): the
  server-and-network share before 2023 and from 2023, the other-assets life, the lag and
  Amazon's reversed share, against the filed depreciation of property and equipment
  (data/pp_e_facts.csv) and the latest disclosed life-change effect; the fitted values,
  their residuals and an override per value show on the sheet;
- compares like for like (property depreciation, Microsoft on its fiscal years) and
  recomputes every life change's effect in its fiscal year;
- bridges 2023-2028 earnings under the reported lives and an economic life and answers
  how much the reported lives raise 2026-2028 operating income and EPS against a 3-, 4-
  and 5-year economic life, with the US$176bn claim and the life that would make it true.

This module lays the sheet out top to bottom; each question is its own module:
depreciation_frame (periods, fits, shared helpers), depreciation_installed (life policy,
capex, the quarterly engine, integrity), depreciation_calibration (like for like, every
change's effect, the fit table and profile), depreciation_claim (gaps per life, the grid,
the US$176bn claim and its solved life), depreciation_bridge (the answer, scenarios,
depreciation by year, the earnings bridge and EPS) and depreciation_charts.
"""

from __future__ import annotations

from openpyxl.utils import quote_sheetname

from sheets.model.base import Model, Writer
from sheets.model.depreciation_bridge import (
    fill_answer,
    reserve_answer,
    write_annual,
    write_bridge,
    write_scenarios,
)
from sheets.model.depreciation_calibration import (
    fill_calibration,
    fill_effects,
    reserve_calibration,
    write_fit,
)
from sheets.model.depreciation_charts import write_charts
from sheets.model.depreciation_claim import fill_claim, reserve_claim, write_gap_blocks, write_grid
from sheets.model.depreciation_frame import frame_of
from sheets.model.depreciation_installed import (
    check_server_life,
    write_installed_base,
    write_integrity,
)

__all__ = ["DEPRECIATION_SHEET", "write_depreciation"]

DEPRECIATION_SHEET = "Depreciation"


def write_depreciation(model: Model) -> None:
    """Write the Depreciation sheet: sections top to bottom, then the rows reserved at the
    top (answer, calibration, effects, claim) once the workings below them exist."""
    f = frame_of(model, quote_sheetname(DEPRECIATION_SHEET))
    w = Writer(
        model,
        DEPRECIATION_SHEET,
        "Do 5-6-year server lives flatter EPS and margins? The installed base from the "
        "filed capex, three asset classes on the companies' filed life histories, "
        "calibrated by least squares on the filed depreciation of property, earnings under "
        "an economic life, and the US$176bn bear case.",
    )
    assert quote_sheetname(w.title) == f.sheet
    ws = w.ws

    # the questions' tables at the top (most filled in once the workings below exist)
    answer = reserve_answer(w, f)
    cal = reserve_calibration(w, f)
    fitted = write_fit(w, f)
    claim_first = reserve_claim(w)
    write_scenarios(w)

    # the workings: installed base, gaps per life, years, grid, earnings bridge
    base = write_installed_base(w, f, fitted.use)
    gaps = write_gap_blocks(w, f, base)
    annual = write_annual(w, f, base, gaps)
    grid = write_grid(w, f, gaps)
    bridge = write_bridge(w, f, base, annual, gaps)
    write_integrity(w, f, base, fitted.use)

    # the reserved rows, now that the workings exist
    fill_answer(w, f, answer, gaps, grid, bridge)
    fill_calibration(w, f, cal, base, annual.a_mod, annual.ann_years)
    fill_effects(w, f, cal, base)
    fill_claim(w, f, claim_first, base, gaps, grid)

    # ---- checks and outputs ------------------------------------------------------------------
    check_server_life(w, f, base)
    model.blocks.update(
        {
            "dd_capex": base.capex,
            "dd_lives": base.lives["servers"],
            "dd_da_modelled": base.mod,
            "dd_da_reported": base.rep,
            "dd_annual_modelled": annual.a_mod,
            "dd_annual_reported": annual.a_rep,
            "dd_annual_chart": annual.a_chart,
            "dd_annual_total": annual.a_tot,
        }
    )
    model.dd = {  # type: ignore[attr-defined]
        "answer_first": answer.ans_first,
        "cal_first": cal.cal_first,
        "cal_rows": cal.cal_rows,
        "eff_first": cal.eff_first,
        "eff_rows": cal.eff_rows,
        "fit_first": fitted.fit_first,
        "fit_rows": fitted.fit_rows,
        "claim_first": claim_first,
        "grid_first": grid.grid_first,
        "share_row": grid.share_row,
        "bridge": bridge.rows,
        "bridge_cols": bridge.cols,
        "gap_years": f.head_years,
        "fits": f.fits,
    }
    write_charts(w, annual.a_chart)
    ws.column_dimensions["A"].width = 52
    for letter in "CDEFGHIJK":
        ws.column_dimensions[letter].width = 16
    ws.freeze_panes = "C4"
