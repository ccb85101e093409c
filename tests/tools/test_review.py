"""``incident-constructs review OLD NEW``: a one-line rotation change, its hours worked out by hand."""

from __future__ import annotations

import functools
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aws_cdk as cdk
import pytest
from click.testing import CliRunner

from incident_constructs import Contact, Impact, OnCallSchedule, ResponsePlan
from incident_constructs.contacts.rotation import Rotation, RotationRecurrence
from incident_constructs.tools.cli import cli
from incident_constructs.tools.hours import Hours, hours_in
from incident_constructs.tools.review import review

UTC = ZoneInfo("UTC")
LA = ZoneInfo("America/Los_Angeles")
AT = "2026-01-19T09:00Z"


def _synth(outdir: Path, *, members: tuple[str, ...], alice_alias: str = "alice") -> Path:
    app = cdk.App(outdir=str(outdir), builtin_cloud_formation_validation=False)
    stack = cdk.Stack(app, "Ops", env=cdk.Environment(account="111122223333", region="us-east-1"))
    people = {}
    for name in ("alice", "bob", "carol"):
        alias = alice_alias if name == "alice" else name
        person = Contact(stack, name.title(), alias=alias)
        person.add_email_channel(f"{name} email", f"{name}@example.com")
        people[name] = person
    rotation = Rotation(
        stack,
        "Ops",
        rotation_name="ops",
        contacts=[people[m] for m in members],  # the line the change edits
        start_time=datetime(2026, 1, 5, 9, 0),
        time_zone="UTC",
        recurrence=RotationRecurrence.weekly(day_of_week="MON", hand_off_time="09:00"),
    )
    schedule = OnCallSchedule(stack, "OpsOnCall", alias="ops-oncall", rotations=[rotation])
    ResponsePlan(
        stack, "Outage", response_plan_name="Outage", title="outage", impact=Impact.HIGH, engagements=[schedule]
    )
    app.synth()
    return outdir


@functools.cache
def assemblies(root: str) -> dict[str, Path]:
    base = Path(root)
    return {
        "old": _synth(base / "old", members=("alice", "bob")),
        "new": _synth(base / "new", members=("alice", "bob", "carol")),
        "renamed": _synth(base / "renamed", members=("alice", "bob"), alice_alias="alice-renamed"),
    }


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return assemblies(str(tmp_path_factory.mktemp("review")))


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


def test_adding_a_contact_to_a_rotation_moves_hours_worked_out_by_hand(paths: dict[str, Path]) -> None:
    # Weekly hand-offs on Mondays 09:00 UTC from 2026-01-05: Jan 19 is week 2, Jan 26 week 3.
    # Before ([alice, bob]): week 2 alice, week 3 bob. After ([alice, bob, carol]): week 2 carol
    # (2 mod 3), week 3 alice (3 mod 3 = 0). A week from Monday 09:00 holds 168 hours, of which
    # 7 nights of 22:00-07:00 (63 hours) and Saturday plus Sunday (48 hours).
    result = review(paths["old"], paths["new"], start=datetime(2026, 1, 19, 9, tzinfo=UTC), weeks=2)
    week = Hours(168.0, 63.0, 48.0)
    assert result.hours == {
        "alice": (week, week),
        "bob": (week, Hours()),
        "carol": (Hours(), week),
    }
    assert [(c.rotation, c.start.isoformat(), c.end.isoformat(), c.before, c.after) for c in result.changes] == [
        ("ops", "2026-01-19T09:00:00+00:00", "2026-01-26T09:00:00+00:00", ("alice",), ("carol",)),
        ("ops", "2026-01-26T09:00:00+00:00", "2026-02-02T09:00:00+00:00", ("bob",), ("alice",)),
    ]
    (plan,) = result.plans
    assert plan.name == "Outage" and plan.status == "changed"
    assert "-   0 min  ops-oncall: rotation ops: alice on call at 2026-01-19 09:00 UTC" in plan.lines
    assert "+   0 min  ops-oncall: rotation ops: carol on call at 2026-01-19 09:00 UTC" in plan.lines
    assert "+   0 min  carol: EMAIL 'carol email' to ca***@example.com (via ops-oncall / ops)" in plan.lines
    assert not result.blocking
    assert [(stack, report.blocking) for stack, report in result.guard] == [("Ops", False)]


def test_review_as_text_and_markdown(paths: dict[str, Path]) -> None:
    text = run("review", str(paths["old"]), str(paths["new"]), "--at", AT, "--weeks", "2")
    assert text.exit_code == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0] == "Review of the change, 2026-01-19 09:00 UTC to 2026-02-02 09:00 UTC"
    rows = [line.split() for line in lines if line.split()[:1] in (["alice"], ["bob"], ["carol"])]
    assert rows == [
        ["alice", "168.0", "168.0", "+0.0", "63.0", "63.0", "48.0", "48.0"],
        ["bob", "168.0", "0.0", "-168.0", "63.0", "0.0", "48.0", "0.0"],
        ["carol", "0.0", "168.0", "+168.0", "0.0", "63.0", "0.0", "48.0"],
    ]
    assert "ops       Mon 2026-01-19 09:00 UTC  Mon 2026-01-26 09:00 UTC  alice   carol" in lines
    assert lines[-1] == "The replacement guard does not block this change."

    markdown = run("review", str(paths["old"]), str(paths["new"]), "--at", AT, "--weeks", "2", "--format", "markdown")
    assert markdown.exit_code == 0
    out = markdown.stdout
    assert out.startswith("## On-call review\n")
    assert "| bob | 168.0 | 0.0 | -168.0 | 63.0 | 0.0 | 48.0 | 0.0 |" in out
    assert "| ops | Mon 2026-01-26 09:00 UTC | Mon 2026-02-02 09:00 UTC | bob | alice |" in out
    assert "```diff\n-   0 min  ops-oncall: rotation ops: alice on call at 2026-01-19 09:00 UTC" in out
    assert "alice@example.com" not in out and "ca***@example.com" in out


def test_the_review_blocks_when_the_replacement_guard_does(paths: dict[str, Path]) -> None:
    result = run("review", str(paths["old"]), str(paths["renamed"]), "--at", AT)
    assert result.exit_code == 1
    assert "BLOCKING replace AWS::SSMContacts::Contact" in result.stdout
    assert "Alias changed" in result.stdout
    assert result.stdout.splitlines()[-1] == (
        "The replacement guard blocks this change: on-call data would be replaced or deleted."
    )


def test_the_same_assembly_changes_nothing(paths: dict[str, Path]) -> None:
    result = run("review", str(paths["old"]), str(paths["old"]), "--at", AT)
    assert result.exit_code == 0
    assert "Shifts that change hands\nnone\n" in result.stdout
    assert "Response plan Outage, an incident at 2026-01-19 09:00 UTC: unchanged" in result.stdout


def test_an_assembly_that_cannot_be_read_exits_with_2(paths: dict[str, Path], tmp_path: Path) -> None:
    result = run("review", str(paths["old"]), str(tmp_path / "missing"), "--at", AT)
    assert result.exit_code == 2
    assert result.stderr.startswith("incident-constructs: error: cloud assembly ")
    bad_time = run("review", str(paths["old"]), str(paths["new"]), "--at", "soon")
    assert bad_time.exit_code == 2


def test_night_and_weekend_hours_across_the_spring_change() -> None:
    # Mon Mar 2 09:00 PST to Mon Mar 9 09:00 PDT: 167 hours. The night of Saturday to Sunday
    # (22:00 PST to 07:00 PDT) lasts 8 hours, so 6 x 9 + 8 = 62 night hours; the weekend, from
    # Saturday 00:00 PST to Monday 00:00 PDT, 47 hours.
    hours = hours_in(datetime(2026, 3, 2, 9, tzinfo=LA), datetime(2026, 3, 9, 9, tzinfo=LA), LA)
    assert hours == Hours(167.0, 62.0, 47.0)
