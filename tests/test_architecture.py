"""Imports point one way: the pure calculations (``core``) and the tools that read ``cdk.out``
(``tools``, ``adopt``) never import the CDK, directly or through another module of the package."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from support.lint import REPO_ROOT

PACKAGE = REPO_ROOT / "incident_constructs"
CDK_MODULES = ("aws_cdk", "jsii", "constructs")
#: The rooms that must stay free of the CDK runtime.
CDK_FREE_ROOMS = ("core", "tools", "adopt")
#: Modules outside those rooms that they may import (they import no CDK themselves, and are
#: checked as the rooms are).
CDK_FREE_MODULES = {
    "incident_constructs",
    "incident_constructs._exports",
    "incident_constructs._rules",
    "incident_constructs.errors",
    "incident_constructs.organisation",
    "incident_constructs.organisation.loader",
}
#: Their files (the packages' __init__ load names lazily; importing them loads no CDK, which
#: test_importing_every_tool_module_loads_no_cdk_module checks).
CDK_FREE_FILES = ("_exports.py", "_rules.py", "errors.py", "organisation/loader.py")


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports, anywhere in the file (functions included), resolved."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            if node.module is None or node.level:
                # `from . import _rules` imports the module incident_constructs._rules
                found.extend((node.lineno, f"{target}.{alias.name}") for alias in node.names)
    return found


def _room_files() -> list[Path]:
    files = [p for room in CDK_FREE_ROOMS for p in sorted((PACKAGE / room).rglob("*.py"))]
    return files + [PACKAGE / name for name in CDK_FREE_FILES]


def _is_allowed(target: str) -> bool:
    if target.split(".")[0] in CDK_MODULES:
        return False
    if not target.startswith("incident_constructs"):
        return True
    if target in CDK_FREE_MODULES:
        return True
    parts = target.split(".")
    return len(parts) > 1 and parts[1] in CDK_FREE_ROOMS


@pytest.mark.parametrize("path", _room_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_core_and_tools_import_neither_the_cdk_nor_the_constructs(path: Path) -> None:
    package_modules = {_module_name(p) for p in PACKAGE.rglob("*.py")}
    bad = []
    for line, target in _imports(path):
        if target.startswith("incident_constructs") and target not in package_modules:
            # `from ..core.masking import mask_address` names an attribute: keep the module part
            while target not in package_modules and "." in target:
                target = target.rsplit(".", 1)[0]
        if not _is_allowed(target):
            bad.append(f"line {line}: {target}")
    assert bad == [], f"{path.relative_to(REPO_ROOT)} imports what it must not: {bad}"


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    """The rule can fail: a module under tools/ importing the constructs is caught."""
    bad = PACKAGE / "tools" / "_architecture_probe.py"
    bad.write_text("def f():\n    from ..contacts.contact import Contact\n    import aws_cdk\n")
    try:
        found = [t for _, t in _imports(bad)]
        assert "incident_constructs.contacts.contact" in found and "aws_cdk" in found
        assert not _is_allowed("incident_constructs.contacts.contact") and not _is_allowed("aws_cdk")
    finally:
        bad.unlink()


def test_importing_every_tool_module_loads_no_cdk_module() -> None:
    modules = sorted(_module_name(p) for p in _room_files())
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {CDK_MODULES!r})))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    assert json.loads(run.stdout.strip().splitlines()[-1]) == []
