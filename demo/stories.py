"""The demo's 30 micro projects, one story each: what the project does and for whom, how often it
meets, what it measures and how it is doing. `demo.microprojects` turns them into projects with 18
months of activities and measurements.
"""

from __future__ import annotations

from dataclasses import dataclass

from microprojects.models import Activity, MicroProject

# Age-band profiles, in the order of Activity.AGE_FIELDS: under 18, 18-29, 30-54, 55+, not stated.
AGE_ADULTS = (0, 22, 58, 15, 5)
AGE_YOUNG = (12, 83, 5, 0, 0)
AGE_OLDER = (0, 0, 8, 88, 4)
AGE_FAMILIES = (38, 18, 38, 3, 3)
AGE_MIXED = (4, 20, 44, 27, 5)


@dataclass(frozen=True)
class IndicatorSpec:
    name: str
    unit: str
    baseline: int | float
    target: int | float
    code: str = ""
    # "on": on course; "ahead": ahead of plan; "off": lagging well behind (shows as off track).
    pace: str = "on"
    # Counts that only grow (things sold, people reached) never go down from month to month.
    cumulative: bool = True


@dataclass(frozen=True)
class ProjectSpec:
    organisation: str
    title: str
    summary: str
    problem: str
    region: str
    setting: str
    target_groups: tuple[str, ...]
    status: str
    budget: int
    activities: tuple[tuple[str, str, int], ...]  # (kind, title, weight)
    indicators: tuple[IndicatorSpec, ...]
    started_months_ago: int = 17  # ignored for the flagship (see FLAGSHIP_DAYS_BEFORE_REFERENCE)
    months: int = 24  # planned duration; for completed/discontinued: how long it ran
    per_month: tuple[int, int] = (3, 6)
    group_size: int = 10
    women_share: float = 0.55
    ages: tuple[int, ...] = AGE_ADULTS
    volunteer_factor: float = 0.3
    notes: tuple[str, ...] = ()
    leads: int = 1


S = MicroProject.Status
A = Activity.Kind
RURAL, URBAN = MicroProject.Setting.RURAL, MicroProject.Setting.URBAN
MIGRANTS, DISABILITIES, LOW_INCOME = "migrants-refugees", "people-with-disabilities", "low-income"
OLDER, YOUNG, LONG_TERM, OTHERS = "older-people", "young-neet", "long-term-unemployed", "others"

PROJECTS = (
    # Sweden -- Norrbotten
    ProjectSpec(
        "lulea",
        "Fruit bags from Luleå: a cooperative of Syrian newcomers",
        "Syrian women and men who came to Luleå as refugees founded a small cooperative. They sew "
        "reusable fruit and vegetable bags from curtain fabric and second-hand textiles and sell them "
        "in local grocery shops and at the Christmas market, as a replacement for thin plastic bags.",
        "Newly arrived Syrians in Luleå wait years for a first job; many have craft and trade skills "
        "nobody asks for. Grocery shops in town still hand out thousands of thin plastic bags a week.",
        "Luleå", URBAN, (MIGRANTS, LONG_TERM), S.ACTIVE, 18500,
        (
            (A.PRODUCTION, "Sewing session: fruit bags", 6),
            (A.TRAINING, "Swedish for business: prices, invoices, customers", 3),
            (A.MEETING, "Cooperative members' meeting", 2),
            (A.OUTREACH, "Visit to grocery shops with samples", 2),
            (A.EVENT, "Market stall at Luleå Saluhall", 1),
            (A.WORKSHOP, "Pricing and costing workshop with Coompanion Norrbotten", 1),
        ),
        (
            IndicatorSpec("Fruit bags sold", "bags", 0, 6000, code="PI1263", pace="ahead"),
            IndicatorSpec("Members of the cooperative", "people", 0, 12),
            IndicatorSpec("Grocery shops selling the bags", "shops", 0, 8),
            IndicatorSpec("Members with an income from the cooperative", "people", 0, 6, code="OI8869"),
        ),
        months=30, per_month=(5, 8), group_size=9, women_share=0.7, volunteer_factor=0.2,
        notes=(
            "An Arabic-speaking volunteer interpreted.",
            "New fabric donated by the Red Cross second-hand shop.",
            "Two shops asked for a display basket next to the till.",
            "Members agreed on a price of 35 SEK for a set of three bags.",
        ),
        leads=2,
    ),
    ProjectSpec(
        "lulea",
        "Winter walks in Gammelstad for older people living alone",
        "Twice a week, older people from the villages around Gammelstad walk together on cleared "
        "paths, with studded shoe covers, walking poles and coffee afterwards in the parish hall.",
        "In the dark months older people living alone stop going out for fear of falling; "
        "loneliness and falls both rise in winter.",
        "Luleå, Gammelstad", RURAL, (OLDER,), S.COMPLETED, 6200,
        (
            (A.EVENT, "Winter walk and coffee", 6),
            (A.TRAINING, "Fall prevention exercises with a physiotherapist", 1),
            (A.MEETING, "Walk leaders' planning meeting", 1),
        ),
        (
            IndicatorSpec("Older people walking at least once a week", "people", 4, 25),
            IndicatorSpec("Participants who feel lonely often (survey)", "%", 48, 30, cumulative=False),
        ),
        started_months_ago=18, months=13, per_month=(6, 8), group_size=12, women_share=0.68, ages=AGE_OLDER,
        volunteer_factor=0.15,
    ),
    ProjectSpec(
        "boden",
        "Bicycle repair workshop in Boden",
        "Long-term unemployed adults and young people repair donated bicycles in a former garage, "
        "sell them at low prices and offer a repair service with a trainee wage.",
        "Few entry jobs in Boden; people out of work for years lose routines and confidence. Families "
        "on low incomes cannot afford bicycles for their children.",
        "Boden", RURAL, (LONG_TERM, YOUNG), S.ACTIVE, 14000,
        (
            (A.PRODUCTION, "Repair afternoon", 6),
            (A.TRAINING, "Gears and brakes: basic mechanics course", 2),
            (A.EVENT, "Spring bicycle sale", 1),
            (A.MEETING, "Workshop team meeting", 1),
        ),
        (
            IndicatorSpec("Bicycles repaired and sold", "bicycles", 0, 250, code="PI1263"),
            IndicatorSpec("Participants who moved on to work or education", "people", 0, 10, code="RCR 104"),
        ),
        started_months_ago=16, months=24, per_month=(4, 7), group_size=7, women_share=0.25,
        ages=(3, 45, 40, 12, 0), leads=1,
    ),
    ProjectSpec(
        "boden",
        "Radio circle: older people in Överkalix record village stories",
        "Older people in the villages of Överkalix learn to record interviews and produce a monthly "
        "programme for the local radio together with school pupils.",
        "Villages are emptying; older people have few reasons to meet, and local memory is being lost.",
        "Överkalix", RURAL, (OLDER,), S.DRAFT, 7800,
        ((A.WORKSHOP, "Recording workshop", 1),),
        (
            IndicatorSpec("Programmes broadcast", "programmes", 0, 10),
            IndicatorSpec("Older people taking part", "people", 0, 15),
        ),
        started_months_ago=-2, months=12,
    ),
    # Denmark -- Bornholm
    ProjectSpec(
        "bornholm",
        "Harbour kitchen Nexø: young people cook for the community",
        "Young people who left school early run a lunch kitchen in the harbour of Nexø twice a week, "
        "with a chef as mentor. Fishermen, older people and tourists in summer eat there.",
        "On Bornholm many young people without education stay at home; the nearest vocational school "
        "is on the mainland.",
        "Nexø", RURAL, (YOUNG,), S.ACTIVE, 21000,
        (
            (A.PRODUCTION, "Lunch service in the harbour kitchen", 6),
            (A.TRAINING, "Food hygiene certificate course", 1),
            (A.MEETING, "Menu planning with the mentor chef", 2),
            (A.EVENT, "Midsummer fish supper", 1),
        ),
        (
            IndicatorSpec("Meals served", "meals", 0, 5000, code="PI1263"),
            IndicatorSpec("Young people who started education or a job", "people", 0, 8),
            IndicatorSpec("Young people with a food hygiene certificate", "people", 0, 12, pace="off"),
        ),
        started_months_ago=15, months=24, per_month=(6, 9), group_size=8, ages=AGE_YOUNG, women_share=0.45,
        leads=2,
    ),
    ProjectSpec(
        "vaerksted",
        "Upcycled furniture from the recycling station",
        "People with disabilities and long-term unemployed people restore furniture saved from the "
        "municipal recycling station and sell it in a shop in Nexø.",
        "Good furniture ends up as waste while people with disabilities have few meaningful jobs on "
        "the island.",
        "Nexø", RURAL, (DISABILITIES, LONG_TERM), S.ACTIVE, 16500,
        (
            (A.PRODUCTION, "Restoration workshop", 7),
            (A.EVENT, "Shop open day", 1),
            (A.OUTREACH, "Collection run at the recycling station", 2),
        ),
        (
            IndicatorSpec("Pieces of furniture sold", "pieces", 0, 400, code="PI1263"),
            IndicatorSpec("Earned income", "EUR", 0, 24000),
            IndicatorSpec("People working in the workshop each week", "people", 3, 14, cumulative=False),
        ),
        started_months_ago=17, months=30, per_month=(5, 8), group_size=6, women_share=0.4,
    ),
    ProjectSpec(
        "vaerksted",
        "Seaweed soap from Bornholm's beaches",
        "A pilot to make soap from seaweed collected on the beaches, by people with disabilities.",
        "Too few sheltered jobs on the island; seaweed piles up on beaches every summer.",
        "Nexø", RURAL, (DISABILITIES,), S.DISCONTINUED, 5400,
        (
            (A.PRODUCTION, "Soap making trial", 4),
            (A.OUTREACH, "Seaweed collection on the beach", 2),
        ),
        (IndicatorSpec("Soap bars produced", "bars", 0, 2000, pace="off"),),
        started_months_ago=14, months=6, per_month=(2, 4), group_size=5,
        notes=("The soap did not pass the cosmetics safety assessment; the pilot stopped.",),
    ),
    # Finland -- Lapland
    ProjectSpec(
        "rovaniemi",
        "Lapland crafts: young people design souvenirs from local materials",
        "Young people who are not in work or education design and make souvenirs from birch, reindeer "
        "leather and wool with local craftspeople, and sell them to tourist shops.",
        "Tourism is the main industry in Rovaniemi, but its souvenirs are imported; young people "
        "outside work and school lack contacts to employers.",
        "Rovaniemi", URBAN, (YOUNG,), S.ACTIVE, 19800,
        (
            (A.WORKSHOP, "Craft workshop with a master craftsperson", 6),
            (A.TRAINING, "Product photography and online shop", 1),
            (A.OUTREACH, "Visit to tourist shops", 1),
            (A.MEETING, "Design review", 1),
        ),
        (
            IndicatorSpec("Souvenirs sold", "items", 0, 1500, code="PI1263"),
            IndicatorSpec("Young people taking part regularly", "people", 0, 15),
            IndicatorSpec("Young people in a job or education afterwards", "people", 0, 8, code="RCR 104"),
        ),
        started_months_ago=16, months=24, per_month=(4, 7), group_size=8, ages=AGE_YOUNG, women_share=0.5,
    ),
    ProjectSpec(
        "rovaniemi",
        "Family budget circle",
        "Parents living on income support meet every second week to plan budgets, cook cheaply and "
        "swap children's clothes, with a debt counsellor once a month.",
        "Families on income support in Rovaniemi's suburbs run out of money before the end of the month.",
        "Rovaniemi", URBAN, (LOW_INCOME,), S.COMPLETED, 8900,
        (
            (A.MEETING, "Budget circle", 4),
            (A.TRAINING, "Debt counselling session", 1),
            (A.EVENT, "Clothes swap", 1),
        ),
        (
            IndicatorSpec("Families taking part", "families", 0, 20),
            IndicatorSpec(
                "Families who ran out of money last month (survey)", "families", 14, 6, cumulative=False
            ),
        ),
        started_months_ago=18, months=14, per_month=(2, 4), group_size=9, ages=AGE_FAMILIES, women_share=0.75,
    ),
    ProjectSpec(
        "kemijarvi",
        "Berry pickers' cooperative in Kemijärvi",
        "People on low incomes pick bilberries and lingonberries together, with transport to the "
        "forests, and sell them jointly to a local juice producer for a fair price.",
        "Individual pickers get low prices from buyers; people without a car cannot reach the "
        "good forests.",
        "Kemijärvi", RURAL, (LOW_INCOME, LONG_TERM), S.ACTIVE, 11200,
        (
            (A.PRODUCTION, "Picking day in the forest", 5),
            (A.MEETING, "Cooperative meeting", 1),
            (A.TRAINING, "Food safety for berry sellers", 1),
        ),
        (
            IndicatorSpec("Berries sold", "kg", 0, 8000, code="PI1263"),
            IndicatorSpec("Members of the cooperative", "people", 0, 25),
        ),
        started_months_ago=17, months=24, per_month=(2, 6), group_size=11, ages=AGE_MIXED, women_share=0.6,
    ),
    ProjectSpec(
        "kemijarvi",
        "Neighbour help: snow clearing and firewood for older people",
        "Long-term unemployed men clear snow and carry firewood for older people in outlying villages, "
        "paid through a small service voucher, and stay for coffee.",
        "Older people who cannot clear their paths are cut off all winter; men out of work for years "
        "are isolated too.",
        "Kemijärvi", RURAL, (OLDER, LONG_TERM), S.ACTIVE, 9700,
        (
            (A.OUTREACH, "Snow clearing round", 6),
            (A.OUTREACH, "Firewood delivery", 2),
            (A.MEETING, "Helpers' meeting", 1),
        ),
        (
            IndicatorSpec("Older households helped", "households", 0, 40),
            IndicatorSpec("Helpers with paid hours", "people", 0, 10, pace="off"),
        ),
        started_months_ago=13, months=24, per_month=(3, 7), group_size=6, women_share=0.3, ages=AGE_MIXED,
    ),
    # Poland -- Warmia-Masuria
    ProjectSpec(
        "olsztyn",
        "Social café run by adults with intellectual disabilities",
        "Adults with intellectual disabilities run a small café in a social services building in "
        "Olsztyn, with job coaches, and cater for municipal meetings.",
        "Adults with intellectual disabilities in Olsztyn rarely get work outside sheltered workshops.",
        "Olsztyn", URBAN, (DISABILITIES,), S.ACTIVE, 23500,
        (
            (A.PRODUCTION, "Café shift", 7),
            (A.TRAINING, "Barista training", 1),
            (A.MEETING, "Team meeting with job coaches", 1),
        ),
        (
            IndicatorSpec("Customers served", "customers", 0, 9000, code="PI4060"),
            IndicatorSpec("Café workers with an employment contract", "people", 0, 6, code="OI8869"),
            IndicatorSpec("Catering orders", "orders", 0, 60),
        ),
        started_months_ago=17, months=30, per_month=(7, 10), group_size=7, ages=AGE_ADULTS, leads=2,
    ),
    ProjectSpec(
        "olsztyn",
        "Job club for long-term unemployed women",
        "Women out of work for years meet weekly to write CVs, practise interviews and visit "
        "employers, with childcare in the next room.",
        "Women in Olsztyn's outskirts who cared for children or relatives for years find no way back "
        "into work.",
        "Olsztyn", URBAN, (LONG_TERM, LOW_INCOME), S.ACTIVE, 12000,
        (
            (A.WORKSHOP, "Job club session", 4),
            (A.OUTREACH, "Employer visit", 1),
            (A.TRAINING, "Computer skills course", 1),
        ),
        (
            IndicatorSpec("Women who found a job", "people", 0, 15, code="RCR 104"),
            IndicatorSpec("Women attending regularly", "people", 0, 25),
        ),
        started_months_ago=12, months=24, per_month=(4, 5), group_size=11, women_share=1.0,
    ),
    ProjectSpec(
        "gizycko",
        "Lake guides: young people train as tourism guides in Giżycko",
        "Young people from villages around the Masurian lakes train as kayak and nature guides and "
        "work for local tourism businesses in summer.",
        "Young people in rural Masuria leave school with no work outside the short tourist season.",
        "Giżycko", RURAL, (YOUNG,), S.ACTIVE, 15500,
        (
            (A.TRAINING, "Guide training", 4),
            (A.EVENT, "Guided kayak tour", 2),
            (A.MEETING, "Meeting with tourism businesses", 1),
        ),
        (
            IndicatorSpec("Young people certified as guides", "people", 0, 14),
            IndicatorSpec("Tours guided", "tours", 0, 120),
        ),
        started_months_ago=15, months=24, per_month=(3, 6), group_size=9, ages=AGE_YOUNG, women_share=0.45,
    ),
    ProjectSpec(
        "gizycko",
        "Sewing circle of Ukrainian and Polish mothers",
        "Ukrainian refugee mothers and Polish mothers from Giżycko sew children's clothes and "
        "textile toys together and sell them at fairs, with Polish lessons along the way.",
        "Refugee mothers are isolated and cannot work for lack of childcare and Polish.",
        "Giżycko", RURAL, (MIGRANTS, LOW_INCOME), S.ACTIVE, 9800,
        (
            (A.PRODUCTION, "Sewing circle", 5),
            (A.TRAINING, "Polish lesson", 2),
            (A.EVENT, "Stall at the town fair", 1),
        ),
        (
            IndicatorSpec("Items sold", "items", 0, 900, code="PI1263"),
            IndicatorSpec("Mothers taking part", "people", 0, 20),
        ),
        started_months_ago=14, months=24, per_month=(4, 6), group_size=10, women_share=0.95, ages=AGE_ADULTS,
    ),
    # Lithuania -- Utena county
    ProjectSpec(
        "utena",
        "Community garden for people with disabilities in Utena",
        "People with disabilities grow vegetables in raised beds behind the day centre and sell them "
        "at the Saturday market.",
        "People with disabilities spend their days indoors; fresh vegetables are expensive for them.",
        "Utena", URBAN, (DISABILITIES, LOW_INCOME), S.ACTIVE, 8600,
        (
            (A.PRODUCTION, "Garden day", 5),
            (A.EVENT, "Saturday market stall", 1),
            (A.WORKSHOP, "Composting workshop", 1),
        ),
        (
            IndicatorSpec("Vegetables harvested", "kg", 0, 1200),
            IndicatorSpec("Gardeners taking part", "people", 0, 18),
        ),
        started_months_ago=16, months=24, per_month=(3, 6), group_size=8,
    ),
    ProjectSpec(
        "utena",
        "Volunteer drivers for older villagers",
        "Volunteers drive older people from villages without buses to the doctor, the pharmacy and "
        "the day centre.",
        "Bus lines to small villages around Utena closed; older people miss appointments.",
        "Utena district", RURAL, (OLDER,), S.DRAFT, 10400,
        ((A.MEETING, "Volunteer drivers' meeting", 1),),
        (IndicatorSpec("Rides given", "rides", 0, 600), IndicatorSpec("Volunteer drivers", "people", 0, 12)),
        started_months_ago=-1, months=18,
    ),
    ProjectSpec(
        "anyksciai",
        "Wooden toys workshop for men out of work",
        "Men out of work for a long time make wooden toys and garden furniture in a village "
        "workshop and sell them to visitors of the Anykščiai treetop walk.",
        "Men in the villages around Anykščiai out of work for years; alcohol use and isolation grow.",
        "Anykščiai", RURAL, (LONG_TERM,), S.ACTIVE, 13300,
        (
            (A.PRODUCTION, "Workshop day", 6),
            (A.TRAINING, "Woodworking safety course", 1),
            (A.EVENT, "Sale at the treetop walk", 1),
        ),
        (
            IndicatorSpec("Toys and furniture sold", "items", 0, 700, code="PI1263"),
            IndicatorSpec("Men taking part every week", "people", 2, 12, cumulative=False),
        ),
        started_months_ago=17, months=24, per_month=(4, 7), group_size=6, women_share=0.05,
    ),
    ProjectSpec(
        "anyksciai",
        "Youth podcast on rural life",
        "Young people without work or study recorded a podcast on life in the villages of Anykščiai.",
        "Young people in rural Lithuania feel nobody listens to them.",
        "Anykščiai", RURAL, (YOUNG,), S.DISCONTINUED, 4200,
        ((A.WORKSHOP, "Podcast recording", 3), (A.MEETING, "Editorial meeting", 1)),
        (IndicatorSpec("Episodes published", "episodes", 0, 24, pace="off"),),
        started_months_ago=15, months=7, per_month=(2, 4), group_size=5, ages=AGE_YOUNG,
        notes=("The group leader moved to Vilnius; nobody could take over.",),
    ),
    # Latvia -- Kurzeme
    ProjectSpec(
        "kuldiga",
        "Affordable meals: a recipe book from Kuldīga",
        "People with disabilities and people on low incomes cook together in the Kuldīga social "
        "centre, test recipes that cost less than two euros a portion, and publish them as a recipe "
        "book with photos. The book is given to families through the social service and sold in the "
        "library shop.",
        "People living on a minimum income or a disability pension in western Latvia eat cheap "
        "ready-made food and cook little; many are isolated at home.",
        "Kuldīga", RURAL, (DISABILITIES, LOW_INCOME), S.ACTIVE, 9600,
        (
            (A.WORKSHOP, "Cooking workshop: a meal under two euros", 6),
            (A.PRODUCTION, "Recipe testing and writing down", 3),
            (A.PRODUCTION, "Food photography session for the book", 1),
            (A.TRAINING, "Shopping on a budget: market walk", 1),
            (A.EVENT, "Book presentation at the Kuldīga library", 1),
        ),
        (
            IndicatorSpec("Recipes tested and written down", "recipes", 0, 60, pace="ahead"),
            IndicatorSpec("Copies of the recipe book distributed", "copies", 0, 500, code="PI1263"),
            IndicatorSpec("Participants cooking at home at least once a week", "people", 3, 20),
        ),
        started_months_ago=17, months=24, per_month=(4, 6), group_size=10, ages=AGE_MIXED, women_share=0.6,
        notes=(
            "Soup from the season's vegetables: 1.40 EUR a portion.",
            "Wheelchair users need the low worktop; ask the centre to keep it free.",
            "Proof-reading of the first chapter finished.",
        ),
        leads=2,
    ),
    ProjectSpec(
        "kuldiga",
        "Clothing exchange with a repair corner",
        "An exchange of good second-hand clothing with a sewing machine corner where volunteers and "
        "visitors mend and alter clothes.",
        "Families on low incomes in Kuldīga municipality spend a large part of their budget on "
        "children's clothes.",
        "Kuldīga", RURAL, (LOW_INCOME,), S.COMPLETED, 3900,
        ((A.EVENT, "Clothing exchange day", 3), (A.WORKSHOP, "Mending workshop", 2)),
        (
            IndicatorSpec("Pieces of clothing exchanged", "pieces", 0, 3000),
            IndicatorSpec("Families reached", "families", 0, 120, code="PI4060"),
        ),
        started_months_ago=18, months=12, per_month=(2, 4), group_size=14, ages=AGE_FAMILIES, women_share=0.8,
    ),
    ProjectSpec(
        "liepaja",
        "Accessible Liepāja: tactile map and guided tours",
        "Blind people and wheelchair users map the seaside town, produce a tactile map and run "
        "accessible guided tours for visitors and for the town's planners.",
        "Liepāja's seaside is hard to reach for people with disabilities, and planners rarely ask them.",
        "Liepāja", URBAN, (DISABILITIES,), S.ACTIVE, 17200,
        (
            (A.OUTREACH, "Accessibility mapping walk", 3),
            (A.EVENT, "Accessible guided tour", 2),
            (A.MEETING, "Meeting with the town's planning office", 1),
            (A.WORKSHOP, "Tactile map design workshop", 1),
        ),
        (
            IndicatorSpec("Accessible tours guided", "tours", 0, 60),
            IndicatorSpec("Barriers reported and removed by the town", "barriers", 0, 25, code="RCO 116",
                          pace="off"),
            IndicatorSpec("Organisations cooperating", "organisations", 1, 6, code="RCO 87"),
        ),
        started_months_ago=16, months=24, per_month=(3, 5), group_size=8, volunteer_factor=0.4,
    ),
    ProjectSpec(
        "liepaja",
        "Ceramics studio making tableware for local cafés",
        "People with disabilities and people on low incomes make mugs and plates in a ceramics "
        "studio and supply cafés and guest houses in Kurzeme.",
        "People with disabilities have few paid jobs in Liepāja; cafés buy imported tableware.",
        "Liepāja", URBAN, (DISABILITIES, LOW_INCOME), S.ACTIVE, 14800,
        (
            (A.PRODUCTION, "Studio day", 6),
            (A.TRAINING, "Glazing course", 1),
            (A.OUTREACH, "Visit to cafés with samples", 1),
        ),
        (
            IndicatorSpec("Pieces of tableware sold", "pieces", 0, 1800, code="PI1263"),
            IndicatorSpec("Cafés and guest houses as customers", "customers", 0, 10),
        ),
        started_months_ago=11, months=24, per_month=(4, 6), group_size=6,
    ),
    # Estonia -- Ida-Viru
    ProjectSpec(
        "narva",
        "Estonian conversation club for Russian-speaking pensioners",
        "Russian-speaking pensioners in Narva practise Estonian over tea with volunteer students, "
        "and visit Estonian-speaking villages together.",
        "Older Russian speakers in Narva cannot talk with officials, doctors or their grandchildren's "
        "teachers in Estonian and feel left out.",
        "Narva", URBAN, (OLDER, OTHERS), S.ACTIVE, 7300,
        (
            (A.WORKSHOP, "Conversation club", 6),
            (A.EVENT, "Excursion to an Estonian-speaking village", 1),
        ),
        (
            IndicatorSpec("Pensioners attending regularly", "people", 0, 30),
            IndicatorSpec("Participants passing the A2 language test", "people", 0, 12, pace="off"),
        ),
        started_months_ago=17, months=24, per_month=(4, 6), group_size=12, ages=AGE_OLDER, women_share=0.78,
        volunteer_factor=0.5,
    ),
    ProjectSpec(
        "narva",
        "First job: paid summer work for young people in Narva",
        "Young people from families on income support got a paid first summer job with local "
        "employers, with a mentor for each.",
        "Young people in Narva without contacts find no first job; youth unemployment is the "
        "highest in Estonia.",
        "Narva", URBAN, (YOUNG, LOW_INCOME), S.COMPLETED, 12500,
        (
            (A.TRAINING, "Preparation day: work rights and safety", 2),
            (A.MEETING, "Mentor meeting", 3),
            (A.OUTREACH, "Employer recruitment visit", 1),
        ),
        (
            IndicatorSpec("Young people with a summer job", "people", 0, 30),
            IndicatorSpec("Employers taking part", "employers", 0, 15, code="RCO 87"),
        ),
        started_months_ago=18, months=10, per_month=(2, 5), group_size=9, ages=AGE_YOUNG,
    ),
    ProjectSpec(
        "kohtla",
        "Community kitchen and food rescue in Kohtla-Järve",
        "Volunteers and people on low incomes collect food close to its best-before date from "
        "supermarkets and cook warm lunches together three times a week.",
        "Many households in Kohtla-Järve live on pensions or benefits; supermarkets throw away food.",
        "Kohtla-Järve", URBAN, (LOW_INCOME, OLDER), S.ACTIVE, 11800,
        (
            (A.PRODUCTION, "Community lunch", 7),
            (A.OUTREACH, "Food collection from supermarkets", 3),
            (A.TRAINING, "Food safety training for volunteers", 1),
        ),
        (
            IndicatorSpec("Warm meals served", "meals", 0, 12000, code="PI4060"),
            IndicatorSpec("Food rescued", "kg", 0, 9000),
            IndicatorSpec("Households relying on food parcels", "households", 60, 35, cumulative=False),
        ),
        started_months_ago=17, months=30, per_month=(8, 12), group_size=18, ages=AGE_MIXED,
        volunteer_factor=0.6,
        leads=1,
    ),
    ProjectSpec(
        "kohtla",
        "Greenhouse vegetables with former miners",
        "Former oil shale miners out of work will grow vegetables in a greenhouse heated with waste heat.",
        "Mine closures left men in their fifties without work or prospects.",
        "Kohtla-Järve", RURAL, (LONG_TERM,), S.DRAFT, 19000,
        ((A.MEETING, "Planning meeting", 1),),
        (
            IndicatorSpec("Vegetables sold", "kg", 0, 5000),
            IndicatorSpec("Former miners employed", "people", 0, 6),
        ),
        started_months_ago=-3, months=24,
    ),
    # Germany -- Vorpommern
    ProjectSpec(
        "diakonie",
        "Intercultural garden in Greifswald",
        "Refugee families and long-time residents share a garden on the edge of Greifswald, grow "
        "vegetables from their home countries and hold harvest festivals.",
        "Refugee families live in large estates with little contact with their German neighbours.",
        "Greifswald", URBAN, (MIGRANTS, OTHERS), S.ACTIVE, 10200,
        (
            (A.PRODUCTION, "Garden afternoon", 5),
            (A.EVENT, "Harvest festival", 1),
            (A.WORKSHOP, "German in the garden", 2),
        ),
        (
            IndicatorSpec("Families with a garden plot", "families", 0, 24),
            IndicatorSpec("Mixed garden teams (refugees and residents)", "teams", 0, 10),
        ),
        started_months_ago=17, months=24, per_month=(4, 6), group_size=13, ages=AGE_FAMILIES,
        women_share=0.55,
    ),
    ProjectSpec(
        "peenetal",
        "Mobile village shop in the Peene valley",
        "A converted van, staffed by formerly long-term unemployed people, brings groceries, parcels "
        "and a chat to villages around Anklam that lost their last shop.",
        "Villages in Vorpommern have no shop left; older people without a car depend on neighbours.",
        "Anklam", RURAL, (LONG_TERM, OLDER), S.ACTIVE, 24800,
        (
            (A.PRODUCTION, "Shop tour", 8),
            (A.TRAINING, "Cash register and customer service training", 1),
            (A.MEETING, "Route planning with village councils", 1),
        ),
        (
            IndicatorSpec("Villages served every week", "villages", 0, 18, cumulative=False),
            IndicatorSpec("Staff formerly long-term unemployed", "people", 0, 5, code="OI8869"),
            IndicatorSpec("Monthly turnover", "EUR", 0, 9000, cumulative=False),
        ),
        started_months_ago=16, months=30, per_month=(8, 12), group_size=4, women_share=0.5, ages=AGE_ADULTS,
        volunteer_factor=0.05,
    ),
    ProjectSpec(
        "peenetal",
        "Honey from the Peene valley: beekeeping with people with disabilities",
        "People with disabilities keep bee colonies on meadows of the Peene valley with a beekeeper "
        "and sell honey through the village shop van.",
        "Sheltered workshops in the region offer packing jobs only; meadows need pollinators.",
        "Anklam", RURAL, (DISABILITIES,), S.ACTIVE, 8800,
        (
            (A.PRODUCTION, "Hive inspection", 4),
            (A.PRODUCTION, "Honey harvest and jarring", 1),
            (A.TRAINING, "Beekeeping course", 1),
        ),
        (
            IndicatorSpec("Honey sold", "jars", 0, 1500, code="PI1263"),
            IndicatorSpec("Bee colonies", "colonies", 2, 20, cumulative=False),
            IndicatorSpec("Pilot actions implemented", "actions", 0, 3, code="RCO 84"),
        ),
        started_months_ago=14, months=24, per_month=(2, 5), group_size=5,
    ),
)  # fmt: skip

FLAGSHIP = PROJECTS[0]
