"""Emphasis and links in the author's text: what the model accepts, how the plan carries them,
what the validation checks read of them, and how the manifest records and refuses them."""

from __future__ import annotations

import json

import pytest

import briefkit as bk
from briefkit import manifest as mf
from briefkit._consistency import manifest_problems
from briefkit.model import LINK_URL, Emphasis, Link
from briefkit.plan import Segment

CNN = "000_28b258b49d188a62.txt"
STRONGER = "Our alliance with Japan has never been stronger"


def _brief(corpus: bk.Corpus, *parts: bk.model.Inline, **kw: object) -> bk.Brief:
    cite = corpus[CNN].paraphrase("US has 50,000 troops")
    return bk.Brief(title="I", key_points=[bk.sentence(*parts, cite=cite, **kw)])  # type: ignore[arg-type]


def _codes(brief: bk.Brief) -> list[str]:
    return [p.code for p in brief.problems()]


def test_builders_make_the_values() -> None:
    assert bk.em("a") == Emphasis("a")
    assert bk.strong("a") == Emphasis("a", strong=True)
    assert bk.link("https://e.org") == Link("https://e.org")
    assert bk.link("https://e.org", "site").text == "site"
    assert bk.link("https://e.org").text == "https://e.org"


def test_the_plan_carries_style_and_address_on_the_author_s_words(corpus: bk.Corpus) -> None:
    quote = corpus[CNN].quote(STRONGER)
    brief = _brief(
        corpus,
        "It is ",
        bk.em("not"),
        " so ",
        bk.strong("clear"),
        ": ",
        quote,
        " (",
        bk.link("https://e.org/2016"),
        ", ",
        bk.link("https://e.org", "the site"),
        ").",
    )
    sent = bk.NotePlan.build(brief).sentences[0]
    styled = [(s.text, s.style, s.href) for s in sent.segments if s.style or s.href]
    assert styled == [
        ("not", "em", None),
        ("clear", "strong", None),
        ("https://e.org/2016", None, "https://e.org/2016"),
        ("the site", None, "https://e.org"),
    ]
    quoted = next(s for s in sent.segments if s.kind == "quote")
    assert (quoted.style, quoted.href) == (None, None)
    assert sent.text == f"It is not so clear: “{STRONGER}” (https://e.org/2016, the site)."
    # an address shown as itself is not the author's prose; its words are
    assert [s.prose for s in sent.segments if s.href] == [False, True]


def test_plain_text_around_emphasis_is_not_merged_into_it(corpus: bk.Corpus) -> None:
    sent = bk.NotePlan.build(_brief(corpus, "a ", bk.em("b"), " c", " d.")).sentences[0]
    assert sent.segments == (
        Segment("text", "a "),
        Segment("text", "b", style="em"),
        Segment("text", " c d."),
    )


def test_quotation_marks_are_decided_across_emphasis(corpus: bk.Corpus) -> None:
    """The apostrophe and quotation marks of plain and emphasised words are one sentence's:
    ``students'`` in italics before plain text still ends with an apostrophe."""
    sent = bk.NotePlan.build(
        _brief(corpus, "The ", bk.em("students'"), " books and ", bk.strong("don't"), ".")
    ).sentences[0]
    assert sent.text == "The students’ books and don’t."
    assert [s.style for s in sent.segments] == [None, "em", None, "strong", None]


@pytest.mark.parametrize(
    ("part", "code", "words"),
    [
        (bk.em(""), "bad-emphasis", "empty emphasised text"),
        (bk.em(" a"), "bad-emphasis", "starts or ends with white space"),
        (bk.strong("a\u00a0"), "bad-emphasis", "starts or ends with white space"),
        (bk.em("a\nb"), "bad-emphasis", "breaks a line"),
        (bk.em("a\u2028b"), "bad-emphasis", "breaks a line"),
        (bk.link("javascript:alert(1)"), "bad-link", "http, https or mailto"),
        (bk.link("data:text/html,x"), "bad-link", "http, https or mailto"),
        (bk.link("ftp://e.org"), "bad-link", "http, https or mailto"),
        (bk.link("https://e.org/a b"), "bad-link", "without spaces"),
        (bk.link('https://e.org/"x"'), "bad-link", "quotation marks"),
        (bk.link("https://e.org/<x>"), "bad-link", "angle brackets"),
        (bk.link("https://e.org/\u00e9"), "bad-link", "printable ASCII"),
        (bk.link("https://e.org/\x1b[31m"), "bad-link", "printable ASCII"),
        (bk.link("mailto:nobody"), "bad-link", "mailto"),
        (bk.link("https://e.org", ""), "bad-link", "empty link text"),
        (bk.link("https://e.org", "x\n"), "bad-link", "starts or ends with white space"),
        (bk.em("\ud800"), "surrogate", "lone surrogate"),
    ],
)
def test_what_an_emphasis_or_link_may_not_be(
    corpus: bk.Corpus, part: bk.model.Inline, code: str, words: str
) -> None:
    brief = _brief(corpus, "See ", part, ".")
    problems = [p for p in brief.problems() if p.code == code]
    assert problems and words in problems[0].message, brief.problems()


def test_link_addresses() -> None:
    for good in ("https://e.org", "http://e.org/a_(b)?c=1&d=[2]#x~", "mailto:a.b@e.org"):
        assert LINK_URL.match(good)
    for bad in ("https://", "HTTPS:/x", "mailto:@", "https://e.org\\x", "https://e.org/`x`"):
        assert not LINK_URL.match(bad), bad


def test_emphasised_words_are_checked_like_other_words(corpus: bk.Corpus) -> None:
    """Quotation marks typed in emphasis are a misquote unless the words are cited; numbers
    in emphasis and in a link's words need a span; an address's digits and full stops do not
    count (it is no prose)."""
    assert _codes(_brief(corpus, "They said ", bk.em('"never weaker"'), ".")) == ["misquote"]
    assert _codes(_brief(corpus, "Some ", bk.strong("60,000"), " troops.")) == [
        "unsupported-number"
    ]
    assert _codes(_brief(corpus, "See ", bk.link("https://e.org", "page 77"), ".")) == [
        "unsupported-number"
    ]
    assert _codes(_brief(corpus, "See ", bk.link("https://e.org/2016/x."), " Then more.")) == []
    assert _codes(_brief(corpus, "See https://e.org/x. Then more.")) == ["several-sentences"]
    assert _codes(_brief(corpus, "It ", bk.em("ended. It"), " began.")) == ["several-sentences"]


def test_a_long_quotation_with_a_link_stays_in_its_sentence(corpus: bk.Corpus) -> None:
    """A paragraph of one long quotation becomes a block quote, but not when the sentence
    also holds a link (which would be lost)."""
    src = corpus["004_35db4e2c9c51291d.txt"]
    long = src.quote(src.text[:400].rsplit(" ", 1)[0], partial=True)
    assert len(long.text) >= 300
    brief = bk.Brief(
        title="Q",
        sections=[bk.section("S", bk.paragraph(bk.sentence(long, bk.link("https://e.org"))))],
    )
    plan = bk.NotePlan.build(brief)
    assert plan.sentences[0].block == "paragraph"
    assert any(s.href for s in plan.sentences[0].segments)


def _manifest(corpus: bk.Corpus) -> dict[str, object]:
    brief = _brief(
        corpus,
        bk.em("Not"),
        " so ",
        bk.link("https://e.org/x"),
        " and ",
        bk.link("https://e.org", "e"),
        ".",
    )
    return json.loads(bk.render(brief, "json"))  # type: ignore[no-any-return]


def test_the_manifest_records_style_and_address(corpus: bk.Corpus) -> None:
    data = _manifest(corpus)
    parts = data["sentences"][0]["parts"]  # type: ignore[index]
    assert parts == [
        {"kind": "text", "text": "Not", "citation": None, "style": "em"},
        {"kind": "text", "text": " so ", "citation": None},
        {"kind": "text", "text": "https://e.org/x", "citation": None, "href": "https://e.org/x"},
        {"kind": "text", "text": " and ", "citation": None},
        {"kind": "text", "text": "e", "citation": None, "href": "https://e.org"},
        {"kind": "text", "text": ".", "citation": None},
    ]
    parsed = mf.parse(json.dumps(data))
    assert [(p.style, p.href) for p in parsed.sentences[0].parts] == [
        ("em", None),
        (None, None),
        (None, "https://e.org/x"),
        (None, None),
        (None, "https://e.org"),
        (None, None),
    ]
    assert manifest_problems(parsed, {}, set(), None) == []


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        ({"style": "underline"}, "must be 'em' or 'strong'"),
        ({"style": 1}, "style"),
        ({"href": "javascript:alert(1)"}, "http, https or mailto"),
        ({"href": "https://e.org/\u202ex"}, "printable"),
        ({"href": "https://e.org", "ref": "table-1"}, "no cross-reference"),
    ],
)
def test_the_manifest_refuses_what_no_output_may_show(
    corpus: bk.Corpus, edit: dict[str, object], words: str
) -> None:
    data = _manifest(corpus)
    data["sentences"][0]["parts"][1].update(edit)  # type: ignore[index]
    with pytest.raises(bk.ManifestError, match=words):
        mf.parse(json.dumps(data))


def test_the_manifest_refuses_style_on_a_quotation(corpus: bk.Corpus) -> None:
    brief = _brief(corpus, corpus[CNN].quote(STRONGER), ".")
    data = json.loads(bk.render(brief, "json"))
    data["sentences"][0]["parts"][0]["style"] = "em"
    with pytest.raises(bk.ManifestError, match="on a text part"):
        mf.parse(json.dumps(data))
    del data["sentences"][0]["parts"][0]["style"]
    data["sentences"][0]["parts"][0]["href"] = "https://e.org"
    with pytest.raises(bk.ManifestError, match="on a text part"):
        mf.parse(json.dumps(data))


def test_verify_reads_an_address_as_no_prose(corpus: bk.Corpus) -> None:
    """The sentence checks of verify skip a link's address, as validation does; the same
    words typed as plain text are a second sentence."""
    data = _manifest(corpus)
    parts = data["sentences"][0]["parts"]  # type: ignore[index]
    parts[2]["text"] = parts[2]["href"] = "https://e.org/x."
    parts[3]["text"] = " Then "
    data["sentences"][0]["text"] = "".join(p["text"] for p in parts)  # type: ignore[index]
    assert manifest_problems(mf.parse(json.dumps(data)), {}, set(), None) == []
    del parts[2]["href"]  # the same words as the author's text: a second sentence starts
    codes = [p.code for p in manifest_problems(mf.parse(json.dumps(data)), {}, set(), None)]
    assert codes == ["several-sentences"]


@pytest.mark.parametrize("label", ["\u0301", "\u0301\u0308", "\u200b", "\u200d\u0301"])
def test_link_text_of_combining_marks_or_invisible_characters_is_refused(label: str) -> None:
    brief = bk.Brief(
        title="T", key_points=[bk.analysis("See ", bk.link("https://example.org", label), ".")]
    )
    found = [p for p in brief.problems() if p.code == "bad-link"]
    assert len(found) == 1 and "combining marks or invisible characters" in found[0].message


def test_link_text_with_a_base_character_is_accepted() -> None:
    brief = bk.Brief(
        title="T", key_points=[bk.analysis("See ", bk.link("https://example.org", "e\u0301"), ".")]
    )
    assert [p.code for p in brief.problems() if p.code == "bad-link"] == []
