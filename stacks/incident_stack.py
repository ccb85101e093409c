"""The blog scenario, end to end: an EC2 CPU alarm starts an incident that engages an
escalation plan and runs a runbook of five manual steps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from constructs import Construct

from incident_constructs import (
    Contact,
    EscalationPlan,
    EscalationStage,
    Impact,
    OnCallSchedule,
    ReplicationSet,
    ResponsePlan,
    Rotation,
    RotationRecurrence,
    Runbook,
    RunbookStep,
    ShiftCoverage,
)

#: The instance watched by the alarm when the app gets no ``instanceId`` context.
DEFAULT_INSTANCE_ID = "i-0123456789abcdef0"

RUNBOOK_STEPS = [
    RunbookStep.pause(
        "Inspect",
        description=(
            "## Inspect\n"
            "Navigate to the Amazon CloudWatch console and inspect the CPUUtilization metric of the "
            "instance named in the incident. Identify the processes driving the load from the instance."
        ),
    ),
    RunbookStep.pause(
        "AddMetrics",
        description=(
            "## AddMetrics\n"
            "Add the metrics of the related resources (load balancer request count, Auto Scaling group "
            "size) to the incident as related items."
        ),
    ),
    RunbookStep.pause(
        "AttachToAutoScalingGroup",
        description=(
            "## AttachToAutoScalingGroup\n"
            "Attach the instance to an Auto Scaling group (EC2 console, Instances, Actions, Instance "
            "settings, Attach to Auto Scaling Group) so that load is spread over more instances."
        ),
    ),
    RunbookStep.pause(
        "Validate",
        description=(
            "## Validate\n"
            "Check in the CloudWatch console that CPUUtilization is back below 85% and that the alarm "
            "has returned to OK."
        ),
    ),
    RunbookStep.pause(
        "CloseIncident",
        description=(
            "## CloseIncident\n"
            "Resolve the incident in the Incident Manager console and start the post-incident analysis."
        ),
    ),
]


class IncidentManagerStack(cdk.Stack):
    """Contacts, escalation plan, runbook, response plan, replication set and the CPU alarm."""

    def __init__(self, scope: Construct, id: str, **kwargs: Any) -> None:
        super().__init__(scope, id, **kwargs)
        instance_id = self.node.try_get_context("instanceId") or DEFAULT_INSTANCE_ID

        self.responder = Contact(
            self, "IncidentResponder", alias="incident-responder", display_name="Incident Responder"
        )
        self.responder.add_email_channel(
            "incident responder email", "responder@example.com", engage_after=cdk.Duration.minutes(0)
        )
        self.responder.add_sms_channel(
            "incident responder mobile", "+12065550100", engage_after=cdk.Duration.minutes(10)
        )

        self.senior = Contact(
            self, "SrIncidentResponder", alias="sr-incident-responder", display_name="Senior Incident Responder"
        )
        self.senior.add_email_channel("sr incident responder email", "sr-responder@example.com")
        self.senior.add_voice_channel(
            "sr incident responder phone", "+12065550101", engage_after=cdk.Duration.minutes(5)
        )

        self.escalation = EscalationPlan(
            self,
            "AppEscalationPlan",
            alias="app-escalation-plan",
            display_name="App escalation plan",
            stages=[
                EscalationStage(
                    contacts=[self.responder], duration=cdk.Duration.minutes(5), acknowledgement_stops_progression=True
                ),
                EscalationStage(
                    contacts=[self.senior], duration=cdk.Duration.minutes(5), acknowledgement_stops_progression=True
                ),
            ],
        )

        self.runbook = Runbook(
            self,
            "Ec2CpuRunbook",
            document_name="ec2-cpu-util-runbook",
            description="# EC2 high CPU\nManual steps for an EC2 instance whose CPU utilization stays above 85%.",
            steps=RUNBOOK_STEPS,
        )

        self.response_plan = ResponsePlan(
            self,
            "EC2HighCPU",
            response_plan_name="EC2HighCPU",
            display_name="EC2 high CPU",
            title="cpu-incident-1",
            impact=Impact.MEDIUM,
            summary="CPU utilization of an EC2 instance has been above 85% for 10 minutes.",
            dedupe_string="ec2-high-cpu",
            engagements=[self.escalation],
            runbook=self.runbook,
            incident_tags={"service": "web"},
        )

        self.replication_set = ReplicationSet(self, "ReplicationSet", regions=["us-east-1"])

        self.cpu_alarm = cloudwatch.Alarm(
            self,
            "HighCpuAlarm",
            alarm_name="ec2-high-cpu",
            alarm_description="CPU utilization of the web instance above 85%",
            metric=cloudwatch.Metric(
                namespace="AWS/EC2",
                metric_name="CPUUtilization",
                dimensions_map={"InstanceId": instance_id},
                statistic="Average",
                period=cdk.Duration.minutes(5),
            ),
            threshold=85,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluation_periods=2,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        self.cpu_alarm.add_alarm_action(self.response_plan.alarm_action())

        # On call: a weekly primary rotation plus a follow-the-sun pair (London mornings, Los Angeles
        # mornings), in one on-call schedule that the escalation plan engages in a third stage.
        self.web_engineer = Contact(self, "WebEngineer", alias="web-engineer", display_name="Web Engineer")
        self.web_engineer.add_email_channel("web engineer email", "web-engineer@example.com")
        every_day = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]
        self.primary_rotation = Rotation(
            self,
            "WebPrimaryRotation",
            rotation_name="web_primary",
            contacts=[self.responder, self.senior, self.web_engineer],
            start_time=datetime(2026, 1, 5, 9, 0),
            time_zone="America/Los_Angeles",
            recurrence=RotationRecurrence.weekly(day_of_week="MON", hand_off_time="09:00"),
        )
        self.emea_rotation = Rotation(
            self,
            "WebFollowTheSunEmea",
            rotation_name="web_follow_the_sun_emea",
            contacts=[self.senior, self.web_engineer],
            start_time=datetime(2026, 1, 5, 8, 0),
            time_zone="Europe/London",
            recurrence=RotationRecurrence.weekly(day_of_week="MON", hand_off_time="08:00"),
            shift_coverage=[ShiftCoverage(day_of_week=day, start="08:00", end="16:00") for day in every_day],
        )
        self.amer_rotation = Rotation(
            self,
            "WebFollowTheSunAmer",
            rotation_name="web_follow_the_sun_amer",
            contacts=[self.responder, self.web_engineer],
            start_time=datetime(2026, 1, 5, 8, 0),
            time_zone="America/Los_Angeles",
            recurrence=RotationRecurrence.weekly(day_of_week="MON", hand_off_time="08:00"),
            shift_coverage=[ShiftCoverage(day_of_week=day, start="08:00", end="16:00") for day in every_day],
        )
        self.on_call = OnCallSchedule(
            self,
            "WebOnCall",
            alias="web-oncall",
            display_name="Web on call",
            rotations=[self.primary_rotation, self.emea_rotation, self.amer_rotation],
        )
        self.escalation.add_stage(EscalationStage(contacts=[self.on_call], duration=cdk.Duration.minutes(5)))
