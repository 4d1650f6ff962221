"""Demo data of the programme app: the crosswalk (demo projects' indicators mapped to the Interreg,
ESF+ and IRIS+ framework indicators); reporting periods and progress reports are seeded by their
own functions.

Idempotent: a mapping is made once and never changed again, and only demo projects' indicators are
mapped (found by name), so a rerun changes nothing and nothing a person created is touched.
"""

from microprojects.models import Indicator
from programme.models import FrameworkIndicator, IndicatorMapping

from .microprojects import demo_projects

EQUIVALENT = IndicatorMapping.Relation.EQUIVALENT
CONTRIBUTES = IndicatorMapping.Relation.CONTRIBUTES
PROXY = IndicatorMapping.Relation.PROXY

# (the demo indicator's name, framework, framework indicator's code, relation, factor)
MAPPINGS = (
    ("Earned income", "iris-plus", "PI1775", EQUIVALENT, 1),
    ("Customers served", "iris-plus", "PI4060", EQUIVALENT, 1),
    ("Café workers with an employment contract", "iris-plus", "OI8869", EQUIVALENT, 1),
    ("Members with an income from the cooperative", "iris-plus", "OI8869", PROXY, 1),
    ("Women who found a job", "esf-plus", "EECR04", EQUIVALENT, 1),
    ("Participants who moved on to work or education", "esf-plus", "EECR04", CONTRIBUTES, 1),
    ("Young people in a job or education afterwards", "esf-plus", "EECR04", CONTRIBUTES, 1),
    ("Young people who started education or a job", "esf-plus", "EECR02", CONTRIBUTES, 1),
    ("Young people with a food hygiene certificate", "esf-plus", "EECR03", EQUIVALENT, 1),
    ("Young people certified as guides", "esf-plus", "EECR03", EQUIVALENT, 1),
    ("Recipes tested and written down", "interreg", "RCO 116", CONTRIBUTES, 1),
    ("Tours guided", "interreg", "RCO 84", PROXY, 1),
    ("Programmes broadcast", "interreg", "RCO 84", PROXY, 1),
    # a recipe book is a solution taken up once per 50 copies handed out (a conversion factor)
    ("Copies of the recipe book distributed", "interreg", "RCR 104", PROXY, "0.02"),
)


def seed(*, stdout) -> None:
    created = seed_frameworks()
    stdout.write(f"Programme: {created} indicator mappings to the frameworks.")


def seed_frameworks() -> int:
    targets = {
        (item.framework.slug, item.code): item
        for item in FrameworkIndicator.objects.select_related("framework").filter(is_current=True)
    }
    names = {name for name, *_rest in MAPPINGS}
    indicators: dict[str, list[Indicator]] = {}
    for indicator in Indicator.objects.filter(project__in=demo_projects(), name__in=names).order_by("id"):
        indicators.setdefault(indicator.name, []).append(indicator)
    created = 0
    for name, framework, code, relation, factor in MAPPINGS:
        target = targets.get((framework, code))
        if target is None:
            continue
        for indicator in indicators.get(name, ()):
            _mapping, made = IndicatorMapping.objects.get_or_create(
                indicator=indicator,
                framework_indicator=target,
                defaults={"relation": relation, "factor": factor},
            )
            created += made
    return created
