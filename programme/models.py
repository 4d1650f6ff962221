"""Framework indicators and the crosswalk; reporting periods and progress reports."""
