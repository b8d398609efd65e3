"""Exporters and their registry.

An exporter turns a :class:`~briefkit.plan.NotePlan` into bytes written to a binary stream; it
never chooses file paths (:func:`briefkit.export` does, writing atomically). Built-in exporters
are registered by name and suffix and imported only when used. Third-party exporters register
through the entry-point group ``briefkit.exporters``; the entry point names an exporter object
or a class that takes no arguments.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib import import_module, metadata
from pathlib import PurePath
from typing import TYPE_CHECKING, BinaryIO, Protocol, runtime_checkable

import attrs

from briefkit.errors import DuplicateExporterError, ExportError, UnknownFormatError
from briefkit.plan import NotePlan

if TYPE_CHECKING:
    from pathlib import Path

    from briefkit.formats.checking import Checked
    from briefkit.manifest import Manifest

__all__ = [
    "ENTRY_POINT_GROUP",
    "Checker",
    "Exporter",
    "ExporterInfo",
    "Registry",
    "registry",
]

ENTRY_POINT_GROUP = "briefkit.exporters"

_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}\Z")


@runtime_checkable
class Exporter(Protocol):
    """What an exporter provides. ``suffixes`` start with a dot (``(".md", ".markdown")``)."""

    @property
    def name(self) -> str:
        """The format's name (``"md"``): lower case letters, digits, ``_`` and ``-``."""

    @property
    def suffixes(self) -> tuple[str, ...]:
        """File suffixes, each with its dot (``(".md", ".markdown")``)."""

    @property
    def media_type(self) -> str:
        """The IANA media type of what :meth:`write` produces."""

    @property
    def description(self) -> str:
        """One line for ``briefkit formats``."""

    def write(self, plan: NotePlan, stream: BinaryIO) -> None:
        """Write the rendered brief to ``stream``."""


@runtime_checkable
class Checker(Protocol):
    """What verify needs of a format: read a written file at ``path`` and return what it
    found — the manifest embedded in the file (or ``manifest`` when one is given, for formats
    that cannot embed one) and the problems with what a reader of the file sees. A plug-in's
    exporter may provide ``check`` itself, so that its outputs verify too."""

    def check(self, path: Path, manifest: Manifest | None = None) -> Checked:
        """Read the file and account for what it shows."""


@attrs.frozen
class ExporterInfo:
    """A registry row, as ``briefkit formats`` lists it."""

    name: str
    suffixes: tuple[str, ...]
    origin: str
    description: str
    error: str | None = None


@attrs.define
class _Entry:
    name: str
    origin: str
    suffixes: tuple[str, ...] | None
    load: Callable[[], object]
    exporter: Exporter | None = None
    error: str | None = None
    check: Callable[[], object] | None = None


# name, suffixes, exporter and checker as "module:attribute" — imported on first use
_BUILTINS: tuple[tuple[str, tuple[str, ...], str, str], ...] = (
    (
        "json",
        (".json",),
        "briefkit.formats.json:ManifestExporter",
        "briefkit.formats.json:ManifestChecker",
    ),
    (
        "md",
        (".md", ".markdown"),
        "briefkit.formats.markdown.writer:MarkdownExporter",
        "briefkit.formats.markdown.checker:MarkdownChecker",
    ),
    (
        "html",
        (".html", ".htm"),
        "briefkit.formats.html.writer:HtmlExporter",
        "briefkit.formats.html.checker:HtmlChecker",
    ),
    (
        "docx",
        (".docx",),
        "briefkit.formats.docx.writer:DocxExporter",
        "briefkit.formats.docx.checker:DocxChecker",
    ),
    (
        "pdf",
        (".pdf",),
        "briefkit.formats.pdf.writer:PdfExporter",
        "briefkit.formats.pdf.checker:PdfChecker",
    ),
)


def _on_first_use(target: str) -> Callable[[], object]:
    def load() -> object:
        module, _, attr = target.partition(":")
        return getattr(import_module(module), attr)

    return load


def check_exporter(obj: object, where: str) -> Exporter:
    """Instantiate a class and check the :class:`Exporter` protocol, naming ``where``."""
    if isinstance(obj, type):
        try:
            obj = obj()
        except Exception as exc:
            raise ExportError(f"{where}: cannot create the exporter: {exc}") from exc
    if not isinstance(obj, Exporter):
        raise ExportError(
            f"{where}: {type(obj).__name__} is not an exporter "
            "(needs name, suffixes, media_type, description and write(plan, stream))"
        )
    if not isinstance(obj.name, str) or not _NAME.match(obj.name):
        raise ExportError(f"{where}: exporter name {obj.name!r} must match {_NAME.pattern}")
    if not isinstance(obj.suffixes, tuple) or not all(
        isinstance(s, str) and s.startswith(".") and len(s) > 1 for s in obj.suffixes
    ):
        raise ExportError(f"{where}: suffixes must be a tuple like ('.txt',)")
    return obj


class Registry:
    """Exporters by name and suffix: built-ins, entry points, and explicit registrations."""

    def __init__(self, *, group: str | None = ENTRY_POINT_GROUP) -> None:
        self._entries: dict[str, _Entry] = {}
        self._group = group
        self._discovered = group is None
        self._conflicts: list[str] = []
        for name, suffixes, target, checker in _BUILTINS:
            self._entries[name] = _Entry(
                name, "built-in", suffixes, _on_first_use(target), check=_on_first_use(checker)
            )

    def _discover(self) -> None:
        if self._discovered:
            return
        self._discovered = True
        assert self._group is not None
        for ep in sorted(metadata.entry_points(group=self._group), key=lambda e: e.name):
            dist = getattr(ep.dist, "name", None) or "unknown distribution"
            if ep.name in self._entries:
                self._conflicts.append(
                    f"plug-in {ep.name!r} from {dist} ignored: the name is already registered "
                    f"({self._entries[ep.name].origin})"
                )
                continue
            self._entries[ep.name] = _Entry(ep.name, f"plug-in ({dist})", None, ep.load)

    def _resolve(self, entry: _Entry) -> Exporter:
        if entry.exporter is None:
            if entry.error is not None:
                raise ExportError(f"exporter {entry.name!r} failed to load: {entry.error}")
            try:
                exporter = check_exporter(entry.load(), f"exporter {entry.name!r}")
                if exporter.name != entry.name:
                    raise ExportError(
                        f"exporter {entry.name!r}: the object calls itself {exporter.name!r}"
                    )
            except Exception as exc:
                entry.error = str(exc) or type(exc).__name__
                raise ExportError(f"exporter {entry.name!r} failed to load: {entry.error}") from exc
            entry.exporter = exporter
            entry.suffixes = exporter.suffixes
        return entry.exporter

    def register(self, exporter: object, *, replace: bool = False) -> Exporter:
        """Register an exporter object (or a class taking no arguments). A name already in
        use is refused unless ``replace=True``."""
        checked = check_exporter(exporter, "register()")
        self._discover()
        if checked.name in self._entries and not replace:
            raise DuplicateExporterError(
                f"an exporter named {checked.name!r} is already registered "
                f"({self._entries[checked.name].origin}); pass replace=True to replace it"
            )
        self._entries[checked.name] = _Entry(
            checked.name, "registered", checked.suffixes, lambda: checked, checked
        )
        return checked

    def unregister(self, name: str) -> None:
        self._discover()
        if self._entries.pop(name, None) is None:
            raise UnknownFormatError(self._unknown(name))

    def names(self) -> list[str]:
        self._discover()
        return sorted(self._entries)

    def _unknown(self, what: str) -> str:
        return f"unknown export format {what!r}; available: {', '.join(self.names())}"

    def get(self, name: str) -> Exporter:
        """The exporter registered as ``name`` (e.g. ``"md"``)."""
        self._discover()
        entry = self._entries.get(name.lower().lstrip(".")) if isinstance(name, str) else None
        if entry is None:
            raise UnknownFormatError(self._unknown(str(name)))
        return self._resolve(entry)

    def for_path(self, path: str | PurePath) -> Exporter:
        """The exporter whose suffixes include ``path``'s suffix."""
        suffix = PurePath(path).suffix.lower()
        if not suffix:
            raise UnknownFormatError(
                f"{str(path)!r} has no suffix to choose a format from; pass format= "
                f"(available: {', '.join(self.names())})"
            )
        self._discover()
        for entry in self._entries.values():
            if entry.suffixes is not None and suffix in entry.suffixes:
                return self._resolve(entry)
        for entry in self._entries.values():  # plug-ins not loaded yet: load to learn suffixes
            if entry.suffixes is None and entry.error is None:
                try:
                    exporter = self._resolve(entry)
                except ExportError:
                    continue
                if suffix in exporter.suffixes:
                    return exporter
        raise UnknownFormatError(
            f"no export format for suffix {suffix!r}; available: {', '.join(self.names())}"
        )

    def checker_for(self, path: str | PurePath) -> Checker:
        """The checker for files with ``path``'s suffix: a built-in format's own, or an
        exporter that also has ``check(path, manifest)``."""
        suffix = PurePath(path).suffix.lower()
        self._discover()
        for entry in self._entries.values():
            if entry.check is not None and entry.suffixes and suffix in entry.suffixes:
                found = entry.check()
                checker = found() if isinstance(found, type) else found
                assert isinstance(checker, Checker)
                return checker
        try:
            exporter = self.for_path(path)
        except UnknownFormatError:
            exporter = None
        if isinstance(exporter, Checker):
            return exporter
        readable = sorted(
            {
                s
                for e in self._entries.values()
                if e.suffixes and (e.check is not None or isinstance(e.exporter, Checker))
                for s in e.suffixes
            }
        )
        what = f"{suffix} files" if suffix else "files without a suffix"
        raise UnknownFormatError(
            f"{str(path)!r}: cannot verify {what}"
            + (f" (the {exporter.name} exporter has no checker)" if exporter else "")
            + f"; verify reads {', '.join(readable)}"
        )

    def available(self) -> list[ExporterInfo]:
        """Every registered exporter (plug-ins are loaded to learn their details)."""
        self._discover()
        rows: list[ExporterInfo] = []
        for name in sorted(self._entries):
            entry = self._entries[name]
            try:
                exporter = self._resolve(entry)
            except ExportError:
                rows.append(ExporterInfo(name, (), entry.origin, "", entry.error))
                continue
            rows.append(ExporterInfo(name, exporter.suffixes, entry.origin, exporter.description))
        return rows

    @property
    def conflicts(self) -> list[str]:
        """Plug-ins that were ignored because their name was taken."""
        self._discover()
        return list(self._conflicts)


#: The process-wide registry used by :func:`briefkit.export`.
registry = Registry()
