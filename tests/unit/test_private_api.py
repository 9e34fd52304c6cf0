"""pgwatch reaches library internals only through its adapters."""

from __future__ import annotations

import ast
import importlib
import inspect
from collections.abc import Iterator
from pathlib import Path

import pgwatch_tui

ROOT = Path(pgwatch_tui.__file__).parent
LIBRARIES = ("textual", "rich", "plotext", "textual_plotext", "pydantic", "pydantic_core")
ADAPTERS = {ROOT / "ui" / "adapters"}
# Underscored names that the standard library documents as public.
STDLIB_PUBLIC = {"_exit", "_replace", "_asdict", "_fields", "_make", "_field_defaults"}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _sources() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(ROOT.rglob("*.py")):
        if not any(adapter in path.parents for adapter in ADAPTERS):
            yield path, ast.parse(path.read_text(), str(path))


def _own_private_names() -> set[str]:
    """Private names pgwatch defines itself: functions, classes, attributes it assigns."""
    names: set[str] = set()
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.alias):
                names.add(node.asname or node.name.split(".")[0])
    return {name for name in names if _private(name)}


def test_no_private_module_or_name_is_imported_from_a_library() -> None:
    found = []
    for path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                library = node.module.split(".")[0]
                if library not in LIBRARIES:
                    continue
                parts = node.module.split(".") + [alias.name for alias in node.names]
                if any(_private(part) for part in parts):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    parts = alias.name.split(".")
                    if parts[0] in LIBRARIES and any(_private(p) for p in parts):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, f"private library imports outside the adapters: {found}"


def test_no_pydantic_internals_are_set_by_name() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path, tree in _sources()
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.startswith("__pydantic")
    ]
    assert not found, f"pydantic internals named outside the adapters: {found}"


def test_no_private_attribute_is_read_that_pgwatch_does_not_define() -> None:
    allowed = _own_private_names() | STDLIB_PUBLIC
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}"
        for path, tree in _sources()
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and _private(node.attr) and node.attr not in allowed
    ]
    assert not found, f"library internals used outside the adapters: {found}"


def _library_classes_extended() -> Iterator[tuple[type, type]]:
    for path in sorted(ROOT.rglob("*.py")):
        if any(adapter in path.parents for adapter in ADAPTERS) or path.name == "__main__.py":
            continue
        module_name = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)
        module_name = module_name.removesuffix(".__init__")
        module = importlib.import_module(module_name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module_name:
                continue
            for base in cls.__mro__[1:]:
                if base.__module__.split(".")[0] in LIBRARIES:
                    yield cls, base


def _body_names(cls: type) -> set[str]:
    """Names the class body itself defines (not those the library's class machinery adds)."""
    body = ast.parse(inspect.getsource(cls).strip()).body[0]
    assert isinstance(body, ast.ClassDef)
    names: set[str] = set()
    for node in body.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def test_no_subclass_overrides_or_shadows_a_library_private() -> None:
    found = set()
    for cls, base in _library_classes_extended():
        library_names = {name for name in dir(base) if _private(name)}
        for name in _body_names(cls):
            if _private(name) and name in library_names:
                found.add(f"{cls.__module__}.{cls.__qualname__}.{name} (from {base.__qualname__})")
    assert not found, f"private library members overridden outside the adapters: {sorted(found)}"


def _instance_privates(cls: type) -> set[str]:
    """The private attributes a class's own methods assign on `self`."""
    try:
        tree = ast.parse(inspect.getsource(cls).strip())
    except (OSError, TypeError):
        return set()  # built in C
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.ctx, ast.Store)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
        and _private(node.attr)
    }


def test_no_subclass_assigns_over_a_library_private_attribute() -> None:
    found = set()
    for cls, base in _library_classes_extended():
        clash = _instance_privates(cls) & _instance_privates(base)
        found.update(f"{cls.__module__}.{cls.__qualname__}.{name}" for name in clash)
    assert not found, f"private library attributes reassigned by a subclass: {sorted(found)}"
