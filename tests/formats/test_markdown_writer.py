from __future__ import annotations

import json
import shutil
import subprocess

import attrs
import pytest

import briefkit as bk
import briefkit.manifest
from briefkit._text import display, split_lines
from briefkit.formats.markdown.reader import read_markdown, unescape
from briefkit.formats.markdown.writer import MANIFEST_COMMENT, escape
from briefs import alliance_brief
from pandoc_json import inline_text
from pandoc_json import notes as pandoc_notes

HOSTILE = (
    "Title <b>bold</b> <a href='javascript:x'>x</a> <img src=x onerror=alert(1)> &amp; "
    "*star* _under_ [link](http://x) `code` # not heading @cite $x$ ~sub~ ^sup^ -- ... "
    "\"straight\" 'single' \x0b vt\r\nnext line\r- dash\n1. one\n日本 😀 שלום"
)


@pytest.fixture
def hostile_brief() -> bk.Brief:
    src = bk.Source.from_text("hostile.txt", HOSTILE)
    q = src.quote(HOSTILE)
    return bk.Brief(
        title="<h1>Brief</h1> & *more*",
        subtitle="sub [x]",
        key_points=[bk.sentence("Key ", q, ".")],
        sections=[bk.section("# Heading <i>", bk.paragraph(bk.analysis("Plain *analysis* <br>.")))],
    )


def test_escape_neutralises_markup_and_smart_punctuation() -> None:
    out = escape("<b>&amp;</b> *x* -- ... 'q' @a $m$")
    assert out == r"\<b\>\&amp;\</b\> \*x\* \-- \.\.\. \'q\' \@a \$m\$"


def test_newlines_become_hard_breaks_and_line_starts_are_safe() -> None:
    assert escape("a\r\n- b\r1. c\x0bd") == "a\\\n\\- b\\\n1\\. c\\\nd"


def test_control_characters_are_shown_one_for_one() -> None:
    assert escape("a\x00b\x1fc") == "a␀b␟c"


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_reads_real_notes_and_the_same_text(
    hostile_brief: bk.Brief, corpus: bk.Corpus
) -> None:
    md = bk.render(hostile_brief, "md")
    out = subprocess.run(
        ["pandoc", "-f", "markdown", "-t", "json"], input=md, capture_output=True, check=True
    )
    doc = json.loads(out.stdout)
    notes = pandoc_notes(doc["blocks"])
    plan = bk.NotePlan.build(hostile_brief)
    assert len(notes) == len(plan.notes) == 1
    *inlines, space, comment = notes[0][0]["c"]
    assert inline_text(inlines) == plan.notes[0].text
    # the note's citations: raw HTML, which pandoc writes to HTML only (as a comment)
    assert space == {"t": "Space"}
    assert comment["t"] == "RawInline" and comment["c"][0] == "html"
    assert comment["c"][1].startswith("<!-- cites: ") and comment["c"][1].endswith(" -->")
    # the key point: every character of the hostile quote survives as text (no markup)
    bullets = next(b for b in doc["blocks"] if b["t"] == "BulletList")
    para = bullets["c"][0][0]["c"]  # item -> Plain -> inlines
    text = inline_text(para)
    expected = display(plan.sentences[0].text).replace("\r\n", "\n").replace("\r", "\n")
    expected = expected.replace("␋", "\n")  # a vertical tab is a line break too
    assert " ".join(text.split()) == " ".join(expected.split())
    assert "<RawInline>" not in text and "<Link>" not in text and "<Image>" not in text


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_finds_one_note_per_cited_sentence(corpus: bk.Corpus) -> None:
    cnn = corpus["000_28b258b49d188a62.txt"]
    q = cnn.quote("Our alliance with Japan has never been stronger", speaker="Ash Carter")
    f = cnn.figure("50,000", within="US has 50,000 troops stationed in Japan")
    brief = bk.Brief(
        title="T",
        key_points=[bk.sentence(q, "."), bk.sentence("Troops: ", f, ".")],
        sections=[bk.section("S", bk.paragraph(bk.sentence(f, " again."), bk.analysis("Mine.")))],
    )
    out = subprocess.run(
        ["pandoc", "-f", "markdown", "-t", "json"],
        input=bk.render(brief, "md"),
        capture_output=True,
        check=True,
    )
    notes = pandoc_notes(json.loads(out.stdout)["blocks"])
    plan = bk.NotePlan.build(brief)
    # each note ends in the raw HTML comment that carries its citations
    assert [inline_text(n[0]["c"][:-2]) for n in notes] == [n.text for n in plan.notes]
    assert all(n[0]["c"][-1]["c"][1].startswith("<!-- cites: ") for n in notes)


def test_leading_blanks_never_make_a_code_block() -> None:
    assert escape("    indented\n\tx") == "&#32;&#32;&#32;&#32;indented\\\n&#9;x"


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_keeps_the_note_of_an_indented_sentence() -> None:
    src = bk.Source.from_text("a.txt", "    Indented claim.")
    brief = bk.Brief(
        title="T",
        key_points=[bk.sentence(src.quote(src.text))],
        sections=[
            bk.section(
                "S", bk.paragraph(bk.sentence("    Also indented.", cite=src.paraphrase(src.text)))
            )
        ],
    )
    out = subprocess.run(
        ["pandoc", "-f", "markdown", "-t", "json"],
        input=bk.render(brief, "md"),
        capture_output=True,
        check=True,
    )
    doc = json.loads(out.stdout)
    assert len(pandoc_notes(doc["blocks"])) == 2
    assert "CodeBlock" not in out.stdout.decode()


def test_the_manifest_ends_the_file_as_a_comment_that_cannot_end_early(
    hostile_brief: bk.Brief,
) -> None:
    brief = attrs.evolve(hostile_brief, title="A -- B --> C <!-- D --!> E ---")
    md = bk.render(brief, "md").decode("utf-8")
    head, sep, tail = md.rpartition(f"\n\n{MANIFEST_COMMENT}\n")
    assert sep and tail.endswith("\n-->\n")
    data = tail.removesuffix("\n-->\n")
    assert "\n" not in data and data.isascii()
    assert "--" not in data  # so neither "-->" nor "--!>" can end the comment early
    assert json.loads(data) == json.loads(bk.render(brief, "json"))
    assert read_markdown(md.encode()).manifest == bk.manifest.build(bk.NotePlan.build(brief))
    assert MANIFEST_COMMENT not in head


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_does_not_show_the_manifest(corpus: bk.Corpus) -> None:
    md = bk.render(alliance_brief(corpus), "md")
    for fmt in ("markdown", "gfm", "commonmark"):
        out = subprocess.run(
            ["pandoc", "-f", fmt, "-t", "plain"], input=md, capture_output=True, check=True
        )
        assert b"provenance" not in out.stdout, fmt
        assert "## Bibliography" not in out.stdout.decode()  # a heading, not its markup
        assert "Bibliography\n" in out.stdout.decode()  # the bibliography is still there
        assert "“US Backs Japan Alliance ‘100%.’”" in out.stdout.decode()


def test_reader_unescapes_notes_and_finds_marks(hostile_brief: bk.Brief, corpus: bk.Corpus) -> None:
    for brief in (hostile_brief, alliance_brief(corpus)):
        plan = bk.NotePlan.build(brief)
        contents = read_markdown(bk.render(brief, "md"))
        shown = {
            str(n.number): " ".join(display(x) for x in split_lines(n.text)) for n in plan.notes
        }
        assert contents.notes == shown
        assert contents.marks == tuple(str(n.number) for n in plan.notes)
    assert unescape(escape("  \\[^1]: &#32; *x* 1. -- ...")) == "  \\[^1]: &#32; *x* 1. -- ..."


def test_reader_reports_a_damaged_comment() -> None:
    with pytest.raises(bk.ReadError, match="x.md: the trailing <!-- briefkit-provenance comment"):
        read_markdown(b"text\n\n<!-- briefkit-provenance v1\n{}\n--> more\n", where="x.md")
    with pytest.raises(bk.ReadError, match=r"x.md: the provenance comment: manifest: \$.schema"):
        read_markdown(b"text\n\n<!-- briefkit-provenance v1\n{}\n-->\n", where="x.md")
    with pytest.raises(bk.ReadError, match="x.md: not UTF-8 text .byte offset 2"):
        read_markdown(b"ab\xff", where="x.md")
    assert read_markdown(b"# Just notes\n").manifest is None


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a) lower alpha.", "a\\) lower alpha."),
        ("(1) first.", "\\(1) first."),
        ("iv. roman item.", "iv\\. roman item."),
        ("B.  Upper", "B\\.  Upper"),
        ("Apples. a) b", "Apples. a) b"),
    ],
)
def test_pandoc_fancy_list_markers_are_escaped(text: str, escaped: str) -> None:
    from briefkit.formats.markdown.writer import escape

    assert escape(text) == escaped


def test_only_printable_ascii_urls_become_links() -> None:
    from briefkit.plan import _SAFE_URL

    assert _SAFE_URL.match("https://example.org/a?b=1&c=(2)#d")
    for bad in (
        "https://a.org/x\x00y",
        "https://a.org/\x1b[31m",
        "https://a.org/ü",
        "https://a.org/<x>",
    ):
        assert not _SAFE_URL.match(bad)
