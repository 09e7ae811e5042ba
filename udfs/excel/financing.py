"""Worksheet functions: debt schedules, cash runway net of debt flows, commitment schedules.

Conventions (documented in :mod:`udfs.core.debt` and :mod:`udfs.core.contracts`):
interest is paid in cash, never added to the debt balance; repayments, capex and debt
service count by size whatever their sign; draws and new borrowing are >= 0. Empty cells
in draws, repayments, debt service and borrowing are 0 (nothing drawn, repaid or paid
that period); empty cells in operating cash flow, capex and rates are refused, naming the
position (a gap in a forecast is not a zero).
"""

from __future__ import annotations

import math

import numpy as np

from udfs.core import contracts as contracts_core
from udfs.core import debt as debt_core
from udfs.errors import AimInputError
from udfs.excel._shapes import (
    MAX_CELLS,
    choice,
    number,
    optional_whole,
    same_length,
    to_column,
    to_rows,
    vector,
    whole,
)
from udfs.excel._worksheet import worksheet
from udfs.excel.neocloud import NOT_EXHAUSTED

__all__ = ["AIM_CONTRACT_SCHEDULE", "AIM_DEBT_SCHEDULE", "AIM_FUNDED_RUNWAY"]


@worksheet(
    opening="Debt outstanding at the start of period 1, >= 0, e.g. US$m.",
    draws="New borrowing drawn per period (a row or column), same unit, >= 0; empty cells are 0.",
    repayments="Principal repaid per period, same unit, as many cells as draws; either sign "
    "(its size is repaid); empty cells are 0. More than the balance owed is refused.",
    rate="Yearly interest rate >= 0 and < 1 (8% or 0.08): one cell for every period, or one "
    "per period.",
    periods_per_year="Optional periods per year, a whole number 1 to 366: 4 for quarters "
    "(default), 12 for months, 1 for years.",
    interest_on='Optional balance interest is charged on: "opening" (default: the balance at '
    'the start of each period) or "average" (of the opening and closing balances).',
)
def AIM_DEBT_SCHEDULE(opening, draws, repayments, rate, periods_per_year=None, interest_on=None):
    """Interest and closing debt balance per period (2 columns: interest, closing balance).

    Closing = opening + draws - repayments; a period's draws come before its repayment,
    and a repayment above the balance then owed is refused (the message names
    repayments and the position). Interest = rate / periods_per_year x the opening (or
    average) balance. Interest is paid in cash: it is not capitalised into the balance.
    """
    start = number(opening, "opening", minimum=0)
    drawn = vector(draws, "draws", empty="zero", nonnegative=True)
    paid = vector(repayments, "repayments", empty="zero")
    n = same_length(draws=drawn, repayments=paid)
    rates = debt_core.annual_rates(vector(rate, "rate"), n)
    ppy = whole(periods_per_year, "periods_per_year", default=4, maximum=366)
    basis = choice(interest_on, "interest_on", debt_core.INTEREST_ON, default="opening")
    interest, closing = debt_core.debt_schedule(start, drawn, paid, rates, ppy, basis)
    return to_rows(np.column_stack((interest, closing)))


@worksheet(
    cash="Cash at the start of period 1, e.g. US$m (add undrawn liquidity if you count it). "
    "Zero or less gives a runway of 0.",
    ocf="Operating cash flow per period (a row or column), same unit, signed: negative is "
    "cash used. No empty cells.",
    capex="Capital expenditure per period, same unit, as many cells as ocf; either sign, its "
    "size is deducted. No empty cells.",
    debt_service="Interest plus scheduled principal repayments per period, same unit and "
    "length; either sign, its size is deducted; empty cells are 0.",
    borrowing="New borrowing drawn per period, same unit and length, >= 0, added to cash; "
    "empty cells are 0.",
)
def AIM_FUNDED_RUNWAY(cash, ocf, capex, debt_service, borrowing):
    """Cash runway after capex, debt service and borrowing, and the lowest cash (1 row, 2 cells).

    Cash per period moves by ocf - capex - debt service + borrowing, linearly within the
    period. The first cell is the fractional number of periods until cash reaches zero,
    or "not exhausted" if it lasts through the projection (nothing is assumed after its
    last period); the second is the lowest cash, at a period end or the start cash.
    """
    start = number(cash, "cash")
    flow = vector(ocf, "ocf")
    spend = vector(capex, "capex")
    service = vector(debt_service, "debt_service", empty="zero")
    raised = vector(borrowing, "borrowing", empty="zero", nonnegative=True)
    same_length(ocf=flow, capex=spend, debt_service=service, borrowing=raised)
    periods, lowest = debt_core.funded_runway(start, flow, spend, service, raised)
    return [[NOT_EXHAUSTED if math.isinf(periods) else periods, lowest]]


@worksheet(
    total="The commitment's total value, e.g. US$m; either sign, the schedule carries it.",
    start_period="Period of the first amount, a whole number 1 to 1,048,576 (1 = the first "
    "row returned).",
    term_periods="Periods the commitment runs, a whole number 1 to 1,048,576.",
    shape='Optional "level" (default: total / term_periods each period) or "ramp" (rising '
    "linearly: amounts in proportion 1, 2, ..., term_periods).",
    periods="Optional rows to return, a whole number 1 to 1,048,576. Default start_period - "
    "1 + term_periods; fewer cut the schedule, more pad it with zeros.",
)
def AIM_CONTRACT_SCHEDULE(total, start_period, term_periods, shape=None, periods=None):
    """Amount of a commitment in each period (one column; sums to total unless periods cuts it).

    Zero before start_period and after the term. "level" spreads total evenly over
    term_periods; "ramp" rises linearly (1, 2, ..., term_periods parts). periods, if
    given, sets the rows returned: fewer than start_period - 1 + term_periods cut the
    schedule (the rest is left off), more pad it with zeros.
    """
    amount = number(total, "total")
    start = whole(start_period, "start_period", maximum=MAX_CELLS)
    term = whole(term_periods, "term_periods", maximum=MAX_CELLS)
    form = choice(shape, "shape", contracts_core.SHAPES, default="level")
    rows = optional_whole(periods, "periods", maximum=MAX_CELLS)
    if rows is None and start - 1 + term > MAX_CELLS:
        raise AimInputError(
            "term_periods",
            f"must end by period {MAX_CELLS:,} (start_period - 1 + term_periods is "
            f"{start - 1 + term:,}); give periods to cut the schedule",
            term_periods,
        )
    return to_column(contracts_core.contract_schedule(amount, start, term, form, rows))
