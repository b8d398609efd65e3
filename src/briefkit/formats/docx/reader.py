"""Read a DOCX back: its embedded manifest, its visible footnotes and where they are referenced.

Independent of the writer: it parses the package parts with lxml (no entities, no network) and
looks only at what Word or LibreOffice would show.
"""

from __future__ import annotations

import os
import posixpath

import attrs
from lxml import etree

from briefkit import manifest as _manifest
from briefkit.errors import ManifestError, ReadError
from briefkit.formats._zipsafe import BoundedZip
from briefkit.manifest import Manifest

__all__ = ["DocxContents", "NoteReference", "read_docx"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_MANIFEST_NS = "urn:briefkit:provenance"
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False
)


@attrs.frozen
class NoteReference:
    """A footnote reference in the body, in reading order."""

    ordinal: int  # 1-based position among all references: the number a reader sees
    footnote_id: int
    bookmark: str | None  # innermost enclosing bookmark (briefkit: the sentence id)


@attrs.frozen
class DocxContents:
    manifest: Manifest | None
    notes: dict[int, str]  # footnote id -> visible text (without the reference mark)
    references: tuple[NoteReference, ...]
    paragraphs: tuple[str, ...]  # visible body text, one entry per paragraph
    #: visible text inside each bookmark (briefkit: each sentence), label runs left out
    bookmarked: dict[str, str] = attrs.field(factory=dict)


def _parse(data: bytes, where: str) -> etree._Element:
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ReadError(f"{where}: malformed XML: {exc}") from None


def _text(el: etree._Element) -> str:
    out = []
    for node in el.iter(f"{{{_W}}}t", f"{{{_W}}}tab", f"{{{_W}}}br", f"{{{_W}}}cr"):
        tag = etree.QName(node).localname
        if tag == "t":
            out.append(node.text or "")
        elif tag == "tab":
            out.append("\t")
        else:
            out.append("\n")
    return "".join(out)


def _rels(zf: BoundedZip, part: str) -> dict[str, tuple[str, str]]:
    folder, name = posixpath.split(part)
    data = zf.read(posixpath.join(folder, "_rels", name + ".rels"))
    if data is None:
        return {}
    root = _parse(data, f"{zf.where}: relationships of {part}")
    rels = {}
    for rel in root.iter(f"{{{_PKG}}}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") != "External":
            target = posixpath.normpath(posixpath.join(folder, target)).lstrip("/")
        rels[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], target)
    return rels


def _main_part(zf: BoundedZip) -> str:
    data = zf.read("_rels/.rels")
    if data is None:
        raise ReadError(f"{zf.where}: not a DOCX package (no _rels/.rels)")
    root = _parse(data, f"{zf.where}: _rels/.rels")
    for rel in root.iter(f"{{{_PKG}}}Relationship"):
        if rel.get("Type", "").endswith("/officeDocument"):
            return rel.get("Target", "").lstrip("/")
    raise ReadError(f"{zf.where}: not a DOCX package (no main document)")


def _manifest_from(zf: BoundedZip, rels: dict[str, tuple[str, str]]) -> Manifest | None:
    candidates = [t for kind, t in rels.values() if kind == "customXml"]
    candidates += [n for n in zf.names() if n.startswith("customXml/item") and "Props" not in n]
    for name in dict.fromkeys(candidates):
        data = zf.read(name)
        if data is None:
            continue
        root = _parse(data, f"{zf.where}: {name}")
        if root.tag == f"{{{_MANIFEST_NS}}}provenance":
            try:
                return _manifest.parse(root.text or "")
            except ManifestError as exc:
                raise ReadError(f"{zf.where}: {name}: {exc}") from None
    return None


def read_docx(source: str | os.PathLike[str] | bytes, *, where: str | None = None) -> DocxContents:
    """Read a DOCX file (path or bytes)."""
    label = where or (os.fspath(source) if not isinstance(source, bytes) else "<docx>")
    with BoundedZip(source, where=label) as zf:
        main = _main_part(zf)
        rels = _rels(zf, main)
        body_xml = zf.read(main)
        if body_xml is None:
            raise ReadError(f"{label}: the main document part {main} is missing")
        body = _parse(body_xml, f"{label}: {main}")
        notes: dict[int, str] = {}
        for kind, target in rels.values():
            if kind == "footnotes":
                data = zf.read(target)
                if data is None:
                    raise ReadError(f"{label}: the footnotes part {target} is missing")
                for fn in _parse(data, f"{label}: {target}").iter(f"{{{_W}}}footnote"):
                    if fn.get(f"{{{_W}}}type") in ("separator", "continuationSeparator"):
                        continue
                    try:
                        fid = int(fn.get(f"{{{_W}}}id", ""))
                    except ValueError:
                        raise ReadError(f"{label}: a footnote has a bad id") from None
                    text = "\n".join(_text(p) for p in fn.iter(f"{{{_W}}}p"))
                    notes[fid] = text[1:] if text.startswith(" ") else text
        manifest = _manifest_from(zf, rels)
    references: list[NoteReference] = []
    open_marks: dict[str, str] = {}
    stack: list[str] = []
    paragraphs: list[str] = []
    bookmarked: dict[str, list[str]] = {}
    for el in body.iter(
        f"{{{_W}}}bookmarkStart",
        f"{{{_W}}}bookmarkEnd",
        f"{{{_W}}}footnoteReference",
        f"{{{_W}}}p",
        f"{{{_W}}}r",
    ):
        tag = etree.QName(el).localname
        if tag == "p":
            paragraphs.append(_text(el))
        elif tag == "r":
            style = el.find(f"{{{_W}}}rPr/{{{_W}}}rStyle")
            is_label = style is not None and style.get(f"{{{_W}}}val") == "AnalysisLabel"
            if stack and not is_label:
                bookmarked.setdefault(stack[-1], []).append(_text(el))
        elif tag == "bookmarkStart":
            name = el.get(f"{{{_W}}}name", "")
            open_marks[el.get(f"{{{_W}}}id", "")] = name
            stack.append(name)
        elif tag == "bookmarkEnd":
            closed = open_marks.pop(el.get(f"{{{_W}}}id", ""), None)
            if closed is not None and closed in stack:
                stack.remove(closed)
        else:
            try:
                fid = int(el.get(f"{{{_W}}}id", ""))
            except ValueError:
                raise ReadError(f"{label}: a footnote reference has a bad id") from None
            references.append(NoteReference(len(references) + 1, fid, stack[-1] if stack else None))
    return DocxContents(
        manifest,
        notes,
        tuple(references),
        tuple(paragraphs),
        {name: "".join(parts) for name, parts in bookmarked.items()},
    )
