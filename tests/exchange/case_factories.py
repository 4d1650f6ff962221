"""Practice cases for the tests: a project with a canvas and a Theory of Change, their snapshots,
and a case of it in the state asked for (services write it, as a team and a coordinator would)."""

from exchange.models import Case
from exchange.services import cases as services
from tests.factories import (
    IndicatorFactory,
    MeasurementFactory,
    MembershipFactory,
    MicroProjectFactory,
    UserFactory,
)
from tests.toolkit.factories import tool_template
from toolkit import services as toolkit
from toolkit.models import Entry

from .factories import method


def project_with_tools(
    organisation, *, author, title="Fruit bags from Luleå", client_text="Ask my neighbour Maria"
):
    """A project with a canvas (a staff entry and a client's) and a Theory of Change (two outcomes,
    a link, an intervention, an assumption, an indicator with a figure of 3)."""
    project = MicroProjectFactory(organisation=organisation, title=title)
    tool_template()
    canvas = toolkit.tool_create(project=project, template="sbmc", by=author)
    toolkit.entry_add(instance=canvas, block_key="key_activities", text="Weekly market stall", by=author)
    toolkit.entry_add(
        instance=canvas,
        block_key="customer_segments",
        text=client_text,
        by=author,
        source=Entry.Source.CLIENT,
        client_label="Client 7",
    )
    toc = toolkit.tool_create(project=project, template=tool_template("theory-of-change"), by=author)
    indicator = IndicatorFactory(project=project, name="Women selling at the market", baseline=0, target=12)
    MeasurementFactory(indicator=indicator, value=3)
    impact = toolkit.outcome_add(instance=toc, text="Women earn their own income", level="impact", by=author)
    early = toolkit.outcome_add(
        instance=toc,
        text="Women gain confidence in selling",
        level="early",
        by=author,
        indicators=[indicator],
    )
    link = toolkit.link_add(
        instance=toc, source=early, target=impact, by=author, rationale="Confidence first"
    )
    toolkit.intervention_add(instance=toc, text="Market training", by=author, outcomes=[early])
    toolkit.assumption_add(instance=toc, text="The market has room", by=author, link=link)
    return {
        "project": project,
        "canvas": canvas,
        "toc": toc,
        "indicator": indicator,
        "outcomes": [impact, early],
        "canvas_snapshot": toolkit.snapshot_create(instance=canvas, by=author, note="For the case"),
        "toc_snapshot": toolkit.snapshot_create(instance=toc, by=author, note="For the case"),
    }


def make_case(organisation=None, *, author=None, status=Case.Status.DRAFT, coordinator=None, **texts):
    """A case in `status`, through the services. Returns (case, tools dict)."""
    if author is None:
        author = MembershipFactory(organisation=organisation).user
    organisation = organisation or author.memberships.first().organisation
    tools = project_with_tools(organisation, author=author)
    fields = {
        "title": "Market stall with women newly arrived",
        "summary": "Women who recently arrived ran a weekly market stall together.",
        "problem": "Few women had contacts to local buyers.",
        "what_we_did": "Met weekly\nDrew the canvas together\nOpened the stall",
        "what_changed": "More women sell their baking.",
        "contact_role": "Social worker for newcomers",
        "language": "en",
        **texts,
    }
    case = services.case_create(
        project=tools["project"],
        by=author,
        methods=[method("sbmc"), method("photovoice")],
        outcomes=tools["outcomes"][1:],
        indicators=[tools["indicator"]],
        canvas_snapshot=tools["canvas_snapshot"],
        toc_snapshot=tools["toc_snapshot"],
        **fields,
    )
    if status != Case.Status.DRAFT:
        case = services.case_submit(case=case, by=author)
    if status in (Case.Status.PUBLISHED, Case.Status.RETURNED):
        coordinator = coordinator or UserFactory(is_coordinator=True)
        if status == Case.Status.PUBLISHED:
            from exchange.screening import case_findings

            keys = [finding.key for finding in case_findings(case)]
            case = services.case_publish(case=case, by=coordinator, confirmed=keys)
        else:
            case = services.case_return(case=case, by=coordinator, reason="Please add the costs.")
    tools["author"] = author
    return case, tools
