"""Synthesized templates against the live account: the ``cdk import`` mapping and drift.

Template resources are matched with live ones by natural key: a contact by alias, a channel by
its contact's alias and its name, a personal contact's plan by the contact's alias, a rotation,
response plan or document by name, and the account's one replication set. Matched resources are
compared property by property, write-only properties included (a contact's ``Plan``, a plan's
``RotationIds``), which CloudFormation's own drift detection cannot see.

Comparison rules: lists the service keeps as sets (stage targets, rotation ids, engagements,
topics) are compared as sets; tags and runbook parameters as mappings; absent, null and empty
are the same; a channel address is compared whole when the live address is known, by its mask
when the snapshot was loaded from ``account.json``, and by parameter name when the template reads
it from an SSM parameter that ``adopt --addresses`` wrote.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Union

from ..core.masking import mask_address
from .errors import AdoptError, Difference
from .snapshot import (
    ADOPTED_TYPES,
    CHANNEL,
    CONTACT,
    DOCUMENT,
    PLAN,
    REPLICATION_SET,
    RESPONSE_PLAN,
    AccountSnapshot,
    LiveResource,
)
from .template import NO_VALUE, Resolver, StackTemplate, Unresolved

__all__ = ["ImportPlan", "drift", "import_mapping", "plan_import"]

ParameterResolver = Callable[[str], str | None]
TemplateLike = Union[Mapping[str, Any], StackTemplate]  # noqa: UP007 - a runtime alias (Python 3.10)

_CONTACT_ARN = re.compile(r":contact/([a-z0-9_.\-]+)$")
_ABSENT = object()
#: Lists the service keeps as sets (by their property name).
_UNORDERED = frozenset(
    {
        "Targets",
        "RotationIds",
        "Engagements",
        "ChatbotSns",
        "NotificationTargets",
        "DailySettings",
        "WeeklySettings",
        "MonthlySettings",
        "CoverageTimes",
    }
)
#: Lists of key/value pairs, compared as mappings: property name -> (key field, value field or None for the rest).
_KEYED = {
    "Tags": ("Key", "Value"),
    "IncidentTags": ("Key", "Value"),
    "Parameters": ("Key", "Values"),
    "DynamicParameters": ("Key", "Value"),
    "Regions": ("RegionName", "RegionConfiguration"),
    "ShiftCoverages": ("DayOfWeek", "CoverageTimes"),
}
#: Properties a template may leave out without changing the live resource (write-only, or not set
#: by CloudFormation unless given).
_IGNORED_LIVE_ONLY = {DOCUMENT: {"VersionName", "Requires", "TargetType", "DocumentFormat"}}
_IGNORED = {CHANNEL: {"DeferActivation"}, DOCUMENT: {"UpdateMethod", "Attachments"}}
_HH_MM = re.compile(r"[0-9]:[0-5][0-9]")


@dataclasses.dataclass
class ImportPlan:
    """What ``cdk import`` would adopt, and what stands in the way."""

    #: Logical id -> identifier, as ``cdk import --resource-mapping`` takes it.
    mapping: dict[str, dict[str, str]]
    #: Properties that differ (the import is refused while there are any).
    differences: list[Difference]
    #: Words for the user: resources the next deploy creates, live resources the stack leaves alone,
    #: comparisons made on masks.
    notes: list[str]


@dataclasses.dataclass
class _Resource:
    logical_id: str
    type: str
    properties: dict[str, Any]
    deletion_policy: str | None
    key: str | None = None
    live: LiveResource | None = None


# -- matching ----------------------------------------------------------------------------------------


def _resources(template: Mapping[str, Any]) -> list[_Resource]:
    resources = template.get("Resources")
    if not isinstance(resources, dict):
        raise AdoptError("the template has no Resources")
    result = []
    for logical_id, resource in resources.items():
        if isinstance(resource, dict) and resource.get("Type") in ADOPTED_TYPES:
            raw = resource.get("Properties")
            properties: dict[str, Any] = raw if isinstance(raw, dict) else {}
            policy = resource.get("DeletionPolicy")
            result.append(
                _Resource(logical_id, resource["Type"], properties, policy if isinstance(policy, str) else None)
            )
    return result


def _contact_alias(value: Any, by_id: dict[str, _Resource]) -> str | None:
    target = None
    if isinstance(value, dict) and len(value) == 1:
        key, argument = next(iter(value.items()))
        if key == "Fn::GetAtt":
            target = argument[0] if isinstance(argument, list) and argument else str(argument).split(".")[0]
        elif key == "Ref":
            target = argument
    if isinstance(target, str) and target in by_id and by_id[target].type == CONTACT:
        alias = by_id[target].properties.get("Alias")
        return alias if isinstance(alias, str) else None
    if isinstance(value, str):
        match = _CONTACT_ARN.search(value)
        return match.group(1) if match else None
    return None


def _key(resource: _Resource, by_id: dict[str, _Resource]) -> str | None:
    p = resource.properties
    if resource.type == CONTACT:
        return p.get("Alias") if isinstance(p.get("Alias"), str) else None
    if resource.type == CHANNEL:
        alias = _contact_alias(p.get("ContactId"), by_id)
        name = p.get("ChannelName")
        return f"{alias} / {name}" if alias and isinstance(name, str) else None
    if resource.type == PLAN:
        return _contact_alias(p.get("ContactId"), by_id)
    if resource.type == REPLICATION_SET:
        return "replication-set"
    name = p.get("Name")
    return name if isinstance(name, str) and "{{" not in name and "${" not in name else None


def _match(resources: list[_Resource], snapshot: AccountSnapshot, taken: set[int], notes: list[str]) -> None:
    by_id = {r.logical_id: r for r in resources}
    for resource in resources:
        resource.key = _key(resource, by_id)
        if resource.key is None:
            notes.append(
                f"{resource.logical_id} ({resource.type}): its name is known only at deploy time; it cannot be matched"
            )
            continue
        live = snapshot.find(resource.type, resource.key)
        if live is not None and id(live) in taken:
            notes.append(
                f"{resource.logical_id} ({resource.type} {resource.key}): another template resource already matches it"
            )
            continue
        if live is not None:
            resource.live = live
            taken.add(id(live))


# -- canonical values --------------------------------------------------------------------------------


class _Set(tuple):  # type: ignore[type-arg]
    """A list compared as a set."""


def _canon(value: Any, name: str = "") -> Any:
    if value is None or value is NO_VALUE:
        return _ABSENT
    if isinstance(value, dict):
        result = {}
        for k, v in value.items():
            c = _canon(v, k)
            if c is not _ABSENT:
                result[k] = c
        return result or _ABSENT
    if isinstance(value, list):
        if name in _KEYED and all(isinstance(v, dict) for v in value):
            key_field, value_field = _KEYED[name]
            mapped = {str(item.get(key_field)): _canon(item.get(value_field), value_field) for item in value}
            return mapped or _ABSENT
        items = [c for c in (_canon(v, name) for v in value) if c is not _ABSENT]
        if not items:
            return _ABSENT
        if name in _UNORDERED:
            return _Set(sorted(items, key=_sort_key))
        return items
    if isinstance(value, str) and _HH_MM.fullmatch(value):
        return "0" + value
    return value


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _equal(template: Any, live: Any) -> bool:
    if isinstance(template, Unresolved) or isinstance(live, Unresolved):
        return False
    if isinstance(template, bool) or isinstance(live, bool):
        return str(template).lower() == str(live).lower()
    if (
        isinstance(template, (int, float))
        and isinstance(live, str)
        or isinstance(live, (int, float))
        and isinstance(template, str)
    ):
        return str(template) == str(live)
    return bool(template == live)


def _show(value: Any, address: bool = False) -> str:
    if value is _ABSENT:
        return "(none)"
    if isinstance(value, Unresolved):
        return str(value)
    if address and isinstance(value, str):
        return repr(mask_address(value))
    text = json.dumps(list(value) if isinstance(value, _Set) else value, sort_keys=True, default=str)
    return text if len(text) <= 160 else text[:157] + "..."


def _diff(template: Any, live: Any, path: str, out: list[tuple[str, str, str]]) -> None:
    if isinstance(template, dict) and isinstance(live, dict):
        for key in sorted(set(template) | set(live)):
            _diff(template.get(key, _ABSENT), live.get(key, _ABSENT), f"{path}.{key}" if path else key, out)
        return
    if (
        isinstance(template, list)
        and isinstance(live, list)
        and not isinstance(template, _Set)
        and not isinstance(live, _Set)
    ):
        for index in range(max(len(template), len(live))):
            _diff(
                template[index] if index < len(template) else _ABSENT,
                live[index] if index < len(live) else _ABSENT,
                f"{path}[{index}]",
                out,
            )
        return
    if isinstance(template, _Set) and isinstance(live, _Set):
        if list(template) != list(live):
            out.append((path, _show(template), _show(live)))
        return
    if template is _ABSENT and live is _ABSENT:
        return
    if template is _ABSENT or live is _ABSENT or not _equal(template, live):
        out.append((path, _show(template), _show(live)))


def _defaults(resource_type: str, properties: dict[str, Any]) -> dict[str, Any]:
    result = dict(properties)
    if resource_type == RESPONSE_PLAN and isinstance(result.get("Actions"), list):
        actions = []
        for action in result["Actions"]:
            if isinstance(action, dict) and isinstance(action.get("SsmAutomation"), dict):
                automation = dict(action["SsmAutomation"])
                automation.setdefault("TargetAccount", "RESPONSE_PLAN_OWNER_ACCOUNT")
                action = {**action, "SsmAutomation": automation}
            actions.append(action)
        result["Actions"] = actions
    return result


class _Comparer:
    def __init__(self, snapshot: AccountSnapshot, resolve_parameter: ParameterResolver | None) -> None:
        self.snapshot = snapshot
        self.resolve_parameter = resolve_parameter
        self.notes: list[str] = []
        self._masked_note = False

    def compare(self, resource: _Resource, resolver: Resolver) -> list[Difference]:
        live = resource.live
        assert live is not None
        template = resolver.resolve(resource.properties)
        if not isinstance(template, dict):
            template = {}
        for ignored in _IGNORED.get(resource.type, ()):
            template.pop(ignored, None)
        live_properties = json.loads(json.dumps(live.properties, default=str))
        for ignored in _IGNORED_LIVE_ONLY.get(resource.type, ()):
            if ignored not in template:
                if ignored == "DocumentFormat" and str(live_properties.get(ignored, "JSON")).upper() != "JSON":
                    self.notes.append(
                        f"{resource.logical_id} ({DOCUMENT} {live.name}): stored as {live_properties[ignored]}; the template gives "
                        "the same content as JSON, so the next content change stores it as JSON"
                    )
                live_properties.pop(ignored, None)
        found: list[tuple[str, str, str]] = []
        if resource.type == CHANNEL:
            self._address(
                template.pop("ChannelAddress", _ABSENT), live_properties.pop("ChannelAddress", _ABSENT), live, found
            )
        _diff(_canon(_defaults(resource.type, template)), _canon(_defaults(resource.type, live_properties)), "", found)
        return [
            Difference(resource.logical_id, resource.type, live.name, path, shown, seen) for path, shown, seen in found
        ]

    def _address(self, template: Any, live: Any, resource: LiveResource, out: list[tuple[str, str, str]]) -> None:
        masked = bool(resource.info.get("AddressMasked"))
        live_shown = repr(live if masked else mask_address(str(live))) if isinstance(live, str) else "(none)"
        if isinstance(template, Unresolved):
            name = template.ssm_parameter
            if name is not None and self.resolve_parameter is not None:
                value = self.resolve_parameter(name)
                if value is None:
                    out.append(("ChannelAddress", f"SSM parameter {name}, which cannot be read", live_shown))
                    return
                template = value
            elif name is not None and resource.info.get("AddressParameter") == name:
                return  # the parameter adopt wrote for this very address
            else:
                out.append(("ChannelAddress", str(template), live_shown))
                return
        if not isinstance(template, str) or not isinstance(live, str):
            if template is not live:
                out.append(("ChannelAddress", _show(template, True), live_shown))
            return
        if masked:
            if mask_address(template) != live:
                out.append(("ChannelAddress", repr(mask_address(template)), live_shown))
            elif not self._masked_note:
                self._masked_note = True
                self.notes.append(
                    "addresses were compared by their masks (account.json keeps no address); `incident-constructs drift` "
                    "compares them whole"
                )
            return
        if template != live:
            out.append(("ChannelAddress", repr(mask_address(template)), live_shown))


# -- the stacks ----------------------------------------------------------------------------------


def _template_of(template: TemplateLike) -> tuple[str, Mapping[str, Any]]:
    if isinstance(template, StackTemplate):
        return template.name, template.template
    if not isinstance(template, Mapping):
        raise AdoptError("a template must be a mapping (the JSON of a synthesized template)")
    return "Stack", template


class _Stacks:
    """Several templates matched against one snapshot, with exports resolved across them."""

    def __init__(self, templates: Sequence[TemplateLike], snapshot: AccountSnapshot) -> None:
        self.snapshot = snapshot
        self.notes: list[str] = []
        self.stacks: list[tuple[str, Mapping[str, Any], list[_Resource]]] = []
        taken: set[int] = set()
        for template in templates:
            name, body = _template_of(template)
            resources = _resources(body)
            _match(resources, snapshot, taken, self.notes)
            self.stacks.append((name, body, resources))
        self.taken = taken
        self.resolvers = [self._resolver(i) for i in range(len(self.stacks))]

    def _resolver(self, index: int) -> Resolver:
        name, body, resources = self.stacks[index]
        by_id = {r.logical_id: r for r in resources}

        def identity(logical_id: str) -> str | None:
            resource = by_id.get(logical_id)
            if resource is None or resource.live is None:
                return None
            return resource.live.name if resource.type == DOCUMENT else resource.live.arn

        return Resolver(
            body,
            account=self.snapshot.account,
            region=self.snapshot.region,
            partition=self.snapshot.partition,
            stack_name=name,
            identity=identity,
            exports=self._export,
        )

    def _export(self, export: str, depth: int) -> Any:
        for index, (_, body, _) in enumerate(self.stacks):
            for output in (body.get("Outputs") or {}).values():
                if not isinstance(output, dict) or not isinstance(output.get("Export"), dict):
                    continue
                resolver = self.resolvers[index]
                if resolver.resolve(output["Export"].get("Name"), depth) == export:
                    return resolver.resolve(output.get("Value"), depth)
        return Unresolved(f"the export {export}, which no stack read holds")


def plan_import(
    template: TemplateLike, snapshot: AccountSnapshot, *, resolve_parameter: ParameterResolver | None = None
) -> ImportPlan:
    """Match ``template`` with ``snapshot`` and compare them; see :func:`import_mapping`."""
    stacks = _Stacks([template], snapshot)
    comparer = _Comparer(snapshot, resolve_parameter)
    mapping: dict[str, dict[str, str]] = {}
    differences: list[Difference] = []
    notes = list(stacks.notes)
    _, _, resources = stacks.stacks[0]
    for resource in resources:
        if resource.live is None:
            if resource.key is not None:
                what = (
                    "a channel the person must activate" if resource.type == CHANNEL else "created by the next deploy"
                )
                notes.append(f"{resource.logical_id} ({resource.type} {resource.key}): not in the account: {what}")
            continue
        if resource.deletion_policy is None:
            differences.append(
                Difference(
                    resource.logical_id,
                    resource.type,
                    resource.live.name,
                    "DeletionPolicy",
                    "(none)",
                    "(import needs one)",
                )
            )
        differences.extend(comparer.compare(resource, stacks.resolvers[0]))
        mapping[resource.logical_id] = resource.live.identifier
    notes.extend(comparer.notes)
    for live in snapshot.resources:
        if id(live) not in stacks.taken and not (live.type == PLAN and not live.properties.get("Stages")):
            notes.append(f"{live.type} {live.name}: in the account, not in this stack (left alone)")
    return ImportPlan(mapping, differences, notes)


def import_mapping(
    template: TemplateLike, snapshot: AccountSnapshot, *, resolve_parameter: ParameterResolver | None = None
) -> dict[str, dict[str, str]]:
    """The JSON that ``cdk import --resource-mapping`` takes: logical id -> ``{"Arn": ...}``
    (``{"Name": ...}`` for an ``AWS::SSM::Document``), for every resource of ``template`` that
    exists in the account.

    :param template: a synthesized template (its JSON as a mapping) or a :class:`StackTemplate`.
    :param snapshot: the account, read by :func:`read_account` or loaded from ``account.json``.
    :param resolve_parameter: reads an SSM parameter's value (to compare addresses kept in
        parameters). Default: a parameter that ``adopt --addresses`` wrote counts as equal.
    :raises AdoptError: a matched resource differs from the live one (the first deploy after the
        import would change it: a changed address means the person activates the channel again),
        or lacks a ``DeletionPolicy``; :attr:`AdoptError.differences` lists them property by property.
    """
    plan = plan_import(template, snapshot, resolve_parameter=resolve_parameter)
    if plan.differences:
        lines = "\n".join(str(d) for d in plan.differences)
        raise AdoptError(
            f"{len(plan.differences)} propert{'y differs' if len(plan.differences) == 1 else 'ies differ'} from the account; "
            f"importing now would change live resources at the next deploy:\n{lines}",
            plan.differences,
        )
    return plan.mapping


def drift(
    template: TemplateLike | Sequence[TemplateLike],
    snapshot: AccountSnapshot,
    *,
    resolve_parameter: ParameterResolver | None = None,
) -> list[Difference]:
    """The differences between synthesized templates and the live account, per resource and property.

    :param template: one synthesized template, or several (every stack of an app: live resources
        none of them holds are then reported as ``unmanaged``).
    :returns: ``changed`` differences of matched resources (write-only properties included),
        ``missing`` template resources the account does not have, and ``unmanaged`` live
        resources no template holds.
    """
    templates: Sequence[TemplateLike]
    if isinstance(template, (Mapping, StackTemplate)):
        templates = [template]
    else:
        templates = list(template)
    stacks = _Stacks(templates, snapshot)
    comparer = _Comparer(snapshot, resolve_parameter)
    result: list[Difference] = []
    for index, (_, _, resources) in enumerate(stacks.stacks):
        for resource in resources:
            if resource.live is None:
                result.append(
                    Difference(resource.logical_id, resource.type, resource.key or "?", "", "", "", kind="missing")
                )
            else:
                result.extend(comparer.compare(resource, stacks.resolvers[index]))
    for live in snapshot.resources:
        if id(live) in stacks.taken or (live.type == PLAN and not live.properties.get("Stages")):
            continue
        result.append(Difference("-", live.type, live.name, "", "", "", kind="unmanaged"))
    return result
