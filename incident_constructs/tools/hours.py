"""Intervals of time and the hours in them: unions, differences, night and weekend hours.

Shared by ``review`` (hours per person before and after a change) and ``lint`` (coverage gaps,
stages that engage nobody, people who carry too much). Intervals are half-open ``[start, end)``
of aware datetimes. This module imports neither ``aws_cdk`` nor anything that needs Node.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone, tzinfo

__all__ = [
    "NIGHT_END_HOUR",
    "NIGHT_START_HOUR",
    "Hours",
    "Span",
    "hours_in",
    "hours_of",
    "subtract",
    "union",
]

#: Night hours are those from 22:00 to 07:00 local time; weekend hours those of Saturdays and
#: Sundays, local time. A Saturday night counts in both.
NIGHT_START_HOUR = 22
NIGHT_END_HOUR = 7
_UTC = timezone.utc

Span = tuple[datetime, datetime]


def union(spans: Iterable[Span]) -> list[Span]:
    """The union of intervals, sorted, with touching intervals joined."""
    result: list[Span] = []
    for start, end in sorted(s for s in spans if s[0] < s[1]):
        if result and start <= result[-1][1]:
            if end > result[-1][1]:
                result[-1] = (result[-1][0], end)
        else:
            result.append((start, end))
    return result


def subtract(spans: Iterable[Span], minus: Iterable[Span]) -> list[Span]:
    """The parts of ``spans`` that no interval of ``minus`` covers."""
    cuts = union(minus)
    result: list[Span] = []
    for start, end in union(spans):
        cursor = start
        for cut_start, cut_end in cuts:
            if cut_end <= cursor or cut_start >= end:
                continue
            if cut_start > cursor:
                result.append((cursor, cut_start))
            cursor = max(cursor, cut_end)
            if cursor >= end:
                break
        if cursor < end:
            result.append((cursor, end))
    return result


@dataclass(frozen=True)
class Hours:
    """Hours on call: in all, at night (22:00-07:00) and at weekends (Saturday, Sunday)."""

    total: float = 0.0
    night: float = 0.0
    weekend: float = 0.0

    def __add__(self, other: Hours) -> Hours:
        return Hours(self.total + other.total, self.night + other.night, self.weekend + other.weekend)


def _boundaries(start: datetime, end: datetime, zone: tzinfo) -> list[datetime]:
    """``start``, ``end`` and every local midnight, 07:00 and 22:00 between them (UTC)."""
    points = {start.astimezone(_UTC), end.astimezone(_UTC)}
    day = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date() + timedelta(days=1)
    while day <= last:
        for hour in (0, NIGHT_END_HOUR, NIGHT_START_HOUR):
            moment = datetime.combine(day, time(hour), tzinfo=zone).astimezone(_UTC)
            if start < moment < end:
                points.add(moment)
        day += timedelta(days=1)
    return sorted(points)


def hours_in(start: datetime, end: datetime, zone: tzinfo) -> Hours:
    """The hours of ``[start, end)``, with those at night and at weekends in ``zone``'s local time
    (elapsed time: a night across a daylight saving change has 8 or 10 hours, not 9)."""
    if end <= start:
        return Hours()
    total = night = weekend = 0.0
    points = _boundaries(start, end, zone)
    for piece_start, piece_end in zip(points, points[1:], strict=False):
        hours = (piece_end - piece_start).total_seconds() / 3600
        local = piece_start.astimezone(zone)
        total += hours
        if local.hour >= NIGHT_START_HOUR or local.hour < NIGHT_END_HOUR:
            night += hours
        if local.weekday() >= 5:
            weekend += hours
    return Hours(total, night, weekend)


def hours_of(pieces: Sequence[tuple[datetime, datetime, tzinfo]]) -> Hours:
    """The hours of the union of ``pieces``; where pieces overlap, time counts once, classified in
    the zone of the first piece (in the given order) that covers it."""
    edges = sorted({moment.astimezone(_UTC) for start, end, _ in pieces for moment in (start, end)})
    result = Hours()
    for start, end in zip(edges, edges[1:], strict=False):
        zone = next((z for s, e, z in pieces if s <= start and end <= e), None)
        if zone is not None:
            result = result + hours_in(start, end, zone)
    return result
