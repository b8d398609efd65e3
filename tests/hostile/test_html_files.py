"""Hostile HTML pages for ``briefkit verify``: unfinished markup, deep nesting and floods of
foreign markup read in linear time and bounded memory (each case in a child process under a
memory cap and a time limit), and corrupted real pages give a report or a BriefkitError.
Hostile HTML sources for the HTML source reader: thousands of unclosed elements followed by
thousands of end tags that match none of them read in linear time, to their text when the
nesting stays within the reader's limit, else to an error naming the file and the place."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import briefkit as bk
from briefkit.formats.html.reader import MAX_DEPTH, MAX_FINDINGS, read_html
from hostile.bounded import run_bounded
from hostile.samples import small_brief


def _export(folder: Path) -> tuple[Path, Path]:
    sources = folder / "src"
    page = bk.export(small_brief(sources), folder / "b.html")
    return Path(page), sources


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _export(tmp_path_factory.mktemp("html"))


def test_a_fresh_page_still_verifies(written: tuple[Path, Path]) -> None:
    page, sources = written
    report = bk.verify(page, sources=sources)
    assert report.ok and report.problems == ()
    assert read_html(page).foreign == ()


# -- unfinished markup, nesting, floods: linear and bounded -------------------------------------

#: (name, unit repeated, where: "main" = right after <main>, "end" = after </html>)
_FLOODS = [
    ("open-tags", "<span>", "main"),
    ("open-divs", "<div>", "main"),
    ("tags-without-end", "<span ", "end"),
    ("attribute-runs", "<a b=1 ", "end"),
    ("open-comments", "<!--", "end"),
    ("open-comments-in-main", "<!--", "main"),
    ("double-quotes", '<a title="x', "end"),
    ("single-quotes", "<a b='", "end"),
    ("angle-runs", "<a<", "end"),
    ("declarations", "<!x", "end"),
    ("processing-instructions", "<?", "end"),
    ("end-tags-without-end", "</", "end"),
    ("marked-sections", "<![x", "end"),
    ("stray-end-tags", "</b>", "main"),
    ("void-elements", "<img>", "main"),
    ("stray-text", "x<br>", "body"),
    ("character-references", "&#", "main"),
]

_CASE = """
import time, briefkit as bk
from pathlib import Path
base = Path({page!r}).read_text(encoding="utf-8")
unit, where, size = {unit!r}, {where!r}, {size}
flood = unit * (size // len(unit))
if where == "end":
    text = base + flood
else:
    anchor = "<main>\\n" if where == "main" else "<body>\\n"
    text = base.replace(anchor, anchor + flood, 1)
path = Path({out!r})
path.write_text(text, encoding="utf-8")
start = time.perf_counter()
try:
    report = bk.verify(path, sources={sources!r})
    print("report", len(report.problems), report.ok)
except bk.BriefkitError as exc:
    print("error", type(exc).__name__, str(exc)[:300].replace(chr(10), " "))
print("seconds", round(time.perf_counter() - start, 2))
"""


@pytest.mark.parametrize("size", [150_000, 1_000_000], ids=["150KB", "1MB"])
@pytest.mark.parametrize(
    ("unit", "where"), [(u, w) for _, u, w in _FLOODS], ids=[n for n, *_ in _FLOODS]
)
def test_a_flood_of_markup_is_read_in_linear_time(
    written: tuple[Path, Path], tmp_path: Path, unit: str, where: str, size: int
) -> None:
    page, sources = written
    code = _CASE.format(
        page=str(page),
        unit=unit,
        where=where,
        size=size,
        out=str(tmp_path / "hostile.html"),
        sources=str(sources),
    )
    outcome = run_bounded(code, cwd=tmp_path)
    assert outcome.ok, (outcome.timed_out, outcome.stderr[-2000:])
    first, _seconds = outcome.stdout.strip().splitlines()[-2:]
    assert first.startswith(("report", "error")), outcome.stdout
    assert "internal error" not in outcome.stdout
    assert first != "report 0 True"  # none of them is briefkit's page


def test_nesting_deeper_than_the_maximum_is_refused_with_its_place(
    written: tuple[Path, Path], tmp_path: Path
) -> None:
    page, _ = written
    deep = page.read_text(encoding="utf-8").replace("<main>\n", "<main>\n" + "<span>" * 300, 1)
    (tmp_path / "deep.html").write_text(deep, encoding="utf-8")
    with pytest.raises(
        bk.ReadError, match=rf"line \d+, column \d+: <span> opens more than {MAX_DEPTH}"
    ):
        read_html(tmp_path / "deep.html")


def test_nesting_within_the_maximum_is_reported_not_refused(
    written: tuple[Path, Path], tmp_path: Path
) -> None:
    page, sources = written
    deep = page.read_text(encoding="utf-8").replace("<main>\n", "<main>\n" + "<div>" * 100, 1)
    (tmp_path / "deep.html").write_text(deep, encoding="utf-8")
    report = bk.verify(tmp_path / "deep.html", sources=sources)
    assert not report.ok
    assert any("<div> is not closed" in str(p) for p in report.problems)


def test_an_unclosed_comment_hides_the_rest_of_the_page_as_a_browser_does(
    written: tuple[Path, Path], tmp_path: Path
) -> None:
    page, sources = written
    text = page.read_text(encoding="utf-8")
    cut = text.replace("</main>", "<!-- never closed </main>", 1)
    (tmp_path / "cut.html").write_text(cut, encoding="utf-8")
    contents = read_html(tmp_path / "cut.html")
    (unfinished,) = [f for f in contents.foreign if "ends inside" in f.what]
    assert "a comment" in unfinished.what and unfinished.line > 1
    assert contents.manifest is None  # the manifest stands after it: hidden with the rest
    with pytest.raises(bk.ReadError, match=r"no briefkit provenance manifest.*line \d+"):
        bk.verify(tmp_path / "cut.html", sources=sources)
    # given the manifest, the page is checked and the hidden rest reported
    manifest = tmp_path / "b.json"
    manifest.write_text(json.dumps(json.loads(_manifest_json(text))), encoding="utf-8")
    report = bk.verify(tmp_path / "cut.html", sources=sources, manifest=manifest)
    assert not report.ok
    assert any("ends inside a comment" in str(p) for p in report.problems)


def _manifest_json(page: str) -> str:
    start = page.index('id="briefkit-provenance">') + len('id="briefkit-provenance">')
    return page[start : page.index("</script>", start)]


def test_a_truncated_page_names_where_it_ends(written: tuple[Path, Path], tmp_path: Path) -> None:
    page, _ = written
    text = page.read_text(encoding="utf-8")
    cut = text[: text.index("<ul")] + '<ul class="key-points'
    contents = read_html(cut.encode())
    (unfinished,) = [f for f in contents.foreign if "ends inside" in f.what]
    assert "a start tag" in unfinished.what
    assert unfinished.line == cut.count("\n") + 1


def test_an_unknown_marked_section_is_a_comment_not_a_crash() -> None:
    contents = read_html(b"<!DOCTYPE html><html><body><main><![x y]>t<![<![</main></body></html>")
    found = " | ".join(f.what for f in contents.foreign)
    assert "a comment" in found


def test_findings_are_counted_beyond_the_maximum(
    written: tuple[Path, Path], tmp_path: Path
) -> None:
    page, _ = written
    flood = page.read_text(encoding="utf-8").replace("<main>\n", "<main>\n" + "<img>" * 5000, 1)
    contents = read_html(flood.encode())
    assert len(contents.foreign) == MAX_FINDINGS + 1
    assert "… and 4000 more pieces of markup" in contents.foreign[-1].what


# -- the HTML source reader: unclosed elements, then end tags that match none of them ------------

_SOURCE_CASE = """
from briefkit.readers import UnreadableSourceError
from briefkit.readers.html import HtmlReader
for opens, count, unit, tail, main in {cases!r}:
    head = "<!DOCTYPE html><html><body><main><p>Hello</p>\\n" + opens * count + "x\\n"
    flood = unit * ((1_000_000 - len(head) - len(tail)) // len(unit))
    data = (head + flood + tail + "</main></body></html>").encode()
    try:
        print("text", repr(HtmlReader(main=main).read(data, where="flood.html").text))
    except UnreadableSourceError as exc:
        print("error", str(exc))
"""

_MANY_NAMES = "".join(f"</x{i}>" for i in range(1000))

#: (name, what is left open, the unit of the flood after it); half a MB of each
_PAST_THE_LIMIT = [
    ("divs-then-stray-spans", "<div>", "</span>"),
    ("spans-then-stray-divs", "<span>", "</div>"),
    ("inline-then-stray-inline", "<b>", "</i>"),
    ("inline-then-stray-cells", "<b>", "</td>"),
    ("stray-ends-of-many-names", "<span>", _MANY_NAMES),
    ("second-body-tags", "<b>", "<body>"),
    ("comments-interleaved", "<div><!-->", "</span><!--->"),
    ("unclosed-comment-at-the-end", "<em><!-- -->", "</i>" * 1000 + "<!--"),
]


@pytest.mark.parametrize("main", [False, True], ids=["page", "main"])
@pytest.mark.parametrize(
    ("opens", "unit"), [(o, u) for _, o, u in _PAST_THE_LIMIT], ids=[n for n, *_ in _PAST_THE_LIMIT]
)
def test_unclosed_elements_then_stray_end_tags_are_refused_with_their_place(
    tmp_path: Path, opens: str, unit: str, main: bool
) -> None:
    cases = [(opens, 500_000 // len(opens), unit, "", main)]  # 1 MB in all
    outcome = run_bounded(_SOURCE_CASE.format(cases=cases), cwd=tmp_path, seconds=10)
    assert outcome.ok, (outcome.timed_out, outcome.stderr[-2000:])
    assert re.fullmatch(
        r"error flood\.html: line 2, column \d+: <\w+> opens more than 512 nested elements "
        r"\(html and body included\); the HTML reader's option max_depth raises the limit\n",
        outcome.stdout,
    ), outcome.stdout


def test_nesting_just_under_the_limit_reads_and_just_over_is_refused(tmp_path: Path) -> None:
    # html, body and main are open: 509 more elements make 512, the limit; each page 1 MB
    cases: list[tuple[str, int, str, str, bool]] = []
    expected: list[str] = []
    for opens, unit in [("<b>", "</i>"), ("<div>", "</span>"), ("<span>", _MANY_NAMES)]:
        for main in (False, True):
            cases.append((opens, 509, unit, "", main))
            expected.append("text 'Hello\\n\\nx'")
            cases.append((opens, 510, unit, "", main))
            column = 509 * len(opens) + 1
            expected.append(f"error flood.html: line 2, column {column}: {opens} opens more than")
    cases.append(("<b>", 509, "<body>", "", False))
    expected.append("text 'Hello\\n\\nx'")
    # a MB of stray end tags at the limit, then one element more at the end of the file
    cases.append(("<b>", 509, "</i>", "\n  <u>y", False))
    expected.append("error flood.html: line 4, column 3: <u> opens more than 512")
    outcome = run_bounded(_SOURCE_CASE.format(cases=cases), cwd=tmp_path, seconds=10)
    assert outcome.ok, (outcome.timed_out, outcome.stderr[-2000:])
    lines = outcome.stdout.splitlines()
    assert len(lines) == len(cases)
    for line, start in zip(lines, expected, strict=True):
        assert line.startswith(start), (line, start)


# -- fuzzing: corrupted real pages ----------------------------------------------------------------


def _corrupt(data: bytes, rnd: random.Random, kind: str) -> bytes:
    if not data:
        return data
    at = rnd.randrange(len(data))
    if kind == "flip":
        return data[:at] + bytes([data[at] ^ (1 << rnd.randrange(8))]) + data[at + 1 :]
    if kind == "insert":
        junk = rnd.choice([b"<", b">", b"<!--", b"-->", b'"', b"'", b"</", b"<![", b"&#", b"\xff"])
        return data[:at] + junk + data[at:]
    if kind == "delete":
        return data[:at] + data[at + rnd.randint(1, 40) :]
    if kind == "truncate":
        return data[:at]
    # duplicate an element (or any stretch between two '<')
    starts = [i for i in range(len(data)) if data[i : i + 1] == b"<"]
    a = rnd.choice(starts)
    b = next((i for i in starts if i > a), len(data))
    b = next((i for i in starts if i > b), len(data))
    return data[:b] + data[a:b] + data[b:]


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 2**32 - 1),
    kinds=st.lists(
        st.sampled_from(["flip", "insert", "delete", "truncate", "duplicate"]),
        min_size=1,
        max_size=4,
    ),
)
def test_a_corrupted_page_gives_a_report_or_a_briefkit_error(
    written: tuple[Path, Path], tmp_path: Path, seed: int, kinds: list[str]
) -> None:
    page, sources = written
    rnd = random.Random(seed)
    data = page.read_bytes()
    for kind in kinds:
        data = _corrupt(data, rnd, kind)
    target = tmp_path / "fuzzed.html"
    target.write_bytes(data)
    manifest = tmp_path / "b.json"
    manifest.write_text(_manifest_json(page.read_text(encoding="utf-8")), encoding="utf-8")
    for given_manifest in (None, manifest):
        try:
            report = bk.verify(target, sources=sources, manifest=given_manifest)
        except bk.BriefkitError:
            continue
        assert isinstance(report, bk.Report)
