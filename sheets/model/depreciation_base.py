"""The installed base and life histories of the depreciation engine, from data/ (issue 16).

Builds one :class:`sheets.model.depreciation_fit.Basis` per company from

- the filed quarterly capex (``data/sec_filings.csv``, metric ``capex``; a quarter not
  filed is no spend);
- the life changes (``data/life_changes.csv``): each class's life per quarter, from the
  life before its first change, each change from the quarter of its effective date;
- the 10-K property facts (``data/pp_e_facts.csv``): depreciation of property and
  equipment per filed period (the targets), finance-lease assets obtained (Microsoft,
  spread evenly over the quarters of the fiscal year, into buildings and other), and
  Amazon's amortization of finance-lease assets (a bridging item added as filed: its
  leased plant predates the filed additions; held at the last filed year afterwards).

The prior on the from-2023 share (where the seed prints a short-lived share of spend:
``data/t00_text_figures.csv``, metric ``short_lived_asset_share_of_capex``; Meta line 324,
Microsoft line 326) enters the fit as a soft constraint.

Meta's filings in data/ date its 2022 step (2022Q2) but give no lives for it; the lives
before 2022 and from the step are inputs (``META_LIVES``, "Assumption:" on Inputs).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sheets.model.depreciation_fit import Basis, Change, Target
from sheets.sources.filed_facts import LIFE_CHANGES_STEM, PPE_FACTS_STEM
from sheets.sources.loader import DataSet

__all__ = [
    "COMPANIES",
    "FIT_FIRST_YEAR",
    "META_LIVES",
    "NETWORK_FRACTION",
    "PRIOR_METRIC",
    "PRIOR_STEM",
    "SPLIT_QUARTER",
    "basis",
    "class_steps",
    "lives_of",
    "quarter_of",
    "target_span",
]

COMPANIES = ("Amazon", "Microsoft", "Alphabet", "Meta")
SPLIT_QUARTER = "2023Q1"
"""First quarter of spend on the from-2023 share."""
FIT_FIRST_YEAR = 2021
"""Filed periods from this year on are fitted (the timeline's base is thin before)."""
PRIOR_STEM, PRIOR_METRIC = "t00_text_figures", "short_lived_asset_share_of_capex"
"""Where the seed's short-lived share of spend is (the fit's prior on the from-2023 share)."""
META_LIVES = {"before_2022": 4.0, "from_2022": 4.5}
"""Meta's server and network life before its 2022Q2 step and from it, years (Assumption)."""
NETWORK_FRACTION = 0.2
"""Network equipment as a share of server and network spend (Assumption)."""


def quarter_of(day: str) -> str:
    """``2022-07-01`` -> ``2022Q3``."""
    return f"{day[:4]}Q{(int(day[5:7]) - 1) // 3 + 1}"


def target_span(period: str, quarters: Sequence[str]) -> tuple[int, int] | None:
    """Quarters ``first .. last-1`` a filed period covers; None if off the timeline.

    ``2024`` -> 2024Q1..Q4; ``FY2024`` (year to 30 June) -> 2023Q3..2024Q2; ``2022H1``
    -> 2022Q1..Q2."""
    if period.startswith("FY"):
        y = int(period[2:])
        first, last = f"{y - 1}Q3", f"{y}Q2"
    elif period.endswith("H1"):
        first, last = f"{period[:4]}Q1", f"{period[:4]}Q2"
    else:
        first, last = f"{period}Q1", f"{period}Q4"
    if first not in quarters or last not in quarters:
        return None
    return quarters.index(first), quarters.index(last) + 1


def class_steps(
    changes: pd.DataFrame, company: str, cls: str, meta_lives: dict[str, float]
) -> list[tuple[str, float]]:
    """(first quarter, life in years) steps of one class; the first step has no date ("")."""
    rows = changes[(changes["company"] == company) & (changes["asset_class"] == cls)]
    rows = rows.sort_values("effective")
    steps: list[tuple[str, float]] = []
    for _, r in rows.iterrows():
        before, after = r["life_from_years"], r["life_to_years"]
        if company == "Meta":
            q = quarter_of(r["effective"])
            before = meta_lives["before_2022"] if not steps else steps[-1][1]
            if after != after:  # no life in the filing: the input's
                after = meta_lives["from_2022"]
            if not steps:
                steps.append(("", float(before)))
            steps.append((q, float(after)))
            continue
        if not steps:
            steps.append(("", float(before)))
        steps.append((quarter_of(r["effective"]), float(after)))
    return steps


def lives_of(steps: list[tuple[str, float]], quarters: Sequence[str]) -> np.ndarray:
    """Life in force per quarter, whole quarters, from (first quarter, years) steps."""
    out = np.empty(len(quarters))
    for i, (q, years) in enumerate(steps):
        start = 0 if not q else (quarters.index(q) if q in quarters else len(quarters))
        if q and q < quarters[0]:
            start = 0
        out[start:] = round(years * 4)
        del i
    return out


def _fiscal_end(label: str, quarters: Sequence[str]) -> int:
    if label.startswith("FY"):
        last = f"{label[2:]}Q2"
    else:
        last = f"{label}Q4"
    return quarters.index(last) + 1 if last in quarters else len(quarters)


def _series(filings: pd.DataFrame, company: str, metric: str, quarters: Sequence[str]):
    s = filings[(filings["entity"] == company) & (filings["metric"] == metric)]
    s = s.set_index("period")["value"]
    return np.array([float(s.get(q, np.nan)) for q in quarters], dtype=float)


def _spread(facts: pd.DataFrame, company: str, metric: str, quarters: Sequence[str]):
    """An annual filed figure spread evenly over its quarters; plus the last year's
    quarterly amount carried forward (for a bridge) as a second array."""
    out = np.zeros(len(quarters))
    rows = facts[(facts["company"] == company) & (facts["metric"] == metric)]
    last_end, last_q = -1, 0.0
    for _, r in rows.iterrows():
        span = target_span(r["period"], quarters)
        if span is None:
            continue
        a, b = span
        out[a:b] = r["value_usd_m"] / (b - a)
        if b > last_end:
            last_end, last_q = b, r["value_usd_m"] / (b - a)
    carried = out.copy()
    if last_end > 0:
        carried[last_end:] = last_q
    return out, carried


def basis(
    data: DataSet,
    quarters: Sequence[str],
    company: str,
    convention: str = "half",
    meta_lives: dict[str, float] | None = None,
    network_fraction: float = NETWORK_FRACTION,
    capex: np.ndarray | None = None,
    use_prior: bool = True,
) -> Basis:
    """One company's engine inputs from data/ (see the module docstring).

    ``capex`` replaces the filed capex (the sheet's capex in use, with forecasts)."""
    meta_lives = META_LIVES if meta_lives is None else meta_lives
    quarters = list(quarters)
    assert data.filings is not None
    changes = data.filed[LIFE_CHANGES_STEM]
    facts = data.filed[PPE_FACTS_STEM]
    if capex is None:
        capex = np.nan_to_num(_series(data.filings, company, "capex", quarters))
    leases = _spread(facts, company, "finance_lease_rou_assets_obtained", quarters)[0]
    bridge = _spread(facts, company, "amortization_finance_lease_assets", quarters)[1]
    steps = {c: class_steps(changes, company, c, meta_lives) for c in ("servers", "network")}
    if not steps["network"]:  # Meta: servers and network assets changed together
        steps["network"] = steps["servers"]
    subset = class_steps(changes, company, "subset", meta_lives)
    lives = {c: lives_of(s, quarters) for c, s in steps.items()}
    for c in ("servers", "network"):
        sub = steps[c] + [s for s in subset[1:]]
        lives[f"subset_{c}"] = lives_of(sub, quarters)
    targets = []
    for _, r in facts[
        (facts["company"] == company) & (facts["metric"] == "depreciation_pp_e")
    ].iterrows():
        span = target_span(r["period"], quarters)
        if span is None or int(r["period"].lstrip("FY")[:4]) < FIT_FIRST_YEAR:
            continue
        targets.append(Target(r["period"], span[0], span[1], float(r["value_usd_m"]), _cite(r)))
    return Basis(
        company=company,
        quarters=tuple(quarters),
        capex=np.asarray(capex, dtype=float),
        leases=leases,
        bridge=bridge,
        split=quarters.index(SPLIT_QUARTER),
        lives=lives,
        convention=convention,
        targets=tuple(targets),
        changes=tuple(_changes(changes, company, steps, subset, quarters)),
        has_subset=len(subset) > 1,
        network_fraction=network_fraction,
        prior=prior_of(data, company) if use_prior else None,
    )


def prior_of(data: DataSet, company: str) -> float | None:
    """The seed's short-lived share of the company's spend (0..1), or None."""
    frame = data.frames.get(PRIOR_STEM)
    if frame is None:
        return None
    rows = frame[(frame["entity"] == company) & (frame["metric"] == PRIOR_METRIC)]
    return float(rows["value"].iloc[-1]) if len(rows) else None


def _cite(r: pd.Series) -> str:
    return f"{r['form']}, accession {r['accession']}"


def _changes(changes, company, steps, subset, quarters) -> list[Change]:
    """Every dated change of the company's server, network and subset classes, grouped
    by effective date, with the lives each class would have had without it."""
    rows = changes[
        (changes["company"] == company)
        & changes["asset_class"].isin(("servers", "network", "subset"))
    ]
    out = []
    for eff, grp in rows.groupby("effective", sort=True):
        q = quarter_of(eff)
        if q not in quarters:
            continue
        first = quarters.index(q)
        label = grp.iloc[0]["fiscal_label"]
        disclosed = grp["effect_usd_m"].dropna()
        without: dict[str, np.ndarray] = {}
        for c in ("servers", "network"):
            s = steps[c]
            kept = [st for st in s if st[0] != q]
            sub_kept = [st for st in subset[1:] if st[0] != q]
            without[c] = lives_of(kept, quarters)
            without[f"subset_{c}"] = lives_of(kept + sub_kept, quarters)
        what = "; ".join(
            f"{r['assets']} {_years(r['life_from_years'])} to {_years(r['life_to_years'])} years"
            for _, r in grp.iterrows()
        )
        out.append(
            Change(
                label=what,
                period=str(label),
                first=first,
                end=_fiscal_end(str(label), quarters),
                without=without,
                disclosed=float(disclosed.iloc[0]) if len(disclosed) else None,
                source="; ".join(sorted({_cite(r) for _, r in grp.iterrows()})),
            )
        )
    return out


def _years(v: float) -> str:
    return "?" if v != v else f"{v:g}"
