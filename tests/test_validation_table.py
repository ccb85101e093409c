"""Every rule of docs/validation.md, one test each: the bad value is built through the public API
and must raise ValidationError (or fail ``cdk synth``) with the documented message.

The table in docs/validation.md and ROWS below are kept together by
``test_the_documented_table_is_the_tested_table``: a row added to one must be added to the other.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aws_cdk as cdk
import pytest
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sns as sns
from support.stacks import new_stack

from incident_constructs import (
    Contact,
    EscalationPlan,
    EscalationStage,
    Impact,
    IncidentTarget,
    OnCallSchedule,
    PagerDutyIntegration,
    ReplicationSet,
    ResponsePlan,
    Rotation,
    RotationRecurrence,
    Runbook,
    RunbookStep,
    ShiftCoverage,
    SlackChatChannel,
    TargetAccount,
    TeamsChatChannel,
    TeamStacks,
    ValidationError,
)

DOC = Path(__file__).resolve().parent.parent / "docs" / "validation.md"
MIN = cdk.Duration.minutes


@dataclass(frozen=True)
class Row:
    #: The row's id in docs/validation.md.
    id: str
    #: Where the value is given.
    where: str
    #: The value checked.
    value: str
    #: The rule.
    rule: str
    #: Where the rule comes from.
    source: str
    #: A fragment of the message the user sees.
    message: str
    #: Builds the bad value in a fresh stack.
    build: Callable[[cdk.Stack], Any]
    #: True when the rule is checked at ``cdk synth`` (it depends on later add_* calls).
    at_synth: bool = False


# -- valid building blocks --------------------------------------------------------------------


def person(stack: cdk.Stack, alias: str = "alice", **kwargs: Any) -> Contact:
    return Contact(stack, alias.title().replace("-", ""), alias=alias, **kwargs)


def runbook(stack: cdk.Stack, name: str = "team-runbook") -> Runbook:
    return Runbook(stack, "Runbook", document_name=name, steps=[RunbookStep.pause("Look")])


def plan(stack: cdk.Stack, **kwargs: Any) -> ResponsePlan:
    props: dict[str, Any] = {"response_plan_name": "plan", "title": "t", "impact": Impact.HIGH}
    props.update(kwargs)
    return ResponsePlan(stack, "Plan", **props)


def rotation(stack: cdk.Stack, **kwargs: Any) -> Rotation:
    if "contacts" not in kwargs:
        kwargs["contacts"] = [person(stack, "alice"), person(stack, "bob")]
    props: dict[str, Any] = {
        "rotation_name": "team_rotation",
        "start_time": "2026-01-05T09:00:00",
        "time_zone": "Europe/Paris",
        "recurrence": RotationRecurrence.daily(hand_off_time="09:00"),
    }
    props.update(kwargs)
    return Rotation(stack, "Rotation", **props)


def slack(stack: cdk.Stack, **kwargs: Any) -> SlackChatChannel:
    props: dict[str, Any] = {
        "slack_workspace_id": "T012ABCDEFG",
        "slack_channel_id": "C012ABCDEFG",
        "slack_channel_configuration_name": "incidents",
    }
    props.update(kwargs)
    return SlackChatChannel(stack, "Slack", **props)


def teams(stack: cdk.Stack, **kwargs: Any) -> TeamsChatChannel:
    props: dict[str, Any] = {
        "team_id": "a1b2c3d4-0000-4000-8000-0123456789ab",
        "channel_id": "19%3Aab12cd34%40thread.tacv2",
        "tenant_id": "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
        "teams_channel_configuration_name": "incidents",
    }
    props.update(kwargs)
    return TeamsChatChannel(stack, "Teams", **props)


def topics(stack: cdk.Stack, n: int) -> list[sns.Topic]:
    return [sns.Topic(stack, f"Topic{i}") for i in range(n)]


def stage(*contacts: Any, **kwargs: Any) -> EscalationStage:
    return EscalationStage(contacts=list(contacts), **kwargs)


def twice(first: Callable[[], Any], second: Callable[[], Any]) -> Any:
    first()
    return second()


def escalation_engaging_itself(stack: cdk.Stack) -> None:
    e = EscalationPlan(stack, "E", alias="e", stages=[stage(person(stack))])
    e.add_stage(stage(e))


def rotation_with_schedule(stack: cdk.Stack) -> None:
    s = OnCallSchedule(stack, "S", alias="team-schedule")
    rotation(stack, contacts=[person(stack), s])


def schedule_with_rotations(stack: cdk.Stack, n: int, same: bool = False) -> None:
    alice, bob = person(stack, "alice"), person(stack, "bob")
    rotations = [
        Rotation(
            stack,
            f"R{i}",
            rotation_name=f"r{i}",
            contacts=[alice, bob],
            start_time="2026-01-05T09:00:00",
            time_zone="UTC",
            recurrence=RotationRecurrence.daily(hand_off_time="09:00"),
        )
        for i in range(1 if same else n)
    ]
    OnCallSchedule(stack, "S", alias="schedule", rotations=rotations * n if same else rotations)


def replication_key_elsewhere(stack: cdk.Stack) -> None:
    other = cdk.Stack(stack.node.root, "Other", env=cdk.Environment(account="111111111111", region="eu-west-1"))
    key = kms.Key(other, "Key")
    ReplicationSet(stack, "RS", regions={"us-east-1": key})


def yaml_file(tmp: str, text: str, suffix: str = ".yaml") -> str:
    path = Path(tmp) / f"runbook{suffix}"
    path.write_text(text, encoding="utf-8")
    return str(path)


def runbook_from(stack: cdk.Stack, text: str | None, suffix: str = ".yaml") -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "missing.yaml") if text is None else yaml_file(tmp, text, suffix)
        Runbook.from_yaml_file(stack, "R", path, document_name="team-runbook")


def runbook_from_bytes(stack: cdk.Stack, data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "runbook.yaml"
        path.write_bytes(data)
        Runbook.from_yaml_file(stack, "R", str(path), document_name="team-runbook")


def deep(n: int) -> Any:
    value: Any = "x"
    for _ in range(n):
        value = {"a": value}
    return value


def document(**overrides: Any) -> dict[str, Any]:
    content: dict[str, Any] = {
        "schemaVersion": "0.3",
        "mainSteps": [{"name": "Look", "action": "aws:pause", "inputs": {}}],
    }
    content.update(overrides)
    return content


def pager_duty(stack: cdk.Stack, *, name: str = "pd", service_id: str = "P123", key: bool = True) -> None:
    secret = secretsmanager.Secret(stack, "Secret", encryption_key=kms.Key(stack, "Key") if key else None)
    plan(stack, pager_duty=PagerDutyIntegration(name=name, secret=secret, service_id=service_id))


LONG = "a" * 256

ROWS: list[Row] = [
    # -- contacts -------------------------------------------------------------------------
    Row(
        "contact-alias",
        "Contact, EscalationPlan, OnCallSchedule",
        "alias",
        "1-255 characters of a-z, 0-9, `_`, `-`",
        "API (stricter than the schema, which allows `.`)",
        "alias 'Alice.Smith' is not allowed: 1-255 characters of lower-case letters a-z, digits, '_' and '-'.",
        lambda s: Contact(s, "C", alias="Alice.Smith"),
    ),
    Row(
        "contact-alias-length",
        "Contact, EscalationPlan, OnCallSchedule",
        "alias",
        "at most 255 characters",
        "schema and API",
        "length must be 1 to 255 characters (got 256)",
        lambda s: Contact(s, "C", alias=LONG),
    ),
    Row(
        "contact-alias-unique",
        "Contact, EscalationPlan, OnCallSchedule",
        "alias",
        "unique within the app and account",
        "API (aliases are unique in an account)",
        "alias 'alice' is not allowed: must be unique within the app and account; TestStack/Alice already uses it.",
        lambda s: twice(lambda: person(s), lambda: Contact(s, "Other", alias="alice")),
    ),
    Row(
        "contact-display-name",
        "Contact, EscalationPlan, OnCallSchedule",
        "display_name",
        "1-255 characters of letters, digits, spaces, `_`, `-`",
        "schema",
        "display_name 'Zoë' is not allowed: 1-255 characters of letters a-z and A-Z, digits, spaces, '_' and '-'.",
        lambda s: Contact(s, "C", alias="zoe", display_name="Zoë"),
    ),
    Row(
        "contact-retry-default",
        "Contact",
        "default_retry_interval",
        "0-60 whole minutes",
        "schema and API",
        "default_retry_interval '1 hour 1 minute' is not allowed: 0 to 60 minutes.",
        lambda s: Contact(s, "C", alias="c", default_retry_interval=MIN(61)),
    ),
    Row(
        "duration-type",
        "Contact, EscalationStage",
        "durations",
        "an `aws_cdk.Duration` or `datetime.timedelta`",
        "library",
        "default_retry_interval 5 is not allowed: a aws_cdk.Duration or datetime.timedelta is required",
        lambda s: Contact(s, "C", alias="c", default_retry_interval=5),
    ),
    Row(
        "duration-whole-minutes",
        "Contact, EscalationStage",
        "durations",
        "whole minutes",
        "schema (minutes are integers)",
        "engage_after of channel 'mail' '1 minute 30 seconds' is not allowed: whole minutes only.",
        lambda s: person(s).add_email_channel("mail", "a@example.com", engage_after=cdk.Duration.seconds(90)),
    ),
    Row(
        "contact-import",
        "Contact.from_contact_arn and other imports",
        "contact_arn",
        "an ssm-contacts contact ARN",
        "API",
        "contact_arn 'arn:aws:sns:us-east-1:111111111111:topic' is not allowed: an ARN like arn:aws:ssm-contacts:<region>:<account>:contact/<alias>.",
        lambda s: Contact.from_contact_arn(s, "C", "arn:aws:sns:us-east-1:111111111111:topic"),
    ),
    # -- channels -------------------------------------------------------------------------
    Row(
        "channel-type",
        "Contact.add_channel",
        "channel_type",
        "EMAIL, SMS or VOICE",
        "schema",
        "channel_type 'PAGER' is not allowed: EMAIL, SMS or VOICE.",
        lambda s: person(s).add_channel("PAGER", "pager", "+12065550100"),
    ),  # type: ignore[arg-type]
    Row(
        "channel-name",
        "Contact.add_*_channel",
        "channel name",
        "1-255 characters of letters, digits, spaces, `_`, `.`, `-`",
        "API (the schema's pattern is broken)",
        "channel name 'mail!' is not allowed: 1-255 characters of letters, digits, spaces, '_', '.' and '-'.",
        lambda s: person(s).add_email_channel("mail!", "a@example.com"),
    ),
    Row(
        "channel-name-unique",
        "Contact.add_*_channel",
        "channel name",
        "unique within the contact",
        "library (it is the construct id)",
        "channel name 'mail' is not allowed: channel names must be unique within a contact.",
        lambda s: (
            lambda c: twice(
                lambda: c.add_email_channel("mail", "a@example.com"),
                lambda: c.add_email_channel("mail", "b@example.com"),
            )
        )(person(s)),
    ),
    Row(
        "channel-name-token",
        "Contact.add_*_channel",
        "channel name",
        "known at synth time",
        "library (it is the construct id)",
        "a name known at synth time (it is also the construct id).",
        lambda s: person(s).add_email_channel(cdk.Aws.STACK_NAME, "a@example.com"),
    ),
    Row(
        "channel-name-reserved",
        "Contact.add_*_channel",
        "channel name",
        "not `Plan` or `Resource`",
        "library (it is the construct id)",
        "channel name 'Plan' is not allowed: 'Plan' and 'Resource' are the construct ids of the contact's own resources.",
        lambda s: person(s).add_email_channel("Plan", "a@example.com"),
    ),
    Row(
        "channel-name-share",
        "Contact.add_*_channel",
        "channel name",
        "not `Share`",
        "library (the construct id of the AWS RAM share `share_with` makes)",
        "channel name 'Share' is not allowed: 'Share' is the construct id of the contact's AWS RAM share (share_with).",
        lambda s: person(s).add_email_channel("Share", "a@example.com"),
    ),
    Row(
        "contact-removal-policy",
        "Contact, EscalationPlan, OnCallSchedule",
        "removal_policy",
        "RETAIN, DESTROY or RETAIN_ON_UPDATE_OR_DELETE",
        "CloudFormation (contacts have no snapshot)",
        "is not allowed: RETAIN, DESTROY or RETAIN_ON_UPDATE_OR_DELETE (an Incident Manager contact has no snapshot).",
        lambda s: Contact(s, "C", alias="c", removal_policy=cdk.RemovalPolicy.SNAPSHOT),
    ),
    Row(
        "channel-address-length",
        "Contact.add_*_channel",
        "address",
        "1-320 characters (the value is hidden)",
        "schema",
        "address of channel 'mail' (hidden) is not allowed: 1 to 320 characters.",
        lambda s: person(s).add_email_channel("mail", ""),
    ),
    Row(
        "channel-email",
        "Contact.add_email_channel",
        "address",
        "an email address (shown masked)",
        "library (nobody else checks it)",
        "address of channel 'mail' 'no***@example' is not allowed: an email address is required",
        lambda s: person(s).add_email_channel("mail", "nobody@example"),
    ),
    Row(
        "channel-phone-format",
        "Contact.add_sms_channel, add_voice_channel",
        "phone number",
        "E.164: `+`, country code and number, digits only (shown masked)",
        "library (nobody else checks it)",
        "address of channel 'phone' '20655***00' is not allowed: an E.164 phone number",
        lambda s: person(s).add_sms_channel("phone", "2065550100"),
    ),
    Row(
        "channel-phone-possible",
        "Contact.add_sms_channel, add_voice_channel",
        "phone number",
        "a possible number for its country code",
        "library (phonenumbers)",
        "(not a valid number for its country code)",
        lambda s: person(s).add_voice_channel("phone", "+1206555"),
    ),
    Row(
        "channel-engage-after",
        "Contact.add_*_channel",
        "engage_after",
        "known at synth time (the plan's stages are computed from it)",
        "library",
        "engage_after of channel 'mail' 'a token' is not allowed: a time known at synth time.",
        lambda s: person(s).add_email_channel(
            "mail", "a@example.com", engage_after=MIN(cdk.Token.as_number(cdk.Aws.NO_VALUE))
        ),
    ),
    Row(
        "channel-retry",
        "Contact.add_*_channel",
        "retry_interval",
        "0-60 whole minutes",
        "schema and API",
        "retry_interval of channel 'mail' '2 hours' is not allowed: 0 to 60 minutes.",
        lambda s: person(s).add_email_channel("mail", "a@example.com", retry_interval=cdk.Duration.hours(2)),
    ),
    # -- escalation plans -----------------------------------------------------------------
    Row(
        "stage-type",
        "EscalationPlan",
        "stages",
        "`EscalationStage` objects",
        "library",
        "stage 1 'x' is not allowed: an EscalationStage.",
        lambda s: EscalationPlan(s, "E", alias="e", stages=["x"]),
    ),  # type: ignore[list-item]
    Row(
        "stage-contacts",
        "EscalationStage",
        "contacts",
        "at least one contact",
        "API",
        "stage 1 contacts [] is not allowed: at least one contact.",
        lambda s: EscalationPlan(s, "E", alias="e", stages=[stage()]),
    ),
    Row(
        "stage-contact-type",
        "EscalationStage, ResponsePlan, Rotation",
        "contacts, engagements",
        "contacts (people, escalation plans, schedules, imported contacts)",
        "library",
        "is not allowed: a contact (Contact, EscalationPlan, OnCallSchedule or an imported contact).",
        lambda s: EscalationPlan(s, "E", alias="e", stages=[stage("alice")]),
    ),
    Row(
        "stage-self",
        "EscalationPlan.add_stage",
        "contacts",
        "not the plan itself",
        "API",
        "stage 2 contacts 'e' is not allowed: a plan cannot engage itself.",
        escalation_engaging_itself,
    ),
    Row(
        "stage-unique",
        "EscalationStage",
        "contacts",
        "each contact once per stage",
        "API",
        "stage 1 contacts 'alice' is not allowed: each contact at most once per stage.",
        lambda s: (lambda a: EscalationPlan(s, "E", alias="e", stages=[stage(a, a)]))(person(s)),
    ),
    Row(
        "stage-duration",
        "EscalationStage",
        "duration",
        "0-30 whole minutes",
        "schema and API",
        "stage 1 duration '31 minutes' is not allowed: 0 to 30 minutes.",
        lambda s: EscalationPlan(s, "E", alias="e", stages=[stage(person(s), duration=MIN(31))]),
    ),
    Row(
        "stage-acknowledgement",
        "EscalationStage",
        "acknowledgement_stops_progression",
        "True or False",
        "schema",
        "stage 1 acknowledgement_stops_progression 'yes' is not allowed: True or False.",
        lambda s: EscalationPlan(s, "E", alias="e", stages=[stage(person(s), acknowledgement_stops_progression="yes")]),
    ),
    Row(
        "escalation-no-stages",
        "EscalationPlan",
        "stages",
        "at least one stage (checked at synth)",
        "API",
        "EscalationPlan 'e' has no stages: give stages=[...] or call add_stage().",
        lambda s: EscalationPlan(s, "E", alias="e"),
        at_synth=True,
    ),
    # -- rotations ------------------------------------------------------------------------
    Row(
        "rotation-name",
        "Rotation",
        "rotation_name",
        "1-255 characters of letters, digits, `_`",
        "schema and API",
        "rotation_name 'team-rotation' is not allowed: 1-255 characters of letters a-z and A-Z, digits and '_'.",
        lambda s: rotation(s, rotation_name="team-rotation"),
    ),
    Row(
        "rotation-name-unique",
        "Rotation",
        "rotation_name",
        "unique within the app and account",
        "API",
        "must be unique within the app and account",
        lambda s: twice(
            lambda: rotation(s),
            lambda: Rotation(
                s,
                "R2",
                rotation_name="team_rotation",
                contacts=[person(s, "carol")],
                start_time="2026-01-05T09:00:00",
                time_zone="UTC",
                recurrence=RotationRecurrence.daily(hand_off_time="09:00"),
            ),
        ),
    ),
    Row(
        "rotation-contacts-list",
        "Rotation",
        "contacts",
        "a list",
        "library",
        "contacts 'alice' is not allowed: a list of personal contacts.",
        lambda s: rotation(s, contacts="alice"),
    ),
    Row(
        "rotation-contacts-count",
        "Rotation",
        "contacts",
        "1-30 contacts",
        "schema and API",
        "contacts '0 item(s)' is not allowed: between 1 and 30 items are allowed.",
        lambda s: rotation(s, contacts=[]),
    ),
    Row(
        "rotation-contacts-personal",
        "Rotation",
        "contacts",
        "personal contacts only",
        "API",
        "is not allowed: personal contacts only (this one is ONCALL_SCHEDULE).",
        rotation_with_schedule,
    ),
    Row(
        "rotation-contacts-unique",
        "Rotation",
        "contacts",
        "each contact once",
        "API",
        "contacts 'alice' is not allowed: each contact at most once in a rotation.",
        lambda s: (lambda a: rotation(s, contacts=[a, a]))(person(s)),
    ),
    Row(
        "rotation-on-calls",
        "Rotation",
        "number_of_on_calls",
        "1 to the number of contacts",
        "schema (>= 1) and API",
        "number_of_on_calls 3 is not allowed: at most the number of contacts in the rotation (2).",
        lambda s: rotation(s, number_of_on_calls=3),
    ),
    Row(
        "rotation-on-calls-min",
        "Rotation",
        "number_of_on_calls",
        "a whole number, at least 1",
        "schema",
        "number_of_on_calls 0 is not allowed: must be at least 1.",
        lambda s: rotation(s, number_of_on_calls=0),
    ),
    Row(
        "rotation-multiplier",
        "Rotation",
        "recurrence_multiplier",
        "1-100",
        "schema",
        "recurrence_multiplier 101 is not allowed: must be at least 1 and at most 100.",
        lambda s: rotation(s, recurrence_multiplier=101),
    ),
    Row(
        "rotation-time-zone",
        "Rotation",
        "time_zone",
        "an IANA zone name (no abbreviations or offsets)",
        "API",
        "time_zone 'PST' is not allowed: an IANA time zone name",
        lambda s: rotation(s, time_zone="PST"),
    ),
    Row(
        "rotation-start-format",
        "Rotation",
        "start_time",
        "a datetime or `YYYY-MM-DDTHH:MM:SS`, no offset",
        "schema",
        "start_time '2026-01-05T09:00:00Z' is not allowed: a datetime or a string 'YYYY-MM-DDTHH:MM:SS' (no offset).",
        lambda s: rotation(s, start_time="2026-01-05T09:00:00Z"),
    ),
    Row(
        "rotation-start-date",
        "Rotation",
        "start_time",
        "a real date",
        "API",
        "start_time '2026-02-30T09:00:00' is not allowed: a real date and time of day.",
        lambda s: rotation(s, start_time="2026-02-30T09:00:00"),
    ),
    Row(
        "rotation-start-seconds",
        "Rotation",
        "start_time",
        "whole seconds",
        "API",
        "is not allowed: whole seconds (the service keeps no fractions).",
        lambda s: rotation(s, start_time=datetime(2026, 1, 5, 9, 0, 0, 500)),
    ),
    Row(
        "rotation-recurrence",
        "Rotation",
        "recurrence",
        "a `RotationRecurrence`",
        "library",
        "is not allowed: a RotationRecurrence: RotationRecurrence.daily(), .weekly() or .monthly().",
        lambda s: rotation(s, recurrence="daily"),
    ),
    Row(
        "rotation-hand-off",
        "RotationRecurrence, ShiftCoverage",
        "hand_off_time, start, end",
        "`H:MM` or `HH:MM`, 00:00-23:59",
        "schema",
        "recurrence hand_off_time '24:00' is not allowed: a time of day as H:MM or HH:MM, 00:00 to 23:59.",
        lambda s: rotation(s, recurrence=RotationRecurrence.daily(hand_off_time="24:00")),
    ),
    Row(
        "rotation-day-of-week",
        "RotationRecurrence.weekly, ShiftCoverage",
        "day_of_week",
        "MON to SUN",
        "schema",
        "recurrence day_of_week 'MONDAY' is not allowed: one of MON, TUE, WED, THU, FRI, SAT, SUN.",
        lambda s: rotation(s, recurrence=RotationRecurrence.weekly(day_of_week="MONDAY", hand_off_time="09:00")),
    ),
    Row(
        "rotation-day-of-month",
        "RotationRecurrence.monthly",
        "day_of_month",
        "1-31",
        "schema",
        "recurrence day_of_month 32 is not allowed: must be at least 1 and at most 31.",
        lambda s: rotation(s, recurrence=RotationRecurrence.monthly(day_of_month=32, hand_off_time="09:00")),
    ),
    Row(
        "rotation-import-arn",
        "Rotation.from_rotation_arn",
        "rotation_arn",
        "an ssm-contacts rotation ARN",
        "library",
        "is not allowed: an ARN like arn:aws:ssm-contacts:<region>:<account>:rotation/<id>.",
        lambda s: Rotation.from_rotation_arn(s, "R", "arn:aws:ssm-contacts:us-east-1:111111111111:contact/alice"),
    ),
    Row(
        "coverage-empty",
        "Rotation",
        "shift_coverage",
        "at least one window, or None",
        "API",
        "shift_coverage [] is not allowed: at least one window, or None for around the clock.",
        lambda s: rotation(s, shift_coverage=[]),
    ),
    Row(
        "coverage-order",
        "ShiftCoverage",
        "start, end",
        "the end later than the start, same day",
        "API",
        "shift_coverage 'MON 18:00-09:00' is not allowed: the end must be later than the start on the same day",
        lambda s: rotation(s, shift_coverage=[ShiftCoverage("MON", "18:00", "09:00")]),
    ),
    Row(
        "coverage-length",
        "ShiftCoverage",
        "start, end",
        "at least 30 minutes",
        "API",
        "shift_coverage 'MON 09:00-09:15' is not allowed: a window lasts at least 30 minutes.",
        lambda s: rotation(s, shift_coverage=[ShiftCoverage("MON", "09:00", "09:15")]),
    ),
    Row(
        "coverage-overlap",
        "ShiftCoverage",
        "start, end",
        "windows of a day do not overlap",
        "API",
        "shift_coverage 'MON 12:00-18:00' is not allowed: windows of the same day must not overlap (it overlaps MON 09:00-13:00).",
        lambda s: rotation(
            s, shift_coverage=[ShiftCoverage("MON", "09:00", "13:00"), ShiftCoverage("MON", "12:00", "18:00")]
        ),
    ),
    Row(
        "rotation-contacts-partition",
        "Rotation",
        "contacts",
        "contacts of partition aws, aws-cn or aws-us-gov",
        "schema and API (ContactIds pattern)",
        "contacts whose ARN is arn:<aws, aws-cn or aws-us-gov>:ssm-contacts:<region>:<account>:contact/<alias>.",
        lambda s: rotation(
            s,
            contacts=[
                Contact.from_contact_arn(s, "I", "arn:aws-iso:ssm-contacts:us-iso-east-1:111122223333:contact/bob")
            ],
        ),
    ),
    Row(
        "rotation-start-ascii",
        "Rotation",
        "start_time",
        "ASCII digits only (no Arabic-Indic or full-width digits)",
        "schema (Java's `\\d`)",
        "start_time '２０２６-01-05T09:00:00' is not allowed: a datetime or a string 'YYYY-MM-DDTHH:MM:SS' (no offset).",
        lambda s: rotation(s, start_time="２０２６-01-05T09:00:00"),
    ),
    Row(
        "rotation-start-in-zone",
        "Rotation",
        "start_time",
        "an aware datetime that exists in `time_zone`",
        "library",
        "is not allowed: a time that exists in Pacific/Kiritimati.",
        lambda s: rotation(
            s,
            time_zone="Pacific/Kiritimati",
            start_time=datetime.max.replace(microsecond=0, tzinfo=ZoneInfo("America/Los_Angeles")),
        ),
    ),
    Row(
        "rotation-tags",
        "Rotation (Tags.of)",
        "tag keys and values",
        "keys of letters, digits, `_+=-/\\`; values of letters, digits, spaces, `_.:/=+-@` (checked at synth)",
        "schema and API",
        "tag key 'cost center' is not allowed: 1-128 characters of letters a-z and A-Z, digits and _ + = - / \\ (no spaces, no '.', no ':'). (a tag added with Tags.of)",
        lambda s: cdk.Tags.of(rotation(s)).add("cost center", "x"),
        at_synth=True,
    ),
    Row(
        "rotation-shifts-reach",
        "Rotation.who_is_on_call, Rotation.shifts",
        "at, end",
        "at most 50,000 hand-offs after `start_time`",
        "library (bounded work)",
        "is not allowed: a time at most 50000 hand-offs after the rotation's start_time (2026-01-05T09:00:00).",
        lambda s: rotation(s).who_is_on_call(at=datetime(9999, 1, 1, tzinfo=timezone.utc)),
    ),
    Row(
        "rotation-shifts-utc",
        "Rotation.who_is_on_call, Rotation.shifts",
        "at, start, end, start_time",
        "times that exist in UTC (years 1-9999)",
        "library (Python's datetime)",
        "at '9999-12-31T23:59:59.999999-08:00' is not allowed: a time between the years 1 and 9999 in UTC.",
        lambda s: rotation(s).who_is_on_call(at=datetime.max.replace(tzinfo=ZoneInfo("America/Los_Angeles"))),
    ),
    # -- on-call schedules ----------------------------------------------------------------
    Row(
        "schedule-rotation-type",
        "OnCallSchedule",
        "rotations",
        "`Rotation` objects or imported rotations",
        "library",
        "rotations 'r' is not allowed: a Rotation or an imported rotation (Rotation.from_rotation_arn).",
        lambda s: OnCallSchedule(s, "S", alias="s", rotations=["r"]),
    ),
    Row(
        "schedule-rotation-unique",
        "OnCallSchedule",
        "rotations",
        "each rotation once",
        "API",
        "rotations 'r0' is not allowed: each rotation at most once.",
        lambda s: schedule_with_rotations(s, 2, same=True),
    ),
    Row(
        "schedule-rotation-count",
        "OnCallSchedule",
        "rotations",
        "at most 8",
        "API",
        "rotations 'r8' is not allowed: at most 8 rotations per on-call schedule.",
        lambda s: schedule_with_rotations(s, 9),
    ),
    Row(
        "schedule-no-rotations",
        "OnCallSchedule",
        "rotations",
        "at least one (checked at synth)",
        "API",
        "OnCallSchedule 's' has no rotations: give rotations=[...] or call add_rotation().",
        lambda s: OnCallSchedule(s, "S", alias="s"),
        at_synth=True,
    ),
    # -- replication set ------------------------------------------------------------------
    Row(
        "replication-regions-type",
        "ReplicationSet",
        "regions",
        "a list or a mapping of regions",
        "library",
        "regions 'us-east-1' is not allowed: a list of region names, like ['us-east-1'].",
        lambda s: ReplicationSet(s, "RS", regions="us-east-1"),
    ),
    Row(
        "replication-regions-count",
        "ReplicationSet",
        "regions",
        "1-3 regions",
        "API",
        "regions '4 item(s)' is not allowed: between 1 and 3 items are allowed.",
        lambda s: ReplicationSet(s, "RS", regions=["us-east-1", "us-east-2", "us-west-1", "us-west-2"]),
    ),
    Row(
        "replication-regions-unique",
        "ReplicationSet",
        "regions",
        "each region once",
        "API",
        "is not allowed: each region at most once.",
        lambda s: ReplicationSet(s, "RS", regions=["us-east-1", "us-east-1"]),
    ),
    Row(
        "replication-region-name",
        "ReplicationSet",
        "region",
        "a region that exists",
        "API",
        "region 'us-east-9' is not allowed: a region name that exists",
        lambda s: ReplicationSet(s, "RS", regions=["us-east-9"]),
    ),
    Row(
        "replication-deletion-protected",
        "ReplicationSet",
        "deletion_protected",
        "True or False",
        "schema",
        "deletion_protected 'yes' is not allowed: True or False.",
        lambda s: ReplicationSet(s, "RS", regions=["us-east-1"], deletion_protected="yes"),
    ),
    Row(
        "replication-one",
        "ReplicationSet",
        "replication set",
        "one per account",
        "service (one replication set per account)",
        "must be unique within the app and account",
        lambda s: twice(
            lambda: ReplicationSet(s, "A", regions=["us-east-1"]), lambda: ReplicationSet(s, "B", regions=["us-east-1"])
        ),
    ),
    Row(
        "replication-key-type",
        "ReplicationSet",
        "key of a region",
        "an `aws_kms.IKey` or None",
        "library",
        "key of region us-east-1 'alias/mine' is not allowed: an aws_kms.IKey or None (AWS owned key).",
        lambda s: ReplicationSet(s, "RS", regions={"us-east-1": "alias/mine"}),
    ),
    Row(
        "replication-key-region",
        "ReplicationSet",
        "key of a region",
        "a key in that region",
        "service (keys are regional)",
        "is not allowed: a key in us-east-1; this key is in eu-west-1.",
        replication_key_elsewhere,
    ),
    Row(
        "replication-import-arn",
        "ReplicationSet.from_replication_set_arn",
        "replication_set_arn",
        "`arn:...:ssm-incidents::<account>:replication-set/<id>`",
        "API",
        "is not allowed: an ARN like arn:aws:ssm-incidents::<account>:replication-set/<id> (no region).",
        lambda s: ReplicationSet.from_replication_set_arn(
            s, "RS", "arn:aws:ssm-incidents:us-east-1:111111111111:replication-set/x"
        ),
    ),
    Row(
        "replication-region-partition",
        "ReplicationSet",
        "regions",
        "regions of one partition",
        "service (a replication set cannot span partitions)",
        "regions ['us-east-1', 'cn-north-1'] is not allowed: regions of one partition (a replication set cannot span partitions: us-east-1 (aws), cn-north-1 (aws-cn)).",
        lambda s: ReplicationSet(s, "RS", regions=["us-east-1", "cn-north-1"]),
    ),
    Row(
        "replication-region-supported",
        "ReplicationSet",
        "region",
        "a region with Incident Manager",
        "CloudFormation registry (the regions whose schemas have the type)",
        "region 'eu-south-1' is not allowed: a region with Incident Manager: ap-northeast-1,",
        lambda s: ReplicationSet(s, "RS", regions=["eu-south-1"]),
    ),
    Row(
        "replication-region-length",
        "ReplicationSet",
        "region",
        "at most 20 characters",
        "schema",
        "length must be 1 to 20 characters (got 30)",
        lambda s: ReplicationSet(s, "RS", regions=["a" * 30]),
    ),
    Row(
        "replication-tags",
        "ReplicationSet (Tags.of)",
        "tag keys and values",
        "keys of letters, digits, `_=:.+,/-`; values of those and spaces, `@` (checked at synth)",
        "schema and API",
        "tag key 'équipe' is not allowed: 1-128 characters of letters a-z and A-Z, digits and _ = : . + , / - (no spaces, no accents). (a tag added with Tags.of)",
        lambda s: cdk.Tags.of(ReplicationSet(s, "RS", regions=["us-east-1"])).add("équipe", "x"),
        at_synth=True,
    ),
    Row(
        "stack-region",
        "Rotation, ReplicationSet, ResponsePlan",
        "stack region",
        "a region with Incident Manager (when the stack's region is known)",
        "CloudFormation registry (the type does not exist elsewhere)",
        "stack region 'cn-north-1' is not allowed: a region with Incident Manager (AWS::SSMIncidents::ReplicationSet does not exist in cn-north-1)",
        lambda s: ReplicationSet(
            cdk.Stack(s.node.root, "Cn", env=cdk.Environment(region="cn-north-1")), "RS", regions=["us-east-1"]
        ),
    ),
    Row(
        "removal-policy",
        "Rotation, ReplicationSet, Runbook, ResponsePlan",
        "removal_policy",
        "an `aws_cdk.RemovalPolicy`, not SNAPSHOT",
        "CloudFormation (these types have no snapshot)",
        "removal_policy 'retain' is not allowed: an aws_cdk.RemovalPolicy: RETAIN, DESTROY, RETAIN_ON_UPDATE_OR_DELETE (this resource type has no snapshot).",
        lambda s: ReplicationSet(s, "RS", regions=["us-east-1"], removal_policy="retain"),
    ),
    Row(
        "construct-scope",
        "Rotation, ReplicationSet, Runbook, ResponsePlan, SlackChatChannel and their imports",
        "scope, id",
        "a construct and a non-empty construct id",
        "CDK (instead of a jsii error)",
        "<None>/RS (ReplicationSet): scope None is not allowed: a construct (a Stack, or a construct inside one).",
        lambda s: ReplicationSet(None, "RS", regions=["us-east-1"]),
    ),
    # -- response plans -------------------------------------------------------------------
    Row(
        "plan-name",
        "ResponsePlan",
        "response_plan_name",
        "1-200 characters of letters, digits, `_`, `-`",
        "schema and API",
        "response_plan_name 'ec2 high cpu' is not allowed: 1-200 characters of letters, digits, '_' and '-'.",
        lambda s: plan(s, response_plan_name="ec2 high cpu"),
    ),
    Row(
        "plan-name-unique",
        "ResponsePlan",
        "response_plan_name",
        "unique within the app and account",
        "API",
        "response_plan_name 'plan' is not allowed: must be unique within the app and account",
        lambda s: twice(
            lambda: plan(s), lambda: ResponsePlan(s, "Other", response_plan_name="plan", title="t", impact=Impact.LOW)
        ),
    ),
    Row(
        "plan-display-name",
        "ResponsePlan",
        "display_name",
        "1-200 characters",
        "schema",
        "display_name '' is not allowed: length must be 1 to 200 characters (got 0).",
        lambda s: plan(s, display_name=""),
    ),
    Row(
        "plan-title",
        "ResponsePlan",
        "title",
        "1-200 characters",
        "schema and API",
        "title '' is not allowed: length must be 1 to 200 characters (got 0).",
        lambda s: plan(s, title=""),
    ),
    Row(
        "plan-summary",
        "ResponsePlan",
        "summary",
        "1-4000 characters",
        "schema",
        "summary 'aaaa",
        lambda s: plan(s, summary="a" * 4001),
    ),
    Row(
        "plan-dedupe",
        "ResponsePlan",
        "dedupe_string",
        "1-1000 characters",
        "schema",
        "length must be 1 to 1000 characters (got 1001)",
        lambda s: plan(s, dedupe_string="a" * 1001),
    ),
    Row(
        "plan-impact",
        "ResponsePlan",
        "impact",
        "an `Impact`, 1-5",
        "schema",
        "impact 0 is not allowed: an Impact: CRITICAL (1), HIGH (2), MEDIUM (3), LOW (4) or NO_IMPACT (5).",
        lambda s: plan(s, impact=0),
    ),
    Row(
        "plan-engagements-count",
        "ResponsePlan",
        "engagements",
        "at most 5",
        "schema",
        "is not allowed: at most 5 engagements per response plan.",
        lambda s: plan(s, engagements=[person(s, f"p{i}") for i in range(6)]),
    ),
    Row(
        "plan-engagements-unique",
        "ResponsePlan",
        "engagements",
        "each contact once",
        "schema (unique items)",
        "engagements 'alice' is not allowed: each contact at most once.",
        lambda s: (lambda a: plan(s, engagements=[a, a]))(person(s)),
    ),
    Row(
        "plan-notification-topics",
        "ResponsePlan",
        "notification_topics",
        "at most 10 SNS topics",
        "schema",
        "notification_topics 'an 11th topic' is not allowed: at most 10 notification topics.",
        lambda s: plan(s, notification_topics=topics(s, 11)),
    ),
    Row(
        "plan-chat-topics",
        "ResponsePlan",
        "chat_channel_topics",
        "1-5 SNS topics",
        "schema",
        "chat_channel_topics 'a 6th topic' is not allowed: at most 5 chat channel topics.",
        lambda s: plan(s, chat_channel_topics=topics(s, 6)),
    ),
    Row(
        "plan-topic-unique",
        "ResponsePlan",
        "notification_topics, chat_channel_topics",
        "each topic once",
        "schema (unique items)",
        "is not allowed: each topic at most once.",
        lambda s: (lambda t: plan(s, notification_topics=[t, t]))(sns.Topic(s, "T")),
    ),
    Row(
        "plan-tags-count",
        "ResponsePlan",
        "tags, incident_tags",
        "at most 50",
        "schema",
        "incident_tags '51 tags' is not allowed: at most 50 tags.",
        lambda s: plan(s, incident_tags={f"k{i}": "v" for i in range(51)}),
    ),
    Row(
        "plan-tags-key",
        "ResponsePlan",
        "tag keys",
        "1-128 characters, not starting with `aws:`",
        "schema and IAM",
        "tags key 'aws:team' is not allowed: keys starting with 'aws:' are reserved by AWS.",
        lambda s: plan(s, tags={"aws:team": "x"}),
    ),
    Row(
        "plan-tags-value",
        "ResponsePlan",
        "tag values",
        "1-256 characters",
        "schema",
        "tags value for 'team' 'aaaa",
        lambda s: plan(s, tags={"team": LONG + "a"}),
    ),
    Row(
        "plan-role-without-runbook",
        "ResponsePlan",
        "role, automation_role",
        "only with a runbook",
        "library",
        "role 'a role' is not allowed: a role is only used with a runbook; give runbook= too.",
        lambda s: plan(s, role=cdk.aws_iam.Role.from_role_name(s, "R", "r")),
    ),
    Row(
        "plan-target-account",
        "ResponsePlan",
        "target_account",
        "RESPONSE_PLAN_OWNER_ACCOUNT or IMPACTED_ACCOUNT",
        "schema",
        "target_account 'MINE' is not allowed: RESPONSE_PLAN_OWNER_ACCOUNT or IMPACTED_ACCOUNT.",
        lambda s: plan(s, target_account="MINE"),
    ),
    Row(
        "plan-runbook-parameter-declared",
        "ResponsePlan",
        "runbook_parameters",
        "keys the runbook declares",
        "service (Automation refuses unknown parameters)",
        "runbook_parameters key 'Region' is not allowed: a parameter the runbook declares",
        lambda s: plan(s, runbook=runbook(s), runbook_parameters={"Region": "us-east-1"}),
    ),
    Row(
        "plan-runbook-parameter-key",
        "ResponsePlan",
        "runbook_parameters",
        "keys of 1-50 characters",
        "schema",
        "runbook_parameters key 'aaaa",
        lambda s: plan(s, runbook=runbook(s), runbook_parameters={"a" * 51: "x"}),
    ),
    Row(
        "plan-runbook-parameter-values",
        "ResponsePlan",
        "runbook_parameters",
        "1-10 distinct values of at most 512 characters",
        "schema (10 values, unique) and API (512 characters)",
        "is not allowed: 1 to 10 values (CloudFormation's limit).",
        lambda s: plan(s, runbook=runbook(s), runbook_parameters={"IncidentRecordArn": []}),
    ),
    Row(
        "plan-automation-role",
        "ResponsePlan",
        "automation_role",
        "the runbook runs as `{{ AutomationAssumeRole }}`",
        "service",
        "the runbook must run as {{ AutomationAssumeRole }} to use an automation role.",
        lambda s: plan(
            s,
            runbook=Runbook(s, "R", document_name="team-runbook", content=document()),
            automation_role=cdk.aws_iam.Role.from_role_name(s, "A", "a"),
        ),
    ),
    Row(
        "plan-dynamic-value",
        "ResponsePlan",
        "runbook_dynamic_parameters",
        "INCIDENT_RECORD_ARN or INVOLVED_RESOURCES",
        "schema",
        "runbook_dynamic_parameters['IncidentRecordArn'] 'TITLE' is not allowed: INCIDENT_RECORD_ARN or INVOLVED_RESOURCES.",
        lambda s: plan(s, runbook=runbook(s), runbook_dynamic_parameters={"IncidentRecordArn": "TITLE"}),
    ),
    Row(
        "plan-dynamic-type",
        "ResponsePlan",
        "runbook_dynamic_parameters",
        "INVOLVED_RESOURCES into a StringList, INCIDENT_RECORD_ARN into a String",
        "service",
        "INVOLVED_RESOURCES goes into a StringList parameter; IncidentRecordArn is a String.",
        lambda s: plan(s, runbook=runbook(s), runbook_dynamic_parameters={"IncidentRecordArn": "INVOLVED_RESOURCES"}),
    ),
    Row(
        "plan-dynamic-declared",
        "ResponsePlan",
        "runbook_dynamic_parameters",
        "keys the runbook declares",
        "service",
        "runbook_dynamic_parameters key 'Record' is not allowed: a parameter the runbook declares",
        lambda s: plan(s, runbook=runbook(s), runbook_dynamic_parameters={"Record": "INCIDENT_RECORD_ARN"}),
    ),
    Row(
        "plan-dynamic-static",
        "ResponsePlan",
        "runbook_dynamic_parameters",
        "not also a static parameter",
        "service",
        "runbook_dynamic_parameters key 'IncidentRecordArn' is not allowed: a key that is not also a static parameter.",
        lambda s: plan(
            s,
            runbook=runbook(s),
            runbook_parameters={"IncidentRecordArn": "x"},
            runbook_dynamic_parameters={"IncidentRecordArn": "INCIDENT_RECORD_ARN"},
        ),
    ),
    Row(
        "plan-pager-duty-name",
        "PagerDutyIntegration",
        "name, service_id",
        "1-200 characters",
        "schema",
        "pager_duty name '' is not allowed: length must be 1 to 200 characters (got 0).",
        lambda s: pager_duty(s, name=""),
    ),
    Row(
        "plan-pager-duty-key",
        "PagerDutyIntegration",
        "secret",
        "encrypted with a customer managed key",
        "service",
        "a secret encrypted with a customer managed key",
        lambda s: pager_duty(s, key=False),
    ),
    Row(
        "plan-import-arn",
        "ResponsePlan.from_response_plan_arn",
        "response_plan_arn",
        "`arn:...:ssm-incidents::<account>:response-plan/<name>`",
        "API",
        "is not allowed: an ARN like arn:aws:ssm-incidents::<account>:response-plan/<name>.",
        lambda s: ResponsePlan.from_response_plan_arn(s, "P", "arn:aws:ssm:us-east-1:111111111111:document/x"),
    ),
    Row(
        "plan-engagement-arn",
        "ResponsePlan",
        "engagements",
        "contacts whose ARN matches the schema (partition aws, aws-cn, aws-us-gov; a 12-digit account)",
        "schema",
        "engagements 'arn:aws:ssm-contacts:us-east-1:123:contact/bob' is not allowed: a contact whose ARN is",
        lambda s: plan(
            s, engagements=[Contact.from_contact_arn(s, "I", "arn:aws:ssm-contacts:us-east-1:123:contact/bob")]
        ),
    ),
    Row(
        "plan-topic-standard",
        "ResponsePlan",
        "notification_topics, chat_channel_topics",
        "standard SNS topics (not FIFO)",
        "schema (the topic ARN pattern refuses `.fifo`)",
        "is not allowed: a standard SNS topic of partition aws, aws-cn or aws-us-gov (Incident Manager cannot publish to a FIFO topic).",
        lambda s: plan(s, notification_topics=[sns.Topic(s, "T", fifo=True, topic_name="alerts")]),
    ),
    Row(
        "plan-role-arn",
        "ResponsePlan",
        "role",
        "a role ARN without '.'",
        "schema (RoleArn pattern)",
        "role 'arn:aws:iam::111111111111:role/my.role' is not allowed: a role whose ARN has no '.'",
        lambda s: plan(
            s, runbook=runbook(s), role=cdk.aws_iam.Role.from_role_arn(s, "R", "arn:aws:iam::111111111111:role/my.role")
        ),
    ),
    Row(
        "plan-types",
        "ResponsePlan",
        "runbook, role, automation_role, pager_duty, engagements, topics",
        "the documented types (IRunbook, IRole, PagerDutyIntegration, lists)",
        "library",
        "runbook 'team-runbook' is not allowed: a Runbook or an imported runbook (Runbook.from_document_name).",
        lambda s: plan(s, runbook="team-runbook"),
    ),
    Row(
        "plan-dynamic-mapping",
        "ResponsePlan",
        "runbook_dynamic_parameters",
        "a mapping",
        "library",
        "runbook_dynamic_parameters 'IncidentRecordArn' is not allowed: a mapping of parameter name to DynamicParameter",
        lambda s: plan(s, runbook=runbook(s), runbook_dynamic_parameters="IncidentRecordArn"),
    ),
    Row(
        "plan-pager-duty-secret-type",
        "PagerDutyIntegration",
        "secret",
        "an `aws_secretsmanager.ISecret`",
        "library",
        "pager_duty secret 'arn:aws:secretsmanager:us-east-1:111111111111:secret:pd' is not allowed: an aws_secretsmanager.ISecret.",
        lambda s: plan(
            s,
            pager_duty=PagerDutyIntegration(
                name="pd", secret="arn:aws:secretsmanager:us-east-1:111111111111:secret:pd", service_id="P1"
            ),
        ),
    ),
    Row(
        "plan-document-version",
        "ResponsePlan, RunbookRole",
        "runbook_document_version, document_version",
        "a version number without leading zero, `$DEFAULT` or `$LATEST`",
        "API (DocumentVersion pattern)",
        "runbook_document_version '03' is not allowed: $DEFAULT, $LATEST or a version number like 3.",
        lambda s: plan(s, runbook=runbook(s), runbook_document_version="03"),
    ),
    Row(
        "plan-document-version-without-runbook",
        "ResponsePlan",
        "runbook_document_version",
        "only with a runbook",
        "library",
        "runbook_document_version '3' is not allowed: a document version is only used with a runbook.",
        lambda s: plan(s, runbook_document_version="3"),
    ),
    Row(
        "plan-target-accounts-id",
        "ResponsePlan, RunbookRole",
        "target_accounts",
        "12-digit account ids (or tokens)",
        "IAM (the account of a role ARN)",
        "target_accounts '1234' is not allowed: 12-digit account ids.",
        lambda s: plan(s, runbook=runbook(s), target_account=TargetAccount.IMPACTED_ACCOUNT, target_accounts=["1234"]),
    ),
    Row(
        "plan-target-accounts-count",
        "ResponsePlan, RunbookRole",
        "target_accounts",
        "a list of 1-100 distinct accounts",
        "library (the role's inline policy stays inside IAM's 10,240 characters)",
        "target_accounts '0 accounts' is not allowed: 1 to 100 account ids (leave target_accounts out to allow any account).",
        lambda s: plan(s, runbook=runbook(s), target_account=TargetAccount.IMPACTED_ACCOUNT, target_accounts=[]),
    ),
    Row(
        "plan-target-accounts-impacted",
        "ResponsePlan",
        "target_accounts",
        "only with a runbook, `target_account=TargetAccount.IMPACTED_ACCOUNT` and the role the plan creates",
        "library",
        "is not allowed: target accounts are only used with target_account=TargetAccount.IMPACTED_ACCOUNT.",
        lambda s: plan(s, runbook=runbook(s), target_accounts=["111122223333"]),
    ),
    Row(
        "tags-type",
        "ResponsePlan",
        "tags, incident_tags",
        "a mapping of key to value",
        "library",
        "tags [('team', 'x')] is not allowed: a mapping of tag key to tag value, like {'team': 'payments'}.",
        lambda s: plan(s, tags=[("team", "x")]),
    ),
    Row(
        "plan-tags-key-pattern",
        "ResponsePlan",
        "tag keys",
        "letters a-z and A-Z, digits, `_=:.+,/-` (no spaces, no accents)",
        "schema and API",
        "tags key 'cost center' is not allowed: 1-128 characters of letters a-z and A-Z, digits and _ = : . + , / - (no spaces, no accents).",
        lambda s: plan(s, tags={"cost center": "x"}),
    ),
    Row(
        "plan-tags-value-pattern",
        "ResponsePlan",
        "tag values",
        "letters a-z and A-Z, digits, spaces, `_=@:.+,/-` (no accents)",
        "API",
        "tags value for 'team' 'équipe' is not allowed: 1-256 characters of letters a-z and A-Z, digits, spaces and _ = @ : . + , / - (no accents).",
        lambda s: plan(s, tags={"team": "équipe"}),
    ),
    # -- runbooks -------------------------------------------------------------------------
    Row(
        "runbook-name",
        "Runbook",
        "document_name",
        "3-128 characters of letters, digits, `_`, `-`, `.`",
        "schema and API",
        "document_name 'my runbook' is not allowed: 3-128 characters",
        lambda s: runbook(s, "my runbook"),
    ),
    Row(
        "runbook-name-prefix",
        "Runbook",
        "document_name",
        "not starting with `aws`, `amazon`, `amzn`",
        "API",
        "document_name 'AWS-Restart' is not allowed: 3-128 characters of letters, digits, '_', '-' and '.', not starting with 'aws', 'amazon' or 'amzn'.",
        lambda s: runbook(s, "AWS-Restart"),
    ),
    Row(
        "runbook-name-unique",
        "Runbook",
        "document_name",
        "unique within the app and account",
        "API",
        "document_name 'team-runbook' is not allowed: must be unique within the app and account",
        lambda s: twice(
            lambda: runbook(s),
            lambda: Runbook(s, "Other", document_name="team-runbook", steps=[RunbookStep.pause("A")]),
        ),
    ),
    Row(
        "runbook-steps-and-content",
        "Runbook",
        "steps, content",
        "one of the two",
        "library",
        "steps 'steps and content' is not allowed: give either steps or content, not both.",
        lambda s: Runbook(s, "R", document_name="team-runbook", steps=[RunbookStep.pause("A")], content=document()),
    ),
    Row(
        "runbook-parameter",
        "Runbook",
        "parameters",
        "each a mapping with a `type`",
        "service",
        "parameter 'Region' {} is not allowed: a mapping with a 'type'.",
        lambda s: Runbook(
            s, "R", document_name="team-runbook", steps=[RunbookStep.pause("A")], parameters={"Region": {}}
        ),
    ),
    Row(
        "runbook-step-type",
        "Runbook.add_step",
        "step",
        "a `RunbookStep`",
        "library",
        "is not allowed: a RunbookStep (RunbookStep.pause(...), RunbookStep.action(...), ...).",
        lambda s: runbook(s).add_step({"name": "x"}),
    ),
    Row(
        "runbook-step-option",
        "RunbookStep",
        "options",
        "known step options",
        "service",
        "RunbookStep 'A': unknown option(s) ['retries'].",
        lambda s: RunbookStep.pause("A", retries=3),
    ),
    Row(
        "runbook-step-name",
        "RunbookStep",
        "name",
        "1-128 characters of letters, digits, `_`",
        "service",
        "mainSteps[1] name 'step 2' is not allowed: 1-128 characters of letters, digits and '_'.",
        lambda s: runbook(s).add_step(RunbookStep.pause("step 2")),
    ),
    Row(
        "runbook-step-unique",
        "RunbookStep",
        "name",
        "unique in the document",
        "service",
        "mainSteps[1] name 'Look' is not allowed: step names must be unique within the document.",
        lambda s: runbook(s).add_step(RunbookStep.pause("Look")),
    ),
    Row(
        "runbook-step-action",
        "RunbookStep.action",
        "action",
        "an Automation action",
        "service",
        "step 'Go' action 'aws:teleport' is not allowed: one of aws:approve",
        lambda s: runbook(s).add_step(RunbookStep.action("Go", "aws:teleport")),
    ),
    Row(
        "runbook-step-inputs",
        "RunbookStep.action",
        "inputs",
        "the action's required inputs",
        "service",
        "is not allowed: aws:executeAwsApi requires Service, Api.",
        lambda s: runbook(s).add_step(RunbookStep.action("Call", "aws:executeAwsApi")),
    ),
    Row(
        "runbook-schema-version",
        "Runbook(content=...), Runbook.from_yaml_file",
        "schemaVersion",
        "'0.3'",
        "service",
        "schemaVersion '2.2' is not allowed: '0.3' (Automation documents).",
        lambda s: Runbook(s, "R", document_name="team-runbook", content=document(schemaVersion="2.2")),
    ),
    Row(
        "runbook-main-steps",
        "Runbook(content=...), Runbook.from_yaml_file",
        "mainSteps",
        "present",
        "service",
        "an Automation document lists its steps under 'mainSteps:'",
        lambda s: runbook_from(s, "schemaVersion: '0.3'\nsteps: []\n"),
    ),
    Row(
        "runbook-main-steps-empty",
        "Runbook(content=...), Runbook.from_yaml_file",
        "mainSteps",
        "a non-empty list",
        "service",
        "mainSteps [] is not allowed: a non-empty list of steps.",
        lambda s: Runbook(s, "R", document_name="team-runbook", content=document(mainSteps=[])),
    ),
    Row(
        "runbook-file-read",
        "Runbook.from_yaml_file",
        "path",
        "a readable file",
        "library",
        "cannot read runbook file",
        lambda s: runbook_from(s, None),
    ),
    Row(
        "runbook-file-yaml",
        "Runbook.from_yaml_file",
        "file content",
        "valid YAML or JSON",
        "library",
        "is not valid YAML or JSON",
        lambda s: runbook_from(s, "mainSteps: [\n"),
    ),
    Row(
        "runbook-file-mapping",
        "Runbook.from_yaml_file",
        "file content",
        "a mapping",
        "library",
        "must hold a mapping with schemaVersion and mainSteps, got list.",
        lambda s: runbook_from(s, "- a\n- b\n"),
    ),
    Row(
        "runbook-import-name",
        "Runbook.from_document_name",
        "document_name",
        "3-128 characters of letters, digits, `_-.:/`",
        "API",
        "document_name 'x' is not allowed",
        lambda s: Runbook.from_document_name(s, "R", "x"),
    ),
    Row(
        "runbook-no-steps",
        "Runbook",
        "steps",
        "at least one (checked at synth)",
        "service",
        "Runbook 'team-runbook' has no steps: give steps=[...] or call add_step().",
        lambda s: Runbook(s, "R", document_name="team-runbook"),
        at_synth=True,
    ),
    Row(
        "runbook-content-size",
        "Runbook, Runbook.add_step, Runbook.from_yaml_file",
        "document content",
        "at most 64 KB as JSON",
        "API (CreateDocument: 64 KB)",
        "is not allowed: at most 65536 bytes of document content (the service's limit of 64 KB).",
        lambda s: Runbook(s, "R", document_name="team-runbook", content=document(description="a" * 65536)),
    ),
    Row(
        "runbook-content-json",
        "Runbook(content=...), Runbook.from_yaml_file, RunbookStep inputs",
        "document values",
        "JSON values: text, finite numbers, booleans, null, lists, mappings with text keys",
        "CloudFormation (the template is JSON)",
        "is not allowed: a finite number (JSON has no NaN or infinity).",
        lambda s: Runbook(
            s,
            "R",
            document_name="team-runbook",
            content=document(
                mainSteps=[{"name": "A", "action": "aws:sleep", "inputs": {"Duration": "PT1M", "X": float("nan")}}]
            ),
        ),
    ),
    Row(
        "runbook-content-depth",
        "Runbook(content=...), Runbook.from_yaml_file, RunbookStep inputs",
        "document values",
        "nested at most 50 deep",
        "library (bounded work)",
        "is not allowed: lists and mappings nested at most 50 deep.",
        lambda s: Runbook(s, "R", document_name="team-runbook", content=document(description=deep(60))),
    ),
    Row(
        "runbook-document-keys",
        "Runbook(content=...), Runbook.from_yaml_file",
        "document keys",
        "schemaVersion, description, assumeRole, parameters, mainSteps, outputs, files, variables",
        "service (Automation schema)",
        "document key(s) ['colour'] is not allowed: the keys of an Automation document are",
        lambda s: Runbook(s, "R", document_name="team-runbook", content=document(colour="red")),
    ),
    Row(
        "runbook-parameter-count",
        "Runbook",
        "parameters",
        "at most 200, names of 1-50 characters",
        "API (StartAutomationExecution)",
        "parameter name 'aaaa",
        lambda s: Runbook(
            s,
            "R",
            document_name="team-runbook",
            steps=[RunbookStep.pause("A")],
            parameters={"a" * 51: {"type": "String"}},
        ),
    ),
    Row(
        "runbook-parameter-type",
        "Runbook",
        "parameter type",
        "String, StringList, Boolean, Integer, MapList or StringMap",
        "service (Automation schema)",
        "parameter 'Region' type 'Strng' is not allowed: one of String, StringList, Boolean, Integer, MapList, StringMap.",
        lambda s: Runbook(
            s,
            "R",
            document_name="team-runbook",
            steps=[RunbookStep.pause("A")],
            parameters={"Region": {"type": "Strng"}},
        ),
    ),
    Row(
        "runbook-parameter-keys",
        "Runbook",
        "parameter definition",
        "the keys of a parameter definition",
        "service (Automation schema)",
        "parameter 'Region' key(s) ['colour'] is not allowed: the keys of a parameter are",
        lambda s: Runbook(
            s,
            "R",
            document_name="team-runbook",
            steps=[RunbookStep.pause("A")],
            parameters={"Region": {"type": "String", "colour": "red"}},
        ),
    ),
    Row(
        "runbook-parameter-default",
        "Runbook",
        "parameter default",
        "a value of the parameter's type",
        "service",
        "parameter 'N' default 'x' is not allowed: a value of the parameter's type (Integer).",
        lambda s: Runbook(
            s,
            "R",
            document_name="team-runbook",
            steps=[RunbookStep.pause("A")],
            parameters={"N": {"type": "Integer", "default": "x"}},
        ),
    ),
    Row(
        "runbook-step-keys",
        "Runbook(content=...), Runbook.from_yaml_file",
        "step keys",
        "the keys of a step",
        "service (Automation schema)",
        "step 'A' key(s) ['retries'] is not allowed: the keys of a step are",
        lambda s: Runbook(
            s,
            "R",
            document_name="team-runbook",
            content=document(mainSteps=[{"name": "A", "action": "aws:pause", "inputs": {}, "retries": 3}]),
        ),
    ),
    Row(
        "runbook-step-reference",
        "RunbookStep",
        "next_step, on_failure, on_cancel, branch NextStep and Default",
        "the name of a step of the document (checked at synth)",
        "service",
        "step 'A' next_step 'Nowhere' is not allowed: the name of a step of the document (A, Look).",
        lambda s: runbook(s).add_step(RunbookStep.pause("A", next_step="Nowhere")),
        at_synth=True,
    ),
    Row(
        "runbook-step-on-failure",
        "RunbookStep",
        "on_failure, on_cancel",
        "Abort, Continue (on_failure only) or `step:<name>`",
        "service (Automation schema)",
        "step 'A' on_failure 'Retry' is not allowed: Abort, Continue or step:<name of a step>.",
        lambda s: runbook(s).add_step(RunbookStep.pause("A", on_failure="Retry")),
    ),
    Row(
        "runbook-step-numbers",
        "RunbookStep",
        "timeout_seconds, max_attempts",
        "whole numbers 1 to 2147483647 (aws:approve: at most 30 days), or `{{ Parameter }}`",
        "service (Integer; aws:approve's limit)",
        "step 'A' timeout_seconds True is not allowed: a whole number is required.",
        lambda s: runbook(s).add_step(RunbookStep.pause("A", timeout_seconds=True)),
    ),
    Row(
        "runbook-step-flags",
        "RunbookStep",
        "is_end, is_critical",
        "True or False",
        "service (Automation schema)",
        "step 'A' is_end 'maybe' is not allowed: True or False.",
        lambda s: runbook(s).add_step(RunbookStep.pause("A", is_end="maybe")),
    ),
    Row(
        "runbook-step-outputs",
        "RunbookStep",
        "outputs",
        "a list of {Name, Selector, Type}",
        "service (Automation schema)",
        "step 'A' outputs Type 'Float' is not allowed: one of String, StringList, Boolean, Integer, MapList, StringMap.",
        lambda s: runbook(s).add_step(
            RunbookStep.pause("A", outputs=[{"Name": "x", "Selector": "$.x", "Type": "Float"}])
        ),
    ),
    Row(
        "runbook-approvers",
        "RunbookStep.approve",
        "approvers, min_required_approvals, message",
        "a non-empty list of principals; at most as many approvals as approvers; a message of at most 4096 characters",
        "service (aws:approve)",
        "step 'A' inputs Approvers 'alice' is not allowed: a list of strings.",
        lambda s: runbook(s).add_step(RunbookStep.approve("A", approvers="alice")),
    ),
    Row(
        "runbook-sleep",
        "RunbookStep.sleep",
        "duration",
        "an ISO 8601 duration of at most 7 days",
        "service (aws:sleep)",
        "step 'Wait' inputs Duration 'P8D' is not allowed: at most 7 days (604800 seconds), the longest aws:sleep.",
        lambda s: runbook(s).add_step(RunbookStep.sleep("Wait", duration=cdk.Duration.days(8))),
    ),
    Row(
        "runbook-input-types",
        "RunbookStep factories",
        "inputs",
        "the types of the inputs the factories write (lists, mappings, strings)",
        "service",
        "step 'Cmd' inputs InstanceIds 'i-1' is not allowed: a list of strings.",
        lambda s: runbook(s).add_step(
            RunbookStep.run_command("Cmd", document_name="AWS-RunShellScript", instance_ids="i-1")
        ),
    ),
    Row(
        "runbook-branch-choices",
        "RunbookStep.action (aws:branch)",
        "Choices",
        "a non-empty list of choices with a NextStep",
        "service (aws:branch)",
        "step 'B' inputs Choices [] is not allowed: a non-empty list of choices, each with a NextStep.",
        lambda s: runbook(s).add_step(RunbookStep.action("B", "aws:branch", {"Choices": []})),
    ),
    Row(
        "runbook-file-size",
        "Runbook.from_yaml_file",
        "file",
        "at most 1 MB",
        "library (a document holds 64 KB)",
        "is not allowed: a file of at most 1048576 bytes",
        lambda s: runbook_from(s, "# " + "x" * (1024 * 1024) + "\n"),
    ),
    Row(
        "runbook-file-utf8",
        "Runbook.from_yaml_file",
        "file",
        "UTF-8 text",
        "library",
        "is not UTF-8 text (byte 0).",
        lambda s: runbook_from_bytes(s, "schemaVersion: '0.3'\n".encode("utf-16")),
    ),
    Row(
        "runbook-file-aliases",
        "Runbook.from_yaml_file",
        "file",
        "YAML aliases neither recursive nor expanding past 64 KB",
        "library (bounded work)",
        "has a recursive alias (a value that contains itself).",
        lambda s: runbook_from(s, "a: &a [*a]\nschemaVersion: '0.3'\n"),
    ),
    Row(
        "runbook-file-depth",
        "Runbook.from_yaml_file",
        "file",
        "nested at most 50 deep",
        "library (bounded work)",
        "nests values more than 50 deep.",
        lambda s: runbook_from(s, "a: " + "[" * 3000 + "]" * 3000 + "\n"),
    ),
    Row(
        "runbook-file-path",
        "Runbook.from_yaml_file",
        "path",
        "a str or pathlib.Path",
        "library",
        "path None is not allowed: a path to a YAML or JSON file (a str or pathlib.Path).",
        lambda s: Runbook.from_yaml_file(s, "R", None, document_name="team-runbook"),
    ),
    Row(
        "runbook-tags",
        "Runbook (Tags.of)",
        "tag keys and values",
        "letters, digits, spaces, `_.:/=+-@` (checked at synth)",
        "schema and API",
        "tag key 'cost*center' is not allowed: 1-128 characters of letters, digits, spaces and _ . : / = + - @. (a tag added with Tags.of)",
        lambda s: cdk.Tags.of(runbook(s)).add("cost*center", "x"),
        at_synth=True,
    ),
    # -- integrations ---------------------------------------------------------------------
    Row(
        "target-response-plan",
        "IncidentTarget",
        "response_plan",
        "a response plan",
        "library",
        "IncidentTarget (IncidentTarget): response_plan 'plan' is not allowed: a ResponsePlan or an imported response plan (IResponsePlan).",
        lambda s: IncidentTarget("plan"),
    ),
    Row(
        "target-role",
        "IncidentTarget",
        "role",
        "an `aws_iam.IRole`",
        "library",
        "role 'role' is not allowed: an aws_iam.IRole.",
        lambda s: IncidentTarget(plan(s), role="role"),
    ),
    Row(
        "slack-workspace",
        "SlackChatChannel",
        "slack_workspace_id",
        "upper-case letters and digits",
        "schema",
        "slack_workspace_id 't012' is not allowed: a Slack workspace id",
        lambda s: slack(s, slack_workspace_id="t012"),
    ),
    Row(
        "slack-channel",
        "SlackChatChannel",
        "slack_channel_id",
        "letters and digits (the id, not the #name)",
        "schema",
        "slack_channel_id '#incidents' is not allowed: a Slack channel id",
        lambda s: slack(s, slack_channel_id="#incidents"),
    ),
    Row(
        "slack-configuration-name",
        "SlackChatChannel",
        "slack_channel_configuration_name",
        "1-128 characters of letters, digits, `-`, `_`",
        "schema",
        "slack_channel_configuration_name 'on call' is not allowed: 1-128 characters of letters, digits, '-' and '_'.",
        lambda s: slack(s, slack_channel_configuration_name="on call"),
    ),
    Row(
        "slack-key",
        "SlackChatChannel",
        "encryption_key",
        "an `aws_kms.IKey`",
        "library",
        "encryption_key 'alias/aws/sns' is not allowed: an aws_kms.IKey (a customer managed key).",
        lambda s: slack(s, encryption_key="alias/aws/sns"),
    ),
    Row(
        "slack-response-plan",
        "SlackChatChannel",
        "response_plans",
        "response plans of this app, each once",
        "library",
        "response_plans 'plan' is not allowed: each response plan at most once.",
        lambda s: (lambda p: slack(s, response_plans=[p, p]))(plan(s)),
    ),
    Row(
        "slack-types",
        "SlackChatChannel",
        "role, guardrail_policies, response_plans",
        "an `aws_iam.IRole`, `aws_iam.IManagedPolicy` objects, a list of response plans",
        "library",
        "guardrail_policies 'ReadOnlyAccess' is not allowed: aws_iam.IManagedPolicy objects",
        lambda s: slack(s, guardrail_policies=["ReadOnlyAccess"]),
    ),
    Row(
        "ms-teams-team-id",
        "TeamsChatChannel",
        "team_id, tenant_id",
        "a GUID (8-4-4-4-12 hexadecimal digits)",
        "schema and API",
        "team_id 'T012ABCDEFG' is not allowed: a GUID like 'a1b2c3d4-0000-4000-8000-0123456789ab'",
        lambda s: teams(s, team_id="T012ABCDEFG"),
    ),
    Row(
        "ms-teams-channel-id",
        "TeamsChatChannel",
        "channel_id",
        "the channel id URL-encoded (`%3A`, `%40`), 1-255 characters",
        "schema (pattern) and API (255; the schema allows 256)",
        "channel_id '19:ab***@thread.tacv2' is not allowed: a Microsoft Teams channel id, URL-encoded",
        lambda s: teams(s, channel_id="19:ab12cd34@thread.tacv2"),
    ),
    Row(
        "ms-teams-configuration-name",
        "TeamsChatChannel",
        "teams_channel_configuration_name",
        "1-128 characters of letters, digits, `-`, `_`",
        "schema",
        "teams_channel_configuration_name 'on call' is not allowed: 1-128 characters of letters, digits, '-' and '_'.",
        lambda s: teams(s, teams_channel_configuration_name="on call"),
    ),
    Row(
        "ms-teams-response-plan",
        "TeamsChatChannel",
        "response_plans",
        "response plans of this app, each once",
        "library",
        "response_plans 'plan' is not allowed: each response plan at most once.",
        lambda s: (lambda p: teams(s, response_plans=[p, p]))(plan(s)),
    ),
    # -- sharing --------------------------------------------------------------------------
    Row(
        "share-principal",
        "ResponsePlan, Contact, EscalationPlan, OnCallSchedule (share_with)",
        "principals",
        "12-digit account ids, organizational unit ARNs, organization ARNs",
        "Incident Manager user guide (shares with accounts, OUs and organizations)",
        "principal 'arn:aws:iam::222222222222:role/ops' is not allowed: a 12-digit account id like '111122223333'",
        lambda s: plan(s).share_with("arn:aws:iam::222222222222:role/ops"),
    ),
    Row(
        "share-no-principal",
        "ResponsePlan, Contact, EscalationPlan, OnCallSchedule (share_with)",
        "principals",
        "at least one",
        "AWS RAM (a share names its principals)",
        "principals () is not allowed: at least one principal",
        lambda s: plan(s).share_with(),
    ),
    Row(
        "share-imported",
        "an imported contact (share_with)",
        "the contact",
        "a contact owned by this app",
        "Incident Manager user guide (only the owner shares)",
        "is not allowed: a contact owned by this app: only the account that owns a contact can share it.",
        lambda s: Contact.from_contact_arn(
            s, "Imported", "arn:aws:ssm-contacts:us-east-1:111122223333:contact/alice"
        ).share_with("222222222222"),
    ),
    Row(
        "share-external",
        "ResponsePlan, Contact, EscalationPlan, OnCallSchedule (share_with)",
        "allow_external_principals",
        "True or False",
        "library",
        "allow_external_principals 'yes' is not allowed: True or False.",
        lambda s: plan(s).share_with("222222222222", allow_external_principals="yes"),
    ),
    Row(
        "replication-set-tags",
        "ReplicationSet",
        "tags",
        "at most 50; keys not starting with `aws:`; the characters of the response plan's tags",
        "schema and API",
        "tags key 'aws:team' is not allowed: keys starting with 'aws:' are reserved by AWS.",
        lambda s: ReplicationSet(s, "RS", regions=["us-east-1"], tags={"aws:team": "ops"}),
    ),
    # -- many teams -----------------------------------------------------------------------
    Row(
        "teams-shards",
        "TeamStacks",
        "shards",
        "1-10000",
        "library",
        "shards 0 is not allowed: must be at least 1 and at most 10000.",
        lambda s: TeamStacks(s, "Teams", shards=0),
    ),
    Row(
        "teams-max-resources",
        "TeamStacks",
        "max_resources",
        "1-500 (a stack's resource limit)",
        "CloudFormation quota",
        "max_resources 501 is not allowed: must be at least 1 and at most 500.",
        lambda s: TeamStacks(s, "Teams", shards=2, max_resources=501),
    ),
    Row(
        "teams-warn-resources",
        "TeamStacks",
        "warn_resources",
        "1 to max_resources",
        "library",
        "warn_resources 300 is not allowed: must be at least 1 and at most 200.",
        lambda s: TeamStacks(s, "Teams", shards=2, max_resources=200, warn_resources=300),
    ),
    Row(
        "teams-placement",
        "TeamStacks",
        "placement",
        "a shard number, 0 to shards - 1",
        "library",
        "placement['web'] 2 is not allowed: must be at least 0 and at most 1.",
        lambda s: TeamStacks(s, "Teams", shards=2, placement={"web": 2}),
    ),
    Row(
        "teams-shard",
        "TeamStacks.shard_stack",
        "shard",
        "0 to shards - 1",
        "library",
        "shard 5 is not allowed: must be at least 0 and at most 1.",
        lambda s: TeamStacks(s, "Teams", shards=2).shard_stack(5),
    ),
    Row(
        "teams-name",
        "TeamStacks",
        "team name",
        "1-255 characters, known at synth time",
        "library",
        "team name '' is not allowed: length must be 1 to 255 characters (got 0).",
        lambda s: TeamStacks(s, "Teams", shards=2).stack_for(""),
    ),
    Row(
        "teams-name-token",
        "TeamStacks",
        "team name",
        "known at synth time",
        "library",
        "is not allowed: a name known at synth time; a token cannot be placed.",
        lambda s: TeamStacks(s, "Teams", shards=2).stack_for(cdk.Aws.STACK_NAME),
    ),
    Row(
        "teams-name-distinct",
        "TeamStacks.scope_for",
        "team name",
        "distinct once unsafe characters become `-`",
        "library (construct ids)",
        "is not allowed: a name that stays distinct from 'web/api' once '/' and such become '-'.",
        lambda s: (lambda t: twice(lambda: t.scope_for("web/api"), lambda: t.scope_for("web-api")))(
            TeamStacks(s, "Teams", shards=1)
        ),
    ),
    Row(
        "teams-shard-full",
        "TeamStacks",
        "resources per shard",
        "at most max_resources (checked at synth)",
        "CloudFormation quota (500 resources per stack)",
        "shard 0 holds 3 resources, more than the limit of 2",
        lambda s: person(
            TeamStacks(s, "Teams", shards=1, max_resources=2, warn_resources=1).scope_for("web")
        ).add_email_channel("mail", "a@example.com"),
        at_synth=True,
    ),
]


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_rule(row: Row) -> None:
    stack = new_stack()
    if row.at_synth:
        row.build(stack)
        with pytest.raises(Exception, match="Validation failed") as caught:
            stack.node.root.synth()
    else:
        with pytest.raises(ValidationError) as caught:
            row.build(stack)
    assert row.message in str(caught.value)


def test_every_row_has_a_unique_id() -> None:
    ids = [r.id for r in ROWS]
    assert len(ids) == len(set(ids))


def documented_rows() -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| `([a-z0-9-]+)` \|(.*)\|$", line)
        if match:
            rows[match.group(1)] = [cell.strip() for cell in match.group(2).split(" | ")]
    return rows


def test_the_documented_table_is_the_tested_table() -> None:
    documented = documented_rows()
    assert sorted(documented) == sorted(r.id for r in ROWS)
    for row in ROWS:
        where, value, rule, source, message = documented[row.id]
        assert (where, value, rule, source) == (row.where, row.value, row.rule, row.source), row.id
        assert message == f"`{row.message}`".replace("|", "\\|"), row.id


def markdown_table() -> str:
    """The table of docs/validation.md, from ROWS (``python -c 'import tests.test_validation_table as t; print(t.markdown_table())'``)."""
    lines = ["| id | where | value | rule | source | message (fragment) |", "|---|---|---|---|---|---|"]
    for r in ROWS:
        message = f"`{r.message}`".replace("|", "\\|")
        lines.append(f"| `{r.id}` | {r.where} | {r.value} | {r.rule} | {r.source} | {message} |")
    return "\n".join(lines)
