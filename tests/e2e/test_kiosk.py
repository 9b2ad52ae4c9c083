"""The kiosk in Chromium: a Macau resident prints a 参保证明, a stranger verifies its code on
/verify and sees it valid; after the department revokes it, /verify says revoked."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from playwright.sync_api import Page, expect

from tongban.accounts import services as accounts
from tongban.certificates import kiosk, services
from tongban.documents import keys
from tongban.documents.models import IssuedDocument
from tongban.records import services as records

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def kiosk_world(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TONGBAN_SIGNING_KEYS = []
    settings.TONGBAN_KIOSK_SMS_CHANNEL = "memory"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    keys.forget_keys()
    cache.clear()
    kiosk.MemorySmsChannel.outbox.clear()
    accounts.create_demo_people("demo-password-123")
    records.create_demo_records(dt.date(2026, 11, 21))
    yield kiosk.MemorySmsChannel.outbox
    kiosk.MemorySmsChannel.outbox.clear()
    keys.forget_keys()


def test_print_at_the_kiosk_then_a_stranger_verifies(
    page: Page, browser, live_server, kiosk_world, tmp_path
):
    outbox, screenshots = kiosk_world, tmp_path
    csp_violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.set_viewport_size({"width": 1080, "height": 1920})  # a portrait kiosk screen
    page.goto(f"{live_server.url}/kiosk/")
    page.get_by_label("Identity document").select_option("hmt-permit")
    page.get_by_label("Document number").fill("M12345678")
    page.get_by_role("button", name="Send me a code").click()

    expect(page.locator("h1")).to_have_text("Enter the code")
    phone, message = outbox[-1]
    assert phone == "+85366123456"
    page.get_by_label("Code from the text message").fill(re.search(r"\d{6}", message).group())
    page.get_by_role("button", name="Continue").click()

    expect(page.locator("h1")).to_have_text("Choose a certificate")
    expect(page.locator("#kiosk-timer")).to_contain_text("120")
    page.get_by_role("button", name="Social insurance certificate").click()
    expect(page.locator(".certificate-preview")).to_contain_text("个人参保证明")
    expect(page.locator(".certificate-preview")).to_contain_text("李美玲")
    page.screenshot(path=str(screenshots / "kiosk-preview.png"))
    page.get_by_role("button", name="Print").click()

    expect(page.locator("h1")).to_have_text("Your certificate is ready")
    code = page.locator("#verification-code").inner_text().strip()
    pdf_url = page.locator("#print-link").get_attribute("href")
    pdf = page.request.get(f"{live_server.url}{pdf_url}")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("inline")
    assert "no-store" in pdf.headers["cache-control"]
    assert pdf.body().startswith(b"%PDF-")

    page.get_by_role("button", name="Finish").click()
    expect(page.locator(".kiosk-messages")).to_contain_text("session has ended")
    page.goto(f"{live_server.url}{pdf_url}")
    expect(page.locator("h1")).to_have_text("Print a certificate")  # nothing left to reprint

    stranger = browser.new_context(java_script_enabled=False).new_page()
    stranger.goto(f"{live_server.url}/verify")
    stranger.get_by_label("Verification code").fill(code)
    stranger.get_by_role("button", name="Check").click()
    expect(stranger.locator(".verify-result")).to_have_class(re.compile("verify-valid"))
    expect(stranger.locator(".verify-result")).to_contain_text("M1*****78")

    supervisor = get_user_model().objects.get(email="supervisor@demo.tongban.invalid")
    (number,) = IssuedDocument.objects.values_list("number", flat=True)
    expect(stranger.locator(".verify-facts")).to_contain_text(number)
    services.revoke_certificate(supervisor, number, "Issued against the wrong months")
    stranger.reload()
    expect(stranger.locator(".verify-result")).to_have_class(re.compile("verify-revoked"))
    stranger.context.close()
    assert csp_violations == []


def test_an_idle_kiosk_clears_its_screen(page: Page, live_server, kiosk_world, settings):
    settings.TONGBAN_KIOSK_IDLE_SECONDS = 3
    outbox = kiosk_world
    page.goto(f"{live_server.url}/kiosk/")
    page.get_by_label("Identity document").select_option("hmt-permit")
    page.get_by_label("Document number").fill("M12345678")
    page.get_by_role("button", name="Send me a code").click()
    page.get_by_label("Code from the text message").fill(re.search(r"\d{6}", outbox[-1][1]).group())
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Choose a certificate")
    # Nobody touches the screen: it goes back to the start by itself, the session gone.
    expect(page.locator(".kiosk-messages")).to_contain_text("without use", timeout=15_000)
    expect(page.locator("h1")).to_have_text("Print a certificate")
    page.goto(f"{live_server.url}/kiosk/choose/")
    expect(page.locator("h1")).to_have_text("Print a certificate")


def test_kiosk_pages_work_without_javascript(browser, live_server, kiosk_world):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/kiosk/")
    page.get_by_label("Identity document").select_option("mo-bir")
    page.get_by_label("Document number").fill("1234567(8)")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Enter the code")
    page.get_by_label("Code from the text message").fill("000000")
    page.keyboard.press("Enter")
    expect(page.locator(".kiosk-error")).to_contain_text("not right")
    page.get_by_role("button", name="繁體中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")
    expect(page.get_by_role("button", name="繁體中文")).to_have_attribute("aria-pressed", "true")
    context.close()


def test_signed_in_holder_previews_issues_and_downloads_at_phone_width(
    browser, live_server, kiosk_world
):
    context = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/certificates/")
    page.locator("#id_login").fill("lei.meileng@demo.tongban.invalid")
    page.locator("#id_password").fill("demo-password-123")
    page.locator("#id_password").press("Enter")
    expect(page.locator("h1")).to_have_text("Certificates")
    page.get_by_label("Certificate").select_option("tax")
    page.get_by_label("Second language").select_option("pt")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".certificate-preview")).to_contain_text("工资薪金所得")
    # The issue button downloads the PDF itself (issue 10 §5), no second page to click through.
    with page.expect_download() as download:
        page.get_by_role("button", name="Issue and download the PDF").click()
    assert download.value.suggested_filename.startswith("TAXR-")
    number = download.value.suggested_filename.removesuffix(".pdf")
    page.goto(f"{live_server.url}/certificates/{number}/")
    expect(page.locator(".code")).to_have_text(re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$"))
    with page.expect_download() as again:
        page.get_by_role("link", name="Download the PDF").click()
    assert again.value.suggested_filename == download.value.suggested_filename
    context.close()
