from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import attrs
import pytest
from lxml import html as lxml_html

import briefkit as bk
from briefkit.formats.html.reader import read_html
from briefkit.formats.html.writer import text_fragment
from briefkit.plan import HeadingBlock
from briefs import alliance_brief

HOSTILE = (
    "Title <b>bold</b> <a href='javascript:x'>x</a> <img src=x onerror=alert(1)> &amp; "
    "</script><!-- --> *star* \x0b vt\r\nnext line\x00nul 日本 😀 שלום"
)
URL = "https://example.org/news?id=1&lang=en"


def _tree(data: bytes) -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(data)


def _text(el: lxml_html.HtmlElement) -> str:
    """An element's text with <br> as a newline and note marks left out."""
    out = [el.text or ""]
    for child in el:
        if child.tag == "br":
            out.append("\n")
        elif child.tag != "sup":
            out.append(_text(child))
        out.append(child.tail or "")
    return "".join(out)


@pytest.fixture
def page(corpus: bk.Corpus) -> bytes:
    return bk.render(alliance_brief(corpus), "html")


@pytest.fixture
def hostile_brief() -> bk.Brief:
    meta = bk.SourceMeta(title="<i>Src</i> & co", url=URL)
    src = bk.Source.from_text("hostile.txt", HOSTILE, meta=meta)
    return bk.Brief(
        title="<h1>Brief</h1> & </title>",
        subtitle='sub "x" <y>',
        author="A & B",
        key_points=[bk.sentence("Key ", src.quote(HOSTILE), ".")],
        sections=[
            bk.section("# Heading <i>", bk.paragraph(bk.analysis("Plain <br> analysis &lt;.")))
        ],
    )


def test_page_is_standalone_and_accessible(page: bytes) -> None:
    text = page.decode("utf-8")
    assert text.startswith('<!DOCTYPE html>\n<html lang="en-US">')
    tree = _tree(page)
    assert tree.get("lang") == "en-US"
    assert tree.find(".//meta[@charset]").get("charset") == "utf-8"
    assert "width=device-width" in tree.find(".//meta[@name='viewport']").get("content")
    assert tree.findtext(".//title") == "Alliance"
    assert tree.find(".//style") is not None
    assert not tree.xpath("//link | //img | //iframe | //*[@src]")
    scripts = tree.findall(".//script")
    assert [s.get("type") for s in scripts] == ["application/json"]
    assert "http" not in tree.findtext(".//style")


def test_ids_are_unique_and_headings_carry_the_plan_anchors(page: bytes, corpus: bk.Corpus) -> None:
    tree = _tree(page)
    ids = Counter(el.get("id") for el in tree.xpath("//*[@id]"))
    assert all(n == 1 for n in ids.values()), ids
    plan = bk.NotePlan.build(alliance_brief(corpus))
    anchors = [b.anchor for b in plan.blocks if isinstance(b, HeadingBlock)]
    for anchor in anchors:
        heading = tree.get_element_by_id(anchor)
        assert re.fullmatch(r"h[2-6]", heading.tag)
    assert len(tree.findall(".//h1")) == 1
    for ps in plan.sentences:
        span = tree.get_element_by_id(f"s-{ps.id}")
        assert "sentence" in span.get("class").split()
        assert _text(span) == ps.text


def test_every_note_mark_links_to_its_note_and_back(page: bytes, corpus: bk.Corpus) -> None:
    tree = _tree(page)
    plan = bk.NotePlan.build(alliance_brief(corpus))
    refs = tree.xpath("//a[@role='doc-noteref']")
    assert [a.text for a in refs] == [str(n.number) for n in plan.notes]
    for ref, note in zip(refs, plan.notes, strict=True):
        n = note.number
        assert (ref.get("href"), ref.get("id")) == (f"#fn-{n}", f"fnref-{n}")
        assert ref.getparent().tag == "sup"
        assert tree.get_element_by_id(ref.get("aria-describedby")).tag == "h2"
        sentence = next(a for a in ref.iterancestors() if a.get("id", "").startswith("s-"))
        assert sentence.get("id") == f"s-{note.sentence_id}"
        item = tree.get_element_by_id(f"fn-{n}")
        assert item.tag == "li"
        back = item.xpath(".//a[@role='doc-backlink']")
        assert len(back) == 1 and back[0].get("href") == f"#fnref-{n}"
        assert back[0].get("aria-label") == f"Back to note {n} reference"
        assert item.find_class("note-text")[0].text_content() == note.text
        exacts = [bq.text_content() for bq in item.find_class("exact")]
        assert exacts == [c.position.exact for c in note.citations]
        captions = [f.text_content() for f in item.xpath(".//figcaption")]
        assert captions == ["Cited text"] * len(note.citations)  # no machine data shown
    notes = tree.xpath("//section[@role='doc-endnotes']")
    assert len(notes) == 1 and notes[0].get("aria-labelledby") == "notes"


def test_analysis_label_block_quote_and_sources(corpus: bk.Corpus) -> None:
    brief = attrs.evolve(alliance_brief(corpus), sources_appendix=True)
    tree = _tree(bk.render(brief, "html"))
    analysis = tree.find_class("analysis")[0]
    label = analysis.getprevious()
    assert label.text == "Analysis:" and label.tag == "strong"
    assert _text(analysis) == "Reassurance was the theme."
    figure = tree.find_class("block-quote")[0]
    assert figure.find(".//blockquote//span[@class='sentence']") is not None
    sources = tree.find_class("sources")[0]
    items = sources.findall("li")
    assert [li.get("id") for li in items] == ["src-1", "src-2"]
    assert items[0].findtext("cite") == "Carter looks to shore-up US-Japan military alliance"
    assert "CNN, December 5, 2016" in items[0].text_content()
    assert "sha256 5741069cc5e8, cited 3 times." in items[0].text_content()
    assert tree.get_element_by_id("sources").text_content() == "Sources"


def test_the_bibliography_is_a_plain_list_after_the_body(page: bytes) -> None:
    tree = _tree(page)
    assert tree.get_element_by_id("bibliography").text_content() == "Bibliography"
    (bibliography,) = tree.find_class("bibliography")
    assert bibliography.tag == "ul" and bibliography.getprevious().get("id") == "bibliography"
    assert [li.text_content() for li in bibliography.findall("li")] == [
        "“Carter looks to shore-up US-Japan military alliance.” CNN, December 5, 2016.",
        "“US Backs Japan Alliance ‘100%.’”",
    ]
    assert not bibliography.xpath(".//a | .//li/*")  # text only, no link
    assert read_html(page).entries == tuple(li.text_content() for li in bibliography)
    assert not tree.find_class("sources")  # the provenance annex is off by default


def test_each_note_carries_its_citations(page: bytes, corpus: bk.Corpus) -> None:
    tree = _tree(page)
    plan = bk.NotePlan.build(alliance_brief(corpus))
    for note in plan.notes:
        item = tree.get_element_by_id(f"fn-{note.number}")
        assert item.get("data-cites") == " ".join(
            f"{c.excerpt.source.id}:{c.position.start}-{c.position.end}" for c in note.citations
        )
    assert tree.get_element_by_id("fn-1").get("data-cites") == (
        "000_28b258b49d188a62.txt:493-532 002_a5ab00941732d00c.txt:1535-1579"
    )


def test_hostile_text_is_shown_literally(hostile_brief: bk.Brief) -> None:
    data = bk.render(hostile_brief, "html")
    tree = _tree(data)
    body = tree.find("body")
    assert not body.xpath(".//b | .//img | .//i | .//*[@onerror] | .//h1/*[not(self::br)]")
    assert [s.get("type") for s in tree.findall(".//script")] == ["application/json"]
    assert tree.findtext(".//title") == "<h1>Brief</h1> & </title>"
    assert tree.findtext(".//h1") == "<h1>Brief</h1> & </title>"
    assert tree.find(".//meta[@name='description']").get("content") == 'sub "x" <y>'
    plan = bk.NotePlan.build(hostile_brief)
    key = tree.get_element_by_id(f"s-{plan.sentences[0].id}")
    # an inline quotation is reflowed: each line break reads as a space
    expected = "Key “" + re.sub(r"[ \t]*(?:\r\n|[\r\n\x0b])[ \t]*", " ", HOSTILE) + "”."
    assert _text(key) == expected.replace("\x00", "␀")
    analysis = tree.get_element_by_id(f"s-{plan.sentences[1].id}")
    assert _text(analysis) == "Plain <br> analysis &lt;."
    exact = tree.find_class("exact")[0]
    assert _text(exact) == HOSTILE.replace("\x0b", "\n").replace("\r\n", "\n").replace("\x00", "␀")
    entry = tree.find_class("bibliography")[0].find("li")
    assert entry.text_content() == f"“<i>Src</i> & co.” {URL}."  # the address as text
    assert not entry.xpath(".//a")


def test_manifest_script_cannot_end_early(hostile_brief: bk.Brief) -> None:
    text = bk.render(hostile_brief, "html").decode("utf-8")
    m = re.search(r'<script type="application/json" id="briefkit-provenance">(.*?)</script>', text)
    assert m is not None
    assert not re.search(r"[<>&]", m.group(1))
    assert json.loads(m.group(1)) == json.loads(bk.render(hostile_brief, "json"))
    assert text.count("</script>") == 1


def test_same_plan_same_bytes(corpus: bk.Corpus, tmp_path: Path) -> None:
    plan = bk.NotePlan.build(alliance_brief(corpus))
    first = bk.render(plan, "html")
    assert bk.render(alliance_brief(corpus), "html") == first
    assert bk.export(plan, tmp_path / "b.htm").read_bytes() == first
    assert first.isascii() is False  # UTF-8 text, not character references
    first.decode("utf-8")


@pytest.mark.parametrize(
    ("exact", "directive"),
    [
        ("US-Japan, 50&50", "US%2DJapan%2C%2050%2650"),
        ("  Ünïcode\n text ", "%C3%9Cn%C3%AFcode%20text"),
        ("a_b.c~d", "a_b.c~d"),
        (
            "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
            "fifteen",
            "one%20two%20three%20four,twelve%20thirteen%20fourteen%20fifteen",
        ),
    ],
)
def test_text_fragment_encoding(exact: str, directive: str) -> None:
    assert text_fragment("https://x.org/a", exact) == f"https://x.org/a#:~:text={directive}"
    assert text_fragment("https://x.org/a#top", exact) == f"https://x.org/a#top:~:text={directive}"


def test_text_fragment_of_blank_text_is_the_url() -> None:
    assert text_fragment("https://x.org/a", " \n ") == "https://x.org/a"


def test_notes_link_to_the_passage_at_a_web_source() -> None:
    text = "Troops - some 50,000 & more - stay, officials said."
    src = bk.Source.from_text("web.txt", text, meta=bk.SourceMeta(url=URL))
    local = bk.Source.from_text("local.txt", "No address here.")
    brief = bk.Brief(
        title="T",
        key_points=[
            bk.sentence(src.quote("some 50,000 & more"), "."),
            bk.sentence("Local.", cite=local.paraphrase("No address")),
        ],
        sources_appendix=True,
    )
    tree = _tree(bk.render(brief, "html"))
    links = tree.find_class("source-link")
    assert [a.get("href") for a in links] == [f"{URL}#:~:text=some%2050%2C000%20%26%20more"]
    assert tree.get_element_by_id("fn-1").find_class("exact")[0].get("cite") == URL
    assert not tree.get_element_by_id("fn-2").find_class("source-link")
    appendix = tree.find_class("sources")[0].findall(".//a")
    assert [a.get("href") for a in appendix] == [URL]


def test_unsafe_urls_get_no_link() -> None:
    src = bk.Source.from_text("a.txt", "Claim.", meta=bk.SourceMeta(url="javascript:alert(1)"))
    data = bk.render(bk.Brief(title="T", key_points=[bk.sentence(src.quote("Claim"))]), "html")
    tree = _tree(data)
    assert not tree.xpath("//a[starts-with(@href, 'javascript')]")
    assert not tree.find_class("source-link")


def test_reader_sees_what_the_page_shows(page: bytes, corpus: bk.Corpus) -> None:
    contents = read_html(page)
    plan = bk.NotePlan.build(alliance_brief(corpus))
    assert contents.manifest is not None
    assert contents.notes == {n.number: n.text for n in plan.notes}
    assert [(m.label, m.target, m.sentence) for m in contents.marks] == [
        (str(n.number), f"#fn-{n.number}", n.sentence_id) for n in plan.notes
    ]
    assert contents.sentences == {s.id: s.text for s in plan.sentences}
    assert contents.duplicate_ids == ()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\xff", "not UTF-8 text"),
        (
            b'<script type="application/json" id="briefkit-provenance">{"schema": 1}</script>',
            r"page.html: the embedded provenance manifest: manifest: \$.schema",
        ),
        (
            b'<script type="application/json" id="briefkit-provenance"></script>' * 2,
            "more than one provenance manifest",
        ),
    ],
)
def test_damaged_pages_are_clear_errors(data: bytes, message: str) -> None:
    with pytest.raises(bk.ReadError, match=message):
        read_html(data, where="page.html")


def test_reader_is_bounded_and_survives_odd_markup(tmp_path: Path) -> None:
    path = tmp_path / "big.html"
    path.write_bytes(b"<p>" + b"x" * 100)
    with pytest.raises(bk.ReadError, match="larger than 50"):
        read_html(path, max_bytes=50)
    odd = b"<![if x]><!x><?php ?>&#xffffff;</a></b><<>><div><span id=s-a>t<br/>u</div></span>"
    contents = read_html(odd)
    assert contents.manifest is None and contents.sentences == {"a": "t\nu"}


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_reads_every_note_reference(page: bytes, corpus: bk.Corpus) -> None:
    out = subprocess.run(
        ["pandoc", "-f", "html", "-t", "plain", "--wrap=none"],
        input=page,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    flat = " ".join(out.split())
    for note in bk.NotePlan.build(alliance_brief(corpus)).notes:
        assert " ".join(note.text.split()) in flat
        for c in note.citations:  # each excerpt shows the exact words cited
            assert " ".join(c.position.exact.split()) in flat
    assert "briefkit.provenance" not in out
