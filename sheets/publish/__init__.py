"""Stage 5, publishing: what leaves the project for people and other tools.

- ``snapshot``: ``aimodel snapshot``, a values-only .xlsx for readers without Python;
- ``render``: ``make render``, every page of every sheet as a picture (LibreOffice);
- ``vba``: ``aimodel vba``, the VBA module Import Functions writes, for File > Import;
- ``lite``: ``aimodel lite``, main.py and requirements.txt for xlwings Lite (Mac, web).

May import: every earlier stage (sources, model, workbook, evaluate).
"""
