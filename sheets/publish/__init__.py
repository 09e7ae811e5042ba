"""Stage 5, publishing: what leaves the project for people and other tools.

- ``snapshot``: ``aimodel snapshot``, a values-only .xlsx for readers without Python;
- ``render``: ``make render``, every page of every sheet as a picture (LibreOffice);
- ``vba``: ``aimodel vba``, the VBA module Import Functions writes, for File > Import.

May import: every earlier stage (sources, model, workbook, evaluate).
"""
