"""ResponsePlan: template, engagements, runbook action, role, topics, PagerDuty, alarm action; a
cdk.Resource whose lists merge index overrides like any L1's."""

from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Match, Template
from support.lint import cfn_lint_templates
from support.stacks import new_stack, resources_of

from incident_constructs import (
    Contact,
    DynamicParameter,
    EscalationPlan,
    EscalationStage,
    Impact,
    IResponsePlan,
    PagerDutyIntegration,
    ResponsePlan,
    Runbook,
    RunbookStep,
    TargetAccount,
    ValidationError,
)
from incident_constructs._validation import Checker
from incident_constructs.response.response_plan import static_runbook_parameters


def _runbook(stack, name="ec2-cpu-util-runbook"):
    return Runbook(stack, "Rb", document_name=name, steps=[RunbookStep.pause("Inspect")])


def _plan_props(stack):
    (plan,) = resources_of(stack, "AWS::SSMIncidents::ResponsePlan").values()
    return plan["Properties"]


def test_incident_template_and_impact():
    stack = new_stack()
    ResponsePlan(
        stack,
        "Plan",
        response_plan_name="EC2HighCPU",
        display_name="EC2 high CPU",
        title="cpu-incident-1",
        impact=Impact.MEDIUM,
        summary="CPU above 85%",
        dedupe_string="cpu",
        incident_tags={"team": "web"},
        tags={"owner": "sre"},
    )
    Template.from_stack(stack).has_resource_properties(
        "AWS::SSMIncidents::ResponsePlan",
        {
            "Name": "EC2HighCPU",
            "DisplayName": "EC2 high CPU",
            "IncidentTemplate": {
                "Title": "cpu-incident-1",
                "Impact": 3,
                "Summary": "CPU above 85%",
                "DedupeString": "cpu",
                "IncidentTags": [{"Key": "team", "Value": "web"}],
            },
            "Tags": [{"Key": "owner", "Value": "sre"}],
        },
    )


def test_impact_values():
    assert [i.value for i in Impact] == [1, 2, 3, 4, 5]
    assert Impact.CRITICAL == 1 and Impact.NO_IMPACT == 5


def test_engagements_and_add_engagement():
    stack = new_stack()
    a = Contact(stack, "A", alias="a")
    a.add_email_channel("mail", "a@example.com")
    esc = EscalationPlan(stack, "Esc", alias="esc", stages=[EscalationStage(contacts=[a])])
    plan = ResponsePlan(stack, "Plan", response_plan_name="p", title="t", impact=Impact.HIGH, engagements=[esc])
    plan.add_engagement(a)
    eng = _plan_props(stack)["Engagements"]
    assert len(eng) == 2
    assert eng[0]["Fn::GetAtt"][0].startswith("Esc") and eng[1]["Fn::GetAtt"][0].startswith("A")
    assert [c.alias for c in plan.engagements] == ["esc", "a"]


def test_runbook_action_with_created_least_privilege_role():
    stack = new_stack()
    rb = _runbook(stack)
    ResponsePlan(stack, "Plan", response_plan_name="EC2HighCPU", title="t", impact=Impact.LOW, runbook=rb)
    props = _plan_props(stack)
    (action,) = props["Actions"]
    auto = action["SsmAutomation"]
    assert auto["DocumentName"] == "ec2-cpu-util-runbook"
    assert auto["TargetAccount"] == "RESPONSE_PLAN_OWNER_ACCOUNT"
    assert auto["DynamicParameters"] == [
        {"Key": "IncidentRecordArn", "Value": {"Variable": "INCIDENT_RECORD_ARN"}},
        {"Key": "InvolvedResources", "Value": {"Variable": "INVOLVED_RESOURCES"}},
    ]
    ((role_id, role),) = resources_of(stack, "AWS::IAM::Role").items()
    assert auto["RoleArn"] == {"Fn::GetAtt": [role_id, "Arn"]}
    (stmt,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert stmt["Principal"] == {"Service": "ssm-incidents.amazonaws.com"}
    assert stmt["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    source_arn = stack.resolve(stmt["Condition"]["ArnLike"]["aws:SourceArn"])
    assert source_arn["Fn::Join"][1][-1] == ":incident-record/EC2HighCPU/*"
    (policy,) = role["Properties"]["Policies"]
    statements = policy["PolicyDocument"]["Statement"]
    assert [s["Action"] for s in statements] == ["ssm:StartAutomationExecution"]
    assert statements[0]["Resource"]["Fn::Join"][1][-1] == ":automation-definition/ec2-cpu-util-runbook:*"


def test_automation_role_is_passed_only_to_ssm():
    stack = new_stack()
    rb = _runbook(stack)
    automation = iam.Role(stack, "AutomationRole", assumed_by=iam.ServicePrincipal("ssm.amazonaws.com"))
    ResponsePlan(
        stack, "Plan", response_plan_name="p", title="t", impact=Impact.LOW, runbook=rb, automation_role=automation
    )
    auto = _plan_props(stack)["Actions"][0]["SsmAutomation"]
    (param,) = auto["Parameters"]
    assert param["Key"] == "AutomationAssumeRole"
    assert param["Values"][0]["Fn::GetAtt"][0].startswith("AutomationRole")
    roles = resources_of(stack, "AWS::IAM::Role")
    runbook_role = next(r for lid, r in roles.items() if lid.startswith("PlanRunbookRole"))
    stmts = runbook_role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    pass_role = next(s for s in stmts if s["Action"] == "iam:PassRole")
    assert pass_role["Condition"] == {"StringEquals": {"iam:PassedToService": "ssm.amazonaws.com"}}


def test_cross_account_runbook_may_assume_the_automation_execution_role():
    stack = new_stack()
    ResponsePlan(
        stack,
        "Plan",
        response_plan_name="p",
        title="t",
        impact=Impact.LOW,
        runbook=_runbook(stack),
        target_account=TargetAccount.IMPACTED_ACCOUNT,
    )
    (role,) = resources_of(stack, "AWS::IAM::Role").values()
    stmts = role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    assume = next(s for s in stmts if s["Action"] == "sts:AssumeRole")
    assert (
        stack.resolve(assume["Resource"])["Fn::Join"][1][-1]
        == ":iam::*:role/AWS-SystemsManager-AutomationExecutionRole"
    )
    assert _plan_props(stack)["Actions"][0]["SsmAutomation"]["TargetAccount"] == "IMPACTED_ACCOUNT"


def test_a_cross_account_runbook_assumes_the_automation_role_only_in_the_accounts_named():
    stack = new_stack()
    plan = ResponsePlan(
        stack,
        "Plan",
        response_plan_name="p",
        title="t",
        impact=Impact.LOW,
        runbook=_runbook(stack),
        target_account=TargetAccount.IMPACTED_ACCOUNT,
        target_accounts=["222222222222", "333333333333", cdk.Aws.ACCOUNT_ID],
    )
    (role,) = resources_of(stack, "AWS::IAM::Role").values()
    stmts = role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    assume = next(s for s in stmts if s["Action"] == "sts:AssumeRole")
    assert [stack.resolve(arn)["Fn::Join"][1][1:] for arn in assume["Resource"]] == [
        [{"Ref": "AWS::Partition"}, ":iam::222222222222:role/AWS-SystemsManager-AutomationExecutionRole"],
        [{"Ref": "AWS::Partition"}, ":iam::333333333333:role/AWS-SystemsManager-AutomationExecutionRole"],
        [
            {"Ref": "AWS::Partition"},
            ":iam::",
            {"Ref": "AWS::AccountId"},
            ":role/AWS-SystemsManager-AutomationExecutionRole",
        ],
    ]
    assert plan.runbook_role is not None


def test_one_account_named_is_one_resource():
    stack = new_stack()
    ResponsePlan(
        stack,
        "Plan",
        response_plan_name="p",
        title="t",
        impact=Impact.LOW,
        runbook=_runbook(stack),
        target_account=TargetAccount.IMPACTED_ACCOUNT,
        target_accounts=("222222222222",),
    )
    (role,) = resources_of(stack, "AWS::IAM::Role").values()
    assume = role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][1]
    assert assume["Resource"]["Fn::Join"][1][-1] == ":iam::222222222222:role/AWS-SystemsManager-AutomationExecutionRole"


@pytest.mark.parametrize(
    ("version", "written", "resource_version"),
    [
        (None, "$LATEST", "*"),
        ("$LATEST", "$LATEST", "*"),
        ("$DEFAULT", "$DEFAULT", "*"),
        ("7", "7", "7"),
        (12, "12", "12"),
    ],
)
def test_the_runbook_document_version_is_written_and_a_pinned_number_narrows_the_role(
    version, written, resource_version
):
    stack = new_stack()
    ResponsePlan(
        stack,
        "Plan",
        response_plan_name="p",
        title="t",
        impact=Impact.LOW,
        runbook=_runbook(stack),
        runbook_document_version=version,
    )
    assert _plan_props(stack)["Actions"][0]["SsmAutomation"]["DocumentVersion"] == written
    (role,) = resources_of(stack, "AWS::IAM::Role").values()
    start = role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0]
    assert start["Resource"]["Fn::Join"][1][-1] == f":automation-definition/ec2-cpu-util-runbook:{resource_version}"


def test_a_version_only_known_at_deploy_time_keeps_every_version_in_the_role():
    stack = new_stack()
    version = cdk.CfnParameter(stack, "Version").value_as_string
    ResponsePlan(
        stack,
        "Plan",
        response_plan_name="p",
        title="t",
        impact=Impact.LOW,
        runbook=_runbook(stack),
        runbook_document_version=version,
    )
    assert _plan_props(stack)["Actions"][0]["SsmAutomation"]["DocumentVersion"] == {"Ref": "Version"}
    (role,) = resources_of(stack, "AWS::IAM::Role").values()
    start = role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0]
    assert start["Resource"]["Fn::Join"][1][-1] == ":automation-definition/ec2-cpu-util-runbook:*"


def test_a_pinned_version_is_written_with_a_role_of_your_own_too():
    stack = new_stack()
    role = iam.Role.from_role_arn(stack, "Mine", "arn:aws:iam::111122223333:role/IncidentRunbook")
    ResponsePlan(
        stack,
        "Plan",
        response_plan_name="p",
        title="t",
        impact=Impact.LOW,
        runbook=_runbook(stack),
        role=role,
        runbook_document_version="$DEFAULT",
    )
    assert _plan_props(stack)["Actions"][0]["SsmAutomation"]["DocumentVersion"] == "$DEFAULT"
    assert resources_of(stack, "AWS::IAM::Role") == {}


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"runbook_document_version": "v2"}, "runbook_document_version 'v2' is not allowed: $DEFAULT, $LATEST"),
        ({"runbook_document_version": "$Latest"}, "runbook_document_version '$Latest' is not allowed"),
        ({"target_accounts": ["222222222222"]}, "only used with target_account=TargetAccount.IMPACTED_ACCOUNT"),
        (
            {"target_account": TargetAccount.IMPACTED_ACCOUNT, "target_accounts": ["1234"]},
            "target_accounts '1234' is not allowed: 12-digit account ids.",
        ),
        (
            {"target_account": TargetAccount.IMPACTED_ACCOUNT, "target_accounts": ["222222222222"] * 2},
            "each account at most once",
        ),
    ],
)
def test_runbook_options_are_checked(kwargs, fragment):
    stack = new_stack()
    with pytest.raises(ValidationError) as caught:
        ResponsePlan(
            stack, "Plan", response_plan_name="p", title="t", impact=Impact.LOW, runbook=_runbook(stack), **kwargs
        )
    assert fragment in str(caught.value) and "TestStack/Plan (ResponsePlan)" in str(caught.value)


def test_bring_your_own_role():
    stack = new_stack()
    role = iam.Role.from_role_arn(stack, "Mine", "arn:aws:iam::111122223333:role/IncidentRunbook")
    plan = ResponsePlan(
        stack, "Plan", response_plan_name="p", title="t", impact=Impact.LOW, runbook=_runbook(stack), role=role
    )
    Template.from_stack(stack).resource_count_is("AWS::IAM::Role", 0)
    assert plan.role is role
    assert (
        _plan_props(stack)["Actions"][0]["SsmAutomation"]["RoleArn"] == "arn:aws:iam::111122223333:role/IncidentRunbook"
    )


def test_static_and_dynamic_parameters_are_checked_against_the_runbook():
    stack = new_stack()
    rb = _runbook(stack)
    with pytest.raises(ValidationError, match="runbook_parameters key 'Nope'.*a parameter the runbook declares"):
        ResponsePlan(
            stack, "P1", response_plan_name="p1", title="t", impact=1, runbook=rb, runbook_parameters={"Nope": "x"}
        )
    with pytest.raises(ValidationError, match="INVOLVED_RESOURCES goes into a StringList parameter"):
        ResponsePlan(
            stack,
            "P2",
            response_plan_name="p2",
            title="t",
            impact=1,
            runbook=rb,
            runbook_dynamic_parameters={"IncidentRecordArn": DynamicParameter.INVOLVED_RESOURCES},
        )
    ResponsePlan(
        stack,
        "P3",
        response_plan_name="p3",
        title="t",
        impact=1,
        runbook=rb,
        runbook_parameters={"IncidentRecordArn": "fixed"},
        runbook_dynamic_parameters={},
    )
    plans = resources_of(stack, "AWS::SSMIncidents::ResponsePlan")
    (p3,) = plans.values()
    assert p3["Properties"]["Actions"][0]["SsmAutomation"]["Parameters"] == [
        {"Key": "IncidentRecordArn", "Values": ["fixed"]}
    ]
    assert "DynamicParameters" not in p3["Properties"]["Actions"][0]["SsmAutomation"]


def test_topics_get_a_policy_for_ssm_incidents_and_the_plan_waits_for_it():
    stack = new_stack()
    topic = sns.Topic(stack, "Notify")
    chat = sns.Topic(stack, "Chat")
    plan = ResponsePlan(
        stack,
        "Plan",
        response_plan_name="p",
        title="t",
        impact=Impact.LOW,
        notification_topics=[topic],
        chat_channel_topics=[chat],
    )
    t = Template.from_stack(stack)
    props = _plan_props(stack)
    (target,) = props["IncidentTemplate"]["NotificationTargets"]
    assert target["SnsTopicArn"]["Ref"].startswith("Notify")
    assert props["ChatChannel"]["ChatbotSns"][0]["Ref"].startswith("Chat")
    t.resource_count_is("AWS::SNS::TopicPolicy", 2)
    t.has_resource_properties(
        "AWS::SNS::TopicPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Action": "sns:Publish",
                                "Principal": {"Service": "ssm-incidents.amazonaws.com"},
                                "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
                            }
                        )
                    ]
                )
            }
        },
    )
    for policy in resources_of(stack, "AWS::SNS::TopicPolicy").values():
        (publish,) = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Action"] == "sns:Publish"]
        assert _incident_sources(publish) == [":incident-record/p/*", ":response-plan/p"]
    (plan_res,) = resources_of(stack, "AWS::SSMIncidents::ResponsePlan").values()
    policies = list(resources_of(stack, "AWS::SNS::TopicPolicy"))
    assert set(policies) <= set(plan_res["DependsOn"])
    assert plan.response_plan_name == "p"


def _incident_sources(statement):
    """The ends of the aws:SourceArn values a statement for ssm-incidents accepts, when sent."""
    condition = statement["Condition"]
    assert condition["StringEquals"]["aws:SourceAccount"] == {"Ref": "AWS::AccountId"}
    return [arn["Fn::Join"][1][-1] for arn in condition["ArnLikeIfExists"]["aws:SourceArn"]]


def test_topic_limits():
    stack = new_stack()
    topics = [sns.Topic(stack, f"T{i}") for i in range(11)]
    with pytest.raises(ValidationError, match="at most 10 notification topics"):
        ResponsePlan(stack, "Plan", response_plan_name="p", title="t", impact=1, notification_topics=topics)
    with pytest.raises(ValidationError, match="at most 5 chat channel topics"):
        ResponsePlan(stack, "Plan2", response_plan_name="p2", title="t", impact=1, chat_channel_topics=topics[:6])


def test_pager_duty_needs_a_customer_managed_key_and_gets_read_access():
    stack = new_stack()
    plain = secretsmanager.Secret(stack, "Plain")
    with pytest.raises(ValidationError, match="customer managed key"):
        ResponsePlan(
            stack,
            "P1",
            response_plan_name="p1",
            title="t",
            impact=1,
            pager_duty=PagerDutyIntegration(name="pd", secret=plain, service_id="SVC1"),
        )
    key = kms.Key(stack, "Key", enable_key_rotation=True)
    secret = secretsmanager.Secret(stack, "Pd", encryption_key=key)
    ResponsePlan(
        stack,
        "P2",
        response_plan_name="p2",
        title="t",
        impact=1,
        pager_duty=PagerDutyIntegration(name="pd", secret=secret, service_id="SVC1"),
    )
    t = Template.from_stack(stack)
    props = _plan_props(stack)
    assert props["Integrations"][0]["PagerDutyConfiguration"]["PagerDutyIncidentConfiguration"] == {"ServiceId": "SVC1"}
    t.has_resource_properties(
        "AWS::SecretsManager::ResourcePolicy",
        {
            "ResourcePolicy": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Principal": {"Service": "ssm-incidents.amazonaws.com"},
                                "Action": Match.array_with(["secretsmanager:GetSecretValue"]),
                            }
                        )
                    ]
                )
            }
        },
    )
    (policy,) = resources_of(stack, "AWS::SecretsManager::ResourcePolicy").values()
    (read,) = policy["Properties"]["ResourcePolicy"]["Statement"]
    assert _incident_sources(read) == [":incident-record/p2/*", ":response-plan/p2"]


def test_alarm_action_starts_the_plan_and_the_alarm_waits_for_it():
    stack = new_stack()
    plan = ResponsePlan(stack, "Plan", response_plan_name="EC2HighCPU", title="t", impact=Impact.MEDIUM)
    alarm = cloudwatch.Alarm(
        stack,
        "Alarm",
        metric=cloudwatch.Metric(namespace="AWS/EC2", metric_name="CPUUtilization"),
        threshold=85,
        evaluation_periods=1,
    )
    alarm.add_alarm_action(plan.alarm_action())
    (alarm_res,) = resources_of(stack, "AWS::CloudWatch::Alarm").values()
    arn = stack.resolve(alarm_res["Properties"]["AlarmActions"][0])["Fn::Join"][1]
    assert arn[2] == ":ssm-incidents::" and arn[-1] == ":response-plan/EC2HighCPU"
    assert any(d.startswith("Plan") for d in alarm_res["DependsOn"])


def test_imported_plan_alarm_action():
    stack = new_stack()
    plan = ResponsePlan.from_response_plan_arn(stack, "P", "arn:aws:ssm-incidents::111122223333:response-plan/Web")
    assert plan.response_plan_name == "Web"
    alarm = cloudwatch.Alarm(
        stack,
        "Alarm",
        metric=cloudwatch.Metric(namespace="AWS/EC2", metric_name="CPUUtilization"),
        threshold=85,
        evaluation_periods=1,
    )
    alarm.add_alarm_action(plan.alarm_action())
    (alarm_res,) = resources_of(stack, "AWS::CloudWatch::Alarm").values()
    # The plan's own ARN: it names the account that owns the plan (a shared plan's is not the alarm's).
    assert alarm_res["Properties"]["AlarmActions"] == ["arn:aws:ssm-incidents::111122223333:response-plan/Web"]
    with pytest.raises(ValidationError, match="response_plan_arn"):
        ResponsePlan.from_response_plan_arn(stack, "Q", "arn:aws:sns:us-east-1:111122223333:topic")


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"response_plan_name": "has space"}, "response_plan_name 'has space'"),
        ({"response_plan_name": "x" * 201}, "length must be 1 to 200"),
        ({"title": ""}, "title '' is not allowed"),
        ({"title": "t" * 201}, "title"),
        ({"impact": 6}, "impact 6 is not allowed"),
        ({"impact": 0}, "impact 0"),
        ({"impact": True}, "impact True is not allowed: an Impact"),
        ({"impact": 3.0}, "impact 3.0 is not allowed: an Impact"),
        ({"impact": "3"}, "impact '3' is not allowed: an Impact"),
        ({"summary": "s" * 4001}, "summary"),
        ({"dedupe_string": "d" * 1001}, "dedupe_string"),
        ({"display_name": "n" * 201}, "display_name"),
        ({"incident_tags": {f"k{i}": "v" for i in range(51)}}, "at most 50 tags"),
        ({"tags": {"aws:reserved": "v"}}, "reserved by AWS"),
        ({"target_account": "SOMEONE_ELSE"}, "target_account"),
    ],
)
def test_response_plan_rules(kwargs, fragment):
    stack = new_stack()
    args = {"response_plan_name": "p", "title": "t", "impact": Impact.LOW, **kwargs}
    with pytest.raises(ValidationError) as info:
        ResponsePlan(stack, "Plan", **args)
    assert fragment in str(info.value) and "TestStack/Plan (ResponsePlan)" in str(info.value)


def test_engagement_rules():
    stack = new_stack()
    contacts = [Contact(stack, f"C{i}", alias=f"c{i}") for i in range(6)]
    with pytest.raises(ValidationError, match="at most 5 engagements"):
        ResponsePlan(stack, "P1", response_plan_name="p1", title="t", impact=1, engagements=contacts)
    with pytest.raises(ValidationError, match="each contact at most once"):
        ResponsePlan(stack, "P2", response_plan_name="p2", title="t", impact=1, engagements=[contacts[0], contacts[0]])
    with pytest.raises(ValidationError, match="a contact"):
        ResponsePlan(stack, "P3", response_plan_name="p3", title="t", impact=1, engagements=["arn:aws:ssm-contacts:x"])


def test_role_without_runbook_is_refused_and_names_are_unique():
    stack = new_stack()
    role = iam.Role.from_role_arn(stack, "R", "arn:aws:iam::111122223333:role/X")
    with pytest.raises(ValidationError, match="give runbook= too"):
        ResponsePlan(stack, "P1", response_plan_name="p1", title="t", impact=1, role=role)
    ResponsePlan(stack, "P2", response_plan_name="same", title="t", impact=1)
    with pytest.raises(ValidationError, match="response_plan_name 'same'.*unique"):
        ResponsePlan(stack, "P3", response_plan_name="same", title="t", impact=1)


def test_tokens_pass_unchecked():
    stack = new_stack()
    name = cdk.CfnParameter(stack, "Name").value_as_string
    ResponsePlan(
        stack, "Plan", response_plan_name=name, title=cdk.CfnParameter(stack, "Title").value_as_string, impact=1
    )
    assert _plan_props(stack)["Name"] == {"Ref": "Name"}


def test_created_role_accepts_grants_through_plan_role():
    stack = new_stack()
    plan = ResponsePlan(stack, "Plan", response_plan_name="p", title="t", impact=Impact.LOW, runbook=_runbook(stack))
    assert plan.runbook_role is not None
    plan.role.add_to_principal_policy(iam.PolicyStatement(actions=["ec2:DescribeInstances"], resources=["*"]))
    (policy,) = resources_of(stack, "AWS::IAM::Policy").values()
    (role_id,) = resources_of(stack, "AWS::IAM::Role")
    assert role_id in str(policy["Properties"]["Roles"])
    assert policy["Properties"]["PolicyDocument"]["Statement"][0]["Action"] == "ec2:DescribeInstances"


def test_without_runbook_there_is_no_role():
    stack = new_stack()
    plan = ResponsePlan(stack, "Plan", response_plan_name="p", title="t", impact=Impact.LOW)
    assert plan.role is None and plan.runbook_role is None
    Template.from_stack(stack).resource_count_is("AWS::IAM::Role", 0)


# -- a cdk.Resource, like aws-cdk-lib's constructs ---------------------------------------------------


def test_plan_is_a_resource_whose_default_child_is_its_l1():
    stack = new_stack()
    plan = ResponsePlan(stack, "Plan", response_plan_name="p", title="t", impact=Impact.LOW)
    assert isinstance(plan, cdk.Resource) and isinstance(plan, IResponsePlan)
    assert plan.node.default_child is plan.resource
    assert isinstance(plan.resource, cdk.aws_ssmincidents.CfnResponsePlan) and plan.resource.node.id == "Resource"
    assert plan.stack is stack
    assert stack.resolve(plan.response_plan_arn) == {"Fn::GetAtt": [stack.resolve(plan.resource.logical_id), "Arn"]}


def _plan_with_lists(stack: cdk.Stack) -> ResponsePlan:
    """A plan whose three add_* lists have two items each, the second added after construction."""
    alice, bob = Contact(stack, "Alice", alias="alice"), Contact(stack, "Bob", alias="bob")
    for person in (alice, bob):
        person.add_email_channel("mail", f"{person.alias}@example.com")
    plan = ResponsePlan(
        stack,
        "Plan",
        response_plan_name="p",
        title="t",
        impact=Impact.LOW,
        engagements=[alice],
        notification_topics=[sns.Topic(stack, "Notify1")],
        chat_channel_topics=[sns.Topic(stack, "Chat1")],
    )
    plan.add_engagement(bob)
    plan.add_notification_topic(sns.Topic(stack, "Notify2"))
    plan.add_chat_channel_topic(sns.Topic(stack, "Chat2"))
    return plan


def test_index_overrides_merge_into_the_lists_add_methods_extend():
    stack = new_stack()
    plan = _plan_with_lists(stack)
    plan.resource.add_property_override("Engagements.0", "arn:aws:ssm-contacts:us-east-1:111122223333:contact/x")
    plan.resource.add_property_override(
        "IncidentTemplate.NotificationTargets.1.SnsTopicArn", "arn:aws:sns:us-east-1:111122223333:n"
    )
    plan.resource.add_property_override("ChatChannel.ChatbotSns.0", "arn:aws:sns:us-east-1:111122223333:c")
    props = _plan_props(stack)
    assert props["Engagements"][0] == "arn:aws:ssm-contacts:us-east-1:111122223333:contact/x"
    assert props["Engagements"][1]["Fn::GetAtt"][0].startswith("Bob") and len(props["Engagements"]) == 2
    targets = props["IncidentTemplate"]["NotificationTargets"]
    assert targets[0]["SnsTopicArn"]["Ref"].startswith("Notify1")
    assert targets[1] == {"SnsTopicArn": "arn:aws:sns:us-east-1:111122223333:n"}
    chat = props["ChatChannel"]["ChatbotSns"]
    assert chat[0] == "arn:aws:sns:us-east-1:111122223333:c" and chat[1]["Ref"].startswith("Chat2")
    # the rest of the template is untouched
    assert props["IncidentTemplate"]["Title"] == "t" and props["IncidentTemplate"]["Impact"] == 4


def test_empty_lists_are_left_out_of_the_template():
    stack = new_stack()
    ResponsePlan(stack, "Plan", response_plan_name="p", title="t", impact=Impact.LOW)
    props = _plan_props(stack)
    assert "Engagements" not in props and "ChatChannel" not in props
    assert "NotificationTargets" not in props["IncidentTemplate"]


def test_node_add_dependency_writes_depends_on_both_ways():
    stack = new_stack()
    plan = ResponsePlan(stack, "Plan", response_plan_name="p", title="t", impact=Impact.LOW)
    before = sns.Topic(stack, "Before")
    after = sns.Topic(stack, "After")
    plan.node.add_dependency(before)
    after.node.add_dependency(plan)
    resources = Template.from_stack(stack).to_json()["Resources"]
    (plan_id,) = resources_of(stack, "AWS::SSMIncidents::ResponsePlan")
    before_id = stack.resolve(before.node.default_child.logical_id)
    after_id = stack.resolve(after.node.default_child.logical_id)
    assert resources[plan_id]["DependsOn"] == [before_id]
    assert resources[after_id]["DependsOn"] == [plan_id]


def test_apply_removal_policy_and_retain_by_default():
    stack = new_stack()
    plan = ResponsePlan(stack, "Plan", response_plan_name="p", title="t", impact=Impact.LOW)
    other = ResponsePlan(stack, "Other", response_plan_name="o", title="t", impact=Impact.LOW)
    other.apply_removal_policy(cdk.RemovalPolicy.DESTROY)
    resources = Template.from_stack(stack).to_json()["Resources"]
    assert resources[stack.resolve(plan.resource.logical_id)]["DeletionPolicy"] == "Retain"
    assert resources[stack.resolve(other.resource.logical_id)]["DeletionPolicy"] == "Delete"


def test_imports_are_resources_with_the_environment_of_their_arn():
    stack = new_stack(env=cdk.Environment(account="444455556666", region="eu-west-1"))
    by_arn = ResponsePlan.from_response_plan_arn(
        stack, "ByArn", "arn:aws:ssm-incidents::111122223333:response-plan/Web"
    )
    by_name = ResponsePlan.from_response_plan_name(stack, "ByName", "Web")
    for imported in (by_arn, by_name):
        assert isinstance(imported, IResponsePlan) and isinstance(imported, cdk.Resource)
        assert not isinstance(imported, ResponsePlan) and imported.stack is stack
        assert imported.response_plan_name == "Web"
    assert by_arn.env.account == "111122223333"
    assert by_name.env.account == "444455556666"
    token = cdk.CfnParameter(stack, "PlanArn").value_as_string
    by_token = ResponsePlan.from_response_plan_arn(stack, "ByToken", token)
    assert by_token.env.account == "444455556666" and by_token.response_plan_arn == token
    assert stack.resolve(by_token.response_plan_name) == {"Fn::Select": [1, {"Fn::Split": ["/", {"Ref": "PlanArn"}]}]}


# -- runbook parameters: the stricter of the CloudFormation schema and the API --------------------


def _plan_with_parameters(stack: cdk.Stack, parameters: object) -> ResponsePlan:
    return ResponsePlan(
        stack,
        "Plan",
        response_plan_name="p",
        title="t",
        impact=Impact.LOW,
        runbook=Runbook.from_document_name(stack, "Rb", "shared-runbook"),
        runbook_parameters=parameters,
    )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "parameters, message",
    [
        ({"N": 5}, "runbook_parameters['N'] 5 is not allowed: a string or a list of strings."),
        ({"N": None}, "runbook_parameters['N'] None is not allowed: a string or a list of strings."),
        ({"N": b"x"}, "runbook_parameters['N'] b'x' is not allowed: a string or a list of strings."),
        ({"N": ["a", 5]}, "runbook_parameters['N'] value 5 is not allowed: a string is required."),
        ({"N": []}, "runbook_parameters['N'] [] is not allowed: 1 to 10 values (CloudFormation's limit)."),
        ({"N": [str(i) for i in range(11)]}, "is not allowed: 1 to 10 values (CloudFormation's limit)."),
        ({"N": ["a", "a"]}, "runbook_parameters['N'] ['a', 'a'] is not allowed: each value at most once."),
        ({"N": "v" * 513}, "length must be 0 to 512 characters (got 513)"),
        ({"k" * 51: "x"}, "runbook_parameters key 'kkkk"),
        ({"": "x"}, "runbook_parameters key '' is not allowed"),
        ({5: "x"}, "runbook_parameters key 5 is not allowed: a string is required."),
        ({f"K{i}": "x" for i in range(201)}, "runbook_parameters '201 keys' is not allowed: at most 200 parameters."),
        (["N", "x"], "runbook_parameters ['N', 'x'] is not allowed: a mapping"),
    ],
)
def test_runbook_parameters_are_checked_with_a_clear_message(parameters, message):
    stack = new_stack()
    with pytest.raises(ValidationError) as error:
        _plan_with_parameters(stack, parameters)
    assert message in str(error.value) and str(error.value).startswith("TestStack/Plan (ResponsePlan): ")


def test_runbook_parameters_at_the_limits_pass_and_cfn_lint_accepts_them(tmp_path: Path):
    app = cdk.App(builtin_cloud_formation_validation=False, outdir=str(tmp_path))
    stack = cdk.Stack(app, "Limits")
    # 200 keys of 50 characters; one key with 10 values of 512 characters (a whole template of
    # those would pass the 1 MB a template may have).
    parameters: dict[str, object] = {f"K{i:03d}" + "k" * 46: f"value {i}" for i in range(200)}
    parameters["K000" + "k" * 46] = [f"{j}" + "v" * 511 for j in range(10)]
    assert all(len(k) == 50 for k in parameters)
    _plan_with_parameters(stack, parameters)
    artifact = app.synth().get_stack_by_name("Limits")
    (plan,) = [r for r in artifact.template["Resources"].values() if r["Type"] == "AWS::SSMIncidents::ResponsePlan"]
    rendered = plan["Properties"]["Actions"][0]["SsmAutomation"]["Parameters"]
    assert len(rendered) == 200 and len(rendered[0]["Values"]) == 10 and len(rendered[0]["Values"][9]) == 512
    assert cfn_lint_templates([Path(artifact.template_full_path)]) == []


def test_a_list_token_passes_as_the_values_of_a_parameter():
    stack = new_stack()
    values = cdk.CfnParameter(stack, "Values", type="CommaDelimitedList").value_as_list
    _plan_with_parameters(stack, {"InstanceIds": values, "Region": "us-east-1"})
    (first, second) = _plan_props(stack)["Actions"][0]["SsmAutomation"]["Parameters"]
    assert first == {"Key": "InstanceIds", "Values": {"Ref": "Values"}}
    assert second == {"Key": "Region", "Values": ["us-east-1"]}


def test_static_runbook_parameters_is_a_pure_check():
    checker = Checker("Somewhere", "ResponsePlan")
    given = {"One": "a", "Many": ("b", "c")}
    assert static_runbook_parameters(checker, given, None) == {"One": ["a"], "Many": ["b", "c"]}
    assert given == {"One": "a", "Many": ("b", "c")}  # nothing changed
    assert static_runbook_parameters(checker, {"One": "a"}, {"One": "String"}) == {"One": ["a"]}
    with pytest.raises(
        ValidationError, match=r"^Somewhere \(ResponsePlan\): runbook_parameters key 'Two' .* declares: \['One'\]"
    ):
        static_runbook_parameters(checker, {"Two": "a"}, {"One": "String"})


def test_dynamic_parameter_keys_are_checked():
    stack = new_stack()
    with pytest.raises(ValidationError, match="runbook_dynamic_parameters key 'kkkk"):
        ResponsePlan(
            stack,
            "Plan",
            response_plan_name="p",
            title="t",
            impact=Impact.LOW,
            runbook=Runbook.from_document_name(stack, "Rb", "shared-runbook"),
            runbook_dynamic_parameters={"k" * 51: DynamicParameter.INCIDENT_RECORD_ARN},
        )


def test_a_failed_check_leaves_no_runbook_role_behind():
    stack = new_stack()
    with pytest.raises(ValidationError):
        _plan_with_parameters(stack, {"N": 5})
    Template.from_stack(stack).resource_count_is("AWS::IAM::Role", 0)


def test_plan_with_every_list_and_overrides_passes_cfn_lint(tmp_path: Path):
    app = cdk.App(builtin_cloud_formation_validation=False, outdir=str(tmp_path))
    stack = cdk.Stack(app, "Lists")
    plan = _plan_with_lists(stack)
    plan.resource.add_property_override(
        "IncidentTemplate.NotificationTargets.1.SnsTopicArn", "arn:aws:sns:us-east-1:111122223333:n"
    )
    template = Path(app.synth().get_stack_by_name("Lists").template_full_path)
    assert cfn_lint_templates([template]) == []
