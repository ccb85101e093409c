"""The package builds into a wheel and an sdist that twine accepts, with the version written once."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile

import pytest
import tomllib
from support.lint import REPO_ROOT

pytestmark = pytest.mark.slow


def _version_in_source() -> str:
    text = (REPO_ROOT / "incident_constructs" / "__init__.py").read_text()
    match = re.search(r'^__version__ = "([^"]+)"$', text, re.M)
    assert match, "incident_constructs/__init__.py must define __version__ as a literal"
    return match.group(1)


def test_the_version_is_written_in_one_place():
    version = _version_in_source()
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "incident_constructs.__version__"}
    assert '"version"' not in (REPO_ROOT / "package.json").read_text()
    changelog = (REPO_ROOT / "CHANGELOG.md").read_text()
    assert re.search(rf"^## \[?{re.escape(version)}\]?", changelog, re.M) or "## Unreleased" in changelog


def test_build_makes_a_wheel_and_an_sdist_that_twine_accepts(tmp_path):
    out = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(REPO_ROOT)], capture_output=True, text=True
    )
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    version = _version_in_source()
    wheels = list(out.glob("*.whl"))
    sdists = list(out.glob("*.tar.gz"))
    assert [w.name for w in wheels] == [f"incident_constructs-{version}-py3-none-any.whl"]
    assert [s.name for s in sdists] == [f"incident_constructs-{version}.tar.gz"]
    check = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, wheels + sdists)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    names = zipfile.ZipFile(wheels[0]).namelist()
    assert "incident_constructs/py.typed" in names
    assert "incident_constructs/organisation/schema.json" in names, "the organisation schema ships in the wheel"
    assert not any(n.startswith(("tests/", "stacks/", "benchmarks/")) for n in names)
    metadata = zipfile.ZipFile(wheels[0]).read(f"incident_constructs-{version}.dist-info/METADATA").decode()
    assert f"Version: {version}" in metadata
    assert "Requires-Dist: aws-cdk-lib" in metadata
