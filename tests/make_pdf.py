"""Build small PDFs with known content for the tests of the PDF source reader.

Three builders, all deterministic (the same arguments give the same bytes):

* :func:`make_pdf` typesets paragraphs with reportlab, exactly one PDF page per given page,
  with optional running header, page-number footer, columns, page labels, scanned pages
  (a full-page raster image and no text) and a document title;
* :func:`draw_lines` draws each given string as one line at a fixed place, for tests that
  need to know where lines break (hyphenation at a line end, header-like lines …);
* :func:`image_pdf` makes one page with a raster image covering a given share of it.

:func:`set_labels` writes page labels into a PDF and :func:`encrypt_pdf` locks one with a
password (both with pypdf).

The font is DejaVu Serif when the system has it (so non-Latin-1 text and the ``ﬁ``/``ﬂ``
ligature characters can be drawn), else reportlab's built-in Helvetica (Latin-1 only).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final

from pypdf import PdfWriter
from pypdf.generic import ContentStream
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Paragraph

__all__ = [
    "COLUMN_BREAK",
    "DEJAVU",
    "FONT",
    "MARGIN",
    "PAGE_SIZE",
    "draw_lines",
    "encrypt_pdf",
    "image_pdf",
    "make_pdf",
    "set_labels",
]

#: The TrueType font used when present.
DEJAVU: Final = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
#: A paragraph that is exactly this string is not drawn: the next paragraph starts the next
#: column (with ``columns`` > 1).
COLUMN_BREAK: Final = "\x0b<column break>\x0b"
#: Every page is A4 (points).
PAGE_SIZE: Final = A4
#: The margin around the text frame(s), in points; headers and footers sit inside it.
MARGIN: Final = 72.0


def _font() -> str:
    if not DEJAVU.is_file():
        return "Helvetica"
    if "DejaVuSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSerif", str(DEJAVU)))
    return "DejaVuSerif"


#: The font name drawn with (``"DejaVuSerif"`` or ``"Helvetica"``).
FONT: Final = _font()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _scan_image() -> ImageReader:
    """A grey 'scan' raster (deterministic pixels) as a reportlab image."""
    from PIL import Image

    width, height = 120, 170
    pixels = bytes((x * 7 + y * 13) % 64 + 160 for y in range(height) for x in range(width))
    return ImageReader(Image.frombytes("L", (width, height), pixels))


def _finish(data: bytes, labels: Sequence[str] | None) -> bytes:
    return set_labels(data, labels) if labels is not None else data


def make_pdf(
    pages: Sequence[Sequence[str]],
    *,
    header: str | None = None,
    page_numbers: bool = False,
    page_number_format: str = "{label}",
    columns: int = 1,
    labels: Sequence[str] | None = None,
    scanned: Sequence[int] = (),
    title: str | None = None,
    font_size: float = 11,
) -> bytes:
    """A PDF of ``len(pages)`` A4 pages, page *k* showing the paragraphs ``pages[k]`` in order.

    * ``header``: a running header drawn at the top of every (unscanned) page;
    * ``page_numbers``: a footer at the bottom of every (unscanned) page, made from
      ``page_number_format`` with ``{n}`` (1-based page number), ``{label}`` (the page's label
      from ``labels``, else ``{n}``) and ``{total}`` (number of pages);
    * ``columns``: text frames side by side; paragraphs fill the first column, then the next
      (a paragraph equal to :data:`COLUMN_BREAK` jumps to the next column);
    * ``labels``: page labels, one per page, written into the PDF (see :func:`set_labels`);
    * ``scanned``: 0-based indices of pages drawn as a full-page raster image with no text at
      all (their paragraphs, header and footer are not drawn);
    * ``title``: the document's ``/Title``.

    An empty page (no paragraphs) is a blank page (save for header and footer). A
    :class:`ValueError` says when a page's paragraphs do not fit on it.
    """
    if columns < 1:
        raise ValueError("columns must be at least 1")
    if labels is not None and len(labels) != len(pages):
        raise ValueError(f"{len(labels)} labels for {len(pages)} pages")
    bad = [i for i in scanned if not 0 <= i < len(pages)]
    if bad:
        raise ValueError(f"scanned page indices {bad} are not pages (0–{len(pages) - 1})")
    font = FONT
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=PAGE_SIZE, invariant=1)
    canvas.setTitle(title or "")  # reportlab's default title is "untitled"
    width, height = PAGE_SIZE
    gap = 18.0
    col_width = (width - 2 * MARGIN - (columns - 1) * gap) / columns
    style = ParagraphStyle(
        "body", fontName=font, fontSize=font_size, leading=font_size * 1.3, spaceAfter=6
    )
    scan = _scan_image() if scanned else None
    for index, paragraphs in enumerate(pages):
        number = index + 1
        if scan is not None and index in scanned:
            canvas.drawImage(scan, 0, 0, width=width, height=height)
            canvas.showPage()
            continue
        if header is not None:
            canvas.setFont(font, 9)
            canvas.drawCentredString(width / 2, height - MARGIN / 2, header)
        if page_numbers:
            label = labels[index] if labels is not None else str(number)
            footer = page_number_format.format(n=number, label=label, total=len(pages))
            canvas.setFont(font, 9)
            canvas.drawCentredString(width / 2, MARGIN / 2, footer)
        frames = [
            Frame(
                MARGIN + i * (col_width + gap),
                MARGIN,
                col_width,
                height - 2 * MARGIN,
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
                showBoundary=0,
            )
            for i in range(columns)
        ]
        _flow(canvas, frames, paragraphs, style, number)
        canvas.showPage()
    canvas.save()
    return _finish(out.getvalue(), labels)


def _flow(
    canvas: Canvas,
    frames: list[Frame],
    paragraphs: Sequence[str],
    style: ParagraphStyle,
    number: int,
) -> None:
    chunks: list[list[str]] = [[]]
    for text in paragraphs:
        if text == COLUMN_BREAK:
            chunks.append([])
        else:
            chunks[-1].append(text)
    column = 0
    drawn: set[int] = set()
    for chunk in chunks:
        story: list[Flowable] = [Paragraph(_escape(text), style) for text in chunk]
        while story:
            if column >= len(frames):
                raise ValueError(f"page {number}: the paragraphs do not fit on one page")
            frame = frames[column]
            before = len(story)
            frame.addFromList(story, canvas)
            if story and len(story) == before:  # the next paragraph fits only in part
                parts = frame.split(story[0], canvas)
                if len(parts) > 1:
                    story[:1] = parts
                    before = len(story)
                    frame.addFromList(story, canvas)
                elif column not in drawn:
                    raise ValueError(f"page {number}: a paragraph is larger than a column")
            if len(story) < before:
                drawn.add(column)
            if story:
                column += 1
        column += 1


def draw_lines(
    pages: Sequence[Sequence[str]],
    *,
    font_size: float = 11,
    labels: Sequence[str] | None = None,
    title: str | None = None,
) -> bytes:
    """A PDF of ``len(pages)`` A4 pages, page *k* showing each string of ``pages[k]`` as one
    line, left-aligned at the margin, from the top down (an empty string leaves a blank
    line). ``labels`` and ``title`` as for :func:`make_pdf`."""
    if labels is not None and len(labels) != len(pages):
        raise ValueError(f"{len(labels)} labels for {len(pages)} pages")
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=PAGE_SIZE, invariant=1)
    canvas.setTitle(title or "")  # reportlab's default title is "untitled"
    _, height = PAGE_SIZE
    for lines in pages:
        y = height - MARGIN
        for line in lines:
            if line:
                canvas.setFont(FONT, font_size)
                canvas.drawString(MARGIN, y, line)
            y -= font_size * 1.3
        canvas.showPage()
    canvas.save()
    return _finish(out.getvalue(), labels)


def image_pdf(fraction: float = 1.0, *, in_form: bool = False, text: str | None = None) -> bytes:
    """A one-page PDF showing a raster image that covers ``fraction`` of the page (full width,
    from the bottom up), drawn inside a form XObject when ``in_form``, with ``text`` drawn
    over it at the top when given."""
    if not 0 < fraction <= 1:
        raise ValueError("fraction must be in (0, 1]")
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=PAGE_SIZE, invariant=1)
    canvas.setTitle("")
    width, height = PAGE_SIZE
    if in_form:
        canvas.beginForm("scan")
    canvas.drawImage(_scan_image(), 0, 0, width=width, height=height * fraction)
    if in_form:
        canvas.endForm()
        canvas.doForm("scan")
    if text is not None:
        canvas.setFont(FONT, 11)
        canvas.drawString(MARGIN, height - MARGIN, text)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def set_labels(data: bytes, labels: Sequence[str]) -> bytes:
    """``data`` with one page label per page: runs of decimal (``1``, ``2`` …) or lower/upper
    Roman (``i``/``I`` …) labels become numbering ranges, anything else a literal prefix."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.constants import PageLabelStyle

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    if len(labels) != len(writer.pages):
        raise ValueError(f"{len(labels)} labels for {len(writer.pages)} pages")
    index = 0
    while index < len(labels):
        style, start = _label_style(labels[index])
        end = index
        while end + 1 < len(labels):
            nxt = _label_style(labels[end + 1])
            if nxt[0] != style or style is None or nxt[1] != start + (end + 1 - index):
                break
            end += 1
        if style is None:
            writer.set_page_label(index, end, prefix=labels[index])
        else:
            writer.set_page_label(index, end, style=getattr(PageLabelStyle, style), start=start)
        index = end + 1
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def _roman(text: str) -> int | None:
    lower = text.lower()
    if not lower or any(c not in _ROMAN for c in lower):
        return None
    total = 0
    for i, c in enumerate(lower):
        value = _ROMAN[c]
        total += -value if i + 1 < len(lower) and _ROMAN[lower[i + 1]] > value else value
    return total


def _to_roman(number: int) -> str:
    out = ""
    for value, letters in (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ):  # fmt: skip
        count, number = divmod(number, value)
        out += letters * count
    return out


def _label_style(label: str) -> tuple[str | None, int]:
    if label.isascii() and label.isdigit() and not label.startswith("0"):
        return "DECIMAL", int(label)
    number = _roman(label)
    if number is not None and _to_roman(number) != label.lower():
        number = None  # not a well-formed Roman numeral: a literal label
    if number is not None and label.islower():
        return "LOWERCASE_ROMAN", number
    if number is not None and label.isupper():
        return "UPPERCASE_ROMAN", number
    return None, 0


def encrypt_pdf(data: bytes, password: str = "secret") -> bytes:
    """``data`` encrypted (RC4-128, which pypdf writes without the cryptography package) so
    that it opens only with ``password``."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, owner_password=password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def edit_content(src: Path, dst: Path, edit: Callable[[bytes], bytes], page: int = 1) -> Path:
    """Write ``src`` to ``dst`` with the content stream of ``page`` (1-based) rewritten by
    ``edit``, which must change it (a tampering that changes nothing tests nothing)."""
    writer = PdfWriter(clone_from=src)
    target = writer.pages[page - 1]
    contents = target.get_contents()
    assert contents is not None
    data = contents.get_data()
    changed = edit(data)
    assert changed != data, "the edit changed nothing"
    stream = ContentStream(None, writer)
    stream.set_data(changed)
    target.replace_contents(stream)
    writer.write(dst)
    return dst
