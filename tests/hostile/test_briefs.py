"""Hostile Markdown briefs and model input: huge files, YAML bombs, absurd numbers, lone
surrogates, foreign citation syntax, files that are not files, and fuzzed real briefs.

Every case that could hang or exhaust memory runs in :func:`run_bounded` (a fresh process,
1 GiB, 10 s): bounded time *is* the assertion — no test here measures a duration itself.
"""

from __future__ import annotations

import contextlib
import os
import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import briefkit as bk
from briefkit import mdbrief
from briefkit._text import quoted_passages
from briefkit.errors import BriefkitError, BriefSyntaxError, OffsetError, ValidationError
from briefkit.mdbrief.front import MAX_FRONT_MATTER_BYTES
from briefkit.mdbrief.syntax import MAX_SPAN_DIGITS
from briefkit.spans import (
    TextIndex,
    codepoint_to_utf8,
    codepoint_to_utf16,
    utf8_to_codepoint,
    utf16_to_codepoint,
)
from hostile.bounded import run_bounded

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
EXAMPLE = ROOT / "examples" / "us-japan-alliance" / "brief.md"
LICENCES = ROOT / "examples" / "licences" / "brief.md"
CNN = "000_28b258b49d188a62.txt"
FRONT = f"---\ntitle: T\nsources:\n  root: {SEEDS.as_posix()}\n  cnn: {CNN}\n---\n\n"
SIZE = 6_500_000  # bytes: the size of the brief reported to take minutes


def _load_ok(code: str, tmp_path: Path) -> str:
    """Run ``code`` bounded; it must exit 0. Returns what it printed."""
    outcome = run_bounded(code, cwd=tmp_path)
    assert not outcome.timed_out, f"did not finish in time: {outcome.stderr[-2000:]}"
    assert outcome.ok, outcome.stderr[-3000:]
    return outcome.stdout


def load_child(path: Path) -> str:
    """A program that loads the brief at ``path`` and prints ``ok`` or the BriefkitError's
    first line; any other exception fails it (also timed by ``benchmarks/bench_mdbrief.py``)."""
    return textwrap.dedent(
        f"""
        from briefkit import mdbrief
        from briefkit.errors import BriefkitError
        try:
            mdbrief.load({str(path)!r})
            print("ok")
        except BriefkitError as exc:
            print("error", str(exc).splitlines()[0][:300])
        """
    )


def _bounded_load(path: Path, tmp_path: Path) -> str:
    """Load ``path`` in a bounded child (:func:`load_child`)."""
    return _load_ok(load_child(path), tmp_path)


# -- 1. big briefs load in linear time -------------------------------------------------------


def _example_body() -> tuple[str, str]:
    text = EXAMPLE.read_text(encoding="utf-8")
    front, body = text.split("\n---\n", 1)
    front = front.replace("root: ../../seeds", f"root: {SEEDS.as_posix()}")
    body = re.sub(r"; #\w+|\[#\w+\]", "", body)  # ids would repeat
    return front + "\n---\n", body


def _big_many_sentences() -> str:
    front, body = _example_body()
    section = "\n# " + body.split("\n# ", 1)[1]
    return front + body + section * (SIZE // len(section.encode()))


def _big_long_line() -> str:
    sentence = "The visits were meant to calm allied nerves. [!analysis] "
    return FRONT + "# H\n\n" + sentence * (SIZE // len(sentence)) + "\n"


def _big_group() -> str:
    cite = "@cnn 0-6; @cnn 179-185; "
    return FRONT + "# H\n\nCarter went. [" + cite * (SIZE // len(cite)) + "]\n"


def _big_string() -> str:
    return FRONT + '# H\n\nCarter went. [@cnn "' + "x" * SIZE + '"]\n'


def _big_escapes() -> str:
    return FRONT + "# H\n\n" + "a\\[b\\u{41} " * (SIZE // 12) + "[!analysis]\n"


def _big_nesting() -> str:
    lines = ("> " * 40 + "- x\n") * (SIZE // 86)
    return FRONT + "# H\n\n" + lines + "\n" + ("  - item. [!analysis]\n" * (SIZE // 44))


def _big_curly() -> str:
    # opening marks without their closing one: each used to scan to the end of the sentence
    return FRONT + "# H\n\n" + "Carter “went «there ‘and ”back " * (SIZE // 40) + "[!analysis]\n"


def _big_inline() -> str:
    return FRONT + "# H\n\n" + 'x {@cnn "Carter" 0-6} ' * (SIZE // 23) + "[]\n"


def _big_errors() -> str:
    return FRONT + "# H\n\n" + "x [@nope 1-2] " * (SIZE // 14) + "\n"


@pytest.mark.parametrize(
    "make",
    [
        _big_many_sentences,
        _big_long_line,
        _big_group,
        _big_string,
        _big_escapes,
        _big_nesting,
        _big_curly,
        _big_inline,
        _big_errors,
    ],
    ids=lambda f: f.__name__.removeprefix("_big_"),
)
def test_a_big_brief_loads_in_bounded_time(tmp_path: Path, make: object) -> None:
    assert callable(make)
    text = make()
    assert len(text.encode()) >= SIZE * 0.85
    path = tmp_path / "big.md"
    path.write_text(text, encoding="utf-8")
    out = _bounded_load(path, tmp_path)
    assert out.startswith(("ok", "error"))


def test_a_big_brief_reports_its_problems_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    path.write_text(_big_errors(), encoding="utf-8")
    out = _bounded_load(path, tmp_path)
    assert "problems in the Markdown brief" in out


# -- 2. YAML front matter: no aliases, bounded size and depth -----------------------------


def _billion_laughs() -> str:
    lines = ["a: &a [" + ",".join(["lol"] * 10) + "]"]
    for k in range(1, 10):
        prev, name = chr(ord("a") + k - 1), chr(ord("a") + k)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "front",
    [
        "title: T\nsources: seeds\n" + _billion_laughs(),
        "title: *j\nsources: seeds\n" + _billion_laughs(),
        "sources: seeds\n" + _billion_laughs() + "title: *j\n",
        "title: &t T\nsubtitle: *t\nsources: seeds\n",
    ],
    ids=["bomb", "bomb-used", "bomb-used-last", "one-alias"],
)
def test_yaml_aliases_are_refused(tmp_path: Path, front: str) -> None:
    path = tmp_path / "b.md"
    path.write_text(f"---\n{front}---\n\n- A. [!analysis]\n", encoding="utf-8")
    out = _bounded_load(path, tmp_path)
    assert "alias" in out and "not allowed" in out, out
    line = int(out.split(":")[1])
    assert "*" in path.read_text(encoding="utf-8").splitlines()[line - 1]


def test_an_anchor_alone_is_harmless(tmp_path: Path) -> None:
    loaded = mdbrief.loads(
        f"---\ntitle: &t T\nsources: {SEEDS.as_posix()}\n---\n\n- A. [!analysis]\n"
    )
    assert loaded.brief.title == "T"


@pytest.mark.parametrize(
    "front",
    [
        "title: T\nsources: seeds\nreaders:\n"
        + "".join(f"  k{i}: {{a: [1, 2, 'x']}}\n" for i in range(60_000)),
        "title: '" + "x" * 8_000_000 + "'\nsources: seeds\n",
        "title: T\nsources: seeds\nreaders: " + "[" * 100_000 + "]" * 100_000 + "\n",
        "title: T\nsources: seeds\nreaders:\n" + "".join(" " * k + "a:\n" for k in range(2000)),
    ],
    ids=["dense", "long-string", "deep-flow", "deep-block"],
)
def test_a_huge_front_matter_is_refused_quickly(tmp_path: Path, front: str) -> None:
    path = tmp_path / "b.md"
    path.write_text(f"---\n{front}---\n\n- A. [!analysis]\n", encoding="utf-8")
    out = _bounded_load(path, tmp_path)
    assert out.startswith("error"), out
    assert re.search(r"b\.md:\d+:\d+: ", out), out  # names the line
    assert "MAX_FRONT_MATTER_BYTES" in out or "nested too deeply" in out, out


def test_the_front_matter_limit_names_the_line_it_is_passed_on() -> None:
    lines = [f"# comment line {k:06d} " + "x" * 80 for k in range(4000)]
    text = "---\ntitle: T\nsources: seeds\n" + "\n".join(lines) + "\n---\n\n- A. [!analysis]\n"
    with pytest.raises(BriefSyntaxError) as err:
        mdbrief.loads(text)
    (_, line, column, message), *_ = err.value.problems
    assert str(MAX_FRONT_MATTER_BYTES) in message
    assert line > 2 and column >= 1
    size = len("\n".join(text.splitlines()[1 : line - 1]).encode()) + 1
    assert abs(size - MAX_FRONT_MATTER_BYTES) < 200


# -- 3. span offsets with too many digits ------------------------------------------------


@pytest.mark.parametrize(
    "span",
    ["1" * 5000 + "-" + "2" * 5000, "12-" + "9" * 5000, "9" * 13 + "-1", "12-" + "9" * 13],
    ids=["both-huge", "end-huge", "start-13", "end-13"],
)
def test_a_span_with_too_many_digits_is_one_clear_error(tmp_path: Path, span: str) -> None:
    path = tmp_path / "b.md"
    path.write_text(FRONT + f"# H\n\nCarter went. [@cnn {span}]\n", encoding="utf-8")
    out = _bounded_load(path, tmp_path)
    assert f"at most {MAX_SPAN_DIGITS} digits" in out, out
    assert len(out) < 400
    assert re.search(r"b\.md:10:\d+: ", out)


def test_a_span_of_twelve_digits_is_read_as_a_number() -> None:
    with pytest.raises(BriefSyntaxError, match="out of range") as err:
        mdbrief.loads(FRONT + "# H\n\nCarter went. [@cnn 0-999999999999]\n")
    assert len(err.value.problems) == 1


def test_a_lone_run_of_digits_is_shown_shortened() -> None:
    with pytest.raises(BriefSyntaxError, match="at most 12 digits") as err:
        mdbrief.loads(FRONT + "# H\n\nCarter went. [@cnn " + "7" * 100_000 + "]\n")
    assert len(str(err.value)) < 300


# -- 4. lone surrogates ------------------------------------------------------------------


@pytest.fixture
def pentagon(cnn: bk.Source) -> bk.Excerpt:
    return cnn.paraphrase("Pentagon officials are confident")


@pytest.mark.parametrize("text", ["bad \ud800 text", "\udfff", "two \ud800\udc00 halves"])
def test_a_lone_surrogate_in_a_sentence_is_a_validation_problem(
    pentagon: bk.Excerpt, text: str
) -> None:
    brief = bk.Brief(
        "T", key_points=[bk.sentence("Fine.", cite=pentagon), bk.sentence(text, cite=pentagon)]
    )
    with pytest.raises(ValidationError) as err:
        brief.validate()
    (problem,) = [p for p in err.value.problems if p.code == "surrogate"]
    assert "key points › item 2" in str(problem)
    assert f"character {text.index(next(c for c in text if 0xD800 <= ord(c) <= 0xDFFF))}" in (
        problem.message
    )


def test_a_lone_surrogate_anywhere_the_author_types_is_refused(cnn: bk.Source) -> None:
    quote = cnn.quote("Our alliance with Japan has never been stronger", speaker="A\ud800")
    figure = cnn.figure("50,000", unit="troops\udc00", within="US has 50,000 troops")
    sent = bk.sentence("He said ", quote, " of ", figure, ".")
    brief = bk.Brief(
        "T\ud801",
        author="x\udbff",
        sections=[bk.section("Head\ud800ing", bk.paragraph(sent))],
    )
    with pytest.raises(ValidationError) as err:
        brief.validate()
    text = str(err.value)
    assert "speaker" in text and "unit" in text and "heading holds" in text
    assert "title holds" in text and "author holds" in text


def test_a_brief_with_a_lone_surrogate_does_not_reach_an_exporter(
    tmp_path: Path, pentagon: bk.Excerpt
) -> None:
    brief = bk.Brief("T", key_points=[bk.sentence("bad \ud800 text", cite=pentagon)])
    for fmt in ("md", "json", "html"):
        with pytest.raises(BriefkitError):
            bk.export(brief, tmp_path / f"b.{fmt}")


@pytest.mark.parametrize(
    "where", ["- A \ud800. [!analysis]\n", "# H\ud800\n\nA. [!analysis]\n", "title2: \ud800\n"]
)
def test_a_lone_surrogate_in_a_markdown_string_is_a_syntax_error(where: str) -> None:
    if where.startswith("title2"):
        text = f"---\ntitle: T\u0301\ud800\nsources: {SEEDS.as_posix()}\n---\n\n- A. [!analysis]\n"
    else:
        text = f"---\ntitle: T\nsources: {SEEDS.as_posix()}\n---\n\n" + where
    with pytest.raises(BriefSyntaxError, match=r"lone surrogate U\+D800") as err:
        mdbrief.loads(text)
    (_, line, column, _msg) = next(p for p in err.value.problems if "surrogate" in p[3])
    assert text.splitlines()[line - 1][column - 1] == "\ud800"


# -- 5. foreign citation syntax: one hint each ------------------------------------------


@pytest.mark.parametrize(
    "group",
    [
        "[@cnn “Carter looks”]",
        "[@cnn „Carter looks“]",
        "[@cnn «Carter looks»]",
        "[@cnn ”Carter looks”]",
        "[@cnn ‘Carter looks’]",
        "[@cnn “Carter; looks” normalize]",
        "[@cnn “Carter looks”; @cnn “Pentagon officials”]",
        '[@cnn “Carter looks"]',
    ],
)
def test_curly_quotation_marks_as_delimiters_give_one_hint(group: str) -> None:
    with pytest.raises(BriefSyntaxError) as err:
        mdbrief.loads(FRONT + f"# H\n\nCarter went. {group}\n")
    problems = err.value.problems
    assert len(problems) == 1, problems
    (_, line, column, message) = problems[0]
    assert 'straight double quotes "…"' in message
    assert (line, column) == (10, 20)


def test_curly_marks_in_an_inline_excerpt_give_one_hint() -> None:
    with pytest.raises(BriefSyntaxError) as err:
        mdbrief.loads(FRONT + "# H\n\nCarter said {@cnn “never been stronger”}.\n")
    assert len(err.value.problems) == 1
    assert "straight double quotes" in err.value.problems[0][3]


@pytest.mark.parametrize(
    "group",
    ["[@cnn, p. 5]", "[@cnn p. 5]", "[@cnn, pp. 5-7]", "[@cnn sec. 2]", "[@cnn, chapter 3]"],
)
def test_a_pandoc_locator_is_one_clear_error(group: str) -> None:
    with pytest.raises(BriefSyntaxError) as err:
        mdbrief.loads(FRONT + f"# H\n\nCarter went. {group}\n")
    problems = err.value.problems
    assert len(problems) == 1, problems
    message = problems[0][3]
    assert "locator" in message and "derives" in message and '"exact words"' in message


def test_straight_quotes_still_work_beside_the_hints() -> None:
    loaded = mdbrief.loads(FRONT + '# H\n\nCarter went. [@cnn "Carter looks" normalize]\n')
    assert loaded.brief.sections[0].blocks[0].sentences[0].cites  # type: ignore[union-attr]


# -- 6. the brief is not a regular file ---------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "brief.md"
    os.mkfifo(fifo)
    out = _bounded_load(fifo, tmp_path)
    assert "FIFO" in out and "not a regular file" in out


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null", "/dev/stdin"])
def test_a_device_is_refused(tmp_path: Path, device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    out = _bounded_load(Path(device), tmp_path)
    assert out.startswith("error") and ("not a regular file" in out or "cannot read" in out)


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BriefSyntaxError, match="cannot read the brief"):
        mdbrief.load(tmp_path)


# -- 7. misquotes in every form of quotation marks ----------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "»ironclad«",
        "”ironclad”",
        "＂ironclad＂",
        "〝ironclad〞",
        "〝ironclad〟",
        "❝ironclad❞",
        "‚ironclad‘",
        "›ironclad‹",
        "'ironclad'",
        "“ironclad”",
    ],
)
@pytest.mark.parametrize("smart", [True, False])
def test_a_misquote_in_any_quotation_marks_is_caught(
    pentagon: bk.Excerpt, typed: str, smart: bool
) -> None:
    brief = bk.Brief(
        "T", key_points=[bk.sentence(f"He called it {typed}.", cite=pentagon)], smart_quotes=smart
    )
    if typed == "'ironclad'" and not smart:
        brief.validate()  # shown straight: scare quotes, as README.md documents
        return
    with pytest.raises(ValidationError, match="misquote: the quoted words 'ironclad'"):
        brief.validate()


@pytest.mark.parametrize(
    "text",
    [
        "It's the dogs' toys and the cats' bowls.",
        "Rock 'n' roll’s heyday",
        "the 1990's and '80s",
        "5” and 6” screens",
        "It’s Abe’s view.",
        "the boys’ ‘jobs’",
    ],
)
def test_apostrophes_are_not_quotations(text: str) -> None:
    found = [inner for _s, _e, inner in quoted_passages(text)]
    assert all(inner in ("jobs", "n") for inner in found), found


def test_quoted_passages_is_linear_on_unclosed_marks(tmp_path: Path) -> None:
    code = textwrap.dedent(
        """
        from briefkit._text import quoted_passages
        for mark in ("“", "«", " ‘", " '", " ”", "„", "‚", "〝", "❝", "＂"):
            quoted_passages((mark + "a ") * 400_000)
        print("ok")
        """
    )
    assert _load_ok(code, tmp_path).strip() == "ok"


def test_a_passage_that_holds_an_apostrophe_is_one_passage() -> None:
    assert quoted_passages("he said ‘it’s fine’ today") == [(8, 19, "it’s fine")]
    assert quoted_passages("he said 'it's fine' today") == []  # straight: not a quotation
    assert quoted_passages("„Abe’s view“") == [(0, 12, "Abe’s view")]


# -- 8. bool offsets ---------------------------------------------------------------------


@pytest.mark.parametrize("value", [True, False])
@pytest.mark.parametrize(
    "convert", [utf8_to_codepoint, utf16_to_codepoint, codepoint_to_utf8, codepoint_to_utf16]
)
def test_bool_offsets_are_refused(value: bool, convert: object) -> None:
    assert callable(convert)
    with pytest.raises(OffsetError, match="must be an integer"):
        convert("abc", value)


@pytest.mark.parametrize("value", [True, False])
def test_bool_offsets_are_refused_by_a_source(cnn: bk.Source, value: bool) -> None:
    with pytest.raises(OffsetError):
        cnn.span_from_utf8(value, 5)
    with pytest.raises(OffsetError):
        cnn.span_from_utf16(0, value)
    with pytest.raises(OffsetError):
        TextIndex("\ufeffabc", byte_base=3).from_utf8(value)


# -- fuzzing: corrupted real briefs ------------------------------------------------------

_INSERTS = st.sampled_from(
    [
        "\x00",
        "\x01",
        "\x1b",
        "\x7f",
        "\x85",
        "\u202e",
        "\u2066",
        "\u200f",
        "\ufeff",
        "\ud800",
        "“",
        "”",
        "«",
        "'",
        '"',
        "\\",
        "\\u{",
        "[",
        "]",
        "{",
        "}",
        "@",
        "!",
        "#",
        ";",
        "-",
        "\n",
        "\r",
        "\t",
        "---\n",
        "&a ",
        "*a",
        "9" * 40,
        "1" * 5000 + "-" + "2" * 5000,
        "1e999",
        "!!python/object:os.system ",
        "<!--",
        "-->",
        "> ",
        "- ",
        "# ",
        "####### ",
    ]
)


@st.composite
def _corrupted(draw: st.DrawFn, seed: str) -> str:
    text = seed
    for _ in range(draw(st.integers(1, 6))):
        n = len(text)
        at = draw(st.integers(0, n))
        kind = draw(st.sampled_from(["insert", "char", "delete", "duplicate", "replace"]))
        if kind == "insert":
            text = text[:at] + draw(_INSERTS) + text[at:]
        elif kind == "char":
            text = text[:at] + draw(st.characters(codec=None)) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 200)) :]
        elif kind == "duplicate":
            length = draw(st.integers(1, 400))
            text = text[:at] + text[at : at + length] * 2 + text[at + length :]
        else:
            text = text[:at] + draw(st.characters(codec=None)) + text[at + 1 :]
    return text


def _loads_or_briefkit_error(text: str, base: Path) -> None:
    with contextlib.suppress(BriefkitError):
        mdbrief.loads(text, base=base)


_FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@_FUZZ
@given(data=st.data())
def test_fuzzed_example_brief_loads_or_raises_a_briefkit_error(data: st.DataObject) -> None:
    text = data.draw(_corrupted(EXAMPLE.read_text(encoding="utf-8")))
    _loads_or_briefkit_error(text, EXAMPLE.parent)


@_FUZZ
@given(data=st.data())
def test_fuzzed_licences_brief_loads_or_raises_a_briefkit_error(data: st.DataObject) -> None:
    text = data.draw(_corrupted(LICENCES.read_text(encoding="utf-8")))
    _loads_or_briefkit_error(text, LICENCES.parent)


def _front_of(path: Path) -> tuple[str, str]:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return front, body


@_FUZZ
@given(data=st.data(), which=st.sampled_from([EXAMPLE, LICENCES]))
def test_fuzzed_front_matter_loads_or_raises_a_briefkit_error(
    data: st.DataObject, which: Path
) -> None:
    front, body = _front_of(which)
    corrupted = data.draw(_corrupted(front))
    _loads_or_briefkit_error(f"---\n{corrupted}---\n{body}", which.parent)


@_FUZZ
@given(
    raw=st.binary(max_size=300),
    where=st.integers(0, 10**6),
    which=st.sampled_from([EXAMPLE, LICENCES]),
)
def test_bytes_spliced_into_a_brief_file_load_or_raise(
    tmp_path_factory: pytest.TempPathFactory, raw: bytes, where: int, which: Path
) -> None:
    root = which.parent.as_posix().encode()
    data = re.sub(
        rb"root: (\S+)", lambda m: b"root: " + root + b"/" + m.group(1), which.read_bytes()
    )
    at = where % len(data)
    path = tmp_path_factory.mktemp("fuzz") / "brief.md"
    path.write_bytes(data[:at] + raw + data[at:])
    with contextlib.suppress(BriefkitError):
        mdbrief.load(path)
