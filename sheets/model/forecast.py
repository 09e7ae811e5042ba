"""Forecast quarters from full-year guidance, net of the quarters already filed.

A company guides capex for a calendar year; the model files quarters as they come. Each
forecast quarter of a year takes what the filed quarters leave of the guidance, shared
equally over the quarters not filed yet, but never less than the latest filed quarter of
that year: once a filed quarter runs above the guided pace, the guidance is behind the
filings and the run-rate holds. Without the floor, Meta's 2026 guidance (US$100bn, seed
line 322, a floor) less 2026Q1-Q2 as filed (US$18,997m + US$30,116m) leaves US$25,444m a
quarter, and a 2026Q3 filed at US$32,000m would leave US$18,887m for 2026Q4: a collapse
the guidance never said.

:func:`forecast_quarter` is the arithmetic in Python (for tests and the bench);
:func:`forecast_quarter_formula` writes the same as one worksheet formula.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["forecast_quarter", "forecast_quarter_formula"]

QUARTERS = 4


def forecast_quarter(year_total: float, filed: Sequence[float | None]) -> float:
    """Capex of each forecast quarter of one year.

    Parameters
    ----------
    year_total : float
        The year's guided capex, in the unit of ``filed`` (e.g. US$m), >= 0.
    filed : sequence of float or None
        The year's quarters Q1..Q4 in order; ``None`` for a quarter not filed yet (filed
        quarters come first: a year is filed from Q1 on).

    Returns
    -------
    float
        ``max((year_total - sum(filed)) / quarters not filed, latest filed quarter)``,
        not below 0; 0 when all four quarters are filed.
    """
    values = [v for v in filed if v is not None]
    n = len(values)
    if n >= QUARTERS:
        return 0.0
    share = max(0.0, (year_total - sum(values)) / (QUARTERS - n))
    return max(share, values[-1] if values else 0.0)


def forecast_quarter_formula(year_total: str, filed: str, count: str) -> str:
    """The worksheet formula of :func:`forecast_quarter` (leading ``=``).

    Parameters
    ----------
    year_total : str
        Reference (or expression) for the year's guided capex, in US$m.
    filed : str
        The year's four quarters Q1..Q4 as a range (a cell is a number when filed, else
        empty or empty text).
    count : str
        Reference to the number of filed quarters, ``COUNT(filed)``.

    Returns
    -------
    str
        ``=IF(count<Q_per_year, MAX(MAX(0, (year_total - SUM(filed)) / (Q_per_year -
        count)), latest filed quarter), 0)``; the latest filed quarter is
        ``INDEX(filed, count)`` (filed quarters come first). ``Q_per_year`` is the Inputs
        constant (4).
    """
    share = f"MAX(0,({year_total}-SUM({filed}))/(Q_per_year-{count}))"
    latest = f"IF({count}>0,INDEX({filed},{count}),0)"
    return f"=IF({count}<Q_per_year,MAX({share},{latest}),0)"
