"""Every PDF the platform makes embeds its fonts and carries the PDF/A-2b output intent and
metadata: checked with poppler's pdffonts and pdftotext, qpdf and pypdf (veraPDF, the full
PDF/A validator, is not installable here)."""

import re
import shutil
import subprocess

import pypdf
import pytest
from django.utils import timezone

from tongban.documents import pdf, services
from tongban.documents.pdf_archive import OUTPUT_CONDITION
from tongban.documents.pdf_fonts import FONT_FILE, wrap
from tongban.documents.pdf_seal import unseal
from tongban.documents.pdf_sheet import Sheet

pytestmark = pytest.mark.django_db


def tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        pytest.skip(f"{name} is not installed (apt-get install poppler-utils qpdf)")
    return path


def fonts_of(path) -> list[list[str]]:
    listing = subprocess.run(
        [tool("pdffonts"), str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    return [line.split() for line in listing]


def frame(**fields):
    values = dict(
        title="受理通知书",
        number="JMV-2026-000001",
        verification_code="ABCDEFGHJKMN",
        token="a.b.c",
        issued_at=timezone.now(),
        languages=("zh-hans", "pt"),
    )
    return pdf.DocumentFrame(**{**values, **fields})


def flowing_pdf() -> bytes:
    """A letter or voucher: platypus paragraphs and tables in the frame."""
    return pdf.build_pdf(
        frame(),
        [
            pdf.paragraph("申请人：陳大文（香港居民）"),
            pdf.paragraph("Requerente: João Conceição — certidão de inscrição"),
            pdf.data_table([["月份", "金额"], ["2026-01", "1,463.88"]]),
        ],
    )


def sheet_pdf() -> bytes:
    """A fixed layout (the certificates): drawn straight on the canvas."""
    sheet = Sheet(frame(title="个人参保证明"), title="个人参保证明 SIC-1", subject="SIC-1")
    sheet.heading("缴费明细 Contribuições mensais")
    sheet.table([["姓名", "证件号码"], ["李美玲", "M1*****78"]], [60, 120])
    sheet.text("Gerada a partir dos registos; não é um selo oficial.")
    return sheet.finish()


@pytest.fixture(params=["flowing", "sheet", "issued"])
def made(request, issue, tmp_path):
    if request.param == "issued":
        data, _token = unseal(services.read_pdf(issue()))  # the PDF before its seal line
    else:
        data = flowing_pdf() if request.param == "flowing" else sheet_pdf()
    path = tmp_path / f"{request.param}.pdf"
    path.write_bytes(data)
    return path


def test_every_font_is_embedded_and_subset(made):
    fonts = fonts_of(made)
    assert fonts, "no font listed"
    for row in fonts:
        name, emb, sub, uni = row[0], row[-5], row[-4], row[-3]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row
        assert re.fullmatch(r"[A-Z]{6}\+WenQuanYiMicroHei-0", name), row
    assert not any("Helvetica" in " ".join(row) or "STSong" in " ".join(row) for row in fonts)


def test_qpdf_finds_no_structural_error(made):
    checked = subprocess.run([tool("qpdf"), "--check", str(made)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "No syntax or stream encoding errors found" in checked.stdout


def test_pdfa_output_intent_and_metadata(made):
    reader = pypdf.PdfReader(made)
    catalog = reader.trailer["/Root"]
    (intent,) = catalog["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFA1" and intent["/OutputConditionIdentifier"] == OUTPUT_CONDITION
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3 and profile.get_data()[36:40] == b"acsp"  # an ICC profile
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert (
        "<pdfaid:part>2</pdfaid:part>" in xmp
        and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    )
    info = reader.metadata
    assert f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{info.title}</rdf:li>' in xmp
    created = info["/CreationDate"]  # D:YYYYMMDDhhmmss+hh'mm'
    stamp = f"{created[2:6]}-{created[6:8]}-{created[8:10]}T{created[10:12]}:{created[12:14]}"
    assert f"<xmp:CreateDate>{stamp}" in xmp
    assert reader.trailer.get("/ID") is not None


def test_portuguese_and_chinese_text_extract_with_poppler(tmp_path):
    path = tmp_path / "letter.pdf"
    path.write_bytes(flowing_pdf())
    text = subprocess.run(
        [tool("pdftotext"), "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "João Conceição — certidão de inscrição" in text
    assert "陳大文" in text and "受理通知书" in text


def test_the_font_ships_inside_the_project_with_its_licence():
    assert FONT_FILE.is_file() and FONT_FILE.stat().st_size > 1_000_000
    assert (FONT_FILE.parent / "LICENSE-Apache-2.0.txt").is_file()


def test_wrap_breaks_between_words_and_between_ideographs():
    assert wrap("Contribuição da entidade empregadora", 8.5, 60) == (
        "Contribuição",
        "da entidade",
        "empregadora",
    )
    lines = wrap("江门市大广海湾数字科技有限公司", 8.5, 50)
    assert "".join(lines) == "江门市大广海湾数字科技有限公司" and len(lines) > 1
    assert wrap("M1*****78", 8.5, 200) == ("M1*****78",)
