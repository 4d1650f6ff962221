"""Reporting periods and progress reports (issue #21 §2; docs/programme-reporting.md, "Reporting
periods and progress reports"): the coordinator sets periods, each active project reports on each
period (figures the platform fills in, the team's narrative, evidence files), the coordinator
approves or returns, and an approved report is frozen."""
