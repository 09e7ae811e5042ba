"""Fiscal periods, calendar periods, and which quarter a filed fact covers.

Rules (documented in data/README.md):

* A company's fiscal year is named for the calendar year in which it ends (Microsoft
  FY2026 = July 2025 to June 2026; NVIDIA FY2026 = February 2025 to late January 2026).
  Facts' own ``fy``/``fp`` fields describe the filing, not the period, and are not used:
  fiscal year and quarter come from the period dates and the company's fiscal year end.
* 52/53-week years (NVIDIA: last Sunday of January) end up to a week away from the
  nominal ``MM-DD``; every date comparison allows :data:`TOLERANCE_DAYS`.
* A duration maps to the calendar quarter that holds the midpoint of start..end; an
  instant (a balance) maps to the calendar quarter holding the date minus 45 days
  (so a balance at 31 December is 2025Q4, NVIDIA's at 25 January 2026 is 2025Q4).
  Annual-only filers use the calendar year by the same rules.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "QUARTER_DAYS",
    "TOLERANCE_DAYS",
    "FiscalCalendar",
    "Slot",
    "annual_period",
    "calendar_quarter",
    "duration_period",
    "fiscal_label",
    "instant_period",
]

QUARTER_DAYS = 365.25 / 4
"""Average days in a quarter (91.3)."""
TOLERANCE_DAYS = 12
"""How far a period boundary may sit from the nominal one (52/53-week years, 14-week
quarters) and still count."""
INSTANT_LAG = timedelta(days=45)


@dataclass(frozen=True)
class Slot:
    """What a fact covers in the company's fiscal calendar.

    Attributes
    ----------
    fiscal_year : int
        Named for the calendar year in which it ends.
    quarter : int
        The fiscal quarter the period ends in, 1..4.
    ytd : bool
        The period starts at the fiscal year start (year-to-date, ``quarter`` quarters
        long; the fiscal year itself when ``quarter`` is 4).
    months3 : bool
        The period is one quarter long.
    """

    fiscal_year: int
    quarter: int
    ytd: bool
    months3: bool


@dataclass(frozen=True)
class FiscalCalendar:
    """A company's fiscal calendar from the nominal year-end ``MM-DD``.

    >>> cal = FiscalCalendar.from_mmdd("06-30")
    >>> cal.quarter_of(date(2025, 9, 30))
    (2026, 1)
    >>> cal.classify(date(2025, 7, 1), date(2025, 12, 31))
    Slot(fiscal_year=2026, quarter=2, ytd=True, months3=False)
    """

    month: int
    day: int

    @classmethod
    def from_mmdd(cls, text: str) -> FiscalCalendar:
        """Parse ``MM-DD`` (``"01-31"``); ``ValueError`` if it is not a day of the year."""
        month, day = (int(p) for p in text.split("-"))
        date(2024, month, day)  # raises if impossible (2024 is a leap year)
        return cls(month, day)

    def year_end(self, fiscal_year: int) -> date:
        """Nominal last day of ``fiscal_year`` (29 February falls back to the 28th)."""
        last = calendar.monthrange(fiscal_year, self.month)[1]
        return date(fiscal_year, self.month, min(self.day, last))

    def year_start(self, fiscal_year: int) -> date:
        """Nominal first day of ``fiscal_year``."""
        return self.year_end(fiscal_year - 1) + timedelta(days=1)

    def fiscal_year(self, day: date) -> int:
        """The fiscal year a date falls in (a week past the nominal end still counts)."""
        slack = timedelta(days=7)
        year = day.year - 1
        while day > self.year_end(year) + slack:
            year += 1
        return year

    def quarter_of(self, end: date) -> tuple[int, int] | None:
        """``(fiscal_year, quarter)`` when ``end`` is a fiscal quarter end, else None."""
        year = self.fiscal_year(end)
        days = (end - self.year_end(year - 1)).days
        quarter = round(days / QUARTER_DAYS)
        if 1 <= quarter <= 4 and abs(days - quarter * QUARTER_DAYS) <= TOLERANCE_DAYS:
            return year, quarter
        return None

    def classify(self, start: date, end: date) -> Slot | None:
        """The slot of a duration ``start..end`` (inclusive), or None if it is neither a
        quarter nor a year-to-date period ending at a quarter end."""
        where = self.quarter_of(end)
        if where is None:
            return None
        year, quarter = where
        days = (end - start).days + 1
        length = round(days / QUARTER_DAYS)
        if not 1 <= length <= 4 or abs(days - length * QUARTER_DAYS) > TOLERANCE_DAYS:
            return None
        ytd = abs((start - self.year_start(year)).days) <= TOLERANCE_DAYS and length == quarter
        months3 = length == 1
        if not (ytd or months3):
            return None
        return Slot(year, quarter, ytd, months3)


def calendar_quarter(day: date) -> str:
    """``"2025Q3"`` for any day of July to September 2025.

    >>> calendar_quarter(date(2025, 8, 15))
    '2025Q3'
    """
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def _midpoint(start: date, end: date) -> date:
    return start + timedelta(days=(end - start).days // 2)


def duration_period(start: date, end: date) -> str:
    """Calendar quarter holding the midpoint of ``start..end``.

    >>> duration_period(date(2025, 6, 1), date(2025, 8, 31))  # Oracle FY26Q1
    '2025Q3'
    >>> duration_period(date(2025, 1, 27), date(2025, 4, 27))  # NVIDIA FY26Q1
    '2025Q1'
    """
    return calendar_quarter(_midpoint(start, end))


def instant_period(day: date) -> str:
    """Calendar quarter holding ``day`` minus 45 days.

    >>> instant_period(date(2025, 12, 31)), instant_period(date(2026, 1, 25))
    ('2025Q4', '2025Q4')
    """
    return calendar_quarter(day - INSTANT_LAG)


def annual_period(start: date | None, end: date) -> str:
    """Calendar year of a fiscal-year duration's midpoint, or of an instant minus 45 days.

    >>> annual_period(date(2024, 1, 1), date(2024, 12, 31)), annual_period(None, date(2025, 1, 5))
    ('2024', '2024')
    """
    day = _midpoint(start, end) if start is not None else end - INSTANT_LAG
    return str(day.year)


def fiscal_label(fiscal_year: int, quarter: int | None = None) -> str:
    """``FY26Q1`` for a quarter, ``FY2024`` for a year.

    >>> fiscal_label(2026, 1), fiscal_label(2024)
    ('FY26Q1', 'FY2024')
    """
    if quarter is None:
        return f"FY{fiscal_year}"
    return f"FY{fiscal_year % 100:02d}Q{quarter}"
