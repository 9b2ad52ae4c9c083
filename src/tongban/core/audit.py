"""The audit trail: one function to record, one to verify, one to sign the head.

``record(event, actor=..., obj_type=..., obj_id=..., payload=...)`` writes a hash-chained row in
the caller's transaction (call it inside the same ``transaction.atomic()`` as the change it
records, ideally as its last write: it holds the chain lock until commit) and logs the event
through structlog once the transaction commits.

Never pass personal identifiers: ``actor`` is ``user:<id>``, ``staff:<id>``, ``system``,
``command:<name>`` or ``task:<name>``; ``payload`` carries ids, states, reasons and *masked*
values (``A12****(3)``) only. Audit rows cannot be erased, so a personal identifier written
here could never be removed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import structlog
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from . import counters
from .models import AuditCheckpoint, AuditEvent

CHAIN_COUNTER = "audit_chain"
GENESIS_HASH = "0" * 64
MAX_PAYLOAD_BYTES = 4096
EVENT_NAME = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")
OBJECT_TYPE = re.compile(r"^[a-z][a-z0-9_.]{0,63}$")
ACTOR = re.compile(r"^(?:system|(?:user|staff|command|task|service):[A-Za-z0-9_.-]{1,100})$")
HASHED_FIELDS = (
    "sequence",
    "created_at",
    "actor",
    "event",
    "object_type",
    "object_id",
    "payload",
    "previous_hash",
)

audit_log = structlog.get_logger("tongban.audit")


class AuditUsageError(ValueError):
    """A programming error in a call to ``record``; never shown to users."""


# --- Canonical form and hashes ---------------------------------------------------------------


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no whitespace, UTF-8: the bytes that are hashed and signed."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def format_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def event_hash(fields: dict[str, Any]) -> str:
    hashed = {name: fields[name] for name in HASHED_FIELDS}
    hashed["created_at"] = format_time(fields["created_at"])
    return hashlib.sha256(canonical_json(hashed)).hexdigest()


def _storable_text(value: str, path: str) -> str:
    # PostgreSQL refuses NUL in text and jsonb; lone surrogates cannot be encoded to UTF-8.
    if "\x00" in value:
        raise AuditUsageError(f"{path}: NUL characters cannot be stored")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise AuditUsageError(f"{path}: text is not valid Unicode") from None
    return value


def normalise_payload(value: Any, path: str = "payload") -> Any:
    """JSON that survives a round trip through SQLite and PostgreSQL jsonb unchanged.

    Floats are refused (jsonb may print them differently, which would change the hash): pass
    numbers as int or str. Dates, decimals and UUIDs become strings.
    """
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return _storable_text(value, path)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [normalise_payload(item, f"{path}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, dict):
        normalised = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise AuditUsageError(f"{path}: keys must be strings, not {key!r}")
            normalised[normalise_payload(key, path)] = normalise_payload(item, f"{path}.{key}")
        return normalised
    raise AuditUsageError(f"{path}: {type(value).__name__} is not allowed in an audit payload")


# --- Recording ---------------------------------------------------------------------------------


def record(
    event: str,
    *,
    actor: str,
    obj_type: str,
    obj_id: Any,
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append ``event`` (``<object>_<verb>``, e.g. ``case_accepted``) to the audit chain.

    Must run inside the transaction that makes the change; the row commits or rolls back with
    it. ``actor`` and ``payload`` must hold no personal identifiers (see the module docstring).
    """
    if not EVENT_NAME.match(event or "") or len(event) > 64:
        raise AuditUsageError(f"event {event!r} is not named <object>_<verb>")
    if not ACTOR.match(actor or ""):
        raise AuditUsageError(
            f"actor {actor!r} must be system, user:<id>, staff:<id>, command:<name>, "
            "task:<name> or service:<name>"
        )
    if not OBJECT_TYPE.match(obj_type or ""):
        raise AuditUsageError(f"object type {obj_type!r} must be a lower-case name")
    object_id = _storable_text(str(obj_id), "object id")
    if not object_id or len(object_id) > 64 or not object_id.isprintable():
        raise AuditUsageError("object id must be 1 to 64 characters")
    clean_payload = normalise_payload(payload or {})
    if not isinstance(clean_payload, dict):
        raise AuditUsageError("payload must be a dict")
    if len(canonical_json(clean_payload)) > MAX_PAYLOAD_BYTES:
        raise AuditUsageError(f"payload is larger than {MAX_PAYLOAD_BYTES} bytes")
    if not transaction.get_connection().in_atomic_block:
        raise AuditUsageError(
            "audit.record must be called inside the transaction.atomic() block of the change"
        )

    # The counter row lock serialises writers until commit, so the chain stays linear.
    sequence = counters.next_value(CHAIN_COUNTER)
    previous = (
        AuditEvent.objects.filter(sequence__lt=sequence)
        .order_by("-sequence")
        .values_list("hash", flat=True)
        .first()
    )
    fields = {
        "sequence": sequence,
        "created_at": timezone.now(),
        "actor": actor,
        "event": event,
        "object_type": obj_type,
        "object_id": object_id,
        "payload": clean_payload,
        "previous_hash": previous or GENESIS_HASH,
    }
    row = AuditEvent.objects.create(**fields, hash=event_hash(fields))
    transaction.on_commit(
        lambda: audit_log.info(
            event,
            audit_sequence=sequence,
            actor=actor,
            object_type=obj_type,
            object_id=object_id,
            payload=clean_payload,
            hash=row.hash,
        )
    )
    _schedule_signing(sequence)
    return row


def user_actor(user) -> str:
    """The actor string for a signed-in user (never their name or e-mail), else ``system``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "system"
    return f"user:{user.pk}"


def _schedule_signing(sequence: int) -> None:
    from django.conf import settings

    every = getattr(settings, "TONGBAN_AUDIT_SIGN_EVERY", 0)
    if every and sequence % every == 0:
        from .tasks import sign_audit_head

        transaction.on_commit(sign_audit_head.enqueue)


def events_for(obj_type: str, obj_id: Any, *, limit: int = 200) -> list[AuditEvent]:
    """The newest ``limit`` events about one object, oldest first (a timeline)."""
    rows = AuditEvent.objects.filter(object_type=obj_type, object_id=str(obj_id)).order_by(
        "-sequence"
    )[:limit]
    return list(reversed(rows))


def latest(event: str, *, limit: int = 50) -> list[AuditEvent]:
    """The newest ``limit`` events named ``event``, newest first (e.g. for an alerts list)."""
    return list(AuditEvent.objects.filter(event=event).order_by("-sequence")[:limit])


# --- Verification ------------------------------------------------------------------------------


@dataclass
class BrokenLink:
    sequence: int
    id: int | None
    reason: str


@dataclass
class ChainReport:
    count: int = 0
    head_sequence: int = 0
    head_hash: str = GENESIS_HASH
    checkpoints_checked: int = 0
    broken: BrokenLink | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return self.broken is None


def _row_fields(row: tuple) -> dict[str, Any]:
    return dict(zip(("id", *HASHED_FIELDS, "hash"), row, strict=True))


def verify_chain(*, batch_size: int = 5000) -> ChainReport:
    """Recompute the whole chain in keyset batches; stop at the first broken link."""
    from .audit_signing import CheckpointProblem, check_checkpoint

    report = ChainReport()
    checkpoints: dict[int, list[AuditCheckpoint]] = {}
    for checkpoint in AuditCheckpoint.objects.order_by("sequence", "id"):
        checkpoints.setdefault(checkpoint.sequence, []).append(checkpoint)
    columns = ("id", *HASHED_FIELDS, "hash")
    last_sequence, previous_hash = 0, GENESIS_HASH
    while True:
        batch = list(
            AuditEvent.objects.filter(sequence__gt=last_sequence)
            .order_by("sequence")
            .values_list(*columns)[:batch_size]
        )
        for row in batch:
            fields = _row_fields(row)
            broken = _check_link(fields, last_sequence, previous_hash)
            for checkpoint in checkpoints.pop(fields["sequence"], []) if broken is None else []:
                try:
                    check_checkpoint(checkpoint, fields["hash"])
                    report.checkpoints_checked += 1
                except CheckpointProblem as problem:
                    if not problem.only_a_note:
                        broken = BrokenLink(fields["sequence"], fields["id"], str(problem))
                        break
                    report.notes.append(str(problem))
            if broken is not None:
                report.broken = broken
                return report
            last_sequence, previous_hash = fields["sequence"], fields["hash"]
            report.count += 1
        if len(batch) < batch_size:
            break
    report.head_sequence, report.head_hash = last_sequence, previous_hash
    report.broken = _check_tail(last_sequence, checkpoints)
    return report


def _check_link(fields: dict[str, Any], last_sequence: int, previous_hash: str):
    sequence, row_id = fields["sequence"], fields["id"]
    if sequence != last_sequence + 1:
        return BrokenLink(sequence, row_id, _missing(last_sequence + 1, sequence - 1))
    if fields["previous_hash"] != previous_hash:
        return BrokenLink(
            sequence,
            row_id,
            gettext(
                "previous_hash %(stored)s does not match the hash of event #%(previous)d "
                "(%(expected)s): that event or its hash was rewritten"
            )
            % {
                "stored": fields["previous_hash"][:16],
                "previous": last_sequence,
                "expected": previous_hash[:16],
            },
        )
    recomputed = event_hash(fields)
    if recomputed != fields["hash"]:
        return BrokenLink(
            sequence,
            row_id,
            gettext(
                "its contents changed after it was written: stored hash %(stored)s, "
                "recomputed %(recomputed)s"
            )
            % {"stored": fields["hash"][:16], "recomputed": recomputed[:16]},
        )
    return None


def _missing(first: int, last: int) -> str:
    if first == last:
        return gettext("event #%(sequence)d was written but is missing") % {"sequence": first}
    return gettext("events #%(first)d to #%(last)d were written but are missing") % {
        "first": first,
        "last": last,
    }


def _check_tail(last_sequence: int, unmatched_checkpoints: dict) -> BrokenLink | None:
    written = counters.current_value(CHAIN_COUNTER)
    if written > last_sequence:
        return BrokenLink(last_sequence + 1, None, _missing(last_sequence + 1, written))
    for sequence in sorted(unmatched_checkpoints):
        if sequence > last_sequence:
            return BrokenLink(
                sequence,
                None,
                gettext("a signed checkpoint vouches for event #%(sequence)d, which is missing")
                % {"sequence": sequence},
            )
    return None


def sign_head(*, force: bool = False) -> AuditCheckpoint | None:
    """Sign the current head with the configured checkpoint signer (see ``audit_signing``)."""
    from .audit_signing import sign_head as sign

    return sign(force=force)
