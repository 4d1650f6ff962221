"""The registry of report kinds. Adding a kind is one renderer function and one entry below."""

from collections.abc import Callable
from dataclasses import dataclass

import rules
from django.utils.translation import gettext_lazy as _

from sempre.rules import is_coordinator, is_org_staff

from . import params
from .renderers import accelerator, exports, pdf
from .renderers.base import RenderContext

PDF = ("pdf", "application/pdf")
XLSX = ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
CSV = ("csv", "text/csv; charset=utf-8")


@dataclass(frozen=True)
class ReportKind:
    name: str
    label: str
    file_format: tuple[str, str]  # (extension, content type)
    params_form: type[params.ReportParamsForm]
    render: Callable[[RenderContext], None]
    may_request: rules.Predicate  # who may ask for this kind at all; the form limits the objects
    description: str = ""

    @property
    def extension(self) -> str:
        return self.file_format[0]

    @property
    def content_type(self) -> str:
        return self.file_format[1]


KINDS: dict[str, ReportKind] = {}


def register(kind: ReportKind) -> ReportKind:
    KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> ReportKind | None:
    return KINDS.get(name)


def kinds_for(user) -> list[ReportKind]:
    return [kind for kind in KINDS.values() if kind.may_request.test(user)]


register(
    ReportKind(
        name="project",
        label=_("Project report (PDF)"),
        file_format=PDF,
        params_form=params.ProjectParams,
        render=pdf.render_project_pdf,
        may_request=is_org_staff | is_coordinator,
        description=_("Summary, activities, participants by gender and age, indicators against targets."),
    )
)
register(
    ReportKind(
        name="programme",
        label=_("Programme report (PDF)"),
        file_format=PDF,
        params_form=params.ProgrammeParams,
        render=pdf.render_programme_pdf,
        may_request=is_coordinator,
        description=_("Totals by country and target group, participants over time, indicators, projects."),
    )
)
register(
    ReportKind(
        name="programme_xlsx",
        label=_("Programme data (Excel)"),
        file_format=XLSX,
        params_form=params.ProgrammeParams,
        render=exports.render_programme_xlsx,
        may_request=is_coordinator,
        description=_("Sheets of projects, activities, indicators and measurements."),
    )
)
register(
    ReportKind(
        name="programme_csv",
        label=_("Programme activities (CSV)"),
        file_format=CSV,
        params_form=params.ProgrammeParams,
        render=exports.render_programme_csv,
        may_request=is_coordinator,
        description=_("One row per activity, for spreadsheets and statistics software."),
    )
)
register(
    ReportKind(
        name="selection",
        label=_("Accelerator selection (PDF)"),
        file_format=PDF,
        params_form=params.SelectionParams,
        render=accelerator.render_selection_pdf,
        may_request=is_coordinator,
        description=_("Criteria and weights, ranking with raw and adjusted scores, explanations, decisions."),
    )
)
register(
    ReportKind(
        name="selection_xlsx",
        label=_("Accelerator selection (Excel)"),
        file_format=XLSX,
        params_form=params.SelectionParams,
        render=accelerator.render_selection_xlsx,
        may_request=is_coordinator,
        description=_("Sheets of criteria, the ranking with every figure, and the decisions."),
    )
)
register(
    ReportKind(
        name="startups",
        label=_("Start-ups (PDF)"),
        file_format=PDF,
        params_form=params.NoParams,
        render=accelerator.render_startups_pdf,
        may_request=is_coordinator,
        description=_("Self-sufficiency over time, milestones and monthly figures of every start-up."),
    )
)
