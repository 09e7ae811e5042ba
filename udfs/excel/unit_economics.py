"""Worksheet functions: unit_economics (being written)."""
