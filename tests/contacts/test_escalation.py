"""EscalationPlan and its stages."""

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template
from support.stacks import new_stack, resources_of

from incident_constructs import Contact, EscalationPlan, EscalationStage, ValidationError


def _contacts(stack, *aliases):
    contacts = [Contact(stack, a, alias=a) for a in aliases]
    for contact in contacts:
        contact.add_email_channel("email", f"{contact.alias}@example.com")
    return contacts


def _plan(stack):
    (plan,) = [
        r for r in resources_of(stack, "AWS::SSMContacts::Contact").values() if r["Properties"]["Type"] == "ESCALATION"
    ]
    return plan["Properties"]["Plan"]


def test_stages_map_duration_and_acknowledgement_to_is_essential():
    stack = new_stack()
    a, b, c = _contacts(stack, "a", "b", "c")
    plan = EscalationPlan(
        stack,
        "Esc",
        alias="app-escalation-plan",
        display_name="App escalation plan",
        stages=[
            EscalationStage(contacts=[a], duration=cdk.Duration.minutes(5), acknowledgement_stops_progression=True),
            EscalationStage(contacts=[b], duration=cdk.Duration.minutes(5), acknowledgement_stops_progression=True),
        ],
    )
    plan.add_stage(EscalationStage(contacts=[c], duration=cdk.Duration.minutes(10)))
    Template.from_stack(stack).has_resource_properties(
        "AWS::SSMContacts::Contact",
        {"Alias": "app-escalation-plan", "Type": "ESCALATION", "DisplayName": "App escalation plan"},
    )
    stages = _plan(stack)
    assert [s["DurationInMinutes"] for s in stages] == [5, 5, 10]
    assert [s["Targets"][0]["ContactTargetInfo"]["IsEssential"] for s in stages] == [True, True, False]
    ids = [s["Targets"][0]["ContactTargetInfo"]["ContactId"]["Fn::GetAtt"][0][:1] for s in stages]
    assert ids == ["a", "b", "c"]


def test_a_stage_with_several_contacts_and_zero_minutes():
    stack = new_stack()
    a, b = _contacts(stack, "a", "b")
    EscalationPlan(
        stack, "Esc", alias="esc", stages=[EscalationStage(contacts=[a, b], duration=cdk.Duration.minutes(0))]
    )
    (stage,) = _plan(stack)
    assert stage["DurationInMinutes"] == 0 and len(stage["Targets"]) == 2


def test_escalation_plan_can_engage_an_imported_contact_and_is_retained():
    stack = new_stack()
    imported = Contact.from_contact_alias(stack, "Imported", "someone")
    EscalationPlan(stack, "Esc", alias="esc", stages=[EscalationStage(contacts=[imported])])
    (res,) = resources_of(stack, "AWS::SSMContacts::Contact").values()
    assert res["DeletionPolicy"] == "Retain"
    assert res["Properties"]["Plan"][0]["DurationInMinutes"] == 5


def test_no_stages_is_an_error_at_synth():
    stack = new_stack()
    EscalationPlan(stack, "Esc", alias="esc")
    with pytest.raises(RuntimeError, match=r"\[TestStack/Esc\] EscalationPlan 'esc' has no stages"):
        Template.from_stack(stack)


@pytest.mark.parametrize(
    "make_stage, fragment",
    [
        (lambda a: EscalationStage(contacts=[]), "stage 1 contacts [] is not allowed: at least one contact"),
        (
            lambda a: EscalationStage(contacts=[a], duration=cdk.Duration.minutes(31)),
            "stage 1 duration '31 minutes' is not allowed: 0 to 30 minutes",
        ),
        (lambda a: EscalationStage(contacts=[a], duration=cdk.Duration.seconds(90)), "whole minutes only"),
        (lambda a: EscalationStage(contacts=[a, a]), "each contact at most once per stage"),
        (
            lambda a: EscalationStage(contacts=["arn:aws:ssm-contacts:us-east-1:1:contact/x"]),
            "a contact (Contact, EscalationPlan",
        ),
        (lambda a: EscalationStage(contacts=[a], acknowledgement_stops_progression="yes"), "True or False"),  # type: ignore[arg-type]
        (lambda a: "not a stage", "an EscalationStage"),
    ],
)
def test_stage_rules(make_stage, fragment):
    stack = new_stack()
    (a,) = _contacts(stack, "a")
    with pytest.raises(ValidationError) as info:
        EscalationPlan(stack, "Esc", alias="esc", stages=[make_stage(a)])
    assert fragment in str(info.value)
    assert str(info.value).startswith("TestStack/Esc (EscalationPlan):")


def test_plan_cannot_engage_itself():
    stack = new_stack()
    (a,) = _contacts(stack, "a")
    plan = EscalationPlan(stack, "Esc", alias="esc", stages=[EscalationStage(contacts=[a])])
    with pytest.raises(ValidationError, match="cannot engage itself"):
        plan.add_stage(EscalationStage(contacts=[plan]))


def test_escalation_alias_rules_and_uniqueness():
    stack = new_stack()
    Contact(stack, "A", alias="taken")
    with pytest.raises(ValidationError, match="alias 'Bad!'"):
        EscalationPlan(stack, "E1", alias="Bad!")
    with pytest.raises(ValidationError, match="alias 'taken'.*unique"):
        EscalationPlan(stack, "E2", alias="taken")


def test_import_escalation_plan():
    stack = new_stack()
    plan = EscalationPlan.from_escalation_plan_arn(
        stack, "P", "arn:aws:ssm-contacts:us-east-1:111122223333:contact/esc"
    )
    assert plan.alias == "esc"
    with pytest.raises(ValidationError, match="contact_arn 'arn:aws:sns"):
        EscalationPlan.from_escalation_plan_arn(stack, "Q", "arn:aws:sns:us-east-1:111122223333:topic")


def test_a_contact_without_channels_in_a_stage_is_refused_at_synth():
    stack = new_stack()
    silent = Contact(stack, "Silent", alias="silent")
    EscalationPlan(stack, "Esc", alias="esc", stages=[EscalationStage(contacts=[silent])])
    with pytest.raises(RuntimeError, match="engages contact 'silent', which has no channels"):
        Template.from_stack(stack)


def test_a_cycle_between_escalation_plans_is_named_by_alias():
    stack = new_stack()
    (a,) = _contacts(stack, "a")
    first = EscalationPlan(stack, "First", alias="first", stages=[EscalationStage(contacts=[a])])
    second = EscalationPlan(stack, "Second", alias="second", stages=[EscalationStage(contacts=[first])])
    third = EscalationPlan(stack, "Third", alias="third", stages=[EscalationStage(contacts=[second])])
    with pytest.raises(ValidationError, match=r"cycle \(first -> third -> second -> first\)"):
        first.add_stage(EscalationStage(contacts=[third]))


@pytest.mark.parametrize("contacts", ["alice", None, 5])
def test_stage_contacts_must_be_a_list(contacts):
    stack = new_stack()
    with pytest.raises(ValidationError, match="a list of contacts"):
        EscalationPlan(stack, "Esc", alias="esc", stages=[EscalationStage(contacts=contacts)])
