import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import IndicatorFactory
from toolkit import services
from toolkit.diff import state_diff
from toolkit.models import Entry, Outcome, Snapshot, ToolInstance
from toolkit.selectors import instance_state, tool_with_content, with_content
from toolkit.validation import findings, status_warning

from .factories import TheoryOfChangeFactory, ToolInstanceFactory


def fresh(instance):
    return with_content(ToolInstance.objects.filter(pk=instance.pk)).get()


def test_tool_create_by_slug(project, social_worker):
    tool = services.tool_create(project=project, template="sbmc", by=social_worker)
    assert tool.template.slug == "sbmc"
    assert tool.template.blocks.count() == 13
    assert (tool.status, tool.version) == ("draft", 1)


def test_tool_create_unknown_template_names_the_field(project, social_worker):
    with pytest.raises(ValidationError) as error:
        services.tool_create(project=project, template="nope", by=social_worker)
    assert "template" in error.value.message_dict


@pytest.mark.parametrize("user_name", ["coordinator", "other_social_worker", "reviewer"])
def test_tool_create_refused_for_non_members(request, project, user_name):
    user = request.getfixturevalue(user_name)
    with pytest.raises(PermissionDenied):
        services.tool_create(project=project, template="sbmc", by=user)
    assert not ToolInstance.objects.exists()


def test_entry_add_appends_and_bumps_version(sbmc, social_worker):
    first = services.entry_add(instance=sbmc, block_key="channels", text=" Market stall ", by=social_worker)
    second = services.entry_add(
        instance=sbmc, block_key="channels", text="Instagram", by=social_worker, expected_version=2
    )
    assert (first.text, first.order, second.order) == ("Market stall", 1, 2)
    sbmc.refresh_from_db()
    assert sbmc.version == 3


def test_stale_version_is_refused_and_writes_nothing(sbmc, social_worker, org_admin):
    services.entry_add(
        instance=sbmc, block_key="channels", text="Market stall", by=social_worker, expected_version=1
    )
    with pytest.raises(services.VersionConflict) as conflict:
        services.entry_add(
            instance=sbmc, block_key="channels", text="Radio", by=org_admin, expected_version=1
        )
    assert conflict.value.current_version == 2
    assert "version 2" in str(conflict.value)
    assert list(Entry.objects.values_list("text", flat=True)) == ["Market stall"]


def test_two_edits_of_the_same_entry_never_lose_one_silently(sbmc, social_worker, org_admin):
    entry = services.entry_add(instance=sbmc, block_key="revenue", text="Sales", by=social_worker)
    seen = ToolInstance.objects.get(pk=sbmc.pk).version
    services.entry_update(
        entry=Entry.objects.get(pk=entry.pk), by=social_worker, text="Sales 60%", expected_version=seen
    )
    with pytest.raises(services.VersionConflict):
        services.entry_update(
            entry=Entry.objects.get(pk=entry.pk), by=org_admin, text="Grants", expected_version=seen
        )
    assert Entry.objects.get(pk=entry.pk).text == "Sales 60%"


def test_entry_add_unknown_block_names_the_field(sbmc, social_worker):
    with pytest.raises(ValidationError) as error:
        services.entry_add(instance=sbmc, block_key="nonsense", text="x", by=social_worker)
    assert "block_key" in error.value.message_dict
    assert ToolInstance.objects.get(pk=sbmc.pk).version == 1  # rolled back


def test_entry_add_empty_text_is_refused(sbmc, social_worker):
    with pytest.raises(ValidationError) as error:
        services.entry_add(instance=sbmc, block_key="channels", text="   ", by=social_worker)
    assert "text" in error.value.message_dict


def test_entry_add_from_client_keeps_pseudonym(sbmc, social_worker):
    entry = services.entry_add(
        instance=sbmc,
        block_key="channels",
        text="Church café",
        by=social_worker,
        source="client",
        client_label="Bird",
    )
    assert (entry.source, entry.client_label, entry.author) == ("client", "Bird", social_worker)


def test_coordinator_cannot_write(sbmc, coordinator):
    with pytest.raises(PermissionDenied):
        services.entry_add(instance=sbmc, block_key="channels", text="x", by=coordinator)
    assert not Entry.objects.exists()


def test_impact_measure_links_to_a_project_indicator(sbmc, social_worker, indicator, other_project):
    entry = services.entry_add(
        instance=sbmc,
        block_key="impact_measures",
        text="Women selling",
        by=social_worker,
        indicator=indicator,
    )
    assert entry.indicator == indicator
    with pytest.raises(ValidationError) as error:
        services.entry_add(
            instance=sbmc, block_key="channels", text="x", by=social_worker, indicator=indicator
        )
    assert "indicator" in error.value.message_dict
    foreign = IndicatorFactory(project=other_project)
    with pytest.raises(ValidationError):
        services.entry_update(entry=entry, by=social_worker, indicator=foreign)


def test_key_activity_links_to_a_toc_intervention(sbmc, toc, social_worker):
    intervention = services.intervention_add(instance=toc, text="Sewing workshops", by=social_worker)
    entry = services.entry_add(
        instance=sbmc,
        block_key="key_activities",
        text="Weekly sewing",
        by=social_worker,
        intervention=intervention,
    )
    assert entry.intervention == intervention
    other_toc = TheoryOfChangeFactory()
    foreign = services.intervention_add(
        instance=other_toc, text="x", by=other_toc.project.organisation and _member_of(other_toc)
    )
    with pytest.raises(ValidationError) as error:
        services.entry_update(entry=entry, by=social_worker, intervention=foreign)
    assert "intervention" in error.value.message_dict


def _member_of(instance):
    from tests.factories import MembershipFactory

    return MembershipFactory(organisation=instance.project.organisation).user


def test_entry_move_up_and_down(sbmc, social_worker):
    a = services.entry_add(instance=sbmc, block_key="channels", text="A", by=social_worker)
    b = services.entry_add(instance=sbmc, block_key="channels", text="B", by=social_worker)
    c = services.entry_add(instance=sbmc, block_key="channels", text="C", by=social_worker)
    services.entry_move(entry=c, by=social_worker, direction="up")
    order = list(Entry.objects.filter(block_key="channels").order_by("order").values_list("text", flat=True))
    assert order == ["A", "C", "B"]
    services.entry_move(entry=Entry.objects.get(pk=a.pk), by=social_worker, direction="up")  # already first
    services.entry_move(entry=Entry.objects.get(pk=a.pk), by=social_worker, direction="down")
    order = list(Entry.objects.filter(block_key="channels").order_by("order").values_list("text", flat=True))
    assert order == ["C", "A", "B"]
    assert b.pk


def test_entry_delete(sbmc, social_worker):
    entry = services.entry_add(instance=sbmc, block_key="channels", text="A", by=social_worker)
    services.entry_delete(entry=entry, by=social_worker, expected_version=2)
    assert not Entry.objects.exists()


def test_completing_a_canvas_with_empty_blocks_is_refused_with_the_list(sbmc, social_worker):
    services.entry_add(instance=sbmc, block_key="channels", text="A", by=social_worker)
    with pytest.raises(ValidationError) as error:
        services.tool_update(instance=sbmc, by=social_worker, status="complete")
    text = " ".join(error.value.message_dict["status"])
    assert "“Key resources” is still empty" in text
    assert ToolInstance.objects.get(pk=sbmc.pk).status == "draft"


def test_completing_a_full_canvas_then_editing_keeps_it_complete(sbmc, social_worker):
    for block in sbmc.template.blocks.all():
        services.entry_add(instance=sbmc, block_key=block.key, text=f"About {block.key}", by=social_worker)
    services.tool_update(instance=sbmc, by=social_worker, status="complete")
    assert ToolInstance.objects.get(pk=sbmc.pk).status == "complete"
    services.tool_update(
        instance=sbmc, by=social_worker, title="Fruit bags SBMC"
    )  # a rename keeps it complete
    assert ToolInstance.objects.get(pk=sbmc.pk).status == "complete"
    services.entry_add(instance=sbmc, block_key="surplus", text="More", by=social_worker)
    entry = sbmc.entries.filter(block_key="surplus").first()
    services.entry_update(entry=entry, by=social_worker, text="Less")
    services.entry_move(entry=entry, by=social_worker, direction="down")
    assert ToolInstance.objects.get(pk=sbmc.pk).status == "complete"  # an edit never downgrades it
    assert status_warning(tool_with_content(sbmc.pk)) == ""


def test_a_complete_canvas_whose_block_becomes_empty_keeps_its_status_and_is_flagged(sbmc, social_worker):
    for block in sbmc.template.blocks.all():
        services.entry_add(instance=sbmc, block_key=block.key, text=f"About {block.key}", by=social_worker)
    services.tool_update(instance=sbmc, by=social_worker, status="complete")
    services.entry_delete(entry=sbmc.entries.get(block_key="revenue"), by=social_worker)
    tool = tool_with_content(sbmc.pk)
    assert tool.status == "complete"
    assert status_warning(tool) == "Marked complete, but 1 of its 13 blocks is empty now: Revenue."
    services.tool_update(instance=tool, by=social_worker, status="draft")
    assert status_warning(tool_with_content(sbmc.pk)) == ""


def test_a_complete_theory_of_change_that_breaks_is_flagged(toc, social_worker):
    services.outcome_add(instance=toc, text="Impact", level="impact", by=social_worker, above_ceiling=True)
    ToolInstance.objects.filter(pk=toc.pk).update(status="complete")
    services.outcome_add(instance=toc, text="Lonely", level="long_term", by=social_worker)
    tool = tool_with_content(toc.pk)
    assert tool.status == "complete"
    found = len(findings(tool))
    assert status_warning(tool) == f"Marked complete, but the check now finds {found} problems to fix."


def test_completing_a_toc_with_errors_is_refused(toc, social_worker):
    services.outcome_add(instance=toc, text="Impact A", level="impact", by=social_worker)
    services.outcome_add(instance=toc, text="Impact B", level="impact", by=social_worker)
    with pytest.raises(ValidationError) as error:
        services.tool_update(instance=toc, by=social_worker, status="complete")
    assert any("2 impacts" in m for m in error.value.message_dict["status"])


def test_outcome_add_defaults_and_checks(toc, social_worker, indicator, other_project):
    impact = services.outcome_add(instance=toc, text="Impact", level="impact", by=social_worker)
    early = services.outcome_add(
        instance=toc, text="Early", level="early", by=social_worker, indicators=[indicator]
    )
    assert impact.above_ceiling
    assert not early.above_ceiling
    assert list(early.indicators.all()) == [indicator]
    with pytest.raises(ValidationError) as error:
        services.outcome_add(instance=toc, text="x", level="someday", by=social_worker)
    assert "level" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.outcome_add(
            instance=toc,
            text="x",
            level="early",
            by=social_worker,
            indicators=[IndicatorFactory(project=other_project)],
        )
    assert "indicators" in error.value.message_dict


def test_outcomes_only_on_a_theory_of_change(sbmc, social_worker):
    with pytest.raises(ValidationError):
        services.outcome_add(instance=sbmc, text="x", level="early", by=social_worker)


def test_link_duplicate_and_foreign_outcomes_refused(toc, social_worker):
    a = services.outcome_add(instance=toc, text="A", level="early", by=social_worker)
    b = services.outcome_add(instance=toc, text="B", level="impact", by=social_worker)
    services.link_add(instance=toc, source=a, target=b, by=social_worker, rationale="Because")
    with pytest.raises(ValidationError) as error:
        services.link_add(instance=toc, source=a, target=b, by=social_worker)
    assert "target" in error.value.message_dict
    other = TheoryOfChangeFactory(project=toc.project)
    foreign = Outcome.objects.create(instance=other, text="F", level="early")
    with pytest.raises(ValidationError) as error:
        services.link_add(instance=toc, source=foreign, target=b, by=social_worker)
    assert "source" in error.value.message_dict


def test_assumption_needs_exactly_one_attachment(toc, social_worker):
    a = services.outcome_add(instance=toc, text="A", level="early", by=social_worker)
    b = services.outcome_add(instance=toc, text="B", level="impact", by=social_worker)
    link = services.link_add(instance=toc, source=a, target=b, by=social_worker, rationale="Because")
    with pytest.raises(ValidationError) as error:
        services.assumption_add(instance=toc, text="x", by=social_worker)
    assert "link" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.assumption_add(instance=toc, text="x", by=social_worker, link=link, outcome=a)
    assumption = services.assumption_add(instance=toc, text="Buyers exist", by=social_worker, link=link)
    assert assumption.link == link


def test_snapshot_create_numbers_and_is_idempotent(sbmc, social_worker):
    services.entry_add(instance=sbmc, block_key="channels", text="A", by=social_worker)
    first = services.snapshot_create(instance=sbmc, by=social_worker, note="Workshop 1")
    again = services.snapshot_create(instance=sbmc, by=social_worker, note="Workshop 1")
    assert first.pk == again.pk
    services.entry_add(instance=sbmc, block_key="channels", text="B", by=social_worker)
    second = services.snapshot_create(instance=sbmc, by=social_worker, note="Workshop 2")
    assert (first.number, second.number) == (1, 2)
    assert [e["text"] for e in second.data["entries"]] == ["A", "B"]
    assert Snapshot.objects.count() == 2


def test_snapshot_diff_entries_added_removed_changed(sbmc, social_worker):
    keep = services.entry_add(instance=sbmc, block_key="channels", text="Market", by=social_worker)
    gone = services.entry_add(instance=sbmc, block_key="revenue", text="Grants", by=social_worker)
    before = services.snapshot_create(instance=sbmc, by=social_worker)
    services.entry_update(entry=keep, by=social_worker, text="Market stall")
    gone_id = gone.pk
    services.entry_delete(entry=gone, by=social_worker)
    new = services.entry_add(instance=sbmc, block_key="surplus", text="Reinvest", by=social_worker)
    now = instance_state(fresh(sbmc))
    diff = state_diff(before.data, now)
    entries = diff["collections"]["entries"]
    assert [e["id"] for e in entries["added"]] == [new.pk]
    assert [e["id"] for e in entries["removed"]] == [gone_id]
    assert entries["changed"][0]["fields"] == ["text"]
    assert entries["changed"][0]["after"]["text"] == "Market stall"
    assert diff["has_changes"]


def test_snapshot_diff_toc_outcomes_and_links(toc, social_worker):
    a = services.outcome_add(instance=toc, text="A", level="early", by=social_worker)
    b = services.outcome_add(instance=toc, text="B", level="impact", by=social_worker)
    before = services.snapshot_create(instance=toc, by=social_worker)
    link = services.link_add(instance=toc, source=a, target=b, by=social_worker, rationale="Because")
    services.outcome_update(outcome=a, by=social_worker, level="intermediate")
    after = services.snapshot_create(instance=toc, by=social_worker)
    diff = state_diff(before.data, after.data)
    assert [x["id"] for x in diff["collections"]["links"]["added"]] == [link.pk]
    assert diff["collections"]["outcomes"]["changed"][0]["fields"] == ["level"]
    assert not state_diff(after.data, after.data)["has_changes"]


def test_parse_version_accepts_etag_forms():
    assert services.parse_version('"7"') == 7
    assert services.parse_version('W/"7"') == 7
    assert services.parse_version("*") is None
    with pytest.raises(ValidationError):
        services.parse_version("abc")


def test_tool_delete_by_member(sbmc, social_worker):
    services.tool_delete(instance=sbmc, by=social_worker)
    assert not ToolInstance.objects.exists()


def test_factory_tool_instance_is_sbmc(db):
    assert ToolInstanceFactory().template.slug == "sbmc"


def test_a_tool_frozen_in_an_accelerator_application_is_kept(sbmc, social_worker):
    from django.utils import timezone

    from accelerator.models import Application
    from tests.accelerator.factories import RoundFactory

    snapshot = services.snapshot_create(instance=sbmc, by=social_worker, note="Application")
    Application.objects.create(
        round=RoundFactory(),
        project=sbmc.project,
        sbmc_snapshot=snapshot,
        submitted_by=social_worker,
        submitted_at=timezone.now(),
    )
    with pytest.raises(ValidationError) as error:
        services.tool_delete(instance=sbmc, by=social_worker)
    assert "accelerator application" in error.value.message_dict["instance"][0]
    assert ToolInstance.objects.filter(pk=sbmc.pk).exists()
