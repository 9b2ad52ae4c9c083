"""Middleware: a signed-in staff member without TOTP can do nothing but set it up (or sign out)."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from tongban.accounts.signin.mfa_policy import must_enrol_totp
from tongban.core.errors import ApiError

# Pages a staff member still needs while enrolling: allauth's MFA pages (mfa_*), the
# re-authentication they may demand, signing out, and switching language.
ALLOWED_URL_NAMES = {
    "account_logout",
    "account_reauthenticate",
    "set_language",
    "health",
}


def _allowed(request) -> bool:
    match = request.resolver_match
    if match is None:
        return False
    name = match.url_name or ""
    return name.startswith("mfa_") or name in ALLOWED_URL_NAMES


class StaffTotpEnrolmentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or _allowed(request):
            return None
        if not must_enrol_totp(user):
            return None
        message = _("Staff accounts must use an authenticator app. Set one up to continue.")
        if request.path.startswith("/api/"):
            return JsonResponse(
                ApiError(code="mfa_required", detail=message).model_dump(), status=403
            )
        messages.warning(request, message)
        return redirect("mfa_activate_totp")
