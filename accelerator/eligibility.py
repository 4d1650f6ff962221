"""Eligibility of micro projects for a round, and the one place that talks to the toolkit (#3).

The toolkit provides `toolkit.selectors.readiness_by_project(project_ids) -> {id: Readiness}`
(Readiness: `sbmc`, `sbmc_complete`, `toc`, `toc_errors`) and
`toolkit.services.snapshot_create(*, instance, by, note="") -> Snapshot`. Only this module imports
them, so a change there changes one file here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from microprojects.models import MicroProject


def canvas_status_warning(*, total: int, empty_labels: list[str]) -> str:
    from toolkit.validation import canvas_status_warning as toolkit_warning

    return toolkit_warning(total=total, empty_labels=empty_labels)


def readiness_by_project(project_ids) -> dict:
    from toolkit.selectors import readiness_by_project as toolkit_readiness

    return toolkit_readiness(list(project_ids))


def snapshot_create(*, instance, by, note=""):
    from toolkit.services import snapshot_create as toolkit_snapshot

    return toolkit_snapshot(instance=instance, by=by, note=note)


def _sbmc_counts(ready) -> bool:
    """The canvas counts when its team marked it complete and every block is filled now (an entry
    deleted after completing does not change the status a person chose, but it does change this)."""
    return bool(
        ready
        and ready.sbmc is not None
        and ready.sbmc_complete
        and ready.sbmc_blocks_filled == ready.sbmc_blocks_total
    )


def _sbmc_detail(ready) -> str:
    """Why the canvas does not count yet, in the same facts its board shows ("12 of 13 blocks
    filled", "Still empty: Revenue", "Marked complete, but …")."""
    if ready is None or ready.sbmc is None:
        return _("There is no Social Business Model Canvas yet.")
    empty = ready.sbmc_blocks_total - ready.sbmc_blocks_filled
    if empty > 0 and ready.sbmc_complete:
        return canvas_status_warning(total=ready.sbmc_blocks_total, empty_labels=ready.sbmc_empty_blocks)
    if empty > 0:
        return " ".join(
            [
                ngettext(
                    "%(empty)s of its %(total)s blocks is still empty.",
                    "%(empty)s of its %(total)s blocks are still empty.",
                    empty,
                )
                % {"empty": empty, "total": ready.sbmc_blocks_total},
                _("Still empty:"),
                ", ".join(ready.sbmc_empty_blocks),
            ]
        )
    return _(
        "All %(total)s blocks are filled, but the canvas is still a draft: set its status to “Complete” "
        "on its board."
    ) % {"total": ready.sbmc_blocks_total}


@dataclass
class Check:
    label: str
    passed: bool
    detail: str = ""


@dataclass
class Eligibility:
    project_id: int
    checks: list[Check] = field(default_factory=list)
    readiness: object = None

    @property
    def eligible(self) -> bool:
        return all(check.passed for check in self.checks)

    @property
    def reasons(self) -> list[str]:
        """What is missing, in plain words."""
        return [check.detail or check.label for check in self.checks if not check.passed]


def eligibility_by_project(projects: list[MicroProject]) -> dict[int, Eligibility]:
    """Each project's eligibility, explained check by check (three queries whatever the count:
    readiness from the toolkit and earlier selections)."""
    from .models import Application

    ids = [p.pk for p in projects]
    readiness = readiness_by_project(ids) if ids else {}
    selected = set(
        Application.objects.filter(project_id__in=ids, status=Application.Status.SELECTED).values_list(
            "project_id", flat=True
        )
    )
    result = {}
    for project in projects:
        ready = readiness.get(project.pk)
        status_ok = project.status in (MicroProject.Status.ACTIVE, MicroProject.Status.COMPLETED)
        sbmc_ok = _sbmc_counts(ready)
        toc_ok = bool(ready and ready.toc is not None and not ready.toc_errors)
        if ready is None or ready.toc is None:
            toc_detail = _("There is no Theory of Change yet.")
        elif ready.toc_errors:
            toc_detail = _("The Theory of Change has problems to fix: %(errors)s") % {
                "errors": "; ".join(str(e) for e in ready.toc_errors)
            }
        else:
            toc_detail = ""
        result[project.pk] = Eligibility(
            project_id=project.pk,
            readiness=ready,
            checks=[
                Check(
                    _("The project is active or completed."),
                    status_ok,
                    "" if status_ok else project.status_sentence,
                ),
                Check(
                    _("The Social Business Model Canvas is complete."),
                    sbmc_ok,
                    "" if sbmc_ok else _sbmc_detail(ready),
                ),
                Check(_("The Theory of Change has no validation errors."), toc_ok, toc_detail),
                Check(
                    _("The project has not been selected in an earlier round."),
                    project.pk not in selected,
                    ""
                    if project.pk not in selected
                    else _("The project was already selected by the accelerator."),
                ),
            ],
        )
    return result


def freeze_tools(*, eligibility: Eligibility, by, note: str):
    """Snapshots of the project's canvas and theory of change, for an application."""
    ready = eligibility.readiness
    sbmc = snapshot_create(instance=ready.sbmc, by=by, note=note)
    toc = snapshot_create(instance=ready.toc, by=by, note=note)
    return sbmc, toc
