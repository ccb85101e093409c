"""The on-call organisation as one data file: schema, errors with file:line:column, building."""

from __future__ import annotations

import textwrap
from pathlib import Path

import aws_cdk as cdk
import jsonschema
import pytest
from aws_cdk.assertions import Template
from helpers import new_app, new_stack, resources_of
from support.lint import REPO_ROOT, cfn_lint_templates

from incident_constructs import ValidationError
from incident_constructs.config import (
    OnCallOrganisation,
    OrganisationFileError,
    build_organisation,
    load_organisation,
    organisation_json_schema,
)

EXAMPLE = REPO_ROOT / "examples" / "organisation.yaml"

MINIMAL = """\
contacts:
  incident-responder:
    display_name: Incident Responder
    channels:
      - {name: incident responder email, email: responder@example.com, engage_after_minutes: 0}
      - {name: incident responder mobile, sms: "+12065550100", engage_after_minutes: 10}
escalation_plans:
  app-escalation-plan:
    stages:
      - {contacts: [incident-responder], duration_minutes: 5, acknowledgement_stops_progression: true}
response_plans:
  EC2HighCPU: {title: cpu-incident-1, impact: medium, engagements: [app-escalation-plan]}
"""


def _write(tmp_path: Path, text: str, name: str = "org.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _error(tmp_path: Path, text: str) -> OrganisationFileError:
    path = _write(tmp_path, text)
    with pytest.raises(OrganisationFileError) as error:
        build_organisation(new_stack(), path)
    return error.value


# -- building ---------------------------------------------------------------------------------


def test_minimal_file_builds_contacts_plans_and_response_plan_by_key(tmp_path: Path):
    stack = new_stack()
    org = build_organisation(stack, _write(tmp_path, MINIMAL))
    assert list(org.contacts) == ["incident-responder"]
    assert org.contacts["incident-responder"].node.path == "TestStack/IncidentResponder"
    assert [c.channel_type.value for c in org.contacts["incident-responder"].channels] == ["EMAIL", "SMS"]
    plan = org.response_plans["EC2HighCPU"]
    assert plan.engagements == [org.escalation_plans["app-escalation-plan"]]
    t = Template.from_stack(stack)
    t.has_resource_properties(
        "AWS::SSMIncidents::ResponsePlan",
        {"Name": "EC2HighCPU", "IncidentTemplate": {"Title": "cpu-incident-1", "Impact": 3}},
    )
    t.resource_count_is("AWS::SSMContacts::ContactChannel", 2)


def test_on_call_organisation_nests_the_constructs(tmp_path: Path):
    stack = new_stack()
    org = OnCallOrganisation(stack, "Org", file=_write(tmp_path, MINIMAL))
    assert org.contacts["incident-responder"].node.path == "TestStack/Org/IncidentResponder"
    assert org.response_plans["EC2HighCPU"].node.path == "TestStack/Org/EC2HighCPU"
    assert org.replication_set is None
    assert any(lid.startswith("OrgIncidentResponder") for lid in resources_of(stack, "AWS::SSMContacts::Contact"))


def test_impact_by_number_and_contact_by_arn(tmp_path: Path):
    stack = new_stack()
    arn = "arn:aws:ssm-contacts:us-east-1:111122223333:contact/existing-oncall"
    build_organisation(
        stack,
        _write(
            tmp_path,
            f"""\
            response_plans:
              db-outage: {{title: db down, impact: 1, engagements: ["{arn}"]}}
            """,
        ),
    )
    (plan,) = resources_of(stack, "AWS::SSMIncidents::ResponsePlan").values()
    assert plan["Properties"]["Engagements"] == [arn]
    assert plan["Properties"]["IncidentTemplate"]["Impact"] == 1


def test_runbook_file_is_loaded_relative_to_the_organisation_file(tmp_path: Path):
    (tmp_path / "runbooks").mkdir()
    (tmp_path / "runbooks" / "restart.yaml").write_text(
        "schemaVersion: '0.3'\nmainSteps:\n  - {name: Restart, action: 'aws:pause', inputs: {}}\n", encoding="utf-8"
    )
    stack = new_stack()
    org = build_organisation(
        stack,
        _write(
            tmp_path,
            """\
            runbooks:
              restart-runbook: {file: runbooks/restart.yaml}
            response_plans:
              Restart: {title: restart, impact: low, runbook: restart-runbook}
            """,
        ),
    )
    assert org.runbooks["restart-runbook"].steps[0]["name"] == "Restart"
    (plan,) = resources_of(stack, "AWS::SSMIncidents::ResponsePlan").values()
    assert plan["Properties"]["Actions"][0]["SsmAutomation"]["DocumentName"] == "restart-runbook"


def test_chat_channel_and_existing_replication_set(tmp_path: Path):
    stack = new_stack()
    org = build_organisation(
        stack,
        _write(
            tmp_path,
            """\
            response_plans:
              EC2HighCPU: {title: cpu, impact: high, chat_channels: [incident-chat]}
            chat_channels:
              incident-chat: {slack_workspace_id: T012ABCDEFG, slack_channel_id: C012ABCDEFG}
            replication_set: {existing: true}
            """,
        ),
    )
    assert org.chat_channels["incident-chat"].response_plans == [org.response_plans["EC2HighCPU"]]
    (plan,) = resources_of(stack, "AWS::SSMIncidents::ResponsePlan").values()
    assert "ChatChannel" in plan["Properties"]
    Template.from_stack(stack).resource_count_is("AWS::SSMIncidents::ReplicationSet", 0)
    assert org.replication_set is not None


# -- errors: schema ---------------------------------------------------------------------------


def test_unknown_key_names_file_line_column_and_the_allowed_keys(tmp_path: Path):
    error = _error(
        tmp_path,
        """\
        contacts:
          incident-responder:
            display_name: Incident Responder
            dispaly: typo
        """,
    )
    (problem,) = error.problems
    assert (problem.line, problem.column) == (4, 5)
    assert str(problem) == (
        f"{tmp_path / 'org.yaml'}:4:5: contacts.incident-responder.dispaly: unknown key 'dispaly'; "
        "allowed keys: channels, defer_activation, display_name, id, retry_interval_minutes."
    )
    assert isinstance(error, ValidationError)


def test_channel_with_two_addresses_is_refused(tmp_path: Path):
    error = _error(
        tmp_path,
        """\
        contacts:
          bob:
            channels:
              - {name: bob, email: bob@example.com, sms: "+12065550100"}
        """,
    )
    (problem,) = error.problems
    assert (problem.line, problem.column, problem.path) == (4, 9, "contacts.bob.channels[0]")
    assert "exactly one of the keys email, sms or voice" in problem.message


def test_bad_alias_key_points_at_the_key(tmp_path: Path):
    error = _error(
        tmp_path,
        """\
        contacts:
          Incident Responder: {}
        """,
    )
    (problem,) = error.problems
    assert (problem.line, problem.column) == (2, 3)
    assert "name 'Incident Responder' is not allowed: 1-255 characters of lower-case letters" in problem.message


def test_wrong_type_and_range(tmp_path: Path):
    error = _error(
        tmp_path,
        """\
        escalation_plans:
          plan:
            stages:
              - {contacts: [a], duration_minutes: 45, acknowledgement_stops_progression: "yes please"}
        """,
    )
    messages = sorted(str(p) for p in error.problems)
    assert len(messages) == 2
    assert any("stages[0].duration_minutes: 45 is not allowed: 0 to 30." in m for m in messages)
    assert any(
        "acknowledgement_stops_progression: 'yes please' is not allowed: a boolean is required." in m for m in messages
    )
    # One line per problem, in file order.
    assert str(error).count("\n") == 1


def test_missing_required_key(tmp_path: Path):
    error = _error(
        tmp_path,
        """\
        response_plans:
          EC2HighCPU: {impact: medium}
        """,
    )
    (problem,) = error.problems
    assert (problem.line, problem.column) == (2, 3)
    assert problem.message == "missing key 'title' (required: title, impact)."


def test_duplicate_keys_are_refused(tmp_path: Path):
    error = _error(
        tmp_path,
        """\
        contacts:
          bob: {}
          bob: {display_name: Bob}
        """,
    )
    (problem,) = error.problems
    assert (problem.line, problem.column) == (3, 3)
    assert "key 'bob' appears more than once" in problem.message


def test_invalid_yaml_names_the_line(tmp_path: Path):
    error = _error(tmp_path, "contacts:\n  bob: {display_name: [\n")
    (problem,) = error.problems
    assert problem.line == 3
    assert problem.message.startswith("not valid YAML:")


def test_missing_file(tmp_path: Path):
    with pytest.raises(OrganisationFileError, match=r"nothere.yaml:1:1: cannot read the organisation file"):
        build_organisation(new_stack(), tmp_path / "nothere.yaml")


# -- errors: references and construct rules -----------------------------------------------------


def test_reference_to_a_contact_that_does_not_exist(tmp_path: Path):
    error = _error(
        tmp_path,
        """\
        contacts:
          incident-responder: {}
        escalation_plans:
          app-escalation-plan:
            stages:
              - {contacts: [incident-responder]}
              - {contacts: [incident-responder, sr-incident-responder]}
        """,
    )
    (problem,) = error.problems
    assert (problem.line, problem.column) == (7, 41)
    assert problem.path == "escalation_plans.app-escalation-plan.stages[1].contacts[1]"
    assert problem.message.startswith(
        "'sr-incident-responder' is not one of the contacts, schedules and escalation plans"
    )
    assert "(incident-responder)" in problem.message


def test_bad_phone_number_is_the_constructs_message_at_the_number(tmp_path: Path):
    error = _error(
        tmp_path,
        """\
        contacts:
          incident-responder:
            channels:
              - name: mobile
                sms: "2065550199"
        """,
    )
    (problem,) = error.problems
    assert (problem.line, problem.column) == (5, 14)
    assert problem.path == "contacts.incident-responder.channels[0].sms"
    assert "TestStack/IncidentResponder (Contact): address of channel 'mobile'" in problem.message
    assert "E.164" in problem.message
    assert "2065550199" not in problem.message  # the address stays masked


def test_unknown_runbook_and_missing_runbook_file(tmp_path: Path):
    error = _error(
        tmp_path,
        """\
        response_plans:
          EC2HighCPU: {title: t, impact: low, runbook: nope}
        """,
    )
    assert error.problems[0].path == "response_plans.EC2HighCPU.runbook"
    assert "'nope' is not a runbook of this file; runbooks: none." in error.problems[0].message
    error = _error(tmp_path, "runbooks:\n  my-runbook: {file: missing.yaml}\n")
    (problem,) = error.problems
    assert (problem.line, problem.path) == (2, "runbooks.my-runbook.file")
    assert "cannot read runbook file" in problem.message


def test_runbook_step_error_points_at_the_step(tmp_path: Path):
    error = _error(
        tmp_path,
        """\
        runbooks:
          my-runbook:
            steps:
              - {name: One, action: "aws:pause"}
              - {name: One, action: "aws:pause"}
        """,
    )
    (problem,) = error.problems
    assert (problem.line, problem.path) == (5, "my-runbook" and "runbooks.my-runbook.steps[1]")
    assert "step names must be unique" in problem.message


def test_same_construct_id_twice_is_refused(tmp_path: Path):
    error = _error(
        tmp_path,
        """\
        contacts:
          team-a: {}
        escalation_plans:
          team-b:
            id: TeamA
            stages: [{contacts: [team-a]}]
        """,
    )
    (problem,) = error.problems
    assert (problem.line, problem.path) == (5, "escalation_plans.team-b.id")
    assert "construct id 'TeamA' is already used by contacts.team-a" in problem.message


def test_schedule_of_an_unknown_rotation(tmp_path: Path):
    error = _error(tmp_path, "schedules:\n  web-oncall: {rotations: [nope]}\n")
    (problem,) = error.problems
    assert problem.path == "schedules.web-oncall.rotations[0]"
    assert "'nope' is not a rotation of this file" in problem.message


def test_weekly_rotation_needs_a_day(tmp_path: Path):
    error = _error(
        tmp_path,
        """\
        contacts:
          a: {}
        rotations:
          r:
            contacts: [a]
            start_time: 2026-01-05T09:00:00
            time_zone: Europe/Paris
            recurrence: {every: week, hand_off_time: "09:00"}
        """,
    )
    (problem,) = error.problems
    assert (problem.line, problem.path) == (8, "rotations.r.recurrence")
    assert "missing key 'day_of_week'" in problem.message


def test_rotation_rule_of_the_construct_is_reported_at_the_rotation(tmp_path: Path):
    error = _error(
        tmp_path,
        """\
        contacts:
          a: {}
        rotations:
          r:
            contacts: [a]
            start_time: 2026-01-05T09:00:00
            time_zone: Mars/Olympus_Mons
            recurrence: {every: day, hand_off_time: "09:00"}
        """,
    )
    (problem,) = error.problems
    assert (problem.line, problem.path) == (4, "rotations.r")
    assert "Mars/Olympus_Mons" in problem.message


# -- the schema ---------------------------------------------------------------------------------


def test_json_schema_is_draft_2020_12_and_a_copy():
    schema = organisation_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    schema["properties"].clear()
    assert organisation_json_schema()["properties"]


def test_example_file_is_valid_against_the_exported_schema():
    data = load_organisation(EXAMPLE)
    jsonschema.Draft202012Validator(organisation_json_schema()).validate(data)
    # Timestamps stay strings: a rotation's start is local wall-clock time, not a UTC instant.
    assert data["rotations"]["web_primary"]["start_time"] == "2026-01-05T09:00:00"


# -- the example, both routes -----------------------------------------------------------------------


def test_stack_from_the_example_file_passes_cfn_lint(tmp_path: Path):
    app = cdk.App(builtin_cloud_formation_validation=False, outdir=str(tmp_path))
    # Two accounts: aliases and names are unique per account.
    build_organisation(
        cdk.Stack(app, "FromFile", env=cdk.Environment(account="111111111111", region="us-east-1")), EXAMPLE
    )
    nested = cdk.Stack(app, "Nested", env=cdk.Environment(account="222222222222", region="us-east-1"))
    OnCallOrganisation(nested, "Org", file=EXAMPLE)
    assembly = app.synth()
    templates = [Path(assembly.get_stack_by_name(n).template_full_path) for n in ("FromFile", "Nested")]
    assert cfn_lint_templates(templates) == []


def test_example_file_builds_the_same_template_as_the_hand_written_example_stack():
    from stacks.incident_stack import IncidentManagerStack

    by_hand = Template.from_stack(IncidentManagerStack(new_app(), "IncidentManagerExample")).to_json()
    stack = cdk.Stack(new_app(), "IncidentManagerExample")
    build_organisation(stack, EXAMPLE)
    from_file = Template.from_stack(stack).to_json()

    alarms = {k for k, v in by_hand["Resources"].items() if v["Type"] == "AWS::CloudWatch::Alarm"}
    assert len(alarms) == 1  # the file does not describe the CPU alarm
    expected = {k: v for k, v in by_hand["Resources"].items() if k not in alarms}
    assert sorted(from_file["Resources"]) == sorted(expected)
    for logical_id, resource in expected.items():
        assert from_file["Resources"][logical_id] == resource, logical_id


def test_static_schema_file_in_the_package_matches_the_schema():
    import json

    path = REPO_ROOT / "incident_constructs" / "schema" / "organisation.schema.json"
    # Regenerate with: incident-constructs schema > incident_constructs/schema/organisation.schema.json
    assert json.loads(path.read_text(encoding="utf-8")) == organisation_json_schema()


def test_the_file_schemas_bounds_are_the_constructs():
    """The schema refuses, before any construct is built, what the constructs refuse."""
    from incident_constructs.contacts import contact, rotation

    definitions = organisation_json_schema()["$defs"]
    assert definitions["channel"]["properties"]["engage_after_minutes"]["maximum"] == contact.MAX_ENGAGE_AFTER_MINUTES
    assert definitions["rotation"]["properties"]["number_of_on_calls"]["maximum"] == rotation.MAX_CONTACTS
    assert definitions["rotation"]["properties"]["recurrence_multiplier"]["maximum"] == rotation.MAX_MULTIPLIER
