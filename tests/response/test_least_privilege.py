"""Least privilege: cdk-nag packs pass on the example, every service role is protected against the
confused deputy, no "*" resource without a written reason, customer managed keys are scoped."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sns as sns
from cdk_nag import AwsSolutionsChecks, NIST80053R5Checks
from support.stacks import new_app

from incident_constructs import (
    Contact,
    EscalationPlan,
    EscalationStage,
    Impact,
    IncidentTarget,
    OnCallSchedule,
    PagerDutyIntegration,
    ReplicationSet,
    ResponsePlan,
    Rotation,
    RotationRecurrence,
    Runbook,
    RunbookRole,
    RunbookStep,
    SlackChatChannel,
    TargetAccount,
)
from stacks.incident_stack import IncidentManagerStack
from stacks.nag import REASONS, add_nag_packs, apply_nag_suppressions

ENV = cdk.Environment(account="111111111111", region="us-east-1")

#: Service principals whose roles are exempt from the aws:SourceAccount / aws:SourceArn rule, and why.
TRUST_EXEMPTIONS = {
    "chatbot.amazonaws.com": (
        "AWS Chatbot (Amazon Q Developer in chat applications) documents no aws:SourceArn or aws:SourceAccount "
        "in the request that assumes a channel role; a condition on a key the service does not send would make "
        "the role unusable. The key it does document, aws:ChatbotSourceArn on every session it starts, limits "
        "the role's permissions to its own channel configuration instead, and the role may only read."
    ),
}

#: Resource policies letting ssm-incidents.amazonaws.com act, by resource type: all condition on
#: aws:SourceAccount (StringEquals) and on aws:SourceArn, which is checked only when the request
#: carries one (ArnLikeIfExists), for the reason given.
SOURCE_ARN_IF_EXISTS = {
    "AWS::SNS::TopicPolicy": (
        "Incident Manager's confused-deputy page names the affected incident record as aws:SourceArn, but its "
        "topic-policy example conditions on aws:SourceAccount only (StringEqualsIfExists), and the test message "
        "it publishes when a plan is created comes before any incident record exists."
    ),
    "AWS::SecretsManager::ResourcePolicy": (
        "Incident Manager's PagerDuty secret policy example has no condition at all, and the secret is read "
        "when the plan is created as well as during incidents: no source ARN is documented for that read."
    ),
    "AWS::KMS::Key": (
        "The key is used by SNS (chat topic) and Secrets Manager (PagerDuty secret) on Incident Manager's behalf; "
        "neither Incident Manager nor these services document an aws:SourceArn in those KMS requests."
    ),
}

#: Statements allowed to have Resource "*": (resource type, statement Sid or None for any) -> reason.
STAR_RESOURCE_ALLOW_LIST = {
    ("AWS::KMS::Key", None): (
        "In a key policy, Resource '*' means this key and nothing else; each statement is scoped by its "
        "principal and conditions (kms:ViaService, kms:CallerAccount, aws:SourceAccount)."
    ),
    ("AWS::IAM::Role", "ReadIncidentManager"): (
        "The chat channel role reads Incident Manager only (Get*, List*, Describe* of ssm-incidents and "
        "ssm-contacts) so responders can look up any incident from the channel; the List actions support "
        "no resource ARNs."
    ),
}


def example_app(*, acknowledged: bool = True) -> tuple[cdk.App, cdk.Stack]:
    app = new_app()
    stack = IncidentManagerStack(app, "IncidentManagerExample")
    if acknowledged:
        apply_nag_suppressions(stack)
    return app, stack


def everything() -> dict[str, Any]:
    """A stack using every feature of the library, with customer managed keys."""
    app = new_app()
    stack = cdk.Stack(app, "Everything", env=ENV)
    alice = Contact(stack, "Alice", alias="alice")
    alice.add_email_channel("mail", "alice@example.com")
    bob = Contact(stack, "Bob", alias="bob")
    bob.add_sms_channel("phone", "+12065550100")
    rotation = Rotation(
        stack,
        "Rotation",
        rotation_name="team",
        contacts=[alice, bob],
        start_time="2026-01-05T09:00:00",
        time_zone="UTC",
        recurrence=RotationRecurrence.daily(hand_off_time="09:00"),
    )
    schedule = OnCallSchedule(stack, "Schedule", alias="schedule", rotations=[rotation])
    escalation = EscalationPlan(stack, "Escalation", alias="escalation", stages=[EscalationStage(contacts=[schedule])])
    runbook = Runbook(stack, "Runbook", document_name="team-runbook", steps=[RunbookStep.pause("Look")])
    automation = iam.Role(
        stack,
        "AutomationRole",
        assumed_by=iam.ServicePrincipal(
            "ssm.amazonaws.com",
            conditions={
                "StringEquals": {"aws:SourceAccount": cdk.Aws.ACCOUNT_ID},
                "ArnLike": {
                    "aws:SourceArn": f"arn:{cdk.Aws.PARTITION}:ssm:*:{cdk.Aws.ACCOUNT_ID}:automation-execution/*"
                },
            },
        ),
    )
    key = kms.Key(stack, "Key", enable_key_rotation=True)
    secret = secretsmanager.Secret(stack, "PagerDutySecret", encryption_key=key)
    topic = sns.Topic(stack, "Notifications", master_key=key, enforce_ssl=True)
    plan = ResponsePlan(
        stack,
        "Plan",
        response_plan_name="team",
        title="t",
        impact=Impact.HIGH,
        engagements=[escalation],
        runbook=runbook,
        automation_role=automation,
        runbook_document_version="1",
        target_account=TargetAccount.IMPACTED_ACCOUNT,
        target_accounts=["222222222222"],
        notification_topics=[topic],
        pager_duty=PagerDutyIntegration(name="pd", secret=secret, service_id="P123"),
    )
    SlackChatChannel(
        stack,
        "Slack",
        slack_workspace_id="T012ABCDEFG",
        slack_channel_id="C012ABCDEFG",
        slack_channel_configuration_name="incidents",
        response_plans=[plan],
        encryption_key=key,
    )
    rule = events.Rule(
        stack, "Stopped", rule_name="instance-stopped", event_pattern=events.EventPattern(source=["aws.ec2"])
    )
    rule.add_target(IncidentTarget(plan))
    ReplicationSet(
        stack, "ReplicationSet", regions={"us-east-1": kms.Key(stack, "ReplicationKey", enable_key_rotation=True)}
    )
    template: dict[str, Any] = app.synth().get_stack_by_name("Everything").template
    return template


@pytest.fixture(scope="module")
def templates() -> dict[str, dict[str, Any]]:
    app, _ = example_app()
    return {
        "example": app.synth().get_stack_by_name("IncidentManagerExample").template,
        "everything": everything(),
    }


# -- cdk-nag ------------------------------------------------------------------------------------


@pytest.mark.parametrize("pack", [AwsSolutionsChecks, NIST80053R5Checks])
def test_the_example_passes_the_nag_pack(pack: Any) -> None:
    app, _ = example_app()
    report = pack(app).validate_scope(app)
    assert [v.rule_name for v in report.violations] == []
    assert report.success


def test_every_acknowledgement_is_needed() -> None:
    """Without them, the packs report exactly the acknowledged findings."""
    app, stack = example_app(acknowledged=False)
    found = set()
    for pack in (AwsSolutionsChecks(app), NIST80053R5Checks(app)):
        found |= {v.rule_name for v in pack.validate_scope(app).violations}
    expected = {rule.format(document=stack.runbook.document_name) for rule in REASONS}
    assert found == expected


def test_every_acknowledgement_has_a_reason() -> None:
    assert REASONS and all(len(reason.split()) >= 15 for reason in REASONS.values())


def test_the_example_app_synthesizes_with_the_packs_and_fails_without_the_acknowledgements() -> None:
    app, _ = example_app()
    add_nag_packs(app)
    app.synth()
    bare, _ = example_app(acknowledged=False)
    add_nag_packs(bare)
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        bare.synth()


# -- trust policies -----------------------------------------------------------------------------


def service_trusts(template: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::IAM::Role":
            continue
        for statement in resource["Properties"]["AssumeRolePolicyDocument"]["Statement"]:
            services = statement.get("Principal", {}).get("Service", [])
            for service in [services] if isinstance(services, str) else services:
                yield logical_id, service, statement


@pytest.mark.parametrize("name", ["example", "everything"])
def test_every_role_trusted_by_a_service_names_the_source_account_and_arn(name: str, templates: dict[str, Any]) -> None:
    trusts = list(service_trusts(templates[name]))
    assert trusts, "no role trusted by a service: the scan found nothing to check"
    for logical_id, service, statement in trusts:
        if service in TRUST_EXEMPTIONS:
            continue
        keys = {key for operator in statement.get("Condition", {}).values() for key in operator}
        assert {"aws:SourceAccount", "aws:SourceArn"} <= keys, (
            f"{logical_id} trusts {service} without {statement.get('Condition')}"
        )


def test_the_feature_stack_has_the_service_roles_the_scan_is_meant_for(templates: dict[str, Any]) -> None:
    services = {service for _, service, _ in service_trusts(templates["everything"])}
    assert {"ssm-incidents.amazonaws.com", "events.amazonaws.com", "ssm.amazonaws.com"} <= services


def incident_manager_statements(template: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Resource-policy statements that let ssm-incidents.amazonaws.com act."""
    for logical_id, cfn_type, statement in policy_statements(template):
        services = (
            statement.get("Principal", {}).get("Service", []) if isinstance(statement.get("Principal"), dict) else []
        )
        if "ssm-incidents.amazonaws.com" in ([services] if isinstance(services, str) else services):
            yield logical_id, cfn_type, statement


def test_every_resource_policy_for_incident_manager_names_the_source_account_and_arn(
    templates: dict[str, Any],
) -> None:
    found = list(incident_manager_statements(templates["everything"]))
    assert {t for _, t, _ in found} == set(SOURCE_ARN_IF_EXISTS), "the scan must see every kind of policy"
    for logical_id, cfn_type, statement in found:
        condition = statement.get("Condition", {})
        assert condition.get("StringEquals", {}).get("aws:SourceAccount") == {"Ref": "AWS::AccountId"}, logical_id
        sources = condition.get("ArnLike", condition.get("ArnLikeIfExists", {})).get("aws:SourceArn")
        assert sources, f"{logical_id} ({cfn_type}) lets ssm-incidents act without aws:SourceArn"
        assert "ArnLike" in condition or cfn_type in SOURCE_ARN_IF_EXISTS, logical_id
        for arn in sources if isinstance(sources, list) else [sources]:
            tail = arn["Fn::Join"][1][-1]
            assert tail in (":incident-record/team/*", ":response-plan/team"), f"{logical_id}: {tail}"


def test_the_chat_role_permissions_hold_only_in_sessions_of_its_channel(templates: dict[str, Any]) -> None:
    (role,) = [
        r
        for r in templates["everything"]["Resources"].values()
        if r["Type"] == "AWS::IAM::Role"
        and r["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"].get("Service")
        == "chatbot.amazonaws.com"
    ]
    for policy in role["Properties"]["Policies"]:
        for statement in policy["PolicyDocument"]["Statement"]:
            source = statement["Condition"]["ArnLike"]["aws:ChatbotSourceArn"]
            assert source["Fn::Join"][1][-1] == ":chat-configuration/slack-channel/incidents"


def test_the_runbook_role_of_the_feature_stack_names_its_version_and_accounts(templates: dict[str, Any]) -> None:
    """A pinned version and named accounts leave no wildcard in the runbook role's resources."""
    (role,) = [
        r
        for lid, r in templates["everything"]["Resources"].items()
        if r["Type"] == "AWS::IAM::Role" and lid.startswith("PlanRunbookRole")
    ]
    statements = {s["Sid"]: s for s in role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]}
    assert statements["StartRunbook"]["Resource"]["Fn::Join"][1][-1] == ":automation-definition/team-runbook:1"
    assert (
        statements["RunInImpactedAccount"]["Resource"]["Fn::Join"][1][-1]
        == ":iam::222222222222:role/AWS-SystemsManager-AutomationExecutionRole"
    )
    assert "*" not in json.dumps([s["Resource"] for s in statements.values()])


# -- Resource "*" ---------------------------------------------------------------------------------


def policy_statements(template: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for logical_id, resource in template["Resources"].items():
        props = resource.get("Properties", {})
        documents = [props.get("KeyPolicy"), props.get("PolicyDocument"), props.get("ResourcePolicy")]
        documents += [p.get("PolicyDocument") for p in props.get("Policies", [])]
        for document in documents:
            if isinstance(document, dict):
                for statement in document.get("Statement", []):
                    yield logical_id, resource["Type"], statement


@pytest.mark.parametrize("name", ["example", "everything"])
def test_no_star_resource_without_a_written_reason(name: str, templates: dict[str, Any]) -> None:
    for logical_id, cfn_type, statement in policy_statements(templates[name]):
        resources = statement.get("Resource", [])
        if "*" in ([resources] if isinstance(resources, str) else resources):
            allowed = (cfn_type, statement.get("Sid")) in STAR_RESOURCE_ALLOW_LIST or (
                cfn_type,
                None,
            ) in STAR_RESOURCE_ALLOW_LIST
            assert allowed, f"{logical_id} ({cfn_type}) allows {statement.get('Action')} on '*' without a reason"


def test_the_star_scan_sees_statements(templates: dict[str, Any]) -> None:
    stars = [
        (t, s.get("Sid"))
        for _, t, s in policy_statements(templates["everything"])
        if "*" in ([s["Resource"]] if isinstance(s.get("Resource"), str) else s.get("Resource", []))
    ]
    assert ("AWS::IAM::Role", "ReadIncidentManager") in stars
    assert any(t == "AWS::KMS::Key" for t, _ in stars)


# -- the runbook role is an iam.Role --------------------------------------------------------------


def _plan_with_a_runbook(stack: cdk.Stack) -> ResponsePlan:
    runbook = Runbook(stack, "Runbook", document_name="team-runbook", steps=[RunbookStep.pause("Look")])
    return ResponsePlan(stack, "Plan", response_plan_name="team", title="t", impact=Impact.LOW, runbook=runbook)


def test_the_runbook_role_is_an_iam_role_with_its_cfn_role_where_it_always_was() -> None:
    app = new_app()
    stack = cdk.Stack(app, "Roles", env=ENV)
    plan = _plan_with_a_runbook(stack)
    role = plan.runbook_role
    assert isinstance(role, RunbookRole) and isinstance(role, iam.Role)
    assert plan.role is role
    assert isinstance(role.node.default_child, iam.CfnRole) and role.resource is role.resource
    assert role.resource.node.path == "Roles/Plan/RunbookRole/Resource"
    template = app.synth().get_stack_by_name("Roles").template
    (resource,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::SSMIncidents::ResponsePlan"]
    logical_id = stack.resolve(stack.get_logical_id(role.resource))
    assert resource["Properties"]["Actions"][0]["SsmAutomation"]["RoleArn"] == {"Fn::GetAtt": [logical_id, "Arn"]}
    assert template["Resources"][logical_id]["Type"] == "AWS::IAM::Role"


def test_customize_roles_reaches_the_runbook_role(tmp_path: Path) -> None:
    """``iam.Role.customize_roles``: no AWS::IAM::Role in the template, the plan names the
    precreated role, and the policy report lists the role's trust and statements."""
    app = cdk.App(builtin_cloud_formation_validation=False, outdir=str(tmp_path))
    stack = cdk.Stack(app, "Customized", env=ENV)
    iam.Role.customize_roles(stack, use_precreated_roles={"Plan/RunbookRole": "incident-runbook-role"})
    plan = _plan_with_a_runbook(stack)
    template = app.synth().get_stack_by_name("Customized").template
    assert [r for r in template["Resources"].values() if r["Type"] == "AWS::IAM::Role"] == []
    (resource,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::SSMIncidents::ResponsePlan"]
    role_arn = resource["Properties"]["Actions"][0]["SsmAutomation"]["RoleArn"]
    assert role_arn["Fn::Join"][1][-1] == ":iam::111111111111:role/incident-runbook-role"
    (entry,) = json.loads((tmp_path / "iam-policy-report.json").read_text())["roles"]
    assert entry["roleConstructPath"] == "Customized/Plan/RunbookRole" and entry["roleName"] == "incident-runbook-role"
    (trust,) = entry["assumeRolePolicy"]
    assert trust["Principal"] == {"Service": "ssm-incidents.amazonaws.com"}
    assert set(trust["Condition"]["StringEquals"]) == {"aws:SourceAccount"} and set(trust["Condition"]["ArnLike"]) == {
        "aws:SourceArn"
    }
    (statement,) = entry["identityPolicyStatements"]
    assert statement["Sid"] == "StartRunbook" and statement["Resource"].endswith(
        ":automation-definition/team-runbook:*"
    )
    assert "Customized/Plan/RunbookRole" in (tmp_path / "iam-policy-report.txt").read_text()
    assert plan.runbook_role is not None and plan.runbook_role.node.default_child is None


# -- customer managed keys ------------------------------------------------------------------------


def test_replication_set_keys_are_scoped_to_incident_manager_in_their_region() -> None:
    app = new_app()
    east = cdk.Stack(app, "East", env=ENV)
    west = cdk.Stack(
        app, "West", env=cdk.Environment(account="111111111111", region="eu-west-1"), cross_region_references=True
    )
    east.add_dependency(west)
    keys = {
        "us-east-1": kms.Key(east, "EastKey", enable_key_rotation=True),
        "eu-west-1": kms.Key(west, "WestKey", enable_key_rotation=True),
    }
    ReplicationSet(east, "ReplicationSet", regions=keys)
    assembly = app.synth()
    for stack_name, region in (("East", "us-east-1"), ("West", "eu-west-1")):
        template = assembly.get_stack_by_name(stack_name).template
        [key] = [r for r in template["Resources"].values() if r["Type"] == "AWS::KMS::Key"]
        [statement] = [
            s for s in key["Properties"]["KeyPolicy"]["Statement"] if s.get("Sid") == "IncidentManagerUseOfTheKey"
        ]
        assert sorted(statement["Action"]) == ["kms:CreateGrant", "kms:DescribeKey"]
        assert statement["Condition"]["StringEquals"]["kms:ViaService"] == [
            f"ssm-incidents.{region}.amazonaws.com",
            f"ssm-contacts.{region}.amazonaws.com",
        ]
        assert "kms:CallerAccount" in statement["Condition"]["StringEquals"]
