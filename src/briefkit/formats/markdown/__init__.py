"""Markdown with ``[^n]`` footnotes: the writer, the reader of a written file, and its checker.

The names below are imported on first use (see :mod:`briefkit.formats._lazy`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefkit.formats._lazy import lazy_names

if TYPE_CHECKING:
    from briefkit.formats.markdown.writer import MarkdownExporter

__all__ = ["MarkdownExporter"]

_WHERE = {
    "MarkdownExporter": "writer",
}


__getattr__ = lazy_names(__name__, _WHERE)
