"""Reads of report jobs. The data a report is made of is read by the app whose kind it is, as its
requester may see it (`microprojects.selectors.programme_projects` and the like)."""

from datetime import date

from django import forms
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .kinds import get_kind
from .models import ReportJob


def reports_visible_to(user) -> QuerySet[ReportJob]:
    """Own jobs; coordinators see everyone's."""
    if not user.is_authenticated:
        return ReportJob.objects.none()
    jobs = ReportJob.objects.select_related("requested_by")
    if user.is_coordinator:
        return jobs
    return jobs.filter(requested_by=user)


def describe_params(jobs, user) -> None:
    """Give each job `params_described`: its parameters as a person reads them — the field's label
    and the value's name ("Project: Fruit bags from Luleå", "From: 1 Mar 2026"), not the stored ids
    ("project: 1"). One query per kind of object named, however many jobs."""
    form_for_kind = {}
    wanted: dict[type, set] = {}  # model -> ids named by the jobs
    fields = []  # (job, name, field or None, value)
    for job in jobs:
        kind = get_kind(job.kind)
        if kind and kind.name not in form_for_kind:
            form_for_kind[kind.name] = kind.params_form(user=user)
        form = form_for_kind.get(job.kind)
        for name, value in (job.params or {}).items():
            field = form.fields.get(name) if form else None
            if isinstance(field, forms.ModelChoiceField):
                wanted.setdefault(field.queryset.model, set()).add(value)
            fields.append((job, name, field, value))
    names = {}
    for model, ids in wanted.items():
        clean_ids = [i for i in ids if isinstance(i, int) or str(i).isdigit()]
        names[model] = {obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=clean_ids)}
    for job in jobs:
        job.params_described = []
    for job, name, field, value in fields:
        label = str(field.label) if field is not None and field.label else name.replace("_", " ")
        if isinstance(field, forms.ModelChoiceField):
            text = names.get(field.queryset.model, {}).get(int(value) if str(value).isdigit() else value)
            text = text or f"#{value}"
        elif isinstance(field, forms.DateField):
            try:
                text = date_format(date.fromisoformat(str(value)))
            except ValueError:
                text = str(value)
        elif isinstance(field, forms.BooleanField):
            text = _("yes") if value else _("no")
        elif isinstance(field, forms.ChoiceField):
            text = str(dict(field.choices).get(value, value))
        else:
            text = str(value)
        job.params_described.append((label, text))
