"""The inline grammar of the Markdown brief format: sentences, citation groups, inline excerpts.

Inside a paragraph, list item, block quote or table cell the author's text is literal, except
for

* ``[@key "exact words"; @key 120-164; !analysis; #sentence_id]`` — a *citation group*, which
  ends the sentence before it (an empty ``[]`` just ends a sentence);
* ``{@key "exact words" speaker="…"}`` / ``{@key figure "50,000" within="…" unit="…"
  measure="…"}`` — an *inline excerpt*, shown in the sentence (a quotation in quotation marks,
  or a figure);
* ``{>id}`` — a *cross-reference* to the section, table, image or table of differences named
  ``id`` (shown as ``Table 2``, ``Figure 1`` or the section's heading in quotation marks; see
  :mod:`briefkit.mdbrief.refs`, which also says why this syntax); ``{>id page}`` adds the page
  it leads to where the format has pages (``Table 2 on page 4``);
* ``*words*`` and ``**words**`` — the author's words in italics and in bold
  (:class:`~briefkit.model.Emphasis`). As in Markdown, a ``*`` opens only before a character
  that is not white space and closes only after one; a ``*`` that opens or closes nothing (or
  a run of three or more) is text. Emphasis holds the author's words only: an inline excerpt,
  a cross-reference, a link or other emphasis inside it is an error (a quotation is always
  shown as its source has it);
* ``<https://…>`` (or ``http:``, ``mailto:``) — a link shown as its address, and
  ``[words](https://…)`` (or ``[words](<https://…>)``) — the author's words as a link
  (:class:`~briefkit.model.Link`). The words take backslash escapes and nothing else;
* backslash escapes: ``\\`` before ASCII punctuation gives that character, before a line break a
  line break, and ``\\u{1F600}`` any code point.

``{#id}`` inside a sentence is an error (an id names a heading, a table caption or an image, at
its end), and so is an image ``![alt](path)`` inside a sentence (an image is a paragraph of its
own: see :mod:`briefkit.mdbrief.images`); ``\\{`` and ``!\\[`` write them as text.

An excerpt is ``@key``, then in any order: a kind (``quote``, ``paraphrase``, ``figure``; a
group's default is ``paraphrase``, an inline excerpt's ``quote``), ``"exact words"``, a span
``start-end``, the words ``normalize`` (tolerate curly/straight quotes, NBSP, whitespace runs)
and ``partial`` (a quotation whose span starts or ends inside a word; the cut side is shown
with an ellipsis), and options ``speaker="…"`` (a quotation's), ``unit="…"``, ``within="…"``
and ``measure="…"`` (a figure's: the quantity it measures, such as ``measure="U.S. troops in
Japan"``; figures of one measure are compared across sources, see
:class:`~briefkit.model.Differences`). A quoted text takes the escapes ``\\"`` ``\\\\``
``\\n`` ``\\r`` ``\\t`` ``\\|`` (a ``|``, which a table cell needs) and ``\\u{HEX}``.

Flags in a group, each an entry of its own (``;`` between entries):

* ``!analysis`` — the author's own analysis (citations optional);
* ``!several`` — the author's text holds several grammatical sentences that share the
  group's citations;
* ``!accept "2016" "$1.6"`` — numbers that no cited span shows and the author vouches for (a
  source's date, say), written as the warning about each names it; without the flag each is
  reported as a warning. The flag takes one or more quoted numbers and may be repeated.

A group may hold flags alone (``… as inline excerpts show. [!several]``): it ends the sentence
as ``[]`` does. (``[!differences]`` is not a group but a block of its own: see
:mod:`briefkit.mdbrief.tables`.)

A line break and the blanks around it read as one space; blanks at the ends of a sentence are
dropped. Punctuation right after a group (``… to last [@a "x"].``) ends the sentence before it.
This module only reads the text; :mod:`briefkit.mdbrief.build` resolves keys against sources.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import NamedTuple, TypeAlias

from briefkit.mdbrief.refs import checked_id, read_id_run
from briefkit.model import LINK_URL, Emphasis, Link

__all__ = [
    "MAX_SPAN_DIGITS",
    "DraftPart",
    "Group",
    "Memo",
    "Ref",
    "SentenceDraft",
    "XRef",
    "parse_sentences",
    "read_string",
]

#: Most digits a span offset may have (offsets index a source's text; 12 digits is a
#: terabyte of text). Longer runs are refused before Python converts them to a number.
MAX_SPAN_DIGITS = 12

#: Excerpt kinds by where they stand.
GROUP_KINDS = ("paraphrase", "quote", "figure")
INLINE_KINDS = ("quote", "figure")
OPTIONS = ("speaker", "unit", "within", "measure")
#: Words that stand alone in an excerpt.
EXCERPT_FLAGS = ("normalize", "partial")
#: Flags of a citation group, written ``!name``.
GROUP_FLAGS = ("analysis", "several", "accept")

#: A source key after ``@``: an alias from the front matter, or a source id.
KEY = re.compile(r"[A-Za-z0-9._/-]+")
_WORD = re.compile(r"[a-z_]+")
_DIGITS = re.compile(r"\d+")
_SPAN = re.compile(r"(\d+)[ \t]*[-–][ \t]*(\d+)")
#: Quotation marks that are not the straight ``"`` a quoted text needs (typed by a word
#: processor, or copied from a source): the first is a hint that the author meant ``"…"``.
_CURLY = "“”„‟«»‘’‚‛″＂〝〞〟❝❞❛❜‹›「」『』"
_CURLY_CLOSE = re.compile(f"[{_CURLY}]")
# a run of characters that begin nothing an excerpt knows (reported as one problem)
_OTHER = re.compile(f'[^ \\t\\n"{_CURLY},;\\]}}]+')
#: Words that start a pandoc-style locator (``[@a, p. 5]``, ``[@a sec. 2]``).
_LOCATOR_WORDS = frozenset(
    ("p", "pp", "page", "pages", "para", "paragraph", "sec", "section", "sections", "chap",
     "chapter", "l", "ll", "line", "lines", "vol", "volume", "n", "note",
     "col", "column")
)  # fmt: skip
_CURLY_HINT = (
    'write the exact words in straight double quotes "…" (found {mark!r} instead; '
    "curly or typographic quotation marks are text, not delimiters)"
)
_LOCATOR_WORDS -= {*GROUP_KINDS, *EXCERPT_FLAGS, *OPTIONS}  # never a word the syntax has
_LOCATOR_HINT = (
    "a citation takes no locator ({what!r}): briefkit derives the page, section or line from "
    'the source; give the "exact words" or a span start-end after @{key}'
)
_ID = re.compile(r"#([A-Za-z0-9_]+)")
_GROUP_START = re.compile(r"\[[ \t\n]*(?=[@!#\]])")
_INLINE_START = re.compile(r"\{[ \t\n]*(?=@)")
_XREF_START = re.compile(r"\{[ \t\n]*>[ \t\n]*")
_ID_START = re.compile(r"\{[ \t\n]*#")
_BLANKS = re.compile(r"[ \t\n]*")
_INDENT = re.compile(r"[ \t]*")
_LINE_BREAK = re.compile(r"[ \t]*\n[ \t]*")
_STRING_STOP = re.compile(r'["\\]')
#: a run of a link's words that holds nothing but words (see _read_label)
_LABEL_WORDS = re.compile(r"[^\]\[{*\n<\\]+")
#: what !accept refuses: a run up to a blank, ';', ']' or '"'
_ACCEPT_OTHER = re.compile(r'[^ \t\n;\]"]*')
_SPECIAL = re.compile(r"[\\\[{*<]")
_STARS = re.compile(r"\*+")
#: ``<https://…>``: an address in angle brackets (checked against LINK_URL once read)
_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^\s<>]*)>", re.IGNORECASE)
#: the ``(address)`` after a link's ``[words]``: in angle brackets, or with balanced parentheses
_DESTINATION = re.compile(r"\((?:<([^\s<>]*)>|((?:[^\s()<>]|\([^\s()<>]*\))+))\)")
_HEX = re.compile(r"u\{([0-9A-Fa-f]{1,6})\}")
_CLOSING = re.compile(r"[.!?…:;,)”’»›」』。！？、）]+(?=[ \t\n]|\Z)")
#: Where :class:`Memo` looks for the end of what it may remember (it checks that the reading
#: ended there): a citation group's closing ']', the ';' or ']' after an excerpt in a group
#: (holding no curly quotation mark) and the '}' after an inline excerpt; '"…"' skipped whole.
_PLAIN_GROUP = re.compile(r'\[(?:[^"\]]|"[^"]*+")*+\]')
_PLAIN_REF = {
    ";]": re.compile(rf'@(?:[^"{_CURLY};\]]|"[^"{_CURLY}]*+")*+(?=[;\]])'),
    "}": re.compile(r'@(?:[^"}]|"[^"]*+")*+(?=\})'),
}
#: Longest group or excerpt remembered (characters).
_MEMO_LENGTH = 200
_STRING_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "r": "\r", "t": "\t", "|": "|"}

Report = Callable[[int, str], None]


class _Problems(list[tuple[int, str]]):
    """Problems as ``(offset, message)``, in the order they were found; calling it (as a
    :data:`Report`) adds one. A citation group collects its problems in one before passing
    them on: whether an excerpt was read cleanly is whether it added any."""

    def __call__(self, offset: int, message: str) -> None:
        self.append((offset, message))


def shorten(text: str, limit: int = 40) -> str:
    """``repr`` of ``text``, cut to ``limit`` characters: a message quotes what it refuses
    without growing with it."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# The drafts below are named tuples: a brief may hold hundreds of thousands of them, and a
# named tuple is built several times faster than a frozen attrs class.


class Ref(NamedTuple):
    """An excerpt as written: ``@key kind "text" start-end option="…"`` (not yet resolved),
    at ``offset``: in the file for an inline excerpt, from its group's ``[`` for one in a
    citation group."""

    key: str
    kind: str
    offset: int
    text: str | None = None
    start: int | None = None
    end: int | None = None
    options: tuple[tuple[str, str], ...] = ()
    normalize: bool = False
    partial: bool = False
    broken: bool = False  # a problem was reported while reading it: do not resolve it

    def option(self, name: str) -> str | None:
        return dict(self.options).get(name)


class Group(NamedTuple):
    """A citation group at ``offset`` in the file: further citations, its flags and an
    explicit sentence id. ``flags`` gives the offset of each flag written, by name (the first,
    when repeated). The offsets of its excerpts and flags count from its ``[``: a group
    written the same way anywhere is the same but for its ``offset``."""

    offset: int
    refs: tuple[Ref, ...] = ()
    analysis: bool = False
    id: str | None = None
    several: bool = False
    accept: tuple[str, ...] = ()
    flags: tuple[tuple[str, int], ...] = ()

    def flag_offset(self, name: str) -> int | None:
        """Where the flag ``name`` is written in the file (None when it is not)."""
        at = dict(self.flags).get(name)
        return None if at is None else self.offset + at


class XRef(NamedTuple):
    """A cross-reference as written: ``{>target}`` (or ``{>target page}``, with the page it
    leads to) at ``offset`` (``broken`` when a problem was reported while reading it)."""

    target: str
    offset: int
    broken: bool = False
    page: bool = False


DraftPart: TypeAlias = str | Ref | XRef | Emphasis | Link


class SentenceDraft(NamedTuple):
    """One sentence as written: literal text, inline excerpts, cross-references, emphasis and
    links, ended by ``group``."""

    offset: int
    parts: tuple[DraftPart, ...]
    group: Group | None


class _Stars(NamedTuple):
    """A run of ``length`` ``*`` at ``offset`` (in the file), and whether it may open or
    close emphasis: open before a character that is not white space, close after one."""

    length: int
    offset: int
    opens: bool
    closes: bool


_Item: TypeAlias = str | Ref | XRef | Link | _Stars


def _code_point(match: re.Match[str], at: int, report: Report) -> str:
    value = int(match.group(1), 16)
    if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        report(at, f"\\u{{{match.group(1)}}} is not a Unicode scalar value")
        return "\ufffd"
    return chr(value)


def read_string(text: str, i: int, report: Report) -> tuple[str, int]:
    """Read the ``"…"`` literal opening at ``text[i]``; returns its value and the index after
    it. Escapes: ``\\"`` ``\\\\`` ``\\n`` ``\\r`` ``\\t`` ``\\|`` ``\\u{HEX}``; a raw line break and
    the blanks around it read as one space."""
    out: list[str] = []
    raw_from = j = i + 1
    while (m := _STRING_STOP.search(text, j)) is not None:  # the next '"' or backslash
        j = m.start()
        out.append(_joined_lines(text[raw_from:j]))
        if text[j] == '"':
            return "".join(out), j + 1
        nxt = text[j + 1 : j + 2]
        if nxt in _STRING_ESCAPES:
            out.append(_STRING_ESCAPES[nxt])
            j += 2
        elif (hm := _HEX.match(text, j + 1)) is not None:
            out.append(_code_point(hm, j, report))
            j = hm.end()
        else:
            report(j, f"unknown escape {text[j : j + 2]!r} in a quoted string")
            out.append(nxt)
            j += 2
        raw_from = j
    report(i, "this quoted string is never closed (a '\"' is missing)")
    out.append(_joined_lines(text[raw_from:]))
    return "".join(out), len(text)


def _joined_lines(piece: str) -> str:
    """``piece`` with each line break and the blanks around it read as one space."""
    return _LINE_BREAK.sub(" ", piece) if "\n" in piece else piece


def _read_ref(
    text: str, i: int, stops: str, kinds: tuple[str, ...], report_here: _Problems, base: int = 0
) -> tuple[Ref, int]:
    """Read ``@key …`` at ``text[i]`` up to (not including) one of ``stops``; the excerpt's
    offset is ``base`` + ``i`` (in the file when ``text`` is a block that starts at ``base``;
    from its group's ``[`` in a group). Its problems (offsets into ``text``) are added to
    ``report_here``; the excerpt is ``broken`` when there are any."""
    at = i
    before = len(report_here)
    m = KEY.match(text, i + 1)
    if m is None:
        report_here(i, "expected a source key after '@' (letters, digits, '.', '_', '-', '/')")
        key, j = "", i + 1
    else:
        key, j = m.group(), m.end()
    kind: str | None = None
    string: str | None = None
    span: tuple[int, int] | None = None
    options: dict[str, str] = {}
    flags: dict[str, int] = {}  # normalize / partial: where each was written
    n = len(text)
    while True:
        j = _BLANKS.match(text, j).end()  # type: ignore[union-attr]
        if j >= n or text[j] in stops:
            break
        ch = text[j]
        if ch == '"':
            value, j2 = read_string(text, j, report_here)
            if string is not None:
                report_here(
                    j, 'an excerpt takes one quoted text (use within="…" for a figure\'s passage)'
                )
            string, j = value, j2
            continue
        if (dm := _DIGITS.match(text, j)) is not None and len(dm.group()) > MAX_SPAN_DIGITS:
            report_here(
                j,
                f"a span offset has at most {MAX_SPAN_DIGITS} digits; "
                f"{shorten(dm.group(), 24)} has {len(dm.group())}",
            )
            j = _skip_entry(text, dm.end(), stops)
            continue
        if (sm := _SPAN.match(text, j)) is not None:
            first, second = sm.group(1), sm.group(2)
            if len(second) > MAX_SPAN_DIGITS:
                report_here(
                    sm.start(2),
                    f"a span offset has at most {MAX_SPAN_DIGITS} digits; "
                    f"{shorten(second, 24)} has {len(second)}",
                )
            elif span is not None:
                report_here(j, "an excerpt takes one span start-end")
            else:
                span = (int(first), int(second))
            j = sm.end()
            continue
        if dm is not None:
            report_here(
                j, f"{shorten(dm.group())} is not a span; write one as start-end, like 120-164"
            )
            j = dm.end()
            continue
        if ch in _CURLY:
            report_here(j, _CURLY_HINT.format(mark=ch))
            # skip the words to the closing mark (a ';' may stand inside them), else the entry
            close = _CURLY_CLOSE.search(text, j + 1, _skip_entry(text, j + 1, stops[-1]))
            j = close.end() if close is not None else _skip_entry(text, j + 1, stops)
            continue
        if ch == "," or (
            (lm := _WORD.match(text, j)) is not None
            and lm.group() in _LOCATOR_WORDS
            and text[lm.end() : lm.end() + 1] in (".", " ", "\t", "\n")
        ):
            stop_at = _skip_entry(text, j, stops)
            report_here(j, _LOCATOR_HINT.format(what=text[j:stop_at].strip()[:40], key=key))
            j = stop_at
            continue
        if (wm := _WORD.match(text, j)) is not None:
            word, j = wm.group(), wm.end()
            if text.startswith('="', j):
                value, j = read_string(text, j + 1, report_here)
                if word not in OPTIONS:
                    report_here(
                        wm.start(),
                        f"unknown option {shorten(word)}; options: {', '.join(OPTIONS)}",
                    )
                elif word in options:
                    report_here(wm.start(), f"option {word!r} is given twice")
                else:
                    options[word] = value
            elif word in EXCERPT_FLAGS:
                if word in flags:
                    report_here(wm.start(), f"{word!r} is given twice")
                else:
                    flags[word] = wm.start()
            elif word in kinds and kind is None:
                kind = word
            elif word in GROUP_KINDS and kind is None:
                report_here(
                    wm.start(), f"a {word} cannot stand here; use one of: {', '.join(kinds)}"
                )
            else:
                report_here(
                    wm.start(),
                    f"unexpected {shorten(word)} in an excerpt; expected a kind "
                    f"({', '.join(kinds)}), "
                    '"exact words", a span like 120-164, normalize, partial, or option="…"',
                )
            continue
        run = _OTHER.match(text, j)
        stop_at = min(run.end() if run is not None else j + 1, _skip_entry(text, j, stops))
        report_here(j, f"unexpected {shorten(text[j:stop_at] or ch)} in an excerpt")
        j = max(stop_at, j + 1)
    if "partial" in flags and (kind or kinds[0]) != "quote":
        report_here(
            flags["partial"],
            f"only a quotation can be partial (shown with an ellipsis), not a {kind or kinds[0]}",
        )
    ref = Ref(
        key=key,
        kind=kind or kinds[0],
        offset=at + base,
        text=string,
        start=span[0] if span else None,
        end=span[1] if span else None,
        options=tuple(sorted(options.items())),
        normalize="normalize" in flags,
        partial="partial" in flags,
        broken=len(report_here) > before,
    )
    return ref, j


def _skip_entry(text: str, j: int, stops: str) -> int:
    """The index of the first of ``stops`` at or after ``j``: where the entry being read
    ends (the text's end when none follows)."""
    best = len(text)
    for stop in stops:
        k = text.find(stop, j, best)
        if k != -1:
            best = k
    return best


def _read_accept(text: str, j: int, at: int, report: Report) -> tuple[list[str], int]:
    """Read the quoted numbers after ``!accept`` (written at ``at``) from ``text[j]`` up to
    the end of the group entry."""
    numbers: list[str] = []
    written = False  # anything after the flag, right or wrong
    n = len(text)
    while True:
        j = _BLANKS.match(text, j).end()  # type: ignore[union-attr]
        if j >= n or text[j] in ";]":
            break
        written = True
        if text[j] == '"':
            value, after = read_string(text, j, report)
            if not any(ch.isdecimal() for ch in value):
                report(j, f"!accept takes numbers; {shorten(value)} has no digit")
            else:
                numbers.append(value)
            j = after
            continue
        stop = _ACCEPT_OTHER.match(text, j).end()  # type: ignore[union-attr]
        report(
            j,
            f'!accept takes numbers in quotes, like !accept "2016", not {shorten(text[j:stop])}',
        )
        j = max(stop, j + 1)
    if not written:
        report(at, '!accept needs the numbers it accepts, in quotes: !accept "2016"')
    return numbers, j


_FOREIGN_HINTS = (_CURLY_HINT.split("(", 1)[0], _LOCATOR_HINT.split("(", 1)[0])


def _pass_on(found: _Problems, report: Report) -> None:
    """Pass the problems ``found`` in a citation group to ``report``, each hint about foreign
    syntax (curly quotation marks, pandoc locators) once: one mistake made throughout a group
    is one problem."""
    given: set[str] = set()
    for offset, message in found:
        hint = next((h for h in _FOREIGN_HINTS if message.startswith(h)), None)
        if hint is not None:
            if hint in given:
                continue
            given.add(hint)
        report(offset, message)


def _read_group(
    text: str, i: int, report: Report, base: int = 0, memo: Memo | None = None
) -> tuple[Group, int]:
    """Read a citation group whose ``[`` is at ``text[i]`` (offsets in it count from
    ``base``)."""
    refs: list[Ref] = []
    flags: dict[str, int] = {}
    accept: list[str] = []
    sid: str | None = None
    j = i + 1
    found = _Problems()  # passed on at the end, each hint once
    n = len(text)
    while True:
        j = _BLANKS.match(text, j).end()  # type: ignore[union-attr]
        if j >= n:
            found(i, "this citation group is never closed (a ']' is missing)")
            break
        ch = text[j]
        if ch == "]":
            j += 1
            break
        if ch == ";":
            j += 1
            continue
        if ch == "@":  # an excerpt, placed from the group's '['
            ref, j = _read_ref_once(text, j, ";]", GROUP_KINDS, found, -i, memo)
            refs.append(ref)
        elif ch == "!":
            wm = _WORD.match(text, j + 1)
            flag = wm.group() if wm is not None else ""
            after = wm.end() if wm is not None else j + 1
            if flag == "accept":
                numbers, after = _read_accept(text, after, j, found)
                accept += numbers
                flags.setdefault(flag, j)
            elif flag == "differences":
                found(
                    j,
                    "!differences places the table of differences: write [!differences] (or "
                    '[!differences "caption"]) as a paragraph of its own, blank lines around it',
                )
                flags.setdefault(flag, j)  # reported: not also as an empty group
                after = _skip_entry(text, after, ";]")  # nor its caption
            elif flag in GROUP_FLAGS:
                if flag in flags:
                    found(j, f"!{flag} is given twice")
                flags.setdefault(flag, j)
            else:
                known = ", ".join(f"!{name}" for name in GROUP_FLAGS)
                found(j, f"unknown flag !{shorten(flag)[1:-1]}; the flags are {known}")
            j = after
        elif (im := _ID.match(text, j)) is not None:
            if sid is not None:
                found(j, "a sentence has one id")
            sid = im.group(1)
            j = im.end()
        else:
            found(j, f"unexpected {ch!r} in a citation group; expected @source, a !flag or #id")
            j = _skip_entry(text, j, ";]")
    _pass_on(found, report)
    group = Group(
        offset=i + base,
        refs=tuple(refs),
        analysis="analysis" in flags,
        id=sid,
        several="several" in flags,
        accept=tuple(accept),
        flags=tuple((name, at - i) for name, at in flags.items()),
    )
    return group, j


class Memo:
    """The citation groups and excerpts already read in one brief, by the text written: one
    written again reads the same way wherever it stands (its offsets and those of its
    problems placed there), so a brief that repeats them — hundreds of thousands of
    ``[!analysis]``, say — reads each once.

    A reading is remembered only when it depends on the text remembered alone: a group's
    when it ended at the group's closing ``]``, an excerpt's when it ended at the ``;``, ``]``
    or ``}`` right after the excerpt (kept with it), of at most ``_MEMO_LENGTH`` characters
    (each look for that end stops there). Ending there, the reading looked at nothing past
    it — each search it makes stops before that end or carries the reading beyond it — with
    two exceptions, kept apart: a reading may also end at the end of its block, having run
    into it (a quoted text left open), so a group that ends its block is remembered apart
    from one that does not; and a curly quotation mark in an excerpt makes its reading look
    on to its group's ``]``, so an excerpt in a group is remembered only without one."""

    def __init__(self) -> None:
        #: a group's reading, by its text and whether it ends its block: the group (its
        #: excerpts and flags placed from its '[') and its problems (offsets from its '[')
        self.groups: dict[tuple[str, bool], tuple[Group, tuple[tuple[int, str], ...]]] = {}
        #: an excerpt's reading, by its kinds, stops and text: the excerpt and its problems
        self.refs: dict[
            tuple[tuple[str, ...], str, str], tuple[Ref, tuple[tuple[int, str], ...]]
        ] = {}


def _read_group_once(
    text: str, i: int, report: Report, base: int, memo: Memo | None
) -> tuple[Group, int]:
    """:func:`_read_group`, reading a group ``memo`` remembers once."""
    if memo is None or (plain := _PLAIN_GROUP.match(text, i, i + _MEMO_LENGTH)) is None:
        return _read_group(text, i, report, base, memo)
    key = (plain.group(), plain.end() == len(text))
    known = memo.groups.get(key)
    if known is not None:
        group, problems = known
        for offset, message in problems:
            report(i + offset, message)
        return group._replace(offset=i + base), plain.end()
    found = _Problems()
    group, j = _read_group(text, i, found, base, memo)
    if j == plain.end():
        memo.groups[key] = (group, tuple((offset - i, message) for offset, message in found))
    for offset, message in found:
        report(offset, message)
    return group, j


def _read_ref_once(
    text: str,
    i: int,
    stops: str,
    kinds: tuple[str, ...],
    report_here: _Problems,
    base: int,
    memo: Memo | None,
) -> tuple[Ref, int]:
    """:func:`_read_ref`, reading an excerpt ``memo`` remembers once."""
    candidates = _PLAIN_REF.get(stops)
    if memo is None or candidates is None:
        return _read_ref(text, i, stops, kinds, report_here, base)
    plain = candidates.match(text, i, i + _MEMO_LENGTH)
    if plain is None:
        return _read_ref(text, i, stops, kinds, report_here, base)
    key = (kinds, stops, text[i : plain.end() + 1])
    known = memo.refs.get(key)
    if known is not None:
        ref, problems = known
        report_here.extend((i + offset, message) for offset, message in problems)
        return ref._replace(offset=i + base), plain.end()
    before = len(report_here)
    ref, j = _read_ref(text, i, stops, kinds, report_here, base)
    if j == plain.end():
        memo.refs[key] = (ref, tuple((at - i, message) for at, message in report_here[before:]))
    return ref, j


class _Sentence:
    """Collects one sentence: pieces of text (protected when they came from an escape, so
    blanks written as ``\\u{20}`` survive trimming), inline excerpts, cross-references, links
    and runs of ``*`` (paired into emphasis when the sentence ends)."""

    __slots__ = ("items", "offset", "protected", "stars")

    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.items: list[_Item] = []
        self.protected: set[int] = set()  # the index in items of each protected piece
        self.stars = False  # whether a run of ``*`` was met (most sentences have none)

    def text(self, piece: str, protected: bool = False) -> None:
        if piece:
            if protected:
                self.protected.add(len(self.items))
            self.items.append(piece)

    def empty(self) -> bool:
        return all(isinstance(it, str) and not it.strip() for it in self.items)

    def finish(self, group: Group | None, report: Report) -> SentenceDraft:
        items = self.items
        if len(items) == 1 and isinstance(items[0], str):  # most sentences: one piece of text
            piece = items[0] if self.protected else items[0].strip(" \t")
            return SentenceDraft(self.offset, (piece,) if piece else (), group)
        _trim(items, range(len(items)), _strip_left, self.protected)
        _trim(items, range(len(items) - 1, -1, -1), _strip_right, self.protected)
        parts: list[DraftPart] = []
        run: list[str] = []  # adjacent pieces of text, joined once (linear, not quadratic)
        if not self.stars:  # most sentences: text, excerpts, references and links only
            for it in items:
                if isinstance(it, Ref | XRef | Link):
                    if run:
                        parts.append("".join(run))
                        run = []
                    parts.append(it)
                elif isinstance(it, str) and it:
                    run.append(it)
            if run:
                parts.append("".join(run))
            return SentenceDraft(self.offset, tuple(parts), group)
        pairs = _pair_stars(items, report)
        k = 0
        while k < len(items):
            it = items[k]
            if isinstance(it, _Stars) and k in pairs:
                close = pairs[k]
                words = "".join(t for t in items[k + 1 : close] if isinstance(t, str))
                if run:
                    parts.append("".join(run))
                    run = []
                parts.append(Emphasis(words, strong=it.length == 2))
                k = close + 1
                continue
            if isinstance(it, _Stars):
                run.append("*" * it.length)
            elif not isinstance(it, str):
                if run:
                    parts.append("".join(run))
                    run = []
                parts.append(it)
            elif it:
                run.append(it)
            k += 1
        if run:
            parts.append("".join(run))
        return SentenceDraft(self.offset, tuple(parts), group)


def _pair_stars(items: list[_Item], report: Report) -> dict[int, int]:
    """Which runs of ``*`` pair into emphasis: the index of each opening run in ``items``,
    mapped to that of its closing run. A closing run pairs with the nearest open run of the
    same length (open runs of the other length after that one stay text); runs left open are
    text. A pair around anything but text — an excerpt, a cross-reference, a link, other
    emphasis — is reported (emphasis holds the author's words only) and is text too. Linear:
    one stack per length, and a running count of what is not text."""
    foreign = [0, *itertools.accumulate(isinstance(it, Ref | XRef | Link) for it in items)]
    pairs: dict[int, int] = {}
    stacks: dict[int, list[int]] = {1: [], 2: []}
    last: tuple[int, int] | None = None  # the pair formed last
    for k, it in enumerate(items):
        if not isinstance(it, _Stars) or it.length > 2:
            continue
        same = stacks[it.length]
        if it.closes and same:
            start = same.pop()
            other = stacks[3 - it.length]
            while other and other[-1] > start:
                other.pop()
            if foreign[k] == foreign[start + 1] and (last is None or last[0] < start):
                pairs[start] = k
                last = (start, k)
            else:
                opener = items[start]
                assert isinstance(opener, _Stars)
                report(
                    opener.offset,
                    "emphasis (*…*, **…**) holds the author's own words only, not an inline "
                    "excerpt, cross-reference, link or other emphasis: a quotation is shown as "
                    "its source has it (to write '*' as text, write \\*)",
                )
            continue
        if it.opens:
            same.append(k)
    return pairs


def _strip_left(piece: str) -> str:
    return piece.lstrip(" \t")


def _strip_right(piece: str) -> str:
    return piece.rstrip(" \t")


def _trim(
    items: list[_Item], order: range, strip: Callable[[str], str], protected: set[int]
) -> None:
    """Strip the pieces of text at the end of ``items`` that ``order`` starts from, up to
    the first that is not empty once stripped, a protected one (its index in ``protected``)
    or anything but text."""
    for k in order:
        it = items[k]
        if not isinstance(it, str) or k in protected:
            return
        stripped = strip(it)
        items[k] = stripped
        if stripped:
            return


def _read_label(body: str, i: int, stop: int) -> tuple[str, int] | None:
    """The words of a link ``[words](`` whose ``[`` is at ``body[i]``, with backslash
    escapes read, and the index of its ``]``; None when no ``]`` closes them on this line or
    they hold syntax (a ``[``, ``{`` or ``*``)."""
    out: list[str] = []
    j = i + 1
    while j < stop:
        if (words := _LABEL_WORDS.match(body, j, stop)) is not None:
            out.append(words.group())
            j = words.end()
            continue
        ch = body[j]
        if ch == "]":
            return "".join(out), j
        if ch in "[{*\n" or (ch == "<" and _AUTOLINK.match(body, j)):
            return None
        if ch == "\\" and (m := _HEX.match(body, j + 1)) is not None:
            code = int(m.group(1), 16)
            if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                return None
            out.append(chr(code))
            j = m.end()
            continue
        if ch == "\\" and j + 1 < stop and body[j + 1].isascii() and not body[j + 1].isalnum():
            if body[j + 1] in " \t\n":
                return None
            out.append(body[j + 1])
            j += 2
            continue
        out.append(ch)
        j += 1
    return None


def _link(url: str, label: str | None, at: int, report: Report) -> Link:
    if not LINK_URL.match(url):
        report(
            at,
            f"the link's address {shorten(url)} is not one briefkit links to: an http, https or "
            "mailto address of printable ASCII characters, without quotation marks or "
            "backslashes",
        )
    return Link(url, label)


def _read_xref(body: str, i: int, j: int, report: Report, base: int) -> tuple[XRef, int]:
    """The cross-reference whose ``{`` is at ``body[i]`` and whose id starts at ``body[j]``,
    and the index after its ``}``."""
    target, j = read_id_run(body, j, len(body))
    j = _BLANKS.match(body, j).end()  # type: ignore[union-attr]
    noted = _Problems()
    if target:
        checked_id(target, i, noted, "the cross-reference's id")
    else:
        noted(i, "a cross-reference names what it refers to by its id: {>troops}")
    page = body.startswith("page", j) and not body[j + 4 : j + 5].isalnum()
    if page:
        j = _BLANKS.match(body, j + 4).end()  # type: ignore[union-attr]
    if j < len(body) and body[j] == "}":
        j += 1
    elif j < len(body) and target:
        noted(
            j,
            "a cross-reference holds only the id it refers to, and 'page' for the page it "
            "leads to: {>troops} or {>troops page}",
        )
    else:
        noted(i, "this cross-reference is never closed (a '}' is missing): write {>id}")
    for offset, message in noted:
        report(offset, message)
    return XRef(target, i + base, broken=bool(noted), page=page), j


def parse_sentences(
    text: str, start: int, stop: int, report: Report, memo: Memo | None = None
) -> list[SentenceDraft]:
    """The sentences written in ``text[start:stop]`` (offsets stay those of ``text``); groups
    and excerpts ``memo`` remembers are read once (see :class:`Memo`)."""

    def local(offset: int, message: str) -> None:
        report(start + offset, message)

    return _parse(text[start:stop], local, start, memo)


def _parse(body: str, report: Report, base: int, memo: Memo | None) -> list[SentenceDraft]:
    """The sentences of ``body``, a block that starts at ``base`` in the file: problems are
    reported at offsets into ``body``, the drafts carry offsets into the file."""
    stop = len(body)
    out: list[SentenceDraft] = []
    raw_from = i = _BLANKS.match(body).end()  # type: ignore[union-attr]
    cur = _Sentence(i + base)

    def flush(upto: int) -> None:
        cur.text(_joined_lines(body[raw_from:upto]))

    # where the next ']' and the next line break stand (found once, then reused until passed:
    # looking for an image's '](' after each '![' stays linear)
    next_close = [-1, -1]

    def image_at(i: int) -> bool:
        """Whether the raw ``![`` before ``body[i]`` (a ``[``) opens ``![…](``."""
        for k, mark in enumerate("]\n"):
            if next_close[k] < i:
                found = body.find(mark, i)
                next_close[k] = found if found >= 0 else stop
        close = next_close[0]
        return close < next_close[1] and body.startswith("(", close + 1)

    while (special := _SPECIAL.search(body, i)) is not None:  # what may start syntax
        i = special.start()
        ch = body[i]
        if ch == "\\":
            flush(i)
            nxt = body[i + 1 : i + 2]
            if nxt == "\n":
                cur.text("\n", protected=True)
                i = _INDENT.match(body, i + 2).end()  # type: ignore[union-attr]
            elif nxt and nxt.isascii() and not nxt.isalnum() and not nxt.isspace():
                cur.text(nxt, protected=True)
                i += 2
            elif (m := _HEX.match(body, i + 1)) is not None:
                cur.text(_code_point(m, i, report), protected=True)
                i = m.end()
            else:
                cur.text("\\", protected=True)
                i += 1
            raw_from = i
            continue
        if ch == "[" and (gm := _GROUP_START.match(body, i)) is not None:
            flush(i)
            group, i = _read_group_once(body, i, report, base, memo)
            if (cm := _CLOSING.match(body, i)) is not None:
                _trim(cur.items, range(len(cur.items) - 1, -1, -1), _strip_right, cur.protected)
                cur.text(cm.group(), protected=True)
                i = cm.end()
            if cur.empty() and not group.refs and not group.flags and group.id is None:
                report(
                    gm.start(), "an empty [] ends a sentence, but there is no sentence before it"
                )
            else:
                out.append(cur.finish(group, report))
            i = _BLANKS.match(body, i).end()  # type: ignore[union-attr]
            cur = _Sentence(i + base)
            raw_from = i
            continue
        if ch == "[" and raw_from < i and body[i - 1] == "!" and image_at(i):
            report(
                i - 1,
                "an image is a paragraph of its own — ![alt text](path/to/file.png), a blank "
                "line before and after it — with a 'Figure: …' caption paragraph next to it "
                "(to write '![' as text, write !\\[)",
            )
        elif ch == "[" and (label := _read_label(body, i, stop)) is not None:
            dest = _DESTINATION.match(body, label[1] + 1)
            if dest is not None:
                flush(i)
                words, url = label[0], dest.group(1) or dest.group(2) or ""
                cur.items.append(_link(url, words, i, report))
                i = raw_from = dest.end()
                continue
        if ch == "<" and (am := _AUTOLINK.match(body, i)) is not None:
            flush(i)
            cur.items.append(_link(am.group(1), None, i, report))
            i = raw_from = am.end()
            continue
        if ch == "*":
            flush(i)
            stars = _STARS.match(body, i)
            assert stars is not None
            j = stars.end()
            cur.stars = True
            cur.items.append(
                _Stars(
                    j - i,
                    i,
                    opens=j < stop and not body[j].isspace(),
                    closes=i > 0 and not body[i - 1].isspace(),
                )
            )
            i = raw_from = j
            continue
        if ch == "{" and (xm := _XREF_START.match(body, i)) is not None:
            flush(i)
            xref, i = _read_xref(body, i, xm.end(), report, base)
            cur.items.append(xref)
            raw_from = i
            continue
        if ch == "{" and _ID_START.match(body, i) is not None:
            report(
                i,
                "{#id} names a section at the end of its heading, a table at the end of its "
                "caption, or an image right after it, not a sentence (a sentence's id is written "
                "#id in its citation group; to write '{' as text, write \\{)",
            )
        if ch == "{" and _INLINE_START.match(body, i) is not None:
            flush(i)
            j = _BLANKS.match(body, i + 1).end()  # type: ignore[union-attr]
            found = _Problems()
            ref, j = _read_ref_once(body, j, "}", INLINE_KINDS, found, base, memo)
            for offset, message in found:
                report(offset, message)
            if j < stop and body[j] == "}":
                j += 1
            else:
                report(i, "this inline excerpt is never closed (a '}' is missing)")
            cur.items.append(ref)
            i = raw_from = j
            continue
        i += 1
    flush(stop)
    if not cur.empty():
        out.append(cur.finish(None, report))
    return out
