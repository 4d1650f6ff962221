"""Reporting to the programme (issue #21): indicator frameworks and their crosswalk, reporting
periods and progress reports."""
