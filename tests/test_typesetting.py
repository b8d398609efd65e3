"""What a reader sees of a sentence: reflowed quotations, curly quotation marks in the brief's
language, no doubled full stop — derived from the exact spans by rules verify applies too."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

import briefkit as bk

WRAPPED = (
    "Preamble.\n\n"
    "  The licenses for most software are designed to take away your\n"
    "  freedom to share and change it.\n\n"
    "  By contrast, the license is intended to guarantee your freedom.\n"
)


@pytest.fixture
def wrapped(tmp_path: Path) -> bk.Source:
    (tmp_path / "gpl.txt").write_text(WRAPPED, encoding="utf-8")
    return bk.Corpus.from_dir(tmp_path)["gpl.txt"]


def _shown(brief: bk.Brief, **kwargs: str) -> list[str]:
    return [s.text for s in bk.NotePlan.build(brief, **kwargs).sentences]  # type: ignore[arg-type]


def test_a_hard_wrapped_quotation_is_reflowed(wrapped: bk.Source) -> None:
    q = wrapped.quote("designed to take away your\n  freedom to share")
    assert q.text.count("\n") == 1  # the span is exact
    brief = bk.Brief("T", key_points=[bk.sentence("They are ", q, ".")])
    assert _shown(brief) == ["They are “designed to take away your freedom to share”."]


def test_a_block_quote_keeps_its_paragraph_breaks_only(wrapped: bk.Source) -> None:
    start = WRAPPED.index("The licenses")
    end = WRAPPED.index("freedom.") + len("freedom.")
    q = bk.Quote(wrapped, start, end)
    brief = bk.Brief("T", sections=[bk.section("S", bk.block_quote(q))])
    (shown,) = _shown(brief)
    assert shown == (
        "The licenses for most software are designed to take away your freedom to share and "
        "change it.\nBy contrast, the license is intended to guarantee your freedom."
    )


def test_straight_quotation_marks_become_the_languages(wrapped: bk.Source) -> None:
    q = wrapped.quote("freedom to share and change it")
    brief = bk.Brief("T", key_points=[bk.sentence("The 'share' idea keeps the ", q, " promise.")])
    assert _shown(brief) == ["The ‘share’ idea keeps the “freedom to share and change it” promise."]
    german = attrs.evolve(brief, lang="de")
    assert _shown(german) == [
        "The ‚share‘ idea keeps the „freedom to share and change it“ promise."
    ]
    japanese = attrs.evolve(brief, lang="ja")
    assert _shown(japanese) == [
        "The 『share』 idea keeps the 「freedom to share and change it」 promise."
    ]
    straight = attrs.evolve(brief, smart_quotes=False)
    assert _shown(straight) == [
        "The 'share' idea keeps the “freedom to share and change it” promise."
    ]


def test_an_apostrophe_is_an_apostrophe(wrapped: bk.Source) -> None:
    q = wrapped.quote("freedom to share")
    brief = bk.Brief("T", key_points=[bk.sentence("The FSF's aim: ", q, ".")])
    assert _shown(brief) == ["The FSF’s aim: “freedom to share”."]


def test_no_doubled_full_stop(wrapped: bk.Source) -> None:
    q = wrapped.quote("freedom to share and change it.")
    brief = bk.Brief("T", key_points=[bk.sentence("They take away ", q, ".")])
    assert _shown(brief) == ["They take away “freedom to share and change it.”"]
    cut = bk.Quote(
        wrapped, WRAPPED.index("freedom to sh"), WRAPPED.index("to sh") + 5, partial=True
    )
    brief = bk.Brief("T", key_points=[bk.sentence("Only ", cut, ".")])
    assert _shown(brief) == ["Only “freedom to sh…”."]  # an ellipsis does not end the sentence


def test_a_misquote_made_by_the_curly_marks_is_refused(wrapped: bk.Source) -> None:
    # 'share and change' typed in straight marks is a quotation once shown with curly ones
    q = wrapped.quote("freedom to share")
    brief = bk.Brief("T", key_points=[bk.sentence("To 'share and sell' is the ", q, ".")])
    with pytest.raises(bk.ValidationError, match="misquote"):
        bk.NotePlan.build(brief)
    assert _shown(attrs.evolve(brief, smart_quotes=False))  # shown straight, not a quotation


def test_the_said_words_follow_the_language(wrapped: bk.Source) -> None:
    q = wrapped.quote("freedom to share", speaker="The FSF")
    brief = bk.Brief("T", key_points=[bk.sentence(q, ".")])
    assert _shown(brief) == ["The FSF said, “freedom to share”."]
    assert _shown(attrs.evolve(brief, lang="de")) == ["The FSF sagte: „freedom to share“."]
    assert _shown(attrs.evolve(brief, lang="ja")) == [
        "The FSFは次のように述べた：「freedom to share」."
    ]


def test_an_unknown_language_is_a_validation_problem(wrapped: bk.Source) -> None:
    cite = wrapped.paraphrase("guarantee your freedom")
    brief = bk.Brief("T", key_points=[bk.sentence("It is free.", cite=cite)], lang="xx")
    with pytest.raises(bk.ValidationError, match="brief-lang|xx"):
        bk.NotePlan.build(brief, style=bk.CslStyle())


@pytest.mark.parametrize("lang", ["de-DE", "ja-JP", "fr-FR", "es-ES", "zh-CN", "en-GB"])
def test_a_brief_in_each_language_verifies_from_its_manifest(
    tmp_path: Path, wrapped: bk.Source, lang: str
) -> None:
    q = wrapped.quote("designed to take away your\n  freedom to share")
    brief = bk.Brief(
        "T",
        date="2016-12-05",
        lang=lang,
        key_points=[bk.sentence("The licence says they are ", q, ".")],
    )
    path = bk.export(brief, tmp_path / "b.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["brief"]["locale"] == lang
    sources = tmp_path
    assert bk.verify(path, sources=sources).ok
    # a one-character edit to the note is caught
    data["sentences"][0]["note_text"] = data["sentences"][0]["note_text"].replace("3", "4", 1)
    path.write_text(json.dumps(data), encoding="utf-8")
    assert "note-style" in {p.code for p in bk.verify(path, sources=sources).problems}


def test_an_author_date_style_builds_and_verifies(tmp_path: Path, wrapped: bk.Source) -> None:
    q = wrapped.quote("freedom to share")
    brief = bk.Brief("T", key_points=[bk.sentence("They want ", q, ".")])
    path = bk.export(brief, tmp_path / "b.json", style="apa")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["brief"]["citation_style"] == "apa"
    assert data["brief"]["style_class"] == "in-text"
    # citeproc-py writes APA's in-text reference (title, as the source has no author)
    assert data["sentences"][0]["note_text"] == "Preamble., n.d., 4."
    assert bk.verify(path, sources=tmp_path).ok


def test_a_misquote_in_german_inner_marks_is_refused(wrapped: bk.Source) -> None:
    # 'x' becomes ‚x‘ in German: still a quotation, so its words must be in a cited span
    q = wrapped.quote("freedom to share")
    brief = bk.Brief("T", key_points=[bk.sentence("It is 'never weaker': ", q, ".")], lang="de")
    with pytest.raises(bk.ValidationError, match="misquote"):
        bk.NotePlan.build(brief)
