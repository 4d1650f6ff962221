"""Practice cases (issue #20 §2, docs/exchange.md "Practice cases"): a draft, a submitted and a
published case of the world's organisation, a conversation the other organisation started about
the published one, and a photo of the draft.

Who sees what: the team (sw, admin) and coordinators every state; every organisation's staff the
published case; reviewers without a membership nothing (404). Only a coordinator publishes or
returns; the team or a coordinator unpublishes; another organisation's staff adapt and ask."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from exchange.models import Case
from exchange.services import cases as services
from tests.exchange.case_factories import make_case

WEB_NO_SUCH_METHOD = "login login 405 405 405 405 405 405"
API_NO_SUCH_METHOD = "403 403 405 405 405 405 405 405"
WEB_TEAM = "login login ok 404 ok 404 404 ok"  # an unpublished case: the team and coordinators
WEB_TEAM_WRITE = "login login ok 404 ok 404 404 403"  # changing it: the team alone
WEB_REVIEW = "login login 403 404 403 404 404 ok"  # publishing, returning: a coordinator
READ_ONLY = "- - - - - - - -"

EXPECTED = {
    "exchange:cases": ("login login ok ok ok ok ok ok", WEB_NO_SUCH_METHOD),
    "exchange:case_new": ("login login ok ok ok 403 403 403", "login login ok ok ok 403 403 403"),
    "exchange:case": (WEB_TEAM, WEB_NO_SUCH_METHOD),
    "exchange:case_edit": ("login login ok 404 ok 404 404 403", WEB_TEAM_WRITE),
    "exchange:case_submit": (WEB_NO_SUCH_METHOD, WEB_TEAM_WRITE),
    "exchange:case_publish": (WEB_REVIEW, WEB_REVIEW),
    "exchange:case_return": (WEB_REVIEW, WEB_REVIEW),
    "exchange:case_unpublish": (WEB_NO_SUCH_METHOD, "login login ok 403 ok 404 404 ok"),
    "exchange:case_adapt": ("login login ok ok ok 404 404 403", "login login ok ok ok 404 404 403"),
    "exchange:case_contact": ("login login 403 ok 403 404 404 403", "login login 403 ok 403 404 404 403"),
    "exchange:case_thread": ("login login ok ok ok 404 404 404", "login login ok ok ok 404 404 404"),
    "exchange:case_photo_add": (WEB_NO_SUCH_METHOD, WEB_TEAM_WRITE),
    "exchange:case_photo": (WEB_TEAM, WEB_NO_SUCH_METHOD),
    "exchange:case_photo_delete": (WEB_NO_SUCH_METHOD, WEB_TEAM_WRITE),
    "api:case-list": ("403 403 ok ok ok ok ok ok", "403 403 bad bad bad 403 403 403"),
    "api:case-detail": ("403 403 ok 404 ok 404 404 ok", "403 403 ok 404 ok 404 404 403"),  # PATCH
    "api:case-submit": (API_NO_SUCH_METHOD, "403 403 ok 404 ok 404 404 403"),
    "api:case-publish": (API_NO_SUCH_METHOD, "403 403 403 404 403 404 404 ok"),
    "api:case-return": (API_NO_SUCH_METHOD, "403 403 403 404 403 404 404 bad"),
    "api:case-unpublish": (API_NO_SUCH_METHOD, "403 403 ok 403 ok 404 404 ok"),
    "api:case-adapt": (API_NO_SUCH_METHOD, "403 403 bad bad bad 404 404 403"),
    "api:case-contact": (API_NO_SUCH_METHOD, "403 403 403 bad 403 404 404 403"),
    # the conversations one takes part in (a coordinator: none of them); writing in one
    "api:case-threads": ("403 403 ok ok ok 404 404 ok", READ_ONLY),
    "api:case-reply": (API_NO_SUCH_METHOD, "403 403 bad bad bad 404 404 404"),
}


def _r(name, obj=None, **kwargs):
    return lambda w: reverse(
        name, kwargs={**({"pk": w.objects[obj].pk} if obj else {}), **{k: v(w) for k, v in kwargs.items()}}
    )


URLS = {
    "exchange:cases": _r("exchange:cases"),
    "exchange:case_new": _r("exchange:case_new"),
    "exchange:case": _r("exchange:case", "draft_case"),
    "exchange:case_edit": _r("exchange:case_edit", "draft_case"),
    "exchange:case_submit": _r("exchange:case_submit", "draft_case"),
    "exchange:case_publish": _r("exchange:case_publish", "submitted_case"),
    "exchange:case_return": _r("exchange:case_return", "submitted_case"),
    "exchange:case_unpublish": _r("exchange:case_unpublish", "published_case"),
    "exchange:case_adapt": _r("exchange:case_adapt", "published_case"),
    "exchange:case_contact": _r("exchange:case_contact", "published_case"),
    "exchange:case_thread": _r(
        "exchange:case_thread", "published_case", thread_pk=lambda w: w.case_thread.pk
    ),
    "exchange:case_photo_add": _r("exchange:case_photo_add", "draft_case"),
    "exchange:case_photo": _r("exchange:case_photo", "draft_case", photo_pk=lambda w: w.case_photo.pk),
    "exchange:case_photo_delete": _r(
        "exchange:case_photo_delete", "draft_case", photo_pk=lambda w: w.case_photo.pk
    ),
    "api:case-list": _r("api:case-list"),
    "api:case-detail": _r("api:case-detail", "draft_case"),
    "api:case-submit": _r("api:case-submit", "draft_case"),
    "api:case-publish": _r("api:case-publish", "submitted_case"),
    "api:case-return": _r("api:case-return", "submitted_case"),
    "api:case-unpublish": _r("api:case-unpublish", "published_case"),
    "api:case-adapt": _r("api:case-adapt", "published_case"),
    "api:case-contact": _r("api:case-contact", "published_case"),
    "api:case-threads": _r("api:case-threads", "published_case"),
    "api:case-reply": _r("api:case-reply", "published_case", thread_pk=lambda w: w.case_thread.pk),
}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2, 2), "blue").save(out, format="PNG")
    return out.getvalue()


def extend_world(world) -> None:
    organisation = world.project.organisation
    author, coordinator = world.users["sw"], world.users["coord"]
    o = world.objects
    o["draft_case"] = make_case(organisation, author=author)[0]
    o["submitted_case"] = make_case(organisation, author=author, status=Case.Status.SUBMITTED)[0]
    o["published_case"] = make_case(
        organisation, author=author, status=Case.Status.PUBLISHED, coordinator=coordinator
    )[0]
    o["case_thread"] = services.case_contact(
        case=o["published_case"], by=world.users["other"], text="How did you start?"
    ).thread
    o["case_photo"] = services.case_photo_add(
        case=o["draft_case"], by=author, upload=SimpleUploadedFile("p.png", _png(), "image/png")
    )
