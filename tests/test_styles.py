"""Citation styles: CSL through citeproc-py, positions, locators, locales, audit references."""

from __future__ import annotations

from pathlib import Path

import pytest

import briefkit as bk
from briefkit.notes import Cite, Locator, parse_note
from briefkit.styles import CslStyle, style_for
from briefkit.styles._csl import DEFAULT_STYLE

CNN = bk.Source.from_text(
    "cnn.txt",
    "line one\nline two\nline three\n",
    meta=bk.SourceMeta(
        title="Carter looks to shore-up US-Japan military alliance",
        container_title="CNN",
        author=("Browne, Ryan",),
        issued="2016-12-05",
        url="https://edition.cnn.com/x",
    ),
)
AFP = bk.Source.from_text(
    "afp.txt", "AFP text\nmore\n", meta=bk.SourceMeta(title='US Backs Japan Alliance "100%"')
)


def cite(src: bk.Source, label: str = "line", first: str = "1", last: str | None = None) -> Cite:
    return Cite(src, src.position(0, 4), Locator(label, first, last))


def test_default_style_full_then_short() -> None:
    style = CslStyle()
    assert style.name == DEFAULT_STYLE
    notes = style.notes([[cite(CNN, first="22")], [cite(CNN, first="23", last="24")]])
    assert notes[0] == (
        "Ryan Browne, “Carter looks to shore-up US-Japan military alliance,” CNN, "
        "December 5, 2016, line 22, https://edition.cnn.com/x."
    )
    # the short form: family name and title, the locator pluralised for a range
    assert notes[1] == "Browne, “Carter looks to shore-up US-Japan military alliance,” lines 23–24."


def test_no_machine_data_unless_asked() -> None:
    plain = CslStyle().notes([[cite(CNN)]])[0]
    assert "cnn.txt" not in plain
    assert parse_note(plain) == []
    audit = CslStyle(show_spans=True).notes([[cite(CNN), cite(AFP)]])[0]
    assert [(r.source_id, r.start, r.end) for r in parse_note(audit)] == [
        ("cnn.txt", 0, 4),
        ("afp.txt", 0, 4),
    ]


def test_ibid_is_an_option() -> None:
    cites = [[cite(CNN, first="1")], [cite(CNN, first="1")], [cite(CNN, first="2")]]
    without = CslStyle().notes(cites)
    assert not any("Ibid" in n for n in without)
    with_ibid = CslStyle(ibid=True).notes(cites)
    assert with_ibid[1] == "Ibid."
    assert with_ibid[2] == "Ibid., line 2."


def test_ibid_needs_the_citation_just_before_to_stand_alone() -> None:
    # a note citing two sources is not followed by "Ibid." for either of them
    notes = CslStyle(ibid=True).notes([[cite(AFP), cite(CNN)], [cite(CNN)]])
    assert not notes[1].startswith("Ibid")
    # within a note, a second citation of the source just cited is "Ibid." only when its
    # locator differs (otherwise the two are merged into one)
    notes = CslStyle(ibid=True).notes([[cite(CNN, first="3")], [cite(AFP), cite(CNN)]])
    assert "Ibid" not in notes[1]


def test_citations_of_one_source_in_a_note_are_merged() -> None:
    notes = CslStyle().notes([[cite(CNN, first="11"), cite(AFP), cite(CNN, first="7")]])
    assert notes[0].startswith("Ryan Browne, ")
    assert "lines 7, 11, https://edition.cnn.com/x;" in notes[0]
    assert notes[0].count("Carter looks") == 1
    # the same line twice is named once
    again = CslStyle().notes([[cite(CNN, first="5"), cite(CNN, first="5")]])[0]
    assert again.endswith("line 5, https://edition.cnn.com/x.")


def test_punctuation_inside_quotes_and_nested_quotes() -> None:
    notes = CslStyle().notes([[cite(AFP)], [cite(AFP)]])
    # American English: the comma goes inside both closing quotation marks; the title's own
    # quotation marks become inner ones
    assert notes[0] == "“US Backs Japan Alliance ‘100%,’” line 1."
    british = CslStyle(locale="en-GB").notes([[cite(AFP)]])[0]
    # British English: single quotation marks outside, double inside, punctuation outside
    assert british == "‘US Backs Japan Alliance “100%”’, line 1."


@pytest.mark.parametrize(
    ("locale", "opening", "date", "line"),
    [
        ("de-DE", "„", "5. Dezember 2016", "Zeile 22"),
        ("fr-FR", "«", "5 décembre 2016", "ligne 22"),
        ("es-ES", "«", "5 de diciembre de 2016", "línea 22"),
        ("ja-JP", "「", "2016年12月5日", "22"),
        ("zh-CN", "《", "2016年12月5日", "22"),  # CSL's zh-CN quotes titles in 《》
    ],
)
def test_locales(locale: str, opening: str, date: str, line: str) -> None:
    note = CslStyle(locale=locale).notes([[cite(CNN, first="22")]])[0]
    assert opening in note
    assert date in note
    assert line in note
    assert CslStyle(locale=locale).locale.tag == locale


def test_author_date_style_in_a_footnote() -> None:
    apa = CslStyle("apa")
    assert apa.kind == "in-text"
    note = apa.notes([[cite(CNN, first="22")]])[0]
    assert not note.startswith("(")  # the parentheses belong in running text, not in a note
    assert "Browne" in note and "2016" in note
    assert apa.bibliography_label == "References"
    entries = apa.bibliography([CNN])
    assert entries[0][0] == "cnn.txt"
    assert entries[0][1].startswith("Browne, R. (2016")


def test_bibliography_is_sorted_by_the_style() -> None:
    zed = bk.Source.from_text("z.txt", "z\n", meta=bk.SourceMeta(title="Z", author=("Adams, Ann",)))
    entries = CslStyle().bibliography([CNN, zed])
    assert [sid for sid, _ in entries] == ["z.txt", "cnn.txt"]  # Adams before Browne
    assert entries[1][1] == (
        "Browne, Ryan. “Carter looks to shore-up US-Japan military alliance.” CNN, "
        "December 5, 2016. https://edition.cnn.com/x."
    )


def test_style_from_a_file(tmp_path: Path) -> None:
    data = (Path(bk.__file__).parent / "styles" / "briefkit-notes.csl").read_bytes()
    csl = tmp_path / "house.csl"
    csl.write_bytes(data.replace(b'suffix="."', b'suffix="!"', 1))
    style = CslStyle(csl)
    assert style.name == "file:house.csl"
    assert style.record()["style_sha256"] != CslStyle().record()["style_sha256"]
    # verify needs the file back: a recorded file style is not found by name
    with pytest.raises(bk.StyleError, match="pass it to verify"):
        style_for(style.record())
    assert style_for(style.record(), csl).matches(style.record())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><x/>", "DTD or entities"),
        (b"<style", "not well-formed"),
        (b"<style xmlns='http://purl.org/net/xbiblio/csl'/>", "not a CSL style"),
    ],
)
def test_bad_style_files(tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.csl"
    bad.write_bytes(content)
    with pytest.raises(bk.StyleError, match=message):
        CslStyle(bad)


def test_unknown_style_and_locale() -> None:
    with pytest.raises(bk.StyleError, match="no citation style is named 'no-such-style'"):
        CslStyle("no-such-style")
    with pytest.raises(bk.StyleError, match="cannot read"):
        CslStyle("missing/file.csl")
    with pytest.raises(bk.LocaleError):
        CslStyle(locale="xx-YY")


def test_style_for_checks_the_recorded_options() -> None:
    record = CslStyle(locale="de-DE", ibid=True).record()
    assert style_for(record).matches(record)
    with pytest.raises(bk.StyleError, match="written with the citation style"):
        style_for(record, CslStyle())  # English, without ibid: not the style that wrote them
    tampered = {**record, "style_sha256": "0" * 64}
    with pytest.raises(bk.StyleError):
        style_for(tampered)


def test_rendering_is_cached_per_shape() -> None:
    style = CslStyle()
    cites = [[cite(CNN, first=str(n))] for n in range(1, 200)]
    notes = style.notes(cites)
    assert notes[150] == "Browne, “Carter looks to shore-up US-Japan military alliance,” line 151."
    # one rendering for the first citation and one for all later single lines
    assert len(style._cache) == 2


def test_the_cache_knows_a_source_by_its_metadata_not_its_id() -> None:
    style = CslStyle()
    one = bk.Source.from_text("s.txt", "text\n", meta=bk.SourceMeta(title="First title"))
    two = bk.Source.from_text("s.txt", "text\n", meta=bk.SourceMeta(title="Second title"))
    assert style.notes([[cite(one)]]) == ["“First title,” line 1."]
    assert style.notes([[cite(two)]]) == ["“Second title,” line 1."]
    # and a new style object of the same style and language reuses what was rendered
    again = CslStyle()
    assert again.notes([[cite(two)]]) == ["“Second title,” line 1."]
    assert CslStyle(locale="de-DE").notes([[cite(two)]]) == ["„Second title“, Zeile 1."]


def test_a_style_that_recurses_is_an_error_not_a_crash(tmp_path: Path) -> None:
    data = (Path(bk.__file__).parent / "styles" / "briefkit-notes.csl").read_text("utf-8")
    # the "issued" macro calls itself
    looping = data.replace('<date variable="issued" form="text"/>', '<text macro="issued"/>', 1)
    csl = tmp_path / "loop.csl"
    csl.write_text(looping, encoding="utf-8")
    with pytest.raises(bk.StyleError, match="fails on source 'cnn.txt'"):
        CslStyle(csl).notes([[cite(CNN)]])


def test_ibid_is_rendered_once_however_often_it_is_printed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from briefkit.styles import _csl

    monkeypatch.setattr(_csl, "_SHAPES", {})
    style = CslStyle(ibid=True)
    calls: list[str] = []
    render = style._render

    def counted(*args: object, **kwargs: object) -> str:
        calls.append(str(args[1]))
        return render(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(style, "_render", counted)
    notes = style.notes([[cite(CNN, first="3")]] * 6)
    assert notes[1:] == ["Ibid."] * 5
    assert calls == ["first", "ibid"]


def test_source_ids_keep_their_case() -> None:
    upper = bk.Source.from_text("README.txt", "Alpha text.\n", meta=bk.SourceMeta(title="Upper"))
    lower = bk.Source.from_text("readme.txt", "Alpha text.\n", meta=bk.SourceMeta(title="Lower"))
    brief = bk.Brief(
        "T",
        key_points=[
            bk.sentence("X ", upper.quote("Alpha"), "."),
            bk.sentence("Y ", lower.quote("Alpha"), "."),
        ],
    )
    plan = bk.NotePlan.build(brief)
    assert sorted(plan.bibliography) == [("README.txt", "“Upper.”"), ("readme.txt", "“Lower.”")]


def test_a_manifest_names_a_bundled_style_never_a_file() -> None:
    for name in ("/etc/hostname", "../house.csl", "house.csl", ""):
        record = {**CslStyle().record(), "citation_style": name}
        with pytest.raises(bk.StyleError, match="not a style name"):
            style_for(record)


def test_a_bibliography_that_recurses_is_an_error(tmp_path: Path) -> None:
    data = (Path(bk.__file__).parent / "styles" / "briefkit-notes.csl").read_text("utf-8")
    # the bibliography sorts by a macro that calls itself; notes do not use it
    looping = data.replace('<key macro="names-sort"/>', '<key macro="loop"/>', 1).replace(
        "<citation ", '<macro name="loop"><text macro="loop"/></macro>\n  <citation ', 1
    )
    csl = tmp_path / "loop.csl"
    csl.write_text(looping, encoding="utf-8")
    with pytest.raises(bk.StyleError, match="cannot write the bibliography"):
        CslStyle(csl).bibliography([CNN, AFP])


def test_a_style_without_a_layout_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csl"
    bad.write_text(
        "<style xmlns='http://purl.org/net/xbiblio/csl'><citation/></style>", encoding="utf-8"
    )
    with pytest.raises(bk.StyleError, match="no cs:layout"):
        CslStyle(bad)


def test_the_csl_projects_chicago_style_takes_untyped_sources() -> None:
    style = CslStyle("chicago-notes-bibliography")
    (entry,) = style.bibliography([AFP])
    assert entry[0] == "afp.txt" and "US Backs Japan Alliance" in entry[1]


@pytest.mark.parametrize(
    ("title", "note"),
    [
        ("0. Definitions.", "“0. Definitions.” line 1."),  # the title's own stop stands alone
        ("Is it over?", "“Is it over?” line 1."),
        ("Teachers' and parents' views", "“Teachers’ and parents’ views,” line 1."),
    ],
)
def test_punctuation_at_the_end_of_a_quoted_title(title: str, note: str) -> None:
    src = bk.Source.from_text("t.txt", "text\n", meta=bk.SourceMeta(title=title))
    assert CslStyle().notes([[cite(src)], [cite(src)]])[1] == note


def test_no_break_spaces_of_a_language_stay() -> None:
    note = CslStyle(locale="fr-FR").notes([[cite(CNN)]])[0]
    assert "«\u00a0" in note or "«\u202f" in note  # French guillemets keep their thin space


def test_japanese_notes_end_with_the_japanese_full_stop() -> None:
    assert CslStyle(locale="ja-JP").notes([[cite(CNN)]])[0].endswith("。")


def test_a_styles_language_is_fixed_when_it_is_made() -> None:
    style = CslStyle()
    with pytest.raises(AttributeError):
        style.locale = bk.Locale.named("de-DE")  # type: ignore[misc]


def test_an_unsupported_default_locale_names_the_style() -> None:
    with pytest.raises(bk.LocaleError, match="gost-r-7-0-5-2008"):
        CslStyle("gost-r-7-0-5-2008")


def test_a_merged_locator_of_unusual_digits_sorts_without_error() -> None:
    a = Cite(CNN, CNN.position(0, 4), Locator("line", "²"))
    b = Cite(CNN, CNN.position(5, 8), Locator("line", "1"))
    assert CslStyle().notes([[a, b]])[0].endswith("lines ², 1, https://edition.cnn.com/x.")
