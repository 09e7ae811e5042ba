"""One row of the Inputs sheet, as the model sheets declare it.

Its own module so that the Inputs sheet and the per-question input lists
(depreciation_inputs, financing_inputs) can import it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Input"]


@dataclass(frozen=True)
class Input:
    name: str
    description: str
    unit: str
    default: float | str | None = None  # the assumption, where the seed prints none
    data: tuple[str, str, str, str] | None = None  # (stem, entity, metric, period)
    source: str = ""
    group: str = ""
    kind: str = ""  # validation kind (sheets.model.validation.KINDS); blank: from the unit
    choices: tuple[str, ...] = ()  # the allowed values of a choice (a text input)
    grade: str = ""  # evidence: filed, seed, derived, fitted or assumption (depreciation)
