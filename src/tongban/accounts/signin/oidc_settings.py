"""OpenID Connect providers (iAM Smart and the like) from environment variables.

Imported by ``settings.py``, so it imports nothing from Django. Two ways to configure:

* ``TONGBAN_OIDC_PROVIDERS``: a JSON list of objects with ``id``, ``name``, ``server_url``,
  ``client_id``, ``secret`` and optionally ``scope`` (list), ``token_auth_method``, ``pkce``.
* One provider per variable group: ``TONGBAN_OIDC_<ID>_SERVER_URL``, ``..._CLIENT_ID``,
  ``..._SECRET`` and optionally ``..._NAME``, ``..._SCOPE`` (space-separated),
  ``..._TOKEN_AUTH_METHOD``. ``<ID>`` in lower case becomes the provider id in the URLs
  (``/accounts/oidc/<id>/login/``).
"""

import json
import re

_GROUP = re.compile(r"^TONGBAN_OIDC_([A-Z0-9]+)_SERVER_URL$")
_PROVIDER_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
DEFAULT_SCOPE = ["openid"]


class OidcConfigurationError(ValueError):
    """The environment describes an OIDC provider that cannot work."""


def _app(
    *, provider_id, name, server_url, client_id, secret, scope, token_auth_method, pkce
) -> dict:
    if not _PROVIDER_ID.match(provider_id or ""):
        raise OidcConfigurationError(f"OIDC provider id {provider_id!r} must be a-z, 0-9, '-'.")
    missing = [
        label
        for label, value in (("server_url", server_url), ("client_id", client_id))
        if not value
    ]
    if missing:
        raise OidcConfigurationError(f"OIDC provider {provider_id!r} lacks {', '.join(missing)}.")
    settings = {
        "server_url": server_url,
        "scope": list(scope or DEFAULT_SCOPE),
        # Pairwise subject identifiers: the account is keyed by the provider's `sub`.
        "uid_field": "sub",
        "oauth_pkce_enabled": bool(pkce),
    }
    if token_auth_method:
        settings["token_auth_method"] = token_auth_method
    return {
        "provider_id": provider_id,
        "name": name or provider_id,
        "client_id": client_id,
        "secret": secret or "",
        "settings": settings,
    }


def _from_json(text: str) -> list[dict]:
    try:
        entries = json.loads(text)
    except json.JSONDecodeError as error:
        raise OidcConfigurationError(f"TONGBAN_OIDC_PROVIDERS is not JSON: {error}") from error
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise OidcConfigurationError("TONGBAN_OIDC_PROVIDERS must be a JSON list of objects.")
    return [
        _app(
            provider_id=entry.get("id"),
            name=entry.get("name"),
            server_url=entry.get("server_url"),
            client_id=entry.get("client_id"),
            secret=entry.get("secret"),
            scope=entry.get("scope"),
            token_auth_method=entry.get("token_auth_method"),
            pkce=entry.get("pkce", True),
        )
        for entry in entries
    ]


def _from_groups(environ) -> list[dict]:
    apps = []
    for key in sorted(environ):
        match = _GROUP.match(key)
        if not match:
            continue
        prefix = f"TONGBAN_OIDC_{match.group(1)}_"
        scope = environ.get(prefix + "SCOPE", "").split()
        apps.append(
            _app(
                provider_id=match.group(1).lower(),
                name=environ.get(prefix + "NAME"),
                server_url=environ[key],
                client_id=environ.get(prefix + "CLIENT_ID"),
                secret=environ.get(prefix + "SECRET"),
                scope=scope,
                token_auth_method=environ.get(prefix + "TOKEN_AUTH_METHOD"),
                pkce=environ.get(prefix + "PKCE", "true").lower() in {"1", "true", "yes", "on"},
            )
        )
    return apps


def providers_from_environment(environ) -> dict:
    """``SOCIALACCOUNT_PROVIDERS`` for the providers the environment configures (maybe none)."""
    apps = (
        _from_json(environ["TONGBAN_OIDC_PROVIDERS"])
        if environ.get("TONGBAN_OIDC_PROVIDERS")
        else []
    )
    apps += _from_groups(environ)
    ids = [app["provider_id"] for app in apps]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise OidcConfigurationError(
            f"OIDC provider ids configured twice: {', '.join(duplicates)}."
        )
    return {"openid_connect": {"APPS": apps}} if apps else {}
