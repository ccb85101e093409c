"""OnCallSchedule: the contact it renders, its use as an engagement, the union of its rotations."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match, Template
from support.lint import cfn_lint_templates
from support.stacks import new_stack, resources_of

from incident_constructs import (
    Contact,
    ContactType,
    EscalationPlan,
    EscalationStage,
    Impact,
    OnCallSchedule,
    ResponsePlan,
    Rotation,
    RotationRecurrence,
    ShiftCoverage,
    ValidationError,
)

UTC = ZoneInfo("UTC")
EVERY_DAY = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


def people(stack, *names):
    return [Contact(stack, n, alias=n.lower()) for n in names]


def weekly(stack, id, name, contacts, **overrides):
    props = dict(
        rotation_name=name,
        contacts=contacts,
        start_time=datetime(2026, 1, 5, 9, 0),
        time_zone="UTC",
        recurrence=RotationRecurrence.weekly(day_of_week="MON", hand_off_time="09:00"),
    )
    props.update(overrides)
    return Rotation(stack, id, **props)


def follow_the_sun(stack):
    """EMEA 08:00-16:00 London and AMER 08:00-16:00 Los Angeles, every day."""
    d, e, a, b = people(stack, "Dana", "Emil", "Ana", "Ben")
    emea = weekly(
        stack,
        "Emea",
        "web_follow_the_sun_emea",
        [d, e],
        time_zone="Europe/London",
        shift_coverage=[ShiftCoverage(day_of_week=day, start="08:00", end="16:00") for day in EVERY_DAY],
    )
    amer = weekly(
        stack,
        "Amer",
        "web_follow_the_sun_amer",
        [a, b],
        time_zone="America/Los_Angeles",
        shift_coverage=[ShiftCoverage(day_of_week=day, start="08:00", end="16:00") for day in EVERY_DAY],
    )
    return OnCallSchedule(stack, "WebOnCall", alias="web-oncall", display_name="Web on call", rotations=[emea, amer])


def names(contacts):
    return [c.alias for c in contacts]


def schedule_resource(stack):
    (res,) = [
        r
        for r in resources_of(stack, "AWS::SSMContacts::Contact").values()
        if r["Properties"]["Type"] == "ONCALL_SCHEDULE"
    ]
    return res


# -- template ----------------------------------------------------------------------------------


def test_schedule_is_an_oncall_contact_whose_plan_lists_its_rotations():
    stack = new_stack()
    schedule = follow_the_sun(stack)
    Template.from_stack(stack).has_resource_properties(
        "AWS::SSMContacts::Contact",
        {
            "Alias": "web-oncall",
            "DisplayName": "Web on call",
            "Type": "ONCALL_SCHEDULE",
            "Plan": [
                {
                    "RotationIds": [
                        {"Fn::GetAtt": [Match.string_like_regexp("^Emea"), "Arn"]},
                        {"Fn::GetAtt": [Match.string_like_regexp("^Amer"), "Arn"]},
                    ]
                }
            ],
        },
    )
    res = schedule_resource(stack)
    assert res["DeletionPolicy"] == "Retain"
    assert schedule.contact_type is ContactType.ONCALL_SCHEDULE
    # After synthesis the resource is the L1 the library's batch became, with the template's logical id.
    assert stack.resolve(schedule.resource.logical_id) == next(
        k
        for k, v in Template.from_stack(stack).to_json()["Resources"].items()
        if v["Properties"].get("Type") == "ONCALL_SCHEDULE"
    )
    assert [r.rotation_name for r in schedule.rotations] == ["web_follow_the_sun_emea", "web_follow_the_sun_amer"]


def test_add_rotation_updates_the_plan():
    stack = new_stack()
    a, b = people(stack, "A", "B")
    schedule = OnCallSchedule(stack, "S", alias="s", rotations=[weekly(stack, "R1", "r1", [a])])
    schedule.add_rotation(weekly(stack, "R2", "r2", [b]))
    plan = schedule_resource(stack)["Properties"]["Plan"]
    assert [i["Fn::GetAtt"][0][:2] for i in plan[0]["RotationIds"]] == ["R1", "R2"]
    assert "DurationInMinutes" not in plan[0]


def test_display_name_defaults_to_alias_and_removal_policy_is_overridable():
    stack = new_stack()
    (a,) = people(stack, "A")
    OnCallSchedule(
        stack,
        "S",
        alias="ops-oncall",
        rotations=[weekly(stack, "R", "r", [a])],
        removal_policy=cdk.RemovalPolicy.DESTROY,
    )
    res = schedule_resource(stack)
    assert res["Properties"]["DisplayName"] == "ops-oncall"
    assert res["DeletionPolicy"] == "Delete"


def test_schedule_in_an_escalation_stage_and_as_a_response_plan_engagement():
    stack = new_stack()
    schedule = follow_the_sun(stack)
    boss = Contact(stack, "Boss", alias="boss")
    boss.add_email_channel("email", "boss@example.com")
    escalation = EscalationPlan(
        stack,
        "Esc",
        alias="web-escalation",
        stages=[
            EscalationStage(contacts=[schedule], duration=cdk.Duration.minutes(10)),
            EscalationStage(contacts=[boss]),
        ],
    )
    ResponsePlan(
        stack,
        "Plan",
        response_plan_name="web",
        title="web down",
        impact=Impact.HIGH,
        engagements=[schedule, escalation],
    )
    template = Template.from_stack(stack)
    schedule_id = [
        k
        for k, v in resources_of(stack, "AWS::SSMContacts::Contact").items()
        if v["Properties"]["Type"] == "ONCALL_SCHEDULE"
    ][0]
    template.has_resource_properties(
        "AWS::SSMContacts::Contact",
        {
            "Type": "ESCALATION",
            "Plan": [
                {
                    "DurationInMinutes": 10,
                    "Targets": [
                        {"ContactTargetInfo": {"ContactId": {"Fn::GetAtt": [schedule_id, "Arn"]}, "IsEssential": False}}
                    ],
                },
                Match.any_value(),
            ],
        },
    )
    template.has_resource_properties(
        "AWS::SSMIncidents::ResponsePlan", {"Engagements": [{"Fn::GetAtt": [schedule_id, "Arn"]}, Match.any_value()]}
    )


def test_imports_by_alias_and_arn_are_oncall_contacts():
    stack = new_stack()
    by_alias = OnCallSchedule.from_on_call_schedule_alias(stack, "ByAlias", "web-oncall")
    by_arn = OnCallSchedule.from_on_call_schedule_arn(
        stack, "ByArn", "arn:aws:ssm-contacts:us-east-1:111122223333:contact/db-oncall"
    )
    assert by_alias.contact_type is ContactType.ONCALL_SCHEDULE
    assert by_arn.alias == "db-oncall"
    assert by_arn.contact_arn == "arn:aws:ssm-contacts:us-east-1:111122223333:contact/db-oncall"
    a = Contact(stack, "A", alias="a")
    a.add_email_channel("email", "a@example.com")
    EscalationPlan(stack, "Esc", alias="esc", stages=[EscalationStage(contacts=[by_alias, by_arn, a])])
    Template.from_stack(stack).has_resource_properties(
        "AWS::SSMContacts::Contact",
        {
            "Type": "ESCALATION",
            "Plan": [
                {
                    "Targets": Match.array_with(
                        [{"ContactTargetInfo": {"ContactId": by_arn.contact_arn, "IsEssential": False}}]
                    )
                }
            ],
        },
    )
    with pytest.raises(ValidationError, match=r"TestStack/Bad \(OnCallSchedule\): contact_arn"):
        OnCallSchedule.from_on_call_schedule_arn(stack, "Bad", "arn:aws:ssm-contacts:us-east-1:111122223333:rotation/x")


def test_a_schedule_cannot_be_a_rotation_member():
    stack = new_stack()
    schedule = follow_the_sun(stack)
    with pytest.raises(
        ValidationError, match=r"contacts 'web-oncall'.*personal contacts only \(this one is ONCALL_SCHEDULE\)"
    ):
        weekly(stack, "Nested", "nested", [schedule])


# -- validation -----------------------------------------------------------------------------


def test_at_most_eight_rotations():
    stack = new_stack()
    (a,) = people(stack, "A")
    rotations = [weekly(stack, f"R{i}", f"r{i}", [a]) for i in range(9)]
    schedule = OnCallSchedule(stack, "S", alias="s", rotations=rotations[:8])
    assert len(schedule.rotations) == 8
    with pytest.raises(ValidationError, match=r"TestStack/S \(OnCallSchedule\): rotations 'r8'.*at most 8 rotations"):
        schedule.add_rotation(rotations[8])
    with pytest.raises(ValidationError, match=r"TestStack/T \(OnCallSchedule\): rotations 'r8'.*at most 8 rotations"):
        OnCallSchedule(stack, "T", alias="t", rotations=rotations)


def test_each_rotation_once_and_only_rotations():
    stack = new_stack()
    (a,) = people(stack, "A")
    r = weekly(stack, "R", "r", [a])
    with pytest.raises(ValidationError, match=r"rotations 'r'.*each rotation at most once"):
        OnCallSchedule(stack, "S", alias="s", rotations=[r, r])
    with pytest.raises(ValidationError, match=r"rotations 'r'.*a Rotation"):
        OnCallSchedule(stack, "T", alias="t", rotations=["r"])


def test_no_rotations_is_an_error_at_synth():
    stack = new_stack()
    OnCallSchedule(stack, "S", alias="empty-oncall")
    with pytest.raises(RuntimeError, match=r"\[TestStack/S\] OnCallSchedule 'empty-oncall' has no rotations"):
        Template.from_stack(stack)


@pytest.mark.parametrize(
    "alias, display, field",
    [("Web OnCall", None, "alias"), ("web.oncall", None, "alias"), ("web-oncall", "Web on call!", "display_name")],
)
def test_alias_and_display_name_are_checked(alias, display, field):
    stack = new_stack()
    with pytest.raises(ValidationError, match=rf"TestStack/S \(OnCallSchedule\): {field}"):
        OnCallSchedule(stack, "S", alias=alias, display_name=display)


def test_alias_is_unique_among_all_contacts():
    stack = new_stack()
    Contact(stack, "Person", alias="web-oncall")
    with pytest.raises(ValidationError, match=r"alias 'web-oncall'.*TestStack/Person already uses it"):
        OnCallSchedule(stack, "S", alias="web-oncall")


# -- who is on call ------------------------------------------------------------------------


def test_follow_the_sun_hands_over_between_regions():
    stack = new_stack()
    schedule = follow_the_sun(stack)
    # Winter: London 08:00-16:00 is 08:00-16:00Z; Los Angeles 08:00-16:00 PST is 16:00-24:00Z.
    assert names(schedule.who_is_on_call(at=datetime(2026, 1, 7, 10, tzinfo=UTC))) == ["dana"]
    assert names(schedule.who_is_on_call(at=datetime(2026, 1, 7, 17, tzinfo=UTC))) == ["ana"]
    assert schedule.who_is_on_call(at=datetime(2026, 1, 7, 3, tzinfo=UTC)) == []
    # Between the US change (Mar 8) and the UK change (Mar 29) Los Angeles starts at 15:00Z:
    # an hour of overlap, as the user guide warns. Wed Mar 18 is in week 10 of both: Dana and Ana.
    assert names(schedule.who_is_on_call(at=datetime(2026, 3, 18, 15, 30, tzinfo=UTC))) == ["dana", "ana"]
    assert names(schedule.who_is_on_call(at=datetime(2026, 1, 14, 15, 30, tzinfo=UTC))) == ["emil"]


def test_overlapping_rotations_union_each_person_once():
    stack = new_stack()
    a, b, c = people(stack, "A", "B", "C")
    first = weekly(stack, "R1", "r1", [a, b])
    second = weekly(stack, "R2", "r2", [a, c], number_of_on_calls=2)
    schedule = OnCallSchedule(stack, "S", alias="s", rotations=[first, second])
    assert names(schedule.who_is_on_call(at=datetime(2026, 1, 6, tzinfo=UTC))) == ["a", "c"]
    assert names(schedule.who_is_on_call(at=datetime(2026, 1, 13, tzinfo=UTC))) == ["b", "a", "c"]


def test_schedule_shifts_merge_the_rotations():
    stack = new_stack()
    schedule = follow_the_sun(stack)
    start = datetime(2026, 1, 7, 0, 0, tzinfo=UTC)
    shifts = schedule.shifts(start=start, end=datetime(2026, 1, 8, 0, 0, tzinfo=UTC))
    assert [(s.start.strftime("%H:%M"), s.end.strftime("%H:%M"), names(s.contacts)) for s in shifts] == [
        ("08:00", "16:00", ["dana"]),
        ("16:00", "00:00", ["ana"]),
    ]
    assert all(s.start.tzinfo is UTC for s in shifts)
    with pytest.raises(ValidationError, match=r"TestStack/WebOnCall \(OnCallSchedule\): at .*timezone-aware"):
        schedule.who_is_on_call(at=datetime(2026, 1, 7))


# -- cfn-lint ------------------------------------------------------------------------------


def test_templates_pass_cfn_lint(tmp_path):
    stack = new_stack()
    schedule = follow_the_sun(stack)
    a, b, c = people(stack, "Al", "Bo", "Cy")
    daily = Rotation(
        stack,
        "Daily",
        rotation_name="daily_two",
        contacts=[a, b, c],
        start_time="2026-01-05T09:00:00",
        time_zone="UTC",
        recurrence=RotationRecurrence.daily(hand_off_time="9:00"),
        number_of_on_calls=2,
        recurrence_multiplier=3,
    )
    monthly = Rotation(
        stack,
        "Monthly",
        rotation_name="monthly",
        contacts=[c],
        start_time=datetime(2026, 1, 1),
        time_zone="Asia/Seoul",
        recurrence=RotationRecurrence.monthly(day_of_month=31, hand_off_time="23:59"),
    )
    schedule.add_rotation(daily)
    OnCallSchedule(stack, "Other", alias="other-oncall", rotations=[monthly, daily])
    for person in (a, b, c):
        person.add_email_channel("email", f"{person.alias}@example.com")
    escalation = EscalationPlan(stack, "Esc", alias="esc", stages=[EscalationStage(contacts=[schedule, a])])
    ResponsePlan(
        stack,
        "Plan",
        response_plan_name="web",
        title="web down",
        impact=Impact.HIGH,
        engagements=[escalation, schedule],
    )
    template = tmp_path / "template.json"
    template.write_text(json.dumps(Template.from_stack(stack).to_json()))
    assert cfn_lint_templates([template]) == []


def test_schedule_shifts_join_touching_stretches_of_the_same_people():
    stack = new_stack()
    (a,) = people(stack, "A")
    rot = weekly(
        stack,
        "R",
        "r",
        [a],
        shift_coverage=[ShiftCoverage("MON", "09:00", "12:00"), ShiftCoverage("MON", "12:00", "13:00")],
    )
    schedule = OnCallSchedule(stack, "S", alias="s", rotations=[rot])
    day = dict(start=datetime(2026, 1, 12, tzinfo=UTC), end=datetime(2026, 1, 13, tzinfo=UTC))
    assert len(rot.shifts(**day)) == 2
    (joined,) = schedule.shifts(**day)
    assert (joined.start.hour, joined.end.hour, names(joined.contacts)) == (9, 13, ["a"])


def test_example_app_engages_the_web_oncall_schedule_in_a_third_stage():
    from support.stacks import new_app

    from stacks.incident_stack import IncidentManagerStack

    stack = IncidentManagerStack(new_app(), "Example")
    assert [r.rotation_name for r in stack.on_call.rotations] == [
        "web_primary",
        "web_follow_the_sun_emea",
        "web_follow_the_sun_amer",
    ]
    assert len(stack.escalation.stages) == 3
    assert stack.escalation.stages[2].contacts == [stack.on_call]
    # Monday 2026-01-12 10:00 in London is 02:00 in Los Angeles: the primary's first week (until
    # 09:00 there) is still the incident responder's; the EMEA rotation handed off at 08:00 to the
    # web engineer; the Los Angeles window (08:00-16:00) is closed.
    at = datetime(2026, 1, 12, 10, 0, tzinfo=UTC)
    assert names(stack.on_call.who_is_on_call(at=at)) == ["incident-responder", "web-engineer"]
    Template.from_stack(stack).has_resource_properties(
        "AWS::SSMContacts::Rotation", {"Name": "web_follow_the_sun_emea", "TimeZoneId": "Europe/London"}
    )


def test_a_schedule_can_hold_an_imported_rotation_but_cannot_compute_its_shifts():
    from datetime import datetime, timezone

    from incident_constructs import Rotation

    stack = new_stack()
    imported = Rotation.from_rotation_arn(
        stack, "Existing", "arn:aws:ssm-contacts:us-east-1:111122223333:rotation/existing_rotation"
    )
    schedule = OnCallSchedule(stack, "OnCall", alias="oncall", rotations=[imported])
    (contact,) = resources_of(stack, "AWS::SSMContacts::Contact").values()
    assert contact["Properties"]["Plan"] == [
        {"RotationIds": ["arn:aws:ssm-contacts:us-east-1:111122223333:rotation/existing_rotation"]}
    ]
    with pytest.raises(ValidationError, match="shifts of an imported rotation are not known"):
        schedule.who_is_on_call(at=datetime(2026, 1, 5, tzinfo=timezone.utc))
