import datetime as dt
from decimal import Decimal

import pytest

from microprojects import selectors, services
from microprojects.models import MicroProject, TargetGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(db):
    return [
        TargetGroup.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in (("older-people", "Older people"), ("young-people", "Young people"))
    ]


@pytest.fixture
def project(social_worker):
    project = services.project_create(by=social_worker, title="Fruit bags", budget_eur=Decimal("100"))
    project._history_user = social_worker  # as simple-history's middleware records it in a request
    return project


# A project's change history ----------------------------------------------------------------------


def test_project_history_says_what_changed_in_plain_values_and_words(project, social_worker, groups):
    services.project_update(
        project=project,
        by=social_worker,
        setting=MicroProject.Setting.URBAN,
        start_date=dt.date(2025, 3, 1),
        budget_eur=None,
        target_groups=[groups[0]],
    )

    newest = selectors.project_history(project)[0]

    assert [(c.field, c.label, c.old, c.new, c.old_text, c.new_text) for c in newest.changes] == [
        ("setting", "rural or urban", "rural", "urban", "Rural", "Urban"),
        ("start_date", "start date", None, "2025-03-01", "—", "1 Mar 2025"),
        ("budget_eur", "budget (EUR)", "100.00", None, "100.00", "—"),
        ("target_groups", "target groups", [], [groups[0].pk], "—", "Older people"),
    ]
    assert newest.user == social_worker


def test_project_history_leaves_out_a_save_that_changes_nothing(project, social_worker):
    services.project_update(project=project, by=social_worker, title="Fruit bags")

    assert [entry.type for entry in selectors.project_history(project)] == ["created"]


def test_project_history_keeps_apart_a_change_by_someone_else_right_after(
    project, social_worker, org_admin, groups
):
    services.project_update(project=project, by=social_worker, title="Fruit bags 2")
    project._history_user = org_admin
    services.project_update(project=project, by=org_admin, target_groups=[groups[1]])

    history = selectors.project_history(project)

    assert [[c.field for c in entry.changes] for entry in history] == [["target_groups"], ["title"], []]
    assert [entry.user for entry in history] == [org_admin, social_worker, None]  # created outside a request


def test_project_history_keeps_apart_a_change_made_later(project, social_worker, groups):
    services.project_update(project=project, by=social_worker, title="Fruit bags 2")
    services.project_update(project=project, by=social_worker, target_groups=[groups[1]])
    newest = project.history.order_by("-history_id").first()
    project.history.filter(history_id=newest.history_id).update(
        history_date=newest.history_date + dt.timedelta(seconds=6)  # HISTORY_BURST is 5 seconds
    )

    history = selectors.project_history(project)

    assert [[c.field for c in entry.changes] for entry in history] == [["target_groups"], ["title"], []]


def test_project_history_forgets_a_many_to_many_change_undone_in_the_same_save(
    project, social_worker, groups
):
    services.project_update(
        project=project, by=social_worker, title="Fruit bags 2", target_groups=[groups[0]]
    )
    services.project_update(project=project, by=social_worker, target_groups=[])
    entry = selectors.project_history(project)[0]

    assert [c.field for c in entry.changes] == ["title"]


@pytest.mark.parametrize("item_count", [1, 3])
def test_project_history_runs_three_queries(
    project, social_worker, groups, django_assert_num_queries, item_count
):
    for number in range(item_count):
        services.project_update(
            project=project,
            by=social_worker,
            title=f"Version {number}",
            target_groups=groups[: number % 2 + 1],
        )
    project = MicroProject.objects.get(pk=project.pk)

    # the records with their users and organisation, then one per many-to-many field
    with django_assert_num_queries(3):
        history = selectors.project_history(project)
        assert [str(entry.user) for entry in history]

    assert len(history) == item_count + 1
