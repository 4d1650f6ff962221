"""Stories of change (issue #20 §3): the team's pages are for the staff of the project's
organisation only (404 for another organisation, reviewers and coordinators, as co-creation's);
the client pages under /c/story/ are public, behind the invite's token or the receipt code."""

from django.urls import reverse

from tests.stories.factories import recording, story_invite_with_token
from toolkit.stories.services import story_tell

TEAM = "login login ok 404 ok 404 404 404"
TEAM_BAD = "login login bad 404 bad 404 404 404"  # an empty form, refused as invalid
WEB_LOGGED_IN = "login login ok ok ok ok ok ok"
WEB_NO_SUCH_METHOD = "login login 405 405 405 405 405 405"
PUBLIC = "ok ok ok ok ok ok ok ok"
PUBLIC_BAD = "bad bad bad bad bad bad bad bad"
EVERYONE_405 = "405 405 405 405 405 405 405 405"
EVERYONE_404 = "404 404 404 404 404 404 404 404"
API_TEAM = "403 403 ok 404 ok 404 404 404"
READ_ONLY = "- - - - - - - -"  # the route offers no write method

EXPECTED = {
    "stories:index": (WEB_LOGGED_IN, WEB_NO_SUCH_METHOD),
    "stories:project": (TEAM, TEAM_BAD),
    "stories:on_behalf": (TEAM, TEAM_BAD),
    "stories:invite": (TEAM, WEB_NO_SUCH_METHOD),
    "stories:invite_revoke": (WEB_NO_SUCH_METHOD, TEAM),
    "stories:story": (TEAM, WEB_NO_SUCH_METHOD),
    "stories:audio": (TEAM, WEB_NO_SUCH_METHOD),
    "stories:transcribe": (WEB_NO_SUCH_METHOD, TEAM_BAD),
    "stories:link": (WEB_NO_SUCH_METHOD, TEAM),
    "stories:select": (WEB_NO_SUCH_METHOD, TEAM_BAD),
    "tell:tell": (PUBLIC, PUBLIC_BAD),
    "tell:thanks": (PUBLIC, EVERYONE_405),
    "tell:receipt": (PUBLIC, PUBLIC_BAD),
    "tell:change": (EVERYONE_405, EVERYONE_404),
    "api:project-story-list": (API_TEAM, READ_ONLY),
    "api:story-detail": (API_TEAM, READ_ONLY),
}


def _story(w):
    return w.story.pk


URLS = {
    "stories:index": lambda w: reverse("stories:index"),
    "stories:project": lambda w: reverse("stories:project", args=[w.project.pk]),
    "stories:on_behalf": lambda w: reverse("stories:on_behalf", args=[w.project.pk]),
    "stories:invite": lambda w: reverse("stories:invite", args=[w.story_invite.pk]),
    "stories:invite_revoke": lambda w: reverse("stories:invite_revoke", args=[w.story_invite.pk]),
    "stories:story": lambda w: reverse("stories:story", args=[_story(w)]),
    "stories:audio": lambda w: reverse("stories:audio", args=[_story(w)]),
    "stories:transcribe": lambda w: reverse("stories:transcribe", args=[_story(w)]),
    "stories:link": lambda w: reverse("stories:link", args=[_story(w)]),
    "stories:select": lambda w: reverse("stories:select", args=[_story(w)]),
    "tell:tell": lambda w: reverse("tell:tell", args=[w.objects["story_token"]]),
    "tell:thanks": lambda w: reverse("tell:thanks", args=[w.objects["story_token"]]),
    "tell:receipt": lambda w: reverse("tell:receipt"),
    "tell:change": lambda w: reverse("tell:change"),
    "api:project-story-list": lambda w: reverse("api:project-story-list", args=[w.project.pk]),
    "api:story-detail": lambda w: reverse("api:story-detail", args=[_story(w)]),
}


def extend_world(world) -> None:
    invite, token = story_invite_with_token(project=world.project)
    world.objects["story_invite"] = invite
    world.objects["story_token"] = token
    # A recorded story, not yet transcribed: its recording is what the audio route sends.
    world.objects["story"], _code = story_tell(
        invite=invite, language="ar", consent_team=True, audio=recording(), audio_seconds=20
    )
