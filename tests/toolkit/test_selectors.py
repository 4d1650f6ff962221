import pytest

from tests.factories import MicroProjectFactory
from toolkit.models import Outcome, ToolInstance
from toolkit.selectors import readiness_by_project, tools_visible_to

from .factories import InterventionFactory, OutcomeFactory, TheoryOfChangeFactory, ToolInstanceFactory


@pytest.mark.parametrize("item_count", [1, 3])
def test_readiness_by_project_fixed_queries(organisation, item_count, django_assert_num_queries):
    projects = [MicroProjectFactory(organisation=organisation) for _ in range(item_count)]
    for project in projects:
        ToolInstanceFactory(project=project, status=ToolInstance.Status.COMPLETE)
        toc = TheoryOfChangeFactory(project=project)
        OutcomeFactory(instance=toc, level=Outcome.Level.IMPACT)
        early = OutcomeFactory(instance=toc, level=Outcome.Level.IMPACT)
        InterventionFactory(instance=toc, outcomes=[early])
    with django_assert_num_queries(9):  # 7, and the canvases' blocks and filled blocks
        readiness = readiness_by_project([p.pk for p in projects])
    assert len(readiness) == item_count
    for entry in readiness.values():
        assert entry.sbmc_complete is True
        assert (entry.sbmc_blocks_filled, entry.sbmc_blocks_total) == (0, 13)
        assert any("2 impacts" in message for message in entry.toc_errors)


def test_readiness_takes_the_newest_and_reports_missing_tools(organisation):
    empty = MicroProjectFactory(organisation=organisation)
    project = MicroProjectFactory(organisation=organisation)
    ToolInstanceFactory(project=project, status=ToolInstance.Status.COMPLETE)
    newest = ToolInstanceFactory(project=project)
    readiness = readiness_by_project([empty.pk, project.pk])
    assert readiness[empty.pk].sbmc is None
    assert readiness[empty.pk].toc is None
    assert readiness[project.pk].sbmc == newest
    assert readiness[project.pk].sbmc_complete is False


def test_tools_visible_to_follows_the_projects(
    social_worker, coordinator, other_social_worker, reviewer, sbmc
):
    assert list(tools_visible_to(social_worker)) == [sbmc]
    assert list(tools_visible_to(coordinator)) == [sbmc]
    assert list(tools_visible_to(other_social_worker)) == []
    assert list(tools_visible_to(reviewer)) == []


def test_tool_list_counts_entries_and_outcomes_of_each_tool(organisation, coordinator):
    from toolkit.selectors import tool_list

    from .factories import EntryFactory

    toc = TheoryOfChangeFactory(project=MicroProjectFactory(organisation=organisation))
    for text in ("A", "B", "C"):
        OutcomeFactory(instance=toc, text=text)
    EntryFactory.create_batch(2, instance=toc)
    empty = ToolInstanceFactory(project=toc.project)

    counts = {tool.pk: (tool.entry_count, tool.outcome_count) for tool in tool_list(coordinator)}
    assert counts == {toc.pk: (2, 3), empty.pk: (0, 0)}
