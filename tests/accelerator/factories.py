"""Factories and helpers for accelerator tests. Tools are made through the toolkit's own services."""

import datetime as dt

import factory
from django.utils import timezone

from accelerator.models import Criterion, ReviewerProfile, Round
from microprojects.models import Indicator
from tests.factories import MicroProjectFactory, UserFactory
from toolkit import services as toolkit


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    title = factory.Sequence(lambda n: f"Round {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))
    review_deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    places = 2
    reviewers_per_application = 2
    status = Round.Status.OPEN


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    round = factory.SubFactory(RoundFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = 1
    scale_min = 0
    scale_max = 5
    order = factory.Sequence(lambda n: n)


def reviewer_from(country: str, username: str | None = None):
    user = UserFactory(is_reviewer=True, **({"username": username} if username else {}))
    ReviewerProfile.objects.create(user=user, country=country)
    return user


def make_ready(project, by):
    """Give the project a complete canvas and a valid theory of change, as a social worker would."""
    sbmc = toolkit.tool_create(project=project, template="sbmc", by=by)
    for block in sbmc.template.blocks.all():
        toolkit.entry_add(instance=sbmc, block_key=block.key, text=f"About {block.key}", by=by)
    toolkit.tool_update(instance=sbmc, by=by, status="complete")
    toc = toolkit.tool_create(project=project, template="theory-of-change", by=by)
    impact = toolkit.outcome_add(instance=toc, text="People live well", level="impact", by=by)
    indicator = Indicator.objects.create(project=project, name="Participants", baseline=0, target=20)
    early = toolkit.outcome_add(
        instance=toc, text="People meet", level="early", by=by, indicators=[indicator]
    )
    toolkit.link_add(instance=toc, source=early, target=impact, by=by, rationale="Meeting builds trust")
    toolkit.intervention_add(instance=toc, text="Weekly café", by=by, outputs="40 meetings", outcomes=[early])
    return project


def ready_project(by, **kwargs):
    """A project of `by`'s (first) organisation, eligible to apply."""
    from sempre.models import Organisation

    organisation = kwargs.pop("organisation", None) or Organisation.objects.get(pk=min(by.organisation_ids))
    return make_ready(MicroProjectFactory(organisation=organisation, **kwargs), by)
