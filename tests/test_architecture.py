"""The direction of imports between the packages of `consultation` (README, Layout).

Every module is parsed with `ast`, imports inside functions and under `TYPE_CHECKING`
included: a function-local import hides a cycle from Python, not from this test. A domain is
a sub-package of `consultation/` (`accounts`, `consultations`, `ledger`…); `api` and `demo`,
with the top-level `setup` and `models`, are the composition layer, which may import every
domain and which no domain imports. `core`, with `extensions`, is below every domain.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import consultation

ROOT = Path(consultation.__file__).parent
PACKAGE = ROOT.name
COMPOSITION = {"api", "demo", "setup", "models"}
# The app factory (`consultation.create_app`): what an RQ worker builds to run a job
# (`core.jobs.run_job`), the one import of the composition root from below.
ROOT_FOR_WORKERS = {("consultation.core.jobs", PACKAGE)}


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its `__init__.py`)."""
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known) -> list[tuple[str, int]]:
    """The package's modules that module `name` imports, anywhere in it, with their lines."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from package import module` names a module; `from module import name` does not.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.append((target, node.lineno))
    return found


def top(name: str) -> str:
    """The top-level package or module of `consultation` that module `name` belongs to."""
    parts = name.split(".")
    if len(parts) == 1:
        return PACKAGE
    return "core" if parts[1] == "extensions" else parts[1]


def import_sites() -> list[tuple[str, str, str]]:
    """(importing module, imported module, "path:line") for every import within the package,
    but the worker's import of the app factory."""
    known = modules()
    sites = []
    for name, path in known.items():
        where = path.relative_to(ROOT.parent)
        sites += [
            (name, target, f"{where}:{line}")
            for target, line in imports(name, path, known)
            if (name, target) not in ROOT_FOR_WORKERS
        ]
    return sites


def domain_graph(sites) -> dict[str, dict[str, list[str]]]:
    """Between top-level packages: importer -> imported -> the import sites."""
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for source, target, where in sites:
        if top(source) != top(target):
            graph[top(source)][top(target)].append(where)
    return graph


def cycles(graph) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan's algorithm), each
    shown by a shortest cycle through each of its nodes, as a path that ends where it starts."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    components = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for neighbour in sorted(graph.get(node, ())):
            if neighbour not in index:
                visit(neighbour)
                low[node] = min(low[node], low[neighbour])
            elif neighbour in stack:
                low[node] = min(low[node], index[neighbour])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(set(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    found: list[list[str]] = []
    for component in components:
        for start in sorted(component):
            path = _path_within(graph, component, start)
            if not any(set(path) == set(other) for other in found):
                found.append(path)
    return found


def _path_within(graph, component: set[str], start: str) -> list[str]:
    """A shortest cycle from `start` back to it, within its component."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for neighbour in sorted(graph.get(node, ())):
            if neighbour == start:
                return [*paths[node], start]
            if neighbour in component and neighbour not in paths:
                paths[neighbour] = [*paths[node], neighbour]
                queue.append(neighbour)
    raise AssertionError(f"no cycle through {start}")  # pragma: no cover


def describe(graph, path: list[str]) -> str:
    lines = [" -> ".join(path)]
    for source, target in zip(path, path[1:], strict=False):
        lines.append(f"  {source} -> {target}: " + ", ".join(sorted(set(graph[source][target]))))
    return "\n".join(lines)


def test_no_cycle_between_domains():
    graph = domain_graph(import_sites())
    found = cycles(graph)
    assert not found, "import cycles between packages:\n" + "\n".join(
        describe(graph, path) for path in found
    )


def test_core_imports_no_domain():
    wrong = [
        f"{where} imports {target}"
        for source, target, where in import_sites()
        if top(source) == "core" and top(target) != "core"
    ]
    assert not wrong, "core must import no domain:\n" + "\n".join(wrong)


def test_no_domain_imports_the_composition_layer():
    wrong = [
        f"{where} imports {target}"
        for source, target, where in import_sites()
        if top(source) not in COMPOSITION | {PACKAGE}
        and top(target) in COMPOSITION
        and top(target) != top(source)
    ]
    assert not wrong, "api, demo, setup and models are imported by no domain:\n" + "\n".join(wrong)


def test_no_domain_imports_another_domains_views():
    wrong = [
        f"{where} imports {target}"
        for source, target, where in import_sites()
        if top(source) not in COMPOSITION | {PACKAGE}
        and top(target) != top(source)
        and "views" in target.split(".")[2:]
    ]
    assert not wrong, (
        "a domain's views are its own (load through the other domain's services):\n"
        + "\n".join(wrong)
    )


def test_no_cycle_between_modules():
    """Within a package too, except a package that imports its own modules to register their
    routes on its blueprint (`api`, `synthesis.views`)."""
    sites = [
        (source, target, where)
        for source, target, where in import_sites()
        if not target.startswith(source + ".")
    ]
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for source, target, where in sites:
        graph[source][target].append(where)
    found = cycles(graph)
    assert not found, "import cycles between modules:\n" + "\n".join(
        describe(graph, path) for path in found
    )


def test_the_check_sees_a_function_local_cycle(tmp_path):
    """The graph counts imports inside functions: a cycle they hide is found."""
    graph = {"a": {"b": ["a.py:3"]}, "b": {"c": ["b.py:9"]}, "c": {"a": ["c.py:1"]}}
    assert cycles(graph) == [["a", "b", "c", "a"]]
    module = tmp_path / "module.py"
    module.write_text("def f():\n    from consultation.ledger import services\n")
    known = {"consultation.ledger", "consultation.ledger.services"}
    assert imports("consultation.opendata.module", module, known) == [
        ("consultation.ledger.services", 2)
    ]


# What templates may call: Jinja's and Flask's own, Flask-Babel's translation functions,
# Flask-WTF's CSRF token, and formatting helpers that compute nothing from the database. A page's
# values come from its read model (`queries.py`), passed by the view: a global that computes
# them would hide work from the read model and from its query count.
TEMPLATE_GLOBALS = {
    "_",
    "gettext",
    "ngettext",
    "pgettext",
    "npgettext",
    "csrf_token",
    "csrf_meta_tag",
    "external_url",
}
TEMPLATE_FILTERS = {
    "date_paris",
    "datetime_paris",
    "isoformat",
    "from_isoformat",
    # marking words as French or as a person's (core.sanitize), for the reader's language
    "french",
    "quoted_french",
    "user_content",
    # Flask-Babel's
    "currencyformat",
    "dateformat",
    "datetimeformat",
    "decimalformat",
    "numberformat",
    "percentformat",
    "scientificformat",
    "timedeltaformat",
    "timeformat",
}


def test_templates_get_values_not_computing_globals(app):
    """Every global and filter the application adds to Jinja is a known formatting helper: a
    new one that computes a page's values belongs in the read model instead."""
    from flask import Flask

    bare = Flask("bare").jinja_env
    added_globals = set(app.jinja_env.globals) - set(bare.globals)
    added_filters = set(app.jinja_env.filters) - set(bare.filters)
    assert added_globals - TEMPLATE_GLOBALS == set()
    assert added_filters - TEMPLATE_FILTERS == set()
