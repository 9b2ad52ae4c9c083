"""The PDF: readable CJK text, a QR code that decodes to a verifying token, and a seal that
fails on any changed, added or removed byte."""

import io
import json
import shutil
import subprocess
from urllib.parse import parse_qs, urlsplit

import pypdf
import pytest
from django.utils import timezone

from tongban.documents import keys, pdf, services
from tongban.documents.constants import Problem, VerificationStatus
from tongban.documents.pdf_seal import MARKER, seal, unseal

from .conftest import PUBLIC_URL

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(issue):
    return issue()


@pytest.fixture
def sealed(document):
    return services.read_pdf(document)


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def test_sealed_pdf_verifies_offline(sealed, document):
    result = services.verify_pdf(sealed)
    assert result.status == VerificationStatus.VALID
    assert (result.number, result.kind, result.holder_masked) == (
        document.number,
        document.kind,
        "A12****(3)",
    )
    assert result.issued_at == document.issued_at and result.valid_until == document.valid_until
    assert not result.registry_checked


def test_seal_signs_the_digest_of_everything_before_it(sealed, document):
    body, token = unseal(sealed)
    import hashlib

    assert hashlib.sha256(body).hexdigest() == document.pdf_sha256
    assert sealed == body + MARKER + token.encode() + b"\n"


def test_every_flipped_byte_is_caught(sealed):
    seal_start = sealed.rfind(MARKER)
    body_positions = range(0, seal_start, max(1, seal_start // 400))
    seal_positions = range(seal_start, len(sealed))  # every byte of the seal line
    reasons = {}
    for position in [*body_positions, *seal_positions]:
        changed = bytearray(sealed)
        changed[position] ^= 0x01
        result = services.verify_pdf(bytes(changed))
        assert result.status == VerificationStatus.INVALID, (
            f"byte {position} flipped went unnoticed"
        )
        reasons.setdefault(result.problem, position)
    assert reasons[Problem.PDF_MODIFIED] < seal_start  # a body byte: the digest differs
    assert {Problem.BAD_SIGNATURE, Problem.NO_TOKEN} <= set(reasons)


def test_body_change_is_reported_as_modified(sealed):
    changed = sealed.replace(b"/Author (Tongban)", b"/Author (Tongbam)", 1)
    assert changed != sealed
    result = services.verify_pdf(changed)
    assert result.problem == Problem.PDF_MODIFIED
    assert "changed" in result.message


@pytest.mark.parametrize("keep", [0.5, 0.99, -1, -2, -40, -200])
def test_truncated_pdf_fails_clearly(sealed, keep):
    length = int(len(sealed) * keep) if keep > 0 else len(sealed) + keep
    result = services.verify_pdf(sealed[:length])
    assert result.status == VerificationStatus.INVALID
    assert result.problem == Problem.NO_TOKEN
    assert "truncated" in result.message


def test_bytes_appended_after_the_seal_fail(sealed):
    for extra in (b"\n", b"%%EOF\n", b"x"):
        assert services.verify_pdf(sealed + extra).status == VerificationStatus.INVALID
    assert services.verify_pdf(sealed + b"more\n").problem == Problem.PDF_MODIFIED


def test_pdf_without_a_token_fails_with_no_token():
    plain = pdf.build_pdf(
        pdf.DocumentFrame(
            title="无签名",
            number="X-1",
            verification_code="0" * 12,
            token="a.b.c",
            issued_at=timezone.now(),
        ),
        [pdf.paragraph("没有签名的文件")],
    )
    result = services.verify_pdf(plain)
    assert result.problem == Problem.NO_TOKEN


@pytest.mark.parametrize("data", [b"", b"hello", b"\x89PNG\r\n\x1a\n" + b"0" * 100])
def test_non_pdf_fails_with_not_pdf(data):
    assert services.verify_pdf(data).problem == Problem.NOT_PDF


def test_seal_moved_onto_another_pdf_fails(sealed, issue):
    _body, token = unseal(sealed)
    other_body, _other_token = unseal(services.read_pdf(issue()))
    assert services.verify_pdf(seal(other_body, token)).problem == Problem.PDF_MODIFIED


def test_offline_verification_with_a_published_key_file(sealed, tmp_path, settings):
    key_file = tmp_path / "tongban-keys.json"
    key_file.write_text(json.dumps(services.published_keys()))
    trusted = keys.load_jwks_file(key_file)
    assert services.verify_pdf(sealed, trusted).is_valid
    # A verifier holding someone else's keys cannot be fooled into "valid".
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other = Ed25519PrivateKey.generate().public_key()
    result = services.verify_pdf(sealed, {keys.key_id_for(other): other})
    assert result.problem == Problem.UNKNOWN_KEY


def test_expired_pdf_is_expired_but_an_altered_expired_pdf_is_altered(
    sealed, document, monkeypatch
):
    later = document.valid_until.timestamp() + 60
    monkeypatch.setattr("tongban.documents.signing.time.time", lambda: later)
    result = services.verify_pdf(sealed)
    assert result.status == VerificationStatus.EXPIRED and result.number == document.number
    changed = bytearray(sealed)
    changed[200] ^= 0x01
    assert services.verify_pdf(bytes(changed)).problem == Problem.PDF_MODIFIED


# --- What the PDF says --------------------------------------------------------------------------


def test_sealed_pdf_opens_in_pypdf_and_its_text_is_extractable(sealed, document):
    text = "\n".join(page_texts(sealed))
    assert "受理通知书" in text  # simplified, STSong-Light
    assert "參保證明：江門市社會保險基金管理局" in text  # traditional, MSung-Light
    assert "certidão de inscrição" in text  # Portuguese, Helvetica
    assert "单位及个人缴费正常" in text  # wrapped CJK in a table cell
    assert document.number in text
    assert document.display_code in text
    assert f"{PUBLIC_URL}/verify" in text
    assert "不是政府印章" in text  # the issuer line, in the document's first language
    assert "■" not in text  # no character drawn by a font without it


def test_user_text_is_escaped_not_interpreted_as_markup():
    frame = pdf.DocumentFrame(
        title="<b>标题</b> & co",
        number="X-1",
        verification_code="0" * 12,
        token="a.b.c",
        issued_at=timezone.now(),
    )
    data = pdf.build_pdf(frame, [pdf.paragraph('<font name="x">陳</font> & <br/>')])
    text = page_texts(data)[0]
    assert "<b>标题</b> & co" in text
    assert '<font name="x">陳</font> & <br/>' in text


def test_long_documents_repeat_the_frame_on_every_page():
    rows = [["月份", "金额"]] + [[f"第{i}行", str(i)] for i in range(200)]
    frame = pdf.DocumentFrame(
        title="长文件",
        number="X-2026-000009",
        verification_code="ABCDEFGHJKMN",
        token="a.b.c",
        issued_at=timezone.now(),
    )
    texts = page_texts(pdf.build_pdf(frame, [pdf.data_table(rows)]))
    assert len(texts) > 2
    for text in texts:
        assert "X-2026-000009" in text and "ABCD-EFGH-JKMN" in text and "月份" in text


def test_qr_refuses_data_too_dense_to_scan():
    with pytest.raises(ValueError, match="too dense"):
        pdf.make_qr("x" * 2000)


def test_document_token_fits_a_scannable_qr(document):
    qr = pdf.make_qr(services.verification_url(token=document.token))
    assert qr.version <= 20


needs_qr_tools = pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
    reason="QR decoding needs poppler-utils (pdftoppm) and zbar-tools (zbarimg): "
    "apt-get install poppler-utils zbar-tools",
)


@needs_qr_tools
def test_qr_code_on_the_page_decodes_to_a_verifying_token(sealed, document, tmp_path):
    pdf_path = tmp_path / "document.pdf"
    pdf_path.write_bytes(sealed)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "150",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            str(pdf_path),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    (image,) = tmp_path.glob("page*.png")
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    url = urlsplit(decoded)
    assert f"{url.scheme}://{url.netloc}" == PUBLIC_URL and url.path == "/verify"
    (token,) = parse_qs(url.query)["t"]
    assert token == document.token
    assert services.verify_token(token).status == VerificationStatus.VALID


@needs_qr_tools
@pytest.mark.parametrize("sample", range(4))
def test_qr_codes_of_varied_tokens_decode(sample, tmp_path):
    """The QR mask is fixed for speed; codes for varied tokens must still decode."""
    import secrets

    token = ".".join(secrets.token_urlsafe(size) for size in (40, 260 + 10 * sample, 64))
    frame = pdf.DocumentFrame(
        title="二维码",
        number="X-1",
        verification_code="0" * 12,
        token=token,
        issued_at=timezone.now(),
    )
    path = tmp_path / "qr.pdf"
    path.write_bytes(pdf.build_pdf(frame, [pdf.paragraph("二维码测试")]))
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(path), str(tmp_path / "p")], check=True)
    (image,) = tmp_path.glob("p*.png")
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert parse_qs(urlsplit(decoded).query)["t"] == [token]
