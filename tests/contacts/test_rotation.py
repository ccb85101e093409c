"""Rotation: the template it renders, the shifts computed in Python, and every validation rule.

The expected calendars are worked out by hand in the comments: local hand-off times, then UTC.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template
from support.stacks import new_stack, resources_of

from incident_constructs import (
    Contact,
    EscalationPlan,
    EscalationStage,
    Rotation,
    RotationRecurrence,
    ShiftCoverage,
    ValidationError,
)
from incident_constructs.contacts.rotation import IRotation

UTC = ZoneInfo("UTC")
LA = ZoneInfo("America/Los_Angeles")
LONDON = ZoneInfo("Europe/London")


def people(stack, *names):
    return [Contact(stack, n, alias=n.lower()) for n in names]


def rotation(stack, contacts=None, **overrides):
    props = dict(
        rotation_name="web_primary",
        contacts=contacts if contacts is not None else people(stack, "Alice", "Bob", "Carol"),
        start_time=datetime(2026, 1, 5, 9, 0),
        time_zone="America/Los_Angeles",
        recurrence=RotationRecurrence.weekly(day_of_week="MON", hand_off_time="09:00"),
    )
    props.update(overrides)
    return Rotation(stack, "Primary", **props)


def names(contacts):
    return [c.alias for c in contacts]


def table(shifts):
    return [(s.start.isoformat(), s.end.isoformat(), names(s.contacts)) for s in shifts]


# -- template ----------------------------------------------------------------------------------


def test_weekly_rotation_renders_contacts_in_shift_order_and_local_start_time():
    stack = new_stack()
    rotation(
        stack,
        number_of_on_calls=1,
        recurrence_multiplier=2,
        shift_coverage=[
            ShiftCoverage(day_of_week="TUE", start="13:00", end="17:00"),
            ShiftCoverage(day_of_week="MON", start="09:00", end="17:00"),
            ShiftCoverage(day_of_week="TUE", start="09:00", end="12:00"),
        ],
    )
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::SSMContacts::Rotation",
        {
            "Name": "web_primary",
            "StartTime": "2026-01-05T09:00:00",
            "TimeZoneId": "America/Los_Angeles",
            "Recurrence": {
                "NumberOfOnCalls": 1,
                "RecurrenceMultiplier": 2,
                "WeeklySettings": [{"DayOfWeek": "MON", "HandOffTime": "09:00"}],
                "ShiftCoverages": [
                    {"DayOfWeek": "MON", "CoverageTimes": [{"StartTime": "09:00", "EndTime": "17:00"}]},
                    {
                        "DayOfWeek": "TUE",
                        "CoverageTimes": [
                            {"StartTime": "09:00", "EndTime": "12:00"},
                            {"StartTime": "13:00", "EndTime": "17:00"},
                        ],
                    },
                ],
            },
        },
    )
    (res,) = resources_of(stack, "AWS::SSMContacts::Rotation").values()
    ids = [c["Fn::GetAtt"] for c in res["Properties"]["ContactIds"]]
    assert [i[0][: len(n)] for i, n in zip(ids, ["Alice", "Bob", "Carol"], strict=False)] == ["Alice", "Bob", "Carol"]
    assert {i[1] for i in ids} == {"Arn"}
    assert res["DeletionPolicy"] == "Retain"
    assert "DailySettings" not in res["Properties"]["Recurrence"]


def test_daily_and_monthly_render_their_settings():
    stack = new_stack()
    a, b = people(stack, "A", "B")
    Rotation(
        stack,
        "Daily",
        rotation_name="d",
        contacts=[a, b],
        start_time="2026-01-05T09:00:00",
        time_zone="UTC",
        recurrence=RotationRecurrence.daily(hand_off_time="9:30"),
    )
    Rotation(
        stack,
        "Monthly",
        rotation_name="m",
        contacts=[a, b],
        start_time="2026-01-01T08:00:00",
        time_zone="Europe/London",
        recurrence=RotationRecurrence.monthly(day_of_month=1, hand_off_time="08:00"),
    )
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::SSMContacts::Rotation",
        {"Name": "d", "Recurrence": {"DailySettings": ["9:30"], "NumberOfOnCalls": 1, "RecurrenceMultiplier": 1}},
    )
    template.has_resource_properties(
        "AWS::SSMContacts::Rotation",
        {
            "Name": "m",
            "TimeZoneId": "Europe/London",
            "Recurrence": {"MonthlySettings": [{"DayOfMonth": 1, "HandOffTime": "08:00"}]},
        },
    )


def test_removal_policy_can_be_overridden():
    stack = new_stack()
    rotation(stack, removal_policy=cdk.RemovalPolicy.DESTROY)
    (res,) = resources_of(stack, "AWS::SSMContacts::Rotation").values()
    assert res["DeletionPolicy"] == "Delete"


def test_the_l1_has_construct_id_resource():
    stack = new_stack()
    rot = rotation(stack)
    assert rot.resource.node.id == "Resource"
    assert rot.node.default_child is rot.resource


def test_a_rotation_is_a_cdk_resource():
    stack = new_stack(env=cdk.Environment(account="111122223333", region="eu-west-1"))
    rot = rotation(stack)
    assert isinstance(rot, cdk.Resource) and isinstance(rot, IRotation)
    assert isinstance(rot.node.default_child, cdk.CfnResource)
    assert rot.stack is stack and (rot.env.account, rot.env.region) == ("111122223333", "eu-west-1")
    assert stack.resolve(rot.rotation_arn) == {"Fn::GetAtt": [stack.get_logical_id(rot.resource), "Arn"]}
    rot.apply_removal_policy(cdk.RemovalPolicy.DESTROY)  # inherited from cdk.Resource: the L1
    (res,) = resources_of(stack, "AWS::SSMContacts::Rotation").values()
    assert res["DeletionPolicy"] == "Delete"


ROTATION_ARN = "arn:aws:ssm-contacts:eu-west-1:111122223333:rotation/db_primary"


def test_import_by_arn_takes_the_environment_of_the_arn():
    stack = new_stack(env=cdk.Environment(account="444455556666", region="us-east-1"))
    imported = Rotation.from_rotation_arn(stack, "Db", ROTATION_ARN)
    assert isinstance(imported, IRotation) and isinstance(imported, cdk.Resource)
    assert not isinstance(imported, Rotation)  # no settings, so no shifts
    assert imported.rotation_arn == ROTATION_ARN and imported.rotation_name == "db_primary"
    assert imported.stack is stack
    assert (imported.env.account, imported.env.region) == ("111122223333", "eu-west-1")
    assert imported.node.default_child is None
    assert "Resources" not in Template.from_stack(stack).to_json()


def test_import_by_token_arn_names_the_rotation_by_the_arns_last_part():
    stack = new_stack()
    arn = cdk.CfnParameter(stack, "RotationArn").value_as_string
    imported = Rotation.from_rotation_arn(stack, "Db", arn)
    assert imported.rotation_arn == arn
    assert stack.resolve(imported.rotation_name) == {"Fn::Select": [1, {"Fn::Split": ["/", {"Ref": "RotationArn"}]}]}


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:ssm-contacts:us-east-1:111122223333:contact/alice",
        "arn:aws:ssm-incidents::111122223333:rotation/x",
        "arn:aws:ssm-contacts:us-east-1:111122223333:rotation/",
        "rotation/x",
    ],
)
def test_rotation_import_refuses_other_arns(arn):
    with pytest.raises(ValidationError) as error:
        Rotation.from_rotation_arn(new_stack(), "Db", arn)
    assert str(error.value) == (
        f"TestStack/Db (Rotation): rotation_arn {arn!r} is not allowed: "
        "an ARN like arn:aws:ssm-contacts:<region>:<account>:rotation/<id>."
    )


def test_aware_start_time_is_converted_to_the_rotation_time_zone():
    stack = new_stack()
    rotation(stack, start_time=datetime(2026, 1, 5, 17, 0, tzinfo=UTC))  # 09:00 PST
    (res,) = resources_of(stack, "AWS::SSMContacts::Rotation").values()
    assert res["Properties"]["StartTime"] == "2026-01-05T09:00:00"


def test_imported_contacts_of_unknown_type_are_accepted():
    stack = new_stack()
    dave = Contact.from_contact_alias(stack, "Dave", "dave")
    rot = rotation(stack, contacts=[dave, *people(stack, "Erin")])
    assert names(rot.contacts) == ["dave", "erin"]


# -- daily -------------------------------------------------------------------------------------


def test_daily_rotation_hands_off_at_local_time_across_the_spring_dst_change():
    # Los Angeles moves from PST (-8) to PDT (-7) on Sunday 2026-03-08 at 02:00.
    # Hand-offs at 09:00 local: Mar 6 17:00Z, Mar 7 17:00Z, Mar 8 16:00Z, Mar 9 16:00Z.
    stack = new_stack()
    rot = rotation(
        stack,
        start_time=datetime(2026, 3, 5, 9, 0),
        recurrence=RotationRecurrence.daily(hand_off_time="09:00"),
    )
    assert table(
        rot.shifts(start=datetime(2026, 3, 5, 17, 0, tzinfo=UTC), end=datetime(2026, 3, 9, 16, 0, tzinfo=UTC))
    ) == [
        ("2026-03-05T09:00:00-08:00", "2026-03-06T09:00:00-08:00", ["alice"]),
        ("2026-03-06T09:00:00-08:00", "2026-03-07T09:00:00-08:00", ["bob"]),
        ("2026-03-07T09:00:00-08:00", "2026-03-08T09:00:00-07:00", ["carol"]),  # 23 hours
        ("2026-03-08T09:00:00-07:00", "2026-03-09T09:00:00-07:00", ["alice"]),
    ]
    # 16:30Z on Mar 8 is 09:30 PDT: Alice already; a fixed 24 h step would still say Carol.
    assert names(rot.who_is_on_call(at=datetime(2026, 3, 8, 16, 30, tzinfo=UTC))) == ["alice"]
    assert names(rot.who_is_on_call(at=datetime(2026, 3, 8, 15, 59, tzinfo=UTC))) == ["carol"]


def test_daily_rotation_with_multiplier_two_gives_each_person_two_days():
    stack = new_stack()
    rot = rotation(
        stack,
        contacts=people(stack, "A", "B"),
        start_time=datetime(2026, 1, 5, 9, 0),
        time_zone="UTC",
        recurrence=RotationRecurrence.daily(hand_off_time="09:00"),
        recurrence_multiplier=2,
    )
    assert table(rot.shifts(start=datetime(2026, 1, 5, tzinfo=UTC), end=datetime(2026, 1, 11, 9, tzinfo=UTC))) == [
        ("2026-01-05T09:00:00+00:00", "2026-01-07T09:00:00+00:00", ["a"]),
        ("2026-01-07T09:00:00+00:00", "2026-01-09T09:00:00+00:00", ["b"]),
        ("2026-01-09T09:00:00+00:00", "2026-01-11T09:00:00+00:00", ["a"]),
    ]


def test_two_on_calls_take_consecutive_contacts_and_wrap():
    # A, B, C with two on call: shift 0 A+B, shift 1 C+A, shift 2 B+C, shift 3 A+B.
    stack = new_stack()
    rot = rotation(
        stack,
        start_time=datetime(2026, 1, 5, 0, 0),
        time_zone="UTC",
        recurrence=RotationRecurrence.daily(hand_off_time="00:00"),
        number_of_on_calls=2,
    )
    at = [datetime(2026, 1, d, 12, tzinfo=UTC) for d in (5, 6, 7, 8)]
    assert [names(rot.who_is_on_call(at=t)) for t in at] == [
        ["alice", "bob"],
        ["carol", "alice"],
        ["bob", "carol"],
        ["alice", "bob"],
    ]


def test_first_shift_runs_from_start_time_to_the_first_hand_off():
    # Start at 15:00, hand-off at 09:00: Alice until 09:00 the next day, then Bob.
    stack = new_stack()
    rot = rotation(
        stack,
        start_time=datetime(2026, 1, 5, 15, 0),
        time_zone="UTC",
        recurrence=RotationRecurrence.daily(hand_off_time="09:00"),
    )
    shifts = rot.shifts(start=datetime(2026, 1, 5, tzinfo=UTC), end=datetime(2026, 1, 7, tzinfo=UTC))
    assert table(shifts) == [
        ("2026-01-05T15:00:00+00:00", "2026-01-06T09:00:00+00:00", ["alice"]),
        ("2026-01-06T09:00:00+00:00", "2026-01-07T00:00:00+00:00", ["bob"]),
    ]


def test_nobody_is_on_call_before_the_start_time():
    stack = new_stack()
    rot = rotation(stack)
    assert rot.who_is_on_call(at=datetime(2026, 1, 5, 16, 59, tzinfo=UTC)) == []
    assert names(rot.who_is_on_call(at=datetime(2026, 1, 5, 17, 0, tzinfo=UTC))) == ["alice"]


# -- weekly ------------------------------------------------------------------------------------


def test_weekly_rotation_example_of_the_issue():
    # Start Mon 2026-01-05 09:00 PST; 2026-01-12 17:00Z is Mon 09:00 PST: Bob's first minute.
    stack = new_stack()
    rot = rotation(stack)
    assert names(rot.who_is_on_call(at=datetime(2026, 1, 12, 17, 0, tzinfo=UTC))) == ["bob"]
    assert names(rot.who_is_on_call(at=datetime(2026, 1, 12, 16, 59, tzinfo=UTC))) == ["alice"]
    assert names(rot.who_is_on_call(at=datetime(2026, 1, 19, 17, 0, tzinfo=UTC))) == ["carol"]
    assert names(rot.who_is_on_call(at=datetime(2026, 1, 26, 17, 0, tzinfo=UTC))) == ["alice"]


def test_weekly_shift_over_the_dst_change_is_167_hours():
    # Mon Mar 2 09:00 PST (17:00Z) to Mon Mar 9 09:00 PDT (16:00Z).
    stack = new_stack()
    rot = rotation(stack, contacts=people(stack, "A", "B"), start_time=datetime(2026, 3, 2, 9, 0))
    first, second = rot.shifts(start=datetime(2026, 3, 2, 17, tzinfo=UTC), end=datetime(2026, 3, 16, 16, tzinfo=UTC))
    # Python subtracts datetimes of the same zone on the wall clock: compare in UTC.
    assert first.end.astimezone(UTC) - first.start.astimezone(UTC) == timedelta(hours=167)
    assert first.end.astimezone(UTC) == datetime(2026, 3, 9, 16, 0, tzinfo=UTC)
    assert (first.end.hour, first.end.minute) == (9, 0)
    assert names(second.contacts) == ["b"]
    assert second.end.astimezone(UTC) - second.start.astimezone(UTC) == timedelta(hours=168)


def test_weekly_multiplier_two_with_a_start_in_mid_week():
    # Start Wed Jan 7; hand-offs Mon Jan 12, Mon Jan 19 (the second ends the first shift), ...
    stack = new_stack()
    rot = rotation(
        stack,
        contacts=people(stack, "A", "B"),
        start_time=datetime(2026, 1, 7, 9, 0),
        time_zone="UTC",
        recurrence_multiplier=2,
    )
    assert table(rot.shifts(start=datetime(2026, 1, 1, tzinfo=UTC), end=datetime(2026, 2, 10, tzinfo=UTC))) == [
        ("2026-01-07T09:00:00+00:00", "2026-01-19T09:00:00+00:00", ["a"]),
        ("2026-01-19T09:00:00+00:00", "2026-02-02T09:00:00+00:00", ["b"]),
        ("2026-02-02T09:00:00+00:00", "2026-02-10T00:00:00+00:00", ["a"]),
    ]


def test_weekday_coverage_leaves_nights_and_weekends_uncovered():
    stack = new_stack()
    rot = rotation(
        stack,
        shift_coverage=[
            ShiftCoverage(day_of_week=d, start="09:00", end="17:00") for d in ("MON", "TUE", "WED", "THU", "FRI")
        ],
    )
    local = lambda *a: datetime(*a, tzinfo=LA)  # noqa: E731
    assert names(rot.who_is_on_call(at=local(2026, 1, 14, 12, 0))) == ["bob"]  # Wednesday noon
    assert rot.who_is_on_call(at=local(2026, 1, 14, 17, 0)) == []  # end excluded
    assert rot.who_is_on_call(at=local(2026, 1, 14, 8, 59)) == []
    assert rot.who_is_on_call(at=local(2026, 1, 17, 12, 0)) == []  # Saturday
    week = rot.shifts(start=local(2026, 1, 12, 0, 0), end=local(2026, 1, 19, 0, 0))
    assert [(s.start.strftime("%a %H:%M"), s.end.strftime("%H:%M")) for s in week] == [
        (day, "17:00") for day in ("Mon 09:00", "Tue 09:00", "Wed 09:00", "Thu 09:00", "Fri 09:00")
    ]
    assert {tuple(names(s.contacts)) for s in week} == {("bob",)}


def test_lunch_gap_between_two_windows_of_a_day():
    stack = new_stack()
    rot = rotation(
        stack,
        time_zone="UTC",
        shift_coverage=[
            ShiftCoverage(day_of_week="MON", start="08:00", end="12:00"),
            ShiftCoverage(day_of_week="MON", start="13:00", end="17:00"),
        ],
    )
    at = lambda h, m: datetime(2026, 1, 12, h, m, tzinfo=UTC)  # noqa: E731
    assert names(rot.who_is_on_call(at=at(8, 30))) == ["alice"]  # Bob's shift starts at 09:00
    assert names(rot.who_is_on_call(at=at(11, 59))) == ["bob"]
    assert rot.who_is_on_call(at=at(12, 30)) == []
    assert names(rot.who_is_on_call(at=at(13, 0))) == ["bob"]
    shifts = rot.shifts(start=at(0, 0), end=at(23, 0))
    assert table(shifts) == [
        ("2026-01-12T08:00:00+00:00", "2026-01-12T09:00:00+00:00", ["alice"]),
        ("2026-01-12T09:00:00+00:00", "2026-01-12T12:00:00+00:00", ["bob"]),
        ("2026-01-12T13:00:00+00:00", "2026-01-12T17:00:00+00:00", ["bob"]),
    ]


# -- monthly -----------------------------------------------------------------------------------


def test_monthly_on_the_31st_hands_off_on_the_last_day_of_short_months():
    stack = new_stack()
    rot = rotation(
        stack,
        start_time=datetime(2026, 1, 31, 10, 0),
        time_zone="UTC",
        recurrence=RotationRecurrence.monthly(day_of_month=31, hand_off_time="10:00"),
    )
    assert table(
        rot.shifts(start=datetime(2026, 1, 31, 10, tzinfo=UTC), end=datetime(2026, 5, 31, 10, tzinfo=UTC))
    ) == [
        ("2026-01-31T10:00:00+00:00", "2026-02-28T10:00:00+00:00", ["alice"]),
        ("2026-02-28T10:00:00+00:00", "2026-03-31T10:00:00+00:00", ["bob"]),
        ("2026-03-31T10:00:00+00:00", "2026-04-30T10:00:00+00:00", ["carol"]),
        ("2026-04-30T10:00:00+00:00", "2026-05-31T10:00:00+00:00", ["alice"]),
    ]


def test_monthly_rotation_follows_british_summer_time():
    # Start Jan 15 08:00 GMT; hand-offs on the 1st at 08:00 local: Feb 1 and Mar 1 08:00Z,
    # Apr 1 07:00Z (BST from Mar 29). At Apr 1 07:30Z Alice is back; a fixed offset would say Carol.
    stack = new_stack()
    rot = rotation(
        stack,
        start_time=datetime(2026, 1, 15, 8, 0),
        time_zone="Europe/London",
        recurrence=RotationRecurrence.monthly(day_of_month=1, hand_off_time="08:00"),
    )
    assert names(rot.who_is_on_call(at=datetime(2026, 1, 31, 23, tzinfo=UTC))) == ["alice"]
    assert names(rot.who_is_on_call(at=datetime(2026, 2, 1, 8, tzinfo=UTC))) == ["bob"]
    assert names(rot.who_is_on_call(at=datetime(2026, 3, 1, 8, tzinfo=UTC))) == ["carol"]
    assert names(rot.who_is_on_call(at=datetime(2026, 4, 1, 7, 30, tzinfo=UTC))) == ["alice"]
    assert names(rot.who_is_on_call(at=datetime(2026, 4, 1, 6, 59, tzinfo=UTC))) == ["carol"]


def test_monthly_multiplier_three_is_a_quarter_each():
    stack = new_stack()
    rot = rotation(
        stack,
        contacts=people(stack, "A", "B"),
        start_time=datetime(2026, 1, 1, 0, 0),
        time_zone="UTC",
        recurrence=RotationRecurrence.monthly(day_of_month=1, hand_off_time="00:00"),
        recurrence_multiplier=3,
    )
    shifts = rot.shifts(start=datetime(2026, 1, 1, tzinfo=UTC), end=datetime(2027, 1, 1, tzinfo=UTC))
    assert [(s.start.date().isoformat(), names(s.contacts)) for s in shifts] == [
        ("2026-01-01", ["a"]),
        ("2026-04-01", ["b"]),
        ("2026-07-01", ["a"]),
        ("2026-10-01", ["b"]),
    ]


# -- arguments of the computation -----------------------------------------------------------


def test_a_naive_moment_is_refused():
    stack = new_stack()
    rot = rotation(stack)
    with pytest.raises(
        ValidationError, match=r"TestStack/Primary \(Rotation\): at '2026-01-12T17:00:00'.*timezone-aware"
    ):
        rot.who_is_on_call(at=datetime(2026, 1, 12, 17, 0))
    with pytest.raises(ValidationError, match=r"start '2026-01-12T00:00:00'.*timezone-aware"):
        rot.shifts(start=datetime(2026, 1, 12), end=datetime(2026, 1, 13, tzinfo=UTC))


def test_shifts_refuse_an_end_before_the_start():
    stack = new_stack()
    rot = rotation(stack)
    with pytest.raises(ValidationError, match="end .* later than start"):
        rot.shifts(start=datetime(2026, 1, 13, tzinfo=UTC), end=datetime(2026, 1, 12, tzinfo=UTC))


def test_shifts_cannot_be_computed_from_tokens():
    stack = new_stack()
    rot = rotation(stack, time_zone=cdk.Fn.import_value("RotationTimeZone"))
    with pytest.raises(ValidationError, match="time_zone 'a token'.*known at synth time"):
        rot.who_is_on_call(at=datetime(2026, 1, 12, tzinfo=UTC))


# -- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "zone", ["PST", "CEST", "UTC+2", "EST", "GMT", "Etc/GMT-2", "America/Atlantis", "Europe/london"]
)
def test_time_zone_must_be_an_iana_area_location_name(zone):
    stack = new_stack()
    with pytest.raises(
        ValidationError,
        match=rf"TestStack/Primary \(Rotation\): time_zone '{re.escape(zone)}' is not allowed: an IANA time zone",
    ):
        rotation(stack, time_zone=zone)


@pytest.mark.parametrize("zone", ["UTC", "Asia/Seoul", "America/Argentina/Buenos_Aires"])
def test_utc_and_area_location_zones_are_accepted(zone):
    stack = new_stack()
    assert rotation(stack, time_zone=zone).time_zone == zone


@pytest.mark.parametrize(
    "start, fragment",
    [
        ("2026-01-05 09:00:00", "a datetime or a string 'YYYY-MM-DDTHH:MM:SS'"),
        ("2026-01-05T09:00:00Z", "a datetime or a string 'YYYY-MM-DDTHH:MM:SS'"),
        ("2026-01-05T09:00", "a datetime or a string 'YYYY-MM-DDTHH:MM:SS'"),
        ("2026-02-30T09:00:00", "a real date"),
        ("2026-01-05T25:00:00", "a real date"),
        (datetime(2026, 1, 5, 9, 0, 0, 500), "whole seconds"),
        (20260105, "a datetime or a string"),
    ],
)
def test_start_time_must_be_a_real_local_date_and_time(start, fragment):
    stack = new_stack()
    with pytest.raises(ValidationError, match=rf"start_time .* is not allowed: {fragment}"):
        rotation(stack, start_time=start)


@pytest.mark.parametrize("hand_off", ["24:00", "9:60", "0900", "09:00:00", "9h00", ""])
def test_hand_off_time_must_be_hh_mm(hand_off):
    stack = new_stack()
    with pytest.raises(ValidationError, match=r"recurrence hand_off_time .* is not allowed"):
        rotation(stack, recurrence=RotationRecurrence.daily(hand_off_time=hand_off))


@pytest.mark.parametrize("day", ["MONDAY", "mon", "", None])
def test_day_of_week_must_be_mon_to_sun(day):
    stack = new_stack()
    with pytest.raises(ValidationError, match=r"recurrence day_of_week .* one of MON, TUE"):
        rotation(stack, recurrence=RotationRecurrence.weekly(day_of_week=day, hand_off_time="09:00"))


@pytest.mark.parametrize("day", [0, 32, "1"])
def test_day_of_month_must_be_1_to_31(day):
    stack = new_stack()
    with pytest.raises(ValidationError, match=r"recurrence day_of_month"):
        rotation(stack, recurrence=RotationRecurrence.monthly(day_of_month=day, hand_off_time="09:00"))


def test_recurrence_must_be_a_rotation_recurrence():
    stack = new_stack()
    with pytest.raises(ValidationError, match=r"recurrence 'weekly' is not allowed: a RotationRecurrence"):
        rotation(stack, recurrence="weekly")


@pytest.mark.parametrize(
    "windows, fragment",
    [
        ([ShiftCoverage("MON", "09:00", "09:29")], "at least 30 minutes"),
        ([ShiftCoverage("MON", "17:00", "09:00")], "end must be later than the start"),
        ([ShiftCoverage("MON", "09:00", "09:00")], "end must be later than the start"),
        (
            [ShiftCoverage("MON", "09:00", "12:00"), ShiftCoverage("MON", "11:00", "13:00")],
            r"must not overlap \(it overlaps MON 09:00-12:00\)",
        ),
        ([ShiftCoverage("MONDAY", "09:00", "12:00")], "one of MON"),
        ([ShiftCoverage("MON", "9am", "12:00")], "H:MM or HH:MM"),
        ([], "at least one window"),
    ],
)
def test_shift_coverage_windows_are_checked(windows, fragment):
    stack = new_stack()
    with pytest.raises(ValidationError, match=rf"shift_coverage.*{fragment}"):
        rotation(stack, shift_coverage=windows)


def test_touching_windows_and_same_times_on_other_days_are_fine():
    stack = new_stack()
    rot = rotation(
        stack,
        shift_coverage=[
            ShiftCoverage("MON", "09:00", "12:00"),
            ShiftCoverage("MON", "12:00", "12:30"),
            ShiftCoverage("TUE", "09:00", "12:00"),
        ],
    )
    assert len(rot.shift_coverage) == 3


def test_contacts_must_number_1_to_30():
    stack = new_stack()
    with pytest.raises(ValidationError, match=r"contacts '0 item\(s\)'.*between 1 and 30"):
        rotation(stack, contacts=[])
    stack = new_stack()
    many = [Contact(stack, f"P{i}", alias=f"p{i}") for i in range(31)]
    with pytest.raises(ValidationError, match=r"contacts '31 item\(s\)'.*between 1 and 30"):
        rotation(stack, contacts=many)
    stack = new_stack()
    thirty = [Contact(stack, f"P{i}", alias=f"p{i}") for i in range(30)]
    assert len(rotation(stack, contacts=thirty).contacts) == 30


def test_contacts_must_be_unique():
    stack = new_stack()
    a, b = people(stack, "A", "B")
    with pytest.raises(ValidationError, match=r"contacts 'a'.*at most once"):
        rotation(stack, contacts=[a, b, a])
    stack = new_stack()
    a = Contact(stack, "A", alias="a")
    again = Contact.from_contact_alias(stack, "AAgain", "a")
    with pytest.raises(ValidationError, match=r"contacts 'a'.*at most once"):
        rotation(stack, contacts=[a, again])


def test_contacts_must_be_personal():
    stack = new_stack()
    a = Contact(stack, "A", alias="a")
    plan = EscalationPlan(stack, "Esc", alias="esc", stages=[EscalationStage(contacts=[a])])
    with pytest.raises(ValidationError, match=r"contacts 'esc'.*personal contacts only \(this one is ESCALATION\)"):
        rotation(stack, contacts=[a, plan])
    stack = new_stack()
    with pytest.raises(ValidationError, match=r"contacts 'al\*\*\*@example.com'.*a contact"):  # masked
        rotation(stack, contacts=["alice@example.com"])


@pytest.mark.parametrize("name", ["web-primary", "web primary", "x" * 256, ""])
def test_rotation_name_pattern(name):
    stack = new_stack()
    with pytest.raises(ValidationError, match=r"rotation_name"):
        rotation(stack, rotation_name=name)


def test_rotation_name_is_unique_in_the_app():
    stack = new_stack()
    a = Contact(stack, "A", alias="a")
    Rotation(
        stack,
        "One",
        rotation_name="primary",
        contacts=[a],
        start_time="2026-01-05T09:00:00",
        time_zone="UTC",
        recurrence=RotationRecurrence.daily(hand_off_time="09:00"),
    )
    with pytest.raises(
        ValidationError, match=r"TestStack/Two \(Rotation\): rotation_name 'primary'.*TestStack/One already uses it"
    ):
        Rotation(
            stack,
            "Two",
            rotation_name="primary",
            contacts=[a],
            start_time="2026-01-05T09:00:00",
            time_zone="UTC",
            recurrence=RotationRecurrence.daily(hand_off_time="09:00"),
        )


@pytest.mark.parametrize(
    "value, fragment",
    [(0, "at least 1"), (4, r"at most the number of contacts in the rotation \(3\)"), (1.5, "whole number")],
)
def test_number_of_on_calls(value, fragment):
    stack = new_stack()
    with pytest.raises(ValidationError, match=rf"number_of_on_calls .*{fragment}"):
        rotation(stack, number_of_on_calls=value)


@pytest.mark.parametrize("value", [0, 101])
def test_recurrence_multiplier_is_1_to_100(value):
    stack = new_stack()
    with pytest.raises(ValidationError, match=r"recurrence_multiplier .*at least 1 and at most 100"):
        rotation(stack, recurrence_multiplier=value)
    assert rotation(new_stack(), recurrence_multiplier=100).recurrence_multiplier == 100


def test_tokens_pass_unchecked():
    stack = new_stack()
    rotation(
        stack,
        rotation_name=cdk.Fn.import_value("RotationName"),
        time_zone=cdk.Fn.import_value("RotationTimeZone"),
        start_time=cdk.Fn.import_value("RotationStart"),
    )
    (res,) = resources_of(stack, "AWS::SSMContacts::Rotation").values()
    assert res["Properties"]["TimeZoneId"] == {"Fn::ImportValue": "RotationTimeZone"}
    assert res["Properties"]["StartTime"] == {"Fn::ImportValue": "RotationStart"}


def test_who_is_on_call_agrees_with_shifts_at_any_moment():
    """Property: at any instant, who_is_on_call equals the contacts of the shift containing it,
    for a rotation with a DST change, coverage windows, two on call and a multiplier."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    stack = new_stack()
    rot = rotation(
        stack,
        contacts=people(stack, "A", "B", "C", "D", "E"),
        start_time=datetime(2026, 2, 25, 22, 15),
        recurrence=RotationRecurrence.daily(hand_off_time="01:30"),
        number_of_on_calls=2,
        recurrence_multiplier=3,
        shift_coverage=[
            ShiftCoverage("SUN", "00:30", "04:00"),
            ShiftCoverage("MON", "01:00", "02:00"),
            ShiftCoverage("MON", "02:00", "23:59"),
            ShiftCoverage("WED", "08:00", "12:00"),
        ],
    )
    begin, end = datetime(2026, 2, 20, tzinfo=UTC), datetime(2026, 4, 20, tzinfo=UTC)
    shifts = rot.shifts(start=begin, end=end)
    assert len(shifts) > 10

    @settings(max_examples=300, deadline=None)
    @given(st.integers(min_value=0, max_value=int((end - begin).total_seconds()) - 1))
    def check(offset):
        moment = begin + timedelta(seconds=offset)
        expected = [s.contacts for s in shifts if s.start <= moment < s.end]
        assert len(expected) <= 1
        assert names(rot.who_is_on_call(at=moment)) == (names(expected[0]) if expected else [])

    check()


def test_a_rotation_takes_tags_checked_against_the_rotation_s_rules():
    from incident_constructs import Contact, Rotation, RotationRecurrence, ValidationError

    stack = new_stack()
    alice = Contact(stack, "Alice", alias="alice")
    rotation = Rotation(
        stack,
        "Primary",
        rotation_name="primary",
        contacts=[alice],
        start_time="2026-01-05T09:00:00",
        time_zone="UTC",
        recurrence=RotationRecurrence.daily(hand_off_time="09:00"),
        tags={"team": "web", "cost-centre": "42"},
    )
    assert rotation.node.default_child is not None
    (resource,) = resources_of(stack, "AWS::SSMContacts::Rotation").values()
    assert resource["Properties"]["Tags"] == [{"Key": "cost-centre", "Value": "42"}, {"Key": "team", "Value": "web"}]
    with pytest.raises(ValidationError, match="tags key 'cost center'"):
        Rotation(
            stack,
            "Other",
            rotation_name="other",
            contacts=[alice],
            start_time="2026-01-05T09:00:00",
            time_zone="UTC",
            recurrence=RotationRecurrence.daily(hand_off_time="09:00"),
            tags={"cost center": "42"},
        )
