"""``incident-constructs oncall --ical``: one event per shift, parsed back and compared with the shifts."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aws_cdk as cdk
import pytest
from click.testing import CliRunner
from icalendar import Calendar

from incident_constructs import Contact, OnCallSchedule
from incident_constructs.contacts.rotation import (
    NOW_CONTEXT,
    Rotation,
    RotationOverride,
    RotationRecurrence,
    ShiftCoverage,
)
from incident_constructs.tools.assembly import load_assembly
from incident_constructs.tools.cli import cli
from incident_constructs.tools.ical import PRODID, to_ical
from incident_constructs.tools.oncall import rotation_shifts

UTC = ZoneInfo("UTC")
LA = ZoneInfo("America/Los_Angeles")
LONDON = ZoneInfo("Europe/London")
AT = "2026-03-02T00:00Z"
SINCE = datetime(2026, 3, 2, tzinfo=UTC)


@functools.cache
def assembly(root: str) -> Path:
    """Two rotations: weekly in Los Angeles with an override across the spring change, and
    08:00-16:00 daily in London."""
    outdir = Path(root) / "ical"
    app = cdk.App(
        outdir=str(outdir), context={NOW_CONTEXT: "2026-02-01T00:00:00Z"}, builtin_cloud_formation_validation=False
    )
    stack = cdk.Stack(app, "Calendars", env=cdk.Environment(account="111122223333", region="us-east-1"))
    alice, bob, carol = (Contact(stack, n, alias=n.lower()) for n in ("Alice", "Bob", "Carol"))
    for person in (alice, bob, carol):
        person.add_email_channel(f"{person.alias} email", f"{person.alias}@example.com")
    primary = Rotation(
        stack,
        "Primary",
        rotation_name="primary",
        contacts=[alice, bob, carol],
        start_time=datetime(2026, 1, 5, 9, 0),
        time_zone="America/Los_Angeles",
        recurrence=RotationRecurrence.weekly(day_of_week="MON", hand_off_time="09:00"),
        overrides=[
            RotationOverride(datetime(2026, 3, 6, 17, 0, tzinfo=LA), datetime(2026, 3, 10, 9, 0, tzinfo=LA), [bob])
        ],
    )
    days = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
    europe = Rotation(
        stack,
        "Europe",
        rotation_name="europe",
        contacts=[carol, alice],
        start_time=datetime(2026, 1, 5, 8, 0),
        time_zone="Europe/London",
        recurrence=RotationRecurrence.weekly(day_of_week="MON", hand_off_time="08:00"),
        shift_coverage=[ShiftCoverage(day_of_week=d, start="08:00", end="16:00") for d in days],
    )
    OnCallSchedule(stack, "Schedule", alias="team-oncall", rotations=[primary, europe])
    app.synth()
    return outdir


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return assembly(str(tmp_path_factory.mktemp("assemblies")))


def events(data: bytes) -> list[Any]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


def test_the_calendar_parsed_back_is_the_shifts(out: Path) -> None:
    result = run("oncall", "--ical", "--assembly", str(out), "--at", AT, "--days", "14")
    assert result.exit_code == 0, result.stderr
    data = result.stdout_bytes
    setup = load_assembly(out)
    expected = []
    for rotation in sorted(setup.rotations.values(), key=lambda r: r.name):
        for shift in rotation_shifts(rotation, since=SINCE, until=SINCE + timedelta(days=14), whole=True):
            expected.append(
                (
                    rotation.name,
                    shift.start,
                    shift.end,
                    ", ".join(setup.label(c) for c in shift.contacts),
                    shift.shift_type,
                    rotation.time_zone_id,
                )
            )
    found = [
        (
            str(e["X-INCIDENT-CONSTRUCTS-ROTATION"]),
            e.decoded("dtstart"),
            e.decoded("dtend"),
            str(e["summary"]).split(": ", 1)[1],
            str(e["X-INCIDENT-CONSTRUCTS-SHIFT-TYPE"]),
            e["dtstart"].params["TZID"],
        )
        for e in events(data)
    ]
    assert found == expected
    # 2 weeks of a weekly rotation with an override in the middle, 14 windows in London.
    assert len([f for f in found if f[0] == "primary"]) == 5 and len([f for f in found if f[0] == "europe"]) == 14
    # The same shifts as the construct computes, cut to the period: whole shifts, not cut.
    cut = [
        (s.start, s.end)
        for s in rotation_shifts(
            setup.rotations[next(k for k, r in setup.rotations.items() if r.name == "primary")],
            since=SINCE,
            until=SINCE + timedelta(days=14),
        )
    ]
    whole = [(f[1], f[2]) for f in found if f[0] == "primary"]
    assert [max(s, SINCE) for s, _ in whole] == [max(s, SINCE) for s, _ in cut]
    assert whole[0][0] < SINCE < whole[0][1]


def test_times_keep_their_zone_across_the_daylight_saving_change(out: Path) -> None:
    data = to_ical(load_assembly(out), since=SINCE, until=SINCE + timedelta(days=14))
    primary = [e for e in events(data) if str(e["X-INCIDENT-CONSTRUCTS-ROTATION"]) == "primary"]
    # Worked out by hand (see test_overrides): bob's whole week from Mon Feb 23 09:00 PST, carol,
    # bob in an override that replaces carol then alice (cut at the Monday hand-off, 09:00 PDT),
    # then alice's week to Mon Mar 16 09:00 PDT, whole although the period ends on Mar 16 00:00 UTC.
    assert [(e.decoded("dtstart").isoformat(), e.decoded("dtend").isoformat(), str(e["summary"])) for e in primary] == [
        ("2026-02-23T09:00:00-08:00", "2026-03-02T09:00:00-08:00", "On call (primary): bob"),
        ("2026-03-02T09:00:00-08:00", "2026-03-06T17:00:00-08:00", "On call (primary): carol"),
        ("2026-03-06T17:00:00-08:00", "2026-03-09T09:00:00-07:00", "On call (primary): bob"),
        ("2026-03-09T09:00:00-07:00", "2026-03-10T09:00:00-07:00", "On call (primary): bob"),
        ("2026-03-10T09:00:00-07:00", "2026-03-16T09:00:00-07:00", "On call (primary): alice"),
    ]
    assert [str(e["X-INCIDENT-CONSTRUCTS-SHIFT-TYPE"]) for e in primary] == [
        "REGULAR",
        "REGULAR",
        "OVERRIDDEN",
        "OVERRIDDEN",
        "REGULAR",
    ]
    assert [str(e.get("X-INCIDENT-CONSTRUCTS-OVERRIDDEN", "")) for e in primary] == ["", "", "carol", "alice", ""]
    assert "Override: replaces carol." in str(primary[2]["description"])
    text = data.decode()
    assert "DTSTART;TZID=America/Los_Angeles:20260306T170000" in text
    assert "DTEND;TZID=America/Los_Angeles:20260309T090000" in text
    assert "DTSTART;TZID=Europe/London:20260302T080000" in text


def test_an_events_times_and_uid_do_not_depend_on_the_moment_asked_about(out: Path) -> None:
    setup = load_assembly(out)
    early = events(to_ical(setup, since=SINCE, until=SINCE + timedelta(days=2)))
    later = events(to_ical(setup, since=SINCE + timedelta(hours=30), until=SINCE + timedelta(days=2)))
    first_primary = [e for e in early if str(e["X-INCIDENT-CONSTRUCTS-ROTATION"]) == "primary"][1]
    same = [e for e in later if str(e["uid"]) == str(first_primary["uid"])]
    assert len(same) == 1 and same[0].decoded("dtstart") == first_primary.decoded("dtstart")


def test_the_file_is_rfc_5545_shaped_and_deterministic(out: Path) -> None:
    setup = load_assembly(out)
    data = to_ical(setup, since=SINCE, until=SINCE + timedelta(days=14))
    assert data == to_ical(setup, since=SINCE, until=SINCE + timedelta(days=14))
    calendar = Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["PRODID"]) == PRODID
    lines = data.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-2:] == [b"END:VCALENDAR", b""]
    assert all(len(line) <= 75 for line in lines)  # folded lines
    found = events(data)
    uids = [str(e["uid"]) for e in found]
    assert len(set(uids)) == len(uids)
    for event in found:  # required by RFC 5545 (DTSTAMP, UID) and by calendars (DTSTART)
        assert event.decoded("dtstamp") == SINCE
        assert event.decoded("dtstart") < event.decoded("dtend")
    # Every zone used has its VTIMEZONE.
    assert sorted(str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")) == ["America/Los_Angeles", "Europe/London"]
    assert calendar.get_missing_tzids() == set()


def test_one_contacts_calendar_written_to_a_file(out: Path, tmp_path: Path) -> None:
    target = tmp_path / "bob.ics"
    result = run("oncall", "--ical", "--contact", "bob", "--output", str(target), "--assembly", str(out), "--at", AT)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    found = events(target.read_bytes())
    assert [(e.decoded("dtstart").isoformat(), str(e["summary"])) for e in found] == [
        ("2026-02-23T09:00:00-08:00", "On call (primary): bob"),
        ("2026-03-06T17:00:00-08:00", "On call (primary): bob"),
    ]
    assert str(Calendar.from_ical(target.read_bytes())["X-WR-CALNAME"]) == "On call: bob"


def test_a_period_without_shifts_is_still_a_valid_calendar(out: Path) -> None:
    result = run(
        "oncall", "--ical", "--contact", "bob", "--assembly", str(out), "--at", "2026-01-01T00:00Z", "--days", "2"
    )
    assert result.exit_code == 0, result.stderr
    calendar = Calendar.from_ical(result.stdout_bytes)
    assert list(calendar.walk("VEVENT")) == []
    assert len(calendar.walk("VTIMEZONE")) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--contact", "bob"), "--contact and --output go with --ical"),
        (("--ical", "--json"), "--ical and --json exclude each other"),
        (
            ("--ical", "--contact", "zed"),
            "--contact 'zed': no such contact in the cloud assembly (contacts: alice, bob, carol)",
        ),
    ],
)
def test_wrong_calendar_options_are_one_line_errors(out: Path, args: tuple[str, ...], message: str) -> None:
    result = run("oncall", *args, "--assembly", str(out), "--at", AT)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"incident-constructs: error: {message}"
