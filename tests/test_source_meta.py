"""Catalog metadata as CSL-JSON (Zotero and pandoc items), and the readable fallback title."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefkit import Corpus, Source, SourceError, SourceMeta
from briefkit.sources import CSL_NAME_VARIABLES, CSL_TYPES, NAME_PARTS, display_name
from briefkit.testing.strategies import hard_text

#: A newspaper article as Zotero exports it to CSL JSON (with a Better BibTeX citation key).
ZOTERO_ITEM = """
{
  "id": "http://zotero.org/users/123456/items/8XQ4ZJ2K",
  "type": "article-newspaper",
  "title": "Carter looks to shore-up US-Japan military alliance",
  "title-short": "Carter looks to shore-up",
  "container-title": "CNN",
  "page": "A12",
  "volume": 7,
  "language": "en",
  "DOI": "10.1000/cnn.2016.1205",
  "URL": "https://edition.cnn.com/2016/12/05/politics/ash-carter-japan-visit/",
  "citation-key": "browne2016carter",
  "author": [
    {"family": "Browne", "given": "Ryan"},
    {"family": "Beethoven", "given": "Ludwig", "dropping-particle": "van"},
    {"literal": "CNN Wire Staff"}
  ],
  "editor": [{"family": "Okafor", "given": "R."}],
  "accessed": {"date-parts": [["2024", 3, 1]]},
  "issued": {"date-parts": [[2016, 12, 5]]}
}
"""


def zotero() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ZOTERO_ITEM)
    return data


# -- reading CSL-JSON ----------------------------------------------------------------------


def test_zotero_item_is_read_field_by_field() -> None:
    meta = SourceMeta.from_csl(zotero())
    assert meta.type == "article-newspaper"
    assert meta.title == "Carter looks to shore-up US-Japan military alliance"
    assert meta.title_short == "Carter looks to shore-up"
    assert meta.container_title == "CNN"
    assert meta.venue == "CNN"
    assert meta.url == "https://edition.cnn.com/2016/12/05/politics/ash-carter-japan-visit/"
    assert meta.issued == "2016-12-05"
    assert meta.author == ("Ryan Browne", "Ludwig van Beethoven", "CNN Wire Staff")
    assert meta.names["author"][0] == {"family": "Browne", "given": "Ryan"}
    assert meta.names["author"][2] == {"literal": "CNN Wire Staff"}
    assert meta.names["editor"] == ({"family": "Okafor", "given": "R."},)
    # numbers become text, other dates ISO text; id and citation-key are not metadata
    assert dict(meta.extra) == {
        "DOI": "10.1000/cnn.2016.1205",
        "accessed": "2024-03-01",
        "language": "en",
        "page": "A12",
        "volume": "7",
    }


def test_to_csl_is_a_complete_csl_json_item_in_a_fixed_order() -> None:
    csl = SourceMeta.from_csl(zotero()).to_csl()
    expected = {k: v for k, v in zotero().items() if k not in ("id", "citation-key")}
    expected["volume"] = "7"
    expected["accessed"] = {"date-parts": [[2024, 3, 1]]}
    assert csl == expected
    assert list(csl) == [
        "type",
        "title",
        "title-short",
        "container-title",
        "author",
        "editor",
        "issued",
        "URL",
        "DOI",
        "accessed",
        "language",
        "page",
        "volume",
    ]
    assert json.loads(json.dumps(csl)) == csl  # plain JSON data
    assert SourceMeta().to_csl() == {}


def test_pandoc_and_zotero_spellings() -> None:
    meta = SourceMeta.from_csl(
        {
            "id": "ITEM-1",
            "type": "report",
            "title": "Annual report",
            "shortTitle": "Report",
            "journalAbbreviation": "Rep.",
            "publisher": "Ministry of Defense",
            "publisher-place": "Tokyo",
            "number": 42,
            "issued": {"raw": "2015-04"},
            "original-date": {"literal": "Spring 1999"},
            "event-date": {"date-parts": [[2015]], "season": 2, "circa": True},
            "submitted": "2015-01-31",
            "author": [{"family": "Doe", "given": "Jane", "suffix": "Jr."}],
        }
    )
    assert (meta.title_short, meta.issued, meta.author) == ("Report", "2015-04", ("Jane Doe Jr.",))
    assert dict(meta.extra) == {
        "container-title-short": "Rep.",
        "event-date": "2015",
        "number": "42",
        "original-date": "Spring 1999",
        "publisher-place": "Tokyo",
        "submitted": "2015-01-31",
    }
    csl = meta.to_csl()
    assert csl["title-short"] == "Report" and "shortTitle" not in csl
    assert csl["issued"] == {"date-parts": [[2015, 4]]}
    assert csl["original-date"] == {"literal": "Spring 1999"}
    assert csl["submitted"] == {"date-parts": [[2015, 1, 31]]}
    assert SourceMeta.from_csl(csl) == meta
    both = SourceMeta.from_csl({"title-short": "", "shortTitle": "S", "container-title-short": "S"})
    assert both == SourceMeta.from_csl({"title-short": "S", "journalAbbreviation": "S"})
    assert (both.title_short, both.extra) == ("S", {"container-title-short": "S"})


def test_old_forms_still_work() -> None:
    old = SourceMeta.from_csl(
        {"title": "T", "author": "Ryan Browne", "issued": "2016-12", "URL": "https://x.org/"}
    )
    assert old.author == ("Ryan Browne",)
    assert old.names == {"author": ({"literal": "Ryan Browne"},)}
    assert old == SourceMeta(
        title="T", author=("Ryan Browne",), issued="2016-12", url="https://x.org/"
    )
    listed = SourceMeta.from_csl(
        {"author": ["Browne, Ryan", "R. Okafor", "Apple, Inc.", "a, b, c"]}
    )
    assert listed.author == ("Ryan Browne", "R. Okafor", "Apple, Inc.", "a, b, c")
    assert listed.names["author"] == (
        {"family": "Browne", "given": "Ryan"},
        {"literal": "R. Okafor"},
        {"literal": "Apple, Inc."},
        {"literal": "a, b, c"},
    )
    assert SourceMeta(author=["Browne, Ryan"]) == SourceMeta.from_csl(
        {"author": [{"given": "Ryan", "family": "Browne"}]}
    )
    # dates as YAML reads them, and a bare year
    assert SourceMeta.from_csl({"issued": dt.date(2016, 12, 5)}).issued == "2016-12-05"
    assert SourceMeta.from_csl({"issued": 2016}).issued == "2016"
    assert SourceMeta.from_csl({"issued": ""}).issued is None
    assert SourceMeta.from_csl({"accessed": dt.date(2024, 3, 1)}).extra == {
        "accessed": "2024-03-01"
    }


def test_author_and_names_given_together_must_agree() -> None:
    names = {"author": [{"family": "Browne", "given": "Ryan"}]}
    agreed = SourceMeta(author=("Browne, Ryan",), names=names)
    assert agreed == SourceMeta(author=("Ryan Browne",), names=names) == SourceMeta(names=names)
    with pytest.raises(SourceError, match=r"author \['Ryan Brown'\] and names\['author'\]"):
        SourceMeta(author=("Ryan Brown",), names=names)


def test_the_value_is_frozen_and_hashable() -> None:
    meta = SourceMeta.from_csl(zotero())
    assert hash(meta) == hash(SourceMeta.from_csl(zotero()))
    assert len({meta, SourceMeta.from_csl(zotero())}) == 1
    with pytest.raises(TypeError):
        meta.extra["page"] = "1"  # type: ignore[index]
    with pytest.raises(TypeError):
        meta.names["author"][0]["family"] = "X"  # type: ignore[index]
    assert isinstance(meta.names["author"], tuple)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        meta.title = "X"  # type: ignore[misc]


def test_catalog_with_csl_json_and_an_override_by_alias(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Alliance talks\n")
    (tmp_path / "catalog.yaml").write_text(
        "a.txt:\n"
        "  type: speech\n"
        "  title-short: Talks\n"
        "  author:\n"
        "    - family: Carter\n"
        "      given: Ash\n"
        "  issued:\n"
        "    date-parts: [[2015, 4, 9]]\n"
        "  accessed: 2024-03-01\n"
    )
    meta = Corpus.from_dir(tmp_path)["a.txt"].meta
    assert (meta.type, meta.author, meta.issued, meta.extra) == (
        "speech",
        ("Ash Carter",),
        "2015-04-09",
        {"accessed": "2024-03-01"},
    )
    corpus = Corpus.from_files(tmp_path, ["a.txt"], metadata={"a.txt": {"shortTitle": "Other"}})
    assert corpus["a.txt"].meta.title_short == "Other"
    assert corpus["a.txt"].meta.author == ("Ash Carter",)


# -- errors --------------------------------------------------------------------------------

ERRORS: list[tuple[dict[str, Any], str]] = [
    ({"titel": "T", "pages": 3}, r"unknown metadata field\(s\) 'pages' \(did you mean 'page'\?\)"),
    ({"titel": "T"}, r"'titel' \(did you mean 'title'\?\)"),
    ({"custom": {"x": 1}}, r"unknown metadata field\(s\) 'custom'"),
    ({"type": "newspaper"}, r"unknown CSL item type 'newspaper'.*article-newspaper"),
    ({"type": 3}, r"field 'type' must be text, got int"),
    ({"issued": {"date-parts": [[2016, 1], [2016, 3]]}}, r"date ranges are not supported yet"),
    ({"accessed": {"date-parts": [[2016], [2017]]}}, r"'accessed': date ranges are not supported"),
    ({"issued": {"date-parts": [[2016, 13]]}}, r"date-parts \[2016, 13\]: month 13 is not"),
    ({"issued": {"date-parts": [[2015, 2, 29]]}}, r"day 29 is not a day of 2015-02"),
    ({"issued": {"date-parts": [[2016.5]]}}, r"2016.5 is not a whole number"),
    ({"issued": {"date-parts": [[True]]}}, r"True is not a whole number"),
    ({"issued": {"date-parts": [["20l6"]]}}, r"'20l6' is not a whole number"),
    ({"issued": {"date-parts": []}}, r"date-parts must be a list of one date"),
    ({"issued": {"date-parts": [[2016, 1, 2, 3]]}}, r"date-parts must be a list of one date"),
    ({"issued": {"date-parts": [[1], [2], [3]]}}, r"date-parts must be a list of one date"),
    ({"issued": {"date-parts": "2016"}}, r"date-parts must be a list of one date"),
    ({"issued": {"literal": "Spring 2016"}}, r"issued date literal 'Spring 2016' is not a YYYY"),
    ({"issued": {"raw": "5 Dec 2016"}}, r"issued date '5 Dec 2016' must be YYYY, YYYY-MM"),
    ({"issued": "2016-12-5"}, r"issued date '2016-12-5' must be YYYY, YYYY-MM or YYYY-MM-DD"),
    ({"issued": "２０１６"}, r"issued date '２０１６' must be"),
    ({"issued": {"season": 1}}, r"a CSL date needs date-parts, raw or literal"),
    ({"issued": {"date-parts": [[2016]], "year": 1}}, r"unknown date key\(s\) 'year'"),
    ({"issued": [2016]}, r"field 'issued' must be a date"),
    ({"author": [{"family": 3}]}, r"field 'author': name part 'family' must be text, got int"),
    ({"editor": [{"given": ["A"]}]}, r"field 'editor': name part 'given' must be text, got list"),
    ({"author": [{"family": "A", "parse-names": True}]}, r"unknown name part\(s\) 'parse-names'"),
    ({"author": [{"literal": "A", "family": "B"}]}, r"either a literal or family/given parts"),
    ({"author": [{"suffix": "Jr."}]}, r"a name needs a family name, a given name or a literal"),
    ({"author": [""]}, r"field 'author': a name must not be empty"),
    ({"author": [3]}, r"each name must be a CSL name object or text, got int"),
    ({"author": {"family": "A"}}, r"field 'author' must be a list of names"),
    ({"title": ["T"]}, r"field 'title' must be text, got list"),
    ({"page": True}, r"field 'page' must be text, got bool"),
    ({"version": 1.1}, r"field 'version' is the number 1.1; write it as text"),
    ({"title-short": "A", "shortTitle": "B"}, r"'title-short' and 'shortTitle' are both given"),
]


@pytest.mark.parametrize(("data", "message"), ERRORS)
def test_bad_metadata_is_refused_with_the_place_and_the_reason(
    data: dict[str, Any], message: str
) -> None:
    with pytest.raises(SourceError, match=rf"^catalog\.yaml: entry 'a\.txt': (.* )?{message}"):
        SourceMeta.from_csl(data, where="catalog.yaml: entry 'a.txt'")


def test_bad_constructor_values_are_refused() -> None:
    with pytest.raises(SourceError, match=r"unknown CSL item type 'blog'"):
        SourceMeta(type="blog")
    with pytest.raises(SourceError, match=r"unknown name variable\(s\) 'writer'"):
        SourceMeta(names={"writer": ["A"]})
    with pytest.raises(SourceError, match=r"extra has field\(s\) 'title', 'x'"):
        SourceMeta(extra={"title": "T", "x": "1", "page": "2"})
    with pytest.raises(SourceError, match=r"issued date '2016-02-30' must be"):
        SourceMeta(issued="2016-02-30")
    with pytest.raises(
        SourceError, match=r"^metadata: must be a mapping of CSL-JSON fields, got list"
    ):
        SourceMeta.from_csl(["title"])  # type: ignore[arg-type]


# -- the round trip ------------------------------------------------------------------------

#: One hard case each: CJK, RTL (with marks), combining marks, astral, ZWJ emoji, commas.
HARD = (
    "東京大学出版会",
    "日本語の文",
    "שָׁלוֹם",
    "مرحبا بالعالم",
    "\u202eevil\u202c",
    "Zoë Cafe\u0301 a\u0308\u0323",
    "\U0001d518\U0001d51e\U00020000",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467 family",
    "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    "Browne, Ryan",
    "  spaced , out  ",
    ",",
)
texts = st.one_of(st.sampled_from(HARD), hard_text(1, 24))
iso_dates = st.dates().map(lambda d: d.isoformat()[: 4 + 3 * (d.day % 3)])
EXTRA_TEXT_KEYS = (
    "DOI",
    "ISBN",
    "abstract",
    "archive",
    "collection-title",
    "edition",
    "event",
    "genre",
    "issue",
    "language",
    "medium",
    "note",
    "number",
    "page",
    "publisher-place",
    "section",
    "version",
    "volume",
)
EXTRA_DATE_KEYS = ("accessed", "available-date", "event-date", "original-date", "submitted")


@st.composite
def name_objects(draw: st.DrawFn) -> dict[str, str]:
    if draw(st.booleans()):
        return {"literal": draw(texts)}
    return draw(
        st.dictionaries(st.sampled_from(NAME_PARTS[:-1]), texts, min_size=1).filter(
            lambda d: "family" in d or "given" in d
        )
    )


@st.composite
def metas(draw: st.DrawFn) -> SourceMeta:
    names = draw(
        st.dictionaries(
            st.sampled_from(CSL_NAME_VARIABLES),
            st.lists(name_objects() | texts, min_size=1, max_size=3),
            max_size=3,
        )
    )
    author: list[str] = []
    if "author" not in names:
        author = draw(st.lists(texts, max_size=3))
    extra: dict[str, str] = draw(st.dictionaries(st.sampled_from(EXTRA_TEXT_KEYS), texts))
    extra |= draw(st.dictionaries(st.sampled_from(EXTRA_DATE_KEYS), iso_dates | texts))
    optional = st.none() | texts
    return SourceMeta(
        title=draw(optional),
        container_title=draw(optional),
        publisher=draw(optional),
        author=author,
        issued=draw(st.none() | iso_dates),
        url=draw(optional),
        type=draw(st.none() | st.sampled_from(sorted(CSL_TYPES))),
        title_short=draw(optional),
        names=names,
        extra=extra,
    )


def frozen(value: Any) -> Any:
    """What a manifest keeps: read-only mappings and tuples."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(frozen(v) for v in value)
    return value


@settings(deadline=None)
@given(metas())
def test_to_csl_then_from_csl_gives_the_same_value(meta: SourceMeta) -> None:
    csl = meta.to_csl()
    assert SourceMeta.from_csl(csl) == meta
    assert hash(SourceMeta.from_csl(csl)) == hash(meta)
    assert SourceMeta.from_csl(json.loads(json.dumps(csl))) == meta
    assert SourceMeta.from_csl(frozen(csl)) == meta
    assert SourceMeta.from_csl(csl).to_csl() == csl
    assert meta.author == tuple(display_name(n) for n in meta.names.get("author", ()))


json_leaves = (
    st.none()
    | st.booleans()
    | st.integers(-5, 20000)
    | st.floats(allow_nan=False)
    | texts
    | st.sampled_from(["2016", "2016-12", "2016-02-30", "report", "Smith, J", ""])
)
json_values = st.recursive(
    json_leaves,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["date-parts", "raw", "literal", "family", "given", "season", "x"]),
            inner,
            max_size=3,
        )
    ),
    max_leaves=10,
)
csl_keys = st.sampled_from(
    ["title", "type", "author", "editor", "issued", "accessed", "page", "shortTitle", "id", "x"]
)


@settings(deadline=None)
@given(st.dictionaries(csl_keys, json_values, max_size=5))
def test_any_input_is_refused_with_a_source_error_or_round_trips(data: dict[str, Any]) -> None:
    try:
        meta = SourceMeta.from_csl(data)
    except SourceError as exc:
        message = str(exc)
    else:
        assert SourceMeta.from_csl(meta.to_csl()) == meta
        return
    assert message.startswith("metadata: ")


# -- the title of a source without one -----------------------------------------------------


def test_a_shouted_first_line_becomes_a_readable_title() -> None:
    licence = "\n   GNU GENERAL PUBLIC LICENSE\n   Version 3, 29 June 2007\n"
    assert Source.from_text("COPYING.txt", licence).title == "GNU General Public License"
    shouted = "THE  USA AND THE UK: A NEW DEAL FOR U.S.-JAPAN TALKS, ON AND OFF\n"
    assert (
        Source.from_text("a.txt", shouted).title
        == "The USA and the UK: A NEW Deal for U.S.-Japan Talks, on and off"
    )
    assert Source.from_text("a.txt", "İSTANBUL ΟΔΟΣ\n").title == "İstanbul Οδος"
    assert Source.from_text("a.txt", "X" * 150).title == "X" + "x" * 98 + "…"


def test_a_first_line_that_is_not_shouted_is_kept() -> None:
    assert Source.from_text("a.txt", "Harbour report\nBODY").title == "Harbour report"
    assert Source.from_text("a.txt", "print PRINT\n").title == "print PRINT"
    assert Source.from_text("a.txt", "  US Backs NATO  \n").title == "US Backs NATO"
    assert Source.from_text("a.txt", "A\nB").title == "A"  # one letter: not shouted
    assert Source.from_text("a.txt", "東京 2016\n").title == "東京 2016"


def test_no_first_line_gives_a_title_from_the_file_name() -> None:
    assert Source.from_text("reports/annual_report-2016.txt", "").title == "annual report 2016"
    assert Source.from_text("reports/annual_report-2016.txt", " \n\t\r\n").title == (
        "annual report 2016"
    )
    assert Source.from_text("x-1_long.name.text", "").title == "x 1 long.name"
    assert Source.from_text("__", "").title == "__"


def test_the_catalog_title_comes_first() -> None:
    meta = SourceMeta(title="Licence")
    assert Source.from_text("a.txt", "GNU GENERAL PUBLIC LICENSE", meta=meta).title == "Licence"
