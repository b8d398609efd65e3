"""The example plug-in (examples/briefkit-plaintext), installed for real and found by briefkit.

pip installs it into a private folder, never into the running environment; the checks run in
fresh interpreters with that folder on PYTHONPATH, so briefkit discovers the plug-in through
its entry point exactly as it would after ``pip install``. Its text output verifies through the
same registry (the plug-in's ``check``), given the JSON manifest of the same build.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import attrs
import pytest

import briefkit
from briefkit.manifest import parse
from briefkit.notes import parse_note
from briefkit.testing import sample_brief

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "briefkit-plaintext"


@attrs.frozen
class Installed:
    source: Path  # a copy of the example package (builds never write into the work tree)
    site: Path  # what pip installed: the package and its .dist-info with the entry point

    def env(self) -> dict[str, str]:
        paths = [str(self.site), *filter(None, [os.environ.get("PYTHONPATH")])]
        return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}

    def run(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args],
            capture_output=True,
            text=True,
            env=self.env(),
            cwd=cwd or self.source,
            check=False,
        )


def _cannot_build_offline() -> str | None:
    """Why pip cannot build the example here without build isolation (no network), or None."""
    try:
        version = metadata.version("setuptools")
    except metadata.PackageNotFoundError:
        return "setuptools is not installed: pip --no-build-isolation needs it to build the plug-in"
    major, minor = (int(part) for part in re.findall(r"\d+", version)[:2])
    if (major, minor) < (70, 1) and importlib.util.find_spec("wheel") is None:
        return (
            f"setuptools {version} builds wheels only with the 'wheel' package, which is not "
            "installed (install wheel, or setuptools>=70.1)"
        )
    return None


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    reason = _cannot_build_offline()
    if reason is not None:
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("plugin")
    source = root / "briefkit-plaintext"
    shutil.copytree(
        EXAMPLE,
        source,
        ignore=shutil.ignore_patterns(
            "build", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis"
        ),
    )
    site = root / "site"
    pip = subprocess.run(
        [
            *(sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"),
            *("--no-deps", "--no-build-isolation", "--no-index", "--target", str(site)),
            str(source),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if pip.returncode != 0:
        pytest.fail(f"pip could not install the example plug-in:\n{pip.stdout}{pip.stderr}")
    return Installed(source, site)


_USE = """
import json, sys
import briefkit, briefkit_plaintext
from briefkit.testing import sample_brief

path = briefkit.export(sample_brief(), sys.argv[1])
(row,) = [info for info in briefkit.registry.available() if info.name == "txt"]
print(json.dumps({
    "origin": row.origin,
    "error": row.error,
    "suffixes": list(row.suffixes),
    "chosen": type(briefkit.registry.for_path(path)).__name__,
    "module": briefkit_plaintext.__file__,
    "text": path.read_text("utf-8"),
}))
"""


def test_briefkit_finds_the_installed_plugin(installed: Installed, tmp_path: Path) -> None:
    result = installed.run("-c", _USE, str(tmp_path / "brief.txt"))
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["origin"] == "plug-in (briefkit-plaintext)"
    assert found["error"] is None
    assert found["suffixes"] == [".txt"]
    assert found["chosen"] == "PlainTextExporter"
    assert Path(found["module"]).is_relative_to(installed.site)  # the installed copy, not src/
    text = found["text"]
    plan = briefkit.NotePlan.build(sample_brief())
    assert plan.notes
    flat = "".join(text.split())
    for note in plan.notes:
        assert f"\n[{note.number}] " in text
        for ref in parse_note(note.text):
            assert f"[{ref.source_id},chars{ref.start}–{ref.end}]" in flat
        for cited in note.citations:
            assert "".join(cited.excerpt.text.split()) in flat


def test_the_plugin_passes_its_own_contract_tests(installed: Installed) -> None:
    args = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"]
    if os.environ.get("CI"):  # CI replays fixed examples, as briefkit's own tests do
        args.append("--hypothesis-seed=0")
    result = installed.run(*args)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in summary and "skipped" not in summary, result.stdout


def test_the_command_line_lists_the_plugin(installed: Installed) -> None:
    result = installed.run("-m", "briefkit", "formats")
    assert result.returncode == 0, result.stderr
    (line,) = [row for row in result.stdout.splitlines() if row.split()[:1] == ["txt"]]
    assert ".txt" in line.split()
    assert "plug-in (briefkit-plaintext)" in line


@attrs.frozen
class Built:
    out: Path  # brief.txt and brief.json of the example brief, written by the command line
    stdout: str


@pytest.fixture(scope="module")
def built(installed: Installed, tmp_path_factory: pytest.TempPathFactory) -> Built:
    brief = ROOT / "examples" / "us-japan-alliance" / "brief.md"
    out = tmp_path_factory.mktemp("built") / "out"
    result = installed.run(
        "-m", "briefkit", "build", str(brief), "-o", str(out), "--format", "txt,json", "--verify"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return Built(out, result.stdout)


def test_the_command_line_builds_with_the_plugin(built: Built) -> None:
    text = (built.out / "brief.txt").read_text(encoding="utf-8")
    assert "“Carter looks to shore-up alliance,” line 18." in " ".join(text.split())
    assert "txt   wrote" in built.stdout and "json  wrote" in built.stdout
    # the text file is verified against the build's own manifest
    assert built.stdout.count("verify: all resolved") == 2, built.stdout


_VERIFY = """
import json, sys
import briefkit

sources, manifest, *files = sys.argv[1:]
found = {"checks": []}
for txt in files:
    checker = briefkit.registry.checker_for(txt)
    report = briefkit.verify(txt, sources=sources, manifest=manifest)
    found["checks"].append({
        "checker": sys.modules[type(checker).__module__].__file__,
        "ok": report.ok,
        "sentences": report.sentences,
        "citations": [c.status for c in report.citations],
        "problems": [[p.code, p.sentence, p.note] for p in report.problems],
    })
try:
    briefkit.verify(files[0], sources=sources)
except briefkit.ReadError as exc:
    found["without manifest"] = str(exc)
print(json.dumps(found))
"""


def _replace_words(text: str, old: str, new: str) -> str:
    """``text`` with the words of ``old`` (however the lines wrap them) replaced by ``new``."""
    pattern = re.compile(r"\s+".join(re.escape(word) for word in old.split()))
    assert len(pattern.findall(text)) == 1, old
    return pattern.sub(lambda _: new, text)


def test_the_installed_plugin_verifies_its_text(
    installed: Installed, built: Built, tmp_path: Path
) -> None:
    txt, manifest = built.out / "brief.txt", built.out / "brief.json"
    text = txt.read_text(encoding="utf-8")
    sent = next(s for s in parse(manifest.read_bytes()).sentences if s.note == 5)
    assert sent.note_text is not None and "lines 7, 11" in sent.note_text
    tampered = {
        "sentence": _replace_words(text, sent.text, sent.text.replace("2015", "2016")),
        "note": _replace_words(
            text, sent.note_text, sent.note_text.replace("lines 7, 11", "lines 7, 12")
        ),
        "added": _replace_words(text, f"{sent.text}[5]", f"{sent.text}[5] It was a success."),
    }
    files = [txt]
    for name, edited in tampered.items():
        files.append(tmp_path / f"{name}.txt")
        files[-1].write_text(edited, encoding="utf-8")
    result = installed.run("-c", _VERIFY, str(ROOT / "seeds"), str(manifest), *map(str, files))
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    fresh, edited_sentence, edited_note, added = found["checks"]
    assert all(Path(c["checker"]).is_relative_to(installed.site) for c in found["checks"])
    assert fresh["ok"] and fresh["problems"] == [], fresh
    assert fresh["sentences"] == 83 and fresh["citations"] == ["ok"] * 117
    for check in (edited_sentence, edited_note, added):
        assert not check["ok"] and check["citations"] == ["ok"] * 117  # the sources still hold
    assert edited_sentence["problems"][0] == ["differs", sent.id, None]
    assert edited_note["problems"][0] == ["note-differs", sent.id, 5]
    assert [code for code, _, _ in added["problems"]] == ["unlinked-text"]
    assert "no provenance manifest; pass the JSON manifest" in found["without manifest"]


def test_the_plugin_readme_runs_as_written(installed: Installed, tmp_path: Path) -> None:
    readme = (EXAMPLE / "README.md").read_text(encoding="utf-8")
    (snippet,) = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    result = installed.run("-c", snippet, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all resolved" in result.stdout
    assert (tmp_path / "out" / "brief.txt").read_text("utf-8").startswith("Note\n====\n")
