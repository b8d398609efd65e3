"""The exporter contract: checks every exporter, built-in or plug-in, should pass.

In a pytest module, subclass :class:`ExporterContract` and name the exporter; the test methods
are inherited::

    from briefkit.testing import ExporterContract
    from my_plugin import MyExporter

    class TestMyExporter(ExporterContract):
        exporter = MyExporter()
        text_encoding = "utf-8"  # a text format: check that every citation survives

Other test runners call :func:`check_exporter_contract`, which runs the same checks and raises
:class:`AssertionError` on the first failure. The checks:

* the object passes :func:`briefkit.exporters.check_exporter`, and its name, suffixes, media
  type and description are usable (lower-case one-dot suffixes, a ``type/subtype`` media type
  whose ``charset`` agrees with ``text_encoding``, a one-line description);
* it can be registered under its name and found by each suffix, without taking a built-in's name;
* ``write`` appends non-empty bytes at the stream's position and leaves the stream open;
* the same brief gives the same bytes (twice from one plan, and from two plans of the brief);
* :func:`briefkit.render` and :func:`briefkit.export` (to a file with each suffix) agree;
* for text formats, every note number and every ``[source id, chars start–end]`` reference
  appears in the output, the references in note order;
* random briefs with hostile Unicode (:func:`contract_briefs`) export, or are refused with a
  :class:`~briefkit.BriefkitError` that has a message — never another exception.

Needs the ``test`` extra (Hypothesis); pytest is imported only to skip a check.
"""

from __future__ import annotations

import codecs
import io
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar, NoReturn

import attrs
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from briefkit._export import export, render
from briefkit.errors import BriefkitError
from briefkit.formats import Exporter, Registry, check_exporter
from briefkit.model import (
    Brief,
    analysis,
    block_quote,
    bullets,
    paragraph,
    section,
    sentence,
)
from briefkit.plan import NotePlan
from briefkit.sources import Source, SourceMeta
from briefkit.testing.strategies import briefs, hard_text, source_bytes

__all__ = [
    "ExporterContract",
    "check_exporter_contract",
    "contract_briefs",
    "sample_brief",
]

#: Reads an export's bytes as text for the citation check (None: a binary format).
TextReader = Callable[[bytes], str | None]

_SUFFIX = re.compile(r"\.[a-z0-9][a-z0-9_+-]*\Z")
_TOKEN = r"[A-Za-z0-9!#$%&'*+.^_`|~-]+"
_MEDIA_TYPE = re.compile(
    rf"(?P<type>{_TOKEN})/(?P<subtype>{_TOKEN})"
    rf"(?P<params>(?:\s*;\s*{_TOKEN}=(?:{_TOKEN}|\"[^\"\\]*\"))*)\Z"
)
_PARAM = re.compile(rf"({_TOKEN})=({_TOKEN}|\"[^\"\\]*\")")
_SOURCE_IDS = ("a.txt", "b.md", "sub/c.txt", "x-1_long.name.text")
_URLS = (None, "https://example.org/a?b=1&c=<d>", "http://example.org/[x]", "javascript:alert(1)")


def _fail(message: str) -> NoReturn:
    raise AssertionError(message)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _first_difference(a: bytes, b: bytes) -> str:
    at = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    return (
        f"{len(a)} vs {len(b)} bytes, first difference at byte {at}: "
        f"{a[max(0, at - 20) : at + 20]!r} vs {b[max(0, at - 20) : at + 20]!r}"
    )


def _squash(text: str) -> str:
    """``text`` without whitespace, so a reference wrapped across lines still matches."""
    return "".join(text.split())


# -- what the checks run on --------------------------------------------------------------------


def sample_brief() -> Brief:
    """A small fixed brief using every kind of block and excerpt: key points, nested sections,
    a quote with a speaker, figures, paraphrases, cited and uncited analysis, a list item with
    a line break, a block quote with a further citation, two sources (one with metadata and a
    URL, one in a sub-folder) cited several times. Latin text only, so any font can show it."""
    alpha = Source.from_text(
        "harbour-report.txt",
        "Harbour report\n"
        "The council approved 1,250 new berths on Tuesday, the mayor said.\r\n"
        "Café owners called it a turning point for the waterfront; others disagreed.\n"
        "Work starts in May and should take three years, said the port authority, which "
        "expects the first ships to use the new quay before the end of the second summer, "
        "weather permitting, and has asked the council for a further review of the dredging "
        "plan once the survey of the old breakwater is complete.\n",
        meta=SourceMeta.from_csl(
            {
                "title": "Harbour report",
                "container-title": "Coastal Times",
                "issued": "2024-03-05",
                "author": ["R. Okafor"],
                "URL": "https://example.org/harbour?id=7&x=1",
            }
        ),
    )
    beta = Source.from_text(
        "notes/fees.md", "# Fees\n\nBerth fees rise 4.5% from April.\nNothing else changed.\n"
    )
    long_passage = alpha.text[alpha.text.index("Work starts") : alpha.text.index(" plan once")]
    return Brief(
        title="Harbour brief: berths & fees <draft>",
        subtitle="A sample for the exporter contract",
        author="briefkit",
        date="2024-03-06",
        key_points=[
            sentence("The council approved ", alpha.figure("1,250", unit="berths"), "."),
            sentence("Fees rise ", beta.figure("4.5", unit="per cent"), " from April."),
        ],
        sections=[
            section(
                "Decision",
                paragraph(
                    sentence(
                        alpha.quote("a turning point for the waterfront", speaker="Café owners"),
                        ".",
                    ),
                    analysis(
                        "The fee rise may slow demand for the new berths in the first years.",
                        cite=beta.paraphrase("Berth fees rise 4.5% from April."),
                    ),
                    analysis("Nothing here is settled yet."),
                ),
                bullets(
                    sentence("Approved on Tuesday.", cite=alpha.paraphrase("on Tuesday")),
                    sentence(
                        "Fees change;\nnothing else does.",
                        cite=[
                            beta.paraphrase("Nothing else changed."),
                            alpha.paraphrase("others disagreed"),
                        ],
                    ),
                ),
                block_quote(
                    alpha.quote(long_passage, speaker="Port authority"),
                    cite=beta.paraphrase("Berth fees"),
                ),
                section(
                    "Open questions",
                    paragraph(
                        sentence("Some disagreed.", cite=alpha.paraphrase("others disagreed"))
                    ),
                ),
            ),
        ],
    )


def _sources(keep: Callable[[str], bool] | None) -> st.SearchStrategy[Source]:
    words = hard_text(1, 24, keep=keep)
    dates = st.dates().map(lambda d: d.isoformat()[: 4 + 3 * (d.day % 3)])  # Y, Y-M or Y-M-D

    @st.composite
    def meta(draw: st.DrawFn) -> SourceMeta:
        return SourceMeta.from_csl(
            {
                "title": draw(st.none() | words),
                "container-title": draw(st.none() | words),
                "author": draw(st.lists(words, max_size=2)),
                "issued": draw(st.none() | dates),
                "URL": draw(st.sampled_from(_URLS)),
            }
        )

    return st.builds(
        Source.from_bytes,
        st.sampled_from(_SOURCE_IDS),
        source_bytes(1, 80, keep=keep),
        meta=st.none() | meta(),
    ).filter(lambda source: bool(source.text))


def contract_briefs(*, keep: Callable[[str], bool] | None = None) -> st.SearchStrategy[Brief]:
    """Random briefs over zero to three random sources (hostile text, sometimes metadata and
    URLs, ids with folders), from :func:`briefkit.testing.briefs`. ``keep`` limits every
    generated text as in :func:`briefkit.testing.hard_text` (e.g. to what a font can draw)."""
    pools = st.lists(_sources(keep), max_size=3, unique_by=lambda source: source.id)
    return pools.flatmap(lambda pool: briefs(pool, keep=keep))


def _text_reader(text_encoding: str | None) -> TextReader | None:
    if text_encoding is None:
        return None
    codecs.lookup(text_encoding)  # an unknown encoding is the test's mistake: fail loudly
    return lambda data: data.decode(text_encoding)


# -- the checks ------------------------------------------------------------------------------


@attrs.frozen
class _Contract:
    exporter: object
    read_text: TextReader | None
    text_encoding: str | None
    note_mark: str | None
    refuses: tuple[type[BriefkitError], ...]
    brief: Brief
    strategy: st.SearchStrategy[Brief]
    examples: int
    shrink: bool = True

    def checked(self) -> Exporter:
        try:
            return check_exporter(self.exporter, "the exporter under test")
        except BriefkitError as exc:
            raise AssertionError(str(exc)) from exc

    def _render(self, exporter: Exporter, plan: NotePlan, what: str) -> bytes:
        try:
            return render(plan, exporter)
        except Exception as exc:
            raise AssertionError(
                f"{exporter.name}: exporting {what} raised {_describe(exc)}"
            ) from exc

    def check_protocol(self) -> None:
        for kind in self.refuses:
            if not (isinstance(kind, type) and issubclass(kind, BriefkitError)):
                _fail(f"refuses may only name BriefkitError subclasses, not {kind!r}")
        self.checked()

    def check_metadata(self) -> None:
        ex = self.checked()
        for attr in ("name", "media_type", "description"):
            if type(getattr(ex, attr)) is not str:
                _fail(f"{attr} must be a str, not {type(getattr(ex, attr)).__name__}")
        if not ex.suffixes:
            _fail(f"{ex.name}: suffixes is empty; give at least one, like ('.{ex.name}',)")
        for suffix in ex.suffixes:
            if not _SUFFIX.match(suffix):
                _fail(
                    f"{ex.name}: suffix {suffix!r} must be lower case with a single leading dot "
                    "(file names are matched by their last suffix, lower-cased)"
                )
        if len(set(ex.suffixes)) != len(ex.suffixes):
            _fail(f"{ex.name}: suffixes {ex.suffixes!r} repeat one")
        media = _MEDIA_TYPE.match(ex.media_type)
        if media is None:
            _fail(f"{ex.name}: media type {ex.media_type!r} is not type/subtype[; param=value]")
        params = {k.lower(): v.strip('"') for k, v in _PARAM.findall(media.group("params"))}
        charset = params.get("charset")
        if charset is not None and self.text_encoding is not None:
            try:
                same = codecs.lookup(charset).name == codecs.lookup(self.text_encoding).name
            except LookupError:
                same = False
            if not same:
                _fail(f"{ex.name}: media type charset {charset!r} but text is {self.text_encoding}")
        text = ex.description
        if not text.strip() or text != text.strip() or not text.isprintable() or len(text) > 120:
            _fail(f"{ex.name}: description {text!r} must be one printable line of 1–120 characters")

    def check_registry(self) -> None:
        ex = self.checked()
        registry = Registry(group=None)
        if ex.name in registry.names():
            builtin = registry.get(ex.name)
            if type(builtin) is not type(ex):
                _fail(
                    f"{ex.name!r} is a built-in format's name; a plug-in under it would be ignored"
                )
            return
        registry.register(ex)
        if registry.get(ex.name) is not ex:
            _fail(f"{ex.name}: registry.get({ex.name!r}) does not give the exporter back")
        for suffix in ex.suffixes:
            if registry.for_path(f"brief{suffix}") is not ex:
                try:  # a suffix a built-in format already has selects that one: allowed
                    Registry(group=None).for_path(f"brief{suffix}")
                except BriefkitError:
                    _fail(f"{ex.name}: a file named brief{suffix} does not select the exporter")

    def check_stream(self) -> None:
        ex = self.checked()
        plan = NotePlan.build(self.brief)
        stream = io.BytesIO()
        stream.write(b"earlier bytes")
        try:
            result = ex.write(plan, stream)  # type: ignore[func-returns-value]
        except Exception as exc:
            raise AssertionError(f"{ex.name}: write() raised {_describe(exc)}") from exc
        if stream.closed:
            _fail(f"{ex.name}: write() closed the stream; the caller owns it")
        data = stream.getvalue()
        if not data.startswith(b"earlier bytes"):
            _fail(f"{ex.name}: write() changed bytes before the stream's position (did it seek?)")
        if len(data) == len(b"earlier bytes"):
            _fail(f"{ex.name}: write() wrote nothing")
        if result is not None:
            _fail(f"{ex.name}: write() returned {result!r}; it should return None")

    def check_deterministic(self) -> None:
        ex = self.checked()
        first_plan, second_plan = NotePlan.build(self.brief), NotePlan.build(self.brief)
        first = self._render(ex, first_plan, "the sample brief")
        for again, how in (
            (self._render(ex, first_plan, "the sample brief"), "the same plan twice"),
            (self._render(ex, second_plan, "the sample brief"), "two plans of the same brief"),
        ):
            if again != first:
                _fail(f"{ex.name}: not deterministic ({how}): {_first_difference(first, again)}")

    def check_render_and_export(self, folder: Path) -> None:
        ex = self.checked()
        expected = self._render(ex, NotePlan.build(self.brief), "the sample brief")
        for suffix in ex.suffixes:
            target = folder / f"brief{suffix}"
            try:
                written = export(self.brief, target, format=ex)
            except Exception as exc:
                raise AssertionError(f"{ex.name}: export() raised {_describe(exc)}") from exc
            if Path(written) != target or target.read_bytes() != expected:
                _fail(f"{ex.name}: export() to {target.name} differs from render()")
        left = sorted(p.name for p in folder.iterdir() if p.name.startswith("."))
        if left:
            _fail(f"{ex.name}: export() left temporary files behind: {left}")

    def text_of(self, name: str, data: bytes) -> str | None:
        if self.read_text is None:
            return None
        try:
            return self.read_text(data)
        except UnicodeDecodeError as exc:
            raise AssertionError(
                f"{name}: output is not valid {exc.encoding} at byte {exc.start}: "
                f"{data[max(0, exc.start - 20) : exc.end + 20]!r}"
            ) from exc

    def check_citations(self, name: str, plan: NotePlan, text: str) -> None:
        """Every note number, and every note's text in note order, appear in ``text``."""
        squashed = _squash(text)
        at = 0
        for note in plan.notes:
            n = note.number
            if self.note_mark is not None:
                mark = self.note_mark.format(n=n)
                if mark not in text:
                    _fail(f"{name}: the mark {mark!r} of note {n} is missing")
            elif not re.search(rf"(?<!\d){n}(?!\d)", text):
                _fail(f"{name}: the number of note {n} does not appear")
            # the note's words, in order (a format escapes punctuation and controls its own way)
            for word in re.findall(r"[^\W_]+", note.text):
                found = squashed.find(word, at)
                if found < 0:
                    where = "at all" if squashed.find(word) < 0 else "in note order"
                    _fail(
                        f"{name}: the text of note {n} ({note.text[:60]!r}) does not appear "
                        f"{where}: {word!r} is missing"
                    )
                at = found + len(word)

    def check_text(self) -> bool:
        """The citation check on the sample brief; False for a binary format."""
        ex = self.checked()
        plan = NotePlan.build(self.brief)
        text = self.text_of(ex.name, self._render(ex, plan, "the sample brief"))
        if text is None:
            return False
        if plan.notes and not text.strip():
            _fail(f"{ex.name}: the output reads as empty text")
        self.check_citations(ex.name, plan, text)
        return True

    def check_random_briefs(self) -> None:
        ex = self.checked()

        def one(brief: Brief) -> None:
            plan = NotePlan.build(brief)
            try:
                data = render(plan, ex)
            except self.refuses as exc:
                if not str(exc).strip():
                    raise AssertionError(f"{ex.name}: refused with an empty message") from exc
                return
            except Exception as exc:
                allowed = ", ".join(k.__name__ for k in self.refuses) or "nothing"
                raise AssertionError(
                    f"{ex.name}: raised {_describe(exc)} (may raise: {allowed})"
                ) from exc
            if not data:
                _fail(f"{ex.name}: wrote nothing")
            again = self._render(ex, NotePlan.build(brief), "the same brief again")
            if again != data:
                _fail(f"{ex.name}: not deterministic: {_first_difference(data, again)}")
            text = self.text_of(ex.name, data)
            if text is not None:
                self.check_citations(ex.name, plan, text)

        phases = tuple(p for p in Phase if self.shrink or p not in (Phase.shrink, Phase.explain))
        run = settings(
            max_examples=self.examples,
            phases=phases,
            deadline=None,
            report_multiple_bugs=False,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )(given(self.strategy)(one))
        run()


def check_exporter_contract(
    exporter: object,
    *,
    text_encoding: str | None = None,
    examples: int = 25,
    read_text: TextReader | None = None,
    note_mark: str | None = None,
    refuses: tuple[type[BriefkitError], ...] = (BriefkitError,),
    brief: Brief | None = None,
    strategy: st.SearchStrategy[Brief] | None = None,
    shrink: bool = True,
) -> None:
    """Run every contract check on ``exporter`` (an object or a class taking no arguments);
    raise :class:`AssertionError` naming the first that fails.

    ``text_encoding`` (or ``read_text``, bytes to text) makes it a text format, whose citations
    are checked; ``note_mark`` (e.g. ``"[{n}]"``) is how it marks note ``n``. ``examples``
    random briefs are tried; the exporter may refuse one only with an exception in
    ``refuses`` (``()``: it must export them all). ``brief`` replaces :func:`sample_brief`
    and ``strategy`` replaces :func:`contract_briefs`. ``shrink=False`` reports the first
    failing random brief as found instead of a minimal one (faster, harder to read).
    """
    contract = _Contract(
        exporter=exporter,
        read_text=read_text or _text_reader(text_encoding),
        text_encoding=text_encoding,
        note_mark=note_mark,
        refuses=tuple(refuses),
        brief=brief if brief is not None else sample_brief(),
        strategy=strategy if strategy is not None else contract_briefs(),
        examples=examples,
        shrink=shrink,
    )
    contract.check_protocol()
    contract.check_metadata()
    contract.check_registry()
    contract.check_stream()
    contract.check_deterministic()
    with tempfile.TemporaryDirectory(prefix="briefkit-contract-") as folder:
        contract.check_render_and_export(Path(folder))
    contract.check_text()
    contract.check_random_briefs()


class ExporterContract:
    """Contract tests for an exporter; subclass in a pytest module (as ``TestSomething``).

    Set ``exporter`` to the exporter (or its class). Optional settings: ``text_encoding`` for
    a text format (or override :meth:`read_text`), ``note_mark`` such as ``"[{n}]"``,
    ``refuses`` (the errors it may raise on a brief it cannot show; ``()`` for none),
    ``examples`` (random briefs per run). Override :meth:`brief` or :meth:`brief_strategy` to
    test other briefs, e.g. ``contract_briefs(keep=...)`` for text a format cannot hold.
    """

    exporter: ClassVar[object]
    text_encoding: ClassVar[str | None] = None
    note_mark: ClassVar[str | None] = None
    refuses: ClassVar[tuple[type[BriefkitError], ...]] = (BriefkitError,)
    examples: ClassVar[int] = 25

    def read_text(self, data: bytes) -> str | None:
        """The output as text for the citation check; None for a binary format."""
        return None if self.text_encoding is None else data.decode(self.text_encoding)

    def brief(self) -> Brief:
        """The fixed brief most checks export."""
        return sample_brief()

    def brief_strategy(self) -> st.SearchStrategy[Brief]:
        """The random briefs the exporter must survive."""
        return contract_briefs()

    def _contract(self) -> _Contract:
        exporter = getattr(type(self), "exporter", None)
        if exporter is None:
            raise TypeError(
                f"{type(self).__name__} must set exporter = YourExporter() (or the class)"
            )
        if self.text_encoding is not None:
            codecs.lookup(self.text_encoding)
        return _Contract(
            exporter=exporter,
            read_text=self.read_text,
            text_encoding=self.text_encoding,
            note_mark=self.note_mark,
            refuses=tuple(self.refuses),
            brief=self.brief(),
            strategy=self.brief_strategy(),
            examples=self.examples,
        )

    def test_is_an_exporter(self) -> None:
        self._contract().check_protocol()

    def test_metadata_is_usable(self) -> None:
        self._contract().check_metadata()

    def test_registers_by_name_and_suffix(self) -> None:
        self._contract().check_registry()

    def test_writes_bytes_and_leaves_the_stream_open(self) -> None:
        self._contract().check_stream()

    def test_is_deterministic(self) -> None:
        self._contract().check_deterministic()

    def test_render_and_export_agree(self, tmp_path: Path) -> None:
        self._contract().check_render_and_export(tmp_path)

    def test_citations_survive_as_text(self) -> None:
        if not self._contract().check_text():
            import pytest

            pytest.skip("binary format: set text_encoding or override read_text to check notes")

    def test_random_briefs_export_or_are_refused_cleanly(self) -> None:
        self._contract().check_random_briefs()
