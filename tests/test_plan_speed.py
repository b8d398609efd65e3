"""The short cuts of validation and planning give what the plain computation gives: a
sentence's citations, the numbered places of a walk, and the surrogate check of the author's
text."""

from __future__ import annotations

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import briefkit as bk
from briefkit.problems import Place
from briefkit.testing import briefs

_SOURCE = bk.Source.from_text("speed.txt", "Alpha beta gamma delta epsilon zeta eta theta.")


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
    sources = [_SOURCE, bk.Source.from_text("other.txt", "One 25 two 30 three words here.")]
    brief = data.draw(briefs(sources))
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
