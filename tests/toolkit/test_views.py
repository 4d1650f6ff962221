"""Web pages: board, inline htmx writes, the friendly 409, the ToC editor, snapshots and diff."""

import re

import pytest
from django.test import Client

from toolkit import services
from toolkit.models import Entry, Outcome, ToolInstance

from .factories import EntryFactory, OutcomeFactory, ToolInstanceFactory

HTMX = {"HTTP_HX_REQUEST": "true"}
PROJECT_PAGE_QUERIES = 17  # with the programme app's framework panel (one query)


@pytest.fixture
def client_for():
    def login(user):
        client = Client()
        client.force_login(user)
        return client

    return login


def test_board_shows_the_thirteen_blocks_with_questions(client_for, social_worker, sbmc):
    EntryFactory(instance=sbmc, block_key="channels", text="Market stall in Luleå")
    response = client_for(social_worker).get(f"/tools/{sbmc.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for block in sbmc.template.blocks.all():
        assert block.label in html
        assert f'id="block-{block.key}"' in html
    assert "Market stall in Luleå" in html
    assert 'name="version" value="1"' in html
    assert "1 of 13 blocks filled" in html


def test_board_of_another_organisation_is_404(client_for, other_social_worker, sbmc):
    assert client_for(other_social_worker).get(f"/tools/{sbmc.pk}/").status_code == 404


def test_reviewer_sees_no_board(client_for, reviewer, sbmc):
    assert client_for(reviewer).get(f"/tools/{sbmc.pk}/").status_code == 404


def test_coordinator_reads_but_gets_no_forms_and_cannot_post(client_for, coordinator, sbmc):
    client = client_for(coordinator)
    response = client.get(f"/tools/{sbmc.pk}/")
    assert response.status_code == 200
    assert "tk-add-form" not in response.content.decode()
    response = client.post(
        f"/tools/{sbmc.pk}/entries/add/", {"block_key": "channels", "text": "x", "version": 1}
    )
    assert response.status_code == 403
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "update/",
        "entries/add/",
        "entries/{entry}/edit/",
        "entries/{entry}/move/",
        "entries/{entry}/delete/",
        "toc/outcome/add/",
        "toc/outcome/{outcome}/edit/",
        "toc/outcome/{outcome}/delete/",
    ],
)
def test_coordinator_is_refused_before_the_input_is_checked(client_for, coordinator, toc, path):
    """Read-only people get 403 for an empty (invalid) form too, not the form back with errors."""
    entry = EntryFactory(instance=toc, text="Kept")
    outcome = OutcomeFactory(instance=toc, text="Kept too")
    url = f"/tools/{toc.pk}/" + path.format(entry=entry.pk, outcome=outcome.pk)
    assert client_for(coordinator).post(url, {}).status_code == 403
    toc.refresh_from_db()
    assert toc.version == 1
    assert Entry.objects.get().text == "Kept"
    assert Outcome.objects.get().text == "Kept too"


def test_add_entry_with_htmx_returns_the_board(client_for, social_worker, sbmc):
    response = client_for(social_worker).post(
        f"/tools/{sbmc.pk}/entries/add/",
        {"block_key": "channels", "text": "Church café", "version": 1},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div id="tool-area"')
    assert "Church café" in html
    assert 'name="version" value="2"' in html
    assert "add-channels" in response["HX-Trigger-After-Settle"]


def test_add_entry_without_javascript_redirects_to_the_block(client_for, social_worker, sbmc):
    response = client_for(social_worker).post(
        f"/tools/{sbmc.pk}/entries/add/", {"block_key": "channels", "text": "Church café", "version": 1}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/tools/{sbmc.pk}/#block-channels")


def test_stale_form_gets_a_friendly_conflict_message_and_keeps_the_text(
    client_for, social_worker, org_admin, sbmc
):
    services.entry_add(instance=sbmc, block_key="channels", text="Radio", by=org_admin)  # now version 2
    response = client_for(social_worker).post(
        f"/tools/{sbmc.pk}/entries/add/", {"block_key": "channels", "text": "My idea", "version": 1}, **HTMX
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Your change was not saved." in html
    assert "Someone else changed this tool" in html
    assert "Radio" in html  # the current content
    assert ">My idea</textarea>" in html  # what the person typed
    assert 'name="version" value="2"' in html
    assert list(Entry.objects.values_list("text", flat=True)) == ["Radio"]


def test_stale_edit_without_javascript_is_409_too(client_for, social_worker, org_admin, sbmc):
    entry = EntryFactory(instance=sbmc, text="Original")
    services.entry_update(entry=entry, by=org_admin, text="Theirs")
    response = client_for(social_worker).post(
        f"/tools/{sbmc.pk}/entries/{entry.pk}/edit/", {"text": "Mine", "version": 1}
    )
    assert response.status_code == 409
    assert "Mine</textarea>" in response.content.decode()
    assert Entry.objects.get(pk=entry.pk).text == "Theirs"


def test_edit_form_and_save(client_for, social_worker, sbmc):
    entry = EntryFactory(instance=sbmc, text="Original")
    client = client_for(social_worker)
    form = client.get(f"/tools/{sbmc.pk}/entries/{entry.pk}/edit/", **HTMX)
    assert form.status_code == 200
    assert "Original</textarea>" in form.content.decode()
    response = client.post(
        f"/tools/{sbmc.pk}/entries/{entry.pk}/edit/", {"text": "Better", "version": 1}, **HTMX
    )
    assert response.status_code == 200
    assert Entry.objects.get(pk=entry.pk).text == "Better"


def test_move_and_delete_entries(client_for, social_worker, sbmc):
    a = EntryFactory(instance=sbmc, block_key="channels", text="A", order=1)
    b = EntryFactory(instance=sbmc, block_key="channels", text="B", order=2)
    client = client_for(social_worker)
    client.post(f"/tools/{sbmc.pk}/entries/{b.pk}/move/", {"direction": "up", "version": 1}, **HTMX)
    assert list(Entry.objects.order_by("order").values_list("text", flat=True)) == ["B", "A"]
    client.post(f"/tools/{sbmc.pk}/entries/{a.pk}/delete/", {"version": 2}, **HTMX)
    assert list(Entry.objects.values_list("text", flat=True)) == ["B"]


def test_entry_of_another_tool_is_404(client_for, social_worker, sbmc, project):
    other = ToolInstanceFactory(project=project)
    entry = EntryFactory(instance=other)
    response = client_for(social_worker).post(f"/tools/{sbmc.pk}/entries/{entry.pk}/delete/", {"version": 1})
    assert response.status_code == 404


def test_mark_complete_refused_lists_findings(client_for, social_worker, sbmc):
    response = client_for(social_worker).post(
        f"/tools/{sbmc.pk}/update/", {"status": "complete", "title": "", "version": 1}, **HTMX
    )
    assert response.status_code == 400
    assert "“Key resources” is still empty" in response.content.decode()
    assert ToolInstance.objects.get(pk=sbmc.pk).status == "draft"


def test_toc_editor_shows_diagram_and_findings(client_for, social_worker, toc):
    OutcomeFactory(
        instance=toc, level=Outcome.Level.IMPACT, text="Women live from their work", above_ceiling=True
    )
    response = client_for(social_worker).get(f"/tools/{toc.pk}/")
    html = response.content.decode()
    assert "<svg" in html
    assert "Women live from their work" in html
    assert "Nothing leads to “Women live from their work”" in html


def test_toc_add_outcome_link_intervention_assumption(client_for, social_worker, toc, indicator):
    client = client_for(social_worker)
    base = f"/tools/{toc.pk}/toc"
    r = client.post(
        f"{base}/outcome/add/",
        {"outcome-text": "Impact", "outcome-level": "impact", "outcome-version": 1},
        **HTMX,
    )
    assert r.status_code == 200
    client.post(
        f"{base}/outcome/add/",
        {
            "outcome-text": "Early",
            "outcome-level": "early",
            "outcome-indicators": [indicator.pk],
            "outcome-version": 2,
        },
        **HTMX,
    )
    impact, early = Outcome.objects.order_by("order")
    assert impact.above_ceiling
    r = client.post(
        f"{base}/link/add/",
        {
            "link-source": early.pk,
            "link-target": impact.pk,
            "link-rationale": "Because",
            "link-kind": "causal",
            "link-version": 3,
        },
        **HTMX,
    )
    assert r.status_code == 200
    client.post(
        f"{base}/intervention/add/",
        {"intervention-text": "Workshop", "intervention-outcomes": [early.pk], "intervention-version": 4},
        **HTMX,
    )
    r = client.post(
        f"{base}/assumption/add/",
        {
            "assumption-text": "People come",
            "assumption-outcome": early.pk,
            "assumption-status": "untested",
            "assumption-version": 5,
        },
        **HTMX,
    )
    assert r.status_code == 200
    assert "No problems found" in r.content.decode()


def test_toc_add_with_stale_version_keeps_the_input(client_for, social_worker, toc):
    OutcomeFactory(instance=toc, text="Existing")
    ToolInstance.objects.filter(pk=toc.pk).update(version=5)
    response = client_for(social_worker).post(
        f"/tools/{toc.pk}/toc/outcome/add/",
        {"outcome-text": "Lost?", "outcome-level": "early", "outcome-version": 1},
        **HTMX,
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'value="Lost?"' in html
    assert 'name="outcome-version" value="5"' in html


def test_outcome_edit_page_attaches_indicators(client_for, social_worker, toc, indicator):
    outcome = OutcomeFactory(instance=toc, text="Early")
    client = client_for(social_worker)
    assert client.get(f"/tools/{toc.pk}/toc/outcome/{outcome.pk}/edit/").status_code == 200
    response = client.post(
        f"/tools/{toc.pk}/toc/outcome/{outcome.pk}/edit/",
        {"text": "Early, sharper", "level": "early", "indicators": [indicator.pk], "version": 1},
    )
    assert response.status_code == 302
    outcome.refresh_from_db()
    assert outcome.text == "Early, sharper"
    assert list(outcome.indicators.all()) == [indicator]


def test_snapshots_page_and_diff(client_for, social_worker, sbmc):
    client = client_for(social_worker)
    EntryFactory(instance=sbmc, block_key="channels", text="Market")
    assert client.post(f"/tools/{sbmc.pk}/snapshots/", {"note": "First workshop"}).status_code == 302
    services.entry_add(instance=sbmc, block_key="revenue", text="Sales of fruit bags", by=social_worker)
    page = client.get(f"/tools/{sbmc.pk}/snapshots/")
    assert "First workshop" in page.content.decode()
    diff = client.get(f"/tools/{sbmc.pk}/diff/?from=1&to=now")
    html = diff.content.decode()
    assert diff.status_code == 200
    assert "Revenue: Sales of fruit bags" in html
    assert "tk-added" in html


def test_project_tools_page_creates_a_tool(client_for, social_worker, project):
    client = client_for(social_worker)
    response = client.post(
        f"/projects/{project.pk}/tools/", {"template": "theory-of-change", "title": "Our ToC"}
    )
    tool = ToolInstance.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/tools/{tool.pk}/"
    assert tool.template.slug == "theory-of-change"


@pytest.mark.parametrize("data", [{"template": "sbmc"}, {}])
def test_coordinator_cannot_start_a_tool_from_the_project_tools_page(client_for, coordinator, project, data):
    """Refused before the form is looked at: an invalid form gets 403 too, not the form with errors."""
    response = client_for(coordinator).post(f"/projects/{project.pk}/tools/", data)
    assert response.status_code == 403
    assert not ToolInstance.objects.exists()


@pytest.mark.parametrize("note", ["Mine", "x" * 301])
def test_coordinator_cannot_take_a_snapshot(client_for, coordinator, sbmc, note):
    """Refused before the form is looked at: a too long note gets 403 too, not the form with errors."""
    response = client_for(coordinator).post(f"/tools/{sbmc.pk}/snapshots/", {"note": note})
    assert response.status_code == 403
    assert not sbmc.snapshots.exists()


def test_project_tools_page_of_another_organisation_is_404(client_for, other_social_worker, project):
    assert client_for(other_social_worker).get(f"/projects/{project.pk}/tools/").status_code == 404


@pytest.mark.parametrize("item_count", [1, 3])
def test_project_tools_page_query_count(
    client_for, social_worker, project, item_count, django_assert_num_queries
):
    for _ in range(item_count):
        EntryFactory(instance=ToolInstanceFactory(project=project))
    client = client_for(social_worker)
    with django_assert_num_queries(8):
        response = client.get(f"/projects/{project.pk}/tools/")
    assert response.content.decode().count("/tools/") >= item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_board_query_count(client_for, social_worker, sbmc, item_count, django_assert_num_queries):
    for i in range(item_count):
        EntryFactory(instance=sbmc, block_key="channels", text=f"E{i}")
    client = client_for(social_worker)
    # 13: the page, plus the count of client contributions waiting for review (co-creation links)
    with django_assert_num_queries(12):
        response = client.get(f"/tools/{sbmc.pk}/")
    assert response.status_code == 200


def test_pdf_and_blank_pdf_pages(client_for, social_worker, sbmc):
    client = client_for(social_worker)
    assert client.get(f"/tools/{sbmc.pk}/export.pdf")["Content-Type"] == "application/pdf"
    assert client.get("/tools/templates/sbmc/blank.pdf").content.startswith(b"%PDF")


def test_diagram_svg(client_for, social_worker, toc):
    OutcomeFactory(instance=toc, text="Only one")
    response = client_for(social_worker).get(f"/tools/{toc.pk}/diagram.svg")
    assert response["Content-Type"] == "image/svg+xml"
    assert b"Only one" in response.content


def test_link_edit_page_adds_the_missing_rationale(client_for, social_worker, toc):
    source = OutcomeFactory(instance=toc, text="Early")
    target = OutcomeFactory(instance=toc, text="Impact", level=Outcome.Level.IMPACT)
    link = services.link_add(instance=toc, source=source, target=target, by=social_worker)
    client = client_for(social_worker)
    page = client.get(f"/tools/{toc.pk}/toc/link/{link.pk}/edit/")
    assert page.status_code == 200
    response = client.post(
        f"/tools/{toc.pk}/toc/link/{link.pk}/edit/",
        {"rationale": "Skills bring jobs", "kind": "causal", "version": 2},
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.rationale == "Skills bring jobs"


def test_intervention_edit_with_stale_version_is_409(client_for, social_worker, toc):
    outcome = OutcomeFactory(instance=toc, text="Early")
    intervention = services.intervention_add(instance=toc, text="Workshop", by=social_worker)
    response = client_for(social_worker).post(
        f"/tools/{toc.pk}/toc/intervention/{intervention.pk}/edit/",
        {"text": "Workshop", "outputs": "", "outcomes": [outcome.pk], "version": 1},
    )
    assert response.status_code == 409
    assert "Your change was not saved." in response.content.decode()
    assert not intervention.outcomes.exists()


def test_coordinator_cannot_open_an_edit_page(client_for, coordinator, toc):
    outcome = OutcomeFactory(instance=toc)
    assert client_for(coordinator).get(f"/tools/{toc.pk}/toc/outcome/{outcome.pk}/edit/").status_code == 403


def test_project_page_shows_its_tools_without_a_second_request(client_for, social_worker, sbmc, project):
    # Issue #15: loaded afterwards by htmx, the panel moved the page down (a layout shift) and cost a
    # round trip.
    page = client_for(social_worker).get(f"/projects/{project.pk}/").content.decode()
    assert f"/tools/{sbmc.pk}/" in page
    assert "tools/panel/" not in page


@pytest.mark.parametrize("tool_count", [1, 3])
def test_project_page_query_count_with_its_tools(
    client_for, social_worker, project, tool_count, django_assert_num_queries
):
    for _ in range(tool_count):
        ToolInstanceFactory(project=project)
    client = client_for(social_worker)
    with django_assert_num_queries(PROJECT_PAGE_QUERIES):
        response = client.get(f"/projects/{project.pk}/")
    assert response.content.decode().count('<a href="/tools/') == tool_count


def test_panel_fragment_still_answers(client_for, social_worker, sbmc, project):
    panel = client_for(social_worker).get(f"/projects/{project.pk}/tools/panel/")
    assert f"/tools/{sbmc.pk}/" in panel.content.decode()


def test_project_tools_panel_of_another_organisation_is_404(client_for, other_social_worker, project):
    assert client_for(other_social_worker).get(f"/projects/{project.pk}/tools/panel/").status_code == 404


def test_dashboard_slot_and_recent_tools(client_for, social_worker, other_social_worker, sbmc):
    client = client_for(social_worker)
    assert "/tools/recent/" in client.get("/").content.decode()
    assert f"/tools/{sbmc.pk}/" in client.get("/tools/recent/").content.decode()
    assert f"/tools/{sbmc.pk}/" not in client_for(other_social_worker).get("/tools/recent/").content.decode()


def test_delete_tool_from_the_page(client_for, social_worker, sbmc, project):
    client = client_for(social_worker)
    page = client.get(f"/tools/{sbmc.pk}/").content.decode()
    assert f'action="/tools/{sbmc.pk}/delete/"' in page
    response = client.post(f"/tools/{sbmc.pk}/delete/", {"version": 1})
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.pk}/tools/"
    assert not ToolInstance.objects.exists()


def test_findings_link_to_where_they_are_fixed(client_for, social_worker, toc):
    source = OutcomeFactory(instance=toc, text="Early")
    target = OutcomeFactory(instance=toc, text="Impact", level=Outcome.Level.IMPACT, above_ceiling=True)
    link = services.link_add(instance=toc, source=source, target=target, by=social_worker)
    html = client_for(social_worker).get(f"/tools/{toc.pk}/").content.decode()
    assert f'href="/tools/{toc.pk}/toc/link/{link.pk}/edit/">Fix' in html


@pytest.mark.parametrize("slug", ["bmc", "empathy-map", "problem-tree", "stakeholder-map"])
def test_every_canvas_renders_its_blocks(client_for, social_worker, project, slug):
    tool = services.tool_create(project=project, template=slug, by=social_worker)
    html = client_for(social_worker).get(f"/tools/{tool.pk}/").content.decode()
    for block in tool.template.blocks.all():
        assert f'id="add-{block.key}"' in html
    assert f"tk-cols-{tool.template.layout_columns}" in html


def test_board_in_german_uses_the_translated_block_texts(client_for, social_worker, sbmc):
    client = client_for(social_worker)
    html = client.get(f"/tools/{sbmc.pk}/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Schlüsselressourcen" in html


def test_diff_page_names_an_unknown_snapshot(client_for, social_worker, sbmc):
    services.snapshot_create(instance=sbmc, by=social_worker)
    response = client_for(social_worker).get(f"/tools/{sbmc.pk}/diff/?from=7")
    assert response.status_code == 200
    assert "There is no snapshot #7 of this tool." in response.content.decode()


def board_tags(html: str) -> dict[str, int]:
    """Start tags of the board area, by tag name."""
    from collections import Counter
    from html.parser import HTMLParser

    counts = Counter()

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            counts[tag] += 1

    area = html[html.index('id="tool-area"') :]
    Parser().feed(area)
    return counts


def test_board_weight_per_entry_is_small(client_for, social_worker, sbmc):
    """Issue #15: three forms per entry made a 32-entry board 1,066 elements and 113 forms. The entries'
    buttons now share two forms: an entry adds no form and a fixed, small number of elements."""
    client = client_for(social_worker)
    EntryFactory(instance=sbmc, block_key="channels", text="E0", order=0)
    one = board_tags(client.get(f"/tools/{sbmc.pk}/").content.decode())
    for i in range(1, 20):
        EntryFactory(instance=sbmc, block_key="channels", text=f"E{i}", order=i)
    twenty = board_tags(client.get(f"/tools/{sbmc.pk}/").content.decode())
    assert twenty["form"] == one["form"]
    assert twenty["li"] - one["li"] == 19
    # li, p (text), div (actions), a (edit) + its hidden text, 3 buttons, the hidden text of delete
    assert (sum(twenty.values()) - sum(one.values())) / 19 <= 9


def test_board_entry_buttons_submit_the_shared_forms(client_for, social_worker, sbmc):
    entry = EntryFactory(instance=sbmc, block_key="channels", text="A")
    html = client_for(social_worker).get(f"/tools/{sbmc.pk}/").content.decode()
    for form_id, url in (
        ("entry-move-form", f"/tools/{sbmc.pk}/entries/{entry.pk}/move/"),
        ("entry-delete-form", f"/tools/{sbmc.pk}/entries/{entry.pk}/delete/"),
    ):
        form = re.search(rf'<form id="{form_id}" method="post"[^>]*>(.*?)</form>', html, re.S)
        assert 'name="csrfmiddlewaretoken"' in form.group(1)
        assert 'name="version"' in form.group(1)
        assert f'form="{form_id}" formaction="{url}"' in html
    assert 'name="direction" value="up"' in html
    assert 'name="direction" value="down"' in html
