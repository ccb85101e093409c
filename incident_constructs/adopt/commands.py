"""The command-line side of adoption: ``adopt``, ``import-mapping`` and ``drift``.

Click commands, registered in the ``incident-constructs`` group (``incident_constructs.tools.cli``).
Errors follow the group's conventions: one line on stderr (``incident-constructs: error: ...``),
exit status 1. ``drift`` exits with 3 when it finds a difference. Addresses are never printed,
except in the ``aws ssm put-parameter`` commands that ``adopt --addresses`` prints for the user
to run.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from .errors import AdoptError, Difference

__all__ = ["adopt", "drift_command", "import_mapping_command", "DRIFT_FOUND"]

#: The exit status of ``drift`` when live and synthesized differ.
DRIFT_FOUND = 3


def _fail(message: str) -> NoReturn:
    """Raise the command line's own one-line error (imported late: the group imports this module)."""
    from ..tools.cli import CliError

    raise CliError(message.strip().replace("\n", "; "))


def _session(profile: str | None) -> Any:
    try:
        import boto3  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        _fail(
            "this command reads the account with boto3, which is not installed: pip install 'incident-constructs[aws]'"
        )
    try:
        return boto3.Session(profile_name=profile) if profile else boto3.Session()
    except Exception as error:  # botocore's ProfileNotFound and friends
        _fail(f"--profile {profile}: {error}")


def _region_option(func: Any) -> Any:
    return click.option(
        "--region", required=True, metavar="REGION", help="The region of the Incident Manager set-up, like us-east-1."
    )(func)


def _profile_option(func: Any) -> Any:
    return click.option(
        "--profile", default=None, metavar="NAME", help="An AWS CLI profile. Default: the usual credential chain."
    )(func)


@click.command()
@_region_option
@_profile_option
@click.option(
    "--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path), help="The directory to write into."
)
@click.option(
    "--addresses",
    default=None,
    metavar="ssm:/PREFIX",
    help="Write channel addresses as SSM parameter references under PREFIX and print the put-parameter commands.",
)
@click.option("--overwrite", is_flag=True, help="Replace files that exist in --out.")
def adopt(region: str, profile: str | None, out: Path, addresses: str | None, overwrite: bool) -> None:
    """Read the account's Incident Manager set-up and write it as code (read-only).

    Writes OUT/organisation.yaml (build it with build_organisation), the custom runbooks beside
    it (OUT/runbooks/), and OUT/account.json (what was read, with ARNs; addresses masked). What the
    organisation file cannot express exactly is listed on stderr and in the file's header.
    """
    from .organisation import ORGANISATION_FILE, parse_addresses
    from .reader import read_account
    from .snapshot import ACCOUNT_FILE

    if not overwrite:  # before any call to AWS
        for name in (ORGANISATION_FILE, ACCOUNT_FILE):
            if (out / name).exists():
                _fail(f"{out / name} exists; choose an empty directory or overwrite")
    try:
        parse_addresses(addresses)
        snapshot = read_account(_session(profile), region)
        result = snapshot.write(out, addresses=addresses, overwrite=overwrite)
    except AdoptError as error:
        _fail(str(error))
    counts: dict[str, int] = {}
    for resource in snapshot.resources:
        counts[resource.type.split("::")[-1]] = counts.get(resource.type.split("::")[-1], 0) + 1
    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) or "nothing"
    click.echo(f"read {summary} in {region}; wrote {', '.join(str(f) for f in result.files)}", err=True)
    for note in snapshot.notes:
        click.echo(f"note: {note}", err=True)
    for line in result.not_expressible:
        click.echo(f"not expressible: {line}", err=True)
    if result.put_parameter_commands:
        click.echo("# Create the address parameters (these lines hold the addresses; do not save them):", err=True)
        for command in result.put_parameter_commands:
            click.echo(command)


def _assembly_stacks(assembly: Path) -> Any:
    from .template import read_assembly

    try:
        return read_assembly(assembly)
    except AdoptError as error:
        _fail(str(error))


@click.command("import-mapping")
@click.option(
    "--assembly",
    type=click.Path(path_type=Path),
    default=Path("cdk.out"),
    show_default=True,
    help="The synthesized cloud assembly.",
)
@click.option(
    "--stack",
    "stack",
    default=None,
    help="The stack to import into (name, artifact id or display name). Default: the only one.",
)
@click.option(
    "--account",
    "account",
    required=True,
    type=click.Path(path_type=Path),
    help="account.json written by `adopt` (or its directory).",
)
def import_mapping_command(assembly: Path, stack: str | None, account: Path) -> None:
    """Print the JSON that `cdk import --resource-mapping` takes.

    Matches the stack's resources with the live ones by alias, channel, rotation, response plan
    and document name, and refuses (listing every property that differs) when the first deploy
    after the import would change a live resource.
    """
    from .compare import plan_import
    from .snapshot import AccountSnapshot
    from .template import find_stack

    try:
        snapshot = AccountSnapshot.load(account)
        template = find_stack(_assembly_stacks(assembly), stack)
        plan = plan_import(template, snapshot)
    except AdoptError as error:
        _fail(str(error))
    for note in plan.notes:
        click.echo(f"note: {note}", err=True)
    if plan.differences:
        for difference in plan.differences:
            click.echo(f"differs: {difference}", err=True)
        count = len(plan.differences)
        _fail(
            f"{count} propert{'y differs' if count == 1 else 'ies differ'} between stack {template.display_name} and the account; "
            "importing would let the next deploy change live resources: change the code (or the account) until they agree"
        )
    if not plan.mapping:
        _fail(
            f"no resource of stack {template.display_name} exists in the account read ({snapshot.region}); nothing to import"
        )
    click.echo(json.dumps(plan.mapping, indent=2))


@click.command("drift")
@_region_option
@_profile_option
@click.option(
    "--assembly",
    type=click.Path(path_type=Path),
    default=Path("cdk.out"),
    show_default=True,
    help="The synthesized cloud assembly.",
)
@click.option(
    "--stack", "stacks", multiple=True, help="Only this stack (repeatable). Default: every stack of the assembly."
)
@click.option("--json", "as_json", is_flag=True, help="Print the differences as JSON.")
@click.pass_context
def drift_command(
    ctx: click.Context, region: str, profile: str | None, assembly: Path, stacks: Sequence[str], as_json: bool
) -> None:
    """Compare the live account with the synthesized stacks, per resource and property.

    Sees what CloudFormation's drift detection cannot: write-only properties (a contact's
    engagement plan, a schedule's rotations) and changes made in the console. Exit status 3
    when something differs.
    """
    from .compare import drift
    from .reader import parameter_resolver, read_account
    from .template import find_stack

    templates = _assembly_stacks(assembly)
    if stacks:
        try:
            templates = [find_stack(templates, name) for name in stacks]
        except AdoptError as error:
            _fail(str(error))
    try:
        session = _session(profile)
        snapshot = read_account(session, region)
        differences = drift(templates, snapshot, resolve_parameter=parameter_resolver(session, region))
    except AdoptError as error:
        _fail(str(error))
    _print_differences(differences, as_json)
    if any(d.kind != "unmanaged" for d in differences):
        ctx.exit(DRIFT_FOUND)


def _print_differences(differences: list[Difference], as_json: bool) -> None:
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "kind": d.kind,
                        "logicalId": d.logical_id,
                        "type": d.resource_type,
                        "name": d.name,
                        "property": d.path,
                        "template": d.template,
                        "live": d.live,
                    }
                    for d in differences
                ],
                indent=2,
            )
        )
        return
    if not differences:
        click.echo("no drift: the account matches the synthesized stacks")
        return
    for difference in differences:
        click.echo(f"{difference.kind}: {difference}")
    sys.stdout.flush()
