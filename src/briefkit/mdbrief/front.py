"""The front matter of a Markdown brief: title block fields and the sources it cites.

YAML is read with a loader that refuses duplicate keys; text fields must be YAML strings (so
``title: 1:20`` is an error asking for quotes, not the number 80). ``sources:`` is a folder, or
a map of short keys to files (``path:`` plus metadata that overrides the catalog) with an
optional ``root:``.

Switches (``true``/``false``): ``bibliography`` (default true), ``smart_quotes`` (true),
``sources_appendix`` (false), ``differences`` (false: add the table of the figures the
sources disagree on in a section of its own, when no ``[!differences]`` paragraph places it)
and ``contents`` (false: add a table of contents after the title block, listing every
heading).
``accept_differences:`` is a list of measures (text, as figures name them with
``measure="…"``) for which the brief may cite fewer values than its cited sources give. Keys
are spelled with ``_``; a key written with ``-`` instead is refused with the right spelling.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Hashable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs
import yaml

from briefkit._yaml import BoundedLoader
from briefkit.errors import BriefkitError
from briefkit.mdbrief.document import Document
from briefkit.mdbrief.syntax import KEY
from briefkit.readers import SourceReader, reader_named
from briefkit.sources import Corpus, check_path, id_for_path

__all__ = [
    "FRONT_KEYS",
    "MAX_FRONT_MATTER_BYTES",
    "MAX_FRONT_MATTER_DEPTH",
    "FrontMatter",
    "read_front_matter",
]

#: Largest front matter read (UTF-8 bytes between the fences). A brief's front matter is a
#: title block and a map of sources — a few kilobytes; YAML is read by a pure-Python parser
#: at roughly 100 KB a second for dense mappings, so this bounds the time it may take.
MAX_FRONT_MATTER_BYTES = 256 * 1024
#: Deepest nesting of mappings and lists in the front matter (``sources: {cnn: {path: …}}``
#: is 3).
MAX_FRONT_MATTER_DEPTH = 32

FRONT_KEYS = (
    "title",
    "subtitle",
    "author",
    "date",
    "lang",
    "style",
    "bibliography",
    "smart_quotes",
    "sources",
    "sources_appendix",
    "readers",
    "differences",
    "accept_differences",
    "contents",
)

Report = Callable[[int, str], None]


class _Loader(BoundedLoader):
    """Safe YAML without aliases, nested at most :data:`MAX_FRONT_MATTER_DEPTH` deep
    (:class:`briefkit._yaml.BoundedLoader`), that also refuses a key given twice in one
    mapping."""

    what = "the front matter"
    max_depth = MAX_FRONT_MATTER_DEPTH


def _mapping(loader: _Loader, node: yaml.MappingNode) -> dict[Hashable, Any]:
    seen: set[object] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if isinstance(key, Hashable) and key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} is given twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def _read_only(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


def _read_only_nested(value: Mapping[str, Mapping[str, Any]]) -> Mapping[str, Mapping[str, Any]]:
    return MappingProxyType({k: MappingProxyType(dict(v)) for k, v in value.items()})


@attrs.frozen
class FrontMatter:
    title: str | None = None
    subtitle: str | None = None
    author: str | None = None
    date: str | _dt.date | None = None
    sources_appendix: bool = False
    bibliography: bool = True
    smart_quotes: bool = True
    differences: bool = False
    contents: bool = False
    accept_differences: tuple[str, ...] = ()
    lang: str | None = None
    style: str | None = None
    corpus: Corpus | None = None
    root: Path | None = None
    aliases: Mapping[str, str] = attrs.field(factory=dict, converter=_read_only)
    metadata: Mapping[str, Mapping[str, Any]] = attrs.field(
        factory=dict, converter=_read_only_nested
    )
    bad_keys: frozenset[str] = frozenset()  # aliases already reported as broken


class _Reader:
    def __init__(self, doc: Document, base: Path, report: Report) -> None:
        self.doc = doc
        self.base = base
        self.report = report

    def key_offset(self, key: str) -> int:
        return key_offset(self.doc, key)

    def load(self) -> dict[str, Any] | None:
        doc = self.doc
        if doc.front is None:
            self.report(
                0,
                "a Markdown brief starts with YAML front matter between '---' lines "
                "(title: and sources: at least)",
            )
            return None
        size = len(doc.front.encode("utf-8", "surrogatepass"))
        if size > MAX_FRONT_MATTER_BYTES:
            head = doc.front.encode("utf-8", "surrogatepass")[:MAX_FRONT_MATTER_BYTES]
            at = doc.front_offset + len(head.decode("utf-8", "ignore"))
            self.report(
                at,
                f"the front matter is {size} bytes, more than the {MAX_FRONT_MATTER_BYTES} "
                "a brief's front matter may have (MAX_FRONT_MATTER_BYTES); it passes the "
                "limit on this line",
            )
            return None
        try:
            data = yaml.load(doc.front, Loader=_Loader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            offset = doc.front_offset
            if mark is not None:
                line = doc.line_col(doc.front_offset)[0] - 1 + mark.line
                offset = doc.line_starts[min(len(doc.line_starts) - 1, line)] + mark.column
            problem = getattr(exc, "problem", None) or str(exc)
            self.report(offset, f"the front matter is not valid YAML: {problem}")
            return None
        except (ValueError, RecursionError) as exc:  # e.g. date: 2016-02-30, deep nesting
            message = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            self.report(doc.front_offset, f"the front matter cannot be read: {message}")
            return None
        if data is None:
            data = {}
        if not isinstance(data, dict):
            self.report(doc.front_offset, "the front matter must be a mapping (key: value lines)")
            return None
        unknown = sorted(str(k) for k in data if k not in FRONT_KEYS)
        if unknown:
            meant = [k.replace("-", "_") for k in unknown if k.replace("-", "_") in FRONT_KEYS]
            hint = f"; write {', '.join(map(repr, meant))} (with '_')" if meant else ""
            self.report(
                self.key_offset(unknown[0]),
                f"unknown front matter key(s) {', '.join(map(repr, unknown))}; "
                f"known: {', '.join(FRONT_KEYS)}{hint}",
            )
        return data

    def text(self, data: dict[str, Any], key: str, *, required: bool = False) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.report(self.key_offset(key), f"the front matter needs a {key}:")
            return None
        if not isinstance(value, str):
            self.report(
                self.key_offset(key),
                f"{key}: must be text; YAML read {value!r} as {type(value).__name__} "
                f'(put it in quotes: {key}: "…")',
            )
            return None
        return value

    def measures(self, data: dict[str, Any]) -> tuple[str, ...]:
        """``accept_differences:`` — a list of measures, each text."""
        value = data.get("accept_differences")
        if value is None:
            return ()
        where = self.key_offset("accept_differences")
        if not isinstance(value, list):
            self.report(
                where,
                "accept_differences: must be a list of measures, like "
                'accept_differences: ["U.S. troops in Japan"]',
            )
            return ()
        out: list[str] = []
        for item in value:
            if not isinstance(item, str):
                self.report(
                    where,
                    "accept_differences: each measure must be text; YAML read "
                    f'{repr(item)[:40]} as {type(item).__name__} (put it in quotes: "…")',
                )
            elif not item.strip():
                self.report(where, "accept_differences: a measure cannot be empty")
            else:
                out.append(item)
        return tuple(out)

    def readers(self, data: dict[str, Any]) -> dict[str, SourceReader]:
        """``readers:`` — a reader name and its options (``html: {main: true}``), for the
        files of that reader's suffixes; as a map of suffix to reader."""
        value = data.get("readers")
        if value is None:
            return {}
        where = self.key_offset("readers")
        if not isinstance(value, dict):
            self.report(
                where, "readers: must map reader names to their options (html: {main: true})"
            )
            return {}
        own: dict[str, SourceReader] = {}
        for name, options in value.items():
            if options is None:
                options = {}
            if not isinstance(name, str) or not isinstance(options, dict):
                self.report(where, f"readers: {name!r}: give the reader's options as a map")
                continue
            try:
                reader = reader_named(name, {str(k): v for k, v in options.items()})
            except BriefkitError as exc:
                self.report(where, f"readers: {exc}")
                continue
            own.update(dict.fromkeys(reader.suffixes, reader))
        return own

    def sources(self, data: dict[str, Any], brief_path: Path | None) -> FrontMatter:
        chosen = self.readers(data)
        value = data.get("sources")
        where = self.key_offset("sources")
        if value is None:
            self.report(
                where, "the front matter needs sources: (a folder, or a map of keys to files)"
            )
            return FrontMatter()
        if isinstance(value, str):
            root = self._root(value)
            try:
                corpus = Corpus.from_dir(root, readers=chosen)
            except BriefkitError as exc:
                self.report(where, f"sources: {exc}")
                return FrontMatter()
            except OSError as exc:  # a name too long for the file system …
                self.report(where, _os_problem(exc))
                return FrontMatter()
            if brief_path is not None and corpus.root is not None:
                try:
                    own = brief_path.resolve().relative_to(corpus.root).as_posix()
                except ValueError:
                    own = None
                own_id = id_for_path(own) if own is not None else ""
                if own_id in corpus and corpus.path_of(own_id) == own:
                    corpus = corpus.without(own_id)  # the brief is not one of its own sources
            return FrontMatter(corpus=corpus, root=corpus.root)
        if not isinstance(value, dict):
            self.report(where, "sources: must be a folder, or a map of keys to files (and root:)")
            return FrontMatter()
        root_value = value.get("root", ".")
        if not isinstance(root_value, str):
            self.report(where, "sources: root: must be a folder path")
            return FrontMatter()
        aliases: dict[str, str] = {}
        metadata: dict[str, dict[str, Any]] = {}
        bad: set[str] = set()
        for key, entry in value.items():
            if key == "root":
                continue
            name = str(key)
            if not isinstance(key, str) or not KEY.fullmatch(key):
                self.report(
                    where, f"sources: key {name!r} must use letters, digits, '.', '_', '-', '/'"
                )
                continue
            if isinstance(entry, str):
                path, meta = entry, {}
            elif isinstance(entry, dict) and isinstance(entry.get("path"), str):
                path = entry["path"]
                meta = {str(k): v for k, v in entry.items() if k != "path"}
            else:
                self.report(
                    where,
                    f"sources: {name!r} must be a file path, or a mapping with path: "
                    "and metadata fields",
                )
                bad.add(name)
                continue
            try:
                path = _relative(path)
            except BriefkitError as exc:
                self.report(where, f"sources: {name!r}: {exc}")
                bad.add(name)
                continue
            if path in aliases.values():
                other = next(k for k, v in aliases.items() if v == path)
                self.report(where, f"sources: {name!r} and {other!r} name the same file {path!r}")
                bad.add(name)
                continue
            aliases[name] = path
            if meta:
                if isinstance(meta.get("issued"), _dt.date):
                    meta["issued"] = meta["issued"].isoformat()
                metadata[path] = meta
        for name, path in aliases.items():
            if name != path and name in aliases.values():
                self.report(
                    where,
                    f"sources: the key {name!r} is also the id of another source ({path!r} is "
                    "what it names); choose another key",
                )
                bad.add(name)
        root = self._root(root_value)
        ok = {k: v for k, v in aliases.items() if k not in bad}
        # a file's id is its path, made safe when the name has spaces, accents …
        aliases = {k: id_for_path(v) for k, v in aliases.items()}
        metadata = {id_for_path(k): v for k, v in metadata.items()}
        try:
            corpus = Corpus.from_files(root, ok.values(), metadata=metadata, readers=chosen)
        except BriefkitError as exc:
            self.report(where, f"sources: {exc}")
            return FrontMatter(aliases=aliases, bad_keys=frozenset(aliases))
        except OSError as exc:  # a name too long for the file system …
            self.report(where, _os_problem(exc))
            return FrontMatter(aliases=aliases, bad_keys=frozenset(aliases))
        return FrontMatter(
            corpus=corpus,
            root=corpus.root,
            aliases=aliases,
            metadata=metadata,
            bad_keys=frozenset(bad),
        )

    def _root(self, text: str) -> Path:
        root = Path(text).expanduser()
        return root if root.is_absolute() else self.base / root


def _os_problem(exc: OSError) -> str:
    name = exc.filename if isinstance(exc.filename, str) else ""
    shown = name if len(name) <= 80 else name[:79] + "…"
    return f"sources: cannot read {shown!r}: {exc.strerror or exc}"


def _relative(path: str) -> str:
    """``path`` if it is a usable relative file path (any name; no ``..``, not absolute)."""
    id_for_path(check_path(path))  # raises UnsafeIdError saying why
    return path


def read_front_matter(
    doc: Document, base: Path, report: Report, brief_path: Path | None = None
) -> FrontMatter | None:
    """The front matter's fields and sources; None when it cannot be read at all (the
    problem is reported, and nothing that depends on it is checked)."""
    reader = _Reader(doc, base, report)
    data = reader.load()
    if data is None:
        return None
    title = reader.text(data, "title", required=True)
    subtitle = reader.text(data, "subtitle")
    author = reader.text(data, "author")
    date = data.get("date")
    if date is not None and (
        isinstance(date, _dt.datetime) or not isinstance(date, str | _dt.date)
    ):
        report(reader.key_offset("date"), "date: must be a date (YYYY-MM-DD)")
        date = None
    flags: dict[str, bool] = {}
    switches = (
        ("sources_appendix", False),
        ("bibliography", True),
        ("smart_quotes", True),
        ("differences", False),
        ("contents", False),
    )
    for key, default in switches:
        value = data.get(key, default)
        if not isinstance(value, bool):
            report(reader.key_offset(key), f"{key}: must be true or false")
            value = default
        flags[key] = value
    lang = reader.text(data, "lang")
    if lang is not None:
        from briefkit.errors import LocaleError
        from briefkit.locales import Locale

        try:
            lang = Locale.named(lang).tag
        except LocaleError as exc:
            report(reader.key_offset("lang"), f"lang: {exc}")
            lang = None
    style = reader.text(data, "style")
    if style is not None and style.endswith(".csl") and brief_path is not None:
        style = str((brief_path.parent / style).resolve())  # a style file beside the brief
    found = reader.sources(data, brief_path)
    return attrs.evolve(
        found,
        title=title,
        subtitle=subtitle,
        author=author,
        date=date,
        sources_appendix=flags["sources_appendix"],
        bibliography=flags["bibliography"],
        smart_quotes=flags["smart_quotes"],
        differences=flags["differences"],
        contents=flags["contents"],
        accept_differences=reader.measures(data),
        lang=lang,
        style=style,
    )


def key_offset(doc: Document, key: str) -> int:
    """Where ``key:`` starts a line of the front matter (else the front matter's start)."""
    m = re.search(rf"^[ \t]*{re.escape(key)}[ \t]*:", doc.front or "", flags=re.M)
    return doc.front_offset + (m.start() if m else 0)
