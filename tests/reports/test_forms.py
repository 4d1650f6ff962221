"""The report form at programme scale: a choice among few objects is a list, among many a number
box, checked against what the user may see either way, with the same queries."""

import pytest
from django.test import Client

from reports import forms
from reports.forms import ReportRequestForm

pytestmark = pytest.mark.django_db

URL = "/reports/"


def test_few_projects_are_listed(social_worker, project):
    field = ReportRequestForm(user=social_worker).fields["project"]

    assert list(field.widget.choices) == [("", "---------"), (project.pk, project.title)]


def test_many_projects_are_typed_as_a_number_and_checked_against_what_one_may_see(
    social_worker, project, other_project, monkeypatch
):
    monkeypatch.setattr(forms, "CHOICES_LISTED", 0)
    form = ReportRequestForm(user=social_worker)
    assert form.fields["project"].widget.input_type == "number"

    mine = ReportRequestForm({"kind": "project", "language": "en", "project": project.pk}, user=social_worker)
    theirs = ReportRequestForm(
        {"kind": "project", "language": "en", "project": other_project.pk}, user=social_worker
    )

    assert mine.is_valid(), mine.errors
    assert mine.cleaned_data["project"] == project
    assert not theirs.is_valid()
    assert "project" in theirs.errors


@pytest.mark.parametrize("listed", [0, 100])
def test_the_page_runs_the_same_queries_listed_or_typed(
    social_worker, project, django_assert_num_queries, monkeypatch, listed
):
    monkeypatch.setattr(forms, "CHOICES_LISTED", listed)
    client = Client()
    client.force_login(social_worker)

    # user (session cached), memberships, the projects and the progress reports for the choices, the jobs
    with django_assert_num_queries(5):
        page = client.get(URL)
    assert (f'value="{project.pk}"' in page.text) is bool(listed)
