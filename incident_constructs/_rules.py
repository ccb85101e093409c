"""The service's patterns and limits, in one place, without the CDK.

The constructs check their props with these (``contacts/``, ``response/``, ``integrations/``), the
organisation file's schema (``organisation/schema.json``) carries the same values (a test keeps
them equal: ``tests/test_organisation_schema.py``), and ``adopt`` writes files that keep them.

Patterns are written for :func:`re.fullmatch`, without anchors; the schema writes them between
``^`` and ``$``. Where the CloudFormation registry schema and the service API disagree, the
stricter of the two is kept (the README's validation table says which).
"""

from __future__ import annotations

# -- contacts ----------------------------------------------------------------------------------

ALIAS_PATTERN = r"[a-z0-9_\-]*"
ALIAS_RULE = "1-255 characters of lower-case letters a-z, digits, '_' and '-'."
MAX_ALIAS_LENGTH = 255
# The schema's ``\s`` is Java's: ASCII white space only (a no-break space is refused).
DISPLAY_NAME_PATTERN = r"[a-zA-Z0-9_\- \t\n\x0b\f\r]*"
DISPLAY_NAME_RULE = "1-255 characters of letters a-z and A-Z, digits, spaces, '_' and '-'."
MAX_DISPLAY_NAME_LENGTH = 255
# The API's ``^[\p{L}\p{Z}\p{N}_.\-]*$``: letters, separators (spaces) and numbers of any script.
# Python's regular expressions only (JSON Schema's are ECMA 262's, whose ``\W`` is ASCII): the
# schema names the rule but leaves the check to the construct.
CHANNEL_NAME_PATTERN = r"(?:[^\W_]|[ \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]|[_.\-])*"
CHANNEL_NAME_RULE = "1-255 characters of letters, digits, spaces, '_', '.' and '-'."
MAX_CHANNEL_NAME_LENGTH = 255
#: Minutes between retries of a channel (``RetryIntervalInMinutes``).
MAX_RETRY_INTERVAL_MINUTES = 60
#: The retry interval of a channel when none is given.
DEFAULT_RETRY_INTERVAL_MINUTES = 5
#: A stage of an engagement or escalation plan lasts 0-30 minutes (``DurationInMinutes``).
MAX_STAGE_MINUTES = 30
#: An escalation stage's duration when none is given.
DEFAULT_STAGE_MINUTES = 5
#: The latest ``engage_after`` (24 hours). The service publishes no limit on the stages of an
#: engagement plan; this bound keeps a plan at most 49 stages, well inside a template's limits.
MAX_ENGAGE_AFTER_MINUTES = 24 * 60

# -- rotations and on-call schedules -------------------------------------------------------------

ROTATION_NAME_PATTERN = r"[a-zA-Z0-9_]*"
ROTATION_NAME_RULE = "1-255 characters of letters a-z and A-Z, digits and '_'."
MAX_ROTATION_NAME_LENGTH = 255
HAND_OFF_PATTERN = r"([0-9]|0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]"
HAND_OFF_RULE = "a time of day as H:MM or HH:MM, 00:00 to 23:59."
# ASCII digits only: the schema's ``\d`` is Java's (Python's ``\d`` would take Arabic-Indic digits).
START_TIME_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
START_TIME_RULE = "YYYY-MM-DDTHH:MM:SS, wall-clock time in time_zone, no offset."
#: Contacts of a rotation (``ContactIds``), in shift order.
MAX_CONTACTS_PER_ROTATION = 30
#: ``RecurrenceMultiplier``: 1-100 recurrence periods per shift.
MAX_MULTIPLIER = 100
#: A shift coverage window lasts at least this long.
MIN_COVERAGE_MINUTES = 30
#: ``DayOfMonth`` of a monthly hand-off.
MAX_DAY_OF_MONTH = 31
#: Rotations an on-call schedule can hold.
MAX_ROTATIONS_PER_SCHEDULE = 8
#: An override's ``start`` and ``end`` in the organisation file: an instant, so with its offset or ``Z``
#: (the construct takes timezone-aware datetimes; the template writes them in UTC). Whole seconds.
OVERRIDE_TIME_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})"
OVERRIDE_TIME_RULE = (
    "YYYY-MM-DDTHH:MM:SS with its offset or Z, like 2026-03-06T17:00:00-08:00 or 2026-03-07T01:00:00Z "
    "(an override is an instant, not wall-clock time)."
)
#: Contacts of an override (``CreateRotationOverride``'s ``NewContactIds``: 0-30 items).
MAX_OVERRIDE_CONTACTS = 30

# -- response plans ------------------------------------------------------------------------------

RESPONSE_PLAN_NAME_PATTERN = r"[a-zA-Z0-9_\-]*"
RESPONSE_PLAN_NAME_RULE = "1-200 characters of letters, digits, '_' and '-'."
MAX_RESPONSE_PLAN_NAME_LENGTH = 200
MAX_RESPONSE_PLAN_DISPLAY_NAME_LENGTH = 200
MAX_TITLE_LENGTH = 200
MAX_SUMMARY_LENGTH = 4000
MAX_DEDUPE_STRING_LENGTH = 1000
MAX_ENGAGEMENTS = 5
MAX_NOTIFICATION_TOPICS = 10
MAX_CHAT_TOPICS = 5
#: The schema's patterns (``AWS::SSMIncidents::ResponsePlan``) of an SNS topic and of the runbook's
#: role (their ``[^.]+`` refuses a '.' anywhere after the account: a FIFO topic's ``.fifo``, a role
#: named ``my.role``). ASCII only (compile with ``re.ASCII``).
TOPIC_ARN_PATTERN = r"arn:aws(-(cn|us-gov))?:sns:(([a-z]+-)+[0-9])?:([0-9]{12})?:[^.]+"
ROLE_ARN_PATTERN = r"arn:aws(-(cn|us-gov))?:[a-z-]+:(([a-z]+-)+[0-9])?:([0-9]{12})?:[^.]+"
MAX_ROLE_ARN_LENGTH = 1000
#: Limits of the runbook's parameters: the stricter of the CloudFormation registry schema
#: (``AWS::SSMIncidents::ResponsePlan``) and the ssm-incidents API (``SsmAutomation``).
MAX_RUNBOOK_PARAMETERS = 200  # schema: at most 200 items; API: at most 200 keys (static and dynamic each)
MAX_PARAMETER_KEY_LENGTH = 50  # schema and API: 1-50 characters
MAX_PARAMETER_VALUES = 10  # schema: Values has at most 10 items (the API allows 100)
MAX_PARAMETER_VALUE_LENGTH = 512  # API: at most 512 characters (the schema allows 10000)
#: ``DocumentVersion`` of the runbook action: ``$DEFAULT``, ``$LATEST`` or a version number.
DOCUMENT_VERSION_PATTERN = r"(\$DEFAULT|\$LATEST|[1-9][0-9]{0,9})"
MAX_DOCUMENT_VERSION_LENGTH = 128
DOCUMENT_VERSION_RULE = "$DEFAULT, $LATEST or a version number like 3."
#: A PagerDuty integration: its name, the secret's id and the PagerDuty service id.
MAX_PAGER_DUTY_NAME_LENGTH = 200
MAX_PAGER_DUTY_SECRET_ID_LENGTH = 512
MAX_PAGER_DUTY_SERVICE_ID_LENGTH = 200
#: A Secrets Manager secret's ARN (the PagerDuty credentials).
SECRET_ARN_PATTERN = r"arn:aws(-(cn|us-gov))?:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+"
SECRET_ARN_RULE = (
    "a Secrets Manager secret ARN, like arn:aws:secretsmanager:us-east-1:111122223333:secret:pagerduty-AbCdEf."
)

# -- runbooks ------------------------------------------------------------------------------------

DOCUMENT_NAME_PATTERN = r"[a-zA-Z0-9_\-.]{3,128}"
DOCUMENT_NAME_RULE = (
    "3-128 characters of letters, digits, '_', '-' and '.', not starting with 'aws', 'amazon' or 'amzn'."
)
RESERVED_PREFIXES = ("aws", "amazon", "amzn")

# -- chat channels -------------------------------------------------------------------------------

SLACK_WORKSPACE_ID_PATTERN = r"[0-9A-Z]+"
SLACK_WORKSPACE_ID_RULE = "a Slack workspace id: upper-case letters and digits, like 'T012ABCDEFG'."
MAX_SLACK_WORKSPACE_ID_LENGTH = 255
SLACK_CHANNEL_ID_PATTERN = r"[A-Za-z0-9]+"
SLACK_CHANNEL_ID_RULE = "a Slack channel id: letters and digits, like 'C012ABCDEFG' (not the channel's #name)."
MAX_SLACK_CHANNEL_ID_LENGTH = 256
CHAT_CONFIGURATION_NAME_PATTERN = r"[A-Za-z0-9\-_]+"
CHAT_CONFIGURATION_NAME_RULE = "1-128 characters of letters, digits, '-' and '_'."
MAX_CHAT_CONFIGURATION_NAME_LENGTH = 128

# -- replication set and tags --------------------------------------------------------------------

MAX_REGIONS = 3
MAX_TAGS = 50
MAX_TAG_KEY_LENGTH = 128
MAX_TAG_VALUE_LENGTH = 256

# -- the organisation file -----------------------------------------------------------------------

#: An entry's construct id (``id:``); logical ids follow from it.
CONSTRUCT_ID_PATTERN = r"[A-Za-z][A-Za-z0-9_\-]{0,254}"
CONSTRUCT_ID_RULE = "a construct id: a letter, then letters, digits, '_' and '-'. Changing it replaces the resources."

# -- sharing (AWS RAM) -----------------------------------------------------------------------------
# The principals Incident Manager shares with (``integrations/sharing.py`` checks them; the AWS
# Organizations reference, "ARN formats" and the organization and OU id patterns). ASCII only.

ACCOUNT_ID_PATTERN = r"[0-9]{12}"
ORGANIZATION_ARN_PATTERN = r"arn:aws(-cn|-us-gov)?:organizations::[0-9]{12}:organization/o-[a-z0-9]{10,32}"
ORGANIZATIONAL_UNIT_ARN_PATTERN = (
    r"arn:aws(-cn|-us-gov)?:organizations::[0-9]{12}:ou/o-[a-z0-9]{10,32}/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}"
)
PRINCIPAL_RULE = (
    "a 12-digit account id like '111122223333', an organizational unit ARN like "
    "'arn:aws:organizations::111122223333:ou/o-exampleorgid/ou-ab12-cdef3456' or an organization ARN like "
    "'arn:aws:organizations::111122223333:organization/o-exampleorgid' (Incident Manager shares with "
    "accounts, organizational units and organizations only)."
)
#: A response plan named by ARN from another account (a shared plan): the account is required
#: (``ResponsePlan.from_response_plan_arn`` also takes an ARN without one).
RESPONSE_PLAN_ARN_PATTERN = r"arn:aws(-cn|-us-gov)?:ssm-incidents::[0-9]{12}:response-plan/[a-zA-Z0-9_\-]{1,200}"
RESPONSE_PLAN_REFERENCE_RULE = (
    "a response plan of this file, by name, or the ARN of a plan shared from another account, like "
    "arn:aws:ssm-incidents::111122223333:response-plan/api-down."
)

# -- Microsoft Teams chat channels (AWS::Chatbot::MicrosoftTeamsChannelConfiguration) ---------------

#: ``TeamId`` and ``TeamsTenantId``: GUIDs, 36 characters (schema and Chatbot API).
TEAMS_GUID_PATTERN = r"[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}"
TEAMS_GUID_RULE = (
    "a GUID like 'a1b2c3d4-0000-4000-8000-0123456789ab' (36 characters: hexadecimal digits in groups of 8-4-4-4-12)."
)
#: ``TeamsChannelId``: the channel id URL-encoded (``19:...@thread.tacv2`` written ``19%3A...%40thread.tacv2``).
TEAMS_CHANNEL_ID_PATTERN = r"[a-zA-Z0-9_=+/.,\-]*%3[aA][a-zA-Z0-9_=+/.,\-]*%40[a-zA-Z0-9_=+/.,\-]*"
TEAMS_CHANNEL_ID_RULE = (
    "a Microsoft Teams channel id, URL-encoded, like '19%3Aab12cd34ef56ab12cd34ef56ab12cd34%40thread.tacv2' "
    "(from the channel's link: ':' written %3A and '@' written %40)."
)
#: The schema allows 256 characters, the Chatbot API 255: the stricter.
MAX_TEAMS_CHANNEL_ID_LENGTH = 255

# -- CloudWatch alarms (AWS::CloudWatch::Alarm; the CloudWatch API's PutMetricAlarm) -----------------
# The stricter of the CloudFormation registry schema (as cfn-lint 1.x bundles it, with its
# ``aws_cloudwatch_alarm/period.json`` extension) and the API model (botocore ``cloudwatch``
# 2010-08-01, PutMetricAlarm). Printable ASCII is ``[ -~]``; "at least one character that is not a
# space" is the lookahead ``(?=[ -~]*[!-~])``.

#: ``AlarmName``: 1-255 characters (schema 0-255, API 1-255), no ASCII control characters (API).
ALARM_NAME_PATTERN = r"[^\u0000-\u001f\u007f]*"
ALARM_NAME_RULE = "1-255 characters, none of them a control character (CloudWatch alarm names are unique per Region)."
MAX_ALARM_NAME_LENGTH = 255
#: ``AlarmDescription``: 0-1024 characters (API).
MAX_ALARM_DESCRIPTION_LENGTH = 1024
#: ``Namespace``: 1-255 printable ASCII characters, not starting with ':' (schema ``^[^:]``, API
#: ``[^:].*``; ASCII without control characters, at least one that is not a space: API documentation).
METRIC_NAMESPACE_PATTERN = r"(?=[ -~]*[!-~])[ -9;-~][ -~]*"
METRIC_NAMESPACE_RULE = "1-255 printable ASCII characters, not starting with ':', like AWS/ApplicationELB."
MAX_METRIC_NAMESPACE_LENGTH = 255
#: ``MetricName``: 1-255 printable ASCII characters, at least one that is not a space.
METRIC_NAME_PATTERN = r"(?=[ -~]*[!-~])[ -~]+"
METRIC_NAME_RULE = "1-255 printable ASCII characters, like HTTPCode_Target_5XX_Count."
MAX_METRIC_NAME_LENGTH = 255
#: ``Dimensions``: at most 30 (schema and API); a name 1-255 characters, a value 1-1024 (schema and
#: API), ASCII, at least one character that is not a space, a name not starting with ':' (API).
MAX_DIMENSIONS = 30
DIMENSION_NAME_PATTERN = METRIC_NAMESPACE_PATTERN
DIMENSION_NAME_RULE = "a dimension name: 1-255 printable ASCII characters, not starting with ':', like LoadBalancer."
MAX_DIMENSION_NAME_LENGTH = 255
DIMENSION_VALUE_PATTERN = METRIC_NAME_PATTERN
DIMENSION_VALUE_RULE = "a dimension value: 1-1024 printable ASCII characters, like app/api/0123456789abcdef."
MAX_DIMENSION_VALUE_LENGTH = 1024
#: ``Statistic`` (SampleCount, Average, Sum, Minimum, Maximum: schema and API) or ``ExtendedStatistic``
#: (API documentation and the CloudWatch user guide's "Statistics definitions": a percentile ``p``,
#: trimmed mean ``tm``, winsorized mean ``wm``, trimmed count ``tc`` or trimmed sum ``ts`` with a number
#: 0-100 of up to 10 decimal places, or ``IQM``). aws-cdk-lib passes any other text on unchecked.
STATISTIC_PATTERN = (
    r"(SampleCount|Average|Sum|Minimum|Maximum|IQM|(p|tm|wm|tc|ts)(100(\.0{1,10})?|[0-9]{1,2}(\.[0-9]{1,10})?))"
)
STATISTIC_RULE = (
    "SampleCount, Average, Sum, Minimum, Maximum, a percentile like p99 or p99.9 (p0 to p100), tm, wm, tc or ts "
    "with a percentage like tm90, or IQM."
)
#: ``Period`` in seconds: 10, 30, or a multiple of 60 (the schema's period extension, stricter than
#: the API's 10, 20, 30). ``period_minutes`` of the organisation file is always a multiple of 60.
HIGH_RESOLUTION_PERIODS = (10, 30)
#: Period x EvaluationPeriods is at most 7 days, and at most 1 day for a period under an hour (API).
MAX_EVALUATION_SECONDS = 7 * 24 * 3600
MAX_SHORT_PERIOD_EVALUATION_SECONDS = 24 * 3600
SHORT_PERIOD_SECONDS = 3600
#: The longest period, in minutes: one period of 7 days.
MAX_PERIOD_MINUTES = MAX_EVALUATION_SECONDS // 60
#: ``ComparisonOperator`` of an alarm on a static threshold (the other three of the schema's enum are
#: for anomaly detection models only: API documentation).
COMPARISON_OPERATORS = (
    "GreaterThanOrEqualToThreshold",
    "GreaterThanThreshold",
    "LessThanThreshold",
    "LessThanOrEqualToThreshold",
)
#: ``TreatMissingData`` (schema and API documentation).
TREAT_MISSING_DATA = ("breaching", "notBreaching", "ignore", "missing")

# -- EventBridge rules (AWS::Events::Rule; the EventBridge API's PutRule) ---------------------------

#: ``Name``: 1-64 characters of letters, digits, '.', '-' and '_' (schema and API; aws-cdk-lib too).
EVENT_RULE_NAME_PATTERN = r"[\.\-_A-Za-z0-9]+"
EVENT_RULE_NAME_RULE = "1-64 characters of letters, digits, '.', '-' and '_'."
MAX_EVENT_RULE_NAME_LENGTH = 64
#: ``Description``: at most 512 characters (API).
MAX_EVENT_RULE_DESCRIPTION_LENGTH = 512
#: ``EventPattern``: at most 2048 characters of JSON (API).
MAX_EVENT_PATTERN_LENGTH = 2048
#: The top-level fields of an EventBridge event: a pattern naming another field matches nothing.
EVENT_PATTERN_FIELDS = ("version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail")
EVENT_PATTERN_FIELD_RULE = (
    "a field of the event: version, id, detail-type, source, account, time, region, resources or detail "
    "(EventBridge events have no other top-level field; write detail-type with a hyphen)."
)
