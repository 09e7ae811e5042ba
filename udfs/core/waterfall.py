"""Straight-line depreciation of a series of capex vintages, and a change in useful life.

A *vintage* is one period's capital spending; a *period* is the spacing of the series
(quarters for quarterly capex). Periods are numbered from 1 in docstrings (period 1 is
the first capex cell) and from 0 in code. Every result is positive depreciation expense
in the currency of ``capex``.

Conventions, for a vintage spent in period ``s`` with base ``B`` and life ``L`` (charge
``c = B / L``):

``full``
    ``c`` in periods ``s .. s+L-1``.
``half``
    ``c/2`` in period ``s``, ``c`` in ``s+1 .. s+L-1``, ``c/2`` in period ``s+L``
    (the average of ``full`` and ``next``).
``next``
    ``c`` in periods ``s+1 .. s+L``.

Speed: the total charge in a period is a sliding-window sum over vintages, the difference
of two entries of one running sum of capex, so the work grows with vintages + periods,
not vintages x life. Memory: a call allocates only its running sum and its result (for
:func:`depr_waterfall` one buffer serves as both) and works in place; above about 16,000
values glibc hands freed arrays back to the operating system, so every further
temporary would cost page faults on every call. Accuracy: each period is exact to
rounding of the running total, about 1e-16 x total capex (a period after huge vintages
whose own charge is tiny carries that absolute error); a period with no vintage
depreciating is exactly zero.

Signs: capex may be entered as positive spending or as negative cash outflows; its size
is depreciated. A series mixing positive and negative amounts is refused.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from udfs.errors import AimInputError

__all__ = ["CONVENTIONS", "depr_waterfall", "life_change"]

CONVENTIONS = ("full", "half", "next")
"""Timing conventions: full period of spend, half-period in first and last, next period."""


# --------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------


def _capex(capex: Any) -> np.ndarray:
    """Capex as a 1-D float array, all one sign as entered, or an error naming ``capex``.

    The array may be the caller's own (no copy): callers read it and take magnitudes.
    """
    arr = np.asarray(capex, dtype=float)
    if arr.ndim != 1 or arr.size == 0:
        raise AimInputError("capex", "must be a non-empty single row or column", capex)
    low, high = arr.min(), arr.max()  # NaN if any is NaN; an infinity is one of them
    if not (math.isfinite(low) and math.isfinite(high)):
        i = int(np.flatnonzero(~np.isfinite(arr))[0])
        raise AimInputError("capex", f"must hold finite numbers (position {i + 1})", float(arr[i]))
    if low < 0.0 < high:
        first = int(np.flatnonzero(arr)[0])
        other = np.flatnonzero(np.sign(arr) == -np.sign(arr[first]))
        i = int(other[0])
        raise AimInputError(
            "capex",
            f"mixes positive and negative amounts (position {i + 1}); enter spending "
            "all positive or all negative",
            float(arr[i]),
        )
    return arr


def _whole(value: Any, name: str, low: int = 1) -> int:
    if isinstance(value, (bool, np.bool_)):
        raise AimInputError(name, "must be a whole number of periods", value)
    out = float(value)
    if not out.is_integer() or out < low:
        raise AimInputError(name, f"must be a whole number of periods >= {low}", value)
    return int(out)


def _convention(convention: Any) -> str:
    if isinstance(convention, str) and convention.strip().lower() in CONVENTIONS:
        return convention.strip().lower()
    raise AimInputError("convention", "must be one of " + ", ".join(CONVENTIONS), convention)


# --------------------------------------------------------------------------------------
# The fast path
# --------------------------------------------------------------------------------------


def _running_sum(
    q: np.ndarray, capex: np.ndarray, life: int, first: int = 0, factor: float = 1.0
) -> None:
    """Fill ``q[: 2 * life + n + 1]`` with the running sum of the depreciable bases.

    ``Q[L + k] = base[0] + ... + base[k-1]`` (zero for k <= 0, the total for k >= n),
    where ``base = |capex| * factor``, zero for vintages before ``first``. Written in
    place: no temporary the size of the series (see the module notes on memory).
    """
    n = capex.size
    q[: life + 1] = 0.0
    body = q[life + 1 : life + 1 + n]
    if first:
        body[:first] = 0.0
    np.abs(capex[first:], out=body[first:])
    if factor != 1.0:
        np.multiply(body, factor, out=body)
    np.add.accumulate(body, out=body)  # np.cumsum, with less overhead per call
    q[life + 1 + n : 2 * life + n + 1] = q[life + n]


def _charges(
    q: np.ndarray, n: int, life: int, convention: str, out: np.ndarray, start: int = 0
) -> None:
    """Write the charges of periods ``start .. start + out.size - 1`` (0-based) into ``out``.

    ``q`` is the running sum of :func:`_running_sum` for ``n`` vintages and this ``life``;
    a period's charge is a difference of two of its entries divided by L.
    """
    live = max(min(start + out.size, n + life) - start, 0)  # later, none is depreciating
    head, rest = out[:live], out[live:]
    a, b = life + 1 + start, 1 + start
    if convention == "full":  # period t: vintages t-L+1 .. t
        np.subtract(q[a : a + live], q[b : b + live], out=head)
    elif convention == "next":  # period t: vintages t-L .. t-1
        np.subtract(q[a - 1 : a - 1 + live], q[b - 1 : b - 1 + live], out=head)
    else:  # half: the average of the two
        np.subtract(q[a : a + live], q[b : b + live], out=head)
        head += q[a - 1 : a - 1 + live] - q[b - 1 : b - 1 + live]
        head *= 0.5
    head /= life
    rest[...] = 0.0


def _charges_in_place(q: np.ndarray, n: int, life: int, convention: str, periods: int) -> None:
    """:func:`_charges` of periods ``0 .. periods - 1`` written over the running sum itself.

    ``q[:periods]`` receives them (``q`` holds at least ``periods`` entries). Period t
    reads only entries t and later of ``q``, so numpy writes it in place, ascending,
    with no temporary; the differences are the same as :func:`_charges` takes.
    """
    live = min(periods, n + life)
    head = q[:live]
    if convention == "full":  # Q[L+1+t] - Q[1+t]
        np.subtract(q[life + 1 : life + 1 + live], q[1 : 1 + live], out=head)
    elif convention == "next":  # Q[L+t] - Q[t]
        np.subtract(q[life : life + live], head, out=head)
    else:  # (Q[L+1+t] - Q[1+t]) + (Q[L+t] - Q[t]): the next window, then t+1's added
        np.subtract(q[life : life + live + 1], q[: live + 1], out=q[: live + 1])
        np.add(q[1 : live + 1], head, out=head)
        head *= 0.5
    head /= life
    q[live:periods] = 0.0


def depr_waterfall(
    capex: Any,
    life: int,
    convention: str = "full",
    salvage_pct: float = 0.0,
    periods: int | None = None,
) -> np.ndarray:
    """Total straight-line depreciation per period of a series of capex vintages.

    Parameters
    ----------
    capex : array_like of float
        Capital spending per period, oldest first, currency units; all >= 0 or all <= 0
        (outflows); the magnitude is depreciated.
    life : int
        Useful life, whole periods >= 1.
    convention : {"full", "half", "next"}, default "full"
        When a vintage starts depreciating (see the module docstring).
    salvage_pct : float, default 0.0
        Salvage as a share of capex, 0..1; each vintage depreciates
        ``|capex| * (1 - salvage_pct)``.
    periods : int, optional
        Rows to return, whole >= 1; default ``len(capex) + life``, enough for every
        convention to finish. Fewer rows truncate the schedule, more are zero.

    Returns
    -------
    numpy.ndarray
        1-D, ``periods`` values: positive depreciation expense per period, currency of
        ``capex``. With the default ``periods`` it adds up to the total depreciable base.

    Examples
    --------
    >>> depr_waterfall([100.0, 200.0], 2).tolist()
    [50.0, 150.0, 100.0, 0.0]
    >>> depr_waterfall([100.0, 200.0], 2, "half").tolist()
    [25.0, 100.0, 125.0, 50.0]
    >>> depr_waterfall([-100.0, -200.0], 2, "next", salvage_pct=0.5, periods=3).tolist()
    [0.0, 25.0, 75.0]
    """
    arr = _capex(capex)
    life = _whole(life, "life")
    convention = _convention(convention)
    salvage_pct = float(salvage_pct)
    if not 0.0 <= salvage_pct <= 1.0:
        raise AimInputError("salvage_pct", "must be a share between 0 and 1", salvage_pct)
    n = arr.size
    rows = n + life if periods is None else _whole(periods, "periods")
    # One buffer: the running sum, then the result over it, trimmed to ``rows``.
    out = np.empty(max(2 * life + n + 1, rows))
    _running_sum(out, arr, life, factor=1.0 - salvage_pct)
    _charges_in_place(out, n, life, convention, rows)
    out.resize(rows, refcheck=False)  # in place; no view of ``out`` is left
    return out


def life_change(
    capex: Any,
    old_life: int,
    new_life: int,
    change_period: int,
    convention: str = "full",
) -> np.ndarray:
    """Depreciation before and after a prospective change in useful life (ASC 250, IAS 8).

    A change in useful life is a change in accounting estimate: nothing is restated; from
    ``change_period`` on, each existing vintage's net book value is spread over its
    remaining revised life, and later vintages use ``new_life`` from the start.

    The rule, for a vintage spent in period ``s`` (1-based, ``s < change_period``), with
    ``k = change_period``:

    * periods already depreciated by the start of ``k``: ``full`` ``k - s``; ``next``
      ``k - s - 1``; ``half`` ``k - s - 0.5`` (half a period in the period of spend, then
      whole ones);
    * net book value ``NBV = B * max(old_life - used, 0) / old_life``;
    * remaining revised life ``r = new_life - used``. For ``full`` and ``next``, if
      ``r >= 1`` the vintage charges ``NBV / r`` in periods ``k .. k+r-1``; for ``half``,
      if ``r >= 1.5`` it charges ``NBV / r`` in the ``r - 0.5`` whole periods from ``k``
      and half that in the next, period ``s + new_life`` (where a half-convention vintage
      on ``new_life`` ends). Otherwise (``r <= 0``; ``r <= 0.5`` for ``half``) the whole
      NBV is charged in period ``k``.

    Parameters
    ----------
    capex : array_like of float
        Capital spending per period, oldest first, currency units; all >= 0 or all <= 0.
    old_life, new_life : int
        Useful lives before and after the change, whole periods >= 1.
    change_period : int
        First period under the new estimate, 1-based, whole >= 1 (1 = new life for all).
    convention : {"full", "half", "next"}, default "full"
        As for :func:`depr_waterfall`.

    Returns
    -------
    numpy.ndarray
        ``(len(capex) + max(old_life, new_life)) x 3``, currency of ``capex``: column 0
        depreciation under ``old_life`` throughout; column 1 with the change applied;
        column 2 = column 1 - column 0 (negative: lower depreciation, higher earnings).
        Columns 0 and 1 have the same total: all book value is expensed in the horizon.

    Examples
    --------
    One vintage of 120, life 4 years changed to 6 from period 3: 30 a period in periods
    1-2 leaves 60, spread over 6 - 2 = 4 periods.

    >>> life_change([120.0, 0, 0, 0], 4, 6, 3)[:7].tolist()  # doctest: +NORMALIZE_WHITESPACE
    [[30.0, 30.0, 0.0], [30.0, 30.0, 0.0], [30.0, 15.0, -15.0], [30.0, 15.0, -15.0],
     [0.0, 15.0, 15.0], [0.0, 15.0, 15.0], [0.0, 0.0, 0.0]]
    """
    arr = _capex(capex)
    old = _whole(old_life, "old_life")
    new = _whole(new_life, "new_life")
    k = _whole(change_period, "change_period") - 1  # 0-based first period on new_life
    convention = _convention(convention)
    n = arr.size
    rows = n + max(old, new)
    # One running-sum buffer serves both lives; the columns of ``out`` are written in
    # place, column 2 serving as scratch until the end (see the module notes on memory).
    q = np.empty(2 * max(old, new) + n + 1)
    out = np.empty((rows, 3))
    before, after, scratch = out[:, 0], out[:, 1], out[:, 2]
    _running_sum(q, arr, old)
    _charges(q, n, old, convention, before)

    head = min(k, rows)
    after[:head] = before[:head]  # vintages from k on charge nothing before k
    m = min(k, n)  # vintages revised at k: 0 .. m-1 (0-based)
    if k < rows:  # vintages from m on, on new_life from the start
        _running_sum(q, arr, new, first=m)
        _charges(q, n, new, convention, after[k:], start=k)

    if m > 0 and k < rows:
        offset = {"full": 0.0, "next": 1.0, "half": 0.5}[convention]
        shift = 1 if convention == "next" else 0
        half = 0.5 if convention == "half" else 0.0
        # Vintage s is charged in full in whole = new - (k - s) + shift periods from k;
        # it is spread over them if whole >= 1, that is from vintage s0 on.
        c = k + 1 - new - shift
        s0 = min(max(c, 0), m)
        # net book value at k: |capex| * max(old - used, 0) / old, used = k - s - offset
        nbv = np.arange(m, dtype=float)
        np.subtract(k, nbv, out=nbv)
        if offset:
            nbv -= offset
        np.subtract(old, nbv, out=nbv)
        np.maximum(nbv, 0.0, out=nbv)
        nbv /= old
        nbv *= arr[:m]
        np.abs(nbv, out=nbv)  # = |capex| * share: the share is >= 0
        lumped = nbv[:s0].sum()  # charged whole in period k
        # rate = nbv / (whole + half) for vintages s0 .. m-1
        rate = np.arange(new - k + shift + s0, new - k + shift + m, dtype=float)
        if half:
            rate += half
        np.divide(nbv[s0:], rate, out=rate)
        spread = rate.size
        if half:  # the closing half charge, in period s + new (0-based), added last
            np.multiply(rate, 0.5, out=scratch[:spread])
        # period t >= k gets rate[s] from every vintage whose last full period
        # k + whole - 1 >= t, i.e. s >= t + 1 - new - shift = c + (t - k): a suffix sum
        np.add.accumulate(rate[::-1], out=rate[::-1])
        if spread:
            tail = after[k:]
            lead = min(max(-c, 0), tail.size)  # periods before c + (t - k) reaches 0
            tail[:lead] += rate[0]
            stop = min(m - c, tail.size)  # beyond, no vintage is still being charged
            if stop > lead:
                tail[lead:stop] += rate[lead + c - s0 : stop + c - s0]
            if half:
                after[s0 + new : m + new] += scratch[:spread]
        after[k] += lumped

    np.subtract(after, before, out=scratch)
    return out
