"""Styles and numbering for the DOCX exporter: the shipped defaults, or a user's template.

A user template is any ``.docx``; its ``word/styles.xml`` (and ``numbering.xml``) are used, and
every style briefkit needs that the template lacks is added from the defaults. The bullet
numbering briefkit uses has id 9001, so it never collides with a template's own lists.

A template part that declares a DTD (``<!DOCTYPE …>``, with or without entities) is refused:
WordprocessingML has none, an entity is never expanded, and a part written out without its
DTD but with its entity references would be malformed.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from importlib import resources

from lxml import etree

from briefkit.errors import ExportError
from briefkit.formats.docx._xml import NS

__all__ = ["REQUIRED_STYLES", "Template"]

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


class Template:
    """The ``styles.xml`` and ``numbering.xml`` bytes an export uses."""

    __slots__ = ("numbering", "styles")

    def __init__(self, styles: bytes, numbering: bytes) -> None:
        self.styles = styles
        self.numbering = numbering

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
        return cls(merged_styles, merged_numbering)

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
