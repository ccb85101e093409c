"""Read a synthesized cloud assembly (``cdk.out``) into a model of the Incident Manager set-up.

The model holds what the command line needs, with CloudFormation's values: contacts
(personal, escalation plans, on-call schedules) with their channels and stages, rotations,
and response plans with their engagements. References between resources
(``Fn::GetAtt [LogicalId, Arn]``, ``Ref``) are resolved to the resources of the same
template; contact ARNs written out (imported contacts) are matched by alias.

Channel addresses are masked when they are read (:func:`incident_constructs.contact.mask_address`):
the model never holds an address in clear.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional

__all__ = [
    "AssemblyError",
    "Channel",
    "Contact",
    "IncidentSetup",
    "ResponsePlanInfo",
    "Rotation",
    "Stage",
    "Target",
    "load_assembly",
]

STACK_ARTIFACT = "aws:cloudformation:stack"
NESTED_ASSEMBLY_ARTIFACT = "cdk:cloud-assembly"

_ALIAS_IN_ARN = re.compile(r":contact/([a-z0-9_.\-]+)$")


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
class Rotation:
    """An on-call rotation; ``contact_ids`` are contact keys, in shift order."""

    key: str
    name: str
    contact_ids: tuple[str, ...]
    start_time: str
    time_zone_id: str
    recurrence: dict[str, Any]


@dataclass(frozen=True)
class ResponsePlanInfo:
    """A response plan: ``engagements`` are contact keys."""

    key: str
    name: str
    display_name: str
    title: str
    impact: Optional[int]
    engagements: tuple[str, ...]
    runbook: Optional[str]


@dataclass
class IncidentSetup:
    """Everything read from a cloud assembly."""

    contacts: dict[str, Contact] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    rotations: dict[str, Rotation] = field(default_factory=dict)
    response_plans: dict[str, ResponsePlanInfo] = field(default_factory=dict)

    def contact_by_alias(self, alias: str) -> Optional[Contact]:
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


def _templates(directory: Path) -> Iterator[tuple[str, Path]]:
    manifest_path = directory / "manifest.json"
    if not manifest_path.is_file():
        raise AssemblyError(
            f"{directory} is not a cloud assembly (no manifest.json): run `cdk synth` first or pass --assembly PATH"
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise AssemblyError(f"cannot read {manifest_path}: {error}") from error
    for name, artifact in sorted((manifest.get("artifacts") or {}).items()):
        kind = artifact.get("type")
        props = artifact.get("properties") or {}
        if kind == STACK_ARTIFACT and props.get("templateFile"):
            yield artifact.get("displayName") or name, directory / props["templateFile"]
        elif kind == NESTED_ASSEMBLY_ARTIFACT and props.get("directoryName"):
            yield from _templates(directory / props["directoryName"])


def _mask(address: Any) -> str:
    from .contact import mask_address

    if not isinstance(address, str):
        return "(resolved at deploy time)"
    return mask_address(address)


def _flatten(value: Any) -> Optional[str]:
    """A literal string, or the literal parts of an ``Fn::Join`` (with ``*`` for the rest)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Fn::Join" in value:
        sep, parts = value["Fn::Join"]
        return str(sep).join(p if isinstance(p, str) else "*" for p in parts)
    return None


class _Reader:
    def __init__(self) -> None:
        self.setup = IncidentSetup()
        self._pending: list[tuple[str, dict[str, Any], Any]] = []

    def ref(self, stack: str, resources: dict[str, Any], value: Any) -> str:
        """The key of the resource a reference points to, as far as the template says."""
        logical_id: Optional[str] = None
        if isinstance(value, dict):
            if "Fn::GetAtt" in value:
                att = value["Fn::GetAtt"]
                logical_id = att[0] if isinstance(att, list) else str(att).split(".")[0]
            elif "Ref" in value:
                logical_id = value["Ref"]
        if logical_id is not None and logical_id in resources:
            return f"{stack}/{logical_id}"
        text = _flatten(value)
        if text is not None:
            match = _ALIAS_IN_ARN.search(text)
            if match:
                return f"alias:{match.group(1)}"
            return text
        return json.dumps(value, sort_keys=True)

    def read(self, stack: str, template_path: Path) -> None:
        try:
            template = json.loads(template_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise AssemblyError(f"cannot read template {template_path}: {error}") from error
        resources: dict[str, Any] = template.get("Resources") or {}
        setup = self.setup
        for logical_id, resource in resources.items():
            kind = resource.get("Type")
            props = resource.get("Properties") or {}
            key = f"{stack}/{logical_id}"
            if kind == "AWS::SSMContacts::Contact":
                contact = Contact(
                    key=key,
                    alias=str(props.get("Alias", logical_id)),
                    display_name=str(props.get("DisplayName", props.get("Alias", logical_id))),
                    contact_type=str(props.get("Type", "PERSONAL")),
                )
                setup.contacts[key] = contact
                self._pending.append(("plan-inline", {"stack": stack, "key": key, "resources": resources}, props.get("Plan") or []))
            elif kind == "AWS::SSMContacts::ContactChannel":
                channel = Channel(
                    key=key,
                    name=str(props.get("ChannelName", logical_id)),
                    channel_type=str(props.get("ChannelType", "?")),
                    address=_mask(props.get("ChannelAddress")),
                )
                setup.channels[key] = channel
                self._pending.append(("channel", {"stack": stack, "key": key, "resources": resources}, props))
            elif kind == "AWS::SSMContacts::Plan":
                self._pending.append(("plan", {"stack": stack, "key": key, "resources": resources}, props))
            elif kind == "AWS::SSMContacts::Rotation":
                recurrence = props.get("Recurrence") or {}
                setup.rotations[key] = Rotation(
                    key=key,
                    name=str(props.get("Name", logical_id)),
                    contact_ids=tuple(self.ref(stack, resources, c) for c in props.get("ContactIds") or []),
                    start_time=str(props.get("StartTime", "")),
                    time_zone_id=str(props.get("TimeZoneId", "UTC")),
                    recurrence=dict(recurrence) if isinstance(recurrence, dict) else {},
                )
            elif kind == "AWS::SSMIncidents::ResponsePlan":
                name = str(props.get("Name", logical_id))
                template_props = props.get("IncidentTemplate") or {}
                runbook = None
                for action in props.get("Actions") or []:
                    automation = action.get("SsmAutomation") if isinstance(action, dict) else None
                    if automation:
                        runbook = _flatten(automation.get("DocumentName")) or "(resolved at deploy time)"
                impact = template_props.get("Impact")
                setup.response_plans[name] = ResponsePlanInfo(
                    key=key,
                    name=name,
                    display_name=str(props.get("DisplayName", name)),
                    title=str(template_props.get("Title", "")),
                    impact=impact if isinstance(impact, int) else None,
                    engagements=tuple(self.ref(stack, resources, e) for e in props.get("Engagements") or []),
                    runbook=runbook,
                )

    def _stages(self, stack: str, resources: dict[str, Any], stages: Any) -> tuple[list[Stage], list[str]]:
        result: list[Stage] = []
        rotation_ids: list[str] = []
        for stage in stages if isinstance(stages, list) else []:
            if not isinstance(stage, dict):
                continue
            rotation_ids.extend(self.ref(stack, resources, r) for r in stage.get("RotationIds") or [])
            if "DurationInMinutes" not in stage and "Targets" not in stage:
                continue
            targets: list[Target] = []
            for target in stage.get("Targets") or []:
                if "ContactTargetInfo" in target:
                    info = target["ContactTargetInfo"]
                    targets.append(
                        Target("contact", self.ref(stack, resources, info.get("ContactId")), bool(info.get("IsEssential")))
                    )
                elif "ChannelTargetInfo" in target:
                    info = target["ChannelTargetInfo"]
                    retry = info.get("RetryIntervalInMinutes", 0)
                    targets.append(
                        Target(
                            "channel",
                            self.ref(stack, resources, info.get("ChannelId")),
                            retry_interval_minutes=retry if isinstance(retry, int) else 0,
                        )
                    )
            duration = stage.get("DurationInMinutes", 0)
            result.append(Stage(duration if isinstance(duration, int) else 0, tuple(targets)))
        return result, rotation_ids

    def finish(self) -> IncidentSetup:
        setup = self.setup
        for kind, where, props in self._pending:
            stack, key, resources = where["stack"], where["key"], where["resources"]
            if kind == "plan-inline":
                stages, rotation_ids = self._stages(stack, resources, props)
                contact = setup.contacts[key]
                contact.stages.extend(stages)
                contact.rotation_ids.extend(rotation_ids)
            elif kind == "plan":
                owner = self._contact(self.ref(stack, resources, props.get("ContactId")))
                stages, rotation_ids = self._stages(stack, resources, props.get("Stages") or [])
                owner.stages.extend(stages)
                owner.rotation_ids.extend(rotation_ids)
                owner.rotation_ids.extend(self.ref(stack, resources, r) for r in props.get("RotationIds") or [])
            elif kind == "channel":
                self._contact(self.ref(stack, resources, props.get("ContactId"))).channels.append(setup.channels[key])
        # Rotations and response plans may name contacts by ARN (alias:...): map to keys.
        for rotation_key, rotation in list(setup.rotations.items()):
            setup.rotations[rotation_key] = Rotation(
                rotation.key,
                rotation.name,
                tuple(self._contact(c).key for c in rotation.contact_ids),
                rotation.start_time,
                rotation.time_zone_id,
                rotation.recurrence,
            )
        for name, plan in list(setup.response_plans.items()):
            setup.response_plans[name] = ResponsePlanInfo(
                plan.key,
                plan.name,
                plan.display_name,
                plan.title,
                plan.impact,
                tuple(self._contact(e).key for e in plan.engagements),
                plan.runbook,
            )
        for contact in list(setup.contacts.values()):
            contact.stages = [
                Stage(s.duration_minutes, tuple(self._resolve_target(t) for t in s.targets)) for s in contact.stages
            ]
        return setup

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
            alias = ref[len("alias:"):]
            found = setup.contact_by_alias(alias)
            if found is not None:
                return found
            contact = Contact(key=ref, alias=alias, display_name=alias, contact_type="UNKNOWN", external=True)
        else:
            contact = Contact(key=ref, alias=ref, display_name=ref, contact_type="UNKNOWN", external=True)
        setup.contacts[ref] = contact
        return contact


def load_assembly(path: str | Path) -> IncidentSetup:
    """Read every stack template of the cloud assembly at ``path`` (nested stage assemblies too).

    :raises AssemblyError: when ``path`` is not a readable cloud assembly.
    """
    directory = Path(path)
    if not directory.is_dir():
        raise AssemblyError(f"cloud assembly {directory} not found: run `cdk synth` first or pass --assembly PATH")
    reader = _Reader()
    for stack, template_path in _templates(directory):
        reader.read(stack, template_path)
    return reader.finish()
