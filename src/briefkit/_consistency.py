"""A manifest must agree with itself and with the sources it names.

A manifest edited to match a tampered document is caught here: each sentence's text must be
exactly its parts, each inline quotation or figure must show exactly its citation, the words
an author typed in quotation marks must occur in a cited span (the misquote check), notes must
be numbered in order and read exactly as the recorded citation style renders them from the
manifest, each source's count and order of citation must match, and — where the source file is
unchanged — every recorded offset, line, column and the quote selector's prefix and suffix
must be what the file gives.
"""

from __future__ import annotations

from collections.abc import Mapping

from briefkit._claims import PLACEHOLDER, quote_text, sentence_breaks, unsupported_numbers
from briefkit._differences import value_key
from briefkit._locators import locator_for
from briefkit._typography import isolate
from briefkit.errors import BriefkitError
from briefkit.formats.checking import diff, locale_of
from briefkit.locales import Locale
from briefkit.manifest import Manifest, ManifestCitation, ManifestSentence, ManifestSource
from briefkit.model import misquoted
from briefkit.notes import CitationStyle, Cite
from briefkit.plan import figure_ref, section_ref, table_ref
from briefkit.plan import said as said_words
from briefkit.problems import Problem
from briefkit.sources import Source, SourceMeta

__all__ = ["manifest_problems"]


class _StyleSource:
    """A manifest's record of a source, as a citation style sees it."""

    def __init__(self, record: ManifestSource) -> None:
        self.id = record.id
        self.title = record.title
        self.meta: SourceMeta = record.source_meta


def manifest_problems(
    manifest: Manifest,
    loaded: Mapping[str, Source | None],
    unchanged: set[str],
    style: CitationStyle | None,
) -> list[Problem]:
    """Every way ``manifest`` disagrees with itself, its citation ``style`` (``None`` when the
    recorded style is not at hand: its notes are then not checked), or the unchanged source
    files in ``loaded``."""
    problems: list[Problem] = []
    locale = style.locale if style is not None else locale_of(manifest)
    sources = {s.id: s for s in manifest.sources}
    seen: dict[str, int] = {}
    order: list[str] = []
    next_note = 1
    noted: list[tuple[ManifestSentence, list[Cite]]] = []
    styled: dict[str, _StyleSource] = {}
    refs = ref_texts(manifest, locale)
    for sent in manifest.sentences:
        problems.extend(_sentence_problems(sent, locale, refs))
        if sent.citations:
            if sent.note != next_note:
                problems.append(
                    Problem(
                        "note-number",
                        f"sentence {sent.id} has note {sent.note}; notes are numbered in "
                        f"reading order, so it must be note {next_note}",
                        sentence=sent.id,
                        note=sent.note,
                    )
                )
            next_note = (sent.note or next_note) + 1
        elif sent.note is not None:
            problems.append(
                Problem(
                    "note-number",
                    f"sentence {sent.id} cites nothing but has note {sent.note}",
                    sentence=sent.id,
                    note=sent.note,
                )
            )
        cites: list[Cite] = []
        for cit in sent.citations:
            record = sources.get(cit.source)
            if cit.source not in seen:
                order.append(cit.source)
            seen[cit.source] = seen.get(cit.source, 0) + 1
            if record is not None:
                seen_as = styled.get(record.id)
                if seen_as is None:
                    seen_as = styled[record.id] = _StyleSource(record)
                cites.append(Cite(seen_as, cit.position, cit.locator))
            src = loaded.get(cit.source)
            if src is not None and cit.source in unchanged:
                problems.extend(_position_problems(sent, cit, src))
        if sent.citations and len(cites) == len(sent.citations):
            noted.append((sent, cites))
    if style is not None:
        problems.extend(_style_problems(manifest, style, noted))
    problems.extend(_differences_problems(manifest, locale))
    listed = [s.id for s in manifest.sources]
    if listed != order:
        problems.append(
            Problem(
                "sources-order",
                f"the manifest lists the sources {listed}; the sentences cite {order}, in that "
                "order of first citation",
            )
        )
    for record in manifest.sources:
        if record.id in seen and record.cited != seen[record.id]:
            problems.append(
                Problem(
                    "sources-count",
                    f"source {record.id}: the manifest says it is cited {record.cited} times, "
                    f"the sentences cite it {seen[record.id]} times",
                )
            )
        src = loaded.get(record.id)
        if src is not None and record.id in unchanged:
            expected_title = record.meta.get("title") or src.title
            if record.title != expected_title:
                problems.append(
                    Problem(
                        "source-title",
                        f"source {record.id}: the manifest titles it {record.title!r}; its "
                        f"metadata and text give {expected_title!r}",
                    )
                )
            if record.size != src.size or record.bom != src.bom:
                problems.append(
                    Problem(
                        "source-record",
                        f"source {record.id}: the recorded size or BOM flag is not the file's",
                    )
                )
    return problems


def _style_problems(
    manifest: Manifest, style: CitationStyle, noted: list[tuple[ManifestSentence, list[Cite]]]
) -> list[Problem]:
    """Each note, and the bibliography, must read as ``style`` writes them from the
    manifest."""
    problems: list[Problem] = []
    try:
        texts = style.notes([cites for _, cites in noted])
        cited = {c.source_id for _, cs in noted for c in cs}
        entries = style.bibliography([_StyleSource(s) for s in manifest.sources if s.id in cited])
    except BriefkitError as exc:
        return [
            Problem("style", f"the citation style {style.name!r} cannot write the notes: {exc}")
        ]
    for (sent, _), expected in zip(noted, texts, strict=True):
        if sent.note_text is not None and expected != sent.note_text:
            problems.append(
                Problem(
                    "note-style",
                    f"note {sent.note} (sentence {sent.id}) is not what the citation style "
                    f"{style.name!r} writes from the manifest: "
                    f"{diff(expected, sent.note_text)}",
                    sentence=sent.id,
                    note=sent.note,
                )
            )
    recorded = [(e.source, e.text) for e in manifest.bibliography]
    if recorded != entries:
        wrong = next(
            (
                f"{r!r} where the style writes {w!r}"
                for r, w in zip(recorded, entries, strict=False)
                if r != w
            ),
            f"{len(recorded)} entries where the style writes {len(entries)}",
        )
        problems.append(
            Problem(
                "bibliography",
                f"the bibliography is not what the citation style {style.name!r} writes from "
                f"the manifest: {wrong}",
            )
        )
    return problems


def _differences_problems(manifest: Manifest, locale: Locale) -> list[Problem]:
    """The table of differences must be what the manifest's own figures make it: each
    disputed measure's values, each with the first figure citing it, its source's title and
    date, in order (see :mod:`briefkit._differences`). A row dropped to hide a disagreement,
    or a value moved to another source, is caught here even when the document was edited to
    match."""
    generated = [t for t in manifest.tables if t.generated]
    if not generated:
        return []
    in_generated = {c.sentence for t in generated for row in t.rows for c in row if c.sentence}
    groups: dict[str, dict[tuple[str, str], ManifestCitation]] = {}
    for sent in manifest.sentences:
        if sent.id in in_generated:
            continue
        for cit in sent.citations:
            if cit.kind == "figure" and cit.measure is not None and cit.value is not None:
                key = (cit.source, value_key(cit.value))
                groups.setdefault(cit.measure, {}).setdefault(key, cit)
    sources = {s.id: s for s in manifest.sources}
    labels = locale.labels
    want_rows: list[tuple[str, tuple[str, int, int], str, str]] = []
    for measure, given in groups.items():
        if len({key for _source, key in given}) < 2:
            continue
        for k, cit in enumerate(given.values()):
            record = sources.get(cit.source)
            title = isolate(record.title) if record is not None else ""
            issued = record.source_meta.issued if record is not None else None
            want_rows.append(
                (
                    isolate(measure) if k == 0 else "",
                    (cit.source, cit.start, cit.end),
                    title,
                    locale.date(issued) or "",
                )
            )
    by_id = {s.id: s for s in manifest.sentences}
    found: list[Problem] = []
    for table in generated:
        got_rows = []
        for row in table.rows:
            cells = list(row)
            value = by_id.get(cells[1].sentence or "") if len(cells) == 4 else None
            cited = (
                (value.citations[0].source, value.citations[0].start, value.citations[0].end)
                if value is not None and len(value.citations) == 1
                else ("", -1, -1)
            )
            got_rows.append(
                (cells[0].text, cited, cells[2].text, cells[3].text) if len(cells) == 4 else None
            )
        header = (labels["measure"], labels["value"], labels["source"], labels["date"])
        if table.header != header:
            found.append(
                Problem(
                    "differences-table",
                    f"table {table.number} (the table of differences): its columns read "
                    f"{list(table.header)}, not {list(header)}",
                )
            )
        if got_rows != want_rows:
            first = next(
                (k for k, (a, b) in enumerate(zip(got_rows, want_rows, strict=False), 1) if a != b),
                min(len(got_rows), len(want_rows)) + 1,
            )
            found.append(
                Problem(
                    "differences-table",
                    f"table {table.number} (the table of differences) has {len(got_rows)} "
                    f"rows where the manifest's figures make {len(want_rows)}; row {first} is "
                    "not the value, source and date the figures give",
                )
            )
    return found


def ref_texts(manifest: Manifest, locale: Locale) -> dict[str, str]:
    """What a cross-reference to each anchor of the document reads: ``Table 2`` for each
    table, ``Figure 2`` for each image, a section's heading in quotation marks for each
    section a sentence stands in."""
    out = {f"table-{t.number}": table_ref(locale, t.number) for t in manifest.tables}
    out.update({f"figure-{i.number}": figure_ref(locale, i.number) for i in manifest.images})
    for sent in manifest.sentences:
        for depth in range(1, len(sent.section_number) + 1):
            anchor = "sec-" + "-".join(map(str, sent.section_number[:depth]))
            out.setdefault(anchor, section_ref(locale, sent.section[depth - 1]))
    return out


def _sentence_problems(
    sent: ManifestSentence, locale: Locale, refs: Mapping[str, str]
) -> list[Problem]:
    found: list[Problem] = []

    def problem(code: str, message: str) -> None:
        found.append(Problem(code, f"sentence {sent.id}: {message}", sentence=sent.id))

    shown = "".join(p.text for p in sent.parts)
    if shown != sent.text:
        problem("parts", "its text is not the text of its parts")
    bare = sent.block == "quote"
    joined: list[str] = []
    for k, part in enumerate(sent.parts, 1):
        if part.ref is not None:
            joined.append(PLACEHOLDER)  # the library's wording, not the author's
            want_ref = refs.get(part.ref)
            if part.text != want_ref:
                shown_as = (
                    "names nothing the document holds"
                    if want_ref is None
                    else (f"reads {want_ref!r}")
                )
                problem(
                    "ref-shown",
                    f"part {k} shows {part.text!r} for a reference to {part.ref}, which {shown_as}",
                )
            continue
        if part.citation is None and not part.prose:
            joined.append(PLACEHOLDER)  # a link's address shown as itself
            continue
        if part.citation is None:
            # "Carter said, " before a quotation with that speaker is the library's wording
            after = sent.parts[k] if k < len(sent.parts) else None
            speaker = (
                sent.citations[after.citation].speaker
                if after is not None and after.kind == "quote" and after.citation is not None
                else None
            )
            said = said_words(speaker, locale) if speaker else None
            joined.append(PLACEHOLDER if part.text == said else part.text)
            continue
        joined.append(PLACEHOLDER)
        cit = sent.citations[part.citation]
        if part.kind == "quote":
            marks = None if bare else locale.quotes
            want = quote_text(cit.exact, cit.prefix, cit.suffix, marks=marks)
            if cit.kind != "quote" or part.text != want:
                problem(
                    "quote-shown",
                    f"part {k} shows {part.text!r}; its citation ({cit.kind}) quotes {want!r}",
                )
        elif part.kind == "figure":
            want = f"{cit.value} {cit.unit}" if cit.unit else (cit.value or "")
            if cit.kind != "figure" or part.text != want:
                problem(
                    "figure-shown",
                    f"part {k} shows {part.text!r}; its citation ({cit.kind}) gives {want!r}",
                )
    if bare and (len(sent.parts) != 1 or sent.parts[0].kind != "quote"):
        problem("block", "a block quote is one quotation and nothing else")
    author = "".join(joined)
    exacts = [c.exact for c in sent.citations]
    for typed in misquoted(author, exacts):
        problem(
            "misquote",
            f"misquote: the quoted words {typed!r} do not occur in any span it cites",
        )
    if not sent.several and sentence_breaks(author):
        problem(
            "several-sentences",
            "its text holds more than one sentence, but it is not marked as several "
            "sentences sharing their citations",
        )
    if sent.citations and not sent.analysis:
        for number in unsupported_numbers(author, exacts):
            if number not in sent.accepted_numbers:
                found.append(
                    Problem(
                        "unsupported-number",
                        f"sentence {sent.id}: the number {number!r} occurs in none of the "
                        "spans it cites",
                        sentence=sent.id,
                        note=sent.note,
                        severity="warning",
                        subject=number,
                    )
                )
    return found


def _position_problems(sent: ManifestSentence, cit: ManifestCitation, src: Source) -> list[Problem]:
    if cit.end > len(src.text) or src.text[cit.start : cit.end] != cit.exact:
        return []  # the citation check reports it
    try:
        actual = src.position(cit.start, cit.end)
    except Exception:  # an invalid span is reported by the citation check
        return []
    recorded = cit.position
    wrong = [
        name
        for name in (
            "byte_start",
            "byte_end",
            "line_start",
            "column_start",
            "line_end",
            "column_end",
            "prefix",
            "suffix",
        )
        if getattr(recorded, name) != getattr(actual, name)
    ]
    if locator_for(src, actual) != cit.locator:
        wrong.append("locator")
    if not wrong:
        return []
    return [
        Problem(
            "position",
            f"sentence {sent.id}: the citation of {cit.source} at chars {cit.start}–{cit.end} "
            f"records {', '.join(wrong)} that the file does not give",
            sentence=sent.id,
            note=sent.note,
        )
    ]
