"""aim's workbook side: load and validate data/, build and refresh model.xlsm."""
