"""One run reports every problem of an organisation file it safely can: the schema's and the
constructs' together, and the construct problems of every section, skipping only the entries
that name an entry that was not built (issue 13, item 3)."""

from __future__ import annotations

from pathlib import Path

from support.organisation import build_error

ALL_KINDS = """\
contacts:
  alice:
    display_name: Alice
    dispaly: typo
    channels:
      - {name: alice mail, email: alice@example.com}
  bob:
    channels:
      - {name: bob mobile, sms: "+1555"}
  carol:
    channels:
      - {name: carol mail, email: carol@example.com}
  dave:
    channels:
      - {name: dave mail, email: dave@example.com}
rotations:
  web_primary:
    contacts: [carol, dave]
    start_time: "2026-01-05T09:00:00"
    time_zone: Europe/London
    number_of_on_calls: 3
    recurrence: {every: day, hand_off_time: "09:00"}
response_plans:
  EC2HighCPU: {title: cpu, impact: medium, engagements: [alice]}
"""


def test_schema_and_construct_problems_in_one_error(tmp_path: Path) -> None:
    error = build_error(tmp_path, ALL_KINDS)
    where = [(p.line, p.column, p.path) for p in error.problems]
    assert where == [
        (4, 5, "contacts.alice.dispaly"),
        (9, 33, "contacts.bob.channels[0].sms"),
        (17, 3, "rotations.web_primary"),
    ], str(error)
    assert "unknown key 'dispaly'" in error.problems[0].message
    assert "phone number" in error.problems[1].message
    assert "number_of_on_calls" in error.problems[2].message
    # The address is masked; the plan naming alice (which was not built) is not reported.
    assert "+1555" not in str(error)
    assert "EC2HighCPU" not in str(error)
    assert str(error).count("\n") == 2


TWO_SECTIONS = """\
contacts:
  alice:
    channels:
      - {name: "alice mail!", email: alice@example.com}
  bob:
    channels:
      - {name: bob mail, email: bob@example.com}
escalation_plans:
  plan:
    stages:
      - {contacts: [bob, alice]}
response_plans:
  EC2HighCPU: {title: cpu, impact: medium, engagements: [bob, nobody]}
"""


def test_construct_problems_of_two_sections_are_reported_together(tmp_path: Path) -> None:
    error = build_error(tmp_path, TWO_SECTIONS)
    where = [(p.line, p.path) for p in error.problems]
    # The plan naming alice (not built) is skipped without a word; the response plan is built
    # and its unknown engagement reported.
    assert where == [
        (4, "contacts.alice.channels[0].name"),
        (13, "response_plans.EC2HighCPU.engagements[1]"),
    ], str(error)
    assert "'nobody' is not one of the contacts" in error.problems[1].message


def test_an_entry_naming_an_entry_that_was_not_built_is_skipped_transitively(tmp_path: Path) -> None:
    error = build_error(
        tmp_path,
        """\
        contacts:
          alice: {display_name: "Alice!"}
        escalation_plans:
          first:
            stages:
              - {contacts: [alice]}
          second:
            stages:
              - {contacts: [first]}
        response_plans:
          EC2HighCPU: {title: cpu, impact: medium, engagements: [second]}
        alarms:
          High-CPU:
            metric: {namespace: AWS/EC2, name: CPUUtilization, statistic: Average, period_minutes: 5}
            threshold: 90
            evaluation_periods: 1
            response_plan: EC2HighCPU
        """,
    )
    assert [p.path for p in error.problems] == ["contacts.alice.display_name"], str(error)


def test_a_section_the_schema_refuses_skips_the_entries_naming_it(tmp_path: Path) -> None:
    """The contacts section is a list: whatever name a rotation or a plan gives may be one of
    them, so those are skipped; an alarm naming no response plan of the file is still reported."""
    error = build_error(
        tmp_path,
        """\
        contacts: [alice]
        rotations:
          web_primary:
            contacts: [alice]
            start_time: "2026-01-05T09:00:00"
            time_zone: Europe/London
            number_of_on_calls: 1
            recurrence: {every: day, hand_off_time: "09:00"}
        response_plans:
          EC2HighCPU: {title: cpu, impact: medium, engagements: [nobody]}
        alarms:
          High-CPU:
            metric: {namespace: AWS/EC2, name: CPUUtilization, statistic: Average, period_minutes: 5}
            threshold: 90
            evaluation_periods: 1
            response_plan: nope
        """,
    )
    assert [(p.line, p.path) for p in error.problems] == [
        (1, "contacts"),
        (16, "alarms.High-CPU.response_plan"),
    ], str(error)
