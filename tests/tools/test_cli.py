"""The ``incident-constructs`` command, through its real entry points and click's CliRunner."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.assemblies import example_assembly, scenario_assembly

from incident_constructs.tools.cli import cli

ROOT = Path(__file__).resolve().parents[2]
ADDRESSES = ("responder@example.com", "sr-responder@example.com", "+12065550100", "+12065550101")


def run_module(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m incident_constructs.tools.cli ...``, as a user runs it."""
    env = dict(os.environ, COLUMNS="200", PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "incident_constructs.tools.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=env,
        timeout=120,
    )


def invoke(*args: str) -> object:
    return CliRunner(env={"COLUMNS": "200"}).invoke(cli, list(args), catch_exceptions=False)


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _columns(row: str) -> list[str]:
    """The cells of a plain-column row (cells are separated by two or more spaces)."""
    return re.split(r"\s{2,}", row.strip())


# -- the real entry point -----------------------------------------------------------------------


def test_timeline_through_python_dash_m_prints_the_hand_worked_minutes() -> None:
    result = run_module(
        "timeline", "EC2HighCPU", "--assembly", str(example_assembly()), "--at", "2026-01-07T10:00", "--minutes", "10"
    )
    assert result.returncode == 0, result.stderr
    rows = _lines(result.stdout)[2:]  # piped: plain columns under a title and a header
    first_columns = [_columns(row)[:3] for row in rows]
    assert ["0", "10:00", "incident-responder"] in first_columns
    assert ["5", "10:05", "sr-incident-responder"] in first_columns
    assert ["10", "10:10", "incident-responder"] in first_columns
    assert "stage 2 of 3 begins" in result.stdout
    assert "SMS 'incident responder mobile' to +1206*****00" in result.stdout
    assert result.stderr == ""
    for address in ADDRESSES:
        assert address not in result.stdout


def test_timeline_with_acknowledgement_through_python_dash_m() -> None:
    result = run_module(
        "timeline", "EC2HighCPU", "--assembly", str(example_assembly()), "--ack", "incident-responder@3", "--json"
    )
    assert result.returncode == 0, result.stderr
    events = json.loads(result.stdout)["events"]
    assert [(e["minute"], e["channelType"]) for e in events if e["kind"] == "page"] == [(0, "EMAIL")]
    assert not any(e["kind"] == "stage" and e["detail"].startswith("stage 2") for e in events)


def test_missing_cloud_assembly_is_one_line_on_stderr(tmp_path: Path) -> None:
    result = run_module("timeline", "EC2HighCPU", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert _lines(result.stderr) == [
        "incident-constructs: error: cloud assembly cdk.out not found: run `cdk synth` first or pass --assembly PATH"
    ]


def test_unknown_plan_is_one_line_on_stderr_without_traceback() -> None:
    result = run_module("timeline", "EC2LowCPU", "--assembly", str(example_assembly()))
    assert result.returncode == 1
    assert _lines(result.stderr) == [
        "incident-constructs: error: no response plan named 'EC2LowCPU' in the cloud assembly (response plans: EC2HighCPU)"
    ]
    assert "Traceback" not in result.stderr


def test_bad_option_is_one_line_on_stderr() -> None:
    result = run_module("timeline", "EC2HighCPU", "--minute", "3")
    assert result.returncode == 2
    lines = _lines(result.stderr)
    assert lines == [
        "incident-constructs: error: No such option '--minute'. Did you mean '--minutes'? (see incident-constructs --help)"
    ]


def test_console_script_is_installed_and_runs() -> None:
    script = shutil.which("incident-constructs", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the package is not installed in this interpreter's environment (pip install -e .)")
    result = subprocess.run(
        [script, "diagram", "--format", "dot", "--assembly", str(example_assembly())],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("digraph incident {")


def test_check_replacements_reports_through_the_same_command(tmp_path: Path) -> None:
    template = example_assembly() / "IncidentManagerExample.template.json"
    same = run_module("check-replacements", str(template), str(template))
    assert same.returncode == 0, same.stderr

    changed = json.loads(template.read_text())
    for resource in changed["Resources"].values():
        if resource["Properties"].get("Alias") == "incident-responder":
            resource["Properties"]["Alias"] = "incident-responder-2"
    new = tmp_path / "new.template.json"
    new.write_text(json.dumps(changed))
    replaced = run_module("check-replacements", str(template), str(new))
    assert replaced.returncode != 0
    assert "incident-responder" in replaced.stdout + replaced.stderr
    for address in ADDRESSES:
        assert address not in replaced.stdout + replaced.stderr


# -- CliRunner: the subcommands -----------------------------------------------------------------


def test_timeline_table_has_minute_clock_contact_and_via() -> None:
    result = invoke(
        "timeline",
        "EC2HighCPU",
        "--assembly",
        str(example_assembly()),
        "--at",
        "2025-01-08T10:00+01:00",
        "--minutes",
        "5",
    )
    assert result.exit_code == 0
    assert "starting 2025-01-08 09:00 UTC, first 5 minutes" in result.stdout
    assert "app-escalation-plan stage 2" in result.stdout
    assert "re***@example.com (retry 1)" in result.stdout


def test_timeline_refuses_a_malformed_ack() -> None:
    result = CliRunner().invoke(
        cli, ["timeline", "EC2HighCPU", "--assembly", str(example_assembly()), "--ack", "incident-responder"]
    )
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "incident-constructs: error: --ack 'incident-responder': expected CONTACT@MINUTE, e.g. incident-responder@3"
    )


def test_timeline_refuses_a_malformed_time() -> None:
    result = CliRunner().invoke(
        cli, ["timeline", "EC2HighCPU", "--assembly", str(example_assembly()), "--at", "tomorrow"]
    )
    assert result.exit_code == 1
    assert "--at 'tomorrow': expected an ISO 8601 time" in result.stderr


def test_oncall_table_names_schedule_rotation_and_person() -> None:
    result = invoke("oncall", "--assembly", str(scenario_assembly()), "--at", "2025-01-08T10:00", "--days", "14")
    assert result.exit_code == 0
    row = next(line for line in result.stdout.splitlines() if "primary-schedule" in line)
    assert _columns(row) == ["primary-schedule", "primary", "Europe/Berlin", "alice"]
    assert "Mon 2025-01-13 09:00 CET" in result.stdout


def test_oncall_json_lists_shifts_with_hand_offs_in_local_time() -> None:
    result = invoke(
        "oncall", "--assembly", str(scenario_assembly()), "--at", "2025-01-08T10:00Z", "--days", "14", "--json"
    )
    assert result.exit_code == 0
    (rotation,) = json.loads(result.stdout)["rotations"]
    assert rotation["schedules"] == ["primary-schedule"] and rotation["onCallNow"] == ["alice"]
    assert [(s["start"], s["end"], s["onCall"]) for s in rotation["shifts"]] == [
        ("2025-01-08T11:00:00+01:00", "2025-01-13T09:00:00+01:00", ["alice"]),
        ("2025-01-13T09:00:00+01:00", "2025-01-20T09:00:00+01:00", ["bob"]),
        ("2025-01-20T09:00:00+01:00", "2025-01-22T11:00:00+01:00", ["alice"]),
    ]


def test_oncall_without_rotations_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(
        json.dumps(
            {
                "version": "55.0.0",
                "artifacts": {
                    "Empty": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Empty.template.json"}}
                },
            }
        )
    )
    (tmp_path / "Empty.template.json").write_text(json.dumps({"Resources": {}}))
    result = CliRunner().invoke(cli, ["oncall", "--assembly", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.strip() == "incident-constructs: error: no on-call rotation in the cloud assembly"


def test_diagram_mermaid_shows_stages_timings_and_masked_channels() -> None:
    result = invoke("diagram", "--assembly", str(example_assembly()))
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("flowchart LR\n")
    assert "stage 2<br/>at 5 min, lasts 5 min<br/>ack stops progression" in text
    assert '-->|"+10 min"|' in text  # incident-responder's SMS, 10 minutes after engagement
    assert "SMS +1206*****00<br/>retry every 5 min" in text
    for address in ADDRESSES:
        assert address not in text


def test_diagram_dot_draws_schedules_and_rotations() -> None:
    result = invoke("diagram", "--format", "dot", "--assembly", str(scenario_assembly()), "--plan", "OnCall")
    assert result.exit_code == 0
    assert '"primary\\nrotation, weekly MON 09:00\\nEurope/Berlin\\n1 on call"' in result.stdout
    assert '[label="#1"]' in result.stdout and '[label="#2"]' in result.stdout
    assert "outer-plan" not in result.stdout  # only the plan asked for


def test_diagram_of_an_unknown_plan_is_an_error() -> None:
    result = CliRunner().invoke(cli, ["diagram", "--assembly", str(example_assembly()), "--plan", "Nope"])
    assert result.exit_code == 1
    assert "no response plan named 'Nope'" in result.stderr


def test_directory_without_manifest_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["diagram", "--assembly", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"incident-constructs: error: {tmp_path} is not a cloud assembly (no manifest.json): "
        "run `cdk synth` first or pass --assembly PATH"
    )


def test_schema_prints_the_organisation_json_schema() -> None:
    from incident_constructs.organisation import organisation_json_schema

    result = invoke("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == organisation_json_schema()
    schema_file = ROOT / "incident_constructs" / "organisation" / "schema.json"
    assert json.loads(result.stdout) == json.loads(schema_file.read_text(encoding="utf-8"))


def test_oncall_hand_off_keeps_local_time_across_daylight_saving_time() -> None:
    # Berlin moves to CEST on Sunday 2025-03-30: Monday's 09:00 hand-off is 07:00 UTC, not 08:00.
    result = invoke(
        "oncall", "--assembly", str(scenario_assembly()), "--at", "2025-03-28T10:00Z", "--days", "7", "--json"
    )
    assert result.exit_code == 0
    (rotation,) = json.loads(result.stdout)["rotations"]
    assert [(s["start"], s["onCall"]) for s in rotation["shifts"]] == [
        ("2025-03-28T11:00:00+01:00", ["bob"]),
        ("2025-03-31T09:00:00+02:00", ["alice"]),
    ]


ORGANISATION = """\
contacts:
  alice:
    channels:
      - name: alice email
        email: alice@example.com
      - name: alice phone
        sms: "+12065550142"
        engage_after_minutes: 10
  bob:
    channels:
      - name: bob email
        email: bob@example.com
rotations:
  primary:
    contacts: [alice, bob]
    start_time: "2025-01-06T09:00:00"
    time_zone: Europe/Berlin
    recurrence: {every: week, day_of_week: MON, hand_off_time: "09:00"}
schedules:
  primary-schedule:
    rotations: [primary]
escalation_plans:
  team-plan:
    stages:
      - contacts: [primary-schedule]
        duration_minutes: 5
        acknowledgement_stops_progression: true
      - contacts: [bob]
response_plans:
  WebDown:
    title: web down
    impact: high
    engagements: [team-plan]
"""


def test_timeline_from_an_organisation_file(tmp_path: Path) -> None:
    organisation = tmp_path / "organisation.yaml"
    organisation.write_text(ORGANISATION)
    result = invoke(
        "timeline",
        "WebDown",
        "--file",
        str(organisation),
        "--at",
        "2025-01-15T10:00",
        "--minutes",
        "6",
        "--ack",
        "bob@4",
        "--json",
    )
    assert result.exit_code == 0
    events = json.loads(result.stdout)["events"]
    assert [(e["minute"], e["contact"], e["attempt"]) for e in events if e["kind"] == "page"] == [(0, "bob", 0)]
    assert [e["detail"] for e in events if e["kind"] == "oncall"] == [
        "rotation primary: bob on call at 2025-01-15 10:00 UTC"
    ]
    # bob, on call through an essential schedule target, acknowledged: stage 2 never begins.
    assert [e["detail"][:12] for e in events if e["kind"] == "stage"] == ["stage 1 of 2"]


def test_organisation_file_errors_are_one_line_with_file_line_and_column(tmp_path: Path) -> None:
    organisation = tmp_path / "organisation.yaml"
    organisation.write_text(ORGANISATION.replace("day_of_week: MON", "day_of_week: MONDAY"))
    result = CliRunner().invoke(cli, ["oncall", "--file", str(organisation)])
    assert result.exit_code == 1
    (line,) = _lines(result.stderr)
    assert line.startswith(f"incident-constructs: error: {organisation}:18:")
    assert "rotations.primary.recurrence.day_of_week: 'MONDAY'" in line


def test_missing_organisation_file_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["oncall", "--file", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    assert "nope.yaml" in result.stderr and "not" in result.stderr


def test_the_command_lines_shift_calculator_is_the_rotations() -> None:
    """The command line computes shifts with ``incident_constructs.core.shifts`` (no CDK import);
    the Rotation construct must use the same code (ideally the same object)."""
    import inspect

    from incident_constructs.contacts import rotation
    from incident_constructs.core import shifts as _shifts

    for name in ("ShiftCalculator", "DayOfWeek", "RecurrenceKind"):
        ours, theirs = getattr(_shifts, name), getattr(rotation, name)
        assert ours is theirs or inspect.getsource(ours) == inspect.getsource(theirs), name


def test_the_command_lines_masking_is_the_contacts() -> None:
    from incident_constructs.contacts.contact import mask_address
    from incident_constructs.core.masking import mask_address as plain

    for address in ("responder@example.com", "+12065550100", "12345", "{{resolve:ssm:/x}}", "${Token[TOKEN.1]}", ""):
        assert plain(address) == mask_address(address), address


@pytest.mark.parametrize("command", [("timeline", "EC2HighCPU", "--minutes", "10"), ("oncall",)], ids=lambda c: c[0])
def test_piped_tables_are_plain_columns_without_box_characters(command: tuple[str, ...]) -> None:
    """Output that is not a terminal (a file, CI logs, a pull request comment) reads as the README shows it."""
    run = run_module(*command, "--assembly", str(example_assembly()), "--at", "2026-01-07T10:00")
    assert run.returncode == 0, run.stderr
    boxes = set("┏┓┗┛┃━│─┡┩┼╇╈┳┻┠┨└┘┌┐├┤╭╮╰╯")
    assert not boxes & set(run.stdout)
    header = _lines(run.stdout)[1]
    assert header.split()[:3] == (
        ["min", "UTC", "contact"] if command[0] == "timeline" else ["schedule", "rotation", "time"]
    )
