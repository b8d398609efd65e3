"""The PDF reader: each page's text as PDFium extracts it (through pypdfium2), pages separated
by a form feed, with the PDF's page labels.

The canonical text of a PDF is made by these rules, which are a public contract (a manifest
records the reader's version, and verify reads every PDF again by them; any change that gives
other text for the same file raises :attr:`PdfReader.version`):

1. **Page text.** Each page's text is taken in PDFium's order (``FPDFText_GetText`` over the
   whole page), then changed in these steps, in this order, and in no other way (no Unicode
   normalisation, no reflowing):

   a. ``"\\r\\n"``, and any ``"\\r"`` left, become ``"\\n"``;
   b. a hyphenation marker — U+FFFE, or U+0002 in some PDFium versions, which PDFium puts in
      place of a hyphen it judges to end a line, joining the two lines — becomes U+00AD SOFT
      HYPHEN and ``"\\n"`` when the characters just before it and just after it (after a
      ``"\\n"`` that may follow the marker, which is replaced with it) are both lower-case
      letters (``str.islower``), the mark of typeset hyphenation (``hyphen\\u00ad\\nated``),
      else ``"-\\n"`` (``X-\\nray``); either way the text keeps the line break the page shows;
   c. the ligature characters U+FB00–U+FB06 (``ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ``) become their letters (the
      NFKC form of each of these characters only; PDFium usually gives the letters already);
   d. every other control character (category Cc: U+0000–U+001F and U+007F–U+009F) except
      ``"\\n"`` and ``"\\t"`` is removed — so a form feed only ever separates pages;
   e. spaces and tabs at the end of every line are removed.

2. **Running headers and footers** are left out unless the reader is made with
   ``keep_headers=True``. Only the first two and the last two non-blank lines of a page (a
   blank line has nothing but white space) are considered. Such a line is left out when

   * the same line (white space collapsed, at most 100 characters) is one of the
     first-two/last-two lines of at least half of the pages, and of at least 2 pages
     (``Annual Report 2024``); or
   * its *form* — the line with every run of ASCII digits replaced by ``#`` and white space
     collapsed — is the form of one of the first-two/last-two lines of at least half of the
     pages, and of at least 3 pages (``Page 3 of 12`` → ``Page # of #``: lines that differ
     in their numbers only must recur more often before they count as furniture); or
   * the document has at least 2 pages and the line is nothing but a page number: 1 to 5
     digits or a Roman numeral from 1 to 89 (``iv``, ``XII``, ``lxxxix``, any case),
     optionally with ``Page``/``p.``/``pg.`` before it, dashes around it (``- 3 -``) or a
     total after it (``3 of 10``, ``3/10``).

   Forms are counted in one pass over the pages (linear time).

3. **Pages.** Every page's lines, with blank lines at its start and end removed, make the
   page's text; pages are joined with one form feed (``"\\f"``) between each two, so the text
   of page *k* + 1 starts right after the *k*-th form feed. :attr:`Extraction.pages` has a
   mark for every page, empty pages too (an empty page is ``""`` between two form feeds), so
   page numbers stay right. A mark's label is the PDF's page label for that page when it has
   one (white space collapsed, control characters removed, cut to 120 characters), else the
   1-based page number (``"7"``).

4. **Scanned pages.** A page without any text character (nothing but white space or control
   characters) whose image objects — their bounding boxes clipped to the page, summed; an
   image inside a form XObject counts with the form's box — cover at least half of the page
   is a scan without a text layer: :meth:`PdfReader.read` raises
   :class:`~briefkit.readers.UnreadableSourceError` naming the file and every such page
   (number, and label when it differs), saying that it needs OCR first. A blank page (no
   text, no large image) is read as an empty page.

5. **Unreadable files.** A file PDFium cannot open (not a PDF, damaged beyond repair, with no
   pages, encrypted with a password — which has to be removed first — or with an unsupported
   security handler) raises :class:`~briefkit.readers.UnreadableSourceError` naming the file
   and why; so does a page PDFium cannot load. Errors are always briefkit errors, never
   pypdfium2's own. (A PDF encrypted with only an owner password opens and is read.)

6. **Metadata.** :attr:`Extraction.title` is the document's ``/Title`` with control
   characters removed and white space collapsed, when that leaves any text (note that some
   producers write placeholders such as ``untitled``); ``url`` is None, ``paragraphs`` is
   False, ``sections`` are none.

The same bytes always give the same :class:`Extraction`; the time taken is linear in the
number of pages. PDFium is not thread-safe, so reads in one process run one at a time.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar
from unicodedata import normalize

import pypdfium2 as pdfium

from briefkit.errors import BriefkitError
from briefkit.readers import Extraction, Mark, SourceReader, UnreadableSourceError

__all__ = ["PdfReader", "canonical_page_text", "is_page_number"]

_LOCK = threading.Lock()  # PDFium must not be called from two threads at once

_NEWLINE = re.compile(r"\r\n?")
_HYPHEN_MARK = re.compile("[\ufffe\x02]\n?")
_LIGATURE = re.compile("[\ufb00-\ufb06]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TRAILING = re.compile("[ \t]+$", re.MULTILINE)
_DIGITS = re.compile("[0-9]+")
_ROMAN = r"(?=[ivxl])(?:xl|l?x{0,3})(?:ix|iv|v?i{0,3})"  # 1 to 89
_PAGE_NUMBER = re.compile(
    rf"(?:(?:page|pg\.?|p\.) ?)?(?:[-–—] ?)?(?:[0-9]{{1,5}}|{_ROMAN})(?: ?[-–—])?"
    r"(?: ?(?:of|/) ?[0-9]{1,5})?",
    re.IGNORECASE,
)

_EDGE_LINES = 2  # the first and last this many non-blank lines may be headers or footers
_FORM_MAX = 100
_LABEL_MAX = 120
_SCAN_COVER = 0.5
_LISTED = 10  # scanned pages named in an error at most


def _hyphen(m: re.Match[str]) -> str:
    text = m.string
    before = text[m.start() - 1] if m.start() else ""
    after = text[m.end()] if m.end() < len(text) else ""
    return "\u00ad\n" if before.islower() and after.islower() else "-\n"


def _ligature(m: re.Match[str]) -> str:
    return normalize("NFKC", m.group())


def canonical_page_text(raw: str) -> str:
    """Rule 1: one page's text as PDFium gives it → the page's lines (before headers and
    footers are left out and blank lines at the ends removed)."""
    text = _NEWLINE.sub("\n", raw)
    text = _HYPHEN_MARK.sub(_hyphen, text)
    text = _LIGATURE.sub(_ligature, text)
    text = _CONTROL.sub("", text)
    return _TRAILING.sub("", text)


def is_page_number(line: str) -> bool:
    """Whether a line is nothing but a page number (``12``, ``xiv``, ``Page 3``, ``- 3 -``,
    ``3 of 10``), white space collapsed first."""
    return _PAGE_NUMBER.fullmatch(" ".join(line.split())) is not None


def _form(line: str) -> str:
    return " ".join(_DIGITS.sub("#", line).split())


def _edges(lines: Sequence[str]) -> list[int]:
    """The indices of the first and last two non-blank lines."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if len(filled) <= 2 * _EDGE_LINES:
        return filled
    return filled[:_EDGE_LINES] + filled[-_EDGE_LINES:]


def _trim(lines: Iterable[str]) -> str:
    kept = list(lines)
    start, end = 0, len(kept)
    while start < end and not kept[start].strip():
        start += 1
    while end > start and not kept[end - 1].strip():
        end -= 1
    return "\n".join(kept[start:end])


def _strip_running(pages: Sequence[str]) -> list[str]:
    """Rule 2 over every page's text (rule 1 applied): the pages without running headers,
    footers and page numbers, blank lines at their ends removed."""
    split = [page.split("\n") for page in pages]
    edges = [_edges(lines) for lines in split]
    counts: Counter[str] = Counter()
    same: Counter[str] = Counter()
    for lines, where in zip(split, edges, strict=True):
        counts.update({f for f in (_form(lines[i]) for i in where) if len(f) <= _FORM_MAX})
        same.update({t for t in (_one_line(lines[i]) for i in where) if len(t) <= _FORM_MAX})
    least = max(2, (len(pages) + 1) // 2)
    running = {form for form, n in counts.items() if n >= max(3, least)}
    repeated = {text for text, n in same.items() if n >= least}
    numbered = len(pages) >= 2
    out: list[str] = []
    for lines, where in zip(split, edges, strict=True):
        drop = {
            i
            for i in where
            if _form(lines[i]) in running
            or _one_line(lines[i]) in repeated
            or (numbered and is_page_number(lines[i]))
        }
        out.append(_trim(line for i, line in enumerate(lines) if i not in drop))
    return out


def _one_line(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).split())


def _label(raw: str, number: int) -> str:
    label = _one_line(raw)
    if not label:
        return str(number)
    return label if len(label) <= _LABEL_MAX else label[: _LABEL_MAX - 1].rstrip() + "…"


class _Page:
    __slots__ = ("label", "scanned", "text")

    def __init__(self, text: str, label: str, scanned: bool) -> None:
        self.text = text
        self.label = label
        self.scanned = scanned


def _area(box: Sequence[float], page: Sequence[float]) -> float:
    left, bottom = max(box[0], page[0]), max(box[1], page[1])
    right, top = min(box[2], page[2]), min(box[3], page[3])
    return max(0.0, right - left) * max(0.0, top - bottom)


def _image_cover(page: Any) -> float:
    """The share of the page covered by image objects (their clipped boxes summed)."""
    image, form = pdfium.raw.FPDF_PAGEOBJ_IMAGE, pdfium.raw.FPDF_PAGEOBJ_FORM
    bbox = tuple(float(v) for v in page.get_bbox())
    whole = _area(bbox, bbox)
    if whole <= 0:
        return 0.0
    covered = 0.0
    for obj in page.get_objects(max_depth=1):
        if obj.type == form:
            if next(iter(page.get_objects(filter=[image], form=obj)), None) is None:
                continue
        elif obj.type != image:
            continue
        try:
            covered += _area(tuple(float(v) for v in obj.get_bounds()), bbox)
        except pdfium.PdfiumError:
            continue  # an object PDFium cannot place covers nothing
    return covered / whole


def _decoded(get: Any, *args: Any) -> str:
    """A string PDFium gives (a title, a page label), or "" when it cannot be decoded."""
    try:
        value = get(*args)
    except (UnicodeDecodeError, pdfium.PdfiumError):
        return ""
    return value if isinstance(value, str) else ""


def _open_error(exc: Any, data: bytes) -> str:
    code = getattr(exc, "err_code", None)
    raw = pdfium.raw
    if code == raw.FPDF_ERR_PASSWORD:
        return (
            "the PDF is encrypted with a password; remove the password (e.g. "
            "`qpdf --decrypt --password=… in.pdf out.pdf`) and add the decrypted file"
        )
    if code == raw.FPDF_ERR_SECURITY:
        return "the PDF is encrypted with a security handler PDFium does not support"
    if code == raw.FPDF_ERR_FORMAT:
        if b"%PDF-" not in data[:1024]:
            return "it is not a PDF (no %PDF- header near its start)"
        return "the PDF is damaged (PDFium could not parse it)"
    if code == raw.FPDF_ERR_FILE:
        return "PDFium could not read the file"
    if code == raw.FPDF_ERR_PAGE:
        return "a page of the PDF is missing or damaged"
    if not data:
        return "the file is empty"
    return f"PDFium could not open it ({exc}); the PDF has no pages or is damaged"


def _extract(data: bytes, where: str) -> tuple[list[_Page], str | None]:
    """Every page's rule-1 text, label and whether it is a scan; and the document title."""
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        why = _open_error(exc, data)
        raise UnreadableSourceError(f"{where}: cannot read the PDF: {why}") from None
    try:
        title = _one_line(_decoded(doc.get_metadata_value, "Title")) or None
        pages: list[_Page] = []
        for index in range(len(doc)):
            try:
                page = doc.get_page(index)
            except pdfium.PdfiumError as exc:
                raise UnreadableSourceError(
                    f"{where}: cannot read page {index + 1} of the PDF: it is damaged ({exc})"
                ) from None
            try:
                textpage = page.get_textpage()
                try:
                    raw_text = textpage.get_text_range() if textpage.count_chars() > 0 else ""
                finally:
                    textpage.close()
                text = canonical_page_text(raw_text)
                scanned = not text.strip() and _image_cover(page) >= _SCAN_COVER
            finally:
                page.close()
            label = _label(_decoded(doc.get_page_label, index), index + 1)
            pages.append(_Page(text, label, scanned))
        return pages, title
    finally:
        doc.close()


def _scanned_error(pages: Sequence[_Page], where: str) -> UnreadableSourceError:
    named = []
    scanned = [(i + 1, p.label) for i, p in enumerate(pages) if p.scanned]
    for number, label in scanned[:_LISTED]:
        named.append(str(number) if label == str(number) else f"{number} (labelled {label!r})")
    listed = ", ".join(named)
    if len(scanned) > _LISTED:
        listed += f" and {len(scanned) - _LISTED} more"
    which = f"page {listed} has" if len(scanned) == 1 else f"pages {listed} have"
    return UnreadableSourceError(
        f"{where}: {which} no text layer (a scanned image without text): run OCR on the PDF "
        "first (e.g. `ocrmypdf in.pdf out.pdf`) and add the PDF with a text layer"
    )


class PdfReader(SourceReader):
    """PDF files through PDFium (pypdfium2): each page's text in PDFium's reading order,
    pages separated by form feeds, running headers and footers left out (unless
    ``keep_headers``), page labels where the PDF has them. See the module's documentation
    for the exact rules."""

    name: ClassVar[str] = "pdf"
    version: ClassVar[str] = "1"
    suffixes: ClassVar[tuple[str, ...]] = (".pdf",)
    description: ClassVar[str] = (
        "each page's text (PDFium), pages separated by form feeds, running headers and "
        "footers left out"
    )

    def __init__(self, *, keep_headers: bool = False) -> None:
        if not isinstance(keep_headers, bool):
            raise TypeError(f"keep_headers must be true or false, not {keep_headers!r}")
        self.keep_headers = keep_headers

    def options(self) -> dict[str, Any]:
        return {"keep_headers": self.keep_headers}

    def library(self) -> str | None:
        return f"pypdfium2 {pdfium.PYPDFIUM_INFO.tag} (PDFium {pdfium.PDFIUM_INFO.tag})"

    def read(self, data: bytes, *, where: str) -> Extraction:
        data = bytes(data)
        with _LOCK:
            try:
                pages, title = _extract(data, where)
            except (BriefkitError, MemoryError):
                raise
            except Exception as exc:  # pypdfium2 raises PdfiumError, and more on odd files
                raise UnreadableSourceError(
                    f"{where}: cannot read the PDF: PDFium failed ({type(exc).__name__}: {exc})"
                ) from exc
        if any(page.scanned for page in pages):
            raise _scanned_error(pages, where)
        texts = [page.text for page in pages]
        if not self.keep_headers:
            texts = _strip_running(texts)
        else:
            texts = [_trim(text.split("\n")) for text in texts]
        marks: list[Mark] = []
        offset = 0
        for page, text in zip(pages, texts, strict=True):
            marks.append(Mark(offset, page.label))
            offset += len(text) + 1
        return Extraction("\f".join(texts), pages=marks, title=title)
