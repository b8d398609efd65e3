"""The inline grammar of the Markdown brief format: sentences, citation groups, inline excerpts.

Inside a paragraph, list item or block quote the author's text is literal, except for

* ``[@key "exact words"; @key 120-164; !analysis; #sentence_id]`` — a *citation group*, which
  ends the sentence before it (an empty ``[]`` just ends a sentence);
* ``{@key "exact words" speaker="…"}`` / ``{@key figure "50,000" within="…" unit="…"}`` — an
  *inline excerpt*, shown in the sentence (a quotation in quotation marks, or a figure);
* backslash escapes: ``\\`` before ASCII punctuation gives that character, before a line break a
  line break, and ``\\u{1F600}`` any code point.

An excerpt is ``@key``, then in any order: a kind (``quote``, ``paraphrase``, ``figure``; a
group's default is ``paraphrase``, an inline excerpt's ``quote``), ``"exact words"``, a span
``start-end``, the words ``normalize`` (tolerate curly/straight quotes, NBSP, whitespace runs)
and ``partial`` (a quotation whose span starts or ends inside a word; the cut side is shown
with an ellipsis), and options ``speaker="…"``, ``unit="…"``, ``within="…"``.

Flags in a group, each an entry of its own (``;`` between entries):

* ``!analysis`` — the author's own analysis (citations optional);
* ``!several`` — the author's text holds several grammatical sentences that share the
  group's citations;
* ``!accept "2016" "$1.6"`` — numbers that no cited span shows and the author vouches for (a
  source's date, say), written as the warning about each names it; without the flag each is
  reported as a warning. The flag takes one or more quoted numbers and may be repeated.

A group may hold flags alone (``… as inline excerpts show. [!several]``): it ends the sentence
as ``[]`` does.

A line break and the blanks around it read as one space; blanks at the ends of a sentence are
dropped. Punctuation right after a group (``… to last [@a "x"].``) ends the sentence before it.
This module only reads the text; :mod:`briefkit.mdbrief.build` resolves keys against sources.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import attrs

__all__ = ["Group", "Ref", "SentenceDraft", "parse_sentences", "read_string"]

#: Excerpt kinds by where they stand.
GROUP_KINDS = ("paraphrase", "quote", "figure")
INLINE_KINDS = ("quote", "figure")
OPTIONS = ("speaker", "unit", "within")
#: Words that stand alone in an excerpt.
EXCERPT_FLAGS = ("normalize", "partial")
#: Flags of a citation group, written ``!name``.
GROUP_FLAGS = ("analysis", "several", "accept")

#: A source key after ``@``: an alias from the front matter, or a source id.
KEY = re.compile(r"[A-Za-z0-9._/-]+")
_WORD = re.compile(r"[a-z_]+")
_DIGITS = re.compile(r"\d+")
_SPAN = re.compile(r"(\d+)[ \t]*[-–][ \t]*(\d+)")
_ID = re.compile(r"#([A-Za-z0-9_]+)")
_GROUP_START = re.compile(r"\[[ \t\n]*(?=[@!#\]])")
_INLINE_START = re.compile(r"\{[ \t\n]*(?=@)")
_BLANKS = re.compile(r"[ \t\n]*")
_INDENT = re.compile(r"[ \t]*")
_LINE_BREAK = re.compile(r"[ \t]*\n[ \t]*")
_SPECIAL = re.compile(r"[\\\[{]")
_HEX = re.compile(r"u\{([0-9A-Fa-f]{1,6})\}")
_CLOSING = re.compile(r"[.!?…:;,)”’»›」』。！？、）]+(?=[ \t\n]|\Z)")
_STRING_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "r": "\r", "t": "\t"}

Report = Callable[[int, str], None]


@attrs.frozen
class Ref:
    """An excerpt as written: ``@key kind "text" start-end option="…"`` (not yet resolved)."""

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


@attrs.frozen
class Group:
    """A citation group: further citations, its flags and an explicit sentence id.
    ``flags`` gives the offset of each flag written, by name (the first, when repeated)."""

    offset: int
    refs: tuple[Ref, ...] = ()
    analysis: bool = False
    id: str | None = None
    several: bool = False
    accept: tuple[str, ...] = ()
    flags: tuple[tuple[str, int], ...] = ()

    def flag_offset(self, name: str) -> int | None:
        return dict(self.flags).get(name)


@attrs.frozen
class SentenceDraft:
    """One sentence as written: literal text and inline excerpts, ended by ``group``."""

    offset: int
    parts: tuple[str | Ref, ...]
    group: Group | None


def _code_point(match: re.Match[str], at: int, report: Report) -> str:
    value = int(match.group(1), 16)
    if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        report(at, f"\\u{{{match.group(1)}}} is not a Unicode scalar value")
        return "\ufffd"
    return chr(value)


def read_string(text: str, i: int, report: Report) -> tuple[str, int]:
    """Read the ``"…"`` literal opening at ``text[i]``; returns its value and the index after
    it. Escapes: ``\\"`` ``\\\\`` ``\\n`` ``\\r`` ``\\t`` ``\\u{HEX}``; a raw line break and the
    blanks around it read as one space."""
    out: list[str] = []
    raw_from = i + 1
    j = i + 1
    n = len(text)
    while j < n:
        ch = text[j]
        if ch == '"' or ch == "\\":
            out.append(_LINE_BREAK.sub(" ", text[raw_from:j]))
            if ch == '"':
                return "".join(out), j + 1
            nxt = text[j + 1 : j + 2]
            if nxt in _STRING_ESCAPES:
                out.append(_STRING_ESCAPES[nxt])
                j += 2
            elif (m := _HEX.match(text, j + 1)) is not None:
                out.append(_code_point(m, j, report))
                j = m.end()
            else:
                report(j, f"unknown escape {text[j : j + 2]!r} in a quoted string")
                out.append(nxt)
                j += 2
            raw_from = j
            continue
        j += 1
    report(i, "this quoted string is never closed (a '\"' is missing)")
    out.append(_LINE_BREAK.sub(" ", text[raw_from:n]))
    return "".join(out), n


def _read_ref(
    text: str, i: int, stops: str, kinds: tuple[str, ...], report: Report
) -> tuple[Ref, int]:
    """Read ``@key …`` at ``text[i]`` up to (not including) one of ``stops``."""
    at = i
    reported: list[int] = []

    def report_here(offset: int, message: str) -> None:
        reported.append(offset)
        report(offset, message)

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
        if (sm := _SPAN.match(text, j)) is not None:
            if span is not None:
                report_here(j, "an excerpt takes one span start-end")
            span = (int(sm.group(1)), int(sm.group(2)))
            j = sm.end()
            continue
        if (dm := _DIGITS.match(text, j)) is not None:
            report_here(j, f"{dm.group()!r} is not a span; write one as start-end, like 120-164")
            j = dm.end()
            continue
        if (wm := _WORD.match(text, j)) is not None:
            word, j = wm.group(), wm.end()
            if text.startswith('="', j):
                value, j = read_string(text, j + 1, report_here)
                if word not in OPTIONS:
                    report_here(
                        wm.start(), f"unknown option {word!r}; options: {', '.join(OPTIONS)}"
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
                    f"unexpected {word!r} in an excerpt; expected a kind ({', '.join(kinds)}), "
                    '"exact words", a span like 120-164, normalize, partial, or option="…"',
                )
            continue
        report_here(j, f"unexpected {ch!r} in an excerpt")
        j += 1
    if "partial" in flags and (kind or kinds[0]) != "quote":
        report_here(
            flags["partial"],
            f"only a quotation can be partial (shown with an ellipsis), not a {kind or kinds[0]}",
        )
    ref = Ref(
        key=key,
        kind=kind or kinds[0],
        offset=at,
        text=string,
        start=span[0] if span else None,
        end=span[1] if span else None,
        options=tuple(sorted(options.items())),
        normalize="normalize" in flags,
        partial="partial" in flags,
        broken=bool(reported),
    )
    return ref, j


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
                report(j, f"!accept takes numbers; {value!r} has no digit")
            else:
                numbers.append(value)
            j = after
            continue
        stop = j
        while stop < n and text[stop] not in ' \t\n;]"':
            stop += 1
        report(
            j,
            f'!accept takes numbers in quotes, like !accept "2016", not {text[j:stop]!r}',
        )
        j = max(stop, j + 1)
    if not written:
        report(at, '!accept needs the numbers it accepts, in quotes: !accept "2016"')
    return numbers, j


def _read_group(text: str, i: int, report: Report) -> tuple[Group, int]:
    """Read a citation group whose ``[`` is at ``text[i]``."""
    refs: list[Ref] = []
    flags: dict[str, int] = {}
    accept: list[str] = []
    sid: str | None = None
    j = i + 1
    n = len(text)
    while True:
        j = _BLANKS.match(text, j).end()  # type: ignore[union-attr]
        if j >= n:
            report(i, "this citation group is never closed (a ']' is missing)")
            break
        ch = text[j]
        if ch == "]":
            j += 1
            break
        if ch == ";":
            j += 1
            continue
        if ch == "@":
            ref, j = _read_ref(text, j, ";]", GROUP_KINDS, report)
            refs.append(ref)
        elif ch == "!":
            wm = _WORD.match(text, j + 1)
            flag = wm.group() if wm is not None else ""
            after = wm.end() if wm is not None else j + 1
            if flag == "accept":
                numbers, after = _read_accept(text, after, j, report)
                accept += numbers
                flags.setdefault(flag, j)
            elif flag in GROUP_FLAGS:
                if flag in flags:
                    report(j, f"!{flag} is given twice")
                flags.setdefault(flag, j)
            else:
                known = ", ".join(f"!{name}" for name in GROUP_FLAGS)
                report(j, f"unknown flag !{flag}; the flags are {known}")
            j = after
        elif (im := _ID.match(text, j)) is not None:
            if sid is not None:
                report(j, "a sentence has one id")
            sid = im.group(1)
            j = im.end()
        else:
            report(j, f"unexpected {ch!r} in a citation group; expected @source, a !flag or #id")
            while j < n and text[j] not in ";]":
                j += 1
    group = Group(
        offset=i,
        refs=tuple(refs),
        analysis="analysis" in flags,
        id=sid,
        several="several" in flags,
        accept=tuple(accept),
        flags=tuple(flags.items()),
    )
    return group, j


class _Sentence:
    """Collects one sentence: pieces of text (protected when they came from an escape, so
    blanks written as ``\\u{20}`` survive trimming) and inline excerpts."""

    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.items: list[tuple[str, bool] | Ref] = []

    def text(self, piece: str, protected: bool = False) -> None:
        if piece:
            self.items.append((piece, protected))

    def empty(self) -> bool:
        return all(not isinstance(it, Ref) and not it[0].strip() for it in self.items)

    def finish(self, group: Group | None) -> SentenceDraft:
        items = self.items
        _trim(items, range(len(items)), lambda s: s.lstrip(" \t"))
        _trim(items, range(len(items) - 1, -1, -1), lambda s: s.rstrip(" \t"))
        parts: list[str | Ref] = []
        for it in items:
            if isinstance(it, Ref):
                parts.append(it)
            elif it[0]:
                if parts and isinstance(parts[-1], str):
                    parts[-1] += it[0]
                else:
                    parts.append(it[0])
        return SentenceDraft(self.offset, tuple(parts), group)


def _trim(items: list[tuple[str, bool] | Ref], order: range, strip: Callable[[str], str]) -> None:
    for k in order:
        it = items[k]
        if isinstance(it, Ref) or it[1]:
            return
        stripped = strip(it[0])
        items[k] = (stripped, False)
        if stripped:
            return


def _shift_ref(ref: Ref, base: int) -> Ref:
    return attrs.evolve(ref, offset=ref.offset + base)


def _shift(draft: SentenceDraft, base: int) -> SentenceDraft:
    parts = tuple(_shift_ref(p, base) if isinstance(p, Ref) else p for p in draft.parts)
    group = draft.group
    if group is not None:
        refs = tuple(_shift_ref(r, base) for r in group.refs)
        flags = tuple((name, at + base) for name, at in group.flags)
        group = attrs.evolve(group, offset=group.offset + base, refs=refs, flags=flags)
    return SentenceDraft(draft.offset + base, parts, group)


def parse_sentences(text: str, start: int, stop: int, report: Report) -> list[SentenceDraft]:
    """The sentences written in ``text[start:stop]`` (offsets stay those of ``text``)."""

    def local(offset: int, message: str) -> None:
        report(start + offset, message)

    drafts = _parse(text[start:stop], local)
    return [_shift(d, start) for d in drafts] if start else drafts


def _parse(body: str, report: Report) -> list[SentenceDraft]:
    stop = len(body)
    out: list[SentenceDraft] = []
    raw_from = i = _BLANKS.match(body).end()  # type: ignore[union-attr]
    cur = _Sentence(i)

    def flush(upto: int) -> None:
        cur.text(_LINE_BREAK.sub(" ", body[raw_from:upto]))

    while i < stop:
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
            group, i = _read_group(body, i, report)
            if (cm := _CLOSING.match(body, i)) is not None:
                _trim(cur.items, range(len(cur.items) - 1, -1, -1), lambda s: s.rstrip(" \t"))
                cur.text(cm.group(), protected=True)
                i = cm.end()
            if cur.empty() and not group.refs and not group.flags and group.id is None:
                report(
                    gm.start(), "an empty [] ends a sentence, but there is no sentence before it"
                )
            else:
                out.append(cur.finish(group))
            i = _BLANKS.match(body, i).end()  # type: ignore[union-attr]
            cur = _Sentence(i)
            raw_from = i
            continue
        if ch == "{" and _INLINE_START.match(body, i) is not None:
            flush(i)
            j = _BLANKS.match(body, i + 1).end()  # type: ignore[union-attr]
            ref, j = _read_ref(body, j, "}", INLINE_KINDS, report)
            if j < stop and body[j] == "}":
                j += 1
            else:
                report(i, "this inline excerpt is never closed (a '}' is missing)")
            cur.items.append(ref)
            i = raw_from = j
            continue
        i += 1
        special = _SPECIAL.search(body, i)
        i = special.start() if special is not None else stop
    flush(stop)
    if not cur.empty():
        out.append(cur.finish(None))
    return out
