"""Who is on call, from the CloudFormation values of an ``AWS::SSMContacts::Rotation``.

The command line reads rotations from a synthesized template (``StartTime``, ``TimeZoneId``,
``Recurrence``, ``ContactIds``); this module turns those values into the settings of
:class:`incident_constructs.rotation.ShiftCalculator`, so that the command line and
:meth:`incident_constructs.rotation.Rotation.who_is_on_call` follow the very same rules.

A template written by another tool may use what the library never writes: several hand-off
settings in one recurrence (refused here with :class:`OnCallError`), or a coverage window that
ends at or before its start (read as running past midnight into the next day).
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping, Optional, Sequence

from .rotation import DayOfWeek, RecurrenceKind, ShiftCalculator

__all__ = ["OnCallError", "OnCallShift", "calculator_from_template", "compute_shifts", "on_call_at"]

_SETTINGS = {
    "DailySettings": RecurrenceKind.DAILY,
    "WeeklySettings": RecurrenceKind.WEEKLY,
    "MonthlySettings": RecurrenceKind.MONTHLY,
}


class OnCallError(ValueError):
    """The rotation's values cannot be computed (bad time zone, start time or recurrence)."""


@dataclass(frozen=True)
class OnCallShift:
    """A stretch of time with the same contacts on call; times in the rotation's time zone."""

    start: datetime
    end: datetime
    contacts: tuple[str, ...]


def _minutes(value: Any, field: str) -> int:
    try:
        hours, minutes = str(value).split(":")
        h, m = int(hours), int(minutes)
    except ValueError as error:
        raise OnCallError(f"{field} {value!r} is not a time HH:MM") from error
    if not (0 <= h <= 23 and 0 <= m <= 59):
        raise OnCallError(f"{field} {value!r} is not a time HH:MM")
    return h * 60 + m


def _day(value: Any, field: str) -> int:
    days = [day.value for day in DayOfWeek]
    if value not in days:
        raise OnCallError(f"{field} {value!r} is not one of {', '.join(days)}")
    return days.index(value)


def _coverage(recurrence: Mapping[str, Any]) -> Optional[dict[int, list[tuple[int, int]]]]:
    coverages = recurrence.get("ShiftCoverages")
    if not coverages:
        return None
    by_day: dict[int, list[tuple[int, int]]] = {}
    for coverage in coverages:
        day = _day(coverage.get("DayOfWeek"), "ShiftCoverages DayOfWeek")
        for window in coverage.get("CoverageTimes") or []:
            lo = _minutes(window.get("StartTime"), "CoverageTimes StartTime")
            hi = _minutes(window.get("EndTime"), "CoverageTimes EndTime")
            if hi > lo:
                by_day.setdefault(day, []).append((lo, hi))
            else:  # past midnight: the rest of the day, then the next morning
                by_day.setdefault(day, []).append((lo, 24 * 60))
                if hi:
                    by_day.setdefault((day + 1) % 7, []).append((0, hi))
    return {day: sorted(windows) for day, windows in by_day.items()}


def calculator_from_template(
    contact_count: int, start_time: str, time_zone_id: str, recurrence: Mapping[str, Any]
) -> ShiftCalculator:
    """The shift computation for a rotation's template values.

    :raises OnCallError: when a value is missing, malformed or not supported.
    """
    try:
        zone = zoneinfo.ZoneInfo(time_zone_id)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise OnCallError(f"TimeZoneId {time_zone_id!r} is not an IANA time zone name") from error
    try:
        start = datetime.strptime(start_time, "%Y-%m-%dT%H:%M:%S")
    except (TypeError, ValueError) as error:
        raise OnCallError(f"StartTime {start_time!r} is not YYYY-MM-DDTHH:MM:SS") from error
    if contact_count < 1:
        raise OnCallError("ContactIds is empty")
    present = [key for key in _SETTINGS if recurrence.get(key)]
    if len(present) != 1:
        raise OnCallError("Recurrence needs exactly one of DailySettings, WeeklySettings, MonthlySettings")
    settings = recurrence[present[0]]
    if len(settings) != 1:
        raise OnCallError(f"{present[0]} with {len(settings)} hand-offs is not supported (one hand-off per recurrence)")
    setting = settings[0]
    kind = _SETTINGS[present[0]]
    hand_off = setting if isinstance(setting, str) else setting.get("HandOffTime")
    day_of_month = None
    if kind is RecurrenceKind.MONTHLY:
        day_of_month = setting.get("DayOfMonth")
        if not isinstance(day_of_month, int) or not 1 <= day_of_month <= 31:
            raise OnCallError(f"DayOfMonth {day_of_month!r} is not 1-31")
    on_calls = recurrence.get("NumberOfOnCalls", 1)
    multiplier = recurrence.get("RecurrenceMultiplier", 1)
    if not isinstance(on_calls, int) or not isinstance(multiplier, int) or on_calls < 1 or multiplier < 1:
        raise OnCallError("NumberOfOnCalls and RecurrenceMultiplier must be whole numbers of at least 1")
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
    )


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def compute_shifts(
    contact_ids: Sequence[str],
    start_time: str,
    time_zone_id: str,
    recurrence: Mapping[str, Any],
    *,
    since: datetime,
    until: datetime,
) -> list[OnCallShift]:
    """The on-call stretches of a rotation inside ``[since, until)`` (naive values are UTC)."""
    calc = calculator_from_template(len(contact_ids), start_time, time_zone_id, recurrence)
    people = list(contact_ids)
    return [
        OnCallShift(s.astimezone(calc.zone), e.astimezone(calc.zone), tuple(people[i] for i in members))
        for s, e, members in calc.intervals(_aware(since).astimezone(timezone.utc), _aware(until).astimezone(timezone.utc))
    ]


def on_call_at(
    contact_ids: Sequence[str], start_time: str, time_zone_id: str, recurrence: Mapping[str, Any], at: datetime
) -> tuple[str, ...]:
    """The contacts on call at ``at`` (none before ``StartTime`` or outside the coverage)."""
    calc = calculator_from_template(len(contact_ids), start_time, time_zone_id, recurrence)
    people = list(contact_ids)
    return tuple(people[i] for i in calc.on_call_at(_aware(at)))
