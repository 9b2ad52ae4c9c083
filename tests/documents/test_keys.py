"""Signing keys: from settings, generated in the embedded default, rotated, published."""

import base64
import json
import stat
from io import StringIO

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from tongban.documents import keys
from tongban.documents.constants import Problem
from tongban.documents.signing import TokenError, sign_payload, verify_token

CLAIMS = {"no": "TSV-2026-000001"}


def seed_b64(private_key: Ed25519PrivateKey) -> str:
    from cryptography.hazmat.primitives import serialization

    raw = private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return base64.b64encode(raw).decode()


def public_b64(private_key: Ed25519PrivateKey) -> str:
    return base64.b64encode(keys.raw_public_bytes(private_key.public_key())).decode()


def write_pem(path, private_key):
    path.write_bytes(keys.private_pem(private_key))
    return str(path)


def reload_keys(settings, signing=(), retired=()):
    settings.TONGBAN_SIGNING_KEYS = list(signing)
    settings.TONGBAN_SIGNING_RETIRED_PUBLIC_KEYS = list(retired)
    keys.forget_keys()


def test_embedded_default_generates_one_private_key_file_and_keeps_it(settings):
    first = keys.signing_key()
    key_file = settings.VAR_DIR / "signing" / "current.pem"
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    keys.forget_keys()
    assert keys.signing_key().key_id == first.key_id


def test_production_refuses_to_sign_without_configured_keys(settings):
    settings.PRODUCTION = True
    keys.forget_keys()
    with pytest.raises(keys.SigningUnavailable):
        keys.signing_key()
    assert keys.check() and "TONGBAN_SIGNING_KEYS" in keys.check()[0]
    assert not (settings.VAR_DIR / "signing").exists()


def test_production_with_only_retired_keys_verifies_but_cannot_sign(settings):
    old = Ed25519PrivateKey.generate()
    token = sign_payload(
        CLAIMS,
        key=keys.SigningKey(
            keys.key_id_for(old.public_key()), old.public_key(), "signing", "", old
        ),
    )
    settings.PRODUCTION = True
    reload_keys(settings, retired=[public_b64(old)])
    assert verify_token(token) == CLAIMS
    with pytest.raises(keys.SigningUnavailable):
        sign_payload(CLAIMS)


def test_configured_keys_first_signs_all_verify(settings, tmp_path):
    new, old = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    reload_keys(settings, signing=[seed_b64(old)])
    old_token = sign_payload(CLAIMS)
    reload_keys(settings, signing=[write_pem(tmp_path / "new.pem", new), seed_b64(old)])
    ring = keys.key_ring()
    assert ring.signer.key_id == keys.key_id_for(new.public_key())
    assert [key.role for key in ring.keys] == ["signing", "verifying"]
    assert verify_token(old_token) == CLAIMS
    assert verify_token(sign_payload(CLAIMS)) == CLAIMS
    assert not (settings.VAR_DIR / "signing").exists()  # configured keys: nothing generated


def test_rotation_retired_public_key_keeps_verifying_and_removed_key_is_unknown(settings):
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    reload_keys(settings, signing=[seed_b64(old)])
    old_token = sign_payload(CLAIMS)

    reload_keys(settings, signing=[seed_b64(new)], retired=[public_b64(old)])
    assert verify_token(old_token) == CLAIMS
    assert {key.role for key in keys.key_ring().keys} == {"signing", "retired"}

    reload_keys(settings, signing=[seed_b64(new)])
    with pytest.raises(TokenError) as failure:
        verify_token(old_token)
    assert failure.value.reason == Problem.UNKNOWN_KEY


def test_inline_pem_and_pem_public_key_file_are_accepted(settings, tmp_path):
    from cryptography.hazmat.primitives import serialization

    signer, retired = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    public_file = tmp_path / "retired.pub"
    public_file.write_bytes(
        retired.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    reload_keys(settings, signing=[keys.private_pem(signer).decode()], retired=[str(public_file)])
    assert set(keys.key_ring().verification_keys()) == {
        keys.key_id_for(signer.public_key()),
        keys.key_id_for(retired.public_key()),
    }


@pytest.mark.parametrize("entry", ["not a key", base64.b64encode(b"short").decode(), "missing.pem"])
def test_unusable_signing_key_entries_are_refused_clearly(settings, entry):
    reload_keys(settings, signing=[entry])
    with pytest.raises(ImproperlyConfigured):
        keys.signing_key()


def test_a_non_ed25519_pem_is_refused(settings, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    other = ec.generate_private_key(ec.SECP256R1())
    path = tmp_path / "ec.pem"
    path.write_bytes(
        other.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    reload_keys(settings, signing=[str(path)])
    with pytest.raises(ImproperlyConfigured, match="not an Ed25519 key"):
        keys.signing_key()


def test_jwks_lists_every_verifying_key_as_okp_ed25519_with_kid(settings):
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    reload_keys(settings, signing=[seed_b64(new)], retired=[public_b64(old)])
    published = keys.key_ring().jwks()
    assert {entry["kid"] for entry in published["keys"]} == {
        keys.key_id_for(new.public_key()),
        keys.key_id_for(old.public_key()),
    }
    for entry in published["keys"]:
        assert entry["kty"] == "OKP" and entry["crv"] == "Ed25519" and entry["alg"] == "Ed25519"
        assert "d" not in entry  # never the private part
    assert set(keys.keys_from_jwks(published)) == {e["kid"] for e in published["keys"]}


def test_jwks_reader_recomputes_key_ids_instead_of_trusting_them():
    key = Ed25519PrivateKey.generate()
    entry = keys.public_jwk(key.public_key(), "someone-elses-id")
    assert list(keys.keys_from_jwks({"keys": [entry]})) == [keys.key_id_for(key.public_key())]


@pytest.mark.parametrize("document", [[], {"keys": "x"}, {"keys": []}, {"keys": [{"kty": "RSA"}]}])
def test_jwks_reader_refuses_sets_without_ed25519_keys(document):
    with pytest.raises(ValueError):
        keys.keys_from_jwks(document)


def test_embedded_rotation_keeps_the_old_key_verifying(settings):
    old_token = sign_payload(CLAIMS)
    old_id = keys.signing_key().key_id
    new, previous = keys.rotate_embedded_key()
    assert previous.key_id == old_id and new.key_id != old_id
    assert keys.signing_key().key_id == new.key_id
    assert verify_token(old_token) == CLAIMS
    assert json.loads(verify_token_header(sign_payload(CLAIMS)))["kid"] == new.key_id


def verify_token_header(token: str) -> bytes:
    part = token.split(".")[0]
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


# --- tongban signing_keys -----------------------------------------------------------------------


def run(*args) -> str:
    out = StringIO()
    call_command("signing_keys", *args, stdout=out)
    return out.getvalue()


def test_command_list_shows_ids_and_roles_never_the_key(settings):
    signer = keys.signing_key()
    listing = run("list")
    assert signer.key_id in listing and "signing" in listing
    assert "PRIVATE" not in listing


def test_command_generate_writes_a_new_key_file_and_refuses_to_overwrite(tmp_path):
    path = tmp_path / "next.pem"
    message = run("generate", "--out", str(path))
    private_key, _source = keys.parse_private_key(str(path))
    assert keys.key_id_for(private_key.public_key()) in message
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(CommandError):
        run("generate", "--out", str(path))


def test_command_generate_rotate_in_the_embedded_default():
    before = keys.signing_key().key_id
    message = run("generate", "--rotate")
    after = keys.signing_key().key_id
    assert after != before and after in message and before in message
    assert {key.key_id for key in keys.key_ring().keys} == {before, after}


def test_command_rotate_refuses_when_keys_are_configured(settings):
    reload_keys(settings, signing=[seed_b64(Ed25519PrivateKey.generate())])
    with pytest.raises(CommandError):
        run("generate", "--rotate")


def test_command_publish_prints_and_writes_the_jwk_set(tmp_path):
    printed = json.loads(run("publish"))
    assert printed == keys.key_ring().jwks()
    target = tmp_path / "keys.json"
    run("publish", "--out", str(target))
    assert set(keys.load_jwks_file(target)) == {keys.signing_key().key_id}
