"""Where a written file keeps its provenance manifest and each note's citations: defined once
for the writer and the reader."""

from __future__ import annotations

__all__ = ["CITES_KEY", "MANIFEST_NAME"]

#: the name of the embedded file that holds the manifest
MANIFEST_NAME = "briefkit-provenance.json"

#: the key (a PDF name, without its slash) of the link annotation that leads from a note back
#: to its mark, whose value (a text string) lists the note's citations: ``SOURCE:START-END``
#: for each, in order, separated by single spaces (source ids hold neither spaces nor colons)
CITES_KEY = "BriefkitCites"
