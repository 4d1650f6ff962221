"""Other areas fill the dashboard and project page through slot templates (docs/web.md)."""

import copy

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tests.factories import MicroProjectFactory


@pytest.fixture
def slot_templates(settings, tmp_path):
    """A template directory searched first, holding slot templates written by the test."""
    templates = copy.deepcopy(django_settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates

    def write(name, text):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    return write


def test_dashboard_slot_renders_the_areas_template(client_for, social_worker, slot_templates):
    slot_templates(
        "cocreation/_dashboard_pending_contributions.html", "<p>Pending for {{ user.username }}</p>"
    )

    response = client_for(social_worker).get(reverse("dashboard"))

    assert "<p>Pending for anna</p>" in response.text


def test_project_slot_renders_with_the_project(client_for, social_worker, organisation, slot_templates):
    project = MicroProjectFactory(organisation=organisation, title="Fruit bags")
    slot_templates("toolkit/_project_tools.html", "<p>Canvas of {{ project.title }}</p>")

    response = client_for(social_worker).get(reverse("microprojects:detail", args=[project.pk]))

    assert "<p>Canvas of Fruit bags</p>" in response.text
