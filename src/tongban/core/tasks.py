"""Background work of the shared kernel."""

from django_tasks import task


@task()
def sign_audit_head() -> dict | None:
    """Sign the audit chain's head: enqueued every TONGBAN_AUDIT_SIGN_EVERY events, or by cron."""
    from . import audit

    checkpoint = audit.sign_head()
    if checkpoint is None:
        return None
    return {"sequence": checkpoint.sequence, "key_id": checkpoint.key_id}


@task()
def sweep_task_leases() -> dict:
    """Re-queues tasks whose worker died mid-run (``tasklease.sweep``); run periodically."""
    from . import tasklease

    return tasklease.sweep()


@task()
def sweep_rate_counters() -> int:
    """Delete expired rate-limit counters from the database (Redis expires its own)."""
    from . import ratelimit  # the limiter imports models, which must not load before apps are ready

    return ratelimit.sweep_expired()
