"""Certificate issuing speed, end to end, against a bare reportlab page in the same run.

Measures on one process, in interleaved rounds (the median round counts):
- ``bare``: a one-page reportlab PDF with the same embedded font (a title and twenty lines of
  mixed Chinese and Latin text, subset and embedded like the certificates') — the floor;
- ``render``: laying out the demo resident's 参保证明 (36 months, two pages, QR code) without
  numbering, signing or storing it;
- ``issue``: ``certificates.services.issue_certificate`` end to end — the record fetched through
  the local provider, rendered, numbered from the counter, signed (token and PDF seal), stored
  in the documents registry and written to the audit trail;
- ``issue_tax``: the same for the shorter tax record (12 payments, one page);
- ``qr_encode``: encoding one new certificate's QR code (zxing-cpp, in ``documents.pdf``), which
  every issue pays once and which the ``render`` figure (one token, cached code) does not.
Prints one JSON line with the rates and the ratios to ``bare``. A temporary SQLite database and
key directory are used; nothing outside them is touched.

    .venv/bin/python bench/certificate_issue.py [--seconds 2.0] [--rounds 3]
"""

from __future__ import annotations

import argparse
import io
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
    os.environ["TONGBAN_LOG_LEVEL"] = "WARNING"
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("TONGBAN_SIGNING_KEYS", None)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    import structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(30))


def rate(function, seconds: float) -> float:
    count, started = 0, time.perf_counter()
    deadline = started + seconds
    while True:
        function()
        count += 1
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - started)


def bare_page() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from tongban.documents import pdf

    pdf.register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, initialFontName=pdf.FONT)
    canvas.setFont(pdf.FONT, 17)
    canvas.drawCentredString(A4[0] / 2, A4[1] - 60, "个人参保证明")
    for line in range(20):
        canvas.setFont(pdf.FONT, 9)
        canvas.drawString(
            60, A4[1] - 100 - line * 14, f"2026-{line % 12 + 1:02d} 江门市澳江跨境服务有限公司"
        )
        canvas.setFont(pdf.FONT, 9)
        canvas.drawString(330, A4[1] - 100 - line * 14, "6,600.00  1,463.88  673.20  Jiangmen")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="per measurement")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tongban-bench-") as var_dir:
        setup_django(var_dir)
        from django.core.management import call_command
        from django.utils import timezone

        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)

        from tongban.accounts import services as accounts
        from tongban.certificates import services
        from tongban.certificates.kinds import Channel, spec_for
        from tongban.certificates.rendering import render_pdf
        from tongban.records import services as records

        accounts.create_demo_people("bench-password-123")
        records.create_demo_records()
        subject = records.demo_subject()
        operator = services.Operator("bench")
        record = records.fetch_record("social_insurance", subject)
        token = services.issue_certificate(
            operator, "social_insurance", subject, None, Channel.COMMAND
        ).token

        def render():
            render_pdf(
                spec_for("social_insurance"),
                record,
                holder_masked=subject.masked,
                language2="en",
                number="SIC-2026-999999",
                code="7K2M9QXD4HTP",
                token=token,
                issued_at=timezone.now(),
                valid_until=timezone.now(),
            )

        def issue():
            services.issue_certificate(operator, "social_insurance", subject, "en", Channel.COMMAND)

        def issue_tax():
            services.issue_certificate(operator, "tax", subject, "en", Channel.COMMAND)

        from tongban.documents import pdf
        from tongban.documents.codes import verification_url

        qr_data = verification_url(token=token)
        counter = iter(range(10**9))

        def qr_encode():
            # What each new certificate pays in documents.pdf for its QR code (never cached:
            # every token differs); same length as a real one.
            pdf.make_qr(qr_data[:-6] + f"{next(counter):06d}")

        checks = {
            "bare": bare_page,
            "render": render,
            "issue": issue,
            "issue_tax": issue_tax,
            "qr_encode": qr_encode,
        }
        for check in checks.values():  # warm caches
            check()
        samples: dict[str, list[float]] = {name: [] for name in checks}
        for _round in range(options.rounds):
            for name, check in checks.items():
                samples[name].append(rate(check, options.seconds))
        medians = {name: statistics.median(values) for name, values in samples.items()}
        pages = len(__import__("pypdf").PdfReader(io.BytesIO(services.read_pdf(
            services.issue_certificate(operator, "social_insurance", subject, "en", Channel.COMMAND)
        ))).pages)  # fmt: skip
        print(
            json.dumps(
                {
                    "benchmark": "certificate_issue",
                    "bare_page_per_s": round(medians["bare"], 1),
                    "render_per_s": round(medians["render"], 1),
                    "issue_per_s": round(medians["issue"], 1),
                    "issue_tax_per_s": round(medians["issue_tax"], 1),
                    "issue_ratio_to_bare": round(medians["issue"] / medians["bare"], 3),
                    "issue_tax_ratio_to_bare": round(medians["issue_tax"] / medians["bare"], 3),
                    "render_ratio_to_bare": round(medians["render"] / medians["bare"], 3),
                    "qr_encode_per_s": round(medians["qr_encode"], 1),
                    "qr_version": pdf.make_qr(qr_data).version,
                    "social_insurance_pages": pages,
                    "targets": {"issue_per_s": 50, "issue_ratio_to_bare": 0.4},
                    "rounds": options.rounds,
                    "seconds_per_measurement": options.seconds,
                    "load_average": round(os.getloadavg()[0], 2),
                }
            )
        )


if __name__ == "__main__":
    main()
