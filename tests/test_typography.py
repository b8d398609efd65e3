"""Display typography: reflow of hard-wrapped text, smart quotes, doubled full stops."""

from __future__ import annotations

import itertools
import sys
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefkit._typography import drop_doubled_stop, reflow, smart_quotes
from briefkit.locales import SUPPORTED, Locale
from briefkit.testing import hard_text

BREAK_CHARS = "\n\v\f\r\x85\u2028\u2029"
#: Unicode's White_Space characters (the same set as str.isspace() minus U+001C..U+001F,
#: checked below), written out independently of the module under test.
WHITE_SPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000"
    + "".join(chr(cp) for cp in range(0x2000, 0x200B))
)

ATOMS = (
    # every line break style, and whitespace that is and is not a line break
    "\r\n",
    "\r",
    "\n",
    "\v",
    "\f",
    "\x85",
    "\u2028",
    "\u2029",
    " ",
    "  ",
    "\t",
    "\xa0",
    "\u202f",
    "\u3000",
    "\u2003",
    # look-alikes that are not whitespace
    "\x1c",
    "\x1f",
    "\u200b",
    "\ufeff",
    "\u200d",
    "\u200f",
    "\x00",
    "\x7f",
    # hard text
    "e\u0301",
    "n\u0303",
    "👩\u200d👩\u200d👧",
    "🇯🇵",
    "漢字",
    "ありがとう。",
    "مرحبا",
    "שלום",
    "𝔘𝕏",
    "\U0001f600",
    # words, digits and punctuation around quotes
    "don",
    "t",
    "1990",
    "s",
    "word",
    ".",
    ",",
    "(",
    ")",
    "—",
    "-",
    "/",
    "«",
    "„",
    "“",
    "”",
    "‘",
    "’",
    "「",
    '"',
    "'",
    '"',
    "'",
)

atom_text = st.lists(st.sampled_from(ATOMS), max_size=40).map("".join)
texts = st.one_of(atom_text, hard_text(0, 60))


def _reference_reflow(text: str, keep_paragraphs: bool) -> str:
    """An independent model of the rules: group maximal whitespace runs, count breaks; a
    soft hyphen ending the text before a run with a break goes, with the run."""
    out: list[str] = []
    for is_space, group in itertools.groupby(text, key=lambda ch: ch in WHITE_SPACE):
        run = "".join(group)
        if not is_space:
            out.append(run)
            continue
        breaks, k = 0, 0
        while k < len(run):
            if run.startswith("\r\n", k):
                breaks, k = breaks + 1, k + 2
                continue
            breaks += run[k] in BREAK_CHARS
            k += 1
        if breaks and out and out[-1].endswith("\xad"):
            out[-1] = out[-1][:-1]  # a word hyphenated at a line end reads whole
        elif breaks == 0:
            out.append(run)
        elif breaks == 1 or not keep_paragraphs:
            out.append(" ")
        else:
            out.append("\n")
    return "".join(out)


def _visible(text: str) -> str:
    """The characters that are not white space, without a soft hyphen that stands before a
    line break (reflow joins the hyphenated word)."""
    kept: list[str] = []
    for k, ch in enumerate(text):
        if ch in WHITE_SPACE:
            continue
        if ch == "\xad":
            rest = itertools.takewhile(lambda c: c in WHITE_SPACE, text[k + 1 :])
            if any(c in BREAK_CHARS for c in rest):
                continue
        kept.append(ch)
    return "".join(kept)


# -- reflow: examples ---------------------------------------------------------------------


def test_the_whitespace_set_is_unicode_white_space() -> None:
    derived = {chr(cp) for cp in range(sys.maxunicode + 1) if chr(cp).isspace()}
    assert derived - set("\x1c\x1d\x1e\x1f") == WHITE_SPACE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("one\ntwo", "one two"),
        ("one\r\ntwo", "one two"),
        ("one\rtwo", "one two"),
        ("one\vtwo", "one two"),
        ("one\ftwo", "one two"),
        ("one\x85two", "one two"),
        ("one\u2028two", "one two"),
        ("one\u2029two", "one two"),
        ("end of line   \n      indented", "end of line indented"),
        ("tab\t\n\tbed", "tab bed"),
        ("wide\u3000\nspace", "wide space"),
        ("kept  double  spaces", "kept  double  spaces"),
        ("tab\tstays", "tab\tstays"),
        ("no\xa0break", "no\xa0break"),
        ("\n  leading", " leading"),
        ("trailing  \r\n", "trailing "),
        ("  only spaces  ", "  only spaces  "),
        ("", ""),
        ("\n", " "),
        ("para\n\nbreak", "para break"),
        ("para\r\n\r\nbreak", "para break"),
        ("para\n\rbreak", "para break"),  # LF then CR: two breaks
        ("not\x1cspace\u200bnor\ufeffthese", "not\x1cspace\u200bnor\ufeffthese"),
        ("日本語の\n文章", "日本語の 文章"),
        ("שלום\r\nעולם", "שלום עולם"),
    ],
)
def test_reflow_joins_lines(text: str, expected: str) -> None:
    assert reflow(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("one\ntwo", "one two"),
        ("one\r\ntwo", "one two"),
        ("para\n\nbreak", "para\nbreak"),
        ("para \r\n  \r\n  break", "para\nbreak"),
        ("para\r\rbreak", "para\nbreak"),
        ("para\n\rbreak", "para\nbreak"),
        ("para\n\n\n\n\nbreak", "para\nbreak"),
        ("para\u2029\u2029break", "para\nbreak"),
        ("\n\nlead and trail\n\n", "\nlead and trail\n"),
        ("kept  double  spaces", "kept  double  spaces"),
    ],
)
def test_reflow_keeps_paragraphs_when_asked(text: str, expected: str) -> None:
    assert reflow(text, keep_paragraphs=True) == expected


def test_reflow_is_linear_on_long_runs() -> None:
    # a search that restarts inside each run of spaces would take minutes here
    spaces = "a" + " " * 300_000 + "b"
    mixed = "x" + " \t\xa0" * 100_000 + "\n" + "y"
    started = time.perf_counter()
    assert reflow(spaces) == spaces
    assert reflow(mixed, keep_paragraphs=True) == "x y"
    assert reflow("\n" * 300_000, keep_paragraphs=True) == "\n"
    assert time.perf_counter() - started < 60  # a bound: linear work takes well under 1 s


# -- reflow: properties -------------------------------------------------------------------


@settings(max_examples=300)
@given(text=texts, keep=st.booleans())
def test_reflow_follows_the_rules(text: str, keep: bool) -> None:
    assert reflow(text, keep_paragraphs=keep) == _reference_reflow(text, keep)


@settings(max_examples=300)
@given(text=texts, keep=st.booleans())
def test_reflow_keeps_every_other_character_in_order(text: str, keep: bool) -> None:
    assert _visible(reflow(text, keep_paragraphs=keep)) == _visible(text)


@settings(max_examples=300)
@given(text=texts)
def test_reflow_is_idempotent_and_leaves_no_line_break(text: str) -> None:
    once = reflow(text)
    assert reflow(once) == once
    assert not any(ch in BREAK_CHARS for ch in once)


@settings(max_examples=300)
@given(text=texts)
def test_kept_paragraphs_are_single_line_feeds(text: str) -> None:
    once = reflow(text, keep_paragraphs=True)
    breaks = [ch for ch in once if ch in BREAK_CHARS]
    assert set(breaks) <= {"\n"}
    assert "\n\n" not in once
    # each "\n" stands for a whole run: no other whitespace next to it
    for k, ch in enumerate(once):
        if ch == "\n":
            assert k == 0 or once[k - 1] not in WHITE_SPACE
            assert k == len(once) - 1 or once[k + 1] not in WHITE_SPACE
    # each paragraph is already reflowed; a second pass reads the "\n" as a line break
    assert all(reflow(p) == p for p in once.split("\n"))
    assert reflow(once, keep_paragraphs=True) == reflow(text)


# -- smart quotes: examples ---------------------------------------------------------------

EN = (("“", "”"), ("‘", "’"))
DE = (("„", "“"), ("‚", "‘"))
DE_ALT = (("»", "«"), ("›", "‹"))
FR = (("«\u202f", "\u202f»"), ("“", "”"))
JA = (("「", "」"), ("『", "』"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"Hello," she said.', "“Hello,” she said."),
        ("don't", "don’t"),
        ("the 1990's", "the 1990’s"),
        ("the students' books", "the students’ books"),
        ("the students'", "the students’"),
        ("He said 'no'.", "He said ‘no’."),
        ("\"'Hi,' he said\"", "“‘Hi,’ he said”"),
        ('("quoted")', "(“quoted”)"),
        ('[a "b"]', "[a “b”]"),
        ('<"x">', "<“x”>"),
        ('war—"peace"', "war—“peace”"),
        ('war–"peace"', "war–“peace”"),
        ('well-"known"', "well-“known”"),
        ('and/"or"', "and/“or”"),
        ('«"a"»', "«“a”»"),
        ("“'a'”", "“‘a’”"),
        ('‘"a"’', "‘“a”’"),
        ('„"a"', "„“a”"),
        ("‚'a'", "‚‘a’"),
        ('5"', "5”"),
        ("5' tall", "5’ tall"),
        ("'5 o'clock'", "‘5 o’clock’"),
        ("café'", "café’"),
        ("cafe\u0301's", "cafe\u0301’s"),
        ('\ufeff"a"', "\ufeff“a”"),  # a BOM before the mark is looked through
        ('x\u200d"a"', "x\u200d”a”"),  # so is a ZWJ: x is the neighbour, so it closes
        ('tab\t"a"', "tab\t“a”"),
        ('nbsp\xa0"a"', "nbsp\xa0“a”"),
        ('line\n"a"', "line\n“a”"),
        ('שלום "עולם"', "שלום “עולם”"),
        ("Arabic 'مرحبا'", "Arabic ‘مرحبا’"),
        ("'漢字'", "‘漢字’"),
        ('"😀"', "“😀”"),
        ("no marks at all", "no marks at all"),
        ("“already” ‘curly’", "“already” ‘curly’"),
    ],
)
def test_smart_quotes_in_english(text: str, expected: str) -> None:
    assert smart_quotes(text, *EN) == expected


@pytest.mark.parametrize(
    ("marks", "text", "expected"),
    [
        (DE, '"Ja," sagte er.', "„Ja,“ sagte er."),
        (DE, "\"Er sagte 'nein'\"", "„Er sagte ‚nein‘“"),  # closes the open single mark
        (DE, "\"'1' oder '2'\"", "„‚1‘ oder ‚2‘“"),
        (DE, "geht's", "geht’s"),
        (DE, "Rene\u0301' Haus", "Rene\u0301’ Haus"),  # a combining mark is part of a letter
        (DE, '"Ja"\'', "„Ja“‘"),  # the neighbour is the mark as converted
        (DE_ALT, "\"'a' b\"", "»›a‹ b«"),  # the locale's own opening marks open
        (DE_ALT, "\"'1' b\"", "»›1‹ b«"),
        (FR, '"Bonjour"', "«\u202fBonjour\u202f»"),
        (FR, "l'homme", "l’homme"),
        (FR, "\"'1'\"", "«\u202f“1”\u202f»"),
        (JA, '"こんにちは"', "「こんにちは」"),
        (JA, "\"'1'\"", "「『1』」"),  # after 「 a mark opens
        (JA, "「'1'」", "「『1』」"),
    ],
)
def test_smart_quotes_in_other_locales(
    marks: tuple[tuple[str, str], tuple[str, str]], text: str, expected: str
) -> None:
    assert smart_quotes(text, *marks) == expected


def test_the_surrounding_text_decides_the_first_and_last_marks() -> None:
    assert smart_quotes('"', *EN) == "“"
    assert smart_quotes('"', *EN, before="said ") == "“"
    assert smart_quotes('"', *EN, before="ended.") == "”"
    assert smart_quotes('"', *EN, before="(") == "“"
    assert smart_quotes('"', *EN, before="x\u200d\ufeff") == "”"  # looks through Cf
    assert smart_quotes('"', *EN, before="\ufeff") == "“"
    assert smart_quotes("'", *EN, before="don", after="t") == "’"
    assert smart_quotes("'", *DE, before="1990", after="s") == "’"
    assert smart_quotes("'", *DE, before="1990", after=" ") == "‘"
    assert smart_quotes("'", *DE, before="1990") == "‘"
    assert smart_quotes("'s", *DE, before="1990") == "’s"
    assert smart_quotes("'", *DE, before=" ") == "‚"


# -- smart quotes: properties -------------------------------------------------------------

LOCALE_MARKS = [(Locale.named(t).quotes, Locale.named(t).inner_quotes) for t in SUPPORTED]


def _replacements(
    text: str, out: str, quotes: tuple[str, str], inner: tuple[str, str]
) -> list[str] | None:
    """The mark each straight mark of ``text`` became in ``out``, when ``out`` is ``text``
    with each straight mark replaced in place by an allowed mark; otherwise None."""
    allowed = {'"': quotes, "'": (*inner, "’")}
    found: list[str] = []
    at = 0
    for ch in text:
        if ch in allowed:
            mark = next((m for m in allowed[ch] if out.startswith(m, at)), None)
            if mark is None:
                return None
            found.append(mark)
            at += len(mark)
        elif out.startswith(ch, at):
            at += 1
        else:
            return None
    return found if at == len(out) else None


@pytest.mark.parametrize(("quotes", "inner"), LOCALE_MARKS, ids=SUPPORTED)
@settings(max_examples=150)
@given(text=texts, before=texts, after=texts)
def test_smart_quotes_replace_only_straight_marks(
    quotes: tuple[str, str], inner: tuple[str, str], text: str, before: str, after: str
) -> None:
    out = smart_quotes(text, quotes, inner, before=before, after=after)
    assert '"' not in out and "'" not in out
    assert _replacements(text, out, quotes, inner) is not None
    if all(len(m) == 1 for m in (*quotes, *inner)):
        # single-character marks: one character for one, everything else in place
        assert len(out) == len(text)
        assert all(o == t for o, t in zip(out, text, strict=True) if t not in "\"'")
    assert smart_quotes(out, quotes, inner) == out


@pytest.mark.parametrize(("quotes", "inner"), LOCALE_MARKS, ids=SUPPORTED)
@settings(max_examples=150)
@given(text=texts, data=st.data())
def test_smart_quotes_compose_across_runs(
    quotes: tuple[str, str], inner: tuple[str, str], text: str, data: st.DataObject
) -> None:
    # a sentence converted in two runs, each told of its neighbours, reads as in one run —
    # for double marks; whether a "'" closes a single quotation or is an apostrophe depends
    # on the whole text (the plan converts a sentence's author text at once)
    text = text.replace("'", '"')
    k = data.draw(st.integers(0, len(text)), label="split")
    head = smart_quotes(text[:k], quotes, inner, after=text[k:])
    tail = smart_quotes(text[k:], quotes, inner, before=head)
    assert head + tail == smart_quotes(text, quotes, inner)


def test_the_french_marks_are_two_characters_and_keep_their_place() -> None:
    out = smart_quotes('a "b" c', *FR)
    assert out == "a «\u202fb\u202f» c"
    assert _replacements('a "b" c', out, *FR) == ["«\u202f", "\u202f»"]


# -- doubled full stops -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quoted", "following", "expected"),
    [
        # English
        ("“It ended.”", ".", ""),
        ("“It ended”", ".", "."),
        ("“Did it end?”", ".", ""),
        ("“It ended!”", ".", ""),
        ("“It ended…”", ".", "."),  # an ellipsis does not end the sentence
        ("“It ended...”", ".", ""),
        ("“He said ‘stop.’”", ".", ""),
        ("“It ended.”", ". Then more.", " Then more."),
        ("“It ended.”", ", he said.", ", he said."),
        ("“It ended.”", "", ""),
        ("“It ended, ”", ".", "."),
        ('"It ended."', ".", ""),
        ("It ended.", ".", ""),
        ("“It ended.” ", ".", "."),  # a space after the closing mark is not a mark
        ("“”", ".", "."),
        ("", ".", "."),
        # German
        ("„Es ist vorbei.“", ".", ""),
        ("„Es ist vorbei“", ".", "."),
        ("„Ist es vorbei?“", ".", ""),
        ("»Es ist vorbei.«", ".", ""),
        # French, with narrow no-break spaces inside the guillemets
        ("«\u202fC’est fini.\u202f»", ".", ""),
        ("«\u202fC’est fini\u202f»", ".", "."),
        ("«\u202fC’est fini\u202f!\u202f»", ".", ""),
        # Japanese
        ("「終わった。」", "。", ""),
        ("「終わった」", "。", "。"),
        ("「終わった？」", "。", ""),
        ("「終わった！」", "。", ""),
        ("「『終わった。』」", "。", ""),
        ("「It ended.」", "。", ""),
        ("「終わった。」", "と言った。", "と言った。"),
    ],
)
def test_drop_doubled_stop(quoted: str, following: str, expected: str) -> None:
    assert drop_doubled_stop(quoted, following) == expected


@given(quoted=texts, following=texts)
def test_drop_doubled_stop_drops_at_most_one_full_stop(quoted: str, following: str) -> None:
    out = drop_doubled_stop(quoted, following)
    assert out == following or (following[:1] in (".", "。") and out == following[1:])
