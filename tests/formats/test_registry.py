from __future__ import annotations

import io
import os
from pathlib import Path
from typing import BinaryIO

import pytest

import briefkit as bk
from briefkit import DuplicateExporterError, ExportError, UnknownFormatError
from briefkit.formats import Registry
from briefkit.plan import NotePlan


class TextExporter:
    name = "txt"
    suffixes = (".txt",)
    media_type = "text/plain"
    description = "sentences, one per line"

    def write(self, plan: NotePlan, stream: BinaryIO) -> None:
        stream.write("\n".join(s.text for s in plan.sentences).encode())


class Exploding(TextExporter):
    name = "boom"
    suffixes = (".boom",)

    def write(self, plan: NotePlan, stream: BinaryIO) -> None:
        stream.write(b"partial")
        raise RuntimeError("disk on fire")


def _brief(corpus: bk.Corpus) -> bk.Brief:
    q = corpus["000_28b258b49d188a62.txt"].quote("Our alliance with Japan has never been stronger")
    return bk.Brief(title="T", key_points=[bk.sentence(q, ".")])


def test_unknown_format_lists_the_available_ones(tmp_path: Path, corpus: bk.Corpus) -> None:
    with pytest.raises(
        UnknownFormatError, match=r"unknown export format 'xyz'; available: .*json, md"
    ):
        bk.render(_brief(corpus), "xyz")
    with pytest.raises(UnknownFormatError, match=r"no export format for suffix '.xyz'"):
        bk.export(_brief(corpus), tmp_path / "a.xyz")
    with pytest.raises(UnknownFormatError, match="no suffix"):
        bk.export(_brief(corpus), tmp_path / "noext")


def test_builtins_are_imported_lazily() -> None:
    import subprocess
    import sys

    code = (
        "import sys, briefkit; briefkit.registry.names();"
        "print('briefkit.formats.markdown.writer' in sys.modules, 'docx' in sys.modules,"
        " 'reportlab' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "False"]


def test_register_refuses_duplicates_unless_replacing(corpus: bk.Corpus) -> None:
    reg = Registry(group=None)
    reg.register(TextExporter)
    with pytest.raises(DuplicateExporterError, match="'txt' is already registered"):
        reg.register(TextExporter())
    reg.register(TextExporter(), replace=True)
    with pytest.raises(DuplicateExporterError, match="'md' is already registered .built-in."):
        reg.register(type("Md", (TextExporter,), {"name": "md"}))
    assert reg.for_path("x.txt").name == "txt"
    with pytest.raises(ExportError, match="not an exporter"):
        reg.register(object())


def test_render_accepts_an_exporter_object(corpus: bk.Corpus) -> None:
    assert (
        bk.render(_brief(corpus), TextExporter())
        == "“Our alliance with Japan has never been stronger”.".encode()
    )


def test_entry_point_plugins_are_discovered(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib import metadata

    class FakeEP:
        def __init__(self, name: str, obj: object) -> None:
            self.name = name
            self._obj = obj
            self.dist = type("D", (), {"name": "fake-dist"})()

        def load(self) -> object:
            if isinstance(self._obj, Exception):
                raise self._obj
            return self._obj

    eps = [
        FakeEP("txt", TextExporter),
        FakeEP("md", TextExporter),
        FakeEP("bad", ImportError("nope")),
    ]
    monkeypatch.setattr(
        metadata, "entry_points", lambda group: eps if group == "briefkit.exporters" else []
    )
    reg = Registry()
    assert "txt" in reg.names() and "bad" in reg.names()
    assert reg.get("txt").description == "sentences, one per line"
    assert reg.for_path("notes.txt").name == "txt"
    assert any("plug-in 'md' from fake-dist ignored" in c for c in reg.conflicts)
    with pytest.raises(ExportError, match="exporter 'bad' failed to load: nope"):
        reg.get("bad")
    rows = {r.name: r for r in reg.available()}
    assert rows["bad"].error == "nope" and rows["txt"].origin == "plug-in (fake-dist)"


def test_failed_export_leaves_the_earlier_file_and_no_temp(
    tmp_path: Path, corpus: bk.Corpus
) -> None:
    target = tmp_path / "brief.boom"
    target.write_bytes(b"earlier")
    with pytest.raises(RuntimeError, match="disk on fire"):
        bk.export(_brief(corpus), target, format=Exploding())
    assert target.read_bytes() == b"earlier"
    assert os.listdir(tmp_path) == ["brief.boom"]


def test_invalid_brief_never_touches_the_file(tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    target.write_bytes(b"earlier")
    with pytest.raises(bk.ValidationError):
        bk.export(bk.Brief(title="T", key_points=[bk.sentence("uncited")]), target)
    assert target.read_bytes() == b"earlier"


def test_export_into_a_missing_folder_is_a_clear_error(tmp_path: Path, corpus: bk.Corpus) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        bk.export(_brief(corpus), tmp_path / "nope" / "b.md")


def test_exports_are_deterministic(tmp_path: Path, corpus: bk.Corpus) -> None:
    for fmt in ("json", "md"):
        assert bk.render(_brief(corpus), fmt) == bk.render(_brief(corpus), fmt)
    bk.export(_brief(corpus), tmp_path / "a.md")
    assert (tmp_path / "a.md").read_bytes() == bk.render(_brief(corpus), "md")
    assert io.BytesIO(bk.render(bk.NotePlan.build(_brief(corpus)), "md")).getvalue() == bk.render(
        _brief(corpus), "md"
    )


def test_exporting_onto_a_folder_is_a_clear_error(tmp_path: Path, corpus: bk.Corpus) -> None:
    (tmp_path / "taken.md").mkdir()
    with pytest.raises(ExportError, match="cannot write"):
        bk.export(_brief(corpus), tmp_path / "taken.md")
    assert os.listdir(tmp_path) == ["taken.md"]
