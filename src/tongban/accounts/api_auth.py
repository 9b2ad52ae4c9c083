"""Bearer authentication for the API: a staff integration's token (``accounts.tokens``).

Each router builds it with the scope its changes need — ``StaffTokenAuth("cases")`` — so the
scope is enforced per endpoint: any valid token reads, only a token holding that scope changes.
An unknown, revoked or expired token, or one whose holder lost the staff role or the
authenticator app, is no authentication (401); a valid token without the scope is 403.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from tongban.accounts import tokens


class StaffTokenAuth(HttpBearer):
    def __init__(self, scope: str):
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str):
        try:
            user = tokens.authenticate_api_token(
                token, method=request.method or "GET", required_scope=self.scope
            )
        except tokens.TokenScopeRefused as refused:
            raise HttpError(403, str(refused)) from refused
        if user is not None:
            request.user = user
        return user
