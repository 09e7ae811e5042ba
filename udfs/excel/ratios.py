"""Worksheet functions: ratios (being written)."""
