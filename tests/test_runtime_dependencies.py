"""Everything the package imports is pinned in requirements.lock, which `make demo` installs.

The tests run with the development extras, so a library only they bring (PyYAML came with
Schemathesis) would pass every test and still break `make demo` on a fresh machine.
"""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported_top_levels() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "crossrisk").rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"crossrisk", "__future__"}


def pinned() -> set[str]:
    text = (ROOT / "requirements.lock").read_text("utf-8")
    return {
        normal(match.group(1))
        for match in re.finditer(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", text, re.MULTILINE)
    }


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_library_the_package_imports_is_in_the_runtime_lock() -> None:
    distributions = packages_distributions()
    modules = imported_top_levels()
    assert {"yaml", "numpy", "fastapi"} <= modules
    locked = pinned()
    missing = {
        module: distributions.get(module, [])
        for module in sorted(modules)
        if not locked & {normal(name) for name in distributions.get(module, [])}
    }
    assert missing == {}, "add these to pyproject.toml's dependencies and run make lock"
