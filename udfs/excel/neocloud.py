"""Worksheet functions: neocloud free cash flow (burn) and cash runway.

Forecast inputs here refuse empty cells (the error names the position): a missing
quarter of capex or interest is a gap in the forecast, not a zero.
"""

from __future__ import annotations

import math

from udfs.core import neocloud as core
from udfs.excel._shapes import number, same_length, to_column, vector
from udfs.excel._worksheet import worksheet

__all__ = ["AIM_CASH_BURN", "AIM_RUNWAY"]

NOT_EXHAUSTED = "not exhausted"


@worksheet(
    operating_income="Operating income (EBIT) per period (a row or column), e.g. US$m; "
    "negative for a loss.",
    d_and_a="Depreciation and amortization per period, >= 0, same unit and length; added "
    "back as non-cash.",
    interest="Interest expense per period, same unit and length; either sign, its size is "
    "deducted.",
    capex="Capital expenditure per period, same unit and length; either sign (a negative "
    "outflow is fine), its size is deducted.",
    taxes="Optional cash taxes, same unit: one value for every period or one per period; "
    "positive paid, negative refund. Default 0.",
)
def AIM_CASH_BURN(operating_income, d_and_a, interest, capex, taxes=None):
    """Free cash flow per period: EBIT + D&A - interest - capex - taxes (one column; < 0 = burn).

    Interest and capex are deducted by size whatever their sign.
    """
    income = vector(operating_income, "operating_income")
    da = vector(d_and_a, "d_and_a", nonnegative=True)
    paid = vector(interest, "interest")
    spend = vector(capex, "capex")
    same_length(operating_income=income, d_and_a=da, interest=paid, capex=spend)
    tax = 0.0 if taxes is None else vector(taxes, "taxes")
    return to_column(core.cash_burn(income, da, paid, spend, tax))


@worksheet(
    cash="Cash (and undrawn liquidity, if you count it) at the start of period 1, e.g. "
    "US$m. Zero or less gives 0.",
    fcf="Free cash flow per period, same unit, negative = burn: one cell (the same every "
    "period) or a projection (a row or column).",
)
def AIM_RUNWAY(cash, fcf):
    """Periods until cash runs out (fractional, in fcf's periods), or "not exhausted".

    Cash moves linearly within a period. A projection is not extended past its last
    period: "not exhausted" means cash lasts through it; a one-cell fcf >= 0 never
    exhausts cash.
    """
    start = number(cash, "cash")
    flows = vector(fcf, "fcf")
    periods = core.runway(start, float(flows[0]) if flows.size == 1 else flows)
    return [[NOT_EXHAUSTED if math.isinf(periods) else periods]]
