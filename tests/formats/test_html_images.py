"""Images, cross-reference links and the table of contents in the HTML page.

A fresh page verifies; lxml reads each figure (its ``<img>`` a data URI of the exact bytes,
its alt text and size, its caption), the ``<nav>`` of links to the headings' ids and each
cross-reference link; pandoc reads the images and links; every way of swapping, removing,
adding or editing an image, a contents entry or a link is reported naming what it changes; a
hostile alt text is inert and verifies.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html
from PIL import Image as Pil

import briefkit as bk
from briefkit.formats.html.reader import read_html
from briefkit.problems import Problem

CNN = "000_28b258b49d188a62.txt"
MATTIS = "002_a5ab00941732d00c.txt"
TROOPS = "U.S. troops in Japan"
ALT = "Two bars: 50,000 troops according to CNN and 47,000 according to AFP"
RLO = "\u202e"
HOSTILE_ALT = (
    f"He said \"hi\" <script>alert(1)</script> {RLO}evil\nnext & 'q' ](x) [^1] -- www.evil.com"
)

PANDOC = shutil.which("pandoc")
needs_pandoc = pytest.mark.skipif(PANDOC is None, reason="pandoc is not installed")


def png(color: tuple[int, int, int] = (40, 80, 160), size: tuple[int, int] = (32, 16)) -> bytes:
    buf = io.BytesIO()
    Pil.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


def jpeg() -> bytes:
    buf = io.BytesIO()
    Pil.new("RGB", (12, 6), (10, 90, 200)).save(buf, "JPEG")
    return buf.getvalue()


def image_brief(corpus: bk.Corpus, *, alt: str = ALT, contents: bool = True) -> bk.Brief:
    """Key points; "Forces" (a sentence naming figure 1, table 1 and "Detail", figure 1, table
    1, the subsection "Detail" with figure 2, a JPEG with an analysis caption); "More" (a
    sentence naming figure 2). Sentences: s1 the key point, s2 the references, s3 figure 1's
    caption, s4–s5 the table's cells, s6 Detail's analysis, s7 figure 2's caption, s8 More's
    sentence."""
    cnn, mattis = corpus[CNN], corpus[MATTIS]
    within = "US has 50,000 troops stationed in Japan"
    t_cnn = cnn.figure("50,000", unit="troops", within=within, measure=TROOPS)
    t_mat = mattis.figure(
        "47,000",
        unit="troops",
        within="Some 47,000 US troops are stationed in Japan",
        measure=TROOPS,
    )
    chart = bk.image(
        png(),
        alt=alt,
        caption=bk.sentence("U.S. troops in Japan: ", t_cnn, " (CNN) and ", t_mat, " (AFP)."),
        id="chart",
    )
    photo = bk.image(jpeg(), alt="A blue box", caption=bk.analysis("A plain box."), id="photo")
    tab = bk.table(
        "Troops by source",
        ["Source", "Troops"],
        ["CNN", bk.sentence(t_cnn)],
        ["AFP", bk.sentence(t_mat)],
        id="troops",
        align=["left", "right"],
    )
    paraphrase = cnn.paraphrase(within)
    see = bk.sentence(
        "The counts differ; see ",
        bk.ref("chart"),
        ", ",
        bk.ref("troops"),
        " and ",
        bk.ref("detail"),
        ".",
        cite=paraphrase,
    )
    return bk.Brief(
        title="Images",
        contents=contents,
        key_points=[bk.analysis("Two counts.")],
        sections=[
            bk.section(
                "Forces",
                bk.paragraph(see),
                chart,
                tab,
                bk.section("Detail", bk.paragraph(bk.analysis("Later.")), photo, id="detail"),
            ),
            bk.section(
                "More", bk.paragraph(bk.sentence("See ", bk.ref("photo"), ".", cite=paraphrase))
            ),
        ],
    )


@pytest.fixture(scope="module")
def fresh(corpus: bk.Corpus, tmp_path_factory: pytest.TempPathFactory) -> str:
    page = bk.export(image_brief(corpus), tmp_path_factory.mktemp("html") / "brief.html")
    return page.read_text(encoding="utf-8")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "brief.html"
    path.write_text(text, encoding="utf-8")
    return path


def _problems(tmp_path: Path, text: str, seeds: Path) -> tuple[Problem, ...]:
    report = bk.verify(_write(tmp_path, text), sources=seeds)
    assert not report.ok
    assert all(c.ok for c in report.citations)  # the sources are fine: the page is not
    return report.problems


def _edit(page: str, old: str, new: str) -> str:
    assert old in page, old
    return page.replace(old, new, 1)


def _src(page: str, number: int) -> str:
    m = re.search(rf'<figure class="image" id="figure-{number}">\n<img src="([^"]*)"', page)
    assert m is not None
    return m.group(1)


def _tree(page: str) -> Any:
    return lxml_html.document_fromstring(page.encode("utf-8"))


def _codes(problems: tuple[Problem, ...]) -> list[str]:
    return [p.code for p in problems]


def _named(problems: tuple[Problem, ...], code: str, name: str) -> list[Problem]:
    return [p for p in problems if p.code == code and name in p.message]


# -- fresh pages -------------------------------------------------------------------------------


def test_a_fresh_page_verifies(fresh: str, tmp_path: Path, seeds: Path) -> None:
    report = bk.verify(_write(tmp_path, fresh), sources=seeds)
    assert report.problems == (), [str(p) for p in report.problems]


def test_the_page_is_the_same_bytes_each_time(corpus: bk.Corpus, fresh: str) -> None:
    assert bk.render(image_brief(corpus), "html").decode("utf-8") == fresh


def test_lxml_reads_each_figure_with_its_exact_bytes(fresh: str) -> None:
    tree = _tree(fresh)
    figures = tree.xpath('//figure[@class="image"]')
    assert [f.get("id") for f in figures] == ["figure-1", "figure-2"]
    for figure, data, alt, kind in zip(
        figures, (png(), jpeg()), (ALT, "A blue box"), ("png", "jpeg"), strict=True
    ):
        (img,) = figure.xpath("img")
        prefix = f"data:image/{kind};base64,"
        assert img.get("src").startswith(prefix)
        assert base64.b64decode(img.get("src")[len(prefix) :]) == data  # as they are
        assert img.get("alt") == alt
        width, height = Pil.open(io.BytesIO(data)).size
        assert (img.get("width"), img.get("height")) == (str(width), str(height))
    first = figures[0].xpath("figcaption")[0]
    assert first.xpath("string(span[@class='figure-label'])") == "Figure 1."
    assert first.xpath("span[@class='sentence']/@id") == ["s-s3"]
    assert " ".join(first.text_content().split()) == (
        "Figure 1. U.S. troops in Japan: 50,000 troops (CNN) and 47,000 troops (AFP).2"
    )
    second = figures[1].xpath("figcaption")[0]
    assert second.xpath("string(strong[@class='label'])") == "Analysis:"
    assert " ".join(second.text_content().split()) == "Figure 2. Analysis: A plain box."


def test_lxml_reads_the_contents_as_nested_links_to_the_headings(fresh: str) -> None:
    tree = _tree(fresh)
    (nav,) = tree.xpath("//nav")
    assert nav.get("aria-labelledby") == "contents"
    assert nav.xpath("string(h2[@id='contents'])") == "Contents"
    outer = nav.xpath("ul/li/a")
    assert [(a.text_content(), a.get("href")) for a in outer] == [
        ("Key points", "#key-points"),
        ("Forces", "#sec-1"),
        ("More", "#sec-2"),
        ("Bibliography", "#bibliography"),
    ]
    inner = nav.xpath("ul/li/ul/li/a")
    assert [(a.text_content(), a.get("href")) for a in inner] == [("Detail", "#sec-1-1")]
    for a in [*outer, *inner]:  # each leads to a heading of that text
        (target,) = tree.xpath(f'//*[@id="{a.get("href")[1:]}"]')
        assert target.tag in ("h2", "h3") and target.text_content() == a.text_content()


def test_lxml_reads_each_reference_as_a_link_in_its_sentence(fresh: str) -> None:
    tree = _tree(fresh)
    refs = tree.xpath('//a[@class="ref"]')
    assert [(a.getparent().get("id"), a.text_content(), a.get("href")) for a in refs] == [
        ("s-s2", "Figure 1", "#figure-1"),
        ("s-s2", "Table 1", "#table-1"),
        ("s-s2", "“Detail”", "#sec-1-1"),
        ("s-s8", "Figure 2", "#figure-2"),
    ]
    for a in refs:
        assert len(tree.xpath(f'//*[@id="{a.get("href")[1:]}"]')) == 1
    assert tree.xpath('string(//span[@id="s-s2"])').startswith(
        "The counts differ; see Figure 1, Table 1 and “Detail”."
    )


def test_the_reader_reports_figures_contents_and_links(fresh: str, tmp_path: Path) -> None:
    page = read_html(_write(tmp_path, fresh))
    assert [(f.id, f.labels, f.sentences, f.captions) for f in page.figures] == [
        ("figure-1", ("Figure 1.",), ("s3",), 1),
        ("figure-2", ("Figure 2.",), ("s7",), 1),
    ]
    assert [(e.depth, e.href, e.text) for e in page.navs[0].entries] == [
        (1, "#key-points", "Key points"),
        (1, "#sec-1", "Forces"),
        (2, "#sec-1-1", "Detail"),
        (1, "#sec-2", "More"),
        (1, "#bibliography", "Bibliography"),
    ]
    assert [(r.sentence, r.href) for r in page.refs][:2] == [
        ("s2", "#figure-1"),
        ("s2", "#table-1"),
    ]
    assert page.foreign == ()


def test_no_contents_no_nav(corpus: bk.Corpus, tmp_path: Path, seeds: Path) -> None:
    page = bk.export(image_brief(corpus, contents=False), tmp_path / "plain.html")
    assert "<nav" not in page.read_text(encoding="utf-8")
    assert bk.verify(page, sources=seeds).ok


@needs_pandoc
def test_pandoc_reads_the_images_and_the_links(fresh: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [str(PANDOC), "-f", "html", "-t", "json", str(_write(tmp_path, fresh))],
        capture_output=True,
        text=True,
        check=True,
    )
    images: list[Any] = []
    links: list[str] = []
    headers: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Image":
                images.append(node["c"])
            elif node.get("t") == "Link":
                links.append(node["c"][2][0])
            elif node.get("t") == "Header":
                headers.append(node["c"][1][0])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(done.stdout)["blocks"])
    sources = [img[2][0] for img in images]
    assert [base64.b64decode(s.split(",", 1)[1]) for s in sources] == [png(), jpeg()]
    assert {"#figure-1", "#table-1", "#sec-1-1", "#figure-2", "#key-points", "#sec-2"} <= set(links)
    assert {"sec-1", "sec-1-1", "sec-2", "key-points"} <= set(headers)


# -- images tampered with ----------------------------------------------------------------------


def test_an_image_swapped_for_another_is_caught(fresh: str, tmp_path: Path, seeds: Path) -> None:
    other = "data:image/png;base64," + base64.b64encode(png((200, 0, 0))).decode()
    problems = _problems(tmp_path, _edit(fresh, _src(fresh, 1), other), seeds)
    (found,) = _named(problems, "image-differs", "figure 1")
    assert hashlib.sha256(png((200, 0, 0))).hexdigest()[:12] in found.message
    assert found.sentence == "s3"


def test_two_images_swapped_are_both_caught(fresh: str, tmp_path: Path, seeds: Path) -> None:
    one, two = _src(fresh, 1), _src(fresh, 2)
    page = fresh.replace(one, "\0").replace(two, one).replace("\0", two)
    problems = _problems(tmp_path, page, seeds)
    assert _named(problems, "image-differs", "figure 1")
    assert _named(problems, "image-differs", "figure 2")


def test_a_removed_image_is_caught(fresh: str, tmp_path: Path, seeds: Path) -> None:
    m = re.search(r'<img src="[^"]*" alt="[^"]*" width="32" height="16">\n', fresh)
    assert m is not None
    problems = _problems(tmp_path, _edit(fresh, m.group(), ""), seeds)
    assert _named(problems, "image-missing", "figure 1")


def test_a_removed_figure_is_caught(fresh: str, tmp_path: Path, seeds: Path) -> None:
    m = re.search(r'<figure class="image" id="figure-2">.*?</figure>\n', fresh, re.DOTALL)
    assert m is not None
    problems = _problems(tmp_path, _edit(fresh, m.group(), ""), seeds)
    assert _named(problems, "image-missing", "figure 2")
    assert "sentence-missing" in _codes(problems)


def test_an_added_image_is_caught(fresh: str, tmp_path: Path, seeds: Path) -> None:
    extra = base64.b64encode(png((0, 200, 0))).decode()
    img = f'<img src="data:image/png;base64,{extra}" alt="x" width="32" height="16">'
    # a second image in a figure, a figure of its own, an image in a paragraph
    inside = _edit(
        fresh,
        '<figure class="image" id="figure-1">\n',
        f'<figure class="image" id="figure-1">\n{img}\n',
    )
    assert _named(_problems(tmp_path, inside, seeds), "image-extra", "figure 1")
    figure = f'<figure class="image" id="figure-3">\n{img}\n</figure>\n'
    own = _edit(fresh, "<table id=", figure + "<table id=")
    assert _named(_problems(tmp_path, own, seeds), "image-extra", "figure 3")
    loose = _edit(fresh, "<p>", f"<p>{img}")
    assert "foreign-markup" in _codes(_problems(tmp_path, loose, seeds))


def test_an_edited_alt_text_is_caught(fresh: str, tmp_path: Path, seeds: Path) -> None:
    problems = _problems(tmp_path, _edit(fresh, f'alt="{ALT}"', 'alt="A photo of a cat"'), seeds)
    (found,) = _named(problems, "image-alt", "figure 1")
    assert "cat" in found.message
    gone = _problems(tmp_path, _edit(fresh, f' alt="{ALT}"', ""), seeds)
    assert _named(gone, "image-alt", "figure 1")


def test_an_edited_caption_or_label_is_caught(fresh: str, tmp_path: Path, seeds: Path) -> None:
    caption = _problems(tmp_path, _edit(fresh, "(CNN) and", "(CNN) or"), seeds)
    assert [p for p in caption if p.code == "sentence-differs" and "figure 1, caption" in p.message]
    label = _problems(
        tmp_path, _edit(fresh, '"figure-label">Figure 1.<', '"figure-label">Figure 7.<'), seeds
    )
    assert _named(label, "image-label", "figure 1")
    moved = _edit(fresh, "<figcaption><span", "<figcaption>Extra <span")
    assert "unlinked-text" in _codes(_problems(tmp_path, moved, seeds))


@pytest.mark.parametrize(
    "source",
    [
        "https://evil.example/tracker.png",
        "figure-1.png",
        "data:image/svg+xml;base64,PHN2Zy8+",
        "data:image/png;base64,not base64!",
        "javascript:alert(1)",
    ],
)
def test_an_image_that_is_not_its_embedded_bytes_is_caught(
    fresh: str, tmp_path: Path, seeds: Path, source: str
) -> None:
    problems = _problems(tmp_path, _edit(fresh, _src(fresh, 1), source), seeds)
    assert _named(problems, "image-source", "figure 1")


def test_an_image_of_another_type_or_size_is_caught(
    fresh: str, tmp_path: Path, seeds: Path
) -> None:
    jpeg_src = _src(fresh, 2)
    as_png = jpeg_src.replace("image/jpeg", "image/png")
    assert _named(
        _problems(tmp_path, _edit(fresh, jpeg_src, as_png), seeds), "image-differs", "figure 2"
    )
    hidden = _edit(fresh, 'width="32" height="16"', 'width="0" height="0"')
    assert _named(_problems(tmp_path, hidden, seeds), "image-size", "figure 1")
    extra = _edit(fresh, 'width="32" height="16"', 'width="32" height="16" onerror="alert(1)"')
    assert "foreign-markup" in _codes(_problems(tmp_path, extra, seeds))


# -- the contents tampered with ----------------------------------------------------------------


def test_an_edited_contents_entry_is_caught(fresh: str, tmp_path: Path, seeds: Path) -> None:
    text = _problems(tmp_path, _edit(fresh, '"#sec-2">More<', '"#sec-2">Less<'), seeds)
    assert _named(text, "contents-entry", "contents entry 4")
    href = _problems(tmp_path, _edit(fresh, '<a href="#sec-2">', '<a href="#sec-1">'), seeds)
    assert _named(href, "contents-link", "contents entry 4")
    removed = _problems(tmp_path, _edit(fresh, '\n<li><a href="#sec-2">More</a></li>', ""), seeds)
    assert "contents-entry" in _codes(removed)
    added = _edit(fresh, "</ul>\n</nav>", '\n<li><a href="#sec-9">Secret</a></li></ul>\n</nav>')
    assert "contents-entry" in _codes(_problems(tmp_path, added, seeds))
    outside = _edit(fresh, '<li><a href="#sec-2">', '<li>Hidden <a href="#sec-2">')
    assert "unlinked-text" in _codes(_problems(tmp_path, outside, seeds))


def test_a_flattened_or_relabelled_contents_is_caught(
    fresh: str, tmp_path: Path, seeds: Path
) -> None:
    flat = _edit(
        fresh,
        '<a href="#sec-1">Forces</a>\n<ul>\n<li><a href="#sec-1-1">Detail</a></li>\n</ul>\n</li>',
        '<a href="#sec-1">Forces</a></li>\n<li><a href="#sec-1-1">Detail</a></li>',
    )
    assert _named(_problems(tmp_path, flat, seeds), "contents-level", "contents entry 3")
    label = _edit(fresh, '<h2 id="contents">Contents</h2>', '<h2 id="contents">Index</h2>')
    assert "contents-label" in _codes(_problems(tmp_path, label, seeds))
    m = re.search(r"<nav.*?</nav>\n", fresh, re.DOTALL)
    assert m is not None
    gone = _problems(tmp_path, _edit(fresh, m.group(), ""), seeds)
    assert "contents-missing" in _codes(gone)


def test_a_moved_heading_id_is_caught(fresh: str, tmp_path: Path, seeds: Path) -> None:
    page = _edit(fresh, '<h2 id="sec-2">More</h2>', '<h2 id="sec-7">More</h2>')
    problems = _problems(tmp_path, page, seeds)
    assert [p for p in problems if p.code == "heading-anchor" and "'sec-2'" in p.message]


def test_a_contents_in_a_brief_without_one_is_caught(
    corpus: bk.Corpus, fresh: str, tmp_path: Path, seeds: Path
) -> None:
    plain = bk.render(image_brief(corpus, contents=False), "html").decode("utf-8")
    m = re.search(r"<nav.*?</nav>\n", fresh, re.DOTALL)
    assert m is not None
    problems = _problems(tmp_path, _edit(plain, "<h2 id=", m.group() + "<h2 id="), seeds)
    assert "contents-extra" in _codes(problems)


# -- cross-references tampered with ------------------------------------------------------------


def test_a_reference_that_leads_elsewhere_is_caught(
    fresh: str, tmp_path: Path, seeds: Path
) -> None:
    page = _edit(fresh, 'class="ref" href="#table-1"', 'class="ref" href="#figure-2"')
    (found,) = [p for p in _problems(tmp_path, page, seeds) if p.code == "ref-link"]
    assert found.sentence == "s2" and "#figure-2" in found.message and "#table-1" in found.message


def test_a_reference_unlinked_or_a_link_added_is_caught(
    fresh: str, tmp_path: Path, seeds: Path
) -> None:
    unlinked = _edit(fresh, '<a class="ref" href="#table-1">Table 1</a>', "Table 1")
    assert [p for p in _problems(tmp_path, unlinked, seeds) if p.code == "ref-link"]
    added = _edit(
        fresh, "The counts differ;", '<a class="ref" href="#sec-2">The counts</a> differ;'
    )
    assert [p for p in _problems(tmp_path, added, seeds) if p.code == "ref-link"]
    wider = _edit(
        fresh,
        '<a class="ref" href="#table-1">Table 1</a> and',
        '<a class="ref" href="#table-1">Table 1 and</a>',
    )
    assert [p for p in _problems(tmp_path, wider, seeds) if p.code == "ref-link"]


@pytest.mark.parametrize(
    "href", ["https://evil.example/", "#fn-1", "javascript:alert(1)", "#sec-1 x"]
)
def test_a_link_that_is_not_a_reference_is_foreign(
    fresh: str, tmp_path: Path, seeds: Path, href: str
) -> None:
    page = _edit(fresh, 'class="ref" href="#table-1"', f'class="ref" href="{href}"')
    assert "foreign-markup" in _codes(_problems(tmp_path, page, seeds))
    plain = _edit(fresh, 'class="ref" href="#table-1"', 'href="#table-1"')
    assert "foreign-markup" in _codes(_problems(tmp_path, plain, seeds))


def test_an_edited_reference_text_is_caught(fresh: str, tmp_path: Path, seeds: Path) -> None:
    page = _edit(fresh, '"#table-1">Table 1<', '"#table-1">Table 9<')
    problems = _problems(tmp_path, page, seeds)
    assert [p for p in problems if p.code == "sentence-differs" and p.sentence == "s2"]


# -- hostile text ------------------------------------------------------------------------------


def test_a_hostile_alt_text_is_inert_and_verifies(
    corpus: bk.Corpus, tmp_path: Path, seeds: Path
) -> None:
    path = bk.export(image_brief(corpus, alt=HOSTILE_ALT), tmp_path / "hostile.html")
    page = path.read_text(encoding="utf-8")
    assert "<script>" not in page.split("<main>", 1)[1].split("</main>", 1)[0]
    (img,) = _tree(page).xpath('//figure[@id="figure-1"]/img')
    assert img.get("alt") == HOSTILE_ALT.replace("\n", " ")  # one line, every character kept
    assert read_html(path).foreign == ()
    report = bk.verify(path, sources=seeds)
    assert report.ok, [str(p) for p in report.problems]
    edited = page.replace("evil next", "good next", 1)
    assert _named(_problems(tmp_path, edited, seeds), "image-alt", "figure 1")
