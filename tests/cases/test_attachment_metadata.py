"""Every metadata segment of every accepted image kind is gone from the stored bytes.

Each crafted file carries "HKID A123456(3), GPS 22.2,113.5" in one kind of segment; the stored
file must keep neither the text nor the segment that held it. Only PDF, JPEG and PNG are
accepted: other image kinds (WebP, TIFF, GIF) are refused before anything is stored.
"""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from tongban.cases import services
from tongban.cases.models import Attachment

from .conftest import draft_for, upload

SECRET = b"HKID A123456(3), GPS 22.2,113.5"
# Markers a bare re-encoded JPEG consists of: SOI, JFIF (APP0), tables, frame, scan, EOI.
JPEG_STRUCTURE = {0xD8, 0xE0, 0xDB, 0xC4, 0xC0, 0xC2, 0xDA, 0xDD, 0xD9}
PNG_STRUCTURE = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}


def plain(fmt: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (24, 16), (10, 120, 200)).save(out, format=fmt)
    return out.getvalue()


def jpeg_with_segment(marker: int, payload: bytes) -> bytes:
    data = plain("JPEG")
    segment = bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload
    return data[:2] + segment + data[2:]


def png_with_chunk(kind: bytes, payload: bytes, base: bytes | None = None) -> bytes:
    data = base or plain("PNG")
    chunk = struct.pack(">I", len(payload)) + kind + payload
    chunk += struct.pack(">I", zlib.crc32(kind + payload))
    end_of_header = 8 + 8 + 13 + 4  # signature, IHDR length+type, IHDR data, CRC
    return data[:end_of_header] + chunk + data[end_of_header:]


def exif_block() -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x010E] = SECRET.decode()  # ImageDescription
    exif[0x010F] = "SecretCam"
    return exif.tobytes()


def jpeg_markers(data: bytes) -> set[int]:
    markers, position = set(), 2
    markers.add(0xD8)
    while position < len(data):
        assert data[position] == 0xFF, "broken segment chain"
        marker = data[position + 1]
        markers.add(marker)
        if marker == 0xDA:  # the scan runs to EOI
            markers.add(0xD9)
            break
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        position += 2 + length
    return markers


def png_chunks(data: bytes) -> set[bytes]:
    kinds, position = set(), 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kinds.add(data[position + 4 : position + 8])
        position += 12 + length
    return kinds


JPEG_CASES = {
    "COM comment": jpeg_with_segment(0xFE, SECRET),
    "APP1 EXIF": jpeg_with_segment(0xE1, b"Exif\x00\x00" + exif_block()),
    "APP1 XMP": jpeg_with_segment(
        0xE1, b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>" + SECRET + b"</x:xmpmeta>"
    ),
    "APP2 ICC profile": jpeg_with_segment(0xE2, b"ICC_PROFILE\x00\x01\x01" + SECRET * 4),
    "APP13 IPTC": jpeg_with_segment(0xED, b"Photoshop 3.0\x00" + SECRET),
    "APP15 vendor block": jpeg_with_segment(0xEF, SECRET),
}
PNG_CASES = {
    "tEXt": png_with_chunk(b"tEXt", b"Comment\x00" + SECRET),
    "iTXt": png_with_chunk(b"iTXt", b"Description\x00\x00\x00en\x00\x00" + SECRET),
    "zTXt": png_with_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(SECRET)),
    "eXIf": png_with_chunk(b"eXIf", exif_block()),
    "iCCP": png_with_chunk(b"iCCP", b"profile\x00\x00" + zlib.compress(SECRET * 4)),
    "tIME and pHYs": png_with_chunk(
        b"tIME",
        b"\x07\xea\x01\x02\x03\x04\x05",
        base=png_with_chunk(b"pHYs", struct.pack(">IIB", 2835, 2835, 1)),
    ),
}


def stored_bytes(world, settings, name: str, content: bytes) -> bytes:
    case = draft_for(world)
    services.add_attachment(world.applicant, case.number, upload(name, content))
    [stored] = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    return stored.read_bytes()


@pytest.mark.parametrize("kind", sorted(JPEG_CASES))
def test_jpeg_metadata_segments_are_not_stored(world, settings, kind):
    crafted = JPEG_CASES[kind]
    stored = stored_bytes(world, settings, "photo.jpg", crafted)
    assert jpeg_markers(stored) <= JPEG_STRUCTURE, kind
    assert SECRET not in stored and b"A123456" not in stored and b"SecretCam" not in stored


@pytest.mark.parametrize("kind", sorted(PNG_CASES))
def test_png_metadata_chunks_are_not_stored(world, settings, kind):
    crafted = PNG_CASES[kind]
    assert png_chunks(crafted) - PNG_STRUCTURE, "the crafted file carries a metadata chunk"
    stored = stored_bytes(world, settings, "scan.png", crafted)
    assert png_chunks(stored) <= PNG_STRUCTURE, kind
    assert b"A123456" not in stored and b"SecretCam" not in stored


def test_png_transparency_survives_as_part_of_the_picture(world, settings):
    from PIL import Image

    out = io.BytesIO()
    Image.new("P", (8, 8), 0).save(out, format="PNG", transparency=0)
    crafted = png_with_chunk(b"tEXt", b"Comment\x00" + SECRET, base=out.getvalue())
    stored = stored_bytes(world, settings, "mark.png", crafted)
    assert SECRET not in stored
    assert Image.open(io.BytesIO(stored)).info.get("transparency") == 0


@pytest.mark.parametrize("fmt", ["WEBP", "TIFF", "GIF"])
def test_other_image_kinds_are_refused_before_storing(world, settings, fmt):
    from PIL import Image

    out = io.BytesIO()
    image = Image.new("RGB", (8, 8))
    if fmt == "GIF":
        image.save(out, format=fmt, comment=SECRET)
    else:
        image.save(out, format=fmt)
    case = draft_for(world)
    with pytest.raises(ValidationError) as caught:
        services.add_attachment(world.applicant, case.number, upload("x.png", out.getvalue()))
    assert caught.value.error_dict["file"][0].code == "unsupported_type"
    assert not Attachment.objects.exists()
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
