"""Build small .docx files for tests, with python-docx — and WordprocessingML injected where
python-docx has no API (tracked changes, fields, symbols, list numbering).

The main entry point is :func:`make_docx`::

    make_docx([("heading1", "Scope"), ("para", "Some text."), ("number1", "A clause.")],
              title="A contract")

Each block is ``(kind, content)`` or a :class:`Table`. ``content`` is a string (``"\\t"`` and
``"\\n"`` in it become ``w:tab`` and ``w:br``) or a sequence of segments: strings (plain runs)
and :class:`Hidden`, :class:`Inserted`, :class:`Deleted`, :class:`Field`, :class:`Symbol` and
:class:`RawXml` values. The kinds:

=================== ====================================================================
kind                paragraph
=================== ====================================================================
``para``            a ``Normal`` paragraph
``title``           a paragraph in the ``Title`` style
``heading1``–``3``  a paragraph in the ``Heading 1``–``3`` style (not numbered)
``numheading1``–``3`` a heading numbered by the heading list (:data:`HEADING_NUM_ID`):
                    ``1``, ``1.1``, ``1.1.1``
``number1``–``4``   a ``List Paragraph`` numbered by the clause list (:data:`LIST_NUM_ID`)
                    at level 1–4: ``1.``, ``1.1.``, ``a)``, ``(i)``
``bullet``          a ``List Paragraph`` in the bullet list (:data:`BULLET_NUM_ID`)
``listnumber``      a paragraph in python-docx's ``List Number`` style, numbered through
                    its style (``1.``, ``2.`` …)
=================== ====================================================================

Lower-level helpers build packages by hand: :func:`document_xml` and :func:`xml_part` make
parts from WordprocessingML fragments (the usual prefixes ``w``, ``m``, ``mc``, ``r``, ``wp``
and ``v`` are bound), :func:`replace_parts` swaps, adds or removes parts of a package, and
:func:`zip_parts` zips parts into a package.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias
from xml.sax.saxutils import escape, quoteattr

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.text.paragraph import Paragraph
from lxml import etree

import briefkit as bk
from briefkit.problems import Problem
from briefs import SEEDS

__all__ = [
    "BULLET_NUM_ID",
    "HEADING_NUM_ID",
    "KINDS",
    "LIST_NUM_ID",
    "NAMESPACES",
    "Block",
    "Content",
    "Deleted",
    "Field",
    "Hidden",
    "Inserted",
    "RawXml",
    "Segment",
    "Symbol",
    "Table",
    "document_xml",
    "make_docx",
    "read_part",
    "replace_parts",
    "xml_part",
    "zip_parts",
]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

#: ``xmlns`` declarations of the prefixes fragments may use.
NAMESPACES = (
    f'xmlns:w="{W}" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)

#: The ``w:numId`` of the clause list (``1.``, ``1.1.``, ``a)``, ``(i)``).
LIST_NUM_ID = 90
#: The ``w:numId`` of the heading list (``1``, ``1.1``, ``1.1.1``).
HEADING_NUM_ID = 91
#: The ``w:numId`` of the bullet list.
BULLET_NUM_ID = 92

KINDS = (
    "para",
    "title",
    "heading1",
    "heading2",
    "heading3",
    "numheading1",
    "numheading2",
    "numheading3",
    "number1",
    "number2",
    "number3",
    "number4",
    "bullet",
    "listnumber",
)


@dataclass(frozen=True)
class Hidden:
    """A run hidden with ``w:vanish``: directly, or through a hidden character style."""

    text: str
    via_style: bool = False


@dataclass(frozen=True)
class Inserted:
    """A run inside a tracked insertion (``w:ins``)."""

    text: str


@dataclass(frozen=True)
class Deleted:
    """A run inside a tracked deletion (``w:del`` with ``w:delText``)."""

    text: str


@dataclass(frozen=True)
class Field:
    """A field: complex (``w:fldChar`` begin, ``w:instrText``, separate, result, end) or,
    with ``simple``, a ``w:fldSimple`` holding its result."""

    code: str
    result: str
    simple: bool = False


@dataclass(frozen=True)
class Symbol:
    """A ``w:sym`` with the hexadecimal ``w:char`` ``code`` (``"2022"``, ``"F0B7"``)."""

    code: str
    font: str = "Symbol"


@dataclass(frozen=True)
class RawXml:
    """WordprocessingML appended to the paragraph as it is (runs, ``w:sdt`` …)."""

    xml: str


Segment: TypeAlias = str | Hidden | Inserted | Deleted | Field | Symbol | RawXml
Content: TypeAlias = str | Sequence[Segment]


@dataclass(frozen=True)
class Table:
    """A table of plain text cells, row by row."""

    rows: Sequence[Sequence[str]]


Block: TypeAlias = tuple[str, Content] | Table

_NUMBERING = f"""<w:numbering {NAMESPACES}>
<w:abstractNum w:abstractNumId="{LIST_NUM_ID}"><w:multiLevelType w:val="multilevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2."/>
</w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/>
</w:lvl>
<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%4)"/>
</w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="{HEADING_NUM_ID}"><w:multiLevelType w:val="multilevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2.%3"/>
</w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="{BULLET_NUM_ID}"><w:multiLevelType w:val="singleLevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
</w:abstractNum>
<w:num w:numId="{LIST_NUM_ID}"><w:abstractNumId w:val="{LIST_NUM_ID}"/></w:num>
<w:num w:numId="{HEADING_NUM_ID}"><w:abstractNumId w:val="{HEADING_NUM_ID}"/></w:num>
<w:num w:numId="{BULLET_NUM_ID}"><w:abstractNumId w:val="{BULLET_NUM_ID}"/></w:num>
</w:numbering>"""

_HIDDEN_STYLE = "Hidden Text"
_REVISION = 'w:author="briefkit tests" w:date="2024-01-01T00:00:00Z"'


def _text_xml(text: str, tag: str = "w:t") -> str:
    """Run content for ``text``: ``\\t`` and ``\\n`` as ``w:tab`` and ``w:br``."""
    out = []
    for i, line in enumerate(text.split("\n")):
        if i:
            out.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                out.append("<w:tab/>")
            if piece:
                out.append(f'<{tag} xml:space="preserve">{escape(piece)}</{tag}>')
    return "".join(out)


def _run_xml(text: str, rpr: str = "", tag: str = "w:t") -> str:
    props = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f"<w:r>{props}{_text_xml(text, tag)}</w:r>"


class _Builder:
    def __init__(self) -> None:
        self.doc = docx.Document()
        self._ids = 0
        numbering = self.doc.part.numbering_part.element
        ours = parse_xml(_NUMBERING)
        first_num = next(
            (i for i, child in enumerate(numbering) if child.tag == f"{{{W}}}num"), len(numbering)
        )
        for offset, child in enumerate(c for c in ours if c.tag == f"{{{W}}}abstractNum"):
            numbering.insert(first_num + offset, child)
        for child in [c for c in ours if c.tag == f"{{{W}}}num"]:
            numbering.append(child)

    def next_id(self) -> int:
        self._ids += 1
        return self._ids

    def hidden_style(self) -> str:
        """The name of a character style that hides text (added on first use)."""
        styles = self.doc.styles
        if _HIDDEN_STYLE not in [s.name for s in styles]:
            style = styles.add_style(_HIDDEN_STYLE, WD_STYLE_TYPE.CHARACTER)
            style.font.hidden = True
        return _HIDDEN_STYLE

    def paragraph(self, kind: str, content: Content) -> None:
        if kind == "para":
            p = self.doc.add_paragraph()
        elif kind == "title":
            p = self.doc.add_paragraph(style="Title")
        elif kind in ("heading1", "heading2", "heading3"):
            p = self.doc.add_paragraph(style=f"Heading {kind[-1]}")
        elif kind in ("numheading1", "numheading2", "numheading3"):
            p = self.doc.add_paragraph(style=f"Heading {kind[-1]}")
            _number(p, HEADING_NUM_ID, int(kind[-1]) - 1)
        elif kind in ("number1", "number2", "number3", "number4"):
            p = self.doc.add_paragraph(style="List Paragraph")
            _number(p, LIST_NUM_ID, int(kind[-1]) - 1)
        elif kind == "bullet":
            p = self.doc.add_paragraph(style="List Paragraph")
            _number(p, BULLET_NUM_ID, 0)
        elif kind == "listnumber":
            p = self.doc.add_paragraph(style="List Number")
        else:
            raise ValueError(f"unknown block kind {kind!r}; kinds: {', '.join(KINDS)}")
        segments: Sequence[Segment] = [content] if isinstance(content, str) else content
        for segment in segments:
            self.segment(p, segment)

    def segment(self, p: Paragraph, segment: Segment) -> None:
        if isinstance(segment, str):
            if segment:
                p.add_run(segment)
            return
        if isinstance(segment, Hidden):
            if segment.via_style:
                p.add_run(segment.text, style=self.hidden_style())
            else:
                p.add_run(segment.text).font.hidden = True
            return
        xml: str
        if isinstance(segment, Inserted):
            xml = f'<w:ins w:id="{self.next_id()}" {_REVISION}>{_run_xml(segment.text)}</w:ins>'
        elif isinstance(segment, Deleted):
            run = _run_xml(segment.text, tag="w:delText")
            xml = f'<w:del w:id="{self.next_id()}" {_REVISION}>{run}</w:del>'
        elif isinstance(segment, Field):
            if segment.simple:
                xml = (
                    f"<w:fldSimple w:instr={quoteattr(segment.code)}>"
                    f"{_run_xml(segment.result)}</w:fldSimple>"
                )
            else:
                xml = (
                    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                    + _run_xml(segment.code, tag="w:instrText")
                    + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                    + _run_xml(segment.result)
                    + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
                )
        elif isinstance(segment, Symbol):
            xml = (
                f"<w:r><w:sym w:font={quoteattr(segment.font)} "
                f"w:char={quoteattr(segment.code)}/></w:r>"
            )
        else:
            xml = segment.xml
        for element in parse_xml(f"<w:wrap {NAMESPACES}>{xml}</w:wrap>"):
            p._p.append(element)

    def table(self, table: Table) -> None:
        columns = max((len(row) for row in table.rows), default=0)
        made = self.doc.add_table(rows=len(table.rows), cols=max(columns, 1))
        for row, cells in zip(made.rows, table.rows, strict=True):
            for cell, text in zip(row.cells, cells, strict=False):
                cell.text = text

    def save(self, title: str | None) -> bytes:
        if title is not None:
            self.doc.core_properties.title = title
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _number(p: Paragraph, num_id: int, level: int) -> None:
    """Number a paragraph: a ``w:numPr`` right after its ``w:pStyle`` (schema order)."""
    ppr = p._p.get_or_add_pPr()
    num_pr = parse_xml(
        f'<w:numPr {NAMESPACES}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
    )
    at = 1 if len(ppr) and ppr[0].tag == f"{{{W}}}pStyle" else 0
    ppr.insert(at, num_pr)


def make_docx(blocks: Sequence[Block], *, title: str | None = None) -> bytes:
    """A .docx file of ``blocks`` (see the module documentation), with ``title`` as the core
    properties' title (python-docx's default, empty, when None)."""
    builder = _Builder()
    for block in blocks:
        if isinstance(block, Table):
            builder.table(block)
        else:
            builder.paragraph(*block)
    return builder.save(title)


def xml_part(root: str, inner: str) -> bytes:
    """A WordprocessingML part: ``<w:{root}>`` holding ``inner`` (prefixes bound)."""
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f"<w:{root} {NAMESPACES}>{inner}</w:{root}>"
    ).encode()


def document_xml(body: str) -> bytes:
    """A main document part whose ``w:body`` holds ``body``."""
    return xml_part("document", f"<w:body>{body}</w:body>")


def read_part(package: bytes, name: str) -> bytes:
    """One part of a package."""
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        return zf.read(name)


def replace_parts(package: bytes, parts: Mapping[str, bytes | None]) -> bytes:
    """``package`` with the given parts replaced or added (``None`` removes a part)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            if info.filename not in parts:
                dst.writestr(info, src.read(info))
        for name, data in parts.items():
            if data is not None:
                dst.writestr(name, data)
    return out.getvalue()


def zip_parts(parts: Mapping[str, bytes]) -> bytes:
    """A zip package of exactly ``parts``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


# -- reading and rewriting a written package (the checker tests' tampering) -------------------


def parts_of(path: Path) -> dict[str, bytes]:
    """Every part of the package at ``path``, by name."""
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def write_zip(path: Path, parts: dict[str, bytes]) -> Path:
    """Write exactly ``parts`` as the package at ``path``."""
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def xml(root: etree._Element) -> bytes:
    """A part's XML as Word writes it (declaration, UTF-8, standalone)."""
    out: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return out


#: the relationships namespace (``r:id`` of a hyperlink or picture)
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def w(tag: str) -> str:
    """The qualified name of a WordprocessingML tag."""
    return f"{{{W}}}{tag}"


def el(xml_text: str) -> etree._Element:
    """One WordprocessingML element from its XML (the ``w`` and ``r`` prefixes declared)."""
    holder = etree.fromstring(f'<holder xmlns:w="{W}" xmlns:r="{R}">{xml_text}</holder>')
    found = holder[0]
    holder.remove(found)
    return found


#: a change made to a part's XML tree in place
Edit = Callable[[etree._Element], None]


def tamper(fresh: Path, out: Path, edit: Edit, part: str = "word/document.xml") -> Path:
    """``fresh`` written to ``out/tampered.docx`` with ``edit`` made to ``part``."""
    parts = parts_of(fresh)
    root = etree.fromstring(parts[part])
    edit(root)
    parts[part] = xml(root)
    return write_zip(out / "tampered.docx", parts)


def problems_of(path: Path, sources: Path = SEEDS) -> list[Problem]:
    """What verify reports of a tampered file (which it must not find sound)."""
    report = bk.verify(path, sources=sources)
    assert not report.ok, "the tampering went unreported"
    return list(report.problems)


def has(found: list[Problem], code: str, *words: str) -> bool:
    """Whether a problem of ``code`` says all of ``words``."""
    return any(p.code == code and all(x in p.message for x in words) for p in found)


def body(root: etree._Element) -> etree._Element:
    """The ``w:body`` of a document part."""
    found = root.find(w("body"))
    assert found is not None
    return found
