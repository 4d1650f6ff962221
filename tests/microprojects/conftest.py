"""The report tests' projects (tests/reports/fixtures.py) for the micro projects' report kinds."""

from tests.reports.fixtures import other_project, project  # noqa: F401 (fixtures, registered by import)
