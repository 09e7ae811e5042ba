"""Stage 4, evaluation: computing a written workbook without Excel.

- ``headless``: recalculation with the ``formulas`` engine, AIM functions registered;
- ``outputs``: ``aimodel outputs``, the declared headline figures read back;
- ``compare``: workbooks compared by content (cells, formulas, names, VBA bytes);
- ``libreoffice``: LibreOffice Calc as an independent oracle and converter.

May import: :mod:`sheets.sources`, :mod:`sheets.model` and :mod:`sheets.workbook`.
"""
