"""The example brief (examples/us_japan_alliance.py): structure, content, and provenance.

The provenance checks read the JSON manifest with the stdlib ``json`` module and the source
files as raw bytes, so they resolve every citation independently of briefkit's own code.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import briefkit as bk

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "us_japan_alliance.py"
SEEDS = ROOT / "seeds"
SEED_IDS = sorted(p.name for p in SEEDS.glob("*.txt"))

#: The figures on which the sources disagree: (source id, value as written).
DISAGREEING_FIGURES = {
    ("000_28b258b49d188a62.txt", "50,000"),
    ("002_a5ab00941732d00c.txt", "47,000"),
    ("004_35db4e2c9c51291d.txt", "54,000"),
    ("000_28b258b49d188a62.txt", "$1.6 billion"),
    ("004_35db4e2c9c51291d.txt", "nearly $2 billion"),
}


def _load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("us_japan_alliance_example", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def example() -> ModuleType:
    return _load_example()


@pytest.fixture(scope="module")
def brief(example: ModuleType) -> bk.Brief:
    result = example.build_brief(bk.Corpus.from_dir(SEEDS))
    assert isinstance(result, bk.Brief)
    return result


@pytest.fixture(scope="module")
def exported(brief: bk.Brief, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("example")
    return {
        "json": bk.export(brief, out / "brief.json"),
        "md": bk.export(brief, out / "brief.md"),
    }


@pytest.fixture(scope="module")
def manifest(exported: dict[str, Path]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(exported["json"].read_bytes().decode("utf-8"))
    return data


def _citations(manifest: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(s, c) for s in manifest["sentences"] for c in s["citations"]]


def _count_sections(sections: tuple[bk.Section, ...]) -> tuple[int, int]:
    """(sections, subsections) of a section tree."""
    subs = sum(len(s.subsections) + _count_sections(s.subsections)[1] for s in sections)
    return len(sections), subs


def _blocks(sections: tuple[bk.Section, ...]) -> list[object]:
    out: list[object] = []
    for sec in sections:
        out.extend(sec.blocks)
        out.extend(_blocks(sec.subsections))
    return out


# -- structure -------------------------------------------------------------------------------


def test_title_block(manifest: dict[str, Any]) -> None:
    head = manifest["brief"]
    assert head["title"].strip()
    assert head["subtitle"]
    assert head["author"] == "briefkit example"
    assert head["date"] == "2026-11-21"


def test_structure(brief: bk.Brief) -> None:
    top, subs = _count_sections(brief.sections)
    assert top >= 4
    assert subs >= 1
    blocks = _blocks(brief.sections)
    assert any(isinstance(b, bk.BulletList) for b in blocks)
    assert any(isinstance(b, bk.BlockQuote) for b in blocks)
    assert 3 <= len(brief.key_points) <= 5


def test_manifest_counts(manifest: dict[str, Any]) -> None:
    sentences = manifest["sentences"]
    assert len(sentences) >= 25
    key_points = [s for s in sentences if s["place"].startswith("key points")]
    assert 3 <= len(key_points) <= 5
    assert all(s["citations"] for s in key_points)
    headings = {s["section"][0] for s in sentences if s["section"]}
    assert len(headings) >= 4
    assert any(len(s["section"]) >= 2 for s in sentences)  # a subsection


def test_every_seed_is_cited(manifest: dict[str, Any]) -> None:
    listed = sorted(s["id"] for s in manifest["sources"])
    assert listed == SEED_IDS
    cited = {c["source"] for _, c in _citations(manifest)}
    assert cited == set(SEED_IDS)
    assert all(s["cited"] >= 1 for s in manifest["sources"])


def test_every_factual_sentence_cites(manifest: dict[str, Any]) -> None:
    for s in manifest["sentences"]:
        assert s["analysis"] or s["citations"], s["text"]
    assert any(s["analysis"] for s in manifest["sentences"])


def test_quotes_have_speakers(manifest: dict[str, Any]) -> None:
    speakers = " ".join(
        c.get("speaker") or "" for _, c in _citations(manifest) if c["kind"] == "quote"
    )
    for name in ("Carter", "Mattis", "Abe", "Suga", "Tsuruho", "Trump"):
        assert name in speakers
    kinds = {c["kind"] for _, c in _citations(manifest)}
    assert kinds == {"quote", "paraphrase", "figure"}


def test_disagreeing_figures_are_cited(manifest: dict[str, Any]) -> None:
    figures = [c for _, c in _citations(manifest) if c["kind"] == "figure"]
    found = {(c["source"], c["value"]) for c in figures}
    assert found >= DISAGREEING_FIGURES
    for c in figures:
        assert c["value"] in c["exact"]


def test_disagreements_are_gathered_in_one_section(manifest: dict[str, Any]) -> None:
    place = [s for s in manifest["sentences"] if "disagree" in " ".join(s["section"]).lower()]
    assert place, "no section about where the sources disagree"
    here = {
        (c["source"], c["value"]) for s in place for c in s["citations"] if c["kind"] == "figure"
    }
    assert here >= DISAGREEING_FIGURES
    items = [s for s in place if "› list" in s["place"]]
    for item in items:  # one figure per list item
        assert sum(c["kind"] == "figure" for c in item["citations"]) == 1
    analysis = " ".join(s["text"] for s in place if s["analysis"]).lower()
    assert "date" in analysis
    assert "count" in analysis


def test_no_problem_not_even_a_warning(brief: bk.Brief) -> None:
    assert brief.problems() == []


def test_every_number_of_the_example_is_in_a_cited_span(brief: bk.Brief) -> None:
    """The example vouches for no number: each one it writes stands in a span it cites (the
    dates in its table cite the date lines of the reports), so it has no warning at all."""
    assert [n for _, _, sent in brief.walk() for n in sent.accept_numbers] == []
    assert brief.problems() == []


# -- independent resolution of every citation ------------------------------------------------


def test_every_citation_resolves_independently(manifest: dict[str, Any]) -> None:
    raw: dict[str, bytes] = {}
    for src in manifest["sources"]:
        data = (SEEDS / src["id"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == src["sha256"], src["id"]
        assert len(data) == src["size"]
        raw[src["id"]] = data
    citations = _citations(manifest)
    assert len(citations) >= 25
    for sentence, c in citations:
        data = raw[c["source"]]
        bom = data.startswith(b"\xef\xbb\xbf")
        text = data.decode("utf-8").removeprefix("\ufeff")
        start, end, exact = c["start"], c["end"], c["exact"]
        where = f"{sentence['id']} {c['kind']} {c['source']} {start}–{end}"
        assert 0 <= start < end <= len(text), where
        assert text[start:end] == exact, where
        assert data[c["byte_start"] : c["byte_end"]].decode("utf-8") == exact, where
        assert c["byte_start"] == len(text[:start].encode("utf-8")) + (3 if bom else 0), where
        prefix, suffix = c["prefix"], c["suffix"]
        assert text[start - len(prefix) : start] == prefix, where
        assert text[end : end + len(suffix)] == suffix, where
        assert prefix or start == 0, where
        assert suffix or end == len(text), where
        assert c["line_start"] == text.count("\n", 0, start) + 1, where


def test_quoted_words_appear_in_the_sentence(manifest: dict[str, Any]) -> None:
    for s in manifest["sentences"]:
        for c in s["citations"]:
            if c["kind"] == "quote":
                assert c["exact"] in s["text"], s["id"]
                if "block quote" not in s["place"]:
                    assert f"“{c['exact']}”" in s["text"], s["id"]
            if c["kind"] == "figure" and c["value"] in s["text"]:
                assert c["value"] in c["exact"]


# -- Markdown notes --------------------------------------------------------------------------


def test_markdown_notes(exported: dict[str, Path], manifest: dict[str, Any]) -> None:
    md = exported["md"].read_text("utf-8")
    numbers = [s["note"] for s in manifest["sentences"] if s["note"] is not None]
    assert numbers == list(range(1, len(numbers) + 1))
    definitions = [int(n) for n in re.findall(r"^\[\^(\d+)\]:", md, flags=re.MULTILINE)]
    assert definitions == numbers
    body = md.split("\n[^1]:", 1)[0]
    marks = [int(n) for n in re.findall(r"\[\^(\d+)\](?!:)", body)]
    assert marks == numbers
    for s in manifest["sentences"]:
        if s["note"] is not None:
            assert f"[^{s['note']}]: " in md


# -- the script ------------------------------------------------------------------------------


def test_main_exports_and_verifies(
    example: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert example.main(["--sources", str(SEEDS), "--out", str(tmp_path)]) == 0
    assert (tmp_path / "brief.json").is_file()
    assert (tmp_path / "brief.md").is_file()
    out = capsys.readouterr().out
    assert "all resolved" in out
    assert str(tmp_path / "brief.md") in out
    report = bk.verify(tmp_path / "brief.json", sources=SEEDS)
    assert report.ok, report.summary()


def test_main_fails_on_a_changed_source(
    example: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = tmp_path / "seeds"
    sources.mkdir()
    for path in SEEDS.iterdir():
        (sources / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "out"
    assert example.main(["--sources", str(sources), "--out", str(out)]) == 0
    capsys.readouterr()
    # A changed source makes the build fail loudly (a cited passage is gone) ...
    target = sources / "004_35db4e2c9c51291d.txt"
    target.write_bytes(target.read_bytes().replace(b"About 54,000", b"About 55,000"))
    assert example.main(["--sources", str(sources), "--out", str(out)]) == 1
    assert "cannot build" in capsys.readouterr().err
    # ... and the brief written before no longer verifies against it.
    report = bk.verify(out / "brief.json", sources=sources)
    assert not report.ok
