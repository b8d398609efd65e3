from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

import briefkit as bk
from briefs import alliance_brief


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
    assert [p.code for p in report.problems] == ["note-style"]
    data["sentences"][0]["note"] = None
    out.write_text(json.dumps(data))
    assert any("has no footnote" in p for p in map(str, bk.verify(out, sources=sources).problems))


def test_an_audit_note_that_names_other_spans_is_caught(
    tmp_path: Path, seeds: Path, corpus: bk.Corpus
) -> None:
    out = bk.export(alliance_brief(corpus), tmp_path / "audit.json", show_spans=True)
    data = json.loads(out.read_bytes())
    assert data["brief"]["show_spans"] is True
    data["sentences"][0]["note_text"] = data["sentences"][1]["note_text"]
    out.write_text(json.dumps(data))
    problems = bk.verify(out, sources=seeds).problems
    assert any("names [('000_28b258b49d188a62.txt'" in str(p) for p in problems)
    assert {p.code for p in problems} == {"note-refs", "note-style"}


def test_a_citation_style_must_say_how_it_cites(corpus: bk.Corpus) -> None:
    class Vague(bk.CitationStyle):
        pass

    q = corpus["000_28b258b49d188a62.txt"].quote("Our alliance with Japan has never been stronger")
    with pytest.raises(bk.StyleError, match="Vague does not define cite"):
        bk.NotePlan.build(bk.Brief(title="T", key_points=[bk.sentence(q)]), style=Vague())


@pytest.fixture
def written(tmp_path: Path, seeds: Path) -> tuple[dict[str, Path], Path]:
    """The shared brief as HTML and Markdown, over a copy of the seed corpus."""
    sources = tmp_path / "sources"
    shutil.copytree(seeds, sources)
    brief = alliance_brief(bk.Corpus.from_dir(sources))
    paths = {fmt: bk.export(brief, tmp_path / f"brief.{fmt}") for fmt in ("html", "md")}
    paths["htm"] = bk.export(brief, tmp_path / "brief.htm")
    paths["markdown"] = bk.export(brief, tmp_path / "brief.markdown")
    return paths, sources


def _edit_once(path: Path, old: str, new: str) -> None:
    """Replace the first (visible) occurrence only; the manifest comes last."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("fmt", ["html", "htm", "md", "markdown"])
def test_fresh_html_and_markdown_verify(fmt: str, written: tuple[dict[str, Path], Path]) -> None:
    paths, sources = written
    report = bk.verify(paths[fmt], sources=sources)
    assert report.ok, (report.summary(), report.problems)
    assert len(report.citations) == 5 and report.errors == ()


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_a_hand_edited_note_is_reported(fmt: str, written: tuple[dict[str, Path], Path]) -> None:
    paths, sources = written
    _edit_once(paths[fmt], "shore-up alliance,” line 18", "shore-up alliance,” line 81")
    report = bk.verify(paths[fmt], sources=sources)
    assert not report.ok
    assert all(c.ok for c in report.citations)  # the sources are fine: the document is not
    (problem,) = map(str, report.problems)
    assert problem.startswith("note 2 (sentence s2): the visible footnote differs")
    assert "replace '18' -> '81'" in problem


def test_a_hand_edited_sentence_in_html_is_reported(
    written: tuple[dict[str, Path], Path],
) -> None:
    paths, sources = written
    _edit_once(paths["html"], "Reassurance was the theme", "Reassurance was &lt;b&gt;")
    (problem,) = [str(p) for p in bk.verify(paths["html"], sources=sources).problems]
    assert problem.startswith("sentence s3 (section 'Tone' › paragraph 1 › sentence 2)")
    assert "replace 'the theme' -> '<b>'" in problem


def test_moved_removed_and_renumbered_html_marks_are_reported(
    written: tuple[dict[str, Path], Path],
) -> None:
    paths, sources = written
    path = paths["html"]
    original = path.read_text(encoding="utf-8")
    mark = re.search(r'<sup class="noteref"><a href="#fn-2".*?</sup>', original)
    assert mark is not None
    moved = original.replace(mark.group(), "", 1).replace(
        "Reassurance was the theme.", "Reassurance was the theme." + mark.group(), 1
    )
    path.write_text(moved, encoding="utf-8")
    problems = [str(p) for p in bk.verify(path, sources=sources).problems]
    assert "note 2: its mark stands in sentence 's3', the manifest puts it on 's2'" in problems
    path.write_text(original.replace(mark.group(), "", 1), encoding="utf-8")
    problems = [str(p) for p in bk.verify(path, sources=sources).problems]
    assert "the page shows 3 note marks; the manifest has 4 notes" in problems
    _edit_once(path, '<li id="fn-4"', '<li id="fn-9"')
    problems = [str(p) for p in bk.verify(path, sources=sources).problems]
    assert "note 4 (sentence s5): the footnote is missing" in problems
    assert "the page shows note(s) [9] that the manifest does not have" in problems


def test_a_removed_markdown_mark_is_reported(written: tuple[dict[str, Path], Path]) -> None:
    paths, sources = written
    _edit_once(paths["md"], "stronger”.[^2]", "stronger”.")
    problems = [str(p) for p in bk.verify(paths["md"], sources=sources).problems]
    assert problems[0] == "the file shows 3 note marks; the manifest has 4 notes"
    assert "note mark 2 reads [^3]; the manifest numbers it note 2 (sentence s2)" in problems


def test_html_and_markdown_without_a_manifest_are_clear_errors(tmp_path: Path) -> None:
    page = tmp_path / "plain.html"
    page.write_text("<!DOCTYPE html><p>Hello</p>", encoding="utf-8")
    with pytest.raises(bk.ReadError, match="plain.html'?: no briefkit provenance manifest"):
        bk.verify(page, sources=tmp_path)
    md = tmp_path / "plain.md"
    md.write_text("# Hello\n\nText.[^1]\n\n[^1]: A note.\n", encoding="utf-8")
    with pytest.raises(bk.ReadError, match="briefkit-provenance v1' comment"):
        bk.verify(md, sources=tmp_path)
    with pytest.raises(
        bk.UnknownFormatError,
        match=r"verify reads \.docx, \.htm, \.html, \.json, \.markdown, \.md, \.pdf",
    ):
        bk.verify(tmp_path / "x.txt", sources=tmp_path)


@pytest.mark.parametrize(
    ("old", "new", "sentence"),
    [
        ("Reassurance was the theme", "Reassurance was no theme", "s3"),
        ("*Analysis:* Reassurance", "Reassurance", "s3"),  # an opinion passed off as sourced
        ("50,000 troops", "60,000 troops", "s1"),
    ],
)
def test_a_hand_edited_markdown_sentence_is_reported(
    written: tuple[dict[str, Path], Path], old: str, new: str, sentence: str
) -> None:
    paths, sources = written
    _edit_once(paths["md"], old, new)
    problems = [str(p) for p in bk.verify(paths["md"], sources=sources).problems]
    assert any(p.startswith(f"sentence {sentence} (") for p in problems), problems


def test_a_long_diff_stays_short_and_quick() -> None:
    from briefkit.formats.checking import diff as _diff

    words = [f"w{i % 97}" for i in range(150_000)]
    old = " ".join(words)
    new = " ".join([*words[:70_000], "X", *words[70_001:]])
    assert _diff(old, new) == "replace 'w63' -> 'X'"


def test_html_analysis_labels_and_endnote_order_are_checked(
    written: tuple[dict[str, Path], Path],
) -> None:
    paths, sources = written
    page = paths["html"]
    original = page.read_text(encoding="utf-8")
    _edit_once(page, '<strong class="label">Analysis:</strong> ', "")
    (problem,) = [str(p) for p in bk.verify(page, sources=sources).problems]
    assert problem.startswith("sentence s3 (") and "'Analysis' label is missing" in problem
    first = re.search(r'<li id="fn-1"[ >].*?</li>\n', original, re.S)
    second = re.search(r'<li id="fn-2"[ >].*?</li>\n', original, re.S)
    assert first is not None and second is not None
    page.write_text(
        original[: first.start()] + second.group() + first.group() + original[second.end() :],
        encoding="utf-8",
    )
    (problem,) = [str(p) for p in bk.verify(page, sources=sources).problems]
    assert problem.startswith("the endnotes stand in the order [2, 1")
