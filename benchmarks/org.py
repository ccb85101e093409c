"""The organisation every way of writing builds: N teams and one replication set.

A team: two personal contacts (``primary`` and ``secondary``), each with an email channel
(engaged at once) and an SMS channel (after 10 minutes) and their engagement plans; an
escalation plan engaging them one after the other; a two-step runbook; a response plan that
engages the escalation plan and runs the runbook with a least-privilege role. 12 resources.

Placement is shared by the three ways: below ``SHARD_FROM`` teams, one stack; from it on,
``ceil(N / TEAMS_PER_SHARD_AVERAGE)`` shard stacks chosen by :func:`shard_of` (the rule of
:class:`incident_constructs.TeamStacks`, repeated here so that the floor never imports
aws-cdk-lib; the equivalence check proves both place every team alike), and a shared
stack for the replication set.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Any

RESOURCES_PER_TEAM = 12
SHARD_FROM = 100
#: With a hash, shards fill unevenly: an average of 25 teams keeps the fullest of 40 shards
#: at 33 teams (396 resources) for N = 1000.
TEAMS_PER_SHARD_AVERAGE = 25
ORG = "Org"
REGION = "us-east-1"
RUNBOOK_STEPS = [
    {"name": "Triage", "description": "## Triage\nFind the failing component and its owner."},
    {"name": "Resolve", "description": "## Resolve\nRoll back or fix forward, then resolve the incident."},
]


@dataclass(frozen=True)
class Person:
    alias: str
    display_name: str
    email: str
    phone: str


@dataclass(frozen=True)
class Team:
    index: int
    name: str
    construct_id: str
    primary: Person
    secondary: Person
    escalation_alias: str
    document_name: str
    response_plan_name: str


def team(index: int) -> Team:
    name = f"team-{index:04d}"

    def person(role: str, offset: int) -> Person:
        return Person(
            alias=f"{name}-{role}",
            display_name=f"Team {index:04d} {role}",
            email=f"{name}-{role}@example.com",
            phone=f"+1206555{(2 * index + offset) % 10000:04d}",
        )

    return Team(
        index=index,
        name=name,
        construct_id=f"Team{index:04d}",
        primary=person("primary", 0),
        secondary=person("secondary", 1),
        escalation_alias=f"{name}-escalation",
        document_name=f"{name}-runbook",
        response_plan_name=f"{name}-response",
    )


def shard_of(team_name: str, shards: int) -> int:
    """Same as :func:`incident_constructs.scale.shard_of`."""
    return int.from_bytes(hashlib.sha256(team_name.encode("utf-8")).digest()[:8], "big") % shards


def teams(n: int) -> list[Team]:
    return [team(i) for i in range(n)]


def shard_count(n: int) -> int:
    """0 for a single stack, else the number of shard stacks."""
    return 0 if n < SHARD_FROM else math.ceil(n / TEAMS_PER_SHARD_AVERAGE)


def single_stack_name() -> str:
    return ORG


def shard_stack_name(shard: int, shards: int) -> str:
    """The same name :class:`incident_constructs.TeamStacks` gives its shard stacks."""
    width = max(2, len(str(shards - 1)))
    return f"{ORG}-shard-{shard:0{width}d}"


def shared_stack_name() -> str:
    return f"{ORG}-shared"


def placement(n: int) -> dict[str, list[Team]]:
    """Stack name -> teams, in team order."""
    shards = shard_count(n)
    result: dict[str, list[Team]] = {}
    for t in teams(n):
        stack = single_stack_name() if shards == 0 else shard_stack_name(shard_of(t.name, shards), shards)
        result.setdefault(stack, []).append(t)
    return result


#: The runbook parameters the library declares, written out for the raw L1 and JSON ways (which
#: must not import the library).
INCIDENT_PARAMETERS: dict[str, Any] = {
    "AutomationAssumeRole": {
        "type": "String",
        "description": "(Optional) The ARN of the role the automation runs as. Empty: the role that starts it.",
        "default": "",
    },
    "IncidentRecordArn": {
        "type": "String",
        "description": "The ARN of the incident record, filled in by Incident Manager.",
        "default": "",
    },
    "InvolvedResources": {
        "type": "StringList",
        "description": "The ARNs of the resources involved in the incident, filled in by Incident Manager.",
        "default": [],
    },
}
