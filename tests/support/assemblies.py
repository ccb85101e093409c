"""Cloud assemblies for the command-line tests, synthesized once per test session.

- the example app (``stacks.incident_stack.IncidentManagerStack``), the blog scenario;
- a scenario stack with what the example lacks: a stage whose acknowledgement does not stop
  progression, an on-call schedule with a weekly rotation, an escalation plan inside an
  escalation plan, and an imported contact.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_ssmcontacts as ssmcontacts

from incident_constructs import Contact, EscalationPlan, EscalationStage, Impact, ResponsePlan
from incident_constructs.contacts.rotation import Rotation, RotationRecurrence

_ROOT = Path(tempfile.mkdtemp(prefix="incident-constructs-cli-tests-"))
atexit.register(shutil.rmtree, _ROOT, ignore_errors=True)


@functools.cache
def example_assembly() -> Path:
    """``cdk.out`` of the example app."""
    from stacks.incident_stack import IncidentManagerStack

    outdir = _ROOT / "example"
    app = cdk.App(outdir=str(outdir), builtin_cloud_formation_validation=False)
    IncidentManagerStack(app, "IncidentManagerExample")
    app.synth()
    return outdir


def _person(stack: cdk.Stack, id: str, alias: str, *, sms_after: int | None = None, retry: int = 5) -> Contact:
    contact = Contact(stack, id, alias=alias, default_retry_interval=cdk.Duration.minutes(retry))
    contact.add_email_channel(f"{alias} email", f"{alias}@example.com")
    if sms_after is not None:
        contact.add_sms_channel(f"{alias} phone", "+12065550142", engage_after=cdk.Duration.minutes(sms_after))
    return contact


@functools.cache
def scenario_assembly() -> Path:
    """``cdk.out`` of the scenario stack (response plans Soft, OnCall, Nested, Mixed)."""
    outdir = _ROOT / "scenarios"
    app = cdk.App(outdir=str(outdir), builtin_cloud_formation_validation=False)
    stack = cdk.Stack(app, "Scenarios", env=cdk.Environment(account="111122223333", region="eu-west-1"))

    alice = _person(stack, "Alice", "alice", sms_after=10)
    bob = _person(stack, "Bob", "bob", retry=0)
    carol = _person(stack, "Carol", "carol")

    # Weekly hand-off on Mondays 09:00 Berlin time; alice first, then bob.
    rotation = Rotation(
        stack,
        "Primary",
        rotation_name="primary",
        contacts=[alice, bob],
        start_time="2025-01-06T09:00:00",
        time_zone="Europe/Berlin",
        recurrence=RotationRecurrence.weekly(day_of_week="MON", hand_off_time="09:00"),
    )
    schedule = ssmcontacts.CfnContact(
        stack,
        "PrimarySchedule",
        alias="primary-schedule",
        display_name="Primary schedule",
        type="ONCALL_SCHEDULE",
        plan=[ssmcontacts.CfnContact.StageProperty(rotation_ids=[rotation.rotation_arn])],
    )
    schedule_contact = Contact.from_contact_arn(stack, "PrimaryScheduleRef", schedule.attr_arn)

    soft = EscalationPlan(
        stack,
        "Soft",
        alias="soft-plan",
        stages=[
            EscalationStage(
                contacts=[alice], duration=cdk.Duration.minutes(5), acknowledgement_stops_progression=False
            ),
            EscalationStage(contacts=[carol], duration=cdk.Duration.minutes(5)),
        ],
    )
    oncall = EscalationPlan(
        stack,
        "OnCall",
        alias="oncall-plan",
        stages=[
            EscalationStage(
                contacts=[schedule_contact], duration=cdk.Duration.minutes(10), acknowledgement_stops_progression=True
            ),
            EscalationStage(contacts=[carol], duration=cdk.Duration.minutes(5)),
        ],
    )
    inner = EscalationPlan(
        stack,
        "Inner",
        alias="inner-plan",
        stages=[
            EscalationStage(contacts=[bob], duration=cdk.Duration.minutes(3), acknowledgement_stops_progression=True),
            EscalationStage(contacts=[alice], duration=cdk.Duration.minutes(5)),
        ],
    )
    outer = EscalationPlan(
        stack,
        "Outer",
        alias="outer-plan",
        stages=[
            EscalationStage(
                contacts=[inner], duration=cdk.Duration.minutes(10), acknowledgement_stops_progression=True
            ),
            EscalationStage(contacts=[carol], duration=cdk.Duration.minutes(5)),
        ],
    )
    elsewhere = Contact.from_contact_alias(stack, "Elsewhere", "someone-elsewhere")
    for name, engagements in (
        ("Soft", [soft]),
        ("OnCall", [oncall]),
        ("Nested", [outer]),
        ("Mixed", [carol, elsewhere]),
    ):
        ResponsePlan(
            stack,
            f"Plan{name}",
            response_plan_name=name,
            title=f"{name} incident",
            impact=Impact.LOW,
            engagements=engagements,
        )
    app.synth()
    return outdir
