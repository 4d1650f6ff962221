"""Clients' own stories of change, the Most Significant Change method (issue #20, docs/exchange.md)."""
