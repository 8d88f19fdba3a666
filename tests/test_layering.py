"""The layering of the apps, read from their source: the check a newcomer can rely on.

`cases` is the ground floor: it imports none of the other domain apps and nothing of the
project package. The other apps build on `cases` (and `reports` on the rest); none of them
imports the project package's composition modules (middleware, views, settings...): the
project package is the top layer, which wires the apps together (FAMILY_SECTIONS and the
other lists in settings). There is no import cycle between apps. Imports inside functions
count: they are dependencies all the same, only later.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("cases", "phases", "network", "strengths", "reports")
GROUND = "cases"
PROJECT = "familiekracht"
# The project package's wiring that any app may use: the Celery app object.
PROJECT_WIRING = frozenset({"familiekracht", "familiekracht.celery"})
SKIPPED_DIRS = frozenset({"migrations", "tests", "__pycache__"})


def _source_files(app: str) -> Iterator[Path]:
    for path in sorted((ROOT / app).rglob("*.py")):
        relative = path.relative_to(ROOT)
        if SKIPPED_DIRS.intersection(relative.parts):
            continue
        yield path


def _module_of(path: Path) -> list[str]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) of every import in the file, at any depth, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_of(path)
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            yield node.lineno, module
            # `from familiekracht import middleware` names a module too.
            for alias in node.names:
                yield node.lineno, f"{module}.{alias.name}"


def _app_imports() -> dict[str, list[tuple[str, str]]]:
    """app -> [(where, imported module)] for imports of another app or the project package."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for app in APPS:
        for path in _source_files(app):
            for line, module in _imports(path):
                head = module.split(".")[0]
                if head != app and head in (*APPS, PROJECT):
                    where = f"{path.relative_to(ROOT).as_posix()}:{line}"
                    found[app].append((where, module))
    return found


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {app: set() for app in APPS}
    for app, imports in _app_imports().items():
        graph[app].update(m.split(".")[0] for _, m in imports if m.split(".")[0] in APPS)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every elementary cycle's shortest form, found by a walk from each app."""
    cycles: set[tuple[str, ...]] = set()

    def walk(start: str, node: str, path: list[str]) -> None:
        for nxt in sorted(graph[node]):
            if nxt == start:
                cycles.add(tuple(path))
            elif nxt not in path and nxt > start:
                walk(start, nxt, [*path, nxt])

    for app in sorted(graph):
        walk(app, app, [app])
    return [[*cycle, cycle[0]] for cycle in sorted(cycles)]


def test_cases_imports_no_other_app_and_not_the_project_package():
    upward = [
        f"{where} imports {module}"
        for where, module in _app_imports()[GROUND]
        if module.split(".")[0] != GROUND
    ]
    assert upward == [], "cases is the ground floor; it imports:\n" + "\n".join(upward)


def test_no_app_imports_the_project_packages_composition_modules():
    into_project = [
        f"{where} imports {module}"
        for app, imports in _app_imports().items()
        for where, module in imports
        if module.split(".")[0] == PROJECT
        and module not in PROJECT_WIRING
        # `from familiekracht import celery_app`: the exported Celery app, wiring too.
        and module != "familiekracht.celery_app"
    ]
    assert into_project == [], "apps import the project package:\n" + "\n".join(into_project)


def test_no_import_cycle_between_apps():
    cycles = [" -> ".join(cycle) for cycle in _cycles(_graph())]
    assert cycles == [], "import cycles between apps:\n" + "\n".join(cycles)


def test_cases_templates_name_no_other_apps_template_or_url():
    """The family file's parts come from FAMILY_SECTIONS, not from names in cases' pages."""
    others = "|".join(app for app in APPS if app != GROUND)
    pattern = re.compile(rf"""["'](?:{others})(?:/|:)""")
    named = [
        f"{path.relative_to(ROOT).as_posix()}:{number}: {line.strip()}"
        for path in sorted((ROOT / "templates" / GROUND).rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert named == [], "cases templates name other apps:\n" + "\n".join(named)


def test_the_check_sees_real_imports():
    """The walk finds what is there, so the tests above cannot pass by seeing nothing."""
    graph = _graph()
    assert "cases" in graph["phases"]
    assert {"cases", "phases"} <= graph["reports"]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
