"""What a change does to people: two cloud assemblies compared, for a pull request comment.

``incident-constructs review OLD_ASSEMBLY NEW_ASSEMBLY`` reads the assembly of the branch a pull
request targets and the assembly of the pull request, and reports over a period (``--at``, then
``--weeks`` weeks):

- **hours per person**: the hours each person is on call before and after the change, with the
  night hours (22:00-07:00) and the weekend hours (Saturday and Sunday), in the local time of the
  rotation that puts them on call. A person on call in two rotations at once counts that time
  once. Overrides count: they are part of the shifts;
- **shifts that change hands**: per rotation (matched by name), every stretch of time whose
  people on call differ, with the people before and after;
- **response plans**: for each plan, the differences in the timeline of an incident that starts
  at ``--at`` (who is engaged and paged when, through which channel, by which stage);
- **the replacement guard**: for each stack in both assemblies, what deploying the new template
  would replace or delete (:mod:`.replacements`). It blocks the change (exit status 1) when
  on-call data would be lost.

The output is text or GitHub markdown (``--format markdown``). Addresses stay masked. This module
imports neither ``aws_cdk`` nor anything that needs Node.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path

from .assembly import AssemblyError, IncidentSetup, load_assembly, load_templates
from .hours import NIGHT_END_HOUR, NIGHT_START_HOUR, Hours, hours_of
from .oncall import OnCallError, check_moment, rotation_shifts
from .replacements import ReplacementReport, TemplateError, check_replacements
from .timeline import Event, simulate

__all__ = ["HandChange", "PlanChange", "Review", "format_markdown", "format_text", "review", "review_setups"]

_UTC = timezone.utc
#: ``(start, end, people)`` of one rotation, times in UTC, people by alias.
_Piece = tuple[datetime, datetime, tuple[str, ...]]


@dataclass(frozen=True)
class HandChange:
    """A stretch of time when a rotation puts other people on call after the change."""

    rotation: str
    start: datetime
    end: datetime
    before: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True)
class PlanChange:
    """How the timeline of an incident under a response plan changes: ``status`` is
    ``unchanged``, ``changed``, ``added`` or ``removed``; ``lines`` are the timeline's lines that
    go (``- ``) and come (``+ ``)."""

    name: str
    status: str
    lines: tuple[str, ...] = ()


@dataclass
class Review:
    """The result of :func:`review`."""

    start: datetime
    end: datetime
    minutes: int
    #: alias -> (hours before, hours after); only people on call in one of the two.
    hours: dict[str, tuple[Hours, Hours]] = field(default_factory=dict)
    changes: list[HandChange] = field(default_factory=list)
    plans: list[PlanChange] = field(default_factory=list)
    #: (stack, the replacement guard's report) for each stack in both assemblies.
    guard: list[tuple[str, ReplacementReport]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def blocking(self) -> bool:
        """True when the replacement guard blocks the change."""
        return any(report.blocking for _, report in self.guard)


# -- shifts ----------------------------------------------------------------------------------


def _rotation_pieces(setup: IncidentSetup, start: datetime, end: datetime) -> dict[str, tuple[tzinfo, list[_Piece]]]:
    """Rotation name -> (its zone, its shifts with people) in ``[start, end)``."""
    result: dict[str, tuple[tzinfo, list[_Piece]]] = {}
    for rotation in sorted(setup.rotations.values(), key=lambda r: (r.name, r.key)):
        try:
            shifts = rotation_shifts(rotation, since=start, until=end)
        except OnCallError as error:
            raise AssemblyError(f"rotation {rotation.name}: {error}") from None
        pieces = [
            (s.start.astimezone(_UTC), s.end.astimezone(_UTC), tuple(setup.label(c) for c in s.contacts))
            for s in shifts
        ]
        zone = shifts[0].start.tzinfo if shifts and shifts[0].start.tzinfo else _UTC
        result[rotation.name] = (zone, pieces)
    return result


def _hours(rotations: dict[str, tuple[tzinfo, list[_Piece]]]) -> dict[str, Hours]:
    by_person: dict[str, list[tuple[datetime, datetime, tzinfo]]] = {}
    for zone, pieces in rotations.values():
        for start, end, people in pieces:
            for person in people:
                by_person.setdefault(person, []).append((start, end, zone))
    return {person: hours_of(pieces) for person, pieces in by_person.items()}


def _people_at(pieces: Sequence[_Piece], start: datetime, end: datetime) -> tuple[str, ...]:
    return next((people for s, e, people in pieces if s <= start and end <= e), ())


def _hand_changes(name: str, old: Sequence[_Piece], new: Sequence[_Piece], zone: tzinfo) -> list[HandChange]:
    edges = sorted({moment for s, e, _ in [*old, *new] for moment in (s, e)})
    result: list[HandChange] = []
    for start, end in zip(edges, edges[1:], strict=False):
        before, after = _people_at(old, start, end), _people_at(new, start, end)
        if before == after:
            continue
        last = result[-1] if result else None
        if last is not None and last.end == start.astimezone(zone) and (last.before, last.after) == (before, after):
            result[-1] = HandChange(name, last.start, end.astimezone(zone), before, after)
        else:
            result.append(HandChange(name, start.astimezone(zone), end.astimezone(zone), before, after))
    return result


# -- timelines -------------------------------------------------------------------------------


def _event_line(event: Event) -> str:
    line = f"{event.minute:>3} min  {event.contact or '-'}: {event.detail}"
    return line + (f" (via {event.via})" if event.via else "")


def _timeline(setup: IncidentSetup, plan: str, start: datetime, minutes: int) -> list[str]:
    return [_event_line(e) for e in simulate(setup, plan, start=start, minutes=minutes).events]


def _plan_change(name: str, old: IncidentSetup, new: IncidentSetup, start: datetime, minutes: int) -> PlanChange:
    if name not in new.response_plans:
        return PlanChange(name, "removed")
    if name not in old.response_plans:
        return PlanChange(name, "added", tuple(f"+ {line}" for line in _timeline(new, name, start, minutes)))
    before, after = _timeline(old, name, start, minutes), _timeline(new, name, start, minutes)
    lines: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        lines.extend(f"- {line}" for line in before[i1:i2])
        lines.extend(f"+ {line}" for line in after[j1:j2])
    return PlanChange(name, "changed" if lines else "unchanged", tuple(lines))


# -- the replacement guard --------------------------------------------------------------------


def _guard(old_path: str | Path, new_path: str | Path, result: Review) -> None:
    old, new = load_templates(old_path), load_templates(new_path)
    for name in sorted(old):
        if name not in new:
            result.notes.append(
                f"stack {name} is not in the new assembly (cdk deploy leaves a deployed stack as it is)"
            )
            continue
        try:
            result.guard.append((name, check_replacements(old[name], new[name])))
        except TemplateError as error:
            raise AssemblyError(f"stack {name}: {error}") from None


# -- the review ------------------------------------------------------------------------------


def review_setups(
    old: IncidentSetup, new: IncidentSetup, *, start: datetime, weeks: int = 4, minutes: int = 30
) -> Review:
    """Hours, hand changes and timeline differences of two set-ups (no replacement guard).

    :raises AssemblyError: a rotation whose shifts cannot be computed, or times out of range.
    """
    try:
        begin = check_moment(start, "--at")
        end = check_moment(begin + timedelta(weeks=weeks), f"--at plus --weeks {weeks}")
    except OnCallError as error:
        raise AssemblyError(str(error)) from None
    result = Review(begin, end, minutes)
    old_rotations, new_rotations = _rotation_pieces(old, begin, end), _rotation_pieces(new, begin, end)
    old_hours, new_hours = _hours(old_rotations), _hours(new_rotations)
    for person in sorted(set(old_hours) | set(new_hours)):
        result.hours[person] = (old_hours.get(person, Hours()), new_hours.get(person, Hours()))
    for name in sorted(set(old_rotations) | set(new_rotations)):
        zone = (new_rotations.get(name) or old_rotations[name])[0]
        result.changes.extend(
            _hand_changes(name, old_rotations.get(name, (zone, []))[1], new_rotations.get(name, (zone, []))[1], zone)
        )
    for name in sorted(set(old.response_plans) | set(new.response_plans)):
        result.plans.append(_plan_change(name, old, new, begin, minutes))
    return result


def review(old_path: str | Path, new_path: str | Path, *, start: datetime, weeks: int = 4, minutes: int = 30) -> Review:
    """:func:`review_setups` of two cloud assemblies, and the replacement guard on each stack.

    :raises AssemblyError: when an assembly cannot be read.
    """
    result = review_setups(load_assembly(old_path), load_assembly(new_path), start=start, weeks=weeks, minutes=minutes)
    _guard(old_path, new_path, result)
    return result


# -- output ----------------------------------------------------------------------------------

_HOURS_HEADERS = (
    "person",
    "hours before",
    "hours after",
    "change",
    "night before",
    "night after",
    "weekend before",
    "weekend after",
)


def _number(value: float) -> str:
    return f"{value:.1f}"


def _hours_rows(result: Review) -> list[tuple[str, ...]]:
    return [
        (
            person,
            _number(before.total),
            _number(after.total),
            f"{after.total - before.total:+.1f}",
            _number(before.night),
            _number(after.night),
            _number(before.weekend),
            _number(after.weekend),
        )
        for person, (before, after) in result.hours.items()
    ]


def _when(moment: datetime) -> str:
    return f"{moment:%a %Y-%m-%d %H:%M %Z}"


def _change_rows(result: Review) -> list[tuple[str, ...]]:
    return [
        (c.rotation, _when(c.start), _when(c.end), ", ".join(c.before) or "nobody", ", ".join(c.after) or "nobody")
        for c in result.changes
    ]


def _plain_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=False)]
    return [
        "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=False)).rstrip()
        for row in [headers, *rows]
    ]


def _period(result: Review) -> str:
    return f"{result.start:%Y-%m-%d %H:%M} UTC to {result.end:%Y-%m-%d %H:%M} UTC"


def _guard_lines(result: Review) -> list[str]:
    lines: list[str] = []
    for stack, report in result.guard:
        found = report.format()
        if not found:
            found = ["nothing is replaced or deleted"]
        lines.extend(f"{stack}: {line.strip()}" for line in found)
    lines.extend(result.notes)
    return lines


def _verdict(result: Review) -> str:
    if result.blocking:
        return "The replacement guard blocks this change: on-call data would be replaced or deleted."
    return "The replacement guard does not block this change."


def format_text(result: Review) -> str:
    """The review as plain text."""
    out = [f"Review of the change, {_period(result)}", ""]
    out.append(
        f"On-call hours per person (night {NIGHT_START_HOUR:02d}:00-{NIGHT_END_HOUR:02d}:00 and weekend, "
        "local time of the rotation)"
    )
    out.extend(_plain_table(_HOURS_HEADERS, _hours_rows(result)) if result.hours else ["nobody is on call"])
    out += ["", "Shifts that change hands"]
    rows = _change_rows(result)
    out.extend(_plain_table(("rotation", "from", "to", "before", "after"), rows) if rows else ["none"])
    for plan in result.plans:
        out += ["", f"Response plan {plan.name}, an incident at {result.start:%Y-%m-%d %H:%M} UTC: {plan.status}"]
        out.extend(plan.lines)
    out += ["", "Replacement guard", *_guard_lines(result), "", _verdict(result)]
    return "\n".join(out) + "\n"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines.extend("| " + " | ".join(_md_cell(str(cell)) for cell in row) + " |" for row in rows)
    return lines


def format_markdown(result: Review) -> str:
    """The review as GitHub markdown, for a pull request comment."""
    out = ["## On-call review", "", f"Period: {_period(result)}.", "", "### On-call hours per person", ""]
    out.append(
        f"Night is {NIGHT_START_HOUR:02d}:00-{NIGHT_END_HOUR:02d}:00, weekend is Saturday and Sunday, "
        "in the local time of the rotation."
    )
    out.append("")
    out.extend(_md_table(_HOURS_HEADERS, _hours_rows(result)) if result.hours else ["Nobody is on call."])
    out += ["", "### Shifts that change hands", ""]
    rows = _change_rows(result)
    out.extend(_md_table(("rotation", "from", "to", "before", "after"), rows) if rows else ["None."])
    out += ["", f"### Response plans: an incident at {result.start:%Y-%m-%d %H:%M} UTC", ""]
    for plan in result.plans:
        out.append(f"**{plan.name}**: {plan.status}")
        if plan.lines:
            out += ["", "```diff", *plan.lines, "```"]
        out.append("")
    out += ["### Replacement guard", ""]
    out.extend(f"- {_md_cell(line.strip())}" for line in _guard_lines(result))
    out += ["", f"**{_verdict(result)}**"]
    return "\n".join(out) + "\n"
