"""The Markdown brief format: any brief written with ``dumps`` reads back as the same model —
tables (hard labels, captions and alignments, sentences in any column), figure measures, the
table of differences and the front matter keys that go with them included; and images (hard
alt text, odd file names, no name), ids, cross-references anywhere in a sentence and the table
of contents, with the image files written next to the brief."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import attrs
from hypothesis import event, given, settings
from hypothesis import strategies as st
from PIL import Image as Pil

import briefkit
from briefkit import mdbrief
from briefkit.excerpts import Excerpt, Figure
from briefkit.model import (
    Block,
    Brief,
    BulletList,
    Cell,
    CrossRef,
    Differences,
    Emphasis,
    Image,
    Inline,
    Paragraph,
    Section,
    Sentence,
    Table,
    sentence_problems,
)
from briefkit.problems import Place, errors
from briefkit.testing import briefs, hard_text

from . import corpus_files, write_files


def _sentence(sent: Sentence) -> Sentence:
    """Adjacent text parts merged and empty ones dropped, adjacent emphasis of one kind
    merged (the file cannot tell them apart)."""
    parts: list[Inline] = []
    for part in sent.parts:
        if isinstance(part, str):
            if not part:
                continue
            if parts and isinstance(parts[-1], str):
                parts[-1] += part
                continue
        last = parts[-1] if parts else None
        if isinstance(part, Emphasis) and isinstance(last, Emphasis):
            assert last.strong == part.strong, "_writable() keeps them apart"
            parts[-1] = Emphasis(last.text + part.text, strong=part.strong)
            continue
        parts.append(part)
    return attrs.evolve(sent, parts=tuple(parts))  # flags, accepted numbers and all


def _apart(sent: Sentence) -> Sentence:
    """``sent`` with a blank between italics and bold that would touch: ``*a***b**`` is no
    Markdown brief can write (the writer refuses it, as :func:`test_emphasis_next_to_bold`
    shows)."""
    parts: list[Inline] = []
    for part in sent.parts:
        if isinstance(part, str) and not part:
            continue
        last = parts[-1] if parts else None
        if isinstance(part, Emphasis) and isinstance(last, Emphasis) and last.strong != part.strong:
            parts.append(" ")
        parts.append(part)
    return attrs.evolve(sent, parts=tuple(parts))


def _writable(brief: Brief) -> Brief:
    def cell(c: Cell) -> Cell:
        return _apart(c) if isinstance(c, Sentence) else c

    def section(sec: Section) -> Section:
        blocks: list[Block] = []
        for block in sec.blocks:
            if isinstance(block, Paragraph):
                block = Paragraph(tuple(map(_apart, block.sentences)))
            elif isinstance(block, BulletList):
                block = BulletList(tuple(map(_apart, block.items)))
            elif isinstance(block, Table):
                block = attrs.evolve(block, rows=tuple(tuple(map(cell, r)) for r in block.rows))
            elif isinstance(block, Image):
                block = attrs.evolve(block, caption=_apart(block.caption))
            blocks.append(block)
        return attrs.evolve(
            sec, blocks=tuple(blocks), subsections=tuple(map(section, sec.subsections))
        )

    return attrs.evolve(
        brief,
        key_points=tuple(map(_apart, brief.key_points)),
        sections=tuple(map(section, brief.sections)),
    )


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
        elif isinstance(block, Image):
            blocks.append(attrs.evolve(block, caption=_sentence(block.caption)))
        else:
            blocks.append(block)
    return Section(sec.heading, tuple(blocks), tuple(map(_section, sec.subsections)), id=sec.id)


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
        return Section(sec.heading, tuple(blocks), tuple(map(section, sec.subsections)), id=sec.id)

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
        return Section(sec.heading, tuple(blocks), tuple(map(section, sec.subsections)), id=sec.id)

    return attrs.evolve(
        brief,
        key_points=tuple(map(sentence, brief.key_points)),
        sections=tuple(map(section, brief.sections)),
        differences=data.draw(st.booleans(), label="differences"),
        accept_differences=tuple(measures),
    )


def _png(color: tuple[int, int, int], size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Pil.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def _jpeg(color: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Pil.new("RGB", (3, 2), color).save(out, "JPEG", quality=90)
    return out.getvalue()


#: images to place: PNGs and a JPEG (an unnamed JPEG is written as figure-N.jpg)
_IMAGES = (_png((200, 30, 30), (4, 3)), _png((30, 30, 200), (2, 5)), _jpeg((10, 120, 10)))
_ids = st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,8}", fullmatch=True)
_alts = hard_text(1, 20).filter(lambda s: bool(s.strip()))
#: a file name the model takes: prefixed so that it names neither the sources nor the brief
_names = st.none() | st.from_regex(r"[\w.-]{1,10}", fullmatch=True)


def _given_ids(sections: tuple[Section, ...]) -> list[str]:
    """The ids the sections and tables of ``sections`` already have, in reading order."""
    out: list[str] = []
    for sec in sections:
        out += [sec.id] if sec.id is not None else []
        out += [b.id for b in sec.blocks if isinstance(b, Table | Differences) and b.id]
        out += _given_ids(sec.subsections)
    return out


def _referenced(brief: Brief, data: st.DataObject) -> Brief:
    """``brief`` with images (a copy of one of its sentences as the caption), ids drawn for
    some sections, tables, images and tables of differences, cross-references to them put
    anywhere into some sentences (where that leaves the sentence valid), and a table of
    contents drawn."""
    template = next((s for _place, _path, s in brief.walk()), None)
    ids: list[str] = _given_ids(brief.sections)  # the drawn brief's references name these
    named = 0

    def new_id() -> str | None:
        if not data.draw(st.booleans(), label="named"):
            return None
        sid = data.draw(_ids.filter(lambda i: i not in ids), label="id")
        ids.append(sid)
        return sid

    def image() -> Image:
        nonlocal named
        assert template is not None
        name = data.draw(_names, label="image name")
        if name is not None:
            named += 1
            name = f"i{named}_{name}"
        return Image(
            data.draw(st.sampled_from(_IMAGES), label="image"),
            data.draw(_alts, label="alt"),
            attrs.evolve(template, id=None),
            id=new_id(),
            name=name,
        )

    def section(sec: Section) -> Section:
        sid = sec.id if sec.id is not None else new_id()
        blocks: list[Block] = []
        for block in sec.blocks:
            if isinstance(block, Table | Differences) and block.id is None:
                block = attrs.evolve(block, id=new_id())
            blocks.append(block)
        if template is not None and data.draw(st.booleans(), label="image here"):
            blocks.insert(data.draw(st.integers(0, len(blocks)), label="at"), image())
        subs = tuple(map(section, sec.subsections))
        return Section(sec.heading, tuple(blocks), subs, id=sid)

    sections = tuple(map(section, brief.sections))
    marks = (("“", "”"), ("‘", "’")) if brief.smart_quotes else None

    def referring(sent: Sentence) -> Sentence:
        if not ids or not data.draw(st.booleans(), label="refers"):
            return sent
        at = data.draw(st.integers(0, len(sent.parts)), label="ref at")
        target = CrossRef(
            data.draw(st.sampled_from(ids), label="target"),
            page=data.draw(st.booleans(), label="with its page"),
        )
        changed = attrs.evolve(sent, parts=(*sent.parts[:at], target, *sent.parts[at:]))
        if errors(sentence_problems(Place(), changed, marks)):
            return sent  # the reference would make it read as two sentences …
        return changed

    def refer(sec: Section) -> Section:
        blocks: list[Block] = []
        for block in sec.blocks:
            if isinstance(block, Paragraph):
                block = Paragraph(tuple(map(referring, block.sentences)))
            elif isinstance(block, BulletList):
                block = BulletList(tuple(map(referring, block.items)))
            elif isinstance(block, Table):
                rows = [
                    [referring(c) if isinstance(c, Sentence) else c for c in r] for r in block.rows
                ]
                block = attrs.evolve(block, rows=tuple(map(tuple, rows)))
            elif isinstance(block, Image):
                block = attrs.evolve(block, caption=referring(block.caption))
            blocks.append(block)
        return Section(sec.heading, tuple(blocks), tuple(map(refer, sec.subsections)), id=sec.id)

    return attrs.evolve(
        brief,
        key_points=tuple(map(referring, brief.key_points)),
        sections=tuple(map(refer, sections)),
        contents=data.draw(st.booleans(), label="contents"),
    )


def _written_names(sections: tuple[Section, ...]) -> tuple[Section, ...]:
    """``sections`` with each unnamed image named as it is written: figure-N.png / .jpg."""
    count = 0

    def visit(sec: Section) -> Section:
        nonlocal count
        blocks: list[Block] = []
        for block in sec.blocks:
            if isinstance(block, Image):
                count += 1
                if block.name is None:
                    ext = ".png" if block.data.startswith(b"\x89PNG") else ".jpg"
                    block = attrs.evolve(block, name=f"figure-{count}{ext}")
            blocks.append(block)
        return Section(sec.heading, tuple(blocks), tuple(map(visit, sec.subsections)), id=sec.id)

    return tuple(visit(sec) for sec in sections)


def normal(brief: Brief) -> Brief:
    return Brief(
        title=brief.title,
        sections=tuple(map(_section, _written_names(brief.sections))),
        key_points=tuple(map(_sentence, brief.key_points)),
        subtitle=brief.subtitle,
        author=brief.author,
        date=brief.date,
        sources_appendix=brief.sources_appendix,
        differences=brief.differences,
        accept_differences=brief.accept_differences,
        contents=brief.contents,
    )


def _round_trip(
    files: dict[str, bytes],
    data: st.DataObject,
    aliased: bool,
    *,
    tabled: bool | None,
    referenced: bool = False,
) -> None:
    """Draw a brief over ``files`` (with tables when ``tabled``, drawn when None; with images,
    ids and cross-references when ``referenced``), write it with its image files, and read
    it back."""
    with tempfile.TemporaryDirectory(prefix="briefkit-md-") as tmp:
        root = Path(tmp) / "src"
        root.mkdir()
        write_files(root, files)
        corpus = briefkit.Corpus.from_dir(root)
        brief = _writable(data.draw(briefs(corpus), label="brief"))
        if data.draw(st.booleans(), label="flagged"):
            brief = _flagged(brief, data)
        if tabled or (tabled is None and data.draw(st.booleans(), label="tabled")):
            brief = _tabled(brief, data)
        if referenced:
            brief = _referenced(brief, data)
        aliases = None
        if aliased:  # some sources get a short key; the others are listed under their ids
            keep = data.draw(st.lists(st.booleans(), min_size=len(files), max_size=len(files)))
            aliases = {f"k{n}": sid for n, sid in enumerate(sorted(files)) if keep[n]}
        text = mdbrief.dumps(brief, sources="src", aliases=aliases)
        event(f"tables: {min(text.count(chr(10) + 'Table: '), 2)}")
        event(f"measures: {bool(brief.accept_differences)}")
        event(f"images: {min(text.count(chr(10) + 'Figure: '), 2)}")
        event(f"references: {min(text.count('{>'), 2)}")
        path = Path(tmp) / "brief.md"
        path.write_text(text, encoding="utf-8", newline="")
        for name, image in mdbrief.image_files(brief).items():
            (Path(tmp) / name).write_bytes(image)
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


@settings(max_examples=60, deadline=None)
@given(files=corpus_files, data=st.data(), aliased=st.booleans())
def test_written_images_ids_and_references_read_back_as_the_same_model(
    files: dict[str, bytes], data: st.DataObject, aliased: bool
) -> None:
    _round_trip(files, data, aliased, tabled=None, referenced=True)
