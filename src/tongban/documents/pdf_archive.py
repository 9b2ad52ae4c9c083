"""PDF/A-2b ingredients every Tongban PDF carries: an sRGB output intent (the ICC profile the
colours mean), XMP metadata declaring ``pdfaid:part=2, conformance=B`` that repeats the
document information, and embedded fonts (``pdf_fonts``). No transparency is ever drawn.

``ArchiveCanvas`` is a reportlab canvas that adds them when it saves. What cannot be checked
here: a full PDF/A validator (veraPDF is not installable); ``tests/documents`` checks the
structure with qpdf and pypdf, and ``pdffonts`` for the fonts. One known deviation: the seal
line the documents app appends after ``%%EOF`` (``pdf_seal``) is data after the end-of-file
marker, which strict PDF/A readers flag; the file before the seal is what this module makes.
"""

from __future__ import annotations

import functools
from xml.sax.saxutils import escape

from PIL import ImageCms
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFCatalog,
    PDFDictionary,
    PDFName,
    PDFStream,
    PDFString,
)
from reportlab.pdfgen.canvas import Canvas

from .pdf_fonts import CACHED_FLATE, FONT, register_fonts

OUTPUT_CONDITION = "sRGB IEC61966-2.1"
_CATALOG_ENTRIES = [*PDFCatalog.__NoDefault__, "OutputIntents"]


@functools.cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile, built by LittleCMS through Pillow once per process."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


class ArchiveCanvas(Canvas):
    """A canvas whose PDF carries the output intent and XMP metadata of PDF/A-2b."""

    def __init__(self, *args, **kwargs):
        register_fonts()
        kwargs.setdefault("pdfVersion", (1, 7))
        # reportlab's default first font is Helvetica, which it never embeds.
        kwargs["initialFontName"] = FONT
        super().__init__(*args, **kwargs)

    def save(self):
        _add_output_intent(self._doc)
        _add_metadata(self._doc)
        super().save()


def _add_output_intent(doc) -> None:
    profile = PDFStream(PDFDictionary({"N": 3}), srgb_profile(), filters=[CACHED_FLATE])
    intent = PDFDictionary(
        {
            "Type": PDFName("OutputIntent"),
            "S": PDFName("GTS_PDFA1"),
            "OutputConditionIdentifier": PDFString(OUTPUT_CONDITION),
            "Info": PDFString(OUTPUT_CONDITION),
            "DestOutputProfile": doc.Reference(profile),
        }
    )
    catalog = doc.Catalog
    catalog.__NoDefault__ = _CATALOG_ENTRIES  # reportlab's catalog lists the keys it writes
    catalog.OutputIntents = PDFArray([intent])


def _xmp_date(doc) -> str:
    # The same instant, in the same offset, as the Info dictionary's CreationDate.
    stamp = doc._timeStamp
    year, month, day, hour, minute, second = stamp.YMDhms
    sign = "-" if stamp.dhh < 0 or (stamp.dhh == 0 and stamp.dmm < 0) else "+"
    return (
        f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}"
        f"{sign}{abs(stamp.dhh):02d}:{abs(stamp.dmm):02d}"
    )


def _add_metadata(doc) -> None:
    info = doc.info
    date = _xmp_date(doc)
    text = lambda value: escape(str(value or ""))  # noqa: E731
    xmp = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<pdfaid:part>2</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{text(info.title)}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{text(info.author)}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{text(info.subject)}</rdf:li></rdf:Alt></dc:description>
<xmp:CreatorTool>{text(info.creator)}</xmp:CreatorTool>
<xmp:CreateDate>{date}</xmp:CreateDate>
<xmp:ModifyDate>{date}</xmp:ModifyDate>
<pdf:Producer>{text(info.producer)}</pdf:Producer>
<pdf:Keywords>{text(info.keywords)}</pdf:Keywords>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    metadata = PDFStream(
        PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
        xmp.encode("utf-8"),
        filters=[],  # unfiltered, so archive tools read it without decoding
    )
    doc.Catalog.Metadata = doc.Reference(metadata)
