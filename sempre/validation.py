"""Every error of a write in one answer: a service's own rules and the model's field rules together.

A service checks what only it knows (dates within a project's period, a month already recorded)
into a dict of errors by field, then asks the model for its field rules (`full_clean`) on the
fields it has not already refused, so a form or an API answer names every problem at once instead
of one per attempt."""

from django.core.exceptions import ValidationError


def with_field_rules(instance, errors: dict, *, exclude=(), validate_unique: bool = True) -> dict[str, list]:
    """`errors` (field -> message, ValidationError or a list of them) with the errors of
    `instance.full_clean()` added for the fields not in it. ValidationErrors keep their codes."""
    merged = {field: list(value) if isinstance(value, list) else [value] for field, value in errors.items()}
    try:
        instance.full_clean(exclude=[*exclude, *merged], validate_unique=validate_unique)
    except ValidationError as error:
        for field, field_errors in error.error_dict.items():
            merged.setdefault(field, []).extend(field_errors)
    return merged
