"""The kinds of notification the apps register::

    from sempre import notifications

    notifications.register(
        notifications.Kind(
            key="accelerator.review",
            label=_("Reviews assigned to you or due"),
            due=reviews_due,  # reviews_due(now) -> iterable of notifications.Due
            shown_to=is_reviewer,
        )
    )

`due(now)` yields a `Due` for everything that is due at `now` for somebody, whether or not it was
sent before: the sent-log (the unique key kind + recipient + object + occasion) keeps each from
being made twice. It should read with a fixed number of queries, however many it yields.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import rules
from django.db import models

from sempre.models import Delivery


@dataclass(frozen=True)
class Due:
    recipient: models.Model  # a user
    target: models.Model  # what it is about: its type and id make part of the unique key
    occasion: str  # which reminder about it: "assigned", "due-14", "due-3", "late", "2026-11" ...
    # The title in the active language: called once per recipient, in the recipient's language.
    title: Callable[[], str]
    url: str = ""  # a path on the platform (reverse(...)), made absolute in e-mails


@dataclass(frozen=True)
class Kind:
    key: str  # "<app>.<what>", stored with each notification and each person's choice
    label: object  # a lazy translation: what the choice is called on /account/notifications/
    due: Callable[[datetime], Iterable[Due]]
    help_text: object = ""
    # Who is offered a choice for it (a `rules` predicate on the user); None: everybody.
    shown_to: rules.Predicate | None = None
    default: str = Delivery.IMMEDIATELY
    order: int = 500  # where its choice stands on /account/notifications/ (smaller: higher)


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Register a kind; registering its key again replaces it."""
    if kind.default not in Delivery.values:
        raise ValueError(f"unknown delivery {kind.default!r}")
    _KINDS[kind.key] = kind
    return kind


def unregister(key: str) -> None:
    _KINDS.pop(key, None)


def kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.key))


def get_kind(key: str) -> Kind | None:
    return _KINDS.get(key)


def kinds_for(user) -> list[Kind]:
    """The kinds a person is offered a choice for."""
    return [kind for kind in kinds() if kind.shown_to is None or kind.shown_to.test(user)]
