"""A fake Incident Manager account for the adoption tests: real botocore clients whose calls are
answered by operation name, with requests validated by botocore (as for any call) and responses
validated against the service models (as ``botocore.stub.Stubber`` does).

``FakeAccount`` holds the account in the API's own shapes. Lists are answered in pages of
``page_size`` items, so every list in the tests spans several pages. ``calls`` records every
operation made, for the read-only and IAM-policy checks.
"""

from __future__ import annotations

import copy
import dataclasses
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

import botocore.session
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.validate import validate_parameters

ACCOUNT = "111122223333"
REGION = "us-east-1"
CONTACTS = f"arn:aws:ssm-contacts:{REGION}:{ACCOUNT}"
INCIDENTS = f"arn:aws:ssm-incidents::{ACCOUNT}"
RUNBOOK_ROLE = f"arn:aws:iam::{ACCOUNT}:role/IncidentManagerRunbookRole"


def contact_arn(alias: str) -> str:
    return f"{CONTACTS}:contact/{alias}"


def _id(seed: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, seed))


@dataclasses.dataclass
class FakeAccount:
    contacts: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    channels: dict[str, list[dict[str, Any]]] = dataclasses.field(default_factory=dict)  # contact ARN -> channels
    rotations: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    response_plans: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    replication_sets: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    documents: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    tags: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)
    parameters: dict[str, str] = dataclasses.field(default_factory=dict)
    page_size: int = 2
    calls: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    #: Operation -> exception factory, to simulate failures.
    failures: dict[str, Callable[[], Exception]] = dataclasses.field(default_factory=dict)
    #: Operations left to botocore's HTTP layer (a test answers them with a before-send hook).
    over_http: set[str] = dataclasses.field(default_factory=set)

    # -- building ---------------------------------------------------------------------------------
    def add_person(
        self,
        alias: str,
        display_name: str | None,
        channels: list[tuple[str, str, str]],
        stages: list[tuple[int, list[tuple[str, int | None]]]],
        tags: dict[str, str] | None = None,
    ) -> str:
        """channels: (name, type, address); stages: (duration, [(channel name, retry)])."""
        arn = contact_arn(alias)
        by_name = {}
        self.channels[arn] = []
        for name, kind, address in channels:
            channel_arn = f"{CONTACTS}:contact-channel/{alias}/{_id(alias + name)}"
            by_name[name] = channel_arn
            self.channels[arn].append(
                {
                    "ContactChannelArn": channel_arn,
                    "ContactArn": arn,
                    "Name": name,
                    "Type": kind,
                    "DeliveryAddress": {"SimpleAddress": address},
                    "ActivationStatus": "ACTIVATED",
                }
            )
        plan_stages = []
        for duration, targets in stages:
            plan_targets = []
            for name, retry in targets:
                info: dict[str, Any] = {"ContactChannelId": by_name[name]}
                if retry is not None:
                    info["RetryIntervalInMinutes"] = retry
                plan_targets.append({"ChannelTargetInfo": info})
            plan_stages.append({"DurationInMinutes": duration, "Targets": plan_targets})
        self._contact(arn, alias, display_name, "PERSONAL", {"Stages": plan_stages}, tags)
        return arn

    def add_escalation(self, alias: str, display_name: str, stages: list[tuple[int, list[tuple[str, bool]]]]) -> str:
        arn = contact_arn(alias)
        plan = {
            "Stages": [
                {
                    "DurationInMinutes": d,
                    "Targets": [
                        {"ContactTargetInfo": {"ContactId": contact_arn(a), "IsEssential": e}} for a, e in targets
                    ],
                }
                for d, targets in stages
            ]
        }
        self._contact(arn, alias, display_name, "ESCALATION", plan, None)
        return arn

    def add_schedule(self, alias: str, display_name: str, rotation_arns: list[str]) -> str:
        arn = contact_arn(alias)
        self._contact(arn, alias, display_name, "ONCALL_SCHEDULE", {"Stages": [], "RotationIds": rotation_arns}, None)
        return arn

    def _contact(
        self,
        arn: str,
        alias: str,
        display_name: str | None,
        kind: str,
        plan: dict[str, Any],
        tags: dict[str, str] | None,
    ) -> None:
        contact: dict[str, Any] = {"ContactArn": arn, "Alias": alias, "Type": kind, "Plan": plan}
        if display_name is not None:
            contact["DisplayName"] = display_name
        self.contacts.append(contact)
        self.tags[arn] = dict(tags or {})

    def add_rotation(
        self, name: str, aliases: list[str], start_local: str, zone: str, recurrence: dict[str, Any]
    ) -> str:
        arn = f"{CONTACTS}:rotation/{_id(name)}"
        start = datetime.fromisoformat(start_local).replace(tzinfo=ZoneInfo(zone)).astimezone(timezone.utc)
        self.rotations.append(
            {
                "RotationArn": arn,
                "Name": name,
                "ContactIds": [contact_arn(a) for a in aliases],
                "StartTime": start,
                "TimeZoneId": zone,
                "Recurrence": recurrence,
            }
        )
        self.tags[arn] = {}
        return arn

    def add_response_plan(self, plan: dict[str, Any], tags: dict[str, str] | None = None) -> str:
        arn = f"{INCIDENTS}:response-plan/{plan['name']}"
        self.response_plans.append({"arn": arn, **plan})
        self.tags[arn] = dict(tags or {})
        return arn

    def add_replication_set(self, regions: dict[str, str], deletion_protected: bool = True) -> str:
        arn = f"{INCIDENTS}:replication-set/{_id('replication-set')}"
        now = datetime(2025, 6, 1, tzinfo=timezone.utc)
        self.replication_sets.append(
            {
                "arn": arn,
                "createdBy": f"arn:aws:iam::{ACCOUNT}:user/admin",
                "createdTime": now,
                "deletionProtected": deletion_protected,
                "lastModifiedBy": f"arn:aws:iam::{ACCOUNT}:user/admin",
                "lastModifiedTime": now,
                "status": "ACTIVE",
                "regionMap": {
                    r: {"sseKmsKeyId": k, "status": "ACTIVE", "statusUpdateDateTime": now} for r, k in regions.items()
                },
            }
        )
        self.tags[arn] = {}
        return arn

    def add_document(self, name: str, content: str, document_format: str = "YAML") -> None:
        self.documents[name] = {
            "Name": name,
            "Content": content,
            "DocumentFormat": document_format,
            "DocumentType": "Automation",
            "DocumentVersion": "1",
            "Status": "Active",
        }

    # -- console edits ------------------------------------------------------------------------
    def contact(self, alias: str) -> dict[str, Any]:
        return next(c for c in self.contacts if c["Alias"] == alias)

    def channel(self, alias: str, name: str) -> dict[str, Any]:
        return next(c for c in self.channels[contact_arn(alias)] if c["Name"] == name)

    def response_plan(self, name: str) -> dict[str, Any]:
        return next(p for p in self.response_plans if p["name"] == name)

    def rotation(self, name: str) -> dict[str, Any]:
        return next(r for r in self.rotations if r["Name"] == name)

    # -- answering ------------------------------------------------------------------------------
    def _page(self, items: list[Any], token: str | None) -> tuple[list[Any], str | None]:
        start = int(token) if token else 0
        end = start + self.page_size
        return items[start:end], (str(end) if end < len(items) else None)

    def answer(self, service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        self.calls.append((service, operation))
        if operation in self.failures:
            raise self.failures[operation]()
        handler = getattr(self, f"_{service.replace('-', '_')}_{operation}")
        return copy.deepcopy(handler(params))

    def _ssm_contacts_ListContacts(self, p: dict[str, Any]) -> dict[str, Any]:
        items, token = self._page(self.contacts, p.get("NextToken"))
        result: dict[str, Any] = {
            "Contacts": [{k: c[k] for k in ("ContactArn", "Alias", "DisplayName", "Type") if k in c} for c in items]
        }
        if token:
            result["NextToken"] = token
        return result

    def _ssm_contacts_GetContact(self, p: dict[str, Any]) -> dict[str, Any]:
        return next(c for c in self.contacts if c["ContactArn"] == p["ContactId"])

    def _ssm_contacts_ListContactChannels(self, p: dict[str, Any]) -> dict[str, Any]:
        items, token = self._page(self.channels.get(p["ContactId"], []), p.get("NextToken"))
        result: dict[str, Any] = {"ContactChannels": items}
        if token:
            result["NextToken"] = token
        return result

    def _ssm_contacts_GetContactChannel(self, p: dict[str, Any]) -> dict[str, Any]:
        return next(c for cs in self.channels.values() for c in cs if c["ContactChannelArn"] == p["ContactChannelId"])

    def _ssm_contacts_ListRotations(self, p: dict[str, Any]) -> dict[str, Any]:
        items, token = self._page(self.rotations, p.get("NextToken"))
        result: dict[str, Any] = {"Rotations": items}
        if token:
            result["NextToken"] = token
        return result

    def _ssm_contacts_GetRotation(self, p: dict[str, Any]) -> dict[str, Any]:
        return next(r for r in self.rotations if r["RotationArn"] == p["RotationId"])

    def _ssm_contacts_ListTagsForResource(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"Tags": [{"Key": k, "Value": v} for k, v in self.tags.get(p["ResourceARN"], {}).items()]}

    def _ssm_incidents_ListResponsePlans(self, p: dict[str, Any]) -> dict[str, Any]:
        items, token = self._page(self.response_plans, p.get("nextToken"))
        result: dict[str, Any] = {
            "responsePlanSummaries": [{k: x[k] for k in ("arn", "name", "displayName") if k in x} for x in items]
        }
        if token:
            result["nextToken"] = token
        return result

    def _ssm_incidents_GetResponsePlan(self, p: dict[str, Any]) -> dict[str, Any]:
        return next(x for x in self.response_plans if x["arn"] == p["arn"])

    def _ssm_incidents_ListReplicationSets(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"replicationSetArns": [r["arn"] for r in self.replication_sets]}

    def _ssm_incidents_GetReplicationSet(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"replicationSet": next(r for r in self.replication_sets if r["arn"] == p["arn"])}

    def _ssm_incidents_ListTagsForResource(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"tags": self.tags.get(p["resourceArn"], {})}

    def _ssm_GetDocument(self, p: dict[str, Any]) -> dict[str, Any]:
        return self.documents[p["Name"]]

    def _ssm_GetParameter(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"Parameter": {"Name": p["Name"], "Type": "String", "Value": self.parameters[p["Name"]], "Version": 1}}

    # -- clients ----------------------------------------------------------------------------------
    def session(self) -> FakeSession:
        return FakeSession(self)


class FakeSession:
    """boto3.Session's ``client()``: real botocore clients, answered by the fake account."""

    def __init__(self, account: FakeAccount) -> None:
        self.account = account
        self._botocore = botocore.session.Session()
        self._botocore.set_credentials("AKIAFAKEFAKEFAKE", "fake-secret")
        self.configs: dict[str, Any] = {}

    def client(self, service_name: str, region_name: str | None = None, config: Config | None = None) -> Any:
        client = self._botocore.create_client(service_name, region_name=region_name, config=config)
        self.configs[service_name] = config
        account = self.account
        last: dict[str, Any] = {}

        def remember(params: dict[str, Any], **_: Any) -> None:
            last["params"] = copy.deepcopy(params)  # the API's names, before botocore validates them

        def handler(model: Any, **_: Any) -> Any:
            params = last.pop("params", {})
            if model.name in account.over_http:
                return None
            response = account.answer(service_name, model.name, params)
            if model.output_shape is not None:
                validate_parameters(response, model.output_shape)  # raises ParamValidationError
            return AWSResponse(None, 200, {}, None), response

        client.meta.events.register("before-parameter-build.*.*", remember)
        client.meta.events.register("before-call.*.*", handler)
        return client


# -- the scenarios --------------------------------------------------------------------------------

EC2_RUNBOOK = """\
description: |-
  # EC2 high CPU
  Manual steps for an EC2 instance whose CPU utilization stays above 85%.
schemaVersion: '0.3'
assumeRole: '{{ AutomationAssumeRole }}'
parameters:
  AutomationAssumeRole:
    type: String
    description: (Optional) The ARN of the role that allows Automation to perform the actions on your behalf.
    default: ''
mainSteps:
  - name: Inspect
    action: aws:pause
    inputs: {}
    description: Navigate to the Amazon CloudWatch console and inspect the CPUUtilization metric of the instance.
  - name: AddMetrics
    action: aws:pause
    inputs: {}
    description: Add the metrics of the related resources to the incident as related items.
  - name: AttachToAutoScalingGroup
    action: aws:pause
    inputs: {}
    description: Attach the instance to an Auto Scaling group so that load is spread over more instances.
  - name: Validate
    action: aws:pause
    inputs: {}
    description: Check in the CloudWatch console that CPUUtilization is back below 85%.
  - name: CloseIncident
    action: aws:pause
    inputs: {}
    description: Resolve the incident and start the post-incident analysis.
"""


def blog_account(page_size: int = 2) -> FakeAccount:
    """The AWS blog post's set-up as the console makes it: two people (email at minute 0, SMS or
    voice later), an escalation plan of two 5-minute stages whose acknowledgement stops the plan,
    response plan EC2HighCPU (cpu-incident-1, impact 3) with the cloned runbook of 5 aws:pause
    steps and an existing role, and a one-region replication set."""
    account = FakeAccount(page_size=page_size)
    account.add_person(
        "incident-responder",
        "Incident Responder",
        [
            ("incident responder email", "EMAIL", "responder@example.com"),
            ("incident responder mobile", "SMS", "+12065550100"),
        ],
        [(10, [("incident responder email", 5)]), (0, [("incident responder mobile", 5)])],
    )
    account.add_person(
        "sr-incident-responder",
        "Senior Incident Responder",
        [
            ("sr incident responder email", "EMAIL", "sr-responder@example.com"),
            ("sr incident responder phone", "VOICE", "+12065550101"),
        ],
        [(5, [("sr incident responder email", 5)]), (0, [("sr incident responder phone", 5)])],
    )
    account.add_escalation(
        "app-escalation-plan",
        "App escalation plan",
        [(5, [("incident-responder", True)]), (5, [("sr-incident-responder", True)])],
    )
    account.add_document("ec2-cpu-util-runbook", EC2_RUNBOOK)
    account.add_response_plan(
        {
            "name": "EC2HighCPU",
            "displayName": "EC2 high CPU",
            "incidentTemplate": {
                "title": "cpu-incident-1",
                "impact": 3,
                "summary": "CPU utilization of an EC2 instance is above 85%.",
            },
            "engagements": [contact_arn("app-escalation-plan")],
            "actions": [
                {
                    "ssmAutomation": {
                        "roleArn": RUNBOOK_ROLE,
                        "documentName": "ec2-cpu-util-runbook",
                        "documentVersion": "$DEFAULT",
                        "targetAccount": "RESPONSE_PLAN_OWNER_ACCOUNT",
                    }
                }
            ],
        }
    )
    account.add_replication_set({REGION: "DefaultKey"})
    return account


MORNINGS = {
    day: [{"Start": {"HourOfDay": 8, "MinuteOfHour": 0}, "End": {"HourOfDay": 16, "MinuteOfHour": 0}}]
    for day in ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
}


def weekly(day: str, hour: int, **extra: Any) -> dict[str, Any]:
    return {
        "NumberOfOnCalls": 1,
        "RecurrenceMultiplier": 1,
        "WeeklySettings": [{"DayOfWeek": day, "HandOffTime": {"HourOfDay": hour, "MinuteOfHour": 0}}],
        **extra,
    }


def full_account(page_size: int = 2) -> FakeAccount:
    """The blog's set-up plus a third person, a weekly rotation, a follow-the-sun pair of
    rotations (London and Los Angeles mornings) in an on-call schedule, a second escalation plan
    engaging the schedule, and a response plan with chat topics, a notification topic, PagerDuty
    and an AWS-owned runbook."""
    account = blog_account(page_size)
    account.add_person(
        "web-engineer",
        "Web Engineer",
        [("web engineer email", "EMAIL", "web-engineer@example.com")],
        [(0, [("web engineer email", 5)])],
        tags={"team": "web"},
    )
    primary = account.add_rotation(
        "web_primary",
        ["incident-responder", "sr-incident-responder", "web-engineer"],
        "2026-01-05T09:00:00",
        "America/Los_Angeles",
        weekly("MON", 9),
    )
    emea = account.add_rotation(
        "web_follow_the_sun_emea",
        ["sr-incident-responder", "web-engineer"],
        "2026-01-05T08:00:00",
        "Europe/London",
        weekly("MON", 8, ShiftCoverages=MORNINGS),
    )
    amer = account.add_rotation(
        "web_follow_the_sun_amer",
        ["incident-responder", "web-engineer"],
        "2026-01-05T08:00:00",
        "America/Los_Angeles",
        weekly("MON", 8, ShiftCoverages=MORNINGS),
    )
    account.add_schedule("web-oncall", "Web on call", [primary, emea, amer])
    account.add_escalation(
        "web-escalation", "Web escalation", [(5, [("web-oncall", False)]), (10, [("app-escalation-plan", False)])]
    )
    topic = f"arn:aws:sns:{REGION}:{ACCOUNT}:incident-chat"
    account.add_response_plan(
        {
            "name": "WebDown",
            "incidentTemplate": {
                "title": "web-down",
                "impact": 1,
                "dedupeString": "web-down",
                "incidentTags": {"service": "web"},
                "notificationTargets": [{"snsTopicArn": f"arn:aws:sns:{REGION}:{ACCOUNT}:incident-updates"}],
            },
            "engagements": [contact_arn("web-escalation")],
            "chatChannel": {"chatbotSns": [topic]},
            "integrations": [
                {
                    "pagerDutyConfiguration": {
                        "name": "web",
                        "secretId": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:pagerduty-AbCdEf",
                        "pagerDutyIncidentConfiguration": {"serviceId": "PABC123"},
                    }
                }
            ],
            "actions": [
                {
                    "ssmAutomation": {
                        "roleArn": RUNBOOK_ROLE,
                        "documentName": "AWSIncidents-CriticalIncidentRunbookTemplate",
                        "documentVersion": "$DEFAULT",
                    }
                }
            ],
        },
        tags={"owner": "web"},
    )
    return account
