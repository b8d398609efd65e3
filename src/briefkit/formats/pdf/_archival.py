"""What makes a written file PDF/A-3b (ISO 19005-3, level B): its metadata twice, as the
document information dictionary and as an XMP packet that says which part and level the file
conforms to; an sRGB output intent, so the device colours the pages use have a meaning; every
stream's data followed by an end-of-line marker (CR LF) before ``endstream``; each embedded file an
associated file of the document (see :func:`._container.file_relationship`).

The XMP packet holds the same title, author, subject, creator, producer and dates as the
information dictionary (:class:`Info`), both from one :class:`Metadata`. Text that XML 1.0
cannot hold (a control character, a noncharacter) is written as what the pages show for it:
a control character as its picture (``␜`` for U+001C), anything else XML refuses as U+FFFD.

The output intent's profile is LittleCMS's built-in sRGB profile (ICC version 4.4, 588
bytes, "No copyright, use freely"), as Pillow's ``ImageCms.createProfile("sRGB")`` writes it,
with its creation date set to 2026-01-01 00:00:00 so that the bytes never change; it is kept
here, so a file's bytes do not depend on the installed LittleCMS.
"""

from __future__ import annotations

import base64
import datetime as _dt
import re
from typing import Any
from xml.sax.saxutils import escape

import attrs
from reportlab.pdfbase import pdfdoc

from briefkit._text import shown

__all__ = [
    "OUTPUT_CONDITION",
    "PDFA_CONFORMANCE",
    "PDFA_PART",
    "SRGB_PROFILE",
    "Info",
    "Metadata",
    "make_archival",
    "xmp_date",
]

#: the PDF/A part and conformance level the file claims in its XMP metadata
PDFA_PART, PDFA_CONFORMANCE = 3, "B"

#: the output condition of the output intent: the registered name of sRGB
OUTPUT_CONDITION = "sRGB IEC61966-2.1"

SRGB_PROFILE = base64.b64decode(
    "AAACTGxjbXMEQAAAbW50clJHQiBYWVogB+oAAQABAAAAAAAAYWNzcEFQUEwAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    "AAAAAPbWAAEAAAAA0y1sY21zAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAL"
    "ZGVzYwAAAQgAAAA2Y3BydAAAAUAAAABMd3RwdAAAAYwAAAAUY2hhZAAAAaAAAAAsclhZWgAAAcwAAAAUYlhZWgAA"
    "AeAAAAAUZ1hZWgAAAfQAAAAUclRSQwAAAggAAAAgZ1RSQwAAAggAAAAgYlRSQwAAAggAAAAgY2hybQAAAigAAAAk"
    "bWx1YwAAAAAAAAABAAAADGVuVVMAAAAaAAAAHABzAFIARwBCACAAYgB1AGkAbAB0AC0AaQBuAABtbHVjAAAAAAAA"
    "AAEAAAAMZW5VUwAAADAAAAAcAE4AbwAgAGMAbwBwAHkAcgBpAGcAaAB0ACwAIAB1AHMAZQAgAGYAcgBlAGUAbAB5"
    "WFlaIAAAAAAAAPbWAAEAAAAA0y1zZjMyAAAAAAABDEIAAAXe///zJQAAB5MAAP2Q///7of///aIAAAPcAADAblhZ"
    "WiAAAAAAAABvoAAAOPUAAAOQWFlaIAAAAAAAACSfAAAPhAAAtsNYWVogAAAAAAAAYpcAALeHAAAY2XBhcmEAAAAA"
    "AAMAAAACZmYAAPKnAAANWQAAE9AAAApbY2hybQAAAAAAAwAAAACj1wAAVHsAAEzNAACZmgAAJmYAAA9c"
)
"""The output intent's ICC profile (sRGB, a monitor profile of three components)."""


@attrs.frozen
class Metadata:
    """The document's metadata: ``author`` and ``subject`` are ``None`` when the brief has
    none (then neither the information dictionary nor the XMP packet has them)."""

    title: str
    author: str | None
    subject: str | None
    creator: str
    producer: str
    when: _dt.datetime
    #: whether the file claims PDF/UA-1 too (``pdfuaid:part``, with the extension schema
    #: that declares it, as PDF/A asks of a schema it does not predefine)
    accessible: bool = False

    def xmp(self) -> bytes:
        """The XMP packet (UTF-8, without the ``bytes`` and ``encoding`` attributes PDF/A
        forbids): ``pdfaid:part``/``pdfaid:conformance``, ``dc:format``, ``dc:title``,
        ``dc:creator`` and ``dc:description`` (when there is an author, a subject),
        ``xmp:CreateDate``, ``xmp:ModifyDate``, ``xmp:MetadataDate`` (all the export time),
        ``xmp:CreatorTool`` and ``pdf:Producer``; when :attr:`accessible`, ``pdfuaid:part``
        and the PDF/A extension schema that declares it."""
        date = xmp_date(self.when)
        dc = [
            "<dc:format>application/pdf</dc:format>",
            f"<dc:title><rdf:Alt>{_alt(self.title)}</rdf:Alt></dc:title>",
        ]
        if self.author is not None:
            dc.append(
                f"<dc:creator><rdf:Seq><rdf:li>{_xml(self.author)}</rdf:li></rdf:Seq></dc:creator>"
            )
        if self.subject is not None:
            dc.append(f"<dc:description><rdf:Alt>{_alt(self.subject)}</rdf:Alt></dc:description>")
        parts = [
            ("pdfaid", "http://www.aiim.org/pdfa/ns/id/", [
                f"<pdfaid:part>{PDFA_PART}</pdfaid:part>",
                f"<pdfaid:conformance>{PDFA_CONFORMANCE}</pdfaid:conformance>",
            ]),
            ("dc", "http://purl.org/dc/elements/1.1/", dc),
            ("xmp", "http://ns.adobe.com/xap/1.0/", [
                f"<xmp:CreateDate>{date}</xmp:CreateDate>",
                f"<xmp:ModifyDate>{date}</xmp:ModifyDate>",
                f"<xmp:MetadataDate>{date}</xmp:MetadataDate>",
                f"<xmp:CreatorTool>{_xml(self.creator)}</xmp:CreatorTool>",
            ]),
            ("pdf", "http://ns.adobe.com/pdf/1.3/", [
                f"<pdf:Producer>{_xml(self.producer)}</pdf:Producer>",
            ]),
        ]  # fmt: skip
        lines = [
            '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
            '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
        ]
        for prefix, uri, props in parts:
            lines.append(f'<rdf:Description rdf:about="" xmlns:{prefix}="{uri}">')
            lines.extend(props)
            lines.append("</rdf:Description>")
        if self.accessible:
            lines += _PDFUA_SCHEMA
        lines += ["</rdf:RDF>", "</x:xmpmeta>", '<?xpacket end="w"?>']
        return "\n".join(lines).encode("utf-8") + b"\n"


class Info(pdfdoc.PDFInfo):
    """The document information dictionary of :class:`Metadata`: ``/Title``, ``/Author``
    and ``/Subject`` (each only when known), ``/Creator``, ``/Producer``, ``/CreationDate``
    and ``/ModDate`` (the same moment) — no placeholder for what the brief does not say."""

    def __init__(self, meta: Metadata, date: str) -> None:
        super().__init__()
        self.meta = meta
        self.date = date

    def digest(self, md5object: Any) -> None:
        for value in (self.meta.title, self.meta.author or "", self.meta.subject or ""):
            md5object.update(value.encode("utf-8"))

    def format(self, document: Any) -> bytes:
        meta = self.meta
        entries: dict[str, Any] = {"Title": pdfdoc.PDFString(meta.title)}
        if meta.author is not None:
            entries["Author"] = pdfdoc.PDFString(meta.author)
        if meta.subject is not None:
            entries["Subject"] = pdfdoc.PDFString(meta.subject)
        entries["Creator"] = pdfdoc.PDFString(meta.creator)
        entries["Producer"] = pdfdoc.PDFString(meta.producer)
        entries["CreationDate"] = entries["ModDate"] = pdfdoc.PDFString(self.date)
        result: bytes = pdfdoc.PDFDictionary(entries).format(document)
        return result


#: the PDF/UA identification (part 1) and the PDF/A extension schema that declares it
_PDFUA_SCHEMA = [
    '<rdf:Description rdf:about="" '
    'xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" '
    'xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" '
    'xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">',
    '<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">',
    "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>",
    "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>",
    "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>",
    '<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">',
    "<pdfaProperty:name>part</pdfaProperty:name>",
    "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>",
    "<pdfaProperty:category>internal</pdfaProperty:category>",
    "<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed"
    "</pdfaProperty:description>",
    "</rdf:li></rdf:Seq></pdfaSchema:property>",
    "</rdf:li></rdf:Bag></pdfaExtension:schemas>",
    "</rdf:Description>",
    '<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">',
    "<pdfuaid:part>1</pdfuaid:part>",
    "</rdf:Description>",
]


def xmp_date(when: _dt.datetime) -> str:
    """``when`` (UTC) as an XMP date: ``2026-11-21T00:00:00+00:00``."""
    return f"{when.year:04d}-" + when.strftime("%m-%dT%H:%M:%S+00:00")


#: what XML 1.0 cannot hold, once control characters are shown as their pictures
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    """``text`` as XML character data: control characters as the pictures the pages show,
    anything else XML 1.0 cannot hold as U+FFFD, a carriage return as a reference."""
    text = _NOT_XML.sub("\ufffd", shown(text))
    return escape(text).replace("\r", "&#13;")


def _alt(text: str) -> str:
    return f'<rdf:li xml:lang="x-default">{_xml(text)}</rdf:li>'


def _with_eol(data: bytes) -> bytes:
    """A formatted stream object with an end-of-line marker between its data and
    ``endstream`` (its ``/Length`` counts the data only, as it did): CR LF, so that data
    ending with a CR (compressed data may) keeps it — a reader takes the last CR LF, not the
    CR of the data, as the marker."""
    tail = b"endstream\n"
    if not data.endswith(tail):  # pragma: no cover - reportlab always ends a stream so
        raise ValueError("a stream object that does not end with endstream")
    return data[: -len(tail)] + b"\r\n" + tail


class _EolStream(pdfdoc.PDFStream):
    def format(self, document: Any) -> bytes:
        return _with_eol(super().format(document))


class _EolImage(pdfdoc.PDFImageXObject):
    def format(self, document: Any) -> bytes:
        return _with_eol(super().format(document))


_EOL = {pdfdoc.PDFStream: _EolStream, pdfdoc.PDFImageXObject: _EolImage}


#: the entry of a ToUnicode CMap for a code of a font subset that no character uses
_UNUSED_CODE = re.compile(r"^<[0-9A-F]{2}> <0000>\n", re.MULTILINE)


def _without_unused_codes(cmap: str) -> str:
    """A ToUnicode CMap of a font subset without the entries reportlab writes for the codes
    no character uses (mapped to U+0000, which PDF/UA forbids), its count made right."""
    kept, dropped = _UNUSED_CODE.subn("", cmap)
    if not dropped:
        return cmap
    head, sep, rest = kept.partition(" beginbfchar\n")
    lines = head.split("\n")
    count = int(lines[-1]) - dropped
    return "\n".join([*lines[:-1], str(count)]) + sep + rest


class _Document(pdfdoc.PDFDocument):
    """reportlab's document whose streams end their data with an end-of-line marker: each
    stream object it registers (a page's content, a font, an image, an embedded file) is
    made one that does; and whose fonts' ToUnicode CMaps map only the codes in use."""

    def Reference(self, obj: Any, name: str | None = None) -> Any:
        eol = _EOL.get(type(obj))
        if eol is not None:
            obj.__class__ = eol
            if isinstance(name, str) and name.startswith("toUnicodeCMap:"):
                obj.content = _without_unused_codes(obj.content)
        return super().Reference(obj, name)  # type: ignore[no-untyped-call]


def make_archival(doc: Any, meta: Metadata, date: str) -> None:
    """Make reportlab's ``doc`` write a PDF/A-3b file: its streams end their data with an
    end-of-line marker, its information dictionary is :class:`Info`, its catalog has the
    XMP ``/Metadata`` (not compressed, as PDF/A asks) and an sRGB ``/OutputIntents``."""
    doc.__class__ = _Document
    doc.info = Info(meta, date)
    catalog = doc.Catalog
    catalog.Metadata = pdfdoc.PDFStream(
        dictionary=pdfdoc.PDFDictionary(
            {"Type": pdfdoc.PDFName("Metadata"), "Subtype": pdfdoc.PDFName("XML")}
        ),
        content=meta.xmp(),
        filters=None,  # none: reportlab's documents have no default filters
    )
    profile = pdfdoc.PDFStream(
        dictionary=pdfdoc.PDFDictionary({"N": 3}),
        content=SRGB_PROFILE,
        filters=[pdfdoc.PDFStreamFilterZCompress()],
    )
    intent = pdfdoc.PDFDictionary(
        {
            "Type": pdfdoc.PDFName("OutputIntent"),
            "S": pdfdoc.PDFName("GTS_PDFA1"),
            "OutputConditionIdentifier": pdfdoc.PDFString(OUTPUT_CONDITION),
            "Info": pdfdoc.PDFString(OUTPUT_CONDITION),
            "DestOutputProfile": doc.Reference(profile),
        }
    )
    extra = [k for k in ("OutputIntents", "AF") if k not in catalog.__NoDefault__]
    catalog.__NoDefault__ = [*catalog.__NoDefault__, *extra]
    catalog.OutputIntents = pdfdoc.PDFArray([intent])
