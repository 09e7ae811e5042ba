"""The Depreciation sheet's frame: its periods, the fits at build and shared helpers.

Every part of the sheet (sheets/model/depreciation*.py) reads the same quarters and
years, the same least-squares fits and the same asset classes; :func:`frame_of` derives
them once from the model's pivot and timeline and hands them on in a frozen
:class:`Frame`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sheets.model.base import Block, Model, col
from sheets.model.depreciation_fit import Fit
from sheets.model.depreciation_fitted import FIT_PERIOD, FIT_STEM, calibrate

__all__ = [
    "ANNUAL_FIRST_YEAR",
    "CLASSES",
    "CLASS_TEXT",
    "GRID_LIVES",
    "HEADLINE_LIVES",
    "Frame",
    "fitref",
    "frame_of",
    "sum4",
]

ANNUAL_FIRST_YEAR = 2019
HEADLINE_LIVES = 3  # grid rows 2-4 (3, 4 and 5 years with the default first life of 2)
GRID_LIVES = 5
CLASSES = ("servers", "subset_servers", "network", "subset_network")
CLASS_TEXT = {
    "servers": "Servers",
    "subset_servers": "Servers, 2025 subset",
    "network": "Network equipment",
    "subset_network": "Network, 2025 subset",
}


@dataclass(frozen=True)
class Frame:
    """The periods every part of the Depreciation sheet shares.

    Attributes
    ----------
    sheet : str
        The sheet's title, quoted for formulas.
    quarters : list of str
        The timeline's quarters ("2019Q1" ...), filed and forecast.
    first_year, last_year : int
        Calendar years of the first and last quarter.
    last_full : int
        The latest calendar year with all four quarters filed.
    forecast_years : list of int
        ``last_full + 1`` to ``last_year``.
    yk : dict
        Calendar year -> index of the year (0 = ``first_year``).
    head_years : list of int
        The headline years: the last three forecast years.
    fits : dict
        Company -> (basis, fit): the least-squares fit at the inputs' defaults.
    """

    sheet: str
    quarters: list[str]
    first_year: int
    last_year: int
    last_full: int
    forecast_years: list[int]
    yk: dict[int, int]
    head_years: list[int]
    fits: dict[str, tuple[object, Fit]]

    @property
    def n(self) -> int:
        """Number of quarters on the timeline."""
        return len(self.quarters)


def frame_of(model: Model, sheet: str) -> Frame:
    """The frame of the Depreciation sheet from the model's pivot, timeline and data/."""
    pivot, timeline = model.pivot, model.timeline
    assert pivot is not None and timeline is not None
    quarters = list(pivot.quarters)
    first_year = int(quarters[0][:4])
    last_year = int(quarters[-1][:4])
    latest_year = int(timeline.latest_filed[:4])
    last_full = latest_year if timeline.latest_filed.endswith("Q4") else latest_year - 1
    forecast_years = list(range(last_full + 1, last_year + 1))
    yk = {y: y - first_year for y in range(first_year, last_year + 1)}  # year -> index
    head_years = forecast_years[-3:] if len(forecast_years) >= 3 else forecast_years
    return Frame(
        sheet=sheet,
        quarters=quarters,
        first_year=first_year,
        last_year=last_year,
        last_full=last_full,
        forecast_years=forecast_years,
        yk=yk,
        head_years=head_years,
        fits=_fits(model, quarters),
    )


def sum4(block: Block, name: str, k: int) -> str:
    """The four quarters of the ``k``-th year of a quarterly block (relative range)."""
    c = col(block.columns[name])
    r = block.first + 4 * k
    return f"{c}{r}:{c}{r + 3}"


def _fits(model: Model, quarters: list[str]) -> dict[str, tuple[object, Fit]]:
    """The least-squares fit per company at the inputs' defaults, from data/ (the dd_fit
    sheet holds its values; sheets/model/depreciation_fitted.py)."""
    return {c: (cal.basis, cal.fit) for c, cal in calibrate(model.data, quarters).items()}


def fitref(model: Model, company: str, metric: str, period: str = FIT_PERIOD) -> str:
    """The dd_fit cell of one fitted value (a formula reads it; refresh rewrites it)."""
    return model.index.ref(FIT_STEM, company, metric, period)
