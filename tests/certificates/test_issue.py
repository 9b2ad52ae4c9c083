"""Issuing: the own-records rule, and every way verification must say no (§9)."""

import base64
import datetime as dt
import json
from io import StringIO

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from reportlab.pdfgen.canvas import Canvas

from tongban.certificates import services
from tongban.certificates.kinds import Channel
from tongban.core.models import AuditEvent
from tongban.documents import keys
from tongban.documents import services as documents
from tongban.documents.constants import Problem, VerificationStatus
from tongban.documents.models import IssuedDocument

pytestmark = pytest.mark.django_db


def issue(requester, kind="social_insurance", subject=None, channel=Channel.ONLINE):
    return services.issue_certificate(requester, kind, subject, None, channel)


def verify_file(path, *options) -> str:
    out = StringIO()
    call_command("certificate", "verify", str(path), *options, stdout=out)
    return out.getvalue()


def refused_file(path, *options) -> str:
    with pytest.raises(CommandError) as failed:
        verify_file(path, *options)
    assert failed.value.returncode == 1
    return str(failed.value)


@pytest.fixture
def certificate_file(demo, tmp_path):
    document = issue(demo["lei"])
    path = tmp_path / f"{document.number}.pdf"
    path.write_bytes(services.read_pdf(document))
    return document, path


# --- Who may obtain what -------------------------------------------------------------------------


def test_holder_gets_their_own_certificate_under_the_document_the_department_knows(demo):
    document = issue(demo["lei"])
    assert document.holder_masked == "M1*****78"
    assert document.issued_by == f"user:{demo['lei'].pk}"
    events = list(AuditEvent.objects.filter(event="certificate_issued", object_id=document.number))
    assert len(events) == 1 and events[0].payload["channel"] == "online"


@pytest.mark.parametrize(
    ("asker", "kind", "about"),
    [
        ("chan", "social_insurance", "lei_permit"),  # another resident's records
        ("lei", "tax", "chan_permit"),
        ("lei", "company", "company"),  # a company she is not authorised for
        ("santos", "social_insurance", "lei_permit"),
    ],
)
def test_nobody_obtains_a_certificate_about_someone_elses_records(demo, asker, kind, about):
    with pytest.raises(services.CertificateRefused) as refused:
        issue(demo[asker], kind, demo[about])
    assert refused.value.permission
    assert IssuedDocument.objects.count() == 0
    assert AuditEvent.objects.filter(event="certificate_refused").count() == 1


def test_anonymous_is_refused(demo):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(services.CertificateRefused):
        issue(AnonymousUser(), subject=demo["lei_permit"])
    assert IssuedDocument.objects.count() == 0


def test_no_records_means_no_certificate(demo):
    with pytest.raises(services.CertificateRefused) as refused:
        issue(demo["santos"], "tax")
    assert "no records" in refused.value.message
    assert IssuedDocument.objects.count() == 0


def test_kiosk_holder_and_operator(demo):
    from tongban.records import services as records

    person = records.person_of_user(demo["lei"])
    kiosk = issue(services.KioskHolder(person, "s"), channel=Channel.KIOSK)
    assert kiosk.issued_by == f"service:kiosk.person-{person.pk}"
    with pytest.raises(services.CertificateRefused):
        issue(services.KioskHolder(person, "s"), "tax", demo["chan_permit"], Channel.KIOSK)
    operator = issue(services.Operator(), "tax", demo["chan_permit"], Channel.COMMAND)
    assert operator.issued_by == "command:certificate"


# --- The command line ----------------------------------------------------------------------------


def test_operator_command_issues_and_verifies_offline_and_one_byte_fails(demo, tmp_path):
    out = StringIO()
    path = tmp_path / "si.pdf"
    call_command("certificate", "issue", "--demo", "--out", str(path), stdout=out)
    assert "SIC-" in out.getvalue() and "M1*****78" in out.getvalue()
    assert verify_file(path).startswith("VALID")
    jwks = tmp_path / "keys.json"
    jwks.write_text(json.dumps(documents.published_keys()))
    assert "offline" in verify_file(path, "--keys", str(jwks))
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x01
    path.write_bytes(bytes(data))
    assert "changed" in refused_file(path)


def test_operator_command_with_a_holder_and_bad_holders(demo, tmp_path):
    path = tmp_path / "tax.pdf"
    call_command(
        "certificate",
        "issue",
        "tax",
        "--holder",
        "hmt-permit:H12345678",
        "--out",
        str(path),
        stdout=StringIO(),
    )
    assert verify_file(path).startswith("VALID")
    for holder in ("H12345678", "hkid:A123456(4)", "nonsense:1"):
        with pytest.raises(CommandError):
            call_command("certificate", "issue", "tax", "--holder", holder, "--out", str(path))


# --- Verification saying no ------------------------------------------------------------------------


def test_expired_certificate(certificate_file):
    from tongban.documents import signing

    document, _path = certificate_file
    # Offline: the token's own expiry, checked against a clock past the end of validity.
    with pytest.raises(signing.TokenError) as expired:
        signing.verify_token(document.token, now=document.valid_until.timestamp() + 1)
    assert expired.value.reason == Problem.EXPIRED
    # Online: the registry's dates.
    IssuedDocument.objects.filter(pk=document.pk).update(
        valid_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert services.verify_code(document.verification_code).status == VerificationStatus.EXPIRED


def test_revocation_by_the_department_shows_revoked_from_then_on(demo, certificate_file, client):
    from tongban.accounts import services as accounts
    from tongban.catalog.models import Department

    document, path = certificate_file
    hrss = Department.objects.create(
        credit_code="11440700MB2C010016", name_zh_hans="江门市人力资源和社会保障局"
    )
    tax_office = Department.objects.create(
        credit_code="11440700MB2C02001D", name_zh_hans="国家税务总局江门市税务局"
    )
    reviewer = demo["chan"].__class__.objects.create_user(
        email="hrss@example.test", password="x" * 12
    )
    accounts.assign_role(reviewer, "department_reviewer", department=hrss)
    other = demo["chan"].__class__.objects.create_user(email="tax@example.test", password="x" * 12)
    accounts.assign_role(other, "department_reviewer", department=tax_office)
    for user in (other, demo["lei"]):
        with pytest.raises(services.CertificateRefused):
            services.revoke_certificate(user, document.number, "wrong person")
    with pytest.raises(services.CertificateRefused):
        services.revoke_certificate(reviewer, document.number, "  ")
    services.revoke_certificate(
        reviewer, document.number, "Contributions corrected by the employer"
    )
    assert services.verify_code(document.verification_code).status == VerificationStatus.REVOKED
    page = client.get("/verify", {"code": document.display_code})
    assert page.context["result"].status == VerificationStatus.REVOKED
    assert "revoked" in refused_file(path)
    event = AuditEvent.objects.get(event="document_revoked", object_id=document.number)
    assert event.actor == f"user:{reviewer.pk}"
    with pytest.raises(services.CertificateRefused):  # already revoked
        services.revoke_certificate(reviewer, document.number, "again")


def test_key_rotation_keeps_old_certificates_verifying(demo, tmp_path):
    before = issue(demo["lei"])
    keys.rotate_embedded_key()
    after = issue(demo["lei"])
    assert before.key_id != after.key_id
    for document in (before, after):
        assert services.verify_pdf(services.read_pdf(document)).is_valid
        assert documents.verify_token(document.token).is_valid


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_forged_token_and_unknown_key(certificate_file):
    document, _path = certificate_file
    header, payload, signature = document.token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["hm"] = "Z9*****99"
    forged = ".".join([header, _b64(json.dumps(claims).encode()), signature])
    assert documents.verify_token(forged).problem == Problem.BAD_SIGNATURE
    stranger = Ed25519PrivateKey.generate()
    fake_header = _b64(json.dumps({"alg": "Ed25519", "kid": "0123456789abcdef"}).encode())
    signed = stranger.sign(f"{fake_header}.{payload}".encode())
    unknown = f"{fake_header}.{payload}.{_b64(signed)}"
    assert documents.verify_token(unknown).problem == Problem.UNKNOWN_KEY


def test_truncated_pdf_and_pdf_without_token(certificate_file, tmp_path):
    _document, path = certificate_file
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert "NOT VALID" in refused_file(path)
    plain = tmp_path / "plain.pdf"
    canvas = Canvas(str(plain))
    canvas.drawString(100, 700, "Certificate")
    canvas.save()
    assert "carries no Tongban signature" in refused_file(plain)
    with pytest.raises(CommandError):
        verify_file(tmp_path / "missing.pdf")


def test_codes_with_wrong_characters_are_refused_clearly(certificate_file):
    with pytest.raises(services.InvalidCode) as wrong:
        services.verify_code("ABCD-EFGH-!UU")
    assert "cannot appear" in str(wrong.value.message)
    assert services.verify_code("0000-0000-0000").status == VerificationStatus.UNKNOWN


def test_demo_issue_on_an_empty_platform_creates_the_demo_world_first(db, tmp_path):
    path = tmp_path / "demo.pdf"
    out = StringIO()
    call_command("certificate", "issue", "--demo", "--out", str(path), stdout=out)
    assert "Demo world created" in out.getvalue()
    assert "Issued SIC-" in out.getvalue() and "M1*****78" in out.getvalue()
    assert verify_file(path).startswith("VALID")


def test_demo_issue_is_refused_in_production(db, settings, tmp_path):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("certificate", "issue", "--demo", "--out", str(tmp_path / "x.pdf"))
    assert IssuedDocument.objects.count() == 0


def test_an_agent_needs_the_certificates_scope_and_a_valid_authorisation(demo):
    from tongban.accounts import services as accounts
    from tongban.records import services as records

    wong_person = records.person_of_user(demo["wong"])
    lei_person = records.person_of_user(demo["lei"])
    company = next(c for c, _a in accounts.companies_of(wong_person) if c.identifier_kind == "uscc")
    accounts.authorise(demo["wong"], lei_person, company, ["apply", "receive_results"])
    with pytest.raises(services.CertificateRefused):
        issue(demo["lei"], "company", demo["company"])
    accounts.authorise(demo["wong"], lei_person, company, ["certificates"])
    assert issue(demo["lei"], "company", demo["company"]).holder_masked == "91**************06"
    for authorisation in accounts.authorisations_of(demo["wong"], company):
        if authorisation.person_id == lei_person.pk:
            accounts.revoke_authorisation(demo["wong"], authorisation)
    with pytest.raises(services.CertificateRefused):
        issue(demo["lei"], "company", demo["company"])


def test_an_unreachable_department_system_is_a_clear_refusal(demo, settings):
    settings.TONGBAN_RECORD_PROVIDERS = ["*=http"]
    settings.TONGBAN_RECORDS_HTTP_URL = "http://127.0.0.1:9"
    settings.TONGBAN_RECORDS_HTTP_TIMEOUT = 0.5
    with pytest.raises(services.CertificateRefused) as refused:
        issue(demo["lei"])
    assert "cannot be reached" in refused.value.message
    assert IssuedDocument.objects.count() == 0
