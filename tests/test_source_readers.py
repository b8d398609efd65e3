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


# -- edges the first tests left open -------------------------------------------------------


def _many_pages(count: int) -> Source:
    text = "\f".join(f"p{n}" for n in range(1, count + 1))
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\f"]
    return Source(
        id="m.pdf",
        text=text,
        sha256="0" * 64,
        size=1,
        pages=tuple(Mark(s, f"L{n}") for n, s in enumerate(starts, 1)),
    )


def test_every_page_of_a_long_document_is_found() -> None:
    src = _many_pages(37)
    for n, mark in enumerate(src.pages, 1):
        first = src.position(mark.start, mark.start + 1)
        assert locator_for(src, first) == Locator("page", f"L{n}")
        assert page_index(src.pages, mark.start) == n
        end = src.text.find("\f", mark.start)
        if end > 0:  # the last character before the break is still this page's
            assert locator_for(src, src.position(end - 1, end)) == Locator("page", f"L{n}")
            # a span ending one character into the next page names both
            assert locator_for(src, src.position(end - 1, end + 2)) == Locator(
                "page", f"L{n}", f"L{n + 1}"
            )


def test_a_span_ending_at_a_page_end_stays_on_its_page() -> None:
    src = _paged()
    end = src.text.index("\f", 14)  # the form feed after page "1"
    span = src.position(14, end)  # the whole of page "1", not its form feed
    assert locator_for(src, span) == Locator("page", "1")
    assert locator_for(src, src.position(14, end + 1)) == Locator("page", "1")  # "\f" ends it
    assert locator_for(src, src.position(14, end + 2)) == Locator("page", "1", "2")


def test_paragraph_ranges_and_their_ends() -> None:
    text = "One.\n\nTwo.\n\nThree."
    src = Source(id="p.html", text=text, sha256="0" * 64, size=1, paragraphs=True)
    two = text.index("Two")
    assert locator_for(src, src.position(two, two + 4)) == Locator("paragraph", "2")
    assert locator_for(src, src.position(0, two + 1)) == Locator("paragraph", "1", "2")
    assert locator_for(src, src.position(0, 4)) == Locator("paragraph", "1")


def test_paragraph_starts_are_computed_once_per_text(monkeypatch: pytest.MonkeyPatch) -> None:
    from briefkit import _locators

    calls: list[str] = []
    real = _locators._PARAGRAPH_BREAK

    class Counting:
        def finditer(self, text: str) -> Any:
            calls.append(text)
            return real.finditer(text)

    monkeypatch.setattr(_locators, "_PARAGRAPH_BREAK", Counting())
    monkeypatch.setattr(_locators, "_PARAGRAPHS", {})
    text = "One.\n\nTwo.\n\nThree."
    src = Source(id="p.html", text=text, sha256="0" * 64, size=1, paragraphs=True)
    for _ in range(3):
        assert locator_for(src, src.position(6, 9)) == Locator("paragraph", "2")
    assert len(calls) == 1
    other = attrs_evolve(src, text=text + "\n\nFour.")
    assert locator_for(other, other.position(6, 9)) == Locator("paragraph", "2")
    assert len(calls) == 2
    monkeypatch.setattr(_locators, "_TABLES_MAX", 1)  # a new text pushes the others out
    third = attrs_evolve(src, text="A.\n\nB.")
    assert locator_for(third, third.position(4, 6)) == Locator("paragraph", "2")
    assert len(_locators._PARAGRAPHS) == 1 and len(calls) == 3
    assert locator_for(src, src.position(6, 9)) == Locator("paragraph", "2")
    assert len(calls) == 4  # it was pushed out, so it is computed again


def test_labels_and_marks_at_their_limits() -> None:
    assert Extraction("abc", sections=[Mark(0, "x" * 120)]).sections[0].label == "x" * 120
    with pytest.raises(SourceError, match="at most 120"):
        Extraction("abc", sections=[Mark(0, "x" * 121)])
    for bad in ("\x7f", "\x9f", "\x1f"):
        with pytest.raises(SourceError, match="control characters"):
            Extraction("abc", sections=[Mark(0, f"a{bad}")])
    assert Extraction("abc", sections=[Mark(0, "a\xa0b")]).sections[0].label == "a\xa0b"
    with pytest.raises(SourceError, match="non-empty"):
        Extraction("abc", pages=[Mark(0, "  ")])
    assert Extraction("abc", sections=[Mark(3, "end")]).sections[0].start == 3  # may end it
    with pytest.raises(SourceError, match="out of order"):
        Extraction("abc", sections=[Mark(1, "a"), Mark(1, "b")])
    with pytest.raises(SourceError, match=r"sections must be Mark values, got tuple"):
        Extraction("abc", sections=[(0, "a")])  # type: ignore[list-item]
    with pytest.raises(SourceError, match=r"^pages: mark at -1"):
        Extraction("abc", pages=[Mark(-1, "0")])


def test_markdown_heading_forms() -> None:
    def sections(text: str) -> list[tuple[int, str]]:
        got = readers.reader_named("markdown").read(text.encode(), where="a.md")
        return [(m.start, m.label) for m in got.sections]

    assert sections("Two lines\nof a title\n===\nbody\n") == [(0, "Two lines of a title")]
    assert sections("text\n\n---\n\nmore\n") == []  # a thematic break
    assert sections("---\ntext\n") == []
    assert sections("~~~\n# no\n```\n# still no\n~~~\n# 3. Yes\n") == [(28, "3")]
    assert sections("````\n```\n# no\n````\n# Yes\n") == [(19, "Yes")]
    assert sections("#\n## 2.1 Sub ##\n") == [(2, "2.1")]  # an empty heading names nothing
    assert sections("Title\n-----\n# Title\n") == [(0, "Title"), (12, "Title")]
    assert sections("\ufeff# A\n") == [(0, "A")]  # the BOM is not part of the text


def test_reader_records_describe_themselves() -> None:
    assert readers.ReaderRecord().describe() == "text reader 1"
    assert readers.ReaderRecord("x", "2", {}, "lib 1").describe() == "x reader 2 (lib 1)"
    assert readers.ReaderRecord("x", "2", {"b": 1, "a": True}).describe() == (
        "x reader 2 (a=True, b=1)"  # options sorted by name
    )
    record = readers.ReaderRecord("pdf", "1", {"keep_headers": False}, "lib")
    assert record.to_json() == {
        "name": "pdf",
        "version": "1",
        "options": {"keep_headers": False},
        "library": "lib",
    }
    assert readers.ReaderRecord().to_json() == {"name": "text", "version": "1"}


def test_available_lists_what_each_reader_is(monkeypatch: pytest.MonkeyPatch) -> None:
    from briefkit.readers.pdf import PdfReader

    monkeypatch.setattr(readers, "_registry", readers._Registry())
    readers.register(_Upper)
    rows = {r.name: r for r in readers.available()}
    assert rows["pdf"] == readers.ReaderInfo(
        "pdf", (".pdf",), PdfReader.description, "1", PdfReader().library(), "built-in"
    )
    assert rows["upper"] == readers.ReaderInfo("upper", (".up",), "", "3", None, "registered")
    assert rows["text"].library is None and rows["text"].error is None
    assert repr(readers.reader_named("upper")) == "_Upper(shout=True)"


def test_markdown_underlines_need_a_paragraph() -> None:
    def sections(text: str) -> list[tuple[int, str]]:
        got = readers.reader_named("markdown").read(text.encode(), where="a.md")
        return [(m.start, m.label) for m in got.sections]

    assert sections("# A\n===\n") == [(0, "A")]  # after a heading, no paragraph to underline
    assert sections("---\n===\n") == []  # two breaks, no heading
    assert sections("```\n```\n---\n") == []  # after a fence, no paragraph either


def test_the_markdown_reader_keeps_the_text_readers_rules() -> None:
    src = Source.from_bytes("a.md", b"\xef\xbb\xbf# Title\n\ntext\n")
    assert src.bom and src.reader.name == "markdown"
    with pytest.raises(bk.DecodeError, match=r"^notes\.md: not valid UTF-8 at byte offset 2"):
        Source.from_bytes("notes.md", b"# \xff\n")


def test_long_heading_labels_are_cut_at_a_word() -> None:
    assert heading_label("x" * 60) == "x" * 60
    assert heading_label("x" * 58 + " yyyy") == "x" * 58 + "…"
