"""Factories and helpers for the exchange (methods come from the fixtures, loaded after migrate)."""

from exchange.loader import load_method, load_methods
from exchange.models import Method
from tests.toolkit.factories import tool_template


def method(slug: str = "sbmc") -> Method:
    found = Method.objects.filter(slug=slug).first()
    if found is None:  # a transactional test may have flushed the table
        tool_template()  # loads the tool templates the methods refer to
        load_methods()
        found = Method.objects.get(slug=slug)
    return found


def extra_methods(count: int) -> list[Method]:
    """`count` more methods (beyond the library's), each suiting older people, with the sbmc tool."""
    method()
    return [
        load_method(
            {
                "slug": f"extra-{number}",
                "order": 100 + number,
                "title": f"Extra method {number}",
                "purpose": "For counting queries.",
                "steps": ["One", "Two"],
                "low_literacy": "Speak.",
                "target_groups": ["older-people"],
                "tool_template": "sbmc",
            }
        )
        for number in range(count)
    ]
