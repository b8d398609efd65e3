"""Where a written file keeps its provenance manifest, how it names a table column's
alignment and what a link to a web page carries: defined once for the writer and the
reader."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["ALIGN_CLASS", "LINK_REL", "MANIFEST_ID"]

#: the id of the script element that holds the manifest
MANIFEST_ID = "briefkit-provenance"

#: the ``class`` of every cell (header cells included) of a column of each alignment
ALIGN_CLASS: Mapping[str, str] = MappingProxyType(
    {"left": "align-left", "center": "align-center", "right": "align-right"}
)

#: the ``rel`` of a sentence's link to a web page (``<a class="link">``): the page it opens
#: learns neither this page's address nor gets a handle on its window
LINK_REL = "noopener noreferrer"
