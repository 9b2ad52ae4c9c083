from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tongban.certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from . import facts, kinds

        kinds.register_document_kinds(describe=facts.describe)
        kinds.register_catalog_links()
