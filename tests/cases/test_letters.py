"""Vouchers and letters (§5): signed PDFs in Chinese plus the applicant's language, one per
transition, whose QR code verifies on the public /verify page."""

import io
import shutil
import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest
from pypdf import PdfReader

from tongban.cases import services
from tongban.cases.constants import LetterKind
from tongban.cases.hooks import letter_builders
from tongban.cases.tasks import issue_case_letter
from tongban.documents import keys

from .conftest import submitted_case

PUBLIC_URL = "https://tongban.test"


@pytest.fixture(autouse=True)
def _signing(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.TONGBAN_SIGNING_KEYS = []
    settings.TONGBAN_PUBLIC_URL = PUBLIC_URL
    keys.forget_keys()
    yield
    keys.forget_keys()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_every_letter_kind_has_a_builder():
    assert set(letter_builders.names()) == set(LetterKind.values)


def test_acceptance_voucher_in_chinese_and_english(world):
    w = world
    w.person.preferred_language = "en"
    w.person.save()
    case = services.accept(w.reviewer, submitted_case(w).number)
    document = services.issue_letter_now(case, LetterKind.ACCEPTANCE)
    assert document.number.startswith("JMSL-")
    text = pdf_text(services.open_case_letter(w.applicant, case.number, document.number)[1])
    assert "受理通知书" in text and "Acceptance notice" in text
    assert case.number in text and str(case.statutory_due) in text
    # Issuing again (a retried task) gives the same letter, not a second one.
    again = issue_case_letter.call(case.pk, LetterKind.ACCEPTANCE)
    assert again == {"status": "issued", "number": document.number}
    assert [d.number for d in services.case_letters(w.applicant, case.number)] == [document.number]


def test_denial_states_reasons_and_rights_in_traditional_chinese(world):
    w = world
    case = services.accept(w.reviewer, submitted_case(w).number)
    case = services.deny(w.reviewer, case.number, reasons="房屋用途與申請不符")
    document = services.issue_letter_now(case, LetterKind.DENIAL)
    text = pdf_text(services.open_case_letter(w.applicant, case.number, document.number)[1])
    assert "不予许可决定书" in text and "不予許可決定書" in text
    assert "房屋用途與申請不符" in text
    assert "行政复议" in text and "行政訴訟" in text


def test_supplement_notice_lists_everything_missing(world):
    w = world
    case = submitted_case(w)
    case = services.request_supplement(
        w.reviewer, case.number, missing_requirements=[w.may_follow.pk], missing_other=["委托书"]
    )
    document = services.issue_letter_now(case, LetterKind.SUPPLEMENT)
    text = pdf_text(services.open_case_letter(w.applicant, case.number, document.number)[1])
    assert "补正告知书" in text and w.may_follow.name_zh_hans in text and "委托书" in text


def test_another_applicant_cannot_open_the_letter(world):
    w = world
    case = services.accept(w.reviewer, submitted_case(w).number)
    document = services.issue_letter_now(case, LetterKind.ACCEPTANCE)
    with pytest.raises(services.CaseNotFound):
        services.open_case_letter(w.other_applicant, case.number, document.number)
    with pytest.raises(services.CaseNotFound):
        services.open_case_letter(w.reviewer_tax, case.number, document.number)


@pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
    reason="QR decoding needs poppler-utils and zbar-tools: apt-get install poppler-utils zbar-tools",
)
def test_voucher_qr_code_verifies_on_the_public_page(world, client, tmp_path):
    w = world
    case = services.accept(w.reviewer, submitted_case(w).number)
    document = services.issue_letter_now(case, LetterKind.ACCEPTANCE)
    pdf_path = tmp_path / "voucher.pdf"
    pdf_path.write_bytes(services.open_case_letter(w.applicant, case.number, document.number)[1])
    subprocess.run(
        ["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(pdf_path), str(tmp_path / "p")],
        check=True,
    )
    (image,) = tmp_path.glob("p*.png")
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    url = urlsplit(decoded)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{PUBLIC_URL}/verify"
    response = client.get("/verify", parse_qs(url.query))
    assert response.status_code == 200
    page = response.content.decode()
    assert "verify-valid" in page and document.number in page
