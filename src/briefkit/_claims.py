"""Checks the brief model runs on each sentence: extra sentences, cut words, unsupported numbers.

All three functions are pure, use only the standard library and run in linear time (each
character is looked at a bounded number of times; no regular expression here can backtrack
over more than a few characters).

* :func:`sentence_breaks` finds where a *new* grammatical sentence starts inside the author's
  text of one sentence. Inline quotations and figures are replaced by :data:`PLACEHOLDER`
  first, so punctuation inside a quotation never counts.
* :func:`quote_boundary_problem` says whether a quoted span of a source cuts a word.
* :func:`unsupported_numbers` lists the numbers an author wrote that no cited text contains.

Choices for ambiguous cases (false negatives are preferred to refusing valid sentences):

* A full stop after a dotted acronym (``U.S.``, ``a.m.``, ``e.g.``), a single letter (an
  initial: ``J. R. R. Tolkien``, ``Plan B.``) or a listed abbreviation is never a break, even
  before a capitalised word: ``based in the U.S. The Army`` is *not* split. ``etc.`` and
  ``Inc.`` are abbreviations too, so ``apples, pears, etc. Then`` is not split either.
* Abbreviations that are also ordinary lowercase words (``No``, ``Co``, ``St``, ``Gen``,
  ``Rep``, month names such as ``Mar``) count only when capitalised (or in capitals):
  ``He said no. Then`` is a break, ``No. 5`` is not.
* After ``.`` ``!`` ``?`` ``…`` a sentence starts with an uppercase or titlecase letter, a
  letter of a script without case (Hebrew, Arabic, CJK, …), a decimal digit, a currency sign
  followed by a digit, or :data:`PLACEHOLDER`, each optionally after opening quotes or
  brackets. Lowercase letters, emoji and other symbols do not start a sentence.
* ``।`` ``॥`` ``؟`` ``۔`` ``።`` end a sentence when whitespace and any other character follow;
  ``。`` ``！`` ``？`` ``．`` ``｡`` when any character other than closing punctuation follows,
  with or without whitespace (``３．５`` between digits is a decimal, not a break).
* A quotation boundary between two characters of a script written without spaces (CJK
  ideographs, kana, Thai, Lao, Khmer, Myanmar, Tibetan, Yi), or between such a character and
  any other character, is a word boundary. Inside a number, ``,`` and ``.`` between digits
  join the digits (quoting ``000 troops`` out of ``47,000 troops`` cuts a word). Cutting
  between a character and its combining mark is a cut; whether a span splits a grapheme
  cluster (emoji ZWJ sequences) is checked elsewhere (:class:`briefkit.spans.TextIndex`).
* Numbers are compared by value, without sign, currency, percent or suffix: ``50,000`` =
  ``50000`` = ``50 000``; ``1.60`` = ``1.6``; ``−5`` is supported by ``5``. In the author's
  text ``,`` groups thousands and ``.`` is the decimal point unless the number only makes
  sense the other way round (``1,6`` or ``1.234.567``); a cited text supports every reading,
  and in cited texts an ordinary space may also group thousands (``5 300``).
* A digit run attached to a *cased* letter (Latin, Greek, Cyrillic, …) or joined to one by a
  hyphen, dot or slash is part of a name or identifier and not checked (``GPL-3.0``,
  ``Apache-2.0``, ``F-35``, ``COVID-19``, ``A320``, ``5G``, ``v2.0.1``, ``3-year-old``,
  ``mid-2016``). Letters of scripts without case do not make an identifier (``2016年``,
  ``5명``). Ordinal, decade and unit suffixes are allowed: ``3rd``, ``1990s``, ``$1.6bn``,
  ``10km``, ``5pm``. A number separated by a space is a number: ``ISO 8601``, ``Boeing 747``
  and ``Article 5`` must be supported by the cited text. Roman numerals and words
  (``two billion``) are not numbers.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator, Sequence

__all__ = [
    "PLACEHOLDER",
    "quote_boundary_problem",
    "quote_text",
    "sentence_breaks",
    "unsupported_numbers",
]

PLACEHOLDER = "\ufffc"
"""Stands for an inline quotation or figure in a sentence's rendered text."""

# --------------------------------------------------------------------------- sentence breaks

_CJK_TERMINALS = "。！？．｡"
_CASELESS_TERMINALS = "।॥؟۔።"
_TERMINALS = ".!?…‽‼⁇⁈⁉։" + _CJK_TERMINALS + _CASELESS_TERMINALS
_CLOSERS = "\"'”’»›)]}」』）］｝〉》】〕〗〙〛"
_OPENERS = "\"'“‘„‚«‹([{¿¡「『（［｛〈《【〔〖〘〚"

_TERMINAL_RUN = re.compile(f"[{re.escape(_TERMINALS)}]+")
# closing punctuation, then whitespace (group 1), then opening punctuation (group 2)
_AFTER_TERMINAL = re.compile(f"[{re.escape(_CLOSERS)}]*+(\\s*+)([{re.escape(_OPENERS)}]*+)")

# compared lowercased
_ABBREVIATIONS_ANY_CASE = frozenset(
    {
        "mr", "mrs", "ms", "mx", "messrs", "dr", "prof", "lt", "sgt", "capt", "jr", "sr",
        "inc", "ltd", "corp", "dept", "vs", "etc", "e.g", "i.e", "cf", "al", "approx", "fig",
        "figs", "p", "pp", "ch", "sec", "vol", "vols", "nos",
    }
)  # fmt: skip
# compared as written, or capitalised when written in capitals
_ABBREVIATIONS_CAPITALISED = frozenset(
    {
        "Gen", "Col", "Adm", "Maj", "Brig", "Cpl", "Sen", "Rep", "Gov", "Pres", "Rev", "Hon",
        "Fr", "St", "Mt", "Ft", "Co", "No", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug",
        "Sep", "Sept", "Oct", "Nov", "Dec",
    }
)  # fmt: skip
_DOTTED_ACRONYM = re.compile(r"(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,2}")
_LEADING_PUNCTUATION = re.compile(r"\A[^\w.]+")
_DASHES = re.compile("[-\u2010\u2011\u2012\u2013\u2014]")
_TOKEN_WINDOW = 64


def sentence_breaks(text: str) -> list[int]:
    """Offsets (code points) where a new grammatical sentence starts inside ``text``.

    ``"A false claim. A cited claim"`` -> ``[15]``. Each offset is where the next sentence's
    first character (or its opening quotation mark or bracket) is; terminal punctuation at
    the very end of ``text`` is no break. Inline quotations and figures must already be
    :data:`PLACEHOLDER`\\ s; the placeholder counts as a word.
    """
    size = len(text)
    first_run = _TERMINAL_RUN.search(text)
    if first_run is None or first_run.end() == size:
        return []  # most sentences: no terminal punctuation before their last character
    breaks: list[int] = []
    for run in _TERMINAL_RUN.finditer(text, first_run.start()):
        after = _AFTER_TERMINAL.match(text, run.end())
        assert after is not None  # every part of the pattern may be empty
        start = after.start(2)  # where the next sentence would start
        first = after.end()  # its first character after opening punctuation
        if first >= size:
            continue
        terminal = run.group()
        if any(c in _CJK_TERMINALS for c in terminal):
            if _cjk_break(text, run.start(), run.end(), start):
                breaks.append(start)
        elif after.group(1) and _spaced_break(text, run.start(), terminal, first):
            breaks.append(start)
    return breaks


def _spaced_break(text: str, stop: int, terminal: str, first: int) -> bool:
    """Whether ``terminal`` at ``stop``, then whitespace, then ``text[first]`` is a break.

    Without whitespace there is never one: "3.5", "example.com", "U.S.", ``said."Then``.
    """
    if any(c in _CASELESS_TERMINALS for c in terminal):
        return True
    if not _starts_sentence(text, first):
        return False
    return terminal != "." or not _abbreviation_before(text, stop)


def _cjk_break(text: str, run_start: int, run_end: int, start: int) -> bool:
    if text[start] in _TERMINALS:
        return False  # handled by the next run
    # a fullwidth full stop between digits is a decimal point: "３．５"
    return not (
        text[run_start:run_end] == "．"
        and run_start > 0
        and text[run_start - 1].isdecimal()
        and text[run_end].isdecimal()
    )


def _starts_sentence(text: str, i: int) -> bool:
    c = text[i]
    if c == PLACEHOLDER or c.isdecimal():
        return True
    category = unicodedata.category(c)
    if category in ("Lu", "Lt", "Lo"):
        return True
    return category == "Sc" and i + 1 < len(text) and text[i + 1].isdecimal()


def _abbreviation_before(text: str, stop: int) -> bool:
    """Whether the word just before the full stop at ``stop`` is an abbreviation or initial."""
    low = max(0, stop - _TOKEN_WINDOW)
    window = text[low:stop]
    if not window or window[-1].isspace():
        return False
    parts = window.rsplit(maxsplit=1)
    token = parts[-1]
    if low > 0 and len(parts) == 1:
        return False  # longer than any abbreviation
    token = _LEADING_PUNCTUATION.sub("", token)
    if any(c in token for c in "/\\@:"):
        return False  # a URL, path or e-mail address
    word = _DASHES.split(token)[-1]
    if not word:
        return False
    if word.lower() in _ABBREVIATIONS_ANY_CASE:
        return True
    if word in _ABBREVIATIONS_CAPITALISED or (
        word.isupper() and word.capitalize() in _ABBREVIATIONS_CAPITALISED
    ):
        return True
    base = "".join(c for c in word if not unicodedata.combining(c))
    if len(base) == 1 and base.isalpha():
        return True  # an initial
    return _DOTTED_ACRONYM.fullmatch(base) is not None


# --------------------------------------------------------------------------- word boundaries

# scripts written without spaces between words: (first, last) code points, sorted
_NO_SPACE_RANGES = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x0F00, 0x0FFF),  # Tibetan
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x19E0, 0x19FF),  # Khmer symbols
    (0x2E80, 0x2FDF),  # CJK radicals, Kangxi radicals
    (0x3005, 0x3007),  # 々 〆 〇
    (0x3021, 0x3029),  # Hangzhou numerals
    (0x3031, 0x3035),  # kana repeat marks
    (0x303B, 0x303C),  # 〻 〼
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3100, 0x312F),  # Bopomofo
    (0x31A0, 0x31BF),  # Bopomofo extended
    (0x31F0, 0x31FF),  # Katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xA000, 0xA4CF),  # Yi
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # halfwidth Katakana
    (0x1B000, 0x1B16F),  # kana supplement and extensions
    (0x20000, 0x3FFFF),  # CJK extensions B and later
)
_NO_SPACE_STARTS = [first for first, _ in _NO_SPACE_RANGES]
_APOSTROPHES = "'\u2019"
_DIGIT_JOINERS = ",."
_JOINERS = "\u200c\u200d"  # ZWNJ, ZWJ
_MARKS = ("Mn", "Mc", "Me")
_MAX_SHOWN = 24


def _no_space(c: str) -> bool:
    cp = ord(c)
    k = bisect_right(_NO_SPACE_STARTS, cp) - 1
    return k >= 0 and cp <= _NO_SPACE_RANGES[k][1]


def _is_word(c: str) -> bool:
    if c.isalnum() or c == "_" or c in _JOINERS:
        return True
    category = unicodedata.category(c)
    return category in _MARKS or category == "Pc"


def _is_mark(c: str) -> bool:
    return unicodedata.category(c) in _MARKS


def _inside_word(text: str, i: int) -> bool:
    """Whether offset ``i`` lies between two characters of one word."""
    if i <= 0 or i >= len(text):
        return False
    left, right = text[i - 1], text[i]
    if left in _APOSTROPHES:
        return i >= 2 and _word_pair(text[i - 2], right)
    if right in _APOSTROPHES:
        return i + 1 < len(text) and _word_pair(left, text[i + 1])
    if left in _DIGIT_JOINERS:
        return i >= 2 and text[i - 2].isdecimal() and right.isdecimal()
    if right in _DIGIT_JOINERS:
        return i + 1 < len(text) and left.isdecimal() and text[i + 1].isdecimal()
    return _word_pair(left, right)


def _word_pair(left: str, right: str) -> bool:
    if not (_is_word(left) and _is_word(right)):
        return False
    if _no_space(left) or _no_space(right):
        # words of these scripts are not delimited; only a foreign combining mark still
        # belongs to the character before it
        return _is_mark(right) and not _no_space(right)
    return True


def quote_boundary_problem(text: str, start: int, end: int) -> str | None:
    """``None`` when ``text[start:end]`` starts and ends on word boundaries, else why not.

    ``"the quotation ends inside the word 'prove' ('…carry pr|ove…')"``. Offsets are code
    points; raises :class:`ValueError` unless ``0 <= start <= end <= len(text)``.
    """
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"span [{start}, {end}) is outside a text of {len(text)} characters")
    problems = []
    if _inside_word(text, start):
        problems.append("starts " + _describe_cut(text, start))
    if _inside_word(text, end):
        problems.append("ends " + _describe_cut(text, end))
    if not problems:
        return None
    return "the quotation " + " and ".join(problems)


def _describe_cut(text: str, i: int) -> str:
    first = i
    while first > 0 and i - first < _MAX_SHOWN and _inside_word(text, first):
        first -= 1
    last = i
    while last < len(text) and last - i < _MAX_SHOWN and _inside_word(text, last):
        last += 1
    shown = first  # take in the previous word, for context
    while shown > 0 and first - shown < _MAX_SHOWN and not _is_word(text[shown - 1]):
        shown -= 1
    while shown > 0 and first - shown < _MAX_SHOWN and _is_word(text[shown - 1]):
        shown -= 1
    word = _shown(text[first:last])
    if _inside_word(text, first):
        word = "…" + word
    if _inside_word(text, last):
        word += "…"
    before = "…" if shown > 0 else ""
    after = "…" if last < len(text) else ""
    context = f"{before}{_shown(text[shown:i])}|{_shown(text[i:last])}{after}"
    return f"inside the word '{word}' ('{context}')"


def _shown(text: str) -> str:
    return re.sub(r"\s", " ", text)


# --------------------------------------------------------------------------- numbers

_DIGIT_RUN = re.compile("\\d+(?:[.,\u00a0\u202f\u2009]\\d+)*")
# only in cited texts: an ordinary space grouping thousands, "5 300"
_SPACED_DIGITS = re.compile(r"(?<![\d.,])\d{1,3}(?: \d{3})+(?:[.,]\d+)?(?!\d)")
_GROUP = "[ \u00a0\u202f\u2009]"
_POINT_DECIMAL = re.compile(f"\\d{{1,3}}(?:(?:,|{_GROUP})\\d{{3}})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?")
_COMMA_DECIMAL = re.compile(f"\\d{{1,3}}(?:(?:\\.|{_GROUP})\\d{{3}})+(?:,\\d+)?|\\d+,\\d+")
_SIGNS = "-+\u2212"
_BEFORE_SIGN = "\"'“‘«([{=~≈"
_ID_JOINERS = "-\u2010\u2011./\\"
_SUFFIX = re.compile(
    r"(?:st|nd|rd|th|s|['’]s|k|m|bn|mn|tn|km|kg|mg|mm|cm|ml|mi|ft|lb|lbs|h|min|ms|x|am|pm"
    r"|kW|MW|GW|kWh|MWh|GWh|TWh|KB|MB|GB|TB|Hz|kHz|MHz|GHz|mph|kph)(?!\w)"
    r"|[%‰]"
)


def unsupported_numbers(sentence_text: str, cited_texts: Sequence[str]) -> list[str]:
    """The numbers written in ``sentence_text`` that occur in none of ``cited_texts``.

    Each number is returned once (the first way it is written, with its sign, currency and
    suffix: ``"$1.6"``, ``"50%"``, ``"3rd"``), in order of appearance. Numbers are compared by
    value of digits and decimal point, whole numbers only: ``"50,000"`` matches ``"50 000"``
    but not ``"450,000"``. Numbers that belong to names (``GPL-3``, ``F-35``) are skipped.
    """
    if isinstance(cited_texts, str):
        raise TypeError("cited_texts must be a sequence of texts, not one str")
    written = list(_author_numbers(sentence_text))
    if not written:
        return []
    supported: set[str] = set()
    for cited in cited_texts:
        for match in _DIGIT_RUN.finditer(cited):
            supported.update(_readings(match.group()))
        for match in _SPACED_DIGITS.finditer(cited):
            supported.update(_readings(match.group()))
    found: list[str] = []
    seen: set[str] = set()
    for shown, value in written:
        if value not in supported and value not in seen:
            seen.add(value)
            found.append(shown)
    return found


def _author_numbers(text: str) -> Iterator[tuple[str, str]]:
    """(as written, value) for each number in an author's text that is not an identifier."""
    size = len(text)
    for match in _DIGIT_RUN.finditer(text):
        first, last = match.span()
        # prefix: a currency sign, and a sign before it or the digits
        if first > 0 and unicodedata.category(text[first - 1]) == "Sc":
            first -= 1
        elif _attached_before(text, first):
            continue
        if (
            first > 0
            and text[first - 1] in _SIGNS
            and (first == 1 or text[first - 2].isspace() or text[first - 2] in _BEFORE_SIGN)
        ):
            first -= 1
        # suffix: percent, ordinal, decade or unit; anything else attached is an identifier
        suffix = _SUFFIX.match(text, last)
        if suffix is not None:
            last = suffix.end()
        elif last < size and _attaches(text, last, +1):
            continue
        yield text[first:last], _readings(match.group())[0]


def _attached_before(text: str, first: int) -> bool:
    return first > 0 and _attaches(text, first - 1, -1)


def _attaches(text: str, i: int, step: int) -> bool:
    """Whether ``text[i]`` (next to a digit run, on the side ``step`` points to) makes it an
    identifier: a cased letter or underscore, or a hyphen/dot/slash then one."""
    c = text[i]
    if _cased_letter(c) or c == "_":
        return True
    j = i + step
    return c in _ID_JOINERS and 0 <= j < len(text) and (_cased_letter(text[j]) or text[j] == "_")


def _cased_letter(c: str) -> bool:
    return unicodedata.category(c) in ("Lu", "Ll", "Lt")


def _readings(token: str) -> list[str]:
    """The values ``token`` (digits and separators) can stand for, the author's reading first."""
    if not token.isascii():
        token = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in token)
    values = []
    if _POINT_DECIMAL.fullmatch(token):
        values.append(_value(token, "."))
    if _COMMA_DECIMAL.fullmatch(token):
        values.append(_value(token, ","))
    if not values:  # "2.0.1", "1,2,3", "47,0001": only the same digits match
        values.append(re.sub(r"\s", " ", token))
    return values


def _value(token: str, point: str) -> str:
    whole, _, fraction = token.partition(point)
    whole = "".join(c for c in whole if c.isdigit()).lstrip("0") or "0"
    fraction = fraction.rstrip("0")
    return f"{whole}.{fraction}" if fraction else whole


def quote_text(
    exact: str, prefix: str, suffix: str, *, marks: tuple[str, str] | None = ("“", "”")
) -> str:
    """How a quotation of ``exact`` is shown: reflowed (a line break inside a paragraph, with
    the indentation around it, reads as one space; in a block quote — ``marks`` is ``None`` —
    a paragraph break stays a line break), in the language's quotation ``marks`` (none in a
    block quote), with an ellipsis where it cuts a word (its context, ``prefix`` and
    ``suffix``, says so)."""
    from briefkit._typography import reflow

    text = prefix + exact + suffix
    cut = quote_boundary_problem(text, len(prefix), len(prefix) + len(exact))
    start_cut = end_cut = False
    if cut is not None:
        start_cut = quote_boundary_problem(text, len(prefix), len(text)) is not None
        end_cut = quote_boundary_problem(text, 0, len(prefix) + len(exact)) is not None
    shown = ("…" if start_cut else "") + exact + ("…" if end_cut else "")
    shown = reflow(shown, keep_paragraphs=marks is None)
    return shown if marks is None else f"{marks[0]}{shown}{marks[1]}"
