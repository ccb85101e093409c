"""Validation shared by every construct of the library.

Every rule lives with the construct it belongs to; this module only holds the
mechanics: the exception type, token detection and the message format, so that
all messages read the same way::

    IncidentStack/IncidentResponder: alias 'Bad Alias' is not allowed: 1-255 characters of a-z, 0-9, '_' and '-'.
"""

from __future__ import annotations

import math
import re
import weakref
from datetime import timedelta
from typing import Any, Callable, Iterable, Mapping, NoReturn, Optional, Union

import aws_cdk as cdk
import jsii
from constructs import Construct, IConstruct, IValidation


#: A length of time: an ``aws_cdk.Duration`` or a ``datetime.timedelta`` (which costs no round
#: trip to the CDK runtime).
DurationLike = Union[cdk.Duration, timedelta]


class ValidationError(ValueError):
    """A value given to an incident-constructs construct breaks a rule of the service.

    Raised when the construct is built (or, for rules that depend on later ``add_*``
    calls, reported by ``cdk synth``). The message names the construct path, the
    field, the value given and what is allowed.
    """


_STRING_TOKEN_MARKERS = ("${Token[", "#{Token[", "{{resolve:")


def is_token(value: Any) -> bool:
    """True when ``value`` is only known at deploy time (a CDK token or a dynamic reference).

    Checked in Python, without a round trip to the CDK runtime: CDK encodes string tokens
    as ``${Token[...]}``, list tokens as ``#{Token[...]}`` and numbers as huge negative
    doubles; CloudFormation dynamic references look like ``{{resolve:...}}``.
    """
    if isinstance(value, str):
        return any(marker in value for marker in _STRING_TOKEN_MARKERS)
    if isinstance(value, float):
        return value < -1e280 and not math.isinf(value)
    if isinstance(value, (list, tuple)):
        return any(is_token(v) for v in value)
    if isinstance(value, cdk.Duration):
        return bool(value.is_unresolved())
    return False


_duration_seconds: "weakref.WeakKeyDictionary[cdk.Duration, Optional[float]]" = weakref.WeakKeyDictionary()


def duration_seconds(value: cdk.Duration) -> Optional[float]:
    """A duration in seconds, or None when it is a token; one round trip to the CDK runtime
    per Duration object (durations are immutable, so the answer is remembered)."""
    if value in _duration_seconds:
        return _duration_seconds[value]
    try:
        seconds: Optional[float] = value.to_seconds()
    except RuntimeError:
        # A token amount in another unit cannot be converted; anything else is a real error.
        if not is_token(value):
            raise
        seconds = None
    if seconds is not None and is_token(float(seconds)):
        seconds = None
    _duration_seconds[value] = seconds
    return seconds


def describe(value: Any) -> str:
    """A short, safe rendering of a value for an error message."""
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


class Checker:
    """Checks values for one construct and raises :class:`ValidationError` with its path.

    The construct path is only computed when a check fails, so checking costs
    nothing on the CDK side when the values are good.
    """

    def __init__(self, where: IConstruct | str, kind: str) -> None:
        self._where = where
        self.kind = kind

    @property
    def path(self) -> str:
        if isinstance(self._where, str):
            return self._where
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
        pattern: Optional[str] = None,
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

    def integer(self, field: str, value: Any, *, minimum: int, maximum: Optional[int] = None) -> None:
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

    def whole_minutes(self, field: str, value: Any, *, minimum: int = 0, maximum: Optional[int] = None) -> Optional[int]:
        """A :class:`aws_cdk.Duration` or :class:`datetime.timedelta` as whole minutes, or None
        when it is a token. A ``timedelta`` costs no round trip to the CDK runtime."""
        if isinstance(value, timedelta):
            seconds: Optional[float] = value.total_seconds()
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

    def tags(self, field: str, tags: Mapping[str, str], *, maximum: int = 50) -> None:
        if len(tags) > maximum:
            self.fail(field, f"{len(tags)} tags", f"at most {maximum} tags.")
        for key, value in tags.items():
            self.string(f"{field} key", key, max_len=128)
            if isinstance(key, str) and not is_token(key) and key.lower().startswith("aws:"):
                self.fail(f"{field} key", key, "keys starting with 'aws:' are reserved by AWS.")
            self.string(f"{field} value for {key!r}", value, min_len=1, max_len=256)


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    compiled = _PATTERNS.get(pattern)
    if compiled is None:
        compiled = _PATTERNS[pattern] = re.compile(pattern)
    return compiled


# -- names unique within an app -------------------------------------------------------------

_registries: "weakref.WeakKeyDictionary[Any, dict[tuple[str, str], IConstruct]]" = weakref.WeakKeyDictionary()
# Per stack: its app's registry and its account, looked up once (each is a round trip to the
# CDK runtime, and a large app claims thousands of names).
_stack_keys: "weakref.WeakKeyDictionary[cdk.Stack, tuple[dict[tuple[str, str], IConstruct], str]]" = (
    weakref.WeakKeyDictionary()
)


_scope_stacks: "weakref.WeakKeyDictionary[Any, cdk.Stack]" = weakref.WeakKeyDictionary()


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
    construct: Construct, checker: Checker, kind: str, field: str, name: str, *, scope: Optional[IConstruct] = None
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



@jsii.implements(IValidation)
class _Rule:
    def __init__(self, rule: Callable[[], list[str]]) -> None:
        self._rule = rule

    def validate(self) -> list[str]:
        return self._rule()
