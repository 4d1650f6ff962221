"""The report tests' projects (tests/reports/fixtures.py) for the accelerator's report kinds."""

from tests.reports.fixtures import decided_round, other_project, project  # noqa: F401 (fixtures, registered by import)
