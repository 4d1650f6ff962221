"""Writes of the exchange, a module by topic (cases.py: practice cases)."""
