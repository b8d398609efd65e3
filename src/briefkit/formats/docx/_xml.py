"""WordprocessingML element builders: small functions that return XML text fragments.

The document body is assembled from strings, not from a DOM, so building a brief of any size
is one linear pass (python-docx's ``add_paragraph`` rescans the body on every call). Every piece
of brief or source text goes through :func:`text_runs`, which escapes it, shows XML-illegal
characters one-for-one (:func:`briefkit.text.display`), turns every newline style into a
``<w:br/>``, tabs into ``<w:tab/>``, splits very long text into several runs, and marks runs of
right-to-left and East Asian script so Word and LibreOffice shape them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from briefkit._text import display

__all__ = [
    "NS",
    "Look",
    "attr",
    "bookmark_end",
    "bookmark_start",
    "esc",
    "footnote_reference",
    "paragraph",
    "run_props",
    "text_runs",
]

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}

#: Longest text put into one ``<w:t>`` (lxml refuses text nodes over 10 MB by default).
MAX_RUN_CHARS = 32_000


# Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic and their presentation forms.
_RTL = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe"
# Hangul, CJK radicals to Yi, Hangul syllables, compatibility ideographs, fullwidth forms,
# and the supplementary ideographic planes.
_CJK = (
    "\u1100-\u11ff\u2e80-\ua4cf\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
    "\U00020000-\U0003ffff"
)
_SCRIPT_RUNS = re.compile(
    rf"(?P<rtl>[{_RTL}](?:[\s\d\W]*[{_RTL}])*)|(?P<cjk>[{_CJK}](?:[\s\W]*[{_CJK}])*)"
)
_BREAKS = re.compile("(\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]|\t)")


def esc(text: str) -> str:
    """Escape for XML text and double-quoted attribute values."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def attr(value: str) -> str:
    """An attribute value, shown one-for-one and escaped."""
    return esc(display(value))


#: A run's own bold and italics: ``(bold, italic)``, each True (on), False (off) or None
#: (as its styles have it).
Look = tuple[bool | None, bool | None]


def _toggle(name: str, value: bool) -> str:
    """``<w:b/><w:bCs/>`` (on) or ``<w:b w:val="0"/><w:bCs w:val="0"/>`` (off)."""
    val = "" if value else ' w:val="0"'
    return f"<w:{name}{val}/><w:{name}Cs{val}/>"


def run_props(
    *,
    style: str | None = None,
    bold: bool = False,
    italic: bool = False,
    script: str | None = None,
    look: Look = (None, None),
) -> str:
    """``<w:rPr>`` with its children in schema order (rStyle, rFonts, b, bCs, i, iCs, rtl),
    or "". ``bold`` and ``italic`` write ``w:b`` and ``w:i``; ``look`` (which takes their
    place when it says something) writes the author's emphasis, with the complex-script
    twins."""
    parts = []
    if style:
        parts.append(f'<w:rStyle w:val="{style}"/>')
    if script == "cjk":
        parts.append('<w:rFonts w:hint="eastAsia"/>')
    if look[0] is not None:
        parts.append(_toggle("b", look[0]))
    elif bold:
        parts.append("<w:b/>")
    if look[1] is not None:
        parts.append(_toggle("i", look[1]))
    elif italic:
        parts.append("<w:i/>")
    if script == "rtl":
        parts.append("<w:rtl/>")
    return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""


def _pieces(text: str) -> Iterable[tuple[str | None, str]]:
    """Split text into (script kind, piece) with kind None, "rtl" or "cjk"."""
    pos = 0
    for m in _SCRIPT_RUNS.finditer(text):
        if m.start() > pos:
            yield None, text[pos : m.start()]
        yield m.lastgroup, m.group()
        pos = m.end()
    if pos < len(text):
        yield None, text[pos:]


def _content(piece: str) -> str:
    out = []
    for token in _BREAKS.split(piece):
        if not token:
            continue
        if token == "\t":
            out.append("<w:tab/>")
        elif _BREAKS.fullmatch(token):
            out.append("<w:br/>")
        else:
            shown = display(token)
            for k in range(0, len(shown), MAX_RUN_CHARS):
                out.append(f'<w:t xml:space="preserve">{esc(shown[k : k + MAX_RUN_CHARS])}</w:t>')
    return "".join(out)


def text_runs(
    text: str,
    *,
    style: str | None = None,
    bold: bool = False,
    italic: bool = False,
    look: Look = (None, None),
) -> str:
    """Runs (``<w:r>``) showing ``text`` exactly, with the given character formatting
    (see :func:`run_props`).

    A ``<w:t>`` holds at most :data:`MAX_RUN_CHARS` characters; a longer piece gets several.
    """
    runs = []
    for kind, piece in _pieces(text):
        content = _content(piece)
        if content:
            rpr = run_props(style=style, bold=bold, italic=italic, script=kind, look=look)
            runs.append(f"<w:r>{rpr}{content}</w:r>")
    return "".join(runs)


def footnote_reference(number: int) -> str:
    return (
        '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
        f'<w:footnoteReference w:id="{number}"/></w:r>'
    )


def bookmark_start(bid: int, name: str) -> str:
    return f'<w:bookmarkStart w:id="{bid}" w:name="{attr(name)}"/>'


def bookmark_end(bid: int) -> str:
    return f'<w:bookmarkEnd w:id="{bid}"/>'


def paragraph(
    content: str,
    *,
    style: str | None = None,
    keep_next: bool | None = None,
    align: str | None = None,
    space_before: int | None = None,
    tab: int | None = None,
    outline: int | None = None,
) -> str:
    """``<w:p>`` with its properties in schema order (pStyle, keepNext, tabs, spacing, jc,
    outlineLvl); ``keep_next`` False turns off a keep-with-next the style gives;
    ``space_before`` in twips; ``tab`` a right tab stop with a dot leader at that position
    (twips); ``outline`` the outline level (9: body text, never listed as a heading)."""
    inner = (
        (f'<w:pStyle w:val="{style}"/>' if style else "")
        + {None: "", True: "<w:keepNext/>", False: '<w:keepNext w:val="0"/>'}[keep_next]
        + (
            f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{tab}"/></w:tabs>'
            if tab is not None
            else ""
        )
        + (f'<w:spacing w:before="{space_before}"/>' if space_before is not None else "")
        + (f'<w:jc w:val="{align}"/>' if align else "")
        + (f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else "")
    )
    ppr = f"<w:pPr>{inner}</w:pPr>" if inner else ""
    return f"<w:p>{ppr}{content}</w:p>"
