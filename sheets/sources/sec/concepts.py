"""Metrics and the us-gaap tags each is read from.

Filers change tags, and a retired tag stays in the feed with its old facts. Each metric
therefore has an ordered list of candidate tags. Per company and metric the candidates
are ranked by the latest period they cover (the tag the company files today first; a
tie goes to the list order), and each period takes its value from the highest-ranked tag
that has it. So NVIDIA's capex reads ``PaymentsToAcquireProductiveAssets`` for every
period that tag covers (fiscal 2019 on, including the comparatives of later filings)
and ``PaymentsToAcquirePropertyPlantAndEquipment`` before; the ``tag`` column of
``data/sec_filings.csv`` records which.

Signs are as filed: capex and finance-lease principal are positive cash paid; operating
cash flow, operating income, net income are positive for an inflow / profit; income tax
is positive for an expense; interest expense positive.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CONCEPTS", "METRICS", "NEEDED", "Concept", "concept_for"]


@dataclass(frozen=True)
class Concept:
    """How one metric is read from company facts.

    Attributes
    ----------
    metric : str
        The fixed snake_case name written to data/ (``capex``).
    tags : tuple of str
        Candidate us-gaap tags, preferred first.
    xbrl_unit : str
        The unit key in the JSON: ``USD``, ``USD/shares`` or ``shares`` (other units,
        such as RUB, are ignored).
    unit : str
        The unit written to data/: ``USD_m`` (millions), ``USD`` (per share) or
        ``shares_m`` (millions of shares).
    scale : int
        Divisor from the XBRL unit to ``unit`` (1,000,000 for USD -> USD_m).
    kind : str
        ``flow``: an additive amount over a period (quarters may be derived from
        year-to-date values); ``ratio``: a per-period figure that is not additive
        (EPS, weighted diluted shares: only facts filed for exactly the quarter);
        ``instant``: a balance at a date.
    needed : bool
        A company with no fact for this metric is an error.
    """

    metric: str
    tags: tuple[str, ...]
    xbrl_unit: str = "USD"
    unit: str = "USD_m"
    scale: int = 1_000_000
    kind: str = "flow"
    needed: bool = False


CONCEPTS: tuple[Concept, ...] = (
    Concept(
        "capex",
        ("PaymentsToAcquirePropertyPlantAndEquipment", "PaymentsToAcquireProductiveAssets"),
        needed=True,
    ),
    Concept(
        "finance_lease_principal",
        ("FinanceLeasePrincipalPayments", "RepaymentsOfLongTermCapitalLeaseObligations"),
    ),
    Concept(
        "ocf",
        (
            "NetCashProvidedByUsedInOperatingActivities",
            "NetCashProvidedByUsedInOperatingActivitiesContinuingOperations",
        ),
        needed=True,
    ),
    Concept(
        "revenue",
        (
            "RevenueFromContractWithCustomerExcludingAssessedTax",
            "Revenues",
            "RevenueFromContractWithCustomerIncludingAssessedTax",
            "SalesRevenueNet",
            "SalesRevenueServicesNet",
        ),
        needed=True,
    ),
    Concept(
        "da",
        (
            "DepreciationDepletionAndAmortization",
            "DepreciationAndAmortization",
            "DepreciationAmortizationAndAccretionNet",
            "DepreciationAmortizationAndOther",
            "Depreciation",
        ),
    ),
    Concept("operating_income", ("OperatingIncomeLoss",)),
    Concept("net_income", ("NetIncomeLoss", "ProfitLoss")),
    Concept(
        "eps_diluted",
        ("EarningsPerShareDiluted", "IncomeLossFromContinuingOperationsPerDilutedShare"),
        xbrl_unit="USD/shares",
        unit="USD",
        scale=1,
        kind="ratio",
    ),
    Concept(
        "shares_diluted",
        ("WeightedAverageNumberOfDilutedSharesOutstanding",),
        xbrl_unit="shares",
        unit="shares_m",
        kind="ratio",
    ),
    Concept("income_tax", ("IncomeTaxExpenseBenefit",)),
    Concept(
        "interest_expense",
        (
            "InterestExpense",
            "InterestExpenseNonoperating",
            "InterestExpenseDebt",
            "InterestExpenseDebtExcludingAmortization",
        ),
    ),
    Concept("cash", ("CashAndCashEquivalentsAtCarryingValue", "Cash"), kind="instant"),
    Concept(
        "long_term_debt",
        ("LongTermDebt", "LongTermDebtNoncurrent", "LongTermDebtAndCapitalLeaseObligations"),
        kind="instant",
    ),
    Concept(
        "ppe_gross",
        (
            "PropertyPlantAndEquipmentGross",
            "PropertyPlantAndEquipmentAndFinanceLeaseRightOfUseAssetBeforeAccumulatedDepreciationAndAmortization",
        ),
        kind="instant",
    ),
    Concept(
        "ppe_net",
        (
            "PropertyPlantAndEquipmentNet",
            "PropertyPlantAndEquipmentAndFinanceLeaseRightOfUseAssetAfterAccumulatedDepreciationAndAmortization",
        ),
        kind="instant",
    ),
    Concept("rpo", ("RevenueRemainingPerformanceObligation",), kind="instant"),
)

METRICS: tuple[str, ...] = tuple(c.metric for c in CONCEPTS)
NEEDED: tuple[str, ...] = tuple(c.metric for c in CONCEPTS if c.needed)


def concept_for(metric: str) -> Concept:
    """The concept of a metric name; ``KeyError`` if unknown."""
    for c in CONCEPTS:
        if c.metric == metric:
            return c
    raise KeyError(metric)
