"""The admin without a sign-in of its own.

Django's admin signs a superuser in with the password alone. Here ``/admin/login/`` only sends
to the platform's sign-in (which asks for the second factor) with ``?next=``, and the admin
opens only to an active Django-staff user whose session proved a second factor
(``staff_sessions``); a staff member without one is sent to set it up first by the enrolment
middleware, like every other staff member.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from tongban.accounts.role_permissions import works_in_admin
from tongban.accounts.signin.staff_sessions import mfa_passed


class PlatformSignInAdminSite(AdminSite):
    def has_permission(self, request) -> bool:
        user = request.user
        # Django staff, or a role that works in the admin (administrator, catalog editor).
        admits = super().has_permission(request) or (user.is_active and works_in_admin(user))
        return admits and mfa_passed(request, user)

    def login(self, request, extra_context=None):
        index = reverse("admin:index", current_app=self.name)
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or index
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = index
        if request.user.is_authenticated:
            if self.has_permission(request):
                return HttpResponseRedirect(next_url)
            # Signed in, but not admin staff: no second sign-in form to try another account.
            raise PermissionDenied
        login_url = resolve_url(settings.LOGIN_URL)
        return HttpResponseRedirect(f"{login_url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")
