"""cdk-nag for the example app: the packs it must pass and the findings it acknowledges, each
with its reason.

``app.py`` runs the AWS Solutions and NIST 800-53 rev 5 packs on every ``cdk synth``; a finding
that is not acknowledged here fails the synthesis.
"""

from __future__ import annotations

import aws_cdk as cdk

from incident_constructs import ResponsePlan

#: Why each acknowledged finding is accepted, by rule (``{document}`` is the runbook's name).
REASONS = {
    "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:automation-definition/{document}:*]": (
        "The trailing '*' is the document version: Incident Manager starts the runbook's $LATEST (or a "
        "pinned) version, and automation-definition ARNs name versions as <document>:<version>. "
        "The resource is this one runbook, no other."
    ),
    "NIST.800.53.R5-IAMNoInlinePolicy": (
        "The runbook role's policy is written for this role only (one response plan, one runbook); an "
        "inline policy cannot be attached to any other principal, which a managed policy could."
    ),
}


def apply_nag_suppressions(stack: cdk.Stack) -> None:
    """Acknowledge, with a reason each, the cdk-nag findings the example stack is known to have."""
    for construct in stack.node.find_all():
        if isinstance(construct, ResponsePlan) and construct.runbook is not None:
            role = construct.runbook_role
            if role is None:
                continue
            for rule, reason in REASONS.items():
                cdk.Validations.of(role).acknowledge(
                    cdk.Acknowledgment(id=rule.format(document=construct.runbook.document_name), reason=reason)
                )


def add_nag_packs(app: cdk.App) -> None:
    """Run the AWS Solutions and NIST 800-53 rev 5 packs when the app is synthesized."""
    from cdk_nag import AwsSolutionsChecks, NIST80053R5Checks

    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app, verbose=True), NIST80053R5Checks(app, verbose=True))
