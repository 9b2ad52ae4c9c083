from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tongban.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        # Imported here, not at the top: these modules load models (the registry must be ready).
        from django_tasks.signals import task_finished, task_started

        from . import (
            append_only,
            audit_signing,  # noqa: F401  (registers the built-in signer)
            logs,
            periodic,
            tasklease,
        )
        from .tasks import sweep_rate_counters, sweep_task_leases

        logs.configure_structlog()
        # Database workers beat while they run a task; the sweep re-queues a dead worker's task.
        task_started.connect(tasklease.on_task_started, dispatch_uid="tongban-task-lease")
        task_finished.connect(tasklease.on_task_finished, dispatch_uid="tongban-task-lease")
        periodic.register(
            "core.sweep_task_leases",
            sweep_task_leases,
            minutes=tasklease.lease().total_seconds() / 120,  # every half lease
        )
        periodic.register("core.sweep_rate_counters", sweep_rate_counters, minutes=60)
        # SQLite rebuilds a table when a later migration alters it, losing its triggers;
        # re-installing after every migrate keeps the audit tables append-only.
        post_migrate.connect(append_only.reinstall_after_migrate, sender=self)
