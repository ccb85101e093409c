"""Read a synthesized cloud assembly (``cdk.out``) into a model of the Incident Manager set-up.

The model holds what the command line needs, with CloudFormation's values: contacts
(personal, escalation plans, on-call schedules) with their channels and stages, rotations,
and response plans with their engagements. References between resources are resolved:
``Fn::GetAtt [LogicalId, Arn]`` and ``Ref`` inside a template, a nested stack's parameters and
outputs (``Fn::GetAtt [NestedStack, Outputs.X]``) across nested stacks, which are read like the
stacks of a stage assembly, and ``Fn::ImportValue`` across the stacks of the assembly; contact
ARNs written out (imported contacts) are matched by alias. Rotation overrides, which
CloudFormation has no resource for, are read from the custom resources that call
``createRotationOverride`` (``AwsCustomResource``: a ``Custom::...`` resource whose ``Create``
property is the SDK call as JSON). What starts incidents and where they are discussed is read
too: AWS Chatbot channels (Slack and Microsoft Teams) and the response plans whose chat topics they
subscribe to, CloudWatch alarms and EventBridge rules whose actions or targets name a response
plan, and AWS RAM shares of response plans and contacts with their principals.

Whatever the files hold, reading them ends in a model or in an :class:`AssemblyError` with one
line saying what is wrong: a manifest or template of an unexpected shape, a file that is too
large (:data:`MAX_FILE_BYTES`) or nested too deeply (:data:`MAX_DEPTH`), a path that leads out of
the assembly's folder. Values of unexpected types deeper in a resource are read as unknown.

Channel addresses are masked when they are read (:func:`incident_constructs.core.masking.mask_address`):
the model never holds an address in clear. This module imports neither ``aws_cdk`` nor anything
that needs Node.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..core.masking import DEPLOY_TIME, mask_address

__all__ = [
    "AlarmInfo",
    "AssemblyError",
    "Channel",
    "ChatChannelInfo",
    "Contact",
    "EventRuleInfo",
    "IncidentSetup",
    "ResourceShareInfo",
    "ResponsePlanInfo",
    "Rotation",
    "RotationOverrideInfo",
    "Stage",
    "Target",
    "load_assembly",
    "load_templates",
]

STACK_ARTIFACT = "aws:cloudformation:stack"
NESTED_ASSEMBLY_ARTIFACT = "cdk:cloud-assembly"
NESTED_STACK_TYPE = "AWS::CloudFormation::Stack"

#: The largest manifest or template read (CloudFormation takes templates of at most 1 MB).
MAX_FILE_BYTES = 20 * 1024 * 1024
#: How deeply JSON values may nest in a manifest or template, and how deeply stage assemblies
#: and nested stacks may nest in one another.
MAX_DEPTH = 100
MAX_NESTING = 20
#: How many references are followed to resolve one value (parameters, outputs, exports).
MAX_HOPS = 50

_ALIAS_IN_ARN = re.compile(r":contact/([a-z0-9_.\-]+)$")
#: A response plan's ARN (``arn:<partition>:ssm-incidents::<account>:response-plan/<name>``): its name.
_PLAN_IN_ARN = re.compile(r":response-plan/([^/]*)$")
#: Resources that RAM shares of Incident Manager hold, when written as ARNs.
_INCIDENT_MANAGER_ARN = re.compile(r":ssm-(incidents|contacts):")
#: Resource types of AWS Chatbot channels, and what the diagram calls them.
CHAT_CHANNEL_TYPES = {
    "AWS::Chatbot::SlackChannelConfiguration": "Slack",
    "AWS::Chatbot::MicrosoftTeamsChannelConfiguration": "Microsoft Teams",
}


class AssemblyError(Exception):
    """The cloud assembly cannot be read, or does not hold what was asked for."""


@dataclass(frozen=True)
class Channel:
    """A contact channel: ``address`` is already masked."""

    key: str
    name: str
    channel_type: str
    address: str


@dataclass(frozen=True)
class Target:
    """One target of a stage: a contact (``kind == "contact"``) or a channel (``"channel"``)."""

    kind: str
    ref: str
    is_essential: bool = False
    retry_interval_minutes: int = 0


@dataclass(frozen=True)
class Stage:
    """A stage of an escalation or engagement plan."""

    duration_minutes: int
    targets: tuple[Target, ...]


@dataclass
class Contact:
    """A contact of any type; ``external`` when it is only referenced (an imported contact)."""

    key: str
    alias: str
    display_name: str
    contact_type: str
    stages: list[Stage] = field(default_factory=list)
    rotation_ids: list[str] = field(default_factory=list)
    channels: list[Channel] = field(default_factory=list)
    external: bool = False


@dataclass(frozen=True)
class RotationOverrideInfo:
    """An override of a rotation, read from its custom resource: ``contact_ids`` are contact
    keys; times are aware (UTC)."""

    key: str
    rotation: str
    start: datetime
    end: datetime
    contact_ids: tuple[str, ...]


@dataclass(frozen=True)
class Rotation:
    """An on-call rotation; ``contact_ids`` are contact keys, in shift order; ``overrides`` in
    order of their start."""

    key: str
    name: str
    contact_ids: tuple[str, ...]
    start_time: str
    time_zone_id: str
    recurrence: dict[str, Any]
    overrides: tuple[RotationOverrideInfo, ...] = ()


@dataclass(frozen=True)
class ResponsePlanInfo:
    """A response plan: ``engagements`` are contact keys; ``chat_topics`` are the SNS topics of
    its chat channel (``ChatChannel.ChatbotSns``), as references (keys of topic resources, or
    ARNs written out)."""

    key: str
    name: str
    display_name: str
    title: str
    impact: int | None
    engagements: tuple[str, ...]
    runbook: str | None
    chat_topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChatChannelInfo:
    """An AWS Chatbot channel configuration (``kind``: ``Slack`` or ``Microsoft Teams``);
    ``topics`` are its ``SnsTopicArns`` as references, and ``response_plans`` the names of the
    plans of the assembly whose chat topics it subscribes to."""

    key: str
    name: str
    kind: str
    topics: tuple[str, ...]
    response_plans: tuple[str, ...] = ()


@dataclass(frozen=True)
class AlarmInfo:
    """A CloudWatch alarm whose actions start incidents: ``response_plans`` are names of plans of
    the assembly, or the ARN (as written) of a plan elsewhere (shared from another account);
    ``condition`` is a short text like ``Sum of HTTPCode_Target_5XX_Count >= 10``, or empty."""

    key: str
    name: str
    condition: str
    response_plans: tuple[str, ...]


@dataclass(frozen=True)
class EventRuleInfo:
    """An EventBridge rule with targets that start incidents: ``response_plans`` as for
    :class:`AlarmInfo`; ``sources`` are the event pattern's ``source`` values (when written out)."""

    key: str
    name: str
    sources: tuple[str, ...]
    response_plans: tuple[str, ...]


@dataclass(frozen=True)
class ResourceShareInfo:
    """An AWS RAM share of Incident Manager resources: ``resources`` are keys of response plans
    and contacts of the assembly, or ARNs as written; ``principals`` as written (account ids,
    organizational unit or organization ARNs; :data:`DEPLOY_TIME` for a value only known at
    deploy time)."""

    key: str
    name: str
    resources: tuple[str, ...]
    principals: tuple[str, ...]
    allow_external_principals: bool = False


@dataclass
class IncidentSetup:
    """Everything read from a cloud assembly."""

    contacts: dict[str, Contact] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    rotations: dict[str, Rotation] = field(default_factory=dict)
    response_plans: dict[str, ResponsePlanInfo] = field(default_factory=dict)
    #: Every rotation override, by the key of its custom resource (also on its rotation, when the
    #: assembly holds the rotation).
    overrides: dict[str, RotationOverrideInfo] = field(default_factory=dict)
    #: AWS Chatbot channels (Slack, Microsoft Teams), by key.
    chat_channels: dict[str, ChatChannelInfo] = field(default_factory=dict)
    #: CloudWatch alarms that start incidents, by key.
    alarms: dict[str, AlarmInfo] = field(default_factory=dict)
    #: EventBridge rules that start incidents, by key.
    event_rules: dict[str, EventRuleInfo] = field(default_factory=dict)
    #: AWS RAM shares of response plans and contacts, by key.
    shares: dict[str, ResourceShareInfo] = field(default_factory=dict)

    def contact_by_alias(self, alias: str) -> Contact | None:
        """The contact with ``alias``, or None."""
        return next((c for c in self.contacts.values() if c.alias == alias), None)

    def response_plan(self, name: str) -> ResponsePlanInfo:
        """The response plan named ``name``; :class:`AssemblyError` lists the known names otherwise."""
        plan = self.response_plans.get(name)
        if plan is None:
            known = ", ".join(sorted(self.response_plans)) or "none"
            raise AssemblyError(f"no response plan named {name!r} in the cloud assembly (response plans: {known})")
        return plan

    def label(self, key: str) -> str:
        """A short name for a contact, channel or rotation key."""
        if key in self.contacts:
            return self.contacts[key].alias
        if key in self.channels:
            return self.channels[key].name
        if key in self.rotations:
            return self.rotations[key].name
        return key


# -- reading ---------------------------------------------------------------------------------


def _depth_exceeds(value: Any, limit: int) -> bool:
    """True when ``value`` nests lists and objects more than ``limit`` levels (no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _read_json(path: Path, what: str) -> Any:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise AssemblyError(f"{what} {path} is {size:,} bytes; at most {MAX_FILE_BYTES:,} are read")
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise AssemblyError(f"cannot read {what} {path}: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise AssemblyError(f"cannot read {what} {path}: not UTF-8 text (byte {error.start})") from None
    try:
        value = json.loads(text)
    except RecursionError:
        raise AssemblyError(f"cannot read {what} {path}: nested more than {MAX_DEPTH} levels deep") from None
    except ValueError as error:
        detail = (
            f"{error.msg} at line {error.lineno} column {error.colno}"
            if isinstance(error, json.JSONDecodeError)
            else "not JSON"
        )
        raise AssemblyError(f"cannot read {what} {path}: {detail}") from None
    if _depth_exceeds(value, MAX_DEPTH):
        raise AssemblyError(f"cannot read {what} {path}: nested more than {MAX_DEPTH} levels deep")
    return value


def _inside(root: Path, directory: Path, name: Any, what: str) -> Path:
    """``directory / name``, which must be a relative path staying inside ``root``."""
    if not isinstance(name, str) or not name or "\x00" in name:
        raise AssemblyError(f"{what} {_short(name)} is not a file name")
    candidate = directory / name
    try:
        resolved = candidate.resolve()
        resolved.relative_to(root)
    except (OSError, RuntimeError, ValueError):
        raise AssemblyError(f"{what} {_short(name)} leads out of the cloud assembly {root}") from None
    return resolved


def _short(value: Any) -> str:
    try:
        text = repr(value)
    except RecursionError:  # pragma: no cover - values are depth-checked when read
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 60 else text[:57] + "..."


def _stack_files(root: Path) -> list[tuple[str, Path]]:
    """(display name, template file) of every stack of the assembly and its stage assemblies."""
    result: list[tuple[str, Path]] = []
    seen: set[Path] = set()
    pending: list[tuple[Path, int]] = [(root, 0)]
    while pending:
        directory, level = pending.pop(0)
        if directory in seen:
            continue
        seen.add(directory)
        if level > MAX_NESTING:
            raise AssemblyError(f"stage assemblies nest more than {MAX_NESTING} levels deep in {root}")
        manifest_path, artifacts = _artifacts(root, directory)
        for name, kind, props, display in artifacts:
            if kind == STACK_ARTIFACT:
                template = _inside(
                    root, directory, props.get("templateFile"), f"{manifest_path}: the templateFile of {name}"
                )
                result.append((display if isinstance(display, str) and display else name, template))
            else:
                child = _inside(
                    root, directory, props.get("directoryName"), f"{manifest_path}: the directoryName of {name}"
                )
                pending.append((child, level + 1))
    return result


def _artifacts(root: Path, directory: Path) -> tuple[Path, list[tuple[str, str, dict[str, Any], Any]]]:
    """The manifest of ``directory`` and its stack and stage-assembly artifacts, sorted by name:
    ``(name, type, properties, displayName)``."""
    manifest_path = directory / "manifest.json"
    if not manifest_path.is_file():
        if directory == root:
            raise AssemblyError(
                f"{directory} is not a cloud assembly (no manifest.json): run `cdk synth` first or pass --assembly PATH"
            )
        raise AssemblyError(f"the stage assembly {directory} has no manifest.json")
    manifest = _read_json(manifest_path, "the manifest")
    if not isinstance(manifest, dict):
        raise AssemblyError(
            f"{manifest_path} is not a cloud assembly manifest: it holds a {_json_type(manifest)}, not an object"
        )
    artifacts = manifest.get("artifacts")
    if artifacts is None:
        return manifest_path, []
    if not isinstance(artifacts, dict):
        raise AssemblyError(f"{manifest_path}: artifacts is a {_json_type(artifacts)}, not an object")
    result: list[tuple[str, str, dict[str, Any], Any]] = []
    for name, artifact in sorted(artifacts.items()):
        if not isinstance(artifact, dict):
            raise AssemblyError(f"{manifest_path}: artifact {_short(name)} is a {_json_type(artifact)}, not an object")
        kind = artifact.get("type")
        if kind not in (STACK_ARTIFACT, NESTED_ASSEMBLY_ARTIFACT):
            continue
        props = artifact.get("properties")
        if not isinstance(props, dict):
            raise AssemblyError(f"{manifest_path}: artifact {_short(name)} has no properties object")
        result.append((name, kind, props, artifact.get("displayName")))
    return manifest_path, result


def _json_type(value: Any) -> str:
    return {dict: "object", list: "list", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number" if isinstance(value, (int, float)) else type(value).__name__
    )


def _mask(address: Any) -> str:
    if not isinstance(address, str):
        return DEPLOY_TIME
    return mask_address(address)


def _text(value: Any, default: str) -> str:
    return value if isinstance(value, str) else default


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _int(value: Any, default: int = 0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _flatten(value: Any) -> str | None:
    """A literal string, or the literal parts of an ``Fn::Join`` or ``Fn::Sub`` (``*`` for the rest)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and len(value) == 1:
        if "Fn::Join" in value:
            args = value["Fn::Join"]
            if isinstance(args, list) and len(args) == 2 and isinstance(args[0], str) and isinstance(args[1], list):
                return args[0].join(p if isinstance(p, str) else "*" for p in args[1])
        elif "Fn::Sub" in value:
            args = value["Fn::Sub"]
            text = args[0] if isinstance(args, list) and args else args
            if isinstance(text, str):
                return text
    return None


_ASSET_HASH = re.compile(r"[0-9a-f]{64}")


def _literal_ref(value: Any) -> str:
    """A value that is no reference: an alias when it is a contact ARN, else its text."""
    text = _flatten(value)
    if text is not None:
        match = _ALIAS_IN_ARN.search(text)
        if match:
            return f"alias:{match.group(1)}"
        return text
    return json.dumps(value, sort_keys=True, default=str)


def _checked_resources(path: Path, resources: Any) -> dict[str, dict[str, Any]]:
    """A template's Resources, each an object with a Type and Properties that are an object."""
    if resources is None:
        return {}
    if not isinstance(resources, dict):
        raise AssemblyError(f"template {path}: Resources is a {_json_type(resources)}, not an object")
    for logical_id, resource in resources.items():
        if not isinstance(resource, dict) or not isinstance(resource.get("Type"), str):
            raise AssemblyError(f"template {path}: resource {_short(logical_id)} is not an object with a Type")
        if "Properties" in resource and not isinstance(resource["Properties"], (dict, type(None))):
            raise AssemblyError(
                f"template {path}: the Properties of {_short(logical_id)} are a {_json_type(resource['Properties'])}, not an object"
            )
    return resources


@dataclass(eq=False)
class _Template:
    """One stack's template (a nested stack's too), with what references need."""

    name: str
    path: Path
    resources: dict[str, dict[str, Any]]
    outputs: dict[str, Any]
    #: A nested stack's parameters: name -> (the parent template, the value it passes).
    parameters: dict[str, tuple[_Template, Any]] = field(default_factory=dict)
    #: The nested stacks of this template, by the logical id of their AWS::CloudFormation::Stack.
    nested: dict[str, _Template] = field(default_factory=dict)


class _Reader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.setup = IncidentSetup()
        self.templates: list[_Template] = []
        self.exports: dict[str, tuple[_Template, Any]] = {}
        self._assets: dict[Path, dict[str, str]] = {}
        self._seen: set[Path] = set()

    # -- files ---------------------------------------------------------------------------
    def load(self, name: str, path: Path, level: int = 0) -> _Template:
        if level > MAX_NESTING:
            raise AssemblyError(f"nested stacks nest more than {MAX_NESTING} levels deep in {path}")
        if path in self._seen:
            raise AssemblyError(f"template {path} is read twice (a nested stack that contains itself?)")
        self._seen.add(path)
        template = _read_json(path, "template")
        if not isinstance(template, dict):
            raise AssemblyError(
                f"template {path} is not a CloudFormation template: it holds a {_json_type(template)}, not an object"
            )
        resources = _checked_resources(path, template.get("Resources"))
        outputs = _obj(template.get("Outputs"))
        result = _Template(name, path, resources, {k: _obj(v).get("Value") for k, v in outputs.items()})
        self.templates.append(result)
        for output in outputs.values():
            export = _obj(output).get("Export")
            export_name = _flatten(_obj(export).get("Name"))
            if export_name is not None:
                self.exports[export_name] = (result, _obj(output).get("Value"))
        self._load_nested(result, level)
        return result

    def _load_nested(self, parent: _Template, level: int) -> None:
        for logical_id, resource in parent.resources.items():
            if resource["Type"] != NESTED_STACK_TYPE:
                continue
            child_path = self._nested_template(parent.path.parent, resource)
            if child_path is None:
                continue
            child = self.load(f"{parent.name}/{logical_id}", child_path, level + 1)
            props = _obj(resource.get("Properties"))
            child.parameters = {str(k): (parent, v) for k, v in _obj(props.get("Parameters")).items()}
            parent.nested[logical_id] = child

    def _nested_template(self, directory: Path, resource: dict[str, Any]) -> Path | None:
        """The file of a nested stack's template: its ``aws:asset:path`` metadata, or the asset
        whose hash its TemplateURL names."""
        asset_path = _obj(resource.get("Metadata")).get("aws:asset:path")
        if isinstance(asset_path, str):
            return _inside(self.root, directory, asset_path, "a nested stack's aws:asset:path")
        url = _flatten(_obj(resource.get("Properties")).get("TemplateURL"))
        match = _ASSET_HASH.search(url or "")
        if match is None:
            return None
        source = self._asset_sources(directory).get(match.group(0))
        return None if source is None else _inside(self.root, directory, source, "a nested stack's template")

    def _asset_sources(self, directory: Path) -> dict[str, str]:
        """Asset hash -> source path, from the ``*.assets.json`` files of a directory."""
        if directory not in self._assets:
            sources: dict[str, str] = {}
            for manifest in sorted(directory.glob("*.assets.json")):
                files = _obj(_obj(_read_json(manifest, "the asset manifest")).get("files"))
                for asset_hash, asset in files.items():
                    source = _obj(_obj(asset).get("source")).get("path")
                    if isinstance(source, str):
                        sources[str(asset_hash)] = source
            self._assets[directory] = sources
        return self._assets[directory]

    # -- references ----------------------------------------------------------------------
    def ref(self, template: _Template, value: Any, hops: int = 0) -> str:
        """The key of the resource a reference points to, as far as the templates say."""
        if isinstance(value, dict) and len(value) == 1 and hops < MAX_HOPS:
            ((function, arg),) = value.items()
            found: str | None = None
            if function == "Ref" and isinstance(arg, str):
                found = self._ref_name(template, arg, hops)
            elif function == "Fn::GetAtt":
                found = self._get_att(template, arg, hops)
            elif function == "Fn::ImportValue":
                name = _flatten(arg)
                if name is not None and name in self.exports:
                    exporter, exported = self.exports[name]
                    found = self.ref(exporter, exported, hops + 1)
            if found is not None:
                return found
        return _literal_ref(value)

    def _ref_name(self, template: _Template, name: str, hops: int) -> str | None:
        """``Ref``: a resource of this template, or the value a nested stack's parameter was given."""
        if name in template.resources and name not in template.nested:
            return f"{template.name}/{name}"
        if name in template.parameters:
            parent, passed = template.parameters[name]
            return self.ref(parent, passed, hops + 1)
        return None

    def _get_att(self, template: _Template, arg: Any, hops: int) -> str | None:
        """``Fn::GetAtt``: a resource of this template, or a nested stack's output."""
        if isinstance(arg, list) and len(arg) == 2 and all(isinstance(a, str) for a in arg):
            logical_id, attribute = arg
        elif isinstance(arg, str) and "." in arg:
            logical_id, attribute = arg.split(".", 1)
        else:
            return None
        child = template.nested.get(logical_id)
        if child is not None and attribute.startswith("Outputs."):
            output = attribute[len("Outputs.") :]
            return self.ref(child, child.outputs[output], hops + 1) if output in child.outputs else None
        if logical_id in template.resources:
            return f"{template.name}/{logical_id}"
        return None

    # -- resources -----------------------------------------------------------------------
    def read(self, template: _Template) -> list[tuple[str, _Template, str, Any]]:
        """Contacts, channels, rotations, overrides and response plans of one template; plans,
        channel owners and overrides are returned to be attached once every template is read."""
        pending: list[tuple[str, _Template, str, Any]] = []
        readers: dict[str, Callable[[_Template, str, str, dict[str, Any]], tuple[str, Any] | None]] = {
            "AWS::SSMContacts::Contact": self._read_contact,
            "AWS::SSMContacts::ContactChannel": self._read_channel,
            "AWS::SSMContacts::Plan": lambda t, k, i, props: ("plan", props),
            "AWS::SSMContacts::Rotation": self._read_rotation,
            "AWS::SSMIncidents::ResponsePlan": self._read_response_plan,
            "AWS::Chatbot::SlackChannelConfiguration": self._read_chat_channel,
            "AWS::Chatbot::MicrosoftTeamsChannelConfiguration": self._read_chat_channel,
            "AWS::CloudWatch::Alarm": self._read_alarm,
            "AWS::Events::Rule": self._read_event_rule,
            "AWS::RAM::ResourceShare": self._read_share,
        }
        for logical_id, resource in template.resources.items():
            kind = resource["Type"]
            props = _obj(resource.get("Properties"))
            key = f"{template.name}/{logical_id}"
            reader = readers.get(kind)
            if reader is None and (kind.startswith("Custom::") or kind == "AWS::CloudFormation::CustomResource"):
                reader = self._read_override
            if reader is None:
                continue
            later = reader(template, key, logical_id, props)
            if later is not None:
                pending.append((later[0], template, key, later[1]))
        return pending

    def _read_contact(self, template: _Template, key: str, logical_id: str, props: dict[str, Any]) -> tuple[str, Any]:
        alias = _text(props.get("Alias"), logical_id)
        self.setup.contacts[key] = Contact(
            key=key,
            alias=alias,
            display_name=_text(props.get("DisplayName"), alias),
            contact_type=_text(props.get("Type"), "PERSONAL"),
        )
        return "plan-inline", props.get("Plan")

    def _read_channel(self, template: _Template, key: str, logical_id: str, props: dict[str, Any]) -> tuple[str, Any]:
        self.setup.channels[key] = Channel(
            key=key,
            name=_text(props.get("ChannelName"), logical_id),
            channel_type=_text(props.get("ChannelType"), "?"),
            address=_mask(props.get("ChannelAddress")),
        )
        return "channel", props

    def _read_rotation(self, template: _Template, key: str, logical_id: str, props: dict[str, Any]) -> None:
        self.setup.rotations[key] = Rotation(
            key=key,
            name=_text(props.get("Name"), logical_id),
            contact_ids=tuple(self.ref(template, c) for c in _items(props.get("ContactIds"))),
            start_time=_text(props.get("StartTime"), ""),
            time_zone_id=_text(props.get("TimeZoneId"), DEPLOY_TIME),
            recurrence=_obj(props.get("Recurrence")),
        )
        return None

    def _read_response_plan(self, template: _Template, key: str, logical_id: str, props: dict[str, Any]) -> None:
        name = _text(props.get("Name"), logical_id)
        template_props = _obj(props.get("IncidentTemplate"))
        runbook = None
        for action in _items(props.get("Actions")):
            automation = _obj(action).get("SsmAutomation")
            if isinstance(automation, dict):
                runbook = _flatten(automation.get("DocumentName")) or DEPLOY_TIME
        impact = template_props.get("Impact")
        self.setup.response_plans[name] = ResponsePlanInfo(
            key=key,
            name=name,
            display_name=_text(props.get("DisplayName"), name),
            title=_text(template_props.get("Title"), ""),
            impact=_int(impact) if _int(impact, -1) >= 0 else None,
            engagements=tuple(self.ref(template, e) for e in _items(props.get("Engagements"))),
            runbook=runbook,
            chat_topics=tuple(self.ref(template, t) for t in _items(_obj(props.get("ChatChannel")).get("ChatbotSns"))),
        )
        return None

    # -- what starts incidents, where they are discussed, with whom they are shared ---------
    def _read_chat_channel(self, template: _Template, key: str, logical_id: str, props: dict[str, Any]) -> None:
        """A Slack or Microsoft Teams channel configuration and the SNS topics it subscribes to."""
        self.setup.chat_channels[key] = ChatChannelInfo(
            key=key,
            name=_text(props.get("ConfigurationName"), logical_id),
            kind=CHAT_CHANNEL_TYPES.get(str(template.resources[logical_id]["Type"]), "chat"),
            topics=tuple(self.ref(template, t) for t in _items(props.get("SnsTopicArns"))),
        )
        return None

    def _read_alarm(self, template: _Template, key: str, logical_id: str, props: dict[str, Any]) -> None:
        """A CloudWatch alarm, with its actions as references (kept when one names a response
        plan: :meth:`finish`)."""
        self.setup.alarms[key] = AlarmInfo(
            key=key,
            name=_text(props.get("AlarmName"), logical_id),
            condition=_alarm_condition(props),
            response_plans=tuple(self.ref(template, a) for a in _items(props.get("AlarmActions"))),
        )
        return None

    def _read_event_rule(self, template: _Template, key: str, logical_id: str, props: dict[str, Any]) -> None:
        """An EventBridge rule, with its targets' ARNs as references (kept when one names a
        response plan: :meth:`finish`)."""
        pattern = props.get("EventPattern")
        sources = _obj(pattern).get("source")
        self.setup.event_rules[key] = EventRuleInfo(
            key=key,
            name=_text(props.get("Name"), logical_id),
            sources=tuple(s for s in _items(sources) if isinstance(s, str)),
            response_plans=tuple(self.ref(template, _obj(t).get("Arn")) for t in _items(props.get("Targets"))),
        )
        return None

    def _read_share(self, template: _Template, key: str, logical_id: str, props: dict[str, Any]) -> None:
        """An AWS RAM share: what it shares (references) and with whom (as written)."""
        self.setup.shares[key] = ResourceShareInfo(
            key=key,
            name=_text(props.get("Name"), logical_id),
            resources=tuple(self.ref(template, r) for r in _items(props.get("ResourceArns"))),
            principals=tuple(_principal(p) for p in _items(props.get("Principals"))),
            allow_external_principals=props.get("AllowExternalPrincipals") is not False,
        )
        return None

    def _read_override(self, template: _Template, key: str, logical_id: str, props: dict[str, Any]) -> None:
        """A custom resource whose ``Create`` call is ``createRotationOverride`` of ssm-contacts."""
        parsed = _sdk_call(props.get("Create"))
        if parsed is None:
            return None
        call, refs = parsed
        if not _is_create_override(call):
            return None
        params = _obj(call.get("parameters"))
        start, end = _instant(params.get("StartTime")), _instant(params.get("EndTime"))
        if start is None or end is None:
            return None

        def resolve(value: Any) -> str:
            return self.ref(template, refs[value]) if isinstance(value, str) and value in refs else _literal_ref(value)

        self.setup.overrides[key] = RotationOverrideInfo(
            key=key,
            rotation=resolve(params.get("RotationId")),
            start=start,
            end=end,
            contact_ids=tuple(resolve(c) for c in _items(params.get("NewContactIds"))),
        )
        return None

    def _stages(self, template: _Template, stages: Any) -> tuple[list[Stage], list[str]]:
        result: list[Stage] = []
        rotation_ids: list[str] = []
        for stage in _items(stages):
            if not isinstance(stage, dict):
                continue
            rotation_ids.extend(self.ref(template, r) for r in _items(stage.get("RotationIds")))
            if "DurationInMinutes" not in stage and "Targets" not in stage:
                continue
            targets: list[Target] = []
            for target in _items(stage.get("Targets")):
                target = _obj(target)
                if isinstance(target.get("ContactTargetInfo"), dict):
                    info = target["ContactTargetInfo"]
                    targets.append(
                        Target("contact", self.ref(template, info.get("ContactId")), info.get("IsEssential") is True)
                    )
                elif isinstance(target.get("ChannelTargetInfo"), dict):
                    info = target["ChannelTargetInfo"]
                    retry = _int(info.get("RetryIntervalInMinutes"))
                    targets.append(
                        Target(
                            "channel", self.ref(template, info.get("ChannelId")), retry_interval_minutes=max(retry, 0)
                        )
                    )
            result.append(Stage(max(_int(stage.get("DurationInMinutes")), 0), tuple(targets)))
        return result, rotation_ids

    def finish(self, pending: list[tuple[str, _Template, str, Any]]) -> IncidentSetup:
        setup = self.setup
        for kind, template, key, props in pending:
            if kind == "plan-inline":
                stages, rotation_ids = self._stages(template, props)
                contact = setup.contacts[key]
                contact.stages.extend(stages)
                contact.rotation_ids.extend(rotation_ids)
            elif kind == "plan":
                owner = self._contact(self.ref(template, props.get("ContactId")))
                stages, rotation_ids = self._stages(template, props.get("Stages"))
                owner.stages.extend(stages)
                owner.rotation_ids.extend(rotation_ids)
                owner.rotation_ids.extend(self.ref(template, r) for r in _items(props.get("RotationIds")))
            elif kind == "channel":
                self._contact(self.ref(template, props.get("ContactId"))).channels.append(setup.channels[key])
        # Rotations, overrides and response plans may name contacts by ARN (alias:...): map to keys.
        for override_key, override in list(setup.overrides.items()):
            setup.overrides[override_key] = dataclasses.replace(
                override, contact_ids=tuple(self._contact(c).key for c in override.contact_ids)
            )
        for rotation_key, rotation in list(setup.rotations.items()):
            setup.rotations[rotation_key] = dataclasses.replace(
                rotation,
                contact_ids=tuple(self._contact(c).key for c in rotation.contact_ids),
                overrides=tuple(
                    sorted(
                        (o for o in setup.overrides.values() if o.rotation == rotation_key),
                        key=lambda o: (o.start, o.end, o.key),
                    )
                ),
            )
        for name, plan in list(setup.response_plans.items()):
            setup.response_plans[name] = dataclasses.replace(
                plan, engagements=tuple(self._contact(e).key for e in plan.engagements)
            )
        for contact in list(setup.contacts.values()):
            contact.stages = [
                Stage(s.duration_minutes, tuple(self._resolve_target(t) for t in s.targets)) for s in contact.stages
            ]
        self._finish_integrations()
        return setup

    def _finish_integrations(self) -> None:
        """Chat channels get the plans whose chat topics they subscribe to; alarms and rules keep
        the response plans they name (and are dropped when they name none); shares keep what they
        share of Incident Manager (and are dropped when they share nothing of it)."""
        setup = self.setup
        for key, channel in list(setup.chat_channels.items()):
            topics = set(channel.topics)
            plans = sorted(p.name for p in setup.response_plans.values() if topics.intersection(p.chat_topics))
            setup.chat_channels[key] = dataclasses.replace(channel, response_plans=tuple(plans))
        by_key = {plan.key: plan.name for plan in setup.response_plans.values()}
        for key, alarm in list(setup.alarms.items()):
            names = self._plan_names(by_key, alarm.response_plans)
            if names:
                setup.alarms[key] = dataclasses.replace(alarm, response_plans=names)
            else:
                del setup.alarms[key]
        for key, rule in list(setup.event_rules.items()):
            names = self._plan_names(by_key, rule.response_plans)
            if names:
                setup.event_rules[key] = dataclasses.replace(rule, response_plans=names)
            else:
                del setup.event_rules[key]
        for key, share in list(setup.shares.items()):
            resources = tuple(self._shared(r) for r in share.resources)
            if any(self._is_incident_manager(r, by_key) for r in resources):
                setup.shares[key] = dataclasses.replace(share, resources=resources)
            else:
                del setup.shares[key]

    def _plan_names(self, plans_by_key: dict[str, str], refs: tuple[str, ...]) -> tuple[str, ...]:
        """The response plans some references name (see :meth:`_plan_name`), each once, in order."""
        return tuple(dict.fromkeys(n for n in (self._plan_name(plans_by_key, r) for r in refs) if n))

    def _plan_name(self, plans_by_key: dict[str, str], ref: str) -> str | None:
        """The name of the response plan a reference names (a plan of the assembly), the ARN as
        written (a plan elsewhere), or None (not a response plan)."""
        if ref in plans_by_key:
            return plans_by_key[ref]
        match = _PLAN_IN_ARN.search(ref)
        if match is None:
            return None
        return match.group(1) if match.group(1) in self.setup.response_plans else ref

    def _shared(self, ref: str) -> str:
        """A shared resource: the key of a contact of the assembly named by ARN, else as read."""
        if ref.startswith("alias:"):
            found = self.setup.contact_by_alias(ref[len("alias:") :])
            if found is not None:
                return found.key
        return ref

    def _is_incident_manager(self, ref: str, plans_by_key: dict[str, str]) -> bool:
        return (
            ref in plans_by_key
            or ref in self.setup.contacts
            or ref.startswith("alias:")
            or _INCIDENT_MANAGER_ARN.search(ref) is not None
        )

    def _resolve_target(self, target: Target) -> Target:
        if target.kind == "contact":
            return Target("contact", self._contact(target.ref).key, target.is_essential)
        return target

    def _contact(self, ref: str) -> Contact:
        """The contact a reference names; an external placeholder when the assembly lacks it."""
        setup = self.setup
        if ref in setup.contacts:
            return setup.contacts[ref]
        if ref.startswith("alias:"):
            alias = ref[len("alias:") :]
            found = setup.contact_by_alias(alias)
            if found is not None:
                return found
            contact = Contact(key=ref, alias=alias, display_name=alias, contact_type="UNKNOWN", external=True)
        else:
            contact = Contact(key=ref, alias=ref, display_name=ref, contact_type="UNKNOWN", external=True)
        setup.contacts[ref] = contact
        return contact


_COMPARISON_SIGNS = {
    "GreaterThanOrEqualToThreshold": ">=",
    "GreaterThanThreshold": ">",
    "LessThanThreshold": "<",
    "LessThanOrEqualToThreshold": "<=",
}


def _alarm_condition(props: dict[str, Any]) -> str:
    """``Sum of HTTPCode_Target_5XX_Count >= 10`` when the alarm writes a metric, a statistic, a
    static comparison and a threshold out; empty otherwise (metric math, anomaly detection, tokens)."""
    metric = props.get("MetricName")
    statistic = props.get("Statistic", props.get("ExtendedStatistic"))
    operator = props.get("ComparisonOperator")
    sign = _COMPARISON_SIGNS.get(operator) if isinstance(operator, str) else None
    threshold = props.get("Threshold")
    if not (isinstance(metric, str) and isinstance(statistic, str) and sign):
        return ""
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
        return ""
    number = repr(threshold) if isinstance(threshold, float) else str(threshold)[:30]
    return f"{statistic} of {metric} {sign} {number}"


def _principal(value: Any) -> str:
    """A RAM principal as written (an account id written as a number too), or :data:`DEPLOY_TIME`."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**12:
        return f"{value:012d}"
    return DEPLOY_TIME


_SDK_REF = "@@incident-constructs-ref-{}@@"


def _sdk_call(value: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The SDK call an ``AwsCustomResource`` writes as JSON (a string, or an ``Fn::Join`` of
    text and references), with each reference replaced by a placeholder: ``(call, placeholders)``."""
    if isinstance(value, str):
        parts: list[Any] = [value]
    else:
        args = _obj(value).get("Fn::Join") if isinstance(value, dict) and len(value) == 1 else None
        if not (isinstance(args, list) and len(args) == 2 and args[0] == "" and isinstance(args[1], list)):
            return None
        parts = args[1]
    refs: dict[str, Any] = {}
    text = []
    for index, part in enumerate(parts):
        if isinstance(part, str):
            text.append(part)
        else:
            marker = _SDK_REF.format(index)
            refs[marker] = part
            text.append(marker)
    try:
        call = json.loads("".join(text))
    except (ValueError, RecursionError):
        return None
    return (call, refs) if isinstance(call, dict) else None


def _is_create_override(call: dict[str, Any]) -> bool:
    """``service`` names ssm-contacts (``SSMContacts``, ``ssm-contacts``,
    ``@aws-sdk/client-ssm-contacts``) and ``action`` is ``createRotationOverride`` (any case, with or
    without ``Command``)."""
    service = re.sub(r"[^a-z]", "", str(call.get("service", "")).lower()).removeprefix("awssdkclient")
    action = str(call.get("action", "")).lower().removesuffix("command")
    return service == "ssmcontacts" and action == "createrotationoverride"


def _instant(value: Any) -> datetime | None:
    """An SDK timestamp: ISO 8601 text (UTC when it has no offset) or epoch seconds."""
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return datetime.fromtimestamp(value, timezone.utc)
        if isinstance(value, str):
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
    except (ValueError, OverflowError, OSError):
        return None
    return None


def load_templates(path: str | Path) -> dict[str, dict[str, Any]]:
    """The ``Resources`` of every template of the cloud assembly at ``path`` (nested stacks and
    stage assemblies too), by stack name (``Stack`` or ``Stack/NestedStackLogicalId``), each as
    ``{"Resources": {...}}``: what the replacement guard compares.

    :raises AssemblyError: as :func:`load_assembly`.
    """
    reader = _Reader(_root(path))
    for stack, template_path in _stack_files(reader.root):
        reader.load(stack, template_path)
    return {template.name: {"Resources": template.resources} for template in reader.templates}


def _root(path: str | Path) -> Path:
    directory = Path(path)
    if not directory.is_dir():
        raise AssemblyError(f"cloud assembly {directory} not found: run `cdk synth` first or pass --assembly PATH")
    try:
        return directory.resolve()
    except (OSError, RuntimeError) as error:
        raise AssemblyError(f"cannot read the cloud assembly {directory}: {error}") from None


def load_assembly(path: str | Path) -> IncidentSetup:
    """Read every stack template of the cloud assembly at ``path`` (stage assemblies and nested
    stacks too).

    :raises AssemblyError: when ``path`` is not a readable cloud assembly, or a file in it is
        not of the shape ``cdk synth`` writes.
    """
    root = _root(path)
    reader = _Reader(root)
    for stack, template_path in _stack_files(root):
        reader.load(stack, template_path)
    pending: list[tuple[str, _Template, str, Any]] = []
    for template in reader.templates:
        pending.extend(reader.read(template))
    return reader.finish(pending)
