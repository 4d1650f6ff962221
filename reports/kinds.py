"""The registry of report kinds: the one place where the apps and the report engine meet.

The engine knows no kind by itself. Each app registers its own kinds from its `AppConfig.ready()`
(`microprojects/reports.py`, `accelerator/reports.py`), with a renderer and a parameters form of its
own; the engine asks this registry for a kind by name when a report is requested, run or downloaded.
The Reports page lists the kinds in the order they were registered (the order of INSTALLED_APPS).
"""

from collections.abc import Callable
from dataclasses import dataclass

import rules

from .params import ReportParamsForm
from .renderers.base import RenderContext

PDF = ("pdf", "application/pdf")
XLSX = ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
CSV = ("csv", "text/csv; charset=utf-8")


@dataclass(frozen=True)
class ReportKind:
    name: str  # stored in ReportJob.kind and sent by API clients: never rename one
    label: str
    file_format: tuple[str, str]  # (extension, content type)
    params_form: type[ReportParamsForm]
    render: Callable[[RenderContext], None]
    may_request: rules.Predicate  # who may ask for this kind at all; the form limits the objects
    description: str = ""
    # Sent to every coordinator on the 1st for the past month (its params form takes date_from and
    # date_to): see reports.services.report_digest_send.
    monthly_digest: bool = False

    @property
    def extension(self) -> str:
        return self.file_format[0]

    @property
    def content_type(self) -> str:
        return self.file_format[1]


KINDS: dict[str, ReportKind] = {}


def register(kind: ReportKind) -> ReportKind:
    """Offer a kind of report. Registering a kind of the same name again replaces it."""
    KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> ReportKind | None:
    return KINDS.get(name)


def kinds_for(user) -> list[ReportKind]:
    return [kind for kind in KINDS.values() if kind.may_request.test(user)]


def monthly_digest_kinds() -> list[ReportKind]:
    return [kind for kind in KINDS.values() if kind.monthly_digest]
