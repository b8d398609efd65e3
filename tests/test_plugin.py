"""The example plug-in (examples/briefkit-plaintext), installed for real and found by briefkit.

pip installs it into a private folder, never into the running environment; the checks run in
fresh interpreters with that folder on PYTHONPATH, so briefkit discovers the plug-in through
its entry point exactly as it would after ``pip install``.
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
from briefkit.notes import parse_note
from briefkit.testing import sample_brief

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "briefkit-plaintext"


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


def test_the_command_line_builds_with_the_plugin(installed: Installed, tmp_path: Path) -> None:
    brief = Path(__file__).resolve().parents[1] / "examples" / "us-japan-alliance" / "brief.md"
    out = tmp_path / "out"
    result = installed.run(
        "-m", "briefkit", "build", str(brief), "-o", str(out), "--format", "txt,json", "--verify"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = (out / "brief.txt").read_text(encoding="utf-8")
    assert "[000_28b258b49d188a62.txt, chars 787–834]" in " ".join(text.split())
    assert "txt   wrote" in result.stdout and "not a format verify reads" in result.stdout
    assert "json  wrote" in result.stdout and "verify: all resolved" in result.stdout
