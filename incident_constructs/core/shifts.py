"""The shift computation of on-call rotations, in plain Python (no CDK, no Node).

The rules are those of the README (On-call schedules) and of
:class:`incident_constructs.contacts.rotation.Rotation`; the command line (``oncall``, ``timeline``)
uses this module so that it never imports ``aws_cdk`` and runs where Node is missing.
``incident_constructs.contacts.rotation`` imports :class:`DayOfWeek`, :class:`RecurrenceKind` and
:class:`ShiftCalculator` from here.
"""

from __future__ import annotations

import calendar
import enum
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, timezone, tzinfo

__all__ = ["DayOfWeek", "RecurrenceKind", "ShiftCalculator"]

_UTC = timezone.utc


class DayOfWeek(str, enum.Enum):
    """A day of the week, as the service names it."""

    MON = "MON"
    TUE = "TUE"
    WED = "WED"
    THU = "THU"
    FRI = "FRI"
    SAT = "SAT"
    SUN = "SUN"

    @property
    def weekday(self) -> int:
        """0 for Monday to 6 for Sunday, like :meth:`datetime.date.weekday`."""
        return _DAYS.index(self)


_DAYS = list(DayOfWeek)


class RecurrenceKind(str, enum.Enum):
    """How often a rotation hands off."""

    #: Every day at the hand-off time (``DailySettings``).
    DAILY = "DAILY"
    #: Every week on a day of the week at the hand-off time (``WeeklySettings``).
    WEEKLY = "WEEKLY"
    #: Every month on a day of the month at the hand-off time (``MonthlySettings``).
    MONTHLY = "MONTHLY"


class ShiftCalculator:
    """The shifts of one rotation, computed from its settings; times are compared in UTC.

    :param zone: the rotation's time zone.
    :param start: the start of the first shift, wall-clock time in ``zone`` (naive).
    :param kind: the recurrence.
    :param hand_off: the hand-off time as minutes after midnight.
    :param day_of_week: 0 (Monday) to 6 for weekly rotations.
    :param day_of_month: 1-31 for monthly rotations.
    :param multiplier: recurrence periods per shift.
    :param on_calls: contacts on call at once.
    :param contact_count: contacts in the rotation.
    :param coverage: windows (minutes after midnight, start and end) by weekday, or None for
        around the clock.
    """

    def __init__(
        self,
        *,
        zone: tzinfo,
        start: datetime,
        kind: RecurrenceKind,
        hand_off: int,
        day_of_week: int | None,
        day_of_month: int | None,
        multiplier: int,
        on_calls: int,
        contact_count: int,
        coverage: dict[int, list[tuple[int, int]]] | None,
    ) -> None:
        self.zone = zone
        self.start_local = start
        self.start = self.to_utc(start)
        self.kind = kind
        self.hand_off = time(hand_off // 60, hand_off % 60)
        self.day_of_week = day_of_week
        self.day_of_month = day_of_month
        self.multiplier = multiplier
        self.on_calls = on_calls
        self.contact_count = contact_count
        self.coverage = coverage

    def to_utc(self, local: datetime) -> datetime:
        """A wall-clock time of the zone in UTC (a time skipped by a DST change counts with the
        offset in force before the change; a repeated time is its first occurrence)."""
        return local.replace(tzinfo=self.zone).astimezone(_UTC)

    def hand_offs(self) -> Iterator[datetime]:
        """Every hand-off strictly after the start, in UTC, in order."""
        first = self.start_local.date()
        if self.kind is RecurrenceKind.MONTHLY:
            assert self.day_of_month is not None
            year, month = first.year, first.month
            while True:
                dom = min(self.day_of_month, calendar.monthrange(year, month)[1])
                moment = self.to_utc(datetime.combine(date(year, month, dom), self.hand_off))
                if moment > self.start:
                    yield moment
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        step = timedelta(days=1 if self.kind is RecurrenceKind.DAILY else 7)
        day = first
        if self.kind is RecurrenceKind.WEEKLY:
            assert self.day_of_week is not None
            day += timedelta(days=(self.day_of_week - day.weekday()) % 7)
        while True:
            moment = self.to_utc(datetime.combine(day, self.hand_off))
            if moment > self.start:
                yield moment
            day += step

    def raw_shifts(self) -> Iterator[tuple[int, datetime, datetime]]:
        """``(k, start, end)`` of shift k = 0, 1, ... in UTC, ignoring coverage."""
        begin = self.start
        k = 0
        for n, moment in enumerate(self.hand_offs(), start=1):
            if n % self.multiplier == 0:
                yield k, begin, moment
                begin = moment
                k += 1

    def members(self, k: int) -> list[int]:
        """Positions in the contact list of the people on call during shift ``k``."""
        return [(k * self.on_calls + i) % self.contact_count for i in range(self.on_calls)]

    def covered(self, begin: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """The parts of ``[begin, end)`` (UTC) inside the coverage windows."""
        if self.coverage is None:
            return [(begin, end)] if begin < end else []
        day = begin.astimezone(self.zone).date() - timedelta(days=1)
        last = end.astimezone(self.zone).date() + timedelta(days=1)
        parts: list[tuple[datetime, datetime]] = []
        midnight = time(0, 0)
        while day <= last:
            base = datetime.combine(day, midnight)
            for lo, hi in self.coverage.get(day.weekday(), []):
                w_begin = self.to_utc(base + timedelta(minutes=lo))
                w_end = self.to_utc(base + timedelta(minutes=hi))
                s, e = max(w_begin, begin), min(w_end, end)
                if s < e:
                    parts.append((s, e))
            day += timedelta(days=1)
        parts.sort()
        return parts

    def on_call_at(self, moment: datetime) -> list[int]:
        """Positions of the people on call at ``moment`` (aware)."""
        moment = moment.astimezone(_UTC)
        if moment < self.start:
            return []
        for k, begin, end in self.raw_shifts():
            if begin <= moment < end:
                if any(
                    s <= moment < e for s, e in self.covered(moment - timedelta(days=1), moment + timedelta(days=1))
                ):
                    return self.members(k)
                return []
        raise AssertionError("unreachable: shifts never end")  # pragma: no cover

    def intervals(self, begin: datetime, end: datetime) -> list[tuple[datetime, datetime, list[int]]]:
        """On-call stretches inside ``[begin, end)`` (UTC): ``(start, end, positions)``."""
        result: list[tuple[datetime, datetime, list[int]]] = []
        if end <= self.start:
            return result
        for k, s, e in self.raw_shifts():
            if s >= end:
                break
            if e <= begin:
                continue
            for part_begin, part_end in self.covered(max(s, begin), min(e, end)):
                result.append((part_begin, part_end, self.members(k)))
        return result
