"""Source readers as the rest of briefkit sees them: the registry, the location map, the
corpus of files as users have them, the manifest's record and verify's re-reading."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, ClassVar

import pytest

import briefkit as bk
from briefkit import mdbrief, readers
from briefkit._locators import locator_for, page_index
from briefkit._text import fold
from briefkit._typography import reflow
from briefkit.errors import SourceError, UnsafeIdError
from briefkit.formats.html.reader import passage_link
from briefkit.manifest import parse
from briefkit.notes import Locator
from briefkit.readers import Extraction, Mark, SourceReader, UnreadableSourceError
from briefkit.readers._common import heading_label
from briefkit.sources import Corpus, Source, check_path, id_for_path
from make_html import make_html
from make_pdf import make_pdf

# -- the registry ------------------------------------------------------------------------


def test_built_in_readers_claim_their_suffixes() -> None:
    assert {"text", "markdown", "pdf", "html", "docx"} <= set(readers.names())
    found = {s: readers.reader_for(f"x{s}") for s in (".txt", ".MD", ".pdf", ".htm", ".docx")}
    assert {s: r.name if r else None for s, r in found.items()} == {
        ".txt": "text",
        ".MD": "markdown",
        ".pdf": "pdf",
        ".htm": "html",
        ".docx": "docx",
    }
    assert readers.reader_for("photo.png") is None
    assert ".pdf" in readers.claims()


def test_unknown_reader_name_lists_the_installed_ones() -> None:
    with pytest.raises(SourceError, match=r"no source reader named 'epub'.*docx, html"):
        readers.reader_named("epub")


class _Upper(SourceReader):
    """A plug-in reader: upper-cased text, a section at offsets 0 and 6."""

    name: ClassVar[str] = "upper"
    version: ClassVar[str] = "3"
    suffixes: ClassVar[tuple[str, ...]] = (".up",)

    def __init__(self, *, shout: bool = True) -> None:
        self.shout = shout

    def options(self) -> dict[str, Any]:
        return {"shout": self.shout}

    def read(self, data: bytes, *, where: str) -> Extraction:
        text = data.decode("ascii")
        return Extraction(
            text.upper() if self.shout else text, sections=[Mark(0, "A"), Mark(6, "B")]
        )


def test_a_registered_reader_is_used_by_suffix_and_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "_registry", readers._Registry())
    readers.register(_Upper)
    with pytest.raises(SourceError, match="already registered"):
        readers.register(_Upper)
    (tmp_path / "a.up").write_bytes(b"quiet words here")
    corpus = Corpus.from_dir(tmp_path)
    src = corpus["a.up"]
    assert src.text == "QUIET WORDS HERE"
    assert src.reader == readers.ReaderRecord("upper", "3", {"shout": True})
    quiet = readers.reader_named("upper", {"shout": False})
    assert quiet.read(b"abcdefg", where="x").text == "abcdefg"
    with pytest.raises(SourceError, match="bad options"):
        readers.reader_named("upper", {"loud": 1})
    assert locator_for(src, src.position(6, 11)) == Locator("section", "B")


def test_a_plug_in_that_is_not_a_reader_is_refused() -> None:
    class NotOne:
        name = "Bad Name"

    with pytest.raises(SourceError, match="not a source reader"):
        readers.register(NotOne)


# -- extractions and locators ------------------------------------------------------------


def test_marks_must_grow_and_stay_in_the_text() -> None:
    with pytest.raises(SourceError, match="out of order"):
        Extraction("abcdef", sections=[Mark(3, "b"), Mark(2, "a")])
    with pytest.raises(SourceError, match="out of order or outside"):
        Extraction("abc", sections=[Mark(9, "z")])
    with pytest.raises(SourceError, match="first page must start at offset 0"):
        Extraction("abc", pages=[Mark(1, "1")])
    with pytest.raises(SourceError, match="control characters"):
        Extraction("abc", sections=[Mark(0, "a\nb")])


def _paged() -> Source:
    text = "Front matter.\fChapter one text.\fMore text here."
    return Source(
        id="r.pdf",
        text=text,
        sha256="0" * 64,
        size=1,
        pages=(Mark(0, "i"), Mark(14, "1"), Mark(32, "2")),
    )


def test_page_locators_use_labels_and_ranges() -> None:
    src = _paged()
    at = src.text.index("Chapter")
    assert locator_for(src, src.position(at, at + 7)) == Locator("page", "1")
    assert locator_for(src, src.position(0, 5)) == Locator("page", "i")
    over = src.text.index("text.")
    assert locator_for(src, src.position(over, len(src.text))) == Locator("page", "1", "2")
    assert page_index(src.pages, at) == 2  # the physical page, not the label
    assert page_index((), at) is None


def test_sections_then_paragraphs_then_lines() -> None:
    text = "Intro one.\n\nIntro two.\n\nCosts\n\nThe costs rose.\n\nOther"
    costs = text.index("Costs")
    src = Source(
        id="p.html",
        text=text,
        sha256="0" * 64,
        size=1,
        sections=(Mark(costs, "Costs"), Mark(text.index("Other"), "Other")),
        paragraphs=True,
    )
    rose = text.index("costs rose")
    assert locator_for(src, src.position(rose, rose + 10)) == Locator("section", "Costs")
    two = text.index("two")
    assert locator_for(src, src.position(two, two + 3)) == Locator("paragraph", "2")
    assert locator_for(src, src.position(0, two + 3)) == Locator("paragraph", "1", "2")
    plain = attrs_evolve(src, sections=(), paragraphs=False)
    assert locator_for(plain, plain.position(two, two + 3)).label == "line"


def attrs_evolve(src: Source, **changes: Any) -> Source:
    import attrs

    return attrs.evolve(src, **changes)


@pytest.mark.parametrize(
    ("heading", "label"),
    [
        ("3.2 Costs", "3.2"),
        ("1. Scope", "1"),
        ("§ 4 Fees", "4"),
        ("Section 12", "12"),
        ("IV. Costs", "IV"),
        ("B) Annex", "B"),
        ("3 ways to save", "3 ways to save"),
        ("A new dawn", "A new dawn"),
        ("2016 budget", "2016 budget"),
        ("  Host-nation\n support ", "Host-nation support"),
        ("x" * 70, "x" * 59 + "…"),
        ("", None),
    ],
)
def test_heading_labels(heading: str, label: str | None) -> None:
    assert heading_label(heading) == label


def test_a_list_number_given_wins() -> None:
    assert heading_label("Scope", "2.1.") == "2.1"


def test_markdown_headings_are_sections_outside_code() -> None:
    data = (
        b"Intro\n\n# 1. One\ntext\n\nTwo\n===\nmore\n```\n# not a heading\n```\n## 2.1 Sub\nend\n"
    )
    got = readers.reader_named("markdown").read(data, where="a.md")
    assert got.text == data.decode()
    assert [(got.text[m.start : m.start + 3], m.label) for m in got.sections] == [
        ("# 1", "1"),
        ("Two", "Two"),
        ("## ", "2.1"),
    ]
    src = Source.from_bytes("a.md", data)
    intro = src.position(0, 5)
    assert locator_for(src, intro) == Locator("line", "1")  # before the first heading
    end = src.text.index("end")
    assert locator_for(src, src.position(end, end + 3)) == Locator("section", "2.1")


# -- hyphenation at a printed line's end ---------------------------------------------------


def test_a_soft_hyphen_at_a_line_end_folds_and_reflows_away() -> None:
    assert fold("hyphen\u00ad\nated") == fold("hyphenated")
    assert fold("hyphen\u00ad \n  ated") == "hyphenated"
    assert fold("a\u00adb") == "a\u00adb"  # not at a line end: kept
    assert fold("x\u00ad y") == "x\u00ad y"
    assert reflow("hyphen\u00ad\nated and") == "hyphenated and"
    assert reflow("keep\u00adit") == "keep\u00adit"
    src = Source.from_text("a.txt", "The deal was hyphen\u00ad\nated and signed.")
    span = src.find("hyphenated and", normalize=True)
    assert src.text[span.start : span.end] == "hyphen\u00ad\nated and"
    with pytest.raises(bk.TextNotFoundError):
        src.find("hyphenated")  # exact search stays exact


def test_passage_links() -> None:
    assert passage_link("https://x.org/r.pdf#toc", "w", 12) == "https://x.org/r.pdf#page=12"
    assert passage_link("https://x.org/p", "two words", None) == (
        "https://x.org/p#:~:text=two%20words"
    )


# -- folders as users have them ------------------------------------------------------------


def test_odd_file_names_get_usable_ids(tmp_path: Path) -> None:
    (tmp_path / "Annual Report (2016).txt").write_text("Costs rose.", encoding="utf-8")
    (tmp_path / "Études").mkdir()
    (tmp_path / "Études" / "note é.md").write_text("# 1. A\nWords.", encoding="utf-8")
    (tmp_path / "plain.txt").write_text("Plain.", encoding="utf-8")
    corpus = Corpus.from_dir(tmp_path)
    assert list(corpus) == ["Annual_Report_2016.txt", "Etudes/note_e.md", "plain.txt"]
    src = corpus["Annual_Report_2016.txt"]
    assert src.text == "Costs rose."
    assert src.path == "Annual Report (2016).txt"
    assert corpus["plain.txt"].path is None
    assert corpus.path_of("Etudes/note_e.md") == "Études/note é.md"
    assert corpus["Etudes/note_e.md"].reader.name == "markdown"


def test_two_names_that_would_share_an_id_are_named(tmp_path: Path) -> None:
    (tmp_path / "a b.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a_b.txt").write_text("y", encoding="utf-8")
    with pytest.raises(SourceError, match=r"'a b.txt' and 'a_b.txt' would both have the id"):
        Corpus.from_dir(tmp_path)


def test_files_no_reader_claims_are_listed_not_dropped(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "chart.png").write_bytes(b"\x89PNG")
    (tmp_path / "data.xlsx").write_bytes(b"PK")
    corpus = Corpus.from_dir(tmp_path)
    assert list(corpus) == ["a.txt"]
    assert corpus.unclaimed == ("chart.png", "data.xlsx")
    assert list(Corpus.from_dir(tmp_path, suffixes=[".txt"]).unclaimed) == []


def test_a_file_that_cannot_be_read_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("x", encoding="utf-8")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7 not really")
    corpus = Corpus.from_dir(tmp_path)
    assert "broken.pdf" in corpus
    with pytest.raises(UnreadableSourceError, match="broken.pdf"):
        corpus.load()


def test_a_pdf_named_txt_says_what_it_is(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_bytes(b"%PDF-1.7\n\xe2\x28\xa1")
    with pytest.raises(bk.DecodeError, match=r"it is a PDF: name it with the \.pdf suffix"):
        Corpus.from_dir(tmp_path)["r.txt"]
    (tmp_path / "u.txt").write_bytes("hi".encode("utf-16"))
    with pytest.raises(bk.DecodeError, match="UTF-16 byte order mark"):
        Corpus.from_dir(tmp_path)["u.txt"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    corpus = Corpus.from_dir(tmp_path)
    with pytest.raises(SourceError, match="not a regular file"):
        corpus["pipe.txt"]


def test_a_symlink_loop_is_walked_once(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path / "sub", target_is_directory=True)
    assert list(Corpus.from_dir(tmp_path)) == ["sub/a.txt"]


def test_paths_are_checked() -> None:
    for bad in ("/etc/passwd", "../x", "a//b", "a/./b", "C:x", "a\\b", "a\x1bb"):
        with pytest.raises(UnsafeIdError):
            check_path(bad)
    assert check_path("Études/a b.pdf") == "Études/a b.pdf"
    assert id_for_path("-x.txt") == "_-x.txt"
    assert id_for_path("ok/plain.txt") == "ok/plain.txt"


# -- the manifest and verify -----------------------------------------------------------------


def _brief(corpus: Corpus, sid: str, words: str) -> bk.Brief:
    return bk.Brief(
        title="T",
        key_points=[bk.sentence(corpus[sid].quote(words), ".")],
    )


def _folder(tmp_path: Path) -> Path:
    root = tmp_path / "src"
    root.mkdir()
    (root / "My Notes.md").write_text(
        "Intro.\n\n## 2. Costs\n\nThe costs rose sharply in 2016.\n\n## 3. Outlook\n\nUnclear.\n",
        encoding="utf-8",
    )
    return root


def test_the_manifest_records_reader_text_hash_map_and_path(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    corpus = Corpus.from_dir(root)
    out = bk.export(_brief(corpus, "My_Notes.md", "The costs rose sharply"), tmp_path / "b.json")
    record = json.loads(out.read_text(encoding="utf-8"))["sources"][0]
    assert record["reader"] == {"name": "markdown", "version": "1"}
    assert record["path"] == "My Notes.md"
    assert record["text_sha256"] == corpus["My_Notes.md"].text_sha256
    assert record["locations"]["sections"] == [[8, "2"], [54, "3"]]
    cit = json.loads(out.read_text(encoding="utf-8"))["sentences"][0]["citations"][0]
    assert cit["locator"] == {"label": "section", "first": "2", "last": None}
    manifest = parse(out.read_bytes())
    assert manifest.sources[0].sections == (Mark(8, "2"), Mark(54, "3"))
    assert bk.verify(out, sources=root).ok


def _written(tmp_path: Path) -> tuple[Path, Path]:
    """The sources folder of :func:`_folder` and the manifest of a brief quoting it."""
    root = _folder(tmp_path)
    brief = _brief(Corpus.from_dir(root), "My_Notes.md", "The costs rose sharply")
    return root, bk.export(brief, tmp_path / "b.json")


def _edited_manifest(path: Path, edit: Any) -> Path:
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data["sources"][0])
    out = path.with_name("edited.json")
    out.write_text(json.dumps(data), encoding="utf-8")
    return out


def test_other_text_from_the_same_file_is_reported(tmp_path: Path) -> None:
    root, out = _written(tmp_path)
    edited = _edited_manifest(out, lambda s: s.update(text_sha256="f" * 64))
    report = bk.verify(edited, sources=root)
    assert not report.ok
    assert report.sources[0].status == "modified"
    assert "reads other text from it" in report.sources[0].detail


def test_another_map_is_reported(tmp_path: Path) -> None:
    root, out = _written(tmp_path)
    edited = _edited_manifest(out, lambda s: s["locations"].update(sections=[[8, "3"]]))
    report = bk.verify(edited, sources=root)
    assert report.sources[0].status == "modified"
    assert "other pages or sections" in report.sources[0].detail


def test_a_reader_that_does_not_claim_the_file_is_refused(tmp_path: Path) -> None:
    root, out = _written(tmp_path)
    edited = _edited_manifest(out, lambda s: s["reader"].update(name="text"))
    report = bk.verify(edited, sources=root)
    assert report.sources[0].status == "missing"
    assert "are read by the 'markdown' reader" in report.sources[0].detail
    assert report.citations[0].status == "missing"


def test_a_reader_not_installed_makes_the_source_missing(tmp_path: Path) -> None:
    root = tmp_path / "src"
    root.mkdir()
    (root / "notes.up").write_bytes(b"quiet words here")
    src = Source.from_bytes("notes.up", b"quiet words here", reader=_Upper())
    brief = bk.Brief(title="T", key_points=[bk.sentence(src.quote("QUIET WORDS"), ".")])
    out = bk.export(brief, tmp_path / "b.json")
    report = bk.verify(out, sources=root)
    assert report.sources[0].status == "missing"
    assert "no source reader named 'upper' is installed" in report.sources[0].detail


def test_a_path_must_give_the_id(tmp_path: Path) -> None:
    root, out = _written(tmp_path)
    (root / "other.md").write_text("The costs rose sharply elsewhere.", encoding="utf-8")
    edited = _edited_manifest(out, lambda s: s.update(path="other.md"))
    report = bk.verify(edited, sources=root)
    assert report.sources[0].status == "missing"
    assert "whose id is 'other.md', not 'My_Notes.md'" in report.sources[0].detail


def test_a_version_3_manifest_needs_the_reader_records(tmp_path: Path) -> None:
    root, out = _written(tmp_path)
    for key in ("reader", "text_sha256", "locations"):
        edited = _edited_manifest(out, lambda s, key=key: s.pop(key))
        with pytest.raises(bk.ManifestError, match=rf"sources\[0\]\.{key} is missing"):
            bk.verify(edited, sources=root)


def test_a_recorded_path_cannot_leave_the_folder(tmp_path: Path) -> None:
    root, out = _written(tmp_path)
    (tmp_path / "secret.md").write_text("x", encoding="utf-8")
    edited = _edited_manifest(out, lambda s: s.update(path="../secret.md"))
    report = bk.verify(edited, sources=root)
    assert report.sources[0].status == "missing"
    assert "'..' segment" in report.sources[0].detail


def test_a_version_2_manifest_reads_its_sources_as_text(tmp_path: Path) -> None:
    root = tmp_path / "src"
    root.mkdir()
    (root / "a.txt").write_text("The costs rose sharply.", encoding="utf-8")
    out = bk.export(_brief(Corpus.from_dir(root), "a.txt", "costs rose"), tmp_path / "b.json")
    data = json.loads(out.read_text(encoding="utf-8"))
    data["version"] = 2
    for key in ("reader", "text_sha256", "locations"):
        del data["sources"][0][key]
    old = tmp_path / "v2.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    assert bk.verify(old, sources=root).ok


def test_find_prints_the_section(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from briefkit.cli import main

    root = _folder(tmp_path)
    assert main(["find", str(root / "My Notes.md"), "costs rose"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("My_Notes.md: section 2, chars")
    assert '[@My_Notes.md "costs rose"]' in out
    assert main(["find", "--json", str(root / "My Notes.md"), "costs rose"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["locator"] == {"label": "section", "first": "2", "last": None}
    assert record["reader"]["name"] == "markdown"


def test_a_lone_heading_titles_the_document() -> None:
    text = "Menu\n\nThe Title\n\nFirst paragraph.\n\nSecond paragraph."
    src = Source(
        id="t.docx",
        text=text,
        sha256="0" * 64,
        size=1,
        sections=(Mark(6, "The Title"),),
        paragraphs=True,
    )
    at = text.index("Second")
    assert locator_for(src, src.position(at, at + 6)) == Locator("paragraph", "4")
    two = attrs_evolve(src, sections=(Mark(6, "The Title"), Mark(text.index("Second"), "2")))
    assert locator_for(two, two.position(at, at + 6)) == Locator("section", "2")
    assert locator_for(two, two.position(6, 9)) == Locator("section", "The Title")
    assert locator_for(two, two.position(0, 4)) == Locator("paragraph", "1")


# -- reader options in a Markdown brief, the readers command, entry points ------------------


def _html_folder(tmp_path: Path) -> Path:
    root = tmp_path / "src"
    root.mkdir()
    (root / "page.html").write_bytes(
        make_html([("Costs", ["Costs rose by a third."]), ("Outlook", ["Unclear."])])
    )
    return root


def test_front_matter_gives_a_reader_its_options(tmp_path: Path) -> None:
    root = _html_folder(tmp_path)
    brief = tmp_path / "b.md"
    text = (
        "---\ntitle: T\nsources:\n  root: src\n  page: page.html\n{readers}---\n\n"
        '- Costs rose. [@page "Costs rose by a third"]\n'
    )
    brief.write_text(text.format(readers="readers:\n  html: {main: true}\n"), encoding="utf-8")
    loaded = mdbrief.load(brief)
    src = loaded.corpus["page.html"]
    assert src.reader.options == {"main": True}
    assert src.text.startswith("Costs\n\nCosts rose")  # the navigation is not main content
    out = bk.export(loaded.brief, tmp_path / "b.json")
    assert bk.verify(out, sources=root).ok  # verify makes the reader with the same options
    brief.write_text(text.format(readers=""), encoding="utf-8")
    assert mdbrief.load(brief).corpus["page.html"].text.startswith("Home")  # nav included
    brief.write_text(text.format(readers="readers:\n  epub: {}\n"), encoding="utf-8")
    with pytest.raises(bk.BriefSyntaxError, match="readers: no source reader named 'epub'"):
        mdbrief.load(brief)
    brief.write_text(text.format(readers="readers:\n  html: {mian: true}\n"), encoding="utf-8")
    with pytest.raises(bk.BriefSyntaxError, match="readers: source reader 'html': bad options"):
        mdbrief.load(brief)


def test_the_readers_command_lists_each_reader(capsys: pytest.CaptureFixture[str]) -> None:
    from briefkit.cli import main

    assert main(["readers"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["docx", "html", "markdown", "pdf", "text"]
    assert "pypdfium2" in next(line for line in lines if line.startswith("pdf"))
    assert main(["readers", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["name"]: r["suffixes"] for r in rows}["html"] == [".html", ".htm", ".xhtml"]


def test_plug_ins_come_through_entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib import metadata

    class _Broken:
        name = "broken"

        def load(self) -> Any:
            raise ImportError("no module named broken_reader")

    class _Good:
        name = "upper"

        def load(self) -> Any:
            return _Upper

    def entry_points(*, group: str) -> list[Any]:
        assert group == "briefkit.sources"
        return [_Broken(), _Good()]

    registry = readers._Registry()
    monkeypatch.setattr(metadata, "entry_points", entry_points)
    monkeypatch.setattr(readers, "_registry", registry)
    assert "upper" in readers.names() and "broken" not in readers.names()
    assert readers.reader_for("x.up") is not None
    with pytest.raises(SourceError, match="the plug-in failed to load: no module named"):
        readers.reader_named("broken")
    rows = {r.name: r for r in readers.available()}
    assert rows["broken"].error is not None and rows["upper"].error is None


def test_find_prints_the_page_of_a_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from briefkit.cli import main

    pdf = tmp_path / "Annual report.pdf"
    pdf.write_bytes(make_pdf([["Cover."], ["Spending rose by a third in 2016."]]))
    assert main(["find", str(pdf), "rose by a third"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Annual_report.pdf: page 2, chars")
    assert '[@Annual_report.pdf "rose by a third"]' in out


def test_names_in_other_scripts_get_distinct_ids(tmp_path: Path) -> None:
    (tmp_path / "Отчёт.txt").write_text("a", encoding="utf-8")
    (tmp_path / "Доклад.txt").write_text("b", encoding="utf-8")
    (tmp_path / "報告.md").write_text("c", encoding="utf-8")
    corpus = Corpus.from_dir(tmp_path)
    assert len(corpus) == 3
    assert all(sid.startswith("name-") for sid in corpus)
    assert {corpus[sid].text for sid in corpus} == {"a", "b", "c"}
    assert id_for_path("Отчёт.txt") == id_for_path("Отчёт.txt")  # stable


def test_a_folder_linked_out_of_the_root_is_listed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.txt").write_text("x", encoding="utf-8")
    root = tmp_path / "root"
    root.mkdir()
    (root / "a.txt").write_text("a", encoding="utf-8")
    (root / "elsewhere").symlink_to(outside, target_is_directory=True)
    corpus = Corpus.from_dir(root)
    assert list(corpus) == ["a.txt"]
    assert corpus.unclaimed == ("elsewhere/",)
