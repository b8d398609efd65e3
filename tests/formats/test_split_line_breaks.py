"""A CR LF line break split between two pieces of a sentence (author text ending in CR, a
speaker's name starting with LF) is one line break in every format, as in the manifest's
text (a case Hypothesis found)."""

from __future__ import annotations

from pathlib import Path

import pytest

import briefkit as bk


@pytest.mark.parametrize("fmt", ["docx", "html", "md", "pdf", "json"])
def test_a_crlf_split_between_segments_is_one_line_break(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "a.txt").write_text("alpha beta gamma", encoding="utf-8")
    src = bk.Corpus.from_dir(tmp_path)["a.txt"]
    q = src.quote("beta", speaker="\nThe speaker")
    brief = bk.Brief("T", key_points=[bk.sentence("First line\r", q, ".")])
    plan = bk.NotePlan.build(brief)
    (sentence,) = plan.sentences
    assert sentence.text == "First line\r\nThe speaker said, “beta”."
    assert [s.text for s in sentence.runs][:2] == ["First line\r", "The speaker said, "]
    path = bk.export(plan, tmp_path / f"b.{fmt}")
    report = bk.verify(path, sources=tmp_path)
    assert report.ok, report.problems
    assert report.problems == ()
