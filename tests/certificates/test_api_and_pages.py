"""POST /api/v1/certificates, GET /api/v1/certificates/verify, and the /certificates/ pages."""

import pytest
from django.core.cache import cache

from tongban.certificates import services
from tongban.documents.models import IssuedDocument

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


def test_api_issues_for_the_signed_in_holder_and_serves_the_pdf(demo, client):
    client.force_login(demo["lei"])
    answer = client.post(
        "/api/v1/certificates",
        {"kind": "social_insurance", "language2": "en"},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["holder_masked"] == "M1*****78" and body["number"].startswith("SIC-")
    pdf = client.get(body["pdf_url"])
    assert pdf["Content-Type"] == "application/pdf" and pdf["Cache-Control"] == "no-store"
    assert "李美玲" in pdf_text(pdf.content)
    client.force_login(demo["chan"])
    assert client.get(body["pdf_url"]).status_code == 404  # not his


def test_api_refuses_someone_elses_records_and_bad_input(demo, client):
    client.force_login(demo["chan"])
    other = client.post(
        "/api/v1/certificates",
        {"kind": "social_insurance", "holder_kind": "hmt-permit", "holder_number": "M12345678"},
        content_type="application/json",
    )
    assert other.status_code == 403 and "your own records" in other.json()["detail"]
    bad = client.post(
        "/api/v1/certificates",
        {"kind": "social_insurance", "holder_kind": "hkid", "holder_number": "A123456(4)"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    unknown = client.post("/api/v1/certificates", {"kind": "visa"}, content_type="application/json")
    assert unknown.status_code == 422
    assert IssuedDocument.objects.count() == 0
    client.logout()
    anonymous = client.post(
        "/api/v1/certificates", {"kind": "tax"}, content_type="application/json"
    )
    assert anonymous.status_code == 401


def test_verify_api_gives_the_same_answer_as_the_page(demo, client):
    document = services.issue_certificate(demo["lei"], "social_insurance")
    api = client.get("/api/v1/certificates/verify", {"code": document.display_code.lower()}).json()
    page = client.get("/verify", {"code": document.display_code}).context["result"]
    assert api["status"] == page.status == "valid"
    assert api["holder_masked"] == page.holder_masked == "M1*****78"
    assert api["number"] == document.number
    wrong = client.get("/api/v1/certificates/verify", {"code": "ABCD-EFGH-!UU"})
    assert wrong.status_code == 400 and "cannot appear" in wrong.json()["detail"]


def test_brute_forcing_codes_hits_the_rate_limit(demo, client, settings):
    settings.TONGBAN_VERIFICATIONS_PER_MINUTE = 5
    cache.clear()
    answers = [
        client.get("/api/v1/certificates/verify", {"code": f"0000-0000-000{n}"}).status_code
        for n in range(8)
    ]
    assert answers[:5] == [200] * 5 and answers[5:] == [429] * 3
    # The page shares the budget: no way around the limit.
    assert client.get("/verify", {"code": "0000-0000-0009"}).status_code == 429


def test_page_previews_then_issues_then_downloads(demo, client):
    client.force_login(demo["lei"])
    form = client.get("/certificates/")
    assert form.status_code == 200
    assert "M12345678" not in form.content.decode()  # choices show masked numbers only
    preview = client.post("/certificates/", {"kind": "tax", "language2": "pt", "action": "preview"})
    assert preview.status_code == 200
    assert "工资薪金所得" in preview.content.decode()
    assert IssuedDocument.objects.count() == 0  # a preview signs nothing
    issued = client.post("/certificates/", {"kind": "tax", "language2": "pt", "action": "issue"})
    # Issue 10 §5: the button that says "download" answers with the PDF, not a page of links.
    assert issued.status_code == 200 and issued["Content-Type"] == "application/pdf"
    document = IssuedDocument.objects.get()
    assert issued["Content-Disposition"] == f'attachment; filename="{document.number}.pdf"'
    assert "no-store" in issued["Cache-Control"]
    assert document.display_code in pdf_text(issued.content)
    detail = client.get(f"/certificates/{document.number}/")
    assert document.display_code in detail.content.decode()
    download = client.get(f"/certificates/{document.number}/pdf")
    assert download["Content-Disposition"].startswith("attachment")


def test_page_refuses_a_company_she_is_not_authorised_for(demo, client):
    client.force_login(demo["lei"])
    answer = client.post("/certificates/", {"kind": "company", "action": "issue"})
    assert answer.status_code == 403
    assert "authorised" in answer.content.decode()
    assert IssuedDocument.objects.count() == 0


def test_revoke_page_for_department_staff(demo, client):
    from tongban.accounts import services as accounts
    from tongban.catalog.models import Department

    document = services.issue_certificate(demo["lei"], "social_insurance")
    hrss = Department.objects.create(
        credit_code="11440700MB2C010016", name_zh_hans="江门市人力资源和社会保障局"
    )
    reviewer = demo["lei"].__class__.objects.create_user(email="r@example.test", password="x" * 12)
    accounts.assign_role(reviewer, "department_reviewer", department=hrss)
    client.force_login(demo["lei"])
    refused = client.post("/certificates/revoke/", {"number": document.number, "reason": "x"})
    assert refused.status_code == 400
    # Staff must enrol TOTP before any page (middleware); the page calls this same service.
    services.revoke_certificate(reviewer, document.number, "Employer corrected the months")
    client.logout()
    assert client.get("/verify", {"code": document.display_code}).context["result"].status == (
        "revoked"
    )
