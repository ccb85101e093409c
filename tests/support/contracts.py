"""Factories and template readers for the contract suite (tests/test_contracts.py).

Each :class:`Spec` builds one construct of the library, valid and complete, in a stack it is
given. The factory never reads ``.resource`` or an ARN of the construct itself; it calls
``peek(construct)`` right after the constructor and before any ``add_*`` call, so that a test
can read attributes at the worst moment (see ``test_template_does_not_depend_on_what_was_read_first``).

The library is imported inside the factories: a module that is being rewritten and does not
import fails its own cases, not the whole suite.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from constructs import Construct, IConstruct

#: What the CDK CLI sets for ``cdk synth``: each resource names its construct path.
PATH_METADATA = {"aws:cdk:enable-path-metadata": True}

STACK = "Contracts"

Peek = Callable[[Any], None]


def fresh_app(**context: Any) -> cdk.App:
    """An app without aws-cdk-lib's built-in template validation, with path metadata on."""
    return cdk.App(builtin_cloud_formation_validation=False, context={**PATH_METADATA, **context})


def fresh_stack(**context: Any) -> tuple[cdk.App, cdk.Stack]:
    app = fresh_app(**context)
    return app, cdk.Stack(app, STACK)


def synth(app: cdk.App) -> tuple[dict[str, Any], Path]:
    """The stack's template and the assembly directory."""
    assembly = app.synth()
    return assembly.get_stack_by_name(STACK).template, Path(assembly.directory)


def no_peek(_construct: Any) -> None:
    return None


# -- template readers ------------------------------------------------------------------------


def cdk_path(resource: dict[str, Any]) -> str | None:
    path = resource.get("Metadata", {}).get("aws:cdk:path")
    return path if isinstance(path, str) else None


def resources_below(template: dict[str, Any], construct: IConstruct) -> dict[str, dict[str, Any]]:
    """The template's resources whose ``aws:cdk:path`` is below ``construct``, by logical id."""
    prefix = construct.node.path + "/"
    return {
        logical_id: resource
        for logical_id, resource in template.get("Resources", {}).items()
        if (cdk_path(resource) or "").startswith(prefix)
    }


def main_logical_id(template: dict[str, Any], construct: IConstruct, cfn_type: str) -> str:
    """The logical id of the one resource of ``cfn_type`` below ``construct``."""
    found = [lid for lid, r in resources_below(template, construct).items() if r["Type"] == cfn_type]
    assert len(found) == 1, f"expected one {cfn_type} below {construct.node.path}, found {found}"
    return found[0]


def l1s_below(construct: IConstruct) -> list[cdk.CfnResource]:
    """The L1s in the construct tree below ``construct`` (``construct`` included)."""
    return [c for c in construct.node.find_all() if isinstance(c, cdk.CfnResource)]


def main_l1(construct: IConstruct, cfn_type: str) -> cdk.CfnResource:
    """The one L1 of ``cfn_type`` in the tree below ``construct`` (found without reading attributes)."""
    found = [c for c in l1s_below(construct) if c.cfn_resource_type == cfn_type]
    assert len(found) == 1, (
        f"expected one {cfn_type} L1 below {construct.node.path}, found {[c.node.path for c in found]}"
    )
    return found[0]


def depends_on(resource: dict[str, Any]) -> set[str]:
    value = resource.get("DependsOn", [])
    return {value} if isinstance(value, str) else set(value)


def has_tag(properties: dict[str, Any], key: str, value: str) -> bool:
    """True when ``Tags`` holds ``key: value`` (a list of ``{Key, Value}`` or a map)."""
    tags = properties.get("Tags")
    if isinstance(tags, dict):
        return tags.get(key) == value
    if isinstance(tags, list):
        return any(isinstance(t, dict) and t.get("Key") == key and t.get("Value") == value for t in tags)
    return False


@functools.cache
def _schemas() -> tuple[Path, dict[str, str]]:
    import cfnlint

    base = Path(cfnlint.__file__).parent / "data" / "schemas"
    return base, json.loads((base / "providers" / "us-east-1.json").read_text())


@functools.cache
def taggable(cfn_type: str) -> bool:
    """Whether the CloudFormation registry schema (as cfn-lint ships it) gives ``cfn_type`` a ``Tags`` property."""
    base, index = _schemas()
    schema = json.loads((base / "resources" / f"{index[cfn_type]}.json").read_text())
    return "Tags" in schema.get("properties", {})


def tree_paths(assembly_dir: Path) -> dict[str, dict[str, Any]]:
    """Every node of ``tree.json`` by construct path."""
    tree = json.loads((assembly_dir / "tree.json").read_text())["tree"]
    found: dict[str, dict[str, Any]] = {}

    def walk(node: dict[str, Any]) -> None:
        found[node.get("path", "")] = node
        for child in (node.get("children") or {}).values():
            walk(child)

    walk(tree)
    return found


def find_by_path(root: IConstruct, path: str) -> IConstruct:
    """The construct at ``path`` (as ``node.path`` spells it), walking down from the app."""
    node = root
    for part in path.split("/"):
        node = node.node.find_child(part)
    return node


# -- building blocks -------------------------------------------------------------------------


def person(scope: Construct, id: str, alias: str) -> Any:
    from incident_constructs import Contact

    contact = Contact(scope, id, alias=alias)
    contact.add_email_channel("mail", f"{alias}@example.com")
    return contact


def rotation(scope: Construct, id: str, name: str, contacts: list[Any]) -> Any:
    from incident_constructs import Rotation, RotationRecurrence

    return Rotation(
        scope,
        id,
        rotation_name=name,
        contacts=contacts,
        start_time="2026-01-05T09:00:00",
        time_zone="UTC",
        recurrence=RotationRecurrence.daily(hand_off_time="09:00"),
    )


def runbook(scope: Construct, id: str = "Runbook", name: str = "team-runbook") -> Any:
    from incident_constructs import Runbook, RunbookStep

    return Runbook(scope, id, document_name=name, steps=[RunbookStep.pause("Look")])


def topic(scope: Construct, id: str) -> Any:
    from aws_cdk import aws_sns as sns

    return sns.Topic(scope, id)


# -- the specs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """One construct of the library and what its contracts expect.

    :param name: the test id.
    :param cfn_type: the CloudFormation type of the main resource (the default child).
    :param build: ``build(stack, peek) -> construct``.
    :param interface: ``(module, name)`` of the interface the construct implements.
    :param reads: attributes read by the "read first" case (``.resource``, the ARN).
    :param unit: CloudFormation types below the construct that ``apply_removal_policy`` must reach
        (the main type always).
    :param roles: construct paths, relative to the construct ("" for itself), of the IAM roles it owns.
    """

    name: str
    cfn_type: str
    build: Callable[[cdk.Stack, Peek], Any]
    interface: tuple[str, str] | None
    reads: tuple[str, ...]
    unit: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.name


def build_contact(stack: cdk.Stack, peek: Peek) -> Any:
    from incident_constructs import Contact

    contact = Contact(stack, "Alice", alias="alice")
    peek(contact)
    contact.add_email_channel("mail", "alice@example.com")
    contact.add_sms_channel("phone", "+12065550100", engage_after=timedelta(minutes=5))
    return contact


def build_escalation_plan(stack: cdk.Stack, peek: Peek) -> Any:
    from incident_constructs import EscalationPlan, EscalationStage

    alice, bob = person(stack, "Alice", "alice"), person(stack, "Bob", "bob")
    plan = EscalationPlan(
        stack,
        "Escalation",
        alias="escalation",
        stages=[EscalationStage(contacts=[alice], duration=timedelta(minutes=5))],
    )
    peek(plan)
    plan.add_stage(EscalationStage(contacts=[bob], duration=timedelta(minutes=10)))
    return plan


def build_on_call_schedule(stack: cdk.Stack, peek: Peek) -> Any:
    from incident_constructs import OnCallSchedule

    alice, bob = person(stack, "Alice", "alice"), person(stack, "Bob", "bob")
    day = rotation(stack, "Day", "day", [alice, bob])
    night = rotation(stack, "Night", "night", [bob, alice])
    schedule = OnCallSchedule(stack, "Schedule", alias="schedule", rotations=[day])
    peek(schedule)
    schedule.add_rotation(night)
    return schedule


def build_rotation(stack: cdk.Stack, peek: Peek) -> Any:
    alice, bob = person(stack, "Alice", "alice"), person(stack, "Bob", "bob")
    result = rotation(stack, "Rotation", "team", [alice, bob])
    peek(result)
    return result


def build_runbook(stack: cdk.Stack, peek: Peek) -> Any:
    from incident_constructs import RunbookStep

    result = runbook(stack)
    peek(result)
    result.add_step(RunbookStep.pause("Fix"))
    return result


def build_response_plan(stack: cdk.Stack, peek: Peek) -> Any:
    from incident_constructs import Impact, ResponsePlan

    alice, bob = person(stack, "Alice", "alice"), person(stack, "Bob", "bob")
    plan = ResponsePlan(
        stack,
        "Plan",
        response_plan_name="team",
        title="Something is wrong",
        impact=Impact.HIGH,
        engagements=[alice],
        runbook=runbook(stack),
        notification_topics=[topic(stack, "Notify1")],
        chat_channel_topics=[topic(stack, "Chat1")],
    )
    peek(plan)
    plan.add_engagement(bob)
    plan.add_notification_topic(topic(stack, "Notify2"))
    plan.add_chat_channel_topic(topic(stack, "Chat2"))
    return plan


def build_replication_set(stack: cdk.Stack, peek: Peek) -> Any:
    from incident_constructs import ReplicationSet

    result = ReplicationSet(stack, "ReplicationSet", regions=["us-east-1", "eu-west-1"])
    peek(result)
    return result


def build_slack_chat_channel(stack: cdk.Stack, peek: Peek) -> Any:
    from incident_constructs import Impact, ResponsePlan, SlackChatChannel

    plan = ResponsePlan(
        stack,
        "Plan",
        response_plan_name="team",
        title="Something is wrong",
        impact=Impact.HIGH,
    )
    channel = SlackChatChannel(
        stack,
        "Slack",
        slack_workspace_id="T012ABCDEFG",
        slack_channel_id="C012ABCDEFG",
        slack_channel_configuration_name="incidents",
    )
    peek(channel)
    channel.add_response_plan(plan)
    return channel


def build_teams_chat_channel(stack: cdk.Stack, peek: Peek) -> Any:
    from incident_constructs import Impact, ResponsePlan, TeamsChatChannel

    plan = ResponsePlan(
        stack,
        "Plan",
        response_plan_name="team",
        title="Something is wrong",
        impact=Impact.HIGH,
    )
    channel = TeamsChatChannel(
        stack,
        "Teams",
        team_id="a1b2c3d4-0000-4000-8000-0123456789ab",
        channel_id="19%3Aab12cd34ef56ab12cd34ef56ab12cd34%40thread.tacv2",
        tenant_id="0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
        teams_channel_configuration_name="incidents",
    )
    peek(channel)
    channel.add_response_plan(plan)
    return channel


def build_runbook_role(stack: cdk.Stack, peek: Peek) -> Any:
    from incident_constructs import RunbookRole

    role = RunbookRole(stack, "RunbookRole", response_plan_name="team", document_name="team-runbook")
    peek(role)
    return role


SPECS: list[Spec] = [
    Spec(
        "Contact",
        "AWS::SSMContacts::Contact",
        build_contact,
        ("incident_constructs.contacts.contact", "IContact"),
        reads=("resource", "contact_arn", "plan", "channels"),
        unit=("AWS::SSMContacts::ContactChannel", "AWS::SSMContacts::Plan"),
    ),
    Spec(
        "EscalationPlan",
        "AWS::SSMContacts::Contact",
        build_escalation_plan,
        ("incident_constructs.contacts.contact", "IContact"),
        reads=("resource", "contact_arn"),
    ),
    Spec(
        "OnCallSchedule",
        "AWS::SSMContacts::Contact",
        build_on_call_schedule,
        ("incident_constructs.contacts.contact", "IContact"),
        reads=("resource", "contact_arn"),
    ),
    Spec(
        "Rotation",
        "AWS::SSMContacts::Rotation",
        build_rotation,
        ("incident_constructs.contacts.rotation", "IRotation"),
        reads=("resource", "rotation_arn"),
    ),
    Spec(
        "Runbook",
        "AWS::SSM::Document",
        build_runbook,
        ("incident_constructs.response.runbook", "IRunbook"),
        reads=("resource", "document_arn"),
    ),
    Spec(
        "ResponsePlan",
        "AWS::SSMIncidents::ResponsePlan",
        build_response_plan,
        ("incident_constructs.response.response_plan", "IResponsePlan"),
        reads=("resource", "response_plan_arn"),
        roles=("RunbookRole",),
    ),
    Spec(
        "ReplicationSet",
        "AWS::SSMIncidents::ReplicationSet",
        build_replication_set,
        ("incident_constructs.response.replication_set", "IReplicationSet"),
        reads=("resource", "replication_set_arn"),
    ),
    Spec(
        "SlackChatChannel",
        "AWS::Chatbot::SlackChannelConfiguration",
        build_slack_chat_channel,
        None,
        reads=("resource", "slack_channel_configuration_arn", "topic", "role"),
        roles=("Role",),
    ),
    Spec(
        "TeamsChatChannel",
        "AWS::Chatbot::MicrosoftTeamsChannelConfiguration",
        build_teams_chat_channel,
        None,
        reads=("resource", "teams_channel_configuration_arn", "topic", "role"),
        roles=("Role",),
    ),
    Spec(
        "RunbookRole",
        "AWS::IAM::Role",
        build_runbook_role,
        ("aws_cdk.aws_iam", "IRole"),
        reads=("resource", "role_arn"),
        roles=("",),
    ),
]


def read_everything(construct: Any, names: tuple[str, ...]) -> None:
    """Read ``names`` of ``construct`` and turn tokens into strings, as user code would."""
    for name in names:
        value = getattr(construct, name)
        for item in value if isinstance(value, list) else [value]:
            str(getattr(item, "channel_arn", item))  # a contact's channels: their ARNs too
