"""Where a written file keeps its provenance manifest: defined once for the writer and the
reader."""

from __future__ import annotations

__all__ = ["MANIFEST_NS"]

#: the namespace of the custom XML part that holds the manifest
MANIFEST_NS = "urn:briefkit:provenance"
