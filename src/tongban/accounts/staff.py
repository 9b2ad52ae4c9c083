"""Staff: who holds which role, where; and API tokens for staff integrations."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tongban.accounts.constants import Role


class StaffAssignment(models.Model):
    """岗位: a user holds a role; a zone clerk at one zone, a reviewer for one department."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_assignments",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    zone = models.ForeignKey(
        "catalog.Zone",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_assignments",
        verbose_name=_("zone"),
    )
    department = models.ForeignKey(
        "catalog.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_assignments",
        verbose_name=_("department"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("staff assignment")
        verbose_name_plural = _("staff assignments")
        ordering = ["user", "role", "pk"]
        constraints = [
            # A clerk works at exactly one zone; no other role is bound to one.
            models.CheckConstraint(
                condition=(Q(role=Role.ZONE_CLERK) & Q(zone__isnull=False))
                | (~Q(role=Role.ZONE_CLERK) & Q(zone__isnull=True)),
                name="staff_zone_iff_clerk",
                violation_error_message=_("A zone clerk works at one zone; other roles have none."),
            ),
            # A reviewer reviews for exactly one department; no other role is bound to one.
            models.CheckConstraint(
                condition=(Q(role=Role.DEPARTMENT_REVIEWER) & Q(department__isnull=False))
                | (~Q(role=Role.DEPARTMENT_REVIEWER) & Q(department__isnull=True)),
                name="staff_department_iff_reviewer",
                violation_error_message=_(
                    "A department reviewer works for one department; other roles have none."
                ),
            ),
            # One assignment per role and place; three partial constraints, because SQLite
            # cannot treat NULLs as equal in one (nulls_distinct=False).
            models.UniqueConstraint(
                fields=["user", "role", "zone"],
                condition=Q(zone__isnull=False),
                name="staff_clerk_once_per_zone",
                violation_error_message=_("This person already holds this role here."),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "department"],
                condition=Q(department__isnull=False),
                name="staff_reviewer_once_per_department",
                violation_error_message=_("This person already holds this role here."),
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(zone__isnull=True, department__isnull=True),
                name="staff_role_once",
                violation_error_message=_("This person already holds this role."),
            ),
        ]

    def __str__(self) -> str:
        where = self.zone or self.department
        label = self.get_role_display()
        return f"{self.user} · {label} · {where}" if where else f"{self.user} · {label}"


class ApiToken(models.Model):
    """A bearer token for a staff integration. Only its SHA-256 is stored.

    It works only while it is unrevoked and unexpired and its holder is an active staff member
    with an authenticator app; ``scopes`` (``accounts.token_scopes``) say what it may change.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=12, editable=False)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["user", "-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
