"""The issue's full journey in Chromium: a Hong Kong resident applies online with uploads → the
reviewer (signed in with TOTP) asks for a supplement → the resident uploads it → accepted →
approved → delivered → rated; the acceptance voucher is downloadable; the resident's case page
works at phone width and by keyboard."""

import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from PIL import Image
from playwright.sync_api import Page, expect

from tests.accounts.signin_helpers import give_totp, totp_code
from tests.catalog.factories import make_item
from tongban.accounts import services as accounts
from tongban.accounts.constants import Region, Role
from tongban.accounts.identifiers import IdentifierKind
from tongban.cases import services
from tongban.cases.constants import CaseStatus, LetterKind
from tongban.cases.models import Case
from tongban.catalog import constants as c
from tongban.catalog.models import Department

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "a long demo password"


def account(email: str):
    user = get_user_model().objects.create_user(email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def sign_in(page: Page, base: str, email: str, totp_secret: str | None = None) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    if totp_secret:
        page.fill("input[name=code]", totp_code(totp_secret))
        page.locator("main form button[type=submit]").first.click()
        expect(page).not_to_have_url(f"{base}/accounts/2fa/authenticate/")


def png_file(tmp_path, name: str):
    image = Image.new("RGB", (60, 40), (30, 90, 160))
    out = io.BytesIO()
    image.save(out, format="PNG")
    path = tmp_path / name
    path.write_bytes(out.getvalue())
    return path


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def tab_to(page: Page, text: str, limit: int = 80) -> None:
    """Presses Tab until the focused element's text contains ``text``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.innerText || ''")
        if text in focused:
            return
    raise AssertionError(f"Tab never reached {text!r}")


@pytest.fixture
def journey_world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    settings.TONGBAN_SIGNING_KEYS = []
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    department = Department.objects.create(
        credit_code="11440700MB2C942128", name_zh_hans="江门市住房和城乡建设局"
    )
    item = make_item(department, materials=2, channels=[c.Channel.ONLINE, c.Channel.COUNTER])
    later = item.materials.get(position=2)
    later.necessity = c.Necessity.MAY_FOLLOW
    later.save()
    resident = account("chan@example.com")
    accounts.register_person(
        user=resident,
        name_zh="陳大文",
        name_en="CHAN Tai Man",
        phone_region=Region.HONG_KONG,
        preferred_language="en",
        documents=[(IdentifierKind.HKID, "A123456(3)")],
    )
    reviewer = account("reviewer@example.com")
    accounts.assign_role(reviewer, Role.DEPARTMENT_REVIEWER, department=department)
    return {
        "item": item,
        "required": item.materials.get(position=1),
        "later": later,
        "resident": resident,
        "reviewer": reviewer,
        "reviewer_totp": give_totp(reviewer),
    }


def staff_action(page: Page, label: str, fill=None, password: str | None = None) -> None:
    """Opens an action on the staff case page, fills it, and sends it; a decision asks for the
    ``password`` again first (re-authentication), then is carried out."""
    exactly = re.compile(f"^{re.escape(label)}$")
    section = page.locator("details.action", has=page.locator("summary", has_text=exactly))
    section.locator("summary").click()
    if fill:
        fill(section)
    section.locator("button[type=submit]").click()
    if password:
        expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
        page.fill("input[name=password]", password)
        page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".message-success")).to_be_visible()


def test_apply_supplement_accept_approve_deliver_rate(
    page: Page, browser, live_server, journey_world, tmp_path
):
    w = journey_world
    base = live_server.url
    page.set_viewport_size({"width": 360, "height": 760})
    sign_in(page, base, "chan@example.com")

    # Apply online from the item page.
    page.goto(f"{base}/services/{w['item'].implementation_code}/")
    page.get_by_role("link", name="Apply online").click()
    page.get_by_role("button", name="Start my application").click()
    page.fill("textarea[name=details]", "For a mortgage at a Macau bank.")
    page.select_option("select[name=contact_preference]", "sms")
    page.get_by_role("button", name="Save and continue").click()
    page.set_input_files(f"#file-{w['required'].pk}", png_file(tmp_path, "permit.png"))
    page.locator(f"#material-{w['required'].pk} button[type=submit]").click()
    expect(page.locator(f"#material-{w['required'].pk}")).to_contain_text("permit.png")
    assert no_sideways_scroll(page)
    page.get_by_role("link", name="Continue").click()
    expect(page.locator(".consent-text")).to_contain_text("mainland")
    page.check("input[name=agree]")
    page.get_by_role("button", name="Give my consent and continue").click()
    page.get_by_role("button", name="Submit my application").click()
    expect(page.locator(".case-facts")).to_contain_text("Submitted")
    number = Case.objects.get().number

    # The reviewer asks for everything missing at once.
    staff = browser.new_context()
    reviewer = staff.new_page()
    sign_in(reviewer, base, "reviewer@example.com", w["reviewer_totp"])
    reviewer.goto(f"{base}/staff/queue/")
    reviewer.get_by_role("link", name=number).click()
    staff_action(
        reviewer,
        "Ask for supplements",
        lambda form: (
            form.get_by_label(w["later"].name).check(),
            form.locator("textarea[name$=missing_other]").fill("A clearer copy of your HKID"),
        ),
    )

    # The applicant sees the list, reaches the upload by keyboard, uploads, hands it in.
    page.goto(f"{base}/me/cases/{number}/")
    expect(page.locator(".supplement")).to_contain_text(w["later"].name)
    expect(page.locator(".supplement")).to_contain_text("A clearer copy of your HKID")
    assert no_sideways_scroll(page)
    tab_to(page, "Upload the supplements")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/me/cases/{number}/materials/")
    page.set_input_files(f"#file-{w['later'].pk}", png_file(tmp_path, "licence.png"))
    page.locator(f"#material-{w['later'].pk} button[type=submit]").click()
    expect(page.locator(f"#material-{w['later'].pk}")).to_contain_text("licence.png")
    page.goto(f"{base}/me/cases/{number}/")
    page.get_by_role("button", name="Hand in the supplements").click()
    expect(page.locator(".message-success")).to_be_visible()
    page.get_by_label("Electronic result downloaded").check()
    page.get_by_role("button", name="Save my choice").click()
    expect(page.locator(".message-success")).to_be_visible()

    # Accept, review, approve, deliver.
    reviewer.goto(f"{base}/staff/cases/{number}/")
    staff_action(reviewer, "Accept")
    services.issue_letter_now(Case.objects.get(number=number), LetterKind.ACCEPTANCE)
    staff_action(reviewer, "Start the review")
    staff_action(reviewer, "Approve", password=PASSWORD)
    services.issue_letter_now(Case.objects.get(number=number), LetterKind.APPROVAL)
    staff_action(reviewer, "Record the delivery")  # as the applicant chose
    assert Case.objects.get(number=number).status == CaseStatus.DELIVERED
    staff.close()

    # The applicant sees the outcome and the voucher, at phone width and by keyboard.
    page.goto(f"{base}/me/cases/{number}/")
    expect(page.locator(".case-facts")).to_contain_text("Delivered")
    expect(page.locator(".letters")).to_contain_text("JMSL-")
    assert no_sideways_scroll(page)
    with page.expect_download() as download:
        tab_to(page, "JMSL-")
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.startswith("JMSL-")
    rate_in_browser(page, number)


def rate_in_browser(page: Page, number: str) -> None:
    """好差评 after the decision: a bad rating opens a follow-up."""
    page.get_by_label("2 · Dissatisfied").check()
    page.fill("textarea[name$=comment]", "Nobody told me what was happening.")
    page.get_by_role("button", name="Send my rating").click()
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Waiting for a call-back")
    rating = services.rating_of_case(Case.objects.get(number=number).submitted_by, number)
    assert rating.level == 2 and rating.follow_up is not None


def test_clerk_takes_in_a_case_at_the_counter_by_keyboard(
    page: Page, live_server, journey_world, tmp_path
):
    from tests.accounts.conftest import shipped_zone
    from tongban.accounts.constants import ConsentPurpose

    w = journey_world
    base = live_server.url
    person = accounts.person_for(w["resident"])
    accounts.give_consent(w["resident"], person, ConsentPurpose.CASE_PROCESSING, language="en")
    clerk = account("clerk.mo@example.com")
    zone = shipped_zone("MO-1", "MO")  # a transactional test elsewhere may have flushed it
    w["item"].zones.add(zone)
    accounts.assign_role(clerk, Role.ZONE_CLERK, zone=zone)
    sign_in(page, base, clerk.email, give_totp(clerk))

    page.goto(f"{base}/staff/counter/")
    page.select_option("select[name=kind]", IdentifierKind.HKID)
    page.focus("select[name=kind]")
    page.keyboard.press("Tab")
    page.keyboard.type("a123456 3")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("陳大文")
    expect(page.locator("main")).to_contain_text("A12****(3)")
    expect(page.locator("main")).not_to_contain_text("A123456(3)")
    page.select_option("select[name=item]", w["item"].implementation_code)
    page.check("input[name=identity_checked]")
    page.get_by_role("button", name="Start the case").click()
    expect(page.locator(".message-success")).to_be_visible()

    page.set_input_files(f"#file-{w['required'].pk}", png_file(tmp_path, "scan.png"))
    page.locator(f"#material-{w['required'].pk} button[type=submit]").click()
    expect(page.locator(f"#material-{w['required'].pk}")).to_contain_text("scan.png")
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.locator(".case-facts")).to_contain_text("Submitted")
    case = Case.objects.get()
    assert case.channel == "counter" and case.received_at_zone.code == "MO-1"
    assert case.identity_checked_by == clerk and case.status == CaseStatus.SUBMITTED
