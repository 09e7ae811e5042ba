"""Reconciliation of the report's capex table (表2, 表1) to the SEC filings, on Checks.

- 表2 capex against the filed capex, every company-quarter both hold, to 表2's printed
  precision. Meta's 表2 capex is its own "capital expenditures", which add principal
  payments on finance leases to the filed tag: bridged, filed capex + filed finance-lease
  principal (FinanceLeasePrincipalPayments) = 表2, to 表2's printed precision.
  Microsoft's adds finance-lease *additions*, which no quarterly filing tags: those rows
  cannot hold and are Information rows (outside every master) with that reason. No
  model-against-filings row is ever a "known discrepancy": that label is for the
  report's own printed errors.
- 表2's capex/revenue and capex/OCF ratios, recomputed as 表2's own capex over the filed
  revenue or OCF (so the ratio's definition is the report's), to the ratio's printed
  precision plus what the rounding of 表2's capex can move it.
- 表1's 2025Q4 estimates (the report's guidance arithmetic) against the filed actuals:
  information, never a failure.

A row is written only where both sides hold a value when the workbook is built.
"""

from __future__ import annotations

from sheets.model.base import Block, Model, half_unit
from sheets.model.capex import Q7, Q8, T1_COMPANIES, T2_COMPANIES
from sheets.sources.units import UNITS

__all__ = ["BRIDGED", "DEFINITION_DIFFERS", "reconcile_capex"]

T01 = "t01_hyperscaler_capex"
T02 = "t02_capex_ratios"

DEFINITION_DIFFERS = {
    "Microsoft": "information, cannot hold: 表2 quotes Microsoft's own capital expenditures, "
    "which add finance-lease additions to the filed 'additions to property and equipment'; "
    "no quarterly filing tags those additions (its 10-Ks give them by fiscal year only).",
}
"""Companies whose 表2 capex differs from the filed capex by an item no quarterly filing
holds: their rows are information, with this reason."""
BRIDGED = {
    "Meta": (
        "finance_lease_principal",
        "bridged: 表2 quotes Meta's own capital expenditures = purchases of property and "
        "equipment + principal payments on finance leases (both filed)",
    ),
}
"""Companies whose 表2 capex = filed capex + a filed bridging item: (metric, why)."""


def _filed(model: Model, entity: str, metric: str, period: str) -> float | None:
    frame = model.data.filings
    assert frame is not None
    hit = frame[
        (frame["entity"] == entity) & (frame["metric"] == metric) & (frame["period"] == period)
    ]
    return float(hit["value"].iloc[0]) if len(hit) else None


def reconcile_capex(model: Model) -> None:
    """Add the capex reconciliation rows (see the module docstring) to Checks."""
    if model.pivot is None:
        return
    capex: Block = model.blocks["filings_capex"]
    revenue: Block = model.blocks["filings_revenue"]
    ocf: Block = model.blocks["filings_ocf"]
    filed_blocks = {"revenue": revenue, "ocf": ocf}
    at = {q: i for i, q in enumerate(model.pivot.quarters)}
    half_m = half_unit(0)  # 表2 prints whole US$m
    for entity in T2_COMPANIES:
        for p in Q7:
            key = (T02, entity, "capex", p)
            if p not in at or not model.has(*key) or _filed(model, entity, "capex", p) is None:
                continue
            t2_half = model.half(*key)
            filed_ref = capex.ref(entity, at[p])
            label = f"Filed capex {entity} {p} equals 表2's"
            note = f"表2's printed rounding ±{t2_half:g}; the filing is exact"
            group = "reconciliation"
            if entity in BRIDGED:
                item, why = BRIDGED[entity]
                filed_ref += f"+{model.pivot.cell(entity, item, at[p])}"
                label = f"Filed capex + {item.replace('_', ' ')} {entity} {p} equals 表2's"
                note += f"; {why}"
            elif entity in DEFINITION_DIFFERS:
                group = "information"
                note = DEFINITION_DIFFERS[entity]
            model.reconcile(
                label,
                filed_ref,
                model.ref(*key),
                t2_half,
                note,
                f"{model.source(*key)}; data/sec_filings.csv",
                UNITS["USD_m"][1],
                group=group,
            )
            for metric, filed_metric in (("capex_to_revenue", "revenue"), ("capex_to_ocf", "ocf")):
                rkey = (T02, entity, metric, p)
                den = _filed(model, entity, filed_metric, p)
                if not model.has(*rkey) or den is None or den <= 0:
                    continue
                spread = max(t2_half, half_m) / den
                tol = model.half(*rkey) + spread
                model.reconcile(
                    f"表2 {entity} {metric.replace('_', ' ')} {p} = 表2 capex ÷ filed "
                    f"{filed_metric}",
                    f"{model.ref(*key)}/{filed_blocks[filed_metric].ref(entity, at[p])}",
                    model.ref(*rkey),
                    tol,
                    f"printed rounding ±{model.half(*rkey):g}; 表2 capex rounding ±{spread:.2g} "
                    f"(±{max(t2_half, half_m):g} ÷ filed {filed_metric} {den:,.0f})",
                    f"{model.source(*rkey)}; data/sec_filings.csv",
                    UNITS["pct"][1],
                )
                model.unchecked.pop(rkey, None)
                model.checked.add(rkey)
    for entity in T1_COMPANIES:
        p = Q8[-1]
        key = (T01, entity, "capex", p)
        if p not in at or not model.has(*key) or _filed(model, entity, "capex", p) is None:
            continue
        model.reconcile(
            f"表1 {entity} {p} estimate against the filed actual (US$100m)",
            f"{capex.ref(entity, at[p])}/USDm_per_USD100m",
            model.ref(*key),
            0.0,
            "information: the report's estimate (2025 guidance minus 2025Q1-Q3), written "
            "before the quarter was filed"
            + (f"; {DEFINITION_DIFFERS[entity]}" if entity in DEFINITION_DIFFERS else ""),
            f"{model.source(*key)}; data/sec_filings.csv",
            UNITS["USD_100m"][1],
            group="information",
        )
