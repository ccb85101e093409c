"""Checks of an on-call set-up over a period, for CI: who is reachable, and when nobody is.

``incident-constructs lint`` computes the shifts of every rotation (overrides included) from
``--at`` for ``--weeks`` weeks and reports:

- ``coverage-gap`` (error): a stretch of the required coverage when an on-call schedule puts
  nobody on call. The required coverage is ``24x7`` (default), ``business-hours`` (Monday to
  Friday 09:00-17:00 in the time zone of the schedule's first rotation), or a file
  (:func:`load_coverage`);
- ``silent-stage`` (error): a stage of an escalation plan, or the engagements of a response plan,
  that engages nobody at some moment: it has no target, or all its targets are on-call schedules
  with nobody on call then;
- ``no-channels`` (error): a personal contact without a channel, whom nothing can reach;
- ``ended-override`` (warning): an override that ended before ``--at``; it stays deployed until
  it is removed from the code;
- ``heavy-load`` (warning): a person on call for more than ``--max-share`` of the hours that an
  on-call schedule's people are on call in all.

The exit status of the command is 0 without errors (warnings too with ``--strict``), 1 otherwise,
2 when the input cannot be read. This module imports neither ``aws_cdk`` nor anything that needs
Node.
"""

from __future__ import annotations

import json
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any

import yaml

from .assembly import AssemblyError, Contact, IncidentSetup, Rotation, Stage
from .hours import Span, subtract, union
from .oncall import OnCallError, check_moment, rotation_shifts

__all__ = [
    "BUSINESS_HOURS",
    "Coverage",
    "Finding",
    "LintReport",
    "Window",
    "lint",
    "load_coverage",
]

_UTC = timezone.utc
_DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
#: The largest coverage file read.
MAX_COVERAGE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Window:
    """Required coverage on some days of the week, from ``start`` to ``end`` (minutes after local
    midnight; ``end`` may be 1440, midnight at the end of the day)."""

    days: tuple[int, ...]
    start: int
    end: int


@dataclass(frozen=True)
class Coverage:
    """When an on-call schedule must have somebody on call.

    ``time_zone`` None means the zone of the schedule's first rotation; ``schedules`` None means
    every schedule."""

    name: str
    windows: tuple[Window, ...]
    time_zone: str | None = None
    schedules: tuple[str, ...] | None = None


ALL_WEEK = tuple(range(7))
AROUND_THE_CLOCK = Coverage("24x7", (Window(ALL_WEEK, 0, 24 * 60),))
#: Monday to Friday, 09:00-17:00 in the schedule's time zone.
BUSINESS_HOURS = Coverage("business-hours", (Window((0, 1, 2, 3, 4), 9 * 60, 17 * 60),))


@dataclass(frozen=True)
class Finding:
    """One problem: ``severity`` is ``error`` or ``warning``; ``start``/``end`` bound it in time
    when it has a time (the first stretch, for a stage silent several times)."""

    severity: str
    code: str
    subject: str
    message: str
    start: datetime | None = None
    end: datetime | None = None
    hours: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "subject": self.subject,
            "message": self.message,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "hours": None if self.hours is None else round(self.hours, 2),
        }


@dataclass
class LintReport:
    """The result of :func:`lint`."""

    start: datetime
    end: datetime
    coverage: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def exit_code(self, *, strict: bool = False) -> int:
        """0 when nothing fails (no errors; with ``strict`` no warnings either), else 1."""
        return 1 if self.errors or (strict and self.warnings) else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "coverage": self.coverage,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [f.to_json() for f in self.findings],
        }

    def format(self) -> list[str]:
        """One line per finding, then a count."""
        lines = [f"{f.severity} {f.code} {f.subject}: {f.message}" for f in self.findings]
        period = f"{self.start:%Y-%m-%d %H:%M} UTC to {self.end:%Y-%m-%d %H:%M} UTC"
        counts = f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)"
        return [*lines, f"{counts} ({self.coverage} coverage, {period})"]


# -- coverage files --------------------------------------------------------------------------


def _time_of_day(value: Any, where: str) -> int:
    text = str(value) if isinstance(value, (str, int)) else ""
    hours, _, minutes = text.partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and len(hours) <= 2):
        raise AssemblyError(f"{where}: {value!r} is not a time HH:MM")
    total = int(hours) * 60 + int(minutes)
    if int(minutes) > 59 or total > 24 * 60:
        raise AssemblyError(f"{where}: {value!r} is not a time from 00:00 to 24:00")
    return total


def _window(item: Any, where: str) -> Window:
    if not isinstance(item, dict) or set(item) - {"days", "start", "end"}:
        raise AssemblyError(f"{where}: expected a mapping with days, start and end")
    days = item.get("days", list(_DAYS))
    if not isinstance(days, list) or not days or any(d not in _DAYS for d in days):
        raise AssemblyError(f"{where}.days: a list of {', '.join(_DAYS)}")
    start = _time_of_day(item.get("start", "00:00"), f"{where}.start")
    end = _time_of_day(item.get("end", "24:00"), f"{where}.end")
    if end <= start:
        raise AssemblyError(f"{where}: the end must be later than the start (split a window over midnight in two)")
    return Window(tuple(sorted({_DAYS.index(d) for d in days})), start, end)


def load_coverage(path: str | Path) -> Coverage:
    """A coverage file (YAML or JSON)::

        time_zone: Europe/London     # default: the zone of each schedule's first rotation
        schedules: [web-oncall]      # default: every on-call schedule
        windows:                     # default: around the clock
          - {days: [MON, TUE, WED, THU, FRI], start: "08:00", end: "18:00"}
          - {days: [SAT, SUN], start: "10:00", end: "14:00"}

    :raises AssemblyError: when the file cannot be read or has another shape.
    """
    file = Path(path)
    try:
        if file.stat().st_size > MAX_COVERAGE_BYTES:
            raise AssemblyError(f"coverage file {file} is larger than {MAX_COVERAGE_BYTES:,} bytes")
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as error:
        raise AssemblyError(f"cannot read the coverage file {file}: {error.strerror or error}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise AssemblyError(f"coverage file {file} is not YAML or JSON: {str(error).splitlines()[0]}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict) or set(data) - {"time_zone", "schedules", "windows"}:
        raise AssemblyError(f"coverage file {file}: expected a mapping with time_zone, schedules and windows")
    zone = data.get("time_zone")
    if zone is not None:
        _zone(zone, f"coverage file {file}: time_zone")
    schedules = data.get("schedules")
    if schedules is not None and (not isinstance(schedules, list) or not all(isinstance(s, str) for s in schedules)):
        raise AssemblyError(f"coverage file {file}: schedules is a list of on-call schedule aliases")
    windows = data.get("windows", [{}])
    if not isinstance(windows, list) or not windows:
        raise AssemblyError(f"coverage file {file}: windows is a list of {{days, start, end}}")
    return Coverage(
        file.name,
        tuple(_window(w, f"coverage file {file}: windows[{i}]") for i, w in enumerate(windows)),
        zone,
        tuple(schedules) if schedules is not None else None,
    )


def _zone(name: Any, where: str) -> tzinfo:
    try:
        return zoneinfo.ZoneInfo(str(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise AssemblyError(f"{where}: {name!r} is not an IANA time zone name") from None


def _required(coverage: Coverage, zone: tzinfo, start: datetime, end: datetime) -> list[Span]:
    """The spans of ``[start, end)`` that ``coverage`` requires, its windows read in ``zone``."""
    spans: list[Span] = []
    day = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date() + timedelta(days=1)
    while day <= last:
        midnight = datetime.combine(day, time(0))
        for window in coverage.windows:
            if day.weekday() not in window.days:
                continue
            lo = (midnight + timedelta(minutes=window.start)).replace(tzinfo=zone).astimezone(_UTC)
            hi = (midnight + timedelta(minutes=window.end)).replace(tzinfo=zone).astimezone(_UTC)
            if max(lo, start) < min(hi, end):
                spans.append((max(lo, start), min(hi, end)))
        day += timedelta(days=1)
    return union(spans)


# -- the checks ------------------------------------------------------------------------------


class _Linter:
    def __init__(self, setup: IncidentSetup, start: datetime, end: datetime, coverage: Coverage) -> None:
        self.setup = setup
        self.start = start
        self.end = end
        self.coverage = coverage
        self.findings: list[Finding] = []
        self._pieces: dict[str, list[tuple[datetime, datetime, tuple[str, ...]]]] = {}

    def pieces(self, rotation: Rotation) -> list[tuple[datetime, datetime, tuple[str, ...]]]:
        """The rotation's shifts that put somebody on call, in UTC, with contact keys."""
        if rotation.key not in self._pieces:
            try:
                shifts = rotation_shifts(rotation, since=self.start, until=self.end)
            except OnCallError as error:
                raise AssemblyError(f"rotation {rotation.name}: {error}") from None
            self._pieces[rotation.key] = [
                (s.start.astimezone(_UTC), s.end.astimezone(_UTC), s.contacts) for s in shifts if s.contacts
            ]
        return self._pieces[rotation.key]

    def rotations(self, schedule: Contact) -> list[Rotation]:
        return [self.setup.rotations[k] for k in schedule.rotation_ids if k in self.setup.rotations]

    def on_call(self, schedule: Contact) -> list[Span]:
        """When the schedule puts somebody on call."""
        return union((s, e) for r in self.rotations(schedule) for s, e, _ in self.pieces(r))

    def zone_of(self, schedule: Contact) -> tzinfo:
        if self.coverage.time_zone is not None:
            return _zone(self.coverage.time_zone, "the coverage's time_zone")
        for rotation in self.rotations(schedule):
            try:
                return zoneinfo.ZoneInfo(rotation.time_zone_id)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
                continue
        return _UTC

    def schedules(self) -> list[Contact]:
        return sorted(
            (c for c in self.setup.contacts.values() if c.contact_type == "ONCALL_SCHEDULE" and not c.external),
            key=lambda c: c.alias,
        )

    # -- coverage gaps -------------------------------------------------------------------
    def coverage_gaps(self) -> None:
        wanted = self.coverage.schedules
        for schedule in self.schedules():
            if wanted is not None and schedule.alias not in wanted:
                continue
            zone = self.zone_of(schedule)
            gaps = subtract(_required(self.coverage, zone, self.start, self.end), self.on_call(schedule))
            for gap_start, gap_end in gaps:
                hours = (gap_end - gap_start).total_seconds() / 3600
                self.findings.append(
                    Finding(
                        "error",
                        "coverage-gap",
                        schedule.alias,
                        f"nobody on call from {_when(gap_start, zone)} to {_when(gap_end, zone)} ({hours:.1f} h)",
                        gap_start,
                        gap_end,
                        hours,
                    )
                )

    # -- stages --------------------------------------------------------------------------
    def _silent(self, targets: Sequence[str]) -> list[Span] | None:
        """When contacts ``targets`` (keys) engage nobody, or None when one of them always
        engages somebody (a person, an escalation plan, a contact outside the assembly)."""
        schedules: list[Contact] = []
        for key in targets:
            contact = self.setup.contacts.get(key)
            if contact is None or contact.external or contact.contact_type != "ONCALL_SCHEDULE":
                return None
            schedules.append(contact)
        return subtract([(self.start, self.end)], [span for s in schedules for span in self.on_call(s)])

    def _silent_finding(self, subject: str, what: str, spans: list[Span]) -> None:
        hours = sum((e - s).total_seconds() for s, e in spans) / 3600
        first_start, first_end = spans[0]
        more = f"; {len(spans)} such stretches, {hours:.1f} h in all" if len(spans) > 1 else f" ({hours:.1f} h)"
        self.findings.append(
            Finding(
                "error",
                "silent-stage",
                subject,
                f"{what} engages nobody from {_when(first_start, _UTC)} to {_when(first_end, _UTC)}{more}",
                first_start,
                first_end,
                hours,
            )
        )

    def _stage(self, plan: Contact, index: int, stage: Stage) -> None:
        what = f"stage {index} of {len(plan.stages)}"
        if not stage.targets:
            self.findings.append(
                Finding("error", "silent-stage", plan.alias, f"{what} has no target: it engages nobody")
            )
            return
        if any(t.kind != "contact" for t in stage.targets):
            return
        spans = self._silent([t.ref for t in stage.targets])
        if spans:
            self._silent_finding(plan.alias, what, spans)

    def silent_stages(self) -> None:
        for plan in sorted(self.setup.contacts.values(), key=lambda c: c.alias):
            if plan.contact_type == "ESCALATION" and not plan.external:
                for index, stage in enumerate(plan.stages, start=1):
                    self._stage(plan, index, stage)
        for name, response_plan in sorted(self.setup.response_plans.items()):
            if not response_plan.engagements:
                self.findings.append(Finding("error", "silent-stage", name, "the response plan engages nobody"))
                continue
            spans = self._silent(response_plan.engagements)
            if spans:
                self._silent_finding(name, "the response plan", spans)

    # -- contacts, overrides, load -------------------------------------------------------
    def contacts_without_channels(self) -> None:
        for contact in sorted(self.setup.contacts.values(), key=lambda c: c.alias):
            if contact.contact_type == "PERSONAL" and not contact.external and not contact.channels:
                self.findings.append(
                    Finding("error", "no-channels", contact.alias, "has no contact channel: nothing can reach them")
                )

    def ended_overrides(self) -> None:
        for rotation in sorted(self.setup.rotations.values(), key=lambda r: r.name):
            for override in rotation.overrides:
                if override.end <= self.start:
                    people = ", ".join(self.setup.label(c) for c in override.contact_ids) or "nobody"
                    self.findings.append(
                        Finding(
                            "warning",
                            "ended-override",
                            rotation.name,
                            f"the override from {_when(override.start, _UTC)} to {_when(override.end, _UTC)} "
                            f"({people}) has ended: remove it from the code",
                            override.start,
                            override.end,
                        )
                    )

    def heavy_load(self, max_share: float) -> None:
        for schedule in self.schedules():
            by_person: dict[str, list[Span]] = {}
            for rotation in self.rotations(schedule):
                for start, end, people in self.pieces(rotation):
                    for person in people:
                        by_person.setdefault(person, []).append((start, end))
            hours = {p: sum((e - s).total_seconds() for s, e in union(spans)) / 3600 for p, spans in by_person.items()}
            total = sum(hours.values())
            for person, own in sorted(hours.items(), key=lambda item: (-item[1], self.setup.label(item[0]))):
                if total and own / total > max_share:
                    self.findings.append(
                        Finding(
                            "warning",
                            "heavy-load",
                            schedule.alias,
                            f"{self.setup.label(person)} is on call {own:.1f} h of {total:.1f} h "
                            f"({own / total:.0%}, more than {max_share:.0%})",
                            hours=own,
                        )
                    )


def _when(moment: datetime, zone: tzinfo) -> str:
    return f"{moment.astimezone(zone):%a %Y-%m-%d %H:%M %Z}"


def lint(
    setup: IncidentSetup,
    *,
    start: datetime,
    weeks: int = 4,
    coverage: Coverage = AROUND_THE_CLOCK,
    max_share: float = 0.5,
) -> LintReport:
    """Every check of the module over ``weeks`` weeks from ``start``.

    :param max_share: the share of a schedule's on-call hours (0-1) above which a person's load
        is reported.
    :raises AssemblyError: a rotation whose shifts cannot be computed, or times out of range.
    """
    try:
        begin = check_moment(start, "--at")
        end = check_moment(begin + timedelta(weeks=weeks), f"--at plus --weeks {weeks}")
    except OnCallError as error:
        raise AssemblyError(str(error)) from None
    linter = _Linter(setup, begin, end, coverage)
    linter.coverage_gaps()
    linter.silent_stages()
    linter.contacts_without_channels()
    linter.ended_overrides()
    linter.heavy_load(max_share)
    return LintReport(begin, end, coverage.name, linter.findings)


def report_json(report: LintReport) -> str:
    """The report as JSON text, for scripts."""
    return json.dumps(report.to_json(), indent=2)
