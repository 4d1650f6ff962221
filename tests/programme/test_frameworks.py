"""The framework catalogue, the crosswalk's services and the counting rules (programme.selectors),
on the hand-computed programme of frameworks_world.py."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from programme import services
from programme.loader import FIXTURES, load_frameworks
from programme.models import Framework, FrameworkIndicator, IndicatorMapping, plain_number
from programme.selectors import framework_totals
from sempre.languages import language_codes
from tests.factories import ActivityFactory, IndicatorFactory, MeasurementFactory, MicroProjectFactory

from .frameworks_world import build, fi

pytestmark = pytest.mark.django_db

FROM, TO = dt.date(2026, 1, 1), dt.date(2026, 6, 30)


def totals(user, slug, **kwargs):
    kwargs.setdefault("date_from", FROM)
    kwargs.setdefault("date_to", TO)
    rows = framework_totals(user, Framework.objects.get(slug=slug), **kwargs)
    return {row.indicator.code: row for row in rows}


@pytest.fixture
def world(organisation, other_organisation):
    return build(organisation, other_organisation)


# The catalogue ----------------------------------------------------------------------------------


def test_three_frameworks_with_their_indicators_are_loaded_after_migrate():
    assert list(Framework.objects.values_list("slug", flat=True)) == ["interreg", "esf-plus", "iris-plus"]
    interreg = {i.code for i in FrameworkIndicator.objects.filter(framework__slug="interreg")}
    assert interreg == {"RCO 83", "RCO 84", "RCO 87", "RCO 116", "RCR 79", "RCR 84", "RCR 104"}
    esf = fi("esf-plus", "EECO01")
    assert esf.counts_people
    assert esf.breakdowns == ["gender", "age"]
    assert esf.activity_source == "participants_new"
    assert "2021/1057" in esf.source_title


def test_every_indicator_is_named_and_defined_in_every_platform_language():
    load_frameworks()  # the fixtures as they are now, whatever the test database was made from
    codes = [code for code in language_codes() if code != "en"]
    for framework in Framework.objects.all():
        assert set(framework.translations) == set(codes), framework.slug
        for indicator in framework.indicators.all():
            for code in codes:
                texts = indicator.translations.get(code) or {}
                for field in ("name", "definition", "unit", "measured_when"):
                    assert texts.get(field), (indicator.code, code, field)


def test_loading_again_changes_nothing_and_a_dropped_indicator_stays_but_is_not_current(tmp_path):
    before = list(FrameworkIndicator.objects.values_list("id", "code", "is_current"))
    load_frameworks()
    assert list(FrameworkIndicator.objects.values_list("id", "code", "is_current")) == before

    data = json.loads((FIXTURES / "interreg.json").read_text(encoding="utf-8"))
    data["indicators"] = [i for i in data["indicators"] if i["code"] != "RCO 83"]
    (tmp_path / "interreg.json").write_text(json.dumps(data), encoding="utf-8")
    load_frameworks(directory=tmp_path)
    assert not fi("interreg", "RCO 83").is_current
    assert fi("interreg", "RCO 84").is_current


# The crosswalk's services -----------------------------------------------------------------------


def test_staff_map_an_indicator_and_mapping_again_changes_relation_and_factor(social_worker, organisation):
    indicator = IndicatorFactory(project=MicroProjectFactory(organisation=organisation))
    target = fi("interreg", "RCO 84")
    services.mapping_set(
        indicator=indicator, framework_indicator=target, relation="equivalent", by=social_worker
    )
    services.mapping_set(
        indicator=indicator, framework_indicator=target, relation="proxy", factor="0.5", by=social_worker
    )
    mapping = IndicatorMapping.objects.get()
    assert (mapping.relation, mapping.factor) == ("proxy", Decimal("0.5"))
    services.mapping_remove(mapping=mapping, by=social_worker)
    services.mapping_remove(mapping=mapping, by=social_worker)  # again: nothing left to do
    assert not IndicatorMapping.objects.exists()


def test_every_problem_of_a_mapping_is_named_at_once_and_nothing_is_written(social_worker, organisation):
    indicator = IndicatorFactory(project=MicroProjectFactory(organisation=organisation))
    with pytest.raises(ValidationError) as caught:
        services.mapping_set(
            indicator=indicator, framework_indicator=None, relation="same", factor="-1", by=social_worker
        )
    assert set(caught.value.message_dict) == {"framework_indicator", "relation", "factor"}
    with pytest.raises(ValidationError) as caught:
        services.mapping_set(
            indicator=indicator, framework_indicator=fi("esf-plus", "EECO01"), relation="proxy", factor="x",
            by=social_worker,
        )  # fmt: skip
    assert set(caught.value.message_dict) == {"factor"}
    assert not IndicatorMapping.objects.exists()


def test_another_organisation_may_not_map_and_a_coordinator_may(
    other_social_worker, coordinator, organisation
):
    indicator = IndicatorFactory(project=MicroProjectFactory(organisation=organisation))
    target = fi("interreg", "RCO 87")
    with pytest.raises(PermissionDenied):
        services.mapping_set(
            indicator=indicator, framework_indicator=target, relation="equivalent", by=other_social_worker
        )
    assert not IndicatorMapping.objects.exists()
    services.mapping_set(
        indicator=indicator, framework_indicator=target, relation="equivalent", by=coordinator
    )
    assert IndicatorMapping.objects.count() == 1


# Counting rules, on the hand-computed programme --------------------------------------------------


def test_esf_plus_totals_count_new_participants_as_people(world, coordinator):
    rows = totals(coordinator, "esf-plus")
    assert rows["EECO01"].value == 21
    assert {c.project.title: c.value for c in rows["EECO01"].contributions} == {"P1": 12, "P2": 6, "P3": 3}
    # gender and age from the activities where everybody was new (a2 is not one)
    gender = rows["EECO01"].breakdowns["gender"]
    assert gender == {"women": 13, "men": 6, "non_binary": 0, "gender_not_stated": 0}
    age = rows["EECO01"].breakdowns["age"]
    assert age["age_18_29"] == 3
    assert age["age_55_plus"] == 5


def test_a_characteristic_nobody_collects_is_not_collected_never_zero(world, coordinator):
    rows = totals(coordinator, "esf-plus")
    assert rows["EECO16"].value is None
    assert not rows["EECO16"].is_collected
    assert rows["EECO06"].value == 0  # under 18: collected, and nobody was
    assert rows["EECO08"].value == 5  # P2 never filled the ages: not counted as 0, just not there
    assert [c.project.title for c in rows["EECO08"].contributions] == ["P1", "P3"]


def test_a_breakdown_left_empty_on_every_activity_is_not_collected(coordinator, organisation):
    project = MicroProjectFactory(organisation=organisation)
    ActivityFactory(project=project, date=dt.date(2026, 2, 1), participants_total=5, participants_new=5,
                    women=None, men=None, non_binary=None, gender_not_stated=None)  # fmt: skip
    row = totals(coordinator, "esf-plus")["EECO01"]
    assert row.value == 5
    assert row.breakdowns["gender"] == dict.fromkeys(("women", "men", "non_binary", "gender_not_stated"))


def test_participants_new_left_empty_everywhere_is_not_collected(coordinator, organisation):
    project = MicroProjectFactory(organisation=organisation)
    ActivityFactory(project=project, date=dt.date(2026, 2, 1), participants_total=5, participants_new=None)
    assert totals(coordinator, "esf-plus")["EECO01"].value is None


def test_rural_participants_come_from_projects_set_in_rural_areas(world, coordinator):
    assert totals(coordinator, "esf-plus")["EECO17"].value == 15


def test_interreg_precedence_equivalent_over_proxy_and_the_largest_of_equals(world, coordinator):
    rows = totals(coordinator, "interreg")
    by_project = {c.project.title: c for c in rows["RCO 84"].contributions}
    assert by_project["P1"].value == 3
    assert by_project["P1"].relation == "equivalent"
    assert by_project["P2"].value == 2  # two contributing indicators: never 1 + 2
    assert rows["RCO 84"].value == 5
    assert rows["RCO 87"].value == 2  # 4 x factor 0.5
    assert rows["RCO 83"].value is None


def test_a_proxy_counts_when_nothing_better_is_measured(world, coordinator):
    IndicatorMapping.objects.filter(indicator=world["i1"]).delete()
    assert totals(coordinator, "interreg")["RCO 84"].value == 4 + 2


def test_iris_takes_the_larger_of_activities_and_an_equivalent_indicator(world, coordinator):
    rows = totals(coordinator, "iris-plus")
    assert rows["PI4060"].value == 15 + 6 + 3
    assert rows["PI1775"].value == Decimal("1200.50")
    assert rows["OI8869"].value is None


def test_a_tie_between_activities_and_an_equivalent_indicator_goes_to_the_activities(
    world, coordinator, monkeypatch
):
    """P1's activities give 12 new participants; its equivalent indicator, measured 12 too, is not
    counted instead (ties to the first candidate, and the activities come first). Read a row at a
    time, as a national programme is (the tie must not depend on how the rows are streamed)."""
    monkeypatch.setattr("programme.selectors.STREAM_CHUNK", 1)
    equivalent = IndicatorMapping.objects.get(framework_indicator__code="PI4060").indicator
    equivalent.measurements.update(value=12)
    contributions = totals(coordinator, "iris-plus")["PI4060"].contributions
    assert [(c.project.title, c.value, c.source) for c in contributions] == [
        ("P1", 12, "activities"),
        ("P2", 6, "activities"),
        ("P3", 3, "activities"),
    ]


def test_the_period_decides_which_measurement_and_activities_count(world, coordinator):
    rows = totals(coordinator, "interreg", date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 12, 31))
    assert {c.project.title: c.value for c in rows["RCO 84"].contributions}["P1"] == 9
    esf = totals(coordinator, "esf-plus", date_from=dt.date(2025, 12, 1), date_to=dt.date(2025, 12, 31))
    assert esf["EECO01"].value == 50


def test_staff_see_totals_of_their_own_projects_only(world, social_worker, other_social_worker):
    assert totals(social_worker, "esf-plus")["EECO01"].value == 18
    assert totals(other_social_worker, "esf-plus")["EECO01"].value == 3
    assert totals(social_worker, "interreg")["RCO 87"].value is None


def test_the_country_filter(world, coordinator):
    assert totals(coordinator, "esf-plus", country="LV")["EECO01"].value == 3


def test_a_measurement_of_a_project_outside_the_filter_is_not_counted(world, coordinator):
    other = MicroProjectFactory(country="DE", organisation=world["p1"].organisation)
    indicator = IndicatorFactory(project=other)
    MeasurementFactory(indicator=indicator, date=dt.date(2026, 2, 1), value=100)
    IndicatorMapping.objects.create(
        indicator=indicator, framework_indicator=fi("interreg", "RCO 87"), relation="equivalent"
    )
    assert totals(coordinator, "interreg", country="LV")["RCO 87"].value == 2
    assert totals(coordinator, "interreg")["RCO 87"].value == 102


def test_figures_are_written_as_people_write_them():
    assert plain_number(Decimal("100.0000")) == 100
    assert str(plain_number(Decimal("100.0000"))) == "100"
    assert str(plain_number(Decimal("0.0200"))) == "0.02"
    assert plain_number(None) is None
