"""Bringing existing data in (issue #21 §4): an organisation's spreadsheet made from the SEMPRE
template, or a KoboToolbox form's CSV export read through a saved column mapping.

- `files`: reads an uploaded file into rows, refusing what is not one (wrong type, encrypted,
  too large, formulas);
- `sheets`: the sheets and columns of the template, and how a cell becomes a field's value
  (each column's model field gives its form field: the rules of the forms);
- `template`: the XLSX template with drop-downs and instructions in the person's language;
- `services`: upload, the dry run, confirm, the import (one transaction per sheet, through
  microprojects.services so that figures, history and audit stay right), column mappings;
- `tasks`, `views`, `forms`, `api`, `urls`, `rules`, `selectors` as in every app.

docs/programme-reporting.md, "Bringing data in", explains it to the people who use it.
"""
