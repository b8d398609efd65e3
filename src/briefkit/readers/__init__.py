"""Source readers: one per file format, each turning a source file's bytes into the canonical
text that spans point into, plus a map of where its pages and sections begin.

A source is still one file whose raw bytes are hashed; its reader decides what text a citation
can point at. The built-in readers:

========== ======================== =========================================================
name       suffixes                 canonical text
========== ======================== =========================================================
``text``   ``.txt``, ``.text``      the bytes as strict UTF-8, one BOM removed (and recorded)
``markdown`` ``.md``, ``.markdown`` the same text as written; headings are sections
``pdf``    ``.pdf``                 each page's text in reading order, pages separated by a
                                    form feed; page labels where the PDF has them
``html``   ``.html``, ``.htm``      the visible text of the page, one block per paragraph;
                                    headings are sections
``docx``   ``.docx``                the paragraphs of the body in order; headings and numbered
                                    paragraphs are sections
========== ======================== =========================================================

Every reader is deterministic: the same bytes (and options) give the same text and map. The
manifest records, per source, the reader's name, version, options and the library it reads
with, and the sha256 of the text it extracted, so that verify reads each source again the same
way and notices when a reader now extracts something else.

More readers come as plug-ins: an object (or a class taking no arguments) with the attributes
of :class:`SourceReader`, registered with :func:`register` or through the entry-point group
``briefkit.sources`` (the entry point's name is the reader's name).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from importlib import import_module, metadata
from pathlib import PurePath
from typing import Any, ClassVar

import attrs

from briefkit.errors import SourceError

__all__ = [
    "ENTRY_POINT_GROUP",
    "Extraction",
    "Mark",
    "ReaderInfo",
    "ReaderRecord",
    "SourceReader",
    "UnreadableSourceError",
    "available",
    "claims",
    "marks",
    "names",
    "reader_for",
    "reader_named",
    "register",
]

#: The entry-point group third-party source readers register in.
ENTRY_POINT_GROUP = "briefkit.sources"

_NAME = re.compile(r"[a-z][a-z0-9_-]{0,31}\Z")
_LABEL_MAX = 120


class UnreadableSourceError(SourceError, ValueError):
    """A reader could not make text of a source file (damaged, encrypted, scanned without a
    text layer, not of its format …). The message names the file and says why."""


def _check_label(label: str, where: str) -> str:
    if not isinstance(label, str) or not label.strip():
        raise SourceError(f"{where}: a page or section label must be non-empty text")
    if len(label) > _LABEL_MAX or any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in label):
        raise SourceError(
            f"{where}: label {label[:40]!r} must be one line of at most {_LABEL_MAX} "
            "characters without control characters"
        )
    return label


@attrs.frozen
class Mark:
    """Where a page or section begins: the code point offset of its first character in the
    canonical text, and the label a reader knows it by (``"12"``, ``"iv"``, ``"3.2"``,
    ``"Host-nation support"``)."""

    start: int
    label: str


def _check_marks(what: str) -> Callable[[Extraction, Any, tuple[Mark, ...]], None]:
    def check(inst: Extraction, _attr: Any, marks: tuple[Mark, ...]) -> None:
        last = -1
        for mark in marks:
            if not isinstance(mark, Mark):
                raise SourceError(f"{what} must be Mark values, got {type(mark).__name__}")
            if not last < mark.start <= len(inst.text) or isinstance(mark.start, bool):
                raise SourceError(
                    f"{what}: mark at {mark.start!r} is out of order or outside the text "
                    f"(0–{len(inst.text)}, each after the one before)"
                )
            _check_label(mark.label, what)
            last = mark.start
        if what == "pages" and marks and marks[0].start != 0:
            raise SourceError("pages: the first page must start at offset 0")

    return check


def marks(value: Iterable[Mark]) -> tuple[Mark, ...]:
    """``value`` as a tuple (the converter of mark fields)."""
    return tuple(value)


def _options(value: Mapping[str, Any]) -> dict[str, Any]:
    return dict(sorted(dict(value).items()))


@attrs.frozen
class Extraction:
    """What a reader makes of a file: the canonical text and its location map.

    ``pages`` and ``sections`` are :class:`Mark` values in order of their starts;
    ``paragraphs`` says that the text is made of paragraphs separated by blank lines, which
    citations may name when no page or section applies; ``bom`` that the text reader removed
    a UTF-8 byte order mark (byte offsets then count it). ``title`` and ``url`` are what the
    file says of itself (an HTML ``<title>`` and canonical link, a PDF's or DOCX's document
    title), used when the catalog gives no title or URL.
    """

    text: str
    pages: tuple[Mark, ...] = attrs.field(default=(), converter=marks)
    sections: tuple[Mark, ...] = attrs.field(default=(), converter=marks)
    paragraphs: bool = False
    bom: bool = False
    title: str | None = None
    url: str | None = None

    def __attrs_post_init__(self) -> None:
        _check_marks("pages")(self, None, self.pages)
        _check_marks("sections")(self, None, self.sections)


@attrs.frozen
class ReaderRecord:
    """Which reader made a source's text, as the manifest records it: the reader's name and
    version, its options, and the library (and version) it reads with."""

    name: str = "text"
    version: str = "1"
    options: Mapping[str, Any] = attrs.field(factory=dict, converter=_options, hash=False)
    library: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "version": self.version}
        if self.options:
            out["options"] = dict(self.options)
        if self.library:
            out["library"] = self.library
        return out

    def describe(self) -> str:
        """``pdf reader 1 (pypdfium2 5.15.2)``."""
        details = [f"{k}={v!r}" for k, v in self.options.items()]
        if self.library:
            details.append(self.library)
        more = f" ({', '.join(details)})" if details else ""
        return f"{self.name} reader {self.version}{more}"


class SourceReader:
    """The base of source readers. A reader has a ``name`` (lower case, ``[a-z][a-z0-9_-]*``),
    a ``version`` of its reading rules (raise it whenever the same file would give other
    text), the file name ``suffixes`` it claims, and :meth:`read`. Options are keyword
    arguments of the constructor, given back by :meth:`options` so that the manifest can
    record them and verify can make the same reader again."""

    name: ClassVar[str] = ""
    version: ClassVar[str] = "1"
    suffixes: ClassVar[tuple[str, ...]] = ()
    description: ClassVar[str] = ""

    def options(self) -> dict[str, Any]:
        """The options this reader was made with (JSON values), none by default."""
        return {}

    def library(self) -> str | None:
        """The library this reader reads with and its version (``pypdfium2 5.15.2``)."""
        return None

    def read(self, data: bytes, *, where: str) -> Extraction:
        """The text and location map of a file's ``data``; ``where`` names the file in
        errors (raise :class:`UnreadableSourceError` for a file this reader cannot read)."""
        raise NotImplementedError

    def record(self) -> ReaderRecord:
        return ReaderRecord(self.name, self.version, self.options(), self.library())

    def __repr__(self) -> str:
        opts = ", ".join(f"{k}={v!r}" for k, v in self.options().items())
        return f"{type(self).__name__}({opts})"


def _check_reader(obj: object, where: str) -> SourceReader:
    if isinstance(obj, type):
        obj = obj()
    for attr in ("name", "version", "suffixes", "read", "options"):
        if not hasattr(obj, attr):
            raise SourceError(f"{where}: {type(obj).__name__} is not a source reader (no {attr})")
    reader: Any = obj
    if not isinstance(reader.name, str) or not _NAME.match(reader.name):
        raise SourceError(f"{where}: reader name {reader.name!r} must match {_NAME.pattern}")
    if not isinstance(reader.suffixes, tuple) or not all(
        isinstance(s, str) and s.startswith(".") and len(s) > 1 for s in reader.suffixes
    ):
        raise SourceError(f"{where}: suffixes must be a tuple like ('.epub',)")
    checked: SourceReader = reader
    return checked


@attrs.frozen
class ReaderInfo:
    """One installed reader, as :func:`available` lists it (``error`` when it cannot load)."""

    name: str
    suffixes: tuple[str, ...]
    description: str
    version: str
    library: str | None
    origin: str
    error: str | None = None


_BUILTINS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "text": ("text", "TextReader", (".txt", ".text")),
    "markdown": ("markdown", "MarkdownReader", (".md", ".markdown")),
    "pdf": ("pdf", "PdfReader", (".pdf",)),
    "html": ("html", "HtmlReader", (".html", ".htm", ".xhtml")),
    "docx": ("docx", "DocxReader", (".docx",)),
}


class _Registry:
    def __init__(self) -> None:
        self._classes: dict[str, Callable[..., SourceReader]] = {}
        self._suffixes: dict[str, tuple[str, ...]] = {}
        self._origin: dict[str, str] = {}
        self._discovered = False
        for name, (module, cls, suffixes) in _BUILTINS.items():
            self._classes[name] = self._lazy(module, cls)
            self._suffixes[name] = suffixes
            self._origin[name] = "built-in"

    @staticmethod
    def _lazy(module: str, cls: str) -> Callable[..., SourceReader]:
        def make(**options: Any) -> SourceReader:
            made: SourceReader = getattr(import_module(f"briefkit.readers.{module}"), cls)(
                **options
            )
            return made

        return make

    def _discover(self) -> None:
        if self._discovered:
            return
        self._discovered = True
        for ep in sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            if ep.name in self._classes:
                continue  # a built-in name is never replaced by a plug-in
            try:
                reader = _check_reader(ep.load(), f"source reader plug-in {ep.name!r}")
            except Exception as exc:  # a broken plug-in must not break the built-ins
                self._origin[ep.name] = f"failed to load: {exc}"
                continue
            self._add(reader, "plug-in", replace=False)

    def _add(self, reader: SourceReader, origin: str, *, replace: bool) -> None:
        if reader.name in self._classes and not replace:
            raise SourceError(
                f"a source reader named {reader.name!r} is already registered "
                f"({self._origin[reader.name]}); pass replace=True to replace it"
            )
        kind = type(reader)

        def make(**options: Any) -> SourceReader:
            return kind(**options) if options else reader

        self._classes[reader.name] = make
        self._suffixes[reader.name] = tuple(s.lower() for s in reader.suffixes)
        self._origin[reader.name] = origin

    def register(self, reader: object, *, replace: bool = False) -> SourceReader:
        checked = _check_reader(reader, "register()")
        self._discover()
        self._add(checked, "registered", replace=replace)
        return checked

    def names(self) -> list[str]:
        self._discover()
        return sorted(self._classes)

    def named(self, name: str, options: Mapping[str, Any] | None = None) -> SourceReader:
        self._discover()
        make = self._classes.get(name)
        if make is None:
            broken = self._origin.get(name, "")
            why = f" (the plug-in {broken})" if broken.startswith("failed") else ""
            raise SourceError(
                f"no source reader named {name!r} is installed{why}; readers: "
                + ", ".join(self.names())
            )
        try:
            return make(**dict(options or {}))
        except TypeError as exc:
            raise SourceError(
                f"source reader {name!r}: bad options {dict(options or {})!r}: {exc}"
            ) from None

    def for_name(self, file_name: str) -> SourceReader | None:
        self._discover()
        lower = file_name.lower()
        best: tuple[int, str] | None = None
        for name, suffixes in self._suffixes.items():
            for suffix in suffixes:
                if lower.endswith(suffix) and (best is None or len(suffix) > best[0]):
                    best = (len(suffix), name)
        return self.named(best[1]) if best else None

    def suffixes(self) -> list[str]:
        self._discover()
        return sorted({s for ss in self._suffixes.values() for s in ss})

    def available(self) -> list[ReaderInfo]:
        self._discover()
        rows = []
        for name in sorted(self._origin):
            origin = self._origin[name]
            if name not in self._classes:
                rows.append(ReaderInfo(name, (), "", "", None, "plug-in", origin))
                continue
            try:
                reader = self.named(name)
                library = reader.library()
            except Exception as exc:  # a reader whose library is missing still gets a row
                rows.append(ReaderInfo(name, self._suffixes[name], "", "", None, origin, str(exc)))
                continue
            rows.append(
                ReaderInfo(
                    name,
                    self._suffixes[name],
                    reader.description,
                    reader.version,
                    library,
                    origin,
                )
            )
        return rows


_registry = _Registry()


def register(reader: object, *, replace: bool = False) -> SourceReader:
    """Register a source reader object (or a class taking no arguments) for its suffixes.
    A name already in use is refused unless ``replace=True``."""
    return _registry.register(reader, replace=replace)


def names() -> list[str]:
    """The names of every installed reader."""
    return _registry.names()


def reader_named(name: str, options: Mapping[str, Any] | None = None) -> SourceReader:
    """The reader called ``name``, made with ``options`` (a :class:`SourceError` naming the
    installed readers when there is none)."""
    return _registry.named(name, options)


def reader_for(path: str | PurePath) -> SourceReader | None:
    """The reader that claims ``path`` by its suffix (the longest suffix wins), or None."""
    return _registry.for_name(PurePath(path).name)


def available() -> list[ReaderInfo]:
    """Every installed reader with its suffixes, version, library and origin (built-in,
    plug-in or registered)."""
    return _registry.available()


def claims() -> list[str]:
    """Every suffix some reader claims."""
    return _registry.suffixes()
