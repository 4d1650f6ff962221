"""Accelerator panels other pages include (the project page, the dashboard)."""

from django import template

from .. import selectors
from ..eligibility import eligibility_by_project
from ..models import Round
from ..selectors import application_list, assignments_of_reviewer

register = template.Library()


@register.inclusion_tag("accelerator/_project_panel.html", takes_context=True)
def project_accelerator(context, project):
    """The project's applications and, for each open round, its eligibility explained."""
    user = context["request"].user
    applications = list(application_list(user).filter(project=project))
    applied = {a.round_id for a in applications}
    open_rounds = [
        r for r in Round.objects.filter(status=Round.Status.OPEN).order_by("closes_at") if r.pk not in applied
    ]
    can_apply = user.has_perm("accelerator.apply_for_project", project)
    eligibility = eligibility_by_project([project])[project.pk] if open_rounds and can_apply else None
    return {
        "project": project,
        "applications": applications,
        "open_rounds": open_rounds,
        "eligibility": eligibility,
        "can_apply": can_apply,
    }


@register.simple_tag(takes_context=True)
def review_inbox_count(context):
    user = context["request"].user
    return assignments_of_reviewer(user).filter(review__submitted_at__isnull=True).count()


@register.filter
def language_name(code):
    """An application's language named in the reader's language ("Swedish"), as the API names it."""
    return selectors.language_name(code)
