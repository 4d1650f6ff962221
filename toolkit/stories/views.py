"""The team's pages under /stories/: a project's stories and story invites (link and QR), recording a
story with a client present, transcribing a recording, linking a story to an outcome or indicator,
and the selection of the most significant change.

Only the project's organisation's staff see any of it (404 for everybody else); a recording is sent
only through `story_audio`, which checks that and writes an audit line.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.signing import BadSignature
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sempre import audit
from toolkit.cocreation.codes import token_matches
from toolkit.cocreation.qr import qr_svg

from .consent import audio_retention_days
from .forms import LinkForm, OnBehalfForm, SelectionForm, StoryInviteForm, TranscriptionForm
from .selectors import (
    outcomes_of,
    projects_with_stories_for,
    stories_visible_to,
    story_invite_list,
    story_invites_visible_to,
    story_list,
)
from .services import (
    story_invite_create,
    story_invite_revoke,
    story_link,
    story_record_on_behalf,
    story_select,
    story_transcribe,
    story_unselect,
)

INVITE_COOKIE_SALT = "sempre.stories.new-invite"
INVITE_COOKIE_MAX_AGE = 60 * 60


def _form_errors(form, error: ValidationError):
    for field, messages_ in error.message_dict.items():
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


@login_required
@require_GET
def index(request):
    """The projects whose stories the user works with, with what waits for them."""
    projects = (
        projects_with_stories_for(request.user)
        .annotate(
            story_count=Count("stories", filter=Q(stories__withdrawn_at__isnull=True)),
            waiting_count=Count(
                "stories",
                filter=Q(stories__withdrawn_at__isnull=True, stories__transcribed_at__isnull=True)
                & ~Q(stories__audio=""),
            ),
        )
        .order_by("title")
    )
    return render(request, "stories/index.html", {"projects": projects})


@login_required
@require_http_methods(["GET", "POST"])
def project_stories(request, project_id):
    project = get_object_or_404(projects_with_stories_for(request.user), pk=project_id)
    form = StoryInviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invite, token = story_invite_create(
                project=project,
                by=request.user,
                label=form.cleaned_data["label"],
                language=form.cleaned_data["language"],
                expires_at=form.cleaned_data["expires_at"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        except PermissionDenied as error:  # pragma: no cover - the project lookup is the same check
            raise Http404 from error
        else:
            response = redirect("stories:invite", pk=invite.pk)
            response.set_signed_cookie(
                f"stories_invite_{invite.pk}",
                token,
                salt=INVITE_COOKIE_SALT,
                max_age=INVITE_COOKIE_MAX_AGE,
                path=reverse("stories:invite", args=[invite.pk]),
                httponly=True,
                samesite="Strict",
                secure=request.is_secure(),
            )
            return response
    return render(
        request,
        "stories/project.html",
        {
            "project": project,
            "stories": list(story_list(request.user, project=project)),
            "invites": story_invite_list(request.user, project=project),
            "form": form,
            "audio_retention_days": audio_retention_days(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def invite_detail(request, pk):
    invite = get_object_or_404(story_invites_visible_to(request.user).select_related("project"), pk=pk)
    link = None
    try:
        token = request.get_signed_cookie(
            f"stories_invite_{invite.pk}", salt=INVITE_COOKIE_SALT, default=None
        )
    except BadSignature:
        token = None
    if token and token_matches(token, invite.token_hash):
        link = request.build_absolute_uri(reverse("tell:tell", args=[token]))
    return render(
        request,
        "stories/invite.html",
        {
            "invite": invite,
            "link": link,
            "qr": qr_svg(link, label=_("QR code of the invite link")) if link else None,
        },
    )


@login_required
@require_POST
def invite_revoke(request, pk):
    invite = get_object_or_404(story_invites_visible_to(request.user), pk=pk)
    story_invite_revoke(invite=invite, by=request.user)
    messages.success(request, _("The link stopped working."))
    return redirect("stories:project", project_id=invite.project_id)


@login_required
@require_http_methods(["GET", "POST"])
def on_behalf(request, project_id):
    project = get_object_or_404(projects_with_stories_for(request.user), pk=project_id)
    posted = request.method == "POST"
    form = OnBehalfForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial={"language": request.LANGUAGE_CODE},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            story = story_record_on_behalf(
                project=project,
                by=request.user,
                client_consents=data["client_consents"],
                language=data["language"],
                consent_reports=data["consent_reports"],
                consent_cases=data["consent_cases"],
                what_changed=data["what_changed"],
                why_important=data["why_important"],
                what_helped=data["what_helped"],
                nickname=data["nickname"],
                audio=data["audio"],
                audio_seconds=data["audio_seconds"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The story was saved, with a note that you recorded it."))
            return redirect("stories:story", pk=story.pk)
    return render(
        request,
        "stories/on_behalf.html",
        {"project": project, "form": form},
        status=400 if form.errors else 200,
    )


def _story_for(request, pk):
    return get_object_or_404(
        stories_visible_to(request.user).select_related("project", "outcome", "indicator"), pk=pk
    )


def _story_page(request, story, *, transcription=None, link=None, selection=None, status=200):
    project = story.project
    return render(
        request,
        "stories/story.html",
        {
            "story": story,
            "project": project,
            "transcription": transcription
            or TranscriptionForm(
                initial={
                    "what_changed": story.what_changed,
                    "why_important": story.why_important,
                    "what_helped": story.what_helped,
                }
            ),
            "link_form": link
            or LinkForm(
                initial={"outcome": story.outcome_id, "indicator": story.indicator_id},
                outcomes=outcomes_of(project),
                indicators=project.indicators.all(),
            ),
            "selection": selection or SelectionForm(initial={"reason": story.selection_reason}),
            "audio_retention_days": audio_retention_days(),
        },
        status=status,
    )


@login_required
@require_GET
def story_detail(request, pk):
    return _story_page(request, _story_for(request, pk))


@login_required
@require_GET
def story_audio(request, pk):
    """The recording, to the team only, never cached, each play in the audit log."""
    story = _story_for(request, pk)
    if not story.audio or story.is_withdrawn:
        raise Http404
    try:
        handle = story.audio.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    audit.record(
        actor=request.user,
        action=audit.STORY_RECORDING_PLAYED,
        target=story.project,
        data={"story": story.pk},
        request=request,
    )
    response = FileResponse(handle, content_type=story.audio_type or "application/octet-stream")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


def _team_write(request, pk, form_class, write, form_name, *, form_kwargs=None):
    story = _story_for(request, pk)
    form = form_class(request.POST, **(form_kwargs(story) if form_kwargs else {}))
    if form.is_valid():
        try:
            write(story, form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return redirect("stories:story", pk=story.pk)
    story.refresh_from_db()
    return _story_page(request, story, status=400, **{form_name: form})


@login_required
@require_POST
def story_transcribe_view(request, pk):
    def write(story, data):
        story_transcribe(story=story, by=request.user, **data)
        messages.success(request, _("Transcription saved. The recording was deleted."))

    return _team_write(request, pk, TranscriptionForm, write, "transcription")


@login_required
@require_POST
def story_link_view(request, pk):
    def write(story, data):
        story_link(story=story, by=request.user, outcome=data["outcome"], indicator=data["indicator"])

    def kwargs(story):
        return {"outcomes": outcomes_of(story.project), "indicators": story.project.indicators.all()}

    return _team_write(request, pk, LinkForm, write, "link", form_kwargs=kwargs)


@login_required
@require_POST
def story_select_view(request, pk):
    if request.POST.get("action") == "unselect":
        story = _story_for(request, pk)
        try:
            story_unselect(story=story, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("stories:story", pk=story.pk)

    def write(story, data):
        story_select(story=story, by=request.user, reason=data["reason"])

    return _team_write(request, pk, SelectionForm, write, "selection")
