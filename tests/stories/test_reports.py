"""Consent reaches every consumer through one selector: the project report's section is built from
quotable_stories(project, "reports") when the report is generated."""

import pytest
from django.utils import timezone, translation

from reports.sections import sections_for
from toolkit.stories.selectors import quotable_stories
from toolkit.stories.services import story_consent_narrow, story_select, story_withdraw

from .factories import StoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories(project):
    return {
        "team": StoryFactory(invite__project=project, what_changed="Team only"),
        "reports": StoryFactory(invite__project=project, what_changed="For reports", consent_reports=True),
        "cases": StoryFactory(invite__project=project, what_changed="For cases", consent_cases=True),
        "both": StoryFactory(
            invite__project=project, what_changed="For both", consent_reports=True, consent_cases=True
        ),
        "untranscribed": StoryFactory(invite__project=project, what_changed="", consent_reports=True),
        "withdrawn": StoryFactory(
            invite__project=project,
            what_changed="Taken back",
            consent_reports=True,
            withdrawn_at=timezone.now(),
        ),
    }


def texts(queryset):
    return {story.what_changed for story in queryset}


def test_each_scope_gives_only_the_stories_consented_for_it(project, stories):
    assert texts(quotable_stories(project, "team")) == {"Team only", "For reports", "For cases", "For both"}
    assert texts(quotable_stories(project, "reports")) == {"For reports", "For both"}
    assert texts(quotable_stories(project, "cases")) == {"For cases", "For both"}
    with pytest.raises(ValueError, match="scope"):
        quotable_stories(project, "public")


def test_another_projects_stories_are_not_quotable(project, stories):
    StoryFactory(what_changed="Elsewhere", consent_reports=True)
    assert "Elsewhere" not in texts(quotable_stories(project, "reports"))


def section_text(project) -> str:
    # In English whatever language an earlier test of this process left active (twice, in a full
    # run with three processes, the title came in another language and the section was not found).
    with translation.override("en"):
        sections = sections_for("project", project)
    return "".join(section.html for section in sections if section.title == "Stories of change")


def test_the_project_report_shows_selected_stories_allowed_in_reports(project, stories, social_worker):
    for name in ("team", "reports", "cases"):
        story_select(story=stories[name], by=social_worker, reason=f"Chosen {name}")
    html = section_text(project)
    assert "For reports" in html
    assert "Chosen reports" in html
    assert "Team only" not in html
    assert "For cases" not in html
    assert "For both" not in html  # consented, but not selected


def test_a_report_generated_after_withdrawal_or_narrowing_leaves_the_story_out(
    project, stories, social_worker
):
    story_select(story=stories["reports"], by=social_worker, reason="Moving")
    story_select(story=stories["both"], by=social_worker, reason="Clear")
    assert "For reports" in section_text(project)
    story_withdraw(story=stories["reports"], receipt_code="AAAA-BBBB-CCCC")
    story_consent_narrow(story=stories["both"], receipt_code="AAAA-BBBB-CCCC", reports=False, cases=True)
    assert section_text(project) == ""
    assert texts(quotable_stories(project, "cases")) == {"For cases", "For both"}


def test_a_recording_never_reaches_the_report(project, social_worker, invite_token):
    from toolkit.stories.services import story_tell

    from .factories import recording

    invite, _token = invite_token
    story, _code = story_tell(
        invite=invite,
        language="ar",
        consent_team=True,
        consent_reports=True,
        what_changed="Typed too",
        audio=recording(),
        audio_seconds=5,
    )
    story_select(story=story, by=social_worker, reason="Strong")
    html = section_text(project)
    assert "Typed too" in html
    assert "private/stories" not in html
    assert "<audio" not in html


def test_the_project_pdf_quotes_the_chosen_story_and_only_it(project, stories, social_worker, make_report):
    """The one PDF of these tests: the section really reaches the rendered report."""
    from tests.reports.fixtures import pdf_text

    story_select(story=stories["reports"], by=social_worker, reason="Work and belonging")
    story_select(story=stories["team"], by=social_worker, reason="Private")
    job = make_report(social_worker, "project", {"project": project.pk})
    assert job.status == "succeeded", job.error
    text = pdf_text(job)
    assert "Stories of change" in text
    assert "For reports" in text
    assert "Work and belonging" in text
    assert "Team only" not in text
