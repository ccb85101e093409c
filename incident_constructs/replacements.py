"""The replacement guard: what a new template would delete or replace, before it is deployed.

CloudFormation replaces a resource when a create-only property changes (a contact's alias or
type, a channel's contact or type, a response plan's name) and deletes one when its logical id
disappears (a renamed construct id). For Incident Manager both are surprises: a replaced
channel must be activated again by its owner (a code sent to the phone or mailbox), a deleted
contact silently leaves the plans that named it, a deleted response plan silently stops the
alarms that start it. :func:`check_replacements` compares the deployed template with the new
one and lists every such change; ``incident-constructs check-replacements OLD NEW`` runs it in
CI.

What blocks (``report.blocking``):

* any replacement of a resource that holds on-call data (contacts, channels, engagement plans,
  rotations, the replication set, response plans);
* any deletion of such a resource, unless the deployed template retains it
  (``DeletionPolicy: Retain``): a retained resource is only orphaned, its data stays, and the
  report lists it as a warning.

Other resources (roles, alarms, documents, topics) are listed but never block. Channel
addresses are never printed: people are named by contact alias and channel name.
"""

from __future__ import annotations

import enum
import json
import pathlib
import sys
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping, Optional, Union

__all__ = [
    "CREATE_ONLY_PROPERTIES",
    "ON_CALL_DATA_TYPES",
    "ChangeKind",
    "ChannelReactivation",
    "ReplacementReport",
    "ResourceChange",
    "TemplateError",
    "check_replacement_files",
    "check_replacements",
    "main_check_replacements",
]

#: Properties whose change makes CloudFormation replace the resource (the registry schemas'
#: ``createOnlyProperties``, top level only).
CREATE_ONLY_PROPERTIES: dict[str, tuple[str, ...]] = {
    "AWS::SSMContacts::Contact": ("Alias", "Type"),
    "AWS::SSMContacts::ContactChannel": ("ContactId", "ChannelType"),
    "AWS::SSMContacts::Plan": ("ContactId",),
    "AWS::SSMContacts::Rotation": (),
    "AWS::SSMIncidents::ReplicationSet": (),
    "AWS::SSMIncidents::ResponsePlan": ("Name",),
    "AWS::SSM::Document": ("Name", "DocumentType"),
    "AWS::SSM::Parameter": ("Name",),
    "AWS::IAM::Role": ("Path", "RoleName"),
    "AWS::SNS::Topic": ("TopicName", "FifoTopic"),
    "AWS::CloudWatch::Alarm": ("AlarmName",),
    "AWS::KMS::Alias": ("AliasName",),
    "AWS::SecretsManager::Secret": ("Name",),
    "AWS::Events::Rule": ("Name",),
    "AWS::Lambda::Function": ("FunctionName", "PackageType", "TenancyConfig"),
    "AWS::Chatbot::SlackChannelConfiguration": ("SlackWorkspaceId", "ConfigurationName"),
}

#: Resource types that hold on-call data: replacing or deleting one of them blocks.
ON_CALL_DATA_TYPES: frozenset[str] = frozenset(
    {
        "AWS::SSMContacts::Contact",
        "AWS::SSMContacts::ContactChannel",
        "AWS::SSMContacts::Plan",
        "AWS::SSMContacts::Rotation",
        "AWS::SSMIncidents::ReplicationSet",
        "AWS::SSMIncidents::ResponsePlan",
    }
)

_RETAINED = frozenset({"Retain", "RetainExceptOnCreate", "Snapshot"})
_CHANNEL = "AWS::SSMContacts::ContactChannel"
_CONTACT = "AWS::SSMContacts::Contact"
#: Properties that name a resource to people, by type: shown next to the logical id.
_LABELS = {
    _CONTACT: "Alias",
    _CHANNEL: "ChannelName",
    "AWS::SSMContacts::Rotation": "Name",
    "AWS::SSMIncidents::ResponsePlan": "Name",
    "AWS::SSM::Document": "Name",
}


class TemplateError(ValueError):
    """A template file that cannot be read or is not a CloudFormation template."""


class ChangeKind(str, enum.Enum):
    """What the new template does to a deployed resource."""

    #: A create-only property changed (or the type): CloudFormation creates a new resource and
    #: deletes the old one (keeps it, with ``UpdateReplacePolicy: Retain``).
    REPLACE = "replace"
    #: The logical id is gone and the deployed template lets CloudFormation delete it.
    DELETE = "delete"
    #: The logical id is gone but the deployed template retains it: it stays in the account,
    #: no longer managed by the stack.
    ORPHAN = "orphan"


@dataclass(frozen=True)
class ResourceChange:
    """One deployed resource that the new template deletes, orphans or replaces."""

    #: The resource's logical id in the deployed template.
    logical_id: str
    #: Its CloudFormation type.
    resource_type: str
    #: Replace, delete or orphan.
    kind: ChangeKind
    #: Why, in words (each create-only property that changed, or the resource it depends on).
    reasons: tuple[str, ...]
    #: The name people know it by (alias, channel name, plan name), when the template has it.
    label: Optional[str] = None
    #: For replacements: the old resource is kept (``UpdateReplacePolicy: Retain``).
    old_kept: bool = False

    @property
    def on_call_data(self) -> bool:
        """True when the resource holds on-call data (see :data:`ON_CALL_DATA_TYPES`)."""
        return self.resource_type in ON_CALL_DATA_TYPES

    @property
    def blocking(self) -> bool:
        """True for replacements and deletions (not orphans) of on-call data."""
        return self.on_call_data and self.kind is not ChangeKind.ORPHAN

    def format(self) -> str:
        """One line: ``BLOCKING replace AWS::SSMContacts::Contact Alice1234 ('alice'): Alias changed``."""
        level = "BLOCKING" if self.blocking else ("warning" if self.on_call_data else "note")
        label = f" ({self.label!r})" if self.label else ""
        kept = "; the old resource is kept (UpdateReplacePolicy Retain)" if self.old_kept else ""
        return f"{level} {self.kind.value} {self.resource_type} {self.logical_id}{label}: {'; '.join(self.reasons)}{kept}"


@dataclass(frozen=True)
class ChannelReactivation:
    """A contact channel that the change replaces: its owner must activate it again."""

    #: The alias of the contact owning the channel (its logical id when the alias is not literal).
    contact_alias: str
    #: The channel's name.
    channel_name: str
    #: SMS, VOICE or EMAIL.
    channel_type: str
    #: The channel's logical id.
    logical_id: str

    def format(self) -> str:
        return f"{self.contact_alias}: {self.channel_type} channel {self.channel_name!r} must be activated again"


@dataclass(frozen=True)
class ReplacementReport:
    """Everything the new template would delete, orphan or replace, from :func:`check_replacements`."""

    #: The changes, in the deployed template's order.
    changes: tuple[ResourceChange, ...] = ()
    #: The channels whose owners must activate them again.
    reactivations: tuple[ChannelReactivation, ...] = ()
    #: Remarks that are not changes (a probable construct id rename, say).
    notes: tuple[str, ...] = field(default=())

    @property
    def blocking(self) -> bool:
        """True when on-call data would be replaced or deleted (see the module docs)."""
        return any(c.blocking for c in self.changes)

    @property
    def replaced(self) -> list[ResourceChange]:
        return [c for c in self.changes if c.kind is ChangeKind.REPLACE]

    @property
    def deleted(self) -> list[ResourceChange]:
        return [c for c in self.changes if c.kind is ChangeKind.DELETE]

    @property
    def orphaned(self) -> list[ResourceChange]:
        return [c for c in self.changes if c.kind is ChangeKind.ORPHAN]

    @property
    def people(self) -> list[str]:
        """The aliases of the contacts whose channels must be activated again, sorted, each once."""
        return sorted({r.contact_alias for r in self.reactivations})

    def format(self) -> list[str]:
        """The report as text lines, blocking changes first."""
        if not self.changes:
            return ["No resource would be replaced or deleted."]
        lines = [
            f"{len(self.replaced)} replaced, {len(self.deleted)} deleted, {len(self.orphaned)} orphaned (retained)"
            + (" - BLOCKING: on-call data would be lost or replaced." if self.blocking else ".")
        ]
        order = sorted(self.changes, key=lambda c: (not c.blocking, not c.on_call_data))
        lines += [f"  {c.format()}" for c in order]
        if self.reactivations:
            lines.append("People who must activate a channel again:")
            lines += [f"  {r.format()}" for r in self.reactivations]
        lines += [f"note: {n}" for n in self.notes]
        return lines


# -- comparison ------------------------------------------------------------------------------


def _resources(template: Mapping[str, Any], which: str) -> dict[str, dict[str, Any]]:
    if not isinstance(template, Mapping):
        raise TemplateError(f"the {which} template is not a JSON object.")
    resources = template.get("Resources")
    if not isinstance(resources, Mapping):
        raise TemplateError(f"the {which} template has no Resources section.")
    for logical_id, resource in resources.items():
        if not isinstance(resource, Mapping) or not isinstance(resource.get("Type"), str):
            raise TemplateError(f"the {which} template's resource {logical_id!r} has no Type.")
    return {str(k): dict(v) for k, v in resources.items()}


def _references(value: Any) -> Iterator[str]:
    """Logical ids that a property value refers to (Ref, Fn::GetAtt, Fn::Sub)."""
    if isinstance(value, Mapping):
        if len(value) == 1:
            (key, arg), = value.items()
            if key == "Ref" and isinstance(arg, str):
                yield arg
                return
            if key == "Fn::GetAtt":
                target = arg[0] if isinstance(arg, list) and arg else (arg.split(".")[0] if isinstance(arg, str) else None)
                if isinstance(target, str):
                    yield target
                return
            if key == "Fn::Sub":
                text = arg[0] if isinstance(arg, list) and arg else arg
                if isinstance(text, str):
                    for part in text.split("${")[1:]:
                        yield part.split("}")[0].split(".")[0]
        for item in value.values():
            yield from _references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


def _label(resource: Mapping[str, Any]) -> Optional[str]:
    prop = _LABELS.get(resource["Type"])
    value = (resource.get("Properties") or {}).get(prop) if prop else None
    return value if isinstance(value, str) else None


def _replacement_reasons(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    if old["Type"] != new["Type"]:
        return [f"type changed to {new['Type']}"]
    old_props, new_props = old.get("Properties") or {}, new.get("Properties") or {}
    reasons = [
        f"{prop} changed"
        for prop in CREATE_ONLY_PROPERTIES.get(old["Type"], ())
        if old_props.get(prop) != new_props.get(prop)
    ]
    if old["Type"] == "AWS::SSM::Document" and new_props.get("UpdateMethod", "Replace") == "Replace":
        changed = sorted(k for k in set(old_props) | set(new_props) if old_props.get(k) != new_props.get(k) and k != "Tags")
        if changed and not reasons:
            reasons.append(f"{', '.join(changed)} changed and UpdateMethod is Replace")
    return reasons


def check_replacements(old: Mapping[str, Any], new: Mapping[str, Any]) -> ReplacementReport:
    """Compare a deployed template with the next one; list what would be deleted or replaced.

    A resource is replaced when its type or a create-only property changes (see
    :data:`CREATE_ONLY_PROPERTIES`), or when a create-only property refers (``Ref``,
    ``Fn::GetAtt``, ``Fn::Sub``) to a resource that is replaced: a replaced contact takes its
    channels and its plan with it. A logical id missing from ``new`` is deleted, or orphaned
    when ``old`` gives it ``DeletionPolicy: Retain``.

    :param old: the deployed template (as a dict, the JSON of ``cdk.out/<Stack>.template.json``).
    :param new: the template about to be deployed.
    :raises TemplateError: when either is not a CloudFormation template.
    """
    old_resources = _resources(old, "old")
    new_resources = _resources(new, "new")

    reasons: dict[str, list[str]] = {}
    for logical_id, resource in old_resources.items():
        if logical_id in new_resources:
            found = _replacement_reasons(resource, new_resources[logical_id])
            if found:
                reasons[logical_id] = found
    # A create-only property that refers to a replaced resource changes too: repeat until stable.
    changed = True
    while changed:
        changed = False
        for logical_id, resource in old_resources.items():
            if logical_id not in new_resources or logical_id in reasons:
                continue
            new_props = new_resources[logical_id].get("Properties") or {}
            for prop in CREATE_ONLY_PROPERTIES.get(resource["Type"], ()):
                gone = [ref for ref in _references(new_props.get(prop)) if ref in reasons]
                if gone:
                    reasons.setdefault(logical_id, []).append(f"{prop} refers to {gone[0]}, which is replaced")
                    changed = True
                    break

    changes: list[ResourceChange] = []
    for logical_id, resource in old_resources.items():
        if logical_id in reasons:
            changes.append(
                ResourceChange(
                    logical_id,
                    resource["Type"],
                    ChangeKind.REPLACE,
                    tuple(reasons[logical_id]),
                    _label(resource),
                    old_kept=resource.get("UpdateReplacePolicy") in _RETAINED,
                )
            )
        elif logical_id not in new_resources:
            policy = resource.get("DeletionPolicy", "Delete")
            retained = policy in _RETAINED
            changes.append(
                ResourceChange(
                    logical_id,
                    resource["Type"],
                    ChangeKind.ORPHAN if retained else ChangeKind.DELETE,
                    (f"removed from the template (DeletionPolicy {policy})",),
                    _label(resource),
                )
            )

    return ReplacementReport(
        changes=tuple(changes),
        reactivations=tuple(_reactivations(old_resources, changes)),
        notes=tuple(_probable_renames(old_resources, new_resources, changes)),
    )


def _contact_alias(old_resources: Mapping[str, Mapping[str, Any]], contact_id: Any) -> Optional[str]:
    for ref in _references(contact_id):
        contact = old_resources.get(ref)
        if contact is not None and contact["Type"] == _CONTACT:
            return _label(contact) or ref
    return None


def _reactivations(
    old_resources: Mapping[str, Mapping[str, Any]], changes: list[ResourceChange]
) -> Iterator[ChannelReactivation]:
    for change in changes:
        if change.kind is not ChangeKind.REPLACE or change.resource_type != _CHANNEL:
            continue
        props = old_resources[change.logical_id].get("Properties") or {}
        contact_id = props.get("ContactId")
        alias = _contact_alias(old_resources, contact_id)
        if alias is None:
            alias = contact_id.rsplit("/", 1)[-1] if isinstance(contact_id, str) else change.logical_id
        name = props.get("ChannelName")
        channel_type = props.get("ChannelType")
        yield ChannelReactivation(
            contact_alias=alias,
            channel_name=name if isinstance(name, str) else change.logical_id,
            channel_type=channel_type if isinstance(channel_type, str) else "?",
            logical_id=change.logical_id,
        )


def _probable_renames(
    old_resources: Mapping[str, Mapping[str, Any]],
    new_resources: Mapping[str, Mapping[str, Any]],
    changes: list[ResourceChange],
) -> Iterator[str]:
    """A deleted resource with the same type and name as an added one: a construct id changed."""
    added = {k: v for k, v in new_resources.items() if k not in old_resources}
    for change in changes:
        if change.kind is ChangeKind.REPLACE or change.label is None:
            continue
        for logical_id, resource in added.items():
            if resource["Type"] == change.resource_type and _label(resource) == change.label:
                yield (
                    f"{change.logical_id} looks renamed to {logical_id} (same {change.resource_type} "
                    f"named {change.label!r}): a construct id changed. CloudFormation creates the new "
                    "resource before it deletes the old one, and a name that must be unique makes that fail; "
                    "keep the construct id instead."
                )


# -- files and the command line --------------------------------------------------------------


def _load(path: Union[str, pathlib.Path], which: str) -> dict[str, Any]:
    file = pathlib.Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise TemplateError(f"cannot read the {which} template {str(file)!r}: {error.strerror or error}.") from None
    except UnicodeDecodeError:
        raise TemplateError(f"the {which} template {str(file)!r} is not UTF-8 text.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise TemplateError(
            f"the {which} template {str(file)!r} is not JSON ({error.msg} at line {error.lineno}); "
            "give the cdk.out/<Stack>.template.json files."
        ) from None
    if not isinstance(data, dict):
        raise TemplateError(f"the {which} template {str(file)!r} is not a JSON object.")
    return data


def check_replacement_files(old_path: Union[str, pathlib.Path], new_path: Union[str, pathlib.Path]) -> ReplacementReport:
    """:func:`check_replacements` on two JSON template files.

    :raises TemplateError: when a file cannot be read or is not a CloudFormation template.
    """
    old = _load(old_path, "old")
    new = _load(new_path, "new")
    try:
        return check_replacements(old, new)
    except TemplateError as error:
        raise TemplateError(f"{error} ({old_path} -> {new_path})") from None


def main_check_replacements(
    old_path: Union[str, pathlib.Path], new_path: Union[str, pathlib.Path], *, out: Any = None, err: Any = None
) -> int:
    """Print the report for two template files; the exit code of ``check-replacements``.

    :returns: 0 when nothing blocks, 1 when on-call data would be replaced or deleted, 2 when a
        file cannot be read or is not a template (one line on ``err``, no traceback).
    """
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    try:
        report = check_replacement_files(old_path, new_path)
    except TemplateError as error:
        print(f"error: {error}", file=err)
        return 2
    for line in report.format():
        print(line, file=out)
    return 1 if report.blocking else 0
