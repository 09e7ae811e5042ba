"""The companies the filings layer knows: ticker, SEC CIK, the seed's entity name, fiscal
year end and whether the company files quarterly (10-Q/10-K) or only annually (20-F)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["COMPANIES", "Company", "company_for"]


@dataclass(frozen=True)
class Company:
    """One filer.

    Attributes
    ----------
    ticker : str
        Exchange ticker, upper case (``MSFT``).
    cik : str
        SEC Central Index Key, 10 digits with leading zeros (``0000789019``).
    entity : str
        The name the seed data uses (``Microsoft``): the ``entity`` column of data/.
    fiscal_year_end : str
        ``MM-DD`` of the (nominal) last day of the fiscal year.
    filer : str
        ``quarterly`` (10-Q and 10-K) or ``annual`` (20-F only).
    note : str
        Anything a reader needs (52/53-week years, currencies).
    """

    ticker: str
    cik: str
    entity: str
    fiscal_year_end: str
    filer: str
    note: str = ""

    @property
    def label(self) -> str:
        """``"Microsoft (MSFT)"``, how error messages name the company."""
        return f"{self.entity} ({self.ticker})"

    @property
    def filename(self) -> str:
        """The company-facts file name as SEC serves it: ``CIK0000789019.json``."""
        return f"CIK{self.cik}.json"


COMPANIES: tuple[Company, ...] = (
    Company("MSFT", "0000789019", "Microsoft", "06-30", "quarterly", "fiscal year ends 30 June"),
    Company("AMZN", "0001018724", "Amazon", "12-31", "quarterly"),
    Company("GOOGL", "0001652044", "Alphabet", "12-31", "quarterly"),
    Company("META", "0001326801", "Meta", "12-31", "quarterly"),
    Company("ORCL", "0001341439", "Oracle", "05-31", "quarterly", "fiscal year ends 31 May"),
    Company(
        "NVDA",
        "0001045810",
        "NVIDIA",
        "01-31",
        "quarterly",
        "fiscal year ends on the last Sunday of January (52/53 weeks); 01-31 is the nominal date",
    ),
    Company("CRWV", "0001769628", "CoreWeave", "12-31", "quarterly"),
    Company(
        "NBIS",
        "0001513845",
        "Nebius",
        "12-31",
        "annual",
        "files 20-F annually, no quarterly XBRL; USD facts only (RUB dropped); "
        "history before 2024 is Yandex N.V., restated for discontinued operations",
    ),
)


def company_for(ticker: str) -> Company:
    """The company of a ticker (case-insensitive); ``KeyError`` names the known tickers."""
    for c in COMPANIES:
        if c.ticker == ticker.strip().upper():
            return c
    known = ", ".join(c.ticker for c in COMPANIES)
    raise KeyError(f"unknown ticker {ticker!r}; known: {known}")
