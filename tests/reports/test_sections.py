"""Sections that one app adds to another app's report (reports.sections)."""

from unittest import mock

from reports import sections
from reports.sections import Section, register_section, sections_for


def test_the_toolkit_adds_its_boards_to_the_project_report():
    assert "toolkit_boards" in sections.SOURCES["project"]


def test_sections_come_from_every_source_in_the_order_registered_and_a_name_replaces():
    with mock.patch.dict(sections.SOURCES, clear=True):
        register_section(
            report="demo", name="first", sections=lambda subject: [Section("A", f"<p>{subject}</p>")]
        )
        register_section(report="demo", name="second", sections=lambda subject: [])
        register_section(report="demo", name="third", sections=lambda subject: [Section("C", "<p>c</p>")])
        register_section(report="demo", name="second", sections=lambda subject: [Section("B", "<p>b</p>")])
        assert [s.title for s in sections_for("demo", 7)] == ["A", "B", "C"]
        assert sections_for("demo", 7)[0].html == "<p>7</p>"
        assert sections_for("another report", 7) == []
