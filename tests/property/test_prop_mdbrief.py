"""The Markdown brief format: any brief written with ``dumps`` reads back as the same model —
tables (hard labels, captions and alignments, sentences in any column), figure measures, the
table of differences and the front matter keys that go with them included."""

from __future__ import annotations

import tempfile
from pathlib import Path

import attrs
from hypothesis import event, given, settings
from hypothesis import strategies as st

import briefkit
from briefkit import mdbrief
from briefkit.excerpts import Excerpt, Figure
from briefkit.model import (
    Block,
    Brief,
    BulletList,
    Cell,
    Differences,
    Inline,
    Paragraph,
    Section,
    Sentence,
    Table,
)
from briefkit.testing import briefs, hard_text

from . import corpus_files, write_files


def _sentence(sent: Sentence) -> Sentence:
    """Adjacent text parts merged and empty ones dropped (the file cannot tell them apart)."""
    parts: list[Inline] = []
    for part in sent.parts:
        if isinstance(part, str):
            if not part:
                continue
            if parts and isinstance(parts[-1], str):
                parts[-1] += part
                continue
        parts.append(part)
    return attrs.evolve(sent, parts=tuple(parts))  # flags, accepted numbers and all


def _cell(cell: Cell) -> Cell:
    return _sentence(cell) if isinstance(cell, Sentence) else cell


def _section(sec: Section) -> Section:
    blocks: list[Block] = []
    for block in sec.blocks:
        if isinstance(block, Paragraph):
            blocks.append(Paragraph(tuple(map(_sentence, block.sentences))))
        elif isinstance(block, BulletList):
            blocks.append(BulletList(tuple(map(_sentence, block.items))))
        elif isinstance(block, Table):
            rows = tuple(tuple(map(_cell, row)) for row in block.rows)
            blocks.append(attrs.evolve(block, rows=rows))
        else:
            blocks.append(block)
    return Section(sec.heading, tuple(blocks), tuple(map(_section, sec.subsections)))


#: accepted numbers: any text around a digit run (quotes, backslashes, line breaks included)
_numbers = st.tuples(
    st.text(max_size=3), st.from_regex(r"[0-9]{1,5}", fullmatch=True), st.text(max_size=3)
).map("".join)


def _flagged(brief: Brief, data: st.DataObject) -> Brief:
    """``brief`` with accepted numbers, and ``several`` where it was not needed, drawn for
    some of its sentences (block quotes hold no such flags)."""

    def flag(sent: Sentence) -> Sentence:
        numbers = data.draw(st.lists(_numbers, max_size=2), label="accept")
        several = sent.several or data.draw(st.booleans(), label="several")
        return attrs.evolve(sent, accept_numbers=tuple(numbers), several=several)

    def section(sec: Section) -> Section:
        blocks: list[Block] = []
        for block in sec.blocks:
            if isinstance(block, Paragraph):
                blocks.append(Paragraph(tuple(map(flag, block.sentences))))
            elif isinstance(block, BulletList):
                blocks.append(BulletList(tuple(map(flag, block.items))))
            else:
                blocks.append(block)
        return Section(sec.heading, tuple(blocks), tuple(map(section, sec.subsections)))

    return attrs.evolve(
        brief,
        key_points=tuple(map(flag, brief.key_points)),
        sections=tuple(map(section, brief.sections)),
    )


#: table labels: hard text that a Markdown brief can hold (empty, or not blanks only)
_labels = hard_text(0, 12).filter(lambda s: not s or bool(s.strip()))
_captions = hard_text(1, 20).filter(lambda s: bool(s.strip()))
_measures = hard_text(1, 12).filter(lambda s: bool(s.strip()))


def _tabled(brief: Brief, data: st.DataObject) -> Brief:
    """``brief`` with some of its paragraphs and lists made tables (a row per sentence, in a
    drawn column, with a drawn label naming the row), measures drawn for some of its figures
    (and accepted, so that no source's other values make the brief one-sided), and the table
    of differences placed in at most one section or asked for in the front matter."""
    measures: list[str] = []
    placed = False

    def measured(ex: Excerpt) -> Excerpt:
        if not isinstance(ex, Figure) or not data.draw(st.booleans(), label="measured"):
            return ex
        measure = data.draw(_measures, label="measure")
        measures.append(measure)
        return attrs.evolve(ex, measure=measure)

    def part(p: Inline) -> Inline:
        if isinstance(p, Figure):
            figure = measured(p)
            assert isinstance(figure, Figure)
            return figure
        return p

    def sentence(sent: Sentence) -> Sentence:
        parts = tuple(map(part, sent.parts))
        return attrs.evolve(sent, parts=parts, cites=tuple(map(measured, sent.cites)))

    def table(sentences: tuple[Sentence, ...]) -> Table:
        header = data.draw(st.lists(_labels, min_size=1, max_size=4), label="header")
        width = len(header)
        rows: list[tuple[Cell, ...]] = []
        for sent in sentences:
            row: list[Cell] = [data.draw(_labels, label="row label"), *[""] * (width - 1)]
            row[data.draw(st.integers(0, width - 1), label="column")] = sentence(sent)
            rows.append(tuple(row))
        align = data.draw(
            st.just(())
            | st.lists(
                st.sampled_from(("left", "center", "right")), min_size=width, max_size=width
            ),
            label="align",
        )
        return Table(data.draw(_captions, label="caption"), tuple(header), tuple(rows), align)

    def section(sec: Section) -> Section:
        nonlocal placed
        blocks: list[Block] = []
        for block in sec.blocks:
            if isinstance(block, Paragraph | BulletList) and data.draw(st.booleans(), label="t"):
                items = block.sentences if isinstance(block, Paragraph) else block.items
                blocks.append(table(items))
            elif isinstance(block, Paragraph):
                blocks.append(Paragraph(tuple(map(sentence, block.sentences))))
            elif isinstance(block, BulletList):
                blocks.append(BulletList(tuple(map(sentence, block.items))))
            else:
                blocks.append(block)
        if not placed and data.draw(st.booleans(), label="differences here"):
            placed = True
            caption = data.draw(st.none() | hard_text(0, 20), label="differences caption")
            blocks.insert(data.draw(st.integers(0, len(blocks))), Differences(caption))
        return Section(sec.heading, tuple(blocks), tuple(map(section, sec.subsections)))

    return attrs.evolve(
        brief,
        key_points=tuple(map(sentence, brief.key_points)),
        sections=tuple(map(section, brief.sections)),
        differences=data.draw(st.booleans(), label="differences"),
        accept_differences=tuple(measures),
    )


def normal(brief: Brief) -> Brief:
    return Brief(
        title=brief.title,
        sections=tuple(map(_section, brief.sections)),
        key_points=tuple(map(_sentence, brief.key_points)),
        subtitle=brief.subtitle,
        author=brief.author,
        date=brief.date,
        sources_appendix=brief.sources_appendix,
        differences=brief.differences,
        accept_differences=brief.accept_differences,
    )


def _round_trip(
    files: dict[str, bytes], data: st.DataObject, aliased: bool, *, tabled: bool | None
) -> None:
    """Draw a brief over ``files`` (with tables when ``tabled``, drawn when None), write it,
    and read it back."""
    with tempfile.TemporaryDirectory(prefix="briefkit-md-") as tmp:
        root = Path(tmp) / "src"
        root.mkdir()
        write_files(root, files)
        corpus = briefkit.Corpus.from_dir(root)
        brief = data.draw(briefs(corpus), label="brief")
        if data.draw(st.booleans(), label="flagged"):
            brief = _flagged(brief, data)
        if tabled or (tabled is None and data.draw(st.booleans(), label="tabled")):
            brief = _tabled(brief, data)
        aliases = None
        if aliased:  # some sources get a short key; the others are listed under their ids
            keep = data.draw(st.lists(st.booleans(), min_size=len(files), max_size=len(files)))
            aliases = {f"k{n}": sid for n, sid in enumerate(sorted(files)) if keep[n]}
        text = mdbrief.dumps(brief, sources="src", aliases=aliases)
        event(f"tables: {min(text.count(chr(10) + 'Table: '), 2)}")
        event(f"measures: {bool(brief.accept_differences)}")
        path = Path(tmp) / "brief.md"
        path.write_text(text, encoding="utf-8", newline="")
        loaded = mdbrief.load(path)
        assert loaded.brief == normal(brief), text
        assert loaded.sources == root.resolve()
        # and the text survives a second round unchanged
        assert mdbrief.dumps(loaded.brief, sources="src", aliases=aliases) == text


@settings(max_examples=60, deadline=None)
@given(files=corpus_files, data=st.data(), aliased=st.booleans())
def test_written_briefs_read_back_as_the_same_model(
    files: dict[str, bytes], data: st.DataObject, aliased: bool
) -> None:
    _round_trip(files, data, aliased, tabled=None)


@settings(max_examples=60, deadline=None)
@given(files=corpus_files, data=st.data(), aliased=st.booleans())
def test_written_tables_read_back_as_the_same_model(
    files: dict[str, bytes], data: st.DataObject, aliased: bool
) -> None:
    _round_trip(files, data, aliased, tabled=True)
