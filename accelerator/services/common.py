"""What the accelerator's update services share: how "leave this field as it is" is said."""


class Unchanged:
    """The default of an update service's field arguments: the field keeps its value."""

    def __repr__(self):
        return "UNCHANGED"


UNCHANGED = Unchanged()


def given(**values) -> dict:
    """The fields an update service was given a value for (UNCHANGED ones left out)."""
    return {name: value for name, value in values.items() if value is not UNCHANGED}


def without_none(**values) -> dict:
    """The fields a create service was given a value for; the model's default stands for the rest."""
    return {name: value for name, value in values.items() if value is not None}
