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
        statements = [
            iam.PolicyStatement(
                sid="StartRunbook",
                actions=["ssm:StartAutomationExecution"],
                resources=[f"arn:{partition}:ssm:{region}:{account}:automation-definition/{document_name}:*"],
            )
        ]
        if automation_role is not None:
            statements.append(
                iam.PolicyStatement(
                    sid="PassAutomationRole",
                    actions=["iam:PassRole"],
                    resources=[automation_role.role_arn],
                    conditions={"StringEquals": {"iam:PassedToService": "ssm.amazonaws.com"}},
                )
            )
        if cross_account:
            statements.append(
                iam.PolicyStatement(
                    sid="RunInImpactedAccount",
                    actions=["sts:AssumeRole"],
                    resources=[f"arn:{partition}:iam::*:role/{CROSS_ACCOUNT_AUTOMATION_ROLE}"],
                )
            )
        #: The IAM role.
        self.role = iam.Role(
            self,
            "Resource",
            assumed_by=iam.ServicePrincipal(SSM_INCIDENTS_PRINCIPAL, conditions=source_conditions(source_arn)),
            description=f"Lets Incident Manager start the runbook of response plan {response_plan_name}",
            inline_policies={"RunRunbook": iam.PolicyDocument(statements=statements)},
        )
