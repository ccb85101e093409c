"""Every Python block of the README runs as written.

A block runs on its own, in a fresh namespace, as a reader who copies it would run it: in a
temporary folder that holds a copy of the repository's ``runbooks/`` and ``examples/``, the files
blocks name (the README is read in a checkout). A block whose first line is
``# continues the block above`` runs in the namespace the block before it left. Stand-ins take the
place of what a reader has and the suite doesn't:

- ``cdk.App()`` writes into the temporary folder and skips aws-cdk-lib's built-in validation
  (3-4 s each); cfn-lint checks every template a block synthesizes instead.
- ``boto3.Session(...)`` reads an account that holds the AWS blog post's set-up
  (``tests/support/adopt_account.py``).
- A block whose first line is ``# run where step 1 wrote adopted/`` finds ``adopted/`` as
  ``incident-constructs adopt --addresses ssm:/oncall`` writes it for that account, with the
  response plan moved from the file into code, as the README goes on to do.
- A block that defines ``test_*`` functions (the snapshot-testing example) has them called, with
  a stand-in for syrupy's ``snapshot`` fixture.
- A block that imports ``NagSuppressions`` from ``cdk_nag`` is written for cdk-nag 2.x, which
  cannot share an environment with the pinned 3.x: its session runs in a process of its own with
  cdk-nag 2.x first on ``PYTHONPATH`` (the copy tests/test_nag.py installs).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import aws_cdk as cdk
import boto3
import pytest
import yaml
from support.adopt_account import REGION, blog_account
from support.lint import REPO_ROOT, cdk_env, cfn_lint_templates

from incident_constructs.adopt import read_account

README = REPO_ROOT / "README.md"
CONTINUES = "# continues the block above"
AFTER_ADOPT = "# run where step 1 wrote adopted/"
CHECKOUT_FOLDERS = ("runbooks", "examples")
CDK_NAG_2 = re.compile(r"^from cdk_nag import .*\bNagSuppressions\b", re.M)
#: aws-cdk-lib's CDK Pipelines write role ARNs as Fn::Join with an empty delimiter (the pipelines block).
LINT_IGNORED = ("E3703",)


@dataclass
class Block:
    line: int
    code: str

    @property
    def continues(self) -> bool:
        return self.code.startswith(CONTINUES)


def readme_blocks() -> list[Block]:
    text = README.read_text(encoding="utf-8")
    return [
        Block(text[: m.start()].count("\n") + 1, m.group(1)) for m in re.finditer(r"```python\n(.*?)```", text, re.S)
    ]


def sessions() -> list[list[Block]]:
    """The blocks grouped: a standalone block and the blocks that continue it."""
    groups: list[list[Block]] = []
    for block in readme_blocks():
        if block.continues and groups:
            groups[-1].append(block)
        else:
            groups.append([block])
    return groups


class _Snapshot:
    """syrupy's ``snapshot`` fixture, as far as the README's example needs: equal to anything JSON-like."""

    def __init__(self) -> None:
        self.compared: list[Any] = []

    def __eq__(self, other: object) -> bool:
        self.compared.append(other)
        return isinstance(other, dict)

    __hash__ = None  # type: ignore[assignment]


def _prepare(blocks: list[Block], folder: Path) -> None:
    """The folder a reader of the README runs the session in."""
    for name in CHECKOUT_FOLDERS:
        shutil.copytree(REPO_ROOT / name, folder / name)
    if blocks[0].code.startswith(AFTER_ADOPT):
        read_account(blog_account().session(), REGION).write(folder / "adopted", addresses="ssm:/oncall")
        organisation = folder / "adopted" / "organisation.yaml"
        data = yaml.safe_load(organisation.read_text(encoding="utf-8"))
        del data["response_plans"]  # the README builds it in code, beside the file
        organisation.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def _run(blocks: list[Block], folder: Path) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "readme"}
    original_app = cdk.App

    def app(*args: Any, **kwargs: Any) -> cdk.App:
        kwargs.setdefault("outdir", str(folder / "cdk.out"))
        kwargs.setdefault("builtin_cloud_formation_validation", False)
        return original_app(*args, **kwargs)

    def session(*args: Any, **kwargs: Any) -> Any:
        return blog_account().session()

    with mock.patch.object(cdk, "App", app), mock.patch.object(boto3, "Session", session):
        for block in blocks:
            exec(compile(block.code, f"README.md:{block.line}", "exec"), namespace)
        for name, value in list(namespace.items()):
            if name.startswith("test_") and callable(value):
                snapshot = _Snapshot()
                value(snapshot)
                assert snapshot.compared, f"{name} compared nothing with the snapshot"
    return namespace


def run_session_from_stdin() -> None:
    """Run the blocks given on stdin (JSON: ``[[line, code], ...]``) in the current, prepared folder."""
    blocks = [Block(line, code) for line, code in json.load(sys.stdin)]
    _run(blocks, Path.cwd())


def _run_with_cdk_nag_2(blocks: list[Block], folder: Path, cdk_nag_2: Path) -> None:
    path = os.pathsep.join([str(cdk_nag_2), str(REPO_ROOT / "tests"), str(REPO_ROOT)])
    script = "import cdk_nag, test_readme_blocks\ntest_readme_blocks.run_session_from_stdin()\nprint(cdk_nag.__file__)"
    run = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps([[block.line, block.code] for block in blocks]),
        env=cdk_env({"PYTHONPATH": path}),
        cwd=str(folder),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.strip().splitlines()[-1].startswith(str(cdk_nag_2))


@pytest.mark.parametrize("blocks", sessions(), ids=lambda blocks: f"line-{blocks[0].line}")
def test_the_readme_block_runs_as_written(
    blocks: list[Block], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    monkeypatch.chdir(tmp_path)
    _prepare(blocks, tmp_path)
    if any(CDK_NAG_2.search(block.code) for block in blocks):
        _run_with_cdk_nag_2(blocks, tmp_path, request.getfixturevalue("cdk_nag_v2"))
    else:
        _run(blocks, tmp_path)
    templates = sorted((tmp_path / "cdk.out").glob("*.template.json"))
    if blocks[0] == readme_blocks()[0]:
        assert [t.name for t in templates] == ["IncidentStack.template.json"]
    assert cfn_lint_templates(templates, ignore_checks=LINT_IGNORED) == []


def test_no_block_leaves_a_placeholder() -> None:
    for block in readme_blocks():
        assert "[...]" not in block.code and "..." not in block.code.replace('"..."', ""), block.line


def test_the_first_block_continues_nothing() -> None:
    assert not readme_blocks()[0].continues
