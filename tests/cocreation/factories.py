"""Factories for co-creation tests. Tool templates come from the toolkit fixtures (loaded after
migrate), so a tool instance here is a real SBMC or Theory of Change."""

import secrets

import factory
from django.utils import timezone

from toolkit.cocreation.codes import receipt_hash, token_hash
from toolkit.cocreation.consent import CONSENT_NOTICE_VERSION
from toolkit.cocreation.models import Contribution, Invite
from toolkit.models import ToolInstance, ToolTemplate

from ..factories import MicroProjectFactory


class ToolInstanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ToolInstance

    project = factory.SubFactory(MicroProjectFactory)
    template = factory.LazyFunction(lambda: ToolTemplate.objects.get(slug="sbmc"))
    title = factory.Sequence(lambda n: f"Canvas {n}")


class InviteFactory(factory.django.DjangoModelFactory):
    """An open invite. Use `invite_with_token()` when the test needs the link."""

    class Meta:
        model = Invite
        exclude = ["token"]

    tool = factory.SubFactory(ToolInstanceFactory)
    label = factory.Sequence(lambda n: f"Workshop {n}")
    language = "en"
    token = factory.Sequence(lambda n: f"test-token-{n:04d}-abcdefghijklmnopqrstuvwxyz")
    token_hash = factory.LazyAttribute(lambda o: token_hash(o.token))


def invite_with_token(**kwargs) -> tuple[Invite, str]:
    token = secrets.token_urlsafe(24)
    return InviteFactory(token=token, **kwargs), token


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution
        exclude = ["receipt_code"]

    invite = factory.SubFactory(InviteFactory)
    tool = factory.LazyAttribute(lambda o: o.invite.tool)
    block_key = "beneficiary_segments"
    text = factory.Sequence(lambda n: f"Idea number {n}: a shared kitchen.")
    language = "en"
    consent_version = CONSENT_NOTICE_VERSION
    consent_at = factory.LazyFunction(timezone.now)
    receipt_code = "ABCD-EFGH-JKMN"
    receipt_hash = factory.LazyAttribute(lambda o: receipt_hash(o.receipt_code))
