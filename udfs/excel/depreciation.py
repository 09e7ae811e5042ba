"""Worksheet functions: depreciation (being written)."""
