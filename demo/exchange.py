"""Demo data for the exchange: practice cases (this part) — three published from Sweden, Denmark
and Finland, a draft from Poland and one returned to its team in Germany, each with methods,
figures and snapshots of its project's canvas and Theory of Change.

Idempotent: a demo project that already has a case is left alone. Only the demo's own projects
(`demo_projects()`). Writes go through the services, as the team and the coordinator would."""

from exchange.loader import load_methods
from exchange.models import Case, Method
from exchange.screening import case_findings
from exchange.selectors import case_quotes, quotable_for_case
from exchange.services import cases as services
from sempre.models import User
from toolkit import services as toolkit
from toolkit.models import ToolInstance

from .microprojects import demo_projects
from .people import COORDINATOR

# Keyed by the start of the demo project's title.
CASES = {
    "Fruit bags from Luleå": {
        "status": Case.Status.PUBLISHED,
        "methods": ["sbmc", "theory-of-change", "world-cafe"],
        "title": "Fruit bags from Luleå: newcomers sew their first Swedish income",
        "summary": "Syrian newcomers founded a small sewing cooperative. Grocery shops sell their reusable "
        "fruit bags, and members speak Swedish with customers every week.",
        "problem": "Newcomers with sewing and trade skills had no job, no Swedish references and few "
        "chances to speak Swedish outside the course.",
        "what_we_did": "Asked members in a world café what they can do and what they miss\n"
        "Drew the Social Business Model Canvas together, in Arabic and Swedish\n"
        "Visited grocery shops with samples\n"
        "Set up weekly sewing sessions in the workshop\n"
        "Opened a stall at the market hall",
        "what_changed": "Members earn a first income and have a reference for their CV; shops order again.",
        "lessons": "We would invite the shops earlier: their questions shaped the product more than ours.",
        "costs_and_time": "Two afternoons a week for a social worker; about 2,000 EUR for fabric and "
        "machines in the first year (machines lent by the adult education centre).",
        "contact_role": "Social worker for newcomers, Luleå Social Services",
        "language": "en",
    },
    "Harbour kitchen Nexø": {
        "status": Case.Status.PUBLISHED,
        "methods": ["photovoice", "sbmc"],
        "title": "Harbour kitchen: young people cook for the community",
        "summary": "Young people without work run a lunch kitchen at the harbour, planned with photos they "
        "took of their town.",
        "problem": "Young people in Nexø left school without work and met nobody outside their homes.",
        "what_we_did": "Photovoice walks: what is good and what is missing in Nexø\n"
        "Planned the kitchen on a canvas\n"
        "Cooked lunch twice a week for the harbour workers",
        "what_changed": "Regular lunch guests; four young people started an apprenticeship.",
        "lessons": "Start with fewer dishes; the menu changed too often for the guests.",
        "costs_and_time": "A youth worker half-time; kitchen lent by the harbour association.",
        "contact_role": "Youth worker, Bornholm social services",
        "language": "en",
    },
    "Berry pickers' cooperative in Kemijärvi": {
        "status": Case.Status.PUBLISHED,
        "methods": ["participatory-budgeting", "theory-of-change"],
        "title": "Berry pickers' cooperative: the members decide how the income is spent",
        "summary": "Long-term unemployed people pick and sell berries together; a participatory budget "
        "decides what the common income pays for.",
        "problem": "Seasonal work left people without income most of the year and without a say.",
        "what_we_did": "Mapped the changes we want in a Theory of Change\n"
        "Ran a participatory budget each autumn\n"
        "Sold berries to the local bakery and the school kitchen",
        "what_changed": "Members earn over the season and bought a shared freezer to sell in winter.",
        "lessons": "Agree on the budget rules before the first euro comes in.",
        "costs_and_time": "A deacon four hours a week; 800 EUR start-up for boxes and scales.",
        "contact_role": "Deacon, Kemijärvi parish",
        "language": "en",
    },
    "Lake guides": {
        "status": Case.Status.DRAFT,
        "methods": ["peer-visit"],
        "title": "Lake guides: young people show the Masurian lakes",
        "summary": "Young people train as tourism guides for the lakes around Giżycko.",
        "language": "pl",
    },
    "Intercultural garden in Greifswald": {
        "status": Case.Status.RETURNED,
        "methods": ["world-cafe", "local-empowerment-network"],
        "title": "Intercultural garden: neighbours grow vegetables together",
        "summary": "Neighbours from eight countries share a garden and a harvest festival.",
        "what_changed": "Ask Jana Schulz (0170 1234567) how the garden committee works.",
        "language": "en",
        "return_reason": "Please remove the name and phone number in 'What changed' and give a role instead.",
    },
}


def _member(project) -> User | None:
    return (
        User.objects.filter(memberships__organisation=project.organisation, is_active=True)
        .order_by("memberships__role", "pk")
        .first()
    )


def _snapshot(project, slug: str, by):
    tool = ToolInstance.objects.filter(project=project, template__slug=slug).order_by("pk").first()
    if tool is None:
        return None, None
    return tool, toolkit.snapshot_create(instance=tool, by=by, note="Shared with a practice case")


def seed_cases(*, stdout) -> None:
    if not Method.objects.exists():
        load_methods()
    coordinator = (
        User.objects.filter(username=COORDINATOR.username).first()
        or User.objects.filter(is_coordinator=True).first()
    )
    created = 0
    for project in demo_projects().select_related("organisation").order_by("pk"):
        spec = next((spec for start, spec in CASES.items() if project.title.startswith(start)), None)
        if spec is None or project.cases.exists():
            continue
        author = _member(project)
        if author is None:
            continue
        spec = dict(spec)
        status, method_slugs = spec.pop("status"), spec.pop("methods")
        reason = spec.pop("return_reason", "")
        _canvas, canvas_snapshot = _snapshot(project, "sbmc", author)
        toc, toc_snapshot = _snapshot(project, "theory-of-change", author)
        case = services.case_create(
            project=project,
            by=author,
            methods=list(Method.objects.filter(slug__in=method_slugs)),
            outcomes=list(toc.outcomes.order_by("order", "pk")[:2]) if toc else [],
            indicators=list(project.indicators.order_by("pk")[:2]),
            canvas_snapshot=canvas_snapshot,
            toc_snapshot=toc_snapshot,
            # Up to two of the project's stories whose tellers let them be quoted in a case.
            quoted_stories=list(quotable_for_case(project)[:2]),
            **spec,
        )
        if status != Case.Status.DRAFT:
            case = services.case_submit(case=case, by=author)
        if status == Case.Status.PUBLISHED and coordinator is not None:
            # The demo's texts were written to name nobody; what the check still finds (place
            # names) the coordinator confirms, as on the publish page.
            keys = [finding.key for finding in case_findings(case, quotes=case_quotes(case))]
            services.case_publish(case=case, by=coordinator, confirmed=keys)
        elif status == Case.Status.RETURNED and coordinator is not None:
            services.case_return(case=case, by=coordinator, reason=reason)
        created += 1
    stdout.write(f"exchange: {created} practice cases created")


def seed(*, stdout) -> None:
    seed_cases(stdout=stdout)
