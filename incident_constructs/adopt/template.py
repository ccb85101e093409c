"""Synthesized templates without the CDK: reading ``cdk.out`` and resolving the intrinsic
functions that name live resources.

A template is resolved against the live resources it was matched with: ``Fn::GetAtt [Id, Arn]``
and ``Ref`` of a matched resource become its live ARN (a document's name); pseudo parameters
become the snapshot's account, region and partition; ``Fn::Join``, ``Fn::Sub``, ``Fn::Select``,
``Fn::Split`` and ``Fn::ImportValue`` (across the stacks read) are computed. Anything else is
:class:`Unresolved`: a value known only at deploy time, described in words.
"""

from __future__ import annotations

import dataclasses
import json
import pathlib
import re
from collections.abc import Callable, Mapping
from typing import Any

from .errors import AdoptError

__all__ = ["StackTemplate", "Unresolved", "read_assembly", "Resolver", "NO_VALUE"]

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_NESTING = 10
MAX_DEPTH = 60
STACK_ARTIFACT = "aws:cloudformation:stack"
NESTED_ASSEMBLY = "cdk:cloud-assembly"
_DYNAMIC_SSM = re.compile(r"\{\{resolve:ssm:([a-zA-Z0-9_.\-/]+)(?::([0-9]+))?\}\}")
_SSM_PARAMETER_TYPES = ("AWS::SSM::Parameter::Value<String>",)


@dataclasses.dataclass(frozen=True)
class StackTemplate:
    """One stack of a cloud assembly."""

    #: The stack name (what CloudFormation calls it).
    name: str
    #: The artifact id and the display name (``Stage/Stack``), also accepted by ``--stack``.
    artifact_id: str
    display_name: str
    template: dict[str, Any]


@dataclasses.dataclass(frozen=True)
class Unresolved:
    """A template value that is known only at deploy time."""

    #: What it is, in words ("the ARN of RunbookRole, a resource the stack creates").
    text: str
    #: The SSM parameter it reads (``{{resolve:ssm:NAME}}`` or a CDK SSM parameter), if any.
    ssm_parameter: str | None = None

    def __str__(self) -> str:
        return self.text


class _NoValue:
    def __repr__(self) -> str:
        return "AWS::NoValue"


#: ``Ref: AWS::NoValue``: the property is left out.
NO_VALUE = _NoValue()


def _read_json(path: pathlib.Path, what: str) -> Any:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise AdoptError(f"{what} {path} is {size:,} bytes; at most {MAX_FILE_BYTES:,} are read")
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise AdoptError(f"cannot read {what} {path}: {error.strerror or type(error).__name__}") from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise AdoptError(f"{what} {path} is not JSON ({type(error).__name__})") from None


def read_assembly(path: str | pathlib.Path) -> list[StackTemplate]:
    """The stacks of the cloud assembly at ``path`` (a ``cdk.out`` directory), stage assemblies included."""
    root = pathlib.Path(path)
    if not (root / "manifest.json").is_file():
        raise AdoptError(f"no cloud assembly at {root} (manifest.json not found); run `cdk synth` first")
    stacks: list[StackTemplate] = []
    _read_manifest(root.resolve(), root.resolve(), stacks, 0)
    return stacks


def _read_manifest(base: pathlib.Path, directory: pathlib.Path, out: list[StackTemplate], depth: int) -> None:
    if depth > MAX_NESTING:
        raise AdoptError(f"stage assemblies nest more than {MAX_NESTING} deep under {base}")
    manifest = _read_json(directory / "manifest.json", "manifest")
    artifacts = manifest.get("artifacts") if isinstance(manifest, dict) else None
    if not isinstance(artifacts, dict):
        return
    for artifact_id, artifact in artifacts.items():
        if not isinstance(artifact, dict):
            continue
        raw = artifact.get("properties")
        properties: dict[str, Any] = raw if isinstance(raw, dict) else {}
        if artifact.get("type") == STACK_ARTIFACT and isinstance(properties.get("templateFile"), str):
            file = (directory / properties["templateFile"]).resolve()
            if not file.is_relative_to(base):
                raise AdoptError(f"the template of {artifact_id} lies outside the assembly {base}")
            template = _read_json(file, "template")
            if not isinstance(template, dict):
                raise AdoptError(f"template {file} is not a JSON object")
            name = str(properties["stackName"]) if isinstance(properties.get("stackName"), str) else str(artifact_id)
            display = str(artifact["displayName"]) if isinstance(artifact.get("displayName"), str) else str(artifact_id)
            out.append(StackTemplate(name, artifact_id, display, template))
        elif artifact.get("type") == NESTED_ASSEMBLY and isinstance(properties.get("directoryName"), str):
            nested = (directory / properties["directoryName"]).resolve()
            if not nested.is_relative_to(base):
                raise AdoptError(f"the assembly {artifact_id} lies outside {base}")
            _read_manifest(base, nested, out, depth + 1)


def find_stack(stacks: list[StackTemplate], name: str | None) -> StackTemplate:
    """The stack named ``name`` (stack name, artifact id or display name); the only one when None."""
    if name is None:
        if len(stacks) == 1:
            return stacks[0]
        names = ", ".join(s.display_name for s in stacks) or "none"
        raise AdoptError(f"the assembly has {len(stacks)} stacks ({names}); name one with --stack")
    for stack in stacks:
        if name in (stack.name, stack.artifact_id, stack.display_name):
            return stack
    raise AdoptError(
        f"no stack {name!r} in the assembly; stacks: {', '.join(s.display_name for s in stacks) or 'none'}"
    )


#: The ARN (or, for a document, the name) of a matched resource, by logical id.
Identity = Callable[[str], str | None]
#: The value an ``Fn::ImportValue`` of this export name resolves to.
Exports = Callable[[str, int], Any]


class Resolver:
    """Resolves a template's values against the live resources it was matched with."""

    def __init__(
        self,
        template: Mapping[str, Any],
        *,
        account: str | None,
        region: str,
        partition: str,
        stack_name: str,
        identity: Identity,
        exports: Exports | None = None,
    ) -> None:
        self.resources: dict[str, Any] = template.get("Resources") or {}
        self.parameters: dict[str, Any] = template.get("Parameters") or {}
        self.account = account
        self.region = region
        self.partition = partition
        self.stack_name = stack_name
        self.identity = identity
        self.exports = exports

    def resolve(self, value: Any, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            return Unresolved("a value nested too deeply to read")
        if isinstance(value, dict):
            if len(value) == 1:
                key, argument = next(iter(value.items()))
                if key == "Ref":
                    return self._ref(argument)
                if key == "Fn::GetAtt":
                    return self._get_att(argument)
                if key.startswith("Fn::") or key == "Condition":
                    return self._function(key, argument, depth)
            result = {}
            for k, v in value.items():
                resolved = self.resolve(v, depth + 1)
                if resolved is not NO_VALUE:
                    result[k] = resolved
            return result
        if isinstance(value, list):
            items = [self.resolve(v, depth + 1) for v in value]
            return [v for v in items if v is not NO_VALUE]
        if isinstance(value, str) and "{{resolve:" in value:
            match = _DYNAMIC_SSM.fullmatch(value)
            if match:
                name = match.group(1) + (f":{match.group(2)}" if match.group(2) else "")
                return Unresolved(f"SSM parameter {name} (read at deploy time)", ssm_parameter=name)
            return Unresolved("a dynamic reference resolved at deploy time")
        return value

    def _ref(self, name: Any) -> Any:
        if not isinstance(name, str):
            return Unresolved("a Ref to a computed name")
        pseudo = {
            "AWS::AccountId": self.account,
            "AWS::Region": self.region,
            "AWS::Partition": self.partition,
            "AWS::URLSuffix": "amazonaws.com.cn" if self.partition == "aws-cn" else "amazonaws.com",
            "AWS::StackName": self.stack_name,
        }
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in pseudo:
            return pseudo[name] if pseudo[name] is not None else Unresolved(f"the stack's {name}")
        if name in self.parameters:
            parameter = self.parameters[name] if isinstance(self.parameters[name], dict) else {}
            if parameter.get("Type") in _SSM_PARAMETER_TYPES and isinstance(parameter.get("Default"), str):
                return Unresolved(
                    f"SSM parameter {parameter['Default']} (read at deploy time)", ssm_parameter=parameter["Default"]
                )
            if "Default" in parameter:
                return parameter["Default"]
            return Unresolved(f"template parameter {name}")
        found = self.identity(name)
        if found is not None:
            return found
        kind = (
            (self.resources.get(name) or {}).get("Type", "resource")
            if isinstance(self.resources.get(name), dict)
            else "resource"
        )
        return Unresolved(f"{name} ({kind}), a resource the stack creates")

    def _get_att(self, argument: Any) -> Any:
        if isinstance(argument, str) and "." in argument:
            argument = argument.split(".", 1)
        if not (isinstance(argument, list) and len(argument) == 2 and all(isinstance(a, str) for a in argument)):
            return Unresolved("a computed Fn::GetAtt")
        logical_id, attribute = argument
        if attribute == "Arn":
            found = self.identity(logical_id)
            if found is not None:
                return found
        kind = (
            (self.resources.get(logical_id) or {}).get("Type", "resource")
            if isinstance(self.resources.get(logical_id), dict)
            else "resource"
        )
        return Unresolved(f"the {attribute} of {logical_id} ({kind}), a resource the stack creates")

    def _function(self, name: str, argument: Any, depth: int) -> Any:
        if name == "Fn::Join" and isinstance(argument, list) and len(argument) == 2 and isinstance(argument[0], str):
            parts = self.resolve(argument[1], depth + 1)
            if isinstance(parts, list) and all(isinstance(p, str) for p in parts):
                return argument[0].join(parts)
            unresolved = [p for p in (parts if isinstance(parts, list) else [parts]) if isinstance(p, Unresolved)]
            return (
                unresolved[0] if len(unresolved) == 1 else Unresolved("a value joined from values known at deploy time")
            )
        if name == "Fn::Sub":
            return self._sub(argument, depth)
        if name == "Fn::Select" and isinstance(argument, list) and len(argument) == 2:
            index, items = self.resolve(argument[0], depth + 1), self.resolve(argument[1], depth + 1)
            try:
                position = int(index)
            except (TypeError, ValueError):
                return Unresolved("a Fn::Select of a value known at deploy time")
            if isinstance(items, list) and 0 <= position < len(items):
                return items[position]
            return Unresolved("a Fn::Select of a list known at deploy time")
        if name == "Fn::Split" and isinstance(argument, list) and len(argument) == 2 and isinstance(argument[0], str):
            source = self.resolve(argument[1], depth + 1)
            if isinstance(source, str):
                return source.split(argument[0])
            return Unresolved("a Fn::Split of a value known at deploy time")
        if name == "Fn::ImportValue":
            export = self.resolve(argument, depth + 1)
            if isinstance(export, str) and self.exports is not None:
                return self.exports(export, depth + 1)
            return Unresolved(f"the export {export} of another stack")
        return Unresolved(f"a {name} evaluated at deploy time")

    def _sub(self, argument: Any, depth: int) -> Any:
        if isinstance(argument, str):
            text, variables = argument, {}
        elif (
            isinstance(argument, list)
            and len(argument) == 2
            and isinstance(argument[0], str)
            and isinstance(argument[1], dict)
        ):
            text, variables = argument[0], {k: self.resolve(v, depth + 1) for k, v in argument[1].items()}
        else:
            return Unresolved("a computed Fn::Sub")
        failed: list[Unresolved] = []

        def replace(match: re.Match[str]) -> str:
            token = match.group(1)
            if token.startswith("!"):
                return "${" + token[1:] + "}"
            if token in variables:
                value = variables[token]
            elif "." in token:
                value = self._get_att(token.split(".", 1))
            else:
                value = self._ref(token)
            if isinstance(value, str):
                return value
            failed.append(value if isinstance(value, Unresolved) else Unresolved(f"${{{token}}}"))
            return ""

        result = re.sub(r"\$\{([^}]+)\}", replace, text)
        if failed:
            return failed[0] if len(failed) == 1 else Unresolved("a Fn::Sub of values known at deploy time")
        return result
