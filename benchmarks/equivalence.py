"""Proof that the three ways write the same organisation: templates compared per stack name
after replacing logical ids by what each resource is (its alias, name or channel name)."""

from __future__ import annotations

from typing import Any

_KEY_PROPERTY = {
    "AWS::SSMContacts::Contact": "Alias",
    "AWS::SSMContacts::ContactChannel": "ChannelName",
    "AWS::SSM::Document": "Name",
    "AWS::SSMIncidents::ResponsePlan": "Name",
    "AWS::IAM::Role": "Description",
}


def _names(resources: dict[str, Any]) -> dict[str, str]:
    """A name for each resource that does not depend on its logical id (its natural key)."""
    names: dict[str, str] = {}
    for logical_id, resource in resources.items():
        kind = resource["Type"]
        prop = _KEY_PROPERTY.get(kind)
        if prop is not None:
            names[logical_id] = f"{kind}:{resource['Properties'][prop]}"
        elif kind == "AWS::SSMIncidents::ReplicationSet":
            names[logical_id] = kind
    for logical_id, resource in resources.items():
        if resource["Type"] == "AWS::SSMContacts::Plan":
            owner = resource["Properties"]["ContactId"]["Fn::GetAtt"][0]
            names[logical_id] = f"Plan of {names[owner]}"
    missing = set(resources) - set(names)
    if missing:
        raise ValueError(f"resources the check does not know: {sorted(missing)}")
    return names


def _renamed(value: Any, names: dict[str, str]) -> Any:
    """``value`` with the logical ids in its Fn::GetAtt and Ref replaced by names."""
    if isinstance(value, dict):
        if set(value) == {"Fn::GetAtt"}:
            target, attribute = value["Fn::GetAtt"]
            return {"Fn::GetAtt": [names.get(target, target), attribute]}
        if set(value) == {"Ref"}:
            return {"Ref": names.get(value["Ref"], value["Ref"])}
        return {k: _renamed(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, names) for v in value]
    return value


def normalize(template: dict[str, Any]) -> dict[str, Any]:
    """The template with resources keyed by natural key instead of logical id, without metadata."""
    resources: dict[str, Any] = template.get("Resources", {})
    names = _names(resources)
    out = {k: v for k, v in template.items() if k != "Resources"}
    normalized = {}
    for logical_id, resource in resources.items():
        resource = {k: v for k, v in resource.items() if k != "Metadata"}
        if "DependsOn" in resource:
            resource["DependsOn"] = sorted(names[d] for d in resource["DependsOn"])
        normalized[names[logical_id]] = _renamed(resource, names)
    out["Resources"] = normalized
    return out


def differences(a: dict[str, dict[str, Any]], b: dict[str, dict[str, Any]]) -> list[str]:
    """Stack name -> template, twice; the differences found (empty when equivalent)."""
    problems = []
    if set(a) != set(b):
        problems.append(f"stacks differ: {sorted(set(a) ^ set(b))}")
    for name in sorted(set(a) & set(b)):
        na, nb = normalize(a[name]), normalize(b[name])
        if na == nb:
            continue
        ra, rb = na["Resources"], nb["Resources"]
        for key in sorted(set(ra) | set(rb)):
            if ra.get(key) != rb.get(key):
                problems.append(f"{name}: {key}: {ra.get(key)!r} != {rb.get(key)!r}")
                break
        else:
            problems.append(f"{name}: sections other than Resources differ")
    return problems
