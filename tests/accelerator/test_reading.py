"""Issue #16, each role reads what it needs (accelerator): the submission as a board, a diagram and
key figures; one order on every page of a round; a provisional ranking while reviews are missing;
moving a round on early or with reviews outstanding asks first. Web and API alike."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from accelerator import services
from accelerator.models import ReviewAssignment, Round
from accelerator.selectors import round_ranking
from accelerator.submission import frozen_toc
from tests.factories import ActivityFactory, MembershipFactory, OrganisationFactory
from toolkit import services as toolkit
from toolkit.models import ToolInstance

from .factories import CriterionFactory, RoundFactory, make_ready, reviewer_from

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(db):
    round = RoundFactory(blind_review=True, reviewers_per_application=2, places=2)
    CriterionFactory(round=round, name="Impact", weight=1)
    return round


def worker(country="SE"):
    return MembershipFactory(organisation=OrganisationFactory(country=country)).user


def submit(round, by=None, activities=0):
    from tests.factories import MicroProjectFactory

    by = by or worker()
    project = MicroProjectFactory(organisation=by.memberships.first().organisation)
    make_ready(project, by)
    for _ in range(activities):
        ActivityFactory(project=project, date=dt.date.today() - dt.timedelta(days=3))
    return services.application_submit(round=round, project=project, by=by)


def review(assignment, value):
    assignment = ReviewAssignment.objects.get(pk=assignment.pk)  # the round as it is now
    criterion = assignment.application.round.criteria.get()
    return services.review_save(
        assignment=assignment,
        by=assignment.reviewer,
        scores={criterion.pk: value},
        recommendation="yes",
        submit=True,
    )


# 1. The submission as the reviewer reads it ----------------------------------------------------


def test_reviewer_reads_a_board_a_diagram_and_the_figures_as_submitted(client, coordinator, round_):
    by = worker()
    application = submit(round_, by=by, activities=2)
    sbmc = ToolInstance.objects.get(project=application.project, template__slug="sbmc")
    toolkit.entry_add(
        instance=sbmc,
        block_key="key_resources",
        text="A kitchen",
        by=by,
        source="client",
        client_label="Anna K.",
    )  # after submission: not in the frozen copy
    ActivityFactory(project=application.project, participants_total=500)  # after submission too
    reviewer = reviewer_from("DK")
    assignment = services.assignment_create(application=application, reviewer=reviewer, by=coordinator)
    client.force_login(reviewer)
    page = client.get(reverse("accelerator:review", args=[assignment.pk]), HTTP_ACCEPT_LANGUAGE="de").content
    page = page.decode()
    # The board: the block's label and guiding question in the reviewer's language, not its key.
    assert "Schlüsselressourcen" in page
    assert "Welche Ressourcen (Menschen, Fähigkeiten, Räume, Geld, Netzwerke)" in page
    assert ">key_resources<" not in page
    assert ">beneficiary_segments<" not in page
    assert "About key_resources" in page
    assert "A kitchen" not in page
    assert "Anna K." not in page
    # The diagram of the frozen Theory of Change, with the validation's result.
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="toc-diagram"' in page
    assert "People live well" in page
    assert "long_term:" not in page
    # The key figures at submission: 2 activities of 10 participants, not the 500 added later.
    figures = application.figures
    assert figures["activities"] == 2
    assert figures["participants"]["participants_total"] == 20
    assert figures["participants"]["women"] == 12
    assert figures["indicators"][0]["name"] == "Participants"
    assert re.search(r"<dd>\s*20\s*</dd>", page)
    assert not re.search(r">\s*520\s*<", page)  # not "520" anywhere: a CSRF token may hold it
    # Nothing that names people: the organisation and who submitted stay hidden (blind review).
    assert application.project.organisation.name not in page
    assert str(by) not in page


def test_frozen_theory_of_change_shows_the_validation_findings(round_):
    application = submit(round_)
    snapshot = application.toc_snapshot
    translation.activate("en")
    assert frozen_toc(snapshot, snapshot.instance.template)["findings"] == []
    snapshot.data = {**snapshot.data, "links": []}  # the early outcome no longer leads to the impact
    findings = frozen_toc(snapshot, snapshot.instance.template)["findings"]
    assert any("does not lead to the impact" in f for f in findings), findings


def test_applicants_are_warned_not_to_name_anyone_when_review_is_blind(client, round_):
    by = worker()
    from tests.factories import MicroProjectFactory

    project = make_ready(MicroProjectFactory(organisation=by.memberships.first().organisation), by)
    client.force_login(by)
    url = reverse("accelerator:apply", args=[round_.pk, project.pk])
    assert "Do not name anyone" in client.get(url).content.decode()
    Round.objects.filter(pk=round_.pk).update(blind_review=False)
    assert "Do not name anyone" not in client.get(url).content.decode()


def test_the_api_gives_the_figures_frozen_at_submission(as_user, coordinator, round_):
    application = submit(round_, activities=1)
    data = as_user(coordinator).get(f"/api/v1/applications/{application.pk}/").json()
    assert data["figures"]["activities"] == 1
    assert data["figures"]["participants"]["participants_total"] == 10


@pytest.mark.parametrize("item_count", [1, 3])
def test_review_and_application_pages_queries(
    client, coordinator, round_, django_assert_num_queries, item_count
):
    application = submit(round_, activities=item_count)
    for n in range(item_count):  # more entries and outcomes in the frozen tools
        sbmc = ToolInstance.objects.get(project=application.project, template__slug="sbmc")
        toolkit.entry_add(
            instance=sbmc, block_key="key_resources", text=f"More {n}", by=application.submitted_by
        )
    application = services.application_submit(
        round=round_, project=application.project, by=application.submitted_by
    )
    reviewer = reviewer_from("DK")
    assignment = services.assignment_create(application=application, reviewer=reviewer, by=coordinator)
    client.force_login(reviewer)
    # user, assignment (+ application, snapshots), criteria, review scores, others, templates, blocks, menu
    with django_assert_num_queries(7):
        assert client.get(reverse("accelerator:review", args=[assignment.pk])).status_code == 200
    client.force_login(coordinator)
    with django_assert_num_queries(7):
        assert client.get(reverse("accelerator:application", args=[application.pk])).status_code == 200


# 2. One order everywhere -----------------------------------------------------------------------


@pytest.fixture
def lenient_round(coordinator):
    """Raw means order the applications A, B, C, D; adjusted for reviewer leniency A, C, B, D
    (the lenient reviewer scored B, the strict one C)."""
    round = RoundFactory(reviewers_per_application=1, places=2)
    CriterionFactory(round=round, name="Impact", weight=1)
    apps = [submit(round) for _ in range(4)]
    for app, title in zip(apps, "ABCD", strict=True):
        app.project.title = f"Project {title}"
        app.project.save()
    lenient, strict, middle = reviewer_from("DK"), reviewer_from("FI"), reviewer_from("PL")
    plan = [(0, lenient, 5), (1, lenient, 4), (2, strict, 4), (3, strict, 1), (0, middle, 4), (2, middle, 4)]
    assignments = [
        (services.assignment_create(application=apps[index], reviewer=reviewer, by=coordinator), value)
        for index, reviewer, value in plan
    ]
    services.round_transition(round=round, by=coordinator, status="reviewing", confirm=True)
    for assignment, value in assignments:
        review(assignment, value)
    services.round_transition(round=round, by=coordinator, status="deciding")
    return round


def titles_in(page: str) -> list[str]:
    return re.findall(r"Project [ABCD]", page)


def test_ranking_portfolio_and_decision_page_share_one_order(client, coordinator, lenient_round):
    round = Round.objects.get(pk=lenient_round.pk)
    raw = [row.title for row in round_ranking(round=round, normalise=False, draws=0).rows]
    assert raw == ["Project A", "Project B", "Project C", "Project D"]  # the data makes the orders differ
    client.force_login(coordinator)
    ranking = client.get(reverse("accelerator:ranking", args=[round.pk])).content.decode()
    decision = client.get(reverse("accelerator:decision", args=[round.pk])).content.decode()
    order = ["Project A", "Project C", "Project B", "Project D"]
    assert titles_in(ranking) == order
    assert "Ordered by the adjusted mean" in ranking
    assert "Ordered by the adjusted mean" in decision
    # The decision page: the portfolio's two lists (top 2), then every decision in the same order.
    assert titles_in(decision) == order[:2] + order[:2] + order
    assert "1. Project A" in decision
    assert "2. Project C" in decision
    portfolio = client.get(f"/api/v1/rounds/{round.pk}/portfolio/").json()
    assert [item["title"] for item in portfolio["selected_items"]] == order[:2]
    assert portfolio["order"] == "adjusted_mean"


@pytest.mark.parametrize("item_count", [1, 3])
def test_ranking_and_decision_pages_queries(client, coordinator, django_assert_num_queries, item_count):
    round = RoundFactory(reviewers_per_application=1, places=1)
    CriterionFactory(round=round, weight=1)
    assignments = [
        services.assignment_create(application=submit(round), reviewer=reviewer_from("DK"), by=coordinator)
        for _ in range(item_count)
    ]
    services.round_transition(round=round, by=coordinator, status="reviewing", confirm=True)
    for assignment in assignments:
        review(assignment, 3)
    services.round_transition(round=round, by=coordinator, status="deciding")
    client.force_login(coordinator)
    # user, round, criteria, applications, scores, reviews expected, titles (cached rows), criteria, menu
    with django_assert_num_queries(8):
        assert client.get(reverse("accelerator:ranking", args=[round.pk])).status_code == 200
    # user, round, the draws=0 ranking (criteria, applications, scores, reviews expected), the
    # portfolio reading it from the cache (titles), its applications, applications with decisions, menu
    with django_assert_num_queries(10):
        assert client.get(reverse("accelerator:decision", args=[round.pk])).status_code == 200


# 3. A provisional ranking ------------------------------------------------------------------------


def test_a_ranking_with_missing_reviews_is_provisional_and_never_safe(client, as_user, coordinator, round_):
    application = submit(round_)
    first, second = reviewer_from("DK"), reviewer_from("FI")
    assignment = services.assignment_create(application=application, reviewer=first, by=coordinator)
    services.assignment_create(application=application, reviewer=second, by=coordinator)
    services.round_transition(round=round_, by=coordinator, status="reviewing", confirm=True)
    review(assignment, 5)
    client.force_login(coordinator)
    page = client.get(reverse("accelerator:ranking", args=[round_.pk])).content.decode()
    assert "Provisional:" in page
    assert "1 review is still missing" in page
    assert "1 of 2" in page
    assert ">safe<" not in page
    assert "100 %" not in page
    data = as_user(coordinator).get(f"/api/v1/rounds/{round_.pk}/ranking/?draws=50").json()
    assert data["provisional"] is True
    assert data["missing_reviews"] == 1
    assert data["rows"][0]["label"] == "provisional"
    assert data["rows"][0]["reviews_expected"] == 2
    # The second review comes in: the same cached ranking is not read again (its version moved).
    review(application.assignments.get(reviewer=second), 5)
    page = client.get(reverse("accelerator:ranking", args=[round_.pk])).content.decode()
    assert "Provisional:" not in page
    assert ">safe<" in page


# 4. Moving a round on early or with reviews outstanding ------------------------------------------


def test_moving_to_reviewing_before_the_closing_date_asks_first_on_the_web(client, coordinator, round_):
    client.force_login(coordinator)
    url = reverse("accelerator:round-transition", args=[round_.pk])
    response = client.post(url, {"status": "reviewing"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Applications are open until" in page
    assert 'name="confirm" value="yes"' in page
    assert Round.objects.get(pk=round_.pk).status == "open"
    assert client.post(url, {"status": "reviewing", "confirm": "yes"}).status_code == 302
    assert Round.objects.get(pk=round_.pk).status == "reviewing"


def test_moving_on_time_with_every_review_in_asks_nothing(coordinator, round_):
    application = submit(round_)
    assignments = [
        services.assignment_create(application=application, reviewer=reviewer_from(country), by=coordinator)
        for country in ("DK", "FI")
    ]
    later = round_.closes_at + dt.timedelta(minutes=1)
    assert services.round_transition_warnings(round=round_, status="reviewing", now=later) == []
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    round = Round.objects.get(pk=round_.pk)
    assert services.round_transition(round=round, by=coordinator, status="reviewing").status == "reviewing"
    with pytest.raises(ValidationError):  # no review in yet
        services.round_transition(round=round, by=coordinator, status="deciding")
    for assignment in assignments:
        review(assignment, 3)
    assert services.round_transition(round=round, by=coordinator, status="deciding").status == "deciding"


def test_moving_to_deciding_with_reviews_outstanding_needs_confirm_in_the_api(as_user, coordinator, round_):
    application = submit(round_)
    assignment = services.assignment_create(
        application=application, reviewer=reviewer_from("DK"), by=coordinator
    )
    services.round_transition(round=round_, by=coordinator, status="reviewing", confirm=True)
    review(assignment, 3)
    client = as_user(coordinator)
    url = f"/api/v1/rounds/{round_.pk}/transition/"
    response = client.post(url, {"status": "deciding"}, format="json")
    assert response.status_code == 400
    message = response.json()["confirm"][0]
    assert "1 review is not submitted yet. Applications still waiting for a review: 1." in message
    assert Round.objects.get(pk=round_.pk).status == "reviewing"
    response = client.post(url, {"status": "deciding", "confirm": True}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "deciding"
