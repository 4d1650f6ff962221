"""A social worker's day in Latvian and in Arabic on a 360 px phone (issue #17 §3).

The phone speaks the language (Accept-Language); the journey finds every field, button and message
by its words in that language, as the catalogue gives them, so an untranslated label fails here.
Arabic staff pages run right to left. axe-core checks every page and no page may scroll sideways
(conftest.py).
"""

import datetime as dt
import re

import pypdf
import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from microprojects.forms import ActivityForm
from microprojects.models import Activity
from reports.models import ReportJob
from toolkit import services as toolkit_services

from .test_journeys import field

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SMALL_PHONE = {"width": 360, "height": 740}


def words(language: str, message: str, context: str | None = None) -> str:
    with translation.override(language):
        return translation.pgettext(context, message) if context else translation.gettext(message)


def labels(language: str, user) -> dict[str, str]:
    """The quick log's field labels as the form renders them in the language."""
    with translation.override(language):
        form = ActivityForm(user=user)
        return {
            name: str(form[name].label) for name in ("project", "date", "title", "participants_total")
        } | {name: str(form[name].label) for name in ("participants_new", "women", "men")}


@pytest.mark.slow(15)
@pytest.mark.parametrize(("language", "direction"), [("lv", "ltr"), ("ar", "rtl")])
def test_social_worker_logs_fills_the_canvas_and_gets_a_report_in_her_language(
    language, direction, open_journey, anna, fruit_bags, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the report is made in the live server's thread
    canvas = toolkit_services.tool_create(project=fruit_bags, template="sbmc", by=anna)
    journey = open_journey(viewport=SMALL_PHONE, locale=language)
    page = journey.page

    # The login page already speaks the phone's language
    page.goto(journey.url("/accounts/login/"))
    journey.check()
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", direction)
    with translation.override(language):
        from django.contrib.auth.forms import AuthenticationForm

        login_form = AuthenticationForm()
        username_label, password_label = str(login_form["username"].label), str(login_form["password"].label)
    page.get_by_label(username_label).fill("anna")
    page.get_by_label(password_label).fill("secret-pass-123")
    page.get_by_role("button", name=words(language, "Log in")).click()
    page.wait_for_load_state()
    journey.check()
    expect(page.locator("html")).to_have_attribute("dir", direction)

    # The quick log, first with a slip (more new participants than participants), then right
    journey.goto("/projects/log/")
    label = labels(language, anna)
    page.get_by_label(field(label["project"])).select_option(label=fruit_bags.title)
    day = min(timezone.localdate(), fruit_bags.end_date) - dt.timedelta(days=2)
    page.get_by_label(field(label["date"])).fill(day.isoformat())
    page.get_by_label(field(label["title"])).fill("Tirgus diena")
    page.get_by_label(field(label["participants_total"])).fill("6")
    page.get_by_label(field(label["participants_new"])).fill("9")
    page.get_by_role("button", name=words(language, "Log the activity")).click()
    journey.check("quick log with an error")
    assert not Activity.objects.exists()
    main = page.locator("main")
    expect(main).to_contain_text(
        words(language, "New participants (%(new)s) cannot exceed the total (%(total)s).")
        % {"new": 9, "total": 6}
    )
    page.get_by_label(field(label["participants_new"])).fill("4")
    page.get_by_label(field(label["women"])).fill("4")
    page.get_by_label(field(label["men"])).fill("2")
    page.get_by_role("button", name=words(language, "Log the activity")).click()
    journey.check()
    expect(main).to_contain_text("Tirgus diena")
    assert Activity.objects.get().participants_total == 6

    # The canvas: an entry in a block named in the language
    journey.goto(f"/tools/{canvas.pk}/")
    block_label = canvas.template.blocks.get(key="key_activities").text(language)["label"]
    add_field = page.get_by_label(words(language, "Add to “%(label)s”") % {"label": block_label})
    add_field.fill("Augļu maisiņu pakošana")
    page.locator("#block-key_activities").get_by_role("button", name=words(language, "Add")).click()
    expect(main).to_contain_text("Augļu maisiņu pakošana")
    journey.check("canvas with an entry")

    # A project report in the language, chosen by default
    journey.goto("/reports/")
    page.get_by_label(field(words(language, "Report"))).select_option(
        label=words(language, "Project report (PDF)")
    )
    page.get_by_label(field(words(language, "Project"))).select_option(label=fruit_bags.title)
    page.get_by_role("button", name=words(language, "Make the report")).click()
    journey.check("report requested")
    job = ReportJob.objects.get()
    assert job.language == language
    download = page.get_by_role("link", name=re.compile(r"\.pdf"))
    expect(download.first).to_be_visible(timeout=60_000)
    journey.check("report ready")
    with page.expect_download() as download_info:
        download.first.click()
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(download_info.value.path()).pages)
    assert words(language, "Summary") in text
    assert "Summary" not in text
