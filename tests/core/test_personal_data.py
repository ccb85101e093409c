"""Personal data: channel addresses can stay out of the code, and are masked wherever shown."""

from __future__ import annotations

import json

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ssm as ssm
from support.stacks import new_stack

from incident_constructs import Contact, ValidationError
from incident_constructs.contacts.contact import mask_address


def synth(stack: cdk.Stack) -> dict:  # type: ignore[type-arg]
    return stack.node.root.synth().get_stack_by_name(stack.stack_name).template  # type: ignore[no-any-return]


def channel_addresses(template: dict) -> list:  # type: ignore[type-arg]
    return [
        r["Properties"]["ChannelAddress"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::SSMContacts::ContactChannel"
    ]


def test_an_sms_address_from_an_ssm_parameter_synthesizes_as_a_reference() -> None:
    stack = new_stack()
    alice = Contact(stack, "Alice", alias="alice")
    phone = ssm.StringParameter.value_for_string_parameter(stack, "/oncall/alice/phone")
    alice.add_sms_channel("alice phone", phone)

    template = synth(stack)

    [address] = channel_addresses(template)
    assert isinstance(address, dict) and set(address) == {"Ref"}
    parameter = template["Parameters"][address["Ref"]]
    assert parameter["Type"] == "AWS::SSM::Parameter::Value<String>"
    assert parameter["Default"] == "/oncall/alice/phone"
    assert "+1" not in json.dumps(template["Resources"])


def test_a_dynamic_reference_is_written_as_is() -> None:
    stack = new_stack()
    alice = Contact(stack, "Alice", alias="alice")
    alice.add_email_channel("alice mail", "{{resolve:ssm:/oncall/alice/email}}")
    alice.add_voice_channel("alice voice", "{{resolve:ssm:/oncall/alice/phone:3}}")
    assert channel_addresses(synth(stack)) == [
        "{{resolve:ssm:/oncall/alice/email}}",
        "{{resolve:ssm:/oncall/alice/phone:3}}",
    ]


def test_the_same_address_as_a_literal_is_checked() -> None:
    """The token path above skips a check that does run on literals."""
    alice = Contact(new_stack(), "Alice", alias="alice")
    with pytest.raises(ValidationError, match="an E.164 phone number"):
        alice.add_sms_channel("alice phone", "/oncall/alice/phone")


@pytest.mark.parametrize(
    "address, masked",
    [
        ("alice@example.com", "al***@example.com"),
        ("a@example.com", "a***@example.com"),
        ("+12065550100", "+1206*****00"),
        ("+4930123456", "+4930****56"),
        ("123456", "******"),
        ("{{resolve:ssm:/oncall/alice/phone}}", "(resolved at deploy time)"),
    ],
)
def test_mask_address(address: str, masked: str) -> None:
    assert mask_address(address) == masked


def test_mask_address_hides_a_token() -> None:
    stack = new_stack()
    assert (
        mask_address(ssm.StringParameter.value_for_string_parameter(stack, "/oncall/alice/phone"))
        == "(resolved at deploy time)"
    )


@pytest.mark.parametrize(
    "method, address, secret",
    [
        ("add_email_channel", "alice.secret@example", "alice.secret"),
        ("add_sms_channel", "12065550177", "2065550177"),
        ("add_voice_channel", "+1206555017x", "555017"),
    ],
)
def test_error_messages_never_show_a_whole_address(method: str, address: str, secret: str) -> None:
    alice = Contact(new_stack(), "Alice", alias="alice")
    with pytest.raises(ValidationError) as caught:
        getattr(alice, method)("channel", address)
    assert "address of channel 'channel'" in str(caught.value)
    assert secret not in str(caught.value)


def test_templates_with_token_addresses_pass_cfn_lint(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from support.lint import cfn_lint_templates

    stack = new_stack()
    alice = Contact(stack, "Alice", alias="alice")
    alice.add_sms_channel("alice phone", ssm.StringParameter.value_for_string_parameter(stack, "/oncall/alice/phone"))
    alice.add_email_channel("alice mail", "{{resolve:ssm:/oncall/alice/email}}")
    path = tmp_path / "personal.template.json"
    path.write_text(json.dumps(synth(stack)), encoding="utf-8")
    assert cfn_lint_templates([path]) == []


@pytest.mark.parametrize(
    "value, shown",
    [
        ("responder@example.com", "'re***@example.com'"),
        (12065550100, "12065****00"),
        (12065550100.0, "12065******.0"),
        (["a@example.com", "b@example.com"], "a list of 2 items"),
        ({"a@example.com": 1}, "a mapping of 1 key"),
        (None, "None"),
        (True, "True"),
        pytest.param(10**5000, "a number of more than 300 digits", id="a-5000-digit-number"),
        ("{{resolve:ssm:/oncall/alice/phone}}", "'(resolved at deploy time)'"),
    ],
)
def test_mask_value_never_shows_an_address_whatever_its_type(value: object, shown: str) -> None:
    """What an organisation file's messages show for a channel's value, from a YAML of any type."""
    from incident_constructs.core.masking import mask_value

    assert mask_value(value) == shown
