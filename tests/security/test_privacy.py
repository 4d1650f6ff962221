"""Personal data: export as JSON and erasure (account gone, authored content kept, anonymised),
as services, management commands and coordinator pages."""

import io
import json
import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from accelerator.models import Decision, Review, ReviewAssignment, Round
from microprojects.models import Activity, MicroProject
from sempre import audit, privacy
from sempre.models import ApiToken, AuditEvent, Membership, User
from sempre.tokens import api_token_issue
from toolkit.models import Entry

from .world import build_world

pytestmark = pytest.mark.django_db


def test_export_holds_the_persons_data_and_no_secrets():
    world = build_world()
    sw = world.users["sw"]
    token, key = api_token_issue(user=sw, name="Monthly export")
    data = json.loads(json.dumps(privacy.user_data_export(user=sw), default=str))
    assert data["user"]["username"] == sw.username
    assert "password" not in json.dumps(data["user"])
    assert [row["name"] for row in data["api_tokens"]] == ["Monthly export"]
    assert key not in json.dumps(data)
    assert token.digest not in json.dumps(data)
    assert "sempre.membership.user" in data["content"]
    assert "toolkit.entry.author" in data["content"]
    assert "microprojects.microproject.lead_social_workers" in data["content"]
    # every line of the audit log the person caused, and only those (they never logged in)
    caused = AuditEvent.objects.filter(actor=sw).exclude(action=audit.PRIVACY_EXPORT)
    assert sorted(event["action"] for event in data["audit_events"]) == sorted(
        caused.values_list("action", flat=True)
    )
    assert audit.TOKEN_ISSUED in [event["action"] for event in data["audit_events"]]
    assert audit.LOGIN not in [event["action"] for event in data["audit_events"]]
    assert AuditEvent.objects.filter(action=audit.PRIVACY_EXPORT, target_id=str(sw.pk)).exists()


def test_export_of_a_reviewer_includes_their_reviews():
    world = build_world()
    data = privacy.user_data_export(user=world.users["rev"])
    assert [row["fields"]["comment"] for row in data["content"]["accelerator.review"]] == ["Promising"]


def test_only_coordinators_may_export_or_erase():
    world = build_world()
    with pytest.raises(PermissionDenied):
        privacy.user_data_export(user=world.users["sw"], by=world.users["admin"])
    with pytest.raises(PermissionDenied):
        privacy.user_erase(user=world.users["sw"], by=world.users["admin"])
    assert User.objects.filter(pk=world.users["sw"].pk).exists()


def test_erasure_deletes_the_account_and_keeps_authored_content_anonymised():
    world = build_world()
    sw, coord = world.users["sw"], world.users["coord"]
    api_token_issue(user=sw)
    entries = Entry.objects.filter(author=sw, instance=world.sbmc).count()
    assert entries > 0
    report_file = world.report.file.path
    counts = privacy.user_erase(user=sw, by=coord)
    assert not User.objects.filter(username=sw.username).exists()
    assert not Membership.objects.filter(user_id=sw.pk).exists()
    assert not ApiToken.objects.filter(user_id=sw.pk).exists()
    # what the person wrote stays, without them
    assert MicroProject.objects.filter(pk=world.project.pk).exists()
    assert Entry.objects.filter(instance=world.sbmc).count() >= entries
    assert not Entry.objects.filter(author_id=sw.pk).exists()
    assert Activity.objects.filter(pk=world.activity.pk).exists()
    history = MicroProject.history.model
    assert not history.objects.filter(history_user_id=sw.pk).exists()
    # their own report jobs and files are gone
    assert not os.path.exists(report_file)
    assert counts["audit_events"] >= 0
    erasure = AuditEvent.objects.get(action=audit.PRIVACY_ERASURE)
    assert erasure.actor == coord
    assert sw.username not in json.dumps(
        list(AuditEvent.objects.values("actor_label", "target_label", "data"))
    )


def test_erasing_a_reviewer_keeps_reviews_and_decisions_under_a_placeholder():
    world = build_world()
    rev, coord = world.users["rev"], world.users["coord"]
    Round.objects.filter(pk=world.round.pk).update(status=Round.Status.DECIDING)
    from accelerator import services as accelerator

    accelerator.decision_record(application=world.application, by=coord, outcome="selected", rationale="Good")
    privacy.user_erase(user=rev)
    privacy.user_erase(user=coord)
    assignment = ReviewAssignment.objects.get(pk=world.assignment.pk)
    assert assignment.reviewer.username.startswith(privacy.ERASED_LABEL)
    assert not assignment.reviewer.is_active
    assert not assignment.reviewer.has_usable_password()
    assert assignment.reviewer.email == ""
    assert Review.objects.get(pk=world.review.pk).comment == "Promising"
    decision = Decision.objects.get(application=world.application)
    assert decision.decided_by.username.startswith(privacy.ERASED_LABEL)
    assert decision.decided_by != assignment.reviewer  # one placeholder per erased person


def test_nobody_erases_themselves():
    world = build_world()
    coord = world.users["coord"]
    with pytest.raises(ValidationError):
        privacy.user_erase(user=coord, by=coord)


def test_commands_export_and_erase(tmp_path):
    world = build_world()
    out = tmp_path / "anna.json"
    call_command("export_user_data", world.users["sw"].username, output=str(out), stderr=io.StringIO())
    assert json.loads(out.read_text())["user"]["username"] == world.users["sw"].username
    stdout = io.StringIO()
    call_command("erase_user", world.users["sw"].username, yes=True, stdout=stdout)
    assert "Erased" in stdout.getvalue()
    with pytest.raises(CommandError):
        call_command("erase_user", "nobody-here", yes=True)


def test_coordinator_pages_export_and_erase_with_confirmation(client):
    world = build_world()
    sw = world.users["sw"]
    client.force_login(world.users["coord"])
    found = client.get("/privacy/", {"q": sw.username[:4]}).content.decode()
    assert sw.username in found
    export = client.get(f"/privacy/users/{sw.pk}/export.json")
    assert export["Content-Disposition"].startswith("attachment")
    assert json.loads(export.content)["user"]["id"] == sw.pk
    wrong = client.post(f"/privacy/users/{sw.pk}/erase/", {"confirm_username": "someone"})
    assert wrong.status_code == 400
    assert User.objects.filter(pk=sw.pk).exists()
    done = client.post(f"/privacy/users/{sw.pk}/erase/", {"confirm_username": sw.username})
    assert done.status_code == 302
    assert not User.objects.filter(pk=sw.pk).exists()
