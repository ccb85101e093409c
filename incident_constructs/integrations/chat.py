"""AWS Chatbot channels that receive a response plan's incident updates: :class:`SlackChatChannel`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_chatbot as chatbot
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct

from .. import _rules
from .._validation import Checker, check_scope_and_id
from ..response.response_plan import ResponsePlan
from ..response.roles import SSM_INCIDENTS_PRINCIPAL, incident_source_arns, pseudo_parameter

__all__ = ["ChatChannelBase", "SlackChatChannel", "CHATBOT_PRINCIPAL"]

CHATBOT_PRINCIPAL = "chatbot.amazonaws.com"

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


def check_slack_ids(checker: Checker, workspace_id: Any, channel_id: Any, configuration_name: Any) -> None:
    """The Slack workspace and channel ids and the Chatbot configuration's name."""
    checker.string(
        "slack_workspace_id",
        workspace_id,
        max_len=_rules.MAX_SLACK_WORKSPACE_ID_LENGTH,
        pattern=_rules.SLACK_WORKSPACE_ID_PATTERN,
        pattern_text=_rules.SLACK_WORKSPACE_ID_RULE,
    )
    checker.string(
        "slack_channel_id",
        channel_id,
        max_len=_rules.MAX_SLACK_CHANNEL_ID_LENGTH,
        pattern=_rules.SLACK_CHANNEL_ID_PATTERN,
        pattern_text=_rules.SLACK_CHANNEL_ID_RULE,
    )
    checker.string(
        "slack_channel_configuration_name",
        configuration_name,
        max_len=_rules.MAX_CHAT_CONFIGURATION_NAME_LENGTH,
        pattern=_rules.CHAT_CONFIGURATION_NAME_PATTERN,
        pattern_text=_rules.CHAT_CONFIGURATION_NAME_RULE,
    )


def check_channel_options(
    checker: Checker,
    *,
    encryption_key: Any,
    role: Any,
    guardrail_policies: Any,
    response_plans: Any,
    logging_level: Any,
) -> str | None:
    """The optional props' types; returns the logging level's value."""
    if encryption_key is not None and not hasattr(encryption_key, "key_arn"):
        checker.fail("encryption_key", encryption_key, "an aws_kms.IKey (a customer managed key).")
    if role is not None and not (hasattr(role, "role_arn") and hasattr(role, "grant")):
        checker.fail("role", role, "an aws_iam.IRole (iam.Role, or iam.Role.from_role_arn for an existing role).")
    check_guardrail_policies(checker, guardrail_policies)
    if response_plans is not None and not isinstance(response_plans, (list, tuple)):
        checker.fail("response_plans", response_plans, "a list of ResponsePlan.")
    if logging_level is None:
        return None
    try:
        level: str = chatbot.LoggingLevel(logging_level).value
    except ValueError:
        checker.fail("logging_level", logging_level, "an aws_chatbot.LoggingLevel: ERROR, INFO or NONE.")
    return level


def check_guardrail_policies(checker: Checker, guardrail_policies: Any) -> None:
    """A list of managed policies, or None."""
    if guardrail_policies is None:
        return
    if not isinstance(guardrail_policies, (list, tuple)):
        checker.fail("guardrail_policies", guardrail_policies, "a list of aws_iam.IManagedPolicy.")
    for policy in guardrail_policies:
        if not hasattr(policy, "managed_policy_arn"):
            checker.fail(
                "guardrail_policies",
                policy,
                "aws_iam.IManagedPolicy objects, like iam.ManagedPolicy.from_aws_managed_policy_name('ReadOnlyAccess').",
            )


class ChatChannelBase(cdk.Resource):
    """What Slack and Microsoft Teams channels share: the SNS topic response plans publish to
    (``Topic``), the key policy statement of an encrypted topic, the read-only channel role
    (``Role``) and the response plans wired to the topic. A subclass checks its own ids, calls
    :meth:`_set_up`, makes its ``AWS::Chatbot::...`` L1 at ``Resource`` and then
    :meth:`_add_response_plans`."""

    _checker: Checker
    _key_statement: iam.PolicyStatement | None
    _plans: list[ResponsePlan]
    #: The SNS topic response plans publish to (construct id ``Topic``).
    topic: sns.Topic
    #: The role AWS Chatbot assumes for the channel.
    role: iam.IRole

    def _set_up(
        self,
        *,
        configuration_name: str,
        configuration_kind: str,
        encryption_key: kms.IKey | None,
        role: iam.IRole | None,
        guardrail_policies: Sequence[iam.IManagedPolicy] | None,
    ) -> list[str]:
        """The topic, the key statement and the role; returns the guardrail policies' ARNs.

        :param configuration_kind: the kind in the configuration's ARN (``slack-channel`` or
            ``microsoft-teams-channel``), for the role's ``aws:ChatbotSourceArn`` condition.
        """
        self.topic = sns.Topic(
            self,
            "Topic",
            # SNS display names hold at most 100 characters; the configuration name up to 128.
            display_name=f"Incident Manager chat {configuration_name}"[:100],
            enforce_ssl=True,
            master_key=encryption_key,
        )
        self._key_statement = None if encryption_key is None else self._let_incident_manager_use(encryption_key)
        self.role = role if role is not None else self._read_only_role(configuration_name, configuration_kind)
        if guardrail_policies is None:
            guardrail_policies = [iam.ManagedPolicy.from_aws_managed_policy_name("ReadOnlyAccess")]
        self._plans = []
        return [policy.managed_policy_arn for policy in guardrail_policies]

    def _add_response_plans(self, response_plans: Sequence[ResponsePlan] | None) -> None:
        for plan in response_plans or []:
            self.add_response_plan(plan)

    def _let_incident_manager_use(self, key: kms.IKey) -> iam.PolicyStatement:
        """The key policy statement that lets Incident Manager publish to the encrypted topic: this
        account only (``aws:SourceAccount``); :meth:`add_response_plan` adds each plan's source ARNs."""
        statement = iam.PolicyStatement(
            sid="IncidentManagerPublishToChatTopic",
            actions=["kms:GenerateDataKey*", "kms:Decrypt"],
            principals=[iam.ServicePrincipal(SSM_INCIDENTS_PRINCIPAL)],
            resources=["*"],
            conditions={"StringEquals": {"aws:SourceAccount": cdk.Aws.ACCOUNT_ID}},
        )
        key.add_to_resource_policy(statement)
        return statement

    def _read_only_role(self, configuration_name: str, configuration_kind: str) -> iam.Role:
        """The channel role when none is given: it reads Incident Manager, and only in sessions
        that AWS Chatbot starts for this channel configuration (``aws:ChatbotSourceArn``)."""
        partition, account = pseudo_parameter("PARTITION"), pseudo_parameter("ACCOUNT_ID")
        configuration_arn = (
            f"arn:{partition}:chatbot::{account}:chat-configuration/{configuration_kind}/{configuration_name}"
        )
        return iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal(CHATBOT_PRINCIPAL),
            description=f"AWS Chatbot channel {configuration_name}: read Incident Manager",
            inline_policies={
                "IncidentManagerReadOnly": iam.PolicyDocument(
                    statements=[
                        iam.PolicyStatement(
                            sid="ReadIncidentManager",
                            actions=CHAT_READ_ONLY_ACTIONS,
                            resources=["*"],
                            conditions={"ArnLike": {"aws:ChatbotSourceArn": configuration_arn}},
                        )
                    ]
                )
            },
        )

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
        if self._key_statement is not None:
            # Publishes through the key come from this channel's plans only (when they name a source).
            arns = [arn for plan in self._plans for arn in incident_source_arns(plan.response_plan_name)]
            self._key_statement.add_condition("ArnLikeIfExists", {"aws:SourceArn": arns})


class SlackChatChannel(ChatChannelBase):
    """A Slack channel where Incident Manager posts incident updates, through AWS Chatbot.

    Creates the SNS topic (``Topic``) that response plans publish to and the AWS Chatbot Slack
    channel configuration ``AWS::Chatbot::SlackChannelConfiguration`` (construct id ``Resource``,
    :attr:`resource`, ``node.default_child``) subscribed to it. The Slack workspace must have been
    authorised for AWS Chatbot once, in the console, before the stack is deployed.

    * The topic refuses publishing without TLS (``enforce_ssl``). It is encrypted only when
      ``encryption_key`` is given: Incident Manager cannot publish to a topic encrypted with the AWS
      managed key ``alias/aws/sns``, so a customer managed key it may use is the only choice; the key
      policy of an owned key gets a statement letting ``ssm-incidents.amazonaws.com`` (this account
      only, and for the incidents of the channel's response plans when a source ARN is sent) call
      ``kms:GenerateDataKey*`` and ``kms:Decrypt``. Chatbot needs nothing from the key:
      SNS decrypts before delivering.
    * Each response plan given (or added with :meth:`add_response_plan`) gets the topic as its chat
      channel; the response plan adds the topic policy that lets ssm-incidents publish.
    * The channel role (``role``) may only read Incident Manager (incidents, response plans,
      contacts, engagements, rotations: :data:`CHAT_READ_ONLY_ACTIONS`, on ``*`` because the
      ``List`` actions take no resource; cdk-nag reports it as AwsSolutions-IAM5), and only in
      sessions of this channel configuration (``aws:ChatbotSourceArn``); its trust has no condition,
      since AWS Chatbot documents no ``aws:SourceAccount`` or ``aws:SourceArn`` for assuming it. The
      channel's guardrail is ``ReadOnlyAccess`` (without one the service applies ``AdministratorAccess``).

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
        response_plans: Sequence[ResponsePlan] | None = None,
        encryption_key: kms.IKey | None = None,
        role: iam.IRole | None = None,
        guardrail_policies: Sequence[iam.IManagedPolicy] | None = None,
        logging_level: chatbot.LoggingLevel | None = None,
    ) -> None:
        check_scope_and_id("SlackChatChannel", scope, id)
        super().__init__(scope, id)
        checker = Checker(self, "SlackChatChannel")
        self._checker = checker
        check_slack_ids(checker, slack_workspace_id, slack_channel_id, slack_channel_configuration_name)
        level = check_channel_options(
            checker,
            encryption_key=encryption_key,
            role=role,
            guardrail_policies=guardrail_policies,
            response_plans=response_plans,
            logging_level=logging_level,
        )
        policy_arns = self._set_up(
            configuration_name=slack_channel_configuration_name,
            configuration_kind="slack-channel",
            encryption_key=encryption_key,
            role=role,
            guardrail_policies=guardrail_policies,
        )
        #: The ``AWS::Chatbot::SlackChannelConfiguration`` (construct id ``Resource``, ``node.default_child``).
        self.resource = chatbot.CfnSlackChannelConfiguration(
            self,
            "Resource",
            configuration_name=slack_channel_configuration_name,
            slack_workspace_id=slack_workspace_id,
            slack_channel_id=slack_channel_id,
            sns_topic_arns=[self.topic.topic_arn],
            iam_role_arn=self.role.role_arn,
            guardrail_policies=policy_arns,
            logging_level=level,
        )
        self._add_response_plans(response_plans)

    @property
    def slack_channel_configuration_arn(self) -> str:
        """The ARN of the AWS Chatbot Slack channel configuration."""
        return self.resource.ref
