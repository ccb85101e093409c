"""Tags on the replication set: the ``tags`` prop, and ``Tags.of`` through its L1 (the
CloudFormation schema of ``AWS::SSMIncidents::ReplicationSet`` has ``Tags`` and is taggable)."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
import pytest
from support.contracts import taggable
from support.lint import cfn_lint_templates
from support.stacks import new_stack, resources_of

from incident_constructs import ReplicationSet, ValidationError


def props(stack: cdk.Stack) -> dict[str, object]:
    (resource,) = resources_of(stack, "AWS::SSMIncidents::ReplicationSet").values()
    return resource["Properties"]  # type: ignore[no-any-return]


def test_the_schema_makes_the_replication_set_taggable() -> None:
    assert taggable("AWS::SSMIncidents::ReplicationSet")


def test_tags_given_are_written_sorted_by_key() -> None:
    stack = new_stack()
    ReplicationSet(stack, "RS", regions=["us-east-1"], tags={"team": "ops", "cost-centre": "42"})
    assert props(stack)["Tags"] == [{"Key": "cost-centre", "Value": "42"}, {"Key": "team", "Value": "ops"}]


def test_no_tags_write_no_tags() -> None:
    stack = new_stack()
    ReplicationSet(stack, "RS", regions=["us-east-1"])
    assert "Tags" not in props(stack)


def test_tags_of_reach_the_replication_set_beside_the_tags_given() -> None:
    stack = new_stack()
    rs = ReplicationSet(stack, "RS", regions=["us-east-1"], tags={"team": "ops"})
    cdk.Tags.of(stack).add("env", "prod")
    assert props(stack)["Tags"] == [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "ops"}]
    assert rs.resource.tags.tag_values() == {"env": "prod", "team": "ops"}


@pytest.mark.parametrize(
    "tags, fragment",
    [
        ({"aws:team": "ops"}, "tags key 'aws:team' is not allowed: keys starting with 'aws:' are reserved by AWS."),
        ({f"k{i}": "v" for i in range(51)}, "tags '51 tags' is not allowed: at most 50 tags."),
        ({"team": ""}, "tags value for 'team' '' is not allowed"),
        ({"équipe": "ops"}, "tags key 'équipe' is not allowed"),
        (["team"], "tags ['team'] is not allowed: a mapping of tag key to tag value"),
    ],
)
def test_bad_tags_are_refused(tags: object, fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ReplicationSet(new_stack(), "RS", regions=["us-east-1"], tags=tags)  # type: ignore[arg-type]
    assert str(caught.value).startswith("TestStack/RS (ReplicationSet): ")
    assert fragment in str(caught.value)


def test_a_bad_tag_from_tags_of_fails_the_synthesis() -> None:
    stack = new_stack()
    ReplicationSet(stack, "RS", regions=["us-east-1"])
    cdk.Tags.of(stack).add("team", "équipe ops")
    with pytest.raises(Exception, match="Validation failed"):
        stack.node.root.synth()


def test_the_template_passes_cfn_lint(tmp_path: Path) -> None:
    stack = new_stack()
    ReplicationSet(stack, "RS", regions=["us-east-1"], tags={"team": "ops"})
    path = tmp_path / "rs.template.json"
    path.write_text(json.dumps(stack.node.root.synth().get_stack_by_name("TestStack").template))
    assert cfn_lint_templates([path]) == []
