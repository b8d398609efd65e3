"""Exported briefs against the files on disk: resolution, determinism, detected edits."""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import briefkit
from briefkit.testing import briefs

from . import BOM, canonical, corpus_files, line_col, write_files


@contextmanager
def workspace(files: dict[str, bytes]) -> Iterator[tuple[Path, Path, briefkit.Corpus]]:
    """A fresh folder per example: ``src/`` holding ``files``, ``out/`` for exports."""
    with tempfile.TemporaryDirectory(prefix="briefkit-prop-") as tmp:
        root = Path(tmp) / "src"
        out = Path(tmp) / "out"
        root.mkdir()
        out.mkdir()
        write_files(root, files)
        yield root, out, briefkit.Corpus.from_dir(root)


def _read_source(root: Path, source_id: str) -> bytes:
    return root.joinpath(*source_id.split("/")).read_bytes()


def _check_citation_on_disk(c: dict[str, Any], raw: bytes) -> None:
    text = canonical(raw)
    start, end, exact = c["start"], c["end"], c["exact"]
    assert 0 <= start < end <= len(text)
    assert text[start:end] == exact
    assert raw[c["byte_start"] : c["byte_end"]].decode("utf-8") == exact
    base = len(BOM) if raw.startswith(BOM) else 0
    assert c["byte_start"] == base + len(text[:start].encode("utf-8"))
    assert (c["line_start"], c["column_start"]) == line_col(text, start)
    assert (c["line_end"], c["column_end"]) == line_col(text, end - 1)
    assert text[start - len(c["prefix"]) : start] == c["prefix"]
    assert text[end : end + len(c["suffix"])] == c["suffix"]
    if c["kind"] == "figure":
        assert c["value"] in exact
        assert any(ch.isdigit() for ch in c["value"])


@settings(max_examples=40, deadline=None)
@given(files=corpus_files, data=st.data())
def test_every_exported_citation_resolves_against_the_files_on_disk(
    files: dict[str, bytes], data: st.DataObject
) -> None:
    with workspace(files) as (root, out, corpus):
        assert sorted(corpus) == sorted(files)
        brief = data.draw(briefs(corpus), label="brief")
        path = briefkit.export(brief, out / "b.json")
        manifest = json.loads(path.read_bytes().decode("utf-8"))
        listed = {s["id"]: s for s in manifest["sources"]}
        raws: dict[str, bytes] = {}
        for sid, entry in listed.items():
            raw = _read_source(root, sid)
            raws[sid] = raw
            assert entry["sha256"] == hashlib.sha256(raw).hexdigest()
            assert entry["size"] == len(raw)
            assert entry["bom"] == raw.startswith(BOM)
        count = 0
        for sentence in manifest["sentences"]:
            assert sentence["citations"] or sentence["analysis"]
            for c in sentence["citations"]:
                assert c["source"] in listed
                _check_citation_on_disk(c, raws[c["source"]])
                count += 1
        assert count == sum(len(s.citations) for _, _, s in brief.walk())
        report = briefkit.verify(path, sources=root)
        assert report.ok, report.summary()
        assert len(report.citations) == count
        assert all(c.status == "ok" for c in report.citations)


@settings(max_examples=25, deadline=None)
@given(files=corpus_files, data=st.data())
def test_export_is_deterministic(files: dict[str, bytes], data: st.DataObject) -> None:
    with workspace(files) as (_root, out, corpus):
        brief = data.draw(briefs(corpus), label="brief")
        for suffix in (".json", ".md"):
            first = briefkit.export(brief, out / f"one{suffix}").read_bytes()
            second = briefkit.export(brief, out / f"two{suffix}").read_bytes()
            assert first == second
            assert briefkit.render(brief, suffix[1:]) == first


@settings(max_examples=40, deadline=None)
@given(files=corpus_files, data=st.data())
def test_verify_detects_an_edit_inside_a_cited_span(
    files: dict[str, bytes], data: st.DataObject
) -> None:
    with workspace(files) as (root, out, corpus):
        brief = data.draw(briefs(corpus), label="brief")
        path = briefkit.export(brief, out / "b.json")
        manifest = json.loads(path.read_bytes())
        cited = [c for s in manifest["sentences"] for c in s["citations"]]
        if not cited:
            return
        target = data.draw(st.sampled_from(cited), label="citation")
        offset = data.draw(st.integers(target["start"], target["end"] - 1), label="offset")
        raw = _read_source(root, target["source"])
        text = canonical(raw)
        replacement = data.draw(
            st.characters(codec="utf-8").filter(lambda ch: ch != text[offset]),
            label="replacement",
        )
        edited = text[:offset] + replacement + text[offset + 1 :]
        prefix = BOM if raw.startswith(BOM) else b""
        root.joinpath(*target["source"].split("/")).write_bytes(prefix + edited.encode("utf-8"))

        report = briefkit.verify(path, sources=root)
        assert not report.ok
        assert any(s.id == target["source"] and s.status == "modified" for s in report.sources)
        hit = [
            c
            for c in report.citations
            if c.source == target["source"] and c.start <= offset < c.end
        ]
        assert len(hit) >= 1
        for check in hit:
            assert check.status != "ok", check
            assert not check.ok
