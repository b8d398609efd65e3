"""The DOCX source reader: the canonical text of a Word document's body and its sections, by the
rules documented in :mod:`briefkit.readers.docx`."""

from __future__ import annotations

import bisect
import io
import time
import zipfile
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

import briefkit.readers.docx as docx_reader
from briefkit.errors import SourceError
from briefkit.readers import Extraction, UnreadableSourceError, reader_for, reader_named
from briefkit.readers._common import heading_label
from briefkit.readers.docx import DocxReader, _format, _number_label
from make_docx import (
    Deleted,
    Field,
    Hidden,
    Inserted,
    RawXml,
    Symbol,
    Table,
    document_xml,
    make_docx,
    replace_parts,
    xml_part,
    zip_parts,
)

WHERE = "t.docx"


def _read(data: bytes) -> Extraction:
    return DocxReader().read(data, where=WHERE)


def _sections(extraction: Extraction) -> list[tuple[str, str]]:
    """(label, the paragraph the section starts with) of each section."""
    return [(m.label, extraction.text[m.start :].split("\n\n", 1)[0]) for m in extraction.sections]


def _body(xml: str, *, styles: str | None = None, numbering: str | None = None) -> bytes:
    """A python-docx package whose body is ``xml`` (and styles / numbering, when given)."""
    parts: dict[str, bytes | None] = {"word/document.xml": document_xml(xml)}
    if styles is not None:
        parts["word/styles.xml"] = xml_part("styles", styles)
    if numbering is not None:
        parts["word/numbering.xml"] = xml_part("numbering", numbering)
    return replace_parts(make_docx([]), parts)


def _r(text: str, rpr: str = "") -> str:
    props = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>'


def _p(inner: str, ppr: str = "") -> str:
    props = f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
    return f"<w:p>{props}{inner}</w:p>"


def _num(num_id: int, level: int) -> str:
    return f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'


# -- the reader ----------------------------------------------------------------------------------


def test_the_reader_is_registered_for_docx_files() -> None:
    reader = reader_named("docx")
    assert isinstance(reader, DocxReader)
    assert isinstance(reader_for("Contract.DOCX"), DocxReader)
    assert reader.options() == {}
    assert reader.library() == f"lxml {etree.__version__}"
    assert reader.record().to_json() == {
        "name": "docx",
        "version": "1",
        "library": f"lxml {etree.__version__}",
    }
    with pytest.raises(SourceError):
        reader_named("docx", {"headers": True})


# -- text ----------------------------------------------------------------------------------------


def test_paragraphs_are_blocks_and_empty_ones_are_left_out() -> None:
    got = _read(make_docx([("para", "One"), ("para", ""), ("para", "  \t "), ("para", "Two")]))
    assert got.text == "One\n\nTwo"
    assert got.paragraphs is True
    assert got.sections == ()
    assert got.url is None
    assert got.pages == ()


def test_a_document_without_text_reads_as_empty_text() -> None:
    assert _read(make_docx([])) == Extraction("", paragraphs=True)
    bodiless = zip_parts({"word/document.xml": xml_part("document", "")})
    assert _read(bodiless).text == ""


def test_tabs_breaks_and_special_characters() -> None:
    assert _read(make_docx([("para", "a\tb\nc")])).text == "a\tb\nc"
    run = (
        '<w:r><w:t>x</w:t><w:cr/><w:t>y</w:t><w:br w:type="page"/><w:t>z</w:t>'
        '<w:noBreakHyphen/><w:softHyphen/><w:ptab w:relativeTo="margin" '
        'w:alignment="right" w:leader="none"/><w:sym w:font="Symbol" w:char="2022"/>'
        '<w:sym w:font="Wingdings" w:char="F0E0"/><w:sym w:char="zz"/>'
        '<w:sym w:char="1F600"/></w:r>'
    )
    assert _read(_body(_p(run))).text == "x\ny\nz\u2011\u00ad\t•\U0001f600"


def test_text_is_kept_as_stored() -> None:
    got = _read(_body(_p(_r("  two  spaces ") + "<w:r><w:t> trimmed? </w:t></w:r>")))
    assert got.text == "  two  spaces  trimmed? "
    raw = RawXml("<w:r><w:t>\tas\nwritten </w:t></w:r>")
    assert _read(make_docx([("para", ["Run ", raw])])).text == "Run \tas\nwritten "


def test_symbols_from_private_use_fonts_are_dropped() -> None:
    got = _read(make_docx([("para", ["a", Symbol("F0B7"), Symbol("2013"), Symbol("E000"), "b"])]))
    assert got.text == "a\u2013b"


def test_control_characters_are_dropped() -> None:
    got = _read(_body(_p(_r("a&#127;b&#x85;c&#13;d") + '<w:r><w:sym w:char="0007"/></w:r>')))
    assert got.text == "abcd"


def test_tables_are_read_row_by_row_cell_by_cell() -> None:
    got = _read(
        make_docx([("para", "Before"), Table([["a1", "b1"], ["a2", "b2"]]), ("para", "After")])
    )
    assert got.text == "Before\n\na1\n\nb1\n\na2\n\nb2\n\nAfter"


def test_nested_tables_are_read_in_place_and_deleted_rows_left_out() -> None:
    inner = f"<w:tbl><w:tr><w:tc>{_p(_r('inner'))}</w:tc></w:tr></w:tbl>"
    table = (
        "<w:tbl><w:tblPr/><w:tblGrid/>"
        f"<w:tr><w:tc><w:tcPr/>{_p(_r('outer1'))}{inner}{_p('')}</w:tc>"
        f"<w:tc>{_p(_r('outer2'))}</w:tc></w:tr>"
        f'<w:tr><w:trPr><w:del w:id="1" w:author="a"/></w:trPr><w:tc>{_p(_r("gone"))}</w:tc></w:tr>'
        f'<w:tr><w:tc><w:tcPr><w:cellDel w:id="2" w:author="a"/></w:tcPr>{_p(_r("no"))}</w:tc>'
        f"<w:tc>{_p(_r('last'))}</w:tc></w:tr>"
        "</w:tbl>"
    )
    assert _read(_body(table)).text == "outer1\n\ninner\n\nouter2\n\nlast"


def test_content_controls_links_smart_tags_and_custom_xml_are_read() -> None:
    body = (
        f"<w:sdt><w:sdtPr><w:alias w:val='x'/></w:sdtPr><w:sdtContent>{_p(_r('block'))}"
        "</w:sdtContent></w:sdt>"
        + _p(
            "<w:sdt><w:sdtPr/><w:sdtContent>" + _r("run ") + "</w:sdtContent></w:sdt>"
            '<w:hyperlink r:id="rId99">' + _r("link ") + "</w:hyperlink>"
            '<w:smartTag w:uri="u" w:element="e"><w:smartTagPr/>' + _r("tag ") + "</w:smartTag>"
            '<w:customXml w:element="c">' + _r("custom") + "</w:customXml>"
        )
    )
    assert _read(_body(body)).text == "block\n\nrun link tag custom"


def test_text_boxes_drawings_and_alternate_content_are_left_out() -> None:
    box = (
        "<w:r><w:pict><v:shape><v:textbox><w:txbxContent>"
        + _p(_r("boxed"))
        + "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )
    alternate = (
        '<mc:AlternateContent><mc:Choice Requires="wps">'
        + _r("choice")
        + "</mc:Choice><mc:Fallback>"
        + _r("fallback")
        + "</mc:Fallback></mc:AlternateContent>"
    )
    drawing = "<w:r><w:drawing><wp:inline/></w:drawing></w:r>"
    got = _read(_body(_p(_r("Visible ") + box + alternate + drawing + _r("text"))))
    assert got.text == "Visible text"


def test_equations_are_read_and_ruby_guides_left_out() -> None:
    math = "<m:oMath><m:r><m:t>x=2</m:t></m:r></m:oMath>"
    ruby = (
        "<w:r><w:ruby><w:rubyPr/><w:rt>"
        + _r("かん")
        + "</w:rt><w:rubyBase>"
        + _r("漢")
        + "</w:rubyBase></w:ruby></w:r>"
    )
    assert _read(_body(_p(_r("so ") + math + _r(" and ") + ruby))).text == "so x=2 and 漢"


# -- hidden text, tracked changes, fields -------------------------------------------------------


def test_hidden_runs_are_left_out() -> None:
    got = _read(
        make_docx(
            [
                ("para", ["Seen ", Hidden("unseen "), "and ", Hidden("styled ", True), "seen"]),
                ("para", [Hidden("a wholly hidden paragraph")]),
                ("para", "end"),
            ]
        )
    )
    assert got.text == "Seen and seen\n\nend"


def test_hidden_text_through_styles_toggles() -> None:
    styles = (
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        "</w:style>"
        '<w:style w:type="paragraph" w:styleId="Secret"><w:name w:val="Secret"/>'
        "<w:rPr><w:vanish/></w:rPr></w:style>"
        '<w:style w:type="paragraph" w:styleId="MoreSecret"><w:basedOn w:val="Secret"/>'
        "</w:style>"
        '<w:style w:type="paragraph" w:styleId="Shown"><w:basedOn w:val="Secret"/>'
        '<w:rPr><w:vanish w:val="0"/></w:rPr></w:style>'
        '<w:style w:type="character" w:styleId="Hide"><w:rPr><w:vanish/></w:rPr></w:style>'
    )
    secret = '<w:pStyle w:val="Secret"/>'
    body = (
        _p(_r("in a hidden style"), secret)
        + _p(_r("based on it"), '<w:pStyle w:val="MoreSecret"/>')
        + _p(_r("shown again"), '<w:pStyle w:val="Shown"/>')
        + _p(_r("toggled back", '<w:rStyle w:val="Hide"/>'), secret)
        + _p(_r("direct off", '<w:vanish w:val="false"/>'), secret)
        + _p(_r("hidden char style", '<w:rStyle w:val="Hide"/>') + _r("plain"))
        + _p(_r("spec", "<w:specVanish/>") + _r("visible"))
    )
    got = _read(_body(body, styles=styles))
    assert got.text.split("\n\n") == [
        "shown again",
        "toggled back",
        "direct off",
        "plain",
        "visible",
    ]


def test_tracked_changes_are_accepted() -> None:
    got = _read(make_docx([("para", ["Kept ", Deleted("removed "), Inserted("added "), "end"])]))
    assert got.text == "Kept added end"
    moved = (
        '<w:moveFrom w:id="1" w:author="a">' + _r("old place") + "</w:moveFrom>"
        '<w:moveTo w:id="2" w:author="a">' + _r("new place") + "</w:moveTo>"
        "<w:r><w:delInstrText>PAGE</w:delInstrText><w:delText>x</w:delText></w:r>"
    )
    assert _read(_body(_p(moved))).text == "new place"


def test_a_deleted_paragraph_mark_joins_the_next_paragraph() -> None:
    deleted_mark = '<w:rPr><w:del w:id="9" w:author="a"/></w:rPr>'
    body = (
        _p(_r("Joined "), deleted_mark)
        + _p(_r("text"))
        + _p(f'<w:del w:id="3" w:author="a">{_r("all gone")}</w:del>', deleted_mark)
        + _p(_r("next"))
        + _p(_r("before a table"), deleted_mark)
        + f"<w:tbl><w:tr><w:tc>{_p(_r('cell'))}</w:tc></w:tr></w:tbl>"
    )
    assert _read(_body(body)).text == "Joined text\n\nnext\n\nbefore a table\n\ncell"


def test_a_paragraph_with_a_deleted_mark_is_not_counted_in_its_list() -> None:
    deleted_mark = '<w:rPr><w:del w:id="9" w:author="a"/></w:rPr>'
    body = (
        _p(_r("one"), _num(90, 0))
        + _p(
            f'<w:del w:id="3" w:author="a">{_r("deleted item")}</w:del>', _num(90, 0) + deleted_mark
        )
        + _p(_r("two"), _num(90, 0))
    )
    got = _read(_body(body))  # make_docx's numbering: list 90 is 1., 1.1., a), (i)
    assert _sections(got) == [("1", "one"), ("2", "two")]


def test_fields_show_their_results_not_their_codes() -> None:
    got = _read(
        make_docx(
            [
                (
                    "para",
                    ["Page ", Field(" PAGE ", "7"), " of ", Field("NUMPAGES", "9", simple=True)],
                )
            ]
        )
    )
    assert got.text == "Page 7 of 9"


def test_nested_fields_and_fields_across_paragraphs() -> None:
    def char(kind: str) -> str:
        return f'<w:r><w:fldChar w:fldCharType="{kind}"/></w:r>'

    def code(text: str) -> str:
        return f'<w:r><w:instrText xml:space="preserve">{text}</w:instrText></w:r>'

    nested = (
        char("begin")
        + code("IF ")
        + char("begin")
        + code("MERGEFIELD x")
        + char("separate")
        + _r("inner result")
        + char("end")
        + code(' = 1 "a" "b"')
        + char("separate")
        + _r("outer result")
        + char("end")
    )
    toc = _p(char("begin") + code("TOC \\o") + char("separate") + _r("Intro\t1")) + _p(
        _r("Scope\t2") + char("end")
    )
    unfinished = _p(_r("shown ") + char("begin") + code("never separated") + char("end"))
    got = _read(_body(_p(nested) + toc + unfinished))
    assert got.text == "outer result\n\nIntro\t1\n\nScope\t2\n\nshown "


# -- sections ------------------------------------------------------------------------------------


def test_headings_start_sections() -> None:
    long = "word " * 20
    got = _read(
        make_docx(
            [
                ("para", "Preface"),
                ("title", "A Report"),
                ("heading1", "Introduction"),
                ("para", "Body."),
                ("heading2", "3.2 Costs"),
                ("para", "More."),
                ("heading3", long),
            ]
        )
    )
    assert _sections(got) == [
        ("A Report", "A Report"),
        ("Introduction", "Introduction"),
        ("3.2", "3.2 Costs"),
        (heading_label(long), long),
    ]
    assert got.text.startswith("Preface\n\nA Report\n\n")


def test_headings_by_style_chain_and_outline_level() -> None:
    styles = (
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        "</w:style>"
        '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
        "</w:style>"
        '<w:style w:type="paragraph" w:styleId="Mine"><w:name w:val="Mine"/>'
        '<w:basedOn w:val="Heading1"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Kop2"><w:name w:val="heading 2"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Outlined"><w:name w:val="Outlined"/>'
        '<w:pPr><w:outlineLvl w:val="3"/></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="Body"><w:name w:val="Body"/>'
        '<w:basedOn w:val="Heading1"/><w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="Loop"><w:basedOn w:val="Loop"/></w:style>'
    )

    def styled(text: str, sid: str, more: str = "") -> str:
        return _p(_r(text), f'<w:pStyle w:val="{sid}"/>{more}')

    body = (
        styled("based on a heading", "Mine")
        + styled("localised id", "Kop2")
        + styled("outline level in style", "Outlined")
        + styled("body text level", "Body")
        + styled("direct body level", "Heading1", '<w:outlineLvl w:val="9"/>')
        + _p(_r("direct outline level"), '<w:outlineLvl w:val="0"/>')
        + styled("a loop", "Loop")
        + styled("unknown style", "Nope")
    )
    got = _read(_body(body, styles=styles))
    assert [label for label, _ in _sections(got)] == [
        "based on a heading",
        "localised id",
        "outline level in style",
        "direct outline level",
    ]


def test_numbered_paragraphs_are_labelled_as_word_numbers_them() -> None:
    got = _read(
        make_docx(
            [
                ("number1", "Alpha"),
                ("number1", "Beta"),
                ("number2", "Beta one"),
                ("number2", "Beta two"),
                ("number3", "lettered"),
                ("number3", "lettered again"),
                ("number4", "roman"),
                ("number4", "roman again"),
                ("number2", "Beta three"),
                ("number3", "restarted letter"),
                ("number1", "Gamma"),
                ("number2", "restarted after the outer level"),
                ("bullet", "a bullet"),
                ("para", "plain"),
                ("listnumber", "through its style"),
                ("listnumber", "and again"),
            ]
        )
    )
    assert _sections(got) == [
        ("1", "Alpha"),
        ("2", "Beta"),
        ("2.1", "Beta one"),
        ("2.2", "Beta two"),
        ("a", "lettered"),
        ("b", "lettered again"),
        ("i", "roman"),
        ("ii", "roman again"),
        ("2.3", "Beta three"),
        ("a", "restarted letter"),
        ("3", "Gamma"),
        ("3.1", "restarted after the outer level"),
        ("1", "through its style"),
        ("2", "and again"),
    ]
    # the numbers Word generates are not part of the text
    assert got.text.startswith("Alpha\n\nBeta\n\nBeta one\n\n")


def test_numbered_headings_are_labelled_by_their_number() -> None:
    got = _read(
        make_docx(
            [
                ("numheading1", "Scope"),
                ("para", "text"),
                ("numheading2", "Terms"),
                ("numheading2", "Fees"),
                ("numheading1", "7. Typed number"),
                ("numheading2", "Venue"),
                ("heading1", "Annex"),
                ("numheading3", "Deep"),
            ]
        )
    )
    assert _sections(got) == [
        ("1", "Scope"),
        ("1.1", "Terms"),
        ("1.2", "Fees"),
        ("2", "7. Typed number"),
        ("2.1", "Venue"),
        ("Annex", "Annex"),
        ("2.1.1", "Deep"),
    ]


def test_empty_numbered_paragraphs_count_and_hidden_ones_do_not() -> None:
    hidden_mark = "<w:rPr><w:vanish/></w:rPr>"
    body = (
        _p(_r("one"), _num(90, 0))
        + _p("", _num(90, 0))
        + _p(_r("hidden", "<w:vanish/>"), _num(90, 0) + hidden_mark)
        + _p(_r("three"), _num(90, 0))
    )
    got = _read(_body(body))
    assert _sections(got) == [("1", "one"), ("3", "three")]


NUMBERING = """
<w:abstractNum w:abstractNumId="1">
  <w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="upperRoman"/>
    <w:lvlText w:val="Article %1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimalZero"/><w:isLgl/>
    <w:lvlText w:val="Section %1.%2"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="upperLetter"/>
    <w:lvlRestart w:val="0"/><w:lvlText w:val="(%3)"/></w:lvl>
  <w:lvl w:ilvl="3"><w:numFmt w:val="ordinal"/><w:lvlText w:val="%4:"/></w:lvl>
  <w:lvl w:ilvl="4"><w:start w:val="1"/><w:numFmt w:val="none"/><w:lvlText w:val="%5"/></w:lvl>
  <w:lvl w:ilvl="5"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="note"/>
  </w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="2">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/>
  </w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>
    <w:lvlRestart w:val="1"/><w:lvlText w:val="%3)"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="3"><w:numStyleLink w:val="LinkedList"/></w:abstractNum>
<w:abstractNum w:abstractNumId="4"><w:styleLink w:val="LinkedList"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>
    <w:lvlText w:val="[%1]"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/>
  <w:lvlOverride w:ilvl="0"><w:startOverride w:val="10"/></w:lvlOverride></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="3"/></w:num>
<w:num w:numId="5"><w:abstractNumId w:val="4"/></w:num>
<w:num w:numId="6"><w:abstractNumId w:val="2"/>
  <w:lvlOverride w:ilvl="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperLetter"/>
    <w:lvlText w:val="%1."/></w:lvl></w:lvlOverride></w:num>
"""
LINKED_STYLES = (
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    "</w:style>"
    '<w:style w:type="numbering" w:styleId="LinkedList"><w:pPr>' + _num(5, 0) + "</w:pPr></w:style>"
    '<w:style w:type="paragraph" w:styleId="Clause"><w:pPr><w:numPr><w:numId w:val="3"/>'
    "</w:numPr></w:pPr></w:style>"
)


def test_numbering_formats_overrides_and_restarts() -> None:
    items = [
        (1, 0, "Article three"),
        (1, 1, "Legal numbering"),
        (1, 2, "First lettered"),
        (1, 2, "Second lettered"),
        (1, 0, "Article four"),
        (1, 2, "Never restarted"),
        (1, 3, "Other format"),
        (1, 4, "No number shown"),
        (1, 5, "No placeholder"),
        (2, 0, "Start override"),
        (2, 0, "After the override"),
        (3, 0, "Plain one"),
        (3, 2, "Lettered a"),
        (3, 1, "Level two"),
        (3, 2, "Not restarted by level two"),
        (3, 0, "Plain two"),
        (3, 2, "Restarted by level one"),
        (4, 0, "Through a style link"),
        (5, 0, "Same list"),
        (6, 0, "Level overridden"),
        (9, 0, "Unknown list"),
    ]
    body = "".join(_p(_r(text), _num(num, level)) for num, level, text in items)
    body += _p(_r("Numbered by its style"), '<w:pStyle w:val="Clause"/>')
    body += _p(_r("Numbering removed"), '<w:pStyle w:val="Clause"/>' + _num(0, 0))
    got = _read(_body(body, styles=LINKED_STYLES, numbering=NUMBERING))
    assert _sections(got) == [
        ("III", "Article three"),
        ("3.01", "Legal numbering"),
        ("A", "First lettered"),
        ("B", "Second lettered"),
        ("IV", "Article four"),
        ("C", "Never restarted"),
        ("0", "Other format"),
        ("X", "Start override"),
        ("XI", "After the override"),
        ("1", "Plain one"),
        ("a", "Lettered a"),
        ("1.1", "Level two"),
        ("b", "Not restarted by level two"),
        ("2", "Plain two"),
        ("a", "Restarted by level one"),
        ("a", "Through a style link"),
        ("b", "Same list"),
        ("C", "Level overridden"),
        ("4", "Numbered by its style"),
    ]


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [
        (3, "decimal", "3"),
        (3, "decimalZero", "03"),
        (12, "decimalZero", "12"),
        (1, "lowerLetter", "a"),
        (26, "upperLetter", "Z"),
        (27, "lowerLetter", "aa"),
        (54, "lowerLetter", "bbb"),
        (0, "lowerLetter", "0"),
        (4, "lowerRoman", "iv"),
        (1994, "upperRoman", "MCMXCIV"),
        (4000, "upperRoman", "4000"),
        (5, "ordinal", "5"),
        (5, "bullet", ""),
        (5, "none", ""),
    ],
)
def test_number_formats(value: int, fmt: str, shown: str) -> None:
    assert _format(value, fmt) == shown


@pytest.mark.parametrize(
    ("shown", "label"),
    [
        ("2.1.", "2.1"),
        ("(a)", "a"),
        ("[iv]", "iv"),
        ("3):", "3"),
        ("Article 3.", "3"),
        ("§ 4", "4"),
        ("Schedule 2", "Schedule 2"),
        ("  1 . ", "1"),
        ("•", None),
        ("()", None),
        ("x" * 80, "x" * 59 + "…"),
    ],
)
def test_number_labels(shown: str, label: str | None) -> None:
    assert _number_label(shown) == label


# -- the package ---------------------------------------------------------------------------------


def test_title_comes_from_the_core_properties() -> None:
    assert _read(make_docx([("para", "x")], title="  A\n  Title ")).title == "A Title"
    assert _read(make_docx([("para", "x")])).title is None


def test_the_main_part_is_found_through_the_relationships() -> None:
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="content/main.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="/meta/core.xml"/></Relationships>'
    )
    part_rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/styles" Target="../look.xml"/></Relationships>'
    )
    styles = (
        '<w:style w:type="paragraph" w:styleId="Big"><w:pPr><w:outlineLvl w:val="0"/></w:pPr>'
        "</w:style>"
    )
    core = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Moved</dc:title>'
        "</cp:coreProperties>"
    )
    package = zip_parts(
        {
            "_rels/.rels": rels.encode(),
            "content/main.xml": document_xml(
                _p(_r("Heading"), '<w:pStyle w:val="Big"/>') + _p(_r("text"))
            ),
            "content/_rels/main.xml.rels": part_rels.encode(),
            "look.xml": xml_part("styles", styles),
            "meta/core.xml": core.encode(),
        }
    )
    got = _read(package)
    assert (got.text, _sections(got), got.title) == (
        "Heading\n\ntext",
        [("Heading", "Heading")],
        "Moved",
    )


def test_without_relationships_the_content_types_or_the_usual_name_are_used() -> None:
    bare = zip_parts({"word/document.xml": document_xml(_p(_r("bare")))})
    assert _read(bare).text == "bare"
    types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Override PartName="/doc/x.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    typed = zip_parts(
        {"[Content_Types].xml": types.encode(), "doc/x.xml": document_xml(_p(_r("typed")))}
    )
    assert _read(typed).text == "typed"


def test_strict_wordprocessingml_is_read() -> None:
    strict = (
        b'<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body>'
        b'<w:p><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:r><w:t>Strict</w:t></w:r></w:p>'
        b"<w:p><w:r><w:t>text</w:t><w:tab/><w:t>here</w:t></w:r></w:p></w:body></w:document>"
    )
    got = _read(zip_parts({"word/document.xml": strict}))
    assert (got.text, _sections(got)) == ("Strict\n\ntext\there", [("Strict", "Strict")])


def _corrupt_deflate(package: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        info = zf.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    damaged = bytearray(package)
    for i in range(start + 10, start + info.compress_size - 10):
        damaged[i] ^= 0x55
    return bytes(damaged)


GOOD = make_docx([("para", "Hello world. " * 40)])
ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY e "boom">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&e;</w:t></w:r></w:p></w:body></w:document>"
)
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"
)
EXTERNAL = (
    b'<?xml version="1.0"?><!DOCTYPE w:document SYSTEM "file:///etc/passwd">'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body/></w:document>"
)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        pytest.param(b"", "not a readable zip", id="empty"),
        pytest.param(b"just some text", "not a readable zip", id="not-a-zip"),
        pytest.param(GOOD[: len(GOOD) // 2], "not a readable zip", id="truncated"),
        pytest.param(_corrupt_deflate(GOOD), "word/document.xml", id="damaged-member"),
        pytest.param(b"\xd0\xcf\x11\xe0" + bytes(600), "password-protected", id="ole"),
        pytest.param(
            replace_parts(GOOD, {"word/document.xml": None}),
            "main document part word/document.xml is missing",
            id="missing-main-part",
        ),
        pytest.param(
            zip_parts({"word/other.xml": b"<x/>"}), "no main document part", id="no-main-part"
        ),
        pytest.param(
            replace_parts(GOOD, {"word/document.xml": b"<w:document><w:body>"}),
            "word/document.xml: malformed XML",
            id="malformed",
        ),
        pytest.param(
            replace_parts(GOOD, {"word/styles.xml": b"<oops"}),
            "word/styles.xml: malformed XML",
            id="malformed-styles",
        ),
        pytest.param(
            replace_parts(GOOD, {"word/document.xml": ENTITY}),
            "word/document.xml: the XML has a document type declaration",
            id="entity",
        ),
        pytest.param(
            replace_parts(GOOD, {"word/document.xml": LAUGHS}),
            "document type declaration",
            id="billion-laughs",
        ),
        pytest.param(
            replace_parts(GOOD, {"word/document.xml": EXTERNAL}),
            "document type declaration",
            id="external-dtd",
        ),
        pytest.param(
            replace_parts(GOOD, {"word/document.xml": b"<html><body/></html>"}),
            "word/document.xml is not a WordprocessingML document",
            id="not-wordprocessingml",
        ),
    ],
)
def test_unreadable_files_are_refused(data: bytes, says: str) -> None:
    with pytest.raises(UnreadableSourceError) as caught:
        _read(data)
    message = str(caught.value)
    assert message.startswith(f"{WHERE}: ")
    assert says in message
    assert isinstance(caught.value, ValueError)


def test_parts_over_the_size_limit_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_reader, "MAX_PART_BYTES", 200)
    with pytest.raises(UnreadableSourceError, match=r"is larger than 200 bytes"):
        _read(GOOD)


# -- robustness ----------------------------------------------------------------------------------


def test_nesting_as_deep_as_the_parser_allows_is_read_without_recursion() -> None:
    sdt = "<w:sdt><w:sdtContent>" * 120 + _p(_r("deep block")) + "</w:sdtContent></w:sdt>" * 120
    tags = '<w:smartTag w:uri="u" w:element="e">' * 240 + _r("deep run") + "</w:smartTag>" * 240
    assert _read(_body(sdt + _p(tags))).text == "deep block\n\ndeep run"


@pytest.mark.parametrize("element", ["sdt", "smartTag"])
def test_pathologically_deep_nesting_is_refused_fast(element: str) -> None:
    opening = (
        "<w:sdt><w:sdtContent>" if element == "sdt" else '<w:smartTag w:uri="u" w:element="e">'
    )
    closing = "</w:sdtContent></w:sdt>" if element == "sdt" else "</w:smartTag>"
    body = _p(opening * 20_000 + _r("x") + closing * 20_000)
    package = replace_parts(GOOD, {"word/document.xml": document_xml(body)})
    started = time.perf_counter()
    with pytest.raises(UnreadableSourceError, match=r"word/document\.xml: elements nested too"):
        _read(package)
    # refused at once (0.02 s here); walking 40,000 levels deep would take minutes
    assert time.perf_counter() - started < 20.0


def test_a_thousand_paragraphs_read_quickly() -> None:
    blocks: list[Any] = []
    for i in range(1000):
        kind = "numheading1" if i % 50 == 0 else "number2" if i % 7 == 0 else "para"
        blocks.append((kind, f"Paragraph {i} with some words, a tab\tand a few more words."))
    package = make_docx(blocks)
    started = time.perf_counter()
    got = _read(package)
    # a bound for a gross regression, not a benchmark (about 0.3 s here)
    assert time.perf_counter() - started < 10.0
    assert got.text.count("\n\n") == 999
    assert len(got.sections) == 20 + len([i for i in range(1000) if i % 7 == 0 and i % 50])


def test_reading_is_deterministic() -> None:
    package = make_docx(
        [
            ("numheading1", "Scope"),
            ("para", ["a ", Hidden("b"), Field("PAGE", "1"), Deleted("x")]),
            ("number1", "clause"),
            Table([["c", "d"]]),
        ],
        title="T",
    )
    first = _read(package)
    assert all(_read(package) == first for _ in range(3))
    assert DocxReader().read(package, where="elsewhere.docx") == first


# -- the property --------------------------------------------------------------------------------

WORDS = st.text(
    alphabet=st.characters(categories=["L", "N"], exclude_characters="\u2028\u2029"),
    min_size=1,
    max_size=8,
)
TEXTS = st.lists(WORDS, min_size=1, max_size=8).map(" ".join)
KINDS = st.sampled_from(
    [
        "para",
        "para",
        "heading1",
        "heading2",
        "heading3",
        "numheading1",
        "numheading2",
        "numheading3",
        "number1",
        "number2",
        "bullet",
    ]
)


class _Counter:
    """The model of one list: Word's counters, deeper levels restarting."""

    def __init__(self) -> None:
        self.levels: list[int | None] = [None] * 9

    def advance(self, level: int) -> list[int]:
        current = self.levels[level]
        self.levels[level] = 1 if current is None else current + 1
        self.levels[level + 1 :] = [None] * (8 - level)
        return [1 if value is None else value for value in self.levels[: level + 1]]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(KINDS, TEXTS), min_size=1, max_size=25))
def test_every_paragraph_is_read_in_order_within_its_section(
    blocks: list[tuple[str, str]],
) -> None:
    got = _read(make_docx(blocks))
    assert got.text == "\n\n".join(text for _, text in blocks)
    lists = {"number": _Counter(), "numheading": _Counter()}
    expected = []
    offset = 0
    owner: list[int] = []  # per block, the index in ``expected`` of the section it is in
    for kind, text in blocks:
        label: str | None = None
        if kind.startswith(("number", "numheading")):
            numbers = lists[kind[:-1]].advance(int(kind[-1]) - 1)
            label = ".".join(str(n) for n in numbers)
        elif kind.startswith("heading"):
            label = heading_label(text)
        if label is not None:
            expected.append((offset, label))
        owner.append(len(expected) - 1)
        offset += len(text) + 2
    assert [(m.start, m.label) for m in got.sections] == expected
    starts = [m.start for m in got.sections]
    offset = 0
    for (_, text), section in zip(blocks, owner, strict=True):
        assert got.text[offset : offset + len(text)] == text
        assert bisect.bisect_right(starts, offset) - 1 == section
        offset += len(text) + 2
