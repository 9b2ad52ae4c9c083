"""Issuing, verifying by code and token, and revoking documents through services."""

import datetime as dt
import re

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from tongban.core.models import AuditEvent
from tongban.documents import codes, keys, services
from tongban.documents.constants import DocumentStatus, Problem, VerificationStatus
from tongban.documents.models import IssuedDocument

from .conftest import RECORD, TEST_KIND

pytestmark = pytest.mark.django_db


def test_issue_numbers_per_kind_and_year_and_stores_a_sealed_pdf(issue):
    first, second = issue(), issue()
    year = timezone.localtime().year
    assert first.number == f"TSV-{year}-000001"
    assert second.number == f"TSV-{year}-000002"
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{12}", first.verification_code)
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", first.display_code)
    assert first.verification_code != second.verification_code
    data = services.read_pdf(first)
    assert data.startswith(b"%PDF-") and b"%TONGBAN-SIG " in data[-1000:]
    assert first.status == DocumentStatus.VALID
    assert first.key_id == keys.signing_key().key_id
    assert first.issued_by == "staff:7"


def test_signed_payload_carries_kind_number_holder_dates_and_record_digest(issue):
    document = issue()
    assert document.payload == {
        "v": 1,
        "kind": TEST_KIND,
        "no": document.number,
        "hh": "f" * 64,
        "hm": "A12****(3)",
        "iat": int(document.issued_at.timestamp()),
        "exp": int(document.valid_until.timestamp()),
        "data": services.record_digest(RECORD),
    }
    assert services.verify_token(document.token).is_valid
    assert document.record_data == RECORD


def test_render_receives_number_code_and_the_token_it_prints(issue):
    seen = {}

    def render(number, code, token):
        seen.update(number=number, code=code, token=token)
        from .conftest import render_sample

        return render_sample(number, code, token)

    document = issue(render=render)
    assert seen == {
        "number": document.number,
        "code": document.verification_code,
        "token": document.token,
    }


def test_issue_is_audited(issue):
    document = issue()
    event = AuditEvent.objects.get(event="document_issued")
    assert event.object_type == "document" and event.object_id == document.number
    assert event.actor == "staff:7"
    assert event.payload["key_id"] == document.key_id
    assert "f" * 64 not in str(event.payload)  # never the holder hash


def test_failed_render_leaves_no_row_no_file_and_no_audit_event(issue, settings):
    def broken(number, code, token):
        raise RuntimeError("the printer caught fire")

    with pytest.raises(RuntimeError):
        issue(render=broken)
    assert not IssuedDocument.objects.exists()
    assert not AuditEvent.objects.filter(event="document_issued").exists()
    media = settings.MEDIA_ROOT / "documents"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_render_returning_something_else_than_a_pdf_is_refused(issue):
    with pytest.raises(ValueError):
        issue(render=lambda number, code, token: b"hello")
    with pytest.raises(TypeError):
        issue(render=lambda number, code, token: "%PDF-1.4 text, not bytes")
    assert not IssuedDocument.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"holder_hash": "short"},
        {"holder_masked": ""},
        {"valid_until": dt.datetime(2030, 1, 1)},  # naive
        {"valid_until": timezone.now() - dt.timedelta(days=1)},
        {"payload": {"amount": float("nan")}},
        {"payload": {"when": object()}},
    ],
)
def test_bad_arguments_get_a_clear_error_and_change_nothing(issue, overrides):
    with pytest.raises(services.DocumentError) as failure:
        issue(**overrides)
    assert failure.value.message
    assert not IssuedDocument.objects.exists()


def test_unknown_kind_and_bad_actor_are_refused(issue):
    with pytest.raises(LookupError):
        services.issue_document(
            "no_such_kind",
            payload={},
            render=lambda *a: b"",
            holder_hash="f" * 64,
            holder_masked="x",
            valid_until=None,
            actor="system",
        )
    with pytest.raises(ValueError):
        issue(actor="root; drop table")


def test_production_without_keys_refuses_to_issue(issue, settings):
    settings.PRODUCTION = True
    keys.forget_keys()
    with pytest.raises(keys.SigningUnavailable):
        issue()
    assert not IssuedDocument.objects.exists()


def test_document_without_expiry_stays_valid(issue):
    document = issue(valid_until=None)
    assert "exp" not in document.payload
    assert services.verify_by_code(document.verification_code).status == VerificationStatus.VALID


# --- verify_by_code --------------------------------------------------------------------------


def test_verify_by_code_valid_shows_kind_masked_holder_and_dates(issue):
    document = issue()
    result = services.verify_by_code(document.display_code.lower())
    assert result.status == VerificationStatus.VALID
    assert result.kind == TEST_KIND and result.kind_label == "Test voucher"
    assert result.holder_masked == "A12****(3)"
    assert result.issued_at == document.issued_at
    assert result.valid_until == document.valid_until
    assert "f" * 64 not in str(result.as_dict())


def test_verify_by_code_forgives_crockford_typing_mistakes(issue):
    document = issue()
    typed = document.verification_code.replace("0", "O").replace("1", "l")
    typed = " ".join(typed[i : i + 4] for i in (0, 4, 8))
    assert services.verify_by_code(typed).status == VerificationStatus.VALID


def test_verify_by_code_unknown(issue):
    issue()
    result = services.verify_by_code("0000-0000-0000")
    assert result.status == VerificationStatus.UNKNOWN
    assert result.kind is None and result.holder_masked is None


@pytest.mark.parametrize(
    "typed", ["", "ABCD-EFGH", "ABCD-EFGH-JKMN-P", "ABCD-EFGH-JKM!", "UUUU-UUUU-UUUU"]
)
def test_verify_by_code_with_impossible_codes_says_why(typed):
    with pytest.raises(codes.InvalidCode) as failure:
        services.verify_by_code(typed)
    assert str(failure.value.message)


def test_expired_document_verifies_as_expired(issue):
    document = issue()
    IssuedDocument.objects.filter(pk=document.pk).update(
        valid_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert services.verify_by_code(document.verification_code).status == VerificationStatus.EXPIRED


def test_expired_token_verifies_as_expired(issue, monkeypatch):
    document = issue()
    later = document.valid_until.timestamp() + 1
    monkeypatch.setattr("tongban.documents.signing.time.time", lambda: later)
    result = services.verify_token(document.token)
    assert result.status == VerificationStatus.EXPIRED
    assert result.number == document.number


# --- revoke ----------------------------------------------------------------------------------


def test_revoke_marks_it_revoked_everywhere_and_is_audited(issue):
    document = issue()
    revoked = services.revoke(document, "  issued to the wrong person  ", "staff:9")
    assert revoked.status == DocumentStatus.REVOKED
    assert revoked.revoked_reason == "issued to the wrong person"
    assert revoked.revoked_by == "staff:9" and revoked.revoked_at is not None
    by_code = services.verify_by_code(document.verification_code)
    assert by_code.status == VerificationStatus.REVOKED and by_code.revoked_at is not None
    assert services.verify_token(document.token).status == VerificationStatus.REVOKED
    pdf_bytes = services.read_pdf(document)
    assert services.verify_pdf(pdf_bytes, registry=True).status == VerificationStatus.REVOKED
    # Offline, a revocation cannot show: the signature itself still holds.
    assert services.verify_pdf(pdf_bytes).status == VerificationStatus.VALID
    event = AuditEvent.objects.get(event="document_revoked")
    assert event.actor == "staff:9" and event.payload["reason"] == "issued to the wrong person"


def test_revoke_twice_is_refused_and_changes_nothing(issue):
    document = issue()
    first = services.revoke(document, "wrong person", "staff:9")
    with pytest.raises(services.DocumentError):
        services.revoke(document, "again", "staff:10")
    document.refresh_from_db()
    assert document.revoked_by == "staff:9" and document.revoked_at == first.revoked_at
    assert AuditEvent.objects.filter(event="document_revoked").count() == 1


@pytest.mark.parametrize("reason", ["", "   ", "x" * 1001])
def test_revoke_needs_a_reason_of_sensible_length(issue, reason):
    document = issue()
    with pytest.raises(services.DocumentError):
        services.revoke(document, reason, "staff:9")
    document.refresh_from_db()
    assert document.status == DocumentStatus.VALID


def test_revoke_accepts_a_user_as_actor(issue, django_user_model):
    user = django_user_model.objects.create_user(email="reviewer@example.com", password="x" * 12)
    revoked = services.revoke(issue(), "withdrawn", user)
    assert revoked.revoked_by == f"user:{user.pk}"


# --- verify_token against the registry -----------------------------------------------------


def test_token_of_a_document_missing_from_the_registry_is_unknown(issue):
    document = issue()
    IssuedDocument.objects.filter(pk=document.pk).delete()
    assert services.verify_token(document.token).status == VerificationStatus.UNKNOWN
    # Offline the signature alone still speaks.
    assert services.verify_token(document.token, registry=False).status == VerificationStatus.VALID


def test_forged_token_is_invalid_with_the_reason(issue):
    document = issue()
    header, payload, signature = document.token.split(".")
    result = services.verify_token(f"{header}.{payload}x.{signature}")
    assert result.status == VerificationStatus.INVALID
    assert result.problem in {Problem.BAD_SIGNATURE, Problem.MALFORMED}
    assert result.message


def test_failure_after_the_pdf_is_stored_removes_the_file(issue, settings, monkeypatch):
    def audit_down(*args, **kwargs):
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(services, "record_audit_event", audit_down)
    with pytest.raises(RuntimeError):
        issue()
    assert not IssuedDocument.objects.exists()
    stored = list((settings.MEDIA_ROOT / "documents").rglob("*.pdf"))
    assert stored == []


def test_the_pdf_lives_in_default_storage(issue):
    document = issue()
    assert default_storage.exists(document.pdf.name)
