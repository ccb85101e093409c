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
  report lists it as a warning;
* a changed construct id (a new logical id) of a contact, channel, rotation or response plan
  whose alias or name stays: CloudFormation creates the new resource while the old one still
  holds the name, and the create fails; a channel created again must be activated again by its
  owner. The same holds for the replication set, of which an account has one;
* a replication set update that the service refuses: more than one region added or removed at
  once (a region swapped for another, say), or the key of an existing region changed. Removing
  one region is a warning.

Other resources (roles, alarms, documents, topics) are listed but never block. Channel
addresses are never printed: people are named by contact alias and channel name.

:data:`CREATE_ONLY_PROPERTIES` is the registry schemas' ``createOnlyProperties`` (the copies that
cfn-lint ships); a test keeps the table equal to them. The module imports neither ``aws_cdk`` nor
anything that needs Node.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import pathlib
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

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

#: Properties whose change makes CloudFormation replace the resource: the registry schemas'
#: ``createOnlyProperties`` (``/properties/`` left out, ``/`` between the parts of a nested
#: property, ``*`` for every item of a list), in the schemas' order. A test keeps each entry
#: equal to the schema that cfn-lint ships (``cfnlint/data/schemas``).
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
    "AWS::IAM::Policy": (),
    "AWS::IAM::ManagedPolicy": ("ManagedPolicyName", "Description", "Path"),
    "AWS::SNS::Topic": ("TopicName", "FifoTopic"),
    "AWS::SNS::TopicPolicy": (),
    "AWS::SNS::Subscription": ("Endpoint", "Protocol", "TopicArn"),
    "AWS::CloudWatch::Alarm": ("AlarmName",),
    "AWS::KMS::Key": (),
    "AWS::KMS::Alias": ("AliasName",),
    "AWS::SecretsManager::Secret": ("Name",),
    "AWS::SecretsManager::ResourcePolicy": ("SecretId",),
    "AWS::Events::Rule": ("Name",),
    "AWS::Lambda::Function": ("FunctionName", "PackageType", "TenancyConfig"),
    "AWS::Logs::LogGroup": ("LogGroupName",),
    "AWS::Chatbot::SlackChannelConfiguration": ("SlackWorkspaceId", "ConfigurationName"),
    "AWS::Chatbot::MicrosoftTeamsChannelConfiguration": ("TeamId", "TeamsTenantId", "ConfigurationName"),
    "AWS::RAM::ResourceShare": ("ResourceShareConfiguration/RetainSharingOnAccountLeaveOrganization",),
    "AWS::CloudFormation::Stack": (),
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
_REPLICATION_SET = "AWS::SSMIncidents::ReplicationSet"
#: What makes a new resource of these types fail to create while the old one exists: a name
#: unique in the account (by property), and the replication set (one per account).
_UNIQUE_NAMES = {
    _CONTACT: ("Alias", "alias"),
    "AWS::SSMContacts::Rotation": ("Name", "name"),
    "AWS::SSMIncidents::ResponsePlan": ("Name", "name"),
}
#: The largest template read, and how deeply its values may nest.
MAX_TEMPLATE_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 100
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
    #: An update in place that the service refuses or that removes data (a replication set's
    #: regions).
    UPDATE = "update"
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
    label: str | None = None
    #: For replacements: the old resource is kept (``UpdateReplacePolicy: Retain``).
    old_kept: bool = False
    #: The logical id of the resource in the new template that takes this one's place (same
    #: alias, name or contact and channel): a changed construct id.
    renamed_to: str | None = None
    #: Whether the change blocks, when the kind alone does not say (an update, a rename).
    blocks: bool | None = None

    @property
    def on_call_data(self) -> bool:
        """True when the resource holds on-call data (see :data:`ON_CALL_DATA_TYPES`)."""
        return self.resource_type in ON_CALL_DATA_TYPES

    @property
    def blocking(self) -> bool:
        """True for replacements, deletions (not orphans) and renames of on-call data, and for
        updates the service refuses."""
        if self.blocks is not None:
            return self.blocks
        return self.on_call_data and self.kind is not ChangeKind.ORPHAN

    def format(self) -> str:
        """One line: ``BLOCKING replace AWS::SSMContacts::Contact Alice1234 ('alice'): Alias changed``."""
        level = "BLOCKING" if self.blocking else ("warning" if self.on_call_data else "note")
        label = f" ({self.label!r})" if self.label else ""
        kept = "; the old resource is kept (UpdateReplacePolicy Retain)" if self.old_kept else ""
        return (
            f"{level} {self.kind.value} {self.resource_type} {self.logical_id}{label}: {'; '.join(self.reasons)}{kept}"
        )


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
    def updated(self) -> list[ResourceChange]:
        return [c for c in self.changes if c.kind is ChangeKind.UPDATE]

    @property
    def renamed(self) -> list[ResourceChange]:
        return [c for c in self.changes if c.renamed_to is not None]

    @property
    def people(self) -> list[str]:
        """The aliases of the contacts whose channels must be activated again, sorted, each once."""
        return sorted({r.contact_alias for r in self.reactivations})

    def format(self) -> list[str]:
        """The report as text lines, blocking changes first."""
        if not self.changes:
            return ["No resource would be replaced or deleted."]
        counts = f"{len(self.replaced)} replaced, {len(self.deleted)} deleted, {len(self.orphaned)} orphaned (retained)"
        if self.renamed:
            counts += f", {len(self.renamed)} with a changed construct id"
        if self.updated:
            counts += f", {len(self.updated)} refused or risky update{'s' if len(self.updated) != 1 else ''}"
        lines = [counts + (" - BLOCKING: on-call data would be lost or replaced." if self.blocking else ".")]
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
            raise TemplateError(f"the {which} template's resource {_short(logical_id)} has no Type.")
        if not isinstance(resource.get("Properties", {}), (Mapping, type(None))):
            raise TemplateError(
                f"the {which} template's resource {_short(logical_id)} has Properties that are not an object."
            )
    if _too_deep(resources):
        raise TemplateError(f"the {which} template nests values more than {MAX_DEPTH} levels deep.")
    return {str(k): dict(v) for k, v in resources.items()}


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _too_deep(value: Any) -> bool:
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, Mapping):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > MAX_DEPTH:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False


def _props(resource: Mapping[str, Any]) -> Mapping[str, Any]:
    props = resource.get("Properties")
    return props if isinstance(props, Mapping) else {}


def _policy(resource: Mapping[str, Any], key: str, default: str) -> str:
    value = resource.get(key, default)
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)


def _references(value: Any) -> Iterator[str]:
    """Logical ids that a property value refers to (Ref, Fn::GetAtt, Fn::Sub), without recursion."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, Mapping):
            if len(item) == 1:
                ((key, arg),) = item.items()
                if key == "Ref" and isinstance(arg, str):
                    yield arg
                    continue
                if key == "Fn::GetAtt":
                    target = (
                        arg[0]
                        if isinstance(arg, list) and arg
                        else (arg.split(".")[0] if isinstance(arg, str) else None)
                    )
                    if isinstance(target, str):
                        yield target
                    continue
                if key == "Fn::Sub":
                    text = arg[0] if isinstance(arg, list) and arg else arg
                    if isinstance(text, str):
                        for part in text.split("${")[1:]:
                            yield part.split("}")[0].split(".")[0]
            pending.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            pending.extend(reversed(item))


def _value_at(props: Mapping[str, Any], path: str) -> Any:
    """The value of a property path like ``Alias`` or ``Regions/*/RegionName`` (a list for ``*``)."""
    values: list[Any] = [props]
    many = False
    for part in path.split("/"):
        found: list[Any] = []
        for value in values:
            if part == "*":
                many = True
                found.extend(value if isinstance(value, list) else [])
            elif isinstance(value, Mapping) and part in value:
                found.append(value[part])
        values = found
    if many:
        return values
    return values[0] if values else None


def _label(resource: Mapping[str, Any]) -> str | None:
    prop = _LABELS.get(resource["Type"])
    value = _props(resource).get(prop) if prop else None
    return value if isinstance(value, str) else None


def _replacement_reasons(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    if old["Type"] != new["Type"]:
        return [f"type changed to {new['Type'][:200]}"]
    old_props, new_props = _props(old), _props(new)
    reasons = [
        f"{prop.replace('/', '.')} changed"
        for prop in CREATE_ONLY_PROPERTIES.get(old["Type"], ())
        if _value_at(old_props, prop) != _value_at(new_props, prop)
    ]
    if old["Type"] == "AWS::SSM::Document" and new_props.get("UpdateMethod", "Replace") == "Replace":
        changed = sorted(
            k for k in set(old_props) | set(new_props) if old_props.get(k) != new_props.get(k) and k != "Tags"
        )
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
            new_props = _props(new_resources[logical_id])
            for prop in CREATE_ONLY_PROPERTIES.get(resource["Type"], ()):
                gone = [ref for ref in _references(_value_at(new_props, prop)) if ref in reasons]
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
                    old_kept=_policy(resource, "UpdateReplacePolicy", "Delete") in _RETAINED,
                )
            )
        elif logical_id not in new_resources:
            policy = _policy(resource, "DeletionPolicy", "Delete")
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

    changes = _mark_renames(old_resources, new_resources, changes)
    changes.extend(_replication_set_updates(old_resources, new_resources))
    return ReplacementReport(
        changes=tuple(changes),
        reactivations=tuple(_reactivations(old_resources, new_resources, changes)),
        notes=tuple(_probable_renames(old_resources, new_resources, changes)),
    )


def _contact_alias(resources: Mapping[str, Mapping[str, Any]], contact_id: Any) -> str | None:
    for ref in _references(contact_id):
        contact = resources.get(ref)
        if contact is not None and contact["Type"] == _CONTACT:
            return _label(contact) or ref
    return None


def _channel_owner(resources: Mapping[str, Mapping[str, Any]], channel: Mapping[str, Any], logical_id: str) -> str:
    """The alias of the contact a channel belongs to (from a contact ARN when written out)."""
    contact_id = _props(channel).get("ContactId")
    alias = _contact_alias(resources, contact_id)
    if alias is None:
        alias = contact_id.rsplit("/", 1)[-1] if isinstance(contact_id, str) else logical_id
    return alias


def _channel_identity(resources: Mapping[str, Mapping[str, Any]], logical_id: str) -> tuple[str, str, str]:
    """(contact alias, channel type, channel name): what names a channel to people."""
    channel = resources[logical_id]
    props = _props(channel)
    name, kind = props.get("ChannelName"), props.get("ChannelType")
    return (
        _channel_owner(resources, channel, logical_id),
        kind if isinstance(kind, str) else "?",
        name if isinstance(name, str) else logical_id,
    )


def _successors(
    old_resources: Mapping[str, Mapping[str, Any]], new_resources: Mapping[str, Mapping[str, Any]], logical_id: str
) -> list[str]:
    """Resources added by the new template that take the place of a removed one."""
    old = old_resources[logical_id]
    kind = old["Type"]
    added = [k for k, v in new_resources.items() if k not in old_resources and v["Type"] == kind]
    if kind == _REPLICATION_SET:
        return added
    if kind == _CHANNEL:
        identity = _channel_identity(old_resources, logical_id)
        return [k for k in added if _channel_identity(new_resources, k) == identity]
    if kind in _UNIQUE_NAMES:
        prop = _UNIQUE_NAMES[kind][0]
        name = _props(old).get(prop)
        return [k for k in added if name is not None and _props(new_resources[k]).get(prop) == name]
    return []


def _mark_renames(
    old_resources: Mapping[str, Mapping[str, Any]],
    new_resources: Mapping[str, Mapping[str, Any]],
    changes: list[ResourceChange],
) -> list[ResourceChange]:
    """Deletions and orphans of on-call data whose place a new logical id takes: they block."""
    result: list[ResourceChange] = []
    for change in changes:
        if change.kind is ChangeKind.REPLACE or not change.on_call_data:
            result.append(change)
            continue
        successors = _successors(old_resources, new_resources, change.logical_id)
        if not successors:
            result.append(change)
            continue
        new_id = successors[0]
        kind = change.resource_type
        if kind == _REPLICATION_SET:
            why = (
                f"the construct id changed (new logical id {new_id}): an account holds one replication set, so "
                "creating the new one fails"
                + (
                    ""
                    if change.kind is ChangeKind.ORPHAN
                    else ", and deleting the old one deletes all Incident Manager data"
                )
            )
        elif kind == _CHANNEL:
            why = (
                f"the construct id changed (new logical id {new_id}, same contact, type and name): the channel is "
                "created again and its owner must activate it again"
            )
        else:
            prop, word = _UNIQUE_NAMES[kind]
            why = (
                f"the construct id changed (new logical id {new_id}, same {word} {_short(_props(old_resources[change.logical_id]).get(prop))}): "
                f"CloudFormation creates the new resource while the old one still holds the {word}, and the create fails"
                + ("; every channel of the contact must be activated again" if kind == _CONTACT else "")
                + "; keep the construct id"
            )
        result.append(dataclasses.replace(change, reasons=change.reasons + (why,), renamed_to=new_id, blocks=True))
    return result


def _region_keys(resource: Mapping[str, Any]) -> dict[str, str] | None:
    """Region name -> its key (as JSON, ``"DefaultKey"`` for the AWS owned key), or None when
    the regions are not a literal list."""
    regions = _props(resource).get("Regions")
    if not isinstance(regions, list):
        return None
    result: dict[str, str] = {}
    for region in regions:
        if not isinstance(region, Mapping):
            return None
        name = region.get("RegionName")
        config = region.get("RegionConfiguration")
        key = config.get("SseKmsKeyId", "DefaultKey") if isinstance(config, Mapping) else "DefaultKey"
        result[name if isinstance(name, str) else json.dumps(name, sort_keys=True, default=str)] = (
            key if isinstance(key, str) else json.dumps(key, sort_keys=True, default=str)
        )
    return result


def _replication_set_updates(
    old_resources: Mapping[str, Mapping[str, Any]], new_resources: Mapping[str, Mapping[str, Any]]
) -> Iterator[ResourceChange]:
    """Region changes of a replication set kept under the same logical id."""
    for logical_id, old in old_resources.items():
        new = new_resources.get(logical_id)
        if old["Type"] != _REPLICATION_SET or new is None or new["Type"] != _REPLICATION_SET:
            continue
        before, after = _region_keys(old), _region_keys(new)
        if before is None or after is None:
            continue
        added = sorted(set(after) - set(before))
        removed = sorted(set(before) - set(after))
        rekeyed = sorted(r for r in set(before) & set(after) if before[r] != after[r])
        reasons: list[str] = []
        if rekeyed:
            reasons.append(
                f"the key of {', '.join(rekeyed)} changed: the key of an existing region cannot be changed "
                "(remove the region, then add it again with the new key, in two deployments)"
            )
        if len(added) + len(removed) > 1:
            what = []
            if added:
                what.append(f"adds {', '.join(added)}")
            if removed:
                what.append(f"removes {', '.join(removed)}")
            reasons.append(
                f"the update {' and '.join(what)}: one region can be added or removed per update (and a region "
                "cannot be removed within 24 hours of being added); deploy one change at a time"
            )
        if reasons:
            yield ResourceChange(logical_id, _REPLICATION_SET, ChangeKind.UPDATE, tuple(reasons), blocks=True)
        elif removed:
            yield ResourceChange(
                logical_id,
                _REPLICATION_SET,
                ChangeKind.UPDATE,
                (
                    f"removes the region {removed[0]} and the incident data replicated there (refused within 24 hours "
                    "of the region being added)",
                ),
                blocks=False,
            )


def _reactivations(
    old_resources: Mapping[str, Mapping[str, Any]],
    new_resources: Mapping[str, Mapping[str, Any]],
    changes: list[ResourceChange],
) -> Iterator[ChannelReactivation]:
    """Channels created again: replaced, or removed while a new logical id takes their place
    (their construct id or their contact's changed)."""
    for change in changes:
        if change.resource_type != _CHANNEL:
            continue
        if change.kind is ChangeKind.REPLACE or (
            change.kind in (ChangeKind.DELETE, ChangeKind.ORPHAN)
            and (change.renamed_to is not None or _successors(old_resources, new_resources, change.logical_id))
        ):
            alias, channel_type, name = _channel_identity(old_resources, change.logical_id)
            yield ChannelReactivation(
                contact_alias=alias, channel_name=name, channel_type=channel_type, logical_id=change.logical_id
            )


def _probable_renames(
    old_resources: Mapping[str, Mapping[str, Any]],
    new_resources: Mapping[str, Mapping[str, Any]],
    changes: list[ResourceChange],
) -> Iterator[str]:
    """A deleted resource with the same type and name as an added one: a construct id changed
    (on-call data says so in its change, which blocks; other resources get a note)."""
    added = {k: v for k, v in new_resources.items() if k not in old_resources}
    for change in changes:
        if (
            change.kind in (ChangeKind.REPLACE, ChangeKind.UPDATE)
            or change.label is None
            or change.renamed_to is not None
        ):
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


def _load(path: str | pathlib.Path, which: str) -> dict[str, Any]:
    file = pathlib.Path(path)
    try:
        if file.stat().st_size > MAX_TEMPLATE_BYTES:
            raise TemplateError(f"the {which} template {str(file)!r} is larger than {MAX_TEMPLATE_BYTES:,} bytes.")
        with file.open("rb") as handle:
            text = handle.read(MAX_TEMPLATE_BYTES + 1).decode("utf-8-sig")
    except OSError as error:
        raise TemplateError(f"cannot read the {which} template {str(file)!r}: {error.strerror or error}.") from None
    except UnicodeDecodeError:
        raise TemplateError(f"the {which} template {str(file)!r} is not UTF-8 text.") from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise TemplateError(
            f"the {which} template {str(file)!r} nests values more than {MAX_DEPTH} levels deep."
        ) from None
    except json.JSONDecodeError as error:
        raise TemplateError(
            f"the {which} template {str(file)!r} is not JSON ({error.msg} at line {error.lineno}); "
            "give the cdk.out/<Stack>.template.json files."
        ) from None
    if not isinstance(data, dict):
        raise TemplateError(f"the {which} template {str(file)!r} is not a JSON object.")
    return data


def check_replacement_files(old_path: str | pathlib.Path, new_path: str | pathlib.Path) -> ReplacementReport:
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
    old_path: str | pathlib.Path, new_path: str | pathlib.Path, *, out: Any = None, err: Any = None
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
