"""The model's quarterly timeline and where each filed series sits on ``sec_quarterly``.

The timeline runs from :data:`HISTORY_START` (depreciation needs vintages back to 2015)
to the last quarter of the forecast window, the :data:`FORECAST_YEARS` years after the
latest full filed year (2026Q2 filed: 2026-2028; 2026Q4 filed: 2027-2029); the quarters
after the latest filed one are forecast rows. :data:`CLAIM_WINDOW` is the report's own
fixed 2026-2028 window (the US$176bn claim), shown beside the moving one.
:class:`PivotLayout` says which
column of the ``sec_quarterly`` sheet holds each (company, metric) series and which row
each quarter: the model's formulas read the filings by these positions, and the
workbook stage writes the sheet to the same layout.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.utils import get_column_letter, quote_sheetname

from sheets.sources.loader import DataSet
from sheets.sources.sec.concepts import CONCEPTS, METRICS

__all__ = [
    "CLAIM_WINDOW",
    "FORECAST_YEARS",
    "HISTORY_START",
    "PIVOT_FIRST_COL",
    "PIVOT_FIRST_ROW",
    "PIVOT_STEM",
    "PivotLayout",
    "Timeline",
    "all_entities",
    "extend_layout",
    "instant_quarter",
    "parse_layout",
    "pivot_layout",
    "quarter_label",
    "quarter_number",
    "quarterly_entities",
]

HISTORY_START = "2015Q1"
"""First quarter of the timeline: vintages from 2015 on are what 4-6-year server lives
still depreciate in the years the model looks at."""
FORECAST_YEARS = 3
"""Years in the forecast window: the three years after the latest full filed year (issue
17: "the three years after the latest full filed year")."""
CLAIM_WINDOW = (2026, 2027, 2028)
"""The report's fixed window of the US$176bn depreciation claim (seed text, 2026-2028):
it stays fixed whatever is filed, shown alongside :attr:`Timeline.forecast_window`."""
PIVOT_STEM = "sec_quarterly"
UNIT_OF = {c.metric: c.unit for c in CONCEPTS}
"""The unit (sheets/sources/units.py) of every filings metric."""
PIVOT_ENTITY_ROW = 4
PIVOT_METRIC_ROW = 5
PIVOT_UNIT_ROW = 6
PIVOT_FIRST_ROW = 7
PIVOT_FIRST_COL = 3  # C; A holds the quarter, B its number on the timeline


def quarter_number(label: str) -> int:
    """Quarters since year 0: ``"2015Q1"`` -> 8060 (consecutive quarters differ by 1)."""
    return int(label[:4]) * 4 + int(label[5]) - 1


def quarter_label(number: int) -> str:
    """The inverse of :func:`quarter_number`: 8060 -> ``"2015Q1"``."""
    return f"{number // 4}Q{number % 4 + 1}"


@dataclass(frozen=True)
class Timeline:
    """The model's quarters, oldest first, and the latest one filed."""

    quarters: tuple[str, ...]
    latest_filed: str

    @property
    def last_full_year(self) -> int:
        """The latest calendar year whose four quarters are filed (2026Q2 filed: 2025)."""
        year = int(self.latest_filed[:4])
        return year if self.latest_filed.endswith("Q4") else year - 1

    @property
    def forecast_window(self) -> tuple[int, ...]:
        """The :data:`FORECAST_YEARS` calendar years after :attr:`last_full_year`."""
        return tuple(range(self.last_full_year + 1, self.last_full_year + 1 + FORECAST_YEARS))

    @property
    def window_label(self) -> str:
        """The forecast window as text, e.g. ``"2026-2028"``."""
        return f"{self.forecast_window[0]}-{self.forecast_window[-1]}"

    @classmethod
    def from_data(cls, data: DataSet) -> Timeline:
        """From :data:`HISTORY_START` to Q4 of the forecast window's last year."""
        if data.filings is None or data.companies is None:
            raise ValueError("the timeline needs data/sec_filings.csv and data/companies.csv")
        quarterly = set(data.companies.loc[data.companies["filer"] == "quarterly", "entity"])
        periods = data.filings.loc[data.filings["entity"].isin(quarterly), "period"]
        latest = max(periods)
        first = quarter_number(HISTORY_START)
        last_full = int(latest[:4]) if latest.endswith("Q4") else int(latest[:4]) - 1
        last = quarter_number(f"{last_full + FORECAST_YEARS}Q4")
        return cls(tuple(quarter_label(n) for n in range(first, last + 1)), latest)

    def __len__(self) -> int:
        return len(self.quarters)

    def index(self, label: str) -> int:
        return self.quarters.index(label)


@dataclass(frozen=True)
class PivotLayout:
    """Where each (entity, metric) series sits on the ``sec_quarterly`` sheet."""

    quarters: tuple[str, ...]
    series: tuple[tuple[str, str], ...]

    def column(self, entity: str, metric: str) -> int:
        return PIVOT_FIRST_COL + self.series.index((entity, metric))

    @property
    def last_row(self) -> int:
        return PIVOT_FIRST_ROW + len(self.quarters) - 1

    def cell(self, entity: str, metric: str, i: int) -> str:
        """Absolute reference, with the sheet, to the ``i``-th quarter (0-based) of a series."""
        letter = get_column_letter(self.column(entity, metric))
        return f"{quote_sheetname(PIVOT_STEM)}!${letter}${PIVOT_FIRST_ROW + i}"

    def range(self, entity: str, metric: str) -> str:
        letter = get_column_letter(self.column(entity, metric))
        return (
            f"{quote_sheetname(PIVOT_STEM)}!${letter}${PIVOT_FIRST_ROW}:${letter}${self.last_row}"
        )

    def numbers_range(self) -> str:
        """The timeline numbers (1 = first quarter) of every quarter."""
        return f"{quote_sheetname(PIVOT_STEM)}!$B${PIVOT_FIRST_ROW}:$B${self.last_row}"


def parse_layout(
    quarters: Sequence[object], entities: Sequence[object], metrics: Sequence[object]
) -> PivotLayout:
    """A pivot's layout from its cells as read back: column A from the first quarter down,
    the entity and metric header rows from the first series column on (each up to the
    first empty cell)."""

    def upto_blank(values: Sequence[object]) -> list[str]:
        out = []
        for v in values:
            if v is None or v == "":
                break
            out.append(str(v))
        return out

    names = upto_blank(entities)
    return PivotLayout(
        tuple(upto_blank(quarters)),
        tuple(zip(names, upto_blank(metrics)[: len(names)], strict=True)),
    )


def quarterly_entities(data: DataSet) -> list[str]:
    """The quarterly filers of data/companies.csv, in its order."""
    assert data.companies is not None
    frame = data.companies
    return list(frame.loc[frame["filer"] == "quarterly", "entity"])


def all_entities(data: DataSet) -> list[str]:
    """Every filer of data/companies.csv (quarterly and annual), in its order."""
    assert data.companies is not None
    return list(data.companies["entity"])


def pivot_layout(data: DataSet, timeline: Timeline) -> PivotLayout:
    """Every filer x every metric, whether or not data/ holds values for it yet (a
    company's first fetch then fills its columns without a rebuild). An annual filer's
    columns hold its year-end balances (instants) at the quarter of their date; its
    yearly flows have no quarter and stay on ``sec_filings``."""
    series = tuple((e, m) for e in all_entities(data) for m in METRICS)
    return PivotLayout(timeline.quarters, series)


def extend_layout(layout: PivotLayout, wanted: PivotLayout) -> PivotLayout:
    """``layout`` with the series of ``wanted`` it lacks appended at the right: a company
    added to data/companies.csv gets new columns and no existing column moves."""
    extra = tuple(s for s in wanted.series if s not in layout.series)
    return PivotLayout(layout.quarters, layout.series + extra)


def instant_quarter(end: str) -> str:
    """The calendar quarter holding a balance-sheet date: ``"2025-12-31"`` -> ``"2025Q4"``."""
    return f"{end[:4]}Q{(int(end[5:7]) - 1) // 3 + 1}"
