"""Where a written file keeps its provenance manifest and each footnote's citations: defined
once for the writer and the reader.

Each citation of a footnote is marked by a hidden bookmark (its name starts with ``_``, so Word
lists it only on request, and Word and LibreOffice keep it) named :func:`cite_bookmark`: the
note's number and the citation's place in it, nothing else. What the citation cites
(``SOURCE:START-END``) is the text of the custom document property of the same name
(``docProps/custom.xml``), which Word and LibreOffice keep as well. A value longer than Word
keeps in one property (:data:`PROPERTY_CHARS`) goes on in the properties ``NAME~2``,
``NAME~3`` …

Headings, tables and figures carry a bookmark named after their anchor (``sec-2-1``,
``table-1``, ``figure-1``, :func:`anchor_bookmark`), which cross-references and the table of
contents link to; the table of contents is one field of the instruction :data:`TOC_FIELD`.

A cross-reference with its page (``Table 2 on page 4``, :func:`briefkit.plan.page_ref`) shows
its page as one ``PAGEREF`` field of the instruction :func:`page_instruction` (the target's
bookmark, ``\\h``), between the text :func:`page_phrase` gives; before the document is laid
out the field's result is :data:`PAGE_PLACEHOLDER`.
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping

from briefkit.locales import Locale

__all__ = [
    "CITE_BOOKMARK",
    "MANIFEST_NS",
    "PAGE_PLACEHOLDER",
    "PROPERTY_CHARS",
    "TOC_FIELD",
    "anchor_bookmark",
    "cite_bookmark",
    "page_bookmark",
    "page_instruction",
    "page_phrase",
    "property_chunks",
    "property_value",
]

#: the namespace of the custom XML part that holds the manifest
MANIFEST_NS = "urn:briefkit:provenance"

#: the name of the bookmark of citation ``k`` of footnote ``n``: ``_bkc<n>_<k>``. LibreOffice
#: (7.4) renames the bookmarks of every footnote but the first on each save, appending
#: ``_Copy_1``: that suffix is LibreOffice's, and read as the same name.
CITE_BOOKMARK = re.compile(r"_bkc([1-9][0-9]*)_([1-9][0-9]*)(?:_Copy_[0-9]+)*\Z")

#: the instruction of the table of contents field: headings of levels 1 to 3, as hyperlinks
TOC_FIELD = 'TOC \\o "1-3" \\h'

#: the most characters of text Word keeps in one custom document property
PROPERTY_CHARS = 255


def cite_bookmark(note: int, k: int) -> str:
    """The bookmark (and property) name of citation ``k`` (from 1) of note ``note``."""
    return f"_bkc{note}_{k}"


def property_chunks(name: str, value: str) -> list[tuple[str, str]]:
    """``(property name, text)`` for ``value``: at most :data:`PROPERTY_CHARS` each."""
    pieces = [value[i : i + PROPERTY_CHARS] for i in range(0, len(value), PROPERTY_CHARS)]
    return [(name if k == 1 else f"{name}~{k}", piece) for k, piece in enumerate(pieces or [""], 1)]


def property_value(properties: Mapping[str, str], name: str) -> str | None:
    """The value kept under ``name`` and its continuations, or ``None`` when there is none."""
    first = properties.get(name)
    if first is None:
        return None
    out = [first]
    k = 2
    while (more := properties.get(f"{name}~{k}")) is not None:
        out.append(more)
        k += 1
    return "".join(out)


def anchor_bookmark(anchor: str, sentences: Container[str]) -> str:
    """The name of the bookmark a link to ``anchor`` (``sec-2``, ``table-1``, ``sources``)
    points at: the anchor itself, unless a sentence (whose bookmark bears its id) is named so
    (the anchors ``bibliography`` and ``sources`` could be sentence ids; a bookmark name is
    unique in a document, and a sentence id has no hyphen)."""
    return f"{anchor}-heading" if anchor in sentences else anchor


#: The result a page reference's ``PAGEREF`` field is written with: the page cannot be known
#: without laying the document out, so a visible placeholder (LaTeX shows ``??`` for the same
#: reason) that Word replaces when it updates the field (the writer marks it dirty, and asks
#: Word to update fields on opening) and LibreOffice when it lays the document out.
PAGE_PLACEHOLDER = "?"


def page_phrase(locale: Locale, shown: str) -> tuple[str, str]:
    """The text before and after the page number in :func:`briefkit.plan.page_ref` of the
    reference ``shown``: ``("Table 2 on page ", "")`` in English, ``("", "ページの表2")`` in
    Japanese (the label is split around its ``{page}``)."""
    head, _, tail = locale.labels["page_ref"].partition("{page}")
    return head.format(ref=shown), tail.format(ref=shown)


def page_instruction(bookmark: str) -> str:
    """The instruction of the field showing the page of ``bookmark``: ``PAGEREF table-2 \\h``
    (``\\h``: a hyperlink to it, as Word writes page references)."""
    return f"PAGEREF {bookmark} \\h"


#: the switches a page reference's field may carry: ``\\h``, and number formats
_PAGE_SWITCH = re.compile(r"\\h|\\\*\s+(?:MERGEFORMAT|CHARFORMAT|ARABIC|ROMAN)", re.I)


def page_bookmark(instruction: str) -> str | None:
    """The bookmark a ``PAGEREF`` field of the instruction ``instruction`` shows the page of,
    when it shows nothing else (switches ``\\h`` and number formats only); else None."""
    words = instruction.split(None, 2)
    if len(words) < 2 or words[0].upper() != "PAGEREF":
        return None
    rest = words[2] if len(words) > 2 else ""
    if _PAGE_SWITCH.sub("", rest).strip():
        return None
    name = words[1]
    return name[1:-1] if len(name) > 1 and name[0] == name[-1] == '"' else name
