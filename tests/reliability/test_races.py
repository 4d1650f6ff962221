"""Faults on real PostgreSQL: two requests racing to create the same thing answer a clean success
or a 4xx (409/400), never a 500, and leave one row; concurrent edits of a canvas, a theory of
change and a review lose no update (a stale version is a 409; reviews are serialised).

Each thread has its own database connection (transactional_db), as two web processes would.
"""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accelerator.models import Application, Review
from reports.models import ReportJob
from sempre.models import Membership
from sempre.services import user_add
from toolkit.models import Entry, Outcome

from ..conftest import require_service
from .world_pg import small_world

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

THREADS = 4


@pytest.fixture(autouse=True)
def _postgresql():
    require_service(connection.vendor == "postgresql", "PostgreSQL")


def race(work, n=THREADS):
    """Run work(i) in n threads released together; returns their results (or exceptions)."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as error:
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def api_as(user):
    client = APIClient()
    client.force_login(user)
    client.raise_request_exception = False
    return client


def codes(results):
    return sorted(getattr(r, "status_code", repr(r)) for r in results)


def test_identical_report_requests_make_one_job(monkeypatch):
    from reports import tasks

    sent = []  # the race is on the row: nothing is rendered, each render the service sends is noted
    monkeypatch.setattr(tasks.render_report, "apply_async", lambda *a, **k: sent.append(k.get("args")))
    world = small_world()
    clients = [api_as(world.sw) for _ in range(THREADS)]
    body = {"kind": "project", "params": {"project": world.project.pk}, "language": "en"}
    results = race(lambda i: clients[i].post("/api/v1/reports/", body, format="json"))
    assert all(r.status_code in (200, 201, 202, 409) for r in results), codes(results)
    (job,) = ReportJob.objects.filter(requested_by=world.sw)
    assert job.status == ReportJob.Status.QUEUED
    assert {r.json()["id"] for r in results if r.status_code < 300} == {job.pk}
    assert sent == [[job.pk]]  # one render queued, for that job


def test_the_same_membership_added_concurrently_is_one_membership():
    world = small_world()
    results = race(
        lambda i: user_add(
            username="racer",
            role="social_worker",
            organisation_name=world.organisation.name,
            password="a-long-pass-phrase-42",
        )
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []  # the losers retried and found the winner's user and organisation
    assert Membership.objects.filter(user__username="racer").count() == 1


def test_two_applications_for_the_same_round_make_one(monkeypatch):
    world = small_world(ready=True)
    clients = [api_as(world.sw) for _ in range(THREADS)]
    url = f"/api/v1/rounds/{world.round.pk}/applications/"
    results = race(lambda i: clients[i].post(url, {"project": world.project.pk}, format="json"))
    # applying is idempotent: the round row is locked, later requests get the same application
    assert all(r.status_code in (200, 201, 409) for r in results), codes(results)
    assert len({r.json()["id"] for r in results if r.status_code < 300}) == 1
    assert Application.objects.filter(round=world.round, project=world.project).count() == 1


def _patch_concurrently(client_user, url, bodies, version):
    clients = [api_as(client_user) for _ in bodies]
    return race(
        lambda i: clients[i].patch(url, bodies[i], format="json", HTTP_IF_MATCH=str(version)), n=len(bodies)
    )


def test_concurrent_canvas_edits_lose_no_update():
    world = small_world(ready=True)
    entry = Entry.objects.filter(instance=world.sbmc).first()
    version = world.sbmc.__class__.objects.get(pk=world.sbmc.pk).version
    bodies = [{"text": f"Version from device {i}"} for i in range(THREADS)]
    results = _patch_concurrently(world.sw, f"/api/v1/entries/{entry.pk}/", bodies, version)
    assert sorted(r.status_code for r in results) == [200] + [409] * (THREADS - 1), codes(results)
    winner = next(i for i, r in enumerate(results) if r.status_code == 200)
    entry.refresh_from_db()
    assert entry.text == bodies[winner]["text"]


def test_concurrent_theory_of_change_edits_lose_no_update():
    world = small_world(ready=True)
    outcome = Outcome.objects.filter(instance=world.toc).first()
    version = world.toc.__class__.objects.get(pk=world.toc.pk).version
    bodies = [{"text": f"Outcome wording {i}"} for i in range(THREADS)]
    results = _patch_concurrently(world.sw, f"/api/v1/outcomes/{outcome.pk}/", bodies, version)
    assert sorted(r.status_code for r in results) == [200] + [409] * (THREADS - 1), codes(results)
    winner = next(i for i, r in enumerate(results) if r.status_code == 200)
    outcome.refresh_from_db()
    assert outcome.text == bodies[winner]["text"]


def test_concurrent_saves_of_a_review_are_serialised_whole():
    world = small_world(ready=True, assigned=True)
    clients = [api_as(world.reviewer) for _ in range(THREADS)]
    bodies = [
        {
            "assignment": world.assignment.pk,
            "scores": {str(world.criterion.pk): i + 1},
            "comment": f"Comment {i}",
        }
        for i in range(THREADS)
    ]
    results = race(lambda i: clients[i].post("/api/v1/reviews/", bodies[i], format="json"))
    assert all(r.status_code in (200, 201, 409) for r in results), [r.content[:300] for r in results]
    review = Review.objects.get(assignment=world.assignment)
    saved = int(review.comment.split()[-1])
    # the stored review is one whole save: its score belongs to its comment (no mixed update)
    assert review.scores.get(criterion=world.criterion).value == saved + 1
