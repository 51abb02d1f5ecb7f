"""The layout docs/ARCHITECTURE.md describes, checked on the source itself.

Imports flow one way: the crm kernel (the modules at crm/'s root) <- crm's areas (crm/<area>/) <- the
calendar (calendar/, imported as upr_calendar) <- outreach <- the edge (upr/). Every import counts: at the
top of a module, inside a function, or only for type checking. No module imports another that imports it
back at load time, and no source file grows past what a reader can hold in their head.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Folder on disk -> the name it is imported by.
PACKAGES = {"crm": "crm", "calendar": "upr_calendar", "outreach": "outreach", "upr": "upr"}
MAX_LINES = 400


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int
    at_load_time: bool


def module_name(path: Path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    parts = [PACKAGES[relative.parts[0]], *relative.parts[1:]]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files() -> list[Path]:
    return sorted(path for folder in PACKAGES for path in (ROOT / folder).rglob("*.py"))


def known_modules() -> set[str]:
    return {module_name(path) for path in source_files()}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: Path, modules: set[str]) -> Iterator[Import]:
    """Every first-party module ``path`` imports, and whether it is imported when ``path`` loads."""
    importer = module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))

    def targets(node: ast.Import | ast.ImportFrom) -> Iterator[str]:
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
            return
        assert node.level == 0, f"{path}:{node.lineno}: relative imports are not used in this project"
        assert node.module is not None
        for alias in node.names:
            submodule = f"{node.module}.{alias.name}"
            yield submodule if submodule in modules else node.module

    def walk(nodes: list[ast.stmt], at_load_time: bool) -> Iterator[Import]:
        for node in nodes:
            if isinstance(node, ast.Import | ast.ImportFrom):
                for target in targets(node):
                    if target.split(".")[0] in PACKAGES.values():
                        yield Import(importer, target, node.lineno, at_load_time)
            elif isinstance(node, ast.If) and _is_type_checking(node):
                yield from walk(node.body, False)
                yield from walk(node.orelse, at_load_time)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                yield from walk(node.body, False)
            elif isinstance(node, ast.ClassDef | ast.If | ast.Try | ast.With | ast.For | ast.While):
                for field in ("body", "orelse", "finalbody", "handlers"):
                    for child in getattr(node, field, []):
                        inner = child.body if isinstance(child, ast.ExceptHandler) else [child]
                        yield from walk(inner, at_load_time)

    yield from walk(tree.body, True)


def layer(module: str) -> tuple[int, str]:
    """How high a module sits, and the layer's name for messages."""
    top, _, rest = module.partition(".")
    if top == "crm":
        is_area = "." in rest or (ROOT / "crm" / rest).is_dir()
        return (1, "a crm area") if is_area else (0, "the crm kernel")
    return {"upr_calendar": (2, "the calendar"), "outreach": (3, "outreach"), "upr": (4, "the edge")}[top]


def every_import() -> list[Import]:
    modules = known_modules()
    return [found for path in source_files() for found in imports_of(path, modules)]


def test_the_checker_sees_the_imports_it_must_judge() -> None:
    """A checker that found nothing would pass every layout: it must see known edges of each kind."""
    edges = {(i.importer, i.imported, i.at_load_time) for i in every_import()}
    assert ("upr_calendar.agenda", "upr_calendar.tasks", True) in edges
    assert ("crm.auth.models", "crm.teams.models", False) in edges  # typing only
    assert ("upr.cli", "upr.demo", False) in edges  # inside a command
    assert layer("crm.db") == (0, "the crm kernel")
    assert layer("crm.contacts.privacy")[0] == layer("crm.teams")[0] == 1
    assert layer("upr_calendar.agenda")[0] == 2


def test_imports_flow_one_way() -> None:
    upward = [
        f"{i.importer} (line {i.line}, {layer(i.importer)[1]}) imports {i.imported} ({layer(i.imported)[1]})"
        for i in every_import()
        if layer(i.imported)[0] > layer(i.importer)[0]
    ]
    assert upward == []


def test_no_module_imports_itself_back_at_load_time() -> None:
    graph: dict[str, set[str]] = {}
    for found in every_import():
        if found.at_load_time and found.imported != found.importer:
            graph.setdefault(found.importer, set()).add(found.imported)
    cycles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for imported in sorted(graph.get(module, ())):
            if state.get(imported) == 1:
                cycles.append(" -> ".join([*path[path.index(imported) :], imported]))
            elif imported not in state:
                visit(imported, [*path, imported])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


@pytest.mark.parametrize("path", source_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_source_file_is_longer_than_a_reader_can_hold(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines: split it by responsibility"
