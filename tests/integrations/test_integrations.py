"""EventBridge rules that start incidents, and Slack chat channels."""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_chatbot as chatbot
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk.assertions import Match, Template
from support.lint import cfn_lint_templates
from support.stacks import new_stack, resources_of

from incident_constructs import Impact, ResponsePlan, ValidationError
from incident_constructs.integrations import IncidentTarget, SlackChatChannel

EC2_STATE_CHANGE = events.EventPattern(
    source=["aws.ec2"], detail_type=["EC2 Instance State-change Notification"], detail={"state": ["stopped"]}
)


def _plan(stack: cdk.Stack, name: str = "EC2HighCPU") -> ResponsePlan:
    return ResponsePlan(stack, name, response_plan_name=name, title="cpu-incident-1", impact=Impact.MEDIUM)


def _only(stack: cdk.Stack, cfn_type: str) -> dict:
    (resource,) = resources_of(stack, cfn_type).values()
    return resource


def _role_of_target(stack: cdk.Stack, rule: dict) -> dict:
    (target,) = rule["Properties"]["Targets"]
    role_id = target["RoleArn"]["Fn::GetAtt"][0]
    return Template.from_stack(stack).to_json()["Resources"][role_id]


# -- IncidentTarget ------------------------------------------------------------------------


def _stack_with_named_rule() -> tuple[cdk.Stack, ResponsePlan]:
    stack = new_stack("RuleStack")
    plan = _plan(stack)
    rule = events.Rule(stack, "InstanceStopped", rule_name="instance-stopped", event_pattern=EC2_STATE_CHANGE)
    rule.add_target(IncidentTarget(plan))
    return stack, plan


def test_rule_target_is_the_response_plan_with_a_role():
    stack, _ = _stack_with_named_rule()
    rule = _only(stack, "AWS::Events::Rule")
    (target,) = rule["Properties"]["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": [_plan_logical_id(stack), "Arn"]}
    assert "RoleArn" in target


def _plan_logical_id(stack: cdk.Stack) -> str:
    (lid,) = resources_of(stack, "AWS::SSMIncidents::ResponsePlan")
    return lid


def test_target_role_may_only_start_incidents_of_that_plan():
    stack, _ = _stack_with_named_rule()
    role = _role_of_target(stack, _only(stack, "AWS::Events::Rule"))
    (policy,) = role["Properties"]["Policies"]
    (statement,) = policy["PolicyDocument"]["Statement"]
    assert statement["Action"] == "ssm-incidents:StartIncident"
    assert statement["Effect"] == "Allow"
    assert statement["Resource"] == {"Fn::GetAtt": [_plan_logical_id(stack), "Arn"]}
    # No managed policies, no other statements.
    assert "ManagedPolicyArns" not in role["Properties"]


def test_target_role_trusts_eventbridge_only_for_this_account_and_this_named_rule():
    stack, _ = _stack_with_named_rule()
    role = _role_of_target(stack, _only(stack, "AWS::Events::Rule"))
    (trust,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "events.amazonaws.com"}
    assert trust["Action"] == "sts:AssumeRole"
    assert trust["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    arns = stack.resolve(trust["Condition"]["ArnLike"]["aws:SourceArn"])
    rendered = [a["Fn::Join"][1][-1] for a in arns]
    assert rendered == [":rule/instance-stopped", ":rule/*/instance-stopped"]
    assert all({"Ref": "AWS::Region"} in a["Fn::Join"][1] for a in arns)


def test_imported_rule_is_named_exactly_by_its_arn():
    stack = new_stack()
    plan = _plan(stack)
    arn = "arn:aws:events:us-east-1:111122223333:rule/guardduty-high"
    rule = events.Rule.from_event_rule_arn(stack, "Imported", arn)
    config = IncidentTarget(plan).bind(rule)
    role = Template.from_stack(stack).to_json()["Resources"]
    (role_resource,) = [r for r in role.values() if r["Type"] == "AWS::IAM::Role"]
    (trust,) = role_resource["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Condition"] == {
        "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}, "aws:SourceArn": arn}
    }
    assert config.role is not None


def test_rule_without_a_name_limits_the_role_to_rules_of_the_account_and_region():
    stack = new_stack()
    plan = _plan(stack)
    rule = events.Rule(stack, "Findings", event_pattern=events.EventPattern(source=["aws.guardduty"]))
    rule.add_target(IncidentTarget(plan))
    role = _role_of_target(stack, _only(stack, "AWS::Events::Rule"))
    (trust,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    pattern = trust["Condition"]["ArnLike"]["aws:SourceArn"]["Fn::Join"][1]
    assert pattern[-1] == ":rule/*"
    assert {"Ref": "AWS::AccountId"} in pattern
    assert trust["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}


def test_rule_comes_after_the_owned_plan_through_references_without_a_redundant_depends_on():
    """The target's Arn and the role's policy are GetAtts of the plan: CloudFormation creates the plan,
    then the role, then the rule. An explicit DependsOn on top would be redundant (cfn-lint W3005)."""
    stack, _ = _stack_with_named_rule()
    plan_id = _plan_logical_id(stack)
    rule = _only(stack, "AWS::Events::Rule")
    role = _role_of_target(stack, rule)
    assert "DependsOn" not in rule and "DependsOn" not in role
    (target,) = rule["Properties"]["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": [plan_id, "Arn"]}
    role_id = target["RoleArn"]["Fn::GetAtt"][0]
    assert role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0]["Resource"] == {
        "Fn::GetAtt": [plan_id, "Arn"]
    }
    assert role_id != plan_id


def test_a_template_with_an_incident_target_has_no_cfn_lint_warning(tmp_path: Path):
    app = cdk.App(builtin_cloud_formation_validation=False, outdir=str(tmp_path))
    stack = cdk.Stack(app, "TargetLint")
    plan = _plan(stack)
    events.Rule(stack, "Named", rule_name="instance-stopped", event_pattern=EC2_STATE_CHANGE).add_target(
        IncidentTarget(plan)
    )
    role = iam.Role(stack, "MyRole", assumed_by=iam.ServicePrincipal("events.amazonaws.com"))
    events.Rule(stack, "WithRole", event_pattern=EC2_STATE_CHANGE).add_target(IncidentTarget(plan, role=role))
    template = Path(app.synth().get_stack_by_name("TargetLint").template_full_path)
    assert cfn_lint_findings([template]) == []


def test_bring_your_own_role_gets_the_permission_and_no_role_is_created():
    stack = new_stack()
    plan = _plan(stack)
    role = iam.Role(stack, "MyRole", assumed_by=iam.ServicePrincipal("events.amazonaws.com"))
    rule = events.Rule(stack, "Rule", event_pattern=EC2_STATE_CHANGE)
    rule.add_target(IncidentTarget(plan, role=role))
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::IAM::Role", 1)
    (target,) = _only(stack, "AWS::Events::Rule")["Properties"]["Targets"]
    assert target["RoleArn"]["Fn::GetAtt"][0].startswith("MyRole")
    t.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": [
                    Match.object_like(
                        {
                            "Action": "ssm-incidents:StartIncident",
                            "Resource": {"Fn::GetAtt": [_plan_logical_id(stack), "Arn"]},
                        }
                    )
                ]
            }
        },
    )


def test_imported_response_plan_as_target_uses_its_arn_without_dependency():
    stack = new_stack()
    plan = ResponsePlan.from_response_plan_name(stack, "Existing", "db-outage")
    rule = events.Rule(stack, "Rule", rule_name="db-down", event_pattern=EC2_STATE_CHANGE)
    rule.add_target(IncidentTarget(plan))
    resource = _only(stack, "AWS::Events::Rule")
    (target,) = resource["Properties"]["Targets"]
    assert stack.resolve(target["Arn"])["Fn::Join"][1][-1] == ":response-plan/db-outage"
    assert "DependsOn" not in resource


def test_two_plans_on_one_rule_get_two_roles():
    stack = new_stack()
    rule = events.Rule(stack, "Rule", rule_name="both", event_pattern=EC2_STATE_CHANGE)
    rule.add_target(IncidentTarget(_plan(stack, "PlanA")))
    rule.add_target(IncidentTarget(_plan(stack, "PlanB")))
    Template.from_stack(stack).resource_count_is("AWS::IAM::Role", 2)


def test_target_refuses_something_that_is_not_a_response_plan():
    with pytest.raises(ValidationError, match=r"response_plan 'EC2HighCPU' is not allowed: a ResponsePlan"):
        IncidentTarget("EC2HighCPU")  # type: ignore[arg-type]


# -- SlackChatChannel ------------------------------------------------------------------------


def _chat(stack: cdk.Stack, **kwargs: object) -> SlackChatChannel:
    return SlackChatChannel(
        stack,
        "IncidentChat",
        slack_workspace_id="T012ABCDEFG",
        slack_channel_id="C012ABCDEFG",
        slack_channel_configuration_name="incident-chat",
        **kwargs,  # type: ignore[arg-type]
    )


def test_chat_channel_subscribes_slack_configuration_to_its_topic():
    stack = new_stack()
    _chat(stack)
    config = _only(stack, "AWS::Chatbot::SlackChannelConfiguration")["Properties"]
    (topic_id,) = resources_of(stack, "AWS::SNS::Topic")
    assert config["SnsTopicArns"] == [{"Ref": topic_id}]
    assert config["SlackWorkspaceId"] == "T012ABCDEFG"
    assert config["SlackChannelId"] == "C012ABCDEFG"
    assert config["ConfigurationName"] == "incident-chat"


def test_chat_topic_refuses_publishing_without_tls():
    stack = new_stack()
    _chat(stack)
    statements = _only(stack, "AWS::SNS::TopicPolicy")["Properties"]["PolicyDocument"]["Statement"]
    assert any(
        s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for s in statements
    )


def test_chat_guardrail_is_read_only_not_the_service_default_administrator_access():
    stack = new_stack()
    _chat(stack)
    config = _only(stack, "AWS::Chatbot::SlackChannelConfiguration")["Properties"]
    (guardrail,) = config["GuardrailPolicies"]
    assert guardrail["Fn::Join"][1][-1] == ":iam::aws:policy/ReadOnlyAccess"


def test_chat_role_may_only_read_incident_manager():
    stack = new_stack()
    _chat(stack)
    role = _only(stack, "AWS::IAM::Role")["Properties"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "chatbot.amazonaws.com"}
    (policy,) = role["Policies"]
    (statement,) = policy["PolicyDocument"]["Statement"]
    actions = statement["Action"]
    assert actions and all(a.split(":")[1].startswith(("Get", "List", "Describe")) for a in actions)
    assert {a.split(":")[0] for a in actions} == {"ssm-incidents", "ssm-contacts"}
    assert not any("*" in a for a in actions)  # named one by one: no future actions granted
    assert "ManagedPolicyArns" not in role


def test_chat_role_reads_only_in_sessions_of_its_own_channel_configuration():
    """AWS Chatbot documents no aws:SourceAccount/aws:SourceArn for assuming a channel role (so
    the trust has no condition), but attaches aws:ChatbotSourceArn to every session it starts:
    the role's permissions hold only in sessions of this channel configuration."""
    stack = new_stack()
    _chat(stack)
    role = _only(stack, "AWS::IAM::Role")["Properties"]
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert "Condition" not in trust
    (statement,) = role["Policies"][0]["PolicyDocument"]["Statement"]
    source = statement["Condition"]["ArnLike"]["aws:ChatbotSourceArn"]
    assert source == {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":chatbot::",
                {"Ref": "AWS::AccountId"},
                ":chat-configuration/slack-channel/incident-chat",
            ],
        ]
    }


def test_a_role_given_for_the_channel_is_left_alone():
    stack = new_stack()
    given = iam.Role.from_role_name(stack, "Given", "my-chatbot-role")
    chat = _chat(stack, role=given)
    assert chat.role is given
    assert resources_of(stack, "AWS::IAM::Role") == {}


def test_response_plan_gets_the_chat_topic_and_waits_for_its_policy():
    stack = new_stack()
    plan = _plan(stack)
    _chat(stack, response_plans=[plan])
    (topic_id,) = resources_of(stack, "AWS::SNS::Topic")
    (policy_id,) = resources_of(stack, "AWS::SNS::TopicPolicy")
    resource = _only(stack, "AWS::SSMIncidents::ResponsePlan")
    assert resource["Properties"]["ChatChannel"] == {"ChatbotSns": [{"Ref": topic_id}]}
    assert policy_id in resource["DependsOn"]
    statements = _only(stack, "AWS::SNS::TopicPolicy")["Properties"]["PolicyDocument"]["Statement"]
    assert any(s.get("Principal") == {"Service": "ssm-incidents.amazonaws.com"} for s in statements)


def test_add_response_plan_after_creation_and_refuses_the_same_plan_twice():
    stack = new_stack()
    plan = _plan(stack)
    chat = _chat(stack)
    chat.add_response_plan(plan)
    assert chat.response_plans == [plan]
    with pytest.raises(
        ValidationError, match=r"IncidentChat \(SlackChatChannel\): response_plans 'EC2HighCPU'.*at most once"
    ):
        chat.add_response_plan(plan)


def test_chat_refuses_an_imported_response_plan():
    stack = new_stack()
    chat = _chat(stack)
    imported = ResponsePlan.from_response_plan_name(stack, "Existing", "db-outage")
    with pytest.raises(ValidationError, match=r"response_plans .* a ResponsePlan of this app"):
        chat.add_response_plan(imported)  # type: ignore[arg-type]


def test_encrypted_chat_topic_lets_incident_manager_use_the_key():
    stack = new_stack()
    key = kms.Key(stack, "ChatKey", enable_key_rotation=True)
    _chat(stack, encryption_key=key)
    (key_id,) = resources_of(stack, "AWS::KMS::Key")
    topic = _only(stack, "AWS::SNS::Topic")["Properties"]
    assert topic["KmsMasterKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
    statements = _only(stack, "AWS::KMS::Key")["Properties"]["KeyPolicy"]["Statement"]
    (im,) = [s for s in statements if s.get("Principal") == {"Service": "ssm-incidents.amazonaws.com"}]
    assert set(im["Action"]) == {"kms:GenerateDataKey*", "kms:Decrypt"}
    assert im["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}


def _source_arn_ends(condition: dict) -> list[str]:
    return [arn["Fn::Join"][1][-1] for arn in condition["ArnLikeIfExists"]["aws:SourceArn"]]


def test_the_chat_key_is_for_the_incidents_of_the_channels_plans_only():
    """Each plan given or added later names its incident records and itself as the sources the
    key statement accepts (when Incident Manager sends a source ARN)."""
    stack = new_stack()
    key = kms.Key(stack, "ChatKey", enable_key_rotation=True)
    chat = _chat(stack, encryption_key=key, response_plans=[_plan(stack, "first")])
    chat.add_response_plan(_plan(stack, "second"))
    statements = _only(stack, "AWS::KMS::Key")["Properties"]["KeyPolicy"]["Statement"]
    (im,) = [s for s in statements if s.get("Principal") == {"Service": "ssm-incidents.amazonaws.com"}]
    assert im["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    assert _source_arn_ends(im["Condition"]) == [
        ":incident-record/first/*",
        ":response-plan/first",
        ":incident-record/second/*",
        ":response-plan/second",
    ]
    policy = _only(stack, "AWS::SNS::TopicPolicy")["Properties"]["PolicyDocument"]["Statement"]
    publishers = [s for s in policy if s.get("Principal") == {"Service": "ssm-incidents.amazonaws.com"}]
    assert [_source_arn_ends(s["Condition"]) for s in publishers] == [
        [":incident-record/first/*", ":response-plan/first"],
        [":incident-record/second/*", ":response-plan/second"],
    ]


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("slack_channel_id", "#incidents", "not the channel's #name"),
        ("slack_workspace_id", "t012abc", "upper-case letters and digits"),
        ("slack_channel_configuration_name", "incident chat", "letters, digits, '-' and '_'"),
        ("logging_level", "LOUD", "an aws_chatbot.LoggingLevel: ERROR, INFO or NONE."),
    ],
)
def test_chat_refuses_bad_slack_ids(field: str, value: str, rule: str):
    stack = new_stack()
    kwargs = {
        "slack_workspace_id": "T012ABCDEFG",
        "slack_channel_id": "C012ABCDEFG",
        "slack_channel_configuration_name": "incident-chat",
        field: value,
    }
    with pytest.raises(ValidationError) as error:
        SlackChatChannel(stack, "Chat", **kwargs)
    message = str(error.value)
    assert message.startswith("TestStack/Chat (SlackChatChannel): ")
    assert f"{field} {value!r} is not allowed" in message and rule in message


def test_chat_accepts_tokens_for_slack_ids():
    stack = new_stack()
    workspace = cdk.CfnParameter(stack, "Workspace").value_as_string
    SlackChatChannel(
        stack, "Chat", slack_workspace_id=workspace, slack_channel_id="C1", slack_channel_configuration_name="c"
    )
    config = _only(stack, "AWS::Chatbot::SlackChannelConfiguration")["Properties"]
    assert config["SlackWorkspaceId"] == {"Ref": "Workspace"}


# -- cfn-lint, once for every scenario ----------------------------------------------------------


def test_integration_templates_pass_cfn_lint_without_warnings(tmp_path: Path):
    app = cdk.App(builtin_cloud_formation_validation=False, outdir=str(tmp_path))
    stack = cdk.Stack(app, "IntegrationsLint")
    plan = _plan(stack)
    events.Rule(stack, "Named", rule_name="instance-stopped", event_pattern=EC2_STATE_CHANGE).add_target(
        IncidentTarget(plan)
    )
    events.Rule(stack, "Unnamed", event_pattern=events.EventPattern(source=["aws.guardduty"])).add_target(
        IncidentTarget(plan)
    )
    imported = ResponsePlan.from_response_plan_name(stack, "Existing", "db-outage")
    events.Rule(stack, "ToImported", event_pattern=EC2_STATE_CHANGE).add_target(IncidentTarget(imported))
    key = kms.Key(stack, "ChatKey", enable_key_rotation=True)
    _chat(stack, response_plans=[plan], encryption_key=key)
    assembly = app.synth()
    template = Path(assembly.get_stack_by_name("IntegrationsLint").template_full_path)
    assert cfn_lint_templates([template]) == []
    assert cfn_lint_findings([template]) == []  # no warning either (W3005 was one)


def cfn_lint_findings(paths: list[Path]) -> list[str]:
    """Every cfn-lint finding (errors, warnings and informational), ``support.lint`` keeps errors only."""
    from cfnlint.api import lint_by_config  # type: ignore[import-untyped]
    from cfnlint.config import ManualArgs  # type: ignore[import-untyped]

    config = ManualArgs(templates=[str(p) for p in paths], regions=["us-east-1"])
    return [f"{m.rule.id} {m.message}" for m in lint_by_config(config)]


def test_the_warning_check_is_not_a_no_op(tmp_path: Path):
    """The redundant DependsOn the target used to add is what cfn-lint reports as W3005."""
    app = cdk.App(builtin_cloud_formation_validation=False, outdir=str(tmp_path))
    stack = cdk.Stack(app, "Redundant")
    plan = _plan(stack)
    rule = events.Rule(stack, "Named", rule_name="instance-stopped", event_pattern=EC2_STATE_CHANGE)
    rule.add_target(IncidentTarget(plan))
    rule.node.add_dependency(plan)
    template = Path(app.synth().get_stack_by_name("Redundant").template_full_path)
    assert any(f.startswith("W3005 ") for f in cfn_lint_findings([template]))


# -- SlackChatChannel is a cdk.Resource ------------------------------------------------------------


def test_chat_channel_is_a_resource_whose_default_child_is_the_chatbot_configuration():
    stack = new_stack()
    chat = _chat(stack)
    assert isinstance(chat, cdk.Resource) and chat.stack is stack
    assert chat.node.default_child is chat.resource
    assert isinstance(chat.resource, chatbot.CfnSlackChannelConfiguration) and chat.resource.node.id == "Resource"
    (config_id,) = resources_of(stack, "AWS::Chatbot::SlackChannelConfiguration")
    assert stack.resolve(chat.resource.logical_id) == config_id
    assert stack.resolve(chat.slack_channel_configuration_arn) == {"Ref": config_id}
    role = _only(stack, "AWS::Chatbot::SlackChannelConfiguration")["Properties"]["IamRoleArn"]
    assert role == {"Fn::GetAtt": [stack.resolve(chat.role.node.default_child.logical_id), "Arn"]}


def test_chat_channel_logging_level_and_own_guardrails():
    stack = new_stack()
    guardrail = iam.ManagedPolicy(
        stack, "Guardrail", statements=[iam.PolicyStatement(actions=["ssm-incidents:Get*"], resources=["*"])]
    )
    _chat(stack, logging_level=chatbot.LoggingLevel.ERROR, guardrail_policies=[guardrail])
    config = _only(stack, "AWS::Chatbot::SlackChannelConfiguration")["Properties"]
    assert config["LoggingLevel"] == "ERROR"
    assert config["GuardrailPolicies"] == [{"Ref": stack.resolve(guardrail.node.default_child.logical_id)}]


def test_chat_channel_removal_policy_and_dependencies_reach_the_configuration():
    stack = new_stack()
    chat = _chat(stack)
    chat.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
    other = events.Rule(stack, "Other", event_pattern=EC2_STATE_CHANGE)
    other.node.add_dependency(chat)
    resources = Template.from_stack(stack).to_json()["Resources"]
    config_id = stack.resolve(chat.resource.logical_id)
    assert resources[config_id]["DeletionPolicy"] == "Retain"
    rule_id = stack.resolve(other.node.default_child.logical_id)
    assert config_id in resources[rule_id]["DependsOn"]
