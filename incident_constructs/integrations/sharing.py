"""Sharing Incident Manager resources with other accounts through AWS RAM.

Response plans are shared with ``PutResourcePolicy``, contacts, escalation plans and on-call
schedules with ``PutContactPolicy``; AWS RAM calls them for the owner when an
``AWS::RAM::ResourceShare`` names the resource. :func:`share_resource` is the mechanism behind
``ResponsePlan.share_with`` and ``ContactBase.share_with``: one share per shared construct, a child
of it at construct id ``Share``, whose principals grow with each call.

What a consumer account can then do (Incident Manager user guide, "Cross-Region and cross-account
incident management" and "Working with shared contacts and response plans"):

* a shared response plan: start incidents from the consumer's own CloudWatch alarms and EventBridge
  rules, and see and work on every past and future incident of the plan;
* a shared contact or escalation plan: see it and its engagements, and engage it from an incident.

Incident Manager shares with accounts, organizational units and organizations only; the
principals are checked here, when the share is built.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from aws_cdk import aws_ram as ram
from constructs import Construct

from .. import _rules
from .._validation import Checker, is_token

__all__ = [
    "ACCOUNT_ID_PATTERN",
    "ORGANIZATION_ARN_PATTERN",
    "ORGANIZATIONAL_UNIT_ARN_PATTERN",
    "PRINCIPAL_RULE",
    "SHARE_ID",
    "check_principal",
    "share_name_for",
    "share_resource",
    "shared_principals",
]

#: The construct id of the share below the shared construct.
SHARE_ID = "Share"

# The rules live in _rules.py (the organisation file's schema uses the same ones).
#: An AWS account id: 12 digits.
ACCOUNT_ID_PATTERN = re.compile(_rules.ACCOUNT_ID_PATTERN, re.ASCII)
#: ``arn:<partition>:organizations::<management account>:organization/o-<10-32 of a-z, 0-9>``.
ORGANIZATION_ARN_PATTERN = re.compile(_rules.ORGANIZATION_ARN_PATTERN, re.ASCII)
#: ``arn:<partition>:organizations::<management account>:ou/o-<org id>/ou-<root id>-<ou id>``.
ORGANIZATIONAL_UNIT_ARN_PATTERN = re.compile(_rules.ORGANIZATIONAL_UNIT_ARN_PATTERN, re.ASCII)
PRINCIPAL_RULE = _rules.PRINCIPAL_RULE


@dataclass
class _Share:
    """A construct's share and what it holds (the L1's lists are set again on each call)."""

    resource: ram.CfnResourceShare
    principals: list[str] = field(default_factory=list)
    allow_external_principals: bool = False


_shares: weakref.WeakKeyDictionary[Construct, _Share] = weakref.WeakKeyDictionary()


def check_principal(checker: Checker, principal: Any) -> str:
    """A principal Incident Manager can share with (tokens pass), or a :class:`ValidationError`."""
    if not isinstance(principal, str):
        # A bare number (an account id written without quotes in YAML) loses its leading zeros.
        checker.fail("principal", principal, "a string: " + PRINCIPAL_RULE)
    if is_token(principal):
        return principal
    if not (
        ACCOUNT_ID_PATTERN.fullmatch(principal)
        or ORGANIZATIONAL_UNIT_ARN_PATTERN.fullmatch(principal)
        or ORGANIZATION_ARN_PATTERN.fullmatch(principal)
    ):
        # Digits alone are masked in messages (they may be a phone number): say how many there are.
        count = f"; this one has {len(principal)} digits" if principal.isdigit() else ""
        checker.fail("principal", principal, f"{PRINCIPAL_RULE[:-2]}{count}).")
    return principal


def share_resource(
    owner: Construct,
    checker: Checker,
    *,
    resource_arn: str,
    share_name: str,
    principals: Sequence[Any],
    allow_external_principals: Any = False,
) -> ram.CfnResourceShare:
    """Share ``resource_arn`` (the ARN of ``owner``'s main resource) with ``principals``.

    The first call creates an ``AWS::RAM::ResourceShare`` at ``owner/Share``; later calls add their
    principals to it (each principal once, in the order first given). ``AllowExternalPrincipals`` is
    true once any call asked for it.

    :param owner: the shared construct (an owned contact or response plan).
    :param checker: the owner's checker (its messages name the owner's path and kind).
    :param resource_arn: the shared resource's ARN.
    :param share_name: the share's name, used when it is created.
    :param principals: account ids, organizational unit ARNs or organization ARNs (at least one).
    :param allow_external_principals: let accounts outside the owner's organization be principals.
        RAM's own default is true; the library's is false, so that a typo in an account id cannot
        share with a stranger (false means nothing for an account outside any organization).
    """
    if isinstance(principals, str) or not isinstance(principals, Sequence):
        checker.fail("principals", principals, "principals given one by one: share_with('111122223333', ...).")
    if len(principals) == 0:
        checker.fail("principals", (), "at least one principal: " + PRINCIPAL_RULE)
    for principal in principals:
        if isinstance(principal, (list, tuple, set)):
            checker.fail(
                "principals", principal, "principals given one by one: share_with(*accounts), not share_with(accounts)."
            )
    checked = [check_principal(checker, p) for p in principals]
    if not isinstance(allow_external_principals, bool):
        checker.fail("allow_external_principals", allow_external_principals, "True or False.")
    share = _shares.get(owner)
    if share is None:
        taken = owner.node.try_find_child(SHARE_ID)
        if taken is not None:
            checker.fail(
                "share",
                taken.node.path,
                f"the construct id {SHARE_ID!r} free for the share (a child of the construct already uses it).",
            )
        share = _Share(ram.CfnResourceShare(owner, SHARE_ID, name=share_name, resource_arns=[resource_arn]))
        _shares[owner] = share
    for principal in checked:
        if principal not in share.principals:
            share.principals.append(principal)
    share.resource.principals = list(share.principals)
    share.allow_external_principals = share.allow_external_principals or allow_external_principals
    share.resource.allow_external_principals = share.allow_external_principals
    return share.resource


def shared_principals(owner: Construct) -> list[str]:
    """The principals ``owner`` is shared with (empty when it is not shared)."""
    share = _shares.get(owner)
    return list(share.principals) if share is not None else []


def share_name_for(kind: str, name: str) -> str:
    """``incident-manager-<kind>-<name>``: the name of a construct's share (``name`` may be a token)."""
    return f"incident-manager-{kind}-{name}"
