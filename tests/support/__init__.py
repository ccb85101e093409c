"""Helpers shared by the test suite (not tests themselves).

`tests.support.lint` wraps the external tools the tests drive: cfn-lint, the
SSM document JSON schema from node_modules, and the real `cdk` CLI.
"""

from .lint import REPO_ROOT, cfn_lint_templates, run_cdk_synth, ssm_schema

__all__ = ["REPO_ROOT", "cfn_lint_templates", "run_cdk_synth", "ssm_schema"]
