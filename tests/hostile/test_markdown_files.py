"""Hostile Markdown files for ``briefkit verify``: huge lines, unclosed comments, floods of
brackets, note marks and fences, and long files read in linear time and bounded memory (each
case in a child process under a memory cap and a time limit); corrupted real files give a report
or a BriefkitError."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import briefkit as bk
from briefkit.formats.markdown.reader import MAX_FINDINGS, read_markdown
from hostile.bounded import run_bounded
from hostile.samples import small_brief


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("markdown")
    sources = folder / "src"
    brief = small_brief(sources)
    page = Path(bk.export(brief, folder / "b.md"))
    manifest = Path(bk.export(brief, folder / "b.json"))
    return page, sources, manifest


def test_a_fresh_file_still_verifies(written: tuple[Path, Path, Path]) -> None:
    page, sources, manifest = written
    for given_manifest in (None, manifest):
        report = bk.verify(page, sources=sources, manifest=given_manifest)
        assert report.ok and report.problems == ()
    assert read_markdown(page).findings == ()


_WORDS = ["the", "alliance", "is", "strong", "costs", "rose", "by", "a", "third", "in", "2016"]


#: (name, unit repeated to the size, size)
_FLOODS = [
    ("note-marks", "[^", 1_000_000),
    ("brackets", "[", 1_000_000),
    ("nested-brackets", "[[[[]", 1_000_000),
    ("marks-of-a-note", "[^1]", 1_000_000),
    ("open-comments", "<!--", 1_000_000),
    ("escaped-comments", "\\<!--", 1_000_000),
    ("one-huge-line", "word ", 6_000_000),
    ("short-lines", "a\n", 1_000_000),
    ("fences-never-closed", "```x\n", 1_000_000),
    ("tilde-fences", "~~~~x\n", 1_000_000),
    ("raw-tags", "<a ", 1_000_000),
    ("character-references", "&#", 1_000_000),
    ("control-characters", "\x01", 1_000_000),
    ("definitions", "[^1]: x\n", 1_000_000),
    ("reference-definitions", "[x]: y\n", 1_000_000),
    ("indented-code", "    x\n", 1_000_000),
    ("quotes", "> ", 1_000_000),
    ("prose", None, 6_000_000),
]

_CASE = """
import random, time, briefkit as bk
from pathlib import Path
base = Path({page!r}).read_text(encoding="utf-8")
unit, size = {unit!r}, {size}
if unit is None:  # prose: paragraphs of words
    rnd, lines, total = random.Random(1), [], 0
    while total < size:
        lines.append(" ".join(rnd.choice({words!r}) for _ in range(14)) + ".")
        total += len(lines[-1]) + 2
    flood = "\\n\\n".join(lines)
else:
    flood = unit * (size // len(unit))
path = Path({out!r})
path.write_text(base.replace("## Key points\\n", "## Key points\\n\\n" + flood + "\\n\\n", 1),
                encoding="utf-8")
start = time.perf_counter()
try:
    report = bk.verify(path, sources={sources!r})
    print("report", len(report.problems), report.ok)
except bk.BriefkitError as exc:
    print("error", type(exc).__name__, str(exc)[:300].replace(chr(10), " "))
print("seconds", round(time.perf_counter() - start, 2))
"""


@pytest.mark.parametrize(
    ("unit", "size"), [(u, s) for _, u, s in _FLOODS], ids=[n for n, *_ in _FLOODS]
)
def test_a_flood_is_read_in_linear_time_and_bounded_memory(
    written: tuple[Path, Path, Path], tmp_path: Path, unit: str | None, size: int
) -> None:
    page, sources, _ = written
    code = _CASE.format(
        page=str(page),
        unit=unit,
        size=size,
        words=_WORDS,
        out=str(tmp_path / "hostile.md"),
        sources=str(sources),
    )
    outcome = run_bounded(code, cwd=tmp_path)
    assert outcome.ok, (outcome.timed_out, outcome.stderr[-2000:])
    result, _seconds = outcome.stdout.strip().splitlines()[-2:]
    assert result.startswith(("report", "error")), outcome.stdout
    assert "internal error" not in outcome.stdout
    assert not result.endswith("True"), outcome.stdout  # none of them is briefkit's file


def test_findings_are_counted_beyond_the_maximum(written: tuple[Path, Path, Path]) -> None:
    page, _, _ = written
    text = page.read_text(encoding="utf-8")
    flooded = text.replace("## Key points\n", "## Key points\n\n" + "[" * 5000 + "\n\n", 1)
    contents = read_markdown(flooded.encode())
    assert len(contents.findings) == MAX_FINDINGS + 1
    assert any("… and 4000 more pieces of markup" in f.what for f in contents.findings)


def test_a_fence_that_never_closes_is_text_and_one_that_closes_is_code(
    written: tuple[Path, Path, Path],
) -> None:
    page, _, _ = written
    text = page.read_text(encoding="utf-8")
    never = read_markdown(
        text.replace("## Key points\n", "```x\n````y\n\n## Key points\n").encode()
    )
    assert not any(f.code == "code" and "fenced" in f.what for f in never.findings)
    closed = read_markdown(
        text.replace("## Key points\n", "````\nz\n`````\n\n## Key points\n").encode()
    )
    assert any(f.code == "code" and "fenced" in f.what for f in closed.findings)
    short = read_markdown(
        text.replace("## Key points\n", "````\nz\n```\n\n## Key points\n").encode()
    )
    assert not any(f.code == "code" and "fenced" in f.what for f in short.findings)


def test_note_marks_and_definitions_still_read(written: tuple[Path, Path, Path]) -> None:
    page, _, _ = written
    contents = read_markdown(page)
    assert contents.marks == ("1",) and set(contents.notes) == {"1"}
    assert len(contents.where) == len(contents.shown)
    assert all(isinstance(contents.where[i], int) for i in range(len(contents.shown)))


# -- fuzzing: corrupted real files ---------------------------------------------------------------


def _corrupt(data: bytes, rnd: random.Random, kind: str) -> bytes:
    if not data:
        return data
    at = rnd.randrange(len(data))
    if kind == "flip":
        return data[:at] + bytes([data[at] ^ (1 << rnd.randrange(8))]) + data[at + 1 :]
    if kind == "insert":
        junk = rnd.choice(
            [
                b"<!--",
                b"-->",
                b"[^",
                b"]",
                b"```\n",
                b"\n    ",
                b"\\",
                b"&#",
                b"*",
                b"\x00",
                b"\xff",
            ]
        )
        return data[:at] + junk + data[at:]
    if kind == "delete":
        return data[:at] + data[at + rnd.randint(1, 40) :]
    if kind == "truncate":
        return data[:at]
    # duplicate a line
    lines = data.split(b"\n")
    k = rnd.randrange(len(lines))
    return b"\n".join([*lines[: k + 1], lines[k], *lines[k + 1 :]])


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
def test_a_corrupted_file_gives_a_report_or_a_briefkit_error(
    written: tuple[Path, Path, Path], tmp_path: Path, seed: int, kinds: list[str]
) -> None:
    page, sources, manifest = written
    rnd = random.Random(seed)
    data = page.read_bytes()
    for kind in kinds:
        data = _corrupt(data, rnd, kind)
    target = tmp_path / "fuzzed.md"
    target.write_bytes(data)
    for given_manifest in (None, manifest):
        try:
            report = bk.verify(target, sources=sources, manifest=given_manifest)
        except bk.BriefkitError:
            continue
        assert isinstance(report, bk.Report)
