"""Excel data validation for the blue input cells of the Inputs sheet.

Every input gets a rule by its kind, derived from its declared unit unless the Input
names a kind: a share or rate is a decimal between 0 and 1, a life a whole number of
years, a period count a whole number up to the longest schedule the AIM functions
accept, an amount a decimal within a range sensible for its unit (a monthly server cost
in US$ must be at least 100, so 0.11 typed for 11% is refused), a choice one of a list.
Excel shows the rule's prompt (unit and source) when the cell is selected and refuses,
with a stop alert saying what is allowed, a value outside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.worksheet.datavalidation import DataValidation

from sheets.sources.units import UNITS

__all__ = ["KINDS", "MAX_LIFE_YEARS", "MAX_PERIODS", "Rule", "data_validation", "rule_for"]

MAX_PERIODS = 1200
"""The longest schedule an AIM function accepts (lives, periods, lags), in periods."""
MAX_LIFE_YEARS = 100
"""The longest server life or RPO horizon an AIM function accepts, in years."""


@dataclass(frozen=True)
class Rule:
    """What a cell accepts: ``type`` whole | decimal | list, bounds or choices."""

    type: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    allowed: str = ""  # what is allowed, in words (the error alert)


# amount units: (low, high) in the unit; a bound is None where the unit has none.
AMOUNTS: dict[str, tuple[float, float | None]] = {
    "USD": (1000, 100_000_000),  # a server's capital cost
    "USD_m": (0, 10_000_000),
    "USD_bn": (0, 100_000),
    "USD_per_hour": (0, 1000),
    "USD_per_month": (100, 10_000_000),
    "USD_per_M_tokens": (0, 10_000),
    "USD_per_user_month": (0, 100_000),
    "tokens_per_second": (1, 10_000_000),
    "tokens_per_user_month": (0, 1e12),
    "hours": (1, 8784),
}

KINDS = ("share", "life", "life_q", "periods", "count", "constant", "amount", "choice")
"""share: pct; life: whole years; life_q: years in whole quarters (4.5); periods: a whole
number of periods; count: a whole number of things (GPUs); constant: a unit definition
(1,000,000 tokens); amount: by unit; choice."""


def kind_of(unit: str, kind: str = "") -> str:
    """The input's kind: the declared one, else the one its unit implies."""
    if kind:
        if kind not in KINDS:
            raise ValueError(f"unknown input kind {kind!r}; one of {', '.join(KINDS)}")
        return kind
    return {"pct": "share", "years": "life", "count": "periods", "text": "choice"}.get(
        unit, "amount"
    )


def rule_for(unit: str, kind: str = "", choices: tuple[str, ...] = ()) -> Rule:
    """The validation rule for an input of ``unit`` (and declared ``kind``)."""
    kind = kind_of(unit, kind)
    if kind == "share":
        return Rule("decimal", 0, 1, allowed="a fraction between 0 and 1 (40% is 0.4)")
    if kind == "life":
        return Rule(
            "whole", 1, MAX_LIFE_YEARS, allowed=f"a whole number of years, 1 to {MAX_LIFE_YEARS}"
        )
    if kind == "life_q":  # a depreciation life the model runs in quarters (Meta's 4.5 years)
        return Rule(
            "decimal",
            0.25,
            MAX_LIFE_YEARS,
            allowed=f"years in whole quarters (4.5 is 18 quarters), 0.25 to {MAX_LIFE_YEARS}",
        )
    if kind == "periods":
        return Rule(
            "whole",
            1,
            MAX_PERIODS,
            allowed=f"a whole number of periods, 1 to {MAX_PERIODS:,} (the longest schedule "
            "the AIM functions accept)",
        )
    if kind == "count":
        return Rule("whole", 1, 1_000_000, allowed="a whole number, 1 to 1,000,000")
    if kind == "constant":
        return Rule("whole", 1, 1_000_000_000, allowed="a whole number, 1 to 1,000,000,000")
    if kind == "choice":
        if not choices:
            raise ValueError("a choice input needs its choices")
        listed = ", ".join(choices)
        if len(listed) > 60:  # keep room in the 255-character prompt for the source
            listed = f"the list ({choices[0]} to {choices[-1]})"
        return Rule("list", choices=choices, allowed="one of " + listed)
    if unit not in AMOUNTS:
        raise ValueError(f"no validation range for amounts in {unit!r}: add it to AMOUNTS")
    low, high = AMOUNTS[unit]
    words = UNITS[unit][0]
    if high is None:
        return Rule("decimal", low, None, allowed=f"at least {low:,g} ({words})")
    return Rule("decimal", low, high, allowed=f"{low:,g} to {high:,g} ({words})")


def _formula(x: float) -> str:
    return f"{x:.15g}"


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def data_validation(rule: Rule, name: str, unit: str, source: str) -> DataValidation:
    """An openpyxl DataValidation for ``rule``: a prompt with unit and source, a stop
    alert with what is allowed. A blank cell stays allowed (blank uses the seed value)."""
    words = UNITS[unit][0] if unit in UNITS else unit
    kwargs: dict = {"type": rule.type, "allow_blank": True}
    if rule.type == "list":
        kwargs["formula1"] = '"' + ",".join(rule.choices) + '"'
    elif rule.high is None:
        kwargs.update(operator="greaterThanOrEqual", formula1=_formula(rule.low))
    else:
        kwargs.update(operator="between", formula1=_formula(rule.low), formula2=_formula(rule.high))
    dv = DataValidation(
        **kwargs,
        showInputMessage=True,
        showErrorMessage=True,
        errorStyle="stop",
        promptTitle=_clip(name, 32),
        prompt=_clip(f"Unit: {words}. Allowed: {rule.allowed}. Source: {source}", 255),
        errorTitle=_clip(f"{name}: not allowed", 32),
        error=_clip(f"{name} must be {rule.allowed}. Leave it blank to use the seed value.", 255),
    )
    return dv
