"""TeamStacks: a large organisation spread over shard stacks, placed by a stable hash."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Annotations, Match, Template
from support.stacks import new_app

from incident_constructs import Contact, Impact, ResponsePlan, ValidationError
from incident_constructs.team_stacks import TeamStacks, shard_of, shards_for
from tests.support.lint import cfn_lint_templates


def add_person(scope: cdk.Stack | object, id: str, alias: str) -> Contact:
    contact = Contact(scope, id, alias=alias)  # type: ignore[arg-type]
    contact.add_email_channel("email", f"{alias}@example.com")
    return contact


def test_shard_of_is_a_fixed_function_of_the_name_and_shard_count() -> None:
    # SHA-256 of the name, first 8 bytes, modulo the shard count: the same on every machine.
    assert shard_of("payments", 40) == 0
    assert shard_of("search", 40) == 19
    assert {shard_of(f"team-{i}", 7) for i in range(200)} == set(range(7))


def test_adding_a_team_never_moves_the_others() -> None:
    names = [f"team-{i}" for i in range(60)]
    before = TeamStacks(new_app(), "Org", shards=8)
    after = TeamStacks(new_app(), "Org", shards=8)
    after.stack_for("a-new-team")
    for name in names:
        assert after.stack_for(name).stack_name == before.stack_for(name).stack_name


def test_a_team_gets_one_stack_named_after_its_shard() -> None:
    org = TeamStacks(new_app(), "Org", shards=12)
    stack = org.stack_for("payments")
    assert stack is org.stack_for("payments")
    assert stack.stack_name == f"Org-shard-{shard_of('payments', 12):02d}"
    assert org.teams_in(shard_of("payments", 12)) == ["payments"]
    assert org.stacks == [stack]


def test_a_team_keeps_its_contacts_and_response_plans_together_in_its_stack() -> None:
    org = TeamStacks(new_app(), "Org", shards=4)
    scope = org.scope_for("payments")
    person = add_person(scope, "Lead", "payments-lead")
    ResponsePlan(
        scope, "Outage", response_plan_name="payments-outage", title="outage", impact=Impact.HIGH, engagements=[person]
    )
    template = Template.from_stack(org.stack_for("payments"))
    template.resource_count_is("AWS::SSMContacts::Contact", 1)
    template.has_resource_properties(
        "AWS::SSMIncidents::ResponsePlan",
        {"Engagements": [{"Fn::GetAtt": [Match.string_like_regexp("^paymentsLead"), "Arn"]}]},
    )


def test_placement_pins_a_team_to_a_shard() -> None:
    natural = shard_of("payments", 5)
    pinned = (natural + 1) % 5
    org = TeamStacks(new_app(), "Org", shards=5, placement={"payments": pinned})
    assert org.shard_of("payments") == pinned
    assert org.stack_for("payments").stack_name == f"Org-shard-{pinned:02d}"
    assert org.shard_of("search") == shard_of("search", 5)


def test_engaging_a_contact_of_the_shared_stack_imports_it(tmp_path: Path) -> None:
    app = cdk.App(builtin_cloud_formation_validation=False, outdir=str(tmp_path))
    org = TeamStacks(app, "Org", shards=4)
    duty = add_person(org.shared, "DutyManager", "duty-manager")
    ResponsePlan(
        org.scope_for("payments"),
        "Outage",
        response_plan_name="payments-outage",
        title="outage",
        impact=Impact.HIGH,
        engagements=[duty],
    )
    team_template = Template.from_stack(org.stack_for("payments")).to_json()
    plan = next(r for r in team_template["Resources"].values() if r["Type"] == "AWS::SSMIncidents::ResponsePlan")
    assert list(plan["Properties"]["Engagements"][0]) == ["Fn::ImportValue"]
    outputs = Template.from_stack(org.shared).to_json()["Outputs"]
    assert [o["Export"]["Name"] for o in outputs.values()] == [plan["Properties"]["Engagements"][0]["Fn::ImportValue"]]
    assert org.shared in org.stack_for("payments").dependencies
    app.synth()
    assert cfn_lint_templates(sorted(tmp_path.glob("*.template.json"))) == []


def test_engaging_a_contact_of_another_team_imports_it() -> None:
    org = TeamStacks(new_app(), "Org", shards=8)
    a, b = "payments", next(f"team-{i}" for i in range(100) if shard_of(f"team-{i}", 8) != shard_of("payments", 8))
    other = add_person(org.scope_for(b), "Lead", "other-lead")
    ResponsePlan(
        org.scope_for(a), "Outage", response_plan_name="outage", title="t", impact=Impact.LOW, engagements=[other]
    )
    plan = Template.from_stack(org.stack_for(a)).find_resources("AWS::SSMIncidents::ResponsePlan")
    (engagement,) = next(iter(plan.values()))["Properties"]["Engagements"]
    assert "Fn::ImportValue" in engagement


def test_a_shard_over_the_resource_limit_fails_the_synth_naming_its_teams() -> None:
    org = TeamStacks(new_app(), "Org", shards=1, max_resources=5)
    scope = org.scope_for("payments")
    add_person(scope, "A", "pay-a")  # contact, channel, plan: 3 resources
    add_person(scope, "B", "pay-b")
    with pytest.raises(Exception) as raised:
        cdk.App.of(org).synth()  # type: ignore[union-attr]
    message = str(raised.value)
    assert "shard 0 holds 6 resources, more than the limit of 5" in message
    assert "payments" in message


def test_a_nearly_full_shard_gets_a_warning() -> None:
    org = TeamStacks(new_app(), "Org", shards=1, max_resources=10, warn_resources=3)
    add_person(org.scope_for("payments"), "A", "pay-a")
    stack = org.stack_for("payments")
    Annotations.from_stack(stack).has_warning("*", Match.string_like_regexp("shard 0 holds 3 resources of at most 10"))


def test_a_shard_under_the_warning_level_gets_no_warning() -> None:
    org = TeamStacks(new_app(), "Org", shards=1)
    add_person(org.scope_for("payments"), "A", "pay-a")
    Annotations.from_stack(org.stack_for("payments")).has_no_warning("*", Match.any_value())


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"shards": 0}, "shards 0 is not allowed: must be at least 1"),
        (
            {"shards": 4, "placement": {"payments": 4}},
            "placement['payments'] 4 is not allowed: must be at least 0 and at most 3",
        ),
        ({"shards": 4, "max_resources": 501}, "max_resources 501 is not allowed"),
    ],
)
def test_bad_settings_are_refused(kwargs: dict[str, object], expected: str) -> None:
    with pytest.raises(ValidationError, match=r"^Org \(TeamStacks\): ") as raised:
        TeamStacks(new_app(), "Org", **kwargs)  # type: ignore[arg-type]
    assert expected in str(raised.value)


def test_a_token_team_name_is_refused() -> None:
    app = new_app()
    org = TeamStacks(app, "Org", shards=4)
    token = cdk.Token.as_string(cdk.Aws.ACCOUNT_ID)
    with pytest.raises(ValidationError, match="a name known at synth time"):
        org.stack_for(token)


def test_team_names_that_become_the_same_construct_id_are_refused() -> None:
    org = TeamStacks(new_app(), "Org", shards=1)
    org.scope_for("a/b")
    with pytest.raises(ValidationError, match=r"team name 'a-b' is not allowed: a name that stays distinct from 'a/b'"):
        org.scope_for("a-b")


def test_shards_for_leaves_room_for_an_uneven_hash() -> None:
    assert shards_for(1000) == 40
    assert shards_for(100) == 4
    assert shards_for(1) == 1
    with pytest.raises(ValidationError, match="expected_teams 0"):
        shards_for(0)


def test_the_benchmark_placement_of_1000_teams_fits_every_shard() -> None:
    shards = shards_for(1000)
    counts = [0] * shards
    for i in range(1000):
        counts[shard_of(f"team-{i:04d}", shards)] += 1
    assert max(counts) * 12 <= 500, counts


def test_stack_kwargs_reach_every_stack() -> None:
    env = cdk.Environment(account="111122223333", region="eu-west-1")
    org = TeamStacks(new_app(), "Org", shards=2, env=env, termination_protection=True)
    for stack in (org.stack_for("payments"), org.shared):
        assert stack.account == "111122223333"
        assert stack.termination_protection is True
    assert json.loads(json.dumps(org.shared.stack_name)) == "Org-shared"
