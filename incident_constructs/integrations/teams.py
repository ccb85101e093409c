"""A Microsoft Teams channel that receives a response plan's incident updates: :class:`TeamsChatChannel`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aws_cdk import aws_chatbot as chatbot
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from .. import _rules
from .._validation import Checker, check_scope_and_id
from ..response.response_plan import ResponsePlan
from .chat import ChatChannelBase, check_channel_options

__all__ = [
    "TeamsChatChannel",
    "TEAMS_CHANNEL_ID_PATTERN",
    "TEAMS_CHANNEL_ID_RULE",
    "TEAMS_GUID_PATTERN",
]

# The rules live in _rules.py (the organisation file's schema uses the same ones).
TEAMS_GUID_PATTERN = _rules.TEAMS_GUID_PATTERN
TEAMS_GUID_RULE = _rules.TEAMS_GUID_RULE
TEAMS_CHANNEL_ID_PATTERN = _rules.TEAMS_CHANNEL_ID_PATTERN
TEAMS_CHANNEL_ID_RULE = _rules.TEAMS_CHANNEL_ID_RULE
MAX_TEAMS_CHANNEL_ID_LENGTH = _rules.MAX_TEAMS_CHANNEL_ID_LENGTH
CONFIGURATION_NAME_PATTERN = _rules.CHAT_CONFIGURATION_NAME_PATTERN
CONFIGURATION_NAME_RULE = _rules.CHAT_CONFIGURATION_NAME_RULE
MAX_CONFIGURATION_NAME_LENGTH = _rules.MAX_CHAT_CONFIGURATION_NAME_LENGTH


def check_teams_ids(checker: Checker, team_id: Any, channel_id: Any, tenant_id: Any, configuration_name: Any) -> None:
    """The Microsoft Teams team, channel and tenant ids and the Chatbot configuration's name."""
    guid_rule = TEAMS_GUID_RULE
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


class TeamsChatChannel(ChatChannelBase):
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
        policy_arns = self._set_up(
            configuration_name=teams_channel_configuration_name,
            configuration_kind="microsoft-teams-channel",
            encryption_key=encryption_key,
            role=role,
            guardrail_policies=guardrail_policies,
        )
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
            guardrail_policies=policy_arns,
            logging_level=level,
        )
        self._add_response_plans(response_plans)

    @property
    def teams_channel_configuration_arn(self) -> str:
        """The ARN of the AWS Chatbot Microsoft Teams channel configuration."""
        return self.resource.attr_arn
