"""Generated organisations: random valid ones synthesize, lint clean and say what was asked;
random invalid ones are refused before any template exists."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.stacks import new_app

from incident_constructs import (
    ChannelType,
    Contact,
    EscalationPlan,
    EscalationStage,
    OnCallSchedule,
    ReplicationSet,
    ResponsePlan,
    Rotation,
    RotationRecurrence,
    Runbook,
    RunbookStep,
    ValidationError,
)

VALID_EXAMPLES = 100
INVALID_EXAMPLES = 200
SETTINGS = dict(
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture], database=None
)

REGIONS = ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-northeast-1"]
TIME_ZONES = ["UTC", "Europe/Paris", "America/Los_Angeles", "Asia/Seoul", "Australia/Sydney"]
DAYS = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]


# -- the specification of an organisation (plain data) --------------------------------------------


@dataclass
class ChannelSpec:
    channel_type: ChannelType
    engage_after: int
    retry: int | None


@dataclass
class PersonSpec:
    alias: str
    display_name: str
    channels: list[ChannelSpec]


@dataclass
class StageSpec:
    contacts: list[int]  # indexes into people; -1 means the on-call schedule
    duration: int
    stops: bool


@dataclass
class RotationSpec:
    name: str
    contacts: list[int]
    kind: str
    hand_off: str
    day: Any
    on_calls: int
    multiplier: int
    time_zone: str


@dataclass
class OrganisationSpec:
    people: list[PersonSpec]
    escalations: list[list[StageSpec]]
    rotation: RotationSpec | None
    plan_title: str | None
    plan_impact: int
    plan_engagements: list[int]  # indexes into escalations
    runbook_steps: int
    regions: list[str]
    extra: dict[str, Any] = field(default_factory=dict)


aliases = st.from_regex(r"[a-z0-9_\-]{1,12}", fullmatch=True)
display_names = st.from_regex(r"[A-Za-z0-9_\- ]{1,20}", fullmatch=True)
hand_offs = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59))


@st.composite
def channels(draw: st.DrawFn) -> ChannelSpec:
    return ChannelSpec(
        channel_type=draw(st.sampled_from(list(ChannelType))),
        engage_after=draw(st.integers(0, 100)),
        retry=draw(st.none() | st.integers(0, 60)),
    )


@st.composite
def organisations(draw: st.DrawFn) -> OrganisationSpec:
    n = draw(st.integers(1, 4))
    people = [
        PersonSpec(
            alias=f"p{i}-{draw(aliases)}",
            display_name=draw(display_names),
            channels=draw(st.lists(channels(), min_size=1, max_size=4)),
        )
        for i in range(n)
    ]
    rotation = None
    if draw(st.booleans()):
        members = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True))
        kind = draw(st.sampled_from(["daily", "weekly", "monthly"]))
        rotation = RotationSpec(
            name=draw(st.from_regex(r"[A-Za-z0-9_]{1,20}", fullmatch=True)),
            contacts=members,
            kind=kind,
            hand_off=draw(hand_offs),
            day=draw(st.sampled_from(DAYS)) if kind == "weekly" else draw(st.integers(1, 31)),
            on_calls=draw(st.integers(1, len(members))),
            multiplier=draw(st.integers(1, 100)),
            time_zone=draw(st.sampled_from(TIME_ZONES)),
        )
    targets = list(range(n)) + ([-1] if rotation else [])
    escalations = draw(
        st.lists(
            st.lists(
                st.builds(
                    StageSpec,
                    contacts=st.lists(st.sampled_from(targets), min_size=1, max_size=3, unique=True),
                    duration=st.integers(0, 30),
                    stops=st.booleans(),
                ),
                min_size=1,
                max_size=4,
            ),
            max_size=2,
        )
    )
    has_plan = draw(st.booleans())
    return OrganisationSpec(
        people=people,
        escalations=escalations,
        rotation=rotation,
        plan_title=draw(
            st.text(st.characters(codec="ascii", categories=["L", "N", "Zs", "P"]), min_size=1, max_size=60)
        )
        if has_plan
        else None,
        plan_impact=draw(st.integers(1, 5)),
        plan_engagements=draw(st.lists(st.integers(0, len(escalations) - 1), unique=True, max_size=len(escalations)))
        if escalations
        else [],
        runbook_steps=draw(st.integers(0, 3)) if has_plan else 0,
        regions=draw(st.lists(st.sampled_from(REGIONS), min_size=1, max_size=3, unique=True)),
    )


# -- building through the public API --------------------------------------------------------------


def address(channel_type: ChannelType, i: int, j: int) -> str:
    return f"person{i}.{j}@example.com" if channel_type is ChannelType.EMAIL else f"+1206555{i:02d}{j:02d}"


def build(spec: OrganisationSpec, address_for: Callable[[ChannelType, int, int], str] = address) -> cdk.Stack:
    app = new_app()
    stack = cdk.Stack(app, "Organisation")
    people = []
    for i, p in enumerate(spec.people):
        contact = Contact(stack, f"Person{i}", alias=p.alias, display_name=p.display_name)
        for j, c in enumerate(p.channels):
            contact.add_channel(
                c.channel_type,
                f"channel {j}",
                address_for(c.channel_type, i, j),
                engage_after=cdk.Duration.minutes(c.engage_after),
                retry_interval=None if c.retry is None else cdk.Duration.minutes(c.retry),
            )
        people.append(contact)
    schedule = None
    if spec.rotation is not None:
        r = spec.rotation
        recurrence = {
            "daily": lambda: RotationRecurrence.daily(hand_off_time=r.hand_off),
            "weekly": lambda: RotationRecurrence.weekly(day_of_week=r.day, hand_off_time=r.hand_off),
            "monthly": lambda: RotationRecurrence.monthly(day_of_month=r.day, hand_off_time=r.hand_off),
        }[r.kind]()
        rotation = Rotation(
            stack,
            "Rotation",
            rotation_name=r.name,
            contacts=[people[k] for k in r.contacts],
            start_time="2026-01-05T09:00:00",
            time_zone=r.time_zone,
            recurrence=recurrence,
            number_of_on_calls=r.on_calls,
            recurrence_multiplier=r.multiplier,
        )
        schedule = OnCallSchedule(stack, "Schedule", alias="on-call-schedule", rotations=[rotation])
    escalations = [
        EscalationPlan(
            stack,
            f"Escalation{e}",
            alias=f"escalation-{e}",
            stages=[
                EscalationStage(
                    contacts=[schedule if k == -1 else people[k] for k in s.contacts],
                    duration=cdk.Duration.minutes(s.duration),
                    acknowledgement_stops_progression=s.stops,
                )
                for s in stages
            ],
        )
        for e, stages in enumerate(spec.escalations)
    ]
    if spec.plan_title is not None:
        runbook = None
        if spec.runbook_steps:
            runbook = Runbook(
                stack,
                "Runbook",
                document_name="generated-runbook",
                steps=[RunbookStep.pause(f"Step{k}") for k in range(spec.runbook_steps)],
            )
        ResponsePlan(
            stack,
            "Plan",
            response_plan_name="generated-plan",
            title=spec.plan_title,
            impact=spec.plan_impact,  # type: ignore[arg-type]  # an int, checked by the plan
            engagements=[escalations[e] for e in spec.plan_engagements],
            runbook=runbook,
        )
    ReplicationSet(stack, "ReplicationSet", regions=spec.regions)
    return stack


# -- checking the template against the specification ---------------------------------------------


def getatt(value: Any) -> str:
    assert isinstance(value, dict) and list(value) == ["Fn::GetAtt"], value
    return str(value["Fn::GetAtt"][0])


def check(spec: OrganisationSpec, template: dict[str, Any]) -> None:
    resources = template["Resources"]
    of_type = lambda t: {k: v for k, v in resources.items() if v["Type"] == t}  # noqa: E731
    contacts = of_type("AWS::SSMContacts::Contact")
    alias_of = {k: v["Properties"]["Alias"] for k, v in contacts.items()}
    channels = of_type("AWS::SSMContacts::ContactChannel")
    plans = {alias_of[getatt(v["Properties"]["ContactId"])]: v for v in of_type("AWS::SSMContacts::Plan").values()}

    # every channel is engaged at the minute asked: stage k starts at the sum of earlier durations
    for i, person in enumerate(spec.people):
        stages = plans[person.alias]["Properties"]["Stages"]
        engaged: dict[str, tuple[int, int]] = {}
        start = 0
        for stage in stages:
            assert 0 <= stage["DurationInMinutes"] <= 30
            assert stage["DurationInMinutes"] > 0 or stage["Targets"], stage
            for target in stage["Targets"]:
                info = target["ChannelTargetInfo"]
                channel = channels[getatt(info["ChannelId"])]["Properties"]
                engaged[channel["ChannelName"]] = (start, info["RetryIntervalInMinutes"])
            start += stage["DurationInMinutes"]
        asked = {
            f"channel {j}": (c.engage_after, 5 if c.retry is None else c.retry) for j, c in enumerate(person.channels)
        }
        assert engaged == asked
        for j, c in enumerate(person.channels):
            [props] = [
                v["Properties"]
                for v in channels.values()
                if v["Properties"]["ChannelName"] == f"channel {j}"
                and alias_of[getatt(v["Properties"]["ContactId"])] == person.alias
            ]
            assert props["ChannelType"] == c.channel_type.value
            assert props["ChannelAddress"] == address(c.channel_type, i, j)

    # escalation stages, in order, with their contacts, durations and acknowledgement
    for e, stages in enumerate(spec.escalations):
        [plan] = [v["Properties"] for v in contacts.values() if v["Properties"]["Alias"] == f"escalation-{e}"]
        assert plan["Type"] == "ESCALATION"
        rendered = [
            (
                [alias_of[getatt(t["ContactTargetInfo"]["ContactId"])] for t in stage["Targets"]],
                stage["DurationInMinutes"],
                {t["ContactTargetInfo"]["IsEssential"] for t in stage["Targets"]},
            )
            for stage in plan["Plan"]
        ]
        expected = [
            ([("on-call-schedule" if k == -1 else spec.people[k].alias) for k in s.contacts], s.duration, {s.stops})
            for s in stages
        ]
        assert rendered == expected

    rotations = of_type("AWS::SSMContacts::Rotation")
    if spec.rotation is None:
        assert not rotations
    else:
        r = spec.rotation
        [props] = [v["Properties"] for v in rotations.values()]
        assert props["Name"] == r.name and props["TimeZoneId"] == r.time_zone
        assert [alias_of[getatt(c)] for c in props["ContactIds"]] == [spec.people[k].alias for k in r.contacts]
        recurrence = props["Recurrence"]
        assert (recurrence["NumberOfOnCalls"], recurrence["RecurrenceMultiplier"]) == (r.on_calls, r.multiplier)
        if r.kind == "daily":
            assert recurrence["DailySettings"] == [r.hand_off]
        elif r.kind == "weekly":
            assert recurrence["WeeklySettings"] == [{"DayOfWeek": r.day, "HandOffTime": r.hand_off}]
        else:
            assert recurrence["MonthlySettings"] == [{"DayOfMonth": r.day, "HandOffTime": r.hand_off}]

    response_plans = of_type("AWS::SSMIncidents::ResponsePlan")
    if spec.plan_title is None:
        assert not response_plans
    else:
        [props] = [v["Properties"] for v in response_plans.values()]
        assert props["IncidentTemplate"]["Title"] == spec.plan_title
        assert props["IncidentTemplate"]["Impact"] == spec.plan_impact
        assert [alias_of[getatt(c)] for c in props.get("Engagements", [])] == [
            f"escalation-{e}" for e in spec.plan_engagements
        ]
        assert ("Actions" in props) == bool(spec.runbook_steps)

    [replication] = [v["Properties"] for v in of_type("AWS::SSMIncidents::ReplicationSet").values()]
    assert [r["RegionName"] for r in replication["Regions"]] == spec.regions


def test_generated_organisations_synthesize_lint_clean_and_say_what_was_asked(tmp_path: Path) -> None:
    from support.lint import cfn_lint_templates

    paths: list[Path] = []

    @settings(max_examples=VALID_EXAMPLES, **SETTINGS)  # type: ignore[arg-type]
    @given(organisations())
    def one(spec: OrganisationSpec) -> None:
        stack = build(spec)
        template = stack.node.root.synth().get_stack_by_name("Organisation").template
        check(spec, template)
        path = tmp_path / f"organisation{len(paths)}.template.json"
        path.write_text(json.dumps(template), encoding="utf-8")
        paths.append(path)

    one()
    assert len(paths) >= VALID_EXAMPLES
    # one cfn-lint run for all templates: its set-up is the slow part
    assert cfn_lint_templates(paths) == []


# -- invalid organisations -------------------------------------------------------------------------


def mutate_alias(spec: OrganisationSpec, draw: Any) -> str:
    spec.people[0].alias = draw(st.sampled_from(["Upper", "with space", "dot.ted", "", "a" * 256, "é"]))
    return "alias"


def mutate_display_name(spec: OrganisationSpec, draw: Any) -> str:
    spec.people[0].display_name = draw(st.sampled_from(["Zoë", "a.b", "x" * 256, "semi;colon"]))
    return "display_name"


def mutate_retry(spec: OrganisationSpec, draw: Any) -> str:
    spec.people[0].channels[0].retry = draw(st.integers(61, 1000))
    return "retry_interval"


def mutate_stage_duration(spec: OrganisationSpec, draw: Any) -> str:
    spec.escalations = [[StageSpec(contacts=[0], duration=draw(st.integers(31, 500)), stops=False)]]
    spec.plan_engagements = []
    return "duration"


def mutate_stage_contacts(spec: OrganisationSpec, draw: Any) -> str:
    spec.escalations = [[StageSpec(contacts=[], duration=5, stops=False)]]
    spec.plan_engagements = []
    return "at least one contact"


def mutate_rotation(spec: OrganisationSpec, draw: Any) -> str:
    spec.rotation = RotationSpec(
        name=draw(st.sampled_from(["team-a", "with space", "", "a" * 256])),
        contacts=[0],
        kind="daily",
        hand_off="09:00",
        day=None,
        on_calls=1,
        multiplier=1,
        time_zone="UTC",
    )
    return "rotation_name"


def mutate_hand_off(spec: OrganisationSpec, draw: Any) -> str:
    spec.rotation = RotationSpec(
        "team", [0], "daily", draw(st.sampled_from(["24:00", "9", "09:60", "noon"])), None, 1, 1, "UTC"
    )
    return "hand_off_time"


def mutate_time_zone(spec: OrganisationSpec, draw: Any) -> str:
    spec.rotation = RotationSpec(
        "team", [0], "daily", "09:00", None, 1, 1, draw(st.sampled_from(["PST", "UTC+2", "CEST", "Mars/Olympus"]))
    )
    return "time_zone"


def mutate_title(spec: OrganisationSpec, draw: Any) -> str:
    spec.plan_title = draw(st.sampled_from(["", "t" * 201]))
    return "title"


def mutate_impact(spec: OrganisationSpec, draw: Any) -> str:
    spec.plan_title = "title"
    spec.plan_impact = draw(st.sampled_from([0, 6, 10, -1]))
    return "impact"


def mutate_regions(spec: OrganisationSpec, draw: Any) -> str:
    spec.regions = draw(st.sampled_from([[], REGIONS[:4], ["us-east-1", "us-east-1"], ["mars-north-1"]]))
    return "region"


def mutate_phone(spec: OrganisationSpec, draw: Any) -> str:
    spec.people[0].channels[0] = ChannelSpec(ChannelType.SMS, 0, None)
    spec.extra["phone"] = draw(st.sampled_from(["2065550100", "+1 206 555 0100", "+1206", "phone"]))
    return "address of channel"


MUTATIONS: list[Callable[[OrganisationSpec, Any], str]] = [
    mutate_alias,
    mutate_display_name,
    mutate_retry,
    mutate_stage_duration,
    mutate_stage_contacts,
    mutate_rotation,
    mutate_hand_off,
    mutate_time_zone,
    mutate_title,
    mutate_impact,
    mutate_regions,
    mutate_phone,
]


def test_generated_invalid_values_are_refused_before_synthesis(monkeypatch: pytest.MonkeyPatch) -> None:
    synthesized: list[str] = []
    original = cdk.App.synth

    def watched(self: cdk.App, *args: Any, **kwargs: Any) -> Any:
        synthesized.append("synth")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(cdk.App, "synth", watched)
    seen: set[str] = set()

    @settings(max_examples=INVALID_EXAMPLES, **SETTINGS)  # type: ignore[arg-type]
    @given(organisations(), st.sampled_from(MUTATIONS), st.data())
    def one(spec: OrganisationSpec, mutation: Callable[[OrganisationSpec, Any], str], data: st.DataObject) -> None:
        spec = copy.deepcopy(spec)
        field_name = mutation(spec, data.draw)
        seen.add(mutation.__name__)
        phone = spec.extra.get("phone")
        with pytest.raises(ValidationError) as caught:
            build(spec, address if phone is None else (lambda *_: str(phone)))
        assert field_name in str(caught.value)
        assert "is not allowed" in str(caught.value)

    one()
    assert synthesized == []
    assert len(seen) >= len(MUTATIONS) // 2
