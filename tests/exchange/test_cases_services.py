"""Practice cases: the workflow, the privacy check before publishing, "Adapt this" and "Ask the
team" (exchange.services.cases, exchange.screening)."""

import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from exchange.models import Case, CaseMessage
from exchange.screening import case_findings, text_findings
from exchange.selectors import case_figures, published_case_counts, published_cases
from exchange.services import cases as services
from sempre.models import AuditEvent
from tests.factories import MicroProjectFactory, UserFactory
from toolkit.models import Assumption, CausalLink, Entry, Outcome, ToolInstance

from .case_factories import make_case
from .factories import method

pytestmark = pytest.mark.django_db


# The privacy check -----------------------------------------------------------------------------


def test_screening_finds_names_phones_and_emails_but_not_domain_terms_or_dates():
    found = text_findings(
        "summary",
        "Maria Berg joined on 2024-03-01. Call +46 70 123 45 67 or write to maria.berg@lulea.se. "
        "We met Mrs Andersson. The Social Business Model Canvas and the Theory of Change helped.",
    )
    assert sorted((f.kind, f.text) for f in found) == [
        ("email", "maria.berg@lulea.se"),
        ("name", "Maria Berg"),
        ("name", "Mrs Andersson"),
        ("phone", "+46 70 123 45 67"),
    ]


def test_publishing_waits_until_every_finding_is_confirmed(social_worker, coordinator):
    case, _tools = make_case(
        author=social_worker, status=Case.Status.SUBMITTED, lessons="Ask Maria Berg first."
    )
    findings = case_findings(case)
    assert [f.text for f in findings] == ["Maria Berg"]

    with pytest.raises(services.CaseHasFindings) as refused:
        services.case_publish(case=case, by=coordinator)
    assert [f.text for f in refused.value.findings] == ["Maria Berg"]
    case.refresh_from_db()
    assert case.status == Case.Status.SUBMITTED
    assert case.published_at is None

    services.case_publish(case=case, by=coordinator, confirmed=[findings[0].key])
    case.refresh_from_db()
    assert case.status == Case.Status.PUBLISHED
    assert case.published_at is not None
    assert AuditEvent.objects.filter(action="exchange.case_published", target_id=str(case.pk)).count() == 1


def test_a_changed_text_is_checked_again(social_worker, coordinator):
    case, _tools = make_case(
        author=social_worker, status=Case.Status.RETURNED, lessons="Ask Maria Berg first."
    )
    old_key = case_findings(case)[0].key
    case.confirmed_findings = [old_key]
    case.save()
    services.case_update(case=case, by=social_worker, lessons="Ask Jonas Lind first.")
    services.case_submit(case=case, by=social_worker)
    with pytest.raises(services.CaseHasFindings) as refused:
        services.case_publish(case=case, by=coordinator)
    assert [f.text for f in refused.value.findings] == ["Jonas Lind"]


# The workflow ------------------------------------------------------------------------------------


def test_only_a_coordinator_publishes_and_the_team_unpublishes(
    social_worker, coordinator, other_social_worker
):
    case, _tools = make_case(author=social_worker, status=Case.Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.case_publish(case=case, by=social_worker)
    services.case_publish(case=case, by=coordinator)
    assert published_cases().filter(pk=case.pk).exists()
    with pytest.raises(PermissionDenied):
        services.case_unpublish(case=case, by=other_social_worker)

    services.case_unpublish(case=case, by=social_worker)
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFT
    assert case.published_at is None
    assert not published_cases().filter(pk=case.pk).exists()
    assert AuditEvent.objects.filter(action="exchange.case_unpublished", actor=social_worker).count() == 1


def test_return_needs_a_reason_and_lets_the_team_edit_again(social_worker, coordinator):
    case, _tools = make_case(author=social_worker, status=Case.Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.case_update(case=case, by=social_worker, title="Changed while submitted")
    with pytest.raises(ValidationError) as refused:
        services.case_return(case=case, by=coordinator, reason="  ")
    assert "reason" in refused.value.error_dict
    services.case_return(case=case, by=coordinator, reason="Please add the costs.")
    services.case_update(case=case, by=social_worker, costs_and_time="Two afternoons a week, 300 EUR.")
    case.refresh_from_db()
    assert case.status == Case.Status.RETURNED
    assert case.return_reason == "Please add the costs."


def test_a_case_names_every_wrong_field_at_once_and_writes_nothing(social_worker, other_organisation):
    _case, tools = make_case(author=social_worker)
    foreign = make_case(other_organisation)[1]
    before = Case.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.case_create(
            project=tools["project"],
            by=social_worker,
            title="",
            summary="",
            methods=["no-such-method"],
            outcomes=foreign["outcomes"],
            canvas_snapshot=tools["toc_snapshot"],
        )
    assert {"title", "summary", "methods", "outcomes", "canvas_snapshot"} <= set(refused.value.error_dict)
    assert Case.objects.count() == before


def test_figures_show_small_counts_as_under_five(social_worker):
    case, _tools = make_case(author=social_worker)
    [row] = case_figures(case)
    assert row["latest"] == "<5"
    assert row["target"] == 12
    assert row["baseline"] == 0


def test_published_case_counts_per_method(social_worker):
    make_case(author=social_worker, status=Case.Status.PUBLISHED)
    make_case(author=social_worker, status=Case.Status.PUBLISHED)
    make_case(author=social_worker)  # a draft is not counted
    counts = published_case_counts()
    assert counts[method("photovoice").pk] == 2
    assert method("world-cafe").pk not in counts


# Adapt this ------------------------------------------------------------------------------------


def test_adapt_copies_the_snapshots_with_provenance_but_no_client_contribution(
    social_worker, other_social_worker
):
    case, _tools = make_case(author=social_worker, status=Case.Status.PUBLISHED)
    mine = MicroProjectFactory(organisation=other_social_worker.memberships.first().organisation)

    canvas, toc = services.case_adapt(case=case, project=mine, by=other_social_worker)

    assert {canvas.project_id, toc.project_id} == {mine.pk}
    assert case.title in canvas.adapted_from
    assert canvas.adapted_from_snapshot_id == case.canvas_snapshot_id
    entries = list(Entry.objects.filter(instance=canvas))
    assert [e.text for e in entries] == ["Weekly market stall"]
    assert all(e.source == Entry.Source.STAFF and e.client_label == "" for e in entries)
    assert all(e.author_id == other_social_worker.pk for e in entries)
    assert sorted(Outcome.objects.filter(instance=toc).values_list("text", flat=True)) == [
        "Women earn their own income",
        "Women gain confidence in selling",
    ]
    assert not Outcome.objects.filter(
        instance=toc, indicators__isnull=False
    ).exists()  # their indicators stay
    assert CausalLink.objects.filter(instance=toc).count() == 1
    assert Assumption.objects.get(instance=toc).link.instance_id == toc.pk
    assert AuditEvent.objects.filter(action="exchange.case_adapted", actor=other_social_worker).exists()


def test_adapt_refuses_a_draft_case_and_another_organisations_project(social_worker, other_social_worker):
    draft, _tools = make_case(author=social_worker)
    mine = MicroProjectFactory(organisation=other_social_worker.memberships.first().organisation)
    before = ToolInstance.objects.count()
    with pytest.raises(PermissionDenied):
        services.case_adapt(case=draft, project=mine, by=other_social_worker)
    published, tools = make_case(author=social_worker, status=Case.Status.PUBLISHED)
    with pytest.raises(ValidationError):
        services.case_adapt(case=published, project=tools["project"], by=other_social_worker)
    assert ToolInstance.objects.count() == before + 2  # only the second case's own tools


# Ask the team ----------------------------------------------------------------------------------


def test_contact_reaches_the_team_in_their_language_without_revealing_addresses(
    social_worker, other_social_worker, django_capture_on_commit_callbacks
):
    social_worker.email, social_worker.language = "anna@lulea.example", "sv"
    social_worker.save()
    other_social_worker.email = "liga@kuldiga.example"
    other_social_worker.save()
    case, tools = make_case(author=social_worker, status=Case.Status.PUBLISHED)
    tools["project"].lead_social_workers.add(social_worker)

    with django_capture_on_commit_callbacks(execute=True):
        message = services.case_contact(case=case, by=other_social_worker, text="How did you find buyers?")
    assert mail.outbox[-1].to == ["anna@lulea.example"]
    assert "liga@kuldiga.example" not in mail.outbox[-1].body
    assert "How did you find buyers?" in mail.outbox[-1].body
    assert mail.outbox[-1].subject.startswith("En fråga") or case.title in mail.outbox[-1].subject

    with django_capture_on_commit_callbacks(execute=True):
        services.thread_reply(thread=message.thread, by=social_worker, text="Through the church café.")
    assert mail.outbox[-1].to == ["liga@kuldiga.example"]
    assert "anna@lulea.example" not in mail.outbox[-1].body
    assert CaseMessage.objects.filter(thread=message.thread).count() == 2
    assert CaseMessage.objects.filter(notified_at__isnull=True).count() == 0


def test_contact_is_for_other_organisations_and_a_stranger_cannot_reply(social_worker, other_social_worker):
    case, _tools = make_case(author=social_worker, status=Case.Status.PUBLISHED)
    with pytest.raises(PermissionDenied):
        services.case_contact(case=case, by=social_worker, text="Asking myself?")
    message = services.case_contact(case=case, by=other_social_worker, text="A question")
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        services.thread_reply(thread=message.thread, by=stranger, text="Hello")


# Photos ----------------------------------------------------------------------------------------


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_is_resaved_without_exif_and_a_non_image_is_refused(social_worker):
    case, _tools = make_case(author=social_worker)
    raw = _jpeg_with_exif()
    assert b"SecretCamera" in raw
    photo = services.case_photo_add(
        case=case,
        by=social_worker,
        upload=SimpleUploadedFile("p.jpg", raw, "image/jpeg"),
        caption="The stall",
    )
    stored = photo.file.read()
    assert b"SecretCamera" not in stored
    assert (photo.width, photo.height, photo.content_type) == (40, 30, "image/jpeg")

    with pytest.raises(ValidationError) as refused:
        services.case_photo_add(
            case=case, by=social_worker, upload=SimpleUploadedFile("p.jpg", b"<html>", "image/jpeg")
        )
    assert "file" in refused.value.error_dict
    assert case.photos.count() == 1
