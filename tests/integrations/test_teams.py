"""TeamsChatChannel: an AWS Chatbot Microsoft Teams channel wired to response plans the way
SlackChatChannel is."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_chatbot as chatbot
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from support.lint import cfn_lint_templates
from support.stacks import new_stack, resources_of

import incident_constructs
import incident_constructs.integrations
from incident_constructs import Impact, ResponsePlan, TeamsChatChannel, ValidationError

TEAM = "a1b2c3d4-0000-4000-8000-0123456789ab"
TENANT = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
CHANNEL = "19%3Aab12cd34ef56ab12cd34ef56ab12cd34%40thread.tacv2"


def plan(stack: cdk.Stack, name: str = "api-down") -> ResponsePlan:
    return ResponsePlan(stack, f"Plan-{name}", response_plan_name=name, title="API down", impact=Impact.HIGH)


def teams(stack: cdk.Stack, **kwargs: Any) -> TeamsChatChannel:
    props: dict[str, Any] = {
        "team_id": TEAM,
        "channel_id": CHANNEL,
        "tenant_id": TENANT,
        "teams_channel_configuration_name": "incidents",
    }
    props.update(kwargs)
    return TeamsChatChannel(stack, "Teams", **props)


def only(stack: cdk.Stack, cfn_type: str) -> dict[str, Any]:
    (resource,) = resources_of(stack, cfn_type).values()
    return resource  # type: ignore[no-any-return]


def test_is_exported_beside_slack() -> None:
    assert incident_constructs.TeamsChatChannel is incident_constructs.integrations.TeamsChatChannel
    assert "TeamsChatChannel" in incident_constructs.__all__
    assert "TeamsChatChannel" in incident_constructs.integrations.__all__


def test_the_configuration_is_the_default_child_and_subscribes_the_topic() -> None:
    stack = new_stack()
    channel = teams(stack)
    assert isinstance(channel, cdk.Resource)
    assert channel.node.default_child is channel.resource and channel.resource.node.id == "Resource"
    assert isinstance(channel.resource, chatbot.CfnMicrosoftTeamsChannelConfiguration)
    props = only(stack, "AWS::Chatbot::MicrosoftTeamsChannelConfiguration")["Properties"]
    assert props["TeamId"] == TEAM and props["TeamsTenantId"] == TENANT and props["TeamsChannelId"] == CHANNEL
    assert props["ConfigurationName"] == "incidents"
    assert props["SnsTopicArns"] == [{"Ref": stack.get_logical_id(channel.topic.node.default_child)}]
    assert props["IamRoleArn"] == {"Fn::GetAtt": [stack.get_logical_id(channel.role.node.default_child), "Arn"]}
    assert props["GuardrailPolicies"] == [
        {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/ReadOnlyAccess"]]}
    ]
    assert stack.resolve(channel.teams_channel_configuration_arn) == {
        "Fn::GetAtt": [stack.get_logical_id(channel.resource), "Arn"]
    }


def test_the_role_reads_incident_manager_only_for_this_teams_configuration() -> None:
    stack = new_stack()
    teams(stack)
    role = only(stack, "AWS::IAM::Role")
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "Service": "chatbot.amazonaws.com"
    }
    (statement,) = role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    assert all(a.startswith(("ssm-incidents:", "ssm-contacts:")) for a in statement["Action"])
    source = statement["Condition"]["ArnLike"]["aws:ChatbotSourceArn"]
    assert source["Fn::Join"][1][-1] == ":chat-configuration/microsoft-teams-channel/incidents"


def test_response_plans_post_to_the_topic_given_or_added() -> None:
    stack = new_stack()
    first, second = plan(stack, "api-down"), plan(stack, "db-down")
    channel = teams(stack, response_plans=[first])
    channel.add_response_plan(second)
    assert channel.response_plans == [first, second]
    topic = {"Ref": stack.get_logical_id(channel.topic.node.default_child)}
    for p in resources_of(stack, "AWS::SSMIncidents::ResponsePlan").values():
        assert p["Properties"]["ChatChannel"] == {"ChatbotSns": [topic]}
    policy = only(stack, "AWS::SNS::TopicPolicy")
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    publishers = [s for s in statements if s["Effect"] == "Allow" and s["Action"] == "sns:Publish"]
    assert {s["Principal"]["Service"] for s in publishers} == {"ssm-incidents.amazonaws.com"}


def test_an_owned_key_lets_incident_manager_publish_for_this_channels_plans_only() -> None:
    stack = new_stack()
    key = kms.Key(stack, "Key")
    teams(stack, encryption_key=key, response_plans=[plan(stack)])
    statements = only(stack, "AWS::KMS::Key")["Properties"]["KeyPolicy"]["Statement"]
    (publish,) = [s for s in statements if s.get("Sid") == "IncidentManagerPublishToChatTopic"]
    assert publish["Principal"] == {"Service": "ssm-incidents.amazonaws.com"}
    assert publish["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    arns = json.dumps(publish["Condition"]["ArnLikeIfExists"]["aws:SourceArn"])
    assert "incident-record/api-down/*" in arns and "response-plan/api-down" in arns


def test_a_role_and_guardrails_given_are_used() -> None:
    stack = new_stack()
    role = iam.Role.from_role_arn(stack, "Given", "arn:aws:iam::111122223333:role/chat")
    guardrail = iam.ManagedPolicy.from_aws_managed_policy_name("AWSIncidentManagerResolverAccess")
    channel = teams(stack, role=role, guardrail_policies=[guardrail], logging_level=chatbot.LoggingLevel.ERROR)
    assert channel.role is role and resources_of(stack, "AWS::IAM::Role") == {}
    props = only(stack, "AWS::Chatbot::MicrosoftTeamsChannelConfiguration")["Properties"]
    assert props["IamRoleArn"] == "arn:aws:iam::111122223333:role/chat" and props["LoggingLevel"] == "ERROR"


def test_the_template_passes_cfn_lint(tmp_path: Path) -> None:
    stack = new_stack()
    teams(stack, encryption_key=kms.Key(stack, "Key"), response_plans=[plan(stack)])
    path = tmp_path / "teams.template.json"
    path.write_text(json.dumps(stack.node.root.synth().get_stack_by_name("TestStack").template))
    assert cfn_lint_templates([path]) == []


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"team_id": "T012ABCDEFG"}, "team_id 'T012ABCDEFG' is not allowed: a GUID like"),
        ({"tenant_id": TENANT[:-1]}, "tenant_id"),
        ({"tenant_id": TENANT.replace("f", "g")}, "tenant_id"),
        (
            {"channel_id": "19:ab12cd34@thread.tacv2"},
            "channel_id '19:ab***@thread.tacv2' is not allowed: a Microsoft Teams channel id, URL-encoded",
        ),
        ({"channel_id": "19%3A" + "a" * 240 + "%40thread.tacv2"}, "length must be 1 to 255 characters"),
        ({"channel_id": ""}, "channel_id '' is not allowed"),
        ({"teams_channel_configuration_name": "on call"}, "teams_channel_configuration_name 'on call'"),
        ({"teams_channel_configuration_name": "a" * 129}, "length must be 1 to 128"),
        ({"encryption_key": "alias/aws/sns"}, "encryption_key 'alias/aws/sns' is not allowed: an aws_kms.IKey"),
        ({"role": "arn:aws:iam::111122223333:role/chat"}, "role"),
        ({"guardrail_policies": ["ReadOnlyAccess"]}, "guardrail_policies 'ReadOnlyAccess' is not allowed"),
        ({"logging_level": "LOUD"}, "logging_level 'LOUD'"),
        ({"response_plans": "plan"}, "response_plans 'plan' is not allowed: a list"),
    ],
)
def test_bad_values_are_refused_with_the_path_and_the_field(kwargs: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        teams(new_stack(), **kwargs)
    assert str(caught.value).startswith("TestStack/Teams (TeamsChatChannel): ")
    assert fragment in str(caught.value)


def test_a_plan_twice_or_an_imported_plan_is_refused() -> None:
    stack = new_stack()
    p = plan(stack)
    with pytest.raises(
        ValidationError, match="response_plans 'api-down' is not allowed: each response plan at most once"
    ):
        teams(stack, response_plans=[p, p])
    imported = ResponsePlan.from_response_plan_name(stack, "Imported", "db-down")
    channel = TeamsChatChannel(
        stack, "Other", team_id=TEAM, channel_id=CHANNEL, tenant_id=TENANT, teams_channel_configuration_name="other"
    )
    with pytest.raises(ValidationError, match="a ResponsePlan of this app"):
        channel.add_response_plan(imported)  # type: ignore[arg-type]


def test_tokens_pass_unchecked() -> None:
    stack = new_stack()
    team = cdk.CfnParameter(stack, "Team").value_as_string
    teams(stack, team_id=team, tenant_id=team, channel_id=cdk.CfnParameter(stack, "Channel").value_as_string)
    props = only(stack, "AWS::Chatbot::MicrosoftTeamsChannelConfiguration")["Properties"]
    assert props["TeamId"] == {"Ref": "Team"} and props["TeamsChannelId"] == {"Ref": "Channel"}
