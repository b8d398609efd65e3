"""The HTML source reader: visible text only, blocks as paragraphs, headings as sections,
encodings as browsers read them, no limit on size, and nesting up to a limit that names the
place where a page passes it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefkit.errors import SourceError
from briefkit.readers import Extraction, Mark, UnreadableSourceError, reader_for, reader_named
from briefkit.readers import html as html_reader
from briefkit.readers._common import Block, heading_label, join_blocks
from briefkit.readers.html import MAX_DEPTH, HtmlReader
from make_html import FOOTER_BLOCKS, NAV_BLOCKS, expected_text, make_html, page


def read(data: bytes | str, *, main: bool = False, max_depth: int = MAX_DEPTH) -> Extraction:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return HtmlReader(main=main, max_depth=max_depth).read(raw, where="page.html")


def text(body: str, *, main: bool = False, max_depth: int = MAX_DEPTH) -> str:
    """The canonical text of a page with this body."""
    return read(page(body), main=main, max_depth=max_depth).text


# ---------------------------------------------------------------------------------- the reader


def test_reader_attributes_and_registry() -> None:
    reader = HtmlReader()
    assert (reader.name, reader.version) == ("html", "1")
    assert reader.suffixes == (".html", ".htm", ".xhtml")
    assert reader.options() == {"main": False}
    assert HtmlReader(main=True).options() == {"main": True}
    assert re.fullmatch(r"lxml \d+\.\d+\.\d+ \(libxml2 \d+\.\d+\.\d+\)", reader.library())
    assert isinstance(reader_for("a/b/Report.XHTML"), HtmlReader)
    named = reader_named("html", {"main": True})
    assert isinstance(named, HtmlReader) and named.options() == {"main": True}
    assert reader.record().to_json()["options"] == {"main": False}


def test_max_depth_is_recorded_only_when_not_the_default() -> None:
    assert MAX_DEPTH == 512
    assert HtmlReader(max_depth=MAX_DEPTH).options() == {"main": False}
    deeper = reader_named("html", {"main": True, "max_depth": 4096})
    assert isinstance(deeper, HtmlReader) and deeper.max_depth == 4096
    assert deeper.options() == {"main": True, "max_depth": 4096}
    assert deeper.record().to_json()["options"] == {"main": True, "max_depth": 4096}
    again = reader_named("html", deeper.record().options)
    assert isinstance(again, HtmlReader) and again.max_depth == 4096


def test_bad_options_are_refused() -> None:
    with pytest.raises(SourceError, match="bad options"):
        reader_named("html", {"main": "yes"})
    with pytest.raises(SourceError, match="bad options"):
        reader_named("html", {"mian": True})
    for bad in (1, 0, -5, True, 2.5, "600", None):
        with pytest.raises(SourceError, match="max_depth must be a whole number of at least 2"):
            reader_named("html", {"max_depth": bad})


def test_extraction_shape() -> None:
    got = read(make_html([("Intro", ["First paragraph."])]))
    assert got.paragraphs is True
    assert got.bom is False
    assert got.pages == ()
    assert got.title == "Test page"


def test_make_html_page_reads_as_expected() -> None:
    sections: list[tuple[str | None, Sequence[str]]] = [
        (None, ["Lead  paragraph\nwith a line break in the source."]),
        ("1. Scope", ["Fish & chips <cost> “£3”.", "Second."]),
        ("Overview", []),
    ]
    got = read(make_html(sections, url="https://example.org/x"))
    assert got.text == expected_text(sections)
    assert got.text.startswith("\n\n".join(NAV_BLOCKS))
    assert got.text.endswith(FOOTER_BLOCKS[-1])
    assert got.url == "https://example.org/x"
    assert [m.label for m in got.sections] == ["1", "Overview"]
    assert read(make_html(sections), main=True).text == expected_text(sections, main_only=True)


def test_no_visible_text_is_unreadable() -> None:
    for body in ("", "<script>document.write('hi')</script>", "<div hidden>x</div>", "&nbsp;"):
        with pytest.raises(UnreadableSourceError, match=r"page\.html: the page has no visible"):
            read(page(body))
    with pytest.raises(UnreadableSourceError, match="no visible text"):
        read(b"<html><frameset><frame src='a.html'></frameset></html>")
    with pytest.raises(UnreadableSourceError, match="main=false"):
        read(page("<p>outside</p><main><p hidden>x</p></main>"), main=True)


# ------------------------------------------------------------------------------- left out

LEFT_OUT_WITH_CONTENT = [
    "script",
    "style",
    "template",
    "noscript",
    "svg",
    "iframe",
    "object",
    "embed",
    "canvas",
    "audio",
    "video",
    "select",
    "datalist",
    "button",
    "meter",
    "progress",
    "title",
    "noframes",
    "noembed",
    "rp",
    "dialog",
]


@pytest.mark.parametrize("tag", LEFT_OUT_WITH_CONTENT)
def test_left_out_elements(tag: str) -> None:
    body = f"<div>keep one</div><{tag}>SECRET <p>SECRET</p></{tag}><div>keep two</div>"
    assert text(body) == "keep one\n\nkeep two"


@pytest.mark.parametrize("tag", [t for t in LEFT_OUT_WITH_CONTENT if t != "title"])
def test_left_out_inline_leave_no_boundary(tag: str) -> None:
    # (libxml2 ends a <p> at a <title>, so that one is left out of this test)
    assert text(f"<p>left <{tag}>SECRET</{tag}> right</p>") == "left right"


def test_form_controls_and_options_give_no_text() -> None:
    body = (
        '<form><p>Name <input value="SECRET" placeholder="SECRET"> '
        "<select><option>SECRET<option>SECRET2</select>"
        "<button>SECRET</button></p></form>"
    )
    assert text(body) == "Name"


def test_head_gives_no_text() -> None:
    got = read(
        page(
            "<p>body</p>",
            title="T",
            head="<style>p{}</style><script>var x = '<p>SECRET</p>';</script>"
            "<noscript><p>SECRET</p></noscript><meta name=x content=SECRET>",
        )
    )
    assert got.text == "body"


@pytest.mark.parametrize(
    "attrs",
    [
        "hidden",
        'hidden="until-found"',
        'HIDDEN=""',
        'aria-hidden="true"',
        'aria-hidden=" TRUE "',
        'style="display:none"',
        'style="color: red; DISPLAY : None !important"',
        'style="display: /* x */ none"',
        'style="visibility:hidden"',
        'style="Visibility: COLLAPSE;"',
        'style="display:block; display:none"',
    ],
)
def test_hidden_by_attribute(attrs: str) -> None:
    assert text(f"<div>a</div><div {attrs}>SECRET<p>SECRET</p></div><div>b</div>") == "a\n\nb"
    assert text(f"<p>a <span {attrs}>SECRET <b>SECRET</b></span> b</p>") == "a b"


@pytest.mark.parametrize(
    "attrs",
    [
        'aria-hidden="false"',
        'style="display:none; display:inline"',
        'style="visibility: visible"',
        'style="display: inline-block"',
        'data-hidden="true"',
        'class="hidden"',
    ],
)
def test_not_hidden(attrs: str) -> None:
    assert text(f"<p>a <span {attrs}>shown</span> b</p>") == "a shown b"


def test_dialog_open_and_details_are_kept() -> None:
    assert text("<dialog open><p>modal</p></dialog>") == "modal"
    body = "<details><summary>More</summary><p>hidden until opened</p></details>"
    assert text(body) == "More\n\nhidden until opened"


def test_math_text_kept_annotations_left_out() -> None:
    body = (
        '<p>so <math><semantics><mi>x</mi><mo>=</mo><mn>2</mn><annotation encoding="TeX">'
        "SECRET</annotation></semantics></math> holds</p>"
    )
    assert text(body) == "so x=2 holds"
    assert text('<p>a<math display="block"><mi>y</mi></math>b</p>') == "a\n\ny\n\nb"


def test_ruby_keeps_base_and_annotation_but_not_parentheses() -> None:
    assert text("<p><ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby></p>") == "漢kan"


def test_comments_and_processing_instructions() -> None:
    assert text("<p>a<!-- SECRET -->b<?php echo 'SECRET'; ?>c</p>") == "abc"


def test_huge_comment_is_still_a_comment() -> None:
    body = "<!--" + "SECRET " * 1_600_000 + "--><p>after</p>"  # over libxml2's 10 MB limit
    assert text(body) == "after"


# ------------------------------------------------------------------------------- white space


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<p>a <b>b</b>c</p>", "a bc"),
        ("<p>a<b> b</b> c</p>", "a b c"),
        ("<p>  a \n\t <i> <b> b </b> </i>  c  </p>", "a b c"),
        ("<p>a&#12;b&#13;c\fd</p>", "a b c d"),
        ("<p>a&nbsp; b\u00a0\u00a0c</p>", "a\u00a0 b\u00a0\u00a0c"),
        ("<p>x<span></span>y <img src=a.png alt=SECRET> z</p>", "xy z"),
        ("<p>\u2003em\u2003space\u200b</p>", "\u2003em\u2003space\u200b"),
    ],
)
def test_inline_white_space_collapses(body: str, expected: str) -> None:
    assert text(body) == expected


def test_line_breaks() -> None:
    assert text("<p>one <br> two<br><br>three<br></p>") == "one\ntwo\n\nthree"
    assert text("<p><br>  lead</p>") == "lead"
    assert text("<address>1 Road<br>Town</address>") == "1 Road\nTown"


def test_pre_keeps_white_space_exactly() -> None:
    assert text("<pre>\n  x  y\n\tz  \n</pre><p>after</p>") == "  x  y\n\tz  \n\n\nafter"
    assert text("<pre>\n\nx</pre>") == "\nx"  # only one newline after <pre> is dropped
    assert text("<pre>a <b> b </b>\n c</pre>") == "a  b \n c"
    assert text("<pre>a<br>b</pre>") == "a\nb"
    assert text("<pre>\r\nx\ry</pre>") == "x\ny"  # the parser makes CR LF and CR LF
    assert text("<textarea>\n  typed\n text</textarea>") == "  typed\n text"
    assert text("<xmp>\n<b>raw</b></xmp>") == "\n<b>raw</b>"
    assert text("<listing>\nl  1</listing>") == "l  1"


def test_control_characters_are_dropped() -> None:
    assert text("<p>a\x01b\x7fc\x00d\x1be \x85f</p>") == "abcde f"
    assert text("<p>&#x85;&#x1;&#x7f;</p>") == "…"  # C1 references are windows-1252, as in HTML
    assert text("<p>a \x01 b</p>") == "a b"
    assert text("<pre>a\x01\x0cb\tc</pre>") == "ab\tc"
    got = read(b"<p>a\x00b</p>")
    assert got.text == "ab"


def test_character_references() -> None:
    body = "<p>&amp; &lt;b&gt; &quot;q&quot; &#39; &#x2014; &#8212; &copy &eacute;t&eacute;</p>"
    assert text(body) == '& <b> "q" \' \u2014 \u2014 © été'
    assert text("<p>&#x80;&#0;&bogus; &notit;</p>") == "€\ufffd&bogus; ¬it;"


def test_no_unicode_normalisation() -> None:
    decomposed = "e\u0301"  # é as e + combining acute
    assert text(f"<p>{decomposed} \ufb01</p>") == f"{decomposed} \ufb01"


# ------------------------------------------------------------------------------- blocks


def test_each_block_is_a_paragraph() -> None:
    body = (
        "<header>Site</header><article><section><p>one</p>two<div>three</div>"
        "<blockquote>four</blockquote></section></article><aside>five</aside>"
        "<figure><img src=x><figcaption>six</figcaption></figure><hr><center>seven</center>"
    )
    assert text(body) == "Site\n\none\n\ntwo\n\nthree\n\nfour\n\nfive\n\nsix\n\nseven"


def test_text_around_blocks_is_cut_into_blocks() -> None:
    assert text("a<div>b</div>c") == "a\n\nb\n\nc"
    assert text("<span>a<div>b</div>c</span>") == "a\n\nb\n\nc"


def test_unknown_and_custom_elements_are_inline() -> None:
    assert text("<p>a <my-widget>b</my-widget> <o:p>c</o:p></p>") == "a b c"


def test_lists() -> None:
    body = "<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul><ol><li>d<li>e</ol>"
    assert text(body) == "a\n\nb\n\nc\n\nd\n\ne"
    assert text("<dl><dt>term<dd>definition<dt>t2</dl>") == "term\n\ndefinition\n\nt2"


def test_tables() -> None:
    body = (
        "<table><caption>Costs</caption><thead><tr><th>Item</th><th>Cost</th></tr></thead>"
        "<tbody><tr><td>Tea</td><td> 2 <b>£</b> </td></tr>\n<tr><td>A<td><td>C</tr>"
        "<tr><td><p>one paragraph</p></td><td>x<br>y</td></tr></tbody></table>"
    )
    assert text(body) == "Costs\n\nItem\tCost\n\nTea\t2 £\n\nA\t\tC\n\none paragraph\tx\ny"


def test_cells_outside_rows_are_blocks() -> None:
    assert text("<table><td>a<td>b</table>") == "a\n\nb"


def test_hidden_cell_is_no_cell() -> None:
    assert text("<table><tr><td>a<td hidden>SECRET<td>c</table>") == "a\tc"


def test_layout_tables_read_as_blocks() -> None:
    body = (
        "<table><tr><td><h1>Title</h1><p>p1</p><p>p2</p></td><td>side</td></tr>"
        "<tr><td>plain</td><td>row</td></tr></table>"
    )
    got = read(page(body))
    assert got.text == "Title\n\np1\n\np2\n\nside\n\nplain\trow"
    assert got.sections == (Mark(0, "Title"),)


def test_nested_tables() -> None:
    body = "<table><tr><td><table><tr><td>a<td>b</table></td><td>c</td></tr></table>"
    assert text(body) == "a\tb\tc"
    body = "<table><tr><td><table><tr><td>a<tr><td>b</table></td><td>c</td></tr></table>"
    assert text(body) == "a\n\nb\n\nc"


# ------------------------------------------------------------------------------- sections


def test_headings_are_sections() -> None:
    body = (
        "<h1>Report</h1><p>intro</p><h2>2.1 Costs</h2><p>money</p>"
        "<h3>  Overview  of <em>things</em></h3><p>x</p><h4></h4><p>y</p>"
    )
    got = read(page(body))
    assert got.text == "Report\n\nintro\n\n2.1 Costs\n\nmoney\n\nOverview of things\n\nx\n\ny"
    assert got.sections == (
        Mark(0, "Report"),
        Mark(got.text.index("2.1 Costs"), "2.1"),
        Mark(got.text.index("Overview"), "Overview of things"),
    )


def test_heading_labels_follow_heading_label() -> None:
    for heading in ("§ 4 Fees", "IV. Costs", "3 ways to save", "B) Annex", "x" * 80):
        got = read(page(f"<h2>{heading}</h2><p>p</p>"))
        assert got.sections == (Mark(0, heading_label(heading) or ""),)


def test_heading_with_line_break_label_is_one_line() -> None:
    got = read(page("<h1>Title<br>Subtitle</h1>"))
    assert got.text == "Title\nSubtitle"
    assert got.sections == (Mark(0, "Title Subtitle"),)


def test_hidden_heading_is_no_section() -> None:
    got = read(page("<p>a</p><h2 hidden>Gone</h2><h2>Kept</h2><p>b</p>"))
    assert got.sections == (Mark(3, "Kept"),)


# ------------------------------------------------------------------------------- main


PAGE = (
    "<header><nav><a href=/>Home</a></nav></header>"
    "<main><h1>Story</h1><p>Body text.</p></main>"
    "<aside>Related</aside><footer>Footer</footer>"
)


def test_main_option_reads_only_main() -> None:
    assert text(PAGE) == "Home\n\nStory\n\nBody text.\n\nRelated\n\nFooter"
    got = read(page(PAGE), main=True)
    assert got.text == "Story\n\nBody text."
    assert got.sections == (Mark(0, "Story"),)


def test_main_option_role_main_then_article() -> None:
    body = "<nav>n</nav><div role='region Main'>by role</div><article>art</article>"
    assert text(body, main=True) == "by role"
    body = "<nav>n</nav><article><p>the article</p></article><footer>f</footer>"
    assert text(body, main=True) == "the article"
    body = "<p>a <span role=main>inline main</span> b</p>"
    assert text(body, main=True) == "inline main"


def test_main_option_falls_back_to_the_whole_page() -> None:
    for body in (
        "<nav>n</nav><p>no candidates</p>",
        "<main>one</main><main>two</main><article>art</article>",  # two mains: ambiguous
        "<article>a1</article><article>a2</article>",
    ):
        assert text(body, main=True) == text(body)


def test_main_option_ignores_hidden_candidates() -> None:
    body = "<main hidden>old</main><main><p>current</p></main><p>outside</p>"
    assert text(body, main=True) == "current"


def test_main_option_in_a_layout_table() -> None:
    body = "<table><tr><td>menu</td><td><main><p>x</p><p>y</p></main></td></tr></table>"
    assert text(body, main=True) == "x\n\ny"


# ------------------------------------------------------------------------------- encodings


def test_meta_charset_latin1_reads_as_windows_1252() -> None:
    data = page("<p>café “quoted” – 5 €</p>", encoding="windows-1252", charset=False)
    data = data.replace(b"<head>", b'<head><meta charset="ISO-8859-1">')
    assert read(data).text == "café “quoted” – 5 €"


def test_meta_http_equiv_and_other_encodings() -> None:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    data = page("<p>Привет</p>", head=head, encoding="cp1251", charset=False)
    assert read(data).text == "Привет"
    assert read(page("<p>日本語のテキスト</p>", encoding="shift_jis")).text == "日本語のテキスト"
    assert read(page("<p>中文</p>", encoding="gb2312")).text == "中文"


def test_xml_declaration() -> None:
    data = '<?xml version="1.0" encoding="iso-8859-1"?>\n<html><body><p>é</p></body></html>'
    assert read(data.encode("latin-1")).text == "é"


def test_byte_order_marks() -> None:
    assert read(b"\xef\xbb\xbf<p>\xc3\xa9</p>").text == "é"
    assert read("<p>é</p>".encode("utf-16")).text == "é"
    assert read(b"\xfe\xff" + "<p>é</p>".encode("utf-16-be")).text == "é"
    # a BOM wins over a <meta>
    assert read(b"\xef\xbb\xbf<meta charset=latin1><p>\xc3\xa9</p>").text == "é"


def test_windows_1252_bytes_without_characters_are_controls() -> None:
    # WHATWG decodes 0x81 0x8D 0x8F 0x90 0x9D as C1 controls, which the text leaves out
    assert read(b"<meta charset=latin1><p>a\x81b\x80</p>").text == "ab€"


def test_invalid_utf16_is_refused_with_its_offset() -> None:
    data = b"\xff\xfe" + "<p>".encode("utf-16-le") + b"\x00\xd8" + "x</p>".encode("utf-16-le")
    with pytest.raises(UnreadableSourceError, match=r"not valid utf-16-le at byte offset 8"):
        read(data)


def test_utf16_without_bom_is_refused() -> None:
    for codec in ("utf-16-le", "utf-16-be", "utf-32-le"):
        with pytest.raises(UnreadableSourceError, match="UTF-16 or UTF-32 without a byte order"):
            read("<p>text</p>".encode(codec))


def test_invalid_bytes_are_refused_with_their_offset() -> None:
    data = b"<p>fine \xc3\xa9 then \xff bad</p>"
    with pytest.raises(UnreadableSourceError) as info:
        read(data)
    message = str(info.value)
    assert message.startswith("page.html: ")
    offset = data.index(b"\xff")
    assert f"byte offset {offset}" in message
    assert "utf-8" in message and "the default" in message
    bad = page("<p>x</p>", encoding="shift_jis") + b"<p>\x81\x20</p>"
    with pytest.raises(UnreadableSourceError, match=r"not valid cp932 at byte offset \d+"):
        read(bad)
    with pytest.raises(UnreadableSourceError, match="byte offset 6"):  # the BOM is counted
        read(b"\xef\xbb\xbf<p>\xc0</p>")


def test_meta_must_be_in_the_first_1024_bytes() -> None:
    late = b"<!-- " + b"x" * 1100 + b' --><meta charset="latin1"><p>caf\xe9</p>'
    with pytest.raises(UnreadableSourceError, match="utf-8 at byte offset"):
        read(late)
    early = b'<meta charset="latin1"><!-- ' + b"x" * 1100 + b" --><p>caf\xe9</p>"
    assert read(early).text == "café"


def test_meta_in_a_comment_or_unknown_label_is_ignored() -> None:
    data = b'<!-- <meta charset="latin1"> --><p>\xc3\xa9</p>'
    assert read(data).text == "é"
    data = b'<meta charset="klingon"><meta charset="latin1"><p>caf\xe9</p>'
    assert read(data).text == "café"
    data = b'<meta charset="utf-16"><p>\xc3\xa9</p>'  # a meta cannot mean UTF-16
    assert read(data).text == "é"


# ------------------------------------------------------------------------------- title, url


def test_title_is_collapsed() -> None:
    assert read(page("<p>x</p>", title="  A \n  title\t")).title == "A title"
    assert read(page("<p>x</p>", title="Fish &amp; <chips>")).title == "Fish &amp; <chips>"
    assert read(page("<p>x</p>", title="   ")).title is None
    assert read(page("<p>x</p>")).title is None
    assert read(page("<svg><title>icon</title></svg><p>x</p>")).title is None


@pytest.mark.parametrize(
    ("head", "url"),
    [
        ('<link rel="canonical" href="https://example.org/a?b=1">', "https://example.org/a?b=1"),
        ('<link rel="Canonical" href=" http://example.org/ ">', "http://example.org/"),
        ('<link rel="canonical" href="/relative">', None),
        (
            '<link rel="canonical" href="/rel"><meta property="og:url" content="https://o.g/x">',
            "https://o.g/x",
        ),
        ('<meta property="og:url" content="ftp://o.g/x">', None),
        ('<link rel="alternate" href="https://example.org/alt">', None),
        ('<link rel="canonical" href="https://exa mple.org/">', None),
        ("", None),
    ],
)
def test_url(head: str, url: str | None) -> None:
    assert read(page("<p>x</p>", head=head)).url == url


# ------------------------------------------------------------------------------- robustness


def test_nesting_up_to_the_limit_reads_completely() -> None:
    depth = MAX_DEPTH - 2  # html and body count
    for tag in ("div", "span", "b", "blockquote"):
        body = f"<{tag}>" * depth + "deep" + f"</{tag}>" * depth + "<p>after</p>"
        assert text(body) == "deep\n\nafter"
    deep = page("<div>" * 100_000 + "deep" + "</div>" * 100_000 + "<p>after</p>")
    assert read(deep, max_depth=100_002).text == "deep\n\nafter"  # no recursion anywhere


def test_nesting_past_the_limit_is_refused_with_its_place() -> None:
    body = (
        "<p>Caf\u00e9 \u4e2d\u6587</p>" + "<div>" * (MAX_DEPTH - 2) + "\r\n  <DIV class='a<b>c'>x"
    )
    data = page(body)
    head, _, _ = data.decode("utf-8").partition("<p>Caf")
    line = head.count("\n") + 2
    with pytest.raises(
        UnreadableSourceError,
        match=rf"^page\.html: line {line}, column 3: <div> opens more than 512 nested elements",
    ):
        read(data)
    assert read(data, max_depth=MAX_DEPTH + 1).text == "Caf\u00e9 \u4e2d\u6587\n\nx"
    # the column counts characters, not bytes; a tag ending in the next line is named by its
    # start, whose '<' and '>' inside attribute values do not mislead it
    body = "<p>\u00e9\u00e9<b>" + "<i>" * 3 + '<u title="<b> > <i>"\n>z'
    with pytest.raises(UnreadableSourceError, match=r"line 4, column 18: <u> opens more than 7"):
        read(page(body), max_depth=7)


def test_the_limit_counts_what_libxml2_keeps_open() -> None:
    n = 25_000
    # libxml2 closes these itself, so any number of them is shallow
    assert text("<p>x<li>y" * n) == "\n\n".join(["x\n\ny"] * n)
    soup = "<table><tr><td>a<div><span><font>b </table>" * (n // 10)
    assert text(soup, max_depth=8).split() == ["a", "b"] * (n // 10)
    assert text("<p>x" * n, max_depth=3) == "\n\n".join(["x"] * n)  # html, body, p
    # these stay open to the end of the page
    nested = "<table><tr><td>a<div><span><font>b " * (n // 10)  # each table in the last cell
    for body in ("<div>x " * n, "<b>x " * n, nested):
        with pytest.raises(UnreadableSourceError, match=r"line 4, column \d+: <\w+> opens"):
            text(body)
    assert text("<div>x " * n, max_depth=n + 2) == "\n\n".join(["x"] * n)
    assert text("<b>x " * n, max_depth=n + 2) == " ".join(["x"] * n)
    assert text(nested, max_depth=n).split() == ["a", "b"] * (n // 10)
    assert text("<b>x " * (MAX_DEPTH - 2)) == " ".join(["x"] * (MAX_DEPTH - 2))
    with pytest.raises(UnreadableSourceError, match="more than 512"):
        text("<b>x " * (MAX_DEPTH - 1))


def test_the_limit_holds_with_main() -> None:
    body = "<main><p>in</p>" + "<span>" * (MAX_DEPTH - 3) + "deep</main>"
    assert text(body, main=True) == "in\n\ndeep"
    with pytest.raises(UnreadableSourceError, match="more than 512"):
        text(body.replace("<span>", "<span><b>", 1), main=True)


#: Pieces of markup, each complete, with multi-byte characters, character references,
#: comments and attribute values holding ``<`` and ``>``.
_FRAGMENTS = [
    "<p>",
    "</p>",
    "<div class='a>b'>",
    "</div>",
    "<b>",
    "</b>",
    '<span title="x<y">',
    "</span>",
    "</i>",
    "<!-- c <div> -->",
    "<!-->",
    "&amp;",
    "&#x4e2d;",
    "&notit;",
    "&#128512;",
    "&nbsp;",
    "\u00e9",
    "\u4e2d\u6587",
    "\U0001f600",
    "\n",
    "\r\n",
    " ",
    "text",
    "< b",
    ">",
    "<br>",
    "<table><tr><td>",
    "</td>",
    "</tr></table>",
    "<pre>\n",
    "</pre>",
    "<script>if (a<b) {}</script>",
    "<h2>",
    "</h2>",
    "<img alt='<'>",
    "<li>",
    "<textarea>\n<b></textarea>",
    "<![CDATA[x]]>",
    "<?pi?>",
    "<x-y z=1>",
    "</x-y>",
    "<svg><text>s</text></svg>",
    "<title>T</title>",
    '<link rel="canonical" href="https://x.org/a">',
    "<main>",
    "</main>",
    "<u\n title='q'>",
]


def _outcome(builder: html_reader._Builder) -> object:
    blocks = [(block.text, block.section) for block in builder.blocks]
    return (blocks, builder.page_title(), builder.canonical, builder.og_url, builder.seen)


@settings(max_examples=150, deadline=None)
@given(
    fragments=st.lists(st.sampled_from(_FRAGMENTS), max_size=60),
    cuts=st.lists(st.integers(0, 10_000), max_size=12),
)
def test_property_reading_in_pieces_is_reading_at_once(
    fragments: list[str], cuts: list[int]
) -> None:
    # where the nesting limit is passed is found by reading the page again in pieces: pieces
    # cut anywhere (inside tags, comments, references, characters) read as the whole does
    data = page("".join(fragments), title="Pieces")
    whole = html_reader._Builder(None)
    parser = html_reader._parser(whole)
    parser.feed(data)
    parser.close()
    pieces = html_reader._Builder(None)
    parser = html_reader._parser(pieces)
    at = 0
    for cut in [*sorted({c % (len(data) + 1) for c in cuts}), len(data)]:
        parser.feed(data[at:cut])
        at = cut
    parser.close()
    assert _outcome(pieces) == _outcome(whole)


def _place_of(data: bytes, at: int) -> str:
    line_start = data.rfind(b"\n", 0, at) + 1
    column = len(data[line_start:at].decode("utf-8")) + 1
    line = data.count(b"\n", 0, at) + 1
    return f"line {line}, column {column}"


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    fragments=st.lists(st.sampled_from(_FRAGMENTS), max_size=30),
    marker=st.sampled_from(
        ["<q-deep>", "<Q-DEEP\n>", "<q-deep title='<b> > <i>'\n data-x=\"\u00e9\">", "<q-deep/>"]
    ),
    piece=st.integers(1, 80),
)
def test_property_the_place_of_the_limit_is_the_tag_that_passed_it(
    monkeypatch: pytest.MonkeyPatch, fragments: list[str], marker: str, piece: int
) -> None:
    # a page whose deepest element is the marker, read with a limit one less than its depth,
    # names the marker's line and column, however the pieces of the second reading fall
    monkeypatch.setattr(html_reader, "_PIECE", piece)
    body = "".join(fragments) + "\u00e9<div>" * (3 * len(fragments) + 3) + marker + "x"
    data = page(body)
    depth = MAX_DEPTH
    while True:  # the smallest limit that reads the page: the depth of the marker
        try:
            read(data, max_depth=depth - 1)
        except UnreadableSourceError:
            break
        depth -= 1
    with pytest.raises(UnreadableSourceError) as caught:
        read(data, max_depth=depth - 1)
    expected = f"page.html: {_place_of(data, data.rindex(marker.encode()))}: <q-deep> opens"
    assert str(caught.value).startswith(expected)


@pytest.mark.parametrize("shift", range(-14, 15))
def test_the_place_across_a_piece_boundary(shift: int) -> None:
    head = page("").partition(b"<body>")[0] + b"<body>\n"
    filler = ("\u00e9" * 50 + "\n").encode("utf-8")  # 101 bytes a line
    opens = b"<b>" * (MAX_DEPTH - 2)  # html and body count
    marker = b"<DIV\n class='<b>'>"
    room = html_reader._PIECE + shift - len(head) - len(opens)
    data = head + filler * (room // len(filler)) + b"x" * (room % len(filler)) + opens + marker
    at = data.index(marker)
    assert at == html_reader._PIECE + shift
    data += b"<b>tail</b></body></html>"
    with pytest.raises(UnreadableSourceError, match=rf"^page\.html: {_place_of(data, at)}: <div>"):
        read(data)


def test_deterministic() -> None:
    data = make_html([("2.1 Costs", ["a", "b"]), ("Notes", ["c <d> & e"])], url="https://x.y/")
    first = HtmlReader().read(data, where="p.html")
    assert HtmlReader().read(data, where="p.html") == first
    assert HtmlReader(main=True).read(data, where="p.html") == HtmlReader(main=True).read(
        data, where="p.html"
    )


# ------------------------------------------------------------------------------- property

_WORD_CHARS = st.characters(categories=("L", "N", "P", "S"), exclude_characters="\ue000")
_WORDS = st.text(_WORD_CHARS, min_size=1, max_size=8) | st.sampled_from(
    ["&", "<", ">", "&amp;", "<p>", '"', "é", "中文", "€", "2.1"]
)
_SPACE = st.sampled_from([" ", "\n", "\t", "  ", " \n\t ", "\r\n"])
_INLINE = st.sampled_from(["", "b", "i", "em", "strong", "span", "code", "a", "small"])
_SECRET = "\ue000secret\ue000"  # a private-use character no visible word has
_HIDDEN_INLINE = [
    f"<span hidden>{_SECRET}</span>",
    f'<span style="display: none">{_SECRET}</span>',
    f'<b aria-hidden="true">{_SECRET}</b>',
    f"<script>var s = '{_SECRET}';</script>",
    f"<style>/* {_SECRET} */</style>",
    f"<button>{_SECRET}</button>",
]
_HIDDEN_BLOCK = [
    f"<div hidden><p>{_SECRET}</p><h2>{_SECRET}</h2></div>",
    f'<section style="visibility:hidden"><p>{_SECRET}</p></section>',
    f"<template><p>{_SECRET}</p></template>",
    f"<noscript><p>{_SECRET}</p></noscript>",
]


@st.composite
def paragraph_html(draw: st.DrawFn, words: Sequence[str]) -> str:
    """``words`` as inline HTML: each word escaped, maybe wrapped in an inline element, with
    white space between words put before, inside or after the tags, and hidden elements."""
    out: list[str] = [draw(st.sampled_from(["", " ", "\n  "]))]
    for i, word in enumerate(words):
        tag = draw(_INLINE)
        space = draw(_SPACE) if i < len(words) - 1 else ""
        where = draw(st.sampled_from(["after", "inside"])) if tag else "after"
        attrs = ' href="#x"' if tag == "a" else ""
        inner = escape(word) + (space if where == "inside" else "")
        out.append(f"<{tag}{attrs}>{inner}</{tag}>" if tag else inner)
        if where == "after":
            out.append(space)
        if space and draw(st.integers(0, 5)) == 0:
            out.append(draw(st.sampled_from(_HIDDEN_INLINE)) + draw(_SPACE))
    out.append(draw(st.sampled_from(["", " ", "\n"])))
    return "".join(out)


@st.composite
def pages(draw: st.DrawFn) -> tuple[str, list[tuple[str | None, list[str]]]]:
    """A page body of headed sections (random words, random inline markup, hidden elements)
    and its sections as plain text: (heading words or None, paragraphs' words)."""
    n_sections = draw(st.integers(1, 4))
    body: list[str] = []
    plain: list[tuple[str | None, list[str]]] = []
    for _ in range(n_sections):
        heading: str | None = None
        if draw(st.booleans()) or plain:
            heading_words = draw(st.lists(_WORDS, min_size=1, max_size=4))
            level = draw(st.integers(1, 6))
            body.append(f"<h{level}>{draw(paragraph_html(heading_words))}</h{level}>")
            heading = " ".join(heading_words)
        paragraphs: list[str] = []
        for _ in range(draw(st.integers(0 if heading else 1, 3))):
            words = draw(st.lists(_WORDS, min_size=1, max_size=10))
            block = draw(st.sampled_from(["p", "div", "blockquote", "li", "p-unclosed"]))
            inner = draw(paragraph_html(words))
            if block == "li":
                body.append(f"<ul><li>{inner}</li></ul>")
            elif block == "p-unclosed":
                body.append(f"<p>{inner}")
            else:
                body.append(f"<{block}>{inner}</{block}>")
            paragraphs.append(" ".join(words))
            if draw(st.integers(0, 4)) == 0:
                body.append(draw(st.sampled_from(_HIDDEN_BLOCK)))
        plain.append((heading, paragraphs))
    return "\n".join(body), plain


@settings(max_examples=40, deadline=None)
@given(generated=pages())
def test_property_random_pages(generated: tuple[str, list[tuple[str | None, list[str]]]]) -> None:
    body, sections = generated
    got = read(page(body, title="Random"))
    canonical = got.text

    # (c) no text of a hidden element appears
    assert "\ue000" not in canonical

    # the whole text and map are exactly the blocks, in order
    blocks: list[Block] = []
    for heading, paragraphs in sections:
        if heading is not None:
            blocks.append(Block(heading, heading_label(heading)))
        blocks.extend(Block(p) for p in paragraphs)
    expected, marks = join_blocks(blocks)
    assert canonical == expected
    assert list(got.sections) == marks

    # (a) every paragraph's words appear in order; (b) within the section of its heading
    starts = [m.start for m in got.sections] + [len(canonical)]
    pos = 0
    section = -1
    for heading, paragraphs in sections:
        if heading is not None:
            section += 1
            pos = canonical.index(heading, pos)
            assert pos == starts[section]
            pos += len(heading)
        for paragraph in paragraphs:
            for word in paragraph.split(" "):
                pos = canonical.index(word, pos)
                if section >= 0:
                    assert starts[section] <= pos < starts[section + 1]
                pos += len(word)
