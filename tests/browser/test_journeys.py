"""Every role's work, end to end, in a real browser (issue #9).

Each journey is what a person does, through the UI only: labelled fields (get_by_label) and named
buttons and links (get_by_role), which also proves the labels and names exist. Only what a journey
does not itself cover is arranged with factories and services. axe-core checks every page (see
conftest.py). All journeys live in this one module, so under pytest-xdist each worker starts one
live server and one chromium.
"""

import re

import pypdf
import pytest
from django.utils import translation
from playwright.sync_api import expect

from microprojects.models import Activity, Measurement, MicroProject
from reports.models import ReportJob
from toolkit import services as toolkit_services
from toolkit.cocreation import services as cocreation_services
from toolkit.cocreation.models import Contribution, Invite
from toolkit.cocreation.selectors import invite_blocks
from toolkit.models import CausalLink, ToolInstance

from ..accelerator.factories import make_ready
from ..factories import UserFactory
from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


HTMX_IDLE = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"


@pytest.fixture
def canvas(anna, fruit_bags):
    return toolkit_services.tool_create(project=fruit_bags, template="sbmc", by=anna)


@pytest.fixture
def invite(anna, canvas):
    """An invite in Arabic to two questions of the canvas; returns (invite, token)."""
    return cocreation_services.invite_create(
        tool=canvas,
        by=anna,
        label="Saturday market workshop",
        language="ar",
        block_keys=("beneficiary_segments", "customer_segments"),
    )


def field(label: str) -> re.Pattern:
    """A field's label as Django renders it, with or without the ':' suffix."""
    return re.compile(rf"^\s*{re.escape(label)}:?\s*$")


def client_text(language: str, message: str) -> str:
    """A client page message as the client reads it in their language."""
    with translation.override(language):
        return translation.pgettext("client page", message)


@pytest.mark.slow(10)
def test_social_worker_on_a_phone_registers_a_project_logs_an_activity_and_records_a_value(
    open_journey, anna
):
    journey = open_journey(viewport=PHONE)
    page = journey.page
    journey.login("anna")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # Register the project
    journey.goto("/projects/new/")
    page.get_by_label(field("Title")).fill("Fruit bags for Luleå")
    page.get_by_label(field("Summary")).fill("Syrian newcomers pack and sell fruit bags at the market.")
    page.get_by_label(field("Problem addressed")).fill("Newcomers have no income and few contacts.")
    page.get_by_label(field("Region or municipality")).fill("Luleå")
    page.get_by_label(field("Rural")).check()
    page.get_by_label(field("Start date")).fill("2026-01-15")
    page.get_by_label(field("Budget (EUR)")).fill("12000")
    page.get_by_role("button", name="Register the project").click()
    journey.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fruit bags for Luleå")
    project = MicroProject.objects.get(title="Fruit bags for Luleå")
    assert project.organisation.name == "Luleå Social Services"

    # Start it, then log an activity with participant counts
    page.get_by_role("button", name="Start the project").click()
    journey.check()
    page.get_by_role("button", name="Log an activity").first.click()
    journey.check()
    # The two participant boxes side by side are level, though only the first has a help line.
    tops = [page.get_by_label(field(name)).bounding_box()["y"] for name in ("Participants", "Of which new")]
    assert tops[0] == tops[1], tops
    page.get_by_label(field("Date")).fill("2026-02-03")
    page.get_by_label(field("Title")).fill("Packing workshop")
    page.get_by_label(field("Participants")).fill("12")
    page.get_by_label(field("Of which new")).fill("5")
    page.get_by_label(field("Women")).fill("8")
    page.get_by_label(field("Men")).fill("3")
    page.get_by_label(field("Gender not stated")).fill("2")  # 13: does not add up to 12
    page.get_by_role("button", name="Log the activity").click()
    journey.check("activity form with an error")
    expect(page.locator("main")).to_contain_text("add up to")
    assert not Activity.objects.exists()
    # The keyboard focus is on the first field in error: put there by the field app's check before
    # sending, or, when the form reached the server first, by sempre.js, which on this light page
    # comes once the page is shown. A CI run typed "1" into "Women" while it arrived.
    expect(page.get_by_label(field("Women"))).to_be_focused()
    page.get_by_label(field("Gender not stated")).fill("1")
    page.get_by_role("button", name="Log the activity").click()
    journey.check()
    expect(page.locator("main")).to_contain_text("Packing workshop")
    activity = Activity.objects.get()
    counts = (activity.participants_total, activity.participants_new, activity.women, activity.men)
    assert counts == (12, 5, 8, 3)

    # Add an indicator and record a measurement
    page.get_by_role("button", name="Add an indicator").first.click()
    journey.check()
    page.get_by_label(field("Name")).fill("Members with earned income")
    page.get_by_label(field("Unit")).fill("people")
    page.get_by_label(field("Baseline")).fill("0")
    page.get_by_label(field("Target")).fill("20")
    page.get_by_label(field("Target date")).fill("2026-12-31")
    page.get_by_role("button", name=re.compile("indicator", re.I)).click()
    journey.check()
    page.get_by_role("link", name=re.compile("Record a value")).click()
    journey.check()
    page.get_by_label(field("Date")).fill("2026-03-01")
    page.get_by_label(field("Value")).fill("6")
    page.get_by_role("button", name="Record the value").click()
    journey.check()
    measurement = Measurement.objects.get()
    assert measurement.value == 6
    assert measurement.indicator.project == project
    expect(page.locator("#indicators")).to_contain_text("30 %")


def test_the_accessibility_check_reports_a_serious_violation(open_journey, live_server):
    """The axe check can fail: a page with an unlabelled field and an image without text."""
    journey = open_journey()
    journey.page.goto(live_server.url + "/accounts/login/")
    journey.page.set_content(
        '<html lang="en"><head><title>Broken</title></head><body><main><h1>Broken</h1>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text"></main></body></html>'
    )
    journey.check()
    rules = {violation["id"] for _where, violation in journey.violations}
    assert {"image-alt", "label"} <= rules
    assert "image-alt" in journey.report()
    journey.violations.clear()  # expected here; the fixture would fail the test otherwise


@pytest.mark.slow(20)
def test_social_worker_fills_in_a_canvas_builds_a_theory_of_change_and_invites_clients(
    open_journey, anna, fruit_bags
):
    journey = open_journey()
    page = journey.page
    journey.login("anna")
    journey.goto(f"/projects/{fruit_bags.pk}/")

    # The Social Business Model Canvas
    tools = page.get_by_role("region", name="Empowerment tools")
    tools.get_by_role("link", name=re.compile("start a tool", re.I)).click()
    journey.check()
    page.get_by_role("combobox", name=re.compile("^Tool")).select_option(label="Social Business Model Canvas")
    page.get_by_role("button", name="Start").click()
    journey.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Social Business Model Canvas")
    sbmc = ToolInstance.objects.get(project=fruit_bags, template__slug="sbmc")
    for block, text in (
        ("Beneficiary segments", "Syrian women new to Luleå"),
        ("Customer segments", "Shoppers at the Saturday market"),
        ("Key activities", "Packing fruit bags together"),
    ):
        # htmx swaps the whole board after each entry: type only once the swap has settled, as a
        # person would, not into the board that is being replaced.
        page.wait_for_function(HTMX_IDLE, polling=100)
        add_field = page.get_by_label(f"Add to “{block}”")
        add_field.fill(text)
        expect(add_field).to_have_value(text)
        page.locator(f"#block-{sbmc.template.blocks.get(label=block).key}").get_by_role(
            "button", name="Add"
        ).click()
        expect(page.locator("main")).to_contain_text(text)
    journey.check("canvas with three entries")
    assert sbmc.entries.count() == 3
    expect(page.locator("main")).to_contain_text("3 of 13 blocks filled")

    # The Theory of Change: three outcomes, two links, an indicator
    page.get_by_role("link", name="Tools", exact=True).click()
    journey.check()
    page.get_by_role("combobox", name=re.compile("^Tool")).select_option(label="Theory of Change")
    page.get_by_role("button", name="Start").click()
    journey.check()
    toc = ToolInstance.objects.get(project=fruit_bags, template__slug="theory-of-change")
    add_outcome = page.locator("#add-outcome")
    for text, level, with_indicator in (
        ("Newcomers earn a living", "Impact", False),
        ("The cooperative sells bags every week", "Intermediate outcome", False),
        ("Members price their products", "Early outcome", True),
    ):
        add_outcome.get_by_label(field("Outcome")).fill(text)
        add_outcome.get_by_label(field("Level")).select_option(label=level)
        if with_indicator:
            add_outcome.get_by_label(field("Indicators")).select_option(label="Members with earned income")
        add_outcome.get_by_role("button", name="Add outcome").click()
        expect(page.get_by_role("region", name="Outcomes")).to_contain_text(text)
    add_link = page.locator("#add-link")
    for count, (source, target, rationale) in enumerate(
        (
            (
                "Members price their products",
                "The cooperative sells bags every week",
                "Fair prices bring buyers",
            ),
            ("The cooperative sells bags every week", "Newcomers earn a living", ""),
        ),
        start=1,
    ):
        add_link.get_by_label(field("This outcome")).select_option(label=source)
        add_link.get_by_label(field("leads to")).select_option(label=target)
        add_link.get_by_label(field("Because (rationale)")).fill(rationale)
        add_link.get_by_role("button", name="Link").click()
        expect(page.locator("li[id^=link-]")).to_have_count(count)
    assert CausalLink.objects.filter(instance=toc).count() == 2
    journey.check("Theory of Change with findings")
    findings = page.locator(".tk-findings")
    expect(findings).to_contain_text("rationale")
    expect(page.locator("svg[role=img]").first).to_be_visible()

    # Marking it complete is refused with what to fix
    page.locator(".tk-status-form").get_by_label(field("Status")).select_option(label="Complete")
    page.locator(".tk-status-form").get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("rationale")
    journey.check("refused completion")
    toc.refresh_from_db()
    assert toc.status == ToolInstance.Status.DRAFT

    # Fix every finding the check names, one "Fix" link at a time
    for _ in range(6):
        fix_links = findings.get_by_role("link", name=re.compile("^Fix"))
        if fix_links.count() == 0:
            break
        message = findings.locator("li").first.inner_text()
        fix_links.first.click()
        journey.check(f"fixing: {message}")
        form = page.locator("main form").filter(has=page.get_by_role("button", name=re.compile("Save")))
        if "rationale" in message.lower():
            form.get_by_label(field("Because (rationale)")).fill("Regular sales are an income")
        elif "indicator" in message.lower():
            form.get_by_label(field("Indicators")).select_option(label="Members with earned income")
        elif "intervention" in message.lower():
            page.go_back()
            journey.check()
            add_intervention = page.locator("#add-intervention")
            add_intervention.get_by_label(field("Intervention")).fill("Pricing workshop")
            add_intervention.get_by_label(field("Outcomes it serves")).select_option(
                label="Members price their products"
            )
            add_intervention.get_by_role("button", name="Add intervention").click()
            expect(page.locator("main")).to_contain_text("Pricing workshop")
            continue
        else:
            pytest.fail(f"the journey does not know how to fix: {message}")
        form.get_by_role("button", name=re.compile("Save")).first.click()
        journey.check()
        findings = page.locator(".tk-findings")
    expect(findings.get_by_role("link", name=re.compile("^Fix"))).to_have_count(0)

    page.locator(".tk-status-form").get_by_label(field("Status")).select_option(label="Complete")
    page.locator(".tk-status-form").get_by_role("button", name="Save").click()
    expect(page.locator(".tk-status .badge")).to_have_text("Complete")
    journey.check("complete Theory of Change")
    toc.refresh_from_db()
    assert toc.status == ToolInstance.Status.COMPLETE

    # Invite clients to the canvas
    journey.goto(f"/tools/{sbmc.pk}/")
    page.get_by_role("link", name="Invite clients").click()
    journey.check()
    page.get_by_label(re.compile(r"^Label:?$")).fill("Saturday market workshop")
    page.get_by_label(re.compile("^Language the client pages open in")).select_option("ar")
    page.get_by_role("button", name="Create invite").click()
    journey.check()
    invite = Invite.objects.get(tool=sbmc)
    assert invite.label == "Saturday market workshop"
    assert invite.language == "ar"
    expect(page.get_by_label(field("Link"))).to_have_value(re.compile("/c/"))


@pytest.mark.slow(7)
def test_client_contributes_in_arabic_and_latvian_and_takes_one_answer_back(open_journey, invite):
    invite, token = invite
    first, second = invite_blocks(invite)
    journey = open_journey(viewport=PHONE, locale="ar")
    page = journey.page

    # Arabic, right to left
    journey.goto(f"/c/{token}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    page.get_by_role("button", name=client_text("ar", "Start")).click()
    journey.check()
    question = first.text("ar")["plain_question"]
    page.get_by_label(question, exact=True).fill("نساء سوريات جديدات في لوليو")
    page.get_by_label(client_text("ar", "A nickname (you can leave this empty)")).fill("أمل")
    page.get_by_role("button", name=client_text("ar", "Send my answer")).click()
    journey.check("no consent yet")
    assert not Contribution.objects.exists()  # consent is required
    page.get_by_label(client_text("ar", "I have read this and I agree.")).check()
    page.get_by_role("button", name=client_text("ar", "Send my answer")).click()
    journey.check()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    receipt_code = page.locator(".receipt-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4})+", receipt_code), receipt_code

    # Latvian, left to right, for the next question
    page.get_by_role("button", name=client_text("ar", "Next question")).click()
    journey.check()
    page.get_by_role("navigation", name=client_text("ar", "Choose your language")).locator(
        "a[lang=lv]"
    ).click()
    journey.check()
    expect(page.locator("html")).to_have_attribute("lang", "lv")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    page.get_by_label(second.text("lv")["plain_question"], exact=True).fill("Pircēji sestdienas tirgū")
    # consent was given once for this visit: the box is not asked again
    expect(page.get_by_label(client_text("lv", "I have read this and I agree."))).to_have_count(0)
    page.get_by_role("button", name=client_text("lv", "Send my answer")).click()
    journey.check()
    assert page.locator(".receipt-code").inner_text().strip() == receipt_code  # same device, same day
    contributions = {c.block_key: c for c in Contribution.objects.all()}
    assert contributions[first.key].language == "ar"
    assert contributions[first.key].pseudonym == "أمل"
    assert contributions[second.key].language == "lv"

    # Later, on another device: the receipt code shows both answers; take the first one back
    journey.logout()
    journey.goto(f"/c/{token}/?lang=lv")
    page.get_by_role("link", name=client_text("lv", "See or take back what you sent")).click()
    journey.check()
    page.get_by_label(client_text("lv", "Your receipt code")).fill(receipt_code)
    page.get_by_role("button", name=client_text("lv", "Show my answers")).click()
    journey.check()
    answers = page.locator(".my-contribution")
    expect(answers).to_have_count(2)
    answers.filter(has_text="نساء سوريات").get_by_role(
        "button", name=client_text("lv", "Take this answer back")
    ).click()
    journey.check()
    contributions[first.key].refresh_from_db()
    contributions[second.key].refresh_from_db()
    assert contributions[first.key].status == Contribution.Status.WITHDRAWN
    assert contributions[second.key].status == Contribution.Status.PENDING


def test_social_worker_accepts_a_contribution_and_it_appears_on_the_canvas_as_the_clients(
    open_journey, anna, canvas, invite
):
    invite, _token = invite
    contribution, _code = cocreation_services.contribution_submit(
        invite=invite,
        block_key="customer_segments",
        text="Families who shop at the Saturday market",
        language="en",
        consent=True,
        pseudonym="Amal",
    )
    journey = open_journey()
    page = journey.page
    journey.login("anna")
    waiting = page.get_by_role("link", name=re.compile("client contributions waiting for review"))
    expect(waiting).to_contain_text("1")
    waiting.click()
    journey.check()
    page.get_by_role("link", name=re.compile("Families who shop")).click()
    journey.check()
    page.get_by_role("button", name="Accept").click()
    journey.check()
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.ACCEPTED

    journey.goto(f"/tools/{canvas.pk}/")
    block = page.locator("#block-customer_segments")
    expect(block).to_contain_text("Families who shop at the Saturday market")
    expect(block).to_contain_text("from a client (Amal)")
    entry = canvas.entries.get()
    assert entry.source == "client"


@pytest.mark.slow(40)
def test_coordinator_runs_a_round_from_criteria_to_the_selection_report(
    open_journey, anna, fruit_bags, coordinator, report_worker
):
    make_ready(fruit_bags, anna)  # journeys 1 and 2 show a canvas and a Theory of Change being made
    reviewers = [UserFactory(username=name, is_reviewer=True) for name in ("ingrid", "tomas")]

    # The coordinator creates a round with two criteria and opens it
    coordinator_tab = open_journey()
    page = coordinator_tab.page
    coordinator_tab.login("coordinator")
    page.get_by_role("link", name="Accelerator").first.click()
    coordinator_tab.check()
    page.get_by_role("button", name="New round").click()
    coordinator_tab.check()
    page.get_by_label(field("Title")).fill("Accelerator 2027")
    page.get_by_label(field("Opens")).fill("2026-01-01T09:00")
    page.get_by_label(field("Closes")).fill("2027-12-31T17:00")
    page.get_by_label(field("Review deadline")).fill("2028-01-31T17:00")
    page.get_by_label(field("Places")).fill("1")
    page.get_by_label(field("Reviewers per application")).fill("2")
    page.get_by_role("button", name="Save").click()
    coordinator_tab.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accelerator 2027")
    for name, weight in (("Social value", "2"), ("Earned income", "1")):
        page.get_by_text("Add a criterion", exact=True).click()  # a <details> disclosure
        page.get_by_label(field("Name")).fill(name)
        page.get_by_label(field("Weight")).fill(weight)
        page.get_by_role("button", name="Add the criterion").click()
        coordinator_tab.check()
        expect(page.locator("main")).to_contain_text(name)
    page.get_by_role("button", name=re.compile("Move to: Open")).click()
    coordinator_tab.check()
    round_url = page.url

    # The social worker applies for her project
    worker_tab = open_journey()
    worker_page = worker_tab.page
    worker_tab.login("anna")
    worker_tab.goto(f"/projects/{fruit_bags.pk}/")
    worker_page.get_by_role("button", name="Accelerator 2027").click()
    worker_tab.check()
    worker_page.get_by_role("button", name="Submit the application").click()
    worker_tab.check()
    application = fruit_bags.applications.get()
    assert application.sbmc_snapshot_id is not None
    assert application.toc_snapshot_id is not None

    # The coordinator closes applications and assigns reviewers automatically
    page.goto(round_url)
    coordinator_tab.check()
    page.get_by_role("button", name=re.compile("Move to: Review")).click()
    coordinator_tab.check()
    # Before the closing date: a confirmation step says applications are still open (issue #16)
    expect(page.locator("main")).to_contain_text("Applications are open until")
    page.get_by_role("button", name=re.compile("Yes, move to")).click()
    coordinator_tab.check()
    page.get_by_role("link", name=re.compile("Assign", re.I)).first.click()
    coordinator_tab.check()
    page.get_by_role("button", name=re.compile("Assign automatically")).click()
    coordinator_tab.check()
    assert application.assignments.count() == 2

    # Two reviewers score
    for reviewer, (social_value, income) in zip(reviewers, (("4", "3"), ("5", "2")), strict=True):
        reviewer_tab = open_journey()
        reviewer_page = reviewer_tab.page
        reviewer_tab.login(reviewer.username)
        reviewer_page.get_by_role("button", name="Open my review inbox").click()
        reviewer_tab.check()
        reviewer_page.get_by_role("link", name="Fruit bags for Luleå").click()
        reviewer_tab.check()
        # The frozen canvas as a board, the frozen Theory of Change as its diagram (issue #16)
        main = reviewer_page.locator("main")
        expect(main).to_contain_text("Key figures at submission")
        expect(main).to_contain_text("Beneficiary segments")
        expect(reviewer_page.locator("svg.toc-diagram")).to_be_visible()
        reviewer_page.get_by_label(field("Social value")).select_option(social_value)
        reviewer_page.get_by_label(field("Earned income")).select_option(income)
        reviewer_page.get_by_label(field("Comment")).fill("Clients shaped the product themselves.")
        reviewer_page.get_by_label(field("Recommendation")).select_option(index=1)
        reviewer_page.get_by_label(field("Confidence")).select_option("4")
        reviewer_page.get_by_role("button", name="Submit the review").click()
        reviewer_tab.check()
    assert application.assignments.filter(review__submitted_at__isnull=False).count() == 2

    # The coordinator views the ranking and decides
    page.goto(round_url)
    coordinator_tab.check()
    page.get_by_role("button", name=re.compile("Move to: Decid")).click()
    coordinator_tab.check()
    page.get_by_role("link", name=re.compile("Ranking")).first.click()
    coordinator_tab.check()
    ranking = page.get_by_role("table").first
    expect(ranking).to_contain_text("Fruit bags for Luleå")
    # on a 0-100 scale, weighted 2:1: 2/3 x 4.5/5 + 1/3 x 2.5/5 = 60.0 + 16.7 = 76.7
    expect(ranking).to_contain_text("76.7")
    page.get_by_role("link", name=re.compile("Decision")).first.click()
    coordinator_tab.check()
    page.get_by_label(field("Decision")).select_option("selected")
    page.get_by_label(field("Rationale")).fill("Strong client voice and first sales.")
    page.get_by_role("button", name="Save the decision").click()
    coordinator_tab.check()
    page.get_by_role("button", name="Close and notify").click()  # not ticked: the browser asks first
    application.round.refresh_from_db()
    assert application.round.status == "deciding"
    page.get_by_label("I have checked the decisions").check()
    page.get_by_role("button", name="Close and notify").click()
    coordinator_tab.check()
    application.round.refresh_from_db()
    assert application.round.status == "decided"

    # The selection report: requested, progress watched, PDF downloaded
    page.get_by_role("link", name="Reports", exact=True).click()
    coordinator_tab.check()
    page.get_by_label(field("Report")).select_option(label="Accelerator selection (PDF)")
    page.get_by_label(field("Accelerator round")).select_option(label="Accelerator 2027")
    page.get_by_role("button", name="Make the report").click()
    coordinator_tab.check("report requested")
    download_link = page.get_by_role("link", name=re.compile(r"^Download .*\.pdf"))
    expect(download_link).to_be_visible(timeout=90_000)
    coordinator_tab.check("report ready")
    with page.expect_download() as download_info:
        download_link.click()
    pdf_path = download_info.value.path()
    reader = pypdf.PdfReader(pdf_path)
    text = "\n".join(page_.extract_text() for page_ in reader.pages)
    assert "Fruit bags for Luleå" in text
    assert "Social value" in text
    job = ReportJob.objects.get(kind="selection")
    if report_worker is not None:  # made by the worker process, not in the web process
        assert job.worker.startswith(report_worker), job.worker


def test_the_phone_check_reports_a_page_wider_than_the_phone(open_journey, live_server):
    journey = open_journey(viewport=PHONE)
    journey.page.goto(live_server.url + "/accounts/login/")
    journey.page.set_content(
        '<html lang="en"><head><title>Wide</title></head><body><main><h1>Wide</h1>'
        '<div class="too-wide" style="width: 900px">x</div></main></body></html>'
    )
    journey.check()
    assert len(journey.too_wide) == 1
    assert "px wide on a 375 px phone: div.too-wide" in journey.too_wide[0]
    journey.too_wide.clear()  # expected here; the fixture would fail the test otherwise


def test_a_person_sees_their_sessions_on_a_small_phone_and_ends_the_one_on_the_laptop(open_journey, anna):
    laptop = open_journey()
    laptop.login("anna")
    phone = open_journey(viewport={"width": 360, "height": 740})
    page = phone.page
    phone.login("anna")

    page.locator("summary", has_text=str(anna)).click()
    page.get_by_role("link", name="Your sessions").click()
    phone.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your sessions")
    sessions = page.locator("main .card-list > li")
    expect(sessions).to_have_count(2)
    expect(sessions.filter(has_text="This browser")).to_have_count(1)

    sessions.filter(has_not_text="This browser").get_by_role("button", name="End session").click()
    phone.check()
    expect(page.locator("main")).to_contain_text("The session was ended")
    expect(sessions).to_have_count(1)

    laptop.goto("/account/sessions/")  # the laptop is logged out: the login page answers
    assert "/accounts/login/" in laptop.page.url
