"""A written PDF is PDF/A-3b and tagged PDF/UA-1: checked by a validator when one is
installed, and its structure read back with pypdf whatever is installed."""

from __future__ import annotations

import importlib.util
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import ImageCms
from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject

import briefkit as bk
from briefkit import mdbrief
from briefkit._text import shown
from briefkit.formats.pdf.checker import check
from briefkit.styles import DEFAULT_STYLE, CslStyle
from briefkit.testing import briefs
from briefs import EXAMPLE
from make_pdf import edit_content
from property.test_prop_export import workspace
from property.test_prop_pdf import drawable, drawable_files

MANIFEST_NAME = "briefkit-provenance.json"
NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}
ALT = (
    "Bar chart of U.S. troops in Japan by source: 50,000 according to CNN, 47,000 according "
    "to AFP's report on the Mattis visit, and 54,000 according to the overview of the "
    "alliance, on an axis from 0 to 60,000 troops"
)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example brief (examples/us-japan-alliance) as a PDF."""
    path = tmp_path_factory.mktemp("pdf-archival") / "brief.pdf"
    bk.export(mdbrief.load(EXAMPLE).brief, path)
    return path


def _root(path: Path) -> tuple[PdfReader, Any]:
    reader = PdfReader(path)
    return reader, reader.trailer["/Root"]


# -- validators ------------------------------------------------------------------------------


def _failures(data: bytes, profile: str) -> list[str]:
    page = pytest.importorskip(
        "page", reason="page-validation (a PDF/A and PDF/UA validator) is not installed"
    )
    report = page.validate_pdf_bytes(data, profile=profile)
    return [f"{f.rule_id}: {f.message}" for f in report.failures]


def test_the_validator_finds_no_pdfa3b_failure(example: Path) -> None:
    assert _failures(example.read_bytes(), "3b") == []


def test_the_validator_finds_no_pdfua1_failure(example: Path) -> None:
    assert _failures(example.read_bytes(), "ua1") == []


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=drawable_files, data=st.data())
def test_random_briefs_are_pdfa3b_and_pdfua1(files: dict[str, bytes], data: st.DataObject) -> None:
    pytest.importorskip("page", reason="page-validation is not installed")
    with workspace(files) as (_root, _out, corpus):
        pdf = bk.render(data.draw(briefs(corpus, keep=drawable), label="brief"), "pdf")
    assert _failures(pdf, "3b") == []
    assert _failures(pdf, "ua1") == []
    reader = PdfReader(io.BytesIO(pdf))
    _check_marks(reader, reader.trailer["/Root"])


# -- PDF/A-3b, read back ---------------------------------------------------------------------


def _xmp(root: Any) -> ET.Element:
    stream = root["/Metadata"].get_object()
    assert stream["/Type"] == "/Metadata"
    assert stream["/Subtype"] == "/XML"
    assert "/Filter" not in stream  # PDF/A: not compressed
    data = stream.get_data()
    assert b"bytes=" not in data.split(b"?>", 1)[0]
    return ET.fromstring(data.split(b"?>", 1)[1].rsplit(b"<?xpacket", 1)[0])


def _one(xmp: ET.Element, path: str) -> str:
    found = xmp.findall(f".//{path}", NS)
    assert len(found) == 1, path
    return "".join(found[0].itertext())


def _xmp_date(pdf_date: str) -> str:
    m = re.fullmatch(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)\+00'00'", pdf_date)
    assert m is not None, pdf_date
    y, mo, d, h, mi, s = m.groups()
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}+00:00"


def test_the_xmp_says_pdfa3b_and_pdfua1_and_matches_the_info(example: Path) -> None:
    reader, root = _root(example)
    xmp = _xmp(root)
    assert _one(xmp, "pdfaid:part") == "3"
    assert _one(xmp, "pdfaid:conformance") == "B"
    assert _one(xmp, "pdfuaid:part") == "1"
    info: Any = reader.trailer["/Info"].get_object()
    assert _one(xmp, "dc:title/rdf:Alt/rdf:li") == info["/Title"]
    assert _one(xmp, "dc:creator/rdf:Seq/rdf:li") == info["/Author"] == "briefkit example"
    assert _one(xmp, "dc:description/rdf:Alt/rdf:li") == info["/Subject"]
    assert _one(xmp, "xmp:CreatorTool") == info["/Creator"]
    assert _one(xmp, "pdf:Producer") == info["/Producer"]
    assert info["/CreationDate"] == info["/ModDate"] == "D:20261121000000+00'00'"
    assert _one(xmp, "xmp:CreateDate") == _xmp_date(info["/CreationDate"])
    assert _one(xmp, "xmp:ModifyDate") == _xmp_date(info["/ModDate"])
    assert set(info) == {
        "/Title",
        "/Author",
        "/Subject",
        "/Creator",
        "/Producer",
        "/CreationDate",
        "/ModDate",
    }


def test_the_manifest_and_the_figure_are_associated_files(example: Path) -> None:
    reader, root = _root(example)
    manifest = reader.attachments[MANIFEST_NAME][0]
    specs = [spec.get_object() for spec in root["/AF"]]
    assert [(s["/UF"], s["/AFRelationship"]) for s in specs] == [
        (MANIFEST_NAME, "/Data"),
        ("figure-1.png", "/Source"),
    ]
    stream = specs[0]["/EF"]["/F"].get_object()
    assert stream["/Subtype"] == "/application/json"  # written /application#2Fjson
    assert stream["/Params"]["/Size"] == len(manifest)
    assert stream["/Params"]["/ModDate"] == "D:20261121000000+00'00'"
    assert specs[1]["/EF"]["/F"].get_object()["/Subtype"] == "/image/png"
    assert b"/Subtype /application#2Fjson" in example.read_bytes()


def test_the_output_intent_is_srgb(example: Path) -> None:
    _, root = _root(example)
    (intent,) = [i.get_object() for i in root["/OutputIntents"]]
    assert intent["/S"] == "/GTS_PDFA1"
    assert intent["/OutputConditionIdentifier"] == "sRGB IEC61966-2.1"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3
    data = profile.get_data()
    from briefkit.formats.pdf._archival import SRGB_PROFILE

    assert data == SRGB_PROFILE  # the profile the package keeps, whatever LittleCMS is here
    assert data[12:20] == b"mntrRGB "  # a monitor profile of RGB
    opened = ImageCms.ImageCmsProfile(io.BytesIO(data))
    assert ImageCms.getProfileDescription(opened).strip() == "sRGB built-in"


def _streams(data: bytes) -> Iterator[tuple[int, int]]:
    """``(start of the data, /Length)`` of each stream object of a file reportlab wrote."""
    for m in re.finditer(rb"\nstream\n", data):
        head = data[data.rindex(b" obj\n", 0, m.start()) : m.start()]
        length = re.findall(rb"/Length (\d+)", head)
        assert len(length) == 1, head
        yield m.end(), int(length[0])


def test_every_stream_ends_its_data_with_an_end_of_line(example: Path) -> None:
    data = example.read_bytes()
    found = 0
    for start, length in _streams(data):
        assert data[start + length : start + length + 11] == b"\r\nendstream", start
        found += 1
    assert found > 10
    assert data[:9] == b"%PDF-1.4\n"
    assert all(b > 127 for b in data[10:14])  # the binary comment


def test_every_annotation_is_printed_and_says_where_it_leads(example: Path) -> None:
    reader = PdfReader(example)
    count = 0
    for page in _pages(reader):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            assert annot["/F"] == 4
            assert str(annot["/Contents"]).strip()
            count += 1
        assert page.get("/Annots") is None or page["/Tabs"] == "/S"
    assert count > 50


# -- PDF/UA-1, read back ---------------------------------------------------------------------


_SHOW = {"Tj", "TJ", "'", '"', "Do", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*"}


def _page_marks(reader: PdfReader, page: Any) -> list[int]:
    """The MCIDs of a page's marked content, in order; everything the page draws (text,
    an image, a path) is inside marked content."""
    depth = 0
    mcids: list[int] = []
    operations: list[tuple[Any, bytes]] = ContentStream(page.get_contents(), reader).operations
    for operands, op in operations:
        name = op.decode()
        if name in ("BMC", "BDC"):
            depth += 1
            props: Any = operands[1] if name == "BDC" else None
            if isinstance(props, dict) and "/MCID" in props:
                mcids.append(int(props["/MCID"]))
        elif name == "EMC":
            depth -= 1
        elif name in _SHOW:
            assert depth > 0, (name, operands)
    assert depth == 0
    return mcids


def _pages(reader: PdfReader) -> list[Any]:
    return list(reader.pages)


def _elements(root: Any) -> Iterator[Any]:
    stack: list[Any] = list(reversed(list(root["/StructTreeRoot"]["/K"])))
    while stack:
        elem: Any = stack.pop().get_object()
        yield elem
        kids = elem.get("/K")
        kids = kids if isinstance(kids, ArrayObject) else [kids] if kids is not None else []
        stack.extend(k for k in reversed(kids) if isinstance(k, IndirectObject))


def _content_of(elem: Any) -> Iterator[tuple[int, int]]:
    """``(page object number, MCID)`` of each marked-content reference of ``elem``."""
    kids: Any = elem.get("/K")
    kids = kids if isinstance(kids, ArrayObject) else [kids] if kids is not None else []
    kid: Any
    for kid in kids:
        if isinstance(kid, int):
            yield elem.raw_get("/Pg").idnum, int(kid)
        elif isinstance(kid, DictionaryObject) and kid.get("/Type") == "/MCR":
            mcid: Any = kid["/MCID"]
            yield kid.raw_get("/Pg").idnum, int(mcid)


def _check_marks(reader: PdfReader, root: Any) -> None:
    """Each MCID drawn on a page is the content of exactly one element, the one the parent
    tree names for it, and every element's content is drawn."""
    tree = root["/StructTreeRoot"]
    nums = tree["/ParentTree"]["/Nums"]
    parents = {int(nums[k]): nums[k + 1] for k in range(0, len(nums), 2)}
    referenced: dict[tuple[int, int], Any] = {}
    for elem in _elements(root):
        for key in _content_of(elem):
            assert key not in referenced, key
            referenced[key] = elem
    drawn: set[tuple[int, int]] = set()
    for page in _pages(reader):
        mcids = _page_marks(reader, page)
        assert mcids == list(range(len(mcids)))
        number = page.indirect_reference.idnum
        drawn.update((number, m) for m in mcids)
        owners = parents[int(page["/StructParents"])]
        assert [o.get_object() for o in owners] == [referenced[(number, m)] for m in mcids]
    assert drawn == set(referenced)


def test_every_mcid_is_the_content_of_one_element(example: Path) -> None:
    reader, root = _root(example)
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712  # pypdf's BooleanObject
    assert root["/Lang"] == "en-US"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    _check_marks(reader, root)


def test_each_link_is_the_object_of_a_link_element(example: Path) -> None:
    reader, root = _root(example)
    nums = root["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    parents = {int(nums[k]): nums[k + 1] for k in range(0, len(nums), 2)}
    links = 0
    for page in _pages(reader):
        for ref in page.get("/Annots") or []:
            link = parents[int(ref.get_object()["/StructParent"])].get_object()
            assert link["/S"] == "/Link"
            objr = [k for k in link["/K"] if isinstance(k, DictionaryObject)]
            assert [k.raw_get("/Obj").idnum for k in objr] == [ref.idnum]
            assert link["/P"].get_object()["/S"] in {
                "/P",
                "/BlockQuote",
                "/TOCI",
                "/Note",
                "/TD",
                "/LBody",
            }
            links += 1
    assert links > 50


def test_the_elements_are_the_brief_s_structure(example: Path) -> None:
    _, root = _root(example)
    elements = list(_elements(root))
    kinds = [str(e["/S"])[1:] for e in elements]
    assert kinds[:2] == ["Document", "H1"]  # the title
    assert {"H1", "H2", "P", "TOC", "TOCI", "L", "LI", "LBody", "Note", "Link"} <= set(kinds)
    assert {"BlockQuote", "Table", "Caption", "TR", "TH", "TD", "Figure"} <= set(kinds)
    (figure,) = [e for e in elements if e["/S"] == "/Figure"]
    assert figure["/Alt"] == ALT
    notes = [e for e in elements if e["/S"] == "/Note"]
    assert [n["/ID"] for n in notes] == [f"note-{k}" for k in range(1, len(notes) + 1)]
    for table in (e for e in elements if e["/S"] == "/Table"):
        rows = [k.get_object() for k in table["/K"] if k.get_object()["/S"] == "/TR"]
        widths = {len(row["/K"]) for row in rows}
        assert len(widths) == 1  # every row has a cell for each column
        header = [k.get_object() for k in rows[0]["/K"]]
        assert {c["/S"] for c in header} == {"/TH"}
        assert all(c["/A"]["/Scope"] == "/Column" for c in header)
        assert {k.get_object()["/S"] for row in rows[1:] for k in row["/K"]} == {"/TD"}
    for item in (e for e in elements if e["/S"] == "/LI"):
        assert [k.get_object()["/S"] for k in item["/K"]] == ["/LBody"]


def test_the_running_header_and_page_numbers_are_artifacts(example: Path) -> None:
    reader = PdfReader(example)
    page = reader.pages[1]
    ops = ContentStream(page.get_contents(), reader).operations
    opened = [k for k, (args, op) in enumerate(ops) if op == b"BDC" and args[0] == "/Artifact"]
    paginations = [k for k in opened if ops[k][0][1].get("/Type") == "/Pagination"]
    assert len(paginations) == 1
    shown_there = [
        args for args, op in ops[paginations[0] :] if op in (b"Tj", b"TJ") and args
    ]  # the header's text and the page's number
    assert len(shown_there) >= 2


# -- metadata that XML cannot hold as it is ----------------------------------------------------


def test_metadata_text_is_escaped_and_controls_are_their_pictures(tmp_path: Path) -> None:
    title = 'Costs <&> "benefits" \x1c now'
    brief = bk.Brief(title=title, sections=[bk.section("A", bk.paragraph(bk.analysis("X.")))])
    path = bk.export(brief, tmp_path / "b.pdf")
    reader, root = _root(path)
    xmp = _xmp(root)
    assert _one(xmp, "dc:title/rdf:Alt/rdf:li") == shown(title) == 'Costs <&> "benefits" \u241c now'
    info: Any = reader.trailer["/Info"].get_object()
    assert info["/Title"] == title
    # no author, no subtitle: no placeholder in the information dictionary, nothing in XMP
    assert "/Author" not in info and "/Subject" not in info
    assert xmp.findall(".//dc:creator", NS) == [] and xmp.findall(".//dc:description", NS) == []


# -- verify reads what is marked as an artifact ---------------------------------------------


def test_text_added_inside_an_artifact_is_still_unlinked(tmp_path: Path, example: Path) -> None:
    heading = b"(December 2016: Carter after the U.S. election)"

    def insert(data: bytes) -> bytes:
        at = data.rindex(b"\nq\n", 0, data.index(heading)) + 1
        font = re.search(rb"/(F\d+\+\d+) 10\.5 Tf", data)
        assert font is not None
        added = b"/Artifact BMC BT /%s 10.5 Tf 1 0 0 1 66 300 Tm (A new claim.) Tj ET EMC\n"
        return data[:at] + added % font.group(1) + data[at:]

    report = check(edit_content(example, tmp_path / "t.pdf", page=2, edit=insert))
    # drawn low on the page before the heading above it: out of reading order too
    assert {p.code for p in report.problems} == {"unlinked-text", "foreign-drawing"}
    unlinked = [p for p in report.problems if p.code == "unlinked-text"]
    assert "'A new claim.'" in unlinked[0].message


def test_no_font_maps_a_code_to_nothing(example: Path) -> None:
    """PDF/UA: no ToUnicode entry is U+0000 (reportlab writes one for each unused code)."""
    reader = PdfReader(example)
    seen = 0
    for page in _pages(reader):
        for font in page["/Resources"]["/Font"].values():
            cmap = font.get_object()["/ToUnicode"].get_object().get_data()
            entries = re.findall(rb"^<([0-9A-F]{2})> <([0-9A-F]{4})>$", cmap, re.MULTILINE)
            count = re.search(rb"(\d+) beginbfchar", cmap)
            assert count is not None and int(count.group(1)) == len(entries)
            assert entries and all(value != b"0000" for _, value in entries)
            seen += 1
    assert seen


def test_a_link_to_a_long_note_describes_it_shortly() -> None:
    """A link's description (``/Contents``) is a PDF string, which PDF/A caps at 32767 bytes:
    a note's mark is described by the note's number, however long the note."""
    words = " ".join(f"w{i:05d}" for i in range(600))
    src = bk.Source.from_text("long.txt", words)
    cites = [src.paraphrase(f"w{i:05d}") for i in range(500)]
    brief = bk.Brief(
        title="Long note",
        sections=[bk.section("A", bk.paragraph(bk.sentence("This cites 500 spans.", cite=cites)))],
    )
    plan = bk.NotePlan.build(brief, style=CslStyle(DEFAULT_STYLE, show_spans=True))
    assert len(plan.notes[0].text) > 20000
    data = bk.render(plan, "pdf")
    reader = PdfReader(io.BytesIO(data))
    described = [
        str(ref.get_object()["/Contents"])
        for page in reader.pages
        for ref in page.get("/Annots") or []
    ]
    assert "Note 1" in described
    assert max(len(d) for d in described) < 40
    if importlib.util.find_spec("page") is not None:
        assert _failures(data, "3b") == []
