"""Straight-line depreciation of capex vintages under a useful-life policy that changes.

The general case of :func:`udfs.core.waterfall.life_change`: the life in force is given
per period, and every change in it is a change in accounting estimate (ASC 250, IAS 8)
applied prospectively. Periods are numbered from 1 in docstrings (period 1 is the first
capex cell) and from 0 in code; conventions ``full``, ``half`` and ``next`` are those of
:mod:`udfs.core.waterfall`.

The rule, for a vintage spent in period ``s`` with depreciable base ``B = |capex[s]|``:

* it starts on ``lives[s]``, the life in force when it is spent, under the convention;
* at every *change period* ``c > s`` (a period whose life differs from the one before,
  ``L' = lives[c]``) its net book value ``NBV`` at the start of ``c`` (``B`` less every
  charge before ``c``) is spread over its remaining revised life ``r = L' - a``, where
  ``a`` is the periods already depreciated at the start of ``c``: ``c - s`` (``full``),
  ``c - s - 1`` (``next``), ``c - s - 0.5`` (``half``: half a period in the period of
  spend, then whole ones). For ``full`` and ``next``, if ``r >= 1`` it charges
  ``NBV / r`` in periods ``c .. c+r-1``; for ``half``, if ``r >= 1.5``, ``NBV / r`` in the
  ``r - 0.5`` whole periods from ``c`` and half that in the next, period ``s + L'``
  (where a half-convention vintage on ``L'`` ends). Otherwise (``r <= 0``; ``r <= 0.5``
  for ``half``) the whole NBV is charged in period ``c``. Nothing is restated.

With one change this is exactly :func:`~udfs.core.waterfall.life_change`; re-applying
the rule with an unchanged life changes nothing, so only changes need work.

Speed: with one life throughout this is :func:`~udfs.core.waterfall.depr_waterfall`.
Otherwise each constant-life stretch of periods costs one running sum of its own capex
(as the waterfall), and each change one vectorised pass over the vintages still carrying
book value, at most the life before the change + 1 of them: the work grows with
``vintages + periods`` plus the sum of those lives over the changes, with no Python loop
over vintages.

Signs: capex may be positive spending or negative cash outflows (not mixed); its size is
depreciated. Every result is positive expense in the currency of ``capex``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from udfs.core.depreciation import MAX_LIFE
from udfs.core.waterfall import _capex, _charges, _convention, _running_sum, _whole, depr_waterfall
from udfs.errors import AimInputError

__all__ = ["depr_policy", "policy_lives"]

# Periods a vintage spent in s has used by the start of period c: c - s - _OFFSET
# (full c - s, next c - s - 1, half c - s - 0.5).
_OFFSET = {"full": 0.0, "next": 1.0, "half": 0.5}


def policy_lives(lives: Any, n: int) -> np.ndarray:
    """The life in force per period: ``n`` whole numbers 1..MAX_LIFE as a 1-D float array.

    The caller's float array itself when it is valid (no copy). Raises
    :class:`~udfs.errors.AimInputError` naming ``lives`` and the 1-based position of the
    first bad cell.

    >>> policy_lives([4.0, 4.0, 6.0], 3).tolist()
    [4.0, 4.0, 6.0]
    >>> policy_lives([4.0, 2.5], 2)
    Traceback (most recent call last):
    ...
    udfs.errors.AimInputError: lives must be a whole number of periods at position 2 (got 2.5)
    """
    arr = np.asarray(lives, dtype=float)
    if arr.ndim != 1 or arr.size != n:
        raise AimInputError("lives", f"must be a single row or column of {n} cell(s)", lives)
    low, high = arr.min(), arr.max()  # NaN if any is NaN
    if 1.0 <= low and high <= MAX_LIFE and np.equal(np.trunc(arr), arr).all():
        return arr
    bad = ~((arr >= 1.0) & (arr <= MAX_LIFE))  # NaN too
    bad[~bad] = arr[~bad] != np.floor(arr[~bad])
    i = int(np.flatnonzero(bad)[0])
    value = float(arr[i])
    problem = "must be a whole number of periods"
    if value == np.floor(value):  # whole but out of range
        problem += " >= 1" if value < 1 else f" <= {MAX_LIFE}"
    raise AimInputError("lives", f"{problem} at position {i + 1}", value)


def _revise(
    nbv: np.ndarray, lo: int, c: int, e: int, life: int, convention: str, out: np.ndarray
) -> None:
    """Apply a change to ``life`` at period ``c`` to vintages ``lo .. c-1``.

    ``nbv[lo:c]`` holds their net book values at the start of ``c`` (vintages before
    ``lo`` have none left). Their charges in periods ``c .. e-1`` are added to ``out``
    and ``nbv[lo:c]`` becomes their book values at the start of ``e`` (``e`` is the
    next change, or the end of the horizon, by which every vintage is done).
    """
    shift = 1 if convention == "next" else 0
    # Vintage s keeps charging whole periods through s + life - 1 + shift; it is spread
    # (at least one whole period from c) from vintage c0 on, lumped into c before.
    c0 = c + 1 - life - shift
    s0 = min(max(c0, lo), c)
    if s0 > lo:
        out[c] += nbv[lo:s0].sum()
        nbv[lo:s0] = 0.0
    if s0 == c:
        return
    # remaining revised life r = life - (c - s - offset), vintages s0 .. c-1
    r = np.arange(life - c + s0, life, dtype=float)
    if convention != "full":
        r += _OFFSET[convention]
    rate = np.divide(nbv[s0:c], r)
    if convention == "half":  # the closing half charge, in period s + life, before e
        stop = max(min(c, e - life) - s0, 0)
        out[s0 + life : s0 + life + stop] += 0.5 * rate[:stop]
    # book value left at e: the rate times what remains of r after e - c periods
    r -= e - c
    np.maximum(r, 0.0, out=r)
    np.multiply(rate, r, out=nbv[s0:c])
    # period t in [c, e) gets the rate of every vintage s >= c0 + (t - c): a suffix sum
    np.add.accumulate(rate[::-1], out=rate[::-1])
    tail = out[c:e]
    lead = min(max(s0 - c0, 0), tail.size)  # periods in which every vintage is charged
    tail[:lead] += rate[0]
    stop = min(c - c0, tail.size)  # beyond, no vintage is still being charged
    if stop > lead:
        tail[lead:stop] += rate[lead + c0 - s0 : stop + c0 - s0]


def depr_policy(
    capex: Any,
    lives: Any,
    convention: str = "full",
    periods: int | None = None,
) -> np.ndarray:
    """Depreciation per period of capex vintages under a life policy that changes over time.

    Each vintage starts on the life in force when it is spent; every change in the life
    is applied prospectively to the vintages already in service (ASC 250 / IAS 8): their
    net book value is spread over their remaining revised life, or expensed at once in
    the change period when that life is already over. See the module docstring for the
    exact rule under each convention.

    Parameters
    ----------
    capex : array_like of float
        Capital spending per period, oldest first, currency units; all >= 0 or all <= 0
        (outflows); the magnitude is depreciated.
    lives : array_like of float
        Useful life in force in each capex period, whole periods 1..MAX_LIFE, as many as
        ``capex``. A period whose life differs from the period before is a change.
    convention : {"full", "half", "next"}, default "full"
        When a vintage starts depreciating (see :mod:`udfs.core.waterfall`).
    periods : int, optional
        Rows to return, whole >= 1; default ``len(capex) + max(lives)``, by which every
        vintage is fully depreciated under every convention. Fewer rows truncate the
        schedule, more are zero.

    Returns
    -------
    numpy.ndarray
        1-D, ``periods`` values: positive depreciation expense per period, currency of
        ``capex``. With the default ``periods`` it adds up to ``sum(|capex|)``. With one
        life throughout it is ``depr_waterfall(capex, life, convention, periods=...)``;
        with one change it is column 1 of ``life_change``.

    Examples
    --------
    120 spent in period 1, life 4, changed to 6 from period 3: 30 in periods 1-2 leaves
    60, spread over the 6 - 2 = 4 remaining periods.

    >>> depr_policy([120.0, 0, 0, 0], [4, 4, 6, 6]).tolist()
    [30.0, 30.0, 15.0, 15.0, 15.0, 15.0, 0.0, 0.0, 0.0, 0.0]

    Then shortened to 3 from period 5: 4 periods used, 3 - 4 < 0, so the 30 left is
    expensed in period 5.

    >>> depr_policy([120.0, 0, 0, 0, 0], [4, 4, 6, 6, 3], periods=7).tolist()
    [30.0, 30.0, 15.0, 15.0, 30.0, 0.0, 0.0]
    """
    arr = _capex(capex)
    n = arr.size
    life = policy_lives(lives, n)
    convention = _convention(convention)
    longest = int(life.max())
    horizon = n + longest
    rows = horizon if periods is None else _whole(periods, "periods")
    starts = np.flatnonzero(life[1:] != life[:-1]) + 1  # change periods, 0-based
    if not starts.size:
        return depr_waterfall(arr, longest, convention, periods=rows)

    out = np.empty(horizon)
    q = np.empty(2 * longest + n + 1)  # running-sum buffer, shared by every stretch
    nbv = np.empty(n)  # book value of vintages 0 .. c-1 at the start of change c
    ends = [*starts.tolist(), horizon]
    offset = _OFFSET[convention]
    c = lo = 0
    for e in ends:  # one constant-life stretch of periods c .. e-1 per pass
        lam = int(life[c])
        last = e == horizon
        vend = n if last else e  # vintages spent in the stretch: c .. vend-1
        # vintages spent in the stretch, on lam from the start: a waterfall of their own
        _running_sum(q, arr[c:vend], lam)
        _charges(q, vend - c, lam, convention, out[c:e])
        if c:  # vintages spent before c, revised to lam at c
            # every vintage is on life[c-1] by now and done by s + life[c-1]: those
            # before lo have no book value left (lo never falls: older ones are done)
            lo = max(lo, c - int(life[c - 1]) - 1)
            _revise(nbv, lo, c, e, lam, convention, out)
        if not last:  # book value at e of the stretch's vintages: B (lam - used) / lam
            left = np.arange(lam - e + c, lam, dtype=float)  # lam - (e - s), s = c .. e-1
            if offset:
                left += offset
            np.maximum(left, 0.0, out=left)
            np.multiply(np.abs(arr[c:e]), left, out=nbv[c:e])
            nbv[c:e] /= lam
        c = e
    if rows != horizon:
        out.resize(rows, refcheck=False)  # truncates, or pads with zeros
    return out
