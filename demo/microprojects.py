"""Demo data that tells the SEMPRE story: 30 micro projects of 16 social service providers in rural
regions of eight Baltic Sea countries, with 18 months of activities and indicators.

`seed(stdout=...)` is called by `manage.py seed_demo`. It is idempotent and deterministic:

- Everything is looked up by a natural key (organisation name, username, project title within its
  organisation) and only what is missing is created. An existing project is left alone with all
  its activities and indicators, so a rerun changes nothing, and never undoes what people did with
  the demo data.
- Random choices come from `random.Random` seeded with 2019 (the year SEMPRE started) and the
  project's title, so a project gets the same activities whatever else exists.
- Dates are anchored to a *reference date*: the day the demo was first loaded (today on an empty
  database). The flagship project (the Luleå fruit-bag cooperative) starts a fixed number of days
  before it, so later runs read the reference date back from that project instead of using today.
  This keeps "18 months of activities ending near today" at the first load, and any later rerun,
  on any day, changes nothing. Other demo modules should use `reference_date()` too.

Demo users all share the password `DEMO_PASSWORD`; `demo_logins()` lists them.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from sempre.models import Membership, Organisation, User

from .models import Activity, Indicator, Measurement, MicroProject, TargetGroup
from .services import activity_validate_counts

SEED = 2019
DEMO_PASSWORD = "sempre-demo"
DEMO_EMAIL_DOMAIN = "demo.sempre.invalid"
# The flagship project starts this many days before the reference date (about 17 months).
FLAGSHIP_DAYS_BEFORE_REFERENCE = 520

# Age-band profiles, in the order of Activity.AGE_FIELDS: under 18, 18-29, 30-54, 55+, not stated.
AGE_ADULTS = (0, 22, 58, 15, 5)
AGE_YOUNG = (12, 83, 5, 0, 0)
AGE_OLDER = (0, 0, 8, 88, 4)
AGE_FAMILIES = (38, 18, 38, 3, 3)
AGE_MIXED = (4, 20, 44, 27, 5)


# Organisations and people -----------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    username: str
    first_name: str
    last_name: str


@dataclass(frozen=True)
class OrganisationSpec:
    key: str
    name: str
    country: str
    region: str
    kind: str
    admin: Person
    social_workers: tuple[Person, ...]


K = Organisation.Kind
ORGANISATIONS = (
    OrganisationSpec(
        "lulea", "Luleå Social Services", "SE", "Norrbotten, Luleå", K.MUNICIPALITY,
        Person("erik", "Erik", "Nyström"),
        (Person("anna", "Anna", "Lindqvist"), Person("ahmad", "Ahmad", "Haddad")),
    ),
    OrganisationSpec(
        "boden", "Föreningen Gemenskap Boden", "SE", "Norrbotten, Boden", K.NGO,
        Person("karin", "Karin", "Öberg"), (Person("johan", "Johan", "Lundberg"),),
    ),
    OrganisationSpec(
        "bornholm", "Bornholm Regional Municipality, Social Services", "DK", "Bornholm, Rønne",
        K.MUNICIPALITY,
        Person("mette", "Mette", "Kofoed"),
        (Person("sofie", "Sofie", "Jensen"), Person("lars", "Lars", "Munch")),
    ),
    OrganisationSpec(
        "vaerksted", "Bornholms Værksted (social cooperative)", "DK", "Bornholm, Nexø", K.SOCIAL_ENTERPRISE,
        Person("henrik", "Henrik", "Ipsen"), (Person("camilla", "Camilla", "Holm"),),
    ),
    OrganisationSpec(
        "rovaniemi", "City of Rovaniemi Social Services", "FI", "Lapland, Rovaniemi", K.MUNICIPALITY,
        Person("paivi", "Päivi", "Korhonen"),
        (Person("aino", "Aino", "Mäkelä"), Person("juha", "Juha", "Heikkinen")),
    ),
    OrganisationSpec(
        "kemijarvi", "Kemijärvi Parish Diaconia", "FI", "Lapland, Kemijärvi", K.CHARITY,
        Person("riikka", "Riikka", "Salmi"), (Person("mikko", "Mikko", "Lehtonen"),),
    ),
    OrganisationSpec(
        "olsztyn", "Municipal Social Assistance Centre Olsztyn (MOPS)", "PL", "Warmia-Masuria, Olsztyn",
        K.MUNICIPALITY,
        Person("agnieszka", "Agnieszka", "Kowalska"),
        (Person("marta", "Marta", "Wiśniewska"), Person("piotr", "Piotr", "Zieliński")),
    ),
    OrganisationSpec(
        "gizycko", "Fundacja Mazurskie Gniazdo", "PL", "Warmia-Masuria, Giżycko", K.NGO,
        Person("tomasz", "Tomasz", "Nowak"), (Person("ewa", "Ewa", "Kamińska"),),
    ),
    OrganisationSpec(
        "utena", "Utena District Social Services Centre", "LT", "Utena County, Utena", K.MUNICIPALITY,
        Person("ruta", "Rūta", "Kazlauskienė"),
        (Person("egle", "Eglė", "Jankauskaitė"), Person("tomas", "Tomas", "Petrauskas")),
    ),
    OrganisationSpec(
        "anyksciai", "Anykščiai Community Association Bendrystė", "LT", "Utena County, Anykščiai", K.NGO,
        Person("vytautas", "Vytautas", "Stankevičius"), (Person("ieva", "Ieva", "Žukauskaitė"),),
    ),
    OrganisationSpec(
        "kuldiga", "Kuldīga Social Service", "LV", "Kurzeme, Kuldīga", K.MUNICIPALITY,
        Person("inese", "Inese", "Kalniņa"),
        (Person("liga", "Līga", "Ozola"), Person("janis", "Jānis", "Bērziņš")),
    ),
    OrganisationSpec(
        "liepaja", "Liepāja Association of People with Disabilities", "LV", "Kurzeme, Liepāja", K.NGO,
        Person("dace", "Dace", "Liepiņa"), (Person("arturs", "Artūrs", "Krūmiņš"),),
    ),
    OrganisationSpec(
        "narva", "Narva City Social Welfare Department", "EE", "Ida-Viru County, Narva", K.MUNICIPALITY,
        Person("olga", "Olga", "Ivanova"),
        (Person("svetlana", "Svetlana", "Petrova"), Person("kristjan", "Kristjan", "Tamm")),
    ),
    OrganisationSpec(
        "kohtla", "MTÜ Ühine Laud (community kitchen)", "EE", "Ida-Viru County, Kohtla-Järve", K.NGO,
        Person("mari", "Mari", "Kask"), (Person("andrei", "Andrei", "Smirnov"),),
    ),
    OrganisationSpec(
        "diakonie", "Diakonie Vorpommern-Greifswald", "DE", "Vorpommern, Greifswald", K.CHARITY,
        Person("sabine", "Sabine", "Krüger"),
        (Person("jana", "Jana", "Schulz"), Person("felix", "Felix", "Wagner")),
    ),
    OrganisationSpec(
        "peenetal", "Sozialgenossenschaft Peenetal eG", "DE", "Vorpommern, Anklam", K.SOCIAL_ENTERPRISE,
        Person("uwe", "Uwe", "Hoffmann"), (Person("lena", "Lena", "Becker"),),
    ),
)  # fmt: skip

COORDINATOR = Person("coordinator", "Katrin", "Vogel")
# The jury of the accelerator round (the accelerator's demo data assigns them).
REVIEWERS = (
    Person("reviewer1", "Birgit", "Sørensen"),
    Person("reviewer2", "Jonas", "Petraitis"),
    Person("reviewer3", "Helena", "Virtanen"),
    Person("reviewer4", "Małgorzata", "Dąbrowska"),
    Person("reviewer5", "Thomas", "Richter"),
    Person("reviewer6", "Kadri", "Saar"),
)


# Micro projects ---------------------------------------------------------------------------------


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


# The same seven as migration 0002_seed_target_groups (a migration must not import this module).
TARGET_GROUPS = (
    ("migrants-refugees", "Migrants and refugees"),
    ("people-with-disabilities", "People with disabilities"),
    ("low-income", "People on low incomes"),
    ("older-people", "Older people"),
    ("young-neet", "Young people not in work or education"),
    ("long-term-unemployed", "Long-term unemployed"),
    ("others", "Others"),
)

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

GENERAL_NOTES = {
    A.WORKSHOP: (
        "Worked in small groups.",
        "Two people came for the first time.",
        "Good energy, coffee ran out.",
    ),
    A.MEETING: ("Decided the plan for next month.", "Minutes shared with everybody."),
    A.TRAINING: ("Certificates handed out at the end.", "The trainer will come back next month."),
    A.EVENT: ("Lots of visitors from the village.", "Local newspaper took photos."),
    A.OUTREACH: ("Left leaflets in three languages.", "Met the municipal social worker on the way."),
    A.PRODUCTION: (
        "Finished the order on time.",
        "Material ran short; ordered more.",
        "New member learned quickly.",
    ),
    A.OTHER: ("",),
}

BASE_STAFF_HOURS = {
    A.WORKSHOP: 3,
    A.MEETING: 1.5,
    A.TRAINING: 4,
    A.EVENT: 6,
    A.OUTREACH: 3,
    A.PRODUCTION: 4,
    A.OTHER: 2,
}
SIZE_FACTOR = {A.EVENT: 2.5, A.MEETING: 0.6, A.OUTREACH: 0.8}


# Dates ------------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def reference_date() -> date:
    """The day the demo data is anchored to: the day it was first loaded (today on an empty
    database), read back from the flagship project's start date on later runs."""
    flagship = MicroProject.objects.filter(
        organisation__name=_organisation_spec(FLAGSHIP.organisation).name, title=FLAGSHIP.title
    ).first()
    if flagship is not None and flagship.start_date is not None:
        return flagship.start_date + timedelta(days=FLAGSHIP_DAYS_BEFORE_REFERENCE)
    return timezone.localdate()


def _organisation_spec(key: str) -> OrganisationSpec:
    return next(o for o in ORGANISATIONS if o.key == key)


def _weekday(day: date) -> date:
    """Social services work on weekdays: move Saturday back to Friday, Sunday on to Monday."""
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


def _aware(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


# Logins -----------------------------------------------------------------------------------------


def demo_logins() -> list[dict]:
    """Every demo user as {"username", "role", "organisation"}; a social worker of the Luleå
    organisation comes first, then the programme roles, then everybody else by organisation."""
    logins = []
    for spec in ORGANISATIONS:
        logins += [
            {"username": p.username, "role": "social_worker", "organisation": spec.name}
            for p in spec.social_workers
        ]
        logins.append({"username": spec.admin.username, "role": "org_admin", "organisation": spec.name})
    programme = [{"username": COORDINATOR.username, "role": "coordinator", "organisation": ""}]
    programme += [{"username": p.username, "role": "reviewer", "organisation": ""} for p in REVIEWERS]
    first = [login for login in logins if login["username"] in {"anna", "erik"}]
    return first + programme + [login for login in logins if login not in first]


# Seeding ----------------------------------------------------------------------------------------


@dataclass
class _Created:
    organisations: int = 0
    users: int = 0
    memberships: int = 0
    projects: int = 0
    activities: int = 0
    indicators: int = 0
    measurements: int = 0
    skipped_projects: list[str] = field(default_factory=list)


def seed(*, stdout) -> None:
    """Load the micro projects story; see the module docstring. Writes a short summary to stdout."""
    with transaction.atomic():
        created = _Created()
        reference = reference_date()
        groups = _ensure_target_groups()
        organisations = _seed_organisations(created)
        users = _seed_users(organisations, created)
        _seed_projects(organisations, users, groups, reference, created)
    stdout.write(
        f"Micro projects (reference date {reference.isoformat()}): created {created.organisations} "
        f"organisations, {created.users} users, {created.memberships} memberships, {created.projects} "
        f"projects, {created.activities} activities, {created.indicators} indicators, "
        f"{created.measurements} measurements; {len(created.skipped_projects)} projects already there.\n"
    )


def _ensure_target_groups() -> dict[str, TargetGroup]:
    """The target groups by slug. Migration 0002 creates them; they are created again here should
    they have been deleted (a flushed test database, an over-eager admin)."""
    for order, (slug, name) in enumerate(TARGET_GROUPS, start=1):
        TargetGroup.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})
    return TargetGroup.objects.in_bulk(field_name="slug")


def _seed_organisations(created: _Created) -> dict[str, Organisation]:
    existing = Organisation.objects.in_bulk([o.name for o in ORGANISATIONS], field_name="name")
    new = [
        Organisation(name=o.name, country=o.country, region=o.region, kind=o.kind)
        for o in ORGANISATIONS
        if o.name not in existing
    ]
    Organisation.objects.bulk_create(new)
    created.organisations = len(new)
    by_name = Organisation.objects.in_bulk([o.name for o in ORGANISATIONS], field_name="name")
    return {o.key: by_name[o.name] for o in ORGANISATIONS}


def _seed_users(organisations: dict[str, Organisation], created: _Created) -> dict[str, User]:
    people: list[tuple[Person, dict]] = [(COORDINATOR, {"is_coordinator": True})]
    people += [(p, {"is_reviewer": True}) for p in REVIEWERS]
    for spec in ORGANISATIONS:
        people += [(spec.admin, {}), *((p, {}) for p in spec.social_workers)]
    usernames = [p.username for p, _ in people]
    existing = User.objects.in_bulk(usernames, field_name="username")
    missing = [(p, flags) for p, flags in people if p.username not in existing]
    if missing:
        # One hash for all: hashing is deliberately slow, and the demo users share a password.
        password = make_password(DEMO_PASSWORD)
        User.objects.bulk_create(
            [
                User(
                    username=p.username,
                    first_name=p.first_name,
                    last_name=p.last_name,
                    email=f"{p.username}@{DEMO_EMAIL_DOMAIN}",
                    password=password,
                    **flags,
                )
                for p, flags in missing
            ]
        )
    created.users = len(missing)
    users = User.objects.in_bulk(usernames, field_name="username")

    wanted = []
    for spec in ORGANISATIONS:
        organisation = organisations[spec.key]
        wanted.append((users[spec.admin.username], organisation, Membership.Role.ORG_ADMIN))
        wanted += [
            (users[p.username], organisation, Membership.Role.SOCIAL_WORKER) for p in spec.social_workers
        ]
    have = set(
        Membership.objects.filter(organisation__in=organisations.values()).values_list(
            "user_id", "organisation_id"
        )
    )
    new = [
        Membership(user=user, organisation=organisation, role=role)
        for user, organisation, role in wanted
        if (user.pk, organisation.pk) not in have
    ]
    Membership.objects.bulk_create(new)
    created.memberships = len(new)
    return users


def _seed_projects(organisations, users, groups, reference: date, created: _Created) -> None:
    existing = set(
        MicroProject.objects.filter(organisation__in=organisations.values()).values_list(
            "organisation_id", "title"
        )
    )
    todo = []
    for spec in PROJECTS:
        organisation = organisations[spec.organisation]
        if (organisation.pk, spec.title) in existing:
            created.skipped_projects.append(spec.title)
            continue
        todo.append((spec, organisation))
    if not todo:
        return

    plans = [_plan_project(spec, organisation, users, reference) for spec, organisation in todo]
    projects = bulk_create_with_history([plan.project for plan in plans], MicroProject)
    # bulk_create sets created_at to now; the demo says when each project was registered.
    for plan, project in zip(plans, projects, strict=True):
        plan.project = project
        project.created_at = plan.registered_at
    MicroProject.objects.bulk_update(projects, ["created_at"])
    created.projects = len(projects)

    MicroProject.target_groups.through.objects.bulk_create(
        [
            MicroProject.target_groups.through(
                microproject_id=plan.project.pk, targetgroup_id=groups[slug].pk
            )
            for plan in plans
            for slug in plan.spec.target_groups
        ]
    )
    MicroProject.lead_social_workers.through.objects.bulk_create(
        [
            MicroProject.lead_social_workers.through(microproject_id=plan.project.pk, user_id=lead.pk)
            for plan in plans
            for lead in plan.leads
        ]
    )

    activities = []
    for plan in plans:
        for activity in plan.activities:
            activity.project = plan.project
            activities.append(activity)
    Activity.objects.bulk_create(activities, batch_size=500)
    created.activities = len(activities)

    indicators = []
    for plan in plans:
        for indicator, _measurements in plan.indicators:
            indicator.project = plan.project
            indicators.append(indicator)
    Indicator.objects.bulk_create(indicators)
    created.indicators = len(indicators)

    measurements = []
    for plan in plans:
        for indicator, indicator_measurements in plan.indicators:
            for measurement in indicator_measurements:
                measurement.indicator = indicator
                measurements.append(measurement)
    Measurement.objects.bulk_create(measurements, batch_size=500)
    created.measurements = len(measurements)


@dataclass
class _Plan:
    spec: ProjectSpec
    project: MicroProject
    registered_at: datetime
    leads: list[User]
    activities: list[Activity]
    indicators: list[tuple[Indicator, list[Measurement]]]


def _plan_project(spec: ProjectSpec, organisation: Organisation, users, reference: date) -> _Plan:
    """Everything about one project, in memory, from its own deterministic random generator."""
    rng = random.Random(f"{SEED}:{spec.title}")
    org_spec = _organisation_spec(spec.organisation)
    leads = [users[p.username] for p in org_spec.social_workers[: spec.leads]]

    if spec is FLAGSHIP:
        start = reference - timedelta(days=FLAGSHIP_DAYS_BEFORE_REFERENCE)
    else:
        start = _weekday(add_months(reference, -spec.started_months_ago).replace(day=rng.randint(1, 20)))
    planned_end = add_months(start, spec.months) - timedelta(days=1)
    if spec.status in (S.COMPLETED, S.DISCONTINUED):
        end = min(planned_end, reference - timedelta(days=30))
        last_activity = end
    else:
        end = planned_end
        last_activity = reference if spec.status == S.ACTIVE else None

    project = MicroProject(
        organisation=organisation,
        title=spec.title,
        summary=spec.summary,
        problem=spec.problem,
        country=organisation.country,
        region=spec.region,
        setting=spec.setting,
        status=spec.status,
        start_date=start,
        end_date=end,
        budget_eur=Decimal(spec.budget),
        created_by=leads[0],
    )
    # Registered a few weeks before it started; drafts (starting later) a few days before the reference date.
    registered = min(
        start - timedelta(days=rng.randint(10, 40)), reference - timedelta(days=rng.randint(1, 14))
    )
    registered_at = _aware(registered, hour=rng.randint(8, 15))
    project._history_user = leads[0]
    project._history_date = registered_at

    activities = _plan_activities(spec, rng, start, last_activity, leads) if last_activity else []
    indicators = [
        _plan_indicator(
            indicator_spec,
            rng,
            start=start,
            end=end,
            last=last_activity,
            completed=spec.status == S.COMPLETED,
            by=leads[0],
        )
        for indicator_spec in spec.indicators
    ]
    return _Plan(spec, project, registered_at, leads, activities, indicators)


def _split(rng: random.Random, total: int, weights) -> list[int]:
    """Distribute `total` people over categories: the counts always add up to the total."""
    counts = [0] * len(weights)
    for index in rng.choices(range(len(weights)), weights=weights, k=total):
        counts[index] += 1
    return counts


def _plan_activities(spec: ProjectSpec, rng: random.Random, start: date, last: date, leads) -> list[Activity]:
    kinds = [kind for kind, _title, _weight in spec.activities]
    titles = [title for _kind, title, _weight in spec.activities]
    weights = [weight for _kind, _title, weight in spec.activities]
    gender_weights = (spec.women_share * 97.6, (1 - spec.women_share) * 97.6, 0.4, 2)
    activities = []
    month_start = start.replace(day=1)
    month_number = 0
    seen = set()
    while month_start <= last:
        days = calendar.monthrange(month_start.year, month_start.month)[1]
        for _ in range(rng.randint(*spec.per_month)):
            day = _weekday(month_start.replace(day=rng.randint(1, days)))
            if day < start or day > last:
                continue
            choice = rng.choices(range(len(titles)), weights=weights)[0]
            if (day, choice) in seen:  # one session of a kind a day
                continue
            seen.add((day, choice))
            kind = kinds[choice]
            # Groups grow in the first months, then settle.
            growth = min(1.15, 0.6 + 0.06 * month_number)
            size = spec.group_size * growth * SIZE_FACTOR.get(kind, 1)
            total = max(1, round(rng.gauss(size, max(1.0, size * 0.2))))
            new_share = max(0.04, 0.85 * 0.72**month_number) + (0.25 if kind in (A.EVENT, A.OUTREACH) else 0)
            new = sum(rng.random() < min(new_share, 0.95) for _ in range(total))
            values = dict(zip(Activity.GENDER_FIELDS, _split(rng, total, gender_weights), strict=True))
            # Ages are not asked at big events; elsewhere they mostly are.
            if rng.random() < (0.5 if kind == A.EVENT else 0.9):
                values.update(zip(Activity.AGE_FIELDS, _split(rng, total, spec.ages), strict=True))
            values.update(participants_total=total, participants_new=new)
            activity_validate_counts(values)
            notes = ""
            if rng.random() < 0.35:
                notes = rng.choice(spec.notes + GENERAL_NOTES[kind])
            staff = BASE_STAFF_HOURS[kind] + rng.choice((0, 0.5, 1, 1.5, 2))
            volunteer = round(total * spec.volunteer_factor * rng.uniform(0.5, 1.5) * 2) / 2
            activities.append(
                Activity(
                    date=day,
                    kind=kind,
                    title=titles[choice],
                    notes=notes,
                    staff_hours=Decimal(str(staff)),
                    volunteer_hours=Decimal(str(volunteer)),
                    created_by=rng.choice(leads),
                    **values,
                )
            )
        month_start = add_months(month_start, 1)
        month_number += 1
    activities.sort(key=lambda a: a.date)
    return activities


PACE = {"on": (1.05, 1.12), "ahead": (1.2, 1.35), "off": (0.35, 0.5)}


def _plan_indicator(
    spec: IndicatorSpec, rng, *, start: date, end: date, last: date | None, completed: bool, by
):
    """The indicator and its monthly measurements (at each month's end) up to `last`. A completed
    project closes with a final count on its end date that reaches the target."""
    baseline, target = Decimal(spec.baseline), Decimal(spec.target)
    indicator = Indicator(
        name=spec.name,
        code=spec.code,
        unit=spec.unit,
        baseline=baseline,
        target=target,
        target_date=end,
        direction=Indicator.Direction.INCREASE if target > baseline else Indicator.Direction.DECREASE,
    )
    measurements = []
    if last is None:
        return indicator, measurements
    pace = rng.uniform(*PACE[spec.pace])
    quantum = Decimal("0.1") if spec.unit == "%" else Decimal("1")
    span = max(1, (end - start).days)
    previous = baseline

    def value_at(progress: float) -> Decimal:
        value = (baseline + (target - baseline) * Decimal(str(max(0.0, progress)))).quantize(quantum)
        return max(value, previous) if spec.cumulative and target > baseline else value

    day = month_end(start)
    while day < last:
        progress = min(1.08, (day - start).days / span * pace + rng.uniform(-0.02, 0.02))
        previous = value_at(progress)
        note = "" if rng.random() < 0.8 else "Counted from the monthly log."
        measurements.append(Measurement(date=day, value=previous, note=note, created_by=by))
        day = month_end(add_months(day.replace(day=1), 1))
    if completed:
        final = value_at(rng.uniform(1.0, 1.08))
        note = "Final count at the end of the project."
        measurements.append(Measurement(date=end, value=final, note=note, created_by=by))
    return indicator, measurements
