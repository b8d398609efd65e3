"""Verifying plain-text briefs: ``briefkit.verify(txt, sources=ROOT, manifest=json)``.

A fresh export verifies clean; every visible character of the file is accounted for, so an
added, edited, removed or moved sentence, note, heading or source entry is reported, while
layout (how lines are wrapped and broken) is not compared.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import attrs
import briefkit_plaintext
import pytest
from briefkit_plaintext import PlainTextExporter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import briefkit
from briefkit.errors import UnknownFormatError
from briefkit.manifest import parse
from briefkit.problems import Problem
from briefkit.testing import briefs, sample_brief, sources


@pytest.fixture(scope="module", autouse=True)
def _txt_format() -> Iterator[None]:
    """verify finds its checker through the registry: the installed plug-in, or this one
    registered for the module's tests when it is not installed."""
    try:
        briefkit.registry.for_path("brief.txt")
    except UnknownFormatError:
        briefkit.registry.register(PlainTextExporter())
        yield
        briefkit.registry.unregister("txt")
    else:
        yield


@attrs.frozen
class Written:
    root: Path  # the sources
    txt: Path
    manifest: Path  # the JSON manifest exported from the same plan

    def verify(self, text: str | None = None) -> briefkit.Report:
        """Verify the text file, after replacing its content with ``text`` if given."""
        if text is not None:
            self.txt.write_text(text, encoding="utf-8", newline="")
        return briefkit.verify(self.txt, sources=self.root, manifest=self.manifest)


def _write(brief: briefkit.Brief, folder: Path) -> Written:
    plan = briefkit.NotePlan.build(brief)
    root = folder / "sources"
    root.mkdir(parents=True)
    for entry in plan.sources:
        src = entry.source
        file = root / src.id
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes((b"\xef\xbb\xbf" if src.bom else b"") + src.text.encode("utf-8"))
    out = folder / "out"
    out.mkdir()
    txt = briefkit.export(plan, out / "brief.txt")
    return Written(root, txt, briefkit.export(plan, out / "brief.json"))


@pytest.fixture
def written(tmp_path: Path) -> Written:
    return _write(sample_brief(), tmp_path)


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_a_fresh_export_verifies(written: Written) -> None:
    report = written.verify()
    assert report.problems == ()
    assert report.ok, report.summary()
    assert [c.sentence_id for c in report.citations].count("s7") == 2  # every citation
    assert len(report.citations) == 10
    assert "[5] R. Okafor, “Harbour report,” line 2" in written.txt.read_text("utf-8")


def test_the_manifest_must_be_given(written: Written) -> None:
    with pytest.raises(briefkit.ReadError, match=r"no provenance manifest; pass the JSON"):
        briefkit.verify(written.txt, sources=written.root)
    with pytest.raises(briefkit.ReadError, match=r"brief\.txt'"):
        PlainTextExporter().check(written.txt)


KEY_POINTS = "- The council approved 1,250 berths.[1]\n- Fees rise 4.5 per cent from April.[2]"
NOTE_1 = (
    "[1] R. Okafor, “Harbour report,” Coastal Times, March 5, 2024, line 2,\n"
    "    https://example.org/harbour?id=7&x=1.\n      “1,250”\n"
)
NOTE_2 = "[2] “Fees,” line 3.\n      “4.5”\n"
NOTE_8 = "[8] R. Okafor, “Harbour report,” line 3.\n      “others disagreed”\n"


class Case(NamedTuple):
    old: str  # what the file says
    new: str  # what it is made to say
    code: str  # a problem verify must report, and what it concerns (None: anything)
    sentence: str | None = None
    note: int | None = None

    def found(self, problem: Problem) -> bool:
        return (
            problem.code == self.code
            and self.sentence in (None, problem.sentence)
            and self.note in (None, problem.note)
        )


TAMPERING = {
    "added sentence": Case("Some disagreed.[8]", "Some disagreed.[8] All agreed.", "unlinked-text"),
    "edited sentence": Case("Approved on Tuesday.", "Approved on Monday.", "differs", "s6"),
    "sentence moved": Case(KEY_POINTS, "\n".join(KEY_POINTS.split("\n")[::-1]), "missing", "s1"),
    "sentence removed": Case("Some disagreed.[8]", "", "missing", "s9"),
    "label removed": Case("Analysis: Nothing here", "Nothing here", "differs", "s5"),
    "label added": Case("- Approved on", "- Analysis: Approved on", "differs", "s6"),
    "note mark changed": Case("Some disagreed.[8]", "Some disagreed.[7]", "differs", "s9"),
    "note mark removed": Case("nothing else does.[6]", "nothing else does.", "differs", "s7"),
    "note edited": Case(
        "[5] R. Okafor, “Harbour report,” line 2",
        "[5] R. Okafor, “Harbour report,” line 9",
        "note-differs",
        "s6",
        5,
    ),
    "cited words edited": Case("“on Tuesday”", "“on Monday”", "note-differs", "s6", 5),
    "note removed": Case(NOTE_8, "", "note-missing", "s9", 8),
    "note added": Case("\nBibliography\n", "\n[9] Trust me.\n\nBibliography\n", "unlinked-text"),
    "notes moved": Case(f"{NOTE_1}\n{NOTE_2}", f"{NOTE_2}\n{NOTE_1}", "note-missing", "s1", 1),
    "title edited": Case("Harbour brief: berths", "Harbor brief: berths", "differs"),
    "heading edited": Case("Open questions\n~~~~~~~~~~~~~~", "Questions\n~~~~~~~~~", "differs"),
    "bibliography edited": Case("Times, March 5, 2024.\n", "Times, March 6, 2024.\n", "differs"),
    "text at the start": Case("Harbour brief:", "DRAFT\nHarbour brief:", "unlinked-text"),
    "text at the end": Case("“Fees.”\n", "“Fees.”\nP.S. I wrote this.\n", "unlinked-text"),
}


@pytest.mark.parametrize("case", TAMPERING, ids=list(TAMPERING))
def test_tampering_is_reported(written: Written, case: str) -> None:
    tampering = TAMPERING[case]
    text = _edit(written.txt.read_text("utf-8"), tampering.old, tampering.new)
    report = written.verify(text)
    assert not report.ok
    assert all(c.ok for c in report.citations)  # the sources are fine: the text file is not
    assert any(tampering.found(p) for p in report.problems), report.problems
    for problem in report.problems:
        if problem.code.startswith("note-"):
            assert problem.message.startswith(f"note {problem.note} (sentence {problem.sentence})")


def test_problems_quote_what_was_added(written: Written) -> None:
    text = _edit(written.txt.read_text("utf-8"), "Some disagreed.[8]", "Some disagreed.[8] Not.")
    (problem,) = written.verify(text).problems
    assert problem == Problem(
        "unlinked-text",
        "unlinked text after sentence s9, before the Notes heading, in brief.txt: 'Not.'",
        sentence="s9",
    )


def test_layout_is_not_compared(written: Written) -> None:
    text = written.txt.read_text("utf-8")
    assert written.verify(" ".join(text.split())).problems == ()  # one long line
    assert written.verify(text.replace("\n", "\r\n")).problems == ()
    assert written.verify("\n\n".join(text.split())).problems == ()  # a word a line


def test_the_manifest_of_another_brief_does_not_fit(written: Written, tmp_path: Path) -> None:
    other = _write(attrs.evolve(sample_brief(), title="Another brief"), tmp_path / "other")
    report = briefkit.verify(written.txt, sources=written.root, manifest=other.manifest)
    differs = report.problems[0]
    assert differs.code == "differs", report.problems
    assert differs.message.startswith("the title 'Another brief': brief.txt does not show it")
    assert not report.ok


def test_a_file_that_is_not_utf8_is_a_read_error(written: Written) -> None:
    written.txt.write_bytes(written.txt.read_bytes().replace(b"Caf\xc3\xa9", b"Caf\xe9"))
    with pytest.raises(briefkit.ReadError, match=r"not UTF-8 text \(invalid byte at offset"):
        written.verify()


def test_reading_is_bounded(written: Written, monkeypatch: pytest.MonkeyPatch) -> None:
    size = written.txt.stat().st_size
    monkeypatch.setattr(briefkit_plaintext, "MAX_TEXT_BYTES", size)
    assert written.verify().problems == ()
    monkeypatch.setattr(briefkit_plaintext, "MAX_TEXT_BYTES", size - 1)
    with pytest.raises(briefkit.ReadError, match="too large"):
        written.verify()


# -- random briefs over hostile sources ---------------------------------------------------------

_POOL = st.tuples(sources("a.txt", max_size=120), sources("sub/b.md", max_size=120))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pool=_POOL, data=st.data())
def test_every_fresh_export_verifies_and_every_visible_edit_is_reported(
    pool: tuple[briefkit.Source, briefkit.Source], data: st.DataObject
) -> None:
    brief = data.draw(briefs(pool), label="brief")
    with tempfile.TemporaryDirectory() as folder:
        written = _write(brief, Path(folder))
        report = written.verify()
        assert report.errors == (), report.problems  # warnings are about the brief's numbers
        assert report.ok, report.summary()
        text = written.txt.read_text("utf-8")
        shown = [i for i, ch in enumerate(text) if not ch.isspace()]
        at = data.draw(st.sampled_from(shown), label="edited character")
        new = data.draw(st.sampled_from(["x", "[", "“", "é", "1", ""]), label="new character")
        if new == text[at] or (new and data.draw(st.booleans(), label="insert")):
            edited = text[:at] + new + text[at:]
        else:
            edited = text[:at] + new + text[at + 1 :]
        checked = PlainTextExporter().check(written.txt, parse(written.manifest.read_bytes()))
        assert checked.problems == ()
        written.txt.write_text(edited, encoding="utf-8", newline="")
        checked = PlainTextExporter().check(written.txt, parse(written.manifest.read_bytes()))
        assert checked.problems, (text[max(0, at - 20) : at + 20], new)


def test_a_link_shown_as_words_is_followed_by_its_address(tmp_path: Path) -> None:
    """A text file cannot hold a link: the address follows the words, and verify holds it to
    the manifest's (an address led elsewhere is reported)."""
    src = briefkit.Source.from_text("a.txt", "The port opened on Tuesday.")
    brief = briefkit.Brief(
        title="Links",
        key_points=[
            briefkit.sentence(
                "It opened (",
                briefkit.link("https://port.example/news", "port notice"),
                ", ",
                briefkit.em("really"),
                ").",
                cite=src.paraphrase("The port opened on Tuesday."),
            )
        ],
    )
    written = _write(brief, tmp_path)
    text = written.txt.read_text("utf-8")
    assert "It opened (port notice <https://port.example/news>, really).[1]" in text
    assert written.verify().ok
    report = written.verify(_edit(text, "port.example/news", "port.example/fake"))
    assert any(p.code == "differs" for p in report.problems), report.problems
