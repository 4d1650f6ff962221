"""Reads. Every queryset of stories starts from one of these.

`quotable_stories(project, scope)` is the one answer to "which stories may be shown here": every
report, case and handbook asks it, so a withdrawn or narrowed consent counts everywhere at once.
"""

from django.db.models import Count, Q, QuerySet

from microprojects.models import MicroProject
from toolkit.cocreation.codes import receipt_hash, receipt_normalise
from toolkit.cocreation.codes import token_hash as hash_of_token
from toolkit.models import Outcome

from .models import Story, StoryInvite

SCOPES = tuple(Story.Scope.values)


def projects_with_stories_for(user) -> QuerySet[MicroProject]:
    """The projects whose stories `user` works with: their own organisations' (not a coordinator's
    view of every project)."""
    if not user.is_authenticated:
        return MicroProject.objects.none()
    return MicroProject.objects.filter(organisation_id__in=user.organisation_ids)


def stories_visible_to(user) -> QuerySet[Story]:
    if not user.is_authenticated:
        return Story.objects.none()
    return Story.objects.filter(project__organisation_id__in=user.organisation_ids)


def story_invites_visible_to(user) -> QuerySet[StoryInvite]:
    if not user.is_authenticated:
        return StoryInvite.objects.none()
    return StoryInvite.objects.filter(project__organisation_id__in=user.organisation_ids)


def story_list(user, *, project) -> QuerySet[Story]:
    """The team's list: one query, whatever its length."""
    return (
        stories_visible_to(user)
        .filter(project=project)
        .select_related("outcome", "indicator", "invite")
        .order_by("withdrawn_at", "-created_at", "-id")
    )


def story_invite_list(user, *, project) -> QuerySet[StoryInvite]:
    return story_invites_visible_to(user).filter(project=project).annotate(story_total=Count("stories"))


def story_invite_by_token(token: str) -> StoryInvite | None:
    if not token or len(token) > 100:
        return None
    return (
        StoryInvite.objects.select_related("project__organisation")
        .filter(token_hash=hash_of_token(token))
        .first()
    )


def stories_by_receipt(code: str) -> list[Story]:
    code = receipt_normalise(code)
    if not code:
        return []
    return list(Story.objects.filter(receipt_hash=receipt_hash(code)).order_by("created_at", "id"))


def quotable_stories(project, scope: str, *, selected_only: bool = False) -> QuerySet[Story]:
    """The stories of `project` its tellers let be used for `scope` ("team", "reports" for programme
    and project reports, "cases" for practice cases and the handbook), as of now: not withdrawn,
    with that consent, and with words to show (a recording not yet transcribed has none, and a
    recording itself is never shown). `selected_only`: those the team or panel chose as most
    significant. Ordered by selection first, then newest."""
    if scope not in SCOPES:
        raise ValueError(f"Unknown story scope {scope!r}; one of {', '.join(SCOPES)}")
    stories = Story.objects.filter(
        Q(**{f"consent_{scope}": True}),
        project=project,
        withdrawn_at__isnull=True,
        consent_team=True,
    ).exclude(what_changed="")
    if selected_only:
        stories = stories.filter(selected_at__isnull=False)
    return stories.select_related("outcome", "indicator").order_by("-selected_at", "-created_at", "-id")


def outcomes_of(project):
    """The Theory of Change outcomes a story of `project` may be linked to."""
    return (
        Outcome.objects.filter(instance__project=project)
        .select_related("instance")
        .order_by("instance_id", "order", "id")
    )
