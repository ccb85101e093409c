"""Alarms and EventBridge rules in the organisation file, Microsoft Teams chat channels and
``share_with``: what each key builds, the problems at their line and column, and the templates
cfn-lint passes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from support.lint import REPO_ROOT, cfn_lint_templates
from support.organisation import build_error, load_error, write_file
from support.stacks import new_stack, resources_of

from incident_constructs import SlackChatChannel, TeamsChatChannel
from incident_constructs.organisation import OnCallOrganisation, build_organisation

#: The example of issue 16, with the plan and contact it names.
ISSUE = """\
contacts:
  oncall: {channels: [{name: oncall email, email: oncall@example.com}]}
response_plans:
  ApiDown: {title: API down, impact: high, engagements: [oncall]}
alarms:
  api-5xx:
    metric: {namespace: AWS/ApplicationELB, name: HTTPCode_Target_5XX_Count, dimensions: {LoadBalancer: app/api/0123456789abcdef}, statistic: Sum, period_minutes: 1}
    threshold: 10
    evaluation_periods: 3          # comparison defaults to greater than or equal to the threshold
    response_plan: ApiDown
event_rules:
  instance-stopped:
    event_pattern: {source: [aws.ec2], detail-type: [EC2 Instance State-change Notification], detail: {state: [stopped]}}
    response_plan: ApiDown
"""

SHARED_PLAN = "arn:aws:ssm-incidents::111111111111:response-plan/api-down"
TEAMS = {
    "team_id": "a1b2c3d4-0000-4000-8000-0123456789ab",
    "channel_id": "19%3Aab12cd34ef56%40thread.tacv2",
    "tenant_id": "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
}


def _lint(tmp_path: Path, *stacks: cdk.Stack) -> list[str]:
    assembly = stacks[0].node.root.synth()  # type: ignore[attr-defined]
    return cfn_lint_templates([Path(assembly.get_stack_by_name(s.stack_name).template_full_path) for s in stacks])


def _app_stack(tmp_path: Path, name: str = "Org", account: str = "222222222222") -> cdk.Stack:
    app = cdk.App(builtin_cloud_formation_validation=False, outdir=str(tmp_path / "cdk.out"))
    return cdk.Stack(app, name, env=cdk.Environment(account=account, region="us-east-1"))


def _problem(error: Any) -> tuple[tuple[int, int], str, str]:
    (problem,) = error.problems
    return (problem.line, problem.column), problem.path, problem.message


# -- the issue's example ----------------------------------------------------------------------


def test_the_issues_example_builds_an_alarm_and_a_rule_that_start_incidents(tmp_path: Path) -> None:
    stack = _app_stack(tmp_path)
    org = build_organisation(stack, write_file(tmp_path, ISSUE))
    assert org.alarms["api-5xx"].node.path == "Org/Api5xx"
    assert org.event_rules["instance-stopped"].node.path == "Org/InstanceStopped"
    (alarm,) = resources_of(stack, "AWS::CloudWatch::Alarm").values()
    assert alarm["Properties"] == {
        "AlarmName": "api-5xx",
        "Namespace": "AWS/ApplicationELB",
        "MetricName": "HTTPCode_Target_5XX_Count",
        "Dimensions": [{"Name": "LoadBalancer", "Value": "app/api/0123456789abcdef"}],
        "Statistic": "Sum",
        "Period": 60,
        "Threshold": 10,
        "EvaluationPeriods": 3,
        "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "AlarmActions": [
            {
                "Fn::Join": [
                    "",
                    ["arn:", {"Ref": "AWS::Partition"}, ":ssm-incidents::222222222222:response-plan/ApiDown"],
                ]
            }
        ],
    }
    plan_id = stack.get_logical_id(org.response_plans["ApiDown"].resource)
    assert alarm["DependsOn"] == [plan_id]  # never an alarm whose plan does not exist yet
    (rule,) = resources_of(stack, "AWS::Events::Rule").values()
    assert rule["Properties"]["Name"] == "instance-stopped"
    assert rule["Properties"]["EventPattern"] == {
        "source": ["aws.ec2"],
        "detail-type": ["EC2 Instance State-change Notification"],
        "detail": {"state": ["stopped"]},
    }
    (target,) = rule["Properties"]["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": [plan_id, "Arn"]}
    # The target's role starts incidents of this plan only, for this rule only.
    (role,) = resources_of(stack, "AWS::IAM::Role").values()
    (trust,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "events.amazonaws.com"}
    assert trust["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    sources = json.dumps(trust["Condition"]["ArnLike"]["aws:SourceArn"])
    assert ":rule/instance-stopped" in sources and ":rule/*/instance-stopped" in sources
    (policy,) = role["Properties"]["Policies"]
    assert [(st["Action"], st["Resource"]) for st in policy["PolicyDocument"]["Statement"]] == [
        ("ssm-incidents:StartIncident", {"Fn::GetAtt": [plan_id, "Arn"]})
    ]
    assert _lint(tmp_path, stack) == []


def test_on_call_organisation_exposes_alarms_and_rules(tmp_path: Path) -> None:
    stack = new_stack()
    org = OnCallOrganisation(stack, "Org", file=write_file(tmp_path, ISSUE))
    assert org.alarms["api-5xx"].node.path == "TestStack/Org/Api5xx"
    assert org.event_rules["instance-stopped"].node.path == "TestStack/Org/InstanceStopped"


# -- what every key of an alarm builds -----------------------------------------------------------

OPTIONS = """\
response_plans:
  ApiDown: {title: API down, impact: high}
alarms:
  API latency (p99):
    id: ApiLatency
    description: p99 latency of the API above 2 seconds
    metric: {namespace: AWS/ApplicationELB, name: TargetResponseTime, statistic: p99.9, period_seconds: 30}
    threshold: 2.5
    evaluation_periods: 20
    datapoints_to_alarm: 15
    comparison: GreaterThanThreshold
    treat_missing_data: notBreaching
    response_plan: ApiDown
  queue-empty:
    metric: {namespace: AWS/SQS, name: NumberOfMessagesReceived, statistic: tm90, period_minutes: 60}
    threshold: 1
    evaluation_periods: 168
    comparison: LessThanThreshold
    treat_missing_data: breaching
    response_plan: ApiDown
"""


def test_every_key_of_an_alarm(tmp_path: Path) -> None:
    stack = _app_stack(tmp_path)
    org = build_organisation(stack, write_file(tmp_path, OPTIONS))
    assert org.alarms["API latency (p99)"].node.id == "ApiLatency"
    assert org.alarms["queue-empty"].node.id == "QueueEmpty"
    alarms = {
        a["Properties"]["AlarmName"]: a["Properties"] for a in resources_of(stack, "AWS::CloudWatch::Alarm").values()
    }
    latency = alarms["API latency (p99)"]
    assert {k: latency[k] for k in latency if k not in ("AlarmActions", "Namespace", "MetricName")} == {
        "AlarmName": "API latency (p99)",
        "AlarmDescription": "p99 latency of the API above 2 seconds",
        "ExtendedStatistic": "p99.9",
        "Period": 30,
        "Threshold": 2.5,
        "EvaluationPeriods": 20,
        "DatapointsToAlarm": 15,
        "ComparisonOperator": "GreaterThanThreshold",
        "TreatMissingData": "notBreaching",
    }
    empty = alarms["queue-empty"]
    assert (empty["ExtendedStatistic"], empty["Period"], empty["EvaluationPeriods"]) == ("tm90", 3600, 168)
    assert (empty["ComparisonOperator"], empty["TreatMissingData"]) == ("LessThanThreshold", "breaching")
    assert "Dimensions" not in empty
    assert _lint(tmp_path, stack) == []


def test_a_plan_shared_from_another_account_is_imported_once_for_alarms_and_rules(tmp_path: Path) -> None:
    text = ISSUE.replace("response_plan: ApiDown", f"response_plan: {SHARED_PLAN}")
    stack = _app_stack(tmp_path)
    build_organisation(stack, write_file(tmp_path, text))
    (alarm,) = resources_of(stack, "AWS::CloudWatch::Alarm").values()
    # The owner's account: the incident starts there (SsmIncidentAction would name this account).
    assert alarm["Properties"]["AlarmActions"] == [SHARED_PLAN]
    assert "DependsOn" not in alarm
    (rule,) = resources_of(stack, "AWS::Events::Rule").values()
    assert rule["Properties"]["Targets"][0]["Arn"] == SHARED_PLAN
    assert [c.node.id for c in stack.node.children if c.node.id.startswith("Imported")] == [
        "ImportedResponsePlanApiDown"
    ]
    assert _lint(tmp_path, stack) == []


def test_event_patterns_keep_content_filters_and_nested_fields(tmp_path: Path) -> None:
    text = """\
    response_plans:
      SecurityFinding: {title: finding, impact: 2}
    event_rules:
      guardduty.high:
        description: A GuardDuty finding of high severity
        event_pattern:
          source: [{prefix: aws.guard}]
          account: ["111122223333", "444455556666"]
          detail-type: [GuardDuty Finding]
          detail:
            severity: [{numeric: [">=", 7]}]
            resource: {resourceType: [Instance, {anything-but: [AccessKey]}]}
            $or: [{service: {action: [{exists: true}]}}, {type: [{wildcard: "*Backdoor*"}]}]
        response_plan: SecurityFinding
    """
    stack = _app_stack(tmp_path)
    build_organisation(stack, write_file(tmp_path, text))
    (rule,) = resources_of(stack, "AWS::Events::Rule").values()
    assert rule["Properties"]["Description"] == "A GuardDuty finding of high severity"
    assert rule["Properties"]["EventPattern"] == {
        "source": [{"prefix": "aws.guard"}],
        "account": ["111122223333", "444455556666"],
        "detail-type": ["GuardDuty Finding"],
        "detail": {
            "severity": [{"numeric": [">=", 7]}],
            "resource": {"resourceType": ["Instance", {"anything-but": ["AccessKey"]}]},
            "$or": [{"service": {"action": [{"exists": True}]}}, {"type": [{"wildcard": "*Backdoor*"}]}],
        },
    }
    assert _lint(tmp_path, stack) == []


# -- alarm problems, at their line and column -------------------------------------------------------

ALARM = """\
response_plans:
  ApiDown: {title: API down, impact: high}
alarms:
  api-5xx:
    metric: {namespace: AWS/ApplicationELB, name: HTTPCode_Target_5XX_Count, statistic: Sum, period_minutes: 1}
    threshold: 10
    evaluation_periods: 3
    response_plan: ApiDown
"""


@pytest.mark.parametrize(
    "change, position, path, message",
    [
        (
            ("statistic: Sum", "statistic: p999"),
            (5, 89),
            "alarms.api-5xx.metric.statistic",
            "'p999' is not allowed: SampleCount, Average, Sum, Minimum, Maximum, a percentile like p99 or p99.9 "
            "(p0 to p100), tm, wm, tc or ts with a percentage like tm90, or IQM.",
        ),
        (
            ("statistic: Sum", "statistic: average"),
            (5, 89),
            "alarms.api-5xx.metric.statistic",
            "'average' is not allowed: SampleCount, Average, Sum, Minimum, Maximum, a percentile like p99 or p99.9 "
            "(p0 to p100), tm, wm, tc or ts with a percentage like tm90, or IQM.",
        ),
        (
            ("period_minutes: 1", "period_seconds: 20"),
            (5, 110),
            "alarms.api-5xx.metric.period_seconds",
            "10 or 30 (a high-resolution alarm) or a multiple of 60 up to 604800 (7 days): CloudWatch takes no "
            "other period.",
        ),
        (
            ("period_minutes: 1", "period_minutes: 1, period_seconds: 60"),
            (5, 5),
            "alarms.api-5xx.metric",
            "a metric has period_minutes or period_seconds, exactly one of them.",
        ),
        (
            ("namespace: AWS/ApplicationELB", "namespace: ':AWS'"),
            (5, 25),
            "alarms.api-5xx.metric.namespace",
            "':AWS' is not allowed: 1-255 printable ASCII characters, not starting with ':', like AWS/ApplicationELB.",
        ),
        (
            ("statistic: Sum,", "statistic: Sum, dimensions: {LoadBalancer: 443},"),
            (5, 121),
            "alarms.api-5xx.metric.dimensions.LoadBalancer",
            "443 (put it in quotes to keep it as text) is not allowed: a string is required.",
        ),
        (
            ("evaluation_periods: 3", "evaluation_periods: 1441"),
            (7, 25),
            "alarms.api-5xx.evaluation_periods",
            "1441 is not allowed: the period times evaluation_periods is at most 1 day for a period under an hour "
            "(1440 periods of 1 minute).",
        ),
        (
            ("evaluation_periods: 3", "evaluation_periods: 3\n    datapoints_to_alarm: 4"),
            (8, 26),
            "alarms.api-5xx.datapoints_to_alarm",
            "4 is not allowed: at most evaluation_periods (3); the alarm needs datapoints_to_alarm breaching "
            "periods out of the last evaluation_periods.",
        ),
        (
            ("threshold: 10", "threshold: .inf"),
            (6, 16),
            "alarms.api-5xx.threshold",
            "inf is not allowed: a finite number (CloudWatch thresholds are doubles).",
        ),
        (
            ("threshold: 10", "threshold: ten"),
            (6, 16),
            "alarms.api-5xx.threshold",
            "'ten' is not allowed: a number is required.",
        ),
        (
            ("evaluation_periods: 3", "evaluation_periods: 3\n    comparison: LessThanLowerThreshold"),
            (8, 17),
            "alarms.api-5xx.comparison",
            "'LessThanLowerThreshold' is not allowed: one of GreaterThanOrEqualToThreshold, GreaterThanThreshold, "
            "LessThanThreshold, LessThanOrEqualToThreshold.",
        ),
        (
            ("response_plan: ApiDown", "response_plan: WebDown"),
            (8, 20),
            "alarms.api-5xx.response_plan",
            "'WebDown' is not a response plan of this file (response plans: ApiDown); a plan shared from another "
            "account is named by its ARN.",
        ),
        (
            ("response_plan: ApiDown", "response_plan: arn:aws:ssm-incidents:us-east-1:111111111111:response-plan/x"),
            (8, 20),
            "alarms.api-5xx.response_plan",
            "a response plan of this file, by name, or the ARN of a plan shared from another account, like "
            "arn:aws:ssm-incidents::111122223333:response-plan/api-down.",
        ),
        (
            ("  api-5xx:", '  "api\\t5xx":'),
            (4, 3),
            "alarms.api\\t5xx",  # the tab escaped, as in the message
            "name 'api\\t5xx' is not allowed: 1-255 characters, none of them a control character (CloudWatch alarm "
            "names are unique per Region).",
        ),
        (
            ("  api-5xx:", "  ---:"),
            (4, 3),
            "alarms.---",
            "no construct id can be made of this name; give this one an 'id:'.",
        ),
        (
            ("  api-5xx:", "  ApiDown:"),
            (4, 3),
            "alarms.ApiDown",
            "construct id 'ApiDown' is already used by response_plans.ApiDown; give this one an 'id:'.",
        ),
    ],
)
def test_alarm_problems_are_at_their_line_and_column(
    tmp_path: Path, change: tuple[str, str], position: tuple[int, int], path: str, message: str
) -> None:
    assert _problem(build_error(tmp_path, ALARM.replace(*change))) == (position, path, message)


def test_an_alarm_needs_its_metric_threshold_periods_and_plan(tmp_path: Path) -> None:
    error = load_error(tmp_path, "alarms:\n  api-5xx: {threshold: 1}\n")
    assert _problem(error) == (
        (2, 3),
        "alarms.api-5xx",
        "missing key 'metric' (required: metric, threshold, evaluation_periods, response_plan).",
    )


def test_at_most_30_dimensions(tmp_path: Path) -> None:
    dimensions = ", ".join(f"D{i}: v" for i in range(31))
    error = load_error(tmp_path, ALARM.replace("statistic: Sum,", f"statistic: Sum, dimensions: {{{dimensions}}},"))
    (position, path, message) = _problem(error)
    assert (position, path) == ((5, 94), "alarms.api-5xx.metric.dimensions")
    assert message.endswith("is not allowed: at most 30 keys.")


@pytest.mark.parametrize(
    "statistic, period, periods",
    [
        ("SampleCount", "period_seconds: 10", 8640),
        ("IQM", "period_minutes: 60", 168),
        ("p100", "period_minutes: 10080", 1),
    ],
)
def test_the_longest_evaluations_cloudwatch_takes_are_built(
    tmp_path: Path, statistic: str, period: str, periods: int
) -> None:
    text = ALARM.replace("statistic: Sum, period_minutes: 1", f"statistic: {statistic}, {period}").replace(
        "evaluation_periods: 3", f"evaluation_periods: {periods}"
    )
    stack = new_stack()
    build_organisation(stack, write_file(tmp_path, text))
    (alarm,) = resources_of(stack, "AWS::CloudWatch::Alarm").values()
    assert alarm["Properties"]["EvaluationPeriods"] == periods


# -- event rule problems -------------------------------------------------------------------------------

RULE = """\
response_plans:
  ApiDown: {title: API down, impact: high}
event_rules:
  instance-stopped:
    event_pattern:
      source: [aws.ec2]
      detail: {state: [stopped]}
    response_plan: ApiDown
"""


@pytest.mark.parametrize(
    "change, position, path, message",
    [
        (
            ("{state: [stopped]}", "{state: stopped}"),
            (7, 23),
            "event_rules.instance-stopped.event_pattern.detail.state",
            "EventBridge matches a list of values: put the value in brackets, like state: [stopped] (or give a mapping "
            "of fields).",
        ),
        (
            ("source: [aws.ec2]", "source: aws.ec2"),
            (6, 15),
            "event_rules.instance-stopped.event_pattern.source",
            "EventBridge matches a list of values: put the value in brackets, like source: [aws.ec2].",
        ),
        (
            ("{state: [stopped]}", "{state: []}"),
            (7, 16),  # a list is pointed at by its key
            "event_rules.instance-stopped.event_pattern.detail.state",
            "an empty list matches nothing: EventBridge refuses it.",
        ),
        (
            ("{state: [stopped]}", "{state: {}}"),
            (7, 16),
            "event_rules.instance-stopped.event_pattern.detail.state",
            "an empty mapping matches nothing here: give the fields to match, each with a list of values.",
        ),
        (
            ("source: [aws.ec2]", "detail_type: [EC2 Instance State-change Notification]"),
            (6, 7),
            "event_rules.instance-stopped.event_pattern.detail_type",
            "name 'detail_type' is not allowed: a field of the event: version, id, detail-type, source, account, "
            "time, region, resources or detail (EventBridge events have no other top-level field; write detail-type "
            "with a hyphen).",
        ),
        (
            ("source: [aws.ec2]", "account: [111122223333]"),
            (6, 17),
            "event_rules.instance-stopped.event_pattern.account[0]",
            "the event's top-level fields are text: put the value in quotes (a number never matches them); a "
            "content filter is a mapping like {prefix: aws.}.",
        ),
        (
            ("{state: [stopped]}", "{state: [stopped, null]}"),
            (7, 33),
            "event_rules.instance-stopped.event_pattern.detail.state[1]",
            "null is not allowed in an event pattern of this file: aws-cdk-lib drops it from the template (it "
            "reaches the CDK as undefined), so the rule would match something else; match a missing field with "
            "{exists: false}.",
        ),
        (
            ("detail: {state: [stopped]}", "detail: [stopped]"),
            (7, 7),
            "event_rules.instance-stopped.event_pattern.detail",
            "a mapping of the event's fields, each with a list of values to match, like detail: {state: [stopped]}.",
        ),
        (
            ("      source: [aws.ec2]\n      detail: {state: [stopped]}\n", "      {}\n"),
            (5, 5),
            "event_rules.instance-stopped.event_pattern",
            "an event pattern names at least one field of the event, like source: [aws.ec2].",
        ),
        (
            ("  instance-stopped:", "  instance stopped:"),
            (4, 3),
            "event_rules.instance stopped",
            "name 'instance stopped' is not allowed: 1-64 characters of letters, digits, '.', '-' and '_'.",
        ),
        (
            ("response_plan: ApiDown", "response_plan: api down"),
            (8, 20),
            "event_rules.instance-stopped.response_plan",
            "a response plan of this file, by name, or the ARN of a plan shared from another account, like "
            "arn:aws:ssm-incidents::111122223333:response-plan/api-down.",
        ),
    ],
)
def test_event_rule_problems_are_at_their_line_and_column(
    tmp_path: Path, change: tuple[str, str], position: tuple[int, int], path: str, message: str
) -> None:
    assert _problem(build_error(tmp_path, RULE.replace(*change))) == (position, path, message)


def test_an_event_pattern_over_2048_characters_is_refused(tmp_path: Path) -> None:
    names = ", ".join(f"instance-{i:04d}" for i in range(150))
    error = build_error(tmp_path, RULE.replace("{state: [stopped]}", f"{{instance: [{names}]}}"))
    position, path, message = _problem(error)
    assert (position, path) == ((5, 5), "event_rules.instance-stopped.event_pattern")
    assert re.fullmatch(r"the event pattern is \d{4} characters of JSON; EventBridge takes at most 2048\.", message)


# -- Microsoft Teams chat channels ----------------------------------------------------------------

CHAT = """\
response_plans:
  ApiDown: {title: API down, impact: high, chat_channels: [api-teams, api-slack]}
chat_channels:
  api-teams:
    team_id: a1b2c3d4-0000-4000-8000-0123456789ab
    channel_id: 19%3Aab12cd34ef56%40thread.tacv2
    tenant_id: 0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0
  api-slack: {slack_workspace_id: T012ABCDEFG, slack_channel_id: C012ABCDEFG}
"""


def test_a_chat_channel_is_slack_or_microsoft_teams(tmp_path: Path) -> None:
    stack = _app_stack(tmp_path)
    org = build_organisation(stack, write_file(tmp_path, CHAT))
    teams, slack = org.chat_channels["api-teams"], org.chat_channels["api-slack"]
    assert isinstance(teams, TeamsChatChannel) and isinstance(slack, SlackChatChannel)
    assert teams.response_plans == slack.response_plans == [org.response_plans["ApiDown"]]
    (configuration,) = resources_of(stack, "AWS::Chatbot::MicrosoftTeamsChannelConfiguration").values()
    assert {
        k: configuration["Properties"][k] for k in ("ConfigurationName", "TeamId", "TeamsChannelId", "TeamsTenantId")
    } == {
        "ConfigurationName": "api-teams",
        "TeamId": TEAMS["team_id"],
        "TeamsChannelId": TEAMS["channel_id"],
        "TeamsTenantId": TEAMS["tenant_id"],
    }
    (plan,) = resources_of(stack, "AWS::SSMIncidents::ResponsePlan").values()
    assert len(plan["Properties"]["ChatChannel"]["ChatbotSns"]) == 2
    assert _lint(tmp_path, stack) == []


BOTH = (
    "a chat channel is Slack (slack_workspace_id and slack_channel_id) or Microsoft Teams (team_id, "
    "channel_id and tenant_id), not both."
)


@pytest.mark.parametrize(
    "change, problems",
    [
        (
            (
                "  api-slack: {slack_workspace_id",
                "  api-slack: {team_id: a1b2c3d4-0000-4000-8000-0123456789ab, slack_workspace_id",
            ),
            [
                (
                    (8, 3),
                    "chat_channels.api-slack",
                    "missing key 'channel_id' (required: team_id, channel_id, tenant_id).",
                ),
                ((8, 3), "chat_channels.api-slack", BOTH),
            ],
        ),
        (
            (
                "    tenant_id: 0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0\n",
                "    tenant_id: 0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0\n    slack_channel_id: C012ABCDEFG\n",
            ),
            [((4, 3), "chat_channels.api-teams", BOTH)],
        ),
        (
            ("  api-slack: {slack_workspace_id: T012ABCDEFG, slack_channel_id: C012ABCDEFG}", "  api-slack: {}"),
            [
                (
                    (8, 3),
                    "chat_channels.api-slack",
                    "a chat channel is Slack (slack_workspace_id and slack_channel_id) or Microsoft Teams (team_id, "
                    "channel_id and tenant_id): give the keys of one.",
                )
            ],
        ),
        (
            ("{slack_workspace_id: T012ABCDEFG, ", "{"),
            [
                (
                    (8, 3),
                    "chat_channels.api-slack",
                    "missing key 'slack_workspace_id' (required: slack_workspace_id, slack_channel_id).",
                )
            ],
        ),
        (
            ("team_id: a1b2c3d4-0000-4000-8000-0123456789ab", "team_id: my-team"),
            [
                (
                    (5, 14),
                    "chat_channels.api-teams.team_id",
                    "'my-team' is not allowed: a GUID like 'a1b2c3d4-0000-4000-8000-0123456789ab' (36 characters: "
                    "hexadecimal digits in groups of 8-4-4-4-12).",
                )
            ],
        ),
        (
            ("channel_id: 19%3Aab12cd34ef56%40thread.tacv2", "channel_id: '19:ab12cd34ef56@thread.tacv2'"),
            [
                (
                    (6, 17),
                    "chat_channels.api-teams.channel_id",
                    "'19:ab12cd34ef56@thread.tacv2' is not allowed: a Microsoft Teams channel id, URL-encoded, like "
                    "'19%3Aab12cd34ef56ab12cd34ef56ab12cd34%40thread.tacv2' (from the channel's link: ':' written %3A "
                    "and '@' written %40).",
                )
            ],
        ),
    ],
)
def test_chat_channel_problems_are_at_their_line_and_column(
    tmp_path: Path, change: tuple[str, str], problems: list[tuple[tuple[int, int], str, str]]
) -> None:
    error = load_error(tmp_path, CHAT.replace(*change))
    assert [((p.line, p.column), p.path, p.message) for p in error.problems] == problems


def test_a_teams_channel_with_an_id_builds(tmp_path: Path) -> None:
    text = CHAT.replace("  api-teams:\n", "  api-teams:\n    id: ApiTeamsChannel\n")
    org = build_organisation(new_stack(), write_file(tmp_path, text))
    assert org.chat_channels["api-teams"].node.id == "ApiTeamsChannel"


# -- share_with ---------------------------------------------------------------------------------------

OU = "arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-ab12-cdef3456"
ORG = "arn:aws:organizations::111111111111:organization/o-abcdefghij"
SHARED = f"""\
contacts:
  alice:
    channels: [{{name: alice email, email: alice@example.com}}]
    share_with: ["222222222222"]
rotations:
  primary:
    contacts: [alice]
    start_time: "2026-01-05T09:00:00"
    time_zone: UTC
    recurrence: {{every: day, hand_off_time: "09:00"}}
schedules:
  web-oncall: {{rotations: [primary], share_with: ["{OU}"]}}
escalation_plans:
  web-plan: {{stages: [{{contacts: [web-oncall]}}], share_with: ["{ORG}"]}}
response_plans:
  WebDown:
    title: web down
    impact: high
    engagements: [web-plan]
    share_with: ["222222222222", "333333333333"]
"""


def test_share_with_shares_contacts_schedules_escalation_plans_and_response_plans(tmp_path: Path) -> None:
    stack = _app_stack(tmp_path, account="111111111111")
    org = build_organisation(stack, write_file(tmp_path, SHARED))
    shares = {
        share["Properties"]["Name"]: share["Properties"]
        for share in resources_of(stack, "AWS::RAM::ResourceShare").values()
    }
    assert {name: props["Principals"] for name, props in shares.items()} == {
        "incident-manager-contact-alice": ["222222222222"],
        "incident-manager-contact-web-oncall": [OU],
        "incident-manager-contact-web-plan": [ORG],
        "incident-manager-response-plan-WebDown": ["222222222222", "333333333333"],
    }
    assert all(props["AllowExternalPrincipals"] is False for props in shares.values())
    assert org.response_plans["WebDown"].node.find_child("Share") is not None
    assert _lint(tmp_path, stack) == []


@pytest.mark.parametrize(
    "change, position, path, message",
    [
        (
            ('share_with: ["222222222222"]', "share_with: [12065550100]"),
            (4, 18),
            "contacts.alice.share_with[0]",
            "12065****00 (put it in quotes to keep it as text) is not allowed: a string is required.",
        ),
        (
            ('share_with: ["222222222222"]', 'share_with: ["2222-2222-2222"]'),
            (4, 18),
            "contacts.alice.share_with[0]",
            "a principal is a 12-digit account id like '111122223333', an organizational unit ARN like "
            "'arn:aws:organizations::111122223333:ou/o-exampleorgid/ou-ab12-cdef3456' or an organization ARN "
            "like 'arn:aws:organizations::111122223333:organization/o-exampleorgid' (Incident Manager shares "
            "with accounts, organizational units and organizations only).",
        ),
        (
            ('share_with: ["222222222222", "333333333333"]', 'share_with: ["222222222222", "222222222222"]'),
            (20, 5),
            "response_plans.WebDown.share_with",
            "a list of 2 items is not allowed: each item at most once.",
        ),
        (
            ('share_with: ["222222222222"]', "share_with: []"),
            (4, 5),
            "contacts.alice.share_with",
            "a list of 0 items is not allowed: at least 1 items.",
        ),
    ],
)
def test_share_with_problems_are_at_their_line_and_column_and_masked(
    tmp_path: Path, change: tuple[str, str], position: tuple[int, int], path: str, message: str
) -> None:
    assert _problem(load_error(tmp_path, SHARED.replace(*change))) == (position, path, message)


def test_a_channel_named_share_is_refused_at_its_name(tmp_path: Path) -> None:
    text = SHARED.replace("{name: alice email, email", "{name: Share, email")
    assert _problem(build_error(tmp_path, text)) == (
        (3, 23),
        "contacts.alice.channels[0].name",
        "TestStack/Alice (Contact): channel name 'Share' is not allowed: 'Share' is the construct id of the "
        "contact's AWS RAM share (share_with).",
    )


# -- the README -------------------------------------------------------------------------------------


def test_the_readmes_example_of_these_keys_builds_and_passes_cfn_lint(tmp_path: Path) -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Alarms, rules, Microsoft Teams and sharing", 1)[1].split("\n### ", 1)[0]
    text = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)  # type: ignore[union-attr]
    stack = _app_stack(tmp_path)
    org = build_organisation(stack, write_file(tmp_path, text))
    assert sorted(org.alarms) == ["api-5xx", "api-latency"]
    assert isinstance(org.chat_channels["api-teams"], TeamsChatChannel)
    assert len(resources_of(stack, "AWS::RAM::ResourceShare")) == 2
    assert _lint(tmp_path, stack) == []
    # Every key of the table is a key of the schema, and every new key of the schema is in the table.
    keys = set(re.findall(r"[a-z_]+", " ".join(re.findall(r"^\| (.*?) \|", section, re.M))))
    from incident_constructs.organisation import organisation_json_schema

    definitions = organisation_json_schema()["$defs"]
    new = (
        {"alarms", "event_rules", "share_with"}
        | set(definitions["alarm"]["properties"])
        | set(definitions["metric"]["properties"])
        | set(definitions["event_rule"]["properties"])
        | {"team_id", "channel_id", "tenant_id"}
    )
    assert new - {"id", "period_seconds"} <= keys


def test_an_alarms_default_construct_id_keeps_letters_and_digits(tmp_path: Path) -> None:
    text = ALARM.replace("  api-5xx:", '  "API latency (p99)":')
    org = build_organisation(new_stack(), write_file(tmp_path, text))
    assert org.alarms["API latency (p99)"].node.id == "APILatencyp99"  # as the README says
