"""incident_constructs.adopt without the CDK: reading an account (answered by a fake whose
requests and responses botocore validates against its service models), writing and loading a
snapshot, and what the organisation file cannot express."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError
from support.adopt_account import (
    ACCOUNT,
    EC2_RUNBOOK,
    REGION,
    FakeAccount,
    blog_account,
    contact_arn,
    full_account,
    weekly,
)
from support.lint import REPO_ROOT

from incident_constructs.adopt import AccountSnapshot, AdoptError, read_account
from incident_constructs.adopt.organisation import organisation_data

ADDRESSES = (
    "responder@example.com",
    "+12065550100",
    "sr-responder@example.com",
    "+12065550101",
    "web-engineer@example.com",
)


@pytest.fixture
def without_optional_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """The organisation file as it was before it had adopt's optional keys (OPTIONAL_KEYS): what
    they would say is reported as not expressible instead."""
    monkeypatch.setattr("incident_constructs.adopt.organisation.supports", lambda feature: False)


def _read(account: FakeAccount) -> AccountSnapshot:
    return read_account(account.session(), REGION)


def _resource(snapshot: AccountSnapshot, kind: str, name: str) -> Any:
    found = next((r for r in snapshot.resources if r.type.endswith(kind) and r.name == name), None)
    assert found is not None, f"{kind} {name} not read"
    return found


# -- the package ------------------------------------------------------------------------------------


def test_the_package_loads_neither_the_cdk_nor_boto3() -> None:
    code = (
        "import json, sys\n"
        "import incident_constructs.adopt, incident_constructs.adopt.commands, incident_constructs.adopt.organisation\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('aws_cdk', 'jsii', 'constructs', 'boto3'))))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    assert json.loads(run.stdout.strip().splitlines()[-1]) == []


def test_adopt_error_is_a_value_error() -> None:
    assert issubclass(AdoptError, ValueError)


# -- reading ----------------------------------------------------------------------------------------


def test_the_blog_set_up_is_read_in_cloudformation_shapes() -> None:
    snapshot = _read(blog_account())
    assert (snapshot.account, snapshot.region, snapshot.partition) == (ACCOUNT, REGION, "aws")
    responder = _resource(snapshot, "Contact", "incident-responder")
    assert responder.properties == {
        "Alias": "incident-responder",
        "Type": "PERSONAL",
        "DisplayName": "Incident Responder",
    }
    email = _resource(snapshot, "ContactChannel", "incident-responder / incident responder email")
    sms = _resource(snapshot, "ContactChannel", "incident-responder / incident responder mobile")
    assert email.properties == {
        "ContactId": contact_arn("incident-responder"),
        "ChannelName": "incident responder email",
        "ChannelType": "EMAIL",
        "ChannelAddress": "responder@example.com",
    }
    assert email.info["ActivationStatus"] == "ACTIVATED"
    plan = _resource(snapshot, "Plan", "incident-responder")
    assert plan.arn == responder.arn  # CloudFormation's Plan is identified by its contact's ARN
    assert plan.properties["Stages"] == [
        {
            "DurationInMinutes": 10,
            "Targets": [{"ChannelTargetInfo": {"ChannelId": email.arn, "RetryIntervalInMinutes": 5}}],
        },
        {
            "DurationInMinutes": 0,
            "Targets": [{"ChannelTargetInfo": {"ChannelId": sms.arn, "RetryIntervalInMinutes": 5}}],
        },
    ]
    escalation = _resource(snapshot, "Contact", "app-escalation-plan")
    assert escalation.properties["Plan"] == [
        {
            "DurationInMinutes": 5,
            "Targets": [{"ContactTargetInfo": {"ContactId": contact_arn("incident-responder"), "IsEssential": True}}],
        },
        {
            "DurationInMinutes": 5,
            "Targets": [
                {"ContactTargetInfo": {"ContactId": contact_arn("sr-incident-responder"), "IsEssential": True}}
            ],
        },
    ]
    response_plan = _resource(snapshot, "ResponsePlan", "EC2HighCPU")
    assert response_plan.properties["IncidentTemplate"]["Title"] == "cpu-incident-1"
    assert response_plan.properties["IncidentTemplate"]["Impact"] == 3
    assert response_plan.properties["Actions"][0]["SsmAutomation"]["DocumentName"] == "ec2-cpu-util-runbook"
    document = _resource(snapshot, "Document", "ec2-cpu-util-runbook")
    assert [s["action"] for s in document.properties["Content"]["mainSteps"]] == ["aws:pause"] * 5
    assert document.identifier == {"Name": "ec2-cpu-util-runbook"}
    assert snapshot.documents["ec2-cpu-util-runbook"] == EC2_RUNBOOK
    replication_set = _resource(snapshot, "ReplicationSet", "replication-set")
    assert replication_set.properties["Regions"] == [
        {"RegionName": REGION, "RegionConfiguration": {"SseKmsKeyId": "DefaultKey"}}
    ]


def test_rotations_are_read_as_wall_clock_time_in_their_zone() -> None:
    snapshot = _read(full_account())
    emea = _resource(snapshot, "Rotation", "web_follow_the_sun_emea")
    assert emea.properties["StartTime"] == "2026-01-05T08:00:00"  # the API's instant, in Europe/London
    assert emea.properties["TimeZoneId"] == "Europe/London"
    recurrence = emea.properties["Recurrence"]
    assert recurrence["WeeklySettings"] == [{"DayOfWeek": "MON", "HandOffTime": "08:00"}]
    assert recurrence["ShiftCoverages"][0] == {
        "DayOfWeek": "MON",
        "CoverageTimes": [{"StartTime": "08:00", "EndTime": "16:00"}],
    }
    schedule = _resource(snapshot, "Contact", "web-oncall")
    assert len(schedule.properties["Plan"][0]["RotationIds"]) == 3


@pytest.mark.parametrize("page_size", [1, 3])
def test_every_list_is_followed_to_its_last_page(page_size: int) -> None:
    everything = _read(full_account(page_size=100))
    account = full_account(page_size=page_size)
    paged = _read(account)
    assert [(r.type, r.name) for r in paged.resources] == [(r.type, r.name) for r in everything.resources]
    pages = sum(1 for service, operation in account.calls if operation == "ListContacts")
    assert pages == -(-len(account.contacts) // page_size)
    assert sum(1 for _, operation in account.calls if operation == "ListRotations") == -(-3 // page_size)


def test_a_repeated_page_token_stops_reading_instead_of_looping() -> None:
    account = blog_account()
    account._ssm_contacts_ListContacts = lambda p: {"Contacts": [], "NextToken": "again"}  # type: ignore[method-assign]
    with pytest.raises(AdoptError, match="ListContacts"):
        _read(account)


def test_reading_makes_only_the_read_only_calls_the_readme_policy_allows() -> None:
    account = full_account()
    _read(account)
    readme = (REPO_ROOT / "README.md").read_text()
    section = readme.split("## Adopting an existing set-up", 1)[1].split("\n## ", 1)[0]
    policy = json.loads(re.search(r"```json\n(.*?)```", section, re.S).group(1))
    allowed = {a for statement in policy["Statement"] for a in statement["Action"]}
    called = {f"{service}:{operation}" for service, operation in account.calls}
    assert called <= allowed
    assert all(re.match(r"(List|Get)", operation) for _, operation in account.calls)
    assert allowed == called | {"ssm:GetParameter"}  # the policy names nothing else (GetParameter: drift)


def test_clients_retry_throttling_in_botocore_standard_mode() -> None:
    session = blog_account().session()
    read_account(session, REGION)
    assert {name: config.retries for name, config in session.configs.items()} == {
        "ssm-contacts": {"mode": "standard"},
        "ssm-incidents": {"mode": "standard"},
        "ssm": {"mode": "standard"},
    }


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body


def test_a_throttled_call_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first ListContacts answer over HTTP is a ThrottlingException; botocore retries it."""
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    account = blog_account(page_size=100)
    account.over_http.add("ListContacts")
    session = account.session()
    original = session.client
    attempts: list[int] = []

    def client(service_name: str, **kwargs: Any) -> Any:
        made = original(service_name, **kwargs)
        if service_name != "ssm-contacts":
            return made

        def send(request: Any, **_: Any) -> AWSResponse:
            attempts.append(1)
            if len(attempts) == 1:
                body = json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"}).encode()
                return AWSResponse(request.url, 400, {"x-amzn-ErrorType": "ThrottlingException"}, _Raw(body))
            answer = account.answer("ssm-contacts", "ListContacts", json.loads(request.body or b"{}"))
            return AWSResponse(request.url, 200, {}, _Raw(json.dumps(answer).encode()))

        made.meta.events.register("before-send.ssm-contacts.ListContacts", send)
        return made

    session.client = client  # type: ignore[method-assign]
    snapshot = read_account(session, REGION)
    assert len(attempts) == 2
    assert {r.name for r in snapshot.of_type("AWS::SSMContacts::Contact")} == {
        "incident-responder",
        "sr-incident-responder",
        "app-escalation-plan",
    }


def test_a_failed_call_is_one_line_naming_service_and_operation() -> None:
    account = blog_account()
    account.failures["ListRotations"] = lambda: ClientError(
        {
            "Error": {
                "Code": "AccessDeniedException",
                "Message": "User is not authorized to perform: ssm-contacts:ListRotations",
            }
        },
        "ListRotations",
    )
    with pytest.raises(AdoptError) as caught:
        _read(account)
    assert str(caught.value) == (
        "ssm-contacts ListRotations failed: AccessDeniedException: User is not authorized to perform: ssm-contacts:ListRotations"
    )


def test_the_region_is_checked_before_any_call() -> None:
    account = blog_account()
    with pytest.raises(AdoptError, match="not a region name"):
        read_account(account.session(), "US East")
    assert account.calls == []


def test_an_empty_account_reads_as_nothing() -> None:
    snapshot = _read(FakeAccount())
    assert snapshot.resources == [] and snapshot.account is None


# -- writing and loading ------------------------------------------------------------------------


def test_write_puts_the_organisation_file_the_runbooks_and_account_json_side_by_side(tmp_path: Path) -> None:
    snapshot = _read(blog_account())
    result = snapshot.write(tmp_path / "adopted")
    names = sorted(str(p.relative_to(tmp_path / "adopted")) for p in result.files)
    assert names == ["account.json", "organisation.yaml", "runbooks/ec2-cpu-util-runbook.yaml"]
    assert (tmp_path / "adopted/runbooks/ec2-cpu-util-runbook.yaml").read_text() == EC2_RUNBOOK
    data = yaml.safe_load((tmp_path / "adopted/organisation.yaml").read_text())
    assert data["contacts"]["incident-responder"] == {
        "display_name": "Incident Responder",
        "channels": [
            {"name": "incident responder email", "email": "responder@example.com", "engage_after_minutes": 0},
            {"name": "incident responder mobile", "sms": "+12065550100", "engage_after_minutes": 10},
        ],
    }
    assert data["escalation_plans"]["app-escalation-plan"]["stages"] == [
        {"contacts": ["incident-responder"], "duration_minutes": 5, "acknowledgement_stops_progression": True},
        {"contacts": ["sr-incident-responder"], "duration_minutes": 5, "acknowledgement_stops_progression": True},
    ]
    assert data["runbooks"] == {"ec2-cpu-util-runbook": {"file": "runbooks/ec2-cpu-util-runbook.yaml"}}
    assert data["response_plans"]["EC2HighCPU"] == {
        "display_name": "EC2 high CPU",
        "title": "cpu-incident-1",
        "impact": "medium",
        "summary": "CPU utilization of an EC2 instance is above 85%.",
        "engagements": ["app-escalation-plan"],
        "runbook": "ec2-cpu-util-runbook",
        "runbook_version": "$DEFAULT",
        "runbook_role_arn": "arn:aws:iam::111122223333:role/IncidentManagerRunbookRole",
    }
    assert data["replication_set"] == {
        "existing": True,
        "arn": _resource(snapshot, "ReplicationSet", "replication-set").arn,
    }


def test_what_the_file_cannot_express_is_reported_in_the_result_and_the_header(
    tmp_path: Path, without_optional_keys: None
) -> None:
    result = _read(blog_account()).write(tmp_path)
    assert len(result.not_expressible) == 2
    role, version = result.not_expressible
    assert role.startswith(
        "response_plans.EC2HighCPU: the runbook runs with role arn:aws:iam::111122223333:role/IncidentManagerRunbookRole"
    )
    assert "the template creates a new role for it" in role and "'runbook_role_arn' key" in role
    assert "'$DEFAULT'" in version and "$LATEST" in version and "'runbook_version' key" in version
    header = (tmp_path / "organisation.yaml").read_text().split("\n\n", 1)[0]
    assert all(f"#  - {line}" in header for line in result.not_expressible)
    assert json.loads((tmp_path / "account.json").read_text())["notExpressible"] == result.not_expressible


def test_account_json_holds_no_address(tmp_path: Path) -> None:
    _read(full_account()).write(tmp_path)
    text = (tmp_path / "account.json").read_text()
    assert not [a for a in ADDRESSES if a in text]
    assert "re***@example.com" in text and "+1206*****00" in text


def test_a_snapshot_loads_back_with_its_addresses_masked(tmp_path: Path) -> None:
    snapshot = _read(full_account())
    snapshot.write(tmp_path)
    loaded = AccountSnapshot.load(tmp_path)
    assert loaded == AccountSnapshot.load(tmp_path / "account.json")
    assert [(r.type, r.arn, r.name) for r in loaded.resources] == [(r.type, r.arn, r.name) for r in snapshot.resources]
    assert loaded.addresses_masked and not snapshot.addresses_masked
    channel = _resource(loaded, "ContactChannel", "incident-responder / incident responder mobile")
    assert channel.properties["ChannelAddress"] == "+1206*****00"
    same = [r for r in loaded.resources if r.type != "AWS::SSMContacts::ContactChannel"]
    assert [r.properties for r in same] == [
        r.properties for r in snapshot.resources if r.type != "AWS::SSMContacts::ContactChannel"
    ]
    with pytest.raises(AdoptError, match="masked address"):
        loaded.write(tmp_path / "again")


@pytest.mark.parametrize(
    "content, message",
    [
        ("not json", "not a JSON file"),
        ('{"format": "other"}', "not an account snapshot"),
        ('{"format": "incident-constructs/account-snapshot", "version": 9}', "version 9 is not supported"),
        (
            '{"format": "incident-constructs/account-snapshot", "version": 1, "region": "us-east-1", "resources": [{"type": "AWS::S3::Bucket", "arn": "a", "name": "b", "properties": {}}]}',
            "is not one of",
        ),
    ],
)
def test_a_broken_account_json_is_refused_in_one_line(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "account.json").write_text(content)
    with pytest.raises(AdoptError, match=message) as caught:
        AccountSnapshot.load(tmp_path)
    assert "\n" not in str(caught.value)


def test_addresses_become_ssm_parameter_references(tmp_path: Path) -> None:
    snapshot = _read(blog_account())
    result = snapshot.write(tmp_path, addresses="ssm:/oncall/")
    text = (tmp_path / "organisation.yaml").read_text()
    assert not [a for a in ADDRESSES if a in text]
    channels = yaml.safe_load(text)["contacts"]["incident-responder"]["channels"]
    assert channels[1]["sms"] == "{{resolve:ssm:/oncall/incident-responder/incident-responder-mobile}}"
    assert result.put_parameter_commands[:2] == [
        "aws ssm put-parameter --region us-east-1 --type String --name /oncall/incident-responder/incident-responder-email "
        "--value responder@example.com",
        "aws ssm put-parameter --region us-east-1 --type String --name /oncall/incident-responder/incident-responder-mobile "
        "--value +12065550100",
    ]
    assert len(result.put_parameter_commands) == 4
    recorded = json.loads((tmp_path / "account.json").read_text())
    parameters = [
        r["info"]["AddressParameter"] for r in recorded["resources"] if r["type"] == "AWS::SSMContacts::ContactChannel"
    ]
    assert parameters[0] == "/oncall/incident-responder/incident-responder-email"


@pytest.mark.parametrize("addresses", ["/oncall", "ssm:oncall", "ssm:/on call", "ssm:/aws/oncall", "ssm:/"])
def test_a_bad_addresses_option_is_refused(tmp_path: Path, addresses: str) -> None:
    with pytest.raises(AdoptError, match="--addresses"):
        _read(blog_account()).write(tmp_path, addresses=addresses)
    assert list(tmp_path.iterdir()) == []


def test_write_never_overwrites_unless_asked(tmp_path: Path) -> None:
    snapshot = _read(blog_account())
    snapshot.write(tmp_path)
    with pytest.raises(AdoptError, match="organisation.yaml exists"):
        snapshot.write(tmp_path)
    snapshot.write(tmp_path, overwrite=True)


# -- what the file cannot express ----------------------------------------------------------------


def _problems(account: FakeAccount) -> tuple[dict[str, Any], list[str]]:
    data, problems, _, _ = organisation_data(_read(account))
    return data, problems


def test_stages_that_engage_after_minutes_cannot_reproduce_are_reported(without_optional_keys: None) -> None:
    account = FakeAccount()
    account.add_person(
        "ana",
        "Ana",
        [("ana email", "EMAIL", "ana@example.com"), ("ana sms", "SMS", "+12065550100")],
        [(3, [("ana email", 1)]), (3, [("ana sms", None)])],
    )
    data, problems = _problems(account)
    assert data["contacts"]["ana"]["channels"][1]["engage_after_minutes"] == 3
    assert data["contacts"]["ana"]["channels"][0]["retry_interval_minutes"] == 1
    assert problems == [
        "contacts.ana: the live engagement plan [3 min: ana email (retry 1)] [3 min: ana sms (retry unset)] is not what "
        "engage_after_minutes builds ([3 min: ana email (retry 1)] [0 min: ana sms (retry 5)]); the file writes the latter "
        "(the file needs explicit stages for a contact: an 'engagement_stages' key)"
    ]


def test_a_channel_in_no_stage_and_a_missing_display_name_are_reported(without_optional_keys: None) -> None:
    account = FakeAccount()
    account.add_person(
        "bo",
        None,
        [("bo email", "EMAIL", "bo@example.com"), ("bo voice", "VOICE", "+12065550100")],
        [(0, [("bo email", 5)])],
    )
    data, problems = _problems(account)
    assert "display_name" not in data["contacts"]["bo"]
    assert problems[0] == "contacts.bo: no display name is live; the library writes the alias 'bo' as DisplayName"
    assert (
        problems[1]
        == "contacts.bo.channels[bo voice]: the channel is in no stage of the live engagement plan; the file engages it at minute 0"
    )
    assert problems[2].startswith("contacts.bo: the live engagement plan [0 min: bo email (retry 5)] is not what")


def test_a_display_name_the_library_refuses_is_left_out_and_reported() -> None:
    account = FakeAccount()
    account.add_person("jose", "José", [("jose email", "EMAIL", "jose@example.com")], [(0, [("jose email", 5)])])
    data, problems = _problems(account)
    assert "display_name" not in data["contacts"]["jose"]
    assert problems == [
        "contacts.jose: the display name 'José' breaks the library's rule (letters a-z and A-Z, digits, spaces, '_' and '-'); "
        "left out, so the library writes the alias instead"
    ]


def test_an_address_the_library_refuses_is_reported() -> None:
    account = FakeAccount()
    account.add_person("cy", "Cy", [("cy sms", "SMS", "+19999999999")], [(0, [("cy sms", 5)])])
    _, problems = _problems(account)
    assert problems == [
        "contacts.cy.channels[cy sms]: the address +1999*****99 is live, but the library's phone number check refuses it: "
        "the file does not build; use --addresses ssm:/PREFIX"
    ]


def test_rotations_and_escalation_stages_the_file_cannot_express_are_reported() -> None:
    account = FakeAccount()
    for alias in ("ana", "bo"):
        account.add_person(
            alias, alias.title(), [(f"{alias} email", "EMAIL", f"{alias}@example.com")], [(0, [(f"{alias} email", 5)])]
        )
    twice = weekly("MON", 9)
    twice["WeeklySettings"].append({"DayOfWeek": "THU", "HandOffTime": {"HourOfDay": 9, "MinuteOfHour": 0}})
    account.add_rotation("twice_a_week", ["ana", "bo"], "2026-01-05T09:00:00", "UTC", twice)
    account.add_escalation("mixed", "Mixed", [(5, [("ana", True), ("bo", False)])])
    data, problems = _problems(account)
    assert data["rotations"]["twice_a_week"]["recurrence"] == {
        "every": "week",
        "day_of_week": "MON",
        "hand_off_time": "09:00",
    }
    assert data["escalation_plans"]["mixed"]["stages"][0]["acknowledgement_stops_progression"] is True
    assert problems == [
        "rotations.twice_a_week: the live rotation hands off 2 times per period; the file has one hand-off time, the first "
        "is written (the file needs several hand-offs per recurrence)",
        "escalation_plans.mixed: stage 1 stops progression on acknowledgement for some contacts only; the file sets it per "
        "stage: written as true",
    ]


def test_the_full_set_up_reports_topics_pager_duty_tags_and_an_aws_runbook(without_optional_keys: None) -> None:
    _, problems = _problems(full_account())
    assert [p.split(":", 1)[0] for p in problems] == [
        "contacts.web-engineer",
        "response_plans.EC2HighCPU",
        "response_plans.EC2HighCPU",
        "response_plans.WebDown",
        "response_plans.WebDown",
        "response_plans.WebDown",
        "response_plans.WebDown",
    ]
    text = "\n".join(problems)
    for needed in (
        "'tags' key",
        "'existing: true' under runbooks",
        "'notification_topic_arns' key",
        "'chat_topic_arns' key",
        "'pager_duty' key",
    ):
        assert needed in text


def test_the_blog_set_up_is_expressed_whole(tmp_path: Path) -> None:
    result = _read(blog_account()).write(tmp_path)
    assert result.not_expressible == []
    assert "Not expressible" not in (tmp_path / "organisation.yaml").read_text()


def test_the_full_set_up_is_expressed_whole_with_the_keys_the_file_has() -> None:
    data, problems = _problems(full_account())
    assert problems == []
    assert data["contacts"]["web-engineer"]["tags"]
    plans = data["response_plans"]
    assert {"notification_topic_arns", "chat_topic_arns", "pager_duty"} <= set(plans["WebDown"])
    assert set(plans["WebDown"]["pager_duty"]) == {"name", "secret_arn", "service_id"}
    assert any(spec == {"existing": True} for spec in data["runbooks"].values())


def test_stages_that_engage_after_minutes_cannot_reproduce_are_written_stage_by_stage() -> None:
    account = FakeAccount()
    account.add_person(
        "ana",
        "Ana",
        [("ana email", "EMAIL", "ana@example.com"), ("ana sms", "SMS", "+12065550100")],
        [(3, [("ana email", 1)]), (3, [("ana sms", 2)])],
    )
    data, problems = _problems(account)
    assert problems == []
    ana = data["contacts"]["ana"]
    assert [c.get("engage_after_minutes") for c in ana["channels"]] == [None, None]
    assert ana["engagement_stages"] == [
        {"duration_minutes": 3, "channels": [{"name": "ana email"}]},
        {"duration_minutes": 3, "channels": [{"name": "ana sms"}]},
    ]
    assert [c.get("retry_interval_minutes") for c in ana["channels"]] == [1, 2]


def test_a_channel_in_no_stage_is_written_in_no_stage() -> None:
    account = FakeAccount()
    account.add_person(
        "bo",
        None,
        [("bo email", "EMAIL", "bo@example.com"), ("bo voice", "VOICE", "+12065550100")],
        [(0, [("bo email", 5)]), (10, [("bo email", 1)])],
    )
    data, problems = _problems(account)
    assert problems == ["contacts.bo: no display name is live; the library writes the alias 'bo' as DisplayName"]
    assert data["contacts"]["bo"]["engagement_stages"] == [
        {"duration_minutes": 0, "channels": [{"name": "bo email"}]},
        {"duration_minutes": 10, "channels": [{"name": "bo email", "retry_interval_minutes": 1}]},
    ]
    assert [c["name"] for c in data["contacts"]["bo"]["channels"]] == ["bo email", "bo voice"]


def test_an_unset_retry_interval_in_a_stage_is_reported() -> None:
    account = FakeAccount()
    account.add_person(
        "cy",
        "Cy",
        [("cy email", "EMAIL", "cy@example.com"), ("cy sms", "SMS", "+12065550100")],
        [(3, [("cy email", 5)]), (3, [("cy sms", None)])],
    )
    data, problems = _problems(account)
    assert problems == [
        "contacts.cy: stage 2 engages channel 'cy sms' with no retry interval; the file writes 5 minutes"
    ]
    assert data["contacts"]["cy"]["engagement_stages"][1] == {"duration_minutes": 3, "channels": [{"name": "cy sms"}]}


def test_construct_ids_are_made_unique_and_valid() -> None:
    account = FakeAccount()
    account.add_person("a-b", "A", [("a email", "EMAIL", "a@example.com")], [(0, [("a email", 5)])])
    account.add_person("1st-line", "First line", [("f email", "EMAIL", "f@example.com")], [(0, [("f email", 5)])])
    account.add_rotation("a_b", ["a-b"], "2026-01-05T09:00:00", "UTC", weekly("MON", 9))
    data, _ = _problems(account)
    assert "id" not in data["contacts"]["a-b"]
    assert data["contacts"]["1st-line"]["id"] == "Contact1stLine"
    assert data["rotations"]["a_b"]["id"] == "AB2"
