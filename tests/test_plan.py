from __future__ import annotations

from pathlib import Path

import attrs
import pytest

import briefkit as bk
from briefkit import Corpus, parse_note
from briefkit.plan import (
    BibliographyBlock,
    HeadingBlock,
    ListBlock,
    QuoteBlock,
    SourcesBlock,
    TitleBlock,
)
from briefs import alliance_brief


def _brief(corpus: Corpus) -> bk.Brief:
    return alliance_brief(corpus)


def test_notes_are_numbered_in_reading_order_and_shared(corpus: Corpus) -> None:
    plan = bk.NotePlan.build(_brief(corpus))
    noted = [s for s in plan.sentences if s.note is not None]
    assert [s.note for s in noted] == list(range(1, len(noted) + 1))
    assert [n.sentence_id for n in plan.notes] == [s.id for s in noted]
    assert [s.id for s in plan.sentences] == [f"s{i}" for i in range(1, 6)]
    analysis = plan.sentences[2]
    assert analysis.analysis and analysis.note is None


def test_note_text_first_full_then_short_and_parseable(corpus: Corpus) -> None:
    plan = bk.NotePlan.build(_brief(corpus))
    first, second = plan.notes[0].text, plan.notes[1].text
    assert first == (
        "“Carter looks to shore-up US-Japan military alliance,” CNN, December 5, 2016, "
        "line 12; “US Backs Japan Alliance ‘100%,’” line 18."
    )
    assert second == "“Carter looks to shore-up alliance,” line 18."  # the short title
    assert parse_note(first) == []  # no machine data on the page
    audit = bk.NotePlan.build(_brief(corpus), show_spans=True)
    assert audit.notes[0].text.startswith(
        "“Carter looks to shore-up US-Japan military alliance,” CNN, December 5, 2016, "
        "line 12 [000_28b258b49d188a62.txt, chars 493–532]; "
    )
    for note in audit.notes:
        refs = parse_note(note.text)
        assert [(r.source_id, r.start, r.end) for r in refs] == [
            (c.excerpt.source_id, c.excerpt.start, c.excerpt.end) for c in note.citations
        ]


def test_blocks_lay_out_title_key_points_sections_quotes_and_sources(corpus: Corpus) -> None:
    plan = bk.NotePlan.build(_brief(corpus))
    kinds = [type(b).__name__ for b in plan.blocks]
    assert kinds == [
        "TitleBlock", "HeadingBlock", "ListBlock", "HeadingBlock", "ParagraphBlock",
        "QuoteBlock", "HeadingBlock", "ListBlock", "HeadingBlock", "BibliographyBlock",
    ]  # fmt: skip
    title = plan.blocks[0]
    assert isinstance(title, TitleBlock) and title.date_text == "November 21, 2026"
    sub = plan.blocks[6]
    assert isinstance(sub, HeadingBlock) and sub.level == 2 and sub.path == ("Tone", "Numbers")
    quote = plan.blocks[5]
    assert isinstance(quote, QuoteBlock)
    assert quote.sentence.text.startswith("“I wanted")  # bare source text, no added marks
    assert isinstance(plan.blocks[2], ListBlock) and plan.blocks[2].role == "key_points"
    bibliography = plan.blocks[-1]
    assert isinstance(bibliography, BibliographyBlock)
    assert [e.text for e in bibliography.entries] == [
        "“Carter looks to shore-up US-Japan military alliance.” CNN, December 5, 2016.",
        "“US Backs Japan Alliance ‘100%.’”",
    ]
    annexed = bk.NotePlan.build(attrs.evolve(_brief(corpus), sources_appendix=True))
    assert [type(b).__name__ for b in annexed.blocks][-4:] == [
        "HeadingBlock", "BibliographyBlock", "HeadingBlock", "SourcesBlock"
    ]  # fmt: skip
    sources = annexed.blocks[-1]
    assert isinstance(sources, SourcesBlock)
    assert [(e.source.id, e.citations, e.first_note) for e in sources.entries] == [
        ("000_28b258b49d188a62.txt", 3, 1),
        ("002_a5ab00941732d00c.txt", 2, 1),
    ]


def test_speaker_renders_before_the_quote(corpus: Corpus) -> None:
    plan = bk.NotePlan.build(_brief(corpus))
    assert (
        plan.sentences[1].text
        == "Ash Carter said, “Our alliance with Japan has never been stronger”."
    )


def test_explicit_ids_may_not_take_the_automatic_form(corpus: Corpus) -> None:
    q = corpus["000_28b258b49d188a62.txt"].quote("Our alliance with Japan has never been stronger")
    with pytest.raises(bk.ValidationError, match="reserved for automatic ids"):
        bk.NotePlan.build(bk.Brief(title="T", key_points=[bk.sentence(q, id="s1")]))


def test_a_paragraph_of_one_long_quote_becomes_a_block_quote() -> None:
    src = bk.Source.from_text("a.txt", "Intro. " + "word " * 70 + "end.")
    long = src.quote(src.text[7:])
    short = src.quote("Intro.")
    brief = bk.Brief(
        title="T",
        sections=[
            bk.section("S", bk.paragraph(bk.sentence(long)), bk.paragraph(bk.sentence(short)))
        ],
    )
    kinds = [type(b).__name__ for b in bk.NotePlan.build(brief).blocks]
    assert kinds[2:4] == ["QuoteBlock", "ParagraphBlock"]


def test_adjacent_author_text_is_one_run(tmp_path: Path) -> None:
    # "aa\r" + "\na" is one CRLF line break, as in the sentence's text, not two
    brief = bk.Brief(
        title="T", sections=[bk.section("S", bk.paragraph(bk.analysis("aa\r", "\na")))]
    )
    (sent,) = bk.NotePlan.build(brief).sentences
    assert [(s.kind, s.text) for s in sent.segments] == [("text", "aa\r\na")]
    path = bk.export(brief, tmp_path / "b.docx")
    assert bk.verify(path, sources=tmp_path).ok
