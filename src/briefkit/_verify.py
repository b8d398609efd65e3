"""Verify a written brief's citations against the source files on disk.

For every citation of the manifest: the source must exist under the root, its sha256 must
match, and the span must read exactly the recorded text (its byte offsets and lines too). When
a source has changed, each citation is re-anchored with its quote selector (exact text, then
prefix/suffix to choose between several occurrences) and reported as

* ``ok`` — the span reads the recorded text at the recorded offsets,
* ``moved`` — the exact text occurs once elsewhere (the new span is given),
* ``changed`` — the exact text is gone, or occurs several times and the context does not pick
  one (the closest match is given), or
* ``missing`` — the source file is not there (or its id is unsafe).

A changed source is never accepted silently: its hash mismatch alone makes the report fail.
"""

from __future__ import annotations

import bisect
import difflib
import os
import re
from pathlib import Path
from typing import Literal, NamedTuple

import attrs

from briefkit import manifest as _manifest
from briefkit._locate import near_miss
from briefkit._text import display, ignorable, shown, split_lines
from briefkit.errors import (
    BriefkitError,
    ManifestError,
    ReadError,
    SourceError,
    SpanError,
    UnknownFormatError,
)
from briefkit.excerpts import figure_occurs
from briefkit.formats.docx.reader import DocxContents, read_docx
from briefkit.formats.html.reader import HtmlContents, read_html
from briefkit.formats.markdown.reader import MarkdownContents, read_markdown
from briefkit.formats.pdf.reader import PdfContents, read_pdf
from briefkit.manifest import Manifest, ManifestCitation, ManifestSentence
from briefkit.notes import parse_note
from briefkit.plan import LABELS
from briefkit.sources import DEFAULT_MAX_BYTES, Source, resolve_id

__all__ = [
    "CitationCheck",
    "Report",
    "SourceCheck",
    "Status",
    "verify",
    "verify_manifest",
]

Status = Literal["ok", "moved", "changed", "missing"]

#: Largest manifest file read (bytes).
MAX_MANIFEST_BYTES = 256 * 1024 * 1024


@attrs.frozen
class SourceCheck:
    id: str
    status: Literal["ok", "modified", "missing"]
    expected_sha256: str
    actual_sha256: str | None
    detail: str = ""


@attrs.frozen
class CitationCheck:
    status: Status
    sentence_id: str
    note: int | None
    kind: str
    source: str
    start: int
    end: int
    new_start: int | None = None
    new_end: int | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@attrs.frozen
class Report:
    """The outcome of a verification; ``ok`` only when every check passed."""

    path: str
    sources: tuple[SourceCheck, ...]
    citations: tuple[CitationCheck, ...]
    sentences: int
    analysis: int
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return (
            not self.problems
            and all(s.status == "ok" for s in self.sources)
            and all(c.ok for c in self.citations)
        )

    @property
    def failures(self) -> tuple[CitationCheck, ...]:
        return tuple(c for c in self.citations if not c.ok)

    def summary(self) -> str:
        """One line: counts of sentences, citations, sources and failures."""
        bad = len(self.failures)
        if self.ok:
            state = "all resolved"
        elif bad:
            state = f"{bad} citation(s) failed"
        else:
            state = "every citation resolves"
        modified = [s.id for s in self.sources if s.status != "ok"]
        if modified:
            state += f"; source(s) not as recorded: {', '.join(modified)}"
        if self.problems:
            state += f"; {len(self.problems)} other problem(s)"
        return (
            f"{self.path}: {self.sentences} sentences ({self.analysis} analysis), "
            f"{len(self.citations)} citations, {len(self.sources)} sources — {state}"
        )


_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


#: Tokens compared on each side of the first difference (keeps the diff linear in size).
_DIFF_WINDOW = 200


def _diff(old: str, new: str) -> str:
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


class _Base(NamedTuple):
    sentence_id: str
    note: int | None
    kind: str
    source: str
    start: int
    end: int


def _check_citation(
    sent: ManifestSentence, cit: ManifestCitation, source: Source, unchanged: bool
) -> CitationCheck:
    base = _Base(sent.id, sent.note, cit.kind, cit.source, cit.start, cit.end)
    text = source.text
    if cit.kind == "figure" and (not cit.value or not figure_occurs(cit.value, cit.exact)):
        return CitationCheck(
            "changed",
            *base,
            detail=f"the figure value {cit.value!r} does not occur in the recorded exact text",
        )
    here = text[cit.start : cit.end] if cit.end <= len(text) else None
    if here == cit.exact:
        if unchanged:
            try:
                pos = source.position(cit.start, cit.end)
            except SpanError as exc:
                detail = f"the recorded span is invalid: {exc}"
                return CitationCheck("changed", *base, detail=detail)
            recorded = (cit.byte_start, cit.byte_end, cit.line_start, cit.line_end)
            actual = (pos.byte_start, pos.byte_end, pos.line_start, pos.line_end)
            if recorded != actual:
                return CitationCheck(
                    "changed",
                    *base,
                    detail=f"manifest byte/line offsets {recorded} disagree with the file {actual}",
                )
        return CitationCheck("ok", *base)
    # re-anchor with the quote selector
    spans = source.find_all(cit.exact) if cit.exact else []
    if len(spans) > 1:
        spans = [
            s
            for s in spans
            if text[max(0, s.start - len(cit.prefix)) : s.start] == cit.prefix
            or text[s.end : s.end + len(cit.suffix)] == cit.suffix
        ]
    if len(spans) == 1:
        s = spans[0]
        return CitationCheck(
            "moved",
            *base,
            new_start=s.start,
            new_end=s.end,
            detail=f"the text now stands at chars {s.start}–{s.end}",
        )
    if len(spans) > 1:
        return CitationCheck(
            "changed",
            *base,
            detail=f"the text occurs {len(spans)} times and its context does not pick one",
        )
    miss = near_miss(source.index, cit.exact) if cit.exact else None
    if miss is None:
        return CitationCheck("changed", *base, detail="the text no longer occurs in the source")
    span, ratio = miss
    new_text = text[span.start : span.end]
    return CitationCheck(
        "changed",
        *base,
        new_start=span.start,
        new_end=span.end,
        detail=(
            f"closest match at chars {span.start}–{span.end} ({ratio:.0%} similar): "
            f"{_diff(cit.exact, new_text)}"
        ),
    )


def verify_manifest(
    manifest: Manifest,
    sources: str | os.PathLike[str],
    *,
    path: str = "<manifest>",
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Report:
    """Check every citation of ``manifest`` against the files under ``sources``."""
    root = Path(sources)
    if not root.is_dir():
        raise SourceError(f"sources folder {str(root)!r} does not exist")
    loaded: dict[str, Source | None] = {}
    source_checks: list[SourceCheck] = []
    problems: list[str] = []
    for ms in manifest.sources:
        try:
            file = resolve_id(root, ms.id)
            src: Source | None = Source.from_file(file, source_id=ms.id, max_bytes=max_bytes)
        except BriefkitError as exc:
            src = None
            source_checks.append(SourceCheck(ms.id, "missing", ms.sha256, None, str(exc)))
        else:
            assert src is not None
            if src.sha256 == ms.sha256:
                source_checks.append(SourceCheck(ms.id, "ok", ms.sha256, src.sha256))
            else:
                source_checks.append(
                    SourceCheck(
                        ms.id, "modified", ms.sha256, src.sha256, "the file's sha256 differs"
                    )
                )
        loaded[ms.id] = src
    unchanged = {c.id for c in source_checks if c.status == "ok"}
    checks: list[CitationCheck] = []
    for sent, cit in manifest.citations():
        if cit.source not in loaded:
            problems.append(f"sentence {sent.id}: cites {cit.source!r}, not listed in sources")
            continue
        src = loaded[cit.source]
        if src is None:
            checks.append(
                CitationCheck(
                    "missing",
                    sent.id,
                    sent.note,
                    cit.kind,
                    cit.source,
                    cit.start,
                    cit.end,
                    detail="the source file is missing",
                )
            )
            continue
        checks.append(_check_citation(sent, cit, src, cit.source in unchanged))
    for sent in manifest.sentences:
        if not sent.citations and not sent.analysis:
            problems.append(f"sentence {sent.id} cites nothing and is not marked as analysis")
        if sent.citations and (sent.note is None or sent.note_text is None):
            problems.append(f"sentence {sent.id} cites sources but has no footnote")
        elif sent.note_text is not None:
            said = [(r.source_id, r.start, r.end) for r in parse_note(sent.note_text)]
            if said != [(c.source, c.start, c.end) for c in sent.citations]:
                problems.append(
                    f"note {sent.note} (sentence {sent.id}) names {said}, not the sentence's "
                    "citations"
                )
    return Report(
        path=path,
        sources=tuple(source_checks),
        citations=tuple(checks),
        sentences=len(manifest.sentences),
        analysis=sum(1 for s in manifest.sentences if s.analysis),
        problems=tuple(problems),
    )


def _visible_note_problems(contents: DocxContents, manifest: Manifest) -> list[str]:
    """Compare the footnotes a reader of the DOCX sees with the manifest's notes."""
    noted = [s for s in manifest.sentences if s.note is not None]
    refs = contents.references
    problems: list[str] = []
    if len(refs) != len(noted):
        problems.append(
            f"the document shows {len(refs)} footnote references; the manifest has {len(noted)}"
        )
    for ref, sent in zip(refs, noted, strict=False):
        if ref.bookmark is not None and ref.bookmark != sent.id:
            problems.append(
                f"note {ref.ordinal}: referenced from sentence {ref.bookmark!r}, "
                f"the manifest puts it on {sent.id!r}"
            )
        visible = contents.notes.get(ref.footnote_id)
        problem = _note_text_problem(ref.ordinal, sent, visible, display(sent.note_text or ""))
        if problem:
            problems.append(problem)
    if contents.bookmarked:  # briefkit marks every sentence: its words must be the manifest's
        problems += _sentence_problems(contents.bookmarked, manifest, strip_label_space=True)
    return problems


def _shown_lines(text: str, joiner: str = "\n") -> str:
    """``text`` as exporters show it: XML-illegal characters pictured, every newline style
    one break (``joiner``)."""
    return joiner.join(display(line) for line in split_lines(text))


def _sentence_problems(
    shown_texts: dict[str, str], manifest: Manifest, *, strip_label_space: bool = False
) -> list[str]:
    """Each sentence must be in the document, reading as the manifest says."""
    problems: list[str] = []
    for sent in manifest.sentences:
        shown_text = shown_texts.get(sent.id)
        if shown_text is None:
            problems.append(f"sentence {sent.id}: not found in the document")
            continue
        if sent.analysis and strip_label_space:
            shown_text = shown_text.removeprefix(" ")
        expected = _shown_lines(sent.text)
        if shown_text != expected:
            problems.append(
                f"sentence {sent.id} ({sent.place}): the document's text differs from the "
                f"manifest: {_diff(expected, shown_text)}"
            )
    return problems


def _note_text_problem(
    number: int | str, sent: ManifestSentence, visible: str | None, expected: str
) -> str | None:
    if visible is None:
        return f"note {number} (sentence {sent.id}): the footnote is missing"
    if visible != expected:
        return (
            f"note {number} (sentence {sent.id}): the visible footnote differs from the "
            f"manifest: {_diff(expected, visible)}"
        )
    return None


def _html_problems(contents: HtmlContents, manifest: Manifest) -> list[str]:
    """Compare the note marks, notes and sentences a reader of the page sees with the
    manifest."""
    noted = [s for s in manifest.sentences if s.note is not None]
    marks = contents.marks
    problems = [f"the id {i!r} is used by more than one element" for i in contents.duplicate_ids]
    if len(marks) != len(noted):
        problems.append(
            f"the page shows {len(marks)} note marks; the manifest has {len(noted)} notes"
        )
    for mark, sent in zip(marks, noted, strict=False):
        if mark.label != str(sent.note) or mark.target != f"#fn-{sent.note}":
            problems.append(
                f"note mark {mark.ordinal} reads {mark.label!r} and links to {mark.target!r}; "
                f"the manifest numbers it note {sent.note} (#fn-{sent.note})"
            )
        if mark.sentence != sent.id:
            problems.append(
                f"note {sent.note}: its mark stands in sentence {mark.sentence!r}, "
                f"the manifest puts it on {sent.id!r}"
            )
    for sent in noted:
        assert sent.note is not None
        problem = _note_text_problem(
            sent.note, sent, contents.notes.get(sent.note), _shown_lines(sent.note_text or "")
        )
        if problem:
            problems.append(problem)
    extra = sorted(set(contents.notes) - {s.note for s in noted})
    if extra:
        problems.append(f"the page shows note(s) {extra} that the manifest does not have")
    numbers = [s.note for s in noted]
    if list(contents.note_order) != numbers and not extra:
        problems.append(
            f"the endnotes stand in the order {list(contents.note_order)[:20]}; a list numbers "
            "them by position, so each must stand at its own number"
        )
    for sent in manifest.sentences:
        shown_label = sent.id in contents.labelled
        if sent.analysis and not shown_label:
            problems.append(
                f"sentence {sent.id} ({sent.place}): the 'Analysis' label is missing; the "
                "manifest marks it as the author's own analysis"
            )
        elif shown_label and not sent.analysis:
            problems.append(
                f"sentence {sent.id} ({sent.place}): the page labels it 'Analysis', but the "
                "manifest does not"
            )
    return problems + _sentence_problems(contents.sentences, manifest)


def _markdown_problems(contents: MarkdownContents, manifest: Manifest) -> list[str]:
    """Compare the note marks and footnotes a reader of the Markdown sees with the manifest."""
    noted = [s for s in manifest.sentences if s.note is not None]
    marks = contents.marks
    problems = [f"note [^{n}] is defined more than once" for n in contents.duplicate_notes]
    if len(marks) != len(noted):
        problems.append(
            f"the file shows {len(marks)} note marks; the manifest has {len(noted)} notes"
        )
    for k, (mark, sent) in enumerate(zip(marks, noted, strict=False), 1):
        if mark != str(sent.note):
            problems.append(
                f"note mark {k} reads [^{mark}]; the manifest numbers it note {sent.note} "
                f"(sentence {sent.id})"
            )
    for sent in noted:
        label = str(sent.note)
        problem = _note_text_problem(
            label, sent, contents.notes.get(label), _shown_lines(sent.note_text or "", " ")
        )
        if problem:
            problems.append(problem)
    extra = sorted(set(contents.notes) - {str(s.note) for s in noted})
    if extra:
        problems.append(
            f"the file defines note(s) {', '.join(f'[^{n}]' for n in extra)} "
            "that the manifest does not have"
        )
    return problems + _markdown_sentence_problems(contents, manifest)


def _markdown_sentence_problems(contents: MarkdownContents, manifest: Manifest) -> list[str]:
    """Every sentence must be written, in reading order, as the Markdown exporter writes it:
    the analysis label, the escaped text and the note mark (blanks and block-quote markers at
    line starts aside)."""
    from briefkit.formats.markdown.writer import escape

    body = _squash(re.sub(r"(?m)^[ \t]*>[ \t]?", "", contents.body))
    problems: list[str] = []
    cursor = 0
    for sent in manifest.sentences:
        label = f"*{LABELS['analysis']}:* " if sent.analysis else ""
        mark = f"[^{sent.note}]" if sent.note is not None else ""
        want = _squash(label + escape(sent.text) + mark)
        at = body.find(want, cursor)
        if at < 0:
            length, found = _longest_prefix_found(want, body, cursor)
            shows = repr(body[found + length : found + length + 20]) if length else "nothing"
            problems.append(
                f"sentence {sent.id} ({sent.place}): the file's text differs from the manifest"
                + (f" after {want[:length][-30:]!r} (shows {shows})" if length else "")
            )
            continue
        cursor = at + len(want)
    return problems


def _squash(text: str) -> str:
    return "".join(text.split())


def _pdf_visible(text: str) -> str:
    """Text as the PDF shows it, with whitespace, break hints and format characters (which a
    PDF may or may not draw) removed: what page text extraction can be compared with. Hyphens
    are left out too: a line broken at a soft hyphen shows one that the text does not have."""
    drawn = "".join(shown(line) for line in split_lines(text))
    return _squash("".join(ch for ch in drawn if not ignorable(ch) and ch not in "\u200b\u00ad-"))


def _pdf_note_problems(contents: PdfContents, manifest: Manifest) -> list[str]:
    """Each note must start on the page of its mark and read as the manifest says (a note may
    continue on the next page)."""
    problems: list[str] = []
    for page in contents.pages:
        away = sorted({p for p in page.internal_links if p != page.number})
        if away:
            problems.append(f"page {page.number}: a footnote link points to page(s) {away}")
    noted = [s for s in manifest.sentences if s.note is not None]
    marks = contents.mark_pages()
    if len(marks) != len(noted):
        problems.append(
            f"the document shows {len(marks)} footnote marks; the manifest has {len(noted)}"
        )
    texts = {p.number: _pdf_visible(p.text) for p in contents.pages}
    for page_no, sent in zip(marks, noted, strict=False):
        want = _pdf_visible(sent.note_text or "")
        here, after = texts.get(page_no, ""), texts.get(page_no + 1, "")
        lo, _ = _longest_prefix_found(want, here, 0)  # the part on its mark's page
        if lo == 0 or (
            lo < len(want) and not after.startswith(want[lo:]) and want[lo:] not in after
        ):
            problems.append(
                f"note {sent.note} (sentence {sent.id}): the text on page {page_no} does not "
                "match the manifest's note"
            )
    return problems


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _longest_prefix_found(want: str, text: str, pos: int) -> tuple[int, int]:
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


def _pdf_body_problems(contents: PdfContents, manifest: Manifest) -> list[str]:
    """Every sentence must be drawn, in reading order, as the manifest says. A sentence may
    break across pages: its text then ends one page's body and goes on at the very top of the
    next page (the notes of the first page come between)."""
    pages = [_pdf_visible(p.text) for p in contents.pages]
    starts: list[int] = []
    total = 0
    for text in pages:
        starts.append(total)
        total += len(text)
    whole = "".join(pages)
    problems: list[str] = []
    cursor = 0
    for sent in manifest.sentences:
        want = _pdf_visible(sent.text)
        if not want:
            continue
        at = whole.find(want, cursor)
        if at >= 0:
            cursor = at + len(want)
            continue
        length, at = _longest_prefix_found(want, whole, cursor)
        rest = want[length:]
        page = bisect.bisect_right(starts, at + length - 1) - 1 if length else len(pages)
        while rest and page + 1 < len(pages):
            page += 1
            top = pages[page]
            run = _common_prefix(rest, top)
            if run == 0:
                break
            rest = rest[run:]
            cursor = starts[page] + run
        if rest:
            shown_text = whole[at : at + length + 20] if length else ""
            problems.append(
                f"sentence {sent.id} ({sent.place}): the PDF's text differs from the manifest"
                + (
                    f" after {want[:length][-30:]!r} (shows {shown_text[length:]!r})"
                    if length
                    else ""
                )
            )
    return problems


#: The suffixes of the files :func:`verify` reads.
READABLE_SUFFIXES = (".json", ".docx", ".pdf", ".html", ".htm", ".md", ".markdown")


def _read(path: Path) -> tuple[Manifest, list[str]]:
    """The manifest of a written brief and any problems with what its reader sees."""
    suffix = path.suffix.lower()
    if suffix not in READABLE_SUFFIXES:
        raise UnknownFormatError(
            f"{str(path)!r}: cannot verify {suffix or 'suffix-less'} files; "
            "verify reads .json manifests and .docx, .pdf, .html/.htm and .md/.markdown files"
        )
    if not path.is_file():
        raise SourceError(f"{str(path)!r} does not exist")
    size = path.stat().st_size
    if suffix == ".json":
        if size > MAX_MANIFEST_BYTES:
            raise ManifestError(f"{str(path)!r}: {size} bytes is larger than a manifest may be")
        return _manifest.parse(path.read_bytes()), []
    if suffix == ".docx":
        contents = read_docx(path)
        if contents.manifest is None:
            raise ReadError(f"{str(path)!r}: no briefkit provenance manifest is embedded")
        return contents.manifest, _visible_note_problems(contents, contents.manifest)
    if suffix in (".html", ".htm"):
        page = read_html(path)
        if page.manifest is None:
            raise ReadError(f"{str(path)!r}: no briefkit provenance manifest is embedded")
        return page.manifest, _html_problems(page, page.manifest)
    if suffix in (".md", ".markdown"):
        md = read_markdown(path)
        if md.manifest is None:
            hint = ""
            with path.open("rb") as fh:
                if fh.read(8).lstrip(b"\xef\xbb\xbf").startswith(b"---"):
                    hint = (
                        "; it looks like a Markdown brief (front matter), which is what a build "
                        "reads: build it and verify the outputs (briefkit build BRIEF.md -o "
                        "OUTDIR --verify)"
                    )
            raise ReadError(
                f"{str(path)!r}: no briefkit provenance manifest (the trailing "
                f"'<!-- briefkit-provenance v1' comment) is in the file{hint}"
            )
        return md.manifest, _markdown_problems(md, md.manifest)
    pdf = read_pdf(path)
    if pdf.manifest is None:
        raise ReadError(f"{str(path)!r}: no briefkit provenance manifest is embedded")
    problems = _pdf_note_problems(pdf, pdf.manifest) + _pdf_body_problems(pdf, pdf.manifest)
    return pdf.manifest, problems


def verify(
    path: str | os.PathLike[str],
    *,
    sources: str | os.PathLike[str],
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Report:
    """Verify the brief written at ``path`` against the source files under ``sources``."""
    file = Path(path)
    manifest, problems = _read(file)
    report = verify_manifest(manifest, sources, path=str(file), max_bytes=max_bytes)
    return attrs.evolve(report, problems=report.problems + tuple(problems))
