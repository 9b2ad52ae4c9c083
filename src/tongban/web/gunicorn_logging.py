"""gunicorn's access log without secrets: request paths carry them.

An e-mail confirmation (``/accounts/confirm-email/<key>/``), a password reset
(``/accounts/password/reset/key/<uid>-<key>/``) or an OpenID Connect callback (``?code=…``) is
a one-time credential in the URL itself, and gunicorn writes every URL to its access log. This
logger class hides them (``core.redaction``) in the request line, path, query, referrer and
request headers, and drops cookies and credentials altogether.
"""

from gunicorn import glogging

from tongban.core.redaction import REDACTED, redact_text

REQUEST_ATOMS = ("r", "U", "f")
CREDENTIAL_HEADERS = ("{cookie}i", "{authorization}i", "{proxy-authorization}i", "{x-csrftoken}i")


class RedactingAccessLogger(glogging.Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in REQUEST_ATOMS:
            if isinstance(atoms.get(name), str):
                atoms[name] = redact_text(atoms[name])
        if atoms.get("q"):
            atoms["q"] = redact_text("?" + atoms["q"])[1:]
        for name, value in atoms.items():
            if name in CREDENTIAL_HEADERS:
                atoms[name] = REDACTED
            elif name.startswith("{") and name.endswith("}i") and isinstance(value, str):
                atoms[name] = redact_text(value)
        return atoms
