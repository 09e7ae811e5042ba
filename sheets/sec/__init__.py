"""The filings layer: SEC XBRL company facts to tidy quarterly series in data/.

``aimodel fetch`` reads one company-facts JSON per company (live from SEC, or saved files
with ``--from DIR``), maps candidate us-gaap tags to fixed metrics, turns year-to-date
cash flows into quarters, aligns fiscal quarters to calendar quarters and writes
``data/companies.csv`` and ``data/sec_filings.csv`` (columns documented in
:mod:`sheets.sec.schema`).

Modules: :mod:`~sheets.sec.companies` (the eight companies), :mod:`~sheets.sec.concepts`
(metric -> candidate tags), :mod:`~sheets.sec.companyfacts` (parse and validate the JSON),
:mod:`~sheets.sec.periods` (fiscal/calendar mapping), :mod:`~sheets.sec.series` (filed,
year-to-date-differenced and restated values), :mod:`~sheets.sec.client` (live HTTP),
:mod:`~sheets.sec.fetch` (orchestration and change summary), :mod:`~sheets.sec.schema`
(the CSV loaders).
"""
