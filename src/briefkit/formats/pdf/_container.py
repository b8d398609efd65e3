"""Where a written file keeps its provenance manifest, each note's citations, its figures'
bytes and the target of each internal link that is no footnote link: defined once for the
writer and the reader. Each embedded file is also an associated file of the document (the
catalog's ``/AF``), related to it as :func:`file_relationship` says."""

from __future__ import annotations

__all__ = [
    "ALT_TAG",
    "BASE_KEY",
    "CITES_KEY",
    "FURTHER_GLYPH",
    "MANIFEST_MEDIA_TYPE",
    "MANIFEST_NAME",
    "REF_KEY",
    "TEXT_KEY",
    "figure_file",
    "file_relationship",
]

#: the name of the embedded file that holds the manifest
MANIFEST_NAME = "briefkit-provenance.json"

#: the media type of the manifest's embedded file (its stream's ``/Subtype``)
MANIFEST_MEDIA_TYPE = "application/json"

#: the key (a PDF name, without its slash) of the link annotation that leads from a note back
#: to its mark, whose value (a text string) lists the note's citations: ``SOURCE:START-END``
#: for each, in order, separated by single spaces (source ids hold neither spaces nor colons)
CITES_KEY = "BriefkitCites"

#: the key (a PDF name, without its slash) of a link that leads to a heading, a table or a
#: figure (an entry of the contents, a cross-reference), whose value (a text string) is the
#: anchor it leads to: ``sec-2-1``, ``key-points``, ``table-1``, ``figure-1``
REF_KEY = "BriefkitRef"

#: the marked-content tag around the drawing of a figure; its properties' ``/Alt`` is the alt
#: text
ALT_TAG = "Figure"


#: the key (a PDF name, without its slash) of the properties of the marked content around a
#: line drawn in display order (right-to-left text reordered, a script shaped), whose value
#: (a text string) is the line's text in logical order, with the isolates it was ordered
#: with: FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE inside each quotation, LEFT-TO-RIGHT
#: ISOLATE … POP DIRECTIONAL ISOLATE around each web link's words and each note's mark, and
#: no other direction control
TEXT_KEY = "BriefkitText"

#: the key of the same properties whose value is the base level the line was put in display
#: order with by the Unicode Bidirectional Algorithm: 0 (left to right), the direction of
#: every language a brief can be written in; the reader takes no other
BASE_KEY = "BriefkitBase"


#: what a glyph of a shaped cluster after its first reads as (its ``/ToUnicode`` entry): the
#: cluster's text is its first glyph's, and an empty entry is not allowed. U+FDD0 is a
#: noncharacter, which no font draws and so no brief's page shows: outside a line put back in
#: logical order (where the reader takes it for a further glyph of the cluster before), it is
#: compared as any other character and never matches a brief's text
FURTHER_GLYPH = "\ufdd0"


def figure_file(number: int, media_type: str) -> str:
    """The name of the embedded file that holds figure ``number``'s bytes as they are:
    ``figure-1.png`` or ``figure-1.jpg``."""
    return f"figure-{number}." + ("jpg" if media_type == "image/jpeg" else "png")


def file_relationship(name: str) -> str:
    """How the embedded file ``name`` relates to the document, as an associated file
    (``/AFRelationship``): the manifest is ``Data`` (what the document's citations rest on),
    a figure's bytes are its ``Source``."""
    return "Data" if name == MANIFEST_NAME else "Source"
