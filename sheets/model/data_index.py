"""Where every number of every data file sits in the workbook (filled as the data sheets
are written; the model's formulas link to those cells)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["DataIndex"]


@dataclass
class DataIndex:
    """Where every number of every data file sits in the workbook."""

    cells: dict[tuple[str, str, str, str], str] = field(default_factory=dict)

    def ref(self, stem: str, entity: str, metric: str, period: str = "") -> str:
        """An absolute reference such as ``'t02_capex_ratios'!$D$5`` to one number."""
        try:
            return self.cells[(stem, entity, metric, period)]
        except KeyError:
            raise KeyError(
                f"no value for entity {entity!r}, metric {metric!r}, period {period!r} "
                f"in data/{stem}.csv"
            ) from None

    def has(self, stem: str, entity: str, metric: str, period: str = "") -> bool:
        return (stem, entity, metric, period) in self.cells
