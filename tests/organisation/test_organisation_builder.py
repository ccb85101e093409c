"""Building an organisation file: every section, references between sections, the
constructs' own checks reported at file:line:column, and the example built both ways."""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template
from support.lint import REPO_ROOT, cfn_lint_templates
from support.organisation import MINIMAL
from support.organisation import build_error as _error
from support.organisation import write_file as _write
from support.stacks import new_app, new_stack, resources_of

from incident_constructs.organisation import OnCallOrganisation, build_organisation

EXAMPLE = REPO_ROOT / "examples" / "organisation.yaml"


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


# -- the keys adopt needs: explicit engagement stages -------------------------------------------

STAGED = """\
contacts:
  alice:
    channels:
      - {name: alice email, email: alice@example.com}
      - {name: alice sms, sms: "+12065550100", retry_interval_minutes: 2}
    engagement_stages:
      - duration_minutes: 3
        channels: [{name: alice email}]
      - duration_minutes: 3
        channels: [{name: alice sms, retry_interval_minutes: 1}, {name: alice email}]
"""


def test_engagement_stages_are_the_plan_stage_by_stage(tmp_path: Path):
    stack = new_stack()
    org = build_organisation(stack, _write(tmp_path, STAGED))
    (plan,) = resources_of(stack, "AWS::SSMContacts::Plan").values()
    email, sms = (stack.resolve(c.channel_arn) for c in org.contacts["alice"].channels)
    assert plan["Properties"]["Stages"] == [
        {"DurationInMinutes": 3, "Targets": [{"ChannelTargetInfo": {"ChannelId": email, "RetryIntervalInMinutes": 5}}]},
        {
            "DurationInMinutes": 3,
            "Targets": [
                {"ChannelTargetInfo": {"ChannelId": sms, "RetryIntervalInMinutes": 1}},
                {"ChannelTargetInfo": {"ChannelId": email, "RetryIntervalInMinutes": 5}},
            ],
        },
    ]


@pytest.mark.parametrize(
    "change, position, path, message",
    [
        (
            ("channels: [{name: alice email}]", "channels: [{name: alice mail}]"),
            (8, 27),
            "contacts.alice.engagement_stages[0].channels[0].name",
            "'alice mail' is not a channel of this contact; channels: alice email, alice sms.",
        ),
        (
            ("{name: alice email}]\n      - duration", "{name: alice email}, {name: alice email}]\n      - duration"),
            (8, 48),
            "contacts.alice.engagement_stages[0].channels[1].name",
            "'alice email' is named twice in this stage; each channel at most once per stage.",
        ),
        (
            ("email: alice@example.com}", "email: alice@example.com, engage_after_minutes: 5}"),
            (4, 77),
            "contacts.alice.channels[0].engage_after_minutes",
            "engage_after_minutes is not used when the contact gives engagement_stages: name the channel in a stage instead.",
        ),
        (
            ("      - duration_minutes: 3\n        channels: [{name: alice email}]\n", "      - duration_minutes: 0\n"),
            (7, 27),
            "contacts.alice.engagement_stages[0].duration_minutes",
            "0 is not allowed for a stage that engages no channel: 1 to 30.",
        ),
    ],
)
def test_engagement_stage_problems_are_at_their_line_and_column(
    tmp_path: Path, change: tuple[str, str], position: tuple[int, int], path: str, message: str
):
    error = _error(tmp_path, STAGED.replace(*change))
    (problem,) = error.problems
    assert ((problem.line, problem.column), problem.path, problem.message) == (position, path, message)


def test_engagement_stages_need_channels(tmp_path: Path):
    error = _error(tmp_path, "contacts:\n  bob:\n    engagement_stages: [{duration_minutes: 5}]\n")
    (problem,) = error.problems
    assert (problem.line, problem.path) == (3, "contacts.bob.engagement_stages")
    assert problem.message == "a contact without channels has no engagement plan: give channels too."


# -- tags of contacts, rotations, schedules and escalation plans ------------------------------------

TAGGED = """\
contacts:
  alice: {tags: {team: web}, channels: [{name: alice email, email: alice@example.com}]}
rotations:
  web_primary:
    contacts: [alice]
    start_time: "2026-01-05T09:00:00"
    time_zone: UTC
    recurrence: {every: day, hand_off_time: "09:00"}
    tags: {team: web, tier: "1"}
schedules:
  web-oncall: {rotations: [web_primary], tags: {team: web}}
escalation_plans:
  web-plan: {stages: [{contacts: [web-oncall]}], tags: {team: web}}
"""


def test_tags_of_contacts_rotations_schedules_and_escalation_plans(tmp_path: Path):
    stack = new_stack()
    build_organisation(stack, _write(tmp_path, TAGGED))
    contacts = resources_of(stack, "AWS::SSMContacts::Contact")
    assert sorted(c["Properties"]["Alias"] for c in contacts.values() if c["Properties"].get("Tags")) == [
        "alice",
        "web-oncall",
        "web-plan",
    ]
    assert all(c["Properties"]["Tags"] == [{"Key": "team", "Value": "web"}] for c in contacts.values())
    (rotation,) = resources_of(stack, "AWS::SSMContacts::Rotation").values()
    assert rotation["Properties"]["Tags"] == [{"Key": "team", "Value": "web"}, {"Key": "tier", "Value": "1"}]
    for channel in resources_of(stack, "AWS::SSMContacts::ContactChannel").values():
        assert "Tags" not in channel["Properties"]  # not taggable


def test_a_tag_ssm_contacts_refuses_is_reported_at_the_tags(tmp_path: Path):
    error = _error(tmp_path, TAGGED.replace("tags: {team: web, tier:", "tags: {cost center: web, tier:"))
    (problem,) = error.problems
    assert (problem.line, problem.path) == (9, "rotations.web_primary.tags")
    assert "TestStack/WebPrimary (Rotation): tags key 'cost center' is not allowed" in problem.message


# -- response plans: existing runbook, role, version, parameters, topics, PagerDuty ----------------

ROLE = "arn:aws:iam::111122223333:role/IncidentManagerRunbookRole"
SECRET = "arn:aws:secretsmanager:us-east-1:111122223333:secret:pagerduty-AbCdEf"
EXISTING = f"""\
runbooks:
  AWSIncidents-CriticalIncidentRunbookTemplate: {{existing: true}}
response_plans:
  WebDown:
    title: web down
    impact: high
    runbook: AWSIncidents-CriticalIncidentRunbookTemplate
    runbook_role_arn: {ROLE}
    runbook_version: $DEFAULT
    runbook_dynamic_parameters: {{IncidentRecordArn: INCIDENT_RECORD_ARN}}
    notification_topic_arns: [arn:aws:sns:us-east-1:111122223333:incident-updates]
    chat_topic_arns: [arn:aws:sns:us-east-1:111122223333:incident-chat]
    pager_duty: {{name: pagerduty, secret_arn: "{SECRET}", service_id: PABC123}}
  DbDown:
    title: db down
    impact: 1
    notification_topic_arns: [arn:aws:sns:us-east-1:111122223333:incident-updates]
"""


def test_a_response_plan_with_what_already_exists(tmp_path: Path):
    stack = new_stack()
    org = build_organisation(stack, _write(tmp_path, EXISTING))
    assert org.runbooks["AWSIncidents-CriticalIncidentRunbookTemplate"].document_name == (
        "AWSIncidents-CriticalIncidentRunbookTemplate"
    )
    plans = {
        p["Properties"]["Name"]: p["Properties"]
        for p in resources_of(stack, "AWS::SSMIncidents::ResponsePlan").values()
    }
    automation = plans["WebDown"]["Actions"][0]["SsmAutomation"]
    assert automation == {
        "DocumentName": "AWSIncidents-CriticalIncidentRunbookTemplate",
        "DocumentVersion": "$DEFAULT",
        "RoleArn": ROLE,
        "TargetAccount": "RESPONSE_PLAN_OWNER_ACCOUNT",
        "DynamicParameters": [{"Key": "IncidentRecordArn", "Value": {"Variable": "INCIDENT_RECORD_ARN"}}],
    }
    assert plans["WebDown"]["IncidentTemplate"]["NotificationTargets"] == [
        {"SnsTopicArn": "arn:aws:sns:us-east-1:111122223333:incident-updates"}
    ]
    assert plans["WebDown"]["ChatChannel"] == {"ChatbotSns": ["arn:aws:sns:us-east-1:111122223333:incident-chat"]}
    assert plans["WebDown"]["Integrations"] == [
        {
            "PagerDutyConfiguration": {
                "Name": "pagerduty",
                "SecretId": SECRET,
                "PagerDutyIncidentConfiguration": {"ServiceId": "PABC123"},
            }
        }
    ]
    assert (
        plans["DbDown"]["IncidentTemplate"]["NotificationTargets"]
        == plans["WebDown"]["IncidentTemplate"]["NotificationTargets"]
    )
    template = Template.from_stack(stack)
    for created in ("AWS::SSM::Document", "AWS::IAM::Role", "AWS::SNS::Topic", "AWS::SecretsManager::Secret"):
        template.resource_count_is(created, 0)
    # One import per topic, however many plans name it.
    assert [c.node.id for c in stack.node.children if c.node.id.startswith("ImportedTopic")] == [
        "ImportedTopicIncidentUpdates",
        "ImportedTopicIncidentChat",
    ]


def test_no_dynamic_parameters_and_a_partial_secret_arn(tmp_path: Path):
    text = EXISTING.replace("{IncidentRecordArn: INCIDENT_RECORD_ARN}", "{}").replace(SECRET, SECRET[:-7])
    stack = new_stack()
    build_organisation(stack, _write(tmp_path, text))
    plans = {
        p["Properties"]["Name"]: p["Properties"]
        for p in resources_of(stack, "AWS::SSMIncidents::ResponsePlan").values()
    }
    assert "DynamicParameters" not in plans["WebDown"]["Actions"][0]["SsmAutomation"]
    assert plans["WebDown"]["Integrations"][0]["PagerDutyConfiguration"]["SecretId"] == SECRET[:-7]


@pytest.mark.parametrize(
    "key, value",
    [
        ("runbook_role_arn", ROLE),
        ("runbook_version", "'3'"),
        ("runbook_dynamic_parameters", "{}"),
        ("runbook_parameters", "{Key: value}"),
    ],
)
def test_runbook_keys_need_a_runbook(tmp_path: Path, key: str, value: str):
    error = _error(tmp_path, f"response_plans:\n  WebDown:\n    title: t\n    impact: low\n    {key}: {value}\n")
    (problem,) = error.problems
    # At the value, or at the key of a mapping (the line that names it).
    column = 5 if value.startswith("{") else 5 + len(key) + 2
    assert (problem.line, problem.column, problem.path) == (5, column, f"response_plans.WebDown.{key}")
    assert problem.message == f"{key} is only used with a runbook: give runbook: too."


def test_the_readmes_example_of_these_keys_builds(tmp_path: Path):
    import re

    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### What already exists, and plans stage by stage", 1)[1]
    text = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    stack = new_stack()
    org = build_organisation(stack, _write(tmp_path, text))
    assert org.response_plans["EC2HighCPU"].role is not None
    (plan,) = resources_of(stack, "AWS::SSMContacts::Plan").values()
    assert [s["DurationInMinutes"] for s in plan["Properties"]["Stages"]] == [3, 0]
    keys = re.findall(r"^\| `([a-z_]+)", section.split("```yaml", 1)[0], re.M)
    from incident_constructs.adopt.organisation import OPTIONAL_KEYS

    assert sorted(set(keys)) == sorted({key for _, key in OPTIONAL_KEYS.values()})
