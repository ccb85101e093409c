"""Resources the library writes itself and hands to the CDK runtime in one call per stack.

Every call from Python to the CDK runtime is a round trip to its node process (0.2-0.9 ms);
an L1 costs three of them (create, ``apply_removal_policy``, ``attr_arn``). A stack's contacts,
channels and engagement plans are therefore kept here as plain CloudFormation and turned into
L1 resources in one ``CfnInclude`` when the app is synthesized, with the logical ids CDK would
have given an L1 at the same construct path (computed here exactly as CDK computes them).

A batched resource becomes a real L1 at its construct path, with the same logical id, when
something needs the object rather than the template:

- its ``resource`` (or an attribute token such as ``contact_arn``) is asked for;
- a resource of another stack refers to it (CDK then creates the export and the import);
- it is added after the stack's batch was handed over (a second synthesis);
- the stack computes logical ids its own way (a subclass overriding ``allocate_logical_id``).

Within one stack, references are plain ``Fn::GetAtt`` on the logical id.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import weakref
from typing import Any, Callable, Optional

import aws_cdk as cdk
import jsii
from constructs import Construct, IConstruct

from ._validation import ValidationError, _scope_stacks, stack_of

__all__ = ["BatchedResource", "Ref", "make_unique_id", "scope_place"]

#: Construct ids CDK leaves out of logical ids: ``Default`` entirely, ``Resource`` from the readable part.
_HIDDEN_ID = "Default"
_HIDDEN_FROM_HUMAN_ID = "Resource"
_MAX_HUMAN_LEN = 240
_MAX_ID_LEN = 255
_PATH_METADATA_CONTEXT = "aws:cdk:enable-path-metadata"
_PATH_METADATA_KEY = "aws:cdk:path"
#: The construct under each stack that holds the batch (``IncidentConstructs/Resources/<logical id>``).
GROUP_ID = "IncidentConstructs"


def _alphanumeric(text: str) -> str:
    return "".join(c for c in text if c.isascii() and c.isalnum())


def make_unique_id(components: list[str]) -> str:
    """The logical id CDK gives an element at ``components`` (its path below the stack).

    The same algorithm as aws-cdk-lib's ``makeUniqueId``: ``Default`` components dropped, a
    single component used as it is, otherwise the readable part (without ``Resource`` and
    repeated components) followed by the first 8 hex digits of the MD5 of the path.
    """
    parts = [c for c in components if c != _HIDDEN_ID]
    if not parts:
        raise ValueError("Unable to calculate a unique id for an empty set of components")
    if len(parts) == 1:
        candidate = _alphanumeric(parts[0])
        if len(candidate) <= _MAX_ID_LEN:
            return candidate
    digest = hashlib.md5("/".join(parts).encode("utf-8")).hexdigest()[:8].upper()
    human: list[str] = []
    for part in parts:
        if not human or not human[-1].endswith(part):
            human.append(part)
    readable = "".join(_alphanumeric(p) for p in human if p != _HIDDEN_FROM_HUMAN_ID)
    return readable[:_MAX_HUMAN_LEN] + digest


def sanitize_id(construct_id: str) -> str:
    """A construct id as the constructs library stores it ('/' becomes '--')."""
    return construct_id.replace("/", "--")


# -- where a scope is --------------------------------------------------------------------------

class _Place:
    """A scope's stack and its path, relative to the stack and in full."""

    __slots__ = ("stack", "relative", "path")

    def __init__(self, stack: cdk.Stack, relative: tuple[str, ...], path: str) -> None:
        self.stack = stack
        self.relative = relative
        self.path = path

    def child(self, construct_id: str) -> "_Place":
        cid = sanitize_id(construct_id)
        return _Place(self.stack, self.relative + (cid,), f"{self.path}/{cid}" if self.path else cid)


_places: "weakref.WeakKeyDictionary[Any, _Place]" = weakref.WeakKeyDictionary()
_stack_paths: "weakref.WeakKeyDictionary[cdk.Stack, str]" = weakref.WeakKeyDictionary()


def _stack_path(stack: cdk.Stack) -> str:
    path = _stack_paths.get(stack)
    if path is None:
        path = _stack_paths[stack] = stack.node.path
    return path


def scope_place(scope: IConstruct) -> _Place:
    """Where ``scope`` is; looked up once per scope (three round trips), then remembered."""
    try:
        place = _places.get(scope)
    except TypeError:  # not weak-referenceable
        place = None
    if place is not None:
        return place
    stack = stack_of(scope)
    stack_path = _stack_path(stack)
    if scope is stack:
        place = _Place(stack, (), stack_path)
    else:
        path = scope.node.path
        relative = path[len(stack_path) + 1 :] if stack_path else path
        place = _Place(stack, tuple(relative.split("/")), path)
    try:
        _places[scope] = place
    except TypeError:
        pass
    return place


def remember_scope(scope: Construct, stack: cdk.Stack, construct_id: str) -> None:
    """Record a scope the library created itself (``Construct(stack, construct_id)``), so that
    nothing has to be asked of the CDK runtime about it."""
    _scope_stacks[scope] = stack
    _places[scope] = _Place(stack, (sanitize_id(construct_id),), f"{_stack_path(stack)}/{sanitize_id(construct_id)}")


# -- references ------------------------------------------------------------------------------

class Ref:
    """A reference to an attribute (``Arn``) of a batched resource, rendered where it is used."""

    __slots__ = ("target", "attribute")

    def __init__(self, target: "BatchedResource", attribute: str = "Arn") -> None:
        self.target = target
        self.attribute = attribute

    def value_in(self, stack: cdk.Stack, in_batch: bool = False) -> Any:
        """``Fn::GetAtt`` when used in the target's own stack, else the attribute's token (CDK
        then exports it from the target's stack and imports it where it is used). Inside the
        batch, ``Fn::GetAtt`` may only name resources of the batch (``CfnInclude`` checks it)."""
        target = self.target
        if target.place.stack is stack and not (in_batch and target._state != _PENDING):
            return {"Fn::GetAtt": [target.logical_id, self.attribute]}
        return target.attribute_token(self.attribute)


def render(value: Any, stack: cdk.Stack, in_batch: bool = False) -> Any:
    """``value`` with every :class:`Ref` replaced by what it is in ``stack``."""
    if isinstance(value, Ref):
        return value.value_in(stack, in_batch)
    if isinstance(value, dict):
        return {k: render(v, stack, in_batch) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [render(v, stack, in_batch) for v in value]
    return value


# -- resources -------------------------------------------------------------------------------

_REMOVAL_POLICIES = {
    cdk.RemovalPolicy.RETAIN: ("Retain", "Retain"),
    cdk.RemovalPolicy.DESTROY: ("Delete", "Delete"),
    cdk.RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE: ("RetainExceptOnCreate", "Retain"),
}

_PENDING, _INCLUDED, _MATERIALIZED = "pending", "included", "materialized"

#: Makes the typed L1 of a resource: ``(owner, construct id, properties) -> CfnResource``; the
#: properties it does not pass to the constructor are written as overrides.
L1Factory = Callable[[Construct, str, dict[str, Any]], tuple[cdk.CfnResource, frozenset[str]]]


class BatchedResource:
    """One CloudFormation resource of a library construct, at ``<owner>/<construct_id>``.

    :param owner: the library construct the resource belongs to.
    :param owner_place: where the owner is (from :func:`scope_place`).
    :param construct_id: the resource's construct id below the owner (``Resource``, ``Plan``, ...).
    :param cfn_type: the CloudFormation type.
    :param properties: CloudFormation properties; values may hold :class:`Ref`.
    :param removal_policy: RETAIN, DESTROY or RETAIN_ON_UPDATE_OR_DELETE.
    :param l1: how to make the typed L1 when the resource must become one.
    :param kind: the owner's class name, for messages.
    """

    def __init__(
        self,
        owner: Construct,
        owner_place: _Place,
        construct_id: str,
        cfn_type: str,
        properties: dict[str, Any],
        removal_policy: cdk.RemovalPolicy,
        l1: L1Factory,
        kind: str,
    ) -> None:
        if removal_policy not in _REMOVAL_POLICIES:
            raise ValidationError(
                f"{owner_place.path} ({kind}): removal_policy {removal_policy!r} is not allowed: "
                "RETAIN, DESTROY or RETAIN_ON_UPDATE_OR_DELETE (an Incident Manager contact has no snapshot)."
            )
        self.owner = owner
        self.place = owner_place.child(construct_id)
        self.construct_id = construct_id
        self.cfn_type = cfn_type
        self.properties = properties
        self.removal_policy = removal_policy
        self._l1_factory = l1
        self._l1: Optional[cdk.CfnResource] = None
        self._tags: Optional[cdk.TagManager] = None
        self._tokens: dict[str, str] = {}
        self.logical_id = make_unique_id(list(self.place.relative))
        self._batch = _batch_for(self.place.stack)
        if self._batch is None or self._batch.flushed:
            self._state = _MATERIALIZED
            self._make_l1()
        else:
            self._state = _PENDING
            self._batch.add(self)

    # -- what the library does with it ---------------------------------------------------
    def ref(self, attribute: str = "Arn") -> Ref:
        return Ref(self, attribute)

    def set(self, key: str, value: Any) -> None:
        """Change one property (kept in the batch, or written as an override on the L1)."""
        self.properties[key] = value
        if self._state != _PENDING:
            self.l1.add_property_override(key, render(value, self.place.stack))

    @property
    def l1(self) -> cdk.CfnResource:
        """The resource as a typed L1: made now at its construct path, or the one ``CfnInclude``
        made from the batch."""
        if self._l1 is None:
            if self._state == _PENDING:
                assert self._batch is not None
                self._batch.remove(self)
                self._state = _MATERIALIZED
                self._make_l1()
            else:
                assert self._batch is not None and self._batch.include is not None
                self._l1 = self._batch.include.get_resource(self.logical_id)
            if self._tags is not None:
                self._apply_tags()
        assert self._l1 is not None
        return self._l1

    def tag_manager(self) -> cdk.TagManager:
        """The tags of the resource, for the owner's ``cdk_tag_manager``: ``Tags.of(scope)`` reaches
        the owner construct, and the tags it sets are written on the resource, wherever it ends up."""
        if self._tags is None:
            if self._state == _MATERIALIZED:
                manager: cdk.TagManager = self.l1.cdk_tag_manager  # type: ignore[attr-defined]
                return manager
            self._tags = cdk.TagManager(cdk.TagType.KEY_VALUE, self.cfn_type)
            if self._state == _INCLUDED:
                self._apply_tags()
        return self._tags

    def _apply_tags(self) -> None:
        assert self._tags is not None
        self.l1.add_property_override("Tags", self._tags.rendered_tags)

    def attribute_token(self, attribute: str) -> str:
        """The token of ``Fn::GetAtt`` of this resource (it becomes an L1 if it was not one)."""
        token = self._tokens.get(attribute)
        if token is None:
            token = self._tokens[attribute] = self.l1.get_att(attribute).to_string()
        return token

    # -- rendering -----------------------------------------------------------------------
    def _make_l1(self) -> None:
        stack = self.place.stack
        rendered = {k: render(v, stack) for k, v in self.properties.items()}
        resource, consumed = self._l1_factory(self.owner, self.construct_id, rendered)
        for key, value in rendered.items():
            if key not in consumed:
                resource.add_property_override(key, value)
        resource.apply_removal_policy(self.removal_policy)
        self._l1 = resource

    def template(self, path_metadata: bool) -> dict[str, Any]:
        deletion, update_replace = _REMOVAL_POLICIES[self.removal_policy]
        body: dict[str, Any] = {
            "Type": self.cfn_type,
            "Properties": render(self.properties, self.place.stack, in_batch=True),
            "UpdateReplacePolicy": update_replace,
            "DeletionPolicy": deletion,
        }
        if path_metadata:
            body["Metadata"] = {_PATH_METADATA_KEY: self.place.path}
        return body

    def _included(self) -> None:
        self._state = _INCLUDED


def token_str(value: Any) -> str:
    """A rendered property value as the ``str`` a typed L1 constructor takes."""
    return value if isinstance(value, str) else cdk.Token.as_string(value)


# -- the batch of a stack ----------------------------------------------------------------------

class _StackBatch:
    def __init__(self, stack: cdk.Stack) -> None:
        self.stack = stack
        self.resources: dict[str, BatchedResource] = {}
        self.flushed = False
        self.include: Optional[Any] = None
        self.group = Construct(stack, GROUP_ID)
        self.path_metadata = bool(self.group.node.try_get_context(_PATH_METADATA_CONTEXT))
        trigger = Construct(self.group, "Flush")
        # On a construct with no children, so the aspect runs exactly once, when the app is
        # synthesized (before references between stacks are resolved).
        cdk.Aspects.of(trigger).add(_Flush(self))

    def add(self, resource: BatchedResource) -> None:
        other = self.resources.get(resource.logical_id)
        if other is not None:
            raise ValidationError(
                f"{resource.place.path}: construct id {resource.construct_id!r} is not allowed: its logical id "
                f"{resource.logical_id} is already that of {other.place.path}."
            )
        self.resources[resource.logical_id] = resource

    def remove(self, resource: BatchedResource) -> None:
        self.resources.pop(resource.logical_id, None)

    def flush(self) -> None:
        if self.flushed:
            return
        self.flushed = True
        if not self.resources:
            return
        template = {
            "Resources": {lid: r.template(self.path_metadata) for lid, r in self.resources.items()}
        }
        from aws_cdk import cloudformation_include

        handle, path = tempfile.mkstemp(prefix="incident-constructs-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump(template, file)
            self.include = cloudformation_include.CfnInclude(
                self.group, "Resources", template_file=path, preserve_logical_ids=True
            )
        finally:
            os.unlink(path)
        for resource in self.resources.values():
            resource._included()
            if resource._tags is not None:
                resource._apply_tags()


@jsii.implements(cdk.IAspect)
class _Flush:
    def __init__(self, batch: _StackBatch) -> None:
        self._batch = batch

    def visit(self, node: IConstruct) -> None:
        self._batch.flush()


_batches: "weakref.WeakKeyDictionary[cdk.Stack, Optional[_StackBatch]]" = weakref.WeakKeyDictionary()


def _batch_for(stack: cdk.Stack) -> Optional[_StackBatch]:
    """The batch of ``stack``; None when the stack computes logical ids its own way."""
    if stack in _batches:
        return _batches[stack]
    batch: Optional[_StackBatch] = None
    if getattr(type(stack), "_allocate_logical_id", None) is cdk.Stack._allocate_logical_id:
        batch = _StackBatch(stack)
    _batches[stack] = batch
    return batch
