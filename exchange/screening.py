"""The privacy check of a case before it is published: things in its texts that look like a
person's name, a phone number or an e-mail address (docs/exchange.md, "Before publishing").

A small, deliberately eager heuristic: it finds more than there is, and a coordinator confirms each
finding ("not personal data") or sends the case back to have it removed. Names are runs of two or
more capitalised words ("Maria Berg"), or one capitalised word after a form of address ("Mrs
Berg"); the domain's own capitalised terms (Theory of Change, Social Business Model Canvas) are not
names. A finding's key is stable while its text is: a finding whose text changed is asked again.
"""

import hashlib
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# The case's texts the check reads, with the label the coordinator sees.
CHECKED_FIELDS = {
    "title": _("Title"),
    "summary": _("Summary"),
    "problem": _("The problem"),
    "what_we_did": _("What we did"),
    "what_changed": _("What changed"),
    "lessons": _("What we would do differently"),
    "costs_and_time": _("Costs and time"),
    "contact_role": _("Contact role"),
}

# Where else a finding may be, with its label: a photo's caption, a quoted client's story.
OTHER_PLACES = {
    "photo_caption": _("Photo caption"),
    "quoted_story": _("Quoted story of change"),
}

KINDS = {
    "email": _("looks like an e-mail address"),
    "phone": _("looks like a phone number"),
    "name": _("looks like a person's name"),
}

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Seven or more digits, with spaces, dashes, dots, slashes or brackets between them.
PHONE = re.compile(r"(?<![\w])(?:\+|00)?\d(?:[\s\-./()]*\d){6,}")
DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}\s*[-\u2013]\s*\d{4}")
WORD = re.compile(r"[^\W\d_][^\W\d_'\u2019-]*", re.UNICODE)
ADDRESS_FORMS = {
    "mr", "mrs", "ms", "miss", "dr", "herr", "frau", "fru", "pan", "pani", "ponia", "ponas",
    "kungs", "kundze", "rouva", "herra", "härra", "proua",
}  # fmt: skip
# Capitalised words that start sentences or name the programme's things, never a person.
NOT_NAMES = {
    "a", "an", "the", "we", "our", "us", "they", "their", "in", "on", "at", "for", "with", "and",
    "but", "after", "before", "when", "then", "this", "that", "these", "those", "it", "its", "as",
    "by", "from", "to", "of", "each", "every", "some", "most", "many", "all", "one", "two", "three",
    "social", "business", "model", "canvas", "theory", "change", "toc", "sbmc", "interreg",
    "baltic", "sea", "region", "programme", "program", "project", "municipality", "world", "café",
    "cafe", "photovoice", "peer", "visit", "local", "empowerment", "network", "participatory",
    "budgeting", "empathy", "map", "problem", "tree", "stakeholder", "sempre", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december",
}  # fmt: skip


@dataclass(frozen=True)
class Finding:
    key: str
    field: str
    kind: str
    text: str

    @property
    def field_label(self) -> str:
        return str(CHECKED_FIELDS.get(self.field) or OTHER_PLACES.get(self.field, self.field))

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "field": self.field,
            "kind": self.kind,
            "text": self.text,
            "message": f"{self.field_label}: “{self.text}” {self.kind_label}",
        }


def _finding(field: str, kind: str, text: str) -> Finding:
    digest = hashlib.sha256(f"{field}\x00{kind}\x00{text}".encode()).hexdigest()[:16]
    return Finding(key=digest, field=field, kind=kind, text=text)


def _is_capitalised(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and not word.isupper() and word.lower() not in NOT_NAMES


def _starts_sentence(text: str, position: int) -> bool:
    before = text[:position].rstrip()
    return not before or before[-1] in ".!?:;\n"


def _names(text: str) -> list[str]:
    words = list(WORD.finditer(text))
    found = []
    run: list[re.Match] = []

    def close():
        # A sentence's first word is capitalised anyway ("Ask Maria Berg"): a run of three or more
        # that starts a sentence is counted from its second word.
        if len(run) >= 3 and _starts_sentence(text, run[0].start()):
            run.pop(0)
        if len(run) >= 2:
            found.append(text[run[0].start() : run[-1].end()])
        run.clear()

    for index, match in enumerate(words):
        word = match.group()
        previous = words[index - 1] if index else None
        adjacent = previous is not None and text[previous.end() : match.start()].strip() == ""
        if not adjacent:
            close()
        if _is_capitalised(word):
            if not run and previous is not None and adjacent and previous.group().lower() in ADDRESS_FORMS:
                found.append(text[previous.start() : match.end()])
                continue
            run.append(match)
        else:
            close()
    close()
    return found


def text_findings(field: str, text: str) -> list[Finding]:
    text = text or ""
    findings = []
    emails = [m.group() for m in EMAIL.finditer(text)]
    findings += [_finding(field, "email", value) for value in emails]
    without_emails = EMAIL.sub(" ", text)
    without_dates = DATE.sub(" ", without_emails)
    findings += [_finding(field, "phone", m.group().strip()) for m in PHONE.finditer(without_dates)]
    findings += [_finding(field, "name", value) for value in _names(without_emails)]
    unique = {}
    for finding in findings:
        unique.setdefault(finding.key, finding)
    return list(unique.values())


def case_findings(case, captions=(), quotes=()) -> list[Finding]:
    """Every finding in the case's texts, its photos' captions and the texts of the clients'
    stories it quotes (`selectors.case_quotes`: the words shown: nickname, what changed, why),
    in the order of the page."""
    findings = []
    for field in CHECKED_FIELDS:
        findings += text_findings(field, getattr(case, field))
    for caption in captions:
        findings += text_findings("photo_caption", caption)
    for story in quotes:
        for text in (story.nickname, story.what_changed, story.why_important):
            findings += text_findings("quoted_story", text)
    return findings


def open_findings(case, captions=(), quotes=()) -> list[Finding]:
    """The findings a coordinator has not confirmed yet."""
    confirmed = set(case.confirmed_findings or [])
    return [finding for finding in case_findings(case, captions, quotes) if finding.key not in confirmed]
