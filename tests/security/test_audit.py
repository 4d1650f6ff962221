"""The audit log: the services that must leave a line do, and coordinators read it at /audit/."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from sempre import audit
from sempre.models import AuditEvent
from sempre.services import user_add
from tests.factories import UserFactory

from .world import build_world

pytestmark = pytest.mark.django_db


def test_role_changes_are_audited_once(coordinator):
    user_add(username="newbie", role="social_worker", organisation_name="Audit Org", country="SE",
             password="a-long-pass-phrase-42", by=coordinator)  # fmt: skip
    user_add(username="newbie", role="social_worker", organisation_name="Audit Org")  # no change
    user_add(username="newbie", role="org_admin", organisation_name="Audit Org")
    events = list(AuditEvent.objects.filter(action=audit.ROLE_CHANGED).order_by("pk"))
    assert [e.data["role"] for e in events] == ["social_worker", "org_admin"]
    assert events[0].actor == coordinator
    assert events[1].actor is None  # the command line
    assert events[0].target_type == "sempre.user"


def test_decisions_on_behalf_contributions_and_downloads_are_audited(client):
    from accelerator import services as accelerator
    from accelerator.models import Round
    from toolkit.cocreation.services import contribution_add_on_behalf

    world = build_world()
    sw, coord = world.users["sw"], world.users["coord"]
    contribution_add_on_behalf(
        tool=world.sbmc, block_key="key_resources", text="A van", by=sw, client_consents=True
    )
    on_behalf = AuditEvent.objects.get(action=audit.ON_BEHALF)
    assert on_behalf.actor == sw
    assert "A van" not in json.dumps(on_behalf.data)  # the client's words stay out of the log

    Round.objects.filter(pk=world.round.pk).update(status=Round.Status.DECIDING)
    accelerator.decision_record(
        application=world.application, by=coord, outcome="selected", rationale="Strong"
    )
    decision = AuditEvent.objects.get(action=audit.DECISION)
    assert decision.actor == coord
    assert decision.data["outcome"] == "selected"

    client.force_login(sw)
    assert client.get(reverse("reports:download", args=[world.report.pk])).status_code == 200
    download = AuditEvent.objects.get(action=audit.REPORT_DOWNLOAD)
    assert download.target_id == str(world.report.pk)
    assert download.actor == sw


def test_a_refused_action_leaves_no_audit_line():
    from django.core.exceptions import ValidationError

    from accelerator import services as accelerator

    world = build_world()
    with pytest.raises(ValidationError):  # the round is open, not deciding
        accelerator.decision_record(
            application=world.application, by=world.users["coord"], outcome="selected", rationale="Strong"
        )
    assert not AuditEvent.objects.filter(action=audit.DECISION).exists()


def test_audit_page_is_for_coordinators(client, coordinator, social_worker):
    client.force_login(social_worker)
    assert client.get("/audit/").status_code == 403
    client.force_login(coordinator)
    assert client.get("/audit/").status_code == 200


def _events(count):
    actor = UserFactory(username=f"actor{count}")
    for n in range(count):
        audit.record(
            actor=actor, action=audit.REPORT_DOWNLOAD, target=f"report {n}", data={"kind": "project"}
        )
        audit.record(actor=None, action=audit.LOGIN_FAILED, data={"username": f"guess{n}"})


@pytest.mark.parametrize("item_count", [1, 3])
def test_audit_page_runs_a_fixed_number_of_queries(
    client, coordinator, django_assert_num_queries, item_count
):
    _events(item_count)
    client.force_login(coordinator)
    # user (session cached), the user's memberships (navigation), count, page
    with django_assert_num_queries(4):
        response = client.get("/audit/")
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == 1 + 2 * item_count + 1  # header + rows + login


def test_audit_page_filters_by_group_user_and_paginates(client, coordinator):
    _events(30)
    client.force_login(coordinator)
    page = client.get("/audit/", {"group": "report"}).content.decode()
    assert "guess" not in page
    assert "30 events" in page
    assert "Page 1 of 1" not in page
    logins = client.get("/audit/", {"group": "auth", "user": "guess3"}).content.decode()
    assert "1 event" in logins
    second = client.get("/audit/", {"page": 2}).content.decode()
    assert "Page 2 of 2" in second


def test_user_text_in_the_log_is_escaped(client, coordinator):
    audit.record(actor=None, action=audit.LOGIN_FAILED, data={"username": "<script>alert(1)</script>"})
    client.force_login(coordinator)
    page = client.get("/audit/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_adduser_command_audits_the_role(db):
    call_command("adduser", "cmd-user", "--role", "coordinator", "--password", "a-long-pass-phrase-42",
                 stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    event = AuditEvent.objects.get(action=audit.ROLE_CHANGED)
    assert event.data["role"] == "coordinator"


def test_coordinators_find_the_audit_log_and_personal_data_pages_in_the_menu(
    client, coordinator, social_worker
):
    client.force_login(coordinator)
    menu = client.get("/").content.decode()
    assert 'href="/audit/"' in menu
    assert 'href="/privacy/"' in menu
    client.force_login(social_worker)
    menu = client.get("/").content.decode()
    assert 'href="/audit/"' not in menu
    assert 'href="/account/api-token/"' in menu
