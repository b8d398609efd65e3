"""The ``json`` exporter: the provenance manifest itself."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from briefkit import manifest
from briefkit import manifest as _manifest
from briefkit.errors import ManifestError
from briefkit.formats.checking import Checked
from briefkit.plan import NotePlan

__all__ = ["MAX_MANIFEST_BYTES", "ManifestChecker", "ManifestExporter", "read"]

#: Largest manifest file read (bytes).
MAX_MANIFEST_BYTES = 256 * 1024 * 1024


def read(path: Path) -> manifest.Manifest:
    """The manifest in a ``.json`` file, bounded in size and checked field by field."""
    size = path.stat().st_size
    if size > MAX_MANIFEST_BYTES:
        raise ManifestError(f"{str(path)!r}: {size} bytes is larger than a manifest may be")
    return manifest.parse(path.read_bytes())


class ManifestChecker:
    """A manifest shows nothing else: what it holds is checked against the sources."""

    def check(self, path: Path, manifest: _manifest.Manifest | None = None) -> Checked:
        return Checked(manifest or read(path))


class ManifestExporter:
    name = "json"
    suffixes = (".json",)
    media_type = "application/json"
    description = "provenance manifest (briefkit.provenance JSON)"

    def write(self, plan: NotePlan, stream: BinaryIO) -> None:
        stream.write(manifest.dumps(manifest.build(plan)))
