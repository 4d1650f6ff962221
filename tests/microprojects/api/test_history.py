import re
from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.text import capfirst

from microprojects import selectors, services

from .conftest import ROLES, expect


def history(project):
    return f"/api/v1/projects/{project.pk}/history/"


@pytest.mark.parametrize("role", ROLES)
def test_project_history_permission_matrix(client_for, project, role):
    response = client_for(role).get(history(project))
    assert response.status_code == expect(
        role, social_worker=200, other_social_worker=404, org_admin=200, coordinator=200, reviewer=404
    )


def test_project_history_says_who_changed_what(as_user, social_worker, org_admin, project, target_groups):
    as_user(social_worker).patch(
        f"/api/v1/projects/{project.pk}/",
        {"title": "Fruit bags cooperative", "target_groups": [target_groups[1].pk, target_groups[0].pk]},
        format="json",
    )
    as_user(org_admin).post(f"/api/v1/projects/{project.pk}/transition/", {"status": "active"}, format="json")

    response = as_user(social_worker).get(history(project))
    assert response.status_code == 200
    records = response.json()["results"]
    newest, *_, oldest = records
    assert newest["type"] == "changed"
    assert newest["user"]["username"] == "erik"
    assert {c["field"]: (c["old"], c["new"]) for c in newest["changes"]} == {"status": ("draft", "active")}
    assert oldest["type"] == "created"
    assert oldest["changes"] == []
    changes = {c["field"]: c for record in records if record["user"] for c in record["changes"]}
    assert changes["title"]["old"] == "Fruit bags"
    assert changes["title"]["new"] == "Fruit bags cooperative"
    assert changes["title"]["label"] == "title"
    assert changes["target_groups"]["old"] == []
    assert changes["target_groups"]["new"] == sorted(g.pk for g in target_groups)
    assert {r["user"]["username"] for r in records if r["user"]} == {"anna", "erik"}


def test_project_history_records_the_token_user(api_client, social_worker, project):
    token = api_client.post(
        "/api/v1/auth/token/", {"username": "anna", "password": "secret-pass-123"}, format="json"
    ).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    api_client.patch(f"/api/v1/projects/{project.pk}/", {"budget_eur": "9000"}, format="json")
    newest = api_client.get(history(project)).json()["results"][0]
    assert newest["user"]["username"] == "anna"
    assert newest["changes"] == [
        {"field": "budget_eur", "label": "budget (EUR)", "old": "15000.00", "new": "9000.00"}
    ]


def test_project_history_pages_compare_across_the_page_boundary(as_user, social_worker, project):
    for title in ("One", "Two", "Three"):
        services.project_update(project=project, by=social_worker, title=title)
    client = as_user(social_worker)
    first = client.get(f"{history(project)}?page_size=2").json()
    second = client.get(first["next"]).json()
    assert "before=" in first["next"]
    titles = [(c["old"], c["new"]) for r in first["results"] + second["results"] for c in r["changes"]]
    assert titles == [("Two", "Three"), ("One", "Two"), ("Fruit bags", "One")]
    assert second["results"][-1]["type"] == "created"
    assert second["next"] is None


def _edit_history(project, by, target_groups, edits):
    """`edits` saves of the project: most change the title and the target groups (three records:
    the save, then one per many-to-many update), every fifth changes nothing."""
    for number in range(edits):
        if number % 5 == 4:
            services.project_update(project=project, by=by, title=project.title)
        else:
            services.project_update(
                project=project,
                by=by,
                title=f"Version {number}",
                target_groups=target_groups[: number % 2 + 1],
            )


def _walk(client, url):
    entries, pages = [], 0
    while url:
        page = client.get(url).json()
        entries += page["results"]
        url, pages = page["next"], pages + 1
    return entries, pages


def _plain(entry):
    if isinstance(entry, dict):
        return entry["id"], [(c["field"], c["old"], c["new"]) for c in entry["changes"]]
    return entry.id, [(c.field, c.old, c.new) for c in entry.changes]


@pytest.mark.parametrize("page_size", [1, 2, 5])
def test_project_history_pages_walked_by_next_are_the_whole_history(
    as_user, social_worker, project, target_groups, page_size
):
    _edit_history(project, social_worker, target_groups, 12)
    whole = [_plain(entry) for entry in selectors.project_history(project)]

    entries, pages = _walk(as_user(social_worker), f"{history(project)}?page_size={page_size}")

    assert [_plain(entry) for entry in entries] == whole
    assert len(whole) == 12 - 2 + 1  # ten edits that changed something, and the registration
    assert pages >= len(whole) / page_size


@pytest.mark.parametrize("edits", [3, 60])
def test_project_history_page_runs_a_fixed_number_of_queries(
    as_user, social_worker, project, target_groups, django_assert_num_queries, edits
):
    _edit_history(project, social_worker, target_groups, edits)
    client = as_user(social_worker)
    first = client.get(f"{history(project)}?page_size=2").json()
    # session, its user, memberships, project, a window of history records, one per many-to-many field
    with django_assert_num_queries(6):
        response = client.get(f"{history(project)}?page_size=2&before={first['results'][-1]['id']}")
    assert response.status_code == 200
    assert 1 <= len(response.json()["results"]) <= 2


@pytest.mark.parametrize("edits", [3, 60])
def test_project_history_page_reads_a_bounded_window_of_records(
    monkeypatch, social_worker, project, target_groups, edits
):
    _edit_history(project, social_worker, target_groups, edits)
    read = []
    entries_of = selectors._history_entries

    def counting(records, *args, **kwargs):
        read.append(len(records))
        return entries_of(records, *args, **kwargs)

    monkeypatch.setattr(selectors, "_history_entries", counting)

    page = selectors.project_history_page(project, size=2)

    assert read == [min(2 * selectors.HISTORY_RECORDS_PER_ENTRY, project.history.count())]
    assert len(page.entries) == 2


def test_project_history_page_leaves_an_entry_cut_by_its_window_to_the_next_page(
    as_user, social_worker, project, target_groups
):
    # Newest first: four saves without a change, a title, then a title with its target groups (the
    # save, then the many-to-many update): a window of 6 records ends inside that last entry.
    services.project_update(project=project, by=social_worker, title="One", target_groups=target_groups[:1])
    services.project_update(project=project, by=social_worker, title="Two")
    for _ in range(4):
        services.project_update(project=project, by=social_worker, title="Two")
    whole = [_plain(entry) for entry in selectors.project_history(project)]

    entries, _pages = _walk(as_user(social_worker), f"{history(project)}?page_size=2")

    assert [_plain(entry) for entry in entries] == whole
    assert [field for field, _old, _new in whole[1][1]] == ["title", "target_groups"]


def test_project_history_refuses_page_numbers_and_bad_cursors_at_once(as_user, social_worker, project):
    response = as_user(social_worker).get(f"{history(project)}?page=2&before=abc&page_size=0")

    assert response.status_code == 400
    assert set(response.json()) >= {"page", "before", "page_size"}


def test_project_history_shows_a_save_and_its_target_groups_as_one_entry(
    as_user, social_worker, project, target_groups
):
    as_user(social_worker).patch(
        f"/api/v1/projects/{project.pk}/",
        {"title": "Fruit bags cooperative", "target_groups": [target_groups[0].pk]},
        format="json",
    )

    newest = as_user(social_worker).get(history(project)).json()["results"][0]

    assert [(c["field"], c["old"], c["new"]) for c in newest["changes"]] == [
        ("title", "Fruit bags", "Fruit bags cooperative"),
        ("target_groups", [], [target_groups[0].pk]),
    ]


def test_project_history_leaves_out_a_save_without_a_change(as_user, social_worker, project):
    services.project_update(project=project, by=social_worker, title=project.title)

    records = as_user(social_worker).get(history(project)).json()["results"]

    assert [record["type"] for record in records] == ["created"]


# The project page shows the same history -----------------------------------------------------------


def _page_history(html: str) -> list[tuple[datetime, str, list[str]]]:
    """(when, who, [changed fields]) of each entry in the project page's history list."""
    section = html.split('<ol class="history-list">', 1)[1].split("</ol>", 1)[0]
    entries = []
    for chunk in section.split("<time ")[1:]:
        when = datetime.fromisoformat(re.search(r'datetime="([^"]+)"', chunk).group(1))
        who = re.search(r"</time> ·\s*(.*?)\s*(?:registered|changed)", chunk, re.S).group(1)
        entries.append((when, who, re.findall(r"<strong>(.*?)</strong>", chunk)))
    return entries


def test_project_page_and_api_show_the_same_history(as_user, social_worker, org_admin, target_groups):
    anna = as_user(social_worker)
    created = anna.post("/api/v1/projects/", {"title": "Fruit bags", "target_groups": [target_groups[0].pk]})
    project = f"/api/v1/projects/{created.json()['id']}/"
    anna.patch(project, {"title": "Fruit bags"}, format="json")  # no change
    anna.patch(
        project,
        {"setting": "urban", "budget_eur": "900", "target_groups": [g.pk for g in target_groups]},
        format="json",
    )
    as_user(org_admin).post(f"{project}transition/", {"status": "active"}, format="json")
    page = Client()
    page.force_login(social_worker)

    shown = _page_history(page.get(reverse("microprojects:detail", args=[created.json()["id"]])).text)
    api = anna.get(f"{project}history/").json()["results"]

    assert shown == [
        (
            datetime.fromisoformat(entry["date"]),
            entry["user"]["name"] or entry["user"]["username"],
            [capfirst(change["label"]) for change in entry["changes"]],
        )
        for entry in api
    ]
    assert [labels for _when, _who, labels in shown] == [
        ["Status", "Start date"],
        ["Rural or urban", "Budget (EUR)", "Target groups"],
        ["Target groups"],
    ]
