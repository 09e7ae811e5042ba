"""Plain reference implementations the fast paths are measured (and checked) against.

Each is the obvious per-vintage (or per-booking) loop, written for clarity, under the
``full`` depreciation convention and with no validation. The ``*_udf`` variants take
and return what Excel exchanges with a worksheet function (a flat list of floats in,
a list of rows out), so that they compare like with like against the ``AIM_`` adapters.

``floor_*`` is the least any adapter must do: turn Excel's list into an array and the
result array back into rows.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "floor",
    "life_change_loop",
    "life_change_loop_udf",
    "rpo_conversion_convolve",
    "rpo_conversion_loop",
    "rpo_conversion_loop_udf",
    "waterfall_loop",
    "waterfall_loop_udf",
    "waterfall_python",
]


def floor(values: list[float], result: np.ndarray) -> list[list[float]]:
    """The conversion floor: Excel's list to an array, and ``result`` back to rows."""
    np.asarray(values, dtype=float)
    return result.reshape(result.shape[0], -1).tolist()


def waterfall_loop(capex: np.ndarray, life: int) -> np.ndarray:
    """Straight-line depreciation per period: each vintage adds capex / life to its periods.

    >>> waterfall_loop(np.array([100.0, 200.0]), 2).tolist()
    [50.0, 150.0, 100.0, 0.0]
    """
    out = np.zeros(capex.size + life)
    for start, charge in enumerate((np.abs(capex) / life).tolist()):
        out[start : start + life] += charge
    return out


def waterfall_loop_udf(capex: list[float], life: float) -> list[list[float]]:
    """:func:`waterfall_loop` behind Excel's shapes."""
    return waterfall_loop(np.asarray(capex, dtype=float), int(life)).reshape(-1, 1).tolist()


def waterfall_python(capex: list[float], life: float) -> list[list[float]]:
    """The same in pure Python: a double loop over vintages and their periods.

    >>> waterfall_python([100.0, 200.0], 2.0)
    [[50.0], [150.0], [100.0], [0.0]]
    """
    n = int(life)
    out = [0.0] * (len(capex) + n)
    for start, amount in enumerate(capex):
        charge = abs(amount) / n
        for period in range(start, start + n):
            out[period] += charge
    return [[v] for v in out]


def life_change_loop(capex: np.ndarray, old_life: int, new_life: int, change_period: int):
    """Depreciation under ``old_life``, with the change from ``change_period`` (1-based), and
    the difference, one vintage at a time (ASC 250: the net book value left at the change
    is spread over the remaining revised life; later vintages use ``new_life``).

    >>> life_change_loop(np.array([120.0, 0, 0, 0]), 4, 6, 3)[:6, 1].tolist()
    [30.0, 30.0, 15.0, 15.0, 15.0, 15.0]
    """
    base = np.abs(capex)
    k = change_period - 1
    rows = base.size + max(old_life, new_life)
    before = np.zeros(rows)
    after = np.zeros(rows)
    for start, amount in enumerate(base.tolist()):
        before[start : start + old_life] += amount / old_life
        if start >= k:
            after[start : start + new_life] += amount / new_life
            continue
        used = k - start
        after[start : min(k, start + old_life)] += amount / old_life
        book_value = amount * max(old_life - used, 0) / old_life
        remaining = new_life - used
        if remaining >= 1:
            after[k : k + remaining] += book_value / remaining
        else:
            after[k] += book_value
    return np.column_stack((before, after, after - before))


def life_change_loop_udf(
    capex: list[float], old_life: float, new_life: float, change_period: float
) -> list[list[float]]:
    """:func:`life_change_loop` behind Excel's shapes."""
    arr = np.asarray(capex, dtype=float)
    return life_change_loop(arr, int(old_life), int(new_life), int(change_period)).tolist()


def _curve(pct_next_12m: float, horizon_years: float, periods_per_year: int) -> np.ndarray:
    total = round(horizon_years * periods_per_year)
    later = total - periods_per_year
    curve = np.full(total, (1.0 - pct_next_12m) / later if later else 0.0)
    curve[:periods_per_year] = pct_next_12m / periods_per_year
    return curve


def _ending(opening: float, bookings: np.ndarray, revenue: np.ndarray) -> np.ndarray:
    return opening + np.cumsum(bookings) - np.cumsum(revenue)


def rpo_conversion_loop(
    opening: float, bookings: np.ndarray, pct: float, years: float, ppy: int
) -> np.ndarray:
    """Revenue and ending RPO (two columns): each booking adds its recognition curve.

    >>> rpo_conversion_loop(100.0, np.array([0.0, 40.0, 0.0, 0.0]), 0.6, 2, 2).tolist()
    [[30.0, 70.0], [42.0, 68.0], [32.0, 36.0], [28.0, 8.0]]
    """
    n = bookings.size
    curve = _curve(pct, years, ppy)
    revenue = np.zeros(n)
    head = min(n, curve.size)
    revenue[:head] += opening * curve[:head]
    for start, amount in enumerate(bookings.tolist()):
        span = min(curve.size, n - start)
        revenue[start : start + span] += amount * curve[:span]
    return np.column_stack((revenue, _ending(opening, bookings, revenue)))


def rpo_conversion_loop_udf(
    opening: float, bookings: list[float], pct: float, years: float, ppy: float
) -> list[list[float]]:
    """:func:`rpo_conversion_loop` behind Excel's shapes."""
    arr = np.asarray(bookings, dtype=float)
    return rpo_conversion_loop(opening, arr, pct, years, int(ppy)).tolist()


def rpo_conversion_convolve(
    opening: float, bookings: np.ndarray, pct: float, years: float, ppy: int
) -> np.ndarray:
    """The same as a direct convolution of bookings with the curve (O(bookings x horizon))."""
    n = bookings.size
    curve = _curve(pct, years, ppy)
    revenue = np.convolve(bookings, curve)[:n]
    head = min(n, curve.size)
    revenue[:head] += opening * curve[:head]
    return np.column_stack((revenue, _ending(opening, bookings, revenue)))
