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
from briefkit.text import ignorable, shown, split_lines, unshapeable

__all__ = ["ignorable", "link", "markup", "shown", "unshapeable"]

_SPACES = re.compile(r" {2,}")


def _line(text: str, fonts: RegisteredFonts) -> str:
    shown_text = shown(text)
    if fonts.body_covers(shown_text):  # the common case: one face, nothing to split
        return escape(_SPACES.sub(lambda m: " " + "\u00a0" * (len(m.group()) - 1), shown_text))
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
        keep_with_base = unicodedata.combining(ch) and run and face is not None
        if keep_with_base and not fonts.covers(face or "", ch):
            keep_with_base = False  # the base's face lacks the mark: take the mark's own face
        if want != face and not keep_with_base:
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
