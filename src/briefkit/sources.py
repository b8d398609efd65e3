"""Sources (one file each, decoded to a canonical text) and the corpus they belong to.

The canonical text of a source is its bytes decoded as strict UTF-8 with one leading BOM removed
(and recorded). Nothing else is changed: no newline translation, no Unicode normalisation, no
stripping. Ids are paths relative to the corpus root with ``/`` separators, drawn from a safe
alphabet; resolving an id never leaves the root.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from briefkit._locate import FoldedText, find_all, locate
from briefkit.errors import (
    DecodeError,
    SourceError,
    SourceNotFoundError,
    SourceTooLargeError,
    UnsafeIdError,
)
from briefkit.spans import Position, Span, TextIndex

if TYPE_CHECKING:
    from briefkit.excerpts import Figure, Paraphrase, Quote

__all__ = [
    "CATALOG_NAMES",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_SUFFIXES",
    "Corpus",
    "Source",
    "SourceMeta",
    "check_id",
    "resolve_id",
]

#: Sources larger than this many bytes are refused unless a larger limit is given.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
#: File name suffixes :meth:`Corpus.from_dir` picks up by default.
DEFAULT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
#: Catalog file names looked for in a corpus root, in this order.
CATALOG_NAMES = ("catalog.yaml", "catalog.yml", "catalog.json")

_BOM = b"\xef\xbb\xbf"
_SEGMENT = r"[A-Za-z0-9_][A-Za-z0-9._-]{0,254}"
_SAFE_ID = re.compile(rf"{_SEGMENT}(?:/{_SEGMENT})*\Z")


def check_id(source_id: str) -> str:
    """Return ``source_id`` if it is a safe, relative, ``/``-separated id; else raise
    :class:`UnsafeIdError` saying why."""
    if not isinstance(source_id, str) or not source_id:
        raise UnsafeIdError(f"source id must be a non-empty string, got {source_id!r}")
    if len(source_id) > 1024:
        raise UnsafeIdError(f"source id is longer than 1024 characters: {source_id[:40]!r}…")
    if source_id.startswith("/") or "\\" in source_id or ":" in source_id:
        raise UnsafeIdError(f"source id {source_id!r} must be a relative path with '/' separators")
    if any(part in ("", ".", "..") for part in source_id.split("/")):
        raise UnsafeIdError(f"source id {source_id!r} has an empty, '.' or '..' segment")
    if not _SAFE_ID.match(source_id):
        raise UnsafeIdError(
            f"source id {source_id!r} has characters outside the safe alphabet "
            "(ASCII letters, digits, '.', '_', '-'; segments may not start with '.' or '-')"
        )
    return source_id


def resolve_id(root: str | os.PathLike[str], source_id: str) -> Path:
    """The file of ``source_id`` under ``root``; refuses ids (or symlinks) that leave the root."""
    check_id(source_id)
    base = Path(root).resolve()
    path = base.joinpath(*source_id.split("/"))
    real = path.resolve()
    if not real.is_relative_to(base):
        raise UnsafeIdError(f"source id {source_id!r} resolves outside the root {str(base)!r}")
    return path


def _text_or_none(value: object, field: str, where: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, _dt.date):
        return value.isoformat()
    if not isinstance(value, str | int):
        raise SourceError(f"{where}: field {field!r} must be text, got {type(value).__name__}")
    return str(value)


def _authors(value: object, where: str) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple) and all(isinstance(a, str) for a in value):
        return tuple(value)
    raise SourceError(f"{where}: field 'author' must be a name or a list of names")


_FIRST_LINE = re.compile(r"[^\s\x00-\x1f][^\r\n\x0b\x0c\x85\u2028\u2029]*")
_ISSUED = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?\Z")


def _check_issued(_inst: object, _attr: object, value: str | None) -> None:
    if value is not None and not _ISSUED.match(value):
        raise SourceError(f"issued date {value!r} must be YYYY, YYYY-MM or YYYY-MM-DD")


_CSL_FIELDS = {
    "title": "title",
    "container-title": "container_title",
    "publisher": "publisher",
    "author": "author",
    "issued": "issued",
    "URL": "url",
}


@attrs.frozen
class SourceMeta:
    """Bibliographic metadata of a source; CSL-JSON names in :meth:`to_csl`."""

    title: str | None = None
    container_title: str | None = None
    publisher: str | None = None
    author: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    issued: str | None = attrs.field(default=None, validator=_check_issued)
    url: str | None = None

    @property
    def venue(self) -> str | None:
        """Where the source appeared: the container title, else the publisher."""
        return self.container_title or self.publisher

    @classmethod
    def from_csl(cls, data: Mapping[str, Any], *, where: str = "metadata") -> SourceMeta:
        """Build from a mapping with CSL-JSON field names (``container-title``, ``URL`` …)."""
        if not isinstance(data, Mapping):
            raise SourceError(f"{where}: metadata must be a mapping")
        unknown = sorted(set(data) - set(_CSL_FIELDS))
        if unknown:
            raise SourceError(
                f"{where}: unknown metadata field(s) {', '.join(map(repr, unknown))}; "
                f"known: {', '.join(_CSL_FIELDS)}"
            )
        values: dict[str, Any] = {}
        for csl, attr in _CSL_FIELDS.items():
            if attr == "author":
                values[attr] = _authors(data.get(csl), where)
            else:
                values[attr] = _text_or_none(data.get(csl), csl, where)
        try:
            return cls(**values)
        except SourceError as exc:
            raise SourceError(f"{where}: {exc}") from None

    def to_csl(self) -> dict[str, Any]:
        """Only the fields that are set, under their CSL-JSON names."""
        out: dict[str, Any] = {}
        for csl, attr in _CSL_FIELDS.items():
            value = getattr(self, attr)
            if value:
                out[csl] = list(value) if attr == "author" else value
        return out


def _decode(source_id: str, data: bytes) -> tuple[str, bool]:
    bom = data.startswith(_BOM)
    body = data[len(_BOM) :] if bom else data
    try:
        text = body.decode("utf-8", "strict")
    except UnicodeDecodeError as exc:
        offset = exc.start + (len(_BOM) if bom else 0)
        raise DecodeError(source_id, offset, exc.reason) from None
    return text, bom


def _first_line(text: str) -> str:
    """The first non-empty line, whitespace collapsed, shortened to 100 characters."""
    m = _FIRST_LINE.search(text)
    line = " ".join(m.group().split()) if m else ""
    return line if len(line) <= 100 else line[:99].rstrip() + "…"


@attrs.frozen(eq=False)
class Source:
    """One source file: its id, canonical text, hash and metadata.

    Build one with :meth:`from_bytes`, :meth:`from_text` or :meth:`from_file`, or take it from a
    :class:`Corpus`. Two sources are equal when id, content hash and metadata are equal.
    """

    id: str = attrs.field(validator=lambda _i, _a, v: check_id(v))
    text: str = attrs.field(repr=False)
    sha256: str
    size: int
    bom: bool = False
    meta: SourceMeta = attrs.field(factory=SourceMeta)
    _index: TextIndex = attrs.field(init=False, repr=False)
    #: the title notes name the source by: the catalog's, else the first non-empty line
    title: str = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_index", TextIndex(self.text, byte_base=3 if self.bom else 0))
        object.__setattr__(self, "title", self.meta.title or _first_line(self.text) or self.id)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Source):
            return NotImplemented
        return (self.id, self.sha256, self.bom, self.meta) == (
            other.id,
            other.sha256,
            other.bom,
            other.meta,
        )

    def __hash__(self) -> int:
        return hash((self.id, self.sha256))

    # -- construction --------------------------------------------------------------------

    @classmethod
    def from_bytes(
        cls,
        source_id: str,
        data: bytes,
        *,
        meta: SourceMeta | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> Source:
        """Decode raw bytes (strict UTF-8, one BOM removed and recorded)."""
        check_id(source_id)
        if len(data) > max_bytes:
            raise SourceTooLargeError(
                f"{source_id}: {len(data)} bytes is over the limit of {max_bytes} bytes "
                "(pass max_bytes= to allow larger sources)"
            )
        text, bom = _decode(source_id, data)
        return cls(
            id=source_id,
            text=text,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            bom=bom,
            meta=meta or SourceMeta(),
        )

    @classmethod
    def from_text(cls, source_id: str, text: str, *, meta: SourceMeta | None = None) -> Source:
        """A source whose raw bytes are ``text`` encoded as UTF-8 (no BOM)."""
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise SourceError(
                f"{source_id}: text has an unpaired surrogate at code point {exc.start}"
            ) from None
        return cls.from_bytes(source_id, data, meta=meta, max_bytes=max(len(data), 1))

    @classmethod
    def from_file(
        cls,
        path: str | os.PathLike[str],
        *,
        source_id: str | None = None,
        meta: SourceMeta | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> Source:
        """Load one file; its id defaults to the file name."""
        p = Path(path)
        sid = source_id if source_id is not None else p.name
        check_id(sid)
        try:
            size = p.stat().st_size
            if size > max_bytes:
                raise SourceTooLargeError(
                    f"{sid}: {size} bytes is over the limit of {max_bytes} bytes "
                    "(pass max_bytes= to allow larger sources)"
                )
            with p.open("rb") as fh:
                data = fh.read(max_bytes + 1)
        except FileNotFoundError:
            raise SourceNotFoundError(f"{sid}: no such file {str(p)!r}") from None
        except IsADirectoryError:
            raise SourceError(f"{sid}: {str(p)!r} is a directory, not a file") from None
        except PermissionError as exc:
            raise SourceError(f"{sid}: cannot read {str(p)!r}: {exc.strerror}") from None
        return cls.from_bytes(sid, data, meta=meta, max_bytes=max_bytes)

    # -- derived facts -------------------------------------------------------------------

    @property
    def index(self) -> TextIndex:
        """Offset, line and grapheme lookups over the canonical text."""
        return self._index

    def __len__(self) -> int:
        return len(self.text)

    def folded(self) -> FoldedText:
        """The tolerant-search form of the text (built on first use, then kept: the same
        value every time, as the text cannot change)."""
        return self._index.derived("folded", lambda: FoldedText(self.text))

    # -- spans ---------------------------------------------------------------------------

    def check(self, start: int, end: int) -> Span:
        """Validate ``[start, end)`` against this source (range, grapheme boundaries)."""
        return self._index.check(start, end, where=self.id)

    def position(self, start: int, end: int) -> Position:
        """Everything a citation records about ``[start, end)``."""
        return self._index.position(start, end, where=self.id)

    def line_col(self, offset: int) -> tuple[int, int]:
        return self._index.line_col(offset)

    def span_from_utf8(self, byte_start: int, byte_end: int) -> Span:
        """A span from UTF-8 byte offsets into the raw file (a BOM counts); refuses offsets
        inside a character."""
        index = self._index
        return self.check(index.from_utf8(byte_start), index.from_utf8(byte_end))

    def span_from_utf16(self, unit_start: int, unit_end: int) -> Span:
        """A span from UTF-16 code unit offsets into the canonical text."""
        index = self._index
        return self.check(index.from_utf16(unit_start), index.from_utf16(unit_end))

    def find(self, text: str, *, normalize: bool = False) -> Span:
        """The span of the unique occurrence of ``text``.

        Not found: :class:`~briefkit.errors.TextNotFoundError` with the closest near miss.
        Found more than once: :class:`~briefkit.errors.AmbiguousMatchError` listing them.
        ``normalize=True`` tolerates curly/straight quotes, NBSP vs space, whitespace runs and
        NFC differences; the span is still in canonical offsets.
        """
        return locate(self._index, text, source_id=self.id, normalize=normalize, folded=self.folded)

    def find_all(self, text: str, *, normalize: bool = False) -> list[Span]:
        """Every grapheme-aligned occurrence of ``text`` (possibly none)."""
        return find_all(self._index, text, folded=self.folded() if normalize else None)[0]

    def _span(self, text: str | None, start: int | None, end: int | None, normalize: bool) -> Span:
        if text is not None and (start is not None or end is not None):
            if start is None or end is None:
                raise SourceError(f"{self.id}: give both start and end, or neither")
            span = self.check(start, end)
            if self.text[start:end] != text:
                raise SourceError(
                    f"{self.id}: chars {start}–{end} read {self.text[start:end]!r}, not {text!r}"
                )
            return span
        if text is not None:
            return self.find(text, normalize=normalize)
        if start is None or end is None:
            raise SourceError(f"{self.id}: give the text to cite, or start and end offsets")
        return self.check(start, end)

    # -- excerpts ------------------------------------------------------------------------

    def quote(
        self,
        text: str | None = None,
        *,
        start: int | None = None,
        end: int | None = None,
        speaker: str | None = None,
        normalize: bool = False,
        partial: bool = False,
    ) -> Quote:
        """A :class:`~briefkit.excerpts.Quote` of the unique occurrence of ``text`` (or of the
        span ``start``–``end``); ``partial=True`` allows a span that cuts a word."""
        from briefkit.excerpts import Quote

        span = self._span(text, start, end, normalize)
        return Quote(self, span.start, span.end, speaker=speaker, partial=partial)

    def paraphrase(
        self,
        text: str | None = None,
        *,
        start: int | None = None,
        end: int | None = None,
        normalize: bool = False,
    ) -> Paraphrase:
        """A :class:`~briefkit.excerpts.Paraphrase` backed by the unique occurrence of
        ``text`` (the passage the author's words restate)."""
        from briefkit.excerpts import Paraphrase

        span = self._span(text, start, end, normalize)
        return Paraphrase(self, span.start, span.end)

    def figure(
        self,
        value: str,
        *,
        unit: str | None = None,
        within: str | None = None,
        start: int | None = None,
        end: int | None = None,
        normalize: bool = False,
    ) -> Figure:
        """A :class:`~briefkit.excerpts.Figure`: ``value`` as written in the source.

        The span is the unique occurrence of ``within`` (a passage that contains the value),
        or of ``value`` itself, or ``start``–``end``.
        """
        from briefkit.excerpts import Figure

        if within is None and start is None and end is None:
            within = value
        span = self._span(within, start, end, normalize)
        return Figure(self, span.start, span.end, value=value, unit=unit)


def _load_catalog(root: Path) -> tuple[str | None, dict[str, SourceMeta]]:
    for name in CATALOG_NAMES:
        path = root / name
        if path.is_file():
            break
    else:
        return None, {}
    raw = path.read_bytes()
    try:
        if name.endswith(".json"):
            import json

            data = json.loads(raw.decode("utf-8"))
        else:
            import yaml

            data = yaml.safe_load(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}: cannot read the catalog: {exc}") from None
    except Exception as exc:  # yaml.YAMLError and friends
        raise SourceError(f"{path}: cannot parse the catalog: {exc}") from None
    if data is None:
        return name, {}
    if not isinstance(data, Mapping):
        raise SourceError(f"{path}: the catalog must map source ids to metadata")
    metas: dict[str, SourceMeta] = {}
    for key, value in data.items():
        where = f"{path}: entry {key!r}"
        check_id(str(key))
        metas[str(key)] = SourceMeta.from_csl(value or {}, where=where)
    return name, metas


class Corpus(Mapping[str, Source]):
    """A set of sources keyed by id. From a folder, sources load lazily and are then cached."""

    __slots__ = ("_loaded", "_max_bytes", "_metas", "_order", "root")

    def __init__(
        self,
        sources: Iterable[Source] = (),
        *,
        root: Path | None = None,
        ids: Iterable[str] = (),
        metas: Mapping[str, SourceMeta] | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self.root = root
        self._max_bytes = max_bytes
        self._metas = dict(metas or {})
        self._loaded: dict[str, Source] = {}
        self._order: list[str] = []
        for source in sources:
            if source.id in self._loaded:
                raise SourceError(f"two sources share the id {source.id!r}")
            self._loaded[source.id] = source
            self._order.append(source.id)
        for sid in ids:
            check_id(sid)
            if sid not in self._loaded:
                self._order.append(sid)
        self._order.sort()

    @classmethod
    def from_sources(cls, sources: Iterable[Source]) -> Corpus:
        """An in-memory corpus."""
        return cls(sources)

    @classmethod
    def from_dir(
        cls,
        root: str | os.PathLike[str],
        *,
        suffixes: Iterable[str] | None = DEFAULT_SUFFIXES,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> Corpus:
        """Every file under ``root`` with one of ``suffixes`` (all files if None), except
        hidden ones and the catalog. Metadata comes from ``catalog.yaml`` (or ``.yml``/``.json``)
        in ``root`` when present: a mapping of source id to CSL-JSON fields."""
        base = Path(root)
        if not base.is_dir():
            raise SourceNotFoundError(f"sources folder {str(base)!r} does not exist")
        base = base.resolve()
        catalog_name, metas = _load_catalog(base)
        wanted = tuple(s.lower() for s in suffixes) if suffixes is not None else None
        ids: list[str] = []
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            rel_dir = Path(dirpath).relative_to(base)
            for name in sorted(filenames):
                if name.startswith(".") or (rel_dir == Path(".") and name == catalog_name):
                    continue
                if wanted is not None and not name.lower().endswith(wanted):
                    continue
                ids.append(check_id((rel_dir / name).as_posix().removeprefix("./")))
        unknown = sorted(set(metas) - set(ids))
        if unknown:
            raise SourceError(
                f"{base / (catalog_name or 'catalog')}: metadata for source(s) not in the folder: "
                + ", ".join(unknown)
            )
        return cls(root=base, ids=ids, metas=metas, max_bytes=max_bytes)

    @classmethod
    def from_files(
        cls,
        root: str | os.PathLike[str],
        ids: Iterable[str],
        *,
        metadata: Mapping[str, Mapping[str, Any]] | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> Corpus:
        """Only the files ``ids`` under ``root`` (the folder is not walked). Metadata comes from
        the catalog in ``root``, and ``metadata`` (CSL-JSON fields by id) overrides it field by
        field. A missing file is a :class:`~briefkit.errors.SourceNotFoundError`."""
        base = Path(root)
        if not base.is_dir():
            raise SourceNotFoundError(f"sources folder {str(base)!r} does not exist")
        base = base.resolve()
        _, metas = _load_catalog(base)
        wanted = sorted(set(ids))
        for sid in wanted:
            if not resolve_id(base, sid).is_file():
                raise SourceNotFoundError(f"no file {sid!r} under {str(base)!r}")
        for sid, fields in (metadata or {}).items():
            if sid not in wanted:
                raise SourceError(f"metadata for {sid!r}, which is not one of the files")
            known = metas[sid].to_csl() if sid in metas else {}
            metas[sid] = SourceMeta.from_csl({**known, **fields}, where=f"metadata of {sid}")
        return cls(root=base, ids=wanted, metas=metas, max_bytes=max_bytes)

    def __getitem__(self, source_id: str) -> Source:
        loaded = self._loaded.get(source_id)
        if loaded is not None:
            return loaded
        if source_id not in self._order or self.root is None:
            check_id(source_id)
            close = difflib.get_close_matches(source_id, self._order, n=3)
            hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
            raise SourceNotFoundError(f"no source {source_id!r} in the corpus{hint}")
        source = Source.from_file(
            resolve_id(self.root, source_id),
            source_id=source_id,
            meta=self._metas.get(source_id),
            max_bytes=self._max_bytes,
        )
        self._loaded[source_id] = source
        return source

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, source_id: object) -> bool:
        return source_id in self._loaded or source_id in self._order

    def __repr__(self) -> str:
        where = f" at {str(self.root)!r}" if self.root else ""
        return f"<Corpus{where}: {len(self)} sources>"
