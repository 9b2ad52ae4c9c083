"""For tests of staff pages: staff without TOTP are sent to set it up, so give them one.

secret = give_totp(clerk)            # before client.force_login(clerk)
page.fill("#id_code", totp_code(secret))   # when a browser test signs in with the form
"""

import time

from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value


def give_totp(user) -> str:
    """Activates an authenticator app for ``user``, as allauth's own enrolment would; returns
    the secret (base32), from which ``totp_code`` computes the current code."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now (RFC 6238). allauth refuses a code used in the
    last 30 s: clear the cache between two sign-ins in the same half-minute."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in_staff(client, user) -> None:
    """``client.force_login(user)`` plus what the sign-in's second step leaves in the session
    (staff sessions that never proved a second factor are signed out). The user needs an
    authenticator: ``give_totp(user)`` first, or a test fixture's TOTP row."""
    from tongban.accounts.signin.staff_sessions import MFA_PASSED_KEY

    client.force_login(user)
    session = client.session
    session[MFA_PASSED_KEY] = str(user.pk)
    session.save()


def reauthenticate(client, password: str) -> None:
    """allauth's re-authentication with the password, as a person does before a decision."""
    response = client.post("/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302, response.status_code
