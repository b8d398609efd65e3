"""Check a written DOCX: its embedded manifest, and what a reader of the document sees, against
that manifest.

Every visible character of the body must be accounted for by the document the manifest
describes, rendered as the DOCX writer renders it: the title block, headings, each sentence
(with its *Analysis:* label in the manifest's language), block-quote attributions, the
bibliography and the sources appendix; footnote marks are not text and list bullets are
numbering. Each sentence bookmark must hold exactly its sentence, in the manifest's order; each
noted sentence must carry exactly one footnote reference, at its end, numbered as the manifest
says, whose footnote reads exactly the manifest's note and carries, out of sight, exactly its
sentence's citations (one hidden bookmark ``_bkc<note>_<k>`` per citation, and the custom
document property of that name recording ``SOURCE:START-END``); every footnote must be
referenced. Whatever the reader found hidden or outside the body's reading order (hidden or
deleted text, text boxes, fields, headers, comments …) is a problem too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

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
)
from briefkit.formats.docx._container import CITE_BOOKMARK, cite_bookmark, property_value
from briefkit.formats.docx.reader import DocxContents, Finding, NoteReference, read_docx
from briefkit.manifest import Manifest, ManifestSentence
from briefkit.problems import Problem

__all__ = ["DocxChecker", "check", "problems"]

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
    # a bookmarked sentence is checked exactly, and its place by the order of the bookmarks:
    # the accounting adds only what lies outside them (and the pieces that have none)
    checked = {p.sentence for p in sentences if p.code in _SENTENCE_CODES}
    if doc.marked:
        checked |= set(contents.bookmarks)
    accounted = [
        p
        for p in account("\n".join(contents.paragraphs), doc.expected())
        if not (p.code in ("differs", "missing") and p.sentence in checked)
    ]
    return [*found, *accounted, *sentences, *doc.note_problems()]


def _label(manifest: Manifest) -> str:
    """The analysis label as the writer shows it, in the manifest's language: ``Analysis:``."""
    return f"{locale_of(manifest).labels['analysis']}:"


def _rendered(piece: Piece, label: str) -> str:
    """A piece as the DOCX writer shows it (whitespace aside: layout decides it)."""
    if piece.kind == "sentence" and piece.sentence is not None:
        return _sentence_text(piece.sentence, label)
    return shown_lines(piece.text)


def _sentence_text(sent: ManifestSentence, label: str) -> str:
    """A sentence's bookmark as the writer fills it: the label run, a space, the text."""
    text = shown_lines(sent.text)
    return f"{label} {text}" if sent.analysis else text


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
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
            return Problem(
                f.code,
                f"{f.what} {where} (body paragraph {f.paragraph}){text}",
                sentence=sentence,
            )
        return Problem(f.code, f"{f.what}{text}")

    # the accounting of the body

    def expected(self) -> list[tuple[str, str]]:
        return [(_rendered(piece, self.label), piece.label) for piece in outline(self.manifest)]

    # the sentence bookmarks

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
        shown = self.shown()
        present = set(self.contents.bookmarks)
        out: list[Problem] = []
        for sent in self.manifest.sentences:
            if sent.id not in present:
                out.append(
                    Problem(
                        "sentence-missing",
                        f"sentence {sent.id} ({sent.place}): not found in the document "
                        "(its bookmark is gone)",
                        sentence=sent.id,
                    )
                )
                continue
            out += _sentence_text_problems(sent, shown.get(sent.id, ""), self.label)
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
                owner = self.owner(ref.marks)
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

    def _reference_place(self, ref: NoteReference) -> tuple[str | None, str]:
        before = self._last_owner[min(max(ref.at, 0), len(self._last_owner) - 1)]
        if before is not None:
            return before, f"after sentence {before} (body paragraph {ref.paragraph})"
        return None, f"before the first sentence (body paragraph {ref.paragraph})"


def _sentence_text_problems(sent: ManifestSentence, shown: str, label: str) -> list[Problem]:
    """The visible text of a sentence's bookmark against the manifest (``label``: the
    analysis label as shown)."""
    expected = _sentence_text(sent, label)
    if shown == expected:
        return []
    out = []
    text = shown_lines(sent.text)
    if sent.analysis and not shown.startswith(label):
        out.append(
            Problem(
                "analysis-label",
                f"sentence {sent.id} ({sent.place}) is analysis, but the document does not show "
                f"its {label!r} label",
                sentence=sent.id,
            )
        )
        rest = shown.removeprefix(" ")
    elif not sent.analysis and shown.startswith(label) and not text.startswith(label):
        out.append(
            Problem(
                "analysis-label",
                f"sentence {sent.id} ({sent.place}) is not analysis, but the document labels it "
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
                f"sentence {sent.id} ({sent.place}): the document's text differs from the "
                f"manifest: {diff(text, rest) or 'whitespace differs'}",
                sentence=sent.id,
            )
        )
    return out


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
