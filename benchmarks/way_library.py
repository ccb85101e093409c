"""The organisation written with incident-constructs."""

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
)
from incident_constructs.scale import TeamStacks

from . import org


def build(app: cdk.App, n: int) -> None:
    shards = org.shard_count(n)
    teams = org.teams(n)
    if shards == 0:
        stack = cdk.Stack(app, org.single_stack_name())
        ReplicationSet(stack, "ReplicationSet", regions=[org.REGION])
        for team in teams:
            build_team(Construct(stack, team.name), team)
        return
    stacks = TeamStacks(app, org.ORG, shards=shards)
    ReplicationSet(stacks.shared, "ReplicationSet", regions=[org.REGION])
    for team in teams:
        build_team(stacks.scope_for(team.name), team)


#: Durations are objects of the CDK runtime: made once, as a careful author makes constants (the raw
#: L1 way writes the numbers and reads the pseudo parameters once).
TEN_MINUTES = cdk.Duration.minutes(10)
FIVE_MINUTES = cdk.Duration.minutes(5)


def build_team(scope: Construct, team: org.Team) -> None:
    ten, five = TEN_MINUTES, FIVE_MINUTES
    people = []
    for construct_id, person in (("Primary", team.primary), ("Secondary", team.secondary)):
        contact = Contact(scope, construct_id, alias=person.alias, display_name=person.display_name)
        contact.add_email_channel(f"{person.alias} email", person.email)
        contact.add_sms_channel(f"{person.alias} sms", person.phone, engage_after=ten)
        people.append(contact)
    escalation = EscalationPlan(
        scope,
        "Escalation",
        alias=team.escalation_alias,
        stages=[
            EscalationStage(contacts=[people[0]], duration=five, acknowledgement_stops_progression=True),
            EscalationStage(contacts=[people[1]], duration=five, acknowledgement_stops_progression=True),
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
