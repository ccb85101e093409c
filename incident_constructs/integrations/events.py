"""EventBridge rules that start incidents: :class:`IncidentTarget`."""

from __future__ import annotations

import aws_cdk as cdk
import jsii
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk.interfaces import aws_events as events_refs
from constructs import Construct

from .._validation import Checker, is_token
from ..response.response_plan import IResponsePlan

__all__ = ["IncidentTarget", "EVENTS_PRINCIPAL", "rule_source_conditions"]

EVENTS_PRINCIPAL = "events.amazonaws.com"


@jsii.implements(events.IRuleTarget)
class IncidentTarget:
    """An EventBridge rule target that starts an incident from a response plan.

    Use it like any target of ``aws_cdk.aws_events_targets``::

        rule = events.Rule(stack, "InstanceStopped", rule_name="instance-stopped",
                           event_pattern=events.EventPattern(source=["aws.ec2"], ...))
        rule.add_target(IncidentTarget(response_plan))

    Unless ``role`` is given, a role is created as a child of the rule (construct id
    ``StartIncident<8 characters of the plan's address>``) that:

    * trusts ``events.amazonaws.com`` only for this account (``aws:SourceAccount``) and only for
      this rule (``aws:SourceArn``);
    * may call ``ssm-incidents:StartIncident`` on this response plan's ARN and nothing else.

    About ``aws:SourceArn``: a rule of this app whose name CloudFormation generates cannot be named
    in its own role's trust policy (the role would depend on the rule and the rule on the role, a
    circular dependency). Give the rule a ``rule_name`` and the condition names exactly that rule
    (``rule/<name>`` on the default bus or ``rule/<bus>/<name>`` on another bus); without a name it
    allows any rule of the account in the rule's region (``rule/*``). An imported rule is named by
    its ARN.

    :param response_plan: the plan incidents are started from (owned or imported). The rule's target
        (and the created role's policy) reference the plan's ``Arn``, so CloudFormation creates an
        owned plan before the rule without an explicit ``DependsOn`` (one would be redundant: cfn-lint
        W3005).
    :param role: an existing role for EventBridge to assume. Default: a role is created as described.
        A role created in this app also gets the ``StartIncident`` permission; an imported role must
        already have it.
    """

    def __init__(self, response_plan: IResponsePlan, *, role: iam.IRole | None = None) -> None:
        checker = Checker("IncidentTarget", "IncidentTarget")
        if not isinstance(response_plan, IResponsePlan):
            checker.fail("response_plan", response_plan, "a ResponsePlan or an imported response plan (IResponsePlan).")
        if role is not None and not hasattr(role, "role_arn"):
            checker.fail("role", role, "an aws_iam.IRole.")
        self.response_plan = response_plan
        self._role = role

    def bind(self, rule: events_refs.IRuleRef, id: str | None = None) -> events.RuleTargetConfig:
        """Called by ``rule.add_target``: return the target configuration (ARN and role).

        ``rule`` is typed as aws-cdk-lib's ``IRuleTarget.bind`` types it (an ``IRuleRef``: an owned
        ``events.Rule`` or an imported rule), so ``rule.add_target(IncidentTarget(plan))`` type-checks.
        """
        plan = self.response_plan
        statement = iam.PolicyStatement(
            sid="StartIncident",
            actions=["ssm-incidents:StartIncident"],
            resources=[plan.response_plan_arn],
        )
        role = self._role
        if role is None:
            suffix = plan.node.addr[:8] if isinstance(plan, Construct) else "Plan"
            # An imported rule reaches Python as a jsii proxy, which cannot be a scope:
            # its role then goes next to it.
            scope, role_id = (rule, "") if isinstance(rule, Construct) else (rule.node.scope, rule.node.id)
            role = iam.Role(
                scope,  # type: ignore[arg-type]
                f"{role_id}StartIncident{suffix}",
                assumed_by=iam.ServicePrincipal(EVENTS_PRINCIPAL, conditions=rule_source_conditions(rule)),
                description=f"Lets EventBridge start incidents of response plan {plan.response_plan_name}",
                inline_policies={"StartIncident": iam.PolicyDocument(statements=[statement])},
            )
        else:
            role.add_to_principal_policy(statement)
        # No rule.node.add_dependency(plan): the target's Arn is a reference to the plan (GetAtt, or
        # an import from the plan's stack), which already orders the rule after the plan.
        return events.RuleTargetConfig(arn=plan.response_plan_arn, role=role)


def rule_source_conditions(rule: events_refs.IRuleRef) -> dict[str, dict[str, object]]:
    """The confused-deputy conditions of a role that EventBridge assumes for ``rule``."""
    stack = cdk.Stack.of(rule)
    account: dict[str, object] = {"aws:SourceAccount": cdk.Aws.ACCOUNT_ID}
    arn = rule.rule_ref.rule_arn
    if not is_token(arn):
        return {"StringEquals": {**account, "aws:SourceArn": arn}}
    # An owned rule's ARN and rule_name are references even when the rule has a physical name:
    # the name is read from its CfnRule. An imported rule whose ARN is a token has none.
    default_child = rule.node.default_child
    name = default_child.name if isinstance(default_child, events.CfnRule) else None
    if name is not None and not is_token(name):
        base = f"arn:{cdk.Aws.PARTITION}:events:{stack.region}:{stack.account}:rule"
        return {"StringEquals": account, "ArnLike": {"aws:SourceArn": [f"{base}/{name}", f"{base}/*/{name}"]}}
    return {
        "StringEquals": account,
        "ArnLike": {"aws:SourceArn": f"arn:{cdk.Aws.PARTITION}:events:{stack.region}:{stack.account}:rule/*"},
    }
