"""The plan of the house (STYLE.md): each app imports only the apps below it, never another app's
views or private names; services never import tasks; nothing imports the project package; no
module imports another in a circle."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = [
    "core",
    "notifications",
    "units",
    "campaigns",
    "assessments",
    "scoring",
    "votes",
    "api",
    "devtools",
]
PROJECT = "emulation_portal"


def modules() -> dict[str, Path]:
    found = {}
    for app in LAYERS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imports(name: str, path: Path) -> list[tuple[str, list[str]]]:
    """(module imported, names taken from it), with relative imports resolved."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.append((base, [alias.name for alias in node.names]))
    return found


MODULES = modules()


def app_of(module: str) -> str:
    return module.split(".")[0]


def test_each_app_imports_only_the_apps_below_it() -> None:
    wrong = []
    for name, path in MODULES.items():
        here = LAYERS.index(app_of(name))
        for target, _ in imports(name, path):
            there = app_of(target)
            if there == PROJECT:
                wrong.append(f"{name} imports {target} (no app imports the project package)")
            elif there in LAYERS and LAYERS.index(there) > here:
                wrong.append(f"{name} imports {target}, a higher layer")
    assert wrong == []


def test_no_app_imports_another_apps_views_or_private_names() -> None:
    wrong = []
    for name, path in MODULES.items():
        for target, names in imports(name, path):
            if app_of(target) not in LAYERS or app_of(target) == app_of(name):
                continue
            if target.split(".")[-1] == "views" or any(n.startswith("_") for n in names):
                wrong.append(f"{name} imports {target} {names}")
    assert wrong == []


@pytest.mark.parametrize("layer", ["services", "selectors", "pipeline", "models"])
def test_services_never_import_tasks(layer: str) -> None:
    wrong = [
        f"{name} imports {target}"
        for name, path in MODULES.items()
        if name.endswith(f".{layer}")
        for target, names in imports(name, path)
        if target.endswith("tasks") or any(n == "tasks" or n.endswith("_task") for n in names)
    ]
    assert wrong == []


def test_no_import_circle() -> None:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for target, names in imports(name, path):
            for candidate in [target, *(f"{target}.{n}" for n in names)]:
                if candidate in MODULES and candidate != name:
                    graph[name].add(candidate)
    seen: dict[str, int] = {}  # 1 on the current path, 2 done
    circles = []

    def visit(node: str, trail: list[str]) -> None:
        seen[node] = 1
        for nxt in sorted(graph[node]):
            if seen.get(nxt) == 1:
                circles.append(" -> ".join([*trail[trail.index(nxt) :], nxt]))
            elif nxt not in seen:
                visit(nxt, [*trail, nxt])
        seen[node] = 2

    for node in sorted(graph):
        if node not in seen:
            visit(node, [node])
    assert circles == []


# What the project package may take from the apps: their reads, rules, pages and routes; the
# wiring of sign-in refusals to notices (signin.py) calls the one service it connects.
PROJECT_MAY_IMPORT = {"selectors", "rules", "views", "urls", "roles", "signin", "twofactor"}
PROJECT_WIRING = {"notifications.services"}


def test_the_project_package_reads_the_apps_through_their_selectors_never_their_models() -> None:
    wrong = []
    for path in (ROOT / PROJECT).rglob("*.py"):
        if "settings" in path.parts:
            continue
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for target, names in imports(name, path):
            if app_of(target) not in LAYERS or target in PROJECT_WIRING:
                continue
            module = target.split(".")[1] if "." in target else ""
            taken = [module] if module else names
            if any(part not in PROJECT_MAY_IMPORT for part in taken):
                wrong.append(f"{name} imports {target} {names}")
    assert wrong == []
