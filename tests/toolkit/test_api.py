"""The toolkit API: permissions, versions (ETag / If-Match / 409), nested elements, query counts."""

import pypdf
import pytest

from tests.factories import IndicatorFactory
from toolkit import services
from toolkit.loader import load_template
from toolkit.models import Entry, Outcome, ToolInstance

from .factories import EntryFactory, OutcomeFactory, TheoryOfChangeFactory, ToolInstanceFactory


def test_templates_list_has_the_six_tools(as_user, social_worker):
    response = as_user(social_worker).get("/api/v1/tool-templates/")
    assert response.status_code == 200
    slugs = [t["slug"] for t in response.json()["results"]]
    assert set(slugs) == {"sbmc", "bmc", "empathy-map", "problem-tree", "stakeholder-map", "theory-of-change"}
    sbmc = next(t for t in response.json()["results"] if t["slug"] == "sbmc")
    assert len(sbmc["blocks"]) == 13
    assert sbmc["licence"].startswith("CC BY-SA")


def test_anonymous_gets_nothing(as_user, sbmc):
    assert as_user(None).get(f"/api/v1/tools/{sbmc.pk}/").status_code in (401, 403)


def test_create_tool_for_own_project(as_user, social_worker, project):
    response = as_user(social_worker).post(f"/api/v1/projects/{project.pk}/tools/", {"template": "sbmc"})
    assert response.status_code == 201, response.json()
    assert response.json()["template"] == "sbmc"
    assert response["ETag"] == '"1"'


def test_create_tool_unknown_template_names_the_field(as_user, social_worker, project):
    response = as_user(social_worker).post(f"/api/v1/projects/{project.pk}/tools/", {"template": "nope"})
    assert response.status_code == 400
    assert "template" in response.json()


@pytest.mark.parametrize(
    ("user_name", "read", "write"),
    [
        ("social_worker", 200, 201),
        ("org_admin", 200, 201),
        ("coordinator", 200, 403),
        ("other_social_worker", 404, 404),
        ("reviewer", 404, 404),
    ],
)
def test_permission_matrix(request, as_user, sbmc, user_name, read, write):
    client = as_user(request.getfixturevalue(user_name))
    assert client.get(f"/api/v1/tools/{sbmc.pk}/").status_code == read
    assert client.get(f"/api/v1/projects/{sbmc.project_id}/tools/").status_code == read
    response = client.post(f"/api/v1/tools/{sbmc.pk}/entries/", {"block_key": "channels", "text": "x"})
    assert response.status_code == write
    assert Entry.objects.count() == (1 if write == 201 else 0)


@pytest.mark.parametrize("user_name", ["coordinator", "other_social_worker"])
def test_denied_patch_and_delete_leave_the_tool_unchanged(request, as_user, sbmc, user_name):
    client = as_user(request.getfixturevalue(user_name))
    entry = EntryFactory(instance=sbmc, text="Original")
    client.patch(f"/api/v1/entries/{entry.pk}/", {"text": "Changed"}, HTTP_IF_MATCH='"1"')
    client.delete(f"/api/v1/tools/{sbmc.pk}/", HTTP_IF_MATCH='"1"')
    assert Entry.objects.get(pk=entry.pk).text == "Original"
    assert ToolInstance.objects.filter(pk=sbmc.pk).exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/tools/{tool}/entries/"),
        ("patch", "/api/v1/tools/{tool}/"),
        ("delete", "/api/v1/tools/{tool}/"),
        ("post", "/api/v1/tools/{tool}/snapshots/"),
        ("patch", "/api/v1/entries/{entry}/"),
        ("delete", "/api/v1/entries/{entry}/"),
        ("post", "/api/v1/entries/{entry}/move/"),
    ],
)
def test_coordinator_write_is_refused_before_the_body_in_plain_words(
    as_user, coordinator, sbmc, method, path
):
    """An empty body without If-Match would answer 400 or 428: the refusal comes first, and says why."""
    entry = EntryFactory(instance=sbmc, text="Kept")
    response = getattr(as_user(coordinator), method)(path.format(tool=sbmc.pk, entry=entry.pk), {})
    assert response.status_code == 403
    assert response.json()["detail"] == "You may look at this tool but not change it."
    sbmc.refresh_from_db()
    assert sbmc.version == 1
    assert Entry.objects.get().text == "Kept"
    assert not sbmc.snapshots.exists()


def test_tool_detail_has_entries_completeness_and_validation(as_user, social_worker, sbmc):
    EntryFactory(instance=sbmc, block_key="channels", text="Market stall")
    response = as_user(social_worker).get(f"/api/v1/tools/{sbmc.pk}/")
    body = response.json()
    assert response["ETag"] == '"1"'
    assert [e["text"] for e in body["entries"]] == ["Market stall"]
    assert body["completeness"]["filled"] == 1
    assert body["completeness"]["total"] == 13
    assert len(body["validation"]) == 12
    assert body["graph"] is None


def test_entry_post_with_stale_if_match_answers_409_with_current_state(
    as_user, social_worker, org_admin, sbmc
):
    anna, erik = as_user(social_worker), as_user(org_admin)
    first = anna.post(
        f"/api/v1/tools/{sbmc.pk}/entries/", {"block_key": "channels", "text": "Market"}, HTTP_IF_MATCH='"1"'
    )
    assert first.status_code == 201
    assert first["ETag"] == '"2"'
    stale = erik.post(
        f"/api/v1/tools/{sbmc.pk}/entries/", {"block_key": "channels", "text": "Radio"}, HTTP_IF_MATCH='"1"'
    )
    assert stale.status_code == 409
    body = stale.json()
    assert body["current_version"] == 2
    assert [e["text"] for e in body["current"]["entries"]] == ["Market"]
    assert stale["ETag"] == '"2"'
    assert Entry.objects.count() == 1


def test_patch_entry_needs_if_match(as_user, social_worker, sbmc):
    entry = EntryFactory(instance=sbmc, text="Original")
    client = as_user(social_worker)
    response = client.patch(f"/api/v1/entries/{entry.pk}/", {"text": "New"})
    assert response.status_code == 428
    response = client.patch(f"/api/v1/entries/{entry.pk}/", {"text": "New"}, HTTP_IF_MATCH='"1"')
    assert response.status_code == 200
    assert response.json()["text"] == "New"
    assert response["ETag"] == '"2"'
    response = client.patch(f"/api/v1/entries/{entry.pk}/", {"text": "Newer"}, HTTP_IF_MATCH='"1"')
    assert response.status_code == 409
    assert Entry.objects.get(pk=entry.pk).text == "New"


def test_delete_and_move_entries(as_user, social_worker, sbmc):
    client = as_user(social_worker)
    a = EntryFactory(instance=sbmc, block_key="channels", text="A", order=1)
    b = EntryFactory(instance=sbmc, block_key="channels", text="B", order=2)
    response = client.post(f"/api/v1/entries/{b.pk}/move/", {"direction": "up"}, HTTP_IF_MATCH='"1"')
    assert response.status_code == 200
    assert list(Entry.objects.order_by("order").values_list("text", flat=True)) == ["B", "A"]
    assert client.delete(f"/api/v1/entries/{a.pk}/", HTTP_IF_MATCH='"2"').status_code == 204
    assert list(Entry.objects.values_list("text", flat=True)) == ["B"]


def test_entry_with_invalid_block_is_a_400_naming_the_field(as_user, social_worker, sbmc):
    response = as_user(social_worker).post(
        f"/api/v1/tools/{sbmc.pk}/entries/", {"block_key": "nope", "text": "x"}
    )
    assert response.status_code == 400
    assert "block_key" in response.json()


def test_entry_cannot_point_to_an_invisible_indicator(as_user, social_worker, sbmc, other_project):
    foreign = IndicatorFactory(project=other_project)
    response = as_user(social_worker).post(
        f"/api/v1/tools/{sbmc.pk}/entries/",
        {"block_key": "impact_measures", "text": "x", "indicator": foreign.pk},
    )
    assert response.status_code == 400
    assert "indicator" in response.json()


def test_tool_patch_complete_refused_with_findings(as_user, social_worker, sbmc):
    response = as_user(social_worker).patch(
        f"/api/v1/tools/{sbmc.pk}/", {"status": "complete"}, HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 400
    assert any("Key resources" in m for m in response.json()["status"])


def test_tool_patch_title(as_user, social_worker, sbmc):
    response = as_user(social_worker).patch(
        f"/api/v1/tools/{sbmc.pk}/", {"title": "Fruit bags", "version": 1}
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Fruit bags"


def test_theory_of_change_graph_through_the_api(as_user, social_worker, toc, indicator):
    client = as_user(social_worker)
    base = f"/api/v1/tools/{toc.pk}"
    impact = client.post(f"{base}/outcomes/", {"text": "Women earn a living", "level": "impact"}).json()
    early = client.post(
        f"{base}/outcomes/",
        {"text": "Women price their goods", "level": "early", "indicators": [indicator.pk]},
    ).json()
    assert impact["above_ceiling"] is True
    link = client.post(
        f"{base}/links/", {"source": early["id"], "target": impact["id"], "rationale": "Sales"}
    )
    assert link.status_code == 201, link.json()
    intervention = client.post(
        f"{base}/interventions/", {"text": "Pricing workshop", "outcomes": [early["id"]]}
    )
    assert intervention.status_code == 201
    assumption = client.post(f"{base}/assumptions/", {"text": "Buyers come", "link": link.json()["id"]})
    assert assumption.status_code == 201
    validation = client.get(f"{base}/validation/").json()
    assert validation["valid"] is True, validation
    detail = client.get(f"{base}/").json()
    assert len(detail["graph"]["outcomes"]) == 2
    assert detail["version"] == 6


def test_link_to_an_outcome_of_another_tool_is_refused(as_user, social_worker, toc):
    other = TheoryOfChangeFactory(project=toc.project)
    mine = OutcomeFactory(instance=toc)
    theirs = OutcomeFactory(instance=other)
    response = as_user(social_worker).post(
        f"/api/v1/tools/{toc.pk}/links/", {"source": mine.pk, "target": theirs.pk, "rationale": "x"}
    )
    assert response.status_code == 400
    assert "target" in response.json()


def test_validation_lists_findings(as_user, social_worker, toc):
    OutcomeFactory(instance=toc, level=Outcome.Level.IMPACT, text="One")
    OutcomeFactory(instance=toc, level=Outcome.Level.IMPACT, text="Two")
    body = as_user(social_worker).get(f"/api/v1/tools/{toc.pk}/validation/").json()
    assert body["valid"] is False
    assert "several_impacts" in [f["code"] for f in body["findings"]]


def test_outcome_patch_and_delete(as_user, social_worker, toc):
    outcome = OutcomeFactory(instance=toc, text="Old")
    client = as_user(social_worker)
    response = client.patch(
        f"/api/v1/outcomes/{outcome.pk}/", {"text": "New", "level": "intermediate"}, HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 200, response.json()
    assert Outcome.objects.get(pk=outcome.pk).level == "intermediate"
    assert client.delete(f"/api/v1/outcomes/{outcome.pk}/", HTTP_IF_MATCH='"2"').status_code == 204


def test_snapshots_and_diff(as_user, social_worker, sbmc):
    client = as_user(social_worker)
    base = f"/api/v1/tools/{sbmc.pk}"
    client.post(f"{base}/entries/", {"block_key": "channels", "text": "Market"})
    snap = client.post(f"{base}/snapshots/", {"note": "Before the workshop"})
    assert snap.status_code == 201
    assert snap.json()["number"] == 1
    client.post(f"{base}/entries/", {"block_key": "revenue", "text": "Sales"})
    client.post(f"{base}/snapshots/", {"note": "After"})
    assert [s["number"] for s in client.get(f"{base}/snapshots/").json()["results"]] == [2, 1]
    diff = client.get(f"{base}/diff/?from=1&to=2").json()
    assert [e["text"] for e in diff["collections"]["entries"]["added"]] == ["Sales"]
    assert client.get(f"{base}/diff/?from=1").json()["to"] == "now"
    assert client.get(f"{base}/diff/?from=9").status_code == 404


def test_export_pdf_contains_the_block_titles(as_user, social_worker, sbmc):
    EntryFactory(instance=sbmc, block_key="channels", text="Market stall in Luleå")
    response = as_user(social_worker).get(f"/api/v1/tools/{sbmc.pk}/export.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    import io

    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    for label in sbmc.template.blocks.values_list("label", flat=True):
        assert label in text.replace("\n", " "), label
    assert "Market stall in Luleå" in text


def test_export_pdf_of_another_organisation_is_404(as_user, other_social_worker, sbmc):
    assert as_user(other_social_worker).get(f"/api/v1/tools/{sbmc.pk}/export.pdf").status_code == 404


def test_blank_pdf(as_user, social_worker):
    response = as_user(social_worker).get("/api/v1/tool-templates/bmc/blank.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("item_count", [1, 3])
def test_project_tools_list_query_count(
    as_user, social_worker, project, item_count, django_assert_num_queries
):
    for _ in range(item_count):
        tool = ToolInstanceFactory(project=project)
        EntryFactory(instance=tool)
    client = as_user(social_worker)
    with django_assert_num_queries(5):
        response = client.get(f"/api/v1/projects/{project.pk}/tools/")
    assert response.json()["count"] == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_tool_detail_query_count(
    as_user, social_worker, toc, indicator, item_count, django_assert_num_queries
):
    previous = None
    for i in range(item_count):
        outcome = services.outcome_add(
            instance=toc, text=f"O{i}", level="early", by=social_worker, indicators=[indicator]
        )
        if previous:
            services.link_add(instance=toc, source=previous, target=outcome, by=social_worker, rationale="r")
        services.intervention_add(instance=toc, text=f"I{i}", by=social_worker, outcomes=[outcome])
        services.assumption_add(instance=toc, text=f"A{i}", by=social_worker, outcome=outcome)
        previous = outcome
    client = as_user(social_worker)
    with django_assert_num_queries(11):
        response = client.get(f"/api/v1/tools/{toc.pk}/")
    assert len(response.json()["graph"]["outcomes"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_entries_list_query_count(as_user, social_worker, sbmc, item_count, django_assert_num_queries):
    for _ in range(item_count):
        EntryFactory(instance=sbmc)
    client = as_user(social_worker)
    with django_assert_num_queries(9):
        response = client.get(f"/api/v1/tools/{sbmc.pk}/entries/")
    assert response.json()["count"] == item_count
    assert len(response.json()["results"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_templates_list_query_count(as_user, social_worker, item_count, django_assert_num_queries):
    for n in range(item_count):  # tools are data: more fixtures, same queries
        load_template({"slug": f"extra-{n}", "name": f"Extra {n}", "blocks": [{"key": "a", "label": "A"}]})
    client = as_user(social_worker)
    with django_assert_num_queries(4):  # paginated like every list: one COUNT more
        response = client.get("/api/v1/tool-templates/")
    assert response.json()["count"] == 6 + item_count


def test_project_of_another_organisation_cannot_get_a_tool(as_user, other_social_worker, project):
    response = as_user(other_social_worker).post(
        f"/api/v1/projects/{project.pk}/tools/", {"template": "sbmc"}
    )
    assert response.status_code == 404
    assert not ToolInstance.objects.exists()


def test_if_none_match_answers_304_while_unchanged(as_user, social_worker, sbmc):
    client = as_user(social_worker)
    assert client.get(f"/api/v1/tools/{sbmc.pk}/", HTTP_IF_NONE_MATCH='"1"').status_code == 304
    EntryFactory(instance=sbmc)
    ToolInstance.objects.filter(pk=sbmc.pk).update(version=2)
    assert client.get(f"/api/v1/tools/{sbmc.pk}/", HTTP_IF_NONE_MATCH='"1"').status_code == 200


def test_delete_tool_needs_the_current_version(as_user, social_worker, sbmc):
    client = as_user(social_worker)
    assert client.delete(f"/api/v1/tools/{sbmc.pk}/").status_code == 428
    ToolInstance.objects.filter(pk=sbmc.pk).update(version=3)
    assert client.delete(f"/api/v1/tools/{sbmc.pk}/", HTTP_IF_MATCH='"2"').status_code == 409
    assert client.delete(f"/api/v1/tools/{sbmc.pk}/", HTTP_IF_MATCH='"3"').status_code == 204
    assert not ToolInstance.objects.exists()


def test_diff_without_snapshots_names_the_field(as_user, social_worker, sbmc):
    response = as_user(social_worker).get(f"/api/v1/tools/{sbmc.pk}/diff/")
    assert response.status_code == 400
    assert "from" in response.json()
