"""IAM roles that Incident Manager assumes, least privilege."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from .._rules import DOCUMENT_VERSION_PATTERN, DOCUMENT_VERSION_RULE
from .._validation import Checker, ValidationError, is_token

__all__ = [
    "RunbookRole",
    "SSM_INCIDENTS_PRINCIPAL",
    "check_document_version",
    "check_target_accounts",
    "incident_source_arns",
    "incident_source_conditions",
    "source_conditions",
]

SSM_INCIDENTS_PRINCIPAL = "ssm-incidents.amazonaws.com"
#: The role Automation assumes in other accounts for cross-account runbooks.
CROSS_ACCOUNT_AUTOMATION_ROLE = "AWS-SystemsManager-AutomationExecutionRole"
#: Versions that name no fixed version: the automation definition's version in the ARN stays '*'.
MOVING_VERSIONS = ("$LATEST", "$DEFAULT")
#: At most this many accounts in ``target_accounts``: 100 role ARNs of about 80 characters keep the
#: role's inline policy well inside IAM's 10,240 characters for all of a role's inline policies.
MAX_TARGET_ACCOUNTS = 100
_ACCOUNT_ID = re.compile(r"[0-9]{12}", re.ASCII)


@functools.cache
def pseudo_parameter(name: str) -> str:
    """``cdk.Aws.<name>`` (``ACCOUNT_ID``, ``PARTITION``, ``REGION``): the token is the same for the
    whole process, so it is read from the CDK runtime once instead of once per role."""
    return str(getattr(cdk.Aws, name))


def source_conditions(source_arn: str) -> dict[str, dict[str, str]]:
    """The confused-deputy conditions for a service principal acting for this account."""
    return {
        "StringEquals": {"aws:SourceAccount": pseudo_parameter("ACCOUNT_ID")},
        "ArnLike": {"aws:SourceArn": source_arn},
    }


def incident_source_arns(response_plan_name: str) -> list[str]:
    """The ``aws:SourceArn`` values of one response plan's requests: its incident records (the
    source Incident Manager's confused-deputy page names) and the plan itself."""
    partition, account = pseudo_parameter("PARTITION"), pseudo_parameter("ACCOUNT_ID")
    return [
        f"arn:{partition}:ssm-incidents:*:{account}:incident-record/{response_plan_name}/*",
        f"arn:{partition}:ssm-incidents:*:{account}:response-plan/{response_plan_name}",
    ]


def incident_source_conditions(response_plan_name: str) -> dict[str, dict[str, Any]]:
    """The confused-deputy conditions for a resource policy (topic, secret) that lets
    ``ssm-incidents.amazonaws.com`` act for one response plan of this account.

    ``aws:SourceAccount`` must be this account. ``aws:SourceArn``, when the request has one, must be
    an incident record of this response plan or the plan itself (:func:`incident_source_arns`):
    Incident Manager's confused-deputy page names the affected incident record as the source ARN,
    while its own topic-policy example conditions on ``aws:SourceAccount`` only (with
    ``StringEqualsIfExists``), its PagerDuty secret example on nothing, and the test message it sends
    when a plan is created comes before any incident record; so the source ARN is checked when sent
    (``ArnLikeIfExists``), not required.
    """
    return {
        "StringEquals": {"aws:SourceAccount": pseudo_parameter("ACCOUNT_ID")},
        "ArnLikeIfExists": {"aws:SourceArn": incident_source_arns(response_plan_name)},
    }


def check_document_version(checker: Checker, field: str, version: Any) -> str | None:
    """The runbook version as the response plan writes it (None when not given): a version number
    (a whole number is taken as its digits), ``$DEFAULT`` or ``$LATEST``; tokens pass."""
    if version is None:
        return None
    if isinstance(version, int) and not isinstance(version, bool) and version >= 1:
        version = str(version)
    checker.string(field, version, max_len=128, pattern=DOCUMENT_VERSION_PATTERN, pattern_text=DOCUMENT_VERSION_RULE)
    text: str = version
    return text


def check_target_accounts(checker: Checker, field: str, accounts: Any) -> list[str] | None:
    """The accounts a cross-account runbook may run in (None when not given): 1 to
    :data:`MAX_TARGET_ACCOUNTS` distinct 12-digit account ids or tokens (``cdk.Aws.ACCOUNT_ID``)."""
    if accounts is None:
        return None
    if not isinstance(accounts, (list, tuple)):
        checker.fail(field, accounts, "a list of 12-digit account ids, like ['111122223333'].")
    if not 1 <= len(accounts) <= MAX_TARGET_ACCOUNTS:
        checker.fail(
            field,
            f"{len(accounts)} accounts",
            f"1 to {MAX_TARGET_ACCOUNTS} account ids (leave target_accounts out to allow any account).",
        )
    for account in accounts:
        checker.string(field, account, max_len=12, pattern=_ACCOUNT_ID.pattern, pattern_text="12-digit account ids.")
        if "#{Token[" in account:  # a list token (value_as_list) where one account id was expected
            checker.fail(
                field, account, "account ids one by one (a list only known at deploy time cannot be named here)."
            )
    if len({a for a in accounts if not is_token(a)}) != len([a for a in accounts if not is_token(a)]):
        checker.fail(field, list(accounts), "each account at most once.")
    return list(accounts)


def _check_role_options(
    scope: Construct, id: str, cross_account: bool, target_accounts: Any, document_version: Any
) -> tuple[list[str] | None, str | None]:
    """A :class:`RunbookRole`'s target accounts and document version, checked."""
    if target_accounts is None and document_version is None:
        return None, None  # nothing to check: no construct path asked of the CDK runtime
    checker = Checker(f"{scope.node.path}/{id}", "RunbookRole")
    accounts = check_target_accounts(checker, "target_accounts", target_accounts)
    if accounts is not None and not cross_account:
        checker.fail("target_accounts", accounts, "target accounts are only used with cross_account=True.")
    return accounts, check_document_version(checker, "document_version", document_version)


class RunbookRole(iam.Role):
    """The role Incident Manager assumes to start a response plan's runbook: an ``iam.Role``.

    Trust: ``sts:AssumeRole`` for ``ssm-incidents.amazonaws.com``, only for incidents of this
    account created from this response plan (``aws:SourceAccount`` and ``aws:SourceArn``).
    Permissions (inline policy ``RunRunbook``): ``ssm:StartAutomationExecution`` on the runbook's
    automation definition (``<document>:<version>`` when a version number is pinned, every version
    ``<document>:*`` otherwise); ``iam:PassRole`` on the automation's own role (only to SSM) when
    there is one; ``sts:AssumeRole`` on ``AWS-SystemsManager-AutomationExecutionRole`` for
    cross-account runbooks, in the accounts named (any account, ``*``, when none are).

    Being an ``iam.Role``, it is reached by everything that reaches roles: grants
    (``grant_*`` add an ``AWS::IAM::Policy``), ``iam.PermissionsBoundary.of(scope)``, and
    ``iam.Role.customize_roles(scope)``, which leaves the role out of the template and lists it,
    with its trust and policies, in ``iam-policy-report.txt``/``.json`` of the cloud assembly.

    :param response_plan_name: the response plan whose incidents may use the role.
    :param document_name: the runbook's document name.
    :param automation_role: the role the automation runs as, if not this one. Default: none.
    :param cross_account: allow running the runbook in the impacted account. Default: False.
    :param target_accounts: with ``cross_account``, the accounts (12-digit ids) whose automation
        execution role may be assumed. Default: any account.
    :param document_version: the runbook version the response plan starts. Default: ``$LATEST``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        response_plan_name: str,
        document_name: str,
        automation_role: iam.IRole | None = None,
        cross_account: bool = False,
        target_accounts: Sequence[str] | None = None,
        document_version: str | None = None,
    ) -> None:
        accounts, version = _check_role_options(scope, id, cross_account, target_accounts, document_version)
        partition, account, region = (pseudo_parameter(n) for n in ("PARTITION", "ACCOUNT_ID", "REGION"))
        source_arn = f"arn:{partition}:ssm-incidents:*:{account}:incident-record/{response_plan_name}/*"
        # automation-definition/<name>:<version> (the Service Authorization Reference's ARN of the
        # resource type): a pinned version number, or '*' for $LATEST and $DEFAULT, which name
        # whichever version the document has when the incident starts.
        pinned = "*" if version is None or is_token(version) or version in MOVING_VERSIONS else version
        # The policy as JSON, made into a PolicyDocument in one round trip to the CDK runtime.
        statements: list[dict[str, Any]] = [
            {
                "Sid": "StartRunbook",
                "Effect": "Allow",
                "Action": "ssm:StartAutomationExecution",
                "Resource": f"arn:{partition}:ssm:{region}:{account}:automation-definition/{document_name}:{pinned}",
            }
        ]
        if automation_role is not None:
            statements.append(
                {
                    "Sid": "PassAutomationRole",
                    "Effect": "Allow",
                    "Action": "iam:PassRole",
                    "Resource": automation_role.role_arn,
                    "Condition": {"StringEquals": {"iam:PassedToService": "ssm.amazonaws.com"}},
                }
            )
        if cross_account:
            role_arns = [
                f"arn:{partition}:iam::{target}:role/{CROSS_ACCOUNT_AUTOMATION_ROLE}" for target in accounts or ["*"]
            ]
            statements.append(
                {
                    "Sid": "RunInImpactedAccount",
                    "Effect": "Allow",
                    "Action": "sts:AssumeRole",
                    "Resource": role_arns[0] if len(role_arns) == 1 else role_arns,
                }
            )
        # The role is this construct, so its AWS::IAM::Role is at <scope>/<id>/Resource, the path
        # (and logical id) the role has always had.
        super().__init__(
            scope,
            id,
            assumed_by=iam.ServicePrincipal(SSM_INCIDENTS_PRINCIPAL, conditions=source_conditions(source_arn)),
            description=f"Lets Incident Manager start the runbook of response plan {response_plan_name}",
            inline_policies={
                "RunRunbook": iam.PolicyDocument.from_json({"Version": "2012-10-17", "Statement": statements})
            },
        )
        self._resource: iam.CfnRole | None = None

    def _cfn_role(self) -> iam.CfnRole | None:
        # Read once, when first asked for: an L1 comes back as a new Python object on every read.
        if self._resource is None:
            child = self.node.default_child
            self._resource = child if isinstance(child, iam.CfnRole) else None
        return self._resource

    @property
    def resource(self) -> iam.CfnRole:
        """The ``AWS::IAM::Role`` (construct id ``Resource``, ``role.node.default_child``).

        :raises ValidationError: when ``iam.Role.customize_roles`` keeps the role out of the template.
        """
        resource = self._cfn_role()
        if resource is None:
            raise ValidationError(
                f"{self.node.path} (RunbookRole): the role has no AWS::IAM::Role in this app: "
                "iam.Role.customize_roles() leaves it to be created outside CloudFormation "
                "(see iam-policy-report.txt in the cloud assembly)."
            )
        return resource
