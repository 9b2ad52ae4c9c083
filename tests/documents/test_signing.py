"""Tokens: canonical payloads, compact JWS with alg Ed25519, and every way a token fails."""

import base64
import hashlib
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import translation
from joserfc import jws
from joserfc.jwk import OKPKey

from tongban.documents import keys, signing
from tongban.documents.constants import Problem
from tongban.documents.signing import TokenError, canonical_json, sign_payload, verify_token

CLAIMS = {"kind": "test_voucher", "no": "TSV-2026-000001", "hm": "A12****(3)", "iat": 1_790_000_000}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_canonical_json_is_sorted_compact_utf8():
    assert canonical_json({"b": 1, "a": "陳", "c": [1, {"z": 0, "y": None}]}) == (
        '{"a":"陳","b":1,"c":[1,{"y":null,"z":0}]}'.encode()
    )


def test_canonical_json_refuses_what_json_cannot_say():
    with pytest.raises(ValueError):
        canonical_json({"x": float("nan")})
    with pytest.raises(TypeError):
        canonical_json({"x": object()})


def test_round_trip_returns_the_payload():
    token = sign_payload(CLAIMS)
    assert verify_token(token) == CLAIMS


def test_token_is_a_standard_compact_jws_with_alg_ed25519_and_kid():
    token = sign_payload(CLAIMS)
    header_part, payload_part, signature_part = token.split(".")
    header = json.loads(unb64(header_part))
    signer = keys.signing_key()
    assert header == {"alg": "Ed25519", "kid": signer.key_id}
    assert unb64(payload_part) == canonical_json(CLAIMS)
    # Anyone with the public key checks it with plain Ed25519 over "header.payload".
    signer.public_key.verify(unb64(signature_part), f"{header_part}.{payload_part}".encode())
    # ... or with a JOSE library given the published JWK.
    published = OKPKey.import_key(signer.jwk())
    assert jws.deserialize_compact(token, published, algorithms=["Ed25519"]).payload == (
        canonical_json(CLAIMS)
    )


def test_key_id_is_recomputable_from_the_public_key():
    signer = keys.signing_key()
    assert signer.key_id == hashlib.sha256(signer.public_bytes).hexdigest()[:16]


def test_forged_payload_fails_with_bad_signature():
    header, _payload, signature = sign_payload(CLAIMS).split(".")
    forged = b64(canonical_json({**CLAIMS, "hm": "Z99****(9)"}))
    with pytest.raises(TokenError) as failure:
        verify_token(f"{header}.{forged}.{signature}")
    assert failure.value.reason == Problem.BAD_SIGNATURE


def test_flipped_signature_bit_fails_with_bad_signature():
    header, payload, signature = sign_payload(CLAIMS).split(".")
    raw = bytearray(unb64(signature))
    raw[10] ^= 0x01
    with pytest.raises(TokenError) as failure:
        verify_token(f"{header}.{payload}.{b64(bytes(raw))}")
    assert failure.value.reason == Problem.BAD_SIGNATURE


def test_token_signed_by_an_unknown_key_fails_with_unknown_key():
    stranger = Ed25519PrivateKey.generate()
    key = keys.SigningKey(
        keys.key_id_for(stranger.public_key()), stranger.public_key(), "signing", "", stranger
    )
    with pytest.raises(TokenError) as failure:
        verify_token(sign_payload(CLAIMS, key=key))
    assert failure.value.reason == Problem.UNKNOWN_KEY


def test_stranger_claiming_our_key_id_fails_with_bad_signature():
    ours = keys.signing_key()
    stranger = Ed25519PrivateKey.generate()
    impostor = keys.SigningKey(ours.key_id, stranger.public_key(), "signing", "", stranger)
    with pytest.raises(TokenError) as failure:
        verify_token(sign_payload(CLAIMS, key=impostor))
    assert failure.value.reason == Problem.BAD_SIGNATURE


def test_expired_token_fails_with_expired_and_still_tells_its_payload():
    token = sign_payload({**CLAIMS, "exp": 1_800_000_000})
    assert verify_token(token, now=1_799_999_999)["no"] == CLAIMS["no"]
    with pytest.raises(TokenError) as failure:
        verify_token(token, now=1_800_000_000)
    assert failure.value.reason == Problem.EXPIRED
    assert failure.value.payload["no"] == CLAIMS["no"]


@pytest.mark.parametrize(
    "token",
    [
        "",
        "abc",
        "a.b",
        "a.b.c.d",
        "..",
        "!!!.###.$$$",
        "eyJhbGciOiJFZDI1NTE5In0.e30.AAAA",  # header without kid
        b64(b'{"alg":"HS256","kid":"x"}') + ".e30.AAAA",  # another algorithm
        b64(b'{"alg":"none","kid":"x"}') + ".e30.",
        b64(b"not json") + ".e30.AAAA",
        "x" * 20_000,
    ],
)
def test_malformed_tokens_fail_with_malformed(token):
    with pytest.raises(TokenError) as failure:
        verify_token(token)
    assert failure.value.reason == Problem.MALFORMED


def test_header_with_crit_or_b64_is_refused():
    signer = keys.signing_key()
    header = b64(json.dumps({"alg": "Ed25519", "kid": signer.key_id, "b64": False}).encode())
    with pytest.raises(TokenError) as failure:
        verify_token(f"{header}.e30.AAAA")
    assert failure.value.reason == Problem.MALFORMED


def test_signed_payload_that_is_not_an_object_is_malformed():
    signer = keys.signing_key()
    token = jws.serialize_compact(
        {"alg": "Ed25519", "kid": signer.key_id},
        b"[1,2,3]",
        OKPKey.import_key(keys.private_pem(signer.private_key)),
        algorithms=["Ed25519"],
    )
    with pytest.raises(TokenError) as failure:
        verify_token(token)
    assert failure.value.reason == Problem.MALFORMED


def test_non_integer_expiry_is_malformed():
    with pytest.raises(TokenError) as failure:
        verify_token(sign_payload({**CLAIMS, "exp": "2030-01-01"}))
    assert failure.value.reason == Problem.MALFORMED


def test_failure_messages_are_translatable_and_distinct():
    messages = {reason: TokenError(reason).message for reason in Problem}
    assert len(set(messages.values())) == len(Problem)
    with translation.override("en"):
        assert "signature" in TokenError(Problem.BAD_SIGNATURE).message
    assert set(signing.PROBLEM_MESSAGES) == set(Problem)
