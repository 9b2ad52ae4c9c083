"""Document verification speed against a raw Ed25519 verify in the same run.

Measures, on one core, verifications per second of
- ``raw``: ``Ed25519PublicKey.verify`` over a token's signing input (the floor),
- ``token``: ``documents.signing.verify_token`` (parse, key lookup by kid, JWS check, expiry),
- ``pdf``: ``documents.services.verify_pdf`` offline on a typical one-page sealed PDF (split
  the seal, check the token, SHA-256 of the whole file),
in interleaved rounds (the median round counts), and prints one JSON line with the ratios to
``raw``. Keys are generated into a temporary directory; no database is used.

    .venv/bin/python bench/document_verify.py [--seconds 1.0] [--rounds 5]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def setup_django(var_dir: str) -> None:
    os.environ["TONGBAN_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "tongban.settings"
    os.environ.pop("TONGBAN_SIGNING_KEYS", None)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()


def rate(function, seconds: float) -> float:
    count, started = 0, time.perf_counter()
    deadline = started + seconds
    while True:
        for _ in range(50):
            function()
        count += 50
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="per measurement")
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tongban-bench-") as var_dir:
        setup_django(var_dir)
        import datetime as dt

        from django.utils import timezone

        from tongban.documents import keys, pdf, signing
        from tongban.documents.pdf_seal import body_digest, seal
        from tongban.documents.services import verify_pdf

        now = timezone.now().replace(microsecond=0)
        claims = {
            "v": 1,
            "kind": "si_certificate",
            "no": "JMC-2026-000123",
            "hh": "3f" * 32,
            "hm": "A12****(3)",
            "iat": int(now.timestamp()),
            "exp": int((now + dt.timedelta(days=90)).timestamp()),
            "data": "9c" * 32,
        }
        token = signing.sign_payload(claims)
        header, payload, signature = token.split(".")
        signing_input = f"{header}.{payload}".encode()
        raw_signature = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
        public_key = keys.signing_key().public_key

        frame = pdf.DocumentFrame(
            title="参保证明",
            subtitle="Certidão de inscrição na segurança social",
            number=claims["no"],
            verification_code="7K2M9QXD4HTP",
            token=token,
            issued_at=now,
            valid_until=now + dt.timedelta(days=90),
            languages=("zh-hans", "pt"),
        )
        rows = [["月份", "缴费基数", "单位缴费", "个人缴费"]] + [
            [f"2026-{month:02d}", "5,284.00", "739.76", "422.72"] for month in range(1, 13)
        ]
        body = pdf.build_pdf(frame, [pdf.paragraph("参保人：陳**"), pdf.data_table(rows)])
        sealed = seal(body, signing.sign_payload({**claims, "pdf": body_digest(body)}))

        def raw():
            public_key.verify(raw_signature, signing_input)

        def token_check():
            signing.verify_token(token)

        def pdf_check():
            assert verify_pdf(sealed).is_valid

        for check in (raw, token_check, pdf_check):  # warm caches
            check()
        samples: dict[str, list[float]] = {"raw": [], "token": [], "pdf": []}
        for _round in range(options.rounds):
            samples["raw"].append(rate(raw, options.seconds))
            samples["token"].append(rate(token_check, options.seconds))
            samples["pdf"].append(rate(pdf_check, options.seconds))
        medians = {name: statistics.median(values) for name, values in samples.items()}
        print(
            json.dumps(
                {
                    "benchmark": "document_verify",
                    "raw_ed25519_per_s": round(medians["raw"]),
                    "verify_token_per_s": round(medians["token"]),
                    "verify_pdf_per_s": round(medians["pdf"]),
                    "token_ratio_to_raw": round(medians["token"] / medians["raw"], 3),
                    "pdf_ratio_to_raw": round(medians["pdf"] / medians["raw"], 3),
                    "token_chars": len(token),
                    "pdf_bytes": len(sealed),
                    "rounds": options.rounds,
                    "seconds_per_measurement": options.seconds,
                }
            )
        )


if __name__ == "__main__":
    main()
