"""The progress report as a PDF, through the report engine (kind `progress_report`)."""

from django import forms
from django.utils.translation import gettext_lazy

from reports.kinds import PDF, ReportKind, register
from reports.params import ReportParamsForm
from reports.renderers.base import RenderContext, write_pdf
from sempre.rules import is_coordinator, is_org_staff

from . import selectors


class ProgressReportParams(ReportParamsForm):
    legend = gettext_lazy("For a progress report")
    progress_report = forms.ModelChoiceField(
        label=gettext_lazy("Progress report"),
        queryset=None,
        error_messages={
            "invalid_choice": gettext_lazy("There is no such progress report among the reports you can see.")
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["progress_report"].queryset = selectors.report_list(user)


def register_report_kinds() -> None:
    register(
        ReportKind(
            name="progress_report",
            label=gettext_lazy("Progress report (PDF)"),
            file_format=PDF,
            params_form=ProgressReportParams,
            render=render_progress_report_pdf,
            may_request=is_org_staff | is_coordinator,
            description=gettext_lazy(
                "A project's report on a reporting period: figures, the team's narrative, evidence, "
                "corrections to earlier periods; as approved once it is approved."
            ),
        )
    )


def render_progress_report_pdf(ctx: RenderContext) -> None:
    ctx.progress(0, 2)
    report = selectors.report_detail(ctx.user, ctx.params["progress_report"].pk)
    shown = selectors.report_shown(report)
    ctx.progress(1, 2)
    context = {
        "report": report,
        "figures": shown["figures"],
        "narrative": shown["narrative"],
        "corrections": shown["corrections"],
        "evidence": list(report.evidence.order_by("uploaded_at", "id")),
        "events": list(selectors.report_events(report)),
        "suppress": True,  # counts of 1 to 4 people show as "<5" in anything that leaves the platform
    }
    write_pdf(ctx, "programme/progress/pdf.html", context)
    ctx.progress(2, 2)
