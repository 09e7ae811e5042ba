"""Worksheet functions: rpo (being written)."""
