"""The ``briefkit`` command: build Markdown briefs, verify written ones, find text, list formats
and source readers.

Exit status: 0 when everything worked (and, for ``verify`` and ``build --verify``, every
citation resolves); 1 when a verification fails or ``find`` finds no unique match; 2 for an
error (bad input, unknown format, unreadable file). Errors are one message without a traceback
unless ``--debug`` is given.

Warnings (a number that no cited span shows) do not change the exit status: ``build`` prints
each as ``FILE:LINE:COL: warning: …`` on stderr, ``verify`` lists them under the file's
summary. With ``--strict`` they count as errors: ``build --strict`` prints them and stops
with status 2 before writing anything (the brief is bad input, as with a syntax error), and
``verify --strict`` fails (status 1). Text from files is printed with control characters
escaped, so a brief or a source cannot drive the terminal: every line printed — progress,
warnings, reports, ``find``'s context and ``cite as`` line, listings and error messages —
goes through :func:`_safe` (C0, DEL and C1 controls as ``\\x1b``-style escapes, line and
direction overrides as ``\\u202e``), and JSON output writes those characters as ``\\u``
escapes (``json.dumps`` leaves DEL, C1 and direction controls raw otherwise).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, TextIO

import attrs

from briefkit import __version__
from briefkit.errors import AmbiguousMatchError, BriefkitError, TextNotFoundError
from briefkit.formats import Exporter, registry
from briefkit.problems import Problem
from briefkit.report import Report

__all__ = ["main"]

#: Formats ``build`` writes when ``--format`` is not given.
DEFAULT_FORMATS = ("docx", "pdf", "html", "md", "json")


class _Failed(Exception):
    """The command ran but its check failed (exit status 1)."""


def _out(stream: TextIO, text: str = "") -> None:
    stream.write(text + "\n")
    stream.flush()


#: Invisible characters that reorder or break what a terminal shows.
_UNSAFE = frozenset("\u2028\u2029\u200e\u200f\u061c") | frozenset(
    chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
)


def _safe(text: str) -> str:
    """``text`` with control characters (and line or direction overrides) as escapes like
    ``\\x1b``, so that printing it shows it and changes nothing on the terminal."""
    if text.isprintable() and not _UNSAFE.intersection(text):
        return text
    return "".join(
        ascii(ch)[1:-1] if unicodedata.category(ch) == "Cc" or ch in _UNSAFE else ch for ch in text
    )


#: What :func:`_json` writes as a ``\\u`` escape: DEL, the C1 controls and :data:`_UNSAFE`
#: (``json.dumps`` escapes only C0 when ``ensure_ascii`` is false).
_JSON_UNSAFE = re.compile("[\x7f-\x9f" + "".join(sorted(_UNSAFE)) + "]")


def _json(data: object, *, indent: int | None = 2) -> str:
    """``data`` as JSON, non-ASCII text kept, but with no character that could drive a
    terminal: those are ``\\uXXXX`` escapes (outside strings JSON holds only ASCII)."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KiB" if n >= 1024 else f"{n} B"


# -- build ---------------------------------------------------------------------------------


def _formats(value: str | None) -> list[Exporter]:
    names = DEFAULT_FORMATS if value is None else [v.strip() for v in value.split(",") if v.strip()]
    if not names:
        raise BriefkitError("--format needs at least one format name (see: briefkit formats)")
    exporters: list[Exporter] = []
    for name in names:
        exporter = registry.get(name)
        if exporter not in exporters:
            exporters.append(exporter)
    return exporters


def _configured(
    exporters: list[Exporter], page_size: str | None, template: str | None
) -> list[Exporter]:
    """The exporters with the page size and Word template asked for (DOCX and PDF take a page
    size, DOCX a template); an option no chosen format takes is an error."""
    from briefkit.formats.docx.writer import DocxExporter
    from briefkit.formats.pdf.writer import PdfExporter

    size = page_size or "A4"
    if size not in ("A4", "Letter"):
        raise BriefkitError(f"--page-size must be A4 or Letter, not {_safe(size)!r}")
    out: list[Exporter] = []
    for exporter in exporters:
        if type(exporter) is DocxExporter and (page_size or template):
            exporter = DocxExporter(template=template, page_size=size)  # type: ignore[arg-type]
        elif type(exporter) is PdfExporter and page_size:
            exporter = PdfExporter(page_size=size)  # type: ignore[arg-type]
        out.append(exporter)
    kinds = {type(e) for e in out}
    if template and DocxExporter not in kinds:
        raise BriefkitError("--template is a Word template: it needs the docx format (-f docx)")
    if page_size and not kinds & {DocxExporter, PdfExporter}:
        raise BriefkitError("--page-size needs the docx or pdf format")
    return out


def _verifiable(path: Path) -> bool:
    """Whether a checker reads files like ``path`` (a plug-in's output may have none)."""
    from briefkit.errors import UnknownFormatError

    try:
        registry.checker_for(path)
    except UnknownFormatError:
        return False
    return True


def _build(args: argparse.Namespace) -> int:
    from briefkit._export import export
    from briefkit._verify import verify
    from briefkit.manifest import build as build_manifest
    from briefkit.mdbrief import load
    from briefkit.plan import NotePlan

    # unknown formats and options fail before any work
    exporters = _configured(_formats(args.format), args.page_size, args.template)
    stem = args.name or Path(args.brief).stem
    if Path(stem).name != stem or stem.startswith(".") or not stem:
        raise BriefkitError(
            f"--name {stem!r} must be a plain file name (no folders, no leading '.')"
        )
    out_dir = Path(args.output)
    brief_file = Path(args.brief).resolve()
    targets = [out_dir / f"{stem}{e.suffixes[0]}" for e in exporters]
    for target in targets:
        if target.resolve() == brief_file:
            raise BriefkitError(
                f"writing {target} would overwrite the brief itself; "
                "choose another output folder (-o) or --name"
            )
    loaded = load(args.brief)
    err = sys.stderr
    for file, at_line, at_column, message in loaded.warnings:
        _out(err, _safe(f"{file}:{at_line}:{at_column}: warning: {message}"))
    if args.strict and loaded.warnings:
        raise BriefkitError(
            f"{args.brief}: {len(loaded.warnings)} warning(s), errors under --strict; "
            "nothing was written"
        )
    brief = attrs.evolve(loaded.brief, contents=True) if args.contents else loaded.brief
    the_plan = NotePlan.build(
        brief,
        style=args.style,
        locale=args.locale,
        ibid=args.ibid,
        show_spans=args.show_spans,
    )
    built_manifest = build_manifest(the_plan)
    citations = sum(len(s.citations) for s in the_plan.sentences)
    counts = f"{len(the_plan.sentences)} sentences, {citations} citations, "
    counts += f"{len(brief.sources())} sources"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BriefkitError(
            f"cannot create the output folder {str(out_dir)!r}: {exc.strerror}"
        ) from None
    warned = f", {len(loaded.warnings)} warning(s)" if loaded.warnings else ""
    _out(err, _safe(f"{args.brief}: {counts}{warned}"))
    failed = False
    for exporter, target in zip(exporters, targets, strict=True):
        began = time.perf_counter()
        _out(err, _safe(f"  {exporter.name:<5} writing {target} …"))
        export(the_plan, target, format=exporter)
        took = time.perf_counter() - began
        line = f"  {exporter.name:<5} wrote {target} ({_size(target.stat().st_size)}, {took:.1f} s)"
        if args.verify:
            if _verifiable(target):
                # a format that cannot embed the manifest is held to the build's own
                report = verify(
                    target,
                    sources=loaded.sources,
                    strict=args.strict,
                    manifest=built_manifest,
                    style=the_plan.style,
                )
                failed |= not report.ok
                state = "all resolved" if report.ok else "FAILED"
                if report.ok and report.warnings:
                    state += f" ({len(report.warnings)} warning(s))"
                line += f"; verify: {state}"
                if not report.ok:
                    _out(sys.stdout, _safe(line))
                    _print_report(report, sys.stdout)
                    continue
            else:
                line += "; verify: not a format verify reads"
        _out(sys.stdout, _safe(line))
    if args.verify:
        state = "verification FAILED" if failed else "every output verified, all resolved"
        _out(sys.stdout, _safe(f"{counts}: {state}"))
    if failed:
        raise _Failed
    return 0


# -- verify --------------------------------------------------------------------------------


def _print_report(report: Report, out: TextIO) -> None:
    _out(out, _safe(report.summary()))
    for src in report.sources:
        if src.status != "ok":
            detail = f" — {src.detail}" if src.detail else ""
            _out(out, _safe(f"  source {src.id}: {src.status}{detail}"))
    rows = [
        (
            str(c.note) if c.note is not None else "–",
            c.sentence_id,
            c.source,
            f"{c.start}–{c.end}",
            c.status + (f" → {c.new_start}–{c.new_end}" if c.new_start is not None else ""),
            c.detail,
        )
        for c in report.failures
    ]
    if rows:
        head = ("note", "sentence", "source", "chars", "status", "detail")
        widths = [max(len(r[k]) for r in [head, *rows]) for k in range(5)]
        for row in [head, *rows]:
            cells = [row[k].ljust(widths[k]) for k in range(5)]
            _out(out, _safe("  " + "  ".join(cells) + "  " + row[5]))
    failing = set(report.errors)
    for problem in report.problems:
        word = "error" if problem in failing else "warning"
        _out(out, _safe(f"  {word}: {problem} [{problem.code}]"))


def _problem_dict(problem: Problem, failing: set[Problem]) -> dict[str, Any]:
    return {
        "code": problem.code,
        "severity": problem.severity,
        "fails": problem in failing,  # a warning fails too under --strict
        "message": problem.message,
        "sentence": problem.sentence,
        "note": problem.note,
        "place": str(problem.place) if problem.place is not None else None,
    }


def _report_dict(report: Report) -> dict[str, Any]:
    data: dict[str, Any] = attrs.asdict(report)
    data["ok"] = report.ok
    for cit in data["citations"]:
        cit["ok"] = cit["status"] == "ok"
    failing = set(report.errors)
    data["problems"] = [_problem_dict(p, failing) for p in report.problems]
    data["errors"] = len(report.errors)
    data["warnings"] = len(report.warnings)
    return data


def _verify(args: argparse.Namespace) -> int:
    from briefkit._verify import verify

    reports = []
    for path in args.files:
        reports.append(
            verify(
                path,
                sources=args.sources,
                strict=args.strict,
                manifest=args.manifest,
                style=args.style,
            )
        )
    if args.json:
        _out(sys.stdout, _json([_report_dict(r) for r in reports]))
    else:
        for report in reports:
            _print_report(report, sys.stdout)
    if not all(r.ok for r in reports):
        raise _Failed
    return 0


# -- find ----------------------------------------------------------------------------------


def _quoted(text: str) -> str:
    """``text`` as a quoted string of the Markdown brief format, with every character that
    :func:`_safe` would escape written as a ``\\u{…}`` escape of that format (so that the
    line printed is still a citation to copy)."""
    from briefkit.mdbrief.writer import quoted

    return "".join(
        f"\\u{{{ord(ch):X}}}" if unicodedata.category(ch) == "Cc" or ch in _UNSAFE else ch
        for ch in quoted(text)
    )


_LOCATOR_WORDS = {"page": "page", "section": "section", "paragraph": "paragraph"}


def _find(args: argparse.Namespace) -> int:
    from briefkit._locators import locator_for
    from briefkit.sources import Corpus, Source

    if args.sources is not None:
        source = Corpus.from_dir(args.sources)[args.source]
    else:
        source = Source.from_file(args.source)
    try:
        span = source.find(args.text, normalize=args.normalize)
    except TextNotFoundError as exc:
        if args.json:
            _out(sys.stdout, _json({"found": False, "error": str(exc)}, indent=None))
        else:
            _out(sys.stdout, _safe(f"not found: {exc}"))
        raise _Failed from None
    except AmbiguousMatchError as exc:
        if args.json:
            matches = [{"start": a, "end": b, "exact": source.text[a:b]} for a, b in exc.matches]
            record = {"found": False, "error": str(exc), "matches": matches}
            _out(sys.stdout, _json(record))
            raise _Failed from None
        _out(
            sys.stdout,
            _safe(f"ambiguous: {args.text!r} occurs {len(exc.matches)} times in {source.id}:"),
        )
        for start, end in exc.matches:
            line, col = source.line_col(start)
            cite = f"[@{source.id} {_quoted(source.text[start:end])} {start}-{end}]"
            _out(sys.stdout, _safe(f"  chars {start}–{end}, line {line}, column {col}:  {cite}"))
        raise _Failed from None
    pos = source.position(span.start, span.end)
    exact = source.text[span.start : span.end]
    locator = locator_for(source, pos)
    if args.json:
        record = {
            "found": True,
            "source": source.id,
            **attrs.asdict(pos),
            "locator": attrs.asdict(locator),
            "reader": source.reader.to_json(),
        }
        _out(sys.stdout, _json(record))
        return 0
    context = args.context
    before = source.text[max(0, span.start - context) : span.start]
    after = source.text[span.end : span.end + context]
    lines = (
        f"line {pos.line_start}"
        if pos.line_start == pos.line_end
        else f"lines {pos.line_start}–{pos.line_end}"
    )
    word = _LOCATOR_WORDS.get(locator.label, locator.label)
    where = "" if locator.label == "line" else f"{word} {locator.value}, "
    _out(
        sys.stdout,
        _safe(
            f"{source.id}: {where}chars {span.start}–{span.end}, {lines} "
            f"(column {pos.column_start}), bytes {pos.byte_start}–{pos.byte_end}"
        ),
    )
    shown = f"  …{before}[{exact}]{after}…".replace("\f", "⏎⏎").replace("\n", "⏎")
    _out(sys.stdout, _safe(shown.replace("\xad⏎", "-⏎")))
    _out(sys.stdout, _safe(f"  cite as: [@{source.id} {_quoted(exact)}]"))
    return 0


# -- formats -------------------------------------------------------------------------------


class _Listed(attrs.AttrsInstance, Protocol):
    """A row of ``briefkit formats`` or ``briefkit readers``."""

    @property
    def name(self) -> str: ...
    @property
    def suffixes(self) -> tuple[str, ...]: ...
    @property
    def description(self) -> str: ...
    @property
    def origin(self) -> str: ...
    @property
    def error(self) -> str | None: ...


def _listing(
    args: argparse.Namespace,
    rows: Sequence[_Listed],
    widths: tuple[int, int],
    provenance: Callable[[Any], str],
    notes: Sequence[str] = (),
) -> int:
    """Print ``rows`` as JSON or one line each (name, suffixes, description and
    ``[provenance(row)]``, or why the plug-in failed to load), then ``notes``."""
    if args.json:
        _out(sys.stdout, _json([attrs.asdict(r) for r in rows]))
        return 0
    name, suffixes = widths
    for row in rows:
        if row.error:
            line = f"{row.name:<{name}} {'':<{suffixes}} {row.origin}: failed to load: {row.error}"
        else:
            shown = " ".join(row.suffixes)
            line = f"{row.name:<{name}} {shown:<{suffixes}} {row.description} [{provenance(row)}]"
        _out(sys.stdout, _safe(line))
    for note in notes:
        _out(sys.stdout, _safe(f"note: {note}"))
    return 0


def _list_formats(args: argparse.Namespace) -> int:
    return _listing(
        args, registry.available(), (6, 16), lambda row: row.origin, notes=registry.conflicts
    )


def _list_readers(args: argparse.Namespace) -> int:
    from briefkit import readers

    def provenance(row: readers.ReaderInfo) -> str:
        library = f", {row.library}" if row.library else ""
        return f"{row.origin}, version {row.version}{library}"

    return _listing(args, readers.available(), (9, 22), provenance)


def _count(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative")
    return number


# -- parser --------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefkit",
        description="Citation-aware briefing documents: build, verify, find.",
        epilog="Exit status: 0 ok, 1 a check failed, 2 an error. Run 'briefkit COMMAND --help'.",
    )
    parser.add_argument("--version", action="version", version=f"briefkit {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build = sub.add_parser(
        "build",
        help="build a Markdown brief into DOCX, PDF, HTML, Markdown and JSON",
        description="Read BRIEF.md (YAML front matter, headings, sentences with citation "
        "markers) and write OUTDIR/<name>.<suffix> for each format.",
    )
    build.add_argument("brief", metavar="BRIEF.md")
    build.add_argument("-o", "--output", metavar="OUTDIR", required=True, help="output folder")
    build.add_argument(
        "-f",
        "--format",
        metavar="LIST",
        help=f"comma-separated formats (default: {','.join(DEFAULT_FORMATS)}; "
        "see 'briefkit formats')",
    )
    build.add_argument("--name", help="file name stem of the outputs (default: the brief's)")
    build.add_argument(
        "--verify", action="store_true", help="verify every written file against the sources"
    )
    build.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings (numbers no cited span shows) as errors: write nothing",
    )
    build.add_argument(
        "--style",
        metavar="NAME|FILE.csl",
        help="citation style: a bundled CSL style's name (default: the brief's 'style:', else "
        "briefkit-notes) or a .csl file",
    )
    build.add_argument(
        "--locale",
        metavar="xx-XX",
        help="language of notes, labels, dates and quotation marks (default: the brief's "
        "'lang:', else en-US)",
    )
    build.add_argument("--ibid", action="store_true", help="write 'Ibid.' for a repeated source")
    build.add_argument(
        "--page-size", metavar="A4|Letter", help="page size of the DOCX and PDF (default: A4)"
    )
    build.add_argument(
        "--contents",
        action="store_true",
        help="add a table of contents after the title (as the front matter's contents: true)",
    )
    build.add_argument(
        "--template",
        metavar="FILE.docx",
        help="a Word document whose styles, header and footer the DOCX uses",
    )
    build.add_argument(
        "--show-spans",
        action="store_true",
        help="print the audit reference [source id, chars start–end] after every citation",
    )
    build.set_defaults(run=_build)

    ver = sub.add_parser(
        "verify",
        help="check that every citation of written briefs resolves in the sources",
        description="Verify .docx, .pdf, .html, .md or .json briefs against the source files: "
        "status ok, moved, changed or missing for every citation, and the visible notes "
        "against the embedded manifest.",
    )
    ver.add_argument("files", nargs="+", metavar="FILE")
    ver.add_argument("-s", "--sources", required=True, metavar="ROOT", help="the sources folder")
    ver.add_argument("--json", action="store_true", help="print the reports as JSON")
    ver.add_argument(
        "--manifest",
        metavar="JSON",
        help="the .json manifest to hold the files to (for formats that cannot embed one)",
    )
    ver.add_argument(
        "--strict",
        action="store_true",
        help="fail on warnings too (numbers no cited span shows)",
    )
    ver.add_argument(
        "--style",
        metavar="FILE.csl",
        help="the CSL file the notes were written with (bundled styles are found by name)",
    )
    ver.set_defaults(run=_verify)

    find = sub.add_parser(
        "find",
        help="locate text in a source file: span, lines, context",
        description="Find the unique occurrence of TEXT in SOURCE and print its span, lines and "
        "context, or the near misses / every occurrence when it is not unique.",
    )
    find.add_argument("source", metavar="SOURCE", help="a source file (or an id with --sources)")
    find.add_argument("text", metavar="TEXT")
    find.add_argument("-s", "--sources", metavar="ROOT", help="read SOURCE as an id under ROOT")
    find.add_argument(
        "--normalize",
        action="store_true",
        help="tolerate curly/straight quotes, NBSP, whitespace runs and NFC differences",
    )
    find.add_argument(
        "--context", type=_count, default=40, help="characters of context (default 40)"
    )
    find.add_argument("--json", action="store_true", help="print the position as JSON")
    find.set_defaults(run=_find)

    formats = sub.add_parser(
        "formats",
        help="list the export formats, plug-ins included",
        description="List every registered exporter: built-in ones and plug-ins found through "
        "the 'briefkit.exporters' entry-point group.",
    )
    formats.add_argument("--json", action="store_true", help="print the list as JSON")
    formats.set_defaults(run=_list_formats)

    source_readers = sub.add_parser(
        "readers",
        help="list the source readers (PDF, HTML, DOCX …), plug-ins included",
        description="List every source reader: built-in ones and plug-ins found through the "
        "'briefkit.sources' entry-point group, with the suffixes each claims.",
    )
    source_readers.add_argument("--json", action="store_true", help="print the list as JSON")
    source_readers.set_defaults(run=_list_readers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.run(args)
    except _Failed:
        return 1
    except BriefkitError as exc:
        if args.debug:
            raise
        lines = str(exc).split("\n")  # one line, or a list of problems one a line
        print(
            "\n".join(_safe(line) for line in [f"briefkit: error: {lines[0]}", *lines[1:]]),
            file=sys.stderr,
        )
        return 2
    except OSError as exc:
        if args.debug:
            raise
        where = f" {exc.filename!r}" if exc.filename else ""
        print(
            _safe(f"briefkit: error: cannot access{where}: {exc.strerror or exc}"), file=sys.stderr
        )
        return 2
    except KeyboardInterrupt:
        print("briefkit: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so briefly; --debug shows the traceback
        if args.debug:
            raise
        print(
            _safe(
                f"briefkit: internal error: {type(exc).__name__}: {exc} "
                "(run with --debug for the traceback, and please report it)"
            ),
            file=sys.stderr,
        )
        return 2
    return status


if __name__ == "__main__":
    sys.exit(main())
