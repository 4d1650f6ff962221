"""Reminders and the calendar on a phone (issue #21 §3): Anna sees in the menu that a reminder
waits, reads it and marks it read, chooses a weekly e-mail for indicators off track, and makes her
calendar link, which a calendar app can read. Every page is checked with axe and may not scroll
sideways on a 360 px phone (conftest.py)."""

import icalendar
import pytest
from playwright.sync_api import expect

from sempre.models import Delivery, Notification, NotificationChoice
from sempre.notifications.services import unread_recount

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SMALL_PHONE = {"width": 360, "height": 740}


@pytest.mark.slow(8)
def test_anna_reads_a_reminder_chooses_how_and_makes_her_calendar_link_on_a_phone(
    open_journey, anna, fruit_bags
):
    Notification.objects.create(
        recipient=anna,
        kind="programme.progress_report_due",
        target_type="microprojects.microproject",
        target_id=str(fruit_bags.pk),
        occasion="due-3",
        title="Progress report of Fruit bags is due on 31 Jan 2027",
        url=f"/projects/{fruit_bags.pk}/",
        delivery=Delivery.IMMEDIATELY,
    )
    unread_recount(user_ids=[anna.pk])
    journey = open_journey(viewport=SMALL_PHONE)
    page = journey.page
    main = page.locator("main")
    journey.login("anna")

    page.get_by_role("link", name="Notifications, 1 unread").click()
    journey.check()
    expect(
        main.get_by_role("link", name="Progress report of Fruit bags is due on 31 Jan 2027")
    ).to_be_visible()
    main.get_by_role("button", name="Mark as read").click()
    journey.check("read")
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Notifications")
    ).to_have_text("Notifications")

    main.get_by_role("link", name="Choose which notifications you get and when").click()
    journey.check()
    page.get_by_role("group", name="An indicator of your projects is off track").get_by_label(
        "In a weekly e-mail (Mondays)"
    ).check()
    main.get_by_role("button", name="Save").click()
    journey.check("saved")
    assert (
        NotificationChoice.objects.get(user=anna, kind="microprojects.indicator_off_track").delivery
        == "weekly"
    )

    main.get_by_role("link", name="Calendar feed").click()
    journey.check()
    main.get_by_role("button", name="Make my calendar link").click()
    journey.check("made")
    link = main.get_by_role("textbox", name="Calendar link").input_value()
    feed = page.request.get(link)
    assert feed.ok
    assert icalendar.Calendar.from_ical(feed.body())["x-wr-calname"] == "SEMPRE"
