"""Check a written HTML page: its embedded manifest, and what a reader of the page sees.

Layers, each reporting what it finds once:

* *Markup.* The page may use only the markup briefkit writes and its own style sheet
  (``foreign-markup``, see :mod:`briefkit.formats.html.reader`), so that no CSS or markup
  hides text or shows text that is not in the page's text nodes; text outside ``<main>`` is
  ``unlinked-text``.
* *Structure.* Each sentence, note mark, analysis label, note and each note's excerpt (its
  exact text, its caption and its link) reads as the manifest says; sentences stand in the
  manifest's order and kind of block, headings at their level.
* *Tables.* Each of the manifest's tables stands in the page as ``table-N`` with exactly its
  caption, one header row of ``<th scope="col">`` labels and its body rows, each with as many
  cells as the header: a first-column label is a ``<th scope="row">``, every other cell a
  ``<td>``, each with its column's alignment class; a label cell shows exactly its label, a
  sentence cell exactly its sentence (with the analysis label and note mark, nothing
  else). An edited, moved or added cell or row, a relabelled header, a changed caption, a
  wrong ``scope`` or alignment is reported naming the table, row and column
  (``table-cell``, ``table-row``, ``table-header``, ``table-caption``, ``table-scope``,
  ``table-align``, ``table-missing``); a cell sentence's own text is compared by the
  structure layer, whose problems name its cell too.
* *Images.* Each of the manifest's images stands in the page as ``figure-N``: exactly one
  ``<img>`` whose ``src`` is a data URI (PNG or JPEG, strict base64) of exactly the manifest's
  bytes (its type and sha256), whose ``alt`` is the manifest's alt text (on one line) and whose
  ``width`` and ``height`` are its size, and one caption: the label ``Figure N.`` and exactly
  the caption sentence. An image swapped for another (``image-differs``), removed
  (``image-missing``), added (``image-extra``), given another source (a web address would load
  content from elsewhere: ``image-source``), another alt text (``image-alt``) or size
  (``image-size``), or a changed label or caption (``image-label``, ``image-caption``) is
  reported naming the figure; the caption sentence's own text is the structure layer's.
* *Contents and links.* When the brief has a table of contents, the page has one ``<nav>``
  titled with the label, listing exactly the manifest's headings in order, each at its depth
  and linking to its heading's anchor (``contents-missing``, ``contents-label``,
  ``contents-entry``, ``contents-level``, ``contents-link``; a ``<nav>`` in a brief without
  contents is ``contents-extra``). Every heading carries its anchor as its id
  (``heading-anchor``). Each cross-reference is a link around exactly its wording to the
  anchor the manifest records, and no other text of a sentence is one (``ref-link``).
* *Emphasis and links.* Each sentence shows in italics and in bold exactly its manifest's
  emphasised parts (``emphasis``), and as links out of the page exactly its manifest's link
  parts, each around its text and leading to its address (``link``): compared by
  :func:`~briefkit.formats.checking.emphasis_problems` and
  :func:`~briefkit.formats.checking.link_problems`, so emphasis on a quotation's words, an
  added, removed, moved or re-addressed link is reported naming the sentence. Italics, bold or
  a link out of the page anywhere else (the title, a heading, a note or its excerpt, the
  bibliography, a label) is reported with the same codes, naming where it stands.
* *Accounting.* Every visible character of ``<main>``, in document order, belongs to the
  document the manifest describes as the writer renders it (:func:`outline`, then the notes:
  the heading, each note's text, its back link and its excerpts); the title block, headings,
  block-quote attributions, the bibliography and the sources appendix are compared here, and
  text that belongs to no piece is ``unlinked-text``. Sentences, notes, excerpts and each
  table's caption and cells are taken as the structure and table layers read them, so that a
  changed one is reported there, once; text in a table outside its cells is unlinked. So
  are each figure's label and the table of contents' title and links, which the image and
  contents layers compare.
* *Out of sight.* Each note's ``data-cites`` lists exactly its sentence's citations, in order
  (``note-cites``), each back link's accessible name (``aria-label``) is the one briefkit
  gives it (``foreign-markup``) and ``<html lang>`` is the manifest's language
  (``page-language``).

Labels and furniture (headings, the analysis label, each excerpt's caption and source link,
the back links' names) are read in the language the manifest records; the sources appendix's
record of each source is English in every language (an audit record).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import attrs

from briefkit._locators import page_index
from briefkit.errors import ReadError
from briefkit.formats.checking import (
    Checked,
    Expected,
    Piece,
    account,
    cites_problem,
    diff,
    embedded_or_given,
    emphasis_problems,
    link_problems,
    locale_of,
    note_text_problem,
    outline,
    squash,
)
from briefkit.formats.checking import shown_lines as _shown_lines
from briefkit.formats.html._anchors import contents_anchors, heading_anchors, nesting
from briefkit.formats.html._container import ALIGN_CLASS
from briefkit.formats.html._images import source_problems
from briefkit.formats.html.reader import (
    STYLE,
    HtmlCell,
    HtmlContents,
    HtmlFigure,
    HtmlRef,
    HtmlTable,
    passage_link,
    read_html,
)
from briefkit.manifest import (
    Manifest,
    ManifestCitation,
    ManifestImage,
    ManifestSentence,
    ManifestTable,
)
from briefkit.plan import figure_label, safe_url, table_caption
from briefkit.problems import Problem

__all__ = ["HtmlChecker", "check"]

#: DEL and the C1 controls as the HTML writer shows them (one for one; see its docstring)
_FORBIDDEN = {0x7F: "\u2421", **dict.fromkeys(range(0x80, 0xA0), "\ufffd")}


def shown_lines(text: str, joiner: str = "\n") -> str:
    """``text`` as the HTML writer shows it: :func:`~briefkit.formats.checking.shown_lines`,
    with DEL as ``␡`` and each C1 control as U+FFFD."""
    return _shown_lines(text, joiner).translate(_FORBIDDEN)


#: Where a sentence of each block kind stands (see the reader's ``sentence_blocks``).
_BLOCK = {
    "key_point": "item",
    "list": "item",
    "paragraph": "paragraph",
    "quote": "quote",
    "cell": "cell",
    "caption": "caption",
}
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
    pieces = outline(manifest)
    return [
        *_markup_problems(contents, manifest),
        *_mark_and_note_problems(contents, manifest),
        *_cites_problems(contents, manifest),
        *_sentence_problems(contents.sentences, manifest),
        *_order_problems(contents, manifest),
        *_table_problems(contents, manifest),
        *_image_problems(contents, manifest),
        *_contents_problems(contents, manifest, pieces),
        *_anchor_problems(contents, pieces),
        *_ref_problems(contents, manifest),
        *_inline_problems(contents, manifest),
        *_excerpt_problems(contents, manifest),
        *_link_problems(contents, manifest),
        *_accounting_problems(contents, manifest, pieces),
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
            tables = [t.number for t in manifest.tables if f"table-{t.number}" in shown]
            problems.append(
                Problem(
                    "foreign-markup",
                    "the page's style sheet is not briefkit's"
                    + (f" (it names sentence {named[0]})" if named else "")
                    + (f" (it names table {tables[0]})" if tables and not named else "")
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
    places = cell_places(manifest)
    for sent in manifest.sentences:
        shown_label = sent.id in labelled
        if sent.analysis and not shown_label:
            problems.append(
                Problem(
                    "label-missing",
                    f"{_named(sent, places)}: the {label!r} label is missing; the "
                    "manifest marks it as the author's own analysis",
                    sentence=sent.id,
                    note=sent.note,
                )
            )
        elif shown_label and not sent.analysis:
            problems.append(
                Problem(
                    "label-extra",
                    f"{_named(sent, places)}: the page labels it {label!r}, but "
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
    places = cell_places(manifest)
    for sent in manifest.sentences:
        shown_text = shown_texts.get(sent.id)
        if shown_text is None:
            problems.append(
                Problem(
                    "sentence-missing",
                    f"{_named(sent, places, where=sent.id in places)}: not found in the document",
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
                    f"{_named(sent, places)}: the document's text differs from the "
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
    places = cell_places(manifest)
    for sid in shown:
        sent = known[sid]
        block = contents.sentence_blocks.get(sid)
        if block is not None and block != _BLOCK.get(sent.block, block):
            problems.append(
                Problem(
                    "sentence-block",
                    f"{_named(sent, places)} stands in a {block}; the manifest puts it "
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


def cell_places(manifest: Manifest) -> dict[str, str]:
    """Where each cell sentence and each image's caption stands: ``table 2, row 3, column
    1``, ``figure 1, caption`` by sentence id."""
    places = {
        cell.sentence: f"table {t.number}, row {r}, column {c}"
        for t in manifest.tables
        for r, row in enumerate(t.rows, 1)
        for c, cell in enumerate(row, 1)
        if cell.sentence is not None
    }
    places.update((i.caption, f"figure {i.number}, caption") for i in manifest.images)
    return places


def _named(sent: ManifestSentence, places: Mapping[str, str], *, where: bool = True) -> str:
    """``sentence s3 (its place)`` (a cell sentence's place is its table, row and column), or
    ``sentence s3`` when not ``where``."""
    if not where:
        return f"sentence {sent.id}"
    return f"sentence {sent.id} ({places.get(sent.id, sent.place)})"


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


# -- tables ------------------------------------------------------------------------------------


def page_tables(contents: HtmlContents) -> dict[int, HtmlTable]:
    """The page's tables by the number their id gives them (``table-2``; the first of two
    with the same id)."""
    found: dict[int, HtmlTable] = {}
    for table in contents.tables:
        if table.id is not None and table.id.startswith("table-") and table.id[6:].isdigit():
            found.setdefault(int(table.id[6:]), table)
    return found


def _table_problems(contents: HtmlContents, manifest: Manifest) -> list[Problem]:
    """Each of the manifest's tables stands in the page with its id, caption, header row and
    body rows, each cell in its row and column: the element, ``scope`` and alignment class
    briefkit gives it and exactly the text it shows (a label, or its sentence with the
    analysis label and the note mark; the sentence's own text is compared by the structure
    layer)."""
    problems: list[Problem] = []
    shown = page_tables(contents)
    locale = locale_of(manifest)
    check = _CellCheck(contents, manifest)
    for t in manifest.tables:
        first = next((c.sentence for row in t.rows for c in row if c.sentence), None)
        name = f"table {t.number}"
        page = shown.get(t.number)
        if page is None:
            problems.append(
                Problem(
                    "table-missing",
                    f"{name} ({_short(t.caption)}): the page has no table with the id "
                    f"'table-{t.number}'",
                    sentence=first,
                )
            )
            continue
        want = shown_lines(table_caption(locale, t.number, t.caption))
        if page.captions != (want,):
            if not page.captions:
                detail = f"it has no caption; briefkit captions it {want!r}"
            elif len(page.captions) > 1:
                detail = f"it has {len(page.captions)} captions; briefkit writes one, {want!r}"
            else:
                detail = f"the caption differs from the manifest: {diff(want, page.captions[0])}"
            problems.append(Problem("table-caption", f"{name}: {detail}", sentence=first))
        problems += check.header(t, page)
        problems += check.body(t, page)
    return problems


class _CellCheck:
    """Compares a page's table cells with the manifest's."""

    def __init__(self, contents: HtmlContents, manifest: Manifest) -> None:
        self.sentences = contents.sentences
        self.notes = {s.id: s.note for s in manifest.sentences}
        self.analysis = f"{_analysis(manifest)}: "
        self.labelled = _labelled(contents, manifest)
        self.marks: dict[str | None, str] = {}
        for mark in contents.marks:
            self.marks[mark.sentence] = self.marks.get(mark.sentence, "") + mark.label

    def header(self, t: ManifestTable, page: HtmlTable) -> list[Problem]:
        name = f"table {t.number}"
        problems: list[Problem] = []
        if len(page.head) != 1:
            problems.append(
                Problem(
                    "table-header",
                    f"{name} has {len(page.head)} header rows (<thead>); briefkit writes one",
                )
            )
        head = page.head[0] if page.head else ()
        if head and len(head) != len(t.header):
            problems.append(
                Problem(
                    "table-header",
                    f"{name}: the header row has {len(head)} cells; the manifest's table has "
                    f"{len(t.header)} columns{_extra_cells(head, len(t.header))}",
                )
            )
        for c, (label, cell) in enumerate(zip(t.header, head, strict=False), 1):
            where = f"{name}, header, column {c}"
            want = shown_lines(label)
            if cell.sentences or cell.text != want:
                problems.append(
                    Problem(
                        "table-header",
                        f"{where}: the column's label differs from the manifest: "
                        f"{diff(want, cell.text) or 'it ' + _held(cell)}",
                    )
                )
            problems += self.element(cell, where, ("th", "col"), t.align[c - 1])
        return problems

    def body(self, t: ManifestTable, page: HtmlTable) -> list[Problem]:
        name = f"table {t.number}"
        problems: list[Problem] = []
        if len(page.body) != len(t.rows):
            extra = ""
            if len(page.body) > len(t.rows):
                more = page.body[len(t.rows)]
                extra = f"; row {len(t.rows) + 1} reads {_short(_row_text(more))}"
            problems.append(
                Problem(
                    "table-row",
                    f"{name} shows {len(page.body)} body rows; the manifest's table has "
                    f"{len(t.rows)}{extra}",
                )
            )
        for r, (row, cells) in enumerate(zip(t.rows, page.body, strict=False), 1):
            sid = next((c.sentence for c in row if c.sentence), None)
            if len(cells) != len(row):
                problems.append(
                    Problem(
                        "table-row",
                        f"{name}, row {r} has {len(cells)} cells; the manifest's row has "
                        f"{len(row)}{_extra_cells(cells, len(row))}",
                        sentence=sid,
                    )
                )
            for c, (want, cell) in enumerate(zip(row, cells, strict=False), 1):
                where = f"{name}, row {r}, column {c}"
                if want.sentence is not None:
                    problems += self.sentence_cell(want.sentence, cell, where)
                else:
                    text = shown_lines(want.text)
                    if cell.sentences or cell.text != text:
                        what = f"label {want.text!r}" if want.text else "empty cell"
                        how = _held(cell)
                        if not cell.sentences and text and diff(text, cell.text):
                            how = f"reads otherwise: {diff(text, cell.text)}"
                        problems.append(
                            Problem(
                                "table-cell",
                                f"{where}: the cell differs from the manifest's {what}: it {how}",
                                sentence=cell.sentences[0] if cell.sentences else sid,
                            )
                        )
                # a label in the first column heads its row; every other cell is data
                heads = c == 1 and want.sentence is None and bool(want.text)
                element: tuple[str, str | None] = ("th", "row") if heads else ("td", None)
                problems += self.element(cell, where, element, t.align[c - 1], want.sentence or sid)
        return problems

    def sentence_cell(self, sid: str, cell: HtmlCell, where: str) -> list[Problem]:
        note = self.notes.get(sid)
        if cell.sentences != (sid,):
            return [
                Problem(
                    "table-cell",
                    f"{where}: the manifest puts sentence {sid} in this cell; the page's cell "
                    + (_held(cell) if cell.sentences else f"holds no sentence, it {_held(cell)}"),
                    sentence=sid,
                    note=note,
                )
            ]
        label = self.analysis if sid in self.labelled else ""
        want = label + self.sentences.get(sid, "") + self.marks.get(sid, "")
        if cell.text == want:
            return []
        return [
            Problem(
                "table-cell",
                f"{where}: the cell shows more than its sentence {sid}: {diff(want, cell.text)}",
                sentence=sid,
                note=note,
            )
        ]

    def element(
        self,
        cell: HtmlCell,
        where: str,
        want: tuple[str, str | None],
        align: str,
        sentence: str | None = None,
    ) -> list[Problem]:
        problems: list[Problem] = []
        if (cell.tag, cell.scope) != want:
            problems.append(
                Problem(
                    "table-scope",
                    f"{where} is {_element(cell.tag, cell.scope)}; briefkit writes "
                    f"{_element(*want)} (its scope tells a screen reader which cells it heads)",
                    sentence=sentence,
                )
            )
        if cell.align != ALIGN_CLASS[align]:
            problems.append(
                Problem(
                    "table-align",
                    f"{where} has the class {cell.align!r}; the manifest aligns the column "
                    f"{align} ({ALIGN_CLASS[align]!r})",
                    sentence=sentence,
                )
            )
        return problems


def _element(tag: str, scope: str | None) -> str:
    return f'<{tag} scope="{scope}">' if scope is not None else f"<{tag}>"


def _held(cell: HtmlCell) -> str:
    """What a cell holds, in a problem's words (after "it")."""
    if not cell.sentences:
        return f"reads {_short(cell.text)}"
    return f"holds sentence {', '.join(cell.sentences)}: {_short(cell.text)}"


def _row_text(cells: tuple[HtmlCell, ...]) -> str:
    return " | ".join(c.text for c in cells)


def _extra_cells(cells: tuple[HtmlCell, ...], width: int) -> str:
    if len(cells) <= width:
        return ""
    return f" (column {width + 1} reads {_short(cells[width].text)})"


# -- images ------------------------------------------------------------------------------------

_FIGURE_ID = re.compile(r"figure-(\d{1,9})\Z")


def page_figures(contents: HtmlContents) -> dict[int, HtmlFigure]:
    """The page's image figures by the number their id gives them (``figure-2``; the first
    of two with the same id)."""
    found: dict[int, HtmlFigure] = {}
    for figure in contents.figures:
        m = _FIGURE_ID.match(figure.id or "")
        if m is not None:
            found.setdefault(int(m.group(1)), figure)
    return found


def _image_problems(contents: HtmlContents, manifest: Manifest) -> list[Problem]:
    """Each of the manifest's images stands in the page as ``figure-N``: one ``<img>`` whose
    source is a data URI of exactly the manifest's bytes (its type and sha256), with the
    manifest's alt text and size, then one caption: the label ``Figure N.`` and the caption
    sentence (whose text the structure layer compares). A figure the manifest does not have
    is reported too."""
    problems: list[Problem] = []
    shown = page_figures(contents)
    locale = locale_of(manifest)
    notes = {s.id: s.note for s in manifest.sentences}
    for img in manifest.images:
        name = f"figure {img.number}"
        note = notes.get(img.caption)
        figure = shown.get(img.number)
        if figure is None:
            problems.append(
                Problem(
                    "image-missing",
                    f"{name} ({_short(img.alt)}): the page has no figure with the id "
                    f"'figure-{img.number}'",
                    sentence=img.caption,
                    note=note,
                )
            )
            continue
        found = [
            (code, f"{name}: {message}")
            for code, message in _figure_differences(img, figure, locale.labels)
        ]
        want = shown_lines(figure_label(locale, img.number))
        if figure.labels != (want,):
            found.append(
                (
                    "image-label",
                    f"{name}: its caption's label reads {list(figure.labels)}; briefkit "
                    f"labels it {want!r}",
                )
            )
        problems += [Problem(code, m, sentence=img.caption, note=note) for code, m in found]
    numbers = {img.number for img in manifest.images}
    seen: set[int] = set()
    for figure in contents.figures:
        m = _FIGURE_ID.match(figure.id or "")
        number = int(m.group(1)) if m is not None else None
        if number is not None and number in numbers and number not in seen:
            seen.add(number)
            continue
        what = f"figure {number}" if number is not None else f"a figure with the id {figure.id!r}"
        problems.append(
            Problem(
                "image-extra",
                f"{what} (line {figure.line}, column {figure.column}): the page shows "
                + (
                    "a second figure with this id"
                    if number in seen
                    else "a figure the manifest does not have"
                ),
                sentence=figure.sentences[0] if figure.sentences else None,
            )
        )
    return problems


def _figure_differences(
    img: ManifestImage, figure: HtmlFigure, labels: Mapping[str, str]
) -> Iterator[tuple[str, str]]:
    """How a figure of the page differs from the manifest's image: ``(code, message)``."""
    if figure.captions != 1:
        yield "image-caption", f"it has {figure.captions} captions; briefkit writes one"
    if figure.sentences != (img.caption,):
        held = ", ".join(figure.sentences) or "no sentence"
        yield (
            "image-caption",
            f"its caption holds {held}; the manifest captions it with sentence {img.caption}",
        )
    if not figure.images:
        yield "image-missing", "its figure holds no image"
        return
    if len(figure.images) > 1:
        yield "image-extra", f"its figure holds {len(figure.images)} images; briefkit writes one"
    shown = figure.images[0]
    yield from source_problems(img, shown.src)
    alt = shown_lines(img.alt, " ")
    if shown.alt is None:
        yield "image-alt", f"the image has no alt text; the manifest's is {_short(alt)}"
    elif shown.alt != alt:
        yield (
            "image-alt",
            f"the image's alt text reads {_short(shown.alt, 60)}; the manifest's is "
            f"{_short(alt, 60)} ({diff(alt, shown.alt) or 'other characters'})",
        )
    size = (str(img.width), str(img.height))
    if (shown.width, shown.height) != size:
        yield (
            "image-size",
            f"the image is shown {shown.width}×{shown.height}; the manifest's image is "
            f"{img.width}×{img.height} pixels",
        )


# -- table of contents, anchors and cross-references -------------------------------------------


def _contents_problems(
    contents: HtmlContents, manifest: Manifest, pieces: Sequence[Piece]
) -> list[Problem]:
    """The table of contents (when the brief has one) is one ``<nav>`` titled with the
    label, listing exactly the manifest's headings in order: each entry's text, how deep it
    is nested and the heading anchor it links to."""
    if not manifest.brief.get("contents"):
        return [
            Problem(
                "contents-extra",
                f"the page shows a table of contents (line {nav.line}); the manifest's brief "
                "has none",
            )
            for nav in contents.navs
        ]
    if not contents.navs:
        return [Problem("contents-missing", "the page has no table of contents (<nav>)")]
    nav = contents.navs[0]
    problems: list[Problem] = []
    label = shown_lines(locale_of(manifest).labels["contents"])
    if nav.labels != (label,):
        problems.append(
            Problem(
                "contents-label",
                f"the table of contents is titled {list(nav.labels)}; briefkit titles it {label!r}",
            )
        )
    entries = [p for p in pieces if p.kind == "contents" and p.level > 0]
    anchors = contents_anchors(pieces)
    depths = nesting(p.level for p in entries)
    if len(nav.entries) != len(entries):
        extra = ""
        if len(nav.entries) > len(entries):
            extra = f"; entry {len(entries) + 1} reads {_short(nav.entries[len(entries)].text)}"
        problems.append(
            Problem(
                "contents-entry",
                f"the table of contents lists {len(nav.entries)} headings; the manifest's "
                f"brief has {len(entries)}{extra}",
            )
        )
    for k, (piece, anchor, depth, shown) in enumerate(
        zip(entries, anchors, depths, nav.entries, strict=False), 1
    ):
        name = f"contents entry {k} ({_short(piece.text)})"
        want = shown_lines(piece.text)
        if shown.text != want:
            problems.append(
                Problem(
                    "contents-entry",
                    f"{name}: the entry differs from the heading: {diff(want, shown.text)}",
                )
            )
        if anchor is not None and shown.href != f"#{anchor}":
            problems.append(
                Problem(
                    "contents-link",
                    f"{name} links to {shown.href!r}; the heading's anchor is '#{anchor}'",
                )
            )
        if shown.depth != depth:
            problems.append(
                Problem(
                    "contents-level",
                    f"{name} stands in a list nested {shown.depth} deep; briefkit nests it "
                    f"{depth} deep (a heading of level {piece.level})",
                )
            )
    return problems


def _anchor_problems(contents: HtmlContents, pieces: Sequence[Piece]) -> list[Problem]:
    """Each heading carries its anchor as its id (the contents and cross-references link to
    it). A heading whose text differs is the accounting's to report."""
    shown: dict[str, str] = {}
    for (_level, heading), hid in zip(contents.headings, contents.heading_ids, strict=True):
        if hid is not None:
            shown.setdefault(hid, heading)
    texts = {squash(shown_lines(p.text)) for p in pieces if p.kind == "heading"}
    problems: list[Problem] = []
    for k, anchor in heading_anchors(pieces).items():
        piece = pieces[k]
        text = shown.get(anchor)
        if text is None:
            problems.append(
                Problem(
                    "heading-anchor",
                    f"the heading {_short(piece.text)}: no heading of the page has its anchor "
                    f"{anchor!r} as its id, so links to it lead nowhere",
                )
            )
        elif squash(text) != squash(shown_lines(piece.text)) and squash(text) in texts:
            problems.append(
                Problem(
                    "heading-anchor",
                    f"the id {anchor!r} stands on the heading {_short(text)}; it is the anchor "
                    f"of the heading {_short(piece.text)}",
                )
            )
    return problems


def _ref_problems(contents: HtmlContents, manifest: Manifest) -> list[Problem]:
    """Each cross-reference of a sentence is a link (``<a class="ref">``) around exactly its
    wording, to the anchor of what it names; no other text of a sentence is such a link."""
    refs: dict[str | None, list[HtmlRef]] = {}
    for ref in contents.refs:
        refs.setdefault(ref.sentence, []).append(ref)
    places = cell_places(manifest)
    problems: list[Problem] = []
    for sent in manifest.sentences:
        if sent.id not in contents.sentences:
            continue  # reported as missing
        want = [(f"#{p.ref}", shown_lines(p.text)) for p in sent.parts if p.ref is not None]
        got = [(r.href, r.text) for r in refs.get(sent.id, ())]
        if got == want:
            continue
        name = _named(sent, places)
        if len(got) != len(want):
            detail = (
                f"the page links {len(got)} cross-reference(s) "
                f"({', '.join(f'{t!r} to {h!r}' for h, t in got[:3]) or 'none'}); the "
                f"manifest's sentence has {len(want)} "
                f"({', '.join(f'{t!r} to {h!r}' for h, t in want[:3]) or 'none'})"
            )
        else:
            k, ((href, text), (want_href, want_text)) = next(
                (k, pair)
                for k, pair in enumerate(zip(got, want, strict=True), 1)
                if pair[0] != pair[1]
            )
            detail = (
                f"cross-reference {k} links {text!r} to {href!r}; the manifest's reference "
                f"{want_text!r} leads to {want_href!r}"
            )
        problems.append(Problem("ref-link", f"{name}: {detail}", sentence=sent.id, note=sent.note))
    return problems


def _inline_problems(contents: HtmlContents, manifest: Manifest) -> list[Problem]:
    """Each sentence shows in italics, in bold and as links out of the page exactly its
    manifest's emphasised parts and links (``emphasis``, ``link``); nothing outside a sentence
    is shown so at all."""
    places = cell_places(manifest)
    problems: list[Problem] = []
    for sent in manifest.sentences:
        if sent.id not in contents.sentences:
            continue  # reported as missing
        shown = _as_shown(sent)
        name = _named(sent, places)
        problems += emphasis_problems(shown, contents.emphasis.get(sent.id, ()), name)
        problems += link_problems(shown, contents.links.get(sent.id, ()), name)
    for code, found, what in (
        ("emphasis", contents.emphasis_elsewhere, "no emphasis"),
        ("link", contents.links_elsewhere, "no link"),
    ):
        problems += [
            Problem(
                code,
                f"{f.what} {f.where}, where briefkit writes {what} (line {f.line}, column "
                f"{f.column})",
                sentence=f.sentence or _sentence_of_note(manifest, f.note),
                note=f.note,
            )
            for f in found
        ]
    return problems


def _as_shown(sent: ManifestSentence) -> ManifestSentence:
    """``sent`` with DEL and the C1 controls of its emphasised and linked parts as the page
    shows them (``␡``, U+FFFD)."""
    if all(p.style is None and p.href is None for p in sent.parts):
        return sent
    return attrs.evolve(
        sent,
        parts=tuple(
            attrs.evolve(p, text=p.text.translate(_FORBIDDEN))
            if p.style is not None or p.href is not None
            else p
            for p in sent.parts
        ),
    )


# -- accounting --------------------------------------------------------------------------------


@attrs.frozen
class _Where:
    """What an accounting label names."""

    sentence: str | None = None
    note: int | None = None


def _pieces(
    contents: HtmlContents, manifest: Manifest, pieces: Sequence[Piece]
) -> Iterator[tuple[str, str, _Where]]:
    """``(text, label, where)`` for each piece of ``<main>`` in reading order, as the writer
    renders it. Sentences, notes, excerpts, tables, figure labels and the table of contents
    are taken as the page shows them (the structure, table, image and contents checks
    compare them with the manifest); furniture is as briefkit writes it."""
    marks: dict[str | None, list[str]] = {}
    for mark in contents.marks:
        marks.setdefault(mark.sentence, []).append(mark.label)
    source = 0
    labelled = _labelled(contents, manifest)
    analysis = f"{_analysis(manifest)}: "
    tables = page_tables(contents)
    figures = page_figures(contents)
    placed: set[int] = set()
    listed = False
    for piece in pieces:
        sent = piece.sentence
        if piece.kind == "contents":
            # the table of contents as the page shows it (the contents layer compares it)
            if not listed and contents.navs:
                nav = contents.navs[0]
                for label in nav.labels:
                    yield label, "the title of the table of contents", _Where()
                for k, entry in enumerate(nav.entries, 1):
                    yield entry.text, f"contents entry {k}", _Where()
            listed = True
            continue
        if piece.kind == "image" and piece.image is not None:
            figure = figures.get(piece.image.number)
            for label in figure.labels if figure is not None else ():
                yield label, f"the label of figure {piece.image.number}", _Where()
            continue
        if piece.table is not None:
            # a table as the page shows it, cell by cell (the table layer compares each cell
            # with the manifest, and names it)
            if piece.table.number not in placed:
                placed.add(piece.table.number)
                page = tables.get(piece.table.number)
                if page is not None:
                    yield from _table_pieces(page, piece.table.number)
            continue
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


def _table_pieces(page: HtmlTable, number: int) -> Iterator[tuple[str, str, _Where]]:
    name = f"table {number}"
    for caption in page.captions:
        yield caption, f"the caption of {name}", _Where()
    for k, row in enumerate(page.head, 1):
        head = "header" if k == 1 else f"header row {k}"
        for c, cell in enumerate(row, 1):
            yield cell.text, f"{name}, {head}, column {c}", _Where()
    for r, row in enumerate(page.body, 1):
        for c, cell in enumerate(row, 1):
            sid = cell.sentences[0] if cell.sentences else None
            yield cell.text, f"{name}, row {r}, column {c}", _Where(sid)


def _accounting_problems(
    contents: HtmlContents, manifest: Manifest, outlined: Sequence[Piece]
) -> list[Problem]:
    pieces = [
        Expected(text, label, where.sentence, where.note)
        for text, label, where in _pieces(contents, manifest, outlined)
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
