"""Data stays: on-call data is retained by default, deleted only when the user opts out."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from support.stacks import new_stack

from incident_constructs import (
    Contact,
    EscalationPlan,
    EscalationStage,
    Impact,
    OnCallSchedule,
    ReplicationSet,
    ResponsePlan,
    Rotation,
    RotationRecurrence,
    Runbook,
    RunbookStep,
)

ON_CALL_TYPES = {
    "AWS::SSMContacts::Contact": 4,  # a person, an escalation plan, an on-call schedule, a second person
    "AWS::SSMContacts::ContactChannel": 2,
    "AWS::SSMContacts::Plan": 1,
    "AWS::SSMContacts::Rotation": 1,
    "AWS::SSMIncidents::ReplicationSet": 1,
    "AWS::SSMIncidents::ResponsePlan": 1,
    "AWS::SSM::Document": 1,
}


def organisation(removal_policy: cdk.RemovalPolicy | None) -> dict[str, Any]:
    """Every kind of resource the library creates, with ``removal_policy`` given to each (or not)."""
    stack = new_stack()
    policy: dict[str, Any] = {} if removal_policy is None else {"removal_policy": removal_policy}
    alice = Contact(stack, "Alice", alias="alice", **policy)
    alice.add_email_channel("mail", "alice@example.com")
    alice.add_sms_channel("phone", "+12065550100", engage_after=cdk.Duration.minutes(5))
    bob = Contact(stack, "Bob", alias="bob", **policy)
    rotation = Rotation(
        stack,
        "Rotation",
        rotation_name="team",
        contacts=[alice, bob],
        start_time="2026-01-05T09:00:00",
        time_zone="UTC",
        recurrence=RotationRecurrence.weekly(day_of_week="MON", hand_off_time="09:00"),
        **policy,
    )
    schedule = OnCallSchedule(stack, "Schedule", alias="team-schedule", rotations=[rotation], **policy)
    escalation = EscalationPlan(
        stack, "Escalation", alias="team-escalation", stages=[EscalationStage(contacts=[schedule])], **policy
    )
    runbook = Runbook(stack, "Runbook", document_name="team-runbook", steps=[RunbookStep.pause("Look")], **policy)
    ResponsePlan(
        stack,
        "Plan",
        response_plan_name="team",
        title="t",
        impact=Impact.LOW,
        engagements=[escalation],
        runbook=runbook,
        **policy,
    )
    ReplicationSet(stack, "ReplicationSet", regions=["us-east-1"], **policy)
    template: dict[str, Any] = stack.node.root.synth().get_stack_by_name(stack.stack_name).template
    return template


def by_type(template: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for resource in template["Resources"].values():
        if resource["Type"] in ON_CALL_TYPES:
            found.setdefault(resource["Type"], []).append(resource)
    return found


def test_every_on_call_resource_is_retained_by_default() -> None:
    template = organisation(None)
    found = by_type(template)
    assert {t: len(r) for t, r in found.items()} == ON_CALL_TYPES
    for cfn_type, resources in found.items():
        for resource in resources:
            assert (resource.get("DeletionPolicy"), resource.get("UpdateReplacePolicy")) == ("Retain", "Retain"), (
                cfn_type
            )


def test_the_replication_set_is_deletion_protected_by_default() -> None:
    [replication_set] = by_type(organisation(None))["AWS::SSMIncidents::ReplicationSet"]
    assert replication_set["Properties"]["DeletionProtected"] is True


@pytest.mark.parametrize(
    "policy, expected", [(cdk.RemovalPolicy.DESTROY, "Delete"), (cdk.RemovalPolicy.RETAIN, "Retain")]
)
def test_removal_policy_opts_out_on_every_resource(policy: cdk.RemovalPolicy, expected: str) -> None:
    found = by_type(organisation(policy))
    assert {t: len(r) for t, r in found.items()} == ON_CALL_TYPES
    for cfn_type, resources in found.items():
        for resource in resources:
            assert (resource.get("DeletionPolicy"), resource.get("UpdateReplacePolicy")) == (expected, expected), (
                cfn_type
            )


def test_deletion_protection_can_be_turned_off() -> None:
    stack = new_stack()
    ReplicationSet(
        stack,
        "ReplicationSet",
        regions=["us-east-1"],
        deletion_protected=False,
        removal_policy=cdk.RemovalPolicy.DESTROY,
    )
    template = stack.node.root.synth().get_stack_by_name(stack.stack_name).template
    [resource] = template["Resources"].values()
    assert resource["Properties"]["DeletionProtected"] is False
    assert resource["DeletionPolicy"] == "Delete"


def test_the_organisations_pass_cfn_lint(tmp_path: Any) -> None:
    import json

    from support.lint import cfn_lint_templates

    paths = []
    for name, policy in (("retained", None), ("destroyed", cdk.RemovalPolicy.DESTROY)):
        path = tmp_path / f"{name}.template.json"
        path.write_text(json.dumps(organisation(policy)), encoding="utf-8")
        paths.append(path)
    assert cfn_lint_templates(paths) == []
