"""Integrations: EventBridge rules that start incidents, and Slack chat channels for response plans."""

from __future__ import annotations

from typing import Optional, Sequence

import aws_cdk as cdk
import jsii
from aws_cdk import aws_chatbot as chatbot
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct

from ._validation import Checker, check_scope_and_id, is_token
from .response_plan import IResponsePlan, ResponsePlan
from .roles import SSM_INCIDENTS_PRINCIPAL

__all__ = ["IncidentTarget", "SlackChatChannel", "EVENTS_PRINCIPAL", "CHATBOT_PRINCIPAL"]

EVENTS_PRINCIPAL = "events.amazonaws.com"
CHATBOT_PRINCIPAL = "chatbot.amazonaws.com"


@jsii.implements(events.IRuleTarget)
class IncidentTarget:
    """An EventBridge rule target that starts an incident from a response plan.

    Use it like any target of ``aws_cdk.aws_events_targets``::

        rule = events.Rule(stack, "InstanceStopped", rule_name="instance-stopped",
                           event_pattern=events.EventPattern(source=["aws.ec2"], ...))
        rule.add_target(IncidentTarget(response_plan))

    Unless ``role`` is given, a role is created as a child of the rule (construct id
    ``StartIncident<8 characters of the plan's address>``) that:

    * trusts ``events.amazonaws.com`` only for this account (``aws:SourceAccount``) and only for
      this rule (``aws:SourceArn``);
    * may call ``ssm-incidents:StartIncident`` on this response plan's ARN and nothing else.

    About ``aws:SourceArn``: a rule of this app whose name CloudFormation generates cannot be named
    in its own role's trust policy (the role would depend on the rule and the rule on the role, a
    circular dependency). Give the rule a ``rule_name`` and the condition names exactly that rule
    (``rule/<name>`` on the default bus or ``rule/<bus>/<name>`` on another bus); without a name it
    allows any rule of the account in the rule's region (``rule/*``). An imported rule is named by
    its ARN.

    :param response_plan: the plan incidents are started from (owned or imported). The rule's target
        (and the created role's policy) reference the plan's ``Arn``, so CloudFormation creates an
        owned plan before the rule without an explicit ``DependsOn`` (one would be redundant: cfn-lint
        W3005).
    :param role: an existing role for EventBridge to assume. Default: a role is created as described.
        A role created in this app also gets the ``StartIncident`` permission; an imported role must
        already have it.
    """

    def __init__(self, response_plan: IResponsePlan, *, role: Optional[iam.IRole] = None) -> None:
        checker = Checker("IncidentTarget", "IncidentTarget")
        if not isinstance(response_plan, IResponsePlan):
            checker.fail("response_plan", response_plan, "a ResponsePlan or an imported response plan (IResponsePlan).")
        if role is not None and not hasattr(role, "role_arn"):
            checker.fail("role", role, "an aws_iam.IRole.")
        self.response_plan = response_plan
        self._role = role

    def bind(self, rule: events.IRule, id: Optional[str] = None) -> events.RuleTargetConfig:
        """Called by ``rule.add_target``: return the target configuration (ARN and role)."""
        plan = self.response_plan
        statement = iam.PolicyStatement(
            sid="StartIncident",
            actions=["ssm-incidents:StartIncident"],
            resources=[plan.response_plan_arn],
        )
        role = self._role
        if role is None:
            suffix = plan.node.addr[:8] if isinstance(plan, Construct) else "Plan"
            # An imported rule reaches Python as a jsii proxy, which cannot be a scope:
            # its role then goes next to it.
            scope, role_id = (rule, "") if isinstance(rule, Construct) else (rule.node.scope, rule.node.id)
            role = iam.Role(
                scope,  # type: ignore[arg-type]
                f"{role_id}StartIncident{suffix}",
                assumed_by=iam.ServicePrincipal(EVENTS_PRINCIPAL, conditions=rule_source_conditions(rule)),
                description=f"Lets EventBridge start incidents of response plan {plan.response_plan_name}",
                inline_policies={"StartIncident": iam.PolicyDocument(statements=[statement])},
            )
        else:
            role.add_to_principal_policy(statement)
        # No rule.node.add_dependency(plan): the target's Arn is a reference to the plan (GetAtt, or
        # an import from the plan's stack), which already orders the rule after the plan.
        return events.RuleTargetConfig(arn=plan.response_plan_arn, role=role)


def rule_source_conditions(rule: events.IRule) -> dict[str, dict[str, object]]:
    """The confused-deputy conditions of a role that EventBridge assumes for ``rule``."""
    stack = cdk.Stack.of(rule)
    account: dict[str, object] = {"aws:SourceAccount": cdk.Aws.ACCOUNT_ID}
    arn = rule.rule_arn
    if not is_token(arn):
        return {"StringEquals": {**account, "aws:SourceArn": arn}}
    name: Optional[str] = rule.rule_name
    if is_token(name):
        # An owned rule's rule_name is a reference even when the rule has a physical name.
        default_child = rule.node.default_child
        name = default_child.name if isinstance(default_child, events.CfnRule) else None
    if name is not None and not is_token(name):
        base = f"arn:{cdk.Aws.PARTITION}:events:{stack.region}:{stack.account}:rule"
        return {"StringEquals": account, "ArnLike": {"aws:SourceArn": [f"{base}/{name}", f"{base}/*/{name}"]}}
    return {
        "StringEquals": account,
        "ArnLike": {"aws:SourceArn": f"arn:{cdk.Aws.PARTITION}:events:{stack.region}:{stack.account}:rule/*"},
    }


#: What the chat channel's role may do when nobody gives one: read Incident Manager's
#: incidents, plans and contacts, so that responders can look them up from the channel.
#: Named one by one (no ``Get*``), so that actions the services add later are not granted.
CHAT_READ_ONLY_ACTIONS = [
    "ssm-incidents:GetIncidentRecord",
    "ssm-incidents:GetResponsePlan",
    "ssm-incidents:GetTimelineEvent",
    "ssm-incidents:ListIncidentRecords",
    "ssm-incidents:ListRelatedItems",
    "ssm-incidents:ListResponsePlans",
    "ssm-incidents:ListTimelineEvents",
    "ssm-contacts:DescribeEngagement",
    "ssm-contacts:DescribePage",
    "ssm-contacts:GetContact",
    "ssm-contacts:ListContacts",
    "ssm-contacts:ListEngagements",
    "ssm-contacts:ListPagesByContact",
    "ssm-contacts:ListPagesByEngagement",
    "ssm-contacts:ListRotations",
    "ssm-contacts:ListRotationShifts",
]


class SlackChatChannel(cdk.Resource):
    """A Slack channel where Incident Manager posts incident updates, through AWS Chatbot.

    Creates the SNS topic (``Topic``) that response plans publish to and the AWS Chatbot Slack
    channel configuration ``AWS::Chatbot::SlackChannelConfiguration`` (construct id ``Resource``,
    :attr:`resource`, ``node.default_child``) subscribed to it. The Slack workspace must have been
    authorised for AWS Chatbot once, in the console, before the stack is deployed.

    * The topic refuses publishing without TLS (``enforce_ssl``). It is encrypted only when
      ``encryption_key`` is given: Incident Manager cannot publish to a topic encrypted with the AWS
      managed key ``alias/aws/sns``, so a customer managed key it may use is the only choice; the key
      policy of an owned key gets a statement letting ``ssm-incidents.amazonaws.com`` (this account
      only) call ``kms:GenerateDataKey*`` and ``kms:Decrypt``. Chatbot needs nothing from the key:
      SNS decrypts before delivering.
    * Each response plan given (or added with :meth:`add_response_plan`) gets the topic as its chat
      channel; the response plan adds the topic policy that lets ssm-incidents publish.
    * The channel role (``role``) may only read Incident Manager (incidents, response plans,
      contacts, engagements, rotations: :data:`CHAT_READ_ONLY_ACTIONS`, on ``*`` because the
      ``List`` actions take no resource; cdk-nag reports it as AwsSolutions-IAM5); the channel's
      guardrail is ``ReadOnlyAccess`` (without one the service applies ``AdministratorAccess``).

    :param slack_workspace_id: the Slack workspace (team) id, like ``T012ABCDEFG``.
    :param slack_channel_id: the Slack channel id, like ``C012ABCDEFG`` (in Slack: channel details).
    :param slack_channel_configuration_name: the Chatbot configuration's name, 1-128 characters of
        letters, digits, ``-`` and ``_``.
    :param response_plans: response plans that post to this channel. Default: none.
    :param encryption_key: a customer managed key for the topic. Default: not encrypted.
    :param role: the channel role AWS Chatbot assumes. Default: a role with Incident Manager read access.
    :param guardrail_policies: the channel guardrails. Default: the AWS managed ``ReadOnlyAccess``.
    :param logging_level: Chatbot's logging to CloudWatch Logs. Default: the service's (``NONE``).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        slack_workspace_id: str,
        slack_channel_id: str,
        slack_channel_configuration_name: str,
        response_plans: Optional[Sequence[ResponsePlan]] = None,
        encryption_key: Optional[kms.IKey] = None,
        role: Optional[iam.IRole] = None,
        guardrail_policies: Optional[Sequence[iam.IManagedPolicy]] = None,
        logging_level: Optional[chatbot.LoggingLevel] = None,
    ) -> None:
        check_scope_and_id("SlackChatChannel", scope, id)
        super().__init__(scope, id)
        checker = Checker(self, "SlackChatChannel")
        self._checker = checker
        checker.string(
            "slack_workspace_id",
            slack_workspace_id,
            max_len=255,
            pattern=r"[0-9A-Z]+",
            pattern_text="a Slack workspace id: upper-case letters and digits, like 'T012ABCDEFG'.",
        )
        checker.string(
            "slack_channel_id",
            slack_channel_id,
            max_len=256,
            pattern=r"[A-Za-z0-9]+",
            pattern_text="a Slack channel id: letters and digits, like 'C012ABCDEFG' (not the channel's #name).",
        )
        checker.string(
            "slack_channel_configuration_name",
            slack_channel_configuration_name,
            max_len=128,
            pattern=r"[A-Za-z0-9\-_]+",
            pattern_text="1-128 characters of letters, digits, '-' and '_'.",
        )
        if encryption_key is not None and not hasattr(encryption_key, "key_arn"):
            checker.fail("encryption_key", encryption_key, "an aws_kms.IKey (a customer managed key).")
        if role is not None and not (hasattr(role, "role_arn") and hasattr(role, "grant")):
            checker.fail("role", role, "an aws_iam.IRole (iam.Role, or iam.Role.from_role_arn for an existing role).")
        if guardrail_policies is not None:
            if not isinstance(guardrail_policies, (list, tuple)):
                checker.fail("guardrail_policies", guardrail_policies, "a list of aws_iam.IManagedPolicy.")
            for policy in guardrail_policies:
                if not hasattr(policy, "managed_policy_arn"):
                    checker.fail(
                        "guardrail_policies",
                        policy,
                        "aws_iam.IManagedPolicy objects, like iam.ManagedPolicy.from_aws_managed_policy_name('ReadOnlyAccess').",
                    )
        if response_plans is not None and not isinstance(response_plans, (list, tuple)):
            checker.fail("response_plans", response_plans, "a list of ResponsePlan.")
        level: Optional[str] = None
        if logging_level is not None:
            try:
                level = chatbot.LoggingLevel(logging_level).value
            except ValueError:
                checker.fail("logging_level", logging_level, "an aws_chatbot.LoggingLevel: ERROR, INFO or NONE.")
        #: The SNS topic response plans publish to (construct id ``Topic``).
        self.topic = sns.Topic(
            self,
            "Topic",
            # SNS display names hold at most 100 characters; the configuration name up to 128.
            display_name=f"Incident Manager chat {slack_channel_configuration_name}"[:100],
            enforce_ssl=True,
            master_key=encryption_key,
        )
        if encryption_key is not None:
            encryption_key.add_to_resource_policy(
                iam.PolicyStatement(
                    sid="IncidentManagerPublishToChatTopic",
                    actions=["kms:GenerateDataKey*", "kms:Decrypt"],
                    principals=[iam.ServicePrincipal(SSM_INCIDENTS_PRINCIPAL)],
                    resources=["*"],
                    conditions={"StringEquals": {"aws:SourceAccount": cdk.Aws.ACCOUNT_ID}},
                )
            )
        if role is None:
            role = iam.Role(
                self,
                "Role",
                assumed_by=iam.ServicePrincipal(CHATBOT_PRINCIPAL),
                description=f"AWS Chatbot channel {slack_channel_configuration_name}: read Incident Manager",
                inline_policies={
                    "IncidentManagerReadOnly": iam.PolicyDocument(
                        statements=[
                            iam.PolicyStatement(sid="ReadIncidentManager", actions=CHAT_READ_ONLY_ACTIONS, resources=["*"])
                        ]
                    )
                },
            )
        #: The role AWS Chatbot assumes for the channel.
        self.role = role
        if guardrail_policies is None:
            guardrail_policies = [iam.ManagedPolicy.from_aws_managed_policy_name("ReadOnlyAccess")]
        #: The ``AWS::Chatbot::SlackChannelConfiguration`` (construct id ``Resource``, ``node.default_child``).
        self.resource = chatbot.CfnSlackChannelConfiguration(
            self,
            "Resource",
            configuration_name=slack_channel_configuration_name,
            slack_workspace_id=slack_workspace_id,
            slack_channel_id=slack_channel_id,
            sns_topic_arns=[self.topic.topic_arn],
            iam_role_arn=role.role_arn,
            guardrail_policies=[policy.managed_policy_arn for policy in guardrail_policies],
            logging_level=level,
        )
        self._plans: list[ResponsePlan] = []
        for plan in response_plans or []:
            self.add_response_plan(plan)

    @property
    def slack_channel_configuration_arn(self) -> str:
        """The ARN of the AWS Chatbot Slack channel configuration."""
        return self.resource.ref

    @property
    def response_plans(self) -> list[ResponsePlan]:
        """The response plans posting to this channel, in order."""
        return list(self._plans)

    def add_response_plan(self, response_plan: ResponsePlan) -> None:
        """Post incident updates of ``response_plan`` to this channel (its chat channel topic)."""
        if not isinstance(response_plan, ResponsePlan):
            self._checker.fail(
                "response_plans",
                response_plan,
                "a ResponsePlan of this app (an imported response plan's chat channel cannot be changed here).",
            )
        if any(p is response_plan for p in self._plans):
            self._checker.fail("response_plans", response_plan.response_plan_name, "each response plan at most once.")
        response_plan.add_chat_channel_topic(self.topic)
        self._plans.append(response_plan)
