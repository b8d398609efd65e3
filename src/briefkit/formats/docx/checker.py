"""Check a written DOCX: its embedded manifest, and what a reader of the document sees, against
that manifest.

Every visible character of the body must be accounted for by the document the manifest
describes, rendered as the DOCX writer renders it: the title block, headings, each sentence
(with its *Analysis:* label in the manifest's language), block-quote attributions, table
captions, the tables, the bibliography and the sources appendix; footnote marks are not text
and list bullets are numbering. Each sentence bookmark must hold exactly its sentence, in the
manifest's order; each noted sentence must carry exactly one footnote reference, at its end
(inside its bookmark, or right after it in the same paragraph: LibreOffice ends the bookmark of
a paragraph's last sentence before its mark when it saves), numbered as the manifest says,
whose footnote reads exactly the manifest's note and carries, out of sight, exactly its
sentence's citations (one hidden bookmark ``_bkc<note>_<k>`` per citation, and the custom
document property of that name recording ``SOURCE:START-END``); every footnote must be
referenced. Whatever the reader found hidden or outside the body's reading order (hidden or
deleted text, text boxes, fields, comments, headers and footers that are not the page
furniture briefkit wrote …) is a problem too, and one inside a table names its cell.

Tables. The N-th table of the body that stands in no other table is the manifest's table N,
and is checked as a grid, not as running text (a cell moved to another row may still read in
order): the paragraph right before it must read its caption (``Table N. <caption>`` in the
manifest's language) and its alternative text, when it has one, the same; it must stand after
the sentence the manifest puts before it (``table-place``); it must have the manifest's rows,
each with one cell per column, none spanning columns or merged (``table-shape`` names each row
or cell too many or too few, and a column added to or taken from every row once); row 1 must
show the header labels and each further row the manifest's cells, column by column — a label
exactly, a sentence cell exactly its sentence, with that sentence's bookmark and no other
(``differs``, naming the table, row and column; a sentence's own text is reported by its
bookmark, naming its cell); and it must show no text outside its cells. A table the manifest
does not have is reported (``table-shape``), and its text is accounted for as running text; a
table the document lacks is ``missing``. Rows are matched by their common head and tail, so an
added or removed row is reported as such, not as every row after it differing.

Images. A figure's label (``Figure N.`` in the manifest's language) and caption sentence are
accounted for like any text and sentence (a caption sentence's problems name ``the caption of
figure N``). Each body picture belongs to the figure whose caption sentence is the first that
follows it (a picture in a table belongs to none). Each of the manifest's figures must have
one: none is ``missing`` (or ``image-place`` when its image stands elsewhere); it must embed an
image part whose sha256 is the manifest's (``image-differs``, also for an image linked from
outside or cropped, or shown out of its proportions), have the manifest's alt text as its
``wp:docPr`` description, and no other title (``alt-text``), be seen (``hidden-text``: hidden,
or shown narrower than a quarter of its width at 96 dpi or of an inch, whichever is less) and
stand in the line (``image-place``: not
floating over the page). Every other picture of the body is ``image-added``, naming it the
document's figure N.

Table of contents. When the manifest has one, the document's first ``TOC`` field is it: its
instruction must be :data:`._container.TOC_FIELD` (``field``: another would list other text
when Word updates it), no sentence may stand before it (``contents-place``), and its result
must list the manifest's headings, one paragraph each, in order (matched by common head and
tail: an entry that reads otherwise ``differs``, one added is ``contents``, one removed
``missing``; page numbers Word adds are not text), each entry's links leading to its heading's
bookmark — or to a bookmark in the same paragraph, as Word's ``_Toc…`` bookmarks are
(``link``). Its label is accounted for like any text. Without a ``TOC`` field the entries are
accounted for as text, and the file is reported (``contents``); a ``TOC`` field the manifest
does not have is a ``field`` problem, its entries unlinked text.

Cross-references. Each internal hyperlink inside a sentence's bookmark must be one of the
sentence's cross-references (a text part with a ``ref``), in order, around exactly its text,
leading to the bookmark of that anchor (``link`` otherwise: a link to another bookmark, or
around other text), and that bookmark must be in the document. A reference shown as plain
text is accounted for as text and not reported. A cross-reference with its page (the part's
``page``) reads, in the sentence and in its link, as :func:`briefkit.plan.page_ref` has it in
the manifest's language, with the reader's page (:class:`~.reader.PageField`) where the page
number stands: the page number itself is not text (Word and LibreOffice write it) and is not
compared. The page field must show the page of the reference's target's bookmark
(``PAGEREF <bookmark>``, with no switch but ``\\h`` and number formats); a field pointed at
another bookmark, or a page field that is the page of none of the manifest's cross-references
with their page, is ``page-ref``. A page phrase removed, or a field moved out of the
reference's link or showing words, leaves other text (``sentence-differs``, ``link``; the field
is then a ``field`` finding).

Emphasis. A stretch of a sentence is in italics (``em``) when its italics differ from what the
sentence's plain text shows — what its paragraph shows text with no formatting of its own,
turned over by the ``Analysis`` character style in an analysis sentence (the writer turns the
italics over, so emphasis there is upright) — and in bold (``strong``) when its bold does;
whether through the run's own formatting, a character style or anything else. The *Analysis:*
label is not read. Each sentence must show exactly its manifest's emphasis
(:func:`~briefkit.formats.checking.emphasis_problems`, code ``emphasis``): emphasis on a
quotation or any other words, or emphasis gone, is reported. Outside the sentences the only
emphasis is what the writer sets whatever the template says — tables' header labels and the
sources' titles in bold — and the sources' links; anything else (a heading's bold taken away,
italics in a caption's label …) is ``emphasis``, and so is any emphasis in a footnote. The body
of a document without any sentence bookmark is not read for emphasis (which text is a
sentence, and which an analysis, is unknown there): the accounting speaks for its text.

Links. The links out of the document inside a sentence's bookmark must be exactly its
manifest's links, in order, each around its text and leading to its address
(:func:`~briefkit.formats.checking.link_problems`, code ``link``); an address is compared as
RFC 3986 normalizes it (scheme and host in any case, unreserved characters percent-encoded or
not, ``/`` for an empty path: LibreOffice writes ``https://example.org`` as
``https://example.org/``). Outside the sentences (and the table of contents) the only links out
of the document are the sources appendix's, in order, each around its source's URL and leading
to it (in a document without sentence bookmarks, the sentences' links are looked for among them
too); any other, and any link in a footnote, is ``link``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from briefkit._text import display
from briefkit._typography import isolate
from briefkit.formats import checking
from briefkit.formats.checking import (
    Checked,
    Piece,
    account,
    cites_problem,
    diff,
    embedded_or_given,
    locale_of,
    note_text_problem,
    outline,
    shown_lines,
    squash,
)
from briefkit.formats.docx._container import (
    CITE_BOOKMARK,
    TOC_FIELD,
    anchor_bookmark,
    cite_bookmark,
    page_bookmark,
    page_phrase,
    property_value,
)
from briefkit.formats.docx._picture import EMU_PER_PIXEL
from briefkit.formats.docx.reader import (
    PAGE_MARK,
    BodyCell,
    BodyLink,
    BodyPicture,
    BodyTable,
    ContentsField,
    DocxContents,
    Finding,
    NoteReference,
    PageField,
    Stretch,
    read_docx,
)
from briefkit.locales import Locale
from briefkit.manifest import (
    Manifest,
    ManifestImage,
    ManifestPart,
    ManifestSentence,
    ManifestTable,
)
from briefkit.plan import table_caption
from briefkit.problems import Problem

__all__ = ["DocxChecker", "check", "problems"]

_T = TypeVar("_T")
_U = TypeVar("_U")

#: Problems of the sentence bookmarks that say all there is to say about a sentence.
_SENTENCE_CODES = frozenset({"sentence-differs", "sentence-missing", "analysis-label"})


def check(path: Path, manifest: Manifest | None = None) -> Checked:
    """Read the DOCX at ``path`` and compare what it shows with its manifest (or with
    ``manifest`` when one is given)."""
    contents = read_docx(path)
    found = embedded_or_given(path, manifest, contents.manifest)
    return Checked(found, tuple(problems(contents, found)))


def problems(contents: DocxContents, manifest: Manifest) -> list[Problem]:
    """Every way what a reader of the document sees differs from ``manifest``."""
    doc = _Document(contents, manifest)
    found = [doc.finding_problem(f) for f in contents.findings]
    sentences = doc.sentence_problems()
    tables, captions = doc.table_problems()
    images = doc.image_problems()
    listing = doc.contents_problems()
    links = doc.link_problems()
    emphasis = doc.emphasis_problems()
    # a bookmarked sentence is checked exactly, and its place by the order of the bookmarks:
    # the accounting adds only what lies outside them (and the pieces that have none); the
    # tables the manifest has are checked cell by cell, their captions by the accounting
    # too (a caption the table's check found wrong is not reported once more)
    checked = {p.sentence for p in sentences if p.code in _SENTENCE_CODES}
    if doc.marked:
        checked |= set(contents.bookmarks)
    accounted = [
        p
        for p in account(doc.visible(), doc.expected())
        if not (
            p.code in ("differs", "missing")
            and (p.sentence in checked or _caption_of(p.message) in captions)
        )
    ]
    return [
        *found,
        *accounted,
        *sentences,
        *tables,
        *images,
        *listing,
        *links,
        *emphasis,
        *doc.note_problems(),
    ]


#: How the accounting names a table's caption.
_CAPTION_LABEL = re.compile(r"the caption of table (\d+) \(")

#: A place in a table: ``(table, row, column)``; row 0 is the header row.
Cell = tuple[int, int, int]


def _caption_of(message: str) -> int | None:
    """The table whose caption an accounting problem's message begins with, if any."""
    found = _CAPTION_LABEL.match(message)
    return int(found[1]) if found is not None else None


def _row_name(row: int) -> str:
    return "header row" if row == 0 else f"row {row}"


def _where(table: int, row: int, column: int) -> str:
    """``table 2, row 3, column 1``."""
    return f"table {table}, {_row_name(row)}, column {column}"


def _label(manifest: Manifest) -> str:
    """The analysis label as the writer shows it, in the manifest's language: ``Analysis:``."""
    return f"{locale_of(manifest).labels['analysis']}:"


def _rendered(piece: Piece, label: str, locale: Locale | None = None) -> str:
    """A piece as the DOCX writer shows it (whitespace aside: layout decides it)."""
    if piece.kind == "sentence" and piece.sentence is not None:
        return _sentence_text(piece.sentence, label, locale)
    return shown_lines(piece.text)


def _piece_label(piece: Piece) -> str:
    """How problems name a piece (a table's caption by its table's number, an image's label
    by its figure's)."""
    if piece.kind == "caption" and piece.table is not None:
        return f"the caption of table {piece.table.number} ({_quote(piece.text, 40)})"
    if piece.kind == "image" and piece.image is not None:
        return f"the label of figure {piece.image.number} ({_quote(piece.text, 40)})"
    if piece.kind == "contents":
        what = "the label of the table of contents" if not piece.level else "the contents entry"
        return f"{what} {_quote(piece.text, 40)}"
    return piece.label


def _sentence_text(sent: ManifestSentence, label: str, locale: Locale | None = None) -> str:
    """A sentence's bookmark as the writer fills it: the label run, a space, the text
    (:func:`_shown_text`)."""
    text = _shown_text(sent, locale)
    return f"{label} {text}" if sent.analysis else text


def _paged(part: ManifestPart) -> bool:
    """Whether a part is a cross-reference that shows its target's page."""
    return part.ref is not None and part.page


def _shown_text(sent: ManifestSentence, locale: Locale | None) -> str:
    """A sentence's text as the writer shows it: each cross-reference with its page (given
    ``locale``) as :func:`briefkit.plan.page_ref` has it, the page read as
    :data:`~.reader.PAGE_MARK`."""
    if locale is None or not any(_paged(p) for p in sent.parts):
        return shown_lines(sent.text)
    chunks: list[str] = []
    current: list[str] = []
    for p in sent.parts:
        if _paged(p):
            before, after = page_phrase(locale, p.text)
            chunks.append("".join([*current, before]))
            current = [after]
        else:
            current.append(p.text)
    chunks.append("".join(current))
    return PAGE_MARK.join(shown_lines(chunk) for chunk in chunks)


def _reference_text(part: ManifestPart, locale: Locale) -> str:
    """A cross-reference as the writer shows it in its link (whitespace aside)."""
    if not _paged(part):
        return squash(shown_lines(part.text))
    before, after = page_phrase(locale, part.text)
    return squash(shown_lines(before) + PAGE_MARK + shown_lines(after))


def _readable(text: str) -> str:
    """Text as problems show it: a page reference's page as ``<page>``."""
    return text.replace(PAGE_MARK, "<page>")


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(_readable(text).split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


class _Document:
    """What the reader found, seen through the manifest's sentence ids."""

    def __init__(self, contents: DocxContents, manifest: Manifest) -> None:
        self.contents = contents
        self.manifest = manifest
        self.sentences: Mapping[str, ManifestSentence] = {s.id: s for s in manifest.sentences}
        self.owners = [self.owner(s.marks) for s in contents.stretches]
        # prefix tables, so that placing each finding and reference is a lookup (not a scan
        # of everything before it: quadratic on a document of many findings)
        #: the last sentence bookmark among the first k bookmarks that start, for each k
        self._last_started: list[str | None] = [None]
        for name in contents.bookmarks:
            last = name if name in self.sentences else self._last_started[-1]
            self._last_started.append(last)
        #: the owner of the last owned stretch among the first k stretches, for each k
        self._last_owner: list[str | None] = [None]
        for holder in self.owners:
            self._last_owner.append(holder if holder is not None else self._last_owner[-1])
        #: footnote id -> its first reference
        self._first_reference: dict[int, NoteReference] = {}
        for ref in contents.references:
            self._first_reference.setdefault(ref.footnote_id, ref)
        self.marked = any(name in self.sentences for name in contents.bookmarks)
        self.label = _label(manifest)
        self.locale = locale_of(manifest)
        # the notes with a citation record among the document properties, read once so that
        # each note's check is a lookup
        self.recorded_notes = frozenset(
            int(found[1])
            for name in contents.properties
            if (found := CITE_BOOKMARK.match(name)) is not None
        )

    def owner(self, marks: Sequence[str]) -> str | None:
        """The sentence whose bookmark is the innermost of ``marks`` naming a sentence."""
        return next((m for m in reversed(marks) if m in self.sentences), None)

    @cached_property
    def pieces(self) -> list[Piece]:
        """The document the manifest describes, piece by piece (:func:`outline`)."""
        return outline(self.manifest)

    @cached_property
    def cells(self) -> dict[str, Cell]:
        """The cell each table sentence stands in, by sentence id."""
        return {
            c.sentence: (t.number, r, k)
            for t in self.manifest.tables
            for r, row in enumerate(t.rows, 1)
            for k, c in enumerate(row, 1)
            if c.sentence is not None
        }

    def place(self, sent: ManifestSentence) -> str:
        """Where a sentence stands, as problems name it: its table cell, the figure it
        captions, or its place."""
        cell = self.cells.get(sent.id)
        if cell is not None:
            return _where(*cell)
        image = self.captions.get(sent.id)
        return f"the caption of figure {image.number}" if image is not None else sent.place

    @cached_property
    def captions(self) -> dict[str, ManifestImage]:
        """The image each caption sentence captions, by sentence id."""
        return self.manifest.image_of()

    def near(self, marks: Sequence[str], started: int) -> tuple[str | None, str]:
        """The sentence something stands in or after, and how to say so."""
        inside = self.owner(marks)
        if inside is not None:
            return inside, f"in sentence {inside}"
        before = self._last_started[min(max(started, 0), len(self._last_started) - 1)]
        if before is not None:
            return before, f"after sentence {before}"
        return None, "before the first sentence"

    # hidden and foreign content

    def finding_problem(self, f: Finding) -> Problem:
        text = f": {_quote(f.text)}" if f.text.strip() else ""
        if f.note is not None:
            ref = self._first_reference.get(f.note)
            owner = self.owner(ref.marks) if ref is not None else None
            number = ref.ordinal if ref is not None else f.note
            whose = f" (sentence {owner})" if owner else ""
            sent = self.sentences.get(owner) if owner else None
            return Problem(
                f.code,
                f"{f.what} in footnote {number}{whose}{text}",
                sentence=owner,
                note=sent.note if sent is not None else None,
            )
        if f.paragraph is not None:
            sentence, where = self.near(f.marks, f.started)
            cell = f"{_where(*f.cell)}; " if f.cell is not None else ""
            return Problem(
                f.code,
                f"{f.what} {where} ({cell}body paragraph {f.paragraph}){text}",
                sentence=sentence,
            )
        return Problem(f.code, f"{f.what}{text}")

    # the accounting of the body

    def expected(self) -> list[tuple[str, str]]:
        """The pieces the accounting expects, in reading order: all but the tables' headers
        and cells (each table's own check accounts for them). A sentence whose bookmark the
        document has is expected as its bookmark shows it: its own check says how that
        differs from the manifest, the accounting only what lies around it (a changed
        sentence would otherwise be looked for further on, where the same words may stand
        again)."""
        shown = self.shown if self.marked else {}
        listed = self.toc is not None  # its entries are checked one by one
        out = []
        for piece in self.pieces:
            sent = piece.sentence
            if piece.table is not None and piece.kind != "caption":
                continue
            if listed and piece.kind == "contents" and piece.level:
                continue
            if piece.kind == "sentence" and sent is not None and sent.id in shown:
                text = shown[sent.id]
            else:
                text = _rendered(piece, self.label, self.locale)
            out.append((text, _piece_label(piece)))
        return out

    def visible(self) -> str:
        """The body's visible text but that of the tables the manifest has (the first as
        many tables of the document as the manifest has: each is checked cell by cell)."""
        stretches = self.contents.stretches
        skip = [t.stretches for t in self.contents.tables[: len(self.manifest.tables)]]
        if self.toc is not None:  # its entries are checked one by one
            skip = sorted([*skip, self.toc.stretches])
        out: list[str] = []
        at = 0
        last: int | None = None
        for start, end in [*skip, (len(stretches), len(stretches))]:
            for stretch in stretches[at:start]:
                if last is not None and stretch.paragraph != last:
                    out.append("\n")
                last = stretch.paragraph
                out.append(stretch.text)
            at = max(at, end)
        return "".join(out)

    # the sentence bookmarks

    @cached_property
    def shown(self) -> dict[str, str]:
        """The visible text inside each sentence's bookmark (a new paragraph as a break)."""
        parts: dict[str, list[str]] = {}
        paragraph: dict[str, int] = {}
        for stretch, owner in zip(self.contents.stretches, self.owners, strict=True):
            if owner is None:
                continue
            if owner in paragraph and paragraph[owner] != stretch.paragraph:
                parts[owner].append("\n")
            paragraph[owner] = stretch.paragraph
            parts.setdefault(owner, []).append(stretch.text)
        return {owner: "".join(texts) for owner, texts in parts.items()}

    def sentence_problems(self) -> list[Problem]:
        """Each sentence bookmark must hold exactly its sentence, in the manifest's order."""
        if not self.marked:  # not bookmarked at all: the accounting alone speaks for them
            return []
        shown = self.shown
        present = set(self.contents.bookmarks)
        out: list[Problem] = []
        for sent in self.manifest.sentences:
            if sent.id not in present:
                out.append(
                    Problem(
                        "sentence-missing",
                        f"sentence {sent.id} ({self.place(sent)}): not found in the document "
                        "(its bookmark is gone)",
                        sentence=sent.id,
                    )
                )
                continue
            out += _sentence_text_problems(
                sent, shown.get(sent.id, ""), self.label, self.place(sent), self.locale
            )
        return out + self.order_problems()

    def order_problems(self) -> list[Problem]:
        order = list(dict.fromkeys(n for n in self.contents.bookmarks if n in self.sentences))
        rank = {s.id: k for k, s in enumerate(self.manifest.sentences)}
        keep = set(_increasing(order, rank))
        out = []
        for k, sid in enumerate(order):
            if sid in keep:
                continue
            after = f"after sentence {order[k - 1]}" if k else "first"
            index = rank[sid]
            want = self.manifest.sentences[index - 1].id if index else None
            should = f"after sentence {want}" if want else "first"
            out.append(
                Problem(
                    "sentence-order",
                    f"sentence {sid} is out of order: the document shows it {after}, the "
                    f"manifest puts it {should}",
                    sentence=sid,
                )
            )
        return out

    # tables

    def table_problems(self) -> tuple[list[Problem], set[int]]:
        """The N-th table of the body (in no other table) against the manifest's table N: its
        caption right before it, its place among the sentences, its rows and columns, and
        each cell's text and sentence. Returns the problems, and the tables whose caption
        they report."""
        found = self.contents.tables
        out: list[Problem] = []
        captions: set[int] = set()
        locale = locale_of(self.manifest)
        for k, table in enumerate(self.manifest.tables):
            caption = shown_lines(table_caption(locale, table.number, table.caption))
            if k < len(found):
                check = _TableCheck(self, table, caption, found[k])
                out += check.problems()
                if check.caption_reported:
                    captions.add(table.number)
                continue
            first = _first_sentence(table)
            out.append(
                Problem(
                    "missing",
                    f"table {table.number} ({_quote(caption)}): the document does not show it "
                    f"(it has {len(found)} table(s))",
                    sentence=first,
                )
            )
        extra = found[len(self.manifest.tables) :]
        if extra:
            sentence, where = self.near((), extra[0].started)
            cells = " | ".join(c.text for row in extra[0].rows for c in row)
            out.append(
                Problem(
                    "table-shape",
                    f"the document shows {len(extra)} table(s) more than the manifest's "
                    f"{len(self.manifest.tables)}; the first stands {where}: {_quote(cells)}",
                    sentence=sentence,
                )
            )
        return out, captions

    @cached_property
    def rank(self) -> dict[str, int]:
        """Each sentence's place in the manifest's order, from 0."""
        return {s.id: k for k, s in enumerate(self.manifest.sentences)}

    @cached_property
    def present_before(self) -> list[str | None]:
        """For each manifest sentence (by rank), the last sentence before it whose bookmark
        the document has."""
        present = set(self.contents.bookmarks)
        out: list[str | None] = []
        last: str | None = None
        for sent in self.manifest.sentences:
            out.append(last)
            if sent.id in present:
                last = sent.id
        return out

    def last_sentence_before(self, started: int) -> str | None:
        """The last sentence whose bookmark starts among the first ``started`` bookmarks."""
        return self._last_started[min(max(started, 0), len(self._last_started) - 1)]

    # images

    @cached_property
    def _next_sentence(self) -> list[str | None]:
        """For each k, the first sentence bookmark among the bookmarks from the k-th on."""
        out: list[str | None] = [None] * (len(self.contents.bookmarks) + 1)
        for k in range(len(self.contents.bookmarks) - 1, -1, -1):
            name = self.contents.bookmarks[k]
            out[k] = name if name in self.sentences else out[k + 1]
        return out

    def image_problems(self) -> list[Problem]:
        """Each of the manifest's figures must show exactly one picture right before its
        caption — in the line of text, whole, seen — embedding the image of the manifest's
        sha256, with the manifest's alt text; no other picture may stand in the body."""
        pictures = self.contents.pictures
        nexts = self._next_sentence
        by_caption: dict[str, list[int]] = {}
        extra: list[int] = []
        for k, picture in enumerate(pictures):
            after = nexts[min(picture.started, len(nexts) - 1)]
            if picture.cell is None and after is not None and after in self.captions:
                by_caption.setdefault(after, []).append(k)
            else:
                extra.append(k)
        out: list[Problem] = []
        missing: list[ManifestImage] = []
        for image in self.manifest.images:
            found = by_caption.get(image.caption, [])
            if not found:
                missing.append(image)
                continue
            # the one that shows the manifest's image is the figure's; others are added
            mine = next((k for k in found if pictures[k].sha256 == image.sha256), found[0])
            extra += [k for k in found if k != mine]
            out += self.picture_problems(image, pictures[mine])
        extra.sort()
        for image in missing:
            # its image elsewhere: moved, not removed
            moved = next((k for k in extra if pictures[k].sha256 == image.sha256), None)
            if moved is None:
                out.append(
                    Problem(
                        "missing",
                        f"figure {image.number}: the document shows no image before its caption "
                        f"(sentence {image.caption}); the manifest's is {image.name!r}, sha256 "
                        f"{image.sha256[:12]}…",
                        sentence=image.caption,
                    )
                )
                continue
            extra.remove(moved)
            picture = pictures[moved]
            _, where = self.near(picture.marks, picture.started)
            cell = f" ({_where(*picture.cell)})" if picture.cell is not None else ""
            out.append(
                Problem(
                    "image-place",
                    f"figure {image.number}: its image stands {where}{cell}, not right before "
                    f"its caption (sentence {image.caption})",
                    sentence=image.caption,
                )
            )
        figures = len(self.manifest.images)
        for k in extra:
            picture = pictures[k]
            sentence, where = self.near(picture.marks, picture.started)
            cell = f" ({_where(*picture.cell)})" if picture.cell is not None else ""
            before = nexts[min(picture.started, len(nexts) - 1)]
            near = self.captions.get(before) if before is not None else None
            if near is not None and picture.cell is None:
                where += f", a second image before the caption of figure {near.number}"
            out.append(
                Problem(
                    "image-added",
                    f"the document's figure {k + 1} is an image the manifest does not have "
                    f"(the manifest has {figures} figure{'' if figures == 1 else 's'}), "
                    f"{where}{cell}: {_picture_name(picture)}",
                    sentence=sentence,
                )
            )
        return out

    def picture_problems(self, image: ManifestImage, picture: BodyPicture) -> list[Problem]:
        """How the picture shown as figure ``image`` differs from the manifest's image."""
        name = f"figure {image.number}"
        out: list[Problem] = []

        def problem(code: str, message: str) -> None:
            out.append(Problem(code, f"{name}: {message}", sentence=image.caption))

        if picture.sha256 != image.sha256:
            if picture.sha256 is None:
                how = (
                    "links it from outside the file"
                    if picture.linked
                    else "has no image part for it"
                )
                problem(
                    "image-differs", f"the document does not embed its image (the picture {how})"
                )
            else:
                problem(
                    "image-differs",
                    f"the document shows another image ({picture.part}, sha256 "
                    f"{picture.sha256[:12]}…) than the manifest's ({image.name!r}, sha256 "
                    f"{image.sha256[:12]}…)",
                )
        want = _alt(image.alt)
        if picture.alt is None or _alt(picture.alt) != want:
            shown = "no alt text" if picture.alt is None else f"the alt text {_quote(picture.alt)}"
            problem(
                "alt-text",
                f"the picture has {shown} (which screen readers announce), not the manifest's "
                f"{_quote(image.alt)}",
            )
        if picture.title and _alt(picture.title) != want:
            problem(
                "alt-text",
                f"the picture's title (wp:docPr/@title, which screen readers announce) reads "
                f"{_quote(picture.title)}, not its alt text {_quote(image.alt)}",
            )
        if picture.hidden is not None:
            problem("hidden-text", f"the picture is hidden ({picture.hidden})")
        if not picture.inline:
            problem(
                "image-place",
                "the picture floats over the page (wp:anchor), where it may cover text, "
                "instead of standing in the line before its caption",
            )
        if picture.cropped:
            problem("image-differs", "the picture shows only part of its image (a:srcRect)")
        cx, cy = picture.size
        natural = (image.width * EMU_PER_PIXEL, image.height * EMU_PER_PIXEL)
        if (
            cx * natural[1] * 50 < cy * natural[0] * 49
            or cy * natural[0] * 50 < cx * natural[1] * 49
        ):
            problem(
                "image-differs",
                f"the picture is shown {cx}×{cy} EMU, out of the proportions of its "
                f"{image.width}×{image.height} pixels",
            )
        elif cx * 4 < min(natural[0], _INCH):
            problem("hidden-text", f"the picture is shown too small to see ({cx}×{cy} EMU)")
        return out

    # the table of contents

    @cached_property
    def toc(self) -> ContentsField | None:
        """The table of contents checked entry by entry: the document's first, when the
        manifest has one."""
        found = self.contents.contents
        return found[0] if found and self.manifest.brief.get("contents") else None

    def contents_problems(self) -> list[Problem]:
        """The table of contents must be one TOC field of the writer's instruction, before
        every sentence, whose result lists the manifest's headings, one paragraph each, in
        order, each linking to its heading's bookmark."""
        fields = self.contents.contents
        want = bool(self.manifest.brief.get("contents"))
        out: list[Problem] = []
        for field in fields[1 if want else 0 :]:
            sentence, where = self.near((), field.started)
            out.append(
                Problem(
                    "field",
                    f"a table of contents ({field.instruction}) the manifest does not have, "
                    f"{where}; Word rewrites its entries when it updates it",
                    sentence=sentence,
                )
            )
        toc = self.toc
        if not want:
            return out
        if toc is None:
            return [
                Problem(
                    "contents",
                    "the table of contents is not a TOC field (its entries are checked as "
                    "text only, and Word cannot update it)",
                )
            ]
        if " ".join(toc.instruction.split()) != TOC_FIELD:
            out.append(
                Problem(
                    "field",
                    f"the table of contents is the field {toc.instruction!r}, not "
                    f"{TOC_FIELD!r}: Word lists other text in it when it updates it",
                )
            )
        first = self.last_sentence_before(toc.started)
        if first is not None:
            out.append(
                Problem(
                    "contents-place",
                    f"the table of contents stands after sentence {first}; the manifest puts "
                    "it after the title block",
                    sentence=first,
                )
            )
        out += self.entry_problems(toc)
        return out

    def entry_problems(self, toc: ContentsField) -> list[Problem]:
        """The entries of the table of contents against the manifest's headings."""
        stretches = self.contents.stretches
        lines: dict[int, list[str]] = {}
        for stretch in stretches[toc.stretches[0] : toc.stretches[1]]:
            lines.setdefault(stretch.paragraph, []).append(stretch.text)
        found = [
            (paragraph, text)
            for paragraph, parts in lines.items()
            if (text := " ".join("".join(parts).split()))
        ]
        anchors = self.heading_anchors()
        want = [
            (" ".join(shown_lines(p.text).split()), anchor)
            for p, anchor in zip(
                (p for p in self.pieces if p.kind == "contents" and p.level),
                anchors,
                strict=False,
            )
        ]
        links: dict[int, list[BodyLink]] = {}
        low, high = toc.stretches
        for link in self.contents.links:
            if low <= link.stretches[0] < high:
                links.setdefault(link.paragraph, []).append(link)
        out: list[Problem] = []
        start, end_want, end_found = _trim(want, found, lambda w, f: w[0] == f[1])
        middle = min(end_want - start, end_found - start)
        for k in range(start, start + middle):
            text, _ = want[k]
            shown = found[k][1]
            out.append(
                Problem(
                    "differs",
                    f"contents entry {k + 1} reads {_quote(shown)}, the manifest's heading "
                    f"{_quote(text)}",
                )
            )
        added = found[start + middle : end_found]
        if added:
            out.append(
                Problem(
                    "contents",
                    f"the table of contents lists {_count(len(added), 'entry', plural='entries')} "
                    "the manifest has no heading for, "
                    + (f"after entry {start + middle}" if start + middle else "first")
                    + ": "
                    + _quote(" / ".join(text for _, text in added[:3])),
                )
            )
        for k in range(start + middle, end_want):
            out.append(
                Problem(
                    "missing",
                    f"contents entry {k + 1} ({_quote(want[k][0])}): the table of contents "
                    "does not list it",
                )
            )
        # each entry shown links to its heading
        pairs = [(k, k) for k in range(start)]
        pairs += [(k, k) for k in range(start, start + middle)]
        shift = end_found - end_want
        pairs += [(k, k + shift) for k in range(end_want, len(want))]
        for k, f in pairs:
            if f >= len(found) or k >= len(want):
                continue
            bookmark = want[k][1]
            for link in links.get(found[f][0], []):
                if bookmark is not None and not self.same_target(link, bookmark):
                    out.append(
                        Problem(
                            "link",
                            f"contents entry {k + 1} ({_quote(want[k][0])}) links to "
                            f"{_target(link)}, not to its heading ({bookmark!r})",
                        )
                    )
        return out

    def heading_anchors(self) -> list[str | None]:
        """The bookmark of each heading the outline shows, in order (None where the outline
        and the manifest's sections disagree: the heading's anchor is then unknown)."""
        brief = self.manifest.brief
        anchors: list[str] = []
        numbers: tuple[int, ...] = ()
        key_points = False
        tables = self.manifest.table_of()
        shown: set[int] = set()
        for sent in self.manifest.sentences:
            table = tables.get(sent.id) if sent.block == "cell" else None
            if table is not None and table.number in shown:
                continue
            if table is not None:
                shown.add(table.number)
            if sent.block == "key_point":
                if not key_points:
                    anchors.append("key-points")
                    key_points = True
            elif sent.section_number != numbers:
                same = 0
                while (
                    same < min(len(numbers), len(sent.section_number))
                    and numbers[same] == sent.section_number[same]
                ):
                    same += 1
                for depth in range(same, len(sent.section)):
                    path = sent.section_number[: depth + 1]
                    anchors.append("sec-" + "-".join(map(str, path)))
                numbers = sent.section_number
        if brief.get("bibliography") and self.manifest.bibliography:
            anchors.append("bibliography")
        if brief.get("sources_appendix") and self.manifest.sources:
            anchors.append("sources")
        headings = [p for p in self.pieces if p.kind == "heading"]
        if len(headings) != len(anchors):
            return [None] * len(headings)
        return [anchor_bookmark(a, self.sentences) for a in anchors]

    # links

    @cached_property
    def bookmark_paragraph(self) -> dict[str, int]:
        """The body paragraph each bookmark (the first of its name) starts in."""
        out: dict[str, int] = {}
        for name, paragraph in zip(
            self.contents.bookmarks, self.contents.bookmark_paragraphs, strict=False
        ):
            out.setdefault(name, paragraph)
        return out

    def same_target(self, link: BodyLink, bookmark: str) -> bool:
        """Whether ``link`` leads to ``bookmark``: it names it, or a bookmark that starts in
        the same paragraph (Word links the entries of a table of contents it updates to
        bookmarks of its own, ``_Toc…``, in the headings)."""
        if link.anchor is None:
            return False
        if link.anchor == bookmark:
            return True
        where = self.bookmark_paragraph
        return link.anchor in where and where.get(link.anchor) == where.get(bookmark)

    def link_problems(self) -> list[Problem]:
        """An internal link inside a sentence must be one of the sentence's cross-references,
        in order, pointing at the bookmark of the anchor the manifest gives it; the bookmark
        must be in the document. The links out of the document in a sentence must be its
        manifest's links (:func:`~briefkit.formats.checking.link_problems`). Outside the
        sentences and the table of contents, the only links out of the document are the sources
        appendix's, each around a source's URL and leading to it; a footnote holds none."""
        toc = self.toc
        mine: dict[str, list[BodyLink]] = {}
        external: dict[str, list[tuple[str, str]]] = {}
        outside: list[BodyLink] = []
        for link in self.contents.links:
            if toc is not None and toc.stretches[0] <= link.stretches[0] < toc.stretches[1]:
                continue
            owner = self.owner(link.marks)
            if owner is None:
                outside.append(link)
            elif link.anchor is None:
                external.setdefault(owner, []).append((link.text, link.url or ""))
            else:
                mine.setdefault(owner, []).append(link)
        out = self.cross_reference_problems(mine)
        present = set(self.contents.bookmarks)
        for sent in self.manifest.sentences:
            hrefs = [p.href for p in sent.parts if p.href is not None]
            given = _spellings(hrefs) if hrefs else {}
            seen = [(text, _as_given(url, given)) for text, url in external.get(sent.id, [])]
            if sent.id in present and (seen or hrefs):
                head = f"sentence {sent.id} ({self.place(sent)})"
                out += checking.link_problems(sent, seen, head)
        return out + self.outside_link_problems(outside) + self.note_link_problems()

    def outside_link_problems(self, links: Sequence[BodyLink]) -> list[Problem]:
        """Links out of the document outside the sentences (and the table of contents): only
        the sources appendix's, in order, each around its source's URL and leading to it. In
        a document without sentence bookmarks, the sentences' links are looked for among them
        too, in order, each around its text. A link within the document there (a table of
        contents written as text, say) is left to the accounting of its text."""
        want: list[tuple[str, str]] = []
        if not self.marked:
            want = [
                (squash(shown_lines(p.text)), p.href)
                for sent in self.manifest.sentences
                for p in sent.parts
                if p.href is not None
            ]
        want += [(squash(p.url), p.url) for p in self.pieces if p.kind == "source" and p.url]
        given = _spellings(url for _, url in want)
        at: dict[str, list[int]] = {}
        for i, (_, url) in enumerate(want):
            at.setdefault(url, []).append(i)
        k = 0
        out: list[Problem] = []
        for link in links:
            if link.anchor is not None:
                continue  # within the document: the accounting speaks for its text
            url = _as_given(link.url or "", given)
            places = at.get(url, [])
            n = bisect.bisect_left(places, k)
            if n < len(places) and squash(link.text) == want[places[n]][0]:
                k = places[n] + 1
                continue
            sentence, where = self.near(link.marks, link.started)
            out.append(
                Problem(
                    "link",
                    f"a link {where} (body paragraph {link.paragraph}) leads "
                    f"{_quote(link.text)} to {_target(link)}: briefkit links no text there",
                    sentence=sentence,
                )
            )
        return out

    def note_link_problems(self) -> list[Problem]:
        """A footnote holds no link."""
        out: list[Problem] = []
        for fid, links in sorted(self.contents.note_links.items()):
            number, owner, note = self.note_of(fid)
            whose = f" (sentence {owner})" if owner else ""
            for link in links:
                out.append(
                    Problem(
                        "link",
                        f"footnote {number}{whose} links {_quote(link.text)} to "
                        f"{_target(link)}: briefkit's notes hold no links",
                        sentence=owner,
                        note=note,
                    )
                )
        return out

    def note_of(self, fid: int) -> tuple[int, str | None, int | None]:
        """The number a footnote shows (its first reference's), the sentence that refers to
        it and that sentence's note number."""
        ref = self._first_reference.get(fid)
        owner = self.owner(ref.marks) if ref is not None else None
        sent = self.sentences.get(owner) if owner else None
        return (
            ref.ordinal if ref is not None else fid,
            owner,
            sent.note if sent is not None else None,
        )

    # emphasis

    def emphasis_problems(self) -> list[Problem]:
        """Each sentence must show exactly its manifest's emphasis
        (:func:`~briefkit.formats.checking.emphasis_problems`): a stretch of text is in
        italics (``em``) when its italics differ from the plain text of its sentence — what
        its paragraph shows text with no formatting of its own (:attr:`Stretch.plain`),
        turned over by the ``Analysis`` character style in an analysis sentence — and in
        bold (``strong``) when its bold does; the analysis label and the page numbers of page
        fields (whose look Word sets when it updates them) are not read. Outside the
        sentences only tables' header labels and the titles of the sources appendix may be in
        bold; a footnote shows no emphasis. The body of a document without sentence bookmarks
        is not read for it."""
        analysis = self.contents.character_styles.get("Analysis", (False, False))
        label = len(squash(self.label))
        seen: dict[str, list[tuple[str, str]]] = {}
        skip: dict[str, int] = {}  # the label's characters not yet passed, by sentence
        outside: list[tuple[int, str, tuple[str, ...]]] = []
        for k, (stretch, owner) in enumerate(
            zip(self.contents.stretches, self.owners, strict=True)
        ):
            sent = self.sentences.get(owner) if owner is not None else None
            plain, text = stretch.plain, stretch.text
            if sent is not None and sent.analysis:
                plain = (plain[0] ^ analysis[0], plain[1] ^ analysis[1])
                left = skip.setdefault(sent.id, label)
                if left:
                    cut, left = _skip_visible(text, left)
                    skip[sent.id] = left
                    text = text[cut:]
            kinds = _kinds(stretch, plain)
            text = text.replace(PAGE_MARK, "")  # a page number's look is the field's own
            if not kinds or not text.strip():
                continue
            if sent is not None:
                seen.setdefault(sent.id, []).extend((text, kind) for kind in kinds)
            else:
                outside.append((k, text, kinds))
        if not self.marked:  # which text is a sentence, and which analysis, is unknown
            return self.note_emphasis_problems()
        out: list[Problem] = []
        present = set(self.contents.bookmarks)
        for sent in self.manifest.sentences:
            found = seen.get(sent.id, [])
            if sent.id in present and (found or any(p.style for p in sent.parts)):
                out += checking.emphasis_problems(
                    sent, found, f"sentence {sent.id} ({self.place(sent)})"
                )
        return out + self.outside_emphasis_problems(outside) + self.note_emphasis_problems()

    def outside_emphasis_problems(
        self, found: Sequence[tuple[int, str, tuple[str, ...]]]
    ) -> list[Problem]:
        """Emphasis outside the sentences: only what the writer writes in bold whatever the
        style says — a table's header labels and each source's title in the sources
        appendix — and a source's link (in the ``Hyperlink`` style, whatever it shows), in
        order. ``found`` is each emphasised stretch outside the sentences: its index, its
        text and its emphasis."""
        titles = iter(isolate(s.title) for s in self.manifest.sources)
        #: what may be emphasised, and whether only in bold
        allowed: list[tuple[str, bool]] = []
        for p in self.pieces:
            if p.kind == "header":
                allowed.append((squash(shown_lines(p.text)), True))
            elif p.kind == "source":
                allowed.append((squash(shown_lines(next(titles, ""))), True))
                if p.url:
                    allowed.append((squash(p.url), False))
        at: dict[str, list[int]] = {}
        for i, (text, _) in enumerate(allowed):
            at.setdefault(text, []).append(i)
        stretches = self.contents.stretches
        # neighbouring stretches of a paragraph with the same emphasis are one
        merged: list[tuple[int, list[str], tuple[str, ...]]] = []
        last: int | None = None
        for k, text, kinds in found:
            if (
                merged
                and last is not None
                and merged[-1][2] == kinds
                and stretches[k].paragraph == stretches[last].paragraph
                and not any(st.text.strip() for st in stretches[last + 1 : k])
            ):
                merged[-1][1].append(text)
            else:
                merged.append((k, [text], kinds))
            last = k
        out: list[Problem] = []
        n = 0
        for k, texts, kinds in merged:
            text = "".join(texts)
            places = at.get(squash(text), [])
            j = bisect.bisect_left(places, n)
            if j < len(places) and (kinds == ("strong",) or not allowed[places[j]][1]):
                n = places[j] + 1
                continue
            stretch = stretches[k]
            owner = self._last_owner[k]
            where = f"after sentence {owner}" if owner else "before the first sentence"
            out.append(
                Problem(
                    "emphasis",
                    f"text {where} (body paragraph {stretch.paragraph}) shows {_quote(text)} "
                    f"{_emphasis(kinds, stretch)}: briefkit emphasises no text there",
                    sentence=owner,
                )
            )
        return out

    def note_emphasis_problems(self) -> list[Problem]:
        """A footnote shows no emphasis."""
        out: list[Problem] = []
        for fid, stretches in sorted(self.contents.note_stretches.items()):
            found = next(
                (
                    (st, kinds)
                    for st in stretches
                    if st.text.strip() and (kinds := _kinds(st, st.plain))
                ),
                None,
            )
            if found is None:
                continue
            number, owner, note = self.note_of(fid)
            whose = f" (sentence {owner})" if owner else ""
            stretch, kinds = found
            out.append(
                Problem(
                    "emphasis",
                    f"footnote {number}{whose} shows {_quote(stretch.text)} "
                    f"{_emphasis(kinds, stretch)}: "
                    "briefkit's notes show no emphasis",
                    sentence=owner,
                    note=note,
                )
            )
        return out

    def cross_reference_problems(self, mine: Mapping[str, Sequence[BodyLink]]) -> list[Problem]:
        """Each sentence's internal links (``mine``, by sentence) against its
        cross-references; a cross-reference with its page must show it as a ``PAGEREF`` field
        of its target's bookmark inside its link (:meth:`page_problems`)."""
        present = self.bookmark_paragraph
        out: list[Problem] = []
        #: the page fields inside the links of cross-references with their page
        placed: set[int] = set()
        for sid, links in mine.items():
            sent = self.sentences[sid]
            refs = [p for p in sent.parts if p.ref is not None]
            #: where each cross-reference's text stands among the sentence's references
            at: dict[str, list[int]] = {}
            for i, p in enumerate(refs):
                at.setdefault(_reference_text(p, self.locale), []).append(i)
            k = 0
            head = f"sentence {sid} ({self.place(sent)})"
            for link in links:
                text = squash(link.text)
                places = at.get(text, [])
                n = bisect.bisect_left(places, k)
                j = places[n] if n < len(places) else None
                if j is None:
                    out.append(
                        Problem(
                            "link",
                            f"{head} links {_quote(link.text)} to {_target(link)}, which is "
                            "none of the sentence's cross-references",
                            sentence=sid,
                        )
                    )
                    continue
                k = j + 1
                part = refs[j]
                bookmark = anchor_bookmark(part.ref or "", self.sentences)
                if part.page:
                    out += self.page_problems(link, bookmark, head, sid, placed)
                if not self.same_target(link, bookmark):
                    out.append(
                        Problem(
                            "link",
                            f"{head}: the reference {_quote(link.text)} links to "
                            f"{_target(link)}; the manifest's reference is to {part.ref!r}",
                            sentence=sid,
                        )
                    )
                elif bookmark not in present:
                    out.append(
                        Problem(
                            "link",
                            f"{head}: the reference {_quote(link.text)} links to the bookmark "
                            f"{bookmark!r}, which the document does not have",
                            sentence=sid,
                        )
                    )
        return out + self.stray_page_problems(placed)

    def page_problems(
        self, link: BodyLink, bookmark: str, head: str, sid: str, placed: set[int]
    ) -> list[Problem]:
        """The page field of a cross-reference with its page, whose link is ``link`` (its
        text, matched already, shows exactly one): it must show the page of ``bookmark``."""
        out: list[Problem] = []
        for k, field in self.page_fields_in(link):
            placed.add(k)
            target = page_bookmark(field.instruction)
            if target != bookmark:
                shows = (
                    f"the page of the bookmark {target!r}"
                    if target is not None
                    else f"the field {field.instruction!r}"
                )
                out.append(
                    Problem(
                        "page-ref",
                        f"{head}: the reference {_quote(link.text)} shows {shows}, not the "
                        f"page of its target's bookmark {bookmark!r}",
                        sentence=sid,
                    )
                )
        return out

    def page_fields_in(self, link: BodyLink) -> list[tuple[int, PageField]]:
        """The page fields inside ``link``, with their index."""
        first, end = link.stretches
        fields = self.contents.page_fields
        at = [field.at for field in fields]
        lo, hi = bisect.bisect_left(at, first), bisect.bisect_left(at, end)
        return [(k, fields[k]) for k in range(lo, hi)]

    def stray_page_problems(self, placed: set[int]) -> list[Problem]:
        """A page field that is not the page of a cross-reference with its page."""
        out: list[Problem] = []
        for k, field in enumerate(self.contents.page_fields):
            if k in placed:
                continue
            sentence, where = self.near(field.marks, field.started)
            out.append(
                Problem(
                    "page-ref",
                    f"a page number field ({field.instruction}) {where} (body paragraph "
                    f"{field.paragraph}) is the page of none of the manifest's cross-references",
                    sentence=sentence,
                )
            )
        return out

    # footnotes

    def note_problems(self) -> list[Problem]:
        """One footnote per noted sentence, referenced at its end, numbered and worded as the
        manifest says; no other footnote."""
        refs = self.contents.references
        out: list[Problem] = []
        last_text: dict[str, int] = {}
        for k, (stretch, holder) in enumerate(
            zip(self.contents.stretches, self.owners, strict=True)
        ):
            if holder is not None and stretch.text.strip():
                last_text[holder] = k
        placed: dict[str, NoteReference] = {}
        referenced: set[int] = set()
        noted = [s for s in self.manifest.sentences if s.note is not None]
        for k, ref in enumerate(refs):
            if ref.footnote_id in referenced:
                out.append(
                    Problem(
                        "note-reference",
                        f"footnote {ref.ordinal} shows the same footnote as an earlier mark",
                    )
                )
            referenced.add(ref.footnote_id)
            if not self.marked:  # no sentence bookmarks: take the marks in order
                owner = noted[k].id if k < len(noted) else None
            else:
                owner = self.owner(ref.marks) or self.just_after(ref)
            sent = self.sentences.get(owner) if owner is not None else None
            if sent is None:
                near, where = self._reference_place(ref)
                out.append(
                    Problem(
                        "note-reference",
                        f"footnote {ref.ordinal} is referenced outside every sentence, {where}",
                        sentence=near,
                    )
                )
                continue
            if ref.custom_mark:
                out.append(
                    Problem(
                        "note-reference",
                        f"the mark of note {sent.note} (sentence {sent.id}) is custom text, "
                        "not the note's number",
                        sentence=sent.id,
                        note=sent.note,
                    )
                )
            if sent.note is None:
                out.append(
                    Problem(
                        "note-reference",
                        f"sentence {sent.id} shows footnote {ref.ordinal}, but the manifest "
                        "gives it no note",
                        sentence=sent.id,
                    )
                )
                continue
            if sent.id in placed:
                out.append(
                    Problem(
                        "note-reference",
                        f"sentence {sent.id} shows a second footnote ({ref.ordinal}); the "
                        f"manifest gives it one, note {sent.note}",
                        sentence=sent.id,
                        note=sent.note,
                    )
                )
                continue
            placed[sent.id] = ref
            if ref.ordinal != sent.note:
                out.append(
                    Problem(
                        "note-number",
                        f"note {sent.note} (sentence {sent.id}) is shown as footnote {ref.ordinal}",
                        sentence=sent.id,
                        note=sent.note,
                    )
                )
            if self.marked and last_text.get(sent.id, -1) >= ref.at:
                out.append(
                    Problem(
                        "note-reference",
                        f"the mark of note {sent.note} stands inside sentence {sent.id}, not "
                        "at its end",
                        sentence=sent.id,
                        note=sent.note,
                    )
                )
            problem = note_text_problem(
                sent.note,
                sent,
                self.contents.notes.get(ref.footnote_id),
                shown_lines(sent.note_text or ""),
            )
            if problem is not None:
                out.append(problem)
            if ref.footnote_id in self.contents.notes:
                out += self.cites_problems(sent, ref.footnote_id)
        out += self.stray_records()
        for sent in noted:
            if sent.id not in placed:
                out.append(
                    Problem(
                        "note-missing",
                        f"note {sent.note} (sentence {sent.id}): the sentence shows no footnote "
                        "reference",
                        sentence=sent.id,
                        note=sent.note,
                    )
                )
        for fid, text in self.contents.notes.items():
            if fid not in referenced and text.strip():
                out.append(
                    Problem(
                        "unreferenced-footnote",
                        f"footnote id {fid} is in the document but no mark refers to it: "
                        f"{_quote(text)}",
                    )
                )
        return out

    # the citations a footnote carries out of sight

    def cites_problems(self, sent: ManifestSentence, footnote: int) -> list[Problem]:
        """The footnote's citation bookmarks and their records must be exactly the sentence's
        citations, in order."""
        own: dict[int, str] = {}
        out: list[Problem] = []
        for name in self.contents.note_bookmarks.get(footnote, ()):
            found = CITE_BOOKMARK.match(name)
            if found is None:
                continue
            if int(found[1]) != sent.note:
                out.append(
                    Problem(
                        "note-cites",
                        f"note {sent.note} (sentence {sent.id}): the footnote carries the "
                        f"citation bookmark {name!r}, which belongs to note {found[1]}",
                        sentence=sent.id,
                        note=sent.note,
                    )
                )
                continue
            own.setdefault(int(found[2]), name)
        records = self.contents.properties
        recorded = sent.note in self.recorded_notes
        carried: list[str] = []
        for k in sorted(own):
            value = property_value(records, cite_bookmark(sent.note or 0, k))
            if value is None:
                out.append(
                    Problem(
                        "note-cites",
                        f"note {sent.note} (sentence {sent.id}): the citation bookmark "
                        f"{own[k]!r} has no record (no custom document property of its name)",
                        sentence=sent.id,
                        note=sent.note,
                        citation=k,
                    )
                )
                continue
            carried.append(value)
        problem = cites_problem(
            sent,
            carried if own or recorded else None,
            "its hidden citation record (bookmarks and document properties)",
        )
        return out if problem is None else [*out, problem]

    def stray_records(self) -> list[Problem]:
        """Citation records of notes the manifest does not have."""
        notes = {s.note for s in self.manifest.sentences if s.note is not None}
        out = []
        for name in self.contents.properties:
            found = CITE_BOOKMARK.match(name)
            if found is not None and int(found[1]) not in notes:
                out.append(
                    Problem(
                        "note-cites",
                        f"the document records the citation {name!r} of note {found[1]}, which "
                        "the manifest does not have",
                    )
                )
        return out

    def just_after(self, ref: NoteReference) -> str | None:
        """The sentence whose text a reference outside every sentence follows right away, in
        the same paragraph (LibreOffice ends the bookmark of a paragraph's last sentence
        before its mark when it saves): the mark is still at the sentence's end."""
        if ref.at <= 0 or ref.at > len(self.owners):
            return None
        before = self.contents.stretches[ref.at - 1]
        return self.owners[ref.at - 1] if before.paragraph == ref.paragraph else None

    def _reference_place(self, ref: NoteReference) -> tuple[str | None, str]:
        before = self._last_owner[min(max(ref.at, 0), len(self._last_owner) - 1)]
        if before is not None:
            return before, f"after sentence {before} (body paragraph {ref.paragraph})"
        return None, f"before the first sentence (body paragraph {ref.paragraph})"


def _sentence_text_problems(
    sent: ManifestSentence, shown: str, label: str, place: str, locale: Locale | None = None
) -> list[Problem]:
    """The visible text of a sentence's bookmark against the manifest (``label``: the
    analysis label as shown; ``place``: where the sentence stands, as problems say it)."""
    expected = _sentence_text(sent, label, locale)
    if shown == expected:
        return []
    out = []
    text = _shown_text(sent, locale)
    if sent.analysis and not shown.startswith(label):
        out.append(
            Problem(
                "analysis-label",
                f"sentence {sent.id} ({place}) is analysis, but the document does not show "
                f"its {label!r} label",
                sentence=sent.id,
            )
        )
        rest = shown.removeprefix(" ")
    elif not sent.analysis and shown.startswith(label) and not text.startswith(label):
        out.append(
            Problem(
                "analysis-label",
                f"sentence {sent.id} ({place}) is not analysis, but the document labels it "
                f"{label!r}",
                sentence=sent.id,
            )
        )
        rest = shown.removeprefix(label).removeprefix(" ")
    else:
        rest, text = shown, expected
    if rest != text:
        out.append(
            Problem(
                "sentence-differs",
                f"sentence {sent.id} ({place}): the document's text differs from the "
                f"manifest: {diff(_readable(text), _readable(rest)) or 'whitespace differs'}",
                sentence=sent.id,
            )
        )
    return out


#: A cell as the manifest has it: its text as the writer shows it, and its sentence's id.
_Want = tuple[str, str | None]


class _TableCheck:
    """One table of the document against the manifest's table of the same number."""

    def __init__(
        self, doc: _Document, table: ManifestTable, caption: str, found: BodyTable
    ) -> None:
        self.doc = doc
        self.table = table
        self.number = table.number
        self.caption = caption
        self.found = found
        header: list[_Want] = [(shown_lines(label), None) for label in table.header]
        self.want: list[list[_Want]] = [header]
        for row in table.rows:
            self.want.append(
                [
                    (
                        _sentence_text(doc.sentences[c.sentence], doc.label, doc.locale),
                        c.sentence,
                    )
                    if c.sentence is not None
                    else (shown_lines(c.text), None)
                    for c in row
                ]
            )
        self.out: list[Problem] = []
        self.caption_reported = False
        #: the text of the cells one table has in rows where the other has none
        self.odd_cells: list[str] = []
        widths = {len(row) for row in found.rows}
        #: the table has another number of columns in every row (reported once for all)
        self.columns = len(widths) == 1 and widths != {len(table.header)}

    def problem(self, code: str, message: str, sentence: str | None = None) -> None:
        self.out.append(Problem(code, message, sentence=sentence))

    def sentences_in(self, cell: BodyCell) -> list[str]:
        return [m for m in cell.bookmarks if m in self.doc.sentences]

    def matches(self, cell: BodyCell, want: _Want) -> bool:
        text, sid = want
        marks = self.sentences_in(cell)
        return (
            cell.text == text
            and marks == ([sid] if sid is not None else [])
            and cell.span == 1
            and not cell.merged
        )

    def row_matches(self, want: Sequence[_Want], found: Sequence[BodyCell]) -> bool:
        return len(want) == len(found) and all(
            self.matches(f, w) for f, w in zip(found, want, strict=True)
        )

    def problems(self) -> list[Problem]:
        self.check_caption()
        self.check_place()
        if self.found.stray.strip():
            self.problem(
                "unlinked-text",
                f"table {self.number} shows text outside its cells: {_quote(self.found.stray)}",
                self.doc.last_sentence_before(self.found.started),
            )
        for r in self.found.shifted:
            self.problem(
                "table-shape",
                f"table {self.number}, row {r + 1} of the document leaves grid columns empty "
                "before or after its cells (w:gridBefore, w:gridAfter)",
            )
        want, found = self.want, self.found.rows
        column_problem = len(self.out)  # where the problem of the columns goes
        start, end_want, end_found = _trim(want, found, self.row_matches)
        middle = min(end_want - start, end_found - start)
        for k in range(start, start + middle):
            self.check_row(k, want[k], found[k])
        after = start + middle - 1  # the manifest's row the added ones follow
        added = found[start + middle : end_found]  # rows the manifest does not have
        if added:
            place = f"after its {_row_name(after)}" if after >= 0 else "before its header row"
            rows = _span("row", start + middle + 1, end_found)
            self.problem(
                "table-shape",
                f"table {self.number} has {_count(len(added), 'row')} the manifest does not, "
                f"{place} ({rows} of the document's table): "
                + _quote(" / ".join(" | ".join(c.text for c in row) for row in added[:3])),
                next((sid for row in added if (sid := self.first_sentence(row))), None),
            )
        lost = want[start + middle : end_want]  # rows the document does not show
        if lost:
            rows = _span("row", start + middle, end_want - 1, header=True)
            self.problem(
                "table-shape",
                f"table {self.number}, {rows}: the document does not show "
                + ("this row" if len(lost) == 1 else "these rows")
                + " of the manifest's: "
                + _quote(" / ".join(" | ".join(text for text, _ in row) for row in lost[:3])),
                next((sid for row in lost for _, sid in row if sid is not None), None),
            )
        if self.columns:
            width = len(found[0])
            more = "adds" if width > len(self.table.header) else "lacks"
            cells = " | ".join(self.odd_cells)
            self.out.insert(
                column_problem,
                Problem(
                    "table-shape",
                    f"table {self.number} has {width} column(s) in every row, the manifest's "
                    f"{len(self.table.header)}: the document {more} {_quote(cells)}",
                ),
            )
        return self.out

    def first_sentence(self, cells: Sequence[BodyCell]) -> str | None:
        return next((m for c in cells for m in self.sentences_in(c)), None)

    def check_caption(self) -> None:
        shown = self.found.caption
        if shown != self.caption:
            before = (
                "no paragraph stands right before it"
                if shown is None
                else f"the paragraph right before it reads {_quote(shown)}"
            )
            self.problem(
                "differs",
                f"table {self.number}: {before}, not its caption {_quote(self.caption)}",
            )
            self.caption_reported = True
        alt = self.found.alt
        # the attribute shows the caption one character for one (display()): a line break in
        # the caption is pictured there, and whitespace is not compared
        raw = table_caption(locale_of(self.doc.manifest), self.number, self.table.caption)
        if alt is not None and alt.split() != display(raw).split():
            self.problem(
                "differs",
                f"table {self.number}: its alternative text (w:tblCaption, which screen readers "
                f"announce) reads {_quote(alt)}, not its caption {_quote(self.caption)}",
            )

    def check_place(self) -> None:
        """The table must follow the sentence the manifest puts before it."""
        doc = self.doc
        first = _first_sentence(self.table)
        if first is None:  # a table of labels only: no sentence places it
            return
        want = doc.present_before[doc.rank[first]]
        shown = doc.last_sentence_before(self.found.started)
        if shown != want:
            here = f"after sentence {shown}" if shown else "before every sentence"
            there = f"after sentence {want}" if want else "before every sentence"
            self.problem(
                "table-place",
                f"table {self.number} ({_quote(self.caption)}) stands {here}; the manifest "
                f"puts it {there}",
                first,
            )

    def check_row(self, r: int, want: Sequence[_Want], found: Sequence[BodyCell]) -> None:
        if len(want) == len(found):
            for c, (w, f) in enumerate(zip(want, found, strict=True), 1):
                self.check_cell(r, c, w, f)
            return
        start, end_want, end_found = _trim(want, found, lambda w, f: self.matches(f, w))
        middle = min(end_want - start, end_found - start)
        for k in range(start, start + middle):
            self.check_cell(r, k + 1, want[k], found[k])
        if self.columns:  # said once for the table
            self.odd_cells += [f.text for f in found[start + middle : end_found]]
            self.odd_cells += [text for text, _ in want[start + middle : end_want]]
            return
        added = found[start + middle : end_found]
        if added:
            columns = _span("column", start + middle + 1, end_found)
            self.problem(
                "table-shape",
                f"table {self.number}, {_row_name(r)} has {_count(len(added), 'cell')} the "
                f"manifest does not, {columns} of the document's row: "
                + _quote(" | ".join(c.text for c in added[:5])),
                self.first_sentence(added),
            )
        lost = want[start + middle : end_want]
        if lost:
            columns = _span("column", start + middle + 1, end_want)
            self.problem(
                "table-shape",
                f"table {self.number}, {_row_name(r)}, {columns}: the document's row has no "
                f"such {_count(len(lost), 'cell', article=False)} (the manifest's "
                f"{'reads' if len(lost) == 1 else 'read'} "
                + _quote(" | ".join(text for text, _ in lost[:5]))
                + ")",
                next((sid for _, sid in lost if sid is not None), None),
            )

    def check_cell(self, r: int, c: int, want: _Want, found: BodyCell) -> None:
        where = _where(self.number, r, c)
        if found.span != 1:
            self.problem("table-shape", f"{where} spans {found.span} columns (w:gridSpan)")
        if found.merged:
            self.problem(
                "table-shape", f"{where} is merged with a neighbouring cell (w:vMerge, w:hMerge)"
            )
        text, sid = want
        marks = self.sentences_in(found)
        if sid is not None:
            if marks != [sid]:
                holds = f"sentence {_names(marks)}" if marks else "no sentence"
                self.problem(
                    "differs",
                    f"{where}: the manifest puts sentence {sid} here, the document's cell holds "
                    f"{holds}: {_quote(found.text)}",
                    sid,
                )
            elif found.text != text and self.doc.shown.get(sid) != found.text:
                # (text differing inside the sentence's bookmark, its own problem reports)
                self.problem(
                    "differs",
                    f"{where}: the cell shows more than sentence {sid}: "
                    f"{diff(_readable(text), _readable(found.text)) or 'whitespace differs'}",
                    sid,
                )
            return
        what = "header" if r == 0 else "cell"
        if marks:
            self.problem(
                "differs",
                f"{where}: the document's {what} holds sentence {_names(marks)} "
                f"({_quote(found.text)}), where the manifest's is the label {_quote(text)}",
                marks[0],
            )
        elif found.text != text:
            self.problem(
                "differs",
                f"{where}: the document's {what} reads {_quote(found.text)}, the manifest's "
                f"label is {_quote(text)}",
            )


#: an inch, in EMU
_INCH = 914400


def _alt(text: str) -> str:
    """An alt text as compared: as the writer shows it, whitespace collapsed (an attribute
    value's line breaks read back as spaces)."""
    return " ".join(display(text).split())


def _target(link: BodyLink) -> str:
    """Where a link leads, as problems say it."""
    if link.anchor is not None:
        return f"the bookmark {link.anchor!r}"
    return f"{link.url!r}" if link.url else "a target outside the document"


_UNRESERVED = re.compile(r"%([0-9A-Fa-f]{2})")


def _normal_url(url: str) -> str:
    """``url`` normalized as RFC 3986 §6.2.2 says an equivalent address may be written: the
    scheme and host in lower case, unreserved characters not percent-encoded, an empty path
    after a host as ``/`` (LibreOffice writes links so when it saves)."""

    def decode(m: re.Match[str]) -> str:
        ch = chr(int(m[1], 16))
        return ch if ch.isascii() and (ch.isalnum() or ch in "-._~") else m[0].upper()

    url = _UNRESERVED.sub(decode, url)
    scheme, colon, rest = url.partition(":")
    if not colon:
        return url
    if not rest.startswith("//"):
        return f"{scheme.lower()}:{rest}"
    end = len(rest)
    for ch in "/?#":
        found = rest.find(ch, 2)
        if found >= 0:
            end = min(end, found)
    user, at, host = rest[2:end].rpartition("@")
    tail = rest[end:]
    if not tail.startswith("/"):
        tail = "/" + tail
    return f"{scheme.lower()}://{user}{at}{host.lower()}{tail}"


def _spellings(urls: Iterable[str]) -> dict[str, str]:
    """Each address by itself, and by its normal form (:func:`_normal_url`) when no address
    is that form itself (the first of each)."""
    given = list(urls)
    out = {url: url for url in given}
    for url in given:
        out.setdefault(_normal_url(url), url)
    return out


def _as_given(url: str, given: Mapping[str, str]) -> str:
    """``url`` as one of the ``given`` addresses (:func:`_spellings`) spells it, when it is
    one of them written another way."""
    return given.get(url) or given.get(_normal_url(url), url)


def _kinds(stretch: Stretch, plain: tuple[bool, bool]) -> tuple[str, ...]:
    """How a stretch is emphasised against text showing ``plain``: ``strong`` when its bold
    differs, ``em`` when its italics do."""
    out = ("strong",) if stretch.bold != plain[0] else ()
    return (*out, "em") if stretch.italic != plain[1] else out


def _emphasis(kinds: Sequence[str], stretch: Stretch) -> str:
    """How a stretch's emphasis differs from the text around it: ``in bold``, ``not in
    italics`` …"""
    return " and ".join(
        ("in bold" if stretch.bold else "not in bold, as the text around it is")
        if k == "strong"
        else ("in italics" if stretch.italic else "not in italics, as the text around it is")
        for k in kinds
    )


def _skip_visible(text: str, count: int) -> tuple[int, int]:
    """Where ``text`` is past its first ``count`` visible (not whitespace) characters, and
    how many of them are left to pass when it holds fewer."""
    for i, ch in enumerate(text):
        if count == 0:
            return i, 0
        if not ch.isspace():
            count -= 1
    return len(text), count


def _picture_name(picture: BodyPicture) -> str:
    alt = f", alt text {_quote(picture.alt)}" if picture.alt else ""
    sha = f", sha256 {picture.sha256[:12]}…" if picture.sha256 else ""
    return f"{picture.part or 'no image part'}{sha}{alt}"


def _count(n: int, noun: str, *, article: bool = True, plural: str | None = None) -> str:
    """``a row``, ``3 rows`` (``row``, ``rows`` without the article)."""
    many = plural or f"{noun}s"
    if n == 1:
        return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}" if article else noun
    return f"{n} {many}" if article else many


def _span(noun: str, first: int, last: int, *, header: bool = False) -> str:
    """``row 3``, ``rows 3–5``; with ``header``, row 0 is the header row."""
    if first == last:
        return _row_name(first) if header else f"{noun} {first}"
    start = "the header row" if header and first == 0 else str(first)
    return f"{noun}s {start}–{last}"


def _names(marks: Sequence[str], most: int = 5) -> str:
    """Sentence ids, each once, at most ``most`` of them."""
    unique = list(dict.fromkeys(marks))
    shown = ", ".join(unique[:most])
    return shown if len(unique) <= most else f"{shown} … ({len(unique)} in all)"


def _first_sentence(table: ManifestTable) -> str | None:
    return next((c.sentence for row in table.rows for c in row if c.sentence), None)


def _trim(
    want: Sequence[_T], found: Sequence[_U], same: Callable[[_T, _U], bool]
) -> tuple[int, int, int]:
    """The common head and tail of two sequences: ``(start, end in want, end in found)`` of
    what lies between them (a linear stand-in for a diff: one change, or a run of them)."""
    start = 0
    limit = min(len(want), len(found))
    while start < limit and same(want[start], found[start]):
        start += 1
    tail = 0
    while tail < limit - start and same(want[-1 - tail], found[-1 - tail]):
        tail += 1
    return start, len(want) - tail, len(found) - tail


def _increasing(order: Sequence[str], rank: Mapping[str, int]) -> list[str]:
    """A longest run of ``order`` (not necessarily contiguous) that keeps the manifest's order:
    the sentences that did not move."""
    tails: list[int] = []  # index into order of the smallest tail of each length
    back: list[int] = [-1] * len(order)
    for k, sid in enumerate(order):
        value = rank[sid]
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if rank[order[tails[mid]]] < value:
                lo = mid + 1
            else:
                hi = mid
        back[k] = tails[lo - 1] if lo else -1
        if lo == len(tails):
            tails.append(k)
        else:
            tails[lo] = k
    out: list[str] = []
    k = tails[-1] if tails else -1
    while k >= 0:
        out.append(order[k])
        k = back[k]
    return out[::-1]


class DocxChecker:
    """The checker verify uses for this format."""

    def check(self, path: Path, manifest: Manifest | None = None) -> Checked:
        return check(path, manifest)
