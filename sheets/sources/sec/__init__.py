"""The filings layer: SEC XBRL company facts to tidy quarterly series in data/.

``aimodel fetch`` reads one company-facts JSON per company (live from SEC, or saved files
with ``--from DIR``), maps candidate us-gaap tags to fixed metrics, turns year-to-date
cash flows into quarters, aligns fiscal quarters to calendar quarters and writes
``data/companies.csv`` and ``data/sec_filings.csv`` (columns documented in
:mod:`sheets.sources.sec.schema`).

Modules: ``companies`` (the eight companies), ``concepts`` (metric -> candidate tags),
``companyfacts`` (parse and validate the JSON), ``periods`` (fiscal/calendar mapping),
``series`` (filed, year-to-date-differenced and restated values), ``client`` (live HTTP),
``fetch`` (orchestration and change summary), ``schema`` (the CSV loaders).
"""
