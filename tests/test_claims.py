from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from briefkit._claims import (
    PLACEHOLDER,
    quote_boundary_problem,
    sentence_breaks,
    unsupported_numbers,
)

P = PLACEHOLDER
MARK = "‸"  # marks an expected break in the cases below; never part of a text


def marked(case: str) -> tuple[str, list[int]]:
    """The text without the marks, and the offsets where they stood."""
    offsets = []
    parts = case.split(MARK)
    at = 0
    for part in parts[:-1]:
        at += len(part)
        offsets.append(at)
    return "".join(parts), offsets


# --------------------------------------------------------------------------- sentence_breaks


def test_the_readme_example() -> None:
    assert sentence_breaks("A false claim. A cited claim") == [15]
    assert sentence_breaks("A false claim.") == []
    assert sentence_breaks("") == []


BREAKS = [
    # terminal punctuation
    "One. ‸Two! ‸Three? ‸Four",
    "Really?! ‸Yes",
    "What!? ‸No",
    "Why‽ ‸Because",
    "Wait... ‸Then we left",
    "Wait… ‸Then we left",
    "In 2016. ‸2017 was worse",
    "It rose 3.5. ‸Then it fell",
    "The cost was high. ‸$5 million was paid",
    "Visit example.com. ‸Then leave",
    "He said no. ‸Then he left",
    # closing and opening quotes and brackets
    'He said "no." ‸Then left',
    "He said “no.” ‸Then left",
    "He said ‘no.’ ‸Then left",
    "It ended (finally.) ‸Then it began",
    "It ended [finally!] ‸Then it began",
    "He said «non.» ‸Puis il partit",
    "He left. ‸“Why?” she asked",
    "He left. ‸(Nobody knew why.)",
    "¿Qué? ‸¿Dónde está?",
    # whitespace of every kind, line breaks
    "Done.\r\n‸Then",
    "Done.\n‸Then",
    "Done.\r‸Then",
    "Done.\t‸Then",
    "Done.\u00a0‸Then",
    "Done.  \r\n  ‸Then",
    # placeholders stand for quotations and figures, and count as words
    f"He said {P}. ‸{P} was the reply",
    f"It was {P}! ‸Then it was not",
    f"Officials agreed. ‸“{P}” they said",
    # other cased scripts, combining marks, emoji
    "Είπε όχι. ‸Μετά έφυγε",
    "Он ушёл. ‸Потом вернулся",
    "He left. ‸E\u0301mile stayed",
    "He visited Zu\u0308rich. ‸Then Bern",
    "We won 👨\u200d👩\u200d👧. ‸Then we slept",
    "We won 🇯🇵! ‸Then we slept",
    # scripts without case
    "זה נכון. ‸הוא הלך",
    "هل هذا صحيح؟ ‸نعم",
    "هذا صحيح. ‸نعم",
    "यह सच है। ‸वह गया",
    "यह सच है॥ ‸वह गया",
    "He agreed. ‸日本も同意した",
    # CJK full stops need no whitespace
    "日本は同盟国だ。‸米国も同意した",
    "日本だ。 ‸米国も",
    "本当？！‸はい",
    "本当?！‸はい",
    "「日本だ。」‸米国も同意した",
    "日本だ。‸「米国」も同意した",
    "日本だ。‸iPhoneも",
    "日本だ．‸米国も",
    "日本だ｡‸米国も",
    f"日本だ。‸{P}と述べた",
]


@pytest.mark.parametrize("case", BREAKS)
def test_breaks(case: str) -> None:
    text, expected = marked(case)
    assert expected  # every case has at least one break
    assert sentence_breaks(text) == expected


NO_BREAKS = [
    # initials, dotted acronyms, times
    "J. R. R. Tolkien wrote it",
    "The U.S. Army won",
    "The U.K. and the U.S.A. agreed",
    "based in the U.S. The Army agreed",  # documented: an acronym before a capital never breaks
    "Washington, D.C. Police said so",
    "At 5 p.m. the meeting ended",
    "At 5 a.m. We left",  # documented choice, as for U.S.
    "He has a Ph.D. From Yale",
    "Plan B. Then plan C",  # a single letter is an initial
    "E\u0301. Zola wrote it",  # an initial with a combining mark
    # abbreviations before numbers and names
    "See No. 5 and Vol. 3 on p. 12 and pp. 14-15",
    "See NO. 5 and Fig. 3 and fig. 4 and Sec. 2 and ch. 7",
    "It was signed on Jan. 5 and Sept. 11",
    "Smith et al. The study",
    "apples, pears, etc. Then more",  # documented: etc. is an abbreviation
    "Acme Inc. Then more",
    "We met mr. Smith and DR. Jones",
    "The Japan-U.S. Alliance held",
    "(Mr. Smith) left",
    "“Dr. Jones” arrived",
    # decimals, versions, URLs, e-mail addresses, file names: no whitespace after the stop
    "It rose 3.5 percent in v2.0.1",
    "Visit example.com or mail a@b.org or open seeds/a.txt today",
    "Read seeds/a.txt.Then stop",
    # lowercase after the stop, the ellipsis, ? and !
    "a full stop. followed by lowercase",
    "Wait... then we left",
    "Wait… then we left",
    "Really? he asked",
    "Really?! he asked",
    'He said "no." then left',
    "She asked ‘why?’ and left",
    # a stop without whitespace after it, and trailing punctuation
    'He said "no."Then left',
    "End.",
    "End. ",
    "End.”",
    "End?! \r\n",
    "End… ”",
    "日本だ。",
    "日本だ。」",
    "「日本だ。」",
    # things that do not start a sentence
    "Great. 👍 then more",
    "Done. - then more",
    "Done. … and more",
    f"Carter said {P} and left",
    f"Carter said {P} Then he left",  # the quotation's own full stop is hidden
    # a fullwidth full stop between digits is a decimal point
    "値は３．５です",
    # caseless terminals need whitespace
    "यह सच है।वह गया",
    "هل هذا صحيح؟نعم",
]


@pytest.mark.parametrize("text", NO_BREAKS)
def test_no_breaks(text: str) -> None:
    assert sentence_breaks(text) == []


ABBREVIATIONS = [
    "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Gen.", "Lt.", "Col.", "Adm.", "Sgt.", "Capt.", "Sen.",
    "Rep.", "Gov.", "Pres.", "St.", "Mt.", "Jr.", "Sr.", "Inc.", "Ltd.", "Co.", "Corp.", "No.",
    "Nos.", "Vol.", "vs.", "etc.", "e.g.", "i.e.", "cf.", "al.", "approx.", "Jan.", "Feb.", "Mar.",
    "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.", "Dec.", "fig.", "p.", "pp.",
    "ch.", "sec.",
]  # fmt: skip


@pytest.mark.parametrize("abbreviation", ABBREVIATIONS)
def test_abbreviations_before_a_capital_or_a_digit(abbreviation: str) -> None:
    assert sentence_breaks(f"We met {abbreviation} Smith there") == []
    assert sentence_breaks(f"We met {abbreviation} 5 there") == []
    text = f"We met {abbreviation} Smith. Then we left"
    assert sentence_breaks(text) == [text.index("Then")]


@pytest.mark.parametrize("word", ["no", "co", "st", "gen", "rep", "mar", "dec"])
def test_lowercase_words_that_look_like_abbreviations_end_sentences(word: str) -> None:
    text = f"He said {word}. Then he left"
    assert sentence_breaks(text) == [len(f"He said {word}. ")]


def test_several_breaks_and_exact_offsets() -> None:
    text = 'Dr. Smith met J. R. R. Tolkien in the U.S. on Jan. 5. He said "no." Then left… OK?! Yes'
    assert sentence_breaks(text) == [54, 68, 79, 84]
    assert [text[b : b + 2] for b in sentence_breaks(text)] == ["He", "Th", "OK", "Ye"]


def test_mixed_cjk_and_latin_offsets() -> None:
    text = "米国は同意した。Japan agreed. 日本も同意した！\r\nはい"
    assert sentence_breaks(text) == [8, 22, 32]


NO_TERMINALS = ".!?…‽‼⁇⁈⁉։。！？．｡।॥؟۔።"


@settings(max_examples=100, deadline=None)
@given(
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_characters=NO_TERMINALS)
        | st.sampled_from([" ", "\r", "\n", P, "A", "“", "”", '"', "日"]),
        max_size=60,
    )
)
def test_no_break_without_terminal_punctuation(text: str) -> None:
    assert sentence_breaks(text) == []


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aA .?!…。」“”\"' \r\n" + P + "5日")), max_size=60))
def test_breaks_are_increasing_and_start_on_a_character(text: str) -> None:
    breaks = sentence_breaks(text)
    assert breaks == sorted(set(breaks))
    assert all(0 < b < len(text) for b in breaks)
    assert not any(text[b].isspace() for b in breaks)


_WORD = st.text(alphabet="bdfhklmnrtuwyz", min_size=4, max_size=8)
_FIRST = st.one_of(
    _WORD.map(str.capitalize),
    st.just(P),
    st.integers(0, 10**6).map(str),
    _WORD.map(lambda w: "“" + w.capitalize()),
)
_SENTENCE = st.builds(
    lambda first, rest, end, close: " ".join([first, *rest]) + end + close,
    _FIRST,
    st.lists(_WORD, max_size=4),
    st.sampled_from([".", "!", "?", "?!", "...", "…"]),
    st.sampled_from(["", '"', "”", ")", "’"]),
)
_SPACE = st.sampled_from([" ", "  ", "\n", "\r\n", "\t", "\u00a0", " \r\n "])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_SENTENCE, _SPACE), min_size=1, max_size=6))
def test_joined_sentences_break_exactly_at_the_joins(pairs: list[tuple[str, str]]) -> None:
    text = ""
    joins = []
    for k, (sentence, space) in enumerate(pairs):
        if k:
            joins.append(len(text))
        text += sentence + (space if k < len(pairs) - 1 else "")
    assert sentence_breaks(text) == joins


# --------------------------------------------------------------------------- quote_boundary_problem


def test_the_documented_message() -> None:
    text = "we need to carry proven weapons"
    end = text.index("proven") + 2
    assert quote_boundary_problem(text, 3, end) == (
        "the quotation ends inside the word 'proven' ('…carry pr|oven…')"
    )


def test_a_start_and_both_sides() -> None:
    text = "we need to carry proven weapons"
    start = text.index("oven")
    assert quote_boundary_problem(text, start, len(text)) == (
        "the quotation starts inside the word 'proven' ('…carry pr|oven…')"
    )
    assert quote_boundary_problem(text, 1, 27) == (
        "the quotation starts inside the word 'we' ('w|e…')"
        " and ends inside the word 'weapons' ('…proven wea|pons')"
    )


@pytest.mark.parametrize(
    ("start", "end"),
    [(0, 31), (0, 2), (3, 7), (2, 8), (24, 31), (31, 31), (0, 0), (10, 11), (10, 10)],
)
def test_spans_on_word_boundaries(start: int, end: int) -> None:
    assert quote_boundary_problem("we need to carry proven weapons", start, end) is None


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (3, 2), (0, 32)])
def test_spans_outside_the_text_are_refused(start: int, end: int) -> None:
    with pytest.raises(ValueError, match="outside a text of 31 characters"):
        quote_boundary_problem("we need to carry proven weapons", start, end)


@pytest.mark.parametrize("apostrophe", ["'", "’"])
def test_apostrophes_inside_words(apostrophe: str) -> None:
    text = f"I don{apostrophe}t know"
    assert quote_boundary_problem(text, 0, 5) == (
        f"the quotation ends inside the word 'don{apostrophe}t' ('I don|{apostrophe}t…')"
    )
    assert quote_boundary_problem(text, 0, 6) == (
        f"the quotation ends inside the word 'don{apostrophe}t' ('I don{apostrophe}|t…')"
    )
    assert quote_boundary_problem(text, 0, 7) is None
    # a quotation mark next to a word is no apostrophe inside it
    quoted = f"he said {apostrophe}hello{apostrophe} twice"
    assert quote_boundary_problem(quoted, 9, 14) is None
    assert quote_boundary_problem(quoted, 8, 15) is None


def test_numbers_are_words() -> None:
    text = "some 47,000 troops and 1.6 billion"
    assert quote_boundary_problem(text, 8, 18) == (
        "the quotation starts inside the word '47,000' ('some 47,|000…')"
    )
    assert quote_boundary_problem(text, 5, 7) == (
        "the quotation ends inside the word '47,000' ('some 47|,000…')"
    )
    assert quote_boundary_problem(text, 25, 34) == (
        "the quotation starts inside the word '1.6' ('…and 1.|6…')"
    )
    assert quote_boundary_problem(text, 5, 11) is None
    assert quote_boundary_problem("in 2016, troops", 3, 8) is None  # a comma after a number


def test_connector_punctuation_and_digits_join_words() -> None:
    assert quote_boundary_problem("use snake_case here", 4, 9) == (
        "the quotation ends inside the word 'snake_case' ('use snake|_case…')"
    )
    assert quote_boundary_problem("the F35 jet", 4, 5) == (
        "the quotation ends inside the word 'F35' ('the F|35…')"
    )


def test_combining_marks_belong_to_their_letter() -> None:
    text = "Cafe\u0301 au lait"
    assert quote_boundary_problem(text, 0, 4) == (
        "the quotation ends inside the word 'Cafe\u0301' ('Cafe|\u0301…')"
    )
    assert quote_boundary_problem(text, 0, 5) is None
    assert quote_boundary_problem(text, 6, len(text)) is None


def test_emoji_and_zwj_sequences_are_not_words() -> None:
    family = "👨\u200d👩\u200d👧"
    text = f"we {family} won great👍 ❤\ufe0f"
    for cut in range(3, 3 + len(family) + 1):
        assert quote_boundary_problem(text, cut, len(text)) is None
        assert quote_boundary_problem(text, 0, cut) is None
    great = text.index("👍")
    assert quote_boundary_problem(text, 0, great) is None  # between a letter and an emoji
    assert quote_boundary_problem(text, 0, len(text) - 1) is None  # before the variation selector
    assert quote_boundary_problem(text, 0, great - 1) == (
        "the quotation ends inside the word 'great' ('…won grea|t…')"
    )


@pytest.mark.parametrize(
    "text",
    [
        "日本は同盟国だと述べた",
        "にほんごのぶんしょう",
        "カタカナノブンショウ",
        "สวัสดีครับวันนี้อากาศดี",
        "ສະບາຍດີ",
        "ខ្ញុំស្រលាញ់អ្នក",
        "iPhoneは日本で売れた",
        "2016年に5万人",
    ],
)
def test_scripts_without_spaces_have_no_cut_words(text: str) -> None:
    def inside_ascii_word(i: int) -> bool:  # "iPhone" and "2016" are words of their own
        return (
            0 < i < len(text)
            and (text[i - 1] + text[i]).isascii()
            and text[i - 1 : i + 1].isalnum()
        )

    offsets = [i for i in range(len(text) + 1) if not inside_ascii_word(i)]
    for start in offsets:
        for end in offsets:
            if start <= end:
                assert quote_boundary_problem(text, start, end) is None


def test_latin_words_next_to_cjk_are_still_words() -> None:
    assert quote_boundary_problem("iPhoneは売れた", 0, 3) == (
        "the quotation ends inside the word 'iPhone' ('iPh|one…')"
    )


def test_right_to_left_words() -> None:
    hebrew = "שלום עולם"
    assert quote_boundary_problem(hebrew, 0, 4) is None
    assert quote_boundary_problem(hebrew, 5, 9) is None
    assert quote_boundary_problem(hebrew, 0, 2) == (
        "the quotation ends inside the word 'שלום' ('של|ום…')"
    )
    arabic = "قال الوزير إن"
    assert quote_boundary_problem(arabic, 4, 10) is None
    assert quote_boundary_problem(arabic, 6, 10) == (
        "the quotation starts inside the word 'الوزير' ('قال ال|وزير…')"
    )


def test_line_breaks_are_whitespace_and_shown_as_spaces() -> None:
    text = "one\r\ntwo\rthree\nfour"
    assert quote_boundary_problem(text, 5, 8) is None
    assert quote_boundary_problem(text, 4, 8) is None  # between CR and LF
    assert quote_boundary_problem(text, 0, 7) == (
        "the quotation ends inside the word 'two' ('one  tw|o…')"
    )
    assert quote_boundary_problem(text, 11, len(text)) == (
        "the quotation starts inside the word 'three' ('…two th|ree…')"
    )


def test_long_words_are_shortened_in_the_message() -> None:
    text = "x" * 100
    assert quote_boundary_problem(text, 50, 100) == (
        "the quotation starts inside the word '…" + "x" * 48 + "…' "
        "('…" + "x" * 48 + "|" + "x" * 24 + "…')"
    )


_SEPARATORS = " \t\r\n;:!?()[]—/"


@settings(max_examples=100, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("abcé1_'’,.日\u0301👨\u200d") + list(_SEPARATORS))),
    st.data(),
)
def test_spans_next_to_whitespace_or_punctuation_are_never_reported(
    text: str, data: st.DataObject
) -> None:
    edges = [
        i
        for i in range(len(text) + 1)
        if i in (0, len(text)) or text[i - 1] in _SEPARATORS or text[i] in _SEPARATORS
    ]
    start = data.draw(st.sampled_from(edges))
    end = data.draw(st.sampled_from([e for e in edges if e >= start]))
    assert quote_boundary_problem(text, start, end) is None


@settings(max_examples=100, deadline=None)
@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC", min_size=2, max_size=20),
    st.data(),
)
def test_cuts_inside_a_word_are_always_reported(word: str, data: st.DataObject) -> None:
    text = f"say {word} now"
    cut = 4 + data.draw(st.integers(1, len(word) - 1))
    assert quote_boundary_problem(text, 0, cut) == (
        f"the quotation ends inside the word '{word}' "
        f"('say {text[4:cut]}|{text[cut : 4 + len(word)]}…')"
    )
    assert quote_boundary_problem(text, cut, len(text)) == (
        f"the quotation starts inside the word '{word}' "
        f"('say {text[4:cut]}|{text[cut : 4 + len(word)]}…')"
    )


# --------------------------------------------------------------------------- unsupported_numbers


@pytest.mark.parametrize(
    "source",
    ["50000 troops", "50 000 troops", "50\u00a0000", "50\u202f000", "50\u2009000", "(50,000)"],
)
def test_thousands_separators_compare_by_value(source: str) -> None:
    assert unsupported_numbers("About 50,000 troops", [source]) == []
    assert unsupported_numbers("About 50\u00a0000 troops", [source]) == []
    assert unsupported_numbers("About 50000 troops", [source]) == []


@pytest.mark.parametrize(
    "source", ["470,000", "47,0001", "147,000", "47,000.5", "47", "4,700", "470000"]
)
def test_whole_numbers_only(source: str) -> None:
    assert unsupported_numbers("Some 47,000 troops", [f"about {source} troops"]) == ["47,000"]


@pytest.mark.parametrize(
    ("sentence", "sources", "expected"),
    [
        ("It grew 1.6 percent", ["1.6"], []),
        ("It grew 1.6 percent", ["grew 1.60%"], []),
        ("It grew 1.6 percent", ["1,6 Prozent"], []),
        ("It grew 1.6 percent", ["11.6"], ["1.6"]),
        ("It grew 1.6 percent", ["1.65"], ["1.6"]),
        ("It grew 1.6 percent", ["16"], ["1.6"]),
        ("It grew 1.6.", ["1.6"], []),
        ("It grew 1,6 Prozent", ["1.6"], []),
        ("It was 1.234.567", ["1234567"], []),
        ("In 2016, it", ["20160"], ["2016"]),
        ("In 2016, it", ["in 2016."], []),
        ("It cost $1.6 billion", ["$1.6 billion"], []),
        ("It cost $1.6 billion", ["16 billion"], ["$1.6"]),
        ("It cost US$1.6bn", ["1.6 billion"], []),
        ("It cost €5 and £7 and ¥9", [], ["€5", "£7", "¥9"]),
        ("It fell 50%", ["50 percent"], []),
        ("It fell 50% and 5‰", [], ["50%", "5‰"]),
        ("the 3rd time", ["third"], ["3rd"]),
        ("the 3rd and 21st and 2nd and 4th", ["3 21 2 4"], []),
        ("on December 5th, 2016", ["December 5, 2016"], []),
        ("on December 5th, 2016", ["December 6, 2016"], ["5th"]),
        ("in the 1990s and the 1980's", ["1990 1980"], []),
        ("it fell to −5 and -7 and +3", [], ["−5", "-7", "+3"]),
        ("it fell to −5 degrees", ["minus 5"], []),
        ("pages 10-15 and 2010–2015", [], ["10", "15", "2010", "2015"]),
        ("It ran 10km at 5pm for 3x", [], ["10km", "5pm", "3x"]),
        ("It ran 10km", ["10 km"], []),
        ("version 2.0.1 shipped", ["2.0.1"], []),
        ("version 2.0.1 shipped", ["2.0"], ["2.0.1"]),
        ("ISO 8601 dates", [], ["8601"]),  # documented: a spaced number is a number
        ("ISO 8601 dates", ["ISO 8601"], []),
        ("the 54\u2009000 troops", ["54,000"], []),
        ("the 54\u202f000 troops", ["54 000"], []),
        ("５万人", ["5"], []),
        ("２０１６年", ["2016"], []),
        ("2016年に5万人", [], ["2016", "5"]),
        ("2016년에 5명", [], ["2016", "5"]),
        ("ב-2016", [], ["2016"]),
        ("ב-2016", ["2016"], []),
    ],
)
def test_numbers(sentence: str, sources: list[str], expected: list[str]) -> None:
    assert unsupported_numbers(sentence, sources) == expected


def test_names_and_identifiers_are_not_numbers() -> None:
    text = (
        "Under GPL-3 and GPL-3.0 and Apache-2.0, the F-35 and B-52s and A320 fought COVID-19 "
        "on 5G with v2.0.1 and 4K and 1080p and a 3-year-old plan from mid-2016 in seeds/a1.txt "
        "and 4x4 and snake_7"
    )
    assert unsupported_numbers(text, []) == []


def test_words_and_roman_numerals_are_not_numbers() -> None:
    assert unsupported_numbers("two billion died in World War II under Henry VIII", []) == []


def test_each_number_once_in_order_of_appearance() -> None:
    sentence = "7 then 50,000 then 3 then 50000 then 7 and 50\u00a0000"
    assert unsupported_numbers(sentence, ["3"]) == ["7", "50,000"]


def test_an_ordinary_space_groups_digits_in_cited_texts_only() -> None:
    # documented: in the author's text "50 000" is two numbers; a cited text supports both
    # readings
    assert unsupported_numbers("about 50 000 people", ["50000"]) == ["50", "000"]
    assert unsupported_numbers("about 50 000 people", ["50 000"]) == []
    assert unsupported_numbers("about 50,000 people", ["50 000"]) == []
    assert unsupported_numbers("on May 5 300 people", ["May 5, 300 people"]) == []


def test_any_cited_text_may_support_a_number() -> None:
    sentence = f"{P} said 47 and 12 and 9"
    assert unsupported_numbers(sentence, ["47 troops", "12 ships"]) == ["9"]
    assert unsupported_numbers(sentence, []) == ["47", "12", "9"]
    assert unsupported_numbers("no numbers here", ["12"]) == []


def test_one_cited_text_must_be_in_a_sequence() -> None:
    with pytest.raises(TypeError, match="sequence of texts"):
        unsupported_numbers("47", "47")


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10**12), st.sampled_from([",", "\u00a0", "\u202f", "\u2009"]))
def test_grouped_numbers_match_plain_ones(n: int, separator: str) -> None:
    grouped = f"{n:,}".replace(",", separator)
    assert unsupported_numbers(f"about {grouped} people", [f"{n} people"]) == []
    assert unsupported_numbers(f"about {n} people", [f"{grouped} people"]) == []


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 10**9), st.integers(1, 9))
def test_longer_numbers_do_not_support_shorter_ones(n: int, digit: int) -> None:
    written = f"{n:,}"
    for source in (f"{n}{digit}", f"{digit}{n}", f"{n * 10:,}"):
        assert unsupported_numbers(f"about {written} people", [source]) == [written]


@settings(max_examples=100, deadline=None)
@given(st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False))
def test_decimals_match_their_value(value: object) -> None:
    written = f"{value}"
    assert unsupported_numbers(f"it was {written} tonnes", [f"{value:f}0 tonnes"]) == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab 5(\n“”\"«»„‚‘’‹›「」『』＂〝〞〟❝❞\ufffc'", max_size=40))
def test_passages_are_found_as_a_scan_of_every_character_finds_them(text: str) -> None:
    """quoted_passages jumps from one possible opening mark to the next; a scan that looks
    at every character (the jump made a step of one) finds the same passages."""
    from briefkit import _text

    fast = _text.quoted_passages(text)
    jump = _text._OPENING
    try:
        _text._OPENING = re.compile(".", re.S)
        assert _text.quoted_passages(text) == fast
    finally:
        _text._OPENING = jump


_PLAIN = st.text(alphabet="ab 5,.(\n", max_size=12)


@settings(max_examples=200, deadline=None)
@given(_PLAIN, st.text(alphabet="ab 5,.", min_size=1, max_size=12), _PLAIN, _PLAIN)
def test_a_closing_mark_that_closes_a_curly_passage_is_not_taken_by_a_swedish_one(
    before: str, inner: str, between: str, after: str
) -> None:
    """A ” that would open a passage whose closing ” first closes a “ opens nothing: the
    “…” passage is found whole, so its words are held to their source."""
    from briefkit._text import quoted_passages

    assume(inner.strip())
    text = f"{before} ”{between} “{inner}” {after}"
    start = len(f"{before} ”{between} ")
    assert (start, start + len(inner) + 2, inner) in quoted_passages(text)


def test_swedish_passages_without_a_curly_one_inside_are_still_found() -> None:
    from briefkit._text import quoted_passages

    assert quoted_passages("Han sa ”ja” och ”nej”.") == [(7, 11, "ja"), (16, 21, "nej")]
    assert quoted_passages("”a “b” c” d") == [(3, 6, "b")]
