"""A small programme whose framework totals are computed by hand (tests/programme/test_frameworks*.py).

Period 2026-01-01..2026-06-30. Organisation A (SE): P1 rural, P2 urban; organisation B (LV): P3 rural.

activities (total / new; gender and age)             people? (new = total)
P1 a1  10 / 10  women 6 men 4 nb 0 ns 0; <18 0, 18-29 3, 30-54 5, 55+ 2, n/s 0   yes
P1 a2   8 /  2  women 5 men 3                                                   no
P2 a3   6 /  6  women 6 men 0 nb 0 ns 0; no ages                                 yes
P2 a4  (2025-12-01, outside the period) 50 / 50
P3 a5   3 /  3  women 1 men 2 nb 0 ns 0; <18 0, 18-29 0, 30-54 0, 55+ 3, n/s 0   yes

ESF+ EECO01 participants = new: P1 12 + P2 6 + P3 3 = 21; women 6+6+1 = 13, men 4+0+2 = 6
EECO06 (<18) 0 + 0 = 0 (collected, zero); EECO08 (55+) 2 + 3 = 5 (P2 not collected)
EECO17 (rural) P1 12 + P3 3 = 15; EECO16 (homeless) not collected

Interreg RCO 84: P1 I1 equivalent, latest in the period 3 (9 is after it) and I2 proxy 4 -> 3;
                 P2 I3 contributes 1 and I4 contributes 2 -> 2; total 5
        RCO 87:  P3 I5 equivalent 4 x factor 0.5 = 2
        RCO 83:  nothing mapped -> not collected
IRIS+ PI4060:    activities P1 12, I6 equivalent 15 -> 15; P2 6; P3 3 -> 24
      PI1775:    P2 I7 equivalent 1200.50
"""

import datetime as dt
from decimal import Decimal

from microprojects.models import MicroProject
from programme.models import FrameworkIndicator, IndicatorMapping
from tests.factories import ActivityFactory, IndicatorFactory, MeasurementFactory, MicroProjectFactory

PERIOD = "2026-01-01..2026-06-30"
DAY = dt.date(2026, 3, 1)
GENDER_ZERO = {"non_binary": 0, "gender_not_stated": 0}
NO_AGES = dict.fromkeys(("age_under_18", "age_18_29", "age_30_54", "age_55_plus", "age_not_stated"))


def fi(framework: str, code: str) -> FrameworkIndicator:
    return FrameworkIndicator.objects.get(framework__slug=framework, code=code)


def mapped(project, framework, code, relation, values, *, factor=1, name=None):
    indicator = IndicatorFactory(project=project, name=name or f"{code} {relation}")
    for day, value in values:
        MeasurementFactory(indicator=indicator, date=day, value=value)
    IndicatorMapping.objects.create(
        indicator=indicator,
        framework_indicator=fi(framework, code),
        relation=relation,
        factor=Decimal(factor),
    )
    return indicator


def build(organisation, other_organisation) -> dict:
    rural, urban = MicroProject.Setting.RURAL, MicroProject.Setting.URBAN
    p1 = MicroProjectFactory(organisation=organisation, title="P1", setting=rural, country="SE")
    p2 = MicroProjectFactory(organisation=organisation, title="P2", setting=urban, country="SE")
    p3 = MicroProjectFactory(organisation=other_organisation, title="P3", setting=rural, country="LV")
    ages = ("age_under_18", "age_18_29", "age_30_54", "age_55_plus", "age_not_stated")
    ActivityFactory(
        project=p1, date=DAY, participants_total=10, participants_new=10, women=6, men=4, **GENDER_ZERO,
        **dict(zip(ages, (0, 3, 5, 2, 0), strict=True)),
    )  # fmt: skip
    ActivityFactory(project=p1, date=DAY, participants_total=8, participants_new=2, women=5, men=3, **NO_AGES)
    ActivityFactory(project=p2, date=DAY, participants_total=6, participants_new=6, women=6, men=0, **NO_AGES)
    ActivityFactory(
        project=p2, date=dt.date(2025, 12, 1), participants_total=50, participants_new=50, women=50, men=0,
        **NO_AGES,
    )  # fmt: skip
    ActivityFactory(
        project=p3, date=DAY, participants_total=3, participants_new=3, women=1, men=2, **GENDER_ZERO,
        **dict(zip(ages, (0, 0, 0, 3, 0), strict=True)),
    )  # fmt: skip
    eq, contributes, proxy = (
        IndicatorMapping.Relation.EQUIVALENT,
        IndicatorMapping.Relation.CONTRIBUTES,
        IndicatorMapping.Relation.PROXY,
    )
    i1 = mapped(
        p1,
        "interreg",
        "RCO 84",
        eq,
        [(dt.date(2026, 3, 1), 2), (dt.date(2026, 5, 1), 3), (dt.date(2026, 8, 1), 9)],
    )
    mapped(p1, "interreg", "RCO 84", proxy, [(DAY, 4)])
    mapped(p2, "interreg", "RCO 84", contributes, [(DAY, 1)], name="I3")
    mapped(p2, "interreg", "RCO 84", contributes, [(DAY, 2)], name="I4")
    mapped(p3, "interreg", "RCO 87", eq, [(DAY, 4)], factor="0.5")
    mapped(p1, "iris-plus", "PI4060", eq, [(DAY, 15)])
    mapped(p2, "iris-plus", "PI1775", eq, [(DAY, Decimal("1200.50"))])
    return {"p1": p1, "p2": p2, "p3": p3, "i1": i1}
