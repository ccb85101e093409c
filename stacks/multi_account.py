"""Incident Manager run from one account for many.

The incident-management account owns the contacts, the escalation plan, one response plan per
workload and the replication set, and shares them through AWS RAM; each workload account's own
CloudWatch alarm and EventBridge rule start incidents in the response plan shared with it.

Each account is a :class:`cdk.Stage` with an explicit environment, so the same stages deploy with
``cdk deploy`` (the incident-management stage first) or as stages of a CDK Pipelines
``CodePipeline`` (``pipeline.add_stage(stage)``, the incident-management stage in an earlier wave).
``examples/multi_account_app.py`` is the app.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from constructs import Construct

from incident_constructs import (
    Contact,
    EscalationPlan,
    EscalationStage,
    Impact,
    IncidentTarget,
    IResponsePlan,
    ReplicationSet,
    ResponsePlan,
)
from incident_constructs._validation import partition_of

__all__ = [
    "EXAMPLE_SETUP",
    "INCIDENT_MANAGEMENT_STAGE",
    "IncidentManagementStack",
    "MultiAccountSetup",
    "Workload",
    "WorkloadStack",
    "apply_multi_account_nag_suppressions",
    "build_multi_account_app",
    "response_plan_name_for",
    "setup_from_context",
]

#: The construct id of the incident-management account's stage (its stack is ``IncidentManagement``).
INCIDENT_MANAGEMENT_STAGE = "IncidentManagement"


@dataclass(frozen=True)
class Workload:
    """One workload account: a service whose alarms and rules start incidents in its shared plan.

    :param name: the service's name (lower-case letters, digits and '-'); the response plan is
        ``<name>-down`` and the stage ``Workload-<name>``.
    :param account: the workload account's 12-digit id.
    :param load_balancer: the ``LoadBalancer`` dimension of the service's Application Load Balancer.
    """

    name: str
    account: str
    load_balancer: str = "app/api/0123456789abcdef"


@dataclass(frozen=True)
class MultiAccountSetup:
    """The accounts of the example: the incident-management account and the workload accounts.

    :param incident_account: the account that owns contacts, plans and shares.
    :param region: the region of every stack (one with Incident Manager).
    :param workloads: the workload accounts.
    :param share_contacts_with: extra principals for the escalation plan and its contacts (an
        organizational unit ARN, say) besides the workload accounts.
    """

    incident_account: str
    region: str
    workloads: tuple[Workload, ...]
    share_contacts_with: tuple[str, ...] = field(default_factory=tuple)


EXAMPLE_SETUP = MultiAccountSetup(
    incident_account="111111111111",
    region="eu-west-1",
    workloads=(Workload("payments", "222222222222"), Workload("search", "333333333333")),
)


def response_plan_name_for(workload: Workload) -> str:
    """The name of the response plan a workload's alarms and rules start."""
    return f"{workload.name}-down"


class IncidentManagementStack(cdk.Stack):
    """The incident-management account: contacts, escalation plan, one response plan per workload,
    the replication set, and the AWS RAM shares that give each workload account its plan."""

    def __init__(self, scope: Construct, id: str, *, setup: MultiAccountSetup, **kwargs: Any) -> None:
        super().__init__(scope, id, **kwargs)
        workload_accounts = [w.account for w in setup.workloads]

        self.primary = Contact(self, "Primary", alias="ops-primary", display_name="Ops primary")
        self.primary.add_email_channel("primary email", "ops-primary@example.com")
        self.primary.add_sms_channel("primary mobile", "+12065550100", engage_after=cdk.Duration.minutes(5))
        self.secondary = Contact(self, "Secondary", alias="ops-secondary", display_name="Ops secondary")
        self.secondary.add_email_channel("secondary email", "ops-secondary@example.com")
        self.escalation = EscalationPlan(
            self,
            "OpsEscalation",
            alias="ops-escalation",
            display_name="Ops escalation",
            stages=[
                EscalationStage(
                    contacts=[self.primary], duration=cdk.Duration.minutes(10), acknowledgement_stops_progression=True
                ),
                EscalationStage(contacts=[self.secondary], duration=cdk.Duration.minutes(10)),
            ],
        )
        # Responders in the workload accounts see the engagements and can engage the escalation
        # plan and its contacts from an incident.
        for contact in (self.primary, self.secondary, self.escalation):
            contact.share_with(*workload_accounts, *setup.share_contacts_with)

        #: One response plan per workload, shared with that workload's account only.
        self.response_plans: dict[str, ResponsePlan] = {}
        for workload in setup.workloads:
            plan = ResponsePlan(
                self,
                f"Plan-{workload.name}",
                response_plan_name=response_plan_name_for(workload),
                display_name=f"{workload.name} down",
                title=f"{workload.name} is failing",
                impact=Impact.HIGH,
                summary=f"Requests to {workload.name} fail, or {workload.name}'s instances stopped.",
                engagements=[self.escalation],
                incident_tags={"workload": workload.name},
            )
            plan.share_with(workload.account)
            self.response_plans[workload.name] = plan

        self.replication_set = ReplicationSet(self, "ReplicationSet", regions=[setup.region])


class WorkloadStack(cdk.Stack):
    """A workload account: an alarm on its load balancer's 5xx responses and a rule on its
    instances stopping, both starting incidents in the response plan shared with the account."""

    def __init__(
        self, scope: Construct, id: str, *, setup: MultiAccountSetup, workload: Workload, **kwargs: Any
    ) -> None:
        super().__init__(scope, id, **kwargs)
        arn = (
            f"arn:{partition_of(setup.region)}:ssm-incidents::{setup.incident_account}:"
            f"response-plan/{response_plan_name_for(workload)}"
        )
        #: The shared response plan, imported by ARN (it belongs to the incident-management account).
        self.response_plan: IResponsePlan = ResponsePlan.from_response_plan_arn(self, "SharedPlan", arn)

        self.alarm = cloudwatch.Alarm(
            self,
            "Http5xx",
            alarm_name=f"{workload.name}-5xx",
            alarm_description=f"{workload.name}: 10 or more 5xx responses a minute, 3 minutes running",
            metric=cloudwatch.Metric(
                namespace="AWS/ApplicationELB",
                metric_name="HTTPCode_Target_5XX_Count",
                dimensions_map={"LoadBalancer": workload.load_balancer},
                statistic="Sum",
                period=cdk.Duration.minutes(1),
            ),
            threshold=10,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            evaluation_periods=3,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        self.alarm.add_alarm_action(self.response_plan.alarm_action())

        self.rule = events.Rule(
            self,
            "InstanceStopped",
            rule_name=f"{workload.name}-instance-stopped",
            description=f"{workload.name}: an EC2 instance stopped",
            event_pattern=events.EventPattern(
                source=["aws.ec2"],
                detail_type=["EC2 Instance State-change Notification"],
                detail={"state": ["stopped"]},
            ),
        )
        self.rule.add_target(IncidentTarget(self.response_plan))


def _env(account: str, region: str) -> cdk.Environment:
    return cdk.Environment(account=account, region=region)


def build_multi_account_app(app: cdk.App, setup: MultiAccountSetup = EXAMPLE_SETUP) -> list[cdk.Stage]:
    """Add the stages of ``setup`` to ``app``: ``IncidentManagement`` first, then one
    ``Workload-<name>`` per workload account. Returns them in deployment order."""
    incident_stage = cdk.Stage(app, INCIDENT_MANAGEMENT_STAGE, env=_env(setup.incident_account, setup.region))
    IncidentManagementStack(
        incident_stage,
        "IncidentManagement",
        setup=setup,
        description="Incident Manager: contacts, response plans and their AWS RAM shares (incident-constructs example)",
    )
    stages = [incident_stage]
    for workload in setup.workloads:
        stage = cdk.Stage(app, f"Workload-{workload.name}", env=_env(workload.account, setup.region))
        WorkloadStack(
            stage,
            "Alarms",
            setup=setup,
            workload=workload,
            description=f"{workload.name}: alarms and rules that start incidents in the shared response plan",
        )
        stages.append(stage)
    return stages


def setup_from_context(app: cdk.App) -> MultiAccountSetup:
    """The setup from the app's context (``-c incidentAccount=... -c workloadAccounts=payments=2222...,...
    -c region=...``), each value defaulting to :data:`EXAMPLE_SETUP`'s."""
    incident_account = app.node.try_get_context("incidentAccount") or EXAMPLE_SETUP.incident_account
    region = app.node.try_get_context("region") or EXAMPLE_SETUP.region
    given = app.node.try_get_context("workloadAccounts")
    workloads = EXAMPLE_SETUP.workloads
    if given:
        pairs: Mapping[str, str] = dict(item.split("=", 1) for item in str(given).split(",") if item)
        workloads = tuple(Workload(name, account) for name, account in pairs.items())
    return MultiAccountSetup(incident_account=str(incident_account), region=str(region), workloads=workloads)


#: Why each cdk-nag finding of the example is accepted, by rule.
NAG_REASONS = {
    "NIST.800.53.R5-IAMNoInlinePolicy": (
        "The role EventBridge assumes to start incidents may call ssm-incidents:StartIncident on one "
        "shared response plan, for one rule of this account; an inline policy cannot be attached to any "
        "other principal, which a managed policy could."
    ),
}


def apply_multi_account_nag_suppressions(stages: list[cdk.Stage]) -> None:
    """Acknowledge, with a reason each, the cdk-nag findings the example is known to have: the
    inline policy of each rule's StartIncident role."""
    for stage in stages:
        for construct in stage.node.find_all():
            if isinstance(construct, WorkloadStack):
                for rule, reason in NAG_REASONS.items():
                    cdk.Validations.of(construct.rule).acknowledge(cdk.Acknowledgment(id=rule, reason=reason))
