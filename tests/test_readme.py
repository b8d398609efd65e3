"""Every Python snippet in the README runs as written (from a folder holding seeds/)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import briefkit

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_readme_has_snippets() -> None:
    assert len(BLOCKS) >= 5


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_snippet_runs(
    code: str, tmp_path: Path, seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(seeds, tmp_path / "seeds")
    formats = README.parent / "examples" / "source-formats" / "sources"
    shutil.copytree(formats, tmp_path / "examples" / "source-formats" / "sources")
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path)
    try:
        exec(compile(code, str(README), "exec"), {"__name__": "readme"})
    finally:
        briefkit.registry._entries.pop("txt", None)  # a snippet registers an exporter
