"""Text helpers shared by the model and every exporter.

* :func:`display` makes text safe to put into XML-based formats without shifting any offset:
  each character that XML 1.0 cannot hold (C0 controls other than tab/LF/CR, U+FFFE, U+FFFF)
  becomes exactly one visible stand-in (the Unicode *Control Pictures*: ``\\x0b`` -> ``␋``).
* :func:`split_lines` splits on every newline style (CRLF, CR, LF, VT, FF, NEL, LS, PS) so an
  exporter can turn each one into a single line break.
* :func:`fold` is the normalisation used for tolerant matching (curly/straight quotes, NBSP and
  other spaces, whitespace runs, NFC); it is never applied to stored text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import regex

__all__ = [
    "display",
    "fold",
    "fold_char",
    "fold_clusters",
    "ignorable",
    "quoted_passages",
    "shown",
    "split_lines",
]

_GRAPHEME = regex.compile(r"\X", flags=regex.VERSION1)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")


def _picture(match: re.Match[str]) -> str:
    cp = ord(match.group())
    if cp < 0x20:
        return chr(0x2400 + cp)
    return "\ufffd"


def display(text: str) -> str:
    """``text`` with every XML-illegal character replaced one-for-one by a visible stand-in.

    The result has the same length as ``text``; every other character is unchanged.
    """
    return _XML_ILLEGAL.sub(_picture, text)


def split_lines(text: str) -> list[str]:
    """Split on every newline style; ``"a\\r\\nb"`` -> ``["a", "b"]``. Never empty."""
    return _LINE_BREAKS.split(text)


_FOLD_MAP = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
}


def fold_char(cluster: str) -> str:
    """Fold one grapheme cluster: NFC, quote marks made straight, every whitespace character
    made a plain space (a cluster of whitespace only becomes one space)."""
    if cluster.isspace():
        return " "
    folded = unicodedata.normalize("NFC", cluster)
    return "".join(" " if ch.isspace() else _FOLD_MAP.get(ch, ch) for ch in folded)


_LINE_BREAK_CHARS = frozenset("\n\r\v\f\x85\u2028\u2029")


def fold_clusters(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, folded)`` for each grapheme cluster of ``text``; a run of clusters that
    fold to a single space is merged into one entry. A soft hyphen (U+00AD) followed by a
    whitespace run that holds a line break — a word hyphenated at the end of a printed line —
    folds to nothing, together with that run, so that the word folds whole. (A needle that
    ends on such a soft hyphen, or starts with the line break after it, therefore folds
    otherwise than the same characters inside the text: normalised search does not find it;
    exact search does.)"""
    pending: tuple[int, int] | None = None  # a whitespace run not yet given out
    soft: tuple[int, int] | None = None  # a soft hyphen waiting to see what follows it
    broke = False  # the run after the soft hyphen holds a line break
    for m in _GRAPHEME.finditer(text):
        cluster = m.group()
        folded = fold_char(cluster)
        if folded == " ":
            pending = (pending[0] if pending else m.start(), m.end())
            broke = broke or (soft is not None and not _LINE_BREAK_CHARS.isdisjoint(cluster))
            continue
        yield from _flush(soft, pending, broke)
        soft, pending, broke = None, None, False
        if cluster == "\xad":
            soft = (m.start(), m.end())
            continue
        yield m.start(), m.end(), folded
    yield from _flush(soft, pending, broke)


def _flush(
    soft: tuple[int, int] | None, pending: tuple[int, int] | None, broke: bool
) -> Iterator[tuple[int, int, str]]:
    if soft is not None and broke:
        return  # a hyphenation point at a line end: the hyphen and the line break fold away
    if soft is not None:
        yield soft[0], soft[1], "\xad"
    if pending is not None:
        yield pending[0], pending[1], " "


def fold(text: str) -> str:
    """The tolerant form of ``text`` used by normalised search and the misquote check; the
    same cluster-by-cluster rule as :func:`fold_clusters`, so a text always finds itself."""
    return "".join(folded for _s, _e, folded in fold_clusters(text))


# Passages the author puts in quotation marks, as (opening mark, closing marks): every form
# the shown text's curly quotation marks take in the supported languages, and the forms an
# author may type or paste — “…”, "…", «…», „…“ (or „…”), ‚…‘ (or ‚…’), »…«, ‹…›, ›…‹, 「…」,
# 『…』, ”…” (Swedish, Finnish: U+201D opens and closes), ＂…＂ (fullwidth), 〝…〞 (or 〝…〟),
# ❝…❞ — and ‘…’, whose closing mark doubles as the apostrophe. Straight single marks '…' are
# not a quotation here: with smart quotes (the default) the model turns them into ‘…’ before
# the check, and with smart_quotes=False they are shown straight, which README.md documents
# as scare quotes the check leaves alone ("The 'copyleft' FAQ").
_PAIRS: dict[str, str] = {
    "“": "”",
    '"': '"',
    "«": "»",
    "„": "“”",
    "‹": "›",
    "「": "」",
    "『": "』",
    "‚": "‘’",
    "»": "«",
    "›": "‹",
    "＂": "＂",
    "〝": "〞〟",
    "❝": "❞",
}
# Marks that open a passage only where a quotation can start, because they also close one
# (”: at the start of the text, after whitespace or an opening bracket or mark, and not
# before whitespace) or pair with the apostrophe (‘: not right after a letter or digit).
_CONTEXTUAL: dict[str, str] = {"”": "”", "‘": "’"}
#: every mark that may open a passage
_OPENING = re.compile("[" + re.escape("".join((*_PAIRS, *_CONTEXTUAL))) + "]")
_OPENS_AFTER = frozenset("([{<«„‚“‘—–-/「『（［｛〈《【〔〖〘〚\ufffc")


def _single_close(text: str, start: int, mark: str) -> int:
    """Where the passage a ‘ at ``start - 1`` opens closes: the first ``mark`` that is
    not followed by a letter or digit (one followed by one is an apostrophe: ``it’s``), or
    -1."""
    j = text.find(mark, start)
    while j != -1 and j + 1 < len(text) and (text[j + 1].isalnum() or text[j + 1] == "_"):
        j = text.find(mark, j + 1)
    return j


def quoted_passages(text: str) -> list[tuple[int, int, str]]:
    """Every quoted passage in ``text`` as ``(start, end, inner text)``: passages are found
    left to right, each ending at the first closing mark of its kind after its opening one
    (a passage without one is not a passage), and a passage found is skipped whole (marks
    inside it open nothing). Passages of blanks are left out.

    ``”…”`` counts only where its opening mark can open: at the start, after whitespace or
    an opening bracket or mark (not right after a letter or digit: ``5” screens``), and not
    before whitespace, and only when no ``“`` comes before its closing mark (that ``”``
    closes the ``“``: in ``”yes, “no” and`` the passage is ``“no”``); ``‘…’`` wherever
    ``‘`` is not right after a letter, digit or ``_``, and its closing mark is the first
    ``’`` not followed by a letter or digit (``‘it’s’`` is one passage; ``dogs’`` opens
    nothing). Straight ``'`` marks are not quotation marks here (see above). The work is
    linear in ``len(text)``: each kind of mark is searched for at most once per position."""
    found: list[tuple[int, int, str]] = []
    n = len(text)
    # the next closing mark of each kind at or after a position: searched once, reused
    # while the scan has not passed it (-1: none after it — valid for the rest of the scan)
    ahead: dict[str, tuple[int, int]] = {}

    def close_of(marks: str, start: int, contextual: bool) -> int:
        known = ahead.get(marks)
        if known is not None and (known[1] == -1 or known[1] >= start) and known[0] <= start:
            return known[1]
        if contextual:
            j = _single_close(text, start, marks)
        else:
            j = min((k for k in (text.find(m, start) for m in marks) if k != -1), default=-1)
        ahead[marks] = (start, j)
        return j

    i = 0
    while i < n:
        # jump to the next mark that may open a passage (most sentences hold none)
        m = _OPENING.search(text, i)
        if m is None:
            break
        i = m.start()
        ch = text[i]
        closes = _PAIRS.get(ch)
        contextual = False
        if closes is None:
            closes = _CONTEXTUAL.get(ch)
            if closes is None:
                i += 1
                continue
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < n else ""
            if ch == "‘":  # as always: any ‘ not right after a letter, digit or _
                refused = before.isalnum() or before == "_"
            else:
                refused = not (before == "" or before.isspace() or before in _OPENS_AFTER) or (
                    after == "" or after.isspace()
                )
            if refused:
                i += 1
                continue
            contextual = ch != "”"
        j = close_of(closes, i + 1, contextual)
        if j == -1:
            i += 1
            continue
        if ch == "”" and -1 != close_of("“", i + 1, False) < j:
            # the ” that would close it closes a “ first: this ” opens nothing
            i += 1
            continue
        inner = text[i + 1 : j]
        if ch == "«":  # «\u202fwords\u202f»: the spaces French sets inside are not quoted
            inner = inner[1:] if inner[:1].isspace() else inner
            inner = inner[:-1] if inner[-1:].isspace() else inner
        if inner.strip():
            found.append((i, j + 1, inner))
        i = j + 1
    return found


# -- what a PDF can draw (kept here so that reading PDFs back needs no reportlab) ---------

_C1 = re.compile("[\x80-\x9f]")
_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f"
    "\ufeff\U000e0000-\U000e0fff]"
)


def ignorable(ch: str) -> bool:
    """Default-ignorable characters (joiners, variation selectors, tags …): invisible, so when
    no font has them they are simply not drawn."""
    return bool(_IGNORABLE.match(ch))


def shown(text: str) -> str:
    """What the PDF draws for one line: :func:`briefkit.text.display`, plus DEL as ``␡`` and C1
    controls as U+FFFD (one-for-one), and a tab as four spaces."""
    return _C1.sub("\ufffd", display(text).replace("\x7f", "\u2421")).replace("\t", "    ")
