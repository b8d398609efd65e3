"""Each citation against the files on disk: the figure check and re-anchoring a changed source
with the quote selector's exact text, prefix and suffix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import briefkit as bk

TEXT = (
    "Alpha says the port is open. Beta says the port is open. Gamma reports 47,000 troops in "
    "the region today.\n"
)


def _write(root: Path, text: str) -> None:
    (root / "a.txt").write_text(text, encoding="utf-8", newline="")


def _brief(root: Path) -> bk.Brief:
    src = bk.Corpus.from_dir(root)["a.txt"]
    at = TEXT.index("Beta") + 10
    beta = src.quote("the port is open", start=at, end=at + len("the port is open"))
    figure = src.figure("47,000", unit="troops", within="reports 47,000 troops")
    return bk.Brief(
        title="T",
        key_points=[
            bk.sentence("Beta said ", beta, "."),
            bk.sentence("Gamma counts ", figure, "."),
        ],
    )


def test_a_figure_whose_value_is_not_in_its_span_is_changed(tmp_path: Path) -> None:
    _write(tmp_path, TEXT)
    out = bk.export(_brief(tmp_path), tmp_path / "b.json")
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    cit = data["sentences"][1]["citations"][0]
    assert cit["kind"] == "figure" and cit["value"] == "47,000"
    cit["value"] = "48,000"
    out.write_text(json.dumps(data), encoding="utf-8")
    report = bk.verify(out, sources=tmp_path)
    (failure,) = report.failures
    assert failure.status == "changed" and failure.sentence_id == "s2"
    assert "the figure value '48,000' does not occur" in failure.detail


def test_a_repeated_text_is_re_anchored_by_its_prefix(tmp_path: Path) -> None:
    _write(tmp_path, TEXT)
    out = bk.export(_brief(tmp_path), tmp_path / "b.json")
    # both occurrences of "the port is open" shift; the prefix ("Beta says ") picks the second
    _write(tmp_path, "Preface. " + TEXT)
    report = bk.verify(out, sources=tmp_path)
    moved = [c for c in report.citations if c.sentence_id == "s1"]
    assert [c.status for c in moved] == ["moved"]
    start = TEXT.index("Beta") + 10 + len("Preface. ")
    assert (moved[0].new_start, moved[0].new_end) == (start, start + len("the port is open"))


def test_a_repeated_text_whose_context_changed_on_both_sides_is_not_guessed(
    tmp_path: Path,
) -> None:
    _write(tmp_path, TEXT)
    out = bk.export(_brief(tmp_path), tmp_path / "b.json")
    _write(
        tmp_path, TEXT.replace("Beta says", "Beta now says").replace("open. Gamma", "open! Gamma")
    )
    report = bk.verify(out, sources=tmp_path)
    (check,) = [c for c in report.citations if c.sentence_id == "s1"]
    # neither the prefix nor the suffix picks one of the two occurrences
    assert check.status == "changed" and "occurs 2 times" in check.detail


def test_the_suffix_alone_can_pick_the_occurrence(tmp_path: Path) -> None:
    _write(tmp_path, TEXT)
    out = bk.export(_brief(tmp_path), tmp_path / "b.json")
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    cit = data["sentences"][0]["citations"][0]
    suffix = cit["suffix"]
    # the prefix no longer matches anywhere, but Beta's suffix still does
    _write(tmp_path, TEXT.replace("Beta says", "Beta now says"))
    report = bk.verify(out, sources=tmp_path)
    (check,) = [c for c in report.citations if c.sentence_id == "s1"]
    assert suffix.startswith(". Gamma")
    assert check.status == "moved"
    start = TEXT.index("Beta") + 14
    assert (check.new_start, check.new_end) == (start, start + len("the port is open"))


def test_an_unchanged_source_with_a_shifted_span_is_not_ok(tmp_path: Path) -> None:
    _write(tmp_path, TEXT)
    out = bk.export(_brief(tmp_path), tmp_path / "b.json")
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    cit = data["sentences"][0]["citations"][0]
    shift = TEXT.index("Beta") + 10 - TEXT.index("the port is open")
    cit["start"] -= shift
    cit["end"] -= shift  # now the first occurrence ("Alpha says …"), same exact text
    out.write_text(json.dumps(data), encoding="utf-8")
    report = bk.verify(out, sources=tmp_path)
    assert not report.ok
    assert "position" in {p.code for p in report.problems}


def _manifest(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    _write(tmp_path, TEXT)
    out = bk.export(_brief(tmp_path), tmp_path / "b.json")
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return out, data


def test_a_citation_whose_text_is_gone_is_changed_with_the_closest_match(tmp_path: Path) -> None:
    out, _data = _manifest(tmp_path)
    _write(tmp_path, TEXT.replace("the port is open", "the port is shut"))
    (check,) = [c for c in bk.verify(out, sources=tmp_path).citations if c.sentence_id == "s1"]
    assert (check.status, check.kind, check.source) == ("changed", "quote", "a.txt")
    assert check.detail.startswith("closest match at chars ")
    assert "'open'" in check.detail  # the word-level difference names the lost word
    # the closest match is Beta's passage (the context picks it), not Alpha's
    assert check.new_start == TEXT.index("Beta") + 10
    assert check.new_end is not None and check.new_start < check.new_end


def test_a_citation_with_nothing_close_left_says_so(tmp_path: Path) -> None:
    out, _data = _manifest(tmp_path)
    _write(tmp_path, "Nothing of the kind.\n")
    checks = bk.verify(out, sources=tmp_path).citations
    assert [(c.status, c.detail) for c in checks if c.sentence_id == "s1"] == [
        ("changed", "the text no longer occurs in the source")
    ]


def test_recorded_offsets_that_disagree_with_an_unchanged_file_are_named(tmp_path: Path) -> None:
    out, data = _manifest(tmp_path)
    data["sentences"][0]["citations"][0]["line_start"] = 7
    out.write_text(json.dumps(data), encoding="utf-8")
    (check,) = [c for c in bk.verify(out, sources=tmp_path).citations if c.sentence_id == "s1"]
    assert check.status == "changed"
    assert check.detail.startswith("manifest byte/line offsets (")
    assert "disagree with the file" in check.detail


def test_a_recorded_span_that_splits_a_character_is_invalid(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("cafe\u0301 au lait\n", encoding="utf-8")
    src = bk.Corpus.from_dir(tmp_path)["a.txt"]
    out = bk.export(
        bk.Brief(title="T", key_points=[bk.sentence("It was ", src.quote("au lait"), ".")]),
        tmp_path / "b.json",
    )
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    cit = data["sentences"][0]["citations"][0]
    cit.update(start=0, end=4, exact="cafe")  # cuts the accent off the e
    out.write_text(json.dumps(data), encoding="utf-8")
    (check,) = bk.verify(out, sources=tmp_path).citations
    assert check.status == "changed"
    assert check.detail.startswith("the recorded span is invalid: ")
