"""Tables in PDF: laid out by the page-aware layout (a cell's note at the foot of the page where
its row is printed, the header row repeated on every page the table goes on to, no caption
or heading alone at the foot of a page), with a running header on every page but the first —
and verify accounts for all of it: each cell in its row and column, the caption, the header
labels and their repetitions, the running header. Each way of tampering with a table is
reported."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import briefkit as bk
from briefkit._text import ignorable, shown
from briefkit.formats.pdf import FontSet, GlyphCoverageError, PdfExporter
from briefkit.formats.pdf._fonts import RegisteredFonts
from briefkit.formats.pdf._layout import column_widths
from briefkit.formats.pdf.checker import check
from briefkit.formats.pdf.reader import PdfPage, TextObject, read_pdf
from briefkit.model import Table, table
from briefkit.problems import Problem
from briefkit.testing import briefs, source_bytes
from make_pdf import edit_content

TITLE = "Ledger of depots"

# -- documents -------------------------------------------------------------------------------


def _troops_brief(corpus: bk.Corpus) -> bk.Brief:
    """Two tables: an author's (a label column, figures, a comment column with an analysis
    cell and an empty one) and the generated one of where the sources differ."""
    cnn = corpus["000_28b258b49d188a62.txt"]
    mattis = corpus["002_a5ab00941732d00c.txt"]
    crs = corpus["004_35db4e2c9c51291d.txt"]
    measure = "U.S. troops in Japan"
    t_cnn = cnn.figure(
        "50,000", unit="troops", within="US has 50,000 troops stationed in Japan", measure=measure
    )
    t_mat = mattis.figure(
        "47,000",
        unit="troops",
        within="Some 47,000 US troops are stationed in Japan",
        measure=measure,
    )
    t_crs = crs.figure(
        "54,000",
        unit="U.S. troops",
        within="About 54,000 U.S. troops are stationed in Japan",
        measure=measure,
    )
    landing = cnn.paraphrase("Carter met upon landing with US troops")
    troops = table(
        "U.S. troops in Japan by source",
        ["Source", "U.S. troops", "Comment"],
        ["CNN", bk.sentence(t_cnn), bk.sentence("Carter met troops on landing.", cite=landing)],
        ["AFP", bk.sentence(t_mat), ""],
        ["CRS", bk.sentence("about ", t_crs), bk.analysis("The highest of the three.")],
        align=["left", "right", "left"],
    )
    return bk.Brief(
        title="Tables",
        sections=[
            bk.section(
                "Forces",
                bk.paragraph(bk.sentence("Troops met the secretary.", cite=landing)),
                troops,
                bk.paragraph(bk.sentence("After the table, the text goes on.", cite=landing)),
            )
        ],
        differences=True,
    )


def _ledger(root: Path, rows: int, *, filler: int = 0) -> bk.Brief:
    """A synthetic source of ``rows`` lines and a brief with a table of one cited figure a
    row (and an analysis cell every tenth row), after ``filler`` paragraphs."""
    root.mkdir(parents=True, exist_ok=True)
    lines = [f"Depot {k:04d} reported {1000 + 7 * k:,} crates shipped." for k in range(1, rows + 1)]
    (root / "ledger.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    src = bk.Corpus.from_dir(root)["ledger.txt"]
    body: list[list[str | bk.Sentence]] = []
    for k in range(1, rows + 1):
        value = f"{1000 + 7 * k:,}"
        fig = src.figure(value, unit="crates", within=f"Depot {k:04d} reported {value} crates")
        remark: str | bk.Sentence = ""
        if k % 10 == 0:
            remark = bk.analysis(f"Depot {k:04d} shipped more than the week before, as it did.")
        body.append([f"Depot {k:04d}", bk.sentence(fig), remark])
    fill = [bk.paragraph(bk.analysis(_FILLER)) for _ in range(filler)]
    return bk.Brief(
        title=TITLE,
        sections=[
            bk.section(
                "Shipments",
                *fill,
                table(
                    "Crates by depot",
                    ["Depot", "Crates", "Remark"],
                    *body,
                    align=["left", "right", "left"],
                ),
            )
        ],
    )


_FILLER = "Filler words push what follows down the page, " + "line after line, " * 8 + "to the end."


@pytest.fixture(scope="module")
def troops(tmp_path_factory: pytest.TempPathFactory, corpus: bk.Corpus) -> Path:
    path = tmp_path_factory.mktemp("troops") / "troops.pdf"
    return bk.export(_troops_brief(corpus), path)


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, float]:
    """The table of 2,000 rows: the PDF, its sources and how long the build took."""
    root = tmp_path_factory.mktemp("ledger")
    brief = _ledger(root / "src", 2000)
    began = time.monotonic()
    path = bk.export(brief, root / "ledger.pdf")
    return path, root / "src", time.monotonic() - began


@pytest.fixture(scope="module")
def ledger_pages(ledger: tuple[Path, Path, float]) -> tuple[PdfPage, ...]:
    return read_pdf(ledger[0]).pages


@pytest.fixture(scope="module")
def short_ledger(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A table of 100 rows, over three pages."""
    root = tmp_path_factory.mktemp("short")
    path = bk.export(_ledger(root / "src", 100), root / "ledger.pdf")
    return path, root / "src"


# -- reading pages ---------------------------------------------------------------------------


def _body(page: PdfPage) -> list[TextObject]:
    """The text objects of the page's body (before its notes, running header, number)."""
    objects = list(page.objects)
    end = len(objects) - (2 if page.number > 1 else 1)
    return objects[: min(end, page.rule if page.rule is not None else end)]


def _notes(page: PdfPage) -> list[TextObject]:
    """The text objects of the page's notes."""
    if page.rule is None:
        return []
    return list(page.objects[page.rule : len(page.objects) - (2 if page.number > 1 else 1)])


_ROW = re.compile(r"Depot (\d{4})")
_FIGURE = re.compile(r"[\d,]+ crates(\d+)")
_NOTE = re.compile(r"(\d+)\s*“Depot 0001")


def _codes(problems: tuple[Problem, ...] | list[Problem]) -> set[str]:
    return {p.code for p in problems}


def _one(problems: tuple[Problem, ...], code: str) -> Problem:
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, problems
    return found[0]


# -- tampering tools -------------------------------------------------------------------------


def _place(data: bytes, text: bytes) -> tuple[int, int, float, float]:
    """Where the ``x y`` of the ``cm`` that places the cell drawing ``(text)`` stand in
    ``data``, and their values."""
    at = data.index(b"(" + text + b")")
    start = data.rindex(b"q\n1 0 0 1 ", 0, at) + len(b"q\n1 0 0 1 ")
    end = data.index(b" cm", start)
    x, y = (float(v) for v in data[start:end].split())
    return start, end, x, y


def _move(data: bytes, text: bytes, *, x: float | None = None, y: float | None = None) -> bytes:
    """Draw the cell that shows ``text`` at another place."""
    start, end, x0, y0 = _place(data, text)
    new = f"{x0 if x is None else x} {y0 if y is None else y}".encode()
    return data[:start] + new + data[end:]


def _group(data: bytes, text: bytes) -> tuple[int, int]:
    """Where the group (``q … Q Q``) that draws ``(text)`` starts and ends."""
    at = data.index(b"(" + text + b")")
    start = data.rindex(b"q\n1 0 0 1 ", 0, at)
    return start, data.index(b"Q\nQ\n", at) + 4


def _font(data: bytes, before: bytes) -> bytes:
    """The regular font's name as the content stream sets it before ``(before``."""
    at = data.index(b"(" + before)
    found: list[bytes] = re.findall(rb"(/F\d+\+\d+) 9 Tf", data[:at])
    return found[-1]


# -- layout ----------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_a_row_reads_on_one_line_with_its_cells_in_order(troops: Path) -> None:
    text = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(troops), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    rows = [
        r"Table 1\. U\.S\. troops in Japan by source",
        r"Source\s+U\.S\. troops\s+Comment",
        r"CNN\s+50,000 troops\s*2\s+Carter met troops on landing\.\s*3",
        r"AFP\s+47,000 troops\s*4",
        r"CRS\s+about 54,000 U\.S\. troops\s*5\s+Analysis: The highest of the three\.",
    ]
    for row in rows:
        assert re.search(rf"^\s*{row}\s*$", text, re.M), (row, text)
    # in that order, one after the other
    at = [re.search(rf"^\s*{row}\s*$", text, re.M).start() for row in rows]  # type: ignore[union-attr]
    assert at == sorted(at)


def test_cells_stand_in_their_columns_aligned_as_asked(troops: Path) -> None:
    page = read_pdf(troops).pages[0]
    by_text: dict[str, TextObject] = {}
    for o in page.objects:  # the first table's (the second has a "Source" column too)
        by_text.setdefault(o.text, o)
    left = [by_text[t] for t in ("Source", "CNN", "AFP", "CRS")]
    assert len({round(o.x[0], 1) for o in left}) == 1  # left-aligned: one left edge
    right = [
        o for o in page.objects if re.fullmatch(r"(about )?\d\d,000 (U\.S\. )?troops\d", o.text)
    ][:3]  # the first table's
    # right-aligned: the marks (one digit each) end the cells at one right edge
    assert max(o.x[-1] for o in right) - min(o.x[-1] for o in right) < 1.5
    assert min(o.x[0] for o in right) > max(o.x[-1] for o in left)
    comment = by_text["Comment"]
    assert min(o.x[0] for o in right) < max(o.x[-1] for o in right) < comment.x[0]
    caption = next(o for o in page.objects if o.text.startswith("Table 1."))
    assert caption.y[0] > by_text["Source"].y[0] > by_text["CNN"].y[0] > by_text["AFP"].y[0]


def test_fresh_files_verify(troops: Path, seeds: Path) -> None:
    assert bk.verify(troops, sources=seeds).problems == ()


def test_a_cells_note_is_on_the_page_of_its_row(
    ledger: tuple[Path, Path, float], ledger_pages: tuple[PdfPage, ...]
) -> None:
    path, sources, built = ledger
    assert len(ledger_pages) > 40
    seen_rows: set[int] = set()
    for page in ledger_pages:
        rows = {int(m.group(1)) for o in _body(page) if (m := _ROW.fullmatch(o.text))}
        marks = {int(m.group(1)) for o in _body(page) if (m := _FIGURE.fullmatch(o.text))}
        notes = {int(m.group(1)) for o in _notes(page) if (m := _NOTE.match(o.text))}
        # row k cites the figure of note k: its mark, its note and its row on one page
        assert rows == marks == notes, page.number
        seen_rows |= rows
    assert seen_rows == set(range(1, 2001))
    began = time.monotonic()
    report = bk.verify(path, sources=sources)
    verified = time.monotonic() - began
    assert report.problems == ()
    print(
        f"2,000 rows: {len(ledger_pages)} pages, built in {built:.1f} s, verified in "
        f"{verified:.1f} s"
    )


def test_the_header_row_repeats_at_the_top_of_every_page_of_the_table(
    ledger_pages: tuple[PdfPage, ...],
) -> None:
    for page in ledger_pages:
        body = _body(page)
        first = next(k for k, o in enumerate(body) if _ROW.fullmatch(o.text))
        assert [o.text for o in body[first - 3 : first]] == ["Depot", "Crates", "Remark"]
        header_y = max(o.y[0] for o in body[first - 3 : first])
        assert all(o.y[0] < header_y for o in body[first:])
        if page.number > 1:  # the top of the page: nothing of the body above the header
            assert first == 3


def test_a_running_header_on_every_page_but_the_first(short_ledger: tuple[Path, Path]) -> None:
    path, _ = short_ledger
    pages = read_pdf(path).pages
    assert len(pages) >= 3
    assert [o.text for o in pages[0].objects].count(TITLE) == 1  # the title only
    for page in pages[1:]:
        running = page.objects[-2]
        assert running.text == TITLE
        assert min(running.y) > max(y for o in page.objects[:-2] for y in o.y)
        assert page.objects[-1].text == str(page.number)


def test_a_long_title_is_shortened_in_the_running_header(tmp_path: Path) -> None:
    root = tmp_path / "src"
    brief = _ledger(root, 60)
    long_title = "A very long title " * 12 + "end"
    path = bk.export(attrs.evolve(brief, title=long_title), tmp_path / "t.pdf")
    running = read_pdf(path).pages[1].objects[-2].text
    assert running.endswith("\u2026")
    assert long_title.startswith(running[:-1].rstrip())
    assert bk.verify(path, sources=root).problems == ()


@pytest.mark.parametrize("filler", range(0, 24, 2))
def test_no_heading_or_caption_is_left_alone_at_the_foot_of_a_page(
    tmp_path: Path, filler: int
) -> None:
    root = tmp_path / "src"
    brief = _ledger(root, 12, filler=filler)
    path = bk.export(brief, tmp_path / "t.pdf")
    pages = read_pdf(path).pages
    for page in pages:
        body = _body(page)
        last = body[-1].text
        assert last not in ("Shipments", "Table 1. Crates by depot"), (page.number, last)
    caption = next(p for p in pages if any(o.text.startswith("Table 1.") for o in _body(p)))
    texts = [o.text for o in _body(caption)]
    k = texts.index("Table 1. Crates by depot")
    assert texts[k + 1 : k + 5] == ["Depot", "Crates", "Remark", "Depot 0001"]
    if filler >= 8:
        assert bk.verify(path, sources=root).problems == ()


def test_a_row_taller_than_a_page_is_split_and_verifies(tmp_path: Path) -> None:
    root = tmp_path / "src"
    brief = _ledger(root, 3)
    words = " ".join(f"word{k}" for k in range(1400))
    section = brief.sections[0]
    first = section.blocks[0]
    assert isinstance(first, Table)
    tall = (*first.rows[0][:2], bk.analysis(words + "."))
    first = attrs.evolve(first, rows=(tall, *first.rows[1:]))
    brief = attrs.evolve(brief, sections=(attrs.evolve(section, blocks=(first,)),))
    path = bk.export(brief, tmp_path / "t.pdf")
    pages = read_pdf(path).pages
    holding = [p.number for p in pages if any("word" in o.text for o in _body(p))]
    assert len(holding) >= 2
    for number in holding[1:]:  # the header row comes first again, then the row goes on
        assert [o.text for o in _body(pages[number - 1])[:3]] == ["Depot", "Crates", "Remark"]
    assert bk.verify(path, sources=root).problems == ()


def test_words_wider_than_their_column_keep_inside_it(tmp_path: Path) -> None:
    root = tmp_path / "src"
    root.mkdir()
    text = "Alpha reported 1,234 items. " + "x" * 200 + " and soft\u00adhyphenated\u00adword."
    (root / "a.txt").write_text(text, encoding="utf-8")
    src = bk.Corpus.from_dir(root)["a.txt"]
    fig = src.figure("1,234", unit="items", within="Alpha reported 1,234 items")
    long_word = "y" * 120 + "\u00adz" * 40
    rows: list[list[str | bk.Sentence]] = [
        [f"L{k}", bk.sentence(fig), bk.analysis(long_word), bk.sentence("Qq" * 40, cite=[fig])]
        for k in range(4)
    ]
    brief = bk.Brief(
        title="Narrow",
        sections=[bk.section("S", table("Narrow", ["A", "B", "C", "D"], *rows))],
    )
    path = bk.export(brief, tmp_path / "t.pdf")
    assert check(path).problems == ()


def test_column_widths_share_the_width() -> None:
    # all fit: each its widest cell, the rest in proportion
    assert column_widths([10, 10], [100, 300], 800) == [200, 600]
    # too wide: a narrow column keeps its width, the others share the rest
    widths = column_widths([20, 30, 40], [50, 900, 600], 400)
    assert widths[0] == 50 and abs(sum(widths) - 400) < 1e-6
    assert widths[1] > widths[2]
    # longest words wider than the table: in proportion, but never narrower than a floor
    widths = column_widths([0, 900, 900], [0, 900, 900], 300)
    assert min(widths) >= 24 and abs(sum(widths) - 300) < 1e-6


_FONTS = RegisteredFonts(FontSet.discover())


def _drawable(ch: str) -> bool:
    return not _FONTS.uncovered(shown(ch), ignorable=ignorable)


_FILES = st.lists(
    st.tuples(
        st.sampled_from(["a.txt", "b.md", "sub/c.txt"]), source_bytes(0, 200, keep=_drawable)
    ),
    min_size=1,
    max_size=3,
    unique_by=lambda pair: pair[0],
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=_FILES, data=st.data(), filler=st.integers(0, 16))
def test_random_fresh_pdfs_with_tables_have_no_problem(
    tmp_path_factory: pytest.TempPathFactory,
    files: list[tuple[str, bytes]],
    data: st.DataObject,
    filler: int,
) -> None:
    pool = [bk.Source.from_bytes(name, raw) for name, raw in files]
    brief = data.draw(briefs(pool, keep=_drawable, tables=True), label="brief")
    if filler:  # push the random part across a page break at a random place
        pad = bk.section("Filler", *(bk.paragraph(bk.analysis(_FILLER)) for _ in range(filler)))
        brief = attrs.evolve(brief, sections=(pad, *brief.sections))
    try:
        pdf = bk.render(brief, PdfExporter())
    except GlyphCoverageError:
        return
    path = tmp_path_factory.mktemp("prop") / "b.pdf"
    path.write_bytes(pdf)
    assert check(path).problems == ()


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
def test_a_table_page_renders(tmp_path: Path, troops: Path) -> None:
    prefix = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", str(troops), str(prefix)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    assert list(tmp_path.glob("page*.png"))


# -- tampering -------------------------------------------------------------------------------


def test_an_edited_cell_is_named(tmp_path: Path, troops: Path, seeds: Path) -> None:
    path = edit_content(
        troops, tmp_path / "t.pdf", page=1, edit=lambda d: d.replace(b"(47,000", b"(48,000", 1)
    )
    report = bk.verify(path, sources=seeds)
    found = _one(report.problems, "differs")
    assert found.message.startswith(
        "page 1: sentence s4 (table 1, row 2, column 2) does not read as the manifest says"
    )
    assert "'47' -> '48'" in found.message
    assert found.sentence == "s4"


def test_two_cells_swapped_are_named(tmp_path: Path, troops: Path) -> None:
    def swap(data: bytes) -> bytes:
        return (
            data.replace(b"(CNN)", b"(\x00)")
            .replace(b"(AFP)", b"(CNN)")
            .replace(b"(\x00)", b"(AFP)")
        )

    problems = check(edit_content(troops, tmp_path / "t.pdf", page=1, edit=swap)).problems
    assert _codes(problems) == {"differs", "unlinked-text"}
    assert sorted(p.message for p in problems if p.code == "differs") == [
        "page 1: table 1, row 1, column 1 does not read as the manifest says: it is not shown",
        "page 1: table 1, row 2, column 1 does not read as the manifest says: it is not shown",
    ]
    unlinked = sorted(p.message for p in problems if p.code == "unlinked-text")
    assert unlinked[0].startswith("page 1: unlinked text after table 1, row 1, column 1")
    assert unlinked[0].endswith("'AFP'")
    assert unlinked[1].startswith("page 1: unlinked text after table 1, row 2, column 1")
    assert unlinked[1].endswith("'CNN'")


def test_a_cell_moved_to_another_column_is_named(tmp_path: Path, troops: Path) -> None:
    def move(data: bytes) -> bytes:  # the label of row 2 drawn in its empty third column
        return _move(data, b"AFP", x=_place(data, b"Comment")[2])

    problems = check(edit_content(troops, tmp_path / "t.pdf", page=1, edit=move)).problems
    found = _one(problems, "table-cell")
    assert found.message == (
        "page 1: table 1, row 2, column 1 is drawn in column 3, not within column 1"
    )
    # read in the file's order the row is unchanged, but the page shows the label after the
    # cell drawn after it: out of reading order too
    assert _codes(problems) == {"table-cell", "foreign-drawing"}


def test_two_cells_swapped_in_place_are_named(tmp_path: Path, troops: Path) -> None:
    def swap(data: bytes) -> bytes:
        x2 = _place(data, b"50,000 troops")[2]
        x3 = _place(data, b"Carter met troops on landing.")[2]
        data = _move(data, b"50,000 troops", x=x3)
        return _move(data, b"Carter met troops on landing.", x=x2)

    problems = check(edit_content(troops, tmp_path / "t.pdf", page=1, edit=swap)).problems
    # the row shows its cells in another order than it is read in
    assert _codes(problems) == {"table-cell", "foreign-drawing"}
    assert sorted(p.message for p in problems if p.code == "table-cell") == [
        "page 1: table 1, row 1, column 2 is drawn in column 3, not within column 2",
        "page 1: table 1, row 1, column 3 is drawn in column 2, not within column 3",
    ]
    assert {p.sentence for p in problems if p.code == "table-cell"} == {"s2", "s3"}


def test_rows_drawn_out_of_order_are_named(tmp_path: Path, troops: Path) -> None:
    def swap(data: bytes) -> bytes:
        first, third = _place(data, b"CNN")[3], _place(data, b"CRS")[3]
        for text in (b"CNN", b"50,000 troops", b"Carter met troops on landing."):
            data = _move(data, text, y=third)
        for text in (b"CRS", b"about 54,000 U.S. troops"):
            data = _move(data, text, y=first)
        return data

    problems = check(edit_content(troops, tmp_path / "t.pdf", page=1, edit=swap)).problems
    # the rows read in the file's order, and the page shows them the other way round
    assert problems and _codes(problems) == {"table-row", "foreign-drawing"}
    assert any(
        p.message == "page 1: row 2 of table 1 is not drawn below row 1 of table 1"
        for p in problems
    ), problems


def test_text_after_a_cell_in_its_text_object_is_no_cell(tmp_path: Path, troops: Path) -> None:
    """The paragraph after the table drawn in the text object of the last row's last cell,
    which stands beside the cell before it as it should: the paragraph's two lines go in the
    gaps of that cell's lines (spread out), so the page shows them inside the table. The
    text reads in the file's order; only the cell may stand beside, not what follows it."""

    def interleave(data: bytes) -> bytes:
        for old, new in (
            (  # the row's middle cell on three lines, 24 pt apart
                b"12 TL 0 0 0 rg /F2+0 9 Tf 12 TL (about 54,000 U.S. troops) Tj",
                b"24 TL 0 0 0 rg /F2+0 9 Tf 24 TL (about) Tj T* (54,000) Tj T* (U.S. troops) Tj",
            ),
            (  # the paragraph drawn after the last cell, back in the middle column
                b"(The highest of the three.) Tj T* ET",
                b"(The highest of the three.) Tj -171.0311 -12 Td /F2+0 9 Tf "
                b"(After the table,) Tj 0 -24 Td (the text goes on.) Tj ET",
            ),
            (  # and taken from where it stood
                b"14.5 TL (After the table, the text goes on.) Tj",
                b"14.5 TL",
            ),
        ):
            assert old in data, old
            data = data.replace(old, new, 1)
        return data

    problems = check(edit_content(troops, tmp_path / "t.pdf", page=1, edit=interleave)).problems
    assert any(
        p.code == "foreign-drawing" and "that is no next cell of its row" in p.message
        for p in problems
    ), problems


def test_an_added_row_is_unlinked_text(tmp_path: Path, troops: Path, seeds: Path) -> None:
    def add(data: bytes) -> bytes:
        font = _font(data, b"CRS")
        at = _group(data, b"CRS")[0]
        _, _, x1, y = _place(data, b"AFP")
        x2 = _place(data, b"Comment")[2]
        row = b"".join(
            b"q\n1 0 0 1 %.2f %.2f cm\nBT 1 0 0 1 0 3 Tm %s 9 Tf (%s) Tj ET\nQ\n"
            % (x, y - 9, font, text)
            for x, text in ((x1, b"DIA"), (x2, b"A new claim."))
        )
        return data[:at] + row + data[at:]

    report = bk.verify(edit_content(troops, tmp_path / "t.pdf", page=1, edit=add), sources=seeds)
    found = _one(report.problems, "unlinked-text")
    assert found.message.startswith(
        "page 1: unlinked text after sentence s4 (table 1, row 2, column 2)"
    )
    assert found.message.endswith("'DIA A new claim.'")


@pytest.mark.parametrize(
    ("hide", "show", "why"),
    [
        (b"1 1 1 rg", b"0 0 0 rg", "drawn in white"),
        (b"FONT 0.5 Tf", b"FONT 9 Tf", "smaller than 1 pt"),
        (b"3 Tr", b"0 Tr", "render mode 3 (invisible)"),
        (b"-2000 0 Td", b"2000 0 Td", "outside the page"),
    ],
    ids=["white", "tiny", "invisible", "off-page"],
)
def test_text_hidden_in_a_cell_is_reported(
    tmp_path: Path, troops: Path, hide: bytes, show: bytes, why: str
) -> None:
    def insert(data: bytes) -> bytes:
        font = _font(data, b"Carter met")
        on, off = hide.replace(b"FONT", font), show.replace(b"FONT", font)
        return data.replace(
            b"(Carter met troops on landing.) Tj",
            b"(Carter met troops) Tj " + on + b" ( secretly) Tj " + off + b" ( on landing.) Tj",
            1,
        )

    problems = check(edit_content(troops, tmp_path / "t.pdf", page=1, edit=insert)).problems
    found = _one(problems, "hidden-text")
    assert found.message.startswith(
        f"page 1: hidden text ({why}) after sentence s3 (table 1, row 1, column 3)"
    )
    assert found.message.endswith("'secretly'")
    # moved off the page to the left, the hidden words are also drawn back along their line
    also = {"foreign-drawing"} if hide.endswith(b"Td") else set()
    assert _codes(problems) == {"hidden-text", *also}


def test_a_relabelled_header_is_named(tmp_path: Path, troops: Path) -> None:
    path = edit_content(
        troops, tmp_path / "t.pdf", page=1, edit=lambda d: d.replace(b"(Comment)", b"(Remarks)")
    )
    found = _one(check(path).problems, "differs")
    assert found.message.startswith(
        "page 1: the header of table 1, column 3 does not read as the manifest says"
    )


def test_a_changed_caption_is_named(tmp_path: Path, troops: Path, seeds: Path) -> None:
    def edit(data: bytes) -> bytes:
        return data.replace(b"in Japan by source)", b"in Japan by origin)", 1)

    report = bk.verify(edit_content(troops, tmp_path / "t.pdf", page=1, edit=edit), sources=seeds)
    found = _one(report.problems, "differs")
    assert found.message.startswith(
        "page 1: the caption of table 1 does not read as the manifest says"
    )


def test_a_relabelled_repeated_header_is_named(
    tmp_path: Path, short_ledger: tuple[Path, Path]
) -> None:
    src, _ = short_ledger
    path = edit_content(
        src, tmp_path / "t.pdf", page=2, edit=lambda d: d.replace(b"(Crates)", b"(Boxes)")
    )
    found = _one(check(path).problems, "differs")
    assert found.message == (
        "page 2: the header row of table 1, repeated at the top of the page, does not read as "
        "the manifest says (replace 'Crates' -> 'Boxes')"
    )


def test_a_header_not_repeated_is_reported(tmp_path: Path, short_ledger: tuple[Path, Path]) -> None:
    src, _ = short_ledger

    def cut(data: bytes) -> bytes:
        for label in (b"Depot", b"Crates", b"Remark"):
            start, end = _group(data, label)
            data = data[:start] + data[end:]
        return data

    problems = check(edit_content(src, tmp_path / "t.pdf", page=2, edit=cut)).problems
    found = _one(problems, "table-header")
    assert found.message == (
        "page 2: the header row of table 1 is not repeated at the top of the page, where the "
        "table goes on"
    )
    assert _codes(problems) == {"table-header"}


def test_an_edited_running_header_is_named(tmp_path: Path, short_ledger: tuple[Path, Path]) -> None:
    src, sources = short_ledger
    edit = lambda d: d.replace(b"(Ledger of depots)", b"(Ledger of debts)")  # noqa: E731
    report = bk.verify(edit_content(src, tmp_path / "t.pdf", page=2, edit=edit), sources=sources)
    found = _one(report.problems, "differs")
    assert found.message.startswith("page 2: the running header does not read as the title")


def test_a_missing_running_header_is_reported(
    tmp_path: Path, short_ledger: tuple[Path, Path]
) -> None:
    src, _ = short_ledger

    def cut(data: bytes) -> bytes:
        start, end = _group(data, b"Ledger of depots")
        return data[:start] + data[end:]

    problems = check(edit_content(src, tmp_path / "t.pdf", page=3, edit=cut)).problems
    found = _one(problems, "missing")
    assert found.message == "page 3: the running header (the title) is not at the top of the page"


def test_a_line_drawn_through_a_cell_is_foreign(tmp_path: Path, troops: Path) -> None:
    page = read_pdf(troops).pages[0]
    cell = next(o for o in page.objects if o.text.startswith("Carter met troops"))
    x, y = cell.x[0], cell.y[0] + 3  # across the middle of its letters
    line = b"q .5 w 0 0 0 RG n %.2f %.2f m %.2f %.2f l S Q\n" % (x, y, x + 80, y)
    problems = check(
        edit_content(troops, tmp_path / "t.pdf", page=1, edit=lambda d: d + line)
    ).problems
    found = _one(problems, "foreign-drawing")
    assert found.message.startswith("page 1: lines drawn through text (through ")
    under = b"q .5 w 0 0 0 RG n %.2f %.2f m %.2f %.2f l S Q\n" % (x, y - 4, x + 80, y - 4)
    assert (
        check(edit_content(troops, tmp_path / "u.pdf", page=1, edit=lambda d: d + under)).problems
        == ()
    )


def test_a_missing_column_rule_is_reported(tmp_path: Path, troops: Path) -> None:
    def cut(data: bytes) -> bytes:
        found = re.search(rb"n ([\d.]+) ([\d.]+) m \1 ([\d.]+) l S\n", data)
        assert found is not None
        return data[: found.start()] + data[found.end() :]

    problems = check(edit_content(troops, tmp_path / "t.pdf", page=1, edit=cut)).problems
    found = _one(problems, "table-column")
    assert found.message == (
        "page 1: table 1 is drawn with 1 column rules, not 2 (one between each two columns)"
    )


@pytest.mark.parametrize("title", ["\x1c\r\u2028\u200f", "Ledger\x1e"])
def test_a_title_of_control_characters_gets_the_running_header_it_shows(
    tmp_path: Path, corpus: bk.Corpus, seeds: Path, title: str
) -> None:
    """U+001C–U+001E are white space to Python but drawn as their pictures (␜ ␝ ␞): the
    writer decides whether the title shows anything from what it draws, as the checker
    does, so the running header is there on page 2 and verify finds it."""
    cite = corpus["000_28b258b49d188a62.txt"].paraphrase("US has 50,000 troops")
    filler = [bk.sentence("Filler sentence here.", cite=cite) for _ in range(120)]
    brief = bk.Brief(title=title, sections=[bk.section("S", bk.paragraph(*filler))])
    path = bk.export(brief, tmp_path / "b.pdf")
    pages = read_pdf(path).pages
    assert len(pages) > 1
    assert shown(title).strip()[:1] in "".join(o.text for o in pages[1].objects)
    assert bk.verify(path, sources=seeds).ok


def test_empty_last_rows_carried_over_under_the_header_verify(tmp_path: Path) -> None:
    """A table whose last rows show no text can end a page with its text and go on, header
    repeated, with only those rows: the header is the table's, not unlinked text (and when
    the empty rows stay on the page before, no header is wanted)."""
    text = "The alliance is strong."
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.txt").write_text(text, encoding="utf-8")
    a = bk.Source.from_text("a.txt", text)

    def brief(filler: int) -> bk.Brief:
        rows: list[list[str | bk.Sentence]] = [
            ["Label one"],
            [bk.sentence(a.quote("The alliance is strong"), ".")],
            [""],
            [""],
        ]
        return bk.Brief(
            title="T",
            date="2026-12-06",
            key_points=[bk.sentence(a.quote("The alliance"), ".")],
            sections=[
                bk.Section(
                    "S",
                    [
                        *(bk.Paragraph([bk.analysis(f"Filler line {k}.")]) for k in range(filler)),
                        table("The table", ["Header cell"], *rows),
                        bk.Paragraph([bk.analysis("After it.")]),
                    ],
                )
            ],
        )

    carried = 0
    for filler in range(20, 40):
        path = bk.export(brief(filler), tmp_path / f"b{filler}.pdf")
        pages = read_pdf(path).pages
        report = bk.verify(path, sources=tmp_path / "src")
        assert report.ok, (filler, report.summary())
        if any(p.text.startswith("Header cell\nAnalysis: After it.") for p in pages[1:]):
            carried += 1
    assert carried  # the case the test is for was laid out at least once
