"""Audit checkpoints signed with the platform's document key (``TONGBAN_AUDIT_SIGNER=documents``).

Core's audit trail cannot import this app, so it offers a signer registry; plugging the
document keys in gives one platform key, one rotation procedure and one published JWK Set for
documents and for the audit chain's signed head alike.
"""

from tongban.core.audit_signing import CheckpointSigner, Signature, checkpoint_signers

from . import keys


class DocumentKeySigner(CheckpointSigner):
    def sign(self, message: bytes) -> Signature:
        key = keys.signing_key()
        return Signature(key.key_id, key.public_bytes, key.private_key.sign(message))

    def public_key_for(self, key_id: str) -> bytes | None:
        public_key = keys.key_ring().public_key(key_id)
        return keys.raw_public_bytes(public_key) if public_key is not None else None

    def check(self) -> list[str]:
        return keys.check()


checkpoint_signers.register("documents", DocumentKeySigner)
