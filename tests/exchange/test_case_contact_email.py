"""Issue #20 §2 "Ask the team": nobody's e-mail address is revealed unless its owner ticks
"Share my e-mail address with them" on a message; then only theirs, only with that message,
in the thread page, the API thread and the notification e-mail to the other side."""

import json

import pytest
from django.core import mail
from django.urls import reverse

from exchange.models import Case, CaseMessage, CaseThread
from tests.factories import MembershipFactory, UserFactory

from .case_factories import make_case

pytestmark = pytest.mark.django_db

ANNA, LIGA = "anna@lulea.example", "liga@kuldiga.example"


@pytest.fixture
def case(social_worker, other_social_worker):
    social_worker.email = ANNA
    social_worker.save()
    other_social_worker.email = LIGA
    other_social_worker.save()
    case, tools = make_case(author=social_worker, status=Case.Status.PUBLISHED)
    tools["project"].lead_social_workers.add(social_worker)
    return case


def _thread_page(client, user, case, thread):
    client.force_login(user)
    answer = client.get(reverse("exchange:case_thread", args=[case.pk, thread.pk]))
    assert answer.status_code == 200
    return answer.content.decode()


def _api_thread(as_user, user, case):
    [thread] = as_user(user).get(reverse("api:case-threads", args=[case.pk])).json()
    return thread


def test_without_the_tick_no_address_appears_anywhere(
    case, social_worker, other_social_worker, client, as_user, django_capture_on_commit_callbacks
):
    client.force_login(other_social_worker)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exchange:case_contact", args=[case.pk]), {"text": "How did you start?"})
    thread = CaseThread.objects.get(case=case)
    with django_capture_on_commit_callbacks(execute=True):
        answer = as_user(social_worker).post(
            reverse("api:case-reply", args=[case.pk, thread.pk]), {"text": "Slowly."}, format="json"
        )
    assert answer.status_code == 201
    assert answer.json()["shared_email"] is None

    assert len(mail.outbox) == 2
    assert all("@" not in sent.body for sent in mail.outbox)
    for user in (social_worker, other_social_worker):
        page = _thread_page(client, user, case, thread)
        assert ANNA not in page
        assert LIGA not in page
        assert "mailto:" not in page
        api_thread = _api_thread(as_user, user, case)
        assert [m["shared_email"] for m in api_thread["messages"]] == [None, None]
        assert "@" not in json.dumps(api_thread)


def test_with_the_tick_exactly_the_writer_s_address_reaches_the_other_side(
    case, social_worker, other_social_worker, client, as_user, django_capture_on_commit_callbacks
):
    client.force_login(other_social_worker)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exchange:case_contact", args=[case.pk]), {"text": "How did you start?"})
    thread = CaseThread.objects.get(case=case)
    thread_url = reverse("exchange:case_thread", args=[case.pk, thread.pk])

    # the team replies on the web page and ticks the box
    client.force_login(social_worker)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(thread_url, {"text": "Write to me.", "share_email": "on"})
    assert sent.status_code == 302
    assert mail.outbox[-1].to == [LIGA]
    assert ANNA in mail.outbox[-1].body
    assert LIGA not in mail.outbox[-1].body
    page = _thread_page(client, other_social_worker, case, thread)
    assert f"mailto:{ANNA}" in page
    assert LIGA not in page
    messages = _api_thread(as_user, other_social_worker, case)["messages"]
    assert [m["shared_email"] for m in messages] == [None, ANNA]

    # a later reply of the team without the tick shows no address
    with django_capture_on_commit_callbacks(execute=True):
        as_user(social_worker).post(
            reverse("api:case-reply", args=[case.pk, thread.pk]), {"text": "Or here."}, format="json"
        )
    assert "@" not in mail.outbox[-1].body

    # the asker shares theirs on a later message, through the API
    with django_capture_on_commit_callbacks(execute=True):
        answer = as_user(other_social_worker).post(
            reverse("api:case-reply", args=[case.pk, thread.pk]),
            {"text": "Thanks, mine too.", "share_email": True},
            format="json",
        )
    assert answer.status_code == 201
    assert answer.json()["shared_email"] == LIGA
    assert mail.outbox[-1].to == [ANNA]
    assert LIGA in mail.outbox[-1].body
    assert ANNA not in mail.outbox[-1].body
    messages = _api_thread(as_user, social_worker, case)["messages"]
    assert [m["shared_email"] for m in messages] == [None, ANNA, None, LIGA]

    # another organisation still sees nothing of it
    stranger = MembershipFactory(user=UserFactory()).user
    client.force_login(stranger)
    assert client.get(thread_url).status_code == 404
    assert as_user(stranger).get(reverse("api:case-threads", args=[case.pk])).json() == []
    reply_url = reverse("api:case-reply", args=[case.pk, thread.pk])
    assert (
        as_user(stranger).post(reply_url, {"text": "Hi", "share_email": True}, format="json").status_code
        == 404
    )


def test_the_api_checks_the_choice_is_a_boolean_and_names_every_field(
    case, social_worker, other_social_worker, as_user
):
    asker = as_user(other_social_worker)
    bad = asker.post(
        reverse("api:case-contact", args=[case.pk]), {"text": "", "share_email": "perhaps"}, format="json"
    )
    assert bad.status_code == 400
    assert set(bad.json()) == {"text", "share_email"}
    assert not CaseMessage.objects.exists()

    thread = asker.post(reverse("api:case-contact", args=[case.pk]), {"text": "How?"}, format="json").json()
    bad = as_user(social_worker).post(
        reverse("api:case-reply", args=[case.pk, thread["thread"]]),
        {"text": "Hi", "share_email": [1]},
        format="json",
    )
    assert bad.status_code == 400
    assert list(bad.json()) == ["share_email"]
    assert CaseMessage.objects.count() == 1
