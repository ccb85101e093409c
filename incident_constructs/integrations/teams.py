"""A Microsoft Teams channel that receives a response plan's incident updates: :class:`TeamsChatChannel`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_chatbot as chatbot
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct

from .._validation import Checker, check_scope_and_id
from ..response.response_plan import ResponsePlan
from ..response.roles import SSM_INCIDENTS_PRINCIPAL, incident_source_arns, pseudo_parameter
from .chat import CHAT_READ_ONLY_ACTIONS, CHATBOT_PRINCIPAL, check_channel_options

__all__ = [
    "TeamsChatChannel",
    "TEAMS_CHANNEL_ID_PATTERN",
    "TEAMS_CHANNEL_ID_RULE",
    "TEAMS_GUID_PATTERN",
]

#: A Microsoft Teams team or tenant id: a GUID (``AWS::Chatbot::MicrosoftTeamsChannelConfiguration``
#: ``TeamId`` and ``TeamsTenantId``, 36 characters; the Chatbot API agrees).
TEAMS_GUID_PATTERN = r"[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}"
TEAMS_GUID_RULE = "a GUID like '{example}' (36 characters: hexadecimal digits in groups of 8-4-4-4-12)."
#: ``TeamsChannelId``: the channel id URL-encoded (``19:...@thread.tacv2`` written ``19%3A...%40thread.tacv2``).
TEAMS_CHANNEL_ID_PATTERN = r"[a-zA-Z0-9_=+/.,\-]*%3[aA][a-zA-Z0-9_=+/.,\-]*%40[a-zA-Z0-9_=+/.,\-]*"
TEAMS_CHANNEL_ID_RULE = (
    "a Microsoft Teams channel id, URL-encoded, like '19%3Aab12cd34ef56ab12cd34ef56ab12cd34%40thread.tacv2' "
    "(from the channel's link: ':' written %3A and '@' written %40)."
)
#: The schema allows 256 characters, the Chatbot API 255: the stricter.
MAX_TEAMS_CHANNEL_ID_LENGTH = 255
#: ``ConfigurationName`` (schema and API): the same rule as a Slack channel configuration's.
CONFIGURATION_NAME_PATTERN = r"[A-Za-z0-9\-_]+"
CONFIGURATION_NAME_RULE = "1-128 characters of letters, digits, '-' and '_'."
MAX_CONFIGURATION_NAME_LENGTH = 128

_TEAM_EXAMPLE = "a1b2c3d4-0000-4000-8000-0123456789ab"


def check_teams_ids(checker: Checker, team_id: Any, channel_id: Any, tenant_id: Any, configuration_name: Any) -> None:
    """The Microsoft Teams team, channel and tenant ids and the Chatbot configuration's name."""
    guid_rule = TEAMS_GUID_RULE.format(example=_TEAM_EXAMPLE)
    checker.string("team_id", team_id, max_len=36, pattern=TEAMS_GUID_PATTERN, pattern_text=guid_rule)
    checker.string(
        "channel_id",
        channel_id,
        max_len=MAX_TEAMS_CHANNEL_ID_LENGTH,
        pattern=TEAMS_CHANNEL_ID_PATTERN,
        pattern_text=TEAMS_CHANNEL_ID_RULE,
    )
    checker.string("tenant_id", tenant_id, min_len=36, max_len=36, pattern=TEAMS_GUID_PATTERN, pattern_text=guid_rule)
    checker.string(
        "teams_channel_configuration_name",
        configuration_name,
        max_len=MAX_CONFIGURATION_NAME_LENGTH,
        pattern=CONFIGURATION_NAME_PATTERN,
        pattern_text=CONFIGURATION_NAME_RULE,
    )


class TeamsChatChannel(cdk.Resource):
    """A Microsoft Teams channel where Incident Manager posts incident updates, through AWS Chatbot.

    The Microsoft Teams counterpart of :class:`SlackChatChannel`, wired to response plans the same
    way: it creates the SNS topic (``Topic``) that response plans publish to and the AWS Chatbot
    ``AWS::Chatbot::MicrosoftTeamsChannelConfiguration`` (construct id ``Resource``, :attr:`resource`,
    ``node.default_child``) subscribed to it. The Microsoft Teams tenant must have been authorised
    for AWS Chatbot once, in the console ("Configure new client", Microsoft Teams), before the stack
    is deployed; the team, channel and tenant ids come from the channel's link in Teams.

    * The topic refuses publishing without TLS (``enforce_ssl``). It is encrypted only when
      ``encryption_key`` is given (Incident Manager cannot publish to a topic encrypted with the AWS
      managed key ``alias/aws/sns``); the key policy of an owned key then lets
      ``ssm-incidents.amazonaws.com`` (this account only, and only for this channel's response plans
      when the request names one) call ``kms:GenerateDataKey*`` and ``kms:Decrypt``.
    * Each response plan given (or added with :meth:`add_response_plan`) gets the topic as its chat
      channel; the response plan adds the topic policy that lets ssm-incidents publish. Topics can't
      be used across accounts: the channel and the plans are in the same account.
    * The channel role (``role``) may only read Incident Manager (:data:`CHAT_READ_ONLY_ACTIONS`, on
      ``*`` because the ``List`` actions take no resource; cdk-nag reports it as AwsSolutions-IAM5),
      and only in sessions AWS Chatbot starts for this configuration (``aws:ChatbotSourceArn``); the
      channel's guardrail is ``ReadOnlyAccess`` (without one the service applies ``AdministratorAccess``).

    Create-only (a change replaces the configuration): ``team_id``, ``tenant_id`` and
    ``teams_channel_configuration_name``.

    :param team_id: the Microsoft Teams team id, a GUID (``groupId`` in the channel's link).
    :param channel_id: the channel id, URL-encoded (``19%3A...%40thread.tacv2``, as in the channel's link).
    :param tenant_id: the Microsoft Entra tenant id, a GUID (``tenantId`` in the channel's link).
    :param teams_channel_configuration_name: the Chatbot configuration's name, 1-128 characters of
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
        team_id: str,
        channel_id: str,
        tenant_id: str,
        teams_channel_configuration_name: str,
        response_plans: Sequence[ResponsePlan] | None = None,
        encryption_key: kms.IKey | None = None,
        role: iam.IRole | None = None,
        guardrail_policies: Sequence[iam.IManagedPolicy] | None = None,
        logging_level: chatbot.LoggingLevel | None = None,
    ) -> None:
        check_scope_and_id("TeamsChatChannel", scope, id)
        super().__init__(scope, id)
        checker = Checker(self, "TeamsChatChannel")
        self._checker = checker
        check_teams_ids(checker, team_id, channel_id, tenant_id, teams_channel_configuration_name)
        level = check_channel_options(
            checker,
            encryption_key=encryption_key,
            role=role,
            guardrail_policies=guardrail_policies,
            response_plans=response_plans,
            logging_level=logging_level,
        )
        #: The SNS topic response plans publish to (construct id ``Topic``).
        self.topic = sns.Topic(
            self,
            "Topic",
            # SNS display names hold at most 100 characters; the configuration name up to 128.
            display_name=f"Incident Manager chat {teams_channel_configuration_name}"[:100],
            enforce_ssl=True,
            master_key=encryption_key,
        )
        self._key_statement = None if encryption_key is None else self._let_incident_manager_use(encryption_key)
        #: The role AWS Chatbot assumes for the channel.
        self.role = role if role is not None else self._read_only_role(teams_channel_configuration_name)
        if guardrail_policies is None:
            guardrail_policies = [iam.ManagedPolicy.from_aws_managed_policy_name("ReadOnlyAccess")]
        #: The ``AWS::Chatbot::MicrosoftTeamsChannelConfiguration`` (construct id ``Resource``,
        #: ``node.default_child``).
        self.resource = chatbot.CfnMicrosoftTeamsChannelConfiguration(
            self,
            "Resource",
            configuration_name=teams_channel_configuration_name,
            team_id=team_id,
            teams_channel_id=channel_id,
            teams_tenant_id=tenant_id,
            sns_topic_arns=[self.topic.topic_arn],
            iam_role_arn=self.role.role_arn,
            guardrail_policies=[policy.managed_policy_arn for policy in guardrail_policies],
            logging_level=level,
        )
        self._plans: list[ResponsePlan] = []
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

    def _read_only_role(self, configuration_name: str) -> iam.Role:
        """The channel role when none is given: it reads Incident Manager, and only in sessions
        that AWS Chatbot starts for this channel configuration (``aws:ChatbotSourceArn``)."""
        partition, account = pseudo_parameter("PARTITION"), pseudo_parameter("ACCOUNT_ID")
        configuration_arn = (
            f"arn:{partition}:chatbot::{account}:chat-configuration/microsoft-teams-channel/{configuration_name}"
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
    def teams_channel_configuration_arn(self) -> str:
        """The ARN of the AWS Chatbot Microsoft Teams channel configuration."""
        return self.resource.attr_arn

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
