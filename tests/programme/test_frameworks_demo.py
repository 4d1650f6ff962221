"""The demo's crosswalk (demo/programme.py): demo projects' indicators only, idempotent."""

import io

import pytest

from demo import programme as demo
from programme.models import FrameworkIndicator, IndicatorMapping
from tests.demo.helpers import mark_as_demo
from tests.factories import IndicatorFactory, MicroProjectFactory

pytestmark = pytest.mark.django_db


def test_demo_maps_its_own_indicators_in_every_framework_once():
    project, persons_project = MicroProjectFactory(), MicroProjectFactory()
    mark_as_demo(project)
    for name in ("Earned income", "Women who found a job", "Tours guided"):
        IndicatorFactory(project=project, name=name)
    IndicatorFactory(project=persons_project, name="Earned income")
    demo.seed(stdout=io.StringIO())
    mapped = IndicatorMapping.objects.select_related("framework_indicator__framework", "indicator")
    assert {(m.framework_indicator.framework.slug, m.framework_indicator.code) for m in mapped} == {
        ("iris-plus", "PI1775"),
        ("esf-plus", "EECR04"),
        ("interreg", "RCO 84"),
    }
    assert {m.indicator.project_id for m in mapped} == {project.pk}
    demo.seed(stdout=io.StringIO())
    assert IndicatorMapping.objects.count() == 3


def test_every_demo_mapping_names_a_framework_indicator_that_exists():
    codes = set(FrameworkIndicator.objects.values_list("framework__slug", "code"))
    assert {(framework, code) for _name, framework, code, *_rest in demo.MAPPINGS} <= codes
