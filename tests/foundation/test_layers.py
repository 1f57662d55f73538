"""Imports run one way: tools → engines → libraries → core, read from the source.

core/ imports nothing above it; the libraries (odoo, llm, embeddings, forecast) import
core and each other; an engine imports core, the libraries, its own modules and another
engine's `store` only (the owner of a table answers the queries on it); nothing in the
runtime package imports the tools, which function archives do not ship.
"""

from __future__ import annotations

import ast
from pathlib import Path

import odoo_engines

RUNTIME = Path(odoo_engines.__file__).parent
CORE = "core"
LIBRARIES = {"odoo", "llm", "embeddings", "forecast"}
ENGINES = {"products", "sales", "orders", "knowledge", "enrichment"}
# One file name, one meaning, in every engine folder (README, "where things are").
SKELETON = ("__init__.py", "handlers.py", "run.py", "store.py", "settings.py", "migrations")


def _module(path: Path) -> tuple[list[str], list[str]]:
    """The module's dotted parts and its package's."""
    parts = ["odoo_engines", *path.relative_to(RUNTIME).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
        return parts, parts
    return parts, parts[:-1]


def _imports(path: Path) -> set[str]:
    """Every odoo_engines* module `path` imports (`from x import name` counts x.name when
    that is a module, else x)."""
    _, package = _module(path)
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = [*base, *(node.module.split(".") if node.module else [])]
            for alias in node.names:  # a submodule by name, else a name from `target`
                is_module = _exists([*target, alias.name])
                found.add(".".join([*target, alias.name] if is_module else target))
    return {name for name in found if name.startswith("odoo_engines")}


def _exists(parts: list[str]) -> bool:
    """Whether the dotted `parts` name a module or package of the runtime."""
    if parts[:1] != ["odoo_engines"]:
        return False
    path = RUNTIME.joinpath(*parts[1:])
    return path.is_dir() or path.with_suffix(".py").is_file()


def _unit(dotted: str) -> str:
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "odoo_engines" else parts[0]


def _allowed(source: str, target: str) -> bool:
    unit, used = _unit(source), _unit(target)
    if target.startswith("odoo_engines_tools"):
        return False
    if used in (unit, "__version__", CORE) or target == "odoo_engines":
        return True
    if unit == CORE:
        return False
    if unit in LIBRARIES:
        return used in LIBRARIES
    if unit in ENGINES:
        is_store = target.split(".")[2:3] == ["store"]
        return used in LIBRARIES or (used in ENGINES and is_store)
    return False


def test_no_import_runs_upward_or_sideways():
    wrong = []
    for path in sorted(RUNTIME.rglob("*.py")):
        source = ".".join(_module(path)[0])
        wrong += [f"{source} → {t}" for t in sorted(_imports(path)) if not _allowed(source, t)]
    assert wrong == []


def test_the_package_root_holds_only_the_layers():
    loose = sorted(p.name for p in RUNTIME.glob("*.py") if p.name != "__init__.py")
    folders = {p.name for p in RUNTIME.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert loose == []
    assert folders == {CORE, *LIBRARIES, *ENGINES}


def test_every_engine_folder_has_the_same_files():
    for engine in sorted(ENGINES):
        present = {p.name for p in (RUNTIME / engine).iterdir()}
        assert set(SKELETON) <= present, engine
        assert not present & {"runner.py", "function.py", "service.py", "api.py", "cli.py"}


def test_the_layer_rules_catch_what_they_name():
    assert not _allowed("odoo_engines.core.checks", "odoo_engines.odoo")
    assert not _allowed("odoo_engines.sales.run", "odoo_engines.products.mapping")
    assert _allowed("odoo_engines.sales.production", "odoo_engines.products.store")
    assert not _allowed("odoo_engines.odoo.connect", "odoo_engines_tools.sandbox.account")
    assert not _allowed("odoo_engines.llm.writing", "odoo_engines.enrichment.store")
    # and the reader sees both import forms: a submodule by name, a name from a module
    assert "odoo_engines.products.store" in _imports(RUNTIME / "enrichment" / "store.py")
    assert "odoo_engines.core.runs" in _imports(RUNTIME / "products" / "run.py")
