"""PDF with per-page footnotes: the writer, the reader of a written file, and its checker.

The names below are imported on first use (see :mod:`briefkit.formats._lazy`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefkit.formats._lazy import lazy_names

if TYPE_CHECKING:
    from briefkit.formats.pdf._fonts import FontSet
    from briefkit.formats.pdf.writer import GlyphCoverageError, PdfExporter

__all__ = ["FontSet", "GlyphCoverageError", "PdfExporter"]

_WHERE = {
    "FontSet": "_fonts",
    "GlyphCoverageError": "writer",
    "PdfExporter": "writer",
}


__getattr__ = lazy_names(__name__, _WHERE)
