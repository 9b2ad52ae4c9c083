"""What an API token may do: a small vocabulary of scopes, each declared by the app it concerns.

Every token may read (safe methods: GET, HEAD, OPTIONS) whatever its holder's roles allow. A
change (any other method) needs the scope its endpoint asks for: the API's bearer auth is built
with one (``StaffTokenAuth("cases")``). ``read`` grants no change at all and stands alone.
Apps register their scopes in ``AppConfig.ready()``, as with every other registry.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

READ = "read"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class TokenScope:
    name: str
    label: str  # lazy translation
    description: str  # lazy translation


_SCOPES: dict[str, TokenScope] = {}


def register(name: str, label, description) -> TokenScope:
    scope = TokenScope(name, label, description)
    _SCOPES[name] = scope
    return scope


def all_scopes() -> list[TokenScope]:
    """Read-only first, then the others by name."""
    return sorted(_SCOPES.values(), key=lambda scope: (scope.name != READ, scope.name))


def is_known(name: str) -> bool:
    return name in _SCOPES


def allows(scopes: list[str], method: str, required: str) -> bool:
    """Whether a token holding ``scopes`` may call an endpoint needing ``required`` to change."""
    if method.upper() in SAFE_METHODS:
        return True
    return READ not in scopes and required in scopes


def register_accounts_scopes() -> None:
    register(
        READ,
        _("Read only"),
        _("Read what your roles allow; no change of any kind."),
    )
    register(
        "counter",
        _("Counter"),
        _("Look up persons by their document number, as at the counter."),
    )
