"""The incident simulation against hand-worked timelines.

Each expected timeline below was worked out by hand from the stages written in the stacks of
``tests/support/assemblies.py`` and the rules in the README (The incident-constructs command).
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from support.assemblies import example_assembly, scenario_assembly

from incident_constructs.tools.assembly import AssemblyError, IncidentSetup, load_assembly
from incident_constructs.tools.timeline import Timeline, parse_ack, simulate

WEDNESDAY = datetime(2025, 1, 8, 10, 0, tzinfo=timezone.utc)  # alice's first week on call
# In the example app at this moment: web_primary puts incident-responder on call (week 1, Los
# Angeles), web_follow_the_sun_emea sr-incident-responder (London, inside 08:00-16:00), and
# web_follow_the_sun_amer nobody (02:00 in Los Angeles, outside its coverage).
EXAMPLE_START = datetime(2026, 1, 7, 10, 0, tzinfo=timezone.utc)
NEXT_WEDNESDAY = datetime(2025, 1, 15, 10, 0, tzinfo=timezone.utc)  # bob's week


@pytest.fixture(scope="module")
def example() -> IncidentSetup:
    return load_assembly(example_assembly())


@pytest.fixture(scope="module")
def scenarios() -> IncidentSetup:
    return load_assembly(scenario_assembly())


def pages(timeline: Timeline) -> list[tuple[int, str, str, int]]:
    """(minute, contact, channel type, attempt) of every page, in time order."""
    return [(e.minute, e.contact, e.channel_type, e.attempt) for e in timeline.events if e.kind == "page"]


def stages(timeline: Timeline) -> list[tuple[int, str, str]]:
    return [(e.minute, e.contact, e.detail.split(" begins")[0]) for e in timeline.events if e.kind == "stage"]


def engaged(timeline: Timeline) -> list[tuple[int, str]]:
    return [(e.minute, e.contact) for e in timeline.events if e.kind == "engage"]


# -- the example app: the blog scenario -------------------------------------------------------


def test_example_without_acknowledgement_follows_the_hand_worked_timeline(example: IncidentSetup) -> None:
    timeline = simulate(example, "EC2HighCPU", start=EXAMPLE_START, minutes=10)
    assert stages(timeline) == [
        (0, "app-escalation-plan", "stage 1 of 3"),
        (5, "app-escalation-plan", "stage 2 of 3"),
        (10, "app-escalation-plan", "stage 3 of 3"),
    ]
    assert engaged(timeline) == [
        (0, "app-escalation-plan"),
        (0, "incident-responder"),
        (5, "sr-incident-responder"),
        (10, "web-oncall"),
        (10, "incident-responder"),  # on call in web_primary: engaged a second time
        (10, "sr-incident-responder"),  # on call in web_follow_the_sun_emea
    ]
    assert [e.detail for e in timeline.events if e.kind == "oncall"] == [
        "rotation web_primary: incident-responder on call at 2026-01-07 10:10 UTC",
        "rotation web_follow_the_sun_emea: sr-incident-responder on call at 2026-01-07 10:10 UTC",
        "rotation web_follow_the_sun_amer: nobody on call at 2026-01-07 10:10 UTC",
    ]
    assert sorted(pages(timeline)) == sorted(
        [
            (0, "incident-responder", "EMAIL", 0),
            (5, "incident-responder", "EMAIL", 1),  # retried every 5 minutes
            (5, "sr-incident-responder", "EMAIL", 0),  # stage 2 engages sr, email at +0
            (10, "incident-responder", "SMS", 0),  # the SMS 10 minutes after engagement
            (10, "incident-responder", "EMAIL", 2),
            (10, "sr-incident-responder", "VOICE", 0),  # voice 5 minutes after sr's engagement
            (10, "sr-incident-responder", "EMAIL", 1),
            (10, "incident-responder", "EMAIL", 0),  # the engagements through web-oncall start afresh
            (10, "sr-incident-responder", "EMAIL", 0),
        ]
    )


def test_example_acknowledged_at_minute_3_never_reaches_stage_2_nor_the_sms(example: IncidentSetup) -> None:
    timeline = simulate(example, "EC2HighCPU", start=EXAMPLE_START, minutes=30, acks={"incident-responder": 3})
    assert pages(timeline) == [(0, "incident-responder", "EMAIL", 0)]
    assert stages(timeline) == [(0, "app-escalation-plan", "stage 1 of 3")]
    assert "sr-incident-responder" not in {e.contact for e in timeline.events}
    stops = [(e.minute, e.contact) for e in timeline.events if e.kind == "stop"]
    assert stops == [(3, "incident-responder"), (3, "app-escalation-plan")]
    assert max(e.minute for e in timeline.events) == 3


def test_acknowledgement_comes_after_what_happens_in_the_same_minute(example: IncidentSetup) -> None:
    timeline = simulate(example, "EC2HighCPU", start=EXAMPLE_START, minutes=12, acks={"incident-responder": 5})
    assert (5, "app-escalation-plan", "stage 2 of 3") in stages(timeline)
    assert (5, "incident-responder", "EMAIL", 1) in pages(timeline)
    # incident-responder's own plan stopped at 5: no SMS at 10, and no stage 3; sr's plan goes on.
    assert [p for p in pages(timeline) if p[0] > 5] == [
        (10, "sr-incident-responder", "VOICE", 0),
        (10, "sr-incident-responder", "EMAIL", 1),
    ]
    assert "web-oncall" not in {c for _, c in engaged(timeline)}


def test_example_stage_3_engages_nobody_when_nobody_is_on_call(example: IncidentSetup) -> None:
    # Sunday 2026-01-04: before every rotation's first shift.
    timeline = simulate(example, "EC2HighCPU", start=datetime(2026, 1, 4, 12, 0, tzinfo=timezone.utc), minutes=10)
    assert engaged(timeline)[-1] == (10, "web-oncall")
    assert any(
        e.kind == "note" and e.contact == "web-oncall" and "nobody is on call" in e.detail for e in timeline.events
    )


def test_minutes_bounds_the_timeline(example: IncidentSetup) -> None:
    timeline = simulate(example, "EC2HighCPU", start=EXAMPLE_START, minutes=4)
    assert max(e.minute for e in timeline.events) == 0
    assert pages(timeline) == [(0, "incident-responder", "EMAIL", 0)]


def test_addresses_are_masked_in_every_event(example: IncidentSetup) -> None:
    timeline = simulate(example, "EC2HighCPU", start=EXAMPLE_START, minutes=30)
    text = "\n".join(e.detail for e in timeline.events)
    assert "re***@example.com" in text and "+1206*****00" in text
    for address in ("responder@example.com", "sr-responder@example.com", "+12065550100", "+12065550101"):
        assert address not in text


def test_unknown_response_plan_names_the_known_ones(example: IncidentSetup) -> None:
    with pytest.raises(AssemblyError, match=r"no response plan named 'EC2LowCPU'.*EC2HighCPU"):
        simulate(example, "EC2LowCPU", start=WEDNESDAY)


def test_acknowledgement_by_an_unknown_contact_is_refused(example: IncidentSetup) -> None:
    with pytest.raises(AssemblyError, match=r"no contact 'nobody'.*incident-responder"):
        simulate(example, "EC2HighCPU", start=WEDNESDAY, acks={"nobody": 3})


@pytest.mark.parametrize("text", ["incident-responder", "incident-responder@", "@3", "incident-responder@soon", "x@-1"])
def test_ack_needs_contact_at_minute(text: str) -> None:
    with pytest.raises(ValueError, match="expected CONTACT@MINUTE"):
        parse_ack(text)


def test_ack_parses_an_alias_with_an_at_sign_free_minute() -> None:
    assert parse_ack("sr-incident-responder@12") == ("sr-incident-responder", 12)


# -- the scenario stack -------------------------------------------------------------------------


def test_acknowledgement_without_stopping_progression_lets_later_stages_begin(scenarios: IncidentSetup) -> None:
    timeline = simulate(scenarios, "Soft", start=WEDNESDAY, minutes=12, acks={"alice": 2})
    assert pages(timeline) == [
        (0, "alice", "EMAIL", 0),
        (5, "carol", "EMAIL", 0),  # stage 2 still begins
        (10, "carol", "EMAIL", 1),
    ]  # alice's SMS at 10 and her email retries are stopped by her own acknowledgement
    notes = [e.detail for e in timeline.events if e.kind == "note"]
    assert any("does not stop progression" in n for n in notes)


def test_on_call_schedule_engages_whoever_is_on_call_at_the_start(scenarios: IncidentSetup) -> None:
    first = simulate(scenarios, "OnCall", start=WEDNESDAY, minutes=0)
    second = simulate(scenarios, "OnCall", start=NEXT_WEDNESDAY, minutes=0)
    assert engaged(first) == [(0, "oncall-plan"), (0, "primary-schedule"), (0, "alice")]
    assert engaged(second) == [(0, "oncall-plan"), (0, "primary-schedule"), (0, "bob")]
    assert [e.detail for e in first.events if e.kind == "oncall"] == [
        "rotation primary: alice on call at 2025-01-08 10:00 UTC"
    ]


def test_on_call_hand_off_is_at_local_time_of_the_rotation(scenarios: IncidentSetup) -> None:
    # Monday 2025-01-13 09:00 in Berlin is 08:00 UTC: bob from then on.
    before = simulate(scenarios, "OnCall", start=datetime(2025, 1, 13, 7, 59, tzinfo=timezone.utc), minutes=0)
    after = simulate(scenarios, "OnCall", start=datetime(2025, 1, 13, 8, 0, tzinfo=timezone.utc), minutes=0)
    assert engaged(before)[-1] == (0, "alice")
    assert engaged(after)[-1] == (0, "bob")


def test_before_the_rotation_starts_nobody_is_engaged_and_the_plan_moves_on(scenarios: IncidentSetup) -> None:
    timeline = simulate(scenarios, "OnCall", start=datetime(2025, 1, 1, tzinfo=timezone.utc), minutes=10)
    assert engaged(timeline) == [(0, "oncall-plan"), (0, "primary-schedule"), (10, "carol")]
    assert any(e.kind == "note" and "nobody is on call" in e.detail for e in timeline.events)


def test_acknowledgement_by_the_person_on_call_stops_the_plan_above_the_schedule(scenarios: IncidentSetup) -> None:
    timeline = simulate(scenarios, "OnCall", start=WEDNESDAY, minutes=20, acks={"alice": 4})
    assert pages(timeline) == [(0, "alice", "EMAIL", 0)]
    assert "carol" not in {c for _, c in engaged(timeline)}
    assert (4, "oncall-plan") in [(e.minute, e.contact) for e in timeline.events if e.kind == "stop"]


def test_nested_escalation_plan_runs_its_stages_from_its_own_engagement(scenarios: IncidentSetup) -> None:
    timeline = simulate(scenarios, "Nested", start=WEDNESDAY, minutes=10)
    assert stages(timeline) == [
        (0, "outer-plan", "stage 1 of 2"),
        (0, "inner-plan", "stage 1 of 2"),
        (3, "inner-plan", "stage 2 of 2"),
        (10, "outer-plan", "stage 2 of 2"),
    ]
    # bob's retry interval is 0: one email, never repeated.
    assert [p for p in pages(timeline) if p[1] == "bob"] == [(0, "bob", "EMAIL", 0)]
    assert (3, "alice", "EMAIL", 0) in pages(timeline)
    assert (10, "carol", "EMAIL", 0) in pages(timeline)


def test_essential_acknowledgement_stops_the_nested_plan_and_the_plan_above_it(scenarios: IncidentSetup) -> None:
    timeline = simulate(scenarios, "Nested", start=WEDNESDAY, minutes=20, acks={"bob": 1})
    assert stages(timeline) == [(0, "outer-plan", "stage 1 of 2"), (0, "inner-plan", "stage 1 of 2")]
    assert pages(timeline) == [(0, "bob", "EMAIL", 0)]
    assert [e.contact for e in timeline.events if e.kind == "stop"] == ["bob", "inner-plan", "outer-plan"]


def test_acknowledgement_of_a_non_essential_target_does_not_stop_the_plans_above(scenarios: IncidentSetup) -> None:
    timeline = simulate(scenarios, "Nested", start=WEDNESDAY, minutes=10, acks={"alice": 5})
    assert (10, "outer-plan", "stage 2 of 2") in stages(timeline)
    assert [p for p in pages(timeline) if p[1] == "alice"] == [(3, "alice", "EMAIL", 0)]


def test_acknowledgement_before_being_paged_is_ignored(scenarios: IncidentSetup) -> None:
    timeline = simulate(scenarios, "Nested", start=WEDNESDAY, minutes=10, acks={"alice": 1})
    assert (3, "alice", "EMAIL", 0) in pages(timeline)
    assert (8, "alice", "EMAIL", 1) in pages(timeline)
    assert any(e.kind == "note" and e.contact == "alice" and "ignored" in e.detail for e in timeline.events)
    assert not any(e.kind == "ack" for e in timeline.events)


def test_contacts_outside_the_assembly_are_reported_not_guessed(scenarios: IncidentSetup) -> None:
    timeline = simulate(scenarios, "Mixed", start=WEDNESDAY, minutes=5)
    assert engaged(timeline) == [(0, "carol"), (0, "someone-elsewhere")]
    assert pages(timeline) == [(0, "carol", "EMAIL", 0), (5, "carol", "EMAIL", 1)]
    assert any(e.contact == "someone-elsewhere" and "not in this cloud assembly" in e.detail for e in timeline.events)


def test_scenario_template_passes_cfn_lint() -> None:
    from tests.support.lint import cfn_lint_templates

    assert cfn_lint_templates(sorted(scenario_assembly().glob("*.template.json"))) == []
