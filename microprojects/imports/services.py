"""Imports: upload, the dry run, confirmation, the import, column mappings.

The dry run and the import are one piece of code (`_import_sheet`): the dry run runs every sheet
in one transaction that is rolled back at the end, the import runs each sheet in a transaction of
its own that is committed only when none of its rows has an error. So what the dry run says would
be created or changed is what the import does, and the import never leaves half a sheet behind.

Every row is written through microprojects.services (project_create, activity_log, ...): the same
permission checks, validation, history and figures as a form or the API. A row names itself by its
`external_id` (unique per organisation and kind): a row whose external_id is already in SEMPRE
updates that record, and only the fields whose values differ; a row with nothing different is left
alone, so importing the same file again changes nothing.
"""

from collections import Counter
from dataclasses import dataclass

from celery import current_app
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sempre import audit, audit_actions
from sempre.models import Organisation

from .. import services as project_services
from ..models import Activity, ColumnMapping, ImportJob, Indicator, Measurement, MicroProject
from ..selectors import default_organisation_for
from . import files, sheets

CHECK_TASK = "sempre.microprojects.import_check"
RUN_TASK = "sempre.microprojects.import_run"

CREATE, CHANGE, UNCHANGED, ERROR = "create", "change", "unchanged", "error"
# The states in which a KoboToolbox export's columns may be chosen (again): before its import.
COLUMNS_CHOSEN_IN = (ImportJob.Status.NEEDS_MAPPING, ImportJob.Status.INVALID, ImportJob.Status.CHECKED)
# From a new project's draft to the status a row asks for (MicroProject.TRANSITIONS).
STATUS_PATH = {
    MicroProject.Status.DRAFT: (),
    MicroProject.Status.ACTIVE: (MicroProject.Status.ACTIVE,),
    MicroProject.Status.COMPLETED: (MicroProject.Status.ACTIVE, MicroProject.Status.COMPLETED),
    MicroProject.Status.DISCONTINUED: (MicroProject.Status.DISCONTINUED,),
}


class RowError(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


# Upload ------------------------------------------------------------------------------------------


def _queue(task_name: str, job_id: int) -> None:
    # robust: a broker that cannot be reached leaves the job waiting (it can be queued again), not a 500.
    transaction.on_commit(lambda: current_app.signature(task_name, args=[job_id]).apply_async(), robust=True)


@transaction.atomic
def import_upload(
    *,
    by,
    content: bytes,
    filename: str,
    organisation: Organisation | None = None,
    mapping: ColumnMapping | None = None,
    project: MicroProject | None = None,
) -> ImportJob:
    """Take a file in and queue its dry run. What the file is comes from its content: the SEMPRE
    spreadsheet (XLSX) or a KoboToolbox export (CSV), which needs a column mapping: the one given,
    else a saved one with exactly the file's headings, else the person chooses the columns first
    (status NEEDS_MAPPING). A file that is no such thing is refused here, naming `file`."""
    organisation = organisation or default_organisation_for(by)
    errors = {}
    if not by.has_perm("microprojects.import_data", organisation):
        raise ValidationError({"organisation": _("You can only import data into your own organisation.")})
    if mapping is not None and mapping.organisation_id != organisation.pk:
        errors["mapping"] = [_("This column mapping belongs to another organisation.")]
    if project is not None and project.organisation_id != organisation.pk:
        errors["project"] = [_("This project belongs to another organisation.")]
    try:
        source = files.kind_of(content)
    except files.FileRefused as refused:
        errors["file"] = [str(refused)]
        source = None
    headings = []
    if source == "csv":
        try:
            headings = files.read_csv(content).headings
        except files.FileRefused as refused:
            errors["file"] = [str(refused)]
    if errors:
        raise ValidationError(errors)
    job = ImportJob(
        organisation=organisation,
        source=source,
        filename=(filename or "upload")[:255],
        content=content,
        created_by=by,
        language=getattr(by, "language", "") or translation.get_language() or "en",
        project=project,
    )
    if source == ImportJob.Source.KOBO:
        mapping = mapping or _matching_mapping(organisation, headings)
        if mapping is None:
            job.status = ImportJob.Status.NEEDS_MAPPING
        else:
            job.mapping, job.columns = mapping, dict(mapping.columns)
    job.save()
    if job.status == ImportJob.Status.CHECKING:
        _queue(CHECK_TASK, job.pk)
    return job


def _matching_mapping(organisation, headings) -> ColumnMapping | None:
    """The organisation's saved mapping whose columns are exactly the file's headings, if one."""
    wanted = {h for h in headings if h}
    for mapping in ColumnMapping.objects.filter(organisation=organisation):
        if set(mapping.columns) == wanted:
            return mapping
    return None


def csv_headings(job: ImportJob) -> list[str]:
    return [h for h in files.read_csv(bytes(job.content)).headings if h]


def mapping_errors(columns: dict, *, has_project: bool) -> dict[str, list[str]]:
    """What a column mapping lacks: every required field once, and no field twice."""
    chosen = Counter(field for field in columns.values() if field)
    errors = {}
    unknown = [f for f in chosen if f not in sheets.KOBO_FIELDS]
    if unknown:
        errors["columns"] = [_("Unknown fields: %(fields)s.") % {"fields": ", ".join(unknown)}]
    twice = [sheets.column_label(f) for f, n in chosen.items() if n > 1]
    if twice:
        errors.setdefault("columns", []).append(
            _("Each field can come from one column only: %(fields)s.") % {"fields": ", ".join(twice)}
        )
    required = [*sheets.KOBO_REQUIRED, *(() if has_project else ("project",))]
    missing = [sheets.column_label(f) for f in required if f not in chosen]
    if missing:
        errors.setdefault("columns", []).append(
            _("Choose a column for: %(fields)s.") % {"fields": ", ".join(missing)}
        )
    return errors


@transaction.atomic
def mapping_save(
    *, by, organisation: Organisation, name: str, columns: dict, mapping: ColumnMapping | None = None
) -> ColumnMapping:
    """Save a named column mapping (a new one, or `mapping` changed)."""
    if not by.has_perm("microprojects.import_data", organisation):
        raise PermissionDenied(_("You can only import data into your own organisation."))
    errors = mapping_errors(columns, has_project=True)
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Give the mapping a name, so you can choose it next time.")]
    elif (
        ColumnMapping.objects.filter(organisation=organisation, name=name)
        .exclude(pk=getattr(mapping, "pk", None))
        .exists()
    ):
        errors["name"] = [_("Your organisation already has a mapping with this name.")]
    if errors:
        raise ValidationError(errors)
    mapping = mapping or ColumnMapping(organisation=organisation, created_by=by)
    mapping.name, mapping.columns = name, {str(k): v or "" for k, v in columns.items()}
    mapping.full_clean(exclude=["organisation", "created_by"], validate_unique=False)
    mapping.save()
    return mapping


@transaction.atomic
def import_choose_mapping(*, job: ImportJob, by, mapping: ColumnMapping) -> ImportJob:
    """Check a KoboToolbox export again with `mapping` (its dry run is queued)."""
    if not by.has_perm("microprojects.import_data", job.organisation):
        raise PermissionDenied(_("You can only import data into your own organisation."))
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.source != ImportJob.Source.KOBO or job.status not in COLUMNS_CHOSEN_IN:
        raise ValidationError({"status": _("The columns of this import can no longer be chosen.")})
    if mapping.organisation_id != job.organisation_id:
        raise ValidationError({"mapping": _("This column mapping belongs to another organisation.")})
    if errors := mapping_errors(mapping.columns, has_project=job.project_id is not None):
        raise ValidationError(errors)
    job.mapping, job.columns = mapping, dict(mapping.columns)
    job.status, job.dry_run = ImportJob.Status.CHECKING, {}
    job.save(update_fields=["mapping", "columns", "status", "dry_run"])
    _queue(CHECK_TASK, job.pk)
    return job


# The dry run -------------------------------------------------------------------------------------


def import_check(*, job_id: int) -> ImportJob | None:
    """The dry run: every sheet through the services in one transaction that is then rolled back.
    Stores, per sheet, each row's action (create, change, unchanged) or its errors by column.
    Runs once: a job that is not waiting for its check is left as it is."""
    job = ImportJob.objects.filter(pk=job_id).select_related("organisation", "created_by").first()
    if job is None or job.status != ImportJob.Status.CHECKING:
        return job
    with translation.override(job.language):
        report = _dry_run(job)
    has_errors = bool(report.get("error")) or any(s["counts"].get(ERROR) for s in report["sheets"])
    status = ImportJob.Status.INVALID if has_errors else ImportJob.Status.CHECKED
    ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKING).update(
        status=status, dry_run=report, checked_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def _dry_run(job: ImportJob) -> dict:
    if job.created_by is None:
        return {"error": _("The person who uploaded the file no longer has an account."), "sheets": []}
    try:
        parts = _read(job)
    except files.FileRefused as refused:
        return {"error": str(refused), "sheets": []}
    if not parts:
        return {
            "error": _(
                "The file has no rows in the sheets projects, activities, indicators or "
                "measurements: nothing to import."
            ),
            "sheets": [],
        }
    results = []
    with transaction.atomic():
        for name, sheet in parts:
            results.append(_import_sheet(job, name, sheet, by=job.created_by))
        transaction.set_rollback(True)
    return {"sheets": results}


def _read(job: ImportJob) -> list[tuple[str, files.Sheet]]:
    """(sheet name, rows) in the order they are imported: projects before what refers to them."""
    content = bytes(job.content)
    if job.source == ImportJob.Source.SPREADSHEET:
        found = files.read_xlsx(content, sheets.SHEETS)
        # Sheets left empty (the template has all four) are not part of the import.
        return [(name, found[name]) for name in sheets.SHEETS if name in found and found[name].rows]
    return [("activities", _mapped(files.read_csv(content), job))]


def _mapped(csv_sheet: files.Sheet, job: ImportJob) -> files.Sheet:
    """A KoboToolbox export's rows as rows of the activities sheet, through the job's mapping;
    rows without a project get the project chosen on upload."""
    sheet = files.Sheet(name="activities", headings=list(sheets.KOBO_FIELDS))
    for row in csv_sheet.rows:
        values, cells = {}, {}
        for heading, field in job.columns.items():
            if field and heading in row.values:
                values[field], cells[field] = row.values[heading], row.cells.get(heading, "")
        if job.project_id and sheets.is_empty(values.get("project")):
            values["project"] = job.project.external_id or job.project.title
            cells.pop("project", None)
        sheet.rows.append(files.Row(number=row.number, values=values, cells=cells))
    return sheet


# One sheet, the dry run's and the import's -------------------------------------------------------


@dataclass
class Context:
    job: ImportJob
    by: object

    @property
    def organisation(self):
        return self.job.organisation


def _import_sheet(job: ImportJob, name: str, sheet: files.Sheet, *, by) -> dict:
    columns = sheets.SHEETS[name]
    write = WRITERS[name]
    context = Context(job=job, by=by)
    rows, counts, seen = [], Counter(), {}
    missing = [c.key for c in columns if c.required and c.key not in sheet.headings]
    for row in sheet.rows:
        cleaned, errors = sheets.clean_row(columns, row.values)
        for key in missing:
            errors[key] = [_("The sheet has no column “%(column)s”.") % {"column": key}]
        external_id = cleaned.get("external_id") or ""
        if external_id and external_id in seen:
            errors.setdefault("external_id", []).append(
                _("Row %(row)s has the same external ID.") % {"row": seen[external_id]}
            )
        seen.setdefault(external_id, row.number)
        action, changed = ERROR, []
        if not errors:
            try:
                with transaction.atomic():
                    action, changed = write(context, cleaned)
            except RowError as error:
                errors = error.errors
            except ValidationError as error:
                errors = _by_column(error, columns)
            except PermissionDenied as error:
                errors = {"": [str(error) or _("You may not do this.")]}
        if errors:
            action = ERROR
        counts[action] += 1
        rows.append(
            {
                "row": row.number,
                "external_id": external_id,
                "action": action,
                "changed": changed,
                "errors": {
                    key: {
                        "cell": row.cells.get(key, ""),
                        "column": sheets.column_label(key) if key else "",
                        "messages": messages,
                    }
                    for key, messages in errors.items()
                },
            }
        )
    return {"name": name, "rows": rows, "counts": dict(counts)}


def _by_column(error: ValidationError, columns) -> dict[str, list[str]]:
    keys = {c.key for c in columns}
    result = {}
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            if field in keys:
                result.setdefault(field, []).extend(field_errors)
            else:  # a rule of the row as a whole (a field the sheet has no column for)
                prefix = "" if field == "__all__" else f"{sheets.column_label(field)}: "
                result.setdefault("", []).extend(prefix + message for message in field_errors)
    else:
        result[""] = list(error.messages)
    return result


def _changes(instance, values: dict) -> dict:
    """The values that differ from what `instance` holds."""
    changes = {}
    for field, value in values.items():
        current = getattr(instance, field)
        current = getattr(current, "code", current)  # a country
        both_empty = current in ("", None) and value in ("", None)
        if not both_empty and current != value:
            changes[field] = value
    return changes


def _set_external_id(instance, external_id: str) -> None:
    """The services know nothing of imports: the key is set after the create, in its savepoint."""
    type(instance).objects.filter(pk=instance.pk).update(external_id=external_id)
    instance.external_id = external_id


def _project(context: Context, reference: str) -> MicroProject:
    """The organisation's project named by external_id, or else by its exact title."""
    projects = MicroProject.objects.filter(organisation=context.organisation)
    found = projects.filter(external_id=reference).first()
    if found is None:
        titled = list(projects.filter(title__iexact=reference)[:2])
        if len(titled) > 1:
            raise RowError(
                {
                    "project": [
                        _("Several projects are called “%(title)s”: use the project's external ID.")
                        % {"title": reference}
                    ]
                }
            )
        found = titled[0] if titled else None
    if found is None:
        raise RowError(
            {
                "project": [
                    _("No project “%(project)s” in %(organisation)s (neither an external ID nor a title).")
                    % {"project": reference, "organisation": context.organisation.name}
                ]
            }
        )
    return found


PROJECT_FIELDS = (
    "title",
    "summary",
    "problem",
    "country",
    "region",
    "setting",
    "start_date",
    "end_date",
    "budget_eur",
)


def _write_project(context: Context, values: dict):
    by, organisation = context.by, context.organisation
    fields = {f: values[f] for f in PROJECT_FIELDS}
    status = values["status"]
    project = MicroProject.objects.filter(
        organisation=organisation, external_id=values["external_id"]
    ).first()
    if project is None:
        project = project_services.project_create(
            by=by, organisation=organisation, target_groups=values["target_groups"], **fields
        )
        _set_external_id(project, values["external_id"])
        for step in STATUS_PATH[MicroProject.Status(status or MicroProject.Status.DRAFT)]:
            project_services.project_transition(project=project, by=by, status=step)
        return CREATE, []
    if not fields["country"]:
        del fields["country"]  # empty: the organisation's, which the project already has
    changes = _changes(project, fields)
    if {g.pk for g in project.target_groups.all()} != {g.pk for g in values["target_groups"]}:
        changes["target_groups"] = values["target_groups"]
    if changes:
        project_services.project_update(project=project, by=by, **changes)
    if status and status != project.status:
        project_services.project_transition(project=project, by=by, status=status)
        changes["status"] = status
    return (CHANGE, sorted(changes)) if changes else (UNCHANGED, [])


ACTIVITY_FIELDS = (
    "date",
    "kind",
    "title",
    "notes",
    "staff_hours",
    "volunteer_hours",
    *Activity.COUNT_FIELDS,
)


def _write_activity(context: Context, values: dict):
    project = _project(context, values["project"])
    fields = {f: values[f] for f in ACTIVITY_FIELDS}
    confirm = bool(values.get("confirm"))
    activity = (
        Activity.objects.filter(project__organisation=context.organisation, external_id=values["external_id"])
        .select_related("project")
        .first()
    )
    if activity is None:
        activity = project_services.activity_log(project=project, by=context.by, confirm=confirm, **fields)
        _set_external_id(activity, values["external_id"])
        return CREATE, []
    _same_parent(activity.project, project, "project")
    changes = _changes(activity, fields)
    if changes:
        project_services.activity_update(activity=activity, by=context.by, confirm=confirm, **changes)
        return CHANGE, sorted(changes)
    return UNCHANGED, []


def _same_parent(stored, named, column):
    if stored.pk != named.pk:
        raise RowError(
            {
                column: [
                    _("This external ID belongs to a record of “%(stored)s”, not of “%(named)s”.")
                    % {"stored": stored, "named": named}
                ]
            }
        )


INDICATOR_FIELDS = ("name", "code", "unit", "baseline", "target", "target_date", "direction")


def _write_indicator(context: Context, values: dict):
    project = _project(context, values["project"])
    fields = {f: values[f] for f in INDICATOR_FIELDS}
    indicator = (
        Indicator.objects.filter(
            project__organisation=context.organisation, external_id=values["external_id"]
        )
        .select_related("project")
        .first()
    )
    if indicator is None:
        indicator = project_services.indicator_create(project=project, by=context.by, **fields)
        _set_external_id(indicator, values["external_id"])
        return CREATE, []
    _same_parent(indicator.project, project, "project")
    if fields["direction"] is None:
        del fields["direction"]  # empty: as it is
    changes = _changes(indicator, fields)
    if changes:
        project_services.indicator_update(indicator=indicator, by=context.by, **changes)
        return CHANGE, sorted(changes)
    return UNCHANGED, []


def _indicator(context: Context, values: dict) -> Indicator:
    indicators = Indicator.objects.filter(project__organisation=context.organisation).select_related(
        "project"
    )
    reference = values["indicator"]
    found = indicators.filter(external_id=reference).first()
    if found is None and values.get("project"):
        project = _project(context, values["project"])
        found = indicators.filter(project=project, name__iexact=reference).first()
        if found is None:
            raise RowError(
                {
                    "indicator": [
                        _("The project “%(project)s” has no indicator “%(indicator)s”.")
                        % {"project": project, "indicator": reference}
                    ]
                }
            )
    if found is None:
        raise RowError(
            {
                "indicator": [
                    _(
                        "No indicator has the external ID “%(indicator)s”. To find an indicator by "
                        "its name, name its project too."
                    )
                    % {"indicator": reference}
                ]
            }
        )
    return found


def _write_measurement(context: Context, values: dict):
    indicator = _indicator(context, values)
    fields = {"date": values["date"], "value": values["value"], "note": values["note"]}
    measurement = (
        Measurement.objects.filter(
            indicator__project__organisation=context.organisation, external_id=values["external_id"]
        )
        .select_related("indicator__project")
        .first()
    )
    if measurement is None:
        measurement = project_services.measurement_record(indicator=indicator, by=context.by, **fields)
        _set_external_id(measurement, values["external_id"])
        return CREATE, []
    _same_parent(measurement.indicator, indicator, "indicator")
    changes = _changes(measurement, fields)
    if changes:
        project_services.measurement_update(measurement=measurement, by=context.by, **changes)
        return CHANGE, sorted(changes)
    return UNCHANGED, []


WRITERS = {
    "projects": _write_project,
    "activities": _write_activity,
    "indicators": _write_indicator,
    "measurements": _write_measurement,
}


# Confirm and import ------------------------------------------------------------------------------


@transaction.atomic
def import_confirm(*, job: ImportJob, by) -> ImportJob:
    """Queue the import of a job whose dry run found no error. Confirming again is a no-op."""
    if not by.has_perm("microprojects.import_data", job.organisation):
        raise PermissionDenied(_("You can only import data into your own organisation."))
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status in (ImportJob.Status.IMPORTING, ImportJob.Status.IMPORTED):
        return job
    if job.status != ImportJob.Status.CHECKED:
        raise ValidationError(
            {
                "status": _(
                    "Only a file whose check found no errors can be imported. Correct the file and "
                    "upload it again."
                )
            }
        )
    job.status, job.confirmed_by = ImportJob.Status.IMPORTING, by
    job.save(update_fields=["status", "confirmed_by"])
    _queue(RUN_TASK, job.pk)
    return job


def import_run(*, job_id: int) -> ImportJob | None:
    """The import: each sheet in a transaction of its own, committed only if none of its rows has
    an error (then the sheets after it are not imported, and the job says so). Safe to run twice:
    a job that is not being imported is left alone, and the rows of a sheet imported before a
    worker was lost are found by their external IDs and left unchanged."""
    job = ImportJob.objects.filter(pk=job_id).select_related("organisation", "confirmed_by").first()
    if job is None or job.status != ImportJob.Status.IMPORTING:
        return job
    by = job.confirmed_by
    results, failed = [], None
    with translation.override(job.language):
        try:
            parts = _read(job)
        except files.FileRefused as refused:
            parts, failed = [], str(refused)
        for name, sheet in parts:
            with transaction.atomic():
                result = _import_sheet(job, name, sheet, by=by)
                if result["counts"].get(ERROR):
                    transaction.set_rollback(True)
                    result["rolled_back"] = True
                    failed = _("The sheet “%(sheet)s” has errors: none of its rows was imported.") % {
                        "sheet": sheets.SHEET_LABELS[name]
                    }
            results.append(result)
            if failed:
                break
    with transaction.atomic():
        updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.IMPORTING).update(
            status=ImportJob.Status.FAILED if failed else ImportJob.Status.IMPORTED,
            result={"sheets": results, "error": failed or ""},
            imported_at=timezone.now(),
            # The file is not kept once imported (it may hold notes about people): what was
            # created or changed is in the records, their history and this job's result.
            content=b"",
        )
        if updated:
            audit.record(
                actor=by,
                action=audit_actions.DATA_IMPORTED,
                target=job,
                data={
                    "organisation": job.organisation_id,
                    "file": job.filename,
                    "source": job.source,
                    "failed": bool(failed),
                    "sheets": {
                        r["name"]: {k: v for k, v in r["counts"].items() if not r.get("rolled_back")}
                        for r in results
                    },
                },
            )
    job.refresh_from_db()
    return job


def counts_of(report: dict) -> dict[str, dict[str, int]]:
    """{sheet: {create, change, unchanged, error}} of a dry run or an import."""
    return {sheet["name"]: dict(sheet["counts"]) for sheet in (report or {}).get("sheets", [])}
