"""Spreading a large organisation over several stacks.

A CloudFormation stack holds at most 500 resources (and a 1 MB template); a team of two
people with their channels, plans, an escalation plan, a runbook and a response plan is
about 12 resources, so about 40 teams fit in one stack. :class:`TeamStacks` places each
team in one of a fixed number of *shard* stacks, chosen from a stable hash of the team's
name, and keeps an extra *shared* stack for what the whole organisation shares (the
replication set, org-wide escalation plans).

Why a hash into a fixed number of shards: adding or removing a team never moves any
other team, because a team's shard depends only on its own name and the shard count.
Moving a team to another stack would delete and re-create its contacts (new contacts
whose channels the people must activate again) and its response plans (alarms stop
starting incidents in between), so stability matters more than an even spread. The
price: the shards fill unevenly (for 1000 teams in 40 shards, between 18 and 33 teams),
so choose the shard count up front with room to grow (:func:`shards_for`), and pin a
team to a shard with ``placement`` when one fills up. Changing the shard count moves
most teams: don't.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping
from typing import Any

import aws_cdk as cdk
from constructs import Construct

from ._validation import Checker, ValidationError, add_synth_validation, is_token

__all__ = ["TeamStacks", "shard_of", "shards_for", "MAX_RESOURCES_PER_STACK"]

#: The most resources CloudFormation accepts in one stack.
MAX_RESOURCES_PER_STACK = 500

_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_\-]")


def shard_of(team_name: str, shards: int) -> int:
    """The shard (0 to ``shards - 1``) of a team: SHA-256 of its name, modulo ``shards``.

    Stable across processes, machines and Python versions (unlike ``hash()``).
    """
    digest = hashlib.sha256(team_name.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % shards


def shards_for(expected_teams: int, *, resources_per_team: int = 12, fill: float = 0.6) -> int:
    """A shard count for ``expected_teams`` teams, with room for the uneven spread of a hash.

    The average shard is filled to ``fill`` of the 500-resource limit; at 0.6 the fullest of
    40 shards stays under the limit for 1000 teams of 12 resources. Count the teams you
    expect to have, not the teams you have: the shard count must never change.
    """
    if expected_teams < 1 or resources_per_team < 1 or not 0 < fill <= 1:
        raise ValidationError(
            f"shards_for: expected_teams {expected_teams!r} and resources_per_team {resources_per_team!r} must be "
            f"at least 1 and fill {fill!r} between 0 and 1."
        )
    return max(1, math.ceil(expected_teams * resources_per_team / (MAX_RESOURCES_PER_STACK * fill)))


class TeamStacks(Construct):
    """Teams spread over a fixed number of shard stacks, plus one shared stack.

    ``stack_for(team)`` (or ``scope_for(team)``, a construct named after the team inside
    that stack) is where everything of the team goes: its contacts, plans, runbooks and
    response plans stay together, so their references are plain ``Fn::GetAtt``. A team may
    engage a contact of another stack (an org-wide escalation plan in :attr:`shared`, a
    contact of another team): CDK turns the reference into an export in the producing stack
    and an ``Fn::ImportValue`` in the consuming one, and deploys the producer first. Keep
    such references one way between two stacks: two stacks importing from each other are a
    dependency cycle that CDK refuses.

    Shard stacks are created when the first team is placed in them, with the construct id
    ``Shard<k>`` (two digits or more) and the stack name ``<id>-shard-<k>``; the shared stack
    is ``Shared`` / ``<id>-shared``. At synth, a shard with more than ``max_resources`` resources
    is an error naming its teams, and one with ``warn_resources`` or more gets a warning.

    :param scope: the app (or a stage).
    :param id: the construct id, also the prefix of the stack names.
    :param shards: how many shard stacks, fixed for the life of the organisation (see :func:`shards_for`).
    :param placement: teams pinned to a shard, ``{"payments": 3}``, overriding the hash; used to move a
        team out of a shard that is full without moving any other. Default: none.
    :param max_resources: the resource limit checked at synth. Default: 500, CloudFormation's limit.
    :param warn_resources: the resource count from which a shard gets a warning. Default: 90% of
        ``max_resources``.
    :param stack_kwargs: passed to every :class:`aws_cdk.Stack` (``env``, ``tags``, ``synthesizer``, ...).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        shards: int,
        placement: Mapping[str, int] | None = None,
        max_resources: int = MAX_RESOURCES_PER_STACK,
        warn_resources: int | None = None,
        **stack_kwargs: Any,
    ) -> None:
        super().__init__(scope, id)
        checker = Checker(self, "TeamStacks")
        self._checker = checker
        checker.integer("shards", shards, minimum=1, maximum=10000)
        checker.integer("max_resources", max_resources, minimum=1, maximum=MAX_RESOURCES_PER_STACK)
        if warn_resources is None:
            warn_resources = max(1, int(max_resources * 0.9))
        checker.integer("warn_resources", warn_resources, minimum=1, maximum=max_resources)
        pins = dict(placement or {})
        for team, shard in pins.items():
            self._check_team_name(team)
            checker.integer(f"placement[{team!r}]", shard, minimum=0, maximum=shards - 1)
        self._id = id
        self._shards = shards
        self._pins = pins
        self._max = max_resources
        self._warn = warn_resources
        self._stack_kwargs = stack_kwargs
        self._width = max(2, len(str(shards - 1)))
        self._stacks: dict[int, cdk.Stack] = {}
        self._teams: dict[int, list[str]] = {}
        self._team_shard: dict[str, int] = {}
        self._team_scopes: dict[str, Construct] = {}
        self._scope_ids: dict[tuple[int, str], str] = {}
        self._shared: cdk.Stack | None = None

    # -- placement -------------------------------------------------------------------------
    @property
    def shards(self) -> int:
        """The number of shards."""
        return self._shards

    def shard_of(self, team_name: str) -> int:
        """The shard of a team: its pin in ``placement``, else the hash of its name."""
        self._check_team_name(team_name)
        pinned = self._pins.get(team_name)
        return pinned if pinned is not None else shard_of(team_name, self._shards)

    def stack_for(self, team_name: str) -> cdk.Stack:
        """The stack of a team (created with the shard's first team)."""
        shard = self._team_shard.get(team_name)
        if shard is None:
            shard = self.shard_of(team_name)
            self._team_shard[team_name] = shard
            self._teams.setdefault(shard, []).append(team_name)
        return self.shard_stack(shard)

    def scope_for(self, team_name: str) -> Construct:
        """A construct named after the team inside its stack, the parent of everything of the team.

        The team's logical ids then start with its name, so two teams can use the same ids.
        """
        scope = self._team_scopes.get(team_name)
        if scope is None:
            stack = self.stack_for(team_name)
            construct_id = _ID_UNSAFE.sub("-", team_name)
            key = (self._team_shard[team_name], construct_id)
            other = self._scope_ids.get(key)
            if other is not None:
                self._checker.fail(
                    "team name", team_name, f"a name that stays distinct from {other!r} once '/' and such become '-'."
                )
            self._scope_ids[key] = team_name
            scope = self._team_scopes[team_name] = Construct(stack, construct_id)
        return scope

    def shard_stack(self, shard: int) -> cdk.Stack:
        """The stack of shard ``shard`` (created when first asked for)."""
        stack = self._stacks.get(shard)
        if stack is None:
            self._checker.integer("shard", shard, minimum=0, maximum=self._shards - 1)
            number = f"{shard:0{self._width}d}"
            stack = cdk.Stack(self, f"Shard{number}", stack_name=f"{self._id}-shard-{number}", **self._stack_kwargs)
            self._stacks[shard] = stack
            add_synth_validation(stack, lambda: self._check_shard(shard))
        return stack

    @property
    def shared(self) -> cdk.Stack:
        """The stack for what the organisation shares: the replication set, org-wide plans."""
        if self._shared is None:
            self._shared = cdk.Stack(self, "Shared", stack_name=f"{self._id}-shared", **self._stack_kwargs)
        return self._shared

    @property
    def stacks(self) -> list[cdk.Stack]:
        """The shard stacks created so far, by shard number."""
        return [self._stacks[k] for k in sorted(self._stacks)]

    def teams_in(self, shard: int) -> list[str]:
        """The teams placed in a shard, in the order they were placed."""
        return list(self._teams.get(shard, []))

    # -- checks ----------------------------------------------------------------------------
    def _check_team_name(self, team_name: Any) -> None:
        if isinstance(team_name, str) and is_token(team_name):
            self._checker.fail("team name", team_name, "a name known at synth time; a token cannot be placed.")
        self._checker.string("team name", team_name, max_len=255)

    def _check_shard(self, shard: int) -> list[str]:
        stack = self._stacks[shard]
        count = sum(1 for c in stack.node.find_all() if isinstance(c, cdk.CfnResource))
        teams = self._teams.get(shard, [])
        if count > self._max:
            return [
                f"{stack.node.path} (TeamStacks): shard {shard} holds {count} resources, more than the limit of "
                f"{self._max}; its {len(teams)} teams: {', '.join(teams)}. Pin some of them to other shards with "
                f"placement={{...}} (moving a team replaces its resources), or give new organisations more shards."
            ]
        if count >= self._warn:
            cdk.Annotations.of(stack).add_warning_v2(
                "incident-constructs:shardNearlyFull",
                f"shard {shard} holds {count} resources of at most {self._max}; new teams hashed to it will not fit.",
            )
        return []
