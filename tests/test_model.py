from __future__ import annotations

import pytest

import briefkit as bk
from briefkit import ExcerptError, Source, ValidationError
from briefkit.problems import Place


def test_excerpt_text_always_comes_from_the_source(cnn: Source) -> None:
    q = cnn.quote("Our alliance with Japan has never been stronger", speaker="Ash Carter")
    assert q.kind == "quote" and q.source_id == cnn.id
    assert q.text == cnn.text[q.start : q.end]
    with pytest.raises(bk.SpanError):
        bk.Quote(cnn, 10, 5)


def test_figure_value_must_occur_in_its_span(cnn: Source) -> None:
    f = cnn.figure("50,000", unit="troops", within="US has 50,000 troops stationed in Japan")
    assert f.rendered == "50,000 troops"
    with pytest.raises(
        ExcerptError, match="figure value '47,000' does not occur as a whole number"
    ):
        bk.Figure(cnn, f.start, f.end, value="47,000")
    for fragment in ("5", "0,0", "50,00", "0,000"):  # parts of 50,000 are not figures
        with pytest.raises(ExcerptError, match="as a whole number"):
            bk.Figure(cnn, f.start, f.end, value=fragment)
    assert bk.Figure(cnn, f.start, f.end, value="50,000 troops").value == "50,000 troops"
    with pytest.raises(ExcerptError, match="has no digit"):
        cnn.figure("troops", within="US has 50,000 troops stationed in Japan")


def test_validation_reports_every_problem_with_its_place(cnn: Source) -> None:
    q = cnn.quote("Our alliance with Japan has never been stronger")
    brief = bk.Brief(
        title="T",
        key_points=[bk.sentence("An uncited key point.")],
        sections=[
            bk.section(
                "Tone",
                bk.paragraph(
                    bk.sentence("Fine: ", q, "."),
                    bk.sentence("Carter said “our ties are unbreakable”.", cite=q),
                    bk.sentence("   "),
                ),
            ),
            bk.Section("Empty"),
        ],
    )
    with pytest.raises(ValidationError) as err:
        brief.validate()
    problems = err.value.problems
    found = {(p.code, str(p.place)) for p in problems}
    assert found == {
        ("uncited", "key points › item 1"),
        ("misquote", "section 'Tone' › paragraph 1 › sentence 2"),
        ("empty-sentence", "section 'Tone' › paragraph 1 › sentence 3"),
        ("empty-section", "section 'Empty'"),
    }, problems
    uncited = next(p for p in problems if p.code == "uncited")
    assert uncited.place == Place(item=1, key_points=True, index=1)
    assert "'An uncited key point.'" in uncited.message
    assert all(p.severity == "error" for p in problems)
    assert "section 'Empty': the section is empty" in str(err.value)
    assert "4 problems" in str(err.value)


def test_quoted_words_that_match_a_cited_span_are_fine(cnn: Source) -> None:
    p = cnn.paraphrase("he was “satisfied” with Japan’s contributions to the alliance")
    s = bk.sentence('Carter called himself "satisfied" with Japan\'s share.', cite=p)
    bk.Brief(title="T", key_points=[s]).validate()


def test_analysis_may_stand_uncited_and_ids_must_be_unique(cnn: Source) -> None:
    q = cnn.quote("Our alliance with Japan has never been stronger")
    ok = bk.Brief(title="T", key_points=[bk.analysis("My reading."), bk.sentence(q, id="carter")])
    ok.validate()
    dup = bk.Brief(title="T", key_points=[bk.sentence(q, id="x"), bk.sentence(q, id="x")])
    with pytest.raises(ValidationError, match="sentence id 'x' is also used"):
        dup.validate()


def test_conflicting_sources_with_one_id_are_reported() -> None:
    a = Source.from_text("a.txt", "version one 1")
    b = Source.from_text("a.txt", "version two 2")
    brief = bk.Brief(
        title="T",
        key_points=[bk.sentence(a.quote("version one")), bk.sentence(b.quote("version two"))],
    )
    with pytest.raises(ValidationError, match="different 'a.txt'"):
        brief.validate()


def test_builders_make_the_same_values_as_constructors(cnn: Source) -> None:
    q = cnn.quote("Our alliance with Japan has never been stronger")
    assert bk.sentence("A ", q) == bk.Sentence(("A ", q))
    assert bk.section("H", bk.paragraph(bk.sentence(q))) == bk.Section(
        "H", blocks=[bk.Paragraph([bk.Sentence([q])])]
    )
    with pytest.raises(TypeError, match="blocks must come before subsections"):
        bk.section(
            "H", bk.section("Sub", bk.paragraph(bk.sentence(q))), bk.paragraph(bk.sentence(q))
        )
    with pytest.raises(TypeError, match="sentence part"):
        bk.sentence("x", 3)  # type: ignore[arg-type]


def test_model_values_are_immutable(cnn: Source) -> None:
    s = bk.sentence(cnn.quote("Our alliance with Japan has never been stronger"))
    with pytest.raises(AttributeError):
        s.analysis = True  # type: ignore[misc]


def test_wrong_types_are_problems_not_crashes(cnn: Source) -> None:
    q = cnn.quote("Our alliance with Japan has never been stronger")
    brief = bk.Brief(title=None, date=20161205, key_points=[bk.sentence(q, id="s7")])  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as err:
        brief.validate()
    text = str(err.value)
    assert "empty title" in text
    assert "must be an ISO date" in text
    assert "reserved for automatic ids" in text


@pytest.mark.parametrize(
    "parts",
    [
        ("He called it “iron", "clad”."),
        ("He called it ‘ironclad’.",),
        ("彼は「鉄壁」と言った。",),
        ("He said ‹ironclad›.",),
    ],
)
def test_misquotes_across_parts_and_quote_styles(cnn: Source, parts: tuple[str, ...]) -> None:
    p = cnn.paraphrase("Pentagon officials are confident")
    with pytest.raises(ValidationError, match="misquote"):
        bk.Brief(title="T", key_points=[bk.sentence(*parts, cite=p)]).validate()


def test_words_typed_around_an_embedded_quote_inside_the_marks(cnn: Source) -> None:
    q = cnn.quote("never been stronger")
    with pytest.raises(ValidationError, match="misquote: the quoted words 'and ironclad'"):
        bk.Brief(title="T", key_points=[bk.sentence("He said “", q, " and ironclad”.")]).validate()
    ok = bk.sentence("Japan’s ties, he said, had ", q, "; Abe’s view was the same.", cite=q)
    bk.Brief(title="T", key_points=[ok]).validate()
