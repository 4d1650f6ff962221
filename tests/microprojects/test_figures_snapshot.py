"""The precomputed programme figures (FiguresSnapshot): the same as programme_figures after every
change a service makes, refreshed by the task queued on commit, shown with their time, and only to
people who see the whole programme."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone, translation

from microprojects import services
from microprojects.models import FiguresSnapshot, MicroProject
from microprojects.selectors import programme_figures, programme_figures_snapshot
from tests.factories import ActivityFactory, MicroProjectFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "/"
TODAY = dt.date.today()


@pytest.fixture
def project(organisation):
    project = MicroProjectFactory(organisation=organisation, status=MicroProject.Status.DRAFT)
    ActivityFactory(project=project, date=TODAY, participants_total=10, staff_hours=2)
    services.figures_refresh()  # a snapshot exists, as after the dashboard's first visit
    return project


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def snapshot_totals(coordinator):
    return programme_figures_snapshot(coordinator)["programme_totals"]


def live_totals(coordinator):
    return programme_figures(coordinator)["programme_totals"]


def test_logging_an_activity_counts_it(
    project, social_worker, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_log(
            project=project, by=social_worker, date=TODAY, title="Repair café", participants_total=7
        )

    totals = snapshot_totals(coordinator)
    assert (totals["activities"], totals["participants"]) == (2, 17)
    assert totals == live_totals(coordinator)


def test_changing_an_activity_counts_the_new_figures(
    project, social_worker, coordinator, django_capture_on_commit_callbacks
):
    activity = project.activities.get()

    with django_capture_on_commit_callbacks(execute=True):
        services.activity_update(
            activity=activity, by=social_worker, participants_total=14, women=10, men=4, volunteer_hours=3
        )

    totals = snapshot_totals(coordinator)
    assert (totals["participants"], totals["hours"]) == (14, Decimal(5))
    assert totals == live_totals(coordinator)


def test_deleting_an_activity_takes_it_out(
    project, social_worker, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_delete(activity=project.activities.get(), by=social_worker)

    assert (snapshot_totals(coordinator)["activities"], snapshot_totals(coordinator)["participants"]) == (
        0,
        0,
    )


def test_a_project_becoming_active_counts_as_active(
    project, social_worker, coordinator, django_capture_on_commit_callbacks
):
    assert snapshot_totals(coordinator)["active_projects"] == 0

    with django_capture_on_commit_callbacks(execute=True):
        services.project_transition(project=project, by=social_worker, status=MicroProject.Status.ACTIVE)

    assert snapshot_totals(coordinator)["active_projects"] == 1


def test_a_new_project_and_a_new_country_count(
    project, social_worker, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = services.project_create(by=social_worker, title="Bread for all")
    with django_capture_on_commit_callbacks(execute=True):
        services.project_update(project=created, by=social_worker, country="LV")

    figures = programme_figures_snapshot(coordinator)
    assert figures["programme_totals"]["projects"] == 2
    assert {row["country"] for row in figures["by_country"]} == {project.country.code, "LV"}


def test_the_snapshot_equals_the_live_figures_row_for_row(project, coordinator):
    ActivityFactory(project=MicroProjectFactory(), date=TODAY - dt.timedelta(days=40), volunteer_hours=1)
    snapshot = services.figures_refresh(force=True)

    stored = programme_figures_snapshot(coordinator)
    live = programme_figures(coordinator)
    for key in ("programme_totals", "by_country", "by_target_group"):
        assert stored[key] == live[key], key
    assert stored["figures_as_of"] == snapshot.computed_at
    assert sum(row["activities"] for row in stored["months"]) == 2


def test_labels_follow_the_readers_language(project, coordinator):
    with translation.override("de"):
        labels = [row["label"] for row in programme_figures_snapshot(coordinator)["by_country"]]
    assert labels == ["Schweden"]


def test_a_change_without_a_refresh_shows_the_old_figures_marked_as_being_updated(
    project, social_worker, coordinator, settings
):
    # The refresh is queued after the commit; until the worker has run it the page shows the old figures.
    ActivityFactory(project=project, date=TODAY)
    FiguresSnapshot.objects.update(changed_at=timezone.now() + dt.timedelta(seconds=1))

    figures = programme_figures_snapshot(coordinator)

    assert figures["programme_totals"]["activities"] == 1
    assert figures["figures_updating"] is True


def test_a_refresh_with_nothing_changed_does_nothing(project, django_assert_num_queries):
    with django_assert_num_queries(1):  # the snapshot, found fresh
        snapshot = services.figures_refresh()
    assert not snapshot.is_stale


def test_the_refresh_task_counts_what_changed(project, coordinator):
    from microprojects.tasks import refresh_figures

    ActivityFactory(project=project, date=TODAY, participants_total=5)
    FiguresSnapshot.objects.update(changed_at=timezone.now() + dt.timedelta(seconds=1))
    refresh_figures.delay(FiguresSnapshot.SCOPE_PROGRAMME, force=True)

    assert snapshot_totals(coordinator)["participants"] == 15


def test_nobody_but_who_sees_the_whole_programme_gets_the_snapshot(project, social_worker, org_admin):
    assert programme_figures_snapshot(social_worker) is None
    assert programme_figures_snapshot(org_admin) is None


def test_the_dashboard_says_how_fresh_the_figures_are(project, coordinator):
    computed_at = FiguresSnapshot.objects.get().computed_at

    response = logged_in(coordinator).get(DASHBOARD)

    assert response.context["figures_as_of"] == computed_at
    assert "Figures as of" in response.content.decode()


def test_the_first_visit_computes_the_figures_once(organisation, coordinator):
    ActivityFactory(project=MicroProjectFactory(organisation=organisation), date=TODAY)
    assert not FiguresSnapshot.objects.exists()

    response = logged_in(coordinator).get(DASHBOARD)

    assert response.context["programme_totals"]["activities"] == 1
    assert FiguresSnapshot.objects.get().computed_at is not None


def test_a_forced_refresh_of_unchanged_figures_writes_nothing(project):
    before = FiguresSnapshot.objects.get()

    after = services.figures_refresh(force=True)

    assert after.computed_at == before.computed_at


def test_a_forced_refresh_counts_what_bypassed_the_services(project, coordinator):
    ActivityFactory(project=project, date=TODAY, participants_total=5)  # as a bulk import would

    services.figures_refresh(force=True)

    assert snapshot_totals(coordinator)["participants"] == 15


def test_a_change_queues_one_delayed_refresh_after_the_commit(
    project, social_worker, django_capture_on_commit_callbacks
):
    from unittest import mock

    with mock.patch("microprojects.services.current_app") as app:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.activity_log(project=project, by=social_worker, date=TODAY, title="Walk")
        app.signature.assert_not_called()  # nothing before the commit
        for callback in callbacks:
            callback()

    app.signature.assert_called_once_with(
        services.FIGURES_REFRESH_TASK, args=[FiguresSnapshot.SCOPE_PROGRAMME]
    )
    app.signature.return_value.apply_async.assert_called_once_with(countdown=services.FIGURES_REFRESH_DELAY)
    assert FiguresSnapshot.objects.get().is_stale  # marked changed, the refresh not run yet
