"""The short cuts of validation and planning give what the plain computation gives: a
sentence's citations, the numbered places of a walk, and the surrogate check of the author's
text."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import briefkit as bk
from briefkit.notes import Cite, CitePosition, Locator
from briefkit.problems import Place
from briefkit.spans import TextIndex
from briefkit.styles import CslStyle
from briefkit.testing import briefs, grapheme_spans, sources

_SOURCE = bk.Source.from_text("speed.txt", "Alpha beta gamma delta epsilon zeta eta theta.")
_OTHER = bk.Source.from_text("other.txt", "One 25 two 30 three words here.")


def _quotes() -> list[bk.Quote]:
    # equal values that are different objects, and different values
    return [
        bk.Quote(_SOURCE, 6, 10),
        bk.Quote(_SOURCE, 6, 10),
        bk.Quote(_SOURCE, 6, 10, speaker="X"),
        bk.Quote(_SOURCE, 11, 16),
    ]


def _excerpts() -> list[bk.Excerpt]:
    return [*_quotes(), bk.Paraphrase(_SOURCE, 0, 5), bk.Paraphrase(_SOURCE, 0, 5)]


@given(
    st.lists(st.one_of(st.sampled_from(range(4)), st.just("text")), max_size=5),
    st.lists(st.sampled_from(range(6)), max_size=4),
)
def test_citations_are_each_excerpt_once_in_order(parts: list[int | str], cites: list[int]) -> None:
    quotes, pool = _quotes(), _excerpts()
    inline: list[bk.model.Inline] = [p if isinstance(p, str) else quotes[p] for p in parts]
    sent = bk.Sentence(inline or ["x"], cites=[pool[c] for c in cites])
    everything = [x for x in (*sent.parts, *sent.cites) if isinstance(x, bk.Excerpt)]
    expected: list[bk.Excerpt] = []
    for x in everything:
        if x not in expected:
            expected.append(x)
    assert list(sent.citations) == expected


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_walk_numbers_the_places_it_reads(data: st.DataObject) -> None:
    brief = data.draw(briefs([_SOURCE, _OTHER]))
    plain = [
        (attrs.evolve(place, index=n), path, sent)
        for n, (place, path, sent) in enumerate(brief._walk(), 1)
    ]
    assert list(brief.walk()) == plain
    # every field of a place is carried over, whatever its value
    for field in attrs.fields(Place):
        assert all(
            getattr(a[0], field.name) == getattr(b[0], field.name)
            for a, b in zip(brief.walk(), plain, strict=True)
        )


def test_a_lone_surrogate_in_any_part_is_reported() -> None:
    cite = bk.Paraphrase(_SOURCE, 0, 5)
    sent = bk.sentence("Fine ", bk.em("bad \ud800"), " and \udfff here.", cite=cite)
    brief = bk.Brief(title="T", key_points=[sent])
    found = [(p.code, p.message.split(": part ")[-1]) for p in brief.problems()]
    assert [code for code, _ in found] == ["surrogate", "surrogate"]
    assert found[0][1].startswith("2 (its text)")
    assert found[1][1].startswith("3 (its text)")


def test_a_link_and_an_emphasis_are_still_checked_in_plain_text() -> None:
    cite = bk.Paraphrase(_SOURCE, 0, 5)
    sent = bk.sentence("See ", bk.link("ftp://x"), " and ", bk.em(" spaced "), ".", cite=cite)
    codes = [p.code for p in bk.Brief(title="T", key_points=[sent]).problems()]
    assert codes == ["bad-link", "bad-emphasis"]


# -- notes: a note of one citation, and later citations of a source -------------------------

_TITLED = bk.Source.from_text(
    "titled.txt",
    "line one\nline two\nline three\n",
    meta=bk.SourceMeta(
        title='A "quoted" title',
        container_title="Paper",
        author=("Browne, Ryan",),
        issued="2016-12-05",
    ),
)
_LABELS = ("line", "page", "section", "paragraph")
#: locator values as sources name them: plain numbers and labels, and others
_VALUES = st.one_of(
    st.from_regex(r"[0-9A-Za-z]{1,4}(?:(?:[–.]|, )[0-9A-Za-z]{1,3}){0,2}", fullmatch=True),
    st.text(alphabet=" \t\n.,;:!?”’»\"'–-AZaz09\u2069\u202c", min_size=1, max_size=8),
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.sampled_from(
        [
            ("briefkit-notes", "en-US"),
            ("briefkit-notes", "de-DE"),
            ("briefkit-notes", "fr-FR"),
            ("briefkit-notes", "ja-JP"),
            ("apa", "en-US"),
            ("chicago-notes-bibliography", "en-GB"),
        ]
    ),
    st.sampled_from(["first", "subsequent", "ibid", "ibid-with-locator"]),
    st.sampled_from(_LABELS),
    _VALUES,
    st.none() | _VALUES,
)
def test_a_note_of_one_citation_reads_as_its_citation_joined(
    named: tuple[str, str],
    position: CitePosition,
    label: str,
    first: str,
    last: str | None,
) -> None:
    style = CslStyle(named[0], locale=named[1])
    one = Cite(_TITLED, _TITLED.position(0, 4), Locator(label, first, last))
    assert style._note([(one, position)]) == style.join([style.cite(one, position)])


def test_notes_of_one_citation_are_joined_once_a_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    joined: list[str] = []
    join = CslStyle.join

    def counted(self: CslStyle, citations: Sequence[str]) -> str:
        joined.append(citations[0])
        return join(self, citations)

    monkeypatch.setattr(CslStyle, "join", counted)
    style = CslStyle()
    lines = [Locator("line", str(n), None if n % 2 else str(n + 1)) for n in range(1, 41)]
    notes = style.notes([[Cite(_TITLED, _TITLED.position(0, 4), loc)] for loc in lines])
    assert notes[2] == "Browne, “A ‘quoted’ title,” line 3."
    assert notes[3] == "Browne, “A ‘quoted’ title,” lines 4–5."
    # the first note, and one for each later shape: a single line, a range of lines
    assert len(joined) == 3


def test_later_citations_of_a_source_do_not_cite_it_afresh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from citeproc import CitationStylesBibliography

    from briefkit.styles import _csl

    monkeypatch.setattr(_csl, "_SHAPES", {})
    rendered: list[str] = []
    cite = CitationStylesBibliography.cite

    def counted(self: CitationStylesBibliography, citation: Any, callback: Any) -> Any:
        out = cite(self, citation, callback)
        rendered.append(str(out))
        return out

    monkeypatch.setattr(CitationStylesBibliography, "cite", counted)
    style = CslStyle()
    lines = [Locator("line", "1"), Locator("line", "2", "3"), Locator("page", "4")]
    notes = style.notes([[Cite(_TITLED, _TITLED.position(0, 4), loc)] for loc in lines])
    assert notes[1:] == [
        "Browne, “A ‘quoted’ title,” lines 2–3.",
        "Browne, “A ‘quoted’ title,” 4.",
    ]
    # the first citation; then another item before each later shape, not the source again
    assert len(rendered) == 1 + 2 + 2


@pytest.mark.parametrize("name", ["briefkit-notes", "apa", "chicago-notes-bibliography", "ieee"])
def test_a_later_citation_reads_alike_however_many_came_before(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefkit.styles import _csl

    monkeypatch.setattr(_csl, "_SHAPES", {})
    shapes = [("line", False), ("line", True), ("page", False), ("page", True), ("line", True)]
    for first in (None, ("line", True), ("page", False)):
        going_on = CslStyle(name)
        if first is not None:
            going_on._render(_TITLED, "first", *first)
        for label, plural in shapes:
            afresh = CslStyle(name)._render(_TITLED, "subsequent", label, plural)
            assert going_on._render(_TITLED, "subsequent", label, plural) == afresh


# -- validation and positions -----------------------------------------------------------------


def test_validation_walks_the_brief_once(monkeypatch: pytest.MonkeyPatch) -> None:
    walks: list[bk.Brief] = []
    walk = bk.Brief._walk

    def counted(self: bk.Brief) -> Iterator[tuple[Place, tuple[str, ...], bk.Sentence]]:
        walks.append(self)
        return walk(self)

    monkeypatch.setattr(bk.Brief, "_walk", counted)
    ships = bk.Source.from_text("ships.txt", "There are 25 ships in port and 30 ships at sea.")
    figure = ships.figure("25", unit="ships", within="25 ships in port", measure="ships")
    brief = bk.Brief(
        title="T",
        key_points=[bk.sentence("Some ", figure, "."), bk.sentence("In port.", cite=[figure])],
    )
    # the other value the cited source gives is found all the same
    assert [p.code for p in brief.problems()] == ["one-sided"]
    assert len(walks) == 1


def test_a_sentence_without_numbers_or_quotation_marks_reads_no_cited_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from briefkit.excerpts import Excerpt

    read: list[Excerpt] = []
    text = Excerpt.text

    def counted(self: Excerpt) -> str:
        read.append(self)
        return text.fget(self)  # type: ignore[no-any-return, attr-defined]

    monkeypatch.setattr(Excerpt, "text", property(counted))
    plain = bk.sentence("Words of the author.", cite=bk.Paraphrase(_SOURCE, 0, 5))
    numbered = bk.sentence("Words 25 of the author.", cite=bk.Paraphrase(_OTHER, 4, 6))
    quoting = bk.sentence("Words “Alpha” here.", cite=bk.Paraphrase(_SOURCE, 0, 5))
    assert bk.Brief(title="T", key_points=[plain]).problems() == []
    assert read == []
    assert bk.Brief(title="T", key_points=[numbered, quoting]).problems() == []
    assert len(read) == 2


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_a_position_is_its_offsets_lines_and_context(data: st.DataObject) -> None:
    source = data.draw(sources())
    start, end = data.draw(grapheme_spans(source))
    index = source.index
    pos = index.position(start, end)
    assert (pos.byte_start, pos.byte_end) == (index.utf8_offset(start), index.utf8_offset(end))
    assert (pos.line_start, pos.column_start) == index.line_col(start)
    assert (pos.line_end, pos.column_end) == index.line_col(end - 1)
    assert pos.exact == source.text[start:end]


def test_a_position_converts_one_offset_to_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    converted: list[int] = []
    to_unit = TextIndex._to_unit

    def counted(self: TextIndex, i: int, unit: str) -> int:
        converted.append(i)
        return to_unit(self, i, unit)

    monkeypatch.setattr(TextIndex, "_to_unit", counted)
    text = "é" * 3000 + " words\r\nmore 日本 words " * 50
    index = TextIndex(text, byte_base=3)
    pos = index.position(3001, 3040)
    # the end's byte offset is the start's and the span's own bytes
    assert converted == [3001]
    assert pos.byte_end == 3 + len(text[:3040].encode("utf-8"))
    assert (pos.line_end, pos.column_end) == index.line_col(3039)


def test_a_source_s_metadata_is_not_hashed_for_every_note(monkeypatch: pytest.MonkeyPatch) -> None:
    from briefkit.styles import _csl

    monkeypatch.setattr(_csl, "_SHAPES", {})
    hashed: list[bk.SourceMeta] = []
    hash_meta = bk.SourceMeta.__hash__

    def counted(self: bk.SourceMeta) -> int:
        hashed.append(self)
        return hash_meta(self)

    monkeypatch.setattr(bk.SourceMeta, "__hash__", counted)
    style = CslStyle()
    cites = [[Cite(_TITLED, _TITLED.position(0, 4), Locator("line", str(n)))] for n in range(1, 61)]
    notes = style.notes(cites)
    assert notes[59] == "Browne, “A ‘quoted’ title,” line 60."
    # a few times for the two shapes rendered, not once or twice a note
    assert len(hashed) < 20
