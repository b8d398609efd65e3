"""The second example brief (examples/licences): hard-wrapped licence texts with numbered
sections, a CSL-JSON catalog, built in the default style, in APA, in German and in Japanese —
every output verifies, and no note prints machine data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import briefkit as bk
from briefkit import mdbrief

ROOT = Path(__file__).resolve().parents[1]
BRIEF = ROOT / "examples" / "licences" / "brief.md"
SOURCES = ROOT / "examples" / "licences" / "sources"


def test_the_catalog_is_read_as_csl_json() -> None:
    corpus = bk.Corpus.from_dir(SOURCES)
    gpl = corpus["gpl-3.0.txt"]
    assert gpl.meta.type == "legislation"
    assert gpl.meta.title_short == "GPL 3"
    assert gpl.meta.issued == "2007-06-29"
    assert gpl.meta.author == ("Free Software Foundation",)


def test_notes_name_sections_and_no_machine_data() -> None:
    plan = bk.NotePlan.build(mdbrief.load(BRIEF).brief)
    first = plan.notes[0].text
    assert first.startswith(
        "The Apache Software Foundation, Apache License, Version 2.0, January 2004, section 3, "
    )
    assert "section 11" in first and "section 2.1" in first
    assert plan.notes[1].text == (
        "The Apache Software Foundation, Apache License 2.0, section 3; Mozilla Foundation, "
        "MPL 2.0, section 5.2; Free Software Foundation, GPL 3, section 8."
    )
    assert not any(".txt" in n.text or "chars" in n.text for n in plan.notes)
    # the quotations are reflowed: the licence's line breaks and indentation are not shown
    assert not any("\n" in s.text or "  " in s.text for s in plan.sentences)


@pytest.mark.parametrize(
    ("options", "expect"),
    [
        ((), "Bibliography"),
        (("--style", "apa"), "References"),
        (("--locale", "de-DE"), "Literaturverzeichnis"),
        (("--locale", "ja-JP", "--ibid"), "参考文献"),
    ],
    ids=["chicago-notes", "apa", "german", "japanese"],
)
def test_it_builds_and_verifies_in_each_style_and_language(
    tmp_path: Path, options: tuple[str, ...], expect: str
) -> None:
    out = tmp_path / "out"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "briefkit",
            "build",
            str(BRIEF),
            "-o",
            str(out),
            "--verify",
            *options,
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "every output verified, all resolved" in done.stdout
    html = (out / "brief.html").read_text(encoding="utf-8")
    assert f">{expect}</h2>" in html
    manifest = json.loads((out / "brief.json").read_text(encoding="utf-8"))
    # a one-character edit to any note is caught
    for k, sent in enumerate(s for s in manifest["sentences"] if s["note_text"]):
        edited = json.loads(json.dumps(manifest))
        target = next(s for s in edited["sentences"] if s["id"] == sent["id"])
        text = target["note_text"]
        target["note_text"] = text[: k % len(text)] + "#" + text[k % len(text) + 1 :]
        path = tmp_path / "edited.json"
        path.write_text(json.dumps(edited), encoding="utf-8")
        problems = bk.verify(path, sources=SOURCES).problems
        assert "note-style" in {p.code for p in problems}, (k, target["note_text"])
