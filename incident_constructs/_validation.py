"""Validation shared by every construct of the library.

Every rule lives with the construct it belongs to; this module only holds the
mechanics: the exception type, token detection and the message format, so that
all messages read the same way::

    IncidentStack/IncidentResponder: alias 'Bad Alias' is not allowed: 1-255 characters of a-z, 0-9, '_' and '-'.
"""

from __future__ import annotations

import math
import re
import reprlib
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, NoReturn

import aws_cdk as cdk
import jsii
from constructs import Construct, IConstruct, IValidation

from .core.masking import is_deploy_time
from .errors import ValidationError as ValidationError  # re-exported: every existing import keeps working

#: A length of time: an ``aws_cdk.Duration`` or a ``datetime.timedelta`` (which costs no round
#: trip to the CDK runtime).
DurationLike = cdk.Duration | timedelta


def is_token(value: Any) -> bool:
    """True when ``value`` is only known at deploy time (a CDK token or a dynamic reference).

    Checked in Python, without a round trip to the CDK runtime: CDK encodes string tokens
    as ``${Token[...]}``, list tokens as ``#{Token[...]}`` and numbers as huge negative
    doubles; CloudFormation dynamic references look like ``{{resolve:...}}``.
    """
    if isinstance(value, str):
        return is_deploy_time(value)
    if isinstance(value, float):
        return value < -1e280 and not math.isinf(value)
    if isinstance(value, (list, tuple)):
        return any(is_token(v) for v in value)
    if isinstance(value, cdk.Duration):
        return bool(value.is_unresolved())
    return False


_duration_seconds: weakref.WeakKeyDictionary[cdk.Duration, float | None] = weakref.WeakKeyDictionary()


def duration_seconds(value: cdk.Duration) -> float | None:
    """A duration in seconds, or None when it is a token; one round trip to the CDK runtime
    per Duration object (durations are immutable, so the answer is remembered)."""
    if value in _duration_seconds:
        return _duration_seconds[value]
    try:
        seconds: float | None = value.to_seconds()
    except RuntimeError:
        # A token amount in another unit cannot be converted; anything else is a real error.
        if not is_token(value):
            raise
        seconds = None
    if seconds is not None and is_token(float(seconds)):
        seconds = None
    _duration_seconds[value] = seconds
    return seconds


_REPR = reprlib.Repr()
_REPR.maxstring = 120
_REPR.maxother = 120
_REPR.maxlist = _REPR.maxtuple = _REPR.maxset = _REPR.maxfrozenset = _REPR.maxdict = 6
_REPR.maxlevel = 3

# Personal data that may reach a message through any field: email addresses anywhere in the
# text, phone numbers written with a '+', and a value that is nothing but 9-15 digits (an SMS
# number typed without its '+', or read by YAML as a number).
_EMAIL = re.compile(r"([\w.+-]{1,2})[\w.+-]*@", re.ASCII)
_PLUS_PHONE = re.compile(r"\+[\d\s().-]{6,}\d")
_BARE_PHONE = re.compile(r"'?\d{9,15}'?")


def _mask_phone(text: str) -> str:
    digits = text.strip("'")
    quote = "'" if text.startswith("'") else ""
    return f"{quote}{digits[:5]}{'*' * max(len(digits) - 7, 1)}{digits[-2:]}{quote}"


def mask_personal(text: str) -> str:
    """``text`` with email addresses and phone numbers masked (``al***@example.com``,
    ``+1206*****00``): a safety net for every message, whatever field a value arrived in."""
    text = _EMAIL.sub(lambda m: f"{m.group(1)}***@", text)
    text = _PLUS_PHONE.sub(lambda m: _mask_phone(m.group(0)), text)
    if _BARE_PHONE.fullmatch(text):
        text = _mask_phone(text)
    return text


def describe(value: Any) -> str:
    """A short, safe rendering of a value for an error message: bounded in size (a huge
    string, number or list costs no more than a small one), never raising, and with email
    addresses and phone numbers masked."""
    try:
        if isinstance(value, str):
            text = repr(value[:118]) if len(value) > 118 else repr(value)
            if len(value) > 118:
                text = text[:-1] + "...'" if text.endswith("'") else text + "..."
        elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
            text = f"a number of {'more than 300' if value.bit_length() > 1000 else 'about ' + str(len(str(abs(value))))} digits"
        else:
            text = _REPR.repr(value)
    except Exception:  # a value whose repr() fails still gets a message
        text = f"a value of type {type(value).__name__}"
    if len(text) > 120:
        text = text[:117] + "..."
    return mask_personal(text)


class Checker:
    """Checks values for one construct and raises :class:`ValidationError` with its path.

    The construct path is only computed when a check fails, so checking costs
    nothing on the CDK side when the values are good.
    """

    def __init__(self, where: IConstruct | ScopePath | str, kind: str) -> None:
        self._where = where
        self.kind = kind

    @property
    def path(self) -> str:
        if isinstance(self._where, (str, ScopePath)):
            return str(self._where)
        return self._where.node.path

    def fail(self, field: str, value: Any, allowed: str, *, show_value: bool = True) -> NoReturn:
        shown = describe(value) if show_value else "(hidden)"
        raise ValidationError(f"{self.path} ({self.kind}): {field} {shown} is not allowed: {allowed}")

    # -- strings -------------------------------------------------------------------------
    def string(
        self,
        field: str,
        value: Any,
        *,
        min_len: int = 1,
        max_len: int,
        pattern: str | None = None,
        pattern_text: str = "",
        optional: bool = False,
    ) -> None:
        if value is None:
            if optional:
                return
            self.fail(field, value, "a value is required.")
        if not isinstance(value, str):
            self.fail(field, value, "a string is required.")
        if is_token(value):
            return
        if not (min_len <= len(value) <= max_len):
            self.fail(field, value, f"length must be {min_len} to {max_len} characters (got {len(value)}).")
        if pattern is not None and not _compiled(pattern).fullmatch(value):
            self.fail(field, value, pattern_text or f"must match {pattern}.")

    def integer(self, field: str, value: Any, *, minimum: int, maximum: int | None = None) -> None:
        if isinstance(value, float) and is_token(value):
            return
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(field, value, "a whole number is required.")
        upper = "" if maximum is None else f" and at most {maximum}"
        if value < minimum or (maximum is not None and value > maximum):
            self.fail(field, value, f"must be at least {minimum}{upper}.")

    def count(self, field: str, items: Iterable[Any], *, minimum: int = 0, maximum: int) -> None:
        n = len(list(items))
        if not (minimum <= n <= maximum):
            self.fail(field, f"{n} item(s)", f"between {minimum} and {maximum} items are allowed.")

    def whole_minutes(self, field: str, value: Any, *, minimum: int = 0, maximum: int | None = None) -> int | None:
        """A :class:`aws_cdk.Duration` or :class:`datetime.timedelta` as whole minutes, or None
        when it is a token. A ``timedelta`` costs no round trip to the CDK runtime."""
        if isinstance(value, timedelta):
            seconds: float | None = value.total_seconds()
            shown: Any = f"{seconds:g} seconds"
        elif isinstance(value, cdk.Duration):
            seconds = duration_seconds(value)
            if seconds is None:
                return None
            shown = None
        else:
            self.fail(
                field, value, "a aws_cdk.Duration or datetime.timedelta is required, for example Duration.minutes(5)."
            )
        assert seconds is not None
        if seconds % 60:
            self.fail(field, shown or value.to_human_string(), "whole minutes only.")
        minutes = int(seconds // 60)
        upper = "" if maximum is None else f" to {maximum}"
        if minutes < minimum or (maximum is not None and minutes > maximum):
            self.fail(field, shown or value.to_human_string(), f"{minimum}{upper} minutes.")
        return minutes

    def tags(self, field: str, tags: Any, *, maximum: int | None = None, rules: TagRules | None = None) -> None:
        """Tags given as a mapping of key to value, checked with the tag rules of the resource type
        (Incident Manager's response plans and replication sets unless ``rules`` says otherwise)."""
        rules = rules or SSM_INCIDENTS_TAGS
        limit = rules.maximum if maximum is None else maximum
        if not isinstance(tags, Mapping):
            self.fail(field, tags, "a mapping of tag key to tag value, like {'team': 'payments'}.")
        if len(tags) > limit:
            self.fail(field, f"{len(tags)} tags", f"at most {limit} tags.")
        for key, value in tags.items():
            self.tag(field, key, value, rules)

    def tag(self, field: str, key: Any, value: Any, rules: TagRules) -> None:
        """One tag, with the rules of the resource type; tokens pass."""
        self.string(f"{field} key", key, max_len=128, pattern=rules.key_pattern, pattern_text=rules.key_rule)
        if not is_token(key) and key.lower().startswith("aws:"):
            self.fail(f"{field} key", key, "keys starting with 'aws:' are reserved by AWS.")
        self.string(
            f"{field} value for {describe(key)}",
            value,
            min_len=rules.value_min,
            max_len=256,
            pattern=rules.value_pattern,
            pattern_text=rules.value_rule,
        )

    def boolean(self, field: str, value: Any) -> None:
        """True or False (or a token)."""
        if isinstance(value, bool) or _is_resolvable(value):
            return
        self.fail(field, value, "True or False.")

    def removal_policy(self, field: str, value: Any, *, snapshot: bool = False) -> None:
        """An ``aws_cdk.RemovalPolicy``; SNAPSHOT only for resource types that have snapshots."""
        if not isinstance(value, cdk.RemovalPolicy) or (value == cdk.RemovalPolicy.SNAPSHOT and not snapshot):
            allowed = "RETAIN, DESTROY, RETAIN_ON_UPDATE_OR_DELETE" + (" or SNAPSHOT" if snapshot else "")
            self.fail(
                field,
                value,
                f"an aws_cdk.RemovalPolicy: {allowed}"
                + ("." if snapshot else " (this resource type has no snapshot)."),
            )


def _is_resolvable(value: Any) -> bool:
    """A CDK token object (``IResolvable``), such as ``CfnParameter.value`` or ``Token.as_any``."""
    if isinstance(value, (str, int, float, bool, list, tuple, dict)) or value is None:
        return False
    try:
        return bool(cdk.Token.is_unresolved(value))
    except Exception:
        return False


def is_resolvable(value: Any) -> bool:
    """True for a CDK token object (an ``IResolvable``), which passes every check unchanged."""
    return _is_resolvable(value)


# -- tags ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TagRules:
    """The tag rules of one family of resource types: the stricter of its CloudFormation schema
    and its service API (tests/test_bad_inputs.py keeps the patterns equal to both)."""

    key_pattern: str
    key_rule: str
    value_pattern: str | None
    value_rule: str
    value_min: int = 1
    maximum: int = 50


# \p{L}\p{N} (letters and numbers of any script) and \p{Z} (separators) of the schemas' patterns.
_LETTER_OR_NUMBER = r"[^\W_]"
_SEPARATOR = r"[ \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"

#: AWS::SSMIncidents::ResponsePlan and ::ReplicationSet. Keys: the schema's ``[a-zA-Z+-=._:/]+``
#: and the API's ``[A-Za-z0-9 _=@:.+-/]+`` (both without a leading ``aws:``); values: 1-256
#: characters (schema) of the API's ``[A-Za-z0-9 _=@:.+-/]``.
SSM_INCIDENTS_TAGS = TagRules(
    key_pattern=r"[A-Za-z0-9_=:.+,/\-]+",
    key_rule="1-128 characters of letters a-z and A-Z, digits and _ = : . + , / - (no spaces, no accents).",
    value_pattern=r"[A-Za-z0-9 _=@:.+,/\-]*",
    value_rule="1-256 characters of letters a-z and A-Z, digits, spaces and _ = @ : . + , / - (no accents).",
)
#: AWS::SSMContacts::Contact and ::Rotation (schema and API agree): keys ``[\\/a-zA-Z0-9_+=-]``,
#: values ``[\p{L}\p{Z}\p{N}_.:/=+-@]`` of 1-256 characters (the API; the schema allows 0).
SSM_CONTACTS_TAGS = TagRules(
    key_pattern=r"[\\/a-zA-Z0-9_+=\-]+",
    key_rule="1-128 characters of letters a-z and A-Z, digits and _ + = - / \\ (no spaces, no '.', no ':').",
    value_pattern=rf"(?:{_LETTER_OR_NUMBER}|{_SEPARATOR}|[_.:/=+\-@])*",
    value_rule="1-256 characters of letters, digits, spaces and _ . : / = + - @.",
)
#: AWS::SSM::Document (schema and API agree): keys and values ``[\p{L}\p{Z}\p{N}_.:/=+-@]``,
#: at most 1000 tags.
SSM_DOCUMENT_TAGS = TagRules(
    key_pattern=rf"(?:{_LETTER_OR_NUMBER}|{_SEPARATOR}|[_.:/=+\-@])+",
    key_rule="1-128 characters of letters, digits, spaces and _ . : / = + - @.",
    value_pattern=rf"(?:{_LETTER_OR_NUMBER}|{_SEPARATOR}|[_.:/=+\-@])*",
    value_rule="1-256 characters of letters, digits, spaces and _ . : / = + - @.",
    maximum=1000,
)


def tag_problems(checker: Checker, resource: Any, rules: TagRules) -> list[str]:
    """The tags that ``Tags.of(...)`` gave ``resource`` that break ``rules``, as messages (tags
    are applied by an aspect, after the constructs are built: call this at synth)."""
    try:
        checker.tags("tag", resource.tags.tag_values(), rules=rules)
    except ValidationError as error:
        return [f"{error} (a tag added with Tags.of)"]
    return []


def add_tag_validation(
    construct: Construct, resource: Any, kind: str, rules: TagRules, *, scope: IConstruct | None = None
) -> None:
    """Check, when the app is synthesized, the tags that ``Tags.of(...)`` gave ``resource``
    (``scope``, the construct's parent, saves a look-up of the stack)."""
    checker = Checker(construct, kind)
    add_stack_rule(construct, lambda: tag_problems(checker, resource, rules), scope=scope)


# -- construct scope and id ------------------------------------------------------------------


class ScopePath:
    """``scope/id`` of a construct about to be made, computed only when a message needs it
    (reading a construct path is a round trip to the CDK runtime)."""

    def __init__(self, scope: IConstruct, id: str) -> None:
        self._scope = scope
        self._id = id

    def __str__(self) -> str:
        return f"{self._scope.node.path}/{self._id}"


def check_scope_and_id(kind: str, scope: Any, id: Any) -> ScopePath:
    """The construct path ``scope/id`` (computed when a message needs it), or a ValidationError
    when ``scope`` is not a construct or ``id`` not a usable construct id (CDK would raise a jsii
    error instead). Costs no round trip to the CDK runtime when both are good."""
    if not isinstance(scope, Construct):
        where = f"<{describe(scope)}>/{id if isinstance(id, str) else '?'}"
        Checker(where, kind).fail("scope", scope, "a construct (a Stack, or a construct inside one).")
    if not isinstance(id, str):
        Checker(f"{scope.node.path}/?", kind).fail("id", id, "a construct id: a non-empty string.")
    if not id or is_token(id):
        Checker(f"{scope.node.path}/{id}", kind).fail(
            "id", id, "a construct id: a non-empty string known at synth time."
        )
    return ScopePath(scope, id)


# -- regions and partitions ------------------------------------------------------------------

#: The regions where Incident Manager (AWS::SSMIncidents::* and AWS::SSMContacts::*) exists: the
#: regions whose CloudFormation registry schemas have the types (tests/test_bad_inputs.py keeps
#: this equal to the schemas cfn-lint ships, and to botocore's endpoints).
INCIDENT_MANAGER_REGIONS = frozenset(
    {
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-south-1",
        "ap-southeast-1",
        "ap-southeast-2",
        "ca-central-1",
        "eu-central-1",
        "eu-north-1",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "sa-east-1",
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
    }
)

_PARTITION_PREFIXES = (
    ("cn-", "aws-cn"),
    ("us-gov-", "aws-us-gov"),
    ("us-isob-", "aws-iso-b"),
    ("us-isof-", "aws-iso-f"),
    ("us-iso-", "aws-iso"),
    ("eu-isoe-", "aws-iso-e"),
    ("eusc-", "aws-eusc"),
)


def partition_of(region: str) -> str:
    """The partition of a region name (``aws``, ``aws-cn``, ``aws-us-gov``, ``aws-iso``, ...)."""
    for prefix, partition in _PARTITION_PREFIXES:
        if region.startswith(prefix):
            return partition
    return "aws"


def regions_text() -> str:
    return ", ".join(sorted(INCIDENT_MANAGER_REGIONS))


_stack_regions: weakref.WeakKeyDictionary[cdk.Stack, str] = weakref.WeakKeyDictionary()


def check_incident_manager_region(checker: Checker, scope: IConstruct, resource_type: str) -> None:
    """Refuse an Incident Manager resource in a stack whose region is known and has no Incident
    Manager (CloudFormation does not know the resource type there)."""
    stack = stack_of(scope)
    region = _stack_regions.get(stack)
    if region is None:
        region = _stack_regions[stack] = stack.region
    if is_token(region) or region in INCIDENT_MANAGER_REGIONS:
        return
    checker.fail(
        "stack region",
        region,
        f"a region with Incident Manager ({resource_type} does not exist in {region}): {regions_text()}.",
    )


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    compiled = _PATTERNS.get(pattern)
    if compiled is None:
        compiled = _PATTERNS[pattern] = re.compile(pattern)
    return compiled


# -- names unique within an app -------------------------------------------------------------

_registries: weakref.WeakKeyDictionary[Any, dict[tuple[str, str], IConstruct]] = weakref.WeakKeyDictionary()
# Per stack: its app's registry and its account, looked up once (each is a round trip to the
# CDK runtime, and a large app claims thousands of names).
_stack_keys: weakref.WeakKeyDictionary[cdk.Stack, tuple[dict[tuple[str, str], IConstruct], str]] = (
    weakref.WeakKeyDictionary()
)


_scope_stacks: weakref.WeakKeyDictionary[Any, cdk.Stack] = weakref.WeakKeyDictionary()


def stack_of(scope: IConstruct) -> cdk.Stack:
    """``Stack.of(scope)``, remembered per scope: constructs of one team share their scope."""
    if isinstance(scope, cdk.Stack):
        return scope
    try:
        stack = _scope_stacks.get(scope)
    except TypeError:  # not weak-referenceable
        return cdk.Stack.of(scope)
    if stack is None:
        stack = _scope_stacks[scope] = cdk.Stack.of(scope)
    return stack


def claim_unique_name(
    construct: Construct, checker: Checker, kind: str, field: str, name: str, *, scope: IConstruct | None = None
) -> None:
    """Refuse a second construct of ``kind`` with the same ``name`` in the same app and account.

    Tokens are not checked. The account is part of the key so that one app can deploy the
    same alias to several accounts. ``scope`` (the construct's parent) saves a look-up of
    the stack when given.
    """
    if is_token(name):
        return
    stack = stack_of(scope) if scope is not None else cdk.Stack.of(construct)
    known = _stack_keys.get(stack)
    if known is None:
        known = _stack_keys[stack] = (_registries.setdefault(stack.node.root, {}), stack.account)
    registry, account = known
    key = (kind, f"{account}|{name}")
    owner = registry.get(key)
    if owner is not None and owner is not construct:
        checker.fail(field, name, f"must be unique within the app and account; {owner.node.path} already uses it.")
    registry[key] = construct


def add_synth_validation(construct: Construct, rule: Callable[[], list[str]]) -> None:
    """Run ``rule`` when the app is synthesized; each string it returns is an error.

    Used only for rules that depend on later ``add_*`` calls. CDK reports the errors
    with the construct path and stops the synthesis.
    """
    construct.node.add_validation(_Rule(rule))


_stack_rules: weakref.WeakKeyDictionary[cdk.Stack, list[Callable[[], list[str]]]] = weakref.WeakKeyDictionary()


def add_stack_rule(construct: Construct, rule: Callable[[], list[str]], *, scope: IConstruct | None = None) -> None:
    """Run ``rule`` when the app is synthesized, with the other rules of the construct's stack.

    For checks every construct of a kind needs (tags added with ``Tags.of``, steps that name
    steps): one validation per stack instead of one per construct, so a large app pays one round
    trip to the CDK runtime per stack. Each message must name its construct (a
    :class:`Checker`'s path); CDK reports them under the stack's path.
    """
    stack = stack_of(scope if scope is not None else construct)
    rules = _stack_rules.get(stack)
    if rules is None:
        rules = _stack_rules[stack] = []
        stack.node.add_validation(_Rule(lambda: [message for each in rules for message in each()]))
    rules.append(rule)


@jsii.implements(IValidation)
class _Rule:
    def __init__(self, rule: Callable[[], list[str]]) -> None:
        self._rule = rule

    def validate(self) -> list[str]:
        return self._rule()
