"""The organisation every way of writing builds: N teams and one replication set.

A team: two personal contacts (``primary`` and ``secondary``), each with an email channel
(engaged at once) and an SMS channel (after 10 minutes) and their engagement plans; an
escalation plan engaging them one after the other; a two-step runbook; a response plan that
engages the escalation plan and runs the runbook through its own least-privilege role (the
library's default when ``role=`` is not given). 12 resources.

Placement is shared by the three ways, 35 teams per stack:

- up to ``TEAMS_PER_STACK`` teams, one stack ``Org`` holding the teams and the replication set;
- from ``TEAMS_PER_STACK + 1`` teams on, ``ceil(N / TEAMS_PER_STACK)`` shard stacks
  (:class:`incident_constructs.TeamStacks` with that many shards, each team in the shard of
  the hash of its name) and a shared stack ``Org-shared`` for the replication set. A hash
  fills shards unevenly: a team whose shard already holds ``MAX_TEAMS_PER_STACK`` teams (the
  most that fit under CloudFormation's 500 resources) is pinned to the emptiest shard, as the
  :class:`~incident_constructs.TeamStacks` documentation tells a user to do with
  ``placement=``. For N = 100 nothing is pinned; for N = 1000 some teams are.

The rule is repeated here rather than imported so that the JSON floor never imports
aws-cdk-lib; the equivalence check proves that the three ways place every team alike.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Any

RESOURCES_PER_TEAM = 12
#: How many teams a user puts in one stack (the spread the issue measures with).
TEAMS_PER_STACK = 35
#: CloudFormation's limit, and the most teams a shard stack can hold under it.
MAX_RESOURCES_PER_STACK = 500
MAX_TEAMS_PER_STACK = MAX_RESOURCES_PER_STACK // RESOURCES_PER_TEAM
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
    """Same as :func:`incident_constructs.team_stacks.shard_of`."""
    return int.from_bytes(hashlib.sha256(team_name.encode("utf-8")).digest()[:8], "big") % shards


def teams(n: int) -> list[Team]:
    return [team(i) for i in range(n)]


def shard_count(n: int) -> int:
    """0 for a single stack, else the number of shard stacks: ``ceil(n / TEAMS_PER_STACK)``."""
    return 0 if n <= TEAMS_PER_STACK else math.ceil(n / TEAMS_PER_STACK)


def shards_and_pins(n: int) -> tuple[dict[str, int], dict[str, int]]:
    """Team name -> shard for every team, and the pins among them (teams moved out of a full shard).

    Teams arrive in order; a team goes to the shard of its hash unless that shard already holds
    ``MAX_TEAMS_PER_STACK`` teams, and then to the emptiest shard (the lowest number on a tie).
    """
    shards = shard_count(n)
    where: dict[str, int] = {}
    pins: dict[str, int] = {}
    if shards == 0:
        return where, pins
    filled = [0] * shards
    for t in teams(n):
        shard = shard_of(t.name, shards)
        if filled[shard] >= MAX_TEAMS_PER_STACK:
            shard = min(range(shards), key=lambda k: (filled[k], k))
            pins[t.name] = shard
        filled[shard] += 1
        where[t.name] = shard
    return where, pins


def single_stack_name() -> str:
    return ORG


def shard_stack_name(shard: int, shards: int) -> str:
    """The same name :class:`incident_constructs.TeamStacks` gives its shard stacks."""
    width = max(2, len(str(shards - 1)))
    return f"{ORG}-shard-{shard:0{width}d}"


def shared_stack_name() -> str:
    return f"{ORG}-shared"


def replication_set_stack_name(n: int) -> str:
    """The stack of the replication set: the single stack, or the shared one."""
    return single_stack_name() if shard_count(n) == 0 else shared_stack_name()


def placement(n: int) -> dict[str, list[Team]]:
    """Stack name -> teams, in team order."""
    shards = shard_count(n)
    where, _ = shards_and_pins(n)
    result: dict[str, list[Team]] = {}
    for t in teams(n):
        stack = single_stack_name() if shards == 0 else shard_stack_name(where[t.name], shards)
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
