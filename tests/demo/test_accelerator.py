"""The demo seeder plays a whole round through the services: idempotent and complete."""

import io

import pytest

from accelerator.models import Application, DecisionRecord, MonthlyFigure, Review, Round, StartUp
from demo import accelerator as demo
from demo import microprojects as microprojects_demo


@pytest.mark.django_db
def test_seed_runs_a_whole_round_and_is_idempotent():
    microprojects_demo.seed(stdout=io.StringIO())
    out = io.StringIO()
    demo.seed(stdout=out)
    round = Round.objects.get(title=demo.TITLE)
    assert round.status == Round.Status.DECIDED
    applications = Application.objects.filter(round=round)
    assert applications.count() >= demo.MIN_APPLICATIONS
    assert Review.objects.filter(submitted_at__isnull=True).count() == 0
    assert Review.objects.count() == applications.count() * 3
    assert applications.filter(status="selected").count() == 8
    assert StartUp.objects.count() == 8
    assert MonthlyFigure.objects.count() == 8 * 12
    assert DecisionRecord.objects.filter(round=round).exists()
    counts = (Application.objects.count(), Review.objects.count(), MonthlyFigure.objects.count())
    demo.seed(stdout=io.StringIO())
    assert (Application.objects.count(), Review.objects.count(), MonthlyFigure.objects.count()) == counts
