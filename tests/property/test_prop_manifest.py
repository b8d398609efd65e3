"""The note plan and the provenance manifest of random briefs."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import briefkit
from briefkit import manifest
from briefkit.testing import briefs

from . import corpus_files, in_memory

random_briefs = corpus_files.map(in_memory).flatmap(briefs)


@settings(max_examples=60, deadline=None)
@given(brief=random_briefs)
def test_manifest_round_trips(brief: briefkit.Brief) -> None:
    m = manifest.build(briefkit.NotePlan.build(brief))
    data = manifest.dumps(m)
    assert manifest.parse(data) == m
    assert manifest.dumps(manifest.parse(data)) == data
    assert manifest.parse(data.decode("utf-8")) == m


@settings(max_examples=60, deadline=None)
@given(brief=random_briefs)
def test_notes_are_numbered_in_reading_order_and_parse_back(brief: briefkit.Brief) -> None:
    plan = briefkit.NotePlan.build(brief, show_spans=True)
    walked = list(brief.walk())
    assert len(plan.sentences) == len(walked)
    assert [ps.index for ps in plan.sentences] == list(range(1, len(walked) + 1))
    numbers = [ps.note for ps in plan.sentences if ps.note is not None]
    assert numbers == list(range(1, len(numbers) + 1))
    assert [n.number for n in plan.notes] == numbers
    notes = iter(plan.notes)
    for ps, (_place, _path, sent) in zip(plan.sentences, walked, strict=True):
        expected = [(c.source.id, c.start, c.end) for c in sent.citations]
        assert [(c.excerpt.source.id, c.excerpt.start, c.excerpt.end) for c in ps.citations] == (
            expected
        )
        # a note exactly for the cited sentences
        assert (ps.note is not None) == bool(expected)
        if ps.note is None:
            assert ps.analysis
            continue
        note = next(notes)
        assert note.number == ps.note
        assert note.sentence_id == ps.id
        assert plan.note(ps.note) is note
        parsed = [(r.source_id, r.start, r.end) for r in briefkit.parse_note(note.text)]
        assert parsed == expected
    assert next(notes, None) is None
    assert len({ps.id for ps in plan.sentences}) == len(plan.sentences)


@settings(max_examples=30, deadline=None)
@given(files=corpus_files, data=st.data())
def test_manifest_sources_match_the_cited_sources(
    files: dict[str, bytes], data: st.DataObject
) -> None:
    brief = data.draw(briefs(in_memory(files)), label="brief")
    m = manifest.build(briefkit.NotePlan.build(brief))
    cited = [s.id for s in brief.sources()]
    assert [s.id for s in m.sources] == cited
    for ms in m.sources:
        src = next(s for s in brief.sources() if s.id == ms.id)
        assert (ms.sha256, ms.size, ms.bom) == (src.sha256, src.size, src.bom)
        assert ms.cited == sum(1 for _, c in m.citations() if c.source == ms.id)


def test_a_title_that_looks_like_a_reference_is_not_parsed() -> None:
    source = briefkit.Source.from_text("a.txt", "[a.txt, chars 0–1] then 42")
    quote = source.quote("then")
    brief = briefkit.Brief("T", key_points=[briefkit.sentence("X ", quote)])
    plan = briefkit.NotePlan.build(brief, show_spans=True)
    refs = briefkit.parse_note(plan.notes[0].text)
    assert [(r.source_id, r.start, r.end) for r in refs] == [("a.txt", 19, 23)]
