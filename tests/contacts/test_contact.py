"""Contact, its channels and its engagement plan."""

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ssm as ssm
from aws_cdk.assertions import Match, Template
from support.stacks import new_stack, resources_of

from incident_constructs import ChannelType, Contact, ValidationError
from incident_constructs.contacts.contact import mask_address, render_channel_stages


def _plan_stages(stack):
    (plan,) = resources_of(stack, "AWS::SSMContacts::Plan").values()
    return plan["Properties"]["Stages"]


def _engage_minute_by_channel(stack):
    """Recompute each channel's engagement minute from the plan: stage k starts after stages 1..k-1."""
    channels = resources_of(stack, "AWS::SSMContacts::ContactChannel")
    names = {lid: r["Properties"]["ChannelName"] for lid, r in channels.items()}
    minute, result = 0, {}
    for stage in _plan_stages(stack):
        for target in stage["Targets"]:
            lid = target["ChannelTargetInfo"]["ChannelId"]["Fn::GetAtt"][0]
            result[names[lid]] = minute
        minute += stage["DurationInMinutes"]
    return result


def test_contact_is_personal_with_alias_and_display_name():
    stack = new_stack()
    Contact(stack, "Responder", alias="incident-responder", display_name="Incident Responder")
    t = Template.from_stack(stack)
    t.has_resource_properties(
        "AWS::SSMContacts::Contact",
        {"Alias": "incident-responder", "DisplayName": "Incident Responder", "Type": "PERSONAL"},
    )
    t.resource_count_is("AWS::SSMContacts::Plan", 0)


def test_display_name_defaults_to_alias():
    stack = new_stack()
    Contact(stack, "Responder", alias="oncall-bob")
    Template.from_stack(stack).has_resource_properties("AWS::SSMContacts::Contact", {"DisplayName": "oncall-bob"})


def test_email_at_zero_and_sms_at_ten_engage_at_minutes_zero_and_ten():
    stack = new_stack()
    c = Contact(stack, "Responder", alias="incident-responder")
    c.add_email_channel("incident responder email", "responder@example.com", engage_after=cdk.Duration.minutes(0))
    c.add_sms_channel("incident responder mobile", "+12065550100", engage_after=cdk.Duration.minutes(10))
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::SSMContacts::ContactChannel", 2)
    t.has_resource_properties(
        "AWS::SSMContacts::ContactChannel",
        {"ChannelType": "SMS", "ChannelAddress": "+12065550100", "ChannelName": "incident responder mobile"},
    )
    assert [s["DurationInMinutes"] for s in _plan_stages(stack)] == [10, 0]
    assert _engage_minute_by_channel(stack) == {"incident responder email": 0, "incident responder mobile": 10}


def test_channels_with_the_same_time_share_a_stage_and_order_of_adding_does_not_matter():
    stack = new_stack()
    c = Contact(stack, "Responder", alias="r1")
    c.add_voice_channel("desk", "+12065550101", engage_after=cdk.Duration.minutes(20))
    c.add_email_channel("mail", "r1@example.com")
    c.add_sms_channel("mobile", "+12065550100")
    stages = _plan_stages(stack)
    assert [len(s["Targets"]) for s in stages] == [2, 1]
    assert _engage_minute_by_channel(stack) == {"mail": 0, "mobile": 0, "desk": 20}


def test_gaps_over_thirty_minutes_and_late_first_channel_are_filled_with_empty_stages():
    stack = new_stack()
    c = Contact(stack, "Responder", alias="r2")
    c.add_email_channel("mail", "r2@example.com", engage_after=cdk.Duration.minutes(5))
    c.add_sms_channel("mobile", "+12065550100", engage_after=cdk.Duration.minutes(75))
    stages = _plan_stages(stack)
    assert [(s["DurationInMinutes"], len(s["Targets"])) for s in stages] == [(5, 0), (30, 1), (30, 0), (10, 0), (0, 1)]
    assert all(0 <= s["DurationInMinutes"] <= 30 for s in stages)
    assert all(s["DurationInMinutes"] > 0 for s in stages if not s["Targets"])
    assert _engage_minute_by_channel(stack) == {"mail": 5, "mobile": 75}


def test_render_channel_stages_keeps_every_time():
    for times in ([0], [0, 30], [0, 31], [7, 7, 60], [0, 1, 2, 100]):
        stages = render_channel_stages([(t, f"arn{i}", 5) for i, t in enumerate(times)])
        minute, seen = 0, {}
        for s in stages:
            for target in s["Targets"]:
                seen[target["ChannelTargetInfo"]["ChannelId"]] = minute
            minute += s["DurationInMinutes"]
        assert seen == {f"arn{i}": t for i, t in enumerate(times)}


def test_retry_interval_default_and_per_channel():
    stack = new_stack()
    c = Contact(stack, "Responder", alias="r3", default_retry_interval=cdk.Duration.minutes(3))
    c.add_email_channel("mail", "r3@example.com")
    c.add_sms_channel(
        "mobile", "+12065550100", engage_after=cdk.Duration.minutes(1), retry_interval=cdk.Duration.minutes(15)
    )
    retries = [t["ChannelTargetInfo"]["RetryIntervalInMinutes"] for s in _plan_stages(stack) for t in s["Targets"]]
    assert retries == [3, 15]


def test_contact_channels_and_plan_are_retained_by_default():
    stack = new_stack()
    c = Contact(stack, "Responder", alias="r4")
    c.add_email_channel("mail", "r4@example.com")
    t = Template.from_stack(stack).to_json()["Resources"]
    assert {r["Type"]: r.get("DeletionPolicy") for r in t.values()} == {
        "AWS::SSMContacts::Contact": "Retain",
        "AWS::SSMContacts::ContactChannel": "Retain",
        "AWS::SSMContacts::Plan": "Retain",
    }


def test_removal_policy_destroy_is_an_opt_out():
    stack = new_stack()
    c = Contact(stack, "Responder", alias="r5", removal_policy=cdk.RemovalPolicy.DESTROY)
    c.add_email_channel("mail", "r5@example.com")
    for r in Template.from_stack(stack).to_json()["Resources"].values():
        assert r["DeletionPolicy"] == "Delete"


def test_logical_ids_are_the_construct_path():
    stack = new_stack()
    c = Contact(stack, "Responder", alias="r6")
    c.add_email_channel("mail", "r6@example.com")
    ids = sorted(Template.from_stack(stack).to_json()["Resources"])
    assert [i[:-8] for i in ids] == ["Responder", "ResponderPlan", "Respondermail"]


def test_address_from_an_ssm_parameter_is_not_checked_and_stays_a_reference():
    stack = new_stack()
    c = Contact(stack, "Responder", alias="r7")
    phone = ssm.StringParameter.value_for_string_parameter(stack, "/oncall/r7/phone")
    c.add_sms_channel("mobile", phone)
    Template.from_stack(stack).has_resource_properties(
        "AWS::SSMContacts::ContactChannel", {"ChannelAddress": {"Ref": Match.string_like_regexp("SsmParameterValue")}}
    )


def test_imports_by_arn_and_alias():
    stack = new_stack()
    by_arn = Contact.from_contact_arn(stack, "A", "arn:aws:ssm-contacts:us-east-1:111122223333:contact/alice")
    assert by_arn.alias == "alice"
    by_alias = Contact.from_contact_alias(stack, "B", "bob")
    assert by_alias.alias == "bob"
    assert "contact/bob" in stack.resolve(by_alias.contact_arn)["Fn::Join"][1][-1]


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"alias": "Incident Responder"}, "alias 'Incident Responder' is not allowed"),
        ({"alias": "bob.smith"}, "alias 'bob.smith'"),
        ({"alias": ""}, "length must be 1 to 255"),
        ({"alias": "a" * 256}, "length must be 1 to 255"),
        ({"alias": "ok", "display_name": "Zoë"}, "display_name 'Zoë'"),
        ({"alias": "ok", "default_retry_interval": cdk.Duration.minutes(61)}, "default_retry_interval"),
        ({"alias": "ok", "default_retry_interval": cdk.Duration.seconds(90)}, "whole minutes"),
    ],
)
def test_contact_refuses_bad_values(kwargs, fragment):
    stack = new_stack()
    with pytest.raises(ValidationError, match="TestStack/Bad") as info:
        Contact(stack, "Bad", **kwargs)
    assert fragment in str(info.value)


def test_contact_message_names_path_field_value_and_rule():
    stack = new_stack()
    with pytest.raises(ValidationError) as info:
        Contact(stack, "Responder", alias="Bad Alias")
    assert str(info.value) == (
        "TestStack/Responder (Contact): alias 'Bad Alias' is not allowed: "
        "1-255 characters of lower-case letters a-z, digits, '_' and '-'."
    )


@pytest.mark.parametrize(
    "channel_type, address, fragment",
    [
        (ChannelType.SMS, "2065550100", "E.164"),
        (ChannelType.SMS, "+1 206 555 0100", "E.164"),
        (ChannelType.VOICE, "+99912345", "E.164"),
        (ChannelType.SMS, "+1206", "not a valid number"),
        (ChannelType.EMAIL, "not-an-email", "an email address is required"),
        (ChannelType.EMAIL, "a@b@example.com", "an email address is required"),
        (ChannelType.EMAIL, "", "1 to 320 characters"),
    ],
)
def test_channel_addresses_are_checked(channel_type, address, fragment):
    stack = new_stack()
    c = Contact(stack, "Responder", alias="r8")
    with pytest.raises(ValidationError) as info:
        c.add_channel(channel_type, "chan", address)
    assert fragment in str(info.value)
    assert "TestStack/Responder" in str(info.value)


def test_error_messages_never_show_a_whole_address():
    stack = new_stack()
    c = Contact(stack, "Responder", alias="r9")
    with pytest.raises(ValidationError) as info:
        c.add_sms_channel("mobile", "+1206555")
    assert "'+1206555'" not in str(info.value)
    assert "'+1206*55'" in str(info.value)


def test_channel_rules():
    stack = new_stack()
    c = Contact(stack, "Responder", alias="r10")
    c.add_email_channel("mail", "r10@example.com")
    with pytest.raises(ValidationError, match="channel names must be unique"):
        c.add_email_channel("mail", "other@example.com")
    with pytest.raises(ValidationError, match="channel name 'bad/name!'"):
        c.add_email_channel("bad/name!", "other@example.com")
    with pytest.raises(ValidationError, match="engage_after of channel 'late'.*whole minutes"):
        c.add_email_channel("late", "x@example.com", engage_after=cdk.Duration.seconds(30))
    with pytest.raises(ValidationError, match="retry_interval of channel 'r'.*0 to 60 minutes"):
        c.add_email_channel("r", "x@example.com", retry_interval=cdk.Duration.minutes(90))
    with pytest.raises(ValidationError, match="a name known at synth time"):
        c.add_email_channel(cdk.Aws.STACK_NAME, "x@example.com")
    with pytest.raises(ValidationError, match="channel_type 'PAGER'"):
        c.add_channel("PAGER", "p", "x")  # type: ignore[arg-type]


def test_aliases_are_unique_within_the_app():
    stack = new_stack()
    Contact(stack, "One", alias="same")
    with pytest.raises(
        ValidationError, match="must be unique within the app and account; TestStack/One already uses it"
    ):
        Contact(cdk.Stack(stack.node.root, "Other"), "Two", alias="same")


def test_the_same_alias_in_two_accounts_is_allowed():
    app = cdk.App(builtin_cloud_formation_validation=False)
    Contact(cdk.Stack(app, "Dev", env=cdk.Environment(account="111111111111", region="us-east-1")), "C", alias="same")
    Contact(cdk.Stack(app, "Prod", env=cdk.Environment(account="222222222222", region="us-east-1")), "C", alias="same")


def test_mask_address():
    assert mask_address("responder@example.com") == "re***@example.com"
    assert mask_address("+12065550100") == "+1206*****00"
    assert "0100" not in mask_address("+12065550100")
