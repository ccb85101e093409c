"""Response plans: what happens when an incident starts."""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Mapping, Sequence
from collections.abc import Sequence as SequenceABC
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import aws_cdk as cdk
import jsii
import typing_extensions as te
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ssmincidents as ssmincidents
from constructs import Construct

from .. import _rules
from .._rules import (
    MAX_PARAMETER_KEY_LENGTH,
    MAX_PARAMETER_VALUE_LENGTH,
    MAX_PARAMETER_VALUES,
    MAX_RUNBOOK_PARAMETERS,
)
from .._rules import RESPONSE_PLAN_NAME_PATTERN as NAME_PATTERN
from .._rules import RESPONSE_PLAN_NAME_RULE as NAME_RULE
from .._validation import (
    Checker,
    check_incident_manager_region,
    check_scope_and_id,
    claim_unique_name,
    is_token,
)
from ..contacts.contact import IContact, require_contact
from .roles import (
    SSM_INCIDENTS_PRINCIPAL,
    RunbookRole,
    check_document_version,
    check_target_accounts,
    incident_source_conditions,
)
from .runbook import IRunbook

if TYPE_CHECKING:  # imported when used: each of these modules takes 20-80 ms to import
    from aws_cdk import aws_cloudwatch as cloudwatch
    from aws_cdk import aws_ram as ram
    from aws_cdk import aws_secretsmanager as secretsmanager
    from aws_cdk import aws_sns as sns

__all__ = [
    "DynamicParameter",
    "IResponsePlan",
    "Impact",
    "PagerDutyIntegration",
    "ResponsePlan",
    "TargetAccount",
]

#: The schema's patterns (``AWS::SSMIncidents::ResponsePlan``): engagements, SNS topics and the
#: runbook's role (its ``[^.]+`` refuses a '.' anywhere after the account: a FIFO topic's
#: ``.fifo``, a role named ``my.role``).
ENGAGEMENT_ARN_PATTERN = re.compile(
    r"arn:aws(-(cn|us-gov))?:ssm-contacts:(([a-z]+-)+[0-9])?:([0-9]{12})?:[^.]+", re.ASCII
)
TOPIC_ARN_PATTERN = re.compile(_rules.TOPIC_ARN_PATTERN, re.ASCII)
ROLE_ARN_PATTERN = re.compile(_rules.ROLE_ARN_PATTERN, re.ASCII)
RESPONSE_PLAN_ARN_PATTERN = re.compile(
    r"arn:aws(-(cn|us-gov))?:ssm-incidents::([0-9]{12})?:response-plan/[a-zA-Z0-9_-]{1,200}", re.ASCII
)


class Impact(enum.IntEnum):
    """How bad an incident is; Incident Manager shows 1 as the most severe."""

    #: Full application failure that impacts many to all customers.
    CRITICAL = 1
    #: Full application failure that impacts a subset of customers.
    HIGH = 2
    #: Partial application failure that impacts a subset of customers.
    MEDIUM = 3
    #: Intermittent failures with limited impact on customers.
    LOW = 4
    #: Customers aren't currently impacted but urgent action is needed.
    NO_IMPACT = 5


class TargetAccount(str, enum.Enum):
    """Where the runbook runs."""

    #: The account that owns the response plan (the default).
    RESPONSE_PLAN_OWNER_ACCOUNT = "RESPONSE_PLAN_OWNER_ACCOUNT"
    #: The account where the incident happened (cross-account runbooks).
    IMPACTED_ACCOUNT = "IMPACTED_ACCOUNT"


class DynamicParameter(str, enum.Enum):
    """Values Incident Manager fills in when it starts the runbook."""

    #: The incident record's ARN, into a String parameter.
    INCIDENT_RECORD_ARN = "INCIDENT_RECORD_ARN"
    #: The ARNs of the involved resources, into a StringList parameter.
    INVOLVED_RESOURCES = "INVOLVED_RESOURCES"


_DYNAMIC_TYPES = {DynamicParameter.INCIDENT_RECORD_ARN: "String", DynamicParameter.INVOLVED_RESOURCES: "StringList"}
_DEFAULT_DYNAMIC = {
    "IncidentRecordArn": DynamicParameter.INCIDENT_RECORD_ARN,
    "InvolvedResources": DynamicParameter.INVOLVED_RESOURCES,
}


@dataclass(frozen=True)
class PagerDutyIntegration:
    """Create a PagerDuty incident alongside each Incident Manager incident.

    :param name: the configuration's name (1-200 characters).
    :param secret: the Secrets Manager secret holding the PagerDuty credentials; it must be encrypted
        with a customer managed key. The response plan lets ssm-incidents read it.
    :param service_id: the PagerDuty service id (1-200 characters).
    """

    name: str
    secret: secretsmanager.ISecret
    service_id: str


@te.runtime_checkable
class IResponsePlan(cdk.IResource, te.Protocol):
    """A response plan that alarms and EventBridge rules can start incidents from: owned
    (:class:`ResponsePlan`) or imported (:meth:`ResponsePlan.from_response_plan_name`,
    :meth:`ResponsePlan.from_response_plan_arn`)."""

    @property
    def response_plan_arn(self) -> str:
        """``arn:<partition>:ssm-incidents::<account>:response-plan/<name>``."""
        ...

    @property
    def response_plan_name(self) -> str:
        """The response plan's name."""
        ...

    def alarm_action(self) -> cloudwatch.IAlarmAction:
        """An alarm action that starts an incident from this response plan."""
        ...


@functools.cache
def _alarm_action_class() -> Any:
    """The alarm action class, defined when first used (aws_cloudwatch is imported then)."""
    from aws_cdk import aws_cloudwatch as cloudwatch
    from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions

    @jsii.implements(cloudwatch.IAlarmAction)
    class _ResponsePlanAlarmAction:
        def __init__(self, plan: IResponsePlan) -> None:
            self._plan = plan

        def bind(self, scope: Construct, alarm: cloudwatch.IAlarm) -> cloudwatch.AlarmActionConfig:
            plan = self._plan
            if not isinstance(plan, ResponsePlan):
                # An imported plan's ARN names the account that owns it: a plan shared from another
                # account starts incidents there (SsmIncidentAction names the alarm's own account).
                return cloudwatch.AlarmActionConfig(alarm_action_arn=plan.response_plan_arn)
            # The alarm names the plan by a name-based ARN, not a reference: the order is
            # spelled out so that the alarm never starts a plan that does not exist yet.
            alarm.node.add_dependency(plan)
            stack = cdk.Stack.of(scope)
            if plan.env.account == stack.account:
                return cloudwatch_actions.SsmIncidentAction(plan.response_plan_name).bind(scope, alarm)
            return cloudwatch.AlarmActionConfig(
                alarm_action_arn=f"arn:{stack.partition}:ssm-incidents::{plan.env.account}:response-plan/{plan.response_plan_name}"
            )

    return _ResponsePlanAlarmAction


@jsii.implements(IResponsePlan)
class _ResponsePlanBase(cdk.Resource):
    """What owned and imported response plans share: the name, the ARN and the alarm action."""

    _name: str
    _arn: str | None = None

    @property
    def response_plan_arn(self) -> str:
        assert self._arn is not None
        return self._arn

    @property
    def response_plan_name(self) -> str:
        return self._name

    def alarm_action(self) -> cloudwatch.IAlarmAction:
        """An alarm action that starts an incident from this response plan.

        The alarm depends on the response plan when both are in the same app, so it is
        never created before the plan it starts. CloudWatch uses its service-linked role
        ``AWSServiceRoleForCloudWatchAlarms_ActionSSMIncidents``.
        """
        action: cloudwatch.IAlarmAction = _alarm_action_class()(self)
        return action

    def __repr__(self) -> str:
        return f"{type(self).__name__.lstrip('_')}(response_plan_name={self._name!r})"


class _ImportedResponsePlan(_ResponsePlanBase):
    def __init__(self, scope: Construct, id: str, *, name: str, arn: str) -> None:
        super().__init__(scope, id, environment_from_arn=None if is_token(arn) else arn)
        self._name = name
        self._arn = arn


def response_plan_arn_for(scope: Construct, name: str) -> str:
    return cdk.Stack.of(scope).format_arn(
        service="ssm-incidents",
        region="",
        resource="response-plan",
        resource_name=name,
        arn_format=cdk.ArnFormat.SLASH_RESOURCE_NAME,
    )


class ResponsePlan(_ResponsePlanBase):
    """A response plan (``AWS::SSMIncidents::ResponsePlan``): the incident template, who is engaged,
    the runbook, chat and notifications.

    The plan's resource has the construct id ``Resource`` (:attr:`resource`,
    ``plan.node.default_child``). Its lists (``Engagements``, ``IncidentTemplate.NotificationTargets``,
    ``ChatChannel.ChatbotSns``) are rendered when the template is written, so what the ``add_*``
    methods add later is in them, and index overrides such as
    ``plan.resource.add_property_override("Engagements.0", arn)`` merge as on any L1.

    :param response_plan_name: the plan's unique name (create-only: changing it replaces the plan).
    :param title: the title of incidents started from the plan.
    :param impact: the incident's impact (``Impact.CRITICAL`` 1 to ``Impact.NO_IMPACT`` 5).
    :param display_name: the name shown in the console. Default: none.
    :param summary: the incident summary, 1-4000 characters. Default: none.
    :param dedupe_string: incidents with the same string are merged, 1-1000 characters. Default: none.
    :param engagements: contacts, escalation plans or on-call schedules to engage (at most 5).
    :param runbook: the runbook to start with each incident. Default: none.
    :param role: the role Incident Manager assumes to start the runbook. Default: a least-privilege
        role is created (see :class:`RunbookRole`).
    :param automation_role: the role the runbook itself runs as (passed in its ``AutomationAssumeRole``
        parameter). Default: the runbook runs as ``role``.
    :param runbook_parameters: static parameters for the runbook, ``{"Key": "value"}`` or
        ``{"Key": ["value", ...]}``: at most 200 keys of 1-50 characters, 1-10 distinct values per
        key, each a string of at most 512 characters.
    :param runbook_dynamic_parameters: parameters Incident Manager fills in. Default: ``IncidentRecordArn``
        and ``InvolvedResources`` when the runbook declares them.
    :param runbook_document_version: the runbook version Incident Manager starts: a version number
        (``"3"``), ``"$DEFAULT"`` or ``"$LATEST"``. Default: ``"$LATEST"``, whatever version the
        document has when the incident starts, so whoever may update the document decides what runs
        as the runbook role. A number pins the version and narrows the created role's
        ``ssm:StartAutomationExecution`` to ``automation-definition/<document>:<version>``.
    :param target_account: where the runbook runs. Default: the response plan's account.
    :param target_accounts: with ``target_account=TargetAccount.IMPACTED_ACCOUNT``, the accounts
        (12-digit ids) whose ``AWS-SystemsManager-AutomationExecutionRole`` the created role may
        assume (at most 100). Default: any account (``*``).
    :param notification_topics: SNS topics notified of incident updates (at most 10).
    :param chat_channel_topics: SNS topics of an AWS Chatbot chat channel (1 to 5).
    :param pager_duty: a PagerDuty integration. Default: none.
    :param incident_tags: tags applied to incidents (at most 50).
    :param tags: tags of the response plan itself (at most 50).
    :param removal_policy: Default: ``RemovalPolicy.RETAIN``; a deleted response plan silently stops the
        alarms that start it.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        response_plan_name: str,
        title: str,
        impact: Impact,
        display_name: str | None = None,
        summary: str | None = None,
        dedupe_string: str | None = None,
        engagements: Sequence[IContact] | None = None,
        runbook: IRunbook | None = None,
        role: iam.IRole | None = None,
        automation_role: iam.IRole | None = None,
        runbook_parameters: Mapping[str, str | Sequence[str]] | None = None,
        runbook_dynamic_parameters: Mapping[str, DynamicParameter] | None = None,
        runbook_document_version: str | None = None,
        target_account: TargetAccount = TargetAccount.RESPONSE_PLAN_OWNER_ACCOUNT,
        target_accounts: Sequence[str] | None = None,
        notification_topics: Sequence[sns.ITopic] | None = None,
        chat_channel_topics: Sequence[sns.ITopic] | None = None,
        pager_duty: PagerDutyIntegration | None = None,
        incident_tags: Mapping[str, str] | None = None,
        tags: Mapping[str, str] | None = None,
        removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.RETAIN,
    ) -> None:
        check_scope_and_id("ResponsePlan", scope, id)
        super().__init__(scope, id)
        checker = self._checker = Checker(self, "ResponsePlan")
        check_incident_manager_region(checker, scope, "AWS::SSMIncidents::ResponsePlan")
        checker.removal_policy("removal_policy", removal_policy)
        for field, values in (
            ("engagements", engagements),
            ("notification_topics", notification_topics),
            ("chat_channel_topics", chat_channel_topics),
        ):
            if values is not None and not isinstance(values, (list, tuple)):
                checker.fail(field, values, "a list.")
        if pager_duty is not None and not isinstance(pager_duty, PagerDutyIntegration):
            checker.fail("pager_duty", pager_duty, "a PagerDutyIntegration(name=..., secret=..., service_id=...).")
        impact, target_account = check_response_plan_props(
            checker,
            response_plan_name=response_plan_name,
            title=title,
            impact=impact,
            display_name=display_name,
            summary=summary,
            dedupe_string=dedupe_string,
            incident_tags=incident_tags,
            tags=tags,
            runbook=runbook,
            role=role,
            automation_role=automation_role,
            target_account=target_account,
        )
        runbook_options = check_runbook_options(
            checker,
            runbook=runbook,
            role=role,
            target_account=target_account,
            target_accounts=target_accounts,
            runbook_document_version=runbook_document_version,
        )
        claim_unique_name(self, checker, "response-plan", "response_plan_name", response_plan_name, scope=scope)
        self._name = response_plan_name
        # The lists that add_* methods extend; the template reads them when it is written.
        self._engagements: list[IContact] = []
        self._engagement_arns: list[str] = []
        self._notification_topics: list[sns.ITopic] = []
        self._notification_arns: list[str] = []
        self._chat_topics: list[sns.ITopic] = []
        self._chat_arns: list[str] = []
        self._built = False  # True once self.resource exists
        for contact in engagements or []:
            self.add_engagement(contact)
        for topic in notification_topics or []:
            self.add_notification_topic(topic)
        for topic in chat_channel_topics or []:
            self.add_chat_channel_topic(topic)

        #: The runbook, if any.
        self.runbook = runbook
        self._role = role
        #: The role created for the runbook (None when there is no runbook or ``role`` was given).
        self.runbook_role: RunbookRole | None = None
        actions = None
        if runbook is not None:
            actions = [
                self._runbook_action(
                    runbook,
                    role,
                    automation_role,
                    runbook_parameters,
                    runbook_dynamic_parameters,
                    target_account,
                    runbook_options,
                )
            ]
        integrations = None if pager_duty is None else [self._pager_duty(pager_duty)]

        self._template_args: dict[str, Any] = dict(
            title=title, impact=impact, summary=summary, dedupe_string=dedupe_string, incident_tags=incident_tags
        )
        #: The ``AWS::SSMIncidents::ResponsePlan`` (construct id ``Resource``, ``node.default_child``).
        #: The lists that ``add_*`` methods extend are given to it here and set again by each later
        #: ``add_*`` call, so the L1 always holds real lists (index overrides merge into them).
        self.resource = ssmincidents.CfnResponsePlan(
            self,
            "Resource",
            name=response_plan_name,
            display_name=display_name,
            incident_template=self._incident_template(),
            actions=actions,
            integrations=integrations,
            engagements=self._render_engagements(),
            chat_channel=self._render_chat_channel(),
            tags=[cdk.CfnTag(key=k, value=v) for k, v in sorted((tags or {}).items())] or None,
        )
        self._built = True
        self.resource.apply_removal_policy(removal_policy)
        runbook_resource = getattr(runbook, "resource", None)
        if isinstance(runbook_resource, cdk.CfnResource):
            # The plan names the document by name, so CloudFormation needs the order spelled out.
            self.resource.add_resource_dependency(runbook_resource)

    # -- imports ---------------------------------------------------------------------------
    @staticmethod
    def from_response_plan_name(scope: Construct, id: str, response_plan_name: str) -> IResponsePlan:
        """Use an existing response plan of the stack's account, by name."""
        Checker(check_scope_and_id("ResponsePlan", scope, id), "ResponsePlan").string(
            "response_plan_name", response_plan_name, max_len=200, pattern=NAME_PATTERN, pattern_text=NAME_RULE
        )
        return _ImportedResponsePlan(
            scope, id, name=response_plan_name, arn=response_plan_arn_for(scope, response_plan_name)
        )

    @staticmethod
    def from_response_plan_arn(scope: Construct, id: str, response_plan_arn: str) -> IResponsePlan:
        """Use an existing response plan, by ARN (``arn:<partition>:ssm-incidents::<account>:response-plan/<name>``)."""
        checker = Checker(check_scope_and_id("ResponsePlan", scope, id), "ResponsePlan")
        checker.string("response_plan_arn", response_plan_arn, max_len=1000)
        if is_token(response_plan_arn):
            name = cdk.Fn.select(1, cdk.Fn.split("/", response_plan_arn))
        else:
            parts = response_plan_arn.split(":")
            if not RESPONSE_PLAN_ARN_PATTERN.fullmatch(response_plan_arn):
                checker.fail(
                    "response_plan_arn",
                    response_plan_arn,
                    "an ARN like arn:aws:ssm-incidents::<account>:response-plan/<name>.",
                )
            name = parts[5].split("/", 1)[1]
        return _ImportedResponsePlan(scope, id, name=name, arn=response_plan_arn)

    # -- attributes ------------------------------------------------------------------------
    @property
    def response_plan_arn(self) -> str:
        if self._arn is None:
            self._arn = self.resource.attr_arn  # read once: the token never changes
        return self._arn

    @property
    def role(self) -> iam.IRole | None:
        """The role Incident Manager assumes to start the runbook (None without a runbook)."""
        if self.runbook_role is not None:
            return self.runbook_role
        return self._role

    @property
    def engagements(self) -> list[IContact]:
        """The contacts engaged, in order."""
        return list(self._engagements)

    # -- sharing ---------------------------------------------------------------------------
    def share_with(self, *principals: str, allow_external_principals: bool = False) -> ram.CfnResourceShare:
        """Share this response plan with other accounts through AWS RAM.

        Each principal is a 12-digit account id, an organizational unit ARN or an organization ARN.
        The first call creates an ``AWS::RAM::ResourceShare`` (construct id ``Share``, below this
        construct); later calls add principals to it. Consumers can start incidents from the plan with
        their own CloudWatch alarms and EventBridge rules (``ResponsePlan.from_response_plan_arn`` in
        their stacks) and see and work on its incidents. The engaged contacts are shared separately
        (``contact.share_with``). See :mod:`incident_constructs.integrations.sharing`.

        :param principals: who the plan is shared with (at least one).
        :param allow_external_principals: allow accounts outside the organization. Default: False.
        """
        from ..integrations.sharing import share_name_for, share_resource

        return share_resource(
            self,
            self._checker,
            resource_arn=self.response_plan_arn,
            share_name=share_name_for("response-plan", self._name),
            principals=principals,
            allow_external_principals=allow_external_principals,
        )

    # -- add_* -----------------------------------------------------------------------------
    def add_engagement(self, contact: IContact) -> None:
        """Engage a contact, escalation plan or on-call schedule (at most 5, each once)."""
        require_contact(self._checker, "engagements", contact)
        arn = contact.contact_arn
        if any(c is contact for c in self._engagements) or arn in self._engagement_arns:
            self._checker.fail("engagements", contact.alias, "each contact at most once.")
        if isinstance(arn, str) and not is_token(arn) and not ENGAGEMENT_ARN_PATTERN.fullmatch(arn):
            self._checker.fail(
                "engagements",
                arn,
                "a contact whose ARN is arn:<aws, aws-cn or aws-us-gov>:ssm-contacts:<region>:<12-digit account>:contact/<alias>.",
            )
        if len(self._engagements) >= 5:
            self._checker.fail("engagements", contact.alias, "at most 5 engagements per response plan.")
        self._engagements.append(contact)
        self._engagement_arns.append(arn)
        if self._built:
            self.resource.engagements = self._render_engagements()

    def add_notification_topic(self, topic: sns.ITopic) -> None:
        """Notify an SNS topic of incident updates (at most 10); the topic policy lets ssm-incidents publish."""
        if len(self._notification_topics) >= 10:
            self._checker.fail("notification_topics", "an 11th topic", "at most 10 notification topics.")
        arn = self._allow_publish(topic, "notification_topics", self._notification_topics)
        self._notification_topics.append(topic)
        self._notification_arns.append(arn)
        if self._built:
            self.resource.incident_template = self._incident_template()

    def add_chat_channel_topic(self, topic: sns.ITopic) -> None:
        """Send incident updates to an AWS Chatbot channel through its SNS topic (at most 5)."""
        if len(self._chat_topics) >= 5:
            self._checker.fail("chat_channel_topics", "a 6th topic", "at most 5 chat channel topics.")
        arn = self._allow_publish(topic, "chat_channel_topics", self._chat_topics)
        self._chat_topics.append(topic)
        self._chat_arns.append(arn)
        if self._built:
            self.resource.chat_channel = self._render_chat_channel()

    # The lists as the L1 holds them (its own camelCase shape).
    def _incident_template(self) -> ssmincidents.CfnResponsePlan.IncidentTemplateProperty:
        return incident_template(**self._template_args, notification_targets=self._render_notification_targets())

    def _render_engagements(self) -> list[str] | None:
        return list(self._engagement_arns) or None

    def _render_notification_targets(self) -> list[dict[str, str]] | None:
        return [{"snsTopicArn": arn} for arn in self._notification_arns] or None

    def _render_chat_channel(self) -> Any:  # the L1 takes its struct as a camelCase dict
        return {"chatbotSns": list(self._chat_arns)} if self._chat_arns else None

    def _allow_publish(self, topic: sns.ITopic, field: str, existing: list[sns.ITopic]) -> str:
        """Check ``topic``, let ssm-incidents publish to it (once per plan) and return its ARN."""
        arn = getattr(topic, "topic_arn", None)
        if not isinstance(arn, str) or not hasattr(topic, "add_to_resource_policy"):
            self._checker.fail(field, topic, "an aws_sns.ITopic.")
        if getattr(topic, "fifo", False) or (not is_token(arn) and not TOPIC_ARN_PATTERN.fullmatch(arn)):
            self._checker.fail(
                field,
                arn if not is_token(arn) else topic.node.path,
                "a standard SNS topic of partition aws, aws-cn or aws-us-gov (Incident Manager cannot publish to a FIFO topic).",
            )
        if any(t is topic for t in existing):
            self._checker.fail(field, topic.node.path, "each topic at most once.")
        if any(t is topic for t in self._notification_topics + self._chat_topics):
            return arn
        result = topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid=f"IncidentManagerPublish{self.node.addr[:8]}",
                actions=["sns:Publish"],
                principals=[iam.ServicePrincipal(SSM_INCIDENTS_PRINCIPAL)],
                resources=[arn],
                conditions=incident_source_conditions(self._name),
            )
        )
        # Incident Manager publishes a test message when the plan is created: the policy first.
        if result.statement_added and result.policy_dependable is not None:
            self.node.add_dependency(result.policy_dependable)
        return arn

    # -- parts -----------------------------------------------------------------------------
    def _runbook_action(
        self,
        runbook: IRunbook,
        role: iam.IRole | None,
        automation_role: iam.IRole | None,
        parameters: Mapping[str, str | Sequence[str]] | None,
        dynamic: Mapping[str, DynamicParameter] | None,
        target_account: TargetAccount,
        options: RunbookOptions,
    ) -> ssmincidents.CfnResponsePlan.ActionProperty:
        """The ``SsmAutomation`` action, and the runbook role unless ``role`` is given."""
        checker = self._checker
        if role is not None:
            role_arn_given = role.role_arn
            if not is_token(role_arn_given) and not ROLE_ARN_PATTERN.fullmatch(role_arn_given):
                checker.fail(
                    "role",
                    role_arn_given,
                    "a role whose ARN has no '.' (the schema's pattern arn:aws:iam::<account>:role/<name without '.'>).",
                )
        declared = runbook.parameter_types
        static = static_runbook_parameters(checker, parameters or {}, declared)
        if automation_role is not None:
            if not runbook.runs_as_automation_assume_role:
                checker.fail(
                    "automation_role",
                    "a role",
                    "the runbook must run as {{ AutomationAssumeRole }} to use an automation role.",
                )
            static["AutomationAssumeRole"] = [automation_role.role_arn]
            if len(static) > MAX_RUNBOOK_PARAMETERS:
                checker.fail(
                    "runbook_parameters", f"{len(static)} keys", f"at most {MAX_RUNBOOK_PARAMETERS} parameters."
                )
        variables = dynamic_runbook_parameters(checker, dynamic, declared, static)
        if role is None:
            self.runbook_role = RunbookRole(
                self,
                "RunbookRole",
                response_plan_name=self._name,
                document_name=runbook.document_name,
                automation_role=automation_role,
                cross_account=target_account is TargetAccount.IMPACTED_ACCOUNT,
                target_accounts=options.target_accounts,
                document_version=options.document_version,
            )
            role_arn = self.runbook_role.role_arn
        else:
            role_arn = role.role_arn
        automation = ssmincidents.CfnResponsePlan.SsmAutomationProperty(
            document_name=runbook.document_name,
            document_version=options.document_version or "$LATEST",
            role_arn=role_arn,
            target_account=target_account.value,
            parameters=[ssmincidents.CfnResponsePlan.SsmParameterProperty(key=k, values=v) for k, v in static.items()]
            or None,
            dynamic_parameters=[
                ssmincidents.CfnResponsePlan.DynamicSsmParameterProperty(
                    key=k, value=ssmincidents.CfnResponsePlan.DynamicSsmParameterValueProperty(variable=v.value)
                )
                for k, v in variables.items()
            ]
            or None,
        )
        return ssmincidents.CfnResponsePlan.ActionProperty(ssm_automation=automation)

    def _pager_duty(self, config: PagerDutyIntegration) -> ssmincidents.CfnResponsePlan.IntegrationProperty:
        checker = self._checker
        checker.string("pager_duty name", config.name, max_len=200)
        checker.string("pager_duty service_id", config.service_id, max_len=200)
        secret = config.secret
        if not (hasattr(secret, "secret_arn") and hasattr(secret, "grant_read")):
            checker.fail("pager_duty secret", secret, "an aws_secretsmanager.ISecret.")
        from aws_cdk import aws_secretsmanager as secretsmanager

        if isinstance(secret, secretsmanager.Secret) and secret.encryption_key is None:
            checker.fail(
                "pager_duty secret",
                secret.node.path,
                "a secret encrypted with a customer managed key (encryption_key=...); Incident Manager cannot "
                "read secrets under the AWS managed key.",
            )
        principal = iam.ServicePrincipal(SSM_INCIDENTS_PRINCIPAL).with_conditions(
            incident_source_conditions(self._name)
        )
        secret.grant_read(principal)
        checker.string("pager_duty secret id", secret.secret_arn, max_len=512)
        return ssmincidents.CfnResponsePlan.IntegrationProperty(
            pager_duty_configuration=ssmincidents.CfnResponsePlan.PagerDutyConfigurationProperty(
                name=config.name,
                secret_id=secret.secret_arn,
                pager_duty_incident_configuration=ssmincidents.CfnResponsePlan.PagerDutyIncidentConfigurationProperty(
                    service_id=config.service_id
                ),
            )
        )


# -- checks and parts, one job each -----------------------------------------------------------


def check_response_plan_props(
    checker: Checker,
    *,
    response_plan_name: Any,
    title: Any,
    impact: Any,
    display_name: Any,
    summary: Any,
    dedupe_string: Any,
    incident_tags: Mapping[str, str] | None,
    tags: Mapping[str, str] | None,
    runbook: IRunbook | None,
    role: iam.IRole | None,
    automation_role: iam.IRole | None,
    target_account: Any,
) -> tuple[Impact, TargetAccount]:
    """Check a response plan's own props; return the impact and target account as enum members."""
    checker.string("response_plan_name", response_plan_name, max_len=200, pattern=NAME_PATTERN, pattern_text=NAME_RULE)
    checker.string("display_name", display_name, max_len=200, optional=True)
    checker.string("title", title, max_len=200)
    checker.string("summary", summary, max_len=4000, optional=True)
    checker.string("dedupe_string", dedupe_string, max_len=1000, optional=True)
    checked_impact = check_impact(checker, impact)
    checker.tags("incident_tags", incident_tags or {})
    checker.tags("tags", tags or {})
    if runbook is not None and not isinstance(runbook, IRunbook):
        checker.fail("runbook", runbook, "a Runbook or an imported runbook (Runbook.from_document_name).")
    for field, given in (("role", role), ("automation_role", automation_role)):
        if given is not None and not (hasattr(given, "role_arn") and hasattr(given, "grant")):
            checker.fail(field, given, "an aws_iam.IRole (iam.Role, or iam.Role.from_role_arn for an existing role).")
    if role is not None and runbook is None:
        checker.fail("role", "a role", "a role is only used with a runbook; give runbook= too.")
    if automation_role is not None and runbook is None:
        checker.fail("automation_role", "a role", "an automation role is only used with a runbook.")
    try:
        checked_account = TargetAccount(target_account)
    except ValueError:
        checker.fail("target_account", target_account, "RESPONSE_PLAN_OWNER_ACCOUNT or IMPACTED_ACCOUNT.")
    return checked_impact, checked_account


@dataclass(frozen=True)
class RunbookOptions:
    """The checked runbook options that shape the runbook role: the accounts a cross-account
    runbook may run in (None: any) and the pinned document version (None: ``$LATEST``)."""

    target_accounts: list[str] | None = None
    document_version: str | None = None


def check_runbook_options(
    checker: Checker,
    *,
    runbook: IRunbook | None,
    role: iam.IRole | None,
    target_account: TargetAccount,
    target_accounts: Any,
    runbook_document_version: Any,
) -> RunbookOptions:
    """Check ``target_accounts`` and ``runbook_document_version`` against the other props."""
    accounts = check_target_accounts(checker, "target_accounts", target_accounts)
    version = check_document_version(checker, "runbook_document_version", runbook_document_version)
    if accounts is not None:
        if runbook is None:
            checker.fail(
                "target_accounts", accounts, "target accounts are only used with a runbook; give runbook= too."
            )
        if target_account is not TargetAccount.IMPACTED_ACCOUNT:
            checker.fail(
                "target_accounts",
                accounts,
                "target accounts are only used with target_account=TargetAccount.IMPACTED_ACCOUNT.",
            )
        if role is not None:
            checker.fail(
                "target_accounts",
                accounts,
                "target accounts scope the role the response plan creates; a role given with role= is yours to scope.",
            )
    if version is not None and runbook is None:
        checker.fail("runbook_document_version", version, "a document version is only used with a runbook.")
    return RunbookOptions(target_accounts=accounts, document_version=version)


def check_impact(checker: Checker, impact: Any) -> Impact:
    """An :class:`Impact` from a member or a whole number 1-5 (``True`` is refused, though ``bool`` is an ``int``)."""
    if isinstance(impact, int) and not isinstance(impact, bool):
        try:
            return Impact(impact)
        except ValueError:
            pass
    checker.fail("impact", impact, "an Impact: CRITICAL (1), HIGH (2), MEDIUM (3), LOW (4) or NO_IMPACT (5).")


def incident_template(
    *,
    title: str,
    impact: Impact,
    summary: str | None,
    dedupe_string: str | None,
    incident_tags: Mapping[str, str] | None,
    notification_targets: Any,
) -> ssmincidents.CfnResponsePlan.IncidentTemplateProperty:
    """The ``IncidentTemplate`` property."""
    return ssmincidents.CfnResponsePlan.IncidentTemplateProperty(
        title=title,
        impact=int(impact),
        summary=summary,
        dedupe_string=dedupe_string,
        incident_tags=[cdk.CfnTag(key=k, value=v) for k, v in sorted((incident_tags or {}).items())] or None,
        notification_targets=notification_targets,
    )


def _is_list_token(values: Sequence[Any]) -> bool:
    """True for a list only known at deploy time (``CfnParameter(...).value_as_list``)."""
    return any(isinstance(v, str) and "#{Token[" in v for v in values)


def static_runbook_parameters(
    checker: Checker, parameters: Mapping[str, Any], declared: Mapping[str, str] | None
) -> dict[str, list[str]]:
    """The runbook's static parameters, each as a list of values; raises :class:`ValidationError`
    for anything CloudFormation or Incident Manager would refuse, and changes nothing.

    Limits, the stricter of the CloudFormation schema and the ssm-incidents API: at most 200 keys of
    1-50 characters; 1-10 values per key (the schema allows 10, the API 100), distinct (the schema's
    unique items), each a string of at most 512 characters (the API; the schema allows 10000). A key
    must be a parameter the runbook declares, when the runbook's parameters are known.
    """
    if not isinstance(parameters, Mapping):
        checker.fail("runbook_parameters", parameters, "a mapping of parameter names to a string or a list of strings.")
    if len(parameters) > MAX_RUNBOOK_PARAMETERS:
        checker.fail("runbook_parameters", f"{len(parameters)} keys", f"at most {MAX_RUNBOOK_PARAMETERS} parameters.")
    static: dict[str, list[str]] = {}
    for key, value in parameters.items():
        checker.string("runbook_parameters key", key, max_len=MAX_PARAMETER_KEY_LENGTH)
        field = f"runbook_parameters[{key!r}]"
        if isinstance(value, str):
            values = [value]
        elif isinstance(value, SequenceABC) and not isinstance(value, (bytes, bytearray)):
            values = list(value)
        else:
            checker.fail(field, value, "a string or a list of strings.")
        for v in values:
            checker.string(f"{field} value", v, min_len=0, max_len=MAX_PARAMETER_VALUE_LENGTH)
        if not _is_list_token(values):
            if not 1 <= len(values) <= MAX_PARAMETER_VALUES:
                checker.fail(field, values, f"1 to {MAX_PARAMETER_VALUES} values (CloudFormation's limit).")
            if len(set(values)) != len(values):
                checker.fail(field, values, "each value at most once.")
        if declared is not None and key not in declared:
            checker.fail("runbook_parameters key", key, f"a parameter the runbook declares: {sorted(declared)}.")
        static[key] = values
    return static


def dynamic_runbook_parameters(
    checker: Checker,
    dynamic: Mapping[str, Any] | None,
    declared: Mapping[str, str] | None,
    static: Mapping[str, Sequence[str]],
) -> dict[str, DynamicParameter]:
    """The runbook's dynamic parameters (default: ``IncidentRecordArn`` and ``InvolvedResources``
    when the runbook declares them), checked against the runbook and the static parameters."""
    if dynamic is None:
        dynamic = {k: v for k, v in _DEFAULT_DYNAMIC.items() if declared is not None and k in declared}
    if not isinstance(dynamic, Mapping):
        checker.fail(
            "runbook_dynamic_parameters",
            dynamic,
            "a mapping of parameter name to DynamicParameter, like {'IncidentRecordArn': DynamicParameter.INCIDENT_RECORD_ARN}.",
        )
    if len(dynamic) > MAX_RUNBOOK_PARAMETERS:
        checker.fail(
            "runbook_dynamic_parameters", f"{len(dynamic)} keys", f"at most {MAX_RUNBOOK_PARAMETERS} parameters."
        )
    variables: dict[str, DynamicParameter] = {}
    for key, given in dynamic.items():
        checker.string("runbook_dynamic_parameters key", key, max_len=MAX_PARAMETER_KEY_LENGTH)
        try:
            variable = DynamicParameter(given)
        except ValueError:
            checker.fail(f"runbook_dynamic_parameters[{key!r}]", given, "INCIDENT_RECORD_ARN or INVOLVED_RESOURCES.")
        if declared is not None:
            if key not in declared:
                checker.fail(
                    "runbook_dynamic_parameters key", key, f"a parameter the runbook declares: {sorted(declared)}."
                )
            if declared[key] != _DYNAMIC_TYPES[variable]:
                checker.fail(
                    f"runbook_dynamic_parameters[{key!r}]",
                    variable.value,
                    f"{variable.value} goes into a {_DYNAMIC_TYPES[variable]} parameter; {key} is a {declared[key]}.",
                )
        if key in static:
            checker.fail("runbook_dynamic_parameters key", key, "a key that is not also a static parameter.")
        variables[key] = variable
    return variables
