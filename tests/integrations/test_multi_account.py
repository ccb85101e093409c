"""The multi-account example (stacks/multi_account.py, examples/multi_account_app.py): the
incident-management account shares its plans and contacts, the workload accounts' alarms and rules
start incidents in them; synthesized by the real cdk CLI, cfn-linted and cdk-nagged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from cdk_nag import AwsSolutionsChecks, NIST80053R5Checks
from support.lint import REPO_ROOT, cfn_lint_templates, run_cdk_synth
from support.stacks import new_app

from stacks.multi_account import (
    EXAMPLE_SETUP,
    INCIDENT_MANAGEMENT_STAGE,
    IncidentManagementStack,
    MultiAccountSetup,
    Workload,
    WorkloadStack,
    apply_multi_account_nag_suppressions,
    build_multi_account_app,
    setup_from_context,
)
from stacks.nag import add_nag_packs

APP = "python3 examples/multi_account_app.py"
INCIDENT = EXAMPLE_SETUP.incident_account
ACCOUNTS = {w.name: w.account for w in EXAMPLE_SETUP.workloads}


@pytest.fixture(scope="module")
def cli_assembly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example app synthesized once by the real cdk CLI (cdk-nag runs inside the app)."""
    out = tmp_path_factory.mktemp("multi") / "cdk.out"
    result = run_cdk_synth(REPO_ROOT, out, app=APP)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def example() -> tuple[cdk.App, list[cdk.Stage]]:
    app = new_app()
    return app, build_multi_account_app(app)


def stack_in(stage: cdk.Stage) -> cdk.Stack:
    (stack,) = [c for c in stage.node.children if isinstance(c, cdk.Stack)]
    return stack


def template(stack: cdk.Stack) -> dict[str, Any]:
    return cdk.assertions.Template.from_stack(stack).to_json()  # type: ignore[no-any-return]


def of_type(tpl: dict[str, Any], cfn_type: str) -> list[dict[str, Any]]:
    return [r for r in tpl["Resources"].values() if r["Type"] == cfn_type]


# -- the real CLI, cfn-lint and cdk-nag --------------------------------------------------------


def test_the_cli_synthesizes_one_stage_per_account(cli_assembly: Path) -> None:
    manifest = json.loads((cli_assembly / "manifest.json").read_text())
    nested = {
        a["properties"]["directoryName"] for a in manifest["artifacts"].values() if a["type"] == "cdk:cloud-assembly"
    }
    assert nested == {f"assembly-{INCIDENT_MANAGEMENT_STAGE}", *(f"assembly-Workload-{n}" for n in ACCOUNTS)}
    environments = set()
    for directory in nested:
        inner = json.loads((cli_assembly / directory / "manifest.json").read_text())
        environments |= {
            a["environment"] for a in inner["artifacts"].values() if a["type"] == "aws:cloudformation:stack"
        }
    region = EXAMPLE_SETUP.region
    assert environments == {f"aws://{a}/{region}" for a in (INCIDENT, *ACCOUNTS.values())}


def test_every_template_passes_cfn_lint(cli_assembly: Path) -> None:
    templates = sorted(cli_assembly.glob("assembly-*/*.template.json"))
    assert len(templates) == 1 + len(ACCOUNTS)
    assert cfn_lint_templates(templates, regions=[EXAMPLE_SETUP.region]) == []


def test_cdk_nag_finds_only_what_the_example_acknowledges() -> None:
    app = new_app()
    build_multi_account_app(app)
    findings = {
        (v.rule_name, str(r.construct_path))
        for pack in (AwsSolutionsChecks, NIST80053R5Checks)
        for v in pack(app).validate_scope(app).violations
        for r in v.violating_resources
    }
    assert {rule for rule, _ in findings} == {"NIST.800.53.R5-IAMNoInlinePolicy"}
    assert len(findings) == len(ACCOUNTS)
    assert all(path.startswith("Workload-") and "/InstanceStopped/StartIncident" in path for _, path in findings)


def test_the_acknowledged_app_synthesizes_with_both_packs() -> None:
    app = new_app()
    apply_multi_account_nag_suppressions(build_multi_account_app(app))
    add_nag_packs(app)
    app.synth()  # raises "Validation failed" on a finding nobody acknowledged


def test_without_the_acknowledgements_the_packs_fail_the_synthesis() -> None:
    app = new_app()
    build_multi_account_app(app)
    add_nag_packs(app)
    with pytest.raises(Exception, match="NIST.800.53.R5-IAMNoInlinePolicy"):
        app.synth()


# -- the incident-management account -----------------------------------------------------------


def test_each_workload_account_gets_only_its_own_response_plan(example: tuple[cdk.App, list[cdk.Stage]]) -> None:
    _, stages = example
    stack = stack_in(stages[0])
    assert isinstance(stack, IncidentManagementStack) and stack.account == INCIDENT
    tpl = template(stack)
    for name, account in ACCOUNTS.items():
        plan = stack.response_plans[name]
        assert plan.response_plan_name == f"{name}-down"
        (share,) = [
            s
            for s in of_type(tpl, "AWS::RAM::ResourceShare")
            if s["Properties"]["ResourceArns"] == [{"Fn::GetAtt": [stack.get_logical_id(plan.resource), "Arn"]}]
        ]
        assert share["Properties"]["Principals"] == [account]
        assert share["Properties"]["AllowExternalPrincipals"] is False


def test_the_escalation_plan_and_its_contacts_are_shared_with_every_workload_account(
    example: tuple[cdk.App, list[cdk.Stage]],
) -> None:
    _, stages = example
    stack = stack_in(stages[0])
    assert isinstance(stack, IncidentManagementStack)
    tpl = template(stack)
    shares = of_type(tpl, "AWS::RAM::ResourceShare")
    for contact in (stack.primary, stack.secondary, stack.escalation):
        arn = [{"Fn::GetAtt": [stack.get_logical_id(contact.resource), "Arn"]}]
        (share,) = [s for s in shares if s["Properties"]["ResourceArns"] == arn]
        assert share["Properties"]["Principals"] == list(ACCOUNTS.values())
    assert len(shares) == 3 + len(ACCOUNTS)
    (replication_set,) = of_type(tpl, "AWS::SSMIncidents::ReplicationSet")
    assert replication_set["Properties"]["Regions"][0]["RegionName"] == EXAMPLE_SETUP.region


# -- the workload accounts ---------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ACCOUNTS))
def test_the_alarm_and_rule_start_incidents_in_the_shared_plan(
    example: tuple[cdk.App, list[cdk.Stage]], name: str
) -> None:
    _, stages = example
    (stage,) = [s for s in stages if s.node.id == f"Workload-{name}"]
    stack = stack_in(stage)
    assert isinstance(stack, WorkloadStack) and stack.account == ACCOUNTS[name]
    arn = f"arn:aws:ssm-incidents::{INCIDENT}:response-plan/{name}-down"
    tpl = template(stack)
    (alarm,) = of_type(tpl, "AWS::CloudWatch::Alarm")
    assert alarm["Properties"]["AlarmActions"] == [arn]
    assert alarm["Properties"]["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    (rule,) = of_type(tpl, "AWS::Events::Rule")
    (target,) = rule["Properties"]["Targets"]
    assert target["Arn"] == arn
    (role,) = of_type(tpl, "AWS::IAM::Role")
    (statement,) = role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    assert statement["Action"] == "ssm-incidents:StartIncident" and statement["Resource"] == arn
    # Nothing of Incident Manager is created in a workload account: it uses what is shared.
    assert not [r for r in tpl["Resources"].values() if r["Type"].startswith(("AWS::SSMIncidents", "AWS::SSMContacts"))]


def test_the_accounts_come_from_the_context() -> None:
    app = new_app(
        incidentAccount="444444444444", workloadAccounts="web=555555555555,batch=666666666666", region="us-east-2"
    )
    setup = setup_from_context(app)
    assert setup == MultiAccountSetup(
        incident_account="444444444444",
        region="us-east-2",
        workloads=(Workload("web", "555555555555"), Workload("batch", "666666666666")),
    )
    stages = build_multi_account_app(app, setup)
    assert [s.node.id for s in stages] == [INCIDENT_MANAGEMENT_STAGE, "Workload-web", "Workload-batch"]
    assert [s.account for s in stages] == ["444444444444", "555555555555", "666666666666"]
