"""The HTTP JSON provider against a small department server started on 127.0.0.1."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tongban.records import services
from tongban.records.remote import HttpJsonRecordProvider
from tongban.records.types import SocialInsuranceRecord

pytestmark = pytest.mark.django_db

RECORD = {
    "holder_name": "李美玲",
    "sex": "F",
    "months": [
        {
            "month": "2026-09",
            "employer": "江门市澳江跨境服务有限公司",
            "contribution_base": "6600.00",
            "employer_amount": "1463.88",
            "personal_amount": "673.20",
            "insurance_types": ["养老", "职工医保"],
            "place": "江门市蓬江区",
        }
    ],
    "summaries": [
        {
            "insurance_type": "养老",
            "status": "contributing",
            "cumulative_months": 36,
            "first_month": "2023-10",
            "last_month": "2026-09",
        }
    ],
}


class Department(BaseHTTPRequestHandler):
    """Answers by the ``mode`` the test sets on the server."""

    def log_message(self, *args):
        pass

    def _send(self, status: int, body: bytes, content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.server.seen.append(("GET", self.path, dict(self.headers), b""))
        self._send(200 if self.server.mode != "500" else 500, b'{"status": "ok"}')

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.seen.append(("POST", self.path, dict(self.headers), body))
        mode = self.server.mode
        if mode == "slow":
            time.sleep(1.5)
        if mode == "500":
            return self._send(500, b"internal error")
        if mode == "garbage":
            return self._send(200, b"{not json", "text/html")
        if mode == "shape":
            broken = {**RECORD, "months": [{**RECORD["months"][0], "contribution_base": 6600.5}]}
            return self._send(
                200, json.dumps({"kind": "social_insurance", "record": broken}).encode()
            )
        if mode == "none":
            return self._send(200, b'{"kind": "social_insurance", "record": null}')
        self._send(200, json.dumps({"kind": "social_insurance", "record": RECORD}).encode())


@pytest.fixture
def department():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Department)
    server.mode = "ok"
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}/api"
    yield server
    server.shutdown()
    server.server_close()


def provider(department, **options):
    return HttpJsonRecordProvider(department.url, "secret-token", options.get("timeout", 0.5))


def subject():
    return services.make_subject("hmt-permit", "M12345678")


def test_fetches_a_typed_record_with_bearer_token_and_the_number_only_in_the_body(department):
    record = provider(department).fetch("social_insurance", subject())
    assert isinstance(record, SocialInsuranceRecord)
    assert record.months[0].employer_amount.to_eng_string() == "1463.88"
    method, path, headers, body = department.seen[-1]
    assert (method, path) == ("POST", "/api/records/social_insurance")
    assert headers["Authorization"] == "Bearer secret-token"
    assert json.loads(body) == {"subject": {"kind": "hmt-permit", "number": "M12345678"}}
    assert "M12345678" not in path


def test_null_record_means_the_department_has_none(department):
    department.mode = "none"
    assert provider(department).fetch("social_insurance", subject()) is None


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("500", "answered with an error (HTTP 500)"),
        ("slow", "did not answer within 0.5 seconds"),
        ("garbage", "the answer is not valid JSON"),
        ("shape", "record.months[0].contribution_base: expected a decimal number written as text"),
    ],
)
def test_failures_become_clear_errors(department, mode, message):
    department.mode = mode
    with pytest.raises(services.RecordUnavailable) as failed:
        provider(department).fetch("social_insurance", subject())
    assert message in failed.value.message


def test_unreachable_system_and_missing_address():
    with pytest.raises(services.RecordUnavailable) as failed:
        HttpJsonRecordProvider("http://127.0.0.1:9", "t", 0.5).fetch("tax", subject())
    assert "cannot be reached" in failed.value.message
    with pytest.raises(services.RecordUnavailable) as failed:
        HttpJsonRecordProvider("", "t", 0.5).fetch("tax", subject())
    assert "TONGBAN_RECORDS_HTTP_URL" in failed.value.message
    with pytest.raises(services.RecordUnavailable) as failed:
        HttpJsonRecordProvider("file:///etc/passwd", "t", 0.5).fetch("tax", subject())
    assert "must start with http" in failed.value.message
    assert not HttpJsonRecordProvider("ftp://x", "t", 0.5).check().ok


def test_health_check(department):
    assert provider(department).check().ok
    department.mode = "500"
    health = provider(department).check()
    assert not health.ok and "HTTP 500" in health.detail


def test_settings_pick_the_http_provider_for_one_kind(department, settings):
    settings.TONGBAN_RECORD_PROVIDERS = ["*=local", "social_insurance=http"]
    settings.TONGBAN_RECORDS_HTTP_URL = department.url
    settings.TONGBAN_RECORDS_HTTP_TOKEN = "secret-token"
    record = services.fetch_record("social_insurance", subject())
    assert record.holder_name == "李美玲"
    assert services.fetch_record("tax", subject()) is None  # still the (empty) local tables
    health = services.check_providers()
    assert health["social_insurance"].name == "http" and health["tax"].name == "local"
