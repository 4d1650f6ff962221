"""The toolkit's demo data (demo.toolkit): canvases and Theories of Change for the demo's projects."""

import io

from demo import microprojects as microprojects_demo
from demo import toolkit as demo
from toolkit.models import Entry, ToolInstance
from toolkit.selectors import instance_state, readiness_by_project


def test_demo_gives_most_projects_a_canvas_and_ten_a_theory_of_change(db):
    microprojects_demo.seed(stdout=io.StringIO())
    out = io.StringIO()
    demo.seed(stdout=out)
    assert "25 canvases and 10 Theories of Change" in out.getvalue()
    canvases = ToolInstance.objects.filter(template__slug="sbmc")
    assert canvases.count() == 25
    flagship = canvases.get(project__title__startswith="Fruit bags from Luleå")
    texts = list(flagship.entries.values_list("text", flat=True))
    assert "Display basket next to the till in partner shops" in texts
    assert flagship.entries.filter(block_key="impact_measures", indicator__isnull=False).count() == 2
    readiness = readiness_by_project(ToolInstance.objects.values_list("project_id", flat=True).distinct())
    tocs = [r for r in readiness.values() if r.toc is not None]
    assert len(tocs) == 10
    assert sum(1 for r in tocs if not r.toc_errors and r.toc.status == "complete") == 5
    assert sum(1 for r in tocs if r.toc_errors) == 5
    flagship_toc = readiness[flagship.project_id].toc
    assert flagship_toc.outcomes.count() == 8
    assert readiness[flagship.project_id].toc_errors == []

    # Idempotent: a second run creates nothing and changes nothing.
    before = {t.pk: instance_state(t) for t in ToolInstance.objects.all()}
    entry_count = Entry.objects.count()
    out = io.StringIO()
    demo.seed(stdout=out)
    assert "0 canvases and 0 Theories of Change" in out.getvalue()
    assert Entry.objects.count() == entry_count
    assert {t.pk: instance_state(t) for t in ToolInstance.objects.all()} == before
