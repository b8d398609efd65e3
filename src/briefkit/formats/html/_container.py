"""Where a written file keeps its provenance manifest: defined once for the writer and the
reader."""

from __future__ import annotations

__all__ = ["MANIFEST_ID"]

#: the id of the script element that holds the manifest
MANIFEST_ID = "briefkit-provenance"
