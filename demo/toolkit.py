"""Demo data for the toolkit: most demo projects get a Social Business Model Canvas, about ten a
Theory of Change (some complete and valid, some still with findings), so the story shows.

Only the demo's own projects (`demo_projects()`) get tools, never one a person created.
Idempotent and deterministic: a project that already has a canvas (or a Theory of Change) is left
alone; everything else is derived from the project's own data (title, summary, target groups,
activities, indicators), with hand-written canvases for the flagship projects. Writes go through the
services, as a social worker of the project would make them.
"""

from microprojects.models import Activity, MicroProject
from microprojects.services import indicator_create
from sempre.models import User
from toolkit import services
from toolkit.loader import load_templates
from toolkit.models import Entry, ToolInstance, ToolTemplate

from .microprojects import demo_projects

SBMC, TOC = "sbmc", "theory-of-change"
TOC_PROJECTS = 10

# Hand-written canvases, keyed by the start of the project title.
WRITTEN = {
    "Fruit bags from Luleå": {
        "type_of_intervention": [
            "A workers' cooperative: newcomers sew and sell reusable fruit and vegetable bags",
        ],
        "beneficiary_segments": [
            "Syrian women and men in Luleå who came as refugees and have no job yet",
            "Members with sewing and trade skills nobody in Sweden has asked for",
        ],
        "customer_segments": [
            "Grocery shops in Luleå that want to stop handing out thin plastic bags",
            "Shoppers at the Christmas market and Luleå Saluhall",
        ],
        "social_value_proposition": [
            "A first Swedish income and a reference for the CV",
            "Speaking Swedish every week with customers and shop owners",
        ],
        "impact_measures": [
            "Members with an income from the cooperative",
            "Fruit bags sold",
        ],
        "customer_value_proposition": [
            "Sturdy, washable bags at 35 SEK for three, sewn in town from reused fabric",
            "A local story shops can tell their customers",
        ],
        "channels": [
            "Display basket next to the till in partner shops",
            "Market stall at Luleå Saluhall and the Christmas market",
            "Instagram account run by two members",
        ],
        "key_activities": [
            "Weekly sewing sessions in the social services' workshop",
            "Visits to grocery shops with samples",
            "Swedish for business: prices, invoices, customers",
        ],
        "key_resources": [
            "Sewing machines lent by the adult education centre",
            "Curtain fabric donated by the Red Cross second-hand shop",
            "An Arabic-speaking volunteer interpreter",
        ],
        "partners_key_stakeholders": [
            "Luleå Social Services (workshop space, social worker time)",
            "Coompanion Norrbotten (cooperative advice)",
            "Red Cross second-hand shop (fabric)",
        ],
        "cost_structure": [
            "Thread, labels and zips",
            "Market stall fees",
            "Members' pay per bag sewn",
        ],
        "surplus": ["Reinvested in a second-hand industrial sewing machine"],
        "revenue": [
            "Sales to shops (about 70%)",
            "Market sales (about 20%)",
            "Start-up grant from the municipality (about 10%)",
        ],
    },
    "Affordable meals: a recipe book from Kuldīga": {
        "type_of_intervention": ["Cooking workshops that end in a printed recipe book"],
        "beneficiary_segments": [
            "Families on low incomes in Kuldīga and nearby villages",
            "Pensioners living alone who cook for one",
        ],
        "customer_segments": [
            "The municipality's social service, buying copies for food-parcel clients",
            "The local library and tourist information, selling the book",
        ],
        "social_value_proposition": [
            "Healthy meals for less than two euros a portion",
            "Cooking together instead of eating alone",
        ],
        "impact_measures": ["Recipes tested and written down", "Copies of the recipe book distributed"],
        "customer_value_proposition": ["A local, practical gift with Kurzeme recipes and costs per portion"],
        "channels": ["Food-parcel days at the social service", "Library and tourist information counter"],
        "key_activities": [
            "Monthly cooking workshop in the community centre kitchen",
            "Testing and pricing recipes with participants",
            "Layout and printing with a local print shop",
        ],
        "key_resources": ["Community centre kitchen", "Volunteer photographer", "Social worker time"],
        "partners_key_stakeholders": [
            "Kuldīga Social Service",
            "Kuldīga Central Library",
            "Local farmers' market (vegetables at cost)",
        ],
        "cost_structure": ["Ingredients for the workshops", "Printing"],
        "surplus": ["A second edition with winter recipes"],
        "revenue": ["Sales of the book (5 EUR)", "Copies bought by the municipality"],
    },
}

GROUP_PHRASES = {
    "migrants-refugees": "Newly arrived migrants and refugees",
    "people-with-disabilities": "People with disabilities and their families",
    "low-income": "People and families on low incomes",
    "older-people": "Older people, many of them living alone",
    "young-neet": "Young people not in work, education or training",
    "long-term-unemployed": "Adults who have been out of work for a long time",
    "others": "Neighbours who want to help",
}

IMPACT_GROUPS = {
    "migrants-refugees": "Newcomers",
    "people-with-disabilities": "People with disabilities",
    "low-income": "Families on low incomes",
    "older-people": "Older people",
    "young-neet": "Young people",
    "long-term-unemployed": "Long-term unemployed adults",
    "others": "People",
}


def first_sentence(text: str) -> str:
    text = (text or "").strip()
    sentence = text.split(". ")[0].rstrip(".")
    return sentence[:280] or text[:280]


def _member(project: MicroProject) -> User | None:
    leads = sorted(project.lead_social_workers.all(), key=lambda user: user.pk)
    if leads:
        return leads[0]
    return User.objects.filter(memberships__organisation=project.organisation).order_by("pk").first()


def _activity_titles(project: MicroProject) -> list[str]:
    titles = []
    for title in Activity.objects.filter(project=project).order_by("title").values_list("title", flat=True):
        if title not in titles:
            titles.append(title)
    return titles


def canvas_texts(project: MicroProject, *, full: bool) -> dict[str, list[str]]:
    """Realistic SBMC entries from what the project already records."""
    for prefix, texts in WRITTEN.items():
        if project.title.startswith(prefix):
            return texts
    groups = [GROUP_PHRASES.get(g.slug, g.name) for g in project.target_groups.all()] or [
        "People the social service works with"
    ]
    activities = _activity_titles(project)[:4] or ["Weekly group meetings"]
    indicators = list(project.indicators.all())
    region = project.region or project.organisation.region or str(project.country.name)
    texts = {
        "type_of_intervention": [first_sentence(project.summary) or project.title],
        "beneficiary_segments": [f"{group} in {region}" for group in groups],
        "customer_segments": [
            f"The social services of {region}, buying the service for their clients",
            "Local businesses and associations that want to support their community",
        ],
        "social_value_proposition": [
            f"Less of this: {first_sentence(project.problem).lower()}" if project.problem else project.title,
            "Clients take part in shaping the service and gain confidence",
        ],
        "impact_measures": [
            f"{i.name}: from {i.baseline} to {i.target} {i.unit}".strip() for i in indicators[:3]
        ]
        or ["Participants taking part every week"],
        "customer_value_proposition": ["A reliable local service, run with the people it serves"],
        "channels": [
            "Referrals by social workers",
            f"Notice boards and the Facebook group of {region}",
        ],
        "key_activities": activities,
        "key_resources": [
            "Social workers' time",
            "Volunteers from the neighbourhood",
            f"A project budget of {project.budget_eur or 0:.0f} EUR",
        ],
        "partners_key_stakeholders": [project.organisation.name, "The parish and local associations"],
        "cost_structure": ["Staff time", "Materials", "Rent and transport"],
        "surplus": ["Reinvested in the service and in training new volunteers"],
        "revenue": ["Project grant", "Small fees or sales"],
    }
    if not full:  # a canvas still being worked on: the money side is open
        for key in ("surplus", "revenue", "customer_value_proposition"):
            texts.pop(key)
    return texts


def seed_canvas(project: MicroProject, by: User, *, full: bool) -> ToolInstance:
    instance = services.tool_create(project=project, template=SBMC, by=by)
    indicators = {i.name: i for i in project.indicators.all()}
    impact_indicators = list(project.indicators.all())
    texts = canvas_texts(project, full=full)
    for block in instance.template.blocks.all():
        for position, text in enumerate(texts.get(block.key, [])):
            indicator = None
            if block.key == "impact_measures":
                indicator = indicators.get(text) or next(
                    (i for i in impact_indicators if text.startswith(i.name)), None
                )
            services.entry_add(
                instance=instance,
                block_key=block.key,
                text=text,
                by=by,
                source=Entry.Source.ON_BEHALF
                if position == 1 and block.key == "beneficiary_segments"
                else "staff",
                indicator=indicator,
            )
    if full:
        services.tool_update(instance=instance, by=by, status=ToolInstance.Status.COMPLETE)
        services.snapshot_create(instance=instance, by=by, note="Agreed with the clients")
    return instance


# The flagship's Theory of Change, written out: (key, level, text, indicator name or None).
FLAGSHIP_OUTCOMES = (
    ("impact", "impact", "Syrian newcomers in Luleå earn their living and feel at home in town", None),
    ("living", "long_term", "Members live from their own work", None),
    ("belong", "long_term", "Members are part of Luleå's working life", None),
    (
        "shops",
        "intermediate",
        "Grocery shops in town sell the bags all year",
        "Grocery shops selling the bags",
    ),
    (
        "income",
        "intermediate",
        "Members earn a regular income from the cooperative",
        "Members with an income from the cooperative",
    ),
    ("run", "intermediate", "Members run the cooperative themselves", "Members of the cooperative"),
    ("sew", "early", "Members sew bags to a standard shops accept", "Fruit bags sold"),
    (
        "swedish",
        "early",
        "Members price, invoice and talk to customers in Swedish",
        "Members of the cooperative",
    ),
)
FLAGSHIP_LINKS = (
    ("sew", "shops", "Shops stock what looks as good as the plastic alternative and sells."),
    ("swedish", "shops", "Shop owners buy from people they can talk to and who send proper invoices."),
    ("shops", "income", "Steady orders from shops, not only market days, pay the members every month."),
    ("swedish", "run", "Members who can price and invoice can take over from the social worker."),
    ("income", "living", "A regular income grows into a living as sales grow."),
    ("run", "belong", "Running a business makes members colleagues, customers and references in town."),
    ("living", "impact", "Earning a living is the core of feeling independent."),
    ("belong", "impact", "Being known at work is how people come to feel at home in a town."),
)
FLAGSHIP_INTERVENTIONS = (
    ("Weekly sewing sessions in the workshop", "Three sessions a week, 9 members", ("sew",)),
    ("Swedish for business: prices, invoices, customers", "Ten evening lessons", ("swedish",)),
    (
        "Pricing and costing workshop with Coompanion Norrbotten",
        "A price list and a costing sheet",
        ("swedish",),
    ),
)


def seed_flagship_theory_of_change(project: MicroProject, by: User) -> ToolInstance:
    instance = services.tool_create(project=project, template=TOC, by=by, title="Theory of Change")
    indicators = {i.name: i for i in project.indicators.all()}
    outcomes = {
        key: services.outcome_add(
            instance=instance,
            by=by,
            level=level,
            text=text,
            above_ceiling=level in ("impact", "long_term"),
            indicators=[indicators[name]] if name in indicators else [],
        )
        for key, level, text, name in FLAGSHIP_OUTCOMES
    }
    links = {
        (source, target): services.link_add(
            instance=instance, by=by, source=outcomes[source], target=outcomes[target], rationale=rationale
        )
        for source, target, rationale in FLAGSHIP_LINKS
    }
    for text, outputs, served in FLAGSHIP_INTERVENTIONS:
        services.intervention_add(
            instance=instance, by=by, text=text, outputs=outputs, outcomes=[outcomes[k] for k in served]
        )
    services.assumption_add(
        instance=instance,
        by=by,
        link=links[("sew", "shops")],
        status="holds",
        text="Shops keep paying 35 SEK for a set of three bags.",
    )
    services.assumption_add(
        instance=instance,
        by=by,
        outcome=outcomes["income"],
        status="doubtful",
        text="Income from the cooperative does not reduce members' benefits to the same amount.",
    )
    services.tool_update(instance=instance, by=by, status=ToolInstance.Status.COMPLETE)
    return instance


def seed_theory_of_change(project: MicroProject, by: User, *, valid: bool) -> ToolInstance:
    """impact <- 2 long-term <- 2 intermediate <- early outcomes <- interventions, measured by the
    project's indicators. An invalid one keeps three typical findings to fix."""
    instance = services.tool_create(project=project, template=TOC, by=by, title="Theory of Change")
    indicators = [i for i in project.indicators.all() if i.baseline is not None and i.target is not None]
    if not indicators:
        indicators = [
            indicator_create(
                project=project, by=by, name="Clients taking part", unit="people", baseline=0, target=20
            )
        ]

    def measured(index):
        return [indicators[index % len(indicators)]]

    groups = [GROUP_PHRASES.get(g.slug, g.name).lower() for g in project.target_groups.all()] or ["clients"]
    region = project.region or project.organisation.region or "the region"
    impact = services.outcome_add(
        instance=instance,
        by=by,
        level="impact",
        text=f"{groups[0].capitalize()} in {region} live independently and take part in community life",
    )
    long_terms = [
        services.outcome_add(instance=instance, by=by, level="long_term", text=text, above_ceiling=True)
        for text in (
            "Clients have a stable income or daily structure",
            "Clients have people they can count on",
        )
    ]
    intermediates = [
        services.outcome_add(
            instance=instance, by=by, level="intermediate", text=text, indicators=measured(i)
        )
        for i, text in enumerate(
            (f"The service “{project.title[:80]}” runs every week", "Clients take on roles")
        )
    ]
    activities = _activity_titles(project)[:3]
    for fallback in ("Weekly group meetings", "Getting to know each other"):
        if len(activities) < 2:
            activities.append(fallback)
    earlies = [
        services.outcome_add(
            instance=instance,
            by=by,
            level="early",
            text=f"Participants gain skills and contacts: {title}",
            indicators=measured(i + 1),
        )
        for i, title in enumerate(activities)
    ]
    rationale = {
        (0, 0): "A service that runs every week gives structure and, for some, paid work.",
        (1, 1): "Taking on a role builds trust and friendships.",
    }
    for (i, j), text in rationale.items():
        services.link_add(
            instance=instance, by=by, source=intermediates[i], target=long_terms[j], rationale=text
        )
    for long_term in long_terms:
        services.link_add(
            instance=instance,
            by=by,
            source=long_term,
            target=impact,
            rationale="Income and relationships are what independence rests on.",
        )
    for index, early in enumerate(earlies):
        missing_rationale = not valid and index == 0
        services.link_add(
            instance=instance,
            by=by,
            source=early,
            target=intermediates[index % 2],
            rationale="" if missing_rationale else "What people learn together keeps the service going.",
        )
    for index, (early, title) in enumerate(zip(earlies, activities, strict=True)):
        if not valid and index == len(earlies) - 1:
            continue  # an early outcome nobody works towards yet
        services.intervention_add(
            instance=instance, by=by, text=title, outputs="Sessions held, people reached", outcomes=[early]
        )
        if index == 0:
            services.assumption_add(
                instance=instance,
                by=by,
                outcome=early,
                text="People can reach the sessions without a car.",
                status="holds" if valid else "doubtful",
            )
    if not valid:  # one more outcome, not yet measured
        services.outcome_add(
            instance=instance,
            by=by,
            level="intermediate",
            text="Neighbours see the clients as part of the village",
        )
    else:
        services.tool_update(instance=instance, by=by, status=ToolInstance.Status.COMPLETE)
    return instance


def seed(*, stdout) -> None:
    if ToolTemplate.objects.filter(slug__in=[SBMC, TOC]).count() != 2:
        load_templates()
    # The demo's own projects only: a project a person created gets no demo canvas.
    projects = list(
        demo_projects()
        .select_related("organisation")
        .prefetch_related("target_groups", "indicators")
        .order_by("id")
    )
    have = set(ToolInstance.objects.filter(project__in=projects).values_list("project_id", "template__slug"))
    canvases = tocs = 0
    for index, project in enumerate(projects):
        by = _member(project)
        if by is None:
            continue
        # Most projects get a canvas: every project but every sixth (and all flagship ones).
        wants_canvas = index % 6 != 5 or any(project.title.startswith(p) for p in WRITTEN)
        if wants_canvas and (project.pk, SBMC) not in have:
            seed_canvas(project, by, full=index % 3 != 2 or any(project.title.startswith(p) for p in WRITTEN))
            canvases += 1
        if index < TOC_PROJECTS and (project.pk, TOC) not in have:
            if project.title.startswith("Fruit bags from Luleå") and all(
                name in {i.name for i in project.indicators.all()}
                for _key, _level, _text, name in FLAGSHIP_OUTCOMES
                if name
            ):
                seed_flagship_theory_of_change(project, by)
            else:
                seed_theory_of_change(project, by, valid=index % 2 == 0)
            tocs += 1
    stdout.write(f"toolkit: {canvases} canvases and {tocs} Theories of Change created")
