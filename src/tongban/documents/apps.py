from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tongban.documents"
    verbose_name = _("Documents")

    def ready(self):
        from . import keys  # noqa: F401  (forgets cached keys when tests change the settings)
