"""The on-call organisation as one data file.

A YAML file describes contacts and their channels, rotations and on-call schedules,
escalation plans, runbooks, response plans, Slack chat channels and the replication set;
:func:`build_organisation` builds the constructs directly in a stack (with the same construct
ids, hence the same logical ids, as the same organisation written by hand), and
:class:`OnCallOrganisation` builds them inside a construct of its own.

The file is checked against a JSON Schema (Draft 2020-12, :func:`organisation_json_schema`)
and then by the constructs themselves; every error names the file, line and column, the path
in the document and what is allowed::

    organisation.yaml:7:33: contacts.incident-responder.channels[1].sms: ...
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import functools
import pathlib
import re
from typing import Any, Iterator, Mapping, Optional, Sequence, Union

import aws_cdk as cdk
import jsonschema
import yaml
from constructs import Construct

from ._validation import Checker, ValidationError
from .contact import ALIAS_PATTERN, ALIAS_RULE, CHANNEL_NAME_RULE, DISPLAY_NAME_RULE, Contact, IContact
from .escalation import EscalationPlan, EscalationStage
from .integrations import SlackChatChannel
from .replication_set import IReplicationSet, ReplicationSet
from .response_plan import NAME_RULE as RESPONSE_PLAN_NAME_RULE
from .response_plan import Impact, ResponsePlan, TargetAccount
from .rotation import Rotation, RotationRecurrence, ShiftCoverage
from .runbook import DOCUMENT_NAME_RULE, IRunbook, Runbook, RunbookStep, check_step
from .schedule import OnCallSchedule

__all__ = [
    "OnCallOrganisation",
    "Organisation",
    "OrganisationFileError",
    "OrganisationProblem",
    "build_organisation",
    "load_organisation",
    "organisation_json_schema",
]

PathPart = Union[str, int]

# -- the schema ------------------------------------------------------------------------------

_CONSTRUCT_ID = {
    "type": "string",
    "pattern": r"^[A-Za-z][A-Za-z0-9_\-]{0,254}$",
    "x-rule": "a construct id: a letter, then letters, digits, '_' and '-'. Changing it replaces the resources.",
    "description": "The construct id (logical ids follow from it). Default: the key in PascalCase.",
}
_DISPLAY_NAME = {"type": "string", "minLength": 1, "maxLength": 255, "x-rule": DISPLAY_NAME_RULE}
_REFERENCE_LIST = {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}
_TAGS = {
    "type": "object",
    "maxProperties": 50,
    "additionalProperties": {"type": "string", "maxLength": 256},
    "propertyNames": {"minLength": 1, "maxLength": 128, "not": {"pattern": "^[aA][wW][sS]:"}},
}
_WEEKDAY = {"enum": ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]}
_HH_MM = {
    "type": "string",
    "pattern": r"^([0-9]|0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]$",
    "x-rule": "a time of day as H:MM or HH:MM, 00:00 to 23:59.",
}

_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "urn:incident-constructs:organisation",
    "title": "incident-constructs on-call organisation",
    "description": (
        "Contacts, rotations, on-call schedules, escalation plans, runbooks, response plans, chat channels "
        "and the replication set of AWS Systems Manager Incident Manager."
    ),
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "contacts": {
            "description": "Personal contacts by alias.",
            "type": "object",
            "propertyNames": {"pattern": f"^{ALIAS_PATTERN}$", "minLength": 1, "maxLength": 255, "x-rule": ALIAS_RULE},
            "additionalProperties": {"$ref": "#/$defs/contact"},
        },
        "rotations": {
            "description": "On-call rotations by rotation name.",
            "type": "object",
            "propertyNames": {
                "pattern": "^[a-zA-Z0-9_]{1,255}$",
                "x-rule": "1-255 characters of letters a-z and A-Z, digits and '_'.",
            },
            "additionalProperties": {"$ref": "#/$defs/rotation"},
        },
        "schedules": {
            "description": "On-call schedules by alias.",
            "type": "object",
            "propertyNames": {"pattern": f"^{ALIAS_PATTERN}$", "minLength": 1, "maxLength": 255, "x-rule": ALIAS_RULE},
            "additionalProperties": {"$ref": "#/$defs/schedule"},
        },
        "escalation_plans": {
            "description": "Escalation plans by alias.",
            "type": "object",
            "propertyNames": {"pattern": f"^{ALIAS_PATTERN}$", "minLength": 1, "maxLength": 255, "x-rule": ALIAS_RULE},
            "additionalProperties": {"$ref": "#/$defs/escalation_plan"},
        },
        "runbooks": {
            "description": "Runbooks (Automation documents) by document name.",
            "type": "object",
            "propertyNames": {"pattern": r"^[a-zA-Z0-9_\-.]{3,128}$", "x-rule": DOCUMENT_NAME_RULE},
            "additionalProperties": {"$ref": "#/$defs/runbook"},
        },
        "response_plans": {
            "description": "Response plans by name.",
            "type": "object",
            "propertyNames": {
                "pattern": r"^[a-zA-Z0-9_\-]{1,200}$",
                "x-rule": RESPONSE_PLAN_NAME_RULE,
            },
            "additionalProperties": {"$ref": "#/$defs/response_plan"},
        },
        "chat_channels": {
            "description": "AWS Chatbot Slack channels by configuration name.",
            "type": "object",
            "propertyNames": {"pattern": r"^[A-Za-z0-9\-_]{1,128}$", "x-rule": "1-128 letters, digits, '-' and '_'."},
            "additionalProperties": {"$ref": "#/$defs/chat_channel"},
        },
        "replication_set": {"$ref": "#/$defs/replication_set"},
    },
    "$defs": {
        "contact": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "id": _CONSTRUCT_ID,
                "display_name": _DISPLAY_NAME,
                "defer_activation": {"type": "boolean"},
                "retry_interval_minutes": {"type": "integer", "minimum": 0, "maximum": 60},
                "channels": {"type": "array", "items": {"$ref": "#/$defs/channel"}},
            },
        },
        "channel": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name"],
            "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 255, "x-rule": CHANNEL_NAME_RULE},
                "email": {"type": "string", "description": "An email address."},
                "sms": {"type": "string", "description": "A mobile number in E.164 format, like +12065550100."},
                "voice": {"type": "string", "description": "A phone number in E.164 format, like +12065550100."},
                "engage_after_minutes": {"type": "integer", "minimum": 0},
                "retry_interval_minutes": {"type": "integer", "minimum": 0, "maximum": 60},
            },
            "oneOf": [{"required": ["email"]}, {"required": ["sms"]}, {"required": ["voice"]}],
            "x-error": {"oneOf": "a channel has exactly one of the keys email, sms or voice."},
        },
        "rotation": {
            "type": "object",
            "additionalProperties": False,
            "required": ["contacts", "start_time", "time_zone", "recurrence"],
            "properties": {
                "id": _CONSTRUCT_ID,
                "contacts": {**_REFERENCE_LIST, "maxItems": 30, "description": "Contact aliases, in shift order."},
                "start_time": {
                    "type": "string",
                    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$",
                    "x-rule": "YYYY-MM-DDTHH:MM:SS, wall-clock time in time_zone, no offset.",
                },
                "time_zone": {"type": "string", "minLength": 1, "description": "An IANA time zone, like Europe/Paris."},
                "recurrence": {"$ref": "#/$defs/recurrence"},
                "number_of_on_calls": {"type": "integer", "minimum": 1},
                "recurrence_multiplier": {"type": "integer", "minimum": 1, "maximum": 100},
                "shift_coverage": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["day_of_week", "start", "end"],
                        "properties": {"day_of_week": _WEEKDAY, "start": _HH_MM, "end": _HH_MM},
                    },
                },
            },
        },
        "recurrence": {
            "type": "object",
            "additionalProperties": False,
            "required": ["every", "hand_off_time"],
            "properties": {
                "every": {"enum": ["day", "week", "month"]},
                "hand_off_time": _HH_MM,
                "day_of_week": _WEEKDAY,
                "day_of_month": {"type": "integer", "minimum": 1, "maximum": 31},
            },
        },
        "schedule": {
            "type": "object",
            "additionalProperties": False,
            "required": ["rotations"],
            "properties": {
                "id": _CONSTRUCT_ID,
                "display_name": _DISPLAY_NAME,
                "rotations": {**_REFERENCE_LIST, "maxItems": 8, "description": "Rotation names of this file."},
            },
        },
        "escalation_plan": {
            "type": "object",
            "additionalProperties": False,
            "required": ["stages"],
            "properties": {
                "id": _CONSTRUCT_ID,
                "display_name": _DISPLAY_NAME,
                "stages": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/stage"}},
            },
        },
        "stage": {
            "type": "object",
            "additionalProperties": False,
            "required": ["contacts"],
            "properties": {
                "contacts": {
                    **_REFERENCE_LIST,
                    "description": "Aliases of contacts or schedules of this file, or contact ARNs.",
                },
                "duration_minutes": {"type": "integer", "minimum": 0, "maximum": 30},
                "acknowledgement_stops_progression": {"type": "boolean"},
            },
        },
        "runbook": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "id": _CONSTRUCT_ID,
                "file": {"type": "string", "minLength": 1, "description": "A YAML or JSON document, relative to this file."},
                "description": {"type": "string", "minLength": 1},
                "parameters": {"type": "object", "additionalProperties": {"type": "object", "required": ["type"]}},
                "steps": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/step"}},
            },
            "oneOf": [
                {"required": ["steps"], "not": {"required": ["file"]}},
                {"required": ["file"], "not": {"anyOf": [{"required": ["steps"]}, {"required": ["description"]}, {"required": ["parameters"]}]}},
            ],
            "x-error": {
                "oneOf": "a runbook has either steps (with an optional description and parameters) or a file, not both."
            },
        },
        "step": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name", "action"],
            "properties": {
                "name": {"type": "string"},
                "action": {"type": "string", "pattern": "^aws:", "x-rule": "an Automation action like aws:pause."},
                "inputs": {"type": "object"},
                "description": {"type": "string"},
                "on_failure": {"type": "string"},
                "on_cancel": {"type": "string"},
                "timeout_seconds": {"type": "integer", "minimum": 1},
                "max_attempts": {"type": "integer", "minimum": 1},
                "is_critical": {"type": "boolean"},
                "is_end": {"type": "boolean"},
                "next_step": {"type": "string"},
                "outputs": {"type": "array"},
            },
        },
        "response_plan": {
            "type": "object",
            "additionalProperties": False,
            "required": ["title", "impact"],
            "properties": {
                "id": _CONSTRUCT_ID,
                "display_name": {"type": "string", "minLength": 1, "maxLength": 200},
                "title": {"type": "string", "minLength": 1, "maxLength": 200},
                "impact": {
                    "enum": [1, 2, 3, 4, 5, "critical", "high", "medium", "low", "no_impact"],
                    "description": "1 critical, 2 high, 3 medium, 4 low, 5 no_impact.",
                },
                "summary": {"type": "string", "minLength": 1, "maxLength": 4000},
                "dedupe_string": {"type": "string", "minLength": 1, "maxLength": 1000},
                "engagements": {
                    **_REFERENCE_LIST,
                    "maxItems": 5,
                    "description": "Aliases of contacts, escalation plans or schedules of this file, or contact ARNs.",
                },
                "runbook": {"type": "string", "description": "A runbook of this file."},
                "runbook_parameters": {
                    "type": "object",
                    "additionalProperties": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
                },
                "target_account": {"enum": [t.value for t in TargetAccount]},
                "chat_channels": {**_REFERENCE_LIST, "maxItems": 5, "description": "Chat channels of this file."},
                "incident_tags": _TAGS,
                "tags": _TAGS,
            },
        },
        "chat_channel": {
            "type": "object",
            "additionalProperties": False,
            "required": ["slack_workspace_id", "slack_channel_id"],
            "properties": {
                "id": _CONSTRUCT_ID,
                "slack_workspace_id": {"type": "string", "pattern": "^[0-9A-Z]{1,255}$", "x-rule": "like T012ABCDEFG."},
                "slack_channel_id": {"type": "string", "pattern": "^[A-Za-z0-9]{1,256}$", "x-rule": "like C012ABCDEFG."},
            },
        },
        "replication_set": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "id": _CONSTRUCT_ID,
                "regions": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 3, "uniqueItems": True},
                "deletion_protected": {"type": "boolean"},
                "existing": {"const": True, "description": "Use the account's existing replication set."},
                "arn": {"type": "string", "description": "The existing replication set's ARN."},
            },
            "oneOf": [
                {"required": ["regions"], "not": {"anyOf": [{"required": ["existing"]}, {"required": ["arn"]}]}},
                {"required": ["existing"], "not": {"anyOf": [{"required": ["regions"]}, {"required": ["deletion_protected"]}]}},
            ],
            "x-error": {
                "oneOf": "give regions (a replication set is created) or existing: true (with an optional arn), not both."
            },
        },
    },
}


def organisation_json_schema() -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of organisation files, for editors and validators."""
    return copy.deepcopy(_SCHEMA)


@functools.lru_cache(maxsize=1)
def _validator() -> Any:
    jsonschema.Draft202012Validator.check_schema(_SCHEMA)
    return jsonschema.Draft202012Validator(_SCHEMA)


# -- errors ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class OrganisationProblem:
    """One problem of an organisation file."""

    #: The file, as given.
    file: str
    #: 1-based line and column of the value (or key) at fault.
    line: int
    column: int
    #: Where in the document, like ``contacts.incident-responder.channels[1].sms``.
    path: str
    #: What is wrong and what is allowed.
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.file}:{self.line}:{self.column}: {where}{self.message}"


class OrganisationFileError(ValidationError):
    """An organisation file breaks the schema or a rule of the service.

    The message has one line per problem, each naming the file, line and column, the path in
    the document and what is allowed; :attr:`problems` holds them one by one.
    """

    def __init__(self, problems: Sequence[OrganisationProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def _format_path(path: Sequence[PathPart]) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


# -- the document ----------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):  # type: ignore[misc]
    """Safe YAML with timestamps kept as strings (a rotation's start_time is local wall-clock time)."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


@dataclasses.dataclass
class _Document:
    file: str
    directory: pathlib.Path
    data: dict[str, Any]
    root: Optional[yaml.Node]

    def node(self, path: Sequence[PathPart], *, key: bool = False) -> Optional[yaml.Node]:
        """The node at ``path`` (or, with ``key``, the key node of its last part)."""
        node = self.root
        key_node: Optional[yaml.Node] = None
        for part in path:
            if isinstance(node, yaml.MappingNode):
                found = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(part)), None)
                if found is None:
                    return node
                key_node, node = found
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                key_node, node = None, node.value[part]
            else:
                return node
        if key_node is not None and (key or isinstance(node, (yaml.MappingNode, yaml.SequenceNode))):
            # A mapping or list is pointed at by its key: the line that names it.
            return key_node
        return node

    def problem(self, path: Sequence[PathPart], message: str, *, key: bool = False) -> OrganisationProblem:
        node = self.node(path, key=key)
        line, column = (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (1, 1)
        return OrganisationProblem(self.file, line, column, _format_path(path), message)

    def fail(self, path: Sequence[PathPart], message: str, *, key: bool = False) -> "OrganisationFileError":
        return OrganisationFileError([self.problem(path, message, key=key)])

    @contextlib.contextmanager
    def at(self, path: Sequence[PathPart]) -> Iterator[None]:
        """Re-raise a construct's :class:`ValidationError` as a problem at ``path``."""
        try:
            yield
        except OrganisationFileError:
            raise
        except ValidationError as error:
            raise self.fail(path, str(error)) from None


def _duplicate_keys(node: yaml.Node, path: list[PathPart], out: list[tuple[list[PathPart], yaml.Node, str]]) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value) if isinstance(key, yaml.ScalarNode) else "?"
            if name in seen:
                out.append((path + [name], key, name))
            seen.add(name)
            _duplicate_keys(value, path + [name], out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _duplicate_keys(item, path + [index], out)


def load_organisation(file: Union[str, pathlib.Path]) -> dict[str, Any]:
    """Read and check an organisation file against the schema; return its data.

    :raises OrganisationFileError: the file cannot be read, is not YAML, or breaks the schema.
    """
    return _load(file).data


def _load(file: Union[str, pathlib.Path]) -> _Document:
    path = pathlib.Path(file)
    name = str(file)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise OrganisationFileError(
            [OrganisationProblem(name, 1, 1, "", f"cannot read the organisation file: {error.strerror}.")]
        ) from None
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else {}
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        raise OrganisationFileError(
            [OrganisationProblem(name, line, column, "", f"not valid YAML: {error.problem or error}")]
        ) from None
    except yaml.YAMLError as error:
        raise OrganisationFileError([OrganisationProblem(name, 1, 1, "", f"not valid YAML: {error}")]) from None
    document = _Document(name, path.parent, data if isinstance(data, dict) else {}, root)
    if data is None:
        document.data = {}
    elif not isinstance(data, dict):
        raise document.fail([], f"the file must hold a mapping of sections ({', '.join(_SCHEMA['properties'])}).")
    problems: list[OrganisationProblem] = []
    if root is not None:
        duplicates: list[tuple[list[PathPart], yaml.Node, str]] = []
        _duplicate_keys(root, [], duplicates)
        for dup_path, key_node, key in duplicates:
            problems.append(
                OrganisationProblem(
                    name,
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                    _format_path(dup_path),
                    f"key {key!r} appears more than once in this mapping; each key at most once.",
                )
            )
    for schema_error in _validator().iter_errors(document.data):
        problems.append(_schema_problem(document, schema_error))
    if problems:
        problems.sort(key=lambda p: (p.line, p.column))
        raise OrganisationFileError(problems)
    return document


def _schema_problem(document: _Document, error: Any) -> OrganisationProblem:
    path: list[PathPart] = list(error.absolute_path)
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    validator = error.validator
    instance = error.instance
    custom = (schema.get("x-error") or {}).get(validator)
    rule = schema.get("x-rule")
    if custom:
        return document.problem(path, custom)
    if validator == "additionalProperties" and isinstance(instance, dict):
        keys = sorted(schema.get("properties", {}))
        extras = [k for k in instance if k not in keys]
        key = extras[0] if extras else "?"
        allowed_text = ", ".join(keys) if keys else "none"
        return document.problem(path + [key], f"unknown key {key!r}; allowed keys: {allowed_text}.", key=True)
    if "propertyNames" in error.absolute_schema_path:
        text = rule or error.message
        return document.problem(path + [str(instance)], f"name {instance!r} is not allowed: {text}", key=True)
    if validator == "required":
        missing = [k for k in schema.get("required", []) if not isinstance(instance, dict) or k not in instance]
        return document.problem(path, f"missing key {missing[0] if missing else '?'!r} (required: {', '.join(schema.get('required', []))}).")
    if validator == "type":
        return document.problem(path, f"{_short(instance)} is not allowed: a {error.validator_value} is required.")
    if validator in ("enum", "const"):
        values = error.validator_value if validator == "enum" else [error.validator_value]
        return document.problem(path, f"{_short(instance)} is not allowed: one of {', '.join(map(str, values))}.")
    if validator == "pattern" and rule:
        return document.problem(path, f"{_short(instance)} is not allowed: {rule}")
    if validator in ("minimum", "maximum"):
        low, high = schema.get("minimum"), schema.get("maximum")
        allowed = f"{low} to {high}" if low is not None and high is not None else (f"at least {low}" if low is not None else f"at most {high}")
        return document.problem(path, f"{_short(instance)} is not allowed: {allowed}.")
    suffix = f" ({rule})" if rule else ""
    return document.problem(path, f"{error.message}{suffix}.")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _pascal(key: str) -> str:
    """``incident-responder`` -> ``IncidentResponder``; ``EC2HighCPU`` stays."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[-_.\s]+", key) if part)


# -- building ---------------------------------------------------------------------------------


@dataclasses.dataclass
class Organisation:
    """The constructs built from an organisation file, each by its key in the file."""

    #: The file they were built from.
    file: str
    contacts: dict[str, Contact] = dataclasses.field(default_factory=dict)
    rotations: dict[str, Rotation] = dataclasses.field(default_factory=dict)
    schedules: dict[str, OnCallSchedule] = dataclasses.field(default_factory=dict)
    escalation_plans: dict[str, EscalationPlan] = dataclasses.field(default_factory=dict)
    runbooks: dict[str, Runbook] = dataclasses.field(default_factory=dict)
    response_plans: dict[str, ResponsePlan] = dataclasses.field(default_factory=dict)
    chat_channels: dict[str, SlackChatChannel] = dataclasses.field(default_factory=dict)
    #: The replication set (created or existing), or None when the file has none.
    replication_set: Optional[IReplicationSet] = None


_IMPACTS = {"critical": Impact.CRITICAL, "high": Impact.HIGH, "medium": Impact.MEDIUM, "low": Impact.LOW, "no_impact": Impact.NO_IMPACT}


class _Builder:
    def __init__(self, scope: Construct, document: _Document) -> None:
        self.scope = scope
        self.doc = document
        self.result = Organisation(file=document.file)
        self._ids: dict[str, str] = {}
        self._imports: dict[str, IContact] = {}

    def construct_id(self, path: list[PathPart], spec: Mapping[str, Any], key: str) -> str:
        construct_id = str(spec.get("id") or _pascal(key))
        where = path + ["id"] if "id" in spec else path
        owner = self._ids.get(construct_id)
        if owner is not None:
            raise self.doc.fail(where, f"construct id {construct_id!r} is already used by {owner}; give this one an 'id:'.")
        existing = self.scope.node.try_find_child(construct_id)
        if existing is not None:
            raise self.doc.fail(where, f"construct id {construct_id!r} is already used in {self.scope.node.path}.")
        self._ids[construct_id] = _format_path(path)
        return construct_id

    def build(self) -> Organisation:
        data = self.doc.data
        for alias, spec in (data.get("contacts") or {}).items():
            self.contact(alias, spec)
        for name, spec in (data.get("rotations") or {}).items():
            self.rotation(name, spec)
        for alias, spec in (data.get("schedules") or {}).items():
            self.schedule(alias, spec)
        for alias, spec in (data.get("escalation_plans") or {}).items():
            self.escalation_plan(alias, spec)
        for name, spec in (data.get("runbooks") or {}).items():
            self.runbook(name, spec)
        for name, spec in (data.get("response_plans") or {}).items():
            self.response_plan(name, spec)
        self._check_chat_references()
        for name, spec in (data.get("chat_channels") or {}).items():
            self.chat_channel(name, spec)
        if data.get("replication_set") is not None:
            self.replication_set(data["replication_set"])
        return self.result

    # -- sections ------------------------------------------------------------------------------
    def contact(self, alias: str, spec: Mapping[str, Any]) -> None:
        path: list[PathPart] = ["contacts", alias]
        kwargs: dict[str, Any] = {"alias": alias, "display_name": spec.get("display_name")}
        if "retry_interval_minutes" in spec:
            kwargs["default_retry_interval"] = cdk.Duration.minutes(spec["retry_interval_minutes"])
        if "defer_activation" in spec:
            kwargs["defer_activation"] = spec["defer_activation"]
        with self.doc.at(path):
            contact = Contact(self.scope, self.construct_id(path, spec, alias), **kwargs)
        for index, channel in enumerate(spec.get("channels") or []):
            kind = next(k for k in ("email", "sms", "voice") if k in channel)
            retry = channel.get("retry_interval_minutes")
            with self.doc.at(path + ["channels", index]):
                try:
                    add = {"email": contact.add_email_channel, "sms": contact.add_sms_channel, "voice": contact.add_voice_channel}[kind]
                    add(
                        channel["name"],
                        channel[kind],
                        engage_after=cdk.Duration.minutes(channel.get("engage_after_minutes", 0)),
                        retry_interval=None if retry is None else cdk.Duration.minutes(retry),
                    )
                except ValidationError as error:
                    field = kind if "address of channel" in str(error) else "name"
                    raise self.doc.fail(path + ["channels", index, field], str(error)) from None
        self.result.contacts[alias] = contact

    def rotation(self, name: str, spec: Mapping[str, Any]) -> None:
        path: list[PathPart] = ["rotations", name]
        contacts = [self.reference(path + ["contacts", i], ref, people_only=True) for i, ref in enumerate(spec["contacts"])]
        recurrence_spec = spec["recurrence"]
        every = recurrence_spec["every"]
        needed = {"week": "day_of_week", "month": "day_of_month"}.get(every)
        if needed is not None and needed not in recurrence_spec:
            raise self.doc.fail(path + ["recurrence"], f"missing key {needed!r}: a rotation handing off every {every} needs it.")
        if every == "day":
            recurrence = RotationRecurrence.daily(hand_off_time=recurrence_spec["hand_off_time"])
        elif every == "week":
            recurrence = RotationRecurrence.weekly(
                day_of_week=recurrence_spec["day_of_week"], hand_off_time=recurrence_spec["hand_off_time"]
            )
        else:
            recurrence = RotationRecurrence.monthly(
                day_of_month=recurrence_spec["day_of_month"], hand_off_time=recurrence_spec["hand_off_time"]
            )
        coverage = [ShiftCoverage(c["day_of_week"], c["start"], c["end"]) for c in spec.get("shift_coverage") or []]
        with self.doc.at(path):
            rotation = Rotation(
                self.scope,
                self.construct_id(path, spec, name),
                rotation_name=name,
                contacts=contacts,
                start_time=spec["start_time"],
                time_zone=spec["time_zone"],
                recurrence=recurrence,
                number_of_on_calls=spec.get("number_of_on_calls", 1),
                recurrence_multiplier=spec.get("recurrence_multiplier", 1),
                shift_coverage=coverage or None,
            )
        self.result.rotations[name] = rotation

    def schedule(self, alias: str, spec: Mapping[str, Any]) -> None:
        path: list[PathPart] = ["schedules", alias]
        rotations = []
        for index, ref in enumerate(spec["rotations"]):
            rotation = self.result.rotations.get(ref)
            if rotation is None:
                raise self.doc.fail(
                    path + ["rotations", index], f"{ref!r} is not a rotation of this file; rotations: {_names(self.result.rotations)}."
                )
            rotations.append(rotation)
        with self.doc.at(path):
            schedule = OnCallSchedule(
                self.scope,
                self.construct_id(path, spec, alias),
                alias=alias,
                display_name=spec.get("display_name"),
                rotations=rotations,
            )
        self.result.schedules[alias] = schedule

    def escalation_plan(self, alias: str, spec: Mapping[str, Any]) -> None:
        path: list[PathPart] = ["escalation_plans", alias]
        with self.doc.at(path):
            plan = EscalationPlan(
                self.scope, self.construct_id(path, spec, alias), alias=alias, display_name=spec.get("display_name")
            )
        for index, stage in enumerate(spec["stages"]):
            stage_path = path + ["stages", index]
            contacts = [self.reference(stage_path + ["contacts", i], ref) for i, ref in enumerate(stage["contacts"])]
            with self.doc.at(stage_path):
                plan.add_stage(
                    EscalationStage(
                        contacts=contacts,
                        duration=cdk.Duration.minutes(stage.get("duration_minutes", 5)),
                        acknowledgement_stops_progression=stage.get("acknowledgement_stops_progression", False),
                    )
                )
        self.result.escalation_plans[alias] = plan

    def runbook(self, name: str, spec: Mapping[str, Any]) -> None:
        path: list[PathPart] = ["runbooks", name]
        construct_id = self.construct_id(path, spec, name)
        if "file" in spec:
            file = self.doc.directory / spec["file"]
            with self.doc.at(path + ["file"]):
                runbook = Runbook.from_yaml_file(self.scope, construct_id, file, document_name=name)
        else:
            steps: list[RunbookStep] = []
            seen: set[str] = set()
            for index, step in enumerate(spec["steps"]):
                options = {k: v for k, v in step.items() if k not in ("name", "action", "inputs")}
                with self.doc.at(path + ["steps", index]):
                    built = RunbookStep(step["name"], step["action"], step.get("inputs") or {}, **options)
                    check_step(Checker(_format_path(path), "Runbook"), index, built.to_dict(), seen)
                steps.append(built)
            with self.doc.at(path):
                runbook = Runbook(
                    self.scope,
                    construct_id,
                    document_name=name,
                    description=spec.get("description"),
                    parameters=spec.get("parameters"),
                    steps=steps,
                )
        self.result.runbooks[name] = runbook

    def response_plan(self, name: str, spec: Mapping[str, Any]) -> None:
        path: list[PathPart] = ["response_plans", name]
        engagements = [self.reference(path + ["engagements", i], ref) for i, ref in enumerate(spec.get("engagements") or [])]
        runbook: Optional[IRunbook] = None
        if "runbook" in spec:
            runbook = self.result.runbooks.get(spec["runbook"])
            if runbook is None:
                raise self.doc.fail(
                    path + ["runbook"], f"{spec['runbook']!r} is not a runbook of this file; runbooks: {_names(self.result.runbooks)}."
                )
        impact = spec["impact"]
        kwargs: dict[str, Any] = {
            key: spec[key]
            for key in ("display_name", "summary", "dedupe_string", "runbook_parameters", "incident_tags", "tags")
            if key in spec
        }
        if "target_account" in spec:
            kwargs["target_account"] = TargetAccount(spec["target_account"])
        with self.doc.at(path):
            plan = ResponsePlan(
                self.scope,
                self.construct_id(path, spec, name),
                response_plan_name=name,
                title=spec["title"],
                impact=_IMPACTS[impact] if isinstance(impact, str) else Impact(impact),
                engagements=engagements,
                runbook=runbook,
                **kwargs,
            )
        self.result.response_plans[name] = plan

    def chat_channel(self, name: str, spec: Mapping[str, Any]) -> None:
        path: list[PathPart] = ["chat_channels", name]
        with self.doc.at(path):
            channel = SlackChatChannel(
                self.scope,
                self.construct_id(path, spec, name),
                slack_workspace_id=spec["slack_workspace_id"],
                slack_channel_id=spec["slack_channel_id"],
                slack_channel_configuration_name=name,
            )
        self.result.chat_channels[name] = channel
        for plan_name, plan_spec in (self.doc.data.get("response_plans") or {}).items():
            if name in (plan_spec.get("chat_channels") or []):
                with self.doc.at(["response_plans", plan_name, "chat_channels"]):
                    channel.add_response_plan(self.result.response_plans[plan_name])

    def _check_chat_references(self) -> None:
        known = set((self.doc.data.get("chat_channels") or {}))
        for plan_name, plan_spec in (self.doc.data.get("response_plans") or {}).items():
            for index, ref in enumerate(plan_spec.get("chat_channels") or []):
                if ref not in known:
                    raise self.doc.fail(
                        ["response_plans", plan_name, "chat_channels", index],
                        f"{ref!r} is not a chat channel of this file; chat channels: {', '.join(sorted(known)) or 'none'}.",
                    )

    def replication_set(self, spec: Mapping[str, Any]) -> None:
        path: list[PathPart] = ["replication_set"]
        construct_id = self.construct_id(path, spec, "ReplicationSet")
        with self.doc.at(path):
            if spec.get("existing"):
                self.result.replication_set = ReplicationSet.from_existing(
                    self.scope, construct_id, replication_set_arn=spec.get("arn")
                )
            else:
                self.result.replication_set = ReplicationSet(
                    self.scope,
                    construct_id,
                    regions=spec["regions"],
                    deletion_protected=spec.get("deletion_protected", True),
                )

    # -- references ----------------------------------------------------------------------------
    def reference(self, path: list[PathPart], ref: str, *, people_only: bool = False) -> IContact:
        found: Optional[IContact] = self.result.contacts.get(ref)
        if found is None and not people_only:
            found = self.result.schedules.get(ref) or self.result.escalation_plans.get(ref)
        if found is not None:
            return found
        if ref.startswith("arn:"):
            existing = self._imports.get(ref)
            if existing is None:
                with self.doc.at(path):
                    existing = Contact.from_contact_arn(self.scope, f"Imported{_pascal(ref.rsplit('/', 1)[-1])}", ref)
                self._imports[ref] = existing
            return existing
        kinds = "contacts" if people_only else "contacts, schedules and escalation plans defined above"
        known = list(self.result.contacts) if people_only else [
            *self.result.contacts, *self.result.schedules, *self.result.escalation_plans
        ]
        raise self.doc.fail(
            path,
            f"{ref!r} is not one of the {kinds} of this file ({', '.join(known) or 'none'}); "
            "an existing contact is named by its ARN.",
        )


def _names(items: Mapping[str, Any]) -> str:
    return ", ".join(items) or "none"


def build_organisation(scope: Construct, file: Union[str, pathlib.Path]) -> Organisation:
    """Build the organisation described by ``file`` directly in ``scope`` (a stack, usually).

    Each construct's id is its ``id:`` in the file or, by default, its key in PascalCase
    (``incident-responder`` becomes ``IncidentResponder``), so a stack built from the file has the
    logical ids of the same stack written by hand with those ids.

    :raises OrganisationFileError: the file breaks the schema or a rule of the service; the message
        names the file, line and column.
    """
    return _Builder(scope, _load(file)).build()


class OnCallOrganisation(Construct):
    """The organisation described by an organisation file, built inside this construct.

    The constructs are children of this one (their logical ids therefore differ from
    :func:`build_organisation` on a stack); they are available by their keys in the file.

    :param file: the organisation file (YAML).
    """

    def __init__(self, scope: Construct, id: str, *, file: Union[str, pathlib.Path]) -> None:
        super().__init__(scope, id)
        #: What was built, by key.
        self.organisation = build_organisation(self, file)

    @property
    def contacts(self) -> dict[str, Contact]:
        return self.organisation.contacts

    @property
    def rotations(self) -> dict[str, Rotation]:
        return self.organisation.rotations

    @property
    def schedules(self) -> dict[str, OnCallSchedule]:
        return self.organisation.schedules

    @property
    def escalation_plans(self) -> dict[str, EscalationPlan]:
        return self.organisation.escalation_plans

    @property
    def runbooks(self) -> dict[str, Runbook]:
        return self.organisation.runbooks

    @property
    def response_plans(self) -> dict[str, ResponsePlan]:
        return self.organisation.response_plans

    @property
    def chat_channels(self) -> dict[str, SlackChatChannel]:
        return self.organisation.chat_channels

    @property
    def replication_set(self) -> Optional[IReplicationSet]:
        return self.organisation.replication_set
