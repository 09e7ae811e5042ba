"""The Inputs sheet: every assumption an analyst would change, each with a defined name.

Columns: name (the defined name formulas use), description, unit, seed value (a green
link to data/ where the seed prints the figure), analyst value (the blue input cell),
value in use (``=IF(analyst="", seed, analyst)``), the source, the default (the value the
build typed into the analyst cell, for an assumption the seed does not print) and a
"changed" flag: TRUE when the value in use differs from the seed value or the default.
The Checks sheet marks a seed reproduction "n/a" while an input it depends on is changed.

An assumption the seed does not print has no seed value; its analyst value holds the
default and the source says where the default comes from. A refresh rewrites only the
data sheets, so whatever the analyst types here survives it.
"""

from __future__ import annotations

from sheets.model.base import Model, Writer, fmt_of
from sheets.model.depreciation_inputs import INPUTS as DEPRECIATION_INPUTS
from sheets.model.financing_inputs import INPUTS as FINANCING_INPUTS
from sheets.model.input_type import Input
from sheets.model.styles import style_header, style_input, write_text
from sheets.model.validation import data_validation, rule_for

__all__ = ["CHANGED_COLUMN", "INPUTS_SHEET", "Input", "inputs_table", "write_inputs"]

INPUTS_SHEET = "Inputs"
CHANGED_COLUMN = "I"  # the "changed" flag of each input row

T07 = "t07_token_factory"
T09 = "t09_rpo"
T10 = "t10_cloud_tco"
TIERS = ("Hyperscaler", "H100 Neocloud Giants", "Emerging Neoclouds")
TIER_NAMES = {"Hyperscaler": "HS", "H100 Neocloud Giants": "NG", "Emerging Neoclouds": "EN"}
RPO_COMPANIES = (
    ("Oracle", "ORCL", "2025-11"),
    ("Microsoft", "MSFT", "2025-09"),
    ("Google Cloud", "GOOG", "2025-09"),
    ("AWS", "AWS", "2025-09"),
)


def inputs_table() -> list[Input]:
    """Every input, in sheet order."""
    g = "Calendar and unit conversions"
    out = [
        Input(
            "Q_per_year",
            "Quarters per year",
            "count",
            4,
            group=g,
            kind="constant",
            source="Calendar; capex, RPO and neocloud series are quarterly",
        ),
        Input(
            "Months_per_year",
            "Months per year",
            "count",
            12,
            group=g,
            kind="constant",
            source="Calendar",
        ),
        Input(
            "Hours_per_year",
            "Hours per year (365 x 24)",
            "hours",
            8760,
            group=g,
            source="Calendar; SemiAnalysis' per-hour costs assume 8,760 h (表7, 表10)",
        ),
        Input(
            "Tokens_per_M",
            "Tokens in one million tokens",
            "count",
            1_000_000,
            group=g,
            kind="constant",
            source="Definition of the per-million-token unit",
        ),
        Input(
            "TFLOPS_per_PFLOP",
            "TFLOPS per PFLOP",
            "count",
            1000,
            group=g,
            kind="constant",
            source="Definition",
        ),
        Input(
            "GB_per_TB",
            "GB per TB (decimal, as in 表8)",
            "count",
            1000,
            group=g,
            kind="constant",
            source="Definition; 表8 prices memory per decimal TB",
        ),
        Input(
            "USDm_per_USD100m",
            "US$m per US$100m (亿美元)",
            "count",
            100,
            group=g,
            kind="constant",
            source="Definition; 表1 prints 亿美元",
        ),
        Input(
            "USDm_per_USDbn",
            "US$m per US$bn",
            "count",
            1000,
            group=g,
            kind="constant",
            source="Definition",
        ),
        Input(
            "Lag_qoq", "Lag for quarter-on-quarter growth", "count", 1, group=g, source="Definition"
        ),
        Input(
            "Lag_yoy",
            "Lag for year-on-year growth of a quarterly series",
            "count",
            4,
            group=g,
            source="Definition",
        ),
        Input(
            "TTM_window",
            "Quarters in a trailing-twelve-month sum",
            "count",
            4,
            group=g,
            source="Definition",
        ),
        Input(
            "Mid_period",
            "Timing of cash within a period (0.5 = mid-period)",
            "pct",
            0.5,
            group=g,
            source="Modelling convention for average durations",
        ),
    ]
    g = "Depreciation and useful lives"
    out += [
        Input(
            "Depr_convention",
            "Depreciation convention (full | half | next)",
            "text",
            "half",
            group=g,
            choices=("full", "half", "next"),
            source="Modelling assumption: capex arrives through the quarter (half-period)",
        ),
    ]
    g = "RPO conversion"
    defaults = {  # (share of RPO recognized in the next 12 months, horizon in years)
        "Oracle": (
            0.10,
            6,
            "Assumption: the seed says the US$300bn OpenAI contract starts "
            "in 2027 and runs 5 years (表5 line 555); little converts within 12 months",
        ),
        "Microsoft": (
            0.40,
            5,
            "TECH-NOTES: Microsoft FY26Q1 filing, about 40% within 12 "
            "months; 5 years reproduces the seed's ~2-year average duration "
            "(line 815), see Checks",
        ),
        "Google Cloud": (0.30, 4, "Assumption (the seed gives no schedule)"),
        "AWS": (0.25, 5, "Assumption (the seed gives no schedule)"),
    }
    for company, short, period in RPO_COMPANIES:
        pct, years, why = defaults[company]
        out += [
            Input(
                f"RPO_{short}",
                f"{company} RPO balance ({period})",
                "USD_bn",
                data=(T09, company, "rpo", period),
                group=g,
                source="表9",
            ),
            Input(
                f"RPO_pct12_{short}",
                f"{company}: share of RPO recognized in 12 months",
                "pct",
                pct,
                group=g,
                source=why,
            ),
            Input(
                f"RPO_years_{short}",
                f"{company}: years over which RPO converts",
                "years",
                years,
                group=g,
                source=why,
            ),
        ]
    out += [
        Input(
            "Bookings_MSFT_next",
            "Microsoft bookings in the next quarter (OpenAI Azure order, 2025-10)",
            "USD_bn",
            data=(T09, "Microsoft", "new_contract_value", "2025-10"),
            group=g,
            source="OpenAI's new Azure order",
        ),
        Input(
            "Bookings_MSFT_later",
            "Microsoft bookings in each later quarter",
            "USD_bn",
            0,
            group=g,
            source="Assumption: no further bookings, to show the run-off",
        ),
    ]
    g = "GPU and token economics (表7, H200)"
    for name, desc, unit, metric in (
        ("Server_cost", "H200 server capital cost (8 GPUs)", "USD", "total_server_capital_cost"),
        ("GPUs_per_server", "GPUs per server", "count", "gpus_per_server"),
        ("GPU_life", "Useful life of the server", "years", "useful_life"),
        (
            "Opex_per_GPU_hour",
            "Operating cost per GPU-hour (power, colocation)",
            "USD_per_hour",
            "operating_cost_per_gpu_hour",
        ),
        (
            "Rent_per_GPU_hour",
            "Rental price per GPU-hour (neocloud revenue)",
            "USD_per_hour",
            "revenue_per_gpu_hour",
        ),
        (
            "Tokens_per_sec",
            "Inference throughput per GPU (DeepSeek R1 FP8, SGLang)",
            "tokens_per_second",
            "throughput",
        ),
        ("API_price", "Inference API blended price", "USD_per_M_tokens", "api_blended_price"),
        (
            "Tokens_per_user",
            "Tokens per user per month",
            "tokens_per_user_month",
            "tokens_per_user_month",
        ),
        ("ARPU", "Average revenue per user per month", "USD_per_user_month", "arpu"),
    ):
        kind = "count" if name == "GPUs_per_server" else ""
        out.append(
            Input(
                name, desc, unit, data=(T07, "H200", metric, ""), group=g, source="表7", kind=kind
            )
        )
    out.append(
        Input(
            "Utilization",
            "GPU utilization applied to throughput",
            "pct",
            1.0,
            group=g,
            source="表7 prices tokens at full utilization",
        )
    )
    g = "Cost of capital and GPU-hour cost (表10)"
    for tier in TIERS:
        t = TIER_NAMES[tier]
        for name, desc, unit, metric in (
            (f"Ke_{t}", "cost of equity", "pct", "cost_of_equity"),
            (f"Kd_{t}", "cost of debt", "pct", "cost_of_debt"),
            (f"We_{t}", "equity share of funding", "pct", "equity_funding_share"),
            (
                f"Capital_month_{t}",
                "server capital cost per month",
                "USD_per_month",
                "server_capital_cost_per_month",
            ),
            (
                f"Opex_month_{t}",
                "operating cost per month",
                "USD_per_month",
                "operating_cost_per_month",
            ),
        ):
            out.append(
                Input(
                    name,
                    f"{tier}: {desc}",
                    unit,
                    data=(T10, tier, metric, ""),
                    group=g,
                    source="表10",
                )
            )
    out.append(
        Input(
            "Tax_rate",
            "Tax rate applied to the cost of debt",
            "pct",
            0.0,
            group=g,
            source="表10's WACC is pre-tax (9.4% = 75% x 11% + 25% x 4.5%)",
        )
    )
    out.extend(list(DEPRECIATION_INPUTS))
    out.extend(list(FINANCING_INPUTS))
    out.append(
        Input(
            "Fetch_on_refresh",
            "The refresh macro (SampleCall) first fetches the latest SEC filings into data/",
            "text",
            "no",
            group="Refresh",
            choices=("no", "yes"),
            source="yes needs a network and the environment variable AIM_SEC_USER_AGENT "
            "('Name email', as SEC requires); no refreshes from data/ as it is",
        )
    )
    return out


HEAD = (
    "Name",
    "Description",
    "Unit",
    "Seed value",
    "Analyst value",
    "In use",
    "Source",
    "Default",
    "Changed",
)


def write_inputs(model: Model) -> None:
    """Write the Inputs sheet and one defined name per input (its 'In use' cell)."""
    w = Writer(
        model,
        INPUTS_SHEET,
        "Assumptions. Type in the blue cells (column E); a blank analyst value "
        "uses the seed value. Formulas refer to these cells by their names.",
        tab="0000FF",
    )
    ws = w.ws
    for letter, width in zip("ABCDEFGHI", (20, 58, 20, 14, 14, 14, 90, 12, 10), strict=True):
        ws.column_dimensions[letter].width = width
    group = None
    for item in inputs_table():
        if item.group != group:
            group = item.group
            w.section(group)
            for j, text in enumerate(HEAD, start=1):
                ws.cell(row=w.row, column=j, value=text)
            style_header(ws[w.row][: len(HEAD)])
            w.row += 1
        r = w.row
        ws.cell(row=r, column=1, value=item.name)
        ws.cell(row=r, column=2, value=item.description)
        ws.cell(row=r, column=3, value=item.unit)
        fmt = fmt_of(item.unit) if item.unit != "text" else "@"
        seed = ws.cell(row=r, column=4)
        source = item.source
        if item.data is not None:
            w.put(r, 4, f"={model.ref(*item.data)}", fmt, link=True)
            source = f"{source}: {model.source(*item.data)}".lstrip(": ")
        if item.grade:
            source = f"[{item.grade}] {source}"
        analyst = ws.cell(row=r, column=5)
        if item.default is not None:
            if isinstance(item.default, str):
                write_text(ws, r, 5, item.default)
            else:
                analyst.value = item.default
        analyst.number_format = fmt
        style_input(analyst)
        dv = data_validation(
            rule_for(item.unit, item.kind, item.choices), item.name, item.unit, source
        )
        dv.add(analyst.coordinate)
        ws.add_data_validation(dv)
        w.put(r, 6, f'=IF(E{r}="",D{r},E{r})', fmt)
        write_text(ws, r, 7, source)
        baseline = "D"
        if item.data is None and item.default is not None:
            baseline = "H"
            write_text(ws, r, 8, item.default).number_format = fmt
        w.put(r, 9, f"=F{r}<>{baseline}{r}")
        seed.number_format = fmt
        model.define(item.name, ws, f"F{r}")
        w.row += 1
    ws.freeze_panes = "A4"
