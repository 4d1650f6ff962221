"""Reports built on the accelerator (selection PDF/XLSX, start-ups PDF) and the toolkit boards in
the project PDF. The data is made with the other areas' models and services."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from reports import services
from tests.reports.fixtures import pdf_text


def test_selection_pdf_holds_weights_ranking_and_rationales(make_report, coordinator, decided_round):
    job = make_report(coordinator, "selection", {"round": decided_round.pk})
    assert job.status == "succeeded", job.error
    text = pdf_text(job)
    for heading in ("Selection: Spring 2026", "Criteria and weights", "Ranking", "Explanations",
                    "Decisions and rationales"):  # fmt: skip
        assert heading in text
    assert "Social impact 3 75.0 %" in text
    assert "Fruit bags for Luleå" in text
    assert "Clients designed the fruit bags themselves." in text


def test_selection_xlsx_ranks_the_better_application_first(make_report, coordinator, decided_round):
    job = make_report(coordinator, "selection_xlsx", {"round": decided_round.pk})
    assert job.status == "succeeded", job.error
    with job.file.open("rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()), read_only=True)
    assert workbook.sheetnames == ["Criteria", "Ranking", "Decisions"]
    ranking = list(workbook["Ranking"].iter_rows(values_only=True))
    assert [(row[0], row[2]) for row in ranking[1:]] == [
        (1, "Fruit bags for Luleå"),
        (2, "Repair café Kuldīga"),
    ]
    decisions = list(workbook["Decisions"].iter_rows(values_only=True))
    assert decisions[1][2:4] == ("Selected", "Clients designed the fruit bags themselves.")


def test_startups_pdf_holds_self_sufficiency_and_figures(make_report, coordinator, decided_round):
    job = make_report(coordinator, "startups", {})
    assert job.status == "succeeded", job.error
    text = pdf_text(job)
    assert "Self-sufficiency over time" in text
    assert "Fruit Bags Luleå ek. för." in text
    assert "90 %" in text  # 900 / 1000 in the latest month
    assert "First regular customer" in text


@pytest.mark.parametrize("kind", ["selection", "selection_xlsx", "startups"])
def test_accelerator_reports_are_for_coordinators(social_worker, kind, decided_round):
    with pytest.raises(PermissionDenied):
        services.report_request(by=social_worker, kind=kind, params={"round": decided_round.pk})
