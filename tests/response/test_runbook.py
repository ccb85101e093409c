"""Runbook: the Automation document, its steps and file loading."""

from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template
from support.stacks import new_stack, resources_of

from incident_constructs import IRunbook, Runbook, RunbookStep, ValidationError

DATA = Path(__file__).resolve().parents[1] / "data"


def _content(stack):
    (doc,) = resources_of(stack, "AWS::SSM::Document").values()
    return doc


def test_runbook_is_an_automation_document_updated_in_place():
    stack = new_stack()
    Runbook(
        stack, "Rb", document_name="ec2-cpu-util-runbook", description="High CPU", steps=[RunbookStep.pause("Inspect")]
    )
    doc = _content(stack)
    props = doc["Properties"]
    assert props["DocumentType"] == "Automation"
    assert props["UpdateMethod"] == "NewVersion"
    assert props["Name"] == "ec2-cpu-util-runbook"
    assert doc["DeletionPolicy"] == "Retain"
    content = props["Content"]
    assert content["schemaVersion"] == "0.3"
    assert content["description"] == "High CPU"
    assert content["assumeRole"] == "{{ AutomationAssumeRole }}"
    assert {k: v["type"] for k, v in content["parameters"].items()} == {
        "AutomationAssumeRole": "String",
        "IncidentRecordArn": "String",
        "InvolvedResources": "StringList",
    }
    assert content["mainSteps"] == [{"name": "Inspect", "action": "aws:pause", "inputs": {}}]


def test_step_factories_render_the_service_shapes():
    stack = new_stack()
    rb = Runbook(stack, "Rb", document_name="all-steps")
    rb.add_step(RunbookStep.pause("P", description="look", on_failure="Abort"))
    rb.add_step(RunbookStep.approve("A", approvers=["arn:aws:iam::111122223333:role/OnCall"], min_required_approvals=1))
    rb.add_step(
        RunbookStep.execute_aws_api("Api", service="ec2", api="DescribeInstances", parameters={"InstanceIds": ["i-1"]})
    )
    rb.add_step(RunbookStep.execute_script("Script", script="def handler(e, c):\n  return {}"))
    rb.add_step(
        RunbookStep.run_command(
            "Cmd", document_name="AWS-RunShellScript", instance_ids=["i-1"], parameters={"commands": ["uptime"]}
        )
    )
    rb.add_step(RunbookStep.sleep("Wait", duration=cdk.Duration.minutes(5)))
    rb.add_step(
        RunbookStep.action(
            "Branch", "aws:branch", {"Choices": [{"NextStep": "P", "Variable": "x", "StringEquals": "y"}]}
        )
    )
    steps = {s["name"]: s for s in _content(stack)["Properties"]["Content"]["mainSteps"]}
    assert list(steps) == ["P", "A", "Api", "Script", "Cmd", "Wait", "Branch"]
    assert steps["P"] == {"name": "P", "action": "aws:pause", "description": "look", "onFailure": "Abort", "inputs": {}}
    assert steps["A"]["inputs"] == {"Approvers": ["arn:aws:iam::111122223333:role/OnCall"], "MinRequiredApprovals": 1}
    assert steps["Api"]["inputs"] == {"Service": "ec2", "Api": "DescribeInstances", "InstanceIds": ["i-1"]}
    assert steps["Script"]["inputs"]["Runtime"].startswith("python3")
    assert steps["Cmd"]["inputs"]["DocumentName"] == "AWS-RunShellScript"
    assert steps["Wait"]["inputs"] == {"Duration": "PT5M"}
    assert steps["Branch"]["action"] == "aws:branch"


def test_from_yaml_file_loads_and_keeps_the_document():
    stack = new_stack()
    rb = Runbook.from_yaml_file(stack, "Restart", DATA / "restart.yaml", document_name="restart-web")
    content = _content(stack)["Properties"]["Content"]
    assert [s["name"] for s in content["mainSteps"]] == ["Restart", "Confirm"]
    assert content["parameters"]["InstanceId"]["default"] == "i-0123456789abcdef0"
    assert rb.parameter_types == {
        "AutomationAssumeRole": "String",
        "IncidentRecordArn": "String",
        "InstanceId": "String",
    }


def test_from_yaml_file_reads_json_too(tmp_path):
    f = tmp_path / "doc.json"
    f.write_text(
        '{"schemaVersion": "0.3", "mainSteps": [{"name": "Wait", "action": "aws:sleep", "inputs": {"Duration": "PT1M"}}]}'
    )
    stack = new_stack()
    Runbook.from_yaml_file(stack, "J", f, document_name="json-doc")
    assert _content(stack)["Properties"]["Content"]["mainSteps"][0]["action"] == "aws:sleep"


def test_the_blog_snippet_without_main_steps_is_refused():
    stack = new_stack()
    with pytest.raises(ValidationError) as info:
        Runbook.from_yaml_file(stack, "Blog", DATA / "blog_snippet.yaml", document_name="blog")
    assert "mainSteps" in str(info.value) and "TestStack/Blog" in str(info.value)


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("schemaVersion: '0.3'\nmainSteps: []\n", "a non-empty list of steps"),
        ("schemaVersion: '0.3'\nmainSteps:\n  - action: aws:pause\n", "every step needs a name"),
        (
            "schemaVersion: '0.3'\nmainSteps:\n  - {name: A, action: aws:pause}\n  - {name: A, action: aws:pause}\n",
            "step names must be unique",
        ),
        ("schemaVersion: '0.3'\nmainSteps:\n  - {name: A, action: aws:teleport}\n", "action 'aws:teleport'"),
        (
            "schemaVersion: '0.3'\nmainSteps:\n  - {name: A, action: aws:approve, inputs: {}}\n",
            "aws:approve requires Approvers",
        ),
        ("schemaVersion: '2.2'\nmainSteps:\n  - {name: A, action: aws:pause}\n", "schemaVersion '2.2'"),
        ("schemaVersion: '0.3'\nmainSteps:\n  - {name: 'has space', action: aws:pause}\n", "name 'has space'"),
        ("- just\n- a list\n", "must hold a mapping"),
        ("key: [unclosed\n", "not valid YAML or JSON"),
    ],
)
def test_bad_runbook_files_are_refused(tmp_path, text, fragment):
    f = tmp_path / "rb.yaml"
    f.write_text(text)
    with pytest.raises(ValidationError) as info:
        Runbook.from_yaml_file(new_stack(), "Rb", f, document_name="bad-doc")
    assert fragment in str(info.value)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ValidationError, match="cannot read runbook file"):
        Runbook.from_yaml_file(new_stack(), "Rb", tmp_path / "nope.yaml", document_name="nope")


@pytest.mark.parametrize(
    "name, fragment",
    [
        ("ab", "length must be 3 to 128"),
        ("AWS-Restart", "not starting with 'aws'"),
        ("amazonThing", "not starting"),
        ("has space", "'has space'"),
    ],
)
def test_document_name_rules(name, fragment):
    with pytest.raises(ValidationError, match=fragment):
        Runbook(new_stack(), "Rb", document_name=name, steps=[RunbookStep.pause("A")])


def test_step_rules_at_add_time():
    stack = new_stack()
    rb = Runbook(stack, "Rb", document_name="rules", steps=[RunbookStep.pause("A")])
    with pytest.raises(ValidationError, match="step names must be unique"):
        rb.add_step(RunbookStep.pause("A"))
    with pytest.raises(ValidationError, match="action 'aws:nope'"):
        rb.add_step(RunbookStep.action("B", "aws:nope"))
    with pytest.raises(ValidationError, match="a RunbookStep"):
        rb.add_step({"name": "C", "action": "aws:pause"})  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="unknown option"):
        RunbookStep.pause("D", colour="red")


def test_a_runbook_without_steps_fails_at_synth():
    stack = new_stack()
    Runbook(stack, "Rb", document_name="empty-doc")
    with pytest.raises(RuntimeError, match="has no steps"):
        Template.from_stack(stack)


def test_document_names_are_unique_in_the_app():
    stack = new_stack()
    Runbook(stack, "A", document_name="same-doc", steps=[RunbookStep.pause("A")])
    with pytest.raises(ValidationError, match="unique"):
        Runbook(stack, "B", document_name="same-doc", steps=[RunbookStep.pause("A")])


def test_import_by_document_name():
    stack = new_stack()
    rb = Runbook.from_document_name(stack, "Shared", "AWSIncidents-CriticalIncidentRunbookTemplate")
    assert rb.document_name == "AWSIncidents-CriticalIncidentRunbookTemplate"
    assert rb.parameter_types is None
    assert isinstance(rb, IRunbook) and isinstance(rb, cdk.Resource) and not isinstance(rb, Runbook)
    assert rb.runs_as_automation_assume_role is False
    assert rb.stack is stack and rb.node.default_child is None


def test_import_of_a_shared_document_by_arn_takes_the_environment_of_the_arn():
    stack = new_stack(env=cdk.Environment(account="444455556666", region="us-east-1"))
    arn = "arn:aws:ssm:eu-west-1:111122223333:document/shared-restart"
    rb = Runbook.from_document_name(stack, "Shared", arn)
    assert rb.document_name == arn
    assert (rb.env.account, rb.env.region) == ("111122223333", "eu-west-1")


# -- a CDK resource ----------------------------------------------------------------------------


def test_a_runbook_is_a_cdk_resource_with_its_document_as_default_child():
    stack = new_stack(env=cdk.Environment(account="111122223333", region="eu-west-1"))
    rb = Runbook(stack, "Rb", document_name="resource-doc", steps=[RunbookStep.pause("A")])
    assert isinstance(rb, cdk.Resource) and isinstance(rb, IRunbook)
    assert rb.node.default_child is rb.resource and rb.resource.node.id == "Resource"
    assert rb.stack is stack and (rb.env.account, rb.env.region) == ("111122223333", "eu-west-1")
    rb.apply_removal_policy(cdk.RemovalPolicy.DESTROY)
    assert _content(stack)["DeletionPolicy"] == "Delete"


def test_an_index_override_on_main_steps_merges_with_steps_added_before_and_after():
    stack = new_stack()
    rb = Runbook(stack, "Rb", document_name="override-doc", steps=[RunbookStep.pause("A")])
    rb.add_step(RunbookStep.pause("B"))
    rb.resource.add_property_override("Content.mainSteps.1.onFailure", "Abort")
    rb.resource.add_property_override("Content.mainSteps.0.name", "First")
    rb.add_step(RunbookStep.sleep("C", duration=cdk.Duration.minutes(1)))
    steps = _content(stack)["Properties"]["Content"]["mainSteps"]
    assert steps == [
        {"name": "First", "action": "aws:pause", "inputs": {}},
        {"name": "B", "action": "aws:pause", "inputs": {}, "onFailure": "Abort"},
        {"name": "C", "action": "aws:sleep", "inputs": {"Duration": "PT1M"}},
    ]


def test_the_content_is_rendered_unchanged_as_a_plain_dict():
    """The document's Content is the library's dict, key for key (no CloudFormation casing)."""
    stack = new_stack()
    rb = Runbook.from_yaml_file(stack, "Restart", DATA / "restart.yaml", document_name="restart-web")
    assert _content(stack)["Properties"]["Content"] == rb.content()
