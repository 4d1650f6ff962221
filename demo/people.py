"""The demo's organisations and people: 16 social service providers in eight Baltic Sea countries,
their social workers and administrators, the programme coordinator and the accelerator's jury.

Demo users all share the password `DEMO_PASSWORD`; `demo_logins()` lists them, and `seed_demo` prints
that list last.
"""

from __future__ import annotations

from dataclasses import dataclass

from sempre.models import Organisation

DEMO_PASSWORD = "sempre-demo"
DEMO_EMAIL_DOMAIN = "demo.sempre.invalid"


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


def organisation_spec(key: str) -> OrganisationSpec:
    return next(o for o in ORGANISATIONS if o.key == key)


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
