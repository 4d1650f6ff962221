"""Clients' stories of change quoted in a practice case (issue #20 §2/§3): the team chooses among
the stories `quotable_stories(project, "cases")` offers; the case page, the API and the handbook read
them through it at render time, so a story withdrawn or narrowed later disappears from all three."""

import pytest
from django.urls import reverse

from exchange.models import Case
from exchange.reports import handbook_cases
from exchange.screening import case_findings
from exchange.selectors import case_quotes
from exchange.services import cases as services
from reports.models import ReportJob
from tests.reports.fixtures import pdf_text
from tests.stories.factories import StoryFactory, StoryInviteFactory
from toolkit.stories import services as stories

from .case_factories import make_case

pytestmark = pytest.mark.django_db

RECEIPT = "AAAA-BBBB-CCCC"


def _story(project, **fields):
    fields.setdefault("consent_cases", True)
    return StoryFactory(invite=StoryInviteFactory(project=project), **fields)


@pytest.fixture
def draft(social_worker):
    return make_case(author=social_worker)[0]


def _publish(case, by, coordinator):
    case = services.case_submit(case=case, by=by)
    keys = [f.key for f in case_findings(case, quotes=case_quotes(case))]
    return services.case_publish(case=case, by=coordinator, confirmed=keys)


def _edit_data(case, **changes):
    data = {
        "title": case.title,
        "summary": case.summary,
        "language": case.language,
        **changes,
    }
    return data


def test_the_team_quotes_a_story_and_every_place_shows_it_until_the_client_withdraws(
    draft, social_worker, coordinator, other_social_worker, client, as_user
):
    story = _story(
        draft.project, nickname="Birdie", what_changed="I sell my bread now.", why_important="My own money."
    )
    client.force_login(social_worker)
    form = client.get(reverse("exchange:case_edit", args=[draft.pk])).content.decode()
    assert "Birdie: “I sell my bread now.” (English)" in form
    answer = client.post(
        reverse("exchange:case_edit", args=[draft.pk]), _edit_data(draft, quoted_stories=[story.pk])
    )
    assert answer.status_code == 302, answer.content.decode()
    case = _publish(Case.objects.get(pk=draft.pk), social_worker, coordinator)

    # Another organisation reads the published case: page, API, the handbook's data.
    client.force_login(other_social_worker)
    page = client.get(reverse("exchange:case", args=[case.pk])).content.decode()
    assert "I sell my bread now." in page
    assert "My own money." in page
    assert "Birdie" in page
    api = as_user(other_social_worker)
    quoted = api.get(reverse("api:case-detail", args=[case.pk])).json()["quoted_stories"]
    assert quoted == [
        {
            "id": story.pk,
            "what_changed": "I sell my bread now.",
            "why_important": "My own money.",
            "nickname": "Birdie",
            "language": "en",
        }
    ]
    [printed] = handbook_cases()
    assert [s.pk for s in printed.quotes] == [story.pk]

    # The client takes the story back with the receipt code: gone everywhere at once.
    stories.story_withdraw(story=story, receipt_code=RECEIPT)
    page = client.get(reverse("exchange:case", args=[case.pk])).content.decode()
    assert "I sell my bread now." not in page
    assert "Birdie" not in page
    assert api.get(reverse("api:case-detail", args=[case.pk])).json()["quoted_stories"] == []
    assert handbook_cases()[0].quotes == []


def test_narrowing_consent_to_exclude_cases_drops_the_quote_but_keeps_the_others(
    draft, social_worker, as_user
):
    kept = _story(draft.project, what_changed="I have friends here.")
    narrowed = _story(draft.project, what_changed="I speak at the council.", consent_reports=True)
    services.case_update(case=draft, by=social_worker, quoted_stories=[kept, narrowed])
    api = as_user(social_worker)
    url = reverse("api:case-detail", args=[draft.pk])
    assert {row["id"] for row in api.get(url).json()["quoted_stories"]} == {kept.pk, narrowed.pk}

    stories.story_consent_narrow(story=narrowed, receipt_code=RECEIPT, reports=True, cases=False)

    assert [row["id"] for row in api.get(url).json()["quoted_stories"]] == [kept.pk]
    assert [s.pk for s in case_quotes(draft)] == [kept.pk]


def test_a_story_not_consented_for_cases_or_of_another_project_is_refused_naming_the_field(
    draft, social_worker, other_social_worker, client, as_user
):
    team_only = _story(draft.project, consent_cases=False, what_changed="Only for my team.")
    elsewhere = _story(make_case(author=other_social_worker)[0].project, what_changed="Somewhere else.")
    withdrawn = _story(draft.project, what_changed="Taken back.")
    stories.story_withdraw(story=withdrawn, receipt_code=RECEIPT)

    client.force_login(social_worker)
    form = client.get(reverse("exchange:case_edit", args=[draft.pk])).content.decode()
    assert "Only for my team." not in form
    assert "Somewhere else." not in form
    assert "Taken back." not in form
    for story in (team_only, elsewhere, withdrawn):
        answer = client.post(
            reverse("exchange:case_edit", args=[draft.pk]),
            _edit_data(draft, title="", quoted_stories=[story.pk]),
        )
        assert answer.status_code == 200
        errors = answer.context["form"].errors
        assert set(errors) == {"title", "quoted_stories"}  # every error at once

        refused = as_user(social_worker).patch(
            reverse("api:case-detail", args=[draft.pk]), {"quoted_stories": [story.pk]}, format="json"
        )
        assert refused.status_code == 400
        assert "quoted_stories" in refused.json()
    assert not draft.quoted_stories.exists()
    assert (
        as_user(social_worker)
        .patch(reverse("api:case-detail", args=[draft.pk]), {"quoted_stories": ["x"]}, format="json")
        .status_code
        == 400
    )


def test_only_the_case_editors_choose_quotes(draft, social_worker, other_social_worker, coordinator, as_user):
    story = _story(draft.project)
    url = reverse("api:case-detail", args=[draft.pk])
    assert (
        as_user(other_social_worker).patch(url, {"quoted_stories": [story.pk]}, format="json").status_code
        == 404
    )
    assert as_user(coordinator).patch(url, {"quoted_stories": [story.pk]}, format="json").status_code == 403
    assert not draft.quoted_stories.exists()
    answer = as_user(social_worker).patch(url, {"quoted_stories": [story.pk]}, format="json")
    assert answer.status_code == 200
    assert [row["id"] for row in answer.json()["quoted_stories"]] == [story.pk]


def test_the_privacy_check_lists_personal_data_in_a_quoted_story(draft, social_worker, coordinator, client):
    web = client
    story = _story(draft.project, what_changed="Call Maria Berg on 0701 234 567 if you want.")
    services.case_update(case=draft, by=social_worker, quoted_stories=[story])
    case = services.case_submit(case=draft, by=social_worker)
    # the case's own texts' findings confirmed: only the story's remain
    own = [f.key for f in case_findings(case)]
    with pytest.raises(services.CaseHasFindings) as refused:
        services.case_publish(case=case, by=coordinator, confirmed=own)
    found = {(f.field, f.kind, f.text) for f in refused.value.findings}
    assert found == {("quoted_story", "name", "Maria Berg"), ("quoted_story", "phone", "0701 234 567")}
    assert refused.value.findings[0].as_dict()["message"].startswith("Quoted story of change:")
    web.force_login(coordinator)
    page = web.get(reverse("exchange:case_publish", args=[case.pk])).content.decode()
    assert "Maria Berg" in page
    assert "Quoted story of change" in page
    client_view = services.case_publish(
        case=case, by=coordinator, confirmed=[f.key for f in refused.value.findings]
    )
    assert client_view.status == Case.Status.PUBLISHED


@pytest.mark.parametrize("count", [1, 3])
def test_the_case_page_and_api_detail_run_a_fixed_number_of_queries(
    count, draft, social_worker, coordinator, other_social_worker, client, as_user, django_assert_num_queries
):
    quoted = [_story(draft.project, nickname=f"N{i}") for i in range(count)]
    services.case_update(case=draft, by=social_worker, quoted_stories=quoted)
    case = _publish(draft, social_worker, coordinator)
    api = as_user(other_social_worker)
    url = reverse("api:case-detail", args=[case.pk])
    api.get(url)  # the session warmed
    with django_assert_num_queries(8):
        answer = api.get(url)
    assert len(answer.json()["quoted_stories"]) == count
    client.force_login(other_social_worker)
    page_url = reverse("exchange:case", args=[case.pk])
    client.get(page_url)
    with django_assert_num_queries(9):
        page = client.get(page_url)
    assert page.content.decode().count("<blockquote") == count


@pytest.mark.slow(5)
def test_a_handbook_made_after_the_withdrawal_no_longer_prints_the_story(
    draft, social_worker, coordinator, make_report
):
    """The one PDF: printed while quotable, and the data of a handbook made after the withdrawal
    holds it no more (the selector the renderer reads, no second PDF)."""
    story = _story(draft.project, nickname="Birdie", what_changed="I sell my bread at the market now.")
    services.case_update(case=draft, by=social_worker, quoted_stories=[story])
    _publish(draft, social_worker, coordinator)
    job = make_report(social_worker, "handbook", {})
    assert job.status == ReportJob.Status.SUCCEEDED, job.error
    text = " ".join(pdf_text(job).split())
    assert "I sell my bread at the market now." in text
    assert "Birdie" in text
    stories.story_withdraw(story=story, receipt_code=RECEIPT)
    assert handbook_cases()[0].quotes == []
