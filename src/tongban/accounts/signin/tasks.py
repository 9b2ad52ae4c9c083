"""Background work of sign-in: telling an account's owner about wrong passwords."""

from __future__ import annotations

import structlog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

log = structlog.get_logger("tongban.signin")


@task()
def tell_owner_about_failed_sign_ins(user_id: int | None, failures: int, hours: int) -> bool:
    """E-mail the owner that someone typed wrong passwords for their account (their account
    stays usable). ``user_id`` is None when no account has that login: nothing is sent."""
    owner = (
        get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
        if user_id is not None
        else None
    )
    if owner is None or not owner.email:
        return False
    context = {"failures": failures, "hours": hours, "site": settings.TONGBAN_PUBLIC_URL}
    with translation.override(getattr(owner, "preferred_language", None) or settings.LANGUAGE_CODE):
        subject = _("Wrong passwords were typed for your Tongban account")
        body = render_to_string("signin/email/failed_sign_ins.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [owner.email])
    log.info("sign_in_failures_owner_told", user=owner.pk, failures=failures)
    return True
