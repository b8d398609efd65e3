"""Read a briefkit PDF back: its embedded manifest, the text of each page, and where each
footnote's reference mark and the note itself stand.

briefkit draws, on every page, the body's reference marks (links to their notes) before the
notes' own back-links, and both kinds of link point at the same page. So the internal links of
a page, in order, are its marks followed by the back-links of the notes that start there; that
gives the page of every mark without relying on text extraction order.
"""

from __future__ import annotations

import io
import os

import attrs
from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from briefkit import manifest as _manifest
from briefkit.errors import ManifestError, ReadError
from briefkit.manifest import Manifest

__all__ = ["MAX_PDF_BYTES", "PdfContents", "PdfPage", "read_pdf"]

MAX_PDF_BYTES = 512 * 1024 * 1024
MANIFEST_NAME = "briefkit-provenance.json"


@attrs.frozen
class PdfPage:
    number: int  # 1-based
    text: str
    internal_links: tuple[int, ...]  # destination page numbers, in drawing order


@attrs.frozen
class PdfContents:
    manifest: Manifest | None
    pages: tuple[PdfPage, ...]

    def mark_pages(self) -> list[int]:
        """The page of each footnote mark, in note order (marks are half a page's links)."""
        out: list[int] = []
        for page in self.pages:
            out.extend([page.number] * (len(page.internal_links) // 2))
        return out


def _dest_page(annot: dict[str, object], pages: dict[int, int]) -> int | None:
    dest = annot.get("/Dest")
    if dest is None:
        action = annot.get("/A")
        if isinstance(action, dict) and action.get("/S") == "/GoTo":
            dest = action.get("/D")
    if dest is None or not hasattr(dest, "__getitem__"):
        return None
    try:
        ref = dest[0]
        return pages.get(ref.idnum)
    except (IndexError, AttributeError, TypeError):
        return None


def read_pdf(source: str | os.PathLike[str] | bytes, *, where: str | None = None) -> PdfContents:
    label = where or (os.fspath(source) if not isinstance(source, bytes) else "<pdf>")
    if isinstance(source, bytes):
        data = source
    else:
        try:
            size = os.path.getsize(source)
        except OSError as exc:
            raise ReadError(f"{label}: cannot read: {exc.strerror}") from None
        if size > MAX_PDF_BYTES:
            raise ReadError(f"{label}: {size} bytes is larger than {MAX_PDF_BYTES}")
        with open(source, "rb") as fh:
            data = fh.read()
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        page_ids = {
            p.indirect_reference.idnum: i + 1
            for i, p in enumerate(reader.pages)
            if p.indirect_reference is not None
        }
        pages = []
        for i, page in enumerate(reader.pages, 1):
            links = []
            for ref in page.get("/Annots", None) or ():
                annot = ref.get_object()
                if annot.get("/Subtype") != "/Link":
                    continue
                target = _dest_page(annot, page_ids)
                if target is not None:
                    links.append(target)
            pages.append(PdfPage(i, page.extract_text() or "", tuple(links)))
        attachments = reader.attachments
        blobs = attachments.get(MANIFEST_NAME)
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise ReadError(f"{label}: not a readable PDF ({exc})") from None
    manifest = None
    if blobs:
        try:
            manifest = _manifest.parse(blobs[0])
        except ManifestError as exc:
            raise ReadError(f"{label}: {MANIFEST_NAME}: {exc}") from None
    return PdfContents(manifest, tuple(pages))
