"""PDF: the table of contents (with each heading's page), figures (drawn, attached as they are,
with their alt text) and cross-references (internal links), and the checker's hold on each."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image as Pil
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

import briefkit as bk
from briefkit import mdbrief
from briefkit.formats.pdf.checker import check
from briefkit.formats.pdf.reader import read_pdf
from briefkit.problems import Problem

EXAMPLE = Path(__file__).parents[2] / "examples" / "us-japan-alliance"
CNN = "000_28b258b49d188a62.txt"
MATTIS = "002_a5ab00941732d00c.txt"
ALT = "Two bars: 50,000 troops according to CNN and 47,000 according to AFP"


def _chart(colours: tuple[tuple[int, int, int], ...] = ((40, 80, 160), (160, 60, 40))) -> bytes:
    img = Pil.new("RGB", (320, 160), (255, 255, 255))
    for k, colour in enumerate(colours):
        img.paste(colour, (40 + 140 * k, 30, 120 + 140 * k, 150))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _brief(corpus: bk.Corpus) -> bk.Brief:
    cnn, mattis = corpus[CNN], corpus[MATTIS]
    m = "U.S. troops in Japan"
    t_cnn = cnn.figure(
        "50,000", unit="troops", within="US has 50,000 troops stationed in Japan", measure=m
    )
    t_mat = mattis.figure(
        "47,000", unit="troops", within="Some 47,000 US troops are stationed in Japan", measure=m
    )
    chart = bk.image(
        _chart(),
        alt=ALT,
        caption=bk.sentence("U.S. troops in Japan: ", t_cnn, " (CNN) and ", t_mat, " (AFP)."),
        id="chart",
    )
    tab = bk.table(
        "Troops by source",
        ["Source", "Troops"],
        ["CNN", bk.sentence(t_cnn)],
        ["AFP", bk.sentence(t_mat)],
        id="troops",
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
    filler = [
        bk.paragraph(bk.analysis(f"Filler paragraph {k} keeps the next section on a later page."))
        for k in range(1, 60)
    ]
    return bk.Brief(
        title="Images and references",
        contents=True,
        sections=[
            bk.section("Forces", bk.paragraph(see), chart, tab, *filler),
            bk.section("More", bk.paragraph(bk.analysis("The dates differ.")), id="more"),
        ],
    )


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory, corpus: bk.Corpus) -> Path:
    path = tmp_path_factory.mktemp("pdf-images") / "brief.pdf"
    bk.export(_brief(corpus), path)
    return path


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf-example") / "brief.pdf"
    bk.export(mdbrief.load(EXAMPLE / "brief.md").brief, path)
    return path


def _codes(problems: tuple[Problem, ...]) -> set[str]:
    return {p.code for p in problems}


def _rewrite(src: Path, dst: Path, edit: Callable[[PdfWriter], None]) -> Path:
    writer = PdfWriter(clone_from=src)
    edit(writer)
    writer.write(dst)
    return dst


def _edit_page(src: Path, dst: Path, page: int, edit: Callable[[bytes], bytes]) -> Path:
    def change(writer: PdfWriter) -> None:
        target = writer.pages[page - 1]
        contents = target.get_contents()
        assert contents is not None
        data = contents.get_data()
        changed = edit(data)
        assert changed != data
        stream = ContentStream(None, writer)
        stream.set_data(changed)
        target.replace_contents(stream)

    return _rewrite(src, dst, change)


# -- fresh files -------------------------------------------------------------------------------


def test_the_example_builds_and_verifies(example: Path, seeds: Path) -> None:
    assert check(example).problems == ()
    report = bk.verify(example, sources=seeds)
    assert report.ok, report.problems


def test_a_small_brief_verifies_and_spans_pages(small: Path) -> None:
    assert check(small).problems == ()
    assert len(read_pdf(small).pages) >= 2


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_contents_page_numbers_are_the_pages_pdftotext_shows_the_headings_on(
    example: Path,
) -> None:
    out = subprocess.run(
        ["pdftotext", "-layout", str(example), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = out.split("\f")
    manifest = read_pdf(example).manifest
    assert manifest is not None
    first = pages[0]
    entries = re.findall(r"^ *(\S.*?\S) {2,}(\d+)$", first.split("Contents", 1)[1], re.M)
    assert len(entries) >= 8
    for text, number in entries:
        # the heading itself: a line that reads as it, after the contents
        want = "".join(text.split())
        found = []
        for k, page in enumerate(pages, 1):
            lines = [
                "".join(line.split())
                for line in (page if k > 1 else page.split(entries[-1][0], 1)[1]).splitlines()
            ]
            # a heading on one line, or wrapped over two
            if any(want in (a, a + b) for a, b in zip(lines, [*lines[1:], ""], strict=False)):
                found.append(k)
        assert found, text
        assert found[0] == int(number), (text, number, found)


def test_contents_entries_link_to_their_headings(example: Path) -> None:
    contents = read_pdf(example)
    first = contents.pages[0].ref_links
    assert [a for a, _ in first][:3] == ["key-points", "sec-1", "sec-1-1"]
    # the page numbers the contents show, in order (the last number is the page's own)
    shown = [o.text.strip() for o in contents.pages[0].objects if o.text.strip().isdigit()][:-1]
    assert all(page is not None for _a, page in first)
    assert [str(p) for _a, p in first] == shown[: len(first)]


def test_the_figure_is_attached_as_it_is(example: Path) -> None:
    data = (EXAMPLE / "figures" / "troops.png").read_bytes()
    reader = PdfReader(example)
    assert reader.attachments["figure-1.png"] == [data]
    manifest = read_pdf(example).manifest
    assert manifest is not None
    assert manifest.images[0].sha256 == hashlib.sha256(data).hexdigest()
    # and it is an associated file of the document, the source of the drawn image (beside
    # the manifest, the document's data)
    root: Any = reader.trailer["/Root"]
    associated = [spec.get_object() for spec in root["/AF"]]
    assert [(spec["/UF"], spec["/AFRelationship"]) for spec in associated] == [
        ("briefkit-provenance.json", "/Data"),
        ("figure-1.png", "/Source"),
    ]
    assert associated[1]["/EF"]["/F"].get_object()["/Subtype"] == "/image/png"


def test_the_figure_is_drawn_with_its_alt_text_above_its_caption(small: Path) -> None:
    page = read_pdf(small).pages[0]
    (image,) = page.images
    assert image.alt == ALT
    assert image.pixels.tobytes() == Pil.open(io.BytesIO(_chart())).convert("RGB").tobytes()
    caption = next(o for o in page.objects if o.text.startswith("Figure 1."))
    assert max(caption.y) < image.box[1]  # under the image
    width = image.box[2] - image.box[0]
    assert abs((image.box[0] + image.box[2]) / 2 - 595.2756 / 2) < 1, width  # centred on A4


def test_cross_references_are_links_to_their_targets(small: Path) -> None:
    contents = read_pdf(small)
    links = {a: p for page in contents.pages for a, p in page.ref_links}
    assert links["figure-1"] == 1
    assert links["table-1"] == 1
    assert (links["sec-2"] or 0) > 1  # "More" is on a later page
    assert "“More”" in contents.pages[0].text  # the visible text is the reference's


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
def test_the_contents_and_figure_pages_render(tmp_path: Path, small: Path) -> None:
    prefix = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", str(small), str(prefix)],
        check=True,
    )
    (png,) = tmp_path.glob("page*.png")
    img = Pil.open(png).convert("RGB")
    # the blue bar of the chart is drawn in the middle of the page
    colours: set[Any] = {img.getpixel((x, y)) for x in range(img.width) for y in range(img.height)}
    assert any(abs(r - 40) < 12 and abs(g - 80) < 12 and abs(b - 160) < 12 for r, g, b in colours)


def _encoded(mode: str, fmt: str) -> bytes:
    img = Pil.new("RGB", (64, 32), (255, 255, 255))
    for x in range(10, 40):
        for y in range(5, 30):
            img.putpixel((x, y), (x * 5, y * 7, 120))
    shown = img.convert(mode) if mode != "RGB" else img
    buf = io.BytesIO()
    shown.save(buf, fmt)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("mode", "fmt"),
    [("RGBA", "PNG"), ("L", "PNG"), ("P", "PNG"), ("RGB", "JPEG"), ("L", "JPEG")],
)
def test_pngs_and_jpegs_of_every_kind_verify(
    tmp_path: Path, corpus: bk.Corpus, mode: str, fmt: str
) -> None:
    data = _encoded(mode, fmt)
    caption = bk.sentence(
        "Troops: ", corpus[CNN].figure("50,000", within="US has 50,000 troops"), "."
    )
    brief = bk.Brief(
        title="T", sections=[bk.section("S", bk.image(data, alt="a", caption=caption))]
    )
    path = tmp_path / "brief.pdf"
    bk.export(brief, path)
    assert check(path).problems == ()
    suffix = "jpg" if fmt == "JPEG" else "png"
    assert PdfReader(path).attachments[f"figure-1.{suffix}"] == [data]


# -- tampering ---------------------------------------------------------------------------------


def test_a_swapped_image_is_caught(tmp_path: Path, small: Path) -> None:
    def swap(writer: PdfWriter) -> None:
        writer.pages[0].images[0].replace(Pil.open(io.BytesIO(_chart(((0, 160, 0),)))))

    problems = check(_rewrite(small, tmp_path / "t.pdf", swap)).problems
    assert _codes(problems) == {"image-differs"}, problems
    assert problems[0].message.startswith("figure 1: ")
    assert "pixels differ" in problems[0].message


def test_a_figure_in_optional_content_is_foreign(tmp_path: Path, small: Path) -> None:
    """The figure's image put in an optional content group: a viewer may leave it out (the
    group off by default, or turned off by its user), and the page then shows no figure."""

    def hide(writer: PdfWriter) -> None:
        group = DictionaryObject(
            {NameObject("/Type"): NameObject("/OCG"), NameObject("/Name"): TextStringObject("f")}
        )
        image: Any = writer.pages[0].images[0].indirect_reference
        image.get_object()[NameObject("/OC")] = writer._add_object(group)

    problems = check(_rewrite(small, tmp_path / "t.pdf", hide)).problems
    assert [p.message for p in problems if p.code == "foreign-drawing"] == [
        "page 1: optional content, which briefkit never draws"
    ], problems


@pytest.mark.parametrize(
    "mask", [[NumberObject(v) for v in (0, 255, 0, 255, 0, 255)], NameObject("/None")]
)
def test_a_masked_figure_is_foreign(tmp_path: Path, small: Path, mask: Any) -> None:
    """A colour-key ``/Mask`` (here one that leaves every pixel unpainted) or any ``/SMask``
    on the figure's image: its pixels still decode as the figure's, and the viewer paints
    fewer of them. briefkit flattens every image, so a mask is foreign."""

    def masked(writer: PdfWriter) -> None:
        image: Any = writer.pages[0].images[0].indirect_reference
        key = "/Mask" if isinstance(mask, list) else "/SMask"
        image.get_object()[NameObject(key)] = ArrayObject(mask) if isinstance(mask, list) else mask

    problems = check(_rewrite(small, tmp_path / "t.pdf", masked)).problems
    assert any(p.code == "foreign-drawing" and "masked images" in p.message for p in problems), (
        problems
    )


def test_a_replaced_attachment_is_caught(tmp_path: Path, small: Path) -> None:
    def replace(writer: PdfWriter) -> None:
        root: Any = writer.root_object
        names = root["/Names"]["/EmbeddedFiles"]["/Names"]
        k = [str(x) for x in names[::2]].index("figure-1.png")
        stream = names[2 * k + 1].get_object()["/EF"]["/F"].get_object()
        stream.set_data(_chart(((0, 160, 0),)))

    problems = check(_rewrite(small, tmp_path / "t.pdf", replace)).problems
    assert _codes(problems) == {"image-differs"}, problems
    assert problems[0].message.startswith("figure 1: the embedded figure-1.png")


def test_a_removed_attachment_is_caught(tmp_path: Path, small: Path) -> None:
    def remove(writer: PdfWriter) -> None:
        root: Any = writer.root_object
        names = root["/Names"]["/EmbeddedFiles"]["/Names"]
        k = [str(x) for x in names[::2]].index("figure-1.png")
        del names[2 * k : 2 * k + 2]
        del writer.root_object[NameObject("/AF")]

    problems = check(_rewrite(small, tmp_path / "t.pdf", remove)).problems
    assert _codes(problems) == {"image-source"}, problems
    assert "figure 1" in problems[0].message


def test_an_edited_alt_text_is_caught(tmp_path: Path, small: Path) -> None:
    old = ("FEFF" + ALT.encode("utf-16-be").hex().upper()).encode()
    new = ("FEFF" + ALT.replace("Two", "Six").encode("utf-16-be").hex().upper()).encode()
    edited = _edit_page(small, tmp_path / "t.pdf", 1, lambda d: d.replace(old, new))
    problems = check(edited).problems
    assert _codes(problems) == {"image-alt"}, problems
    assert problems[0].message.startswith("figure 1: its alt text is 'Six bars")


def test_an_added_image_is_caught(tmp_path: Path, small: Path) -> None:
    def add(writer: PdfWriter) -> None:
        page = writer.pages[0]
        resources: Any = page["/Resources"]
        name = next(
            k for k, v in resources["/XObject"].items() if v.get_object()["/Subtype"] == "/Image"
        )
        data = page.get_contents().get_data()  # type: ignore[union-attr]
        stream = ContentStream(None, writer)
        stream.set_data(data + f"\nq 40 0 0 20 60 60 cm {name} Do Q\n".encode())
        page.replace_contents(stream)

    problems = check(_rewrite(small, tmp_path / "t.pdf", add)).problems
    assert "image-extra" in _codes(problems), problems


def test_an_edited_caption_is_named_after_its_figure(tmp_path: Path, small: Path) -> None:
    edited = _edit_page(
        small, tmp_path / "t.pdf", 1, lambda d: d.replace(b"\\(CNN\\)", b"\\(CBS\\)", 1)
    )
    problems = check(edited).problems
    assert _codes(problems) == {"differs"}, problems
    assert "(the caption of figure 1)" in problems[0].message


def test_an_edited_figure_label_is_caught(tmp_path: Path, small: Path) -> None:
    edited = _edit_page(
        small,
        tmp_path / "t.pdf",
        1,
        lambda d: d[: d.rindex(b"(Figure")] + b"(Fugure" + d[d.rindex(b"(Figure") + 7 :],
    )
    problems = check(edited).problems
    assert any("the caption of figure 1" in p.message for p in problems), problems


def _contents_numbers(data: bytes) -> list[re.Match[bytes]]:
    return list(re.finditer(rb"\((\d+)\) Tj", data))


def test_a_wrong_contents_page_number_is_caught(tmp_path: Path, small: Path) -> None:
    def edit(data: bytes) -> bytes:
        second = _contents_numbers(data)[1]  # "More", on a later page
        return data[: second.start(1)] + b"1" + data[second.end(1) :]

    problems = check(_edit_page(small, tmp_path / "t.pdf", 1, edit)).problems
    assert _codes(problems) == {"differs"}, problems
    assert "the page number of entry 2 of the contents" in problems[0].message


def test_an_edited_contents_entry_is_caught(tmp_path: Path, small: Path) -> None:
    edited = _edit_page(small, tmp_path / "t.pdf", 1, lambda d: d.replace(b"(More)", b"(Mare)", 1))
    problems = check(edited).problems
    assert _codes(problems) == {"differs"}, problems
    assert "entry 2 of the contents" in problems[0].message


def test_a_removed_contents_entry_is_caught(tmp_path: Path, small: Path) -> None:
    def edit(data: bytes) -> bytes:
        at = data.index(b"(More)")
        start = data.rindex(b"BT", 0, at)
        number = _contents_numbers(data[at:])[0]
        end = data.index(b"ET", at + number.end()) + 2
        return data[:start] + data[end:]

    problems = check(_edit_page(small, tmp_path / "t.pdf", 1, edit)).problems
    assert problems
    assert any("entry 2 of the contents" in p.message for p in problems), problems


def test_an_added_contents_entry_is_caught(tmp_path: Path, small: Path) -> None:
    def edit(data: bytes) -> bytes:
        at = data.index(b"(More)")
        start = data.rindex(b"BT", 0, at)
        end = data.index(b"ET", at) + 2
        return data[:end] + b"\n" + data[start:end] + data[end:]

    problems = check(_edit_page(small, tmp_path / "t.pdf", 1, edit)).problems
    assert "unlinked-text" in _codes(problems) or "differs" in _codes(problems), problems


def test_a_link_to_the_wrong_page_is_caught(tmp_path: Path, small: Path) -> None:
    def retarget(writer: PdfWriter) -> None:
        annots: Any = writer.pages[0]["/Annots"]
        for annot in annots:
            link = annot.get_object()
            if str(link.get("/BriefkitRef")) == "sec-2":
                dest = link["/Dest"]
                link[NameObject("/Dest")] = ArrayObject(
                    [writer.pages[0].indirect_reference, *dest[1:]]
                )

    problems = check(_rewrite(small, tmp_path / "t.pdf", retarget)).problems
    assert _codes(problems) == {"link-differs"}, problems
    assert all("the link to sec-2 leads to page 1" in p.message for p in problems)
