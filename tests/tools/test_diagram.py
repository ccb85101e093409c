"""``incident-constructs diagram`` around the response plans (issue 16, item 5): the Slack and
Microsoft Teams channels plans post to, the CloudWatch alarms and EventBridge rules that start
their incidents, and the AWS RAM shares of plans and contacts, in Mermaid and dot, from an
assembly synthesized here with the constructs; and the reader kept robust to odd shapes."""

from __future__ import annotations

import copy
import functools
import json
import random
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_sns as sns
from click.testing import CliRunner
from support.lint import REPO_ROOT

from incident_constructs import (
    Contact,
    Impact,
    IncidentTarget,
    ResponsePlan,
    SlackChatChannel,
    TeamsChatChannel,
)
from incident_constructs.core.masking import DEPLOY_TIME
from incident_constructs.tools.assembly import AssemblyError, load_assembly
from incident_constructs.tools.cli import cli
from incident_constructs.tools.diagram import build_graph, to_dot, to_mermaid

_ROOT = Path(tempfile.mkdtemp(prefix="incident-constructs-diagram-tests-"))
SHARED_PLAN = "arn:aws:ssm-incidents::111122223333:response-plan/ApiDown"
OU = "arn:aws:organizations::111122223333:ou/o-abcdefghij/ou-ab12-cdef3456"
ORGANIZATION = "arn:aws:organizations::111122223333:organization/o-abcdefghij"


def teardown_module() -> None:
    shutil.rmtree(_ROOT, ignore_errors=True)


def _incidents_stack(app: cdk.App) -> None:
    """The incident-management account: two plans, their chat channels, an alarm and a rule that
    start incidents, what must not be drawn (an alarm and a rule of SNS only), and shares."""
    stack = cdk.Stack(app, "Incidents", env=cdk.Environment(account="111122223333", region="us-east-1"))
    alice = Contact(stack, "Alice", alias="alice")
    alice.add_email_channel("alice email", "alice@example.com")
    api = ResponsePlan(
        stack, "ApiDown", response_plan_name="ApiDown", title="API down", impact=Impact.HIGH, engagements=[alice]
    )
    db = ResponsePlan(
        stack, "DbDown", response_plan_name="DbDown", title="DB down", impact=Impact.LOW, engagements=[alice]
    )
    SlackChatChannel(
        stack,
        "Slack",
        slack_workspace_id="T012ABCDEFG",
        slack_channel_id="C012ABCDEFG",
        slack_channel_configuration_name="incident-chat",
        response_plans=[api, db],
    )
    TeamsChatChannel(
        stack,
        "Teams",
        team_id="a1b2c3d4-0000-4000-8000-0123456789ab",
        channel_id="19%3Aab12cd34ef56%40thread.tacv2",
        tenant_id="0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
        teams_channel_configuration_name="api-teams",
        response_plans=[api],
    )
    topic = sns.Topic(stack, "Ops")
    metric = cloudwatch.Metric(namespace="AWS/ApplicationELB", metric_name="HTTPCode_Target_5XX_Count", statistic="Sum")
    alarm = cloudwatch.Alarm(stack, "Api5xx", alarm_name="api-5xx", metric=metric, threshold=10, evaluation_periods=3)
    alarm.add_alarm_action(api.alarm_action())
    alarm.add_alarm_action(cloudwatch_actions.SnsAction(topic))  # not a plan: not drawn
    quiet = cloudwatch.Alarm(
        stack,
        "Quiet",
        alarm_name="quiet",
        metric=metric,
        threshold=1,
        evaluation_periods=1,
        comparison_operator=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    )
    quiet.add_alarm_action(cloudwatch_actions.SnsAction(topic))  # no plan: not drawn at all
    rule = events.Rule(
        stack, "Stopped", rule_name="instance-stopped", event_pattern=events.EventPattern(source=["aws.ec2"])
    )
    rule.add_target(IncidentTarget(api))
    other = events.Rule(stack, "ToTopic", rule_name="to-topic", event_pattern=events.EventPattern(source=["aws.s3"]))
    other.add_target(targets.SnsTopic(topic))  # no plan: not drawn
    api.share_with("222222222222", OU)
    alice.share_with(ORGANIZATION, allow_external_principals=True)


def _workload_stack(app: cdk.App) -> None:
    """A workload account: an alarm and a rule that start incidents of the plan shared with it."""
    stack = cdk.Stack(app, "Workload", env=cdk.Environment(account="222222222222", region="us-east-1"))
    shared = ResponsePlan.from_response_plan_arn(stack, "Shared", SHARED_PLAN)
    metric = cloudwatch.Metric(namespace="AWS/ApplicationELB", metric_name="TargetResponseTime", statistic="p99")
    alarm = cloudwatch.Alarm(
        stack, "Latency", alarm_name="api-latency", metric=metric, threshold=2, evaluation_periods=3
    )
    alarm.add_alarm_action(shared.alarm_action())
    rule = events.Rule(
        stack,
        "Finding",
        rule_name="guardduty-high",
        event_pattern=events.EventPattern(source=["aws.guardduty"], detail={"severity": [{"numeric": [">=", 7]}]}),
    )
    rule.add_target(IncidentTarget(shared))


@functools.cache
def assembly() -> Path:
    """Both stacks, in one cloud assembly."""
    outdir = _ROOT / "both"
    app = cdk.App(outdir=str(outdir), builtin_cloud_formation_validation=False)
    _incidents_stack(app)
    _workload_stack(app)
    app.synth()
    return outdir


@functools.cache
def workload_assembly() -> Path:
    """The workload account's stack alone: no plan, no contact."""
    outdir = _ROOT / "workload"
    app = cdk.App(outdir=str(outdir), builtin_cloud_formation_validation=False)
    _workload_stack(app)
    app.synth()
    return outdir


def diagram(*args: str, path: Path | None = None) -> str:
    result = CliRunner().invoke(cli, ["diagram", "--assembly", str(path or assembly()), *args])
    assert result.exit_code == 0, result.output
    text: str = result.stdout
    return text


def _node(text: str, *lines: str) -> str:
    """The id of the Mermaid node whose label is ``lines``."""
    label = "<br/>".join(lines)
    match = re.search(rf'^  (n_\w+)\W+"{re.escape(label)}"', text, re.M)
    assert match, (label, text)
    return match.group(1)


# -- the model ---------------------------------------------------------------------------------------


def test_the_reader_links_channels_alarms_rules_and_shares_to_the_plans() -> None:
    setup = load_assembly(assembly())
    channels = {c.name: c for c in setup.chat_channels.values()}
    assert {n: (c.kind, c.response_plans) for n, c in channels.items()} == {
        "incident-chat": ("Slack", ("ApiDown", "DbDown")),
        "api-teams": ("Microsoft Teams", ("ApiDown",)),
    }
    assert sorted((a.name, a.condition, a.response_plans) for a in setup.alarms.values()) == [
        ("api-5xx", "Sum of HTTPCode_Target_5XX_Count >= 10", ("ApiDown",)),
        # The workload's alarm names the plan by its ARN: the assembly holds a plan of that name.
        ("api-latency", "p99 of TargetResponseTime >= 2", ("ApiDown",)),
    ]
    assert sorted((r.name, r.sources, r.response_plans) for r in setup.event_rules.values()) == [
        ("guardduty-high", ("aws.guardduty",), ("ApiDown",)),
        ("instance-stopped", ("aws.ec2",), ("ApiDown",)),
    ]
    shares = {s.name: s for s in setup.shares.values()}
    assert set(shares) == {"incident-manager-response-plan-ApiDown", "incident-manager-contact-alice"}
    plan_share = shares["incident-manager-response-plan-ApiDown"]
    assert plan_share.resources == (setup.response_plans["ApiDown"].key,)
    assert plan_share.principals == ("222222222222", OU)
    assert plan_share.allow_external_principals is False
    contact_share = shares["incident-manager-contact-alice"]
    assert contact_share.resources == (setup.contact_by_alias("alice").key,)  # type: ignore[union-attr]
    assert contact_share.allow_external_principals is True


def test_a_plan_named_by_arn_that_the_assembly_lacks_stays_an_arn() -> None:
    setup = load_assembly(workload_assembly())
    assert setup.response_plans == {}
    assert sorted(a.response_plans for a in setup.alarms.values()) == [(SHARED_PLAN,)]
    assert sorted(r.response_plans for r in setup.event_rules.values()) == [(SHARED_PLAN,)]


# -- Mermaid and dot -----------------------------------------------------------------------------------


def test_mermaid_draws_what_starts_incidents_where_they_are_posted_and_with_whom_they_are_shared() -> None:
    text = diagram()
    api = _node(text, "ApiDown", "response plan")
    db = _node(text, "DbDown", "response plan")
    alice = _node(text, "alice", "contact")
    slack = _node(text, "incident-chat", "Slack channel (AWS Chatbot)")
    teams = _node(text, "api-teams", "Microsoft Teams channel (AWS Chatbot)")
    alarm = _node(text, "api-5xx", "CloudWatch alarm", "Sum of HTTPCode_Target_5XX_Count #gt;= 10")
    latency = _node(text, "api-latency", "CloudWatch alarm", "p99 of TargetResponseTime #gt;= 2")
    rule = _node(text, "instance-stopped", "EventBridge rule", "source aws.ec2")
    account = _node(text, "222222222222", "account")
    ou = _node(text, "ou-ab12-cdef3456", "organizational unit")
    organization = _node(text, "o-abcdefghij", "organization")
    edges = set(re.findall(r'^  (n_\w+) -->\|"([^"]*)"\| (n_\w+)$', text, re.M))
    assert {
        (alarm, "starts an incident", api),
        (latency, "starts an incident", api),
        (rule, "starts an incident", api),
        (api, "posts updates", slack),
        (api, "posts updates", teams),
        (db, "posts updates", slack),
        (api, "shared (RAM)", account),
        (api, "shared (RAM)", ou),
        (alice, "shared (RAM, accounts outside the organization allowed)", organization),
    } <= edges
    assert (db, "posts updates", teams) not in edges
    # Shapes: a hexagon for an alarm, a trapezoid for a rule, a stadium for a channel, a flag for a principal.
    assert f'  {alarm}{{{{"api-5xx<br/>' in text
    assert f'  {rule}[/"instance-stopped<br/>EventBridge rule<br/>source aws.ec2"\\]' in text
    assert f'  {slack}(["incident-chat<br/>' in text
    assert f'  {account}>"222222222222<br/>account"]' in text
    # What names no plan is not drawn; addresses stay masked.
    for absent in ("quiet", "to-topic", "alice@example.com"):
        assert absent not in text
    assert "al***@example.com" in text


def test_dot_draws_the_same_with_its_shapes() -> None:
    text = diagram("--format", "dot")
    assert text.startswith("digraph incident {")
    assert re.search(
        r'label="api-5xx\\nCloudWatch alarm\\nSum of HTTPCode_Target_5XX_Count >= 10", shape=hexagon', text
    )
    assert re.search(r'label="instance-stopped\\nEventBridge rule\\nsource aws.ec2", shape=cds', text)
    assert re.search(r'label="api-teams\\nMicrosoft Teams channel \(AWS Chatbot\)", shape=component', text)
    assert re.search(r'label="incident-chat\\nSlack channel \(AWS Chatbot\)", shape=component', text)
    assert re.search(r'label="222222222222\\naccount", shape=house', text)
    assert re.search(r'-> n_\w+ \[label="starts an incident"\];', text)
    assert re.search(r'-> n_\w+ \[label="posts updates"\];', text)
    assert re.search(r'-> n_\w+ \[label="shared \(RAM\)"\];', text)
    assert "quiet" not in text and "alice@example.com" not in text


def test_one_plan_draws_its_own_alarms_rules_channels_and_the_shares_of_what_it_draws() -> None:
    text = diagram("--plan", "DbDown")
    assert "incident-chat" in text  # DbDown posts there
    assert "api-teams" not in text and "api-5xx" not in text and "instance-stopped" not in text
    assert "ApiDown" not in text
    # alice is drawn (DbDown engages her): her share is; the plan share of ApiDown is not.
    assert "o-abcdefghij<br/>organization" in text
    assert "222222222222" not in text and "ou-ab12" not in text


def test_a_workload_account_draws_its_alarms_and_rules_of_the_shared_plan() -> None:
    text = diagram(path=workload_assembly())
    plan = _node(text, "ApiDown", "response plan (not in this assembly)", "account 111122223333")
    alarm = _node(text, "api-latency", "CloudWatch alarm", "p99 of TargetResponseTime #gt;= 2")
    rule = _node(text, "guardduty-high", "EventBridge rule", "source aws.guardduty")
    assert f'  {alarm} -->|"starts an incident"| {plan}' in text
    assert f'  {rule} -->|"starts an incident"| {plan}' in text
    dot = diagram("--format", "dot", path=workload_assembly())
    assert 'response plan (not in this assembly)\\naccount 111122223333", shape=box, style="dashed"' in dot


# -- odd shapes ------------------------------------------------------------------------------------


def _template(name: str) -> dict[str, Any]:
    return json.loads((assembly() / f"{name}.template.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _write(directory: Path, templates: dict[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    artifacts = {}
    for name, template in templates.items():
        (directory / f"{name}.template.json").write_text(json.dumps(template), encoding="utf-8")
        artifacts[name] = {"type": "aws:cloudformation:stack", "properties": {"templateFile": f"{name}.template.json"}}
    (directory / "manifest.json").write_text(
        json.dumps({"version": "36.0.0", "artifacts": artifacts}), encoding="utf-8"
    )
    return directory


def _draw(path: Path) -> None:
    """Read and draw both ways: a model, or one AssemblyError; never another exception."""
    try:
        setup = load_assembly(path)
    except AssemblyError:
        return
    graph = build_graph(setup)
    for text in (to_mermaid(graph), to_dot(graph)):
        assert "alice@example.com" not in text
        assert "\x1b" not in text and "\x00" not in text


INTEGRATION_TYPES = (
    "AWS::Chatbot::SlackChannelConfiguration",
    "AWS::Chatbot::MicrosoftTeamsChannelConfiguration",
    "AWS::CloudWatch::Alarm",
    "AWS::Events::Rule",
    "AWS::RAM::ResourceShare",
    "AWS::SSMIncidents::ResponsePlan",
)


def _logical_id(template: dict[str, Any], cfn_type: str, name_part: str = "") -> str:
    found: str = next(k for k, v in template["Resources"].items() if v["Type"] == cfn_type and name_part in k)
    return found


ODD: list[Any] = [None, True, 0, -1, 10**400, 1e308, "", "x", "\x1b[31m", [], [None], {}, {"Ref": "Nope"}, {"a": [1]}]


@pytest.mark.parametrize(
    "cfn_type, name_part, prop",
    [
        ("AWS::Chatbot::SlackChannelConfiguration", "", "SnsTopicArns"),
        ("AWS::Chatbot::SlackChannelConfiguration", "", "ConfigurationName"),
        ("AWS::Chatbot::MicrosoftTeamsChannelConfiguration", "", "SnsTopicArns"),
        ("AWS::CloudWatch::Alarm", "Api5xx", "AlarmActions"),
        ("AWS::CloudWatch::Alarm", "Api5xx", "ComparisonOperator"),
        ("AWS::CloudWatch::Alarm", "Api5xx", "Threshold"),
        ("AWS::CloudWatch::Alarm", "Api5xx", "Statistic"),
        ("AWS::CloudWatch::Alarm", "Api5xx", "AlarmName"),
        ("AWS::Events::Rule", "Stopped", "Targets"),
        ("AWS::Events::Rule", "Stopped", "EventPattern"),
        ("AWS::Events::Rule", "Stopped", "Name"),
        ("AWS::RAM::ResourceShare", "ApiDown", "Principals"),
        ("AWS::RAM::ResourceShare", "ApiDown", "ResourceArns"),
        ("AWS::RAM::ResourceShare", "ApiDown", "AllowExternalPrincipals"),
        ("AWS::SSMIncidents::ResponsePlan", "ApiDown", "ChatChannel"),
    ],
)
def test_odd_values_in_the_new_resources_never_end_in_an_internal_error(
    tmp_path: Path, cfn_type: str, name_part: str, prop: str
) -> None:
    base = _template("Incidents")
    logical_id = _logical_id(base, cfn_type, name_part)
    for index, value in enumerate(ODD):
        template = copy.deepcopy(base)
        template["Resources"][logical_id]["Properties"][prop] = copy.deepcopy(value)
        _draw(_write(tmp_path / str(index), {"Incidents": template}))
        if isinstance(template["Resources"][logical_id]["Properties"].get(prop), (list, dict)):
            # The same value one level down (an item of the list, a key of the mapping).
            template["Resources"][logical_id]["Properties"][prop] = [copy.deepcopy(value), {"x": value}]
            _draw(_write(tmp_path / f"{index}-list", {"Incidents": template}))


def test_principals_only_known_at_deploy_time_are_said_so(tmp_path: Path) -> None:
    template = _template("Incidents")
    share = _logical_id(template, "AWS::RAM::ResourceShare", "ApiDown")
    template["Resources"][share]["Properties"]["Principals"] = [{"Ref": "Partner"}, 222222222222, True]
    setup = load_assembly(_write(tmp_path / "cdk.out", {"Incidents": template}))
    (plan_share,) = [s for s in setup.shares.values() if s.name.endswith("ApiDown")]
    assert plan_share.principals == (DEPLOY_TIME, "222222222222", DEPLOY_TIME)


def test_a_share_of_something_else_is_not_drawn(tmp_path: Path) -> None:
    template = _template("Incidents")
    share = _logical_id(template, "AWS::RAM::ResourceShare", "ApiDown")
    template["Resources"][share]["Properties"]["ResourceArns"] = ["arn:aws:ec2:us-east-1:111122223333:subnet/subnet-1"]
    setup = load_assembly(_write(tmp_path / "cdk.out", {"Incidents": template}))
    assert [s.name for s in setup.shares.values()] == ["incident-manager-contact-alice"]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, prefix + (index,))


@pytest.mark.parametrize("seed", range(25))
def test_random_shapes_in_the_new_resources_never_end_in_an_internal_error(tmp_path: Path, seed: int) -> None:
    """Replace a few values anywhere in the chat channels, alarms, rules, shares and plans."""
    rng = random.Random(seed)
    template = _template("Incidents")
    paths = [
        ("Resources", logical_id, *path)
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] in INTEGRATION_TYPES
        for path in _paths(resource.get("Properties", {}), ("Properties",))
    ]
    for _ in range(rng.randint(1, 5)):
        path = rng.choice(paths)
        target: Any = template
        try:
            for part in path[:-1]:
                target = target[part]
            target[path[-1]] = copy.deepcopy(rng.choice(ODD))
        except (KeyError, IndexError, TypeError):
            continue
    _draw(_write(tmp_path / "cdk.out", {"Incidents": template, "Workload": _template("Workload")}))


# -- the README ------------------------------------------------------------------------------------


def test_the_readmes_diagram_is_what_the_command_draws(tmp_path: Path) -> None:
    """The Mermaid text of the README's diagram section: the example of "Alarms, rules, Microsoft
    Teams and sharing" built in a stack ``Org``."""
    from incident_constructs.organisation import build_organisation

    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("### Alarms, rules, Microsoft Teams and sharing", 1)[1].split("\n### ", 1)[0]
    text = re.search(r"```yaml\n(.*?)```", example, re.S).group(1)  # type: ignore[union-attr]
    (tmp_path / "org.yaml").write_text(text, encoding="utf-8")
    app = cdk.App(outdir=str(tmp_path / "cdk.out"), builtin_cloud_formation_validation=False)
    build_organisation(
        cdk.Stack(app, "Org", env=cdk.Environment(account="222222222222", region="us-east-1")), tmp_path / "org.yaml"
    )
    app.synth()
    section = readme.split("### `diagram`: what engages whom", 1)[1].split("\n### ", 1)[0]
    shown = re.search(r"```mermaid\n(.*?)```", section, re.S).group(1)  # type: ignore[union-attr]
    assert diagram(path=tmp_path / "cdk.out") == shown
