"""Methods (data, like tool templates) and practice cases (docs/exchange.md)."""
