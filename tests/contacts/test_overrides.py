"""Rotation overrides: the custom resource, the shifts with overrides (worked out by hand), every
refused override, and the command line reading overrides back from the template."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aws_cdk as cdk
import pytest
from support.lint import cfn_lint_templates
from support.stacks import new_app

from incident_constructs import Contact, EscalationPlan, EscalationStage, ValidationError
from incident_constructs.contacts.rotation import (
    NOW_CONTEXT,
    OVERRIDE_RESOURCE_TYPE,
    Rotation,
    RotationOverride,
    RotationRecurrence,
    ShiftCoverage,
    ShiftType,
    months_after,
)
from incident_constructs.tools.assembly import load_assembly
from incident_constructs.tools.oncall import rotation_on_call_at, rotation_shifts

UTC = ZoneInfo("UTC")
LA = ZoneInfo("America/Los_Angeles")
LONDON = ZoneInfo("Europe/London")
#: "now" for the six-months rule, pinned so that the tests do not depend on the day they run.
NOW = "2026-02-01T00:00:00Z"
ENV = cdk.Environment(account="111122223333", region="us-east-1")


def new_stack(now: str | None = NOW, **kwargs: Any) -> cdk.Stack:
    app = new_app(**({NOW_CONTEXT: now} if now is not None else {}))
    return cdk.Stack(app, "Overrides", env=ENV, **kwargs)


def people(stack: cdk.Stack, *names: str) -> list[Contact]:
    return [Contact(stack, n, alias=n.lower()) for n in names]


def weekly(stack: cdk.Stack, contacts: list[Contact], **kwargs: Any) -> Rotation:
    props: dict[str, Any] = dict(
        rotation_name="web_primary",
        contacts=contacts,
        start_time=datetime(2026, 1, 5, 9, 0),
        time_zone="America/Los_Angeles",
        recurrence=RotationRecurrence.weekly(day_of_week="MON", hand_off_time="09:00"),
    )
    props.update(kwargs)
    return Rotation(stack, "Primary", **props)


def aliases(contacts: Any) -> list[str]:
    return [c.alias for c in contacts]


def table(shifts: Any) -> list[tuple[str, str, list[str], str, list[str]]]:
    return [
        (
            s.start.isoformat(),
            s.end.isoformat(),
            aliases(s.contacts),
            s.shift_type.value,
            aliases(s.overridden_contacts),
        )
        for s in shifts
    ]


def template_of(stack: cdk.Stack) -> dict[str, Any]:
    return cdk.assertions.Template.from_stack(stack).to_json()  # type: ignore[no-any-return]


def resources(template: dict[str, Any], cfn_type: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == cfn_type}


def _placeholder(function: dict[str, Any]) -> str:
    ((name, arg),) = function.items()
    if name == "Fn::GetAtt":
        return f"<<GetAtt:{arg[0]}.{arg[1]}>>"
    return f"<<{name}:{arg}>>"


def sdk_call(value: Any) -> dict[str, Any]:
    """The JSON of an AwsCustomResource call, each CloudFormation function in it written as
    ``<<GetAtt:LogicalId.Arn>>`` (or ``<<Ref:LogicalId>>``)."""
    if isinstance(value, str):
        return json.loads(value)  # type: ignore[no-any-return]
    parts = value["Fn::Join"][1]
    text = "".join(p if isinstance(p, str) else _placeholder(p) for p in parts)
    return json.loads(text)  # type: ignore[no-any-return]


def get_att(logical_id: str) -> str:
    return f"<<GetAtt:{logical_id}.Arn>>"


def logical_id(stack: cdk.Stack, construct: Any) -> str:
    return stack.resolve(construct.node.default_child.logical_id)  # type: ignore[no-any-return]


# -- the custom resource -------------------------------------------------------------------------


def test_an_override_is_a_custom_resource_that_creates_and_deletes_it() -> None:
    stack = new_stack()
    alice, bob, carol = people(stack, "Alice", "Bob", "Carol")
    rotation = weekly(
        stack,
        [alice, bob, carol],
        overrides=[
            RotationOverride(
                start=datetime(2026, 3, 6, 17, 0, tzinfo=LA), end=datetime(2026, 3, 10, 9, 0, tzinfo=LA), contacts=[bob]
            )
        ],
    )
    template = template_of(stack)
    (override_id, override), *others = resources(template, OVERRIDE_RESOURCE_TYPE).items()
    assert others == []
    # The construct id is the start in UTC: removing another override changes no logical id.
    assert override_id.startswith("PrimaryOverride20260307T010000")
    rotation_id, bob_id = logical_id(stack, rotation), logical_id(stack, bob)
    create = sdk_call(override["Properties"]["Create"])
    assert create == {
        "service": "SSMContacts",
        "action": "createRotationOverride",
        "parameters": {
            "RotationId": get_att(rotation_id),
            "NewContactIds": [get_att(bob_id)],
            # 17:00 PST and 09:00 PDT: the daylight saving change is in between.
            "StartTime": "2026-03-07T01:00:00Z",
            "EndTime": "2026-03-10T16:00:00Z",
        },
        "physicalResourceId": {"responsePath": "RotationOverrideId"},
    }
    # A change creates a new override (a new physical id), and CloudFormation deletes the old one.
    assert sdk_call(override["Properties"]["Update"]) == create
    assert sdk_call(override["Properties"]["Delete"]) == {
        "service": "SSMContacts",
        "action": "deleteRotationOverride",
        "parameters": {"RotationId": get_att(rotation_id), "RotationOverrideId": "PHYSICAL:RESOURCEID:"},
    }
    assert override["Properties"]["InstallLatestAwsSdk"] is False
    assert override["DeletionPolicy"] == "Delete"
    assert rotation.override_resources[0].node.id == "Override20260307T010000"


def test_the_override_policy_names_this_rotations_arn_and_never_a_wildcard() -> None:
    stack = new_stack()
    alice, bob = people(stack, "Alice", "Bob")
    rotation = weekly(stack, [alice, bob])
    other = Rotation(
        stack,
        "Other",
        rotation_name="other",
        contacts=[alice, bob],
        start_time=datetime(2026, 1, 5, 9, 0),
        time_zone="UTC",
        recurrence=RotationRecurrence.daily(hand_off_time="09:00"),
    )
    rotation.add_override(RotationOverride(datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 2, tzinfo=UTC), [bob]))
    other.add_override(RotationOverride(datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 2, tzinfo=UTC), [alice]))
    template = template_of(stack)
    policies = resources(template, "AWS::IAM::Policy")
    statements = {
        name: policy["Properties"]["PolicyDocument"]["Statement"]
        for name, policy in policies.items()
        if "CustomResourcePolicy" in name
    }
    assert len(statements) == 2
    for name, found in statements.items():
        owner = "Primary" if name.startswith("Primary") else "Other"
        target = logical_id(stack, rotation if owner == "Primary" else other)
        assert found == [
            {
                "Action": ["ssm-contacts:CreateRotationOverride", "ssm-contacts:DeleteRotationOverride"],
                "Effect": "Allow",
                "Resource": {"Fn::GetAtt": [target, "Arn"]},
            }
        ]
    # Nothing in the stack lets the custom resources' function act on every resource.
    text = json.dumps(policies)
    assert '"Resource": "*"' not in text
    # Each override waits for its policy.
    for override in resources(template, OVERRIDE_RESOURCE_TYPE).values():
        assert any("CustomResourcePolicy" in d for d in override["DependsOn"])


def test_a_stack_with_overrides_is_cfn_lint_clean(tmp_path: Path) -> None:
    app = cdk.App(outdir=str(tmp_path), context={NOW_CONTEXT: NOW}, builtin_cloud_formation_validation=False)
    stack = cdk.Stack(app, "Overrides", env=ENV)
    alice, bob, carol = people(stack, "Alice", "Bob", "Carol")
    weekly(
        stack,
        [alice, bob, carol],
        overrides=[
            RotationOverride(datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 2, tzinfo=UTC), [bob]),
            RotationOverride(datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 3, tzinfo=UTC), []),
        ],
    )
    assembly = app.synth()
    assert cfn_lint_templates([Path(assembly.get_stack_by_name("Overrides").template_full_path)]) == []


def test_the_template_does_not_depend_on_the_time_of_synthesis() -> None:
    def synth(now: str) -> dict[str, Any]:
        stack = new_stack(now)
        alice, bob = people(stack, "Alice", "Bob")
        weekly(
            stack,
            [alice, bob],
            overrides=[RotationOverride(datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 2, tzinfo=UTC), [bob])],
        )
        return template_of(stack)

    # One synthesis before the override, one after it ended: the same template.
    assert synth("2026-01-01T00:00:00Z") == synth("2027-06-01T00:00:00Z")


def test_an_override_that_has_ended_stays_until_it_is_removed() -> None:
    stack = new_stack("2027-06-01T00:00:00Z")
    alice, bob = people(stack, "Alice", "Bob")
    rotation = weekly(
        stack,
        [alice, bob],
        overrides=[RotationOverride(datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 2, tzinfo=UTC), [bob])],
    )
    assert len(resources(template_of(stack), OVERRIDE_RESOURCE_TYPE)) == 1
    assert aliases(rotation.overrides[0].contacts) == ["bob"]


def test_without_the_context_value_now_is_the_clock() -> None:
    stack = new_stack(None)
    alice, bob = people(stack, "Alice", "Bob")
    rotation = weekly(stack, [alice, bob])
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    rotation.add_override(RotationOverride(soon, soon + timedelta(hours=1), [bob]))
    with pytest.raises(ValidationError, match="at most 6 months after now"):
        rotation.add_override(RotationOverride(soon + timedelta(days=200), soon + timedelta(days=201), [bob]))


# -- shifts with overrides, worked out by hand ---------------------------------------------------


def test_override_across_the_spring_change_in_los_angeles() -> None:
    # Weekly from Mon 2026-01-05 09:00 PST: alice, bob, carol, alice, ... Week 8 (Mon Mar 2) is
    # carol's, week 9 (Mon Mar 9) alice's. Bob covers from Fri Mar 6 17:00 PST (Mar 7 01:00Z) to
    # Tue Mar 10 09:00 PDT (16:00Z): across the DST change (Sun Mar 8 02:00) and the Monday
    # hand-off (09:00 PDT, 16:00Z). The override is cut at the hand-off: it replaces carol, then
    # alice. Its first part lasts 63 hours (Fri 17:00 to Mon 09:00 is 64 on the wall clock).
    stack = new_stack()
    alice, bob, carol = people(stack, "Alice", "Bob", "Carol")
    rotation = weekly(stack, [alice, bob, carol])
    rotation.add_override(
        RotationOverride(datetime(2026, 3, 6, 17, 0, tzinfo=LA), datetime(2026, 3, 10, 9, 0, tzinfo=LA), [bob])
    )
    shifts = rotation.shifts(start=datetime(2026, 3, 2, tzinfo=LA), end=datetime(2026, 3, 16, tzinfo=LA))
    assert table(shifts) == [
        ("2026-03-02T00:00:00-08:00", "2026-03-02T09:00:00-08:00", ["bob"], "REGULAR", []),
        ("2026-03-02T09:00:00-08:00", "2026-03-06T17:00:00-08:00", ["carol"], "REGULAR", []),
        ("2026-03-06T17:00:00-08:00", "2026-03-09T09:00:00-07:00", ["bob"], "OVERRIDDEN", ["carol"]),
        ("2026-03-09T09:00:00-07:00", "2026-03-10T09:00:00-07:00", ["bob"], "OVERRIDDEN", ["alice"]),
        ("2026-03-10T09:00:00-07:00", "2026-03-16T00:00:00-07:00", ["alice"], "REGULAR", []),
    ]
    overridden = shifts[2]
    assert overridden.end.astimezone(UTC) - overridden.start.astimezone(UTC) == timedelta(hours=63)
    assert aliases(rotation.who_is_on_call(at=datetime(2026, 3, 7, 0, 59, tzinfo=UTC))) == ["carol"]
    assert aliases(rotation.who_is_on_call(at=datetime(2026, 3, 7, 1, 0, tzinfo=UTC))) == ["bob"]
    assert aliases(rotation.who_is_on_call(at=datetime(2026, 3, 10, 15, 59, tzinfo=UTC))) == ["bob"]
    assert aliases(rotation.who_is_on_call(at=datetime(2026, 3, 10, 16, 0, tzinfo=UTC))) == ["alice"]


def test_override_inside_coverage_windows_across_the_spring_change_in_london() -> None:
    # On call 08:00-16:00 London time every day; weekly hand-off Mon 08:00; ana, ben from Mon
    # 2026-01-05: week 11 (Mon Mar 23) is ben's, week 12 (Mon Mar 30) ana's. Clocks go forward
    # on Sun Mar 29 at 01:00 GMT. Ana covers ben's weekend from Saturday noon to Monday noon:
    # the override puts people on call inside the windows only.
    stack = new_stack()
    ana, ben = people(stack, "Ana", "Ben")
    rotation = weekly(
        stack,
        [ana, ben],
        time_zone="Europe/London",
        start_time=datetime(2026, 1, 5, 8, 0),
        recurrence=RotationRecurrence.weekly(day_of_week="MON", hand_off_time="08:00"),
        shift_coverage=[
            ShiftCoverage(day_of_week=d, start="08:00", end="16:00")
            for d in ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
        ],
        overrides=[
            # Sat Mar 28 12:00 GMT to Mon Mar 30 12:00 BST.
            RotationOverride(datetime(2026, 3, 28, 12, tzinfo=LONDON), datetime(2026, 3, 30, 12, tzinfo=LONDON), [ana])
        ],
    )
    shifts = rotation.shifts(start=datetime(2026, 3, 28, tzinfo=LONDON), end=datetime(2026, 3, 31, tzinfo=LONDON))
    assert table(shifts) == [
        ("2026-03-28T08:00:00+00:00", "2026-03-28T12:00:00+00:00", ["ben"], "REGULAR", []),
        ("2026-03-28T12:00:00+00:00", "2026-03-28T16:00:00+00:00", ["ana"], "OVERRIDDEN", ["ben"]),
        # Sunday's window is 08:00-16:00 BST: 07:00-15:00 UTC.
        ("2026-03-29T08:00:00+01:00", "2026-03-29T16:00:00+01:00", ["ana"], "OVERRIDDEN", ["ben"]),
        # Monday: the hand-off at 08:00 BST makes it ana's own turn, still under the override.
        ("2026-03-30T08:00:00+01:00", "2026-03-30T12:00:00+01:00", ["ana"], "OVERRIDDEN", ["ana"]),
        ("2026-03-30T12:00:00+01:00", "2026-03-30T16:00:00+01:00", ["ana"], "REGULAR", []),
    ]
    # The override does not put anybody on call outside the windows.
    assert rotation.who_is_on_call(at=datetime(2026, 3, 28, 20, tzinfo=UTC)) == []
    assert aliases(rotation.who_is_on_call(at=datetime(2026, 3, 29, 7, 0, tzinfo=UTC))) == ["ana"]


def test_an_override_without_contacts_puts_nobody_on_call() -> None:
    stack = new_stack()
    alice, bob = people(stack, "Alice", "Bob")
    rotation = weekly(
        stack,
        [alice, bob],
        time_zone="UTC",
        overrides=[RotationOverride(datetime(2026, 3, 2, 12, tzinfo=UTC), datetime(2026, 3, 2, 13, tzinfo=UTC), [])],
    )
    assert rotation.who_is_on_call(at=datetime(2026, 3, 2, 12, 30, tzinfo=UTC)) == []
    day = rotation.shifts(start=datetime(2026, 3, 2, 11, tzinfo=UTC), end=datetime(2026, 3, 2, 14, tzinfo=UTC))
    # Mon 2026-03-02 09:00 UTC begins week 8 after the start: alice's.
    assert [(s.start.hour, s.end.hour, aliases(s.contacts), s.shift_type) for s in day] == [
        (11, 12, ["alice"], ShiftType.REGULAR),
        (12, 13, [], ShiftType.OVERRIDDEN),
        (13, 14, ["alice"], ShiftType.REGULAR),
    ]


def test_the_command_line_reads_overrides_from_the_template_and_agrees_with_the_construct(tmp_path: Path) -> None:
    app = cdk.App(outdir=str(tmp_path), context={NOW_CONTEXT: NOW}, builtin_cloud_formation_validation=False)
    stack = cdk.Stack(app, "Overrides", env=ENV)
    alice, bob, carol = people(stack, "Alice", "Bob", "Carol")
    rotation = weekly(stack, [alice, bob, carol])
    rotation.add_override(
        RotationOverride(datetime(2026, 3, 6, 17, 0, tzinfo=LA), datetime(2026, 3, 10, 9, 0, tzinfo=LA), [bob])
    )
    rotation.add_override(
        RotationOverride(
            datetime(2026, 3, 12, 0, 0, tzinfo=UTC), datetime(2026, 3, 12, 6, 0, tzinfo=UTC), [carol, alice]
        )
    )
    since, until = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 20, tzinfo=UTC)
    expected = [
        (s.start, s.end, aliases(s.contacts), s.shift_type.value, aliases(s.overridden_contacts))
        for s in rotation.shifts(start=since, end=until)
    ]
    app.synth()
    setup = load_assembly(tmp_path)
    (read,) = setup.rotations.values()
    assert [(o.start, o.end, [setup.label(c) for c in o.contact_ids]) for o in read.overrides] == [
        (datetime(2026, 3, 7, 1, tzinfo=UTC), datetime(2026, 3, 10, 16, tzinfo=UTC), ["bob"]),
        (datetime(2026, 3, 12, 0, tzinfo=UTC), datetime(2026, 3, 12, 6, tzinfo=UTC), ["carol", "alice"]),
    ]
    found = [
        (s.start, s.end, [setup.label(c) for c in s.contacts], s.shift_type, [setup.label(c) for c in s.overridden])
        for s in rotation_shifts(read, since=since, until=until)
    ]
    assert found == expected
    assert [setup.label(c) for c in rotation_on_call_at(read, datetime(2026, 3, 12, 3, tzinfo=UTC))] == [
        "carol",
        "alice",
    ]


# -- refused overrides ------------------------------------------------------------------------------

A = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def refused(build: Any, message: str, *, now: str | None = NOW) -> None:
    stack = new_stack(now)
    alice, bob, carol = people(stack, "Alice", "Bob", "Carol")
    rotation = weekly(stack, [alice, bob])
    with pytest.raises(ValidationError, match=message):
        build(stack, rotation, alice, bob, carol)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        pytest.param(
            lambda s, r, a, b, c: r.add_override(
                RotationOverride(datetime(2026, 3, 2, 12), A + timedelta(hours=1), [b])
            ),
            r"overrides\[0\] start '2026-03-02T12:00:00' is not allowed: a timezone-aware datetime",
            id="naive-start",
        ),
        pytest.param(
            lambda s, r, a, b, c: r.add_override(RotationOverride(A, datetime(2026, 3, 2, 14), [b])),
            r"overrides\[0\] end .* a timezone-aware datetime",
            id="naive-end",
        ),
        pytest.param(
            lambda s, r, a, b, c: r.add_override(RotationOverride("2026-03-02T12:00:00Z", A, [b])),  # type: ignore[arg-type]
            r"overrides\[0\] start '2026-03-02T12:00:00Z' is not allowed: a timezone-aware datetime",
            id="string-start",
        ),
        pytest.param(
            lambda s, r, a, b, c: r.add_override(
                RotationOverride(A.replace(microsecond=5), A + timedelta(hours=1), [b])
            ),
            r"overrides\[0\] start .* whole seconds",
            id="fractions-of-a-second",
        ),
        pytest.param(
            lambda s, r, a, b, c: r.add_override(RotationOverride(A, A - timedelta(hours=1), [b])),
            r"overrides\[0\] end '2026-03-02T11:00:00\+00:00' is not allowed: later than its start",
            id="end-before-start",
        ),
        pytest.param(
            lambda s, r, a, b, c: r.add_override(RotationOverride(A, A, [b])),
            r"later than its start",
            id="end-equals-start",
        ),
        pytest.param(
            lambda s, r, a, b, c: r.add_override(RotationOverride(A, A + timedelta(minutes=29), [b])),
            r"overrides\[0\] '2026-03-02T12:00:00Z to 2026-03-02T12:29:00Z' is not allowed: at least 30 minutes long",
            id="shorter-than-30-minutes",
        ),
        pytest.param(
            lambda s, r, a, b, c: r.add_override(
                RotationOverride(datetime(2026, 7, 31, tzinfo=UTC), datetime(2026, 8, 1, 0, 0, 1, tzinfo=UTC), [b])
            ),
            r"overrides\[0\] end '2026-08-01T00:00:01Z' is not allowed: at most 6 months after now "
            r"\(2026-02-01T00:00:00Z\), so by 2026-08-01T00:00:00Z",
            id="more-than-six-months-ahead",
        ),
        pytest.param(
            lambda s, r, a, b, c: r.add_override(RotationOverride(A, A + timedelta(hours=1), [c])),
            r"overrides\[0\] contacts 'carol' is not allowed: contacts of this rotation only \(alice, bob\)",
            id="not-a-member",
        ),
        pytest.param(
            lambda s, r, a, b, c: r.add_override(
                RotationOverride(A, A + timedelta(hours=1), [Contact.from_contact_alias(s, "Dana", "dana")])
            ),
            r"contacts 'dana' is not allowed: contacts of this rotation only",
            id="imported-non-member",
        ),
        pytest.param(
            lambda s, r, a, b, c: r.add_override(
                RotationOverride(
                    A,
                    A + timedelta(hours=1),
                    [EscalationPlan(s, "Plan", alias="plan", stages=[EscalationStage(contacts=[a])])],
                )
            ),
            r"contacts 'plan' is not allowed: contacts of this rotation only",
            id="escalation-plan",
        ),
        pytest.param(
            lambda s, r, a, b, c: r.add_override(RotationOverride(A, A + timedelta(hours=1), [b, b])),
            r"contacts 'bob' is not allowed: each contact at most once in an override",
            id="duplicate-contact",
        ),
        pytest.param(
            lambda s, r, a, b, c: r.add_override(RotationOverride(A, A + timedelta(hours=1), [b] * 31)),
            r"contacts '31 item\(s\)' is not allowed: between 0 and 30 items",
            id="more-than-30-contacts",
        ),
        pytest.param(
            lambda s, r, a, b, c: r.add_override(RotationOverride(A, A + timedelta(hours=1), "bob")),  # type: ignore[arg-type]
            r"contacts 'bob' is not allowed: a list of contacts of the rotation",
            id="contacts-a-string",
        ),
        pytest.param(
            lambda s, r, a, b, c: r.add_override({"start": A, "end": A, "contacts": [b]}),  # type: ignore[arg-type]
            r"overrides\[0\] .* is not allowed: a RotationOverride",
            id="not-a-rotation-override",
        ),
        pytest.param(
            lambda s, r, a, b, c: [
                r.add_override(RotationOverride(A, A + timedelta(hours=2), [b])),
                r.add_override(RotationOverride(A + timedelta(hours=1), A + timedelta(hours=3), [a])),
            ],
            r"overrides\[1\] '2026-03-02T13:00:00Z to 2026-03-02T15:00:00Z' is not allowed: overrides of one rotation "
            r"must not overlap \(it overlaps the override from 2026-03-02T12:00:00Z to 2026-03-02T14:00:00Z\)",
            id="overlapping",
        ),
    ],
)
def test_refused_override(build: Any, message: str) -> None:
    refused(build, message)


def test_refused_overrides_given_to_the_constructor() -> None:
    stack = new_stack()
    alice, bob = people(stack, "Alice", "Bob")
    with pytest.raises(ValidationError, match=r"overrides\[1\] .* must not overlap"):
        weekly(
            stack,
            [alice, bob],
            overrides=[
                RotationOverride(A, A + timedelta(hours=2), [bob]),
                RotationOverride(A + timedelta(hours=1, minutes=59), A + timedelta(hours=3), [alice]),
            ],
        )
    other = new_stack()
    with pytest.raises(ValidationError, match="overrides .* is not allowed: a list of RotationOverride"):
        weekly(other, people(other, "Eve"), overrides=RotationOverride(A, A, []))  # type: ignore[arg-type]


def test_a_malformed_now_in_the_context_is_refused() -> None:
    refused(
        lambda s, r, a, b, c: r.add_override(RotationOverride(A, A + timedelta(hours=1), [b])),
        r"the context value incident-constructs:now '2026-02-01' is not allowed: an ISO 8601 time with its offset",
        now="2026-02-01",
    )


def test_accepted_edges_of_the_rules() -> None:
    stack = new_stack()
    alice, bob = people(stack, "Alice", "Bob")
    rotation = weekly(stack, [alice, bob])
    # Exactly 30 minutes; back to back (end excluded); exactly six months after now; a member
    # imported again by alias; nobody.
    rotation.add_override(RotationOverride(A, A + timedelta(minutes=30), [bob]))
    rotation.add_override(RotationOverride(A + timedelta(minutes=30), A + timedelta(hours=1), [bob, alice]))
    rotation.add_override(
        RotationOverride(datetime(2026, 7, 31, tzinfo=UTC), datetime(2026, 8, 1, tzinfo=UTC), [alice])
    )
    rotation.add_override(
        RotationOverride(
            datetime(2026, 4, 1, tzinfo=UTC),
            datetime(2026, 4, 2, tzinfo=UTC),
            [Contact.from_contact_alias(stack, "B", "bob")],
        )
    )
    rotation.add_override(RotationOverride(datetime(2026, 5, 1, tzinfo=UTC), datetime(2026, 5, 2, tzinfo=UTC), []))
    assert [aliases(o.contacts) for o in rotation.overrides] == [["bob"], ["bob", "alice"], ["alice"], ["bob"], []]
    ids = sorted(resources(template_of(stack), OVERRIDE_RESOURCE_TYPE))
    assert [re.sub(r"[0-9A-F]{8}$", "", i) for i in ids] == [
        "PrimaryOverride20260302T120000",
        "PrimaryOverride20260302T123000",
        "PrimaryOverride20260401T000000",
        "PrimaryOverride20260501T000000",
        "PrimaryOverride20260731T000000",
    ]


def test_six_months_are_calendar_months() -> None:
    assert months_after(datetime(2026, 8, 31, 12, tzinfo=UTC), 6) == datetime(2027, 2, 28, 12, tzinfo=UTC)
    assert months_after(datetime(2026, 2, 1, tzinfo=UTC), 6) == datetime(2026, 8, 1, tzinfo=UTC)


# -- the command line -----------------------------------------------------------------------------


def test_oncall_shows_overridden_shifts(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from incident_constructs.tools.cli import cli

    app = cdk.App(outdir=str(tmp_path), context={NOW_CONTEXT: NOW}, builtin_cloud_formation_validation=False)
    stack = cdk.Stack(app, "Overrides", env=ENV)
    alice, bob, carol = people(stack, "Alice", "Bob", "Carol")
    weekly(
        stack,
        [alice, bob, carol],
        overrides=[
            RotationOverride(datetime(2026, 3, 6, 17, 0, tzinfo=LA), datetime(2026, 3, 10, 9, 0, tzinfo=LA), [bob])
        ],
    )
    app.synth()
    args = ["oncall", "--assembly", str(tmp_path), "--at", "2026-03-07T12:00Z", "--days", "3"]
    text = CliRunner(env={"COLUMNS": "200"}).invoke(cli, args)
    assert text.exit_code == 0, text.stderr
    assert "web_primary  America/Los_Angeles  bob" in text.stdout  # on call now: bob, in the override
    assert "Fri 2026-03-06 17:00 PST" not in text.stdout  # cut at --at
    assert "Sat 2026-03-07 04:00 PST  Mon 2026-03-09 09:00 PDT  bob (override, replaces carol)" in text.stdout
    data = json.loads(CliRunner().invoke(cli, [*args, "--json"]).stdout)
    assert [(s["onCall"], s["type"], s["overridden"]) for s in data["rotations"][0]["shifts"]] == [
        (["bob"], "OVERRIDDEN", ["carol"]),
        (["bob"], "OVERRIDDEN", ["alice"]),
    ]


@pytest.mark.parametrize(
    "create",
    [
        "not json",
        json.dumps({"service": "SSM", "action": "createRotationOverride", "parameters": {}}),
        json.dumps({"service": "SSMContacts", "action": "createRotationOverride", "parameters": {"StartTime": "x"}}),
        json.dumps({"service": "SSMContacts", "action": "createRotationOverride", "parameters": []}),
        json.dumps(["a list"]),
        {"Fn::Join": ["-", ["a", "b"]]},
        {"Fn::Join": ["", [{"Ref": "X"}, "}"]]},
        {"Fn::Sub": "x"},
        None,
        12,
    ],
    ids=lambda v: str(v)[:30],
)
def test_custom_resources_that_are_no_override_are_ignored(tmp_path: Path, create: Any) -> None:
    (tmp_path / "manifest.json").write_text(
        json.dumps(
            {
                "version": "55.0.0",
                "artifacts": {"S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "S.json"}}},
            }
        )
    )
    properties = {"ServiceToken": "arn:aws:lambda:us-east-1:111122223333:function:f"}
    if create is not None:
        properties["Create"] = create
    (tmp_path / "S.json").write_text(
        json.dumps({"Resources": {"Weird": {"Type": "Custom::Thing", "Properties": properties}}})
    )
    assert load_assembly(tmp_path).overrides == {}


def test_an_override_of_a_rotation_outside_the_assembly_is_read_but_not_attached(tmp_path: Path) -> None:
    create = {
        "service": "@aws-sdk/client-ssm-contacts",
        "action": "CreateRotationOverrideCommand",
        "parameters": {
            "RotationId": "arn:aws:ssm-contacts:us-east-1:111122223333:rotation/elsewhere",
            "NewContactIds": ["arn:aws:ssm-contacts:us-east-1:111122223333:contact/zoe"],
            "StartTime": 1772409600,
            "EndTime": "2026-03-02T12:00:00",
        },
    }
    (tmp_path / "manifest.json").write_text(
        json.dumps(
            {
                "version": "55.0.0",
                "artifacts": {"S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "S.json"}}},
            }
        )
    )
    (tmp_path / "S.json").write_text(
        json.dumps(
            {
                "Resources": {
                    "Zoe": {"Type": "AWS::CloudFormation::CustomResource", "Properties": {"Create": json.dumps(create)}}
                }
            }
        )
    )
    setup = load_assembly(tmp_path)
    (override,) = setup.overrides.values()
    assert (override.start, override.end) == (datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 2, 12, tzinfo=UTC))
    assert [setup.label(c) for c in override.contact_ids] == ["zoe"]
    assert setup.rotations == {}
