"""On-call shifts as an iCalendar file (RFC 5545), for people's calendars.

One ``VEVENT`` per shift that puts somebody on call, exactly the stretches that
:func:`incident_constructs.tools.oncall.rotation_shifts` computes (overrides included): a shift cut
by the coverage windows is one event per window, a shift cut by an override one event per part.
Every shift that overlaps the period is shown whole, from its real start to its real end, so an
event keeps its times (and its ``UID``) whatever ``--at`` is. Times keep their zone: ``DTSTART;TZID=...`` in
the rotation's IANA time zone, with a ``VTIMEZONE`` for each zone used, so a calendar shows the
hand-off at the same wall-clock time on both sides of a daylight saving change.

A period without shifts still gives a valid file: the ``VTIMEZONE`` of each rotation's zone and
no event. The file is deterministic: the same assembly, period and ``--at`` give the same bytes. ``UID`` is
derived from the rotation, the times and the people; ``DTSTAMP`` is the moment asked about
(``--at``), not the time the file was written.

Each event also carries ``X-INCIDENT-CONSTRUCTS-ROTATION``, ``X-INCIDENT-CONSTRUCTS-SHIFT-TYPE``
(``REGULAR`` or ``OVERRIDDEN``, as ``ListRotationShifts`` says) and, for an overridden shift,
``X-INCIDENT-CONSTRUCTS-OVERRIDDEN`` (the aliases it replaces), for scripts that read the file.
This module imports neither ``aws_cdk`` nor anything that needs Node.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from icalendar import Calendar, Event, Timezone

from .assembly import AssemblyError, IncidentSetup, Rotation
from .oncall import OnCallShift, rotation_shifts

__all__ = ["PRODID", "CalendarShift", "calendar_shifts", "to_ical"]

PRODID = "-//incident-constructs//on-call shifts//EN"
_X_ROTATION = "X-INCIDENT-CONSTRUCTS-ROTATION"
_X_TYPE = "X-INCIDENT-CONSTRUCTS-SHIFT-TYPE"
_X_OVERRIDDEN = "X-INCIDENT-CONSTRUCTS-OVERRIDDEN"


@dataclass(frozen=True)
class CalendarShift:
    """One event of the calendar: a shift of ``rotation`` with the aliases on call."""

    rotation: Rotation
    shift: OnCallShift
    people: tuple[str, ...]
    overridden: tuple[str, ...]


def calendar_shifts(
    setup: IncidentSetup, *, since: datetime, until: datetime, contact: str | None = None
) -> list[CalendarShift]:
    """The shifts of every rotation that overlap ``[since, until)`` and put somebody on call
    (only those of ``contact``, an alias, when given), whole, by rotation name then start.

    :raises AssemblyError: for an unknown ``contact``.
    :raises OnCallError: for a rotation whose shifts cannot be computed.
    """
    key = None
    if contact is not None:
        found = setup.contact_by_alias(contact)
        if found is None:
            known = ", ".join(sorted(c.alias for c in setup.contacts.values() if c.contact_type == "PERSONAL"))
            raise AssemblyError(f"--contact {contact!r}: no such contact in the cloud assembly (contacts: {known})")
        key = found.key
    result: list[CalendarShift] = []
    for rotation in sorted(setup.rotations.values(), key=lambda r: (r.name, r.key)):
        for shift in rotation_shifts(rotation, since=since, until=until, whole=True):
            if not shift.contacts or (key is not None and key not in shift.contacts):
                continue
            result.append(
                CalendarShift(
                    rotation,
                    shift,
                    tuple(setup.label(c) for c in shift.contacts),
                    tuple(setup.label(c) for c in shift.overridden),
                )
            )
    return result


def _uid(item: CalendarShift) -> str:
    text = "|".join(
        (item.rotation.key, item.shift.start.isoformat(), item.shift.end.isoformat(), ",".join(item.shift.contacts))
    )
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:32] + "@incident-constructs"


def _event(item: CalendarShift, stamp: datetime, schedules: dict[str, list[str]]) -> Event:
    shift, rotation = item.shift, item.rotation
    event = Event()
    event.add("uid", _uid(item))
    event.add("dtstamp", stamp)
    event.add("dtstart", shift.start)
    event.add("dtend", shift.end)
    event.add("summary", f"On call ({rotation.name}): {', '.join(item.people)}")
    lines = [f"Rotation {rotation.name} ({rotation.time_zone_id})."]
    if schedules.get(rotation.key):
        lines.append(f"On-call schedules: {', '.join(sorted(schedules[rotation.key]))}.")
    if shift.shift_type == "OVERRIDDEN":
        replaced = ", ".join(item.overridden) or "nobody"
        lines.append(f"Override: replaces {replaced}.")
    else:
        lines.append("Regular shift.")
    event.add("description", "\n".join(lines))
    event.add("categories", ["On call"])
    event.add("transp", "TRANSPARENT")
    event.add(_X_ROTATION, rotation.name)
    event.add(_X_TYPE, shift.shift_type)
    if shift.shift_type == "OVERRIDDEN":
        event.add(_X_OVERRIDDEN, ",".join(item.overridden))
    return event


def to_ical(
    setup: IncidentSetup, *, since: datetime, until: datetime, contact: str | None = None, stamp: datetime | None = None
) -> bytes:
    """The calendar of the shifts in ``[since, until)`` (see :func:`calendar_shifts`) as RFC 5545
    bytes; ``stamp`` (default ``since``) is every event's ``DTSTAMP``."""
    items = calendar_shifts(setup, since=since, until=until, contact=contact)
    schedules: dict[str, list[str]] = {}
    for person in setup.contacts.values():
        for rotation_key in person.rotation_ids:
            schedules.setdefault(rotation_key, []).append(person.alias)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"On call: {contact}" if contact else "On call")
    moment = (stamp or since).astimezone(timezone.utc)
    for item in items:
        calendar.add_component(_event(item, moment, schedules))
    first = min([i.shift.start for i in items] + [since]).date() - timedelta(days=1)
    last = max([i.shift.end for i in items] + [until]).date() + timedelta(days=1)
    if items:
        calendar.add_missing_timezones(first_date=first, last_date=last)
    else:
        # RFC 5545 wants at least one component: without a shift, the calendar still describes
        # the rotations' time zones (an empty calendar that every reader accepts).
        for zone in sorted({r.time_zone_id for r in setup.rotations.values()}):
            try:
                calendar.add_component(Timezone.from_tzid(zone, first_date=first, last_date=last))
            except (ValueError, KeyError, OSError):  # not an IANA name (a deploy-time value)
                continue
        if not calendar.subcomponents:
            calendar.add_component(Timezone.from_tzid("UTC", first_date=first, last_date=last))
    return bytes(calendar.to_ical())
