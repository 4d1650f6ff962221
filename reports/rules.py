"""Who may see a report job. Who may ask for a kind is `ReportKind.may_request` (kinds.py); the
parameters forms limit the projects and organisations to those the requester can see."""

import rules

from sempre.rules import is_coordinator


@rules.predicate
def is_requester(user, job):
    return job is not None and user.is_authenticated and job.requested_by_id == user.pk


can_view_job = is_requester | is_coordinator

rules.add_perm("reports.view_reportjob", can_view_job)
