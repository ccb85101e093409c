"""IAM roles that Incident Manager assumes, least privilege."""

from __future__ import annotations

import functools
from typing import Optional

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

__all__ = ["RunbookRole", "SSM_INCIDENTS_PRINCIPAL", "source_conditions"]

SSM_INCIDENTS_PRINCIPAL = "ssm-incidents.amazonaws.com"
#: The role Automation assumes in other accounts for cross-account runbooks.
CROSS_ACCOUNT_AUTOMATION_ROLE = "AWS-SystemsManager-AutomationExecutionRole"


@functools.lru_cache(maxsize=None)
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


class RunbookRole(Construct):
    """The role Incident Manager assumes to start a response plan's runbook.

    Trust: ``sts:AssumeRole`` for ``ssm-incidents.amazonaws.com``, only for incidents of this
    account created from this response plan (``aws:SourceAccount`` and ``aws:SourceArn``).
    Permissions: ``ssm:StartAutomationExecution`` on the runbook's automation definition;
    ``iam:PassRole`` on the automation's own role (only to SSM) when there is one;
    ``sts:AssumeRole`` on ``AWS-SystemsManager-AutomationExecutionRole`` for cross-account
    runbooks.

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
        automation_role: Optional[iam.IRole] = None,
        cross_account: bool = False,
    ) -> None:
        super().__init__(scope, id)
        partition, account, region = (pseudo_parameter(n) for n in ("PARTITION", "ACCOUNT_ID", "REGION"))
        source_arn = f"arn:{partition}:ssm-incidents:*:{account}:incident-record/{response_plan_name}/*"
        statements: list[dict[str, object]] = [
            {
                "Sid": "StartRunbook",
                "Effect": "Allow",
                "Action": "ssm:StartAutomationExecution",
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
        # The role is written as CloudFormation JSON in one call to the CDK runtime; the iam.Role
        # L2 takes five (principal, statement, document, role, ARN) for the same template.
        #: The ``AWS::IAM::Role`` (construct id ``Resource``).
        self.resource = iam.CfnRole(
            self,
            "Resource",
            assume_role_policy_document={
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": SSM_INCIDENTS_PRINCIPAL},
                        "Action": "sts:AssumeRole",
                        "Condition": source_conditions(source_arn),
                    }
                ],
            },
            description=f"Lets Incident Manager start the runbook of response plan {response_plan_name}",
            policies=[
                iam.CfnRole.PolicyProperty(
                    policy_name="RunRunbook", policy_document={"Version": "2012-10-17", "Statement": statements}
                )
            ],
        )
        #: The role's ARN.
        self.role_arn: str = self.resource.attr_arn
        self._role: Optional[iam.IRole] = None

    @property
    def role(self) -> iam.IRole:
        """The role as an ``iam.IRole``, made when first asked for; grants to it add an
        ``AWS::IAM::Policy`` attached to the role."""
        if self._role is None:
            self._role = iam.Role.from_role_arn(self, "Role", self.role_arn, mutable=True)
        return self._role
