"""Certificate verification speed against a raw Ed25519 verify in the same run.

Issues a real social-insurance certificate (``tongban certificate issue --demo``) into a fresh
SQLite database in a temporary directory, then measures on one core, in interleaved rounds
(median round counts):
- ``raw``: ``Ed25519PublicKey.verify`` over the certificate token's signing input (the floor),
- ``offline``: the QR token checked with the published keys (what a bank's app does),
- ``online``: the typed verification code checked against the registry (what ``/verify`` does,
  minus HTTP and the rate limit),
- ``pdf``: the whole PDF checked offline (``tongban certificate verify``).
Prints one JSON line with each rate and its ratio to ``raw`` (target: online ≥ 0.3).

    .venv/bin/python bench/certificate_verify.py [--seconds 1.0] [--rounds 5]
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def rate(function, seconds: float) -> float:
    count, started = 0, time.perf_counter()
    deadline = started + seconds
    while True:
        for _ in range(20):
            function()
        count += 20
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tongban-bench-") as var_dir:
        os.environ.update(
            {"TONGBAN_VAR_DIR": var_dir, "DJANGO_SETTINGS_MODULE": "tongban.settings"}
        )
        os.environ.pop("DATABASE_URL", None)
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
        import django

        django.setup()
        from django.core.management import call_command

        from tongban.certificates import services as certificates
        from tongban.documents import keys, signing
        from tongban.documents.models import IssuedDocument

        call_command("migrate", verbosity=0)
        pdf_path = Path(var_dir) / "certificate.pdf"
        call_command("certificate", "issue", "--demo", "--out", str(pdf_path), stdout=io.StringIO())
        issued = IssuedDocument.objects.latest("id")
        token, code, pdf_bytes = issued.token, issued.verification_code, pdf_path.read_bytes()

        header, payload, signature = token.split(".")
        signing_input = f"{header}.{payload}".encode()
        raw_signature = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
        public_key = keys.signing_key().public_key

        def raw():
            public_key.verify(raw_signature, signing_input)

        def offline():
            signing.verify_token(token)

        def online():
            assert certificates.verify_code(code).is_valid

        def whole_pdf():
            assert certificates.verify_pdf(pdf_bytes).is_valid

        checks = {"raw": raw, "offline": offline, "online": online, "pdf": whole_pdf}
        for check in checks.values():
            check()
        samples: dict[str, list[float]] = {name: [] for name in checks}
        for _round in range(options.rounds):
            for name, check in checks.items():
                samples[name].append(rate(check, options.seconds))
        medians = {name: statistics.median(values) for name, values in samples.items()}
        print(
            json.dumps(
                {
                    "bench": "certificate_verify",
                    "raw_ed25519_per_s": round(medians["raw"]),
                    "offline_token_per_s": round(medians["offline"]),
                    "online_code_per_s": round(medians["online"]),
                    "offline_pdf_per_s": round(medians["pdf"]),
                    "offline_ratio_to_raw": round(medians["offline"] / medians["raw"], 3),
                    "online_ratio_to_raw": round(medians["online"] / medians["raw"], 3),
                    "pdf_ratio_to_raw": round(medians["pdf"] / medians["raw"], 3),
                    "pdf_bytes": len(pdf_bytes),
                    "target_ratio": 0.3,
                }
            )
        )


if __name__ == "__main__":
    main()
