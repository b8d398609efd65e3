"""Check a written HTML page: its embedded manifest, and what a reader of the page sees.

Three layers, each reporting what it finds once:

* *Markup.* The page may use only the markup briefkit writes and its own style sheet
  (``foreign-markup``, see :mod:`briefkit.formats.html.reader`), so that no CSS or markup
  hides text or shows text that is not in the page's text nodes; text outside ``<main>`` is
  ``unlinked-text``.
* *Structure.* Each sentence, note mark, analysis label, note and each note's excerpt (its
  exact text, its caption and its link) reads as the manifest says; sentences stand in the
  manifest's order and kind of block, headings at their level.
* *Accounting.* Every visible character of ``<main>``, in document order, belongs to the
  document the manifest describes as the writer renders it (:func:`outline`, then the notes:
  the heading, each note's text, its back link and its excerpts); the title block, headings,
  block-quote attributions, the bibliography and the sources appendix are compared here, and
  text that belongs to no piece is ``unlinked-text``. Sentences, notes and excerpts are taken
  as the structure layer read them, so that a changed one is reported there, once.
* *Out of sight.* Each note's ``data-cites`` lists exactly its sentence's citations, in order
  (``note-cites``), each back link's accessible name (``aria-label``) is the one briefkit
  gives it (``foreign-markup``) and ``<html lang>`` is the manifest's language
  (``page-language``).

Labels and furniture (headings, the analysis label, each excerpt's caption and source link,
the back links' names) are read in the language the manifest records; the sources appendix's
record of each source is English in every language (an audit record).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import attrs

from briefkit._locators import page_index
from briefkit.errors import ReadError
from briefkit.formats.checking import (
    Checked,
    Expected,
    account,
    cites_problem,
    diff,
    embedded_or_given,
    locale_of,
    note_text_problem,
    outline,
    squash,
)
from briefkit.formats.checking import shown_lines as _shown_lines
from briefkit.formats.html.reader import STYLE, HtmlContents, passage_link, read_html
from briefkit.manifest import Manifest, ManifestCitation
from briefkit.plan import safe_url
from briefkit.problems import Problem

__all__ = ["HtmlChecker", "check"]

#: DEL and the C1 controls as the HTML writer shows them (one for one; see its docstring)
_FORBIDDEN = {0x7F: "\u2421", **dict.fromkeys(range(0x80, 0xA0), "\ufffd")}


def shown_lines(text: str, joiner: str = "\n") -> str:
    """``text`` as the HTML writer shows it: :func:`~briefkit.formats.checking.shown_lines`,
    with DEL as ``␡`` and each C1 control as U+FFFD."""
    return _shown_lines(text, joiner).translate(_FORBIDDEN)


#: Where a sentence of each block kind stands (see the reader's ``sentence_blocks``).
_BLOCK = {"key_point": "item", "list": "item", "paragraph": "paragraph", "quote": "quote"}
_BACK_LINK = "↩"


def check(path: Path, manifest: Manifest | None = None) -> Checked:
    """Read the page at ``path`` and compare what it shows with its manifest (or with
    ``manifest`` when one is given)."""
    page = read_html(path)
    if manifest is None and page.manifest is None:
        unfinished = next((f for f in page.foreign if "the page ends inside" in f.what), None)
        if unfinished is not None:  # it hides the manifest, as it hides the rest of the page
            raise ReadError(
                f"{str(path)!r}: no briefkit provenance manifest is embedded: line "
                f"{unfinished.line}, column {unfinished.column}: {unfinished.what}"
            )
    found = embedded_or_given(path, manifest, page.manifest)
    return Checked(found, tuple(_html_problems(page, found)))


def _html_problems(contents: HtmlContents, manifest: Manifest) -> list[Problem]:
    """Every way the page differs from what briefkit writes for ``manifest``."""
    return [
        *_markup_problems(contents, manifest),
        *_mark_and_note_problems(contents, manifest),
        *_cites_problems(contents, manifest),
        *_sentence_problems(contents.sentences, manifest),
        *_order_problems(contents, manifest),
        *_excerpt_problems(contents, manifest),
        *_link_problems(contents, manifest),
        *_accounting_problems(contents, manifest),
    ]


# -- markup ------------------------------------------------------------------------------------


def _markup_problems(contents: HtmlContents, manifest: Manifest) -> list[Problem]:
    problems = [
        Problem(
            "foreign-markup",
            f"markup briefkit does not write {f.where} (line {f.line}, column {f.column}): "
            f"{f.what}",
            sentence=f.sentence or _sentence_of_note(manifest, f.note),
            note=f.note,
        )
        for f in contents.foreign
    ]
    problems += [
        Problem(
            "unlinked-text",
            f"unlinked {f.what} {f.where} (line {f.line}, column {f.column})",
            sentence=f.sentence or _sentence_of_note(manifest, f.note),
            note=f.note,
        )
        for f in contents.stray
    ]
    if contents.style is not None:
        shown = contents.style.replace("\r\n", "\n").replace("\r", "\n")
        if shown != "\n" + STYLE:
            named = [s.id for s in manifest.sentences if f"s-{s.id}" in shown]
            problems.append(
                Problem(
                    "foreign-markup",
                    "the page's style sheet is not briefkit's"
                    + (f" (it names sentence {named[0]})" if named else "")
                    + f": {diff(STYLE, shown.removeprefix(chr(10)))}",
                    sentence=named[0] if named else None,
                )
            )
    return problems


def _sentence_of_note(manifest: Manifest, note: int | None) -> str | None:
    if note is None:
        return None
    return next((s.id for s in manifest.sentences if s.note == note), None)


# -- structure ---------------------------------------------------------------------------------


def _mark_and_note_problems(contents: HtmlContents, manifest: Manifest) -> list[Problem]:
    """The note marks, notes and analysis labels a reader of the page sees."""
    noted = [s for s in manifest.sentences if s.note is not None]
    marks = contents.marks
    problems = [
        Problem("duplicate-id", f"the id {i!r} is used by more than one element")
        for i in contents.duplicate_ids
    ]
    if len(marks) != len(noted):
        problems.append(
            Problem(
                "mark-count",
                f"the page shows {len(marks)} note marks; the manifest has {len(noted)} notes",
            )
        )
    for mark, sent in zip(marks, noted, strict=False):
        if mark.label != str(sent.note) or mark.target != f"#fn-{sent.note}":
            problems.append(
                Problem(
                    "mark-differs",
                    f"note mark {mark.ordinal} reads {mark.label!r} and links to "
                    f"{mark.target!r}; the manifest numbers it note {sent.note} "
                    f"(#fn-{sent.note})",
                    sentence=sent.id,
                    note=sent.note,
                )
            )
        elif mark.element_id != f"fnref-{sent.note}":
            problems.append(
                Problem(
                    "mark-differs",
                    f"note mark {mark.ordinal} has the id {mark.element_id!r}; note "
                    f"{sent.note} links back to fnref-{sent.note}",
                    sentence=sent.id,
                    note=sent.note,
                )
            )
        if mark.sentence != sent.id:
            problems.append(
                Problem(
                    "mark-place",
                    f"note {sent.note}: its mark stands in sentence {mark.sentence!r}, "
                    f"the manifest puts it on {sent.id!r}",
                    sentence=sent.id,
                    note=sent.note,
                )
            )
    for sent in noted:
        assert sent.note is not None
        problem = note_text_problem(
            sent.note, sent, contents.notes.get(sent.note), shown_lines(sent.note_text or "")
        )
        if problem:
            problems.append(problem)
    extra = sorted(set(contents.notes) - {s.note for s in noted})
    if extra:
        problems.append(
            Problem(
                "note-extra",
                f"the page shows note(s) {extra} that the manifest does not have",
                note=extra[0],
            )
        )
    numbers = [s.note for s in noted]
    if list(contents.note_order) != numbers and not extra:
        problems.append(
            Problem(
                "note-order",
                f"the endnotes stand in the order {list(contents.note_order)[:20]}; a list "
                "numbers them by position, so each must stand at its own number",
            )
        )
    labelled = _labelled(contents, manifest)
    label = _analysis(manifest)
    for sent in manifest.sentences:
        shown_label = sent.id in labelled
        if sent.analysis and not shown_label:
            problems.append(
                Problem(
                    "label-missing",
                    f"sentence {sent.id} ({sent.place}): the {label!r} label is missing; the "
                    "manifest marks it as the author's own analysis",
                    sentence=sent.id,
                    note=sent.note,
                )
            )
        elif shown_label and not sent.analysis:
            problems.append(
                Problem(
                    "label-extra",
                    f"sentence {sent.id} ({sent.place}): the page labels it {label!r}, but "
                    "the manifest does not",
                    sentence=sent.id,
                    note=sent.note,
                )
            )
    return problems


def _analysis(manifest: Manifest) -> str:
    """The analysis label, without its colon, in the language of the manifest."""
    return locale_of(manifest).labels["analysis"]


def _labelled(contents: HtmlContents, manifest: Manifest) -> set[str]:
    """The sentences the page shows right after the analysis label of the manifest's
    language."""
    label = f"{_analysis(manifest)}:"
    return {sid for sid, shown in contents.labels.items() if shown == label}


def _cites_problems(contents: HtmlContents, manifest: Manifest) -> list[Problem]:
    """Each note's ``data-cites`` lists exactly its sentence's citations, in order; each back
    link is named in the manifest's language; and the page says it is in that language."""
    problems: list[Problem] = []
    for sent in manifest.sentences:
        if sent.note is None or sent.note not in contents.notes:
            continue  # a missing note is reported as such
        carried = contents.note_cites.get(sent.note)
        problem = cites_problem(
            sent, carried.split() if carried is not None else None, "its data-cites attribute"
        )
        if problem is not None:
            problems.append(problem)
    locale = locale_of(manifest)
    for sent in manifest.sentences:
        n = sent.note
        if n is None or n not in contents.backlinks:
            continue  # a note without its back link is reported as foreign markup
        want = locale.labels["back_to_mark"].format(note=n)
        if contents.backlinks[n] != want:
            problems.append(
                Problem(
                    "foreign-markup",
                    f"note {n} (sentence {sent.id}): its back link is named "
                    f"{contents.backlinks[n]!r}; briefkit names it {want!r} (aria-label, in the "
                    "manifest's language)",
                    sentence=sent.id,
                    note=n,
                )
            )
    tag = locale.tag
    if contents.lang is not None and contents.lang != tag:
        problems.append(
            Problem(
                "page-language",
                f"the page says it is in {contents.lang!r}; the manifest's language is {tag!r}",
            )
        )
    return problems


def _sentence_problems(shown_texts: Mapping[str, str], manifest: Manifest) -> list[Problem]:
    """Each sentence must be in the document, reading as the manifest says."""
    problems: list[Problem] = []
    for sent in manifest.sentences:
        shown_text = shown_texts.get(sent.id)
        if shown_text is None:
            problems.append(
                Problem(
                    "sentence-missing",
                    f"sentence {sent.id}: not found in the document",
                    sentence=sent.id,
                    note=sent.note,
                )
            )
            continue
        expected = shown_lines(sent.text)
        if shown_text != expected:
            problems.append(
                Problem(
                    "sentence-differs",
                    f"sentence {sent.id} ({sent.place}): the document's text differs from the "
                    f"manifest: {diff(expected, shown_text)}",
                    sentence=sent.id,
                    note=sent.note,
                )
            )
    return problems


def _order_problems(contents: HtmlContents, manifest: Manifest) -> list[Problem]:
    """Sentences stand in the manifest's order, each in its kind of block; headings at the
    level the writer gives them."""
    problems: list[Problem] = []
    known = {s.id: s for s in manifest.sentences}
    shown = [sid for sid in contents.sentence_order if sid in known]
    present = set(shown)
    expected = [s.id for s in manifest.sentences if s.id in present]
    for at, (got, want) in enumerate(zip(shown, expected, strict=True)):
        if got != want:
            problems.append(
                Problem(
                    "sentence-order",
                    f"sentence {got} stands where the manifest has sentence {want} (position "
                    f"{at + 1}); the page shows the sentences in another order",
                    sentence=got,
                )
            )
            break
    for sid in shown:
        sent = known[sid]
        block = contents.sentence_blocks.get(sid)
        if block is not None and block != _BLOCK.get(sent.block, block):
            problems.append(
                Problem(
                    "sentence-block",
                    f"sentence {sid} ({sent.place}) stands in a {block}; the manifest puts it "
                    f"in a {_BLOCK.get(sent.block)}",
                    sentence=sid,
                )
            )
    headings = _expected_headings(manifest)
    if len(headings) == len(contents.headings):
        for (level, text), (shown_level, shown_text) in zip(
            headings, contents.headings, strict=True
        ):
            if squash(shown_text) == squash(shown_lines(text)) and shown_level != level:
                problems.append(
                    Problem(
                        "heading-level",
                        f"the heading {_short(text)} is an <h{shown_level}>; briefkit writes it "
                        f"as <h{level}>",
                    )
                )
    return problems


def _expected_headings(manifest: Manifest) -> list[tuple[int, str]]:
    found = [(min(6, p.level + 1), p.text) for p in outline(manifest) if p.kind == "heading"]
    if any(s.note is not None for s in manifest.sentences):
        found.append((2, locale_of(manifest).labels["notes"]))
    return found


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _caption(
    cit: ManifestCitation, url: str | None, labels: Mapping[str, str], *, spans: bool
) -> str:
    """The caption the writer puts under a citation's exact text (``labels``: the manifest
    language's; the source id and span only in an audit copy, ``spans``)."""
    caption = (
        shown_lines(labels["excerpt_caption"]).format(
            source=shown_lines(cit.source), start=cit.start, end=cit.end
        )
        if spans
        else shown_lines(labels["excerpt_label"])
    )
    return caption + (f" · {shown_lines(labels['open_source'])}" if url else "")


def _urls(manifest: Manifest) -> dict[str, str | None]:
    return {s.id: safe_url(s.source_meta) for s in manifest.sources}


def _excerpt_problems(contents: HtmlContents, manifest: Manifest) -> list[Problem]:
    """Each note shows the exact text of each of its sentence's citations, captioned with
    its source id and span."""
    problems: list[Problem] = []
    urls = _urls(manifest)
    labels = locale_of(manifest).labels
    for sent in manifest.sentences:
        if sent.note is None or sent.note not in contents.notes:
            continue  # a missing note is reported as such
        n = sent.note
        shown = contents.excerpts.get(n, ())

        def problem(code: str, message: str, n: int = n, sid: str = sent.id) -> None:
            problems.append(Problem(code, f"note {n} (sentence {sid}): {message}", None, sid, n))

        if len(shown) < len(sent.citations):
            problem(
                "excerpt-missing",
                f"the note shows {len(shown)} excerpt(s) of source text; the sentence has "
                f"{len(sent.citations)} citation(s)",
            )
        elif len(shown) > len(sent.citations):
            problem(
                "excerpt-extra",
                f"the note shows {len(shown)} excerpts of source text; the sentence has only "
                f"{len(sent.citations)} citation(s)",
            )
        for k, (cit, excerpt) in enumerate(zip(sent.citations, shown, strict=False), 1):
            want = shown_lines(cit.exact)
            if excerpt.exact != want:
                problem(
                    "excerpt-differs",
                    f"the exact text of excerpt {k} ({cit.source}, chars {cit.start}–{cit.end}) "
                    f"differs from the manifest: {diff(want, excerpt.exact)}",
                )
            spans = manifest.brief.get("show_spans") is True
            caption = _caption(cit, urls.get(cit.source), labels, spans=spans)
            if " ".join(excerpt.caption.split()) != " ".join(caption.split()):
                problem(
                    "caption-differs",
                    f"the caption of excerpt {k} differs from the manifest's citation: "
                    f"{diff(caption, excerpt.caption)}",
                )
            url = urls.get(cit.source)
            record = manifest.source(cit.source)
            page = page_index(record.pages, cit.start) if record else None
            link = passage_link(url, cit.exact, page) if url else None
            if excerpt.link != link or excerpt.cite != url:
                problem(
                    "link-differs",
                    f"excerpt {k} links to {excerpt.link or excerpt.cite!r}; the source's "
                    f"address is {url!r}",
                )
    return problems


def _link_problems(contents: HtmlContents, manifest: Manifest) -> list[Problem]:
    """The sources appendix links each source to its own address."""
    if not manifest.brief.get("sources_appendix"):
        return []
    urls = _urls(manifest)
    expected = [
        (n, url) for n, s in enumerate(manifest.sources, 1) if (url := urls.get(s.id)) is not None
    ]
    if list(contents.source_links) == expected:
        return []
    return [
        Problem(
            "link-differs",
            f"the sources appendix links to {list(contents.source_links)[:5]}; the manifest's "
            f"addresses are {expected[:5]} (entry, address)",
        )
    ]


# -- accounting --------------------------------------------------------------------------------


@attrs.frozen
class _Where:
    """What an accounting label names."""

    sentence: str | None = None
    note: int | None = None


def _pieces(contents: HtmlContents, manifest: Manifest) -> Iterator[tuple[str, str, _Where]]:
    """``(text, label, where)`` for each piece of ``<main>`` in reading order, as the writer
    renders it. Sentences, notes and excerpts are taken as the page shows them (the
    structure checks compare them with the manifest); furniture is as briefkit writes it."""
    marks: dict[str | None, list[str]] = {}
    for mark in contents.marks:
        marks.setdefault(mark.sentence, []).append(mark.label)
    source = 0
    labelled = _labelled(contents, manifest)
    analysis = f"{_analysis(manifest)}: "
    for piece in outline(manifest):
        sent = piece.sentence
        if piece.kind == "sentence" and sent is not None:
            label = analysis if sent.id in labelled else ""
            text = label + contents.sentences.get(sent.id, "") + "".join(marks.get(sent.id, []))
            yield text, piece.label, _Where(sent.id, sent.note)
            continue
        text = shown_lines(piece.text)
        if piece.kind == "source":
            source += 1
            text = text.removeprefix(f"{source}. ")  # the list numbers its entries
        yield text, piece.label, _Where(sent.id if sent is not None else None)
    noted = {s.note: s for s in manifest.sentences if s.note is not None}
    if not noted:
        return
    heading = locale_of(manifest).labels["notes"]
    yield heading, f"the heading {heading!r}", _Where()
    for n in dict.fromkeys(contents.note_order):
        sent = noted.get(n)
        if sent is None:
            continue  # not the manifest's: reported as such
        where = _Where(sent.id, n)
        # a piece long enough to be found in its place: the note with its back link, each
        # excerpt with its caption
        yield f"{contents.notes.get(n, '')} {_BACK_LINK}", f"note {n}", where
        for k, excerpt in enumerate(contents.excerpts.get(n, ()), 1):
            yield f"{excerpt.exact} {excerpt.caption}", f"excerpt {k} of note {n}", where


def _accounting_problems(contents: HtmlContents, manifest: Manifest) -> list[Problem]:
    pieces = [
        Expected(text, label, where.sentence, where.note)
        for text, label, where in _pieces(contents, manifest)
    ]
    problems = account(contents.visible, pieces, where="the page")
    if contents.title is not None:
        problems += account(
            contents.title,
            [Expected(shown_lines(str(manifest.brief["title"]), " "), "the title")],
            where="the page title (<title>)",
        )
    return problems


class HtmlChecker:
    """The checker verify uses for this format."""

    def check(self, path: Path, manifest: Manifest | None = None) -> Checked:
        return check(path, manifest)
