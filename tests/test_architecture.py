"""The package's shape (docs/ARCHITECTURE.md): no import cycles, no private name imported from another
module, and the sandbox side importing nothing of the coordinator's."""
import ast
import os

from support import ROOT

PACKAGE = os.path.join(ROOT, "ddsp_course")


def _modules() -> dict[str, str]:
    """``{dotted name: path}`` of every module of the package."""
    found = {}
    for base, _, files in os.walk(PACKAGE):
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(base, name)
                parts = os.path.relpath(path, ROOT)[:-3].split(os.sep)
                found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(name: str, path: str, modules: dict[str, str]) -> list[tuple[str, list[str]]]:
    """``(module, names)`` for every import of a package module in ``path``, at any depth (a function's
    import is a dependency too)."""
    package = name if path.endswith("__init__.py") else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(open(path).read())):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names if alias.name.startswith("ddsp_course")]
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            target = f"{base}.{node.module}" if node.level and node.module else base if node.level else node.module
            if not target.startswith("ddsp_course"):
                continue
            names = [alias.name for alias in node.names]
            submodules = [f"{target}.{n}" for n in names if f"{target}.{n}" in modules]
            found += [(m, []) for m in submodules] + [(target, [n for n in names if f"{target}.{n}" not in modules])]
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        graph[name] = {target for target, _ in _imports(name, path, modules) if target in modules and target != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _ancestors(name: str) -> set[str]:
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def test_no_import_cycles():
    graph = _graph()
    # a module's import of its own package's __init__ is how Python loads it, not a dependency to count
    graph = {name: {t for t in targets if t not in _ancestors(name)} for name, targets in graph.items()}
    assert _cycles(graph) == []


def test_no_private_name_is_imported_from_another_module():
    modules = _modules()
    private = [f"{name} imports {target}.{n}" for name, path in modules.items()
               for target, names in _imports(name, path, modules) for n in names
               if n.startswith("_") and not n.startswith("__") and target != name]
    assert private == []


def test_the_sandbox_side_imports_nothing_of_the_coordinators():
    """What runs inside the sandbox imports only the sandbox package (and the light package roots)."""
    graph = _graph()
    sandbox = {name for name in graph if name.startswith("ddsp_course.grade.sandbox")}
    assert sandbox, "the sandbox side is ddsp_course.grade.sandbox"
    outside = {f"{name} -> {target}" for name in sandbox for target in graph[name]
               if not target.startswith("ddsp_course.grade.sandbox") and target not in _ancestors(name)}
    assert outside == set()
