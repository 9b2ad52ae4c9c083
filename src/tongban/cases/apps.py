from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tongban.cases"
    verbose_name = _("Cases")

    def ready(self):
        from . import scanning  # registers the built-in "none" scanner
        from .clamav import ClamdScanner

        scanning.scanners.register("clamav", ClamdScanner(), replace=True)
        from .letters import register_letters

        register_letters()  # vouchers and decision letters (§5), issued through documents
        from .notifying import register as register_notifier

        register_notifier()  # case events → notifications (§8): inbox, e-mail, SMS
        from tongban.core import periodic

        from .tasks import sweep_deadlines

        periodic.register("cases.sweep_deadlines", sweep_deadlines, minutes=15)
        from . import personal_data

        personal_data.register()  # cases, files, ratings in "download my data"

        from tongban.accounts import token_scopes  # in ready(): the app registry is loaded

        token_scopes.register(  # what an API token needs to change cases (cases.api)
            "cases",
            _("Act on cases"),
            _(
                "Start and submit cases, accept, refuse, ask for supplements, decide, deliver,"
                " and follow up ratings."
            ),
        )
