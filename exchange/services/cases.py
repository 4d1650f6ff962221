"""Writes on practice cases: plain functions, keyword-only, atomic, permission-checked
(docs/exchange.md, "Practice cases").

draft → submitted → published | returned; returned → submitted again; published → draft
(unpublished by the team or a coordinator). Publishing asks the privacy check
(`exchange.screening`): every finding must be confirmed as "not personal data" by the coordinator,
or the text changed, before the case is published (`CaseHasFindings` names them).

Errors are `ValidationError` keyed by field name, `CaseHasFindings`, or `PermissionDenied`.
"""

import io
from collections import defaultdict
from functools import partial

from celery import current_app
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from microprojects.models import MicroProject
from sempre import audit, audit_actions
from sempre.languages import language_of
from sempre.rules import require
from sempre.validation import with_field_rules
from toolkit.models import Snapshot, ToolInstance
from toolkit.services import tool_adapt_from_snapshot

from ..models import Case, CaseMessage, CasePhoto, CaseThread, Method
from ..screening import open_findings
from ..selectors import case_quotes, quotable_for_case

User = get_user_model()
NOTIFY_MESSAGE_TASK = "sempre.exchange.notify_message"

# The texts of a case a team writes; the relations are set through their own arguments.
TEXT_FIELDS = (
    "title",
    "summary",
    "problem",
    "what_we_did",
    "what_changed",
    "lessons",
    "costs_and_time",
    "contact_role",
    "language",
)
CANVAS_SLUGS = ("sbmc", "bmc")
TOC_SLUG = "theory-of-change"


class CaseHasFindings(Exception):
    """Publishing waits for the coordinator's confirmation of these privacy findings."""

    def __init__(self, findings):
        super().__init__("The case has unconfirmed privacy findings.")
        self.findings = findings


def _related(
    project: MicroProject,
    *,
    methods,
    outcomes,
    indicators,
    canvas_snapshot,
    toc_snapshot,
    errors,
    quoted_stories=None,
):
    """The relations of a case, each checked to belong where it must (the project's own outcomes,
    indicators and snapshots; stories its clients let be quoted in a case); wrong ones are named in
    `errors`."""
    found = {}
    if quoted_stories is not None:
        wanted = {getattr(story, "pk", story) for story in quoted_stories}
        stories = list(quotable_for_case(project).filter(pk__in=[pk for pk in wanted if isinstance(pk, int)]))
        if len(stories) != len(wanted):
            errors["quoted_stories"] = _(
                "Choose stories of this project whose tellers let them be quoted in a practice case."
            )
        found["quoted_stories"] = stories
    if methods is not None:
        methods = list(methods)
        slugs = [m for m in methods if isinstance(m, str)]
        known = {m.slug: m for m in Method.objects.filter(slug__in=slugs)} if slugs else {}
        unknown = [slug for slug in slugs if slug not in known]
        if unknown:
            errors["methods"] = _("There is no method “%(slug)s”.") % {"slug": unknown[0]}
        found["methods"] = [known.get(m, m) if isinstance(m, str) else m for m in methods if m not in unknown]
    if outcomes is not None:
        outcomes = list(outcomes)
        if any(o.instance.project_id != project.pk for o in outcomes):
            errors["outcomes"] = _("Choose outcomes of this project's Theory of Change.")
        found["outcomes"] = outcomes
    if indicators is not None:
        indicators = list(indicators)
        if any(i.project_id != project.pk for i in indicators):
            errors["indicators"] = _("Choose indicators of this project.")
        found["indicators"] = indicators
    for field, snapshot, slugs in (
        ("canvas_snapshot", canvas_snapshot, CANVAS_SLUGS),
        ("toc_snapshot", toc_snapshot, (TOC_SLUG,)),
    ):
        if snapshot is None or snapshot is ...:
            continue
        if snapshot.instance.project_id != project.pk:
            errors[field] = _("Choose a snapshot of this project's tools.")
        elif snapshot.instance.template.slug not in slugs:
            errors[field] = (
                _("Choose a snapshot of a canvas.")
                if field == "canvas_snapshot"
                else _("Choose a snapshot of a Theory of Change.")
            )
    return found


def _save(case: Case, *, texts: dict, relations: dict, canvas_snapshot, toc_snapshot) -> Case:
    errors: dict = {}
    for field, value in texts.items():
        if value is not None:
            setattr(case, field, (value or "").strip() if isinstance(value, str) else value)
    if canvas_snapshot is not ...:
        case.canvas_snapshot = canvas_snapshot
    if toc_snapshot is not ...:
        case.toc_snapshot = toc_snapshot
    found = _related(
        case.project,
        canvas_snapshot=canvas_snapshot,
        toc_snapshot=toc_snapshot,
        errors=errors,
        **relations,
    )
    errors = with_field_rules(case, errors, exclude=["project", "created_by", "confirmed_findings"])
    if errors:
        raise ValidationError(errors)
    case.save()
    for name, objects in found.items():
        getattr(case, name).set(objects)
    return case


@transaction.atomic
def case_create(
    *,
    project: MicroProject,
    by,
    title: str = "",
    summary: str = "",
    problem: str = "",
    what_we_did: str = "",
    what_changed: str = "",
    lessons: str = "",
    costs_and_time: str = "",
    contact_role: str = "",
    language: str = "",
    methods=(),
    outcomes=(),
    indicators=(),
    quoted_stories=(),
    canvas_snapshot: Snapshot | None = None,
    toc_snapshot: Snapshot | None = None,
) -> Case:
    """A new draft case of `project`, written by its team. `methods` are Method objects or slugs."""
    require(by, "exchange.add_case", project, message=_("Only the project's team writes its cases."))
    texts = {field: value for field, value in locals().items() if field in TEXT_FIELDS}
    texts["language"] = language or getattr(by, "language", "") or "en"
    case = Case(project=project, created_by=by)
    return _save(
        case,
        texts=texts,
        relations={
            "methods": methods,
            "outcomes": outcomes,
            "indicators": indicators,
            "quoted_stories": quoted_stories,
        },
        canvas_snapshot=canvas_snapshot,
        toc_snapshot=toc_snapshot,
    )


@transaction.atomic
def case_update(
    *,
    case: Case,
    by,
    title=None,
    summary=None,
    problem=None,
    what_we_did=None,
    what_changed=None,
    lessons=None,
    costs_and_time=None,
    contact_role=None,
    language=None,
    methods=None,
    outcomes=None,
    indicators=None,
    quoted_stories=None,
    canvas_snapshot=...,
    toc_snapshot=...,
) -> Case:
    """Change a draft or returned case; what is None (a snapshot: ...) stays as it is."""
    locked = _locked(case)
    require(by, "exchange.change_case", locked, message=_("Only a draft or returned case can be changed."))
    texts = {field: value for field, value in locals().items() if field in TEXT_FIELDS}
    return _save(
        locked,
        texts=texts,
        relations={
            "methods": methods,
            "outcomes": outcomes,
            "indicators": indicators,
            "quoted_stories": quoted_stories,
        },
        canvas_snapshot=canvas_snapshot,
        toc_snapshot=toc_snapshot,
    )


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("project").get(pk=case.pk)


@transaction.atomic
def case_submit(*, case: Case, by) -> Case:
    """Ask the coordinators to publish the case. Submitting a submitted case again changes nothing."""
    locked = _locked(case)
    if locked.status == Case.Status.SUBMITTED and is_team(by, locked):
        return locked
    require(by, "exchange.submit_case", locked, message=_("Only a draft or returned case can be submitted."))
    locked.status = Case.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    audit.record(actor=by, action=audit_actions.CASE_SUBMITTED, target=locked)
    return locked


def is_team(user, case: Case) -> bool:
    return user.is_authenticated and case.project.organisation_id in user.organisation_ids


def case_publish(*, case: Case, by, confirmed=()) -> Case:
    """Publish a submitted case. `confirmed`: keys of privacy findings the coordinator confirms
    as "not personal data" (kept, so they are not asked again). While any finding is open, nothing
    is published and `CaseHasFindings` lists them (the confirmations given are kept). Publishing a
    published case changes nothing."""
    with transaction.atomic():
        locked = _locked(case)
        if locked.status == Case.Status.PUBLISHED and by.is_authenticated and by.is_coordinator:
            return locked
        require(
            by, "exchange.review_case", locked, message=_("Only a coordinator publishes a submitted case.")
        )
        captions = list(locked.photos.values_list("caption", flat=True))
        quotes = case_quotes(locked)
        confirmed = {str(key) for key in confirmed or ()}
        current = {finding.key for finding in open_findings(locked, captions, quotes)}
        before = sorted(locked.confirmed_findings or [])
        kept = sorted(set(before) | (confirmed & current))
        locked.confirmed_findings = kept
        remaining = open_findings(locked, captions, quotes)
        if not remaining:
            locked.status = Case.Status.PUBLISHED
            locked.published_at = timezone.now()
            locked.return_reason = ""
            locked.save(
                update_fields=["status", "published_at", "return_reason", "confirmed_findings", "updated_at"]
            )
            audit.record(
                actor=by, action=audit_actions.CASE_PUBLISHED, target=locked, data={"confirmed": len(kept)}
            )
            return locked
        if kept != before:
            locked.save(update_fields=["confirmed_findings", "updated_at"])
    # Outside the transaction: the confirmations given so far are kept, the case stays submitted.
    raise CaseHasFindings(remaining)


@transaction.atomic
def case_return(*, case: Case, by, reason: str) -> Case:
    """Send a submitted case back to its team with a reason (what to change)."""
    locked = _locked(case)
    require(by, "exchange.review_case", locked, message=_("Only a coordinator returns a submitted case."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please say what the team should change.")})
    if len(reason) > 2000:
        raise ValidationError({"reason": _("Please keep it under %(max)d characters.") % {"max": 2000}})
    locked.status = Case.Status.RETURNED
    locked.return_reason = reason
    locked.save(update_fields=["status", "return_reason", "updated_at"])
    audit.record(actor=by, action=audit_actions.CASE_RETURNED, target=locked)
    return locked


@transaction.atomic
def case_unpublish(*, case: Case, by) -> Case:
    """Take a published case back to draft: at once invisible to other organisations. The team may
    do it at any time, and so may a coordinator. Unpublishing a case that is not published changes
    nothing."""
    locked = _locked(case)
    if locked.status != Case.Status.PUBLISHED and (is_team(by, locked) or by.is_coordinator):
        return locked
    require(by, "exchange.unpublish_case", locked, message=_("Only the team or a coordinator unpublishes."))
    locked.status = Case.Status.DRAFT
    locked.published_at = None
    locked.save(update_fields=["status", "published_at", "updated_at"])
    audit.record(actor=by, action=audit_actions.CASE_UNPUBLISHED, target=locked)
    return locked


@transaction.atomic
def case_adapt(*, case: Case, project: MicroProject, by) -> list[ToolInstance]:
    """Copy the case's canvas and Theory of Change snapshots into `project` (the reader's own) as
    new tools marked "adapted from" the case. No client contribution and no name is copied
    (toolkit.services.tool_adapt_from_snapshot)."""
    require(by, "exchange.adapt_case", case, message=_("Only a published case can be adapted."))
    if project.organisation_id not in by.organisation_ids:
        raise ValidationError({"project": _("Choose a project of your own organisation.")})
    if project.status not in (MicroProject.Status.DRAFT, MicroProject.Status.ACTIVE):
        raise ValidationError({"project": _("Choose a draft or active project.")})
    snapshots = [s for s in (case.canvas_snapshot, case.toc_snapshot) if s is not None]
    if not snapshots:
        raise ValidationError({"case": _("This case shares no canvas or Theory of Change to adapt.")})
    tools = []
    for snapshot in snapshots:
        snapshot = Snapshot.objects.select_related("instance__template").get(pk=snapshot.pk)
        label = _("the practice case “%(title)s” (its version of %(date)s)") % {
            "title": case.title,
            "date": snapshot.created_at.date().isoformat(),
        }
        tools.append(tool_adapt_from_snapshot(snapshot=snapshot, project=project, by=by, adapted_from=label))
    audit.record(
        actor=by,
        action=audit_actions.CASE_ADAPTED,
        target=case,
        data={"project": project.pk, "tools": [tool.pk for tool in tools]},
    )
    return tools


def _message_text(text) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Please write your message.")})
    if len(text) > 4000:
        raise ValidationError({"text": _("Please keep it under %(max)d characters.") % {"max": 4000}})
    return text


def _notify_later(message: CaseMessage) -> None:
    transaction.on_commit(partial(current_app.signature(NOTIFY_MESSAGE_TASK, args=(message.pk,)).apply_async))


@transaction.atomic
def case_contact(*, case: Case, by, text: str, organisation=None, share_email: bool = False) -> CaseMessage:
    """ "Ask the team": a message from the reader's organisation to the case's team, in the
    platform (one thread per case and asking organisation) and by e-mail to the team (no address
    is shown to either side unless the writer ticks `share_email`). `organisation`: which of the
    asker's organisations asks (default: their first)."""
    require(
        by, "exchange.contact_case", case, message=_("Only another organisation asks about a published case.")
    )
    text = _message_text(text)
    if organisation is None:
        organisation_id = sorted(by.organisation_ids)[0]
    elif organisation.pk in by.organisation_ids:
        organisation_id = organisation.pk
    else:
        raise ValidationError({"organisation": _("Choose an organisation you work for.")})
    thread, _created = CaseThread.objects.get_or_create(case=case, organisation_id=organisation_id)
    message = CaseMessage.objects.create(
        thread=thread, author=by, from_team=False, text=text, share_email=bool(share_email)
    )
    CaseThread.objects.filter(pk=thread.pk).update(updated_at=timezone.now())
    _notify_later(message)
    return message


@transaction.atomic
def thread_reply(*, thread: CaseThread, by, text: str, share_email: bool = False) -> CaseMessage:
    """A reply in a thread, from the case's team or from the asking organisation. With
    `share_email` the other side sees the writer's e-mail address on this message (and only it)."""
    case = thread.case
    from_team = is_team(by, case)
    if not from_team and thread.organisation_id not in (by.organisation_ids if by.is_authenticated else ()):
        raise PermissionDenied(_("You may not write in this conversation."))
    text = _message_text(text)
    message = CaseMessage.objects.create(
        thread=thread, author=by, from_team=from_team, text=text, share_email=bool(share_email)
    )
    CaseThread.objects.filter(pk=thread.pk).update(updated_at=timezone.now())
    _notify_later(message)
    return message


def message_notify(*, message: CaseMessage) -> int:
    """E-mail the other side of a thread that a message is waiting in the platform, each person in
    the language saved on their account. The e-mail says who asked by organisation and role only,
    reveals no address (except the writer's, if they chose to share it with this message), and
    asks to reply in the platform. Each message is mailed once."""
    with transaction.atomic():
        message = (
            CaseMessage.objects.select_for_update(of=("self",))
            .select_related(
                "author", "thread__case__project", "thread__organisation", "thread__case__created_by"
            )
            .filter(pk=message.pk, notified_at__isnull=True)
            .first()
        )
        if message is None:
            return 0
        thread = message.thread
        case = thread.case
        if message.from_team:
            authors = User.objects.filter(
                pk__in=thread.messages.filter(from_team=False).values("author_id"),
                memberships__organisation=thread.organisation,
            )
            people = set(authors)
        else:
            people = {*case.project.lead_social_workers.all(), case.created_by}
        people = {
            p for p in people if p is not None and p.email and p.is_active and p.pk != message.author_id
        }
        by_language: dict[str, set[str]] = defaultdict(set)
        for person in people:
            by_language[language_of(person)].add(person.email)
        for language, recipients in sorted(by_language.items()):
            with translation.override(language):
                context = {
                    "message": message,
                    "thread": thread,
                    "case": case,
                    "path": thread_path(thread),
                    "site_url": settings.SEMPRE_SITE_URL.rstrip("/"),
                }
                subject = "".join(
                    render_to_string("exchange/email/message_subject.txt", context).splitlines()
                )
                body = render_to_string("exchange/email/message_body.txt", context).strip()
            send_mail(
                subject=subject.strip(),
                message=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=sorted(recipients),
            )
        message.notified_at = timezone.now()
        message.save(update_fields=["notified_at"])
        return len(people)


def thread_path(thread: CaseThread) -> str:
    return reverse("exchange:case_thread", args=[thread.case_id, thread.pk])


# Photos -------------------------------------------------------------------------------------------

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000
# Long side of the stored photo; a larger one is scaled down when it is re-saved.
PHOTO_LONG_SIDE = 2000
PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}
MAX_PHOTOS = 6


@transaction.atomic
def case_photo_add(*, case: Case, by, upload, caption: str = "") -> CasePhoto:
    """Add a photo: a JPEG or PNG up to 8 MB, checked by Pillow and re-saved, which drops its EXIF
    (place, camera, time) and anything else riding along in the file. Stored privately, shown only
    through the case's photo view."""
    case = _locked(case)
    require(by, "exchange.change_case", case, message=_("Only a draft or returned case can be changed."))
    errors = {}
    caption = (caption or "").strip()
    if len(caption) > 300:
        errors["caption"] = _("Please keep it under %(max)d characters.") % {"max": 300}
    if case.photos.count() >= MAX_PHOTOS:
        errors["file"] = _("A case has at most %(count)d photos.") % {"count": MAX_PHOTOS}
    elif upload is None:
        errors["file"] = _("Please choose a photo.")
    elif upload.size > MAX_PHOTO_BYTES:
        errors["file"] = _("A photo may be at most 8 MB.")
    image = None
    if "file" not in errors:
        try:
            upload.seek(0)
            with Image.open(upload) as probe:
                probe.verify()
            upload.seek(0)
            image = Image.open(upload)
            if image.format not in PHOTO_FORMATS:
                errors["file"] = _("Please choose a JPEG or PNG photo.")
            elif image.width * image.height > MAX_PHOTO_PIXELS:
                errors["file"] = _("This photo has too many pixels.")
            else:
                image.load()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            errors["file"] = _("This file is not a photo we can read (JPEG or PNG).")
    if errors:
        raise ValidationError(errors)
    content_type = PHOTO_FORMATS[image.format]
    image = ImageOps.exif_transpose(image)  # keep it upright; the EXIF itself is not saved
    image.thumbnail((PHOTO_LONG_SIDE, PHOTO_LONG_SIDE))
    out = io.BytesIO()
    if content_type == "image/jpeg":
        image.convert("RGB").save(out, format="JPEG", quality=85)
    else:
        image.save(out, format="PNG")
    photo = CasePhoto(
        case=case, caption=caption, content_type=content_type, width=image.width, height=image.height
    )
    photo.file.save(f"photo.{photo.extension}", ContentFile(out.getvalue()), save=False)
    photo.save()
    return photo


@transaction.atomic
def case_photo_delete(*, photo: CasePhoto, by) -> None:
    require(
        by, "exchange.change_case", photo.case, message=_("Only a draft or returned case can be changed.")
    )
    name = photo.file.name
    storage = photo.file.storage
    photo.delete()
    transaction.on_commit(partial(storage.delete, name))
