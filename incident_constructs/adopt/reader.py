"""Reading an account's Incident Manager set-up with boto3 (read-only calls only).

:func:`read_account` takes anything shaped like a boto3 ``Session``: an object whose
``client(service_name, region_name=..., config=...)`` returns a client. Every list is followed
to its last page (botocore's paginators when the client has them), and throttled calls are
retried by botocore's standard retry mode.

The calls, all read-only (the README's IAM policy lists them): ``ssm-contacts`` ListContacts,
GetContact, ListContactChannels, GetContactChannel, ListRotations, GetRotation,
ListTagsForResource; ``ssm-incidents`` ListResponsePlans, GetResponsePlan, ListReplicationSets,
GetReplicationSet, ListTagsForResource; ``ssm`` GetDocument (custom runbooks named by a plan).
"""

from __future__ import annotations

import json
import re
import zoneinfo
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import Any

import yaml

from .errors import AdoptError
from .snapshot import (
    CHANNEL,
    CONTACT,
    DOCUMENT,
    PLAN,
    REPLICATION_SET,
    RESPONSE_PLAN,
    ROTATION,
    AccountSnapshot,
    LiveResource,
)

__all__ = ["read_account", "is_aws_owned_document", "parse_document", "retry_config"]

_DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
#: Custom document names may not start with these (any case): such a name is AWS's.
_RESERVED_PREFIXES = ("aws", "amazon", "amzn")
_ARN = re.compile(r"^arn:([^:]+):[^:]+:[^:]*:([0-9]{12}):")
#: How many pages one list may have before reading stops (a service that never ends its list).
MAX_PAGES = 10_000


def retry_config() -> Any:
    """botocore's standard retry mode (throttling retried with back-off), or None without botocore."""
    try:
        from botocore.config import Config  # type: ignore[import-untyped,unused-ignore]
    except ImportError:  # pragma: no cover - boto3 brings botocore
        return None
    return Config(retries={"mode": "standard"})


def is_aws_owned_document(name: str) -> bool:
    """True for a document of AWS (``AWSIncidents-...``, ``AWS-...``) or shared by ARN: never written as a file."""
    return name.startswith("arn:") or name.lower().startswith(_RESERVED_PREFIXES)


class _TextTimestamps(yaml.SafeLoader):  # type: ignore[misc]
    """Safe YAML whose timestamps stay text (as the organisation file's loader keeps them)."""


_TextTimestamps.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def parse_document(text: str, document_format: str | None) -> Any:
    """A document's content as data (JSON or YAML)."""
    if (document_format or "JSON").upper() == "JSON":
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            pass
    return yaml.load(text, Loader=_TextTimestamps)


def _client(session: Any, service: str, region: str) -> Any:
    config = retry_config()
    if config is not None:
        try:
            return session.client(service, region_name=region, config=config)
        except TypeError:  # a session-like object whose client() takes no config
            pass
    return session.client(service, region_name=region)


class _Reader:
    def __init__(self, session: Any, region: str) -> None:
        self.region = region
        self.contacts = _client(session, "ssm-contacts", region)
        self.incidents = _client(session, "ssm-incidents", region)
        self.ssm = _client(session, "ssm", region)

    def call(self, client: Any, service: str, operation: str, **params: Any) -> dict[str, Any]:
        method = getattr(client, _snake(operation))
        try:
            result: dict[str, Any] = method(**params)
        except Exception as error:  # botocore's ClientError, EndpointConnectionError, NoCredentialsError...
            raise AdoptError(f"{service} {operation} failed: {_describe(error)}") from None
        return result

    def pages(self, client: Any, service: str, operation: str, token: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Every page of a list operation: botocore's paginator when the client has one, else
        the NextToken loop (a repeated token stops with an error instead of looping)."""
        name = _snake(operation)
        can = getattr(client, "can_paginate", None)
        if callable(can) and can(name):
            try:
                for count, page in enumerate(client.get_paginator(name).paginate(**params), start=1):
                    if count > MAX_PAGES:
                        raise AdoptError(f"{service} {operation}: more than {MAX_PAGES} pages")
                    yield page
            except AdoptError:
                raise
            except Exception as error:
                raise AdoptError(f"{service} {operation} failed: {_describe(error)}") from None
            return
        seen: set[str] = set()
        while True:
            page = self.call(client, service, operation, **params)
            yield page
            next_token = page.get(token)
            if not next_token:
                return
            if next_token in seen or len(seen) >= MAX_PAGES:
                raise AdoptError(f"{service} {operation}: the service returned the same page token twice")
            seen.add(next_token)
            params = {**params, token: next_token}

    # -- ssm-contacts ------------------------------------------------------------------------------
    def read_contacts(self, snapshot: AccountSnapshot) -> None:
        summaries = [
            c
            for page in self.pages(self.contacts, "ssm-contacts", "ListContacts", "NextToken")
            for c in page.get("Contacts", [])
        ]
        for summary in summaries:
            arn = summary["ContactArn"]
            contact = self.call(self.contacts, "ssm-contacts", "GetContact", ContactId=arn)
            tags = self.contact_tags(arn)
            kind = contact["Type"]
            alias = contact["Alias"]
            plan = contact.get("Plan") or {}
            properties: dict[str, Any] = {"Alias": alias, "Type": kind}
            if contact.get("DisplayName") is not None:
                properties["DisplayName"] = contact["DisplayName"]
            if kind == "ONCALL_SCHEDULE":
                properties["Plan"] = [{"RotationIds": list(plan.get("RotationIds") or [])}]
            elif kind == "ESCALATION":
                properties["Plan"] = _stages(plan.get("Stages") or [])
            if tags:
                properties["Tags"] = tags
            snapshot.resources.append(LiveResource(CONTACT, arn, alias, properties))
            if kind != "PERSONAL":
                continue
            snapshot.resources.append(
                LiveResource(PLAN, arn, alias, {"ContactId": arn, "Stages": _stages(plan.get("Stages") or [])})
            )
            channels = [
                c
                for page in self.pages(self.contacts, "ssm-contacts", "ListContactChannels", "NextToken", ContactId=arn)
                for c in page.get("ContactChannels", [])
            ]
            for listed in channels:
                channel = self.call(
                    self.contacts, "ssm-contacts", "GetContactChannel", ContactChannelId=listed["ContactChannelArn"]
                )
                snapshot.resources.append(
                    LiveResource(
                        CHANNEL,
                        channel["ContactChannelArn"],
                        f"{alias} / {channel['Name']}",
                        {
                            "ContactId": arn,
                            "ChannelName": channel["Name"],
                            "ChannelType": channel["Type"],
                            "ChannelAddress": (channel.get("DeliveryAddress") or {}).get("SimpleAddress", ""),
                        },
                        {"ActivationStatus": channel.get("ActivationStatus") or listed.get("ActivationStatus")},
                    )
                )

    def contact_tags(self, arn: str) -> list[dict[str, str]]:
        result = self.call(self.contacts, "ssm-contacts", "ListTagsForResource", ResourceARN=arn)
        return _tags({t.get("Key", ""): t.get("Value", "") for t in result.get("Tags") or []})

    def read_rotations(self, snapshot: AccountSnapshot) -> None:
        listed = [
            r
            for page in self.pages(self.contacts, "ssm-contacts", "ListRotations", "NextToken")
            for r in page.get("Rotations", [])
        ]
        for summary in listed:
            arn = summary["RotationArn"]
            rotation = self.call(self.contacts, "ssm-contacts", "GetRotation", RotationId=arn)
            zone = rotation["TimeZoneId"]
            properties: dict[str, Any] = {
                "Name": rotation["Name"],
                "ContactIds": list(rotation.get("ContactIds") or []),
                "StartTime": _local_start(rotation["StartTime"], zone),
                "TimeZoneId": zone,
                "Recurrence": _recurrence(rotation.get("Recurrence") or {}),
            }
            tags = self.contact_tags(arn)
            if tags:
                properties["Tags"] = tags
            snapshot.resources.append(LiveResource(ROTATION, arn, rotation["Name"], properties))

    # -- ssm-incidents -----------------------------------------------------------------------------
    def read_response_plans(self, snapshot: AccountSnapshot) -> None:
        listed = [
            p
            for page in self.pages(self.incidents, "ssm-incidents", "ListResponsePlans", "nextToken")
            for p in page.get("responsePlanSummaries", [])
        ]
        for summary in listed:
            plan = self.call(self.incidents, "ssm-incidents", "GetResponsePlan", arn=summary["arn"])
            tags = (
                self.call(self.incidents, "ssm-incidents", "ListTagsForResource", resourceArn=plan["arn"]).get("tags")
                or {}
            )
            snapshot.resources.append(
                LiveResource(RESPONSE_PLAN, plan["arn"], plan["name"], _response_plan(plan, tags))
            )

    def read_replication_sets(self, snapshot: AccountSnapshot) -> None:
        arns = [
            a
            for page in self.pages(self.incidents, "ssm-incidents", "ListReplicationSets", "nextToken")
            for a in page.get("replicationSetArns", [])
        ]
        for arn in arns:
            found = self.call(self.incidents, "ssm-incidents", "GetReplicationSet", arn=arn)["replicationSet"]
            tags = self.call(self.incidents, "ssm-incidents", "ListTagsForResource", resourceArn=arn).get("tags") or {}
            regions = [
                {"RegionName": name, "RegionConfiguration": {"SseKmsKeyId": config.get("sseKmsKeyId") or "DefaultKey"}}
                for name, config in sorted((found.get("regionMap") or {}).items())
            ]
            properties: dict[str, Any] = {"Regions": regions, "DeletionProtected": bool(found.get("deletionProtected"))}
            if tags:
                properties["Tags"] = _tags(tags)
            info = {
                "Status": found.get("status"),
                "RegionStatus": {n: c.get("status") for n, c in (found.get("regionMap") or {}).items()},
            }
            snapshot.resources.append(
                LiveResource(REPLICATION_SET, found.get("arn") or arn, "replication-set", properties, info)
            )

    # -- ssm -----------------------------------------------------------------------------------
    def read_documents(self, snapshot: AccountSnapshot) -> None:
        names: list[str] = []
        for plan in snapshot.of_type(RESPONSE_PLAN):
            for action in plan.properties.get("Actions") or []:
                name = (action.get("SsmAutomation") or {}).get("DocumentName")
                if isinstance(name, str) and name not in names:
                    names.append(name)
        for name in names:
            if is_aws_owned_document(name):
                continue
            document = self.call(self.ssm, "ssm", "GetDocument", Name=name)
            text = document.get("Content") or ""
            document_format = document.get("DocumentFormat") or "JSON"
            try:
                content = parse_document(text, document_format)
            except yaml.YAMLError:
                snapshot.notes.append(f"runbook {name}: its content is neither JSON nor YAML; it is written as read")
                content = text
            properties: dict[str, Any] = {
                "Name": name,
                "DocumentType": document.get("DocumentType") or "Automation",
                "DocumentFormat": document_format,
                "Content": content,
            }
            if document.get("VersionName"):
                properties["VersionName"] = document["VersionName"]
            arn = f"arn:{snapshot.partition}:ssm:{self.region}:{snapshot.account or ''}:document/{name}"
            info = {"Owner": "custom", "DocumentVersion": document.get("DocumentVersion")}
            snapshot.resources.append(LiveResource(DOCUMENT, arn, name, properties, info))
            snapshot.documents[name] = text


def read_account(session: Any, region: str) -> AccountSnapshot:
    """Read the Incident Manager set-up of ``session``'s account in ``region``.

    :param session: a ``boto3.Session`` or anything with ``client(service_name, region_name=...)``.
    :param region: the region whose contacts, rotations and response plans are read.
    :raises AdoptError: a call failed (access denied, a region without Incident Manager, no
        credentials); the message names the service and operation.
    """
    if not isinstance(region, str) or not re.fullmatch(r"[a-z]{2}(-[a-z]+)+-[0-9]", region):
        raise AdoptError(f"region {region!r} is not a region name like us-east-1")
    reader = _Reader(session, region)
    snapshot = AccountSnapshot(region=region, account=None, partition="aws")
    reader.read_contacts(snapshot)
    reader.read_rotations(snapshot)
    reader.read_response_plans(snapshot)
    reader.read_replication_sets(snapshot)
    for resource in snapshot.resources:
        match = _ARN.match(resource.arn)
        if match:
            snapshot.partition, snapshot.account = match.group(1), match.group(2)
            break
    reader.read_documents(snapshot)
    return snapshot


# -- API shapes into CloudFormation's ----------------------------------------------------------------


def _snake(operation: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower()


def _describe(error: Exception) -> str:
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        detail = response.get("Error") or {}
        code = detail.get("Code") or type(error).__name__
        message = str(detail.get("Message") or "").strip().replace("\n", " ")
        return f"{code}: {message}" if message else str(code)
    return f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}".rstrip(": ")


def _tags(tags: dict[str, str]) -> list[dict[str, str]]:
    """Tags as CloudFormation lists them; ``aws:`` tags (CloudFormation's own, which no template
    can set) are left out."""
    return [{"Key": k, "Value": v} for k, v in sorted(tags.items()) if not k.lower().startswith("aws:")]


def _stages(stages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """API stages (``ContactChannelId``) in CloudFormation's shape (``ChannelId``)."""
    result = []
    for stage in stages:
        targets = []
        for target in stage.get("Targets") or []:
            if target.get("ChannelTargetInfo") is not None:
                info = target["ChannelTargetInfo"]
                channel: dict[str, Any] = {"ChannelId": info["ContactChannelId"]}
                if info.get("RetryIntervalInMinutes") is not None:
                    channel["RetryIntervalInMinutes"] = info["RetryIntervalInMinutes"]
                targets.append({"ChannelTargetInfo": channel})
            elif target.get("ContactTargetInfo") is not None:
                info = target["ContactTargetInfo"]
                targets.append(
                    {
                        "ContactTargetInfo": {
                            "ContactId": info.get("ContactId"),
                            "IsEssential": bool(info.get("IsEssential")),
                        }
                    }
                )
        result.append({"DurationInMinutes": stage.get("DurationInMinutes", 0), "Targets": targets})
    return result


def _hh_mm(value: dict[str, Any]) -> str:
    return f"{int(value.get('HourOfDay', 0)):02d}:{int(value.get('MinuteOfHour', 0)):02d}"


def _recurrence(recurrence: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "NumberOfOnCalls": recurrence.get("NumberOfOnCalls", 1),
        "RecurrenceMultiplier": recurrence.get("RecurrenceMultiplier", 1),
    }
    if recurrence.get("DailySettings"):
        result["DailySettings"] = [_hh_mm(t) for t in recurrence["DailySettings"]]
    if recurrence.get("WeeklySettings"):
        result["WeeklySettings"] = [
            {"DayOfWeek": s["DayOfWeek"], "HandOffTime": _hh_mm(s["HandOffTime"])} for s in recurrence["WeeklySettings"]
        ]
    if recurrence.get("MonthlySettings"):
        result["MonthlySettings"] = [
            {"DayOfMonth": s["DayOfMonth"], "HandOffTime": _hh_mm(s["HandOffTime"])}
            for s in recurrence["MonthlySettings"]
        ]
    coverages = recurrence.get("ShiftCoverages") or {}
    if coverages:
        result["ShiftCoverages"] = [
            {
                "DayOfWeek": day,
                "CoverageTimes": [
                    {"StartTime": _hh_mm(w.get("Start") or {}), "EndTime": _hh_mm(w.get("End") or {})}
                    for w in coverages[day]
                ],
            }
            for day in _DAYS
            if day in coverages
        ]
    return result


def _local_start(value: Any, zone: str) -> str:
    """The API's start instant as CloudFormation's wall-clock ``YYYY-MM-DDTHH:MM:SS`` in ``zone``."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if not isinstance(value, datetime):
        raise AdoptError(f"a rotation's StartTime {value!r} is not a time")
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    try:
        local = value.astimezone(zoneinfo.ZoneInfo(zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise AdoptError(f"a rotation's time zone {zone!r} is not known here (tzdata)") from None
    return str(local.replace(tzinfo=None, microsecond=0).isoformat())


def _incident_template(template: dict[str, Any]) -> dict[str, Any]:
    incident: dict[str, Any] = {"Title": template.get("title"), "Impact": template.get("impact")}
    for source, target in (("summary", "Summary"), ("dedupeString", "DedupeString")):
        if template.get(source) is not None:
            incident[target] = template[source]
    if template.get("incidentTags"):
        incident["IncidentTags"] = _tags(template["incidentTags"])
    if template.get("notificationTargets"):
        incident["NotificationTargets"] = [
            {"SnsTopicArn": t.get("snsTopicArn")} for t in template["notificationTargets"]
        ]
    return incident


def _automation(automation: dict[str, Any]) -> dict[str, Any]:
    ssm: dict[str, Any] = {"RoleArn": automation.get("roleArn"), "DocumentName": automation.get("documentName")}
    for source, target in (("documentVersion", "DocumentVersion"), ("targetAccount", "TargetAccount")):
        if automation.get(source) is not None:
            ssm[target] = automation[source]
    if automation.get("parameters"):
        ssm["Parameters"] = [{"Key": k, "Values": list(v)} for k, v in automation["parameters"].items()]
    if automation.get("dynamicParameters"):
        ssm["DynamicParameters"] = [
            {"Key": k, "Value": {"Variable": v.get("variable")}} for k, v in automation["dynamicParameters"].items()
        ]
    return ssm


def _pager_duty(pager: dict[str, Any]) -> dict[str, Any]:
    return {
        "PagerDutyConfiguration": {
            "Name": pager.get("name"),
            "SecretId": pager.get("secretId"),
            "PagerDutyIncidentConfiguration": {
                "ServiceId": (pager.get("pagerDutyIncidentConfiguration") or {}).get("serviceId")
            },
        }
    }


def _response_plan(plan: dict[str, Any], tags: dict[str, str]) -> dict[str, Any]:
    """GetResponsePlan's answer (camelCase) as an AWS::SSMIncidents::ResponsePlan's properties."""
    properties: dict[str, Any] = {
        "Name": plan["name"],
        "IncidentTemplate": _incident_template(plan.get("incidentTemplate") or {}),
    }
    if plan.get("displayName") is not None:
        properties["DisplayName"] = plan["displayName"]
    if plan.get("engagements"):
        properties["Engagements"] = list(plan["engagements"])
    actions = [
        {"SsmAutomation": _automation(a["ssmAutomation"])} for a in plan.get("actions") or [] if a.get("ssmAutomation")
    ]
    if actions:
        properties["Actions"] = actions
    chat = (plan.get("chatChannel") or {}).get("chatbotSns")
    if chat:
        properties["ChatChannel"] = {"ChatbotSns": list(chat)}
    integrations = [
        _pager_duty(i["pagerDutyConfiguration"])
        for i in plan.get("integrations") or []
        if i.get("pagerDutyConfiguration")
    ]
    if integrations:
        properties["Integrations"] = integrations
    if tags:
        properties["Tags"] = _tags(tags)
    return properties


ParameterResolver = Callable[[str], str | None]


def parameter_resolver(session: Any, region: str) -> ParameterResolver:
    """A function that reads an SSM parameter's value (``ssm:GetParameter``), or None when it
    cannot be read; used by drift to compare addresses kept in SSM parameters."""
    client = _client(session, "ssm", region)
    cache: dict[str, str | None] = {}

    def resolve(name: str) -> str | None:
        if name not in cache:
            try:
                value = client.get_parameter(Name=name)["Parameter"].get("Value")
            except Exception:
                value = None
            cache[name] = value if isinstance(value, str) else None
        return cache[name]  # type: ignore[no-any-return,unused-ignore]

    return resolve
