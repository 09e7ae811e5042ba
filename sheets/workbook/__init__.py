"""Stage 3, the workbook: writing and refreshing model.xlsm.

- ``build``: a new workbook from data/ and the template (``aimodel build``);
- ``refresh``: rewrite the data sheets of an existing workbook, analyst work kept
  (``aimodel refresh``, the refresh macro);
- ``datasheets``, ``filings_sheets``: the generated data sheets (one per data file; the
  filings tables and the ``sec_quarterly`` pivot);
- ``excel_target``: the same refresh through xlwings, inside Excel.

May import: :mod:`sheets.sources` and :mod:`sheets.model`.
"""
