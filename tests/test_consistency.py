"""A manifest edited to match a tampered document is caught: it must agree with itself, with
its citation style and with the unchanged sources."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import briefkit as bk
from briefs import alliance_brief

Edit = Callable[[dict[str, Any]], None]


def _sentence(data: dict[str, Any], sid: str) -> dict[str, Any]:
    found: dict[str, Any] = next(s for s in data["sentences"] if s["id"] == sid)
    return found


def _edit_quote_everywhere(data: dict[str, Any]) -> None:
    """The quotation reads differently in the sentence's text and its parts (what a body
    edited to match would show); the citation is left as it was."""
    s = _sentence(data, "s2")
    for part in s["parts"]:
        if part["kind"] == "quote":
            part["text"] = part["text"].replace("stronger", "weaker")
    s["text"] = s["text"].replace("stronger", "weaker")


def _retype_quote_as_text(data: dict[str, Any]) -> None:
    s = _sentence(data, "s2")
    quote = next(p for p in s["parts"] if p["kind"] == "quote")
    quote["kind"], quote["citation"] = "text", None
    quote["text"] = quote["text"].replace("stronger", "weaker")
    s["text"] = "".join(p["text"] for p in s["parts"])


def _figure(data: dict[str, Any]) -> None:
    s = _sentence(data, "s1")
    for part in s["parts"]:
        if part["kind"] == "figure":
            part["text"] = part["text"].replace("50,000", "60,000")
    s["text"] = "".join(p["text"] for p in s["parts"])


def _text_without_parts(data: dict[str, Any]) -> None:
    _sentence(data, "s3")["text"] = "Reassurance was the theme. A new claim."


def _add_sentence_to_author_text(data: dict[str, Any]) -> None:
    s = _sentence(data, "s2")
    s["parts"][-1]["text"] += " Japan will pay everything."
    s["text"] = "".join(p["text"] for p in s["parts"])


def _citation_field(field: str, value: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        _sentence(data, "s2")["citations"][0][field] = value

    return edit


def _note_text(data: dict[str, Any]) -> None:
    s = _sentence(data, "s2")
    s["note_text"] = s["note_text"].replace("line", "page")
    assert "page" in s["note_text"]


def _source_title(data: dict[str, Any]) -> None:
    data["sources"][0]["title"] = "A different title"


def _swap_notes(data: dict[str, Any]) -> None:
    a, b = _sentence(data, "s1"), _sentence(data, "s2")
    a["note"], b["note"] = b["note"], a["note"]


def _cited_count(data: dict[str, Any]) -> None:
    data["sources"][0]["cited"] += 1


def _source_order(data: dict[str, Any]) -> None:
    data["sources"].reverse()


def _style(data: dict[str, Any]) -> None:
    data["brief"]["citation_style"] = "house-style"


def _note_one_character(data: dict[str, Any]) -> None:
    s = _sentence(data, "s2")
    s["note_text"] = s["note_text"].replace("18", "19", 1)


def _locale(data: dict[str, Any]) -> None:
    data["brief"]["locale"] = "de-DE"  # the notes are English: German ones would differ


def _style_file_changed(data: dict[str, Any]) -> None:
    data["brief"]["style_sha256"] = "0" * 64


def _bibliography_entry(data: dict[str, Any]) -> None:
    entry = data["bibliography"][0]
    entry["text"] = entry["text"].replace("2016", "2017")


def _bibliography_dropped(data: dict[str, Any]) -> None:
    data["bibliography"].pop()


def _bibliography_reordered(data: dict[str, Any]) -> None:
    data["bibliography"].reverse()


def _locator(data: dict[str, Any]) -> None:
    # the note and the locator agree, but the source's line is not that one
    s = _sentence(data, "s2")
    cit = s["citations"][0]
    cit["locator"]["first"] = "3"
    s["note_text"] = s["note_text"].replace("line 18", "line 3")


def _misquote(data: dict[str, Any]) -> None:
    s = _sentence(data, "s3")
    s["parts"][-1]["text"] = "Reassurance was “the only theme”."
    s["text"] = s["parts"][-1]["text"]


def _block_quote_shape(data: dict[str, Any]) -> None:
    s = next(s for s in data["sentences"] if s["block"] == "quote")
    s["parts"].append({"kind": "text", "text": " Indeed.", "citation": None})
    s["text"] += " Indeed."


CASES: list[tuple[str, Edit, str]] = [
    ("quote edited in text and parts", _edit_quote_everywhere, "quote-shown"),
    ("quote retyped as author text", _retype_quote_as_text, "misquote"),
    ("figure edited", _figure, "figure-shown"),
    ("text that is not its parts", _text_without_parts, "parts"),
    ("a second sentence in the author text", _add_sentence_to_author_text, "several-sentences"),
    ("wrong line", _citation_field("line_start", 1), "position"),
    ("wrong column", _citation_field("column_end", 3), "position"),
    ("wrong prefix", _citation_field("prefix", "xyz"), "position"),
    ("wrong suffix", _citation_field("suffix", "xyz"), "position"),
    ("wrong byte offset", _citation_field("byte_end", 10_000), "position"),
    ("a note edited in the manifest", _note_text, "note-style"),
    ("a source retitled", _source_title, "source-title"),
    ("notes renumbered", _swap_notes, "note-number"),
    ("a citation count edited", _cited_count, "sources-count"),
    ("sources reordered", _source_order, "sources-order"),
    ("an unknown citation style", _style, "style-unknown"),
    ("one character of a note", _note_one_character, "note-style"),
    ("the recorded locale", _locale, "note-style"),
    ("the recorded style file", _style_file_changed, "style-unknown"),
    ("a bibliography entry", _bibliography_entry, "bibliography"),
    ("a bibliography entry dropped", _bibliography_dropped, "bibliography"),
    ("the bibliography reordered", _bibliography_reordered, "bibliography"),
    ("a locator the source does not give", _locator, "position"),
    ("a typed quotation no span shows", _misquote, "misquote"),
    ("a block quote with more than its quotation", _block_quote_shape, "block"),
]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory, corpus: bk.Corpus) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("consistency") / "brief.json"
    bk.export(alliance_brief(corpus), out)
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


def test_the_fresh_manifest_is_consistent(tmp_path: Path, seeds: Path, written: Any) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps(written), encoding="utf-8")
    report = bk.verify(path, sources=seeds)
    assert report.ok and report.problems == (), report.problems


@pytest.mark.parametrize(("what", "edit", "code"), CASES, ids=[c[0] for c in CASES])
def test_a_manifest_edited_to_match_is_caught(
    tmp_path: Path, seeds: Path, written: dict[str, Any], what: str, edit: Edit, code: str
) -> None:
    data = json.loads(json.dumps(written))
    edit(data)
    path = tmp_path / "m.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    report = bk.verify(path, sources=seeds)
    assert not report.ok, what
    assert code in {p.code for p in report.problems}, report.problems


def test_warnings_fail_only_a_strict_verification(
    tmp_path: Path, seeds: Path, written: dict[str, Any]
) -> None:
    data = json.loads(json.dumps(written))
    s = _sentence(data, "s2")
    s["parts"][-1]["text"] = " in 2016."
    s["text"] = "".join(p["text"] for p in s["parts"])
    path = tmp_path / "m.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    lenient = bk.verify(path, sources=seeds)
    assert lenient.ok and [p.code for p in lenient.warnings] == ["unsupported-number"]
    assert "1 warning" in lenient.summary()
    strict = bk.verify(path, sources=seeds, strict=True)
    assert not strict.ok and [p.code for p in strict.errors] == ["unsupported-number"]


def test_a_custom_style_verifies_when_given(tmp_path: Path, seeds: Path, corpus: bk.Corpus) -> None:
    class Terse(bk.CitationStyle):
        def cite(self, cite: bk.Cite, position: str) -> str:
            return f"{cite.source_id} {cite.locator.value}"

        def bibliography_entry(self, source: Any) -> str:
            return str(source.id)

    path = bk.export(alliance_brief(corpus), tmp_path / "b.json", style=Terse())
    assert json.loads(path.read_text())["brief"]["citation_style"].endswith("Terse")
    assert "style-unknown" in {p.code for p in bk.verify(path, sources=seeds).problems}
    assert bk.verify(path, sources=seeds, style=Terse()).ok


def test_metadata_the_catalog_does_not_give_is_a_warning(
    tmp_path: Path, seeds: Path, corpus: bk.Corpus
) -> None:
    # the real file under a faked title, author, venue and date: the notes and bibliography
    # are consistent with the manifest, but not with the sources folder's catalog
    real = corpus["000_28b258b49d188a62.txt"]
    fake = bk.Source.from_bytes(
        real.id,
        (seeds / real.id).read_bytes(),
        meta=bk.SourceMeta(
            title="Carter says Japan must pay double",
            container_title="Fox News",
            issued="2019-01-01",
            author=("Doe, Jane",),
        ),
    )
    q = fake.quote("Our alliance with Japan has never been stronger")
    path = bk.export(
        bk.Brief("T", key_points=[bk.sentence("He said ", q, ".")]), tmp_path / "f.json"
    )
    report = bk.verify(path, sources=seeds)
    (warning,) = [p for p in report.problems if p.code == "source-metadata"]
    assert warning.severity == "warning"
    assert (
        "title 'Carter says Japan must pay double' (the catalog: 'Carter looks" in warning.message
    )
    assert "container-title 'Fox News' (the catalog: 'CNN')" in warning.message
    assert not bk.verify(path, sources=seeds, strict=True).ok
    # the same brief over the catalog's metadata has nothing to warn about
    honest = bk.export(
        bk.Brief("T", key_points=[bk.sentence("He said ", real.quote(q.text), ".")]),
        tmp_path / "h.json",
    )
    assert bk.verify(honest, sources=seeds).problems == ()
