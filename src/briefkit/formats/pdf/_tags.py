"""The structure tree of a tagged PDF (PDF/UA-1), made as the layout draws the pages.

Everything drawn is marked content: what the brief says is in a marked-content sequence with
an ``/MCID`` (numbered from 0 on each page), tagged with its structure element's type; the
rest — the running header and page number (``/Artifact <</Type /Pagination>>``), the rule
above the notes, table rules, a table's header row repeated on a page it continues on
(``/Artifact``) — is an artifact. Text in an artifact is still text on the page, which a
reader of the file reads as it reads any other text.

The elements, in the order they are first drawn, are the children of one ``Document``
element: ``H1``–``H6`` for headings (the title block's title is an ``H1``), ``P`` for
paragraphs, ``BlockQuote`` for a quotation, ``L`` with an ``LI`` and its ``LBody`` for each
list item (its bullet in the body), ``TOC`` with a ``TOCI`` for each contents entry (its text
and page number), ``Table`` with its ``Caption``, a ``TR`` of ``TH`` for its header row and a
``TR`` of ``TD`` for each body row (an empty cell is an empty ``TD``), ``Figure`` with its
``/Alt``, ``Note`` (with an ``/ID``) for each footnote. A piece of an element drawn on another
page (the rest of a split paragraph, note or row) adds a marked-content reference to the same
element. Each link annotation is the object of a ``Link`` element, a child of the element whose
content the link is drawn in; its ``/StructParent`` and each page's ``/StructParents`` are keys
of the parent tree (pages first, in order, then annotations in the order they were made), and
each page's annotations are in structure order (``/Tabs /S``).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import attrs
from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc

__all__ = ["Dictionary", "Group", "Tag", "Tagger", "formatted", "hex_text"]


@attrs.define(eq=False)
class Group:
    """An element that holds others and has no content of its own (``L``, ``TOC``,
    ``Table``), shared by the tags of what it holds."""

    kind: str


@attrs.define(eq=False)
class Tag:
    """What one placed item is in the structure tree: an element of type ``kind`` (its
    identity is the tag's: every piece of the item drawn adds to the same element), inside
    ``wrap`` (an element of its own for the item, e.g. the ``LI`` around an ``LBody``), inside
    ``group``."""

    kind: str
    group: Group | None = None
    wrap: str | None = None
    alt: str | None = None


@attrs.define(eq=False)
class _Elem:
    kind: str
    parent: _Elem | None
    alt: str | None = None
    ident: str | None = None
    #: a header cell's scope (``Column``)
    scope: str | None = None
    #: the element's children: elements, marked content ``(page, mcid)`` and annotations
    kids: list[Any] = attrs.field(factory=list)
    ref: Any = None


@attrs.frozen
class _Annot:
    page: int
    annotation: Any  # reportlab's annotation (a dictionary or an Annotation)
    name: str  # its name in reportlab's document


def hex_text(text: str) -> str:
    """``text`` as the hex digits of a PDF text string (UTF-16BE with its byte order mark)."""
    return "FEFF" + text.encode("utf-16-be").hex().upper()


class _Hex(pdfdoc.PDFObject):
    """A text string written as hex digits: ``<FEFF…>`` (whatever it holds)."""

    def __init__(self, value: str) -> None:
        self.value = value

    def format(self, document: Any) -> bytes:
        return f"<{hex_text(self.value)}>".encode("ascii")


#: Each key of a dictionary as reportlab writes it (``PDFName``), by key.
_NAMES: dict[str, bytes] = {}


def _name(key: str) -> bytes:
    got = _NAMES.get(key)
    if got is None:
        got = pdfdoc.pdfdocEnc(pdfdoc.PDFName(key))
        if len(_NAMES) < 4096:
            _NAMES[key] = got
    return got


#: What a PDF string escapes among the printable ASCII characters.
_ESCAPED = frozenset("\\()")


def _value(value: Any, document: Any) -> bytes:
    """``value`` as reportlab's ``format`` writes it inside a dictionary or an array, the
    kinds a structure element or a link annotation holds written without its dispatch."""
    kind = type(value)
    if kind is pdfdoc.PDFObjectReference:
        number, version = document.idToObjectNumberAndVersion[value.name]
        return b"%d %d R" % (number, version)
    if kind is float or kind is int:
        number_text: str = fp_str(value)
        return number_text.encode("ascii")
    if kind is str:
        text: str = value
        if text.isascii() and text.isprintable():  # itself in reportlab's PDFDocEncoding
            return text.encode("ascii")
        return cast(bytes, pdfdoc.pdfdocEnc(text))
    if kind is pdfdoc.PDFString and isinstance(document.encrypt, pdfdoc.NoEncryption):
        text = value.s
        if (
            type(text) is str
            and getattr(value, "escape", 1) == 1
            and getattr(value, "enc", "auto") == "auto"
            and text.isascii()
            and text.isprintable()
            and not _ESCAPED.intersection(text)
        ):  # written as it is, between parentheses
            return b"(" + text.encode("ascii") + b")"
    if kind is pdfdoc.Destination:
        target, page = value.fmt, value.page
        if type(target) is pdfdoc.PDFDestinationXYZ and page is not None:
            target.page = page  # what reportlab's Destination.format does, then its target's
            where = [document.Reference(page), "/XYZ", target.left, target.top, target.zoom]
            return _array(pdfdoc.PDFArray(where), document)
    if kind is pdfdoc.PDFArray and not hasattr(value, "__Comment__"):
        return _array(value, document)
    if (kind is pdfdoc.PDFDictionary or kind is Dictionary) and not hasattr(value, "__Comment__"):
        return formatted(value, document)
    return cast(bytes, pdfdoc.format(value, document))


def _array(array: Any, document: Any) -> bytes:
    """reportlab's ``PDFArray.format``."""
    items = [_value(e, document) for e in array.sequence]
    if (array.multiline and rl_config.pdfMultiLine) or array.multiline == "forced":
        return b"[ " + b"\n ".join(items) + b" ]"
    n = len(items)
    if n > 10:
        for i in reversed(range(10, n, 10)):
            items.insert(i, b"\n ")
    return b"[ " + b" ".join(items) + b" ]"


def formatted(dictionary: Any, document: Any) -> bytes:
    """reportlab's ``PDFDictionary.format`` of ``dictionary``, the same bytes."""
    entries = dictionary.dict
    keys = list(entries.keys())
    if not isinstance(entries, OrderedDict):
        keys.sort()
    items = [_name(k) + b" " + _value(entries[k], document) for k in keys]
    multiline = dictionary.multiline
    if (multiline and rl_config.pdfMultiLine) or multiline == "forced":
        body = b"\n ".join(items)
    else:
        for i in reversed(range(6, len(items), 6)):
            items.insert(i, b"\n ")
        body = b" ".join(items)
    return b"<<\n" + body + b"\n>>"


class Dictionary(pdfdoc.PDFDictionary):
    """A PDF dictionary written as reportlab writes one (:func:`formatted`), faster."""

    def format(self, document: Any, IND: bytes = b"\n ") -> bytes:  # reportlab's signature
        return formatted(self, document)


class Tagger:
    """The structure tree of the pages being drawn on one canvas."""

    def __init__(self) -> None:
        self.root = _Elem("Document", None)
        self.page = 0
        self._mcid = 0
        #: for each page, the element of each of its MCIDs
        self.page_mcids: list[list[_Elem]] = [[]]
        self._open: list[_Elem] = []
        self._elems: dict[object, _Elem] = {}
        self._annots: list[tuple[_Annot, _Elem]] = []

    # -- elements ------------------------------------------------------------------------

    def element(self, key: object, kind: str, parent: _Elem | None = None, **kw: Any) -> _Elem:
        """The element for ``key``, made (a child of ``parent``, else of the document) the
        first time it is asked for."""
        elem = self._elems.get(key)
        if elem is None:
            owner = parent or self.root
            elem = self._elems[key] = _Elem(kind, owner, **kw)
            owner.kids.append(elem)
        return elem

    def of_tag(self, tag: Tag) -> _Elem:
        parent = self.element(tag.group, tag.group.kind) if tag.group is not None else None
        if tag.wrap is not None:
            parent = self.element(("wrap", tag), tag.wrap, parent)
        return self.element(tag, tag.kind, parent, alt=tag.alt)

    def seen(self, key: object) -> bool:
        """Whether an element was made for ``key``."""
        return key in self._elems

    # -- content -------------------------------------------------------------------------

    @contextmanager
    def content(self, canvas: Any, elem: _Elem, extra: str = "") -> Iterator[None]:
        """Mark what is drawn inside as content of ``elem`` (``extra``: more entries of the
        properties, written as they are)."""
        mcid = self._mcid
        self._mcid += 1
        elem.kids.append((self.page, mcid))
        self.page_mcids[self.page].append(elem)
        canvas._code.append(f"/{elem.kind} <</MCID {mcid}{extra}>> BDC")
        self._open.append(elem)
        try:
            yield
        finally:
            self._open.pop()
            canvas._code.append("EMC")

    @contextmanager
    def artifact(self, canvas: Any, *, pagination: bool = False) -> Iterator[None]:
        """Mark what is drawn inside as an artifact (of pagination: a running header, a page
        number)."""
        code = canvas._code
        code.append("/Artifact <</Type /Pagination>> BDC" if pagination else "/Artifact BMC")
        try:
            yield
        finally:
            code.append("EMC")

    def annotation(self, annotation: Any, name: str) -> None:
        """A link annotation made while drawing: the object of a ``Link`` element, a child of
        the element whose content is being drawn."""
        parent = self._open[-1] if self._open else self.root
        link = _Elem("Link", parent)
        parent.kids.append(link)
        self._annots.append((_Annot(self.page, annotation, name), link))

    def next_page(self) -> None:
        self.page += 1
        self._mcid = 0
        self.page_mcids.append([])

    # -- the file ------------------------------------------------------------------------

    def write(self, doc: Any, lang: str | None) -> None:
        """Put the structure tree in reportlab's document ``doc`` (after the last page):
        ``/StructTreeRoot`` with its ``/ParentTree``, ``/MarkInfo``, ``/Lang`` (when given),
        each page's ``/StructParents`` and ``/Tabs``, each link annotation's
        ``/StructParent``."""
        pages: list[Any] = list(doc.Pages.pages)
        page_refs = [doc.Reference(page) for page in pages]
        root_ref = doc.Reference(pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("StructTreeRoot")}))
        root_dict = doc.idToObject[root_ref.name]

        def ref_of(elem: _Elem) -> Any:
            if elem.ref is None:
                elem.ref = doc.Reference(Dictionary({}))
            return elem.ref

        annot_keys: dict[int, int] = {}
        nums: list[Any] = []
        for number, page in enumerate(pages):
            extra = [k for k in ("StructParents", "Tabs") if k not in page.__NoDefault__]
            page.__NoDefault__ = [*page.__NoDefault__, *extra]
            page.StructParents = number
            page.Tabs = pdfdoc.PDFName("S")
            owners = self.page_mcids[number] if number < len(self.page_mcids) else []
            nums.extend([number, pdfdoc.PDFArray([ref_of(e) for e in owners])])
        for k, (annot, link) in enumerate(self._annots):
            key = len(pages) + k
            annot_keys[id(link)] = k
            target = annot.annotation
            if isinstance(target, pdfdoc.PDFDictionary):
                target["StructParent"] = key
            else:
                target.otherkw["StructParent"] = key
            nums.extend([key, ref_of(link)])

        struct_elem, mcr, objr = (pdfdoc.PDFName(n) for n in ("StructElem", "MCR", "OBJR"))
        kinds: dict[str, str] = {}
        stack: list[_Elem] = [self.root]
        while stack:
            elem = stack.pop()
            kids: list[Any] = []
            # the page of the element's first content: its /Pg, its content there an MCID
            home = next((kid[0] for kid in elem.kids if isinstance(kid, tuple)), None)
            for kid in elem.kids:
                if isinstance(kid, _Elem):
                    kids.append(ref_of(kid))
                elif isinstance(kid, tuple):
                    page, mcid = kid
                    if page == home:
                        kids.append(mcid)
                        continue
                    kids.append(
                        pdfdoc.PDFDictionary(
                            {
                                "Type": mcr,
                                "Pg": page_refs[page],
                                "MCID": mcid,
                            }
                        )
                    )
            if elem.kind == "Link":
                annot = self._annots[annot_keys[id(elem)]][0]
                kids.append(
                    pdfdoc.PDFDictionary(
                        {
                            "Type": objr,
                            "Pg": page_refs[annot.page],
                            "Obj": doc.refAnnotation(annot.name),
                        }
                    )
                )
            kind = kinds.get(elem.kind)
            if kind is None:
                kind = kinds[elem.kind] = pdfdoc.PDFName(elem.kind)
            entries: dict[str, Any] = {
                "Type": struct_elem,
                "S": kind,
                "P": ref_of(elem.parent) if elem.parent is not None else root_ref,
                "K": pdfdoc.PDFArray(kids),
            }
            if home is not None:
                entries["Pg"] = page_refs[home]
            if elem.alt is not None:
                entries["Alt"] = _Hex(elem.alt)
            if elem.ident is not None:
                entries["ID"] = pdfdoc.PDFString(elem.ident)
            if elem.scope is not None:
                entries["A"] = pdfdoc.PDFDictionary(
                    {"O": pdfdoc.PDFName("Table"), "Scope": pdfdoc.PDFName(elem.scope)}
                )
            doc.idToObject[ref_of(elem).name].dict.update(entries)
            stack.extend(k for k in reversed(elem.kids) if isinstance(k, _Elem))

        root_dict.dict.update(
            {
                "K": pdfdoc.PDFArray([ref_of(self.root)]),
                "ParentTree": doc.Reference(pdfdoc.PDFDictionary({"Nums": pdfdoc.PDFArray(nums)})),
                "ParentTreeNextKey": len(pages) + len(self._annots),
            }
        )
        catalog = doc.Catalog
        extra = [
            k
            for k in ("StructTreeRoot", "MarkInfo", "ViewerPreferences")
            if k not in catalog.__NoDefault__
        ]
        catalog.__NoDefault__ = [*catalog.__NoDefault__, *extra]
        catalog.StructTreeRoot = root_ref
        catalog.MarkInfo = pdfdoc.PDFDictionary({"Marked": "true"})
        catalog.ViewerPreferences = pdfdoc.PDFDictionary({"DisplayDocTitle": "true"})
        if lang:
            catalog.Lang = pdfdoc.PDFString(lang)
