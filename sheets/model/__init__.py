"""The model sheets: Inputs, Capex, Depreciation, RPO, Neocloud, Unit economics,
Dashboard, Checks and README, written with openpyxl as formulas (never pasted values)."""
