"""How services say "leave this field as it is": the default of an update service's arguments.

An update service takes each field as a keyword argument whose default is UNCHANGED, so `None` can
still clear a field; `given()` and `apply_given()` keep only the fields the caller named. Create
services use `without_none()` so the model's default stands for every field not named."""

from typing import Any


class Unchanged:
    """The default of an update service's field arguments: the field keeps its value."""

    def __repr__(self):
        return "UNCHANGED"


UNCHANGED: Any = Unchanged()


def given(**values) -> dict:
    """The fields an update service was given a value for (UNCHANGED ones left out)."""
    return {name: value for name, value in values.items() if value is not UNCHANGED}


def apply_given(instance, values: dict) -> None:
    """Set each of `values` on `instance`, except those left UNCHANGED."""
    for field, value in given(**values).items():
        setattr(instance, field, value)


def without_none(**values) -> dict:
    """The fields a create service was given a value for; the model's default stands for the rest."""
    return {name: value for name, value in values.items() if value is not None}
