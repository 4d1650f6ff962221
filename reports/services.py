"""Report jobs: request, claim, render, finish, sweep, expire.

The path of a report: `report_request` saves a queued job and queues the render task after commit;
`report_run` (in the worker) claims the job with a conditional UPDATE that only a queued job
matches, renders into a temporary file, moves the file into media storage and marks the job
succeeded. Each claim increments `attempts`, and every later write of that worker is conditional
on (status running, attempts = its attempt), so a worker that lost its claim can never overwrite
the work of the one that took over, and a finished job is never redone.

Lost work is found by `report_sweep` (Celery beat, every minute): a running job whose worker has
not beaten within the lease is put back in the queue (at most SEMPRE_REPORT_MAX_ATTEMPTS claims),
one running past the hard time limit fails, and a queued job that no worker took is queued again.
"""

import contextlib
import hashlib
import logging
import tempfile
import threading
from datetime import date, timedelta
from functools import partial
from pathlib import Path

import kombu.exceptions
import redis.exceptions
from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sempre.languages import language_of

from .kinds import KINDS, get_kind, monthly_digest_kinds
from .models import ReportJob, params_digest
from .params import normalise, type_errors
from .renderers.base import RenderContext

logger = logging.getLogger(__name__)

# Errors that may pass by themselves: retried with backoff. Everything else fails the job.
TRANSIENT_ERRORS = (
    OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    OSError,
)
# What sending a task raises when the broker cannot be reached.
BROKER_ERRORS = (kombu.exceptions.OperationalError, redis.exceptions.RedisError, OSError)

Status = ReportJob.Status

# The render task's name (tasks.render_report), as queued messages carry it: never change it.
RENDER_TASK = "sempre.reports.render"


class ReportQueueUnavailable(Exception):
    """The job is saved, but the task could not be queued (broker unreachable). The sweep queues
    it again once the broker is back."""

    def __init__(self, job_id: int):
        super().__init__(job_id)
        self.job_id = job_id


class ReportFailed(Exception):
    """The report cannot be made; the message is for the requester, in plain words."""


class ClaimLost(Exception):
    """Another attempt owns the job now (this worker was taken for gone): stop quietly."""


# Requesting --------------------------------------------------------------------------------------


def _check_language(language: str | None, *, by) -> str:
    """The language asked for; none given: the one saved on the requester's account, else the
    language of the page or API request (sempre.languages)."""
    language = language or language_of(by, fallback=translation.get_language())
    codes = [code for code, _name in settings.LANGUAGES]
    if language not in codes:
        raise ValidationError(
            {
                "language": _("Unknown language “%(language)s”. Choose one of: %(codes)s.")
                % {"language": language, "codes": ", ".join(codes)}
            }
        )
    return language


def report_clean_params(*, kind, user, params) -> dict:
    """Validate parameters for `kind` as `user` may choose them; return the cleaned values.
    Errors are keyed "params.<name>"."""
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise ValidationError({"params": _("Parameters must be an object of names and values.")})
    form = kind.params_form(data=params, user=user)
    errors = {}
    for name in sorted(set(params) - set(form.fields)):
        allowed = ", ".join(form.fields) or _("none")
        errors[f"params.{name}"] = _("This report has no parameter “%(name)s” (it takes: %(allowed)s).") % {
            "name": name,
            "allowed": allowed,
        }
    mistyped = type_errors(form, params)
    for name, message in mistyped.items():
        errors[f"params.{name}"] = message
    if not form.is_valid():
        for name, messages in form.errors.items():
            if name not in mistyped:
                errors["params" if name == "__all__" else f"params.{name}"] = list(messages)
    if errors:
        raise ValidationError(errors)
    return form.cleaned_data


@transaction.atomic
def report_request(
    *,
    by,
    kind: str,
    params: dict | None = None,
    language: str | None = None,
    email_when_done: bool = False,
    enqueue: bool = True,
) -> tuple[ReportJob, bool]:
    """Ask for a report. Returns (job, created): an identical request (same person, kind,
    parameters and language) while one is queued or running returns that job.

    The render task is queued after commit; if the broker cannot be reached, the job stays queued
    and `ReportQueueUnavailable` is raised after the commit (the sweep queues it later).
    `enqueue=False` leaves running the job to the caller (demo data: `report_run` in-process)."""
    report_kind = get_kind(kind)
    if report_kind is None:
        raise ValidationError(
            {
                "kind": _("Unknown report kind “%(kind)s”. Choose one of: %(kinds)s.")
                % {"kind": kind, "kinds": ", ".join(_known_kinds())}
            }
        )
    if not report_kind.may_request.test(by):
        raise PermissionDenied(_("You may not ask for this kind of report."))
    language = _check_language(language, by=by)
    cleaned = report_clean_params(kind=report_kind, user=by, params=params)
    plain = normalise(cleaned)
    identity = {"requested_by": by, "kind": kind, "params_key": params_digest(plain), "language": language}

    existing = ReportJob.objects.filter(status__in=ReportJob.ACTIVE_STATUSES, **identity).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():  # a savepoint: the constraint may refuse a concurrent twin
            job = ReportJob.objects.create(params=plain, email_when_done=email_when_done, **identity)
    except IntegrityError:
        existing = ReportJob.objects.filter(status__in=ReportJob.ACTIVE_STATUSES, **identity).first()
        if existing is None:  # the twin finished in between: nothing to return but a fresh try
            raise
        return existing, False
    if enqueue:
        transaction.on_commit(partial(report_enqueue, job_id=job.pk))
    return job, True


def _known_kinds():
    return sorted(KINDS)


def report_enqueue(*, job_id: int) -> None:
    """Send the render task for a queued job. Safe to repeat: only one claim can win.

    The task is found by its name, not imported: `tasks` imports this module to run jobs, and the
    name is fixed anyway (queued messages carry it). `ReportsConfig.ready()` registers the tasks in
    every process, web or worker."""
    render_report = current_app.tasks[RENDER_TASK]
    ReportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(enqueued_at=timezone.now())
    options = {}
    queue = getattr(settings, "SEMPRE_REPORT_QUEUE", None)
    if queue:
        options["queue"] = queue
    try:
        render_report.apply_async(args=[job_id], **options)
    except BROKER_ERRORS as error:
        logger.warning("report job %s saved but not queued: %s", job_id, error)
        raise ReportQueueUnavailable(job_id) from error


# Working (in the worker) ------------------------------------------------------------------------


def report_claim(*, job_id: int, worker: str) -> int | None:
    """Claim a queued job for this worker: a conditional UPDATE that only one worker can win.
    Returns the attempt number (the fencing token for later writes), or None if the job is not
    queued (taken by another worker, finished, or gone)."""
    now = timezone.now()
    claimed = ReportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING,
        attempts=F("attempts") + 1,
        worker=worker[:200],
        started_at=now,
        heartbeat_at=now,
        progress_done=0,
        progress_total=0,
        error="",
    )
    if not claimed:
        return None
    return ReportJob.objects.filter(pk=job_id).values_list("attempts", flat=True).first()


def _ours(job_id: int, attempt: int):
    return ReportJob.objects.filter(pk=job_id, status=Status.RUNNING, attempts=attempt)


def report_progress(*, job_id: int, attempt: int, done: int, total: int) -> None:
    total = max(total, 0)
    done = min(max(done, 0), total)
    if not _ours(job_id, attempt).update(
        progress_done=done, progress_total=total, heartbeat_at=timezone.now()
    ):
        raise ClaimLost(job_id)


def report_fail(*, job_id: int, attempt: int, message: str) -> bool:
    return bool(
        _ours(job_id, attempt).update(status=Status.FAILED, error=message, finished_at=timezone.now())
    )


def report_release(*, job_id: int, attempt: int) -> bool:
    """Give a claimed job back to the queue after a transient error (the task retries it)."""
    if attempt >= settings.SEMPRE_REPORT_MAX_ATTEMPTS:
        return report_fail(
            job_id=job_id,
            attempt=attempt,
            message=_(
                "The report could not be made because a service was unavailable. Please ask again later."
            ),
        )
    return bool(_ours(job_id, attempt).update(status=Status.QUEUED, worker="", heartbeat_at=None))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


@transaction.atomic
def report_complete(*, job_id: int, attempt: int, path: Path, filename: str) -> ReportJob:
    """Move the rendered file into media storage and mark the job succeeded, if still ours."""
    job = ReportJob.objects.select_for_update().get(pk=job_id)
    if job.status != Status.RUNNING or job.attempts != attempt:
        raise ClaimLost(job_id)
    checksum = _sha256(path)
    with path.open("rb") as source:
        job.file.save(filename, File(source), save=False)
    stored = job.file.name
    try:
        now = timezone.now()
        job.filename = filename
        job.size = path.stat().st_size
        job.checksum = checksum
        job.status = Status.SUCCEEDED
        job.finished_at = now
        job.expires_at = now + timedelta(days=settings.SEMPRE_REPORT_EXPIRY_DAYS)
        job.progress_done = job.progress_total = max(job.progress_total, 1)
        job.save()
    except Exception:
        default_storage.delete(stored)  # no orphan file when the row cannot be written
        raise
    if job.email_when_done:
        transaction.on_commit(partial(_email_ready, job_id=job.pk))
    return job


def _filename(job: ReportJob, kind) -> str:
    return f"sempre-{job.kind.replace('_', '-')}-{timezone.localdate():%Y-%m-%d}-{job.pk}.{kind.extension}"


@contextlib.contextmanager
def _heartbeat(job_id: int, attempt: int, enabled: bool):
    """Beat in a thread while the renderer works, so a long step (one big PDF layout) does not
    look like a dead worker. When the process dies, the beats stop and the sweep takes over."""
    interval = settings.SEMPRE_REPORT_HEARTBEAT_SECONDS
    if not enabled or interval <= 0:
        yield
        return
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(interval):
                if not _ours(job_id, attempt).update(heartbeat_at=timezone.now()):
                    return
        except Exception:  # a missed beat is not worth a crash; the sweep is lenient
            logger.warning("heartbeat of report job %s failed", job_id, exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"report-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)


def _progress_callback(job_id: int, attempt: int):
    delay = settings.SEMPRE_REPORT_STEP_DELAY

    def progress(done: int, total: int) -> None:
        report_progress(job_id=job_id, attempt=attempt, done=done, total=total)
        if delay:
            stop = threading.Event()
            stop.wait(delay)  # fault tests and demos: a slow report, to watch or to interrupt

    return progress


def report_run(*, job_id: int, worker: str, heartbeat: bool = True) -> str:
    """Claim, render and store one report. Returns what happened: "skipped" (not queued: taken,
    finished or gone), "succeeded", "failed" or "lost" (another attempt took over). Transient
    errors give the job back to the queue and propagate, so the task retries with backoff.

    Not one transaction: every state change commits on its own, so progress is visible at once."""
    from celery.exceptions import SoftTimeLimitExceeded

    attempt = report_claim(job_id=job_id, worker=worker)
    if attempt is None:
        return "skipped"
    job = ReportJob.objects.select_related("requested_by").get(pk=job_id)
    kind = get_kind(job.kind)
    try:
        with _heartbeat(job_id, attempt, heartbeat), translation.override(job.language):
            if kind is None:
                raise ReportFailed(_("This kind of report is no longer offered."))
            user = job.requested_by
            if not user.is_active or not kind.may_request.test(user):
                raise ReportFailed(_("You may no longer ask for this report."))
            try:
                cleaned = report_clean_params(kind=kind, user=user, params=job.params)
            except ValidationError as error:
                raise ReportFailed(
                    _("The report's selection is no longer valid: %(reason)s")
                    % {"reason": " ".join(m for ms in error.message_dict.values() for m in ms)}
                ) from error
            with tempfile.TemporaryDirectory(prefix="sempre-report-") as folder:
                path = Path(folder) / _filename(job, kind)
                kind.render(
                    RenderContext(
                        job=job,
                        user=user,
                        params=cleaned,
                        path=path,
                        progress=_progress_callback(job_id, attempt),
                    )
                )
                report_complete(job_id=job_id, attempt=attempt, path=path, filename=path.name)
        return "succeeded"
    except ClaimLost:
        logger.warning("report job %s: attempt %s was taken over; its result is discarded", job_id, attempt)
        return "lost"
    except ReportFailed as failure:
        report_fail(job_id=job_id, attempt=attempt, message=str(failure))
        return "failed"
    except SoftTimeLimitExceeded:
        with translation.override(job.language):
            report_fail(
                job_id=job_id,
                attempt=attempt,
                message=_(
                    "The report took too long and was stopped. Try a smaller selection, "
                    "for example one country or a shorter period."
                ),
            )
        return "failed"
    except TRANSIENT_ERRORS:
        logger.warning("report job %s: transient error, retrying", job_id, exc_info=True)
        with contextlib.suppress(*TRANSIENT_ERRORS):
            report_release(job_id=job_id, attempt=attempt)
        raise
    except Exception:
        logger.exception("report job %s failed", job_id)
        with translation.override(job.language):
            report_fail(
                job_id=job_id,
                attempt=attempt,
                message=_("Something went wrong while making this report. Please ask again later."),
            )
        return "failed"


def _email_ready(*, job_id: int) -> None:
    job = ReportJob.objects.select_related("requested_by").get(pk=job_id)
    if not job.requested_by.email:
        return
    # In the requester's language, which may differ from the report's (sempre.languages).
    with translation.override(language_of(job.requested_by, fallback=job.language)):
        link = settings.SEMPRE_SITE_URL.rstrip("/") + reverse("reports:download", args=[job.pk])
        kind = get_kind(job.kind)
        context = {"job": job, "link": link, "kind_label": kind.label if kind else job.kind}
        try:
            send_mail(
                subject=_("Your SEMPRE report is ready"),
                message=render_to_string("reports/email/ready.txt", context),
                from_email=None,
                recipient_list=[job.requested_by.email],
            )
        except OSError:  # the report stays downloadable from the Reports page
            logger.warning("could not e-mail report job %s", job_id, exc_info=True)


# Housekeeping (Celery beat) ---------------------------------------------------------------------


def report_sweep(*, now=None) -> dict:
    """Find lost work: fail jobs running past the hard time limit, requeue jobs whose worker is
    gone (no heartbeat within the lease) or that no worker took, fail jobs nobody took in a day."""
    now = now or timezone.now()
    lease = timedelta(seconds=settings.SEMPRE_REPORT_LEASE_SECONDS)
    hard_limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) + lease
    counts = {"timed_out": 0, "requeued": 0, "abandoned": 0, "gave_up": 0}

    counts["timed_out"] = ReportJob.objects.filter(
        status=Status.RUNNING, started_at__lt=now - hard_limit
    ).update(
        status=Status.FAILED,
        finished_at=now,
        error=_(
            "The report took too long and was stopped. Try a smaller selection, for example one country."
        ),
    )

    stale = ReportJob.objects.filter(status=Status.RUNNING).filter(
        Q(heartbeat_at__lt=now - lease) | Q(heartbeat_at__isnull=True)
    )
    counts["gave_up"] += stale.filter(attempts__gte=settings.SEMPRE_REPORT_MAX_ATTEMPTS).update(
        status=Status.FAILED,
        finished_at=now,
        error=_("The report stopped several times before it was finished. Please ask again later."),
    )
    to_queue = []
    for job_id, attempt in stale.values_list("pk", "attempts")[:500]:
        if (
            _ours(job_id, attempt)
            .filter(Q(heartbeat_at__lt=now - lease) | Q(heartbeat_at__isnull=True))
            .update(status=Status.QUEUED, worker="", heartbeat_at=None)
        ):
            counts["abandoned"] += 1
            to_queue.append(job_id)

    counts["gave_up"] += ReportJob.objects.filter(
        status=Status.QUEUED, created_at__lt=now - timedelta(days=1)
    ).update(
        status=Status.FAILED,
        finished_at=now,
        error=_("No worker was free to make this report within a day. Please ask again."),
    )
    requeue_after = timedelta(seconds=settings.SEMPRE_REPORT_REQUEUE_AFTER_SECONDS)
    waiting = ReportJob.objects.filter(status=Status.QUEUED).filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lte=now - requeue_after)
    )
    to_queue.extend(pk for pk in waiting.values_list("pk", flat=True)[:500] if pk not in to_queue)
    for job_id in to_queue:
        try:
            report_enqueue(job_id=job_id)
        except ReportQueueUnavailable:
            break  # the broker is down: the next sweep tries again
        counts["requeued"] += 1
    if any(counts.values()):
        logger.info("report sweep: %s", counts)
    return counts


def report_expire(*, now=None) -> int:
    """Delete the files of reports past their expiry date; the jobs stay, marked expired."""
    now = now or timezone.now()
    expired = 0
    due = ReportJob.objects.filter(status=Status.SUCCEEDED, expires_at__lte=now)
    for job_id, name in due.values_list("pk", "file")[:1000]:
        updated = ReportJob.objects.filter(pk=job_id, status=Status.SUCCEEDED).update(
            status=Status.EXPIRED, file="", size=None
        )
        if updated and name:
            try:
                default_storage.delete(name)
            except OSError:
                logger.warning("could not delete expired report file %s", name, exc_info=True)
        expired += updated
    return expired


def _previous_month(today: date) -> tuple[date, date]:
    first_of_this_month = today.replace(day=1)
    last_of_previous = first_of_this_month - timedelta(days=1)
    return last_of_previous.replace(day=1), last_of_previous


def report_digest_send(*, today: date | None = None) -> list[ReportJob]:
    """The monthly digest: each kind registered with `monthly_digest` (the programme PDF) for the
    past month, for every coordinator with an e-mail address, e-mailed with a link when ready.
    Running it twice in a month sends nothing new (an existing digest job for the month is
    reused)."""
    from django.contrib.auth import get_user_model

    start, end = _previous_month(today or timezone.localdate())
    params = {"date_from": start.isoformat(), "date_to": end.isoformat()}
    jobs = []
    coordinators = get_user_model().objects.filter(is_active=True, is_coordinator=True).exclude(email="")
    for coordinator in coordinators.order_by("pk"):
        for kind in monthly_digest_kinds():
            earlier = ReportJob.objects.filter(
                requested_by=coordinator,
                kind=kind.name,
                params_key=params_digest(params),
                email_when_done=True,
            ).exclude(status=Status.FAILED)
            if earlier.exists():
                continue
            try:
                job, _created = report_request(
                    by=coordinator,
                    kind=kind.name,
                    params=params,
                    language=language_of(coordinator),
                    email_when_done=True,
                )
            except ReportQueueUnavailable as unavailable:
                job = ReportJob.objects.get(pk=unavailable.job_id)  # saved; the sweep queues it
            jobs.append(job)
    return jobs


# Downloads ---------------------------------------------------------------------------------------


def report_may_download(*, user, job: ReportJob) -> bool:
    """Checked again at download time: the requester (or a coordinator) who may still ask for
    this report with these parameters today."""
    if not user.has_perm("reports.view_reportjob", job):
        return False
    kind = get_kind(job.kind)
    if kind is None or not kind.may_request.test(user):
        return False
    try:
        report_clean_params(kind=kind, user=user, params=job.params)
    except ValidationError:
        return False
    return True
