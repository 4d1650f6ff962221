"""Theory of Change validation: each finding in plain words, naming the elements."""

from tests.factories import IndicatorFactory
from toolkit.models import CausalLink, Outcome
from toolkit.selectors import with_content
from toolkit.validation import completeness, findings

from .factories import CausalLinkFactory, EntryFactory, InterventionFactory, OutcomeFactory


def fresh(instance):
    return with_content(type(instance).objects.filter(pk=instance.pk)).get()


def codes(instance):
    return [f.code for f in findings(fresh(instance))]


def messages(instance):
    return [f.message for f in findings(fresh(instance))]


def valid_chain(toc, indicator):
    """impact <- long-term <- early <- intervention, all measured: no findings."""
    impact = OutcomeFactory(
        instance=toc,
        text="Migrant women live from their own work",
        level=Outcome.Level.IMPACT,
        above_ceiling=True,
    )
    long_term = OutcomeFactory(
        instance=toc, text="A cooperative sells fruit bags", level=Outcome.Level.LONG_TERM
    )
    early = OutcomeFactory(instance=toc, text="Women know how to price products", level=Outcome.Level.EARLY)
    long_term.indicators.add(indicator)
    early.indicators.add(indicator)
    CausalLinkFactory(source=long_term, target=impact)
    CausalLinkFactory(source=early, target=long_term)
    InterventionFactory(instance=toc, text="Pricing workshop", outcomes=[early])
    return impact, long_term, early


def test_valid_theory_of_change_has_no_findings(toc, indicator):
    valid_chain(toc, indicator)
    assert findings(fresh(toc)) == []


def test_self_loop_is_named(toc, indicator):
    _impact, long_term, _early = valid_chain(toc, indicator)
    CausalLinkFactory(source=long_term, target=long_term)
    assert "self_loop" in codes(toc)
    assert any("“A cooperative sells fruit bags” is linked to itself" in m for m in messages(toc))


def test_three_cycle_names_its_outcomes_in_order(toc, indicator):
    _impact, _long_term, _early = valid_chain(toc, indicator)
    a = OutcomeFactory(instance=toc, text="Alpha", level=Outcome.Level.INTERMEDIATE)
    b = OutcomeFactory(instance=toc, text="Beta", level=Outcome.Level.INTERMEDIATE)
    c = OutcomeFactory(instance=toc, text="Gamma", level=Outcome.Level.INTERMEDIATE)
    CausalLinkFactory(source=a, target=b)
    CausalLinkFactory(source=b, target=c)
    CausalLinkFactory(source=c, target=a)
    cycle = [m for m in messages(toc) if "circle" in m]
    assert len(cycle) == 1
    assert "“Alpha” → “Beta” → “Gamma” → “Alpha”" in cycle[0]


def test_feedback_loop_is_allowed(toc, indicator):
    impact, _long_term, early = valid_chain(toc, indicator)
    CausalLinkFactory(source=impact, target=early, kind=CausalLink.Kind.FEEDBACK, rationale="Role models")
    assert findings(fresh(toc)) == []


def test_two_impacts_are_named(toc, indicator):
    valid_chain(toc, indicator)
    OutcomeFactory(instance=toc, text="Less loneliness", level=Outcome.Level.IMPACT, above_ceiling=True)
    found = [f for f in findings(fresh(toc)) if f.code == "several_impacts"]
    assert len(found) == 1
    assert "2 impacts" in found[0].message
    assert "“Less loneliness”" in found[0].message


def test_no_impact_is_reported(toc, indicator):
    OutcomeFactory(instance=toc, text="Something early", level=Outcome.Level.EARLY).indicators.add(indicator)
    assert "no_impact" in codes(toc)


def test_disconnected_part_names_the_outcomes_cut_off(toc, indicator):
    valid_chain(toc, indicator)
    island_top = OutcomeFactory(instance=toc, text="Island top", level=Outcome.Level.INTERMEDIATE)
    island_bottom = OutcomeFactory(instance=toc, text="Island bottom", level=Outcome.Level.EARLY)
    island_top.indicators.add(indicator)
    island_bottom.indicators.add(indicator)
    CausalLinkFactory(source=island_bottom, target=island_top)
    InterventionFactory(instance=toc, outcomes=[island_bottom])
    found = [f for f in findings(fresh(toc)) if f.code == "no_path_to_impact"]
    assert len(found) == 1
    assert "“Island top”, “Island bottom” do not lead to the impact" in found[0].message
    assert "orphan" not in codes(toc)  # each part is linked; it is just cut off from the impact


def test_orphans_early_without_intervention_and_outcome_without_incoming_link(toc, indicator):
    impact, long_term, _early = valid_chain(toc, indicator)
    lonely_early = OutcomeFactory(instance=toc, text="Lonely early", level=Outcome.Level.EARLY)
    lonely_early.indicators.add(indicator)
    CausalLinkFactory(source=lonely_early, target=long_term)
    lonely_mid = OutcomeFactory(instance=toc, text="Lonely middle", level=Outcome.Level.INTERMEDIATE)
    lonely_mid.indicators.add(indicator)
    CausalLinkFactory(source=lonely_mid, target=impact)
    texts = messages(toc)
    assert any("No intervention works towards the early outcome “Lonely early”" in m for m in texts)
    assert any("Nothing leads to “Lonely middle”" in m for m in texts)


def test_missing_indicator_below_the_ceiling(toc, indicator):
    _impact, long_term, _early = valid_chain(toc, indicator)
    long_term.indicators.clear()
    assert any("“A cooperative sells fruit bags” has no indicator" in m for m in messages(toc))


def test_outcome_above_the_ceiling_needs_no_indicator(toc, indicator):
    _impact, long_term, _early = valid_chain(toc, indicator)
    long_term.indicators.clear()
    long_term.above_ceiling = True
    long_term.save()
    assert "missing_indicator" not in codes(toc)


def test_indicator_without_target_is_reported(toc, project, indicator):
    _impact, _long_term, early = valid_chain(toc, indicator)
    vague = IndicatorFactory(project=project, name="Confidence", baseline=None, target=None)
    early.indicators.set([vague])
    assert any(
        "“Confidence” of “Women know how to price products” needs a baseline and a target" in m
        for m in messages(toc)
    )


def test_link_without_rationale_is_reported(toc, indicator):
    _impact, _long_term, early = valid_chain(toc, indicator)
    CausalLink.objects.filter(source=early).update(rationale="  ")
    assert any(
        "The link from “Women know how to price products” to “A cooperative sells fruit bags” has no "
        "rationale" in m
        for m in messages(toc)
    )


def test_completeness_names_the_empty_blocks(sbmc):
    EntryFactory(instance=sbmc, block_key="key_resources")
    EntryFactory(instance=sbmc, block_key="key_resources")
    EntryFactory(instance=sbmc, block_key="revenue")
    result = completeness(fresh(sbmc))
    assert (result.filled, result.total) == (2, 13)
    assert result.percent == 15
    assert "Surplus" in result.empty_labels
    assert "Key resources" not in result.empty_labels
    assert len(result.empty_labels) == 11


def test_canvas_findings_are_the_empty_blocks(sbmc):
    EntryFactory(instance=sbmc, block_key="key_resources")
    found = findings(fresh(sbmc))
    assert len(found) == 12
    assert found[0].message == "The block “Partners + key stakeholders” is still empty."
