"""The server-side SVG: valid XML, layered, readable at 40 outcomes."""

import xml.etree.ElementTree as ET

from toolkit import services
from toolkit.diagram import GAP_X, LEFT_MARGIN, NODE_WIDTH, toc_svg
from toolkit.models import CausalLink, Outcome
from toolkit.selectors import with_content

from .factories import CausalLinkFactory, InterventionFactory, OutcomeFactory

SVG = "{http://www.w3.org/2000/svg}"


def fresh(instance):
    return with_content(type(instance).objects.filter(pk=instance.pk)).get()


def boxes(svg: str) -> dict[str, tuple[float, float, float, float]]:
    root = ET.fromstring(svg)
    result = {}
    for group in root.iter(f"{SVG}g"):
        rect = group.find(f"{SVG}rect")
        result[group.get("data-element")] = tuple(float(rect.get(k)) for k in ("x", "y", "width", "height"))
    return result


def test_layers_impact_on_top_interventions_at_the_bottom(toc):
    impact = OutcomeFactory(instance=toc, level=Outcome.Level.IMPACT, text="Impact & <more>")
    early = OutcomeFactory(instance=toc, level=Outcome.Level.EARLY)
    CausalLinkFactory(source=early, target=impact)
    intervention = InterventionFactory(instance=toc, outcomes=[early])
    svg = toc_svg(fresh(toc))
    placed = boxes(svg)
    assert placed[f"outcome-{impact.pk}"][1] < placed[f"outcome-{early.pk}"][1]
    assert placed[f"outcome-{early.pk}"][1] < placed[f"intervention-{intervention.pk}"][1]
    assert "Impact &amp; &lt;more&gt;" in svg
    assert svg.count("<path d=") >= 2 + 2  # two arrow heads in <defs>, a link and an intervention arrow


def test_feedback_link_is_dashed_and_self_loop_drawn(toc):
    impact = OutcomeFactory(instance=toc, level=Outcome.Level.IMPACT)
    early = OutcomeFactory(instance=toc, level=Outcome.Level.EARLY)
    CausalLinkFactory(source=impact, target=early, kind=CausalLink.Kind.FEEDBACK)
    CausalLinkFactory(source=early, target=early)
    svg = toc_svg(fresh(toc))
    ET.fromstring(svg)
    assert 'stroke-dasharray="6 4"' in svg


def test_forty_outcomes_stay_readable(toc, social_worker, indicator):
    levels = ["impact"] + ["long_term"] * 5 + ["intermediate"] * 14 + ["early"] * 20
    outcomes = [
        services.outcome_add(
            instance=toc, by=social_worker, level=level, text=f"Outcome number {i} " + "word " * 12
        )
        for i, level in enumerate(levels)
    ]
    by_level = {level: [o for o in outcomes if o.level == level] for level in set(levels)}
    for index, outcome in enumerate(outcomes[1:], start=1):
        above = by_level[
            {"long_term": "impact", "intermediate": "long_term", "early": "intermediate"}[outcome.level]
        ]
        services.link_add(
            instance=toc, by=social_worker, source=outcome, target=above[index % len(above)], rationale="r"
        )
    svg = toc_svg(fresh(toc))
    root = ET.fromstring(svg)
    placed = list(boxes(svg).values())
    assert len(placed) == 40
    # No two boxes overlap.
    for i, (x1, y1, w1, h1) in enumerate(placed):
        for x2, y2, w2, h2 in placed[i + 1 :]:
            assert x1 + w1 <= x2 or x2 + w2 <= x1 or y1 + h1 <= y2 or y2 + h2 <= y1
    # Text stays at 12px and the drawing does not grow wider than a row of seven boxes.
    assert root.get("font-size") == "12"
    assert float(root.get("width")) <= LEFT_MARGIN + 7.5 * NODE_WIDTH + 6.5 * GAP_X + 40
    assert svg.count("Outcome number") == 40


def test_findings_are_highlighted(toc):
    lonely = OutcomeFactory(instance=toc, level=Outcome.Level.INTERMEDIATE)
    svg = toc_svg(fresh(toc))
    group = svg.split(f'data-element="outcome-{lonely.pk}"')[1]
    assert 'stroke="#b3261e"' in group.split("</g>")[0]
