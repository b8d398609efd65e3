"""Brief and source text -> reportlab paragraph markup, with nothing from the data interpreted.

Every character is escaped; reportlab's markup comes only from this module's templates. XML-
illegal characters become their one-for-one stand-ins, every newline style a ``<br/>``, runs
of spaces keep their width (no-break spaces after the first), and characters the body face
lacks are wrapped in ``<font face=…>`` runs of the first fallback face that has them; a
combining mark stays in the face of its base character. U+FEFF (zero-width no-break space) is
never drawn as itself: PDF text extraction (pypdf) takes it for an Arabic presentation form and
reverses the punctuation after it, so it is drawn as U+2060 WORD JOINER, its equivalent, or (no
face having that) not at all, as it is invisible either way. :func:`hold_blank_lines` gives
each blank line of a paragraph a no-break space, so that reportlab can split the paragraph there.
:class:`Paragraph` is reportlab's, drawn without the empty pieces of a link that splitting a
long word leaves behind, and with each line that holds right-to-left or shaped text rebuilt
first (:mod:`._shaping`).
"""

from __future__ import annotations

import copy
import functools
import html
import itertools
import re
import unicodedata
from collections.abc import Callable
from typing import Any, cast
from xml.sax.saxutils import escape, quoteattr

from reportlab.lib.colors import toColor
from reportlab.lib.fonts import tt2ps
from reportlab.platypus import Paragraph as _ReportlabParagraph
from reportlab.platypus import paragraph as _rl_paragraph
from reportlab.platypus import paraparser as _paraparser
from reportlab.platypus.paragraph import FragLine
from reportlab.platypus.paraparser import ParaParser

from briefkit._text import ignorable, shown, split_lines
from briefkit.formats.pdf._fonts import RegisteredFonts
from briefkit.formats.pdf._shaping import CALLBACK, needs_rebuild, rebuild_line

__all__ = [
    "LINK_COLOUR",
    "Paragraph",
    "hold_blank_lines",
    "ignorable",
    "link",
    "linked",
    "markup",
    "shown",
    "web_link",
]

#: The colour of a link's text.
LINK_COLOUR = "#0B5CAD"

_SPACES = re.compile(r" {2,}")
_ZWNBSP, _WORD_JOINER = "\ufeff", "\u2060"
_TAG = re.compile(r"<[^>]*>")  # only this module's templates: data text is always escaped
_BREAK = "<br/>"


def _stand_ins(text: str, fonts: RegisteredFonts) -> str:
    """``text`` with U+FEFF as U+2060, or left out (see the module docstring)."""
    if _ZWNBSP not in text:
        return text
    return text.replace(_ZWNBSP, _WORD_JOINER if fonts.face_for(_WORD_JOINER) is not None else "")


def _line(text: str, fonts: RegisteredFonts) -> str:
    shown_text = _stand_ins(shown(text), fonts)
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

    i, size = 0, len(shown_text)
    while i < size:
        if face == "":  # a run the body face draws stays in it, whatever it holds
            end = fonts.body_run(shown_text, i)
            if end > i:
                run.append(shown_text[i:end])
                i = end
                continue
        ch = shown_text[i]
        i += 1
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
    return _BREAK.join(_line(line, fonts) for line in split_lines(text))


def _blank(line_markup: str) -> bool:
    """Whether reportlab finds no word on the line: only breaking spaces or none at all."""
    return all(
        ch == "\u200b" or (ch.isspace() and ch != "\u00a0") for ch in _TAG.sub("", line_markup)
    )


def hold_blank_lines(paragraph_markup: str) -> str:
    """The whole markup of a paragraph, with a no-break space on each blank line.

    reportlab keeps no fragment for a line without words, so it cannot split a paragraph after
    such lines only (it refuses, or fails with an IndexError, when a paragraph starts with
    them) and moves a blank line at a split to the other part; a no-break space is a word that
    shows nothing."""
    lines = paragraph_markup.split(_BREAK)
    return _BREAK.join(line + "\u00a0" if _blank(line) else line for line in lines)


#: One token of this module's markup, as Python's HTML parser reads it: a start tag (its
#: attributes, each value in double or single quotes), an end tag, a named entity, or text.
_TOKEN = (
    r"<([a-z]+)((?:\s+[a-z]+=(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>"
    r"|</([a-z]+)>"
    r"|&([a-z]+);"
    r"|([^<&]+)"
)
_TOKENS = re.compile(_TOKEN)
_MARKUP = re.compile(f"(?:{_TOKEN})*")
_ATTRIBUTE = re.compile(r"\s+([a-z]+)=(\"[^\"]*\"|'[^']*')")
#: The attributes of a start tag as Python's HTML parser gives them, by their markup.
_ATTRIBUTES: dict[str, tuple[tuple[str, str], ...]] = {}
_MOST_ATTRIBUTES = 512
#: Each colour this module's markup names, as reportlab reads it (:meth:`_Parser.getAttributes`).
_COLOURS: dict[str, Any] = {}
_MOST_COLOURS = 64


#: reportlab's own helpers, not in its stubs
_apply_attributes: Callable[[Any, dict[str, Any]], None] = _paraparser._applyAttributes  # type: ignore[attr-defined]
_text_transform: Callable[[Any, Any], None] = _rl_paragraph.textTransformFrags  # type: ignore[attr-defined]


def _copy(frag: Any) -> Any:
    """What ``copy.copy`` makes of a plain object (one without ``__slots__``, ``__copy__``
    or ``__setstate__``, as reportlab's paragraph fragments are)."""
    out = frag.__class__.__new__(frag.__class__)
    out.__dict__.update(frag.__dict__)
    return out


def _attributes(markup: str) -> tuple[tuple[str, str], ...]:
    got = _ATTRIBUTES.get(markup)
    if got is None:
        got = tuple(
            (name, html.unescape(value[1:-1]) if "&" in value else value[1:-1])
            for name, value in _ATTRIBUTE.findall(markup)
        )
        if len(_ATTRIBUTES) >= _MOST_ATTRIBUTES:
            _ATTRIBUTES.clear()
        _ATTRIBUTES[markup] = got
    return got


class _Parser(ParaParser):
    """reportlab's paragraph parser, reading this module's markup (and only that) without
    Python's general HTML parser: it calls reportlab's own handlers with what that parser would
    give them, in the same order — each run of text up to a ``<`` or ``&``, each named entity,
    each tag with its attributes unescaped — so the fragments are the same. Markup it does not
    know (:data:`_TOKEN`) is left to the HTML parser."""

    def feed(self, data: str) -> None:
        if not data or _MARKUP.fullmatch(data) is None:
            super().feed(data)
            return
        for tag, attributes, closed, end, entity, text in _TOKENS.findall(data):
            if text:
                self.handle_data(text)
            elif tag:
                attrs: list[tuple[str, str | None]] = (
                    list(_attributes(attributes)) if attributes else []
                )
                if closed:
                    self.handle_startendtag(tag, attrs)
                else:
                    self.handle_starttag(tag, attrs)
            elif end:
                self.handle_endtag(end)
            else:
                self.handle_entityref(entity)

    # reportlab copies a fragment with copy.copy; a fragment is a plain object, whose copy
    # is a new one with its attributes (what copy.copy does, without its dispatch)

    def _push(self, tag: str, **attr: Any) -> None:
        frag = _copy(self._stack[-1])
        frag.__tag__ = tag
        _apply_attributes(frag, attr)
        self._stack.append(frag)

    def handle_data(self, data: str) -> None:
        """reportlab's own; a piece of text in the fragment at the top of the stack made
        faster (no callback, not a bullet, not in Greek)."""
        top = self._stack[-1]
        state = top.__dict__
        if (
            "cbDefn" in state
            or "_selfClosingTag" in state
            or "isBullet" in state
            or state.get("greek", True)
        ):
            super().handle_data(data)
            return
        frag = _copy(top)
        frag.fontName = tt2ps(frag.fontName, frag.bold, frag.italic)
        frag.text = data
        self.fragList.append(frag)

    def getAttributes(self, attr: dict[str, str], attrMap: dict[str, Any]) -> dict[str, Any]:
        """reportlab's own, with each colour read once (reportlab reads a colour with a parser
        of its own, which made it most of the cost of a link)."""
        parent: Any = super()
        if not self.caseSensitive or any(k not in attrMap for k in attr):
            return cast(dict[str, Any], parent.getAttributes(attr, attrMap))
        out: dict[str, Any] = {}
        for k, v in attr.items():
            name, convert = attrMap[k][:2]
            if convert is None:
                out[name] = v
            elif convert is toColor:
                colour = _COLOURS.get(v)
                if colour is None:
                    colour = toColor(v)
                    if len(_COLOURS) < _MOST_COLOURS:
                        _COLOURS[v] = colour
                out[name] = colour
            else:
                return cast(dict[str, Any], parent.getAttributes(attr, attrMap))
        return out


class Paragraph(_ReportlabParagraph):
    """reportlab's paragraph, drawn without the pieces of a link that hold no text, and with
    its right-to-left and shaped lines rebuilt.

    When a word too long for its line is split (``_splitFragWord``), reportlab may leave an
    empty piece of a link's fragment later on a line where the link already ended; drawing it
    starts the link's record again at that point, with no width, and the link's real rectangle
    is lost (the annotation covers nothing). Such pieces draw nothing, so they are left out;
    splitting keeps this class, as reportlab splits into ``self.__class__``.

    A line that holds right-to-left or shaped text (:func:`._shaping.needs_rebuild`) is
    rebuilt when the paragraph is first drawn (:func:`._shaping.rebuild_line`): its pieces in
    display order, shaped, between markers that open and close its marked content; a line
    drawn again (a piece of a split paragraph) keeps what it was rebuilt into. A paragraph of
    one style is made a paragraph of styled pieces first, which reportlab draws alike."""

    def _setup(
        self,
        text: str | None,
        style: Any,
        bulletText: Any,  # reportlab's name
        frags: Any,
        cleaner: Callable[[str], str],
    ) -> None:
        """reportlab's own, with its parser reading this module's markup directly
        (:class:`_Parser`)."""
        if frags is None and text is not None:
            text = cleaner(text)
            parser: Any = _Parser()
            parser.caseSensitive = self.caseSensitive
            style, frags, bullet_frags = parser.parse(text, style)
            if frags is None:
                raise ValueError(
                    f"xml parser error ({parser.errors[0]}) in paragraph beginning\n"
                    f"'{text[: min(30, len(text))]}'"
                )
            _text_transform(frags, style)
            if bullet_frags:
                bulletText = bullet_frags
        super()._setup(text, style, bulletText, frags, cleaner)  # type: ignore[misc]

    def draw(self) -> None:
        para = getattr(self, "blPara", None)
        if para is not None and getattr(para, "kind", 0) == 0 and _rebuilt_any(para):
            _as_fragment_lines(para)
        if para is not None and getattr(para, "kind", 0) == 1:
            spans: dict[str, str] = {}
            for line in para.lines:
                words = line.words
                kept = [w for w in words if not _empty_link_piece(w)]
                if kept and len(kept) != len(words):
                    line.words = words = kept
                opened = getattr(line, "briefkit_spans", None)
                if opened is not None:  # rebuilt when first drawn
                    spans.update(opened)
                    continue
                text = "".join(w.text for w in words if not hasattr(w, "cbDefn"))
                if not needs_rebuild(text):
                    continue
                line.words, wider, opened = rebuild_line(words, _BASE, f"l{next(_LABELS)}")
                line.extraSpace -= wider
                line.briefkit_spans = opened
                spans.update(opened)
            if spans:
                self.canv.setNamedCB(CALLBACK, functools.partial(_span, spans))
        super().draw()


#: The base level of every paragraph: left to right, the direction of every language a brief
#: can be written in (see :data:`briefkit.locales.SUPPORTED`); right-to-left text is a run
#: inside it.
_BASE = 0
#: Names for the markers of rebuilt lines (never written to the file: see :func:`_span`).
_LABELS = itertools.count()


def _rebuilt_any(para: Any) -> bool:
    """Whether a paragraph of one style (reportlab's lines of plain words) has a line to
    rebuild (:mod:`._shaping`)."""
    return any(needs_rebuild(" ".join(words)) for _space, words in para.lines)


def _as_fragment_lines(para: Any) -> None:
    """Make a paragraph of one style a paragraph of styled pieces, one per line, which is
    what a rebuilt line is drawn from (reportlab draws the two kinds alike)."""
    lines = []
    for space, words in para.lines:
        frag = copy.copy(para)
        frag.text = " ".join(words)
        frag.__dict__.pop("cbDefn", None)  # a piece of text, never a callback
        lines.append(
            FragLine(
                extraSpace=space,
                wordCount=len(words),
                words=[frag],
                fontSize=para.fontSize,
                ascent=getattr(para, "ascent", para.fontSize),
                descent=getattr(para, "descent", 0),
                lineBreak=getattr(para, "lineBreak", False),
            )
        )
    para.lines = lines
    para.kind = 1


def _span(spans: dict[str, str], canvas: Any, _kind: str, label: str) -> None:
    """Open (``label``) or close (``label/``) marked content around rebuilt text."""
    canvas._curr_tx_info["tx"]._code.append("EMC" if label.endswith("/") else spans[label])


def _empty_link_piece(frag: object) -> bool:
    return (
        not hasattr(frag, "cbDefn")
        and getattr(frag, "text", None) == ""
        and bool(getattr(frag, "link", None))
    )


def linked(url: str) -> bool:
    """Whether :func:`link` makes ``url`` a link (``http(s)`` URLs only)."""
    return re.fullmatch(r"https?://[^\s<>\"]+", url, flags=re.IGNORECASE) is not None


def link(url: str, text_markup: str) -> str:
    """An external link, for ``http(s)`` URLs only (anything else is shown as plain text)."""
    return web_link(url, text_markup) if linked(url) else text_markup


def web_link(url: str, text_markup: str) -> str:
    """A link to ``url`` (a :data:`briefkit.model.LINK_URL`, which the model has checked:
    ``http``, ``https`` or ``mailto``) over ``text_markup``, in the links' blue."""
    return f"<a href={quoteattr(url)} color={quoteattr(LINK_COLOUR)}>{text_markup}</a>"
