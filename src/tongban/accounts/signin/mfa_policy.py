"""Who must use a second factor: every staff member must have TOTP; applicants may choose."""

from allauth.mfa.models import Authenticator


def is_staff_for_mfa(user) -> bool:
    """Staff are Django staff, superusers, and anyone holding an accounts StaffAssignment.

    The one place to change when the staff definition changes.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    assignments = getattr(user, "staff_assignments", None)  # accounts.StaffAssignment, if present
    return assignments is not None and assignments.exists()


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def must_enrol_totp(user) -> bool:
    return is_staff_for_mfa(user) and not has_totp(user)


def has_second_factor(user) -> bool:
    """An authenticator app or a passkey: what a sign-in can be asked to prove."""
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()
