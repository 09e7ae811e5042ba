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
not vintages x life. Accuracy: each period is exact to rounding of the running total,
about 1e-16 x total capex (a period after huge vintages whose own charge is tiny carries
that absolute error); a period with no vintage depreciating is exactly zero.

Signs: capex may be entered as positive spending or as negative cash outflows; its size
is depreciated. A series mixing positive and negative amounts is refused.
"""

from __future__ import annotations

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
    """Capex as a 1-D float array of magnitudes (positive), or an error naming ``capex``."""
    arr = np.asarray(capex, dtype=float)
    if arr.ndim != 1 or arr.size == 0:
        raise AimInputError("capex", "must be a non-empty single row or column", capex)
    if not np.isfinite(arr).all():
        i = int(np.flatnonzero(~np.isfinite(arr))[0])
        raise AimInputError("capex", f"must hold finite numbers (position {i + 1})", float(arr[i]))
    if arr.min() < 0.0 < arr.max():
        first = int(np.flatnonzero(arr)[0])
        other = np.flatnonzero(np.sign(arr) == -np.sign(arr[first]))
        i = int(other[0])
        raise AimInputError(
            "capex",
            f"mixes positive and negative amounts (position {i + 1}); enter spending "
            "all positive or all negative",
            float(arr[i]),
        )
    return np.abs(arr)


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


def _waterfall(base: np.ndarray, life: int, convention: str, periods: int) -> np.ndarray:
    """Depreciation per period of the depreciable ``base`` per vintage; no validation.

    One running sum ``Q[L + k] = base[0] + ... + base[k-1]`` (zero for k <= 0, the total
    for k >= n); a period's charge is a difference of two of its entries divided by L.
    """
    n = base.size
    out = np.zeros(periods)
    live = min(periods, n + life)  # after that no vintage is depreciating
    q = np.empty(2 * life + n + 1)
    q[: life + 1] = 0.0
    np.cumsum(base, out=q[life + 1 : life + 1 + n])
    q[life + 1 + n :] = q[life + n]
    if convention == "full":  # period t: vintages t-L+1 .. t
        window = q[life + 1 : life + 1 + live] - q[1 : 1 + live]
    elif convention == "next":  # period t: vintages t-L .. t-1
        window = q[life : life + live] - q[:live]
    else:  # half: the average of the two
        window = 0.5 * (
            (q[life + 1 : life + 1 + live] - q[1 : 1 + live]) + (q[life : life + live] - q[:live])
        )
    out[:live] = window / life
    return out


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
    base = _capex(capex)
    life = _whole(life, "life")
    convention = _convention(convention)
    salvage_pct = float(salvage_pct)
    if not 0.0 <= salvage_pct <= 1.0:
        raise AimInputError("salvage_pct", "must be a share between 0 and 1", salvage_pct)
    rows = base.size + life if periods is None else _whole(periods, "periods")
    return _waterfall(base * (1.0 - salvage_pct), life, convention, rows)


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
    base = _capex(capex)
    old = _whole(old_life, "old_life")
    new = _whole(new_life, "new_life")
    k = _whole(change_period, "change_period") - 1  # 0-based first period on new_life
    convention = _convention(convention)
    n = base.size
    rows = n + max(old, new)
    out = np.zeros((rows, 3))
    before = _waterfall(base, old, convention, rows)
    out[:, 0] = before

    after = np.zeros(rows)
    head = min(k, rows)
    after[:head] = before[:head]  # vintages from k on charge nothing before k
    later = base.copy()
    later[: min(k, n)] = 0.0
    after += _waterfall(later, new, convention, rows)

    m = min(k, n)  # vintages revised at k: 0 .. m-1 (0-based)
    if m > 0 and k < rows:
        s = np.arange(m, dtype=float)
        offset = {"full": 0.0, "next": 1.0, "half": 0.5}[convention]
        used = k - s - offset
        nbv = base[:m] * (np.maximum(old - used, 0.0) / old)
        shift = 1 if convention == "next" else 0
        whole = (new - (k - s) + shift).astype(int)  # whole periods charged in full from k
        spread = whole >= 1
        rate = np.zeros(m)
        denom = whole + (0.5 if convention == "half" else 0.0)
        rate[spread] = nbv[spread] / denom[spread]
        # period t >= k gets rate[s] from every vintage whose last full period k+whole-1 >= t,
        # i.e. s >= t + 1 - new - shift: a suffix sum over vintages
        suffix = np.concatenate([np.cumsum(rate[::-1])[::-1], [0.0]])
        t = np.arange(k, rows)
        after[k:] += suffix[np.clip(t + 1 - new - shift, 0, m)]
        if convention == "half":  # the closing half charge, period s + new (0-based)
            idx = np.flatnonzero(spread)
            after[idx + new] += 0.5 * rate[idx]
        after[k] += nbv[~spread].sum()

    out[:, 1] = after
    out[:, 2] = after - before
    return out
