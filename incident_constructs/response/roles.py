"""IAM roles that Incident Manager assumes, least privilege."""

from __future__ import annotations

import functools
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from .._validation import ValidationError

__all__ = ["RunbookRole", "SSM_INCIDENTS_PRINCIPAL", "source_conditions"]

SSM_INCIDENTS_PRINCIPAL = "ssm-incidents.amazonaws.com"
#: The role Automation assumes in other accounts for cross-account runbooks.
CROSS_ACCOUNT_AUTOMATION_ROLE = "AWS-SystemsManager-AutomationExecutionRole"


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


class RunbookRole(iam.Role):
    """The role Incident Manager assumes to start a response plan's runbook: an ``iam.Role``.

    Trust: ``sts:AssumeRole`` for ``ssm-incidents.amazonaws.com``, only for incidents of this
    account created from this response plan (``aws:SourceAccount`` and ``aws:SourceArn``).
    Permissions (inline policy ``RunRunbook``): ``ssm:StartAutomationExecution`` on the runbook's
    automation definition; ``iam:PassRole`` on the automation's own role (only to SSM) when
    there is one; ``sts:AssumeRole`` on ``AWS-SystemsManager-AutomationExecutionRole`` for
    cross-account runbooks.

    Being an ``iam.Role``, it is reached by everything that reaches roles: grants
    (``grant_*`` add an ``AWS::IAM::Policy``), ``iam.PermissionsBoundary.of(scope)``, and
    ``iam.Role.customize_roles(scope)``, which leaves the role out of the template and lists it,
    with its trust and policies, in ``iam-policy-report.txt``/``.json`` of the cloud assembly.

    :param response_plan_name: the response plan whose incidents may use the role.
    :param document_name: the runbook's document name.
    :param automation_role: the role the automation runs as, if not this one. Default: none.
    :param cross_account: allow running the runbook in the impacted account. Default: False.
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
    ) -> None:
        partition, account, region = (pseudo_parameter(n) for n in ("PARTITION", "ACCOUNT_ID", "REGION"))
        source_arn = f"arn:{partition}:ssm-incidents:*:{account}:incident-record/{response_plan_name}/*"
        # The policy as JSON, made into a PolicyDocument in one round trip to the CDK runtime.
        statements: list[dict[str, Any]] = [
            {
                "Sid": "StartRunbook",
                "Effect": "Allow",
                "Action": "ssm:StartAutomationExecution",
                # The trailing '*' is the document version (automation-definition/<name>:<version>).
                "Resource": f"arn:{partition}:ssm:{region}:{account}:automation-definition/{document_name}:*",
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
            statements.append(
                {
                    "Sid": "RunInImpactedAccount",
                    "Effect": "Allow",
                    "Action": "sts:AssumeRole",
                    "Resource": f"arn:{partition}:iam::*:role/{CROSS_ACCOUNT_AUTOMATION_ROLE}",
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
