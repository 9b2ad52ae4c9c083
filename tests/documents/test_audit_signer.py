"""Audit checkpoints signed with the document key (TONGBAN_AUDIT_SIGNER=documents)."""

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import transaction

from tongban.core import audit
from tongban.documents import keys

pytestmark = pytest.mark.django_db


def seed(private_key) -> str:
    from cryptography.hazmat.primitives import serialization

    return base64.b64encode(
        private_key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
    ).decode()


def record_event():
    with transaction.atomic():
        audit.record("thing_happened", actor="system", obj_type="thing", obj_id=1)


def test_checkpoint_signed_with_the_document_key_verifies_across_rotation(settings):
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    settings.TONGBAN_AUDIT_SIGNER = "documents"
    settings.TONGBAN_SIGNING_KEYS = [seed(old)]
    record_event()
    checkpoint = audit.sign_head()
    assert checkpoint.signer == "documents"
    assert checkpoint.key_id == keys.key_id_for(old.public_key())

    settings.TONGBAN_SIGNING_KEYS = [seed(new)]
    settings.TONGBAN_SIGNING_RETIRED_PUBLIC_KEYS = [
        base64.b64encode(keys.raw_public_bytes(old.public_key())).decode()
    ]
    report = audit.verify_chain()
    assert report.intact and report.checkpoints_checked == 1


def test_checkpoint_with_a_forgotten_key_is_only_a_note(settings):
    settings.TONGBAN_AUDIT_SIGNER = "documents"
    settings.TONGBAN_SIGNING_KEYS = [seed(Ed25519PrivateKey.generate())]
    record_event()
    audit.sign_head()
    settings.TONGBAN_SIGNING_KEYS = [seed(Ed25519PrivateKey.generate())]
    report = audit.verify_chain()
    assert report.intact and report.checkpoints_checked == 0 and report.notes
