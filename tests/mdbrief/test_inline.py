"""Emphasis and links in a Markdown brief: ``*words*``, ``**words**``, ``<https://…>`` and
``[words](https://…)`` read as the model's Emphasis and Link, only around the author's words;
what is not emphasis stays text; problems name their line and column; the writer writes them
back (and escapes every ``*`` and ``<`` of text); hostile runs of stars read in linear time."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import briefkit as bk
from briefkit import mdbrief
from briefkit.model import Emphasis, Inline, Link
from briefs import brief_problems, position
from hostile.bounded import run_bounded

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
CNN = "000_28b258b49d188a62.txt"

FRONT = f"""---
title: Inline
sources:
  root: {SEEDS.as_posix()}
  cnn: {CNN}
---
"""
GROUP = '[@cnn "US has 50,000 troops"]'


def _text(body: str) -> str:
    return FRONT + "\n" + textwrap.dedent(body).lstrip("\n")


def _parts(body: str, tmp_path: Path) -> tuple[Inline, ...]:
    path = tmp_path / "brief.md"
    path.write_text(_text(body), encoding="utf-8")
    brief = mdbrief.load(path).brief
    return brief.key_points[0].parts


def _problems(body: str, tmp_path: Path) -> list[tuple[int, int, str]]:
    return brief_problems(_text(body), tmp_path)


def _at(body: str, line_text: str, what: str) -> tuple[int, int]:
    return position(_text(body), line_text, what)


@pytest.mark.parametrize(
    ("written", "parts"),
    [
        ("It is *not* settled.", ("It is ", Emphasis("not"), " settled.")),
        ("It is **not** settled.", ("It is ", Emphasis("not", strong=True), " settled.")),
        ("*Not* settled.", (Emphasis("Not"), " settled.")),
        ("Intra*word*ing.", ("Intra", Emphasis("word"), "ing.")),
        (
            "It *is* and **was** so.",
            ("It ", Emphasis("is"), " and ", Emphasis("was", True), " so."),
        ),
        ("A *b\\*c* d.", ("A ", Emphasis("b*c"), " d.")),
        (
            "See <https://example.com/a?b=1&c=2>.",
            ("See ", Link("https://example.com/a?b=1&c=2"), "."),
        ),
        ("Write <mailto:desk@example.com>.", ("Write ", Link("mailto:desk@example.com"), ".")),
        ("See [the site](https://e.org/x).", ("See ", Link("https://e.org/x", "the site"), ".")),
        ("See [a \\] b](<https://e.org/(x>).", ("See ", Link("https://e.org/(x", "a ] b"), ".")),
        ("See [w](https://e.org/a_(b)_c).", ("See ", Link("https://e.org/a_(b)_c", "w"), ".")),
        ("See [\\u{263A} w](https://e.org).", ("See ", Link("https://e.org", "\u263a w"), ".")),
    ],
)
def test_emphasis_and_links_read_as_the_model(
    tmp_path: Path, written: str, parts: tuple[Inline, ...]
) -> None:
    assert _parts(f"- {written} {GROUP}\n", tmp_path) == parts


@pytest.mark.parametrize(
    "written",
    [
        "A 5 * 3 sum.",  # blanks on both sides: neither opens nor closes
        "A 2*3 product.",  # opens, never closed
        "A *dangling start.",
        "A dangling end* here.",
        "A ***three*** run.",  # three or more stars are text
        "A **bold* mismatch.",
        "A <https://a b> with a blank.",  # not an address: text
        "A <b>tag</b> of text.",
        "A [bracket] of text.",
        "A [bracket] (aside) of text.",
        "Escaped \\*a\\* stars.",
    ],
)
def test_what_is_not_emphasis_or_a_link_stays_text(tmp_path: Path, written: str) -> None:
    parts = _parts(f"- {written} {GROUP}\n", tmp_path)
    assert all(isinstance(p, str) for p in parts), parts
    shown = "".join(p for p in parts if isinstance(p, str))
    assert shown == written.replace("\\*", "*")


CASES = [
    ('- Bad *{@cnn "never been stronger"}* here. [!analysis]\n', "Bad", "*{", "quotation is shown"),
    ("- Bad *a {>x}* here. [!analysis]\n", "Bad", "*a", "cross-reference"),
    ("- Bad *a <https://e.org> b* here. [!analysis]\n", "Bad", "*a", "link"),
    ("- Bad *a **b** c* here. [!analysis]\n", "Bad", "*a", "other emphasis"),
    ("- Bad [x](ftp://x) here. [!analysis]\n", "Bad", "[x]", "not one briefkit links to"),
    ('- Bad [x](https://e.org/"q") here. [!analysis]\n', "Bad", "[x]", "not one briefkit"),
    ("- Bad <javascript:alert(1)> ok. [!analysis]\n", "Bad", "", ""),  # text, not a link
]


@pytest.mark.parametrize(("body", "line_text", "what", "message"), CASES[:-1])
def test_problems_name_their_line(
    tmp_path: Path, body: str, line_text: str, what: str, message: str
) -> None:
    problems = _problems("# S\n\nx [!analysis]\n\n" + body.replace("- ", "", 1), tmp_path)
    want = _at("# S\n\nx [!analysis]\n\n" + body.replace("- ", "", 1), line_text, what)
    assert any((line, col) == want and message in msg for line, col, msg in problems), problems


def test_an_address_of_another_scheme_in_angle_brackets_is_text(tmp_path: Path) -> None:
    body = CASES[-1][0].replace("[!analysis]", GROUP)
    parts = _parts(body, tmp_path)
    assert parts == ("Bad <javascript:alert(1)> ok.",)


def test_the_model_refuses_what_the_syntax_reads_but_cannot_show(tmp_path: Path) -> None:
    """Emphasis whose words break a line (an escaped line break) is read, then refused by
    validation at the sentence: the model's rule, one message."""
    problems = _problems(f"- A *b\\\nc* d. {GROUP}\n", tmp_path)
    assert [(line, col) for line, col, _m in problems] == [(8, 3)]
    assert "emphasised text 'b c' that breaks a line" in problems[0][2]


def test_headings_and_labels_take_no_emphasis(tmp_path: Path) -> None:
    problems = _problems("# A *b* c\n\nx [!analysis]\n", tmp_path)
    assert any("heading is plain text" in m and "emphasis" in m for _l, _c, m in problems)


# -- writing -----------------------------------------------------------------------------------


def _brief(corpus: bk.Corpus, *parts: Inline) -> bk.Brief:
    cite = corpus[CNN].paraphrase("US has 50,000 troops")
    return bk.Brief(title="W", key_points=[bk.sentence(*parts, cite=cite)])


def _round_trip(brief: bk.Brief, tmp_path: Path) -> tuple[str, bk.Brief]:
    text = mdbrief.dumps(brief, sources=SEEDS.as_posix())
    path = tmp_path / "brief.md"
    path.write_text(text, encoding="utf-8")
    return text, mdbrief.load(path).brief


def test_the_writer_writes_emphasis_and_links_that_read_back(
    corpus: bk.Corpus, tmp_path: Path
) -> None:
    brief = _brief(
        corpus,
        "Stars * and <tags> stay text, ",
        bk.em("x*y"),
        " ",
        bk.strong("[b]"),
        " at ",
        bk.link("https://e.org/a_(b"),
        " or ",
        bk.link("https://e.org/(c)", "a ] *b*"),
        ".",
    )
    text, back = _round_trip(brief, tmp_path)
    line = next(line for line in text.splitlines() if line.startswith("- "))
    assert line.startswith(
        "- Stars \\* and \\<tags> stay text, *x\\*y* **\\[b\\]** at <https://e.org/a_(b> or "
        "[a \\] \\*b\\*](<https://e.org/(c)>)."
    )
    assert back == brief


@pytest.mark.parametrize("words", ["@key", "!analysis", "#id", "]"])
def test_link_words_that_would_open_a_group_are_escaped(
    corpus: bk.Corpus, tmp_path: Path, words: str
) -> None:
    brief = _brief(corpus, "See ", bk.link("https://e.org", words), ".")
    _written, back = _round_trip(brief, tmp_path)
    assert back == brief


@pytest.mark.parametrize("before", ["Wow!", "\\!", "!"])
def test_an_exclamation_mark_before_a_link_is_not_an_image(
    corpus: bk.Corpus, tmp_path: Path, before: str
) -> None:
    brief = _brief(corpus, before, bk.link("https://e.org", "a"), ".")
    written, back = _round_trip(brief, tmp_path)
    assert "\\![a](" in written
    assert back == brief


def test_emphasis_of_one_kind_side_by_side_is_written_as_one(
    corpus: bk.Corpus, tmp_path: Path
) -> None:
    _text, back = _round_trip(_brief(corpus, bk.em("a"), bk.em("b"), " c."), tmp_path)
    assert back.key_points[0].parts == (Emphasis("ab"), " c.")


def test_emphasis_next_to_bold(corpus: bk.Corpus) -> None:
    """``*a***b**`` reads as neither: the writer refuses rather than write something else."""
    with pytest.raises(bk.ValidationError) as info:
        mdbrief.dumps(_brief(corpus, bk.em("a"), bk.strong("b"), " c."), sources="seeds")
    assert [p.code for p in info.value.problems] == ["not-writable"]


def test_many_stars_read_in_linear_time() -> None:
    """Openers never closed, closers of the other length, and long runs: each ``*`` is
    looked at a bounded number of times."""
    result = run_bounded(
        "from briefkit.mdbrief.syntax import parse_sentences\n"
        "text = '*a ' * 40_000 + 'b** ' * 40_000 + '***' * 20_000 + '*c* ' * 40_000\n"
        "drafts = parse_sentences(text, 0, len(text), lambda at, message: None)\n"
        "print(sum(1 for d in drafts for p in d.parts if not isinstance(p, str)))\n",
        seconds=10,
    )
    assert result.ok, result
    assert int(result.stdout) > 0  # some of it is emphasis


def test_a_reference_with_its_page_reads_and_writes_back(tmp_path: Path) -> None:
    body = f"# Forces {{#forces}}\n\nSee {{>forces page}} and {{>forces}}. {GROUP}\n"
    path = tmp_path / "brief.md"
    path.write_text(_text(body), encoding="utf-8")
    brief = mdbrief.load(path).brief
    sent = brief.sections[0].blocks[0].sentences[0]  # type: ignore[union-attr]
    assert sent.parts == ("See ", bk.ref("forces", page=True), " and ", bk.ref("forces"), ".")
    text = mdbrief.dumps(brief, sources=SEEDS.as_posix())
    assert "See {>forces page} and {>forces}." in text
    problems = _problems("# F {#f}\n\nSee {>f pages}. [!analysis]\n", tmp_path)
    assert any("'page' for the page it leads to" in m for _l, _c, m in problems), problems
