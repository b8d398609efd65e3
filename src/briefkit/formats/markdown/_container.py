"""Where a written file keeps its provenance manifest: defined once for the writer and the
reader."""

from __future__ import annotations

__all__ = ["MANIFEST_COMMENT"]

#: how the trailing comment that holds the manifest opens
MANIFEST_COMMENT = "<!-- briefkit-provenance v1"
