"""The DOCX checker accounts for every character a reader of the document sees.

A fresh export verifies with no problem at all (the alliance brief, the example brief, random
briefs over hostile sources); every kind of tampering with the written file — text added,
hidden, reordered, relabelled, a note edited or added, a quotation edited together with the
embedded manifest — is reported with its code and the sentence it concerns.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

import briefkit as bk
from briefkit import manifest as _manifest
from briefkit import mdbrief
from briefkit.formats.docx import DocxExporter
from briefkit.formats.docx.checker import check
from briefkit.formats.docx.reader import read_docx
from briefkit.problems import Problem
from briefkit.testing import briefs
from briefs import EXAMPLE, SEEDS, alliance_brief
from make_docx import el, parts_of, problems_of, w, write_zip, xml
from property import corpus_files, write_files

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

Edit = Callable[[etree._Element], None]


def run(text: str, rpr: str = "") -> etree._Element:
    props = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return el(f'<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>')


def para(*runs: etree._Element, style: str | None = None) -> etree._Element:
    p = el("<w:p/>")
    if style:
        p.append(el(f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>'))
    for r in runs:
        p.append(r)
    return p


def start(root: etree._Element, sid: str) -> etree._Element:
    return next(b for b in root.iter(w("bookmarkStart")) if b.get(w("name")) == sid)


def end(root: etree._Element, sid: str) -> etree._Element:
    bid = start(root, sid).get(w("id"))
    return next(b for b in root.iter(w("bookmarkEnd")) if b.get(w("id")) == bid)


def runs_of(root: etree._Element, sid: str) -> list[etree._Element]:
    """The runs inside a sentence's bookmark (briefkit keeps it within one paragraph)."""
    out: list[etree._Element] = []
    node = start(root, sid).getnext()
    stop = end(root, sid)
    while node is not None and node is not stop:
        if node.tag == w("r"):
            out.append(node)
        node = node.getnext()
    return out


def detach(node: etree._Element) -> None:
    parent = node.getparent()
    assert parent is not None
    parent.remove(node)


def paragraph_of(root: etree._Element, sid: str) -> etree._Element:
    found = start(root, sid).getparent()
    assert found is not None
    return found


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The alliance brief: s1 key point (note 1); s2 Carter's quote (note 2) and s3 analysis
    in one paragraph; s4 a block quote (note 3); s5 a list item (note 4); two sources."""
    folder = tmp_path_factory.mktemp("docx-checker")
    return bk.export(alliance_brief(bk.Corpus.from_dir(SEEDS)), folder / "fresh.docx")


def tamper(fresh: Path, out: Path, part: str, edit: Edit) -> Path:
    parts = parts_of(fresh)
    root = etree.fromstring(parts[part])
    edit(root)
    parts[part] = xml(root)
    return write_zip(out / "tampered.docx", parts)


def has(found: list[Problem], code: str, sentence: str | None, *words: str) -> bool:
    return any(
        p.code == code and p.sentence == sentence and all(x in p.message for x in words)
        for p in found
    )


# -- fresh exports ---------------------------------------------------------------------------


def test_fresh_alliance_export_has_no_problem(fresh: Path) -> None:
    report = bk.verify(fresh, sources=SEEDS)
    assert report.problems == ()
    assert report.ok
    contents = read_docx(fresh)
    assert contents.findings == ()
    # each sentence in its bookmark; each heading in the bookmark of its anchor
    assert list(contents.bookmarks) == [
        "key-points", "s1", "sec-1", "s2", "s3", "s4", "sec-1-1", "s5", "bibliography"
    ]  # fmt: skip


def test_fresh_example_export_has_no_problem(tmp_path: Path) -> None:
    loaded = mdbrief.load(EXAMPLE)
    path = bk.export(loaded.brief, tmp_path / "example.docx")
    report = bk.verify(path, sources=SEEDS)
    assert report.problems == ()
    assert report.ok


def test_fresh_export_with_a_house_template_has_no_problem(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    docx.Document().save(str(tmp_path / "house.docx"))
    exporter = DocxExporter(template=tmp_path / "house.docx")
    path = bk.export(
        alliance_brief(bk.Corpus.from_dir(SEEDS)), tmp_path / "b.docx", format=exporter
    )
    assert bk.verify(path, sources=SEEDS).problems == ()


def test_fresh_export_of_hostile_text_has_no_problem(tmp_path: Path) -> None:
    hostile = "Plain <b>&amp;</b>\x0bvt\r\nCRLF\x1cFS 日本語 😀👨‍👩‍👧 שלום\tend\u2028LS"
    corpus = bk.Corpus.from_dir(SEEDS)
    brief = attrs.evolve(
        alliance_brief(corpus),
        title=f"Title {hostile}",
        key_points=[*alliance_brief(corpus).key_points, bk.analysis(f"{hostile}.")],
    )
    path = bk.export(brief, tmp_path / "hostile.docx")
    assert "\u241c" in "".join(read_docx(path).paragraphs)  # shown as a control picture
    assert bk.verify(path, sources=SEEDS).problems == ()


@contextmanager
def _workspace(files: dict[str, bytes]) -> Iterator[tuple[Path, Path, bk.Corpus]]:
    with tempfile.TemporaryDirectory(prefix="briefkit-docx-check-") as tmp:
        root = Path(tmp) / "src"
        root.mkdir()
        write_files(root, files)
        yield root, Path(tmp), bk.Corpus.from_dir(root)


@settings(max_examples=25, deadline=None)
@given(files=corpus_files, data=st.data())
def test_fresh_random_exports_have_no_problem(files: dict[str, bytes], data: st.DataObject) -> None:
    with _workspace(files) as (root, out, corpus):
        brief = data.draw(briefs(corpus), label="brief")
        path = bk.export(brief, out / "b.docx")
        assert check(path).problems == ()
        report = bk.verify(path, sources=root)
        assert report.ok, report.problems
        assert read_docx(path).findings == ()


# -- text added ------------------------------------------------------------------------------


def _between(root: etree._Element) -> None:
    end(root, "s2").addnext(run(" A new claim."))


def _inside(root: etree._Element) -> None:
    runs_of(root, "s2")[0].addnext(run("reportedly "))


def _own_paragraph(root: etree._Element) -> None:
    paragraph_of(root, "s2").addnext(para(run("A new claim.")))


def _list_item(root: etree._Element) -> None:
    paragraph_of(root, "s5").addnext(para(run("Another point."), style="ListBullet"))


def _at_start(root: etree._Element) -> None:
    body = root.find(w("body"))
    assert body is not None
    body.insert(0, para(run("Leaked draft.")))


def _at_end(root: etree._Element) -> None:
    sect = root.find(f"{w('body')}/{w('sectPr')}")
    assert sect is not None
    sect.addprevious(para(run("Appendix claim.")))


def _in_table(root: etree._Element) -> None:
    table = el("<w:tbl><w:tr><w:tc/></w:tr></w:tbl>")
    cell = table.find(f"{w('tr')}/{w('tc')}")
    assert cell is not None
    cell.append(para(run("Tabled claim.")))
    paragraph_of(root, "s4").addnext(table)


def _in_hyperlink(root: etree._Element) -> None:
    link = el("<w:hyperlink/>")
    link.append(run(" Linked claim."))
    end(root, "s3").addnext(link)


@pytest.mark.parametrize(
    ("edit", "code", "sentence", "words"),
    [
        pytest.param(_between, "unlinked-text", "s2", ("after sentence s2", "A new claim."),
                     id="between-sentences"),
        pytest.param(_inside, "sentence-differs", "s2", ("'' -> 'reportedly '",),
                     id="inside-a-sentence"),
        pytest.param(_own_paragraph, "unlinked-text", "s3", ("after sentence s3", "A new claim"),
                     id="own-paragraph"),
        pytest.param(_list_item, "unlinked-text", "s5", ("after sentence s5", "Another point"),
                     id="own-list-item"),
        pytest.param(_at_start, "unlinked-text", None, ("after the start", "Leaked draft."),
                     id="at-start"),
        pytest.param(_at_end, "unlinked-text", None, ("after the entry", "Appendix claim."),
                     id="at-end"),
        pytest.param(_in_table, "unlinked-text", "s4", ("after sentence s4", "Tabled claim."),
                     id="in-a-table"),
        pytest.param(_in_hyperlink, "unlinked-text", "s3", ("after sentence s3", "Linked claim"),
                     id="in-a-hyperlink"),
    ],
)  # fmt: skip
def test_added_text_is_unlinked(
    fresh: Path, tmp_path: Path, edit: Edit, code: str, sentence: str | None, words: tuple[str]
) -> None:
    found = problems_of(tamper(fresh, tmp_path, "word/document.xml", edit))
    assert has(found, code, sentence, *words), found


def test_text_added_at_the_start_and_end_is_each_reported(fresh: Path, tmp_path: Path) -> None:
    def both(root: etree._Element) -> None:
        _at_start(root)
        _at_end(root)

    found = problems_of(tamper(fresh, tmp_path, "word/document.xml", both))
    assert [p.code for p in found] == ["unlinked-text", "unlinked-text"], found


# -- hidden text -----------------------------------------------------------------------------


def _hide_runs(rpr: str, sid: str = "s2") -> Edit:
    def edit(root: etree._Element) -> None:
        for r in runs_of(root, sid):
            props = r.find(w("rPr"))
            if props is None:
                props = el("<w:rPr/>")
                r.insert(0, props)
            for child in el(f"<w:rPr>{rpr}</w:rPr>"):
                props.append(child)

    return edit


@pytest.mark.parametrize(
    "rpr",
    [
        "<w:vanish/>",
        "<w:specVanish/>",
        "<w:webHidden/>",
        '<w:color w:val="FFFFFF"/>',
        '<w:sz w:val="2"/>',
        '<w:szCs w:val="3"/>',
        '<w:w w:val="5"/>',
        '<w:spacing w:val="-400"/>',
        '<w:color w:val="1F3A5F"/><w:shd w:val="clear" w:color="auto" w:fill="1F3A5F"/>',
        '<w:color w:val="000000"/><w:highlight w:val="black"/>',
    ],
)
def test_a_sentence_hidden_after_writing_is_reported(fresh: Path, tmp_path: Path, rpr: str) -> None:
    found = problems_of(tamper(fresh, tmp_path, "word/document.xml", _hide_runs(rpr)))
    assert has(found, "hidden-text", "s2", "in sentence s2", "'Ash Carter said,"), found
    # the sentence is missing from what a reader sees, and nothing else is blamed for it
    assert {(p.code, p.sentence) for p in found} == {
        ("hidden-text", "s2"),
        ("sentence-differs", "s2"),
    }, found


def test_hidden_text_added_inside_a_sentence_is_the_only_problem(
    fresh: Path, tmp_path: Path
) -> None:
    def edit(root: etree._Element) -> None:
        runs_of(root, "s3")[-1].addprevious(run("Not true. ", "<w:vanish/>"))

    found = problems_of(tamper(fresh, tmp_path, "word/document.xml", edit))
    assert [(p.code, p.sentence) for p in found] == [("hidden-text", "s3")], found
    assert "hidden text (w:vanish) in sentence s3 (body paragraph 7): 'Not true.'" in str(found[0])


def test_a_vanished_run_overriding_a_visible_style_and_back(fresh: Path, tmp_path: Path) -> None:
    """Direct formatting decides over the style: w:vanish w:val="0" shows the text again."""

    def edit(root: etree._Element) -> None:
        end(root, "s2").addnext(run(" Shown again.", '<w:vanish w:val="0"/>'))

    found = problems_of(tamper(fresh, tmp_path, "word/document.xml", edit))
    assert [p.code for p in found] == ["unlinked-text"], found


def test_white_text_on_a_black_page_is_seen_and_black_text_is_not(
    fresh: Path, tmp_path: Path
) -> None:
    def edit(root: etree._Element) -> None:
        root.insert(0, el('<w:background w:color="000000"/>'))
        end(root, "s2").addnext(run(" Dark claim.", '<w:color w:val="000000"/>'))

    found = problems_of(tamper(fresh, tmp_path, "word/document.xml", edit))
    assert [(p.code, p.sentence) for p in found] == [("hidden-text", "s2")], found
    assert "#000000 on #000000" in found[0].message


def test_text_without_fill_is_hidden(fresh: Path, tmp_path: Path) -> None:
    w14 = "http://schemas.microsoft.com/office/word/2010/wordml"

    def edit(root: etree._Element) -> None:
        r = run(" Unfilled claim.")
        props = el("<w:rPr/>")
        props.append(
            etree.fromstring(f'<w14:textFill xmlns:w14="{w14}"><w14:noFill/></w14:textFill>')
        )
        r.insert(0, props)
        runs_of(root, "s3")[-1].addnext(r)

    found = problems_of(tamper(fresh, tmp_path, "word/document.xml", edit))
    assert [(p.code, p.sentence) for p in found] == [("hidden-text", "s3")], found


@pytest.mark.parametrize(
    ("style", "rpr", "sentence"),
    [
        ("Analysis", "<w:vanish/>", "s3"),
        ("Quote", '<w:color w:val="FFFFFF"/>', "s4"),
        ("ListBullet", '<w:sz w:val="1"/>', "s1"),
        ("DefaultParagraphFont", "<w:vanish/>", "s2"),
    ],
)
def test_text_hidden_by_its_style_is_reported(
    fresh: Path, tmp_path: Path, style: str, rpr: str, sentence: str
) -> None:
    def edit(root: etree._Element) -> None:
        found = next(s for s in root.iter(w("style")) if s.get(w("styleId")) == style)
        props = found.find(w("rPr"))
        if props is None:
            props = el("<w:rPr/>")
            found.append(props)
        for child in el(f"<w:rPr>{rpr}</w:rPr>"):
            props.append(child)

    found = problems_of(tamper(fresh, tmp_path, "word/styles.xml", edit))
    assert has(found, "hidden-text", sentence, f"in sentence {sentence}"), found


def test_a_style_based_on_a_hiding_style_hides_too(fresh: Path, tmp_path: Path) -> None:
    """Title is based on Normal: hiding Normal hides the title as well."""

    def edit(root: etree._Element) -> None:
        normal = next(s for s in root.iter(w("style")) if s.get(w("styleId")) == "Normal")
        normal.append(el("<w:rPr><w:vanish/></w:rPr>"))

    found = problems_of(tamper(fresh, tmp_path, "word/styles.xml", edit))
    assert has(
        found, "hidden-text", None, "before the first sentence (body paragraph 1)", "'Alliance'"
    )


def test_a_hidden_note_mark_is_reported(fresh: Path, tmp_path: Path) -> None:
    def edit(root: etree._Element) -> None:
        mark = next(s for s in root.iter(w("style")) if s.get(w("styleId")) == "FootnoteReference")
        props = mark.find(w("rPr"))
        assert props is not None
        props.append(el("<w:vanish/>"))

    found = problems_of(tamper(fresh, tmp_path, "word/styles.xml", edit))
    assert has(found, "hidden-text", "s1", "the mark of footnote 1 is hidden", "in sentence s1")
    assert has(found, "hidden-text", "s5", "the mark of footnote 4 is hidden", "in sentence s5")


def test_hidden_table_row_is_reported(fresh: Path, tmp_path: Path) -> None:
    def edit(root: etree._Element) -> None:
        table = el("<w:tbl><w:tr><w:trPr><w:hidden/></w:trPr><w:tc/></w:tr></w:tbl>")
        cell = table.find(f"{w('tr')}/{w('tc')}")
        assert cell is not None
        cell.append(para(run("Row claim.")))
        paragraph_of(root, "s4").addnext(table)

    found = problems_of(tamper(fresh, tmp_path, "word/document.xml", edit))
    assert has(found, "hidden-text", "s4", "after sentence s4", "Row claim."), found


# -- content outside the body's reading order --------------------------------------------------


def _deleted(root: etree._Element) -> None:
    d = el(
        '<w:del w:id="90" w:author="x"><w:r><w:delText>Withdrawn claim.</w:delText></w:r></w:del>'
    )
    runs_of(root, "s2")[-1].addnext(d)


def _text_box(root: etree._Element) -> None:
    box = el(
        '<w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox>'
        "<w:txbxContent><w:p><w:r><w:t>Boxed claim.</w:t></w:r></w:p></w:txbxContent>"
        "</v:textbox></v:shape></w:pict></w:r>"
    )
    runs_of(root, "s3")[-1].addnext(box)


def _picture(root: etree._Element) -> None:
    end(root, "s3").addnext(el("<w:r><w:drawing/></w:r>"))


def _simple_field(root: etree._Element) -> None:
    field = el('<w:fldSimple w:instr=" DOCPROPERTY Title "/>')
    field.append(run("Alliance"))
    end(root, "s3").addnext(field)


def _complex_field(root: etree._Element) -> None:
    anchor = end(root, "s2")
    for node in reversed(
        [
            el('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'),
            el('<w:r><w:instrText xml:space="preserve"> INCLUDETEXT "x.docx" </w:instrText></w:r>'),
            el('<w:r><w:fldChar w:fldCharType="separate"/></w:r>'),
            run(" Included."),
            el('<w:r><w:fldChar w:fldCharType="end"/></w:r>'),
        ]
    ):
        anchor.addnext(node)


def _page_number(root: etree._Element) -> None:
    end(root, "s5").addnext(el("<w:r><w:pgNum/></w:r>"))


def _alt_chunk(root: etree._Element) -> None:
    paragraph_of(root, "s1").addnext(el('<w:altChunk xmlns:r="urn:r" r:id="rId99"/>'))


def _endnote_reference(root: etree._Element) -> None:
    runs_of(root, "s3")[-1].addnext(el('<w:r><w:endnoteReference w:id="1"/></w:r>'))


def _bound_control(root: etree._Element) -> None:
    sdt = el('<w:sdt><w:sdtPr><w:dataBinding w:xpath="/a"/></w:sdtPr><w:sdtContent/></w:sdt>')
    content = sdt.find(w("sdtContent"))
    assert content is not None
    content.append(run("Alliance"))
    end(root, "s3").addnext(sdt)


@pytest.mark.parametrize(
    ("edit", "code", "sentence", "words"),
    [
        pytest.param(_deleted, "deleted-text", "s2", ("in sentence s2", "Withdrawn claim."),
                     id="deleted-text"),
        pytest.param(_text_box, "text-box", "s3", ("in sentence s3", "Boxed claim."),
                     id="text-box"),
        pytest.param(_picture, "embedded-object", "s3", ("after sentence s3", "drawing"),
                     id="picture"),
        pytest.param(_simple_field, "field", "s3", ("DOCPROPERTY Title", "after sentence s3"),
                     id="simple-field"),
        pytest.param(_complex_field, "field", "s2", ('INCLUDETEXT "x.docx"',),
                     id="complex-field"),
        pytest.param(_page_number, "field", "s5", ("pgNum",), id="generated-text"),
        pytest.param(_alt_chunk, "foreign-part", "s1", ("altChunk",), id="imported-chunk"),
        pytest.param(_endnote_reference, "foreign-part", "s3", ("endnote",),
                     id="endnote-reference"),
        pytest.param(_bound_control, "field", "s3", ("custom XML data",), id="data-bound"),
    ],
)  # fmt: skip
def test_foreign_content_in_the_body_is_reported(
    fresh: Path, tmp_path: Path, edit: Edit, code: str, sentence: str, words: tuple[str]
) -> None:
    found = problems_of(tamper(fresh, tmp_path, "word/document.xml", edit))
    assert has(found, code, sentence, *words), found


def test_a_field_result_is_still_accounted_for(fresh: Path, tmp_path: Path) -> None:
    found = problems_of(tamper(fresh, tmp_path, "word/document.xml", _complex_field))
    assert has(found, "unlinked-text", "s2", "after sentence s2", "Included."), found


def test_an_unused_page_number_footer_is_not_text(fresh: Path, tmp_path: Path) -> None:
    parts = parts_of(fresh)
    parts["word/footer7.xml"] = parts["word/footer1.xml"]  # no section shows it
    assert bk.verify(write_zip(tmp_path / "t.docx", parts), sources=SEEDS).problems == ()


@pytest.mark.parametrize(
    ("name", "root_tag"),
    [
        ("word/comments.xml", "comments"),
        ("word/header1.xml", "hdr"),
        ("word/footer2.xml", "ftr"),
        ("word/endnotes.xml", "endnotes"),
    ],
)
def test_text_in_other_parts_is_reported(
    fresh: Path, tmp_path: Path, name: str, root_tag: str
) -> None:
    parts = parts_of(fresh)
    parts[name] = (
        f'<w:{root_tag} xmlns:w="{W}"><w:p><w:r><w:t>Side claim.</w:t></w:r></w:p></w:{root_tag}>'
    ).encode()
    found = problems_of(write_zip(tmp_path / "t.docx", parts))
    assert [(p.code, p.sentence) for p in found] == [("foreign-part", None)], found
    assert f"text in {name}: 'Side claim.'" in found[0].message


def test_numbering_that_shows_words_is_reported(fresh: Path, tmp_path: Path) -> None:
    def edit(root: etree._Element) -> None:
        text = next(root.iter(w("lvlText")))
        text.set(w("val"), "Confirmed:")

    found = problems_of(tamper(fresh, tmp_path, "word/numbering.xml", edit))
    assert has(found, "numbering-text", None, "before the first sentence", "Confirmed:"), found
    assert has(found, "numbering-text", "s4", "after sentence s4", "Confirmed:"), found


def test_numbered_list_is_reported(fresh: Path, tmp_path: Path) -> None:
    def edit(root: etree._Element) -> None:
        fmt = next(root.iter(w("numFmt")))
        fmt.set(w("val"), "decimal")
        next(root.iter(w("lvlText"))).set(w("val"), "%1.")

    found = problems_of(tamper(fresh, tmp_path, "word/numbering.xml", edit))
    assert {p.code for p in found} == {"numbering-text"}, found


# -- reordering and labels -------------------------------------------------------------------


def test_reordered_sentences_are_reported(fresh: Path, tmp_path: Path) -> None:
    def edit(root: etree._Element) -> None:
        quote = paragraph_of(root, "s4")
        paragraph_of(root, "s2").addprevious(quote)

    found = problems_of(tamper(fresh, tmp_path, "word/document.xml", edit))
    assert has(found, "sentence-order", "s4", "after sentence s1", "after sentence s3"), found
    assert has(found, "note-number", "s4", "note 3 (sentence s4) is shown as footnote 2")
    assert not any(p.code == "differs" for p in found), found


def test_sentences_swapped_within_a_paragraph_are_reported(fresh: Path, tmp_path: Path) -> None:
    def edit(root: etree._Element) -> None:
        p = paragraph_of(root, "s2")
        children = list(p)
        first = children.index(start(root, "s2"))
        middle = children.index(end(root, "s2")) + 1
        last = children.index(end(root, "s3")) + 1
        for node in children[first:last]:
            p.remove(node)
        for node in [*children[middle + 1 : last], children[middle], *children[first:middle]]:
            p.append(node)

    found = problems_of(tamper(fresh, tmp_path, "word/document.xml", edit))
    assert {(p.code, p.sentence) for p in found if p.code == "sentence-order"} == {
        ("sentence-order", "s3")
    }, found


def test_removed_analysis_label_is_reported(fresh: Path, tmp_path: Path) -> None:
    def edit(root: etree._Element) -> None:
        label = runs_of(root, "s3")[0]
        assert "".join(str(t) for t in label.itertext()) == "Analysis:"
        detach(label)

    found = problems_of(tamper(fresh, tmp_path, "word/document.xml", edit))
    assert [(p.code, p.sentence) for p in found] == [("analysis-label", "s3")], found


def test_added_analysis_label_is_reported(fresh: Path, tmp_path: Path) -> None:
    def edit(root: etree._Element) -> None:
        first = runs_of(root, "s2")[0]
        first.addprevious(run("Analysis:", '<w:rStyle w:val="AnalysisLabel"/>'))
        first.addprevious(run(" "))

    found = problems_of(tamper(fresh, tmp_path, "word/document.xml", edit))
    assert has(found, "analysis-label", "s2", "is not analysis"), found
    assert not any(p.code == "sentence-differs" for p in found), found


def test_a_removed_sentence_bookmark_is_reported(fresh: Path, tmp_path: Path) -> None:
    def edit(root: etree._Element) -> None:
        for mark in (start(root, "s5"), end(root, "s5")):
            detach(mark)

    found = problems_of(tamper(fresh, tmp_path, "word/document.xml", edit))
    assert has(found, "sentence-missing", "s5", "bookmark"), found
    assert has(found, "note-reference", "s4", "footnote 4 is referenced outside every sentence")


# -- footnotes ---------------------------------------------------------------------------------


def _mark_after_the_bookmark(root: etree._Element) -> etree._Element:
    """Move the mark of s5 (note 4) right after the end of its bookmark, as LibreOffice
    writes the last sentence of a paragraph; the mark's run."""
    mark = runs_of(root, "s5")[-1]
    assert mark.find(w("footnoteReference")) is not None
    detach(mark)
    end(root, "s5").addnext(mark)
    return mark


def test_a_mark_right_after_its_sentence_bookmark_is_at_its_end(
    fresh: Path, tmp_path: Path
) -> None:
    def edit(root: etree._Element) -> None:
        _mark_after_the_bookmark(root)

    path = tamper(fresh, tmp_path, "word/document.xml", edit)
    assert bk.verify(path, sources=SEEDS).problems == ()


def test_a_mark_after_text_outside_the_sentence_is_not_its_mark(
    fresh: Path, tmp_path: Path
) -> None:
    def edit(root: etree._Element) -> None:
        _mark_after_the_bookmark(root).addprevious(run(" Also."))

    found = problems_of(tamper(fresh, tmp_path, "word/document.xml", edit))
    assert has(found, "note-reference", "s5", "footnote 4 is referenced outside every sentence")
    assert has(found, "note-missing", "s5", "note 4 (sentence s5)"), found
    assert has(found, "unlinked-text", "s5", "Also."), found


def test_edited_note_is_reported(fresh: Path, tmp_path: Path) -> None:
    def edit(root: etree._Element) -> None:
        t = next(t for t in root.iter(w("t")) if "line" in (t.text or ""))
        t.text = (t.text or "").replace("line", "page", 1)

    found = problems_of(tamper(fresh, tmp_path, "word/footnotes.xml", edit))
    assert [(p.code, p.sentence, p.note) for p in found] == [("note-differs", "s1", 1)], found


def test_hidden_text_in_a_note_is_reported(fresh: Path, tmp_path: Path) -> None:
    def edit(root: etree._Element) -> None:
        note = next(n for n in root.iter(w("footnote")) if n.get(w("id")) == "2")
        p = note.find(w("p"))
        assert p is not None
        p.append(run(" Also confirmed elsewhere.", '<w:color w:val="FFFFFF"/>'))

    found = problems_of(tamper(fresh, tmp_path, "word/footnotes.xml", edit))
    assert [(p.code, p.sentence, p.note) for p in found] == [("hidden-text", "s2", 2)], found
    assert "in footnote 2 (sentence s2)" in found[0].message


def test_text_in_the_footnote_separator_is_reported(fresh: Path, tmp_path: Path) -> None:
    def edit(root: etree._Element) -> None:
        sep = next(n for n in root.iter(w("footnote")) if n.get(w("type")) == "separator")
        p = sep.find(w("p"))
        assert p is not None
        p.append(run("Every page claims this."))

    found = problems_of(tamper(fresh, tmp_path, "word/footnotes.xml", edit))
    assert [p.code for p in found] == ["foreign-part"], found


def _add_footnote(parts: dict[str, bytes], number: int, text: str) -> None:
    notes = etree.fromstring(parts["word/footnotes.xml"])
    note = el(f'<w:footnote w:id="{number}"/>')
    note.append(para(el("<w:r><w:footnoteRef/></w:r>"), run(" " + text)))
    notes.append(note)
    parts["word/footnotes.xml"] = xml(notes)


def test_added_footnote_is_reported(fresh: Path, tmp_path: Path) -> None:
    parts = parts_of(fresh)
    _add_footnote(parts, 99, "Unsourced aside.")
    body = etree.fromstring(parts["word/document.xml"])
    runs_of(body, "s3")[-1].addnext(el('<w:r><w:footnoteReference w:id="99"/></w:r>'))
    parts["word/document.xml"] = xml(body)
    found = problems_of(write_zip(tmp_path / "t.docx", parts))
    assert has(found, "note-reference", "s3", "sentence s3 shows footnote 3"), found
    # the notes after it now show other numbers
    assert has(found, "note-number", "s4", "note 3 (sentence s4) is shown as footnote 4")


def test_unreferenced_footnote_is_reported(fresh: Path, tmp_path: Path) -> None:
    parts = parts_of(fresh)
    _add_footnote(parts, 99, "Unsourced aside.")
    found = problems_of(write_zip(tmp_path / "t.docx", parts))
    assert [p.code for p in found] == ["unreferenced-footnote"], found
    assert "'Unsourced aside.'" in found[0].message


def test_second_reference_in_a_sentence_is_reported(fresh: Path, tmp_path: Path) -> None:
    def edit(root: etree._Element) -> None:
        runs_of(root, "s2")[-1].addnext(el('<w:r><w:footnoteReference w:id="1"/></w:r>'))

    found = problems_of(tamper(fresh, tmp_path, "word/document.xml", edit))
    assert has(found, "note-reference", "s2", "second footnote"), found
    assert has(found, "note-reference", None, "same footnote as an earlier mark"), found


def test_note_mark_moved_into_its_sentence_is_reported(fresh: Path, tmp_path: Path) -> None:
    def edit(root: etree._Element) -> None:
        runs = runs_of(root, "s2")
        runs[0].addnext(runs[-1])  # the reference run after "Ash Carter said, "

    found = problems_of(tamper(fresh, tmp_path, "word/document.xml", edit))
    assert [(p.code, p.sentence) for p in found] == [("note-reference", "s2")], found
    assert "not at its end" in found[0].message


def test_removed_note_reference_is_reported(fresh: Path, tmp_path: Path) -> None:
    def edit(root: etree._Element) -> None:
        ref = runs_of(root, "s5")[-1]
        detach(ref)

    found = problems_of(tamper(fresh, tmp_path, "word/document.xml", edit))
    assert has(found, "note-missing", "s5", "shows no footnote reference"), found
    assert has(found, "unreferenced-footnote", None, "footnote id 4")


# -- a quotation edited in the body and in the embedded manifest to match -----------------------


def _weaker(text: str) -> str:
    return text.replace("never been stronger", "never been weaker")


def test_quotation_edited_in_the_body_alone_is_reported(fresh: Path, tmp_path: Path) -> None:
    parts = parts_of(fresh)
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"never been stronger", b"never been weaker"
    )
    found = problems_of(write_zip(tmp_path / "t.docx", parts))
    assert has(found, "sentence-differs", "s2", "'stronger' -> 'weaker'"), found


def test_quotation_edited_in_body_and_manifest_is_caught(fresh: Path, tmp_path: Path) -> None:
    parts = parts_of(fresh)
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"never been stronger", b"never been weaker"
    )
    item = etree.fromstring(parts["customXml/item1.xml"])
    old = _manifest.parse(item.text or "")
    sentences = tuple(
        attrs.evolve(
            s,
            text=_weaker(s.text),
            parts=tuple(attrs.evolve(p, text=_weaker(p.text)) for p in s.parts),
        )
        if s.id == "s2"
        else s
        for s in old.sentences
    )
    edited = attrs.evolve(old, sentences=sentences)
    assert (
        edited.sentences[1].text
        == "Ash Carter said, “Our alliance with Japan has never been weaker”."
    )
    item.text = _manifest.dumps(edited).decode("utf-8")
    parts["customXml/item1.xml"] = xml(item)
    path = write_zip(tmp_path / "t.docx", parts)

    checked = check(path)
    assert checked.manifest == edited
    assert checked.problems == ()  # the document shows what the edited manifest says …
    report = bk.verify(path, sources=SEEDS)
    assert not report.ok  # … but the manifest no longer agrees with its sources
    assert any(p.sentence == "s2" and p.code == "quote-shown" for p in report.problems), report


def test_a_given_manifest_is_what_the_document_is_checked_against(
    fresh: Path, tmp_path: Path
) -> None:
    other = bk.export(alliance_brief(bk.Corpus.from_dir(SEEDS), title="Other"), tmp_path / "o.json")
    found = check(fresh, _manifest.parse(other.read_bytes())).problems
    assert [(p.code, p.sentence) for p in found] == [("differs", None), ("unlinked-text", None)]
    assert "the title 'Other'" in found[0].message
    assert "'Alliance'" in found[1].message


def test_problems_do_not_depend_on_how_the_zip_is_written(fresh: Path) -> None:
    data = io.BytesIO()
    write_zip_bytes = parts_of(fresh)
    with zipfile.ZipFile(data, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, body in reversed(list(write_zip_bytes.items())):
            zf.writestr(name, body)
    assert read_docx(data.getvalue()).findings == ()


# -- documents as other programs leave them ----------------------------------------------------


def _unbookmark(root: etree._Element) -> None:
    for mark in [*root.iter(w("bookmarkStart")), *root.iter(w("bookmarkEnd"))]:
        detach(mark)


def test_without_bookmarks_the_visible_text_is_still_accounted_for(
    fresh: Path, tmp_path: Path
) -> None:
    assert bk.verify(tamper(fresh, tmp_path, "word/document.xml", _unbookmark), sources=SEEDS).ok

    def edit(root: etree._Element) -> None:
        detach(runs_of(root, "s3")[0])  # the Analysis label
        _unbookmark(root)

    found = problems_of(tamper(fresh, tmp_path, "word/document.xml", edit))
    assert [(p.code, p.sentence) for p in found] == [("differs", "s3")], found


def test_deep_nesting_is_a_read_error(fresh: Path, tmp_path: Path) -> None:
    def edit(root: etree._Element) -> None:
        holder = paragraph_of(root, "s2")
        for _ in range(300):
            tag = el("<w:smartTag/>")
            holder.append(tag)
            holder = tag

    with pytest.raises(bk.ReadError, match="nested more than"):
        bk.verify(tamper(fresh, tmp_path, "word/document.xml", edit), sources=SEEDS)


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_a_copy_saved_by_libreoffice_still_verifies(fresh: Path, tmp_path: Path) -> None:
    out = tmp_path / "saved"
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(fresh)],
        capture_output=True, check=True, timeout=180,
    )  # fmt: skip
    saved = out / fresh.name
    assert saved.read_bytes() != fresh.read_bytes()
    assert bk.verify(saved, sources=SEEDS).problems == ()


# -- the citations each footnote carries out of sight -------------------------------------------

_CNN = "000_28b258b49d188a62.txt"
_AFP = "002_a5ab00941732d00c.txt"
_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"


def _properties(root: etree._Element) -> dict[str, etree._Element]:
    """The custom document properties by name."""
    return {p.get("name", ""): p for p in root.iter(f"{{{_PROPS}}}property")}


def _records(root: etree._Element) -> dict[str, etree._Element]:
    """The custom document properties by name: their ``vt:lpwstr`` value elements."""
    return {name: p[0] for name, p in _properties(root).items()}


def _cite_marks(root: etree._Element, note: int) -> list[str]:
    fn = next(n for n in root.iter(w("footnote")) if n.get(w("id")) == str(note))
    return [b.get(w("name"), "") for b in fn.iter(w("bookmarkStart"))]


def test_each_footnote_marks_its_citations_with_hidden_bookmarks(fresh: Path) -> None:
    parts = parts_of(fresh)
    notes = etree.fromstring(parts["word/footnotes.xml"])
    assert [_cite_marks(notes, n) for n in (1, 2, 3, 4)] == [
        ["_bkc1_1", "_bkc1_2"],
        ["_bkc2_1"],
        ["_bkc3_1"],
        ["_bkc4_1"],
    ]
    names = [b.get(w("name"), "") for b in notes.iter(w("bookmarkStart"))]
    assert all(n.startswith("_") and len(n) <= 40 for n in names)  # hidden, Word's limit
    # each wraps the note's text, and every bookmark id of the document is its own
    body = etree.fromstring(parts["word/document.xml"])
    ids = [b.get(w("id")) for root in (body, notes) for b in root.iter(w("bookmarkStart"))]
    assert len(ids) == len(set(ids))
    records = {
        k: v.text for k, v in _records(etree.fromstring(parts["docProps/custom.xml"])).items()
    }
    assert records == {
        "_bkc1_1": f"{_CNN}:493-532",
        "_bkc1_2": f"{_AFP}:1535-1579",
        "_bkc2_1": f"{_CNN}:787-834",
        "_bkc3_1": f"{_AFP}:687-882",
        "_bkc4_1": f"{_CNN}:493-532",
    }
    assert b"custom-properties+xml" in parts["[Content_Types].xml"]
    assert b"docProps/custom.xml" in parts["_rels/.rels"]
    contents = read_docx(fresh)
    assert contents.note_bookmarks[1] == ("_bkc1_1", "_bkc1_2")
    assert contents.properties == records


def _set_record(name: str, value: str) -> Edit:
    def edit(root: etree._Element) -> None:
        _records(root)[name].text = value

    return edit


def _drop_record(name: str) -> Edit:
    def edit(root: etree._Element) -> None:
        detach(_properties(root)[name])

    return edit


def _swap_records(a: str, b: str) -> Edit:
    def edit(root: etree._Element) -> None:
        found = _records(root)
        found[a].text, found[b].text = found[b].text, found[a].text

    return edit


def _drop_mark(name: str) -> Edit:
    def edit(root: etree._Element) -> None:
        detach(end(root, name))
        detach(start(root, name))

    return edit


def _rename_mark(name: str, new: str) -> Edit:
    def edit(root: etree._Element) -> None:
        start(root, name).set(w("name"), new)

    return edit


@pytest.mark.parametrize(
    ("part", "edit", "note", "words"),
    [
        pytest.param("docProps/custom.xml", _set_record("_bkc2_1", f"{_CNN}:787-835"), 2,
                     (f"'{_CNN}:787-834' reads '{_CNN}:787-835'",), id="offset-changed"),
        pytest.param("docProps/custom.xml", _set_record("_bkc1_2", f"{_CNN}:1535-1579"), 1,
                     (f"'{_AFP}:1535-1579' reads '{_CNN}:1535-1579'",), id="source-changed"),
        pytest.param("docProps/custom.xml", _swap_records("_bkc1_1", "_bkc1_2"), 1,
                     ("another order",), id="reordered"),
        pytest.param("word/footnotes.xml", _drop_mark("_bkc1_2"), 1,
                     (f"'{_AFP}:1535-1579' missing",), id="bookmark-dropped"),
        pytest.param("docProps/custom.xml", _drop_record("_bkc1_1"), 1,
                     ("'_bkc1_1' has no record",), id="record-dropped"),
        pytest.param("word/footnotes.xml", _rename_mark("_bkc2_1", "_bkc3_1"), 2,
                     ("belongs to note 3",), id="bookmark-of-another-note"),
        pytest.param("word/footnotes.xml", _rename_mark("_bkc4_1", "_bkc4_2"), 4,
                     ("'_bkc4_2' has no record",), id="bookmark-renumbered"),
    ],
)  # fmt: skip
def test_a_tampered_citation_record_is_caught(
    fresh: Path, tmp_path: Path, part: str, edit: Edit, note: int, words: tuple[str, ...]
) -> None:
    found = problems_of(tamper(fresh, tmp_path, part, edit))
    assert {p.code for p in found} == {"note-cites"}, found  # what is shown is unchanged
    sentence = {1: "s1", 2: "s2", 3: "s4", 4: "s5"}[note]
    assert all((p.note, p.sentence) == (note, sentence) for p in found), found
    message = " | ".join(p.message for p in found)
    for word in words:
        assert word in message, message


def test_a_document_without_its_citation_records_is_caught(fresh: Path, tmp_path: Path) -> None:
    parts = parts_of(fresh)
    del parts["docProps/custom.xml"]
    found = problems_of(write_zip(tmp_path / "t.docx", parts))
    assert {(p.code, p.note) for p in found} == {("note-cites", n) for n in (1, 2, 3, 4)}
    assert sum("has no record" in p.message for p in found) == 5  # one per citation


def test_a_footnote_without_citation_bookmarks_or_records_is_caught(
    fresh: Path, tmp_path: Path
) -> None:
    parts = parts_of(fresh)
    props = etree.fromstring(parts["docProps/custom.xml"])
    detach(_properties(props)["_bkc3_1"])
    parts["docProps/custom.xml"] = xml(props)
    notes = etree.fromstring(parts["word/footnotes.xml"])
    _drop_mark("_bkc3_1")(notes)
    parts["word/footnotes.xml"] = xml(notes)
    found = problems_of(write_zip(tmp_path / "t.docx", parts))
    assert [(p.code, p.note, p.sentence) for p in found] == [("note-cites", 3, "s4")]
    assert (
        "its hidden citation record (bookmarks and document properties) is gone" in found[0].message
    )


def test_a_record_of_a_note_the_manifest_lacks_is_caught(fresh: Path, tmp_path: Path) -> None:
    def edit(root: etree._Element) -> None:
        extra = etree.fromstring(etree.tostring(_properties(root)["_bkc4_1"]))
        extra.set("name", "_bkc9_1")
        root.append(extra)

    found = problems_of(tamper(fresh, tmp_path, "docProps/custom.xml", edit))
    assert [p.code for p in found] == ["note-cites"]
    assert "'_bkc9_1' of note 9" in found[0].message


def test_the_suffix_libreoffice_gives_footnote_bookmarks_is_read_as_the_name(
    fresh: Path, tmp_path: Path
) -> None:
    # LibreOffice 7.4 renames the bookmarks of every footnote but the first on each save
    def edit(root: etree._Element) -> None:
        start(root, "_bkc2_1").set(w("name"), "_bkc2_1_Copy_1_Copy_1")
        start(root, "_bkc3_1").set(w("name"), "_bkc3_1_Copy_1")

    path = tamper(fresh, tmp_path, "word/footnotes.xml", edit)
    assert bk.verify(path, sources=SEEDS).problems == ()


def test_a_long_citation_record_goes_on_in_more_properties(tmp_path: Path) -> None:
    long_id = "a" * 200 + "/" + "b" * 200 + ".txt"
    src = bk.Source.from_text(long_id, "Troops stay in Japan.")
    brief = bk.Brief(title="T", key_points=[bk.sentence(src.quote("Troops stay"), ".")])
    path = bk.export(brief, tmp_path / "long.docx")
    assert check(path).problems == ()
    records = read_docx(path).properties
    assert set(records) == {"_bkc1_1", "_bkc1_1~2"}
    assert all(len(v) <= 255 for v in records.values())  # what Word keeps in one
    assert records["_bkc1_1"] + records["_bkc1_1~2"] == f"{long_id}:0-11"
