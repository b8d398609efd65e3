"""Page furniture — headers and footers — as the writer leaves it and the checker accepts it:
defined once for both.

A header or footer is read as its *furniture text*: every piece of text in it, shown or not
(hidden and deleted text too, the text of its text boxes and of their markup-compatibility
fallbacks), each field as its instruction and each picture, shape or object as its kind
between ``\\x01`` and ``\\x02`` (characters no XML text holds, so no text can pass for them),
whitespace collapsed. The result of a page-number field (``PAGE``, ``NUMPAGES``,
``SECTIONPAGES``, ``SECTION``, with at most number-format switches), which Word and LibreOffice
write again on every page, is left out when it is a page number (digits, roman numerals, or up
to three letters); any other field's result is text like the rest.

Briefkit's own footer is exactly one ``PAGE`` field and nothing else (:func:`is_page_number`).
A template's header or footer is kept as it is, and the writer records the sha256 of the
furniture text of each (:func:`digest`) in the custom document property :data:`PROPERTY`, as
JSON ``{"header-default": sha256, "footer-first": …}`` keyed by :func:`furniture_key` (the
kind and the ``w:type`` of the reference, which survive a save by Word or LibreOffice where
part names do not).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping

import attrs
from lxml import etree

__all__ = [
    "PAGE_FIELDS",
    "PROPERTY",
    "digest",
    "furniture_key",
    "furniture_text",
    "is_page_number",
    "parse_record",
    "record",
]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_M = "http://schemas.openxmlformats.org/officeDocument/2006/math"

#: The custom document property that records the kept headers' and footers' digests.
PROPERTY = "briefkit_furniture"

#: Fields whose result is a page number, written again on every page.
PAGE_FIELDS = frozenset({"PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION"})

#: The switches a page-number field may carry (``\\* ARABIC`` …) and still be furniture.
_FORMATS = frozenset({"MERGEFORMAT", "CHARFORMAT", "ARABIC", "ROMAN", "ALPHABETIC"})
_PAGE_RESULT = re.compile(r"[0-9]{0,9}|[ivxlcdmIVXLCDM]{0,15}|[A-Za-z]{0,3}")
_OWN_FOOTER = re.compile(r"\x01PAGE\x02")

_TEXTS = {f"{{{_W}}}t", f"{{{_W}}}delText", f"{{{_M}}}t"}
_SPACES = {f"{{{_W}}}tab", f"{{{_W}}}ptab", f"{{{_W}}}br", f"{{{_W}}}cr"}
_P = f"{{{_W}}}p"
_INSTR = f"{{{_W}}}instrText"
_SYM = f"{{{_W}}}sym"
_FLD_CHAR = f"{{{_W}}}fldChar"
_SIMPLE = f"{{{_W}}}fldSimple"
#: a picture, shape or embedded object: furniture text notes each one
_OBJECTS = {f"{{{_W}}}drawing", f"{{{_W}}}pict", f"{{{_W}}}object"}


@attrs.define
class _Field:
    instruction: list[str]
    result: list[str]
    in_result: bool


def _page_instruction(instruction: str) -> bool:
    words = instruction.split()
    if not words or words[0].upper() not in PAGE_FIELDS:
        return False
    rest = words[1:]
    if len(rest) % 2:
        return False
    return all(
        switch == "\\*" and fmt.upper() in _FORMATS
        for switch, fmt in zip(rest[::2], rest[1::2], strict=True)
    )


def _close(field: _Field) -> str:
    instruction = " ".join("".join(field.instruction).split())
    result = "".join(field.result)
    if _page_instruction(instruction):
        instruction = instruction.split()[0].upper()
        if _PAGE_RESULT.fullmatch("".join(result.split())):
            result = ""
    return f"\x01{instruction}\x02{result}"


def furniture_text(root: etree._Element) -> str:
    """The furniture text of a header or footer part (see the module's docstring)."""
    out: list[str] = []
    fields: list[_Field] = []
    simple: list[int] = []  # for each open w:fldSimple: how many fields were open with it

    def sink() -> list[str]:
        if not fields:
            return out
        top = fields[-1]
        return top.result if top.in_result else top.instruction

    def close_to(depth: int) -> None:
        while len(fields) > depth:
            closed = _close(fields.pop())
            sink().append(closed)

    for event, node in etree.iterwalk(root, events=("start", "end")):
        tag = node.tag
        if not isinstance(tag, str):
            continue
        if event == "end":
            if tag == _P:
                sink().append(" ")
            elif tag == _SIMPLE and simple:
                close_to(simple.pop() - 1)
        elif tag in _TEXTS:
            sink().append(node.text or "")
        elif tag in _SPACES:
            sink().append(" ")
        elif tag == _INSTR:
            sink().append(node.text or "")
        elif tag in _OBJECTS:
            sink().append(f"\x01{etree.QName(tag).localname}\x02")
        elif tag == _SYM:
            sink().append("\ufffd" + node.get(f"{{{_W}}}char", ""))  # a symbol, by its code
        elif tag == _FLD_CHAR:
            kind = node.get(f"{{{_W}}}fldCharType", "")
            if kind == "begin":
                fields.append(_Field([], [], False))
            elif kind == "separate" and fields:
                fields[-1].in_result = True
            elif kind == "end" and fields:
                close_to(len(fields) - 1)
        elif tag == _SIMPLE:
            fields.append(_Field([node.get(f"{{{_W}}}instr", "")], [], True))
            simple.append(len(fields))
    close_to(0)
    return " ".join("".join(out).split())


def digest(text: str) -> str:
    """The sha256 (hex) of a furniture text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_page_number(text: str) -> bool:
    """Whether a furniture text is briefkit's own footer: one ``PAGE`` field, nothing else."""
    return _OWN_FOOTER.fullmatch(text) is not None


def furniture_key(kind: str, type_: str | None) -> str:
    """``header-default``, ``footer-first``, ``footer-even`` …"""
    return f"{kind}-{type_ or 'default'}"


def record(digests: Mapping[str, str]) -> str:
    """The value of :data:`PROPERTY`: the digests as compact JSON, keys sorted."""
    return json.dumps(dict(digests), sort_keys=True, separators=(",", ":"))


def parse_record(value: str | None) -> dict[str, str]:
    """The digests :func:`record` wrote (an unreadable value records nothing)."""
    if value is None:
        return {}
    try:
        data = json.loads(value)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}
