"""Smart quotes: the rules about a locale's own marks, where mutation testing found them unpinned.

A mark opens after the *last character* of ``quotes[0]`` or ``inner[0]`` and not after the last
character of ``quotes[1]`` or ``inner[1]``; the marks below are chosen so that only that rule
decides.
"""

from __future__ import annotations

from briefkit._typography import smart_quotes

DE_ALT = (("»", "«"), ("›", "‹"))
# two-character marks whose last characters are not otherwise openers
DOUBLED = (("‹‹", "››"), ("⟨⟨", "⟩⟩"))
# German marks with narrow no-break spaces: the closing marks end in “ and ‘, which open in
# English
SPACED_DE = (("„\u202f", "\u202f“"), ("‚\u202f", "\u202f‘"))


def test_a_mark_opens_after_the_inner_opening_mark() -> None:
    assert smart_quotes("'\"a\"'", *DE_ALT) == "›»a«‹"


def test_a_mark_opens_after_the_last_character_of_a_long_opening_mark() -> None:
    assert smart_quotes("\"'a'\"", *DOUBLED) == "‹‹⟨⟨a⟩⟩››"
    assert smart_quotes("'\"a\"'", *DOUBLED) == "⟨⟨‹‹a››⟩⟩"


def test_a_mark_closes_after_the_last_character_of_a_long_closing_mark() -> None:
    # after the closing " (ending in “) the ' closes; after the closing ' (ending in ‘) the "
    # closes
    assert smart_quotes("\"a\"'1'", *SPACED_DE) == "„\u202fa\u202f“\u202f‘1\u202f‘"
    assert smart_quotes("'1'\"b\"", *SPACED_DE) == "‚\u202f1\u202f‘\u202f“b\u202f“"


DE = (("„", "“"), ("‚", "‘"))


def test_a_word_final_mark_closes_an_open_single_quotation_only() -> None:
    assert smart_quotes("Er sagte 'nein' heute", *DE) == "Er sagte ‚nein‘ heute"
    # once the quotation is closed, a word-final mark is an apostrophe again
    assert smart_quotes("Er sagte 'nein' zu Hans' Auto", *DE) == "Er sagte ‚nein‘ zu Hans’ Auto"
    # a closing mark with nothing open leaves nothing open
    assert smart_quotes("5' groß, Hans' Auto", *DE) == "5‘ groß, Hans’ Auto"
    # nested: the inner quotation's close leaves the outer one open
    assert smart_quotes("'x 'y' z'", *DE) == "‚x ‚y‘ z‘"
