"""Emphasis and links in the Markdown file: ``*…*``, ``**…**``, ``<https://…>`` and
``[label](<url>)`` around exactly the author's words. A fresh file verifies; pandoc (and
CommonMark, GFM) read the same emphasis and links; each tampering — emphasis added to a
quotation or elsewhere, emphasis removed, a link's address changed, a link added (around a
quotation, in a note) or removed — is reported with its code."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import briefkit as bk
from briefkit.formats.markdown.reader import read_markdown
from briefkit.formats.markdown.writer import MANIFEST_COMMENT
from briefkit.problems import Problem
from pandoc_json import find as _find
from pandoc_json import read as _pandoc
from pandoc_json import text as _text

CNN = "000_28b258b49d188a62.txt"
CARTER = "Our alliance with Japan has never been stronger"
URL = "https://example.org/a_(b)*[c]&amp;d"  # parentheses, brackets, "*", "_", an "&amp;"
BARE = "https://example.com/x_y"

PANDOC = shutil.which("pandoc")
needs_pandoc = pytest.mark.skipif(PANDOC is None, reason="pandoc is not installed")


def _brief(corpus: bk.Corpus) -> bk.Brief:
    cnn = corpus[CNN]
    carter = cnn.quote(CARTER, speaker="Ash Carter")
    confident = cnn.paraphrase(
        "Pentagon officials are confident that the US-Japan defense relationship will continue"
    )
    return bk.Brief(
        title="Inline styles",
        sections=[
            bk.section(
                "Words",
                bk.paragraph(
                    bk.sentence("He was ", bk.em("quite"), " sure: ", carter, "."),
                    bk.sentence(
                        "Officials were ",
                        bk.strong("confident"),
                        " (see ",
                        bk.link(BARE),
                        " and ",
                        bk.link(URL, "the (report)"),
                        ").",
                        cite=confident,
                    ),
                    bk.analysis("It was", bk.em("(odd)"), "ly calm", bk.strong("!"), "."),
                ),
            )
        ],
    )


@pytest.fixture(scope="module")
def fresh(corpus: bk.Corpus) -> str:
    return bk.render(_brief(corpus), "md").decode("utf-8")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "brief.md"
    path.write_text(text, encoding="utf-8", newline="")
    return path


def _problems(tmp_path: Path, text: str, seeds: Path) -> tuple[Problem, ...]:
    report = bk.verify(_write(tmp_path, text), sources=seeds)
    assert not report.ok
    return report.problems


def _edit(md: str, old: str, new: str) -> str:
    """Replace the first occurrence of ``old``, which must stand before the manifest."""
    at = md.find(old)
    assert 0 <= at < md.index(MANIFEST_COMMENT), old
    return md[:at] + new + md[at + len(old) :]


def _codes(problems: tuple[Problem, ...]) -> set[str]:
    return {p.code for p in problems}


# -- fresh files --------------------------------------------------------------------------------


def test_the_writer_writes_emphasis_and_links(fresh: str) -> None:
    assert "He was *quite* sure" in fresh
    assert "**confident**" in fresh
    assert f"<{BARE}>" in fresh  # an autolink: the address shown as itself
    assert "[the (report)](<https://example.org/a_(b)*[c]&#38;amp;d>)" in fresh
    # "(odd)" and "!" next to letters: the letters are references, so the runs flank
    assert "It wa&#115;*(odd)*&#108;y cal&#109;**\\!**." in fresh


def test_a_fresh_file_verifies(fresh: str, tmp_path: Path, seeds: Path) -> None:
    report = bk.verify(_write(tmp_path, fresh), sources=seeds)
    assert report.problems == ()
    assert report.ok
    assert read_markdown(fresh.encode()).findings == ()


@needs_pandoc
@pytest.mark.parametrize("reader", ["markdown", "commonmark", "gfm"])
def test_pandoc_reads_exactly_the_emphasis_and_links(fresh: str, reader: str) -> None:
    doc = _pandoc(fresh, reader)
    assert [_text(e) for e in _find(doc, "Emph")] == ["quite", "Analysis:", "(odd)"]
    assert [_text(e) for e in _find(doc, "Strong")] == ["confident", "!"]
    links = [(_text(a["c"][1]), a["c"][2][0]) for a in _find(doc, "Link")]
    # pandoc's own Markdown reader percent-encodes brackets in an address (as it does for
    # every link); CommonMark and GFM keep it as written
    url = URL.replace("[", "%5B").replace("]", "%5D") if reader == "markdown" else URL
    assert links == [(BARE, BARE), ("the (report)", url)]
    paragraph = next(b for b in doc["blocks"] if "quite" in _text(b))
    assert "It was(odd)ly calm!." in _text(paragraph)
    if reader == "markdown":
        assert len(_find(doc, "Note")) == 2


def test_markdown_it_reads_them_too(fresh: str) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark").render(fresh)
    assert "He was <em>quite</em> sure" in html
    assert "It was<em>(odd)</em>ly calm<strong>!</strong>." in html
    assert f'<a href="{BARE}">{BARE}</a>' in html


# -- tampering ---------------------------------------------------------------------------------


def test_emphasis_added_to_a_quotation_is_reported(fresh: str, tmp_path: Path, seeds: Path) -> None:
    tampered = _edit(fresh, "never been stronger", "*never been stronger*")
    problems = _problems(tmp_path, tampered, seeds)
    assert _codes(problems) == {"emphasis"}
    assert problems[0].sentence == "s1"


def test_bold_added_to_other_text_is_reported(fresh: str, tmp_path: Path, seeds: Path) -> None:
    for old, new, where in (
        ("He was", "**He** was", "s1"),
        ("## Words", "## **Words**", None),
        ("# Inline styles", "# *Inline* styles", None),
    ):
        problems = _problems(tmp_path, _edit(fresh, old, new), seeds)
        assert _codes(problems) == {"emphasis"}, (old, problems)
        assert problems[0].sentence == where


def test_emphasis_removed_is_reported(fresh: str, tmp_path: Path, seeds: Path) -> None:
    for old, new in (("*quite*", "quite"), ("**confident**", "confident")):
        problems = _problems(tmp_path, _edit(fresh, old, new), seeds)
        assert _codes(problems) == {"emphasis"}, problems


def test_emphasis_that_no_longer_flanks_is_reported(
    fresh: str, tmp_path: Path, seeds: Path
) -> None:
    """Without the character references, ``s*(odd)*l`` is no emphasis to a reader: its
    stars are text."""
    tampered = _edit(fresh, "wa&#115;*(odd)*&#108;y", "was*(odd)*ly")
    assert not bk.verify(_write(tmp_path, tampered), sources=seeds).ok


def test_a_changed_address_is_reported(fresh: str, tmp_path: Path, seeds: Path) -> None:
    for old, new in ((f"<{BARE}>", f"[{BARE}](<https://evil.example/>)"), ("amp;d>", "amp;e>")):
        problems = _problems(tmp_path, _edit(fresh, old, new), seeds)
        assert "link" in _codes(problems), problems


def test_a_link_added_is_reported(fresh: str, tmp_path: Path, seeds: Path) -> None:
    around_quote = _edit(fresh, CARTER, f"[{CARTER}](<https://evil.example/>)")
    problems = _problems(tmp_path, around_quote, seeds)
    assert _codes(problems) == {"link"}
    assert problems[0].sentence == "s1"
    in_heading = _edit(fresh, "## Words", "## <https://evil.example/>")
    assert "link" in _codes(_problems(tmp_path, in_heading, seeds))
    at = fresh.index("[^1]: ") + len("[^1]: ")
    in_note = fresh[:at] + "<https://evil.example/> " + fresh[at:]
    assert "link" in _codes(_problems(tmp_path, in_note, seeds))
    emphasis_in_note = fresh[:at] + "*x* " + fresh[at:]
    assert "emphasis" in _codes(_problems(tmp_path, emphasis_in_note, seeds))


def test_a_link_removed_is_reported(fresh: str, tmp_path: Path, seeds: Path) -> None:
    problems = _problems(
        tmp_path,
        _edit(fresh, "[the (report)](<https://example.org/a_(b)*[c]&#38;amp;d>)", "the (report)"),
        seeds,
    )
    assert _codes(problems) == {"link"}


def test_the_analysis_label_must_stay_in_italics(fresh: str, tmp_path: Path, seeds: Path) -> None:
    problems = _problems(tmp_path, _edit(fresh, "*Analysis:*", "Analysis:"), seeds)
    assert _codes(problems) == {"emphasis"}


# -- random briefs -----------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    parts=st.lists(
        st.tuples(
            st.sampled_from(["text", "em", "strong", "url", "label"]),
            st.text(
                alphabet="ab1 .,()*_[]-!?¿©€+中&;#\x91\ufeff\u0301\u2014", min_size=1, max_size=5
            ),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_any_mix_of_emphasis_and_links_verifies(
    parts: list[tuple[str, str]], seeds: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    inline: list[Any] = []
    for kind, text in parts:
        words = text.strip() or "x"
        if kind == "text":
            inline.append(text)
        elif kind in ("em", "strong"):
            inline.append(bk.strong(words) if kind == "strong" else bk.em(words))
        else:
            url = "https://e.org/" + "".join(c for c in text if c in "()*_[]&;#!") + "z"
            shown = [c for c in words if unicodedata.category(c) not in ("Mn", "Me", "Cf")]
            if not "".join(shown).strip():
                words = "x" + words  # link text must show a character of its own
            inline.append(bk.link(url, words if kind == "label" else None))
    sentence = bk.analysis(*inline, "x", several=True)
    brief = bk.Brief(title="t", sections=[bk.section("s", bk.paragraph(sentence))])
    path = tmp_path_factory.mktemp("mix") / "brief.md"
    bk.export(brief, path)
    report = bk.verify(path, sources=seeds)
    assert report.problems == ()


@needs_pandoc
def test_c1_quote_controls_are_references_that_pandoc_reads_as_themselves(
    tmp_path: Path, seeds: Path
) -> None:
    """pandoc's smart punctuation reads a raw U+0093 as a quotation mark (its Windows-1252
    meaning), which would swallow the emphasis around it."""
    sentence = bk.analysis("x ", bk.em("\x93a"), " ", bk.strong("b\x91"), " y")
    brief = bk.Brief(title="t", sections=[bk.section("s", bk.paragraph(sentence))])
    md = bk.render(brief, "md").decode("utf-8")
    assert "*&#147;a* **b&#145;**" in md
    assert bk.verify(_write(tmp_path, md), sources=seeds).problems == ()
    for reader in ("markdown", "commonmark"):
        doc = _pandoc(md, reader)
        assert [_text(e) for e in _find(doc, "Emph")] == ["Analysis:", "\x93a"]
        assert [_text(e) for e in _find(doc, "Strong")] == ["b\x91"]


def test_blanks_at_the_inner_side_of_emphasis_verify(tmp_path: Path) -> None:
    """Blanks at either end inside an emphasis run (the subtitle, which a sentence's emphasis
    may not do) are written as a chain of character references (``*x&#160;&#32;*``): a
    fresh file with such a run verifies."""
    for subtitle, chain in (
        ("aaa&lt;0\u00a0 ", "&#160;&#32;*"),
        ("\u2003 \u00a0calm", "*&#8195;&#32;&#160;"),
        ("a \u00a0\u2003", "&#32;&#160;&#8195;*"),
    ):
        brief = bk.Brief(title="a", subtitle=subtitle, key_points=[bk.analysis("It was.")])
        path = bk.export(bk.NotePlan.build(brief), tmp_path / "brief.md")
        assert chain in path.read_text(encoding="utf-8")
        report = bk.verify(path, sources=tmp_path)
        assert report.errors == (), (subtitle, report.problems)


def test_references_the_writer_never_writes_are_reported(tmp_path: Path) -> None:
    """Only blanks may stand in a chain of references beside an emphasis run; a chain of
    other characters, or blanks away from any run, is markup the writer never writes."""
    brief = bk.Brief(title="a", key_points=[bk.analysis("It was", bk.em("calm"), "then.")])
    path = bk.export(bk.NotePlan.build(brief), tmp_path / "brief.md")
    fresh = path.read_text(encoding="utf-8")
    for old, new in (("*calm*", "*ca&#108;&#109;*"), ("It was", "It&#160;&#32;was")):
        assert old in fresh
        path.write_text(fresh.replace(old, new, 1), encoding="utf-8")
        problems = bk.verify(path, sources=tmp_path).problems
        assert "markup" in {p.code for p in problems}, (new, problems)
