"""What a hurried person does on a phone, and how the platform catches it (issue #16 §4).

A social worker types an impossible date and more new participants than participants, gets both
errors at once, then a figure so large the form asks whether it is right; records a wrong value
and corrects it; marks the project as completed by mistake, which her organisation's admin undoes.
Every page is checked with axe and may not scroll sideways on a 360 px phone (conftest.py).
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from microprojects.models import Activity, Measurement, MicroProject
from sempre.models import AuditEvent, Membership

from ..factories import MembershipFactory, UserFactory
from .test_journeys import field

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SMALL_PHONE = {"width": 360, "height": 740}


@pytest.mark.slow(15)
def test_a_hurried_social_worker_on_a_phone_is_caught_and_can_undo(open_journey, anna, fruit_bags):
    indicator = fruit_bags.indicators.get()
    day = (fruit_bags.end_date - dt.timedelta(days=30)).isoformat()
    journey = open_journey(viewport=SMALL_PHONE)
    page = journey.page
    main = page.locator("main")
    journey.login("anna")

    # An activity dated 1850 with more new participants than participants: both errors at once
    journey.goto("/projects/log/")
    page.get_by_label(field("Project")).select_option(label=fruit_bags.title)
    page.get_by_label(field("Date")).fill("1850-01-01")
    page.get_by_label(field("Title")).fill("Market day")
    page.get_by_label(field("Participants")).fill("6")
    page.get_by_label(field("Of which new")).fill("9")
    page.get_by_role("button", name="Log the activity").click()
    journey.check("two errors")
    expect(main).to_contain_text("an activity cannot be dated before that")
    expect(main).to_contain_text("cannot exceed the total")
    assert not Activity.objects.exists()

    # 2,000 participants at one market day: possible, but the form asks first
    page.get_by_label(field("Date")).fill(day)
    page.get_by_label(field("Participants")).fill("2000")
    page.get_by_label(field("Of which new")).fill("20")
    page.get_by_role("button", name="Log the activity").click()
    journey.check("asks to confirm")
    expect(main).to_contain_text("unusually high")
    assert not Activity.objects.exists()
    page.get_by_label("Yes, these figures are right").check()
    page.get_by_role("button", name="Log the activity").click()
    journey.check()
    activity = Activity.objects.get()
    assert (activity.participants_total, activity.unusual_confirmed) == (2000, True)

    # A value in the future and below zero: both refused at once; then 60 typed for 6, corrected
    journey.goto(f"/projects/indicators/{indicator.pk}/measurements/new/")
    page.get_by_label(field("Date")).fill("2031-01-01")
    page.get_by_label(field("Value")).fill("-50")
    page.get_by_role("button", name="Record the value").click()
    journey.check("two errors")
    expect(main).to_contain_text("cannot be dated in the future")
    expect(main).to_contain_text("cannot be negative")
    assert not Measurement.objects.exists()
    page.get_by_label(field("Date")).fill(day)
    page.get_by_label(field("Value")).fill("60")
    page.get_by_role("button", name="Record the value").click()
    journey.check()
    journey.goto(f"/projects/indicators/{indicator.pk}/measurements/new/")
    page.get_by_role("link", name=re.compile("^Correct the value from")).click()
    journey.check()
    page.get_by_label(field("Value")).fill("6")
    page.get_by_role("button", name=re.compile("Save|Correct", re.I)).first.click()
    journey.check()
    assert Measurement.objects.get().value == 6
    journey.goto(f"/projects/{fruit_bags.pk}/")
    expect(page.locator("#indicators")).to_contain_text("30 %")  # 6 of 20

    # "Mark as completed…" tapped by mistake: the page asks; she confirms anyway
    page.get_by_role("button", name="Mark as completed…").click()
    journey.check("asks to confirm")
    expect(main).to_contain_text("Only an admin of")
    page.get_by_role("button", name="Yes, mark it as completed").click()
    journey.check()
    fruit_bags.refresh_from_db()
    assert fruit_bags.status == MicroProject.Status.COMPLETED
    expect(page.get_by_role("button", name="Make it active again")).to_have_count(0)  # not hers to undo

    # Her organisation's admin makes it active again; the audit log says who and when
    admin = MembershipFactory(
        user=UserFactory(username="maria"),
        organisation=fruit_bags.organisation,
        role=Membership.Role.ORG_ADMIN,
    ).user
    journey.logout()
    journey.login(admin.username)
    journey.goto(f"/projects/{fruit_bags.pk}/")
    page.get_by_role("button", name="Make it active again").click()
    journey.check()
    expect(main).to_contain_text("The project is active.")
    fruit_bags.refresh_from_db()
    assert fruit_bags.status == MicroProject.Status.ACTIVE
    assert AuditEvent.objects.filter(action="project.reopened", actor=admin).exists()
