"""Screenshots of the key pages, on the demo data (`manage.py seed_demo`), for the README.

`make screenshots` (pytest -m browser tests/browser -k screenshots) writes them into
docs/screenshots/; any other run (e.g. `make test`) writes them into a temporary folder, so the
committed pictures change only when someone asks for it. Either way every page is checked with
axe-core like the journeys' pages, and each picture must show the page's own heading (no error
page is ever committed as a picture).
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image
from playwright.sync_api import expect

from accelerator.models import Round
from demo.cocreation import demo_token
from microprojects.models import MicroProject
from toolkit.models import ToolInstance

from .conftest import LAPTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.slow(45)]

DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DEMO_PASSWORD = "sempre-demo"


def for_the_docs(request) -> bool:
    """`make screenshots` (or SEMPRE_SCREENSHOTS=1): the pictures are for docs/screenshots/."""
    asked = "screenshots" in (request.config.getoption("keyword") or "")
    return asked or bool(os.environ.get("SEMPRE_SCREENSHOTS"))


@pytest.fixture
def screenshot_dir(request, tmp_path):
    folder = DOCS_SCREENSHOTS if for_the_docs(request) else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shoot(journey, folder: Path, name: str, path: str, heading: str, viewport=LAPTOP, scroll_to=None):
    page = journey.page
    page.set_viewport_size(viewport)
    journey.goto(path, check=False)
    expect(page.get_by_role("heading", level=1).first).to_contain_text(heading)
    page.wait_for_load_state("networkidle")  # htmx panels loaded on "load"
    journey.check(name)  # once, on the whole page: the panels htmx loaded included
    if scroll_to:  # the part worth showing, at the top of the picture
        page.locator(scroll_to).first.evaluate("element => element.scrollIntoView({block: 'start'})")
    # Viewport only: small files, the first screen a person sees.
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=False, animations="disabled", caret="hide")
    if folder == DOCS_SCREENSHOTS:
        # 256 colours are plenty for a flat UI and make the committed files about a third as large.
        with Image.open(path) as image:
            small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        small.save(path, optimize=True)
    return path


def test_screenshots_of_the_key_pages(request, open_journey, screenshot_dir):
    # The demo's finished reports (PDFs, most of the seeding time) only for the committed pictures:
    # otherwise the Reports page is shot (and checked) with none.
    seed = ["seed_demo"] if for_the_docs(request) else ["seed_demo", "--without-reports"]
    call_command(*seed, stdout=open(os.devnull, "w"))  # noqa: SIM115 (closed with the process)
    fruit_bags = MicroProject.objects.get(title__startswith="Fruit bags")
    sbmc = ToolInstance.objects.filter(project=fruit_bags, template__slug="sbmc").latest("pk")
    toc = ToolInstance.objects.filter(project=fruit_bags, template__slug="theory-of-change").first()
    toc = toc or ToolInstance.objects.filter(template__slug="theory-of-change").order_by("pk").first()
    accelerator_round = Round.objects.order_by("pk").first()
    taken = []

    social_worker = open_journey()
    social_worker.login("anna", DEMO_PASSWORD)
    taken.append(shoot(social_worker, screenshot_dir, "dashboard-social-worker", "/", "Welcome"))
    taken.append(shoot(social_worker, screenshot_dir, "project", f"/projects/{fruit_bags.pk}/", "Fruit bags"))
    taken.append(
        shoot(social_worker, screenshot_dir, "quick-log-phone", "/projects/log/", "Log an activity", PHONE)
    )
    taken.append(
        shoot(social_worker, screenshot_dir, "sbmc-board", f"/tools/{sbmc.pk}/", "", scroll_to=".tk-status")
    )
    taken.append(
        shoot(
            social_worker, screenshot_dir, "toc-editor", f"/tools/{toc.pk}/", "", scroll_to="#diagram-heading"
        )
    )
    taken.append(
        shoot(social_worker, screenshot_dir, "moderation-queue", "/co-creation/", "Client contributions")
    )
    taken.append(shoot(social_worker, screenshot_dir, "reports", "/reports/", "Reports"))

    client = open_journey(viewport=PHONE, locale="ar")
    token = demo_token(sbmc)
    taken.append(shoot(client, screenshot_dir, "client-page-arabic", f"/c/{token}/1/?lang=ar", "", PHONE))
    expect(client.page.locator("html")).to_have_attribute("dir", "rtl")

    coordinator = open_journey()
    coordinator.login("coordinator", DEMO_PASSWORD)
    taken.append(shoot(coordinator, screenshot_dir, "dashboard-coordinator", "/", ""))
    taken.append(
        shoot(
            coordinator,
            screenshot_dir,
            "ranking",
            f"/accelerator/rounds/{accelerator_round.pk}/ranking/",
            "Ranking",
        )
    )
    taken.append(shoot(coordinator, screenshot_dir, "startup-portfolio", "/accelerator/startups/", ""))

    reviewer = open_journey()
    reviewer.login("reviewer1", DEMO_PASSWORD)
    taken.append(shoot(reviewer, screenshot_dir, "dashboard-reviewer", "/", ""))

    for path in taken:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path
        if screenshot_dir == DOCS_SCREENSHOTS:  # the committed pictures, in 256 colours
            assert path.stat().st_size < 600_000, f"{path.name} is {path.stat().st_size} bytes"
