"""Response plans: what happens when an incident starts."""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping, Optional, Sequence, Union

import jsii


import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ssmincidents as ssmincidents
from constructs import Construct, IDependable

from ._batch import render, scope_place, token_str
from ._validation import Checker, claim_unique_name, is_token
from .contact import IContact, reference, require_contact
from .roles import SSM_INCIDENTS_PRINCIPAL, RunbookRole
from .runbook import IRunbook

if TYPE_CHECKING:  # imported when used: each of these modules takes 20-80 ms to import
    from aws_cdk import aws_cloudwatch as cloudwatch
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

NAME_PATTERN = r"[a-zA-Z0-9_\-]*"
NAME_RULE = "1-200 characters of letters, digits, '_' and '-'."


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


class IResponsePlan:
    """A response plan that alarms and rules can start incidents from."""

    @property
    def response_plan_arn(self) -> str:
        """``arn:<partition>:ssm-incidents::<account>:response-plan/<name>``."""
        raise NotImplementedError

    @property
    def response_plan_name(self) -> str:
        """The response plan's name."""
        raise NotImplementedError

    def alarm_action(self) -> cloudwatch.IAlarmAction:
        """An alarm action that starts an incident from this response plan.

        The alarm depends on the response plan when both are in the same app, so it is
        never created before the plan it starts. CloudWatch uses its service-linked role
        ``AWSServiceRoleForCloudWatchAlarms_ActionSSMIncidents``.
        """
        action: cloudwatch.IAlarmAction = _alarm_action_class()(self)
        return action


@functools.lru_cache(maxsize=None)
def _alarm_action_class() -> Any:
    """The alarm action class, defined when first used (aws_cloudwatch is imported then)."""
    from aws_cdk import aws_cloudwatch as cloudwatch
    from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions

    @jsii.implements(cloudwatch.IAlarmAction)
    class _ResponsePlanAlarmAction:
        def __init__(self, plan: IResponsePlan) -> None:
            self._plan = plan

        def bind(self, scope: Construct, alarm: cloudwatch.IAlarm) -> cloudwatch.AlarmActionConfig:
            if isinstance(self._plan, ResponsePlan):
                alarm.node.add_dependency(self._plan)
            return cloudwatch_actions.SsmIncidentAction(self._plan.response_plan_name).bind(scope, alarm)

    return _ResponsePlanAlarmAction


class _ImportedResponsePlan(Construct, IResponsePlan):
    def __init__(self, scope: Construct, id: str, *, name: str, arn: str) -> None:
        super().__init__(scope, id)
        self._name = name
        self._arn = arn

    @property
    def response_plan_arn(self) -> str:
        return self._arn

    @property
    def response_plan_name(self) -> str:
        return self._name


def response_plan_arn_for(scope: Construct, name: str) -> str:
    return cdk.Stack.of(scope).format_arn(
        service="ssm-incidents",
        region="",
        resource="response-plan",
        resource_name=name,
        arn_format=cdk.ArnFormat.SLASH_RESOURCE_NAME,
    )


class ResponsePlan(Construct, IResponsePlan):
    """A response plan (``AWS::SSMIncidents::ResponsePlan``): the incident template, who is engaged,
    the runbook, chat and notifications.

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
    :param runbook_parameters: static parameters for the runbook, ``{"Key": ["value", ...]}``.
    :param runbook_dynamic_parameters: parameters Incident Manager fills in. Default: ``IncidentRecordArn``
        and ``InvolvedResources`` when the runbook declares them.
    :param target_account: where the runbook runs. Default: the response plan's account.
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
        display_name: Optional[str] = None,
        summary: Optional[str] = None,
        dedupe_string: Optional[str] = None,
        engagements: Optional[Sequence[IContact]] = None,
        runbook: Optional[IRunbook] = None,
        role: Optional[iam.IRole] = None,
        automation_role: Optional[iam.IRole] = None,
        runbook_parameters: Optional[Mapping[str, Union[str, Sequence[str]]]] = None,
        runbook_dynamic_parameters: Optional[Mapping[str, DynamicParameter]] = None,
        target_account: TargetAccount = TargetAccount.RESPONSE_PLAN_OWNER_ACCOUNT,
        notification_topics: Optional[Sequence[sns.ITopic]] = None,
        chat_channel_topics: Optional[Sequence[sns.ITopic]] = None,
        pager_duty: Optional[PagerDutyIntegration] = None,
        incident_tags: Optional[Mapping[str, str]] = None,
        tags: Optional[Mapping[str, str]] = None,
        removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, id)
        checker = Checker(self, "ResponsePlan")
        self._checker = checker
        checker.string(
            "response_plan_name", response_plan_name, max_len=200, pattern=NAME_PATTERN, pattern_text=NAME_RULE
        )
        checker.string("display_name", display_name, max_len=200, optional=True)
        checker.string("title", title, max_len=200)
        checker.string("summary", summary, max_len=4000, optional=True)
        checker.string("dedupe_string", dedupe_string, max_len=1000, optional=True)
        try:
            impact = Impact(impact)
        except ValueError:
            checker.fail("impact", impact, "an Impact: CRITICAL (1), HIGH (2), MEDIUM (3), LOW (4) or NO_IMPACT (5).")
        claim_unique_name(self, checker, "response-plan", "response_plan_name", response_plan_name, scope=scope)
        self._name = response_plan_name
        self._stack = scope_place(scope).stack
        self.resource: Optional[ssmincidents.CfnResponsePlan] = None
        self._engagements: list[IContact] = []
        for contact in engagements or []:
            self.add_engagement(contact)
        self._notification_topics: list[sns.ITopic] = []
        self._chat_topics: list[sns.ITopic] = []
        for topic in notification_topics or []:
            self.add_notification_topic(topic)
        for topic in chat_channel_topics or []:
            self.add_chat_channel_topic(topic)
        checker.tags("incident_tags", incident_tags or {})
        checker.tags("tags", tags or {})
        if role is not None and runbook is None:
            checker.fail("role", "a role", "a role is only used with a runbook; give runbook= too.")
        if automation_role is not None and runbook is None:
            checker.fail("automation_role", "a role", "an automation role is only used with a runbook.")
        try:
            target_account = TargetAccount(target_account)
        except ValueError:
            checker.fail("target_account", target_account, "RESPONSE_PLAN_OWNER_ACCOUNT or IMPACTED_ACCOUNT.")

        #: The runbook, if any.
        self.runbook = runbook
        self._role = role
        #: The role created for the runbook (None when there is no runbook or ``role`` was given).
        self.runbook_role: Optional[RunbookRole] = None
        actions = None
        if runbook is not None:
            if role is None:
                self.runbook_role = RunbookRole(
                    self,
                    "RunbookRole",
                    response_plan_name=response_plan_name,
                    document_name=runbook.document_name,
                    automation_role=automation_role,
                    cross_account=target_account is TargetAccount.IMPACTED_ACCOUNT,
                )
                role_arn = self.runbook_role.role_arn
            else:
                role_arn = role.role_arn
            actions = [self._runbook_action(runbook, role_arn, automation_role, runbook_parameters, runbook_dynamic_parameters, target_account)]

        integrations = None
        if pager_duty is not None:
            integrations = [self._pager_duty(pager_duty)]

        template: dict[str, Any] = {"title": title, "impact": int(impact)}
        if summary is not None:
            template["summary"] = summary
        if dedupe_string is not None:
            template["dedupe_string"] = dedupe_string
        if incident_tags:
            template["incident_tags"] = [
                cdk.CfnTag(key=k, value=v) for k, v in sorted(incident_tags.items())
            ]
        #: The ``AWS::SSMIncidents::ResponsePlan`` (construct id ``Resource``).
        self.resource = resource = ssmincidents.CfnResponsePlan(
            self,
            "Resource",
            name=response_plan_name,
            display_name=display_name,
            incident_template=ssmincidents.CfnResponsePlan.IncidentTemplateProperty(**template),
            actions=actions,
            integrations=integrations,
            # Known engagements go into the constructor (no override round trip); add_engagement()
            # rewrites the list as an override.
            engagements=[token_str(v) for v in self._engagement_arns()] or None,
            tags=[cdk.CfnTag(key=k, value=v) for k, v in sorted((tags or {}).items())] or None,
        )
        resource.apply_removal_policy(removal_policy)
        runbook_resource = getattr(runbook, "resource", None)
        if isinstance(runbook_resource, cdk.CfnResource):
            # The plan names the document by name, so CloudFormation needs the order spelled out.
            resource.add_resource_dependency(runbook_resource)
        if self._notification_topics:
            self._sync_notification_targets()
        if self._chat_topics:
            self._sync_chat_channel()

    # -- imports ---------------------------------------------------------------------------
    @staticmethod
    def from_response_plan_name(scope: Construct, id: str, response_plan_name: str) -> IResponsePlan:
        """Use an existing response plan of the stack's account, by name."""
        Checker(f"{scope.node.path}/{id}", "ResponsePlan").string(
            "response_plan_name", response_plan_name, max_len=200, pattern=NAME_PATTERN, pattern_text=NAME_RULE
        )
        return _ImportedResponsePlan(
            scope, id, name=response_plan_name, arn=response_plan_arn_for(scope, response_plan_name)
        )

    @staticmethod
    def from_response_plan_arn(scope: Construct, id: str, response_plan_arn: str) -> IResponsePlan:
        """Use an existing response plan, by ARN."""
        checker = Checker(f"{scope.node.path}/{id}", "ResponsePlan")
        if is_token(response_plan_arn):
            name = cdk.Fn.select(1, cdk.Fn.split("/", response_plan_arn))
        else:
            parts = response_plan_arn.split(":")
            if len(parts) != 6 or parts[2] != "ssm-incidents" or not parts[5].startswith("response-plan/"):
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
        assert self.resource is not None
        return self.resource.attr_arn  # read when asked: most plans are never referenced by ARN

    @property
    def response_plan_name(self) -> str:
        return self._name

    @property
    def role(self) -> Optional[iam.IRole]:
        """The role Incident Manager assumes to start the runbook (None without a runbook)."""
        if self.runbook_role is not None:
            return self.runbook_role.role
        return self._role

    @property
    def engagements(self) -> list[IContact]:
        """The contacts engaged, in order."""
        return list(self._engagements)

    # -- add_* -----------------------------------------------------------------------------
    def add_engagement(self, contact: IContact) -> None:
        """Engage a contact, escalation plan or on-call schedule (at most 5, each once)."""
        require_contact(self._checker, "engagements", contact)
        if any(c is contact for c in self._engagements):
            self._checker.fail("engagements", contact.alias, "each contact at most once.")
        if len(self._engagements) >= 5:
            self._checker.fail("engagements", contact.alias, "at most 5 engagements per response plan.")
        self._engagements.append(contact)
        if self.resource is not None:
            self._sync_engagements()

    def add_notification_topic(self, topic: sns.ITopic) -> None:
        """Notify an SNS topic of incident updates (at most 10); the topic policy lets ssm-incidents publish."""
        if len(self._notification_topics) >= 10:
            self._checker.fail("notification_topics", "an 11th topic", "at most 10 notification topics.")
        self._allow_publish(topic, "notification_topics", self._notification_topics)
        self._notification_topics.append(topic)
        if self.resource is not None:
            self._sync_notification_targets()

    def add_chat_channel_topic(self, topic: sns.ITopic) -> None:
        """Send incident updates to an AWS Chatbot channel through its SNS topic (at most 5)."""
        if len(self._chat_topics) >= 5:
            self._checker.fail("chat_channel_topics", "a 6th topic", "at most 5 chat channel topics.")
        self._allow_publish(topic, "chat_channel_topics", self._chat_topics)
        self._chat_topics.append(topic)
        if self.resource is not None:
            self._sync_chat_channel()

    # Lists that add_* calls extend are written as property overrides, in CloudFormation's
    # own casing, each time they change.
    def _sync_engagements(self) -> None:
        assert self.resource is not None
        self.resource.add_property_override("Engagements", self._engagement_arns())

    def _engagement_arns(self) -> list[Any]:
        return [render(reference(c), self._stack) for c in self._engagements]

    def _sync_notification_targets(self) -> None:
        assert self.resource is not None
        self.resource.add_property_override(
            "IncidentTemplate.NotificationTargets", [{"SnsTopicArn": t.topic_arn} for t in self._notification_topics]
        )

    def _sync_chat_channel(self) -> None:
        assert self.resource is not None
        self.resource.add_property_override("ChatChannel", {"ChatbotSns": [t.topic_arn for t in self._chat_topics]})

    def _allow_publish(self, topic: sns.ITopic, field: str, existing: list[sns.ITopic]) -> None:
        if not hasattr(topic, "topic_arn") or not hasattr(topic, "add_to_resource_policy"):
            self._checker.fail(field, topic, "an aws_sns.ITopic.")
        if any(t is topic for t in existing):
            self._checker.fail(field, topic.node.path, "each topic at most once.")
        if any(t is topic for t in self._notification_topics + self._chat_topics):
            return
        result = topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid=f"IncidentManagerPublish{self.node.addr[:8]}",
                actions=["sns:Publish"],
                principals=[iam.ServicePrincipal(SSM_INCIDENTS_PRINCIPAL)],
                resources=[topic.topic_arn],
                conditions={"StringEquals": {"aws:SourceAccount": cdk.Aws.ACCOUNT_ID}},
            )
        )
        # Incident Manager publishes a test message when the plan is created: the policy first.
        if result.statement_added and result.policy_dependable is not None:
            self.node.add_dependency(result.policy_dependable)

    # -- parts -----------------------------------------------------------------------------
    def _runbook_action(
        self,
        runbook: IRunbook,
        role_arn: str,
        automation_role: Optional[iam.IRole],
        parameters: Optional[Mapping[str, Union[str, Sequence[str]]]],
        dynamic: Optional[Mapping[str, DynamicParameter]],
        target_account: TargetAccount,
    ) -> ssmincidents.CfnResponsePlan.ActionProperty:
        checker = self._checker
        declared = runbook.parameter_types
        static: dict[str, list[str]] = {}
        for key, value in (parameters or {}).items():
            values = [value] if isinstance(value, str) else list(value)
            checker.string("runbook_parameters key", key, max_len=50)
            if not 1 <= len(values) <= 100 and not is_token(values):
                checker.fail(f"runbook_parameters[{key!r}]", values, "1 to 100 values.")
            for v in values:
                checker.string(f"runbook_parameters[{key!r}] value", v, min_len=0, max_len=512)
            if declared is not None and key not in declared:
                checker.fail("runbook_parameters key", key, f"a parameter the runbook declares: {sorted(declared)}.")
            static[key] = values
        if automation_role is not None:
            if not runbook.runs_as_automation_assume_role:
                checker.fail(
                    "automation_role", "a role", "the runbook must run as {{ AutomationAssumeRole }} to use an automation role."
                )
            static["AutomationAssumeRole"] = [automation_role.role_arn]
        if len(static) > 200:
            checker.fail("runbook_parameters", f"{len(static)} keys", "at most 200 parameters.")
        if dynamic is None:
            dynamic = {k: v for k, v in _DEFAULT_DYNAMIC.items() if declared is not None and k in declared}
        for key, variable in dynamic.items():
            try:
                variable = DynamicParameter(variable)
            except ValueError:
                checker.fail(f"runbook_dynamic_parameters[{key!r}]", variable, "INCIDENT_RECORD_ARN or INVOLVED_RESOURCES.")
            if declared is not None:
                if key not in declared:
                    checker.fail("runbook_dynamic_parameters key", key, f"a parameter the runbook declares: {sorted(declared)}.")
                if declared[key] != _DYNAMIC_TYPES[variable]:
                    checker.fail(
                        f"runbook_dynamic_parameters[{key!r}]",
                        variable.value,
                        f"{variable.value} goes into a {_DYNAMIC_TYPES[variable]} parameter; {key} is a {declared[key]}.",
                    )
            if key in static:
                checker.fail("runbook_dynamic_parameters key", key, "a key that is not also a static parameter.")
        automation = ssmincidents.CfnResponsePlan.SsmAutomationProperty(
            document_name=runbook.document_name,
            document_version="$LATEST",
            role_arn=role_arn,
            target_account=target_account.value,
            parameters=[
                ssmincidents.CfnResponsePlan.SsmParameterProperty(key=k, values=v) for k, v in static.items()
            ]
            or None,
            dynamic_parameters=[
                ssmincidents.CfnResponsePlan.DynamicSsmParameterProperty(
                    key=k, value=ssmincidents.CfnResponsePlan.DynamicSsmParameterValueProperty(variable=DynamicParameter(v).value)
                )
                for k, v in dynamic.items()
            ]
            or None,
        )
        return ssmincidents.CfnResponsePlan.ActionProperty(ssm_automation=automation)

    def _pager_duty(self, config: PagerDutyIntegration) -> ssmincidents.CfnResponsePlan.IntegrationProperty:
        checker = self._checker
        checker.string("pager_duty name", config.name, max_len=200)
        checker.string("pager_duty service_id", config.service_id, max_len=200)
        secret = config.secret
        from aws_cdk import aws_secretsmanager as secretsmanager

        if isinstance(secret, secretsmanager.Secret) and secret.encryption_key is None:
            checker.fail(
                "pager_duty secret",
                secret.node.path,
                "a secret encrypted with a customer managed key (encryption_key=...); Incident Manager cannot "
                "read secrets under the AWS managed key.",
            )
        principal = iam.ServicePrincipal(SSM_INCIDENTS_PRINCIPAL).with_conditions(
            {"StringEquals": {"aws:SourceAccount": cdk.Aws.ACCOUNT_ID}}
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


