"""The public surface, used with its declared types.

``mypy --strict`` checks this file: each built-in exporter is assigned to a variable annotated
:class:`briefkit.Exporter` and each built-in checker to one annotated
:class:`briefkit.formats.Checker`, so a class that stops satisfying its protocol fails the type
check here. At run time the same objects must pass the runtime-checkable protocols, and the
registry must hand out the same classes.
"""

from __future__ import annotations

import importlib.metadata
import inspect
import os
import types
from collections.abc import Callable
from pathlib import Path

import pytest

import briefkit
import briefkit.manifest
import briefkit.plan
import briefkit.problems
import briefkit.report
from briefkit.formats import Checker, registry
from briefkit.formats.docx import DocxExporter
from briefkit.formats.docx.checker import DocxChecker
from briefkit.formats.html import HtmlExporter
from briefkit.formats.html.checker import HtmlChecker
from briefkit.formats.json import ManifestChecker, ManifestExporter
from briefkit.formats.markdown import MarkdownExporter
from briefkit.formats.markdown.checker import MarkdownChecker
from briefkit.formats.pdf import PdfExporter
from briefkit.formats.pdf.checker import PdfChecker

# Annotated assignments: mypy refuses any of these if the class no longer fits the protocol.
json_exporter: briefkit.Exporter = ManifestExporter()
md_exporter: briefkit.Exporter = MarkdownExporter()
html_exporter: briefkit.Exporter = HtmlExporter()
docx_exporter: briefkit.Exporter = DocxExporter()
pdf_exporter: briefkit.Exporter = PdfExporter()

json_checker: Checker = ManifestChecker()
md_checker: Checker = MarkdownChecker()
html_checker: Checker = HtmlChecker()
docx_checker: Checker = DocxChecker()
pdf_checker: Checker = PdfChecker()

EXPORTERS: dict[str, briefkit.Exporter] = {
    "json": json_exporter,
    "md": md_exporter,
    "html": html_exporter,
    "docx": docx_exporter,
    "pdf": pdf_exporter,
}

CHECKERS: dict[str, Checker] = {
    ".json": json_checker,
    ".md": md_checker,
    ".markdown": md_checker,
    ".html": html_checker,
    ".htm": html_checker,
    ".docx": docx_checker,
    ".pdf": pdf_checker,
}

# The entry points keep their signatures: a brief (or plan) in, bytes / a path / a report out.
render: Callable[[briefkit.Brief | briefkit.NotePlan, str | briefkit.Exporter], bytes] = (
    briefkit.render
)
export: Callable[[briefkit.Brief | briefkit.NotePlan, str | os.PathLike[str]], Path] = (
    briefkit.export
)
verify: Callable[..., briefkit.Report] = briefkit.verify


@pytest.mark.parametrize("name", sorted(EXPORTERS))
def test_builtin_exporters_satisfy_the_protocol(name: str) -> None:
    exporter = EXPORTERS[name]
    assert isinstance(exporter, briefkit.Exporter)
    assert exporter.name == name
    got = registry.get(name)
    assert isinstance(got, briefkit.Exporter)
    assert type(got) is type(exporter)


@pytest.mark.parametrize("suffix", sorted(CHECKERS))
def test_builtin_checkers_satisfy_the_protocol(suffix: str) -> None:
    checker = CHECKERS[suffix]
    assert isinstance(checker, Checker)
    got = registry.checker_for(f"x{suffix}")
    assert isinstance(got, Checker)
    assert type(got) is type(checker)
    assert suffix in registry.for_path(f"x{suffix}").suffixes


def test_every_builtin_format_has_an_exporter_and_a_checker() -> None:
    assert set(EXPORTERS) <= set(registry.names())
    assert {s for e in EXPORTERS.values() for s in e.suffixes} == set(CHECKERS)


SUBMODULES: dict[str, types.ModuleType] = {
    "briefkit.plan": briefkit.plan,
    "briefkit.manifest": briefkit.manifest,
    "briefkit.problems": briefkit.problems,
    "briefkit.report": briefkit.report,
}


@pytest.mark.parametrize("name", sorted(SUBMODULES))
def test_submodules_are_modules(name: str) -> None:
    module = SUBMODULES[name]
    assert isinstance(module, types.ModuleType)
    assert module.__name__ == name


def test_entry_points_are_functions() -> None:
    for function in (briefkit.verify, briefkit.export, briefkit.render):
        assert inspect.isfunction(function), function
    assert (render, export, verify) == (briefkit.render, briefkit.export, briefkit.verify)


def test_version_is_the_installed_distributions() -> None:
    assert briefkit.__version__ == importlib.metadata.version("briefkit")
