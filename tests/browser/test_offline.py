"""The field app without a signal (issue #18 §4, docs/offline.md), in Debian's chromium: the quick
log and the measurement form used offline (context.set_offline), the queue page, the entries
arriving exactly once when the connection returns, a refused entry corrected on the phone, and
logging out with entries waiting."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from microprojects.models import Activity, Measurement, MicroProject

from .conftest import PHONE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow(40)]


def controlled(journey):
    """Open the quick log until the service worker controls the page (it is installed on the first
    visit and takes over at once: skipWaiting + clients.claim)."""
    page = journey.page
    journey.goto("/projects/log/")
    # Installing fetches every page the app keeps from the live server: on a loaded machine (CI with
    # two browsers at once) that took longer than the 15 s default once.
    page.evaluate("() => navigator.serviceWorker.ready")
    try:
        page.wait_for_function(
            "() => navigator.serviceWorker.controller !== null", timeout=20_000, polling=100
        )
    except PlaywrightTimeoutError:
        # Active, but this page was loaded before it and is not claimed yet (twice in CI, after 60 s):
        # a page opened again is controlled, as a person's next visit is.
        journey.goto("/projects/log/")
        page.wait_for_function(
            "() => navigator.serviceWorker.controller !== null", timeout=40_000, polling=100
        )
    # Every page the app keeps is in its cache before the connection goes.
    page.wait_for_function(
        """async () => {
            const names = await caches.keys();
            const pages = names.find(name => name.startsWith("sempre-pages-"));
            if (!pages) return false;
            const cache = await caches.open(pages);
            return (await cache.keys()).length >= 5;
        }""",
        timeout=60_000,
        polling=100,
    )


def log_activity(page, *, title, total, women=None, men=None):
    # The quick log fetches its queue's scripts after the page has loaded (issue #15): a person who
    # taps at once posts the form, which the service worker keeps; the journeys wait for the queue.
    page.wait_for_function("() => document.documentElement.dataset.offline === 'ready'", polling=100)
    page.get_by_label("Project").select_option(label="Fruit bags for Luleå")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Participants", exact=True).fill(str(total))
    if women is not None:
        page.get_by_label("Women", exact=True).fill(str(women))
    if men is not None:
        page.get_by_label("Men", exact=True).fill(str(men))
    page.get_by_role("button", name="Log the activity").click()


def waiting_text(page) -> str:
    return page.locator("[data-offline-status]").inner_text()


def test_a_day_without_signal_arrives_once(open_journey, anna, fruit_bags):
    journey = open_journey(viewport=PHONE)
    page = journey.page
    journey.login("anna")
    controlled(journey)

    page.context.set_offline(True)
    page.reload()
    journey.check("offline")
    assert page.get_by_role("heading", name="Log an activity").is_visible()

    # A hurried slip first: 9 women and 3 men of 10 is refused on the phone, named at the field.
    log_activity(page, title="Sewing", total=10, women=9, men=3)
    error = page.locator("#offline-error-women")
    assert "add up to 12, but the total is 10" in error.inner_text()
    assert page.get_by_label("Women", exact=True).get_attribute("aria-invalid") == "true"
    page.get_by_label("Women", exact=True).fill("7")
    page.get_by_role("button", name="Log the activity").click()
    page.wait_for_function(
        "() => document.querySelector('[data-offline-status]').textContent.includes(': 1')", polling=100
    )
    assert "Saved on this phone" in waiting_text(page)
    log_activity(page, title="Jam tasting", total=4)
    page.wait_for_function(
        "() => document.querySelector('[data-offline-status]').textContent.includes(': 2')", polling=100
    )
    log_activity(page, title="Market stall", total=6)
    page.wait_for_function(
        "() => document.querySelector('[data-offline-status]').textContent.includes(': 3')", polling=100
    )
    journey.check("three waiting")

    # Any other page says what works without a signal, and what waits.
    journey.goto("/projects/")
    assert page.get_by_role("heading", name="No connection").is_visible()
    page.wait_for_function(
        "() => document.querySelector('[data-offline-status]').textContent.includes(': 3')", polling=100
    )
    assert page.get_by_role("link", name="Record a value").is_visible()

    journey.goto("/projects/field/measurement/")
    page.get_by_label("Indicator").select_option(
        label="Fruit bags for Luleå: Members with earned income (people)"
    )
    page.get_by_label("Value").fill("3")
    page.get_by_role("button", name="Record the value").click()
    page.wait_for_function(
        "() => document.querySelector('[data-offline-status]').textContent.includes(': 4')", polling=100
    )

    journey.goto("/projects/queue/")
    page.wait_for_function(
        "() => document.querySelector('[data-queue-waiting]').textContent.includes('4')", polling=100
    )
    assert "Waiting to be sent: 4" in journey.text()
    assert "Do not clear this browser's data" in journey.text()
    assert page.locator("[data-queue-list] li").count() == 4
    journey.check("four waiting")
    assert Activity.objects.count() == 0  # nothing reached the server

    page.context.set_offline(False)
    page.get_by_role("button", name="Send now").click()
    page.wait_for_function(
        "() => document.querySelector('[data-queue-waiting]').textContent.includes('Everything is sent')",
        polling=100,
    )
    assert sorted(Activity.objects.filter(project=fruit_bags).values_list("title", flat=True)) == [
        "Jam tasting",
        "Market stall",
        "Sewing",
    ]
    assert Measurement.objects.filter(indicator__project=fruit_bags).count() == 1
    assert set(Activity.objects.values_list("created_by", flat=True)) == {anna.pk}
    assert "Last sent:" in journey.text()
    journey.check("sent")

    # Sent again (a reply lost on the way): the server answers the stored rows, nothing twice.
    page.evaluate(
        """async () => {
            const entries = await fetch("/api/v1/activities/").then(r => r.json());
            for (const row of entries.results) {
                await SempreQueue.put({client_uuid: row.client_uuid, state: "waiting", data: {
                    type: "activity", client_uuid: row.client_uuid, project: row.project, date: row.date,
                    title: row.title, participants_total: row.participants_total}});
            }
            return SempreQueue.send();
        }"""
    )
    assert Activity.objects.count() == 3
    page.reload()
    page.wait_for_function(
        "() => document.querySelector('[data-queue-waiting]').textContent.includes('Everything is sent')",
        polling=100,
    )
    journey.check("replayed")


def test_a_double_tap_without_javascript_logs_once(browser, live_server, anna, fruit_bags):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill("secret-pass-123")
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/projects/log/")
    page.get_by_label("Project").select_option(label="Fruit bags for Luleå")
    page.get_by_label("Title").fill("Sewing")
    page.get_by_label("Participants", exact=True).fill("5")
    # The same form sent twice, as a second tap on a slow link does.
    form = {
        name: page.locator(f"main [name={name}]").input_value()
        for name in (
            "csrfmiddlewaretoken",
            "client_uuid",
            "project",
            "date",
            "kind",
            "title",
            "participants_total",
            "staff_hours",
            "volunteer_hours",
        )
    }
    for _ in range(2):
        response = page.request.post(live_server.url + "/projects/log/", form=form, max_redirects=0)
        assert response.status == 302, response.text()[-2500:]
    context.close()
    assert Activity.objects.filter(project=fruit_bags).count() == 1


def test_a_refused_entry_is_corrected_on_the_phone(open_journey, anna, fruit_bags):
    journey = open_journey(viewport=PHONE)
    page = journey.page
    journey.login("anna")
    controlled(journey)
    page.context.set_offline(True)
    page.reload()
    log_activity(page, title="Sewing", total=10)
    page.wait_for_function(
        "() => document.querySelector('[data-offline-status]').textContent.includes(': 1')", polling=100
    )
    # Meanwhile the project was completed at the office, the day before the activity's date (the
    # issue's example): the phone, offline, still offered it.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    fruit_bags.status, fruit_bags.closed_on = MicroProject.Status.COMPLETED, yesterday
    fruit_bags.save()

    journey.goto("/projects/queue/")
    page.context.set_offline(False)
    page.get_by_role("button", name="Send now").click()
    attention = page.locator("[data-queue-attention]")
    attention.wait_for(state="visible")
    assert "Needs your attention" in journey.text()
    assert "The project was completed on" in attention.inner_text()
    journey.check("needs attention")
    assert Activity.objects.count() == 0

    # It happened the day before, in fact: the date is corrected and the entry arrives.
    page.get_by_label("Date").fill(yesterday.isoformat())
    page.get_by_role("button", name="Send again").click()
    attention.wait_for(state="hidden")
    assert "Everything is sent" in journey.text()
    (activity,) = Activity.objects.all()
    assert (activity.title, activity.date) == ("Sewing", yesterday)
    journey.check("corrected")


def test_logout_with_entries_waiting_warns_then_leaves_nothing(open_journey, anna, fruit_bags):
    journey = open_journey(viewport=PHONE)
    page = journey.page
    journey.login("anna")
    controlled(journey)
    page.context.set_offline(True)
    page.reload()
    log_activity(page, title="Sewing", total=10)
    page.wait_for_function(
        "() => document.querySelector('[data-offline-status]').textContent.includes(': 1')", polling=100
    )
    page.context.set_offline(False)
    page.reload()  # the page sends on open; keep the entry waiting: the server is not reached
    page.route("**/api/v1/sync/", lambda route: route.abort())
    # The queue's scripts come once the page is shown (issue #15), after the load event reload() waits for.
    page.wait_for_function("() => document.documentElement.dataset.offline === 'ready'", polling=100)
    page.evaluate(
        """() => SempreQueue.put({client_uuid: crypto.randomUUID(), state: "waiting",
            data: {type: "activity", project: 1, date: "2025-05-01", title: "Kept"}})
            .then(() => SempreQueue.remember())"""
    )

    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss() if len(dialogs) == 1 else dialog.accept()

    page.on("dialog", answer)
    page.locator("summary", has_text="Anna Lind").click()
    page.get_by_role("button", name="Log out").click()
    assert "still waiting to be sent" in dialogs[0]
    assert "/projects/log/" in page.url  # stayed: the first answer was "no"
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/**")
    journey.check("logged out")
    left = page.evaluate(
        """async () => ({
            caches: (await caches.keys()).length,
            databases: (await indexedDB.databases()).map(d => d.name),
            waiting: localStorage.getItem("sempre-waiting"),
        })"""
    )
    assert left == {"caches": 0, "databases": [], "waiting": None}


def test_an_ended_session_asks_to_log_in_then_sends(open_journey, anna, fruit_bags):
    journey = open_journey(viewport=PHONE)
    page = journey.page
    journey.login("anna")
    controlled(journey)
    journey.goto("/projects/queue/")
    page.context.set_offline(True)
    journey.goto("/projects/log/")
    log_activity(page, title="Sewing", total=10)
    page.wait_for_function(
        "() => document.querySelector('[data-offline-status]').textContent.includes(': 1')", polling=100
    )
    journey.goto("/projects/queue/")
    page.context.clear_cookies()  # the session ended meanwhile
    # Seen once in a full run: the activity had reached the server while the tab was "offline" (and
    # still waited on the phone; the send after the login is answered "already stored"): Playwright's
    # offline emulation is not airtight for the service worker. What is checked here is that the send
    # without a session stores nothing; the end, that the activity is stored once.
    before = Activity.objects.count()
    page.context.set_offline(False)
    page.get_by_role("button", name="Send now").click()
    login = page.locator("[data-queue-login]")
    login.wait_for(state="visible")
    assert "Your session has ended" in login.inner_text()
    journey.check("session ended")
    assert Activity.objects.count() == before

    login.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill("secret-pass-123")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/projects/queue/")
    page.wait_for_function(
        "() => document.querySelector('[data-queue-waiting]').textContent.includes('Everything is sent')",
        polling=100,
    )
    journey.check("back")
    assert Activity.objects.get().title == "Sewing"
