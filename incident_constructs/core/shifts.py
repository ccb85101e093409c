"""The shift computation of on-call rotations, in plain Python (no CDK, no Node).

The rules are those of the README (On-call schedules) and of
:class:`incident_constructs.contacts.rotation.Rotation`; the command line (``oncall``, ``timeline``)
uses this module so that it never imports ``aws_cdk`` and runs where Node is missing. Overrides
(:class:`OverrideWindow`) replace the people whose turn it is inside their window, during the
shifts only; each stretch is marked :attr:`ShiftType.REGULAR` or :attr:`ShiftType.OVERRIDDEN`
as ``ListRotationShifts`` marks its shifts.
``incident_constructs.contacts.rotation`` imports :class:`DayOfWeek`, :class:`RecurrenceKind` and
:class:`ShiftCalculator` from here.
"""

from __future__ import annotations

import calendar
import enum
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import NamedTuple

__all__ = ["DayOfWeek", "Interval", "OverrideWindow", "RecurrenceKind", "ShiftCalculator", "ShiftType"]

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


class ShiftType(str, enum.Enum):
    """Whether the rotation's own turn or an override puts people on call, as ``ListRotationShifts``
    marks its shifts (``Type``)."""

    #: The rotation's own turn.
    REGULAR = "REGULAR"
    #: An override replaces the people whose turn it is.
    OVERRIDDEN = "OVERRIDDEN"


@dataclass(frozen=True)
class OverrideWindow:
    """An override of a rotation: from ``start`` to ``end`` (aware, end excluded), the people at
    ``members`` (positions in the list of people the caller keeps) are on call instead of the
    people whose turn it is. ``members`` may be empty: nobody of the rotation is on call."""

    start: datetime
    end: datetime
    members: tuple[int, ...]


class Interval(NamedTuple):
    """A stretch of time with the same people on call: ``members`` are positions in the list of
    people; for an overridden stretch, ``replaced`` are the positions of the people whose turn
    it was (``ShiftDetails.OverriddenContactIds`` of ``ListRotationShifts``)."""

    start: datetime
    end: datetime
    members: list[int]
    shift_type: ShiftType = ShiftType.REGULAR
    replaced: tuple[int, ...] = ()


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
    :param overrides: overrides of the rotation. Inside an override's window the people of the
        override are on call instead of the people whose turn it is, during the shifts only: an
        override puts nobody on call outside the coverage windows or before the first shift.
        Where overrides overlap (the constructs refuse it, a template may hold it), the one
        that starts first wins.
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
        overrides: Sequence[OverrideWindow] = (),
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
        self.overrides = sorted(
            (
                OverrideWindow(o.start.astimezone(_UTC), o.end.astimezone(_UTC), tuple(o.members))
                for o in overrides
                if o.end > o.start
            ),
            key=lambda o: (o.start, o.end),
        )

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
                    override = self.override_at(moment)
                    return list(override.members) if override is not None else self.members(k)
                return []
        raise AssertionError("unreachable: shifts never end")  # pragma: no cover

    def override_at(self, moment: datetime) -> OverrideWindow | None:
        """The override in force at ``moment`` (aware), or None."""
        return next((o for o in self.overrides if o.start <= moment < o.end), None)

    def intervals(self, begin: datetime, end: datetime, *, whole: bool = False) -> list[Interval]:
        """On-call stretches inside ``[begin, end)`` (UTC), cut at hand-offs, at the edges of the
        coverage windows and at the edges of overrides. With ``whole``, the stretches that
        overlap ``[begin, end)`` are not cut at its ends (a calendar shows the whole shift)."""
        result: list[Interval] = []
        if end <= self.start:
            return result
        for k, s, e in self.raw_shifts():
            if s >= end:
                break
            if e <= begin:
                continue
            low, high = (s, e) if whole else (max(s, begin), min(e, end))
            for part_begin, part_end in self.covered(low, high):
                result.extend(
                    piece
                    for piece in self._overridden(part_begin, part_end, self.members(k))
                    if piece.start < end and piece.end > begin
                )
        return result

    def _overridden(self, begin: datetime, end: datetime, members: list[int]) -> list[Interval]:
        """``[begin, end)`` of the regular ``members``, cut where overrides replace them."""
        pieces: list[Interval] = []
        cursor = begin
        for override in self.overrides:
            if override.end <= cursor or override.start >= end:
                continue
            if override.start > cursor:
                pieces.append(Interval(cursor, override.start, members))
            stop = min(override.end, end)
            pieces.append(
                Interval(
                    cursor if override.start < cursor else override.start,
                    stop,
                    list(override.members),
                    ShiftType.OVERRIDDEN,
                    tuple(members),
                )
            )
            cursor = stop
        if cursor < end:
            pieces.append(Interval(cursor, end, members))
        return pieces
