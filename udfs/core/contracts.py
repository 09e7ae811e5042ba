"""Contract (commitment) schedules: a total spread over a term that starts in a later period.

A commitment of ``total`` runs for ``term_periods`` periods from ``start_period``
(1 = the first period). Its shape is ``"level"`` (``total / term_periods`` every period)
or ``"ramp"`` (rising linearly: the amounts are proportional to 1, 2, ..., term). Either
way the amounts sum to ``total``, to rounding. The total keeps its sign: an outflow
entered as a negative number gives a negative schedule.

The schedule is returned over ``periods`` periods (rows): by default the contract's
last period, ``start_period - 1 + term_periods``; fewer periods cut it (the amounts
after the last row are left off, and the rows no longer sum to ``total``), more pad it
with zeros. Time and memory are linear in ``periods``, whatever the term.
"""

from __future__ import annotations

import math

import numpy as np

from udfs.errors import AimInputError

__all__ = ["SHAPES", "contract_schedule"]

SHAPES = ("level", "ramp")
"""How a total is spread over its term."""


def _count(value: int | float, name: str, what: str = "periods") -> int:
    out = float(value)
    if not math.isfinite(out) or not out.is_integer() or out < 1:
        raise AimInputError(name, f"must be a whole number of {what} >= 1", value)
    return int(out)


def contract_schedule(
    total: float,
    start_period: int,
    term_periods: int,
    shape: str = "level",
    periods: int | None = None,
) -> np.ndarray:
    """The amount of a commitment falling in each period.

    Parameters
    ----------
    total : float
        The commitment's total value, any currency unit, either sign.
    start_period : int
        The contract's first period, >= 1 (1 = the first row).
    term_periods : int
        Periods the contract runs, >= 1.
    shape : {"level", "ramp"}, default "level"
        ``"level"``: ``total / term_periods`` a period. ``"ramp"``: period ``k`` of the
        term (1-based) gets ``total * k / (1 + 2 + ... + term)``.
    periods : int, optional
        Periods to return, >= 1. Default ``start_period - 1 + term_periods``; fewer cut
        the schedule, more pad it with zeros.

    Returns
    -------
    numpy.ndarray
        ``periods`` amounts, the unit of ``total``; zero before ``start_period`` and
        after the term.

    Raises
    ------
    AimInputError
        If ``total`` is not finite, a count is not a whole number >= 1, or ``shape`` is
        not one of :data:`SHAPES`.

    Examples
    --------
    1,200 over 4 quarters from quarter 2, level; then ramped (1 : 2 : 3 : 4, in tenths):

    >>> contract_schedule(1200.0, 2, 4).tolist()
    [0.0, 300.0, 300.0, 300.0, 300.0]
    >>> contract_schedule(1200.0, 2, 4, "ramp").tolist()
    [0.0, 120.0, 240.0, 360.0, 480.0]
    >>> contract_schedule(1200.0, 2, 4, "ramp", periods=3).tolist()  # cut after 3 rows
    [0.0, 120.0, 240.0]
    """
    amount = float(total)
    if not math.isfinite(amount):
        raise AimInputError("total", "must be a finite number", total)
    start = _count(start_period, "start_period")
    term = _count(term_periods, "term_periods")
    if shape not in SHAPES:
        raise AimInputError("shape", "must be one of " + ", ".join(SHAPES), shape)
    rows = start - 1 + term if periods is None else _count(periods, "periods")
    out = np.zeros(rows)
    first = start - 1
    shown = min(term, rows - first)  # contract periods that fall within the rows
    if shown > 0:
        if shape == "level":
            out[first : first + shown] = amount / term
        else:
            parts = term * (term + 1.0) / 2.0  # 1 + 2 + ... + term, exact below 2**53
            out[first : first + shown] = amount * (np.arange(1, shown + 1, dtype=float) / parts)
    return out
