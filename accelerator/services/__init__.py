"""Writes in the accelerator: each a plain function with keyword-only arguments, validated, atomic,
permission-checked (`sempre.rules.require` with the permissions of `accelerator.rules`), idempotent
where repeating makes sense. Errors are ValidationError keyed by field, or PermissionDenied.

By topic: `rounds` (rounds and criteria), `applications` (applications, reviewer assignment and
reviews), `decisions` (decisions, closing a round, telling the applicants), `startups`. Each
service is also importable from here: `from accelerator import services; services.round_create(...)`.
Reads live in `accelerator.selectors`.
"""

from .applications import (
    application_submit,
    application_update,
    application_withdraw,
    assignment_create,
    assignment_declare_conflict,
    assignments_auto,
    review_save,
    reviewer_country_set,
)
from .decisions import applicants_notify, decision_email, decision_record, round_close_decision
from .rounds import (
    criterion_create,
    criterion_delete,
    criterion_update,
    round_create,
    round_transition,
    round_transition_warnings,
    round_update,
)
from .startups import (
    figure_record,
    mentoring_session_log,
    milestone_complete,
    milestone_create,
    startup_refresh_stage,
    startup_update,
)

__all__ = [
    "applicants_notify",
    "application_submit",
    "application_update",
    "application_withdraw",
    "assignment_create",
    "assignment_declare_conflict",
    "assignments_auto",
    "criterion_create",
    "criterion_delete",
    "criterion_update",
    "decision_email",
    "decision_record",
    "figure_record",
    "mentoring_session_log",
    "milestone_complete",
    "milestone_create",
    "review_save",
    "reviewer_country_set",
    "round_close_decision",
    "round_create",
    "round_transition",
    "round_transition_warnings",
    "round_update",
    "startup_refresh_stage",
    "startup_update",
]
