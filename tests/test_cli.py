"""The ``briefkit`` command line: build, verify, find, formats; exit statuses and errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefkit.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "us-japan-alliance" / "brief.md"
CNN = "000_28b258b49d188a62.txt"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def copy(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the seeds and a brief.md citing it; returns (brief, sources)."""
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    brief = tmp_path / "brief.md"
    brief.write_text(
        f"---\ntitle: T\nsources:\n  root: seeds\n  cnn: {CNN}\n---\n\n"
        '- Carter said {@cnn "Our alliance with Japan has never been stronger"}. []\n'
        '- Officials were confident [@cnn "Pentagon officials are confident"].\n',
        encoding="utf-8",
    )
    return brief, seeds


def test_formats_lists_every_exporter(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "formats")
    assert status == 0
    for name in ("docx", "html", "json", "md", "pdf"):
        assert any(line.startswith(name) for line in out.splitlines()), out
    status, out, _ = run(capsys, "formats", "--json")
    rows = {row["name"]: row for row in json.loads(out)}
    assert rows["docx"]["suffixes"] == [".docx"]
    assert rows["pdf"]["origin"] == "built-in"


def test_build_writes_every_format_and_verifies_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out, err = run(capsys, "build", str(EXAMPLE), "-o", str(tmp_path / "out"), "--verify")
    assert status == 0, out + err
    for suffix in ("docx", "pdf", "html", "md", "json"):
        assert (tmp_path / "out" / f"brief.{suffix}").stat().st_size > 0
        assert f"brief.{suffix}" in out
    assert out.count("verify: all resolved") == 5
    assert "83 sentences, 117 citations, 5 sources: every output verified, all resolved" in out
    assert "writing" in err  # progress goes to stderr


def test_verify_reports_a_changed_word_a_move_and_a_missing_file(
    capsys: pytest.CaptureFixture[str], copy: tuple[Path, Path]
) -> None:
    brief, seeds = copy
    out_dir = brief.parent / "out"
    assert run(capsys, "build", str(brief), "-o", str(out_dir), "--format", "json,docx")[0] == 0
    files = [str(out_dir / "brief.json"), str(out_dir / "brief.docx")]
    status, out, _ = run(capsys, "verify", *files, "--sources", str(seeds))
    assert status == 0
    assert out.count("all resolved") == 2

    src = seeds / CNN
    original = src.read_bytes()
    src.write_bytes(original.replace(b"never been stronger", b"never been weaker"))
    status, out, _ = run(capsys, "verify", files[0], "--sources", str(seeds))
    assert status == 1
    assert "note" in out and "changed" in out and CNN in out and "'stronger' -> 'weaker'" in out
    row = next(line for line in out.splitlines() if " changed" in line)
    assert row.split()[0] == "1"  # note 1, on the first key point

    src.write_bytes(b"A new first paragraph.\n\n" + original)
    status, out, _ = run(capsys, "verify", files[0], "--sources", str(seeds), "--json")
    assert status == 1
    report = json.loads(out)[0]
    assert report["ok"] is False
    moved = [c for c in report["citations"] if c["status"] == "moved"]
    assert len(moved) == 2
    assert all(c["new_start"] == c["start"] + 24 for c in moved)

    src.unlink()
    status, out, _ = run(capsys, "verify", files[1], "--sources", str(seeds), "--json")
    assert status == 1
    assert {c["status"] for c in json.loads(out)[0]["citations"]} == {"missing"}


def test_find_prints_span_lines_context_or_near_misses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = str(ROOT / "seeds" / CNN)
    status, out, _ = run(capsys, "find", source, "never been stronger")
    assert status == 0
    assert "chars 815–834, line 18" in out
    assert f'cite as: [@{CNN} "never been stronger"]' in out
    status, out, _ = run(capsys, "find", source, "never ben stronger")
    assert status == 1
    assert "Closest: 'never been stronger' at chars 815–834" in out
    status, out, _ = run(capsys, "find", CNN, "Carter", "--sources", str(ROOT / "seeds"))
    assert status == 1
    assert "occurs 7 times" in out and f'[@{CNN} "Carter" 0-6]' in out
    status, out, _ = run(capsys, "find", source, "Our alliance with Japan", "--json")
    assert status == 0
    assert json.loads(out)["exact"] == "Our alliance with Japan"


def test_errors_are_one_line_without_traceback(
    capsys: pytest.CaptureFixture[str], copy: tuple[Path, Path]
) -> None:
    brief, _seeds = copy
    status, _, err = run(capsys, "build", str(brief), "-o", str(brief.parent), "-f", "nope")
    assert status == 2
    assert err.startswith("briefkit: error: unknown export format 'nope'; available:")
    assert "Traceback" not in err
    brief.write_text(brief.read_text(encoding="utf-8").replace("confident", "confidnt"), "utf-8")
    status, _, err = run(capsys, "build", str(brief), "-o", str(brief.parent / "out"))
    assert status == 2
    assert f"{brief}:9:28: {CNN}: text 'Pentagon officials are confidnt' not found" in err
    status, _, err = run(capsys, "verify", str(brief.parent / "none.docx"), "--sources", ".")
    assert status == 2 and "does not exist" in err
    with pytest.raises(Exception, match="unknown export format"):
        main(["--debug", "build", str(brief), "-o", str(brief.parent), "-f", "nope"])


def test_python_dash_m_and_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "briefkit", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    for command in ("build", "verify", "find", "formats"):
        assert command in done.stdout
    done = subprocess.run(
        [sys.executable, "-m", "briefkit", "verify", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and "--sources" in done.stdout and "--json" in done.stdout


def test_build_never_writes_over_the_brief_or_outside_its_folder(
    capsys: pytest.CaptureFixture[str], copy: tuple[Path, Path]
) -> None:
    brief, _seeds = copy
    before = brief.read_bytes()
    status, _, err = run(capsys, "build", str(brief), "-o", str(brief.parent), "-f", "md")
    assert status == 2 and "would overwrite the brief itself" in err
    assert brief.read_bytes() == before
    for name in ("../escaped", "/tmp/abs", ".hidden"):
        status, _, err = run(
            capsys, "build", str(brief), "-o", str(brief.parent / "o"), "--name", name
        )
        assert status == 2 and "must be a plain file name" in err
    assert not (brief.parent / "escaped.json").exists()
    blocker = brief.parent / "file"
    blocker.write_text("x", encoding="utf-8")
    status, _, err = run(capsys, "build", str(brief), "-o", str(blocker / "sub"))
    assert status == 2 and "cannot create the output folder" in err


def test_find_reports_each_match_with_its_own_text(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "a.txt"
    source.write_text('He said “yes”. Then he said "yes".\n', encoding="utf-8")
    status, out, _ = run(capsys, "find", str(source), 'said "yes"', "--normalize")
    assert status == 1
    assert '[@a.txt "said “yes”" 3-13]' in out and '[@a.txt "said \\"yes\\"" 23-33]' in out
    status, out, _ = run(capsys, "find", str(source), "maybe", "--json")
    assert status == 1 and json.loads(out)["found"] is False
    status, out, _ = run(capsys, "find", str(source), "said", "--json")
    assert status == 1 and [m["start"] for m in json.loads(out)["matches"]] == [3, 23]


# -- warnings and --strict ---------------------------------------------------------------------

WARNED = (
    '- In 2016 officials were confident [@cnn "Pentagon officials are confident"].\n'
    '- Carter said {@cnn "Our alliance with Japan has never been stronger"} in 2017. []\n'
)


def _warned(brief: Path, name: str = "brief.md") -> Path:
    """A brief citing the copied seeds whose two key points name numbers no span shows."""
    head = brief.read_text(encoding="utf-8").split("---\n\n", 1)[0]
    path = brief.parent / name
    path.write_text(head + "---\n\n" + WARNED, encoding="utf-8")
    return path


def test_build_prints_warnings_at_their_place_and_still_writes(
    capsys: pytest.CaptureFixture[str], copy: tuple[Path, Path]
) -> None:
    brief = _warned(copy[0])
    out_dir = brief.parent / "out"
    status, _, err = run(capsys, "build", str(brief), "-o", str(out_dir), "-f", "json,md")
    assert status == 0, err
    warnings = [line for line in err.splitlines() if ": warning: " in line]
    assert [w.split(": warning: ")[0] for w in warnings] == [f"{brief}:8:3", f"{brief}:9:3"]
    assert "'2016' occurs in none of the spans" in warnings[0]
    assert '!accept "2017"' in warnings[1]
    assert "2 sentences, 2 citations, 1 sources, 2 warning(s)" in err
    assert (out_dir / "brief.json").is_file() and (out_dir / "brief.md").is_file()


def test_build_strict_refuses_a_brief_with_warnings_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], copy: tuple[Path, Path]
) -> None:
    brief = _warned(copy[0])
    out_dir = brief.parent / "out"
    status, out, err = run(
        capsys, "build", str(brief), "-o", str(out_dir), "-f", "json,md", "--strict", "--verify"
    )
    assert status == 2
    assert err.count(": warning: ") == 2
    assert err.rstrip().endswith(
        f"briefkit: error: {brief}: 2 warning(s), errors under --strict; nothing was written"
    )
    assert not out_dir.exists() and out == ""
    # the numbers accepted, the strict build writes and verifies
    text = brief.read_text(encoding="utf-8")
    text = text.replace('confident"]', 'confident"; !accept "2016"]').replace(
        "2017. []", '2017. [!accept "2017"]'
    )
    brief.write_text(text, encoding="utf-8")
    status, out, err = run(
        capsys, "build", str(brief), "-o", str(out_dir), "-f", "json,md", "--strict", "--verify"
    )
    assert status == 0, err
    assert ": warning: " not in err
    assert out.rstrip().endswith("every output verified, all resolved")


def test_verify_prints_warnings_and_fails_on_them_only_when_strict(
    capsys: pytest.CaptureFixture[str], copy: tuple[Path, Path]
) -> None:
    brief = _warned(copy[0])
    out_dir = brief.parent / "out"
    assert run(capsys, "build", str(brief), "-o", str(out_dir), "-f", "json,md")[0] == 0
    files = [str(out_dir / "brief.json"), str(out_dir / "brief.md")]
    seeds = str(copy[1])
    status, out, _ = run(capsys, "verify", *files, "--sources", seeds)
    assert status == 0
    assert out.count("all resolved; 2 warning(s)") == 2
    lines = [line.strip() for line in out.splitlines() if line.startswith("  ")]
    assert lines[:2] == [
        "warning: sentence s1: the number '2016' occurs in none of the spans it cites "
        "[unsupported-number]",
        "warning: sentence s2: the number '2017' occurs in none of the spans it cites "
        "[unsupported-number]",
    ]
    status, out, _ = run(capsys, "verify", files[0], "--sources", seeds, "--strict")
    assert status == 1
    assert out.count("  error: sentence s") == 2 and "warning:" not in out

    for strict in ((), ("--strict",)):
        status, out, _ = run(capsys, "verify", files[0], "--sources", seeds, "--json", *strict)
        assert status == (1 if strict else 0)
        (report,) = json.loads(out)
        assert report["ok"] is not bool(strict)
        assert (report["errors"], report["warnings"]) == ((2, 2) if strict else (0, 2))
        first = report["problems"][0]
        assert first == {
            "code": "unsupported-number",
            "severity": "warning",
            "fails": bool(strict),
            "message": "sentence s1: the number '2016' occurs in none of the spans it cites",
            "sentence": "s1",
            "note": 1,
            "place": None,
        }


def test_text_from_files_cannot_drive_the_terminal(
    capsys: pytest.CaptureFixture[str], copy: tuple[Path, Path]
) -> None:
    brief = _warned(copy[0], name="evil\x1b[2J\u202e.md")
    status, _, err = run(capsys, "build", str(brief), "-o", str(brief.parent / "o"), "-f", "json")
    assert status == 0
    assert "\x1b" not in err and "\u202e" not in err
    assert "evil\\x1b[2J\\u202e.md:8:3: warning: " in err
    status, _, err = run(capsys, "build", str(brief) + "\x07", "-o", str(brief.parent / "o"))
    assert status == 2
    assert "\x07" not in err and ".md\\x07" in err


def test_build_takes_page_size_contents_and_a_template(
    capsys: pytest.CaptureFixture[str], copy: tuple[Path, Path], tmp_path: Path
) -> None:
    import zipfile

    from pypdf import PdfReader

    brief, _ = copy
    out = tmp_path / "out"
    status, _, err = run(
        capsys,
        "build",
        str(brief),
        "-o",
        str(out),
        "-f",
        "pdf,docx,json",
        "--page-size",
        "Letter",
        "--contents",
        "--verify",
    )
    assert status == 0, err
    box = PdfReader(out / "brief.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # Letter, in points
    with zipfile.ZipFile(out / "brief.docx") as zf:
        document = zf.read("word/document.xml")
    assert b'w:w="12240"' in document and b'w:h="15840"' in document  # Letter, in twips
    assert json.loads((out / "brief.json").read_text())["brief"]["contents"] is True
    # the template: a DOCX whose styles the output takes
    status, _, err = run(
        capsys,
        "build",
        str(brief),
        "-o",
        str(tmp_path / "t"),
        "-f",
        "docx",
        "--template",
        str(out / "brief.docx"),
        "--verify",
    )
    assert status == 0, err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("-f", "json", "--page-size", "Letter"), "--page-size needs the docx or pdf format"),
        (("-f", "pdf", "--page-size", "B5"), "--page-size must be A4 or Letter"),
        (("-f", "pdf", "--template", "x.docx"), "--template is a Word template"),
    ],
)
def test_build_refuses_options_no_chosen_format_takes(
    capsys: pytest.CaptureFixture[str],
    copy: tuple[Path, Path],
    tmp_path: Path,
    argv: tuple[str, ...],
    message: str,
) -> None:
    brief, _ = copy
    status, _, err = run(capsys, "build", str(brief), "-o", str(tmp_path / "o"), *argv)
    assert status == 2 and message in err
    assert not (tmp_path / "o").exists()
