"""A provider for a remote department system speaking JSON over HTTP(S).

``docs/records-providers.md`` is the contract: ``POST {base}/records/{kind}`` with a bearer
token and ``{"subject": {"kind", "number"}}``; the answer ``{"kind", "record"}`` with the record
in the shape of ``records.types`` (or null when the department has none); ``GET {base}/health``.
Every failure (timeout, refused connection, an HTTP error, malformed JSON, a wrong shape)
becomes ``RecordUnavailable`` with a message a person understands; the identifier is sent
in the body, never in the address, so access logs do not collect it.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from typing import Any

import structlog
from django.conf import settings
from django.utils.translation import gettext as _

from . import types
from .constants import RecordKind
from .errors import RecordUnavailable
from .providers import ProviderHealth, RecordProvider
from .subjects import Subject

log = structlog.get_logger("tongban.records")

MAX_RESPONSE_BYTES = 5 * 1024 * 1024
DEFAULT_TIMEOUT_SECONDS = 5.0


class HttpJsonRecordProvider(RecordProvider):
    name = "http"

    def __init__(
        self, base_url: str | None = None, token: str | None = None, timeout: float | None = None
    ):
        self.base_url = (
            base_url or getattr(settings, "TONGBAN_RECORDS_HTTP_URL", "") or ""
        ).rstrip("/")
        self.token = (
            token if token is not None else getattr(settings, "TONGBAN_RECORDS_HTTP_TOKEN", "")
        )
        self.timeout = float(
            timeout or getattr(settings, "TONGBAN_RECORDS_HTTP_TIMEOUT", DEFAULT_TIMEOUT_SECONDS)
        )

    # --- the interface ---------------------------------------------------------------------------

    def fetch(self, kind: str, subject: Subject):
        kind = RecordKind(kind)
        body = json.dumps({"subject": {"kind": subject.kind, "number": subject.number}}).encode()
        answer = self._request("POST", f"/records/{kind.value}", body)
        if not isinstance(answer, dict) or "record" not in answer:
            raise self._unusable(_("the answer has no “record” member"))
        if answer.get("kind", kind.value) != kind.value:
            raise self._unusable(
                _("it answered about “%(other)s” instead") % {"other": str(answer.get("kind"))[:40]}
            )
        if answer["record"] is None:
            return None
        try:
            return types.from_data(kind, answer["record"])
        except types.RecordShapeError as error:
            raise self._unusable(
                _("%(path)s: %(problem)s") % {"path": error.path, "problem": error.problem}
            ) from error

    def check(self) -> ProviderHealth:
        try:
            self._request("GET", "/health", None)
        except RecordUnavailable as error:
            return ProviderHealth(self.name, False, error.message)
        return ProviderHealth(self.name, True, _("%(url)s answers.") % {"url": self.base_url})

    # --- transport -------------------------------------------------------------------------------

    def _unusable(self, detail: str) -> RecordUnavailable:
        return RecordUnavailable(
            _("The department's system sent an answer Tongban cannot use (%(detail)s).")
            % {"detail": detail}
        )

    def _request(self, method: str, path: str, body: bytes | None) -> Any:
        if not self.base_url:
            raise RecordUnavailable(
                _(
                    "No address is configured for the department's system (TONGBAN_RECORDS_HTTP_URL)."
                )
            )
        if not self.base_url.startswith(("http://", "https://")):
            # Refused here rather than at start-up: a bad setting must not take pages down.
            raise RecordUnavailable(
                _("TONGBAN_RECORDS_HTTP_URL must start with http:// or https://.")
            )
        headers = {"Accept": "application/json", "User-Agent": "Tongban-records/1"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(  # noqa: S310  (the scheme is checked above)
            self.base_url + path, data=body, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read(MAX_RESPONSE_BYTES + 1)
        except urllib.error.HTTPError as error:
            log.warning("records_http_error", path=path, status=error.code)
            raise RecordUnavailable(
                _(
                    "The department's system answered with an error (HTTP %(status)s); try again later."
                )
                % {"status": error.code}
            ) from error
        except TimeoutError as error:
            log.warning("records_http_timeout", path=path, timeout=self.timeout)
            raise self._timed_out() from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError | socket.timeout):
                raise self._timed_out() from error
            log.warning("records_http_unreachable", path=path, reason=str(error.reason))
            raise RecordUnavailable(
                _("The department's system cannot be reached (%(reason)s); try again later.")
                % {"reason": str(error.reason)[:200]}
            ) from error
        except OSError as error:  # a connection reset half-way through the answer
            raise RecordUnavailable(
                _("The department's system cannot be reached (%(reason)s); try again later.")
                % {"reason": str(error)[:200]}
            ) from error
        if len(raw) > MAX_RESPONSE_BYTES:
            raise self._unusable(_("the answer is larger than 5 MB"))
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise self._unusable(_("the answer is not valid JSON")) from error

    def _timed_out(self) -> RecordUnavailable:
        return RecordUnavailable(
            _("The department's system did not answer within %(seconds)s seconds; try again later.")
            % {"seconds": f"{self.timeout:g}"}
        )
