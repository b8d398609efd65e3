"""Styles, numbering and page furniture for the DOCX exporter: the shipped defaults, or a
user's template.

A user template is any ``.docx``; its ``word/styles.xml`` (and ``numbering.xml``) are used, and
every style briefkit needs that the template lacks is added from the defaults. The bullet
numbering briefkit uses has id 9001, so it never collides with a template's own lists.

The headers and footers the template's (last) section refers to are kept as they are, with
their ``w:type`` (default, first, even), the section's ``w:titlePg``, and the pictures and
external links they refer to; a header or footer that refers to any other part (a chart, an
embedded object …) is refused rather than written with a broken reference. Each kept part's
furniture text (:mod:`._furniture`) is digested, for the writer to record.

A template part that declares a DTD (``<!DOCTYPE …>``, with or without entities) is refused:
WordprocessingML has none, an entity is never expanded, and a part written out without its
DTD but with its entity references would be malformed.
"""

from __future__ import annotations

import os
import posixpath
import zipfile
import zlib
from importlib import resources
from typing import Literal

import attrs
from lxml import etree

from briefkit.errors import ExportError
from briefkit.formats.docx._furniture import digest, furniture_text
from briefkit.formats.docx._xml import NS

__all__ = ["REQUIRED_STYLES", "Furniture", "Relationship", "Template"]

#: Style ids the exporter writes; a template lacking one gets it from the defaults.
REQUIRED_STYLES = (
    "Normal",
    "DefaultParagraphFont",
    "Title",
    "Subtitle",
    "BriefMeta",
    "Heading1",
    "Heading2",
    "Heading3",
    "ListBullet",
    "Quote",
    "QuoteAttribution",
    "SourceEntry",
    "Bibliography",
    "FootnoteText",
    "FootnoteTextChar",
    "FootnoteReference",
    "AnalysisLabel",
    "Analysis",
    "Hyperlink",
    "Caption",
    "TableText",
    "TableHeading",
    "BriefTable",
    "Footer",
    "TOCHeading",
    "TOC1",
    "TOC2",
    "TOC3",
)

_W = NS["w"]
_MAX_PART = 16 * 1024 * 1024
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _default(name: str) -> bytes:
    return resources.files("briefkit.formats.docx").joinpath("template", name).read_bytes()


def _parse(data: bytes, name: str, where: str) -> etree._Element:
    """A template part's root element; a part with a DTD or entities is an ExportError."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ExportError(f"{where}: the template's {name} is malformed XML: {exc}") from None
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise ExportError(
            f"{where}: the template's {name} declares a DTD (<!DOCTYPE …>, which may "
            "declare entities); a WordprocessingML part has none, and briefkit neither "
            "expands entities nor writes them out: save the template again from Word or "
            "LibreOffice"
        )
    return root


def _read_member(zf: zipfile.ZipFile, name: str, where: str) -> bytes | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _MAX_PART:
        raise ExportError(f"{where}: {name} is larger than {_MAX_PART} bytes")
    return zf.read(info)


@attrs.frozen
class Relationship:
    """One relationship of a kept header or footer: its id, type (URI) and target (for an
    internal one, the part's name in the package, ``word/media/image1.png``)."""

    rid: str
    type: str
    target: str
    external: bool


@attrs.frozen
class Furniture:
    """A header or footer the template's section refers to, kept as it is."""

    kind: Literal["header", "footer"]
    type: str  # the reference's w:type: default, first or even
    data: bytes
    relationships: tuple[Relationship, ...]
    #: the sha256 of its furniture text (see :mod:`._furniture`)
    digest: str


class Template:
    """The ``styles.xml`` and ``numbering.xml`` bytes an export uses, and the template's
    headers and footers (``furniture``) with the pictures they show (``media``: part name,
    bytes, content type)."""

    __slots__ = ("furniture", "media", "numbering", "styles", "title_page")

    def __init__(
        self,
        styles: bytes,
        numbering: bytes,
        furniture: tuple[Furniture, ...] = (),
        media: tuple[tuple[str, bytes, str], ...] = (),
        *,
        title_page: bool = False,
    ) -> None:
        self.styles = styles
        self.numbering = numbering
        self.furniture = furniture
        self.media = media
        self.title_page = title_page

    @classmethod
    def default(cls) -> Template:
        return cls(_default("styles.xml"), _default("numbering.xml"))

    @classmethod
    def from_docx(cls, path: str | os.PathLike[str]) -> Template:
        """Take styles and numbering from an existing ``.docx``; fill in missing styles."""
        where = os.fspath(path)
        try:
            with zipfile.ZipFile(path) as zf:
                styles = _read_member(zf, "word/styles.xml", where)
                numbering = _read_member(zf, "word/numbering.xml", where)
                furniture, media, title_page = _furniture(zf, where)
        except (
            OSError,
            EOFError,
            ValueError,
            zipfile.BadZipFile,
            zlib.error,
            NotImplementedError,  # a compression method zipfile does not support
            RuntimeError,  # an encrypted member
        ) as exc:
            raise ExportError(f"{where}: cannot read the template: {exc}") from None
        if styles is None:
            raise ExportError(f"{where}: the template has no word/styles.xml")
        merged_styles = _merge_styles(_parse(styles, "word/styles.xml", where))
        merged_numbering = _merge_numbering(
            None if numbering is None else _parse(numbering, "word/numbering.xml", where)
        )
        return cls(merged_styles, merged_numbering, furniture, media, title_page=title_page)

    def styles_in(self, language: str) -> bytes:
        """The styles with ``language`` (a tag such as ``de-DE``) as the default language of
        Latin-script text, so Word checks the spelling in it."""
        root = etree.fromstring(self.styles, _PARSER)
        defaults = root.find(f"{{{_W}}}docDefaults")
        if defaults is None:
            defaults = etree.Element(f"{{{_W}}}docDefaults")
            root.insert(0, defaults)
        rpr = _child(_child(defaults, "rPrDefault", first=True), "rPr")
        lang = rpr.find(f"{{{_W}}}lang")
        if lang is None:  # in schema order: before the few properties that follow it
            lang = etree.Element(f"{{{_W}}}lang")
            later = [rpr.find(f"{{{_W}}}{n}") for n in ("eastAsianLayout", "specVanish", "oMath")]
            after = next((el for el in later if el is not None), None)
            if after is not None:
                after.addprevious(lang)
            else:
                rpr.append(lang)
        if lang.get(f"{{{_W}}}val") == language:
            return self.styles
        lang.set(f"{{{_W}}}val", language)
        return _serialize(root)


_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
#: content types of pictures, by extension, for a template that does not give one
_PICTURES = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "bmp": "image/bmp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "emf": "image/x-emf",
    "wmf": "image/x-wmf",
    "svg": "image/svg+xml",
}


def _relationships(zf: zipfile.ZipFile, part: str, where: str) -> list[tuple[str, str, str, bool]]:
    """``(id, type, target, external)`` of each relationship of ``part``; an internal target
    as the name of the part it resolves to."""
    folder, name = posixpath.split(part)
    data = _read_member(zf, posixpath.join(folder, "_rels", name + ".rels"), where)
    if data is None:
        return []
    root = _parse(data, f"relationships of {part}", where)
    out = []
    for rel in root.iter(f"{{{_PKG_REL}}}Relationship"):
        target = rel.get("Target", "")
        external = rel.get("TargetMode") == "External"
        if not external:
            base = "" if target.startswith("/") else folder
            target = posixpath.normpath(posixpath.join(base, target.lstrip("/")))
        out.append((rel.get("Id", ""), rel.get("Type", ""), target, external))
    return out


def _content_type(types: etree._Element | None, name: str) -> str | None:
    if types is None:
        return None
    for override in types.iterfind(f"{{{_TYPES}}}Override"):
        if override.get("PartName", "").lstrip("/").lower() == name.lower():
            return override.get("ContentType")
    ext = name.rsplit(".", 1)[-1].lower()
    for default in types.iterfind(f"{{{_TYPES}}}Default"):
        if default.get("Extension", "").lower() == ext:
            return default.get("ContentType")
    return _PICTURES.get(ext)


def _furniture(
    zf: zipfile.ZipFile, where: str
) -> tuple[tuple[Furniture, ...], tuple[tuple[str, bytes, str], ...], bool]:
    """The headers and footers the template's last section refers to, the pictures they
    show, and whether the section has a title page of its own."""
    main = next(
        (
            t
            for _, kind, t, ext in _relationships(zf, "", where)
            if kind == f"{_REL}/officeDocument"
        ),
        "word/document.xml",
    )
    data = _read_member(zf, main, where)
    if data is None:
        return (), (), False
    body = _parse(data, main, where).find(f"{{{_W}}}body")
    sect = body.find(f"{{{_W}}}sectPr") if body is not None else None
    if sect is None:
        return (), (), False
    rels = {rid: (kind, target, ext) for rid, kind, target, ext in _relationships(zf, main, where)}
    raw_types = _read_member(zf, "[Content_Types].xml", where)
    types = _parse(raw_types, "[Content_Types].xml", where) if raw_types else None
    furniture: list[Furniture] = []
    media: dict[str, tuple[str, bytes, str]] = {}
    for ref in sect:
        local = etree.QName(ref).localname if isinstance(ref.tag, str) else ""
        if local not in ("headerReference", "footerReference"):
            continue
        kind: Literal["header", "footer"] = "header" if local == "headerReference" else "footer"
        found = rels.get(ref.get(f"{{{_REL}}}id", ""))
        if found is None or found[2]:
            continue
        part = found[1]
        xml = _read_member(zf, part, where)
        if xml is None:
            continue
        root = _parse(xml, part, where)
        kept = []
        for rid, rtype, target, external in _relationships(zf, part, where):
            if external:
                kept.append(Relationship(rid, rtype, target, True))
                continue
            picture = rtype == f"{_REL}/image" and target.startswith("word/media/")
            blob = _read_member(zf, target, where) if picture else None
            ctype = _content_type(types, target) if picture else None
            if blob is None or ctype is None:
                raise ExportError(
                    f"{where}: the template's {part} refers to {target} "
                    f"({rtype.rsplit('/', 1)[-1]}); briefkit keeps the pictures and links of a "
                    "header or footer, nothing else"
                )
            media.setdefault(target, (target, blob, ctype))
            kept.append(Relationship(rid, rtype, target, False))
        furniture.append(
            Furniture(
                kind,
                ref.get(f"{{{_W}}}type") or "default",
                xml,
                tuple(kept),
                digest(furniture_text(root)),
            )
        )
    title = sect.find(f"{{{_W}}}titlePg")
    title_page = title is not None and title.get(f"{{{_W}}}val", "true") not in (
        "0",
        "false",
        "off",
    )
    return tuple(furniture), tuple(media.values()), title_page


def _child(parent: etree._Element, name: str, *, first: bool = False) -> etree._Element:
    """``parent``'s child ``w:<name>``, added (first, or last) when there is none."""
    found = parent.find(f"{{{_W}}}{name}")
    if found is None:
        found = etree.Element(f"{{{_W}}}{name}")
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found


def _serialize(root: etree._Element) -> bytes:
    out: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return out


def _merge_styles(root: etree._Element) -> bytes:
    defaults = etree.fromstring(_default("styles.xml"), _PARSER)
    have = {s.get(f"{{{_W}}}styleId") for s in root.iterfind(f"{{{_W}}}style")}
    for style in defaults.iterfind(f"{{{_W}}}style"):
        sid = style.get(f"{{{_W}}}styleId")
        if sid in REQUIRED_STYLES and sid not in have:
            if f"{{{_W}}}default" in style.attrib:  # never displace the template's defaults
                del style.attrib[f"{{{_W}}}default"]
            root.append(style)
    return _serialize(root)


def _merge_numbering(root: etree._Element | None) -> bytes:
    ours = etree.fromstring(_default("numbering.xml"), _PARSER)
    if root is None:
        return _serialize(ours)
    for old in [*root.iterfind(f"{{{_W}}}abstractNum"), *root.iterfind(f"{{{_W}}}num")]:
        if "9001" in (old.get(f"{{{_W}}}abstractNumId"), old.get(f"{{{_W}}}numId")):
            root.remove(old)
    abstract = ours.find(f"{{{_W}}}abstractNum")
    num = ours.find(f"{{{_W}}}num")
    if abstract is None or num is None:  # pragma: no cover - the shipped file has both
        raise ExportError("the default numbering.xml is damaged")
    # the schema wants every abstractNum before the first num
    nums = root.findall(f"{{{_W}}}num")
    if nums:
        nums[0].addprevious(abstract)
        nums[-1].addnext(num)
    else:
        root.append(abstract)
        root.append(num)
    return _serialize(root)
