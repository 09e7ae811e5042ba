"""The fixed list of units a value in data/ may carry, with the Excel number format for each.

A unit names both the quantity and its scale: ``USD_100m`` is hundreds of millions of
US dollars (亿美元, as the seed prints capex), ``pct`` is a fraction shown as a percent
(0.61 is 61%).
"""

from __future__ import annotations

__all__ = ["UNITS"]

# unit -> (description, Excel number format)
UNITS: dict[str, tuple[str, str]] = {
    "USD": ("US dollars", "#,##0.00"),
    "USD_m": ("millions of US dollars", "#,##0"),
    "USD_100m": ("hundreds of millions of US dollars (亿美元)", "#,##0"),
    "USD_bn": ("billions of US dollars", "#,##0.0"),
    "EUR_bn": ("billions of euros", "#,##0.00"),
    "USD_per_hour": ("US dollars per hour (per GPU or unit where stated)", "0.00"),
    "USD_per_month": ("US dollars per month", "#,##0"),
    "USD_per_kW_month": ("US dollars per kW of IT load per month", "#,##0"),
    "USD_per_kWh": ("US dollars per kilowatt-hour", "0.000"),
    "USD_per_M_tokens": ("US dollars per million tokens", "0.00"),
    "USD_per_user_month": ("US dollars per user per month", "0.00"),
    "USD_per_hour_per_PFLOP": ("US dollars per hour per dense PFLOP", "0.00"),
    "USD_per_hour_per_TBps": ("US dollars per hour per TB/s of memory bandwidth", "0.00"),
    "USD_per_hour_per_TB": ("US dollars per hour per TB of memory", "0.00"),
    "pct": ("fraction shown as a percent (0.61 = 61%)", "0.0%"),
    "pct_points": ("percentage points (1.35 = 1.35 pp)", "0.00"),
    "bp": ("basis points", "0"),
    "years": ("years", "0.0"),
    "months": ("months", "0"),
    "quarters": ("quarters (of a year)", "0.0"),
    "hours": ("hours", "#,##0"),
    "count": ("a count", "#,##0"),
    "flag": ("TRUE or FALSE (a check's status)", "General"),
    "period": ("a period label (2025Q3 for a quarter, 2025 for a year)", "@"),
    "shares_m": ("millions of shares", "#,##0.0"),
    "tokens_per_second": ("tokens per second (per GPU where stated)", "#,##0"),
    "tokens_per_user_month": ("tokens per user per month", "#,##0"),
    "TFLOPS": ("tera floating-point operations per second", "#,##0"),
    "TFLOPS_per_TBps": ("TFLOPS per TB/s of memory bandwidth", "#,##0"),
    "TB_per_s": ("terabytes per second", "0.0"),
    "GB": ("gigabytes", "#,##0"),
    "GW": ("gigawatts", "0.0"),
    "MW": ("megawatts", "#,##0"),
    "multiple": ("a multiple (x times)", '0.0"x"'),
    "cents_per_dollar": (
        "US cents per dollar of face value (a debt issue price; 96 = 96% of par)",
        "0.0",
    ),
}
