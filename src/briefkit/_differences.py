"""Where the sources differ: figures of the same measure compared across sources.

A :class:`~briefkit.excerpts.Figure` may name the quantity it measures (``measure="U.S.
troops in Japan"``). :func:`disagreements` groups a brief's figures by measure and keeps the
measures whose values disagree; the note plan turns them into the table of differences.
:func:`one_sided` reports a brief that cites fewer values of a measure than its cited sources
give.

Rules (documented because verify and the table depend on them):

* Values are compared by number and scale word, not as written: ``50,000`` = ``50000``,
  ``$2 billion`` = ``nearly $2 billion``, ``1.60`` = ``1.6``; ``$1.6 billion`` differs from
  ``$2 billion``. A value's words around the number (``about``, ``nearly``) and its currency
  sign do not make it differ.
* A measure is disputed when its figures hold two or more values. Each row of its part of the
  table is one value given by one source (the first figure citing it), in order of first
  citation.
* A cited source *gives* a value of a measure when the number stands in its text followed,
  within three words, by the last word of one of the units the brief's figures of that
  measure carry (``54,000 U.S. troops`` for the unit ``troops``), in the same sentence (the
  words between hold no ``.;:!?``, except in dotted abbreviations such as ``U.S.``). Measures
  whose figures have no unit are compared only among the brief's own figures.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import attrs

from briefkit.excerpts import Figure
from briefkit.problems import Place, Problem
from briefkit.sources import Source

__all__ = ["Disputed", "Given", "disagreements", "one_sided", "value_key"]

_NUMBER = re.compile(
    r"(?<![\w.,])[$€£¥]?\s?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s?(million|billion|trillion|bn)\b)?",
    re.IGNORECASE,
)
_SCALE = {"bn": "billion"}
#: Up to three words, then the unit word (matched case-insensitively). A word between holds no
#: sentence punctuation, unless it is a dotted abbreviation (``U.S.``): a value and a unit are
#: never read across a sentence break.
_WORDS_BEFORE_UNIT = r"(?:\s+(?:(?:[^\W\d_]\.){2,}|[^\s.;:!?]+)){0,3}?\s+"


def value_key(value: str) -> str:
    """The number of ``value`` and its scale word, as compared: ``nearly $2 billion`` →
    ``2 billion``; the value itself when it holds no number."""
    m = _NUMBER.search(value)
    if m is None:
        return " ".join(value.split())
    whole = m.group(1).replace(",", "")
    frac = (m.group(2) or "").rstrip("0").rstrip(".")
    scale = (m.group(3) or "").lower()
    number = (whole.lstrip("0") or "0") + frac
    scale = _SCALE.get(scale, scale)
    return f"{number} {scale}" if scale else number


@attrs.frozen
class Given:
    """One value of a measure as one source gives it: the first figure citing it."""

    figure: Figure
    place: Place


@attrs.frozen
class Disputed:
    """A measure whose cited figures disagree, with each value each source gives."""

    measure: str
    values: tuple[Given, ...]


def _by_measure(cited: Iterable[tuple[Place, Figure]]) -> dict[str, list[Given]]:
    groups: dict[str, dict[tuple[str, str], Given]] = {}
    for place, fig in cited:
        if fig.measure is None:
            continue
        key = (fig.source.id, value_key(fig.value))
        groups.setdefault(fig.measure, {}).setdefault(key, Given(fig, place))
    return {measure: list(found.values()) for measure, found in groups.items()}


def disagreements(cited: Iterable[tuple[Place, Figure]]) -> list[Disputed]:
    """The measures whose figures (``(place, figure)`` in reading order) hold two or more
    values, in order of first citation."""
    out = []
    for measure, given in _by_measure(cited).items():
        if len({value_key(g.figure.value) for g in given}) > 1:
            out.append(Disputed(measure, tuple(given)))
    return out


def _unit_word(unit: str) -> str | None:
    words = re.findall(r"\w+", unit)
    return words[-1] if words else None


def _given_in(text: str, unit_words: set[str]) -> Iterator[tuple[int, int, str]]:
    """Every number in ``text`` followed, within three words, by one of ``unit_words``."""
    if not unit_words:
        return
    units = "|".join(sorted(map(re.escape, unit_words)))
    after = re.compile(_WORDS_BEFORE_UNIT + f"(?:{units})\\b", re.IGNORECASE)
    for m in _NUMBER.finditer(text):
        if after.match(text, m.end(), min(len(text), m.end() + 80)):
            yield m.start(), m.end(), m.group().strip()


def one_sided(
    brief: object,
    *,
    cited: tuple[list[tuple[Place, Figure]], dict[str, Source]] | None = None,
) -> list[Problem]:
    """A ``one-sided`` error for each value of a measure that a source the brief cites gives
    but no figure of the brief cites, unless the brief accepts the measure
    (``accept_differences``).

    ``cited`` is what a walk over the brief already found, when the caller walked it: the
    figures that name a measure with their places (not numbered), in reading order, and the
    cited sources by id (the first of each id)."""
    from briefkit.model import Brief

    assert isinstance(brief, Brief)
    if cited is not None:
        figures, sources = cited
    else:
        figures, sources = [], {}
        for place, _path, sent in brief._walk():  # no reading index
            for cite in sent.citations:
                sources.setdefault(cite.source.id, cite.source)
                if isinstance(cite, Figure) and cite.measure is not None:
                    figures.append((place, cite))
    groups = _by_measure(figures)
    if not groups:
        return []
    found: list[Problem] = []
    accepted = set(brief.accept_differences)
    for measure, given in groups.items():
        if measure in accepted:
            continue
        units = {w for g in given if g.figure.unit and (w := _unit_word(g.figure.unit))}
        cited_keys = {value_key(g.figure.value) for g in given}
        reported: set[str] = set()
        for source in sources.values():
            for start, end, number in _given_in(source.text, units):
                key = value_key(number)
                if key in cited_keys or key in reported:
                    continue
                reported.add(key)
                values = ", ".join(sorted({g.figure.value for g in given}))
                found.append(
                    Problem(
                        "one-sided",
                        f"measure {measure!r}: the brief cites {values}, but the cited source "
                        f"{source.id!r} also gives {number!r} (chars {start}–{end}); cite "
                        "that figure too, or accept the difference (accept_differences)",
                        given[0].place,
                        subject=number,
                    )
                )
    return found
