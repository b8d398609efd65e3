"""The package parts around the document body: content types, relationships, settings,
footnotes (with their citation bookmarks), core, app and custom properties (each citation's
record), and the custom XML part that carries the manifest."""

from __future__ import annotations

import datetime as _dt
import hashlib
import uuid
from collections.abc import Sequence

from briefkit._version import __version__
from briefkit.formats.docx._container import MANIFEST_NS, cite_bookmark, property_chunks
from briefkit.formats.docx._xml import attr, bookmark_end, bookmark_start, esc, text_runs

__all__ = [
    "FOOTER_TYPE",
    "HEADER_TYPE",
    "MANIFEST_NS",
    "app_xml",
    "content_types",
    "core_xml",
    "custom_xml",
    "document_rels",
    "footer_xml",
    "footnotes_xml",
    "manifest_item",
    "manifest_item_props",
    "manifest_item_rels",
    "package_rels",
    "rels",
    "settings_xml",
]

#: Namespace of the custom XML part holding the provenance manifest.

_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_R = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def content_types(extra: Sequence[tuple[str, str]] = ()) -> bytes:
    """The content types part; ``extra`` are ``(part name, content type)`` of further parts
    (headers, footers, pictures)."""
    overrides = {
        "/word/document.xml": f"{_CT}.wordprocessingml.document.main+xml",
        "/word/styles.xml": f"{_CT}.wordprocessingml.styles+xml",
        "/word/numbering.xml": f"{_CT}.wordprocessingml.numbering+xml",
        "/word/settings.xml": f"{_CT}.wordprocessingml.settings+xml",
        "/word/footnotes.xml": f"{_CT}.wordprocessingml.footnotes+xml",
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "/docProps/app.xml": f"{_CT}.extended-properties+xml",
        "/customXml/itemProps1.xml": f"{_CT}.customXmlProperties+xml",
        "/docProps/custom.xml": f"{_CT}.custom-properties+xml",
    }
    for name, ctype in extra:
        overrides.setdefault("/" + name, ctype)
    body = "".join(
        f'<Override PartName="{attr(name)}" ContentType="{attr(ct)}"/>'
        for name, ct in overrides.items()
    )
    return (
        _DECL
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        + '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        + '<Default Extension="xml" ContentType="application/xml"/>'
        + body
        + "</Types>"
    ).encode()


def rels(rows: Sequence[tuple[str, str, str, bool]]) -> bytes:
    """A relationships part: ``(id, type, target, external)`` each."""
    return _rels(rows)


def _rels(rows: Sequence[tuple[str, str, str, bool]]) -> bytes:
    items = "".join(
        f'<Relationship Id="{attr(rid)}" Type="{attr(rtype)}" Target="{attr(target)}"'
        + (' TargetMode="External"' if external else "")
        + "/>"
        for rid, rtype, target, external in rows
    )
    return (_DECL + f'<Relationships xmlns="{_PKG_R}">{items}</Relationships>').encode()


def package_rels() -> bytes:
    return _rels(
        [
            ("rId1", f"{_REL}/officeDocument", "word/document.xml", False),
            (
                "rId2",
                "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                "docProps/core.xml",
                False,
            ),
            ("rId3", f"{_REL}/extended-properties", "docProps/app.xml", False),
            ("rId4", f"{_REL}/custom-properties", "docProps/custom.xml", False),
        ]
    )


def document_rels(
    links: Sequence[tuple[str, str]],
    furniture: Sequence[tuple[str, str, str]] = (),
    images: Sequence[tuple[str, str]] = (),
) -> bytes:
    """Relationships of the main document; ``links`` are (rId, URL) of external hyperlinks,
    ``furniture`` (rId, ``header`` or ``footer``, target) the headers and footers, ``images``
    (rId, target) the image parts of the body's pictures."""
    rows = [
        ("rId1", f"{_REL}/styles", "styles.xml", False),
        ("rId2", f"{_REL}/numbering", "numbering.xml", False),
        ("rId3", f"{_REL}/settings", "settings.xml", False),
        ("rId4", f"{_REL}/footnotes", "footnotes.xml", False),
        ("rId5", f"{_REL}/customXml", "../customXml/item1.xml", False),
    ]
    rows += [(rid, f"{_REL}/{kind}", target, False) for rid, kind, target in furniture]
    rows += [(rid, f"{_REL}/image", target, False) for rid, target in images]
    rows += [(rid, f"{_REL}/hyperlink", url, True) for rid, url in links]
    return _rels(rows)


#: the content types of a header and a footer part
HEADER_TYPE = f"{_CT}.wordprocessingml.header+xml"
FOOTER_TYPE = f"{_CT}.wordprocessingml.footer+xml"


def footer_xml() -> bytes:
    """Briefkit's own footer: the page number, centred, as one ``PAGE`` field (its result
    written as 1; Word and LibreOffice write the page's number on every page)."""
    field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        "<w:r><w:t>1</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    return (
        _DECL + f'<w:ftr xmlns:w="{_W}" xmlns:r="{_R}"><w:p><w:pPr><w:pStyle w:val="Footer"/>'
        f'<w:jc w:val="center"/></w:pPr>{field}</w:p></w:ftr>'
    ).encode()


def settings_xml(*, update_fields: bool = False) -> bytes:
    """The document settings; ``update_fields`` asks Word to update the document's fields on
    opening (``w:updateFields``: it offers to, which writes a table of contents' page numbers
    and the pages of page references)."""
    return (
        _DECL + f'<w:settings xmlns:w="{_W}">'
        '<w:defaultTabStop w:val="720"/>'
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        + ('<w:updateFields w:val="true"/>' if update_fields else "")
        + '<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        "</w:settings>"
    ).encode()


def footnotes_xml(
    notes: Sequence[tuple[int, str]],
    cites: Sequence[int] = (),
    *,
    first_bookmark: int = 1,
) -> bytes:
    """The footnotes part: separator (-1), continuation separator (0), then one note each.

    ``cites`` gives each note's number of citations (in the order of ``notes``); the note's
    text then stands inside one hidden bookmark per citation (:func:`cite_bookmark`), with the
    ids ``first_bookmark`` on (bookmark ids are unique in the whole document)."""
    sep = '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    out = [
        _DECL,
        f'<w:footnotes xmlns:w="{_W}" xmlns:r="{_R}">',
        f'<w:footnote w:type="separator" w:id="-1"><w:p>{sep}'
        "<w:r><w:separator/></w:r></w:p></w:footnote>",
        f'<w:footnote w:type="continuationSeparator" w:id="0"><w:p>{sep}<w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>",
    ]
    bid = first_bookmark
    for k, (number, text) in enumerate(notes):
        count = cites[k] if k < len(cites) else 0
        ids = range(bid, bid + count)
        bid += count
        starts = "".join(bookmark_start(i, cite_bookmark(number, c)) for c, i in enumerate(ids, 1))
        ends = "".join(bookmark_end(i) for i in reversed(ids))
        out.append(
            f'<w:footnote w:id="{number}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
            '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
            '<w:r><w:t xml:space="preserve"> </w:t></w:r>'
            f"{starts}{text_runs(text)}{ends}</w:p></w:footnote>"
        )
    out.append("</w:footnotes>")
    return "".join(out).encode()


def core_xml(
    *,
    title: str,
    author: str | None,
    subject: str | None,
    when: _dt.datetime | None,
    language: str | None = None,
) -> bytes:
    stamp = f"{when.year:04d}" + when.strftime("-%m-%dT%H:%M:%SZ") if when else None
    fields = [f"<dc:title>{attr(title)}</dc:title>"]
    if subject:
        fields.append(f"<dc:subject>{attr(subject)}</dc:subject>")
    if language:
        fields.append(f"<dc:language>{attr(language)}</dc:language>")
    if author:
        fields.append(f"<dc:creator>{attr(author)}</dc:creator>")
        fields.append(f"<cp:lastModifiedBy>{attr(author)}</cp:lastModifiedBy>")
    if stamp:
        fields.append(f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>')
        fields.append(f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>')
    return (
        _DECL + "<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        + "".join(fields)
        + "</cp:coreProperties>"
    ).encode()


def app_xml() -> bytes:
    return (
        _DECL
        + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Application>briefkit {esc(__version__)}</Application></Properties>"
    ).encode()


_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
#: the format id every user-defined custom property carries
_USER_DEFINED = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def custom_xml(records: Sequence[tuple[str, str]]) -> bytes:
    """The custom properties part: one text property per ``(name, value)`` (a long value
    goes on in continuation properties, see :func:`property_chunks`)."""
    rows = [chunk for name, value in records for chunk in property_chunks(name, value)]
    props = "".join(
        f'<property fmtid="{_USER_DEFINED}" pid="{pid}" name="{attr(name)}">'
        f"<vt:lpwstr>{esc(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(rows, 2)
    )
    return (_DECL + f'<Properties xmlns="{_CUSTOM}" xmlns:vt="{_VT}">{props}</Properties>').encode()


def manifest_item(manifest_json: str) -> bytes:
    """The custom XML item: the manifest as ASCII JSON (always XML-safe) in one element."""
    return (
        _DECL + f'<provenance xmlns="{MANIFEST_NS}" version="1">{esc(manifest_json)}</provenance>'
    ).encode()


def manifest_item_props(manifest_json: str) -> bytes:
    digest = hashlib.sha256(manifest_json.encode()).hexdigest()
    item_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{MANIFEST_NS}:{digest}")
    return (
        _DECL + "<ds:datastoreItem "
        'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml" '
        f'ds:itemID="{{{str(item_id).upper()}}}"><ds:schemaRefs>'
        f'<ds:schemaRef ds:uri="{MANIFEST_NS}"/></ds:schemaRefs></ds:datastoreItem>'
    ).encode()


def manifest_item_rels() -> bytes:
    return _rels([("rId1", f"{_REL}/customXmlProps", "itemProps1.xml", False)])
