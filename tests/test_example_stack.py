"""The example app: the blog scenario end to end, checked by cfn-lint, the SSM document schema,
a snapshot and the real cdk CLI."""

from __future__ import annotations

import json

import aws_cdk as cdk
import jsonschema
import pytest
from aws_cdk.assertions import Match, Template
from support.lint import REPO_ROOT, cfn_lint_templates, run_cdk_synth, ssm_schema
from support.stacks import new_app

from stacks.incident_stack import IncidentManagerStack

STACK_ID = "IncidentManagerExample"


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The example app synthesized once for this module, into a temporary cloud assembly."""
    out = tmp_path_factory.mktemp("cdk.out")
    app = cdk.App(outdir=str(out), builtin_cloud_formation_validation=False)
    stack = IncidentManagerStack(app, STACK_ID)
    app.synth()
    template = json.loads((out / f"{STACK_ID}.template.json").read_text())
    return stack, template, out


def _of_type(template, cfn_type):
    return {k: v for k, v in template["Resources"].items() if v["Type"] == cfn_type}


def test_blog_contacts_channels_and_times(example):
    _, template, _ = example
    contacts = {r["Properties"]["Alias"]: r for r in _of_type(template, "AWS::SSMContacts::Contact").values()}
    assert {"incident-responder", "sr-incident-responder", "app-escalation-plan"} <= set(contacts)
    assert contacts["incident-responder"]["Properties"]["Type"] == "PERSONAL"
    channels = {
        r["Properties"]["ChannelName"]: (lid, r)
        for lid, r in _of_type(template, "AWS::SSMContacts::ContactChannel").items()
    }
    assert channels["incident responder email"][1]["Properties"]["ChannelType"] == "EMAIL"
    assert channels["incident responder mobile"][1]["Properties"]["ChannelType"] == "SMS"
    # the responder's plan engages email at 0 and SMS at 10
    responder_id = next(
        lid
        for lid, r in _of_type(template, "AWS::SSMContacts::Contact").items()
        if r["Properties"]["Alias"] == "incident-responder"
    )
    plan = next(
        r
        for r in _of_type(template, "AWS::SSMContacts::Plan").values()
        if r["Properties"]["ContactId"]["Fn::GetAtt"][0] == responder_id
    )
    minute, at = 0, {}
    for stage in plan["Properties"]["Stages"]:
        for target in stage["Targets"]:
            at[target["ChannelTargetInfo"]["ChannelId"]["Fn::GetAtt"][0]] = minute
        minute += stage["DurationInMinutes"]
    assert at[channels["incident responder email"][0]] == 0
    assert at[channels["incident responder mobile"][0]] == 10


def test_blog_escalation_plan(example):
    _, template, _ = example
    (esc,) = [
        r for r in _of_type(template, "AWS::SSMContacts::Contact").values() if r["Properties"]["Type"] == "ESCALATION"
    ]
    stages = esc["Properties"]["Plan"]
    assert esc["Properties"]["Alias"] == "app-escalation-plan"
    assert stages[0]["DurationInMinutes"] == 5
    assert stages[0]["Targets"][0]["ContactTargetInfo"]["IsEssential"] is True
    assert stages[0]["Targets"][0]["ContactTargetInfo"]["ContactId"]["Fn::GetAtt"][0].startswith("IncidentResponder")
    assert stages[1]["Targets"][0]["ContactTargetInfo"]["ContactId"]["Fn::GetAtt"][0].startswith("SrIncidentResponder")


def test_blog_response_plan_runbook_alarm_and_replication_set(example):
    stack, _, _ = example
    t = Template.from_stack(stack)
    t.has_resource_properties(
        "AWS::SSMIncidents::ResponsePlan",
        {
            "Name": "EC2HighCPU",
            "IncidentTemplate": Match.object_like({"Title": "cpu-incident-1", "Impact": 3}),
            "Engagements": [{"Fn::GetAtt": [Match.string_like_regexp("AppEscalationPlan"), "Arn"]}],
            "Actions": [{"SsmAutomation": Match.object_like({"DocumentName": "ec2-cpu-util-runbook"})}],
        },
    )
    docs = _of_type(t.to_json(), "AWS::SSM::Document")
    (doc,) = docs.values()
    assert [s["name"] for s in doc["Properties"]["Content"]["mainSteps"]] == [
        "Inspect",
        "AddMetrics",
        "AttachToAutoScalingGroup",
        "Validate",
        "CloseIncident",
    ]
    assert all(s["action"] == "aws:pause" and s["description"] for s in doc["Properties"]["Content"]["mainSteps"])
    t.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "MetricName": "CPUUtilization",
            "Namespace": "AWS/EC2",
            "Threshold": 85,
            "ComparisonOperator": "GreaterThanThreshold",
            "Dimensions": [{"Name": "InstanceId", "Value": "i-0123456789abcdef0"}],
        },
    )
    t.has_resource_properties(
        "AWS::SSMIncidents::ReplicationSet",
        {
            "Regions": [{"RegionName": "us-east-1", "RegionConfiguration": {"SseKmsKeyId": "DefaultKey"}}],
            "DeletionProtected": True,
        },
    )


def test_instance_id_comes_from_context():
    app = new_app(instanceId="i-0fedcba9876543210")
    stack = IncidentManagerStack(app, "Ctx")
    Template.from_stack(stack).has_resource_properties(
        "AWS::CloudWatch::Alarm", {"Dimensions": [{"Name": "InstanceId", "Value": "i-0fedcba9876543210"}]}
    )


def test_every_template_passes_cfn_lint(example):
    _, _, out = example
    templates = sorted(out.glob("*.template.json"))
    assert templates
    assert cfn_lint_templates(templates) == []


def test_cfn_lint_would_catch_a_broken_template(tmp_path, example):
    """The lint helper is not a no-op: a template with a bad property fails."""
    _, template, _ = example
    broken = json.loads(json.dumps(template))
    rp = next(r for r in broken["Resources"].values() if r["Type"] == "AWS::SSMIncidents::ResponsePlan")
    rp["Properties"]["IncidentTemplate"]["Impact"] = 9
    f = tmp_path / "broken.template.json"
    f.write_text(json.dumps(broken))
    assert any("E3034" in e or "Impact" in e for e in cfn_lint_templates([f]))


def test_runbook_content_passes_the_ssm_document_schema(example):
    _, template, _ = example
    validator = jsonschema.Draft7Validator(ssm_schema())
    for doc in _of_type(template, "AWS::SSM::Document").values():
        errors = sorted(validator.iter_errors(doc["Properties"]["Content"]), key=str)
        assert errors == []
    # and the schema refuses the blog's snippet, which lists steps without mainSteps
    assert list(validator.iter_errors({"schemaVersion": "0.3", "steps": [{"name": "Inspect", "action": "aws:pause"}]}))


def test_snapshot(example, snapshot):
    _, template, _ = example
    assert template == snapshot


def test_real_cdk_cli_synthesizes_the_app(tmp_path):
    result = run_cdk_synth(REPO_ROOT, tmp_path / "cdk.out")
    assert result.returncode == 0, result.stderr[-3000:]
    manifest = json.loads((tmp_path / "cdk.out" / "manifest.json").read_text())
    assert STACK_ID in manifest["artifacts"]
    template = json.loads((tmp_path / "cdk.out" / f"{STACK_ID}.template.json").read_text())
    assert any(r["Type"] == "AWS::SSMIncidents::ResponsePlan" for r in template["Resources"].values())
