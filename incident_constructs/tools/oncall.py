"""Who is on call, from the CloudFormation values of an ``AWS::SSMContacts::Rotation``.

The command line reads rotations from a synthesized template (``StartTime``, ``TimeZoneId``,
``Recurrence``, ``ContactIds``); this module turns those values into the settings of
:class:`incident_constructs.core.shifts.ShiftCalculator`, the calculator that
:meth:`incident_constructs.contacts.rotation.Rotation.who_is_on_call` uses too, so both follow the very
same rules. It imports neither ``aws_cdk`` nor anything that needs Node.

A template written by another tool may use what the library never writes: several hand-off
settings in one recurrence (refused here with :class:`OnCallError`), or a coverage window that
ends at or before its start (read as running past midnight into the next day). Overrides (read
from their custom resources) replace the people whose turn it is inside their window, during the
shifts only, as :class:`~incident_constructs.core.shifts.ShiftCalculator` says. Any other shape
(a setting that is not a mapping, a number out of range, a start time outside the years
:data:`FIRST_YEAR` to :data:`LAST_YEAR`) is an :class:`OnCallError`, never a Python error.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from ..core.shifts import DayOfWeek, OverrideWindow, RecurrenceKind, ShiftCalculator, ShiftType
from .assembly import Rotation

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "OnCallError",
    "OnCallShift",
    "OverrideSpec",
    "calculator_from_template",
    "check_moment",
    "compute_shifts",
    "on_call_at",
    "rotation_on_call_at",
    "rotation_shifts",
]

#: The years a rotation's start and a question about it may fall in: the calculation walks
#: hand-offs from the start, so the span bounds its work (a daily rotation: about 84,000 steps).
FIRST_YEAR = 1970
LAST_YEAR = 2199
#: The service's limits: at most 30 contacts, so at most 30 on call at once; 1-100 periods a shift.
MAX_ON_CALLS = 30
MAX_MULTIPLIER = 100

_SETTINGS = {
    "DailySettings": RecurrenceKind.DAILY,
    "WeeklySettings": RecurrenceKind.WEEKLY,
    "MonthlySettings": RecurrenceKind.MONTHLY,
}


class OnCallError(ValueError):
    """The rotation's values cannot be computed (bad time zone, start time or recurrence)."""


#: An override as the command line reads it: ``(start, end, contact keys)``, times aware.
OverrideSpec = tuple[datetime, datetime, Sequence[str]]


@dataclass(frozen=True)
class OnCallShift:
    """A stretch of time with the same contacts on call; times in the rotation's time zone.
    ``shift_type`` is ``REGULAR`` or ``OVERRIDDEN`` (``ListRotationShifts``); ``overridden`` are
    the contacts an override replaces."""

    start: datetime
    end: datetime
    contacts: tuple[str, ...]
    shift_type: str = ShiftType.REGULAR.value
    overridden: tuple[str, ...] = ()


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _minutes(value: Any, field: str) -> int:
    if not isinstance(value, str) or value.count(":") != 1:
        raise OnCallError(f"{field} {_short(value)} is not a time HH:MM")
    hours, minutes = value.split(":")
    if (
        not (hours.isascii() and hours.isdigit() and minutes.isascii() and minutes.isdigit())
        or len(hours) > 2
        or len(minutes) != 2
    ):
        raise OnCallError(f"{field} {_short(value)} is not a time HH:MM")
    h, m = int(hours), int(minutes)
    if not (0 <= h <= 23 and 0 <= m <= 59):
        raise OnCallError(f"{field} {_short(value)} is not a time HH:MM")
    return h * 60 + m


def _day(value: Any, field: str) -> int:
    days = [day.value for day in DayOfWeek]
    if not isinstance(value, str) or value not in days:
        raise OnCallError(f"{field} {_short(value)} is not one of {', '.join(days)}")
    return days.index(value)


def _mapping(value: Any, field: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise OnCallError(f"{field} is not a mapping")
    return value


def _list(value: Any, field: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise OnCallError(f"{field} is not a list")
    return value


def _coverage(recurrence: Mapping[str, Any]) -> dict[int, list[tuple[int, int]]] | None:
    coverages = _list(recurrence.get("ShiftCoverages"), "ShiftCoverages")
    if not coverages:
        return None
    by_day: dict[int, list[tuple[int, int]]] = {}
    for coverage in coverages:
        coverage = _mapping(coverage, "a ShiftCoverages item")
        day = _day(coverage.get("DayOfWeek"), "ShiftCoverages DayOfWeek")
        for window in _list(coverage.get("CoverageTimes"), "CoverageTimes"):
            window = _mapping(window, "a CoverageTimes item")
            lo = _minutes(window.get("StartTime"), "CoverageTimes StartTime")
            hi = _minutes(window.get("EndTime"), "CoverageTimes EndTime")
            if hi > lo:
                by_day.setdefault(day, []).append((lo, hi))
            else:  # past midnight: the rest of the day, then the next morning
                by_day.setdefault(day, []).append((lo, 24 * 60))
                if hi:
                    by_day.setdefault((day + 1) % 7, []).append((0, hi))
    return {day: sorted(windows) for day, windows in by_day.items()}


def _zone(time_zone_id: Any) -> zoneinfo.ZoneInfo:
    if not isinstance(time_zone_id, str) or not time_zone_id or len(time_zone_id) > 255:
        raise OnCallError(f"TimeZoneId {_short(time_zone_id)} is not an IANA time zone name")
    try:
        return zoneinfo.ZoneInfo(time_zone_id)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise OnCallError(f"TimeZoneId {_short(time_zone_id)} is not an IANA time zone name") from error


def calculator_from_template(
    contact_count: int,
    start_time: Any,
    time_zone_id: Any,
    recurrence: Any,
    overrides: Sequence[OverrideWindow] = (),
) -> ShiftCalculator:
    """The shift computation for a rotation's template values.

    :raises OnCallError: when a value is missing, malformed, out of range or not supported.
    """
    zone = _zone(time_zone_id)
    try:
        start = datetime.strptime(start_time, "%Y-%m-%dT%H:%M:%S")
    except (TypeError, ValueError) as error:
        raise OnCallError(f"StartTime {_short(start_time)} is not YYYY-MM-DDTHH:MM:SS") from error
    if not FIRST_YEAR <= start.year <= LAST_YEAR:
        raise OnCallError(f"StartTime {_short(start_time)} is not in the years {FIRST_YEAR} to {LAST_YEAR}")
    if contact_count < 1:
        raise OnCallError("ContactIds is empty")
    recurrence = _mapping(recurrence, "Recurrence")
    present = [key for key in _SETTINGS if recurrence.get(key)]
    if len(present) != 1:
        raise OnCallError("Recurrence needs exactly one of DailySettings, WeeklySettings, MonthlySettings")
    settings = _list(recurrence[present[0]], present[0])
    if len(settings) != 1:
        raise OnCallError(f"{present[0]} with {len(settings)} hand-offs is not supported (one hand-off per recurrence)")
    setting = settings[0]
    kind = _SETTINGS[present[0]]
    if kind is RecurrenceKind.DAILY:
        hand_off = setting
    else:
        setting = _mapping(setting, f"the {present[0]} item")
        hand_off = setting.get("HandOffTime")
    day_of_month = None
    if kind is RecurrenceKind.MONTHLY:
        day_of_month = setting.get("DayOfMonth")
        if not isinstance(day_of_month, int) or isinstance(day_of_month, bool) or not 1 <= day_of_month <= 31:
            raise OnCallError(f"DayOfMonth {_short(day_of_month)} is not 1-31")
    on_calls = recurrence.get("NumberOfOnCalls", 1)
    multiplier = recurrence.get("RecurrenceMultiplier", 1)
    for name, value, most in (
        ("NumberOfOnCalls", on_calls, MAX_ON_CALLS),
        ("RecurrenceMultiplier", multiplier, MAX_MULTIPLIER),
    ):
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= most:
            raise OnCallError(f"{name} {_short(value)} is not a whole number from 1 to {most}")
    return ShiftCalculator(
        zone=zone,
        start=start,
        kind=kind,
        hand_off=_minutes(hand_off, "HandOffTime"),
        day_of_week=_day(setting.get("DayOfWeek"), "DayOfWeek") if kind is RecurrenceKind.WEEKLY else None,
        day_of_month=day_of_month,
        multiplier=multiplier,
        on_calls=on_calls,
        contact_count=contact_count,
        coverage=_coverage(recurrence),
        overrides=overrides,
    )


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def check_moment(value: datetime, what: str = "the time") -> datetime:
    """``value`` in UTC (naive values are UTC), when it falls in the years the calculation covers.

    :raises OnCallError: outside :data:`FIRST_YEAR` to :data:`LAST_YEAR`.
    """
    try:
        moment = _aware(value).astimezone(timezone.utc)
    except OverflowError:
        moment = None
    if moment is None or not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise OnCallError(f"{what} must fall between {FIRST_YEAR}-01-01 and {LAST_YEAR}-12-31 (UTC)")
    return moment


def _people_and_windows(
    contact_ids: Sequence[str], overrides: Sequence[OverrideSpec]
) -> tuple[list[str], list[OverrideWindow]]:
    """The rotation's contacts followed by any override contact that is not one of them, and the
    overrides with their contacts as positions in that list."""
    people = list(contact_ids)
    windows: list[OverrideWindow] = []
    for start, end, contacts in overrides:
        positions: list[int] = []
        for contact in contacts:
            if contact not in people:
                people.append(contact)
            positions.append(people.index(contact))
        windows.append(OverrideWindow(_aware(start), _aware(end), tuple(positions)))
    return people, windows


def compute_shifts(
    contact_ids: Sequence[str],
    start_time: Any,
    time_zone_id: Any,
    recurrence: Any,
    *,
    since: datetime,
    until: datetime,
    overrides: Sequence[OverrideSpec] = (),
    whole: bool = False,
) -> list[OnCallShift]:
    """The on-call stretches of a rotation inside ``[since, until)`` (naive values are UTC),
    each marked regular or overridden; with ``whole``, those that overlap it, not cut at its ends.

    :raises OnCallError: for values that cannot be computed, or times outside the years covered.
    """
    people, windows = _people_and_windows(contact_ids, overrides)
    calc = calculator_from_template(len(contact_ids), start_time, time_zone_id, recurrence, windows)
    begin, end = check_moment(since), check_moment(until)
    return [
        OnCallShift(
            piece.start.astimezone(calc.zone),
            piece.end.astimezone(calc.zone),
            tuple(people[i] for i in piece.members),
            piece.shift_type.value,
            tuple(people[i] for i in piece.replaced),
        )
        for piece in calc.intervals(begin, end, whole=whole)
    ]


def on_call_at(
    contact_ids: Sequence[str],
    start_time: Any,
    time_zone_id: Any,
    recurrence: Any,
    at: datetime,
    *,
    overrides: Sequence[OverrideSpec] = (),
) -> tuple[str, ...]:
    """The contacts on call at ``at`` (none before ``StartTime`` or outside the coverage).

    :raises OnCallError: for values that cannot be computed, or a time outside the years covered.
    """
    people, windows = _people_and_windows(contact_ids, overrides)
    calc = calculator_from_template(len(contact_ids), start_time, time_zone_id, recurrence, windows)
    return tuple(people[i] for i in calc.on_call_at(check_moment(at)))


def _specs(rotation: Rotation) -> list[OverrideSpec]:
    return [(o.start, o.end, o.contact_ids) for o in rotation.overrides]


def rotation_shifts(rotation: Rotation, *, since: datetime, until: datetime, whole: bool = False) -> list[OnCallShift]:
    """:func:`compute_shifts` of a rotation read from a cloud assembly, with its overrides."""
    return compute_shifts(
        rotation.contact_ids,
        rotation.start_time,
        rotation.time_zone_id,
        rotation.recurrence,
        since=since,
        until=until,
        overrides=_specs(rotation),
        whole=whole,
    )


def rotation_on_call_at(rotation: Rotation, at: datetime) -> tuple[str, ...]:
    """:func:`on_call_at` of a rotation read from a cloud assembly, with its overrides."""
    return on_call_at(
        rotation.contact_ids,
        rotation.start_time,
        rotation.time_zone_id,
        rotation.recurrence,
        at,
        overrides=_specs(rotation),
    )
