"""gunicorn's access log without secrets: request paths carry them.

An e-mail confirmation (``/accounts/confirm-email/<key>/``), a password reset
(``/accounts/password/reset/key/<uid>-<key>/``) or an OpenID Connect callback (``?code=…``) is
a one-time credential in the URL itself, and gunicorn writes every URL to its access log. This
logger class hides them (``core.redaction``) in the request line, path, query, referrer,
headers and environ variables a log format may name, and drops cookies and credentials.
"""

from gunicorn import glogging

from tongban.core.redaction import REDACTED, redact_text

REQUEST_ATOMS = ("r", "U", "f")
QUERY_ATOMS = ("q", "{query_string}e")
CREDENTIAL_ATOMS = {
    "{cookie}i",
    "{authorization}i",
    "{proxy-authorization}i",
    "{x-csrftoken}i",
    "{set-cookie}o",
    "{http_cookie}e",
    "{http_authorization}e",
    "{http_proxy_authorization}e",
    "{http_x_csrftoken}e",
}
# Request headers (i), response headers (o: a redirect's Location) and the WSGI environ (e).
HEADER_AND_ENVIRON_SUFFIXES = ("}i", "}o", "}e")


class RedactingAccessLogger(glogging.Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in REQUEST_ATOMS:
            if isinstance(atoms.get(name), str):
                atoms[name] = redact_text(atoms[name])
        for name, value in atoms.items():
            if name in QUERY_ATOMS and isinstance(value, str):
                atoms[name] = redact_text("?" + value)[1:]  # the patterns look for "?key="
            elif name in CREDENTIAL_ATOMS:
                atoms[name] = REDACTED
            elif name.endswith(HEADER_AND_ENVIRON_SUFFIXES) and isinstance(value, str):
                atoms[name] = redact_text(value)
        return atoms
