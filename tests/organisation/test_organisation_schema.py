"""The organisation schema exists once, as ``incident_constructs/organisation/schema.json``, and
its patterns and limits are the constructs' own: both come from ``incident_constructs/_rules.py``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from support.lint import REPO_ROOT

from incident_constructs import _rules
from incident_constructs.organisation import organisation_json_schema

PACKAGE = REPO_ROOT / "incident_constructs"
SCHEMA_FILE = PACKAGE / "organisation" / "schema.json"


def _at(schema: dict[str, Any], pointer: str) -> Any:
    node: Any = schema
    for part in pointer.strip("/").split("/"):
        node = node[int(part)] if isinstance(node, list) else node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _anchored(pattern: str) -> str:
    return f"^{pattern}$"


ALIAS = {"pattern": _anchored(_rules.ALIAS_PATTERN), "minLength": 1, "maxLength": _rules.MAX_ALIAS_LENGTH}
RETRY = {"minimum": 0, "maximum": _rules.MAX_RETRY_INTERVAL_MINUTES}
STAGE = {"minimum": 0, "maximum": _rules.MAX_STAGE_MINUTES}
TOPIC = _anchored(_rules.TOPIC_ARN_PATTERN)
TEAMS_GUID = {"pattern": _anchored(_rules.TEAMS_GUID_PATTERN), "x-rule": _rules.TEAMS_GUID_RULE}

#: Every pattern and limit of the schema that a construct also checks, with the rule it must equal.
RULES: dict[str, dict[str, Any]] = {
    # keys of the sections
    "/properties/contacts/propertyNames": {**ALIAS, "x-rule": _rules.ALIAS_RULE},
    "/properties/schedules/propertyNames": {**ALIAS, "x-rule": _rules.ALIAS_RULE},
    "/properties/escalation_plans/propertyNames": {**ALIAS, "x-rule": _rules.ALIAS_RULE},
    "/properties/rotations/propertyNames": {
        "pattern": _anchored(_rules.ROTATION_NAME_PATTERN),
        "minLength": 1,
        "maxLength": _rules.MAX_ROTATION_NAME_LENGTH,
        "x-rule": _rules.ROTATION_NAME_RULE,
    },
    "/properties/runbooks/propertyNames": {
        "pattern": _anchored(_rules.DOCUMENT_NAME_PATTERN),
        "x-rule": _rules.DOCUMENT_NAME_RULE,
    },
    "/properties/response_plans/propertyNames": {
        "pattern": _anchored(_rules.RESPONSE_PLAN_NAME_PATTERN),
        "minLength": 1,
        "maxLength": _rules.MAX_RESPONSE_PLAN_NAME_LENGTH,
        "x-rule": _rules.RESPONSE_PLAN_NAME_RULE,
    },
    "/properties/chat_channels/propertyNames": {
        "pattern": _anchored(_rules.CHAT_CONFIGURATION_NAME_PATTERN),
        "minLength": 1,
        "maxLength": _rules.MAX_CHAT_CONFIGURATION_NAME_LENGTH,
        "x-rule": _rules.CHAT_CONFIGURATION_NAME_RULE,
    },
    # shared definitions
    "/$defs/construct_id": {"pattern": _anchored(_rules.CONSTRUCT_ID_PATTERN), "x-rule": _rules.CONSTRUCT_ID_RULE},
    "/$defs/display_name": {
        "pattern": _anchored(_rules.DISPLAY_NAME_PATTERN),
        "minLength": 1,
        "maxLength": _rules.MAX_DISPLAY_NAME_LENGTH,
        "x-rule": _rules.DISPLAY_NAME_RULE,
    },
    "/$defs/tags": {"maxProperties": _rules.MAX_TAGS},
    "/$defs/tags/propertyNames": {"minLength": 1, "maxLength": _rules.MAX_TAG_KEY_LENGTH},
    "/$defs/tags/additionalProperties": {"maxLength": _rules.MAX_TAG_VALUE_LENGTH},
    "/$defs/hh_mm": {"pattern": _anchored(_rules.HAND_OFF_PATTERN), "x-rule": _rules.HAND_OFF_RULE},
    # contacts and their channels
    "/$defs/contact/properties/retry_interval_minutes": RETRY,
    "/$defs/channel/properties/name": {
        "minLength": 1,
        "maxLength": _rules.MAX_CHANNEL_NAME_LENGTH,
        "x-rule": _rules.CHANNEL_NAME_RULE,
    },
    "/$defs/channel/properties/engage_after_minutes": {"minimum": 0, "maximum": _rules.MAX_ENGAGE_AFTER_MINUTES},
    "/$defs/channel/properties/retry_interval_minutes": RETRY,
    "/$defs/engagement_stage/properties/duration_minutes": STAGE,
    "/$defs/stage_channel/properties/name": {
        "minLength": 1,
        "maxLength": _rules.MAX_CHANNEL_NAME_LENGTH,
        "x-rule": _rules.CHANNEL_NAME_RULE,
    },
    "/$defs/stage_channel/properties/retry_interval_minutes": RETRY,
    # rotations and schedules
    "/$defs/rotation/properties/contacts": {"minItems": 1, "maxItems": _rules.MAX_CONTACTS_PER_ROTATION},
    "/$defs/rotation/properties/start_time": {
        "pattern": _anchored(_rules.START_TIME_PATTERN),
        "x-rule": _rules.START_TIME_RULE,
    },
    "/$defs/rotation/properties/number_of_on_calls": {"minimum": 1, "maximum": _rules.MAX_CONTACTS_PER_ROTATION},
    "/$defs/rotation/properties/recurrence_multiplier": {"minimum": 1, "maximum": _rules.MAX_MULTIPLIER},
    "/$defs/rotation_override/properties/contacts": {"maxItems": _rules.MAX_OVERRIDE_CONTACTS},
    "/$defs/override_time": {"pattern": _anchored(_rules.OVERRIDE_TIME_PATTERN), "x-rule": _rules.OVERRIDE_TIME_RULE},
    "/$defs/recurrence/properties/day_of_month": {"minimum": 1, "maximum": _rules.MAX_DAY_OF_MONTH},
    "/$defs/schedule/properties/rotations": {"minItems": 1, "maxItems": _rules.MAX_ROTATIONS_PER_SCHEDULE},
    # escalation plans
    "/$defs/stage/properties/duration_minutes": STAGE,
    # response plans
    "/$defs/response_plan/properties/display_name": {
        "minLength": 1,
        "maxLength": _rules.MAX_RESPONSE_PLAN_DISPLAY_NAME_LENGTH,
    },
    "/$defs/response_plan/properties/title": {"minLength": 1, "maxLength": _rules.MAX_TITLE_LENGTH},
    "/$defs/response_plan/properties/summary": {"minLength": 1, "maxLength": _rules.MAX_SUMMARY_LENGTH},
    "/$defs/response_plan/properties/dedupe_string": {"minLength": 1, "maxLength": _rules.MAX_DEDUPE_STRING_LENGTH},
    "/$defs/response_plan/properties/engagements": {"minItems": 1, "maxItems": _rules.MAX_ENGAGEMENTS},
    "/$defs/response_plan/properties/chat_channels": {"minItems": 1, "maxItems": _rules.MAX_CHAT_TOPICS},
    "/$defs/response_plan/properties/runbook_parameters": {"maxProperties": _rules.MAX_RUNBOOK_PARAMETERS},
    "/$defs/response_plan/properties/runbook_parameters/propertyNames": {
        "minLength": 1,
        "maxLength": _rules.MAX_PARAMETER_KEY_LENGTH,
    },
    "/$defs/response_plan/properties/runbook_parameters/additionalProperties/anyOf/0": {
        "maxLength": _rules.MAX_PARAMETER_VALUE_LENGTH
    },
    "/$defs/response_plan/properties/runbook_parameters/additionalProperties/anyOf/1": {
        "minItems": 1,
        "maxItems": _rules.MAX_PARAMETER_VALUES,
    },
    "/$defs/response_plan/properties/runbook_parameters/additionalProperties/anyOf/1/items": {
        "maxLength": _rules.MAX_PARAMETER_VALUE_LENGTH
    },
    "/$defs/response_plan/properties/runbook_dynamic_parameters": {"maxProperties": _rules.MAX_RUNBOOK_PARAMETERS},
    "/$defs/response_plan/properties/runbook_dynamic_parameters/propertyNames": {
        "minLength": 1,
        "maxLength": _rules.MAX_PARAMETER_KEY_LENGTH,
    },
    "/$defs/response_plan/properties/runbook_version": {
        "pattern": _anchored(_rules.DOCUMENT_VERSION_PATTERN),
        "maxLength": _rules.MAX_DOCUMENT_VERSION_LENGTH,
        "x-rule": _rules.DOCUMENT_VERSION_RULE,
    },
    "/$defs/response_plan/properties/runbook_role_arn": {
        "pattern": _anchored(_rules.ROLE_ARN_PATTERN),
        "maxLength": _rules.MAX_ROLE_ARN_LENGTH,
    },
    "/$defs/response_plan/properties/notification_topic_arns": {
        "minItems": 1,
        "maxItems": _rules.MAX_NOTIFICATION_TOPICS,
    },
    "/$defs/response_plan/properties/notification_topic_arns/items": {"pattern": TOPIC},
    "/$defs/response_plan/properties/chat_topic_arns": {"minItems": 1, "maxItems": _rules.MAX_CHAT_TOPICS},
    "/$defs/response_plan/properties/chat_topic_arns/items": {"pattern": TOPIC},
    "/$defs/pager_duty/properties/name": {"minLength": 1, "maxLength": _rules.MAX_PAGER_DUTY_NAME_LENGTH},
    "/$defs/pager_duty/properties/secret_arn": {
        "pattern": _anchored(_rules.SECRET_ARN_PATTERN),
        "maxLength": _rules.MAX_PAGER_DUTY_SECRET_ID_LENGTH,
        "x-rule": _rules.SECRET_ARN_RULE,
    },
    "/$defs/pager_duty/properties/service_id": {"minLength": 1, "maxLength": _rules.MAX_PAGER_DUTY_SERVICE_ID_LENGTH},
    # chat channels and the replication set
    "/$defs/chat_channel/properties/slack_workspace_id": {
        "pattern": _anchored(_rules.SLACK_WORKSPACE_ID_PATTERN),
        "minLength": 1,
        "maxLength": _rules.MAX_SLACK_WORKSPACE_ID_LENGTH,
        "x-rule": _rules.SLACK_WORKSPACE_ID_RULE,
    },
    "/$defs/chat_channel/properties/slack_channel_id": {
        "pattern": _anchored(_rules.SLACK_CHANNEL_ID_PATTERN),
        "minLength": 1,
        "maxLength": _rules.MAX_SLACK_CHANNEL_ID_LENGTH,
        "x-rule": _rules.SLACK_CHANNEL_ID_RULE,
    },
    "/$defs/replication_set/properties/regions": {"minItems": 1, "maxItems": _rules.MAX_REGIONS},
    # Microsoft Teams chat channels
    "/$defs/chat_channel/properties/team_id": TEAMS_GUID,
    "/$defs/chat_channel/properties/tenant_id": TEAMS_GUID,
    "/$defs/chat_channel/properties/channel_id": {
        "pattern": _anchored(_rules.TEAMS_CHANNEL_ID_PATTERN),
        "minLength": 1,
        "maxLength": _rules.MAX_TEAMS_CHANNEL_ID_LENGTH,
        "x-rule": _rules.TEAMS_CHANNEL_ID_RULE,
    },
    # sharing
    "/$defs/share_with/items": {"x-error": {"anyOf": "a principal is " + _rules.PRINCIPAL_RULE}},
    "/$defs/share_with/items/anyOf/0": {"pattern": _anchored(_rules.ACCOUNT_ID_PATTERN)},
    "/$defs/share_with/items/anyOf/1": {"pattern": _anchored(_rules.ORGANIZATIONAL_UNIT_ARN_PATTERN)},
    "/$defs/share_with/items/anyOf/2": {"pattern": _anchored(_rules.ORGANIZATION_ARN_PATTERN)},
    # the response plan of an alarm or a rule
    "/$defs/response_plan_reference": {"x-error": {"anyOf": _rules.RESPONSE_PLAN_REFERENCE_RULE}},
    "/$defs/response_plan_reference/anyOf/0": {
        "pattern": _anchored(_rules.RESPONSE_PLAN_NAME_PATTERN),
        "maxLength": _rules.MAX_RESPONSE_PLAN_NAME_LENGTH,
    },
    "/$defs/response_plan_reference/anyOf/1": {"pattern": _anchored(_rules.RESPONSE_PLAN_ARN_PATTERN)},
    # CloudWatch alarms
    "/properties/alarms/propertyNames": {
        "pattern": _anchored(_rules.ALARM_NAME_PATTERN),
        "minLength": 1,
        "maxLength": _rules.MAX_ALARM_NAME_LENGTH,
        "x-rule": _rules.ALARM_NAME_RULE,
    },
    "/$defs/alarm/properties/description": {"maxLength": _rules.MAX_ALARM_DESCRIPTION_LENGTH},
    "/$defs/alarm/properties/comparison": {"enum": list(_rules.COMPARISON_OPERATORS)},
    "/$defs/alarm/properties/treat_missing_data": {"enum": list(_rules.TREAT_MISSING_DATA)},
    "/$defs/metric/properties/namespace": {
        "pattern": _anchored(_rules.METRIC_NAMESPACE_PATTERN),
        "maxLength": _rules.MAX_METRIC_NAMESPACE_LENGTH,
        "x-rule": _rules.METRIC_NAMESPACE_RULE,
    },
    "/$defs/metric/properties/name": {
        "pattern": _anchored(_rules.METRIC_NAME_PATTERN),
        "maxLength": _rules.MAX_METRIC_NAME_LENGTH,
        "x-rule": _rules.METRIC_NAME_RULE,
    },
    "/$defs/metric/properties/dimensions": {"maxProperties": _rules.MAX_DIMENSIONS},
    "/$defs/metric/properties/dimensions/propertyNames": {
        "pattern": _anchored(_rules.DIMENSION_NAME_PATTERN),
        "maxLength": _rules.MAX_DIMENSION_NAME_LENGTH,
        "x-rule": _rules.DIMENSION_NAME_RULE,
    },
    "/$defs/metric/properties/dimensions/additionalProperties": {
        "pattern": _anchored(_rules.DIMENSION_VALUE_PATTERN),
        "maxLength": _rules.MAX_DIMENSION_VALUE_LENGTH,
        "x-rule": _rules.DIMENSION_VALUE_RULE,
    },
    "/$defs/metric/properties/statistic": {
        "pattern": _anchored(_rules.STATISTIC_PATTERN),
        "x-rule": _rules.STATISTIC_RULE,
    },
    "/$defs/metric/properties/period_minutes": {"minimum": 1, "maximum": _rules.MAX_PERIOD_MINUTES},
    "/$defs/metric/properties/period_seconds/anyOf/0": {"enum": list(_rules.HIGH_RESOLUTION_PERIODS)},
    "/$defs/metric/properties/period_seconds/anyOf/1": {
        "multipleOf": 60,
        "minimum": 60,
        "maximum": _rules.MAX_EVALUATION_SECONDS,
    },
    # EventBridge rules
    "/properties/event_rules/propertyNames": {
        "pattern": _anchored(_rules.EVENT_RULE_NAME_PATTERN),
        "minLength": 1,
        "maxLength": _rules.MAX_EVENT_RULE_NAME_LENGTH,
        "x-rule": _rules.EVENT_RULE_NAME_RULE,
    },
    "/$defs/event_rule/properties/description": {"maxLength": _rules.MAX_EVENT_RULE_DESCRIPTION_LENGTH},
    "/$defs/event_pattern/propertyNames": {
        "enum": list(_rules.EVENT_PATTERN_FIELDS),
        "x-rule": _rules.EVENT_PATTERN_FIELD_RULE,
    },
}

#: Patterns of the schema that are hints for editors only (the construct checks more).
HINTS = {"/$defs/step/properties/action": "^aws:", "/$defs/tags/propertyNames/not": "^[aA][wW][sS]:"}

LIMITS = ("pattern", "minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems", "maxProperties")


def _limits(node: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """(pointer, keyword) of every pattern and limit in the schema."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "x-error":  # messages by keyword, not limits
                continue
            if key in LIMITS:
                yield pointer, key
            yield from _limits(value, f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _limits(value, f"{pointer}/{index}")


def test_the_schema_is_one_json_file_in_the_package() -> None:
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == organisation_json_schema()
    assert not (PACKAGE / "schema").exists(), "the old copy under incident_constructs/schema/ is gone"
    assert not (PACKAGE / "config.py").exists()
    copies = [p for p in PACKAGE.rglob("*.json") if "draft/2020-12" in p.read_text(encoding="utf-8")]
    assert copies == [SCHEMA_FILE]
    written_in_python = [p for p in PACKAGE.rglob("*.py") if "json-schema.org/draft" in p.read_text(encoding="utf-8")]
    assert written_in_python == [], "the schema is not written again as a Python dict"


def test_json_schema_is_a_copy() -> None:
    schema = organisation_json_schema()
    schema["$defs"].clear()
    assert organisation_json_schema()["$defs"]


@pytest.mark.parametrize("pointer", sorted(RULES))
def test_each_pattern_and_limit_is_the_rules(pointer: str) -> None:
    node = _at(organisation_json_schema(), pointer)
    assert {k: node.get(k) for k in RULES[pointer]} == RULES[pointer]


def test_every_pattern_and_limit_of_the_schema_is_listed() -> None:
    """A new pattern or limit in the schema is added to RULES (or HINTS) with the rule it must equal."""
    unlisted = [
        f"{pointer}/{keyword}"
        for pointer, keyword in _limits(organisation_json_schema())
        if keyword not in RULES.get(pointer, {})
        and pointer not in HINTS
        and not (keyword == "minLength" and _at(organisation_json_schema(), pointer).get(keyword) == 1)
        and not (keyword in ("minimum", "minItems") and _at(organisation_json_schema(), pointer).get(keyword) in (0, 1))
    ]
    assert unlisted == []


def test_every_pattern_compiles_the_same_in_python_and_means_what_the_rule_says() -> None:
    for pointer, keyword in _limits(organisation_json_schema()):
        if keyword == "pattern":
            re.compile(_at(organisation_json_schema(), pointer)["pattern"])
    assert re.search(_anchored(_rules.DOCUMENT_VERSION_PATTERN), "$DEFAULT")
    assert not re.search(_anchored(_rules.DOCUMENT_VERSION_PATTERN), "$DEFAULTx")
    assert not re.search(_anchored(_rules.DOCUMENT_VERSION_PATTERN), "x3")


def test_the_file_schemas_bounds_are_the_constructs() -> None:
    """The schema refuses, before any construct is built, what the constructs refuse."""
    from incident_constructs.contacts import contact, rotation

    definitions = organisation_json_schema()["$defs"]
    assert definitions["channel"]["properties"]["engage_after_minutes"]["maximum"] == contact.MAX_ENGAGE_AFTER_MINUTES
    assert definitions["rotation"]["properties"]["number_of_on_calls"]["maximum"] == rotation.MAX_CONTACTS
    assert definitions["rotation"]["properties"]["recurrence_multiplier"]["maximum"] == rotation.MAX_MULTIPLIER
    assert definitions["rotation_override"]["properties"]["contacts"]["maxItems"] == rotation.MAX_OVERRIDE_CONTACTS


def test_the_constructs_check_with_the_rules() -> None:
    """The constructs hold no pattern or limit of their own for what the schema carries."""
    from incident_constructs.contacts import contact, rotation, schedule
    from incident_constructs.response import response_plan, runbook

    assert contact.ALIAS_PATTERN is _rules.ALIAS_PATTERN
    assert contact.DISPLAY_NAME_PATTERN is _rules.DISPLAY_NAME_PATTERN
    assert contact.CHANNEL_NAME_PATTERN is _rules.CHANNEL_NAME_PATTERN
    assert contact.MAX_STAGE_MINUTES == _rules.MAX_STAGE_MINUTES
    assert contact.MAX_ENGAGE_AFTER_MINUTES == _rules.MAX_ENGAGE_AFTER_MINUTES
    assert contact.DEFAULT_RETRY_INTERVAL.to_minutes() == _rules.DEFAULT_RETRY_INTERVAL_MINUTES
    assert rotation.ROTATION_NAME_PATTERN is _rules.ROTATION_NAME_PATTERN
    assert rotation.HAND_OFF_PATTERN is _rules.HAND_OFF_PATTERN
    assert rotation.START_TIME_PATTERN.pattern == _rules.START_TIME_PATTERN
    assert rotation.MAX_CONTACTS == _rules.MAX_CONTACTS_PER_ROTATION
    assert rotation.MAX_MULTIPLIER == _rules.MAX_MULTIPLIER
    assert schedule.MAX_ROTATIONS == _rules.MAX_ROTATIONS_PER_SCHEDULE
    assert response_plan.NAME_PATTERN is _rules.RESPONSE_PLAN_NAME_PATTERN
    assert response_plan.TOPIC_ARN_PATTERN.pattern == _rules.TOPIC_ARN_PATTERN
    assert response_plan.ROLE_ARN_PATTERN.pattern == _rules.ROLE_ARN_PATTERN
    assert response_plan.MAX_RUNBOOK_PARAMETERS == _rules.MAX_RUNBOOK_PARAMETERS
    assert runbook.DOCUMENT_NAME_PATTERN is _rules.DOCUMENT_NAME_PATTERN
    assert runbook.RESERVED_PREFIXES is _rules.RESERVED_PREFIXES


def test_the_teams_channel_and_the_shares_check_what_the_file_schema_says() -> None:
    """teams.py and sharing.py hold their own copies of these rules: they must equal _rules'."""
    from incident_constructs.integrations import sharing, teams

    assert teams.TEAMS_GUID_PATTERN == _rules.TEAMS_GUID_PATTERN
    assert teams.TEAMS_GUID_RULE.format(example="a1b2c3d4-0000-4000-8000-0123456789ab") == _rules.TEAMS_GUID_RULE
    assert teams.TEAMS_CHANNEL_ID_PATTERN == _rules.TEAMS_CHANNEL_ID_PATTERN
    assert teams.TEAMS_CHANNEL_ID_RULE == _rules.TEAMS_CHANNEL_ID_RULE
    assert teams.MAX_TEAMS_CHANNEL_ID_LENGTH == _rules.MAX_TEAMS_CHANNEL_ID_LENGTH
    assert teams.CONFIGURATION_NAME_PATTERN == _rules.CHAT_CONFIGURATION_NAME_PATTERN
    assert sharing.ACCOUNT_ID_PATTERN.pattern == _rules.ACCOUNT_ID_PATTERN
    assert sharing.ORGANIZATION_ARN_PATTERN.pattern == _rules.ORGANIZATION_ARN_PATTERN
    assert sharing.ORGANIZATIONAL_UNIT_ARN_PATTERN.pattern == _rules.ORGANIZATIONAL_UNIT_ARN_PATTERN
    assert sharing.PRINCIPAL_RULE == _rules.PRINCIPAL_RULE


def test_a_shared_plans_arn_in_the_file_is_one_the_response_plan_imports() -> None:
    """The file's ARN pattern is stricter than ``ResponsePlan.from_response_plan_arn``'s: it names the account."""
    from incident_constructs.response import response_plan

    ok = "arn:aws:ssm-incidents::111122223333:response-plan/api-down"
    for arn in (ok, ok.replace("arn:aws:", "arn:aws-us-gov:"), ok.replace("arn:aws:", "arn:aws-cn:")):
        assert re.fullmatch(_rules.RESPONSE_PLAN_ARN_PATTERN, arn)
        assert response_plan.RESPONSE_PLAN_ARN_PATTERN.fullmatch(arn)
    without_account = ok.replace("111122223333", "")
    assert response_plan.RESPONSE_PLAN_ARN_PATTERN.fullmatch(without_account)
    assert not re.fullmatch(_rules.RESPONSE_PLAN_ARN_PATTERN, without_account)


@pytest.mark.parametrize(
    "pattern, good, bad",
    [
        (
            _rules.STATISTIC_PATTERN,
            ["Sum", "Average", "SampleCount", "p99", "p99.9", "p100", "p0", "tm90", "wm98.5", "tc90", "ts90", "IQM"],
            ["sum", "avg", "p101", "p999", "p99.", "p99.12345678901", "TM(10%:90%)", "Median", ""],
        ),
        (
            _rules.METRIC_NAMESPACE_PATTERN,
            ["AWS/ApplicationELB", "My App", "a:b", "#x"],
            [":AWS", "", "   ", "Zoë", "a\tb"],
        ),
        (_rules.METRIC_NAME_PATTERN, ["HTTPCode_Target_5XX_Count", "a b"], ["", " ", "Zoë", "a\nb"]),
        (_rules.ALARM_NAME_PATTERN, ["api-5xx", "API 5XX (prod)", "Zoë / 5xx"], ["a\nb", "a\x7fb", "tab\there"]),
        (_rules.EVENT_RULE_NAME_PATTERN, ["instance-stopped", "a.b_c"], ["a b", "", "a/b"]),
    ],
)
def test_the_cloudwatch_and_eventbridge_patterns_mean_what_their_rules_say(
    pattern: str, good: list[str], bad: list[str]
) -> None:
    assert [v for v in good if not re.fullmatch(pattern, v)] == []
    assert [v for v in bad if re.fullmatch(pattern, v)] == []


def test_the_alarm_rules_are_cfn_lints_schema_or_stricter() -> None:
    """The CloudFormation registry schema of AWS::CloudWatch::Alarm and AWS::Events::Rule, as cfn-lint
    bundles it: the file's limits are the schema's or stricter."""
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER  # type: ignore[import-untyped]

    alarm = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", "AWS::CloudWatch::Alarm").schema["properties"]
    assert alarm["AlarmName"]["maxLength"] == _rules.MAX_ALARM_NAME_LENGTH
    assert alarm["Namespace"]["maxLength"] == _rules.MAX_METRIC_NAMESPACE_LENGTH
    assert alarm["MetricName"]["maxLength"] == _rules.MAX_METRIC_NAME_LENGTH
    assert alarm["Dimensions"]["maxItems"] == _rules.MAX_DIMENSIONS
    assert set(alarm["Statistic"]["enum"]) < {"SampleCount", "Average", "Sum", "Minimum", "Maximum", "IQM"}
    assert set(_rules.COMPARISON_OPERATORS) < set(alarm["ComparisonOperator"]["enum"])
    assert set(_rules.TREAT_MISSING_DATA) == set(alarm["TreatMissingData"]["enum"])
    rule = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", "AWS::Events::Rule").schema["properties"]
    assert rule["Name"]["maxLength"] == _rules.MAX_EVENT_RULE_NAME_LENGTH
    assert rule["Name"]["pattern"] == _anchored(_rules.EVENT_RULE_NAME_PATTERN)


@pytest.mark.parametrize(
    "field, value, rule",
    [
        ("slack_workspace_id", "t012", _rules.SLACK_WORKSPACE_ID_RULE),
        ("slack_channel_id", "#general", _rules.SLACK_CHANNEL_ID_RULE),
        ("slack_channel_configuration_name", "a b", _rules.CHAT_CONFIGURATION_NAME_RULE),
    ],
)
def test_the_chat_channel_says_the_rules_words(field: str, value: str, rule: str) -> None:
    from support.stacks import new_stack

    from incident_constructs import SlackChatChannel, ValidationError

    props = {"slack_workspace_id": "T012", "slack_channel_id": "C012", "slack_channel_configuration_name": "chat"}
    with pytest.raises(ValidationError, match=re.escape(rule)):
        SlackChatChannel(new_stack(), "Chat", **{**props, field: value})
