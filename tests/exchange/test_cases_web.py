"""The practice cases' pages, the team's and the coordinator's way through them: write, add the
project's figures and snapshots, submit, return with a reason, edit, and the conversation."""

import pytest
from django.urls import reverse

from exchange.models import Case, CaseThread
from exchange.services import cases as services
from tests.factories import MicroProjectFactory

from .case_factories import make_case, project_with_tools

pytestmark = pytest.mark.django_db


def test_a_team_writes_submits_and_gets_its_case_back_with_a_reason(
    social_worker, organisation, coordinator, client
):
    tools = project_with_tools(organisation, author=social_worker)
    client.force_login(social_worker)
    refused = client.post(
        reverse("exchange:case_new"), {"project": tools["project"].pk, "title": "", "language": "en"}
    )
    assert refused.status_code == 200
    assert not Case.objects.exists()
    assert "This field is required" in refused.content.decode()

    created = client.post(
        reverse("exchange:case_new"),
        {
            "project": tools["project"].pk,
            "title": "Market stall",
            "summary": "We sold together.",
            "language": "en",
        },
    )
    case = Case.objects.get()
    assert created["Location"] == reverse("exchange:case_edit", args=[case.pk])
    client.post(
        reverse("exchange:case_edit", args=[case.pk]),
        {
            "title": "Market stall",
            "summary": "We sold together.",
            "language": "en",
            "indicators": [tools["indicator"].pk],
            "outcomes": [tools["outcomes"][1].pk],
            "canvas_snapshot": tools["canvas_snapshot"].pk,
        },
    )
    case.refresh_from_db()
    assert list(case.indicators.all()) == [tools["indicator"]]
    assert case.canvas_snapshot == tools["canvas_snapshot"]

    client.post(reverse("exchange:case_submit", args=[case.pk]))
    case.refresh_from_db()
    assert case.status == Case.Status.SUBMITTED

    client.force_login(coordinator)
    client.post(reverse("exchange:case_return", args=[case.pk]), {"reason": "Please add the costs."})
    client.force_login(social_worker)
    page = client.get(reverse("exchange:case", args=[case.pk])).content.decode()
    assert "Please add the costs." in page
    assert reverse("exchange:case_edit", args=[case.pk]) in page


def test_a_case_s_form_offers_only_its_project_s_outcomes_and_snapshots(social_worker, organisation, client):
    case, tools = make_case(author=social_worker)
    elsewhere = project_with_tools(organisation, author=social_worker, title="Another project")
    client.force_login(social_worker)
    answer = client.post(
        reverse("exchange:case_edit", args=[case.pk]),
        {"title": "T", "summary": "S", "language": "en", "toc_snapshot": elsewhere["toc_snapshot"].pk},
    )
    assert answer.status_code == 200
    assert "Select a valid choice" in answer.content.decode()
    case.refresh_from_db()
    assert case.toc_snapshot == tools["toc_snapshot"]


def test_the_conversation_page_on_both_sides(social_worker, other_social_worker, client):
    case, _tools = make_case(author=social_worker, status=Case.Status.PUBLISHED)
    client.force_login(other_social_worker)
    asked = client.post(reverse("exchange:case_contact", args=[case.pk]), {"text": "How did you start?"})
    thread = CaseThread.objects.get(case=case)
    assert asked["Location"] == reverse("exchange:case_thread", args=[case.pk, thread.pk])
    # a second visit to "Ask the team" opens the same conversation
    again = client.get(reverse("exchange:case_contact", args=[case.pk]))
    assert again["Location"] == asked["Location"]

    client.force_login(social_worker)
    team_page = client.get(reverse("exchange:case", args=[case.pk])).content.decode()
    assert thread.organisation.name in team_page
    client.post(asked["Location"], {"text": "With a world café."})
    assert [m.text for m in thread.messages.order_by("pk")] == ["How did you start?", "With a world café."]
    assert thread.messages.get(text="With a world café.").from_team


def test_adapt_page_copies_into_the_chosen_project(social_worker, other_social_worker, client):
    case, _tools = make_case(author=social_worker, status=Case.Status.PUBLISHED)
    mine = MicroProjectFactory(organisation=other_social_worker.memberships.get().organisation)
    client.force_login(other_social_worker)
    answer = client.post(reverse("exchange:case_adapt", args=[case.pk]), {"project": mine.pk})
    tool = mine.tools.order_by("pk").first()
    assert answer["Location"] == reverse("toolkit:tool", args=[tool.pk])
    assert "Adapted from" in client.get(answer["Location"]).content.decode()
    services.case_unpublish(case=case, by=social_worker)
    assert client.get(reverse("exchange:case_adapt", args=[case.pk])).status_code == 404
