"""Background work of notifications: sending one delivery, sweeping interrupted ones."""

from django_tasks import task


@task()
def send_notification(delivery_id: int) -> str:
    """Sends one delivery at most once (``sending.send``); safe to run twice."""
    from .sending import send

    return send(delivery_id)


@task()
def sweep_stuck_notifications() -> dict:
    """Settles deliveries a killed worker left in 'sending'; run periodically."""
    from .sending import sweep_stuck

    return sweep_stuck()
