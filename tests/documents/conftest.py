import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from tongban.documents import codes, keys, pdf, services

PUBLIC_URL = "https://tongban.test"
TEST_KIND = "test_voucher"
RECORD = {
    "holder_name": "陳大文",
    "service": "参保证明 / 參保證明",
    "rows": [["2026-01", "1,234.00"], ["2026-02", "1,234.00"]],
}


@pytest.fixture(autouse=True)
def documents_settings(settings, tmp_path):
    """Keys and files of each test in its own corner."""
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TONGBAN_SIGNING_KEYS = []
    settings.TONGBAN_SIGNING_RETIRED_PUBLIC_KEYS = []
    settings.TONGBAN_PUBLIC_URL = PUBLIC_URL
    settings.PRODUCTION = False
    keys.forget_keys()
    codes.register_kind(codes.DocumentKind(TEST_KIND, "Test voucher", "TSV"))
    yield settings
    codes.unregister_kind(TEST_KIND)
    keys.forget_keys()


@pytest.fixture
def empty_cache(db):
    cache.clear()
    yield
    cache.clear()


def render_sample(number: str, code: str, token: str, *, language: str = "zh-hans") -> bytes:
    """A two-language voucher laid out with the toolkit, as an app would."""
    frame = pdf.DocumentFrame(
        title="受理通知书",
        subtitle="Aviso de aceitação" if language == "pt" else "受理通知書",
        number=number,
        verification_code=code,
        token=token,
        issued_at=timezone.now(),
        valid_until=timezone.now() + dt.timedelta(days=90),
        languages=("zh-hans", language),
        issuer="江门市人力资源和社会保障局",
    )
    story = [
        pdf.paragraph("申请人：陳大文（香港居民）", language="zh-hans"),
        pdf.paragraph("參保證明：江門市社會保險基金管理局", language="zh-hant"),
        pdf.paragraph("Requerente: Chan Tai Man — certidão de inscrição", language="pt"),
        pdf.data_table(
            [["月份 Month", "缴费基数 Base", "备注 Notes"]]
            + [
                [f"2026-{m:02d}", "1,234.00", "单位及个人缴费正常，无欠费记录。" * 2]
                for m in range(1, 4)
            ],
            [30 * pdf.mm, 40 * pdf.mm, 100 * pdf.mm],
            align_right=[1],
        ),
    ]
    return pdf.build_pdf(frame, story)


@pytest.fixture
def issue(db):
    def issue_one(**overrides):
        arguments = {
            "payload": RECORD,
            "render": render_sample,
            "holder_hash": "f" * 64,
            "holder_masked": "A12****(3)",
            "valid_until": timezone.now() + dt.timedelta(days=90),
            "actor": "staff:7",
        }
        arguments.update(overrides)
        return services.issue_document(TEST_KIND, **arguments)

    return issue_one
