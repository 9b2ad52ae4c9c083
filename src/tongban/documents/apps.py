from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tongban.documents"
    verbose_name = _("Documents")

    def ready(self):
        # keys: forgets cached keys when settings change; audit_signer: registers "documents".
        from . import audit_signer, keys, personal_data  # noqa: F401

        personal_data.register()  # issued letters and certificates in "download my data"
