from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header (Django 5.2 has no built-in CSP)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class PrivateResponsesNotStoredMiddleware:
    """``Cache-Control: no-store`` (and ``Pragma: no-cache`` for old proxies) on every response
    that may carry personal data, so no browser, proxy or shared kiosk keeps a copy.

    The rule is deliberately blunt: every response to a signed-in user, and every response under
    a personal prefix (``/me/``, ``/staff/``, ``/accounts/``, ``/kiosk/``, the API) whoever asks —
    an API token is not a session, so the path decides there. Public catalog pages, public API
    documents and static files keep their own caching.
    """

    PERSONAL_PREFIXES = ("/me/", "/staff/", "/accounts/", "/security/", "/kiosk/", "/api/")
    PUBLIC_API_PREFIXES = ("/api/v1/catalog/", "/api/docs", "/api/openapi.json")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self._personal(request):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response

    def _personal(self, request) -> bool:
        # ``user`` is absent on responses answered before the authentication middleware ran
        # (WhiteNoise's static files).
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return True
        path = request.path_info
        if path.startswith(self.PUBLIC_API_PREFIXES):
            return False
        return path.startswith(self.PERSONAL_PREFIXES)
