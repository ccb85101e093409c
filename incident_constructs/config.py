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

Every problem the schema finds is reported at once, and the construct checks of a section
(all contacts, say) together. Reading is bounded before anything walks the document: the file
size (:data:`MAX_FILE_BYTES`), the nesting (:data:`MAX_DEPTH`) and the number of values once
YAML aliases are expanded (:data:`MAX_NODES`) are checked while the YAML is composed; keys must
be text, values of JSON's types; a file that is not UTF-8 or is empty is refused. A runbook
``file:`` must lie in the organisation file's folder (or the ``runbook_directory`` given), and
nothing of its content appears in a message. Channel addresses are masked in every message,
whatever YAML type they arrived as.
"""

from __future__ import annotations

import codecs
import contextlib
import copy
import dataclasses
import functools
import json
import pathlib
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import aws_cdk as cdk
import jsonschema
import yaml
from constructs import Construct

from ._validation import Checker, ValidationError
from .contacts.contact import ALIAS_PATTERN, ALIAS_RULE, CHANNEL_NAME_RULE, DISPLAY_NAME_RULE, Contact, IContact
from .contacts.escalation import EscalationPlan, EscalationStage
from .contacts.rotation import Rotation, RotationRecurrence, ShiftCoverage
from .contacts.schedule import OnCallSchedule
from .core.masking import mask_value
from .integrations import SlackChatChannel
from .response.replication_set import IReplicationSet, ReplicationSet
from .response.response_plan import NAME_RULE as RESPONSE_PLAN_NAME_RULE
from .response.response_plan import Impact, ResponsePlan, TargetAccount
from .response.runbook import DOCUMENT_NAME_RULE, IRunbook, Runbook, RunbookStep, check_step

__all__ = [
    "OnCallOrganisation",
    "Organisation",
    "OrganisationFileError",
    "OrganisationProblem",
    "build_organisation",
    "load_organisation",
    "organisation_json_schema",
]

PathPart = str | int

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
                "engage_after_minutes": {"type": "integer", "minimum": 0, "maximum": 1440},
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
                "number_of_on_calls": {"type": "integer", "minimum": 1, "maximum": 30},
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
                "file": {
                    "type": "string",
                    "minLength": 1,
                    "description": "A YAML or JSON document, relative to this file.",
                },
                "description": {"type": "string", "minLength": 1},
                "parameters": {"type": "object", "additionalProperties": {"type": "object", "required": ["type"]}},
                "steps": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/step"}},
            },
            "oneOf": [
                {"required": ["steps"], "not": {"required": ["file"]}},
                {
                    "required": ["file"],
                    "not": {
                        "anyOf": [{"required": ["steps"]}, {"required": ["description"]}, {"required": ["parameters"]}]
                    },
                },
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
                    "additionalProperties": {
                        "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
                    },
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
                "slack_channel_id": {
                    "type": "string",
                    "pattern": "^[A-Za-z0-9]{1,256}$",
                    "x-rule": "like C012ABCDEFG.",
                },
            },
        },
        "replication_set": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "id": _CONSTRUCT_ID,
                "regions": {
                    "type": "array",
                    "items": {"type": "string"},
                    "minItems": 1,
                    "maxItems": 3,
                    "uniqueItems": True,
                },
                "deletion_protected": {"type": "boolean"},
                "existing": {"const": True, "description": "Use the account's existing replication set."},
                "arn": {"type": "string", "description": "The existing replication set's ARN."},
            },
            "oneOf": [
                {"required": ["regions"], "not": {"anyOf": [{"required": ["existing"]}, {"required": ["arn"]}]}},
                {
                    "required": ["existing"],
                    "not": {"anyOf": [{"required": ["regions"]}, {"required": ["deletion_protected"]}]},
                },
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
    the document and what is allowed; :attr:`problems` holds them one by one. The message shows
    the first :attr:`SHOWN` problems and counts the others.
    """

    #: How many problems the message lists (:attr:`problems` has them all).
    SHOWN = 50

    def __init__(self, problems: Sequence[OrganisationProblem]) -> None:
        self.problems = list(problems)
        lines = [str(p) for p in self.problems[: self.SHOWN]]
        if len(self.problems) > self.SHOWN:
            lines.append(f"... and {len(self.problems) - self.SHOWN} more problems")
        super().__init__("\n".join(lines))


def _format_path(path: Sequence[PathPart]) -> str:
    """``contacts.alice.channels[1].sms``; a key under a channel that does not look like a field
    name (an address written as a key, say) is masked."""
    text = ""
    for index, part in enumerate(path):
        if isinstance(part, int):
            text += f"[{part}]"
            continue
        if index >= 4 and _is_personal(path[: index + 1]) and not _PLAIN_KEY.fullmatch(part):
            part = mask_value(part).strip("'")
        part = _short_text(part)
        text += f".{part}" if text else str(part)
    return text


# -- the document ----------------------------------------------------------------------------

#: The largest organisation file (and runbook file) read, in bytes.
MAX_FILE_BYTES = 5 * 1024 * 1024
#: How deeply lists and mappings may nest in an organisation file (a runbook step's inputs
#: included); checked while the YAML is composed, before anything walks it.
MAX_DEPTH = 50
#: How many values (scalars, lists, mappings) a file may hold once its aliases (``*name``) are
#: expanded; checked while the YAML is composed, so a "billion laughs" file of a few hundred
#: bytes is refused in milliseconds instead of expanding to gigabytes.
MAX_NODES = 100_000

_TAG = "tag:yaml.org,2002:"
#: Scalars read as text, numbers, booleans and null; timestamps stay text (a rotation's start
#: is wall-clock time), ``=`` too.
_SCALAR_TAGS = frozenset(_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "value"))
#: Keys: text only (timestamps and ``=`` are kept as text).
_KEY_TAGS = frozenset(_TAG + t for t in ("str", "timestamp", "value"))
_MERGE_TAG = _TAG + "merge"
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")


class _FileProblem(Exception):
    """A problem found while composing the YAML, at a mark."""

    def __init__(self, mark: yaml.Mark | None, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


class _Loader(yaml.SafeLoader):  # type: ignore[misc]
    """Safe YAML with timestamps kept as strings (a rotation's start_time is local wall-clock
    time), and bounds checked while the node graph is composed: nesting depth
    (:data:`MAX_DEPTH`), the number of values once aliases are expanded (:data:`MAX_NODES`), and
    aliases that refer to the node containing them."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._sizes: dict[int, int] = {}
        self._open: set[str] = set()

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self._open:
                raise _FileProblem(
                    event.start_mark,
                    f"the alias *{_short_text(str(event.anchor))} refers to the value that contains it (a recursive "
                    "alias); an alias must refer to a value defined before it, outside it.",
                )
            node: yaml.Node = super().compose_node(parent, index)
            return node
        anchor = getattr(event, "anchor", None)
        nests = not isinstance(event, yaml.ScalarEvent)
        self._depth += nests
        try:
            if self._depth > MAX_DEPTH:
                raise _FileProblem(
                    event.start_mark,
                    f"lists and mappings nest more than {MAX_DEPTH} levels deep here; an organisation file needs far fewer.",
                )
            if anchor is not None:
                self._open.add(anchor)
            node = super().compose_node(parent, index)
        finally:
            self._depth -= nests
            if anchor is not None:
                self._open.discard(anchor)
        size = 1
        if isinstance(node, yaml.MappingNode):
            size += sum(self._sizes.get(id(k), 1) + self._sizes.get(id(v), 1) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            size += sum(self._sizes.get(id(item), 1) for item in node.value)
        if size > MAX_NODES:
            raise _FileProblem(
                node.start_mark,
                f"this value holds more than {MAX_NODES:,} values once its aliases (*name) are expanded; "
                "an organisation file holds far fewer (aliases of aliases multiply: a 'billion laughs' file?).",
            )
        self._sizes[id(node)] = size
        return node


_Loader.add_constructor(_TAG + "timestamp", lambda loader, node: loader.construct_scalar(node))
_Loader.add_constructor(_TAG + "value", lambda loader, node: loader.construct_scalar(node))


def _short_text(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _is_personal(path: Sequence[PathPart]) -> bool:
    """True for values that may hold a channel address: anything under a contact's ``channels``
    (an address may be written in the wrong key, or as a channel)."""
    return len(path) >= 3 and path[0] == "contacts" and path[2] == "channels"


def _show(value: Any, path: Sequence[PathPart]) -> str:
    """A value for a message: masked where it may be personal (but for numbers of at most six
    characters, too short for an address), short everywhere."""
    if _is_personal(path):
        if isinstance(value, (int, float)) and not isinstance(value, bool) and len(repr(value)) <= 6:
            return repr(value)
        return mask_value(value)
    return _short(value)


def _show_key(key: str, path: Sequence[PathPart]) -> str:
    """A key for a message: keys under a channel are shown only when they look like a field name."""
    if _is_personal(path) and not _PLAIN_KEY.fullmatch(key):
        return mask_value(key)
    return repr(_short_text(key))


@dataclasses.dataclass
class _Document:
    file: str
    directory: pathlib.Path
    data: dict[str, Any]
    root: yaml.Node | None

    def node(self, path: Sequence[PathPart], *, key: bool = False) -> yaml.Node | None:
        """The node at ``path`` (or, with ``key``, the key node of its last part)."""
        node = self.root
        key_node: yaml.Node | None = None
        for part in path:
            if isinstance(node, yaml.MappingNode):
                # The last one: a key given after a merge (<<) overrides the merged one.
                found = None
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == str(part):
                        found = (k, v)
                if found is None:
                    return node
                key_node, node = found
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
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

    def fail(self, path: Sequence[PathPart], message: str, *, key: bool = False) -> OrganisationFileError:
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


def _mark_problem(
    file: str, mark: yaml.Mark | None, message: str, path: Sequence[PathPart] = ()
) -> OrganisationProblem:
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return OrganisationProblem(file, line, column, _format_path(path), message)


def _key_problem(file: str, key: yaml.Node, path: list[PathPart]) -> OrganisationProblem | None:
    """A key that is not text (a number, a boolean, null, a list or a mapping)."""
    if isinstance(key, yaml.ScalarNode) and key.tag in _KEY_TAGS:
        return None
    if not isinstance(key, yaml.ScalarNode):
        return _mark_problem(file, key.start_mark, "a key must be text, not a list or a mapping.", path)
    text = str(key.value)
    shown = mask_value(text) if _is_personal(path + [text]) else repr(_short_text(text))
    if key.tag == _TAG + "bool":
        what = f"the key {shown} is read as a boolean (YAML reads yes, no, on, off, true and false so)"
    elif key.tag == _TAG + "null":
        what = "the key is empty or null"
    elif key.tag in (_TAG + "int", _TAG + "float"):
        what = f"the key {shown} is read as a number"
    else:
        what = f"the key {shown} is tagged {_short_text(str(key.tag))}"
    return _mark_problem(file, key.start_mark, f"{what}; keys are text: put it in quotes.", path + [text])


def _check_nodes(file: str, root: yaml.Node) -> tuple[list[OrganisationProblem], bool]:
    """Keys that are not text, tags outside JSON's types, overlong numbers and duplicate keys,
    each node visited once (aliases are not expanded again). The flag is True when the data
    cannot be checked against the schema (a key or a value of another type)."""
    problems: list[OrganisationProblem] = []
    fatal = False
    seen: set[int] = set()
    pending: list[tuple[yaml.Node, list[PathPart]]] = [(root, [])]
    while pending:
        node, path = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if node.tag not in _SCALAR_TAGS:
                fatal = True
                problems.append(
                    _mark_problem(
                        file,
                        node.start_mark,
                        f"the tag {_short_text(str(node.tag))} is not allowed: values are text, numbers, booleans, "
                        "lists and mappings.",
                        path,
                    )
                )
            elif node.tag in (_TAG + "int", _TAG + "float") and len(str(node.value)) > 40:
                fatal = True
                problems.append(
                    _mark_problem(file, node.start_mark, "a number of more than 40 characters is not allowed.", path)
                )
        elif isinstance(node, yaml.SequenceNode):
            if node.tag != _TAG + "seq":
                fatal = True
                problems.append(
                    _mark_problem(
                        file,
                        node.start_mark,
                        f"the tag {_short_text(str(node.tag))} is not allowed: use a plain list.",
                        path,
                    )
                )
            for index in range(len(node.value) - 1, -1, -1):
                pending.append((node.value[index], path + [index]))
        elif isinstance(node, yaml.MappingNode):
            if node.tag != _TAG + "map":
                fatal = True
                problems.append(
                    _mark_problem(
                        file,
                        node.start_mark,
                        f"the tag {_short_text(str(node.tag))} is not allowed: use a plain mapping.",
                        path,
                    )
                )
            keys: set[str] = set()
            children: list[tuple[yaml.Node, list[PathPart]]] = []
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag == _MERGE_TAG:
                    # The merged mapping's keys count as this mapping's, and may be overridden here.
                    children.append((value, path))
                    continue
                problem = _key_problem(file, key, path)
                if problem is not None:
                    fatal = True
                    problems.append(problem)
                    continue
                name = str(key.value)
                if name in keys:
                    problems.append(
                        _mark_problem(
                            file,
                            key.start_mark,
                            f"key {_show_key(name, path + [name])} appears more than once in this mapping; each key at most once.",
                            path + [name],
                        )
                    )
                keys.add(name)
                children.append((value, path + [name]))
            pending.extend(reversed(children))
    return problems, fatal


def _decode(name: str, raw: bytes) -> str:
    """The text of a UTF-8 file; an :class:`OrganisationFileError` at the first byte that is not."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "UTF-32"),
        (codecs.BOM_UTF32_BE, "UTF-32"),
        (codecs.BOM_UTF16_LE, "UTF-16"),
        (codecs.BOM_UTF16_BE, "UTF-16"),
    ):
        if raw.startswith(bom):
            raise OrganisationFileError(
                [
                    OrganisationProblem(
                        name,
                        1,
                        1,
                        "",
                        f"the file is {encoding} text (it starts with a {encoding} byte order mark); save it as UTF-8.",
                    )
                ]
            )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise OrganisationFileError(
            [
                OrganisationProblem(
                    name,
                    line,
                    column,
                    "",
                    f"the file is not UTF-8 text (byte 0x{raw[error.start]:02X} here); save it as UTF-8.",
                )
            ]
        ) from None
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        at = text.index("\x00")
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        raise OrganisationFileError(
            [
                OrganisationProblem(
                    name,
                    line,
                    column,
                    "",
                    "the file holds NUL characters (UTF-16 text without a byte order mark?); save it as UTF-8.",
                )
            ]
        )
    return text


def _read(name: str, path: pathlib.Path, what: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise OrganisationFileError(
                [
                    OrganisationProblem(
                        name, 1, 1, "", f"the {what} is {size:,} bytes; at most {MAX_FILE_BYTES:,} are read."
                    )
                ]
            )
        with path.open("rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise OrganisationFileError(
            [OrganisationProblem(name, 1, 1, "", f"cannot read the {what}: {error.strerror or type(error).__name__}.")]
        ) from None


def _parse(name: str, text: str) -> tuple[yaml.Node | None, Any, list[OrganisationProblem]]:
    """The node graph, the data and the problems of a YAML text, bounded (see :class:`_Loader`).

    The node graph is checked (:func:`_check_nodes`) before it is constructed: constructing
    merges ``<<`` keys into the mappings, and a key or tag of the wrong kind must not reach
    the schema. The data is None when a problem makes it unreadable.
    """
    problems: list[OrganisationProblem] = []
    try:
        loader = _Loader(text)  # the reader refuses control characters here
        try:
            root = loader.get_single_node()
            data = None
            if root is not None:
                problems, fatal = _check_nodes(name, root)
                if not fatal:
                    data = loader.construct_document(root)
        finally:
            loader.dispose()
    except _FileProblem as problem:
        raise OrganisationFileError([_mark_problem(name, problem.mark, problem.message)]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        detail = error.problem or error.context or "not YAML"
        raise OrganisationFileError([_mark_problem(name, mark, f"not valid YAML: {detail}.")]) from None
    except yaml.reader.ReaderError as error:
        at = min(max(int(error.position), 0), len(text))
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        raise OrganisationFileError(
            [
                OrganisationProblem(
                    name,
                    line,
                    column,
                    "",
                    f"not valid YAML: the character #x{int(error.character):04x} is not allowed.",
                )
            ]
        ) from None
    except yaml.YAMLError as error:
        raise OrganisationFileError(
            [OrganisationProblem(name, 1, 1, "", f"not valid YAML: {_short_text(str(error), 200)}")]
        ) from None
    except (RecursionError, ValueError, TypeError, OverflowError) as error:
        # Merge keys chained too far, or a value the constructor cannot build.
        raise OrganisationFileError(
            [OrganisationProblem(name, 1, 1, "", f"not valid YAML: a value cannot be read ({type(error).__name__}).")]
        ) from None
    return root, data, problems


def load_organisation(
    file: str | pathlib.Path, *, runbook_directory: str | pathlib.Path | None = None
) -> dict[str, Any]:
    """Read and check an organisation file against the schema; return its data.

    :param runbook_directory: the folder that runbook ``file:`` entries must lie in (symbolic
        links resolved). Default: the organisation file's folder.
    :raises OrganisationFileError: the file cannot be read, is not UTF-8 YAML within the bounds
        (:data:`MAX_FILE_BYTES`, :data:`MAX_DEPTH`, :data:`MAX_NODES`), or breaks the schema;
        every problem found is listed, each at its file:line:column.
    """
    return _load(file, runbook_directory=runbook_directory).data


def _load(file: str | pathlib.Path, *, runbook_directory: str | pathlib.Path | None = None) -> _Document:
    path = pathlib.Path(file)
    name = str(file)
    text = _decode(name, _read(name, path, "organisation file"))
    root, data, problems = _parse(name, text)
    sections = ", ".join(_SCHEMA["properties"])
    if root is None or (data is None and not problems):
        raise OrganisationFileError(
            [
                OrganisationProblem(
                    name, 1, 1, "", f"the file is empty: it must hold a mapping of sections ({sections})."
                )
            ]
        )
    document = _Document(name, path.parent, data if isinstance(data, dict) else {}, root)
    if not isinstance(root, yaml.MappingNode):
        raise document.fail([], f"the file must hold a mapping of sections ({sections}), not {_describe_node(root)}.")
    if data is not None:
        problems.extend(_schema_problem(document, e) for e in _validator().iter_errors(document.data))
        if not data and not problems:
            problems.append(document.problem([], f"the file defines nothing: give at least one section ({sections})."))
    if not problems:
        problems.extend(_runbook_file_problems(document, runbook_directory))
    if problems:
        problems.sort(key=lambda p: (p.line, p.column))
        raise OrganisationFileError(problems)
    return document


def _describe_node(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.ScalarNode):
        return {_TAG + "str": "text", _TAG + "bool": "a boolean", _TAG + "null": "null"}.get(str(node.tag), "a number")
    return "a mapping"


def _runbook_file_problems(
    document: _Document, runbook_directory: str | pathlib.Path | None
) -> Iterator[OrganisationProblem]:
    """Runbook files: inside the allowed folder, readable, UTF-8, and YAML or JSON within the
    bounds. Nothing of a file's content is written in a message: the file may be anything."""
    runbooks = document.data.get("runbooks") or {}
    if not any("file" in spec for spec in runbooks.values()):
        return
    base_given = pathlib.Path(runbook_directory) if runbook_directory is not None else document.directory
    try:
        base = base_given.resolve()
    except (OSError, RuntimeError):
        base = base_given.absolute()
    for runbook_name, spec in runbooks.items():
        if "file" not in spec:
            continue
        where: list[PathPart] = ["runbooks", runbook_name, "file"]
        given = spec["file"]
        try:
            resolved = (document.directory / given).resolve()
            inside = resolved.is_relative_to(base)
        except (OSError, RuntimeError, ValueError):
            inside = False
        if not inside:
            yield document.problem(
                where,
                f"the runbook file {_short(given)} is not inside {base}; runbook files must lie in that folder or below it.",
            )
            continue
        if not resolved.is_file():
            yield document.problem(
                where,
                f"cannot read runbook file {_short(given)}: it does not exist (paths are relative to {document.directory}).",
            )
            continue
        try:
            raw = _read(document.file, resolved, "runbook file")
            content_text = _decode(document.file, raw)
        except OrganisationFileError as error:
            reason = error.problems[0].message if error.problems else "cannot be read"
            yield document.problem(where, f"runbook file {_short(given)}: {reason}")
            continue
        if resolved.suffix.lower() == ".json":
            try:
                json.loads(content_text)
            except RecursionError:
                yield document.problem(where, f"runbook file {_short(given)} nests values too deeply.")
            except json.JSONDecodeError as error:
                yield document.problem(
                    where,
                    f"runbook file {_short(given)} is not valid JSON ({error.msg} at its line {error.lineno}, column {error.colno}).",
                )
            continue
        try:
            _, _, inner_problems = _parse(str(given), content_text)
            if inner_problems:
                raise OrganisationFileError(inner_problems)
        except OrganisationFileError as error:
            inner = error.problems[0]
            # The parser's own words only: never a line of the file.
            yield document.problem(
                where, f"runbook file {_short(given)} at its line {inner.line}, column {inner.column}: {inner.message}"
            )


def _schema_problem(document: _Document, error: Any) -> OrganisationProblem:
    path: list[PathPart] = list(error.absolute_path)
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    validator = error.validator
    instance = error.instance
    custom = (schema.get("x-error") or {}).get(validator)
    rule = schema.get("x-rule")
    personal = _is_personal(path)
    if custom:
        return document.problem(path, custom)
    if validator == "additionalProperties" and isinstance(instance, dict):
        keys = sorted(schema.get("properties", {}))
        extras = [k for k in instance if k not in keys]
        key = str(extras[0]) if extras else "?"
        allowed_text = ", ".join(keys) if keys else "none"
        return document.problem(
            path + [key], f"unknown key {_show_key(key, path + [key])}; allowed keys: {allowed_text}.", key=True
        )
    if "propertyNames" in error.absolute_schema_path:
        text = rule or error.message
        return document.problem(
            path + [str(instance)], f"name {_show(instance, path)} is not allowed: {text}", key=True
        )
    if validator == "required":
        missing = [k for k in schema.get("required", []) if not isinstance(instance, dict) or k not in instance]
        return document.problem(
            path, f"missing key {missing[0] if missing else '?'!r} (required: {', '.join(schema.get('required', []))})."
        )
    shown = _show(instance, path)
    if validator == "type":
        hint = _as_read(document, path, instance) if "string" in str(error.validator_value) else ""
        return document.problem(path, f"{shown}{hint} is not allowed: {_a(error.validator_value)} is required.")
    if validator in ("enum", "const"):
        values = error.validator_value if validator == "enum" else [error.validator_value]
        return document.problem(path, f"{shown} is not allowed: one of {', '.join(map(str, values))}.")
    if validator == "pattern" and rule:
        return document.problem(path, f"{shown} is not allowed: {rule}")
    if validator in ("minimum", "maximum"):
        low, high = schema.get("minimum"), schema.get("maximum")
        allowed = (
            f"{low} to {high}"
            if low is not None and high is not None
            else (f"at least {low}" if low is not None else f"at most {high}")
        )
        return document.problem(path, f"{shown} is not allowed: {allowed}.")
    if validator in ("minLength", "maxLength", "minItems", "maxItems", "maxProperties", "minProperties", "uniqueItems"):
        words = {
            "minLength": f"at least {error.validator_value} characters",
            "maxLength": f"at most {error.validator_value} characters",
            "minItems": f"at least {error.validator_value} items",
            "maxItems": f"at most {error.validator_value} items",
            "minProperties": f"at least {error.validator_value} keys",
            "maxProperties": f"at most {error.validator_value} keys",
            "uniqueItems": "each item at most once",
        }
        suffix = f" ({rule})" if rule else ""
        return document.problem(path, f"{shown} is not allowed: {words[validator]}{suffix}.")
    suffix = f" ({rule})" if rule else ""
    if personal:
        return document.problem(path, f"{shown} is not allowed here{suffix}.")
    return document.problem(path, f"{_short_text(error.message, 200)}{suffix}.")


def _a(type_name: Any) -> str:
    names = type_name if isinstance(type_name, list) else [type_name]
    words = {
        "object": "a mapping",
        "array": "a list",
        "string": "a string",
        "integer": "an integer",
        "number": "a number",
        "boolean": "a boolean",
    }
    return " or ".join(words.get(str(n), f"a {n}") for n in names)


def _as_read(document: _Document, path: Sequence[PathPart], instance: Any) -> str:
    """Where text is required and YAML read a plain scalar as a number, a boolean or null: the
    text as written (unless personal) and the advice to quote it."""
    if not isinstance(instance, (bool, int, float, type(None))):
        return ""
    node = document.node(path)
    if not isinstance(node, yaml.ScalarNode) or node.style is not None:
        return ""
    written = str(node.value)
    if written != str(instance) and not _is_personal(path):
        return f" (written {_short_text(written, 40)}; put it in quotes to keep it as text)"
    return " (put it in quotes to keep it as text)"


def _short(value: Any) -> str:
    try:
        text = repr(value)
    except RecursionError:  # pragma: no cover - values are bounded when read
        text = f"<{type(value).__name__}>"
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
    replication_set: IReplicationSet | None = None


_IMPACTS = {
    "critical": Impact.CRITICAL,
    "high": Impact.HIGH,
    "medium": Impact.MEDIUM,
    "low": Impact.LOW,
    "no_impact": Impact.NO_IMPACT,
}


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
            raise self.doc.fail(
                where, f"construct id {construct_id!r} is already used by {owner}; give this one an 'id:'."
            )
        existing = self.scope.node.try_find_child(construct_id)
        if existing is not None:
            raise self.doc.fail(where, f"construct id {construct_id!r} is already used in {self.scope.node.path}.")
        self._ids[construct_id] = _format_path(path)
        return construct_id

    def build(self) -> Organisation:
        data = self.doc.data
        # Every entry of a section is built and the section's problems reported together; later
        # sections refer to earlier ones, so the build stops after a section with problems.
        self._each("contacts", self.contact)
        self._each("rotations", self.rotation)
        self._each("schedules", self.schedule)
        self._each("escalation_plans", self.escalation_plan)
        self._each("runbooks", self.runbook)
        self._each("response_plans", self.response_plan)
        self._check_chat_references()
        self._each("chat_channels", self.chat_channel)
        if data.get("replication_set") is not None:
            self.replication_set(data["replication_set"])
        return self.result

    def _each(self, section: str, build: Any) -> None:
        """``build(key, spec)`` for every entry of ``section``; their problems raised together."""
        problems: list[OrganisationProblem] = []
        for key, spec in (self.doc.data.get(section) or {}).items():
            try:
                build(key, spec)
            except OrganisationFileError as error:
                problems.extend(error.problems)
        if problems:
            raise OrganisationFileError(sorted(problems, key=lambda p: (p.line, p.column)))

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
                    add = {
                        "email": contact.add_email_channel,
                        "sms": contact.add_sms_channel,
                        "voice": contact.add_voice_channel,
                    }[kind]
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
        contacts = [
            self.reference(path + ["contacts", i], ref, people_only=True) for i, ref in enumerate(spec["contacts"])
        ]
        recurrence_spec = spec["recurrence"]
        every = recurrence_spec["every"]
        needed = {"week": "day_of_week", "month": "day_of_month"}.get(every)
        if needed is not None and needed not in recurrence_spec:
            raise self.doc.fail(
                path + ["recurrence"], f"missing key {needed!r}: a rotation handing off every {every} needs it."
            )
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
                    path + ["rotations", index],
                    f"{ref!r} is not a rotation of this file; rotations: {_names(self.result.rotations)}.",
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
        engagements = [
            self.reference(path + ["engagements", i], ref) for i, ref in enumerate(spec.get("engagements") or [])
        ]
        runbook: IRunbook | None = None
        if "runbook" in spec:
            runbook = self.result.runbooks.get(spec["runbook"])
            if runbook is None:
                raise self.doc.fail(
                    path + ["runbook"],
                    f"{spec['runbook']!r} is not a runbook of this file; runbooks: {_names(self.result.runbooks)}.",
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
        known = set(self.doc.data.get("chat_channels") or {})
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
                self.result.replication_set = ReplicationSet.from_replication_set_attributes(
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
        found: IContact | None = self.result.contacts.get(ref)
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
        known = (
            list(self.result.contacts)
            if people_only
            else [*self.result.contacts, *self.result.schedules, *self.result.escalation_plans]
        )
        raise self.doc.fail(
            path,
            f"{ref!r} is not one of the {kinds} of this file ({', '.join(known) or 'none'}); "
            "an existing contact is named by its ARN.",
        )


def _names(items: Mapping[str, Any]) -> str:
    return ", ".join(items) or "none"


def build_organisation(
    scope: Construct, file: str | pathlib.Path, *, runbook_directory: str | pathlib.Path | None = None
) -> Organisation:
    """Build the organisation described by ``file`` directly in ``scope`` (a stack, usually).

    Each construct's id is its ``id:`` in the file or, by default, its key in PascalCase
    (``incident-responder`` becomes ``IncidentResponder``), so a stack built from the file has the
    logical ids of the same stack written by hand with those ids.

    :param runbook_directory: the folder that runbook ``file:`` entries must lie in (symbolic
        links resolved). Default: the organisation file's folder.
    :raises OrganisationFileError: the file breaks the schema or a rule of the service; the message
        names the file, line and column.
    """
    return _Builder(scope, _load(file, runbook_directory=runbook_directory)).build()


class OnCallOrganisation(Construct):
    """The organisation described by an organisation file, built inside this construct.

    The constructs are children of this one (their logical ids therefore differ from
    :func:`build_organisation` on a stack); they are available by their keys in the file.

    :param file: the organisation file (YAML).
    :param runbook_directory: the folder that runbook ``file:`` entries must lie in. Default: the
        organisation file's folder.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        file: str | pathlib.Path,
        runbook_directory: str | pathlib.Path | None = None,
    ) -> None:
        super().__init__(scope, id)
        #: What was built, by key.
        self.organisation = build_organisation(self, file, runbook_directory=runbook_directory)

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
    def replication_set(self) -> IReplicationSet | None:
        return self.organisation.replication_set
