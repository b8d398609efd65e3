"""Page references in DOCX: ``Table 1 on page 3``.

A cross-reference with its page (``bk.ref(id, page=True)``) is the phrase of
:func:`briefkit.plan.page_ref` inside the reference's internal hyperlink, its page a
``PAGEREF <target bookmark> \\h`` complex field marked dirty (Word computes it on opening;
``w:updateFields`` in the settings asks it to) whose result is written as ``?``: the page
cannot be known before the document is laid out. LibreOffice computes the field when it lays
the document out, so its PDF shows the real page, and a copy it saves holds the page and still
verifies. The reader takes the field's result as page furniture, not text; the checker wants
the field inside the reference's link, between the phrase's words, pointed at the target's
bookmark. A field pointed elsewhere, a result that is words, the phrase removed or the field
moved out of the link are each reported; the cached page number itself is not text (Word and
LibreOffice rewrite it) and is not checked.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

import briefkit as bk
from briefkit.formats.docx import DocxExporter
from briefkit.formats.docx.reader import PAGE_MARK, read_docx
from make_docx import parts_of, w, write_zip, xml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOC = "word/document.xml"
SEEDS = Path(__file__).resolve().parents[2] / "seeds"

Edit = Callable[[etree._Element], None]


def pages_brief(corpus: bk.Corpus, filler: int = 20) -> bk.Brief:
    """s1 refers to the section "Later" and to table 1 with their pages; the section
    "Later" stands after ``filler`` paragraphs (20: it starts on page 3 of an A4 page,
    where LibreOffice lays 18 to 22 out)."""
    cnn = corpus["000_28b258b49d188a62.txt"]
    t_cnn = cnn.figure(
        "50,000",
        unit="troops",
        within="US has 50,000 troops stationed in Japan",
        measure="U.S. troops in Japan",
    )
    troops = bk.table("Troops", ["Source", "Troops"], ["CNN", bk.sentence(t_cnn)], id="troops")
    see = bk.sentence(
        "See ",
        bk.ref("later", page=True),
        " and ",
        bk.ref("troops", page=True),
        ".",
        cite=cnn.paraphrase("US has 50,000 troops stationed in Japan"),
    )
    words = "takes room on the page without saying anything of substance, "
    fill = [
        bk.paragraph(bk.analysis(f"Filler paragraph {i} " + words * 6 + "and ends."))
        for i in range(filler)
    ]
    return bk.Brief(
        title="Pages",
        date="2026-01-01",
        sections=[
            bk.section("First", bk.paragraph(see), troops, *fill),
            bk.section("Later", bk.paragraph(bk.analysis("Here it is.")), id="later"),
        ],
    )


@pytest.fixture(scope="module")
def fresh(corpus: bk.Corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bk.export(pages_brief(corpus), tmp_path_factory.mktemp("docx-pages") / "pages.docx")


def document(path: Path) -> etree._Element:
    return etree.fromstring(parts_of(path)[DOC])


def tamper(fresh: Path, out: Path, edit: Edit) -> Path:
    parts = parts_of(fresh)
    root = etree.fromstring(parts[DOC])
    edit(root)
    parts[DOC] = xml(root)
    return write_zip(out / "tampered.docx", parts)


def codes(path: Path) -> set[str]:
    return {p.code for p in bk.verify(path, sources=SEEDS).problems}


def soffice(source: Path, target: str, out: Path) -> Path:
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{out}/lo",
         "--convert-to", target, "--outdir", str(out), str(source)],
        capture_output=True, check=True, timeout=180,
    )  # fmt: skip
    return out / f"{source.stem}.{target.split(':')[0]}"


needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)


# -- what the writer writes ------------------------------------------------------------------


def test_a_fresh_file_verifies(fresh: Path) -> None:
    assert bk.verify(fresh, sources=SEEDS).problems == ()


def test_the_page_is_a_dirty_pageref_field_inside_the_reference_link(fresh: Path) -> None:
    root = document(fresh)
    links = {link.get(w("anchor")): link for link in root.iter(w("hyperlink"))}
    for bookmark, phrase in (("sec-2", "“Later” on page "), ("table-1", "Table 1 on page ")):
        link = links[bookmark]
        texts = "".join(t.text or "" for t in link.iter(w("t")))
        assert texts == phrase + "?"  # the placeholder until the document is laid out
        begin = link.find(f".//{w('fldChar')}[@{w('fldCharType')}='begin']")
        assert begin is not None and begin.get(w("dirty")) == "true"
        instruction = "".join(t.text or "" for t in link.iter(w("instrText")))
        assert instruction.split() == ["PAGEREF", bookmark, "\\h"]
    settings = parts_of(fresh)["word/settings.xml"]
    assert b'<w:updateFields w:val="true"/>' in settings


def test_the_reader_reads_the_page_as_furniture(fresh: Path) -> None:
    contents = read_docx(fresh)
    assert [(f.instruction, f.result) for f in contents.page_fields] == [
        ("PAGEREF sec-2 \\h", "?"),
        ("PAGEREF table-1 \\h", "?"),
    ]
    texts = [link.text for link in contents.links if link.anchor in ("sec-2", "table-1")]
    assert texts == [f"“Later” on page {PAGE_MARK}", f"Table 1 on page {PAGE_MARK}"]
    assert not contents.findings


def test_settings_ask_for_an_update_only_with_fields(corpus: bk.Corpus, tmp_path: Path) -> None:
    cnn = corpus["000_28b258b49d188a62.txt"]
    plain = bk.Brief(
        title="Plain",
        date="2026-01-01",
        sections=[
            bk.section(
                "S",
                bk.paragraph(
                    bk.sentence("It says so.", cite=cnn.paraphrase("US has 50,000 troops"))
                ),
            )
        ],
    )
    out = bk.export(plain, tmp_path / "plain.docx")
    assert b"updateFields" not in parts_of(out)["word/settings.xml"]
    listed = bk.export(
        bk.Brief(title="Plain", date="2026-01-01", contents=True, sections=plain.sections),
        tmp_path / "listed.docx",
    )
    assert b"updateFields" in parts_of(listed)["word/settings.xml"]


def test_the_page_may_come_first(corpus: bk.Corpus, tmp_path: Path) -> None:
    out = bk.export(pages_brief(corpus, filler=1), tmp_path / "ja.docx", locale="ja")
    assert bk.verify(out, sources=SEEDS).problems == ()
    link = next(
        link for link in document(out).iter(w("hyperlink")) if link.get(w("anchor")) == "table-1"
    )
    texts = [t.text or "" for t in link.iter(w("t"))]
    assert texts[0] == "?" and "".join(texts[1:]).startswith("ページの")


def test_a_template_keeps_working(corpus: bk.Corpus, tmp_path: Path) -> None:
    import docx

    template = tmp_path / "template.docx"
    docx.Document().save(str(template))
    data = bk.render(pages_brief(corpus, filler=1), DocxExporter(template=template))
    out = tmp_path / "templated.docx"
    out.write_bytes(data)
    assert bk.verify(out, sources=SEEDS).problems == ()
    assert b"updateFields" in parts_of(out)["word/settings.xml"]


def test_a_page_reference_in_a_table_cell_verifies(corpus: bk.Corpus, tmp_path: Path) -> None:
    cnn = corpus["000_28b258b49d188a62.txt"]
    cell = bk.sentence(
        "As ",
        bk.ref("later", page=True),
        " says.",
        cite=cnn.paraphrase("US has 50,000 troops stationed in Japan"),
    )
    brief = bk.Brief(
        title="Cells",
        date="2026-01-01",
        sections=[
            bk.section("First", bk.table("T", ["Source", "Claim"], ["CNN", cell], id="t")),
            bk.section("Later", bk.paragraph(bk.analysis("Here it is.")), id="later"),
        ],
    )
    out = bk.export(brief, tmp_path / "cell.docx")
    assert bk.verify(out, sources=SEEDS).problems == ()
    assert len(read_docx(out).page_fields) == 1


# -- tampering -------------------------------------------------------------------------------


def _link(root: etree._Element, anchor: str = "sec-2") -> etree._Element:
    return next(x for x in root.iter(w("hyperlink")) if x.get(w("anchor")) == anchor)


def _instruction(root: etree._Element) -> etree._Element:
    return next(_link(root).iter(w("instrText")))


def _result(root: etree._Element) -> etree._Element:
    return next(t for t in _link(root).iter(w("t")) if t.text == "?")


def _point_elsewhere(root: etree._Element) -> None:
    _instruction(root).text = " PAGEREF sec-1 \\h "


def _other_switch(root: etree._Element) -> None:
    _instruction(root).text = " PAGEREF sec-2 \\p "


def _words(root: etree._Element) -> None:
    _result(root).text = "soon"


def _remove_phrase(root: etree._Element) -> None:
    link = _link(root)
    runs = list(link)
    for run in runs[1:]:  # the field and what follows it
        link.remove(run)
    first = next(link.iter(w("t")))
    first.text = "“Later”"


def _move_out(root: etree._Element) -> None:
    link = _link(root)
    runs = list(link)[1:]  # begin … end
    parent = link.getparent()
    assert parent is not None
    at = parent.index(link) + 1
    for k, run in enumerate(runs):
        link.remove(run)
        parent.insert(at + k, run)


def _page_number(root: etree._Element) -> None:
    _result(root).text = "7"


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (_point_elsewhere, {"page-ref"}),
        (_other_switch, {"page-ref"}),
        (_words, {"field", "sentence-differs", "link"}),
        (_remove_phrase, {"sentence-differs", "link"}),
        (_move_out, {"field", "sentence-differs", "link"}),
    ],
    ids=["pointed-elsewhere", "other-switch", "words", "phrase-removed", "moved-out"],
)
def test_tampering_is_caught(fresh: Path, tmp_path: Path, edit: Edit, expected: set[str]) -> None:
    assert codes(tamper(fresh, tmp_path, edit)) >= expected


def test_a_page_field_elsewhere_is_reported(fresh: Path, tmp_path: Path) -> None:
    def add(root: etree._Element) -> None:
        # a copy of the reference, page and all, after the sentence: no reference of the
        # manifest's stands there
        link = _link(root)
        paragraph = link.getparent()
        assert paragraph is not None
        paragraph.append(etree.fromstring(etree.tostring(link)))

    found = bk.verify(tamper(fresh, tmp_path, add), sources=SEEDS).problems
    assert [p.code for p in found if p.code == "page-ref"] == ["page-ref"]
    assert any("PAGEREF sec-2" in p.message for p in found if p.code == "page-ref")


def test_the_cached_page_number_is_not_text(fresh: Path, tmp_path: Path) -> None:
    """Word and LibreOffice write the page there: any page number verifies."""
    assert codes(tamper(fresh, tmp_path, _page_number)) == set()


# -- real readers ----------------------------------------------------------------------------


@needs_soffice
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_libreoffice_shows_the_real_page(fresh: Path, tmp_path: Path) -> None:
    pdf = soffice(fresh, "pdf", tmp_path)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    pages = text.split("\f")
    later = next(n for n, page in enumerate(pages, 1) if re.search(r"^\s*Later\s*$", page, re.M))
    table = next(n for n, page in enumerate(pages, 1) if "Table 1. Troops" in page)
    flat = " ".join(text.split())
    assert later == 3
    assert f"“Later” on page {later} and Table 1 on page {table}." in flat


@needs_soffice
def test_a_copy_saved_by_libreoffice_shows_the_page_and_verifies(
    fresh: Path, tmp_path: Path
) -> None:
    saved = soffice(fresh, "docx:MS Word 2007 XML", tmp_path / "saved")
    contents = read_docx(saved)
    assert [f.result for f in contents.page_fields] == ["3", "1"]
    assert bk.verify(saved, sources=SEEDS).problems == ()


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_reads_it(fresh: Path) -> None:
    shown = subprocess.run(
        ["pandoc", "-f", "docx", "-t", "plain", "--wrap=none", str(fresh)],
        capture_output=True, check=True, text=True, timeout=120,
    ).stdout  # fmt: skip
    assert "See “Later” on page ? and Table 1 on page ?." in shown


def test_a_page_reference_in_an_analysis_sentence_verifies(
    corpus: bk.Corpus, tmp_path: Path, seeds: Path
) -> None:
    """An analysis sentence is set in italics; the page number of its reference is furniture,
    not the author's emphasis, whatever look its field's result has."""
    cnn = corpus["000_28b258b49d188a62.txt"]
    troops = bk.table(
        "Troops",
        ["Source", "Troops"],
        ["CNN", bk.sentence(cnn.figure("50,000", within="US has 50,000 troops"))],
        id="troops",
    )
    see = bk.analysis(
        "Compare ", bk.ref("troops", page=True), " and ", bk.ref("troops", page=True), "."
    )
    brief = bk.Brief(title="P", sections=[bk.section("S", troops, bk.paragraph(see))])
    report = bk.verify(bk.export(brief, tmp_path / "b.docx"), sources=seeds)
    assert report.problems == (), [str(p) for p in report.problems]
