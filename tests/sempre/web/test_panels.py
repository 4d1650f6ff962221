"""The apps fill the dashboard and the project page through the core's panel registry (sempre.panels)."""

import copy

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from sempre import panels
from sempre.rules import is_coordinator
from tests.factories import MicroProjectFactory, UserFactory


@pytest.fixture
def panel_templates(settings, tmp_path):
    """A template directory searched first, holding panel templates written by the test."""
    templates = copy.deepcopy(django_settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates

    def write(name, text):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    return write


@pytest.fixture
def registered():
    """register(page, panel): a panel registered for the test only."""
    added = []

    def register(page, panel):
        page.register(panel)
        added.append((page, panel.name))

    yield register
    for page, name in added:
        page.unregister(name)


def test_a_dashboard_panel_renders_with_its_own_context(
    client_for, social_worker, panel_templates, registered
):
    panel_templates("test/_panel.html", "<p>{{ greeting }} {{ user.username }}</p>")
    registered(
        panels.DASHBOARD,
        panels.Panel(name="test", template="test/_panel.html", context=lambda request: {"greeting": "Hello"}),
    )

    response = client_for(social_worker).get(reverse("dashboard"))

    assert "<p>Hello anna</p>" in response.text


def test_a_panel_is_shown_only_to_whom_it_names(client_for, social_worker, panel_templates, registered):
    panel_templates("test/_panel.html", "<p>For coordinators</p>")
    registered(
        panels.DASHBOARD,
        panels.Panel(name="test", template="test/_panel.html", shown_to=is_coordinator),
    )

    response = client_for(social_worker).get(reverse("dashboard"))

    assert "For coordinators" not in response.text


def test_panels_come_in_their_order(client_for, social_worker, panel_templates, registered):
    panel_templates("test/_first.html", "<p>first panel</p>")
    panel_templates("test/_last.html", "<p>last panel</p>")
    registered(panels.DASHBOARD, panels.Panel(name="test-last", template="test/_last.html", order=9999))
    registered(panels.DASHBOARD, panels.Panel(name="test-first", template="test/_first.html", order=1))

    text = client_for(social_worker).get(reverse("dashboard")).text

    assert text.index("first panel") < text.index("last panel")


def test_a_project_panel_renders_with_the_project(
    client_for, social_worker, organisation, panel_templates, registered
):
    project = MicroProjectFactory(organisation=organisation, title="Fruit bags")
    panel_templates("test/_project.html", "<p>{{ note }} of {{ project.title }}</p>")
    registered(
        panels.PROJECT,
        panels.Panel(
            name="test",
            template="test/_project.html",
            context=lambda request, project: {"note": f"Canvas {project.pk}"},
        ),
    )

    response = client_for(social_worker).get(reverse("microprojects:detail", args=[project.pk]))

    assert f"<p>Canvas {project.pk} of Fruit bags</p>" in response.text


def test_the_apps_register_their_panels():
    assert [panel.name for panel in panels.DASHBOARD] == [
        "my_work",
        "progress_reports",
        "pending_contributions",
        "recent_tools",
        "programme",
        "accelerator",
        "reviews",
    ]
    assert [panel.name for panel in panels.PROJECT] == ["tools", "stories", "frameworks", "accelerator"]


def test_a_person_without_a_role_is_told_so(client_for, db):
    response = client_for(UserFactory()).get(reverse("dashboard"))

    assert "Your account has no role yet" in response.text
