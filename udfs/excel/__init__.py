"""Worksheet adapters: Excel shapes in, numbers (rows x columns) out.

The modules here own everything Excel-specific: coercion of what a cell or range
hands over, the ``#AIM!`` error text, and the rows-by-columns result. The numeric
work happens in :mod:`udfs.core`.
"""
