"""Imported contacts, escalation plans, response plans, runbooks and the replication set work
everywhere owned ones do."""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from aws_cdk.assertions import Template
from support.lint import cfn_lint_templates
from support.stacks import new_stack, resources_of

from incident_constructs import (
    Contact,
    EscalationPlan,
    EscalationStage,
    Impact,
    IncidentTarget,
    IReplicationSet,
    IResponsePlan,
    IRunbook,
    ReplicationSet,
    ResponsePlan,
    Runbook,
    ValidationError,
)

RESPONDER_ARN = "arn:aws:ssm-contacts:us-east-1:111122223333:contact/incident-responder"
PLAN_ARN = "arn:aws:ssm-contacts:us-east-1:111122223333:contact/app-escalation-plan"


def _only(stack: cdk.Stack, cfn_type: str) -> dict:
    (resource,) = resources_of(stack, cfn_type).values()
    return resource


def _join_tail(stack: cdk.Stack, value: object) -> str:
    """The literal end of a Fn::Join (the part after the account)."""
    resolved = stack.resolve(value)
    return str(resolved["Fn::Join"][1][-1])


# -- contacts ------------------------------------------------------------------------------


def test_imported_contact_by_arn_is_an_engagement_of_a_response_plan():
    stack = new_stack()
    contact = Contact.from_contact_arn(stack, "Responder", RESPONDER_ARN)
    assert contact.alias == "incident-responder"
    ResponsePlan(stack, "Plan", response_plan_name="p", title="t", impact=Impact.LOW, engagements=[contact])
    assert _only(stack, "AWS::SSMIncidents::ResponsePlan")["Properties"]["Engagements"] == [RESPONDER_ARN]


def test_imported_contact_by_alias_uses_the_stacks_account_and_region():
    stack = new_stack(env=cdk.Environment(account="111122223333", region="eu-west-1"))
    contact = Contact.from_contact_alias(stack, "Responder", "incident-responder")
    assert stack.resolve(contact.contact_arn) == {
        "Fn::Join": [
            "",
            ["arn:", {"Ref": "AWS::Partition"}, ":ssm-contacts:eu-west-1:111122223333:contact/incident-responder"],
        ]
    }


def test_imported_contacts_are_stages_of_an_owned_escalation_plan():
    stack = new_stack()
    first = Contact.from_contact_arn(stack, "Responder", RESPONDER_ARN)
    second = Contact.from_contact_alias(stack, "Senior", "sr-incident-responder")
    EscalationPlan(
        stack,
        "Escalation",
        alias="app-escalation-plan",
        stages=[
            EscalationStage(contacts=[first], acknowledgement_stops_progression=True),
            EscalationStage(contacts=[second]),
        ],
    )
    stages = _only(stack, "AWS::SSMContacts::Contact")["Properties"]["Plan"]
    assert stages[0]["Targets"] == [{"ContactTargetInfo": {"ContactId": RESPONDER_ARN, "IsEssential": True}}]
    second_target = stages[1]["Targets"][0]["ContactTargetInfo"]["ContactId"]
    assert _join_tail(stack, second_target) == ":contact/sr-incident-responder"


def test_imported_escalation_plan_is_an_engagement_and_keeps_its_type():
    stack = new_stack()
    plan = EscalationPlan.from_escalation_plan_arn(stack, "Escalation", PLAN_ARN)
    assert plan.contact_type is not None and plan.contact_type.value == "ESCALATION"
    ResponsePlan(stack, "Plan", response_plan_name="p", title="t", impact=Impact.LOW, engagements=[plan])
    assert _only(stack, "AWS::SSMIncidents::ResponsePlan")["Properties"]["Engagements"] == [PLAN_ARN]


def test_imported_escalation_plan_by_alias():
    stack = new_stack()
    plan = EscalationPlan.from_escalation_plan_alias(stack, "Escalation", "app-escalation-plan")
    assert _join_tail(stack, plan.contact_arn) == ":contact/app-escalation-plan"


def test_contact_import_refuses_an_arn_of_another_service():
    stack = new_stack()
    with pytest.raises(ValidationError, match=r"TestStack/Bad \(Contact\): contact_arn .* an ARN like"):
        Contact.from_contact_arn(stack, "Bad", "arn:aws:ssm-incidents::111122223333:response-plan/x")


def test_contact_import_by_token_arn_passes_unchecked():
    stack = new_stack()
    arn = cdk.CfnParameter(stack, "ContactArn").value_as_string
    contact = Contact.from_contact_arn(stack, "Responder", arn)
    ResponsePlan(stack, "Plan", response_plan_name="p", title="t", impact=Impact.LOW, engagements=[contact])
    assert _only(stack, "AWS::SSMIncidents::ResponsePlan")["Properties"]["Engagements"] == [{"Ref": "ContactArn"}]


# -- runbooks ------------------------------------------------------------------------------


def test_imported_runbook_is_the_runbook_of_a_response_plan_with_a_scoped_role():
    stack = new_stack()
    runbook = Runbook.from_document_name(stack, "Runbook", "shared-ec2-runbook")
    ResponsePlan(stack, "Plan", response_plan_name="p", title="t", impact=Impact.LOW, runbook=runbook)
    automation = _only(stack, "AWS::SSMIncidents::ResponsePlan")["Properties"]["Actions"][0]["SsmAutomation"]
    assert automation["DocumentName"] == "shared-ec2-runbook"
    role = _only(stack, "AWS::IAM::Role")["Properties"]
    (statement,) = role["Policies"][0]["PolicyDocument"]["Statement"]
    assert _join_tail(stack, statement["Resource"]) == ":automation-definition/shared-ec2-runbook:*"
    # Nothing is known about an imported document's parameters: none are passed.
    assert "DynamicParameters" not in automation
    assert isinstance(runbook, IRunbook) and isinstance(runbook, cdk.Resource)
    assert runbook.stack is stack and runbook.env.account == stack.account


def test_runbook_import_refuses_a_bad_document_name():
    stack = new_stack()
    with pytest.raises(ValidationError, match=r"TestStack/Runbook \(Runbook\): document_name 'a b'"):
        Runbook.from_document_name(stack, "Runbook", "a b")


# -- response plans ------------------------------------------------------------------------


def test_alarm_action_of_an_imported_response_plan():
    stack = new_stack()
    plan = ResponsePlan.from_response_plan_name(stack, "Plan", "EC2HighCPU")
    alarm = cloudwatch.Alarm(
        stack,
        "Alarm",
        metric=cloudwatch.Metric(namespace="AWS/EC2", metric_name="CPUUtilization"),
        threshold=85,
        evaluation_periods=1,
    )
    alarm.add_alarm_action(plan.alarm_action())
    resource = _only(stack, "AWS::CloudWatch::Alarm")
    (action,) = resource["Properties"]["AlarmActions"]
    assert _join_tail(stack, action) == ":response-plan/EC2HighCPU"
    assert "DependsOn" not in resource


def test_incident_target_of_a_response_plan_imported_by_arn():
    stack = new_stack()
    arn = "arn:aws:ssm-incidents::111122223333:response-plan/EC2HighCPU"
    plan = ResponsePlan.from_response_plan_arn(stack, "Plan", arn)
    assert plan.response_plan_name == "EC2HighCPU"
    assert isinstance(plan, IResponsePlan) and isinstance(plan, cdk.Resource) and not isinstance(plan, ResponsePlan)
    assert plan.stack is stack and plan.env.account == "111122223333"
    events.Rule(stack, "Rule", event_pattern=events.EventPattern(source=["aws.ec2"])).add_target(IncidentTarget(plan))
    rule = _only(stack, "AWS::Events::Rule")
    (target,) = rule["Properties"]["Targets"]
    assert target["Arn"] == arn and "DependsOn" not in rule
    policy = _only(stack, "AWS::IAM::Role")["Properties"]["Policies"][0]["PolicyDocument"]
    assert policy["Statement"][0]["Resource"] == arn


def test_response_plan_import_refuses_a_contact_arn():
    stack = new_stack()
    with pytest.raises(
        ValidationError, match=r"response_plan_arn .* arn:aws:ssm-incidents::<account>:response-plan/<name>"
    ):
        ResponsePlan.from_response_plan_arn(stack, "Plan", RESPONDER_ARN)


# -- replication set -------------------------------------------------------------------------


def test_existing_replication_set_creates_nothing_and_defaults_to_the_accounts_arn_pattern():
    stack = new_stack(env=cdk.Environment(account="111122223333", region="us-east-1"))
    existing = ReplicationSet.from_replication_set_attributes(stack, "ReplicationSet")
    assert stack.resolve(existing.replication_set_arn) == {
        "Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":ssm-incidents::111122223333:replication-set/*"]]
    }
    assert Template.from_stack(stack).to_json().get("Resources", {}) == {}
    assert isinstance(existing, IReplicationSet) and isinstance(existing, cdk.Resource)
    assert existing.stack is stack and (existing.env.account, existing.env.region) == ("111122223333", "us-east-1")


def test_existing_replication_set_by_arn():
    stack = new_stack(env=cdk.Environment(account="444455556666", region="eu-west-1"))
    arn = "arn:aws:ssm-incidents::111122223333:replication-set/40bd98f0-4110-2dee-b35e-b87006f9e172"
    existing = ReplicationSet.from_replication_set_arn(stack, "ReplicationSet", arn)
    assert existing.replication_set_arn == arn
    assert isinstance(existing, IReplicationSet) and not isinstance(existing, ReplicationSet)
    # The ARN has no region: the account is the ARN's, the region the stack's.
    assert existing.stack is stack and (existing.env.account, existing.env.region) == ("111122223333", "eu-west-1")
    again = ReplicationSet.from_replication_set_attributes(stack, "Again", replication_set_arn=arn)
    assert again.replication_set_arn == arn


def test_existing_replication_set_by_token_arn():
    stack = new_stack()
    arn = cdk.CfnParameter(stack, "ReplicationSetArn").value_as_string
    assert ReplicationSet.from_replication_set_arn(stack, "ReplicationSet", arn).replication_set_arn == arn


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:ssm-incidents:us-east-1:111122223333:replication-set/abc",  # has a region
        "arn:aws:ssm-incidents::111122223333:response-plan/abc",
        "arn:aws:ssm-incidents::111122223333:replication-set/",
        "replication-set/abc",
    ],
)
def test_existing_replication_set_refuses_other_arns(arn: str):
    stack = new_stack()
    for importer in (
        lambda: ReplicationSet.from_replication_set_arn(stack, "ReplicationSet", arn),
        lambda: ReplicationSet.from_replication_set_attributes(stack, "ReplicationSet", replication_set_arn=arn),
    ):
        with pytest.raises(ValidationError) as error:
            importer()
        assert str(error.value) == (
            f"TestStack/ReplicationSet (ReplicationSet): replication_set_arn {arn!r} is not allowed: "
            "an ARN like arn:aws:ssm-incidents::<account>:replication-set/<id> (no region)."
        )


def test_existing_replication_set_does_not_claim_the_accounts_one_replication_set():
    stack = new_stack()
    ReplicationSet.from_replication_set_attributes(stack, "Existing")
    ReplicationSet(stack, "Owned", regions=["us-east-1"])
    Template.from_stack(stack).resource_count_is("AWS::SSMIncidents::ReplicationSet", 1)


# -- cfn-lint ------------------------------------------------------------------------------


def test_a_stack_of_imported_things_passes_cfn_lint(tmp_path: Path):
    app = cdk.App(builtin_cloud_formation_validation=False, outdir=str(tmp_path))
    stack = cdk.Stack(app, "ImportsLint")
    responder = Contact.from_contact_arn(stack, "Responder", RESPONDER_ARN)
    senior = Contact.from_contact_alias(stack, "Senior", "sr-incident-responder")
    escalation = EscalationPlan(
        stack, "Escalation", alias="team-escalation", stages=[EscalationStage(contacts=[responder, senior])]
    )
    existing_plan = EscalationPlan.from_escalation_plan_alias(stack, "Existing", "app-escalation-plan")
    runbook = Runbook.from_document_name(stack, "Runbook", "shared-ec2-runbook")
    ResponsePlan(
        stack,
        "Plan",
        response_plan_name="imports",
        title="t",
        impact=Impact.HIGH,
        engagements=[escalation, existing_plan],
        runbook=runbook,
    )
    imported_plan = ResponsePlan.from_response_plan_name(stack, "ImportedPlan", "EC2HighCPU")
    events.Rule(stack, "Rule", event_pattern=events.EventPattern(source=["aws.ec2"])).add_target(
        IncidentTarget(imported_plan)
    )
    ReplicationSet.from_replication_set_attributes(stack, "ReplicationSet")
    template = Path(app.synth().get_stack_by_name("ImportsLint").template_full_path)
    assert cfn_lint_templates([template]) == []


def test_imported_contact_is_a_rotation_member():
    from incident_constructs import Rotation, RotationRecurrence

    stack = new_stack()
    Rotation(
        stack,
        "Rotation",
        rotation_name="primary",
        contacts=[Contact.from_contact_arn(stack, "Responder", RESPONDER_ARN)],
        start_time="2026-01-05T09:00:00",
        time_zone="UTC",
        recurrence=RotationRecurrence.daily(hand_off_time="09:00"),
    )
    assert _only(stack, "AWS::SSMContacts::Rotation")["Properties"]["ContactIds"] == [RESPONDER_ARN]


def test_imported_escalation_plan_is_refused_as_a_rotation_member():
    from incident_constructs import Rotation, RotationRecurrence

    stack = new_stack()
    with pytest.raises(ValidationError, match=r"contacts 'app-escalation-plan' is not allowed: personal contacts only"):
        Rotation(
            stack,
            "Rotation",
            rotation_name="primary",
            contacts=[EscalationPlan.from_escalation_plan_arn(stack, "Plan", PLAN_ARN)],
            start_time="2026-01-05T09:00:00",
            time_zone="UTC",
            recurrence=RotationRecurrence.daily(hand_off_time="09:00"),
        )
