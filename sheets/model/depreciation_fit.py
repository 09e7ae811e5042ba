"""Calibration of the depreciation engine on what the companies filed (issue 16).

Per company, the installed base is every quarter's capex placed in service ``lag``
quarters after it is spent (construction in progress is not depreciated), plus
finance-lease additions where filed. It splits into three classes:

- servers: ``share(t) x (1 - network_fraction)`` of what is placed in service;
- network equipment: ``share(t) x network_fraction``;
- buildings and other: the rest, plus finance-lease additions, on one blended life.

``share(t)`` is the server and network share of the spend: one value for spend before
2023 and one from 2023 (AI-era spend is more servers). Servers and network equipment
each follow their own life history from data/life_changes.csv; every change is applied
prospectively to the assets in service (:func:`udfs.core.depr_policy.depr_policy`, the
numeric core of AIM_DEPR_POLICY); buildings and other go straight-line
(:func:`udfs.core.waterfall.depr_waterfall`, the core of AIM_DEPR_WATERFALL). Amazon's
2025 partial reversal is a share ``subset`` of both classes whose life went back from six
to five years. Where the filed depreciation of property includes finance-lease
amortization that the base cannot hold (Amazon's leases predate the filed additions),
the filed amortization is added as a bridging item from data.

:func:`fit` solves, by least squares over the years filed, for the two shares (linear:
bounded linear least squares for each candidate), the other-assets life and the lag
(a grid of whole quarters), and Amazon's reversed subset (a grid). The residuals are
relative: modelled / filed - 1 for each filed year, and modelled / disclosed - 1 for the
latest disclosed life-change effect (weight :data:`EFFECT_WEIGHT`), and, where the
seed prints a company's short-lived share of spend (Microsoft, line 326; Meta, line 324),
share_from_2023 / prior - 1 (weight :data:`PRIOR_WEIGHT`): a soft constraint where the
filed depreciation alone cannot tell a server from a building (:func:`profile` shows
how flat the fit is without it).

Units: US$ millions per quarter throughout; lives in quarters.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace

import numpy as np
from scipy.optimize import lsq_linear

from udfs.core.depr_policy import depr_policy
from udfs.core.waterfall import depr_waterfall

__all__ = [
    "CLASSES",
    "EFFECT_WEIGHT",
    "PRIOR_WEIGHT",
    "Basis",
    "Change",
    "Fit",
    "Params",
    "Target",
    "effect",
    "engine",
    "fit",
    "profile",
]

CLASSES = ("servers", "network")
EFFECT_WEIGHT = 1.0
"""Weight of the disclosed effect's relative residual against one filed year's."""
PRIOR_WEIGHT = 1.0
"""Weight of the prior's relative residual (share from 2023 / prior - 1) against one
filed year's: the seed's figure counts as much as one year of filed depreciation."""
PROFILE_SHARES = tuple(round(0.1 * k, 1) for k in range(11))
"""Server-and-network shares from 2023 at which :func:`profile` refits the rest."""
LAGS = tuple(range(9))
OTHER_LIVES_Q = tuple(range(24, 161, 4))  # 6 to 40 years, whole years (quarters)
SUBSETS = tuple(float(x) for x in np.round(np.arange(0.0, 0.5001, 0.05), 2))


@dataclass(frozen=True)
class Params:
    """The engine's free parameters for one company.

    Attributes
    ----------
    share_pre, share_post : float
        Servers and network equipment as a share of capex placed in service, for spend
        before 2023 and from 2023, 0..1.
    other_life_q : int
        Life of buildings and other assets, quarters.
    lag : int
        Quarters from spend to service, >= 0.
    subset : float
        Share of the server and network classes on the "subset" life history (Amazon's
        2025 reversal), 0..1; 0 where a company has none.
    network_fraction : float
        Network equipment as a share of server and network spend (an input, not fitted).
    """

    share_pre: float
    share_post: float
    other_life_q: int
    lag: int
    subset: float = 0.0
    network_fraction: float = 0.2


@dataclass(frozen=True)
class Change:
    """One dated change of a company's life policy, as the company measured it.

    ``first`` is the 0-based quarter of the timeline from which the new lives hold;
    ``end`` the quarter after the close of the fiscal year of the change (the effect is
    measured over ``first .. end-1``); ``without`` maps each class to its lives per
    quarter had this change not been made (the prior level held until the class's next
    change).
    """

    label: str
    period: str  # the year of the change as outputs name it: 2024, FY2023
    first: int
    end: int
    without: dict[str, np.ndarray]
    disclosed: float | None = None  # US$m, positive = lower depreciation
    source: str = ""


@dataclass(frozen=True)
class Target:
    """A filed depreciation of property over quarters ``first .. last-1`` (US$m)."""

    period: str
    first: int
    last: int
    value: float
    source: str = ""


@dataclass(frozen=True)
class Basis:
    """Everything the engine needs for one company (arrays per quarter of the timeline).

    ``lives`` maps ``servers``, ``network`` and, with a reversal, ``subset_servers`` and
    ``subset_network`` to lives in quarters per quarter (the subset lives equal the
    class's where there is no reversal); ``split`` is the first quarter of the
    from-2023 share; ``leases`` finance-lease additions per quarter (to buildings and
    other); ``bridge`` filed amortization of finance-lease assets per quarter, added as
    it is filed.
    """

    company: str
    quarters: tuple[str, ...]
    capex: np.ndarray
    leases: np.ndarray
    bridge: np.ndarray
    split: int
    lives: dict[str, np.ndarray]
    convention: str = "half"
    targets: tuple[Target, ...] = ()
    changes: tuple[Change, ...] = ()
    has_subset: bool = False
    network_fraction: float = 0.2
    prior: float | None = None  # the seed's short-lived share of spend, 0..1 (or None)


def placed(capex: np.ndarray, lag: int) -> np.ndarray:
    """Capex placed in service ``lag`` quarters after it is spent (US$m per quarter)."""
    out = np.zeros_like(capex)
    if lag < capex.size:
        out[lag:] = capex[: capex.size - lag]
    return out


def _class_amounts(b: Basis, p: Params) -> tuple[np.ndarray, np.ndarray]:
    """Placed in service per quarter, and the server-and-network share per quarter."""
    base = placed(b.capex, p.lag)
    share = np.where(np.arange(base.size) < b.split, p.share_pre, p.share_post)
    return base, share


def _policy(amount: np.ndarray, lives: np.ndarray, conv: str) -> np.ndarray:
    return depr_policy(amount, lives, conv, periods=amount.size)


def engine(
    b: Basis, p: Params, lives: dict[str, np.ndarray] | None = None
) -> dict[str, np.ndarray]:
    """Modelled depreciation per quarter by class, US$m.

    Returns ``servers``, ``network``, ``other``, ``bridge`` and ``total`` (the sum),
    each as many quarters as the timeline. ``lives`` replaces the basis's lives (a
    counterfactual policy).
    """
    lv = b.lives if lives is None else lives
    base, share = _class_amounts(b, p)
    n = base.size
    out: dict[str, np.ndarray] = {}
    for cls, frac in (("servers", 1 - p.network_fraction), ("network", p.network_fraction)):
        amount = base * share * frac
        main = _policy(amount * (1 - p.subset), lv[cls], b.convention)
        sub = (
            _policy(amount * p.subset, lv[f"subset_{cls}"], b.convention)
            if p.subset
            else np.zeros(n)
        )
        out[cls] = main + sub
    other = base * (1 - share) + b.leases
    out["other"] = depr_waterfall(other, p.other_life_q, b.convention, periods=n)
    out["bridge"] = b.bridge.copy()
    out["total"] = out["servers"] + out["network"] + out["other"] + out["bridge"]
    return out


def effect(b: Basis, p: Params, change: Change) -> float:
    """Modelled effect of one change in its fiscal year, US$m: depreciation without the
    change minus with it (positive = the change lowered depreciation)."""
    with_ = engine(b, p)
    without = engine(b, p, {**b.lives, **change.without})
    sl = slice(change.first, change.end)
    keys = ("servers", "network")
    return float(sum(without[k][sl].sum() - with_[k][sl].sum() for k in keys))


@dataclass(frozen=True)
class Fit:
    """A fitted parameter set, its targets and relative residuals."""

    params: Params
    residuals: dict[str, float] = field(default_factory=dict)  # label -> modelled/filed - 1
    modelled: dict[str, float] = field(default_factory=dict)  # label -> US$m
    filed: dict[str, float] = field(default_factory=dict)  # label -> US$m
    cost: float = 0.0  # sum of squared (weighted) residuals


def _server_parts(b: Basis, lag: int, subset: float, nf: float, change: Change | None):
    """Depreciation of one unit of server-and-network share, spend before 2023 and from
    2023 (two arrays), and the disclosed change's effect per unit share (two numbers)."""
    base = placed(b.capex, lag)
    pre_mask = np.arange(base.size) < b.split
    parts, effects = [], []
    for mask in (pre_mask, ~pre_mask):
        unit = np.where(mask, base, 0.0)
        q = Params(1.0, 1.0, 4, 0, subset, nf)
        b1 = replace(b, capex=unit, leases=np.zeros_like(base), bridge=np.zeros_like(base))
        with_ = engine(b1, q)
        parts.append(with_["servers"] + with_["network"])
        effects.append(effect(b1, q, change) if change is not None else 0.0)
    return parts, effects, base, pre_mask


def _solve_grid(
    b: Basis,
    lag: int,
    subset: float,
    lives: tuple[int, ...],
    fixed_post: float | None = None,
    use_prior: bool = True,
):
    """Best (cost, Params) over the other-assets lives for one lag and subset.

    ``fixed_post`` holds the share from 2023 at that value (the profile); ``use_prior``
    adds the prior's row where the basis has one."""
    disclosed = [c for c in b.changes if c.disclosed is not None]
    change = disclosed[-1] if disclosed else None
    nf = b.network_fraction
    (s_pre, s_post), (e_pre, e_post), base, pre_mask = _server_parts(b, lag, subset, nf, change)
    n = base.size
    vals = np.array([t.value for t in b.targets] + ([change.disclosed] if change else []))
    w = np.array([1.0] * len(b.targets) + ([EFFECT_WEIGHT] if change else []))
    best: tuple[float, Params] | None = None
    for life in lives:
        o_pre = depr_waterfall(np.where(pre_mask, base, 0.0), life, b.convention, periods=n)
        o_post = depr_waterfall(np.where(pre_mask, 0.0, base), life, b.convention, periods=n)
        fixed = o_pre + o_post + depr_waterfall(b.leases, life, b.convention, periods=n) + b.bridge
        col_pre, col_post = s_pre - o_pre, s_post - o_post
        rows_a = [
            [col_pre[t.first : t.last].sum(), col_post[t.first : t.last].sum()] for t in b.targets
        ]
        rows_c = [fixed[t.first : t.last].sum() for t in b.targets]
        if change is not None:
            rows_a.append([e_pre, e_post])
            rows_c.append(0.0)
        v, ww = vals, w
        if use_prior and b.prior is not None and fixed_post is None:
            rows_a.append([0.0, 1.0])
            rows_c.append(0.0)
            v, ww = np.append(vals, b.prior), np.append(w, PRIOR_WEIGHT)
        a, c = np.array(rows_a), np.array(rows_c)
        scale = ww / v
        lo, hi = [0.0, 0.0], [1.0, 1.0]
        if fixed_post is not None:
            lo[1], hi[1] = fixed_post, fixed_post + 1e-12
        res = lsq_linear(a * scale[:, None], (v - c) * scale, bounds=(lo, hi))
        cost = float(np.sum(((a @ res.x + c) / v - 1) ** 2 * ww**2))
        if best is None or cost < best[0] - 1e-15:
            pre, post = (float(x) for x in res.x)
            best = (cost, Params(pre, post, life, lag, float(subset), nf))
    assert best is not None
    return best


def profile(
    b: Basis, p: Params, shares: tuple[float, ...] = PROFILE_SHARES
) -> list[tuple[float, Fit]]:
    """The fit without the prior, refitted with the share from 2023 held at each value.

    The other parameters are refitted at each share (the share before 2023 and the
    other-assets life; the lag and subset stay at ``p``'s). A flat profile means the
    filed depreciation cannot pin the share down: the sheet shows it beside the fit.
    """
    out = []
    for s in shares:
        _, q = _solve_grid(b, p.lag, p.subset, OTHER_LIVES_Q, fixed_post=s, use_prior=False)
        out.append((s, evaluate(replace(b, prior=None), replace(q, share_post=s))))
    return out


def fit(
    b: Basis,
    lags: tuple[int, ...] = LAGS,
    other_lives: tuple[int, ...] = OTHER_LIVES_Q,
    subsets: tuple[float, ...] | None = None,
) -> Fit:
    """Least-squares fit of one company's parameters to its filed depreciation.

    For every lag, other-assets life and (with a reversal) subset on the grids, the two
    shares solve a bounded linear least-squares problem exactly (the engine is linear in
    them); the combination with the smallest sum of squared relative residuals wins.
    Residuals: modelled / filed - 1 for every target, and modelled / disclosed - 1 for
    the latest disclosed effect, weighted :data:`EFFECT_WEIGHT`.
    """
    if subsets is None:
        subsets = SUBSETS if b.has_subset else (0.0,)
    best: tuple[float, Params] | None = None
    for lag, sub in itertools.product(lags, subsets):
        cand = _solve_grid(b, lag, sub, tuple(other_lives))
        if best is None or cand[0] < best[0] - 1e-15:
            best = cand
    assert best is not None
    return evaluate(b, best[1])


def evaluate(b: Basis, p: Params) -> Fit:
    """Modelled vs filed for every target and disclosed effect at ``p``."""
    tot = engine(b, p)["total"]
    mod, fil, res = {}, {}, {}
    cost = 0.0
    for t in b.targets:
        m = float(tot[t.first : t.last].sum())
        mod[t.period], fil[t.period], res[t.period] = m, t.value, m / t.value - 1
        cost += res[t.period] ** 2
    for ch in b.changes:
        if ch.disclosed is None:
            continue
        m = effect(b, p, ch)
        key = f"effect {ch.period}"
        mod[key], fil[key], res[key] = m, ch.disclosed, m / ch.disclosed - 1
    last = [c for c in b.changes if c.disclosed is not None]
    if last:
        cost += (EFFECT_WEIGHT * res[f"effect {last[-1].period}"]) ** 2
    if b.prior is not None:
        key = "prior share from 2023"
        mod[key], fil[key], res[key] = p.share_post, b.prior, p.share_post / b.prior - 1
        cost += (PRIOR_WEIGHT * res[key]) ** 2
    return Fit(p, res, mod, fil, cost)
