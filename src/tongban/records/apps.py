from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tongban.records"
    verbose_name = _("Department records")

    def ready(self):
        from . import providers  # noqa: F401  (registers the built-in providers)
