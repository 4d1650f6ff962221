"""The handbook report (issue #20 §2): methods and published cases in one PDF, in the language asked
for, with a table of contents. Rendered in-process (eager), as a worker would."""

import pytest
from django.utils import timezone

from exchange.models import Case
from reports.kinds import get_kind
from reports.models import ReportJob
from tests.factories import MicroProjectFactory
from tests.reports.fixtures import pdf_text

from .factories import method

pytestmark = pytest.mark.django_db


def _case(organisation, title, status, **fields):
    return Case.objects.create(
        project=MicroProjectFactory(organisation=organisation),
        title=title,
        summary="What the team chose to tell.",
        status=status,
        published_at=timezone.now() if status == Case.Status.PUBLISHED else None,
        **fields,
    )


@pytest.mark.slow(5)
def test_the_handbook_holds_a_table_of_contents_the_methods_in_the_chosen_language_and_only_published_cases(
    make_report, social_worker, organisation, other_organisation
):
    problem_tree = method("problem-tree")
    published = _case(other_organisation, "Market stall in Kuldīga", Case.Status.PUBLISHED)
    published.methods.add(problem_tree)
    _case(organisation, "Our unfinished draft", Case.Status.DRAFT)
    _case(organisation, "Sent back for changes", Case.Status.RETURNED)
    _case(other_organisation, "Waiting for the coordinator", Case.Status.SUBMITTED)

    job = make_report(social_worker, "handbook", {}, language="de")

    assert job.status == ReportJob.Status.SUCCEEDED, job.error
    text = pdf_text(job)
    german = problem_tree.text("de")
    contents, _, body = text.partition(german["steps"][0])  # the table of contents comes first
    assert "Problembaum" in contents  # the method's title, in German, listed in the contents
    assert "Market stall in Kuldīga" in contents
    assert german["steps"][0] in text
    assert problem_tree.steps[0] not in text
    case_part = body.rpartition("Market stall in Kuldīga")[2]
    assert "Problembaum" in case_part  # the case names the methods it used, in the handbook's language
    for unpublished in ("Our unfinished draft", "Sent back for changes", "Waiting for the coordinator"):
        assert unpublished not in text


def test_every_staff_member_may_ask_for_the_handbook_but_a_reviewer_may_not(
    social_worker, other_social_worker, coordinator, reviewer
):
    kind = get_kind("handbook")
    assert kind.may_request.test(social_worker)
    assert kind.may_request.test(other_social_worker)
    assert kind.may_request.test(coordinator)
    assert not kind.may_request.test(reviewer)
