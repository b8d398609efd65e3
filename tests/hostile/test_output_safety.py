"""Hostile text in sources, catalogs and briefs must not reach a terminal, a page or a Markdown
renderer as anything but text: escape sequences in the command's output, DEL and C1 controls
in HTML, direction overrides that run on into the library's words, and Markdown that a
renderer turns into live links or images."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest

import briefkit as bk
from briefkit._typography import isolate, needs_isolation
from briefkit.cli import main
from briefkit.mdbrief import load
from briefkit.mdbrief.writer import quoted

# -- the hostile corpus ------------------------------------------------------------------------

OSC = "\x1b]0;pwned\x07"
CSI = "\x1b[31m"
C1 = "\x9b"
DEL = "\x7f"
RLO, PDF, LRI, RLI, FSI, PDI = "\u202e", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069"

SOURCE = (
    "Intro line.\n"
    f"The minister said {OSC} and {CSI}red\x1b[0m here.\n"
    f"C1 {C1}31m and DEL {DEL} here.\n"
    f"Bidi {RLO}evil{PDF} and {LRI}iso{PDI} there.\n"
    f"Unclosed {RLO}override runs on.\n"
    "Links <https://evil.example> and [x](javascript:alert(1)) and "
    "![img](http://tracker.example/p.png) here.\n"
    "Bare www.evil.com and https://evil.com/path and //evil.org/x and mail@evil.net here.\n"
    "Raw <img src=x onerror=alert(1)> and <script>alert(2)</script> here.\n"
    "Foot [^1] and [@cite] and @key and <!-- hidden --> here.\n"
)

#: the quotations the brief makes (each a unique span of SOURCE)
QUOTES = {
    "osc": f"{OSC} and {CSI}red\x1b[0m",
    "c1": f"{C1}31m and DEL {DEL}",
    "closed": f"Bidi {RLO}evil{PDF} and",
    "unclosed": f"Unclosed {RLO}override",
    "links": "<https://evil.example> and [x](javascript:alert(1)) and "
    "![img](http://tracker.example/p.png)",
    "bare": "www.evil.com and https://evil.com/path and //evil.org/x and mail@evil.net",
    "html": "<img src=x onerror=alert(1)> and <script>alert(2)</script>",
    "syntax": "[^1] and [@cite] and @key and <!-- hidden -->",
}
CATALOG = {
    "hostile.txt": {
        "type": "article-newspaper",
        "title": f"Title {RLO}evil {CSI} <https://evil.example> www.evil.com",
        "container-title": f"Paper {RLI}rtl",
        "author": [f"Eve {RLO}Mallory"],
        "issued": "2020-01-02",
        "URL": "https://example.com/a",
    }
}
#: every raw character that must not reach a terminal
TERMINAL_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _corpus(root: Path, *, keys: tuple[str, ...] = tuple(QUOTES), title: str = "T") -> Path:
    """A sources folder with the hostile source and its catalog, and a brief quoting
    ``keys``; returns the brief."""
    src = root / "src"
    src.mkdir(parents=True, exist_ok=True)
    (src / "hostile.txt").write_text(SOURCE, encoding="utf-8")
    (src / "catalog.json").write_text(json.dumps(CATALOG), encoding="utf-8")
    items = [f"- Item {k} {{@h {quoted(QUOTES[k])}}}. []" for k in keys]
    items.append('- Last [@h "Intro line."].')
    front = f"---\ntitle: {json.dumps(title)}\nsources:\n  root: src\n  h: hostile.txt\n---\n\n"
    brief = root / "brief.md"
    brief.write_text(front + "\n".join(items) + "\n", encoding="utf-8")
    return brief


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _assert_terminal_safe(*streams: str) -> None:
    for text in streams:
        found = TERMINAL_UNSAFE.findall(text)
        assert not found, f"raw {[f'U+{ord(c):04X}' for c in found]} in {text!r}"


# -- 1. the terminal ---------------------------------------------------------------------------


class TestTerminalOutput:
    def test_find_prints_context_and_cite_line_escaped(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        _corpus(tmp_path)
        source = str(tmp_path / "src" / "hostile.txt")
        status, out, err = _run(capsys, "find", source, "minister said", "--context", "200")
        assert status == 0
        _assert_terminal_safe(out, err)
        assert "\\x1b]0;pwned\\x07" in out and "\\x9b" in out and "\\u202e" in out

    def test_the_cite_as_line_is_still_a_citation(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        _corpus(tmp_path)
        source = str(tmp_path / "src" / "hostile.txt")
        status, out, err = _run(capsys, "find", source, QUOTES["unclosed"])
        assert status == 0
        _assert_terminal_safe(out, err)
        cite = next(line for line in out.splitlines() if "cite as:" in line)
        assert '"Unclosed \\u{202E}override"' in cite

    def test_find_ambiguous_and_not_found(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        _corpus(tmp_path)
        source = str(tmp_path / "src" / "hostile.txt")
        status, out, err = _run(capsys, "find", source, "here")
        assert status == 1
        _assert_terminal_safe(out, err)
        status, out, err = _run(capsys, "find", source, f"{RLO}override runs of{C1}")
        assert status == 1
        _assert_terminal_safe(out, err)

    @pytest.mark.parametrize("needle", ["minister said", "here", "nowhere at all"])
    def test_find_json_escapes_del_c1_and_direction_controls(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, needle: str
    ) -> None:
        _corpus(tmp_path)
        source = str(tmp_path / "src" / "hostile.txt")
        _status, out, err = _run(capsys, "find", source, needle, "--json")
        _assert_terminal_safe(out, err)
        json.loads(out)  # still JSON

    def test_find_json_keeps_the_exact_text(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        _corpus(tmp_path)
        source = str(tmp_path / "src" / "hostile.txt")
        status, out, _ = _run(capsys, "find", source, QUOTES["c1"], "--json")
        assert status == 0
        assert json.loads(out)["exact"] == QUOTES["c1"]
        assert "\\u009b" in out and "\\u007f" in out

    def test_build_progress_and_errors_are_escaped(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        brief = _corpus(tmp_path / f"dir{OSC}{RLO}")
        status, out, err = _run(capsys, "build", str(brief), "-o", str(tmp_path / "out"))
        assert status == 0, err
        _assert_terminal_safe(out, err)
        # a quotation that is not in the source: the error quotes it
        brief.write_text(
            brief.read_text(encoding="utf-8").replace("Intro line.", f"Intro {OSC}{C1}{RLO}"),
            encoding="utf-8",
        )
        status, out, err = _run(capsys, "build", str(brief), "-o", str(tmp_path / "out"))
        assert status == 2
        _assert_terminal_safe(out, err)
        assert "briefkit: error:" in err

    def test_verify_report_and_json_are_escaped(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        brief = _corpus(tmp_path)
        out_dir = tmp_path / "out"
        status, out, err = _run(capsys, "build", str(brief), "-o", str(out_dir), "-f", "json,md")
        assert status == 0, err
        source = tmp_path / "src" / "hostile.txt"
        # the source changes under the brief: the report shows old and new words
        changed = SOURCE.replace("Intro line.", f"Intro {OSC}{C1}{RLO}").replace(
            f"{RLO}override", f"{RLO}overrode"
        )
        source.write_text(changed, encoding="utf-8")
        files = [str(out_dir / "brief.json"), str(out_dir / "brief.md")]
        status, out, err = _run(capsys, "verify", *files, "-s", str(tmp_path / "src"))
        assert status == 1
        _assert_terminal_safe(out, err)
        status, out, err = _run(capsys, "verify", *files, "-s", str(tmp_path / "src"), "--json")
        assert status == 1
        _assert_terminal_safe(out, err)
        assert json.loads(out)[0]["ok"] is False

    def test_errors_quoting_a_manifest_are_escaped(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        bad = tmp_path / f"bad{OSC}.json"
        bad.write_text(json.dumps({"schema": f"x{OSC}{C1}{DEL}{RLO}"}), encoding="utf-8")
        status, out, err = _run(capsys, "verify", str(bad), "-s", str(tmp_path))
        assert status == 2
        _assert_terminal_safe(out, err)


# -- 2. DEL and C1 in HTML ---------------------------------------------------------------------


class TestHtmlControls:
    def test_no_raw_del_or_c1_in_the_page(self, tmp_path: Path) -> None:
        brief = _corpus(tmp_path, keys=("c1", "osc"), title=f"Title {C1}{DEL}\x85end")
        plan = bk.NotePlan.build(load(brief).brief)
        page = bk.export(plan, tmp_path / "b.html").read_text(encoding="utf-8")
        assert not re.search("[\x7f-\x9f]", page)
        assert "\u2421" in page and "\ufffd31m and DEL \u2421" in page  # one for one

    def test_other_text_is_written_as_before(self, tmp_path: Path) -> None:
        from briefkit.formats.html.writer import text

        assert text("plain é — “text” <b>") == "plain é — “text” &lt;b&gt;"
        assert text(f"a{DEL}b{C1}c\x85d") == "a\u2421b\ufffdc<br>d"

    def test_verify_accepts_the_page(self, tmp_path: Path) -> None:
        brief = _corpus(tmp_path, keys=("c1",))
        loaded = load(brief)
        target = bk.export(bk.NotePlan.build(loaded.brief), tmp_path / "b.html")
        assert bk.verify(target, sources=tmp_path / "src").ok


# -- 3. direction isolation --------------------------------------------------------------------


def _still_open(text: str) -> list[str]:
    """What is open after ``text`` (UAX #9 X1–X8, no overflow), innermost last."""
    stack: list[str] = []
    for ch in text:
        if ch in "\u202a\u202b\u202d\u202e":
            stack.append("E")
        elif ch in "\u2066\u2067\u2068":
            stack.append("I")
        elif ch == PDF and stack and stack[-1] == "E":
            stack.pop()
        elif ch == PDI and "I" in stack:
            while stack.pop() != "I":
                pass
    return stack


class TestIsolate:
    @pytest.mark.parametrize(
        "text",
        [
            "",
            "plain",
            "é “quoted” — 3.5",
            "\u200d joiner",
            "日本語",
            "x\ufeffy",
            # right-to-left letters alone are left as they are (RTL briefs keep their text)
            "\u0645\u0631\u062d\u0628\u0627",
            "\u05e9\u05dc\u05d5\u05dd 12",
        ],
    )
    def test_text_without_bidi_is_unchanged(self, text: str) -> None:
        assert not needs_isolation(text)
        assert isolate(text) is text

    @pytest.mark.parametrize(
        "text",
        [
            f"a{RLO}b",
            f"a{RLO}b{PDF}",
            f"{LRI}x",
            f"x{PDI}y{RLO}z",
            f"{PDI}{PDI}{RLO}{RLO}{RLI}",
            f"\u05e9\u05dc\u05d5\u05dd {RLI}12",
            f"{FSI}a{RLO}{PDF}{PDI}",
        ],
    )
    def test_bidi_text_is_closed_and_wrapped(self, text: str) -> None:
        done = isolate(text)
        assert needs_isolation(text)
        assert text in done
        assert not _still_open(done)
        # nothing of the piece reaches the words after it
        assert not _still_open(done + "chars 1–2")
        assert isolate(done) == done  # idempotent
        extra = done.replace(text, "", 1)
        assert set(extra) <= {FSI, PDI, PDF}

    def test_a_stray_pdi_cannot_end_the_isolate_early(self) -> None:
        done = isolate(f"a{PDI}{RLO}b")
        # the stray PDI closes an FSI of its own, the outer one stays open until the end
        stack: list[str] = []
        for k in range(len(done)):
            stack = _still_open(done[: k + 1])
            if k < len(done) - 1:
                assert stack, done[: k + 1]
        assert not stack


def _written_and_verified(target: Path, root: Path) -> str:
    """The text of a file written from a brief over ``root / "src"`` (markup left out, a
    PDF's pages as read back), after checking that it verifies."""
    report = bk.verify(target, sources=root / "src")
    assert report.ok, report.summary()
    if target.suffix == ".pdf":
        from briefkit.formats.pdf.reader import read_pdf

        return "\n".join(page.text for page in read_pdf(target).pages)
    if target.suffix == ".docx":
        with zipfile.ZipFile(target) as z:
            return re.sub("<[^>]*>", "", z.read("word/document.xml").decode("utf-8"))
    written = target.read_text(encoding="utf-8")
    if target.suffix == ".json":
        return json.dumps(json.loads(written), ensure_ascii=False)
    return written if target.suffix == ".md" else re.sub("<[^>]*>", "", written)


class TestBidiWhereMetadataMeetsTheBriefsOwnWords:
    """The author before the date, a heading before its page number in the contents, a
    source's title and venue before the words of the sources appendix: each is isolated."""

    @pytest.fixture
    def brief(self, tmp_path: Path) -> bk.Brief:
        src = tmp_path / "src"
        src.mkdir()
        (src / "a.txt").write_text("The alliance is strong. Troops number 47,000.")
        catalog = {
            "a.txt": {
                "title": f"Ti{RLO}tle",
                "container-title": f"Ve{RLO}nue",
                "issued": "2016-12-05",
            }
        }
        (src / "catalog.json").write_text(json.dumps(catalog), encoding="utf-8")
        a = bk.Corpus.from_dir(src)["a.txt"]
        section = bk.Section(
            f"He{RLO}ad", [bk.Paragraph([bk.sentence("Troops ", a.quote("47,000"), ".")])]
        )
        return bk.Brief(
            title="T",
            author=f"Au{RLO}thor",
            date="2026-12-06",
            key_points=[bk.sentence(a.quote("The alliance is strong"), ".")],
            sections=[section],
            contents=True,
            sources_appendix=True,
        )

    def test_the_plan_isolates_them(self, brief: bk.Brief) -> None:
        from briefkit.plan import ContentsBlock, SourcesBlock, TitleBlock

        plan = bk.NotePlan.build(brief)
        title = next(b for b in plan.blocks if isinstance(b, TitleBlock))
        assert title.byline == f"{FSI}Au{RLO}thor{PDF}{PDI} · December 6, 2026"
        contents = next(b for b in plan.blocks if isinstance(b, ContentsBlock))
        assert f"{FSI}He{RLO}ad{PDF}{PDI}" in [e.text for e in contents.entries]
        annex = next(b for b in plan.blocks if isinstance(b, SourcesBlock))
        assert annex.entries[0].title == f"{FSI}Ti{RLO}tle{PDF}{PDI}"
        assert annex.entries[0].details == f"{FSI}Ve{RLO}nue{PDF}{PDI}, December 5, 2016"

    def test_metadata_without_controls_is_shown_as_it_is(self) -> None:
        from briefkit.plan import byline

        assert byline("Ash Carter", "May 1, 2020") == "Ash Carter · May 1, 2020"
        assert byline(None, "May 1, 2020") == "May 1, 2020"
        assert byline("Ash Carter", None) == "Ash Carter"
        assert byline(None, None) is None

    @staticmethod
    def _drawn_in_order(path: Path) -> None:
        """The PDF draws neither the controls nor their effect: the metadata's letters stand
        left to right as they are read (an override in metadata cannot make a page show other
        words than the file says), and the briefkit words after them."""
        from briefkit.formats.pdf.reader import read_pdf

        objects = [obj for page in read_pdf(path).pages for obj in page.objects]
        for word, after in (("Author", " · December 6, 2026"), ("Title", ","), ("Venue", ",")):
            obj = next(o for o in objects if word + after in o.text)
            at = obj.text.index(word + after)
            xs = obj.x[at : at + len(word) + 2]
            assert list(xs) == sorted(xs)

    @pytest.mark.parametrize("fmt", ["docx", "pdf", "html", "md"])
    def test_every_format_shows_them_isolated_and_verifies(
        self, brief: bk.Brief, tmp_path: Path, fmt: str
    ) -> None:
        shown = _written_and_verified(bk.export(brief, tmp_path / f"out.{fmt}"), tmp_path)
        if fmt == "pdf":
            self._drawn_in_order(tmp_path / "out.pdf")
            return
        assert f"{FSI}Au{RLO}thor{PDF}{PDI} · December 6, 2026" in shown
        assert f"{FSI}Ti{RLO}tle{PDF}{PDI}" in shown
        assert f"{FSI}Ve{RLO}nue{PDF}{PDI}, December 5, 2016" in shown
        assert f"{FSI}He{RLO}ad{PDF}{PDI}" in shown  # in the contents


class TestBidiInOutputs:
    @pytest.fixture
    def plan(self, tmp_path: Path) -> bk.NotePlan:
        brief = _corpus(tmp_path, keys=("closed", "unclosed", "links"))
        return bk.NotePlan.build(load(brief).brief)

    def test_a_quotation_is_isolated_and_closed_in_its_sentence(self, plan: bk.NotePlan) -> None:
        texts = {s.id: s.text for s in plan.sentences}
        unclosed = next(t for t in texts.values() if "Unclosed" in t)
        assert unclosed == f"Item unclosed {FSI}“Unclosed {RLO}override”{PDF}{PDI}."
        assert all(not _still_open(t) for t in texts.values())
        plain = next(t for t in texts.values() if "Links" in t or "links" in t)
        assert FSI not in plain  # a quotation without direction controls is as before

    def test_notes_and_bibliography_isolate_the_metadata(self, plan: bk.NotePlan) -> None:
        for note in plan.notes:
            assert not _still_open(note.text), note.text
            # the locator after the title is outside every override
            at = note.text.rindex("line")
            assert not _still_open(note.text[:at]), note.text
            assert f"{FSI}Eve {RLO}Mallory{PDF}{PDI}" in note.text
        for _sid, entry in plan.bibliography:
            assert not _still_open(entry)
            assert f"{FSI}Paper {RLI}rtl{PDI}{PDI}" in entry

    def test_a_speaker_is_isolated(self) -> None:
        from briefkit.locales import Locale
        from briefkit.plan import said

        assert said("Ash Carter", Locale.named("en-US")) == "Ash Carter said, "
        assert said(f"Eve {RLO}M", Locale.named("en-US")) == f"{FSI}Eve {RLO}M{PDF}{PDI} said, "

    @pytest.mark.parametrize("fmt", ["docx", "pdf", "md", "json"])
    def test_every_format_writes_and_verifies_it(
        self, plan: bk.NotePlan, tmp_path: Path, fmt: str
    ) -> None:
        written = _written_and_verified(bk.export(plan, tmp_path / f"out.{fmt}"), tmp_path)
        if fmt != "pdf":
            assert f"{FSI}“Unclosed {RLO}override”{PDF}{PDI}" in written

    def test_html_writes_it_too(self, plan: bk.NotePlan, tmp_path: Path) -> None:
        target = bk.export(plan, tmp_path / "out.html")
        page = re.sub("<[^>]*>", "", target.read_text(encoding="utf-8"))
        assert f"{FSI}“Unclosed {RLO}override”{PDF}{PDI}" in page
        assert bk.verify(target, sources=tmp_path / "src").ok

    def test_a_style_given_by_name_isolates_too(self, tmp_path: Path) -> None:
        brief = _corpus(tmp_path, keys=("unclosed",))
        plan = bk.NotePlan.build(load(brief).brief, style="apa")
        for note in plan.notes:
            assert not _still_open(note.text)
        target = bk.export(plan, tmp_path / "apa.json")
        assert bk.verify(target, sources=tmp_path / "src").ok


# -- 4. Markdown that renderers would make into links --------------------------------------------

_LIVE = re.compile(r"<(a|img|script|iframe)\b[^>]*>", re.IGNORECASE)


def _live_elements(html: str) -> list[str]:
    """Links, images and scripts in ``html``, outside comments, other than footnote links."""
    html = re.sub(r"<!--.*?-->", "", html, flags=re.DOTALL)
    found = []
    for m in _LIVE.finditer(html):
        tag = m.group()
        if re.search(r'href="#fn(ref)?-?\d+"', tag):
            continue
        found.append(tag)
    return found


@pytest.fixture
def markdown_file(tmp_path: Path) -> Path:
    brief = _corpus(tmp_path, keys=("links", "bare", "html", "syntax", "osc"))
    plan = bk.NotePlan.build(load(brief).brief)
    return bk.export(plan, tmp_path / "brief.md")


class TestMarkdownLinks:
    @pytest.mark.parametrize("reader", ["gfm", "markdown", "commonmark_x"])
    def test_pandoc_makes_no_link_or_image_from_data(
        self, markdown_file: Path, reader: str
    ) -> None:
        if shutil.which("pandoc") is None:
            pytest.skip("pandoc is not installed: cannot render the Markdown")
        done = subprocess.run(
            ["pandoc", "-f", reader, "-t", "html", str(markdown_file)],
            capture_output=True,
            text=True,
            check=True,
        )
        assert _live_elements(done.stdout) == []
        assert "evil.example" in done.stdout and "www.evil.com" in done.stdout  # shown as text

    def test_markdown_it_makes_no_link_or_image_from_data(self, markdown_file: Path) -> None:
        markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py is not installed")
        try:
            md = markdown_it.MarkdownIt("gfm-like")
        except ModuleNotFoundError as exc:  # gfm-like needs linkify-it-py
            pytest.skip(f"markdown-it-py's gfm-like preset cannot load: {exc}")
        html = md.render(markdown_file.read_text(encoding="utf-8"))
        assert _live_elements(html) == []

    def test_the_file_still_verifies(self, markdown_file: Path, tmp_path: Path) -> None:
        report = bk.verify(markdown_file, sources=tmp_path / "src")
        assert report.ok, report.summary()

    @pytest.mark.parametrize(
        ("text", "written"),
        [
            ("see https://evil.com/x", "see https:\\//evil\\.com/x"),
            ("www.evil.com", "www\\.evil\\.com"),
            ("WWW.Evil.CO.UK", "WWW\\.Evil\\.CO\\.UK"),
            ("//evil.org", "\\//evil\\.org"),
            ("mail@evil.net", "mail\\@evil\\.net"),
            # ordinary text is written as before
            ("U.S. and Japan, e.g. 3.5 a.m., report.pdf and 000-28b.txt", None),
            ("The end.Next", None),
        ],
    )
    def test_escapes(self, text: str, written: str | None) -> None:
        from briefkit.formats.markdown.reader import unescape
        from briefkit.formats.markdown.writer import escape

        out = escape(text)
        assert out == (written if written is not None else text)
        assert unescape(out) == text


def test_terminal_unsafe_covers_what_the_cli_escapes() -> None:
    """The pattern the tests use names every character class of the defects."""
    for ch in (OSC[0], "\x07", C1, DEL, RLO, LRI, PDI, "\u2028"):
        assert TERMINAL_UNSAFE.match(ch), unicodedata.name(ch, hex(ord(ch)))
