"""The demo reports (demo.reports): made once, and about the demo's projects only."""

import io

import pytest

from demo import reports as demo
from reports.models import ReportJob

from ..factories import ActivityFactory, MicroProjectFactory
from .helpers import mark_as_demo


@pytest.fixture
def anna(social_worker):
    social_worker.username = "anna"
    social_worker.save()
    return social_worker


@pytest.fixture
def project(organisation):
    project = MicroProjectFactory(organisation=organisation, title="Fruit bags for Luleå")
    ActivityFactory(project=project, title="Kick-off workshop", participants_total=12)
    return project


def test_demo_reports_are_made_once(coordinator, anna, project):
    mark_as_demo(project)
    demo.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())
    jobs = ReportJob.objects.order_by("kind")
    assert {(job.kind, job.status) for job in jobs} >= {("programme", "succeeded"), ("project", "succeeded")}
    assert jobs.filter(kind="programme").count() == 1
    assert jobs.get(kind="project").params == {"project": project.pk}


def test_demo_reports_are_not_about_a_person_s_own_project(coordinator, anna, project):
    demo.seed(stdout=io.StringIO())
    assert not ReportJob.objects.filter(kind="project").exists()
