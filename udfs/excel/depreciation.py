"""Worksheet functions: depreciation of one asset, of a capex series, and a change in life."""

from __future__ import annotations

from typing import Any

from udfs.core import depreciation as core
from udfs.core import waterfall
from udfs.errors import AimInputError
from udfs.excel._shapes import (
    choice,
    number,
    optional_whole,
    share,
    to_column,
    to_rows,
    vector,
    whole,
)
from udfs.excel._worksheet import worksheet

__all__ = ["AIM_DEPRECIATION", "AIM_DEPR_WATERFALL", "AIM_LIFE_CHANGE"]

_EXCEL_ROWS = 1_048_576
_CONVENTIONS = list(waterfall.CONVENTIONS)


@worksheet(
    cost="Initial cost of the asset (currency), >= 0.",
    salvage="Value at the end of its life (same currency), between 0 and cost.",
    life="Useful life in whole periods (years, quarters, months or days), 1 to 1,048,576; "
    "e.g. 3650 for ten years of days.",
    method='Optional. "SL" (default), "SYD", "DDB", "DB" or "VDB", as Excel\'s functions.',
    factor="Optional. Declining-balance rate for DDB and VDB, > 0; default 2 (double-declining).",
    month="Optional. Months in the first year for DB, 1 to 12; default 12. Below 12, DB "
    "has life + 1 rows, so life must then be at most 1,048,575.",
)
def AIM_DEPRECIATION(
    cost: Any,
    salvage: Any,
    life: Any,
    method: Any = None,
    factor: Any = None,
    month: Any = None,
) -> Any:
    """Depreciation per period of one asset (one column, a row per period, currency of cost).

    Row p equals Excel's SLN(cost, salvage, life), SYD(..., p), DDB(..., p, factor),
    DB(..., p, month) or VDB(..., p - 1, p, factor). There are ``life`` rows, and one more
    for DB when ``month`` is below 12. ``life`` may be any whole number of periods up to
    the rows of an Excel column (1,048,576), e.g. 3,650 days as in Microsoft's DDB and
    VDB examples.
    """
    c = number(cost, "cost", minimum=0)
    s = number(salvage, "salvage", minimum=0)
    n = whole(life, "life", maximum=core.MAX_LIFE)
    how = choice(method, "method", core.METHODS, default="SL")
    rate = number(factor, "factor", default=2.0, above=0)
    m = whole(month, "month", default=12, maximum=12, what="months")
    if how == "DB" and m < 12 and n >= _EXCEL_ROWS:  # life + 1 rows would not fit a column
        raise AimInputError(
            "life",
            f"must be a whole number of periods <= {_EXCEL_ROWS - 1} for DB with month "
            "below 12 (life + 1 rows)",
            life,
        )
    return to_column(core.depreciation_schedule(c, s, n, how, rate, m))


@worksheet(
    capex="Capital spending per period, oldest first (currency); a row or column. Empty "
    "cells are no spend; outflows entered as negatives are depreciated by their size.",
    life="Useful life in whole periods of the capex series, 1 to 1,048,576 (e.g. 24 for 6 "
    "years of quarters).",
    convention='Optional. "full" (default): from the period of spend; "half": half a charge '
    'in the first and last period; "next": from the period after spend.',
    salvage_pct="Optional. Salvage as a share of capex, 0 to 1 (e.g. 0.05 for 5%); default 0.",
    periods="Optional. Rows to return, a whole number 1 to 1,048,576; default the number of "
    "capex periods + life. Fewer rows cut the schedule short, more are zero.",
)
def AIM_DEPR_WATERFALL(
    capex: Any,
    life: Any,
    convention: Any = None,
    salvage_pct: Any = None,
    periods: Any = None,
) -> Any:
    """Straight-line depreciation per period of a capex series (one column, currency of capex).

    Period 1 is the first capex period. Each vintage depreciates capex x (1 - salvage_pct)
    evenly over ``life`` periods under the chosen convention; the column is the total of
    all vintages, positive.
    """
    schedule = waterfall.depr_waterfall(
        vector(capex, "capex", empty="zero"),
        whole(life, "life", maximum=core.MAX_LIFE),
        choice(convention, "convention", _CONVENTIONS, default="full"),
        share(salvage_pct, "salvage_pct", default=0.0),
        optional_whole(periods, "periods", maximum=_EXCEL_ROWS),
    )
    return to_column(schedule)


@worksheet(
    capex="Capital spending per period, oldest first (currency); a row or column. Empty "
    "cells are no spend; outflows entered as negatives are depreciated by their size.",
    old_life="Useful life before the change, in whole periods of the capex series, 1 to 1,048,576.",
    new_life="Useful life after the change, in whole periods of the capex series, 1 to 1,048,576.",
    change_period="First period under the new life, a whole number 1 to 1,048,576 counted "
    "from 1 = the first capex period.",
    convention='Optional. "full" (default), "half" or "next", as in AIM_DEPR_WATERFALL.',
)
def AIM_LIFE_CHANGE(
    capex: Any,
    old_life: Any,
    new_life: Any,
    change_period: Any,
    convention: Any = None,
) -> Any:
    """Depreciation per period before and after a change in useful life: old, new, new - old.

    Three columns (currency of capex), one row per period for the capex periods plus the
    longer life: (1) under old_life throughout; (2) with the change applied prospectively
    from change_period (ASC 250 / IAS 8: each vintage's remaining book value is spread over
    its remaining revised life; later vintages use new_life); (3) = (2) - (1), negative
    meaning lower depreciation (higher earnings).
    """
    table = waterfall.life_change(
        vector(capex, "capex", empty="zero"),
        whole(old_life, "old_life", maximum=core.MAX_LIFE),
        whole(new_life, "new_life", maximum=core.MAX_LIFE),
        whole(change_period, "change_period", maximum=_EXCEL_ROWS),
        choice(convention, "convention", _CONVENTIONS, default="full"),
    )
    return to_rows(table)
