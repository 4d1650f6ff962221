"""Print locale/glossary.md: the key terms side by side, from each language's locale/<lang>/glossary.csv.

python3 locale/glossary.py > locale/glossary.md
"""

import csv
from pathlib import Path

LOCALE = Path(__file__).resolve().parent
LANGUAGES = ("de", "da", "sv", "fi", "et", "pl", "lt", "lv", "ru", "uk", "ar")  # the menu's order, without en
KEY_TERMS = (
    "micro project",
    "activity",
    "participant",
    "indicator",
    "measurement",
    "Social Business Model Canvas",
    "Theory of Change",
    "outcome",
    "assumption",
    "intervention",
    "invite",
    "contribution",
    "consent",
    "moderation",
    "round",
    "application",
    "reviewer",
    "start-up",
    "self-sufficiency",
    "milestone",
    "coordinator",
    "social worker",
    "report",
    "dashboard",
    "method",
    "practice case",
    "story of change",
    "progress report",
    "reporting period",
    "indicator framework",
    "framework indicator",
    "notification",
)


def glossary(language: str) -> dict[str, str]:
    path = LOCALE / language / "glossary.csv"
    if not path.exists():
        return {}
    terms: dict[str, str] = {}
    with path.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            terms.setdefault(row["term_en"].strip().lower(), row["term"].strip())
    return terms


def main() -> None:
    by_language = {language: glossary(language) for language in LANGUAGES}
    languages = [language for language, terms in by_language.items() if terms]
    lines = [
        "# Glossary: the platform's key terms in every language",
        "",
        "Each language's full glossary is `locale/<language>/glossary.csv` (columns `term_en,term,note`),",
        "kept by its translators beside the catalogue and followed in every message of that language; the",
        'notes say why a word was chosen (e.g. why "contribution" is not the word for a grant). This table',
        "shows the key terms side by side and is made from those files: `python3 locale/glossary.py >",
        "locale/glossary.md`.",
        "",
        "| English | " + " | ".join(languages) + " |",
        "|---|" + "---|" * len(languages),
    ]
    for term in KEY_TERMS:
        cells = [by_language[language].get(term.lower(), "") for language in languages]
        lines.append(f"| {term} | " + " | ".join(cells) + " |")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
