"""The toolkit's section of the project PDF (toolkit/reports.py): the boards of the project's canvas
and Theory of Change."""

from tests.accelerator.factories import make_ready
from tests.reports.fixtures import pdf_text


def test_project_pdf_includes_the_canvas_and_the_theory_of_change(make_report, social_worker, project):
    make_ready(project, social_worker)
    job = make_report(social_worker, "project", {"project": project.pk})
    assert job.status == "succeeded", job.error
    text = pdf_text(job)
    assert "Social Business Model Canvas" in text
    assert "About social_value_proposition" in text  # an entry on the canvas
    assert "People live well" in text  # the impact of the theory of change
    assert "Weekly café" in text
