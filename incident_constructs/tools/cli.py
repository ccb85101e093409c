"""``incident-constructs``: the command line for the people on call.

Reads a synthesized cloud assembly (``cdk.out`` by default) and answers the questions of an
on-call week: what happens, minute by minute, when a response plan starts an incident
(``timeline``); who is on call (``oncall``, also as an iCalendar file with ``--ical``); what
engages whom (``diagram``); whether a deployment would replace contacts
(``check-replacements``); what a change does to people (``review``); and whether the schedules
leave gaps (``lint``). Addresses are always masked.

The commands that only read (``timeline``, ``oncall``, ``diagram``, ``check-replacements``,
``review``, ``lint``, ``schema``) import neither ``aws_cdk`` nor ``jsii``: they start fast and run
where Node is missing. Only ``--file`` (synthesizing an organisation file) needs the CDK.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..adopt.commands import adopt, drift_command, import_mapping_command
from .assembly import AssemblyError, IncidentSetup, load_assembly

__all__ = ["cli", "main"]

PROG = "incident-constructs"
F = TypeVar("F", bound=Callable[..., Any])


class CliError(click.ClickException):
    """An error the user can fix: printed as one line on stderr, exit status 1."""

    def show(self, file: Any = None) -> None:
        click.echo(f"{PROG}: error: {self.format_message()}", err=True)


def _parse_time(value: str | None) -> datetime:
    """``now`` or an ISO 8601 time between 1970 and 2199; a time without offset is UTC."""
    from .oncall import OnCallError, check_moment

    if value is None or value.lower() == "now":
        return datetime.now(timezone.utc).replace(second=0, microsecond=0)
    shown = repr(value) if len(value) <= 60 else repr(value[:57] + "...")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise CliError(
            f"--at {shown}: expected an ISO 8601 time such as 2025-03-01T09:30 or 2025-03-01T09:30+01:00"
        ) from None
    try:
        return check_moment(moment)
    except OnCallError as error:
        raise CliError(f"--at {shown}: {error}") from None


def _assembly_options(func: F) -> F:
    func = click.option(
        "--file",
        "organisation_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="An organisation file (YAML) to synthesize and read instead of a cloud assembly.",
    )(func)
    func = click.option(
        "--assembly",
        "assembly",
        type=click.Path(path_type=Path),
        default=Path("cdk.out"),
        show_default=True,
        help="The synthesized cloud assembly (the output directory of `cdk synth`).",
    )(func)
    return func


def _load(assembly: Path, organisation_file: Path | None) -> IncidentSetup:
    try:
        if organisation_file is not None:
            return _load_organisation(organisation_file)
        return load_assembly(assembly)
    except AssemblyError as error:
        raise CliError(str(error)) from None


def _load_organisation(path: Path) -> IncidentSetup:
    """Synthesize an organisation file into a temporary cloud assembly and read it.

    The synthesis runs in a child process (``python -m incident_constructs.organisation.synth``):
    only it loads the CDK runtime and Node; this process never imports the CDK."""
    if not path.is_file():
        raise CliError(f"organisation file {path} not found")
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="incident-constructs-") as outdir:
        child = subprocess.run(
            [sys.executable, "-m", "incident_constructs.organisation.synth", str(path), outdir],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        if child.returncode != 0:
            problem = child.stderr.strip().splitlines()
            raise CliError(problem[-1] if problem else f"could not synthesize {path} (exit {child.returncode})")
        return load_assembly(outdir)


def _table(**options: Any) -> Table:
    """A table drawn with box characters on a terminal and as plain columns otherwise (piped into
    a file, a pull request comment or CI logs), as the README shows it."""
    if not sys.stdout.isatty():
        options.setdefault("box", None)
        options.setdefault("show_edge", False)
        options.setdefault("pad_edge", False)
    return Table(**options)


def _console() -> Console:
    console = Console(highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        # Piped or captured (make, CI, tests): wide enough that rows are not wrapped.
        console = Console(highlight=False, width=160)
    return console


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="incident-constructs", prog_name=PROG)
def cli() -> None:
    """Look at an Incident Manager set-up synthesized with incident-constructs.

    Reads the cloud assembly that `cdk synth` writes (cdk.out). Contact channel addresses
    are masked in all output.
    """


# -- timeline ------------------------------------------------------------------------------------


@cli.command()
@click.argument("response_plan")
@click.option(
    "--ack",
    "acks",
    multiple=True,
    metavar="CONTACT@MINUTE",
    help="The contact (alias) acknowledges at that minute. Repeatable.",
)
@click.option("--minutes", type=click.IntRange(0, 24 * 60), default=30, show_default=True, help="How long to simulate.")
@click.option(
    "--max-events",
    type=click.IntRange(1, 100_000),
    default=2_000,
    show_default=True,
    help="Stop after this many events (nested escalation plans can engage people many times over).",
)
@click.option(
    "--at",
    "at",
    metavar="TIME",
    default=None,
    help="When the incident starts (ISO 8601, UTC unless an offset is given). Default: now.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the events as JSON.")
@_assembly_options
def timeline(
    response_plan: str,
    acks: Sequence[str],
    minutes: int,
    max_events: int,
    at: str | None,
    as_json: bool,
    assembly: Path,
    organisation_file: Path | None,
) -> None:
    """Simulate an incident started by RESPONSE_PLAN, minute by minute.

    Shows when each escalation stage begins, which contact is engaged and paged through
    which channel (retries included), who the on-call schedules resolve to, and what an
    acknowledgement (--ack) stops.
    """
    from .timeline import parse_ack, simulate

    parsed: dict[str, int] = {}
    for text in acks:
        try:
            alias, minute = parse_ack(text)
        except ValueError as error:
            raise CliError(str(error)) from None
        parsed[alias] = minute
    start = _parse_time(at)
    setup = _load(assembly, organisation_file)
    try:
        result = simulate(setup, response_plan, start=start, minutes=minutes, acks=parsed, max_events=max_events)
    except AssemblyError as error:
        raise CliError(str(error)) from None
    if as_json:
        click.echo(
            json.dumps(
                {
                    "responsePlan": result.response_plan,
                    "start": result.start.isoformat(),
                    "minutes": result.minutes,
                    "truncatedAt": result.truncated_at,
                    "events": [
                        {
                            "minute": e.minute,
                            "kind": e.kind,
                            "contact": e.contact,
                            "detail": e.detail,
                            "via": e.via,
                            "channelType": e.channel_type or None,
                            "attempt": e.attempt,
                        }
                        for e in result.events
                    ],
                },
                indent=2,
            )
        )
        return
    plan = setup.response_plan(response_plan)
    table = _table(
        title=Text(
            f"Incident from response plan {plan.name} ({plan.display_name}), "
            f"starting {result.start:%Y-%m-%d %H:%M} UTC, first {minutes} minutes"
        ),
        title_justify="left",
        show_lines=False,
    )
    table.add_column("min", justify="right")
    table.add_column("UTC")
    table.add_column("contact")
    table.add_column("what")
    table.add_column("via")
    styles = {"stage": "bold", "ack": "green", "stop": "green", "note": "yellow", "oncall": "magenta"}
    for event in sorted(result.events, key=lambda e: e.minute):
        clock = result.start + timedelta(minutes=event.minute)
        table.add_row(
            str(event.minute),
            f"{clock:%H:%M}",
            Text(event.contact),
            Text(event.detail),
            Text(event.via),
            style=styles.get(event.kind),
        )
    _console().print(table)


# -- oncall --------------------------------------------------------------------------------------


@cli.command()
@click.option(
    "--at",
    "at",
    metavar="TIME",
    default=None,
    help="The moment to ask about (ISO 8601, UTC unless an offset is given). Default: now.",
)
@click.option(
    "--days", type=click.IntRange(0, 366), default=7, show_default=True, help="Also list the shifts of the next N days."
)
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
@click.option("--ical", is_flag=True, help="Print the shifts of the next --days days as an iCalendar file (RFC 5545).")
@click.option(
    "--contact", "contact", metavar="ALIAS", default=None, help="With --ical: only the shifts of this contact."
)
@click.option(
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="With --ical: write the calendar to this file instead of printing it.",
)
@_assembly_options
def oncall(
    at: str | None,
    days: int,
    as_json: bool,
    ical: bool,
    contact: str | None,
    output: Path | None,
    assembly: Path,
    organisation_file: Path | None,
) -> None:
    """Who is on call, per on-call schedule and rotation, overrides included.

    With --ical, the shifts of the next --days days (of one contact with --contact) as an
    iCalendar file, one event per shift, times in each rotation's time zone.
    """
    from .oncall import OnCallError, check_moment

    if not ical and (contact is not None or output is not None):
        raise CliError("--contact and --output go with --ical")
    if ical and as_json:
        raise CliError("--ical and --json exclude each other")
    moment = _parse_time(at)
    setup = _load(assembly, organisation_file)
    if not setup.rotations:
        raise CliError("no on-call rotation in the cloud assembly")
    try:
        until = check_moment(moment + timedelta(days=days), f"--at plus --days {days}")
    except OnCallError as error:
        raise CliError(str(error)) from None
    if ical:
        _write_ical(setup, moment, until, contact, output)
        return
    rows = _oncall_rows(setup, moment, until)
    if as_json:
        click.echo(json.dumps({"at": moment.isoformat(), "days": days, "rotations": rows}, indent=2))
        return
    _print_oncall(rows, moment, days)


def _write_ical(
    setup: IncidentSetup, since: datetime, until: datetime, contact: str | None, output: Path | None
) -> None:
    from .ical import to_ical
    from .oncall import OnCallError

    try:
        data = to_ical(setup, since=since, until=until, contact=contact, stamp=since)
    except (AssemblyError, OnCallError) as error:
        raise CliError(str(error)) from None
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
        return
    try:
        output.write_bytes(data)
    except OSError as error:
        raise CliError(f"cannot write {output}: {error.strerror or error}") from None


def _oncall_rows(setup: IncidentSetup, moment: datetime, until: datetime) -> list[dict[str, Any]]:
    """One row per rotation (by name): schedules, who is on call at ``moment``, the shifts."""
    from .oncall import OnCallError, rotation_on_call_at, rotation_shifts

    schedules: dict[str, list[str]] = {}
    for contact in setup.contacts.values():
        for rotation_key in contact.rotation_ids:
            schedules.setdefault(rotation_key, []).append(contact.alias)
    rows: list[dict[str, Any]] = []
    for rotation in sorted(setup.rotations.values(), key=lambda r: r.name):
        try:
            now = rotation_on_call_at(rotation, moment)
            shifts = rotation_shifts(rotation, since=moment, until=until)
        except OnCallError as error:
            raise CliError(f"rotation {rotation.name}: {error}") from None
        rows.append(
            {
                "schedules": sorted(schedules.get(rotation.key, [])),
                "rotation": rotation.name,
                "timeZone": rotation.time_zone_id,
                "onCallNow": [setup.label(c) for c in now],
                "shifts": [
                    {
                        "start": s.start.isoformat(),
                        "end": s.end.isoformat(),
                        "onCall": [setup.label(c) for c in s.contacts],
                        "type": s.shift_type,
                        "overridden": [setup.label(c) for c in s.overridden],
                    }
                    for s in shifts
                ],
            }
        )
    return rows


def _on_call_cell(shift: dict[str, Any]) -> str:
    people = ", ".join(shift["onCall"]) or "nobody"
    if shift["type"] == "OVERRIDDEN":
        people += f" (override, replaces {', '.join(shift['overridden']) or 'nobody'})"
    return people


def _print_oncall(rows: list[dict[str, Any]], moment: datetime, days: int) -> None:
    table = _table(title=f"On call at {moment:%Y-%m-%d %H:%M} UTC", title_justify="left")
    for column in ("schedule", "rotation", "time zone", "on call now"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            Text(", ".join(row["schedules"]) or "(none)"),
            Text(row["rotation"]),
            Text(row["timeZone"]),
            Text(", ".join(row["onCallNow"]) or "nobody"),
        )
    console = _console()
    console.print(table)
    if not days:
        return
    shifts_table = _table(title=f"Shifts of the next {days} days (local time of each rotation)", title_justify="left")
    for column in ("rotation", "from", "to", "on call"):
        shifts_table.add_column(column)
    for row in rows:
        for shift in row["shifts"]:
            start, end = datetime.fromisoformat(shift["start"]), datetime.fromisoformat(shift["end"])
            shifts_table.add_row(
                Text(row["rotation"]),
                Text(_local(start, row["timeZone"])),
                Text(_local(end, row["timeZone"])),
                Text(_on_call_cell(shift)),
            )
    console.print(shifts_table)


def _local(moment: datetime, zone_name: str) -> str:
    """``Wed 2026-01-07 08:00 PST``: the time in the rotation's zone, with its abbreviation."""
    import contextlib
    import zoneinfo

    with contextlib.suppress(zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        moment = moment.astimezone(zoneinfo.ZoneInfo(zone_name))
    return f"{moment:%a %Y-%m-%d %H:%M %Z}"


# -- review, lint ---------------------------------------------------------------------------------


class InputError(CliError):
    """Input that cannot be read, for the commands whose status 1 means "found something"
    (``review``, ``lint``): exit status 2."""

    exit_code = 2


@cli.command()
@click.argument("old_assembly", type=click.Path(path_type=Path))
@click.argument("new_assembly", type=click.Path(path_type=Path))
@click.option(
    "--at", "at", metavar="TIME", default=None, help="The start of the period (ISO 8601, UTC by default). Default: now."
)
@click.option("--weeks", type=click.IntRange(1, 52), default=4, show_default=True, help="The length of the period.")
@click.option(
    "--minutes",
    type=click.IntRange(0, 24 * 60),
    default=30,
    show_default=True,
    help="How much of each response plan's timeline to compare (an incident at --at).",
)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
@click.pass_context
def review(
    ctx: click.Context, old_assembly: Path, new_assembly: Path, at: str | None, weeks: int, minutes: int, fmt: str
) -> None:
    """What a change does to people: compare OLD_ASSEMBLY with NEW_ASSEMBLY.

    On-call hours per person before and after (night and weekend hours too), the shifts that
    change hands, the differences in each response plan's timeline, and the replacement guard's
    findings. Exit status 1 when the replacement guard blocks, 2 when an assembly cannot be read.
    """
    from .review import format_markdown, format_text
    from .review import review as run_review

    try:
        moment = _parse_time(at)
        result = run_review(old_assembly, new_assembly, start=moment, weeks=weeks, minutes=minutes)
    except AssemblyError as error:
        raise InputError(str(error)) from None
    except CliError as error:
        raise InputError(error.format_message()) from None
    click.echo(format_markdown(result) if fmt == "markdown" else format_text(result), nl=False)
    ctx.exit(1 if result.blocking else 0)


@cli.command()
@click.option(
    "--coverage",
    "coverage",
    default="24x7",
    show_default=True,
    metavar="24x7|business-hours|FILE",
    help="The coverage every on-call schedule must give: around the clock, Monday-Friday 09:00-17:00 "
    "in the schedule's time zone, or a YAML/JSON file with time_zone, schedules and windows.",
)
@click.option(
    "--at", "at", metavar="TIME", default=None, help="The start of the period (ISO 8601, UTC by default). Default: now."
)
@click.option("--weeks", type=click.IntRange(1, 52), default=4, show_default=True, help="The length of the period.")
@click.option(
    "--max-share",
    type=click.IntRange(1, 100),
    default=50,
    show_default=True,
    metavar="PERCENT",
    help="Warn about a person on call for more than this share of a schedule's hours.",
)
@click.option("--strict", is_flag=True, help="Exit with status 1 for warnings too.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@_assembly_options
@click.pass_context
def lint(
    ctx: click.Context,
    coverage: str,
    at: str | None,
    weeks: int,
    max_share: int,
    strict: bool,
    as_json: bool,
    assembly: Path,
    organisation_file: Path | None,
) -> None:
    """Check the on-call set-up over a period: coverage gaps of each on-call schedule, stages
    that engage nobody at some moment, contacts without channels, ended overrides, people who
    carry more than --max-share of a schedule's hours.

    Exit status 0 without errors (and without warnings with --strict), 1 otherwise, 2 when the
    input cannot be read.
    """
    from .lint import AROUND_THE_CLOCK, BUSINESS_HOURS, load_coverage
    from .lint import lint as run_lint

    try:
        moment = _parse_time(at)
        required = {"24x7": AROUND_THE_CLOCK, "business-hours": BUSINESS_HOURS}.get(coverage)
        if required is None:
            required = load_coverage(coverage)
        setup = _load(assembly, organisation_file)
        report = run_lint(setup, start=moment, weeks=weeks, coverage=required, max_share=max_share / 100)
    except AssemblyError as error:
        raise InputError(str(error)) from None
    except CliError as error:
        raise InputError(error.format_message()) from None
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2))
    else:
        for line in report.format():
            click.echo(line)
    ctx.exit(report.exit_code(strict=strict))


# -- diagram -------------------------------------------------------------------------------------


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["mermaid", "dot"]), default="mermaid", show_default=True)
@click.option("--plan", "response_plan", default=None, help="Only this response plan. Default: all of them.")
@_assembly_options
def diagram(fmt: str, response_plan: str | None, assembly: Path, organisation_file: Path | None) -> None:
    """Response plans, escalation plans, stages, contacts and channels, with their timings; the
    alarms and rules that start incidents, the chat channels plans post to, and RAM shares.

    Mermaid renders in GitHub markdown; dot renders with Graphviz (`dot -Tpng -o diagram.png`).
    """
    from .diagram import build_graph, to_dot, to_mermaid

    setup = _load(assembly, organisation_file)
    if not (setup.response_plans or setup.contacts or setup.alarms or setup.event_rules):
        raise CliError("no Incident Manager resources in the cloud assembly")
    try:
        graph = build_graph(setup, response_plan)
    except AssemblyError as error:
        raise CliError(str(error)) from None
    click.echo(to_dot(graph) if fmt == "dot" else to_mermaid(graph), nl=False)


# -- check-replacements, schema -------------------------------------------------------------------


@cli.command("check-replacements")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.pass_context
def check_replacements(ctx: click.Context, old: Path, new: Path) -> None:
    """Compare two synthesized templates: would deploying NEW replace or delete on-call data of OLD?"""
    from .replacements import main_check_replacements

    ctx.exit(int(main_check_replacements(old, new)))


@cli.command()
def schema() -> None:
    """Print the JSON schema of organisation files."""
    # The one schema, incident_constructs/organisation/schema.json: reading it needs neither the
    # CDK nor Node (the loader imports no CDK).
    from ..organisation.loader import organisation_json_schema

    try:
        schema = organisation_json_schema()
    except (OSError, ValueError):
        raise CliError(
            "schema is not available in this installation (incident_constructs/organisation/schema.json is missing)"
        ) from None
    click.echo(json.dumps(schema, indent=2))


# -- adopting an existing set-up (adopt, import-mapping, drift) ----------------------------------

for _command in (adopt, import_mapping_command, drift_command):
    cli.add_command(_command)


# -- entry point ---------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    """The console script: errors are one line on stderr, never a traceback.

    Set ``INCIDENT_CONSTRUCTS_DEBUG=1`` to see the traceback of an unexpected error.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = cli.main(args=args, prog_name=PROG, standalone_mode=False)
    except click.ClickException as error:
        if isinstance(error, CliError):
            error.show()
        else:
            click.echo(f"{PROG}: error: {error.format_message()} (see {PROG} --help)", err=True)
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        click.echo(f"{PROG}: aborted", err=True)
        sys.exit(1)
    except (BrokenPipeError, KeyboardInterrupt):
        sys.exit(1)
    except Exception as error:
        if os.environ.get("INCIDENT_CONSTRUCTS_DEBUG"):
            raise
        click.echo(
            f"{PROG}: internal error: {type(error).__name__}: {error} (INCIDENT_CONSTRUCTS_DEBUG=1 shows the traceback)",
            err=True,
        )
        sys.exit(70)
    sys.exit(result if isinstance(result, int) else 0)


if __name__ == "__main__":
    main()
