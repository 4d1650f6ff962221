"""The ranking as pages and the API show it (selectors.round_ranking): computed once per version of
the round, the same as a fresh round_rank, and never stale after a change a service makes."""

from dataclasses import asdict, replace

import pytest
from django.core.cache import cache

from accelerator import selectors, services
from accelerator.models import Round
from accelerator.ranking import round_rank
from microprojects.models import MicroProject
from tests.factories import MembershipFactory, OrganisationFactory

from .factories import CriterionFactory, RoundFactory, ready_project, reviewer_from

pytestmark = pytest.mark.django_db


def submit(round, country):
    worker = MembershipFactory(organisation=OrganisationFactory(country=country)).user
    return services.application_submit(round=round, project=ready_project(worker), by=worker)


def review(application, value, *, submit=True):
    criteria = list(application.round.criteria.values_list("pk", flat=True))
    for assignment in application.assignments.all():
        services.review_save(
            assignment=assignment,
            by=assignment.reviewer,
            scores=dict.fromkeys(criteria, value),
            recommendation="yes",
            submit=submit,
        )


@pytest.fixture
def round_(coordinator):
    """Three applications; the first two reviewed, the third not yet."""
    round = RoundFactory(blind_review=True, places=1)
    CriterionFactory(round=round, name="Impact", weight=3)
    CriterionFactory(round=round, name="Money", weight=1)
    applications = [submit(round, country) for country in ("SE", "LV", "DK")]
    for country in ("FI", "PL"):
        reviewer_from(country)
    services.assignments_auto(round=round, by=coordinator)
    services.round_transition(round=round, by=coordinator, status="reviewing", confirm=True)
    review(applications[0], 3)
    review(applications[1], 4)
    return Round.objects.get(pk=round.pk)


def current(round):
    return Round.objects.get(pk=round.pk)  # as a request loads it


def test_the_cached_ranking_is_the_fresh_one_and_reads_only_the_titles(round_, django_assert_num_queries):
    first = selectors.round_ranking(round=round_, draws=200, seed=3)

    with django_assert_num_queries(1):  # the titles
        again = selectors.round_ranking(round=round_, draws=200, seed=3)
        rows = list(again.rows)

    fresh = round_rank(round=round_, draws=200, seed=3)
    assert asdict(replace(again, rows=rows)) == asdict(first) == asdict(fresh)


def test_a_page_reads_only_its_rows_and_survives_an_eviction(round_, monkeypatch):
    monkeypatch.setattr(selectors, "RANKING_CHUNK", 1)
    fresh = round_rank(round=round_, draws=0)
    selectors.round_ranking(round=round_, draws=0)
    cached = selectors.round_ranking(round=round_, draws=0).rows

    assert (len(cached), cached[1:2], cached[-1]) == (3, fresh.rows[1:2], fresh.rows[-1])
    cache.delete(f"{cached.key}:1")  # one chunk evicted: the ranking is computed again
    assert cached[1:3] == fresh.rows[1:3]
    assert list(selectors.round_ranking(round=round_, draws=0).rows) == fresh.rows


def test_a_submitted_review_counts_at_once(round_):
    before = selectors.round_ranking(round=round_, draws=0)
    last = round_.applications.order_by("-id").first()
    assert next(row for row in before.rows if row.application_id == last.pk).score is None

    review(last, 5)
    after = selectors.round_ranking(round=current(round_), draws=0)

    assert next(row for row in after.rows if row.application_id == last.pk).score is not None
    assert asdict(after) == asdict(round_rank(round=current(round_), draws=0))


def test_a_draft_review_changes_nothing_but_is_safe(round_):
    before = selectors.round_ranking(round=round_, draws=0)

    review(round_.applications.order_by("-id").first(), 5, submit=False)

    assert asdict(selectors.round_ranking(round=current(round_), draws=0)) == asdict(before)


def test_the_round_version_moves_with_what_the_ranking_depends_on(round_, coordinator):
    version = round_.ranking_version
    last = round_.applications.order_by("-id").first()

    review(last, 5, submit=False)  # one save per assignment
    services.round_update(round=current(round_), by=coordinator, description="Round two")

    assert current(round_).ranking_version == version + last.assignments.count() + 1


def test_a_project_renamed_on_its_own_page_shows_its_new_title(round_):
    selectors.round_ranking(round=round_, draws=0)
    application = round_.applications.order_by("id").first()
    MicroProject.objects.filter(pk=application.project_id).update(title="A new name")

    rows = selectors.round_ranking(round=current(round_), draws=0).rows

    assert next(row.title for row in rows if row.application_id == application.pk) == "A new name"


def test_rankings_of_another_round_are_not_mixed_up(round_, coordinator):
    other = RoundFactory(blind_review=True)
    CriterionFactory(round=other, name="Impact", weight=1)

    ranked = selectors.round_ranking(round=other, draws=0)

    assert ranked.rows == []
    assert len(selectors.round_ranking(round=round_, draws=0).rows) == 3


def test_the_ranking_page_shows_one_page_of_rows(round_, coordinator, monkeypatch):
    from django.test import Client

    from accelerator import views

    monkeypatch.setattr(views, "RANKING_PAGE_SIZE", 2)
    client = Client()
    client.force_login(coordinator)
    url = f"/accelerator/rounds/{round_.pk}/ranking/"

    first, second = client.get(url), client.get(url, {"page": 2, "normalise": 0})

    assert len(first.context["page"].object_list) == 2
    assert "Page 1 of 2" in first.content.decode()
    assert [row.application_id for row in second.context["page"].object_list] == [
        selectors.round_ranking(round=current(round_), normalise=False, draws=views.STABILITY_DRAWS)
        .rows[2]
        .application_id
    ]


def test_the_ranking_api_gives_a_page_when_asked(round_, coordinator, as_user):
    client = as_user(coordinator)
    url = f"/api/v1/rounds/{round_.pk}/ranking/"

    whole = client.get(url, {"draws": 0}).json()
    paged = client.get(url, {"draws": 0, "page_size": 2, "page": 2}).json()

    assert (whole["count"], len(whole["rows"])) == (3, 3)
    assert (paged["count"], paged["rows"]) == (3, whole["rows"][2:])
    assert client.get(url, {"page_size": "many"}).status_code == 400
