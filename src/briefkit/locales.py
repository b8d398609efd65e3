"""The languages a brief can be written in: quotation marks, full stop, labels and dates.

A :class:`Locale` is a frozen value; :meth:`Locale.named` builds one from a language tag
(``"de"``, ``"de-DE"``, ``"de_DE"``, any case) and caches it::

    >>> de = Locale.named("de")
    >>> de.quotes, de.labels["key_points"], de.date("2016-12-05")
    (('„', '“'), 'Kernaussagen', '5. Dezember 2016')

Month names of the Latin-script languages come from the CSL locale files shipped with
citeproc-py when it is installed (``citeproc/data/locales/locales-<tag>.xml``, terms
``month-01`` … ``month-12``, long form), so dates read as they do in CSL-rendered notes;
without citeproc-py a built-in table with the same names is used. Japanese and Chinese dates
are written with numerals (``2016年12月5日``) and need no month names.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import string
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from briefkit.errors import LocaleError

__all__ = ["DEFAULT_LOCALE", "SUPPORTED", "Locale", "LocaleError"]

#: The tag used when none is given.
DEFAULT_LOCALE = "en-US"

#: The canonical tags :meth:`Locale.named` accepts (each also by its language alone, e.g.
#: ``"de"``; ``"en"`` is ``en-US``, ``"zh"`` is ``zh-CN``).
SUPPORTED: tuple[str, ...] = (
    "en-US",
    "en-GB",
    "de-DE",
    "fr-FR",
    "es-ES",
    "ja-JP",
    "zh-CN",
    "zh-TW",
)

_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        **{tag.lower(): tag for tag in SUPPORTED},
        "en": "en-US",
        "de": "de-DE",
        "fr": "fr-FR",
        "es": "es-ES",
        "ja": "ja-JP",
        "zh": "zh-CN",
        "zh-hans": "zh-CN",
        "zh-hant": "zh-TW",
    }
)

_LABEL_KEYS = frozenset(
    (
        *("key_points", "analysis", "notes", "said", "bibliography", "references", "provenance"),
        # the HTML page's furniture around each note: an excerpt's caption (without, and —
        # for an audit copy — with its source id and span), the link that opens the passage
        # at its source, the back link's accessible name
        *("excerpt_label", "excerpt_caption", "open_source", "back_to_mark"),
        # the accessible name of a note's mark (a link to the note)
        "to_note",
        # a table's caption, and the table of differences: its heading and column labels
        *("table_caption", "differences", "measure", "value", "source", "date"),
        # a cross-reference to a table; a figure's caption label, and a reference to it
        *("table_ref", "figure_label", "figure_ref"),
        # the table of contents' heading; a cross-reference with the page it leads to
        *("contents", "page_ref"),
    )
)

#: the ``{field}`` each label with blanks to fill in holds (every other label holds none)
_FIELDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "excerpt_caption": ("source", "start", "end"),
        "back_to_mark": ("note",),
        "to_note": ("note",),
        "table_caption": ("number", "caption"),
        "table_ref": ("number",),
        "figure_label": ("number",),
        "figure_ref": ("number",),
        "page_ref": ("ref", "page"),
    }
)

_NNBSP = "\u202f"  # NARROW NO-BREAK SPACE, inside French guillemets
_NBSP = "\u00a0"  # NO-BREAK SPACE, before a French colon

# lang or tag -> (quotes, inner quotes)
_MARKS: Mapping[str, tuple[tuple[str, str], tuple[str, str]]] = MappingProxyType(
    {
        "en": (("“", "”"), ("‘", "’")),
        "de": (("„", "“"), ("‚", "‘")),
        "fr": ((f"«{_NNBSP}", f"{_NNBSP}»"), ("“", "”")),
        "es": (("«", "»"), ("“", "”")),
        "ja": (("「", "」"), ("『", "』")),
        "zh-CN": (("“", "”"), ("‘", "’")),
        "zh-TW": (("「", "」"), ("『", "』")),
    }
)

_LABELS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "en": {
            "key_points": "Key points",
            "analysis": "Analysis",
            "notes": "Notes",
            "said": "said,",
            "bibliography": "Bibliography",
            "references": "References",
            "provenance": "Sources",
            "excerpt_label": "Cited text",
            "excerpt_caption": "Source text: {source}, chars {start}–{end}",
            "open_source": "Open this passage at the source",
            "back_to_mark": "Back to note {note} reference",
            "to_note": "Note {note}",
            "table_caption": "Table {number}. {caption}",
            "differences": "Where the sources differ",
            "measure": "Measure",
            "value": "Value",
            "source": "Source",
            "date": "Date",
            "table_ref": "Table {number}",
            "figure_label": "Figure {number}.",
            "figure_ref": "Figure {number}",
            "contents": "Contents",
            "page_ref": "{ref} on page {page}",
        },
        "de": {
            "key_points": "Kernaussagen",
            "analysis": "Analyse",
            "notes": "Anmerkungen",
            "said": "sagte:",
            "bibliography": "Literaturverzeichnis",
            "references": "Literatur",
            "provenance": "Quellen",
            "excerpt_label": "Zitierte Stelle",
            "excerpt_caption": "Quelltext: {source}, Zeichen {start}–{end}",
            "open_source": "Diese Stelle in der Quelle öffnen",
            "back_to_mark": "Zurück zum Verweis auf Anmerkung {note}",
            "to_note": "Anmerkung {note}",
            "table_caption": "Tabelle {number}. {caption}",
            "differences": "Wo die Quellen voneinander abweichen",
            "measure": "Größe",
            "value": "Wert",
            "source": "Quelle",
            "date": "Datum",
            "table_ref": "Tabelle {number}",
            "figure_label": "Abbildung {number}.",
            "figure_ref": "Abbildung {number}",
            "contents": "Inhalt",
            "page_ref": "{ref} auf Seite {page}",
        },
        "fr": {
            "key_points": "Points clés",
            "analysis": "Analyse",
            "notes": "Notes",
            "said": f"a déclaré{_NBSP}:",
            "bibliography": "Bibliographie",
            "references": "Références",
            "provenance": "Sources",
            "excerpt_label": "Passage cité",
            "excerpt_caption": f"Texte source{_NBSP}: {{source}}, caractères {{start}}–{{end}}",
            "open_source": "Ouvrir ce passage dans la source",
            "back_to_mark": "Retour à l’appel de note {note}",
            "to_note": "Note {note}",
            "table_caption": "Tableau {number}. {caption}",
            "differences": "Où les sources divergent",
            "measure": "Grandeur",
            "value": "Valeur",
            "source": "Source",
            "date": "Date",
            "table_ref": "tableau {number}",
            "figure_label": "Figure {number}.",
            "figure_ref": "figure {number}",
            "contents": "Table des matières",
            "page_ref": "{ref} à la page {page}",
        },
        "es": {
            "key_points": "Puntos clave",
            "analysis": "Análisis",
            "notes": "Notas",
            "said": "dijo:",
            "bibliography": "Bibliografía",
            "references": "Referencias",
            "provenance": "Fuentes",
            "excerpt_label": "Pasaje citado",
            "excerpt_caption": "Texto de la fuente: {source}, caracteres {start}–{end}",
            "open_source": "Abrir este pasaje en la fuente",
            "back_to_mark": "Volver a la llamada de la nota {note}",
            "to_note": "Nota {note}",
            "table_caption": "Tabla {number}. {caption}",
            "differences": "Dónde difieren las fuentes",
            "measure": "Magnitud",
            "value": "Valor",
            "source": "Fuente",
            "date": "Fecha",
            "table_ref": "tabla {number}",
            "figure_label": "Figura {number}.",
            "figure_ref": "figura {number}",
            "contents": "Índice",
            "page_ref": "{ref} en la página {page}",
        },
        "ja": {
            "key_points": "要点",
            "analysis": "分析",
            "notes": "注",
            "said": "は次のように述べた：",
            "bibliography": "参考文献",
            "references": "引用文献",
            "provenance": "出典",
            "excerpt_label": "引用箇所",
            "excerpt_caption": "出典の本文：{source}、{start}–{end}文字目",
            "open_source": "この箇所を出典で開く",
            "back_to_mark": "注{note}の参照箇所に戻る",
            "to_note": "注{note}",
            "table_caption": "表{number}　{caption}",
            "differences": "出典間の相違",
            "measure": "項目",
            "value": "数値",
            "source": "出典",
            "date": "日付",
            "table_ref": "表{number}",
            "figure_label": "図{number}",
            "figure_ref": "図{number}",
            "contents": "目次",
            "page_ref": "{page}ページの{ref}",
        },
        "zh-CN": {
            "key_points": "要点",
            "analysis": "分析",
            "notes": "注释",
            "said": "说：",
            "bibliography": "参考书目",
            "references": "参考文献",
            "provenance": "来源",
            "excerpt_label": "引用原文",
            "excerpt_caption": "来源原文：{source}，字符 {start}–{end}",
            "open_source": "在来源中打开此段落",
            "back_to_mark": "返回注释{note}的引用处",
            "to_note": "注释{note}",
            "table_caption": "表{number}　{caption}",
            "differences": "来源之间的差异",
            "measure": "项目",
            "value": "数值",
            "source": "来源",
            "date": "日期",
            "table_ref": "表{number}",
            "figure_label": "图{number}",
            "figure_ref": "图{number}",
            "contents": "目录",
            "page_ref": "第{page}页的{ref}",
        },
        "zh-TW": {
            "key_points": "要點",
            "analysis": "分析",
            "notes": "註釋",
            "said": "說：",
            "bibliography": "參考書目",
            "references": "參考文獻",
            "provenance": "來源",
            "excerpt_label": "引用原文",
            "excerpt_caption": "來源原文：{source}，字元 {start}–{end}",
            "open_source": "在來源中開啟此段落",
            "back_to_mark": "返回註釋{note}的引用處",
            "to_note": "註釋{note}",
            "table_caption": "表{number}　{caption}",
            "differences": "來源之間的差異",
            "measure": "項目",
            "value": "數值",
            "source": "來源",
            "date": "日期",
            "table_ref": "表{number}",
            "figure_label": "圖{number}",
            "figure_ref": "圖{number}",
            "contents": "目錄",
            "page_ref": "第{page}頁的{ref}",
        },
    }
)

# the long month names of the CSL locale files, used when citeproc-py is not installed
_MONTHS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "en": (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
        "de": (
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ),
        "fr": (
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ),
        "es": (
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        ),
        # Japanese and Chinese dates are numeric; these are the month parts of 2016年12月5日
        "ja": tuple(f"{m}月" for m in range(1, 13)),
        "zh": tuple(f"{m}月" for m in range(1, 13)),
    }
)

_DAY_FORMS: Mapping[str, str] = MappingProxyType(
    {
        "en-US": "{m} {d}, {y}",
        "en-GB": "{d} {m} {y}",
        "de-DE": "{d}. {m} {y}",
        "fr-FR": "{d} {m} {y}",
        "es-ES": "{d} de {m} de {y}",
        "ja-JP": "{y}年{m}{d}日",
        "zh-CN": "{y}年{m}{d}日",
        "zh-TW": "{y}年{m}{d}日",
    }
)

_MONTH_FORMS: Mapping[str, str] = MappingProxyType(
    {
        "en-US": "{m} {y}",
        "en-GB": "{m} {y}",
        "de-DE": "{m} {y}",
        "fr-FR": "{m} {y}",
        "es-ES": "{m} de {y}",
        "ja-JP": "{y}年{m}",
        "zh-CN": "{y}年{m}",
        "zh-TW": "{y}年{m}",
    }
)


_CSL_NS = "http://purl.org/net/xbiblio/csl"
_ISO_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def _pick(table: Mapping[str, Any], tag: str) -> Any:
    """The entry of ``table`` for ``tag``, or else for its language."""
    return table[tag] if tag in table else table[tag.split("-")[0]]


def _labels(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


def _check_tag(instance: Locale, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in SUPPORTED:
        raise LocaleError(_unknown(value))


def _check_labels(
    instance: Locale, attribute: attrs.Attribute[Mapping[str, str]], value: Mapping[str, str]
) -> None:
    if set(value) != _LABEL_KEYS:
        raise LocaleError(f"Locale.labels needs exactly the keys {sorted(_LABEL_KEYS)}")
    for key, label in value.items():
        fields = _fields_of(label)
        if fields is None or fields != set(_FIELDS.get(key, ())):
            want = ", ".join("{" + f + "}" for f in _FIELDS.get(key, ())) or "no {field}"
            raise LocaleError(f"Locale.labels[{key!r}] must hold {want}: {label!r}")


def _fields_of(label: str) -> set[str] | None:
    """The ``{field}`` names of a label, or ``None`` when its braces are not well formed."""
    try:
        return {name for _text, name, _spec, _conv in string.Formatter().parse(label) if name}
    except ValueError:
        return None


def _check_months(
    instance: Locale, attribute: attrs.Attribute[tuple[str, ...]], value: tuple[str, ...]
) -> None:
    if len(value) != 12 or not all(value):
        raise LocaleError("Locale.months needs twelve non-empty month names")


def _check_lang(instance: Locale, attribute: attrs.Attribute[str], value: str) -> None:
    if value != instance.tag.split("-")[0]:
        raise LocaleError(f"Locale.lang of {instance.tag!r} is {instance.tag.split('-')[0]!r}")


@attrs.frozen
class Locale:
    """How a brief in one language reads: its quotation marks, full stop, labels and dates.

    * ``tag`` — the canonical tag, one of :data:`SUPPORTED` (``"de-DE"``); ``lang`` — its
      language (``"de"``).
    * ``quotes`` / ``inner_quotes`` — the opening and closing marks of a quotation and of a
      quotation inside one (French marks include a NARROW NO-BREAK SPACE, U+202F).
    * ``full_stop`` — ``"."``, or ``"。"`` in Japanese and Chinese.
    * ``labels`` — read-only headings and words: ``key_points``, ``analysis``, ``notes``,
      ``said`` (what follows a speaker's name before a quotation), ``bibliography``,
      ``references`` (the bibliography of an author-date style) and ``provenance``; and the
      HTML page's furniture around each note, with blanks :meth:`str.format` fills in:
      ``excerpt_caption`` (under an excerpt's exact text: ``{source}``, ``{start}``,
      ``{end}``), ``open_source`` (the link that opens the passage at its source) and
      ``back_to_mark`` (the accessible name of a note's back link: ``{note}``); ``to_note``
      (the accessible name of a note's mark, a link to its note: ``{note}``). The sources
      appendix's record of each source (``Source …, sha256 …, cited n times.``) is an audit
      record and stays English in every language (:func:`briefkit.plan.source_record`).
    * ``months`` — the twelve month names :meth:`date` uses.

    Use :meth:`named` rather than building one by hand.
    """

    tag: str = attrs.field(validator=_check_tag)
    lang: str = attrs.field(validator=_check_lang)
    quotes: tuple[str, str]
    inner_quotes: tuple[str, str]
    full_stop: str
    labels: Mapping[str, str] = attrs.field(
        converter=_labels, validator=_check_labels, hash=False, repr=False
    )
    months: tuple[str, ...] = attrs.field(converter=tuple, validator=_check_months, repr=False)

    @staticmethod
    def named(tag: str) -> Locale:
        """The locale for ``tag``: ``"de"``, ``"de-DE"``, ``"de_DE"`` (any case) all name
        ``de-DE``. Raises :class:`LocaleError` for a tag that names no supported locale."""
        if not isinstance(tag, str):
            raise TypeError(f"a locale tag is a str, not {type(tag).__name__}")
        canonical = _ALIASES.get(tag.replace("_", "-").lower())
        if canonical is None:
            raise LocaleError(_unknown(tag))
        return _build(canonical)

    @property
    def csl_tag(self) -> str:
        """The tag of the CSL locale (citeproc-py's ``locales-<tag>.xml``) for this locale."""
        return self.tag

    def date(self, iso: str | None) -> str | None:
        """An ISO date ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as this locale writes it.

        * en-US: ``December 5, 2016``, ``December 2016``, ``2016``
        * en-GB: ``5 December 2016``, ``December 2016``, ``2016``
        * de: ``5. Dezember 2016``, ``Dezember 2016``, ``2016``
        * fr: ``5 décembre 2016``, ``décembre 2016``, ``2016``
        * es: ``5 de diciembre de 2016``, ``diciembre de 2016``, ``2016``
        * ja, zh: ``2016年12月5日``, ``2016年12月``, ``2016年``

        French writes the first day of a month ``1er``. ``None``, and any text that is not
        such a date (``"2016-13"``, ``"2016-02-30"``, ``"5 Dec 2016"``), is returned
        unchanged.
        """
        if iso is None:
            return None
        match = _ISO_DATE.fullmatch(iso)
        if match is None:
            return iso
        year, month_text, day_text = match.groups()
        if month_text is None:
            return f"{year}年" if self.lang in ("ja", "zh") else year
        month = int(month_text)
        if not 1 <= month <= 12:
            return iso
        name = self.months[month - 1]
        if day_text is None:
            return _MONTH_FORMS[self.tag].format(y=year, m=name)
        day = int(day_text)
        if not 1 <= day <= _days_in(int(year), month):
            return iso
        shown = "1er" if self.lang == "fr" and day == 1 else str(day)
        return _DAY_FORMS[self.tag].format(y=year, m=name, d=shown)


def _days_in(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _unknown(tag: object) -> str:
    languages = sorted({t.split("-")[0] for t in SUPPORTED})
    return (
        f"unknown locale {tag!r}; supported: {', '.join(SUPPORTED)} "
        f"(or a language alone: {', '.join(languages)})"
    )


def _csl_file(tag: str) -> Path | None:
    """citeproc-py's locale file for ``tag``, when citeproc-py is installed (found without
    importing it)."""
    try:
        spec = importlib.util.find_spec("citeproc")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "locales"
    path /= f"locales-{tag}.xml"
    return path if path.is_file() else None


def _csl_months(tag: str) -> tuple[str, ...] | None:
    """The long month names of the CSL locale ``tag``, or ``None`` when citeproc-py or its
    file is missing or does not name all twelve months."""
    path = _csl_file(tag)
    if path is None:
        return None
    from lxml import etree  # imported on use: ``import briefkit`` stays light

    try:
        root = etree.parse(
            str(path), etree.XMLParser(resolve_entities=False, no_network=True)
        ).getroot()
    except (OSError, etree.XMLSyntaxError):
        return None
    names: dict[str, str] = {}
    for term in root.iterfind(f"{{{_CSL_NS}}}terms/{{{_CSL_NS}}}term"):
        name = term.get("name", "")
        if name.startswith("month-") and term.get("form", "long") == "long":
            text = (term.text or "").strip()
            if text:
                names.setdefault(name, text)
    months = tuple(names.get(f"month-{m:02d}", "") for m in range(1, 13))
    return months if all(months) else None


@functools.cache
def _build(tag: str) -> Locale:
    lang = tag.split("-")[0]
    quotes, inner = _pick(_MARKS, tag)
    months = _pick(_MONTHS, tag)
    if lang not in ("ja", "zh"):
        months = _csl_months(tag) or months
    return Locale(
        tag=tag,
        lang=lang,
        quotes=quotes,
        inner_quotes=inner,
        full_stop="。" if lang in ("ja", "zh") else ".",
        labels=_pick(_LABELS, tag),
        months=months,
    )
