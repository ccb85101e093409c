"""Simulate an incident under a response plan, minute by minute.

The rules (also in the README (The incident-constructs command)):

- every engagement of the response plan is engaged at minute 0;
- in an escalation plan, stage *k* begins at the sum of the durations of stages 1..k-1,
  counted from the moment the plan is engaged; it engages every contact it names;
- an engaged personal contact runs its own engagement plan from the moment it is engaged:
  each channel is paged when its stage begins, and paged again every
  ``RetryIntervalInMinutes`` (0: never) until the contact acknowledges;
- an engaged on-call schedule engages whoever its rotations put on call at that moment, overrides
  included;
- an acknowledgement at minute *m* comes after everything else that happens at minute *m*:
  it stops the contact's own engagement plans (no more pages, no retries); when the
  contact was engaged by an escalation stage whose target has ``IsEssential``
  ("acknowledgement stops plan progression"), that escalation plan engages no later
  stage, and the same holds one level up when that plan was itself an essential target.
  With ``IsEssential`` false, progression continues;
- a contact can only acknowledge after it has been paged: an earlier acknowledgement is
  reported and ignored;
- nothing after ``minutes`` is shown.

The work is bounded by what is shown: escalation plans that engage other escalation plans can
engage the same people once per path, which grows exponentially with the nesting, so the
simulation stops after ``max_events`` events (:data:`MAX_EVENTS` by default) and says so in a
last ``note`` (:attr:`Timeline.truncated_at`).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import partial

from .assembly import AssemblyError, Contact, IncidentSetup, Target
from .oncall import OnCallError, check_moment, rotation_on_call_at

__all__ = ["MAX_EVENTS", "Event", "Timeline", "simulate", "parse_ack"]

#: The events a simulation shows at most by default; :func:`simulate` stops there.
MAX_EVENTS = 2_000
#: Scheduled steps (a stage beginning, a page) processed per event allowed: stages that engage
#: nobody produce no event, and must not run unbounded either.
_STEPS_PER_EVENT = 20


@dataclass(frozen=True)
class Event:
    """Something that happens during the simulated incident.

    ``kind`` is one of ``engage`` (a contact is engaged), ``stage`` (an escalation stage
    begins), ``page`` (a channel is paged; ``attempt`` 0 is the first page, 1+ retries),
    ``oncall`` (a schedule resolved), ``ack`` (a contact acknowledges), ``stop`` (an
    acknowledgement stops an engagement plan or an escalation plan's progression) and
    ``note`` (anything else worth knowing).
    """

    minute: int
    kind: str
    contact: str
    detail: str
    via: str = ""
    channel_type: str = ""
    attempt: int = 0


@dataclass
class Timeline:
    """The result of :func:`simulate`."""

    response_plan: str
    start: datetime
    minutes: int
    events: list[Event] = field(default_factory=list)
    #: The minute the simulation stopped at because it reached ``max_events``, or None.
    truncated_at: int | None = None

    def at(self, minute: int) -> list[Event]:
        """The events of one minute."""
        return [e for e in self.events if e.minute == minute]


@dataclass(eq=False)
class _Engagement:
    contact: Contact
    parent: _Engagement | None
    essential: bool
    start: int
    via: str
    stopped: bool = False

    def has_ancestor(self, contact: Contact) -> bool:
        """True when ``contact`` engaged this one, directly or further up the chain."""
        node = self.parent
        while node is not None:
            if node.contact is contact:
                return True
            node = node.parent
        return False


class _Stop(Exception):
    """The simulation reached its bound of events or steps."""


def parse_ack(text: str) -> tuple[str, int]:
    """``CONTACT@MINUTE`` as (alias, minute); :class:`ValueError` with the expected form otherwise."""
    alias, sep, minute = text.rpartition("@")
    minute = minute.strip()
    if not sep or not alias or not (minute.isascii() and minute.isdigit()) or len(minute) > 6:
        raise ValueError(f"--ack {text[:80]!r}: expected CONTACT@MINUTE, e.g. incident-responder@3")
    return alias, int(minute)


class _Simulation:
    def __init__(
        self, setup: IncidentSetup, start: datetime, minutes: int, acks: Mapping[str, int], max_events: int = MAX_EVENTS
    ) -> None:
        self.setup = setup
        self.start = start
        self.minutes = minutes
        self.acks = dict(acks)
        self.max_events = max_events
        self.truncated_at: int | None = None
        self.events: list[Event] = []
        self._queue: list[tuple[int, int, int, Callable[[int], None]]] = []
        self._seq = 0
        self._by_alias: dict[str, list[_Engagement]] = {}
        self._first_page: dict[str, int] = {}

    # -- scheduling ----------------------------------------------------------------------
    def later(self, minute: int, action: Callable[[int], None], *, last: bool = False) -> None:
        if minute <= self.minutes:
            self._seq += 1
            heapq.heappush(self._queue, (minute, 1 if last else 0, self._seq, action))

    def run(self) -> None:
        steps = 0
        most = self.max_events * _STEPS_PER_EVENT
        minute = 0
        try:
            while self._queue:
                minute, _, _, action = heapq.heappop(self._queue)
                steps += 1
                if steps > most:
                    raise _Stop()
                action(minute)
        except _Stop:
            self.truncated_at = minute
            self._queue.clear()
            self.events.append(
                Event(
                    minute,
                    "note",
                    "",
                    f"the timeline stops here, at minute {minute}, after {len(self.events)} events: "
                    "escalation plans that engage other escalation plans engage the same people once per path; "
                    "later events are not shown (ask for fewer --minutes or more --max-events)",
                )
            )

    def emit(self, minute: int, kind: str, contact: str, detail: str, **extra: object) -> None:
        if len(self.events) >= self.max_events:
            raise _Stop()
        self.events.append(Event(minute, kind, contact, detail, **extra))  # type: ignore[arg-type]

    # -- engagements ---------------------------------------------------------------------
    def engage(self, contact: Contact, parent: _Engagement | None, essential: bool, minute: int, via: str) -> None:
        node = _Engagement(contact, parent, essential, minute, via)
        if node.has_ancestor(contact):
            self.emit(
                minute, "note", contact.alias, "already engaged further up this chain: not engaged again", via=via
            )
            return
        self.emit(
            minute, "engage", contact.alias, f"engaged ({contact.contact_type.lower().replace('_', ' ')})", via=via
        )
        self._by_alias.setdefault(contact.alias, []).append(node)
        if contact.external:
            self.emit(minute, "note", contact.alias, "not in this cloud assembly: its plan is unknown", via=via)
            return
        if contact.contact_type == "ONCALL_SCHEDULE":
            self.engage_schedule(node, minute)
            return
        if not contact.stages:
            self.emit(minute, "note", contact.alias, "has no engagement plan: nobody is paged", via=via)
            return
        offset = minute
        for index, stage in enumerate(contact.stages):
            self.later(offset, partial(self.begin_stage, node, index))
            offset += stage.duration_minutes

    def engage_schedule(self, node: _Engagement, minute: int) -> None:
        setup, contact = self.setup, node.contact
        moment = self.start + timedelta(minutes=minute)
        anyone = False
        for rotation_key in contact.rotation_ids:
            rotation = setup.rotations.get(rotation_key)
            if rotation is None:
                self.emit(
                    minute, "note", contact.alias, f"rotation {setup.label(rotation_key)} is not in this cloud assembly"
                )
                continue
            try:
                on_call = rotation_on_call_at(rotation, moment)
            except OnCallError as error:
                raise AssemblyError(f"rotation {rotation.name}: {error}") from error
            names = ", ".join(setup.label(c) for c in on_call) or "nobody"
            self.emit(
                minute,
                "oncall",
                contact.alias,
                f"rotation {rotation.name}: {names} on call at {moment:%Y-%m-%d %H:%M} UTC",
            )
            for person in on_call:
                anyone = True
                self.engage(setup.contacts[person], node, False, minute, f"{contact.alias} / {rotation.name}")
        if not anyone:
            self.emit(minute, "note", contact.alias, "nobody is on call: nobody is engaged")

    def begin_stage(self, node: _Engagement, index: int, minute: int) -> None:
        if node.stopped:
            return
        contact = node.contact
        stage = contact.stages[index]
        total = len(contact.stages)
        if contact.contact_type != "PERSONAL":
            essential = any(t.is_essential for t in stage.targets)
            self.emit(
                minute,
                "stage",
                contact.alias,
                f"stage {index + 1} of {total} begins ({stage.duration_minutes} min"
                + (", acknowledgement stops progression)" if essential else ")"),
                via=node.via,
            )
        for target in stage.targets:
            self.engage_target(node, index, target, minute)

    def engage_target(self, node: _Engagement, index: int, target: Target, minute: int) -> None:
        setup = self.setup
        via = f"{node.contact.alias} stage {index + 1}"
        if target.kind == "contact":
            self.engage(setup.contacts[target.ref], node, target.is_essential, minute, via)
            return
        channel = setup.channels.get(target.ref)
        if channel is None:
            self.emit(
                minute, "note", node.contact.alias, f"channel {target.ref} is not in this cloud assembly", via=via
            )
            return
        self.page(node, target, 0, minute)

    def page(self, node: _Engagement, target: Target, attempt: int, minute: int) -> None:
        if node.stopped:
            return
        channel = self.setup.channels[target.ref]
        alias = node.contact.alias
        what = f"{channel.channel_type} {channel.name!r} to {channel.address}"
        if attempt:
            what += f" (retry {attempt})"
        self.emit(minute, "page", alias, what, via=node.via, channel_type=channel.channel_type, attempt=attempt)
        self._first_page.setdefault(alias, minute)
        if target.retry_interval_minutes > 0:
            self.later(minute + target.retry_interval_minutes, partial(self.page, node, target, attempt + 1))

    # -- acknowledgements ----------------------------------------------------------------
    def acknowledge(self, alias: str, minute: int) -> None:
        first = self._first_page.get(alias)
        if first is None or first > minute:
            self.emit(minute, "note", alias, f"acknowledgement at minute {minute} ignored: not paged by then")
            return
        self.emit(minute, "ack", alias, "acknowledges")
        for node in self._by_alias.get(alias, []):
            if node.start > minute or node.stopped:
                continue
            node.stopped = True
            self.emit(minute, "stop", alias, "engagement plan stops: no more pages", via=node.via)
            self.propagate(node, minute)

    def propagate(self, node: _Engagement, minute: int) -> None:
        parent = node.parent
        if parent is None or parent.stopped:
            return
        if parent.contact.contact_type == "ONCALL_SCHEDULE":
            # The schedule's target counts as acknowledged: look one level further up.
            self.propagate(parent, minute)
            return
        if node.essential:
            parent.stopped = True
            self.emit(
                minute,
                "stop",
                parent.contact.alias,
                f"{node.contact.alias} acknowledged (acknowledgement stops progression): later stages are not engaged",
                via=parent.via,
            )
            self.propagate(parent, minute)
        else:
            self.emit(
                minute,
                "note",
                parent.contact.alias,
                f"{node.contact.alias} acknowledged, but its target does not stop progression: later stages still begin",
                via=parent.via,
            )


def _engage_at(sim: _Simulation, contact: Contact, via: str, minute: int) -> None:
    sim.engage(contact, None, False, minute, via)


def simulate(
    setup: IncidentSetup,
    response_plan: str,
    *,
    start: datetime | None = None,
    minutes: int = 30,
    acks: Mapping[str, int] | None = None,
    max_events: int = MAX_EVENTS,
) -> Timeline:
    """Simulate an incident started by ``response_plan``.

    :param setup: what :func:`incident_constructs.tools.assembly.load_assembly` read.
    :param response_plan: the response plan's ``Name``.
    :param start: when the incident starts (on-call schedules resolve then). Default: now, UTC.
    :param minutes: how many minutes to simulate (events after it are not shown).
    :param acks: contact alias -> the minute that contact acknowledges.
    :param max_events: stop after this many events, with a last ``note`` that says so
        (:attr:`Timeline.truncated_at` is then the minute it stopped at).
    :raises AssemblyError: unknown plan or contact alias, or a rotation that cannot be computed.
    """
    plan = setup.response_plan(response_plan)
    if minutes < 0:
        raise AssemblyError(f"--minutes {minutes}: must be 0 or more")
    if max_events < 1:
        raise AssemblyError(f"--max-events {max_events}: must be 1 or more")
    try:
        moment = check_moment(start or datetime.now(timezone.utc), "the start of the incident")
        check_moment(moment + timedelta(minutes=minutes), "the end of the simulated minutes")
    except OnCallError as error:
        raise AssemblyError(str(error)) from None
    except OverflowError:
        raise AssemblyError("the end of the simulated minutes is out of range") from None
    sim = _Simulation(setup, moment, minutes, acks or {}, max_events)
    for alias, minute in (acks or {}).items():
        if setup.contact_by_alias(alias) is None:
            known = ", ".join(sorted(c.alias for c in setup.contacts.values() if c.contact_type == "PERSONAL"))
            raise AssemblyError(
                f"--ack {alias}@{minute}: no contact {alias!r} in the cloud assembly (contacts: {known})"
            )
        sim.later(minute, partial(sim.acknowledge, alias), last=True)
    if not plan.engagements:
        sim.emit(0, "note", "", f"response plan {plan.name} engages nobody")
    for key in plan.engagements:
        sim.later(0, partial(_engage_at, sim, setup.contacts[key], plan.name))
    sim.run()
    return Timeline(plan.name, moment, minutes, sim.events, sim.truncated_at)
