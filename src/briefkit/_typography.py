"""Display typography: how quoted source text is shown in a brief.

Each function is pure and deterministic, and its docstring states its rules completely, so
verify can apply the same function to the source text again and compare. None of them uses
the locale of the machine; the marks a caller wants come in as arguments.

* :func:`reflow` joins the lines of a hard-wrapped source.
* :func:`smart_quotes` turns straight quotation marks and apostrophes into curly ones.
* :func:`drop_doubled_stop` leaves out a full stop that would follow a quotation already
  ending in one.
* :func:`isolate` keeps the direction controls of a piece of source or metadata text from
  running on into the text around it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

__all__ = [
    "BIDI_CONTROLS",
    "drop_doubled_stop",
    "isolate",
    "isolation",
    "needs_isolation",
    "reflow",
    "smart_quotes",
]

# Unicode's White_Space characters, split into line breaks and the rest. (Python's
# str.isspace() also counts U+001C..U+001F, which are not White_Space; they are left alone.)
_BREAK_CHARS = "\n\v\f\r\x85\u2028\u2029"
_SPACE_CHARS = "\t \xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
_WHITESPACE = frozenset(_BREAK_CHARS + _SPACE_CHARS)

# A whole whitespace run that holds a line break: it starts where the run starts (the
# look-behind, and the possessive quantifier, keep the search linear) and takes every
# whitespace character after the first break.
_BROKEN_RUN = re.compile(
    f"(?<![{re.escape(_SPACE_CHARS)}])[{re.escape(_SPACE_CHARS)}]*+"
    f"[{re.escape(_BREAK_CHARS)}][{re.escape(_SPACE_CHARS + _BREAK_CHARS)}]*"
)


# a soft hyphen and the whitespace run after it, when the run holds a line break
_HYPHENATED = re.compile(
    f"\xad[{re.escape(_SPACE_CHARS)}]*+[{re.escape(_BREAK_CHARS)}]"
    f"[{re.escape(_SPACE_CHARS + _BREAK_CHARS)}]*"
)


def _breaks(run: str) -> int:
    """How many line breaks ``run`` holds; ``\\r\\n`` is one."""
    return sum(run.count(c) for c in _BREAK_CHARS) - run.count("\r\n")


def _paragraph(match: re.Match[str]) -> str:
    return "\n" if _breaks(match.group()) > 1 else " "


def reflow(text: str, *, keep_paragraphs: bool = False) -> str:
    """``text`` as a reader sees it when its source is hard-wrapped.

    Rules, applied to each maximal run of whitespace (the Unicode ``White_Space``
    characters: line breaks, and spaces such as tab, space, U+00A0, U+2000–U+200A, U+202F,
    U+3000):

    * A *line break* is ``\\r\\n`` (one break), ``\\r``, ``\\n``, ``\\v``, ``\\f``, U+0085,
      U+2028 or U+2029.
    * A run without a line break is left exactly as it is (``"a  b"`` stays).
    * A run with exactly one line break, with the spaces before and after it, becomes one
      ASCII space: ``"end \\n    next"`` -> ``"end next"``.
    * A run with two or more line breaks (a paragraph break) becomes one ASCII space, or
      ``"\\n"`` when ``keep_paragraphs`` is true.
    * Runs at the start and end of ``text`` follow the same rules.
    * A soft hyphen (U+00AD) right before a run with a line break — how a source reader
      writes a word hyphenated at the end of a printed line — is left out together with the
      run, so the word reads whole: ``"hyphen\u00ad\nated"`` -> ``"hyphenated"``. A soft
      hyphen anywhere else is kept (it shows nothing).

    Every other character is kept, in order; the work is linear in ``len(text)``.

    Without ``keep_paragraphs`` the result holds no line break and ``reflow`` is idempotent.
    With it, the only line breaks are single ``"\\n"`` between paragraphs; reflowing that
    result again reads each ``"\\n"`` as an ordinary line break, so
    ``reflow(reflow(t, keep_paragraphs=True), keep_paragraphs=True) == reflow(t)`` — apply
    it to the source text once, not to its own output.
    """
    if "\xad" in text:
        text = _HYPHENATED.sub("", text)
    if keep_paragraphs:
        return _BROKEN_RUN.sub(_paragraph, text)
    return _BROKEN_RUN.sub(" ", text)


_APOSTROPHE = "\u2019"
# characters after which a quotation mark opens (besides whitespace and the locale's own
# opening marks): the ASCII ones the rules name, and CJK opening brackets
_OPENING_AFTER = frozenset("([{<«„‚“‘—–-/「『（［｛〈《【〔〖〘〚")


def _visible(ch: str) -> bool:
    """Whether ``ch`` counts as the neighbour of a mark (format characters such as U+FEFF,
    U+200D or U+200F are looked through)."""
    return unicodedata.category(ch) != "Cf"


def _letter(ch: str) -> bool:
    # a combining mark belongs to the letter before it
    return ch != "" and unicodedata.category(ch)[0] in "LM"


def _letter_or_digit(ch: str) -> bool:
    return ch != "" and unicodedata.category(ch)[0] in "LMN"


def _last_visible(text: str) -> str:
    for ch in reversed(text):
        if _visible(ch):
            return ch
    return ""


def _next_visible(text: str, start: int, after: str) -> str:
    for k in range(start, len(text)):
        if _visible(text[k]):
            return text[k]
    for ch in after:
        if _visible(ch):
            return ch
    return ""


def smart_quotes(
    text: str,
    quotes: tuple[str, str],
    inner: tuple[str, str],
    *,
    before: str = "",
    after: str = "",
) -> str:
    """``text`` with each straight ``"`` (U+0022) and ``'`` (U+0027) replaced by a curly mark.

    ``quotes`` and ``inner`` are the (opening, closing) marks for ``"`` and for ``'``.
    ``before`` is the text shown just before ``text`` in the same sentence (``""`` at its
    start) and ``after`` the text shown just after it. Each mark is decided from its
    *neighbours*: the nearest characters before and after it, looking through format
    characters (category Cf: U+FEFF, U+200D, bidi marks …); the neighbour before is taken
    from the text as already converted, then from ``before``; the one after from ``text``,
    then from ``after``. A *letter* is a character of category L or M (a combining mark
    belongs to its letter), a *digit* one of category N.

    1. ``'`` within a word — between two letters or digits (``don't``, ``1990's``) —
       becomes the apostrophe ``’`` (U+2019) in every locale; so does ``'`` at the end of a
       word (``students' books``) unless a single quotation mark opened earlier in the text
       is still open, which it then closes (German ``‚nein‘``).
    2. Otherwise a mark *opens* when the neighbour before is missing (start of the
       sentence), whitespace, one of ``( [ { < « „ ‚ “ ‘ — – - /``, a CJK opening bracket
       (``「 『 （ ［ ｛ 〈 《 【 〔 〖 〘 〚``) or the last character of ``quotes[0]`` or
       ``inner[0]`` — but not the last character of ``quotes[1]`` or ``inner[1]`` (so in
       German, where ``“`` and ``‘`` close, a mark after them closes too); it *closes*
       otherwise. An opening ``"`` becomes ``quotes[0]``, a closing one ``quotes[1]``; an
       opening ``'`` becomes ``inner[0]``, a closing one ``inner[1]``.

    Whether a ``'`` at a word's end closes a quotation depends on the marks before it in
    ``text`` (not in ``before``): convert a sentence's words in one call.

    No other character changes. The result is ``text`` with each straight mark replaced in
    place by its mark string (one character for one when the marks are single characters;
    French guillemets carry a U+202F inside and are two).
    """
    if '"' not in text and "'" not in text:
        return text
    return "".join(_smart(text, quotes, inner, before, after))


def smart_quotes_pieces(
    pieces: Sequence[str], quotes: tuple[str, str], inner: tuple[str, str]
) -> list[str]:
    """:func:`smart_quotes` of the pieces' concatenation, cut where the pieces were cut:
    each straight mark is decided from the text as a whole (pieces of one sentence shown one
    after another, such as plain and emphasised words)."""
    text = "".join(pieces)
    if '"' not in text and "'" not in text:
        return list(pieces)
    chars = _smart(text, quotes, inner, "", "")
    out: list[str] = []
    at = 0
    for piece in pieces:
        out.append("".join(chars[at : at + len(piece)]))
        at += len(piece)
    return out


def _smart(
    text: str, quotes: tuple[str, str], inner: tuple[str, str], before: str, after: str
) -> list[str]:
    """What each character of ``text`` is shown as (see :func:`smart_quotes`)."""
    # the locale's own marks decide: German closes with “ and ‘, which open in English
    opening_after = (_OPENING_AFTER | {quotes[0][-1:], inner[0][-1:]}) - {
        quotes[1][-1:],
        inner[1][-1:],
    }
    prev = _last_visible(before)
    out: list[str] = []
    open_single = 0  # single quotation marks opened and not yet closed
    for i, ch in enumerate(text):
        if ch == '"' or ch == "'":
            following = _next_visible(text, i + 1, after) if ch == "'" else ""
            inside_word = _letter_or_digit(prev) and _letter_or_digit(following)
            if ch == "'" and (inside_word or (_letter(prev) and not open_single)):
                mark = _APOSTROPHE
            else:
                opens = prev == "" or prev in _WHITESPACE or prev in opening_after
                pair = quotes if ch == '"' else inner
                mark = pair[0] if opens else pair[1]
                if ch == "'":
                    open_single += 1 if opens else -1 if open_single else 0
            out.append(mark)
            prev = _last_visible(mark) or prev
        else:
            out.append(ch)
            if _visible(ch):
                prev = ch
    return out


_STOPS = (".", "!", "?", "。", "！", "？")
_CLOSING_MARKS = "”’»«“」』\"'\u202f"
# what :func:`isolate` appends after a piece of text (looked through like a closing mark)
_CLOSERS = "\u202c\u2069"


def drop_doubled_stop(quoted: str, following: str) -> str:
    """``following`` without its first character when that is a full stop (``.`` or ``。``)
    and ``quoted`` — a quotation as displayed, with its closing marks — ends, before any
    closing marks (``” ’ » « “ 」 』 " '`` and U+202F) and any closing direction controls
    (U+202C, U+2069, which :func:`isolate` appends), in ``. ! ? 。 ！ ？``; otherwise
    ``following`` unchanged. An ellipsis is not a full stop: a quotation cut short
    (``“never been str…”``) keeps the sentence's own full stop after it.

    ``drop_doubled_stop("“It ended.”", ".") == ""``;
    ``drop_doubled_stop("“It ended”", ".") == "."``.
    """
    if following.startswith((".", "。")) and quoted.rstrip(_CLOSING_MARKS + _CLOSERS).endswith(
        _STOPS
    ):
        return following[1:]
    return following


# -- direction isolation -------------------------------------------------------------------

#: The explicit direction controls: embeddings and overrides (LRE, RLE, PDF, LRO, RLO) and
#: isolates (LRI, RLI, FSI, PDI).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_FSI, _PDI, _PDF = "\u2068", "\u2069", "\u202c"
_OPENS_EMBEDDING = frozenset("\u202a\u202b\u202d\u202e")
_OPENS_ISOLATE = frozenset("\u2066\u2067\u2068")


def needs_isolation(text: str) -> bool:
    """Whether ``text`` holds an explicit direction control (:data:`BIDI_CONTROLS`).

    Right-to-left letters alone do not count: they cannot reach past a quotation's closing
    mark or a note's punctuation the way an unclosed override can, and a brief in Hebrew or
    Arabic keeps its text exactly as it was written."""
    return not text.isascii() and not BIDI_CONTROLS.isdisjoint(text)


def _step(stack: list[str], ch: str) -> None:
    """One character of UAX #9's pairing of bidi controls (X1–X8) applied to ``stack``."""
    if ch in _OPENS_EMBEDDING:
        stack.append("E")
    elif ch in _OPENS_ISOLATE:
        stack.append("I")
    elif ch == _PDF:
        if stack and stack[-1] == "E":
            stack.pop()
    elif ch == _PDI and "I" in stack:
        while stack.pop() != "I":
            pass


def _open_after(text: str) -> list[str]:
    """What is still open after ``text`` as the Unicode bidirectional algorithm (UAX #9,
    X1–X8) pairs the controls, read from an empty stack: ``"E"`` for an embedding or
    override, ``"I"`` for an isolate, innermost last; and how many PDIs found no open
    isolate (a PDF without an open embedding, or with an isolate above it, does nothing)."""
    stack: list[str] = []
    for ch in text:
        _step(stack, ch)
    return stack


def _stray_isolate_ends(text: str) -> int:
    """How many PDIs in ``text`` find no isolate of ``text`` open."""
    opened = 0
    stray = 0
    for ch in text:
        if ch in _OPENS_ISOLATE:
            opened += 1
        elif ch == _PDI:
            if opened:
                opened -= 1
            else:
                stray += 1
    return stray


def _isolated(text: str) -> bool:
    """Whether ``text`` is already one closed isolate: it starts with FSI, and that FSI is
    closed by the PDI at its very end, with nothing left open."""
    if not (text.startswith(_FSI) and text.endswith(_PDI)):
        return False
    stack: list[str] = []
    for k, ch in enumerate(text):
        _step(stack, ch)
        if not stack:
            return k == len(text) - 1
    return False


def isolate(text: str) -> str:
    """``text`` made unable to change the direction of the text around it.

    Rule (applied wherever briefkit puts a piece of source or metadata text — a quotation, a
    title, an author's name, a venue — next to its own words or other data): a piece that
    holds no explicit direction control (U+202A–U+202E, U+2066–U+2069) is returned unchanged
    (right-to-left letters alone leave it as it is: see :func:`needs_isolation`). Any other
    piece is wrapped in U+2068 FIRST STRONG
    ISOLATE … U+2069 POP DIRECTIONAL ISOLATE, and every embedding or override it leaves open
    is closed inside the wrapper (U+202C POP DIRECTIONAL FORMATTING for each LRE, RLE, LRO,
    RLO; U+2069 for each LRI, RLI, FSI), so that nothing in it reaches past its end. A PDI
    of the piece that would close the wrapper early is matched by one more FSI in front.

    The characters of the piece are kept, in order: only direction controls are added
    before and after it. ``isolate(isolate(t)) == isolate(t)``.
    """
    head, tail = isolation(text)
    return head + text + tail


def isolation(text: str) -> tuple[str, str]:
    """What :func:`isolate` puts before and after ``text`` (``("", "")`` when nothing)."""
    if not needs_isolation(text) or _isolated(text):
        return "", ""
    head = _FSI * (1 + _stray_isolate_ends(text))
    still_open = _open_after(head + text)
    return head, "".join(_PDF if kind == "E" else _PDI for kind in reversed(still_open))
