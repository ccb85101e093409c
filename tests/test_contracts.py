"""The contract suite: every construct behaves like an aws-cdk-lib L2 (issue 11, item 1).

Each case builds one construct in a fresh app (no built-in template validation, path metadata
on as ``cdk synth`` has it) and checks one CDK contract: ``cdk.Resource``, the default child,
removal policies, tags, dependencies both ways, logical id renames, aspects, path metadata,
cdk-nag acknowledgements, ``iam.Role.customize_roles``, templates that do not depend on what
was read first, interfaces and imports, and index overrides on every list that ``add_*``
methods extend. The factories live in ``tests/support/contracts.py``.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import jsii
import pytest
from aws_cdk import aws_iam as iam
from support.contracts import (
    SPECS,
    STACK,
    Spec,
    depends_on,
    find_by_path,
    fresh_stack,
    has_tag,
    l1s_below,
    main_l1,
    main_logical_id,
    no_peek,
    person,
    read_everything,
    resources_below,
    rotation,
    runbook,
    synth,
    taggable,
    topic,
    tree_paths,
)

ACCOUNT = "123456789012"
REGION = "eu-west-1"

spec_cases = pytest.mark.parametrize("spec", SPECS, ids=str)


def default_l1(construct: Any) -> cdk.CfnResource:
    child = construct.node.default_child
    assert isinstance(child, cdk.CfnResource), f"{construct.node.path}: default_child is {child!r}"
    return child


def built(spec: Spec, peek: Callable[[Any], None] = no_peek, **context: Any) -> tuple[cdk.App, cdk.Stack, Any]:
    app, stack = fresh_stack(**context)
    return app, stack, spec.build(stack, peek)


# -- the construct is a cdk.Resource ---------------------------------------------------------


@spec_cases
def test_is_a_resource_with_stack_and_env(spec: Spec) -> None:
    _, stack, construct = built(spec)
    assert isinstance(construct, cdk.Resource)
    assert construct.stack is stack
    assert construct.env.account == stack.account
    assert construct.env.region == stack.region


@spec_cases
def test_default_child_is_the_main_l1_at_id_resource(spec: Spec) -> None:
    _, _, construct = built(spec)
    child = construct.node.default_child
    assert isinstance(child, cdk.CfnResource), f"default_child is {child!r}"
    assert child.node.id == "Resource"
    assert child.cfn_resource_type == spec.cfn_type


@spec_cases
def test_the_main_resource_is_below_the_construct_in_the_template(spec: Spec) -> None:
    app, _, construct = built(spec)
    template, _ = synth(app)
    main = main_logical_id(template, construct, spec.cfn_type)
    assert resources_below(template, construct)[main]["Type"] == spec.cfn_type


# -- removal policies ------------------------------------------------------------------------


@spec_cases
def test_apply_removal_policy_reaches_the_main_resource_and_its_unit(
    spec: Spec,
) -> None:
    app, _, construct = built(spec)
    construct.apply_removal_policy(cdk.RemovalPolicy.DESTROY)
    template, _ = synth(app)
    below = resources_below(template, construct)
    reached = {main_logical_id(template, construct, spec.cfn_type)} | {
        lid for lid, r in below.items() if r["Type"] in spec.unit
    }
    assert {r["Type"] for lid, r in below.items() if lid in reached} >= {
        spec.cfn_type,
        *spec.unit,
    }
    for logical_id in reached:
        assert below[logical_id].get("DeletionPolicy") == "Delete", logical_id
        assert below[logical_id].get("UpdateReplacePolicy") == "Delete", logical_id


@spec_cases
def test_removal_policies_of_the_construct_reach_every_resource_below_it(
    spec: Spec,
) -> None:
    app, _, construct = built(spec)
    cdk.RemovalPolicies.of(construct).destroy()
    template, _ = synth(app)
    below = resources_below(template, construct)
    assert below
    not_reached = {lid: r.get("DeletionPolicy") for lid, r in below.items() if r.get("DeletionPolicy") != "Delete"}
    assert not_reached == {}


@spec_cases
def test_removal_policies_of_the_construct_leave_the_rest_of_the_stack_alone(
    spec: Spec,
) -> None:
    app, stack, construct = built(spec)
    outside = topic(stack, "Outside")
    outside.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
    cdk.RemovalPolicies.of(construct).destroy()
    template, _ = synth(app)
    assert template["Resources"][stack.get_logical_id(default_l1(outside))]["DeletionPolicy"] == "Retain"


# -- tags ------------------------------------------------------------------------------------


@spec_cases
def test_tags_of_the_construct_reach_every_taggable_resource_below_it(
    spec: Spec,
) -> None:
    app, _, construct = built(spec)
    cdk.Tags.of(construct).add("team", "web")
    template, _ = synth(app)
    below = resources_below(template, construct)
    expected = {lid for lid, r in below.items() if taggable(r["Type"])}
    assert main_logical_id(template, construct, spec.cfn_type) in expected
    untagged = {
        lid: below[lid]["Type"] for lid in expected if not has_tag(below[lid].get("Properties", {}), "team", "web")
    }
    assert untagged == {}


# -- dependencies ----------------------------------------------------------------------------


@spec_cases
def test_node_dependencies_are_written_in_both_directions(spec: Spec) -> None:
    app, stack, construct = built(spec)
    before, after = topic(stack, "Before"), topic(stack, "After")
    construct.node.add_dependency(before)
    after.node.add_dependency(construct)
    template, _ = synth(app)
    resources = template["Resources"]
    before_id = stack.get_logical_id(default_l1(before))
    after_id = stack.get_logical_id(default_l1(after))
    below = resources_below(template, construct)
    assert below
    assert {lid for lid, r in below.items() if before_id not in depends_on(r)} == set()
    assert set(below) <= depends_on(resources[after_id])


# -- logical ids -----------------------------------------------------------------------------


@spec_cases
def test_rename_logical_id_of_the_main_resource(spec: Spec) -> None:
    app, stack, construct = built(spec)
    old = stack.get_logical_id(main_l1(construct, spec.cfn_type))
    stack.rename_logical_id(old, "NewId")
    template, _ = synth(app)
    assert template["Resources"]["NewId"]["Type"] == spec.cfn_type
    assert old not in template["Resources"]
    assert f'"{old}"' not in json.dumps(template), "a reference still names the old logical id"


# -- aspects and the construct tree ----------------------------------------------------------


@jsii.implements(cdk.IAspect)
class Recorder:
    def __init__(self) -> None:
        self.paths: list[str] = []

    def visit(self, node: Any) -> None:
        self.paths.append(node.node.path)


@spec_cases
def test_aspects_of_the_construct_visit_every_l1_below_it(spec: Spec) -> None:
    app, _, construct = built(spec)
    recorder = Recorder()
    cdk.Aspects.of(construct).add(recorder)
    template, _ = synth(app)
    below = resources_below(template, construct)
    assert below
    unvisited = {r["Metadata"]["aws:cdk:path"] for r in below.values()} - set(recorder.paths)
    assert unvisited == set()
    assert main_l1(construct, spec.cfn_type).node.path in recorder.paths


@spec_cases
def test_path_metadata_names_the_l1_in_the_tree(spec: Spec) -> None:
    app, stack, construct = built(spec)
    template, assembly_dir = synth(app)
    tree = tree_paths(assembly_dir)
    for logical_id, resource in template["Resources"].items():
        path = resource.get("Metadata", {}).get("aws:cdk:path")
        assert path in tree, f"{logical_id}: aws:cdk:path {path!r} is not in tree.json"
        node = find_by_path(app, path)
        assert isinstance(node, cdk.CfnResource), f"{path} is a {type(node).__name__}"
        assert stack.get_logical_id(node) == logical_id
    assert resources_below(template, construct)


@spec_cases
def test_the_l1s_in_the_tree_below_the_construct_are_its_resources_in_the_template(
    spec: Spec,
) -> None:
    app, stack, construct = built(spec)
    template, _ = synth(app)
    in_tree = {stack.get_logical_id(l1) for l1 in l1s_below(construct)}
    assert in_tree == set(resources_below(template, construct))


# -- cdk-nag -----------------------------------------------------------------------------------


def nag_metadata(resource: dict[str, Any]) -> set[str]:
    rules = resource.get("Metadata", {}).get("cdk_nag", {}).get("rules_to_suppress", [])
    return {rule["id"] for rule in rules}


def write_nag_metadata(app: cdk.App) -> None:
    """What ``AwsSolutionsChecks(app, write_suppressions_to_cloud_formation=True)`` registers, without
    running a pack (its findings on unrelated resources would fail the synthesis)."""
    from cdk_nag import WriteNagSuppressionsToCloudFormationAspect

    cdk.Aspects.of(app).add(WriteNagSuppressionsToCloudFormationAspect())


@spec_cases
def test_nag_v3_acknowledgement_on_the_construct_reaches_every_resource_below_it(
    spec: Spec,
) -> None:
    app, _, construct = built(spec)
    cdk.Validations.of(construct).acknowledge(
        cdk.Acknowledgment(
            id="AwsSolutions-CONTRACT1",
            reason="acknowledged on the construct for the contract suite",
        )
    )
    write_nag_metadata(app)
    template, _ = synth(app)
    below = resources_below(template, construct)
    assert below
    assert {lid for lid, r in below.items() if "AwsSolutions-CONTRACT1" not in nag_metadata(r)} == set()


@spec_cases
def test_nag_v3_acknowledgement_by_path_of_resource_reaches_the_main_l1(
    spec: Spec,
) -> None:
    app, _, construct = built(spec)
    target = find_by_path(app, construct.node.path + "/Resource")
    cdk.Validations.of(target).acknowledge(
        cdk.Acknowledgment(
            id="AwsSolutions-CONTRACT2",
            reason="acknowledged by the path <construct>/Resource",
        )
    )
    write_nag_metadata(app)
    template, _ = synth(app)
    main = main_logical_id(template, construct, spec.cfn_type)
    assert "AwsSolutions-CONTRACT2" in nag_metadata(template["Resources"][main])


def check_nag_v2_suppressions() -> None:
    """cdk-nag v2's ``NagSuppressions`` by construct (``apply_to_children``) and by path reach the
    L1s; run by the test below in a process where cdk-nag 2.x comes first on ``sys.path``."""
    import cdk_nag

    suppressions = cdk_nag.NagSuppressions
    for spec in SPECS:
        app, stack, construct = built(spec)
        suppressions.add_resource_suppressions(construct, [{"id": "AwsSolutions-V2A", "reason": "r" * 10}], True)
        suppressions.add_resource_suppressions_by_path(
            stack,
            construct.node.path + "/Resource",
            [{"id": "AwsSolutions-V2B", "reason": "r" * 10}],
        )
        template, _ = synth(app)
        below = resources_below(template, construct)
        assert below and all("AwsSolutions-V2A" in nag_metadata(r) for r in below.values()), spec.name
        assert "AwsSolutions-V2B" in nag_metadata(
            template["Resources"][main_logical_id(template, construct, spec.cfn_type)]
        ), spec.name
    print("cdk-nag", cdk_nag.__file__, "checked", len(SPECS))


def test_nag_v2_suppressions_reach_the_l1s(cdk_nag_v2: Path) -> None:
    """cdk-nag 2.x (beside the pinned 3.x, see the Makefile) in a subprocess: v2 and v3 cannot share
    one interpreter."""
    v2 = cdk_nag_v2
    tests = Path(__file__).resolve().parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(v2), str(tests), str(tests.parent)])}
    run = subprocess.run(
        [sys.executable, "-c", "import test_contracts; test_contracts.check_nag_v2_suppressions()"],
        env=env,
        cwd=tests,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert f"cdk-nag {v2}" in run.stdout and f"checked {len(SPECS)}" in run.stdout, run.stdout


# -- iam.Role.customize_roles ------------------------------------------------------------------


@pytest.mark.parametrize("spec", [s for s in SPECS if s.roles], ids=str)
def test_customize_roles_reaches_the_roles_of_the_construct(spec: Spec) -> None:
    """With ``customize_roles`` and no precreated names, CDK writes no role and reports each one."""
    app, stack = fresh_stack()
    iam.Role.customize_roles(stack)
    construct = spec.build(stack, no_peek)
    template, assembly_dir = synth(app)
    below = resources_below(template, construct)
    assert {lid for lid, r in below.items() if r["Type"] == "AWS::IAM::Role"} == set()
    report = json.loads((assembly_dir / "iam-policy-report.json").read_text())
    reported = {role["roleConstructPath"] for role in report["roles"]}
    expected = {construct.node.path + (f"/{relative}" if relative else "") for relative in spec.roles}
    assert expected <= reported


def test_customize_roles_gives_the_response_plan_the_precreated_role() -> None:
    spec = next(s for s in SPECS if s.name == "ResponsePlan")
    app, stack = fresh_stack()
    iam.Role.customize_roles(stack, use_precreated_roles={f"{STACK}/Plan/RunbookRole": "precreated-runbook"})
    construct = spec.build(stack, no_peek)
    template, _ = synth(app)
    plan = template["Resources"][main_logical_id(template, construct, spec.cfn_type)]
    role_arn = plan["Properties"]["Actions"][0]["SsmAutomation"]["RoleArn"]
    assert "role/precreated-runbook" in json.dumps(role_arn)


# -- what was read first -----------------------------------------------------------------------


@spec_cases
def test_template_does_not_depend_on_what_was_read_first(spec: Spec) -> None:
    untouched_app, _, _ = built(spec)
    read_app, _, construct = built(spec, lambda c: read_everything(c, spec.reads))
    read_everything(construct, spec.reads)  # and once more after the add_* calls
    str(construct.node.default_child)
    untouched, _ = synth(untouched_app)
    read, _ = synth(read_app)
    assert json.dumps(read, sort_keys=True, indent=1) == json.dumps(untouched, sort_keys=True, indent=1)


# -- interfaces and imports --------------------------------------------------------------------


def interface(module: str, name: str) -> Any:
    return getattr(importlib.import_module(module), name)


def implements(obj: Any, iface: Any) -> bool:
    """``isinstance`` for runtime-checkable protocols (the library's interfaces); for aws-cdk-lib's
    jsii interfaces (not runtime checkable), whether a class of ``obj`` declares ``iface`` or an
    interface extending it with ``@jsii.implements``."""
    if getattr(iface, "_is_runtime_protocol", False):
        return isinstance(obj, iface)
    declared = [i for k in type(obj).__mro__ for i in k.__dict__.get("__jsii_ifaces__", [])]
    return any(iface in getattr(i, "__mro__", ()) for i in declared)


@pytest.mark.parametrize("spec", [s for s in SPECS if s.interface], ids=str)
def test_the_construct_implements_its_interface(spec: Spec) -> None:
    assert spec.interface is not None
    iface = interface(*spec.interface)
    _, _, construct = built(spec)
    assert implements(construct, iface)
    assert implements(construct, cdk.IResource)
    assert cdk.IResource in iface.__mro__, f"{iface.__name__} does not extend cdk.IResource"
    if getattr(iface, "_is_runtime_protocol", False):
        assert not isinstance(object(), iface)


CONTACT_ARN = f"arn:aws:ssm-contacts:{REGION}:{ACCOUNT}:contact/bob"
ROTATION_ARN = f"arn:aws:ssm-contacts:{REGION}:{ACCOUNT}:rotation/0123abcd-0123-4567-89ab-0123456789ab"
RESPONSE_PLAN_ARN = f"arn:aws:ssm-incidents::{ACCOUNT}:response-plan/team"
REPLICATION_SET_ARN = f"arn:aws:ssm-incidents::{ACCOUNT}:replication-set/0123abcd-0123-4567-89ab-0123456789ab"


def _import(module: str, cls: str, method: str, *args: Any, **kwargs: Any) -> Callable[[cdk.Stack], Any]:
    def make(stack: cdk.Stack) -> Any:
        return getattr(interface("incident_constructs", cls), method)(stack, "Imported", *args, **kwargs)

    shown = [("arn" if str(a).startswith("arn:") else str(a)) for a in args] + list(kwargs)
    make.__name__ = f"{cls}.{method}({', '.join(shown)})"
    return make


#: (import, interface, account from the ARN or None for the stack's, region from the ARN or None).
IMPORTS: list[tuple[Callable[[cdk.Stack], Any], tuple[str, str], str | None, str | None]] = [
    (
        _import("contact", "Contact", "from_contact_arn", CONTACT_ARN),
        ("contact", "IContact"),
        ACCOUNT,
        REGION,
    ),
    (
        _import("contact", "Contact", "from_contact_alias", "bob"),
        ("contact", "IContact"),
        None,
        None,
    ),
    (
        _import("contact", "Contact", "from_contact_attributes", contact_arn=CONTACT_ARN),
        ("contact", "IContact"),
        ACCOUNT,
        REGION,
    ),
    (
        _import("contact", "Contact", "from_contact_attributes", alias="bob"),
        ("contact", "IContact"),
        None,
        None,
    ),
    (
        _import(
            "escalation",
            "EscalationPlan",
            "from_escalation_plan_arn",
            CONTACT_ARN.replace("bob", "escalation"),
        ),
        ("contact", "IContact"),
        ACCOUNT,
        REGION,
    ),
    (
        _import("escalation", "EscalationPlan", "from_escalation_plan_alias", "escalation"),
        ("contact", "IContact"),
        None,
        None,
    ),
    (
        _import(
            "schedule",
            "OnCallSchedule",
            "from_on_call_schedule_arn",
            CONTACT_ARN.replace("bob", "schedule"),
        ),
        ("contact", "IContact"),
        ACCOUNT,
        REGION,
    ),
    (
        _import("schedule", "OnCallSchedule", "from_on_call_schedule_alias", "schedule"),
        ("contact", "IContact"),
        None,
        None,
    ),
    (
        _import("rotation", "Rotation", "from_rotation_arn", ROTATION_ARN),
        ("rotation", "IRotation"),
        ACCOUNT,
        REGION,
    ),
    (
        _import("response_plan", "ResponsePlan", "from_response_plan_arn", RESPONSE_PLAN_ARN),
        ("response_plan", "IResponsePlan"),
        ACCOUNT,
        None,
    ),
    (
        _import("response_plan", "ResponsePlan", "from_response_plan_name", "team"),
        ("response_plan", "IResponsePlan"),
        None,
        None,
    ),
    (
        _import(
            "replication_set",
            "ReplicationSet",
            "from_replication_set_arn",
            REPLICATION_SET_ARN,
        ),
        ("replication_set", "IReplicationSet"),
        ACCOUNT,
        None,
    ),
    (
        _import(
            "replication_set",
            "ReplicationSet",
            "from_replication_set_attributes",
            replication_set_arn=REPLICATION_SET_ARN,
        ),
        ("replication_set", "IReplicationSet"),
        ACCOUNT,
        None,
    ),
    (
        _import("replication_set", "ReplicationSet", "from_replication_set_attributes"),
        ("replication_set", "IReplicationSet"),
        None,
        None,
    ),
    (
        _import("runbook", "Runbook", "from_document_name", "team-runbook"),
        ("runbook", "IRunbook"),
        None,
        None,
    ),
]


@pytest.mark.parametrize(
    ("make", "iface", "account", "region"),
    IMPORTS,
    ids=[i[0].__name__ for i in IMPORTS],
)
def test_imports_are_resources_of_their_interface(
    make: Callable[[cdk.Stack], Any],
    iface: tuple[str, str],
    account: str | None,
    region: str | None,
) -> None:
    _, stack = fresh_stack()
    imported = make(stack)
    assert isinstance(imported, cdk.Resource)
    assert implements(imported, interface("incident_constructs", iface[1]))
    assert type(imported).__name__.startswith("_"), f"{type(imported).__name__} is not a private import class"
    assert imported.stack is stack
    assert imported.env.account == (account if account is not None else stack.account)
    if region is not None:
        assert imported.env.region == region
    else:
        assert imported.env.region in (stack.region, "")


# -- index overrides on every list that add_* methods extend ------------------------------------


def _escalation_plan(stack: cdk.Stack) -> Callable[[dict[str, Any]], None]:
    from incident_constructs import EscalationPlan, EscalationStage

    alice, bob, carol = (person(stack, n.title(), n) for n in ("alice", "bob", "carol"))
    plan = EscalationPlan(stack, "Escalation", alias="escalation")
    plan.add_stage(EscalationStage(contacts=[alice], duration=timedelta(minutes=5)))
    plan.add_stage(EscalationStage(contacts=[bob], duration=timedelta(minutes=10)))
    default_l1(plan).add_property_override("Plan.1.DurationInMinutes", 7)
    plan.add_stage(EscalationStage(contacts=[carol], duration=timedelta(minutes=15)))

    def check(template: dict[str, Any]) -> None:
        stages = template["Resources"][stack.get_logical_id(default_l1(plan))]["Properties"]["Plan"]
        assert isinstance(stages, list) and [s["DurationInMinutes"] for s in stages] == [5, 7, 15]
        assert all(len(s["Targets"]) == 1 for s in stages)

    return check


def plan_of(contact: Any) -> cdk.CfnResource:
    plan = contact.plan
    assert isinstance(plan, cdk.CfnResource)
    return plan


def _engagement_plan(stack: cdk.Stack) -> Callable[[dict[str, Any]], None]:
    from incident_constructs import Contact

    alice = Contact(stack, "Alice", alias="alice")
    alice.add_email_channel("mail", "alice@example.com")
    alice.add_sms_channel("phone", "+12065550100", engage_after=timedelta(minutes=5))
    plan_of(alice).add_property_override("Stages.0.DurationInMinutes", 3)
    alice.add_voice_channel("call", "+12065550101", engage_after=timedelta(minutes=10))

    def check(template: dict[str, Any]) -> None:
        stages = template["Resources"][stack.get_logical_id(plan_of(alice))]["Properties"]["Stages"]
        assert isinstance(stages, list) and [s["DurationInMinutes"] for s in stages] == [3, 5, 0]
        assert [len(s["Targets"]) for s in stages] == [1, 1, 1]

    return check


def _on_call_schedule(stack: cdk.Stack) -> Callable[[dict[str, Any]], None]:
    from incident_constructs import OnCallSchedule

    alice, bob = person(stack, "Alice", "alice"), person(stack, "Bob", "bob")
    day, night, weekend = (rotation(stack, n.title(), n, [alice, bob]) for n in ("day", "night", "weekend"))
    schedule = OnCallSchedule(stack, "Schedule", alias="schedule")
    schedule.add_rotation(day)
    schedule.add_rotation(night)
    default_l1(schedule).add_property_override("Plan.0.RotationIds.0", "arn:aws:ssm-contacts:::rotation/override")
    schedule.add_rotation(weekend)

    def check(template: dict[str, Any]) -> None:
        plan = template["Resources"][stack.get_logical_id(default_l1(schedule))]["Properties"]["Plan"]
        assert isinstance(plan, list) and len(plan) == 1
        ids = plan[0]["RotationIds"]
        assert isinstance(ids, list) and len(ids) == 3
        assert ids[0] == "arn:aws:ssm-contacts:::rotation/override"
        assert ids[1] == {"Fn::GetAtt": [stack.get_logical_id(default_l1(night)), "Arn"]}
        assert ids[2] == {"Fn::GetAtt": [stack.get_logical_id(default_l1(weekend)), "Arn"]}

    return check


def _response_plan(stack: cdk.Stack, path: str, value: Any, key: str, index: int) -> Callable[[dict[str, Any]], None]:
    from incident_constructs import Impact, ResponsePlan

    alice, bob, carol = (person(stack, n.title(), n) for n in ("alice", "bob", "carol"))
    topics = [topic(stack, f"Topic{n}") for n in range(6)]
    plan = ResponsePlan(
        stack,
        "Plan",
        response_plan_name="team",
        title="t",
        impact=Impact.LOW,
        engagements=[alice],
    )
    plan.add_engagement(bob)
    plan.add_notification_topic(topics[0])
    plan.add_notification_topic(topics[1])
    plan.add_chat_channel_topic(topics[2])
    plan.add_chat_channel_topic(topics[3])
    default_l1(plan).add_property_override(path, value)
    plan.add_engagement(carol)
    plan.add_notification_topic(topics[4])
    plan.add_chat_channel_topic(topics[5])

    def arn(n: int) -> Any:
        return {"Ref": stack.get_logical_id(default_l1(topics[n]))}

    def contact(c: Any) -> Any:
        return {"Fn::GetAtt": [stack.get_logical_id(default_l1(c)), "Arn"]}

    expected = {
        "Engagements": [contact(alice), contact(bob), contact(carol)],
        "NotificationTargets": [
            {"SnsTopicArn": arn(0)},
            {"SnsTopicArn": arn(1)},
            {"SnsTopicArn": arn(4)},
        ],
        "ChatbotSns": [arn(2), arn(3), arn(5)],
    }
    expected[key][index] = value if key != "NotificationTargets" else {"SnsTopicArn": value}

    def check(template: dict[str, Any]) -> None:
        props = template["Resources"][stack.get_logical_id(default_l1(plan))]["Properties"]
        assert props["Engagements"] == expected["Engagements"]
        assert props["IncidentTemplate"]["NotificationTargets"] == expected["NotificationTargets"]
        assert props["ChatChannel"]["ChatbotSns"] == expected["ChatbotSns"]
        assert props["IncidentTemplate"]["Title"] == "t"

    return check


def _runbook(stack: cdk.Stack) -> Callable[[dict[str, Any]], None]:
    from incident_constructs import RunbookStep

    book = runbook(stack)  # one step: Look
    book.add_step(RunbookStep.pause("Fix"))
    default_l1(book).add_property_override("Content.mainSteps.1.name", "Repair")
    book.add_step(RunbookStep.pause("Verify"))

    def check(template: dict[str, Any]) -> None:
        content = template["Resources"][stack.get_logical_id(default_l1(book))]["Properties"]["Content"]
        assert isinstance(content["mainSteps"], list)
        assert [s["name"] for s in content["mainSteps"]] == ["Look", "Repair", "Verify"]
        assert all(s["action"] == "aws:pause" for s in content["mainSteps"])
        assert content["schemaVersion"] == "0.3"

    return check


OTHER_TOPIC = "arn:aws:sns:us-east-1:123456789012:override"
OTHER_CONTACT = "arn:aws:ssm-contacts:us-east-1:123456789012:contact/override"
OVERRIDES: dict[str, Callable[[cdk.Stack], Callable[[dict[str, Any]], None]]] = {
    "EscalationPlan Plan.1.DurationInMinutes": _escalation_plan,
    "Contact plan Stages.0.DurationInMinutes": _engagement_plan,
    "OnCallSchedule Plan.0.RotationIds.0": _on_call_schedule,
    "ResponsePlan IncidentTemplate.NotificationTargets.1.SnsTopicArn": lambda s: _response_plan(
        s,
        "IncidentTemplate.NotificationTargets.1.SnsTopicArn",
        OTHER_TOPIC,
        "NotificationTargets",
        1,
    ),
    "ResponsePlan Engagements.0": lambda s: _response_plan(s, "Engagements.0", OTHER_CONTACT, "Engagements", 0),
    "ResponsePlan ChatChannel.ChatbotSns.0": lambda s: _response_plan(
        s, "ChatChannel.ChatbotSns.0", OTHER_TOPIC, "ChatbotSns", 0
    ),
    "Runbook Content.mainSteps.1.name": _runbook,
}


@pytest.mark.parametrize("case", list(OVERRIDES), ids=str)
def test_index_override_merges_into_a_list_that_add_methods_extend(case: str) -> None:
    """The override changes one element; the list stays a list, the other elements (and those
    added after the override) are intact."""
    app, stack = fresh_stack()
    check = OVERRIDES[case](stack)
    template, _ = synth(app)
    check(template)
