"""Certificates people can rely on (issue 10 §5): the catalog leads to the one-click
certificate, the person picks the period and insurance type, the PDF has no near-empty page and
embeds its fonts, and /verify states the figures so an altered copy cannot pass as matching."""

import base64
import io
import json

import pytest
from pypdf import PdfReader

from tests.catalog.factories import make_item
from tongban.certificates import services
from tongban.certificates.kinds import Channel
from tongban.documents import services as documents
from tongban.documents.constants import Problem, VerificationStatus
from tongban.documents.models import IssuedDocument
from tongban.documents.pdf_seal import unseal

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


def issue(requester, kind="social_insurance", language2=None, **scope):
    return services.issue_certificate(requester, kind, None, language2, Channel.ONLINE, **scope)


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


# --- The catalog leads to the certificate --------------------------------------------------------


def test_catalog_item_of_a_certificate_offers_it_instead_of_apply_online(client):
    item = make_item(basic_code="110080001000", online=True)  # 个人参保证明查询打印
    page = client.get(f"/services/{item.implementation_code}/").content.decode()
    assert "Get the certificate" in page
    assert 'href="/certificates/?kind=social_insurance"' in page
    assert "Apply online" not in page


def test_the_mapping_is_by_basic_code_not_by_name(client):
    # Named like the certificate, but another item of the catalog: an ordinary case.
    item = make_item(basic_code="110080002000", online=True)
    page = client.get(f"/services/{item.implementation_code}/").content.decode()
    assert "Apply online" in page and "Get the certificate" not in page


def test_certificates_page_opens_with_the_kind_from_the_catalog(demo, client):
    client.force_login(demo["lei"])
    page = client.get("/certificates/", {"kind": "tax"})
    assert page.context["form"]["kind"].value() == "tax"


def test_issue_button_downloads_the_chosen_period_and_insurance_type(demo, client):
    client.force_login(demo["lei"])
    answer = client.post(
        "/certificates/",
        {
            "kind": "social_insurance",
            "period_start": "2026-01",
            "period_end": "2026-06",
            "insurance_type": "养老",
            "action": "issue",
        },
    )
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"].startswith('attachment; filename="SIC-')
    assert "no-store" in answer["Cache-Control"]
    document = IssuedDocument.objects.get()
    months = [m["month"] for m in document.record_data["record"]["months"]]
    assert months == [f"2026-{n:02d}" for n in range(1, 7)]
    assert [s["insurance_type"] for s in document.record_data["record"]["summaries"]] == ["养老"]
    text = pdf_text(answer.content)
    assert "2026-01—2026-06" in text and "2025-12" not in text


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-06", "2026-01", "must not come after"),
        ("2026-13", "2026-14", "is not a month"),
        ("2026-01", "", "both the first and the last month"),
    ],
)
def test_a_bad_period_is_refused_clearly_and_issues_nothing(demo, client, start, end, message):
    client.force_login(demo["lei"])
    answer = client.post(
        "/certificates/",
        {"kind": "social_insurance", "period_start": start, "period_end": end, "action": "issue"},
    )
    assert answer.status_code == 400 and message in answer.content.decode()
    assert IssuedDocument.objects.count() == 0


def test_insurance_type_is_refused_for_other_kinds_through_the_api(demo, client):
    client.force_login(demo["lei"])
    answer = client.post(
        "/api/v1/certificates",
        {"kind": "tax", "insurance_type": "养老"},
        content_type="application/json",
    )
    assert answer.status_code == 400 and "per insurance type" in answer.json()["detail"]
    assert IssuedDocument.objects.count() == 0


# --- The PDF -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("language2", [None, "en", "pt", "zh-hant"])
def test_three_years_fill_two_pages_and_the_last_is_not_near_empty(demo, language2):
    document = issue(demo["lei"], language2=language2)
    assert len(document.record_data["record"]["months"]) == 36
    pages = page_texts(services.read_pdf(document))
    assert len(pages) == 2
    last_months = [line for line in pages[1].splitlines() if line[:4] in {"2025", "2026"}]
    assert len(last_months) >= 10  # a real second page of months, not a stray line or two


@pytest.mark.parametrize("kind", ["social_insurance", "tax", "real_estate"])
def test_short_certificates_fit_one_page(demo, kind):
    scope = {"period": ("2026-05", "2026-10")} if kind == "social_insurance" else {}
    document = issue(demo["lei"], kind, language2="pt", **scope)
    assert len(page_texts(services.read_pdf(document))) == 1


def test_portuguese_text_and_masked_numbers_extract_as_written(demo):
    document = issue(demo["lei"], "tax", language2="pt")
    text = "\n".join(page_texts(services.read_pdf(document)))
    assert "M1*****78" in text  # one run in one font: no gap, no squeezed letters
    assert "Registo do imposto sobre o rendimento individual" in text
    assert "código de verificação" in text  # accented Portuguese, extracted as written


# --- What /verify states -------------------------------------------------------------------------


def test_verify_page_shows_period_totals_and_table_digest(demo, client):
    document = issue(demo["lei"])
    facts = document.payload["facts"]
    page = client.get("/verify", {"code": document.display_code}).content.decode()
    assert "Period" in page and "2023-11 — 2026-10" in page
    assert "Cumulative months: Basic pension insurance" in page
    assert facts["te"] in page and facts["tp"] in page
    grouped = " ".join(facts["d"][i : i + 4] for i in range(0, 16, 4))
    assert "Digest of the table" in page and grouped in page
    assert facts["d"] in pdf_text(services.read_pdf(document))  # printed under the table
    scanned = client.get("/verify", {"t": document.token}).content.decode()  # the QR code
    assert grouped in scanned and facts["te"] in scanned
    api = client.get("/api/v1/documents/verify", {"code": document.display_code}).json()
    assert api["facts"] == facts
    assert {"label": "Digest of the table", "value": grouped} in api["statements"]


def test_the_printed_totals_are_the_signed_ones(demo):
    document = issue(demo["lei"])
    text = pdf_text(services.read_pdf(document))
    facts = document.payload["facts"]
    assert facts["te"] in text and facts["tp"] in text and facts["p"] == ["2023-11", "2026-10"]


def _altered_token(token: str, change) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    change(claims)
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_a_token_with_an_altered_figure_fails(demo, client):
    document = issue(demo["lei"])
    forged = _altered_token(document.token, lambda c: c["facts"].update(te="99,999.99"))
    result = documents.verify_token(forged)
    assert result.status == VerificationStatus.INVALID and result.problem == Problem.BAD_SIGNATURE
    page = client.get("/verify", {"t": forged}).content.decode()
    assert "Not genuine" in page and "99,999.99" not in page


def test_a_pdf_with_an_altered_figure_fails(demo):
    document = issue(demo["lei"])
    sealed = services.read_pdf(document)
    body, token = unseal(sealed)
    # Swap one signed figure inside the token of the seal: the signature no longer holds.
    forged = _altered_token(token, lambda c: c["facts"].update(n=12))
    result = documents.verify_pdf(body + b"%TONGBAN-SIG " + forged.encode() + b"\n")
    assert result.status == VerificationStatus.INVALID
