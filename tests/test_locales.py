"""Locales: tags, quotation marks, labels, dates, and month names from CSL."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import briefkit.locales
from briefkit.errors import BriefkitError
from briefkit.locales import DEFAULT_LOCALE, SUPPORTED, Locale, LocaleError

NNBSP = "\u202f"
NBSP = "\u00a0"


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    """Locales built afresh, and the cache emptied again afterwards (a test that patches how
    locales are built must not leave its locales behind)."""
    briefkit.locales._build.cache_clear()
    yield
    briefkit.locales._build.cache_clear()


# -- tags -------------------------------------------------------------------------------


def test_the_module_surface() -> None:
    assert sorted(briefkit.locales.__all__) == [
        "DEFAULT_LOCALE",
        "Locale",
        "LocaleError",
        "SUPPORTED",
    ]
    assert DEFAULT_LOCALE == "en-US"
    assert SUPPORTED == ("en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "ja-JP", "zh-CN", "zh-TW")


@pytest.mark.parametrize(
    ("tag", "canonical"),
    [
        ("en", "en-US"),
        ("EN", "en-US"),
        ("en-US", "en-US"),
        ("en_us", "en-US"),
        ("en-GB", "en-GB"),
        ("en_gb", "en-GB"),
        ("de", "de-DE"),
        ("de-DE", "de-DE"),
        ("de_DE", "de-DE"),
        ("DE-de", "de-DE"),
        ("fr", "fr-FR"),
        ("fr_FR", "fr-FR"),
        ("es", "es-ES"),
        ("ES-es", "es-ES"),
        ("ja", "ja-JP"),
        ("ja_JP", "ja-JP"),
        ("zh", "zh-CN"),
        ("zh-cn", "zh-CN"),
        ("zh-Hans", "zh-CN"),
        ("zh_TW", "zh-TW"),
        ("zh-Hant", "zh-TW"),
    ],
)
def test_named_accepts_every_spelling(tag: str, canonical: str) -> None:
    locale = Locale.named(tag)
    assert locale.tag == canonical
    assert locale.lang == canonical.split("-")[0]
    assert locale is Locale.named(canonical)  # cached: one value per locale


@pytest.mark.parametrize(
    "tag", ["", "xx", "english", "de-AT", "en-US-x", "de DE", " de", "de-", "pt-BR", "zh-HK"]
)
def test_unknown_tags_are_refused_with_the_supported_ones(tag: str) -> None:
    with pytest.raises(LocaleError) as caught:
        Locale.named(tag)
    assert isinstance(caught.value, BriefkitError)
    assert isinstance(caught.value, ValueError)
    message = str(caught.value)
    assert repr(tag) in message
    assert all(t in message for t in SUPPORTED)


def test_a_tag_must_be_a_string() -> None:
    with pytest.raises(TypeError, match="str"):
        Locale.named(cast(Any, 1))


@given(tag=st.text(max_size=12))
def test_any_text_names_a_supported_locale_or_raises(tag: str) -> None:
    known = tag.replace("_", "-").lower() in {
        *(t.lower() for t in SUPPORTED),
        *(t.split("-")[0] for t in SUPPORTED),
        "zh-hans",
        "zh-hant",
    }
    if known:
        assert Locale.named(tag).tag in SUPPORTED
    else:
        with pytest.raises(LocaleError, match=re.escape(repr(tag))):
            Locale.named(tag)


# -- quotation marks, full stop, labels ----------------------------------------------------

MARKS = {
    "en-US": (("“", "”"), ("‘", "’"), "."),
    "en-GB": (("“", "”"), ("‘", "’"), "."),
    "de-DE": (("„", "“"), ("‚", "‘"), "."),
    "fr-FR": ((f"«{NNBSP}", f"{NNBSP}»"), ("“", "”"), "."),
    "es-ES": (("«", "»"), ("“", "”"), "."),
    "ja-JP": (("「", "」"), ("『", "』"), "。"),
    "zh-CN": (("“", "”"), ("‘", "’"), "。"),
    "zh-TW": (("「", "」"), ("『", "』"), "。"),
}


@pytest.mark.parametrize("tag", SUPPORTED)
def test_quotation_marks_and_full_stop(tag: str) -> None:
    quotes, inner, stop = MARKS[tag]
    locale = Locale.named(tag)
    assert locale.quotes == quotes
    assert locale.inner_quotes == inner
    assert locale.full_stop == stop


def test_french_guillemets_hold_a_narrow_no_break_space() -> None:
    assert Locale.named("fr").quotes == ("\u00ab\u202f", "\u202f\u00bb")


LABELS = {
    "en": (
        "Key points",
        "Analysis",
        "Notes",
        "said,",
        "Bibliography",
        "References",
        "Sources",
        "Cited text",
        "Source text: {source}, chars {start}–{end}",
        "Open this passage at the source",
        "Back to note {note} reference",
        "Table {number}. {caption}",
        "Where the sources differ",
        "Measure",
        "Value",
        "Source",
        "Date",
        "Table {number}",
        "Figure {number}.",
        "Figure {number}",
        "Contents",
        "{ref} on page {page}",
        "Note {note}",
    ),
    "de": (
        "Kernaussagen",
        "Analyse",
        "Anmerkungen",
        "sagte:",
        "Literaturverzeichnis",
        "Literatur",
        "Quellen",
        "Zitierte Stelle",
        "Quelltext: {source}, Zeichen {start}–{end}",
        "Diese Stelle in der Quelle öffnen",
        "Zurück zum Verweis auf Anmerkung {note}",
        "Tabelle {number}. {caption}",
        "Wo die Quellen voneinander abweichen",
        "Größe",
        "Wert",
        "Quelle",
        "Datum",
        "Tabelle {number}",
        "Abbildung {number}.",
        "Abbildung {number}",
        "Inhalt",
        "{ref} auf Seite {page}",
        "Anmerkung {note}",
    ),
    "fr": (
        "Points clés",
        "Analyse",
        "Notes",
        f"a déclaré{NBSP}:",
        "Bibliographie",
        "Références",
        "Sources",
        "Passage cité",
        f"Texte source{NBSP}: {{source}}, caractères {{start}}–{{end}}",
        "Ouvrir ce passage dans la source",
        "Retour à l’appel de note {note}",
        "Tableau {number}. {caption}",
        "Où les sources divergent",
        "Grandeur",
        "Valeur",
        "Source",
        "Date",
        "tableau {number}",
        "Figure {number}.",
        "figure {number}",
        "Table des matières",
        "{ref} à la page {page}",
        "Note {note}",
    ),
    "es": (
        "Puntos clave",
        "Análisis",
        "Notas",
        "dijo:",
        "Bibliografía",
        "Referencias",
        "Fuentes",
        "Pasaje citado",
        "Texto de la fuente: {source}, caracteres {start}–{end}",
        "Abrir este pasaje en la fuente",
        "Volver a la llamada de la nota {note}",
        "Tabla {number}. {caption}",
        "Dónde difieren las fuentes",
        "Magnitud",
        "Valor",
        "Fuente",
        "Fecha",
        "tabla {number}",
        "Figura {number}.",
        "figura {number}",
        "Índice",
        "{ref} en la página {page}",
        "Nota {note}",
    ),
    "ja": (
        "要点",
        "分析",
        "注",
        "は次のように述べた：",
        "参考文献",
        "引用文献",
        "出典",
        "引用箇所",
        "出典の本文：{source}、{start}–{end}文字目",
        "この箇所を出典で開く",
        "注{note}の参照箇所に戻る",
        "表{number}　{caption}",
        "出典間の相違",
        "項目",
        "数値",
        "出典",
        "日付",
        "表{number}",
        "図{number}",
        "図{number}",
        "目次",
        "{page}ページの{ref}",
        "注{note}",
    ),
    "zh-CN": (
        "要点",
        "分析",
        "注释",
        "说：",
        "参考书目",
        "参考文献",
        "来源",
        "引用原文",
        "来源原文：{source}，字符 {start}–{end}",
        "在来源中打开此段落",
        "返回注释{note}的引用处",
        "表{number}　{caption}",
        "来源之间的差异",
        "项目",
        "数值",
        "来源",
        "日期",
        "表{number}",
        "图{number}",
        "图{number}",
        "目录",
        "第{page}页的{ref}",
        "注释{note}",
    ),
    "zh-TW": (
        "要點",
        "分析",
        "註釋",
        "說：",
        "參考書目",
        "參考文獻",
        "來源",
        "引用原文",
        "來源原文：{source}，字元 {start}–{end}",
        "在來源中開啟此段落",
        "返回註釋{note}的引用處",
        "表{number}　{caption}",
        "來源之間的差異",
        "項目",
        "數值",
        "來源",
        "日期",
        "表{number}",
        "圖{number}",
        "圖{number}",
        "目錄",
        "第{page}頁的{ref}",
        "註釋{note}",
    ),
}
KEYS = (
    "key_points",
    "analysis",
    "notes",
    "said",
    "bibliography",
    "references",
    "provenance",
    "excerpt_label",
    "excerpt_caption",
    "open_source",
    "back_to_mark",
    "table_caption",
    "differences",
    "measure",
    "value",
    "source",
    "date",
    "table_ref",
    "figure_label",
    "figure_ref",
    "contents",
    "page_ref",
    "to_note",
)


@pytest.mark.parametrize("tag", SUPPORTED)
def test_labels(tag: str) -> None:
    locale = Locale.named(tag)
    expected = LABELS.get(tag) or LABELS[locale.lang]
    assert dict(locale.labels) == dict(zip(KEYS, expected, strict=True))


@pytest.mark.parametrize("tag", SUPPORTED)
def test_the_html_furniture_labels_fill_in_their_blanks(tag: str) -> None:
    labels = Locale.named(tag).labels
    caption = labels["excerpt_caption"].format(source="cnn.txt", start=787, end=834)
    assert "cnn.txt" in caption and "787–834" in caption and "{" not in caption
    assert labels["back_to_mark"].format(note=12).count("12") == 1
    assert labels["to_note"].format(note=12).count("12") == 1
    assert "{" not in labels["open_source"]
    if not tag.startswith("en"):  # translated, not the English furniture
        english = Locale.named("en").labels
        for key in ("excerpt_caption", "open_source", "back_to_mark"):
            assert labels[key] != english[key], key


@pytest.mark.parametrize(
    ("key", "label", "named"),
    [
        ("excerpt_caption", "Quelltext: {source}, Zeichen {start}", "{end}"),
        ("excerpt_caption", "Quelltext: {source}, {start}–{end} {extra}", "{source}"),
        ("back_to_mark", "Zurück zum Verweis", "{note}"),
        ("back_to_mark", "Zurück zu {note", "{note}"),
        ("notes", "Anmerkungen {note}", "no {field}"),
    ],
)
def test_a_label_must_hold_exactly_its_blanks(key: str, label: str, named: str) -> None:
    labels = {**Locale.named("de").labels, key: label}
    with pytest.raises(LocaleError, match=re.escape(f"Locale.labels[{key!r}] must hold")) as err:
        Locale(**_fields("de", labels=labels))
    assert named in str(err.value)


@pytest.mark.parametrize("tag", SUPPORTED)
def test_labels_are_read_only(tag: str) -> None:
    labels = Locale.named(tag).labels
    with pytest.raises(TypeError):
        cast(Any, labels)["notes"] = "changed"
    assert labels["notes"] != "changed"


# -- the value --------------------------------------------------------------------------


def _fields(base: str, /, **changes: Any) -> dict[str, Any]:
    locale = Locale.named(base)
    fields = {a.name: getattr(locale, a.name) for a in attrs.fields(Locale)}
    fields.update(changes)
    return fields


def test_a_locale_is_a_frozen_hashable_value() -> None:
    de = Locale.named("de")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        cast(Any, de).full_stop = "!"
    copy = Locale(**_fields("de"))
    assert copy == de and hash(copy) == hash(de)
    assert de != Locale.named("en")
    assert len({Locale.named(t) for t in SUPPORTED}) == len(SUPPORTED)
    assert Locale(**_fields("de", full_stop="!")) != de


def test_labels_given_as_a_dict_are_copied_and_frozen() -> None:
    given_labels = dict(Locale.named("de").labels)
    locale = Locale(**_fields("de", labels=given_labels))
    given_labels["notes"] = "changed"
    assert locale.labels["notes"] == "Anmerkungen"
    with pytest.raises(TypeError):
        cast(Any, locale.labels)["notes"] = "changed"
    assert locale != Locale(**_fields("de", labels={**given_labels}))


def test_a_locale_is_checked_when_built() -> None:
    with pytest.raises(LocaleError, match="'de-AT'"):
        Locale(**_fields("de", tag="de-AT"))
    labels = dict(Locale.named("de").labels)
    del labels["said"]
    with pytest.raises(LocaleError, match="said"):
        Locale(**_fields("de", labels=labels))
    with pytest.raises(LocaleError, match="twelve"):
        Locale(**_fields("de", months=Locale.named("de").months[:11]))
    with pytest.raises(LocaleError, match="'de'"):
        Locale(**_fields("de", lang="en"))


@pytest.mark.parametrize("tag", SUPPORTED)
def test_the_csl_tag_names_a_citeproc_locale_file(tag: str) -> None:
    csl_tag = Locale.named(tag).csl_tag
    assert csl_tag == tag
    spec = importlib.util.find_spec("citeproc")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("citeproc-py is not installed")
    folder = Path(next(iter(spec.submodule_search_locations))) / "data" / "locales"
    assert (folder / f"locales-{csl_tag}.xml").is_file()


# -- dates ------------------------------------------------------------------------------

DATES = {
    "en-US": ("December 5, 2016", "December 2016", "2016"),
    "en-GB": ("5 December 2016", "December 2016", "2016"),
    "de-DE": ("5. Dezember 2016", "Dezember 2016", "2016"),
    "fr-FR": ("5 décembre 2016", "décembre 2016", "2016"),
    "es-ES": ("5 de diciembre de 2016", "diciembre de 2016", "2016"),
    "ja-JP": ("2016年12月5日", "2016年12月", "2016年"),
    "zh-CN": ("2016年12月5日", "2016年12月", "2016年"),
    "zh-TW": ("2016年12月5日", "2016年12月", "2016年"),
}


@pytest.mark.parametrize("tag", SUPPORTED)
def test_dates_at_every_precision(tag: str) -> None:
    day, month, year = DATES[tag]
    locale = Locale.named(tag)
    assert locale.date("2016-12-05") == day
    assert locale.date("2016-12") == month
    assert locale.date("2016") == year


@pytest.mark.parametrize(
    ("tag", "iso", "expected"),
    [
        ("en-US", "2016-01-01", "January 1, 2016"),
        ("en-US", "1999-07-31", "July 31, 1999"),
        ("en-GB", "2016-03-09", "9 March 2016"),
        ("de", "2016-03-01", "1. März 2016"),
        ("de", "2016-05", "Mai 2016"),
        ("fr", "2016-01-01", "1er janvier 2016"),
        ("fr", "2016-08-02", "2 août 2016"),
        ("fr", "2016-02", "février 2016"),
        ("es", "2016-01-01", "1 de enero de 2016"),
        ("es", "2016-09", "septiembre de 2016"),
        ("ja", "2016-01-01", "2016年1月1日"),
        ("zh", "2016-10-31", "2016年10月31日"),
        ("en-US", "2016-02-29", "February 29, 2016"),
        ("en-US", "2000-02-29", "February 29, 2000"),
    ],
)
def test_dates_in_detail(tag: str, iso: str, expected: str) -> None:
    assert Locale.named(tag).date(iso) == expected


NOT_DATES = [
    "",
    "16",
    "20161",
    "2016-1",
    "2016-12-5",
    "2016-00",
    "2016-13",
    "2016-12-00",
    "2016-12-32",
    "2016-04-31",
    "2015-02-29",
    "1900-02-29",
    "2016/12/05",
    "2016-12-05T10:00",
    "2016-12-05\n",
    " 2016",
    "２０１６",  # fullwidth digits
    "٢٠١٦-١٢",  # Arabic-Indic digits
    "December 5, 2016",
    "circa 2016",
]


@pytest.mark.parametrize("tag", SUPPORTED)
def test_anything_else_is_left_as_it_is(tag: str) -> None:
    locale = Locale.named(tag)
    assert locale.date(None) is None
    for text in NOT_DATES:
        assert locale.date(text) == text, text


@given(text=st.text(max_size=12), tag=st.sampled_from(SUPPORTED))
def test_date_never_fails(text: str, tag: str) -> None:
    shown = Locale.named(tag).date(text)
    assert isinstance(shown, str)
    if shown != text:
        assert text[:4] in shown  # the year is always shown as given


# -- month names from CSL ---------------------------------------------------------------

BUILT_IN = {
    "en-US": "en",
    "en-GB": "en",
    "de-DE": "de",
    "fr-FR": "fr",
    "es-ES": "es",
}


@pytest.mark.parametrize("tag", sorted(BUILT_IN))
def test_the_built_in_months_match_citeproc(tag: str) -> None:
    # without citeproc-py a brief must still read as it does with it
    months = briefkit.locales._csl_months(tag)
    if months is None:
        pytest.skip("citeproc-py is not installed")
    assert months == briefkit.locales._MONTHS[BUILT_IN[tag]]


@pytest.mark.usefixtures("fresh_cache")
def test_month_names_come_from_the_csl_locale_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # the short form first: only the long one (no form, or form="long") is a month name
    terms = "".join(
        f'<term name="month-{m:02d}" form="short">M{m}</term>'
        + (f'<term name="month-{m:02d}">Month{m}</term>' if m % 2 else "")
        + (f'<term name="month-{m:02d}" form="long">Month{m}</term>' if m % 2 == 0 else "")
        for m in range(1, 13)
    )
    path = tmp_path / "locales-de-DE.xml"
    path.write_text(
        '<locale xmlns="http://purl.org/net/xbiblio/csl" version="1.0" xml:lang="de-DE">'
        f"<terms>{terms}</terms></locale>",
        encoding="utf-8",
    )
    monkeypatch.setattr(briefkit.locales, "_csl_file", lambda tag: path)
    assert Locale.named("de").date("2016-12-05") == "5. Month12 2016"
    assert Locale.named("de").date("2016-11") == "Month11 2016"
    # Japanese and Chinese dates are numeric and never read the file
    assert Locale.named("ja").date("2016-12-05") == "2016年12月5日"


@pytest.mark.usefixtures("fresh_cache")
@pytest.mark.parametrize(
    "content",
    [
        "not xml <",
        '<locale xmlns="http://purl.org/net/xbiblio/csl"><terms>'
        '<term name="month-01">Only one</term></terms></locale>',
        '<locale xmlns="http://example.org/other"><terms>'
        + "".join(f'<term name="month-{m:02d}">X{m}</term>' for m in range(1, 13))
        + "</terms></locale>",
    ],
)
def test_a_broken_csl_file_falls_back_to_the_built_in_months(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, content: str
) -> None:
    path = tmp_path / "locales-de-DE.xml"
    path.write_text(content, encoding="utf-8")
    monkeypatch.setattr(briefkit.locales, "_csl_file", lambda tag: path)
    assert Locale.named("de").date("2016-12-05") == "5. Dezember 2016"


@pytest.mark.usefixtures("fresh_cache")
@pytest.mark.parametrize("tag", SUPPORTED)
def test_without_citeproc_the_built_in_months_are_used(
    monkeypatch: pytest.MonkeyPatch, tag: str
) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *args: None)
    assert briefkit.locales._csl_file(tag) is None
    day, month, year = DATES[tag]
    locale = Locale.named(tag)
    assert (locale.date("2016-12-05"), locale.date("2016-12"), locale.date("2016")) == (
        day,
        month,
        year,
    )
