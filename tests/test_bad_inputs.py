"""A corpus of bad and edge inputs through the Python API, each classified.

Every case builds something in a fresh app (and synthesizes it, since some rules can only be
checked once every ``add_*`` call is made) and lands in exactly one class:

* **refused clearly**: a :class:`ValidationError` at construct time, or a ``cdk synth`` failure
  raised by the library's own validation, whose message names the construct path and the field,
  and holds no personal address (email, phone number, secret) in full;
* **accepted correctly**: a legal value (an upper bound, a token, an odd but valid form) that
  builds and synthesizes; their templates are also linted with cfn-lint;
* **refused unclearly**: refused, but the message misses the path or the field, or leaks;
* **refused wrongly**: a legal value refused;
* **passed to deploy time**: a value CloudFormation or the service refuses, accepted here;
* **traceback**: anything else (TypeError, AttributeError, a jsii error, RecursionError, ...).

:func:`summarize` computes the figures written in docs/validation.md ("Bad-input corpus");
``test_the_corpus_figures`` asserts that nothing passes to deploy time, that nothing ends in a
traceback, and that the figures in the docs are the computed ones. Cases that fail because a
module owned by someone else lacks a check are marked ``xfail(strict=True)`` with the owner, and
counted apart as "known gaps".
"""

from __future__ import annotations

import importlib.util
import json
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
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
    RunbookRole,
    RunbookStep,
    ShiftCoverage,
    SlackChatChannel,
    TargetAccount,
    TeamsChatChannel,
    TeamStacks,
    ValidationError,
)
from incident_constructs._validation import (
    INCIDENT_MANAGER_REGIONS,
    SSM_CONTACTS_TAGS,
    SSM_DOCUMENT_TAGS,
    SSM_INCIDENTS_TAGS,
    partition_of,
)
from incident_constructs.response.runbook import MAX_CONTENT_BYTES

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "validation.md"
MIN = cdk.Duration.minutes
UTC = timezone.utc

#: Values that must never appear whole in a message.
EMAIL = "alice.smith@example.com"
PHONE = "+14255550199"
SECRET = "hunter2-secret-value"
PERSONAL = (EMAIL, PHONE, PHONE[1:], SECRET)

REFUSE, ACCEPT = "refuse", "accept"


@dataclass(frozen=True)
class Case:
    #: A unique id: ``<construct>-<field>-<what>``.
    id: str
    #: REFUSE or ACCEPT.
    expect: str
    #: Builds the input in a fresh stack.
    build: Callable[[cdk.Stack], Any]
    #: A fragment the message must hold to name the field (for REFUSE).
    field: str = ""
    #: The construct path the message must name (for REFUSE).
    path: str = "TestStack/"
    #: Set for a case that fails because a module owned by someone else lacks a check.
    owner: str = ""


# -- building blocks ---------------------------------------------------------------------------


def person(s: cdk.Construct, alias: str = "alice", channel: bool = True) -> Contact:
    c = Contact(s, alias.title().replace("-", "").replace("_", ""), alias=alias)
    if channel:
        c.add_email_channel("mail", f"{alias}@example.com")
    return c


def people(s: cdk.Construct, n: int) -> list[Contact]:
    return [person(s, f"p{i}") for i in range(n)]


def rot(s: cdk.Construct, **kw: Any) -> Rotation:
    if "contacts" not in kw:
        kw["contacts"] = [person(s, "alice"), person(s, "bob")]
    props: dict[str, Any] = {
        "rotation_name": "team_rotation",
        "start_time": "2026-01-05T09:00:00",
        "time_zone": "Europe/Paris",
        "recurrence": RotationRecurrence.daily(hand_off_time="09:00"),
    }
    props.update(kw)
    return Rotation(s, "Rot", **props)


def rs(s: cdk.Construct, **kw: Any) -> ReplicationSet:
    props: dict[str, Any] = {"regions": ["us-east-1"]}
    props.update(kw)
    return ReplicationSet(s, "Rs", **props)


def rb(s: cdk.Construct, *steps: RunbookStep, **kw: Any) -> Runbook:
    props: dict[str, Any] = {"document_name": "team-runbook"}
    if "content" not in kw:
        props["steps"] = list(steps) or [RunbookStep.pause("Look")]
    props.update(kw)
    return Runbook(s, "Rb", **props)


def step(s: cdk.Stack, *steps: RunbookStep) -> Runbook:
    """A runbook with a first step and ``steps`` added."""
    runbook = rb(s)
    for st in steps:
        runbook.add_step(st)
    return runbook


def doc(**over: Any) -> dict[str, Any]:
    content: dict[str, Any] = {
        "schemaVersion": "0.3",
        "mainSteps": [{"name": "Look", "action": "aws:pause", "inputs": {}}],
    }
    content.update(over)
    return content


def plan(s: cdk.Construct, **kw: Any) -> ResponsePlan:
    props: dict[str, Any] = {"response_plan_name": "plan", "title": "t", "impact": Impact.HIGH}
    props.update(kw)
    return ResponsePlan(s, "Plan", **props)


def plan_with_runbook(s: cdk.Stack, **kw: Any) -> ResponsePlan:
    return plan(s, runbook=rb(s, parameters={"Region": {"type": "String"}, "Ids": {"type": "StringList"}}), **kw)


def slack(s: cdk.Construct, **kw: Any) -> SlackChatChannel:
    props: dict[str, Any] = {
        "slack_workspace_id": "T012ABCDEFG",
        "slack_channel_id": "C012ABCDEFG",
        "slack_channel_configuration_name": "incidents",
    }
    props.update(kw)
    return SlackChatChannel(s, "Slack", **props)


TEAMS_GUID = "a1b2c3d4-0000-4000-8000-0123456789ab"


def teams(s: cdk.Construct, **kw: Any) -> TeamsChatChannel:
    props: dict[str, Any] = {
        "team_id": TEAMS_GUID,
        "channel_id": "19%3Aab12cd34%40thread.tacv2",
        "tenant_id": TEAMS_GUID,
        "teams_channel_configuration_name": "incidents",
    }
    props.update(kw)
    return TeamsChatChannel(s, "Teams", **props)


def shared_plan(s: cdk.Stack, *principals: Any, **kw: Any) -> Any:
    return plan(s).share_with(*principals, **kw)


def topics(s: cdk.Construct, n: int, **kw: Any) -> list[sns.Topic]:
    return [sns.Topic(s, f"Topic{i}", **kw) for i in range(n)]


def in_region(s: cdk.Stack, region: str) -> cdk.Stack:
    return cdk.Stack(s.node.root, "Regional", env=cdk.Environment(account="111122223333", region=region))


def token_str(s: cdk.Stack, name: str = "P") -> str:
    return cdk.CfnParameter(s, name).value_as_string


def token_num(s: cdk.Stack, name: str = "N") -> float:
    return cdk.CfnParameter(s, name, type="Number").value_as_number


def tagged(target: Callable[[cdk.Stack], Any], key: str, value: str) -> Callable[[cdk.Stack], Any]:
    def build(s: cdk.Stack) -> Any:
        built = target(s)
        cdk.Tags.of(built).add(key, value)
        return built

    return build


def runbook_file(
    text: str | None = None, *, data: bytes | None = None, suffix: str = ".yaml"
) -> Callable[[cdk.Stack], Any]:
    def build(s: cdk.Stack) -> Any:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"runbook{suffix}"
            if data is not None:
                path.write_bytes(data)
            elif text is not None:
                path.write_text(text, encoding="utf-8")
            return Runbook.from_yaml_file(s, "Rb", path, document_name="team-runbook")

    return build


def twice(first: Callable[[], Any], second: Callable[[], Any]) -> Any:
    first()
    return second()


def escalation_cycle(s: cdk.Stack) -> None:
    a = person(s)
    e1 = EscalationPlan(s, "E1", alias="first", stages=[EscalationStage(contacts=[a])])
    e2 = EscalationPlan(s, "E2", alias="second", stages=[EscalationStage(contacts=[e1])])
    e1.add_stage(EscalationStage(contacts=[e2]))


def schedule_with(s: cdk.Stack, n: int) -> OnCallSchedule:
    alice, bob = person(s, "alice"), person(s, "bob")
    rotations = [
        Rotation(
            s,
            f"R{i}",
            rotation_name=f"r{i}",
            contacts=[alice, bob],
            start_time="2026-01-05T09:00:00",
            time_zone="UTC",
            recurrence=RotationRecurrence.daily(hand_off_time="09:00"),
        )
        for i in range(n)
    ]
    return OnCallSchedule(s, "S", alias="schedule", rotations=rotations)


AWARE = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)
DAILY = RotationRecurrence.daily(hand_off_time="09:00")
LONG_STRING = "a" * 100_000
NAN, INF = float("nan"), float("inf")
BILLION_LAUGHS = (
    "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    + "schemaVersion: '0.3'\nmainSteps: [{name: A, action: 'aws:pause', inputs: {}}]\n"
)


def R(id: str, build: Callable[[cdk.Stack], Any], field: str, *, path: str = "TestStack/", owner: str = "") -> Case:
    return Case(id, REFUSE, build, field=field, path=path, owner=owner)


def A(id: str, build: Callable[[cdk.Stack], Any]) -> Case:
    return Case(id, ACCEPT, build)


# -- the corpus --------------------------------------------------------------------------------

CASES: list[Case] = [
    # == Rotation ================================================================================
    R("rotation-name-none", lambda s: rot(s, rotation_name=None), "rotation_name"),
    R("rotation-name-int", lambda s: rot(s, rotation_name=5), "rotation_name"),
    R("rotation-name-bytes", lambda s: rot(s, rotation_name=b"team"), "rotation_name"),
    R("rotation-name-list", lambda s: rot(s, rotation_name=["team"]), "rotation_name"),
    R("rotation-name-empty", lambda s: rot(s, rotation_name=""), "rotation_name"),
    R("rotation-name-too-long", lambda s: rot(s, rotation_name="a" * 256), "rotation_name"),
    R("rotation-name-huge", lambda s: rot(s, rotation_name=LONG_STRING), "rotation_name"),
    R("rotation-name-hyphen", lambda s: rot(s, rotation_name="team-rotation"), "rotation_name"),
    R("rotation-name-space", lambda s: rot(s, rotation_name="team rotation"), "rotation_name"),
    R("rotation-name-accent", lambda s: rot(s, rotation_name="équipe"), "rotation_name"),
    R("rotation-name-fullwidth", lambda s: rot(s, rotation_name="ｔｅａｍ"), "rotation_name"),
    R("rotation-name-no-break-space", lambda s: rot(s, rotation_name="team\u00a0a"), "rotation_name"),
    R(
        "rotation-name-unique",
        lambda s: twice(
            lambda: rot(s),
            lambda: Rotation(
                s,
                "Other",
                rotation_name="team_rotation",
                contacts=[person(s, "carol")],
                start_time="2026-01-05T09:00:00",
                time_zone="UTC",
                recurrence=DAILY,
            ),
        ),
        "rotation_name",
    ),
    A("rotation-name-255", lambda s: rot(s, rotation_name="a" * 255)),
    A("rotation-name-underscore", lambda s: rot(s, rotation_name="_")),
    A("rotation-name-token", lambda s: rot(s, rotation_name=token_str(s))),
    R("rotation-contacts-none", lambda s: rot(s, contacts=None), "contacts"),
    R("rotation-contacts-string", lambda s: rot(s, contacts="alice"), "contacts"),
    R("rotation-contacts-int", lambda s: rot(s, contacts=5), "contacts"),
    R("rotation-contacts-mapping", lambda s: rot(s, contacts={"a": person(s)}), "contacts"),
    R("rotation-contacts-set", lambda s: rot(s, contacts={person(s)}), "contacts"),
    R("rotation-contacts-empty", lambda s: rot(s, contacts=[]), "contacts"),
    R("rotation-contacts-31", lambda s: rot(s, contacts=people(s, 31)), "contacts"),
    R("rotation-contacts-duplicate", lambda s: (lambda a: rot(s, contacts=[a, a]))(person(s)), "contacts"),
    R("rotation-contacts-email-string", lambda s: rot(s, contacts=[EMAIL]), "contacts"),
    R("rotation-contacts-phone-string", lambda s: rot(s, contacts=[PHONE]), "contacts"),
    R("rotation-contacts-none-item", lambda s: rot(s, contacts=[None]), "contacts"),
    R(
        "rotation-contacts-schedule",
        lambda s: rot(s, contacts=[person(s), OnCallSchedule(s, "S", alias="sched")]),
        "contacts",
    ),
    R(
        "rotation-contacts-escalation",
        lambda s: rot(
            s, contacts=[EscalationPlan(s, "E", alias="esc", stages=[EscalationStage(contacts=[person(s)])])]
        ),
        "contacts",
    ),
    R(
        "rotation-contacts-iso-partition",
        lambda s: rot(
            s,
            contacts=[
                Contact.from_contact_arn(s, "I", "arn:aws-iso:ssm-contacts:us-iso-east-1:111122223333:contact/bob")
            ],
        ),
        "contacts",
    ),
    A("rotation-contacts-30", lambda s: rot(s, contacts=people(s, 30))),
    A("rotation-contacts-tuple", lambda s: rot(s, contacts=(person(s, "alice"), person(s, "bob")))),
    A(
        "rotation-contacts-imported-cn",
        lambda s: rot(
            s,
            contacts=[Contact.from_contact_arn(s, "I", "arn:aws-cn:ssm-contacts:cn-north-1:111122223333:contact/bob")],
        ),
    ),
    A("rotation-contacts-imported-alias", lambda s: rot(s, contacts=[Contact.from_contact_alias(s, "I", "bob")])),
    R("rotation-on-calls-zero", lambda s: rot(s, number_of_on_calls=0), "number_of_on_calls"),
    R("rotation-on-calls-negative", lambda s: rot(s, number_of_on_calls=-1), "number_of_on_calls"),
    R("rotation-on-calls-bool", lambda s: rot(s, number_of_on_calls=True), "number_of_on_calls"),
    R("rotation-on-calls-float", lambda s: rot(s, number_of_on_calls=1.5), "number_of_on_calls"),
    R("rotation-on-calls-whole-float", lambda s: rot(s, number_of_on_calls=1.0), "number_of_on_calls"),
    R("rotation-on-calls-string", lambda s: rot(s, number_of_on_calls="1"), "number_of_on_calls"),
    R("rotation-on-calls-none", lambda s: rot(s, number_of_on_calls=None), "number_of_on_calls"),
    R("rotation-on-calls-nan", lambda s: rot(s, number_of_on_calls=NAN), "number_of_on_calls"),
    R("rotation-on-calls-inf", lambda s: rot(s, number_of_on_calls=INF), "number_of_on_calls"),
    R("rotation-on-calls-huge", lambda s: rot(s, number_of_on_calls=10**100), "number_of_on_calls"),
    R("rotation-on-calls-more-than-contacts", lambda s: rot(s, number_of_on_calls=3), "number_of_on_calls"),
    A("rotation-on-calls-all", lambda s: rot(s, number_of_on_calls=2)),
    A("rotation-on-calls-token", lambda s: rot(s, number_of_on_calls=token_num(s))),
    R("rotation-multiplier-zero", lambda s: rot(s, recurrence_multiplier=0), "recurrence_multiplier"),
    R("rotation-multiplier-101", lambda s: rot(s, recurrence_multiplier=101), "recurrence_multiplier"),
    R("rotation-multiplier-bool", lambda s: rot(s, recurrence_multiplier=True), "recurrence_multiplier"),
    R("rotation-multiplier-float", lambda s: rot(s, recurrence_multiplier=2.0), "recurrence_multiplier"),
    R("rotation-multiplier-huge", lambda s: rot(s, recurrence_multiplier=10**30), "recurrence_multiplier"),
    R("rotation-multiplier-negative-inf", lambda s: rot(s, recurrence_multiplier=-INF), "recurrence_multiplier"),
    A("rotation-multiplier-100", lambda s: rot(s, recurrence_multiplier=100)),
    R("rotation-zone-none", lambda s: rot(s, time_zone=None), "time_zone"),
    R("rotation-zone-empty", lambda s: rot(s, time_zone=""), "time_zone"),
    R("rotation-zone-abbreviation", lambda s: rot(s, time_zone="PST"), "time_zone"),
    R("rotation-zone-offset", lambda s: rot(s, time_zone="UTC+2"), "time_zone"),
    R("rotation-zone-etc", lambda s: rot(s, time_zone="Etc/GMT-2"), "time_zone"),
    R("rotation-zone-lower-case", lambda s: rot(s, time_zone="europe/paris"), "time_zone"),
    R("rotation-zone-trailing-space", lambda s: rot(s, time_zone="Europe/Paris "), "time_zone"),
    R("rotation-zone-int", lambda s: rot(s, time_zone=1), "time_zone"),
    R("rotation-zone-zoneinfo-object", lambda s: rot(s, time_zone=ZoneInfo("Europe/Paris")), "time_zone"),
    A("rotation-zone-utc", lambda s: rot(s, time_zone="UTC")),
    A("rotation-zone-token", lambda s: rot(s, time_zone=token_str(s))),
    R("rotation-start-none", lambda s: rot(s, start_time=None), "start_time"),
    R("rotation-start-int", lambda s: rot(s, start_time=1767600000), "start_time"),
    R("rotation-start-date-only", lambda s: rot(s, start_time="2026-01-05"), "start_time"),
    R("rotation-start-date-object", lambda s: rot(s, start_time=date(2026, 1, 5)), "start_time"),
    R("rotation-start-offset", lambda s: rot(s, start_time="2026-01-05T09:00:00Z"), "start_time"),
    R("rotation-start-not-a-date", lambda s: rot(s, start_time="2026-02-30T09:00:00"), "start_time"),
    R("rotation-start-arabic-indic", lambda s: rot(s, start_time="٢٠٢٦-٠١-٠٥T09:00:00"), "start_time"),
    R("rotation-start-fullwidth", lambda s: rot(s, start_time="２０２６-01-05T09:00:00"), "start_time"),
    R("rotation-start-fraction", lambda s: rot(s, start_time=datetime(2026, 1, 5, 9, 0, 0, 1)), "start_time"),
    R(
        "rotation-start-aware-max",
        lambda s: rot(
            s,
            time_zone="Pacific/Kiritimati",
            start_time=datetime.max.replace(microsecond=0, tzinfo=ZoneInfo("America/Los_Angeles")),
        ),
        "start_time",
    ),
    R("rotation-start-aware-with-token-zone", lambda s: rot(s, time_zone=token_str(s), start_time=AWARE), "start_time"),
    A("rotation-start-aware", lambda s: rot(s, start_time=AWARE)),
    A("rotation-start-naive", lambda s: rot(s, start_time=datetime(2026, 1, 5, 9))),
    A("rotation-start-token", lambda s: rot(s, start_time=token_str(s))),
    R("rotation-recurrence-none", lambda s: rot(s, recurrence=None), "recurrence"),
    R("rotation-recurrence-string", lambda s: rot(s, recurrence="daily"), "recurrence"),
    R(
        "rotation-recurrence-kind",
        lambda s: rot(s, recurrence=RotationRecurrence("HOURLY", "09:00")),
        "recurrence kind",
    ),
    R(
        "rotation-recurrence-kind-list",
        lambda s: rot(s, recurrence=RotationRecurrence(["DAILY"], "09:00")),
        "recurrence kind",
    ),
    R(
        "rotation-hand-off-24",
        lambda s: rot(s, recurrence=RotationRecurrence.daily(hand_off_time="24:00")),
        "hand_off_time",
    ),
    R(
        "rotation-hand-off-minute-60",
        lambda s: rot(s, recurrence=RotationRecurrence.daily(hand_off_time="9:60")),
        "hand_off_time",
    ),
    R(
        "rotation-hand-off-seconds",
        lambda s: rot(s, recurrence=RotationRecurrence.daily(hand_off_time="09:00:00")),
        "hand_off_time",
    ),
    R(
        "rotation-hand-off-arabic-indic",
        lambda s: rot(s, recurrence=RotationRecurrence.daily(hand_off_time="٠٩:٠٠")),
        "hand_off_time",
    ),
    R(
        "rotation-hand-off-none",
        lambda s: rot(s, recurrence=RotationRecurrence.daily(hand_off_time=None)),
        "hand_off_time",
    ),
    R(
        "rotation-hand-off-time-object",
        lambda s: rot(s, recurrence=RotationRecurrence.daily(hand_off_time=datetime(2026, 1, 1, 9).time())),
        "hand_off_time",
    ),
    A("rotation-hand-off-one-digit-hour", lambda s: rot(s, recurrence=RotationRecurrence.daily(hand_off_time="9:05"))),
    A("rotation-hand-off-23-59", lambda s: rot(s, recurrence=RotationRecurrence.daily(hand_off_time="23:59"))),
    R(
        "rotation-weekly-day-long",
        lambda s: rot(s, recurrence=RotationRecurrence.weekly(day_of_week="MONDAY", hand_off_time="09:00")),
        "day_of_week",
    ),
    R(
        "rotation-weekly-day-lower",
        lambda s: rot(s, recurrence=RotationRecurrence.weekly(day_of_week="mon", hand_off_time="09:00")),
        "day_of_week",
    ),
    R(
        "rotation-weekly-day-none",
        lambda s: rot(s, recurrence=RotationRecurrence.weekly(day_of_week=None, hand_off_time="09:00")),
        "day_of_week",
    ),
    R(
        "rotation-weekly-day-int",
        lambda s: rot(s, recurrence=RotationRecurrence.weekly(day_of_week=0, hand_off_time="09:00")),
        "day_of_week",
    ),
    R(
        "rotation-monthly-day-zero",
        lambda s: rot(s, recurrence=RotationRecurrence.monthly(day_of_month=0, hand_off_time="09:00")),
        "day_of_month",
    ),
    R(
        "rotation-monthly-day-32",
        lambda s: rot(s, recurrence=RotationRecurrence.monthly(day_of_month=32, hand_off_time="09:00")),
        "day_of_month",
    ),
    R(
        "rotation-monthly-day-bool",
        lambda s: rot(s, recurrence=RotationRecurrence.monthly(day_of_month=True, hand_off_time="09:00")),
        "day_of_month",
    ),
    R(
        "rotation-monthly-day-string",
        lambda s: rot(s, recurrence=RotationRecurrence.monthly(day_of_month="1", hand_off_time="09:00")),
        "day_of_month",
    ),
    A(
        "rotation-monthly-day-31",
        lambda s: rot(s, recurrence=RotationRecurrence.monthly(day_of_month=31, hand_off_time="09:00")),
    ),
    R("rotation-coverage-empty", lambda s: rot(s, shift_coverage=[]), "shift_coverage"),
    R("rotation-coverage-string", lambda s: rot(s, shift_coverage="MON 09:00-17:00"), "shift_coverage"),
    R("rotation-coverage-tuple-item", lambda s: rot(s, shift_coverage=[("MON", "09:00", "17:00")]), "shift_coverage"),
    R(
        "rotation-coverage-day",
        lambda s: rot(s, shift_coverage=[ShiftCoverage("MONDAY", "09:00", "17:00")]),
        "shift_coverage day_of_week",
    ),
    R(
        "rotation-coverage-reversed",
        lambda s: rot(s, shift_coverage=[ShiftCoverage("MON", "17:00", "09:00")]),
        "shift_coverage",
    ),
    R(
        "rotation-coverage-short",
        lambda s: rot(s, shift_coverage=[ShiftCoverage("MON", "09:00", "09:29")]),
        "shift_coverage",
    ),
    R(
        "rotation-coverage-overlap",
        lambda s: rot(
            s, shift_coverage=[ShiftCoverage("MON", "09:00", "13:00"), ShiftCoverage("MON", "12:00", "18:00")]
        ),
        "shift_coverage",
    ),
    R(
        "rotation-coverage-none-start",
        lambda s: rot(s, shift_coverage=[ShiftCoverage("MON", None, "10:00")]),
        "shift_coverage MON start",
    ),
    A(
        "rotation-coverage-30-minutes",
        lambda s: rot(
            s, shift_coverage=[ShiftCoverage("MON", "00:00", "00:30"), ShiftCoverage("MON", "23:29", "23:59")]
        ),
    ),
    R("rotation-removal-policy-string", lambda s: rot(s, removal_policy="RETAIN"), "removal_policy"),
    R(
        "rotation-removal-policy-snapshot",
        lambda s: rot(s, removal_policy=cdk.RemovalPolicy.SNAPSHOT),
        "removal_policy",
    ),
    R(
        "rotation-scope-none",
        lambda s: Rotation(
            None,
            "R",
            rotation_name="r",
            contacts=[person(s)],
            start_time="2026-01-05T09:00:00",
            time_zone="UTC",
            recurrence=DAILY,
        ),
        "scope",
        path="/R",
    ),
    R(
        "rotation-id-int",
        lambda s: Rotation(
            s,
            5,
            rotation_name="r",
            contacts=[person(s)],
            start_time="2026-01-05T09:00:00",
            time_zone="UTC",
            recurrence=DAILY,
        ),
        "id",
    ),
    R(
        "rotation-id-empty",
        lambda s: Rotation(
            s,
            "",
            rotation_name="r",
            contacts=[person(s)],
            start_time="2026-01-05T09:00:00",
            time_zone="UTC",
            recurrence=DAILY,
        ),
        "id",
    ),
    R(
        "rotation-stack-region-without-incident-manager",
        lambda s: rot(in_region(s, "eu-south-1")),
        "stack region",
        path="Regional/Rot",
    ),
    R("rotation-stack-region-china", lambda s: rot(in_region(s, "cn-north-1")), "stack region", path="Regional/Rot"),
    A("rotation-stack-region-supported", lambda s: rot(in_region(s, "eu-west-3"))),
    R("rotation-tag-key-space", tagged(rot, "cost center", "x"), "tag key"),
    R("rotation-tag-key-accent", tagged(rot, "équipe", "x"), "tag key"),
    R("rotation-tag-key-dot", tagged(rot, "app.team", "x"), "tag key"),
    R("rotation-tag-key-aws", tagged(rot, "aws:team", "x"), "tag key"),
    R("rotation-tag-value-long", tagged(rot, "team", "a" * 257), "tag value"),
    R("rotation-tag-value-empty", tagged(rot, "team", ""), "tag value"),
    R("rotation-tag-value-asterisk", tagged(rot, "team", "a*b"), "tag value"),
    A("rotation-tag-value-unicode", tagged(rot, "team", "équipe Zoë")),
    A("rotation-tag-key-128", tagged(rot, "k" * 128, "v")),
    A("rotation-tag-value-token", tagged(rot, "account", cdk.Aws.ACCOUNT_ID)),
    R("rotation-import-none", lambda s: Rotation.from_rotation_arn(s, "I", None), "rotation_arn"),
    R("rotation-import-int", lambda s: Rotation.from_rotation_arn(s, "I", 5), "rotation_arn"),
    R(
        "rotation-import-contact-arn",
        lambda s: Rotation.from_rotation_arn(s, "I", "arn:aws:ssm-contacts:us-east-1:111122223333:contact/alice"),
        "rotation_arn",
    ),
    R(
        "rotation-import-iso-partition",
        lambda s: Rotation.from_rotation_arn(s, "I", "arn:aws-iso:ssm-contacts:us-iso-east-1:111122223333:rotation/x"),
        "rotation_arn",
    ),
    R(
        "rotation-import-short-account",
        lambda s: Rotation.from_rotation_arn(s, "I", "arn:aws:ssm-contacts:us-east-1:123:rotation/x"),
        "rotation_arn",
    ),
    R("rotation-import-huge", lambda s: Rotation.from_rotation_arn(s, "I", LONG_STRING), "rotation_arn"),
    R(
        "rotation-import-scope-string",
        lambda s: Rotation.from_rotation_arn(
            "TestStack", "I", "arn:aws:ssm-contacts:us-east-1:111122223333:rotation/x"
        ),
        "scope",
        path="TestStack",
    ),
    A(
        "rotation-import-arn",
        lambda s: Rotation.from_rotation_arn(
            s, "I", "arn:aws:ssm-contacts:us-east-1:111122223333:rotation/0a1b2c3d-4e5f"
        ),
    ),
    A("rotation-import-token", lambda s: Rotation.from_rotation_arn(s, "I", token_str(s))),
    R("rotation-who-naive", lambda s: rot(s).who_is_on_call(at=datetime(2026, 1, 12, 9)), "at"),
    R("rotation-who-string", lambda s: rot(s).who_is_on_call(at="2026-01-12T09:00:00Z"), "at"),
    R(
        "rotation-who-overflow",
        lambda s: rot(s).who_is_on_call(at=datetime.max.replace(tzinfo=ZoneInfo("America/Los_Angeles"))),
        "at",
    ),
    R("rotation-who-far-future", lambda s: rot(s).who_is_on_call(at=datetime(9999, 1, 1, tzinfo=UTC)), "at"),
    R(
        "rotation-who-start-near-year-10000",
        lambda s: rot(s, time_zone="America/Los_Angeles", start_time="9999-12-31T23:00:00").who_is_on_call(at=AWARE),
        "start_time",
    ),
    R("rotation-who-token-zone", lambda s: rot(s, time_zone=token_str(s)).who_is_on_call(at=AWARE), "time_zone"),
    R("rotation-shifts-reversed", lambda s: rot(s).shifts(start=AWARE, end=AWARE - timedelta(days=1)), "end"),
    R(
        "rotation-shifts-whole-calendar",
        lambda s: rot(s).shifts(start=datetime(1, 1, 2, tzinfo=UTC), end=datetime(9999, 12, 30, tzinfo=UTC)),
        "end",
    ),
    A("rotation-who-far-past", lambda s: rot(s).who_is_on_call(at=datetime(1, 1, 2, tzinfo=UTC))),
    A("rotation-shifts-one-year", lambda s: rot(s).shifts(start=AWARE, end=AWARE + timedelta(days=366))),
    # == ReplicationSet ==========================================================================
    R("replication-regions-none", lambda s: rs(s, regions=None), "regions"),
    R("replication-regions-string", lambda s: rs(s, regions="us-east-1"), "regions"),
    R("replication-regions-int", lambda s: rs(s, regions=1), "regions"),
    R("replication-regions-set", lambda s: rs(s, regions={"us-east-1"}), "regions"),
    R("replication-regions-empty", lambda s: rs(s, regions=[]), "regions"),
    R("replication-regions-empty-mapping", lambda s: rs(s, regions={}), "regions"),
    R(
        "replication-regions-four",
        lambda s: rs(s, regions=["us-east-1", "us-east-2", "us-west-1", "us-west-2"]),
        "regions",
    ),
    R("replication-regions-duplicate", lambda s: rs(s, regions=["us-east-1", "us-east-1"]), "regions"),
    R("replication-region-unknown", lambda s: rs(s, regions=["us-east-9"]), "region"),
    R("replication-region-upper-case", lambda s: rs(s, regions=["US-EAST-1"]), "region"),
    R("replication-region-int", lambda s: rs(s, regions=[1]), "region"),
    R("replication-region-none", lambda s: rs(s, regions=[None]), "region"),
    R("replication-region-too-long", lambda s: rs(s, regions=["a" * 30]), "region"),
    R("replication-region-mapping-key-int", lambda s: rs(s, regions={1: None}), "region"),
    R("replication-regions-mix-china", lambda s: rs(s, regions=["us-east-1", "cn-north-1"]), "regions"),
    R("replication-regions-mix-govcloud", lambda s: rs(s, regions=["us-east-1", "us-gov-west-1"]), "regions"),
    R("replication-region-china", lambda s: rs(s, regions=["cn-north-1"]), "region"),
    R("replication-region-govcloud", lambda s: rs(s, regions=["us-gov-west-1"]), "region"),
    R("replication-region-without-incident-manager", lambda s: rs(s, regions=["eu-south-1"]), "region"),
    R("replication-region-af-south", lambda s: rs(s, regions=["us-east-1", "af-south-1"]), "region"),
    R("replication-key-string", lambda s: rs(s, regions={"us-east-1": "alias/mine"}), "key of region us-east-1"),
    R(
        "replication-key-elsewhere",
        lambda s: rs(s, regions={"us-east-1": kms.Key(in_region(s, "eu-west-1"), "Key")}),
        "key of region us-east-1",
    ),
    R("replication-deletion-protected-string", lambda s: rs(s, deletion_protected="yes"), "deletion_protected"),
    R("replication-deletion-protected-int", lambda s: rs(s, deletion_protected=1), "deletion_protected"),
    R("replication-deletion-protected-none", lambda s: rs(s, deletion_protected=None), "deletion_protected"),
    R(
        "replication-removal-policy-snapshot",
        lambda s: rs(s, removal_policy=cdk.RemovalPolicy.SNAPSHOT),
        "removal_policy",
    ),
    R("replication-removal-policy-none", lambda s: rs(s, removal_policy=None), "removal_policy"),
    R(
        "replication-second-set",
        lambda s: twice(lambda: rs(s), lambda: ReplicationSet(s, "Other", regions=["us-east-1"])),
        "replication set",
    ),
    R("replication-stack-in-china", lambda s: rs(in_region(s, "cn-north-1")), "stack region", path="Regional/Rs"),
    R("replication-tag-key-space", tagged(rs, "cost center", "x"), "tag key"),
    R("replication-tag-key-accent", tagged(rs, "équipe", "x"), "tag key"),
    R("replication-tag-value-accent", tagged(rs, "team", "équipe"), "tag value"),
    A("replication-three-regions", lambda s: rs(s, regions=["us-east-1", "eu-west-1", "ap-southeast-2"])),
    A("replication-region-token", lambda s: rs(s, regions=[token_str(s)])),
    A("replication-mapping-owned-key", lambda s: rs(s, regions={"us-east-1": None})),
    A("replication-deletion-protected-token", lambda s: rs(s, deletion_protected=cdk.Token.as_any(token_str(s)))),
    A("replication-tag-key-colon", tagged(rs, "team:owner", "x")),
    R(
        "replication-import-none",
        lambda s: ReplicationSet.from_replication_set_arn(s, "I", None),
        "replication_set_arn",
    ),
    R(
        "replication-import-regional",
        lambda s: ReplicationSet.from_replication_set_arn(
            s, "I", "arn:aws:ssm-incidents:us-east-1:111122223333:replication-set/x"
        ),
        "replication_set_arn",
    ),
    R(
        "replication-import-short-account",
        lambda s: ReplicationSet.from_replication_set_arn(s, "I", "arn:aws:ssm-incidents::1:replication-set/x"),
        "replication_set_arn",
    ),
    R(
        "replication-import-iso-f",
        lambda s: ReplicationSet.from_replication_set_arn(
            s, "I", "arn:aws-iso-f:ssm-incidents::111122223333:replication-set/x"
        ),
        "replication_set_arn",
    ),
    A(
        "replication-import-arn",
        lambda s: ReplicationSet.from_replication_set_arn(
            s, "I", "arn:aws:ssm-incidents::111122223333:replication-set/40bd98f0-4110-2dee-b35e-b87006f9e172"
        ),
    ),
    A("replication-import-attributes", lambda s: ReplicationSet.from_replication_set_attributes(s, "I")),
    # == Runbook ==================================================================================
    R("runbook-name-none", lambda s: rb(s, document_name=None), "document_name"),
    R("runbook-name-int", lambda s: rb(s, document_name=5), "document_name"),
    R("runbook-name-short", lambda s: rb(s, document_name="ab"), "document_name"),
    R("runbook-name-129", lambda s: rb(s, document_name="a" * 129), "document_name"),
    R("runbook-name-aws-prefix", lambda s: rb(s, document_name="AWS-Restart"), "document_name"),
    R("runbook-name-amazon-prefix", lambda s: rb(s, document_name="amazonThing"), "document_name"),
    R("runbook-name-amzn-prefix", lambda s: rb(s, document_name="Amzn.runbook"), "document_name"),
    R("runbook-name-space", lambda s: rb(s, document_name="my runbook"), "document_name"),
    R("runbook-name-accent", lambda s: rb(s, document_name="procédure"), "document_name"),
    A("runbook-name-128", lambda s: rb(s, document_name="a" * 128)),
    A("runbook-name-punctuation", lambda s: rb(s, document_name="team.run_book-1")),
    A("runbook-name-token", lambda s: rb(s, document_name=token_str(s))),
    R("runbook-description-int", lambda s: rb(s, description=5), "description"),
    A("runbook-description-empty", lambda s: rb(s, description="")),
    R("runbook-steps-string", lambda s: rb(s, steps="abc"), "steps"),
    R("runbook-steps-int", lambda s: Runbook(s, "Rb", document_name="team-runbook", steps=5), "steps"),
    R(
        "runbook-steps-dict-item",
        lambda s: Runbook(s, "Rb", document_name="team-runbook", steps=[{"name": "A", "action": "aws:pause"}]),
        "step",
    ),
    R("runbook-steps-none-item", lambda s: Runbook(s, "Rb", document_name="team-runbook", steps=[None]), "step"),
    R(
        "runbook-steps-and-content",
        lambda s: Runbook(s, "Rb", document_name="team-runbook", steps=[RunbookStep.pause("A")], content=doc()),
        "steps",
    ),
    R("runbook-no-steps", lambda s: Runbook(s, "Rb", document_name="team-runbook"), "has no steps"),
    R("runbook-parameters-list", lambda s: rb(s, parameters=["Region"]), "parameters"),
    R("runbook-parameter-no-type", lambda s: rb(s, parameters={"Region": {}}), "parameter 'Region'"),
    R(
        "runbook-parameter-type-typo",
        lambda s: rb(s, parameters={"Region": {"type": "Strng"}}),
        "parameter 'Region' type",
    ),
    R(
        "runbook-parameter-unknown-key",
        lambda s: rb(s, parameters={"Region": {"type": "String", "colour": "red"}}),
        "parameter 'Region' key",
    ),
    R("runbook-parameter-name-51", lambda s: rb(s, parameters={"a" * 51: {"type": "String"}}), "parameter name"),
    R("runbook-parameter-name-int", lambda s: rb(s, parameters={1: {"type": "String"}}), "parameter name"),
    R(
        "runbook-parameters-201",
        lambda s: rb(s, parameters={f"P{i}": {"type": "String"} for i in range(201)}),
        "parameters",
    ),
    R(
        "runbook-parameter-default-integer",
        lambda s: rb(s, parameters={"N": {"type": "Integer", "default": "x"}}),
        "parameter 'N' default",
    ),
    R(
        "runbook-parameter-default-bool-int",
        lambda s: rb(s, parameters={"B": {"type": "Boolean", "default": 1}}),
        "parameter 'B' default",
    ),
    R(
        "runbook-parameter-default-string-list",
        lambda s: rb(s, parameters={"L": {"type": "StringList", "default": [1, 2]}}),
        "parameter 'L' default",
    ),
    R(
        "runbook-parameter-display-type",
        lambda s: rb(s, parameters={"S": {"type": "String", "displayType": "textbox"}}),
        "parameter 'S' displayType",
    ),
    R(
        "runbook-parameter-max-items-negative",
        lambda s: rb(s, parameters={"L": {"type": "StringList", "maxItems": -1}}),
        "parameter 'L' maxItems",
    ),
    A("runbook-parameters-197", lambda s: rb(s, parameters={f"P{i}": {"type": "String"} for i in range(197)})),
    A("runbook-parameter-name-50", lambda s: rb(s, parameters={"a" * 50: {"type": "String", "default": "x"}})),
    A(
        "runbook-parameter-default-reference",
        lambda s: rb(s, parameters={"Ids": {"type": "StringList", "default": "{{ssm:/team/ids}}"}}),
    ),
    R("runbook-content-string", lambda s: rb(s, content="schemaVersion: '0.3'"), "content"),
    R("runbook-content-unknown-key", lambda s: rb(s, content=doc(colour="red")), "document key"),
    R("runbook-content-set-value", lambda s: rb(s, content=doc(description={"a", "b"})), "content"),
    R(
        "runbook-content-nan",
        lambda s: rb(
            s, content=doc(mainSteps=[{"name": "A", "action": "aws:sleep", "inputs": {"Duration": "PT1M", "X": NAN}}])
        ),
        "content",
    ),
    R("runbook-content-date", lambda s: rb(s, content=doc(description=date(2026, 1, 1))), "content"),
    R("runbook-content-int-key", lambda s: rb(s, content=doc(parameters={1: {"type": "String"}})), "key"),
    R(
        "runbook-content-deep",
        lambda s: rb(
            s,
            content=doc(
                mainSteps=[
                    {
                        "name": "A",
                        "action": "aws:executeScript",
                        "inputs": {"Runtime": "python3.11", "Handler": "h", "InputPayload": _deep(3000)},
                    }
                ]
            ),
        ),
        "content",
    ),
    R("runbook-content-over-64k", lambda s: rb(s, content=doc(description="a" * MAX_CONTENT_BYTES)), "content"),
    R("runbook-content-schema-version", lambda s: rb(s, content=doc(schemaVersion="2.2")), "schemaVersion"),
    R("runbook-content-steps-not-list", lambda s: rb(s, content=doc(mainSteps={"name": "A"})), "mainSteps"),
    R(
        "runbook-content-next-step-missing",
        lambda s: rb(s, content=doc(mainSteps=[{"name": "A", "action": "aws:pause", "inputs": {}, "nextStep": "B"}])),
        "next_step",
    ),
    R("runbook-content-assume-role-int", lambda s: rb(s, content=doc(assumeRole=5)), "assumeRole"),
    A("runbook-content-just-under-64k", lambda s: rb(s, content=doc(description="a" * (MAX_CONTENT_BYTES - 200)))),
    A("runbook-content-token-value", lambda s: rb(s, content=doc(description=token_str(s)))),
    A(
        "runbook-content-resolvable-value",
        lambda s: rb(
            s,
            content=doc(
                mainSteps=[
                    {
                        "name": "A",
                        "action": "aws:executeAwsApi",
                        "inputs": {
                            "Service": "ec2",
                            "Api": "DescribeInstances",
                            "Filters": cdk.Token.as_any(token_str(s)),
                        },
                    }
                ]
            ),
        ),
    ),
    R("runbook-step-name-space", lambda s: step(s, RunbookStep.pause("step 2")), "name"),
    R("runbook-step-name-129", lambda s: step(s, RunbookStep.pause("a" * 129)), "name"),
    R("runbook-step-name-empty", lambda s: step(s, RunbookStep.pause("")), "name"),
    R("runbook-step-name-none", lambda s: step(s, RunbookStep.pause(None)), "name"),
    R("runbook-step-name-japanese", lambda s: step(s, RunbookStep.pause("ステップ")), "name"),
    R("runbook-step-name-duplicate", lambda s: step(s, RunbookStep.pause("Look")), "name"),
    A("runbook-step-name-128", lambda s: step(s, RunbookStep.pause("a" * 128))),
    R("runbook-step-action-unknown", lambda s: step(s, RunbookStep.action("Go", "aws:teleport")), "action"),
    R("runbook-step-action-none", lambda s: step(s, RunbookStep.action("Go", None)), "action"),
    R("runbook-step-action-list", lambda s: step(s, RunbookStep.action("Go", ["aws:pause"])), "action"),
    R("runbook-step-inputs-missing", lambda s: step(s, RunbookStep.action("Call", "aws:executeAwsApi")), "inputs"),
    R("runbook-step-inputs-string", lambda s: step(s, RunbookStep.action("Go", "aws:pause", "x")), "inputs"),
    R(
        "runbook-step-option-unknown",
        lambda s: RunbookStep.pause("A", retries=3),
        "unknown option",
        path="RunbookStep 'A'",
    ),
    R("runbook-step-next-missing", lambda s: step(s, RunbookStep.pause("A", next_step="Nowhere")), "next_step"),
    R("runbook-step-next-int", lambda s: step(s, RunbookStep.pause("A", next_step=5)), "next_step"),
    R(
        "runbook-step-on-failure-missing",
        lambda s: step(s, RunbookStep.pause("A", on_failure="step:Nowhere")),
        "on_failure",
    ),
    R("runbook-step-on-failure-word", lambda s: step(s, RunbookStep.pause("A", on_failure="Retry")), "on_failure"),
    R("runbook-step-on-cancel-continue", lambda s: step(s, RunbookStep.pause("A", on_cancel="Continue")), "on_cancel"),
    R("runbook-step-timeout-zero", lambda s: step(s, RunbookStep.pause("A", timeout_seconds=0)), "timeout_seconds"),
    R("runbook-step-timeout-bool", lambda s: step(s, RunbookStep.pause("A", timeout_seconds=True)), "timeout_seconds"),
    R(
        "runbook-step-timeout-huge",
        lambda s: step(s, RunbookStep.pause("A", timeout_seconds=10**12)),
        "timeout_seconds",
    ),
    R("runbook-step-timeout-text", lambda s: step(s, RunbookStep.pause("A", timeout_seconds="ten")), "timeout_seconds"),
    R("runbook-step-timeout-nan", lambda s: step(s, RunbookStep.pause("A", timeout_seconds=NAN)), "timeout_seconds"),
    R("runbook-step-max-attempts-zero", lambda s: step(s, RunbookStep.pause("A", max_attempts=0)), "max_attempts"),
    R("runbook-step-is-end-text", lambda s: step(s, RunbookStep.pause("A", is_end="maybe")), "is_end"),
    R("runbook-step-is-critical-int", lambda s: step(s, RunbookStep.pause("A", is_critical=2)), "is_critical"),
    R("runbook-step-outputs-string", lambda s: step(s, RunbookStep.pause("A", outputs="x")), "outputs"),
    R(
        "runbook-step-outputs-type",
        lambda s: step(s, RunbookStep.pause("A", outputs=[{"Name": "x", "Selector": "$.x", "Type": "Float"}])),
        "outputs Type",
    ),
    R("runbook-step-description-int", lambda s: step(s, RunbookStep.pause("A", description=5)), "description"),
    A(
        "runbook-step-next-added-later",
        lambda s: step(
            s, RunbookStep.pause("A", next_step="B", on_failure="step:B"), RunbookStep.pause("B", is_end=True)
        ),
    ),
    A("runbook-step-timeout-reference", lambda s: step(s, RunbookStep.pause("A", timeout_seconds="{{ Timeout }}"))),
    A("runbook-step-is-critical-text", lambda s: step(s, RunbookStep.pause("A", is_critical="false"))),
    R("runbook-approve-approvers-string", lambda s: step(s, RunbookStep.approve("A", approvers="alice")), "Approvers"),
    R("runbook-approve-approvers-empty", lambda s: step(s, RunbookStep.approve("A", approvers=[])), "Approvers"),
    R("runbook-approve-approvers-int", lambda s: step(s, RunbookStep.approve("A", approvers=[5])), "Approvers"),
    R(
        "runbook-approve-more-approvals-than-approvers",
        lambda s: step(s, RunbookStep.approve("A", approvers=["alice"], min_required_approvals=2)),
        "MinRequiredApprovals",
    ),
    R(
        "runbook-approve-message-4097",
        lambda s: step(s, RunbookStep.approve("A", approvers=["alice"], message="a" * 4097)),
        "Message",
    ),
    R(
        "runbook-approve-timeout-31-days",
        lambda s: step(s, RunbookStep.approve("A", approvers=["alice"], timeout_seconds=2592001)),
        "timeout_seconds",
    ),
    A(
        "runbook-approve-timeout-30-days",
        lambda s: step(s, RunbookStep.approve("A", approvers=["alice"], timeout_seconds=2592000, message="a" * 4096)),
    ),
    R("runbook-sleep-int", lambda s: step(s, RunbookStep.sleep("Wait", duration=5)), "duration"),
    R("runbook-sleep-8-days", lambda s: step(s, RunbookStep.sleep("Wait", duration=cdk.Duration.days(8))), "Duration"),
    R(
        "runbook-sleep-timedelta-8-days",
        lambda s: step(s, RunbookStep.sleep("Wait", duration=timedelta(days=8))),
        "Duration",
    ),
    R(
        "runbook-sleep-negative",
        lambda s: step(s, RunbookStep.sleep("Wait", duration=timedelta(seconds=-1))),
        "Duration",
    ),
    R(
        "runbook-sleep-fraction",
        lambda s: step(s, RunbookStep.sleep("Wait", duration=timedelta(seconds=1.5))),
        "Duration",
    ),
    R(
        "runbook-sleep-bad-iso",
        lambda s: step(s, RunbookStep.action("Wait", "aws:sleep", {"Duration": "5 minutes"})),
        "Duration",
    ),
    A("runbook-sleep-7-days", lambda s: step(s, RunbookStep.sleep("Wait", duration=cdk.Duration.days(7)))),
    A("runbook-sleep-timedelta", lambda s: step(s, RunbookStep.sleep("Wait", duration=timedelta(minutes=90)))),
    A("runbook-sleep-zero", lambda s: step(s, RunbookStep.sleep("Wait", duration=timedelta(0)))),
    R(
        "runbook-api-parameters-string",
        lambda s: step(s, RunbookStep.execute_aws_api("Call", service="ec2", api="DescribeInstances", parameters="x")),
        "parameters",
    ),
    R(
        "runbook-api-service-none",
        lambda s: step(s, RunbookStep.execute_aws_api("Call", service=None, api="DescribeInstances")),
        "inputs",
    ),
    R(
        "runbook-api-service-int",
        lambda s: step(s, RunbookStep.execute_aws_api("Call", service=5, api="DescribeInstances")),
        "Service",
    ),
    R(
        "runbook-command-instances-string",
        lambda s: step(s, RunbookStep.run_command("Cmd", document_name="AWS-RunShellScript", instance_ids="i-1")),
        "InstanceIds",
    ),
    R(
        "runbook-command-parameters-string",
        lambda s: step(s, RunbookStep.run_command("Cmd", document_name="AWS-RunShellScript", parameters="uptime")),
        "Parameters",
    ),
    R(
        "runbook-script-payload-list",
        lambda s: step(s, RunbookStep.execute_script("Script", script="x", input_payload=["a"])),
        "InputPayload",
    ),
    R(
        "runbook-script-huge",
        lambda s: step(s, RunbookStep.execute_script("Script", script="#" * (MAX_CONTENT_BYTES + 1))),
        "Script",
    ),
    R(
        "runbook-branch-no-choices",
        lambda s: step(s, RunbookStep.action("B", "aws:branch", {"Choices": []})),
        "Choices",
    ),
    R(
        "runbook-branch-next-missing",
        lambda s: step(
            s,
            RunbookStep.action(
                "B", "aws:branch", {"Choices": [{"NextStep": "Nowhere", "Variable": "x", "StringEquals": "y"}]}
            ),
        ),
        "NextStep",
    ),
    R(
        "runbook-branch-default-missing",
        lambda s: step(
            s,
            RunbookStep.action(
                "B",
                "aws:branch",
                {"Choices": [{"NextStep": "Look", "Variable": "x", "StringEquals": "y"}], "Default": "Nowhere"},
            ),
        ),
        "Default",
    ),
    A(
        "runbook-branch",
        lambda s: step(
            s,
            RunbookStep.action(
                "B",
                "aws:branch",
                {"Choices": [{"NextStep": "Look", "Variable": "x", "StringEquals": "y"}], "Default": "Look"},
            ),
        ),
    ),
    R(
        "runbook-many-steps-over-64k",
        lambda s: step(s, *[RunbookStep.execute_script(f"S{i}", script="#" * 1000) for i in range(70)]),
        "step",
    ),
    R("runbook-removal-policy-snapshot", lambda s: rb(s, removal_policy=cdk.RemovalPolicy.SNAPSHOT), "removal_policy"),
    R("runbook-removal-policy-string", lambda s: rb(s, removal_policy="retain"), "removal_policy"),
    R("runbook-tag-key-asterisk", tagged(rb, "cost*center", "x"), "tag key"),
    R("runbook-tag-key-aws", tagged(rb, "aws:cost", "x"), "tag key"),
    R("runbook-tag-value-empty", tagged(rb, "team", ""), "tag value"),
    A("runbook-tag-key-space-and-accent", tagged(rb, "équipe de garde", "x")),
    R(
        "runbook-file-missing",
        lambda s: Runbook.from_yaml_file(s, "Rb", "/nonexistent/runbook.yaml", document_name="team-runbook"),
        "runbook file",
    ),
    R(
        "runbook-file-directory",
        lambda s: Runbook.from_yaml_file(s, "Rb", tempfile.gettempdir(), document_name="team-runbook"),
        "runbook file",
    ),
    R("runbook-file-path-none", lambda s: Runbook.from_yaml_file(s, "Rb", None, document_name="team-runbook"), "path"),
    R("runbook-file-path-int", lambda s: Runbook.from_yaml_file(s, "Rb", 5, document_name="team-runbook"), "path"),
    R("runbook-file-latin-1", runbook_file(data="description: caf\xe9\n".encode("latin-1")), "runbook file"),
    R("runbook-file-utf-16", runbook_file(data="schemaVersion: '0.3'\n".encode("utf-16")), "runbook file"),
    R("runbook-file-empty", runbook_file(""), "runbook file"),
    R("runbook-file-list", runbook_file("- a\n- b\n"), "runbook file"),
    R("runbook-file-billion-laughs", runbook_file(BILLION_LAUGHS), "runbook file"),
    R("runbook-file-recursive-alias", runbook_file("a: &a [*a]\nschemaVersion: '0.3'\n"), "runbook file"),
    R("runbook-file-deep-yaml", runbook_file("a: " + "[" * 3000 + "]" * 3000 + "\n"), "runbook file"),
    R("runbook-file-deep-json", runbook_file("[" * 3000 + "]" * 3000, suffix=".json"), "runbook file"),
    R(
        "runbook-file-number-key",
        runbook_file("schemaVersion: '0.3'\nmainSteps: [{name: A, action: 'aws:pause', inputs: {1: x}}]\n"),
        "key",
    ),
    R(
        "runbook-file-timestamp",
        runbook_file(
            "schemaVersion: '0.3'\ndescription: 2026-01-01\nmainSteps: [{name: A, action: 'aws:pause', inputs: {}}]\n"
        ),
        "description",
    ),
    R("runbook-file-secret-not-echoed", runbook_file(f"password: {SECRET}\nmainSteps: [\n"), "runbook file"),
    R(
        "runbook-file-json-secret-not-echoed",
        runbook_file('{"password": "' + SECRET + '", }', suffix=".json"),
        "runbook file",
    ),
    R("runbook-file-too-large", runbook_file("# " + "x" * (1024 * 1024) + "\n"), "runbook file"),
    R(
        "runbook-file-blog-snippet",
        runbook_file("schemaVersion: '0.3'\n- name: A\n  action: aws:pause\n"),
        "runbook file",
    ),
    A(
        "runbook-file-merge-key",
        runbook_file(
            "schemaVersion: '0.3'\nmainSteps: [&s {name: A, action: 'aws:pause', inputs: {}}, {<<: *s, name: B}]\n"
        ),
    ),
    R("runbook-import-none", lambda s: Runbook.from_document_name(s, "I", None), "document_name"),
    R("runbook-import-short", lambda s: Runbook.from_document_name(s, "I", "x"), "document_name"),
    R("runbook-import-space", lambda s: Runbook.from_document_name(s, "I", "my runbook"), "document_name"),
    A(
        "runbook-import-arn",
        lambda s: Runbook.from_document_name(s, "I", "arn:aws:ssm:us-east-1:111122223333:document/shared-runbook"),
    ),
    A("runbook-import-token", lambda s: Runbook.from_document_name(s, "I", token_str(s))),
    R(
        "runbook-scope-none",
        lambda s: Runbook(None, "Rb", document_name="team-runbook", steps=[RunbookStep.pause("A")]),
        "scope",
        path="/Rb",
    ),
    # == ResponsePlan =============================================================================
    R("plan-name-none", lambda s: plan(s, response_plan_name=None), "response_plan_name"),
    R("plan-name-empty", lambda s: plan(s, response_plan_name=""), "response_plan_name"),
    R("plan-name-201", lambda s: plan(s, response_plan_name="a" * 201), "response_plan_name"),
    R("plan-name-space", lambda s: plan(s, response_plan_name="ec2 high cpu"), "response_plan_name"),
    R("plan-name-umlaut", lambda s: plan(s, response_plan_name="plän"), "response_plan_name"),
    A("plan-name-200", lambda s: plan(s, response_plan_name="a" * 200)),
    R("plan-title-none", lambda s: plan(s, title=None), "title"),
    R("plan-title-empty", lambda s: plan(s, title=""), "title"),
    R("plan-title-201", lambda s: plan(s, title="a" * 201), "title"),
    R("plan-title-int", lambda s: plan(s, title=5), "title"),
    A("plan-title-200-unicode", lambda s: plan(s, title="é" * 200)),
    A("plan-title-token", lambda s: plan(s, title=token_str(s))),
    R("plan-impact-zero", lambda s: plan(s, impact=0), "impact"),
    R("plan-impact-six", lambda s: plan(s, impact=6), "impact"),
    R("plan-impact-true", lambda s: plan(s, impact=True), "impact"),
    R("plan-impact-string", lambda s: plan(s, impact="HIGH"), "impact"),
    R("plan-impact-float", lambda s: plan(s, impact=1.0), "impact"),
    R("plan-impact-nan", lambda s: plan(s, impact=NAN), "impact"),
    R("plan-impact-none", lambda s: plan(s, impact=None), "impact"),
    A("plan-impact-int", lambda s: plan(s, impact=5)),
    R("plan-display-name-empty", lambda s: plan(s, display_name=""), "display_name"),
    R("plan-summary-4001", lambda s: plan(s, summary="a" * 4001), "summary"),
    R("plan-dedupe-1001", lambda s: plan(s, dedupe_string="a" * 1001), "dedupe_string"),
    A("plan-summary-4000", lambda s: plan(s, summary="a" * 4000, dedupe_string="d" * 1000, display_name="a" * 200)),
    R("plan-engagements-string", lambda s: plan(s, engagements="alice"), "engagements"),
    R("plan-engagements-email", lambda s: plan(s, engagements=[EMAIL]), "engagements"),
    R("plan-engagements-duplicate", lambda s: (lambda a: plan(s, engagements=[a, a]))(person(s)), "engagements"),
    R(
        "plan-engagements-same-arn",
        lambda s: plan(
            s, engagements=[Contact.from_contact_alias(s, "A1", "bob"), Contact.from_contact_alias(s, "A2", "bob")]
        ),
        "engagements",
    ),
    R("plan-engagements-six", lambda s: plan(s, engagements=people(s, 6)), "engagements"),
    R(
        "plan-engagements-short-account",
        lambda s: plan(
            s, engagements=[Contact.from_contact_arn(s, "I", "arn:aws:ssm-contacts:us-east-1:123:contact/bob")]
        ),
        "engagements",
    ),
    R("plan-engagements-rotation", lambda s: plan(s, engagements=[rot(s)]), "engagements"),
    A("plan-engagements-five", lambda s: plan(s, engagements=people(s, 5))),
    R("plan-runbook-string", lambda s: plan(s, runbook="team-runbook"), "runbook"),
    R("plan-role-string", lambda s: plan(s, runbook=rb(s), role="arn:aws:iam::111122223333:role/x"), "role"),
    R(
        "plan-role-dot",
        lambda s: plan(s, runbook=rb(s), role=iam.Role.from_role_arn(s, "R", "arn:aws:iam::111122223333:role/my.role")),
        "role",
    ),
    R("plan-role-without-runbook", lambda s: plan(s, role=iam.Role.from_role_name(s, "R", "r")), "role"),
    R("plan-parameters-number", lambda s: plan_with_runbook(s, runbook_parameters={"Region": 5}), "runbook_parameters"),
    R(
        "plan-parameters-string",
        lambda s: plan_with_runbook(s, runbook_parameters="Region=us-east-1"),
        "runbook_parameters",
    ),
    R(
        "plan-parameters-11-values",
        lambda s: plan_with_runbook(s, runbook_parameters={"Ids": [f"i-{i}" for i in range(11)]}),
        "runbook_parameters",
    ),
    R(
        "plan-parameters-100-values",
        lambda s: plan_with_runbook(s, runbook_parameters={"Ids": [f"i-{i}" for i in range(100)]}),
        "runbook_parameters",
    ),
    R(
        "plan-parameters-duplicates",
        lambda s: plan_with_runbook(s, runbook_parameters={"Ids": ["i-1", "i-1"]}),
        "runbook_parameters",
    ),
    R(
        "plan-parameters-empty-list",
        lambda s: plan_with_runbook(s, runbook_parameters={"Ids": []}),
        "runbook_parameters",
    ),
    R(
        "plan-parameters-value-513",
        lambda s: plan_with_runbook(s, runbook_parameters={"Region": "a" * 513}),
        "runbook_parameters",
    ),
    R(
        "plan-parameters-undeclared",
        lambda s: plan_with_runbook(s, runbook_parameters={"Colour": "red"}),
        "runbook_parameters",
    ),
    R(
        "plan-parameters-key-51",
        lambda s: plan(s, runbook=Runbook.from_document_name(s, "D", "shared-doc"), runbook_parameters={"a" * 51: "x"}),
        "runbook_parameters",
    ),
    A(
        "plan-parameters-10-values",
        lambda s: plan_with_runbook(s, runbook_parameters={"Ids": [f"i-{i}" for i in range(10)], "Region": "a" * 512}),
    ),
    A(
        "plan-parameters-list-token",
        lambda s: plan_with_runbook(
            s, runbook_parameters={"Ids": cdk.CfnParameter(s, "L", type="CommaDelimitedList").value_as_list}
        ),
    ),
    R(
        "plan-dynamic-string",
        lambda s: plan_with_runbook(s, runbook_dynamic_parameters="IncidentRecordArn"),
        "runbook_dynamic_parameters",
    ),
    R(
        "plan-dynamic-value",
        lambda s: plan_with_runbook(s, runbook_dynamic_parameters={"IncidentRecordArn": "TITLE"}),
        "runbook_dynamic_parameters",
    ),
    R(
        "plan-dynamic-type",
        lambda s: plan_with_runbook(s, runbook_dynamic_parameters={"IncidentRecordArn": "INVOLVED_RESOURCES"}),
        "runbook_dynamic_parameters",
    ),
    R("plan-target-account", lambda s: plan_with_runbook(s, target_account="MINE"), "target_account"),
    R("plan-target-account-none", lambda s: plan_with_runbook(s, target_account=None), "target_account"),
    # runbook_document_version and target_accounts (issue 13, item 6)
    R(
        "plan-document-version-leading-zero",
        lambda s: plan_with_runbook(s, runbook_document_version="03"),
        "runbook_document_version",
    ),
    R(
        "plan-document-version-zero",
        lambda s: plan_with_runbook(s, runbook_document_version="0"),
        "runbook_document_version",
    ),
    R(
        "plan-document-version-lower-case",
        lambda s: plan_with_runbook(s, runbook_document_version="$latest"),
        "runbook_document_version",
    ),
    R(
        "plan-document-version-empty",
        lambda s: plan_with_runbook(s, runbook_document_version=""),
        "runbook_document_version",
    ),
    R(
        "plan-document-version-negative",
        lambda s: plan_with_runbook(s, runbook_document_version=-1),
        "runbook_document_version",
    ),
    R(
        "plan-document-version-bool",
        lambda s: plan_with_runbook(s, runbook_document_version=True),
        "runbook_document_version",
    ),
    R(
        "plan-document-version-float",
        lambda s: plan_with_runbook(s, runbook_document_version=3.0),
        "runbook_document_version",
    ),
    R(
        "plan-document-version-full-width",
        lambda s: plan_with_runbook(s, runbook_document_version="\uff13"),
        "runbook_document_version",
    ),
    R(
        "plan-document-version-11-digits",
        lambda s: plan_with_runbook(s, runbook_document_version="1" * 11),
        "runbook_document_version",
    ),
    R(
        "plan-document-version-without-runbook",
        lambda s: plan(s, runbook_document_version="3"),
        "runbook_document_version",
    ),
    A("plan-document-version-number", lambda s: plan_with_runbook(s, runbook_document_version="3")),
    A("plan-document-version-int", lambda s: plan_with_runbook(s, runbook_document_version=3)),
    A("plan-document-version-default", lambda s: plan_with_runbook(s, runbook_document_version="$DEFAULT")),
    A("plan-document-version-latest", lambda s: plan_with_runbook(s, runbook_document_version="$LATEST")),
    A("plan-document-version-token", lambda s: plan_with_runbook(s, runbook_document_version=token_str(s))),
    R(
        "plan-target-accounts-short",
        lambda s: plan_with_runbook(s, target_account=TargetAccount.IMPACTED_ACCOUNT, target_accounts=["1234"]),
        "target_accounts",
    ),
    R(
        "plan-target-accounts-13-digits",
        lambda s: plan_with_runbook(
            s, target_account=TargetAccount.IMPACTED_ACCOUNT, target_accounts=["1111222233334"]
        ),
        "target_accounts",
    ),
    R(
        "plan-target-accounts-arn",
        lambda s: plan_with_runbook(
            s, target_account=TargetAccount.IMPACTED_ACCOUNT, target_accounts=["arn:aws:iam::111122223333:root"]
        ),
        "target_accounts",
    ),
    R(
        "plan-target-accounts-star",
        lambda s: plan_with_runbook(s, target_account=TargetAccount.IMPACTED_ACCOUNT, target_accounts=["*"]),
        "target_accounts",
    ),
    R(
        "plan-target-accounts-arabic-digits",
        lambda s: plan_with_runbook(s, target_account=TargetAccount.IMPACTED_ACCOUNT, target_accounts=["\u0661" * 12]),
        "target_accounts",
    ),
    R(
        "plan-target-accounts-int",
        lambda s: plan_with_runbook(s, target_account=TargetAccount.IMPACTED_ACCOUNT, target_accounts=[111122223333]),
        "target_accounts",
    ),
    R(
        "plan-target-accounts-string",
        lambda s: plan_with_runbook(s, target_account=TargetAccount.IMPACTED_ACCOUNT, target_accounts="111122223333"),
        "target_accounts",
    ),
    R(
        "plan-target-accounts-empty",
        lambda s: plan_with_runbook(s, target_account=TargetAccount.IMPACTED_ACCOUNT, target_accounts=[]),
        "target_accounts",
    ),
    R(
        "plan-target-accounts-101",
        lambda s: plan_with_runbook(
            s, target_account=TargetAccount.IMPACTED_ACCOUNT, target_accounts=[f"{i:012d}" for i in range(1, 102)]
        ),
        "target_accounts",
    ),
    R(
        "plan-target-accounts-twice",
        lambda s: plan_with_runbook(
            s, target_account=TargetAccount.IMPACTED_ACCOUNT, target_accounts=["111122223333", "111122223333"]
        ),
        "target_accounts",
    ),
    R(
        "plan-target-accounts-owner-account",
        lambda s: plan_with_runbook(s, target_accounts=["111122223333"]),
        "target_accounts",
    ),
    R(
        "plan-target-accounts-without-runbook",
        lambda s: plan(s, target_account=TargetAccount.IMPACTED_ACCOUNT, target_accounts=["111122223333"]),
        "target_accounts",
    ),
    R(
        "plan-target-accounts-with-role",
        lambda s: plan_with_runbook(
            s,
            role=iam.Role.from_role_name(s, "Given", "incident-runbook"),
            target_account=TargetAccount.IMPACTED_ACCOUNT,
            target_accounts=["111122223333"],
        ),
        "target_accounts",
    ),
    R(
        "plan-target-accounts-list-token",
        lambda s: plan_with_runbook(
            s,
            target_account=TargetAccount.IMPACTED_ACCOUNT,
            target_accounts=cdk.CfnParameter(s, "Accounts", type="List<String>").value_as_list,
        ),
        "target_accounts",
    ),
    A(
        "plan-target-accounts-100",
        lambda s: plan_with_runbook(
            s, target_account=TargetAccount.IMPACTED_ACCOUNT, target_accounts=[f"{i:012d}" for i in range(1, 101)]
        ),
    ),
    A(
        "plan-target-accounts-token",
        lambda s: plan_with_runbook(
            s, target_account=TargetAccount.IMPACTED_ACCOUNT, target_accounts=[cdk.Aws.ACCOUNT_ID, "111122223333"]
        ),
    ),
    R(
        "runbook-role-target-accounts-not-cross-account",
        lambda s: RunbookRole(
            s, "Role", response_plan_name="p", document_name="team-runbook", target_accounts=["111122223333"]
        ),
        "target_accounts",
        path="TestStack/Role",
    ),
    R(
        "runbook-role-document-version",
        lambda s: RunbookRole(s, "Role", response_plan_name="p", document_name="team-runbook", document_version="v3"),
        "document_version",
        path="TestStack/Role",
    ),
    R(
        "plan-notification-topics-string",
        lambda s: plan(s, notification_topics="arn:aws:sns:us-east-1:111122223333:t"),
        "notification_topics",
    ),
    R("plan-notification-topics-11", lambda s: plan(s, notification_topics=topics(s, 11)), "notification_topics"),
    R(
        "plan-notification-topic-twice",
        lambda s: (lambda t: plan(s, notification_topics=[t, t]))(sns.Topic(s, "T")),
        "notification_topics",
    ),
    R(
        "plan-notification-topic-fifo",
        lambda s: plan(s, notification_topics=[sns.Topic(s, "T", fifo=True, topic_name="alerts")]),
        "notification_topics",
    ),
    R(
        "plan-notification-topic-imported-fifo",
        lambda s: plan(
            s, notification_topics=[sns.Topic.from_topic_arn(s, "T", "arn:aws:sns:us-east-1:111122223333:alerts.fifo")]
        ),
        "notification_topics",
    ),
    R("plan-chat-topics-6", lambda s: plan(s, chat_channel_topics=topics(s, 6)), "chat_channel_topics"),
    A(
        "plan-topics-at-the-limits",
        lambda s: plan(
            s, notification_topics=topics(s, 10), chat_channel_topics=[sns.Topic(s, f"C{i}") for i in range(5)]
        ),
    ),
    R("plan-pager-duty-string", lambda s: plan(s, pager_duty="pd"), "pager_duty"),
    R(
        "plan-pager-duty-name-empty",
        lambda s: plan(
            s,
            pager_duty=PagerDutyIntegration(
                name="", secret=secretsmanager.Secret(s, "S", encryption_key=kms.Key(s, "K")), service_id="P1"
            ),
        ),
        "pager_duty name",
    ),
    R(
        "plan-pager-duty-secret-string",
        lambda s: plan(
            s,
            pager_duty=PagerDutyIntegration(
                name="pd", secret="arn:aws:secretsmanager:us-east-1:111122223333:secret:pd", service_id="P1"
            ),
        ),
        "pager_duty secret",
    ),
    R(
        "plan-pager-duty-aws-managed-key",
        lambda s: plan(
            s, pager_duty=PagerDutyIntegration(name="pd", secret=secretsmanager.Secret(s, "S"), service_id="P1")
        ),
        "pager_duty secret",
    ),
    R("plan-tags-key-space", lambda s: plan(s, tags={"cost center": "x"}), "tags key"),
    R("plan-tags-key-accent", lambda s: plan(s, tags={"équipe": "x"}), "tags key"),
    R("plan-tags-key-aws", lambda s: plan(s, tags={"aws:team": "x"}), "tags key"),
    R("plan-tags-51", lambda s: plan(s, tags={f"k{i}": "v" for i in range(51)}), "tags"),
    R("plan-tags-value-empty", lambda s: plan(s, tags={"team": ""}), "tags value"),
    R("plan-tags-value-accent", lambda s: plan(s, tags={"team": "équipe"}), "tags value"),
    R("plan-tags-list", lambda s: plan(s, tags=[("team", "x")]), "tags"),
    R("plan-tags-value-none", lambda s: plan(s, tags={"team": None}), "tags value"),
    R("plan-incident-tags-key-space", lambda s: plan(s, incident_tags={"cost center": "x"}), "incident_tags key"),
    A("plan-tags-50-at-limits", lambda s: plan(s, tags={f"{i:02d}" + "k" * 126: "v" * 256 for i in range(50)})),
    A("plan-tags-key-punctuation", lambda s: plan(s, tags={"team:owner/x.y_z+=,-": "a b@c"})),
    R("plan-removal-policy-string", lambda s: plan(s, removal_policy="retain"), "removal_policy"),
    R(
        "plan-scope-none",
        lambda s: ResponsePlan(None, "Plan", response_plan_name="plan", title="t", impact=Impact.HIGH),
        "scope",
        path="/Plan",
    ),
    R("plan-import-arn-none", lambda s: ResponsePlan.from_response_plan_arn(s, "I", None), "response_plan_arn"),
    R(
        "plan-import-arn-sns",
        lambda s: ResponsePlan.from_response_plan_arn(s, "I", "arn:aws:sns:us-east-1:111122223333:topic"),
        "response_plan_arn",
    ),
    R(
        "plan-import-arn-regional",
        lambda s: ResponsePlan.from_response_plan_arn(
            s, "I", "arn:aws:ssm-incidents:us-east-1:111122223333:response-plan/p"
        ),
        "response_plan_arn",
    ),
    R(
        "plan-import-name-space",
        lambda s: ResponsePlan.from_response_plan_name(s, "I", "my plan"),
        "response_plan_name",
    ),
    A(
        "plan-import-arn",
        lambda s: ResponsePlan.from_response_plan_arn(s, "I", "arn:aws:ssm-incidents::111122223333:response-plan/p"),
    ),
    R("plan-add-engagement-none", lambda s: plan(s).add_engagement(None), "engagements"),
    R(
        "plan-stack-region-without-incident-manager",
        lambda s: plan(in_region(s, "me-central-1")),
        "stack region",
        path="Regional/Plan",
    ),
    # == Integrations ============================================================================
    R("target-plan-string", lambda s: IncidentTarget("plan"), "response_plan", path="IncidentTarget"),
    R("target-role-string", lambda s: IncidentTarget(plan(s), role="role"), "role", path="IncidentTarget"),
    R("slack-workspace-lower", lambda s: slack(s, slack_workspace_id="t012"), "slack_workspace_id"),
    R("slack-channel-hash", lambda s: slack(s, slack_channel_id="#incidents"), "slack_channel_id"),
    R(
        "slack-name-space",
        lambda s: slack(s, slack_channel_configuration_name="on call"),
        "slack_channel_configuration_name",
    ),
    R(
        "slack-name-129",
        lambda s: slack(s, slack_channel_configuration_name="a" * 129),
        "slack_channel_configuration_name",
    ),
    R("slack-key-string", lambda s: slack(s, encryption_key="alias/aws/sns"), "encryption_key"),
    R("slack-role-string", lambda s: slack(s, role="arn:aws:iam::111122223333:role/chat"), "role"),
    R("slack-guardrail-string", lambda s: slack(s, guardrail_policies=["ReadOnlyAccess"]), "guardrail_policies"),
    R("slack-logging-level", lambda s: slack(s, logging_level="LOUD"), "logging_level"),
    R("slack-plans-twice", lambda s: (lambda p: slack(s, response_plans=[p, p]))(plan(s)), "response_plans"),
    R("slack-plans-string", lambda s: slack(s, response_plans="plan"), "response_plans"),
    A("slack-name-128", lambda s: slack(s, slack_channel_configuration_name="a" * 128)),
    R("ms-teams-team-id-slack", lambda s: teams(s, team_id="T012ABCDEFG"), "team_id"),
    R("ms-teams-team-id-braces", lambda s: teams(s, team_id="{" + TEAMS_GUID + "}"), "team_id"),
    R("ms-teams-tenant-id-short", lambda s: teams(s, tenant_id=TEAMS_GUID[:-1]), "tenant_id"),
    R("ms-teams-tenant-id-int", lambda s: teams(s, tenant_id=1234), "tenant_id"),
    R("ms-teams-channel-unencoded", lambda s: teams(s, channel_id="19:ab12cd34@thread.tacv2"), "channel_id"),
    R("ms-teams-channel-256", lambda s: teams(s, channel_id="19%3A" + "a" * 236 + "%40thread.tacv2"), "channel_id"),
    R("ms-teams-channel-empty", lambda s: teams(s, channel_id=""), "channel_id"),
    R("ms-teams-name-space", lambda s: teams(s, teams_channel_configuration_name="on call"), "configuration_name"),
    R("ms-teams-name-129", lambda s: teams(s, teams_channel_configuration_name="a" * 129), "configuration_name"),
    R("ms-teams-key-string", lambda s: teams(s, encryption_key="alias/aws/sns"), "encryption_key"),
    R("ms-teams-role-string", lambda s: teams(s, role="arn:aws:iam::111122223333:role/chat"), "role"),
    R("ms-teams-logging-level", lambda s: teams(s, logging_level="LOUD"), "logging_level"),
    R("ms-teams-plans-twice", lambda s: (lambda p: teams(s, response_plans=[p, p]))(plan(s)), "response_plans"),
    R("ms-teams-plans-string", lambda s: teams(s, response_plans="plan"), "response_plans"),
    A("ms-teams-channel-255", lambda s: teams(s, channel_id="19%3A" + "a" * 235 + "%40thread.tacv2")),
    A("ms-teams-guid-upper-case", lambda s: teams(s, team_id=TEAMS_GUID.upper(), tenant_id=TEAMS_GUID.upper())),
    A("ms-teams-name-128", lambda s: teams(s, teams_channel_configuration_name="a" * 128)),
    # == Sharing =================================================================================
    R("share-principal-role-arn", lambda s: shared_plan(s, "arn:aws:iam::222222222222:role/ops"), "principal"),
    R("share-principal-11-digits", lambda s: shared_plan(s, "22222222222"), "principal"),
    R("share-principal-int", lambda s: shared_plan(s, 222222222222), "principal"),
    R("share-principal-none", lambda s: shared_plan(s, None), "principal"),
    R("share-principal-list", lambda s: shared_plan(s, ["222222222222"]), "principals"),
    R("share-principal-email", lambda s: shared_plan(s, EMAIL), "principal"),
    R(
        "share-principal-org-without-o",
        lambda s: shared_plan(s, "arn:aws:organizations::111111111111:organization/abcdefghij"),
        "principal",
    ),
    R(
        "share-principal-ou-without-ou",
        lambda s: shared_plan(s, "arn:aws:organizations::111111111111:ou/o-abcdefghij"),
        "principal",
    ),
    R(
        "share-principal-org-other-partition",
        lambda s: shared_plan(s, "arn:aws-iso:organizations::111111111111:organization/o-abcdefghij"),
        "principal",
    ),
    R("share-no-principals", lambda s: shared_plan(s), "principals"),
    R(
        "share-external-string",
        lambda s: shared_plan(s, "222222222222", allow_external_principals="yes"),
        "allow_external",
    ),
    R(
        "share-imported-contact",
        lambda s: Contact.from_contact_alias(s, "I", "alice").share_with("222222222222"),
        "share_with",
        path="TestStack/I",
    ),
    R(
        "share-channel-named-share",
        lambda s: (lambda c: (c.add_email_channel("Share", EMAIL), c.share_with("222222222222")))(
            Contact(s, "C", alias="c")
        ),
        "share",
    ),
    A("share-account", lambda s: shared_plan(s, "222222222222")),
    A(
        "share-ou-and-organization",
        lambda s: shared_plan(
            s,
            "arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-ab12-cdef3456",
            "arn:aws-us-gov:organizations::111111111111:organization/o-abcdefghij",
        ),
    ),
    A("share-twice", lambda s: (lambda p: (p.share_with("222222222222"), p.share_with("222222222222")))(plan(s))),
    A("share-token", lambda s: shared_plan(s, cdk.Aws.ACCOUNT_ID)),
    A("share-escalation-external", lambda s: person(s).share_with("222222222222", allow_external_principals=True)),
    # == Replication set tags ====================================================================
    R("rs-tags-aws-prefix", lambda s: rs(s, tags={"aws:team": "ops"}), "tags key"),
    R("rs-tags-51", lambda s: rs(s, tags={f"k{i}": "v" for i in range(51)}), "tags"),
    R("rs-tags-accent", lambda s: rs(s, tags={"team": "équipe"}), "tags value"),
    R("rs-tags-list", lambda s: rs(s, tags=["team"]), "tags"),
    A("rs-tags-50", lambda s: rs(s, tags={f"k{i}": "v" for i in range(50)})),
    # == Contacts (contacts/contact.py, escalation.py, schedule.py) ==============================
    R("contact-alias-none", lambda s: Contact(s, "C", alias=None), "alias"),
    R("contact-alias-upper", lambda s: Contact(s, "C", alias="Alice"), "alias"),
    R("contact-alias-dot", lambda s: Contact(s, "C", alias="alice.smith"), "alias"),
    R("contact-alias-fullwidth", lambda s: Contact(s, "C", alias="ａｌｉｃｅ"), "alias"),
    R("contact-alias-256", lambda s: Contact(s, "C", alias="a" * 256), "alias"),
    R("contact-alias-email", lambda s: Contact(s, "C", alias=EMAIL), "alias"),
    A("contact-alias-255", lambda s: Contact(s, "C", alias="a" * 255)),
    R("contact-display-name-accent", lambda s: Contact(s, "C", alias="zoe", display_name="Zoë"), "display_name"),
    R(
        "contact-display-name-no-break-space",
        lambda s: Contact(s, "C", alias="jane", display_name="Jane\u00a0Doe"),
        "display_name",
    ),
    R("contact-display-name-int", lambda s: Contact(s, "C", alias="jane", display_name=5), "display_name"),
    A("contact-display-name-255", lambda s: Contact(s, "C", alias="jane", display_name="J" * 255)),
    R("contact-retry-int", lambda s: Contact(s, "C", alias="c", default_retry_interval=5), "default_retry_interval"),
    R(
        "contact-retry-61",
        lambda s: Contact(s, "C", alias="c", default_retry_interval=MIN(61)),
        "default_retry_interval",
    ),
    R(
        "contact-retry-seconds",
        lambda s: Contact(s, "C", alias="c", default_retry_interval=timedelta(seconds=90)),
        "default_retry_interval",
    ),
    R(
        "contact-retry-negative",
        lambda s: Contact(s, "C", alias="c", default_retry_interval=timedelta(minutes=-1)),
        "default_retry_interval",
    ),
    R(
        "contact-removal-policy-snapshot",
        lambda s: Contact(s, "C", alias="c", removal_policy=cdk.RemovalPolicy.SNAPSHOT),
        "removal_policy",
    ),
    R(
        "contact-defer-activation-string",
        lambda s: Contact(s, "C", alias="c", defer_activation="yes").add_email_channel("mail", "c@example.com"),
        "defer_activation",
    ),
    R("contact-scope-none", lambda s: Contact(None, "C", alias="c"), "scope", path="/C"),
    R(
        "channel-name-bang",
        lambda s: person(s, channel=False).add_email_channel("mail!", "a@example.com"),
        "channel name",
    ),
    R(
        "channel-name-plan",
        lambda s: person(s, channel=False).add_email_channel("Plan", "a@example.com"),
        "channel name",
    ),
    R(
        "channel-email-invalid",
        lambda s: person(s, channel=False).add_email_channel("mail", "alice.smith@example"),
        "address of channel",
    ),
    R(
        "channel-email-int",
        lambda s: person(s, channel=False).add_email_channel("mail", int(PHONE[1:])),
        "address of channel",
    ),
    R(
        "channel-email-list",
        lambda s: person(s, channel=False).add_email_channel("mail", [EMAIL]),
        "address of channel",
    ),
    R("channel-email-empty", lambda s: person(s, channel=False).add_email_channel("mail", ""), "address of channel"),
    R(
        "channel-email-too-long",
        lambda s: person(s, channel=False).add_email_channel("mail", "a" * 310 + "@example.com"),
        "address of channel",
    ),
    R(
        "channel-sms-no-plus",
        lambda s: person(s, channel=False).add_sms_channel("sms", PHONE[1:]),
        "address of channel",
    ),
    R(
        "channel-sms-arabic-indic",
        lambda s: person(s, channel=False).add_sms_channel("sms", "+١٤٢٥٥٥٥٠١٩٩"),
        "address of channel",
    ),
    R(
        "channel-sms-fullwidth",
        lambda s: person(s, channel=False).add_sms_channel("sms", "+１４２５５５５０１９９"),
        "address of channel",
    ),
    R(
        "channel-sms-spaces",
        lambda s: person(s, channel=False).add_sms_channel("sms", "+1 425 555 0199"),
        "address of channel",
    ),
    R(
        "channel-voice-not-a-number",
        lambda s: person(s, channel=False).add_voice_channel("voice", "+15550100"),
        "address of channel",
    ),
    R(
        "channel-sms-int",
        lambda s: person(s, channel=False).add_sms_channel("sms", int(PHONE[1:])),
        "address of channel",
    ),
    A("channel-sms-valid", lambda s: person(s, channel=False).add_sms_channel("sms", PHONE)),
    A(
        "channel-address-token",
        lambda s: person(s, channel=False).add_sms_channel("sms", "{{resolve:ssm:/people/alice/phone}}"),
    ),
    R(
        "channel-engage-after-600-days",
        lambda s: person(s, channel=False).add_email_channel("mail", EMAIL, engage_after=cdk.Duration.days(600)),
        "engage_after",
    ),
    R(
        "channel-engage-after-huge",
        lambda s: person(s, channel=False).add_email_channel("mail", EMAIL, engage_after=MIN(100000000)),
        "engage_after",
    ),
    R(
        "channel-engage-after-negative",
        lambda s: person(s, channel=False).add_email_channel("mail", EMAIL, engage_after=timedelta(minutes=-5)),
        "engage_after",
    ),
    R(
        "channel-engage-after-int",
        lambda s: person(s, channel=False).add_email_channel("mail", EMAIL, engage_after=5),
        "engage_after",
    ),
    R(
        "channel-retry-61",
        lambda s: person(s, channel=False).add_email_channel("mail", EMAIL, retry_interval=MIN(61)),
        "retry_interval",
    ),
    R("channel-type", lambda s: person(s, channel=False).add_channel("PAGER", "pager", PHONE), "channel_type"),
    A(
        "channel-engage-after-24-hours",
        lambda s: person(s, channel=False).add_email_channel("mail", EMAIL, engage_after=cdk.Duration.hours(24)),
    ),
    R("contact-import-none", lambda s: Contact.from_contact_arn(s, "I", None), "contact_arn"),
    R(
        "contact-import-sns",
        lambda s: Contact.from_contact_arn(s, "I", "arn:aws:sns:us-east-1:111122223333:topic"),
        "contact_arn",
    ),
    R("contact-import-alias-space", lambda s: Contact.from_contact_alias(s, "I", "a b"), "alias"),
    R(
        "contact-import-type",
        lambda s: Contact.from_contact_attributes(s, "I", alias="a", contact_type="PAGER"),
        "contact_type",
    ),
    R("escalation-stages-string", lambda s: EscalationPlan(s, "E", alias="e", stages="alice"), "stage"),
    R("escalation-stages-int", lambda s: EscalationPlan(s, "E", alias="e", stages=5), "stages"),
    R("escalation-stage-none", lambda s: EscalationPlan(s, "E", alias="e", stages=[None]), "stage 1"),
    R(
        "escalation-stage-contacts-string",
        lambda s: EscalationPlan(s, "E", alias="e", stages=[EscalationStage(contacts="alice")]),
        "stage 1 contacts",
    ),
    R(
        "escalation-stage-contacts-none",
        lambda s: EscalationPlan(s, "E", alias="e", stages=[EscalationStage(contacts=None)]),
        "stage 1 contacts",
    ),
    R(
        "escalation-stage-contacts-empty",
        lambda s: EscalationPlan(s, "E", alias="e", stages=[EscalationStage(contacts=[])]),
        "stage 1 contacts",
    ),
    R(
        "escalation-stage-duration-31",
        lambda s: EscalationPlan(s, "E", alias="e", stages=[EscalationStage(contacts=[person(s)], duration=MIN(31))]),
        "stage 1 duration",
    ),
    R(
        "escalation-stage-essential-string",
        lambda s: EscalationPlan(
            s, "E", alias="e", stages=[EscalationStage(contacts=[person(s)], acknowledgement_stops_progression="yes")]
        ),
        "acknowledgement_stops_progression",
    ),
    R("escalation-cycle", escalation_cycle, "stage 2 contacts"),
    R(
        "escalation-contact-without-channels",
        lambda s: EscalationPlan(s, "E", alias="e", stages=[EscalationStage(contacts=[person(s, channel=False)])]),
        "has no channels",
    ),
    R("escalation-no-stages", lambda s: EscalationPlan(s, "E", alias="e"), "has no stages"),
    A(
        "escalation-stage-duration-zero",
        lambda s: EscalationPlan(s, "E", alias="e", stages=[EscalationStage(contacts=[person(s)], duration=MIN(0))]),
    ),
    R("schedule-rotations-string", lambda s: OnCallSchedule(s, "S", alias="s", rotations="r"), "rotations"),
    R("schedule-rotations-int", lambda s: OnCallSchedule(s, "S", alias="s", rotations=5), "rotations"),
    R("schedule-rotations-nine", lambda s: schedule_with(s, 9), "rotations"),
    R("schedule-no-rotations", lambda s: OnCallSchedule(s, "S", alias="s"), "has no rotations"),
    A("schedule-rotations-eight", lambda s: schedule_with(s, 8)),
    R("schedule-who-naive", lambda s: schedule_with(s, 1).who_is_on_call(at=datetime(2026, 1, 1)), "at"),
    # == TeamStacks ==============================================================================
    R("teams-shards-zero", lambda s: TeamStacks(s, "Teams", shards=0), "shards"),
    R("teams-shards-bool", lambda s: TeamStacks(s, "Teams", shards=True), "shards"),
    R("teams-shards-huge", lambda s: TeamStacks(s, "Teams", shards=10**9), "shards"),
    R("teams-max-resources-501", lambda s: TeamStacks(s, "Teams", shards=1, max_resources=501), "max_resources"),
    R("teams-name-empty", lambda s: TeamStacks(s, "Teams", shards=1).stack_for(""), "team name"),
    R("teams-name-none", lambda s: TeamStacks(s, "Teams", shards=1).stack_for(None), "team name"),
]


def _deep(n: int) -> Any:
    value: Any = "x"
    for _ in range(n):
        value = {"a": value}
    return value


# -- running a case ----------------------------------------------------------------------------

REFUSED_CLEARLY = "refused clearly"
ACCEPTED_CORRECTLY = "accepted correctly"
REFUSED_UNCLEARLY = "refused unclearly"
REFUSED_WRONGLY = "refused wrongly"
PASSED_TO_DEPLOY = "passed to deploy time"
TRACEBACK = "traceback"
SLOW = "slow"
#: No case may take longer (seconds): the issue's bound is 10 s; a case here is a single construct.
MAX_SECONDS = 5.0


@dataclass
class Outcome:
    case: Case
    result: str
    detail: str
    seconds: float
    template: dict[str, Any] | None = None


def _leaks(message: str) -> list[str]:
    return [p for p in PERSONAL if p in message]


def _message_problems(case: Case, message: str) -> list[str]:
    problems = []
    if case.path not in message:
        problems.append(f"does not name the path {case.path!r}")
    if case.field not in message:
        problems.append(f"does not name the field {case.field!r}")
    leaks = _leaks(message)
    if leaks:
        problems.append(f"shows {leaks} in full")
    return problems


def run_case(case: Case) -> Outcome:
    """Build the case in a fresh app, synthesize it, and classify what happened."""
    stack = new_stack()
    started = time.perf_counter()
    template: dict[str, Any] | None = None
    try:
        try:
            case.build(stack)
            refusal: str | None = None
        except ValidationError as error:
            refusal = str(error)
        if refusal is None:
            try:
                assembly = stack.node.root.synth()
                template = assembly.get_stack_by_name(stack.stack_name).template
            except Exception as error:
                text = str(error)
                if "Validation failed" not in text:
                    raise
                refusal = text
    except Exception as error:
        seconds = time.perf_counter() - started
        return Outcome(case, TRACEBACK, f"{type(error).__name__}: {str(error)[:300]}", seconds)
    seconds = time.perf_counter() - started
    if seconds > MAX_SECONDS:
        return Outcome(case, SLOW, f"{seconds:.1f} s", seconds)
    if refusal is None:
        if case.expect == ACCEPT:
            return Outcome(case, ACCEPTED_CORRECTLY, "", seconds, template)
        return Outcome(case, PASSED_TO_DEPLOY, "accepted, though the service or CloudFormation refuses it", seconds)
    if case.expect == ACCEPT:
        return Outcome(case, REFUSED_WRONGLY, refusal[:300], seconds)
    problems = _message_problems(case, refusal)
    if problems:
        return Outcome(case, REFUSED_UNCLEARLY, "; ".join(problems) + f": {refusal[:300]}", seconds)
    return Outcome(case, REFUSED_CLEARLY, refusal[:300], seconds)


FIGURES = (
    "tried",
    REFUSED_CLEARLY,
    ACCEPTED_CORRECTLY,
    PASSED_TO_DEPLOY,
    TRACEBACK,
    REFUSED_UNCLEARLY,
    REFUSED_WRONGLY,
    SLOW,
    "known gaps (xfail, owner named)",
)


def summarize(outcomes: list[Outcome]) -> dict[str, int]:
    """The corpus figures: how many cases were tried and how each ended. Cases of a known gap in
    someone else's module (``owner``) are counted apart, whatever they ended in."""
    figures = {name: 0 for name in FIGURES}
    for outcome in outcomes:
        figures["tried"] += 1
        good = outcome.result in (REFUSED_CLEARLY, ACCEPTED_CORRECTLY)
        if outcome.case.owner and not good:
            figures["known gaps (xfail, owner named)"] += 1
        else:
            figures[outcome.result] += 1
    return figures


# -- the tests ---------------------------------------------------------------------------------


def _param(case: Case) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=case.owner)] if case.owner else []
    return pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_case(case: Case) -> None:
    outcome = run_case(case)
    expected = REFUSED_CLEARLY if case.expect == REFUSE else ACCEPTED_CORRECTLY
    assert outcome.result == expected, f"{case.id}: {outcome.result}: {outcome.detail}"


def test_the_corpus_is_large_and_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert len(CASES) >= 250
    assert sum(c.expect == ACCEPT for c in CASES) >= 50, "legal edge values must be tried too"


def corpus_table(figures: dict[str, int]) -> str:
    """The figures as the table of docs/validation.md."""
    lines = ["| figure | cases |", "|---|---|"]
    lines += [f"| {name} | {figures[name]} |" for name in FIGURES]
    return "\n".join(lines)


def test_the_corpus_figures(tmp_path: Path) -> None:
    """Run every case once; nothing may pass to deploy time or end in a traceback, the accepted
    templates pass cfn-lint, and docs/validation.md shows these figures."""
    from support.lint import cfn_lint_templates

    outcomes = [run_case(case) for case in CASES]
    figures = summarize(outcomes)
    bad = [
        f"{o.case.id}: {o.result}: {o.detail}"
        for o in outcomes
        if o.result not in (REFUSED_CLEARLY, ACCEPTED_CORRECTLY) and not o.case.owner
    ]
    assert figures[PASSED_TO_DEPLOY] == 0 and figures[TRACEBACK] == 0, "\n".join(bad)
    assert bad == []
    gaps = sorted(o.case.id for o in outcomes if o.case.owner and o.result not in (REFUSED_CLEARLY, ACCEPTED_CORRECTLY))
    assert gaps == sorted(c.id for c in CASES if c.owner), "a known gap is fixed: drop its owner= (and the xfail)"
    templates = []
    for outcome in outcomes:
        if outcome.template and outcome.template.get("Resources"):  # imports alone make no resources
            path = tmp_path / f"{outcome.case.id}.json"
            path.write_text(json.dumps(outcome.template), encoding="utf-8")
            templates.append(path)
    assert len(templates) > 40
    assert cfn_lint_templates(templates) == []
    text = DOC.read_text(encoding="utf-8")
    assert corpus_table(figures) in text, "update docs/validation.md (Bad-input corpus):\n" + corpus_table(figures)
    assert known_gaps_line() in text, "update docs/validation.md (Bad-input corpus):\n" + known_gaps_line()


def known_gaps_line() -> str:
    gaps = [f"`{c.id}`" for c in CASES if c.owner]
    return f"Known gaps: {', '.join(gaps) if gaps else 'none'}."


# -- tables kept equal to their sources --------------------------------------------------------

CFN_SCHEMAS = Path(importlib.util.find_spec("cfnlint").origin).parent / "data" / "schemas"  # type: ignore[arg-type]


def _provider_files() -> dict[str, dict[str, str]]:
    import cfnlint

    providers = Path(cfnlint.__file__).parent / "data" / "schemas" / "providers"
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(providers.glob("*.json")) if p.stem != "sam"
    }


def test_incident_manager_regions_are_the_schemas_regions() -> None:
    """The regions whose registry schemas (as cfn-lint ships them) have the Incident Manager types.
    cfn-lint gives regions it has no data for (the isolated partitions) a copy of us-east-1's
    file; those are left out, and botocore's endpoints agree."""
    files = _provider_files()
    us_east_1 = files["us-east-1"]
    types = (
        "AWS::SSMIncidents::ReplicationSet",
        "AWS::SSMIncidents::ResponsePlan",
        "AWS::SSMContacts::Contact",
        "AWS::SSMContacts::ContactChannel",
        "AWS::SSMContacts::Plan",
        "AWS::SSMContacts::Rotation",
    )
    for type_name in types:
        regions = {
            region
            for region, schemas in files.items()
            if type_name in schemas and (region == "us-east-1" or schemas != us_east_1)
        }
        assert regions == INCIDENT_MANAGER_REGIONS, type_name
    copies = {region for region, schemas in files.items() if schemas == us_east_1 and region != "us-east-1"}
    assert copies and all(partition_of(r) != "aws" for r in copies), copies

    import botocore.loaders

    endpoints = botocore.loaders.Loader().load_data("endpoints")
    for service in ("ssm-incidents", "ssm-contacts"):
        found = set()
        for partition in endpoints["partitions"]:
            found |= {
                r for r in partition["services"].get(service, {}).get("endpoints", {}) if not r.startswith("fips-")
            }
        assert found == INCIDENT_MANAGER_REGIONS, service


def test_partitions_are_cdk_partitions() -> None:
    from aws_cdk import region_info

    for region in region_info.Fact.regions:
        info = region_info.RegionInfo.get(region)
        assert partition_of(region) == info.partition, region


def _schema(type_name: str) -> dict[str, Any]:
    import cfnlint

    base = Path(cfnlint.__file__).parent / "data" / "schemas"
    digest = json.loads((base / "providers" / "us-east-1.json").read_text(encoding="utf-8"))[type_name]
    loaded: dict[str, Any] = json.loads((base / "resources" / f"{digest}.json").read_text(encoding="utf-8"))
    return loaded


def _api_shape(service: str, shape: str) -> dict[str, Any]:
    import botocore.loaders

    model = botocore.loaders.Loader().load_service_model(service, "service-2")
    found: dict[str, Any] = model["shapes"][shape]
    return found


@pytest.mark.parametrize(
    "rules, types, api",
    [
        (SSM_INCIDENTS_TAGS, ["AWS::SSMIncidents::ResponsePlan", "AWS::SSMIncidents::ReplicationSet"], "ssm-incidents"),
        (SSM_CONTACTS_TAGS, ["AWS::SSMContacts::Contact", "AWS::SSMContacts::Rotation"], "ssm-contacts"),
        (SSM_DOCUMENT_TAGS, ["AWS::SSM::Document"], "ssm"),
    ],
    ids=["ssm-incidents", "ssm-contacts", "ssm-document"],
)
def test_tag_rules_are_the_stricter_of_schema_and_api(rules: Any, types: list[str], api: str) -> None:
    """Each character (ASCII, and a sample of others) a tag rule accepts is accepted by every
    schema's pattern and by the API's, and each one refused is refused by at least one of them."""
    import regex  # the schemas' \\p{...} classes

    key_patterns, value_patterns = [], []
    for type_name in types:
        tag = _schema(type_name)["definitions"]["Tag"]["properties"]
        key_patterns.append(tag["Key"]["pattern"])
        value_patterns.append(tag["Value"].get("pattern", ".*"))
    key_patterns.append(_api_shape(api, "TagKey")["pattern"])
    value_patterns.append(_api_shape(api, "TagValue")["pattern"])
    sample = [chr(c) for c in range(32, 127)] + list("éÉßü中ー\u00a0\u2009٣０")
    for ours, theirs in ((rules.key_pattern, key_patterns), (rules.value_pattern, value_patterns)):
        for ch in sample:
            text = f"a{ch}b"
            accepted_here = re.fullmatch(ours, text) is not None
            accepted_there = all(regex.search(p, text, flags=regex.V0) is not None for p in theirs)
            assert accepted_here == accepted_there, (ours, repr(ch), theirs)
