"""The bidirectional algorithm the PDF writer lays lines out with (UAX #9): worked examples,
invariants, a plain level-by-level reading of rules L1–L2 to check the fast reordering
against, and python-bidi (the unicode-bidi Rust crate) as an oracle for whole paragraphs."""

from __future__ import annotations

import subprocess
import sys
import unicodedata

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from briefkit._bidi import display, line_order, paragraph_levels
from briefkit.errors import BriefkitError, ExportError, SpanError

LRE, RLE, LRO, RLO, PDF = "\u202a", "\u202b", "\u202d", "\u202e", "\u202c"
LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
LRM, RLM, ALM = "\u200e", "\u200f", "\u061c"
# the classes rule X9 removes: they keep a place in the output but nothing shows them
REMOVED = {"LRE", "RLE", "LRO", "RLO", "PDF", "BN"}

HEBREW = "אבגדהוזחטיכלמנסעפצקרשת"
ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def visible(s: str) -> str:
    return "".join(c for c in s if unicodedata.bidirectional(c) not in REMOVED)


def visual(text: str, base: int | None = None) -> str:
    """The whole text as one line in display order, without mirroring."""
    level, levels = paragraph_levels(text, base)
    return "".join(text[i] for i in line_order(text, levels, level, 0, len(text)))


# --- worked examples -------------------------------------------------------------------


def test_left_to_right_text_is_unchanged() -> None:
    text = "Hello, world: 2024-12-06 (v1.2) [ok] 50% $3 #4 a/b"
    assert paragraph_levels(text) == (0, [0] * len(text))
    assert display(text) == text


def test_hebrew_is_reversed() -> None:
    assert paragraph_levels("שלום עולם") == (1, [1] * 9)
    assert display("שלום עולם") == "םלוע םולש"


def test_arabic_keeps_european_digits_left_to_right() -> None:
    assert paragraph_levels("عام 2024") == (1, [1, 1, 1, 1, 2, 2, 2, 2])
    assert display("عام 2024") == "2024 ماع"


def test_arabic_indic_digits_are_arabic_numbers() -> None:
    assert display("العدد ١٢٣") == "١٢٣ ددعلا"
    # AN separated by a comma stays one number (W4), wherever it stands
    assert display("١٢٣,٤٥ ع") == "ع ١٢٣,٤٥"


def test_european_digits_after_arabic_letters_are_arabic_numbers() -> None:
    # W2: after an Arabic letter 10 is an Arabic number, so % does not join it (W5) …
    assert paragraph_levels("ع 10%") == (1, [1, 1, 2, 2, 1])
    assert display("ع 10%") == "%10 ع"
    # … after a Hebrew letter it stays a European number and takes the percent sign
    assert paragraph_levels("ע 10%") == (1, [1, 1, 2, 2, 2])
    assert display("ע 10%") == "10% ע"
    # European digits at an even level are raised two levels (I1), so they stay in order
    assert paragraph_levels("א 12 ב", 0) == (0, [1, 1, 2, 2, 1, 1])
    assert display("א 12 ב", 0) == "ב 12 א"
    assert display("ع 1,000.5%") == "%1,000.5 ع"
    # after a Latin letter they are left to right like it (W7), and so is the sign between
    assert paragraph_levels("a+1", 1) == (1, [2, 2, 2])
    # a nonspacing mark has the class of the letter it is on (W1)
    assert paragraph_levels("abc א\u0301", 0) == (0, [0, 0, 0, 0, 1, 1])


def test_english_sentence_with_a_hebrew_phrase() -> None:
    text = "He said שלום עולם to me."
    base, levels = paragraph_levels(text)
    assert base == 0
    assert levels == [0] * 8 + [1] * 9 + [0] * 7
    assert display(text) == "He said םלוע םולש to me."


def test_rtl_paragraph_with_an_english_name() -> None:
    text = "שלום John Smith!"
    assert paragraph_levels(text) == (1, [1] * 5 + [2] * 10 + [1])
    assert display(text) == "!John Smith םולש"


def test_paired_brackets_follow_their_content_n0() -> None:
    # the examples of rule N0, upper case standing for right-to-left letters
    text = "אב(גד[&ef]!)gh"
    assert paragraph_levels(text, 1) == (1, [1] * 7 + [2, 2] + [1] * 3 + [2, 2])
    assert display(text, 1) == "gh(![ef&]דג)בא"
    assert display("smith (fabrikam العربية) עברית", 1) == "תירבע (ةيبرعلا fabrikam) smith"
    assert display("العربية book(s)", 1) == "book(s) ةيبرعلا"
    # U+2329 pairs with U+3009, its canonical equivalent's partner
    assert paragraph_levels("א \u2329ב\u3009", 0)[1] == [1, 1, 1, 1, 1]
    assert paragraph_levels("א \u2329ב\u232a", 0)[1] == [1, 1, 1, 1, 1]
    assert paragraph_levels("א \u2329ב]", 0)[1] == [1, 1, 1, 1, 0]
    # inside only the opposite direction, a pair takes its context's (here the embedding's)
    assert paragraph_levels("a (ב)", 0)[1] == [0, 0, 0, 1, 0]
    # a closer pairs with the nearest matching opener and discards the openers inside (BD16)
    assert paragraph_levels("א(ב[x)]", 0)[1] == [1, 0, 1, 0, 0, 0, 0]
    assert display("א(ב[)]ג", 0) == "ג[(]ב)א"
    # a nonspacing mark after a bracket follows the bracket's new direction
    assert paragraph_levels("א (ב)\u0301 a", 0)[1] == [1, 1, 1, 1, 1, 1, 0, 0]


def test_the_bracket_stack_holds_63_openers() -> None:
    # with 62 braces open, [ is the 63rd opener and pairs with ]: inside and before it is
    # Hebrew, so both brackets are right to left (N0)
    levels = paragraph_levels("א(ב)x" + "{" * 62 + "ג[ד]e", 0)[1]
    assert levels[:4] == [1, 1, 1, 1] and levels[-2] == 1
    # one brace more and [ finds the stack full: pairs stop there (BD16), those found stand,
    # and ] is a plain neutral between Hebrew and Latin, left to right like the paragraph
    levels = paragraph_levels("א(ב)x" + "{" * 63 + "ג[ד]e", 0)[1]
    assert levels[:4] == [1, 1, 1, 1] and levels[-2] == 0
    # nothing after the full stack pairs, not even with an opener already on it
    assert paragraph_levels("א(ב)" + "{" * 63 + "ג[ד}e", 0)[1][-2] == 0


def test_brackets_and_marks_are_mirrored_at_odd_levels() -> None:
    assert display("א(ב)") == "(ב)א"
    assert display("א < ב") == "ב > א"
    assert display("א «ב» ≤ [ג]") == "[ג] ≥ «ב» א"
    assert display("a (b) < c") == "a (b) < c"


def test_isolates_keep_their_content_in_order() -> None:
    text = f"abc {RLI}שלום 123{PDI} def"
    base, levels = paragraph_levels(text)
    assert base == 0
    assert levels[4:14] == [0] + [1] * 5 + [2, 2, 2, 0]
    assert display(text) == f"abc {RLI}123 םולש{PDI} def"
    # an isolate is one neutral to what surrounds it: the digits after it stay Hebrew's
    assert display(f"א {LRI}abc{PDI} 1") == f"1 {PDI}abc{LRI} א"
    # an isolate left open ends its surroundings' run as the paragraph would (eos, X10)
    assert paragraph_levels(f"ב {RLI}א", 0) == (0, [1, 0, 0, 1])
    # the base level skips isolates (P2) …
    assert paragraph_levels(f"{RLI}שלום{PDI} abc")[0] == 0
    assert paragraph_levels(f"{LRI}abc{PDI} שלום")[0] == 1
    assert paragraph_levels(f"{RLI}שלום abc")[0] == 0  # an unclosed one to the end
    assert paragraph_levels("123 !")[0] == 0
    # … and FSI takes its direction from its own content
    assert paragraph_levels(f"x{FSI}שלום abc{PDI}")[1][1:] == [0, 1, 1, 1, 1, 1, 2, 2, 2, 0]
    assert paragraph_levels(f"x{FSI}abc שלום{PDI}")[1][1:] == [0, 2, 2, 2, 2, 3, 3, 3, 3, 0]
    assert paragraph_levels(f"x{FSI}{RLI}abc{PDI}אב{PDI}")[1][1:3] == [0, 1]


def test_explicit_embeddings_and_overrides() -> None:
    # an override makes every character of it strong in its direction
    assert visible(display(f"{RLO}abc{PDF} def")) == "cba def"
    assert visible(display(f"{LRO}שלום{PDF} עולם")) == "םלוע שלום"
    # an embedding raises the level; its controls take the level before them
    assert paragraph_levels(f"a{RLE}b{PDF}c") == (0, [0, 0, 2, 2, 0])
    assert paragraph_levels(f"a{LRE}ב{PDF}c") == (0, [0, 0, 3, 3, 0])
    # a PDF closes only an embedding opened inside the same isolate
    # the start of a level run looks at the level before it (sos): R here, so 1 stays a number
    assert paragraph_levels(f"{LRE}{RLE}א{PDF}1", 1) == (1, [1, 1, 3, 3, 4])
    text = f"{RLE}a{LRI}{PDF}ב{PDI}c{PDF}d"
    assert paragraph_levels(text) == (0, [0, 2, 2, 2, 3, 2, 2, 2, 0])


def test_the_depth_limit_and_its_overflow_counters() -> None:
    # 62 embeddings fit (levels 2, 4 … 124); the other 138 only count, and their PDFs with them
    text = LRE * 200 + "a" + PDF * 150 + "b"
    levels = paragraph_levels(text)[1]
    assert levels[200] == 124
    assert levels[-1] == 100  # 138 PDFs undo the overflow, the last 12 close levels 124 … 102
    deep = RLI * 130 + "a" + PDI * 130 + "b"
    levels = paragraph_levels(deep)[1]
    assert levels[130] == 126 and max(levels) == 126  # 125 explicit, +1 implicit for L at odd
    assert levels[-1] == 0
    # an isolate that overflows still ends at its PDI, closing no embedding inside it
    text = RLE * 63 + RLI + LRE + PDF + PDI + "x"
    assert paragraph_levels(text)[1][-1] == 126
    text = RLE * 63 + RLI + PDF + "x" + PDI + "y"
    assert paragraph_levels(text)[1][65:] == [126, 126, 126]


def test_whitespace_at_the_end_of_a_line_takes_the_base_level_l1() -> None:
    text = f"{LRE}abc   "
    base, levels = paragraph_levels(text, 1)
    assert levels == [1, 2, 2, 2, 2, 2, 2]
    assert visible(display(text, 1)) == "   abc"
    # the same for a line cut from the middle of the paragraph, and for a tab anywhere
    text = f"{LRE}abc def ghi"
    base, levels = paragraph_levels(text, 1)
    # (the LRE before the first letter takes the base level and stays outside the word)
    assert [text[i] for i in line_order(text, levels, base, 0, 5)] == [" ", "a", "b", "c", LRE]
    assert visible(display(f"{LRE}ab\tcd", 1)) == "cd\tab"


def test_line_order_on_a_line_from_the_middle_of_a_paragraph() -> None:
    text = "abc שלום עולם def"
    base, levels = paragraph_levels(text)
    first, second = (0, 9), (9, len(text))
    assert "".join(text[i] for i in line_order(text, levels, base, *first)) == "abc םולש "
    assert line_order(text, levels, base, *second) == [12, 11, 10, 9, 13, 14, 15, 16]
    assert line_order(text, levels, base, 5, 5) == []


def test_a_paragraph_separator_ends_everything_and_resolves_nothing_across() -> None:
    assert paragraph_levels(f"{RLE}abc\ndef") == (0, [0, 2, 2, 2, 0, 0, 0, 0])
    # 1 after the separator is not an Arabic number (W2 stops there), so it takes the %
    assert paragraph_levels("ع\n1%") == (1, [1, 1, 2, 2])
    assert paragraph_levels("ع\u20291%") == (1, [1, 1, 2, 2])
    assert paragraph_levels("ع1%") == (1, [1, 2, 1])
    # an isolate left open ends at the separator
    assert paragraph_levels(f"{RLI}a\nb{PDI}c") == (0, [0, 2, 0, 0, 0, 0])
    assert paragraph_levels(f"{RLI}a\nב{PDI}c")[0] == 1
    # the separator itself takes the base level, whatever surrounds it
    assert paragraph_levels("א\nב", 0) == (0, [1, 0, 1])


def test_bad_arguments_are_briefkit_errors() -> None:
    text = "abc"
    base, levels = paragraph_levels(text)
    with pytest.raises(SpanError):
        line_order(text, levels, base, 2, 4)
    with pytest.raises(SpanError):
        line_order(text, levels, base, 2, 1)
    with pytest.raises(SpanError):
        line_order(text, levels[:2], base, 0, 2)
    with pytest.raises(ExportError):
        paragraph_levels(text, 2)
    assert issubclass(SpanError, BriefkitError) and issubclass(ExportError, BriefkitError)


def test_the_module_needs_no_reportlab() -> None:
    code = "import sys, briefkit._bidi; print(sorted(m for m in sys.modules if 'reportlab' in m))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- invariants ------------------------------------------------------------------------

CONTROLS = [LRE, RLE, LRO, RLO, PDF, LRI, RLI, FSI, PDI, LRM, RLM, ALM]
ALPHABET = [
    *"abcXY",
    *"אבג",
    *"عمل",
    *"0189",
    *"٠١٢",
    *" .,:/+-%$#",
    *"()[]{}«»",
    *CONTROLS,
    "\u0301",  # combining acute accent (NSM)
    "\u064e",  # Arabic fatha (NSM)
    "\u00ad",  # soft hyphen (BN)
    "\t",  # segment separator
]
texts = st.lists(st.sampled_from([*ALPHABET, "\n", "\u2029"]), max_size=40).map("".join)
bases = st.sampled_from([None, 0, 1])


@given(texts, bases, st.data())
def test_levels_and_orders_are_well_formed(
    text: str, base: int | None, data: st.DataObject
) -> None:
    level, levels = paragraph_levels(text, base)
    assert len(levels) == len(text)
    assert level in (0, 1) and (base is None or level == base)
    assert all(0 <= lv <= 126 for lv in levels)
    assert all(lv == level for c, lv in zip(text, levels, strict=True) if c in "\n\u2029")
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert sorted(line_order(text, levels, level, start, end)) == list(range(start, end))


@given(st.lists(st.sampled_from([*"abcXYZ019 .,:/+-%$#()[]«»\t", LRM, "\u0301"])).map("".join))
def test_text_without_right_to_left_is_not_reordered(text: str) -> None:
    base, levels = paragraph_levels(text, 0)
    assert line_order(text, levels, base, 0, len(text)) == list(range(len(text)))
    assert display(text, 0) == text


@given(st.text(alphabet=HEBREW + ARABIC, min_size=1), bases)
def test_a_right_to_left_line_is_reversed(text: str, base: int | None) -> None:
    level, levels = paragraph_levels(text, base)
    assert line_order(text, levels, level, 0, len(text)) == list(range(len(text)))[::-1]


def naive_order(text: str, levels: list[int], base: int, start: int, end: int) -> list[int]:
    """Rules L1 and L2 as UAX #9 words them: reset, then reverse level by level."""
    line = levels[start:end]
    reset = {"S", "B"}
    trailing = {"WS", "LRI", "RLI", "FSI", "PDI", *REMOVED}
    at_end = True
    for k in range(len(line) - 1, -1, -1):
        cls = unicodedata.bidirectional(text[start + k])
        if cls in reset:
            line[k], at_end = base, True
        elif cls in trailing:
            line[k] = base if at_end else line[k]
        else:
            at_end = False
    order = list(range(start, end))
    odd = [lv for lv in line if lv % 2]
    for level in range(max(line, default=0), min(odd, default=10**9) - 1, -1):
        k = 0
        while k < len(line):
            if line[k] < level:
                k += 1
                continue
            j = k
            while j < len(line) and line[j] >= level:
                j += 1
            order[k:j] = order[k:j][::-1]
            line[k:j] = line[k:j][::-1]
            k = j
    return order


@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "א", " ", "\t", "\u00ad", PDI, LRE]), st.integers(0, 126)),
        max_size=60,
    ),
    st.sampled_from([0, 1]),
    st.integers(0, 60),
    st.integers(0, 60),
)
@example([("a", 2), ("a", 4), ("a", 1), ("a", 4), ("a", 2)], 0, 0, 60)
@example([("a", 3), ("a", 126), (" ", 5), ("a", 1), ("\t", 126), ("a", 3)], 1, 0, 60)
def test_line_order_is_rules_l1_and_l2(
    chars: list[tuple[str, int]], base: int, start: int, end: int
) -> None:
    # any levels at all: the reordering must not depend on how they were resolved
    text = "".join(c for c, _ in chars)
    levels = [lv for _, lv in chars]
    start, end = sorted((min(start, len(text)), min(end, len(text))))
    got = line_order(text, levels, base, start, end)
    assert got == naive_order(text, levels, base, start, end)


# --- python-bidi as the oracle ---------------------------------------------------------

MIRROR_FOLD = str.maketrans(
    "()[]{}«»<>\u2329\u232a\u3008\u3009", "(([[{{««<<\u2329\u2329\u3008\u3008"
)
ORACLE_ALPHABET = [*ALPHABET, "\u200d", "\u0600", "\u06dd", "\u2329", "\u3009", "\n"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(ORACLE_ALPHABET), max_size=40).map("".join), bases)
@example(f"{RLE}abc{PDF} {LRO}אב{PDF}", None)
@example("אב(גד[&ef]!)gh", 1)
def test_python_bidi_agrees(text: str, base: int | None) -> None:
    bidi = pytest.importorskip("bidi")
    if getattr(bidi, "VERSION_TUPLE", (0,)) < (0, 6):
        pytest.skip("the oracle is python-bidi 0.6 or later (the unicode-bidi crate)")
    if "\n" in text:
        # python-bidi splits the text into paragraphs and lays each out by itself, with its
        # own base level; briefkit keeps one line and one base level, which give the same
        # result only for left-to-right
        base = 0
    base_dir = {None: None, 0: "L", 1: "R"}[base]
    oracle = bidi.get_display(text, base_dir=base_dir)
    # python-bidi keeps the characters X9 removes (where its levels put them, invisible
    # either way) and mirrors nothing (no rule L4): compare visible characters, unmirrored
    got, want = visible(visual(text, base)), visible(oracle)
    if got != want:
        level, levels = paragraph_levels(text, base)
        # unicode-bidi 0.3.18 (BidiInfo::reorder_line) returns the text unchanged when no
        # level before rule L1 is odd, though L1 may give separators and trailing blanks the
        # odd base level of a right-to-left paragraph
        assume(not (level == 1 and not any(lv % 2 for lv in levels) and oracle == text))
        # unicode-bidi 0.3.18 searches the level runs before an isolate front to back when
        # N0 looks for the strong class before an opening bracket (fixed upstream after
        # 0.3.18, commit 1743dcf "fix backwards iterator not iterating backwards"); that
        # search only reaches earlier runs from a bracket after a closed isolate
        assume(not _bracket_after_closed_isolate(text))
    assert got == want
    assert visible(display(text, base)).translate(MIRROR_FOLD) == want.translate(MIRROR_FOLD)


def _bracket_after_closed_isolate(text: str) -> bool:
    depth, closed = 0, False
    for c in text:
        if c in (LRI, RLI, FSI):
            depth += 1
        elif c == PDI and depth:
            depth, closed = depth - 1, True
        elif c == "\n":
            depth = 0
        elif closed and c in "([{\u2329":
            return True
    return False
