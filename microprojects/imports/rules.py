"""Who may bring data in: the staff of the organisation the data will belong to (social workers
and organisation admins). Coordinators and reviewers bring in nothing, and nobody sees another
organisation's imports (they answer 404)."""

import rules

from sempre.rules import is_member_of, is_org_staff


@rules.predicate
def is_import_member(user, job):
    return job is not None and user.is_authenticated and job.organisation_id in user.organisation_ids


# Object: an Organisation.
rules.add_perm("microprojects.import_data", is_member_of)
# Object: an ImportJob (or a ColumnMapping: both belong to an organisation).
rules.add_perm("microprojects.view_import", is_import_member)
# Without an object: the import page.
rules.add_perm("microprojects.view_imports", is_org_staff)
