"""factory_boy factories for every model the tests need."""

import datetime as dt

import factory
from django.contrib.auth.hashers import make_password

from microprojects.models import Activity, Indicator, Measurement, MicroProject, TargetGroup
from sempre.models import Membership, Organisation, User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    country = "SE"
    region = "Norrbotten"
    kind = Organisation.Kind.NGO


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.LazyFunction(lambda: make_password("secret-pass-123"))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.SOCIAL_WORKER


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetGroup
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"group-{n}")
    name = factory.LazyAttribute(lambda g: g.slug.replace("-", " ").title())


class MicroProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MicroProject

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Micro project {n}")
    summary = "Clients and social workers design a service together."
    problem = "Isolation and lack of income."
    country = factory.LazyAttribute(lambda p: p.organisation.country)
    region = "Luleå"
    status = MicroProject.Status.ACTIVE
    start_date = dt.date(2025, 1, 1)
    end_date = dt.date(2026, 12, 31)
    budget_eur = 15000


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    project = factory.SubFactory(MicroProjectFactory)
    date = dt.date(2025, 3, 1)
    kind = Activity.Kind.WORKSHOP
    title = factory.Sequence(lambda n: f"Workshop {n}")
    participants_total = 10
    participants_new = 4
    women = 6
    men = 4
    non_binary = 0
    gender_not_stated = 0


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    project = factory.SubFactory(MicroProjectFactory)
    name = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "people"
    baseline = 0
    target = 20
    target_date = dt.date(2026, 12, 31)
    direction = Indicator.Direction.INCREASE


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    date = dt.date(2025, 6, 1)
    value = 5
