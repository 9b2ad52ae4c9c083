"""What each staff role may do in ``/admin/``: Django's model permissions from Tongban's roles.

Roles live in ``StaffAssignment`` rows, not in Django's permission tables, so without this an
administrator entered an admin that said "no permission to view or edit anything" and a catalog
editor could not enter at all. Every change made there is still audited (the admin classes).
"""

from __future__ import annotations

from django.contrib.auth.backends import BaseBackend

from .constants import Role
from .permissions import roles_of

# app label → the permission verbs a role gets on its models.
ROLE_ADMIN_APPS: dict[str, dict[str, frozenset[str]]] = {
    Role.ADMINISTRATOR: {
        "accounts": frozenset({"view", "add", "change", "delete"}),
        "catalog": frozenset({"view", "add", "change", "delete"}),
        "cases": frozenset({"view"}),
        "documents": frozenset({"view"}),
        "notifications": frozenset({"view"}),
    },
    Role.CATALOG_EDITOR: {"catalog": frozenset({"view", "add", "change", "delete"})},
}


def _grants(user) -> dict[str, set[str]]:
    if not getattr(user, "is_active", False):
        return {}
    granted: dict[str, set[str]] = {}
    for role in roles_of(user):
        for app_label, verbs in ROLE_ADMIN_APPS.get(role, {}).items():
            granted.setdefault(app_label, set()).update(verbs)
    return granted


def works_in_admin(user) -> bool:
    return bool(_grants(user))


class RolePermissionBackend(BaseBackend):
    """Answers permission questions only; it never signs anyone in."""

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        app_label, _, codename = perm.partition(".")
        verb = codename.split("_", 1)[0]
        return verb in _grants(user_obj).get(app_label, set())

    def has_module_perms(self, user_obj, app_label: str) -> bool:
        return app_label in _grants(user_obj)
