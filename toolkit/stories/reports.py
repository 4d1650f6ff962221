"""The stories' part of the project report: the stories chosen as most significant whose tellers let
them be quoted in reports, as of the moment the report is rendered (a story withdrawn or narrowed
before then is not in it). Added as a section of the project PDF (`reports.sections`), from
StoriesConfig.ready(). Recordings never reach a report: only transcribed words do."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from reports.sections import Section, register_section

from .selectors import quotable_stories


def register_report_sections() -> None:
    register_section(report="project", name="stories_of_change", sections=project_stories)


def project_stories(project) -> list[Section]:
    stories = list(quotable_stories(project, "reports", selected_only=True))
    if not stories:
        return []
    return [
        Section(
            title=_("Stories of change"),
            html=render_to_string("stories/_report_section.html", {"stories": stories}),
        )
    ]
