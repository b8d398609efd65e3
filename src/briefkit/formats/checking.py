"""What every format's checker shares: the document a manifest describes, piece by piece, and
the accounting of a file's visible text against it.

:func:`outline` turns a manifest into the pieces a reader sees, in reading order: the title
block, headings, each sentence (with its analysis flag and note number), block-quote
attributions, the bibliography's entries and the sources appendix. A format's checker renders
the pieces the way its writer does (labels in the language the manifest records, note marks)
and hands them with the text its reader extracted to :func:`account`, which walks both in
step. Every visible character must belong to the piece
expected at that point: text before, between or after the pieces is *unlinked text*; a piece
that is not where it should be is *missing* or *differs*. Whitespace is not compared (layout
decides it), but it is kept in what the problems quote.

Notes are each format's own to check (:func:`note_text_problem`); where a format carries each
note's citations out of sight as well (HTML's ``data-cites``, DOCX's citation bookmarks, the
``/BriefkitCites`` of a PDF note's back link, a Markdown footnote's trailing
``<!-- cites: … -->`` comment), they are compared with the manifest's by :func:`cites_problem`.

This module is public: a plug-in's exporter gets a checker (``check(path, manifest)``) by
rendering :func:`outline` as it writes and handing the pieces to :func:`account`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, TypeAlias

import attrs

from briefkit._text import display, split_lines
from briefkit._typography import isolate
from briefkit.errors import BriefkitError, ReadError
from briefkit.locales import DEFAULT_LOCALE, Locale
from briefkit.manifest import Manifest, ManifestImage, ManifestSentence, ManifestTable
from briefkit.plan import (
    byline,
    figure_label,
    safe_url,
    source_details,
    source_record,
    table_caption,
)
from briefkit.problems import Problem

__all__ = [
    "Checked",
    "Expected",
    "Piece",
    "PieceKind",
    "account",
    "bibliography_label",
    "cite_token",
    "cites_problem",
    "common_prefix",
    "diff",
    "embedded_or_given",
    "emphasis_problems",
    "link_problems",
    "locale_of",
    "longest_prefix_found",
    "note_text_problem",
    "outline",
    "shown_lines",
    "squash",
    "table_pieces",
]

PieceKind: TypeAlias = Literal[
    "title",
    "subtitle",
    "byline",
    "heading",
    "sentence",
    "attribution",
    "caption",
    "header",
    "cell",
    "image",
    "contents",
    "source",
    "entry",
]


@attrs.frozen
class Checked:
    """What a format's checker found: the manifest embedded in the file (or the one given
    to it) and the problems with what a reader of the file sees."""

    manifest: Manifest
    problems: tuple[Problem, ...] = ()


@attrs.frozen
class Piece:
    """One piece of the document a manifest describes. ``level`` is a heading's depth (1 for
    a top-level section or the key points); ``sentence`` is set for sentences and their
    attributions; ``url`` for a source entry with a link. A table's pieces (its ``caption``,
    each ``header`` label, each ``cell`` label and each sentence in a cell) carry the
    ``table`` they belong to and their ``row`` (0 for the header row, and the caption) and
    ``column`` (1-based; 0 for the caption). An image is an ``image`` piece, its label
    (``Figure 2.``), then its caption sentence, both carrying the ``image``."""

    kind: PieceKind
    text: str
    sentence: ManifestSentence | None = None
    level: int = 0
    url: str | None = None
    table: ManifestTable | None = None
    row: int = 0
    column: int = 0
    image: ManifestImage | None = None

    @property
    def label(self) -> str:
        """How problems name the piece."""
        if self.sentence is not None and self.kind == "sentence":
            return f"sentence {self.sentence.id}"
        return f"the {self.kind} {_short(self.text)}"


def outline(manifest: Manifest) -> list[Piece]:
    """The pieces of the body of the document ``manifest`` describes, in reading order
    (notes are not among them: each format places them its own way). A table is its caption
    (``Table 2. <caption>`` in the manifest's language), its header labels, then its cells
    row by row. A table of contents (when the brief has one) follows the title block: a
    ``contents`` piece of level 0 (its label), then one ``contents`` piece per heading, of the
    heading's level (a format with pages adds the page numbers). An image is its label
    (``Figure 2.``) and then its caption sentence; the image itself, its alt text and its
    bytes are each format's to check against the manifest's ``images``. Headings and labels
    are in the language the manifest records (:func:`locale_of`); the bibliography, when the
    brief has one, is a heading and an ``entry`` piece per entry as the style wrote it. The
    sources appendix's record of each source (``Source …, sha256 …, cited n times.``, see
    :func:`~briefkit.plan.source_record`) is English in every language and every format: it
    is an audit record, not prose of the brief."""
    brief = manifest.brief
    pieces: list[Piece] = [Piece("title", str(brief["title"]))]
    if brief.get("subtitle"):
        pieces.append(Piece("subtitle", str(brief["subtitle"])))
    date = brief.get("date")
    locale = locale_of(manifest)
    labels = locale.labels
    author = brief.get("author")
    by = byline(str(author) if author else None, locale.date(str(date)) if date else None)
    if by:
        pieces.append(Piece("byline", by))
    numbers: tuple[int, ...] = ()
    key_points = False
    tables = manifest.table_of()
    images = manifest.image_of()
    by_id = {s.id: s for s in manifest.sentences}
    shown: set[int] = set()
    for sent in manifest.sentences:
        table = tables.get(sent.id) if sent.block == "cell" else None
        if table is not None and table.number in shown:
            continue
        if sent.block == "key_point":
            if not key_points:
                pieces.append(Piece("heading", labels["key_points"], level=1))
                key_points = True
        elif sent.section_number != numbers:
            same = 0
            while (
                same < min(len(numbers), len(sent.section_number))
                and numbers[same] == sent.section_number[same]
            ):
                same += 1
            for depth in range(same, len(sent.section)):
                pieces.append(Piece("heading", sent.section[depth], level=depth + 1))
            numbers = sent.section_number
        if table is not None:
            shown.add(table.number)
            pieces.extend(table_pieces(table, by_id, locale))
            continue
        image = images.get(sent.id) if sent.block == "caption" else None
        if image is not None:
            pieces.append(Piece("image", figure_label(locale, image.number), image=image))
            pieces.append(Piece("sentence", sent.text, sent, image=image))
            continue
        pieces.append(Piece("sentence", sent.text, sent))
        if sent.block == "quote":
            speaker = _block_quote_speaker(sent)
            if speaker:
                pieces.append(Piece("attribution", f"— {speaker}", sent))
    if brief.get("bibliography") and manifest.bibliography:
        pieces.append(Piece("heading", bibliography_label(manifest), level=1))
        records = {s.id: s for s in manifest.sources}
        for entry in manifest.bibliography:
            record = records.get(entry.source)
            url = safe_url(record.source_meta) if record is not None else None
            pieces.append(Piece("entry", entry.text, url=url))
    if brief.get("sources_appendix") and manifest.sources:
        pieces.append(Piece("heading", labels["provenance"], level=1))
        for n, src in enumerate(manifest.sources, 1):
            meta = src.source_meta
            details = source_details(meta, locale)
            text = f"{n}. {isolate(src.title)}" + (f". {details}" if details else "")
            text += ". " + source_record(src.id, src.sha256, src.cited)
            url = safe_url(meta)
            pieces.append(Piece("source", text + (f" {url}" if url else ""), url=url))
    if brief.get("contents"):
        # after the title block: the label (level 0), then every heading that follows
        at = next(k for k, p in enumerate(pieces) if p.kind not in ("title", "subtitle", "byline"))
        listed = [
            Piece("contents", isolate(p.text), level=p.level) for p in pieces if p.kind == "heading"
        ]
        pieces[at:at] = [Piece("contents", labels["contents"]), *listed]
    return pieces


def table_pieces(
    table: ManifestTable, sentences: Mapping[str, ManifestSentence], locale: Locale
) -> list[Piece]:
    """A table's pieces in reading order: caption, header labels, then each row's cells."""
    out = [Piece("caption", table_caption(locale, table.number, table.caption), table=table)]
    for c, label in enumerate(table.header, 1):
        out.append(Piece("header", label, table=table, row=0, column=c))
    for r, row in enumerate(table.rows, 1):
        for c, cell in enumerate(row, 1):
            if cell.sentence is not None:
                sent = sentences[cell.sentence]
                out.append(Piece("sentence", sent.text, sent, table=table, row=r, column=c))
            else:
                out.append(Piece("cell", cell.text, table=table, row=r, column=c))
    return out


def locale_of(manifest: Manifest) -> Locale:
    """The language the document ``manifest`` describes is written in (English when the
    recorded tag is unknown; verify reports that separately)."""
    try:
        return Locale.named(str(manifest.brief.get("locale") or DEFAULT_LOCALE))
    except BriefkitError:
        return Locale.named(DEFAULT_LOCALE)


def bibliography_label(manifest: Manifest) -> str:
    """The bibliography's heading: ``References`` under an author-date style's entries."""
    in_text = manifest.brief.get("style_class") == "in-text"
    return locale_of(manifest).labels["references" if in_text else "bibliography"]


def _block_quote_speaker(sent: ManifestSentence) -> str | None:
    first = sent.parts[0] if sent.parts else None
    if first is None or first.kind != "quote" or first.citation is None:
        return None
    return sent.citations[first.citation].speaker


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# -- accounting ------------------------------------------------------------------------------


@attrs.frozen
class _Squashed:
    """A text without whitespace, and where each kept character stood in the original."""

    text: str
    where: tuple[int, ...]
    original: str

    @classmethod
    def of(cls, text: str, keep: Callable[[str], bool]) -> _Squashed:
        where = tuple(i for i, ch in enumerate(text) if keep(ch))
        return cls("".join(text[i] for i in where), where, text)

    def quote(self, start: int, end: int, limit: int = 60) -> str:
        """The original text behind squashed ``[start, end)``, shortened."""
        if start >= end:
            return "''"
        a = self.where[start]
        b = self.where[end - 1] + 1
        return _short(self.original[a:b], limit)


def _visible(ch: str) -> bool:
    return not ch.isspace()


@attrs.frozen
class Expected:
    """One piece :func:`account` expects: its text as the format shows it, how problems name
    it, and the sentence and note it belongs to (for the problems' fields)."""

    text: str
    label: str
    sentence: str | None = None
    note: int | None = None


#: How far ahead :func:`account` looks for a piece before it calls the piece changed.
_WINDOW = 4096


def account(
    visible: str,
    expected: Sequence[Expected | tuple[str, str]],
    *,
    keep: Callable[[str], bool] = _visible,
    where: str = "the document",
) -> list[Problem]:
    """Account for every character of ``visible`` with the ``expected`` pieces in reading
    order (:class:`Expected`, or ``(text, label)`` pairs); characters ``keep`` rejects
    (whitespace by default) are not compared. Returns a problem for each stretch of unlinked
    text (its message names the pieces on both sides; its ``sentence`` and ``note`` are those
    of the piece it follows, else of the one it precedes) and each piece that is missing or
    reads differently.

    A piece not at the reading position is *missing* when the next piece stands there, is
    preceded by *unlinked text* when it stands a little further on, and otherwise *differs*:
    reading then goes on after the piece's last characters when they stand close by."""
    seen = _Squashed.of(visible, keep)
    text = seen.text
    pieces = [
        e if isinstance(e, Expected) else Expected(e[0], e[1], _sentence_of(e[1])) for e in expected
    ]
    wants = ["".join(ch for ch in e.text if keep(ch)) for e in pieces]
    problems: list[Problem] = []
    cursor = 0
    previous: Expected | None = None

    def after() -> str:
        return previous.label if previous is not None else "the start"

    for k, (piece, want) in enumerate(zip(pieces, wants, strict=True)):
        if not want:
            continue
        if text.startswith(want, cursor):
            cursor += len(want)
            previous = piece
            continue
        following = next((w for w in wants[k + 1 :] if w), None)
        if following is not None and text.startswith(following, cursor):
            problems.append(
                Problem(
                    "missing",
                    f"{piece.label}: {where} does not show it (it should stand after {after()})",
                    sentence=piece.sentence,
                    note=piece.note,
                )
            )
            continue
        at = text.find(want, cursor, cursor + _WINDOW + len(want))
        if at > cursor:
            problems.append(
                Problem(
                    "unlinked-text",
                    f"unlinked text after {after()}, before {piece.label}, in {where}: "
                    f"{seen.quote(cursor, at)}",
                    sentence=_near(previous, piece, "sentence"),
                    note=_near(previous, piece, "note"),
                )
            )
            cursor = at + len(want)
            previous = piece
            continue
        # not there: say how it differs from what stands in its place, then go on after
        # the longest part of it that does stand here
        length = common_prefix(want, text, cursor)
        resync = _resync(want, text, cursor)
        stop = resync if resync is not None else min(len(text), cursor + len(want))
        if cursor < len(text):
            shown = seen.original[seen.where[cursor] : seen.where[stop - 1] + 1]
            detail = diff(piece.text, shown)
        else:
            detail = "nothing is there"
        problems.append(
            Problem(
                "differs" if cursor < len(text) else "missing",
                f"{piece.label}: {where} does not show it as the manifest says ({detail})",
                sentence=piece.sentence,
                note=piece.note,
            )
        )
        cursor = resync if resync is not None else cursor + length
        previous = piece
    if cursor < len(text):
        problems.append(
            Problem(
                "unlinked-text",
                f"unlinked text after {after()} in {where}: {seen.quote(cursor, len(text))}",
                sentence=previous.sentence if previous is not None else None,
                note=previous.note if previous is not None else None,
            )
        )
    return problems


def _near(before: Expected | None, after: Expected, field: str) -> Any:
    """The sentence or note of the piece before, else of the piece after."""
    value = getattr(before, field) if before is not None else None
    return value if value is not None else getattr(after, field)


def _resync(want: str, text: str, cursor: int) -> int | None:
    """Where reading goes on after a piece that reads differently: after its last 12
    characters when they stand close by, else ``None``."""
    tail = want[-12:]
    at = text.find(tail, cursor, cursor + len(want) * 2 + 64)
    return at + len(tail) if at >= 0 else None


def _sentence_of(label: str) -> str | None:
    return label.removeprefix("sentence ") if label.startswith("sentence ") else None


def common_prefix(want: str, text: str, at: int) -> int:
    """How many characters of ``want`` stand in ``text`` from ``at`` on."""
    n = min(len(want), len(text) - at)
    i = 0
    while i < n and want[i] == text[at + i]:
        i += 1
    return i


# -- shared helpers ----------------------------------------------------------------------------


def embedded_or_given(path: Path, given: Manifest | None, embedded: Manifest | None) -> Manifest:
    """The manifest a checker holds a file to: the one given to verify, else the one the file
    embeds; neither is a :class:`~briefkit.errors.ReadError` naming the file."""
    found = given or embedded
    if found is None:
        raise ReadError(f"{str(path)!r}: no briefkit provenance manifest is embedded")
    return found


def _runs(items: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """``(text, kind)`` pairs with the text squashed, empty ones dropped and neighbours of the
    same kind joined: how a reader tells runs apart (a writer may cut one into several)."""
    out: list[tuple[str, str]] = []
    for text, kind in items:
        text = squash(shown_lines(text))
        if not text:
            continue
        if out and out[-1][1] == kind:
            out[-1] = (out[-1][0] + text, kind)
        else:
            out.append((text, kind))
    return out


def _inline_problem(
    code: str,
    sent: ManifestSentence,
    head: str,
    want: list[tuple[str, str]],
    seen: list[tuple[str, str]],
    what: Callable[[str], str],
) -> list[Problem]:
    if want == seen:
        return []
    k = next((i for i, (w, s) in enumerate(zip(want, seen, strict=False)) if w != s), None)
    if k is None:
        k = min(len(want), len(seen))
    if k < len(seen):
        text, kind = seen[k]
        message = f"{head} shows {_short(text)} {what(kind)}"
        if k < len(want):
            message += f"; the manifest has {_short(want[k][0])} {what(want[k][1])} there"
        else:
            message += ", which none of its parts is in the manifest"
    else:
        text, kind = want[k]
        message = f"{head} does not show {_short(text)} {what(kind)}, as the manifest has it"
    return [Problem(code, message, sentence=sent.id)]


def emphasis_problems(
    sent: ManifestSentence, seen: Sequence[tuple[str, str]], head: str | None = None
) -> list[Problem]:
    """Whether a sentence shows exactly the emphasis its manifest parts give. ``seen`` is what
    a format's reader found emphasised in the sentence, in order: ``(text, style)`` with style
    ``em`` (italics) or ``strong`` (bold). Text is compared without whitespace, and neighbouring
    runs of one style are one. Emphasis on anything else — a quotation's words above all, which
    must be shown as the source has them — or missing emphasis is an ``emphasis`` problem."""
    want = _runs([(p.text, p.style) for p in sent.parts if p.style is not None])
    return _inline_problem(
        "emphasis",
        sent,
        head or f"sentence {sent.id}",
        want,
        _runs(seen),
        lambda style: "in bold" if style == "strong" else "in italics",
    )


def link_problems(
    sent: ManifestSentence, seen: Sequence[tuple[str, str]], head: str | None = None
) -> list[Problem]:
    """Whether a sentence's links to web pages are exactly its manifest's link parts, in order,
    each around its text and leading to its address. ``seen`` is what a format's reader found:
    ``(text, address)`` of each external link in the sentence (not its cross-references).
    Anything else is a ``link`` problem."""
    want = _runs([(p.text, p.href) for p in sent.parts if p.href is not None])
    return _inline_problem(
        "link",
        sent,
        head or f"sentence {sent.id}",
        want,
        _runs(seen),
        lambda href: f"as a link to {_short(href)}",
    )


def shown_lines(text: str, joiner: str = "\n") -> str:
    """``text`` as the writers show it: XML-illegal characters pictured, every newline style
    one break (``joiner``)."""
    return joiner.join(display(line) for line in split_lines(text))


def squash(text: str) -> str:
    """``text`` without whitespace (layout decides it)."""
    return "".join(text.split())


_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")

#: Tokens compared on each side of the first difference (keeps the diff linear in size).
_DIFF_WINDOW = 200


def diff(old: str, new: str) -> str:
    """A short word-level description of how ``old`` became ``new``."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    lead = 0
    while lead < min(len(a), len(b)) and a[lead] == b[lead]:
        lead += 1
    trail = 0
    while trail < min(len(a), len(b)) - lead and a[-1 - trail] == b[-1 - trail]:
        trail += 1
    a, b = a[lead : len(a) - trail], b[lead : len(b) - trail]
    if len(a) > _DIFF_WINDOW or len(b) > _DIFF_WINDOW:  # too long to align: show the start
        a, b = a[:_DIFF_WINDOW], b[:_DIFF_WINDOW]
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    parts = []
    for op, a0, a1, b0, b1 in sm.get_opcodes():
        if op == "equal":
            continue
        parts.append(f"{op} {''.join(a[a0:a1])!r} -> {''.join(b[b0:b1])!r}")
        if len(parts) == 3:
            break
    return "; ".join(parts)


def longest_prefix_found(want: str, text: str, pos: int) -> tuple[int, int]:
    """The longest prefix of ``want`` that occurs in ``text`` at or after ``pos``: its length
    and where (``(0, -1)`` when not even the first character does)."""
    lo, hi, at = 0, len(want), -1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        found = text.find(want[:mid], pos)
        if found >= 0:
            lo, at = mid, found
        else:
            hi = mid - 1
    return lo, at


def note_text_problem(
    number: int | str, sent: ManifestSentence, visible: str | None, expected: str
) -> Problem | None:
    """A visible note must read exactly as the manifest's note."""
    note = sent.note
    if visible is None:
        return Problem(
            "note-missing",
            f"note {number} (sentence {sent.id}): the footnote is missing",
            sentence=sent.id,
            note=note,
        )
    if visible != expected:
        return Problem(
            "note-differs",
            f"note {number} (sentence {sent.id}): the visible footnote differs from the "
            f"manifest: {diff(expected, visible)}",
            sentence=sent.id,
            note=note,
        )
    return None


# -- the citations a note carries out of sight -------------------------------------------------


def cite_token(source: str, start: int, end: int) -> str:
    """One citation as a note carries it out of sight (HTML's ``data-cites``, a DOCX
    footnote's citation records, a PDF back link's ``/BriefkitCites``; a Markdown cites
    comment percent-encodes ``SOURCE``): ``SOURCE:START-END``. Source ids hold neither spaces
    nor colons."""
    return f"{source}:{start}-{end}"


def cites_problem(
    sent: ManifestSentence, carried: Sequence[str] | None, carrier: str
) -> Problem | None:
    """A ``note-cites`` problem when the citations a note carries out of sight (``carried``:
    one :func:`cite_token` each, in the note's order; ``None`` when the note carries none at
    all) are not exactly its sentence's citations, in order. ``carrier`` names where they
    are kept (``its data-cites attribute``)."""
    want = [cite_token(c.source, c.start, c.end) for c in sent.citations]
    got = list(carried) if carried is not None else None
    if got == want:
        return None
    head = f"note {sent.note} (sentence {sent.id}):"
    if got is None:
        detail = f"{carrier} is gone; the manifest has {len(want)} citation(s)"
    elif sorted(got) == sorted(want):
        detail = f"{carrier} lists the citations in another order: {got} (the manifest: {want})"
    else:
        missing = _less(want, got)
        extra = _less(got, want)
        found: list[str] = []
        if len(missing) == len(extra) == 1:
            found.append(f"{missing[0]!r} reads {extra[0]!r}")
        else:
            if missing:
                found.append(f"{', '.join(map(repr, missing))} missing")
            if extra:
                found.append(f"{', '.join(map(repr, extra))} not the sentence's")
        if not found:  # the same citations, one of them repeated
            found.append(f"it lists {got}")
        detail = f"{carrier} differs from the manifest's citations: {'; '.join(found)}"
    first = next(
        (k for k, (a, b) in enumerate(zip(want, got or (), strict=False), 1) if a != b),
        min(len(want), len(got or ())) + 1,
    )
    return Problem(
        "note-cites",
        f"{head} {detail}",
        sentence=sent.id,
        note=sent.note,
        citation=first if first <= len(want) else None,
    )


def _less(items: Sequence[str], minus: Sequence[str]) -> list[str]:
    """``items`` without one occurrence of each item of ``minus``."""
    left = list(items)
    for item in minus:
        if item in left:
            left.remove(item)
    return left
