import base64
import hashlib
import json
import threading
from io import StringIO

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, connections, transaction
from django.test import override_settings
from structlog.testing import capture_logs

from tongban.core import append_only, audit, audit_signing
from tongban.core.models import AppendOnlyError, AuditCheckpoint, AuditEvent, Counter
from tongban.core.registries import Registry
from tongban.core.tasks import sign_audit_head

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)"
)


def record_events(count: int, start: int = 1) -> list[AuditEvent]:
    rows = []
    for number in range(start, start + count):
        with transaction.atomic():
            rows.append(
                audit.record(
                    "case_accepted",
                    actor=f"user:{number}",
                    obj_type="case",
                    obj_id=f"JM-2026-{number:06d}",
                    payload={"state": "accepted", "reviewer": number, "note": "材料齐全"},
                )
            )
    return rows


def verify_command() -> str:
    out = StringIO()
    call_command("audit", "verify", stdout=out, stderr=StringIO())
    return out.getvalue()


def broken_message() -> str:
    with pytest.raises(CommandError) as raised:
        call_command("audit", "verify", stdout=StringIO(), stderr=StringIO())
    assert raised.value.returncode == 1
    return str(raised.value)


def tamper(sql: str, params=()) -> None:
    """An attacker editing the database by hand: lift the triggers, change rows."""
    append_only.drop(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# --- The chain ------------------------------------------------------------------------------


def test_a_chain_of_events_verifies():
    rows = record_events(5)
    report = audit.verify_chain()
    assert report.intact
    assert (report.count, report.head_sequence, report.head_hash) == (5, 5, rows[-1].hash)
    output = verify_command()
    assert "intact" in output and "5 events" in output and rows[-1].hash in output


def test_an_empty_trail_is_intact():
    assert "intact: 0 events" in verify_command()


def test_each_hash_is_sha256_of_the_canonical_json_including_the_previous_hash():
    first, second = record_events(2)
    stored = AuditEvent.objects.get(pk=second.pk)
    canonical = json.dumps(
        {
            "sequence": 2,
            "created_at": second.created_at.isoformat(timespec="microseconds"),
            "actor": "user:2",
            "event": "case_accepted",
            "object_type": "case",
            "object_id": "JM-2026-000002",
            "payload": {"state": "accepted", "reviewer": 2, "note": "材料齐全"},
            "previous_hash": first.hash,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")
    assert stored.hash == hashlib.sha256(canonical).hexdigest()
    assert first.previous_hash == "0" * 64
    assert [first.sequence, second.sequence] == [1, 2]


def test_verify_streams_in_batches_with_the_same_answer():
    rows = record_events(7)
    report = audit.verify_chain(batch_size=2)
    assert report.intact and report.count == 7 and report.head_hash == rows[-1].hash


def test_a_rolled_back_change_leaves_no_event_and_no_gap():
    record_events(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record("case_refused", actor="system", obj_type="case", obj_id="x")
        raise RuntimeError("the change failed")
    record_events(1, start=2)
    assert list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True)) == [
        1,
        2,
    ]
    assert audit.verify_chain().intact


# --- Tampering ------------------------------------------------------------------------------


def test_editing_a_payload_by_hand_is_named():
    rows = record_events(5)
    tamper(
        "UPDATE core_auditevent SET payload = %s WHERE id = %s",
        [json.dumps({"state": "denied", "reviewer": 3, "note": "材料齐全"}), rows[2].pk],
    )
    message = broken_message()
    assert f"#3 (id {rows[2].pk})" in message
    assert "changed" in message


def test_editing_a_row_and_recomputing_its_hash_is_caught_at_the_next_event():
    rows = record_events(4)
    fields = {name: getattr(rows[1], name) for name in audit.HASHED_FIELDS}
    fields["actor"] = "user:999"
    tamper(
        "UPDATE core_auditevent SET actor = %s, hash = %s WHERE id = %s",
        ["user:999", audit.event_hash(fields), rows[1].pk],
    )
    message = broken_message()
    assert f"#3 (id {rows[2].pk})" in message
    assert "previous_hash" in message


def test_deleting_a_middle_row_is_named():
    rows = record_events(5)
    tamper("DELETE FROM core_auditevent WHERE id = %s", [rows[2].pk])
    message = broken_message()
    assert "event #3 was written but is missing" in message
    assert f"#4 (id {rows[3].pk})" in message


def test_deleting_the_newest_rows_is_named():
    record_events(5)
    tamper("DELETE FROM core_auditevent WHERE sequence >= 4")
    message = broken_message()
    assert "#4" in message and "events #4 to #5 were written but are missing" in message


def test_truncation_hidden_by_resetting_the_counter_is_caught_by_a_checkpoint():
    record_events(5)
    audit.sign_head()
    tamper("DELETE FROM core_auditevent WHERE sequence >= 4")
    Counter.objects.filter(name=audit.CHAIN_COUNTER).update(value=3)
    message = broken_message()
    assert "checkpoint vouches for event #5" in message


# --- Append-only triggers -------------------------------------------------------------------


def test_the_database_refuses_update_and_delete_of_audit_rows():
    rows = record_events(2)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=rows[0].pk).update(actor="system")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=rows[1].pk).delete()
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE core_auditevent SET payload = %s", ['{"state":"x"}'])
    assert audit.verify_chain().intact


def test_the_database_refuses_update_and_delete_of_checkpoints():
    record_events(1)
    checkpoint = audit.sign_head()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditCheckpoint.objects.filter(pk=checkpoint.pk).update(head_hash="0" * 64)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditCheckpoint.objects.filter(pk=checkpoint.pk).delete()


def test_the_model_refuses_to_save_or_delete_an_existing_row():
    (row,) = record_events(1)
    row.actor = "system"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_audit_tables_and_keeps_them_append_only():
    record_events(2)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    rows = record_events(1)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=rows[0].pk).update(actor="system")


# --- Recording rules ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_is_a_programming_error():
    with pytest.raises(audit.AuditUsageError, match="transaction"):
        audit.record("case_accepted", actor="system", obj_type="case", obj_id=1)
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({"event": "accepted"}, "<object>_<verb>"),
        ({"event": "Case-Accepted"}, "<object>_<verb>"),
        ({"actor": "chan.tai.man@example.com"}, "actor"),
        ({"actor": "user:A123456(7)"}, "actor"),
        ({"obj_type": "Case Files"}, "object type"),
        ({"obj_id": ""}, "object id"),
        ({"obj_id": "a\nb"}, "object id"),
        ({"payload": {"note": "\x00"}}, "NUL"),
        ({"payload": {"note": "\ud800"}}, "Unicode"),
        ({"payload": {"score": 4.5}}, "float"),
        ({"payload": {"blob": "x" * 5000}}, "larger"),
        ({"payload": {1: "a"}}, "keys"),
    ],
)
def test_record_refuses_malformed_calls(arguments, problem):
    call = {
        "event": "case_accepted",
        "actor": "staff:7",
        "obj_type": "case",
        "obj_id": 1,
        "payload": {},
        **arguments,
    }
    event = call.pop("event")
    with pytest.raises(audit.AuditUsageError, match=problem), transaction.atomic():
        audit.record(event, **call)
    assert not AuditEvent.objects.exists()


def test_events_are_logged_once_committed_and_not_when_rolled_back(
    django_capture_on_commit_callbacks,
):
    with capture_logs() as logs:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            audit.record("case_accepted", actor="staff:3", obj_type="case", obj_id=42)
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            audit.record("case_denied", actor="staff:3", obj_type="case", obj_id=42)
            raise RuntimeError
    logged = [entry for entry in logs if entry["event"].startswith("case_")]
    assert [(e["event"], e["actor"], e["object_id"]) for e in logged] == [
        ("case_accepted", "staff:3", "42")
    ]


def test_actor_for_a_user_is_their_id_only():
    from django.contrib.auth.models import AnonymousUser

    class SignedIn:
        pk = 17
        is_authenticated = True
        email = "chan.tai.man@example.com"

    assert audit.user_actor(SignedIn()) == "user:17"
    assert audit.user_actor(AnonymousUser()) == "system"
    assert audit.user_actor(None) == "system"


def test_timeline_of_one_object():
    with transaction.atomic():
        audit.record("case_submitted", actor="user:1", obj_type="case", obj_id=7)
        audit.record("case_submitted", actor="user:2", obj_type="case", obj_id=8)
        audit.record("case_accepted", actor="staff:1", obj_type="case", obj_id=7)
    assert [e.event for e in audit.events_for("case", 7)] == ["case_submitted", "case_accepted"]


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_linear_chain():
    errors = []

    def write(worker: int) -> None:
        try:
            for number in range(10):
                with transaction.atomic():
                    audit.record(
                        "case_submitted", actor=f"user:{worker}", obj_type="case", obj_id=number
                    )
        except Exception as error:  # noqa: BLE001 — reported to the test thread below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = audit.verify_chain()
    assert report.intact and report.count == 80


# --- Signed checkpoints ---------------------------------------------------------------------


def test_checkpoint_signature_verifies_with_the_public_key(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    rows = record_events(3)
    checkpoint = audit.sign_head()
    assert (checkpoint.sequence, checkpoint.head_hash) == (3, rows[-1].hash)
    public_key = audit_signing.active_signer().public_key_for(checkpoint.key_id)
    assert base64.b64decode(checkpoint.public_key) == public_key
    assert audit_signing.signature_is_valid(checkpoint, public_key)
    stranger = audit_signing.raw_public_key(Ed25519PrivateKey.generate())
    assert not audit_signing.signature_is_valid(checkpoint, stranger)
    assert "1 signed checkpoints verified" in verify_command()


def test_embedded_key_is_generated_once_and_private(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    first = audit_signing.active_signer()
    key_file = tmp_path / audit_signing.EMBEDDED_KEY_FILE
    assert key_file.stat().st_mode & 0o077 == 0
    assert audit_signing.active_signer().key_id == first.key_id


def test_signing_twice_without_new_events_keeps_one_checkpoint(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    assert audit.sign_head() is None
    record_events(1)
    first = audit.sign_head()
    assert audit.sign_head() == first
    record_events(1, start=2)
    assert audit.sign_head().sequence == 2
    assert AuditCheckpoint.objects.count() == 2


def test_a_forged_checkpoint_signature_breaks_verification(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    record_events(2)
    checkpoint = audit.sign_head()
    forged = base64.b64encode(Ed25519PrivateKey.generate().sign(b"x")).decode()
    tamper("UPDATE core_auditcheckpoint SET signature = %s WHERE id = %s", [forged, checkpoint.pk])
    assert "signature of checkpoint #2" in broken_message()


def test_configured_key_gives_a_stable_key_id_and_bad_keys_are_refused(settings):
    seed = bytes(range(32))
    settings.TONGBAN_AUDIT_SIGNING_KEY = base64.b64encode(seed).decode()
    signer = audit_signing.active_signer()
    expected = Ed25519PrivateKey.from_private_bytes(seed)
    assert signer.public_key == audit_signing.raw_public_key(expected)
    assert signer.key_id == audit_signing.active_signer().key_id
    settings.TONGBAN_AUDIT_SIGNING_KEY = "not a key"
    with pytest.raises(ImproperlyConfigured):
        audit_signing.active_signer()


def test_production_without_a_key_refuses_to_sign(settings):
    settings.PRODUCTION = True
    settings.TONGBAN_AUDIT_SIGNING_KEY = ""
    record_events(1)
    with pytest.raises(ImproperlyConfigured, match="TONGBAN_AUDIT_SIGNING_KEY"):
        audit.sign_head()


def test_a_signer_registered_by_another_app_is_used_when_configured(settings):
    key = Ed25519PrivateKey.generate()

    class ElsewhereSigner(audit_signing.CheckpointSigner):
        def sign(self, message):
            public = audit_signing.raw_public_key(key)
            return audit_signing.Signature("elsewhere-1", public, key.sign(message))

        def public_key_for(self, key_id):
            return audit_signing.raw_public_key(key) if key_id == "elsewhere-1" else None

    audit_signing.checkpoint_signers.register("elsewhere", ElsewhereSigner)
    try:
        with override_settings(TONGBAN_AUDIT_SIGNER="elsewhere"):
            record_events(1)
            checkpoint = audit.sign_head()
            assert (checkpoint.signer, checkpoint.key_id) == ("elsewhere", "elsewhere-1")
            assert audit.verify_chain().checkpoints_checked == 1
    finally:
        audit_signing.checkpoint_signers.unregister("elsewhere")
    # Without the signer the signature cannot be checked: said, not hidden, not "broken".
    report = audit.verify_chain()
    assert report.intact and any("not checked" in note for note in report.notes)


def test_sign_command_and_task(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    record_events(2)
    out = StringIO()
    call_command("audit", "sign", stdout=out)
    assert "checkpoint #2" in out.getvalue()
    record_events(1, start=3)
    assert sign_audit_head.call()["sequence"] == 3


# --- The registry helper --------------------------------------------------------------------


def test_registry_registers_finds_and_refuses_duplicates():
    scanners = Registry("virus scanner")

    @scanners.register("none")
    def no_scan():
        return "clean"

    assert scanners.get("none") is no_scan and "none" in scanners
    with pytest.raises(ValueError, match="already registered"):
        scanners.register("none", lambda: "other")
    scanners.register("none", str, replace=True)
    assert scanners.get("none") is str
    with pytest.raises(LookupError, match="clamav.*registered: none"):
        scanners.get("clamav")
