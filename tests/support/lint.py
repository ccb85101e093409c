"""Wrappers around the external checkers used by the tests.

* :func:`cfn_lint_templates` lints synthesized CloudFormation templates with
  cfn-lint's Python API and returns the error-level findings.
* :func:`ssm_schema` loads the JSON schema of SSM documents shipped by the npm
  package ``aws-ssm-document-language-service`` (installed by ``npm ci``).
* :func:`run_cdk_synth` runs the real ``cdk`` CLI from ``node_modules``.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

#: The repository root: tests/support/lint.py -> tests/support -> tests -> root.
REPO_ROOT: Path = Path(__file__).resolve().parents[2]

NODE_BIN: Path = REPO_ROOT / "node_modules" / ".bin"
CDK_CLI: Path = NODE_BIN / "cdk"
SSM_SCHEMA_PATH: Path = REPO_ROOT / "node_modules" / "aws-ssm-document-language-service" / "dist" / "schema.json"

_NPM_HINT = "run `npm ci` (or `make test`) in the repository root to install it"


# --- cfn-lint -----------------------------------------------------------------


def _format_path(path: object) -> str:
    if isinstance(path, (list, tuple)) and path:
        return "/".join(str(part) for part in path)
    return ""


def cfn_lint_templates(
    paths: Iterable[Path],
    *,
    regions: Sequence[str] = ("us-east-1",),
    ignore_checks: Sequence[str] = (),
) -> list[str]:
    """Lint CloudFormation templates with cfn-lint and return its errors.

    All templates are linted in one cfn-lint run (its rule and schema set-up
    is the slow part). Only error-level findings (rule ids starting with
    ``E``) are returned, each as ``"file: E1234 message (Resources/X/...)"``;
    warnings and informational findings are ignored. An empty list means the
    templates are clean.
    """
    files = [Path(p) for p in paths]
    if not files:
        return []
    missing = [str(p) for p in files if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"templates to lint not found: {', '.join(missing)}")

    # Imported here: cfn-lint loads its rules and schemas lazily but the
    # package import itself is not free, and most tests never lint.
    from cfnlint.api import lint_by_config  # type: ignore[import-untyped]
    from cfnlint.config import ManualArgs  # type: ignore[import-untyped]

    config = ManualArgs(
        templates=[str(p) for p in files],
        regions=list(regions),
        ignore_checks=list(ignore_checks),
    )
    findings: list[str] = []
    for match in lint_by_config(config):
        rule_id = str(getattr(match.rule, "id", ""))
        if not rule_id.startswith("E"):
            continue
        where = _format_path(getattr(match, "path", None)) or f"line {match.linenumber}"
        findings.append(f"{match.filename or '?'}: {rule_id} {match.message} ({where})")
    return findings


# --- SSM document schema ------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _load_ssm_schema() -> dict[str, Any]:
    if not SSM_SCHEMA_PATH.is_file():
        raise FileNotFoundError(
            f"SSM document schema not found at {SSM_SCHEMA_PATH.relative_to(REPO_ROOT)}: "
            f"the npm package aws-ssm-document-language-service is missing; {_NPM_HINT}"
        )
    with SSM_SCHEMA_PATH.open(encoding="utf-8") as handle:
        schema = json.load(handle)
    if not isinstance(schema, dict):
        raise ValueError(f"{SSM_SCHEMA_PATH} does not hold a JSON object")
    return schema


def ssm_schema() -> dict[str, Any]:
    """The JSON schema (draft-07) of SSM documents, as a fresh dict.

    Use it with e.g. ``jsonschema.Draft7Validator(ssm_schema())``.
    """
    return copy.deepcopy(_load_ssm_schema())


# --- cdk CLI ------------------------------------------------------------------


def cdk_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for running the CDK CLI / a CDK app.

    ``node_modules/.bin`` comes first on PATH so that jsii and the CLI run on
    the Node 22 binary installed by npm, then the directory of the running
    Python interpreter (the venv's bin) so that ``python3 app.py`` from
    cdk.json runs with the same interpreter and packages as the tests.
    """
    env = dict(os.environ)
    python_bin = str(Path(sys.executable).parent)  # not resolved: keep the venv's bin
    env["PATH"] = os.pathsep.join([str(NODE_BIN), python_bin, env.get("PATH", "")])
    env.update(
        {
            "CDK_DISABLE_VERSION_CHECK": "1",
            "CDK_DISABLE_CLI_TELEMETRY": "true",
            "JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION": "1",
            "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1",
            # no instance-metadata look-ups for credentials: there is no AWS here
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )
    if extra:
        env.update(extra)
    return env


def run_cdk_synth(
    app_dir: Path,
    out_dir: Path,
    *,
    app: str | None = None,
    context: Mapping[str, str] | None = None,
    extra_args: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run ``cdk synth --quiet --no-notices -o OUT_DIR`` in ``app_dir``.

    Uses the real CLI from the repository's ``node_modules``. ``app_dir``
    normally holds a cdk.json (the repository root's runs ``python3 app.py``);
    pass ``app`` to give the app command instead. ``context`` entries become
    ``-c key=value``. The completed process is returned with text output
    captured; check ``returncode`` yourself (nothing is raised on failure).
    """
    if not CDK_CLI.exists():
        raise FileNotFoundError(
            f"the cdk CLI is not installed ({CDK_CLI.relative_to(REPO_ROOT)} is missing); {_NPM_HINT}"
        )
    cmd: list[str] = [
        str(CDK_CLI),
        "synth",
        "--quiet",
        "--no-notices",
        "--output",
        str(Path(out_dir).resolve()),
    ]
    if app is not None:
        cmd += ["--app", app]
    for key, value in (context or {}).items():
        cmd += ["--context", f"{key}={value}"]
    cmd += list(extra_args)
    return subprocess.run(
        cmd,
        cwd=str(app_dir),
        env=cdk_env(env),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        check=False,
    )
