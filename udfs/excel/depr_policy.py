"""Worksheet function: depreciation of a capex series under a useful-life policy over time."""

from __future__ import annotations

from typing import Any

from udfs.core import depr_policy as core
from udfs.core.depreciation import MAX_LIFE
from udfs.excel._shapes import MAX_CELLS, choice, optional_whole, same_length, to_column, vector
from udfs.excel._worksheet import worksheet

# The conventions of AIM_DEPR_WATERFALL, from its module: importing it first also lists
# AIM_DEPR_POLICY after the other depreciation functions in the registry.
from udfs.excel.depreciation import _CONVENTIONS

__all__ = ["AIM_DEPR_POLICY"]


@worksheet(
    capex="Capital spending per period, oldest first (currency); a row or column. Empty "
    "cells are no spend; outflows entered as negatives are depreciated by their size.",
    lives=f"Useful life in force in each capex period, whole periods 1 to {MAX_LIFE:,}; a row "
    "or column as long as capex. Each change applies prospectively to assets in service.",
    convention='Optional. "full" (default), "half" or "next", as in AIM_DEPR_WATERFALL.',
    periods="Optional. Rows to return, a whole number 1 to 1,048,576; default the number of "
    "capex periods + the longest life. Fewer rows cut the schedule short, more are zero.",
)
def AIM_DEPR_POLICY(capex: Any, lives: Any, convention: Any = None, periods: Any = None) -> Any:
    """Straight-line depreciation per period of a capex series under a life that changes over time.

    One column (currency of capex), one row per capex period plus the longest life in
    ``lives``. Each vintage starts on the life in force when it is spent; at every change
    in the life, each earlier vintage's remaining book value is spread over its remaining
    revised life (ASC 250 / IAS 8), or expensed in the change period if that life is over.
    """
    amounts = vector(capex, "capex", empty="zero")
    policy = vector(lives, "lives")
    same_length(capex=amounts, lives=policy)
    schedule = core.depr_policy(
        amounts,
        policy,
        choice(convention, "convention", _CONVENTIONS, default="full"),
        optional_whole(periods, "periods", maximum=MAX_CELLS),
    )
    return to_column(schedule)
