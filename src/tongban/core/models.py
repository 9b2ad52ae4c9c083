from django.db import models
from django.utils.translation import gettext_lazy as _


class Counter(models.Model):
    """A named sequence (case numbers, certificate numbers, catalog revision), taken under a row lock."""

    name = models.CharField(_("name"), max_length=64, primary_key=True)
    value = models.BigIntegerField(_("value"), default=0)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class RateCounter(models.Model):
    """One rate-limit counter (``core.ratelimit`` without Redis): bumped by a single atomic
    upsert, so concurrent requests never read the same count."""

    key = models.CharField(_("key"), max_length=200, primary_key=True)
    count = models.BigIntegerField(_("count"), default=0)
    expires_at = models.FloatField(_("expires at"), db_index=True)  # seconds since the epoch

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")

    def __str__(self) -> str:
        return f"{self.key}={self.count}"


class AppendOnlyError(Exception):
    """Audit rows are never changed or deleted once written."""


class AppendOnlyModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.label} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.label} rows are append-only")


class AuditEvent(AppendOnlyModel):
    """One link of the hash-chained, append-only audit trail (审计日志).

    ``hash`` is the SHA-256 of the canonical JSON of every other field except ``id``,
    ``previous_hash`` included, so changing or removing any event breaks the chain after it.
    ``actor`` and ``payload`` never hold personal identifiers: ids and masked values only.
    """

    sequence = models.BigIntegerField(_("sequence"), unique=True)
    created_at = models.DateTimeField(_("time"))
    actor = models.CharField(_("actor"), max_length=120)
    event = models.CharField(_("event"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    payload = models.JSONField(_("payload"), default=dict)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["object_type", "object_id", "sequence"], name="core_audit_object")
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.event} {self.object_type}:{self.object_id}"


class AuditCheckpoint(AppendOnlyModel):
    """A signed statement that the audit chain's head was ``head_hash`` at ``sequence``.

    Signed checkpoints kept (and copied elsewhere) make a truncated or rewritten chain
    detectable even by someone who could recompute every hash.
    """

    sequence = models.BigIntegerField(_("sequence"), db_index=True)
    head_hash = models.CharField(_("head hash"), max_length=64)
    signed_at = models.DateTimeField(_("signed at"))
    signer = models.CharField(_("signer"), max_length=32)
    algorithm = models.CharField(_("algorithm"), max_length=16, default="Ed25519")
    key_id = models.CharField(_("key id"), max_length=64)
    public_key = models.CharField(_("public key"), max_length=128)
    signature = models.CharField(_("signature"), max_length=256)

    class Meta:
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"checkpoint #{self.sequence} {self.head_hash[:12]} ({self.key_id})"


class TaskWorker(models.Model):
    """A background-task worker's heartbeat, written while it runs a task (see ``tasklease``).

    django-tasks-db marks a claimed task RUNNING with the worker's id and nothing more; a task
    whose worker has not beaten for a lease is orphaned and ``tasklease.sweep`` queues it again.
    """

    worker_id = models.CharField(_("worker id"), max_length=64, primary_key=True)
    beat_at = models.DateTimeField(_("last heartbeat"), db_index=True)

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.beat_at:%Y-%m-%d %H:%M:%S})"
