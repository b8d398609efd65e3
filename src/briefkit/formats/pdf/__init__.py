"""PDF with per-page footnotes: the writer, the reader of a written file, and its checker.

The names below are imported on first use, so that reading or checking a file never loads
the writer's dependencies (and ``import briefkit`` loads no format at all).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefkit.formats.pdf._fonts import FontSet
    from briefkit.formats.pdf.writer import GlyphCoverageError, PdfExporter, UnshapeableTextError

__all__ = ["FontSet", "GlyphCoverageError", "PdfExporter", "UnshapeableTextError"]

_WHERE = {
    "FontSet": "_fonts",
    "GlyphCoverageError": "writer",
    "PdfExporter": "writer",
    "UnshapeableTextError": "writer",
}


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)
