"""Where a written file keeps its provenance manifest: defined once for the writer and the
reader."""

from __future__ import annotations

__all__ = ["MANIFEST_NAME"]

#: the name of the embedded file that holds the manifest
MANIFEST_NAME = "briefkit-provenance.json"
