"""Excel-exact depreciation of one asset: SLN, SYD, DDB, DB and VDB, and whole schedules.

Each single-period function reproduces the Excel worksheet function of the same name
(the arithmetic follows LibreOffice Calc's implementation, which matches Excel's
documented examples, step for step). Amounts are depreciation expense for one period,
positive, in the currency of ``cost``. A *period* is whatever unit ``life`` is counted
in: years, quarters or months.

Where Excel answers ``#NUM!`` (salvage above cost, a period outside the life, a DB
``month`` outside 1..12, a factor of zero or less, a VDB start after its end), these
functions raise :class:`udfs.errors.AimInputError` naming the argument. aim also refuses
a negative ``cost`` or ``salvage`` and a ``life`` below one period.

>>> depreciation_schedule(1000.0, 100.0, 3, "SYD").round(2).tolist()
[450.0, 300.0, 150.0]
"""

from __future__ import annotations

import math

import numpy as np

from udfs.errors import AimInputError

__all__ = ["MAX_LIFE", "METHODS", "db", "ddb", "depreciation_schedule", "sln", "syd", "vdb"]

METHODS = ("SL", "SYD", "DDB", "DB", "VDB")
"""The methods :func:`depreciation_schedule` knows, as Excel names them (SL = SLN)."""

MAX_LIFE = 1_048_576
"""Longest life a schedule accepts: 1,048,576 periods, the rows of an Excel column (a
schedule has a row per period). Excel's own help pages use daily lives (3,650 days for
ten years); LibreOffice's DB stops at 1,200, Excel's does not."""

_E48 = 2.0**-48


# --------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------


def _finite(value: float, name: str) -> float:
    out = float(value)
    if not math.isfinite(out):
        raise AimInputError(name, "must be a finite number", value)
    return out


def _asset(cost: float, salvage: float, life: float) -> tuple[float, float, float]:
    """Check the three arguments every method shares; return them as floats."""
    cost = _finite(cost, "cost")
    salvage = _finite(salvage, "salvage")
    life = _finite(life, "life")
    if cost < 0:
        raise AimInputError("cost", "must be >= 0", cost)
    if salvage < 0:
        raise AimInputError("salvage", "must be >= 0", salvage)
    if salvage > cost:
        raise AimInputError("salvage", f"must not exceed cost of {cost:g}", salvage)
    if life < 1:
        raise AimInputError("life", "must be at least 1 period", life)
    return cost, salvage, life


def _whole(value: float, name: str, low: int, high: float | None = None) -> int:
    out = _finite(value, name)
    if not out.is_integer() or out < low or (high is not None and out > high):
        span = f"{low}..{high:g}" if high is not None else f">= {low}"
        raise AimInputError(name, f"must be a whole number in {span}", value)
    return int(out)


def _period(period: float, life: float, name: str = "period", low: float = 1.0) -> float:
    period = _finite(period, name)
    if period < low or period > life:
        raise AimInputError(name, f"must be between {low:g} and the life of {life:g}", period)
    return period


def _factor(factor: float) -> float:
    factor = _finite(factor, "factor")
    if factor <= 0:
        raise AimInputError("factor", "must be > 0", factor)
    return factor


# --------------------------------------------------------------------------------------
# LibreOffice's rounding helpers (rtl::math::approx*), used where Calc uses them
# --------------------------------------------------------------------------------------


def _approx(x: float) -> float:
    """``x`` rounded to 15 significant digits (rtl::math::approxValue)."""
    return float(f"{x:.15g}")


def _approx_equal(a: float, b: float) -> bool:
    if a == b:
        return True
    if a == 0.0 or b == 0.0:
        return False
    d = abs(a - b)
    return d < abs(a) * _E48 and d < abs(b) * _E48


class _KahanSum:
    """Calc's compensated sum (Neumaier's variant of Kahan summation).

    The last term added is held back; :meth:`get` drops it to an exact 0 when it cancels
    the rest to 15 significant digits (what Calc does, so that "cost - depreciation so
    far" is 0, not -8e-8, once an asset is fully depreciated).
    """

    __slots__ = ("_err", "_mem", "_sum")

    def __init__(self, first: float = 0.0) -> None:
        self._sum = first
        self._err = 0.0
        self._mem = 0.0

    def copy(self) -> _KahanSum:
        out = _KahanSum(self._sum)
        out._err, out._mem = self._err, self._mem
        return out

    def add(self, x: float) -> None:
        if x == 0.0:
            return
        if self._mem == 0.0:
            self._mem = x
            return
        t = self._sum + self._mem
        if abs(self._sum) >= abs(self._mem):
            self._err += (self._sum - t) + self._mem
        else:
            self._err += (self._mem - t) + self._sum
        self._sum = t
        self._mem = x

    def get(self) -> float:
        total = self._sum + self._err
        mem = self._mem
        if mem == 0.0:
            return total
        if ((mem < 0.0 < total) or (total < 0.0 < mem)) and _approx_equal(mem, -total):
            return 0.0
        self.add(mem)
        self._mem = 0.0
        return self._sum + self._err


# --------------------------------------------------------------------------------------
# Kernels: no validation, exactly Calc's arithmetic
# --------------------------------------------------------------------------------------


def _ddb_kernel(cost: float, salvage: float, life: float, period: float, factor: float) -> float:
    """Declining balance in closed form, stopped at salvage (ScGetDDB)."""
    rate = factor / life
    if rate >= 1.0:
        rate = 1.0
        old = cost if period == 1.0 else 0.0
    else:
        old = cost * math.pow(1.0 - rate, period - 1.0)
    new = cost * math.pow(1.0 - rate, period)
    out = old - salvage if new < salvage else old - new
    return max(out, 0.0)


def _inter_vdb(
    cost: float, salvage: float, life: float, life1: float, period: float, factor: float
) -> float:
    """Declining balance switching to straight line over ``life1`` periods (ScInterVDB).

    The depreciation from 0 to ``period`` (a fractional last period counts pro rata).
    """
    int_end = math.ceil(_approx(period))
    remaining = cost - salvage
    switched = False
    sl = 0.0
    total = _KahanSum()
    for i in range(1, int_end + 1):
        if not switched:
            declining = _ddb_kernel(cost, salvage, life, float(i), factor)
            sl = remaining / (life1 - (i - 1))
            if sl > declining:
                term = sl
                switched = True
            else:
                term = declining
                remaining -= declining
        else:
            term = sl
        if i == int_end:
            term *= period + 1.0 - int_end
        total.add(term)
    return total.get()


def _db_rate(cost: float, salvage: float, life: float) -> float:
    """Excel's DB rate: 1 - (salvage/cost)^(1/life), rounded to three decimals."""
    rate = 1.0 - math.pow(salvage / cost, 1.0 / life)
    return math.floor(_approx(rate * 1000.0 + 0.5)) / 1000.0


# --------------------------------------------------------------------------------------
# The five worksheet functions, one period each
# --------------------------------------------------------------------------------------


def sln(cost: float, salvage: float, life: float) -> float:
    """Straight-line depreciation for one period, as Excel's ``SLN``.

    Parameters
    ----------
    cost : float
        Initial cost of the asset, currency units, >= 0.
    salvage : float
        Value at the end of the life, same currency, 0 <= salvage <= cost.
    life : float
        Number of periods over which the asset is depreciated, >= 1.

    Returns
    -------
    float
        ``(cost - salvage) / life``, positive expense per period.

    Examples
    --------
    Microsoft's documented example, SLN(30000, 7500, 10):

    >>> sln(30000, 7500, 10)
    2250.0
    """
    cost, salvage, life = _asset(cost, salvage, life)
    return (cost - salvage) / life


def syd(cost: float, salvage: float, life: float, period: float) -> float:
    """Sum-of-years'-digits depreciation for ``period``, as Excel's ``SYD``.

    Parameters
    ----------
    cost, salvage, life : float
        As for :func:`sln`.
    period : float
        The period, 1-based, in the unit of ``life``; 0 < period <= life.

    Returns
    -------
    float
        ``(cost - salvage) * (life - period + 1) * 2 / (life * (life + 1))``.

    Examples
    --------
    Microsoft's documented examples, SYD(30000, 7500, 10, 1) and SYD(..., 10):

    >>> round(syd(30000, 7500, 10, 1), 2), round(syd(30000, 7500, 10, 10), 2)
    (4090.91, 409.09)
    """
    cost, salvage, life = _asset(cost, salvage, life)
    period = _finite(period, "period")
    if period <= 0 or period > life:
        raise AimInputError("period", f"must be > 0 and at most the life of {life:g}", period)
    return ((cost - salvage) * (life - period + 1.0)) / ((life * (life + 1.0)) / 2.0)


def ddb(cost: float, salvage: float, life: float, period: float, factor: float = 2.0) -> float:
    """Declining-balance depreciation for ``period``, as Excel's ``DDB``.

    Each period charges ``factor / life`` of the book value at its start, but never takes
    the book value below ``salvage``. Unlike VDB it does not switch to straight line, so
    the charges over the life may add up to less than ``cost - salvage``.

    Parameters
    ----------
    cost, salvage, life : float
        As for :func:`sln`.
    period : float
        The period, 1-based, in the unit of ``life``; 1 <= period <= life.
    factor : float, default 2.0
        Rate at which the balance declines (2 = double-declining), > 0.

    Returns
    -------
    float
        ``min(book * factor / life, book - salvage)`` with ``book`` the value at the start
        of ``period``; zero once the book value has reached salvage.

    Examples
    --------
    Microsoft's documented example (cost 2400, salvage 300, life 10 years):

    >>> [round(ddb(2400, 300, 10 * 365, 1), 2), round(ddb(2400, 300, 10 * 12, 1, 2), 2)]
    [1.32, 40.0]
    >>> [round(ddb(2400, 300, 10, 1, 2), 2), round(ddb(2400, 300, 10, 2, 1.5), 2)]
    [480.0, 306.0]
    >>> round(ddb(2400, 300, 10, 10), 2)
    22.12
    """
    cost, salvage, life = _asset(cost, salvage, life)
    period = _period(period, life)
    return _ddb_kernel(cost, salvage, life, period, _factor(factor))


def db(cost: float, salvage: float, life: float, period: float, month: float = 12) -> float:
    """Fixed-declining-balance depreciation for ``period``, as Excel's ``DB``.

    The rate is ``1 - (salvage / cost) ** (1 / life)`` rounded to three decimals. The first
    period charges ``cost * rate * month / 12``; later periods charge ``rate`` of the book
    value at their start; with ``month < 12`` a period ``life + 1`` charges the rest of
    that rate, ``book * rate * (12 - month) / 12``. Because the rate is rounded, the
    charges can add up to slightly more or less than ``cost - salvage``.

    Parameters
    ----------
    cost : float
        Initial cost, currency units, > 0.
    salvage, life : float
        As for :func:`sln`; ``life`` must be a whole number of periods.
    period : float
        Whole period, 1-based: 1..life, or 1..life + 1 when ``month < 12``.
    month : float, default 12
        Months of the asset's first year in service, whole, 1..12.

    Returns
    -------
    float
        Depreciation for ``period``, positive, currency of ``cost``.

    Examples
    --------
    Microsoft's documented example, DB(1000000, 100000, 6, period, 7):

    >>> [round(db(1e6, 1e5, 6, p, 7), 2) for p in range(1, 8)]
    [186083.33, 259639.42, 176814.44, 120410.64, 81999.64, 55841.76, 15845.1]
    """
    cost, salvage, life = _asset(cost, salvage, life)
    if cost <= 0:
        raise AimInputError("cost", "must be > 0 for DB", cost)
    whole_life = _whole(life, "life", 1, MAX_LIFE)
    m = _whole(month, "month", 1, 12)
    last = whole_life + (1 if m < 12 else 0)
    p = _whole(period, "period", 1, last)
    return float(_db_schedule(cost, salvage, whole_life, m)[p - 1])


def vdb(
    cost: float,
    salvage: float,
    life: float,
    start_period: float,
    end_period: float,
    factor: float = 2.0,
    no_switch: bool = False,
) -> float:
    """Declining-balance depreciation between two points in time, as Excel's ``VDB``.

    Declining balance at ``factor / life`` a period, switching to straight line over the
    remaining life once that charges more (unless ``no_switch``). Start and end may be
    fractional: part periods count pro rata.

    Parameters
    ----------
    cost, salvage, life : float
        As for :func:`sln`.
    start_period, end_period : float
        Elapsed periods at the start and end of the interval, 0 <= start <= end <= life
        (VDB(..., 0, 1) is the first period).
    factor : float, default 2.0
        Rate at which the balance declines, > 0.
    no_switch : bool, default False
        True keeps declining balance throughout, as DDB.

    Returns
    -------
    float
        Depreciation over the interval, positive, currency of ``cost``.

    Examples
    --------
    Microsoft's documented example (cost 2400, salvage 300, life 10 years):

    >>> round(vdb(2400, 300, 10 * 365, 0, 1), 2), round(vdb(2400, 300, 10 * 12, 0, 1), 2)
    (1.32, 40.0)
    >>> round(vdb(2400, 300, 10, 0, 1), 2), round(vdb(2400, 300, 10 * 12, 6, 18), 2)
    (480.0, 396.31)
    >>> round(vdb(2400, 300, 10 * 12, 6, 18, 1.5), 2), round(vdb(2400, 300, 10, 0, 0.875, 1.5), 2)
    (311.81, 315.0)
    """
    cost, salvage, life = _asset(cost, salvage, life)
    start = _period(start_period, life, "start_period", low=0.0)
    end = _period(end_period, life, "end_period", low=0.0)
    if start > end:
        raise AimInputError("start_period", f"must not be after end_period of {end:g}", start)
    factor = _factor(factor)
    int_start = math.floor(_approx(start))
    int_end = math.ceil(_approx(end))

    if no_switch:
        total = _KahanSum()
        for i in range(int_start + 1, int_end + 1):
            term = _ddb_kernel(cost, salvage, life, float(i), factor)
            if i == int_start + 1:
                term *= min(end, int_start + 1.0) - start
            elif i == int_end:
                term *= end + 1.0 - int_end
            total.add(term)
        return total.get()

    part = 0.0
    if not _approx_equal(start, int_start):  # the fraction of the first period not taken
        value = cost - _inter_vdb(cost, salvage, life, life, int_start, factor)
        part += (start - int_start) * _inter_vdb(
            value, salvage, life, life - int_start, 1.0, factor
        )
    if not _approx_equal(end, int_end):  # the fraction of the last period not taken
        value = cost - _inter_vdb(cost, salvage, life, life, int_end - 1.0, factor)
        part += (int_end - end) * _inter_vdb(
            value, salvage, life, life - (int_end - 1.0), 1.0, factor
        )
    value = cost - _inter_vdb(cost, salvage, life, life, int_start, factor)
    total = _KahanSum(
        _inter_vdb(value, salvage, life, life - int_start, int_end - int_start, factor)
    )
    total.add(-part)
    return total.get()


# --------------------------------------------------------------------------------------
# Whole schedules, one value a period, in O(life)
# --------------------------------------------------------------------------------------


def _db_schedule(cost: float, salvage: float, life: int, month: int) -> np.ndarray:
    rate = _db_rate(cost, salvage, life)
    rows = life + (1 if month < 12 else 0)
    out = np.zeros(rows)
    out[0] = cost * rate * month / 12.0
    taken = _KahanSum(out[0])

    def book() -> float:  # cost - taken, as Calc's -(taken - cost).get()
        diff = taken.copy()
        diff.add(-cost)
        return -diff.get()

    for p in range(2, life + 1):
        out[p - 1] = book() * rate
        taken.add(out[p - 1])
    if month < 12:
        out[life] = book() * rate * (12.0 - month) / 12.0
    return out


def _vdb_schedule(cost: float, salvage: float, life: int, factor: float) -> np.ndarray:
    """VDB(cost, salvage, life, p - 1, p, factor) for p = 1..life, with Calc's arithmetic.

    The depreciation before period p is the running total of the switching loop; period
    p is then one step of that loop restarted from the remaining value, as VDB does.
    """
    out = np.zeros(life)
    remaining = cost - salvage
    switched = False
    sl = 0.0
    taken = _KahanSum()
    for p in range(1, life + 1):
        value = cost - taken.copy().get()
        declining = _ddb_kernel(value, salvage, life, 1.0, factor)
        straight = (value - salvage) / (life - (p - 1))
        out[p - 1] = straight if straight > declining else declining
        # advance the running total exactly as _inter_vdb does
        if not switched:
            declining = _ddb_kernel(cost, salvage, life, float(p), factor)
            sl = remaining / (life - (p - 1))
            if sl > declining:
                term = sl
                switched = True
            else:
                term = declining
                remaining -= declining
        else:
            term = sl
        taken.add(term)
    return out


def depreciation_schedule(
    cost: float,
    salvage: float,
    life: int,
    method: str = "SL",
    factor: float = 2.0,
    month: int = 12,
) -> np.ndarray:
    """Depreciation of one asset for every period of its life, by an Excel method.

    Row ``p`` (1-based) equals, to 1e-9 relative:

    ========  ==============================================
    method    Excel
    ========  ==============================================
    ``SL``    ``SLN(cost, salvage, life)``
    ``SYD``   ``SYD(cost, salvage, life, p)``
    ``DDB``   ``DDB(cost, salvage, life, p, factor)``
    ``DB``    ``DB(cost, salvage, life, p, month)``
    ``VDB``   ``VDB(cost, salvage, life, p - 1, p, factor)``
    ========  ==============================================

    Parameters
    ----------
    cost : float
        Initial cost, currency units, >= 0 (> 0 for DB).
    salvage : float
        Value at the end of the life, same currency, 0 <= salvage <= cost.
    life : int
        Whole number of periods, 1..1200.
    method : {"SL", "SYD", "DDB", "DB", "VDB"}, default "SL"
        Case-insensitive.
    factor : float, default 2.0
        Declining-balance rate multiple for DDB and VDB, > 0; checked for every method.
    month : int, default 12
        Months in the first year for DB, whole, 1..12; checked for every method.

    Returns
    -------
    numpy.ndarray
        1-D, ``life`` values (``life + 1`` for DB with ``month < 12``): positive
        depreciation expense per period in the currency of ``cost``. SL, SYD and VDB add
        up to ``cost - salvage``; DDB adds up to at most that (it never forces the
        remainder); DB differs from it by the effect of rounding its rate.

    Examples
    --------
    >>> depreciation_schedule(2400, 300, 5, "DDB").round(2).tolist()
    [960.0, 576.0, 345.6, 207.36, 11.04]
    >>> depreciation_schedule(2400, 0, 5, "VDB").round(2).tolist()  # switches in period 4
    [960.0, 576.0, 345.6, 259.2, 259.2]
    >>> depreciation_schedule(1e6, 1e5, 6, "DB", month=7).round(2).tolist()[-1]
    15845.1
    """
    cost, salvage, _ = _asset(cost, salvage, life)
    n = _whole(life, "life", 1, MAX_LIFE)
    if not isinstance(method, str) or method.strip().upper() not in METHODS:
        raise AimInputError("method", "must be one of " + ", ".join(METHODS), method)
    method = method.strip().upper()
    factor = _factor(factor)
    m = _whole(month, "month", 1, 12)

    if method == "SL":
        return np.full(n, (cost - salvage) / n)
    if method == "SYD":
        p = np.arange(1, n + 1, dtype=float)
        return ((cost - salvage) * (n - p + 1.0)) / ((n * (n + 1.0)) / 2.0)
    if method == "DDB":
        return np.array([_ddb_kernel(cost, salvage, n, float(p), factor) for p in range(1, n + 1)])
    if method == "DB":
        if cost <= 0:
            raise AimInputError("cost", "must be > 0 for DB", cost)
        return _db_schedule(cost, salvage, n, m)
    return _vdb_schedule(cost, salvage, n, factor)
