"""Sources (one file each, read to a canonical text) and the corpus they belong to.

A source's *reader* (:mod:`briefkit.readers`, chosen by the file's suffix) makes its canonical
text: for text files the bytes decoded as strict UTF-8 with one leading BOM removed (and
recorded), nothing else changed (no newline translation, no Unicode normalisation, no
stripping); for PDF, HTML and DOCX files the text a reader of the file sees, with a map of its
pages and sections. The raw bytes are what is hashed. Ids are paths relative to the corpus root
with ``/`` separators, drawn from a safe alphabet; resolving an id never leaves the root. A
file whose name is outside that alphabet (spaces, accents …) gets an id made from its name
(:func:`id_for_path`) and keeps its real path in :attr:`Source.path`.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from briefkit._locate import FoldedText, find_all, locate
from briefkit.errors import (
    SourceError,
    SourceNotFoundError,
    SourceTooLargeError,
    UnsafeIdError,
)
from briefkit.readers import Mark, ReaderRecord, SourceReader, marks, reader_for
from briefkit.readers.text import TextReader
from briefkit.spans import Position, Span, TextIndex

if TYPE_CHECKING:
    from briefkit.excerpts import Figure, Paraphrase, Quote

__all__ = [
    "CATALOG_NAMES",
    "CSL_NAME_VARIABLES",
    "CSL_TYPES",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_SUFFIXES",
    "MAX_CATALOG_BYTES",
    "NAME_PARTS",
    "Corpus",
    "Source",
    "SourceMeta",
    "check_id",
    "check_path",
    "display_name",
    "id_for_path",
    "resolve_id",
    "resolve_path",
]

#: Sources larger than this many bytes are refused unless a larger limit is given.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
#: File name suffixes of the text and Markdown readers (:meth:`Corpus.from_dir` takes every
#: suffix an installed reader claims; see :func:`briefkit.readers.claims`).
DEFAULT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
#: The largest catalog read (bytes).
MAX_CATALOG_BYTES = 16 * 1024 * 1024
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


def check_path(relative: str) -> str:
    """Return ``relative`` if it is a usable ``/``-separated path under a root: any file
    name, but not absolute, no ``..``, ``.`` or empty segment, no backslash or control
    character; else raise :class:`UnsafeIdError` saying why."""
    if not isinstance(relative, str) or not relative:
        raise UnsafeIdError(f"source path must be a non-empty string, got {relative!r}")
    if relative.startswith("/") or "\\" in relative or re.match(r"[A-Za-z]:", relative):
        raise UnsafeIdError(
            f"source path {relative!r} must be relative to the sources folder, with '/' separators"
        )
    if any(part in ("", ".", "..") for part in relative.split("/")):
        raise UnsafeIdError(f"source path {relative!r} has an empty, '.' or '..' segment")
    if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in relative):
        raise UnsafeIdError(f"source path {relative!r} has a control character")
    return relative


def resolve_path(root: str | os.PathLike[str], relative: str) -> Path:
    """The file at the ``/``-separated ``relative`` path under ``root`` (see
    :func:`check_path`), refusing one that leaves the root through a symlink."""
    check_path(relative)
    base = Path(root).resolve()
    path = base.joinpath(*relative.split("/"))
    if not path.resolve().is_relative_to(base):
        raise UnsafeIdError(f"source path {relative!r} resolves outside the root {str(base)!r}")
    return path


_UNSAFE_RUN = re.compile(r"[^A-Za-z0-9._-]+")


def _safe_segment(segment: str) -> str:
    ascii_ = "".join(
        c for c in unicodedata.normalize("NFKD", segment) if not unicodedata.combining(c)
    )
    safe = _UNSAFE_RUN.sub("_", ascii_).strip("_")
    if not any(c.isalnum() for c in safe):  # a name in another script: named by its hash
        return "name-" + hashlib.sha256(segment.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    if not re.match(r"[A-Za-z0-9_]", safe):
        safe = "_" + safe
    return safe[:255]


def id_for_path(relative: str) -> str:
    """The source id of a file at ``/``-separated ``relative`` path: the path itself when it
    is a safe id; else each segment made safe — letters stripped of their accents
    (``Études`` → ``Etudes``), every run of other characters outside ``A–Z a–z 0–9 . _ -``
    replaced by one ``_`` (``Annual Report (2016).pdf`` → ``Annual_Report_2016_.pdf``, ends
    trimmed of ``_``: ``Annual_Report_2016.pdf``), the last suffix kept, and a segment that
    would start with ``.`` or ``-`` prefixed with ``_``; a name left without any letter or
    digit (one written in another script: ``Отчёт.txt``) becomes ``name-`` and the first 10
    hex digits of the sha256 of its UTF-8 (``name-1c5e….txt``). Two files may get the same id;
    :meth:`Corpus.from_dir` then refuses the folder, naming both."""
    try:
        return check_id(relative)
    except UnsafeIdError:
        pass
    segments = relative.split("/")
    made = []
    for seg in segments:
        stem, dot, suffix = seg.rpartition(".")
        if dot and stem and suffix.isalnum():
            made.append(f"{_safe_segment(stem)}.{_safe_segment(suffix)}")
        else:
            made.append(_safe_segment(seg))
    return check_id("/".join(made)[:1024])


_FIRST_LINE = re.compile(r"[^\s\x00-\x1f][^\r\n\x0b\x0c\x85\u2028\u2029]*")


# -- catalog metadata (CSL-JSON) --------------------------------------------------------------

#: CSL 1.0.2 item types (specification, Appendix III).
CSL_TYPES = frozenset(
    {
        "article",
        "article-journal",
        "article-magazine",
        "article-newspaper",
        "bill",
        "book",
        "broadcast",
        "chapter",
        "classic",
        "collection",
        "dataset",
        "document",
        "entry",
        "entry-dictionary",
        "entry-encyclopedia",
        "event",
        "figure",
        "graphic",
        "hearing",
        "interview",
        "legal_case",
        "legislation",
        "manuscript",
        "map",
        "motion_picture",
        "musical_score",
        "pamphlet",
        "paper-conference",
        "patent",
        "performance",
        "periodical",
        "personal_communication",
        "post",
        "post-weblog",
        "regulation",
        "report",
        "review",
        "review-book",
        "software",
        "song",
        "speech",
        "standard",
        "thesis",
        "treaty",
        "webpage",
    }
)
#: CSL 1.0.2 standard variables (Appendix IV).
_CSL_STANDARD = frozenset(
    {
        "abstract",
        "annote",
        "archive",
        "archive_collection",
        "archive_location",
        "archive-place",
        "authority",
        "call-number",
        "citation-key",
        "citation-label",
        "collection-title",
        "container-title",
        "container-title-short",
        "dimensions",
        "division",
        "DOI",
        "event",
        "event-title",
        "event-place",
        "genre",
        "ISBN",
        "ISSN",
        "jurisdiction",
        "keyword",
        "language",
        "license",
        "medium",
        "note",
        "original-publisher",
        "original-publisher-place",
        "original-title",
        "part-title",
        "PMCID",
        "PMID",
        "publisher",
        "publisher-place",
        "references",
        "reviewed-genre",
        "reviewed-title",
        "scale",
        "source",
        "status",
        "title",
        "title-short",
        "URL",
        "volume-title",
        "year-suffix",
    }
)
#: CSL 1.0.2 number variables (Appendix IV).
_CSL_NUMBER = frozenset(
    {
        "chapter-number",
        "citation-number",
        "collection-number",
        "edition",
        "first-reference-note-number",
        "issue",
        "locator",
        "number",
        "number-of-pages",
        "number-of-volumes",
        "page",
        "page-first",
        "part-number",
        "printing-number",
        "section",
        "supplement-number",
        "version",
        "volume",
    }
)
#: CSL 1.0.2 date variables (Appendix IV).
_CSL_DATES = frozenset(
    {"accessed", "available-date", "event-date", "issued", "original-date", "submitted"}
)
#: CSL 1.0.2 name variables (Appendix IV), in the order :meth:`SourceMeta.to_csl` writes them.
CSL_NAME_VARIABLES = (
    "author",
    "chair",
    "collection-editor",
    "compiler",
    "composer",
    "container-author",
    "contributor",
    "curator",
    "director",
    "editor",
    "editorial-director",
    "editor-translator",
    "executive-producer",
    "guest",
    "host",
    "illustrator",
    "interviewer",
    "narrator",
    "organizer",
    "original-author",
    "performer",
    "producer",
    "recipient",
    "reviewed-author",
    "script-writer",
    "series-creator",
    "translator",
)
#: The parts a CSL name object may have, in the order :meth:`SourceMeta.to_csl` writes them.
NAME_PARTS = ("family", "given", "dropping-particle", "non-dropping-particle", "suffix", "literal")
#: CSL-JSON variables :class:`SourceMeta` has a field of its own for (name variables aside).
_CSL_FIELDS = {
    "type": "type",
    "title": "title",
    "title-short": "title_short",
    "container-title": "container_title",
    "publisher": "publisher",
    "issued": "issued",
    "URL": "url",
}
#: Keys Zotero and pandoc write that :meth:`SourceMeta.from_csl` ignores: the source id
#: comes from the file.
_IGNORED = frozenset({"id", "citation-key"})
#: Other spellings some tools write, and the CSL variable each stands for.
_ALIASES = {"shortTitle": "title-short", "journalAbbreviation": "container-title-short"}
#: Variables that go to :attr:`SourceMeta.extra`.
_EXTRA = (_CSL_STANDARD | _CSL_NUMBER | _CSL_DATES) - set(_CSL_FIELDS) - _IGNORED
_KNOWN = set(_CSL_FIELDS) | set(CSL_NAME_VARIABLES) | _EXTRA | _IGNORED | set(_ALIASES)
_DATE_KEYS = frozenset({"date-parts", "raw", "literal", "edtf", "season", "circa"})
#: "Family, Given" text names whose part after the comma is one of these stay literal names.
_NOT_GIVEN = frozenset(
    {"inc", "inc.", "ltd", "ltd.", "llc", "plc", "co.", "corp.", "jr", "jr.", "sr", "sr."}
)

_V = TypeVar("_V")


class _FrozenMap(Mapping[str, _V]):
    """A read-only, hashable mapping that keeps its insertion order (equal to any mapping
    with the same items)."""

    __slots__ = ("_items",)

    def __init__(self, items: Iterable[tuple[str, _V]] = ()) -> None:
        self._items: Mapping[str, _V] = MappingProxyType(dict(items))

    def __getitem__(self, key: str) -> _V:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __repr__(self) -> str:
        return repr(dict(self._items))

    def __reduce__(self) -> tuple[type[_FrozenMap[_V]], tuple[tuple[tuple[str, _V], ...]]]:
        return (type(self), (tuple(self._items.items()),))


Name = Mapping[str, str]
Names = Mapping[str, tuple[Name, ...]]


def _kind(value: object) -> str:
    return type(value).__name__


def _close(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _optional_text(value: str | None) -> str | None:
    return value or None


def _text_or_none(value: object, field: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise SourceError(f"field {field!r} must be text, got {_kind(value)}")
    return str(value)


# -- dates ---------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")
_DIGITS = re.compile(r"[0-9]{1,4}\Z")


def _days_in(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _date_problem(parts: tuple[int, ...]) -> str | None:
    """Why year/month/day ``parts`` are not a date (None: they are)."""
    year, *rest = parts
    if not 0 <= year <= 9999:
        return f"year {year} is not between 0 and 9999"
    if rest and not 1 <= rest[0] <= 12:
        return f"month {rest[0]} is not between 1 and 12"
    if len(rest) == 2 and not 1 <= rest[1] <= _days_in(year, rest[0]):
        return f"day {rest[1]} is not a day of {year:04d}-{rest[0]:02d}"
    return None


def _iso_parts(text: str) -> tuple[int, ...] | None:
    """The year, month and day of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` text when it is a
    real date, else None."""
    m = _ISO_DATE.match(text)
    if not m:
        return None
    parts = tuple(int(p) for p in m.groups() if p is not None)
    return None if _date_problem(parts) else parts


def _iso_text(parts: Sequence[int]) -> str:
    return "-".join(f"{p:0{4 if i == 0 else 2}d}" for i, p in enumerate(parts))


def _check_issued(_inst: object, _attr: object, value: str | None) -> None:
    if value is not None and _iso_parts(value) is None:
        raise SourceError(f"issued date {value!r} must be YYYY, YYYY-MM or YYYY-MM-DD")


def _date_parts(value: object, var: str) -> str:
    """ISO text of a CSL ``date-parts`` value holding one date of 1–3 parts."""
    shape = "a list of one date, itself a list of 1–3 numbers (year, month, day)"
    if not isinstance(value, list | tuple) or not value:
        raise SourceError(f"field {var!r}: date-parts must be {shape}, got {value!r}")
    if len(value) == 2:
        raise SourceError(
            f"field {var!r}: date ranges are not supported yet (date-parts holds two dates, "
            f"{value[0]!r} and {value[1]!r}); give one date"
        )
    date = value[0]
    if len(value) > 2 or not isinstance(date, list | tuple) or not 1 <= len(date) <= 3:
        raise SourceError(f"field {var!r}: date-parts must be {shape}, got {value!r}")
    parts: list[int] = []
    for part in date:
        if isinstance(part, int) and not isinstance(part, bool):
            parts.append(part)
        elif isinstance(part, str) and _DIGITS.match(part):
            parts.append(int(part))
        else:
            raise SourceError(
                f"field {var!r}: date-parts must be {shape}; {part!r} is not a whole number"
            )
    problem = _date_problem(tuple(parts))
    if problem:
        raise SourceError(f"field {var!r}: date-parts {list(date)!r}: {problem}")
    return _iso_text(parts)


def _date_text(text: str, var: str, form: str) -> str:
    if _iso_parts(text) is not None or var != "issued":
        return text
    if form == "literal":
        raise SourceError(
            f"issued date literal {text!r} is not a YYYY, YYYY-MM or YYYY-MM-DD date; the issued "
            "date must be one briefkit can format (give it as date-parts or ISO text)"
        )
    raise SourceError(f"issued date {text!r} must be YYYY, YYYY-MM or YYYY-MM-DD")


def _date(value: object, var: str) -> str | None:
    """A CSL date value (ISO text, a year number, a date, or a CSL-JSON date object) as ISO
    text. Outside ``issued``, text that is not an ISO date (a literal) is kept as it is."""
    if value is None or value == "":
        return None
    if isinstance(value, _dt.date):  # a datetime's isoformat has a time, and is refused
        return _date_text(value.isoformat(), var, "text")
    if isinstance(value, int) and not isinstance(value, bool):
        return _date_text(str(value), var, "text")
    if isinstance(value, str):
        return _date_text(value, var, "text")
    if not isinstance(value, Mapping):
        raise SourceError(
            f"field {var!r} must be a date (YYYY-MM-DD text or a CSL date object), "
            f"got {_kind(value)}"
        )
    unknown = sorted(set(map(str, value)) - _DATE_KEYS)
    if unknown:
        raise SourceError(
            f"field {var!r}: unknown date key(s) {', '.join(map(repr, unknown))}; "
            "a CSL date has date-parts, raw or literal"
        )
    if "date-parts" in value:
        return _date_parts(value["date-parts"], var)
    for form in ("raw", "edtf", "literal"):
        if form in value:
            text = value[form]
            if not isinstance(text, str) or not text:
                raise SourceError(f"field {var!r}: the date's {form!r} must be text")
            return _date_text(text, var, form)
    raise SourceError(f"field {var!r}: a CSL date needs date-parts, raw or literal")


def _csl_date(text: str) -> dict[str, Any]:
    parts = _iso_parts(text)
    return {"date-parts": [list(parts)]} if parts else {"literal": text}


# -- names ---------------------------------------------------------------------------------


def _name_from_text(text: str) -> Name:
    """A name given as text: ``"Family, Given"`` (exactly one comma, both sides non-empty,
    the second not a company or generation suffix such as ``Inc.`` or ``Jr.``) becomes
    family and given names; anything else is a literal name, kept exactly as written."""
    if text.count(",") == 1:
        family, given = (p.strip() for p in text.split(","))
        if family and given and given.lower() not in _NOT_GIVEN:
            return _FrozenMap((("family", family), ("given", given)))
    if not text:
        raise SourceError("a name must not be empty")
    return _FrozenMap((("literal", text),))


def _name(value: object, var: str) -> Name:
    if isinstance(value, str):
        try:
            return _name_from_text(value)
        except SourceError as exc:
            raise SourceError(f"field {var!r}: {exc}") from None
    if not isinstance(value, Mapping):
        raise SourceError(
            f"field {var!r}: each name must be a CSL name object or text, got {_kind(value)}"
        )
    unknown = sorted(str(k) for k in value if k not in NAME_PARTS)
    if unknown:
        raise SourceError(
            f"field {var!r}: unknown name part(s) {', '.join(map(repr, unknown))}; "
            f"a name has {', '.join(NAME_PARTS)}"
        )
    parts: list[tuple[str, str]] = []
    for key in NAME_PARTS:
        part = value.get(key)
        if part is None or part == "":
            continue
        if not isinstance(part, str):
            raise SourceError(f"field {var!r}: name part {key!r} must be text, got {_kind(part)}")
        parts.append((key, part))
    keys = {k for k, _ in parts}
    if "literal" in keys and len(keys) > 1:
        raise SourceError(
            f"field {var!r}: a name is either a literal or family/given parts, not both: "
            f"{dict(parts)!r}"
        )
    if not keys & {"family", "given", "literal"}:
        raise SourceError(f"field {var!r}: a name needs a family name, a given name or a literal")
    return _FrozenMap(parts)


def _name_list(value: object, var: str) -> tuple[Name, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (_name(value, var),)
    if not isinstance(value, list | tuple):
        raise SourceError(
            f"field {var!r} must be a list of names (CSL name objects or text), got {_kind(value)}"
        )
    return tuple(_name(v, var) for v in value)


def _names(value: Mapping[str, Any] | None) -> Names:
    """Name variables, checked and frozen, in CSL order; empty lists are dropped."""
    if not value:
        return _FrozenMap()
    if not isinstance(value, Mapping):
        raise SourceError(f"names must map CSL name variables to lists of names, got {value!r}")
    unknown = sorted(str(k) for k in value if k not in CSL_NAME_VARIABLES)
    if unknown:
        raise SourceError(
            f"unknown name variable(s) {', '.join(map(repr, unknown))}; "
            f"CSL name variables: {', '.join(CSL_NAME_VARIABLES)}"
        )
    found = ((var, _name_list(value.get(var), var)) for var in CSL_NAME_VARIABLES)
    return _FrozenMap((var, names) for var, names in found if names)


def display_name(name: Mapping[str, str]) -> str:
    """How a CSL name object reads: the literal, else given name, particles, family name and
    suffix, space-separated (``{"family": "Beethoven", "given": "Ludwig", "dropping-particle":
    "van"}`` reads ``Ludwig van Beethoven``)."""
    if "literal" in name:
        return name["literal"]
    order = ("given", "dropping-particle", "non-dropping-particle", "family", "suffix")
    return " ".join(name[k] for k in order if name.get(k))


def _author_texts(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (value,)
    texts = tuple(value)
    if not all(isinstance(t, str) for t in texts):
        raise SourceError("author must be a name or a list of names (text)")
    return texts


# -- other variables -------------------------------------------------------------------------


def _extra_value(key: str, value: object) -> str | None:
    if key in _CSL_DATES:
        return _date(value, key)
    if value is None or value == "":
        return None
    if isinstance(value, float):
        raise SourceError(
            f"field {key!r} is the number {value!r}; write it as text (in quotes) so that no "
            "digits are lost"
        )
    return _text_or_none(value, key)


def _extra(value: Mapping[str, Any] | None) -> Mapping[str, str]:
    """Other CSL variables, checked, as text, sorted by name; empty values are dropped."""
    if not value:
        return _FrozenMap()
    if not isinstance(value, Mapping):
        raise SourceError(f"extra must map CSL variables to text, got {value!r}")
    unknown = sorted(str(k) for k in value if k not in _EXTRA)
    if unknown:
        raise SourceError(
            f"extra has field(s) {', '.join(map(repr, unknown))}, which are not CSL variables "
            "or have a field of their own"
        )
    found = ((key, _extra_value(key, value[key])) for key in sorted(value))
    return _FrozenMap((key, text) for key, text in found if text is not None)


def _check_type(_inst: object, _attr: object, value: str | None) -> None:
    if value is not None and value not in CSL_TYPES:
        raise SourceError(
            f"unknown CSL item type {value!r}{_close(value, CSL_TYPES)}; CSL 1.0.2 types: "
            + ", ".join(sorted(CSL_TYPES))
        )


@attrs.frozen
class SourceMeta:
    """Bibliographic metadata of a source: a CSL-JSON item (CSL 1.0.2) without its id.

    The common fields have attributes of their own; :attr:`names` holds the CSL name variables
    as name objects, and :attr:`extra` every other CSL variable as text (numbers as their
    digits, dates other than :attr:`issued` as ISO text, or as written when not a date).

    ``author`` may be given as display names (``"Ryan Browne"``, kept as a literal name, or
    ``"Browne, Ryan"``, read as family and given names) or as name objects in
    ``names["author"]``; if both are given they must agree. Either way :attr:`author` holds the
    display names (:func:`display_name`). :meth:`to_csl` and :meth:`from_csl` convert to and
    from CSL-JSON exactly: ``SourceMeta.from_csl(m.to_csl()) == m``.
    """

    title: str | None = attrs.field(default=None, converter=_optional_text)
    container_title: str | None = attrs.field(default=None, converter=_optional_text)
    publisher: str | None = attrs.field(default=None, converter=_optional_text)
    author: tuple[str, ...] = attrs.field(default=(), converter=_author_texts)
    issued: str | None = attrs.field(
        default=None, converter=_optional_text, validator=_check_issued
    )
    url: str | None = attrs.field(default=None, converter=_optional_text)
    #: the CSL item type (``article-newspaper``, ``report``, ``webpage`` …)
    type: str | None = attrs.field(default=None, converter=_optional_text, validator=_check_type)
    #: CSL ``title-short``
    title_short: str | None = attrs.field(default=None, converter=_optional_text)
    #: CSL name variable → its name objects (each with some of :data:`NAME_PARTS`, as text)
    names: Names = attrs.field(factory=_FrozenMap, converter=_names)
    #: every other CSL variable → its value as text
    extra: Mapping[str, str] = attrs.field(factory=_FrozenMap, converter=_extra)

    def __attrs_post_init__(self) -> None:
        objects = self.names.get("author", ())
        if self.author:
            given = tuple(_name_from_text(a) for a in self.author)
            if not objects:
                objects = given
                names = {**self.names, "author": given}
                object.__setattr__(self, "names", _names(names))
            elif [display_name(n) for n in objects] != [display_name(n) for n in given]:
                raise SourceError(
                    f"author {list(self.author)!r} and names['author'] "
                    f"{[display_name(n) for n in objects]!r} disagree; give one of them"
                )
        object.__setattr__(self, "author", tuple(display_name(n) for n in objects))

    @property
    def venue(self) -> str | None:
        """Where the source appeared: the container title, else the publisher."""
        return self.container_title or self.publisher

    @classmethod
    def from_csl(cls, data: Mapping[str, Any], *, where: str = "metadata") -> SourceMeta:
        """Build from a CSL-JSON item as Zotero or pandoc write it (or a catalog entry).

        Keys are CSL 1.0.2 variables plus ``type``; ``id`` and ``citation-key`` are ignored,
        ``shortTitle`` is read as ``title-short`` and ``journalAbbreviation`` as
        ``container-title-short``. Names are CSL name objects or text; dates are CSL date
        objects (one date in ``date-parts``, or ``raw``/``literal``), ISO text or dates.
        Numbers become text. Anything else is a :class:`~briefkit.errors.SourceError` that
        starts with ``where``.
        """
        if not isinstance(data, Mapping):
            raise SourceError(f"{where}: must be a mapping of CSL-JSON fields, got {_kind(data)}")
        try:
            return cls._from_csl(data)
        except SourceError as exc:
            raise SourceError(f"{where}: {exc}") from None

    @classmethod
    def _from_csl(cls, data: Mapping[str, Any]) -> SourceMeta:
        unknown = sorted(str(k) for k in data if k not in _KNOWN)
        if unknown:
            raise SourceError(
                "unknown metadata field(s) "
                + ", ".join(f"{k!r}{_close(k, _KNOWN - set(_ALIASES))}" for k in unknown)
                + "; fields are CSL 1.0.2 variables (and type)"
            )
        values = {k: v for k, v in data.items() if k not in _ALIASES and k not in _IGNORED}
        for alias, csl in _ALIASES.items():
            if data.get(alias) in (None, ""):
                continue
            if values.get(csl) not in (None, "", data[alias]):
                raise SourceError(f"{csl!r} and {alias!r} are both given, and differ")
            values[csl] = data[alias]
        fields: dict[str, Any] = {}
        for csl, attr in _CSL_FIELDS.items():
            value = values.pop(csl, None)
            fields[attr] = _date(value, csl) if csl == "issued" else _text_or_none(value, csl)
        if not isinstance(data.get("type", ""), str):
            raise SourceError(f"field 'type' must be text, got {_kind(data['type'])}")
        names = {
            var: _name_list(values.pop(var), var) for var in CSL_NAME_VARIABLES if var in values
        }
        return cls(**fields, names=names, extra=values)

    def to_csl(self) -> dict[str, Any]:
        """The CSL-JSON item (without ``id``): only what is set, in a fixed order (type, title,
        title-short, container-title, publisher, the name variables in CSL order, issued, URL,
        then the other variables sorted by name); dates as ``date-parts`` (a date variable
        that is not an ISO date as ``literal``)."""
        out: dict[str, Any] = {}
        for csl, value in (
            ("type", self.type),
            ("title", self.title),
            ("title-short", self.title_short),
            ("container-title", self.container_title),
            ("publisher", self.publisher),
        ):
            if value:
                out[csl] = value
        for var, names in self.names.items():
            out[var] = [dict(n) for n in names]
        if self.issued:
            out["issued"] = _csl_date(self.issued)
        if self.url:
            out["URL"] = self.url
        for key, text in self.extra.items():
            out[key] = _csl_date(text) if key in _CSL_DATES else text
        return out


#: Words of three letters or fewer that a shouted title writes in lower case (unless first):
#: articles, coordinating conjunctions and short prepositions.
_FUNCTION_WORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "and",
        "but",
        "or",
        "nor",
        "for",
        "so",
        "yet",
        "as",
        "at",
        "by",
        "in",
        "of",
        "off",
        "on",
        "per",
        "to",
        "up",
        "via",
        "vs",
    }
)
_BARE_WORD = re.compile(r"([^\w]*)([^\W\d_]+)([^\w]*)\Z")
_WORD_BREAK = re.compile(r"([ \-/\u2010\u2011\u2013\u2014])")
_MAX_TITLE = 100


def _shortened(line: str) -> str:
    return line if len(line) <= _MAX_TITLE else line[: _MAX_TITLE - 1].rstrip() + "…"


def _capitalised(word: str) -> str:
    """``word`` with every letter after its first in lower case (its first is upper case
    already, or has no case)."""
    first = next((i for i, c in enumerate(word) if c.isalpha()), len(word))
    return word[: first + 1] + word[first + 1 :].lower()


def _unshouted(line: str) -> str:
    """``line`` (whitespace collapsed) in readable case, if it is shouted: it has at least two
    upper-case letters and no lower-case letter. See :meth:`Source.fallback_title`."""
    letters = [c for c in line if c.isalpha()]
    if sum(c.isupper() for c in letters) < 2 or any(c.islower() for c in letters):
        return line
    pieces = _WORD_BREAK.split(line)  # words at even indices, separators at odd ones
    first = True
    for i in range(0, len(pieces), 2):
        word = pieces[i]
        count = sum(c.isalpha() for c in word)
        bare = _BARE_WORD.match(word)
        if count >= 4:
            word = _capitalised(word)
        elif bare and bare.group(2).lower() in _FUNCTION_WORDS:
            word = _capitalised(word) if first else word.lower()
        pieces[i] = word
        if count:
            first = False
        if word.endswith(":"):
            first = True
    return "".join(pieces)


def _first_line(text: str) -> str:
    """The first non-empty line, whitespace collapsed, unshouted, shortened to 100
    characters."""
    m = _FIRST_LINE.search(text)
    line = " ".join(m.group().split()) if m else ""
    line = _ATX.sub("", line)  # a Markdown heading's marks are not part of its title
    return _shortened(_unshouted(line))


_ATX = re.compile(r"\A#{1,6} (?=\S)|(?<=\S) #+\Z")


def _title_from_id(source_id: str) -> str:
    """The file name without its last suffix, ``_`` and ``-`` read as spaces (else the id)."""
    name = source_id.rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    words = stem.replace("_", " ").replace("-", " ").split()
    return _shortened(" ".join(words)) if words else source_id


@attrs.frozen(eq=False)
class Source:
    """One source file: its id, canonical text, hash, metadata, and how it was read.

    Build one with :meth:`from_bytes`, :meth:`from_text` or :meth:`from_file`, or take it from a
    :class:`Corpus`. Two sources are equal when id, content hash, reader and metadata are
    equal.
    """

    id: str = attrs.field(validator=lambda _i, _a, v: check_id(v))
    text: str = attrs.field(repr=False)
    sha256: str
    size: int
    bom: bool = False
    meta: SourceMeta = attrs.field(factory=SourceMeta)
    #: the reader that made the text (name, version, options, library)
    reader: ReaderRecord = attrs.field(factory=ReaderRecord)
    #: where each page begins (PDF sources)
    pages: tuple[Mark, ...] = attrs.field(default=(), repr=False, converter=marks)
    #: where each section begins (headings and numbered paragraphs of HTML, DOCX, Markdown)
    sections: tuple[Mark, ...] = attrs.field(default=(), repr=False, converter=marks)
    #: whether citations may name paragraphs (blocks separated by blank lines)
    paragraphs: bool = attrs.field(default=False, repr=False)
    #: the file's path relative to the corpus root when it is not the id (a name with spaces…)
    path: str | None = None
    #: the title and URL the file gives itself (HTML ``<title>`` and canonical link, PDF or
    #: DOCX document title), used when the metadata has none
    doc_title: str | None = attrs.field(default=None, repr=False)
    doc_url: str | None = attrs.field(default=None, repr=False)
    _index: TextIndex = attrs.field(init=False, repr=False)
    #: the title notes name the source by (see :meth:`fallback_title` when the catalog has none)
    title: str = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_index", TextIndex(self.text, byte_base=3 if self.bom else 0))
        if self.doc_url and not self.meta.url:  # the address the page gives itself
            object.__setattr__(self, "meta", attrs.evolve(self.meta, url=self.doc_url))
        object.__setattr__(
            self,
            "title",
            self.meta.title or self.doc_title or self.fallback_title(self.id, self.text),
        )

    @property
    def text_sha256(self) -> str:
        """The sha256 of the canonical text (UTF-8): what verify compares to notice that a
        reader now extracts other text from the same file."""
        return self._index.derived(
            "text_sha256",
            lambda: hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest(),
        )

    @staticmethod
    def fallback_title(source_id: str, text: str) -> str:
        """The title of a source whose metadata has none. Deterministic (verify re-derives it):

        * the first non-empty line of ``text`` (its first character not whitespace or a
          control), whitespace runs collapsed to one space, without the marks of a Markdown
          heading (``# Fees`` → ``Fees``);
        * if that line is shouted — at least two upper-case letters and no lower-case letter —
          it is recased word by word, words being what lies between spaces, hyphens, slashes
          and en or em dashes: a word with four or more letters keeps its first letter and has
          the rest lower-cased (``GENERAL`` → ``General``, ``LICENSE,`` → ``License,``); a word
          of one to three letters, with nothing but punctuation around them, that is an
          article, coordinating conjunction or short preposition (``a an the and but or nor for
          so yet as at by in of off on per to up via vs``) is lower-cased, or only capitalised
          when it is the line's first word with letters or follows a word ending in ``:``;
          every other word stays as written (``GNU``, ``USA``, ``U.S.``):
          ``GNU GENERAL PUBLIC LICENSE`` → ``GNU General Public License``,
          ``U.S.-JAPAN TALKS: THE ROAD TO TOKYO`` → ``U.S.-Japan Talks: The Road to Tokyo``;
        * a line longer than 100 characters is cut to 99 and ends with ``…``;
        * with no such line: the file name without its last suffix, ``_`` and ``-`` read as
          spaces (``reports/annual_report-2016.txt`` → ``annual report 2016``), or the id if
          that leaves nothing.
        """
        return _first_line(text) or _title_from_id(source_id)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Source):
            return NotImplemented
        return (self.id, self.sha256, self.bom, self.meta, self.reader) == (
            other.id,
            other.sha256,
            other.bom,
            other.meta,
            other.reader,
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
        reader: SourceReader | None = None,
        path: str | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> Source:
        """Read raw bytes with ``reader``, by default the reader that claims the id's (or
        ``path``'s) suffix, else the text reader (strict UTF-8, one BOM removed and
        recorded)."""
        check_id(source_id)
        if len(data) > max_bytes:
            raise SourceTooLargeError(
                f"{source_id}: {len(data)} bytes is over the limit of {max_bytes} bytes "
                "(pass max_bytes= to allow larger sources)"
            )
        if reader is None:
            reader = reader_for(path or source_id) or TextReader()
        got = reader.read(data, where=source_id)
        return cls(
            id=source_id,
            text=got.text,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            bom=got.bom,
            meta=meta or SourceMeta(),
            reader=reader.record(),
            pages=got.pages,
            sections=got.sections,
            paragraphs=got.paragraphs,
            path=path if path != source_id else None,
            doc_title=" ".join(got.title.split())[:_MAX_TITLE] if got.title else None,
            doc_url=got.url,
        )

    @classmethod
    def from_text(cls, source_id: str, text: str, *, meta: SourceMeta | None = None) -> Source:
        """A source whose raw bytes are ``text`` encoded as UTF-8 (no BOM), read by the reader
        its id's suffix names (as the file would be: ``notes.md`` by the Markdown reader),
        else as text."""
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
        reader: SourceReader | None = None,
        relative: str | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> Source:
        """Load one file with ``reader`` (by default the one that claims its suffix, else the
        text reader); its id defaults to the file name made safe (:func:`id_for_path`).
        ``relative`` is its path under the corpus root, recorded when it is not the id."""
        p = Path(path)
        sid = source_id if source_id is not None else id_for_path(p.name)
        check_id(sid)
        if reader is None:
            reader = reader_for(p.name) or TextReader()
        try:
            if p.is_dir():
                raise IsADirectoryError
            if p.exists() and not p.is_file():  # a FIFO or device would block or never end
                raise SourceError(f"{sid}: {str(p)!r} is not a regular file")
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
        except OSError as exc:
            raise SourceError(f"{sid}: cannot read {str(p)!r}: {exc.strerror or exc}") from None
        return cls.from_bytes(
            sid, data, meta=meta, reader=reader, path=relative, max_bytes=max_bytes
        )

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
        """A span from UTF-8 byte offsets into the raw file (a BOM counts) of a text source,
        or into the UTF-8 of the canonical text of a source another reader made; refuses
        offsets inside a character."""
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
        measure: str | None = None,
    ) -> Figure:
        """A :class:`~briefkit.excerpts.Figure`: ``value`` as written in the source.

        The span is the unique occurrence of ``within`` (a passage that contains the value),
        or of ``value`` itself, or ``start``–``end``. ``measure`` names the quantity it
        measures, so that figures of the same measure are compared across sources.
        """
        from briefkit.excerpts import Figure

        if within is None and start is None and end is None:
            within = value
        span = self._span(within, start, end, normalize)
        return Figure(self, span.start, span.end, value=value, unit=unit, measure=measure)


def _yaml_without_aliases(text: str, path: Path) -> Any:
    """The catalog's YAML, read safely without aliases (:class:`briefkit._yaml.BoundedLoader`:
    a catalog never needs them, and a few nested ones make billions of nodes)."""
    import yaml  # only a folder with a YAML catalog needs it

    from briefkit._yaml import AliasError, BoundedLoader

    class _CatalogLoader(BoundedLoader):
        what = "a catalog"

    try:
        return yaml.load(text, Loader=_CatalogLoader)  # a SafeLoader that refuses aliases
    except AliasError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        raise SourceError(
            f"{path}: line {line}: the catalog uses a YAML alias (*{exc.anchor}); write the "
            "value out instead"
        ) from None


def _load_catalog(root: Path) -> tuple[str | None, dict[str, SourceMeta]]:
    for name in CATALOG_NAMES:
        path = root / name
        if path.is_file():
            break
    else:
        return None, {}
    if not path.resolve().is_relative_to(root.resolve()):
        raise SourceError(f"{path}: the catalog is a link that leads out of the sources folder")
    try:
        size = path.stat().st_size
        if size > MAX_CATALOG_BYTES:
            raise SourceError(
                f"{path}: the catalog is {size} bytes, over the limit of {MAX_CATALOG_BYTES}"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read the catalog: {exc.strerror or exc}") from None
    try:
        if name.endswith(".json"):
            import json

            data = json.loads(raw.decode("utf-8"))
        else:
            data = _yaml_without_aliases(raw.decode("utf-8"), path)
    except SourceError:
        raise
    except RecursionError:
        raise SourceError(f"{path}: the catalog is nested too deeply") from None
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
        sid = id_for_path(check_path(str(key)))  # a file name as it is, or its id
        if sid in metas:
            raise SourceError(f"{where}: a second entry for the source {sid!r}")
        metas[sid] = SourceMeta.from_csl(value or {}, where=where)
    return name, metas


def _merged(known: Mapping[str, Any], fields: Mapping[str, Any]) -> dict[str, Any]:
    """CSL-JSON ``known`` with ``fields`` overriding it field by field (``shortTitle`` in
    ``fields`` overrides ``title-short`` in ``known``, and so on)."""
    merged = dict(known)
    for key in fields:
        merged.pop(_ALIASES.get(key, key), None)
    return {**merged, **fields}


class Corpus(Mapping[str, Source]):
    """A set of sources keyed by id. From a folder, sources load lazily and are then cached."""

    __slots__ = (
        "_loaded",
        "_max_bytes",
        "_metas",
        "_order",
        "_paths",
        "_readers",
        "root",
        "unclaimed",
    )

    def __init__(
        self,
        sources: Iterable[Source] = (),
        *,
        root: Path | None = None,
        ids: Iterable[str] = (),
        metas: Mapping[str, SourceMeta] | None = None,
        paths: Mapping[str, str] | None = None,
        readers: Mapping[str, SourceReader] | None = None,
        unclaimed: Iterable[str] = (),
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self.root = root
        self._max_bytes = max_bytes
        self._metas = dict(metas or {})
        self._paths = dict(paths or {})
        self._readers = {k.lower(): v for k, v in (readers or {}).items()}
        #: what :meth:`from_dir` left out: files no reader claims, and folders (ending in
        #: ``/``) that are links out of the root (relative paths)
        self.unclaimed: tuple[str, ...] = tuple(unclaimed)
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
        suffixes: Iterable[str] | None = None,
        readers: Mapping[str, SourceReader] | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> Corpus:
        """Every file under ``root`` that a reader claims (by suffix; ``readers`` maps a suffix
        such as ``".html"`` to a reader of your own or one made with options), except hidden
        files and folders and the catalog; with ``suffixes`` only files with one of them.

        Nothing is skipped silently: files no reader claims are listed in :attr:`unclaimed`,
        and a file that cannot be read is an error naming it when it is loaded (:meth:`load`
        reads every file at once). A file whose name is not a safe id (spaces, accents …)
        gets one made from its name (:func:`id_for_path`); two names that would share an id
        are an error naming both. Metadata comes from ``catalog.yaml`` (or ``.yml``/``.json``)
        in ``root`` when present: a mapping of source id (or file name) to CSL-JSON fields."""
        base = Path(root)
        if not base.is_dir():
            raise SourceNotFoundError(f"sources folder {str(base)!r} does not exist")
        base = base.resolve()
        catalog_name, metas = _load_catalog(base)
        own = {k.lower(): v for k, v in (readers or {}).items()}
        wanted = tuple(s.lower() for s in suffixes) if suffixes is not None else None
        ids: list[str] = []
        paths: dict[str, str] = {}
        unclaimed: list[str] = []
        seen_dirs: set[tuple[int, int]] = set()
        for dirpath, dirnames, filenames in os.walk(base, followlinks=True):
            here = os.stat(dirpath)
            if (here.st_dev, here.st_ino) in seen_dirs:  # a symlink loop: walked already
                dirnames[:] = []
                continue
            seen_dirs.add((here.st_dev, here.st_ino))
            rel_dir = Path(dirpath).relative_to(base)
            inside = []
            for d in sorted(dirnames):
                if d.startswith("."):
                    continue
                if Path(dirpath, d).resolve().is_relative_to(base):
                    inside.append(d)
                else:  # a link out of the folder: not followed, but not hidden either
                    unclaimed.append((rel_dir / d).as_posix().removeprefix("./") + "/")
            dirnames[:] = inside
            for name in sorted(filenames):
                if name.startswith(".") or (rel_dir == Path(".") and name == catalog_name):
                    continue
                rel = (rel_dir / name).as_posix().removeprefix("./")
                lower = name.lower()
                if wanted is not None and not lower.endswith(wanted):
                    continue
                claimed = any(lower.endswith(k) for k in own) or reader_for(name) is not None
                if not claimed:
                    unclaimed.append(rel)
                    continue
                sid = id_for_path(rel)
                if sid in paths or sid in ids:
                    other = paths.get(sid, sid)
                    raise SourceError(
                        f"{base}: the files {other!r} and {rel!r} would both have the id "
                        f"{sid!r}; rename one of them"
                    )
                ids.append(sid)
                if sid != rel:
                    paths[sid] = rel
        unknown = sorted(set(metas) - set(ids))
        if unknown:
            raise SourceError(
                f"{base / (catalog_name or 'catalog')}: metadata for source(s) not in the folder: "
                + ", ".join(unknown)
            )
        return cls(
            root=base,
            ids=ids,
            metas=metas,
            paths=paths,
            readers=own,
            unclaimed=unclaimed,
            max_bytes=max_bytes,
        )

    @classmethod
    def from_files(
        cls,
        root: str | os.PathLike[str],
        ids: Iterable[str],
        *,
        metadata: Mapping[str, Mapping[str, Any]] | None = None,
        readers: Mapping[str, SourceReader] | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> Corpus:
        """Only the files at the relative paths ``ids`` under ``root`` (the folder is not
        walked); each gets its id from its path (:func:`id_for_path`: the path itself when it
        is a safe id). Metadata comes from the catalog in ``root``, and ``metadata`` (CSL-JSON
        fields by id) overrides it field by field. A missing file is a
        :class:`~briefkit.errors.SourceNotFoundError`."""
        base = Path(root)
        if not base.is_dir():
            raise SourceNotFoundError(f"sources folder {str(base)!r} does not exist")
        base = base.resolve()
        _, metas = _load_catalog(base)
        paths: dict[str, str] = {}
        for rel in sorted(set(ids)):
            sid = id_for_path(rel)
            if sid in paths and paths[sid] != rel:
                raise SourceError(
                    f"{base}: the files {paths[sid]!r} and {rel!r} would both have the id "
                    f"{sid!r}; rename one of them"
                )
            if not resolve_path(base, rel).is_file():
                raise SourceNotFoundError(f"no file {rel!r} under {str(base)!r}")
            paths[sid] = rel
        for sid, fields in (metadata or {}).items():
            if sid not in paths:
                raise SourceError(f"metadata for {sid!r}, which is not one of the files")
            known = metas[sid].to_csl() if sid in metas else {}
            metas[sid] = SourceMeta.from_csl(_merged(known, fields), where=f"metadata of {sid}")
        return cls(
            root=base,
            ids=sorted(paths),
            metas=metas,
            paths={k: v for k, v in paths.items() if k != v},
            readers=readers,
            max_bytes=max_bytes,
        )

    def without(self, *source_ids: str) -> Corpus:
        """This corpus without the sources ``source_ids``."""
        drop = set(source_ids)
        return Corpus(
            (s for sid, s in self._loaded.items() if sid not in drop),
            root=self.root,
            ids=[sid for sid in self._order if sid not in drop],
            metas=self._metas,
            paths={k: v for k, v in self._paths.items() if k not in drop},
            readers=self._readers,
            unclaimed=self.unclaimed,
            max_bytes=self._max_bytes,
        )

    def path_of(self, source_id: str) -> str:
        """The path (relative to the root) of the file of ``source_id``."""
        return self._paths.get(source_id, source_id)

    def _reader(self, rel: str) -> SourceReader | None:
        lower = rel.lower()
        best = max((k for k in self._readers if lower.endswith(k)), key=len, default=None)
        return self._readers[best] if best else None

    def __getitem__(self, source_id: str) -> Source:
        loaded = self._loaded.get(source_id)
        if loaded is not None:
            return loaded
        if source_id not in self._order or self.root is None:
            check_id(source_id)
            close = difflib.get_close_matches(source_id, self._order, n=3)
            hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
            raise SourceNotFoundError(f"no source {source_id!r} in the corpus{hint}")
        rel = self.path_of(source_id)
        source = Source.from_file(
            resolve_path(self.root, rel),
            source_id=source_id,
            meta=self._metas.get(source_id),
            reader=self._reader(rel),
            relative=rel,
            max_bytes=self._max_bytes,
        )
        self._loaded[source_id] = source
        return source

    def load(self) -> list[Source]:
        """Every source, read now (the first file that cannot be read is an error naming
        it)."""
        return [self[sid] for sid in self._order]

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, source_id: object) -> bool:
        return source_id in self._loaded or source_id in self._order

    def __repr__(self) -> str:
        where = f" at {str(self.root)!r}" if self.root else ""
        return f"<Corpus{where}: {len(self)} sources>"
