"""Reading an organisation file: the schema check, YAML errors and positions (file:line:column).

The schema errors are found before any construct is built; the tests here that use
``build_organisation`` show that the build reports them the same way.
"""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
from support.lint import REPO_ROOT
from support.organisation import build_error as _error
from support.organisation import load_error
from support.stacks import new_stack

from incident_constructs import ValidationError
from incident_constructs.organisation import (
    OrganisationFileError,
    build_organisation,
    load_organisation,
    organisation_json_schema,
)

EXAMPLE = REPO_ROOT / "examples" / "organisation.yaml"


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
        "allowed keys: channels, defer_activation, display_name, engagement_stages, id, retry_interval_minutes, share_with, tags."
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


# -- the keys adopt needs, refused by the schema ---------------------------------------------------

PLAN = "response_plans:\n  WebDown:\n    title: t\n    impact: low\n    runbook: r\n"


@pytest.mark.parametrize(
    "text, position, path, message",
    [
        (
            PLAN + "    runbook_role_arn: arn:aws:iam::111122223333:role/my.role\n",
            (6, 23),
            "response_plans.WebDown.runbook_role_arn",
            "'arn:aws:iam::111122223333:role/my.role' is not allowed: an IAM role ARN without '.', "
            "like arn:aws:iam::111122223333:role/IncidentManagerRunbookRole.",
        ),
        (
            PLAN + "    runbook_version: latest\n",
            (6, 22),
            "response_plans.WebDown.runbook_version",
            "'latest' is not allowed: $DEFAULT, $LATEST or a version number like 3.",
        ),
        (
            PLAN + "    runbook_version: 3\n",
            (6, 22),
            "response_plans.WebDown.runbook_version",
            "3 (put it in quotes to keep it as text) is not allowed: a string is required.",
        ),
        (
            PLAN + "    runbook_dynamic_parameters: {IncidentRecordArn: INCIDENT}\n",
            (6, 53),
            "response_plans.WebDown.runbook_dynamic_parameters.IncidentRecordArn",
            "'INCIDENT' is not allowed: one of INCIDENT_RECORD_ARN, INVOLVED_RESOURCES.",
        ),
        (
            PLAN + "    notification_topic_arns: [arn:aws:sns:us-east-1:111122223333:updates.fifo]\n",
            (6, 31),
            "response_plans.WebDown.notification_topic_arns[0]",
            "'arn:aws:sns:us-east-1:111122223333:updates.fifo' is not allowed: a standard SNS topic ARN, "
            "like arn:aws:sns:us-east-1:111122223333:incident-updates.",
        ),
        (
            PLAN + "    chat_topic_arns: []\n",
            (6, 5),
            "response_plans.WebDown.chat_topic_arns",
            "[] is not allowed: at least 1 items.",
        ),
        (
            PLAN + "    pager_duty: {name: pd, service_id: P1}\n",
            (6, 5),
            "response_plans.WebDown.pager_duty",
            "missing key 'secret_arn' (required: name, secret_arn, service_id).",
        ),
        (
            PLAN + "    pager_duty: {name: pd, service_id: P1, secret_arn: my-secret}\n",
            (6, 56),
            "response_plans.WebDown.pager_duty.secret_arn",
            "'my-secret' is not allowed: a Secrets Manager secret ARN, like "
            "arn:aws:secretsmanager:us-east-1:111122223333:secret:pagerduty-AbCdEf.",
        ),
        (
            "runbooks:\n  my-runbook: {existing: true, steps: [{name: A, action: 'aws:pause'}]}\n",
            (2, 3),
            "runbooks.my-runbook",
            "a runbook has steps (with an optional description and parameters), a file, or existing: true; "
            "exactly one of them.",
        ),
        (
            "runbooks:\n  my-runbook: {existing: false}\n",
            (2, 26),
            "runbooks.my-runbook.existing",
            "False is not allowed: one of True.",
        ),
        (
            "contacts:\n  bob:\n    engagement_stages: [{channels: [{name: bob email}]}]\n",
            (3, 25),
            "contacts.bob.engagement_stages[0]",
            "missing key 'duration_minutes' (required: duration_minutes).",
        ),
        (
            "contacts:\n  bob:\n    engagement_stages: [{duration_minutes: 31}]\n",
            (3, 44),
            "contacts.bob.engagement_stages[0].duration_minutes",
            "31 is not allowed: 0 to 30.",
        ),
        (
            "alarms:\n  api-5xx:\n    metric: {namespace: AWS/EC2, name: CPUUtilization, statistic: p99, "
            "period_minutes: 0}\n    threshold: 1\n    evaluation_periods: 1\n    response_plan: ApiDown\n",
            (3, 88),
            "alarms.api-5xx.metric.period_minutes",
            "0 is not allowed: 1 to 10080.",
        ),
        (
            "event_rules:\n  r:\n    event_pattern: {source: [aws.ec2], region: us-east-1}\n    response_plan: ApiDown\n",
            (3, 48),
            "event_rules.r.event_pattern.region",
            "EventBridge matches a list of values: put the value in brackets, like source: [aws.ec2].",
        ),
        (
            "event_rules:\n  r:\n    event_pattern: {source: [aws.ec2]}\n    response_plan: ApiDown\n    targets: []\n",
            (5, 5),
            "event_rules.r.targets",
            "unknown key 'targets'; allowed keys: description, event_pattern, id, response_plan.",
        ),
        (
            "response_plans:\n  P: {title: t, impact: low, share_with: ['arn:aws:iam::111122223333:root']}\n",
            (2, 43),
            "response_plans.P.share_with[0]",
            "a principal is a 12-digit account id like '111122223333', an organizational unit ARN like "
            "'arn:aws:organizations::111122223333:ou/o-exampleorgid/ou-ab12-cdef3456' or an organization ARN like "
            "'arn:aws:organizations::111122223333:organization/o-exampleorgid' (Incident Manager shares with "
            "accounts, organizational units and organizations only).",
        ),
        (
            "chat_channels:\n  chat: {team_id: a1b2c3d4-0000-4000-8000-0123456789ab}\n",
            (2, 3),
            "chat_channels.chat",
            "missing key 'channel_id' (required: team_id, channel_id, tenant_id).",
        ),
        (
            "contacts:\n  bob:\n    tags: {aws:team: web}\n",
            (3, 12),
            "contacts.bob.tags.aws:team",
            "name 'aws:team' is not allowed: a tag key: 1-128 characters, not starting with 'aws:'.",
        ),
    ],
)
def test_the_new_keys_are_checked_at_their_line_and_column(
    tmp_path: Path, text: str, position: tuple[int, int], path: str, message: str
):
    error = load_error(tmp_path, text)
    assert [((p.line, p.column), p.path, p.message) for p in error.problems] == [(position, path, message)]


# -- the loader without the CDK ---------------------------------------------------------------


def test_loading_a_file_loads_no_cdk_module() -> None:
    """adopt and the command line read and check organisation files without the CDK runtime."""
    import json as json_module
    import subprocess
    import sys

    code = (
        "import json, sys\n"
        "from incident_constructs.organisation.loader import load_organisation, organisation_json_schema\n"
        f"load_organisation({str(EXAMPLE)!r})\n"
        "organisation_json_schema()\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('aws_cdk', 'jsii', 'constructs'))))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    assert json_module.loads(run.stdout.strip().splitlines()[-1]) == []


def test_an_organisation_file_error_is_a_validation_error_without_the_cdk() -> None:
    from incident_constructs import _validation, errors

    assert issubclass(OrganisationFileError, errors.ValidationError)
    assert _validation.ValidationError is errors.ValidationError is ValidationError
