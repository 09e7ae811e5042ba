"""Worksheet functions: neocloud (being written)."""
