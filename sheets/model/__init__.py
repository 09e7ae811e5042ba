"""Stage 2, the declarative model: every model sheet as blocks of formulas.

Inputs, Capex, Depreciation, RPO, Neocloud, Financing, OpenAI, Unit economics,
Dashboard, Checks, Outputs and README, written with openpyxl as formulas (never pasted
values) by ``assemble.write_model``; ``base`` holds the Model, Writer and Block types;
``timeline`` and ``data_index`` say where the data sheets put each number (the formulas
read them by position); ``styles`` is the look every sheet shares; ``input_type``,
``sheet_list``, ``outputs_sheet`` and ``formula_refs`` are the small shared pieces;
``printing`` is every model sheet's print setup and the TRUE/FALSE format of checks.

May import: :mod:`sheets.sources` only.
"""
