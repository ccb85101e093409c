"""The round trip: read an account, write the organisation file, build it with
build_organisation, synthesize, and compare the template with the live set-up property by
property; the cdk import mapping, and drift after console edits."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
import yaml
from support.adopt_account import ACCOUNT, REGION, RUNBOOK_ROLE, FakeAccount, blog_account, contact_arn, full_account

from incident_constructs import build_organisation
from incident_constructs.adopt import AccountSnapshot, AdoptError, drift, import_mapping, plan_import, read_account
from incident_constructs.adopt.organisation import supports

STACK = "OnCall"


def synthesize(organisation: Path, outdir: Path | None = None) -> dict[str, Any]:
    """The template of a stack built from ``organisation`` (written to ``outdir`` when given)."""
    app = cdk.App(outdir=str(outdir) if outdir else None, builtin_cloud_formation_validation=False)
    stack = cdk.Stack(app, STACK, env=cdk.Environment(account=ACCOUNT, region=REGION))
    build_organisation(stack, organisation)
    template: dict[str, Any] = app.synth().get_stack_by_name(STACK).template
    return template


def adopt(account: FakeAccount, directory: Path, **write: Any) -> tuple[AccountSnapshot, Any, dict[str, Any]]:
    snapshot = read_account(account.session(), REGION)
    result = snapshot.write(directory, **write)
    return snapshot, result, synthesize(directory / "organisation.yaml", directory / "cdk.out")


def logical_id(template: dict[str, Any], resource_type: str, **properties: Any) -> str:
    found = [
        k
        for k, v in template["Resources"].items()
        if v["Type"] == resource_type and all(v["Properties"].get(p) == x for p, x in properties.items())
    ]
    assert len(found) == 1, (resource_type, properties, found)
    return found[0]


@pytest.fixture(scope="module")
def blog(tmp_path_factory: pytest.TempPathFactory) -> tuple[AccountSnapshot, Any, dict[str, Any]]:
    return adopt(blog_account(), tmp_path_factory.mktemp("blog"))


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> tuple[AccountSnapshot, Any, dict[str, Any]]:
    return adopt(full_account(), tmp_path_factory.mktemp("full"))


def _without_optional_keys(account: FakeAccount, directory: Path) -> tuple[AccountSnapshot, Any, dict[str, Any]]:
    """Adopted as before the organisation file had adopt's optional keys (OPTIONAL_KEYS)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("incident_constructs.adopt.organisation.supports", lambda feature: False)
        return adopt(account, directory)


@pytest.fixture(scope="module")
def blog_without_keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[AccountSnapshot, Any, dict[str, Any]]:
    return _without_optional_keys(blog_account(), tmp_path_factory.mktemp("blog-without-keys"))


@pytest.fixture(scope="module")
def full_without_keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[AccountSnapshot, Any, dict[str, Any]]:
    return _without_optional_keys(full_account(), tmp_path_factory.mktemp("full-without-keys"))


# -- the round trip ------------------------------------------------------------------------------


def test_the_blog_set_up_differs_only_where_adopt_said_it_would(blog_without_keys: Any) -> None:
    snapshot, result, template = blog_without_keys
    plan = plan_import(template, snapshot)
    assert [(d.name, d.path) for d in plan.differences] == [
        ("EC2HighCPU", "Actions[0].SsmAutomation.DocumentVersion"),
        ("EC2HighCPU", "Actions[0].SsmAutomation.RoleArn"),
    ]
    assert [line.split(":", 1)[0] for line in result.not_expressible] == ["response_plans.EC2HighCPU"] * 2
    version, role = plan.differences
    assert (version.template, version.live) == ('"$LATEST"', '"$DEFAULT"')
    assert role.template.startswith("the Arn of EC2HighCPURunbookRole") and role.template.endswith(
        "a resource the stack creates"
    )


def test_every_live_resource_of_the_blog_is_matched_and_mapped(blog: Any) -> None:
    snapshot, _, template = blog
    plan = plan_import(template, snapshot)
    responder = logical_id(template, "AWS::SSMContacts::Contact", Alias="incident-responder")
    assert plan.mapping[responder] == {"Arn": contact_arn("incident-responder")}
    runbook = logical_id(template, "AWS::SSM::Document", Name="ec2-cpu-util-runbook")
    assert plan.mapping[runbook] == {"Name": "ec2-cpu-util-runbook"}
    plans = [k for k, v in template["Resources"].items() if v["Type"] == "AWS::SSMContacts::Plan"]
    assert {plan.mapping[k]["Arn"] for k in plans} == {
        contact_arn("incident-responder"),
        contact_arn("sr-incident-responder"),
    }
    live = [r for r in snapshot.resources if r.type != "AWS::SSMIncidents::ReplicationSet"]
    assert len(plan.mapping) == len(live) == 11  # 3 contacts, 2 plans, 4 channels, the response plan, the runbook
    assert plan.notes == [
        f"{runbook} (AWS::SSM::Document ec2-cpu-util-runbook): stored as YAML; the template gives the same content as "
        "JSON, so the next content change stores it as JSON",
        "AWS::SSMIncidents::ReplicationSet replication-set: in the account, not in this stack (left alone)",
    ]


def test_the_full_set_up_differs_only_where_adopt_said_it_would(full_without_keys: Any) -> None:
    snapshot, result, template = full_without_keys
    plan = plan_import(template, snapshot)
    assert sorted({(d.name, d.path.split("[")[0].split(".")[0]) for d in plan.differences}) == [
        ("EC2HighCPU", "Actions"),
        ("WebDown", "Actions"),
        ("WebDown", "ChatChannel"),
        ("WebDown", "IncidentTemplate"),
        ("WebDown", "Integrations"),
        ("web-engineer", "Tags"),
    ]
    reported = {line.split(":", 1)[0].split(".")[1] for line in result.not_expressible}
    assert {d.name for d in plan.differences} == reported
    rotations = [k for k, v in template["Resources"].items() if v["Type"] == "AWS::SSMContacts::Rotation"]
    assert len(rotations) == 3 and all(k in plan.mapping for k in rotations)


@pytest.mark.xfail(
    not (supports("role") and supports("version")),
    reason="the organisation file cannot name a response plan's existing runbook role and version yet",
    strict=True,
)
def test_the_blog_set_up_round_trips_with_no_difference(blog: Any) -> None:
    snapshot, result, template = blog
    assert result.not_expressible == []
    assert import_mapping(template, snapshot)


def test_the_full_set_up_round_trips_with_no_difference(full: Any) -> None:
    """Rotations, a follow-the-sun schedule, tags, notification and chat topics, PagerDuty and an
    AWS-owned runbook: the organisation file says all of it."""
    snapshot, result, template = full
    assert result.not_expressible == []
    assert plan_import(template, snapshot).differences == []
    assert import_mapping(template, snapshot)


def test_a_set_up_the_file_expresses_whole_round_trips_with_no_difference(tmp_path: Path) -> None:
    account = full_account()
    account.response_plans = [p for p in account.response_plans if p["name"] != "WebDown"]
    account.tags[contact_arn("web-engineer")] = {}
    for automation in (a["ssmAutomation"] for p in account.response_plans for a in p.get("actions", [])):
        automation["documentVersion"] = "$LATEST"
    account.response_plans[0]["actions"][0]["ssmAutomation"]["roleArn"] = "placeholder"
    account.response_plans[0].pop("actions")  # a plan without runbook: nothing the file cannot say
    snapshot, result, template = adopt(account, tmp_path)
    assert result.not_expressible == []
    mapping = import_mapping(template, snapshot)
    assert len(mapping) == len([r for r in snapshot.resources if r.type != "AWS::SSMIncidents::ReplicationSet"])
    assert drift(template, snapshot) == [
        d
        for d in drift(template, snapshot)
        if d.kind == "unmanaged" and d.resource_type == "AWS::SSMIncidents::ReplicationSet"
    ]


def test_addresses_kept_in_ssm_parameters_compare_as_the_addresses_they_were_made_from(tmp_path: Path) -> None:
    account = blog_account()
    account.response_plans[0].pop("actions")
    snapshot, _, template = adopt(account, tmp_path, addresses="ssm:/oncall")
    channel = logical_id(template, "AWS::SSMContacts::ContactChannel", ChannelName="incident responder mobile")
    assert template["Resources"][channel]["Properties"]["ChannelAddress"] == (
        "{{resolve:ssm:/oncall/incident-responder/incident-responder-mobile}}"
    )
    assert import_mapping(template, snapshot)
    assert import_mapping(template, AccountSnapshot.load(tmp_path))
    values = {"/oncall/incident-responder/incident-responder-mobile": "+12065550199"}
    with pytest.raises(AdoptError) as caught:
        import_mapping(template, snapshot, resolve_parameter=lambda name: values.get(name, _address(snapshot, name)))
    assert [(d.path, d.template, d.live) for d in caught.value.differences] == [
        ("ChannelAddress", "'+1206*****99'", "'+1206*****00'")
    ]
    assert "+12065550199" not in str(caught.value) and "+12065550100" not in str(caught.value)


def _address(snapshot: AccountSnapshot, parameter: str) -> str | None:
    for resource in snapshot.resources:
        if resource.info.get("AddressParameter") == parameter:
            return str(resource.properties["ChannelAddress"])
    return None


# -- the import mapping ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def expressible(tmp_path_factory: pytest.TempPathFactory) -> tuple[AccountSnapshot, Any, dict[str, Any]]:
    account = blog_account()
    account.response_plans[0].pop("actions")
    return adopt(account, tmp_path_factory.mktemp("expressible"))


def test_the_mapping_is_what_cdk_import_takes(expressible: Any) -> None:
    snapshot, _, template = expressible
    mapping = import_mapping(template, snapshot)
    plan_id = logical_id(template, "AWS::SSMIncidents::ResponsePlan", Name="EC2HighCPU")
    assert mapping[plan_id] == {"Arn": f"arn:aws:ssm-incidents::{ACCOUNT}:response-plan/EC2HighCPU"}
    channel = logical_id(template, "AWS::SSMContacts::ContactChannel", ChannelName="sr incident responder phone")
    assert mapping[channel]["Arn"].startswith(
        f"arn:aws:ssm-contacts:{REGION}:{ACCOUNT}:contact-channel/sr-incident-responder/"
    )
    assert all(list(identifier) == ["Arn"] for identifier in mapping.values())


def test_import_is_refused_property_by_property_after_a_console_edit(expressible: Any) -> None:
    snapshot, _, template = expressible
    edited = copy.deepcopy(snapshot)
    for resource in edited.resources:
        if resource.name == "incident-responder / incident responder mobile":
            resource.properties["ChannelAddress"] = "+12065550177"
        if resource.name == "app-escalation-plan":
            resource.properties["Plan"][1]["DurationInMinutes"] = 7
        if resource.name == "EC2HighCPU":
            resource.properties["IncidentTemplate"]["Impact"] = 2
    with pytest.raises(AdoptError) as caught:
        import_mapping(template, edited)
    shown = [(d.name, d.path, d.template, d.live) for d in caught.value.differences]
    assert shown == [
        ("incident-responder / incident responder mobile", "ChannelAddress", "'+1206*****00'", "'+1206*****77'"),
        ("app-escalation-plan", "Plan[1].DurationInMinutes", "5", "7"),
        ("EC2HighCPU", "IncidentTemplate.Impact", "3", "2"),
    ]
    message = str(caught.value)
    assert message.startswith("3 properties differ from the account; importing now would change live resources")
    assert "+12065550177" not in message and "+12065550100" not in message


def test_a_masked_snapshot_compares_addresses_by_their_masks(expressible: Any, tmp_path: Path) -> None:
    snapshot, _, template = expressible
    snapshot.write(tmp_path)
    loaded = AccountSnapshot.load(tmp_path)
    plan = plan_import(template, loaded)
    assert plan.differences == []
    assert any("compared by their masks" in note for note in plan.notes)
    channel = next(r for r in loaded.resources if r.name == "incident-responder / incident responder email")
    channel.properties["ChannelAddress"] = "zz***@example.com"
    assert [d.path for d in plan_import(template, loaded).differences] == ["ChannelAddress"]


def test_import_needs_a_deletion_policy(expressible: Any) -> None:
    snapshot, _, template = expressible
    edited = copy.deepcopy(template)
    runbookless = logical_id(edited, "AWS::SSMContacts::Contact", Alias="incident-responder")
    del edited["Resources"][runbookless]["DeletionPolicy"]
    with pytest.raises(AdoptError) as caught:
        import_mapping(edited, snapshot)
    assert [(d.logical_id, d.path) for d in caught.value.differences] == [(runbookless, "DeletionPolicy")]


def test_resources_the_account_lacks_are_left_to_the_next_deploy(expressible: Any) -> None:
    snapshot, _, template = expressible
    edited = copy.deepcopy(snapshot)
    edited.resources = [r for r in edited.resources if r.name != "sr-incident-responder / sr incident responder phone"]
    plan = plan_import(template, edited)
    phone = logical_id(template, "AWS::SSMContacts::ContactChannel", ChannelName="sr incident responder phone")
    assert phone not in plan.mapping
    assert (
        f"{phone} (AWS::SSMContacts::ContactChannel sr-incident-responder / sr incident responder phone): not in the account: "
        "a channel the person must activate"
    ) in plan.notes
    # The plan that engages the phone now names a channel the import cannot resolve: refused.
    assert [d.path for d in plan.differences] == ["Stages[1].Targets"]


# -- drift -----------------------------------------------------------------------------------------


def test_drift_sees_console_edits_including_write_only_properties(tmp_path: Path) -> None:
    account = full_account()
    snapshot, _, template = adopt(account, tmp_path)
    before = {(d.name, d.path) for d in drift(template, snapshot)}
    # Console edits: the SMS engaged after 15 minutes instead of 10, a rotation taken out of the
    # schedule (both write-only for CloudFormation), a display name and a new contact.
    account.contact("incident-responder")["Plan"]["Stages"][0]["DurationInMinutes"] = 15
    schedule = account.contact("web-oncall")["Plan"]
    schedule["RotationIds"] = schedule["RotationIds"][:2]
    account.contact("app-escalation-plan")["DisplayName"] = "Application escalation"
    account.add_person(
        "new-hire", "New Hire", [("new hire email", "EMAIL", "new@example.com")], [(0, [("new hire email", 5)])]
    )
    differences = [
        d for d in drift(template, read_account(account.session(), REGION)) if (d.name, d.path) not in before
    ]
    shown = {(d.kind, d.resource_type.split("::")[-1], d.name, d.path) for d in differences}
    assert shown == {
        ("changed", "Plan", "incident-responder", "Stages[0].DurationInMinutes"),
        ("changed", "Contact", "web-oncall", "Plan[0].RotationIds"),
        ("changed", "Contact", "app-escalation-plan", "DisplayName"),
        ("unmanaged", "Contact", "new-hire", ""),
        ("unmanaged", "Plan", "new-hire", ""),
        ("unmanaged", "ContactChannel", "new-hire / new hire email", ""),
    }
    stage = next(d for d in differences if d.path == "Stages[0].DurationInMinutes")
    assert (stage.template, stage.live) == ("10", "15")


def test_drift_sees_deleted_resources_and_compares_addresses_whole(tmp_path: Path) -> None:
    account = blog_account()
    account.response_plans[0].pop("actions")
    snapshot, _, template = adopt(account, tmp_path)
    assert [d.kind for d in drift(template, snapshot)] == ["unmanaged"]  # the replication set (existing: true)
    account.channel("incident-responder", "incident responder email")["DeliveryAddress"]["SimpleAddress"] = (
        "re-new@example.com"
    )
    account.response_plans.clear()
    differences = drift(template, read_account(account.session(), REGION))
    assert [(d.kind, d.name, d.path, d.template, d.live) for d in differences if d.kind != "unmanaged"] == [
        (
            "changed",
            "incident-responder / incident responder email",
            "ChannelAddress",
            "'re***@example.com'",
            "'re***@example.com'",
        ),
        ("missing", "EC2HighCPU", "", "", ""),
    ]


def test_drift_over_several_stacks_resolves_exports(tmp_path: Path) -> None:
    """An escalation plan in one stack engaging a contact exported by another."""
    snapshot = read_account(blog_account().session(), REGION)
    people: dict[str, Any] = {
        "Resources": {
            "Responder": {
                "Type": "AWS::SSMContacts::Contact",
                "DeletionPolicy": "Retain",
                "Properties": {"Alias": "incident-responder", "DisplayName": "Incident Responder", "Type": "PERSONAL"},
            },
        },
        "Outputs": {
            "ResponderArn": {"Value": {"Fn::GetAtt": ["Responder", "Arn"]}, "Export": {"Name": "people:responder"}}
        },
    }
    plans: dict[str, Any] = {
        "Resources": {
            "Plan": {
                "Type": "AWS::SSMContacts::Contact",
                "DeletionPolicy": "Retain",
                "Properties": {
                    "Alias": "app-escalation-plan",
                    "DisplayName": "App escalation plan",
                    "Type": "ESCALATION",
                    "Plan": [
                        {
                            "DurationInMinutes": 5,
                            "Targets": [
                                {
                                    "ContactTargetInfo": {
                                        "ContactId": {"Fn::ImportValue": "people:responder"},
                                        "IsEssential": True,
                                    }
                                }
                            ],
                        },
                        {
                            "DurationInMinutes": 5,
                            "Targets": [
                                {
                                    "ContactTargetInfo": {
                                        "ContactId": {
                                            "Fn::Sub": "arn:${AWS::Partition}:ssm-contacts:${AWS::Region}:${AWS::AccountId}:contact/sr-incident-responder"
                                        },
                                        "IsEssential": True,
                                    }
                                }
                            ],
                        },
                    ],
                },
            },
        },
    }
    differences = drift([people, plans], snapshot)
    assert [d for d in differences if d.kind == "changed"] == []
    assert {d.name for d in differences if d.kind == "unmanaged"} >= {"incident-responder", "EC2HighCPU"}
    plans["Resources"]["Plan"]["Properties"]["Plan"][0]["Targets"][0]["ContactTargetInfo"]["ContactId"] = {
        "Fn::ImportValue": "people:nobody"
    }
    changed = [d for d in drift([people, plans], snapshot) if d.kind == "changed"]
    assert [(d.path, d.template) for d in changed] == [
        (
            "Plan[0].Targets",
            '[{"ContactTargetInfo": {"ContactId": "the export people:nobody, which no stack read holds", "IsEssential": true}}]',
        )
    ]


def test_until_the_file_names_the_role_the_plan_is_written_in_code(tmp_path: Path) -> None:
    """The README's way for today: the response plan leaves the file and is written in code with
    the existing role (iam.Role.from_role_arn) and the live runbook version (an override)."""
    from aws_cdk import aws_iam as iam

    from incident_constructs import Impact, ResponsePlan

    snapshot = read_account(blog_account().session(), REGION)
    snapshot.write(tmp_path)
    file = tmp_path / "organisation.yaml"
    data = yaml.safe_load(file.read_text())
    spec = data["response_plans"].pop("EC2HighCPU")
    file.write_text(yaml.safe_dump(data, sort_keys=False))
    app = cdk.App(builtin_cloud_formation_validation=False)
    stack = cdk.Stack(app, STACK, env=cdk.Environment(account=ACCOUNT, region=REGION))
    organisation = build_organisation(stack, file)
    plan = ResponsePlan(
        stack,
        "EC2HighCPU",
        response_plan_name="EC2HighCPU",
        display_name=spec["display_name"],
        title=spec["title"],
        impact=Impact.MEDIUM,
        summary=spec["summary"],
        engagements=[organisation.escalation_plans["app-escalation-plan"]],
        runbook=organisation.runbooks["ec2-cpu-util-runbook"],
        role=iam.Role.from_role_arn(stack, "RunbookRole", RUNBOOK_ROLE, mutable=False),
    )
    plan.resource.add_property_override("Actions.0.SsmAutomation.DocumentVersion", "$DEFAULT")
    template = app.synth().get_stack_by_name(STACK).template
    mapping = import_mapping(template, snapshot)
    assert mapping[logical_id(template, "AWS::SSMIncidents::ResponsePlan", Name="EC2HighCPU")] == {
        "Arn": f"arn:aws:ssm-incidents::{ACCOUNT}:response-plan/EC2HighCPU"
    }
