"""Tables and page furniture in DOCX.

A table is written as its ``Caption`` paragraph and a real ``w:tbl`` whose cells read as the
note plan says, with each cell sentence's bookmark and footnote reference; a fresh file
verifies, and every tampering with a table — an edited or swapped cell, an added or removed row
or column, hidden text in a cell, a relabelled header, a changed caption, a moved table — is
reported naming the table, row and column. Word's readers agree: python-docx, pandoc and
LibreOffice read the table and its notes. Every page has briefkit's page-number footer; a
template's header and footer are kept, and accepted only as they were written.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.shared import Inches
from lxml import etree

import briefkit as bk
from briefkit.formats.docx import DocxExporter
from briefkit.formats.docx.reader import read_docx
from briefkit.model import table
from briefs import SEEDS
from make_docx import Edit, body, el, has, parts_of, problems_of, tamper, w, write_zip, xml
from pandoc_json import inline_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


CAPTION = "Table 1. U.S. troops in Japan by source"


def run(text: str, rpr: str = "") -> etree._Element:
    props = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return el(f'<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>')


def tables_brief(corpus: bk.Corpus) -> bk.Brief:
    """Two paragraphs' sentences (s1, s2, notes 1–2); table 1 (s3–s7, notes 3–6; s7 is
    analysis); a paragraph after it (s8); the generated table of differences (table 2)."""
    cnn = corpus["000_28b258b49d188a62.txt"]
    afp = corpus["002_a5ab00941732d00c.txt"]
    crs = corpus["004_35db4e2c9c51291d.txt"]
    troops = "U.S. troops in Japan"
    t_cnn = cnn.figure(
        "50,000", unit="troops", within="US has 50,000 troops stationed in Japan", measure=troops
    )
    t_afp = afp.figure(
        "47,000",
        unit="troops",
        within="Some 47,000 US troops are stationed in Japan",
        measure=troops,
    )
    t_crs = crs.figure(
        "54,000",
        unit="U.S. troops",
        within="About 54,000 U.S. troops are stationed in Japan",
        measure=troops,
    )
    money = "Japan's host-nation support"
    c_cnn = cnn.figure(
        "$1.6 billion", within="the Japanese government pays $1.6 billion", measure=money
    )
    c_crs = crs.figure(
        "nearly $2 billion",
        unit="per year",
        within="The Japanese government currently provides nearly $2 billion per year",
        measure=money,
    )
    landing = cnn.paraphrase("Carter met upon landing with US troops")
    tab = table(
        "U.S. troops in Japan by source",
        ["Source", "U.S. troops", "Comment"],
        ["CNN", bk.sentence(t_cnn), bk.sentence("Carter met troops on landing.", cite=landing)],
        ["AFP", bk.sentence(t_afp), ""],
        ["CRS", bk.sentence("about ", t_crs), bk.analysis("The highest of the three.")],
        align=["left", "right", "left"],
    )
    return bk.Brief(
        title="Tables",
        date="2026-11-21",
        sections=[
            bk.section(
                "Forces",
                bk.paragraph(
                    bk.sentence("Japan pays ", c_cnn, " a year.", accept_numbers=["1.6"]),
                    bk.sentence("Another source says ", c_crs, "."),
                ),
                tab,
                bk.paragraph(bk.sentence("After the table, the text goes on.", cite=landing)),
            )
        ],
        differences=True,
        sources_appendix=True,
    )


@pytest.fixture(scope="module")
def brief(corpus: bk.Corpus) -> bk.Brief:
    return tables_brief(corpus)


@pytest.fixture(scope="module")
def fresh(brief: bk.Brief, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bk.export(brief, tmp_path_factory.mktemp("docx-tables") / "tables.docx")


def tbl(root: etree._Element, number: int = 1) -> etree._Element:
    return body(root).findall(w("tbl"))[number - 1]


def rows(root: etree._Element, number: int = 1) -> list[etree._Element]:
    return tbl(root, number).findall(w("tr"))


def cell(root: etree._Element, row: int, column: int, number: int = 1) -> etree._Element:
    """The ``w:tc`` of a table (row 0: the header row; column from 1)."""
    return rows(root, number)[row].findall(w("tc"))[column - 1]


def texts(el: etree._Element) -> list[etree._Element]:
    return list(el.iter(w("t")))


def set_text(el: etree._Element, text: str) -> None:
    """Put ``text`` in the first ``w:t`` under ``el`` and empty the others."""
    first, *rest = texts(el)
    first.text = text
    for t in rest:
        t.text = ""


def replace_text(el: etree._Element, old: str, new: str) -> None:
    t = next(t for t in texts(el) if old in (t.text or ""))
    t.text = (t.text or "").replace(old, new)


def detach(node: etree._Element) -> etree._Element:
    parent = node.getparent()
    assert parent is not None
    parent.remove(node)
    return node


def swap_content(a: etree._Element, b: etree._Element) -> None:
    """Swap the paragraphs of two cells."""
    pa = a.findall(w("p"))
    pb = b.findall(w("p"))
    for p in pa:
        detach(p)
    for p in pb:
        detach(p)
    a.extend(pb)
    b.extend(pa)


def new_row(*values: str) -> etree._Element:
    row = el("<w:tr/>")
    for value in values:
        tc = el("<w:tc/>")
        p = el("<w:p/>")
        if value:
            p.append(run(value))
        tc.append(p)
        row.append(tc)
    return row


# -- what is written -------------------------------------------------------------------------


def test_the_tables_read_as_the_plan_says(brief: bk.Brief, fresh: Path) -> None:
    plan = bk.NotePlan.build(brief)
    d = docx.Document(str(fresh))
    assert len(d.tables) == len(plan.tables) == 2
    for found, planned in zip(d.tables, plan.tables, strict=True):
        shown = [[c.text for c in row.cells] for row in found.rows]
        want = [list(planned.header)]
        for row in planned.rows:
            want.append(
                [
                    ("Analysis: " if c.sentence is not None and c.sentence.analysis else "")
                    + c.shown
                    for c in row
                ]
            )
        assert shown == want
    assert [[c.text for c in row.cells] for row in d.tables[0].rows][1] == [
        "CNN",
        "50,000 troops",
        "Carter met troops on landing.",
    ]
    # the caption stands right before its table, in the Caption style
    children = list(d.element.body)
    for found, planned in zip(d.tables, plan.tables, strict=True):
        before = children[children.index(found._tbl) - 1]
        assert before.tag == w("p")
        caption = next(p for p in d.paragraphs if p._p is before)
        assert caption.text == planned.label(plan.locale)
        assert caption.style is not None and caption.style.name == "Caption"
        assert caption.paragraph_format.keep_with_next
    assert next(p.text for p in d.paragraphs if p.style and p.style.name == "Caption") == CAPTION


def test_the_table_markup(fresh: Path) -> None:
    parts = parts_of(fresh)
    root = etree.fromstring(parts["word/document.xml"])
    t = tbl(root)
    props = t.find(w("tblPr"))
    assert props is not None
    assert props.find(w("tblStyle")).get(w("val")) == "BriefTable"  # type: ignore[union-attr]
    width = props.find(w("tblW"))
    assert width is not None and (width.get(w("w")), width.get(w("type"))) == ("5000", "pct")
    assert props.find(w("tblCaption")).get(w("val")) == CAPTION  # type: ignore[union-attr]
    assert props.find(w("tblLook")) is not None
    header, *body_rows = t.findall(w("tr"))
    assert header.find(f"{w('trPr')}/{w('tblHeader')}") is not None
    assert all(r.find(f"{w('trPr')}/{w('tblHeader')}") is None for r in body_rows)
    for tc in header.findall(w("tc")):  # header labels in bold
        assert all(r.find(f"{w('rPr')}/{w('b')}") is not None for r in tc.iter(w("r")))
    aligns = [
        [p.find(f"{w('pPr')}/{w('jc')}").get(w("val")) for p in r.iter(w("p"))]  # type: ignore[union-attr]
        for r in t.findall(w("tr"))
    ]
    assert aligns == [["left", "right", "left"]] * 4
    # the label column is plain text: no bookmark, no note, no style on its runs
    first = cell(root, 1, 1)
    assert first.find(f".//{w('bookmarkStart')}") is None
    assert [r.find(w("rPr")) for r in first.iter(w("r"))] == [None]
    # the table style has borders, defined in styles.xml
    styles = etree.fromstring(parts["word/styles.xml"])
    style = next(s for s in styles.iter(w("style")) if s.get(w("styleId")) == "BriefTable")
    assert style.get(w("type")) == "table"
    borders = style.find(f"{w('tblPr')}/{w('tblBorders')}")
    assert borders is not None
    assert borders.find(w("top")).get(w("val")) == "single"  # type: ignore[union-attr]
    ids = {s.get(w("styleId")) for s in styles.iter(w("style"))}
    assert {"Caption", "TableText", "TableHeading", "Footer"} <= ids


def test_cell_sentences_keep_their_bookmarks_and_notes(brief: bk.Brief, fresh: Path) -> None:
    plan = bk.NotePlan.build(brief)
    root = etree.fromstring(parts_of(fresh)["word/document.xml"])
    for planned, number in zip(plan.tables, (1, 2), strict=True):
        for r, row in enumerate(planned.rows, 1):
            for c, planned_cell in enumerate(row, 1):
                tc = cell(root, r, c, number)
                marks = [b.get(w("name")) for b in tc.iter(w("bookmarkStart"))]
                refs = [int(f.get(w("id"), "")) for f in tc.iter(w("footnoteReference"))]
                ps = planned_cell.sentence
                assert marks == ([ps.id] if ps else [])
                assert refs == ([ps.note] if ps and ps.note is not None else [])
                if ps is not None and ps.note is not None:  # the mark ends the sentence
                    last = list(tc.iter(w("r")))[-1]
                    assert last.find(w("footnoteReference")) is not None
    # the notes are numbered in reading order, row by row, with the notes around them
    contents = read_docx(fresh)
    noted = [s for s in plan.sentences if s.note is not None]
    assert [(r.ordinal, r.footnote_id, r.bookmark) for r in contents.references] == [
        (s.note, s.note, s.id) for s in noted
    ]
    assert [s.note for s in noted] == list(range(1, len(noted) + 1))
    assert contents.notes == {n.number: n.text for n in plan.notes}
    cells = {s.id for s in plan.sentences if s.block == "cell"}
    assert {"s3", "s4", "s5", "s6", "s7"} <= cells and "s8" not in cells


def test_the_reader_sees_the_grid(fresh: Path) -> None:
    first, second = read_docx(fresh).tables
    assert first.caption == first.alt == CAPTION
    assert [[c.text for c in row] for row in first.rows] == [
        ["Source", "U.S. troops", "Comment"],
        ["CNN", "50,000 troops", "Carter met troops on landing."],
        ["AFP", "47,000 troops", ""],
        ["CRS", "about 54,000 U.S. troops", "Analysis: The highest of the three."],
    ]
    assert [[c.bookmarks for c in row] for row in first.rows][1:] == [
        [(), ("s3",), ("s4",)],
        [(), ("s5",), ()],
        [(), ("s6",), ("s7",)],
    ]
    assert second.caption == "Table 2. Where the sources differ"
    assert [c.text for c in second.rows[0]] == ["Measure", "Value", "Source", "Date"]


def test_output_with_tables_is_deterministic(brief: bk.Brief) -> None:
    assert bk.render(brief, "docx") == bk.render(brief, "docx")


def test_a_paragraph_after_a_table_keeps_its_distance(fresh: Path) -> None:
    root = etree.fromstring(parts_of(fresh)["word/document.xml"])
    after = tbl(root).getnext()
    assert after is not None and after.tag == w("p")
    spacing = after.find(f"{w('pPr')}/{w('spacing')}")
    assert spacing is not None and int(spacing.get(w("before"), "0")) > 0


# -- verify ------------------------------------------------------------------------------------


def test_a_fresh_file_verifies(fresh: Path) -> None:
    report = bk.verify(fresh, sources=SEEDS)
    assert report.problems == ()
    assert report.ok
    assert read_docx(fresh).findings == ()


def _edit_label(root: etree._Element) -> None:
    set_text(cell(root, 1, 1), "BBC")


def _edit_sentence_cell(root: etree._Element) -> None:
    replace_text(cell(root, 1, 2), "50,000", "60,000")


def _swap_labels(root: etree._Element) -> None:
    swap_content(cell(root, 1, 1), cell(root, 2, 1))


def _swap_sentences(root: etree._Element) -> None:
    swap_content(cell(root, 1, 2), cell(root, 2, 2))


def _add_row(root: etree._Element) -> None:
    rows(root)[2].addnext(new_row("BBC", "40,000 troops", ""))


def _add_column(root: etree._Element) -> None:
    for k, row in enumerate(rows(root)):
        row.append(new_row("Checked" if k == 0 else "yes")[0])


def _remove_row(root: etree._Element) -> None:
    detach(rows(root)[2])


def _hide_in_cell(root: etree._Element) -> None:
    p = cell(root, 2, 3).find(w("p"))
    assert p is not None
    p.append(run("Troops are leaving.", "<w:vanish/>"))


def _hide_a_cell(root: etree._Element) -> None:
    for r in cell(root, 1, 1).iter(w("r")):
        r.insert(0, el('<w:rPr><w:color w:val="FFFFFF"/></w:rPr>'))


def _relabel_header(root: etree._Element) -> None:
    set_text(cell(root, 0, 2), "Chinese troops")


def _change_caption(root: etree._Element) -> None:
    caption = tbl(root).getprevious()
    assert caption is not None
    replace_text(caption, "U.S. troops", "Chinese troops")


def _move_table(root: etree._Element) -> None:
    # the caption and the table, after the paragraph that follows them
    t = tbl(root)
    caption = t.getprevious()
    after = t.getnext()
    assert caption is not None and after is not None
    after.addnext(detach(t))
    after.addnext(detach(caption))


def _move_table_from_its_caption(root: etree._Element) -> None:
    t = tbl(root)
    after = t.getnext()
    assert after is not None
    after.addnext(detach(t))


def _shift_a_cell(root: etree._Element) -> None:
    # the last cell of row 1 becomes the first of row 2: the reading order stays the same
    moved = detach(cell(root, 1, 3))
    row = rows(root)[2]
    first = row.find(w("tc"))
    assert first is not None
    first.addprevious(moved)


def _merge_cells(root: etree._Element) -> None:
    tc = cell(root, 2, 2)
    props = tc.find(w("tcPr"))
    assert props is not None
    props.append(el('<w:gridSpan w:val="2"/>'))
    detach(cell(root, 2, 3))


def _edit_alt_text(root: etree._Element) -> None:
    props = tbl(root).find(w("tblPr"))
    assert props is not None
    alt = props.find(w("tblCaption"))
    assert alt is not None
    alt.set(w("val"), "Table 1. Chinese troops in Japan")


def _edit_generated_table(root: etree._Element) -> None:
    set_text(cell(root, 1, 4, number=2), "January 1, 2020")


def _add_a_table(root: etree._Element) -> None:
    extra = el("<w:tbl/>")
    extra.append(new_row("Leaked", "figures"))
    sect = body(root).find(w("sectPr"))
    assert sect is not None
    sect.addprevious(extra)


def _sentence_into_a_label_cell(root: etree._Element) -> None:
    swap_content(cell(root, 2, 2), cell(root, 2, 1))


@pytest.mark.parametrize(
    ("edit", "code", "words"),
    [
        pytest.param(_edit_label, "differs", ("table 1, row 1, column 1", "'BBC'", "'CNN'"),
                     id="edited-label"),
        pytest.param(_edit_sentence_cell, "sentence-differs",
                     ("sentence s3 (table 1, row 1, column 2)", "replace '50' -> '60'"),
                     id="edited-sentence-cell"),
        pytest.param(_swap_labels, "differs", ("table 1, row 2, column 1", "'CNN'", "'AFP'"),
                     id="swapped-labels"),
        pytest.param(_swap_sentences, "differs",
                     ("table 1, row 1, column 2", "sentence s3", "holds sentence s5"),
                     id="swapped-sentences"),
        pytest.param(_add_row, "table-shape",
                     ("table 1 has a row the manifest does not", "after its row 2", "BBC"),
                     id="added-row"),
        pytest.param(_add_column, "table-shape", ("table 1 has 4 column(s) in every row, the manifest's 3", "adds 'Checked | yes | yes | yes'"),
                     id="added-column"),
        pytest.param(_remove_row, "table-shape",
                     ("table 1, row 2: the document does not show this row", "AFP"),
                     id="removed-row"),
        pytest.param(_hide_in_cell, "hidden-text",
                     ("table 1, row 2, column 3", "Troops are leaving."), id="hidden-run"),
        pytest.param(_hide_a_cell, "hidden-text", ("table 1, row 1, column 1", "CNN"),
                     id="hidden-cell"),
        pytest.param(_relabel_header, "differs",
                     ("table 1, header row, column 2", "'Chinese troops'", "'U.S. troops'"),
                     id="relabelled-header"),
        pytest.param(_change_caption, "differs",
                     ("table 1: the paragraph right before it reads", "Chinese troops"),
                     id="changed-caption"),
        pytest.param(_move_table, "table-place",
                     ("table 1 ('Table 1. U.S. troops in Japan by source') stands after sentence s8",
                      "puts it after sentence s2"),
                     id="moved-table"),
        pytest.param(_move_table_from_its_caption, "differs",
                     ("table 1: the paragraph right before it reads", "After the table"),
                     id="moved-from-its-caption"),
        pytest.param(_shift_a_cell, "table-shape", ("table 1, row 2 has a cell",),
                     id="cell-moved-to-another-row"),
        pytest.param(_merge_cells, "table-shape", ("table 1, row 2, column 2 spans 2 columns",),
                     id="merged-cells"),
        pytest.param(_edit_alt_text, "differs", ("table 1: its alternative text",),
                     id="edited-alt-text"),
        pytest.param(_edit_generated_table, "differs",
                     ("table 2, row 1, column 4", "'January 1, 2020'"), id="generated-table"),
        pytest.param(_add_a_table, "table-shape",
                     ("1 table(s) more than the manifest's 2", "Leaked"), id="added-table"),
        pytest.param(_sentence_into_a_label_cell, "differs",
                     ("table 1, row 2, column 1", "holds sentence s5", "label 'AFP'"),
                     id="sentence-in-a-label-cell"),
    ],
)  # fmt: skip
def test_tampering_with_a_table_is_reported(
    fresh: Path, tmp_path: Path, edit: Edit, code: str, words: tuple[str, ...]
) -> None:
    found = problems_of(tamper(fresh, tmp_path, edit))
    assert has(found, code, *words), found


def test_an_edited_cell_is_one_problem(fresh: Path, tmp_path: Path) -> None:
    found = problems_of(tamper(fresh, tmp_path, _edit_label))
    assert [(p.code, p.sentence) for p in found] == [("differs", None)], found
    found = problems_of(tamper(fresh, tmp_path, _edit_sentence_cell))
    assert [(p.code, p.sentence) for p in found] == [("sentence-differs", "s3")], found
    found = problems_of(tamper(fresh, tmp_path, _relabel_header))
    assert [p.code for p in found] == ["differs"], found
    found = problems_of(tamper(fresh, tmp_path, _change_caption))
    assert [p.code for p in found] == ["differs"], found


def test_a_hidden_run_in_a_cell_is_the_only_problem(fresh: Path, tmp_path: Path) -> None:
    found = problems_of(tamper(fresh, tmp_path, _hide_in_cell))
    assert [p.code for p in found] == ["hidden-text"], found
    assert "after sentence s5 (table 1, row 2, column 3; body paragraph" in found[0].message


def test_a_removed_table_is_reported(fresh: Path, tmp_path: Path) -> None:
    def edit(root: etree._Element) -> None:
        detach(tbl(root))

    found = problems_of(tamper(fresh, tmp_path, edit))
    assert has(found, "missing", "table 2", "does not show it (it has 1 table(s))"), found
    assert has(found, "sentence-missing", "sentence s3 (table 1, row 1, column 2)"), found


# -- other readers -----------------------------------------------------------------------------


def _pandoc_tables(node: Any, found: list[Any] | None = None) -> list[Any]:
    found = [] if found is None else found
    if isinstance(node, dict):
        if node.get("t") == "Table":
            found.append(node["c"])
            return found
        for value in node.values():
            _pandoc_tables(value, found)
    elif isinstance(node, list):
        for value in node:
            _pandoc_tables(value, found)
    return found


def _pandoc_cells(rows: list[Any]) -> list[list[list[Any]]]:
    """Each row's cells as their inline lists (a cell is one Plain block, or none)."""
    out = []
    for _attr, cells in rows:
        out.append([blocks[0]["c"] if blocks else [] for _a, _al, _rs, _cs, blocks in cells])
    return out


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_reads_the_table_and_its_notes(brief: bk.Brief, fresh: Path) -> None:
    out = subprocess.run(
        ["pandoc", "-f", "docx", "-t", "json", str(fresh)], capture_output=True, check=True
    )
    tables = _pandoc_tables(json.loads(out.stdout)["blocks"])
    assert len(tables) == 2
    _attr, _caption, _specs, head, bodies, _foot = tables[0]
    header = _pandoc_cells(head[1])
    assert [[inline_text(c) for c in row] for row in header] == [
        ["Source", "U.S. troops", "Comment"]
    ]
    body_rows = _pandoc_cells(bodies[0][3])
    plan = bk.NotePlan.build(brief)
    notes = {n.number: " ".join(n.text.split()) for n in plan.notes}
    for row, planned in zip(body_rows, plan.tables[0].rows, strict=True):
        for inlines, planned_cell in zip(row, planned, strict=True):
            ps = planned_cell.sentence
            shown = " ".join(inline_text(inlines).split())
            assert shown == " ".join(
                (("Analysis: " if ps and ps.analysis else "") + planned_cell.shown).split()
            )
            found = [i["c"] for i in inlines if i["t"] == "Note"]
            if ps is not None and ps.note is not None:
                assert [" ".join(inline_text(n[0]["c"]).split()) for n in found] == [notes[ps.note]]
            else:
                assert found == []


def _soffice(args: list[str], tmp_path: Path) -> None:
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", *args],
        capture_output=True, check=True, timeout=240,
    )  # fmt: skip


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)
def test_libreoffice_renders_the_table(brief: bk.Brief, fresh: Path, tmp_path: Path) -> None:
    _soffice(["--convert-to", "pdf", "--outdir", str(tmp_path), str(fresh)], tmp_path)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "tables.pdf"), "-"],
        capture_output=True, check=True, text=True,
    ).stdout  # fmt: skip
    flat = " ".join(text.split())
    assert CAPTION in flat
    lines = [" ".join(line.split()) for line in text.splitlines()]
    # a row's cells stand side by side on one line
    assert any(
        line.startswith("CNN 50,000 troops3 Carter met troops on landing.4") for line in lines
    )
    assert any(line.startswith("AFP 47,000 troops5") for line in lines)
    for note in bk.NotePlan.build(brief).notes:
        assert " ".join(note.text.split()) in flat
    # the footer numbers the pages
    pages = text.split("\f")
    assert [p.split()[-1] for p in pages if p.strip()][:2] == ["1", "2"]


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_a_copy_saved_by_libreoffice_still_verifies(fresh: Path, tmp_path: Path) -> None:
    out = tmp_path / "saved"
    _soffice(["--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(fresh)], tmp_path)
    saved = out / fresh.name
    assert saved.read_bytes() != fresh.read_bytes()
    assert bk.verify(saved, sources=SEEDS).problems == ()


# -- page furniture ----------------------------------------------------------------------------


def _rels(
    parts: dict[str, bytes], name: str = "word/_rels/document.xml.rels"
) -> dict[str, etree._Element]:
    root = etree.fromstring(parts[name])
    return {r.get("Id", ""): r for r in root.iter(f"{{{PKG}}}Relationship")}


def _section_refs(parts: dict[str, bytes]) -> list[tuple[str, str, str]]:
    """``(kind, type, target)`` of each header and footer the section refers to."""
    root = etree.fromstring(parts["word/document.xml"])
    sect = body(root).find(w("sectPr"))
    assert sect is not None
    rels = _rels(parts)
    return [
        (
            etree.QName(ref).localname.removesuffix("Reference"),
            ref.get(w("type"), ""),
            rels[ref.get(f"{{{R}}}id", "")].get("Target", ""),
        )
        for ref in sect
        if etree.QName(ref).localname in ("headerReference", "footerReference")
    ]


def test_every_page_has_a_page_number_footer(fresh: Path) -> None:
    parts = parts_of(fresh)
    assert _section_refs(parts) == [("footer", "default", "footer1.xml")]
    footer = etree.fromstring(parts["word/footer1.xml"])
    assert footer.tag == w("ftr")
    assert [t.text for t in footer.iter(w("instrText"))] == [" PAGE "]
    kinds = [f.get(w("fldCharType")) for f in footer.iter(w("fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    jc = footer.find(f"{w('p')}/{w('pPr')}/{w('jc')}")
    assert jc is not None and jc.get(w("val")) == "center"
    assert b'PartName="/word/footer1.xml"' in parts["[Content_Types].xml"]
    assert b"wordprocessingml.footer+xml" in parts["[Content_Types].xml"]
    d = docx.Document(str(fresh))
    assert d.sections[0].footer.paragraphs[0].text == "1"  # the field's result, until laid out


def _text_beside_the_page_number(root: etree._Element) -> None:
    p = root.find(w("p"))
    assert p is not None
    p.append(run(" Troops are leaving."))


def _text_instead_of_the_page_number(root: etree._Element) -> None:
    set_text(root, "Troops are leaving.")


def _text_as_the_field_result(root: etree._Element) -> None:
    set_text(root, "Troops are leaving")


def _hidden_text_in_the_footer(root: etree._Element) -> None:
    p = root.find(w("p"))
    assert p is not None
    p.append(run("Troops are leaving.", "<w:vanish/>"))


def _another_field(root: etree._Element) -> None:
    instr = next(root.iter(w("instrText")))
    instr.text = " DOCPROPERTY Title "


@pytest.mark.parametrize(
    "edit",
    [
        _text_beside_the_page_number,
        _text_instead_of_the_page_number,
        _text_as_the_field_result,
        _hidden_text_in_the_footer,
        _another_field,
    ],
)
def test_text_added_to_the_footer_is_reported(fresh: Path, tmp_path: Path, edit: Edit) -> None:
    found = problems_of(tamper(fresh, tmp_path, edit, "word/footer1.xml"))
    assert [(p.code, p.sentence) for p in found] == [("foreign-part", None)], found
    assert "text in word/footer1.xml" in found[0].message


def test_a_page_number_field_word_rewrites_is_still_furniture(fresh: Path, tmp_path: Path) -> None:
    def edit(root: etree._Element) -> None:
        next(root.iter(w("instrText"))).text = " PAGE   \\* MERGEFORMAT "
        set_text(root, "12")

    path = tamper(fresh, tmp_path, edit, "word/footer1.xml")
    assert bk.verify(path, sources=SEEDS).problems == ()


def test_a_header_added_after_writing_is_reported(fresh: Path, tmp_path: Path) -> None:
    parts = parts_of(fresh)
    parts["word/header1.xml"] = (
        f'<w:hdr xmlns:w="{W}"><w:p><w:r><w:t>Leaked draft</w:t></w:r></w:p></w:hdr>'
    ).encode()
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    rels.append(
        etree.fromstring(
            f'<Relationship xmlns="{PKG}" Id="rIdH" Target="header1.xml" Type="{R}/header"/>'
        )
    )
    parts["word/_rels/document.xml.rels"] = xml(rels)
    root = etree.fromstring(parts["word/document.xml"])
    sect = body(root).find(w("sectPr"))
    assert sect is not None
    sect.insert(
        0,
        etree.fromstring(
            f'<w:headerReference xmlns:w="{W}" xmlns:r="{R}" w:type="default" r:id="rIdH"/>'
        ),
    )
    parts["word/document.xml"] = xml(root)
    found = problems_of(write_zip(tmp_path / "t.docx", parts))
    assert [(p.code, p.message) for p in found] == [
        (
            "foreign-part",
            "text in word/header1.xml (a header briefkit did not write): 'Leaked draft'",
        )
    ], found


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"\x00\xff\x00\x00"  # one red pixel
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def house(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A house template: a header with text and a logo; no footer."""
    folder = tmp_path_factory.mktemp("house")
    (folder / "logo.png").write_bytes(_png())
    d = docx.Document()
    header = d.sections[0].header.paragraphs[0]
    header.text = "ACME Consulting — Confidential "
    header.add_run().add_picture(str(folder / "logo.png"), width=Inches(0.3))
    d.save(str(folder / "house.docx"))
    return folder / "house.docx"


@pytest.fixture(scope="module")
def with_header(brief: bk.Brief, house: Path) -> Path:
    return bk.export(brief, house.parent / "with-header.docx", format=DocxExporter(template=house))


def test_a_template_header_is_kept(brief: bk.Brief, with_header: Path, house: Path) -> None:
    parts = parts_of(with_header)
    refs = _section_refs(parts)
    assert refs == [("header", "default", "header1.xml"), ("footer", "default", "footer1.xml")]
    header = docx.Document(str(with_header)).sections[0].header
    assert header.paragraphs[0].text == "ACME Consulting — Confidential "
    # its picture came along, with its relationship and content type
    rels = _rels(parts, "word/_rels/header1.xml.rels")
    (picture,) = [r for r in rels.values() if r.get("Type", "").endswith("/image")]
    name = "word/" + picture.get("Target", "")
    assert parts[name] == _png()
    assert f'PartName="/{name}"'.encode() in parts["[Content_Types].xml"]
    props = read_docx(with_header).properties
    assert set(json.loads(props["briefkit_furniture"])) == {"header-default"}
    # the same template gives the same bytes
    assert bk.render(brief, DocxExporter(template=house)) == with_header.read_bytes()


def test_a_kept_header_verifies(with_header: Path) -> None:
    assert bk.verify(with_header, sources=SEEDS).problems == ()
    assert read_docx(with_header).findings == ()


def test_an_edited_template_header_is_reported(with_header: Path, tmp_path: Path) -> None:
    def edit(root: etree._Element) -> None:
        replace_text(root, "Confidential", "Troops are leaving")

    found = problems_of(tamper(with_header, tmp_path, edit, "word/header1.xml"))
    assert [p.code for p in found] == ["foreign-part"], found
    assert (
        "text in word/header1.xml (the header differs from the one the document was written with)"
        in found[0].message
    )
    assert "Troops are leaving" in found[0].message


def test_a_template_header_shown_as_the_footer_is_reported(
    with_header: Path, tmp_path: Path
) -> None:
    def edit(root: etree._Element) -> None:
        footer = next(r for r in root if r.get("Target") == "footer1.xml")
        footer.set("Target", "header1.xml")

    path = tamper(with_header, tmp_path, edit, "word/_rels/document.xml.rels")
    found = problems_of(path)
    assert [(p.code, p.message) for p in found] == [
        (
            "foreign-part",
            "text in word/header1.xml (a footer briefkit did not write): "
            "'ACME Consulting — Confidential'",
        )
    ], found


def test_a_picture_removed_from_a_template_header_is_reported(
    with_header: Path, tmp_path: Path
) -> None:
    def edit(root: etree._Element) -> None:
        for drawing in list(root.iter(w("drawing"))):
            detach(drawing)

    found = problems_of(tamper(with_header, tmp_path, edit, "word/header1.xml"))
    assert [p.code for p in found] == ["foreign-part"], found
    assert "the header differs from the one the document was written with" in found[0].message


def test_a_template_footer_replaces_the_page_number(brief: bk.Brief, tmp_path: Path) -> None:
    d = docx.Document()
    d.sections[0].footer.paragraphs[0].text = "ACME Consulting"
    d.save(str(tmp_path / "footer.docx"))
    path = bk.export(
        brief, tmp_path / "b.docx", format=DocxExporter(template=tmp_path / "footer.docx")
    )
    parts = parts_of(path)
    assert [k for k, _, _ in _section_refs(parts)] == ["footer"]
    assert b"ACME Consulting" in parts["word/footer1.xml"]
    assert b"PAGE" not in parts["word/footer1.xml"]
    assert bk.verify(path, sources=SEEDS).problems == ()


def test_a_template_header_with_a_chart_is_refused(tmp_path: Path, house: Path) -> None:
    with zipfile.ZipFile(house) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    rels_name = next(n for n in parts if n.startswith("word/_rels/header"))
    rels = etree.fromstring(parts[rels_name])
    rels.append(
        etree.fromstring(
            f'<Relationship xmlns="{PKG}" Id="rIdChart" Target="charts/chart1.xml" '
            f'Type="{R}/chart"/>'
        )
    )
    parts[rels_name] = xml(rels)
    parts["word/charts/chart1.xml"] = b"<c/>"
    template = write_zip(tmp_path / "chart.docx", parts)
    with pytest.raises(bk.ExportError, match=r"refers to word/charts/chart1\.xml \(chart\)"):
        DocxExporter(template=template)


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_a_kept_header_saved_by_libreoffice_still_verifies(
    with_header: Path, tmp_path: Path
) -> None:
    out = tmp_path / "saved"
    _soffice(
        ["--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(with_header)], tmp_path
    )
    saved = out / with_header.name
    assert bk.verify(saved, sources=SEEDS).problems == ()
