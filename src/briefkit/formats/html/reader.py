"""Read a briefkit HTML page back: its embedded manifest, its visible notes and sentences.

Independent of the writer: it parses the page with the standard library's ``html.parser`` and
collects what a reader sees — the text of each element with an ``s-<id>`` id (a sentence),
the text of each note (``.note-text`` inside ``li#fn-N``) and every note mark
(``a[role=doc-noteref]``) with the sentence it stands in. Note marks and back links are left
out of the sentence and note texts; ``<br>`` reads as a newline.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser

import attrs
from attrs import evolve

from briefkit import manifest as _manifest
from briefkit.errors import ManifestError, ReadError
from briefkit.manifest import Manifest
from briefkit.plan import LABELS

__all__ = [
    "MANIFEST_ID",
    "MAX_HTML_BYTES",
    "HtmlContents",
    "NoteMark",
    "decode_utf8",
    "read_html",
    "read_limited",
]

MAX_HTML_BYTES = 512 * 1024 * 1024
MANIFEST_ID = "briefkit-provenance"

_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)
_NOTE_ID = re.compile(r"fn-(\d+)\Z")
_ANALYSIS = f"{LABELS['analysis']}:"


@attrs.frozen
class NoteMark:
    """A note mark in the body, in reading order."""

    ordinal: int  # 1-based position among all marks
    label: str  # the text shown, e.g. "3"
    target: str | None  # where it links, e.g. "#fn-3"
    sentence: str | None  # the id of the sentence it stands in


@attrs.frozen
class HtmlContents:
    manifest: Manifest | None
    notes: dict[int, str]  # note number -> visible note text
    marks: tuple[NoteMark, ...]
    sentences: dict[str, str]  # sentence id -> visible text (analysis label and marks left out)
    duplicate_ids: tuple[str, ...] = ()  # element ids that occur more than once
    labelled: frozenset[str] = frozenset()  # sentences right after an "Analysis:" label
    note_order: tuple[int, ...] = ()  # note numbers of the endnote items, in page order


@attrs.frozen
class _Context:
    """What the text at one point of the page belongs to."""

    sentence: str | None = None
    note: int | None = None
    note_text: bool = False
    hidden: bool = False  # inside a note mark or back link
    mark: int | None = None  # index into marks while inside a note mark
    manifest: bool = False
    label: bool = False  # inside a <strong class="label">


_TOP = _Context()


class _Parser(HTMLParser):
    def __init__(self, label: str) -> None:
        super().__init__(convert_charrefs=True)
        self.label = label
        self.stack: list[tuple[str, _Context]] = []
        self.open_count: dict[str, int] = {}
        self.ids: set[str] = set()
        self.duplicates: list[str] = []
        self.sentences: dict[str, list[str]] = {}
        self.notes: dict[int, list[str]] = {}
        self.marks: list[tuple[list[str], str | None, str | None]] = []
        self.manifest_parts: list[str] | None = None
        self.label_text: list[str] = []
        self.label_pending = False  # an analysis label was the last thing shown
        self.labelled: set[str] = set()
        self.note_order: list[int] = []

    @property
    def here(self) -> _Context:
        return self.stack[-1][1] if self.stack else _TOP

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found: dict[str, str] = {}
        for key, value in attrs:
            found.setdefault(key, value or "")
        ctx = self.here
        el_id = found.get("id")
        if el_id is not None:
            if el_id in self.ids:
                self.duplicates.append(el_id)
            self.ids.add(el_id)
        if tag == "br":
            self._text("\n")
        if tag in _VOID:
            return
        classes = found.get("class", "").split()
        role = found.get("role")
        if tag == "script" and el_id == MANIFEST_ID:
            if self.manifest_parts is not None:
                raise ReadError(f"{self.label}: more than one provenance manifest")
            self.manifest_parts = []
            ctx = evolve(ctx, manifest=True)
        elif el_id is not None and el_id.startswith("s-"):
            ctx = evolve(ctx, sentence=el_id[2:])
            self.sentences.setdefault(el_id[2:], [])
            if self.label_pending and ctx.sentence is not None:
                self.labelled.add(ctx.sentence)
            self.label_pending = False
        elif tag == "li" and el_id is not None and _NOTE_ID.match(el_id):
            ctx = evolve(ctx, note=int(el_id[3:]), note_text=False)
            self.note_order.append(int(el_id[3:]))
        if tag == "strong" and "label" in classes and ctx.sentence is None:
            self.label_text = []
            ctx = evolve(ctx, label=True)
        if "note-text" in classes and ctx.note is not None:
            self.notes.setdefault(ctx.note, [])
            ctx = evolve(ctx, note_text=True)
        if tag == "a" and role == "doc-noteref":
            self.marks.append(([], found.get("href"), ctx.sentence))
            ctx = evolve(ctx, hidden=True, mark=len(self.marks) - 1)
        elif tag == "a" and role == "doc-backlink":
            ctx = evolve(ctx, hidden=True, mark=None)
        self.stack.append((tag, ctx))
        self.open_count[tag] = self.open_count.get(tag, 0) + 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open_count.get(tag):
            return  # a stray end tag closes nothing
        while self.stack:  # pops never outnumber pushes: linear over the whole page
            open_tag, ctx = self.stack.pop()
            self.open_count[open_tag] -= 1
            if ctx.label and not self.here.label:
                self.label_pending = "".join(self.label_text).strip() == _ANALYSIS
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        ctx = self.here
        if ctx.manifest and self.manifest_parts is not None:
            self.manifest_parts.append(data)
            return
        if ctx.mark is not None:
            self.marks[ctx.mark][0].append(data)
        self._text(data)

    def _text(self, data: str) -> None:
        ctx = self.here
        if ctx.hidden or ctx.manifest:
            return
        if ctx.label:
            self.label_text.append(data)
        elif data.strip():
            self.label_pending = False
        if ctx.sentence is not None:
            self.sentences.setdefault(ctx.sentence, []).append(data)
        if ctx.note is not None and ctx.note_text:
            self.notes.setdefault(ctx.note, []).append(data)


def decode_utf8(data: bytes, label: str) -> str:
    """Strict UTF-8 text (one leading BOM dropped), naming ``label`` when it is not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(
            f"{label}: not UTF-8 text (byte offset {exc.start}: {exc.reason})"
        ) from None


def read_limited(source: str | os.PathLike[str] | bytes, label: str, limit: int) -> bytes:
    """The bytes of ``source`` (a path or bytes), refusing more than ``limit``."""
    if isinstance(source, bytes):
        data = source
    else:
        try:
            size = os.path.getsize(source)
            if size > limit:
                raise ReadError(f"{label}: {size} bytes is larger than {limit}")
            with open(source, "rb") as fh:
                data = fh.read(limit + 1)
        except OSError as exc:
            raise ReadError(f"{label}: cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise ReadError(f"{label}: more than {limit} bytes")
    return data


def read_html(
    source: str | os.PathLike[str] | bytes,
    *,
    where: str | None = None,
    max_bytes: int = MAX_HTML_BYTES,
) -> HtmlContents:
    """Read an HTML page (path or bytes) written by briefkit."""
    label = where or (os.fspath(source) if not isinstance(source, bytes) else "<html>")
    page = decode_utf8(read_limited(source, label, max_bytes), label)
    parser = _Parser(label)
    try:
        parser.feed(page)
        parser.close()
    except ReadError:
        raise
    except Exception as exc:  # html.parser has no error type of its own
        raise ReadError(f"{label}: not readable as HTML ({type(exc).__name__}: {exc})") from None
    manifest = None
    if parser.manifest_parts is not None:
        try:
            manifest = _manifest.parse("".join(parser.manifest_parts))
        except ManifestError as exc:
            raise ReadError(f"{label}: the embedded provenance manifest: {exc}") from None
    return HtmlContents(
        manifest=manifest,
        notes={n: "".join(parts) for n, parts in parser.notes.items()},
        marks=tuple(
            NoteMark(i, "".join(text), href, sentence)
            for i, (text, href, sentence) in enumerate(parser.marks, 1)
        ),
        sentences={sid: "".join(parts) for sid, parts in parser.sentences.items()},
        duplicate_ids=tuple(dict.fromkeys(parser.duplicates)),
        labelled=frozenset(parser.labelled),
        note_order=tuple(parser.note_order),
    )
