"""Reading pandoc's JSON AST in tests: running pandoc, the notes it found, the nodes of a kind
and the text of inline lists and nodes."""

from __future__ import annotations

import json
import subprocess
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


def read(text: str, reader: str = "markdown") -> Any:
    """pandoc's JSON AST of ``text`` read with ``reader`` (pandoc must be installed)."""
    done = subprocess.run(
        ["pandoc", "-f", reader, "-t", "json"],
        input=text.encode("utf-8"),
        capture_output=True,
        check=True,
    )
    return json.loads(done.stdout)


def find(node: Any, kind: str) -> list[Any]:
    """Every node of ``kind`` under ``node`` (not looking inside one found), in order."""
    if isinstance(node, dict):
        if node.get("t") == kind:
            return [node]
        return [x for v in node.values() for x in find(v, kind)]
    if isinstance(node, list):
        return [x for v in node for x in find(v, kind)]
    return []


def text(node: Any) -> str:
    """The text of any node: spaces for Space and SoftBreak, quotation marks around a
    Quoted node (pandoc reads curly quotes as one), notes left out."""
    if isinstance(node, dict):
        kind = node.get("t")
        if kind == "Str":
            return str(node["c"])
        if kind in ("Space", "SoftBreak"):
            return " "
        if kind == "Quoted":
            marks = "“”" if node["c"][0]["t"] == "DoubleQuote" else "‘’"
            return marks[0] + text(node["c"][1]) + marks[1]
        if kind == "Note":
            return ""
        return text(node.get("c", []))
    if isinstance(node, list):
        return "".join(text(x) for x in node)
    return ""
