"""The ``json`` exporter: the provenance manifest itself."""

from __future__ import annotations

from typing import BinaryIO

from briefkit import manifest
from briefkit.plan import NotePlan

__all__ = ["ManifestExporter"]


class ManifestExporter:
    name = "json"
    suffixes = (".json",)
    media_type = "application/json"
    description = "provenance manifest (briefkit.provenance JSON)"

    def write(self, plan: NotePlan, stream: BinaryIO) -> None:
        stream.write(manifest.dumps(manifest.build(plan)))
