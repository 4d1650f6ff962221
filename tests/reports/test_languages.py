"""Every report kind speaks the language it was asked in (issue #17 §3).

Each kind is rendered in each of the eleven languages besides English, from data that touches every
part of it: a project with activities, an indicator, a canvas and a Theory of Change; a decided round
with a start-up. The text of the file (a PDF's text, an XLSX's cells, a CSV's cells) must hold no
English message of the catalogue whose translation into that language differs from the English, as
a whole phrase. What people typed (titles, notes, names) is English in the test data and allowed, and
so are the terms the language's glossary keeps in English (locale/<language>/glossary.csv).

The words of a PDF are those of the HTML page WeasyPrint is given: every language checks the text of
that page (`words_instead_of_pdf`); one test shows that those words hold every English phrase the PDF
itself holds. Laying out six PDFs in each of eleven languages took more than a minute of the suite
and checked no word more (and the text pypdf reads back from a right-to-left page breaks a quoted
English title into pieces no longer found whole).
"""

import csv
import io
import re
from functools import cache

import pypdf
import pytest
import weasyprint
from django.conf import settings
from openpyxl import load_workbook

from programme.progress import services as progress
from reports.kinds import KINDS
from tests.accelerator.factories import make_ready
from tests.cocreation.test_translations import ROOT, read_po
from tests.programme.progress_world import period, project_with_figures, write

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
# Every kind there is: a new kind fails the test until it is added here (with its parameters below).
KINDS_CHECKED = (
    "project", "programme", "programme_xlsx", "programme_csv", "selection", "selection_xlsx", "startups",
    "handbook", "progress_report",
)  # fmt: skip
# What words_instead_of_pdf writes in place of a PDF.
WORDS_MARK = b"WORDS OF THE PAGE\n"
# Not laid out: the head, style sheets, scripts, and the tooltips of SVG charts.
UNSEEN = {"head", "style", "script", "title", "desc"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
WORD = re.compile(r"[A-Za-z]{2,}")
# What the test data types in English (titles, names, notes) and what is English in every language.
TYPED = {
    "Fruit bags for Luleå", "Repair café Kuldīga", "Kick-off workshop", "Packing day", "Repair evening",
    "Clients with earned income", "Spring 2026", "Social impact", "Earned income", "First regular customer",
    "Clients designed the fruit bags themselves.", "Fruit Bags Luleå ek. för.", "People live well",
    "People meet", "Weekly café", "Meeting builds trust", "Participants", "Migrants", "40 meetings",
    "People in work", "Written.", "Well done.",
}  # fmt: skip


@cache
def english_phrases(language: str) -> tuple[tuple[str, re.Pattern], ...]:
    """Phrases of the catalogue's messages that the language says in other words: the parts of a
    message between its placeholders with at least two words, or a whole one-word message. Each with
    its pattern: the phrase, whole."""
    catalog = read_po(ROOT / "locale" / language / "LC_MESSAGES" / "django.po")
    phrases = set()
    for (_context, msgid), (msgstr, _fuzzy) in catalog.items():
        if not msgstr or msgstr.strip() == msgid.strip():
            continue
        parts = [part.strip(" :.,;()“”\"'—\u2013-\n") for part in PLACEHOLDER.split(msgid)]
        for part in parts:
            words = WORD.findall(part)
            whole_word = len(parts) == 1 and len(words) == 1 and len(part) >= 5 and part.isalpha()
            if (len(words) >= 2 or whole_word) and part not in msgstr and part not in TYPED:
                phrases.add(part)
    return tuple(
        (phrase, re.compile(r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])")) for phrase in sorted(phrases)
    )


@pytest.fixture
def words_instead_of_pdf(monkeypatch):
    write_words_instead_of_pdf(monkeypatch)


def write_words_instead_of_pdf(monkeypatch):
    """WeasyPrint's HTML.write_pdf writes the words of the page it was given instead of laying it out."""

    def write_words(self, target=None, **kwargs):
        words = []

        def walk(element):
            tag = element.tag if isinstance(element.tag, str) else "comment"
            if tag.rsplit("}", 1)[-1] in UNSEEN or tag == "comment":
                return
            words.append(element.text or "")
            for child in element:
                walk(child)
                words.append(child.tail or "")

        walk(self.etree_element)
        with open(target, "wb") as handle:
            handle.write(WORDS_MARK + " ".join(words).encode())

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", write_words)


def file_text(job) -> str:
    with job.file.open("rb") as handle:
        data = handle.read()
    if data.startswith(WORDS_MARK):
        return data.removeprefix(WORDS_MARK).decode()
    if job.kind.endswith("xlsx"):
        workbook = load_workbook(io.BytesIO(data), read_only=True)
        cells = [*workbook.sheetnames]
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells.extend(str(value) for value in row if isinstance(value, str))
        return "\n".join(cells)
    if job.kind.endswith("csv"):
        return "\n".join("\n".join(row) for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


@cache
def kept_in_english(language: str) -> tuple[str, ...]:
    """The glossary's terms this language keeps in English (German: "Theory of Change")."""
    with open(ROOT / "locale" / language / "glossary.csv", encoding="utf-8") as handle:
        return tuple(
            row["term"] for row in csv.DictReader(handle) if row["term"].lower() == row["term_en"].lower()
        )


def cited_as_published() -> list[str]:
    """Titles of sources and attributions, quoted as their authors published them (a regulation's
    official title, "After the World Café by Juanita Brown and David Isaacs"), in every language."""
    from exchange.models import Method
    from programme.models import Framework, FrameworkIndicator

    return [
        *Framework.objects.values_list("source_title", flat=True),
        *FrameworkIndicator.objects.exclude(source_title="").values_list("source_title", flat=True),
        *Method.objects.exclude(attribution="").values_list("attribution", flat=True),
    ]


def typed_names() -> list[str]:
    """Names people and organisations were given by the factories (Faker can name a coordinator
    "Yolanda English"): typed, as the titles are, so allowed in every language."""
    from django.contrib.auth import get_user_model

    from sempre.models import Organisation

    people = get_user_model().objects.values_list("first_name", "last_name")
    return [
        *(name for pair in people for name in pair if name),
        *Organisation.objects.values_list("name", flat=True),
    ]


def english_in(text: str, language: str) -> list[str]:
    for typed in sorted((*TYPED, *cited_as_published(), *typed_names()), key=len, reverse=True):
        text = text.replace(typed, "")
    for term in kept_in_english(language):  # at the start of a sentence too ("Print ...")
        text = re.sub(re.escape(term), "", text, flags=re.IGNORECASE)
    text = re.sub(r"\s+", " ", text)
    # A phrase the text does not hold anywhere cannot be there whole: `in` rules out most of the
    # thousands of phrases faster than their patterns can (a pattern that starts with a lookbehind
    # is tried at every position of the text).
    return [
        pattern.pattern
        for phrase, pattern in english_phrases(language)
        if phrase in text and pattern.search(text)
    ]


@pytest.fixture
def params(project, social_worker, coordinator, decided_round):
    make_ready(project, social_worker)
    reporting = project_with_figures(project.organisation, title="Fruit bags for Luleå")
    reporting.activities.update(title="Packing day")  # typed, as the other test data
    report = period(coordinator).reports.get(project=reporting)
    write(report, social_worker)
    progress.report_submit(report=report, by=social_worker)
    progress.report_approve(report=report, by=coordinator, comment="Well done.")
    return {
        "project": {"project": project.pk},
        "selection": {"round": decided_round.pk},
        "selection_xlsx": {"round": decided_round.pk},
        "progress_report": {"progress_report": report.pk},
    }


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_report_holds_an_english_message(
    language, params, make_report, coordinator, social_worker, request
):
    request.getfixturevalue("words_instead_of_pdf")
    assert set(KINDS) == set(KINDS_CHECKED)
    found = {}
    for name in KINDS_CHECKED:
        user = social_worker if name in ("project", "progress_report") else coordinator
        job = make_report(user, name, params.get(name, {}), language=language)
        assert job.status == "succeeded", job.error
        english = english_in(file_text(job), language)
        if english:
            found[name] = english
    assert not found, f"{language}: English in the reports: {found}"


def test_the_check_finds_english_where_it_is(params, make_report, social_worker, monkeypatch):
    """The English report, checked as if it were Swedish, is full of English; the words of its page
    hold every English phrase its PDF holds (so checking the words misses nothing the PDF shows)."""
    job = make_report(social_worker, "project", params["project"], language="en")
    in_pdf = english_in(file_text(job), "sv")
    assert len(in_pdf) > 10
    write_words_instead_of_pdf(monkeypatch)
    job.delete()
    words = make_report(social_worker, "project", params["project"], language="en")
    assert not file_text(words).startswith("%PDF")
    assert set(english_in(file_text(words), "sv")) >= set(in_pdf)
