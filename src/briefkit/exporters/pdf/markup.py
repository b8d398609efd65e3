"""Brief and source text -> reportlab paragraph markup, with nothing from the data interpreted.

Every character is escaped; reportlab's markup comes only from this module's templates. XML-
illegal characters become their one-for-one stand-ins, every newline style a ``<br/>``, runs
of spaces keep their width (no-break spaces after the first), and characters the body face
lacks are wrapped in ``<font face=…>`` runs of the first fallback face that has them; a
combining mark stays in the face of its base character.
"""

from __future__ import annotations

import re
import unicodedata
from xml.sax.saxutils import escape, quoteattr

from briefkit.exporters.pdf.fonts import RegisteredFonts
from briefkit.text import display, split_lines

__all__ = ["ignorable", "link", "markup", "shown", "unshapeable"]

_SPACES = re.compile(r" {2,}")
_C1 = re.compile("[\x80-\x9f]")
_IGNORABLE = re.compile(
    "[\u00ad\u034f\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f"
    "\ufeff\U000e0000-\U000e0fff]"
)


def ignorable(ch: str) -> bool:
    """Default-ignorable characters (joiners, variation selectors, tags …): invisible, so when
    no font has them they are simply not drawn."""
    return bool(_IGNORABLE.match(ch))


# Scripts reportlab cannot shape: right-to-left (Hebrew, Arabic, Syriac, Thaana, NKo …) and
# the Brahmic scripts whose clusters need reordering or conjunct forms.
_UNSHAPEABLE = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe"
    "\u0900-\u0dff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff\ua8e0-\ua8ff"
    "\U00010800-\U00010fff\U0001e800-\U0001efff]"
)


def unshapeable(text: str) -> list[str]:
    """Characters of scripts the PDF engine cannot shape correctly (RTL and Brahmic)."""
    return sorted(set(_UNSHAPEABLE.findall(text)))


def shown(text: str) -> str:
    """What the PDF draws for one line: :func:`briefkit.text.display`, plus DEL as ``␡`` and C1
    controls as U+FFFD (one-for-one), and a tab as four spaces."""
    return _C1.sub("\ufffd", display(text).replace("\x7f", "\u2421")).replace("\t", "    ")


def _line(text: str, fonts: RegisteredFonts) -> str:
    shown_text = shown(text)
    shown_text = _SPACES.sub(lambda m: " " + "\u00a0" * (len(m.group()) - 1), shown_text)
    out: list[str] = []
    face: str | None = ""
    run: list[str] = []

    def flush() -> None:
        if run:
            body = escape("".join(run))
            out.append(f"<font face={quoteattr(face)}>{body}</font>" if face else body)
            run.clear()

    for ch in shown_text:
        want = fonts.face_for(ch)
        if want is None:
            if ignorable(ch):
                continue  # an invisible format character no font has: nothing to draw
            want = ""  # the coverage check reports anything else before layout
        if want != face and not (unicodedata.combining(ch) and run):
            flush()
            face = want
        run.append(ch)
    flush()
    return "".join(out)


def markup(text: str, fonts: RegisteredFonts) -> str:
    """Paragraph markup that shows ``text`` exactly."""
    return "<br/>".join(_line(line, fonts) for line in split_lines(text))


def link(url: str, text_markup: str) -> str:
    """An external link, for ``http(s)`` URLs only (anything else is shown as plain text)."""
    if re.fullmatch(r"https?://[^\s<>\"]+", url, flags=re.IGNORECASE):
        return f'<a href={quoteattr(url)} color="#0B5CAD">{text_markup}</a>'
    return text_markup
