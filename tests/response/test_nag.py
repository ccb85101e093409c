"""cdk-nag and a response plan's runbook role: the AwsSolutions pack reports exactly the IAM5
findings the README names, and the README's acknowledgements, for cdk-nag 3.x (pinned) and 2.x,
leave no unacknowledged finding."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from cdk_nag import AwsSolutionsChecks
from support.lint import REPO_ROOT, cdk_env

#: The cdk-nag 2.x release the v2 acknowledgement is tested with (installed on first use, beside
#: the pinned 3.x, into the virtual environment; the two cannot share one environment).
from support.nag import CDK_NAG_V2  # noqa: F401  (the release the README names)
from support.stacks import new_app

from incident_constructs import Impact, ResponsePlan, Runbook, RunbookStep, TargetAccount

DOCUMENT = "team-runbook"
VERSION_FINDING = (
    "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:"
    f"automation-definition/{DOCUMENT}:*]"
)
CROSS_ACCOUNT_FINDING = (
    "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/AWS-SystemsManager-AutomationExecutionRole]"
)
EXPECTED = {
    TargetAccount.RESPONSE_PLAN_OWNER_ACCOUNT: {VERSION_FINDING},
    TargetAccount.IMPACTED_ACCOUNT: {VERSION_FINDING, CROSS_ACCOUNT_FINDING},
}


def readme_acknowledgement(api: str) -> str:
    """The acknowledgement in the README's code block (section "cdk-nag and the runbook role") that
    uses ``api``: the block's imports and its code from ``document = plan.`` on, without the
    response plan the block builds first (the tests give their own ``plan``)."""
    text = (REPO_ROOT / "README.md").read_text()
    section = text.split("#### cdk-nag and the runbook role", 1)[1].split("\n### ", 1)[0]
    (block,) = [b for b in re.findall(r"```python\n(.*?)```", section, re.S) if api in b]
    setup, acknowledgement = block.split("\ndocument = plan.", 1)
    imports = [line for line in setup.splitlines() if line.startswith(("import ", "from "))]
    return "\n".join([*imports, "document = plan." + acknowledgement])


def plan_stack(app: cdk.App, target_account: TargetAccount) -> tuple[cdk.Stack, ResponsePlan]:
    stack = cdk.Stack(app, "Plans")
    runbook = Runbook(stack, "Runbook", document_name=DOCUMENT, steps=[RunbookStep.pause("Look")])
    plan = ResponsePlan(
        stack,
        "Plan",
        response_plan_name="team",
        title="t",
        impact=Impact.LOW,
        runbook=runbook,
        target_account=target_account,
    )
    return stack, plan


def findings(app: cdk.App) -> set[str]:
    return {v.rule_name for v in AwsSolutionsChecks(app).validate_scope(app).violations}


# -- cdk-nag 3.x (pinned) ------------------------------------------------------------------------


@pytest.mark.parametrize("target_account", list(TargetAccount), ids=lambda t: t.value)
def test_the_runbook_role_has_exactly_the_findings_the_readme_names(target_account: TargetAccount) -> None:
    app = new_app()
    plan_stack(app, target_account)
    assert findings(app) == EXPECTED[target_account]


@pytest.mark.parametrize("target_account", list(TargetAccount), ids=lambda t: t.value)
def test_the_readme_acknowledgement_for_cdk_nag_3_leaves_no_finding(target_account: TargetAccount) -> None:
    app = new_app()
    _, plan = plan_stack(app, target_account)
    exec(compile(readme_acknowledgement("Validations.of"), "README.md", "exec"), {"plan": plan})
    report = AwsSolutionsChecks(app).validate_scope(app)
    assert [v.rule_name for v in report.violations] == [] and report.success


def test_a_pinned_version_and_named_accounts_leave_nothing_to_acknowledge() -> None:
    """The README: with runbook_document_version a number and target_accounts named, the runbook
    role has no wildcard resource, so neither finding is reported."""
    app = new_app()
    stack = cdk.Stack(app, "Plans")
    runbook = Runbook(stack, "Runbook", document_name=DOCUMENT, steps=[RunbookStep.pause("Look")])
    ResponsePlan(
        stack,
        "Plan",
        response_plan_name="team",
        title="t",
        impact=Impact.LOW,
        runbook=runbook,
        runbook_document_version="3",
        target_account=TargetAccount.IMPACTED_ACCOUNT,
        target_accounts=["111122223333"],
    )
    assert findings(app) == set()


@pytest.mark.parametrize("version", ["$DEFAULT", "$LATEST"])
def test_a_moving_version_keeps_the_version_finding(version: str) -> None:
    app = new_app()
    stack = cdk.Stack(app, "Plans")
    runbook = Runbook(stack, "Runbook", document_name=DOCUMENT, steps=[RunbookStep.pause("Look")])
    ResponsePlan(
        stack,
        "Plan",
        response_plan_name="team",
        title="t",
        impact=Impact.LOW,
        runbook=runbook,
        runbook_document_version=version,
    )
    assert findings(app) == {VERSION_FINDING}


def test_an_app_with_the_pack_synthesizes_with_the_acknowledgement_and_fails_without() -> None:
    for acknowledged in (True, False):
        app = new_app()
        _, plan = plan_stack(app, TargetAccount.IMPACTED_ACCOUNT)
        if acknowledged:
            exec(compile(readme_acknowledgement("Validations.of"), "README.md", "exec"), {"plan": plan})
        cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
        if acknowledged:
            app.synth()
        else:
            with pytest.raises(RuntimeError, match="AwsSolutions-IAM5"):
                app.synth()


# -- cdk-nag 2.x, in a process of its own ----------------------------------------------------------

V2_SCRIPT = textwrap.dedent(
    """
    import json, sys
    import aws_cdk as cdk
    import cdk_nag
    from aws_cdk.assertions import Annotations, Match
    from cdk_nag import AwsSolutionsChecks, NagSuppressions
    from incident_constructs import Impact, ResponsePlan, Runbook, RunbookStep, TargetAccount

    acknowledgement = sys.stdin.read()
    result = {"cdk_nag": cdk_nag.__file__}
    for target in TargetAccount:
        for acknowledged in (False, True):
            app = cdk.App(builtin_cloud_formation_validation=False)
            stack = cdk.Stack(app, "Plans")
            runbook = Runbook(stack, "Runbook", document_name=%(document)r, steps=[RunbookStep.pause("Look")])
            plan = ResponsePlan(stack, "Plan", response_plan_name="team", title="t", impact=Impact.LOW,
                                runbook=runbook, target_account=target)
            if acknowledged:
                exec(compile(acknowledgement, "README.md", "exec"), {"plan": plan})
            cdk.Aspects.of(app).add(AwsSolutionsChecks())
            app.synth()
            errors = Annotations.from_stack(stack).find_error("*", Match.string_like_regexp("AwsSolutions-.*"))
            # each error reads "<rule>[<finding>]: <explanation>"
            result[f"{target.value} {acknowledged}"] = sorted(str(e.entry.data).split("]: ", 1)[0] + "]" for e in errors)
    print(json.dumps(result))
    """
) % {"document": DOCUMENT}


def test_the_readme_acknowledgement_for_cdk_nag_2_leaves_no_error(cdk_nag_v2: Path) -> None:
    env = cdk_env({"PYTHONPATH": os.pathsep.join([str(cdk_nag_v2), str(REPO_ROOT)])})
    run = subprocess.run(
        [sys.executable, "-c", V2_SCRIPT],
        input=readme_acknowledgement("NagSuppressions"),
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=str(REPO_ROOT),
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    assert result.pop("cdk_nag").startswith(str(cdk_nag_v2))
    for target in TargetAccount:
        assert set(result[f"{target.value} False"]) == EXPECTED[target], target
        assert result[f"{target.value} True"] == [], target
