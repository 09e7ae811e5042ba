"""The depreciation fit run on data/, and the generated ``dd_fit`` sheet that holds it.

Build and refresh both call :func:`fit_frame`: the fitted parameters, their residuals,
the profile of near-equal fits and the quarterly series computed from data/ (finance-lease
additions, the bridging items) are rows of a generated data sheet, ``dd_fit``, which the
Depreciation sheet's formulas read. ``aimodel refresh`` rewrites that sheet like any data
sheet, so new filings move the fitted values; an analyst's overrides live on Inputs
(``DD_fit_*``) and a refresh never touches them.

The fit runs on each company's whole filed capex history (Microsoft from 2008Q3, Meta
from 2011Q3), not only the sheet's timeline: the depreciation of capex spent before the
timeline's first quarter (buildings on a 6-16-year life are still depreciating in the
2020s) is computed at the fitted parameters and carried on the sheet as a bridging item
("opening base"), so that the sheet's engine equals the whole-history engine quarter by
quarter. Without it the early filed years are under-modelled and the fit pushes the
from-2023 share towards zero to compensate (Microsoft: 0.03).

Units: US$ millions per quarter; shares 0..1; lives in years on the sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from sheets.model.depreciation_base import COMPANIES, PRIOR_STEM, basis
from sheets.model.depreciation_fit import PROFILE_SHARES, Basis, Fit, engine, fit, profile
from sheets.model.timeline import quarter_label, quarter_number
from sheets.sources.loader import COLUMNS, DataSet

__all__ = [
    "FIT_PERIOD",
    "FIT_STEM",
    "NEAR_RMS",
    "Calibration",
    "calibrate",
    "fit_frame",
    "history_quarters",
]

FIT_STEM = "dd_fit"
"""The generated sheet of fitted values (written by build and by refresh)."""
FIT_PERIOD = "fitted"
NEAR_RMS = 0.01
"""A fit is near-equal when its RMS relative residual is within 1 percentage point of the
best one's (the filed figures are rounded to US$0.1bn: 0.3-1% of a year)."""


@dataclass(frozen=True)
class Calibration:
    """One company's fit: the sheet's basis (opening base in ``bridge``), the fit on the
    whole filed history, the profile without the prior and its near-equal range."""

    basis: Basis
    full: Basis
    fit: Fit
    profile: tuple[tuple[float, Fit], ...]
    near: tuple[float, float]
    opening: np.ndarray  # depreciation of pre-timeline capex per sheet quarter, US$m


def history_quarters(data: DataSet, quarters: Sequence[str], company: str) -> tuple[str, ...]:
    """From the company's first filed capex quarter (if earlier than the timeline's) to
    the timeline's last quarter."""
    assert data.filings is not None
    f = data.filings
    filed = f.loc[(f["entity"] == company) & (f["metric"] == "capex"), "period"]
    first = min([quarters[0], *filed])
    return tuple(
        quarter_label(n) for n in range(quarter_number(first), quarter_number(quarters[-1]) + 1)
    )


def _rms(f: Fit) -> float:
    r = [v for k, v in f.residuals.items() if not k.startswith("prior")]
    return float(np.sqrt(np.mean(np.square(r))))


def _defaults() -> tuple[dict[str, float], float]:
    from sheets.model.depreciation_inputs import INPUTS

    d = {i.name: i.default for i in INPUTS}
    meta = {
        "before_2022": float(d["DD_META_life_before_2022"]),
        "from_2022": float(d["DD_META_life_from_2022"]),
    }
    return meta, float(d["DD_network_fraction"])


_CACHE: dict[tuple[str, tuple[str, ...]], dict[str, Calibration]] = {}


def _content(data: DataSet) -> str:
    """A digest of what the fit reads of ``data`` (:func:`basis` and
    :func:`history_quarters`: the filings, the 10-K facts and the seed's short-lived
    share): equal inputs, equal key, whichever DataSet object holds them."""
    import hashlib

    h = hashlib.sha256()
    named = [*data.filed.items(), ("filings", data.filings)]
    named += [(PRIOR_STEM, data.frames.get(PRIOR_STEM))]
    for name, frame in named:
        h.update(name.encode())
        if frame is not None:
            h.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
            h.update(",".join(map(str, frame.columns)).encode())
    return h.hexdigest()


def calibrate(data: DataSet, quarters: Sequence[str]) -> dict[str, Calibration]:
    """The fit per company at the inputs' defaults, from data/ (cached by the content of
    what it reads: a build and its Depreciation sheet, or two builds of one data/ folder,
    fit once; the fit is a pure function of those frames and the inputs' defaults)."""
    key = (_content(data), tuple(quarters))
    if key in _CACHE:
        return _CACHE[key]
    meta, nf = _defaults()
    out = {}
    for c in COMPANIES:
        hist = history_quarters(data, quarters, c)
        full = basis(data, hist, c, "half", meta, nf)
        f = fit(full)
        off = len(hist) - len(quarters)
        pre = full.capex.copy()
        pre[off:] = 0.0
        zeros = np.zeros_like(pre)
        opening = engine(replace(full, capex=pre, leases=zeros, bridge=zeros), f.params)["total"]
        sheet = basis(data, quarters, c, "half", meta, nf)
        sheet = replace(sheet, bridge=sheet.bridge + opening[off:])
        prof = tuple(profile(full, f.params, PROFILE_SHARES))
        best = min(_rms(g) for _, g in prof)
        near = [s for s, g in prof if _rms(g) <= best + NEAR_RMS]
        out[c] = Calibration(sheet, full, f, prof, (min(near), max(near)), opening[off:])
    if len(_CACHE) >= 4:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = out
    return out


def _row(entity: str, metric: str, period: str, value: float, unit: str, note: str = ""):
    return {
        "entity": entity,
        "metric": metric,
        "period": period,
        "value": float(value),
        "unit": unit,
        "kind": "input",
        "basis": "estimate",
        "period_basis": "none",
        "fiscal_label": "",
        "seed_table": "fit",
        "seed_line": 0,
        "note": note,
    }


def fit_frame(cals: dict[str, Calibration], quarters: Sequence[str]) -> pd.DataFrame:
    """The ``dd_fit`` sheet's rows (the data-sheet layout of sheets.sources.loader)."""
    rows = []
    for c, cal in cals.items():
        p = cal.fit.params
        note = "least squares on data/pp_e_facts.csv and the latest disclosed effect"
        rows += [
            _row(c, "fit_pre", FIT_PERIOD, p.share_pre, "pct", note),
            _row(c, "fit_post", FIT_PERIOD, p.share_post, "pct", note),
            _row(c, "fit_life_other", FIT_PERIOD, p.other_life_q / 4, "years", note),
            _row(c, "fit_lag", FIT_PERIOD, p.lag, "count", note),
        ]
        if cal.basis.has_subset:
            rows.append(_row(c, "fit_subset", FIT_PERIOD, p.subset, "pct", note))
        rows.append(_row(c, "fit_cost", FIT_PERIOD, cal.fit.cost, "multiple", "sum of squares"))
        rows.append(_row(c, "fit_rms", FIT_PERIOD, _rms(cal.fit), "pct", "filed rows only"))
        for k, v in cal.fit.residuals.items():
            rows.append(_row(c, "residual", k, v, "pct", "modelled / filed - 1 at the fit"))
        for s, g in cal.profile:
            rows.append(
                _row(c, "profile_rms", f"{s:.1f}", _rms(g), "pct", "RMS residual, no prior")
            )
        rows += [
            _row(c, "near_low", FIT_PERIOD, cal.near[0], "pct", f"RMS within {NEAR_RMS:.0%}"),
            _row(c, "near_high", FIT_PERIOD, cal.near[1], "pct", f"RMS within {NEAR_RMS:.0%}"),
        ]
        for i, q in enumerate(quarters):
            rows.append(_row(c, "leases", q, cal.basis.leases[i], "USD_m"))
            rows.append(_row(c, "bridge", q, cal.basis.bridge[i], "USD_m"))
    return pd.DataFrame(rows, columns=list(COLUMNS))
