"""The library writes contacts, channels and engagement plans itself and hands each stack's batch
to CDK in one ``CfnInclude``: the template must be the one the L1s would have made, logical id
for logical id, and every escape hatch must still reach a real L1."""

from __future__ import annotations

import json
import re
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template
from constructs import Construct
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incident_constructs import (
    Contact,
    EscalationPlan,
    EscalationStage,
    Impact,
    OnCallSchedule,
    ResponsePlan,
    ValidationError,
)
from incident_constructs._batch import make_unique_id
from stacks.incident_stack import IncidentManagerStack
from tests.helpers import new_app, new_stack, resources_of

PATH_METADATA = {"aws:cdk:enable-path-metadata": True}


def materialize_everything(stack: cdk.Stack) -> int:
    """Ask every library contact for its L1s, as an escape hatch would; returns how many."""
    count = 0
    for construct in stack.node.find_all():
        if isinstance(construct, (Contact, EscalationPlan, OnCallSchedule)):
            assert construct.resource.node.path == f"{construct.node.path}/Resource"
            count += 1
        if isinstance(construct, Contact):
            assert construct.plan is not None and construct.plan.node.path == f"{construct.node.path}/Plan"
            count += 1
            for channel in construct.channels:
                assert channel.resource.node.scope is construct
                count += 1
    return count


@pytest.mark.parametrize("context", [{}, PATH_METADATA], ids=["plain", "path-metadata"])
def test_the_batch_writes_the_template_the_l1s_write(context: dict[str, Any]) -> None:
    batched = IncidentManagerStack(new_app(**context), "IncidentStack")
    as_l1s = IncidentManagerStack(new_app(**context), "IncidentStack")
    assert materialize_everything(as_l1s) == 13  # 5 contacts, 3 engagement plans, 5 channels
    left, right = Template.from_stack(batched).to_json(), Template.from_stack(as_l1s).to_json()
    assert json.dumps(left, sort_keys=True) == json.dumps(right, sort_keys=True)
    contacts = resources_of(batched, "AWS::SSMContacts::Contact")
    assert len(contacts) == 5
    if context:
        # The path a resource shows in the console and in cdk diff is its construct path, as before.
        assert {v["Metadata"]["aws:cdk:path"] for v in contacts.values()} >= {
            "IncidentStack/IncidentResponder/Resource",
            "IncidentStack/WebOnCall/Resource",
        }
    else:
        assert all("Metadata" not in v for v in contacts.values())


def test_the_batch_is_one_include_per_stack_and_resources_are_l1s_after_synthesis() -> None:
    stack = IncidentManagerStack(new_app(), "IncidentStack")
    Template.from_stack(stack)
    includes = [c for c in stack.node.find_all() if type(c).__name__ == "CfnInclude"]
    assert len(includes) == 1 and includes[0].node.path == "IncidentStack/IncidentConstructs/Resources"
    # After synthesis the escape hatch returns the resource the include made, with the template's id.
    lid = stack.resolve(stack.responder.resource.logical_id)
    assert resources_of(stack, "AWS::SSMContacts::Contact")[lid]["Properties"]["Alias"] == "incident-responder"


ids = st.one_of(
    st.text(alphabet=st.sampled_from(list("abAB09-_. /é")), min_size=1, max_size=12),
    st.sampled_from(["Default", "Resource", "Plan", "a", "ab", "Team/Primary"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.lists(ids, min_size=1, max_size=4))
def test_logical_ids_are_computed_as_cdk_computes_them(path: list[str]) -> None:
    stack = new_stack()
    scope: Construct = stack
    for construct_id in path[:-1]:
        scope = Construct(scope, construct_id)
    element = cdk.CfnResource(scope, path[-1], type="AWS::SNS::Topic")
    components = [p.replace("/", "--") for p in path]
    if all(c == "Default" for c in components):
        return  # CDK cannot name that either
    try:
        expected = stack.resolve(element.logical_id)
    except RuntimeError:  # CDK refuses the id (nothing alphanumeric in it): so must the library
        assert re.fullmatch(r"[A-Za-z0-9]{1,255}", make_unique_id(components)) is None
        return
    assert make_unique_id(components) == expected


def test_long_ids_keep_cdk_s_readable_prefix_and_hash() -> None:
    stack = new_stack()
    long_id = "Responder" * 40
    element = cdk.CfnResource(Construct(stack, long_id), "Resource", type="AWS::SNS::Topic")
    assert make_unique_id([long_id, "Resource"]) == stack.resolve(element.logical_id)
    assert len(make_unique_id([long_id, "Resource"])) == 248


def test_an_escape_hatch_before_synthesis_is_an_l1_at_the_construct_path() -> None:
    stack = new_stack()
    contact = Contact(stack, "Responder", alias="responder")
    email = contact.add_email_channel("email", "responder@example.com")
    contact.add_sms_channel("sms", "+12065550100", engage_after=cdk.Duration.minutes(10))
    contact.resource.add_property_override("DisplayName", "Changed by hand")
    email.resource.add_property_override("DeferActivation", True)
    template = Template.from_stack(stack).to_json()["Resources"]
    assert template[stack.resolve(contact.resource.logical_id)]["Properties"]["DisplayName"] == "Changed by hand"
    channels = resources_of(stack, "AWS::SSMContacts::ContactChannel")
    assert [v["Properties"].get("DeferActivation") for v in channels.values()] == [True, None]
    # The channel, now an L1, is still engaged by the plan the batch wrote, by logical id.
    (plan,) = resources_of(stack, "AWS::SSMContacts::Plan").values()
    assert plan["Properties"]["Stages"][0]["Targets"][0]["ChannelTargetInfo"]["ChannelId"] == {
        "Fn::GetAtt": [stack.resolve(email.resource.logical_id), "Arn"]
    }


def test_a_contact_added_after_synthesis_is_written_as_l1s() -> None:
    app = new_app()
    stack = cdk.Stack(app, "Stack")
    first = Contact(stack, "First", alias="first")
    first.add_email_channel("email", "first@example.com")
    app.synth()
    late = Contact(stack, "Late", alias="late")
    late.add_email_channel("email", "late@example.com")
    first.add_sms_channel("sms", "+12065550100", engage_after=cdk.Duration.minutes(5))  # changes an included plan
    assembly = app.synth(force=True)
    template = assembly.get_stack_by_name("Stack").template
    aliases = sorted(r["Properties"]["Alias"] for r in template["Resources"].values() if r["Type"] == "AWS::SSMContacts::Contact")
    assert aliases == ["first", "late"]
    plans = [r for r in template["Resources"].values() if r["Type"] == "AWS::SSMContacts::Plan"]
    assert sorted(len(p["Properties"]["Stages"]) for p in plans) == [1, 2]


def test_a_stack_with_its_own_logical_ids_gets_l1s_that_follow_them() -> None:
    class Prefixed(cdk.Stack):
        def _allocate_logical_id(self, cfn_element: cdk.CfnElement) -> str:
            return "Prefix" + super()._allocate_logical_id(cfn_element)

    stack = Prefixed(new_app(), "Stack")
    contact = Contact(stack, "Responder", alias="responder")
    contact.add_email_channel("email", "responder@example.com")
    resources = Template.from_stack(stack).to_json()["Resources"]
    assert len(resources) == 3 and all(k.startswith("Prefix") for k in resources)
    assert not [c for c in stack.node.find_all() if type(c).__name__ == "CfnInclude"]


def test_a_snapshot_removal_policy_is_refused() -> None:
    with pytest.raises(ValidationError, match="removal_policy .* RETAIN, DESTROY or RETAIN_ON_UPDATE_OR_DELETE"):
        Contact(new_stack(), "Responder", alias="responder", removal_policy=cdk.RemovalPolicy.SNAPSHOT)


@pytest.mark.parametrize(
    ("policy", "deletion", "update_replace"),
    [
        (cdk.RemovalPolicy.RETAIN, "Retain", "Retain"),
        (cdk.RemovalPolicy.DESTROY, "Delete", "Delete"),
        (cdk.RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, "RetainExceptOnCreate", "Retain"),
    ],
)
def test_removal_policies_are_written_as_cdk_writes_them(policy: cdk.RemovalPolicy, deletion: str, update_replace: str) -> None:
    stack = new_stack()
    Contact(stack, "Responder", alias="responder", removal_policy=policy).add_email_channel("email", "r@example.com")
    reference = cdk.CfnResource(new_stack(), "Reference", type="AWS::SSMContacts::Contact")
    reference.apply_removal_policy(policy)
    expected = Template.from_stack(cdk.Stack.of(reference)).to_json()["Resources"]["Reference"]
    for resource in Template.from_stack(stack).to_json()["Resources"].values():
        assert (resource["DeletionPolicy"], resource["UpdateReplacePolicy"]) == (deletion, update_replace)
        assert (resource["DeletionPolicy"], resource["UpdateReplacePolicy"]) == (
            expected["DeletionPolicy"], expected["UpdateReplacePolicy"]
        )


@pytest.mark.parametrize("name", ["Plan", "Resource"])
def test_a_channel_named_like_the_contact_s_own_resources_is_refused(name: str) -> None:
    contact = Contact(new_stack(), "Responder", alias="responder")
    with pytest.raises(ValidationError, match=f"channel name '{name}' is not allowed: .*construct ids"):
        contact.add_email_channel(name, "responder@example.com")
    assert contact.channels == []


def test_two_resources_with_one_logical_id_are_refused_with_both_paths() -> None:
    stack = new_stack()
    Contact(stack, "AB", alias="first")
    # Construct ids are joined without separators in the readable part, but the hash differs;
    # only the same path gives the same logical id, which the constructs library refuses first.
    with pytest.raises(RuntimeError, match="There is already a Construct with name 'AB'"):
        Contact(stack, "AB", alias="second")


def test_tags_reach_batched_escalated_and_l1_contacts_alike() -> None:
    app = new_app()
    stack = cdk.Stack(app, "Stack")
    early = Construct(stack, "Early")
    first = Contact(early, "First", alias="first")
    first.add_email_channel("email", "first@example.com")
    late = Construct(stack, "Late")
    second = Contact(late, "Second", alias="second")
    by_hand = Contact(late, "ByHand", alias="by-hand")
    by_hand.resource  # an L1 from now on
    EscalationPlan(late, "Plan", alias="plan", stages=[EscalationStage(contacts=[first, second])])
    cdk.Tags.of(app).add("org", "acme")
    cdk.Tags.of(late).add("team", "late")
    cdk.Tags.of(early).add("team", "early")
    cdk.Tags.of(stack).add("plans-only", "yes", include_resource_types=["AWS::SSMIncidents::ResponsePlan"])
    tags = {v["Properties"]["Alias"]: v["Properties"].get("Tags") for v in resources_of(stack, "AWS::SSMContacts::Contact").values()}
    assert tags == {
        "first": [{"Key": "org", "Value": "acme"}, {"Key": "team", "Value": "early"}],
        "second": [{"Key": "org", "Value": "acme"}, {"Key": "team", "Value": "late"}],
        "by-hand": [{"Key": "org", "Value": "acme"}, {"Key": "team", "Value": "late"}],
        "plan": [{"Key": "org", "Value": "acme"}, {"Key": "team", "Value": "late"}],
    }
    assert all("Tags" not in v["Properties"] for v in resources_of(stack, "AWS::SSMContacts::ContactChannel").values())


def test_an_escalation_plan_engages_a_contact_of_another_stack_through_an_import() -> None:
    app = new_app()
    shared, team = cdk.Stack(app, "Shared"), cdk.Stack(app, "Team")
    duty = Contact(shared, "Duty", alias="duty")
    duty.add_email_channel("email", "duty@example.com")
    local = Contact(team, "Local", alias="local")
    EscalationPlan(team, "Plan", alias="plan", stages=[EscalationStage(contacts=[local, duty])])
    plan = next(v for v in resources_of(team, "AWS::SSMContacts::Contact").values() if v["Properties"]["Alias"] == "plan")
    targets = [t["ContactTargetInfo"]["ContactId"] for t in plan["Properties"]["Plan"][0]["Targets"]]
    assert list(targets[0]) == ["Fn::GetAtt"] and list(targets[1]) == ["Fn::ImportValue"]
    assert shared in team.dependencies
    exported = Template.from_stack(shared).to_json()["Outputs"]
    assert len(exported) == 1
    # The contact is still written once, in its own stack.
    assert [v["Properties"]["Alias"] for v in resources_of(shared, "AWS::SSMContacts::Contact").values()] == ["duty"]


def test_tokens_in_batched_properties_resolve() -> None:
    stack = new_stack()
    address = cdk.CfnParameter(stack, "Address").value_as_string
    minutes = cdk.CfnParameter(stack, "Minutes", type="Number").value_as_number
    contact = Contact(stack, "Responder", alias="responder")
    contact.add_email_channel("email", address)
    plan = EscalationPlan(stack, "Plan", alias="plan", stages=[EscalationStage(contacts=[contact], duration=cdk.Duration.minutes(minutes))])
    ResponsePlan(stack, "Response", response_plan_name="response", title="t", impact=Impact.LOW, engagements=[plan])
    (channel,) = resources_of(stack, "AWS::SSMContacts::ContactChannel").values()
    assert channel["Properties"]["ChannelAddress"] == {"Ref": "Address"}
    escalation = next(v for v in resources_of(stack, "AWS::SSMContacts::Contact").values() if v["Properties"]["Type"] == "ESCALATION")
    assert escalation["Properties"]["Plan"][0]["DurationInMinutes"] == {"Ref": "Minutes"}
