from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tongban.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import append_only, audit_signing, logs  # noqa: F401  (registers the built-in signer)

        logs.configure_structlog()
        from . import periodic, tasks  # tasks need the app registry ready

        periodic.register("core.sweep_rate_counters", tasks.sweep_rate_counters, minutes=60)
        # SQLite rebuilds a table when a later migration alters it, losing its triggers;
        # re-installing after every migrate keeps the audit tables append-only.
        post_migrate.connect(append_only.reinstall_after_migrate, sender=self)
