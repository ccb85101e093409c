"""Sharing response plans, contacts, escalation plans and on-call schedules through AWS RAM
(``share_with``), and what a workload account does with what is shared with it: its alarms and
EventBridge rules start incidents in the shared plan, in the owner's account."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from support.lint import cfn_lint_templates
from support.stacks import new_app, new_stack, resources_of

from incident_constructs import (
    Contact,
    EscalationPlan,
    EscalationStage,
    Impact,
    IncidentTarget,
    OnCallSchedule,
    ResponsePlan,
    Rotation,
    RotationRecurrence,
    ValidationError,
)
from incident_constructs.integrations.sharing import SHARE_ID, shared_principals

OWNER = "111111111111"
WORKLOAD = "222222222222"
OTHER = "333333333333"
OU = "arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-ab12-cdef3456"
ORG = "arn:aws:organizations::111111111111:organization/o-abcdefghij"
PLAN_ARN = f"arn:aws:ssm-incidents::{OWNER}:response-plan/api-down"


def person(stack: cdk.Stack, alias: str = "alice") -> Contact:
    contact = Contact(stack, alias.title(), alias=alias)
    contact.add_email_channel("mail", f"{alias}@example.com")
    return contact


def plan(stack: cdk.Stack, **kwargs: Any) -> ResponsePlan:
    return ResponsePlan(stack, "Plan", response_plan_name="api-down", title="API down", impact=Impact.HIGH, **kwargs)


def shares(stack: cdk.Stack) -> dict[str, Any]:
    return resources_of(stack, "AWS::RAM::ResourceShare")


def env_stack(app: cdk.App, id: str, account: str) -> cdk.Stack:
    return cdk.Stack(app, id, env=cdk.Environment(account=account, region="eu-west-1"))


# -- the share ---------------------------------------------------------------------------------


def test_a_response_plan_is_shared_with_accounts_organizational_units_and_organizations() -> None:
    stack = new_stack()
    p = plan(stack)
    share = p.share_with(WORKLOAD, OU, ORG)
    assert share.node.path == "TestStack/Plan/Share" and p.node.find_child(SHARE_ID) is share
    (resource,) = shares(stack).values()
    assert resource["Properties"] == {
        "Name": "incident-manager-response-plan-api-down",
        "ResourceArns": [{"Fn::GetAtt": [stack.get_logical_id(p.resource), "Arn"]}],
        "Principals": [WORKLOAD, OU, ORG],
        "AllowExternalPrincipals": False,
    }


def test_repeated_calls_make_one_share_and_add_each_principal_once() -> None:
    stack = new_stack()
    p = plan(stack)
    first = p.share_with(WORKLOAD)
    second = p.share_with(OTHER, WORKLOAD)
    assert first is second
    (resource,) = shares(stack).values()
    assert resource["Properties"]["Principals"] == [WORKLOAD, OTHER]
    assert shared_principals(p) == [WORKLOAD, OTHER]


def test_external_principals_are_allowed_only_when_asked_and_stay_allowed() -> None:
    stack = new_stack()
    p = plan(stack)
    p.share_with(WORKLOAD)
    p.share_with(OTHER, allow_external_principals=True)
    p.share_with(WORKLOAD)
    (resource,) = shares(stack).values()
    assert resource["Properties"]["AllowExternalPrincipals"] is True


@pytest.mark.parametrize("kind", ["contact", "escalation", "schedule"])
def test_contacts_escalation_plans_and_schedules_are_shared(kind: str) -> None:
    stack = new_stack()
    alice, bob = person(stack, "alice"), person(stack, "bob")
    if kind == "contact":
        shared: Any = alice
    elif kind == "escalation":
        shared = EscalationPlan(stack, "Escalation", alias="escalation", stages=[EscalationStage(contacts=[alice])])
    else:
        rotation = Rotation(
            stack,
            "Rotation",
            rotation_name="team",
            contacts=[alice, bob],
            start_time="2026-01-05T09:00:00",
            time_zone="UTC",
            recurrence=RotationRecurrence.daily(hand_off_time="09:00"),
        )
        shared = OnCallSchedule(stack, "Schedule", alias="schedule", rotations=[rotation])
    shared.share_with(WORKLOAD)
    (resource,) = shares(stack).values()
    assert resource["Properties"]["Name"] == f"incident-manager-contact-{shared.alias}"
    assert resource["Properties"]["ResourceArns"] == [{"Fn::GetAtt": [stack.get_logical_id(shared.resource), "Arn"]}]
    assert resource["Properties"]["Principals"] == [WORKLOAD]


def test_a_principal_known_at_deploy_time_passes() -> None:
    stack = new_stack()
    account = cdk.CfnParameter(stack, "Account").value_as_string
    plan(stack).share_with(account)
    (resource,) = shares(stack).values()
    assert resource["Properties"]["Principals"] == [{"Ref": "Account"}]


def test_tags_reach_the_share_and_removal_policies_stay_the_plans() -> None:
    stack = new_stack()
    p = plan(stack)
    p.share_with(WORKLOAD)
    cdk.Tags.of(p).add("team", "ops")
    (resource,) = shares(stack).values()
    assert {"Key": "team", "Value": "ops"} in resource["Properties"]["Tags"]
    assert "DeletionPolicy" not in resource  # deleting a share stops sharing; nothing is lost


def test_the_templates_pass_cfn_lint(tmp_path: Path) -> None:
    stack = new_stack()
    alice = person(stack)
    p = plan(stack, engagements=[alice])
    p.share_with(WORKLOAD, OU)
    alice.share_with(ORG, allow_external_principals=True)
    path = tmp_path / "shares.template.json"
    path.write_text(json.dumps(stack.node.root.synth().get_stack_by_name("TestStack").template))
    assert cfn_lint_templates([path]) == []


# -- what is refused ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "principals, fragment",
    [
        (("arn:aws:iam::222222222222:role/ops",), "principal 'arn:aws:iam::222222222222:role/ops' is not allowed"),
        (("22222222222",), "principal '22222****22' is not allowed: a 12-digit account id like '111122223333'"),
        (("22222222222",), "organizations only; this one has 11 digits)."),
        ((222222222222,), "principal 22222*****22 is not allowed: a string"),
        (("arn:aws:organizations::111111111111:organization/abcdefghij",), "organization ARN like"),
        (("arn:aws:organizations::111111111111:ou/o-abcdefghij",), "an organizational unit ARN like"),
        ((), "principals () is not allowed: at least one principal"),
        (
            ([WORKLOAD],),
            "principals ['222222222222'] is not allowed: principals given one by one: share_with(*accounts)",
        ),
    ],
)
def test_principals_incident_manager_cannot_share_with_are_refused(principals: tuple[Any, ...], fragment: str) -> None:
    stack = new_stack()
    p = plan(stack)
    with pytest.raises(ValidationError) as caught:
        p.share_with(*principals)
    assert str(caught.value).startswith("TestStack/Plan (ResponsePlan): ")
    assert fragment in str(caught.value)
    assert shares(stack) == {}


def test_allow_external_principals_must_be_a_boolean() -> None:
    with pytest.raises(ValidationError, match="allow_external_principals 'yes' is not allowed: True or False."):
        plan(new_stack()).share_with(WORKLOAD, allow_external_principals="yes")  # type: ignore[arg-type]


def test_an_imported_contact_cannot_be_shared() -> None:
    stack = new_stack()
    contact = Contact.from_contact_arn(stack, "Imported", f"arn:aws:ssm-contacts:eu-west-1:{OWNER}:contact/alice")
    with pytest.raises(ValidationError) as caught:
        contact.share_with(WORKLOAD)  # type: ignore[attr-defined]
    assert str(caught.value).startswith("TestStack/Imported (")
    assert "share_with 'arn:aws:ssm-contacts:eu-west-1:111111111111:contact/alice' is not allowed" in str(caught.value)
    assert "only the account that owns a contact can share it" in str(caught.value)


def test_an_imported_response_plan_has_no_share_with() -> None:
    imported = ResponsePlan.from_response_plan_arn(new_stack(), "Imported", PLAN_ARN)
    assert not hasattr(imported, "share_with")


def test_a_channel_cannot_take_the_share_s_construct_id() -> None:
    stack = new_stack()
    alice = Contact(stack, "Alice", alias="alice")
    with pytest.raises(ValidationError, match="channel name 'Share' is not allowed: 'Share' is the construct id"):
        alice.add_email_channel("Share", "alice@example.com")
    alice.add_email_channel("share", "alice@example.com")  # another name: the share still fits
    alice.share_with(WORKLOAD)


# -- the workload account's side ---------------------------------------------------------------


def alarm(stack: cdk.Stack) -> cloudwatch.Alarm:
    return cloudwatch.Alarm(
        stack,
        "Alarm",
        metric=cloudwatch.Metric(namespace="AWS/EC2", metric_name="CPUUtilization"),
        threshold=85,
        evaluation_periods=1,
    )


def test_an_alarm_in_a_workload_account_starts_incidents_in_the_owners_plan() -> None:
    app = new_app()
    workload = env_stack(app, "Workload", WORKLOAD)
    shared = ResponsePlan.from_response_plan_arn(workload, "Shared", PLAN_ARN)
    alarm(workload).add_alarm_action(shared.alarm_action())
    (resource,) = resources_of(workload, "AWS::CloudWatch::Alarm").values()
    # CloudWatch's own action names the alarm's account; a shared plan lives in its owner's.
    assert resource["Properties"]["AlarmActions"] == [PLAN_ARN]


def test_an_owned_plan_in_another_accounts_stack_is_named_with_that_account() -> None:
    app = new_app()
    owner = env_stack(app, "Owner", OWNER)
    workload = env_stack(app, "Workload", WORKLOAD)
    p = plan(owner)
    alarm(workload).add_alarm_action(p.alarm_action())
    (resource,) = resources_of(workload, "AWS::CloudWatch::Alarm").values()
    (action,) = resource["Properties"]["AlarmActions"]
    assert action == {
        "Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, f":ssm-incidents::{OWNER}:response-plan/api-down"]]
    }


def test_an_owned_plan_in_the_alarms_account_keeps_cloudwatchs_own_action() -> None:
    stack = new_stack()
    alarm(stack).add_alarm_action(plan(stack).alarm_action())
    (resource,) = resources_of(stack, "AWS::CloudWatch::Alarm").values()
    (action,) = resource["Properties"]["AlarmActions"]
    assert action["Fn::Join"][1][3] == {"Ref": "AWS::AccountId"}


def test_a_rule_in_a_workload_account_starts_incidents_in_the_owners_plan() -> None:
    app = new_app()
    workload = env_stack(app, "Workload", WORKLOAD)
    shared = ResponsePlan.from_response_plan_arn(workload, "Shared", PLAN_ARN)
    rule = events.Rule(
        workload, "Stopped", rule_name="instance-stopped", event_pattern=events.EventPattern(source=["aws.ec2"])
    )
    rule.add_target(IncidentTarget(shared))
    (resource,) = resources_of(workload, "AWS::Events::Rule").values()
    (target,) = resource["Properties"]["Targets"]
    assert target["Arn"] == PLAN_ARN
    (role,) = resources_of(workload, "AWS::IAM::Role").values()
    (policy,) = role["Properties"]["Policies"]
    assert policy["PolicyDocument"]["Statement"] == [
        {"Action": "ssm-incidents:StartIncident", "Effect": "Allow", "Resource": PLAN_ARN, "Sid": "StartIncident"}
    ]
    # The role trusts EventBridge acting for the workload account's own rule (confused deputy).
    trust = role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Condition"]
    assert trust["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
