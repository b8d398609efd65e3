"""Citation groups and excerpts written again are read once (:class:`~briefkit.mdbrief.syntax.Memo`):
a brief that repeats them reads exactly as it would if each were read where it stands — the
same drafts, the same problems at the same offsets — including groups whose reading looks past
their own text (curly quotation marks, unclosed quoted texts, pandoc locators)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefkit import mdbrief
from briefkit.errors import BriefSyntaxError
from briefkit.mdbrief.syntax import Memo, SentenceDraft, parse_sentences
from briefs import SEEDS

CNN = "000_28b258b49d188a62.txt"
FRONT = f"---\ntitle: T\nsources:\n  root: {SEEDS.as_posix()}\n  cnn: {CNN}\n---\n\n# H\n\n"

#: Pieces of sentences: plain groups and excerpts (remembered), and ones whose reading depends
#: on what follows them (never remembered, or remembered only where that cannot matter).
_PIECES = [
    "x ",
    "Carter went. ",
    "[!analysis]",
    "[]",
    "[@nope 1-2]",
    "[@cnn 0-6; @cnn 179-185]",
    '[@cnn "Carter looks"]',
    '[@cnn "a]b" partial]',
    "[@cnn 1-2 3-4]",
    "[@cnn 123]",
    "[@cnn " + "7" * 15 + "]",
    "[@cnn, p. 5]",
    '[@cnn, p "x; @cnn "]',
    '[@cnn "unclosed]',
    "[@cnn “a; b” c; @cnn 1-2]",
    "[@cnn “a]",
    "[@cnn «x»; !several]",
    '[@cnn "a\\"b" 0-6]',
    '[@cnn "\\u{41}"]',
    "[!accept]",
    '[!accept "5" six]',
    '[!accept "x"; #s1 #s2]',
    "[!differences]",
    "[!bogus; %; @]",
    '[@cnn quote figure unit="u" speaker="a" speaker="b"]',
    "[@cnn\n  0-6]",
    '{@cnn "Carter"}',
    '{@cnn "Carter" 0-6} ',
    "{@cnn “Carter”} ",
    '{@cnn "x; y"]} ',
    "{@cnn 0-6",
    "{>h} ",
    ". ",
    "; ",
    '"',
    "“",
    "\n",
]


def _read(text: str, memo: Memo | None) -> tuple[list[SentenceDraft], list[tuple[int, str]]]:
    problems: list[tuple[int, str]] = []
    drafts: list[SentenceDraft] = []
    start = 0
    for block in text.split("\n\n"):  # blocks as a brief's paragraphs are read, one memo
        drafts += parse_sentences(
            text, start, start + len(block), lambda at, m: problems.append((at, m)), memo
        )
        start += len(block) + 2
    return drafts, problems


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12),
    repeats=st.integers(2, 4),
    separator=st.sampled_from([" ", "\n", "\n\n", "  x \n\n"]),
)
def test_what_is_written_again_reads_as_it_would_alone(
    pieces: list[str], repeats: int, separator: str
) -> None:
    body = "".join(pieces)
    backwards = "".join(reversed(pieces))  # each piece before and after the others
    text = separator.join([body] * repeats) + "\n\n" + backwards + separator + body
    assert _read(text, Memo()) == _read(text, None)


@pytest.mark.parametrize(
    "text",
    [
        # its quoted text is closed by the '"' after it where the group does not end the block
        'a [@cnn, p "x; @cnn "]\n\nb [@cnn, p "x; @cnn "] c "d" e',
        'b [@cnn, p "x; @cnn "] c "d" e\n\na [@cnn, p "x; @cnn "]',
        # the curly quotation mark's closing one is looked for up to the group's ']'
        "a [@cnn “x; @cnn 1-2 ”] b [@cnn “x; @cnn 1-2] ”]",
        "a [@cnn “x; @cnn 1-2] ”] b [@cnn “x; @cnn 1-2 ”]",
    ],
)
def test_a_reading_that_looks_past_what_is_remembered(text: str) -> None:
    assert _read(text, Memo()) == _read(text, None)


def test_a_group_written_again_is_read_once() -> None:
    memo = Memo()
    one = 'One [@cnn "Carter looks" 0-6].'
    text = one + '\n\nTwo went [@cnn "Carter looks" 0-6].'
    first, _ = _read(one, memo)
    assert len(memo.groups) == 1
    both, problems = _read(text, memo)
    assert len(memo.groups) == 1 and not problems
    assert both == _read(text, None)[0]
    group = both[1].group
    assert group is not None and group.offset == text.rindex("[")
    assert group.refs == first[0].group.refs  # type: ignore[union-attr]  # placed from '['


def test_each_repeated_problem_is_placed_where_it_is_written() -> None:
    """The problems of a group read once stand at every place it is written, the resolving
    problems of its excerpts too."""
    lines = ["x [@cnn 1-2 3-4] y [@cnn 1-2 3-4]", "  z [@cnn 1-2 3-4]", "w [@nope 1-2] [@nope 1-2]"]
    with pytest.raises(BriefSyntaxError) as err:
        mdbrief.loads(FRONT + "\n".join(lines) + "\n")
    problems = [(line, column, message[:22]) for _, line, column, message in err.value.problems]
    spans = [(10 + n, k + 1) for n, line in enumerate(lines) for k in _finds(line, "3-4")]
    keys = [(12, k + 1) for k in _finds(lines[2], "@nope")]
    assert problems == [(*at, "an excerpt takes one s") for at in spans] + [
        (*at, "unknown source 'nope' ") for at in keys
    ]
    assert len(problems) == 5


def _finds(text: str, what: str) -> list[int]:
    return [k for k in range(len(text)) if text.startswith(what, k)]
