"""Audit events of the accounts app, on the core audit chain. Ids, kinds and masked numbers
only: audit rows can never be erased, so no identifier or name goes in."""

from __future__ import annotations

from tongban.core import audit


def actor_ref(user) -> str:
    if user is None or not getattr(user, "pk", None):
        return "system"
    from tongban.accounts.permissions import is_staff_member

    return f"{'staff' if is_staff_member(user) else 'user'}:{user.pk}"


def record(event: str, actor, obj_type: str, obj_id, **payload) -> None:
    """Call inside the transaction of the change it records."""
    audit.record(event, actor=actor_ref(actor), obj_type=obj_type, obj_id=obj_id, payload=payload)
