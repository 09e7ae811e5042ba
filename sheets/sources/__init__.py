"""Stage 1, the sources: reading and validating what the model is built from.

- ``loader``: data/*.csv (the seed's tables) into validated frames, one-line errors;
- ``csvio``: the error type and file decoding every data reader shares;
- ``units``: the units a data row may carry;
- ``sec/``: ``aimodel fetch``, SEC XBRL company facts into data/companies.csv and
  data/sec_filings.csv, and their schema;
- ``template``: the pinned xlwings package's standalone template (the workbook's VBA);
- ``atomic``: atomic file writes (a temporary file beside the target, renamed into
  place), used by every stage that writes; workbooks saved reproducibly (fixed dates);
- ``paths``: the checks on a command's paths made before any work (a workbook to read,
  the folder of a file to write).

May import: nothing of the other stages (``udfs.errors`` for the error base class).
"""
