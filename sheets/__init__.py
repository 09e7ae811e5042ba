"""aim's workbook side, in the order data travels through it.

1. :mod:`sheets.sources`: read and validate data/ and SEC filings;
2. :mod:`sheets.model`: the model's sheets, declared as blocks of formulas;
3. :mod:`sheets.workbook`: write and refresh model.xlsm;
4. :mod:`sheets.evaluate`: recalculate it headlessly, read its outputs back;
5. :mod:`sheets.publish`: snapshot, pictures, the VBA module.

Each stage imports only the stages before it; ``cli`` (the ``aimodel`` command) sits on
top. tests/test_import_order.py holds the package to that.
"""

__version__ = "0.1.0"
