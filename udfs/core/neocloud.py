"""Neocloud cash: free cash flow per period and how long the cash lasts.

Signs: free cash flow is positive when the business generates cash, negative when it
burns it. Capex and interest are costs whatever sign a data source prints them with
(cash-flow statements show them as negative outflows): their size is subtracted.
Taxes keep their sign: positive is tax paid, negative a refund.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from udfs.errors import AimInputError

__all__ = ["cash_burn", "runway"]


def _series(values: ArrayLike, name: str) -> np.ndarray:
    out = np.asarray(values, dtype=float).reshape(-1)
    if not np.isfinite(out).all():
        raise AimInputError(name, "must hold finite numbers", values)
    return out


def cash_burn(
    operating_income: ArrayLike,
    d_and_a: ArrayLike,
    interest: ArrayLike,
    capex: ArrayLike,
    taxes: ArrayLike = 0.0,
) -> np.ndarray:
    """Free cash flow per period: operating income + D&A - |interest| - |capex| - taxes.

    Parameters
    ----------
    operating_income : array_like
        Operating income (EBIT) per period, any currency unit; negative for a loss.
    d_and_a : array_like
        Depreciation and amortization per period, >= 0, added back (non-cash).
    interest : array_like
        Interest expense per period; either sign, its size is subtracted. Net interest
        income belongs in ``operating_income`` instead.
    capex : array_like
        Capital expenditure per period; either sign, its size is subtracted.
    taxes : array_like, default 0
        Cash taxes: one value applied every period, or one per period. Positive is tax
        paid, negative a refund.

    Returns
    -------
    numpy.ndarray
        Free cash flow per period, same unit; negative is cash burn.

    Raises
    ------
    AimInputError
        If the series differ in length, ``taxes`` is neither one value nor one per
        period, ``d_and_a`` is negative, or a value is not finite.

    Examples
    --------
    CoreWeave 24Q1 (seed 图23, US$m): adjusted operating income 25, D&A 80, interest 41,
    adjusted capex 1188.

    >>> cash_burn([25.0], [80.0], [41.0], [-1188.0]).tolist()
    [-1124.0]
    """
    income = _series(operating_income, "operating_income")
    n = income.size
    parts = {"d_and_a": d_and_a, "interest": interest, "capex": capex}
    arrays = {}
    for name, values in parts.items():
        arrays[name] = _series(values, name)
        if arrays[name].size != n:
            raise AimInputError(
                name, f"must have as many periods as operating_income ({n})", values
            )
    if (arrays["d_and_a"] < 0).any():
        raise AimInputError("d_and_a", "must not be negative (it is added back)", d_and_a)
    tax = _series(taxes, "taxes")
    if tax.size not in (1, n):
        raise AimInputError(
            "taxes", f"must be one value or one per period of operating_income ({n})", taxes
        )
    return income + arrays["d_and_a"] - np.abs(arrays["interest"]) - np.abs(arrays["capex"]) - tax


def runway(cash: float, fcf: float | ArrayLike) -> float:
    """Periods until cash runs out, given free cash flow per period.

    Cash moves linearly within a period, so the answer is fractional inside the period
    where the balance reaches zero: ``t + balance before / burn in that period``.

    Parameters
    ----------
    cash : float
        Cash at the start of period 1, any currency unit. Zero or negative: already out
        of cash, the runway is 0.
    fcf : float or array_like
        Free cash flow per period, same unit, negative for burn. A scalar is the same
        every period, without end; an array is a projection and nothing is assumed after
        its last period.

    Returns
    -------
    float
        Periods of cash, in the periods of ``fcf`` (quarters for quarterly cash flows).
        ``math.inf`` when cash never runs out: a constant ``fcf >= 0``, or a projection
        whose running balance stays above zero to its end.

    Raises
    ------
    AimInputError
        If ``cash`` or an ``fcf`` value is not finite.

    Examples
    --------
    >>> runway(1000.0, -250.0)
    4.0
    >>> runway(1000.0, [-400.0, -400.0, -400.0])
    2.5
    >>> runway(1000.0, [-400.0, 100.0])
    inf
    """
    cash = float(cash)
    if not math.isfinite(cash):
        raise AimInputError("cash", "must be a finite number", cash)
    if cash <= 0:
        return 0.0
    if np.ndim(fcf) == 0:
        flow = float(fcf)  # type: ignore[arg-type]
        if not math.isfinite(flow):
            raise AimInputError("fcf", "must be a finite number", fcf)
        return math.inf if flow >= 0 else cash / -flow
    flows = _series(fcf, "fcf")
    balance = cash + np.cumsum(flows)
    out = np.flatnonzero(balance <= 0)
    if out.size == 0:
        return math.inf
    t = int(out[0])
    before = cash if t == 0 else float(balance[t - 1])
    return t + before / -float(flows[t])
