"""Item 1: the time of one call of every AIM_ function on the model's own inputs.

Each function is called as Excel calls it through xlwings: single cells as floats or
text, a row or column as a flat list of floats (xlwings' default for a 1-D range), an
empty cell as ``None``, and the result comes back as a list of rows. The arguments are
the ones model.xlsm passes, read from data/ and the Inputs sheet's defaults. The garbage
collector stays on, as in Excel. The ``@worksheet`` column is the wrapper's share of
the call (argument binding and error handling), measured against the undecorated
function.
"""

from __future__ import annotations

import re
from typing import Any

from bench.child import ROOT
from bench.report import Check, Section, Table
from bench.timing import fmt_ns, measure
from sheets.model.inputs import inputs_table
from sheets.sources.loader import DataSet, load_data
from udfs.core import neocloud
from udfs.excel._worksheet import REGISTRY

__all__ = ["model_calls", "run"]

TARGET_NS = 100_000
_QUARTER = re.compile(r"^\d{4}Q[1-4]$")


def _quarterly(data: DataSet, stem: str, entity: str, metric: str) -> list[float]:
    """A quarterly series, oldest first, as xlwings hands over a column: a list of floats."""
    f = data.frame(stem)
    rows = f[(f.entity == entity) & (f.metric == metric) & f.period.str.match(_QUARTER)]
    return [float(v) for v in rows.sort_values("period")["value"]]


def _value(data: DataSet, stem: str, entity: str, metric: str, period: str = "") -> float:
    f = data.frame(stem)
    rows = f[(f.entity == entity) & (f.metric == metric) & (f.period == period)]
    return float(rows["value"].iloc[0])


def _latest_filed(data: DataSet, entity: str, metric: str) -> float:
    """The latest quarter's value in data/sec_filings.csv (what the Financing sheet reads)."""
    f = data.filings
    assert f is not None
    rows = f[(f.entity == entity) & (f.metric == metric) & f.period.str.match(_QUARTER)]
    return float(rows.sort_values("period")["value"].iloc[-1])


def model_calls(data: DataSet) -> dict[str, tuple[str, tuple[Any, ...]]]:
    """For each AIM_ function: (what the model computes with it, its Excel arguments)."""
    default = {i.name: i.default for i in inputs_table()}
    q = float(default["Q_per_year"])
    amzn_t1 = [
        v * default["USDm_per_USD100m"]
        for v in _quarterly(data, "t01_hyperscaler_capex", "Amazon", "capex")
    ]
    amzn = _quarterly(data, "t02_capex_ratios", "Amazon", "capex")
    to_ocf = _quarterly(data, "t02_capex_ratios", "Amazon", "capex_to_ocf")
    to_rev = _quarterly(data, "t02_capex_ratios", "Amazon", "capex_to_revenue")
    cw = {
        m: _quarterly(data, "f23_coreweave", "CoreWeave", m)[:7]
        for m in ("adjusted_operating_income", "d_and_a", "interest_expense", "adjusted_capex")
    }
    fcf = neocloud.cash_burn(*cw.values(), 0.0).tolist()
    hs = {
        m: _value(data, "t10_cloud_tco", "Hyperscaler", m)
        for m in ("cost_of_equity", "cost_of_debt", "equity_funding_share")
    }
    h200 = {
        m: _value(data, "t07_token_factory", "H200", m)
        for m in (
            "total_server_capital_cost",
            "gpus_per_server",
            "useful_life",
            "revenue_per_gpu_hour",
            "throughput",
        )
    }
    cw_cash = _latest_filed(data, "CoreWeave", "cash")
    msft_rpo = _value(data, "t09_rpo", "Microsoft", "rpo", "2025-09")
    goog_rpo = _value(data, "t09_rpo", "Google Cloud", "rpo", "2025-09")
    goog_qoq = _value(data, "t09_rpo", "Google Cloud", "rpo_qoq", "2025-09")
    openai = _value(data, "t09_rpo", "Microsoft", "new_contract_value", "2025-10")
    pct, years = float(default["RPO_pct12_MSFT"]), float(default["RPO_years_MSFT"])
    we = hs["equity_funding_share"]
    wacc = we * hs["cost_of_equity"] + (1 - we) * hs["cost_of_debt"]
    # The bench's fixed arguments (the Inputs rows that held them were read by no formula):
    # a 4-year life (表3 line 507), nil salvage, 32 quarters shown, a 4 -> 6-year change
    # from the 5th quarter (表3: Alphabet and Microsoft 4 years until 2022, 6 from 2023).
    life_short, salvage, horizon = 4 * q, 0.0, 32.0
    life_old, life_new, change = 4 * q, 6 * q, 5.0
    return {
        "AIM_DEPRECIATION": (
            "H200 server over 16 quarters (not called by model.xlsm)",
            (h200["total_server_capital_cost"], 0.0, h200["useful_life"] * q),
        ),
        "AIM_DEPR_WATERFALL": (
            "Amazon capex 表1, 8 quarters",
            (
                amzn_t1,
                life_short,
                default["Depr_convention"],
                salvage,
                horizon,
            ),
        ),
        "AIM_LIFE_CHANGE": (
            "Amazon capex 表1, 16 -> 24 quarters",
            (
                amzn_t1,
                life_old,
                life_new,
                change,
                default["Depr_convention"],
            ),
        ),
        "AIM_DEPR_POLICY": (
            "Amazon capex 表1, 16 quarters, 24 from the change (not called by model.xlsm)",
            (
                amzn_t1,
                [life_old if t < change else life_new for t in range(1, len(amzn_t1) + 1)],
                default["Depr_convention"],
            ),
        ),
        "AIM_CAPEX_TO_OCF": (
            "Amazon 表2, 7 quarters",
            (amzn, [c / r for c, r in zip(amzn, to_ocf, strict=True)]),
        ),
        "AIM_CAPEX_INTENSITY": (
            "Amazon 表2, 7 quarters",
            (amzn, [c / r for c, r in zip(amzn, to_rev, strict=True)]),
        ),
        "AIM_GROWTH": ("Amazon 表2 capex, y/y", (amzn, float(default["Lag_yoy"]))),
        "AIM_TTM": ("Amazon 表2 capex, TTM", (amzn, float(default["TTM_window"]))),
        "AIM_CASH_BURN": ("CoreWeave 图23, 7 quarters", tuple(cw.values())),
        "AIM_RUNWAY": ("CoreWeave cash and FCF", (cw_cash, fcf)),
        "AIM_DEBT_SCHEDULE": (
            "CoreWeave 图23 capex drawn at the 表10 neocloud Kd (not called by model.xlsm)",
            (
                0.0,
                cw["adjusted_capex"],
                [None] * len(cw["adjusted_capex"]),
                _value(data, "t10_cloud_tco", "H100 Neocloud Giants", "cost_of_debt"),
                q,
                "average",
            ),
        ),
        "AIM_FUNDED_RUNWAY": (
            "CoreWeave 图23 OCF, capex, interest; no borrowing (not called by model.xlsm)",
            (
                cw_cash,
                [
                    i + d
                    for i, d in zip(cw["adjusted_operating_income"], cw["d_and_a"], strict=True)
                ],
                cw["adjusted_capex"],
                cw["interest_expense"],
                [None] * len(cw["adjusted_capex"]),
            ),
        ),
        "AIM_CONTRACT_SCHEDULE": (
            "The OpenAI order over 20 quarters, ramped (not called by model.xlsm)",
            (openai, 1.0, 20.0, "ramp"),
        ),
        "AIM_RPO_SCHEDULE": ("Microsoft RPO 表9", (msft_rpo, pct, years, q)),
        "AIM_RPO_CONVERSION": (
            "Microsoft RPO + OpenAI order, 20 quarters",
            (msft_rpo, [openai] + [0.0] * 19, pct, years, q),
        ),
        "AIM_IMPLIED_BOOKINGS": (
            "Google Cloud 表9",
            (
                [goog_rpo / (1 + goog_qoq), goog_rpo],
                [None, _value(data, "t00_text_figures", "Google Cloud", "revenue", "2025Q3")],
            ),
        ),
        "AIM_WACC": (
            "Hyperscaler 表10",
            (
                hs["cost_of_equity"],
                hs["cost_of_debt"],
                hs["equity_funding_share"],
                float(default["Tax_rate"]),
            ),
        ),
        "AIM_GPU_HOUR_COST": (
            "H200 表7 at the hyperscaler WACC",
            (h200["total_server_capital_cost"], h200["gpus_per_server"], h200["useful_life"], wacc),
        ),
        "AIM_TOKEN_COST": (
            "H200 表7 rent and throughput",
            (h200["revenue_per_gpu_hour"], h200["throughput"], float(default["Utilization"])),
        ),
    }


def _cells(result: Any) -> str:
    if isinstance(result, str):
        raise RuntimeError(f"the model's own inputs gave an error: {result}")
    return f"{len(result)}x{len(result[0])}"


def run(quick: bool) -> Section:
    """Median and 95th percentile per call of every registered AIM_ function."""
    budget = 0.01 if quick else 0.25
    calls = model_calls(load_data(ROOT / "data"))
    table = Table(
        ["function", "inputs", "cells out", "calls", "median", "p95", "@worksheet"],
        [],
        "Each call timed separately, garbage collector on. *inputs*: the model's own "
        "arguments, from data/ and the Inputs sheet's defaults, in Excel's shapes. "
        "*@worksheet*: the decorator's share of the median (argument binding and error "
        "handling), against the undecorated function.",
    )
    section = Section(
        1,
        "Per-call time of every AIM_ function on the model's inputs (lists in, lists out)",
        [table],
    )
    slowest = ("", 0.0)
    missing = []
    for name, fn in REGISTRY.items():
        if name not in calls:
            missing.append(name)
            table.rows.append([name, "no case in bench/per_call.py", "", "", "", "", ""])
            continue
        what, args = calls[name]
        cells = _cells(fn(*args))
        t = measure(
            lambda fn=fn, args=args: fn(*args),
            budget_s=budget,
            min_repeat=50,
            warmup=20,
            collect_garbage=True,
        )
        impl = fn.__aim_impl__
        bare = measure(
            lambda impl=impl, args=args: impl(*args),
            budget_s=budget / 2,
            min_repeat=50,
            warmup=20,
            collect_garbage=True,
        )
        table.rows.append(
            [
                name,
                what,
                cells,
                str(t.samples.size),
                fmt_ns(t.median),
                fmt_ns(t.p95),
                fmt_ns(max(t.median - bare.median, 0.0)),
            ]
        )
        if t.median > slowest[1]:
            slowest = (name, t.median)
    met = not missing and slowest[1] < TARGET_NS
    why = ""
    if missing:
        why = (
            "No measurement for " + ", ".join(missing) + ": add its model inputs to model_calls()."
        )
    elif not met:
        why = f"{slowest[0]} is the slowest; profile its core function."
    section.checks.append(
        Check(
            f"every AIM_ median (slowest: {slowest[0]})", fmt_ns(slowest[1]), "< 100 µs", met, why
        )
    )
    section.notes.append(
        "Timed in-process: the Excel-to-Python crossing itself (COM and xlwings' conversion "
        "of the range to a list) is not included and cannot be measured on Linux."
    )
    return section
