"""A client tells her story of change in Arabic on a 360 px phone, by voice (issue #20 §3).

Chromium records a fake microphone (`--use-fake-device-for-media-stream`, with the permission
prompt answered by `--use-fake-ui-for-media-stream`), so the page's MediaRecorder makes a real
recording; the server keeps it because its bytes are a WebM or Ogg file. The client sees her
receipt code. Every page is checked with axe and may not scroll sideways (conftest.py); the
screenshots go to /tmp/stories-*.png.
"""

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.stories.factories import story_invite_with_token
from toolkit.stories.models import Story

from .conftest import CHROMIUM_ARGS, Journey, checked_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SMALL_PHONE = {"width": 360, "height": 740}
VOICE_ARGS = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]


@pytest.fixture
def voice_browser(browser):
    """A browser of its own, from the session's Playwright (a second sync_playwright() in the same
    process refuses to start): the fake microphone is a launch flag, not a context option."""
    voice = browser.browser_type.launch(
        executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS + VOICE_ARGS
    )
    yield voice
    voice.close()


@pytest.mark.slow(10)
def test_a_client_tells_her_story_in_arabic_by_voice_on_a_phone(
    voice_browser, live_server, fruit_bags, settings
):
    invite, token = story_invite_with_token(project=fruit_bags)
    context = checked_context(voice_browser, viewport=SMALL_PHONE, locale="ar")
    page = context.new_page()
    journey = Journey(page=page, base_url=live_server.url)
    page.on("load", lambda loaded: journey.loaded.append(urlsplit(loaded.url).path))
    try:
        journey.goto(f"/c/story/{token}/")
        expect(page.locator("html")).to_have_attribute("lang", "ar")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.locator("[data-stop]")).to_be_hidden()  # until she records
        page.screenshot(path="/tmp/stories-tell-360.png", full_page=True)

        # She records: the page counts the seconds; she stops after the first one
        page.locator("[data-record]").click()
        expect(page.locator("[data-stop]")).to_be_visible()
        page.wait_for_function(
            "() => document.querySelector('[data-status]').textContent.includes('0:01')", polling=100
        )
        page.locator("[data-stop]").click()
        page.wait_for_function(
            "() => document.querySelector('input[name=audio]').files.length === 1", polling=100
        )
        expect(page.locator("[data-record]")).to_be_visible()  # "Record again"
        journey.check("recorded")

        page.locator("#id_consent_team").check()
        page.locator("#id_consent_reports").check()
        page.locator("form.client-form button[type=submit]").click()
        page.wait_for_url(f"**/c/story/{token}/thanks/")
        journey.check("thanks")
        code = page.locator(".receipt-code").inner_text().strip()
        assert len(code) == 14
        page.screenshot(path="/tmp/stories-thanks-360.png", full_page=True)

        story = Story.objects.get(invite=invite)
        assert story.language == "ar"
        assert story.audio_type in ("audio/webm", "audio/ogg")
        assert 1 <= story.audio_seconds <= 3
        assert (story.consent_team, story.consent_reports, story.consent_cases) == (True, True, False)
        assert (Path(settings.MEDIA_ROOT) / story.audio.name).stat().st_size > 100

        # The same page on a laptop, for the screenshot
        page.set_viewport_size({"width": 1280, "height": 800})
        journey.goto(f"/c/story/{token}/")
        page.screenshot(path="/tmp/stories-tell-1280.png", full_page=True)
        problems = [*journey.too_wide, *journey.refused] + ([journey.report()] if journey.violations else [])
        assert not problems, "\n".join(problems)
    finally:
        context.close()
