"""Citation styles, CSL rendering and locators: behaviour that mutation testing found unpinned.

Each test names the rule it pins; the styles written here are the smallest CSL that shows it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path

import pytest

import briefkit as bk
import briefkit._locators as locators
import briefkit.styles._csl as csl_module
from briefkit._locators import text_locator
from briefkit.notes import CitationStyle, Cite, CitedSource, CitePosition, Locator
from briefkit.styles._csl import MAX_STYLE_BYTES, CslStyle
from test_styles import AFP, CNN

PLAIN = bk.Source.from_text(
    "s.txt",
    "line one\n",
    meta=bk.SourceMeta(title="Title", author=("Browne, Ryan",), issued="2016-12-05"),
)
OTHER = bk.Source.from_text("t.txt", "line one\n", meta=bk.SourceMeta(title="Other"))

CNN_SHORT = "Browne, “Carter looks to shore-up US-Japan military alliance,”"


def cite(src: bk.Source, label: str = "line", first: str = "1", last: str | None = None) -> Cite:
    return Cite(src, src.position(0, 4), Locator(label, first, last))


def csl(
    tmp_path: Path,
    body: str,
    *,
    cls: str = "note",
    attrs: str = "",
    info: str = "<title>T</title>",
    name: str = "t.csl",
) -> Path:
    """A minimal CSL style file: ``body`` holds its citation (and bibliography, if any)."""
    path = tmp_path / name
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<style xmlns="http://purl.org/net/xbiblio/csl" class="{cls}" version="1.0"{attrs}>'
        f"<info>{info}<id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>"
        f"{body}</style>",
        encoding="utf-8",
    )
    return path


def citation(layout_attrs: str, layout: str) -> str:
    return f"<citation><layout{layout_attrs}>{layout}</layout></citation>"


# -- the CitationStyle base class ------------------------------------------------------------


class Terse(CitationStyle):
    def cite(self, cite: Cite, position: CitePosition) -> str:
        return f"{cite.source_id} {position} {cite.locator.value}"

    def bibliography_entry(self, source: CitedSource) -> str:
        return source.id


class Bare(CitationStyle):
    pass


def test_a_style_defaults_to_no_ibid_and_no_audit_references() -> None:
    style = Terse()
    assert style.ibid is False
    assert style.show_spans is False
    assert style.record()["ibid"] is False and style.record()["show_spans"] is False
    note = style.notes([[cite(CNN)], [cite(CNN)]])
    assert note == ["cnn.txt first 1.", "cnn.txt subsequent 1."]


def test_a_subclass_keeps_the_name_it_gives_itself() -> None:
    class Named(CitationStyle):  # made here: a class is named when it is made
        name = "house-style"

    assert Named.name == "house-style"
    assert Named().record()["citation_style"] == "house-style"
    assert Terse.name == f"{__name__}.Terse"


def test_a_style_without_cite_or_bibliography_entry_says_which_class() -> None:
    with pytest.raises(bk.StyleError, match=r"^the citation style Bare does not define cite\(\)$"):
        Bare().notes([[cite(CNN)]])
    with pytest.raises(
        bk.StyleError, match=r"^the citation style Bare does not define bibliography_entry\(\)$"
    ):
        Bare().bibliography([CNN])


@pytest.mark.parametrize(
    ("words", "note"),
    [
        (["a", "b"], "a; b."),
        (["It ended."], "It ended."),
        (["It ended!"], "It ended!"),
        (["Did it?"], "Did it?"),
        (["終わった。"], "終わった。"),
    ],
)
def test_the_base_join_adds_a_full_stop_only_when_missing(words: list[str], note: str) -> None:
    assert Terse().join(words) == note


def test_audit_references_keep_citations_of_one_source_apart() -> None:
    # show_spans prints each citation's own span: nothing is merged
    style = Terse(show_spans=True)
    (note,) = style.notes([[cite(CNN, first="3"), cite(CNN, first="1")]])
    assert note == (
        "cnn.txt first 3 [cnn.txt, chars 0–4]; cnn.txt subsequent 1 [cnn.txt, chars 0–4]."
    )
    (merged,) = Terse().notes([[cite(CNN, first="3"), cite(CNN, first="1")]])
    assert merged == "cnn.txt first 1, 3."


def test_ibid_needs_the_previous_note_to_cite_only_that_source() -> None:
    # the note before cites CNN first, then AFP: CNN is not "the citation just before"
    notes = CslStyle(ibid=True).notes([[cite(CNN), cite(AFP)], [cite(CNN)]])
    assert notes[1] == f"{CNN_SHORT} line 1."
    positions = Terse(ibid=True).notes([[cite(CNN), cite(AFP)], [cite(CNN)], [cite(CNN)]])
    assert positions[1:] == ["cnn.txt subsequent 1.", "cnn.txt ibid 1."]


# -- locators ------------------------------------------------------------------------------


def test_merged_locators_sort_by_number_and_name_each_value_once() -> None:
    three = Terse().notes([[cite(CNN, first="11"), cite(CNN, first="7"), cite(CNN, first="9")]])
    assert three == ["cnn.txt first 7, 9, 11."]
    assert Locator("line", "7, 11").merged(Locator("line", "3")) == Locator("line", "3, 7, 11")
    assert Locator("line", "3").merged(Locator("line", "1, 5")) == Locator("line", "1, 3, 5")
    same = Locator("line", "1, 3")
    assert same.merged(Locator("line", "3, 1")) is same
    # a range sorts by its first number; section numbers by each of their parts
    assert Locator("line", "22", "24").merged(Locator("line", "3")).first == "3, 22–24"
    assert Locator("section", "3.10").merged(Locator("section", "3.9")).first == "3.9, 3.10"
    assert Locator("section", "3.5", "3.6").merged(Locator("section", "3.1")).first == (
        "3.1, 3.5–3.6"
    )
    # a part that is not a number (front matter's "ii") sorts before page 1
    assert Locator("page", "1").merged(Locator("page", "ii")).first == "ii, 1"


def test_a_span_ending_on_the_first_character_of_a_page_reaches_that_page() -> None:
    text = "ab\fcd"
    src = bk.Source.from_text("p.txt", text)
    assert text_locator(text, src.position(1, 4)) == Locator("page", "1", "2")  # "b\fc"
    assert text_locator(text, src.position(1, 3)) == Locator("page", "1")  # "b\f"


def test_a_numbered_line_inside_a_paragraph_does_not_hide_the_sections_after_it() -> None:
    text = (
        "Intro\n1. not a heading\n\n1. One\n\nbody one\n\n2. Two\n\nbody two\n\n3. Three\n\nend\n"
    )
    src = bk.Source.from_text("n.txt", text)
    start = text.index("body two")
    assert text_locator(text, src.position(start, start + 4)) == Locator("section", "2")


def test_subsections_under_the_first_section_still_count_up() -> None:
    parts = ["Intro", "1. One", "alpha", "1.1 Sub", "beta", "2. Two", "gamma", "3. Three", "delta"]
    text = "\n\n".join(parts)
    src = bk.Source.from_text("n.txt", text)
    start = text.index("beta")
    assert text_locator(text, src.position(start, start + 4)) == Locator("section", "1.1")


def test_a_texts_tables_are_worked_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    sections = locators._sections

    def counting(text: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
        calls.append(len(text))
        return sections(text)

    monkeypatch.setattr(locators, "_sections", counting)
    # texts made here, so that no other test has looked them up
    text = "".join(["\n\n", *(f"{n}. Heading {n}\n\nBody {n}.\n\n" for n in (1, 2, 3))])
    src = bk.Source.from_text("t.txt", text)
    start = text.index("Body 2")
    for _ in range(3):
        assert text_locator(text, src.position(start, start + 4)) == Locator("section", "2")
    assert len(calls) == 1
    # a text with pages has no sections to look for
    paged = "".join(["1. One\f", "2. Two\f", "3. Three"])
    pages = bk.Source.from_text("p.txt", paged)
    assert text_locator(paged, pages.position(7, 10)) == Locator("page", "2")
    assert len(calls) == 1


def test_the_table_cache_holds_a_bounded_number_of_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locators, "_TABLES_MAX", 2)
    for n in range(6):
        text = "".join(["line ", str(n), "\n"])
        assert text_locator(text, bk.Source.from_text("b.txt", text).position(0, 4)).label == "line"
        assert len(locators._TABLES) <= 2


# -- CslStyle: what it reads from the style ------------------------------------------------


def test_the_built_in_style_is_a_note_style_with_its_title() -> None:
    style = CslStyle()
    assert style.kind == "note"
    assert style.bibliography_label == "Bibliography"
    assert style.title == "briefkit notes and bibliography"
    assert CslStyle("apa").bibliography_label == "References"


def test_a_style_without_a_title_is_called_by_its_name(tmp_path: Path) -> None:
    path = csl(tmp_path, citation("", '<text variable="title"/>'), info="")
    assert CslStyle(path).title == "file:t.csl"


def test_the_default_locale_comes_from_the_style(tmp_path: Path) -> None:
    layout = '<text variable="title"/><group prefix=", " delimiter=" "><label variable="locator"/><text variable="locator"/></group>'
    path = csl(tmp_path, citation(' suffix="."', layout), attrs=' default-locale="de-DE"')
    style = CslStyle(path)
    assert style.locale.tag == "de-DE"
    assert style.notes([[cite(PLAIN, first="22")]]) == ["Title, Zeile 22."]
    assert CslStyle(path, locale="en-US").notes([[cite(PLAIN, first="22")]]) == ["Title, line 22."]


def test_the_layout_delimiter_and_suffix_join_a_note(tmp_path: Path) -> None:
    cites = [[cite(PLAIN), cite(OTHER)]]
    custom = csl(tmp_path, citation(' suffix="!" delimiter=" / "', '<text variable="title"/>'))
    assert CslStyle(custom).notes(cites) == ["Title / Other!"]
    # a note that already ends in the suffix is not given another, nor a full stop
    assert CslStyle(custom).join(["Wow!"]) == "Wow!"
    # without either: "; " between citations and the locale's full stop at the end
    bare = csl(tmp_path, citation("", '<text variable="title"/>'), name="bare.csl")
    assert CslStyle(bare).notes(cites) == ["Title; Other."]
    assert CslStyle(bare, locale="ja-JP").notes(cites) == ["Title; Other。"]


def test_an_author_date_note_ends_in_a_full_stop_not_the_layout_suffix() -> None:
    apa = CslStyle("apa")
    notes = apa.notes([[cite(CNN, first="22")], [cite(CNN, first="3", last="4")]])
    assert notes == ["Browne, 2016, 22.", "Browne, 2016, 3–4."]
    assert apa.join(["Browne, 2016."]) == "Browne, 2016."
    assert CslStyle("apa", locale="ja-JP").join(["終わった。"]) == "終わった。"


def test_parentheses_around_an_author_date_reference_are_dropped_in_a_note(
    tmp_path: Path,
) -> None:
    group = (
        '<group prefix="(" suffix=")" delimiter=", ">'
        '<names variable="author"><name form="short"/></names>'
        '<date variable="issued"><date-part name="year"/></date></group>'
    )
    in_text = csl(tmp_path, citation("", group), cls="in-text")
    assert CslStyle(in_text).notes([[cite(PLAIN)]]) == ["Browne, 2016."]
    # a note style prints what its layout says, parentheses and all
    note = csl(tmp_path, citation("", group), name="note.csl")
    assert CslStyle(note).notes([[cite(PLAIN)]]) == ["(Browne, 2016)."]


def test_a_note_ending_in_a_parenthesis_keeps_it() -> None:
    wiki = bk.Source.from_text(
        "w.txt",
        "line one\n",
        meta=bk.SourceMeta(title="Foo", url="https://en.wikipedia.org/wiki/Foo_(bar)"),
    )
    assert CslStyle().notes([[cite(wiki)]]) == [
        "“Foo,” line 1, https://en.wikipedia.org/wiki/Foo_(bar)."
    ]


def test_a_source_without_a_type_is_rendered_as_an_article(tmp_path: Path) -> None:
    # citeproc-py knows the types of CSL 1.0.1: no type, or a newer one, reads as an article
    layout = '<choose><if type="article"><text value="article"/></if><else><text value="other"/></else></choose>'
    style = CslStyle(csl(tmp_path, citation("", layout)))
    assert style.notes([[cite(PLAIN)]]) == ["article."]
    standard = bk.Source.from_text(
        "std.txt", "text\n", meta=bk.SourceMeta(title="S", type="standard")
    )
    assert style.notes([[cite(standard)]]) == ["article."]


def test_quotation_marks_in_short_and_container_titles_become_inner_marks() -> None:
    src = bk.Source.from_text(
        "d.txt",
        "line one\n",
        meta=bk.SourceMeta(
            title="Bar", container_title='The "Daily" Post', title_short='A "short" one'
        ),
    )
    assert CslStyle().notes([[cite(src)], [cite(src)]]) == [
        "“Bar,” The ‘Daily’ Post, line 1.",
        "“A ‘short’ one,” line 1.",
    ]


def test_british_punctuation_stays_outside_the_quotation_marks() -> None:
    assert CslStyle(locale="en-GB").notes([[cite(AFP)]]) == [
        "‘US Backs Japan Alliance “100%”’, line 1."
    ]


# -- CslStyle: rendering and its cache -----------------------------------------------------


def test_each_shape_of_citation_is_rendered_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # a source no other test cites: rendered shapes are shared by every style object
    src = bk.Source.from_text(f"shape-{uuid.uuid4().hex}.txt", "line one\n", meta=CNN.meta)
    style = CslStyle()
    calls: list[tuple[str, bool]] = []
    render = style._render

    def counting(
        source: CitedSource,
        position: CitePosition,
        label: str,
        rng: bool,
        *,
        value: str | None = None,
    ) -> str:
        calls.append((position, rng))
        return render(source, position, label, rng, value=value)

    monkeypatch.setattr(style, "_render", counting)
    notes = style.notes(
        [
            [cite(src, first="1")],
            [cite(src, first="2")],
            [cite(src, first="3")],
            [cite(src, first="4", last="5")],
            [cite(src, first="6", last="7")],
        ]
    )
    assert notes[1:] == [
        f"{CNN_SHORT} line 2.",
        f"{CNN_SHORT} line 3.",
        f"{CNN_SHORT} lines 4–5.",
        f"{CNN_SHORT} lines 6–7.",
    ]
    assert calls == [("first", False), ("subsequent", False), ("subsequent", True)]


def test_rendered_shapes_are_shared_by_style_objects(monkeypatch: pytest.MonkeyPatch) -> None:
    src = bk.Source.from_text(f"shared-{uuid.uuid4().hex}.txt", "line one\n", meta=CNN.meta)
    cites = [[cite(src, first="1")], [cite(src, first="2", last="3")]]
    first = CslStyle().notes(cites)
    again = CslStyle()
    calls: list[str] = []

    def counting(*args: object, **kwargs: object) -> str:
        calls.append("render")
        raise AssertionError("rendered again")

    monkeypatch.setattr(again, "_render", counting)
    assert again.notes(cites) == first
    assert calls == []


def test_the_shared_shapes_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csl_module, "_SHAPES_MAX", 2)
    style = CslStyle()
    for n in range(5):
        # a source no other test cites: one new shape each
        src = bk.Source.from_text(f"bound-{n}-{uuid.uuid4().hex}.txt", "line one\n", meta=CNN.meta)
        style.notes([[cite(src)]])
        assert len(csl_module._SHAPES) <= 2


def test_a_style_printing_the_locator_twice_gets_the_real_numbers(tmp_path: Path) -> None:
    layout = (
        '<text variable="title"/><label variable="locator" prefix=", " form="long"/>'
        '<text variable="locator" prefix=" "/><text variable="locator" prefix=" [" suffix="]"/>'
    )
    style = CslStyle(csl(tmp_path, citation(' suffix="."', layout)))
    notes = style.notes([[cite(PLAIN, first="3")], [cite(PLAIN, first="23", last="24")]])
    assert notes == ["Title, line 3 [3].", "Title, lines 23–24 [23–24]."]


def test_bibliography_entry_is_the_single_entry() -> None:
    assert CslStyle().bibliography_entry(CNN) == (
        "Browne, Ryan. “Carter looks to shore-up US-Japan military alliance.” CNN, "
        "December 5, 2016. https://edition.cnn.com/x."
    )


def test_a_style_without_a_bibliography_lists_titles(tmp_path: Path) -> None:
    style = CslStyle(csl(tmp_path, citation("", '<text variable="title"/>')))
    assert style.bibliography([PLAIN, AFP]) == [
        ("s.txt", "Title."),
        ("afp.txt", 'US Backs Japan Alliance "100%".'),
    ]
    assert style.bibliography([]) == []


# -- CslStyle: loading and rejecting style files -------------------------------------------


def test_a_bare_csl_file_name_is_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    csl(tmp_path, citation("", '<text variable="title"/>'), name="house.csl")
    monkeypatch.chdir(tmp_path)
    assert CslStyle("house.csl").name == "file:house.csl"


def test_a_path_without_the_csl_suffix_is_a_file_not_a_bundled_name() -> None:
    with pytest.raises(bk.StyleError, match="^cannot read the citation style 'no/such/style': "):
        CslStyle("no/such/style")
    with pytest.raises(bk.StyleError, match="^cannot read the citation style 'missing/file.csl': "):
        CslStyle("missing/file.csl")


def test_the_size_limit_is_inclusive(tmp_path: Path) -> None:
    path = csl(tmp_path, citation("", '<text variable="title"/>'))
    data = path.read_bytes()
    at_limit = tmp_path / "at.csl"
    at_limit.write_bytes(data + b"\n" * (MAX_STYLE_BYTES - len(data)))
    assert CslStyle(at_limit).notes([[cite(PLAIN)]]) == ["Title."]
    over = tmp_path / "over.csl"
    over.write_bytes(data + b"\n" * (MAX_STYLE_BYTES + 1 - len(data)))
    with pytest.raises(
        bk.StyleError, match=f"^the citation style '{over}' is larger than {MAX_STYLE_BYTES} bytes$"
    ):
        CslStyle(over)


def test_a_doctype_alone_is_refused(tmp_path: Path) -> None:
    path = csl(tmp_path, citation("", '<text variable="title"/>'))
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition("\n")
    path.write_text(f'{head}\n<!DOCTYPE style SYSTEM "csl.dtd">\n{rest}', encoding="utf-8")
    with pytest.raises(bk.StyleError, match="^the citation style 'file:t.csl' declares a DTD"):
        CslStyle(path)


def test_errors_name_the_style_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csl"
    bad.write_bytes(b"<style")
    with pytest.raises(
        bk.StyleError, match="^the citation style 'file:bad.csl' is not well-formed"
    ):
        CslStyle(bad)


def test_a_deeply_nested_style_is_refused_as_xml(tmp_path: Path) -> None:
    deep = "<group>" * 300 + '<text variable="title"/>' + "</group>" * 300
    with pytest.raises(bk.StyleError, match="^the citation style 'file:t.csl' is not well-formed"):
        CslStyle(csl(tmp_path, citation("", deep)))


def test_a_dependent_style_is_refused(tmp_path: Path) -> None:
    info = (
        '<title>T</title><link rel="independent-parent" href="http://www.zotero.org/styles/apa"/>'
    )
    path = csl(tmp_path, citation("", '<text variable="title"/>'), info=info)
    with pytest.raises(
        bk.StyleError,
        match="^the citation style 'file:t.csl' is a dependent style; give its parent style instead$",
    ):
        CslStyle(path)


def test_a_style_citeproc_cannot_load_is_a_style_error(tmp_path: Path) -> None:
    # two locales without a language: citeproc-py cannot choose one
    path = csl(tmp_path, "<locale/><locale/>" + citation("", '<text variable="title"/>'))
    with pytest.raises(
        bk.StyleError, match="^citeproc-py cannot use the citation style 'file:t.csl': "
    ):
        CslStyle(path)


def test_a_style_failing_on_a_source_names_both(tmp_path: Path) -> None:
    style = CslStyle(csl(tmp_path, citation("", '<text macro="missing"/>')))
    with pytest.raises(
        bk.StyleError, match="^the citation style 'file:t.csl' fails on source 's.txt': "
    ):
        style.notes([[cite(PLAIN)]])


def _words(notes: Sequence[str]) -> list[str]:
    return [n.split(",")[0] for n in notes]


def test_positions_without_ibid_in_a_csl_style() -> None:
    # the default: a source's first citation in full, every later one short, never "Ibid."
    notes = CslStyle().notes([[cite(CNN)], [cite(CNN)], [cite(AFP)], [cite(CNN)]])
    assert _words(notes) == ["Ryan Browne", "Browne", "“US Backs Japan Alliance ‘100%", "Browne"]
