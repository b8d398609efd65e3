"""Reading pandoc's JSON AST in tests: the notes it found and the text of inline lists."""

from __future__ import annotations

from typing import Any


def notes(node: Any, found: list[Any] | None = None) -> list[Any]:
    """Every Note's block list, in document order."""
    found = [] if found is None else found
    if isinstance(node, dict):
        if node.get("t") == "Note":
            found.append(node["c"])
            return found
        for value in node.values():
            notes(value, found)
    elif isinstance(node, list):
        for value in node:
            notes(value, found)
    return found


def inline_text(inlines: Any) -> str:
    """The text of an inline list; breaks become newlines, an unexpected node ``<Kind>``."""
    out = []
    for el in inlines:
        kind = el["t"]
        if kind == "Str":
            out.append(el["c"])
        elif kind == "Space":
            out.append(" ")
        elif kind in ("SoftBreak", "LineBreak"):
            out.append("\n")
        elif kind in ("Emph", "Strong"):
            out.append(inline_text(el["c"]))
        elif kind == "Quoted":  # pandoc reads curly quotes as a Quoted node
            marks = "“”" if el["c"][0]["t"] == "DoubleQuote" else "‘’"
            out.append(marks[0] + inline_text(el["c"][1]) + marks[1])
        elif kind != "Note":
            out.append(f"<{kind}>")
    return "".join(out)
