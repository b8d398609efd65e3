from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import briefkit as bk


@pytest.fixture
def setup(tmp_path: Path, seeds: Path) -> tuple[Path, Path]:
    sources = tmp_path / "sources"
    shutil.copytree(seeds, sources)
    corpus = bk.Corpus.from_dir(sources)
    cnn = corpus["000_28b258b49d188a62.txt"]
    afp = corpus["002_a5ab00941732d00c.txt"]
    brief = bk.Brief(
        title="T",
        key_points=[
            bk.sentence(cnn.quote("Our alliance with Japan has never been stronger"), "."),
            bk.sentence(
                afp.figure("47,000", within="Some 47,000 US troops are stationed in Japan")
            ),
        ],
    )
    out = tmp_path / "brief.json"
    bk.export(brief, out)
    return out, sources


def test_fresh_export_verifies(setup: tuple[Path, Path]) -> None:
    out, sources = setup
    report = bk.verify(out, sources=sources)
    assert report.ok, report
    assert [c.status for c in report.citations] == ["ok", "ok"]
    assert "2 sentences (0 analysis), 2 citations, 2 sources — all resolved" in report.summary()


def test_a_changed_word_is_reported_with_note_and_source(setup: tuple[Path, Path]) -> None:
    out, sources = setup
    path = sources / "000_28b258b49d188a62.txt"
    path.write_text(
        path.read_text(encoding="utf-8").replace("never been stronger", "never been weaker"),
        encoding="utf-8",
    )
    report = bk.verify(out, sources=sources)
    assert not report.ok
    (bad,) = report.failures
    assert (bad.status, bad.note, bad.source) == ("changed", 1, "000_28b258b49d188a62.txt")
    assert "replace 'stronger' -> 'weaker'" in bad.detail
    assert report.sources[0].status == "modified"


def test_text_moved_by_an_inserted_paragraph_is_found(setup: tuple[Path, Path]) -> None:
    out, sources = setup
    path = sources / "000_28b258b49d188a62.txt"
    path.write_bytes(b"A new first paragraph.\n\n" + path.read_bytes())
    report = bk.verify(out, sources=sources)
    moved = report.citations[0]
    assert moved.status == "moved" and moved.new_start == moved.start + 24
    assert not report.ok


def test_a_deleted_source_is_missing(setup: tuple[Path, Path]) -> None:
    out, sources = setup
    (sources / "002_a5ab00941732d00c.txt").unlink()
    report = bk.verify(out, sources=sources)
    assert [c.status for c in report.citations] == ["ok", "missing"]


def test_a_tampered_manifest_is_caught(setup: tuple[Path, Path]) -> None:
    out, sources = setup
    data = json.loads(out.read_bytes())
    data["sentences"][0]["citations"][0]["byte_start"] += 1
    out.write_text(json.dumps(data))
    assert bk.verify(out, sources=sources).citations[0].status == "changed"
    data["sentences"][0]["citations"][0]["source"] = "../../etc/passwd"
    data["sources"][0]["id"] = "../../etc/passwd"
    out.write_text(json.dumps(data))
    report = bk.verify(out, sources=sources)
    assert report.citations[0].status == "missing"
    assert "safe" in report.sources[0].detail or "'..'" in report.sources[0].detail


def test_unreadable_inputs_are_clear_errors(tmp_path: Path, setup: tuple[Path, Path]) -> None:
    out, sources = setup
    with pytest.raises(bk.UnknownFormatError, match="cannot verify .odt files"):
        bk.verify(tmp_path / "x.odt", sources=sources)
    bad = tmp_path / "bad.json"
    bad.write_text("{]")
    with pytest.raises(bk.ManifestError, match="not valid JSON"):
        bk.verify(bad, sources=sources)
    with pytest.raises(bk.SourceError, match="does not exist"):
        bk.verify(out, sources=tmp_path / "nowhere")


def test_a_note_that_names_other_spans_is_caught(setup: tuple[Path, Path]) -> None:
    out, sources = setup
    data = json.loads(out.read_bytes())
    data["sentences"][0]["note_text"] = data["sentences"][1]["note_text"]
    out.write_text(json.dumps(data))
    report = bk.verify(out, sources=sources)
    assert not report.ok
    assert any("names [('002_a5ab00941732d00c.txt'" in p for p in report.problems)
    data["sentences"][0]["note"] = None
    out.write_text(json.dumps(data))
    assert any("has no footnote" in p for p in bk.verify(out, sources=sources).problems)


def test_a_citation_style_must_keep_notes_parseable(corpus: bk.Corpus) -> None:
    class Vague(bk.CitationStyle):
        def citation(self, excerpt, position, *, first):  # type: ignore[no-untyped-def]
            return "somewhere in the sources"

    q = corpus["000_28b258b49d188a62.txt"].quote("Our alliance with Japan has never been stronger")
    with pytest.raises(bk.ValidationError, match="does not read back as its citations"):
        bk.plan(bk.Brief(title="T", key_points=[bk.sentence(q)]), style=Vague())
