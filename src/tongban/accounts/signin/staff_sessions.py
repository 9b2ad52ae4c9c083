"""Staff sessions: opened only through the second factor, ended when idle or at browser close.

A session is marked when its holder proves a second factor in it: the code (or passkey) at
sign-in or re-authentication. A staff member who has none yet is left to the enrolment
middleware, which allows nothing but setting one up; the session notes that, and the factor
set up in it (its first code proven on the setup form) then counts as proven. A staff member
who has a second factor but whose session never proved it (a session made some other way) is
signed out and sent to sign in. Staff sessions end after
``TONGBAN_STAFF_IDLE_MINUTES`` without a request and at browser close ("remember me" is for
applicants). Applicants' sessions are untouched.
"""

from __future__ import annotations

import time

from allauth.mfa import signals as mfa_signals
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.dispatch import receiver
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from tongban.accounts.signin.mfa_policy import has_second_factor, is_staff_for_mfa
from tongban.core.errors import ApiError

MFA_PASSED_KEY = "tongban_mfa_passed_user"
ENROLLING_KEY = "tongban_mfa_enrolling_user"  # signed in while having no second factor yet
LAST_SEEN_KEY = "tongban_staff_last_seen"
# The last-seen time is written at most this often, not on every request.
LAST_SEEN_GRANULARITY_SECONDS = 30


def mark_mfa_passed(request, user) -> None:
    request.session[MFA_PASSED_KEY] = str(user.pk)


def mfa_passed(request, user) -> bool:
    return request.session.get(MFA_PASSED_KEY) == str(user.pk)


@receiver(mfa_signals.authenticator_used)
def _second_factor_used(sender, request=None, user=None, **kwargs) -> None:
    if request is not None and user is not None:
        mark_mfa_passed(request, user)


def idle_seconds() -> int:
    return settings.TONGBAN_STAFF_IDLE_MINUTES * 60


def _signed_out(request, message: str):
    logout(request)
    if request.path.startswith("/api/"):
        body = ApiError(code="signed_out", detail=message)  # the API's one error shape
        return JsonResponse(body.model_dump(), status=401)
    messages.info(request, message)
    login_url = resolve_url(settings.LOGIN_URL)
    if request.method == "GET":
        login_url += "?" + urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
    return HttpResponseRedirect(login_url)


class StaffSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        response = self.get_response(request)
        self._keep(request)
        return response

    def _refusal(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not is_staff_for_mfa(user):
            return None
        if not mfa_passed(request, user):
            if not has_second_factor(user):
                request.session[ENROLLING_KEY] = str(user.pk)
            elif request.session.get(ENROLLING_KEY) == str(user.pk):
                mark_mfa_passed(request, user)  # set up in this session, its first code proven
            else:
                return _signed_out(
                    request, _("Staff must sign in with their authenticator app. Sign in again.")
                )
        last_seen = request.session.get(LAST_SEEN_KEY)
        if isinstance(last_seen, (int, float)) and time.time() - last_seen > idle_seconds():
            return _signed_out(
                request,
                _("You were signed out after %(minutes)s minutes without activity.")
                % {"minutes": settings.TONGBAN_STAFF_IDLE_MINUTES},
            )
        return None

    def _keep(self, request):
        # After the view: the user may just have signed in (or out) in this request.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not is_staff_for_mfa(user):
            return
        if not request.session.get_expire_at_browser_close():
            request.session.set_expiry(0)
        now = time.time()
        last_seen = request.session.get(LAST_SEEN_KEY)
        if (
            not isinstance(last_seen, (int, float))
            or now - last_seen >= LAST_SEEN_GRANULARITY_SECONDS
        ):
            request.session[LAST_SEEN_KEY] = now
