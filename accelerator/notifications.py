"""The accelerator's notifications and calendar events, registered with the core
(sempre.notifications, sempre.calendar) from `AcceleratorConfig.ready()`:

- a review assigned to a reviewer, due within 3 days, or late (kind "accelerator.review");
- a start-up's past month without figures (kind "accelerator.startup_figures");
- in the calendar feed: the rounds' dates (opens, closes) for whoever sees the round, review
  deadlines for coordinators and the round's reviewers, start-up milestones and mentoring
  sessions for whoever sees the start-up.
"""

from datetime import date, timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from microprojects.notifications import project_recipients, recipient_prefetch
from sempre import calendar, notifications
from sempre.models import Delivery
from sempre.rules import is_org_staff, is_reviewer

from .models import Application, MonthlyFigure, Review, ReviewAssignment, Round, StartUp
from .selectors import rounds_visible_to, startups_visible_to

REVIEW_DUE_DAYS = 3
# A month's figures are asked for once the next month is this many days old.
FIGURES_GRACE_DAYS = 5


def reviews_due(now):
    """Each reviewer's active assignments without a submitted review in a round that is open or
    reviewing: once when assigned, once when the deadline is 3 days away, once when it has passed."""
    assignments = (
        ReviewAssignment.objects.filter(
            status=ReviewAssignment.Status.ACTIVE,
            application__round__status__in=(Round.Status.OPEN, Round.Status.REVIEWING),
        )
        .exclude(application__status=Application.Status.WITHDRAWN)
        .exclude(Exists(Review.objects.filter(assignment=OuterRef("pk"), submitted_at__isnull=False)))
        .select_related("reviewer", "application__round")
        .order_by("pk")
    )
    for assignment in assignments:
        round = assignment.application.round
        url = reverse("accelerator:review", args=[assignment.pk])
        occasions = ["assigned"]
        if round.review_deadline < now:
            occasions.append("late")
        elif round.review_deadline - now <= timedelta(days=REVIEW_DUE_DAYS):
            occasions.append(f"due-{REVIEW_DUE_DAYS}")
        for occasion in occasions:

            def title(round=round, occasion=occasion, assignment=assignment):
                values = {"round": round.title, "number": assignment.application_id}
                if occasion == "assigned":
                    return _("A review was assigned to you: application %(number)s in “%(round)s”") % values
                if occasion == "late":
                    return _("Your review of application %(number)s in “%(round)s” is late") % values
                return _("Your review of application %(number)s in “%(round)s” is due in 3 days") % values

            yield notifications.Due(
                recipient=assignment.reviewer, target=assignment, occasion=occasion, title=title, url=url
            )


def _previous_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def startup_months_without_figures(now):
    """Each start-up that was there for the whole past month and has no figures for it, from the
    5th of the month on, once per month."""
    today = now.date()
    if today.day < FIGURES_GRACE_DAYS:
        return
    month = _previous_month(today)
    startups = (
        StartUp.objects.filter(created_at__date__lt=month)
        .exclude(Exists(MonthlyFigure.objects.filter(startup=OuterRef("pk"), month=month)))
        .select_related("application__project__organisation")
        .prefetch_related(*recipient_prefetch("application__project__"))
        .order_by("pk")
    )
    for startup in startups:

        def title(startup=startup):
            return _("%(startup)s: no figures yet for %(month)s") % {
                "startup": startup.name,
                "month": f"{month:%Y-%m}",
            }

        for person in project_recipients(startup.application.project):
            yield notifications.Due(
                recipient=person,
                target=startup,
                occasion=f"figures-{month:%Y-%m}",
                title=title,
                url=reverse("accelerator:startup", args=[startup.pk]),
            )


# Calendar ----------------------------------------------------------------------------------------


def accelerator_events(user):
    """Round dates, review deadlines, milestones and mentoring sessions that `user` may see
    (rounds_visible_to, startups_visible_to), in five queries however many there are."""
    if user.is_coordinator:
        reviewing = None  # every round's review deadline
    else:
        reviewing = set(
            ReviewAssignment.objects.filter(reviewer=user, status=ReviewAssignment.Status.ACTIVE).values_list(
                "application__round_id", flat=True
            )
        )
    for round in rounds_visible_to(user).order_by("pk"):
        link = reverse("accelerator:round", args=[round.pk])
        yield calendar.Event(
            uid=f"accelerator-round-{round.pk}-opens",
            summary=_("Round opens: %(round)s") % {"round": round.title},
            start=round.opens_at,
            url=link,
        )
        yield calendar.Event(
            uid=f"accelerator-round-{round.pk}-closes",
            summary=_("Round closes for applications: %(round)s") % {"round": round.title},
            start=round.closes_at,
            url=link,
        )
        if reviewing is None or round.pk in reviewing:
            yield calendar.Event(
                uid=f"accelerator-round-{round.pk}-review-deadline",
                summary=_("Review deadline: %(round)s") % {"round": round.title},
                start=round.review_deadline,
                url=link if reviewing is None else reverse("accelerator:inbox"),
            )
    startups = startups_visible_to(user).prefetch_related("milestones", "mentoring_sessions").order_by("pk")
    for startup in startups:
        link = reverse("accelerator:startup", args=[startup.pk])
        for milestone in startup.milestones.all():
            yield calendar.Event(
                uid=f"accelerator-milestone-{milestone.pk}",
                summary=_("Milestone of %(startup)s: %(milestone)s")
                % {"startup": startup.name, "milestone": milestone.title},
                start=milestone.due,
                url=link,
                description=_("Done on %(date)s") % {"date": milestone.done_on.isoformat()}
                if milestone.done_on
                else "",
            )
        for session in startup.mentoring_sessions.all():
            yield calendar.Event(
                uid=f"accelerator-mentoring-{session.pk}",
                summary=_("Mentoring session of %(startup)s with %(mentor)s")
                % {"startup": startup.name, "mentor": session.mentor},
                start=session.date,
                url=link,
            )


def register() -> None:
    notifications.register(
        notifications.Kind(
            key="accelerator.review",
            label=gettext_lazy("Reviews assigned to you, due soon or late"),
            help_text=gettext_lazy(
                "When an application is assigned to you, 3 days before the review deadline, "
                "and when it has passed."
            ),
            due=reviews_due,
            shown_to=is_reviewer,
            default=Delivery.IMMEDIATELY,
            order=150,
        )
    )
    notifications.register(
        notifications.Kind(
            key="accelerator.startup_figures",
            label=gettext_lazy("A start-up's month without figures"),
            help_text=gettext_lazy(
                "From the 5th of a month, when your start-up has no figures for the month before."
            ),
            due=startup_months_without_figures,
            shown_to=is_org_staff,
            default=Delivery.IMMEDIATELY,
            order=400,
        )
    )
    calendar.register(calendar.Source(key="accelerator", events=accelerator_events))
