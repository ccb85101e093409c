"""Contacts in one stack, response plans in another: CDK's own cross-stack references."""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_events as events
from support.lint import cfn_lint_templates

from incident_constructs import (
    Contact,
    EscalationPlan,
    EscalationStage,
    Impact,
    IncidentTarget,
    ResponsePlan,
)

ENV = cdk.Environment(account="111122223333", region="us-east-1")


def _two_stacks(outdir: Path) -> tuple[cdk.App, cdk.Stack, cdk.Stack]:
    app = cdk.App(builtin_cloud_formation_validation=False, outdir=str(outdir))
    people = cdk.Stack(app, "OnCallPeople", env=ENV)
    responder = Contact(people, "IncidentResponder", alias="incident-responder")
    responder.add_email_channel("incident responder email", "responder@example.com")
    escalation = EscalationPlan(
        people, "AppEscalationPlan", alias="app-escalation-plan", stages=[EscalationStage(contacts=[responder])]
    )
    plans = cdk.Stack(app, "ResponsePlans", env=ENV)
    plan = ResponsePlan(
        plans,
        "EC2HighCPU",
        response_plan_name="EC2HighCPU",
        title="cpu",
        impact=Impact.MEDIUM,
        engagements=[escalation],
    )
    events.Rule(
        plans, "InstanceStopped", rule_name="instance-stopped", event_pattern=events.EventPattern(source=["aws.ec2"])
    ).add_target(IncidentTarget(plan))
    return app, people, plans


def test_response_plan_imports_the_escalation_plan_exported_by_the_contacts_stack(tmp_path: Path):
    app, people, plans = _two_stacks(tmp_path)
    assembly = app.synth()
    exporter = assembly.get_stack_by_name("OnCallPeople").template
    importer = assembly.get_stack_by_name("ResponsePlans").template

    escalation_id = next(
        lid for lid, r in exporter["Resources"].items() if r["Properties"].get("Alias") == "app-escalation-plan"
    )
    exports = {o["Export"]["Name"]: o["Value"] for o in exporter.get("Outputs", {}).values() if "Export" in o}
    assert {"Fn::GetAtt": [escalation_id, "Arn"]} in exports.values()
    export_name = next(name for name, value in exports.items() if value == {"Fn::GetAtt": [escalation_id, "Arn"]})

    (plan,) = [r for r in importer["Resources"].values() if r["Type"] == "AWS::SSMIncidents::ResponsePlan"]
    assert plan["Properties"]["Engagements"] == [{"Fn::ImportValue": export_name}]
    # The response plans' stack deploys after the contacts' stack.
    assert people in plans.dependencies


def test_rule_in_the_plans_stack_references_the_plan_without_a_redundant_depends_on(tmp_path: Path):
    app, _, _ = _two_stacks(tmp_path)
    template = app.synth().get_stack_by_name("ResponsePlans").template
    (plan_id,) = [lid for lid, r in template["Resources"].items() if r["Type"] == "AWS::SSMIncidents::ResponsePlan"]
    (rule,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::Events::Rule"]
    assert rule["Properties"]["Targets"][0]["Arn"] == {"Fn::GetAtt": [plan_id, "Arn"]}
    assert "DependsOn" not in rule


def test_rule_in_a_third_stack_deploys_after_the_plans_stack(tmp_path: Path):
    """The ordering a DependsOn would give within one stack comes from the export across stacks."""
    app, _, plans = _two_stacks(tmp_path)
    plan = plans.node.find_child("EC2HighCPU")
    rules = cdk.Stack(app, "Rules", env=ENV)
    events.Rule(
        rules, "Stopped", rule_name="stopped", event_pattern=events.EventPattern(source=["aws.ec2"])
    ).add_target(
        IncidentTarget(plan)  # type: ignore[arg-type]
    )
    assembly = app.synth()
    template = assembly.get_stack_by_name("Rules").template
    (rule,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::Events::Rule"]
    assert "Fn::ImportValue" in rule["Properties"]["Targets"][0]["Arn"]
    assert plans in rules.dependencies
    assert cfn_lint_templates([Path(assembly.get_stack_by_name("Rules").template_full_path)]) == []


def test_both_stacks_pass_cfn_lint(tmp_path: Path):
    app, _, _ = _two_stacks(tmp_path)
    assembly = app.synth()
    templates = [
        Path(assembly.get_stack_by_name(name).template_full_path) for name in ("OnCallPeople", "ResponsePlans")
    ]
    assert cfn_lint_templates(templates) == []
