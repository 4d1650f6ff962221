"""Demo data for stories of change (Most Significant Change): on the first three demo projects, a
story invite with a fixed link, and stories in the clients' languages with every consent scope,
one chosen as the most significant change, one withdrawn, one recorded with a social worker.

Idempotent and deterministic: a project that already has the demo invite is left alone; tokens and
receipt codes are derived from fixed text. Writes go through the services. No voice recordings:
the demo has no one's voice to keep (a recording's way is shown by the browser journey).
"""

# ruff: noqa: RUF001 - client texts in Russian and Ukrainian are Cyrillic on purpose

import base64
import hashlib

from sempre.models import Membership
from toolkit.cocreation.codes import RECEIPT_ALPHABET, RECEIPT_GROUP, RECEIPT_LENGTH, token_hash
from toolkit.models import Outcome
from toolkit.stories.models import StoryInvite
from toolkit.stories.services import (
    story_consent_narrow,
    story_invite_create,
    story_link,
    story_record_on_behalf,
    story_select,
    story_tell,
    story_withdraw,
)

from .microprojects import demo_projects

DEMO_PROJECTS = 3

# (language, what changed, why it matters, what helped, team/reports/cases consents, nickname)
STORIES = [
    (
        "sv",
        "Jag har ett jobb på caféet tre dagar i veckan. Förut satt jag hemma hela dagarna.",
        "Mina barn ser att jag går till jobbet. Jag pratar svenska varje dag nu.",
        "Att vi övade på att ta beställningar tillsammans, utan stress.",
        (True, True, True),
        "Mira",
    ),
    (
        "ar",
        "صرت أخرج من البيت وأتكلم مع الناس في السوق.",
        "لم أعد أشعر بالوحدة، وعندي أصدقاء هنا الآن.",
        "",
        (True, True, False),
        "",
    ),
    (
        "ru",
        "Я снова шью и продаю сумки на ярмарке.",
        "Я чувствую, что мои руки ещё нужны.",
        "Мастерская по четвергам и соседки.",
        (True, False, True),
        "Галина",
    ),
    (
        "uk",
        "Я склала іспит з мови і записалася на курси водіїв.",
        "Тепер я можу сама поїхати до лікаря з донькою.",
        "",
        (True, False, False),
        "",
    ),
    (
        "en",
        "I told my story here, then changed my mind.",
        "",
        "",
        (True, True, True),
        "",
    ),
]
SELECTED = 0  # the café story: chosen as the most significant change
WITHDRAWN = 4


def demo_story_token(project) -> str:
    digest = hashlib.sha256(f"sempre-demo-story-invite:{project.title}".encode()).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")


def demo_story_receipt(project, number: int) -> str:
    digest = hashlib.sha256(f"sempre-demo-story-receipt:{project.pk}:{number}".encode()).digest()
    raw = "".join(RECEIPT_ALPHABET[b % len(RECEIPT_ALPHABET)] for b in digest[:RECEIPT_LENGTH])
    return "-".join(raw[i : i + RECEIPT_GROUP] for i in range(0, RECEIPT_LENGTH, RECEIPT_GROUP))


def _staff(project):
    membership = (
        Membership.objects.filter(organisation_id=project.organisation_id)
        .select_related("user")
        .order_by("role", "user__username")
        .first()
    )
    return membership.user if membership else None


def _seed_project(project, by, stdout) -> int:
    token = demo_story_token(project)
    invite, _random_token = story_invite_create(project=project, by=by, label="Stories of change, autumn")
    StoryInvite.objects.filter(pk=invite.pk).update(token_hash=token_hash(token))
    invite.refresh_from_db()
    stdout.write(f"  {project.title[:50]}: /c/story/{token}/\n")
    outcome = Outcome.objects.filter(instance__project=project).order_by("order", "id").first()
    indicator = project.indicators.order_by("id").first()
    count = 0
    for number, (language, changed, why, helped, consents, nickname) in enumerate(STORIES):
        code = demo_story_receipt(project, number)
        story, code = story_tell(
            invite=invite,
            language=language,
            what_changed=changed,
            why_important=why,
            what_helped=helped,
            nickname=nickname,
            consent_team=consents[0],
            consent_reports=consents[1],
            consent_cases=consents[2],
            receipt_code=code,
        )
        count += 1
        if number == SELECTED:
            story_link(story=story, by=by, outcome=outcome, indicator=indicator)
            story_select(
                story=story,
                by=by,
                reason="Work, language and her children's pride in one story: what the project aims at.",
            )
        if number == 2:
            story_consent_narrow(story=story, receipt_code=code, reports=False, cases=False)  # narrowed later
        if number == WITHDRAWN:
            story_withdraw(story=story, receipt_code=code)
    story_record_on_behalf(
        project=project,
        by=by,
        client_consents=True,
        language="pl",
        what_changed="Mam stałą pracę w ogrodnictwie od wiosny.",
        why_important="Po raz pierwszy od lat sam płacę czynsz.",
        consent_reports=True,
    )
    return count + 1


def seed(*, stdout) -> None:
    projects = list(demo_projects().order_by("pk")[:DEMO_PROJECTS])
    done = set(
        StoryInvite.objects.filter(project__in=projects, label="Stories of change, autumn").values_list(
            "project_id", flat=True
        )
    )
    stdout.write("stories of change: demo story links\n")
    created = 0
    for project in projects:
        if project.pk in done:
            stdout.write(f"  {project.title[:50]}: /c/story/{demo_story_token(project)}/ (already there)\n")
            continue
        by = _staff(project)
        if by is None:
            continue
        created += _seed_project(project, by, stdout)
    stdout.write(f"stories of change: {created} stories created\n")
