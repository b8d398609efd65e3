"""Images, cross-references and the table of contents in DOCX.

An image is an inline picture (``wp:inline``/``pic:pic``) in its own paragraph, kept with the
caption paragraph that follows it (``Figure N. <caption sentence>``, with its bookmark and
footnote); its image part is the image's bytes as they are and its alt text is the
``wp:docPr`` description. A cross-reference is an internal hyperlink to the bookmark of its
target (a heading, a table's caption, a figure's picture). The table of contents is its label
and a ``TOC`` field whose result lists every heading, each a link to the heading's bookmark.
A fresh file verifies; swapping, removing, adding or hiding a picture, editing its alt text or
caption, editing, adding or removing a contents entry and pointing a link elsewhere are each
reported. Word's readers agree: python-docx, pandoc and LibreOffice read the picture, the links
and the contents, and a copy LibreOffice saves still verifies.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.shape import WD_INLINE_SHAPE
from docx.shared import Inches
from lxml import etree
from PIL import Image as Pil

import briefkit as bk
from briefkit.formats.docx import DocxExporter
from briefkit.formats.docx._picture import EMU_PER_PIXEL, fit
from briefkit.formats.docx.reader import read_docx
from briefs import SEEDS
from make_docx import Edit, body, el, has, parts_of, problems_of, tamper, w, write_zip

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


ALT = "Two bars: 50,000 troops according to CNN and 47,000 according to AFP"
CAPTION = "Figure 1. U.S. troops in Japan: 50,000 troops (CNN) and 47,000 troops (AFP)."
#: the text area of an A4 page (twips): the page less the margins
TEXT_WIDTH, TEXT_HEIGHT = 11906 - 2 * 1304, 16838 - 2 * 1440


def chart(width: int = 320, height: int = 160) -> bytes:
    """A PNG of two bars."""
    img = Pil.new("RGB", (width, height), (255, 255, 255))
    for left, top, color in ((40, 30, (40, 80, 160)), (180, 40, (160, 60, 40))):
        img.paste(color, (left * width // 320, top * height // 160, (left + 80) * width // 320,
                          150 * height // 160))  # fmt: skip
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def jpeg(width: int = 60, height: int = 30) -> bytes:
    buf = io.BytesIO()
    Pil.new("RGB", (width, height), (10, 90, 200)).save(buf, "JPEG")
    return buf.getvalue()


CHART = chart()


def images_brief(corpus: bk.Corpus, image: bytes = CHART, *, contents: bool = True) -> bk.Brief:
    """s1 refers to figure 1, table 1 and the section "More"; s2 captions figure 1 (note 2);
    table 1 holds s3 and s4; s5 is analysis in the subsection "Detail", s6 in "More"."""
    cnn = corpus["000_28b258b49d188a62.txt"]
    afp = corpus["002_a5ab00941732d00c.txt"]
    measure = "U.S. troops in Japan"
    t_cnn = cnn.figure(
        "50,000", unit="troops", within="US has 50,000 troops stationed in Japan", measure=measure
    )
    t_afp = afp.figure(
        "47,000",
        unit="troops",
        within="Some 47,000 US troops are stationed in Japan",
        measure=measure,
    )
    figure = bk.image(
        image,
        alt=ALT,
        caption=bk.sentence("U.S. troops in Japan: ", t_cnn, " (CNN) and ", t_afp, " (AFP)."),
        id="chart",
    )
    troops = bk.table(
        "Troops by source",
        ["Source", "Troops"],
        ["CNN", bk.sentence(t_cnn)],
        ["AFP", bk.sentence(t_afp)],
        id="troops",
        align=["left", "right"],
    )
    see = bk.sentence(
        "The counts differ; see ",
        bk.ref("chart"),
        ", ",
        bk.ref("troops"),
        " and ",
        bk.ref("more"),
        ".",
        cite=cnn.paraphrase("US has 50,000 troops stationed in Japan"),
    )
    return bk.Brief(
        title="Images and references",
        date="2026-11-21",
        contents=contents,
        sections=[
            bk.section(
                "Forces",
                bk.paragraph(see),
                figure,
                troops,
                bk.section("Detail", bk.paragraph(bk.analysis("The counts are rounded."))),
            ),
            bk.section(
                "More", bk.paragraph(bk.analysis("The figures come from different dates.")),
                id="more",
            ),
        ],
        sources_appendix=True,
    )  # fmt: skip


@pytest.fixture(scope="module")
def brief(corpus: bk.Corpus) -> bk.Brief:
    return images_brief(corpus)


@pytest.fixture(scope="module")
def fresh(brief: bk.Brief, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bk.export(brief, tmp_path_factory.mktemp("docx-images") / "images.docx")


def document(path: Path) -> etree._Element:
    return etree.fromstring(parts_of(path)["word/document.xml"])


def drawing(root: etree._Element) -> etree._Element:
    found = root.find(f".//{w('drawing')}")
    assert found is not None
    return found


def picture_paragraph(root: etree._Element) -> etree._Element:
    found = drawing(root).getparent()
    assert found is not None
    paragraph = found.getparent()
    assert paragraph is not None and paragraph.tag == w("p")
    return paragraph


def bookmark(root: etree._Element, name: str) -> etree._Element:
    return next(b for b in root.iter(w("bookmarkStart")) if b.get(w("name")) == name)


def text_of(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(w("t")))


def style_of(p: etree._Element) -> str | None:
    found = p.find(f"{w('pPr')}/{w('pStyle')}")
    return found.get(w("val")) if found is not None else None


def detach(node: etree._Element) -> etree._Element:
    parent = node.getparent()
    assert parent is not None
    parent.remove(node)
    return node


def links(root: etree._Element) -> list[tuple[str | None, str]]:
    return [(h.get(w("anchor")), text_of(h)) for h in root.iter(w("hyperlink"))]


# -- what is written -------------------------------------------------------------------------


def test_the_picture_embeds_the_image_as_it_is(fresh: Path) -> None:
    parts = parts_of(fresh)
    assert parts["word/media/figure1.png"] == CHART
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    (image,) = [r for r in rels if r.get("Type") == f"{R}/image"]
    assert image.get("Target") == "media/figure1.png"
    assert image.get("TargetMode") is None
    assert (
        b'<Override PartName="/word/media/figure1.png" ContentType="image/png"/>'
        in parts["[Content_Types].xml"]
    )
    blip = drawing(document(fresh)).find(f".//{{{A}}}blip")
    assert blip is not None and blip.get(f"{{{R}}}embed") == image.get("Id")
    pictures = read_docx(fresh).pictures
    assert [p.sha256 for p in pictures] == [hashlib.sha256(CHART).hexdigest()]
    assert bk.NotePlan.build(images_brief(bk.Corpus.from_dir(SEEDS))).images[0].sha256 == (
        pictures[0].sha256
    )


def test_python_docx_sees_the_inline_picture_and_its_alt_text(fresh: Path) -> None:
    d = docx.Document(str(fresh))
    (shape,) = d.inline_shapes
    assert shape.type == WD_INLINE_SHAPE.PICTURE
    # its size in pixels at 96 dpi (it fits the text's width)
    assert (shape.width, shape.height) == (320 * EMU_PER_PIXEL, 160 * EMU_PER_PIXEL)
    doc_pr = shape._inline.docPr
    assert doc_pr.get("descr") == ALT
    assert read_docx(fresh).pictures[0].alt == ALT


def test_a_large_picture_is_scaled_down_to_the_text(corpus: bk.Corpus, tmp_path: Path) -> None:
    wide = bk.export(images_brief(corpus, chart(2400, 600)), tmp_path / "wide.docx")
    ((cx, cy),) = [p.size for p in read_docx(wide).pictures]
    assert cx == TEXT_WIDTH * 635 and cy == cx // 4
    tall = bk.export(images_brief(corpus, chart(300, 3000)), tmp_path / "tall.docx")
    ((cx, cy),) = [p.size for p in read_docx(tall).pictures]
    assert cy == (TEXT_HEIGHT - 1440) * 635 and cx == cy // 10  # room left for the caption
    assert fit(1, 1, 10**6, 10**6) == (EMU_PER_PIXEL, EMU_PER_PIXEL)  # never scaled up
    assert fit(10**6, 1, 100, 100) == (100, 1)
    for path in (wide, tall):
        assert bk.verify(path, sources=SEEDS).problems == ()


def test_the_caption_follows_the_picture_kept_with_it(fresh: Path) -> None:
    root = document(fresh)
    picture = picture_paragraph(root)
    props = picture.find(w("pPr"))
    assert props is not None and props.find(w("keepNext")) is not None
    assert text_of(picture) == ""  # the picture and nothing else
    caption = picture.getnext()
    assert caption is not None and style_of(caption) == "Caption"
    assert text_of(caption) == CAPTION
    keep = caption.find(f"{w('pPr')}/{w('keepNext')}")
    assert keep is not None and keep.get(w("val")) == "0"  # not kept with what follows
    # the caption sentence in its bookmark, its note mark inside it
    assert bookmark(root, "s2").getparent() is caption
    refs = [r.get(w("id")) for r in caption.iter(w("footnoteReference"))]
    assert refs == ["2"]
    # the bookmark links lead to: the picture
    assert bookmark(root, "figure-1").getparent() is picture


def test_a_jpeg_is_embedded_as_it_is(corpus: bk.Corpus, tmp_path: Path) -> None:
    data = jpeg()
    path = bk.export(images_brief(corpus, data), tmp_path / "j.docx")
    parts = parts_of(path)
    assert parts["word/media/figure1.jpeg"] == data
    assert (
        b'PartName="/word/media/figure1.jpeg" ContentType="image/jpeg"'
        in parts["[Content_Types].xml"]
    )
    assert bk.verify(path, sources=SEEDS).problems == ()


def test_the_contents_are_a_toc_field_of_links(fresh: Path) -> None:
    root = document(fresh)
    paragraphs = body(root).findall(w("p"))
    label = paragraphs[2]  # after the title and the date
    assert text_of(label) == "Contents" and style_of(label) == "TOCHeading"
    level = label.find(f"{w('pPr')}/{w('outlineLvl')}")
    assert level is not None and level.get(w("val")) == "9"  # never lists itself
    instructions = [" ".join((t.text or "").split()) for t in root.iter(w("instrText"))]
    assert instructions == ['TOC \\o "1-3" \\h']
    entries = paragraphs[3:9]
    assert [(style_of(p), text_of(p)) for p in entries] == [
        ("TOC1", "Forces"),
        ("TOC2", "Detail"),
        ("TOC1", "More"),
        ("TOC1", "Bibliography"),
        ("TOC1", "Sources"),
        ("Heading1", "Forces"),
    ]
    kinds = [f.get(w("fldCharType")) for f in root.iter(w("fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    assert entries[0].find(f".//{w('fldChar')}").get(w("fldCharType")) == "begin"  # type: ignore[union-attr]
    assert entries[4].find(f".//{w('fldChar')}").get(w("fldCharType")) == "end"  # type: ignore[union-attr]
    # each entry links to its heading's bookmark; no page numbers (Word writes them when
    # the field is updated)
    anchors = [h.get(w("anchor")) for p in entries[:5] for h in p.iter(w("hyperlink"))]
    assert anchors == ["sec-1", "sec-1-1", "sec-2", "bibliography", "sources"]
    for anchor, heading in zip(anchors, ["Forces", "Detail", "More", "Bibliography", "Sources"],
                               strict=True):  # fmt: skip
        holder = bookmark(root, anchor or "").getparent()
        assert holder is not None and text_of(holder) == heading
        assert (style_of(holder) or "").startswith("Heading")
    assert b"PAGEREF" not in parts_of(fresh)["word/document.xml"]


def test_cross_references_are_internal_links(fresh: Path) -> None:
    root = document(fresh)
    sentence = bookmark(root, "s1").getparent()
    assert sentence is not None
    assert links(sentence) == [
        ("figure-1", "Figure 1"),
        ("table-1", "Table 1"),
        ("sec-2", "“More”"),
    ]
    assert text_of(sentence) == "The counts differ; see Figure 1, Table 1 and “More”."
    caption = bookmark(root, "table-1").getparent()
    assert caption is not None and text_of(caption) == "Table 1. Troops by source"
    table = caption.getnext()
    assert table is not None and table.tag == w("tbl")
    heading = bookmark(root, "sec-2").getparent()
    assert heading is not None and text_of(heading) == "More"
    assert bookmark(root, "figure-1").getparent() is picture_paragraph(root)


def test_a_fresh_file_verifies(fresh: Path) -> None:
    report = bk.verify(fresh, sources=SEEDS)
    assert report.problems == ()
    contents = read_docx(fresh)
    assert contents.findings == ()
    assert [c.instruction for c in contents.contents] == ['TOC \\o "1-3" \\h']
    assert [(link.anchor, link.text) for link in contents.links][:5] == [
        ("sec-1", "Forces"),
        ("sec-1-1", "Detail"),
        ("sec-2", "More"),
        ("bibliography", "Bibliography"),
        ("sources", "Sources"),
    ]


def test_output_with_images_is_deterministic(brief: bk.Brief, fresh: Path) -> None:
    assert bk.render(brief, "docx") == fresh.read_bytes()


def test_without_contents_there_is_no_field(corpus: bk.Corpus, tmp_path: Path) -> None:
    path = bk.export(images_brief(corpus, contents=False), tmp_path / "plain.docx")
    assert b"instrText" not in parts_of(path)["word/document.xml"]
    assert bk.verify(path, sources=SEEDS).problems == ()


def test_a_heading_bookmark_never_takes_a_sentence_s_name(
    corpus: bk.Corpus, tmp_path: Path
) -> None:
    cnn = corpus["000_28b258b49d188a62.txt"]
    named = bk.sentence("US troops are in Japan.", cite=cnn.paraphrase("US has 50,000 troops"),
                        id="sources")  # fmt: skip
    brief = bk.Brief(
        title="Named",
        contents=True,
        sections=[bk.section("Forces", bk.paragraph(named))],
        sources_appendix=True,
    )
    path = bk.export(brief, tmp_path / "named.docx")
    root = document(path)
    assert bookmark(root, "sources").getparent() is not None
    heading = bookmark(root, "sources-heading").getparent()
    assert heading is not None and text_of(heading) == "Sources"
    assert ("sources-heading", "Sources") in links(root)
    assert bk.verify(path, sources=SEEDS).problems == ()


# -- tampering ---------------------------------------------------------------------------------


def _remove_picture(root: etree._Element) -> None:
    detach(drawing(root))


def _move_picture_after_its_caption(root: etree._Element) -> None:
    picture = picture_paragraph(root)
    caption = picture.getnext()
    assert caption is not None
    caption.addnext(detach(picture))


def _add_picture(root: etree._Element) -> None:
    heading = bookmark(root, "sec-2").getparent()
    assert heading is not None
    copy = etree.fromstring(etree.tostring(picture_paragraph(root)))
    for mark in copy.iter(w("bookmarkStart"), w("bookmarkEnd")):
        detach(mark)
    heading.addprevious(copy)


def _picture_in_a_cell(root: etree._Element) -> None:
    holder = drawing(root).getparent()
    assert holder is not None
    run = etree.fromstring(etree.tostring(holder))
    cell = body(root).find(w("tbl")).findall(w("tr"))[2].find(w("tc"))  # type: ignore[union-attr]
    assert cell is not None
    p = cell.find(w("p"))
    assert p is not None
    p.append(run)


def _add_picture_beside(root: etree._Element) -> None:
    run = drawing(root).getparent()
    assert run is not None
    run.addnext(etree.fromstring(etree.tostring(run)))


def _edit_alt_text(root: etree._Element) -> None:
    doc_pr = drawing(root).find(f".//{{{WP}}}docPr")
    assert doc_pr is not None
    doc_pr.set("descr", "Two equal bars")


def _remove_alt_text(root: etree._Element) -> None:
    doc_pr = drawing(root).find(f".//{{{WP}}}docPr")
    assert doc_pr is not None
    del doc_pr.attrib["descr"]


def _edit_caption(root: etree._Element) -> None:
    caption = picture_paragraph(root).getnext()
    assert caption is not None
    t = next(t for t in caption.iter(w("t")) if "50,000" in (t.text or ""))
    t.text = (t.text or "").replace("50,000", "55,000")


def _edit_label(root: etree._Element) -> None:
    caption = picture_paragraph(root).getnext()
    assert caption is not None
    t = next(caption.iter(w("t")))
    t.text = "Figure 3. "


def _hide_picture(root: etree._Element) -> None:
    run = drawing(root).getparent()
    assert run is not None
    run.insert(0, el("<w:rPr><w:vanish/></w:rPr>"))


def _shrink_picture(root: etree._Element) -> None:
    extent = drawing(root).find(f".//{{{WP}}}extent")
    assert extent is not None
    extent.set("cx", "2")
    extent.set("cy", "1")


def _squash_picture(root: etree._Element) -> None:
    extent = drawing(root).find(f".//{{{WP}}}extent")
    assert extent is not None
    extent.set("cy", "9525")


def _link_picture(root: etree._Element) -> None:
    blip = drawing(root).find(f".//{{{A}}}blip")
    assert blip is not None
    del blip.attrib[f"{{{R}}}embed"]
    blip.set(f"{{{R}}}link", "rIdImage1")


def _edit_entry(root: etree._Element) -> None:
    t = next(t for t in body(root).iter(w("t")) if t.text == "More")
    t.text = "Less"


def _add_entry(root: etree._Element) -> None:
    detail = next(p for p in body(root).iter(w("p")) if style_of(p) == "TOC2")
    detail.addnext(
        el('<w:p><w:pPr><w:pStyle w:val="TOC1"/></w:pPr><w:hyperlink w:anchor="sec-2">'
           "<w:r><w:t>Withdrawal plans</w:t></w:r></w:hyperlink></w:p>")
    )  # fmt: skip


def _remove_entry(root: etree._Element) -> None:
    detach(next(p for p in body(root).iter(w("p")) if style_of(p) == "TOC2"))


def _retarget_entry(root: etree._Element) -> None:
    link = next(h for h in root.iter(w("hyperlink")) if h.get(w("anchor")) == "sec-1-1")
    link.set(w("anchor"), "sec-2")


def _widen_the_field(root: etree._Element) -> None:
    instruction = next(root.iter(w("instrText")))
    instruction.text = ' TOC \\o "1-9" \\h \\t "Caption,1" '


def _retarget_reference(root: etree._Element) -> None:
    link = next(h for h in root.iter(w("hyperlink")) if h.get(w("anchor")) == "figure-1")
    link.set(w("anchor"), "table-1")


def _link_other_text(root: etree._Element) -> None:
    sentence = bookmark(root, "s1").getparent()
    assert sentence is not None
    first = next(r for r in sentence.iter(w("r")) if "counts" in text_of(r))
    link = el('<w:hyperlink w:anchor="sec-2"/>')
    first.addprevious(link)
    link.append(detach(first))


def _remove_target(root: etree._Element) -> None:
    mark = bookmark(root, "table-1")
    end = next(e for e in root.iter(w("bookmarkEnd")) if e.get(w("id")) == mark.get(w("id")))
    detach(mark)
    detach(end)


TAMPERS = [
    pytest.param(_remove_picture, "missing", ("figure 1", "no image before its caption"),
                 id="picture-removed"),
    pytest.param(_move_picture_after_its_caption, "image-place",
                 ("figure 1", "its image stands after sentence s2"), id="picture-moved"),
    pytest.param(_picture_in_a_cell, "image-added", ("figure 2", "table 1, row 2, column 1"),
                 id="picture-in-a-cell"),
    pytest.param(_add_picture, "image-added", ("figure 2", "after sentence s5"),
                 id="picture-added"),
    pytest.param(_add_picture_beside, "image-added",
                 ("figure 2", "a second image before the caption of figure 1"),
                 id="picture-doubled"),
    pytest.param(_edit_alt_text, "alt-text", ("figure 1", "'Two equal bars'"), id="alt-edited"),
    pytest.param(_remove_alt_text, "alt-text", ("figure 1", "no alt text"), id="alt-removed"),
    pytest.param(_edit_caption, "sentence-differs", ("the caption of figure 1", "'50' -> '55'"),
                 id="caption-edited"),
    pytest.param(_edit_label, "differs", ("the label of figure 1", "'1' -> '3'"),
                 id="label-edited"),
    pytest.param(_hide_picture, "hidden-text", ("figure 1", "w:vanish"), id="picture-hidden"),
    pytest.param(_squash_picture, "image-differs", ("figure 1", "out of the proportions"),
                 id="picture-squashed"),
    pytest.param(_shrink_picture, "hidden-text", ("figure 1", "too small to see"),
                 id="picture-shrunk"),
    pytest.param(_link_picture, "image-differs", ("figure 1", "links it from outside"),
                 id="picture-linked"),
    pytest.param(_edit_entry, "differs", ("contents entry 3", "'Less'", "'More'"),
                 id="entry-edited"),
    pytest.param(_add_entry, "contents", ("Withdrawal plans", "after entry 2"), id="entry-added"),
    pytest.param(_remove_entry, "missing", ("contents entry 2", "'Detail'"), id="entry-removed"),
    pytest.param(_retarget_entry, "link", ("contents entry 2", "'sec-2'", "'sec-1-1'"),
                 id="entry-retargeted"),
    pytest.param(_widen_the_field, "field", ('\\t "Caption,1"',), id="field-widened"),
    pytest.param(_retarget_reference, "link",
                 ("sentence s1", "'Figure 1'", "'table-1'", "'figure-1'"),
                 id="reference-retargeted"),
    pytest.param(_link_other_text, "link", ("sentence s1", "counts", "none of"),
                 id="text-linked"),
    pytest.param(_remove_target, "link", ("sentence s1", "'table-1'", "does not have"),
                 id="target-removed"),
]  # fmt: skip


@pytest.mark.parametrize(("edit", "code", "words"), TAMPERS)
def test_tampering_is_reported(
    fresh: Path, tmp_path: Path, edit: Edit, code: str, words: tuple[str, ...]
) -> None:
    found = problems_of(tamper(fresh, tmp_path, edit))
    assert has(found, code, *words), found


def test_a_swapped_image_is_reported(fresh: Path, tmp_path: Path) -> None:
    parts = parts_of(fresh)
    parts["word/media/figure1.png"] = chart(320, 161)
    found = problems_of(write_zip(tmp_path / "swapped.docx", parts))
    assert [p.code for p in found] == ["image-differs"], found
    assert "figure 1: the document shows another image (word/media/figure1.png" in found[0].message
    assert found[0].sentence == "s2"


def test_a_removed_image_part_is_reported(fresh: Path, tmp_path: Path) -> None:
    parts = parts_of(fresh)
    del parts["word/media/figure1.png"]
    found = problems_of(write_zip(tmp_path / "gone.docx", parts))
    assert has(found, "image-differs", "figure 1", "has no image part"), found


def test_an_edited_alt_text_is_one_problem(fresh: Path, tmp_path: Path) -> None:
    found = problems_of(tamper(fresh, tmp_path, _edit_alt_text))
    assert [(p.code, p.sentence) for p in found] == [("alt-text", "s2")], found


def test_an_edited_contents_entry_is_one_problem(fresh: Path, tmp_path: Path) -> None:
    found = problems_of(tamper(fresh, tmp_path, _edit_entry))
    assert [p.code for p in found] == ["differs"], found


def test_a_moved_picture_is_one_problem(fresh: Path, tmp_path: Path) -> None:
    found = problems_of(tamper(fresh, tmp_path, _move_picture_after_its_caption))
    assert [(p.code, p.sentence) for p in found] == [("image-place", "s2")], found


def test_contents_that_are_no_field_are_reported(fresh: Path, tmp_path: Path) -> None:
    def edit(root: etree._Element) -> None:
        for node in [*root.iter(w("fldChar")), *root.iter(w("instrText"))]:
            detach(node)

    found = problems_of(tamper(fresh, tmp_path, edit))
    assert [p.code for p in found] == ["contents"], found


def test_a_removed_picture_is_one_problem(fresh: Path, tmp_path: Path) -> None:
    found = problems_of(tamper(fresh, tmp_path, _remove_picture))
    assert [(p.code, p.sentence) for p in found] == [("missing", "s2")], found


def test_a_toc_field_the_manifest_does_not_have_is_reported(
    corpus: bk.Corpus, fresh: Path, tmp_path: Path
) -> None:
    plain = bk.export(images_brief(corpus, contents=False), tmp_path / "plain.docx")
    toc = [p for p in body(document(fresh)).findall(w("p")) if style_of(p) in ("TOC1", "TOC2")]

    def edit(root: etree._Element) -> None:
        title = body(root).findall(w("p"))[0]
        for p in reversed(toc):
            title.addnext(etree.fromstring(etree.tostring(p)))

    found = problems_of(tamper(plain, tmp_path, edit))
    assert has(found, "field", 'a table of contents (TOC \\o "1-3" \\h)'), found
    assert has(found, "unlinked-text", "Forces"), found


def _word_updated_toc(root: etree._Element) -> None:
    """The table of contents as Word writes it when the user updates the field: a ``_Toc``
    bookmark in each heading, each entry a link to it followed by a tab and a ``PAGEREF``
    field showing the page number; the field's end in a paragraph of its own."""
    b = body(root)
    entries = [p for p in b.findall(w("p")) if style_of(p) in ("TOC1", "TOC2", "TOC3")]
    for k, p in enumerate(entries):
        link = p.find(w("hyperlink"))
        assert link is not None
        name = f"_Toc{1000 + k}"
        heading = bookmark(root, link.get(w("anchor")) or "").getparent()
        assert heading is not None
        heading.insert(1, el(f'<w:bookmarkStart w:id="{900 + k}" w:name="{name}"/>'))
        heading.append(el(f'<w:bookmarkEnd w:id="{900 + k}"/>'))
        link.set(w("anchor"), name)
        for node in (
            "<w:r><w:tab/></w:r>",
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
            f'<w:r><w:instrText xml:space="preserve"> PAGEREF {name} \\h </w:instrText></w:r>',
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
            f"<w:r><w:t>{k + 1}</w:t></w:r>",
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
        ):
            link.append(el(node))
    end = next(f for f in entries[-1].iter(w("fldChar")) if f.get(w("fldCharType")) == "end")
    detach(end.getparent())  # type: ignore[arg-type]
    entries[-1].addnext(el('<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'))


def test_a_contents_word_updated_still_verifies(fresh: Path, tmp_path: Path) -> None:
    path = tamper(fresh, tmp_path, _word_updated_toc)
    assert bk.verify(path, sources=SEEDS).problems == ()
    assert read_docx(path).contents[0].pages == ("1", "2", "3", "4", "5")


def test_text_as_a_page_number_is_reported(fresh: Path, tmp_path: Path) -> None:
    def edit(root: etree._Element) -> None:
        _word_updated_toc(root)
        t = next(t for t in root.iter(w("t")) if t.text == "3")
        t.text = "Troops withdrawn"

    found = problems_of(tamper(fresh, tmp_path, edit))
    assert has(found, "differs", "contents entry 3", "Troops withdrawn"), found


# -- a template's pictures ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def house(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A template whose header shows a logo stored as word/media/figure1.png."""
    folder = tmp_path_factory.mktemp("house-images")
    (folder / "logo.png").write_bytes(chart(8, 4))
    d = docx.Document()
    header = d.sections[0].header.paragraphs[0]
    header.text = "ACME "
    header.add_run().add_picture(str(folder / "logo.png"), width=Inches(0.3))
    d.save(str(folder / "made.docx"))
    parts = parts_of(folder / "made.docx")
    (old,) = [n for n in parts if n.startswith("word/media/")]
    parts["word/media/figure1.png"] = parts.pop(old)
    for name in list(parts):
        if name.endswith(".rels") or name == "[Content_Types].xml":
            parts[name] = (
                parts[name]
                .replace(old.removeprefix("word/").encode(), b"media/figure1.png")
                .replace(f"/{old}".encode(), b"/word/media/figure1.png")
            )
    return write_zip(folder / "house.docx", parts)


def test_pictures_beside_a_template_s_header_picture(
    brief: bk.Brief, house: Path, tmp_path: Path
) -> None:
    path = bk.export(brief, tmp_path / "house.docx", format=DocxExporter(template=house))
    parts = parts_of(path)
    assert parts["word/media/figure1.png"] == chart(8, 4)  # the template's logo, kept
    assert parts["word/media/briefkit-figure1.png"] == CHART  # the figure, named apart
    ids = [
        d.get("id")
        for name in ("word/document.xml", "word/header1.xml")
        for d in etree.fromstring(parts[name]).iter(f"{{{WP}}}docPr")
    ]
    assert len(ids) == len(set(ids)) == 2  # Word wants every drawing's id its own
    assert len(read_docx(path).pictures) == 1  # the header's picture is furniture
    assert bk.verify(path, sources=SEEDS).problems == ()


# -- other readers -----------------------------------------------------------------------------


def _walk(node: Any, kind: str, found: list[Any]) -> list[Any]:
    if isinstance(node, dict):
        if node.get("t") == kind:
            found.append(node["c"])
        for value in node.values():
            _walk(value, kind, found)
    elif isinstance(node, list):
        for value in node:
            _walk(value, kind, found)
    return found


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_reads_the_picture_the_links_and_the_contents(fresh: Path) -> None:
    out = subprocess.run(
        ["pandoc", "-f", "docx", "-t", "json", str(fresh)], capture_output=True, check=True
    )
    blocks = json.loads(out.stdout)["blocks"]
    images = _walk(blocks, "Image", [])
    assert len(images) == 1
    _attr, _alt, (target, _title) = images[0]
    assert target.endswith("figure1.png")
    targets = [t for _a, _text, (t, _title) in _walk(blocks, "Link", [])]
    # the contents' entries (pandoc names headings its own way), then the references
    assert len(targets) == 8
    assert targets[5:] == ["#figure-1", "#table-1", targets[2]]
    headers = [h[1][0] for h in _walk(blocks, "Header", [])]
    assert [t.removeprefix("#") for t in targets[:5]] == headers
    anchors = [a[0][0] for a in _walk(blocks, "Span", []) if "anchor" in a[0][1]]
    assert {"figure-1", "table-1"} <= set(anchors)


def _soffice(args: list[str], tmp_path: Path) -> None:
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", *args],
        capture_output=True, check=True, timeout=240,
    )  # fmt: skip


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
@pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfimages") is None,
    reason="pdftotext and pdfimages (poppler-utils) are not installed",
)
def test_libreoffice_renders_the_picture_caption_and_contents(fresh: Path, tmp_path: Path) -> None:
    _soffice(["--convert-to", "pdf", "--outdir", str(tmp_path), str(fresh)], tmp_path)
    pdf = tmp_path / "images.pdf"
    listed = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, check=True, text=True
    ).stdout.splitlines()[2:]
    assert [line.split()[3:5] for line in listed] == [["320", "160"]]  # its pixels, as they are
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    assert lines[2:8] == ["Contents", "Forces", "Detail", "More", "Bibliography", "Sources"]
    flat = " ".join(text.split())
    assert CAPTION.removesuffix(".") + ".2" in flat.replace(". 2", ".2")
    assert "see Figure 1, Table 1 and “More”." in flat


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_a_copy_saved_by_libreoffice_still_verifies(fresh: Path, tmp_path: Path) -> None:
    out = tmp_path / "saved"
    _soffice(["--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(fresh)], tmp_path)
    saved = out / fresh.name
    assert saved.read_bytes() != fresh.read_bytes()
    contents = read_docx(saved)
    assert [p.sha256 for p in contents.pictures] == [hashlib.sha256(CHART).hexdigest()]
    assert len(contents.contents) == 1
    assert bk.verify(saved, sources=SEEDS).problems == ()
