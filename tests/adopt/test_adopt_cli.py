"""The adopt, import-mapping and drift commands, run through the command line's entry point
(one-line errors, exit statuses), with the account answered by the fake."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from support.adopt_account import ACCOUNT, REGION, FakeAccount, blog_account

from incident_constructs import build_organisation
from incident_constructs.adopt import commands
from incident_constructs.tools import cli as cli_module

ADDRESSES = ("responder@example.com", "+12065550100", "sr-responder@example.com", "+12065550101")


@pytest.fixture(autouse=True)
def registered() -> Iterator[None]:
    """The three commands in the group, as cli.py registers them (added here until it does)."""
    added = []
    for command in (commands.adopt, commands.import_mapping_command, commands.drift_command):
        if command.name not in cli_module.cli.commands:
            cli_module.cli.add_command(command)
            added.append(command.name)
    yield
    for name in added:
        cli_module.cli.commands.pop(name)


@pytest.fixture
def account(monkeypatch: pytest.MonkeyPatch) -> FakeAccount:
    fake = blog_account()
    monkeypatch.setattr(commands, "_session", lambda profile: fake.session())
    return fake


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        cli_module.main(list(args))
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def synth(organisation: Path, outdir: Path) -> Path:
    app = cdk.App(outdir=str(outdir), builtin_cloud_formation_validation=False)
    stack = cdk.Stack(app, "OnCall", env=cdk.Environment(account=ACCOUNT, region=REGION))
    build_organisation(stack, organisation)
    app.synth()
    return outdir


def test_adopt_writes_the_files_and_reports_what_the_file_cannot_express(
    account: FakeAccount, tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As before the organisation file had adopt's optional keys: the runbook role and version are reported.
    monkeypatch.setattr("incident_constructs.adopt.organisation.supports", lambda feature: False)
    code, out, err = run(capsys, "adopt", "--region", REGION, "--out", str(tmp_path / "adopted"))
    assert code == 0
    assert out == ""
    lines = err.splitlines()
    assert lines[0].startswith(
        "read 3 Contact, 4 ContactChannel, 1 Document, 2 Plan, 1 ReplicationSet, 1 ResponsePlan in us-east-1; wrote "
    )
    assert [line.split(":", 2)[1].strip() for line in lines[1:]] == ["response_plans.EC2HighCPU"] * 2
    assert all(line.startswith("not expressible: ") for line in lines[1:])
    assert (tmp_path / "adopted/organisation.yaml").is_file() and (tmp_path / "adopted/account.json").is_file()
    assert not [a for a in ADDRESSES if a in err]


def test_adopt_of_the_blog_set_up_reports_nothing_it_cannot_express(
    account: FakeAccount, tmp_path: Path, capsys: Any
) -> None:
    code, out, err = run(capsys, "adopt", "--region", REGION, "--out", str(tmp_path / "adopted"))
    assert code == 0 and out == ""
    assert len(err.splitlines()) == 1 and "not expressible" not in err


def test_adopt_prints_the_put_parameter_commands_alone_on_stdout(
    account: FakeAccount, tmp_path: Path, capsys: Any
) -> None:
    code, out, err = run(capsys, "adopt", "--region", REGION, "--out", str(tmp_path), "--addresses", "ssm:/oncall")
    assert code == 0
    assert out.splitlines() == [
        f"aws ssm put-parameter --region {REGION} --type String --name /oncall/incident-responder/incident-responder-email --value responder@example.com",
        f"aws ssm put-parameter --region {REGION} --type String --name /oncall/incident-responder/incident-responder-mobile --value +12065550100",
        f"aws ssm put-parameter --region {REGION} --type String --name /oncall/sr-incident-responder/sr-incident-responder-email --value sr-responder@example.com",
        f"aws ssm put-parameter --region {REGION} --type String --name /oncall/sr-incident-responder/sr-incident-responder-phone --value +12065550101",
    ]
    assert not [a for a in ADDRESSES if a in err]


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--addresses", "oncall"],
            "incident-constructs: error: --addresses 'oncall': expected ssm:/PREFIX, like ssm:/oncall\n",
        ),
        (["--region", "Mars"], "incident-constructs: error: region 'Mars' is not a region name like us-east-1\n"),
    ],
)
def test_adopt_errors_are_one_line_before_any_call(
    account: FakeAccount, tmp_path: Path, capsys: Any, args: list[str], message: str
) -> None:
    base = {"--region": REGION, "--out": str(tmp_path)}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    code, out, err = run(capsys, "adopt", *[x for pair in base.items() for x in pair])
    assert (code, out, err) == (1, "", message)
    assert account.calls == []


def test_adopt_refuses_to_overwrite_and_says_so_in_one_line(account: FakeAccount, tmp_path: Path, capsys: Any) -> None:
    assert run(capsys, "adopt", "--region", REGION, "--out", str(tmp_path))[0] == 0
    calls = len(account.calls)
    code, _, err = run(capsys, "adopt", "--region", REGION, "--out", str(tmp_path))
    assert (code, err) == (
        1,
        f"incident-constructs: error: {tmp_path / 'organisation.yaml'} exists; choose an empty directory or overwrite\n",
    )
    assert len(account.calls) == calls  # refused before the account is read
    assert run(capsys, "adopt", "--region", REGION, "--out", str(tmp_path), "--overwrite")[0] == 0


def test_adopt_without_boto3_says_how_to_install_it(
    tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "boto3", None)
    code, _, err = run(capsys, "adopt", "--region", REGION, "--out", str(tmp_path))
    assert code == 1
    assert err == (
        "incident-constructs: error: this command reads the account with boto3, which is not installed: "
        "pip install 'incident-constructs[aws]'\n"
    )


def test_an_access_denied_is_one_line(account: FakeAccount, tmp_path: Path, capsys: Any) -> None:
    from botocore.exceptions import ClientError

    account.failures["ListContacts"] = lambda: ClientError(
        {"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "ListContacts"
    )
    code, _, err = run(capsys, "adopt", "--region", REGION, "--out", str(tmp_path))
    assert (code, err) == (
        1,
        "incident-constructs: error: ssm-contacts ListContacts failed: AccessDeniedException: no\n",
    )


@pytest.fixture
def adopted(account: FakeAccount, tmp_path: Path, capsys: Any) -> Path:
    account.response_plans[0].pop("actions")  # everything the file can express
    assert run(capsys, "adopt", "--region", REGION, "--out", str(tmp_path / "adopted"))[0] == 0
    synth(tmp_path / "adopted/organisation.yaml", tmp_path / "cdk.out")
    return tmp_path


def test_import_mapping_prints_the_json_cdk_import_takes(adopted: Path, capsys: Any) -> None:
    code, out, err = run(
        capsys,
        "import-mapping",
        "--assembly",
        str(adopted / "cdk.out"),
        "--stack",
        "OnCall",
        "--account",
        str(adopted / "adopted/account.json"),
    )
    assert code == 0, err
    mapping = json.loads(out)
    assert len(mapping) == 10 and all(list(v) in (["Arn"], ["Name"]) for v in mapping.values())
    assert err.splitlines()[0].startswith("note: addresses were compared by their masks")


def test_import_mapping_refuses_with_every_difference(adopted: Path, capsys: Any) -> None:
    account_file = adopted / "adopted/account.json"
    data = json.loads(account_file.read_text())
    for resource in data["resources"]:
        if resource["name"] == "app-escalation-plan":
            resource["properties"]["Plan"][0]["DurationInMinutes"] = 9
    account_file.write_text(json.dumps(data))
    code, out, err = run(
        capsys, "import-mapping", "--assembly", str(adopted / "cdk.out"), "--account", str(adopted / "adopted")
    )
    assert (code, out) == (1, "")
    differs = [line for line in err.splitlines() if line.startswith("differs: ")]
    assert len(differs) == 1 and differs[0].endswith(
        "(AWS::SSMContacts::Contact app-escalation-plan): Plan[0].DurationInMinutes: template 5, live 9"
    )
    assert err.splitlines()[-1] == (
        "incident-constructs: error: 1 property differs between stack OnCall and the account; importing would let the next "
        "deploy change live resources: change the code (or the account) until they agree"
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["--assembly", "nowhere"], "no cloud assembly at nowhere (manifest.json not found); run `cdk synth` first"),
        (["--stack", "Other"], "no stack 'Other' in the assembly; stacks: OnCall"),
        (["--account", "nowhere.json"], "cannot read nowhere.json: No such file or directory"),
    ],
)
def test_import_mapping_errors_are_one_line(
    adopted: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(adopted)
    options = {"--assembly": "cdk.out", "--account": "adopted/account.json"}
    options.update(dict(zip(args[::2], args[1::2], strict=True)))
    code, out, err = run(capsys, "import-mapping", *[x for pair in options.items() for x in pair])
    assert (code, out, err) == (1, "", f"incident-constructs: error: {message}\n")


def test_drift_exits_0_when_nothing_changed_and_3_after_a_console_edit(
    adopted: Path, account: FakeAccount, capsys: Any
) -> None:
    code, out, _ = run(capsys, "drift", "--region", REGION, "--assembly", str(adopted / "cdk.out"))
    assert code == 0
    assert out.splitlines() == [
        "unmanaged: AWS::SSMIncidents::ReplicationSet replication-set: in the account, in no template read"
    ]
    account.contact("sr-incident-responder")["Plan"]["Stages"][0]["DurationInMinutes"] = 20
    account.channel("incident-responder", "incident responder mobile")["DeliveryAddress"]["SimpleAddress"] = (
        "+12065550111"
    )
    code, out, _ = run(capsys, "drift", "--region", REGION, "--assembly", str(adopted / "cdk.out"), "--json")
    assert code == commands.DRIFT_FOUND == 3
    changed = [d for d in json.loads(out) if d["kind"] == "changed"]
    assert [(d["name"], d["property"], d["template"], d["live"]) for d in changed] == [
        ("incident-responder / incident responder mobile", "ChannelAddress", "'+1206*****00'", "'+1206*****11'"),
        ("sr-incident-responder", "Stages[0].DurationInMinutes", "5", "20"),
    ]
    assert "+12065550111" not in out


def test_drift_reads_address_parameters_with_get_parameter(account: FakeAccount, tmp_path: Path, capsys: Any) -> None:
    account.response_plans[0].pop("actions")
    assert run(capsys, "adopt", "--region", REGION, "--out", str(tmp_path / "a"), "--addresses", "ssm:/oncall")[0] == 0
    synth(tmp_path / "a/organisation.yaml", tmp_path / "cdk.out")
    for contact in account.channels.values():
        for channel in contact:
            alias = channel["ContactArn"].rsplit("/", 1)[1]
            account.parameters[f"/oncall/{alias}/{channel['Name'].replace(' ', '-')}"] = channel["DeliveryAddress"][
                "SimpleAddress"
            ]
    assert run(capsys, "drift", "--region", REGION, "--assembly", str(tmp_path / "cdk.out"))[0] == 0
    assert ("ssm", "GetParameter") in account.calls
    account.parameters["/oncall/incident-responder/incident-responder-email"] = "someone-else@example.com"
    code, out, _ = run(capsys, "drift", "--region", REGION, "--assembly", str(tmp_path / "cdk.out"))
    assert code == 3
    assert "ChannelAddress: template 'so***@example.com', live 're***@example.com'" in out
