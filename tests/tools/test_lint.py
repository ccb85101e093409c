"""``incident-constructs lint``: a schedule with a known gap, worked out by hand, and exit codes for CI."""

from __future__ import annotations

import functools
import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aws_cdk as cdk
import pytest
from click.testing import CliRunner
from support.assemblies import example_assembly

from incident_constructs import Contact, EscalationPlan, EscalationStage, Impact, OnCallSchedule, ResponsePlan
from incident_constructs.contacts.rotation import (
    NOW_CONTEXT,
    Rotation,
    RotationOverride,
    RotationRecurrence,
    ShiftCoverage,
)
from incident_constructs.tools.assembly import load_assembly
from incident_constructs.tools.cli import cli
from incident_constructs.tools.lint import BUSINESS_HOURS, lint

UTC = ZoneInfo("UTC")
AT = "2026-01-12T00:00Z"
ENV = cdk.Environment(account="111122223333", region="us-east-1")
WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI")


def _gappy(outdir: Path) -> Path:
    """A day-time schedule (Monday to Friday 09:00-17:00 UTC, alice and bob weekly), engaged by
    an escalation plan's first stage and directly by a response plan; dave, whom nothing engages
    yet, has no channel; an override ended on 2026-01-06."""
    app = cdk.App(
        outdir=str(outdir), context={NOW_CONTEXT: "2026-01-01T00:00:00Z"}, builtin_cloud_formation_validation=False
    )
    stack = cdk.Stack(app, "Gappy", env=ENV)
    alice, bob, _dave = (Contact(stack, n.title(), alias=n) for n in ("alice", "bob", "dave"))
    alice.add_email_channel("alice email", "alice@example.com")
    bob.add_email_channel("bob email", "bob@example.com")
    day = Rotation(
        stack,
        "Day",
        rotation_name="day",
        contacts=[alice, bob],
        start_time=datetime(2026, 1, 5, 9, 0),
        time_zone="UTC",
        recurrence=RotationRecurrence.weekly(day_of_week="MON", hand_off_time="09:00"),
        shift_coverage=[ShiftCoverage(day_of_week=d, start="09:00", end="17:00") for d in WEEKDAYS],
        overrides=[RotationOverride(datetime(2026, 1, 6, 9, tzinfo=UTC), datetime(2026, 1, 6, 10, tzinfo=UTC), [bob])],
    )
    schedule = OnCallSchedule(stack, "DayOnCall", alias="day-oncall", rotations=[day])
    escalation = EscalationPlan(
        stack,
        "Escalate",
        alias="escalate",
        stages=[
            EscalationStage(contacts=[schedule], duration=cdk.Duration.minutes(5)),
            EscalationStage(contacts=[alice], duration=cdk.Duration.minutes(5)),
        ],
    )
    ResponsePlan(
        stack, "Direct", response_plan_name="Direct", title="direct", impact=Impact.LOW, engagements=[schedule]
    )
    ResponsePlan(stack, "Full", response_plan_name="Full", title="full", impact=Impact.LOW, engagements=[escalation])
    app.synth()
    return outdir


def _alone(outdir: Path) -> Path:
    """Around the clock, one person: no error, one warning (she carries every hour)."""
    app = cdk.App(outdir=str(outdir), builtin_cloud_formation_validation=False)
    stack = cdk.Stack(app, "Alone", env=ENV)
    erin = Contact(stack, "Erin", alias="erin")
    erin.add_sms_channel("erin phone", "+12065550150")
    rotation = Rotation(
        stack,
        "Solo",
        rotation_name="solo",
        contacts=[erin],
        start_time=datetime(2026, 1, 5, 9, 0),
        time_zone="Europe/Paris",
        recurrence=RotationRecurrence.daily(hand_off_time="09:00"),
    )
    OnCallSchedule(stack, "SoloOnCall", alias="solo-oncall", rotations=[rotation])
    app.synth()
    return outdir


@functools.cache
def assemblies(root: str) -> dict[str, Path]:
    return {"gappy": _gappy(Path(root) / "gappy"), "alone": _alone(Path(root) / "alone")}


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return assemblies(str(tmp_path_factory.mktemp("lint")))


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


def test_a_schedule_with_a_known_gap_worked_out_by_hand(paths: dict[str, Path]) -> None:
    # From Mon 2026-01-12 00:00 UTC for one week, the schedule is on call Monday to Friday
    # 09:00-17:00: 40 of 168 hours. Against 24x7 the gaps are Monday 00:00-09:00 (9 h), four
    # nights 17:00-09:00 (16 h each) and Friday 17:00 to Monday 00:00 (55 h): 128 hours.
    report = lint(load_assembly(paths["gappy"]), start=datetime(2026, 1, 12, tzinfo=UTC), weeks=1)
    gaps = [f for f in report.findings if f.code == "coverage-gap"]
    assert [(g.subject, g.start.isoformat(), g.end.isoformat(), g.hours) for g in gaps] == [  # type: ignore[union-attr]
        ("day-oncall", "2026-01-12T00:00:00+00:00", "2026-01-12T09:00:00+00:00", 9.0),
        ("day-oncall", "2026-01-12T17:00:00+00:00", "2026-01-13T09:00:00+00:00", 16.0),
        ("day-oncall", "2026-01-13T17:00:00+00:00", "2026-01-14T09:00:00+00:00", 16.0),
        ("day-oncall", "2026-01-14T17:00:00+00:00", "2026-01-15T09:00:00+00:00", 16.0),
        ("day-oncall", "2026-01-15T17:00:00+00:00", "2026-01-16T09:00:00+00:00", 16.0),
        ("day-oncall", "2026-01-16T17:00:00+00:00", "2026-01-19T00:00:00+00:00", 55.0),
    ]
    assert gaps[0].message == "nobody on call from Mon 2026-01-12 00:00 UTC to Mon 2026-01-12 09:00 UTC (9.0 h)"
    others = [(f.severity, f.code, f.subject, f.message) for f in report.findings if f.code != "coverage-gap"]
    assert others == [
        (
            "error",
            "silent-stage",
            "escalate",
            "stage 1 of 2 engages nobody from Mon 2026-01-12 00:00 UTC to Mon 2026-01-12 09:00 UTC; "
            "6 such stretches, 128.0 h in all",
        ),
        (
            "error",
            "silent-stage",
            "Direct",
            "the response plan engages nobody from Mon 2026-01-12 00:00 UTC to Mon 2026-01-12 09:00 UTC; "
            "6 such stretches, 128.0 h in all",
        ),
        ("error", "no-channels", "dave", "has no contact channel: nothing can reach them"),
        (
            "warning",
            "ended-override",
            "day",
            "the override from Tue 2026-01-06 09:00 UTC to Tue 2026-01-06 10:00 UTC (bob) has ended: "
            "remove it from the code",
        ),
        # Week 1 (from Mon Jan 12 09:00) is bob's: he carries all 40 hours.
        ("warning", "heavy-load", "day-oncall", "bob is on call 40.0 h of 40.0 h (100%, more than 50%)"),
    ]
    assert report.exit_code() == 1


def test_business_hours_coverage_has_no_gap(paths: dict[str, Path]) -> None:
    report = lint(
        load_assembly(paths["gappy"]), start=datetime(2026, 1, 12, tzinfo=UTC), weeks=1, coverage=BUSINESS_HOURS
    )
    assert [f for f in report.findings if f.code == "coverage-gap"] == []


def test_a_coverage_file_asks_for_08_00_to_18_00(paths: dict[str, Path], tmp_path: Path) -> None:
    coverage = tmp_path / "coverage.yaml"
    coverage.write_text(
        "time_zone: UTC\nschedules: [day-oncall]\nwindows:\n  - {days: [MON, TUE, WED, THU, FRI], start: '08:00', end: '18:00'}\n"
    )
    result = run(
        "lint", "--assembly", str(paths["gappy"]), "--at", AT, "--weeks", "1", "--coverage", str(coverage), "--json"
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    gaps = [(f["start"], f["hours"]) for f in data["findings"] if f["code"] == "coverage-gap"]
    # 08:00-09:00 and 17:00-18:00 on each of the five weekdays.
    assert len(gaps) == 10 and all(hours == 1.0 for _, hours in gaps)
    assert gaps[:2] == [("2026-01-12T08:00:00+00:00", 1.0), ("2026-01-12T17:00:00+00:00", 1.0)]
    assert data["coverage"] == "coverage.yaml" and data["errors"] == 13 and data["warnings"] == 2


def test_exit_codes_for_ci(paths: dict[str, Path]) -> None:
    errors = run("lint", "--assembly", str(paths["gappy"]), "--at", AT, "--weeks", "1")
    assert errors.exit_code == 1
    assert errors.stdout.splitlines()[-1] == (
        "9 error(s), 2 warning(s) (24x7 coverage, 2026-01-12 00:00 UTC to 2026-01-19 00:00 UTC)"
    )
    warnings_only = run("lint", "--assembly", str(paths["alone"]), "--at", AT)
    assert warnings_only.exit_code == 0, warnings_only.stdout
    assert warnings_only.stdout.splitlines() == [
        "warning heavy-load solo-oncall: erin is on call 672.0 h of 672.0 h (100%, more than 50%)",
        "0 error(s), 1 warning(s) (24x7 coverage, 2026-01-12 00:00 UTC to 2026-02-09 00:00 UTC)",
    ]
    assert run("lint", "--assembly", str(paths["alone"]), "--at", AT, "--strict").exit_code == 1
    assert run("lint", "--assembly", str(paths["alone"]), "--at", AT, "--max-share", "100").exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--coverage", "nope.yaml"), "cannot read the coverage file nope.yaml"),
        (("--at", "soon"), "--at 'soon': expected an ISO 8601 time"),
    ],
)
def test_input_that_cannot_be_read_exits_with_2(paths: dict[str, Path], args: tuple[str, ...], message: str) -> None:
    result = run("lint", "--assembly", str(paths["alone"]), *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_malformed_coverage_file_exits_with_2(paths: dict[str, Path], tmp_path: Path) -> None:
    coverage = tmp_path / "coverage.yaml"
    coverage.write_text("windows:\n  - {days: [MONDAY], start: '09:00', end: '17:00'}\n")
    result = run("lint", "--assembly", str(paths["alone"]), "--coverage", str(coverage))
    assert result.exit_code == 2
    assert "windows[0].days: a list of MON, TUE, WED, THU, FRI, SAT, SUN" in result.stderr
    missing = run("lint", "--assembly", str(paths["alone"] / "nope"))
    assert missing.exit_code == 2


def test_the_example_app_is_clean() -> None:
    result = run("lint", "--assembly", str(example_assembly()), "--at", "2026-01-07T10:00")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "0 error(s), 0 warning(s) (24x7 coverage, 2026-01-07 10:00 UTC to 2026-02-04 10:00 UTC)"
    ]
