"""Rounds, applications, assignment, reviews, decisions and start-ups, through the services."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from accelerator import selectors, services
from accelerator.eligibility import eligibility_by_project
from accelerator.models import (
    Application,
    Decision,
    DecisionRecord,
    ImmutableError,
    MonthlyFigure,
    ReviewAssignment,
    Round,
    StartUp,
)
from microprojects.models import MicroProject
from sempre.models import Membership
from tests.factories import MembershipFactory, MicroProjectFactory, OrganisationFactory, UserFactory
from toolkit import services as toolkit

from .factories import CriterionFactory, RoundFactory, ready_project, reviewer_from

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(db):
    round = RoundFactory()
    CriterionFactory(round=round, name="Impact", weight=3)
    CriterionFactory(round=round, name="Money", weight=1)
    return round


# Rounds -----------------------------------------------------------------------------------------


def test_round_create_defaults_to_eight_places(coordinator):
    now = timezone.now()
    round = services.round_create(
        by=coordinator,
        title="R",
        opens_at=now,
        closes_at=now + dt.timedelta(days=1),
        review_deadline=now + dt.timedelta(days=2),
    )
    assert (round.places, round.status) == (8, Round.Status.DRAFT)
    assert round.tie_break == ["median", "top_criterion", "lower_spread", "earlier_submission"]


def test_round_create_refused_for_social_worker(social_worker):
    now = timezone.now()
    with pytest.raises(PermissionDenied):
        services.round_create(
            by=social_worker,
            title="R",
            opens_at=now,
            closes_at=now + dt.timedelta(days=1),
            review_deadline=now + dt.timedelta(days=2),
        )
    assert not Round.objects.exists()


def test_round_create_rejects_bad_quota_and_tie_break(coordinator):
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.round_create(
            by=coordinator,
            title="R",
            opens_at=now,
            closes_at=now + dt.timedelta(days=1),
            review_deadline=now + dt.timedelta(days=2),
            quotas=[{"attribute": "colour", "max": 1}],
            tie_break=["luck"],
        )
    assert set(error.value.message_dict) == {"quotas", "tie_break"}


def test_round_create_reports_every_error_at_once(coordinator):
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.round_create(
            by=coordinator,
            title="",
            opens_at=now,
            closes_at=now - dt.timedelta(days=1),
            review_deadline=now + dt.timedelta(days=2),
            places=0,
            quotas=[{"attribute": "setting", "value": "suburban", "max": 1}],
            tie_break=["median", "median"],
        )
    assert set(error.value.message_dict) == {"title", "closes_at", "places", "quotas", "tie_break"}
    assert not Round.objects.exists()


def test_round_transitions_only_forward_and_need_criteria(coordinator):
    round = RoundFactory(status=Round.Status.DRAFT)
    with pytest.raises(ValidationError, match="criterion"):
        services.round_transition(round=round, by=coordinator, status="open")
    CriterionFactory(round=round)
    assert services.round_transition(round=round, by=coordinator, status="open").status == "open"
    assert services.round_transition(round=round, by=coordinator, status="open").status == "open"  # no-op
    with pytest.raises(ValidationError):
        services.round_transition(round=round, by=coordinator, status="decided")


def test_tie_break_cannot_change_once_open(coordinator, round_):
    with pytest.raises(ValidationError) as error:
        services.round_update(round=round_, by=coordinator, tie_break=["lower_spread"])
    assert "tie_break" in error.value.message_dict


# Eligibility and applications ---------------------------------------------------------------------


def test_eligibility_explains_each_missing_piece(social_worker, organisation):
    project = MicroProjectFactory(organisation=organisation, status=MicroProject.Status.DRAFT)
    result = eligibility_by_project([project])[project.pk]
    assert not result.eligible
    assert len(result.reasons) == 3
    assert "draft" in result.reasons[0]


def test_the_eligibility_check_quotes_what_the_board_shows(social_worker):
    """An edit keeps the status a person chose; the check says what the board shows, in its words
    (issue #16): a filled draft, or a complete canvas whose blocks became empty."""
    project = ready_project(social_worker)
    sbmc = project.tools.get(template__slug="sbmc")
    toolkit.entry_add(instance=sbmc, block_key="revenue", text="Catering orders", by=social_worker)
    assert eligibility_by_project([project])[project.pk].eligible  # an edit does not downgrade it
    sbmc.refresh_from_db()
    toolkit.tool_update(instance=sbmc, by=social_worker, status="draft")
    reasons = eligibility_by_project([project])[project.pk].reasons
    assert "All 13 blocks are filled, but the canvas is still a draft" in " ".join(reasons)
    for entry in sbmc.entries.filter(block_key__in=["revenue", "surplus"]):
        toolkit.entry_delete(entry=entry, by=social_worker)
    reasons = eligibility_by_project([project])[project.pk].reasons
    assert "2 of its 13 blocks are still empty. Still empty: Surplus, Revenue" in reasons


def test_a_complete_canvas_with_an_emptied_block_is_not_eligible_and_says_so(social_worker):
    project = ready_project(social_worker)
    sbmc = project.tools.get(template__slug="sbmc")
    for entry in sbmc.entries.filter(block_key="revenue"):
        toolkit.entry_delete(entry=entry, by=social_worker)
    result = eligibility_by_project([project])[project.pk]
    assert not result.eligible
    assert "Marked complete, but 1 of its 13 blocks is empty now: Revenue." in result.reasons


def test_ready_project_is_eligible(social_worker):
    project = ready_project(social_worker)
    assert eligibility_by_project([project])[project.pk].eligible


def test_submit_freezes_snapshots(social_worker, round_):
    project = ready_project(social_worker)
    application = services.application_submit(round=round_, project=project, by=social_worker)
    assert application.sbmc_snapshot.instance.template.slug == "sbmc"
    assert application.toc_snapshot.data["outcomes"]
    again = services.application_submit(round=round_, project=project, by=social_worker)
    assert again.pk == application.pk


def test_submit_after_deadline_is_a_clear_error(social_worker, round_):
    project = ready_project(social_worker)
    with pytest.raises(ValidationError) as error:
        services.application_submit(
            round=round_, project=project, by=social_worker, now=round_.closes_at + dt.timedelta(minutes=1)
        )
    assert "deadline has passed" in error.value.message_dict["round"][0]
    assert not Application.objects.exists()


def test_submit_to_a_draft_round_is_refused(social_worker):
    round = RoundFactory(status=Round.Status.DRAFT)
    with pytest.raises(ValidationError, match="not open"):
        services.application_submit(round=round, project=ready_project(social_worker), by=social_worker)


def test_submit_after_the_round_moved_on_still_names_the_deadline(social_worker, round_):
    Round.objects.filter(pk=round_.pk).update(
        status=Round.Status.REVIEWING, closes_at=round_.opens_at + dt.timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="deadline has passed"):
        services.application_submit(round=round_, project=ready_project(social_worker), by=social_worker)


def test_submit_refused_for_other_organisation(social_worker, other_social_worker, round_):
    project = ready_project(social_worker)
    with pytest.raises(PermissionDenied):
        services.application_submit(round=round_, project=project, by=other_social_worker)


def test_submit_ineligible_project_names_the_reasons(social_worker, organisation, round_):
    project = MicroProjectFactory(organisation=organisation)
    with pytest.raises(ValidationError) as error:
        services.application_submit(round=round_, project=project, by=social_worker)
    assert any("Canvas" in m for m in error.value.message_dict["project"])


def test_submit_requires_answers(social_worker, round_):
    round_.questions = ["Who benefits?"]
    round_.save()
    project = ready_project(social_worker)
    with pytest.raises(ValidationError, match="Who benefits"):
        services.application_submit(round=round_, project=project, by=social_worker, answers={})


def test_selected_project_is_no_longer_eligible(social_worker, round_):
    project = ready_project(social_worker)
    application = services.application_submit(round=round_, project=project, by=social_worker)
    Application.objects.filter(pk=application.pk).update(status=Application.Status.SELECTED)
    assert not eligibility_by_project([project])[project.pk].eligible


# Assignment -------------------------------------------------------------------------------------


def applications_in(round, countries):
    apps = []
    for country in countries:
        org = OrganisationFactory(country=country)
        worker = MembershipFactory(organisation=org).user
        project = ready_project(worker, organisation=org)
        apps.append(services.application_submit(round=round, project=project, by=worker))
    return apps


def test_auto_assign_k_reviewers_balanced_and_foreign_first(coordinator, round_):
    apps = applications_in(round_, ["SE", "SE", "LV", "DK"])
    reviewers = [reviewer_from(c) for c in ("SE", "LV", "DK", "FI")]
    created = services.assignments_auto(round=round_, by=coordinator)
    assert len(created) == 8
    for app in apps:
        assigned = list(app.assignments.all())
        assert len(assigned) == 2
        assert not any(a.same_country for a in assigned)
    loads = [ReviewAssignment.objects.filter(reviewer=r).count() for r in reviewers]
    assert loads == [2, 2, 2, 2]
    assert services.assignments_auto(round=round_, by=coordinator) == []  # idempotent


def test_auto_assign_never_uses_the_applicants_organisation(coordinator, round_):
    (app,) = applications_in(round_, ["SE"])
    insider = reviewer_from("FI")
    MembershipFactory(user=insider, organisation=app.project.organisation)
    outsider = reviewer_from("DK")
    services.assignments_auto(round=round_, by=coordinator, per_application=2)
    assert list(app.assignments.values_list("reviewer_id", flat=True)) == [outsider.pk]


def test_auto_assign_flags_same_country_when_unavoidable(coordinator, round_):
    (app,) = applications_in(round_, ["SE"])
    reviewer_from("SE")
    foreign = reviewer_from("LV")
    services.assignments_auto(round=round_, by=coordinator)
    rows = {a.reviewer_id: a.same_country for a in app.assignments.all()}
    assert rows[foreign.pk] is False
    assert sorted(rows.values()) == [False, True]


def test_auto_assign_gives_every_application_a_foreign_reviewer_even_above_fair_share(coordinator, round_):
    apps = applications_in(round_, ["SE", "SE", "SE"])
    foreign = reviewer_from("LV")
    reviewer_from("SE")
    reviewer_from("SE")
    services.assignments_auto(round=round_, by=coordinator)
    for app in apps:
        assert foreign.pk in set(app.assignments.values_list("reviewer_id", flat=True))
        assert app.assignments.filter(same_country=True).count() == 1


def test_manual_assignment_refuses_own_organisation_reviewer(coordinator, round_):
    (app,) = applications_in(round_, ["SE"])
    insider = reviewer_from("SE")
    MembershipFactory(user=insider, organisation=app.project.organisation)
    with pytest.raises(ValidationError, match="works for"):
        services.assignment_create(application=app, reviewer=insider, by=coordinator)


def test_conflict_withdraws_and_auto_assign_replaces(coordinator, round_):
    (app,) = applications_in(round_, ["SE"])
    first, second, third = (reviewer_from(c) for c in ("LV", "DK", "FI"))
    services.assignments_auto(round=round_, by=coordinator)
    assignment = app.assignments.get(reviewer=first)
    services.assignment_declare_conflict(assignment=assignment, by=first, reason="I advised them")
    assignment.refresh_from_db()
    assert assignment.status == ReviewAssignment.Status.CONFLICT
    services.assignments_auto(round=round_, by=coordinator)
    active = set(app.assignments.filter(status="active").values_list("reviewer_id", flat=True))
    assert active == {second.pk, third.pk}


def test_conflict_only_by_the_assigned_reviewer(coordinator, round_):
    (app,) = applications_in(round_, ["SE"])
    mine, other = reviewer_from("LV"), reviewer_from("DK")
    assignment = services.assignment_create(application=app, reviewer=mine, by=coordinator)
    with pytest.raises(PermissionDenied):
        services.assignment_declare_conflict(assignment=assignment, by=other, reason="x")


# Reviews ----------------------------------------------------------------------------------------


@pytest.fixture
def reviewing(coordinator, round_):
    (app,) = applications_in(round_, ["SE"])
    a, b = reviewer_from("LV", "rev_a"), reviewer_from("DK", "rev_b")
    services.assignments_auto(round=round_, by=coordinator)
    services.round_transition(round=round_, by=coordinator, status="reviewing", confirm=True)
    return app, app.assignments.get(reviewer=a), app.assignments.get(reviewer=b)


def scores_for(round, values):
    return dict(zip(round.criteria.order_by("order").values_list("pk", flat=True), values, strict=True))


def test_review_submit_requires_every_score(reviewing, round_):
    _app, mine, _other = reviewing
    with pytest.raises(ValidationError) as error:
        services.review_save(
            assignment=mine,
            by=mine.reviewer,
            scores=scores_for(round_, [4, None]),
            recommendation="yes",
            submit=True,
        )
    assert "Money" in error.value.message_dict["scores"][0]


def test_review_score_outside_scale_is_refused(reviewing, round_):
    _app, mine, _other = reviewing
    with pytest.raises(ValidationError, match="0 to 5"):
        services.review_save(assignment=mine, by=mine.reviewer, scores=scores_for(round_, [9, 1]))


def test_other_scores_hidden_until_own_review_submitted(reviewing, round_):
    _app, mine, other = reviewing
    services.review_save(
        assignment=other,
        by=other.reviewer,
        scores=scores_for(round_, [5, 5]),
        recommendation="yes",
        submit=True,
    )
    services.review_save(assignment=mine, by=mine.reviewer, scores=scores_for(round_, [2, 2]))  # draft
    assert selectors.other_reviews_visible_to(mine.reviewer, mine) == []
    services.review_save(
        assignment=mine, by=mine.reviewer, scores=scores_for(round_, [2, 2]), recommendation="no", submit=True
    )
    assert [r.assignment_id for r in selectors.other_reviews_visible_to(mine.reviewer, mine)] == [other.pk]


def test_submitted_review_is_locked(reviewing, round_):
    _app, mine, _other = reviewing
    services.review_save(
        assignment=mine, by=mine.reviewer, scores=scores_for(round_, [2, 2]), recommendation="no", submit=True
    )
    with pytest.raises(ValidationError, match="submitted"):
        services.review_save(assignment=mine, by=mine.reviewer, scores=scores_for(round_, [5, 5]))
    assert sorted(mine.review.scores.values_list("value", flat=True)) == [2, 2]


def test_review_locked_after_deadline(reviewing, round_):
    _app, mine, _other = reviewing
    with pytest.raises(ValidationError, match="deadline"):
        services.review_save(
            assignment=mine,
            by=mine.reviewer,
            scores=scores_for(round_, [2, 2]),
            now=round_.review_deadline + dt.timedelta(seconds=1),
        )


def test_review_by_someone_else_is_refused(reviewing, round_):
    _app, mine, other = reviewing
    with pytest.raises(PermissionDenied):
        services.review_save(assignment=mine, by=other.reviewer, scores=scores_for(round_, [2, 2]))


# Decisions --------------------------------------------------------------------------------------


@pytest.fixture
def deciding(coordinator, round_):
    round_.quotas = [{"attribute": "country", "max": 1}]
    round_.save()
    apps = applications_in(round_, ["SE", "SE", "LV"])
    reviewer_from("DK")
    reviewer_from("FI")
    services.assignments_auto(round=round_, by=coordinator)
    services.round_transition(round=round_, by=coordinator, status="reviewing", confirm=True)
    for app, values in zip(apps, ([5, 5], [4, 4], [3, 3]), strict=True):
        for assignment in app.assignments.all():
            services.review_save(
                assignment=assignment,
                by=assignment.reviewer,
                scores=scores_for(round_, values),
                recommendation="yes",
                comment=f"Comment on {app.project.title}",
                submit=True,
            )
    services.round_transition(round=round_, by=coordinator, status="deciding", confirm=True)
    return apps


def test_breaking_a_quota_needs_a_reason(coordinator, deciding):
    first, second, _third = deciding
    services.decision_record(application=first, by=coordinator, outcome="selected", rationale="Strong")
    with pytest.raises(ValidationError) as error:
        services.decision_record(
            application=second, by=coordinator, outcome="selected", rationale="Also strong"
        )
    assert "quota_override_reason" in error.value.message_dict
    decision = services.decision_record(
        application=second,
        by=coordinator,
        outcome="selected",
        rationale="Also strong",
        quota_override_reason="Two very different target groups",
    )
    assert decision.quota_override_reason


def test_close_needs_every_decision(coordinator, deciding, round_):
    services.decision_record(application=deciding[0], by=coordinator, outcome="selected", rationale="Strong")
    with pytest.raises(ValidationError, match="every application"):
        services.round_close_decision(round=round_, by=coordinator)


def test_close_freezes_record_creates_startups_and_mails_feedback(
    coordinator, deciding, round_, django_capture_on_commit_callbacks
):
    first, second, third = deciding
    services.decision_record(application=first, by=coordinator, outcome="selected", rationale="Strong")
    services.decision_record(application=second, by=coordinator, outcome="reserve", rationale="Quota")
    services.decision_record(application=third, by=coordinator, outcome="selected", rationale="Good")
    with django_capture_on_commit_callbacks(execute=True):
        record = services.round_close_decision(round=round_, by=coordinator)
    round_.refresh_from_db()
    assert round_.status == Round.Status.DECIDED
    assert len(record.inputs_sha256) == 64
    assert record.payload["inputs"]["settings"]["places"] == 2
    assert [d["outcome"] for d in record.payload["decisions"]] == ["selected", "reserve", "selected"]
    assert len(record.payload["ranking"]) == 3
    assert StartUp.objects.count() == 2
    assert Application.objects.get(pk=second.pk).status == "reserve"
    assert len(mail.outbox) == 3
    body = mail.outbox[0].body
    assert "Impact" in body
    assert "rev_" not in body
    for reviewer_name in ("rev_a", "rev_b"):
        assert all(reviewer_name not in m.body for m in mail.outbox)
    with pytest.raises(ImmutableError):
        record.save()
    with pytest.raises(ImmutableError):
        record.delete()
    assert services.round_close_decision(round=round_, by=coordinator).pk == record.pk
    services.applicants_notify(round=round_)
    assert len(mail.outbox) == 3  # each applicant mailed once


def test_the_decision_email_tells_outcome_rationale_means_and_comments(coordinator, deciding, round_):
    first = deciding[0]
    services.decision_record(application=first, by=coordinator, outcome="selected", rationale="Strong")
    application = Application.objects.select_related("decision", "round", "project").get(pk=first.pk)
    title = first.project.title
    subject, body = services.decision_email(application)
    assert subject == f"{round_.title}: decision on {title}"
    assert body.splitlines() == [
        "Dear applicant,",
        "",
        f"The accelerator round “{round_.title}” has been decided. Your project “{title}”: Selected.",
        "",
        "Rationale: Strong",
        "",
        "Feedback per criterion (mean of the reviewers' scores):",
        "- Impact: 5.0 (0-5)",
        "- Money: 5.0 (0-5)",
        "",
        "Reviewers' comments:",
        f"- Comment on {title}",
        f"- Comment on {title}",
    ]


def test_the_decision_email_is_written_in_the_active_language(coordinator, deciding):
    services.decision_record(application=deciding[0], by=coordinator, outcome="selected", rationale="Strong")
    application = Application.objects.select_related("decision", "round", "project").get(pk=deciding[0].pk)
    with translation.override("de"):
        subject, body = services.decision_email(application)
    assert "Entscheidung über" in subject
    assert body.startswith("Liebe Bewerberin, lieber Bewerber,")
    assert "Begründung: Strong" in body


def test_record_inputs_follow_the_scores(coordinator, deciding, round_):
    before = selectors.decision_inputs(round_)
    score = deciding[0].assignments.first().review.scores.first()
    score.value = 0
    score.save()
    assert selectors.decision_inputs(round_)["scores"] != before["scores"]
    assert DecisionRecord.objects.count() == 0


def test_decision_refused_for_non_coordinator(social_worker, deciding):
    with pytest.raises(PermissionDenied):
        services.decision_record(application=deciding[0], by=social_worker, outcome="selected", rationale="x")
    assert not Decision.objects.exists()


# Start-ups --------------------------------------------------------------------------------------


def test_figure_record_upserts_and_updates_stage(coordinator, social_worker, round_):
    project = ready_project(social_worker)
    application = services.application_submit(round=round_, project=project, by=social_worker)
    startup = StartUp.objects.create(application=application, name="Café")
    for month in (1, 2, 3):
        services.figure_record(
            startup=startup, by=social_worker, month=dt.date(2025, month, 15), earned_income=100, costs=90
        )
    services.figure_record(
        startup=startup,
        by=social_worker,
        month=dt.date(2025, 3, 1),
        earned_income=100,
        costs=90,
        replace=True,
    )
    assert startup.figures.count() == 3
    startup.refresh_from_db()
    assert startup.stage == StartUp.Stage.SELF_SUSTAINING


def _startup(worker, round_):
    application = services.application_submit(round=round_, project=ready_project(worker), by=worker)
    return StartUp.objects.create(application=application, name="Café")


def test_a_month_recorded_twice_is_replaced_only_when_confirmed(social_worker, round_):
    startup = _startup(social_worker, round_)
    services.figure_record(startup=startup, by=social_worker, month=dt.date(2025, 3, 1), costs=90)
    with pytest.raises(ValidationError) as refused:
        services.figure_record(startup=startup, by=social_worker, month=dt.date(2025, 3, 20), costs=50)
    assert [e.code for e in refused.value.error_dict["month"]] == ["already_recorded"]
    assert startup.figures.get().costs == 90
    march = dt.date(2025, 3, 1)
    services.figure_record(startup=startup, by=social_worker, month=march, costs=50, replace=True)
    assert startup.figures.get().costs == 50


def test_figures_for_a_month_not_begun_are_refused_with_every_other_error(social_worker, round_):
    startup = _startup(social_worker, round_)
    next_month = (timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    with pytest.raises(ValidationError) as refused:
        services.figure_record(startup=startup, by=social_worker, month=next_month, costs=-5, customers=-1)
    assert set(refused.value.error_dict) == {"month", "costs", "customers"}
    assert [e.code for e in refused.value.error_dict["month"]] == ["future"]
    assert not MonthlyFigure.objects.exists()
    this_month = timezone.localdate()
    assert services.figure_record(startup=startup, by=social_worker, month=this_month, costs=5).pk


def test_figure_record_refused_for_other_organisation(other_social_worker, social_worker, round_):
    project = ready_project(social_worker)
    application = services.application_submit(round=round_, project=project, by=social_worker)
    startup = StartUp.objects.create(application=application, name="Café")
    with pytest.raises(PermissionDenied):
        services.figure_record(startup=startup, by=other_social_worker, month=dt.date(2025, 1, 1), costs=1)
    assert not MonthlyFigure.objects.exists()


def test_membership_role_is_irrelevant_for_applying(org_admin, round_):
    project = ready_project(org_admin)
    assert services.application_submit(round=round_, project=project, by=org_admin).pk
    assert Membership.objects.filter(user=org_admin).exists()
    assert UserFactory  # factories importable for other tests
