"""aim's workbook side: load and validate data/, build and refresh model.xlsm."""

__version__ = "0.1.0"
