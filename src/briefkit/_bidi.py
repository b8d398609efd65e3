"""The Unicode Bidirectional Algorithm (UAX #9) for text briefkit lays out itself: the PDF
writer breaks a paragraph into lines in logical order, then draws each line in visual order.

:func:`paragraph_levels` resolves one embedding level per code point of a paragraph (rules
P2–P3, X1–X10, W1–W7, N0–N2, I1–I2); :func:`line_order` turns the levels of one line into
the order its characters are drawn in, left to right (rules L1–L2); :func:`display` does both
for a single line and mirrors brackets and the like (L4). Only the standard library is used
(``unicodedata`` gives the bidirectional classes), so the PDF reader imports this module
without reportlab.

What the algorithm needs and ``unicodedata`` lacks is here as tables: the paired brackets of
``BidiBrackets.txt`` (rule N0) and the mirror glyphs of ``BidiMirroring.txt`` (rule L4).
Unassigned code points take the default class the Unicode Character Database gives their
block (R in the Hebrew blocks, AL in the Arabic ones, BN for noncharacters …).

Choices the standard leaves to the implementation:

* A paragraph separator (class B) inside the text is handled as the end of a paragraph
  without starting a new text: every embedding, override and isolate ends there (X8), the
  separator takes the base level (L1), and what follows is resolved as a new paragraph with
  the *same* base level (the first strong character of the whole text, P2–P3, or ``base``).
  Callers should pass one paragraph at a time.
* Characters X9 removes (embedding and override controls, boundary neutrals) keep their
  place and take the level of the character before them (the base level at the start), the
  retaining approach of UAX #9 section 5.2; in L1 they join the whitespace around them.
* Combining marks are not moved after their base (L3): briefkit draws a line as shaped runs.

Every step is linear in the length of the text: the bracket pairs of N0 look inside a pair
through prefix counts, and L2 reverses through a tree of nested runs instead of once per
level.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from itertools import accumulate

from briefkit.errors import ExportError, SpanError

__all__ = [
    "CONTROLS",
    "FSI",
    "LRI",
    "PDI",
    "display",
    "line_order",
    "paragraph_levels",
]

#: The isolate controls briefkit places itself: LEFT-TO-RIGHT ISOLATE, FIRST STRONG ISOLATE
#: and POP DIRECTIONAL ISOLATE.
LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"
#: Every character whose only work is to direct the order of others: the explicit
#: embeddings, overrides and isolates with their ends (rules X1–X8), and the marks LRM, RLM
#: and ALM.
CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")

# BD2: the deepest embedding level an explicit control may open
_MAX_DEPTH = 125
# BD16: the bracket stack of N0 holds at most this many openers per isolating run sequence
_MAX_BRACKETS = 63

_INITIATORS = frozenset(("LRI", "RLI", "FSI"))
_ISOLATE_CONTROLS = frozenset(("LRI", "RLI", "FSI", "PDI"))
_EMBEDDINGS = frozenset(("LRE", "RLE", "LRO", "RLO"))
# X9: the characters the algorithm ignores from X10 on
_REMOVED = frozenset(("LRE", "RLE", "LRO", "RLO", "PDF", "BN"))
# the classes X1–X8 must look at one by one; every other character just takes the current level
_EXPLICIT = _REMOVED | _ISOLATE_CONTROLS | {"B"}
# a paragraph with none of these and base level 0 resolves to level 0 throughout
_NOT_PLAIN_LTR = _EXPLICIT | {"R", "AL", "AN"}
# N1–N2: the neutral and isolate classes that take the direction of their surroundings
_NEUTRALS = frozenset(("B", "S", "WS", "ON", "LRI", "RLI", "FSI", "PDI"))
# L1: what is reset to the base level before a separator and at the end of a line
_TRAILING = frozenset(("WS",)) | _ISOLATE_CONTROLS | _REMOVED

# DerivedBidiClass.txt: unassigned code points take their block's default, not L
_DEFAULTS = (
    (0x0590, 0x05FF, "R"),
    (0x0600, 0x07BF, "AL"),
    (0x07C0, 0x085F, "R"),
    (0x0860, 0x08FF, "AL"),
    (0x2060, 0x206F, "BN"),
    (0x20A0, 0x20CF, "ET"),
    (0xFB1D, 0xFB4F, "R"),
    (0xFB50, 0xFDCF, "AL"),
    (0xFDD0, 0xFDEF, "BN"),
    (0xFDF0, 0xFDFF, "AL"),
    (0xFE70, 0xFEFF, "AL"),
    (0xFFF0, 0xFFF8, "BN"),
    (0x10800, 0x10CFF, "R"),
    (0x10D00, 0x10D3F, "AL"),
    (0x10D40, 0x10EBF, "R"),
    (0x10EC0, 0x10EFF, "AL"),
    (0x10F00, 0x10F2F, "R"),
    (0x10F30, 0x10F6F, "AL"),
    (0x10F70, 0x10FFF, "R"),
    (0x1E800, 0x1EC6F, "R"),
    (0x1EC70, 0x1ECBF, "AL"),
    (0x1ECC0, 0x1ECFF, "R"),
    (0x1ED00, 0x1ED4F, "AL"),
    (0x1ED50, 0x1EDFF, "R"),
    (0x1EE00, 0x1EEFF, "AL"),
    (0x1EF00, 0x1EFFF, "R"),
    (0xE0000, 0xE0FFF, "BN"),
)

# BidiBrackets.txt: each opening bracket and its closing partner (Bidi_Paired_Bracket)
_BRACKET_PAIRS = (
    "0028 0029 005B 005D 007B 007D 0F3A 0F3B 0F3C 0F3D 169B 169C 2045 2046 207D 207E 208D 208E "
    "2308 2309 230A 230B 2329 232A 2768 2769 276A 276B 276C 276D 276E 276F 2770 2771 2772 2773 "
    "2774 2775 27C5 27C6 27E6 27E7 27E8 27E9 27EA 27EB 27EC 27ED 27EE 27EF 2983 2984 2985 2986 "
    "2987 2988 2989 298A 298B 298C 298D 2990 298F 298E 2991 2992 2993 2994 2995 2996 2997 2998 "
    "29D8 29D9 29DA 29DB 29FC 29FD 2E22 2E23 2E24 2E25 2E26 2E27 2E28 2E29 2E55 2E56 2E57 2E58 "
    "2E59 2E5A 2E5B 2E5C 3008 3009 300A 300B 300C 300D 300E 300F 3010 3011 3014 3015 3016 3017 "
    "3018 3019 301A 301B FE59 FE5A FE5B FE5C FE5D FE5E FF08 FF09 FF3B FF3D FF5B FF5D FF5F FF60 "
    "FF62 FF63"
)
# BidiMirroring.txt: pairs of characters each of which is the other's mirror glyph
_MIRROR_PAIRS = (
    "0028 0029 003C 003E 005B 005D 007B 007D 00AB 00BB 0F3A 0F3B 0F3C 0F3D 169B 169C 2039 203A "
    "2045 2046 207D 207E 208D 208E 2208 220B 2209 220C 220A 220D 2215 29F5 221F 2BFE 223C 223D "
    "2243 22CD 2252 2253 2254 2255 2264 2265 2266 2267 2268 2269 226A 226B 226E 226F 2270 2271 "
    "2272 2273 2274 2275 2276 2277 2278 2279 227A 227B 227C 227D 227E 227F 2280 2281 2282 2283 "
    "2284 2285 2286 2287 2288 2289 228A 228B 228F 2290 2291 2292 2298 29B8 22A2 22A3 22A6 2ADE "
    "22A8 2AE4 22A9 2AE3 22AB 2AE5 22B0 22B1 22B2 22B3 22B4 22B5 22B6 22B7 22C9 22CA 22CB 22CC "
    "22D0 22D1 22D6 22D7 22D8 22D9 22DA 22DB 22DC 22DD 22DE 22DF 22E0 22E1 22E2 22E3 22E4 22E5 "
    "22E6 22E7 22E8 22E9 22EA 22EB 22EC 22ED 22F0 22F1 22F2 22FA 22F3 22FB 22F4 22FC 22F6 22FD "
    "22F7 22FE 2308 2309 230A 230B 2329 232A 2768 2769 276A 276B 276C 276D 276E 276F 2770 2771 "
    "2772 2773 2774 2775 27C3 27C4 27C5 27C6 27C8 27C9 27D5 27D6 27DD 27DE 27E2 27E3 27E4 27E5 "
    "27E6 27E7 27E8 27E9 27EA 27EB 27EC 27ED 27EE 27EF 2983 2984 2985 2986 2987 2988 2989 298A "
    "298B 298C 298D 2990 298E 298F 2991 2992 2993 2994 2995 2996 2997 2998 29C0 29C1 29C4 29C5 "
    "29CF 29D0 29D1 29D2 29D4 29D5 29D8 29D9 29DA 29DB 29F8 29F9 29FC 29FD 2A2B 2A2C 2A2D 2A2E "
    "2A34 2A35 2A3C 2A3D 2A64 2A65 2A79 2A7A 2A7D 2A7E 2A7F 2A80 2A81 2A82 2A83 2A84 2A8B 2A8C "
    "2A91 2A92 2A93 2A94 2A95 2A96 2A97 2A98 2A99 2A9A 2A9B 2A9C 2AA1 2AA2 2AA6 2AA7 2AA8 2AA9 "
    "2AAA 2AAB 2AAC 2AAD 2AAF 2AB0 2AB3 2AB4 2ABB 2ABC 2ABD 2ABE 2ABF 2AC0 2AC1 2AC2 2AC3 2AC4 "
    "2AC5 2AC6 2ACD 2ACE 2ACF 2AD0 2AD1 2AD2 2AD3 2AD4 2AD5 2AD6 2AEC 2AED 2AF7 2AF8 2AF9 2AFA "
    "2E02 2E03 2E04 2E05 2E09 2E0A 2E0C 2E0D 2E1C 2E1D 2E20 2E21 2E22 2E23 2E24 2E25 2E26 2E27 "
    "2E28 2E29 2E55 2E56 2E57 2E58 2E59 2E5A 2E5B 2E5C 3008 3009 300A 300B 300C 300D 300E 300F "
    "3010 3011 3014 3015 3016 3017 3018 3019 301A 301B FE59 FE5A FE5B FE5C FE5D FE5E FE64 FE65 "
    "FF08 FF09 FF1C FF1E FF3B FF3D FF5B FF5D FF5F FF60 FF62 FF63"
)


def _pairs(table: str) -> list[tuple[str, str]]:
    codes = [chr(int(code, 16)) for code in table.split()]
    return list(zip(codes[::2], codes[1::2], strict=True))


# N0 compares brackets up to canonical equivalence: U+2329/U+232A are U+3008/U+3009
_CANONICAL = {"\u2329": "\u3008", "\u232a": "\u3009"}
# an opening bracket → its canonical closing partner; a closing bracket → its canonical self
_OPENERS = {o: _CANONICAL.get(c, c) for o, c in _pairs(_BRACKET_PAIRS)}
_CLOSERS = {c: _CANONICAL.get(c, c) for _o, c in _pairs(_BRACKET_PAIRS)}
_MIRRORS = {a: b for x, y in _pairs(_MIRROR_PAIRS) for a, b in ((x, y), (y, x))}


def _bidi_class(char: str) -> str:
    cls = unicodedata.bidirectional(char)
    if cls:
        return cls
    code = ord(char)
    if code & 0xFFFE == 0xFFFE:  # the noncharacters at the end of every plane
        return "BN"
    for first, last, default in _DEFAULTS:
        if first <= code <= last:
            return default
    return "L"


def _classes(text: str) -> list[str]:
    bidirectional = unicodedata.bidirectional
    return [bidirectional(c) or _bidi_class(c) for c in text]


def paragraph_levels(text: str, base: int | None = None) -> tuple[int, list[int]]:
    """``(base level, levels)``: the paragraph's base level (0 left to right, 1 right to left)
    and the resolved embedding level of every code point of ``text``, before the line rules.

    The base level is ``base`` when given, else that of the first strong character outside
    isolates (P2–P3), else 0. A paragraph separator takes the base level; a character X9
    removes takes the level of the character before it."""
    if base not in (None, 0, 1):
        raise ExportError(f"a paragraph's base level is 0 or 1, not {base!r}")
    n = len(text)
    cls = _classes(text)
    kinds = set(cls)
    explicit = not kinds.isdisjoint(_EXPLICIT)
    match = _match_isolates(cls) if explicit else {}
    if base is None:
        base = _first_strong(cls, match)
    if base == 0 and kinds.isdisjoint(_NOT_PLAIN_LTR):
        return 0, [0] * n
    types = list(cls)
    levels = _explicit_levels(cls, types, match, base) if explicit else [base] * n
    kept = [i for i, c in enumerate(cls) if c not in _REMOVED] if explicit else range(n)
    for sequence, sos, eos in _run_sequences(cls, levels, match, kept, base):
        _resolve(text, cls, types, levels, sequence, sos, eos)
    if explicit:
        # a paragraph separator needs no L1 here: it sits at the base level (X8) and, last in
        # its sequence with eos the base direction, resolves to it (N1–N2)
        for i, c in enumerate(cls):
            if c in _REMOVED:
                levels[i] = levels[i - 1] if i else base
    return base, levels


def _match_isolates(cls: list[str]) -> dict[int, int]:
    """BD9: each isolate initiator and its matching PDI, mapped both ways (a paragraph
    separator ends every open isolate)."""
    match: dict[int, int] = {}
    open_: list[int] = []
    for i, c in enumerate(cls):
        if c in _INITIATORS:
            open_.append(i)
        elif c == "PDI":
            if open_:
                j = open_.pop()
                match[i], match[j] = j, i
        elif c == "B":
            open_.clear()
    return match


def _first_strong(cls: list[str], match: dict[int, int]) -> int:
    """P2–P3: 1 when the first strong character outside isolates is R or AL, 0 when it is L
    or there is none."""
    i, n = 0, len(cls)
    while i < n:
        c = cls[i]
        if c == "L":
            return 0
        if c in ("R", "AL"):
            return 1
        if c in _INITIATORS:
            if i in match:
                i = match[i]
            else:  # an unclosed isolate runs to the end of the paragraph (its separator)
                while i < n and cls[i] != "B":
                    i += 1
        i += 1
    return 0


def _fsi_directions(cls: list[str], match: dict[int, int]) -> dict[int, int]:
    """X5c: the direction of every FSI's content, from one backward pass (searching from each
    FSI separately would be quadratic for nested isolates)."""
    n = len(cls)
    ahead: list[int | None] = [None] * (n + 1)  # first strong direction from i, within its isolate
    for i in range(n - 1, -1, -1):
        c = cls[i]
        if c == "L":
            ahead[i] = 0
        elif c in ("R", "AL"):
            ahead[i] = 1
        elif c in _INITIATORS:
            ahead[i] = ahead[match[i] + 1] if i in match else None
        elif c == "B" or (c == "PDI" and i in match):
            ahead[i] = None
        else:
            ahead[i] = ahead[i + 1]
    return {i: ahead[i + 1] or 0 for i, c in enumerate(cls) if c == "FSI"}


def _explicit_levels(
    cls: list[str], types: list[str], match: dict[int, int], base: int
) -> list[int]:
    """X1–X8: the explicit level of every character; overrides rewrite ``types``."""
    n = len(cls)
    levels = [base] * n
    fsi = _fsi_directions(cls, match) if "FSI" in cls else {}
    # the directional status stack: (level, override class or "", isolate?)
    stack: list[tuple[int, str, bool]] = [(base, "", False)]
    overflow_isolates = overflow_embeddings = valid_isolates = 0
    prev = 0
    for i in [i for i, c in enumerate(cls) if c in _EXPLICIT]:
        # X6: the characters between two controls take the current level and override
        level, override, _ = stack[-1]
        if i > prev:
            levels[prev:i] = [level] * (i - prev)
            if override:
                types[prev:i] = [override] * (i - prev)
        prev = i + 1
        c = cls[i]
        levels[i] = level
        if c in _EMBEDDINGS:  # X2–X5
            new = (level + 1) | 1 if c[0] == "R" else (level + 2) & ~1
            if new <= _MAX_DEPTH and overflow_isolates == 0 and overflow_embeddings == 0:
                stack.append((new, "" if c[2] == "E" else c[0], False))
            elif overflow_isolates == 0:
                overflow_embeddings += 1
        elif c in _INITIATORS:  # X5a–X5c
            if override:
                types[i] = override
            rtl = fsi[i] if c == "FSI" else c == "RLI"
            new = (level + 1) | 1 if rtl else (level + 2) & ~1
            if new <= _MAX_DEPTH and overflow_isolates == 0 and overflow_embeddings == 0:
                valid_isolates += 1
                stack.append((new, "", True))
            else:
                overflow_isolates += 1
        elif c == "PDI":  # X6a
            if overflow_isolates:
                overflow_isolates -= 1
            elif valid_isolates:
                overflow_embeddings = 0
                while not stack[-1][2]:
                    stack.pop()
                stack.pop()
                valid_isolates -= 1
            levels[i], override, _ = stack[-1]
            if override:
                types[i] = override
        elif c == "PDF":  # X7
            if overflow_isolates:
                pass
            elif overflow_embeddings:
                overflow_embeddings -= 1
            elif not stack[-1][2] and len(stack) > 1:
                stack.pop()
        elif c == "B":  # X8: a paragraph separator ends everything
            levels[i] = base
            stack = [(base, "", False)]
            overflow_isolates = overflow_embeddings = valid_isolates = 0
        # BN (X6) just keeps the current level; X9 removes it
    level, override, _ = stack[-1]
    if n > prev:
        levels[prev:n] = [level] * (n - prev)
        if override:
            types[prev:n] = [override] * (n - prev)
    return levels


def _run_sequences(
    cls: list[str],
    levels: list[int],
    match: dict[int, int],
    kept: Sequence[int],
    base: int,
) -> list[tuple[list[int], str, str]]:
    """X10 (BD13): the isolating run sequences, each as its characters' indices with its sos
    and eos. A paragraph separator ends its level run, so nothing is resolved across it."""
    runs: list[tuple[int, int]] = []  # level runs as [start, end) positions in ``kept``
    start = 0
    for k in range(1, len(kept)):
        if levels[kept[k]] != levels[kept[k - 1]] or cls[kept[k - 1]] == "B":
            runs.append((start, k))
            start = k
    if kept:
        runs.append((start, len(kept)))
    # a run ending with an isolate initiator continues at the run its matching PDI starts
    starting = {kept[a]: r for r, (a, _b) in enumerate(runs)}
    follows: dict[int, int] = {}
    for r, (_a, b) in enumerate(runs):
        last = kept[b - 1]
        if cls[last] in _INITIATORS and last in match and match[last] in starting:
            follows[r] = starting[match[last]]
    continued = set(follows.values())
    out: list[tuple[list[int], str, str]] = []
    for r, (a, b) in enumerate(runs):
        if r in continued:
            continue
        indices = list(kept[a:b])
        while r in follows:
            r = follows[r]
            a2, b = runs[r]
            indices.extend(kept[a2:b])
        level = levels[indices[0]]
        before = levels[kept[a - 1]] if a else base
        last = indices[-1]
        if b == len(kept) or cls[last] in _INITIATORS or cls[last] == "B":
            after = base
        else:
            after = levels[kept[b]]
        out.append((indices, "LR"[max(level, before) & 1], "LR"[max(level, after) & 1]))
    return out


def _resolve(
    text: str,
    cls: list[str],
    types: list[str],
    levels: list[int],
    indices: list[int],
    sos: str,
    eos: str,
) -> None:
    """W1–W7, N0–N2 and I1–I2 on one isolating run sequence; writes ``levels``."""
    t = [types[i] for i in indices]
    m = len(t)
    if "NSM" in t:  # W1
        prev = sos
        for k in range(m):
            if t[k] == "NSM":
                t[k] = "ON" if prev in _ISOLATE_CONTROLS else prev
            prev = t[k]
    if "EN" in t:  # W2
        strong = sos
        for k in range(m):
            c = t[k]
            if c in ("L", "R", "AL"):
                strong = c
            elif c == "EN" and strong == "AL":
                t[k] = "AN"
    if "AL" in t:  # W3
        t = ["R" if c == "AL" else c for c in t]
    if "ES" in t or "CS" in t:  # W4
        for k in range(1, m - 1):
            c = t[k]
            if c == "ES":
                if t[k - 1] == "EN" and t[k + 1] == "EN":
                    t[k] = "EN"
            elif c == "CS":
                p = t[k - 1]
                if p in ("EN", "AN") and t[k + 1] == p:
                    t[k] = p
    if "ET" in t and "EN" in t:  # W5
        k = 0
        while k < m:
            if t[k] != "ET":
                k += 1
                continue
            j = k
            while j < m and t[j] == "ET":
                j += 1
            if (k and t[k - 1] == "EN") or (j < m and t[j] == "EN"):
                t[k:j] = ["EN"] * (j - k)
            k = j
    if "ET" in t or "ES" in t or "CS" in t:  # W6
        t = ["ON" if c in ("ET", "ES", "CS") else c for c in t]
    if "EN" in t:  # W7
        strong = sos
        for k in range(m):
            c = t[k]
            if c in ("L", "R"):
                strong = c
            elif c == "EN" and strong == "L":
                t[k] = "L"
    level = levels[indices[0]]
    embedding = "LR"[level & 1]
    if "ON" in t:
        _brackets(text, cls, t, indices, sos, embedding)
    if not _NEUTRALS.isdisjoint(t):  # N1–N2
        k = 0
        while k < m:
            if t[k] not in _NEUTRALS:
                k += 1
                continue
            j = k
            while j < m and t[j] in _NEUTRALS:
                j += 1
            before = "L" if (t[k - 1] if k else sos) == "L" else "R"
            after = "L" if (t[j] if j < m else eos) == "L" else "R"
            t[k:j] = [before if before == after else embedding] * (j - k)
            k = j
    # I1–I2
    if level & 1:
        up = {"L": level + 1, "EN": level + 1, "AN": level + 1}
    else:
        up = {"R": level + 1, "EN": level + 2, "AN": level + 2}
    for k, i in enumerate(indices):
        levels[i] = up.get(t[k], level)


def _brackets(
    text: str, cls: list[str], t: list[str], indices: list[int], sos: str, embedding: str
) -> None:
    """N0: paired brackets take the direction of what they enclose, or of their context."""
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []  # (canonical closing bracket expected, position)
    # how many openers on the stack wait for each closer: a closer none waits for is skipped
    # without searching the stack, and a search ends by popping what it passed (linear)
    waiting: dict[str, int] = {}
    for k, i in enumerate(indices):
        if t[k] != "ON":
            continue
        ch = text[i]
        if ch in _OPENERS:
            if len(stack) == _MAX_BRACKETS:
                break  # BD16: stop looking; the pairs found so far stand
            want = _OPENERS[ch]
            stack.append((want, k))
            waiting[want] = waiting.get(want, 0) + 1
        elif waiting.get(_CLOSERS.get(ch, "")):
            want = _CLOSERS[ch]
            s = len(stack) - 1
            while stack[s][0] != want:
                s -= 1
            pairs.append((stack[s][1], k))
            for closer, _k in stack[s:]:
                waiting[closer] -= 1
            del stack[s:]
    if not pairs:
        return
    pairs.sort()
    m = len(t)
    # strong classes before each position, counted before any bracket changes: a pair only
    # encloses pairs handled after it, still ON, so the counts stay right for every pair
    lefts = [0, *accumulate(c == "L" for c in t)]
    rights = [0, *accumulate(c in ("R", "EN", "AN") for c in t)]
    opposite = "R" if embedding == "L" else "L"
    for o, c in pairs:
        has_l = lefts[c] - lefts[o + 1] > 0
        has_r = rights[c] - rights[o + 1] > 0
        if has_l if embedding == "L" else has_r:
            new = embedding
        elif has_l or has_r:
            # the first strong class before the opener; each pair handled becomes strong,
            # so every backward search stops at the previous one (linear in all)
            context = sos
            for k in range(o - 1, -1, -1):
                if t[k] == "L":
                    context = "L"
                    break
                if t[k] in ("R", "EN", "AN"):
                    context = "R"
                    break
            new = opposite if context == opposite else embedding
        else:
            continue
        for k in (o, c):
            t[k] = new
            # nonspacing marks after a bracket follow it (they were given its class ON by W1)
            k += 1
            while k < m and cls[indices[k]] == "NSM":
                t[k] = new
                k += 1


def line_order(text: str, levels: Sequence[int], base: int, start: int, end: int) -> list[int]:
    """The indices of ``text[start:end]``, one line of a paragraph whose ``levels`` and base
    level :func:`paragraph_levels` gave, in the order they are drawn, left to right.

    Separators, and whitespace and isolate controls before a separator or at the end of the
    line, take the base level (L1); then every run at or above each level from the highest
    down to the lowest odd one is reversed (L2). Characters X9 removed are not dropped: they
    move with the level they were given (invisible wherever they end up)."""
    if len(levels) != len(text):
        raise SpanError(f"{len(levels)} levels for a text of {len(text)} characters")
    if not 0 <= start <= end <= len(text):
        raise SpanError(f"line [{start}, {end}) is not within a text of {len(text)} characters")
    line = list(levels[start:end])
    classes = _classes(text[start:end])
    trailing = True
    for k in range(end - start - 1, -1, -1):
        c = classes[k]
        if c in ("S", "B"):
            line[k] = base
            trailing = True
        elif c in _TRAILING:
            if trailing:
                line[k] = base
        else:
            trailing = False
    return [start + k for k in _visual(line)]


class _Run:
    """A maximal run of a line at or above ``level``: its characters and inner runs."""

    __slots__ = ("items", "level")

    def __init__(self, level: int) -> None:
        self.level = level
        self.items: list[int | _Run] = []


def _visual(levels: list[int]) -> list[int]:
    """L2 in linear time: the positions of ``levels`` in visual order.

    Reversing level by level costs the line's length once per level (up to 125 times).
    Instead the runs at or above each level are built as a tree, in one pass; a run nested
    directly in a run ``d`` levels lower is reversed ``d`` more times than its parent, so
    only the parity of ``d`` matters when the tree is read out."""
    odd = [lv for lv in levels if lv & 1]
    if not odd:
        return list(range(len(levels)))  # even levels only: every reversal is undone
    floor = min(odd) - 1
    if all(lv == floor + 1 for lv in levels):
        return list(range(len(levels) - 1, -1, -1))
    root = _Run(floor)
    stack = [root]
    for k, lv in enumerate(levels):
        lv = max(lv, floor)
        while stack[-1].level > lv:
            closed = stack.pop()
            if stack[-1].level < lv:
                # the closed run lies inside a run at this lower level, which began with it
                outer = _Run(lv)
                outer.items.append(closed)
                stack[-1].items[-1] = outer
                stack.append(outer)
        if stack[-1].level < lv:
            inner = _Run(lv)
            stack[-1].items.append(inner)
            stack.append(inner)
        stack[-1].items.append(k)
    out: list[int] = []

    def emit(run: _Run, parent: int, flipped: bool) -> None:
        flipped ^= bool((run.level - parent) & 1)
        for item in reversed(run.items) if flipped else run.items:
            if isinstance(item, int):
                out.append(item)
            else:  # at most 126 deep: one run per level
                emit(item, run.level, flipped)

    emit(root, floor, False)
    return out


def display(text: str, base: int | None = None) -> str:
    """``text`` as one line in visual order, left to right, with the characters at odd
    (right-to-left) levels that have a mirror glyph replaced by it (L4). Characters X9 removes
    are kept, invisible, where L2 leaves them."""
    base, levels = paragraph_levels(text, base)
    return "".join(
        _MIRRORS.get(text[i], text[i]) if levels[i] & 1 else text[i]
        for i in line_order(text, levels, base, 0, len(text))
    )
