"""Emphasis and links in the HTML page: ``<em>``, ``<strong>`` and ``<a class="link">``
around exactly the author's words, which the checker holds to the manifest.

A fresh page verifies with no problem; lxml, pandoc and briefkit's own reader see the
italics, the bold and each link around exactly its words, leading to its address; every way
of adding, removing or changing emphasis or a link — on a quotation's words, in a note, a
heading or the title above all — is reported as ``emphasis`` or ``link``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

import briefkit as bk
from briefkit.errors import ReadError
from briefkit.formats.html.reader import STYLE, read_html
from briefkit.problems import Problem
from briefkit.testing import briefs
from pandoc_json import find as _find
from pandoc_json import text as _text
from property import corpus_files
from property.test_prop_export import workspace

CNN = "000_28b258b49d188a62.txt"
QUOTED = "Our alliance with Japan has never been stronger"
#: a bare address holding the characters HTML escapes in an attribute (& and ')
BARE = "https://example.org/a_(b)?c=1&d='e'"
MAIL = "mailto:desk@example.org"
REPORT = "https://example.org/report"
#: how the writer writes each link, as it stands in the page
BARE_LINK = (
    '<a class="link" href="https://example.org/a_(b)?c=1&amp;d=&#x27;e&#x27;" '
    "rel=\"noopener noreferrer\">https://example.org/a_(b)?c=1&amp;d='e'</a>"
)

MAIL_LINK = f'<a class="link" href="{MAIL}" rel="noopener noreferrer">write to the desk</a>'
QUOTE_SPAN = f'<span class="quoted">“{QUOTED}”</span>'


def inline_brief(corpus: bk.Corpus) -> bk.Brief:
    """s1: italics, bold and a quotation; s2 (analysis): italics, a bare address as a link
    and a labelled link; s3: a cited sentence with a labelled link and C1 text in bold."""
    cnn = corpus[CNN]
    return bk.Brief(
        title="Inline",
        key_points=[
            bk.sentence(
                "The ",
                bk.em("alliance"),
                " is ",
                bk.strong("firm"),
                ": ",
                cnn.quote(QUOTED, speaker="Ash Carter"),
                ".",
            )
        ],
        sections=[
            bk.section(
                "Reading",
                bk.paragraph(
                    bk.analysis(
                        "We ",
                        bk.em("think"),
                        " so; see ",
                        bk.link(BARE),
                        " or ",
                        bk.link(MAIL, "write to the desk"),
                        ".",
                    ),
                    bk.sentence(
                        "The ",
                        bk.link(REPORT, "report"),
                        " counts ",
                        bk.strong("troops\x80\x7f"),
                        ".",
                        cite=cnn.paraphrase("US has 50,000 troops stationed in Japan"),
                    ),
                ),
            )
        ],
    )


@pytest.fixture(scope="module")
def fresh(corpus: bk.Corpus, tmp_path_factory: pytest.TempPathFactory) -> str:
    page = bk.export(inline_brief(corpus), tmp_path_factory.mktemp("html") / "brief.html")
    return page.read_text(encoding="utf-8")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "brief.html"
    path.write_text(text, encoding="utf-8")
    return path


def _edit(page: str, old: str, new: str) -> str:
    assert old in page, old
    return page.replace(old, new, 1)


def _problems(tmp_path: Path, text: str, seeds: Path) -> tuple[Problem, ...]:
    report = bk.verify(_write(tmp_path, text), sources=seeds)
    assert not report.ok
    assert all(c.ok for c in report.citations)  # the sources are fine: the page is not
    return report.problems


# -- fresh pages -------------------------------------------------------------------------------


def test_a_fresh_page_with_emphasis_and_links_verifies(
    fresh: str, tmp_path: Path, seeds: Path
) -> None:
    report = bk.verify(_write(tmp_path, fresh), sources=seeds)
    assert report.ok and report.problems == (), [str(p) for p in report.problems]


def test_the_writer_writes_em_strong_and_links(fresh: str) -> None:
    assert '<span class="sentence" id="s-s1">The <em>alliance</em> is <strong>firm</strong>' in (
        fresh
    )
    assert f"see {BARE_LINK} or {MAIL_LINK}.</span>" in fresh
    assert "<strong>troops\ufffd\u2421</strong>" in fresh  # C1 and DEL as the page shows them
    # italics inside an (italic) analysis sentence stand upright
    assert ".analysis em{font-style:normal}" in STYLE


def _tree(page: str) -> Any:
    """The page as lxml reads it (typed loosely: lxml's xpath results are a union)."""
    return lxml_html.document_fromstring(page.encode("utf-8"))


def test_lxml_sees_the_emphasis_and_links(fresh: str) -> None:
    tree = _tree(fresh)
    first = tree.xpath('//span[@id="s-s1"]')[0]
    shown = [(e.tag, e.text_content()) for e in first.iter("em", "strong", "a")]
    assert shown == [("em", "alliance"), ("strong", "firm"), ("a", "1")]  # and the note mark
    second = tree.xpath('//span[@id="s-s2"]')[0]
    assert [e.text_content() for e in second.iter("em")] == ["think"]
    links = [(a.get("href"), a.text_content(), a.get("rel")) for a in second.iter("a")]
    rel = "noopener noreferrer"
    assert links == [(BARE, BARE, rel), (MAIL, "write to the desk", rel)]
    quoted = tree.xpath('//span[@class="quoted"]')[0]
    assert not list(quoted.iter("em", "strong", "a"))  # never inside the quotation


def test_the_reader_records_each_sentences_emphasis_and_links(fresh: str) -> None:
    page = read_html(fresh.encode("utf-8"))
    assert page.emphasis == {
        "s1": (("alliance", "em"), ("firm", "strong")),
        "s2": (("think", "em"),),
        "s3": (("troops\ufffd\u2421", "strong"),),
    }
    assert page.links == {
        "s2": ((BARE, BARE), ("write to the desk", MAIL)),
        "s3": (("report", REPORT),),
    }
    assert page.emphasis_elsewhere == () and page.links_elsewhere == ()
    assert page.foreign == ()


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_reads_emph_strong_and_links_around_exactly_the_words(fresh: str) -> None:
    done = subprocess.run(
        ["pandoc", "-f", "html", "-t", "json"],
        input=fresh.encode("utf-8"),
        capture_output=True,
        check=True,
    )
    ast = json.loads(done.stdout)
    assert [_text(e["c"]) for e in _find(ast, "Emph")] == ["alliance", "think"]
    # the analysis label is bold too (briefkit's own, outside the sentence)
    assert [_text(e["c"]) for e in _find(ast, "Strong")] == [
        "firm",
        "Analysis:",
        "troops\ufffd\u2421",
    ]
    # each link: (attr, inlines, (url, title)); the notes' back links lead within the page
    links = [
        (_text(e["c"][1]), e["c"][2][0], e["c"][0][1])
        for e in _find(ast, "Link")
        if not e["c"][2][0].startswith("#")
    ]
    assert links == [
        (BARE, BARE, ["link"]),
        ("write to the desk", MAIL, ["link"]),
        ("report", REPORT, ["link"]),
    ]


@settings(max_examples=25, deadline=None)
@given(files=corpus_files, data=st.data())
def test_random_briefs_with_emphasis_and_links_verify(
    files: dict[str, bytes], data: st.DataObject
) -> None:
    with workspace(files) as (root, out, corpus):
        brief = data.draw(briefs(corpus, tables=True, inline_styles=True), label="brief")
        path = bk.export(brief, out / "brief.html")
        report = bk.verify(path, sources=root)
        assert report.ok, report.summary()
        # and the reader found exactly the styled and linked parts, each in its sentence
        page = read_html(path)
        manifest = page.manifest
        assert manifest is not None
        styled = {s.id for s in manifest.sentences if any(p.style for p in s.parts)}
        linked = {s.id for s in manifest.sentences if any(p.href for p in s.parts)}
        assert set(page.emphasis) == styled and set(page.links) == linked


# -- tampering ----------------------------------------------------------------------------------

#: name -> (old, new, the code reported, words the problem's message holds)
TAMPER: dict[str, tuple[str, str, str, str]] = {
    "italic-quote-words": (
        QUOTE_SPAN,
        '<span class="quoted">“Our <em>alliance</em> with Japan has never been stronger”</span>',
        "emphasis",
        "sentence s1",
    ),
    "bold-quote-words": (
        QUOTE_SPAN,
        '<span class="quoted">“Our alliance with Japan has <b>never</b> been stronger”</span>',
        "emphasis",
        "'firmnever' in bold",  # the bold runs of a sentence as one
    ),
    "italic-whole-quote": (QUOTE_SPAN, f"<em>{QUOTE_SPAN}</em>", "emphasis", "in italics"),
    "styled-quote": (
        QUOTE_SPAN,
        f'<span class="quoted" style="font-style: italic">“{QUOTED}”</span>',
        "emphasis",
        "sentence s1",
    ),
    "italic-plain-word": ("see <a", "<i>see</i> <a", "emphasis", "'thinksee' in italics"),
    "bold-plain-word": ("The <em>", "<strong>The</strong> <em>", "emphasis", "'The' in bold"),
    "emphasis-removed": ("<em>alliance</em>", "alliance", "emphasis", "sentence s1"),
    "bold-removed": ("<strong>firm</strong>", "firm", "emphasis", "'firm' in bold"),
    "italics-made-bold": (
        "<em>alliance</em>",
        "<strong>alliance</strong>",
        "emphasis",
        "'alliancefirm' in bold",
    ),
    "emphasis-widened": (
        "<em>alliance</em> is",
        "<em>alliance is</em>",
        "emphasis",
        "'allianceis' in italics",
    ),
    "address-changed": (
        'href="https://example.org/report"',
        'href="https://evil.example/report"',
        "link",
        "https://evil.example/report",
    ),
    "unsafe-address": (
        'href="https://example.org/report"',
        'href="javascript:alert(1)"',
        "link",
        "javascript:alert(1)",
    ),
    "link-removed": (MAIL_LINK, "write to the desk", "link", "'writetothedesk'"),
    "link-text-widened": (
        f"{MAIL_LINK}.",
        f'<a class="link" href="{MAIL}" rel="noopener noreferrer">write to the desk.</a>',
        "link",
        "sentence s2",
    ),
    "link-around-quote": (
        QUOTE_SPAN,
        f'<a class="link" href="{REPORT}" rel="noopener noreferrer">{QUOTE_SPAN}</a>',
        "link",
        "sentence s1",
    ),
    "link-inside-quote": (
        QUOTE_SPAN,
        f'<span class="quoted"><a href="{REPORT}">“{QUOTED}”</a></span>',
        "link",
        "sentence s1",
    ),
    "link-on-plain-word": (
        "The <em>",
        f'<a class="link" href="{REPORT}" rel="noopener noreferrer">The</a> <em>',
        "link",
        "sentence s1",
    ),
    "link-in-note": (
        '<span class="note-text">',
        f'<span class="note-text"><a href="{REPORT}">here</a> ',
        "link",
        "in note 1",
    ),
    "italics-in-note": (
        '<span class="note-text">“',
        '<span class="note-text"><em>“</em>',
        "emphasis",
        "in note 1",
    ),
    "italics-on-excerpt": (
        f'<blockquote class="exact">{QUOTED}',
        f'<blockquote class="exact"><em>Our</em>{QUOTED[3:]}',
        "emphasis",
        "in note 1",
    ),
    "link-around-excerpt": (
        f'<blockquote class="exact">{QUOTED}</blockquote>',
        f'<blockquote class="exact"><a href="{REPORT}">{QUOTED}</a></blockquote>',
        "link",
        "in note 1",
    ),
    "bold-heading": (
        '<h2 id="sec-1">Reading</h2>',
        '<h2 id="sec-1"><strong>Reading</strong></h2>',
        "emphasis",
        "<strong>",
    ),
    "link-heading": (
        '<h2 id="sec-1">Reading</h2>',
        f'<h2 id="sec-1"><a href="{REPORT}">Reading</a></h2>',
        "link",
        REPORT,
    ),
    "italic-title": ("<h1>Inline</h1>", "<h1><i>Inline</i></h1>", "emphasis", "<i>"),
    "italic-page-title": (
        "<title>Inline</title>",
        "<title><em>Inline</em></title>",
        "emphasis",
        "in the page head",
    ),
    "italic-label": (
        '<strong class="label">Analysis:</strong>',
        '<strong class="label"><em>Analysis</em>:</strong>',
        "emphasis",
        "<em>",
    ),
    "link-in-bibliography": (
        '<ul class="bibliography">\n<li>',
        f'<ul class="bibliography">\n<li><a href="{REPORT}">See</a> ',
        "link",
        REPORT,
    ),
}


@pytest.mark.parametrize("name", list(TAMPER))
def test_every_emphasis_and_link_tampering_is_reported(
    name: str, fresh: str, tmp_path: Path, seeds: Path
) -> None:
    old, new, code, words = TAMPER[name]
    problems = _problems(tmp_path, _edit(fresh, old, new), seeds)
    found = [p for p in problems if p.code == code]
    assert found, (code, [str(p) for p in problems])
    assert any(words in p.message for p in found), [str(p) for p in found]


def test_a_moved_link_is_reported(fresh: str, tmp_path: Path, seeds: Path) -> None:
    """The same address and words, but around other words of the sentence."""
    moved = f'<a class="link" href="{MAIL}" rel="noopener noreferrer">or write</a> to the desk'
    page = _edit(fresh, f" or {MAIL_LINK}", f" {moved}")
    problems = _problems(tmp_path, page, seeds)
    assert any(p.code == "link" and p.sentence == "s2" for p in problems), [
        str(p) for p in problems
    ]


def test_an_unsafe_address_in_the_manifest_too_is_refused(
    fresh: str, tmp_path: Path, seeds: Path
) -> None:
    """Changing a link and the embedded manifest's record of it alike is no way in: the
    manifest refuses the address (and the page's reader would not accept it either)."""
    bad = "javascript:alert(1)"
    page = _edit(fresh, f'href="{REPORT}"', f'href="{bad}"')
    manifest = page.rindex('<script type="application/json"')
    page = page[:manifest] + page[manifest:].replace(json.dumps(REPORT), json.dumps(bad))
    assert page.count(bad) >= 2
    with pytest.raises(ReadError, match="href must be an http, https or mailto address"):
        bk.verify(_write(tmp_path, page), sources=seeds)


def test_emphasis_markup_outside_sentences_is_bounded(
    fresh: str, tmp_path: Path, seeds: Path
) -> None:
    """A page of nothing but italics in a note is reported in bounded time and memory: at
    most 1000 findings, the rest counted in one."""
    page = _edit(fresh, '<span class="note-text">', '<span class="note-text">' + "<i>x</i>" * 3000)
    found = read_html(page.encode("utf-8")).emphasis_elsewhere
    assert len(found) == 1001
    assert re.search(r"and 2000 more elements in italics or bold", found[-1].what)


def test_hostile_emphasis_and_link_text_is_inert_and_verifies(
    corpus: bk.Corpus, tmp_path: Path, seeds: Path
) -> None:
    hostile = "<script>alert(1)</script> <b>x</b> &amp; \u202eevil"
    brief = bk.Brief(
        title="Hostile",
        key_points=[
            bk.analysis(
                bk.em(hostile),
                " and ",
                bk.strong(hostile),
                " and ",
                bk.link("https://example.org/?q=%3Cx%3E", hostile),
                ".",
            )
        ],
    )
    path = bk.export(brief, tmp_path / "brief.html")
    page = path.read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<b>x" not in page
    assert "<em>&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;x&lt;/b&gt; &amp;amp;" in page
    report = bk.verify(path, sources=seeds)
    assert report.ok, [str(p) for p in report.problems]
    read = read_html(path)
    assert [style for _text, style in read.emphasis["s1"]] == ["em", "strong"]
    assert read.links["s1"] == ((hostile, "https://example.org/?q=%3Cx%3E"),)
