import io

import pytest
from django.core.management import call_command
from django.db import connection

from tongban.accounts import services
from tongban.accounts.constants import CompanyIdentifierKind
from tongban.accounts.identifiers import IdentifierKind
from tongban.accounts.models import Company, IdentityDocument
from tongban.core import crypto

from .conftest import HKID


def raw_rows(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608  (fixed table names)
        return [" ".join(str(value) for value in row) for row in cursor.fetchall()]


def raw_value(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_no_plaintext_number_in_the_database(applicant):
    company = services.create_company(
        applicant.user,
        identifier_kind=CompanyIdentifierKind.HK_BUSINESS_REGISTRATION,
        identifier="87654321",
        name_en="Secret Holdings",
    )
    documents = " ".join(raw_rows("accounts_identitydocument"))
    for variant in ("A123456(3)", "A1234563", "A123456", "H12345678", "12345678"):
        assert variant not in documents
    assert "A12****(3)" in documents  # the masked form is what is stored for display
    companies = " ".join(raw_rows("accounts_company"))
    assert "87654321" not in companies
    assert Company.objects.get(pk=company.pk).identifier == "87654321"


@pytest.mark.django_db
def test_rotation_re_encrypts_with_the_new_key(applicant, settings):
    old_key = settings.TONGBAN_FIELD_KEYS[0]
    document = applicant.documents.get(kind=IdentifierKind.HKID)
    before = raw_value("accounts_identitydocument", "number", document.pk)

    new_key = crypto.new_fernet_key()
    settings.TONGBAN_FIELD_KEYS = [new_key, old_key]
    call_command("rotate_field_keys", stdout=io.StringIO())
    after = raw_value("accounts_identitydocument", "number", document.pk)
    assert after != before

    settings.TONGBAN_FIELD_KEYS = [new_key]  # the old key is gone; rows still read
    assert IdentityDocument.objects.get(pk=document.pk).number == HKID


@pytest.mark.django_db
def test_rehash_keeps_lookups_working_after_a_new_lookup_key(applicant, clerk_macau, settings):
    settings.TONGBAN_LOOKUP_KEY = "a brand new lookup key"
    assert services.find_person_by_document(clerk_macau, IdentifierKind.HKID, HKID) is None
    call_command("rotate_field_keys", "--rehash", stdout=io.StringIO())
    assert services.find_person_by_document(clerk_macau, IdentifierKind.HKID, HKID) == applicant


@pytest.mark.django_db
def test_encrypted_field_cannot_be_filtered_on(applicant):
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError):
        list(IdentityDocument.objects.filter(number=HKID))


@pytest.mark.django_db
def test_audit_trail_records_changes_without_identifiers(applicant, clerk_macau):
    from tongban.core.models import AuditEvent

    services.find_person_by_document(clerk_macau, IdentifierKind.HKID, HKID)
    events = list(AuditEvent.objects.order_by("sequence").values_list("event", "actor"))
    assert ("person_registered", f"user:{applicant.user.pk}") in events
    assert ("identity_document_added", f"user:{applicant.user.pk}") in events
    assert ("person_looked_up", f"staff:{clerk_macau.pk}") in events
    trail = " ".join(raw_rows(AuditEvent._meta.db_table))
    for secret in ("A123456(3)", "A1234563", "H12345678", "陳大文"):
        assert secret not in trail
