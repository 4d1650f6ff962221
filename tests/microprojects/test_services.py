import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from microprojects import services
from microprojects.models import Activity, Indicator, MicroProject

from ..factories import MicroProjectFactory


@pytest.fixture
def project(organisation):
    return MicroProjectFactory(organisation=organisation, status=MicroProject.Status.DRAFT)


def test_project_create_belongs_to_the_creators_organisation(social_worker, organisation):
    project = services.project_create(by=social_worker, title="Fruit bags")
    assert project.organisation == organisation
    assert project.country == organisation.country
    assert project.status == MicroProject.Status.DRAFT


def test_project_create_refuses_end_before_start(social_worker):
    with pytest.raises(ValidationError) as error:
        services.project_create(
            by=social_worker, title="X", start_date=dt.date(2025, 5, 1), end_date=dt.date(2025, 4, 1)
        )
    assert "end_date" in error.value.message_dict
    assert not MicroProject.objects.exists()


def test_project_create_refuses_another_organisation(social_worker, other_organisation):
    with pytest.raises(ValidationError) as error:
        services.project_create(by=social_worker, organisation=other_organisation, title="X")
    assert "organisation" in error.value.message_dict


def test_project_transition_wrong_move_names_allowed_ones(project, social_worker):
    with pytest.raises(ValidationError) as error:
        services.project_transition(project=project, by=social_worker, status="completed")
    message = error.value.message_dict["status"][0]
    assert "Active" in message
    assert "Discontinued" in message
    project.refresh_from_db()
    assert project.status == MicroProject.Status.DRAFT


def test_project_transition_repeated_is_a_no_op(project, social_worker):
    services.project_transition(project=project, by=social_worker, status="active")
    again = services.project_transition(project=project, by=social_worker, status="active")
    assert again.status == "active"


def test_project_update_by_other_organisation_is_denied(project, other_social_worker):
    with pytest.raises(PermissionDenied):
        services.project_update(project=project, by=other_social_worker, title="Hijacked")
    project.refresh_from_db()
    assert project.title != "Hijacked"


@pytest.mark.parametrize(
    ("counts", "field"),
    [
        ({"participants_total": 10, "women": 5, "men": 4}, "women"),
        ({"participants_total": 10, "age_under_18": 11}, "age_under_18"),
        ({"participants_total": 3, "participants_new": 4}, "participants_new"),
    ],
)
def test_activity_log_breakdown_must_add_up(project, social_worker, counts, field):
    with pytest.raises(ValidationError) as error:
        services.activity_log(
            project=project, by=social_worker, date=dt.date(2025, 1, 1), title="W", **counts
        )
    assert field in error.value.message_dict
    assert not Activity.objects.exists()


def test_activity_log_with_complete_breakdowns(project, social_worker):
    activity = services.activity_log(
        project=project,
        by=social_worker,
        date=dt.date(2025, 1, 1),
        title="Sewing workshop",
        participants_total=10,
        participants_new=3,
        women=7,
        men=3,
        age_18_29=4,
        age_30_54=6,
    )
    assert activity.pk
    assert activity.created_by == social_worker


# Explicit arguments ------------------------------------------------------------------------------


def test_project_create_refuses_an_argument_it_does_not_know(social_worker):
    with pytest.raises(TypeError):
        services.project_create(by=social_worker, title="X", status="active")
    assert not MicroProject.objects.exists()


def test_project_update_leaves_the_fields_not_named_as_they_are(project, social_worker):
    services.project_update(project=project, by=social_worker, title="Fruit bags")

    project.refresh_from_db()
    assert project.title == "Fruit bags"
    assert project.budget_eur == 15000
    assert project.end_date == dt.date(2026, 12, 31)


def test_project_update_with_none_clears_a_field(project, social_worker):
    services.project_update(project=project, by=social_worker, budget_eur=None, end_date=None)

    project.refresh_from_db()
    assert project.budget_eur is None
    assert project.end_date is None


def test_project_create_without_a_country_takes_the_organisations(social_worker, organisation):
    project = services.project_create(by=social_worker, title="Fruit bags", country="")

    assert project.country == organisation.country


def test_activity_update_changes_only_the_fields_named(project, social_worker):
    activity = services.activity_log(
        project=project, by=social_worker, date=dt.date(2025, 1, 1), title="W", participants_total=4, women=4
    )

    services.activity_update(activity=activity, by=social_worker, title="Sewing workshop")

    activity.refresh_from_db()
    assert (activity.title, activity.participants_total, activity.women) == ("Sewing workshop", 4, 4)


def test_indicator_create_reads_the_direction_from_baseline_and_target(project, social_worker):
    indicator = services.indicator_create(
        project=project, by=social_worker, name="Waste", baseline=50, target=10
    )

    assert indicator.direction == Indicator.Direction.DECREASE


def test_indicator_update_by_other_organisation_is_denied(project, social_worker, other_social_worker):
    indicator = services.indicator_create(project=project, by=social_worker, name="Bags sold", target=10)

    with pytest.raises(PermissionDenied):
        services.indicator_update(indicator=indicator, by=other_social_worker, name="Hijacked")
    indicator.refresh_from_db()
    assert indicator.name == "Bags sold"


def _dated_project(project):
    project.start_date, project.end_date = dt.date(2025, 7, 1), dt.date(2027, 12, 31)
    project.save()
    return project


def test_an_activity_outside_the_project_period_or_in_the_future_is_refused(project, social_worker):
    project = _dated_project(project)
    log = {"project": project, "by": social_worker, "title": "Workshop", "participants_total": 5}
    for day, words in (
        (dt.date(1850, 1, 1), "started on"),
        (dt.date.today() + dt.timedelta(days=30), "future"),
    ):
        with pytest.raises(ValidationError) as refused:
            services.activity_log(date=day, **log)
        assert words in refused.value.message_dict["date"][0]
    project.end_date = dt.date(2025, 8, 1)
    project.save()
    with pytest.raises(ValidationError, match="ended on"):
        services.activity_log(date=dt.date(2025, 9, 1), **log)
    assert not Activity.objects.exists()


def test_unusual_figures_are_saved_only_when_confirmed_with_every_other_error(project, social_worker):
    project = _dated_project(project)
    log = {"project": project, "by": social_worker, "title": "Harvest festival"}
    with pytest.raises(ValidationError) as refused:
        services.activity_log(
            date=dt.date(1850, 1, 1),
            participants_total=2000,
            participants_new=3000,
            volunteer_hours=99,
            **log,
        )
    errors = refused.value.error_dict
    assert set(errors) == {"date", "participants_total", "participants_new", "volunteer_hours"}
    assert [e.code for e in errors["participants_total"]] == ["unusual"]
    assert not Activity.objects.exists()
    activity = services.activity_log(date=dt.date(2025, 9, 1), participants_total=2000, confirm=True, **log)
    assert activity.unusual_confirmed
    services.activity_update(activity=activity, by=social_worker, notes="Counted at the gate")
    with pytest.raises(ValidationError) as changed:
        services.activity_update(activity=activity, by=social_worker, participants_total=2500)
    assert [e.code for e in changed.value.error_dict["participants_total"]] == ["unusual"]
    usual = services.activity_log(date=dt.date(2025, 9, 2), participants_total=20, **log)
    assert not usual.unusual_confirmed


# A closed project (issue #18: an entry sent from a phone after the project was completed) --------


def test_closing_a_project_records_the_day_and_making_it_active_again_clears_it(
    project, social_worker, org_admin
):
    services.project_transition(project=project, by=social_worker, status="active")
    assert project.closed_on is None
    services.project_transition(project=project, by=social_worker, status="completed")
    project.refresh_from_db()
    assert project.closed_on == dt.date.today()
    services.project_transition(project=project, by=org_admin, status="active")
    project.refresh_from_db()
    assert project.closed_on is None


@pytest.mark.parametrize(
    ("status", "words"), [("completed", "was completed on"), ("discontinued", "was discontinued on")]
)
def test_nothing_is_logged_in_a_closed_project_dated_after_it_was_closed(
    project, social_worker, organisation, status, words
):
    services.project_transition(project=project, by=social_worker, status="active")
    indicator = services.indicator_create(project=project, by=social_worker, name="Members", unit="people")
    services.project_transition(project=project, by=social_worker, status=status)
    # Closed yesterday at the office; the phone was offline and still offered it today.
    yesterday = dt.date.today() - dt.timedelta(days=1)
    MicroProject.objects.filter(pk=project.pk).update(closed_on=yesterday)
    project.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.activity_log(project=project, by=social_worker, date=dt.date.today(), title="Sewing")
    (message,) = refused.value.message_dict["date"]
    assert words in message
    assert organisation.name in message
    with pytest.raises(ValidationError) as refused:
        services.measurement_record(indicator=indicator, by=social_worker, date=dt.date.today(), value=3)
    assert words in refused.value.message_dict["date"][0]
    assert not Activity.objects.exists()
    assert not indicator.measurements.exists()
    # What happened while the project still ran arrives, however late it is sent.
    services.activity_log(project=project, by=social_worker, date=yesterday, title="Sewing")
    services.measurement_record(indicator=indicator, by=social_worker, date=yesterday, value=3)
    assert Activity.objects.count() == indicator.measurements.count() == 1


def test_projects_closed_before_the_day_was_kept_take_it_from_their_history(project, social_worker):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("microprojects.migrations.0009_project_closed_on")
    services.project_transition(project=project, by=social_worker, status="active")
    services.project_transition(project=project, by=social_worker, status="completed")
    closed = dt.date(2026, 3, 2)
    # Its history moved back in time: opened on 1 March, completed on 2 March.
    project.history.exclude(status="completed").update(history_date=dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC))
    project.history.filter(status="completed").update(history_date=dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC))
    MicroProject.objects.filter(pk=project.pk).update(closed_on=None)
    migration.closed_on_from_history(apps, None)
    project.refresh_from_db()
    assert project.closed_on == closed
