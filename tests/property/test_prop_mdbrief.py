"""The Markdown brief format: any brief written with ``dumps`` reads back as the same model."""

from __future__ import annotations

import tempfile
from pathlib import Path

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import briefkit
from briefkit import mdbrief
from briefkit.model import BlockQuote, Brief, BulletList, Inline, Paragraph, Section, Sentence
from briefkit.testing import briefs

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


def _section(sec: Section) -> Section:
    blocks: list[Paragraph | BulletList | BlockQuote] = []
    for block in sec.blocks:
        if isinstance(block, Paragraph):
            blocks.append(Paragraph(tuple(map(_sentence, block.sentences))))
        elif isinstance(block, BulletList):
            blocks.append(BulletList(tuple(map(_sentence, block.items))))
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
        blocks: list[Paragraph | BulletList | BlockQuote] = []
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


def normal(brief: Brief) -> Brief:
    return Brief(
        title=brief.title,
        sections=tuple(map(_section, brief.sections)),
        key_points=tuple(map(_sentence, brief.key_points)),
        subtitle=brief.subtitle,
        author=brief.author,
        date=brief.date,
        sources_appendix=brief.sources_appendix,
    )


@settings(max_examples=60, deadline=None)
@given(files=corpus_files, data=st.data(), aliased=st.booleans())
def test_written_briefs_read_back_as_the_same_model(
    files: dict[str, bytes], data: st.DataObject, aliased: bool
) -> None:
    with tempfile.TemporaryDirectory(prefix="briefkit-md-") as tmp:
        root = Path(tmp) / "src"
        root.mkdir()
        write_files(root, files)
        corpus = briefkit.Corpus.from_dir(root)
        brief = data.draw(briefs(corpus), label="brief")
        if data.draw(st.booleans(), label="flagged"):
            brief = _flagged(brief, data)
        aliases = None
        if aliased:  # some sources get a short key; the others are listed under their ids
            keep = data.draw(st.lists(st.booleans(), min_size=len(files), max_size=len(files)))
            aliases = {f"k{n}": sid for n, sid in enumerate(sorted(files)) if keep[n]}
        text = mdbrief.dumps(brief, sources="src", aliases=aliases)
        path = Path(tmp) / "brief.md"
        path.write_text(text, encoding="utf-8", newline="")
        loaded = mdbrief.load(path)
        assert loaded.brief == normal(brief), text
        assert loaded.sources == root.resolve()
        # and the text survives a second round unchanged
        assert mdbrief.dumps(loaded.brief, sources="src", aliases=aliases) == text
