"""The model's sentence checks: one sentence per Sentence, whole-word quotations, numbers that
the cited spans show."""

from __future__ import annotations

import attrs
import pytest

import briefkit as bk
from briefkit import Source, ValidationError
from briefkit.problems import Place, Problem


def _problems(*sentences: bk.Sentence) -> list[tuple[str, str, str]]:
    brief = bk.Brief(title="T", key_points=list(sentences))
    return [(p.code, p.severity, str(p.place)) for p in brief.problems()]


def test_two_sentences_before_one_citation_are_refused(cnn: Source) -> None:
    p = cnn.paraphrase("Pentagon officials are confident")
    bad = bk.sentence("A false claim. A cited claim.", cite=p)
    assert _problems(bad) == [("several-sentences", "error", "key points › item 1")]
    with pytest.raises(ValidationError, match="another starts at 'A cited claim.'"):
        bk.Brief(title="T", key_points=[bad]).validate()
    # the author may let them share the citation, explicitly
    assert _problems(bk.sentence("A claim. Another claim.", cite=p, several=True)) == []


@pytest.mark.parametrize(
    "text",
    [
        "Officials in the U.S. Army are confident.",
        "Dr. Carter met Gen. Nakatani at 5 p.m. in Tokyo.",
        "The figure is 3.5 times larger.",
        "He asked: why now? and moved on.",
    ],
)
def test_abbreviations_initials_and_decimals_are_one_sentence(cnn: Source, text: str) -> None:
    p = cnn.paraphrase("Pentagon officials are confident")
    errors = [c for c, severity, _p in _problems(bk.sentence(text, cite=p)) if severity == "error"]
    assert errors == []


def test_punctuation_inside_an_inline_quotation_does_not_split(cnn: Source) -> None:
    q = cnn.quote("Our alliance with Japan has never been stronger")
    sent = bk.sentence("Carter said ", q, ". Officials agreed.")
    assert [c for c, *_ in _problems(sent)] == ["several-sentences"]
    assert _problems(bk.sentence("Carter said ", q, " and officials agreed.")) == []


def test_a_quotation_that_cuts_a_word_is_refused_unless_partial(cnn: Source) -> None:
    start = cnn.text.index("never been stronger")
    cut = bk.Quote(cnn, start, start + len("never been str"))
    assert _problems(bk.sentence("He said ", cut, ".")) == [
        ("cut-word", "error", "key points › item 1")
    ]
    (problem,) = bk.Brief(title="T", key_points=[bk.sentence(cut, ".")]).problems()
    assert "ends inside the word 'stronger'" in problem.message
    assert problem.place == Place(item=1, key_points=True, index=1)
    partial = bk.Quote(cnn, start, start + len("never been str"), partial=True)
    brief = bk.Brief(title="T", key_points=[bk.sentence("He said ", partial, ".")])
    assert brief.problems() == []
    (ps,) = bk.NotePlan.build(brief).sentences
    assert ps.text == "He said “never been str…”."


def test_a_quotation_starting_inside_a_word_shows_the_cut_first(cnn: Source) -> None:
    start = cnn.text.index("never been stronger") + 2
    partial = bk.Quote(cnn, start, start + len("ver been stronger"), partial=True)
    (ps,) = bk.NotePlan.build(bk.Brief(title="T", key_points=[bk.sentence(partial)])).sentences
    assert ps.text == "“…ver been stronger”"


def test_a_number_no_cited_span_shows_is_a_warning(cnn: Source) -> None:
    p = cnn.paraphrase("US has 50,000 troops stationed in Japan")
    ok = bk.sentence("The U.S. keeps 50,000 troops in Japan.", cite=p)
    invented = bk.sentence("The U.S. keeps 60,000 troops in Japan.", cite=p)
    assert _problems(ok) == []
    assert _problems(invented) == [("unsupported-number", "warning", "key points › item 1")]
    # a warning does not stop validation; accepting the number silences it
    bk.Brief(title="T", key_points=[invented]).validate()
    accepted = bk.sentence(
        "The U.S. keeps 60,000 troops in Japan.", cite=p, accept_numbers=["60,000"]
    )
    assert _problems(accepted) == []
    # names that contain numbers are not numbers
    named = bk.sentence("The F-35 and COVID-19 do not matter here.", cite=p)
    assert _problems(named) == []
    # the author's own analysis is not checked
    assert _problems(bk.analysis("Perhaps 70,000 would be better.")) == []


def test_figures_count_as_shown_numbers(cnn: Source) -> None:
    f = cnn.figure("50,000", unit="troops", within="US has 50,000 troops stationed in Japan")
    assert _problems(bk.sentence("The U.S. keeps ", f, " in Japan.")) == []


def test_a_brief_is_checked_once_while_it_lives(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from briefkit import model

    src = bk.Source.from_text("a.txt", "The alliance is strong.")
    brief = bk.Brief(title="T", key_points=[bk.sentence("Plain words.")])
    calls = 0
    find = model.Brief._find_problems

    def counted(self: bk.Brief) -> list[Problem]:
        nonlocal calls
        calls += 1
        return find(self)

    monkeypatch.setattr(model.Brief, "_find_problems", counted)
    first = brief.problems()
    assert [p.code for p in first] == ["uncited"]
    first.clear()  # the caller's list is its own
    assert [p.code for p in brief.problems()] == ["uncited"]
    with pytest.raises(bk.ValidationError):
        brief.validate()
    assert calls == 1
    # another brief, even an equal one, is checked on its own
    fixed = attrs.evolve(brief, key_points=[bk.sentence(src.quote("The alliance"), ".")])
    assert fixed.problems() == []
    assert calls == 2
    key = id(brief)
    del brief
    gc.collect()
    assert key not in model._CHECKED  # the cache keeps no brief alive
