"""Notifications (sempre.notifications): each made and e-mailed once, in the recipient's language,
as the recipient chose (immediately, a daily or weekly digest, off); the kinds the apps register;
the list page and the choices page."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from accelerator.models import MonthlyFigure, Review
from microprojects.models import Indicator, Measurement
from sempre import notifications
from sempre.models import Delivery, Notification, NotificationChoice
from sempre.notifications import services, tasks
from tests.cocreation.factories import ContributionFactory, InviteFactory, ToolInstanceFactory
from tests.factories import MicroProjectFactory, UserFactory

from .notification_helpers import assignment_for, progress_report_of, startup_of

pytestmark = pytest.mark.django_db

REVIEW = "accelerator.review"


def made(kind=None, **filters):
    rows = Notification.objects.filter(**filters)
    return list(rows.filter(kind=kind) if kind else rows)


# Each sent once -----------------------------------------------------------------------------------


def test_a_review_assigned_is_made_and_emailed_once_when_the_task_runs_twice(reviewer, organisation):
    assignment = assignment_for(reviewer, organisation)

    first = tasks.collect.delay().result
    second = tasks.collect.delay().result

    assert first == {"made": 1, "emailed": 1}
    assert second == {"made": 0, "emailed": 0}
    [notification] = made(REVIEW, recipient=reviewer)
    assert notification.occasion == "assigned"
    assert notification.url == reverse("accelerator:review", args=[assignment.pk])
    assert [message.to for message in mail.outbox] == [[reviewer.email]]
    assert reverse("accelerator:review", args=[assignment.pk]) in mail.outbox[0].body
    reviewer.refresh_from_db()
    assert reviewer.unread_notifications == 1


def test_a_notification_already_in_the_sent_log_is_not_made_again(reviewer, organisation):
    """What another run wrote first (the unique key) is neither made again nor an error."""
    assignment_for(reviewer, organisation)
    services.notifications_collect()
    Notification.objects.update(title="written by the other run")

    assert services.notifications_collect() == 0
    assert [n.title for n in made(REVIEW)] == ["written by the other run"]


def test_a_review_due_in_three_days_and_then_late_each_once(reviewer, organisation):
    assignment = assignment_for(reviewer, organisation, deadline_in_days=2)
    services.notifications_collect()
    services.notifications_collect(now=timezone.now() + dt.timedelta(days=3))
    services.notifications_collect(now=timezone.now() + dt.timedelta(days=4))

    assert sorted(n.occasion for n in made(REVIEW, target_id=str(assignment.pk))) == [
        "assigned",
        "due-3",
        "late",
    ]


def test_a_submitted_review_makes_no_reminder(reviewer, organisation):
    assignment = assignment_for(reviewer, organisation, deadline_in_days=2)
    Review.objects.create(assignment=assignment, submitted_at=timezone.now())

    assert services.notifications_collect() == 0


def test_a_broken_kind_keeps_no_other_kinds_reminder_back_and_fails_the_run(reviewer, organisation):
    def broken(now):
        raise RuntimeError("a bug in some app")

    assignment_for(reviewer, organisation)
    notifications.register(notifications.Kind(key="aaa.broken", label="Broken", due=broken))
    try:
        with pytest.raises(RuntimeError):
            services.notifications_collect()
    finally:
        notifications.registry.unregister("aaa.broken")

    assert len(made(REVIEW)) == 1


def test_celery_beat_runs_the_collection_hourly_and_both_digests(settings):
    from config.celery import app

    app.loader.import_default_modules()
    ours = {
        "sempre.notifications.collect",
        "sempre.notifications.daily_digest",
        "sempre.notifications.weekly_digest",
    }
    assert ours <= {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert ours <= set(app.tasks)


# Choices: immediately, digests, off ---------------------------------------------------------------


def test_nothing_is_made_or_sent_for_an_opted_out_kind(reviewer, organisation):
    NotificationChoice.objects.create(user=reviewer, kind=REVIEW, delivery=Delivery.OFF)
    assignment_for(reviewer, organisation)

    tasks.collect.delay()

    assert made(recipient=reviewer) == []
    assert mail.outbox == []


def test_the_daily_digest_collects_what_was_not_emailed_once_in_one_email(reviewer, organisation):
    NotificationChoice.objects.create(user=reviewer, kind=REVIEW, delivery=Delivery.DAILY)
    assignment_for(reviewer, organisation)
    assignment_for(reviewer, organisation)
    tasks.collect.delay()
    assert mail.outbox == []  # not at once

    assert tasks.weekly_digest.delay().result == 0  # not theirs
    assert tasks.daily_digest.delay().result == 1
    assert tasks.daily_digest.delay().result == 0

    [message] = mail.outbox
    assert message.to == [reviewer.email]
    assert message.subject == "SEMPRE: 2 new notifications"
    assert all(n.title in message.body for n in made(REVIEW))
    assert all(n.emailed_at is not None for n in made(REVIEW))


def test_the_weekly_digest_sends_the_weekly_choices(reviewer, organisation):
    NotificationChoice.objects.create(user=reviewer, kind=REVIEW, delivery=Delivery.WEEKLY)
    assignment_for(reviewer, organisation)
    tasks.collect.delay()

    assert tasks.daily_digest.delay().result == 0
    assert tasks.weekly_digest.delay().result == 1
    assert "past week" in mail.outbox[0].body


def test_a_person_without_an_email_address_sees_it_on_the_platform_only(organisation):
    reviewer = UserFactory(is_reviewer=True, email="")
    assignment_for(reviewer, organisation)

    assert tasks.collect.delay().result == {"made": 1, "emailed": 0}
    assert mail.outbox == []


# In the recipient's language ----------------------------------------------------------------------


def test_each_notification_is_written_and_emailed_in_its_recipients_language(organisation):
    latvian = UserFactory(language="lv")
    english = UserFactory(language="")
    kind = notifications.register(
        notifications.Kind(
            key="tests.language",
            label="Language",
            due=lambda now: [
                notifications.Due(
                    recipient=person, target=organisation, occasion="once", title=translation.get_language
                )
                for person in (latvian, english)
            ],
        )
    )
    try:
        with translation.override("de"):
            tasks.collect.delay()
    finally:
        notifications.registry.unregister(kind.key)

    assert made("tests.language", recipient=latvian)[0].title == "lv"
    assert made("tests.language", recipient=english)[0].title == "en"
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert by_recipient[latvian.email].subject == "lv"


def test_the_latvian_subject_of_a_digest(reviewer, organisation):
    reviewer.language = "lv"
    reviewer.save()
    NotificationChoice.objects.create(user=reviewer, kind=REVIEW, delivery=Delivery.DAILY)
    assignment_for(reviewer, organisation)
    tasks.collect.delay()
    tasks.daily_digest.delay()

    with translation.override("lv"):
        expected = translation.ngettext(
            "SEMPRE: %(count)d new notification", "SEMPRE: %(count)d new notifications", 1
        ) % {"count": 1}
    assert mail.outbox[0].subject == expected


# The kinds the apps register ----------------------------------------------------------------------


def test_a_startups_month_without_figures_reaches_its_project_lead_once_a_month(social_worker, organisation):
    startup = startup_of(organisation, lead=social_worker)
    today = timezone.now().replace(day=10)
    last_month = (today.date().replace(day=1) - dt.timedelta(days=1)).replace(day=1)

    services.notifications_collect(now=today)
    services.notifications_collect(now=today + dt.timedelta(days=1))

    [notification] = made("accelerator.startup_figures")
    assert notification.recipient == social_worker
    assert notification.occasion == f"figures-{last_month:%Y-%m}"
    assert notification.url == reverse("accelerator:startup", args=[startup.pk])


def test_a_startup_with_last_months_figures_is_not_reminded(social_worker, organisation):
    startup = startup_of(organisation, lead=social_worker)
    today = timezone.now().replace(day=10)
    last_month = (today.date().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    MonthlyFigure.objects.create(startup=startup, month=last_month)

    services.notifications_collect(now=today)

    assert made("accelerator.startup_figures") == []


def test_contributions_waiting_more_than_n_days_remind_the_projects_people(
    social_worker, other_social_worker, organisation, settings
):
    settings.SEMPRE_CONTRIBUTION_REMINDER_DAYS = 7
    tool = ToolInstanceFactory(project=MicroProjectFactory(organisation=organisation))
    invite = InviteFactory(tool=tool)
    old = ContributionFactory(invite=invite)
    ContributionFactory(invite=invite)  # a fresh one, not waiting long
    type(old).objects.filter(pk=old.pk).update(status_changed_at=timezone.now() - dt.timedelta(days=8))

    services.notifications_collect()
    services.notifications_collect()

    [notification] = made("cocreation.contributions_waiting")
    assert notification.recipient == social_worker  # the organisation's people, no leads named
    assert notification.occasion == f"waiting-{old.pk}"
    assert "1 client contribution" in notification.title
    assert notification.url == reverse("cocreation:queue") + f"?tool={tool.pk}"


def test_an_indicator_off_track_reminds_the_project_lead(social_worker, org_admin, organisation):
    project = MicroProjectFactory(
        organisation=organisation, status="active", start_date=timezone.localdate() - dt.timedelta(days=300)
    )
    project.lead_social_workers.add(social_worker)
    indicator = Indicator.objects.create(
        project=project,
        name="Bags sold",
        baseline=0,
        target=100,
        target_date=timezone.localdate() + dt.timedelta(days=30),
    )
    Measurement.objects.create(indicator=indicator, date=timezone.localdate(), value=5)

    services.notifications_collect()

    [notification] = made("microprojects.indicator_off_track")
    assert notification.recipient == social_worker  # the lead, not every member
    assert "Bags sold" in notification.title


def test_a_progress_report_is_reminded_14_and_3_days_before_it_is_due_and_when_late_each_once(
    social_worker, organisation
):
    report = progress_report_of(organisation, due_in_days=20, lead=social_worker)
    now = timezone.now()
    for days in (0, 7, 8, 17, 18, 21, 22):
        services.notifications_collect(now=now + dt.timedelta(days=days))

    reminders = made("programme.progress_report_due", target_id=str(report.pk))
    assert sorted(n.occasion for n in reminders) == ["due-14", "due-3", "late"]
    assert {n.recipient for n in reminders} == {social_worker}
    assert all(n.url == reverse("programme:progress_report", args=[report.pk]) for n in reminders)


def test_a_submitted_progress_report_is_not_reminded(social_worker, organisation):
    progress_report_of(organisation, due_in_days=2, lead=social_worker, status="submitted")

    services.notifications_collect()

    assert made("programme.progress_report_due") == []


def test_a_case_returned_then_published_tells_its_team_once_each(social_worker, organisation):
    from exchange.models import Case

    project = MicroProjectFactory(organisation=organisation)
    project.lead_social_workers.add(social_worker)
    case = Case.objects.create(
        project=project,
        title="Kitchen table talks",
        summary="s",
        status=Case.Status.RETURNED,
        submitted_at=timezone.now(),
    )
    services.notifications_collect()
    services.notifications_collect()
    Case.objects.filter(pk=case.pk).update(status=Case.Status.PUBLISHED, published_at=timezone.now())
    services.notifications_collect()
    services.notifications_collect()

    notes = made("exchange.case_status", recipient=social_worker)
    assert sorted(n.occasion.split("-")[0] for n in notes) == ["published", "returned"]
    assert all(n.url == reverse("exchange:case", args=[case.pk]) for n in notes)


# Reading them -------------------------------------------------------------------------------------


def _three_for(user):
    for number in range(3):
        Notification.objects.create(
            recipient=user,
            kind=REVIEW,
            target_type="x",
            target_id=str(number),
            occasion="o",
            title=f"Note {number}",
            delivery=Delivery.IMMEDIATELY,
        )
    services.unread_recount(user_ids=[user.pk])


def test_the_navigation_shows_the_unread_count_and_marking_one_read_lowers_it(client, social_worker):
    _three_for(social_worker)
    client.force_login(social_worker)
    assert "Notifications, 3 unread" in client.get(reverse("dashboard")).content.decode()

    first = Notification.objects.filter(recipient=social_worker).first()
    response = client.post(reverse("notifications-read"), {"notification": first.pk})

    assert response.status_code == 302
    social_worker.refresh_from_db()
    assert social_worker.unread_notifications == 2
    client.post(reverse("notifications-read"))
    social_worker.refresh_from_db()
    assert social_worker.unread_notifications == 0
    assert "unread" not in client.get(reverse("dashboard")).content.decode()


def test_following_a_notification_marks_it_read_and_goes_to_its_page(
    client, social_worker, other_social_worker
):
    _three_for(social_worker)
    _three_for(other_social_worker)
    mine = Notification.objects.filter(recipient=social_worker).first()
    Notification.objects.filter(pk=mine.pk).update(url="/projects/")
    theirs = Notification.objects.filter(recipient=other_social_worker).first()
    client.force_login(social_worker)

    response = client.get(reverse("notification-open", args=[mine.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/projects/"
    social_worker.refresh_from_db()
    assert social_worker.unread_notifications == 2
    assert client.get(reverse("notification-open", args=[theirs.pk])).status_code == 404


def test_a_notification_link_off_the_platform_is_not_followed(client, social_worker):
    _three_for(social_worker)
    odd = Notification.objects.filter(recipient=social_worker).first()
    Notification.objects.filter(pk=odd.pk).update(url="https://elsewhere.example/")
    client.force_login(social_worker)

    assert client.get(reverse("notification-open", args=[odd.pk]))["Location"] == reverse("notifications")


def test_another_persons_notification_cannot_be_marked_read(client, social_worker, other_social_worker):
    _three_for(other_social_worker)
    theirs = Notification.objects.filter(recipient=other_social_worker).first()
    client.force_login(social_worker)

    client.post(reverse("notifications-read"), {"notification": theirs.pk})

    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_list_shows_only_ones_own(client, social_worker, other_social_worker):
    _three_for(other_social_worker)
    client.force_login(social_worker)

    response = client.get(reverse("notifications"))

    assert response.status_code == 200
    assert "Note 1" not in response.content.decode()


@pytest.mark.parametrize("count", [1, 12])
def test_the_list_reads_a_fixed_number_of_queries(client, social_worker, django_assert_num_queries, count):
    for number in range(count):
        Notification.objects.create(
            recipient=social_worker,
            kind=REVIEW,
            target_type="x",
            target_id=str(number),
            occasion="o",
            title=f"Note {number}",
            delivery=Delivery.DAILY,
        )
    client.force_login(social_worker)
    client.get(reverse("notifications"))  # the session is cached from here on

    with django_assert_num_queries(4):
        response = client.get(reverse("notifications"))
    assert response.content.decode().count("Note ") == count


# Choices page -------------------------------------------------------------------------------------


def test_the_choices_page_offers_the_kinds_of_ones_role_and_saves_them(client, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("notification-choices"))
    assert REVIEW in page.context["form"].fields
    assert "cocreation.contributions_waiting" not in page.context["form"].fields

    response = client.post(reverse("notification-choices"), {REVIEW: Delivery.WEEKLY})

    assert response.status_code == 302
    assert NotificationChoice.objects.get(user=reviewer, kind=REVIEW).delivery == Delivery.WEEKLY


def test_a_bad_choice_names_its_field_and_saves_nothing(client, social_worker):
    client.force_login(social_worker)

    response = client.post(
        reverse("notification-choices"),
        {"cocreation.contributions_waiting": "hourly", "accelerator.startup_figures": Delivery.OFF},
    )

    assert response.status_code == 400
    assert "cocreation.contributions_waiting" in response.context["form"].errors
    assert not NotificationChoice.objects.exists()


def test_a_social_workers_choices_start_with_progress_reports(client, social_worker):
    client.force_login(social_worker)

    fields = list(client.get(reverse("notification-choices")).context["form"].fields)

    assert fields[0] == "programme.progress_report_due"
    assert REVIEW not in fields  # a reviewer's choice
