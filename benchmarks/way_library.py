"""The organisation written with incident-constructs, as a user writes it.

Durations are made where they are used (``cdk.Duration.minutes(10)`` in the call), every
construct is given the arguments a user would give it, and each response plan gets the
least-privilege runbook role the library makes when no ``role=`` is given (see
docs/benchmarks.md, "One role per response plan"). Nothing is hoisted or cached for speed.
"""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from incident_constructs import (
    Contact,
    EscalationPlan,
    EscalationStage,
    Impact,
    ReplicationSet,
    ResponsePlan,
    Runbook,
    RunbookStep,
    TeamStacks,
)

from . import org


def build(app: cdk.App, n: int) -> None:
    shards = org.shard_count(n)
    if shards == 0:
        stack = cdk.Stack(app, org.single_stack_name())
        ReplicationSet(stack, "ReplicationSet", regions=[org.REGION])
        for team in org.teams(n):
            build_team(Construct(stack, team.name), team)
        return
    _, pins = org.shards_and_pins(n)
    stacks = TeamStacks(app, org.ORG, shards=shards, placement=pins)
    ReplicationSet(stacks.shared, "ReplicationSet", regions=[org.REGION])
    for team in org.teams(n):
        build_team(stacks.scope_for(team.name), team)


def build_team(scope: Construct, team: org.Team) -> None:
    primary = Contact(scope, "Primary", alias=team.primary.alias, display_name=team.primary.display_name)
    primary.add_email_channel(f"{team.primary.alias} email", team.primary.email)
    primary.add_sms_channel(f"{team.primary.alias} sms", team.primary.phone, engage_after=cdk.Duration.minutes(10))

    secondary = Contact(scope, "Secondary", alias=team.secondary.alias, display_name=team.secondary.display_name)
    secondary.add_email_channel(f"{team.secondary.alias} email", team.secondary.email)
    secondary.add_sms_channel(
        f"{team.secondary.alias} sms", team.secondary.phone, engage_after=cdk.Duration.minutes(10)
    )

    escalation = EscalationPlan(
        scope,
        "Escalation",
        alias=team.escalation_alias,
        stages=[
            EscalationStage(
                contacts=[primary], duration=cdk.Duration.minutes(5), acknowledgement_stops_progression=True
            ),
            EscalationStage(
                contacts=[secondary], duration=cdk.Duration.minutes(5), acknowledgement_stops_progression=True
            ),
        ],
    )
    runbook = Runbook(
        scope,
        "Runbook",
        document_name=team.document_name,
        steps=[RunbookStep.pause(step["name"], description=step["description"]) for step in org.RUNBOOK_STEPS],
    )
    ResponsePlan(
        scope,
        "Response",
        response_plan_name=team.response_plan_name,
        title=f"{team.name} incident",
        impact=Impact.HIGH,
        engagements=[escalation],
        runbook=runbook,
    )
