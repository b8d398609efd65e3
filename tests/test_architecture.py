"""The structure the code promises: no import cycles, one package per format whose reading
side never needs its writer, private implementation modules, and no submodule shadowed by a
function of the same name."""

from __future__ import annotations

import ast
import subprocess
import sys
import types
from pathlib import Path

import briefkit

SRC = Path(briefkit.__file__).resolve().parent
FORMATS = ("json", "markdown", "html", "docx", "pdf")


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for file in SRC.rglob("*.py"):
        parts = list(file.relative_to(SRC.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = file
    return found


MODULES = _modules()


def _imports(name: str, file: Path) -> set[str]:
    """The briefkit modules ``name`` imports when it is imported: top-level imports outside
    ``if TYPE_CHECKING`` blocks (imports inside functions run later, on use)."""
    tree = ast.parse(file.read_text(encoding="utf-8"))
    out: set[str] = set()
    statements: list[ast.stmt] = []
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            statements.extend(node.orelse)
            continue
        statements.append(node)
    for sub in _executed(statements):
        if isinstance(sub, ast.Import):
            out.update(a.name for a in sub.names)
        elif isinstance(sub, ast.ImportFrom) and sub.module and sub.level == 0:
            for alias in sub.names:
                full = f"{sub.module}.{alias.name}"
                # "from pkg import submodule" needs the submodule; a name needs pkg itself
                out.add(full if full in MODULES else sub.module)
    return {m for m in out if m in MODULES and m != name}


def _executed(statements: list[ast.stmt]) -> list[ast.AST]:
    """Every node that runs at import time: function bodies are left out."""
    out: list[ast.AST] = []
    todo: list[ast.AST] = list(statements)
    while todo:
        node = todo.pop()
        out.append(node)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        todo.extend(ast.iter_child_nodes(node))
    return out


GRAPH = {name: _imports(name, file) for name, file in MODULES.items()}


def _reachable(start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in GRAPH[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_there_are_no_import_cycles() -> None:
    cycles = [name for name in GRAPH if name in _reachable(name)]
    assert cycles == []


def test_the_graph_sees_real_imports() -> None:
    # a check that found no edges would pass vacuously
    assert "briefkit.manifest" in GRAPH["briefkit._verify"]
    assert "briefkit.formats.checking" in GRAPH["briefkit.formats.docx.checker"]


def test_reading_and_checking_a_format_never_loads_its_writer() -> None:
    for fmt in FORMATS[1:]:
        for side in ("reader", "checker"):
            reached = _reachable(f"briefkit.formats.{fmt}.{side}")
            writers = {m for m in reached if m.endswith(".writer") or ".writer." in m}
            assert writers == set(), (fmt, side, writers)


def test_importing_briefkit_loads_no_format_writer_reader_or_heavy_dependency() -> None:
    code = (
        "import sys, briefkit\n"
        "light = ('briefkit.formats.checking', 'briefkit.formats.json')\n"
        "loaded = [m for m in sys.modules if m.startswith('briefkit.formats.') "
        "and m not in light or m.split('.')[0] in ('reportlab', 'pypdf', 'docx', 'lxml')]\n"
        "print(sorted(loaded))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_public_modules_are_modules_and_functions_are_functions() -> None:
    import briefkit.manifest
    import briefkit.plan
    import briefkit.problems
    import briefkit.report

    for module in (briefkit.plan, briefkit.manifest, briefkit.problems, briefkit.report):
        assert isinstance(module, types.ModuleType)
    for function in (briefkit.verify, briefkit.export, briefkit.render):
        assert isinstance(function, types.FunctionType)
    shadowed = [
        name
        for name in briefkit.__all__
        if f"briefkit.{name}" in MODULES
        and not isinstance(getattr(briefkit, name), types.ModuleType)
    ]
    assert shadowed == []


def test_every_format_package_owns_a_writer_a_reader_and_a_checker() -> None:
    for fmt in FORMATS[1:]:
        for side in ("writer", "reader", "checker"):
            assert f"briefkit.formats.{fmt}.{side}" in MODULES, (fmt, side)
    assert "briefkit.formats.json" in MODULES


def test_the_version_is_defined_once() -> None:
    defined = [
        name
        for name, file in MODULES.items()
        if any(
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets)
            for node in ast.parse(file.read_text(encoding="utf-8")).body
        )
    ]
    assert defined == ["briefkit._version"]


def test_no_package_defines_a_name_that_a_submodule_would_replace() -> None:
    # importing a submodule binds it on its package, replacing a function of the same name
    clashes = []
    for name, file in MODULES.items():
        if file.name != "__init__.py":
            continue
        defined = {
            node.name
            for node in ast.parse(file.read_text(encoding="utf-8")).body
            if isinstance(node, ast.FunctionDef | ast.ClassDef)
        }
        clashes += [f"{name}.{sub}" for sub in defined if f"{name}.{sub}" in MODULES]
    assert clashes == []


def test_frozen_values_hold_no_mutable_containers() -> None:
    mutable = ("dict[", "list[", "set[", "bytearray")
    found = []
    for name, file in MODULES.items():
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            if not any("frozen" in ast.unparse(d) for d in node.decorator_list):
                continue
            for statement in node.body:
                if isinstance(statement, ast.AnnAssign):
                    annotation = ast.unparse(statement.annotation)
                    if annotation.startswith(mutable):
                        found.append(f"{name}.{node.name}.{ast.unparse(statement.target)}")
    assert found == []
