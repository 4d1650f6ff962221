"""Demo data for co-creation: invites to some demo canvases and a Theory of Change, and a few dozen
client contributions in several languages, some accepted, some waiting, some not used.

Idempotent and deterministic: demo tokens and receipt codes are derived from fixed strings, so the
demo links are the same on every machine (printed at the end); a tool that already has the demo
invite is left alone. Writes go through the services, as the clients and social workers would.
"""

# ruff: noqa: RUF001 - client texts in Russian and Ukrainian are Cyrillic on purpose

import base64
import hashlib

from django.db import transaction

from sempre.models import Membership
from toolkit.cocreation.codes import RECEIPT_ALPHABET, RECEIPT_GROUP, RECEIPT_LENGTH, token_hash
from toolkit.cocreation.models import Invite
from toolkit.cocreation.services import (
    contribution_accept,
    contribution_reject,
    contribution_submit,
    contribution_withdraw,
)
from toolkit.models import ToolInstance

from .microprojects import demo_projects

DEMO_CANVASES = 8

# The language the clients of each country are invited in; Narva's clients mostly speak Russian.
COUNTRY_LANGUAGE = {
    "SE": "sv",
    "DK": "da",
    "FI": "fi",
    "PL": "pl",
    "LT": "lt",
    "LV": "lv",
    "EE": "ru",
    "DE": "de",
}

# What clients might say, per language: (block key on the Social Business Model Canvas, text).
IDEAS = {
    "sv": [
        ("beneficiary_segments", "Nyanlända som inte har något jobb än, och deras barn"),
        ("channels", "Sätt upp lappar på biblioteket och i tvättstugan"),
        ("key_activities", "Träffas på kvällen, efter SFI-lektionerna"),
        ("social_value_proposition", "Man får prata svenska med riktiga kunder"),
        ("type_of_intervention", "En verkstad där vi gör saker tillsammans"),
    ],
    "da": [
        ("beneficiary_segments", "Unge, der er droppet ud af skolen og bor langt fra byen"),
        ("channels", "Fortæl om det i Brugsen og på Facebook-gruppen for øen"),
        ("key_activities", "Faste dage hver uge, så man ved, hvornår man skal møde"),
        ("social_value_proposition", "At nogen regner med en om morgenen"),
        ("revenue", "Sælg grøntsagerne ved vejen, med en kasse til pengene"),
    ],
    "fi": [
        ("beneficiary_segments", "Yksin asuvat vanhukset kylissä, joissa ei kulje bussi"),
        ("channels", "Ilmoitus seurakunnan lehteen ja kauppaan"),
        ("key_activities", "Yhteinen kahvihetki joka tiistai"),
        ("social_value_proposition", "Ei tarvitse olla yksin pimeänä aikana"),
        ("customer_segments", "Kunta voisi maksaa kuljetuksen"),
    ],
    "pl": [
        ("beneficiary_segments", "Samotne matki, które nie mogą pracować na pełny etat"),
        ("channels", "Ogłoszenie w parafii i w ośrodku pomocy"),
        ("key_activities", "Opieka nad dziećmi w czasie zajęć"),
        ("social_value_proposition", "Własne pieniądze i poczucie, że coś potrafię"),
        ("revenue", "Sprzedaż przetworów na targu w sobotę"),
    ],
    "lt": [
        ("beneficiary_segments", "Vyresni žmonės, kurie gyvena vieni kaime"),
        ("channels", "Pasakyti seniūnijoje ir bažnyčioje po mišių"),
        ("key_activities", "Susitikimai bibliotekoje kartą per savaitę"),
        ("social_value_proposition", "Turėti su kuo pasikalbėti"),
        ("type_of_intervention", "Rankdarbių būrelis, kuris parduoda savo darbus"),
    ],
    "lv": [
        ("beneficiary_segments", "Cilvēki ar invaliditāti, kuri nevar atrast darbu"),
        ("channels", "Informācija sociālajā dienestā un vietējā avīzē"),
        ("key_activities", "Darbnīca, kas pieejama ar ratiņkrēslu"),
        ("social_value_proposition", "Justies vajadzīgam un nopelnīt pašam"),
        ("revenue", "Pārdot keramiku tūristiem vasarā"),
    ],
    "ru": [
        ("beneficiary_segments", "Пожилые люди, которые плохо говорят по-эстонски"),
        ("channels", "Объявление в русской газете и в поликлинике"),
        ("key_activities", "Курсы эстонского языка для начинающих"),
        ("social_value_proposition", "Меньше бояться ходить в учреждения"),
        ("type_of_intervention", "Клуб, где помогают с документами"),
    ],
    "ar": [
        ("beneficiary_segments", "النساء اللواتي يعرفن الخياطة ولا يجدن عملًا"),
        ("channels", "نخبر الناس في المسجد وفي مجموعة الواتساب"),
        ("key_activities", "نخيط معًا مرتين في الأسبوع"),
        ("social_value_proposition", "أن نكسب مالنا الخاص ونتعلم السويدية"),
        ("customer_value_proposition", "أكياس قوية وجميلة بسعر جيد"),
    ],
    "uk": [
        ("beneficiary_segments", "Українські жінки з дітьми, які приїхали нещодавно"),
        ("key_activities", "Зустрічі по суботах, коли діти не в школі"),
    ],
    "de": [
        ("beneficiary_segments", "Menschen, die lange arbeitslos sind und sich nicht mehr trauen"),
        ("channels", "Beim Jobcenter und in der Tafel Bescheid sagen"),
    ],
    "en": [
        ("social_value_proposition", "A place where nobody asks for papers first"),
    ],
}

# The Theory of Change: what clients propose (block = outcome level or interventions).
TOC_IDEAS = [
    ("early", "I know who to ask when a letter from the office comes", "en"),
    ("intermediate", "Ich gehe allein zum Amt und verstehe, was sie sagen", "de"),
    ("interventions", "Ein Abend im Monat, an dem eine Beraterin Briefe mit uns liest", "de"),
    ("early", "Я знаю, куди звернутися по допомогу", "uk"),
    ("interventions", "Поездки вместе в город, чтобы научиться пользоваться автобусом", "ru"),
]

# Per tool: the fate of its first contributions (the rest wait for review).
FATES = ("accept", "accept_edited", "pending", "reject", "pending", "pending")


def demo_token(tool: ToolInstance) -> str:
    """A fixed token per demo tool: 32 URL-safe characters (192 bits) from a hash of fixed text."""
    digest = hashlib.sha256(f"sempre-demo-invite:{tool.project.title}:{tool.template.slug}".encode()).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")


def demo_receipt(tool: ToolInstance, number: int) -> str:
    digest = hashlib.sha256(f"sempre-demo-receipt:{tool.pk}:{number}".encode()).digest()
    raw = "".join(RECEIPT_ALPHABET[b % len(RECEIPT_ALPHABET)] for b in digest[:RECEIPT_LENGTH])
    return "-".join(raw[i : i + RECEIPT_GROUP] for i in range(0, RECEIPT_LENGTH, RECEIPT_GROUP))


def _staff(tool: ToolInstance):
    membership = (
        Membership.objects.filter(organisation_id=tool.project.organisation_id)
        .select_related("user")
        .order_by("role", "user__username")
        .first()
    )
    return membership.user if membership else None


def _ideas_for(tool: ToolInstance, index: int) -> list[tuple[str, str, str]]:
    if tool.template.is_graph:
        return list(TOC_IDEAS)
    language = (
        "ar" if "Syrian" in tool.project.title else COUNTRY_LANGUAGE.get(str(tool.project.country), "en")
    )
    ideas = [(block, text, language) for block, text in IDEAS.get(language, IDEAS["en"])]
    # One client on every other canvas writes in another language.
    extra = ("uk", "de", "en")[index % 3]
    if index % 2 == 0:
        ideas += [(block, text, extra) for block, text in IDEAS[extra][:1]]
    return ideas


@transaction.atomic
def _seed_tool(tool: ToolInstance, index: int, by, stdout) -> int:
    token = demo_token(tool)
    stdout.write(f"  {tool.project.title[:50]} ({tool.template.slug}): /c/{token}/\n")
    if Invite.objects.filter(token_hash=token_hash(token)).exists():
        return 0
    language = (
        "ar" if "Syrian" in tool.project.title else COUNTRY_LANGUAGE.get(str(tool.project.country), "en")
    )
    label = ("Tuesday workshop", "Open café", "Group meeting", "Home visits")[index % 4]
    invite = Invite.objects.create(
        tool=tool,
        label=f"{label}: {tool.project.title[:60]}",
        language=language if not tool.template.is_graph else "de",
        token_hash=token_hash(token),
        created_by=by,
    )
    pending = []
    for number, (block_key, text, text_language) in enumerate(_ideas_for(tool, index)):
        code = demo_receipt(tool, number)
        contribution, _code = contribution_submit(
            invite=invite,
            block_key=block_key,
            text=text,
            language=text_language,
            consent=True,
            pseudonym=("", "Sunflower", "", "Baba", "", "Lumi")[number % 6],
            receipt_code=code,
        )
        fate = FATES[number] if number < len(FATES) else "pending"
        if fate == "accept":
            contribution_accept(contribution=contribution, by=by)
        elif fate == "accept_edited":
            contribution_accept(contribution=contribution, by=by, text=text.rstrip(".") + ".")
        elif fate == "reject" and index % 2 == 1:
            contribution_reject(contribution=contribution, by=by, note="Already on the canvas")
        else:
            pending.append((contribution, code))
    if index == 0 and pending:  # one client changed their mind
        contribution, code = pending[-1]
        contribution_withdraw(contribution=contribution, receipt_code=code)
    return len(_ideas_for(tool, index))


def _demo_tools() -> list[ToolInstance]:
    """One canvas per country (the Syrian cooperative's first, for Arabic), then one Theory of Change;
    tools of the demo's own projects only."""
    tools_of_the_demo = ToolInstance.objects.filter(project__in=demo_projects())
    canvases = (
        tools_of_the_demo.filter(template__slug="sbmc")
        .select_related("project", "project__organisation", "template")
        .order_by("project__created_at", "project_id", "id")
    )
    canvases = sorted(canvases, key=lambda tool: "Syrian" not in tool.project.title)  # stable sort
    tools, countries = [], set()
    for tool in canvases:
        country = str(tool.project.country)
        if country not in countries:
            countries.add(country)
            tools.append(tool)
    toc = (
        tools_of_the_demo.filter(template__slug="theory-of-change")
        .select_related("project", "project__organisation", "template")
        .order_by("project__created_at", "project_id", "id")
        .first()
    )
    return [*tools[:DEMO_CANVASES], *([toc] if toc else [])]


def seed(*, stdout) -> None:
    # Later seeders add tools, which could change the pick: once any demo invite exists, keep those.
    candidates = ToolInstance.objects.filter(
        project__in=demo_projects(), template__slug__in=["sbmc", "theory-of-change"]
    ).select_related("project", "template")
    by_hash = {token_hash(demo_token(tool)): tool for tool in candidates}
    seeded = set(Invite.objects.filter(token_hash__in=by_hash).values_list("token_hash", flat=True))
    if seeded:
        stdout.write("co-creation: demo client links (already there)\n")
        for tool in sorted((by_hash[h] for h in seeded), key=lambda t: (t.project.title, t.template.slug)):
            stdout.write(f"  {tool.project.title[:50]} ({tool.template.slug}): /c/{demo_token(tool)}/\n")
        return
    tools = _demo_tools()
    stdout.write("co-creation: demo client links\n")
    contributions = 0
    for index, tool in enumerate(tools):
        by = _staff(tool)
        if by is not None:
            contributions += _seed_tool(tool, index, by, stdout)
    stdout.write(f"co-creation: {contributions} client contributions created\n")
