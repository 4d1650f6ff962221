"""Factories and sample recordings for the stories tests."""

import secrets

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from toolkit.cocreation.codes import receipt_hash, token_hash
from toolkit.stories.consent import STORY_CONSENT_VERSION
from toolkit.stories.models import Story, StoryInvite

from ..factories import MicroProjectFactory

# The first bytes of what browsers' MediaRecorder writes (an EBML header with DocType "webm", an
# Ogg page, an MP4 "ftyp" box), padded: the server judges a recording by them.
WEBM_HEAD = bytes.fromhex("1a45dfa39f4286810142f7810142f2810442f381084282847765626d42878104428581021853")
OGG_HEAD = b"OggS\x00\x02" + b"\x00" * 20
MP4_HEAD = b"\x00\x00\x00\x1cftypM4A \x00\x00\x00\x00"


def recording(head: bytes = WEBM_HEAD, size: int = 4096, name: str = "story.webm", content_type="audio/webm"):
    return SimpleUploadedFile(name, head + b"\x00" * max(0, size - len(head)), content_type=content_type)


class StoryInviteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StoryInvite
        exclude = ["token"]

    project = factory.SubFactory(MicroProjectFactory)
    label = factory.Sequence(lambda n: f"Stories {n}")
    token = factory.Sequence(lambda n: f"story-token-{n:04d}-abcdefghijklmnopqrstuvwxyz")
    token_hash = factory.LazyAttribute(lambda o: token_hash(o.token))


def story_invite_with_token(**kwargs):
    token = secrets.token_urlsafe(24)
    return StoryInviteFactory(token=token, **kwargs), token


class StoryFactory(factory.django.DjangoModelFactory):
    """A typed story, consented for the team only, with the receipt code "AAAA-BBBB-CCCC"."""

    class Meta:
        model = Story
        exclude = ["receipt_code"]

    invite = factory.SubFactory(StoryInviteFactory)
    project = factory.SelfAttribute("invite.project")
    language = "en"
    what_changed = factory.Sequence(lambda n: f"I found a job at the bakery ({n}).")
    why_important = "I can pay the rent myself."
    consent_version = STORY_CONSENT_VERSION
    consent_at = factory.LazyFunction(timezone.now)
    receipt_code = "AAAA-BBBB-CCCC"
    receipt_hash = factory.LazyAttribute(lambda o: receipt_hash(o.receipt_code))
