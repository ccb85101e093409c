"""The replacement guard: what a new template would delete or replace."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from support.stacks import new_app

from incident_constructs import Contact
from incident_constructs.tools.replacements import (
    CREATE_ONLY_PROPERTIES,
    ON_CALL_DATA_TYPES,
    ChangeKind,
    TemplateError,
    check_replacement_files,
    check_replacements,
    main_check_replacements,
)
from stacks.incident_stack import IncidentManagerStack

ADDRESSES = ("responder@example.com", "+12065550100", "sr-responder@example.com", "+12065550101")


def example_template() -> dict[str, Any]:
    app = new_app()
    IncidentManagerStack(app, "IncidentManagerExample")
    return app.synth().get_stack_by_name("IncidentManagerExample").template  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    """The example stack's template; each test changes a deep copy."""
    return example_template()


def logical_id(template: dict[str, Any], cfn_type: str, **props: Any) -> str:
    [found] = [
        k
        for k, v in template["Resources"].items()
        if v["Type"] == cfn_type and all(v.get("Properties", {}).get(p) == x for p, x in props.items())
    ]
    return found


def person_template(alias: str, *, contact_id: str = "Alice", **contact_props: Any) -> dict[str, Any]:
    app = new_app()
    stack = cdk.Stack(app, "People")
    alice = Contact(stack, contact_id, alias=alias, **contact_props)
    alice.add_email_channel("alice mail", "alice@example.com")
    alice.add_sms_channel("alice phone", "+12065550199", engage_after=cdk.Duration.minutes(5))
    return app.synth().get_stack_by_name("People").template  # type: ignore[no-any-return]


def test_the_example_against_itself_changes_nothing(example: dict[str, Any]) -> None:
    report = check_replacements(example, copy.deepcopy(example))
    assert report.changes == ()
    assert not report.blocking
    assert report.format() == ["No resource would be replaced or deleted."]


def test_changing_an_alias_in_the_example_blocks_and_names_the_people(example: dict[str, Any]) -> None:
    new = copy.deepcopy(example)
    contact = logical_id(new, "AWS::SSMContacts::Contact", Alias="incident-responder")
    new["Resources"][contact]["Properties"]["Alias"] = "incident-responder-2"

    report = check_replacements(example, new)

    assert report.blocking
    replaced = {c.logical_id: c for c in report.replaced}
    assert replaced[contact].reasons == ("Alias changed",)
    channels = [k for k, v in example["Resources"].items() if v["Type"] == "AWS::SSMContacts::ContactChannel"]
    mine = [k for k in channels if example["Resources"][k]["Properties"]["ContactId"]["Fn::GetAtt"][0] == contact]
    plan = logical_id(example, "AWS::SSMContacts::Plan", ContactId={"Fn::GetAtt": [contact, "Arn"]})
    assert set(replaced) == {contact, plan, *mine}
    assert len(mine) == 2
    assert report.deleted == [] and report.orphaned == []
    assert report.people == ["incident-responder"]
    assert sorted((r.contact_alias, r.channel_name, r.channel_type) for r in report.reactivations) == [
        ("incident-responder", "incident responder email", "EMAIL"),
        ("incident-responder", "incident responder mobile", "SMS"),
    ]
    text = "\n".join(report.format())
    assert "BLOCKING replace AWS::SSMContacts::Contact" in text
    assert "incident-responder: SMS channel 'incident responder mobile' must be activated again" in text
    assert not any(address in text for address in ADDRESSES)


def test_a_contact_synthesized_with_another_alias_is_replaced_with_its_channels() -> None:
    report = check_replacements(person_template("alice"), person_template("alice-smith"))
    assert report.blocking
    assert sorted(c.resource_type for c in report.replaced) == [
        "AWS::SSMContacts::Contact",
        "AWS::SSMContacts::ContactChannel",
        "AWS::SSMContacts::ContactChannel",
        "AWS::SSMContacts::Plan",
    ]
    assert [c.label for c in report.replaced if c.resource_type == "AWS::SSMContacts::Contact"] == ["alice"]
    assert sorted(r.channel_name for r in report.reactivations) == ["alice mail", "alice phone"]
    assert all(c.old_kept for c in report.replaced)  # the library's default UpdateReplacePolicy: Retain


def test_a_display_name_change_replaces_nothing() -> None:
    report = check_replacements(person_template("alice"), person_template("alice", display_name="Alice Smith"))
    assert report.changes == () and not report.blocking


def test_a_retained_contact_removed_from_the_template_is_orphaned_not_blocking(example: dict[str, Any]) -> None:
    new = copy.deepcopy(example)
    senior = logical_id(new, "AWS::SSMContacts::Contact", Alias="sr-incident-responder")
    del new["Resources"][senior]

    report = check_replacements(example, new)

    assert [(c.logical_id, c.kind) for c in report.changes] == [(senior, ChangeKind.ORPHAN)]
    assert not report.blocking
    assert report.reactivations == ()
    assert any(line.strip().startswith("warning orphan AWS::SSMContacts::Contact") for line in report.format())


def test_deleting_a_contact_that_is_not_retained_blocks() -> None:
    old = person_template("alice", removal_policy=cdk.RemovalPolicy.DESTROY)
    new = copy.deepcopy(old)
    for key in [k for k, v in new["Resources"].items() if v["Type"] != "AWS::SSMContacts::Contact"]:
        del new["Resources"][key]

    report = check_replacements(old, new)

    assert report.blocking
    assert sorted(c.resource_type for c in report.deleted) == [
        "AWS::SSMContacts::ContactChannel",
        "AWS::SSMContacts::ContactChannel",
        "AWS::SSMContacts::Plan",
    ]
    assert all("DeletionPolicy Delete" in c.reasons[0] for c in report.deleted)
    assert report.reactivations == ()  # deleted channels are gone, not re-created


def test_a_renamed_construct_id_of_a_contact_blocks_and_names_the_people() -> None:
    """The new contact with the same alias fails to create while the retained one holds the
    alias, and every channel created again must be activated again."""
    report = check_replacements(person_template("alice"), person_template("alice", contact_id="AliceSmith"))
    assert {c.kind for c in report.changes} == {ChangeKind.ORPHAN}
    assert len(report.changes) == 4
    assert report.blocking
    [contact] = [c for c in report.changes if c.resource_type == "AWS::SSMContacts::Contact"]
    assert contact.blocking and contact.renamed_to is not None and contact.renamed_to.startswith("AliceSmith")
    assert "the create fails" in "; ".join(contact.reasons)
    assert report.people == ["alice"]
    assert sorted(r.channel_type for r in report.reactivations) == ["EMAIL", "SMS"]
    assert any(line.strip().startswith("BLOCKING orphan AWS::SSMContacts::Contact") for line in report.format())


def test_resources_without_on_call_data_are_listed_but_do_not_block(example: dict[str, Any]) -> None:
    new = copy.deepcopy(example)
    alarm = logical_id(new, "AWS::CloudWatch::Alarm")
    new["Resources"][alarm]["Properties"]["AlarmName"] = "renamed-alarm"
    role = logical_id(new, "AWS::IAM::Role")
    del new["Resources"][role]

    report = check_replacements(example, new)

    assert not report.blocking
    assert {(c.logical_id, c.kind) for c in report.changes} == {(role, ChangeKind.DELETE), (alarm, ChangeKind.REPLACE)}
    assert all(line.strip().startswith("note") for line in report.format()[1:])


def test_a_changed_type_is_a_replacement(example: dict[str, Any]) -> None:
    new = copy.deepcopy(example)
    plan = logical_id(new, "AWS::SSMIncidents::ResponsePlan")
    new["Resources"][plan]["Type"] = "AWS::SSMIncidents::Other"
    report = check_replacements(example, new)
    assert [c.reasons for c in report.changes] == [("type changed to AWS::SSMIncidents::Other",)]
    assert report.blocking


def test_a_response_plan_name_change_blocks(example: dict[str, Any]) -> None:
    new = copy.deepcopy(example)
    plan = logical_id(new, "AWS::SSMIncidents::ResponsePlan")
    new["Resources"][plan]["Properties"]["Name"] = "EC2HighCPU2"
    report = check_replacements(example, new)
    assert [(c.logical_id, c.label, c.reasons) for c in report.changes] == [(plan, "EC2HighCPU", ("Name changed",))]
    assert report.blocking


def test_document_content_changes_replace_only_without_update_method_new_version(example: dict[str, Any]) -> None:
    document = logical_id(example, "AWS::SSM::Document")
    in_place = copy.deepcopy(example)
    in_place["Resources"][document]["Properties"]["Content"]["description"] = "changed"
    assert check_replacements(example, in_place).changes == ()

    old = copy.deepcopy(example)
    del old["Resources"][document]["Properties"]["UpdateMethod"]
    replacing = copy.deepcopy(old)
    replacing["Resources"][document]["Properties"]["Content"]["description"] = "changed"
    report = check_replacements(old, replacing)
    assert [c.reasons for c in report.changes] == [("Content changed and UpdateMethod is Replace",)]
    assert not report.blocking


@pytest.mark.parametrize(
    "template, message",
    [
        ([], "the old template is not a JSON object."),
        ({"Parameters": {}}, "has no Resources section"),
        ({"Resources": {"X": {}}}, "'X' has no Type"),
    ],
)
def test_something_that_is_not_a_template_is_refused(template: Any, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        check_replacements(template, {"Resources": {}})


def write(path: Path, template: Any) -> Path:
    path.write_text(json.dumps(template), encoding="utf-8")
    return path


def test_main_exit_codes(tmp_path: Path, example: dict[str, Any]) -> None:
    old = write(tmp_path / "old.json", example)
    changed = copy.deepcopy(example)
    contact = logical_id(changed, "AWS::SSMContacts::Contact", Alias="sr-incident-responder")
    changed["Resources"][contact]["Properties"]["Type"] = "ESCALATION"
    new = write(tmp_path / "new.json", changed)

    out, err = io.StringIO(), io.StringIO()
    assert main_check_replacements(old, old, out=out, err=err) == 0
    assert out.getvalue() == "No resource would be replaced or deleted.\n" and err.getvalue() == ""

    out = io.StringIO()
    assert main_check_replacements(old, new, out=out, err=err) == 1
    assert (
        "sr-incident-responder: VOICE channel 'sr incident responder phone' must be activated again" in out.getvalue()
    )
    assert "Type changed" in out.getvalue()
    assert not any(a in out.getvalue() for a in ADDRESSES)


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "cannot read the new template"),
        ("{not json", "is not JSON"),
        ("[1, 2]", "is not a JSON object"),
        ('{"Resources": {"A": {"Properties": {}}}}', "resource 'A' has no Type"),
    ],
)
def test_main_reports_file_errors_in_one_line_with_exit_code_2(
    tmp_path: Path, content: str | None, message: str
) -> None:
    old = write(tmp_path / "old.json", {"Resources": {}})
    new = tmp_path / "new.json"
    if content is not None:
        new.write_text(content, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main_check_replacements(old, new, out=out, err=err) == 2
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]
    assert "Traceback" not in err.getvalue() and out.getvalue() == ""


def test_check_replacement_files_reads_cdk_out_templates(tmp_path: Path) -> None:
    old = write(tmp_path / "old.json", person_template("alice"))
    new = write(tmp_path / "new.json", person_template("bob"))
    assert check_replacement_files(old, new).people == ["alice"]


def _registry_schema(cfn_type: str) -> dict[str, Any]:
    """The CloudFormation registry schema of a type, as cfn-lint ships it (us-east-1)."""
    import cfnlint

    schemas = Path(cfnlint.__file__).parent / "data" / "schemas"
    providers = json.loads((schemas / "providers" / "us-east-1.json").read_text(encoding="utf-8"))
    return json.loads((schemas / "resources" / f"{providers[cfn_type]}.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_create_only_properties_equal_the_registry_schemas_that_cfn_lint_ships() -> None:
    for cfn_type, props in CREATE_ONLY_PROPERTIES.items():
        expected = tuple(
            p.removeprefix("/properties/") for p in _registry_schema(cfn_type).get("createOnlyProperties", [])
        )
        assert props == expected, cfn_type


def test_create_only_properties_cover_every_type_the_example_writes(example: dict[str, Any]) -> None:
    types = {r["Type"] for r in example["Resources"].values()} - {"AWS::CDK::Metadata"}
    assert types <= set(CREATE_ONLY_PROPERTIES), sorted(types - set(CREATE_ONLY_PROPERTIES))
    assert set(CREATE_ONLY_PROPERTIES) >= ON_CALL_DATA_TYPES


def test_the_templates_compared_here_pass_cfn_lint(tmp_path: Path) -> None:
    from support.lint import cfn_lint_templates

    paths = [
        write(tmp_path / f"{i}.template.json", template)
        for i, template in enumerate(
            [
                person_template("alice"),
                person_template("alice", display_name="Alice Smith"),
                person_template("alice", removal_policy=cdk.RemovalPolicy.DESTROY),
            ]
        )
    ]
    assert cfn_lint_templates(paths) == []


#: The example stack's logical ids. A change here means a deployed example would lose or replace
#: resources: if it is deliberate, update the list and say so in the release notes.
EXAMPLE_LOGICAL_IDS = [
    "AppEscalationPlan02FCDA46",  # AWS::SSMContacts::Contact
    "EC2HighCPUFAD6A746",  # AWS::SSMIncidents::ResponsePlan
    "EC2HighCPURunbookRoleA8EC9393",  # AWS::IAM::Role
    "Ec2CpuRunbookBDD5AFDA",  # AWS::SSM::Document
    "HighCpuAlarm40723000",  # AWS::CloudWatch::Alarm
    "IncidentResponder1E06781E",  # AWS::SSMContacts::Contact
    "IncidentResponderPlan010B7A76",  # AWS::SSMContacts::Plan
    "IncidentResponderincidentresponderemail6C99736F",  # AWS::SSMContacts::ContactChannel
    "IncidentResponderincidentrespondermobile5FD291F1",  # AWS::SSMContacts::ContactChannel
    "ReplicationSetE21EE7E9",  # AWS::SSMIncidents::ReplicationSet
    "SrIncidentResponderBC97AFDD",  # AWS::SSMContacts::Contact
    "SrIncidentResponderPlan418DA06C",  # AWS::SSMContacts::Plan
    "SrIncidentRespondersrincidentresponderemail9CF25D6C",  # AWS::SSMContacts::ContactChannel
    "SrIncidentRespondersrincidentresponderphone8F2351A9",  # AWS::SSMContacts::ContactChannel
    "WebEngineer48E3EFBE",  # AWS::SSMContacts::Contact
    "WebEngineerPlan63CFDD62",  # AWS::SSMContacts::Plan
    "WebEngineerwebengineeremailF2AD0D04",  # AWS::SSMContacts::ContactChannel
    "WebFollowTheSunAmer03B14945",  # AWS::SSMContacts::Rotation
    "WebFollowTheSunEmeaF1BD92A2",  # AWS::SSMContacts::Rotation
    "WebOnCallD1868AEA",  # AWS::SSMContacts::Contact
    "WebPrimaryRotation2794CD11",  # AWS::SSMContacts::Rotation
]


def test_the_example_stack_logical_ids_are_stable() -> None:
    assert sorted(example_template()["Resources"]) == EXAMPLE_LOGICAL_IDS
