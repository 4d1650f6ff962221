"""The private calendar feed (sempre.calendar): an iCalendar file read back with the `icalendar`
parser, with what the person may see and nothing of another organisation, at a link whose token is
kept only as a hash and which a new link or turning it off revokes."""

import datetime as dt
import json

import icalendar
import pytest
from django.urls import reverse

from accelerator.models import MentoringSession, Milestone
from sempre import audit, privacy
from sempre.calendar import calendar_link_new, calendar_link_off, token_hash
from sempre.models import AuditEvent, CalendarFeed

from .notification_helpers import assignment_for, progress_report_of, startup_of

pytestmark = pytest.mark.django_db


def feed_of(client, token):
    return client.get(reverse("calendar-feed", args=[token]))


def events_in(response) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_parses_and_holds_ones_startups_dates_and_nothing_of_another_organisation(
    client, social_worker, organisation, other_organisation, settings
):
    settings.SEMPRE_SITE_URL = "https://sempre.example.org"
    own = startup_of(organisation, lead=social_worker, name="Village Bakery")
    theirs = startup_of(other_organisation, name="Their Sauna")
    milestone = Milestone.objects.create(startup=own, title="First market day", due=dt.date(2027, 3, 1))
    Milestone.objects.create(startup=theirs, title="Secret plan", due=dt.date(2027, 3, 2))
    session = MentoringSession.objects.create(startup=own, date=dt.date(2027, 2, 1), mentor="Maija")
    MentoringSession.objects.create(startup=theirs, date=dt.date(2027, 2, 2), mentor="Hidden")
    token = calendar_link_new(user=social_worker)

    response = feed_of(client, token)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = events_in(response)
    event = events[f"accelerator-milestone-{milestone.pk}@sempre.example.org"]
    assert "First market day" in str(event["summary"])
    assert event.decoded("dtstart") == dt.date(2027, 3, 1)
    assert str(event["url"]) == "https://sempre.example.org" + reverse("accelerator:startup", args=[own.pk])
    assert f"accelerator-mentoring-{session.pk}@sempre.example.org" in events
    text = response.content.decode()
    for other in ("Secret plan", "Hidden", "Their Sauna"):
        assert other not in text


def test_round_dates_for_everyone_who_sees_the_round_and_the_review_deadline_for_its_reviewers(
    client, reviewer, social_worker, organisation
):
    assignment = assignment_for(reviewer, organisation)
    round = assignment.application.round
    events_of = {}
    for person in (reviewer, social_worker):
        events_of[person] = events_in(feed_of(client, calendar_link_new(user=person)))

    for person in (reviewer, social_worker):
        summaries = [str(event["summary"]) for event in events_of[person].values()]
        assert f"Round opens: {round.title}" in summaries
    deadline = [
        uid for uid in events_of[reviewer] if uid.startswith(f"accelerator-round-{round.pk}-review-deadline")
    ]
    assert len(deadline) == 1
    assert events_of[reviewer][deadline[0]].decoded("dtstart") == round.review_deadline.replace(microsecond=0)
    assert not any("review-deadline" in uid for uid in events_of[social_worker])


def test_report_deadlines_for_the_projects_staff_and_each_period_for_coordinators(
    client, social_worker, other_social_worker, coordinator, organisation
):
    report = progress_report_of(organisation, due_in_days=20)

    own = events_in(feed_of(client, calendar_link_new(user=social_worker)))
    other = events_in(feed_of(client, calendar_link_new(user=other_social_worker)))
    programme = events_in(feed_of(client, calendar_link_new(user=coordinator)))

    [uid] = [uid for uid in own if uid.startswith(f"programme-report-{report.pk}-due@")]
    assert own[uid].decoded("dtstart") == report.period.due
    assert str(own[uid]["url"]).endswith(reverse("programme:progress_report", args=[report.pk]))
    assert not any(uid.startswith("programme-") for uid in other)
    assert any(uid.startswith(f"programme-period-{report.period.pk}-due@") for uid in programme)


def test_an_events_uid_stays_the_same_from_one_read_to_the_next(client, social_worker, organisation):
    startup = startup_of(organisation, lead=social_worker)
    Milestone.objects.create(startup=startup, title="Opening", due=dt.date(2027, 1, 1))
    token = calendar_link_new(user=social_worker)

    assert set(events_in(feed_of(client, token))) == set(events_in(feed_of(client, token)))


def test_only_a_hash_of_the_token_is_kept_and_a_new_link_is_in_the_audit_log(social_worker):
    token = calendar_link_new(user=social_worker)

    feed = CalendarFeed.objects.get(user=social_worker)
    assert feed.token_hash == token_hash(token) != token
    assert AuditEvent.objects.filter(actor=social_worker, action=audit.CALENDAR_LINK_NEW).count() == 1


def test_a_persons_data_export_says_when_the_link_was_made_but_not_its_hash(social_worker):
    calendar_link_new(user=social_worker)
    feed = CalendarFeed.objects.get(user=social_worker)

    data = privacy.user_data_export(user=social_worker)

    assert data["calendar_links"] == [{"created_at": feed.created_at}]
    assert feed.token_hash not in json.dumps(data, default=str)


def test_a_new_link_revokes_the_old_one(client, social_worker):
    old = calendar_link_new(user=social_worker)
    new = calendar_link_new(user=social_worker)

    assert feed_of(client, old).status_code == 404
    assert feed_of(client, new).status_code == 200


def test_a_link_turned_off_or_unknown_or_of_a_deactivated_person_answers_404(client, social_worker, reviewer):
    token = calendar_link_new(user=social_worker)
    calendar_link_off(user=social_worker)
    other = calendar_link_new(user=reviewer)
    reviewer.is_active = False
    reviewer.save()

    assert feed_of(client, token).status_code == 404
    assert feed_of(client, "no-such-token").status_code == 404
    assert feed_of(client, other).status_code == 404
    assert AuditEvent.objects.filter(actor=social_worker, action=audit.CALENDAR_LINK_OFF).exists()


def test_the_account_page_shows_a_new_link_once_and_turns_it_off(client, social_worker):
    client.force_login(social_worker)

    response = client.post(reverse("calendar-link"), {"action": "new"})

    assert response.status_code == 200
    url = response.context["new_url"]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert feed_of(client, token).status_code == 200
    assert url not in client.get(reverse("calendar-link")).content.decode()
    assert client.post(reverse("calendar-link"), {"action": "off"}).status_code == 302
    assert feed_of(client, token).status_code == 404
    assert client.post(reverse("calendar-link"), {"action": "other"}).status_code == 400


@pytest.mark.parametrize("count", [1, 6])
def test_the_feed_reads_a_fixed_number_of_queries(
    client, social_worker, organisation, django_assert_num_queries, count
):
    for number in range(count):
        startup = startup_of(organisation, lead=social_worker, name=f"Start-up {number}")
        Milestone.objects.create(startup=startup, title=f"Milestone {number}", due=dt.date(2027, 1, 1))
        MentoringSession.objects.create(startup=startup, date=dt.date(2027, 2, 1), mentor="Maija")
        progress_report_of(organisation, due_in_days=20 + number)
    token = calendar_link_new(user=social_worker)

    with django_assert_num_queries(8):
        response = feed_of(client, token)
    events = events_in(response)
    assert len([uid for uid in events if "milestone" in uid]) == count
    assert len([uid for uid in events if uid.startswith("programme-report-")]) == count
