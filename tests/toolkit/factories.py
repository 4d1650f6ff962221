"""Factories for the toolkit's models (templates come from the fixtures, loaded after migrate)."""

import factory

from tests.factories import MicroProjectFactory
from toolkit.loader import load_templates
from toolkit.models import Assumption, CausalLink, Entry, Intervention, Outcome, ToolInstance, ToolTemplate


def tool_template(slug: str = "sbmc") -> ToolTemplate:
    template = ToolTemplate.objects.filter(slug=slug).first()
    if template is None:  # a transactional test may have flushed the table
        load_templates()
        template = ToolTemplate.objects.get(slug=slug)
    return template


class ToolInstanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ToolInstance

    project = factory.SubFactory(MicroProjectFactory)
    template = factory.LazyFunction(tool_template)
    title = ""


class TheoryOfChangeFactory(ToolInstanceFactory):
    template = factory.LazyFunction(lambda: tool_template("theory-of-change"))


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry

    instance = factory.SubFactory(ToolInstanceFactory)
    block_key = "key_resources"
    text = factory.Sequence(lambda n: f"Entry {n}")
    order = factory.Sequence(lambda n: n + 1)


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    instance = factory.SubFactory(TheoryOfChangeFactory)
    text = factory.Sequence(lambda n: f"Outcome {n}")
    level = Outcome.Level.EARLY
    order = factory.Sequence(lambda n: n + 1)


class CausalLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CausalLink

    instance = factory.LazyAttribute(lambda link: link.source.instance)
    source = factory.SubFactory(OutcomeFactory)
    target = factory.SubFactory(OutcomeFactory, instance=factory.SelfAttribute("..source.instance"))
    rationale = "Because it does."
    kind = CausalLink.Kind.CAUSAL


class InterventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intervention
        skip_postgeneration_save = True

    instance = factory.SubFactory(TheoryOfChangeFactory)
    text = factory.Sequence(lambda n: f"Intervention {n}")

    @factory.post_generation
    def outcomes(self, create, extracted, **kwargs):
        if create and extracted:
            self.outcomes.set(extracted)


class AssumptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assumption

    instance = factory.SubFactory(TheoryOfChangeFactory)
    text = factory.Sequence(lambda n: f"Assumption {n}")
    outcome = factory.SubFactory(OutcomeFactory, instance=factory.SelfAttribute("..instance"))
